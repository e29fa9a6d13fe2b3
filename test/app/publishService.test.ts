/**
 * Publishing a written run as a segmentation snapshot: the pure mapping from the pane's results,
 * and the round trip through the real server (publish, read back, publish again, conflict).
 */
import { SegApiClient } from "../../src/client";
import { createInlineRunner } from "../../src/app/engineRunner";
import type { OverrideMap } from "../../src/app/overrides";
import { buildSnapshot, PublishService, snapshotOfWrite, snapshotParameters, type PublishStatus, type WrittenRun } from "../../src/app/publishService";
import { overrideVersion } from "../../src/app/publishing";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { PaneSession } from "../../src/app/session";
import { createPane } from "../helpers/pane";
import { SKU_POLICY_TABLE } from "../../src/app/sheets";
import { MemoryGateway } from "../helpers/memoryGateway";
import { startTestServer, type TestServer } from "../client/helpers/server";
import { EXPECTED_SEGMENTS, sampleSheet, SHEET_ORDER } from "./sampleData";

/** Classifies and writes the sample sheet through the pane's own session; returns what a publish needs. */
async function writtenRun(): Promise<{ gw: MemoryGateway; session: PaneSession; written: WrittenRun }> {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({
    gateway: gw,
    runner: createInlineRunner(),
    now: () => new Date((t += 1000)),
    uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}`,
  });
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  const s = session.getState();
  expect(s.common.error).toBeNull();
  const current = session.getState().steps.classify.run!;
  const written: WrittenRun = {
    workbookId: await session.audit.workbookId(),
    run: current,
    outcome: s.steps.write.lastWrite!,
    overrides: session.services.overrides.all(),
    policyOptions: s.steps.write.lastWrite!.policyOptions,
  };
  return { gw, session, written };
}

function sheetRows(gw: MemoryGateway, table: string): Record<string, unknown>[] {
  const t = gw.table(table)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

describe("buildSnapshot", () => {
  test("parameters are exactly those the classify-run audit entry records for the model version", async () => {
    const { gw, written } = await writtenRun();
    const entry = gw.auditRows.find((r) => r.action === "classify-run" && r.modelVersion === written.outcome.modelVersion)!;
    expect(snapshotParameters(written.run, written.outcome.grid, written.policyOptions)).toEqual(JSON.parse(entry.newValue));
  });

  test("one item per SKU in rank order, with its segment, classification and the Policy sheet's values", async () => {
    const { gw, written } = await writtenRun();
    const snap = snapshotOfWrite(written);
    expect(snap.modelVersion).toBe(written.outcome.modelVersion);
    expect(snap.items.map((i) => i.sku)).toEqual(SHEET_ORDER);
    // segments worked out by hand in sampleData.ts; the inactive S07 has none: null
    for (const item of snap.items) {
      const expected = EXPECTED_SEGMENTS[item.sku];
      expect(item.segment).toBe(expected === "" ? null : expected);
      expect(item.abc).toBe(expected === "" ? null : expected[0]);
      expect(item.xyz).toBe(expected === "" ? null : expected[1]);
      expect(item.overridden).toBe(false);
    }
    const s01 = snap.items[0];
    // AX: csl 0.98, continuous review, lead time 2, sd 0 => safety stock 0, ROP = 10 × 2, EOQ = sqrt(2 × 520 × 50 / (0.25 × 5))
    expect(s01).toMatchObject({ value: 500, cumShare: 0.5, cv: 0, demandMean: 10, demandSd: 0, serviceLevel: 0.98, leadTime: 2, safetyStock: 0, reorderPoint: 20, error: null });
    expect(s01.orderQty).toBe(Math.ceil(Math.sqrt((2 * 520 * 50) / 1.25)));
    expect(s01.pattern).toBe("smooth");
    // fill-rate segments (…Z) carry no cycle service level
    expect(snap.items.find((i) => i.sku === "S04")!.serviceLevel).toBeNull();
    expect(snap.items.find((i) => i.sku === "S02")!.serviceLevel).toBe(0.97);
    // S07 has no demand: inactive, CV undefined, nothing to stock
    expect(snap.items.find((i) => i.sku === "S07")).toMatchObject({ cv: null, segment: null, safetyStock: 0, reorderPoint: 0 });
    // every policy figure equals the Policy sheet's per-SKU table
    const sheet = new Map(sheetRows(gw, SKU_POLICY_TABLE).map((r) => [r.SKU, r]));
    for (const item of snap.items) {
      const row = sheet.get(item.sku)!;
      expect([item.safetyStock, item.reorderPoint, item.orderQty, item.leadTime]).toEqual([row["Safety stock"], row["Reorder point"], row["Order quantity"], row["Lead time"]]);
    }
    // the whole thing is plain JSON (no NaN, no typed arrays)
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  test("an override: the planned segment, flagged, with that segment's policy", async () => {
    const { written } = await writtenRun();
    const overrides: OverrideMap = {
      S03: { sku: "S03", segment: "AX", reason: "strategic", computedAtSet: "BX", user: "Alice", timestamp: "2026-11-25T10:00:00.000Z" },
    };
    const snap = snapshotOfWrite({ ...written, overrides });
    const s03 = snap.items.find((i) => i.sku === "S03")!;
    expect(s03).toMatchObject({ segment: "AX", abc: "B", xyz: "X", overridden: true, serviceLevel: 0.98 });
  });

  test("a SKU longer than the server accepts is named", async () => {
    const { written } = await writtenRun();
    const parsed = { ...written.run.parsed, sku: written.run.parsed.sku.map((s, i) => (i === 4 ? "X".repeat(300) : s)) };
    expect(() =>
      buildSnapshot({
        modelVersion: "m",
        parameters: {},
        parsed,
        result: written.run.result,
        overrides: {},
        grid: written.outcome.grid,
        policyOptions: written.policyOptions,
      }),
    ).toThrow(/^SKU "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX…" \(sheet row 6\) is longer than the 256 characters the server accepts\.$/);
  });
});

describe("publishing to the real server", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.cleanup();
  });

  async function service(token: string | null, extra: { fetch?: typeof fetch } = {}) {
    const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
    if (token) await settings.save({ url: server.base, token });
    return new PublishService({ settings, backoff: { baseMs: 5, maxMs: 20 }, ...extra });
  }

  test("published, readable as latest with the same items and parameters; publishing again changes nothing", async () => {
    const { written } = await writtenRun();
    const pub = await service(server.tokens.planner);
    const seen: PublishStatus["kind"][] = [];
    pub.subscribe(() => seen.push(pub.status().kind));
    const first = await pub.publishWrite(written);
    expect(first).toEqual({ kind: "published", modelVersion: written.outcome.modelVersion, created: true, seq: 1, items: 10 });
    expect(seen).toEqual(["publishing", "published"]);

    const reader = new SegApiClient({ baseUrl: server.base, token: server.tokens.controller });
    const latest = await reader.getSnapshot(written.workbookId, "latest");
    const sent = snapshotOfWrite(written);
    expect(latest.snapshot).toMatchObject({ modelVersion: written.outcome.modelVersion, itemCount: 10, publishedBy: "alice", seq: 1 });
    expect(latest.parameters).toEqual(sent.parameters);
    expect(latest.items.map((i) => [i.sku, i.segment, i.safetyStock, i.reorderPoint])).toEqual(sent.items.map((i) => [i.sku, i.segment, i.safetyStock, i.reorderPoint]));

    const again = await pub.publishWrite(written);
    expect(again).toEqual({ kind: "published", modelVersion: written.outcome.modelVersion, created: false, seq: 1, items: 10 });
    expect(await reader.listSnapshots(written.workbookId)).toHaveLength(1);
  });

  test("the same model version with other content: an error that says to write again", async () => {
    const { written } = await writtenRun();
    const pub = await service(server.tokens.planner);
    await pub.publishWrite(written);
    const changed = await pub.publishWrite({
      ...written,
      overrides: { S05: { sku: "S05", segment: "AX", reason: "r", computedAtSet: "CX", user: "A", timestamp: "2026-11-25T10:00:00.000Z" } },
    });
    expect(changed.kind).toBe("error");
    expect(changed.kind === "error" && changed.message).toMatch(
      /^The server refused it: modelVersion "[^"]+" of workbook "[^"]+" was already published with different content \(at .*\); publish under a new modelVersion\. Write again \(a new model version\) to publish the current state\.$/,
    );
  });

  test("no server configured: nothing sent, the status says so", async () => {
    const { written } = await writtenRun();
    let calls = 0;
    const pub = await service(null, { fetch: (async () => (calls++, new Response())) as unknown as typeof fetch });
    const s = await pub.publishWrite(written);
    expect(s).toEqual({ kind: "not-configured", modelVersion: written.outcome.modelVersion });
    expect(calls).toBe(0);
  });

  test("a 503 and a lost connection are retried; a wrong token is not", async () => {
    const { written } = await writtenRun();
    let calls = 0;
    const flaky = (async (input: string, init?: RequestInit) => {
      calls++;
      if (calls === 1) return new Response(JSON.stringify({ type: "urn:seg:problem:not-ready", title: "Not ready", status: 503, detail: "starting" }), { status: 503, headers: { "content-type": "application/problem+json" } });
      if (calls === 2) throw new TypeError("fetch failed");
      return fetch(input, init);
    }) as unknown as typeof fetch;
    const pub = await service(server.tokens.planner, { fetch: flaky });
    const attempts: number[] = [];
    pub.subscribe(() => {
      const s = pub.status();
      if (s.kind === "publishing") attempts.push(s.attempt);
    });
    expect((await pub.publishWrite(written)).kind).toBe("published");
    expect(attempts).toEqual([1, 2, 3]);

    const wrong = await service("seg_wrong");
    const s = await wrong.publishWrite(written);
    expect(s.kind === "error" && s.message).toMatch(/does not accept the token: the bearer token is not recognised/);
  });
});

describe("override revisions", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.cleanup();
  });

  const s03ToAx: OverrideMap = { S03: { sku: "S03", segment: "AX", reason: "strategic", computedAtSet: "BX", user: "A", timestamp: "2026-11-25T10:00:00.000Z" } };

  async function diff(workbookId: string, to: string, from: string) {
    const url = `${server.base}/api/v1/workbooks/${encodeURIComponent(workbookId)}/snapshots/${encodeURIComponent(to)}/diff?from=${encodeURIComponent(from)}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${server.tokens.controller}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { segmentChanged: { sku: string; from: string; to: string }[]; added: unknown[]; removed: unknown[] };
  }

  test("published under <mv>+o1 beside the Write's snapshot (no conflict); the diff names the overridden SKU", async () => {
    const { written } = await writtenRun();
    const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
    await settings.save({ url: server.base, token: server.tokens.planner });
    const pub = new PublishService({ settings, backoff: { baseMs: 5, maxMs: 20 } });
    const mv = written.outcome.modelVersion;
    expect((await pub.publishWrite(written)).kind).toBe("published");
    const rev = await pub.publishWrite({ ...written, overrides: s03ToAx, modelVersion: overrideVersion(mv, 1) });
    expect(rev).toEqual({ kind: "published", modelVersion: `${mv}+o1`, created: true, seq: 2, items: 10 });
    const reader = new SegApiClient({ baseUrl: server.base, token: server.tokens.controller });
    expect((await reader.listSnapshots(written.workbookId)).map((s) => s.modelVersion)).toEqual([mv, `${mv}+o1`]);
    const d = await diff(written.workbookId, `${mv}+o1`, mv);
    expect(d.segmentChanged).toEqual([{ sku: "S03", from: "BX", to: "AX" }]);
    expect([d.added, d.removed]).toEqual([[], []]);
    expect(() => overrideVersion(mv, 0)).toThrow(/whole number from 1/);
  });

  test("revisions waiting their turn: only the newest is sent; a Write's own snapshot is never skipped", async () => {
    const { written } = await writtenRun();
    const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
    await settings.save({ url: server.base, token: server.tokens.planner });
    const sent: string[] = [];
    let release!: () => void;
    let hold: Promise<void> | null = new Promise<void>((r) => (release = r));
    const gated = (async (input: string, init?: RequestInit) => {
      if (init?.method === "POST") sent.push((JSON.parse(String(init.body)) as { modelVersion: string }).modelVersion);
      if (hold) {
        const h = hold;
        hold = null;
        await h; // the first request waits until the test has queued the others
      }
      return fetch(input, init);
    }) as unknown as typeof fetch;
    const pub = new PublishService({ settings, fetch: gated, backoff: { baseMs: 5, maxMs: 20 } });
    const mv = written.outcome.modelVersion;
    const other = { ...written.outcome, modelVersion: `${mv}-second` };
    const first = pub.publishWrite(written);
    await new Promise((r) => setTimeout(r, 20)); // the first is in flight, held
    const o1 = pub.publishWrite({ ...written, overrides: s03ToAx, modelVersion: `${mv}+o1` });
    const o2 = pub.publishWrite({ ...written, overrides: {}, modelVersion: `${mv}+o2` });
    const o3 = pub.publishWrite({ ...written, overrides: s03ToAx, modelVersion: `${mv}+o3` });
    const second = pub.publishWrite({ ...written, outcome: other }); // another Write: queued, not merged
    const s1 = pub.publishWrite({ ...written, outcome: other, overrides: s03ToAx, modelVersion: `${mv}-second+o1` });
    release();
    const results = await Promise.all([first, o1, o2, o3, second, s1]);
    expect(sent).toEqual([mv, `${mv}+o3`, `${mv}-second`, `${mv}-second+o1`]);
    expect(results.map((r) => r.kind === "published" && r.modelVersion)).toEqual([mv, `${mv}+o3`, `${mv}+o3`, `${mv}+o3`, `${mv}-second`, `${mv}-second+o1`]);
    // the merged call sent the newest overrides, not the first ones
    const reader = new SegApiClient({ baseUrl: server.base, token: server.tokens.controller });
    const page = await reader.getSnapshot(written.workbookId, `${mv}+o3`, { sku: "S03" });
    expect(page.items[0]).toMatchObject({ sku: "S03", segment: "AX", overridden: true });
  });
});
