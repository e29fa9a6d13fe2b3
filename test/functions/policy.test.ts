import { isExcelError } from "../helpers/customFunctionsShim";
import fs from "node:fs";
import path from "node:path";
import { parseTree } from "custom-functions-metadata";
import distributions from "../fixtures/policy_distributions.json";
import {
  eoqCells,
  fillRateCells,
  fillRateKCells,
  normalLossCells,
  reorderPointCells,
  safetyStockCells,
  zValueCells,
} from "../../src/functions/policy";
import { safetyStock } from "../../src/engine/inventory";

/** Excel hands a one-column range as [[a], [b], ...] and a single cell (matrix parameter) as [[a]]. */
const col = (...xs: unknown[]) => xs.map((x) => [x]);
const one = (x: unknown) => [[x]];

function errorOf(cell: unknown): { code: string; message: string } {
  if (!isExcelError(cell)) throw new Error(`expected an Excel error, got ${JSON.stringify(cell)}`);
  return cell;
}

describe("SEG.SAFETY_STOCK", () => {
  it("single cells: CSL default, omitted optionals as null", () => {
    const out = safetyStockCells(one(0.95), one(100), one(20), one(4), null, null, null, null);
    expect(out).toHaveLength(1);
    expect(out[0][0]).toBeCloseTo(1.6448536269514722 * 40, 9);
  });

  it("broadcasts columns against single cells, one result per row", () => {
    const out = safetyStockCells(one(0.9), col(2500, 2500, 60), col(500, 500, 0), col(2, 7, 6), col(0, 7, 2), null, null, null);
    expect(out.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(Math.round(out[0][0] as number)).toBe(906); // Chopra & Meindl ch. 12 (CSL 90%)
    expect(Math.round(out[1][0] as number)).toBe(22491); // Chopra & Meindl ch. 12 (lead-time uncertainty)
    expect(out[2][0]).toBeCloseTo(1.2815515655446004 * 120, 9);
  });

  it("fill rate: method column, order_qty, and the periodic default Q = demand_mean x review_period", () => {
    const out = safetyStockCells(one(0.975), one(2500), one(500), one(2), null, col(0, 0, 1), col("fill", "FILL ", "fill"), col(10000, 1000, 0));
    expect(Math.round(out[0][0] as number)).toBe(67); // Chopra & Meindl ch. 12 (fill rate 97.5%)
    expect(out[1][0] as number).toBeGreaterThan(out[0][0] as number); // smaller Q needs more stock
    const periodic = safetyStockCells(one(0.975), one(2500), one(500), one(2), null, one(1), one("fill"), one(2500));
    expect(out[2][0]).toBeCloseTo(periodic[0][0] as number, 12);
  });

  it("is not floored at 0", () => {
    const out = safetyStockCells(one(0.95), one(100), one(20), one(4), null, null, one("fill"), one(1000));
    expect(out[0][0] as number).toBeLessThan(0);
  });

  it("blanks: Excel desktop's 0 and the web's null/\"\" read the same", () => {
    const desktop = safetyStockCells(one(0.95), one(100), one(20), one(4), one(0), one(0), one(0), one(0));
    const web = safetyStockCells(one(0.95), one(100), one(20), one(4), one(""), one(null), one(""), one(null));
    expect(desktop).toEqual(web);
    expect(desktop[0][0]).toBeCloseTo(1.6448536269514722 * 40, 9);
  });

  it("a bad row gets #VALUE! naming the row and the argument; other rows still compute", () => {
    const out = safetyStockCells(col(0.95, 0.95, 1.5, 0.95, 0.95), one(100), col(20, -3, 20, "abc", 20), one(4), null, null, col("csl", "csl", "csl", "csl", "beta"), null);
    expect(out).toHaveLength(5);
    expect(typeof out[0][0]).toBe("number");
    const e1 = errorOf(out[1][0]);
    expect(e1.code).toBe("#VALUE!");
    expect(e1.message).toBe("row 2: demand_sd must be a number >= 0, got -3");
    expect(errorOf(out[2][0]).message).toMatch(/^row 3: service_level must be strictly between 0 and 1/);
    expect(errorOf(out[3][0]).message).toBe('row 4: demand_sd: text "abc" is not a number');
    expect(errorOf(out[4][0]).message).toBe('row 5: method must be "csl" or "fill", got "beta"');
  });

  it("reuses its scratch columns safely: a longer call, a shorter one, then the first again", () => {
    const long = () => safetyStockCells(col(0.9, 0.95, 0.99, 0.5, 0.8), col(10, 20, 30, 40, 50), one(5), one(4), null, null, null, null);
    const first = long();
    const short = safetyStockCells(col(0.95, 0.95), col(1, 2), col(3, 4), one(1), null, null, null, null);
    expect(short[0][0]).toBeCloseTo(1.6448536269514722 * 3, 12);
    expect(short[1][0]).toBeCloseTo(1.6448536269514722 * 4, 12);
    expect(long()).toEqual(first);
    expect(first[3][0]).toBe(0); // service level 0.5: z = 0
  });

  it("fill without order_qty under continuous review names order_qty", () => {
    const out = safetyStockCells(one(0.95), one(100), one(20), one(4), null, null, one("fill"), null);
    expect(errorOf(out[0][0]).message).toMatch(/^row 1: order_qty is required/);
  });

  it("wrong shapes give one clear error", () => {
    const wide = safetyStockCells([[0.9, 0.95]], [[1, 2], [3, 4]], one(20), one(4), null, null, null, null);
    expect(wide).toHaveLength(1);
    expect(errorOf(wide[0][0]).message).toBe("demand_mean: expected one column or one row, got 2 x 2");
    const mismatch = safetyStockCells(col(0.9, 0.95, 0.99), col(1, 2), one(20), one(4), null, null, null, null);
    expect(mismatch).toHaveLength(1);
    expect(errorOf(mismatch[0][0]).message).toMatch(/^demand_mean: has 2 rows but service_level has 3/);
  });
});

// safetyStockCells reads its common call (numeric Excel columns or single cells, all finite
// numbers, csl, no order_qty) in one pass; a column of zeros for order_qty ("not given", unused by
// csl) sends the same call down the general path, which is the reference here.
describe("SEG.SAFETY_STOCK: the one-pass reading gives the general path's cells", () => {
  const plain = (m: unknown[][]) => m.map((r) => r.map((c) => (isExcelError(c) ? { code: c.code, message: c.message } : c)));
  let seed = 4242;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 3000; // past safetyStockColumns' 1,024-row probe of its z cache
  // mostly ordinary rows; some out of range (errors), some tiny or huge (the hypot branch, overflow)
  const pick = (ordinary: () => number, odd: number[]) => () => (rand() < 0.9 ? ordinary() : odd[Math.floor(rand() * odd.length)]);
  const build = () => ({
    sl: Array.from({ length: n }, pick(() => 0.5 + 0.499 * rand(), [0, 1, 1.5, -0.2, 1e-300, 0.9999999999])),
    d: Array.from({ length: n }, pick(() => 1000 * rand(), [0, -1, 1e-160, 1e200, 1e300])),
    sd: Array.from({ length: n }, pick(() => 200 * rand(), [0, -3, 1e-160, 1e200])),
    L: Array.from({ length: n }, pick(() => 12 * rand(), [0, -2, 1e-300])),
    sdL: Array.from({ length: n }, pick(() => 2 * rand(), [0, -1, 1e200])),
    R: Array.from({ length: n }, pick(() => Math.floor(5 * rand()), [0, -1, 1e-300])),
  });
  const x = build();
  const zeros = Array.from({ length: n }, () => [0]);
  const c = (xs: unknown[]) => xs.map((v) => [v]);

  it("numbers and errors alike, row by row, and the numbers are the engine's safetyStock", () => {
    const fast = safetyStockCells(c(x.sl), c(x.d), c(x.sd), c(x.L), c(x.sdL), c(x.R), null, null);
    const general = safetyStockCells(c(x.sl), c(x.d), c(x.sd), c(x.L), c(x.sdL), c(x.R), null, zeros);
    expect(plain(fast)).toEqual(plain(general));
    let numbers = 0;
    let errors = 0;
    for (let i = 0; i < n; i++) {
      const want = safetyStock({ serviceLevel: x.sl[i], demandMean: x.d[i], demandSd: x.sd[i], leadTime: x.L[i], leadTimeSd: x.sdL[i], reviewPeriod: x.R[i] });
      if ("safetyStock" in want) {
        expect(fast[i][0]).toBe(want.safetyStock);
        numbers++;
      } else {
        expect(errorOf(fast[i][0]).message).toMatch(new RegExp(`^row ${i + 1}: `));
        errors++;
      }
    }
    expect(numbers).toBeGreaterThan(n / 2);
    expect(errors).toBeGreaterThan(20);
  });

  it("single cells among the columns, one or nine service levels", () => {
    const nine = Array.from({ length: n }, (_, i) => [[0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.9, 0.88, 0.85][i % 9]]);
    for (const sl of [one(0.95), nine]) {
      for (const R of [one(1), one(""), null]) {
        const fast = safetyStockCells(sl, c(x.d), one(20), c(x.L), null, R, one("csl"), null, one("normal"));
        const general = safetyStockCells(sl, c(x.d), one(20), c(x.L), null, R, one("csl"), zeros, one("normal"));
        expect(plain(fast)).toEqual(plain(general));
      }
    }
  });

  it("a text, blank or infinite cell, or another shape, leaves it to the general path (same messages)", () => {
    const sd = c(x.sd);
    sd[5] = ["abc"];
    sd[9] = [""];
    sd[11] = [Infinity];
    const out = safetyStockCells(c(x.sl), c(x.d), sd, c(x.L), c(x.sdL), c(x.R), null, null);
    expect(plain(out)).toEqual(plain(safetyStockCells(c(x.sl), c(x.d), sd, c(x.L), c(x.sdL), c(x.R), null, zeros)));
    expect(errorOf(out[5][0]).message).toBe('row 6: demand_sd: text "abc" is not a number');
    // a flat list of numbers (not [[x], ...]) is read by the general path as a column
    const flat = safetyStockCells(x.sl, c(x.d), c(x.sd), c(x.L), c(x.sdL), c(x.R), null, null);
    expect(plain(flat)).toEqual(plain(safetyStockCells(c(x.sl), c(x.d), c(x.sd), c(x.L), c(x.sdL), c(x.R), null, zeros)));
  });
});

describe("SEG.REORDER_POINT / EOQ / Z_VALUE / FILL_RATE_K / NORMAL_LOSS", () => {
  it("REORDER_POINT broadcasts and switches to order-up-to with a review period", () => {
    const out = reorderPointCells(col(100, 100, 100), one(4), col(66, -30, 66), col(0, 0, 2));
    expect(out).toEqual([[466], [370], [666]]);
    expect(errorOf(reorderPointCells(one(100), one(-1), one(5), null)[0][0]).message).toBe("row 1: lead_time must be a number >= 0, got -1");
  });

  it("EOQ: stockpyl / Snyder & Shen Example 3.1 and Problem 3.1", () => {
    const out = eoqCells(col(1300, 182500), col(8, 2250), col(0.225, 275));
    expect(out[0][0]).toBeCloseTo(304.0467800264368, 9);
    expect(out[1][0]).toBeCloseTo(1728.109844993551, 8);
    expect(errorOf(eoqCells(one(1), one(1), one(0))[0][0]).message).toBe("row 1: holding_cost must be a number > 0, got 0");
  });

  it("Z_VALUE: a column of service levels, errors per row", () => {
    const out = zValueCells(col(0.95, 0.5, 1, null));
    expect(out[0][0]).toBeCloseTo(1.6448536269514722, 15);
    expect(out[1][0]).toBe(0);
    expect(errorOf(out[2][0]).message).toMatch(/^row 3: service_level must be strictly between 0 and 1/);
    expect(errorOf(out[3][0]).message).toMatch(/^row 4: service_level .* got 0$/); // a blank reads as 0
  });

  it("FILL_RATE_K: k from G(k) = Q(1 - beta)/sigma; sigma 0 is #N/A", () => {
    const out = fillRateKCells(one(0.975), one(10000), col(500 * Math.SQRT2, 0));
    expect(out[0][0]).toBeCloseTo(0.09432459102502434, 9);
    const e = errorOf(out[1][0]);
    expect(e.code).toBe("#N/A");
    expect(e.message).toMatch(/^row 2: sigma is 0/);
  });

  it("NORMAL_LOSS: G(k) including negative k and the far tail", () => {
    const out = normalLossCells(col(-1.4, 0, 3.1, 40, "x"));
    expect(out[0][0]).toBeCloseTo(1.436668142708465, 14); // stockpyl test_loss_functions
    expect(out[1][0]).toBe(0.3989422804014327);
    expect((out[2][0] as number) / 2.672490952231408e-4 - 1).toBeLessThan(1e-12);
    expect(out[3][0]).toBe(0);
    expect(errorOf(out[4][0]).message).toBe('row 5: k: text "x" is not a number');
  });
});

describe("policy.ts entry-point metadata", () => {
  // Parses the module's entry points, as custom-functions-metadata-plugin does for functions.json.
  const source = fs.readFileSync(path.join(__dirname, "../../src/functions/policy.ts"), "utf8");
  const result = parseTree(source, "policy.ts");
  const byId = Object.fromEntries(result.functions.map((f) => [f.id, f]));

  it("parses without errors into the six SEG policy functions", () => {
    expect(result.extras.flatMap((e) => e.errors)).toEqual([]);
    expect(Object.keys(byId).sort()).toEqual(["EOQ", "FILL_RATE", "FILL_RATE_K", "NORMAL_LOSS", "REORDER_POINT", "SAFETY_STOCK", "Z_VALUE"]);
  });

  it("SAFETY_STOCK takes ranges, with the optional parameters last", () => {
    const f = byId.SAFETY_STOCK;
    expect(f.parameters.map((p) => [p.name, p.dimensionality, Boolean(p.optional)])).toEqual([
      ["service_level", "matrix", false],
      ["demand_mean", "matrix", false],
      ["demand_sd", "matrix", false],
      ["lead_time", "matrix", false],
      ["lead_time_sd", "matrix", true],
      ["review_period", "matrix", true],
      ["method", "matrix", true],
      ["order_qty", "matrix", true],
      ["distribution", "matrix", true],
    ]);
    expect(f.description).toMatch(/NOT floored at 0/);
  });

  it("REORDER_POINT gains [distribution] last; FILL_RATE takes the level, the demand, and its options", () => {
    expect(byId.REORDER_POINT.parameters.map((p) => p.name)).toEqual(["demand_mean", "lead_time", "safety_stock", "review_period", "distribution"]);
    expect(byId.FILL_RATE.parameters.map((p) => [p.name, Boolean(p.optional)])).toEqual([
      ["reorder_point", false],
      ["demand_mean", false],
      ["demand_sd", false],
      ["lead_time", false],
      ["lead_time_sd", true],
      ["review_period", true],
      ["order_qty", true],
      ["distribution", true],
      ["output", true],
    ]);
  });

  it("every function and parameter has help text Excel can show (<= 255 characters) and returns a number matrix", () => {
    for (const f of result.functions) {
      expect(f.description && f.description.length).toBeGreaterThan(20);
      expect(f.description!.length).toBeLessThanOrEqual(255);
      expect(f.result).toEqual({ dimensionality: "matrix", type: "number" });
      for (const p of f.parameters) {
        expect(p.description && p.description.length).toBeGreaterThan(5);
        expect(p.description!.length).toBeLessThanOrEqual(255);
      }
    }
  });
});

describe("spill shape follows the input", () => {
  it("a one-row input spills one row, a one-column input one column", () => {
    const row = zValueCells([[0.5, 0.95, 0.975]]);
    expect(row).toHaveLength(1);
    expect(row[0]).toHaveLength(3);
    expect(row[0][1]).toBeCloseTo(1.6448536269514722, 12);
    const column = zValueCells([[0.5], [0.95], [0.975]]);
    expect(column.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(column[2][0]).toBeCloseTo(1.959963984540054, 12);
    // a row of service levels with single-cell demand arguments still spills along the row
    const ss = safetyStockCells([[0.9, 0.95]], [[100]], [[20]], [[4]], null, null, null, null);
    expect(ss).toHaveLength(1);
    expect(ss[0]).toHaveLength(2);
    expect(ss[0][1]).toBeCloseTo(1.6448536269514722 * 40, 9);
  });

  it("says which row is bad in the same words for one row and for many", () => {
    expect(errorOf(zValueCells([[1.5]])[0][0]).message).toMatch(/^row 1: service_level/);
    expect(errorOf(zValueCells([[0.5], [1.5]])[1][0]).message).toMatch(/^row 2: service_level/);
  });
});

describe("[distribution] on SAFETY_STOCK and REORDER_POINT, and SEG.FILL_RATE, against scipy (gen_policy_distributions.py)", () => {
  const levels = distributions.levels.filter((c) => c.method !== "cost");
  const opt = (x: number | undefined) => (x === undefined ? null : one(x));

  it.each(levels.map((c) => [c.name, c] as const))("SAFETY_STOCK: %s", (_name, c) => {
    const x = c as typeof c & { leadTimeSd?: number; reviewPeriod?: number; orderQty?: number };
    const q = x.reviewPeriod ? null : opt(x.orderQty);
    const out = safetyStockCells(one(x.serviceLevel), one(x.demandMean), one(x.demandSd), one(x.leadTime), opt(x.leadTimeSd), opt(x.reviewPeriod), one(x.method), q, one(x.distribution));
    expect(out[0][0] as number).toBeCloseTo(x.safetyStock, 9);
    // REORDER_POINT with the same distribution gives the level back
    const rop = reorderPointCells(one(x.demandMean), one(x.leadTime), [[out[0][0]]], opt(x.reviewPeriod), one(x.distribution));
    expect(rop[0][0] as number).toBeCloseTo(x.reorderPoint, 9);
    if (x.distribution !== "gamma") expect(Number.isInteger(rop[0][0])).toBe(true);
  });

  it.each(distributions.fillRates.map((c, k) => [k, c] as const))("FILL_RATE case %i", (_k, c) => {
    const x = c as typeof c & { leadTimeSd?: number; reviewPeriod?: number; orderQty?: number };
    const args = [one(x.reorderPoint), one(x.demandMean), one(x.demandSd), one(x.leadTime), opt(x.leadTimeSd), opt(x.reviewPeriod), opt(x.orderQty), one(x.distribution)] as const;
    expect(fillRateCells(...args, null)[0][0] as number).toBeCloseTo(x.fillRate, 9);
    expect(fillRateCells(...args, one("CSL"))[0][0] as number).toBeCloseTo(x.cycleServiceLevel, 9);
    expect(fillRateCells(...args, one("short"))[0][0] as number).toBeCloseTo(x.unitsShortPerCycle, 9);
  });

  it("blank, Excel desktop's 0 and \"normal\" give exactly the results of before the argument", () => {
    const before = safetyStockCells(col(0.95, 0.975), col(100, 2500), col(20, 500), col(4, 2), null, null, col("csl", "fill"), col(0, 10000));
    for (const d of [null, one(""), one(0), one("Normal"), col("normal", "NORMAL")]) {
      expect(safetyStockCells(col(0.95, 0.975), col(100, 2500), col(20, 500), col(4, 2), null, null, col("csl", "fill"), col(0, 10000), d)).toEqual(before);
    }
    expect(reorderPointCells(col(100, 100), one(4), col(65.79, 80.58), col(0, 2), one(""))).toEqual(reorderPointCells(col(100, 100), one(4), col(65.79, 80.58), col(0, 2)));
  });

  it("FILL_RATE with the normal is the exact (s, Q) fill rate: Chopra & Meindl's example, 0.9975", () => {
    // s = 6000 with d = 2500, sd 500, L = 2, Q = 10000: ESC 25.13, fill rate 0.9975 (ch. 12)
    const out = fillRateCells(one(6000), one(2500), one(500), one(2), null, null, one(10000), null, null);
    expect(out[0][0] as number).toBeCloseTo(0.9975, 4);
    expect(fillRateCells(one(6000), one(2500), one(500), one(2), null, null, one(10000), null, one("short"))[0][0] as number).toBeCloseTo(25.13, 2);
  });

  it("a distribution column: one per row, a bad name spoils only its row", () => {
    const out = safetyStockCells(one(0.95), one(0.4), one(0.7), one(3), null, null, null, null, col("poisson", "weibull", "normal"));
    expect(out[0][0] as number).toBeCloseTo(1.8, 12);
    expect(errorOf(out[1][0]).message).toBe('row 2: distribution must be one of normal, poisson, negbin, gamma, auto; got "weibull"');
    expect(out[2][0] as number).toBeCloseTo(1.6448536269514722 * 0.7 * Math.sqrt(3), 12);
  });

  it("FILL_RATE names its problems: continuous review needs order_qty; no demand is #N/A; a bad output is one #VALUE!", () => {
    expect(errorOf(fillRateCells(one(3), one(0.5), one(1), one(3), null, null, null, one("poisson"), null)[0][0]).message).toMatch(/^row 1: order_qty is required under continuous review/);
    const na = errorOf(fillRateCells(one(3), one(0), one(1), one(3), null, one(2), null, null, null)[0][0]);
    expect([na.code, na.message]).toEqual(["#N/A", "row 1: demand_mean is 0: the fill rate is undefined without demand"]);
    expect(errorOf(fillRateCells(one(3), one(1), one(1), one(3), null, null, one(5), null, one("ready"))[0][0]).message).toBe('output: must be one of "fill", "csl", "short"');
  });
});
