/**
 * Checks on every parsed request (body, query string, path parameters) that JSON Schema cannot
 * express: no lone UTF-16 surrogate in any string or key (UTF-8 storage cannot hold one: it would be
 * stored as U+FFFD and the entry's hash would no longer match), and no nesting deeper than
 * MAX_JSON_DEPTH (canonical JSON, hashing and storage would recurse that deep). The walk is iterative.
 */
import { MAX_JSON_DEPTH } from "../api";
import { loneSurrogateAt } from "../engine/audit";
import { HttpProblem } from "./problem";

/** `body.entries[3].reason` style path of a child. */
function childPath(parent: string, key: string | number): string {
  return typeof key === "number" ? `${parent}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Throws a 400 naming the first string with a lone surrogate (the audit entry too, when inside one). */
export function checkRequestText(part: "body" | "querystring" | "params", value: unknown): void {
  const stack: [unknown, string, number][] = [[value, part, 0]];
  while (stack.length > 0) {
    const [v, where, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH && v !== null && typeof v === "object") {
      throw new HttpProblem("validation", `${where} is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it`, { field: where });
    }
    if (typeof v === "string") {
      const at = loneSurrogateAt(v);
      if (at >= 0) throw loneSurrogate(where, at, value);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], childPath(where, i), depth + 1]);
    } else if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i];
        const at = loneSurrogateAt(k);
        if (at >= 0) throw loneSurrogate(`${where} key ${JSON.stringify(k)}`, at, value, where);
        stack.push([(v as Record<string, unknown>)[k], childPath(where, k), depth + 1]);
      }
    }
  }
}

function loneSurrogate(where: string, at: number, root: unknown, field = where): HttpProblem {
  const ext: Record<string, unknown> = { field };
  let entryNote = "";
  const m = /^body\.entries\[(\d+)\]/.exec(field);
  if (m) {
    const index = Number(m[1]);
    ext.index = index;
    const id = (root as { entries?: { entryId?: unknown }[] })?.entries?.[index]?.entryId;
    if (typeof id === "string") {
      ext.entryId = id;
      entryNote = ` (entry ${id})`;
    }
  }
  return new HttpProblem(
    "validation",
    `${where} holds a lone UTF-16 surrogate at character ${at} (half of a character pair, e.g. a cut emoji)${entryNote}: ` +
      "text is stored as UTF-8, which cannot hold it; remove or replace that character (the pane replaces it with U+FFFD before hashing)",
    ext,
  );
}
