/* Server settings from the environment, each checked with an error that names the variable. */
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_BODY_LIMIT, DEFAULT_CORS_ORIGINS, DEFAULT_RATE_LIMIT, DEFAULT_SNAPSHOT_BODY_LIMIT } from "./app";

export interface ServerConfig {
  port: number;
  host: string;
  /** Plain http instead of https (tests, benchmark, behind a TLS proxy). */
  http: boolean;
  /** PEM files of the TLS certificate (chain) and its private key; required unless http. */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL time limits, ms. */
  dbConnectTimeoutMs: number;
  dbStatementTimeoutMs: number;
  corsOrigins: string[];
  bodyLimit: number;
  snapshotBodyLimit: number;
  rateLimit: { max: number; timeWindow: number } | false;
  authFailureLimit: { max: number; timeWindow: number } | false;
  logLevel: string;
}

export const ENV_VARS = {
  SEG_API_PORT: "port (default 3001; 0 picks a free port)",
  SEG_API_HOST: "address to listen on (default localhost)",
  SEG_HTTP: "1 = plain http instead of https",
  SEG_TLS_CERT: "PEM file of the TLS certificate (with its chain); required unless SEG_HTTP=1 (npm start supplies the Office dev certificate)",
  SEG_TLS_KEY: "PEM file of the certificate's private key; required unless SEG_HTTP=1",
  SEG_DATA_DIR: "directory of the SQLite file seg.sqlite (default ./data)",
  DATABASE_URL: "PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite",
  SEG_DB_CONNECT_TIMEOUT_MS: "PostgreSQL: longest wait for a connection, and for /ready's check, in ms (default 3000)",
  SEG_DB_STATEMENT_TIMEOUT_MS: "PostgreSQL: longest statement in ms (default 30000); a request that hits it answers 503",
  SEG_CORS_ORIGINS: "comma-separated allowed origins (default https://localhost:3000)",
  SEG_BODY_LIMIT: "largest request body in bytes (default 5242880)",
  SEG_SNAPSHOT_BODY_LIMIT: "largest snapshot publication in bytes (default 67108864)",
  SEG_RATE_LIMIT_MAX: "requests per token per window (default 1200; 0 = no limit)",
  SEG_RATE_LIMIT_WINDOW_MS: "rate-limit window in ms (default 60000)",
  SEG_AUTH_FAILURE_MAX: "failed authentications per client address per rate-limit window before 429 (default 30; 0 = no limit)",
  SEG_LOG_LEVEL: "fastify log level (default warn)",
} as const;

function int(env: NodeJS.ProcessEnv, name: keyof typeof ENV_VARS, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}="${raw}": expected an integer from ${min} to ${max}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const max = int(env, "SEG_RATE_LIMIT_MAX", DEFAULT_RATE_LIMIT.max, 0, 1e9);
  const failMax = int(env, "SEG_AUTH_FAILURE_MAX", DEFAULT_AUTH_FAILURE_LIMIT.max, 0, 1e9);
  const origins = (env.SEG_CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new Error(`SEG_CORS_ORIGINS: "${o}" is not an origin like https://localhost:3000`);
  }
  const http = env.SEG_HTTP === "1" || env.SEG_HTTP === "true";
  const tlsCertFile = env.SEG_TLS_CERT?.trim() || undefined;
  const tlsKeyFile = env.SEG_TLS_KEY?.trim() || undefined;
  if (!http && (!tlsCertFile || !tlsKeyFile)) {
    throw new Error(
      `HTTPS needs a certificate: set SEG_TLS_CERT and SEG_TLS_KEY to its PEM files (npm start does this with the Office dev certificates), or SEG_HTTP=1 for plain HTTP${
        tlsCertFile || tlsKeyFile ? ` (only ${tlsCertFile ? "SEG_TLS_CERT" : "SEG_TLS_KEY"} is set)` : ""
      }`,
    );
  }
  return {
    port: int(env, "SEG_API_PORT", 3001, 0, 65535),
    host: env.SEG_API_HOST?.trim() || "localhost",
    http,
    tlsCertFile: http ? undefined : tlsCertFile,
    tlsKeyFile: http ? undefined : tlsKeyFile,
    dataDir: env.SEG_DATA_DIR?.trim() || "data",
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dbConnectTimeoutMs: int(env, "SEG_DB_CONNECT_TIMEOUT_MS", 3000, 100, 600_000),
    dbStatementTimeoutMs: int(env, "SEG_DB_STATEMENT_TIMEOUT_MS", 30_000, 100, 86_400_000),
    corsOrigins: origins.length > 0 ? origins : DEFAULT_CORS_ORIGINS,
    bodyLimit: int(env, "SEG_BODY_LIMIT", DEFAULT_BODY_LIMIT, 1024, 1024 * 1024 * 1024),
    snapshotBodyLimit: int(env, "SEG_SNAPSHOT_BODY_LIMIT", DEFAULT_SNAPSHOT_BODY_LIMIT, 1024, 1024 * 1024 * 1024),
    rateLimit: max === 0 ? false : { max, timeWindow: int(env, "SEG_RATE_LIMIT_WINDOW_MS", DEFAULT_RATE_LIMIT.timeWindow, 1, 86_400_000) },
    authFailureLimit: failMax === 0 ? false : { max: failMax, timeWindow: int(env, "SEG_RATE_LIMIT_WINDOW_MS", DEFAULT_AUTH_FAILURE_LIMIT.timeWindow, 1, 86_400_000) },
    logLevel: env.SEG_LOG_LEVEL?.trim() || "warn",
  };
}

/** Addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1";
}

/** The start-up warning for plain HTTP on an address other machines can reach, or null. */
export function plainHttpWarning(config: Pick<ServerConfig, "http" | "host">): string | null {
  if (!config.http || isLoopbackHost(config.host)) return null;
  return `SEG API WARNING: serving plain HTTP on ${config.host}, which other machines can reach: tokens and audit data cross the network unencrypted. Put a TLS proxy in front, or set SEG_TLS_CERT and SEG_TLS_KEY instead of SEG_HTTP=1.`;
}

