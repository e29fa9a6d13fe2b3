/**
 * Reading a Network sheet for the guaranteed-service model (src/engine/gsm): one row per stage,
 * columns found by their headers (any order, any case; the first row within the first 20 that has
 * a "Stage" header is the header row). Every bad cell is reported with its address and stage;
 * the network's shape (cycles, a stage with two downstream stages in the serial model, no demand
 * downstream) is the engine's to check.
 *
 * Columns (required ones marked *):
 *   Stage*                     the stage id (unique)
 *   Downstream stage*          the stage it supplies; blank or "customer" = it serves customers only;
 *                              several stages separated by commas or semicolons
 *   Processing time*           whole periods >= 0
 *   Holding cost*              money per unit per period, >= 0
 *   Demand mean, Demand sd     per period, at stages that serve customers (both or neither)
 *   Inbound service time       external supplier's service time, whole periods >= 0 (blank 0)
 *   Max outbound service time  longest service time promised (blank: 0 at customer stages, none elsewhere)
 *   Segment                    optional: the customers' segment, whose service level gives z
 *   Service level              optional: the customers' cycle service level (0.95 = 95 %)
 *
 * z at a stage that serves customers (it has a demand mean): the row's Service level if given, else
 * its Segment's service level in the policy grid, else the default service level chosen in the
 * pane; z = NORM.S.INV(service level) (src/engine/inventory.ts zValue), the service level read as a
 * cycle service level whatever the segment's method. Other stages take the largest z of the
 * customer stages they serve (the engine's rule).
 */
import { readNumber } from "../engine/cells";
import { isCellError } from "../engine/errors";
import type { GsmStage } from "../engine/gsm";
import { zValue } from "../engine/inventory";
import type { SegmentPolicy } from "../engine/policy";
import { rangeAddress, sheetCell } from "./a1";
import type { RangeSnapshot } from "./ports";

export const NETWORK_FIELDS = ["stage", "downstream", "processingTime", "holdingCost", "demandMean", "demandSd", "supplierServiceTime", "maxServiceTime", "segment", "serviceLevel"] as const;
export type NetworkField = (typeof NETWORK_FIELDS)[number];
const REQUIRED: readonly NetworkField[] = ["stage", "downstream", "processingTime", "holdingCost"];

export const NETWORK_FIELD_LABELS: Record<NetworkField, string> = {
  stage: "Stage",
  downstream: "Downstream stage",
  processingTime: "Processing time",
  holdingCost: "Holding cost",
  demandMean: "Demand mean",
  demandSd: "Demand sd",
  supplierServiceTime: "Inbound service time",
  maxServiceTime: "Max outbound service time",
  segment: "Segment",
  serviceLevel: "Service level",
};

/** Header texts per field, compared without case, spaces or punctuation. */
const SYNONYMS: Record<NetworkField, string[]> = {
  stage: ["stage", "stageid", "stagename", "node", "location"],
  downstream: ["downstream", "downstreamstage", "downstreamstages", "supplies", "shipsto", "successor", "nextstage", "customerordownstreamstage"],
  processingTime: ["processingtime", "processingtimeperiods", "processing", "leadtime", "stagetime"],
  holdingCost: ["holdingcost", "holdingcostperunit", "holdingcostperunitperperiod", "holdingcostperperiod", "h"],
  demandMean: ["demandmean", "meandemand", "demandmeanperperiod", "demand"],
  demandSd: ["demandsd", "sddemand", "demandstd", "demandstandarddeviation", "demandsdperperiod", "sd"],
  supplierServiceTime: ["inboundservicetime", "externalinboundservicetime", "supplierservicetime", "inboundst", "externalservicetime"],
  maxServiceTime: ["maxoutboundservicetime", "maximumoutboundservicetime", "outboundservicetime", "maxservicetime", "outboundst", "promisedservicetime"],
  segment: ["segment", "customersegment"],
  serviceLevel: ["servicelevel", "cycleservicelevel", "csl"],
};

const norm = (c: unknown) => (typeof c === "string" ? c.toLowerCase().replace(/[^a-z0-9]/g, "") : "");

export interface NetworkColumns {
  /** Snapshot row (0-based) of the headers. */
  headerRow: number;
  columns: Record<NetworkField, number | null>;
}

/** The header row and the column of each field (null when the sheet has none). */
export function findNetworkColumns(snapshot: RangeSnapshot): NetworkColumns | null {
  const rows = snapshot.values;
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const cells = (rows[r] ?? []).map(norm);
    if (!cells.some((c) => SYNONYMS.stage.includes(c))) continue;
    const columns = {} as Record<NetworkField, number | null>;
    const used = new Set<number>();
    for (const f of NETWORK_FIELDS) {
      const c = cells.findIndex((x, k) => !used.has(k) && SYNONYMS[f].includes(x));
      columns[f] = c >= 0 ? c : null;
      if (c >= 0) used.add(c);
    }
    return { headerRow: r, columns };
  }
  return null;
}

export interface ParsedNetwork {
  stages: GsmStage[];
  /** 0-based sheet row of each stage. */
  sheetRow: number[];
  /** How each stage's z was chosen ("" for stages without customers of their own). */
  zSource: string[];
  /** The service level behind z (NaN where the stage has no customers of its own). */
  serviceLevel: number[];
  /** Every bad cell, 'Network!C5 (stage "DC"): processing time must be …'. */
  problems: string[];
  /** Header text of each field found, for the pane ("Stage: A (Stage id)"). */
  found: { field: NetworkField; header: string; column: number }[];
}

export interface NetworkParseOptions {
  grid: readonly SegmentPolicy[];
  /** Service level for customer stages with neither a Service level nor a Segment cell (in (0, 1)). */
  defaultServiceLevel: number;
}

const isBlank = (c: unknown) => c === null || c === undefined || (typeof c === "string" && c.trim() === "");
const CUSTOMER = new Set(["customer", "customers", "-", "none", "end customer", "market"]);
const pctText = (x: number) => `${Math.round(x * 1e6) / 1e4} %`;

export function parseNetwork(snapshot: RangeSnapshot, options: NetworkParseOptions): ParsedNetwork {
  const found = findNetworkColumns(snapshot);
  if (!found) throw new Error(`${snapshot.address} has no "Stage" header in its first rows: select the Network table with its header row (Stage, Downstream stage, Processing time, Holding cost, …).`);
  const missing = REQUIRED.filter((f) => found.columns[f] === null);
  if (missing.length) {
    throw new Error(`The Network table needs the column${missing.length > 1 ? "s" : ""} ${missing.map((f) => `"${NETWORK_FIELD_LABELS[f]}"`).join(", ")}: add ${missing.length > 1 ? "them" : "it"} next to the others (headers found in row ${snapshot.firstRow + found.headerRow + 1}).`);
  }
  const { values, sheetName, firstRow, firstColumn } = snapshot;
  const col = found.columns;
  const out: ParsedNetwork = {
    stages: [],
    sheetRow: [],
    zSource: [],
    serviceLevel: [],
    problems: [],
    found: NETWORK_FIELDS.filter((f) => col[f] !== null).map((f) => ({ field: f, header: String(values[found.headerRow][col[f]!]), column: firstColumn + col[f]! })),
  };
  for (let r = found.headerRow + 1; r < values.length; r++) {
    const row = values[r] ?? [];
    if (row.every(isBlank)) continue;
    const at = (c: number) => sheetCell(sheetName, firstRow + r, firstColumn + c);
    const idCell = row[col.stage!];
    const id = typeof idCell === "number" ? String(idCell) : typeof idCell === "string" ? idCell.trim() : "";
    const where = (f: NetworkField) => `${at(col[f]!)} (stage "${id}")`;
    if (!id) {
      out.problems.push(`${at(col.stage!)}: the stage id is blank (row ${firstRow + r + 1} of the Network table)`);
      continue;
    }
    let bad = false;
    const problem = (f: NetworkField, text: string) => {
      out.problems.push(`${where(f)}: ${NETWORK_FIELD_LABELS[f].toLowerCase()} ${text}`);
      bad = true;
    };
    /** A number cell: null when blank and optional. */
    const number = (f: NetworkField, required: boolean, whole: boolean): number | null => {
      const c = col[f];
      if (c === null) return null;
      const cell = row[c];
      if (isBlank(cell)) {
        if (required) problem(f, "is blank");
        return null;
      }
      const x = readNumber(cell, "reject");
      if (isCellError(x)) {
        problem(f, `must be a number: ${x.message}`);
        return null;
      }
      if (x < 0) {
        problem(f, `must be 0 or more${whole ? " periods" : ""}, got ${x}`);
        return null;
      }
      if (whole && !Number.isInteger(x)) {
        problem(f, `must be a whole number of periods, got ${x} (express the times in a shorter period, e.g. days)`);
        return null;
      }
      return x;
    };
    const T = number("processingTime", true, true);
    const h = number("holdingCost", true, false);
    const mean = number("demandMean", false, false);
    const sd = number("demandSd", false, false);
    const si = number("supplierServiceTime", false, true);
    const so = number("maxServiceTime", false, true);
    if ((mean === null) !== (sd === null) && !bad) {
      if (mean === null) problem("demandMean", "is blank but the demand sd is given: give both at a stage that serves customers, or neither");
      else problem("demandSd", "is blank but the demand mean is given: give both at a stage that serves customers, or neither");
    }
    const downCell = row[col.downstream!];
    const downText = typeof downCell === "number" ? String(downCell) : typeof downCell === "string" ? downCell.trim() : "";
    if (typeof downCell === "boolean") problem("downstream", "must be a stage id or \"customer\"");
    const downstream = downText === "" || CUSTOMER.has(downText.toLowerCase()) ? [] : downText.split(/[,;]/).map((x) => x.trim()).filter(Boolean);
    // z of a stage that serves customers: its Service level, its Segment's level, or the default
    let level = Number.NaN;
    let source = "";
    if (mean !== null) {
      const slCell = col.serviceLevel === null ? null : row[col.serviceLevel];
      const segCell = col.segment === null ? null : row[col.segment];
      if (!isBlank(slCell)) {
        const x = readNumber(slCell, "reject");
        if (isCellError(x) || !(x > 0 && x < 1)) problem("serviceLevel", `must be a share between 0 and 1 (95 % is 0.95), got ${isCellError(x) ? JSON.stringify(slCell) : x}`);
        else {
          level = x;
          source = `service level ${pctText(x)} (Network sheet)`;
        }
      } else if (!isBlank(segCell)) {
        const seg = String(segCell).trim().toUpperCase();
        const p = options.grid.find((g) => g.segment === seg);
        if (!p) problem("segment", `"${String(segCell).trim()}" is not a segment of the policy grid (AX … CZ)`);
        else {
          level = p.serviceLevel;
          source = `segment ${seg}: ${pctText(p.serviceLevel)}`;
        }
      } else {
        level = options.defaultServiceLevel;
        source = `default ${pctText(level)} (pane)`;
      }
    }
    if (bad) continue;
    let z: number | null = null;
    if (mean !== null) {
      const zz = zValue(level);
      if (isCellError(zz)) {
        out.problems.push(`${at(col.stage!)} (stage "${id}"): service level ${pctText(level)} gives no safety factor: ${zz.message}`);
        continue;
      }
      z = zz;
    }
    out.stages.push({
      stage: id,
      downstream,
      processingTime: T!,
      holdingCost: h!,
      demandMean: mean,
      demandSd: sd,
      z,
      supplierServiceTime: si,
      maxServiceTime: so,
    });
    out.sheetRow.push(firstRow + r);
    out.zSource.push(source);
    out.serviceLevel.push(level);
  }
  if (out.stages.length === 0 && out.problems.length === 0) {
    out.problems.push(`${rangeAddress(sheetName, firstRow + found.headerRow + 1, firstColumn, 1, values[0]?.length ?? 1)}: no stage rows below the headers`);
  }
  return out;
}
