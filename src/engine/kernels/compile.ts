/**
 * Compiles a kernel's bytes (generated from its .wat by `npm run build:wasm`) synchronously, well
 * under a millisecond for these sizes. Undefined where this runtime has no WebAssembly or the
 * module does not validate (e.g. SIMD instructions in an older WebView): the caller then keeps its
 * TypeScript loop, which gives the same numbers.
 */
export function compileKernel(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | undefined {
  try {
    return typeof WebAssembly === "object" ? new WebAssembly.Module(bytes) : undefined;
  } catch {
    return undefined;
  }
}
