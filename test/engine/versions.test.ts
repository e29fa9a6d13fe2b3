/** Version diff: hand-checked migration matrix, churn and the reason of every mover. */
import { NEW_ROW, REMOVED_COLUMN, abcClassOf, diffVersions, parameterChanges, xyzClassOf, type SegmentationVersion } from "../../src/engine/versions";

const P = { abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1.0] };

function version(mv: string, rows: [string, string, number, number, number, string?, number?][], parameters = P): SegmentationVersion {
  return {
    modelVersion: mv,
    parameters,
    sku: rows.map((r) => r[0]),
    segment: rows.map((r) => r[1]),
    computedSegment: rows.map((r) => r[5] ?? r[1]),
    value: rows.map((r) => r[2]),
    cumShare: rows.map((r) => r[3]),
    cv: rows.map((r) => r[4]),
    pinned: rows.map((r) => r[6] ?? 0),
  };
}

describe("class functions (abc.ts / xyz.ts conventions)", () => {
  it("share on the cut-off is in the class; cv NaN is N", () => {
    expect(abcClassOf(0.8, [0.8, 0.95], ["A", "B", "C"])).toBe("A");
    expect(abcClassOf(0.8 + 1e-14, [0.8, 0.95], ["A", "B", "C"])).toBe("A"); // 1e-12 relative tolerance
    expect(abcClassOf(0.80001, [0.8, 0.95], ["A", "B", "C"])).toBe("B");
    expect(abcClassOf(0.99, [0.8, 0.95], ["A", "B", "C"])).toBe("C");
    expect(xyzClassOf(0.5, [0.5, 1], ["X", "Y", "Z"])).toBe("X");
    expect(xyzClassOf(1.2, [0.5, 1], ["X", "Y", "Z"])).toBe("Z");
    expect(xyzClassOf(Number.NaN, [0.5, 1], ["X", "Y", "Z"])).toBe("N");
  });
});

describe("diffVersions, same parameters", () => {
  // sku, planned, value, cumShare, cv, computed, pinned
  const v1 = version("v1", [
    ["S1", "AX", 500, 0.3, 0.2],
    ["S2", "AX", 100, 0.78, 0.3],
    ["S3", "BY", 50, 0.85, 0.7],
    ["S4", "CZ", 20, 0.97, 1.5],
    ["S5", "CX", 5, 0.99, 0.1],
  ]);
  const v2 = version("v2", [
    ["S1", "AX", 520, 0.31, 0.2],
    ["S2", "BX", 90, 0.83, 0.3], // cumShare crossed 0.8: data
    ["S3", "AY", 50, 0.85, 0.7, "BY"], // computed unchanged, planned AY: override
    ["S4", "AZ", 20, 0.97, 1.5, "AZ", 1], // pin set: rule
    ["S6", "BX", 40, 0.9, 0.4], // new
  ]);
  const d = diffVersions(v1, v2);

  it("migration matrix with new and removed SKUs", () => {
    expect(d.matrix.from).toEqual(["AX", "BY", "CX", "CZ", NEW_ROW]);
    expect(d.matrix.to).toEqual(["AX", "AY", "AZ", "BX", REMOVED_COLUMN]);
    expect(d.matrix.count).toEqual([
      [1, 0, 0, 1, 0], // AX: S1 stays, S2 -> BX
      [0, 1, 0, 0, 0], // BY -> AY (S3)
      [0, 0, 0, 0, 1], // CX: S5 removed
      [0, 0, 1, 0, 0], // CZ -> AZ (S4)
      [0, 0, 0, 1, 0], // new S6 in BX
    ]);
    expect(d.matrix.valueFrom[0]).toEqual([500, 0, 0, 100, 0]);
    expect(d.matrix.valueTo[0]).toEqual([520, 0, 0, 90, 0]);
    expect(d.matrix.valueTo[4]).toEqual([0, 0, 0, 40, 0]);
    expect(d.matrix.valueFrom[2]).toEqual([0, 0, 0, 0, 5]);
  });

  it("ABC migration view", () => {
    expect(d.abcMatrix.from).toEqual(["A", "B", "C", NEW_ROW]);
    expect(d.abcMatrix.to).toEqual(["A", "B", REMOVED_COLUMN]);
    expect(d.abcMatrix.count).toEqual([
      [1, 1, 0],
      [1, 0, 0],
      [1, 0, 1],
      [0, 1, 0],
    ]);
  });

  it("churn: 3 of 4 common SKUs moved; value churn (90 + 50 + 20) / 680", () => {
    expect([d.common, d.moved, d.added, d.removed]).toEqual([4, 3, 1, 1]);
    expect(d.churn).toBe(0.75);
    expect(d.valueChurn).toBeCloseTo(160 / 680, 15);
  });

  it("the reason of each mover", () => {
    expect(d.movers.map((m) => [m.sku, m.from, m.to, m.reason])).toEqual([
      ["S2", "AX", "BX", "data"],
      ["S3", "BY", "AY", "override"],
      ["S4", "CZ", "AZ", "rule"],
    ]);
    expect(d.movers[0].detail).toBe("cumShare 0.78 -> 0.83 (A -> B)");
    expect(d.movers[1].detail).toBe("override set to AY (computed BY)");
    expect(d.movers[2].detail).toBe("pin set");
    expect(d.reasons.data).toEqual({ count: 1, value: 90 });
    expect(d.parameterChanges).toEqual([]);
  });

  it("per-segment counts and value in both versions", () => {
    const bx = d.perSegment.find((p) => p.segment === "BX")!;
    expect(bx).toEqual({ segment: "BX", skusFrom: 0, skusTo: 2, valueFrom: 0, valueTo: 130 });
  });

  it("matman-style filters narrow the movers list only", () => {
    const f = diffVersions(v1, v2, { filter: { abcChanged: true, minValueDiff: 5 } });
    expect(f.movers.map((m) => m.sku)).toEqual(["S2"]); // S3 and S4 have equal values
    expect(f.moved).toBe(3);
  });
});

describe("diffVersions, cut-offs changed", () => {
  const v1 = version("v1", [
    ["S7", "BX", 10, 0.82, 0.2], // 0.82 > 0.8: B
    ["S8", "AX", 10, 0.7, 0.2],
    ["S9", "AY", 10, 0.5, 0.8],
  ]);
  const P2 = { abcCutoffs: [0.85, 0.95], xyzCutoffs: [0.5, 1.0] };
  const v2 = version(
    "v2",
    [
      ["S7", "AX", 10, 0.82, 0.2], // A under 0.85; under the old 0.8 still B: threshold
      ["S8", "BX", 10, 0.9, 0.2], // 0.9: B under both: data
      ["S9", "AY", 10, 0.5, 0.8],
    ],
    P2,
  );
  it("threshold when the old cut-offs would keep the old segment, else data", () => {
    const d = diffVersions(v1, v2);
    expect(d.movers.map((m) => [m.sku, m.reason])).toEqual([
      ["S7", "threshold"],
      ["S8", "data"],
    ]);
    expect(d.parameterChanges).toEqual([{ path: "abcCutoffs", from: "[0.8,0.95]", to: "[0.85,0.95]" }]);
  });
  it("unknown without the newer inputs", () => {
    const d = diffVersions(v1, { ...v2, cumShare: undefined, cv: undefined });
    expect(d.movers.map((m) => m.reason)).toEqual(["unknown", "unknown"]);
  });
  it("rule when the rule parameters changed", () => {
    const d = diffVersions({ ...v1, parameters: { ...P, rules: { sdType: "population" } } }, { ...v2, parameters: { ...P, rules: { sdType: "sample" } } });
    expect(d.movers.map((m) => [m.reason, m.detail])).toEqual([
      ["rule", "rules changed: sdType"],
      ["rule", "rules changed: sdType"],
    ]);
  });
  it("parameterChanges flattens nested parameters", () => {
    expect(parameterChanges({ ...P, rules: { outliers: { enabled: false, halfWidth: 3 } } }, { ...P, rules: { outliers: { enabled: true, halfWidth: 3 } } })).toEqual([{ path: "rules.outliers.enabled", from: "false", to: "true" }]);
  });
});
