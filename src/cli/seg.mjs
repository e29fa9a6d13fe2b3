#!/usr/bin/env node
// Launcher for `npx seg ...`: runs the TypeScript CLI (src/cli/main.ts) under tsx's loader (no
// build step). tsx is resolved from this package, so the command works from any directory.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = pathToFileURL(join(dirname(require.resolve("tsx/package.json")), "dist", "loader.mjs")).href;
const child = spawn(process.execPath, ["--import", tsx, join(here, "main.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
