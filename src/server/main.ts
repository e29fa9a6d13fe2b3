/**
 * Entry point (`npm run server`, also started by `npm start`): reads the environment (the TLS
 * certificate comes from SEG_TLS_CERT / SEG_TLS_KEY; npm start supplies the dev one), opens the
 * storage, runs migrations, listens, prints one line with its URL and storage kind, and closes
 * cleanly on SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { buildServer } from "./app";
import { loadConfig, plainHttpWarning } from "./config";
import { loadServerKey } from "./keys";
import { Ledger } from "./ledger";
import { openStorage } from "./storage";

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = openStorage({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  });
  try {
    await storage.migrate();
  } catch (e) {
    await storage.close().catch(() => undefined);
    throw new Error(`${storage.kind} storage at ${storage.location}: migrations failed: ${(e as Error).message}`);
  }
  // A snapshot whose publication a crash interrupted (SQLite writes large ones in chunks) is removed.
  const discarded = (await storage.discardUnfinishedPublications?.()) ?? 0;
  if (discarded > 0) console.log(`removed ${discarded} snapshot publication(s) left unfinished by the last run`);
  let https: { key: Buffer; cert: Buffer } | null = null;
  if (config.tlsCertFile && config.tlsKeyFile) {
    const read = (file: string, name: string) => {
      try {
        return readFileSync(file);
      } catch (e) {
        throw new Error(`${name}=${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    };
    https = { cert: read(config.tlsCertFile, "SEG_TLS_CERT"), key: read(config.tlsKeyFile, "SEG_TLS_KEY") };
  }
  const signing = loadServerKey(process.env, config.dataDir);
  if (signing.warning) console.warn(`SEG API: ${signing.warning}`);
  const ledger = new Ledger(storage, signing.key, () => new Date());
  const warning = plainHttpWarning(config);
  if (warning) console.warn(warning);
  const app = await buildServer({
    storage,
    ledger,
    https,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    snapshotBodyLimit: config.snapshotBodyLimit,
    rateLimit: config.rateLimit,
    authFailureLimit: config.authFailureLimit,
    logger: { level: config.logLevel },
  });
  await app.listen({ port: config.port, host: config.host });
  const port = (app.server.address() as AddressInfo).port;
  const scheme = https ? "https" : "http";
  const hostForUrl = config.host.includes(":") ? `[${config.host}]` : config.host;
  console.log(
    `SEG API signs tree heads with key ${signing.key.current.keyId} (${signing.created ? "created now in " : ""}${signing.key.source}; npm run token -- server-key)`,
  );
  ledger.warmUp().catch((e: Error) => console.error(`SEG API: loading the audit Merkle trees failed: ${e.message}`));
  console.log(`SEG API listening on ${scheme}://${hostForUrl}:${port}/api/v1 (storage: ${storage.kind} ${storage.location})`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => {
      console.error(`SEG API: ${signal}: shutdown took too long, exiting`);
      process.exit(1);
    }, 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (e: Error) => {
        console.error(`SEG API: error while closing: ${e.message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((e: Error) => {
  console.error(`SEG API failed to start: ${e.message}`);
  process.exit(1);
});
