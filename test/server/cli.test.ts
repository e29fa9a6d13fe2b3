/* The token CLI and main.ts as real processes: tokens created and revoked offline take effect on a
   running server; main prints its URL and storage, serves https with the configured certificate, uses
   PostgreSQL when DATABASE_URL is set, and exits cleanly on SIGINT/SIGTERM. */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { PG_URL, postgres } from "./helpers/backends";
import { startServerProcess } from "./helpers/child";

const REPO = path.resolve(__dirname, "../..");
const run = promisify(execFile);

async function tokenCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!("DATABASE_URL" in env)) delete childEnv.DATABASE_URL;
  try {
    const r = await run(process.execPath, ["--import", "tsx", path.join(REPO, "src/server/cli/token.ts"), ...args], { cwd: REPO, env: childEnv });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const me = (base: string, token: string) => fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

describe("token CLI and main.ts [sqlite]", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-cli-"));
  const env = { SEG_DATA_DIR: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("create prints the token once; list shows it without the secret; revoke takes effect on the running server", async () => {
    const created = await tokenCli(["create", "--role", "planner", "--name", "alice"], env);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^seg_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/planner token for "alice"/);
    const made = await tokenCli(["create", "--role", "controller", "--name", "erp", "--team", "EU planning"], env);
    expect(made.stderr).toMatch(/controller token for "erp" in team "EU planning"/);
    const second = made.stdout.trim();
    expect(second).not.toBe(token);

    const list = await tokenCli(["list"], env);
    expect(list.stdout).toMatch(/planner\s+active.*alice/);
    expect(list.stdout).not.toContain(token.slice(4));
    expect(list.stdout).toMatch(/controller\s+active\s+\S+\s+EU planning\s+erp/);

    const server = await startServerProcess(env);
    try {
      expect(server.banner).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(storage: sqlite .*seg\.sqlite\)$/);
      expect(await (await me(server.base, token)).json()).toMatchObject({ name: "alice", role: "planner" });
      const revoked = await tokenCli(["revoke", "--name", "alice"], env);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toMatch(/revoked .* \(planner, "alice"\)/);
      expect((await me(server.base, token)).status).toBe(401);
      expect(await (await me(server.base, second)).json()).toMatchObject({ name: "erp", team: "EU planning" });
      expect((await tokenCli(["revoke", "--name", "alice"], env)).code).toBe(1);
    } finally {
      server.child.kill("SIGINT");
      expect(await server.exited).toEqual({ code: 0, signal: null });
    }
  }, 60_000);

  test.each([
    [["create", "--role", "root", "--name", "x"], /--role must be one of/],
    [["create", "--role", "planner"], /--name is required/],
    [["create", "--role", "planner", "--name", "x", "--team", " "], /--team: give the team's name/],
    [["revoke"], /needs --id or --name/],
    [["frobnicate"], /unknown command/],
    [["create", "--colour", "red"], /Unknown option/],
  ])("refuses %p with usage and exit code 2", async (args, message) => {
    const r = await tokenCli(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/usage:/);
  }, 30_000);

  test("https with the certificate from configuration (the Office dev one, as npm start supplies it)", async () => {
    const certDir = path.join(dir, "certs");
    // What scripts/start.mjs does: make sure the dev certificates exist, then hand their files to the server.
    await run(process.execPath, ["-e", 'require("./scripts/certs.js").httpsOptions().catch((e) => { console.error(e); process.exit(1); })'], {
      cwd: REPO,
      env: { ...process.env, SEG_CERT_DIR: certDir },
    });
    const tls = { SEG_TLS_CERT: path.join(certDir, "localhost.crt"), SEG_TLS_KEY: path.join(certDir, "localhost.key") };
    const server = await startServerProcess({ ...env, SEG_HTTP: "0", ...tls }, 60_000);
    try {
      expect(server.base).toMatch(/^https:/);
      const ca = readFileSync(path.join(certDir, "ca.crt"));
      let hsts: unknown;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${server.base.replace("127.0.0.1", "localhost")}/health`, { ca }, (res) => {
            hsts = res.headers["strict-transport-security"];
            let s = "";
            res.on("data", (d) => (s += d));
            res.on("end", () => resolve(s));
          })
          .on("error", reject);
      });
      expect(JSON.parse(body)).toEqual({ status: "ok" });
      // issue 8, defect 16: HSTS over HTTPS, and the generated private key is for its owner only
      expect(hsts).toBe("max-age=31536000");
      expect(statSync(tls.SEG_TLS_KEY).mode & 0o777).toBe(0o600);
    } finally {
      server.child.kill("SIGTERM");
      expect((await server.exited).code).toBe(0);
    }
  }, 90_000);

  test("https without a certificate, or with an unreadable one, stops the start naming the variable", async () => {
    await expect(startServerProcess({ ...env, SEG_HTTP: "0" }, 20_000)).rejects.toThrow(/SEG_TLS_CERT and SEG_TLS_KEY/);
    const missing = { SEG_TLS_CERT: path.join(dir, "nope.crt"), SEG_TLS_KEY: path.join(dir, "nope.key") };
    await expect(startServerProcess({ ...env, SEG_HTTP: "0", ...missing }, 20_000)).rejects.toThrow(/SEG_TLS_CERT=.*nope\.crt: cannot read it/);
  }, 40_000);

  test("a bad setting stops the start with a message naming it", async () => {
    await expect(startServerProcess({ ...env, SEG_API_PORT: "http" }, 20_000)).rejects.toThrow(/SEG_API_PORT="http"/);
  }, 30_000);
});

(postgres.ok ? describe : describe.skip)("main.ts with DATABASE_URL [postgres]", () => {
  test("uses PostgreSQL, migrates on start, and the CLI writes to the same database", async () => {
    const schema = `seg_test_main_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const url = new URL(PG_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const env = { DATABASE_URL: url.toString() };
    try {
      const token = (await tokenCli(["create", "--role", "controller", "--name", "bi"], env)).stdout.trim();
      const server = await startServerProcess(env);
      try {
        expect(server.banner).toMatch(/\(storage: postgres postgres:\/\/.*127\.0\.0\.1:5432\/test\)$/);
        expect((await me(server.base, token)).status).toBe(200);
        expect(await (await fetch(`${server.base}/ready`)).json()).toEqual({ status: "ready", storage: "postgres" });
      } finally {
        server.child.kill("SIGTERM");
        expect((await server.exited).code).toBe(0);
      }
      const tables = await admin.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [schema]);
      expect(tables.rows.map((r) => r.table_name)).toEqual(["audit_entries", "change_requests", "input_cells", "input_changes", "input_state", "mapping_profiles", "reconciliations", "schema_migrations", "snapshot_items", "snapshots", "tokens", "workbooks"]);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  }, 60_000);
});
