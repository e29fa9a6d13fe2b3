/* Snapshot identity (canonical JSON) and the diff between versions. */
import { canonicalJson, diffItems, snapshotContentHash } from "../../src/server/snapshots";
import type { SnapshotItem } from "../../src/server/storage/types";

describe("canonicalJson", () => {
  test("sorts keys at every depth and drops undefined, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  test("the content hash ignores key order but not values", () => {
    const a: SnapshotItem[] = [{ sku: "A", abc: "A", value: 1 }];
    const b = [{ value: 1, abc: "A", sku: "A" }] as SnapshotItem[];
    expect(snapshotContentHash({ x: 1, y: 2 }, a)).toBe(snapshotContentHash({ y: 2, x: 1 }, b));
    expect(snapshotContentHash({ x: 1 }, a)).not.toBe(snapshotContentHash({ x: 2 }, a));
    expect(snapshotContentHash({}, a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("diffItems", () => {
  test("added, removed, segment changes and other field changes, each sorted by SKU", () => {
    const from: SnapshotItem[] = [
      { sku: "Z", segment: "AX", safetyStock: 1 },
      { sku: "B", segment: "BY" },
      { sku: "A", segment: "CZ", reorderPoint: 5 },
      { sku: "gone", segment: null },
    ];
    const to: SnapshotItem[] = [
      { sku: "A", segment: "CZ", reorderPoint: 5 },
      { sku: "Z", segment: "AY", safetyStock: 2 },
      { sku: "B", segment: "BY", overridden: true },
      { sku: "new2", segment: "AX" },
      { sku: "new1" },
    ];
    expect(diffItems(from, to)).toEqual({
      added: [
        { sku: "new1", segment: null },
        { sku: "new2", segment: "AX" },
      ],
      removed: [{ sku: "gone", segment: null }],
      segmentChanged: [{ sku: "Z", from: "AX", to: "AY" }],
      otherChanged: [
        { sku: "B", fields: ["overridden"] },
        { sku: "Z", fields: ["safetyStock"] },
      ],
      unchanged: 1,
    });
  });

  test("a field missing on one side and null on the other is no change", () => {
    expect(diffItems([{ sku: "A", cv: null }], [{ sku: "A" }])).toMatchObject({ otherChanged: [], unchanged: 1 });
  });
});
