/*
 * Per-SKU reads of published snapshots for other systems (issue 15, docs/execution.md): one SKU in
 * one call (order routing), a filtered and paginated list (ML, planning systems), and the execution
 * flags as a flat CSV for partner systems. Everyone who may read the workbook.
 */
import {
  DEFAULT_ITEM_PAGE,
  LATEST,
  MAX_ITEM_PAGE,
  MAX_SNAPSHOT_ITEMS,
  PATHS,
  exportExecutionCsv,
  exportMrpCsv,
  getForecastAccuracy,
  getSnapshotSku,
  listSnapshotSkus,
  type SkuFilterQuery,
} from "../../api";
import { EXECUTION_CSV_HEADER, toCsv, type CsvValue } from "../../engine/execution";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { mrpCsv, mrpSettingsOf } from "../mrpCsv";
import { HttpProblem } from "../problem";
import type { ItemFilter, Storage } from "../storage/types";
import { parseCount } from "./params";

async function findVersion(storage: Storage, workbookId: string, version: string) {
  const snap = await storage.getSnapshot(workbookId, version === LATEST ? null : version);
  if (!snap) {
    throw new HttpProblem(
      "not-found",
      version === LATEST ? `workbook "${workbookId}" has no published snapshot` : `workbook "${workbookId}" has no snapshot with modelVersion "${version}"`,
    );
  }
  const { parameters: _p, ...meta } = snap;
  return meta;
}

function toFilter(q: SkuFilterQuery): ItemFilter {
  const bool = (v: "true" | "false" | undefined) => (v === undefined ? undefined : v === "true");
  return {
    segment: q.segment,
    abc: q.abc,
    xyz: q.xyz,
    pattern: q.pattern,
    transportMode: q.transportMode,
    slottingZone: q.slottingZone,
    crossDock: bool(q.crossDock),
    overridden: bool(q.overridden),
  };
}

const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const intOr0 = (v: unknown): number => (typeof v === "number" && Number.isInteger(v) ? v : 0);

/** parameters.forecast as the pane publishes it (publishService: the Forecast step's figures), or null. */
function forecastOf(parameters: Record<string, unknown>) {
  const f = parameters.forecast as { horizon?: unknown; backtestPeriods?: unknown; bySegment?: unknown } | undefined;
  if (!f || typeof f !== "object" || !Array.isArray(f.bySegment)) return null;
  return {
    horizon: intOr0(f.horizon),
    backtestPeriods: typeof f.backtestPeriods === "number" && Number.isInteger(f.backtestPeriods) ? f.backtestPeriods : null,
    bySegment: (f.bySegment as Record<string, unknown>[]).map((r) => ({
      segment: String(r?.segment ?? ""),
      skus: intOr0(r?.skus),
      backtested: intOr0(r?.backtested),
      wape: numOrNull(r?.wape),
      bias: numOrNull(r?.bias),
      exceptions: intOr0(r?.exceptions),
      valueAtRisk: numOrNull(r?.valueAtRisk),
      wapeMax: numOrNull(r?.wapeMax),
      tsMax: numOrNull(r?.tsMax),
    })),
  };
}

/** A file name that is safe in a Content-Disposition header whatever the model version holds. */
function csvFileName(modelVersion: string, kind = "execution"): string {
  return `${kind}-${modelVersion.replace(/[^A-Za-z0-9._+-]/g, "_")}.csv`;
}

export function skuRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;

  api.get(PATHS.snapshotSku, { schema: getSnapshotSku, config: { access: READERS } }, async (req) => {
    const { workbookId, modelVersion, sku } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const meta = await findVersion(storage, workbookId, modelVersion);
    const [item] = await storage.getSnapshotItems(workbookId, meta.modelVersion, { offset: 0, limit: 1, sku });
    if (!item) throw new HttpProblem("not-found", `SKU "${sku}" is not in snapshot "${meta.modelVersion}" of workbook "${workbookId}"`);
    return { modelVersion: meta.modelVersion, ...item };
  });

  api.get(PATHS.snapshotSkus, { schema: listSnapshotSkus, config: { access: READERS } }, async (req) => {
    const { workbookId, modelVersion } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const meta = await findVersion(storage, workbookId, modelVersion);
    const offset = parseCount(req.query.offset, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = parseCount(req.query.limit, "limit", DEFAULT_ITEM_PAGE, 1, MAX_ITEM_PAGE);
    // One more than asked tells whether another page follows.
    const items = await storage.querySnapshotItems(workbookId, meta.modelVersion, toFilter(req.query), offset, limit + 1);
    const more = items.length > limit;
    if (more) items.pop();
    return { snapshot: meta, items, nextOffset: more ? offset + items.length : null };
  });

  api.get(PATHS.executionCsv, { schema: exportExecutionCsv, config: { access: READERS } }, async (req, reply) => {
    const { workbookId, modelVersion } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const meta = await findVersion(storage, workbookId, modelVersion);
    const items = await storage.querySnapshotItems(workbookId, meta.modelVersion, toFilter(req.query), 0, MAX_SNAPSHOT_ITEMS);
    const rows: CsvValue[][] = items.map((it) => [
      it.sku,
      "",
      it.segment ?? null,
      it.pattern ?? null,
      it.pickingPriority ?? null,
      it.transportMode ?? null,
      it.atpWindowDays ?? null,
      it.crossDock ?? null,
      it.slottingZone ?? null,
      it.sequencePriority ?? null,
      it.executionRules ?? null,
    ]);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${csvFileName(meta.modelVersion)}"`)
      .send(toCsv(EXECUTION_CSV_HEADER, rows));
  });

  api.get(PATHS.forecastAccuracy, { schema: getForecastAccuracy, config: { access: READERS } }, async (req) => {
    const { workbookId, modelVersion } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const snap = await storage.getSnapshot(workbookId, modelVersion === LATEST ? null : modelVersion);
    if (!snap) await findVersion(storage, workbookId, modelVersion); // throws the 404
    const { parameters, ...meta } = snap!;
    const forecast = forecastOf(parameters);
    if (!forecast) throw new HttpProblem("not-found", `snapshot "${meta.modelVersion}" of workbook "${workbookId}" was published without a forecast`);
    return { snapshot: meta, ...forecast };
  });

  api.get(PATHS.mrpCsv, { schema: exportMrpCsv, config: { access: READERS } }, async (req, reply) => {
    const { workbookId, modelVersion } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const snap = await storage.getSnapshot(workbookId, modelVersion === LATEST ? null : modelVersion);
    if (!snap) await findVersion(storage, workbookId, modelVersion); // throws the 404
    const { parameters, ...meta } = snap!;
    let settings;
    try {
      settings = mrpSettingsOf(parameters);
    } catch (e) {
      throw new HttpProblem("not-found", `snapshot "${meta.modelVersion}" has no usable MRP export settings: ${(e as Error).message}`);
    }
    if (!settings) throw new HttpProblem("not-found", `snapshot "${meta.modelVersion}" of workbook "${workbookId}" was published without an MRP export`);
    const items = await storage.getSnapshotItems(workbookId, meta.modelVersion);
    const out = mrpCsv(items, settings, meta.modelVersion, req.query.names ?? "published");
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${csvFileName(meta.modelVersion, "mrp")}"`)
      .header("x-seg-skipped", String(out.skipped))
      .send(out.csv);
  });
}
