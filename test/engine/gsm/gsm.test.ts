import fc from "fast-check";
import { ArgumentError } from "../../../src/engine/errors";
import { GsmStage } from "../../../src/engine/gsm/network";
import { gsmSerial, solveGsmSerial } from "../../../src/engine/gsm/serial";
import { evaluateGsm, GsmResult, solveGsmTree } from "../../../src/engine/gsm/tree";
import ref from "../../fixtures/gsm_reference.json";

// Reference values: test/fixtures/gsm_reference.json, written by test/fixtures/gen_gsm.py from
// stockpyl's published tests (LarrySnyder/stockpyl tests/test_gsm_serial.py, tests/test_gsm_tree.py,
// tests/test_gsm_helpers.py; Snyder & Shen Examples 6.3, 6.5, Problems 6.7-6.9, Figure 6.14) and an
// independent exhaustive search for small random trees and chains.

const stagesOf = (s: (typeof ref.published)[number]["stages"]) => s as unknown as GsmStage[];
const byStage = (r: GsmResult, col: ArrayLike<number>) => Object.fromEntries(r.stage.map((s, j) => [s, col[j]]));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe("stockpyl's published optima", () => {
  it.each(ref.published.map((c) => [c.name, c.model, c]))("%s (%s)", (_, model, c) => {
    const p = c as (typeof ref.published)[number];
    const solvers = model === "serial" ? [solveGsmSerial, solveGsmTree] : [solveGsmTree];
    for (const solve of solvers) {
      const r = solve(stagesOf(p.stages));
      if (p.name === "problem_6_8") expect(Math.abs(r.totalHoldingCostPerPeriod - p.cost)).toBeLessThan(0.05); // published to 1 decimal
      else expect(rel(r.totalHoldingCostPerPeriod, p.cost)).toBeLessThan(1e-12);
      expect(byStage(r, r.serviceTime)).toEqual(p.serviceTime);
    }
  });
  it("the issue's serial example: cost 2√2 = 2.8284271247461903, CST {1: 1, 2: 0, 3: 0}", () => {
    const r = solveGsmSerial(stagesOf(ref.published.find((c) => c.name === "example_6_3")!.stages));
    expect(r.totalHoldingCostPerPeriod).toBe(2.8284271247461903);
  });
});

describe("per-stage figures for given service times (stockpyl tests/test_gsm_helpers.py)", () => {
  it.each(ref.evaluations.map((e) => [e.name, e]))("%s", (_, e) => {
    const ev = e as (typeof ref.evaluations)[number];
    const stages = ev.stages as unknown as GsmStage[];
    const r = evaluateGsm(stages, stages.map((s) => (ev.serviceTime as Record<string, number>)[s.stage]));
    expect(rel(r.totalHoldingCostPerPeriod, ev.cost)).toBeLessThan(1e-12);
    for (const [k, v] of Object.entries(ev.safetyStock)) expect(byStage(r, r.safetyStock)[k]).toBeCloseTo(v, 10);
    for (const [k, v] of Object.entries(ev.baseStockLevel)) expect(byStage(r, r.baseStockLevel)[k]).toBeCloseTo(v, 9);
    if ("netLeadTime" in ev) expect(byStage(r, r.netLeadTime)).toEqual(ev.netLeadTime);
  });
});

describe("optimal against exhaustive search (random trees and chains)", () => {
  it.each(ref.bruteForce.map((c) => [c.name, c]))("%s", (_, c) => {
    const b = c as (typeof ref.bruteForce)[number];
    const stages = b.stages as unknown as GsmStage[];
    const r = solveGsmTree(stages);
    expect(rel(r.totalHoldingCostPerPeriod, b.cost)).toBeLessThan(1e-9);
    if (b.model === "serial") expect(rel(solveGsmSerial(stages).totalHoldingCostPerPeriod, b.cost)).toBeLessThan(1e-9);
    // the reported plan is consistent: re-evaluating its service times gives the same figures
    const again = evaluateGsm(stages, r.serviceTime);
    expect(rel(again.totalHoldingCostPerPeriod, r.totalHoldingCostPerPeriod)).toBeLessThan(1e-12);
    for (let j = 0; j < stages.length; j++) {
      expect(r.netLeadTime[j]).toBe(r.inboundServiceTime[j] + stages[j].processingTime - r.serviceTime[j]);
      expect(r.netLeadTime[j]).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("gsmSerial, the engine call of =SEG.GSM_SERIAL", () => {
  it("h = [7, 4, 2], T = [1, 0, 1], z = 1, sd = 1, inbound and outbound 1", () => {
    const r = gsmSerial({ holdingCost: [7, 4, 2], processingTime: [1, 0, 1], demandSd: 1, z: 1, supplierServiceTime: 1, maxServiceTime: 1 });
    expect(r.stage).toEqual(["1", "2", "3"]);
    expect(Array.from(r.serviceTime)).toEqual([1, 0, 0]);
    expect(Array.from(r.netLeadTime)).toEqual([0, 0, 2]);
    expect(Array.from(r.safetyStock)).toEqual([0, 0, Math.SQRT2]);
    expect(r.totalHoldingCostPerPeriod).toBe(2 * Math.SQRT2);
  });
  it("Problem 6.8 from its parameters (stockpyl test_problem_6_8_from_parameters)", () => {
    const r = gsmSerial({
      holdingCost: [5.73, 4.56, 3.04, 2.93, 2.47, 2.37, 1.15, 1.1, 0.98, 0.87],
      processingTime: [5, 10, 2, 15, 8, 5, 9, 5, 1, 5],
      demandSd: 15.8,
      z: 2.0537489106318225,
      supplierServiceTime: 7,
      maxServiceTime: 3,
    });
    expect(Math.abs(r.totalHoldingCostPerPeriod - 1378.31)).toBeLessThan(0.05);
    expect(Array.from(r.serviceTime)).toEqual([3, 10, 0, 28, 13, 5, 0, 18, 13, 12]);
  });
  it("defaults: inbound and outbound service time 0, mean 0; base stock = mean · NLT + SS", () => {
    const r = gsmSerial({ holdingCost: [2, 1], processingTime: [1, 2], demandSd: 3, z: 2, demandMean: 10 });
    expect(r.serviceTime[0]).toBe(0);
    for (let j = 0; j < 2; j++) expect(r.baseStockLevel[j]).toBeCloseTo(10 * r.netLeadTime[j] + r.safetyStock[j], 12);
    expect(r.netLeadTime[0] + r.netLeadTime[1]).toBe(3); // the whole chain's 3 periods are covered somewhere
  });
  it("demand sd 0: no safety stock anywhere", () => {
    const r = gsmSerial({ holdingCost: [1, 1], processingTime: [1, 1], demandSd: 0, z: 2 });
    expect(r.totalHoldingCostPerPeriod).toBe(0);
  });
  it("names the argument and the stage of a bad value", () => {
    const base = { holdingCost: [1, 2], processingTime: [1, 1], demandSd: 1, z: 1 };
    expect(() => gsmSerial({ ...base, holdingCost: [1, -2] })).toThrow(new ArgumentError("holdingCost", "stage 2: must be a number >= 0, got -2"));
    expect(() => gsmSerial({ ...base, processingTime: [1, 1.5] })).toThrow(new ArgumentError("processingTime", "stage 2: must be a whole number of periods >= 0, got 1.5"));
    expect(() => gsmSerial({ ...base, processingTime: [1] })).toThrow(new ArgumentError("processingTime", "has 1 stages but holdingCost has 2"));
    expect(() => gsmSerial({ ...base, demandSd: -1 })).toThrow(new ArgumentError("demandSd", "must be a number >= 0, got -1"));
    expect(() => gsmSerial({ ...base, maxServiceTime: 0.5 })).toThrow(new ArgumentError("maxServiceTime", "must be a whole number of periods >= 0, got 0.5"));
    expect(() => gsmSerial({ ...base, holdingCost: [] })).toThrow(ArgumentError);
  });
});

describe("network checks: one error naming the stage", () => {
  const st = (stage: string, downstream: string[] | string | null, extra: Partial<GsmStage> = {}): GsmStage => ({
    stage,
    downstream,
    processingTime: 1,
    holdingCost: 1,
    ...(downstream === null || downstream.length === 0 ? { demandMean: 10, demandSd: 2, z: 1.65 } : {}),
    ...extra,
  });
  const err = (stages: GsmStage[], model: "tree" | "serial" = "tree") => {
    try {
      (model === "tree" ? solveGsmTree : solveGsmSerial)(stages);
    } catch (e) {
      expect(e).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).argument).toBe("network");
      return (e as Error).message;
    }
    throw new Error("expected the network to be rejected");
  };
  it("a cycle", () => {
    expect(err([st("A", "B"), st("B", "C"), st("C", ["A", "D"]), st("D", null)])).toBe('network: stages "A" → "B" → "C" → "A" form a cycle; a stage cannot be (indirectly) its own supplier');
  });
  it("a stage whose two downstream stages meet again (not a tree)", () => {
    expect(err([st("Plant", ["DC1", "DC2"]), st("DC1", "Store"), st("DC2", "Store"), st("Store", null)])).toBe(
      'network: stage "Plant" supplies "DC1" and "DC2", whose flows meet again at stage "Store": the network must be a tree (one path between any two stages)',
    );
  });
  it("a stage with two downstream stages in the serial model", () => {
    expect(err([st("DC", ["S1", "S2"]), st("S1", null), st("S2", null)], "serial")).toBe(
      'network: stage "DC": has 2 downstream stages ("S1", "S2"); the serial model needs a chain, use the tree model',
    );
  });
  it("negative times and costs, fractional times", () => {
    expect(err([st("A", null, { processingTime: -1 })])).toBe('network: stage "A": processingTime must be a whole number of periods >= 0, got -1');
    expect(err([st("A", null, { processingTime: 2.5 })])).toMatch(/^network: stage "A": processingTime must be a whole number of periods, got 2.5/);
    expect(err([st("A", "B", { holdingCost: -3 }), st("B", null)])).toBe('network: stage "A": holdingCost must be a number >= 0, got -3');
    expect(err([st("A", null, { supplierServiceTime: -2 })])).toBe('network: stage "A": supplierServiceTime must be a whole number of periods >= 0, got -2');
    expect(err([st("A", null, { demandSd: -2 })])).toBe('network: stage "A": demandSd must be a number >= 0, got -2');
  });
  it("a stage without demand downstream", () => {
    expect(err([st("Plant", "DC"), { stage: "DC", downstream: null, processingTime: 1, holdingCost: 1, z: 2 }])).toBe(
      'network: stage "DC": has no downstream stage and no customer demand: give its demandMean and demandSd (0 for none), or link it to the stage it supplies',
    );
    expect(err([st("A", null, { demandSd: null })])).toBe('network: stage "A": demandSd is missing (its demandMean is given)');
    expect(err([st("A", null, { z: null })])).toBe('network: stage "A": z is missing: a stage that serves customers needs the safety factor of their service level');
  });
  it("unknown, repeated and self links", () => {
    expect(err([st("A", "X")])).toBe('network: stage "A": downstream stage "X" is not in the network');
    expect(err([st("A", null), st("A", null)])).toBe('network: stage "A": appears twice; give each stage one row with all its downstream stages');
    expect(err([st("A", "A")])).toBe('network: stage "A": lists itself as its downstream stage');
    expect(err([])).toBe("network: there are no stages");
  });
});

describe("conventions", () => {
  it("an internal stage without z takes the largest z of the customer stages it serves", () => {
    const r = solveGsmTree([
      { stage: "DC", downstream: ["North", "South"], processingTime: 2, holdingCost: 1 },
      { stage: "North", processingTime: 1, holdingCost: 2, demandMean: 10, demandSd: 3, z: 1.28 },
      { stage: "South", processingTime: 1, holdingCost: 2, demandMean: 20, demandSd: 4, z: 2.05 },
    ]);
    expect(Array.from(r.z)).toEqual([2.05, 1.28, 2.05]);
    expect(r.netDemandMean[0]).toBe(30);
    expect(r.netDemandSd[0]).toBe(5); // sqrt(3^2 + 4^2)
  });
  it("a forest is solved tree by tree", () => {
    const one = (p: string): GsmStage[] => [
      { stage: `${p}1`, downstream: `${p}2`, processingTime: 3, holdingCost: 1 },
      { stage: `${p}2`, processingTime: 1, holdingCost: 3, demandMean: 5, demandSd: 2, z: 1.65 },
    ];
    const a = solveGsmTree(one("a"));
    const both = solveGsmTree([...one("a"), ...one("b")]);
    expect(both.totalHoldingCostPerPeriod).toBeCloseTo(2 * a.totalHoldingCostPerPeriod, 12);
  });
  it("evaluateGsm rejects a service time the stage cannot keep", () => {
    const s: GsmStage[] = [
      { stage: "A", downstream: "B", processingTime: 1, holdingCost: 1 },
      { stage: "B", processingTime: 1, holdingCost: 1, demandMean: 1, demandSd: 1, z: 1, maxServiceTime: 5 },
    ];
    expect(() => evaluateGsm(s, [0, 3])).toThrow('serviceTime: stage "B": service time 3 is more than its inbound service time 0 plus processing time 1 (a negative net lead time)');
    expect(() => evaluateGsm(s, [0, 6])).toThrow('serviceTime: stage "B": 6 exceeds its maxServiceTime 5');
  });
});

describe("properties", () => {
  const chain = fc.array(fc.record({ T: fc.integer({ min: 0, max: 4 }), h: fc.double({ min: 0, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 8 });
  it("the serial DP and the tree DP agree on chains", () => {
    fc.assert(
      fc.property(chain, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.double({ min: 0.1, max: 3, noNaN: true }), (stages, si, smax, z) => {
        const input = { holdingCost: stages.map((s) => s.h), processingTime: stages.map((s) => s.T), demandSd: 2, z, supplierServiceTime: si, maxServiceTime: smax };
        const serial = gsmSerial(input);
        const list: GsmStage[] = stages.map((s, q) => ({
          stage: String(q + 1),
          downstream: q === 0 ? null : String(q),
          processingTime: s.T,
          holdingCost: s.h,
          demandMean: q === 0 ? 0 : null,
          demandSd: q === 0 ? 2 : null,
          z,
          supplierServiceTime: q === stages.length - 1 ? si : null,
          maxServiceTime: q === 0 ? smax : null,
        }));
        const tree = solveGsmTree(list);
        expect(rel(tree.totalHoldingCostPerPeriod, serial.totalHoldingCostPerPeriod)).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });
  it("no feasible plan costs less than the optimum", () => {
    const f = ref.published.find((c) => c.name === "figure_6_14")!;
    const stages = stagesOf(f.stages);
    const opt = solveGsmTree(stages).totalHoldingCostPerPeriod;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 10, maxLength: 10 }), (raw) => {
        // clamp the random service times to a feasible plan; stages 1..10 are listed upstream first
        const S: number[] = [];
        stages.forEach((s, j) => {
          let si = s.supplierServiceTime ?? 0;
          stages.forEach((u, i) => {
            if (i < j && (u.downstream as string[]).includes(s.stage)) si = Math.max(si, S[i]);
          });
          S.push(Math.min(raw[j], si + s.processingTime, s.maxServiceTime ?? Infinity));
        });
        expect(evaluateGsm(stages, S).totalHoldingCostPerPeriod).toBeGreaterThanOrEqual(opt * (1 - 1e-12));
      }),
      { numRuns: 500 },
    );
  });
});
