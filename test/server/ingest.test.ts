/* The append rules on their own (no database): batch shape, idempotency, links to the stored head. */
import { GENESIS_HASH } from "../../src/engine/audit";
import { checkBatch, planAppend, type KnownEntry } from "../../src/server/ingest";
import { chain } from "./helpers/chains";

const WB = "wb-1";
const none = new Map<string, KnownEntry>();
const knownOf = (es: { entryId: string; entryHash: string }[], wb = WB) =>
  new Map(es.map((e) => [e.entryId, { workbookId: wb, entryHash: e.entryHash }]));

describe("checkBatch", () => {
  test("accepts a contiguous run that starts anywhere in a chain", async () => {
    const es = await chain(WB, 6);
    expect(await checkBatch(WB, es)).toEqual({ ok: true });
    expect(await checkBatch(WB, es.slice(3))).toEqual({ ok: true });
  });

  test("names the first entry of another workbook (400), an edited entry and a gap (409)", async () => {
    const es = await chain(WB, 5);
    expect(await checkBatch("other", es)).toMatchObject({ ok: false, status: 400, index: 0, entryId: es[0].entryId });
    const edited = es.map((e, i) => (i === 2 ? { ...e, oldValue: "CZ" } : e));
    expect(await checkBatch(WB, edited)).toMatchObject({ ok: false, status: 409, index: 2, entryId: es[2].entryId });
    const gap = [es[0], es[1], es[3]];
    expect(await checkBatch(WB, gap)).toMatchObject({ ok: false, status: 409, index: 2, entryId: es[3].entryId });
  });
});

describe("planAppend", () => {
  test("a first batch links to genesis and is numbered from 1", async () => {
    const es = await chain(WB, 3);
    const plan = planAppend(WB, { entryCount: 0, lastHash: GENESIS_HASH }, none, es);
    expect(plan.insert.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(plan.outcome).toEqual({ kind: "ok", stored: es.map((e) => e.entryId), alreadyStored: [], entryCount: 3, lastHash: es[2].entryHash });
  });

  test("stored prefix is reported, the rest appended after the head", async () => {
    const es = await chain(WB, 5);
    const head = { entryCount: 3, lastHash: es[2].entryHash };
    const plan = planAppend(WB, head, knownOf(es.slice(0, 3)), es.slice(1));
    expect(plan.outcome).toMatchObject({ kind: "ok", alreadyStored: [es[1].entryId, es[2].entryId], stored: [es[3].entryId, es[4].entryId], entryCount: 5 });
    expect(plan.insert.map((x) => x.seq)).toEqual([4, 5]);
  });

  test("all known: nothing to insert, the head unchanged", async () => {
    const es = await chain(WB, 2);
    const plan = planAppend(WB, { entryCount: 2, lastHash: es[1].entryHash }, knownOf(es), es);
    expect(plan.insert).toEqual([]);
    expect(plan.outcome).toMatchObject({ kind: "ok", stored: [], entryCount: 2, lastHash: es[1].entryHash });
  });

  test("conflicts: same id with another hash or in another workbook; a link that misses the head", async () => {
    const es = await chain(WB, 3);
    const otherHash = new Map([[es[0].entryId, { workbookId: WB, entryHash: "f".repeat(64) }]]);
    expect(planAppend(WB, { entryCount: 1, lastHash: "f".repeat(64) }, otherHash, es).outcome).toMatchObject({
      kind: "conflict",
      index: 0,
      reason: expect.stringMatching(/different content/),
    });
    expect(planAppend(WB, { entryCount: 1, lastHash: es[0].entryHash }, knownOf([es[0]], "wb-2"), es).outcome).toMatchObject({
      kind: "conflict",
      index: 0,
    });
    // The trail already has 2 entries of another chain: es[0] does not link to its end.
    const other = await chain(WB, 2);
    expect(planAppend(WB, { entryCount: 2, lastHash: other[1].entryHash }, none, es).outcome).toMatchObject({
      kind: "conflict",
      index: 0,
      entryId: es[0].entryId,
      reason: expect.stringMatching(/stored entry #2/),
    });
  });

  test("a known entry after a new one is refused (out of order)", async () => {
    const es = await chain(WB, 2);
    // Only reachable with inconsistent data: es[1] claimed stored while es[0] is not.
    const plan = planAppend(WB, { entryCount: 0, lastHash: GENESIS_HASH }, knownOf([es[1]]), es);
    expect(plan.outcome).toMatchObject({ kind: "conflict", index: 1, reason: expect.stringMatching(/out of order/) });
    expect(plan.insert).toEqual([]);
  });
});
