/**
 * The classification job: ABC on value, XYZ on the CV of the history (optionally after the Hampel
 * outlier filter), Syntetos–Boylan pattern, ABC×XYZ segment, the activity check and the strategic
 * pin rule. Pure and synchronous so that it runs the same in a Web Worker and in tests; the
 * per-SKU statistics run in chunks so that the pane can show how far it is and cancel it.
 *
 * Window: CV, pattern, demand mean and sd are taken over the last `windowPeriods(options)` periods
 * (the whole history by default).
 * Inactive SKUs (src/engine/activity.ts: no demand in the last year of periods, or the history
 * ended) are left out of the ABC ranking and its value total, and have no segment unless pinned.
 * Strategic pin: a pinned SKU keeps its mapped current class (its first letter when that is A, B
 * or C, so "AX" keeps A); a pinned SKU without a usable current class is held in A. Pins change the
 * ABC label only; a pinned SKU that is inactive takes its demand statistics from its whole history
 * (so that a critical spare that has not moved for a year still gets a stocking level).
 */
import { classifyAbc } from "../../engine/abc";
import { activity } from "../../engine/activity";
import { cellError, type CellError } from "../../engine/errors";
import { classifyPattern, PATTERN_LABELS } from "../../engine/pattern";
import { classifyXyz, historyFromArray, XYZ_LABELS, type XyzOptions } from "../../engine/xyz";
import { inactivePeriods, windowPeriods, type ClassificationResult, type ClassifyJob } from "../classifyTypes";
import { jobCancelled, QUIET_JOB, type JobContext } from "./types";

const ABC_LABELS = ["A", "B", "C"];
/** SKUs per chunk of the statistics (progress and cancel are checked between chunks). */
const CHUNK = 5000;

export function pinnedClass(current: string | null): string {
  const letter = current?.trim().charAt(0).toUpperCase() ?? "";
  return ABC_LABELS.includes(letter) ? letter : "A";
}

/** The last `w` of `periods` columns of a row-major n × periods history. */
function lastColumns(history: Float64Array, n: number, periods: number, w: number): Float64Array {
  if (w === periods) return history;
  const out = new Float64Array(n * w);
  for (let i = 0; i < n; i++) out.set(history.subarray(i * periods + periods - w, (i + 1) * periods), i * w);
  return out;
}

export function computeClassification(job: ClassifyJob, ctx: JobContext = QUIET_JOB): ClassificationResult {
  const t0 = Date.now();
  const { parsed, options } = job;
  const n = parsed.n;
  const periods = parsed.periods;
  const w = windowPeriods(options, periods);
  const total = n * 2 + 1;
  ctx.progress(0, total, "Checking which SKUs still sell");

  const act = activity(parsed.history, n, periods, parsed.lastFilled, { recentPeriods: inactivePeriods(options) });
  // SKUs the caller leaves out (stale or missing data, fallback "exclude"): treated as inactive, with its reason
  if (job.excludeSku) {
    for (let i = 0; i < n; i++) {
      if (!job.excludeSku[i]) continue;
      if (!act.inactive[i]) act.count++;
      act.inactive[i] = 1;
      act.reason[i] = job.excludeSkuReason?.[i] || "excluded";
    }
  }
  const excluded = new Map<number, CellError>();
  const inactiveIssue = cellError("inactive: left out of the ranking", "na");
  for (let i = 0; i < n; i++) if (act.inactive[i]) excluded.set(i, inactiveIssue);
  const abc = classifyAbc(parsed.value, { cutoffs: options.abcCutoffs, labels: ABC_LABELS, issues: excluded });
  if (n > act.count && abc.order.length === 0) {
    throw new Error("Every active SKU has a value of 0, so ABC has nothing to rank: check the value (or quantity and unit cost) columns.");
  }

  const windowed = lastColumns(parsed.history, n, periods, w);
  // promotion periods (churnControl.ts): the same last w columns of the flags
  const windowedMask = job.exclude ? Uint8Array.from(lastColumns(Float64Array.from(job.exclude), n, periods, w)) : undefined;
  const xyzOptions: XyzOptions = {
    xMax: options.xyzCutoffs[0],
    yMax: options.xyzCutoffs[1],
    sdType: options.sdType,
    excludeOutliers: options.outliers.enabled ? { halfWidth: options.outliers.halfWidth, threshold: options.outliers.threshold } : false,
  };
  const cv = new Float64Array(n);
  const demandMean = new Float64Array(n);
  const demandSd = new Float64Array(n);
  const outliers = new Int32Array(n);
  const xyzCode = new Int8Array(n);
  const patCode = new Int8Array(n);
  const adi = new Float64Array(n);
  const cv2 = new Float64Array(n);
  const notes = new Array<string>(n).fill("");
  let done = 1;
  for (let start = 0; start < n; start += CHUNK) {
    if (ctx.aborted) throw jobCancelled();
    const rows = Math.min(CHUNK, n - start);
    const hist = historyFromArray(windowed.subarray(start * w, (start + rows) * w), rows, w);
    const exclude = windowedMask ? { rows, periods: w, flags: windowedMask.subarray(start * w, (start + rows) * w) } : undefined;
    const xyz = classifyXyz(hist, { ...xyzOptions, exclude });
    const pat = classifyPattern(hist, { adiCutoff: options.pattern.adi, cv2Cutoff: options.pattern.cv2, exclude });
    cv.set(xyz.cv, start);
    demandMean.set(xyz.mean, start);
    demandSd.set(xyz.sd, start);
    outliers.set(xyz.outliers, start);
    xyzCode.set(xyz.xyz, start);
    patCode.set(pat.pattern, start);
    adi.set(pat.adi, start);
    cv2.set(pat.cv2, start);
    for (const [r, issue] of xyz.issues) notes[start + r] = issue.message;
    done += rows * 2;
    ctx.progress(done, total, "Measuring demand variability and pattern");
  }

  // Pinned SKUs that are inactive: statistics over the whole history instead of the window.
  const pinnedInactive: number[] = [];
  for (let i = 0; i < n; i++) if (act.inactive[i] && parsed.pinned[i]) pinnedInactive.push(i);
  if (pinnedInactive.length && w < periods) {
    const full = new Float64Array(pinnedInactive.length * periods);
    pinnedInactive.forEach((i, k) => full.set(parsed.history.subarray(i * periods, (i + 1) * periods), k * periods));
    const hist = historyFromArray(full, pinnedInactive.length, periods);
    const xyz = classifyXyz(hist, xyzOptions);
    const pat = classifyPattern(hist, { adiCutoff: options.pattern.adi, cv2Cutoff: options.pattern.cv2 });
    pinnedInactive.forEach((i, k) => {
      cv[i] = xyz.cv[k];
      demandMean[i] = xyz.mean[k];
      demandSd[i] = xyz.sd[k];
      outliers[i] = xyz.outliers[k];
      xyzCode[i] = xyz.xyz[k];
      patCode[i] = pat.pattern[k];
      adi[i] = pat.adi[k];
      cv2[i] = pat.cv2[k];
      notes[i] = xyz.issues.get(k)?.message ?? "";
    });
  }

  const abcLabel = new Array<string>(n);
  const abcComputed = new Array<string>(n);
  const xyzLabel = new Array<string>(n);
  const pattern = new Array<string>(n);
  const segment = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const computed = act.inactive[i] ? "" : abc.abc[i] >= 0 ? abc.labels[abc.abc[i]] : "";
    abcComputed[i] = computed;
    abcLabel[i] = parsed.pinned[i] ? pinnedClass(parsed.currentClass[i]) : computed;
    // parse already rejected bad periods, so every row has a class (XYZ code 3 = N, no demand)
    const x = xyzCode[i];
    xyzLabel[i] = x >= 0 ? XYZ_LABELS[x] : "";
    const p = patCode[i];
    pattern[i] = p >= 0 ? PATTERN_LABELS[p] : "";
    segment[i] = abcLabel[i] && xyzLabel[i] ? abcLabel[i] + xyzLabel[i] : "";
    const pinNote = parsed.pinned[i] && abcLabel[i] !== computed ? `pinned to ${abcLabel[i]}${computed ? ` (computed ${computed})` : ""}` : "";
    const inactiveNote = act.inactive[i] ? `inactive: ${act.reason[i]}${parsed.pinned[i] ? "; pinned, so still planned" : ""}` : "";
    const abcIssue = act.inactive[i] ? "" : (abc.issues.get(i)?.message ?? "");
    notes[i] = [inactiveNote, notes[i], abcIssue, pinNote].filter(Boolean).join("; ");
  }
  ctx.progress(total, total, "Measuring demand variability and pattern");
  // Sheet order: ranked SKUs by value, then the unranked ones (inactive) in input order.
  const rowOrder = new Int32Array(n);
  rowOrder.set(abc.order);
  let k = abc.order.length;
  const ranked = new Uint8Array(n);
  for (const i of abc.order) ranked[i] = 1;
  for (let i = 0; i < n; i++) if (!ranked[i]) rowOrder[k++] = i;
  return {
    n,
    order: abc.order,
    rowOrder,
    total: abc.total,
    share: abc.share,
    cumShare: abc.cumShare,
    inactive: act.inactive,
    inactiveReason: act.reason,
    windowPeriods: w,
    abc: abcLabel,
    abcComputed,
    cv,
    xyz: xyzLabel,
    pattern,
    adi,
    cv2,
    segment,
    demandMean,
    demandSd,
    outliers,
    notes,
    ms: Date.now() - t0,
  };
}
