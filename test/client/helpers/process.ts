/* The real server entry point (src/server/main.ts) as a child process: plain http, loopback, a fixed
   port (so a restarted server comes back where the client expects it). Built on the server tests'
   own starter. */
import { createServer, type AddressInfo } from "node:net";
import { startServerProcess, type ServerProcess } from "../../server/helpers/child";

export type ServerChild = ServerProcess;

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts main.ts on 127.0.0.1:port over dataDir with SQLite and no rate limit; resolves once it listens. */
export function spawnServer(port: number, dataDir: string, timeoutMs = 30_000): Promise<ServerChild> {
  return startServerProcess({ SEG_API_PORT: String(port), SEG_DATA_DIR: dataDir, SEG_RATE_LIMIT_MAX: "0" }, timeoutMs);
}
