/**
 * The real backend (buildServer over a SQLite file in a temp directory) on a loopback port over
 * plain http, with one token per role and fault switches for the sync tests:
 * - fail500: the next N audit appends answer 500 before anything is stored;
 * - delayAfterCommit: the next N audit appends are stored, then answered only after `delayMs`;
 * - dropAfterCommit: the next N audit appends are stored, then the connection is cut (no answer).
 * stop() closes the server (the port is free, the file stays); restart() listens again on the same
 * port over the same file.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { buildServer, type ServerOptions } from "../../../src/server/app";
import { issueTestTokens } from "../../server/helpers/harness";
import { SqliteStorage } from "../../../src/server/storage/sqlite";

export interface Faults {
  fail500: number;
  delayAfterCommit: number;
  delayMs: number;
  dropAfterCommit: number;
}

export interface AppendLog {
  workbookId: string;
  ids: string[];
  status: number | null;
}

export interface TestServer {
  base: string;
  port: number;
  dir: string;
  file: string;
  tokens: { planner: string; planner2: string; controller: string; admin: string; revoked: string };
  faults: Faults;
  /** Every audit append that reached a route handler's validation, in arrival order. */
  appends: AppendLog[];
  running(): boolean;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server if running and removes the directory. */
  cleanup(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isAppend(req: FastifyRequest): boolean {
  return req.method === "POST" && /\/workbooks\/[^/]+\/audit$/.test(req.url.split("?")[0]);
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-sync-"));
  const file = path.join(dir, "seg.sqlite");
  const setup = new SqliteStorage({ file });
  await setup.migrate();
  const tokens = await issueTestTokens(setup);
  await setup.close();

  const faults: Faults = { fail500: 0, delayAfterCommit: 0, delayMs: 0, dropAfterCommit: 0 };
  const appends: AppendLog[] = [];
  let app: FastifyInstance | null = null;
  let port = 0;

  const listen = async () => {
    const storage = new SqliteStorage({ file });
    await storage.migrate();
    const a = await buildServer({ storage, rateLimit: false, ...options });
    a.addHook("onRequest", async (req) => {
      if (isAppend(req) && faults.fail500 > 0) {
        faults.fail500--;
        throw new Error("injected failure before storing");
      }
    });
    a.addHook("preHandler", async (req) => {
      if (!isAppend(req)) return;
      const body = req.body as { entries?: { entryId: string }[] };
      const log: AppendLog = { workbookId: (req.params as { workbookId: string }).workbookId, ids: (body.entries ?? []).map((e) => e.entryId), status: null };
      appends.push(log);
      (req as unknown as { segLog: AppendLog }).segLog = log;
    });
    a.addHook("onSend", async (req, reply, payload) => {
      if (!isAppend(req)) return payload;
      const log = (req as unknown as { segLog?: AppendLog }).segLog;
      if (log) log.status = reply.statusCode;
      if (reply.statusCode < 300 && faults.dropAfterCommit > 0) {
        faults.dropAfterCommit--;
        req.raw.socket.destroy();
        return payload;
      }
      if (reply.statusCode < 300 && faults.delayAfterCommit > 0) {
        faults.delayAfterCommit--;
        await sleep(faults.delayMs);
      }
      return payload;
    });
    await a.listen({ port, host: "127.0.0.1" });
    port = (a.server.address() as AddressInfo).port;
    app = a;
  };
  await listen();

  const server: TestServer = {
    get base() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    file,
    tokens,
    faults,
    appends,
    running: () => app !== null,
    async stop() {
      const a = app;
      app = null;
      if (!a) return;
      // A client that gave up on a slow answer leaves a half-closed connection that Node keeps until
      // its keep-alive timeout (~5 s); cut what is left after a short grace so tests stay quick.
      const force = setTimeout(() => a.server.closeAllConnections(), 200);
      try {
        await a.close();
      } finally {
        clearTimeout(force);
      }
    },
    async restart() {
      if (app) throw new Error("the server is already running");
      await listen();
    },
    async cleanup() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
