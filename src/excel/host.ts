/**
 * The seam between the gateway and Excel: anything with an Excel.run-compatible `run`. In Office it
 * is the global Excel namespace; tests and the browser e2e hand in the fake host
 * (test/fake-excel), which honours the same load/sync rules.
 */
export interface ExcelHost {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
}

/** The real host, looked up when first used so that importing this module outside Office is safe. */
export const officeExcelHost: ExcelHost = {
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
    const excel = (globalThis as { Excel?: { run?: unknown } }).Excel;
    if (!excel || typeof excel.run !== "function") {
      return Promise.reject(new Error("Excel is not available: open the add-in inside Excel (or pass a host to createExcelGateway)."));
    }
    return Excel.run(batch);
  },
};

/** Error thrown when a write is cancelled through its AbortSignal; name "AbortError" like fetch's. */
export function abortError(): Error {
  const e = new Error("The write was cancelled; the workbook is as it was before.");
  e.name = "AbortError";
  return e;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
