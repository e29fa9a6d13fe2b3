/**
 * Model version id of one classification run: the UTC timestamp of the run and the first 8 hex
 * digits of SHA-256 over the canonical JSON of its parameters (cut-offs, options, mapping, policy
 * grid) and that timestamp, e.g. "20261125T100000Z-3fa9c2d1". Runs with the same parameters differ
 * by time; the parameters themselves go into the classify-run audit entry.
 */
import { sha256Hex } from "../engine/audit";

/** JSON with object keys sorted, so equal parameters give equal text. */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(",")}]`;
  if (x && typeof x === "object") {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  if (typeof x === "number" && !Number.isFinite(x)) return "null";
  return JSON.stringify(x) ?? "null";
}

export async function makeModelVersion(parameters: unknown, now: Date): Promise<string> {
  const iso = now.toISOString();
  const compact = iso.slice(0, 19).replace(/[-:]/g, "") + "Z";
  const hash = await sha256Hex(`${canonicalJson(parameters)}|${iso}`);
  return `${compact}-${hash.slice(0, 8)}`;
}
