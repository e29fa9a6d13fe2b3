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
import { Hampel7Kernel, hampel7Wasm } from "./kernels/hampel7";

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
 * The default 7-period window (k = 3) has its own kernels: WebAssembly (kernels/hampel7.wat, two
 * periods at a time through sorting networks) where the runtime has it, else hampel7Ts; `kernel7`
 * picks one (tests run both). Other widths keep
 * the window sorted as it slides (one value out, one in) and read the MAD off the sorted window by
 * merging the deviations below and above the median outwards from the centre. All give the same
 * numbers.
 */
export function hampelInto(
  src: ArrayLike<number>,
  offset: number,
  length: number,
  dst: Float64Array,
  settings: HampelSettings,
  work: Float64Array = new Float64Array(2 * settings.halfWidth + 1),
  kernel7: Hampel7Kernel = hampel7Wasm ?? hampel7Ts,
): number {
  if (settings.halfWidth === 3 && length >= 7 && src instanceof Float64Array) return kernel7(src, offset, length, dst, settings.threshold * MAD_SCALE, work);
  return hampelSorted(src, offset, length, dst, settings, work);
}

/** The sorted-window filter for any half-width (see hampelInto). */
export function hampelSorted(
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
    const x = src[offset + i];
    const y = filterPoint(w, size, k, x, limitFactor);
    if (y !== x) replaced++;
    dst[i] = y;
  }
  return replaced;
}

/**
 * The Hampel decision for value x at the centre of the sorted window w[0 .. size): the window
 * median when x is an outlier, else x. k is the half-width (a full window has 2k+1 values).
 */
function filterPoint(w: Float64Array, size: number, k: number, x: number, limitFactor: number): number {
  const half = size >> 1;
  const med = size % 2 === 1 ? w[half] : w[half - 1] + (w[half] - w[half - 1]) / 2;
  const dev = Math.abs(x - med);
  // Cheap lower bound first: in a full window (2k+1 values) at least ceil(k/2) of the k smallest
  // non-zero-index deviations come from one side, so MAD >= min(m - w[k-c], w[k+c] - m) with
  // c = ceil(k/2). A point within limitFactor times that bound cannot be an outlier.
  const c = Math.ceil(k / 2);
  if (med > 0 && dev > 0 && !(size === 2 * k + 1 && dev <= limitFactor * Math.min(med - w[k - c], w[k + c] - med))) {
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
    if (dev > limitFactor * mad) return med;
  }
  return x;
}

/** Bit 0 of each of seven (six) 3-bit fields. */
const FIELD_LOW_BITS_7 = 0b001001001001001001001;
const FIELD_LOW_BITS_6 = 0b001001001001001001;

/**
 * The TypeScript kernel of the 7-period window (k = 3), used where WebAssembly is missing (see
 * hampelInto). The three periods at each end (windows cut short) go through filterPoint on a small
 * sorted copy; the periods in between go to hampel7InteriorTs.
 */
export function hampel7Ts(src: Float64Array, offset: number, length: number, dst: Float64Array, limitFactor: number, work: Float64Array): number {
  let replaced = 0;
  // Ends: windows of 4, 5 and 6 periods, grown at the start and shrunk at the end as in hampelSorted.
  let size = 0;
  for (let j = 0; j < 4; j++) size = insertSorted(work, size, src[offset + j]);
  for (let i = 0; i < 3; i++) {
    if (i > 0) size = insertSorted(work, size, src[offset + i + 3]);
    const x = src[offset + i];
    const y = filterPoint(work, size, 3, x, limitFactor);
    if (y !== x) replaced++;
    dst[i] = y;
  }
  size = 0;
  for (let j = length - 6; j < length; j++) size = insertSorted(work, size, src[offset + j]);
  for (let i = length - 3; i < length; i++) {
    if (i > length - 3) size = removeSorted(work, size, src[offset + i - 4]);
    const x = src[offset + i];
    const y = filterPoint(work, size, 3, x, limitFactor);
    if (y !== x) replaced++;
    dst[i] = y;
  }
  return replaced + hampel7InteriorTs(src, offset, length, dst, limitFactor);
}

/**
 * Periods 3 .. length-4, whose 7-period windows are whole. The window's order is held as a packed
 * inverse permutation
 * (3 bits per rank r: which time slot 0..6 holds the value of rank r, ties broken by age). When the
 * window slides, the field of slot 0 (the period leaving) is cut out, the other slots renumbered,
 * and the entering period's field inserted at its rank, found by six branch-free compares: integer
 * operations only, no sorting. The order statistics are read through it. With
 * m = the 4th of 7 and the deviations L1 <= L2 <= L3 below and R1 <= R2 <= R3 above it, the MAD
 * (the 4th smallest of the 7 deviations, the centre's 0 included) is
 * max(min(L1, R3), min(L2, R2), min(L3, R1)), the 3rd smallest of the two merged triples: the same
 * value the merge in filterPoint finds, so the results are identical.
 */
function hampel7InteriorTs(src: Float64Array, offset: number, length: number, dst: Float64Array, limitFactor: number): number {
  let replaced = 0;
  // Interior. A window with 4 or more zero periods has median 0 and flags nothing (see the module
  // comment), so it is skipped on a running count of zeros; the ranks are then rebuilt at the next
  // window that needs them. Intermittent and dead items cost almost nothing this way.
  let zeros = 0;
  for (let j = 0; j < 7; j++) zeros += +(src[offset + j] === 0);
  let ranked = false;
  // In bits 3r .. 3r+2, the time slot (0..6) of the window value with rank r (0..6).
  let inv = 0;
  const first = offset + 3;
  const end = offset + length - 3;
  for (let c = first; c < end; c++) {
    const b = c - 3; // the window is src[b .. b + 6], time slot t = period b + t
    if (c > first) zeros += +(src[c + 3] === 0) - +(src[b - 1] === 0);
    if (zeros >= 4) {
      dst[c - offset] = src[c];
      ranked = false;
      continue;
    }
    if (ranked) {
      // Slide: drop the field holding slot 0 (the period leaving; SWAR: the one 3-bit field
      // that is 0), renumber the other slots one down, and insert slot 6 (the period entering)
      // at its rank q = how many of the six staying values are <= it (equal older values rank first).
      const inc = src[c + 3];
      const nonZero = (inv | (inv >>> 1) | (inv >>> 2)) & FIELD_LOW_BITS_7;
      const below = (~nonZero & FIELD_LOW_BITS_7) - 1;
      inv = ((inv & below) | ((inv >>> 3) & ~below)) - FIELD_LOW_BITS_6;
      const q = 3 * (+(src[b] <= inc) + +(src[b + 1] <= inc) + +(src[b + 2] <= inc) + +(src[b + 3] <= inc) + +(src[b + 4] <= inc) + +(src[b + 5] <= inc));
      const low = (1 << q) - 1;
      inv = (inv & low) | ((inv & ~low) << 3) | (6 << q);
    } else {
      // Ranks from scratch: by value, the older first among equals; then their inverse.
      const x0 = src[b];
      const x1 = src[b + 1];
      const x2 = src[b + 2];
      const x3 = src[b + 3];
      const x4 = src[b + 4];
      const x5 = src[b + 5];
      const x6 = src[b + 6];
      const r1 = +(x0 <= x1) + +(x2 < x1) + +(x3 < x1) + +(x4 < x1) + +(x5 < x1) + +(x6 < x1);
      const r2 = +(x0 <= x2) + +(x1 <= x2) + +(x3 < x2) + +(x4 < x2) + +(x5 < x2) + +(x6 < x2);
      const r3 = +(x0 <= x3) + +(x1 <= x3) + +(x2 <= x3) + +(x4 < x3) + +(x5 < x3) + +(x6 < x3);
      const r4 = +(x0 <= x4) + +(x1 <= x4) + +(x2 <= x4) + +(x3 <= x4) + +(x5 < x4) + +(x6 < x4);
      const r5 = +(x0 <= x5) + +(x1 <= x5) + +(x2 <= x5) + +(x3 <= x5) + +(x4 <= x5) + +(x6 < x5);
      const r6 = +(x0 <= x6) + +(x1 <= x6) + +(x2 <= x6) + +(x3 <= x6) + +(x4 <= x6) + +(x5 <= x6);
      // slot 0 has some rank r0; its field stays 0
      inv = (1 << (3 * r1)) | (2 << (3 * r2)) | (3 << (3 * r3)) | (4 << (3 * r4)) | (5 << (3 * r5)) | (6 << (3 * r6));
      ranked = true;
    }
    const med = src[b + ((inv >>> 9) & 7)];
    const x = src[c];
    const dev = Math.abs(x - med);
    const l2 = med - src[b + ((inv >>> 3) & 7)];
    const r2d = src[b + ((inv >>> 15) & 7)] - med;
    // x is an outlier when dev > limitFactor * MAD, MAD = max(min(L1, R3), min(L2, R2), min(L3, R1)).
    // Rounding of limitFactor * d is monotone in d, so that is the same as
    // (dev > f·L1 or dev > f·R3) and (dev > f·L2 or dev > f·R2) and (dev > f·L3 or dev > f·R1),
    // taken here with bitwise operators on 0/1 values: no branch on the comparisons, whose
    // outcomes are as good as random. min(L2, R2) <= MAD settles most points first.
    if ((+(dev > limitFactor * l2) | +(dev > limitFactor * r2d)) !== 0) {
      const l1 = med - src[b + ((inv >>> 6) & 7)];
      const l3 = med - src[b + (inv & 7)];
      const r1d = src[b + ((inv >>> 12) & 7)] - med;
      const r3d = src[b + ((inv >>> 18) & 7)] - med;
      if (((+(dev > limitFactor * l1) | +(dev > limitFactor * r3d)) & (+(dev > limitFactor * l3) | +(dev > limitFactor * r1d))) !== 0) {
        dst[c - offset] = med;
        replaced++;
        continue;
      }
    }
    dst[c - offset] = x;
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
