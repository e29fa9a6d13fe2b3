/**
 * The per-SKU fields that steps other than Classify and Policy add to a published snapshot item
 * (docs/backend.md "Snapshots"), keyed by SKU, and kept by each step for the model version it was
 * last written under: execution flags (issue 15), forecast and accuracy (issue 9), MRP export
 * fields (issue 12). Pure: no HTTP, no Office.
 */
import type { SnapshotItem } from "../client";
import type { ExecutionFlags } from "../engine/execution";

/** Fields of SnapshotItem a step adds beside the classification and policy values. */
export type ItemFields = Partial<Omit<SnapshotItem, "sku">>;

/** What a step hands to the publisher for a written model version. */
export interface WrittenFields {
  modelVersion: string;
  /** SKU → its fields. */
  bySku: ReadonlyMap<string, ItemFields>;
  /** Snapshot-level figures (e.g. accuracy per segment), merged into the snapshot's parameters under the step's key. */
  parameters?: Record<string, unknown>;
}

const TRANSPORT = new Set(["express", "standard", "economy"]);
const ZONES = new Set(["golden", "silver", "bronze"]);

/**
 * The execution flags of per-SKU rows as snapshot fields: 0 / "" / NaN (not set) become null,
 * crossDock is the evaluated eligibility (as the Execution sheet and executionCsv write it),
 * executionRules the ids of the rules used, space separated. Rows per SKU × customer are not
 * per-SKU items: call this only for product rows (`customer` all "").
 */
export function executionItemFields(sku: readonly (string | number)[], flags: ExecutionFlags): Map<string, ItemFields> {
  const out = new Map<string, ItemFields>();
  for (let i = 0; i < flags.rows; i++) {
    const rules = [...new Set(Object.values(flags.ruleOf[i]))].join(" ");
    const mode = flags.transportMode[i];
    const zone = flags.slottingZone[i];
    const atp = flags.atpWindowDays[i];
    out.set(String(sku[i]), {
      pickingPriority: flags.pickingPriority[i] > 0 ? flags.pickingPriority[i] : null,
      transportMode: TRANSPORT.has(mode) ? (mode as ItemFields["transportMode"]) : null,
      atpWindowDays: Number.isFinite(atp) && atp >= 0 ? atp : null,
      crossDock: flags.crossDock[i] === 1,
      slottingZone: ZONES.has(zone) ? (zone as ItemFields["slottingZone"]) : null,
      sequencePriority: flags.sequencePriority[i] > 0 ? flags.sequencePriority[i] : null,
      executionRules: rules ? rules.slice(0, 1024) : null,
    });
  }
  return out;
}

/** What forecastItemFields reads of a forecast run (src/app/forecastModel.ts ForecastJobResult). */
export interface ForecastFieldsSource {
  sku: readonly string[];
  n: number;
  horizon: number;
  /** Method name per SKU, null when not forecast. */
  methodName: (i: number) => string | null;
  /** n × horizon, overrides applied. */
  forecast: Float64Array;
  fittedRmse: Float64Array;
  backtest: { count: Float64Array; me: Float64Array; mae: Float64Array; rmse: Float64Array; wape: Float64Array; mase: Float64Array; ts: Float64Array; valueAdded: Float64Array };
  /** SKUs that could not be forecast (their fields are null). */
  rejected: (i: number) => boolean;
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The Forecast step's per-SKU figures as snapshot fields (issue 9): method, horizon values and backtest metrics; non-finite numbers become null. */
export function forecastItemFields(src: ForecastFieldsSource): Map<string, ItemFields> {
  const out = new Map<string, ItemFields>();
  const h = src.horizon;
  const bt = src.backtest;
  for (let i = 0; i < src.n; i++) {
    if (src.rejected(i)) {
      out.set(src.sku[i], { forecastMethod: null, forecast: null, forecastAccuracy: null });
      continue;
    }
    const values: (number | null)[] = new Array(h);
    for (let k = 0; k < h; k++) values[k] = fin(src.forecast[i * h + k]);
    const pairs = bt.count[i] > 0 ? Math.round(bt.count[i]) : 0;
    out.set(src.sku[i], {
      forecastMethod: src.methodName(i),
      forecast: values,
      forecastAccuracy: {
        pairs,
        me: pairs ? fin(bt.me[i]) : null,
        mae: pairs ? fin(bt.mae[i]) : null,
        rmse: pairs ? fin(bt.rmse[i]) : null,
        wape: pairs ? fin(bt.wape[i]) : null,
        mase: pairs ? fin(bt.mase[i]) : null,
        ts: pairs ? fin(bt.ts[i]) : null,
        valueAdded: pairs ? fin(bt.valueAdded[i]) : null,
        fittedRmse: fin(src.fittedRmse[i]),
      },
    });
  }
  return out;
}

/** Accuracy per segment (forecastModel.segmentAccuracy rows) as snapshot parameters, NaN as null. */
export function forecastParameters(horizon: number, backtestPeriods: number, bySegment: readonly Record<string, number | string>[]): Record<string, unknown> {
  return {
    horizon,
    backtestPeriods,
    bySegment: bySegment.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? fin(v) : v]))),
  };
}

/** MRP fields that are not already policy fields of the item. */
const MRP_ITEM_FIELDS = ["location", "min", "max", "roundingValue", "moq", "mrpType", "reviewPeriod"] as const;
/** The MRP export's field → the snapshot item's (names table: the rounding value is the API's orderMultiple). */
const ITEM_NAME: Record<(typeof MRP_ITEM_FIELDS)[number], string> = { location: "location", min: "min", max: "max", roundingValue: "orderMultiple", moq: "moq", mrpType: "mrpType", reviewPeriod: "reviewPeriod" };

/**
 * The MRP export rows (policySheets.mrpExportRows over every MRP field, in `fields` order) as
 * snapshot fields (issue 12): location, min, max, order multiple (the rounding value), MOQ, MRP type, review period.
 * Safety stock, reorder point and order quantity are already item fields (from the Policy sheet).
 */
export function mrpItemFields(fields: readonly string[], rows: readonly (readonly (string | number)[])[]): Map<string, ItemFields> {
  const at = (f: string) => fields.indexOf(f);
  const skuAt = at("sku");
  const out = new Map<string, ItemFields>();
  for (const r of rows) {
    const item: Record<string, string | number | null> = {};
    for (const f of MRP_ITEM_FIELDS) {
      const k = at(f);
      if (k < 0) continue;
      const v = r[k];
      item[ITEM_NAME[f]] = f === "location" || f === "mrpType" ? (v === "" ? null : String(v)) : typeof v === "number" && Number.isFinite(v) ? v : null;
    }
    out.set(String(r[skuAt]), item as ItemFields);
  }
  return out;
}
