/**
 * Outlier screening of a demand history before its CV is taken, so that a promotional spike does
 * not push a steady item into Z.
 *
 * Hampel identifier (Hampel 1974, JASA 69:383-393; the moving-window filter form as in Pearson 2002,
 * IEEE Trans. Control Systems Technology 10(1):55-63): for each period i take the window of periods
 * i-k..i+k (k = halfWidth, default 3, i.e. 7 periods; cut short at the ends of the history, so the
 * first period's window is periods 1..4), its median m and MAD = median |x - m|. Period i is an
 * outlier when |x_i - m| > t · 1.4826 · MAD (t = threshold, default 3; 1.4826 makes the MAD a
 * consistent estimate of the sd for normal data). An even-sized window's median is the mean of its
 * two middle values. Windows are always taken over the ORIGINAL values, not the replaced ones.
 *
 * Two choices made for demand data:
 * - an outlier is REPLACED by its window median (not removed), so the number of periods, and with
 *   it the CV's denominator, stays the same;
 * - a window whose median is 0 flags nothing. With intermittent demand most periods are zero, the
 *   MAD is 0 and the plain rule would call every sale an outlier and erase all demand; such items
 *   belong to the demand-pattern classification (Syntetos–Boylan), not to spike removal.
 * A window with median > 0 and MAD 0 (a perfectly flat stretch) flags any point that differs from
 * the median, as the plain rule does.
 */
import { ArgumentError } from "./errors";

export interface HampelOptions {
  /** Periods on each side of the centre (window = 2k+1). Default 3. */
  halfWidth?: number;
  /** Number of scaled MADs beyond which a point is an outlier. Default 3. */
  threshold?: number;
}

/** 1 / Φ⁻¹(3/4): scales the MAD to the sd for normal data. */
export const MAD_SCALE = 1.4826;

export interface HampelSettings {
  halfWidth: number;
  threshold: number;
}

export function hampelSettings(options: HampelOptions = {}): HampelSettings {
  const halfWidth = options.halfWidth ?? 3;
  const threshold = options.threshold ?? 3;
  if (!(Number.isInteger(halfWidth) && halfWidth >= 1 && halfWidth <= 1000)) {
    throw new ArgumentError("halfWidth", `must be a whole number of periods from 1 to 1000, got ${halfWidth}`);
  }
  if (!(Number.isFinite(threshold) && threshold > 0)) throw new ArgumentError("threshold", `must be a positive number, got ${threshold}`);
  return { halfWidth, threshold };
}

/**
 * Filters src[offset .. offset+length) into dst[0 .. length): outliers replaced by their window
 * median, other values copied. Returns the number of replaced periods. `work` needs 2k+1 slots.
 * Values are assumed valid (finite, >= 0): the caller checks them first.
 * The window is kept sorted as it slides (one value out, one in), and the MAD is read off the
 * sorted window by merging the deviations below and above the median outwards from the centre.
 */
export function hampelInto(
  src: ArrayLike<number>,
  offset: number,
  length: number,
  dst: Float64Array,
  settings: HampelSettings,
  work: Float64Array = new Float64Array(2 * settings.halfWidth + 1),
): number {
  const k = settings.halfWidth;
  const limitFactor = settings.threshold * MAD_SCALE;
  const w = work;
  const full = 2 * k + 1;
  const c = Math.ceil(k / 2);
  let size = 0;
  // Initial window of period 0: periods 0..k-1 (period k enters at the top of the loop).
  for (let j = 0; j < k && j < length; j++) size = insertSorted(w, size, src[offset + j]);
  let replaced = 0;
  for (let i = 0; i < length; i++) {
    const leaving = i - k - 1 >= 0;
    const entering = i + k < length;
    if (leaving && entering) replaceSorted(w, size, src[offset + i - k - 1], src[offset + i + k]);
    else if (leaving) size = removeSorted(w, size, src[offset + i - k - 1]);
    else if (entering) size = insertSorted(w, size, src[offset + i + k]);
    const half = size >> 1;
    const med = size % 2 === 1 ? w[half] : w[half - 1] + (w[half] - w[half - 1]) / 2;
    const x = src[offset + i];
    const dev = Math.abs(x - med);
    // Cheap lower bound first: in a full window (2k+1 values) at least ceil(k/2) of the k smallest
    // non-zero-index deviations come from one side, so MAD >= min(m - w[k-c], w[k+c] - m) with
    // c = ceil(k/2). A point within limitFactor times that bound cannot be an outlier.
    if (med > 0 && dev > 0 && !(size === full && dev <= limitFactor * Math.min(med - w[k - c], w[k + c] - med))) {
      // The deviations below the centre grow leftwards, those above grow rightwards: merge them
      // smallest first and keep the ((size-1)>>1)-th and (size>>1)-th.
      let l = half - 1;
      let r = half;
      let lowMid = 0;
      let highMid = 0;
      const want = size >> 1;
      const wantLow = (size - 1) >> 1;
      for (let t = 0; t <= want; t++) {
        let d: number;
        if (r < size && (l < 0 || w[r] - med <= med - w[l])) d = w[r++] - med;
        else d = med - w[l--];
        if (t === wantLow) lowMid = d;
        if (t === want) highMid = d;
      }
      const mad = lowMid + (highMid - lowMid) / 2;
      if (dev > limitFactor * mad) {
        dst[i] = med;
        replaced++;
        continue;
      }
    }
    dst[i] = x;
  }
  return replaced;
}

function insertSorted(w: Float64Array, size: number, x: number): number {
  let p = size - 1;
  while (p >= 0 && w[p] > x) {
    w[p + 1] = w[p];
    p--;
  }
  w[p + 1] = x;
  return size + 1;
}

/** Swaps one value of the sorted window for another, keeping it sorted (one scan, short shifts). */
function replaceSorted(w: Float64Array, size: number, out: number, inc: number): void {
  let p = 0;
  while (w[p] !== out) p++;
  if (inc > out) {
    while (p + 1 < size && w[p + 1] < inc) {
      w[p] = w[p + 1];
      p++;
    }
  } else {
    while (p > 0 && w[p - 1] > inc) {
      w[p] = w[p - 1];
      p--;
    }
  }
  w[p] = inc;
}

function removeSorted(w: Float64Array, size: number, x: number): number {
  let p = 0;
  while (w[p] !== x) p++;
  for (; p < size - 1; p++) w[p] = w[p + 1];
  return size - 1;
}

/** Convenience form for one series: the filtered copy and a 0/1 flag per period. */
export function hampel(series: ArrayLike<number>, options: HampelOptions = {}): { filtered: Float64Array; outlier: Uint8Array } {
  const settings = hampelSettings(options);
  const n = series.length;
  const filtered = new Float64Array(n);
  hampelInto(series, 0, n, filtered, settings);
  const outlier = new Uint8Array(n);
  for (let i = 0; i < n; i++) outlier[i] = filtered[i] !== series[i] ? 1 : 0;
  return { filtered, outlier };
}
