/**
 * The sync's retry decisions, driven by a scripted fetch and a hand-cranked timer: which answers are
 * retried and after how long (full jitter, Retry-After), which stop the loop, and what happens to the
 * rows. The real-server behaviour is in syncService.test.ts.
 */
import type { AuditRow } from "../../src/app/ports";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { SyncService, type SyncServiceOptions } from "../../src/app/syncService";
import { MemoryGateway } from "../helpers/memoryGateway";
import { appendPending } from "../client/helpers/rows";

const WB = "retry-test-workbook";
const REQUEST_TIMEOUT = 987_654; // distinguishes the client's request timers from retry timers

interface Scheduled {
  fn: () => void;
  ms: number;
  cancelled: boolean;
}

class ManualTimers {
  all: Scheduled[] = [];
  setTimeout = (fn: () => void, ms: number): unknown => {
    const s = { fn, ms, cancelled: false };
    this.all.push(s);
    return s;
  };
  clearTimeout = (h: unknown): void => {
    if (h) (h as Scheduled).cancelled = true;
  };
  /** Retry timers still waiting. */
  retries(): Scheduled[] {
    return this.all.filter((s) => !s.cancelled && s.ms !== REQUEST_TIMEOUT);
  }
  requestTimers(): Scheduled[] {
    return this.all.filter((s) => !s.cancelled && s.ms === REQUEST_TIMEOUT);
  }
  /** Fires the one pending retry timer. */
  fireRetry(): void {
    const r = this.retries();
    expect(r).toHaveLength(1);
    r[0].cancelled = true;
    r[0].fn();
  }
}

/** An HTTP answer, a failed connection, no answer at all, or "ok": confirm every entry. */
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | "network" | "hang" | "ok";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type, ...headers } });
}

function problem(status: number, kind: string, detail: string, ext: Record<string, unknown> = {}) {
  return { type: `urn:seg:problem:${kind}`, title: kind, status, detail, ...ext };
}

/**
 * A fetch that answers appends from a script, and after the script confirms every entry it is
 * sent. A GET of the workbook head answers a trail that ends in an unknown hash (another chain).
 */
function scriptedFetch(script: Reply[]) {
  const calls: { entries: { entryId: string }[] }[] = [];
  const fn = (async (_url: string, init?: RequestInit) => {
    if ((init?.method ?? "GET") === "GET") {
      return json(200, { workbookId: WB, owner: "alice", createdAt: "", entryCount: 4, lastHash: "f".repeat(64), lastEntryId: "x", snapshotCount: 0, latestModelVersion: null });
    }
    const body = JSON.parse(String(init?.body ?? "{}")) as { entries: { entryId: string }[] };
    calls.push(body);
    const next = script.shift();
    if (next === "network") throw new TypeError("fetch failed");
    if (next === "hang") {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("This operation was aborted", "AbortError")));
      });
    }
    if (next && next !== "ok") return json(next.status, next.body ?? {}, next.headers);
    return json(201, { stored: body.entries.map((e) => e.entryId), alreadyStored: [], entryCount: 0, lastHash: "0".repeat(64) });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

async function setup(script: Reply[], extra: Partial<SyncServiceOptions> = {}, rows = 10) {
  const gw = new MemoryGateway();
  await appendPending(gw, WB, rows);
  const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
  await settings.save({ url: "https://seg.example.test:3001", token: "seg_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" });
  const timers = new ManualTimers();
  const fetcher = scriptedFetch(script);
  const sync = new SyncService({
    gateway: gw,
    settings,
    fetch: fetcher.fn,
    timers,
    timeoutMs: REQUEST_TIMEOUT,
    backoff: { baseMs: 100, maxMs: 1000 },
    random: () => 0.5,
    ...extra,
  });
  return { gw, sync, timers, calls: fetcher.calls };
}

const pendingIn = (rows: AuditRow[]) => rows.filter((r) => r.syncState === "pending").length;

describe("backoff", () => {
  test("full jitter: the n-th wait is random × min(max, base × 2^n); a success resets it", async () => {
    const { gw, sync, timers, calls } = await setup([{ status: 503, body: problem(503, "not-ready", "the sqlite database does not answer") }, ...Array(6).fill({ status: 500, body: problem(500, "internal", "boom") })]);
    await sync.start();
    const waits: number[] = [];
    for (let k = 0; k < 7; k++) {
      waits.push(timers.retries()[0].ms);
      timers.fireRetry();
      await sync.idle();
    }
    // random() = 0.5 of 100, 200, 400, 800, 1000, 1000, 1000
    expect(waits).toEqual([50, 100, 200, 400, 500, 500, 500]);
    expect(calls).toHaveLength(8);
    expect(sync.status()).toEqual({ kind: "synced" });
    expect(sync.detail().failures).toBe(0);
    expect(pendingIn(gw.auditRows)).toBe(0);
  });

  test("the wait is drawn from the whole range [0, ceiling)", async () => {
    for (const [r, expected] of [
      [0, 0],
      [0.999, 99],
    ] as const) {
      const { sync, timers } = await setup([{ status: 502, body: problem(502, "internal", "bad gateway") }], { random: () => r });
      await sync.start();
      expect(timers.retries().map((t) => t.ms)).toEqual([expected]);
      sync.dispose();
    }
  });

  test("Retry-After (seconds or a date) is a lower bound on the wait", async () => {
    const seconds = await setup([{ status: 429, body: problem(429, "rate-limited", "more than 1200 requests in 1 minute; retry after 7 s"), headers: { "retry-after": "7" } }], { random: () => 0 });
    await seconds.sync.start();
    expect(seconds.timers.retries().map((t) => t.ms)).toEqual([7000]);
    const s = seconds.sync.status();
    expect(s.kind === "error" && s.message).toBe("The server is limiting requests (429): more than 1200 requests in 1 minute; retry after 7 s. Trying again in 7 s.");
    seconds.sync.dispose();

    const now = Date.parse("2026-11-25T10:00:00Z");
    const date = await setup([{ status: 503, body: problem(503, "not-ready", "starting"), headers: { "retry-after": "Wed, 25 Nov 2026 10:00:30 GMT" } }], { random: () => 0, now: () => now });
    await date.sync.start();
    expect(date.timers.retries().map((t) => t.ms)).toEqual([30_000]);
    date.sync.dispose();
  });
});

describe("what is retried", () => {
  test.each([
    ["no connection", "network" as Reply, /^Cannot reach the server at https:\/\/seg\.example\.test:3001 \(fetch failed\)/],
    ["408", { status: 408, body: problem(408, "timeout", "request timed out") } as Reply, /^The server gave up waiting for the request \(408\)/],
    ["429", { status: 429, body: problem(429, "rate-limited", "slow down") } as Reply, /^The server is limiting requests \(429\): slow down/],
    ["500", { status: 500, body: problem(500, "internal", "unexpected server error") } as Reply, /^The server failed \(500 internal\): unexpected server error/],
    ["503 without a problem body", { status: 503, body: "upstream down" } as Reply, /^The server failed \(503\): "upstream down"/],
  ])("%s: retried, rows stay pending until a later attempt succeeds", async (_name, reply, message) => {
    const { gw, sync, timers, calls } = await setup([reply]);
    await sync.start();
    const s = sync.status();
    expect(s.kind).toBe("error");
    expect(s.kind === "error" && s.message).toMatch(message);
    expect(s.kind === "error" && s.message).toMatch(/Trying again in 0\.1 s\.$/);
    expect(sync.detail().phase).toBe("waiting");
    expect(pendingIn(gw.auditRows)).toBe(10);
    timers.fireRetry();
    await sync.idle();
    expect(calls).toHaveLength(2);
    expect(sync.status()).toEqual({ kind: "synced" });
  });

  test("no answer in time: the request is cancelled, reported as a timeout and retried", async () => {
    const { sync, timers, calls } = await setup(["hang"]);
    const running = sync.start();
    await new Promise((r) => setTimeout(r, 0));
    // the client's own time limit fires
    const t = timers.requestTimers();
    expect(t).toHaveLength(1);
    t[0].fn();
    await running;
    const s = sync.status();
    expect(s.kind === "error" && s.message).toMatch(/^The server at https:\/\/seg\.example\.test:3001 did not answer within 988 s\./);
    timers.fireRetry();
    await sync.idle();
    expect(calls).toHaveLength(2);
    expect(sync.status()).toEqual({ kind: "synced" });
  });

  test("an answer that leaves out an entry: nothing is marked, and the batch is sent again", async () => {
    const { gw, sync, timers, calls } = await setup([{ status: 201, body: { stored: [], alreadyStored: [], entryCount: 0, lastHash: "0".repeat(64) } }]);
    let confirmedFirst: string[] = [];
    const real = gw.audit.markSynced;
    gw.audit.markSynced = async (ids) => {
      confirmedFirst = ids;
      return real(ids);
    };
    await sync.start();
    expect(confirmedFirst).toEqual([]);
    const s = sync.status();
    expect(s.kind === "error" && s.message).toMatch(/^The server confirmed 0 of 10 entries/);
    timers.fireRetry();
    await sync.idle();
    expect(calls.map((c) => c.entries.length)).toEqual([10, 10]);
    expect(pendingIn(gw.auditRows)).toBe(0);
  });

  test("a failing markSynced (Excel busy): the server has the rows, they stay pending and are re-sent", async () => {
    const { gw, sync, timers, calls } = await setup([]);
    const real = gw.audit.markSynced;
    let fail = true;
    gw.audit.markSynced = async (ids) => {
      if (fail) {
        fail = false;
        throw new Error("The workbook is busy (cell edit mode)");
      }
      return real(ids);
    };
    await sync.start();
    const s = sync.status();
    expect(s.kind === "error" && s.message).toMatch(/^The server has the entries, but marking them synced in SEG_Audit failed: The workbook is busy/);
    expect(pendingIn(gw.auditRows)).toBe(10);
    timers.fireRetry();
    await sync.idle();
    expect(calls).toHaveLength(2);
    expect(pendingIn(gw.auditRows)).toBe(0);
  });
});

describe("what stops the loop", () => {
  test.each([
    [400, problem(400, "validation", "body.entries[0].timestamp must match pattern (entry x)", { index: 0 }), /^SEG_Audit row 2 \(entry [0-9a-f-]+\): The server rejected the request as invalid: body\.entries\[0\]\.timestamp/],
    [401, problem(401, "unauthorized", "the bearer token is not recognised"), /does not accept the token: the bearer token is not recognised\. Paste a valid token in Settings/],
    [403, problem(403, "forbidden", 'workbook "w" belongs to another planner; nothing was stored'), /^The token may not do this: workbook "w" belongs to another planner; nothing was stored\./],
    [404, problem(404, "not-found", "no route POST /api/v1/workbooks/x/audit"), /^The server at https:\/\/seg\.example\.test:3001 has no POST \/api\/v1\/workbooks\/retry-test-workbook\/audit: check the server URL/],
    [409, problem(409, "broken-chain", "entry e (entries[0]): prevHash 000000000000… does not link to stored entry #4", { index: 0 }), /^SEG_Audit row 2 \(entry [0-9a-f-]+\): The server refused it: .* rows were removed or reordered, or this workbook is a copy/],
    [415, problem(415, "unsupported-media-type", 'content-type "" is not accepted'), /^The server rejected the request as invalid/],
  ])("%i: stops with the reason, no retry timer, rows stay pending", async (status, body, message) => {
    const { gw, sync, timers, calls } = await setup([{ status, body }]);
    await sync.start();
    const s = sync.status();
    expect(s.kind).toBe("error");
    expect(s.kind === "error" && s.message).toMatch(message);
    expect(timers.retries()).toHaveLength(0);
    expect(sync.detail().phase).toBe("stopped");
    expect(calls).toHaveLength(1);
    expect(pendingIn(gw.auditRows)).toBe(10);
  });

  test("a 400 or 409 about entry k: entries 0..k-1 are sent on their own first, then the loop stops at k", async () => {
    const bad = (i: number) => problem(400, "validation", `body.entries[${i}].entryId must match pattern`, { index: i, field: `body.entries[${i}].entryId` });
    const { gw, sync, calls } = await setup([{ status: 400, body: bad(3) }, "ok", { status: 400, body: bad(0) }]);
    await sync.start();
    const ids = gw.auditRows.map((r) => r.entryId);
    expect(calls.map((c) => c.entries.length)).toEqual([10, 3, 7]);
    expect(calls[2].entries[0].entryId).toBe(ids[3]);
    const s = sync.status();
    expect(s.kind === "error" && s.message).toMatch(new RegExp(`^SEG_Audit row 5 \\(entry ${ids[3]}\\): The server rejected the request as invalid: body\\.entries\\[0\\]\\.entryId`));
    expect(gw.auditRows.map((r) => r.syncState)).toEqual([...Array(3).fill("synced"), ...Array(7).fill("pending")]);
  });

  test("a 200 that is not the API (an HTML page at that URL) stops with a hint to check the URL", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 3);
    const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
    await settings.save({ url: "https://intranet.example.test", token: "seg_abc" });
    const timers = new ManualTimers();
    const sync = new SyncService({
      gateway: gw,
      settings,
      timers,
      fetch: (async () => new Response("<html>Welcome</html>", { status: 200, headers: { "content-type": "text/html" } })) as unknown as typeof fetch,
    });
    await sync.start();
    const s = sync.status();
    expect(s.kind === "error" && s.message).toBe(
      "https://intranet.example.test answered POST /api/v1/workbooks/retry-test-workbook/audit (200) without JSON: this does not look like the segmentation server; check the server URL in Settings.",
    );
    expect(timers.retries()).toHaveLength(0);
  });

  test("413: the batch is halved until it fits", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, WB, 300);
    const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
    await settings.save({ url: "https://seg.example.test", token: "seg_abc" });
    const sizes: number[] = [];
    const fetchFn = (async (_u: string, init?: RequestInit) => {
      const { entries } = JSON.parse(String(init!.body)) as { entries: { entryId: string }[] };
      sizes.push(entries.length);
      if (entries.length > 80) return json(413, problem(413, "body-too-large", "the request body exceeds the limit of 1024 bytes; send smaller batches"));
      return json(201, { stored: entries.map((e) => e.entryId), alreadyStored: [], entryCount: 0, lastHash: "0".repeat(64) });
    }) as unknown as typeof fetch;
    const sync = new SyncService({ gateway: gw, settings, fetch: fetchFn, timers: new ManualTimers() });
    await sync.start();
    expect(sync.status()).toEqual({ kind: "synced" });
    // 300 -> 150 -> 75 fits; the next batch starts at the full size again
    expect(sizes.slice(0, 4)).toEqual([300, 150, 75, 225]);
    expect(pendingIn(gw.auditRows)).toBe(0);
  });

  test("dispose cancels the retry timer and the request in flight; the rows stay pending", async () => {
    const { gw, sync, timers } = await setup(["network"]);
    await sync.start();
    expect(timers.retries()).toHaveLength(1);
    sync.dispose();
    expect(timers.retries()).toHaveLength(0);
    expect(sync.detail().phase).toBe("disposed");

    const second = await setup(["hang"]);
    const running = second.sync.start();
    await new Promise((r) => setTimeout(r, 0));
    second.sync.dispose();
    await running;
    expect(second.timers.retries()).toHaveLength(0);
    expect(pendingIn(second.gw.auditRows)).toBe(10);
    expect(pendingIn(gw.auditRows)).toBe(10);
  });
});

describe("batches", () => {
  test("a batch is one contiguous run of the chain from the first pending row; synced rows inside it go along", async () => {
    const { gw, sync, calls } = await setup([], { batchSize: 4 }, 10);
    // rows 0-1 synced, 2 pending, 3 synced (a partial mark from an earlier session), 4.. pending
    gw.auditRows[0].syncState = "synced";
    gw.auditRows[1].syncState = "synced";
    gw.auditRows[3].syncState = "synced";
    await sync.start();
    const ids = gw.auditRows.map((r) => r.entryId);
    expect(calls.map((c) => c.entries.map((e) => e.entryId))).toEqual([ids.slice(2, 6), ids.slice(6, 10)]);
    // exactly the entry fields: no syncState, no sheetRow
    expect(Object.keys(calls[0].entries[0]).sort()).toEqual(
      ["action", "entryHash", "entryId", "field", "modelVersion", "newValue", "oldValue", "prevHash", "reason", "sku", "timestamp", "user", "workbookId"].sort(),
    );
    expect(pendingIn(gw.auditRows)).toBe(0);
  });

  test("rows carrying their sheet row (the Excel gateway) are named by it, and sheetRow is not sent", async () => {
    const { gw, sync, calls } = await setup([{ status: 409, body: problem(409, "broken-chain", "entry x (entries[0]): content does not match its hash (the entry was edited)", { index: 0 }) }], {}, 3);
    gw.auditRows.forEach((r, i) => ((r as AuditRow & { sheetRow: number }).sheetRow = 40 + i));
    await sync.start();
    const s = sync.status();
    expect(s.kind === "error" && s.message).toMatch(/^SEG_Audit row 40 \(entry /);
    expect(s.kind === "error" && s.message).toMatch(/restore the row from a backup/);
    expect(Object.keys(calls[0].entries[0])).not.toContain("sheetRow");
  });
});
