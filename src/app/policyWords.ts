/**
 * Amounts in the Policy step's messages (they go into the store's notices and errors, which are
 * text): locale-independent, thousands separated, no decimals for money.
 */
export function amountText(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.round(x).toLocaleString("en-US");
}
