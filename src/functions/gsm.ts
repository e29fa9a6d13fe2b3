/**
 * The SEG multi-echelon custom function GSM_SERIAL: the guaranteed-service model of a serial line
 * (src/engine/gsm/serial.ts gsmSerial; Inderfurth 1991, Snyder & Shen 2019 §6.3), one row per
 * stage, stage 1 (the one serving the customers) first, as stockpyl numbers them.
 *
 * Arguments: holding_costs and processing_times give one cell per stage (a column or a row);
 * demand_sd, z, inbound_st and outbound_st are single cells. The result spills one row per stage
 * with three columns: committed service time, net lead time, safety stock (units).
 *
 * Errors: every stage's answer depends on every other stage, so a bad stage spoils the chain. The
 * bad stage's row gets #VALUE! "row N: holding_costs: …" (the stage number is the row number), the
 * other stages' rows #N/A saying which stage to fix; a wrong single-cell argument (demand_sd < 0,
 * a fractional inbound_st) or columns of different lengths is one #VALUE! naming the argument.
 * Blank cells read as 0, as in every SEG function.
 */
import { readNumber } from "../engine/cells";
import { ArgumentError, cellError, isCellError } from "../engine/errors";
import { gsmSerial, MAX_REPLENISHMENT_TIME } from "../engine/gsm";
import { asVector, guard, readOptionalNumber, spillWide, toExcelError, type ExcelCell, type ExcelMatrix } from "./excel";

/** Engine field names as the formula builder names them. */
const ARGUMENT_NAMES: Record<string, string> = {
  holdingCost: "holding_costs",
  processingTime: "processing_times",
  demandSd: "demand_sd",
  supplierServiceTime: "inbound_st",
  maxServiceTime: "outbound_st",
};
const FIELD_PATTERN = new RegExp(`\\b(${Object.keys(ARGUMENT_NAMES).join("|")})\\b`, "g");
const excelNames = (message: string) => message.replace(FIELD_PATTERN, (f) => ARGUMENT_NAMES[f]);

/** A required single number (a blank cell reads as 0, as everywhere in SEG). */
function readScalar(arg: unknown, name: string, whole: boolean): number {
  const v = asVector(arg, name);
  if (v.length !== 1) throw new ArgumentError(name, `expected a single cell, got ${v.length} cells`);
  const x = readNumber(v[0], "zero");
  if (isCellError(x)) throw new ArgumentError(name, x.message);
  checkRange(x, name, whole);
  return x;
}

function checkRange(x: number, name: string, whole: boolean): void {
  if (!(x >= 0 && x < Infinity)) throw new ArgumentError(name, `must be ${whole ? "a whole number of periods" : "a number"} >= 0, got ${x}`);
  if (whole && !(Number.isInteger(x) && x <= MAX_REPLENISHMENT_TIME)) throw new ArgumentError(name, `must be a whole number of periods from 0 to ${MAX_REPLENISHMENT_TIME}, got ${x}`);
}

/** Stage q's value of a per-stage argument, or why it cannot be used. */
function stageValue(cell: unknown, whole: boolean): number | string {
  const x = readNumber(cell, "zero");
  if (isCellError(x)) return x.message;
  if (!(x >= 0 && x < Infinity)) return `must be ${whole ? "a whole number of periods" : "a number"} >= 0, got ${x}`;
  if (whole && !Number.isInteger(x)) return `must be a whole number of periods, got ${x}; express the times in a shorter period (e.g. days)`;
  if (whole && x > MAX_REPLENISHMENT_TIME) return `must be at most ${MAX_REPLENISHMENT_TIME} periods, got ${x}`;
  return x;
}

/** The engine call, its ArgumentErrors re-worded with the formula's argument names. */
function solve(holdingCost: number[], processingTime: number[], demandSd: number, z: number, supplierServiceTime: number, maxServiceTime: number) {
  try {
    return gsmSerial({ holdingCost, processingTime, demandSd, z, supplierServiceTime, maxServiceTime });
  } catch (e) {
    if (!(e instanceof ArgumentError)) throw e;
    // "network" problems (a replenishment path too long to solve) come from the processing times
    const name = e.argument === "network" ? "processing_times" : (ARGUMENT_NAMES[e.argument] ?? e.argument);
    throw new ArgumentError(name, excelNames(e.message.slice(e.argument.length + 2)));
  }
}

/** SEG.GSM_SERIAL: per stage, committed service time, net lead time and safety stock. */
export function gsmSerialCells(holdingCosts: unknown, processingTimes: unknown, demandSd: unknown, z: unknown, inboundSt?: unknown, outboundSt?: unknown): ExcelMatrix {
  return guard(() => {
    const h = asVector(holdingCosts, "holding_costs");
    const t = asVector(processingTimes, "processing_times");
    if (t.length !== h.length) {
      throw new ArgumentError("processing_times", `has ${t.length} stages but holding_costs has ${h.length}; give one row per stage, stage 1 (serving the customers) first`);
    }
    const sd = readScalar(demandSd, "demand_sd", false);
    const zz = readScalar(z, "z", false);
    const si = readOptionalNumber(inboundSt, "inbound_st", 0);
    checkRange(si, "inbound_st", true);
    const so = readOptionalNumber(outboundSt, "outbound_st", 0);
    checkRange(so, "outbound_st", true);
    const n = h.length;
    const holding = new Array<number>(n);
    const processing = new Array<number>(n);
    const problem = new Array<string | null>(n).fill(null);
    let firstBad = -1;
    for (let q = 0; q < n; q++) {
      const hv = stageValue(h[q], false);
      const tv = stageValue(t[q], true);
      if (typeof hv === "string") problem[q] = `holding_costs: ${hv}`;
      else if (typeof tv === "string") problem[q] = `processing_times: ${tv}`;
      else {
        holding[q] = hv;
        processing[q] = tv;
        continue;
      }
      if (firstBad < 0) firstBad = q;
    }
    if (firstBad >= 0) {
      const bad = problem.map((p, q) => (p ? toExcelError(cellError(`row ${q + 1}: ${p}`)) : null));
      const waiting = toExcelError(cellError(`not solved: fix stage ${firstBad + 1} (row ${firstBad + 1}) first; every stage's service time depends on the others`, "na"));
      return spillWide(n, 3, () => waiting, (q) => bad[q] ?? waiting);
    }
    const r = solve(holding, processing, sd, zz, si, so);
    const columns: ArrayLike<number>[] = [r.serviceTime, r.netLeadTime, r.safetyStock];
    return spillWide(n, 3, (q, j): ExcelCell => columns[j][q]);
  });
}

// ---------------------------------------------------------------- entry points
// The JSDoc is the formula-builder help (functions.json); see docs/simulation.md for the model.

/**
 * Guaranteed-service safety stock for a serial line (Graves–Willems / Inderfurth): where to hold stock so that the customer is served within outbound_st at least holding cost. One row per stage, stage 1 (serving the customer) first; spills committed service time, net lead time and safety stock per stage.
 * @customfunction GSM_SERIAL
 * @param holding_costs Holding cost per unit per period at each stage (money), ≥ 0; one cell per stage, stage 1 first.
 * @param processing_times Processing time of each stage in whole periods, ≥ 0; same order as holding_costs.
 * @param demand_sd Standard deviation of customer demand per period at stage 1 (units), ≥ 0.
 * @param z Safety factor of the demand bound, ≥ 0 (e.g. SEG.Z_VALUE of the service level).
 * @param [inbound_st] Service time the external supplier quotes the last stage, whole periods ≥ 0. Default 0.
 * @param [outbound_st] Longest service time stage 1 may promise its customers, whole periods ≥ 0. Default 0 (served from stock).
 * @returns {any[][]} Per stage: committed service time, net lead time (periods), safety stock (units).
 */
export function gsmSerialFunction(
  holding_costs: unknown[][],
  processing_times: unknown[][],
  demand_sd: unknown[][],
  z: unknown[][],
  inbound_st?: unknown[][],
  outbound_st?: unknown[][],
): unknown[][] {
  return gsmSerialCells(holding_costs, processing_times, demand_sd, z, inbound_st, outbound_st);
}
