/* Segmentation snapshots: publish (planner, owner), read and diff (everyone who may read the workbook). */
import { errorCodes } from "fastify";
import { DEFAULT_ITEM_PAGE, LATEST, MAX_ITEM_PAGE, PATHS, diffSnapshots, getSnapshot, listSnapshots, publishSnapshot } from "../../api";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { HttpProblem } from "../problem";
import { prepareSnapshotBody, RawBody } from "../publishPrepare";
import { diffItems } from "../snapshots";
import type { Storage } from "../storage/types";
import { compileSchema, type Validator } from "../validation";
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

  // Publication in a scope of its own (issue 8 defect 15): the body is read raw and prepared off
  // the event loop (../publishPrepare.ts); path parameters are validated as everywhere else.
  void api.register(async (scope) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => {
      if ((body as Buffer).length === 0) done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
      else done(null, new RawBody(body as Buffer));
    });
    scope.setValidatorCompiler(({ schema, httpPart }) => {
      const validate = compileSchema(schema as object, httpPart);
      if (httpPart !== "body") return validate;
      // The raw body passes here and is validated by prepareSnapshot; anything else (no body at
      // all) gets the schema's own answer, as on every other route.
      const body: Validator = (data: unknown) => {
        if (data instanceof RawBody) {
          body.errors = null;
          return true;
        }
        const ok = validate(data);
        body.errors = validate.errors ?? null;
        return ok;
      };
      return body;
    });
    scope.post(
      PATHS.snapshots,
      { schema: publishSnapshot, config: { access: ["planner"] }, bodyLimit: ctx.snapshotBodyLimit },
      async (req, reply) => {
        const { workbookId } = req.params as { workbookId: string };
        const snap = await prepareSnapshotBody((req.body as unknown as RawBody).bytes);
        const outcome = await storage.publishSnapshot(workbookId, identity(req), snap, ctx.now().toISOString());
        switch (outcome.kind) {
          case "forbidden":
            throw new HttpProblem("forbidden", `workbook "${workbookId}" belongs to another planner; nothing was stored`);
          case "busy":
            throw new HttpProblem(
              "snapshot-conflict",
              `modelVersion "${snap.modelVersion}" of workbook "${workbookId}" is being published by another request right now; retry in a moment`,
            );
          case "conflict":
            throw new HttpProblem(
              "snapshot-conflict",
              `modelVersion "${snap.modelVersion}" of workbook "${workbookId}" was already published with different content (at ${outcome.meta.publishedAt}); publish under a new modelVersion`,
            );
          case "exists":
            return reply.code(200).send({ created: false, snapshot: outcome.meta });
          case "created":
            return reply.code(201).send({ created: true, snapshot: outcome.meta });
        }
      },
    );
  });

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
