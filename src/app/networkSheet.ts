/**
 * The Network policy sheet (pure; the gateway writes it): per stage the committed service time,
 * net lead time, base-stock level and safety stock of the guaranteed-service solution (A1), notes
 * on how it was solved beside it, and a native bar chart of safety stock by stage over a small
 * table of the same write (every stage up to NETWORK_CHART_MAX, else the largest ones).
 */
import type { GsmResult } from "../engine/gsm";
import type { ParsedNetwork } from "./network";
import type { CellValue, SheetPlan } from "./ports";
import { NOTES_HEADERS } from "./sheets";

export const NETWORK_POLICY_SHEET = "Network policy";
export const NETWORK_POLICY_TABLE = "SegNetworkPolicy";
export const NETWORK_NOTES_TABLE = "SegNetworkNotes";
export const NETWORK_CHART_TABLE = "SegNetworkSafetyStockChart";
export const NETWORK_CHART = "SegNetworkSafetyStock";
export const NETWORK_CHART_MAX = 60;

export const NETWORK_POLICY_HEADERS = [
  "Stage",
  "Downstream stage",
  "Service level",
  "z",
  "Committed service time",
  "Inbound service time",
  "Processing time",
  "Net lead time",
  "Net demand mean",
  "Net demand sd",
  "Safety stock",
  "Base-stock level",
  "Holding cost per period",
] as const;

export interface NetworkSolution {
  model: "tree" | "serial";
  /** Where the stages were read, e.g. "Network!A1:H9". */
  source: string;
  parsed: ParsedNetwork;
  result: GsmResult;
}

const num = (x: number): CellValue => (Number.isFinite(x) ? x : null);

/** The stages the chart shows: all of them in sheet order, or the NETWORK_CHART_MAX with the most safety stock. */
export function chartedStages(result: GsmResult): number[] {
  const all = result.stage.map((_, j) => j);
  if (all.length <= NETWORK_CHART_MAX) return all;
  return all.sort((a, b) => result.safetyStock[b] - result.safetyStock[a] || a - b).slice(0, NETWORK_CHART_MAX);
}

export function networkNotes(s: NetworkSolution, stamp: Date): string[] {
  const r = s.result;
  const n = r.stage.length;
  const holding = r.safetyStock.reduce((t, x) => t + (x > 1e-12 ? 1 : 0), 0);
  return [
    `Solved ${stamp.toISOString()} from ${s.source}: ${n} stages, ${s.model === "serial" ? "serial line (Inderfurth 1991)" : "spanning tree (Graves & Willems 2000)"}; ${holding} of them hold safety stock.`,
    `Total holding cost of safety stock: ${(Math.round(r.totalHoldingCostPerPeriod * 100) / 100).toLocaleString("en-US")} per period, the least any choice of service times gives.`,
    "Each stage promises its downstream stages (or customers) the committed service time and holds a base stock covering its net lead time = inbound service time + processing time − committed service time.",
    "Safety stock = z × net demand sd × √(net lead time); base-stock level = net demand mean × net lead time + safety stock. Net demand: the stage's own customers plus every stage downstream (means and variances add).",
    "z at a stage with customers: NORM.S.INV of its service level (the row's Service level, else its Segment's level in the policy grid, else the pane's default); other stages use the largest z of the customer stages they serve.",
    "Times are in whole periods of the Network sheet; pipeline stock (mean × processing time) is not included.",
  ];
}

export function networkPlan(s: NetworkSolution, stamp: Date): SheetPlan {
  const { parsed, result: r } = s;
  const rows: CellValue[][] = r.stage.map((id, j) => {
    const st = parsed.stages[j];
    const down = Array.isArray(st.downstream) ? st.downstream : st.downstream ? [st.downstream] : [];
    return [
      id,
      down.length ? down.join(", ") : "customer",
      num(parsed.serviceLevel[j]),
      num(r.z[j]),
      r.serviceTime[j],
      r.inboundServiceTime[j],
      st.processingTime,
      r.netLeadTime[j],
      num(r.netDemandMean[j]),
      num(r.netDemandSd[j]),
      num(r.safetyStock[j]),
      num(r.baseStockLevel[j]),
      num(r.holdingCostPerPeriod[j]),
    ];
  });
  const notes = networkNotes(s, stamp);
  const shown = chartedStages(r);
  const chartRow = notes.length + 4;
  return {
    sheetName: NETWORK_POLICY_SHEET,
    blocks: [
      {
        kind: "table",
        tableName: NETWORK_POLICY_TABLE,
        anchor: "A1",
        headers: [...NETWORK_POLICY_HEADERS],
        rows,
        numberFormats: { "Service level": "0.0%", z: "0.000", "Net demand mean": "#,##0.00", "Net demand sd": "#,##0.00", "Safety stock": "#,##0.00", "Base-stock level": "#,##0.00", "Holding cost per period": "#,##0.00" },
      },
      { kind: "table", tableName: NETWORK_NOTES_TABLE, anchor: "O1", headers: [...NOTES_HEADERS], rows: notes.map((n) => [n]) },
      {
        kind: "table",
        tableName: NETWORK_CHART_TABLE,
        anchor: `O${chartRow}`,
        headers: ["Stage", "Safety stock"],
        rows: shown.map((j) => [r.stage[j], num(r.safetyStock[j])]),
        numberFormats: { "Safety stock": "#,##0.00" },
      },
      {
        kind: "chart",
        name: NETWORK_CHART,
        chartType: "BarClustered",
        title: shown.length < r.stage.length ? `Safety stock by stage (the ${shown.length} largest of ${r.stage.length})` : "Safety stock by stage",
        sourceTable: NETWORK_CHART_TABLE,
        categoryHeader: "Stage",
        series: [{ header: "Safety stock" }],
        anchor: `R${chartRow}`,
        rows: Math.max(12, Math.min(40, shown.length + 4)),
        columns: 10,
      },
    ],
  };
}
