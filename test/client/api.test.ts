/** The typed client against the real server, plus its pure parts (URL, token, Retry-After, backoff). */
import fc from "fast-check";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApiError,
  backoffDelay,
  checkToken,
  normalizeServerUrl,
  parseRetryAfter,
  retryDelay,
  SegApiClient,
} from "../../src/client";
import { auditEntryOf } from "../../src/app/syncService";
import { MemoryGateway } from "../helpers/memoryGateway";
import { appendPending } from "./helpers/rows";
import { freePort } from "./helpers/process";
import { sleep, startTestServer, type TestServer } from "./helpers/server";

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error("expected the call to fail");
}

describe("server URL and token", () => {
  test.each([
    ["https://localhost:3001", "https://localhost:3001"],
    ["  https://localhost:3001/  ", "https://localhost:3001"],
    ["https://localhost:3001/api/v1", "https://localhost:3001"],
    ["https://localhost:3001/api/v1/", "https://localhost:3001"],
    ["https://seg.example.com/backend/api/v1", "https://seg.example.com/backend"],
    ["HTTP://127.0.0.1:8080", "http://127.0.0.1:8080"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeServerUrl(input)).toBe(expected);
  });

  test.each([
    ["", /^Type the server URL/],
    ["localhost:3001", /must start with https:\/\//],
    ["seg.example.com", /is not a URL/],
    ["ftp://seg.example.com", /must start with https:\/\/ .*not ftp:\/\//],
    ["https://user:pw@seg.example.com", /Leave user name and password out/],
    ["https://seg.example.com/?x=1", /takes no query/],
  ])("%j is refused with a message saying why", (input, message) => {
    const e = (() => {
      try {
        normalizeServerUrl(input);
      } catch (err) {
        return err as ApiError;
      }
      throw new Error("accepted");
    })();
    expect(e.kind).toBe("config");
    expect(e.message).toMatch(message);
  });

  test("tokens: trimmed; blank or with impossible characters refused", () => {
    expect(checkToken("  seg_AbC-_9  ")).toBe("seg_AbC-_9");
    expect(() => checkToken(" ")).toThrow(/Paste the token/);
    expect(() => checkToken("seg_abc def")).toThrow(/characters a token never has/);
    expect(() => checkToken('"seg_abc"')).toThrow(/characters a token never has/);
  });
});

describe("Retry-After and backoff", () => {
  test("Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3)", () => {
    const now = Date.parse("2026-11-25T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 10:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Wed, 25 Nov 2026 09:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  test("full jitter: every wait is a whole number in [0, min(max, base × 2^attempt))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        (attempt, r, base, max) => {
          const d = backoffDelay(attempt, { baseMs: base, maxMs: max }, () => r);
          const ceiling = Math.min(max, base * 2 ** attempt);
          return Number.isInteger(d) && d >= 0 && d < ceiling;
        },
      ),
    );
  });

  test("a Retry-After longer than the jittered wait wins, capped at 15 minutes", () => {
    const policy = { baseMs: 1000, maxMs: 60_000 };
    const e = (ms: number) => new ApiError({ kind: "http", status: 429, message: "x", retryAfterMs: ms });
    expect(retryDelay(e(5000), 0, policy, () => 0.5)).toBe(5000);
    expect(retryDelay(e(100), 3, policy, () => 0.5)).toBe(4000);
    expect(retryDelay(e(24 * 3600_000), 0, policy, () => 0)).toBe(15 * 60_000);
  });

  test("which errors are worth retrying", () => {
    const http = (status: number) => new ApiError({ kind: "http", status, message: "" }).retryable;
    expect([408, 429, 500, 502, 503, 504].map(http)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 413, 415].map(http)).toEqual([false, false, false, false, false, false, false]);
    expect(new ApiError({ kind: "network", message: "" }).retryable).toBe(true);
    expect(new ApiError({ kind: "timeout", message: "" }).retryable).toBe(true);
    expect(new ApiError({ kind: "aborted", message: "" }).retryable).toBe(false);
    expect(new ApiError({ kind: "config", message: "" }).retryable).toBe(false);
  });
});

describe("against the real server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await sleep(400); // delayed answers from the timeout case
    await server.cleanup();
  });
  const client = (token: string, extra: { timeoutMs?: number } = {}) => new SegApiClient({ baseUrl: server.base, token, ...extra });

  test("me() names the token's owner and role; health() needs no token", async () => {
    await expect(client(server.tokens.planner).me()).resolves.toMatchObject({ name: "alice", role: "planner" });
    await expect(client(server.tokens.controller).me()).resolves.toMatchObject({ name: "carol", role: "controller" });
    await expect(client("seg_whatever").health()).resolves.toEqual({ status: "ok" });
  });

  test("401 with the server's reason and what to do", async () => {
    const e = await caught(client("seg_nope").me());
    expect(e.status).toBe(401);
    expect(e.problem?.type).toBe("urn:seg:problem:unauthorized");
    expect(e.retryable).toBe(false);
    expect(e.message).toBe(
      `The server at ${server.base} does not accept the token: the bearer token is not recognised. Paste a valid token in Settings (an admin creates one with: npm run token -- create --role planner --name <your name>).`,
    );
  });

  test("append, then the same batch again: stored, then already stored; getWorkbook follows", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, "client-wb", 4);
    const entries = gw.auditRows.map(auditEntryOf);
    const c = client(server.tokens.planner);
    expect(await c.getWorkbook("client-wb")).toBeNull();
    const first = await c.appendAudit("client-wb", entries);
    expect(first).toMatchObject({ status: 201, stored: entries.map((e) => e.entryId), alreadyStored: [], entryCount: 4, lastHash: entries[3].entryHash });
    const again = await c.appendAudit("client-wb", entries);
    expect(again).toMatchObject({ status: 200, stored: [], alreadyStored: entries.map((e) => e.entryId), entryCount: 4 });
    expect(await c.getWorkbook("client-wb")).toMatchObject({ owner: "alice", entryCount: 4, lastEntryId: entries[3].entryId });
  });

  test("an unknown route: the message points at the server URL", async () => {
    const c = new SegApiClient({ baseUrl: `${server.base}/wrong-prefix`, token: server.tokens.planner });
    const e = await caught(c.me());
    expect(e.status).toBe(404);
    expect(e.message).toBe(`The server at ${server.base}/wrong-prefix has no GET /api/v1/me: check the server URL in Settings (like https://localhost:3001).`);
  });

  test("no answer within the time limit: a timeout error, worth retrying", async () => {
    const gw = new MemoryGateway();
    await appendPending(gw, "slow-wb", 2);
    server.faults.delayAfterCommit = 1;
    server.faults.delayMs = 300;
    const e = await caught(client(server.tokens.planner, { timeoutMs: 100 }).appendAudit("slow-wb", gw.auditRows.map(auditEntryOf)));
    expect(e.kind).toBe("timeout");
    expect(e.retryable).toBe(true);
    expect(e.message).toBe(`The server at ${server.base} did not answer within 0.1 s.`);
  });

  test("a caller's abort is not a timeout and is not retried", async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const e = await caught(client(server.tokens.planner).me(ctrl.signal));
    expect(e.kind).toBe("aborted");
    expect(e.retryable).toBe(false);
  });
});

describe("when there is no segmentation server", () => {
  test("nothing listening: a network error naming the URL and the usual causes", async () => {
    const port = await freePort();
    const e = await caught(new SegApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: "seg_x" }).me());
    expect(e.kind).toBe("network");
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(new RegExp(`^Cannot reach the server at http://127\\.0\\.0\\.1:${port} \\(fetch failed: ECONNREFUSED\\)\\. Check that it is running`));
  });

  test("another web server at that URL: the answer is not taken for the API", async () => {
    const web: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Intranet</body></html>");
    });
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    try {
      const e = await caught(new SegApiClient({ baseUrl: base, token: "seg_x" }).me());
      expect(e.kind).toBe("bad-response");
      expect(e.retryable).toBe(false);
      expect(e.message).toBe(`${base} answered GET /api/v1/me (200) without JSON: this does not look like the segmentation server; check the server URL in Settings.`);
    } finally {
      await new Promise((r) => web.close(r));
    }
  });
});
