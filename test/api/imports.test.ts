/* The import graph of the API contract: the client never reaches src/server (not even for types),
   and what the pane loads at run time from src/api holds no schema library (paths and limits only). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const SRC = path.resolve(__dirname, "../../src");

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Import and re-export specifiers of a TypeScript file, with whether each is type-only. */
function importsOf(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, "utf8");
  const out: { spec: string; typeOnly: boolean }[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^;"']*?\s+from\s+)?["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) {
    const clause = m[0];
    // `import { type A, type B } from` is type-only too.
    const braces = /\{([^}]*)\}/.exec(clause);
    const allTypes = !!braces && !/\*|^\s*(import|export)\s+[A-Za-z_$]/.test(clause.replace(/\{[^}]*\}/, "{}")) &&
      braces[1].split(",").map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith("type "));
    out.push({ spec: m[3], typeOnly: !!m[2] || allTypes });
  }
  return out;
}

function resolve(from: string, spec: string): string {
  if (!spec.startsWith(".")) return spec; // a package
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(c) && !c.endsWith(path.sep) && /\.tsx?$/.test(c)) return c;
  }
  throw new Error(`${path.relative(SRC, from)}: cannot resolve ${spec}`);
}

/** Every edge reachable from the entry files; with valueOnly, type-only imports are not followed. */
function walk(entries: string[], valueOnly: boolean): Edge[] {
  const seen = new Set<string>();
  const edges: Edge[] = [];
  const stack = [...entries];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { spec, typeOnly } of importsOf(file)) {
      if (valueOnly && typeOnly) continue;
      const to = resolve(file, spec);
      edges.push({ from: path.relative(SRC, file), to: path.isAbsolute(to) ? path.relative(SRC, to) : to, typeOnly });
      if (path.isAbsolute(to)) stack.push(to);
    }
  }
  return edges;
}

const clientEntry = path.join(SRC, "client/index.ts");

test("the import reader sees type-only and value imports apart", () => {
  const edges = walk([path.join(SRC, "client/types.ts")], false);
  expect(edges).toContainEqual({ from: "client/types.ts", to: "api/index.ts", typeOnly: true });
  expect(edges).toContainEqual({ from: "client/types.ts", to: "api/paths.ts", typeOnly: false });
});

test("nothing the client imports, even for types, is under src/server", () => {
  const edges = walk([clientEntry], false);
  expect(edges.length).toBeGreaterThan(5);
  expect(edges.filter((e) => e.to.startsWith(`server${path.sep}`) || e.to.startsWith("server/"))).toEqual([]);
});

test("src/api imports nothing from src/server or src/client", () => {
  const apiFiles = ["index.ts", "paths.ts", "limits.ts"].map((f) => path.join(SRC, "api", f));
  const edges = walk(apiFiles, false);
  expect(edges.filter((e) => /^(server|client)[/\\]/.test(e.to))).toEqual([]);
});

test("at run time the client loads only src/api's paths and limits, not the schemas (no TypeBox in the pane)", () => {
  const edges = walk([clientEntry], true);
  const api = [...new Set(edges.map((e) => e.to).filter((t) => /^api[/\\]/.test(t)))].sort();
  expect(api).toEqual([path.join("api", "limits.ts"), path.join("api", "paths.ts")]);
  expect(edges.filter((e) => e.to === "typebox" || e.to.startsWith("typebox/"))).toEqual([]);
});

test("server routes take the context from server/context.ts, never from app.ts or a sibling route", () => {
  const dir = path.join(SRC, "server/routes");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts").map((f) => path.join(dir, f));
  expect(files.length).toBeGreaterThanOrEqual(5);
  for (const f of files) {
    for (const { spec } of importsOf(f)) {
      expect([f, spec]).not.toEqual([f, "../app"]);
      if (spec.startsWith("./")) expect([f, spec]).toEqual([f, "./params"]);
    }
  }
});
