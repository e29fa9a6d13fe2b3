/**
 * The WHERE clause of a filtered read of a snapshot's items (issue 15), shared by both backends.
 * `segment` has its own indexed column; the other fields are read from the stored item JSON
 * (SQLite json_extract, PostgreSQL jsonb ->>). Every value is bound by the driver.
 */
export interface ItemFilter {
  /** An ABC×XYZ label with * for any character, or * alone (no filter). */
  segment?: string;
  abc?: string;
  xyz?: string;
  pattern?: string;
  transportMode?: string;
  slottingZone?: string;
  crossDock?: boolean;
  overridden?: boolean;
}

const TEXT_FIELDS = ["abc", "xyz", "pattern", "transportMode", "slottingZone"] as const;
const BOOL_FIELDS = ["crossDock", "overridden"] as const;

export function itemFilterWhere(
  dialect: "sqlite" | "postgres",
  workbookId: string,
  modelVersion: string,
  f: ItemFilter,
  ph: (n: number) => string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds: string[] = [];
  const add = (fragment: string, value: unknown) => {
    params.push(value);
    conds.push(fragment.replace("§", ph(params.length)));
  };
  // Field names come from the fixed lists above, never from the request.
  const json = (field: string) => (dialect === "sqlite" ? `json_extract(item, '$.${field}')` : `((item::jsonb) ->> '${field}')`);
  add("workbook_id = §", workbookId);
  add("model_version = §", modelVersion);
  if (f.segment !== undefined && f.segment !== "*") {
    if (f.segment.includes("*")) add("segment LIKE §", f.segment.replace(/\*/g, "_"));
    else add("segment = §", f.segment);
  }
  for (const k of TEXT_FIELDS) if (f[k] !== undefined) add(`${json(k)} = §`, f[k]);
  for (const k of BOOL_FIELDS) {
    const v = f[k];
    if (v === undefined) continue;
    if (dialect === "sqlite") add(`${json(k)} = §`, v ? 1 : 0);
    else add(`${json(k)} = §`, v ? "true" : "false");
  }
  return { where: conds.join(" AND "), params };
}
