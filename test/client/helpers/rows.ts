/* Audit rows for the sync tests: real entries sealed onto the chain with the engine's sealEntries. */
import { randomUUID } from "node:crypto";
import { AUDIT_ACTIONS, GENESIS_HASH, sealEntries, type UnsealedEntry } from "../../../src/engine/audit";
import type { AuditRow } from "../../../src/app/ports";
import type { MemoryGateway } from "../../helpers/memoryGateway";

let counter = 0;

/** Appends n pending entries to the gateway's SEG_Audit rows, linked to the last one there. */
export async function appendPending(gw: MemoryGateway, workbookId: string, n: number): Promise<AuditRow[]> {
  const prev = gw.auditRows.length ? gw.auditRows[gw.auditRows.length - 1].entryHash : GENESIS_HASH;
  const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);
  const unsealed: UnsealedEntry[] = Array.from({ length: n }, () => {
    const i = counter++;
    return {
      entryId: randomUUID(),
      timestamp: new Date(t0 + i * 1000).toISOString(),
      user: i % 2 ? "Alice" : "Bob",
      workbookId,
      action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length],
      sku: `SKU-${i % 11}`,
      field: "segment",
      oldValue: "BX",
      newValue: "AX",
      reason: `reason ${i}`,
      modelVersion: "20261125T090000Z-0badc0de",
    };
  });
  const rows: AuditRow[] = (await sealEntries(unsealed, prev)).map((e) => ({ ...e, syncState: "pending" }));
  await gw.audit.append(rows);
  return rows;
}

/** Polls until `cond` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
