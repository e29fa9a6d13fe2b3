/**
 * The classification job: ABC on value, XYZ on the CV of the history (optionally after the Hampel
 * outlier filter), Syntetos–Boylan pattern, ABC×XYZ segment, plus the strategic pin rule. Pure and
 * synchronous so that it runs the same in a Web Worker and in tests.
 *
 * Strategic pin: a pinned SKU keeps its mapped current class (its first letter when that is A, B
 * or C, so "AX" keeps A); a pinned SKU without a usable current class is held in A. Pins change the
 * ABC label only: the SKU still counts in the value total and the cumulative shares, and its XYZ
 * class and pattern are computed as for any other SKU.
 */
import { classifyAbc } from "../engine/abc";
import { classifyPattern, PATTERN_LABELS } from "../engine/pattern";
import { historyFromArray, classifyXyz, XYZ_LABELS } from "../engine/xyz";
import type { ClassificationResult, ClassifyJob } from "./classifyTypes";

const ABC_LABELS = ["A", "B", "C"];

export function pinnedClass(current: string | null): string {
  const letter = current?.trim().charAt(0).toUpperCase() ?? "";
  return ABC_LABELS.includes(letter) ? letter : "A";
}

export function computeClassification(job: ClassifyJob): ClassificationResult {
  const t0 = Date.now();
  const { parsed, options } = job;
  const n = parsed.n;
  const abc = classifyAbc(parsed.value, { cutoffs: options.abcCutoffs, labels: ABC_LABELS });
  if (n > 0 && abc.order.length === 0) {
    throw new Error("Every accepted SKU has a value of 0, so ABC has nothing to rank: check the value (or quantity and unit cost) columns.");
  }
  const history = historyFromArray(parsed.history, n, parsed.periods);
  const xyz = classifyXyz(history, {
    xMax: options.xyzCutoffs[0],
    yMax: options.xyzCutoffs[1],
    sdType: options.sdType,
    excludeOutliers: options.outliers.enabled ? { halfWidth: options.outliers.halfWidth, threshold: options.outliers.threshold } : false,
  });
  const pat = classifyPattern(history, { adiCutoff: options.pattern.adi, cv2Cutoff: options.pattern.cv2 });

  const abcLabel = new Array<string>(n);
  const abcComputed = new Array<string>(n);
  const xyzLabel = new Array<string>(n);
  const pattern = new Array<string>(n);
  const segment = new Array<string>(n);
  const notes = new Array<string>(n);
  const demandMean = new Float64Array(n);
  const demandSd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const computed = abc.abc[i] >= 0 ? abc.labels[abc.abc[i]] : "";
    abcComputed[i] = computed;
    abcLabel[i] = parsed.pinned[i] ? pinnedClass(parsed.currentClass[i]) : computed;
    // parse already rejected bad periods, so every row has a class (XYZ code 3 = N, no demand)
    const x = xyz.xyz[i];
    xyzLabel[i] = x >= 0 ? XYZ_LABELS[x] : "";
    const p = pat.pattern[i];
    pattern[i] = p >= 0 ? PATTERN_LABELS[p] : "";
    segment[i] = abcLabel[i] && xyzLabel[i] ? abcLabel[i] + xyzLabel[i] : "";
    const issue = xyz.issues.get(i) ?? abc.issues.get(i);
    const pinNote = parsed.pinned[i] && abcLabel[i] !== computed ? `pinned to ${abcLabel[i]} (computed ${computed})` : "";
    notes[i] = [issue?.message ?? "", pinNote].filter(Boolean).join("; ");
    demandMean[i] = xyz.mean[i];
    demandSd[i] = xyz.sd[i];
  }
  return {
    n,
    order: abc.order,
    total: abc.total,
    share: abc.share,
    cumShare: abc.cumShare,
    abc: abcLabel,
    abcComputed,
    cv: xyz.cv,
    xyz: xyzLabel,
    pattern,
    segment,
    demandMean,
    demandSd,
    outliers: xyz.outliers,
    notes,
    ms: Date.now() - t0,
  };
}
