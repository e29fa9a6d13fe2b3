/* npm run verify (src/server/cli/verify.ts) and the server key of main.ts, as real processes over
   a SQLite data directory: a controller checks a trail against a head saved from a receipt, online
   and offline, and a trail altered in the database or in the file fails with exit status 1. */
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ephemeralServerKey } from "../../src/server/keys";
import { batches, chain } from "./helpers/chains";
import { startServerProcess, type ServerProcess } from "./helpers/child";

const REPO = path.resolve(__dirname, "../..");
const run = promisify(execFile);

async function cli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  try {
    const r = await run(process.execPath, ["--import", "tsx", path.join(REPO, "src/server/cli", script), ...args], { cwd: REPO, env: childEnv });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("npm run verify and the server key [sqlite]", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-verify-"));
  const env = { SEG_DATA_DIR: dir };
  const f = (name: string) => path.join(dir, name);
  let server: ServerProcess;
  let planner: string;
  let controller: string;
  const wb = "wb-verify-cli";

  beforeAll(async () => {
    planner = (await cli("token.ts", ["create", "--role", "planner", "--name", "alice"], env)).stdout.trim();
    controller = (await cli("token.ts", ["create", "--role", "controller", "--name", "carol"], env)).stdout.trim();
    server = await startServerProcess(env);
    const entries = await chain(wb, 30);
    const receipts = [];
    for (const b of batches(entries, 10)) {
      const r = await fetch(`${server.base}/api/v1/workbooks/${wb}/audit`, {
        method: "POST",
        headers: { authorization: `Bearer ${planner}`, "content-type": "application/json" },
        body: JSON.stringify({ entries: b }),
      });
      expect(r.status).toBe(201);
      receipts.push((await r.json()).receipt);
    }
    // The controller saved the receipt of the second batch (20 entries) earlier.
    writeFileSync(f("head-20.json"), JSON.stringify(receipts[1]));
  });
  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  test("the key is generated once with mode 0600, printed by token server-key, and served publicly", async () => {
    expect(statSync(f("server-signing-key.pem")).mode & 0o777).toBe(0o600);
    const printed = await cli("token.ts", ["server-key"], env);
    expect(printed.code).toBe(0);
    writeFileSync(f("key.json"), printed.stdout);
    const served = await (await fetch(`${server.base}/api/v1/server-key`)).json();
    expect(JSON.parse(printed.stdout)).toEqual(served);
    expect(server.output()).toContain(served.current.keyId);
  });

  test("online: the trail, the newest head and the consistency proof verify against the saved head", async () => {
    const r = await cli("verify.ts", ["--workbook", wb, "--head", f("head-20.json"), "--server", server.base, "--token", controller, "--key", f("key.json"), "--out", f("trail.json"), "--save-head", f("head-30.json")], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/the server proves its newest head \(30 entries/);
    expect(r.stdout).toMatch(/VERIFIED workbook "wb-verify-cli": 30 entries/);
    expect(JSON.parse(readFileSync(f("head-30.json"), "utf8")).treeSize).toBe(30);
  });

  test("offline: the saved trail file verifies; a changed sender in it, or another key, fails with status 1", async () => {
    const ok = await cli("verify.ts", ["--workbook", wb, "--head", f("head-20.json"), "--trail", f("trail.json"), "--key", f("key.json")], env);
    expect(ok.code).toBe(0);
    const saved = JSON.parse(readFileSync(f("trail.json"), "utf8"));
    saved.entries[7].receivedBy = "bob";
    writeFileSync(f("trail-bad.json"), JSON.stringify(saved));
    const bad = await cli("verify.ts", ["--workbook", wb, "--head", f("head-20.json"), "--trail", f("trail-bad.json"), "--key", f("key.json")], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/FAILED: trail: the first 20 entries are not those the server signed/);
    const other = ephemeralServerKey();
    writeFileSync(f("other.pem"), other.current.publicKeyPem);
    const wrongKey = await cli("verify.ts", ["--workbook", wb, "--head", f("head-20.json"), "--trail", f("trail.json"), "--key", f("other.pem")], env);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/FAILED: saved head: .* not among the server keys you trust/);
    const usage = await cli("verify.ts", ["--workbook", wb, "--head", f("head-20.json")], env);
    expect(usage.code).toBe(2);
  });

  test("a receive time changed in the database fails online with status 1", async () => {
    const db = new Database(f("seg.sqlite"));
    db.prepare("UPDATE audit_entries SET received_at = ? WHERE workbook_id = ? AND seq = 5").run("2026-01-01T00:00:00.000Z", wb);
    db.close();
    const r = await cli("verify.ts", ["--workbook", wb, "--head", f("head-20.json"), "--server", server.base, "--token", controller, "--key", f("key.json")], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED: trail: the first 20 entries are not those the server signed/);
  });
});
