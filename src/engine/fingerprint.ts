/**
 * Fingerprint of a block of cells (e.g. the finance range of a reconciliation): lowercase hex
 * SHA-256 (FIPS 180-4, via Web Crypto, as in audit.ts) of a canonical text, so that a range that
 * changed between the preview and the write is detected, and an audit entry can name exactly the
 * data it reconciled.
 * Canonical text (version "seg-range-v1"): JSON.stringify of ["seg-range-v1", address, rows], where
 * each row is an array of its cells with
 *  - blank (null, undefined, "") -> null (Excel on the web and desktop report blanks differently),
 *  - numbers as JavaScript writes them (shortest round-trip decimal; -0 -> 0; NaN/Infinity -> null),
 *  - text unchanged (a trailing space is a change), booleans as true/false,
 *  - trailing blank cells of a row dropped, so a range read one column wider hashes the same.
 * The address is part of the content: the same values moved elsewhere are a different range.
 */
import { sha256Hex } from "./audit";

export const RANGE_FINGERPRINT_TAG = "seg-range-v1";

function canonicalCell(c: unknown): string | number | boolean | null {
  if (c === null || c === undefined || c === "") return null;
  if (typeof c === "number") return Number.isFinite(c) ? (c === 0 ? 0 : c) : null;
  if (typeof c === "string" || typeof c === "boolean") return c;
  return String(c);
}

/** The canonical text hashed by fingerprintRange. */
export function canonicalRangeText(address: string, values: readonly (readonly unknown[])[]): string {
  const parts: string[] = [];
  for (const row of values) {
    let last = row.length - 1;
    while (last >= 0 && canonicalCell(row[last]) === null) last--;
    const cells: (string | number | boolean | null)[] = new Array(last + 1);
    for (let c = 0; c <= last; c++) cells[c] = canonicalCell(row[c]);
    parts.push(JSON.stringify(cells));
  }
  return `[${JSON.stringify(RANGE_FINGERPRINT_TAG)},${JSON.stringify(address)},[${parts.join(",")}]]`;
}

export async function fingerprintRange(address: string, values: readonly (readonly unknown[])[]): Promise<string> {
  return sha256Hex(canonicalRangeText(address, values));
}
