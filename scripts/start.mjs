#!/usr/bin/env node
/* npm start: runs the add-in's dev server (https://localhost:3000) and the backend
   (https://localhost:3001), prints how to sideload manifest.xml, and sideloads into Excel
   desktop where office-addin-debugging can (Windows, macOS). Ctrl+C stops everything. */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", process.platform === "win32" ? `${name}.cmd` : name);
const { httpsOptions, certDir } = require("./certs.js");

const children = [];
function run(label, cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32" });
  const prefix = (chunk) => chunk.toString().split(/\r?\n/).filter(Boolean).map((l) => `[${label}] ${l}`).join("\n") + "\n";
  child.stdout.on("data", (c) => process.stdout.write(prefix(c)));
  child.stderr.on("data", (c) => process.stderr.write(prefix(c)));
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`[${label}] exited (${signal ?? code}); stopping the others.`);
      stop(code || 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

async function waitForPort(port, ms = 180000) {
  const { default: https } = await import("node:https");
  const until = Date.now() + ms;
  while (Date.now() < until && !stopping) {
    const ok = await new Promise((resolve) => {
      const req = https.get({ host: "localhost", port, path: "/", rejectUnauthorized: false, timeout: 2000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

await httpsOptions(); // creates ~/.office-addin-dev-certs on first run
const addinPort = Number(process.env.npm_package_config_dev_server_port || 3000);
const apiPort = Number(process.env.SEG_API_PORT || process.env.npm_package_config_api_port || 3001);

if (existsSync(path.join(root, "src/server/main.ts"))) {
  // The backend takes its certificate from configuration; in development that is the Office dev one.
  const tls = process.env.SEG_HTTP === "1" ? {} : {
    SEG_TLS_CERT: process.env.SEG_TLS_CERT || path.join(certDir, "localhost.crt"),
    SEG_TLS_KEY: process.env.SEG_TLS_KEY || path.join(certDir, "localhost.key"),
  };
  run("api", bin("tsx"), ["src/server/main.ts"], { SEG_API_PORT: String(apiPort), ...tls });
}
run("addin", bin("webpack"), ["serve", "--mode", "development"]);

if (await waitForPort(addinPort)) {
  const ca = path.join(certDir, "ca.crt");
  console.log(`
Supply Segmentation is being served:
  add-in   https://localhost:${addinPort}/taskpane.html   (manifest: ${path.join(root, "manifest.xml")})
  backend  https://localhost:${apiPort}/api/v1/openapi.json

Sideload it into Excel:
  Windows / Mac desktop: trust the dev CA once (npx office-addin-dev-certs install), then
      npx office-addin-debugging start manifest.xml desktop --no-debug
    (npm start does this for you on Windows and macOS unless SEG_SIDELOAD=0).
  Excel on the web: open a workbook, Home > Add-ins > More Add-ins > Upload My Add-in,
    choose manifest.xml. Your browser must trust ${ca}.
  Linux: desktop Excel does not exist; use Excel on the web in a browser that trusts the CA
    (Chromium: certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n office-addin-dev -i ${ca}).
Then: Home tab > Segment opens the task pane; type =SEG. in a cell for the functions.
Press Ctrl+C to stop.
`);
  const canSideload = ["win32", "darwin"].includes(process.platform) && process.env.SEG_SIDELOAD !== "0" && existsSync(bin("office-addin-debugging"));
  if (canSideload) {
    const s = spawn(bin("office-addin-debugging"), ["start", "manifest.xml", "desktop", "--no-debug", "--dev-server-port", String(addinPort)], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
    s.on("exit", (code) => code && console.error(`sideloading failed (exit ${code}); load manifest.xml by hand as above.`));
  }
} else if (!stopping) {
  console.error(`The add-in dev server did not answer on https://localhost:${addinPort}.`);
  stop(1);
}
