/** The compact version store: codings against published check values, exact round trips, deltas, chains. */
import fc from "fast-check";
import { ArgumentError } from "../../src/engine/errors";
import {
  ROLLBACK_COLUMNS,
  appendVersion,
  chunkText,
  crc32,
  decodeVersion,
  encodeVersion,
  estimateVersionSize,
  fromBase64,
  readVersionHeader,
  restoreVersion,
  toBase64,
  type StoredColumn,
  type VersionTable,
} from "../../src/engine/versionStore";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("codings", () => {
  it("CRC-32 gives the catalogue check value for '123456789' (CRC-32/ISO-HDLC: 0xCBF43926)", () => {
    expect(crc32(bytes("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  it("base64 matches the RFC 4648 section 10 test vectors", () => {
    const vectors: [string, string][] = [["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]];
    for (const [plain, coded] of vectors) {
      expect(toBase64(bytes(plain))).toBe(coded);
      expect(new TextDecoder().decode(fromBase64(coded))).toBe(plain);
    }
    const all = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7919) & 255);
    expect(fromBase64(toBase64(all))).toEqual(all);
    expect(toBase64(all)).toBe(Buffer.from(all).toString("base64"));
  });
});

function table(rows: number, seed = 1): VersionTable {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const segs = ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ", "AN"];
  return {
    rows,
    columns: [
      { name: "sku", type: "text", values: Array.from({ length: rows }, (_, i) => `MAT-${String(100000 + i).padStart(8, "0")}`) },
      { name: "segment", type: "dict", values: Array.from({ length: rows }, () => segs[Math.floor(rnd() * segs.length)]) },
      { name: "value", type: "number", values: Float64Array.from({ length: rows }, () => Math.round(rnd() * 1e7) / 100) },
      { name: "cv", type: "number", values: Float64Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? Number.NaN : rnd() * 2)) },
      { name: "pinned", type: "flag", values: Uint8Array.from({ length: rows }, () => (rnd() < 0.05 ? 1 : 0)) },
    ],
  };
}

function expectSame(a: VersionTable, b: VersionTable): void {
  expect(a.rows).toBe(b.rows);
  expect(a.columns.map((c) => [c.name, c.type])).toEqual(b.columns.map((c) => [c.name, c.type]));
  a.columns.forEach((c, k) => {
    const d = b.columns[k];
    if (c.type === "number") {
      const x = c.values;
      const y = d.values as Float64Array;
      for (let i = 0; i < a.rows; i++) if (!Object.is(x[i], y[i])) throw new Error(`${c.name}[${i}]: ${x[i]} != ${y[i]}`);
    } else expect(Array.from(d.values as ArrayLike<unknown>)).toEqual(Array.from(c.values as ArrayLike<unknown>));
  });
}

describe("full versions", () => {
  it("round-trip every column type exactly, including awkward values", () => {
    const t: VersionTable = {
      rows: 6,
      columns: [
        { name: "sku", type: "text", values: ["A-1", "A-10", "", "Ünï😀x", "Ünï😁y", "A-1 "] },
        { name: "reason", type: "dict", values: ["", "promo", "promo", "😀", "", "x"] },
        { name: "n", type: "number", values: Float64Array.from([0.1, -0, Number.NaN, 2 ** 60, -123.45, Math.PI]) },
        { name: "f", type: "flag", values: Uint8Array.from([1, 0, 0, 1, 1, 0]) },
      ],
    };
    const text = encodeVersion(t, { modelVersion: "v1", user: "alice", parameters: { abcCutoffs: [0.8, 0.95] } });
    const { header, table: back } = decodeVersion(text);
    expect(header).toMatchObject({ kind: "full", modelVersion: "v1", parent: null, rows: 6, meta: { user: "alice" } });
    expectSame(t, back);
    expect(readVersionHeader(text).meta.parameters).toEqual({ abcCutoffs: [0.8, 0.95] });
  });

  it("stores exact decimals as scaled integers (much smaller than doubles)", () => {
    const t = table(10000);
    const text = encodeVersion(t, { modelVersion: "v" });
    expectSame(t, decodeVersion(text).table);
    // value (2 decimals, < 1e5) takes ~4 bytes instead of 8: well under the raw size
    const raw = 10000 * (14 + 1 + 8 + 8) + 1250;
    expect((text.length * 3) / 4).toBeLessThan(0.85 * raw);
  });

  it("refuses a damaged text with a reason", () => {
    const text = encodeVersion(table(50), { modelVersion: "v" });
    const i = 200;
    const bad = text.slice(0, i) + (text[i] === "A" ? "B" : "A") + text.slice(i + 1);
    expect(() => decodeVersion(bad)).toThrow(new ArgumentError("store", "the stored version is damaged (CRC-32 does not match)"));
    expect(() => decodeVersion("abc")).toThrow(/not base64/);
  });

  it("refuses tables whose key is not unique text", () => {
    const t = table(3);
    (t.columns[0].values as string[])[2] = (t.columns[0].values as string[])[0];
    expect(() => encodeVersion(t, { modelVersion: "v" })).toThrow(/appears twice \(rows 1 and 3\)/);
  });
});

function edit(t: VersionTable, seed: number): VersionTable {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const keep: number[] = [];
  for (let i = 0; i < t.rows; i++) if (rnd() > 0.03) keep.push(i);
  // swap a few neighbours (rank order changes) and add new rows
  for (let k = 0; k + 1 < keep.length; k += 37) [keep[k], keep[k + 1]] = [keep[k + 1], keep[k]];
  const added = Math.floor(t.rows * 0.02);
  const rows = keep.length + added;
  const columns = t.columns.map((c, ci): StoredColumn => {
    if (c.type === "text") return { ...c, values: [...keep.map((i) => c.values[i]), ...Array.from({ length: added }, (_, a) => `NEW-${seed}-${a}`)] };
    if (c.type === "dict") return { ...c, values: [...keep.map((i) => (rnd() < 0.05 ? "CZ" : c.values[i])), ...Array.from({ length: added }, () => "BY")] };
    if (c.type === "number") return { ...c, values: Float64Array.from([...keep.map((i) => (rnd() < 0.1 * ci ? c.values[i] + 1.25 : c.values[i])), ...Array.from({ length: added }, () => 7.5)]) };
    return { ...c, values: Uint8Array.from([...keep.map((i) => (rnd() < 0.01 ? 1 - c.values[i] : c.values[i])), ...Array.from({ length: added }, () => 0)]) };
  });
  return { rows, columns };
}

describe("deltas", () => {
  it("round-trip removed, added, reordered and changed rows", () => {
    const t1 = table(5000);
    const t2 = edit(t1, 7);
    const delta = encodeVersion(t2, { modelVersion: "v2" }, { parent: t1, parentVersion: "v1" });
    const full = encodeVersion(t2, { modelVersion: "v2" });
    expect(readVersionHeader(delta)).toMatchObject({ kind: "delta", parent: "v1", parentRows: 5000 });
    expectSame(t2, decodeVersion(delta, t1).table);
    expect(delta.length).toBeLessThan(0.5 * full.length);
  });

  it("needs its parent", () => {
    const t1 = table(10);
    const delta = encodeVersion(edit(t1, 3), { modelVersion: "v2" }, { parent: t1, parentVersion: "v1" });
    expect(() => decodeVersion(delta)).toThrow(/is a delta of v1: decode that one first/);
    expect(() => decodeVersion(delta, table(11))).toThrow(/stored against 10 rows of v1, got 11/);
  });

  it("round-trips random edits (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 1e6 }), (rows, seed) => {
        const t1 = table(rows, seed);
        const t2 = edit(t1, seed + 1);
        expectSame(t2, decodeVersion(encodeVersion(t2, { modelVersion: "b" }, { parent: t1, parentVersion: "a" }), t1).table);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("the store: a chain of versions with full copies", () => {
  it("appends deltas, a full copy every keyframeEvery versions, and restores any version", () => {
    const tables: VersionTable[] = [table(2000)];
    for (let v = 1; v < 12; v++) tables.push(edit(tables[v - 1], 100 + v));
    const stored: string[] = [];
    const kinds: string[] = [];
    tables.forEach((t, v) => {
      const { text, kind } = appendVersion(stored, t, { modelVersion: `v${v}` }, v === 0 ? null : tables[v - 1], { keyframeEvery: 5 });
      stored.push(text);
      kinds.push(kind);
    });
    expect(kinds).toEqual(["full", "delta", "delta", "delta", "delta", "full", "delta", "delta", "delta", "delta", "full", "delta"]);
    tables.forEach((t, v) => expectSame(t, restoreVersion(stored, `v${v}`).table));
    // dropping an old full copy loses the deltas that depend on it, and says so
    expect(() => restoreVersion(stored.slice(1), "v3")).toThrow(/version v3 needs v0, which is no longer in the store/);
    expect(() => restoreVersion(stored, "v99")).toThrow(/version v99 is not in the store/);
  });

  it("chunks a text into cells", () => {
    const text = "x".repeat(70_000);
    const parts = chunkText(text);
    expect(parts.map((p) => p.length)).toEqual([32000, 32000, 6000]);
    expect(parts.join("")).toBe(text);
    expect(() => chunkText(text, 40000)).toThrow(ArgumentError);
  });
});

describe("size estimate", () => {
  it("is within 25 % of the encoded size for a 20,000-row table, full and delta", () => {
    const t1 = table(20000);
    const t2 = edit(t1, 9);
    const full = encodeVersion(t1, { modelVersion: "v" }).length;
    const est = estimateVersionSize(
      [
        { type: "text", avgChars: 3 },
        { type: "dict", distinct: 10 },
        { type: "number", decimals: 2, magnitude: 1e5 },
        { type: "number", decimals: null },
        { type: "flag" },
      ],
      20000,
    );
    expect(Math.abs(est / full - 1)).toBeLessThan(0.25);
    expect(ROLLBACK_COLUMNS[0]).toEqual({ name: "sku", type: "text" });
    expect(t2.rows).toBeGreaterThan(0);
  });
});

describe("rounding on request", () => {
  it("rounds the named columns, says so in the header, and refuses a bad request", () => {
    const t = table(100);
    const text = encodeVersion(t, { modelVersion: "v" }, { round: { cv: 3 } });
    const { header, table: back } = decodeVersion(text);
    expect(header.rounded).toEqual({ cv: 3 });
    const cv = back.columns[3].values as Float64Array;
    const orig = t.columns[3].values as Float64Array;
    for (let i = 0; i < 100; i++) expect(Object.is(cv[i], Number.isNaN(orig[i]) ? Number.NaN : Math.round(orig[i] * 1000) / 1000)).toBe(true);
    expect(back.columns[2].values).toEqual(t.columns[2].values); // value untouched
    expect(() => encodeVersion(t, { modelVersion: "v" }, { round: { segment: 2 } })).toThrow(/segment is not a number column/);
    expect(() => encodeVersion(t, { modelVersion: "v" }, { round: { cv: 9 } })).toThrow(/round.cv/);
  });
});
