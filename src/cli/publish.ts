/**
 * --publish: one snapshot of the run on the backend, through the same client the pane uses
 * (src/client/api.ts), as the items of every partition. A key with a location publishes its sku
 * as "sku@location", a partition prefixes "part/". The server takes at most MAX_SNAPSHOT_ITEMS
 * (200,000) items per snapshot: larger runs are refused after the first pass (the key count), before
 * any row is written or anything is sent.
 */
import { SegApiClient, type FetchLike } from "../client/api";
import type { SnapshotItem } from "../client/types";
import type { FinishedRows } from "./classify";

export const MAX_PUBLISH_ITEMS = 200_000;
/** The server's limits on one item (src/api/snapshots.ts, as src/app/publishService.ts keeps them). */
const MAX_SKU_LENGTH = 256;
const MAX_ERROR_LENGTH = 1024;
const SEGMENT = /^[ABC][XYZ]$/;
const PATTERNS = new Set(["smooth", "erratic", "intermittent", "lumpy"]);

const num = (x: number) => (x === x ? x : null);

/**
 * The snapshot items of finished rows, with the pane's conventions (src/app/publishService.ts):
 * keys without demand (XYZ class N, segment "CN") have segment and xyz null; serviceLevel is the
 * cycle service level of "csl" segments and null for "fill" ones (their target is a fill rate, in
 * the parameters' grid); error carries the row's note.
 */
export function snapshotItems(parts: readonly FinishedRows[]): SnapshotItem[] {
  const items: SnapshotItem[] = [];
  for (const p of parts) {
    for (let i = 0; i < p.rows; i++) {
      const key = `${p.part ? `${p.part}/` : ""}${p.sku[i]}${p.location[i] ? `@${p.location[i]}` : ""}`;
      if (key.length > MAX_SKU_LENGTH) throw new Error(`--publish: key "${key.slice(0, 40)}…" is longer than the ${MAX_SKU_LENGTH} characters the server accepts`);
      const note = p.notes.get(i);
      items.push({
        sku: key,
        value: num(p.value[i]),
        cumShare: num(p.cumShare[i]),
        abc: (["A", "B", "C"].includes(p.abc[i]) ? p.abc[i] : null) as SnapshotItem["abc"],
        cv: num(p.cv[i]),
        xyz: (["X", "Y", "Z"].includes(p.xyz[i]) ? p.xyz[i] : null) as SnapshotItem["xyz"],
        adi: num(p.adi[i]),
        cv2: num(p.cv2[i]),
        pattern: (PATTERNS.has(p.pattern[i]) ? p.pattern[i] : null) as SnapshotItem["pattern"],
        segment: SEGMENT.test(p.segment[i]) ? p.segment[i] : null,
        serviceLevel: p.method[i] === "csl" ? num(p.serviceLevel[i]) : null,
        demandMean: num(p.demandMean[i]),
        demandSd: num(p.demandSd[i]),
        leadTime: num(p.leadTime[i]),
        safetyStock: num(p.safetyStock[i]),
        reorderPoint: num(p.reorderPoint[i]),
        orderQty: num(p.orderQty[i]),
        error: note ? note.slice(0, MAX_ERROR_LENGTH) : null,
      });
    }
  }
  return items;
}

/**
 * Publishes the items as one snapshot. fetchImpl defaults to the global fetch (Node 20); the
 * server answers 201 for a new snapshot and 200 when the same model version is already there.
 */
export async function publishSnapshot(
  conn: { baseUrl: string; token: string },
  workbookId: string,
  modelVersion: string,
  parameters: Record<string, unknown>,
  items: SnapshotItem[],
  fetchImpl: FetchLike = (u, i) => fetch(u, i),
): Promise<{ items: number; created: boolean }> {
  if (items.length > MAX_PUBLISH_ITEMS) throw new Error(`--publish: ${items.length} items exceed the server's ${MAX_PUBLISH_ITEMS} per snapshot; publish per region (--by) in separate runs or leave --publish off`);
  const client = new SegApiClient({ baseUrl: conn.baseUrl, token: conn.token, fetch: fetchImpl });
  const r = await client.publishSnapshot(workbookId, { modelVersion, parameters, items });
  return { items: items.length, created: r.created };
}
