import { readFileSync } from "node:fs";
import { kernelSources } from "../../scripts/build-wasm";

describe("WebAssembly kernels", () => {
  it("are committed as built from their .wat sources (run `npm run build:wasm` after editing one)", async () => {
    const sources = await kernelSources();
    expect(sources.size).toBeGreaterThan(0);
    for (const [file, text] of sources) expect({ file, text: readFileSync(file, "utf8") }).toEqual({ file, text });
  });
});
