/**
 * A browser's fetch refuses to run with any `this` but the window ("Illegal invocation"); Node's
 * does not check, so the client tests cannot see it. Here globalThis.fetch is replaced by one that
 * checks like a browser: the client given browserFetch works (SegApiClient keeps fetch in a field
 * and calls it as its own method, which failed in Chromium before the pane passed browserFetch).
 */
import { SegApiClient } from "../../src/client";
import { browserFetch } from "../../src/taskpane/browserFetch";

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

test("the client with browserFetch calls fetch as a plain function", async () => {
  await expect(new SegApiClient({ ...settings, fetch: browserFetch }).me()).resolves.toMatchObject({ name: "alice", role: "planner" });
  expect(seen).toEqual(["http://127.0.0.1:3001/api/v1/me"]);
});

test("the stand-in checks like a browser: fetch called as some object's method is refused", async () => {
  const holder = { fetchFn: globalThis.fetch };
  await expect(holder.fetchFn("http://127.0.0.1:3001/api/v1/me")).rejects.toThrow(/Illegal invocation/);
  const wrapped = { fetchFn: browserFetch };
  await expect(wrapped.fetchFn("http://127.0.0.1:3001/api/v1/me")).resolves.toBeInstanceOf(Response);
});
