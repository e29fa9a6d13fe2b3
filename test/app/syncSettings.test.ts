/** Where the server URL and token are kept: browser storage of the add-in's origin, never the workbook. */
import { defaultKeyValueStorage, MemoryKeyValueStorage, SERVER_SETTINGS_KEYS, ServerSettingsStore, validateServerSettings, type KeyValueStorage } from "../../src/app/serverSettings";

const TOKEN = "seg_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";

/** An async storage like OfficeRuntime.storage. */
class AsyncStorage implements KeyValueStorage {
  data = new Map<string, string>();
  async getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  async setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  async removeItem(k: string) {
    this.data.delete(k);
  }
}

describe("ServerSettingsStore", () => {
  test("nothing stored: no settings, an empty draft", async () => {
    const store = new ServerSettingsStore(new MemoryKeyValueStorage());
    expect(await store.load()).toBeNull();
    expect(await store.draft()).toEqual({ url: "", token: "" });
  });

  test("save normalises the URL, trims the token, stores both and tells subscribers; another store on the same storage reads them", async () => {
    const storage = new AsyncStorage();
    const store = new ServerSettingsStore(storage);
    let told = 0;
    store.subscribe(() => told++);
    const saved = await store.save({ url: " https://localhost:3001/api/v1/ ", token: `  ${TOKEN}\n` });
    expect(saved).toEqual({ url: "https://localhost:3001", token: TOKEN });
    expect(told).toBe(1);
    expect(storage.data.get(SERVER_SETTINGS_KEYS.url)).toBe("https://localhost:3001");
    expect(storage.data.get(SERVER_SETTINGS_KEYS.token)).toBe(TOKEN);
    expect(await new ServerSettingsStore(storage).load()).toEqual({ url: "https://localhost:3001", token: TOKEN });
  });

  test("invalid input is refused with the field's problem and nothing is stored", async () => {
    const storage = new MemoryKeyValueStorage();
    const store = new ServerSettingsStore(storage);
    await expect(store.save({ url: "localhost:3001", token: TOKEN })).rejects.toThrow(/must start with https:\/\//);
    expect(storage.data.size).toBe(0);
    expect(validateServerSettings({ url: "", token: "a b" }).problems).toEqual([
      { field: "url", message: "Type the server URL, e.g. https://localhost:3001." },
      { field: "token", message: "The token has characters a token never has (spaces, quotes or line breaks?): copy it again." },
    ]);
  });

  test("forgetToken keeps the URL and stops the settings from loading", async () => {
    const storage = new MemoryKeyValueStorage();
    const store = new ServerSettingsStore(storage);
    await store.save({ url: "https://localhost:3001", token: TOKEN });
    await store.forgetToken();
    expect(await store.load()).toBeNull();
    expect(await store.draft()).toEqual({ url: "https://localhost:3001", token: "" });
    expect(storage.data.has(SERVER_SETTINGS_KEYS.token)).toBe(false);
  });
});

describe("defaultKeyValueStorage", () => {
  const g = globalThis as { OfficeRuntime?: unknown; localStorage?: unknown };
  afterEach(() => {
    delete g.OfficeRuntime;
    delete g.localStorage;
  });

  test("OfficeRuntime.storage when the host has it, else localStorage, else memory", () => {
    const office = new AsyncStorage();
    const local = new MemoryKeyValueStorage();
    g.OfficeRuntime = { storage: office };
    g.localStorage = local;
    expect(defaultKeyValueStorage()).toBe(office);
    delete g.OfficeRuntime;
    expect(defaultKeyValueStorage()).toBe(local);
    delete g.localStorage;
    expect(defaultKeyValueStorage()).toBeInstanceOf(MemoryKeyValueStorage);
  });
});
