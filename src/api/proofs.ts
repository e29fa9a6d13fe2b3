/*
 * Verifiable audit (docs/audit-proofs.md): the server key, signed tree heads, batch receipts,
 * inclusion and consistency proofs. The formats are the engine's (src/engine/treeHead.ts,
 * merkle.ts), which is where a client checks them, so the static types are the engine's and the
 * schemas describe exactly those shapes.
 */
import type { BatchReceipt as EngineBatchReceipt, ServerPublicKey, SignedTreeHead as EngineSignedTreeHead } from "../engine/treeHead";
import { AUTH_ERRORS, Type, WorkbookParams, bearer, digits, hash, problems, ref, type Static } from "./common";

const publishedKey = Type.Unsafe<ServerPublicKey>({
  type: "object",
  additionalProperties: false,
  properties: {
    keyId: { type: "string", description: "Lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo; every head names it." },
    algorithm: { type: "string", enum: ["Ed25519"] },
    publicKey: { type: "string", description: "The 32-byte public key, base64." },
    publicKeyPem: { type: "string", description: "The same key as SPKI PEM." },
  },
  required: ["keyId", "algorithm", "publicKey", "publicKeyPem"],
});

export const SignedTreeHead = Type.Unsafe<EngineSignedTreeHead>({
  $id: "SignedTreeHead",
  type: "object",
  additionalProperties: false,
  description: "Signed tree head (seg-tree-head-v1, docs/audit-proofs.md): the root of the workbook's Merkle tree at a size.",
  properties: {
    workbookId: { type: "string" },
    treeSize: { type: "integer", description: "Entries covered (the first treeSize of the trail)." },
    rootHash: hash("RFC 6962 Merkle tree hash of their leaves, hex."),
    timestamp: { type: "string", description: "When the server signed it (ISO 8601 UTC)." },
    keyId: { type: "string", description: "The signing key (GET /api/v1/server-key)." },
    signature: { type: "string", description: "Ed25519 signature, base64." },
  },
  required: ["workbookId", "treeSize", "rootHash", "timestamp", "keyId", "signature"],
});
export type SignedTreeHead = Static<typeof SignedTreeHead>;

export const BatchReceipt = Type.Unsafe<EngineBatchReceipt>({
  $id: "BatchReceipt",
  type: "object",
  additionalProperties: false,
  description: "Signed receipt (seg-receipt-v1) of an accepted batch: the head after it, and sender and receive time of each entry it stored.",
  properties: {
    head: { $ref: "SignedTreeHead#" },
    entries: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        properties: {
          seq: { type: "integer" },
          entryId: { type: "string" },
          entryHash: hash("entryHash of the stored entry."),
          receivedBy: { type: "string" },
          receivedAt: { type: "string" },
        },
        required: ["seq", "entryId", "entryHash", "receivedBy", "receivedAt"],
      },
    },
    signature: { type: "string", description: "Ed25519 signature of the receipt, base64." },
  },
  required: ["head", "entries", "signature"],
});
export type BatchReceipt = Static<typeof BatchReceipt>;

export const ServerKeys = Type.Object({ current: publishedKey, retired: Type.Array(publishedKey) }, { additionalProperties: false });
export type ServerKeys = Static<typeof ServerKeys>;

const headOrNull = (description: string) => Type.Unsafe<EngineSignedTreeHead | null>({ anyOf: [{ $ref: "SignedTreeHead#" }, { type: "null" }], description });

export const InclusionProof = Type.Object(
  {
    seq: Type.Integer(),
    treeSize: Type.Integer(),
    leafHash: hash("The entry's leaf hash, hex."),
    proof: Type.Array(hash("A node of the audit path."), { description: "Audit path, leaf to root, hex." }),
    head: headOrNull("Signed head, when treeSize is the current size."),
  },
  { additionalProperties: false },
);
export type InclusionProof = Static<typeof InclusionProof>;

export const ConsistencyProof = Type.Object(
  {
    fromSize: Type.Integer(),
    toSize: Type.Integer(),
    proof: Type.Array(hash("A node of the proof.")),
    head: headOrNull("Signed head, when `to` is the current size."),
  },
  { additionalProperties: false },
);
export type ConsistencyProof = Static<typeof ConsistencyProof>;

export const serverKey = {
  tags: ["proofs"],
  summary: "The server's public signing key (and retired keys, so heads signed before a rotation verify). Public.",
  response: { 200: ServerKeys },
};

export const treeHead = {
  tags: ["proofs"],
  summary: "The signed tree head of a workbook's audit trail now (planner of the workbook, controller, admin).",
  security: bearer,
  params: WorkbookParams,
  response: { 200: ref(SignedTreeHead), ...problems(...AUTH_ERRORS, 404) },
};

export const inclusionProof = {
  tags: ["proofs"],
  summary: "Inclusion proof (RFC 6962 §2.1.1) of entry seq in the tree of treeSize entries (default: now).",
  security: bearer,
  params: WorkbookParams,
  querystring: Type.Object(
    { seq: digits(15, "Entry position, from 1."), treeSize: Type.Optional(digits(15, "Tree size (default: the current size).")) },
    { additionalProperties: false },
  ),
  response: { 200: InclusionProof, ...problems(...AUTH_ERRORS, 404) },
};

export const consistencyProof = {
  tags: ["proofs"],
  summary: "Consistency proof (RFC 6962 §2.1.2) that the tree of `from` entries is a prefix of the tree of `to` entries (default: now).",
  security: bearer,
  params: WorkbookParams,
  querystring: Type.Object(
    { from: digits(15, "Size of the older head."), to: Type.Optional(digits(15, "Size of the newer tree (default: the current size).")) },
    { additionalProperties: false },
  ),
  response: { 200: ConsistencyProof, ...problems(...AUTH_ERRORS, 404) },
};
