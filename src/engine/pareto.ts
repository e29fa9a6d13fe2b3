/**
 * The Pareto curve of a ranking, binned so that a chart covers every item however many there are:
 * with at most `maxBins` items each item is its own bin; otherwise the ranked items are cut into
 * `maxBins` consecutive groups of (nearly) equal count (the first `n mod maxBins` groups take one
 * item more), each bin holding its items' value and the cumulative share at its last item.
 * The cumulative share is the same quantity as in ABC (src/engine/abc.ts: including the item), so
 * the curve passes through every ABC boundary the table shows.
 */

export interface ParetoBin {
  /** 1-based rank of the bin's first and last item. */
  firstRank: number;
  lastRank: number;
  /** Sum of the bin's values. */
  value: number;
  /** Cumulative value share after the bin's last item, 0..1. */
  cumShare: number;
  /** Cumulative share of items after the bin, 0..1. */
  itemShare: number;
}

/**
 * `order` lists item indices in rank order (largest value first), `value` the values by index and
 * `cumShare` the cumulative shares by index.
 */
export function paretoBins(order: ArrayLike<number>, value: ArrayLike<number>, cumShare: ArrayLike<number>, maxBins: number): ParetoBin[] {
  const n = order.length;
  if (n === 0) return [];
  const bins = Math.max(1, Math.min(n, Math.floor(maxBins)));
  const base = Math.floor(n / bins);
  const extra = n % bins;
  const out: ParetoBin[] = [];
  let k = 0;
  for (let b = 0; b < bins; b++) {
    const size = base + (b < extra ? 1 : 0);
    const first = k;
    let sum = 0;
    for (let j = 0; j < size; j++) sum += value[order[k++]];
    out.push({ firstRank: first + 1, lastRank: k, value: sum, cumShare: cumShare[order[k - 1]], itemShare: k / n });
  }
  return out;
}
