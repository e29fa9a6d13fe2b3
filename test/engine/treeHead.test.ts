/**
 * Tree heads, receipts and leaves (src/engine/treeHead.ts), and the client-side trail check
 * (src/engine/ledgerCheck.ts). Leaf and head encodings against an independent Python
 * implementation (fixtures/audit_leaf_vector.py); Ed25519 signatures made with Node's crypto
 * (as the server does) and checked with Web Crypto (as the pane does).
 */
import { createHash, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { GENESIS_HASH, sealEntries, type UnsealedEntry } from "../../src/engine/audit";
import { checkConsistency, verifyTrail } from "../../src/engine/ledgerCheck";
import { MerkleTree, toHex } from "../../src/engine/merkle";
import {
  auditLeafHash,
  keyIdOf,
  receiptBytes,
  toBase64,
  treeHeadBytes,
  verifyReceipt,
  verifyTreeHead,
  type BatchReceipt,
  type LedgerEntry,
  type ReceiptEntry,
  type ServerPublicKey,
  type SignedTreeHead,
  type TreeHead,
} from "../../src/engine/treeHead";
import vector from "./fixtures/audit_leaf_vector.json";

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const der = publicKey.export({ format: "der", type: "spki" });
  const raw = new Uint8Array(der.subarray(der.length - 32));
  const pub: ServerPublicKey = { keyId: keyIdOf(raw), algorithm: "Ed25519", publicKey: toBase64(raw) };
  return { pub, der, signBytes: (m: Uint8Array) => sign(null, m, privateKey).toString("base64"), privateKey };
}

const signHead = (k: ReturnType<typeof keyPair>, h: Omit<TreeHead, "keyId">): SignedTreeHead => {
  const head = { ...h, keyId: k.pub.keyId };
  return { ...head, signature: k.signBytes(treeHeadBytes(head)) };
};

describe("encodings (against fixtures/audit_leaf_vector.py)", () => {
  test("leaf hashes and the root over them", () => {
    const leaves = vector.entries.map((e) => auditLeafHash(e));
    expect(leaves.map(toHex)).toEqual(vector.leafHashes);
    const t = new MerkleTree();
    leaves.forEach((l) => t.appendLeafHash(l));
    expect(toHex(t.root())).toBe(vector.head.rootHash);
  });

  test("tree head bytes", () => {
    expect(new TextDecoder().decode(treeHeadBytes(vector.head))).toBe(vector.headText);
  });

  test("key id = SHA-256 of the DER SubjectPublicKeyInfo Node exports", () => {
    const k = keyPair();
    expect(k.pub.keyId).toBe(createHash("sha256").update(k.der).digest("hex"));
    expect(createPublicKey({ key: k.der, format: "der", type: "spki" }).asymmetricKeyType).toBe("ed25519");
  });
});

describe("signatures (Node signs, Web Crypto verifies)", () => {
  const k = keyPair();
  const head = signHead(k, { workbookId: "wb-1", treeSize: 3, rootHash: vector.head.rootHash, timestamp: "2026-11-25T10:00:03.000Z" });

  test("a signed head verifies; any changed field, another key, or an unknown key fails", async () => {
    expect(await verifyTreeHead(head, [k.pub])).toEqual({ ok: true });
    const changes: Partial<SignedTreeHead>[] = [
      { workbookId: "wb-2" },
      { treeSize: 4 },
      { rootHash: "0".repeat(64) },
      { timestamp: "2026-11-25T10:00:04.000Z" },
      { signature: k.signBytes(new TextEncoder().encode("something else")) },
    ];
    for (const c of changes) expect((await verifyTreeHead({ ...head, ...c }, [k.pub])).ok).toBe(false);
    const other = keyPair();
    expect(await verifyTreeHead(head, [other.pub])).toMatchObject({ ok: false, reason: expect.stringMatching(/not among the server keys/) });
    // A key published under the right id but with other bytes is refused.
    expect((await verifyTreeHead(head, [{ ...other.pub, keyId: k.pub.keyId }])).ok).toBe(false);
  });

  test("a receipt covers sender and receive time of each entry", async () => {
    const entries: ReceiptEntry[] = [
      { seq: 2, entryId: "e2", entryHash: "b".repeat(64), receivedBy: "alice", receivedAt: "2026-11-25T10:00:01.000Z" },
      { seq: 3, entryId: "e3", entryHash: "c".repeat(64), receivedBy: "alice", receivedAt: "2026-11-25T10:00:01.000Z" },
    ];
    const receipt: BatchReceipt = { head, entries, signature: k.signBytes(receiptBytes(head, entries)) };
    expect(await verifyReceipt(receipt, [k.pub])).toEqual({ ok: true });
    for (const change of [{ receivedBy: "mallory" }, { receivedAt: "2026-11-26T10:00:01.000Z" }, { entryHash: "d".repeat(64) }]) {
      const forged = { ...receipt, entries: [entries[0], { ...entries[1], ...change }] };
      expect((await verifyReceipt(forged, [k.pub])).ok).toBe(false);
    }
    expect((await verifyReceipt({ ...receipt, entries: entries.slice(1) }, [k.pub])).ok).toBe(false);
  });
});

describe("verifyTrail and checkConsistency", () => {
  const wb = "wb-trail";
  async function trail(n: number): Promise<LedgerEntry[]> {
    const raw: UnsealedEntry[] = Array.from({ length: n }, (_, i) => ({
      entryId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      timestamp: new Date(Date.UTC(2026, 10, 25, 9) + i * 1000).toISOString(),
      user: "Alice",
      workbookId: wb,
      action: "override-set",
      sku: `SKU-${i}`,
      field: "segment",
      oldValue: "BX",
      newValue: "AX",
      reason: `reason ${i}`,
      modelVersion: "m1",
    }));
    const sealed = await sealEntries(raw, GENESIS_HASH);
    return sealed.map((e, i) => ({ ...e, seq: i + 1, receivedBy: "alice", receivedAt: new Date(Date.UTC(2026, 10, 25, 10) + Math.floor(i / 4) * 1000).toISOString() }));
  }
  const headOf = (entries: LedgerEntry[], size: number): TreeHead => {
    const t = new MerkleTree();
    entries.slice(0, size).forEach((e) => t.appendLeafHash(auditLeafHash(e)));
    return { workbookId: wb, treeSize: size, rootHash: toHex(t.root()), timestamp: "2026-11-25T11:00:00.000Z", keyId: "k" };
  };

  test("an intact trail matches every earlier head", async () => {
    const entries = await trail(13);
    const r = await verifyTrail(wb, entries, [headOf(entries, 5), headOf(entries, 13)]);
    expect(r).toMatchObject({ ok: true, count: 13, rootHash: headOf(entries, 13).rootHash });
  });

  test.each([
    ["a changed entry text", (es: LedgerEntry[]) => (es[2] = { ...es[2], reason: "edited" }), /entry .* \(seq 3\): content does not match/],
    ["a changed sender", (es: LedgerEntry[]) => (es[2] = { ...es[2], receivedBy: "mallory" }), /first 5 entries are not those the server signed/],
    ["a changed receive time", (es: LedgerEntry[]) => (es[4] = { ...es[4], receivedAt: "2026-11-20T10:00:00.000Z" }), /first 5 entries are not those/],
    ["a changed order", (es: LedgerEntry[]) => ([es[1], es[2]] = [{ ...es[2], seq: 2 }, { ...es[1], seq: 3 }]), /seq 2\): does not link/],
    ["a deleted row", (es: LedgerEntry[]) => es.splice(3, 1), /position 4 is missing/],
    ["a dropped tail", (es: LedgerEntry[]) => es.splice(4), /trail has 4 entries, but the server signed 5/],
  ] as const)("%s is detected by a client holding an earlier head", async (_what, tamper, reason) => {
    const entries = await trail(9);
    const held = headOf(entries, 5);
    tamper(entries);
    const r = await verifyTrail(wb, entries, [held]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  test("consistency: an extension passes; a rewritten or shorter log is named", async () => {
    const entries = await trail(11);
    const t = new MerkleTree();
    entries.forEach((e) => t.appendLeafHash(auditLeafHash(e)));
    const old = headOf(entries, 6);
    const now = headOf(entries, 11);
    expect(checkConsistency(old, now, t.consistencyProof(6, 11).map(toHex))).toEqual({ ok: true });
    const rewritten = entries.map((e, i) => (i === 2 ? { ...e, receivedBy: "mallory" } : e));
    const bad = new MerkleTree();
    rewritten.forEach((e) => bad.appendLeafHash(auditLeafHash(e)));
    const badHead = headOf(rewritten, 11);
    expect(checkConsistency(old, badHead, bad.consistencyProof(6, 11).map(toHex))).toMatchObject({ ok: false, reason: expect.stringMatching(/history was rewritten/) });
    expect(checkConsistency(old, headOf(entries, 4), [])).toMatchObject({ ok: false, reason: expect.stringMatching(/shrank from 6 entries .* dropped history/) });
    expect(checkConsistency(old, now, ["zz"])).toMatchObject({ ok: false });
  });
});
