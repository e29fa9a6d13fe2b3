/**
 * The scenario simulation job of the Scenarios step: builds each scenario's per-SKU policies from
 * the classified run (src/engine/policy.ts skuPolicy under the scenario's grid; the budget variant
 * re-allocates safety stock with src/engine/policy/budget.ts; the cut-off variant classifies the
 * SKUs again with its cut-offs, overrides kept), then simulates every scenario on the same seeded
 * demand and lead-time draws (common random numbers, src/engine/simulate compareScenarios) and
 * returns the comparison per segment and in total. Pure and synchronous: it runs the same in the
 * pane's Web Worker and in tests; progress per 32 SKUs, cancel checked at the same points.
 *
 * Which SKUs are simulated: the planned ones (active, or inactive but pinned) with demand in the
 * window (mean > 0) and a known unit cost, for which every scenario has a policy. The others are
 * listed with the reason, so that every scenario compares the same SKUs.
 *
 * Costs per SKU (the Policy tab's defaults): holding cost per unit per period = holding rate × unit
 * cost / periods per year; cost per order = the policy options' order cost; shortage cost per unit =
 * shortageCostRate × unit cost (per unit and period on backorder, or per unit lost). Unit cost: the
 * mapped column, else value / (mean demand × periods per year), as on the Policy sheet.
 * Demand: "history" bootstraps the SKU's own periods over the window its statistics were taken on;
 * a distribution uses the classification's mean and sd per period.
 */
import { ArgumentError, type CellError, isCellError } from "../../engine/errors";
import { allocateBudget } from "../../engine/policy/budget";
import { intervalDemandColumns } from "../../engine/policy/levels";
import { skuPolicy, type SegmentPolicy, type SkuPolicy } from "../../engine/policy";
import { compareScenarios, type ComparedMetric, type PolicyColumns, type Scenario, type SimulationInput } from "../../engine/simulate";
import { historyFromArray } from "../../engine/xyz";
import type { ComparedRow, ScenarioDef, ScenarioJob, ScenarioOutcome } from "../scenarioTypes";
import { MAX_EXCLUDED_LISTED } from "../scenarioTypes";
import { computeClassification } from "./classify";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

/** The scenarios as the engine takes them, over the simulated SKUs. */
export interface PreparedScenarios {
  /** Row (ParsedTable index) of each simulated SKU. */
  rows: Int32Array;
  scenarios: Scenario[];
  /** Per scenario, per simulated SKU: its policy (the budget variant's levels included). */
  policies: PolicyColumns[];
  /** Unit cost, lead time and lead-time sd per simulated SKU. */
  unitCost: Float64Array;
  leadTime: Float64Array;
  leadTimeSd: Float64Array;
  descriptions: string[];
  budgets: ScenarioOutcome["budgets"];
  excluded: { row: number; reason: string }[];
}

const pct = (x: number) => `${Math.round(x * 1e4) / 100} %`;
const money = (x: number) => (Math.round(x * 100) / 100).toLocaleString("en-US");

/** Unit cost per SKU: the mapped column, else value / (mean × periods per year) (as plans.ts skuPolicyRow). */
function unitCosts(job: ScenarioJob): Float64Array {
  const { parsed, result } = job;
  const ppy = job.policyOptions.periodsPerYear;
  const out = new Float64Array(parsed.n);
  for (let i = 0; i < parsed.n; i++) {
    let c = parsed.unitCost[i];
    const mean = result.demandMean[i];
    if (Number.isNaN(c) && mean > 0) c = parsed.value[i] / (mean * ppy);
    out[i] = c;
  }
  return out;
}

/** Segment labels under other cut-offs: the run classified again, overrides kept. */
function reclassify(job: ScenarioJob, def: ScenarioDef, ctx: JobContext): string[] {
  const options = { ...job.classifyOptions, abcCutoffs: [...def.abcCutoffs], xyzCutoffs: [...def.xyzCutoffs] };
  const quiet: JobContext = {
    progress() {},
    get aborted() {
      return ctx.aborted;
    },
  };
  const again = computeClassification({ parsed: job.parsed, options }, quiet);
  return again.segment.map((s, i) => (job.overridden[i] ? job.segment[i] : s));
}

function describe(def: ScenarioDef, changed: number): string {
  switch (def.kind) {
    case "today":
      return "The policy grid as last written to the Policy sheet (the defaults if none was written).";
    case "proposed":
      return "The policy grid in the Policy tab now.";
    case "budget":
      return `The proposed grid's policies, with safety stock limited to ${pct(def.budgetShare)} of the proposed grid's safety-stock value and placed where it fills the most demand.`;
    case "cutoff":
      return `The proposed grid over segments with A up to ${pct(def.abcCutoffs[0])}, B up to ${pct(def.abcCutoffs[1])} of value, X up to CV ${def.xyzCutoffs[0]}, Y up to ${def.xyzCutoffs[1]} (${changed.toLocaleString("en-US")} SKUs change segment; overrides kept).`;
  }
}

/** Builds every scenario's per-SKU policies (exported for the benchmark's numpy twin). */
export function prepareScenarios(job: ScenarioJob, ctx: JobContext = QUIET_JOB): PreparedScenarios {
  const { parsed, result, scenarios: defs, policyOptions: options } = job;
  const n = parsed.n;
  const unit = unitCosts(job);
  const budgetWanted = defs.some((d) => d.kind === "budget");
  const excluded: { row: number; reason: string }[] = [];
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (job.unplanned[i]) continue; // inactive, not pinned: not planned (not listed: the Segments sheet says why)
    if (!(result.demandMean[i] > 0)) excluded.push({ row: i, reason: "no demand in the window: nothing to simulate" });
    else if (!(unit[i] >= 0 && unit[i] < Infinity)) excluded.push({ row: i, reason: "unit cost unknown (map a unit cost column): no stock value or holding cost" });
    else if (budgetWanted && !(unit[i] > 0)) excluded.push({ row: i, reason: "unit cost 0: the budget scenario cannot price its safety stock" });
    else ok[i] = 1;
  }

  // segments per scenario (the cut-off variants classify again)
  const labels: string[][] = [];
  const changed: number[] = [];
  const cache = new Map<string, string[]>();
  for (const def of defs) {
    if (def.kind !== "cutoff") {
      labels.push(job.segment);
      changed.push(0);
      continue;
    }
    const key = JSON.stringify([def.abcCutoffs, def.xyzCutoffs]);
    let seg = cache.get(key);
    if (!seg) cache.set(key, (seg = reclassify(job, def, ctx)));
    if (ctx.aborted) throw jobCancelled();
    labels.push(seg);
    let c = 0;
    for (let i = 0; i < n; i++) if (ok[i] && seg[i] !== job.segment[i]) c++;
    changed.push(c);
  }

  // per-SKU policies under each scenario's grid (the budget variant starts from the proposed grid)
  const gridOf = (def: ScenarioDef): SegmentPolicy[] => (def.kind === "today" ? job.todayGrid : job.proposedGrid);
  const byScenario: (SkuPolicy | null)[][] = defs.map(() => new Array<SkuPolicy | null>(n).fill(null));
  const policyInput = { demandMean: 0, demandSd: 0, leadTime: 0, leadTimeSd: 0, orderQty: 0, unitCost: 0 };
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    policyInput.demandMean = result.demandMean[i];
    policyInput.demandSd = result.demandSd[i];
    policyInput.leadTime = parsed.leadTime[i];
    policyInput.leadTimeSd = parsed.leadTimeSd[i];
    policyInput.orderQty = parsed.orderQty[i];
    policyInput.unitCost = unit[i];
    for (let k = 0; k < defs.length; k++) {
      const seg = labels[k][i];
      const row = gridOf(defs[k]).find((p) => p.segment === seg);
      const p = row ? skuPolicy(row, policyInput, options) : null;
      if (p === null || isCellError(p)) {
        ok[i] = 0;
        excluded.push({ row: i, reason: `scenario "${defs[k].name.trim()}": ${p === null ? `no policy for segment "${seg || "(none)"}"` : (p as CellError).message}` });
        break;
      }
      if (defs[k].kind === "budget" && p.reviewPeriod === 0 && !(p.orderQty > 0)) {
        ok[i] = 0;
        excluded.push({ row: i, reason: `scenario "${defs[k].name.trim()}": no order quantity, so the budget cannot value its reorder point` });
        break;
      }
      byScenario[k][i] = p;
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (ok[i]) m++;
  const rows = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (ok[i]) rows[j++] = i;
  const leadTime = new Float64Array(m);
  const leadTimeSd = new Float64Array(m);
  const unitCost = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const i = rows[j];
    const sd = parsed.leadTimeSd[i];
    leadTime[j] = byScenario[0][i]!.leadTime;
    leadTimeSd[j] = Number.isNaN(sd) ? options.defaultLeadTimeSd : sd;
    unitCost[j] = unit[i];
  }
  const subsetLabels = (k: number) => Array.from(rows, (i) => labels[k][i]);

  const policies: PolicyColumns[] = [];
  const budgets: ScenarioOutcome["budgets"] = [];
  for (let k = 0; k < defs.length; k++) {
    const list = Array.from(rows, (i) => byScenario[k][i]!);
    const cols = policyColumnsOf(list);
    budgets.push(null);
    if (defs[k].kind === "budget") budgets[k] = applyBudget(defs[k], list, cols, leadTimeSd, unitCost, subsetLabels(k), Array.from(rows, (i) => result.demandMean[i]), Array.from(rows, (i) => result.demandSd[i]), ctx);
    policies.push(cols);
  }
  const scenarios: Scenario[] = defs.map((d, k) => ({ name: d.name.trim(), policy: policies[k], ...(d.kind === "cutoff" ? { segment: subsetLabels(k) } : {}) }));
  return { rows, scenarios, policies, unitCost, leadTime, leadTimeSd, descriptions: defs.map((d, k) => describe(d, changed[k])), budgets, excluded };
}

/** Engine parameters from Policy-sheet policies: continuous review (s, Q) with s = min, periodic (R, S) with S = max. */
function policyColumnsOf(list: SkuPolicy[]): PolicyColumns & { reorderPoint: Float64Array; orderQty: Float64Array; orderUpTo: Float64Array; reviewPeriod: Float64Array } {
  const m = list.length;
  const policy = new Array<"sQ" | "RS">(m);
  const reorderPoint = new Float64Array(m).fill(Number.NaN);
  const orderQty = new Float64Array(m).fill(Number.NaN);
  const orderUpTo = new Float64Array(m).fill(Number.NaN);
  const reviewPeriod = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const p = list[j];
    reviewPeriod[j] = p.reviewPeriod;
    if (p.reviewPeriod > 0) {
      policy[j] = "RS";
      orderUpTo[j] = p.max;
    } else {
      policy[j] = "sQ";
      reorderPoint[j] = p.min;
      orderQty[j] = p.orderQty;
    }
  }
  return { policy, reorderPoint, orderQty, orderUpTo, reviewPeriod };
}

/**
 * The budget variant: safety stock re-allocated (allocateBudget, normal demand over the protection
 * interval as the Policy sheet assumes) with a budget of budgetShare × the proposed policies'
 * safety-stock value (Σ unit cost × safety stock); the levels replace s of (s, Q) and S of (R, S).
 */
function applyBudget(
  def: ScenarioDef,
  list: SkuPolicy[],
  cols: ReturnType<typeof policyColumnsOf>,
  leadTimeSd: Float64Array,
  unitCost: Float64Array,
  segment: string[],
  demandMean: number[],
  demandSd: number[],
  ctx: JobContext,
): { amount: number; proposedValue: number; spent: number } {
  const m = list.length;
  let proposedValue = 0;
  for (let j = 0; j < m; j++) proposedValue += unitCost[j] * list[j].safetyStock;
  const amount = def.budgetShare * proposedValue;
  const demand = intervalDemandColumns({
    rows: m,
    demandMean,
    demandSd,
    leadTime: list.map((p) => p.leadTime),
    leadTimeSd,
    reviewPeriod: cols.reviewPeriod,
    distribution: "normal",
  });
  let res;
  try {
    res = allocateBudget({ rows: m, demand, orderQty: cols.orderQty, unitCost, segment }, amount, { signal: ctx });
  } catch (e) {
    if (e instanceof ArgumentError) {
      const need = Number(/need ([\d.e+-]+)$/.exec(e.message)?.[1]);
      const least = Number.isFinite(need) && proposedValue > 0 ? ` (at least ${pct(Math.ceil((need / proposedValue) * 1e4) / 1e4)} of it)` : "";
      throw new Error(
        `Scenario "${def.name.trim()}": its budget, ${pct(def.budgetShare)} of the proposed safety-stock value ${money(proposedValue)} = ${money(amount)}, does not cover the whole-unit base levels, which need ${Number.isFinite(need) ? money(need) : "more"} before any safety stock. Raise the budget${least}.`,
      );
    }
    if (e instanceof Error && e.name === "AbortError") throw jobCancelled();
    throw e;
  }
  let spent = 0;
  for (let j = 0; j < m; j++) {
    const x = res.reorderPoint[j];
    if (!Number.isFinite(x)) continue; // a row the allocation could not price keeps the proposed level
    spent += res.investment[j];
    if (cols.reviewPeriod[j] > 0) cols.orderUpTo[j] = x;
    else cols.reorderPoint[j] = x;
  }
  return { amount, proposedValue, spent };
}

function plainRow(r: { segment: string; skus: number[]; value: ComparedRow["value"]; change: ComparedRow["change"] }): ComparedRow {
  const copy = (x: ComparedRow["value"]) => Object.fromEntries(Object.entries(x).map(([m, list]) => [m, list.map((iv) => ({ mean: iv.mean, halfWidth: iv.halfWidth }))])) as Record<ComparedMetric, { mean: number; halfWidth: number }[]>;
  return { segment: r.segment, skus: [...r.skus], value: copy(r.value), change: copy(r.change) };
}

/** The grid "Use this scenario" carries: the budget variant's is the proposed grid with fill-rate targets at what the budget reached. */
function carriedGrid(def: ScenarioDef, k: number, job: ScenarioJob, segments: ComparedRow[]): SegmentPolicy[] {
  if (def.kind === "today") return job.todayGrid.map((p) => ({ ...p }));
  if (def.kind !== "budget") return job.proposedGrid.map((p) => ({ ...p }));
  return job.proposedGrid.map((p) => {
    const fill = segments.find((s) => s.segment === p.segment)?.value.fillRate[k].mean;
    if (!(fill !== undefined && Number.isFinite(fill))) return { ...p };
    const level = Math.min(0.999, Math.max(0.5, Math.round(fill * 1000) / 1000));
    return { ...p, method: "fill", serviceLevel: level };
  });
}

/** The job: prepare, simulate on common random numbers, summarise. */
export function runScenarios(job: ScenarioJob, ctx: JobContext = QUIET_JOB): ScenarioOutcome {
  const t0 = Date.now();
  const { parsed, result, settings } = job;
  ctx.progress(0, 1, "Building each scenario's policies");
  const prep = prepareScenarios(job, ctx);
  if (ctx.aborted) throw jobCancelled();
  const m = prep.rows.length;
  if (m === 0) {
    const first = prep.excluded[0];
    throw new Error(first ? `No SKU can be simulated: every planned SKU was left out (first: ${parsed.sku[first.row]}: ${first.reason}).` : "No planned SKU to simulate: classify SKUs with demand first.");
  }
  const ppy = job.policyOptions.periodsPerYear;
  const holdingCost = new Float64Array(m);
  const shortageCost = new Float64Array(m);
  const segment = new Array<string>(m);
  for (let j = 0; j < m; j++) {
    holdingCost[j] = (job.policyOptions.holdingRate * prep.unitCost[j]) / ppy;
    shortageCost[j] = settings.shortageCostRate * prep.unitCost[j];
    segment[j] = job.segment[prep.rows[j]];
  }
  let demand: SimulationInput["demand"];
  if (settings.demand === "history") {
    const periods = parsed.periods;
    const w = result.windowPeriods;
    const data = new Float64Array(m * w);
    for (let j = 0; j < m; j++) {
      const i = prep.rows[j];
      data.set(parsed.history.subarray(i * periods + periods - w, (i + 1) * periods), j * w);
    }
    demand = { kind: "history", history: historyFromArray(data, m, w) };
  } else {
    demand = {
      kind: "distribution",
      distribution: settings.demand,
      demandMean: Float64Array.from(prep.rows, (i) => result.demandMean[i]),
      demandSd: Float64Array.from(prep.rows, (i) => result.demandSd[i]),
    };
  }
  const input: SimulationInput = {
    rows: m,
    demand,
    leadTime: prep.leadTime,
    leadTimeSd: prep.leadTimeSd,
    holdingCost,
    orderCost: job.policyOptions.orderCost,
    shortageCost,
    unitCost: prep.unitCost,
    segment,
  };
  const K = prep.scenarios.length;
  const phase = `Simulating ${m.toLocaleString("en-US")} SKUs × ${settings.replications} replications${K > 1 ? ` × ${K} scenarios` : ""}`;
  const cmp = compareScenarios(input, prep.scenarios, {
    replications: settings.replications,
    horizon: settings.horizon ?? undefined,
    periodsPerYear: ppy,
    warmUp: settings.warmUp ?? undefined,
    seed: settings.seed,
    shortage: settings.shortage,
    onProgress: (done, total) => ctx.progress(done, total, phase),
    signal: ctx,
  });
  if (cmp.aborted || ctx.aborted) throw jobCancelled();
  const excluded = prep.excluded.map((e) => ({ sku: parsed.sku[e.row], reason: e.reason }));
  for (const [j, e] of cmp.excluded) excluded.push({ sku: parsed.sku[prep.rows[j]], reason: e.message });
  const segments = cmp.segments.map(plainRow);
  const total = plainRow(cmp.total);
  const r0 = cmp.results[0];
  return {
    names: cmp.names,
    kinds: job.scenarios.map((d) => d.kind),
    descriptions: prep.descriptions,
    grids: job.scenarios.map((d, k) => carriedGrid(d, k, job, segments)),
    skus: total.skus[0],
    excluded: excluded.slice(0, MAX_EXCLUDED_LISTED),
    excludedCount: excluded.length,
    segments,
    total,
    replications: r0.replications,
    horizon: r0.horizon,
    warmUp: r0.warmUp,
    seed: settings.seed,
    shortage: r0.shortage,
    demand: settings.demand,
    shortageCostRate: settings.shortageCostRate,
    budgets: prep.budgets,
    ms: Date.now() - t0,
  };
}
