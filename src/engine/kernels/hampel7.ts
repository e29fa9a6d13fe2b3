/**
 * The WebAssembly form of the 7-period Hampel filter (hampel7.wat says how it works). outliers.ts
 * decides when to use it; this module only moves one row in and out of the kernel's memory. The
 * module is compiled when this file loads (compile.ts), from bytes carried in the bundle
 * (hampel7Wasm.ts): no file, no network. Where WebAssembly or its SIMD instructions are missing
 * (an old WebView), `hampel7Wasm` is undefined and outliers.ts uses its TypeScript kernel, which
 * gives the same numbers.
 */
import { compileKernel } from "./compile";
import { HAMPEL7_WASM } from "./hampel7Wasm";

/**
 * Filters src[offset .. offset+length) (length >= 7) into dst[0 .. length) with the 7-period
 * window; limitFactor = threshold · 1.4826; `work` has 7 slots (for kernels that need them).
 * Returns the replaced count.
 */
export type Hampel7Kernel = (src: Float64Array, offset: number, length: number, dst: Float64Array, limitFactor: number, work: Float64Array) => number;

interface Instance {
  memory: WebAssembly.Memory;
  run: (src: number, dst: number, n: number, f: number) => number;
}

/** Where the row goes in the kernel's memory, in f64 slots: one spare slot before it (see hampel7.wat). */
const SRC = 1;

function instantiate(): Instance | undefined {
  const module = compileKernel(HAMPEL7_WASM);
  if (!module) return undefined;
  const instance = new WebAssembly.Instance(module, {});
  return { memory: instance.exports.memory as WebAssembly.Memory, run: instance.exports.hampel7 as Instance["run"] };
}

function makeKernel(kernel: Instance): Hampel7Kernel {
  let slots = new Float64Array(kernel.memory.buffer);
  let out = slots.subarray(0, 0);
  let outLength = -1;
  return (src, offset, length, dst, limitFactor) => {
    const dstSlot = SRC + length; // the output right after the row
    const need = (dstSlot + length) * 8;
    if (need > kernel.memory.buffer.byteLength) {
      kernel.memory.grow(Math.ceil((need - kernel.memory.buffer.byteLength) / 65536));
      slots = new Float64Array(kernel.memory.buffer);
      outLength = -1;
    }
    if (outLength !== length) {
      out = slots.subarray(dstSlot, dstSlot + length);
      outLength = length;
    }
    slots.set(src.subarray(offset, offset + length), SRC);
    const replaced = kernel.run(SRC * 8, dstSlot * 8, length, limitFactor);
    dst.set(out);
    return replaced;
  };
}

const kernel = instantiate();

/** The kernel, or undefined where this runtime cannot run it. */
export const hampel7Wasm: Hampel7Kernel | undefined = kernel && makeKernel(kernel);
