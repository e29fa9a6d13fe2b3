/* The real server (src/server/main.ts) as a child process on a random loopback port. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const REPO = path.resolve(__dirname, "../../..");

export interface ServerProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 (https when SEG_HTTP is not 1) */
  base: string;
  /** The line main.ts printed when it started listening. */
  banner: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts main.ts (plain http unless env says otherwise) on 127.0.0.1 and a free port; resolves once it listens. */
export function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SEG_HTTP: "1", SEG_API_PORT: "0", SEG_API_HOST: "127.0.0.1", ...env };
  if (!("DATABASE_URL" in env)) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/server/main.ts")], {
    cwd: REPO,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const m = /listening on (https?:\/\/127\.0\.0\.1:\d+)\/api\/v1.*$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve({ child, base: m[1], banner: m[0], output: () => out, exited });
    };
    child.stdout!.on("data", onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    });
  });
}
