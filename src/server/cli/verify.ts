/**
 * `npm run verify -- --workbook ID --head FILE [--trail FILE | --server URL --token T] [--key FILE]`
 * A controller's own check of a workbook's audit trail against a tree head they saved earlier
 * (from a receipt, GET …/audit/head, or an earlier run with --save-head), without trusting the
 * server's own verify: every entry hash, every leaf and every root is recomputed here with
 * src/engine (docs/audit-proofs.md).
 *   1. The saved head is signed by a trusted server key (--key: the JSON of `npm run token --
 *      server-key` or GET /api/v1/server-key, or a PEM public key; without --key the key the
 *      server publishes now is used, and its id printed to compare with the one you pinned).
 *   2. The trail (downloaded, or --trail FILE: {"entries": [...]} as GET …/audit pages give, or
 *      the --out file of an earlier run) is an unbroken chain whose first head.treeSize leaves
 *      hash to the saved head's root.
 *   3. With --server: the newest signed head verifies, the trail matches it, and the server's
 *      consistency proof from the saved head to it verifies (RFC 9162 §2.1.4.2).
 * Exit status: 0 verified, 1 verification failed (the message names what), 2 usage or I/O error.
 */
import { createPublicKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkConsistency, verifyTrail } from "../../engine/ledgerCheck";
import { SignatureUnsupportedError, SIGNATURE_ALGORITHM, keyIdOf, toBase64, verifyTreeHead, type LedgerEntry, type ServerPublicKey, type SignedTreeHead } from "../../engine/treeHead";
import { hashAuditEntrySync } from "../hash";
import { nodeSha256 } from "../ledger";

const USAGE = `usage: npm run verify -- --workbook ID --head FILE [--trail FILE | --server URL --token T]
                         [--key FILE] [--out FILE] [--save-head FILE]
  --head FILE       a signed tree head saved earlier (JSON; a receipt or {"head": …} also works)
  --trail FILE      the downloaded trail: {"entries": [...]} or an array (offline check)
  --server URL      the API base, e.g. https://localhost:3001 (downloads trail, newest head, proof)
  --token T         a controller (or the owning planner's) token; or SEG_TOKEN in the environment
  --key FILE        trusted server key(s): JSON of "npm run token -- server-key", or PEM public keys
  --out FILE        write the downloaded trail and newest head, to check again offline later
  --save-head FILE  write the newest verified head, to pass as --head next time`;

class UsageError extends Error {}
class Failed extends Error {}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} ${file} is not JSON: ${(e as Error).message}`);
  }
}

function asHead(x: unknown, where: string): SignedTreeHead {
  const o = x as Record<string, unknown> | null;
  const h = (o && typeof o === "object" && "head" in o && o.head ? o.head : o) as Record<string, unknown> | null;
  const fields = ["workbookId", "treeSize", "rootHash", "timestamp", "keyId", "signature"];
  const missing = h && typeof h === "object" ? fields.filter((f) => !(f in h)) : fields;
  if (missing.length) throw new UsageError(`${where} is not a signed tree head (missing ${missing.join(", ")})`);
  return h as unknown as SignedTreeHead;
}

function readKeys(file: string): ServerPublicKey[] {
  const text = readFileSync(file, "utf8");
  if (!text.trimStart().startsWith("{") && text.includes("BEGIN PUBLIC KEY")) {
    return (text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []).map((pem) => {
      const der = createPublicKey(pem).export({ format: "der", type: "spki" });
      const raw = new Uint8Array(der.subarray(der.length - 32));
      return { keyId: keyIdOf(raw), algorithm: SIGNATURE_ALGORITHM, publicKey: toBase64(raw) };
    });
  }
  const j = readJson(file, "--key") as { current?: ServerPublicKey; retired?: ServerPublicKey[] } & Partial<ServerPublicKey>;
  const keys = j.current ? [j.current, ...(j.retired ?? [])] : j.publicKey ? [j as ServerPublicKey] : [];
  if (keys.length === 0) throw new UsageError(`--key ${file}: no key (expected {"current": {...}} or a PEM public key)`);
  return keys;
}

async function getJson(url: string, token: string | undefined): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (e) {
    throw new UsageError(`GET ${url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
    } catch {
      // not problem+json
    }
    throw new UsageError(`GET ${url}: ${res.status} ${detail}`);
  }
  return JSON.parse(text);
}

const say = (line: string) => console.log(line);

async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workbook: { type: "string" },
      head: { type: "string" },
      trail: { type: "string" },
      server: { type: "string" },
      token: { type: "string" },
      key: { type: "string" },
      out: { type: "string" },
      "save-head": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  const workbookId = values.workbook;
  if (!workbookId) throw new UsageError("--workbook is required");
  if (!values.head) throw new UsageError("--head is required (a tree head you saved earlier)");
  if (!values.trail === !values.server) throw new UsageError("give --trail FILE or --server URL (one of them)");
  const token = values.token ?? process.env.SEG_TOKEN;
  if (values.server && !token) throw new UsageError("--server needs --token (or SEG_TOKEN)");
  const base = values.server?.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  const api = `${base}/api/v1`;
  const wbUrl = `${api}/workbooks/${encodeURIComponent(workbookId)}`;

  const saved = asHead(readJson(values.head, "--head"), `--head ${values.head}`);
  if (saved.workbookId !== workbookId) throw new Failed(`the saved head is of workbook "${saved.workbookId}", not "${workbookId}"`);

  let keys: ServerPublicKey[];
  if (values.key) keys = readKeys(values.key);
  else if (base) {
    const published = (await getJson(`${api}/server-key`, undefined)) as { current: ServerPublicKey; retired: ServerPublicKey[] };
    keys = [published.current, ...published.retired];
    say(`note: trusting the key the server publishes now (id ${published.current.keyId}); pass --key to pin the one you saved`);
  } else throw new UsageError("--trail needs --key (the server key you trust: npm run token -- server-key)");

  // 1. The saved head.
  const s = await verifyTreeHead(saved, keys);
  if (!s.ok) throw new Failed(`saved head: ${s.reason}`);
  say(`ok   saved head: ${saved.treeSize} entries, root ${saved.rootHash.slice(0, 16)}…, signed ${saved.timestamp} by key ${saved.keyId.slice(0, 16)}…`);

  // 2. The trail, and the newest head when there is one.
  let entries: LedgerEntry[];
  let newest: SignedTreeHead | null = null;
  let proof: string[] | null = null;
  if (base) {
    newest = (await getJson(`${wbUrl}/audit/head`, token)) as SignedTreeHead;
    entries = [];
    let cursor: string | null = "0";
    while (cursor !== null) {
      const page = (await getJson(`${wbUrl}/audit?limit=5000&cursor=${cursor}`, token)) as { entries: LedgerEntry[]; nextCursor: string | null };
      entries.push(...page.entries);
      cursor = page.nextCursor;
    }
    if (newest.treeSize >= saved.treeSize) {
      const c = (await getJson(`${wbUrl}/audit/proofs/consistency?from=${saved.treeSize}&to=${newest.treeSize}`, token)) as { proof: string[] };
      proof = c.proof;
    }
    say(`     downloaded ${entries.length} entries and the newest head (${newest.treeSize} entries) from ${base}`);
  } else {
    const t = readJson(values.trail!, "--trail") as LedgerEntry[] | { entries?: LedgerEntry[]; head?: SignedTreeHead };
    entries = Array.isArray(t) ? t : (t.entries ?? []);
    if (!Array.isArray(t) && t.head) newest = asHead(t.head, `--trail ${values.trail} head`);
  }
  if (values.out) writeFileSync(values.out, JSON.stringify({ workbookId, head: newest, entries }, null, 1));

  if (newest) {
    const n = await verifyTreeHead(newest, keys);
    if (!n.ok) throw new Failed(`newest head: ${n.reason}`);
    if (proof) {
      const c = checkConsistency(saved, newest, proof, nodeSha256);
      if (!c.ok) throw new Failed(`consistency: ${c.reason}`);
      say(`ok   the server proves its newest head (${newest.treeSize} entries, ${newest.timestamp}) extends the saved one`);
    } else if (newest.treeSize < saved.treeSize) {
      throw new Failed(`the server's newest head has ${newest.treeSize} entries, fewer than the ${saved.treeSize} it signed at ${saved.timestamp}: it dropped history`);
    }
  }
  const heads = newest ? [saved, newest] : [saved];
  const trail = await verifyTrail(workbookId, entries, heads, { hash: nodeSha256, hashEntry: hashAuditEntrySync });
  if (!trail.ok) throw new Failed(`trail: ${trail.reason}`);
  say(`ok   the trail (${trail.count} entries) holds the ${saved.treeSize} entries of the saved head unchanged` + (newest ? ` and matches the newest head (${newest.treeSize})` : ""));
  if (values["save-head"] && newest) writeFileSync(values["save-head"], JSON.stringify(newest, null, 2));
  say(`VERIFIED workbook "${workbookId}": ${trail.count} entries, root ${trail.rootHash}`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    if (e instanceof Failed) {
      console.error(`FAILED: ${e.message}`);
      process.exit(1);
    }
    if (e instanceof SignatureUnsupportedError) console.error(`verify: ${e.message}`);
    else console.error(e instanceof UsageError || e.name === "TypeError" ? `verify: ${e.message}\n${USAGE}` : `verify: ${e.message}`);
    process.exit(2);
  },
);
