/**
 * Checks the generated dist/functions.json (custom-functions-metadata-plugin output of the production
 * build, which npm test runs before jest) against the source: every @customfunction declared in the
 * modules src/functions/functions.ts registers is listed with the same parameters, optional flags
 * and help text, and no module with custom functions is left out of the registry.
 * The source side is read with the TypeScript compiler API, independently of the plugin.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const root = path.resolve(__dirname, "../..");
const dir = path.join(root, "src/functions");
const registry = readFileSync(path.join(dir, "functions.ts"), "utf8");
const registered = [...registry.matchAll(/^import "\.\/([\w-]+)";$/gm)].map((m) => path.join(dir, `${m[1]}.ts`));
const built = path.join(root, "dist/functions.json");

interface Declared {
  id: string;
  params: { name: string; optional: boolean }[];
}

function declaredFunctions(): Declared[] {
  return registered.flatMap(declaredIn);
}

function declaredIn(source: string): Declared[] {
  const sf = ts.createSourceFile(source, readFileSync(source, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: Declared[] = [];
  sf.forEachChild((node) => {
    if (!ts.isFunctionDeclaration(node)) return;
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "customfunction");
    if (!tag) return;
    const explicit = typeof tag.comment === "string" ? tag.comment.trim().split(/\s+/)[0] : "";
    out.push({
      id: (explicit || node.name!.text).toUpperCase(),
      params: node.parameters
        .filter((p) => !(p.type && ts.isTypeReferenceNode(p.type) && /Invocation$/.test(p.type.typeName.getText(sf))))
        .map((p) => ({ name: p.name.getText(sf), optional: !!p.questionToken })),
    });
  });
  return out;
}

interface Meta {
  functions: { id: string; name: string; description?: string; parameters: { name: string; description?: string; optional?: boolean }[] }[];
}

describe("functions.json", () => {
  const meta: Meta = existsSync(built) ? JSON.parse(readFileSync(built, "utf8")) : { functions: [] };
  const declared = declaredFunctions();

  it("the registry lists every module that declares custom functions", () => {
    const withFunctions = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(dir, f))
      .filter((f) => declaredIn(f).length > 0);
    expect(registered.sort()).toEqual(withFunctions.sort());
    expect(registered.length).toBeGreaterThanOrEqual(2);
  });

  it("exists (run `npm run build` first)", () => {
    expect(existsSync(built)).toBe(true);
  });

  it("lists the functions planners rely on", () => {
    const ids = meta.functions.map((f) => f.id);
    for (const id of ["SEGMENT_ABC", "XYZ_CV", "DEMAND_PATTERN", "SAFETY_STOCK", "REORDER_POINT", "EOQ", "Z_VALUE", "FILL_RATE_K", "GSM_SERIAL"]) {
      expect(ids).toContain(id);
    }
  });

  it("matches every @customfunction in the source, parameter by parameter, with help text", () => {
    expect(declared.length).toBeGreaterThanOrEqual(8);
    expect(meta.functions.map((f) => f.id).sort()).toEqual(declared.map((d) => d.id).sort());
    for (const d of declared) {
      const f = meta.functions.find((m) => m.id === d.id)!;
      expect(f.name).toBe(d.id);
      expect((f.description ?? "").length).toBeGreaterThan(20);
      expect(f.parameters.map((p) => p.name)).toEqual(d.params.map((p) => p.name));
      for (const [i, p] of f.parameters.entries()) {
        expect([d.id, p.name, !!p.optional]).toEqual([d.id, p.name, d.params[i].optional]);
        expect([d.id, p.name, (p.description ?? "").length > 5]).toEqual([d.id, p.name, true]);
      }
    }
  });
});
