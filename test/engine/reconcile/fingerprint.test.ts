/** Fingerprint of a finance range: canonical text rules and SHA-256 (checked against node:crypto). */
import { createHash } from "node:crypto";
import { canonicalRangeText, fingerprintRange } from "../../../src/engine/fingerprint";

describe("fingerprintRange", () => {
  const values = [
    ["SKU", "Book value", "Currency"],
    [1234, 100.5, "EUR"],
    [" ab-7", -0, ""],
  ];
  it("hashes the canonical JSON text with SHA-256", async () => {
    const text = canonicalRangeText("Finance!A1:C3", values);
    expect(text).toBe(JSON.stringify(["seg-range-v1", "Finance!A1:C3", [["SKU", "Book value", "Currency"], [1234, 100.5, "EUR"], [" ab-7", 0]]]));
    expect(await fingerprintRange("Finance!A1:C3", values)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });
  it("is the same for the ways Excel reports blanks, and for trailing blank cells", async () => {
    const a = await fingerprintRange("F!A1", [["x", null, ""], [1, undefined]]);
    const b = await fingerprintRange("F!A1", [["x", "", null, null], [1]]);
    expect(a).toBe(b);
  });
  it("changes with any cell, its type, or the address", async () => {
    const base = await fingerprintRange("F!A1", [["x", 1]]);
    expect(await fingerprintRange("F!A1", [["x", 1.0000001]])).not.toBe(base);
    expect(await fingerprintRange("F!A1", [["x", "1"]])).not.toBe(base); // text "1" is not the number 1
    expect(await fingerprintRange("F!A1", [["x ", 1]])).not.toBe(base); // a trailing space is a change
    expect(await fingerprintRange("F!A2", [["x", 1]])).not.toBe(base);
  });
});
