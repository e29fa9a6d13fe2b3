/* The server signing key (src/server/keys.ts): generated once with mode 0600 and then reused,
   retired public keys published beside it, bad files named. */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { keyIdOf, fromBase64, treeHeadBytes, verifyTreeHead } from "../../src/engine/treeHead";
import { SIGNING_KEY_FILE_NAME, ephemeralServerKey, loadServerKey } from "../../src/server/keys";

describe("server signing key", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "seg-keys-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("created on first load with mode 0600, reused afterwards; its id is derived from the key", () => {
    const data = path.join(dir, "data");
    const first = loadServerKey({}, data);
    expect(first.created).toBe(true);
    const file = path.join(data, SIGNING_KEY_FILE_NAME);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadServerKey({}, data);
    expect(again.created).toBe(false);
    expect(again.key.current).toEqual(first.key.current);
    expect(keyIdOf(fromBase64(first.key.current.publicKey))).toBe(first.key.current.keyId);
    expect(again.warning).toBeUndefined();
  });

  test("signatures made with it verify with the engine", async () => {
    const k = ephemeralServerKey();
    const head = { workbookId: "wb", treeSize: 0, rootHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", timestamp: "2026-11-25T00:00:00.000Z", keyId: k.current.keyId };
    expect(await verifyTreeHead({ ...head, signature: k.sign(treeHeadBytes(head)) }, [k.current])).toEqual({ ok: true });
  });

  test("SEG_SIGNING_KEY_FILE and SEG_RETIRED_PUBLIC_KEYS: retired keys are published, the current one is not listed twice", () => {
    const old = ephemeralServerKey();
    const current = generateKeyPairSync("ed25519").privateKey;
    const keyFile = path.join(dir, "current.pem");
    writeFileSync(keyFile, String(current.export({ format: "pem", type: "pkcs8" })), { mode: 0o600 });
    const loaded = loadServerKey({ SEG_SIGNING_KEY_FILE: keyFile }, dir);
    const retiredFile = path.join(dir, "retired.pem");
    writeFileSync(retiredFile, old.current.publicKeyPem + loaded.key.current.publicKeyPem);
    const withRetired = loadServerKey({ SEG_SIGNING_KEY_FILE: keyFile, SEG_RETIRED_PUBLIC_KEYS: retiredFile }, dir);
    expect(withRetired.created).toBe(false);
    expect(withRetired.key.retired.map((k) => k.keyId)).toEqual([old.current.keyId]);
  });

  test("a key readable by others is reported; a file that is not an Ed25519 key is named", () => {
    if (process.platform === "win32") return;
    const keyFile = path.join(dir, "loose.pem");
    writeFileSync(keyFile, String(generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" })));
    chmodSync(keyFile, 0o644);
    expect(loadServerKey({ SEG_SIGNING_KEY_FILE: keyFile }, dir).warning).toMatch(/readable by other users \(mode 644\)/);
    const rsa = path.join(dir, "rsa.pem");
    writeFileSync(rsa, String(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" })), { mode: 0o600 });
    expect(() => loadServerKey({ SEG_SIGNING_KEY_FILE: rsa }, dir)).toThrow(/expected an Ed25519 private key, got rsa/);
    const junk = path.join(dir, "junk.pem");
    writeFileSync(junk, "not a key", { mode: 0o600 });
    expect(() => loadServerKey({ SEG_SIGNING_KEY_FILE: junk }, dir)).toThrow(/junk\.pem: not a PEM private key/);
  });
});
