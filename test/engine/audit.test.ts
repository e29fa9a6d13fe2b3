import { createHash, randomUUID } from "node:crypto";
import {
  AUDIT_HASHED_FIELDS,
  AuditEntry,
  GENESIS_HASH,
  UnsealedEntry,
  canonicalAuditText,
  hashAuditEntry,
  sealEntries,
  sha256Hex,
  verifyChain,
} from "../../src/engine/audit";

function entry(i: number, over: Partial<UnsealedEntry> = {}): UnsealedEntry {
  return {
    entryId: randomUUID(),
    timestamp: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(),
    user: "alice",
    workbookId: "7d0c4b5e-2f51-4bd1-9d0b-5b8f2f0f6a11",
    action: i === 0 ? "classify-run" : "override-set",
    sku: i === 0 ? "" : `SKU-${i}`,
    field: i === 0 ? "" : "segment",
    oldValue: i === 0 ? "" : "BX",
    newValue: i === 0 ? "" : "AX",
    reason: i === 0 ? "" : `promo ${i} "quoted", ünïcode`,
    modelVersion: "mv-1",
    ...over,
  };
}

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 example and node's own implementation", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const text = "SKU-1 ✓ ünïcode";
    expect(await sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
  });
});

describe("canonical serialisation", () => {
  it("covers every hashed field in a fixed order and ignores syncState", () => {
    const sealed = { ...entry(1), prevHash: GENESIS_HASH };
    const parsed = JSON.parse(canonicalAuditText(sealed));
    expect(parsed[0]).toBe("seg-audit-v1");
    expect(parsed.slice(1)).toEqual(AUDIT_HASHED_FIELDS.map((f) => sealed[f]));
    const withSync = { ...sealed, syncState: "synced" } as typeof sealed;
    expect(canonicalAuditText(withSync)).toBe(canonicalAuditText(sealed));
  });

  it("hashes with SHA-256 over the UTF-8 canonical text", async () => {
    const sealed = { ...entry(2), prevHash: GENESIS_HASH };
    const expected = createHash("sha256").update(canonicalAuditText(sealed), "utf8").digest("hex");
    expect(await hashAuditEntry(sealed)).toBe(expected);
  });

  it("changes when any hashed field changes", async () => {
    const base = { ...entry(3), prevHash: GENESIS_HASH };
    const h = await hashAuditEntry(base);
    for (const f of AUDIT_HASHED_FIELDS) {
      expect([f, await hashAuditEntry({ ...base, [f]: `${base[f]}x` })]).not.toEqual([f, h]);
    }
  });
});

describe("chain", () => {
  async function chain(n: number): Promise<AuditEntry[]> {
    return sealEntries(Array.from({ length: n }, (_, i) => entry(i)), GENESIS_HASH);
  }

  it("links each entry to the previous hash, starting at the genesis hash", async () => {
    const c = await chain(4);
    expect(c[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < c.length; i++) expect(c[i].prevHash).toBe(c[i - 1].entryHash);
    expect(await verifyChain(c)).toEqual({ ok: true, count: 4, lastHash: c[3].entryHash });
  });

  it("verifies a continuation from a given previous hash", async () => {
    const c = await chain(5);
    expect((await verifyChain(c.slice(2), c[1].entryHash)).ok).toBe(true);
    expect((await verifyChain(c.slice(2))).ok).toBe(false);
  });

  it("names an edited entry", async () => {
    const c = await chain(5);
    c[2] = { ...c[2], newValue: "CZ" };
    expect(await verifyChain(c)).toEqual({ ok: false, index: 2, entryId: c[2].entryId, reason: expect.stringMatching(/edited/) });
  });

  it("names the entry after a deleted one", async () => {
    const c = await chain(5);
    const cut = [...c.slice(0, 2), ...c.slice(3)];
    expect(await verifyChain(cut)).toMatchObject({ ok: false, index: 2, entryId: c[3].entryId, reason: expect.stringMatching(/link/) });
  });

  it("names a reordered entry and a missing first entry", async () => {
    const c = await chain(4);
    expect(await verifyChain([c[0], c[2], c[1], c[3]])).toMatchObject({ ok: false, index: 1 });
    expect(await verifyChain(c.slice(1))).toMatchObject({ ok: false, index: 0, reason: expect.stringMatching(/missing/) });
  });

  it("detects an entry re-hashed after editing (the link to the next entry breaks)", async () => {
    const c = await chain(4);
    const edited = { ...c[1], reason: "changed" };
    c[1] = { ...edited, entryHash: await hashAuditEntry(edited) };
    expect(await verifyChain(c)).toMatchObject({ ok: false, index: 2 });
  });
});
