/* Segmentation snapshots: publish (planner, owner), read and diff (everyone who may read the workbook). */
import { DEFAULT_ITEM_PAGE, LATEST, MAX_ITEM_PAGE, PATHS, diffSnapshots, getSnapshot, listSnapshots, publishSnapshot } from "../../api";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { HttpProblem } from "../problem";
import { diffItems, normalizeItem, snapshotContentHash } from "../snapshots";
import type { SnapshotInput, Storage } from "../storage/types";
import { parseCount } from "./params";

async function findSnapshot(storage: Storage, workbookId: string, version: string) {
  const snap = await storage.getSnapshot(workbookId, version === LATEST ? null : version);
  if (!snap) {
    throw new HttpProblem(
      "not-found",
      version === LATEST
        ? `workbook "${workbookId}" has no published snapshot`
        : `workbook "${workbookId}" has no snapshot with modelVersion "${version}"`,
    );
  }
  return snap;
}

export function snapshotRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;

  api.post(
    PATHS.snapshots,
    { schema: publishSnapshot, config: { access: ["planner"] }, bodyLimit: ctx.snapshotBodyLimit },
    async (req, reply) => {
      const { workbookId } = req.params;
      // The deprecated item names (LEGACY_ITEM_FIELDS) become the new ones before hashing and storing.
      const input: SnapshotInput = { ...req.body, items: req.body.items.map((item, i) => normalizeItem(item, `body.items[${i}]`)) };
      if (input.modelVersion === LATEST) {
        throw new HttpProblem("validation", `body.modelVersion "${LATEST}" is reserved (it names the newest snapshot)`, {
          field: "body.modelVersion",
        });
      }
      const seen = new Map<string, number>();
      input.items.forEach((item, i) => {
        const first = seen.get(item.sku);
        if (first !== undefined) {
          throw new HttpProblem("validation", `body.items[${i}].sku "${item.sku}" repeats body.items[${first}].sku`, {
            field: `body.items[${i}].sku`,
          });
        }
        seen.set(item.sku, i);
      });
      const hash = snapshotContentHash(input.parameters, input.items);
      const outcome = await storage.publishSnapshot(workbookId, identity(req), input, hash, ctx.now().toISOString());
      switch (outcome.kind) {
        case "forbidden":
          throw new HttpProblem("forbidden", `workbook "${workbookId}" belongs to another planner; nothing was stored`);
        case "conflict":
          throw new HttpProblem(
            "snapshot-conflict",
            `modelVersion "${input.modelVersion}" of workbook "${workbookId}" was already published with different content (at ${outcome.meta.publishedAt}); publish under a new modelVersion`,
          );
        case "exists":
          return reply.code(200).send({ created: false, snapshot: outcome.meta });
        case "created":
          return reply.code(201).send({ created: true, snapshot: outcome.meta });
      }
    },
  );

  api.get(
    PATHS.snapshots,
    { schema: listSnapshots, config: { access: READERS } },
    async (req) => {
      await readableWorkbook(storage, identity(req), req.params.workbookId);
      return { snapshots: await storage.listSnapshots(req.params.workbookId) };
    },
  );

  api.get(
    PATHS.snapshot,
    { schema: getSnapshot, config: { access: READERS } },
    async (req) => {
      const { workbookId, modelVersion } = req.params;
      await readableWorkbook(storage, identity(req), workbookId);
      const snap = await findSnapshot(storage, workbookId, modelVersion);
      const offset = parseCount(req.query.offset, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = parseCount(req.query.limit, "limit", DEFAULT_ITEM_PAGE, 1, MAX_ITEM_PAGE);
      const items = await storage.getSnapshotItems(workbookId, snap.modelVersion, { offset, limit, sku: req.query.sku });
      const { parameters, ...meta } = snap;
      const more = req.query.sku === undefined && offset + items.length < snap.itemCount;
      return { snapshot: meta, parameters, items, nextOffset: more ? offset + items.length : null };
    },
  );

  api.get(
    PATHS.snapshotDiff,
    { schema: diffSnapshots, config: { access: READERS } },
    async (req) => {
      const { workbookId, modelVersion } = req.params;
      await readableWorkbook(storage, identity(req), workbookId);
      const to = await findSnapshot(storage, workbookId, modelVersion);
      const from = await findSnapshot(storage, workbookId, req.query.from);
      const [fromItems, toItems] = await Promise.all([
        storage.getSnapshotItems(workbookId, from.modelVersion),
        storage.getSnapshotItems(workbookId, to.modelVersion),
      ]);
      const { parameters: _p1, ...fromMeta } = from;
      const { parameters: _p2, ...toMeta } = to;
      return { from: fromMeta, to: toMeta, ...diffItems(fromItems, toItems) };
    },
  );
}
