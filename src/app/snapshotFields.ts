/**
 * The per-SKU fields that steps other than Classify and Policy add to a published snapshot item
 * (docs/backend.md "Snapshots"), keyed by SKU, and kept by each step for the model version it was
 * last written under: execution flags (issue 15), forecast and accuracy (issue 9), MRP export
 * fields (issue 12). Pure: no HTTP, no Office.
 */
import type { SnapshotItem } from "../client";
import type { ExecutionFlags } from "../engine/execution";

/** Fields of SnapshotItem a step adds beside the classification and policy values. */
export type ItemFields = Partial<Omit<SnapshotItem, "sku">>;

/** What a step hands to the publisher for a written model version. */
export interface WrittenFields {
  modelVersion: string;
  /** SKU → its fields. */
  bySku: ReadonlyMap<string, ItemFields>;
  /** Snapshot-level figures (e.g. accuracy per segment), merged into the snapshot's parameters under the step's key. */
  parameters?: Record<string, unknown>;
}

const TRANSPORT = new Set(["express", "standard", "economy"]);
const ZONES = new Set(["golden", "silver", "bronze"]);

/**
 * The execution flags of per-SKU rows as snapshot fields: 0 / "" / NaN (not set) become null,
 * crossDock is the evaluated eligibility (as the Execution sheet and executionCsv write it),
 * executionRules the ids of the rules used, space separated. Rows per SKU × customer are not
 * per-SKU items: call this only for product rows (`customer` all "").
 */
export function executionItemFields(sku: readonly (string | number)[], flags: ExecutionFlags): Map<string, ItemFields> {
  const out = new Map<string, ItemFields>();
  for (let i = 0; i < flags.rows; i++) {
    const rules = [...new Set(Object.values(flags.ruleOf[i]))].join(" ");
    const mode = flags.transportMode[i];
    const zone = flags.slottingZone[i];
    const atp = flags.atpWindowDays[i];
    out.set(String(sku[i]), {
      pickingPriority: flags.pickingPriority[i] > 0 ? flags.pickingPriority[i] : null,
      transportMode: TRANSPORT.has(mode) ? (mode as ItemFields["transportMode"]) : null,
      atpWindowDays: Number.isFinite(atp) && atp >= 0 ? atp : null,
      crossDock: flags.crossDock[i] === 1,
      slottingZone: ZONES.has(zone) ? (zone as ItemFields["slottingZone"]) : null,
      sequencePriority: flags.sequencePriority[i] > 0 ? flags.sequencePriority[i] : null,
      executionRules: rules ? rules.slice(0, 1024) : null,
    });
  }
  return out;
}
