/**
 * Payload budget. Excel on the web rejects a request or a response larger than 5 MB, and every
 * platform caps one read at 5,000,000 cells (docs: "Resource limits and performance optimization
 * for Office Add-ins"). We measure a payload as the UTF-8 size of the JSON of the cell arrays
 * (values and number formats) sent or received in one context.sync; Office.js wraps them in a
 * little more JSON, which the margin between the budget and the limit absorbs.
 */
export const EXCEL_PAYLOAD_LIMIT_BYTES = 5_000_000;
/** What one sync may carry: 4 MB, a 20 % margin under the 5 MB limit. */
export const DEFAULT_SYNC_BUDGET_BYTES = 4_000_000;
export const MAX_CELLS_PER_READ = 5_000_000;
/** Row block size cap (Microsoft suggests 5k-20k row blocks for big ranges). */
export const DEFAULT_MAX_BLOCK_ROWS = 20_000;

/** UTF-8 byte length of a string without allocating an encoded copy. */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Size of a value once serialised as JSON, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? "");
}
