/**
 * Carbon per SKU and carbon tiers.
 *
 * carbonPerUnit (kg CO2e per unit) is either mapped as such, or computed from the inbound
 * transport: kg CO2e / unit = (weightKg / 1000) × distanceKm × factor(mode), factor in kg CO2e per
 * tonne-km (the tonne-km method of the Defra/DECC "Guidelines to GHG conversion factors for company
 * reporting", Annex 7 "Freight transport": weight in tonnes × distance × factor).
 * DEFAULT_TRANSPORT_FACTORS are Defra's direct (tank-to-wheel) average factors per mode as
 * published by the Freight Transport Association's Mode Shift Centre (road = all HGVs 0.12631,
 * van 0.5907, rail 0.03159, sea = deep-sea container ship 0.01536, air = domestic / short haul
 * 1.73499 kg CO2e per tonne-km). They are indicative: give your own table (current Defra/DESNZ or
 * GLEC values, well-to-wheel if you report scope 3 that way) through `factors`.
 * emissions (kg CO2e per year) = carbonPerUnit × annual units.
 * Carbon tier: classifyAbc on the emissions (cumulative share including the row, the ABC boundary
 * and tie rules), labels "high", "medium", "low", default cut-offs 0.8 / 0.95: the SKUs that make up
 * the first 80 % of the emissions are "high".
 */
import { classifyAbc, type AbcResult } from "./abc";
import { ArgumentError, CellError, cellError } from "./errors";

export const CARBON_TIERS = ["high", "medium", "low"] as const;
export type CarbonTier = (typeof CARBON_TIERS)[number];

/** kg CO2e per tonne-km by transport mode (see the module comment for the source). */
export const DEFAULT_TRANSPORT_FACTORS: Readonly<Record<string, number>> = { road: 0.12631, van: 0.5907, rail: 0.03159, sea: 0.01536, air: 1.73499 };

export function validateFactors(factors: Readonly<Record<string, number>>): void {
  const names = Object.keys(factors);
  if (names.length === 0) throw new ArgumentError("factors", "the factor table is empty");
  for (const m of names) {
    const f = factors[m];
    if (!(Number.isFinite(f) && f >= 0)) throw new ArgumentError("factors", `factor for ${m} must be kg CO2e per tonne-km >= 0, got ${f}`);
  }
}

/** kg CO2e per unit moved distanceKm by mode; a CellError for a bad input. */
export function transportCarbonPerUnit(weightKg: number, distanceKm: number, mode: string, factors: Readonly<Record<string, number>> = DEFAULT_TRANSPORT_FACTORS): number | CellError {
  if (!(Number.isFinite(weightKg) && weightKg >= 0)) return cellError(`weight ${weightKg} kg must be a number >= 0`);
  if (!(Number.isFinite(distanceKm) && distanceKm >= 0)) return cellError(`distance ${distanceKm} km must be a number >= 0`);
  const key = typeof mode === "string" ? mode.trim().toLowerCase() : "";
  const f = Object.prototype.hasOwnProperty.call(factors, key) ? factors[key] : undefined;
  if (f === undefined) return cellError(`transport mode "${String(mode)}" is not in the factor table (${Object.keys(factors).join(", ")})`);
  return (weightKg / 1000) * distanceKm * f;
}

export interface CarbonInput {
  /** Annual units per SKU. */
  units: ArrayLike<number>;
  /** Mapped kg CO2e per unit; NaN = compute from transport for that row. */
  carbonPerUnit?: ArrayLike<number>;
  weightKg?: ArrayLike<number>;
  distanceKm?: ArrayLike<number>;
  mode?: readonly string[];
  factors?: Readonly<Record<string, number>>;
}

export interface CarbonColumns {
  carbonPerUnit: Float64Array;
  /** kg CO2e per year. */
  emissions: Float64Array;
  issues: Map<number, CellError>;
}

export function carbonColumns(input: CarbonInput): CarbonColumns {
  const n = input.units.length;
  const factors = input.factors ?? DEFAULT_TRANSPORT_FACTORS;
  validateFactors(factors);
  for (const [name, col] of Object.entries({ carbonPerUnit: input.carbonPerUnit, weightKg: input.weightKg, distanceKm: input.distanceKm, mode: input.mode })) {
    if (col !== undefined && col.length !== n) throw new ArgumentError(name, `has ${col.length} rows but units has ${n}`);
  }
  const transport = input.weightKg !== undefined && input.distanceKm !== undefined && input.mode !== undefined;
  if (input.carbonPerUnit === undefined && !transport) throw new ArgumentError("carbonPerUnit", "map a carbon factor per unit, or weight, distance and transport mode");
  const perUnit = new Float64Array(n);
  const emissions = new Float64Array(n);
  const issues = new Map<number, CellError>();
  for (let i = 0; i < n; i++) {
    const u = input.units[i];
    let c = input.carbonPerUnit ? input.carbonPerUnit[i] : NaN;
    let problem: CellError | undefined;
    if (!(Number.isFinite(u) && u >= 0)) problem = cellError(`units ${u} must be a number >= 0`);
    else if (Number.isNaN(c)) {
      if (!transport) problem = cellError("no carbon factor and no transport data");
      else {
        const t = transportCarbonPerUnit(input.weightKg![i], input.distanceKm![i], input.mode![i], factors);
        if (typeof t === "number") c = t;
        else problem = t;
      }
    } else if (!(Number.isFinite(c) && c >= 0)) problem = cellError(`carbon factor ${c} kg CO2e per unit must be a number >= 0`);
    if (problem) {
      issues.set(i, problem);
      perUnit[i] = emissions[i] = NaN;
    } else {
      perUnit[i] = c;
      emissions[i] = c * u;
    }
  }
  return { carbonPerUnit: perUnit, emissions, issues };
}

/** Carbon tier per SKU: high / medium / low by cumulative share of emissions (the ABC rule). */
export function classifyCarbon(emissions: ArrayLike<number>, options: { cutoffs?: ArrayLike<number>; issues?: ReadonlyMap<number, CellError> } = {}): AbcResult {
  return classifyAbc(emissions, { cutoffs: options.cutoffs ?? [0.8, 0.95], labels: [...CARBON_TIERS], issues: options.issues });
}
