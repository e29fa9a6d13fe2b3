/**
 * Verifiable audit over HTTP, on SQLite and PostgreSQL: receipts, signed heads, inclusion and
 * consistency proofs, all checked with the engine (as the pane and the verify CLI do), and
 * tampering with the database detected by a client holding an earlier head (issue 8, defect 5).
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { AuditEntry } from "../../src/engine/audit";
import { checkConsistency, verifyTrail } from "../../src/engine/ledgerCheck";
import { fromHex, verifyInclusion } from "../../src/engine/merkle";
import {
  auditLeafHash,
  verifyReceipt,
  verifyTreeHead,
  type BatchReceipt,
  type LedgerEntry,
  type ServerPublicKey,
  type SignedTreeHead,
} from "../../src/engine/treeHead";
import { buildServer } from "../../src/server/app";
import { ephemeralServerKey } from "../../src/server/keys";
import { hashAuditEntrySync } from "../../src/server/hash";
import type { Storage } from "../../src/server/storage/types";
import { describeBackends } from "./helpers/backends";
import { batches, chain } from "./helpers/chains";
import { startHarness, type Harness } from "./helpers/harness";

const wbUrl = (wb: string) => `/api/v1/workbooks/${wb}`;

describeBackends("verifiable audit", (backend) => {
  const key = ephemeralServerKey();
  let h: Harness;
  let clock = Date.UTC(2026, 10, 25, 12, 0, 0);
  let keys: ServerPublicKey[];
  beforeAll(async () => {
    h = await startHarness(backend, { serverKey: key, now: () => new Date((clock += 1000)) });
    keys = [(await h.call("GET", "/api/v1/server-key")).body.current];
  });
  afterAll(async () => h?.close());

  const ph = (n: number) => (backend.kind === "sqlite" ? "?" : `$${n}`);
  const sql = (text: string, params: unknown[]) => h.db.query(text.replace(/§(\d)/g, (_, n) => ph(Number(n))), params);
  const append = (wb: string, entries: AuditEntry[]) => h.call("POST", `${wbUrl(wb)}/audit`, h.tokens.planner, { entries });

  async function trail(wb: string): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    let cursor: string | null = "0";
    while (cursor !== null) {
      const r = await h.call("GET", `${wbUrl(wb)}/audit?limit=5000&cursor=${cursor}`, h.tokens.controller);
      expect(r.status).toBe(200);
      out.push(...r.body.entries);
      cursor = r.body.nextCursor;
    }
    return out;
  }

  /** A workbook with `n` entries sent in batches of 10; returns the receipts. */
  async function filled(wb: string, n: number): Promise<BatchReceipt[]> {
    const receipts: BatchReceipt[] = [];
    for (const b of batches(await chain(wb, n), 10)) {
      const r = await append(wb, b);
      expect(r.status).toBe(201);
      receipts.push(r.body.receipt);
    }
    return receipts;
  }

  test("the server key is public, and its id is the one in every head", async () => {
    const r = await h.call("GET", "/api/v1/server-key");
    expect(r.status).toBe(200);
    expect(r.body.current).toEqual(key.current);
    expect(r.body.retired).toEqual([]);
  });

  test("each accepted batch returns a signed receipt: head after the batch, sender and receive time of each entry", async () => {
    const wb = randomUUID();
    const entries = await chain(wb, 25);
    const [b1, b2, b3] = batches(entries, 10);
    const r1 = await append(wb, b1);
    const r2 = await append(wb, b2);
    const receipt: BatchReceipt = r2.body.receipt;
    expect(await verifyReceipt(r1.body.receipt, keys)).toEqual({ ok: true });
    expect(await verifyReceipt(receipt, keys)).toEqual({ ok: true });
    expect(receipt.head).toMatchObject({ workbookId: wb, treeSize: 20, keyId: key.current.keyId });
    expect(receipt.entries.map((e) => [e.seq, e.entryId, e.entryHash, e.receivedBy])).toEqual(b2.map((e, i) => [11 + i, e.entryId, e.entryHash, "alice"]));
    const stored = await trail(wb);
    expect(receipt.entries.map((e) => e.receivedAt)).toEqual(stored.slice(10, 20).map((e) => e.receivedAt));
    // Re-sending stores nothing; its receipt is a signed head at the same size, with no entries.
    const again = await append(wb, b2);
    expect(again.status).toBe(200);
    expect(again.body.receipt.entries).toEqual([]);
    expect(again.body.receipt.head.rootHash).toBe(receipt.head.rootHash);
    // An overlapping batch gets a receipt for the new tail only.
    const r3 = await append(wb, [...b2.slice(8), ...b3]);
    expect(r3.body.receipt.entries.map((e: { entryId: string }) => e.entryId)).toEqual(b3.map((e) => e.entryId));
    expect(await verifyReceipt(r3.body.receipt, keys)).toEqual({ ok: true });
  });

  test("head, inclusion proofs of every entry and consistency proofs between every receipt verify client-side", async () => {
    const wb = randomUUID();
    const receipts = await filled(wb, 37);
    const headR = await h.call("GET", `${wbUrl(wb)}/audit/head`, h.tokens.controller);
    expect(headR.status).toBe(200);
    const head: SignedTreeHead = headR.body;
    expect(await verifyTreeHead(head, keys)).toEqual({ ok: true });
    expect(head.treeSize).toBe(37);
    const entries = await trail(wb);
    expect(await verifyTrail(wb, entries, [head, ...receipts.map((r) => r.head)], { hashEntry: hashAuditEntrySync })).toMatchObject({ ok: true, count: 37 });
    for (const e of entries) {
      const p = await h.call("GET", `${wbUrl(wb)}/audit/proofs/inclusion?seq=${e.seq}&treeSize=${receipts[1].head.treeSize}`, h.tokens.planner);
      if (e.seq > 20) {
        expect(p.status).toBe(400);
        continue;
      }
      expect(p.status).toBe(200);
      expect(p.body.head).toBeNull();
      const ok = verifyInclusion(e.seq - 1, 20, auditLeafHash(e), p.body.proof.map(fromHex), fromHex(receipts[1].head.rootHash));
      expect(ok).toBe(true);
    }
    for (let i = 0; i < receipts.length; i++) {
      for (let j = i; j < receipts.length; j++) {
        const a = receipts[i].head;
        const b = receipts[j].head;
        const p = await h.call("GET", `${wbUrl(wb)}/audit/proofs/consistency?from=${a.treeSize}&to=${b.treeSize}`, h.tokens.controller);
        expect(p.status).toBe(200);
        expect(checkConsistency(a, b, p.body.proof)).toEqual({ ok: true });
      }
    }
    const latest = await h.call("GET", `${wbUrl(wb)}/audit/proofs/consistency?from=10`, h.tokens.controller);
    expect(await verifyTreeHead(latest.body.head, keys)).toEqual({ ok: true });
    expect(checkConsistency(receipts[0].head, latest.body.head, latest.body.proof)).toEqual({ ok: true });
  });

  test("proof routes: access as for the trail, bad sizes are 400s naming the parameter", async () => {
    const wb = randomUUID();
    await filled(wb, 5);
    expect((await h.call("GET", `${wbUrl(wb)}/audit/head`)).status).toBe(401);
    expect((await h.call("GET", `${wbUrl(wb)}/audit/head`, h.tokens.planner2)).status).toBe(404); // another planner's workbook answers as a missing one (defect 10)
    expect((await h.call("GET", `${wbUrl(randomUUID())}/audit/head`, h.tokens.controller)).status).toBe(404);
    const big = await h.call("GET", `${wbUrl(wb)}/audit/proofs/consistency?from=6`, h.tokens.controller);
    expect(big.status).toBe(400);
    expect(big.body.detail).toMatch(/querystring\.from 6/);
    const seq0 = await h.call("GET", `${wbUrl(wb)}/audit/proofs/inclusion?seq=0`, h.tokens.controller);
    expect(seq0.status).toBe(400);
    expect(seq0.body.field).toBe("querystring.seq");
  });

  /** After tampering, what a client holding `held` sees: the downloaded trail, and a restarted server's proofs. */
  async function detect(wb: string, held: SignedTreeHead) {
    const entries = await trail(wb);
    const offline = await verifyTrail(wb, entries, [held], { hashEntry: hashAuditEntrySync });
    // A server restarted over the altered database (same key) rebuilds its tree from the rows.
    // Its storage is the harness's, with close() a no-op so that closing this server keeps it open.
    const storage = Object.create(h.db.storage, { close: { value: async () => undefined } }) as Storage;
    const app = await buildServer({ storage, serverKey: key, rateLimit: false });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}${wbUrl(wb)}/audit/proofs/consistency?from=${held.treeSize}`, {
      headers: { authorization: `Bearer ${h.tokens.controller}` },
    });
    const body = await res.json();
    await app.close();
    const online = res.status === 200 ? checkConsistency(held, body.head, body.proof) : { ok: false as const, reason: `${res.status}: ${body.detail}` };
    return { offline, online };
  }

  const tampers: [string, (wb: string) => Promise<unknown>, { online: boolean }][] = [
    ["a changed entry text", (wb) => sql("UPDATE audit_entries SET reason = 'edited later' WHERE workbook_id = §1 AND seq = 4", [wb]), { online: false }],
    ["a changed sender", (wb) => sql("UPDATE audit_entries SET received_by = 'bob' WHERE workbook_id = §1 AND seq = 4", [wb]), { online: true }],
    ["a changed receive time", (wb) => sql("UPDATE audit_entries SET received_at = '2026-01-01T00:00:00.000Z' WHERE workbook_id = §1 AND seq = 4", [wb]), { online: true }],
    [
      "a changed order",
      async (wb) => {
        await sql("UPDATE audit_entries SET seq = 1000 WHERE workbook_id = §1 AND seq = 3", [wb]);
        await sql("UPDATE audit_entries SET seq = 3 WHERE workbook_id = §1 AND seq = 4", [wb]);
        await sql("UPDATE audit_entries SET seq = 4 WHERE workbook_id = §1 AND seq = 1000", [wb]);
      },
      { online: true },
    ],
    ["a deleted row", (wb) => sql("DELETE FROM audit_entries WHERE workbook_id = §1 AND seq = 4", [wb]), { online: true }],
    [
      "a deleted tail (count lowered too)",
      async (wb) => {
        await sql("DELETE FROM audit_entries WHERE workbook_id = §1 AND seq > 6", [wb]);
        await sql("UPDATE workbooks SET entry_count = 6 WHERE id = §1", [wb]);
      },
      { online: true },
    ],
  ];

  test.each(tampers)("%s in the database is detected by a client holding an earlier head", async (_what, tamper, expectOnline) => {
    const wb = randomUUID();
    const receipts = await filled(wb, 20);
    const held = receipts[1].head; // the head after the second batch: 20 entries
    expect((await detect(wb, held)).offline.ok).toBe(true);
    await tamper(wb);
    const { offline, online } = await detect(wb, held);
    expect(offline.ok).toBe(false);
    // The entry text is covered by entryHash, which the server's tree takes from the row: a restarted
    // server still proves consistency, but the downloaded trail does not match (offline above).
    expect(online.ok).toBe(!expectOnline.online);
  });

  test("an entry edited and re-sealed (hashes recomputed down the chain) is caught by the consistency proof too", async () => {
    const wb = randomUUID();
    const receipts = await filled(wb, 12);
    const held = receipts[0].head;
    const rows = await trail(wb);
    const { seq: _s, receivedAt: _a, receivedBy: _b, entryHash: _h, prevHash: _p, ...first } = rows[2];
    let prev = rows[1].entryHash;
    for (let i = 2; i < rows.length; i++) {
      const { seq, receivedAt: _ra, receivedBy: _rb, entryHash: _eh, prevHash: _ph, ...rest } = rows[i];
      const content = i === 2 ? { ...first, reason: "rewritten" } : rest;
      const entryHash = hashAuditEntrySync({ ...content, prevHash: prev });
      await sql("UPDATE audit_entries SET reason = §1, prev_hash = §2, entry_hash = §3 WHERE workbook_id = §4 AND seq = §5", [content.reason, prev, entryHash, wb, seq]);
      prev = entryHash;
    }
    await sql("UPDATE workbooks SET last_hash = §1 WHERE id = §2", [prev, wb]);
    // The chain alone is intact now: the server's own verify is fooled.
    expect((await h.call("GET", `${wbUrl(wb)}/audit/verify`, h.tokens.controller)).body.ok).toBe(true);
    const { offline, online } = await detect(wb, held);
    expect(offline).toMatchObject({ ok: false, reason: expect.stringMatching(/first 10 entries are not those the server signed/) });
    expect(online).toMatchObject({ ok: false, reason: expect.stringMatching(/history was rewritten/) });
  });
});
