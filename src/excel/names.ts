/** Excel's naming rules for sheets and tables, checked before anything is sent to Excel. */

/** Why `name` cannot be a sheet name, or null when it can. */
export function sheetNameProblem(name: string): string | null {
  if (typeof name !== "string" || name.length === 0) return "a sheet name cannot be blank";
  if (name.length > 31) return `sheet name "${name}" is longer than 31 characters`;
  if (/[\\/?*[\]:]/.test(name)) return `sheet name "${name}" contains one of \\ / ? * [ ] :`;
  if (name.startsWith("'") || name.endsWith("'")) return `sheet name "${name}" begins or ends with an apostrophe`;
  if (name.toLowerCase() === "history") return `"History" is reserved by Excel`;
  return null;
}

/** Why `name` cannot be a table name, or null when it can. */
export function tableNameProblem(name: string): string | null {
  if (typeof name !== "string" || name.length === 0) return "a table name cannot be blank";
  if (name.length > 255) return `table name "${name.slice(0, 20)}..." is longer than 255 characters`;
  if (!/^[A-Za-z_\\][A-Za-z0-9_.\\]*$/.test(name)) return `table name "${name}" must start with a letter or underscore and hold only letters, digits, periods and underscores`;
  if (/^[A-Za-z]{1,3}[0-9]+$/.test(name) || /^[Rr][0-9]*([Cc][0-9]*)?$/.test(name) || /^[Cc][0-9]*$/.test(name)) return `table name "${name}" looks like a cell reference`;
  return null;
}
