/**
 * Which SKUs are still selling. A SKU is inactive when
 * - it had no demand in the last `recentPeriods` periods of its history (default: one year of
 *   periods; when the history is shorter, the whole history), or
 * - its history ended: the cells after some period are blank rather than 0 (the series stops
 *   before the last period column, as an extract does for a discontinued part).
 * Inactive SKUs are counted apart, left out of the ABC value ranking (a part that no longer sells
 * should not push live parts down into C), and get no reorder point unless they are pinned.
 * There is no textbook formula here; the rule is the "dead stock / no movement in 12 months" check
 * planners run before a segmentation (e.g. Silver, Pyke & Thomas 2017, §8.4 on items with no
 * recent demand), made explicit and configurable.
 *
 * Columnar: history is row-major n × periods, oldest period first; `lastFilled[i]` is the index of
 * SKU i's last non-blank period (periods − 1 when the row runs to the end), or null when the caller
 * does not know blanks from zeros.
 */

export interface ActivityOptions {
  /** Periods at the end of the history that must hold some demand, >= 1. */
  recentPeriods: number;
}

export interface ActivityResult {
  /** 1 = inactive. */
  inactive: Uint8Array;
  /** Why, per SKU ("" when active). */
  reason: string[];
  /** Index of the last period with demand > 0, -1 when none. */
  lastDemand: Int32Array;
  count: number;
}

export function activity(history: ArrayLike<number>, n: number, periods: number, lastFilled: ArrayLike<number> | null, options: ActivityOptions): ActivityResult {
  const recent = Math.max(1, Math.min(periods, Math.floor(options.recentPeriods)));
  const inactive = new Uint8Array(n);
  const reason = new Array<string>(n);
  const lastDemand = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const base = i * periods;
    let last = -1;
    for (let p = periods - 1; p >= 0; p--) {
      if (history[base + p] > 0) {
        last = p;
        break;
      }
    }
    lastDemand[i] = last;
    const filled = lastFilled ? lastFilled[i] : periods - 1;
    if (filled < periods - 1) {
      inactive[i] = 1;
      reason[i] = `history ends at period ${filled + 1} of ${periods} (the later cells are blank)`;
    } else if (last < periods - recent) {
      inactive[i] = 1;
      reason[i] = last < 0 ? "no demand in the history" : `no demand in the last ${recent} periods (last demand in period ${last + 1} of ${periods})`;
    } else {
      reason[i] = "";
    }
    count += inactive[i];
  }
  return { inactive, reason, lastDemand, count };
}
