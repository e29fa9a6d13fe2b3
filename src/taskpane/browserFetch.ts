/**
 * The browser's fetch, called as a plain function. A browser's fetch must be called with the
 * window (or nothing) as `this`: SegApiClient keeps the function it is given in a field and calls
 * it as a method of the client, which browsers refuse ("Illegal invocation"; Node does not check).
 * Passing this wrapper as the `fetch` option avoids that. Looked up at call time, so tests and
 * hosts that replace `globalThis.fetch` later are followed.
 */
import type { FetchLike } from "../client";

export const browserFetch: FetchLike = (input, init) => globalThis.fetch(input, init);
