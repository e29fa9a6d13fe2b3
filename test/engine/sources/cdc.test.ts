import fc from "fast-check";
import { applyChanges, changedSince, compact, emptyCdcState, materialise, type Change } from "../../../src/engine/cdc";

const dem = (changeId: string, watermark: number, sku: string, period: string, value: number | null): Change => ({ changeId, watermark, sku, kind: "demand", period, value });

describe("CDC rules", () => {
  test("duplicates, out-of-order, conflicts and versions", () => {
    const s = emptyCdcState();
    const b1 = applyChanges(s, [dem("c1", 10, "A", "2024-W01", 5), dem("c2", 11, "B", "2024-W01", 3)]);
    expect(b1).toMatchObject({ version: 1, applied: 2, changedSkus: ["A", "B"] });
    // replayed batch: nothing changes, version stays
    const again = applyChanges(s, [dem("c1", 10, "A", "2024-W01", 5), dem("c2", 11, "B", "2024-W01", 3)]);
    expect(again).toMatchObject({ version: 1, applied: 0, duplicates: 2, changedSkus: [] });
    // a late change older than what the cell holds is superseded
    const late = applyChanges(s, [dem("c0", 9, "A", "2024-W01", 99), dem("c3", 12, "A", "2024-W02", 4)]);
    expect(late).toMatchObject({ version: 2, applied: 1, superseded: 1, changedSkus: ["A"] });
    expect(materialise(s, ["2024-W01", "2024-W02"]).history).toEqual(Float64Array.from([5, 4, 3, 0]));
    // the same id with other content is a conflict
    const conflict = applyChanges(s, [dem("c1", 10, "A", "2024-W01", 6)]);
    expect(conflict.rejected[0].message).toBe("change 0 (c1): this change id was already applied with other content; a change id may not be reused");
    // writing the value a cell already has is no input change
    const same = applyChanges(s, [dem("c4", 20, "B", "2024-W01", 3)]);
    expect(same).toMatchObject({ version: 2, applied: 1, unchanged: 1, changedSkus: [] });
    expect(changedSince(s, 1)).toEqual(["A"]);
    expect(changedSince(s, 0)).toEqual(["A", "B"]);
    expect(changedSince(s, 2)).toEqual([]);
  });
  test("equal watermarks: the greater change id wins whatever the order", () => {
    const a = emptyCdcState();
    applyChanges(a, [dem("x", 5, "A", "P1", 1), dem("y", 5, "A", "P1", 2)]);
    const b = emptyCdcState();
    applyChanges(b, [dem("y", 5, "A", "P1", 2), dem("x", 5, "A", "P1", 1)]);
    expect(materialise(a, ["P1"]).history[0]).toBe(2);
    expect(materialise(b, ["P1"]).history[0]).toBe(2);
  });
  test("compaction: unknown changes at or below the compacted watermark are replays", () => {
    const s = emptyCdcState();
    applyChanges(s, [dem("c1", 10, "A", "P1", 5), dem("c2", 20, "A", "P2", 6)]);
    expect(compact(s, 15)).toBe(1);
    const r = applyChanges(s, [dem("c1", 10, "A", "P1", 5), dem("c9", 14, "A", "P1", 7), dem("c2", 20, "A", "P2", 6)]);
    expect(r).toMatchObject({ replayed: 2, duplicates: 1, applied: 0 });
  });
  test("bad changes are rejected naming the field; attributes materialise as columns; null clears", () => {
    const s = emptyCdcState();
    const r = applyChanges(s, [
      { changeId: "", watermark: 1, sku: "A", kind: "demand", period: "P1", value: 1 },
      { changeId: "a", watermark: Number.NaN, sku: "A", kind: "demand", period: "P1", value: 1 },
      { changeId: "b", watermark: 1, sku: "A", kind: "demand", period: "P1", value: -2 },
      { changeId: "c", watermark: 1, sku: "A", kind: "attribute", value: "x" },
      { changeId: "d", watermark: 1, sku: "A", kind: "attribute", field: "family", value: "Pumps" },
      { changeId: "e", watermark: 1, sku: "A", kind: "demand", period: "P9", value: 3 },
    ]);
    expect(r.rejected.map((x) => x.message)).toEqual([
      "change 0: changeId: required",
      "change 1 (a): watermark: must be a finite number, got NaN",
      "change 2 (b): value: a demand quantity must be a number >= 0 or null, got -2",
      "change 3 (c): field: an attribute change needs a field name",
    ]);
    applyChanges(s, [dem("f", 2, "A", "P1", 4)]);
    let m = materialise(s, ["P1"]);
    expect(m.attributes.get("family")).toEqual(["Pumps"]);
    expect(m.outsidePeriods).toBe(1);
    expect(m.history[0]).toBe(4);
    applyChanges(s, [dem("g", 3, "A", "P1", null)]);
    m = materialise(s, ["P1"]);
    expect(m.history[0]).toBe(0);
  });
  test("property: any arrival order, with duplicates and replays, materialises the same inputs", () => {
    const change = fc.record({
      watermark: fc.integer({ min: 1, max: 30 }),
      sku: fc.constantFrom("A", "B", "C"),
      period: fc.constantFrom("P1", "P2"),
      value: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 25 }), fc.integer(), fc.integer({ min: 1, max: 4 }), (raw, seed, batches) => {
        const changes = raw.map((c, i) => dem(`id${i}`, c.watermark, c.sku, c.period, c.value));
        const ordered = emptyCdcState();
        applyChanges(ordered, [...changes].sort((a, b) => a.watermark - b.watermark || (a.changeId < b.changeId ? -1 : 1)));
        // shuffled copy with every change sent twice, in several batches
        let x = seed >>> 0;
        const noisy = [...changes, ...changes]
          .map((c) => {
            x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
            return [x, c] as const;
          })
          .sort((a, b) => a[0] - b[0])
          .map(([, c]) => c);
        const s = emptyCdcState();
        const size = Math.ceil(noisy.length / batches);
        for (let k = 0; k < noisy.length; k += size) applyChanges(s, noisy.slice(k, k + size));
        const periods = ["P1", "P2"];
        const skus = ["A", "B", "C"];
        expect(materialise(s, periods, skus).history).toEqual(materialise(ordered, periods, skus).history);
      }),
      { numRuns: 300 },
    );
  });
});
