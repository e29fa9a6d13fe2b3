import { CellError, cellError } from "./errors";

/**
 * Reading one spreadsheet cell as a number. Shared by the custom functions and the task pane so
 * that a cell means the same thing everywhere.
 * Blanks: Excel desktop passes a blank cell to custom functions as 0, the web as null or "".
 * `blank: "zero"` treats blank as 0 (the only rule that gives the same answer on every platform);
 * `blank: "reject"` makes it an error (used where the caller can see real blanks, e.g. the pane).
 * Text is never coerced (no locale guessing): "12" in a cell is reported, not read as 12.
 */
export type BlankRule = "zero" | "reject";

export function readNumber(cell: unknown, blank: BlankRule = "zero"): number | CellError {
  if (typeof cell === "number") {
    return Number.isFinite(cell) ? cell : cellError(`${String(cell)} is not a finite number`);
  }
  if (cell === null || cell === undefined || cell === "") {
    return blank === "zero" ? 0 : cellError("blank cell");
  }
  if (typeof cell === "boolean") return cellError(`${cell ? "TRUE" : "FALSE"} is not a number`);
  if (typeof cell === "string") return cellError(`text "${truncate(cell)}" is not a number`);
  return cellError("not a number");
}

/** Readable description of a cell value for messages. */
export function describeCell(cell: unknown): string {
  if (cell === null || cell === undefined || cell === "") return "blank";
  if (typeof cell === "string") return `"${truncate(cell)}"`;
  return String(cell);
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}...` : s;
}
