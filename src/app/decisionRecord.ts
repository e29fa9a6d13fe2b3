/**
 * The decision record of a Write: the parameters it justifies (src/engine/decisionRecord.ts
 * ModelParameters) built from the Classify options and the segmentation beyond the SKU, and the
 * lines it adds to the Segments and Dimensions sheets' notes. The rule (when a rationale is
 * required, when it counts as given) is the engine's checkRationale.
 */
import { checkRationale, type DecisionRecord, type ModelParameters, type RationaleCheck } from "../engine/decisionRecord";
import type { ClassifyOptions } from "./classifyTypes";
import { criteriaUsed, type DimensionSettings } from "./dimensionTypes";

/**
 * The parameters of the run a Write would put on the sheets: the Classify cut-offs, and the
 * dimension and criterion of the segmentation beyond the SKU when one has run (else product by
 * value). Second-axis cut-offs only for two-axis ABC, carbon-tier cut-offs only when carbon is the
 * criterion or an axis, weights only for a weighted score.
 */
export function modelParameters(options: Pick<ClassifyOptions, "abcCutoffs" | "xyzCutoffs">, dimension: DimensionSettings | null): ModelParameters {
  const p: ModelParameters = { dimension: dimension?.dimension ?? "product", criterion: dimension?.criterion ?? "value", abcCutoffs: [...options.abcCutoffs], xyzCutoffs: [...options.xyzCutoffs] };
  if (!dimension) return p;
  if (dimension.criterion === "twoAxis") p.secondCutoffs = [...dimension.secondCutoffs];
  if (dimension.criterion === "carbon" || (dimension.criterion === "twoAxis" && dimension.axes.includes("carbon"))) p.carbonCutoffs = [...dimension.carbonCutoffs];
  if (dimension.criterion === "score") p.weights = Object.fromEntries(criteriaUsed(dimension).map((c) => [c, dimension.weights[c]]));
  if (dimension.criterion === "twoAxis") p.criterion = `twoAxis(${dimension.axes.join(" × ")})`;
  return p;
}

/** Is a rationale needed for going from the last written record to these parameters, and given? */
export function rationaleCheck(last: DecisionRecord | null, next: ModelParameters, rationale: string): RationaleCheck {
  return checkRationale(last?.parameters ?? null, next, { rationale });
}

/** The lines the Segments sheet's notes table gets (none when there is nothing to record). */
export function decisionNotes(rationale: string, check: RationaleCheck): string[] {
  const text = rationale.trim();
  if (!text && !check.required) return [];
  return [
    `Decision record: ${text || "(no rationale given)"}`,
    check.changes.length ? `Boundaries and dimension changed since the last Write: ${check.changes.join("; ")}.` : "Boundaries and dimension as at the last Write.",
  ];
}
