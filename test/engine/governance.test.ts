/** Governance figures from hand-made inputs; every expected number is counted in the comments. */
import { governanceFigures, type GovernanceInput } from "../../src/engine/governance";
import { diffVersions, type SegmentationVersion } from "../../src/engine/versions";

const P = { abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1] };
const v = (mv: string, skus: string[], segs: string[]): SegmentationVersion => ({ modelVersion: mv, parameters: P, sku: skus, segment: segs, value: skus.map(() => 1) });

// run 1 -> 2: S1 AX stays, S2 AX -> BX, S3 BX stays, S4 BX stays      (AX 1 of 2 stay, BX 2 of 2)
// run 2 -> 3: S1 AX stays, S2 BX -> AX, S3 BX stays, S4 removed, S5 new (AX 1 of 1, BX 1 of 2 common)
const r1 = v("r1", ["S1", "S2", "S3", "S4"], ["AX", "AX", "BX", "BX"]);
const r2 = v("r2", ["S1", "S2", "S3", "S4"], ["AX", "BX", "BX", "BX"]);
const r3 = v("r3", ["S1", "S2", "S3", "S5"], ["AX", "AX", "BX", "CX"]);

const input: GovernanceInput = {
  now: "2026-11-25T12:00:00.000Z",
  runs: [
    { modelVersion: "r1", timestamp: "2026-09-01T00:00:00Z", skuCount: 4, rowsRead: 100, rejectedRows: 10, suspended: true, forcedThrough: true },
    { modelVersion: "r2", timestamp: "2026-10-01T00:00:00Z", skuCount: 4, rowsRead: 100, rejectedRows: 0, suspended: false, forcedThrough: false },
    { modelVersion: "r3", timestamp: "2026-11-01T00:00:00Z", skuCount: 4, rowsRead: 200, rejectedRows: 5, suspended: false, forcedThrough: false },
  ],
  diffs: [diffVersions(r1, r2), diffVersions(r2, r3)],
  latest: { sku: ["S1", "S2", "S3", "S5"], computedSegment: ["AX", "AX", "BX", "CX"] },
  overrides: [
    { sku: "S1", segment: "BX", computedAtSet: "AX", setAt: "2026-11-20T12:00:00Z" }, // 5 days
    { sku: "S2", segment: "CX", computedAtSet: "BX", setAt: "2026-06-01T00:00:00Z" }, // 177 days, now computed AX
    { sku: "S3", segment: "AX", computedAtSet: "BX", setAt: "2026-01-01T00:00:00Z", clearedAt: "2026-02-01T00:00:00Z" }, // cleared
    { sku: "S9", segment: "AX", computedAtSet: "CY", setAt: "2025-11-25T12:00:00Z" }, // 365 days, not in the latest run
  ],
  policy: {
    grid: [
      { segment: "AX", serviceLevel: 0.98, method: "csl", reviewPeriod: 0 },
      { segment: "BX", serviceLevel: 0.96, method: "csl", reviewPeriod: 1 },
      { segment: "CX", serviceLevel: 0.93, method: "csl", reviewPeriod: 4 },
    ],
    gridCells: 45,
    handEdits: 3,
    segment: ["AX", "AX", "BX", "CX", "CN"],
    serviceLevel: [0.98, 0.99, 0.96, 0.93, 0],
    method: ["csl", "csl", "csl", "fill", "csl"],
    reviewPeriod: [0, 0, 1, 4, 0],
  },
  reconciliations: [
    { modelVersion: "r2", timestamp: "2026-10-02T00:00:00Z", status: "unexplained" },
    { modelVersion: "r2", timestamp: "2026-10-03T00:00:00Z", status: "within tolerance", approvedBy: "finance", approvedAt: "2026-10-04T00:00:00Z" },
    { modelVersion: "r3", timestamp: "2026-11-02T00:00:00Z", status: "ties out" },
  ],
};
const g = governanceFigures(input);

describe("governanceFigures", () => {
  it("segment stability pooled over the runs, and churn per run", () => {
    expect(g.stability.runs.map((r) => [r.from, r.to, r.churn])).toEqual([
      ["r1", "r2", 0.25], // 1 of 4
      ["r2", "r3", 1 / 3], // S2 of S1, S2, S3
    ]);
    expect(g.stability.perSegment).toEqual([
      { segment: "AX", stayed: 2, total: 3, stability: 2 / 3 }, // (1 + 1) / (2 + 1)
      { segment: "BX", stayed: 3, total: 4, stability: 0.75 }, // (2 + 1) / (2 + 2): the removed S4 is not a common SKU
    ]);
    expect(g.stability.averageChurn).toBeCloseTo((0.25 + 1 / 3) / 2, 15);
  });

  it("open overrides by computed segment and age", () => {
    expect(g.overrides.ageBuckets).toEqual(["<= 30 days", "31-90 days", "91-180 days", "> 180 days"]);
    expect(g.overrides.perSegment).toEqual([
      { segment: "AX", skus: 2, open: 2, rate: 1, byAge: [1, 0, 1, 0], oldestDays: 177 }, // S1 (5 d), S2 (177 d)
      { segment: "BX", skus: 1, open: 0, rate: 0, byAge: [0, 0, 0, 0], oldestDays: null },
      { segment: "CX", skus: 1, open: 0, rate: 0, byAge: [0, 0, 0, 0], oldestDays: null },
      { segment: "CY", skus: 0, open: 1, rate: null, byAge: [0, 0, 0, 1], oldestDays: 365 }, // S9, segment when set
    ]);
    expect(g.overrides.total).toEqual({ skus: 4, open: 3, rate: 0.75, byAge: [1, 0, 1, 1], oldestDays: 365 });
  });

  it("policy adherence: off-grid SKUs and hand edits", () => {
    // AX #2 has 0.99 instead of 0.98; CX uses fill instead of csl; CN has no grid row
    expect(g.policy).toEqual({
      gridCells: 45,
      handEdits: 3,
      handEditShare: 3 / 45,
      skus: 5,
      withoutGridRow: 1,
      offGrid: 2,
      adherence: 0.5,
      perSegment: [
        { segment: "AX", skus: 2, offGrid: 1 },
        { segment: "BX", skus: 1, offGrid: 0 },
        { segment: "CX", skus: 1, offGrid: 1 },
      ],
    });
  });

  it("exception rates", () => {
    expect(g.exceptions).toMatchObject({ runs: 3, rejectedRowShare: 15 / 400, suspended: 1, suspendedShare: 1 / 3, forcedThrough: 1 });
    expect(g.exceptions.perRun[0].rejectedShare).toBe(0.1);
  });

  it("reconciliation status and approvals", () => {
    expect(g.reconciliation).toEqual({
      latest: input.reconciliations[2],
      reconciledRuns: 2,
      approvedRuns: 1,
      reconciledShare: 2 / 3,
      approvedShare: 1 / 3,
      awaitingApproval: 1, // r3
      byStatus: { "ties out": 1, "within tolerance": 1, unexplained: 0 }, // latest per run
      daysSinceLastApproval: 52, // 2026-10-04 to 2026-11-25 12:00
    });
  });
});
