/**
 * How the engine reports problems. Two levels, never thrown past an adapter:
 * - CellError: one row/cell is unusable; the rest of the computation goes on without it.
 *   kind "value" = the input is wrong (text, negative, blank...), "na" = the result is
 *   undefined for valid input (e.g. CV of a row whose mean demand is 0).
 * - ArgumentError: a whole argument has the wrong shape or range (cut-offs not increasing,
 *   service level outside (0,1), column lengths that do not match); the call cannot proceed.
 * Adapters map these to Excel errors (#VALUE! / #N/A with the message), sheet notes or HTTP problems.
 */
export type CellErrorKind = "value" | "na";

export interface CellError {
  readonly kind: CellErrorKind;
  readonly message: string;
}

export function cellError(message: string, kind: CellErrorKind = "value"): CellError {
  return { kind, message };
}

export function isCellError(x: unknown): x is CellError {
  return typeof x === "object" && x !== null && "kind" in x && "message" in x && !(x instanceof Error);
}

export class ArgumentError extends Error {
  constructor(
    /** The parameter name as the user sees it, e.g. "cutoffs". */
    public readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
    this.name = "ArgumentError";
  }
}
