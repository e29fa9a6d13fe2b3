/* Snapshot publication of a 64 MiB body (issue 8 defect 15): does the server stay responsive?

   Method: an in-process server (buildServer over SQLite in a temp directory, or PostgreSQL when
   SEG_BENCH_DATABASE_URL is set, in a fresh schema; rate limit off, plain http on 127.0.0.1). The
   body (SEG_BENCH_PUBLISH_MIB, default 64 MiB less 4 KiB, under the route's limit) is generated
   by test/server/helpers/bigSnapshot.ts (about 160,000 items with forecasts) and encoded to a
   Buffer before timing. Then RUNS times, each under a new modelVersion: one POST of the body,
   while GET /health is called in a loop (10 ms apart) and perf_hooks.monitorEventLoopDelay
   (10 ms resolution) watches the loop; process RSS is sampled every 20 ms.
   Printed per run: publish time (send to 201), the longest event-loop delay, the slowest /health
   and the longest wait between two /health answers,
   and the RSS peak above the level just before the run (after gc) divided by the body size.
   Client and server share the process (the client only writes a prepared Buffer). The shared
   machine makes the figures noisy; bounded by a watchdog. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import pg from "pg";
import { buildServer } from "../src/server/app";
import { issueToken } from "../src/server/auth";
import { PostgresStorage } from "../src/server/storage/postgres";
import { SqliteStorage } from "../src/server/storage/sqlite";
import type { Storage } from "../src/server/storage/types";
import { bigSnapshot } from "../test/server/helpers/bigSnapshot";
import { gc, median } from "./lib";

const MIB = 1024 * 1024;
const BYTES = Math.round(Number(process.env.SEG_BENCH_PUBLISH_MIB ?? 64) * MIB) - 4096;
const RUNS = Number(process.env.SEG_BENCH_RUNS ?? 3);
const PG_URL = process.env.SEG_BENCH_DATABASE_URL;
const WATCHDOG_MS = 15 * 60_000;

const watchdog = setTimeout(() => {
  console.error(`publish bench: still running after ${WATCHDOG_MS / 60000} min, giving up`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

function post(port: number, url: string, token: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: url, method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function get(port: number, url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: url, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-bench-publish-"));
  const schema = `seg_bench_publish_${randomBytes(4).toString("hex")}`;
  const storage: Storage = PG_URL ? new PostgresStorage({ connectionString: PG_URL, schema }) : new SqliteStorage({ file: path.join(dir, "seg.sqlite") });
  await storage.migrate();
  const token = (await issueToken(storage, "alice", "planner")).token;
  const app = await buildServer({ storage, rateLimit: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const results: { ms: number; loopMax: number; healthMax: number; rssRatio: number }[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      let snap: ReturnType<typeof bigSnapshot> | null = bigSnapshot(BYTES, `bench-${run}`);
      const body = Buffer.from(snap.json, "utf8");
      const items = snap.body.items.length;
      snap = null;
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 200));
      gc?.();
      const rss0 = process.memoryUsage().rss;
      let rssPeak = rss0;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 20);
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      let inFlight = true;
      const healthMs: number[] = [];
      const t0 = performance.now();
      // The longest wait between two /health answers (or the start), which a blocked loop lengthens
      // even when it delays the client's next call too (client and server share the process).
      let lastAnswer = t0;
      let gapMax = 0;
      const publishing = post(port, `/api/v1/workbooks/bench-wb/snapshots`, token, body).finally(() => {
        inFlight = false;
      });
      while (inFlight) {
        const h0 = performance.now();
        const status = await get(port, "/health", agent);
        if (status !== 200) throw new Error(`/health answered ${status}`);
        const h1 = performance.now();
        healthMs.push(h1 - h0);
        gapMax = Math.max(gapMax, h1 - lastAnswer);
        lastAnswer = h1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const res = await publishing;
      const ms = performance.now() - t0;
      loop.disable();
      clearInterval(sampler);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${res.text.slice(0, 300)}`);
      const r = { ms, loopMax: loop.max / 1e6, healthMax: gapMax, rssRatio: (rssPeak - rss0) / body.length };
      results.push(r);
      console.log(
        `run ${run + 1}: ${(body.length / MIB).toFixed(1)} MiB, ${items} items: publish ${(ms / 1000).toFixed(2)} s; ` +
          `event-loop delay max ${r.loopMax.toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms); ` +
          `/health slowest ${Math.max(...healthMs).toFixed(0)} ms, longest gap between answers ${r.healthMax.toFixed(0)} ms over ${healthMs.length} calls; RSS +${((rssPeak - rss0) / MIB).toFixed(0)} MiB = ${r.rssRatio.toFixed(2)}× the body`,
      );
    }
    console.log(
      `publish bench (${storage.kind}), median of ${RUNS}: publish ${(median(results.map((r) => r.ms)) / 1000).toFixed(2)} s, ` +
        `event-loop delay max ${median(results.map((r) => r.loopMax)).toFixed(0)} ms, longest /health gap ${median(results.map((r) => r.healthMax)).toFixed(0)} ms, ` +
        `RSS growth ${median(results.map((r) => r.rssRatio)).toFixed(2)}× the body`,
    );
  } finally {
    agent.destroy();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (PG_URL) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
