/**
 * Node-side helper (not part of the fake itself): builds the browser bundle of the fake as one
 * script string that defines window.FakeExcel, for playwright's page.addInitScript({ content }).
 * Uses esbuild from node_modules (a dependency of tsx); falls back to TypeScript's transpileModule
 * and a tiny module loader when esbuild is not installed.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const DIR = __dirname;

export async function buildFakeExcelBundle(): Promise<string> {
  let esbuild: typeof import("esbuild") | null = null;
  try {
    esbuild = await import("esbuild");
  } catch {
    esbuild = null;
  }
  if (esbuild) {
    const out = await esbuild.build({
      entryPoints: [path.join(DIR, "browser.ts")],
      bundle: true,
      write: false,
      format: "iife",
      target: "es2020",
      platform: "browser",
      logLevel: "silent",
    });
    return out.outputFiles[0].text;
  }
  return transpileFallback();
}

/** Every module of this folder as CommonJS, wrapped in a minimal require(). */
async function transpileFallback(): Promise<string> {
  const ts = await import("typescript");
  const files = readdirSync(DIR).filter((f) => f.endsWith(".ts") && f !== "bundle.ts" && !f.endsWith(".test.ts"));
  const modules = files.map((f) => {
    const src = readFileSync(path.join(DIR, f), "utf8");
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    return `${JSON.stringify("./" + f.replace(/\.ts$/, ""))}: function (exports, require) {\n${js}\n}`;
  });
  return `(function () {
  var defs = {${modules.join(",\n")}};
  var cache = {};
  function req(name) {
    if (cache[name]) return cache[name].exports;
    var m = (cache[name] = { exports: {} });
    defs[name](m.exports, req);
    return m.exports;
  }
  req("./browser");
})();`;
}
