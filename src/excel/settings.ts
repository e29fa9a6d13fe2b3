/**
 * Per-workbook settings (column mapping, workbook id, user name...) kept in the document through
 * Office.context.document.settings, which saves them inside the file. Outside Office (a plain
 * browser page, node tests) the store falls back to memory so the pane still works.
 */

/** The part of Office.Settings we use; the fake Excel host provides the same shape. */
export interface OfficeSettingsLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  saveAsync(callback?: (result: { status: unknown; error?: { message?: string } | null }) => void): void;
}

export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

/**
 * `source`: the settings object to use; omitted = Office.context.document.settings when it is
 * there at the time of each call, memory otherwise; null = always memory.
 */
export function createSettingsStore(source?: OfficeSettingsLike | null): SettingsStore {
  const memory = new Map<string, string>();
  const office = (): OfficeSettingsLike | null => {
    if (source !== undefined) return source;
    const g = globalThis as { Office?: { context?: { document?: { settings?: OfficeSettingsLike } } } };
    return g.Office?.context?.document?.settings ?? null;
  };
  return {
    get<T>(key: string): T | undefined {
      const s = office();
      if (s) {
        const v = s.get(key);
        return v === null || v === undefined ? undefined : (v as T);
      }
      const raw = memory.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async set(key: string, value: unknown): Promise<void> {
      // Office keeps settings as JSON; refuse what would not survive the round trip.
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError(`setting "${key}": ${String(value)} cannot be stored`);
      const s = office();
      if (!s) {
        memory.set(key, json);
        return;
      }
      s.set(key, JSON.parse(json));
      await new Promise<void>((resolve, reject) => {
        s.saveAsync((result) => {
          if (String(result.status).toLowerCase() === "succeeded") resolve();
          else reject(new Error(`Could not save the workbook settings (${result.error?.message ?? "unknown error"}); "${key}" is kept for this session only.`));
        });
      });
    },
  };
}
