/**
 * The server's Ed25519 signing key (Node's crypto), which signs tree heads and batch receipts
 * (src/engine/treeHead.ts). Loaded from SEG_SIGNING_KEY_FILE (PKCS#8 PEM), default
 * <SEG_DATA_DIR>/server-signing-key.pem, generated there on first start with mode 0600.
 * Rotation (docs/audit-proofs.md): every head names its key (keyId); the retired public keys
 * listed in SEG_RETIRED_PUBLIC_KEYS (a PEM file of SPKI public keys) stay published at
 * GET /api/v1/server-key, so heads signed before a rotation still verify.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SIGNATURE_ALGORITHM, keyIdOf, toBase64, type ServerPublicKey } from "../engine/treeHead";

export const SIGNING_KEY_FILE_NAME = "server-signing-key.pem";

export const KEY_ENV_VARS = {
  SEG_SIGNING_KEY_FILE: `Ed25519 private key (PKCS#8 PEM) that signs tree heads and receipts (default <SEG_DATA_DIR>/${SIGNING_KEY_FILE_NAME}, created on first start, mode 0600)`,
  SEG_RETIRED_PUBLIC_KEYS: "PEM file of earlier public keys, still published so heads signed before a key rotation verify",
} as const;

export interface PublishedKey extends ServerPublicKey {
  /** SPKI PEM, for openssl and other tools. */
  publicKeyPem: string;
}

export interface ServerKey {
  readonly current: PublishedKey;
  /** Retired keys, still published. */
  readonly retired: readonly PublishedKey[];
  /** Where the private key came from ("memory" for a generated test key). */
  readonly source: string;
  /** Ed25519 signature of `message`, base64. */
  sign(message: Uint8Array): string;
}

function publish(pub: KeyObject): PublishedKey {
  const der = pub.export({ format: "der", type: "spki" });
  const raw = new Uint8Array(der.subarray(der.length - 32));
  return {
    keyId: keyIdOf(raw),
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: toBase64(raw),
    publicKeyPem: String(pub.export({ format: "pem", type: "spki" })),
  };
}

function fromPrivate(privateKey: KeyObject, source: string, retired: readonly PublishedKey[]): ServerKey {
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`${source}: expected an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? "unknown"}`);
  const current = publish(createPublicKey(privateKey));
  return {
    current,
    retired: retired.filter((k) => k.keyId !== current.keyId),
    source,
    sign: (message) => sign(null, message, privateKey).toString("base64"),
  };
}

/** A key held only in memory (tests, benchmark). */
export function ephemeralServerKey(): ServerKey {
  return fromPrivate(generateKeyPairSync("ed25519").privateKey, "memory", []);
}

/** Every public key in a PEM file (several BEGIN PUBLIC KEY blocks). */
export function readPublicKeys(file: string): PublishedKey[] {
  const text = readFileSync(file, "utf8");
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`${file}: no "BEGIN PUBLIC KEY" block`);
  return blocks.map((b, i) => {
    const k = createPublicKey(b);
    if (k.asymmetricKeyType !== "ed25519") throw new Error(`${file}: key ${i + 1} is not Ed25519`);
    return publish(k);
  });
}

/**
 * The signing key from the environment: SEG_SIGNING_KEY_FILE, else <dataDir>/server-signing-key.pem,
 * created (mode 0600, never overwritten) when missing. `created` says whether it was made now.
 */
export function loadServerKey(env: NodeJS.ProcessEnv, dataDir: string): { key: ServerKey; created: boolean; warning?: string } {
  const file = path.resolve(env.SEG_SIGNING_KEY_FILE?.trim() || path.join(dataDir, SIGNING_KEY_FILE_NAME));
  const retiredFile = env.SEG_RETIRED_PUBLIC_KEYS?.trim();
  const retired = retiredFile ? readPublicKeys(retiredFile) : [];
  let created = false;
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`SEG_SIGNING_KEY_FILE ${file}: ${(e as Error).message}`);
    mkdirSync(path.dirname(file), { recursive: true });
    pem = String(generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }));
    try {
      // "wx": never overwrite a key another process wrote meanwhile; mode 0600 (owner only).
      writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
      chmodSync(file, 0o600); // the umask cannot widen it, but be explicit
      created = true;
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot write the signing key to ${file}: ${(w as Error).message}`);
      pem = readFileSync(file, "utf8");
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    throw new Error(`SEG_SIGNING_KEY_FILE ${file}: not a PEM private key (${(e as Error).message})`);
  }
  let warning: string | undefined;
  if (process.platform !== "win32" && (statSync(file).mode & 0o077) !== 0) {
    warning = `the signing key ${file} is readable by other users (mode ${(statSync(file).mode & 0o777).toString(8)}); chmod 600 it`;
  }
  return { key: fromPrivate(privateKey, file, retired), created, warning };
}
