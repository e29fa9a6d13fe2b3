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

/**
 * Throws a 400 naming the first string with a lone surrogate (the audit entry too, when inside one).
 * Depth-first, children in order; an object's keys are checked, last to first, when it is reached.
 * The path of a node is built only for the one at fault: the keys on the way down are kept per
 * depth (a node popped at depth d has its ancestors' keys in keys[1..d-1]), so a 64 MiB body is
 * walked without a string per node (issue 8 defect 15).
 */
export function checkRequestText(part: "body" | "querystring" | "params", value: unknown, startDepth = 0): void {
  // startDepth > 0: `value` sits that deep in the request (paths are then named from it).
  const values: unknown[] = [value];
  const depths: number[] = [startDepth];
  const names: (string | number | null)[] = [null];
  const keys: (string | number)[] = [];
  const where = (depth: number) => {
    let out: string = part;
    for (let d = startDepth + 1; d <= depth; d++) out = childPath(out, keys[d]);
    return out;
  };
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    const name = names.pop()!;
    if (name !== null) keys[depth] = name;
    if (v === null) continue;
    if (typeof v === "string") {
      const at = loneSurrogateAt(v);
      if (at >= 0) throw loneSurrogate(where(depth), at, value);
    } else if (typeof v === "object") {
      if (depth > MAX_JSON_DEPTH) {
        const at = where(depth);
        throw new HttpProblem("validation", `${at} is nested more than ${MAX_JSON_DEPTH} levels deep; flatten it`, { field: at });
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) {
          values.push(v[i]);
          depths.push(depth + 1);
          names.push(i);
        }
      } else {
        const ks = Object.keys(v);
        for (let i = ks.length - 1; i >= 0; i--) {
          const k = ks[i];
          const at = loneSurrogateAt(k);
          if (at >= 0) {
            const parent = where(depth);
            throw loneSurrogate(`${parent} key ${JSON.stringify(k)}`, at, value, parent);
          }
          values.push((v as Record<string, unknown>)[k]);
          depths.push(depth + 1);
          names.push(k);
        }
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
