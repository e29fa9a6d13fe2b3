/**
 * --publish: one snapshot of the run on the backend, through the same client the pane uses
 * (src/client/api.ts), as the items of every partition. A key with a location publishes its sku
 * as "sku@location", a partition prefixes "part/". The server takes at most MAX_SNAPSHOT_ITEMS
 * (200,000) items per snapshot: larger runs are refused here, before anything is sent.
 */
import { SegApiClient } from "../client/api";
import type { SnapshotItem } from "../client/types";
import type { FinishedPartition } from "./classify";

export const MAX_PUBLISH_ITEMS = 200_000;

const num = (x: number) => (x === x ? x : null);

export function snapshotItems(parts: readonly FinishedPartition[]): SnapshotItem[] {
  const items: SnapshotItem[] = [];
  for (const p of parts) {
    for (let i = 0; i < p.sku.length; i++) {
      const key = `${p.part ? `${p.part}/` : ""}${p.sku[i]}${p.location[i] ? `@${p.location[i]}` : ""}`;
      items.push({
        sku: key,
        value: num(p.value[i]),
        cumShare: num(p.cumShare[i]),
        abc: (p.abc[i] || null) as SnapshotItem["abc"],
        cv: num(p.cv[i]),
        xyz: (["X", "Y", "Z"].includes(p.xyz[i]) ? p.xyz[i] : null) as SnapshotItem["xyz"],
        adi: num(p.adi[i]),
        cv2: num(p.cv2[i]),
        pattern: (["smooth", "erratic", "intermittent", "lumpy"].includes(p.pattern[i]) ? p.pattern[i] : null) as SnapshotItem["pattern"],
        segment: p.segment[i] || null,
        serviceLevel: num(p.serviceLevel[i]),
        meanDemand: num(p.demandMean[i]),
        sdDemand: num(p.demandSd[i]),
        leadTime: num(p.leadTime[i]),
        safetyStock: num(p.safetyStock[i]),
        reorderPoint: num(p.reorderPoint[i]),
        orderQuantity: num(p.orderQty[i]),
        error: p.notes.get(i) ?? null,
      });
    }
  }
  return items;
}

export async function publishPartitions(
  conn: { baseUrl: string; token: string },
  workbookId: string,
  modelVersion: string,
  parameters: Record<string, unknown>,
  parts: readonly FinishedPartition[],
): Promise<{ items: number; created: boolean }> {
  const total = parts.reduce((s, p) => s + p.sku.length, 0);
  if (total > MAX_PUBLISH_ITEMS) throw new Error(`--publish: ${total} items exceed the server's ${MAX_PUBLISH_ITEMS} per snapshot; publish per region (--by) in separate runs or leave --publish off`);
  const client = new SegApiClient({ baseUrl: conn.baseUrl, token: conn.token, fetch: (u, i) => fetch(u, i) });
  const r = await client.publishSnapshot(workbookId, { modelVersion, parameters, items: snapshotItems(parts) });
  return { items: total, created: r.created };
}
