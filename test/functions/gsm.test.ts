import { isExcelError } from "../helpers/customFunctionsShim";
import fs from "node:fs";
import path from "node:path";
import { parseTree } from "custom-functions-metadata";
import { gsmSerialCells } from "../../src/functions/gsm";
import ref from "../fixtures/gsm_reference.json";

// Reference values: stockpyl's published serial tests (LarrySnyder/stockpyl tests/test_gsm_serial.py;
// Snyder & Shen 2019 Example 6.3, Problems 6.7 and 6.8), as test/fixtures/gen_gsm.py wrote them into
// test/fixtures/gsm_reference.json. Stages are numbered from the customer (stage 1 serves it).

const col = (...xs: unknown[]) => xs.map((x) => [x]);
const one = (x: unknown) => [[x]];

function errorOf(cell: unknown): { code: string; message: string } {
  if (!isExcelError(cell)) throw new Error(`expected an Excel error, got ${JSON.stringify(cell)}`);
  return { code: cell.code, message: cell.message };
}

interface FixtureStage {
  stage: string;
  processingTime: number;
  holdingCost: number;
  demandSd: number | null;
  z: number;
  supplierServiceTime: number | null;
  maxServiceTime: number | null;
}

/** A published serial case as the function's arguments (stage 1 first). */
function argumentsOf(name: string) {
  const c = ref.published.find((p) => p.name === name)!;
  const stages = [...(c.stages as unknown as FixtureStage[])].sort((a, b) => Number(a.stage) - Number(b.stage));
  return {
    h: col(...stages.map((s) => s.holdingCost)),
    t: col(...stages.map((s) => s.processingTime)),
    sd: one(stages[0].demandSd),
    z: one(stages[0].z),
    inbound: one(stages[stages.length - 1].supplierServiceTime ?? 0),
    outbound: one(stages[0].maxServiceTime ?? 0),
    holding: stages.map((s) => s.holdingCost),
    serviceTime: c.serviceTime as Record<string, number>,
    cost: c.cost,
  };
}

describe("SEG.GSM_SERIAL against stockpyl's serial examples", () => {
  it("the issue's example (Snyder & Shen Example 6.3): S = 1, 0, 0; safety stock only at stage 3, √2; cost 2√2", () => {
    const out = gsmSerialCells(col(7, 4, 2), col(1, 0, 1), one(1), one(1), one(1), one(1));
    expect(out).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 2, Math.SQRT2],
    ]);
    const cost = [7, 4, 2].reduce((s, h, q) => s + h * (out[q][2] as number), 0);
    expect(cost).toBe(2.8284271247461903);
  });

  it.each(["example_6_3", "problem_6_7", "problem_6_8"])("%s: the published committed service times and cost", (name) => {
    const a = argumentsOf(name);
    const out = gsmSerialCells(a.h, a.t, a.sd, a.z, a.inbound, a.outbound);
    expect(out).toHaveLength(a.holding.length);
    expect(Object.fromEntries(out.map((r, q) => [String(q + 1), r[0]]))).toEqual(a.serviceTime);
    const cost = a.holding.reduce((s, h, q) => s + h * (out[q][2] as number), 0);
    if (name === "problem_6_8") expect(Math.abs(cost - a.cost)).toBeLessThan(0.05); // published to 1 decimal
    else expect(Math.abs(cost - a.cost) / a.cost).toBeLessThan(1e-12);
    // net lead time = inbound (the next stage's S, the supplier's at the last) + T - S
    out.forEach((r, q) => {
      const inbound = q + 1 < out.length ? (out[q + 1][0] as number) : (a.inbound[0][0] as number);
      expect(r[1]).toBe(Math.max(inbound, (r[0] as number) - (a.t[q][0] as number)) + (a.t[q][0] as number) - (r[0] as number));
    });
  });

  it("one row per stage whatever the input's shape: a row of holding costs spills the same rows", () => {
    expect(gsmSerialCells([[7, 4, 2]], [[1, 0, 1]], one(1), one(1), one(1), one(1))).toEqual(gsmSerialCells(col(7, 4, 2), col(1, 0, 1), one(1), one(1), one(1), one(1)));
  });

  it("omitted or blank inbound_st and outbound_st are 0: stage 1 serves from stock", () => {
    const omitted = gsmSerialCells(col(7, 4, 2), col(1, 0, 1), one(1), one(1));
    expect(gsmSerialCells(col(7, 4, 2), col(1, 0, 1), one(1), one(1), one(""), one(null))).toEqual(omitted);
    expect(gsmSerialCells(col(7, 4, 2), col(1, 0, 1), one(1), one(1), one(0), one(0))).toEqual(omitted);
    expect(omitted[0][0]).toBe(0);
    // the whole line's 2 periods are covered by the stages' net lead times
    expect(omitted.reduce((s, r) => s + (r[1] as number), 0)).toBe(2);
  });
});

describe("SEG.GSM_SERIAL errors", () => {
  it("a bad stage: #VALUE! in its row naming the argument, #N/A in the others saying which stage to fix", () => {
    const out = gsmSerialCells(col(7, -2, 2), col(1, 0, 1), one(1), one(1), one(1), one(1));
    expect(out.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(errorOf(out[1][0])).toEqual({ code: "#VALUE!", message: "row 2: holding_costs: must be a number >= 0, got -2" });
    expect(out[1].every((c) => errorOf(c).message === errorOf(out[1][0]).message)).toBe(true);
    for (const q of [0, 2]) expect(errorOf(out[q][1])).toEqual({ code: "#N/A", message: "not solved: fix stage 2 (row 2) first; every stage's service time depends on the others" });
  });

  it("text and fractional processing times", () => {
    const out = gsmSerialCells(col(7, 4, 2), col(1, "two", 1.5), one(1), one(1));
    expect(errorOf(out[1][0]).message).toBe('row 2: processing_times: text "two" is not a number');
    expect(errorOf(out[2][0]).message).toBe("row 3: processing_times: must be a whole number of periods, got 1.5; express the times in a shorter period (e.g. days)");
    expect(errorOf(out[0][0]).code).toBe("#N/A");
  });

  it("a wrong single-cell argument or mismatched columns: one #VALUE! naming it", () => {
    const single = (out: unknown[][]) => {
      expect(out).toHaveLength(1);
      expect(out[0]).toHaveLength(1);
      return errorOf(out[0][0]);
    };
    expect(single(gsmSerialCells(col(7, 4), col(1, 0, 1), one(1), one(1))).message).toBe(
      "processing_times: has 3 stages but holding_costs has 2; give one row per stage, stage 1 (serving the customers) first",
    );
    expect(single(gsmSerialCells(col(7, 4), col(1, 0), one(-1), one(1))).message).toBe("demand_sd: must be a number >= 0, got -1");
    expect(single(gsmSerialCells(col(7, 4), col(1, 0), one(1), one("high"))).message).toBe('z: text "high" is not a number');
    expect(single(gsmSerialCells(col(7, 4), col(1, 0), one(1), one(1), one(0.5))).message).toBe("inbound_st: must be a whole number of periods from 0 to 5000, got 0.5");
    expect(single(gsmSerialCells(col(7, 4), col(1, 0), one(1), one(1), null, one(-1))).message).toBe("outbound_st: must be a whole number of periods >= 0, got -1");
    expect(single(gsmSerialCells(col(7, 4), col(1, 0), col(1, 2), one(1))).message).toBe("demand_sd: expected a single cell, got 2 cells");
    expect(single(gsmSerialCells([[1, 2], [3, 4]], col(1, 0), one(1), one(1))).message).toBe("holding_costs: expected one column or one row, got 2 x 2");
  });

  it("a replenishment path too long for the dynamic program is reported with the formula's names", () => {
    const out = gsmSerialCells(col(1, 1), col(3000, 3000), one(1), one(1));
    expect(errorOf(out[0][0]).message).toMatch(/^processing_times: stage "1": the longest replenishment path to this stage is 6000 periods/);
  });
});

describe("GSM_SERIAL metadata (the JSDoc the build turns into functions.json)", () => {
  const source = fs.readFileSync(path.join(__dirname, "../../src/functions/gsm.ts"), "utf8");
  const result = parseTree(source, "gsm.ts");
  it("parses into one function with the issue's arguments, the last two optional", () => {
    expect(result.extras.flatMap((e) => e.errors)).toEqual([]);
    expect(result.functions.map((f) => f.id)).toEqual(["GSM_SERIAL"]);
    const f = result.functions[0];
    expect(f.parameters.map((p) => [p.name, p.dimensionality, Boolean(p.optional)])).toEqual([
      ["holding_costs", "matrix", false],
      ["processing_times", "matrix", false],
      ["demand_sd", "matrix", false],
      ["z", "matrix", false],
      ["inbound_st", "matrix", true],
      ["outbound_st", "matrix", true],
    ]);
    expect(f.result?.dimensionality).toBe("matrix");
    for (const p of f.parameters) expect((p.description ?? "").length).toBeGreaterThan(10);
  });
  it("is registered in functions.ts (one line), so the build lists it", () => {
    const registry = fs.readFileSync(path.join(__dirname, "../../src/functions/functions.ts"), "utf8");
    expect(registry.split("\n").filter((l) => l === 'import "./gsm";')).toHaveLength(1);
  });
});
