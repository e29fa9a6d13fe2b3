/**
 * Whether an error means "the database is not answering" (down, refusing, hanging past its time
 * limits, locked by another process) rather than a bug: the server answers those with a 503 that
 * names no host or port, and the request can be retried.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EPIPE", "EAI_AGAIN"]);
/** PostgreSQL SQLSTATEs: connection exceptions (08…), operator intervention (57…), too many connections. */
const PG_UNAVAILABLE = /^(08\d{3}|57P0[1-4]|57014|53300)$/;
const PG_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Client has encountered a connection error/i;

export function isStorageUnavailable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code)) return true;
    if (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED") return true;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === "string" && PG_MESSAGES.test(message);
}
