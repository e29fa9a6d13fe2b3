/**
 * The WebAssembly form of one class-stability run (stabilityRun.wat; the model is stability.ts's).
 * A simulation that uses it keeps its per-row arrays in the kernel's memory: `arena` grows one
 * instance's memory to the size they need and hands out views into it, so a run reads and writes
 * them in place. Where WebAssembly is missing, or the memory cannot grow that far (a history of
 * several GB), `stabilityKernel` is undefined / `arena` returns undefined and stability.ts keeps
 * plain typed arrays and its TypeScript loop, which gives the same runs.
 */
import { compileKernel } from "./compile";
import { STABILITYRUN_WASM } from "./stabilityRunWasm";

/** Hands out typed arrays: views into the kernel's memory, or plain arrays. */
export interface ArrayAlloc {
  f64(length: number): Float64Array;
  i32(length: number): Int32Array;
  u32(length: number): Uint32Array;
  u8(length: number): Uint8Array;
  i8(length: number): Int8Array;
}

export const plainAlloc: ArrayAlloc = {
  f64: (n) => new Float64Array(n),
  i32: (n) => new Int32Array(n),
  u32: (n) => new Uint32Array(n),
  u8: (n) => new Uint8Array(n),
  i8: (n) => new Int8Array(n),
};

type RunExport = (...args: number[]) => void;

/** What a run reads of each row, by the names of perturbRun's parameters in stability.ts. */
export interface RowArrays {
  data: Float64Array;
  rowStart: Float64Array;
  kept: Int32Array;
  simulate: Uint8Array;
  baseSum: Float64Array;
  baseMean: Float64Array;
  values: Float64Array;
  errorCv: Float64Array;
  state: Uint32Array;
}

/** The kernel's arrays: the rows', the run's output and the ziggurat tables. */
export interface RunArrays extends RowArrays {
  perturbed: Float64Array;
  runXyz: Int8Array;
  kn: Int32Array;
  wn: Float64Array;
  fn: Float64Array;
}

export interface Arena {
  alloc: ArrayAlloc;
  /** One run over rows 0 .. n-1; every array must come from this arena's alloc. */
  run(n: number, a: RunArrays, xMaxLimit: number, yMaxLimit: number, ddof: number): void;
}

export interface StabilityKernel {
  /** An arena of `bytes` (plus alignment), or undefined when the memory cannot grow that far. */
  arena(bytes: number): Arena | undefined;
}

const PAGE = 65536;
/** Bytes the arena may add to align each array (16 each, for up to 16 arrays). */
const SLACK = 16 * 16;

function makeKernel(module: WebAssembly.Module): StabilityKernel {
  return {
    arena(bytes) {
      const instance = new WebAssembly.Instance(module, { math: { exp: Math.exp, log: Math.log } });
      const memory = instance.exports.memory as WebAssembly.Memory;
      const run = instance.exports.run as RunExport;
      try {
        memory.grow(Math.ceil((bytes + SLACK) / PAGE));
      } catch {
        return undefined; // more than the runtime lets one memory have
      }
      const buffer = memory.buffer;
      let next = 16;
      const take = <T>(make: (buffer: ArrayBuffer, at: number, n: number) => T, n: number, size: number): T => {
        const at = next;
        next = at + Math.ceil((n * size) / 16) * 16;
        if (next > buffer.byteLength) throw new Error("stability arena: more than its size was asked for");
        return make(buffer, at, n);
      };
      const alloc: ArrayAlloc = {
        f64: (n) => take((b, at, k) => new Float64Array(b, at, k), n, 8),
        i32: (n) => take((b, at, k) => new Int32Array(b, at, k), n, 4),
        u32: (n) => take((b, at, k) => new Uint32Array(b, at, k), n, 4),
        u8: (n) => take((b, at, k) => new Uint8Array(b, at, k), n, 1),
        i8: (n) => take((b, at, k) => new Int8Array(b, at, k), n, 1),
      };
      return {
        alloc,
        run(n, a, xMaxLimit, yMaxLimit, ddof) {
          run(
            n,
            a.data.byteOffset,
            a.rowStart.byteOffset,
            a.kept.byteOffset,
            a.simulate.byteOffset,
            a.baseSum.byteOffset,
            a.baseMean.byteOffset,
            a.values.byteOffset,
            a.errorCv.byteOffset,
            a.state.byteOffset,
            a.perturbed.byteOffset,
            a.runXyz.byteOffset,
            xMaxLimit,
            yMaxLimit,
            ddof,
            a.kn.byteOffset,
            a.wn.byteOffset,
            a.fn.byteOffset,
          );
        },
      };
    },
  };
}

const compiled = compileKernel(STABILITYRUN_WASM);

/** The kernel, or undefined where this runtime cannot run it. */
export const stabilityKernel: StabilityKernel | undefined = compiled && makeKernel(compiled);
