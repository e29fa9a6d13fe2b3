/**
 * The engine's entry hash (SHA-256 of canonicalAuditText, see src/engine/audit.ts) computed with
 * Node's synchronous SHA-256 instead of one Web Crypto call per entry. Same canonical text, same
 * function (FIPS 180-4), same UTF-8 encoding; test/server/hash.test.ts checks they agree.
 */
import { createHash } from "node:crypto";
import { canonicalAuditText, type AuditEntry } from "../engine/audit";

export function hashAuditEntrySync(entry: Omit<AuditEntry, "entryHash">): string {
  return createHash("sha256").update(canonicalAuditText(entry), "utf8").digest("hex");
}
