/* Audit chains for the tests and the benchmark, sealed with the engine's own sealEntries. */
import { randomUUID } from "node:crypto";
import { AUDIT_ACTIONS, GENESIS_HASH, sealEntries, type AuditEntry, type UnsealedEntry } from "../../../src/engine/audit";

export interface ChainOptions {
  start?: number;
  /** Milliseconds since epoch of the first entry; one second apart. */
  t0?: number;
  user?: string;
  override?: (i: number) => Partial<UnsealedEntry>;
}

export function unsealed(workbookId: string, n: number, opts: ChainOptions = {}): UnsealedEntry[] {
  const t0 = opts.t0 ?? Date.UTC(2026, 10, 25, 9, 0, 0);
  const start = opts.start ?? 0;
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    return {
      entryId: randomUUID(),
      timestamp: new Date(t0 + i * 1000).toISOString(),
      user: opts.user ?? (i % 3 === 0 ? "Bob" : "Alice"),
      workbookId,
      action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length],
      sku: `SKU-${i % 7}`,
      field: "segment",
      oldValue: "BX",
      newValue: "AX",
      reason: `reason ${i}`,
      modelVersion: "m1",
      ...opts.override?.(i),
    };
  });
}

/** A sealed chain of n entries after `prevHash`. */
export async function chain(workbookId: string, n: number, prevHash: string = GENESIS_HASH, opts: ChainOptions = {}): Promise<AuditEntry[]> {
  return sealEntries(unsealed(workbookId, n, opts), prevHash);
}

export function batches<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
