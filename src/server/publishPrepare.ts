/**
 * Turning a snapshot publication's raw body into the rows storage writes (issue 8 defect 15).
 *
 * A 64 MiB body parsed, checked, normalised and hashed on the event loop blocked every other
 * request for seconds. The snapshot route therefore takes its body raw (RawBody, see
 * routes/snapshots.ts) and prepares it here: bodies of WORKER_THRESHOLD_BYTES and more in a
 * worker thread of their own (publishWorker.ts), smaller ones inline, by the same function
 * (prepareSnapshot), so both give the same rows, hash and errors:
 *
 *   1. JSON parse with secure-json-parse and Fastify's settings (__proto__ and constructor.prototype
 *      refused), answering the same "malformed-json" problem as the application's JSON parser;
 *   2. the request-text checks (requestText.ts: lone surrogates, nesting depth);
 *   3. the route's body schema, compiled as the application compiles it (validation.ts);
 *   4. per item: legacy names to new ones (snapshots.ts normalizeItem), the duplicate-SKU check,
 *      the stored JSON, and the content hash fed incrementally: SHA-256 over exactly the bytes of
 *      canonicalJson({ parameters, items }) (snapshotContentHash), without building that string.
 *
 * Parsed items are released as they become rows, and the worker sends rows in messages of
 * ROWS_PER_MESSAGE, so the event loop never holds the parsed tree of a large body.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { parse as secureJsonParse } from "secure-json-parse";
import { LATEST, MAX_SNAPSHOT_ITEMS, publishSnapshot as publishSnapshotSchema, type SnapshotItemInput } from "../api";
import { HttpProblem, type ProblemBody, type ProblemKind } from "./problem";
import { checkRequestText } from "./requestText";
import { canonicalJson, normalizeItem } from "./snapshots";
import type { PreparedItemRow, PreparedSnapshot } from "./storage/types";
import { compileSchema, validationProblem, type Validator } from "./validation";

/** A request body as read, not yet parsed: what the snapshot route's content-type parser hands on. */
export class RawBody {
  constructor(public readonly bytes: Buffer) {}
}

/** From this body size on, preparation runs in a worker thread. */
export const WORKER_THRESHOLD_BYTES = 1024 * 1024;
/** Rows per message from the worker (about 0.5 MB for typical items). */
export const ROWS_PER_MESSAGE = 2000;
/** At most this many preparation workers at once; more publications wait for one to finish. */
export const MAX_WORKERS = 2;

/** What prepareSnapshot returns besides the rows it emits. */
export type PreparedMeta = Omit<PreparedSnapshot, "rows">;

let bodyValidator: Validator | null = null;

/** A problem body back to the error the error handler renders. */
export function problemError(body: ProblemBody): HttpProblem {
  const { type, title: _title, status: _status, detail, ...ext } = body;
  return new HttpProblem(type.replace(/^urn:seg:problem:/, "") as ProblemKind, detail, ext);
}

/** Receives the rows as they are made; `reset` says to forget those received so far. */
export interface RowSink {
  rows(rows: PreparedItemRow[]): void;
  reset(): void;
}

/**
 * Parses, checks, normalises and hashes a publication body (source.bytes, which it clears); hands
 * the rows to the sink in item order, in batches of ROWS_PER_MESSAGE. Throws an HttpProblem for
 * what the route answers 400; rows may have been sent before: the caller discards them then.
 *
 * First the item-by-item way (prepareByItem: never the whole body as one string or one tree);
 * when it finds anything it does not accept, whatever that is, the sink is reset and the body is
 * prepared again the exact way (prepareWhole: one parse, then the checks in the application's
 * order), which names the problem exactly as the application would. `exact` skips the first way.
 */
export function prepareSnapshot(source: { bytes: Uint8Array | null }, sink: RowSink, exact = false): PreparedMeta {
  if (!exact) {
    const meta = prepareByItem(source.bytes!, sink);
    if (meta) {
      source.bytes = null;
      return meta;
    }
    sink.reset();
  }
  return prepareWhole(source, (rows) => sink.rows(rows));
}

/** The exact way: JSON.parse of the whole body, then the checks in the application's order. */
function prepareWhole(source: { bytes: Uint8Array | null }, emit: (rows: PreparedItemRow[]) => void): PreparedMeta {
  let text: string | null = decodeUtf8(source.bytes!);
  // From here on only the text is needed: a caller that handed its only reference lets the bytes go.
  source.bytes = null;
  if (text.length === 0) throw new HttpProblem("malformed-json", "the body is empty but content-type is application/json");
  let parsed: unknown;
  try {
    parsed = secureJsonParse(text, { protoAction: "error", constructorAction: "error" });
  } catch {
    throw new HttpProblem("malformed-json", "the body is not valid JSON");
  }
  text = null;
  checkRequestText("body", parsed);
  bodyValidator ??= compileSchema(publishSnapshotSchema.body, "body");
  if (bodyValidator(parsed) !== true) throw problemError(validationProblem(bodyValidator.errors![0], "body", parsed));

  const body = parsed as { modelVersion: string; parameters: Record<string, unknown>; items: (SnapshotItemInput | null)[] };
  const items = body.items;
  const hash = createHash("sha256");
  // canonicalJson({ parameters, items }): keys sorted, so "items" comes first.
  hash.update('{"items":[', "utf8");
  const seen = new Map<string, number>();
  let duplicate: HttpProblem | null = null;
  let rows: PreparedItemRow[] = [];
  for (let i = 0; i < items.length; i++) {
    // The deprecated item names (LEGACY_ITEM_FIELDS) become the new ones before hashing and storing.
    const item = normalizeItem(items[i]!, `body.items[${i}]`);
    items[i] = null;
    if (duplicate === null) {
      const first = seen.get(item.sku);
      if (first !== undefined) {
        duplicate = new HttpProblem("validation", `body.items[${i}].sku "${item.sku}" repeats body.items[${first}].sku`, {
          field: `body.items[${i}].sku`,
        });
      } else seen.set(item.sku, i);
    }
    hash.update(i === 0 ? canonicalJson(item) : `,${canonicalJson(item)}`, "utf8");
    rows.push({ sku: item.sku, segment: item.segment ?? null, item: JSON.stringify(item) });
    if (rows.length >= ROWS_PER_MESSAGE) {
      emit(rows);
      rows = [];
    }
  }
  if (rows.length > 0) emit(rows);
  if (body.modelVersion === LATEST) {
    throw new HttpProblem("validation", `body.modelVersion "${LATEST}" is reserved (it names the newest snapshot)`, {
      field: "body.modelVersion",
    });
  }
  if (duplicate) throw duplicate;
  hash.update(`],"parameters":${canonicalJson(body.parameters)}}`, "utf8");
  return { modelVersion: body.modelVersion, parametersJson: JSON.stringify(body.parameters), contentHash: hash.digest("hex"), itemCount: items.length };
}

function decodeUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** prepareSnapshot on the calling thread, rows collected. */
export function prepareSnapshotInline(bytes: Uint8Array, exact = false): PreparedSnapshot {
  let rows: PreparedItemRow[] = [];
  const sink: RowSink = {
    rows: (batch) => {
      for (const r of batch) rows.push(r);
    },
    reset: () => {
      rows = [];
    },
  };
  const meta = prepareSnapshot({ bytes }, sink, exact);
  return { ...meta, rows };
}

// ---- the item-by-item way ----

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Thrown inside prepareByItem for anything it does not accept: prepareWhole decides then. */
const NOT_SIMPLE = Symbol("not simple");

let itemValidator: Validator | null = null;

/**
 * Splits the body's top level ({ "modelVersion", "parameters", "items": [ … ] }, each key once,
 * any order) on its own structural characters, which in UTF-8 are single bytes no multi-byte
 * character contains, and parses each part by itself: the same values as one JSON.parse of a body
 * it accepts (each part valid JSON, separators checked, no key repeated). Every check is the
 * whole-body one applied part by part (text checks at the part's depth, the body schema as the top
 * level without items plus SnapshotItemInput per item). Returns null for anything else.
 */
function prepareByItem(buf: Uint8Array, sink: RowSink): PreparedMeta | null {
  const n = buf.length;
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 0;
  const fail = (): never => {
    throw NOT_SIMPLE;
  };
  const ws = () => {
    while (p < n && isWs(bytes[p])) p++;
  };
  const expect = (c: number) => {
    ws();
    if (bytes[p] !== c) fail();
    p++;
  };
  /** End (exclusive) of the string starting at p (a quote). */
  const stringEnd = (from: number): number => {
    let i = from + 1;
    while (i < n) {
      const c = bytes[i];
      if (c === BACKSLASH) i += 2;
      else if (c === QUOTE) return i + 1;
      else i++;
    }
    return fail();
  };
  /** End (exclusive) of the value starting at p: brackets matched outside strings, else up to a separator. */
  const valueEnd = (from: number): number => {
    const c0 = bytes[from];
    if (c0 === QUOTE) return stringEnd(from);
    if (c0 === 0x7b || c0 === 0x5b) {
      let depth = 0;
      let i = from;
      while (i < n) {
        const c = bytes[i];
        if (c === QUOTE) {
          i = stringEnd(i);
          continue;
        }
        if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) return i + 1;
        }
        i++;
      }
      return fail();
    }
    let i = from;
    while (i < n && bytes[i] !== 0x2c && bytes[i] !== 0x5d && bytes[i] !== 0x7d && !isWs(bytes[i])) i++;
    return i;
  };
  const parse = (from: number, to: number): unknown => {
    try {
      return secureJsonParse(bytes.toString("utf8", from, to), { protoAction: "error", constructorAction: "error" });
    } catch {
      return fail();
    }
  };

  try {
    if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) fail(); // a BOM: the exact way
    itemValidator ??= compileSchema({ $ref: "SnapshotItemInput" }, "body");
    bodyValidator ??= compileSchema(publishSnapshotSchema.body, "body");
    const top: Record<string, unknown> = {};
    const hash = createHash("sha256");
    hash.update('{"items":[', "utf8");
    const seen = new Set<string>();
    let count = 0;
    let rows: PreparedItemRow[] = [];
    expect(0x7b);
    for (;;) {
      ws();
      if (bytes[p] !== QUOTE) fail();
      const keyEnd = stringEnd(p);
      const key = parse(p, keyEnd) as string;
      p = keyEnd;
      if ((key !== "modelVersion" && key !== "parameters" && key !== "items") || key in top) fail();
      expect(0x3a);
      ws();
      if (key === "items") {
        top.items = [];
        expect(0x5b);
        ws();
        if (bytes[p] === 0x5d) p++;
        else {
          for (;;) {
            ws();
            const end = valueEnd(p);
            const input = parse(p, end);
            p = end;
            if (input === null || typeof input !== "object" || Array.isArray(input)) fail();
            checkRequestText("body", input, 2);
            if (itemValidator(input) !== true) fail();
            const item = normalizeItem(input as SnapshotItemInput, `body.items[${count}]`);
            if (seen.has(item.sku)) fail();
            seen.add(item.sku);
            hash.update(count === 0 ? canonicalJson(item) : `,${canonicalJson(item)}`, "utf8");
            rows.push({ sku: item.sku, segment: item.segment ?? null, item: JSON.stringify(item) });
            count++;
            if (rows.length >= ROWS_PER_MESSAGE) {
              sink.rows(rows);
              rows = [];
            }
            ws();
            if (bytes[p] === 0x2c) p++;
            else if (bytes[p] === 0x5d) {
              p++;
              break;
            } else fail();
          }
        }
      } else {
        const end = valueEnd(p);
        top[key] = parse(p, end);
        p = end;
      }
      ws();
      if (bytes[p] === 0x2c) p++;
      else if (bytes[p] === 0x7d) {
        p++;
        break;
      } else fail();
    }
    ws();
    if (p !== n || count > MAX_SNAPSHOT_ITEMS) fail();
    // The top level as the whole-body checks see it, its items already checked one by one.
    checkRequestText("body", top);
    if (bodyValidator(top) !== true || top.modelVersion === LATEST) fail();
    if (rows.length > 0) sink.rows(rows);
    hash.update(`],"parameters":${canonicalJson(top.parameters)}}`, "utf8");
    return { modelVersion: top.modelVersion as string, parametersJson: JSON.stringify(top.parameters), contentHash: hash.digest("hex"), itemCount: count };
  } catch (e) {
    if (e === NOT_SIMPLE || e instanceof HttpProblem) return null;
    throw e;
  }
}

/** Messages from publishWorker.ts. */
export type WorkerMessage =
  | { t: "ready" }
  | { t: "rows"; rows: PreparedItemRow[] }
  | { t: "reset" }
  | { t: "done"; meta: PreparedMeta }
  | { t: "problem"; body: ProblemBody }
  | { t: "error"; message: string };

const UNAVAILABLE = Symbol("worker unavailable");
/** null until the first worker starts or fails to start. */
let workersUsable: boolean | null = null;
let running = 0;
const waiting: (() => void)[] = [];

/** Whether the last attempt to start a worker succeeded (null: none tried yet). Tests and logs. */
export function workersAvailable(): boolean | null {
  return workersUsable;
}

function startWorker(): Worker {
  // From the TypeScript sources (npm run server, tests, benchmarks run them with tsx) the worker
  // needs tsx's loader too; a compiled build would have publishWorker.js beside this file.
  if (__filename.endsWith(".ts")) {
    const file = path.join(__dirname, "publishWorker.ts");
    const tsx = require.resolve("tsx/cjs/api");
    return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, { eval: true });
  }
  return new Worker(path.join(__dirname, "publishWorker.js"));
}

async function slot(): Promise<() => void> {
  if (running >= MAX_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

function runWorker(bytes: Buffer): Promise<PreparedSnapshot | typeof UNAVAILABLE> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      resolve(UNAVAILABLE);
      return;
    }
    let ready = false;
    let settled = false;
    const rows: PreparedItemRow[] = [];
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on("message", (m: WorkerMessage) => {
      switch (m.t) {
        case "ready": {
          ready = true;
          workersUsable = true;
          // Hand the bytes over without a copy when they own their whole ArrayBuffer.
          const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
          const view = own ? bytes : new Uint8Array(bytes);
          worker.postMessage({ bytes: view }, [view.buffer as ArrayBuffer]);
          break;
        }
        case "rows":
          for (const r of m.rows) rows.push(r);
          break;
        case "reset":
          rows.length = 0;
          break;
        case "done":
          settle(() => resolve({ ...m.meta, rows }));
          break;
        case "problem":
          settle(() => reject(problemError(m.body)));
          break;
        case "error":
          settle(() => reject(new Error(`snapshot preparation failed: ${m.message}`)));
          break;
      }
    });
    worker.on("error", (e) => settle(() => (ready ? reject(e) : resolve(UNAVAILABLE))));
    worker.on("exit", (code) =>
      settle(() => (ready ? reject(new Error(`snapshot preparation worker exited with code ${code}`)) : resolve(UNAVAILABLE))),
    );
  });
}

/**
 * Prepares a publication body: inline below WORKER_THRESHOLD_BYTES, else in a worker thread
 * (inline when workers cannot be started here). `mode` forces one way (tests, benchmark);
 * "worker" fails when no worker can be started.
 */
export async function prepareSnapshotBody(bytes: Buffer, mode: "auto" | "worker" | "inline" = "auto"): Promise<PreparedSnapshot> {
  if (mode === "inline" || (mode === "auto" && (bytes.length < WORKER_THRESHOLD_BYTES || workersUsable === false))) {
    return prepareSnapshotInline(bytes);
  }
  const release = await slot();
  let r: PreparedSnapshot | typeof UNAVAILABLE;
  try {
    r = await runWorker(bytes);
  } finally {
    release();
  }
  if (r !== UNAVAILABLE) return r;
  workersUsable = false;
  if (mode === "worker") throw new Error("snapshot preparation: no worker thread could be started");
  return prepareSnapshotInline(bytes);
}
