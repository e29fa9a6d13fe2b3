/**
 * The pane's side of the verifiable audit (docs/audit-proofs.md). After each accepted batch, the
 * sync hands the server's receipt here; the witness
 *   1. checks the receipt's and its head's Ed25519 signatures against the server key it pinned the
 *      first time (kept in the workbook settings; a key rotation is accepted only when the server
 *      still lists the pinned key as retired),
 *   2. checks, with a consistency proof from the server, that the new head extends the last head it
 *      kept (RFC 9162 §2.1.4.2, src/engine/ledgerCheck.ts): a server that rewrote or dropped
 *      history is named, and the sync stops,
 *   3. keeps the new head in the workbook settings (SETTING_KEY).
 * Where Web Crypto lacks Ed25519, the proofs are still checked and `signatures` says so.
 */
import { checkConsistency } from "../engine/ledgerCheck";
import {
  SignatureUnsupportedError,
  verifyReceipt,
  type BatchReceipt,
  type ServerPublicKey,
  type SignedTreeHead,
} from "../engine/treeHead";
import type { WorkbookGateway } from "./ports";

export const TRAIL_WITNESS_SETTING = "seg.audit.witness";

/** What the workbook keeps: per server, the keys pinned and the last signed head of each workbook id. */
export interface WitnessState {
  servers: Record<string, { keys: ServerPublicKey[]; heads: Record<string, SignedTreeHead> }>;
}

/** The calls the witness needs from the API client (src/client/api.ts). */
export interface WitnessClient {
  readonly baseUrl: string;
  serverKeys(signal?: AbortSignal): Promise<{ current: ServerPublicKey; retired: ServerPublicKey[] }>;
  consistencyProof(workbookId: string, from: number, to: number, signal?: AbortSignal): Promise<{ proof: string[] }>;
}

export type WitnessResult =
  | { ok: true; head: SignedTreeHead; signatures: "checked" | "unsupported" }
  | { ok: false; reason: string };

export class TrailWitness {
  constructor(private readonly settings: WorkbookGateway["settings"]) {}

  private state(): WitnessState {
    const s = this.settings.get<WitnessState>(TRAIL_WITNESS_SETTING);
    return s && typeof s === "object" && s.servers ? s : { servers: {} };
  }

  /** The last head kept for this workbook on this server (null before the first receipt). */
  lastHead(serverUrl: string, workbookId: string): SignedTreeHead | null {
    return this.state().servers[serverUrl]?.heads[workbookId] ?? null;
  }

  async check(client: WitnessClient, workbookId: string, receipt: BatchReceipt, signal?: AbortSignal): Promise<WitnessResult> {
    const url = client.baseUrl;
    const state = this.state();
    const server = state.servers[url] ?? { keys: [], heads: {} };
    const named = (what: string) => `The server ${url} ${what}. Entries already sent are on that server; syncing stops here. Keep this workbook and tell your controller (npm run verify).`;
    if (receipt.head.workbookId !== workbookId) return { ok: false, reason: named(`answered with a receipt for another workbook ("${receipt.head.workbookId}")`) };

    // 1. Keys: pinned on first use; a new key only when the server still vouches for the pinned one.
    if (server.keys.length === 0 || !server.keys.some((k) => k.keyId === receipt.head.keyId)) {
      const published = await client.serverKeys(signal);
      const all = [published.current, ...published.retired];
      if (server.keys.length > 0 && !server.keys.every((k) => all.some((p) => p.keyId === k.keyId && p.publicKey === k.publicKey))) {
        return { ok: false, reason: named(`changed its signing key without listing the key this workbook trusts (${server.keys[0].keyId.slice(0, 16)}…) as retired`) };
      }
      server.keys = all;
    }
    let signatures: "checked" | "unsupported" = "checked";
    try {
      const s = await verifyReceipt(receipt, server.keys);
      if (!s.ok) return { ok: false, reason: named(`sent a receipt that does not verify: ${s.reason}`) };
    } catch (e) {
      if (!(e instanceof SignatureUnsupportedError)) throw e;
      signatures = "unsupported";
    }

    // 2. Consistency with the last head kept.
    const last = server.heads[workbookId];
    if (last) {
      if (receipt.head.treeSize < last.treeSize) {
        return { ok: false, reason: named(`dropped history: its trail has ${receipt.head.treeSize} entries, but it signed ${last.treeSize} at ${last.timestamp}`) };
      }
      const { proof } = await client.consistencyProof(workbookId, last.treeSize, receipt.head.treeSize, signal);
      const c = checkConsistency(last, receipt.head, proof);
      if (!c.ok) return { ok: false, reason: named(`rewrote the audit history of this workbook (${c.reason})`) };
    }

    // 3. Keep the new head.
    server.heads = { ...server.heads, [workbookId]: receipt.head };
    await this.settings.set(TRAIL_WITNESS_SETTING, { servers: { ...state.servers, [url]: server } } satisfies WitnessState);
    return { ok: true, head: receipt.head, signatures };
  }
}
