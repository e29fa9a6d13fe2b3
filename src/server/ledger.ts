/**
 * The verifiable side of the audit trail (docs/audit-proofs.md): one RFC 6962 Merkle tree per
 * workbook over its stored entries (leaf = src/engine/treeHead.ts auditLeafHash: entry hash, seq,
 * sender, receive time), signed tree heads, batch receipts, inclusion and consistency proofs.
 *
 * Where the tree lives: IN MEMORY (src/engine/merkle.ts MerkleTree: every complete subtree hash,
 * about 64 bytes per entry, 64 MB for a 1,000,000-entry trail), built from the database the first
 * time a workbook is touched (warmUp() at start loads every workbook in the background) and then
 * extended on each append. Nothing new is stored in the database: the leaves are a function of the
 * stored rows, which is the point — a server restarted over an altered database builds a tree the
 * clients' earlier heads are not consistent with. A trail appended by another server process
 * (PostgreSQL, several instances) is caught up from the database before each answer.
 */
import { createHash, hash as oneShotHash } from "node:crypto";
import type { AuditEntry } from "../engine/audit";
import { MerkleTree, bytesEqual, toHex, type HashFn } from "../engine/merkle";
import { auditLeafText, receiptBytes, treeHeadBytes, type BatchReceipt, type ReceiptEntry, type SignedTreeHead, type TreeHead } from "../engine/treeHead";
import type { ServerKey } from "./keys";
import { HttpProblem } from "./problem";
import type { Storage } from "./storage/types";

/**
 * Node's SHA-256 (same function as the engine's, several times faster). crypto.hash (Node 20.12+)
 * hashes in one call without a Hash object; createHash where it is missing.
 */
const sha256Once: (data: string | Uint8Array) => Uint8Array =
  typeof oneShotHash === "function" ? (data) => oneShotHash("sha256", data, "buffer") : (data) => createHash("sha256").update(data).digest();

export const nodeSha256: HashFn = (data) => sha256Once(data);

/**
 * The engine's auditLeafHash, SHA-256(0x00 || UTF-8 leaf text), in one Node call: the 0x00 byte is
 * the UTF-8 encoding of U+0000, so hashing the string "\0" + text hashes exactly those bytes.
 */
export function leafHashSync(e: Parameters<typeof auditLeafText>[0]): Uint8Array {
  return sha256Once("\0" + auditLeafText(e));
}

const LOAD_PAGE = 20_000;
/** A reader's head is re-signed at most once a second per workbook (one Ed25519 signature per request otherwise). */
const HEAD_REUSE_MS = 1000;

interface WorkbookTree {
  tree: MerkleTree;
  /** seq of the last row read into the tree. */
  lastSeq: number;
}

export interface InclusionAnswer {
  seq: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  /** The signed head of the current tree (when treeSize is its size). */
  head: SignedTreeHead | null;
}

export interface ConsistencyAnswer {
  fromSize: number;
  toSize: number;
  proof: string[];
  head: SignedTreeHead | null;
}

export class Ledger {
  private readonly trees = new Map<string, WorkbookTree>();
  private readonly locks = new Map<string, Promise<void>>();
  /** The last head signed for a reader, per workbook: reused for HEAD_REUSE_MS while the size is the same. */
  private readonly heads = new Map<string, SignedTreeHead>();

  constructor(
    private readonly storage: Storage,
    readonly key: ServerKey,
    private readonly now: () => Date,
  ) {}

  /** Runs fn alone for this workbook (loading and extending a tree must not interleave). */
  private exclusive<T>(workbookId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(workbookId) ?? Promise.resolve();
    const run = prev.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(workbookId, tail);
    void tail.then(() => {
      if (this.locks.get(workbookId) === tail) this.locks.delete(workbookId);
    });
    return run;
  }

  /** Reads stored rows beyond what the tree holds, until it holds at least `atLeast` or none are left. */
  private async catchUp(workbookId: string, atLeast: number): Promise<WorkbookTree> {
    let t = this.trees.get(workbookId);
    if (!t) {
      t = { tree: new MerkleTree(nodeSha256), lastSeq: 0 };
      this.trees.set(workbookId, t);
    }
    while (t.tree.size < atLeast) {
      const page = this.storage.auditLeafRows
        ? await this.storage.auditLeafRows(workbookId, t.lastSeq, LOAD_PAGE)
        : await this.storage.queryAudit(workbookId, { afterSeq: t.lastSeq, limit: LOAD_PAGE });
      if (page.length === 0) break;
      for (const e of page) {
        t.tree.appendLeafHash(leafHashSync(e));
        t.lastSeq = e.seq;
      }
    }
    return t;
  }

  private async current(workbookId: string, storedCount?: number): Promise<WorkbookTree> {
    const count = storedCount ?? (await this.storage.getWorkbook(workbookId))?.entryCount ?? 0;
    return this.catchUp(workbookId, count);
  }

  /** Loads every workbook's tree (call after listening; appends and proofs wait for their own workbook only). */
  async warmUp(): Promise<void> {
    for (const w of await this.storage.listWorkbooks()) {
      await this.exclusive(w.workbookId, () => this.catchUp(w.workbookId, w.entryCount));
    }
  }

  private signHead(workbookId: string, tree: MerkleTree, size: number, timestamp: string): SignedTreeHead {
    const head: TreeHead = { workbookId, treeSize: size, rootHash: toHex(tree.root(size)), timestamp, keyId: this.key.current.keyId };
    return { ...head, signature: this.key.sign(treeHeadBytes(head)) };
  }

  /** A signed head of the current tree for a reader: the one signed within the last second when the size is unchanged. */
  private currentHead(workbookId: string, tree: MerkleTree): SignedTreeHead {
    const now = this.now();
    const cached = this.heads.get(workbookId);
    if (cached && cached.treeSize === tree.size && now.getTime() - Date.parse(cached.timestamp) < HEAD_REUSE_MS) return cached;
    const head = this.signHead(workbookId, tree, tree.size, now.toISOString());
    this.heads.set(workbookId, head);
    return head;
  }

  /** The signed head of the workbook's tree as stored now. `storedCount`: the entry count, when the caller read it. */
  head(workbookId: string, storedCount?: number): Promise<SignedTreeHead> {
    return this.exclusive(workbookId, async () => {
      const t = await this.current(workbookId, storedCount);
      return this.currentHead(workbookId, t.tree);
    });
  }

  /**
   * The receipt of an accepted batch: the head at the trail's size right after it, and sender and
   * receive time of each entry it stored. `stored` ids are the last `stored.length` entries
   * before `entryCount` (the append outcome).
   */
  receipt(
    workbookId: string,
    sender: { name: string },
    sent: readonly AuditEntry[],
    outcome: { stored: readonly string[]; entryCount: number },
    receivedAt: string,
  ): Promise<BatchReceipt> {
    return this.exclusive(workbookId, async () => {
      const n = outcome.stored.length;
      const first = outcome.entryCount - n + 1;
      const hashOf = new Map(sent.map((e) => [e.entryId, e.entryHash]));
      const entries: ReceiptEntry[] = outcome.stored.map((entryId, i) => ({
        seq: first + i,
        entryId,
        entryHash: hashOf.get(entryId)!,
        receivedBy: sender.name,
        receivedAt,
      }));
      let t = this.trees.get(workbookId);
      if (t && t.tree.size === first - 1 && t.lastSeq === first - 1) {
        // The usual case: nothing was appended since this tree was last extended.
        for (const e of entries) t.tree.appendLeafHash(leafHashSync({ ...e, workbookId }));
        t.lastSeq = outcome.entryCount;
      } else {
        t = await this.catchUp(workbookId, outcome.entryCount);
        if (t.tree.size < outcome.entryCount) {
          throw new Error(`ledger of "${workbookId}": the database holds ${t.tree.size} entries after an append that reported ${outcome.entryCount}`);
        }
        for (const e of entries) {
          if (!bytesEqual(t.tree.leaf(e.seq - 1), leafHashSync({ ...e, workbookId }))) {
            throw new Error(`ledger of "${workbookId}": stored entry ${e.seq} differs from the one just appended`);
          }
        }
      }
      const head = this.signHead(workbookId, t.tree, outcome.entryCount, receivedAt);
      return { head, entries, signature: this.key.sign(receiptBytes(head, entries)) };
    });
  }

  /** Inclusion proof of entry `seq` (1-based) in the tree of `treeSize` entries (default: now). */
  inclusion(workbookId: string, seq: number, treeSize: number | undefined, storedCount?: number): Promise<InclusionAnswer> {
    return this.exclusive(workbookId, async () => {
      const t = await this.current(workbookId, storedCount);
      const size = treeSize ?? t.tree.size;
      if (size > t.tree.size) throw new HttpProblem("validation", `querystring.treeSize ${size} is larger than the trail (${t.tree.size} entries)`, { field: "querystring.treeSize" });
      if (seq < 1 || seq > size) throw new HttpProblem("validation", `querystring.seq ${seq} is not an entry of a tree of ${size} entries (1..${size})`, { field: "querystring.seq" });
      return {
        seq,
        treeSize: size,
        leafHash: toHex(t.tree.leaf(seq - 1)),
        proof: t.tree.inclusionProof(seq - 1, size).map(toHex),
        head: size === t.tree.size ? this.currentHead(workbookId, t.tree) : null,
      };
    });
  }

  /** Consistency proof from the tree of `fromSize` entries to that of `toSize` (default: now). */
  consistency(workbookId: string, fromSize: number, toSize: number | undefined, storedCount?: number): Promise<ConsistencyAnswer> {
    return this.exclusive(workbookId, async () => {
      const t = await this.current(workbookId, storedCount);
      const to = toSize ?? t.tree.size;
      if (to > t.tree.size) throw new HttpProblem("validation", `querystring.to ${to} is larger than the trail (${t.tree.size} entries)`, { field: "querystring.to" });
      if (fromSize > to) {
        throw new HttpProblem("validation", `querystring.from ${fromSize} is larger than the tree it should be a prefix of (${to} entries)`, { field: "querystring.from" });
      }
      return {
        fromSize,
        toSize: to,
        proof: t.tree.consistencyProof(fromSize, to).map(toHex),
        head: to === t.tree.size ? this.currentHead(workbookId, t.tree) : null,
      };
    });
  }
}
