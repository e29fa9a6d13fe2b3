/**
 * The model file of `seg classify --config model.json`: the same options the pane uses
 * (src/app/classifyTypes.ts ClassifyOptions, src/engine/policy.ts grid and PolicyOptions), plus
 * per-partition overrides for regional variation. Every field is optional; a partition entry is
 * laid over the top-level values (its grid rows replace the rows of the same segment).
 *
 * {
 *   "abcCutoffs": [0.8, 0.95], "xyzCutoffs": [0.5, 1.0], "sdType": "population",
 *   "pattern": { "adi": 1.32, "cv2": 0.49 }, "periodsPerYear": 52,
 *   "policyOptions": { "defaultLeadTime": 2, "defaultLeadTimeSd": 0, "orderCost": 50, "holdingRate": 0.25 },
 *   "grid": [{ "segment": "AX", "serviceLevel": 0.99, "method": "csl", "reviewPeriod": 0, ... }],
 *   "partitions": { "EU": { "abcCutoffs": [0.7, 0.9], "grid": [{ "segment": "CZ", "serviceLevel": 0.8, ... }] } }
 * }
 */
import { defaultClassifyOptions, type ClassifyOptions } from "../app/classifyTypes";
import { validateAbcCutoffs } from "../engine/abc";
import { ArgumentError } from "../engine/errors";
import { defaultPolicyGrid, defaultPolicyOptions, policyOptionProblems, validatePolicyGrid, type PolicyOptions, type SegmentPolicy } from "../engine/policy";
import { validateXyzThresholds } from "../engine/xyz";

export interface ModelLayer {
  abcCutoffs?: number[];
  xyzCutoffs?: number[];
  sdType?: "population" | "sample";
  pattern?: { adi: number; cv2: number };
  periodsPerYear?: number;
  policyOptions?: Partial<Omit<PolicyOptions, "periodsPerYear">>;
  grid?: Partial<SegmentPolicy>[];
}

export interface ModelFile extends ModelLayer {
  partitions?: Record<string, ModelLayer>;
}

/** The settings one partition is classified with. */
export interface ResolvedModel {
  options: ClassifyOptions;
  grid: SegmentPolicy[];
  policyOptions: PolicyOptions;
}

function layer(base: ResolvedModel, l: ModelLayer, where: string): ResolvedModel {
  const options: ClassifyOptions = { ...base.options, outliers: { ...base.options.outliers }, pattern: { ...base.options.pattern } };
  try {
    if (l.abcCutoffs !== undefined) options.abcCutoffs = validateAbcCutoffs(l.abcCutoffs);
    if (l.xyzCutoffs !== undefined) {
      if (!Array.isArray(l.xyzCutoffs) || l.xyzCutoffs.length !== 2) throw new ArgumentError("xyzCutoffs", "give two cut-offs [xMax, yMax]");
      validateXyzThresholds(l.xyzCutoffs[0], l.xyzCutoffs[1]);
      options.xyzCutoffs = [...l.xyzCutoffs];
    }
    if (l.sdType !== undefined) {
      if (l.sdType !== "population" && l.sdType !== "sample") throw new ArgumentError("sdType", `must be "population" or "sample", got ${JSON.stringify(l.sdType)}`);
      options.sdType = l.sdType;
    }
    if (l.pattern !== undefined) {
      if (!(l.pattern.adi > 0 && l.pattern.cv2 > 0)) throw new ArgumentError("pattern", "adi and cv2 must be positive numbers");
      options.pattern = { adi: l.pattern.adi, cv2: l.pattern.cv2 };
    }
    if (l.periodsPerYear !== undefined) options.periodsPerYear = l.periodsPerYear;
  } catch (e) {
    if (e instanceof ArgumentError) throw new ArgumentError(`${where}${e.argument}`, e.message.slice(e.argument.length + 2));
    throw e;
  }
  const policyOptions: PolicyOptions = { ...base.policyOptions, ...(l.policyOptions ?? {}), periodsPerYear: options.periodsPerYear };
  const problems = policyOptionProblems(policyOptions);
  if (problems.length) throw new ArgumentError(`${where}policyOptions`, problems.join("; "));
  let grid = base.grid;
  if (l.grid !== undefined) {
    if (!Array.isArray(l.grid)) throw new ArgumentError(`${where}grid`, "a list of segment rows");
    const bySeg = new Map(grid.map((g) => [g.segment, { ...g }]));
    for (const row of l.grid) {
      const seg = String(row.segment ?? "");
      const current = bySeg.get(seg);
      if (!current) throw new ArgumentError(`${where}grid`, `unknown segment "${seg}" (AX .. CZ)`);
      bySeg.set(seg, { ...current, ...row, segment: seg });
    }
    try {
      grid = validatePolicyGrid([...bySeg.values()]);
    } catch (e) {
      throw new ArgumentError(`${where}grid`, (e as Error).message);
    }
  }
  return { options, grid, policyOptions };
}

export function defaultModel(): ResolvedModel {
  const options = defaultClassifyOptions();
  return { options, grid: defaultPolicyGrid(), policyOptions: { ...defaultPolicyOptions(), periodsPerYear: options.periodsPerYear } };
}

/** The model for every partition: resolve(part) gives the top level laid over the defaults, then the partition's entry. */
export function loadModel(file: ModelFile | undefined, periodsPerYear?: number): { top: ResolvedModel; resolve(part: string): ResolvedModel; partitions: string[] } {
  const base = defaultModel();
  if (periodsPerYear !== undefined && file?.periodsPerYear === undefined) {
    base.options.periodsPerYear = periodsPerYear;
    base.policyOptions.periodsPerYear = periodsPerYear;
  }
  const top = file ? layer(base, file, "") : base;
  const parts = file?.partitions ?? {};
  const cache = new Map<string, ResolvedModel>();
  for (const [name, l] of Object.entries(parts)) cache.set(name, layer(top, l, `partitions.${name}.`));
  return { top, partitions: Object.keys(parts), resolve: (part) => cache.get(part) ?? top };
}
