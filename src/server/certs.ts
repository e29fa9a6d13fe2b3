/* The Office dev certificates through scripts/certs.js (CommonJS, shared with the webpack dev server). */
import { createRequire } from "node:module";
import path from "node:path";

interface CertsModule {
  httpsOptions(): Promise<{ key: Buffer; cert: Buffer; ca: Buffer }>;
  certDir: string;
}

export function loadCertsModule(): CertsModule {
  const require = createRequire(__filename);
  return require(path.resolve(__dirname, "../../scripts/certs.js")) as CertsModule;
}
