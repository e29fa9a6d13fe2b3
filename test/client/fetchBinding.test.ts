/**
 * A browser's fetch refuses to run with any `this` but the window ("Illegal invocation"); Node's
 * does not check, so the other client tests cannot see it. Here globalThis.fetch is replaced by one
 * that checks like a browser. SegApiClient once kept fetch in a field and called it as its own
 * method, which failed in Chromium.
 */
import { SegApiClient } from "../../src/client";

const original = globalThis.fetch;
let seen: string[] = [];

beforeEach(() => {
  seen = [];
  globalThis.fetch = function (this: unknown, input: string | URL | Request) {
    if (this !== undefined && this !== globalThis) return Promise.reject(new TypeError("Failed to execute 'fetch' on 'Window': Illegal invocation"));
    seen.push(String(input));
    return Promise.resolve(new Response(JSON.stringify({ name: "alice", role: "planner", tokenId: "t1" }), { status: 200, headers: { "content-type": "application/json" } }));
  } as typeof fetch;
});

afterEach(() => {
  globalThis.fetch = original;
});

const settings = { baseUrl: "http://127.0.0.1:3001", token: "seg_abcdefghijklmnop", timeoutMs: 5000 };

test("the client's default fetch calls the browser's fetch as a plain function", async () => {
  await expect(new SegApiClient(settings).me()).resolves.toMatchObject({ name: "alice", role: "planner" });
  expect(seen).toEqual(["http://127.0.0.1:3001/api/v1/me"]);
});

test("a fetch handed to the client is called unbound too", async () => {
  await expect(new SegApiClient({ ...settings, fetch: globalThis.fetch }).me()).resolves.toMatchObject({ name: "alice" });
});

test("the stand-in checks like a browser: fetch called as some object's method is refused", async () => {
  const holder = { fetchFn: globalThis.fetch };
  await expect(holder.fetchFn("http://127.0.0.1:3001/api/v1/me")).rejects.toThrow(/Illegal invocation/);
});
