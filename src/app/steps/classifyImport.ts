/**
 * The Classify step's side of an imported extract (the import step, src/app/steps/import.ts): when
 * histories are bucketed, Classify takes them as its source (no sheet range, no column mapping:
 * the import mapped the file), with periods a year from the import's calendar; its Classify button
 * then runs the same classification job on them. Kept out of classify.ts so that the two stay
 * small; classify.ts calls these two functions.
 */
import { assessFreshness, NO_DATA, type FreshnessResult, type InputRefresh } from "../../engine/freshness";
import { daysFromCivil } from "../../engine/periods";
import { classifyOptionProblems, type ClassificationResult, type RunInput } from "../classifyTypes";
import type { ParsedTable } from "../parse";
import { applyFallbacks, decideHierarchy, qualityReport, type HierarchySourceIn, type SourceFacts } from "../sourceFacts";
import { calendarWords, hasUnitCost, importedTable, type BucketedHistory } from "../importSource";
import type { ChurnStage } from "../churnStage";
import { importedRuleAttributes } from "../rulesApply";
import { emptyMapping } from "../mapping";
import type { StepContext } from "../step";
import type { TaskContext } from "../store";
import type { ClassifyState } from "./classify";

export interface ImportedSource {
  fileName: string;
  histories: number;
  periods: number;
  /** "ISO weeks (…)", with the first and last period labels. */
  calendar: string;
  firstLabel: string;
  lastLabel: string;
  /** False: no unit cost mapped, ABC ranks annual units. */
  unitCost: boolean;
  /** describeBucketCounts of the import. */
  summary: string;
}

/** The Classify state for the import step's bucketed histories (null when there are none). */
export function importedSourceState(ctx: StepContext<"classify">): Partial<ClassifyState> | null {
  const imp = ctx.peek("import");
  const h = imp?.bucketed;
  if (!imp || !h || !imp.file) return null;
  const s = ctx.state();
  const options = { ...s.options, periodsPerYear: h.periodsPerYear };
  const imported: ImportedSource = {
    fileName: imp.file.name,
    histories: h.n,
    periods: h.periods,
    calendar: calendarWords(imp.options.calendar),
    firstLabel: h.labels[0] ?? "",
    lastLabel: h.labels[h.labels.length - 1] ?? "",
    unitCost: hasUnitCost(h),
    summary: h.summary,
  };
  return {
    imported,
    source: { sheetName: imp.file.name, address: imp.file.name, firstRow: 0, firstColumn: 0, rows: h.n, columns: h.periods },
    headers: [],
    rowPreviews: [],
    detectedHeaderRow: null,
    mapping: emptyMapping(0),
    mappingProblems: [],
    mappingRemembered: false,
    options,
    optionProblems: classifyOptionProblems(options),
    periodsInferred: { periodsPerYear: h.periodsPerYear, basis: imported.calendar },
    periodsSetByHand: false,
    preview: null,
    run: null,
  };
}

/** The bucketed histories up to period `periods` (an as-of period before the newest). */
export function historiesUpTo(h: BucketedHistory, periods: number): BucketedHistory {
  if (periods >= h.periods) return h;
  const history = new Float64Array(h.n * periods);
  for (let i = 0; i < h.n; i++) history.set(h.history.subarray(i * h.periods, i * h.periods + periods), i * periods);
  return { ...h, periods, history, labels: h.labels.slice(0, periods) };
}

/**
 * Classifies the imported histories under the current options; null when the import is gone. The
 * same dynamic part as a sheet range (src/app/churnStage.ts): the rolling window and as-of period
 * over the bucketed periods, promotion periods, churn control against the last written Segments
 * sheet, then the data-flag fallbacks, then the business rules (on SKU, Location, Family,
 * Category and History periods).
 */
export async function importedRun(ctx: StepContext<"classify">, s: ClassifyState, task: TaskContext, dynamic: ChurnStage): Promise<RunInput | null> {
  const imp = ctx.peek("import");
  const full = imp?.bucketed;
  if (!full || !s.imported) throw new Error("The imported extract is no longer bucketed (its mapping or options changed): bucket it again above.");
  if (s.optionProblems.length) throw new Error(s.optionProblems[0]);
  const plan = dynamic.planImport(full.labels, emptyMapping(0), s.options);
  const options = plan.options;
  const h = historiesUpTo(full, plan.window.end + 1);
  const parsed = importedTable(h, options, s.imported.fileName);
  const promotions = await dynamic.promotions(parsed, plan);
  const job = { parsed, options, exclude: promotions };
  let result = await ctx.runner.run("classify", job, { signal: task.signal, onProgress: task.progress });
  const built = sourceFacts(ctx, parsed, result, s.run);
  if (built.freshness && built.freshness.counts.exclude > 0) {
    // stale or missing data with the fallback "exclude": classify again with those SKUs left out of the ranking
    const fr = built.freshness;
    const exclude = new Uint8Array(parsed.n);
    for (let i = 0; i < parsed.n; i++) if (fr.action[i] === "exclude") exclude[i] = 1;
    result = await ctx.runner.run("classify", { ...job, excludeSku: exclude, excludeSkuReason: fr.flag }, { signal: task.signal, onProgress: task.progress });
  }
  const fr = built.freshness;
  result = await dynamic.control(parsed, result, plan, {
    attributes: () => importedRuleAttributes(h, parsed, built.facts),
    between: fr ? (r) => applyFallbacks(r, fr) : undefined,
  });
  const n = (x: number) => x.toLocaleString();
  const inactive = result.inactive.reduce((a, b) => a + b, 0);
  ctx.store.notice(
    `Classified ${n(parsed.n)} ${h.location.some(Boolean) ? "SKU-locations" : "SKUs"} from ${s.imported.fileName}${inactive ? ` (${n(inactive)} inactive)` : ""}${s.imported.unitCost ? "" : "; no unit cost mapped, so ABC ranks annual units"}. Check the preview, then write from the Write tab.`,
  );
  return { sourceAddress: s.imported.fileName, mapping: emptyMapping(0), options, parsed, result, facts: built.facts, modelParameters: dynamic.parameters(), ruleDecisions: dynamic.ruleDecisions(result) };
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The cycle date's epoch day (yyyy-mm-dd, or today from the pane's clock). */
function cycleDay(date: string | null, now: Date): number {
  const m = date ? ISO_DAY.exec(date) : null;
  return m ? daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) : Math.floor(now.getTime() / 86_400_000);
}

/**
 * Family, category, "Decided by", the data flags and the data-quality report of a run, from the
 * import step's sources and options (the extract, master-data files, the sheet's family column).
 * Freshness applies to imported histories when a freshness limit is set; `previous` is the run
 * before this one (its segments are the "previous class").
 */
export function sourceFacts(ctx: StepContext<"classify">, parsed: ParsedTable, result: ClassificationResult, previous: RunInput | null): { facts: SourceFacts; freshness?: FreshnessResult } {
  const imp = ctx.peek("import");
  const h = ctx.state().imported ? imp?.bucketed : null;
  const baseSku = h ? h.sku : parsed.sku;
  const sources: HierarchySourceIn[] = [];
  if (h && imp) sources.push({ source: imp.options.sourceName, sku: h.sku, family: h.family, category: h.category });
  else if (parsed.family.some(Boolean)) sources.push({ source: `sheet ${parsed.sheetName}`, sku: parsed.sku, family: parsed.family, category: new Array<string>(parsed.n).fill("") });
  for (const m of imp?.masters ?? []) sources.push({ source: m.source, sku: m.sku, family: m.family, category: m.category });
  const hier = decideHierarchy(baseSku, sources, imp?.priority ?? []);
  const now = ctx.now();
  const o = imp?.options;
  let freshness: FreshnessResult | undefined;
  const day = cycleDay(o?.cycle.date ?? null, now);
  if (h && o && o.maxAgeDays !== null) {
    const prev = new Map<string, string>();
    if (previous) previous.parsed.sku.forEach((k, i) => previous.result.segment[i] && prev.set(k, previous.result.segment[i]));
    freshness = assessFreshness(
      { sku: parsed.sku, lastDataDay: h.lastDemandDay, family: hier.family, previousClass: parsed.sku.map((k) => prev.get(k) ?? null), pattern: result.pattern },
      { asOf: day, maxAgeDays: o.maxAgeDays, fallbacks: o.fallbacks },
    );
  }
  const inputs: InputRefresh[] =
    h && imp?.file
      ? imp.attributes.map((a) => ({ name: `${a.attribute} (${a.system} ${a.field})`, system: a.system, lastRefreshed: imp.file!.lastModified, refreshSla: a.refreshSla, owner: a.owner }))
      : [];
  const report = qualityReport({
    now: now.getTime(),
    cycleDay: day,
    maxLagDays: o?.cycle.maxLagDays ?? 7,
    lastPeriodEnd: h ? h.lastPeriodEnd : null,
    inputs,
    freshness,
    notes: h && imp?.file ? [`${imp.file.name}: ${h.summary}`] : [],
    conflicts: hier.conflicts,
  });
  const dataFlag = freshness ? freshness.flag : new Array<string>(parsed.n).fill("");
  if (!freshness && h) for (let i = 0; i < parsed.n; i++) if (h.lastDemandDay[i] === NO_DATA) dataFlag[i] = "missing: no demand in the extract";
  return {
    facts: { family: hier.family, category: hier.category, decidedBy: hier.decidedBy, dataFlag, priority: hier.priority, conflicts: hier.conflicts, dataQuality: report.lines, dataOk: report.ok },
    freshness,
  };
}
