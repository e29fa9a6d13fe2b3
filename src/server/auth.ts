/**
 * Bearer tokens: "seg_" + 32 random bytes in base64url (43 characters). The server keeps only the
 * SHA-256 hex of the whole token string, so a copy of the database does not hand out access.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { NewToken, Role, Storage, TokenRecord } from "./storage/types";

export const TOKEN_PREFIX = "seg_";
const TOKEN_BYTES = 32;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString("base64url");
}

/** Creates and stores a token; the clear text is returned once and never stored. */
export async function issueToken(
  storage: Storage,
  name: string,
  role: Role,
  now: Date = new Date(),
  team: string | null = null,
): Promise<{ token: string; record: TokenRecord }> {
  const token = generateToken();
  const record: NewToken = { id: randomUUID(), name, role, team, tokenHash: hashToken(token), createdAt: now.toISOString() };
  await storage.createToken(record);
  return { token, record: { id: record.id, name, role, team, createdAt: record.createdAt, revokedAt: null } };
}

/** The token from an "Authorization: Bearer <token>" header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(header);
  return m ? m[1] : null;
}
