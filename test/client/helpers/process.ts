/* The real server entry point (src/server/main.ts) as a child process: plain http, loopback, a fixed port. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";

const REPO = path.resolve(__dirname, "../../..");

export interface ServerChild {
  child: ChildProcess;
  base: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts `node --import tsx src/server/main.ts` on 127.0.0.1:port over dataDir; resolves once it listens. */
export function spawnServer(port: number, dataDir: string, timeoutMs = 30_000): Promise<ServerChild> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEG_HTTP: "1",
    SEG_API_PORT: String(port),
    SEG_API_HOST: "127.0.0.1",
    SEG_DATA_DIR: dataDir,
    SEG_RATE_LIMIT_MAX: "0",
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/server/main.ts")], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      if (!/listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1/.test(out)) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve({ child, base: `http://127.0.0.1:${port}`, output: () => out, exited });
    };
    child.stdout!.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    });
  });
}
