/**
 * The pane's witness (src/app/trailWitness.ts) inside the real sync (SyncService) against the real
 * backend over a SQLite file: receipts checked, the last signed head kept in the workbook settings,
 * and a server that rewrote or dropped history, or swapped its key, named in the sync status.
 */
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { SyncStatus } from "../../src/app/auditSync";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { SyncService } from "../../src/app/syncService";
import { TRAIL_WITNESS_SETTING, TrailWitness, type WitnessState } from "../../src/app/trailWitness";
import { verifyTreeHead } from "../../src/engine/treeHead";
import { ephemeralServerKey, type ServerKey } from "../../src/server/keys";
import { MemoryGateway } from "../helpers/memoryGateway";
import { appendPending, waitFor } from "../client/helpers/rows";
import { startTestServer, type TestServer } from "../client/helpers/server";

const WB = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
let server: TestServer;
let key: ServerKey;
/** Read by the test server on every (re)start: swapping serverKey swaps the server's key. */
const options: { serverKey?: ServerKey } = {};
const services: SyncService[] = [];

beforeEach(async () => {
  key = ephemeralServerKey();
  options.serverKey = key;
  server = await startTestServer(options);
});
afterEach(async () => {
  services.splice(0).forEach((s) => s.dispose());
  await server.cleanup();
});

async function setup(): Promise<{ gw: MemoryGateway; sync: SyncService; witness: TrailWitness }> {
  const gw = new MemoryGateway();
  const settings = new ServerSettingsStore(new MemoryKeyValueStorage());
  await settings.save({ url: server.base, token: server.tokens.planner });
  const witness = new TrailWitness(gw.settings);
  const sync = new SyncService({ gateway: gw, settings, witness, batchSize: 10, backoff: { baseMs: 5, maxMs: 40 }, timeoutMs: 5000 });
  services.push(sync);
  return { gw, sync, witness };
}

const kept = (gw: MemoryGateway) => gw.settings.get<WitnessState>(TRAIL_WITNESS_SETTING)!;
const sqlite = (fn: (db: Database.Database) => void) => {
  const db = new Database(server.file);
  try {
    fn(db);
  } finally {
    db.close();
  }
};
const errorOf = (s: SyncStatus) => (s.kind === "error" ? s.message : "");

describe("the pane keeps the last signed head and checks consistency on each sync", () => {
  test("receipts verify; the newest head and the pinned key are kept in the workbook settings", async () => {
    const { gw, sync, witness } = await setup();
    await appendPending(gw, WB, 25);
    await sync.syncNow();
    expect(sync.status()).toEqual({ kind: "synced" });
    const state = kept(gw).servers[server.base];
    expect(state.keys.map((k) => k.keyId)).toEqual([key.current.keyId]);
    const head = witness.lastHead(server.base, WB)!;
    expect(head).toMatchObject({ workbookId: WB, treeSize: 25, keyId: key.current.keyId });
    expect(await verifyTreeHead(head, state.keys)).toEqual({ ok: true });
    // More entries: the new head must extend the kept one, and replaces it.
    await appendPending(gw, WB, 7);
    await sync.syncNow();
    expect(sync.status()).toEqual({ kind: "synced" });
    expect(witness.lastHead(server.base, WB)!.treeSize).toBe(32);
  });

  test("end to end: the head the pane kept is what a controller verifies the server against (npm run verify)", async () => {
    const { gw, sync, witness } = await setup();
    await appendPending(gw, WB, 15);
    await sync.syncNow();
    const headFile = path.join(server.dir, "pane-head.json");
    writeFileSync(headFile, JSON.stringify(witness.lastHead(server.base, WB)));
    const keyFile = path.join(server.dir, "key.json");
    writeFileSync(keyFile, JSON.stringify({ current: key.current, retired: [] }));
    await appendPending(gw, WB, 5);
    await sync.syncNow();
    const cli = path.resolve(__dirname, "../../src/server/cli/verify.ts");
    const args = ["--import", "tsx", cli, "--workbook", WB, "--head", headFile, "--server", server.base, "--token", server.tokens.controller, "--key", keyFile];
    const r = await promisify(execFile)(process.execPath, args, { cwd: path.resolve(__dirname, "../..") });
    expect(r.stdout).toContain("the server proves its newest head (20 entries");
    expect(r.stdout).toContain(`VERIFIED workbook "${WB}": 20 entries`);
  });

  test("a sender changed in the database, then a restart: the next sync names the server that rewrote history", async () => {
    const { gw, sync, witness } = await setup();
    await appendPending(gw, WB, 12);
    await sync.syncNow();
    expect(witness.lastHead(server.base, WB)!.treeSize).toBe(12);
    await server.stop();
    sqlite((db) => db.prepare("UPDATE audit_entries SET received_by = 'bob' WHERE workbook_id = ? AND seq = 3").run(WB));
    await server.restart();
    await appendPending(gw, WB, 3);
    await sync.syncNow();
    await waitFor(() => sync.detail().phase === "stopped", `the sync to stop (${JSON.stringify(sync.detail())} ${JSON.stringify(sync.status())})`);
    expect(sync.status().kind).toBe("error");
    expect(errorOf(sync.status())).toContain(`The server ${server.base} rewrote the audit history of this workbook`);
    // The head kept is still the last good one.
    expect(witness.lastHead(server.base, WB)!.treeSize).toBe(12);
  });

  test("a server restored from an older backup (entries re-sent later) is named", async () => {
    const { gw, sync } = await setup();
    await appendPending(gw, WB, 10);
    await sync.syncNow();
    await appendPending(gw, WB, 10);
    await sync.syncNow();
    await server.stop();
    // "Restore" the state after the first batch: the last 10 rows are gone.
    sqlite((db) => {
      db.prepare("DELETE FROM audit_entries WHERE workbook_id = ? AND seq > 10").run(WB);
      const last = db.prepare("SELECT entry_hash, entry_id FROM audit_entries WHERE workbook_id = ? AND seq = 10").get(WB) as { entry_hash: string; entry_id: string };
      db.prepare("UPDATE workbooks SET entry_count = 10, last_hash = ?, last_entry_id = ? WHERE id = ?").run(last.entry_hash, last.entry_id, WB);
    });
    await server.restart();
    await appendPending(gw, WB, 2);
    await sync.syncNow();
    await waitFor(() => sync.detail().phase === "stopped", `the sync to stop (${JSON.stringify(sync.detail())} ${JSON.stringify(sync.status())})`);
    // The sync re-sends the lost rows (the sheet still has them); they are stored again with new
    // receive times, so the server's tree is not the one it signed before.
    expect(errorOf(sync.status())).toMatch(/rewrote the audit history|dropped history/);
    expect(errorOf(sync.status())).toContain(server.base);
  });

  test("a new signing key that does not list the pinned one as retired is named", async () => {
    const { gw, sync } = await setup();
    await appendPending(gw, WB, 4);
    await sync.syncNow();
    expect(sync.status()).toEqual({ kind: "synced" });
    await server.stop();
    options.serverKey = ephemeralServerKey();
    await server.restart();
    await appendPending(gw, WB, 1);
    await sync.syncNow();
    await waitFor(() => sync.detail().phase === "stopped", `the sync to stop (${JSON.stringify(sync.detail())} ${JSON.stringify(sync.status())})`);
    expect(errorOf(sync.status())).toContain("changed its signing key without listing the key this workbook trusts");
  });
});
