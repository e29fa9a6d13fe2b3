/**
 * Where the pane keeps the backend's URL and the user's token: in the browser storage of the
 * add-in's origin (OfficeRuntime.storage when the host offers it, else localStorage), which is per
 * user and per machine. Never in the workbook: a workbook is shared and mailed around, a token is
 * a personal credential. Nothing here touches the WorkbookGateway.
 */
import { ApiError, checkToken, normalizeServerUrl } from "../client";

export interface ServerSettings {
  /** Normalised base URL, e.g. https://localhost:3001 (no trailing slash, no /api/v1). */
  url: string;
  token: string;
}

/** What the settings form holds (possibly incomplete). */
export interface ServerSettingsDraft {
  url: string;
  token: string;
}

/** The subset of localStorage / OfficeRuntime.storage used here; sync or async. */
export interface KeyValueStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export const SERVER_SETTINGS_KEYS = { url: "seg.server.url", token: "seg.server.token" } as const;

export interface SettingsProblem {
  field: "url" | "token";
  message: string;
}

/** Checks a draft; returns the settings to store, or the problems naming the field. */
export function validateServerSettings(draft: ServerSettingsDraft): { settings: ServerSettings | null; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  let url = "";
  let token = "";
  try {
    url = normalizeServerUrl(draft.url);
  } catch (e) {
    problems.push({ field: "url", message: (e as Error).message });
  }
  try {
    token = checkToken(draft.token);
  } catch (e) {
    problems.push({ field: "token", message: (e as Error).message });
  }
  return { settings: problems.length ? null : { url, token }, problems };
}

/** In-memory storage, for hosts without any browser storage and for tests. */
export class MemoryKeyValueStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.has(key) ? this.data.get(key)! : null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

/** OfficeRuntime.storage in the shared runtime, else window.localStorage, else memory (lost on reload). */
export function defaultKeyValueStorage(): KeyValueStorage {
  const g = globalThis as { OfficeRuntime?: { storage?: KeyValueStorage }; localStorage?: KeyValueStorage };
  try {
    if (g.OfficeRuntime?.storage && typeof g.OfficeRuntime.storage.getItem === "function") return g.OfficeRuntime.storage;
  } catch {
    // fall through
  }
  try {
    if (g.localStorage && typeof g.localStorage.getItem === "function") return g.localStorage;
  } catch {
    // localStorage throws when storage is disabled for the origin
  }
  return new MemoryKeyValueStorage();
}

export class ServerSettingsStore {
  private readonly storage: KeyValueStorage;
  private cache: ServerSettingsDraft | null = null;
  private listeners = new Set<() => void>();

  constructor(storage: KeyValueStorage = defaultKeyValueStorage()) {
    this.storage = storage;
  }

  /** What is stored, possibly incomplete (for the form). */
  async draft(): Promise<ServerSettingsDraft> {
    if (!this.cache) {
      const [url, token] = await Promise.all([this.storage.getItem(SERVER_SETTINGS_KEYS.url), this.storage.getItem(SERVER_SETTINGS_KEYS.token)]);
      this.cache = { url: url ?? "", token: token ?? "" };
    }
    return { ...this.cache };
  }

  /** The settings when both URL and token are stored and valid; null otherwise (sync stays local). */
  async load(): Promise<ServerSettings | null> {
    return validateServerSettings(await this.draft()).settings;
  }

  /** Validates and stores; throws an ApiError ("config") naming the first problem. */
  async save(draft: ServerSettingsDraft): Promise<ServerSettings> {
    const { settings, problems } = validateServerSettings(draft);
    if (!settings) throw new ApiError({ kind: "config", message: problems[0].message });
    await this.storage.setItem(SERVER_SETTINGS_KEYS.url, settings.url);
    await this.storage.setItem(SERVER_SETTINGS_KEYS.token, settings.token);
    this.cache = { ...settings };
    this.emit();
    return settings;
  }

  /** Forgets the token (the URL stays); syncing stops until a token is saved again. */
  async forgetToken(): Promise<void> {
    await this.storage.removeItem(SERVER_SETTINGS_KEYS.token);
    this.cache = { url: (await this.draft()).url, token: "" };
    this.emit();
  }

  /** Called after every save or forgetToken. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    this.listeners.forEach((l) => l());
  }
}
