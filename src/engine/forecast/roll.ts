/**
 * Rolling-origin evaluation shared by every method's filter (FPP3 §5.10 "time series
 * cross-validation"; Tashman 2000, IJF 16:437-450): while a method runs through a series with its
 * parameters fixed, at every origin o >= from (o = number of observations seen, 0-based target
 * index o + h - 1) its forecasts for lags h = 1..lags are compared with the actuals that exist.
 * Parameters are not refitted per origin; the state is updated with each new observation.
 * Pairs are pooled per lag into acc (lag h at (h - 1) * ACC_SIZE, layout of accuracy.ts).
 */
import * as accuracy from "./accuracy";
import { accumulate } from "./accuracy";

const ACC_SIZE = accuracy.ACC_SIZE; // a local copy: no getter call per pair under CommonJS

export interface Roll {
  /** First origin (observations seen before the first forecast), >= 1. */
  from: number;
  /** Lags 1..lags. */
  lags: number;
  /** Clip forecasts at 0 before comparing (the clip option). */
  clip: boolean;
  /** lags x ACC_SIZE sums. */
  acc: Float64Array;
}

export function newRoll(lags: number): Roll {
  return { from: 0, lags, clip: false, acc: new Float64Array(lags * ACC_SIZE) };
}

/** Records the lag-h forecast f of actual a. */
export function rollPoint(roll: Roll, h: number, f: number, a: number): void {
  accumulate(roll.acc, (h - 1) * ACC_SIZE, roll.clip && f < 0 ? 0 : f, a);
}

/** A flat forecast f from origin i for every lag whose target y[off + i + h - 1] exists (t < n). */
export function rollFlat(roll: Roll, f: number, y: ArrayLike<number>, off: number, i: number, n: number): void {
  const last = Math.min(roll.lags, n - i);
  for (let h = 1; h <= last; h++) rollPoint(roll, h, f, y[off + i + h - 1]);
}
