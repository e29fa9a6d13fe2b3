/* Picks the storage backend: PostgreSQL when a connection string is given, else SQLite. */
import path from "node:path";
import { PostgresStorage } from "./postgres";
import { SqliteStorage } from "./sqlite";
import type { Storage } from "./types";

export interface StorageConfig {
  /** PostgreSQL connection string (DATABASE_URL); when set, SQLite is not used. */
  databaseUrl?: string;
  /** Directory of the SQLite file seg.sqlite (SEG_DATA_DIR, default ./data). */
  dataDir?: string;
  /** PostgreSQL schema (tests, benchmark). */
  pgSchema?: string;
  /** PostgreSQL: longest wait for a connection, and longest statement, ms. */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

export const SQLITE_FILE_NAME = "seg.sqlite";

export function openStorage(config: StorageConfig): Storage {
  if (config.databaseUrl) {
    return new PostgresStorage({
      connectionString: config.databaseUrl,
      schema: config.pgSchema,
      connectTimeoutMs: config.connectTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
    });
  }
  return new SqliteStorage({ file: path.join(config.dataDir ?? "data", SQLITE_FILE_NAME) });
}

export type { Storage } from "./types";
