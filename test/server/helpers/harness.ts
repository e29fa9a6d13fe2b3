/* A server over a test database, with one token per role, listening on a random loopback port
   and called over real HTTP (fetch). */
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { buildServer, type ServerOptions } from "../../../src/server/app";
import { issueToken } from "../../../src/server/auth";
import type { BackendSpec, TestDb } from "./backends";

export interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface Harness {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  base: string;
  db: TestDb;
  tokens: { planner: string; planner2: string; controller: string; admin: string; revoked: string };
  call(method: "GET" | "POST" | "DELETE", url: string, token?: string | null, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export type TestTokens = Harness["tokens"];

/** One token per role (two planners), plus a revoked planner token, all in `storage`. */
export async function issueTestTokens(storage: Parameters<typeof issueToken>[0]): Promise<TestTokens> {
  const tokens = {
    planner: (await issueToken(storage, "alice", "planner")).token,
    planner2: (await issueToken(storage, "bob", "planner")).token,
    controller: (await issueToken(storage, "carol", "controller")).token,
    admin: (await issueToken(storage, "root", "admin")).token,
    revoked: "",
  };
  const rev = await issueToken(storage, "alice", "planner");
  await storage.revokeToken(rev.record.id, new Date().toISOString());
  tokens.revoked = rev.token;
  return tokens;
}

export async function startHarness(backend: BackendSpec, options: Partial<ServerOptions> = {}): Promise<Harness> {
  const db = await backend.open();
  const s = db.storage;
  const tokens = await issueTestTokens(s);
  const app = await buildServer({ storage: s, rateLimit: false, ...options });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    base,
    app,
    db,
    tokens,
    async call(method, url, token, body, headers = {}) {
      const res = await fetch(base + url, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: parsed, text };
    },
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}
