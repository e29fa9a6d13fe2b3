/* JSON schemas of the verifiable-audit routes (routes/proofs.ts) and of the receipt an append returns. */
import { HASH_PATTERN, WORKBOOK_ID_PATTERN } from "./schemas";

const hex = { type: "string", pattern: HASH_PATTERN };
const ref = (id: string) => ({ $ref: `${id}#` });
const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, { ...ref("Problem"), description: `Problem (${c})` }]));
const AUTH_ERRORS = [400, 401, 403, 429, 500];
const bearer = [{ bearer: [] }];
const digits = (max: number, description: string) => ({ type: "string", pattern: `^[0-9]{1,${max}}$`, description });
const workbookParams = {
  type: "object",
  additionalProperties: false,
  properties: { workbookId: { type: "string", pattern: WORKBOOK_ID_PATTERN } },
  required: ["workbookId"],
};

const publishedKey = {
  type: "object",
  additionalProperties: false,
  properties: {
    keyId: { type: "string", description: "Lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo; every head names it." },
    algorithm: { type: "string", enum: ["Ed25519"] },
    publicKey: { type: "string", description: "The 32-byte public key, base64." },
    publicKeyPem: { type: "string", description: "The same key as SPKI PEM." },
  },
  required: ["keyId", "algorithm", "publicKey", "publicKeyPem"],
};

export const proofSharedSchemas = [
  {
    $id: "SignedTreeHead",
    type: "object",
    additionalProperties: false,
    description: "Signed tree head (seg-tree-head-v1, docs/audit-proofs.md): the root of the workbook's Merkle tree at a size.",
    properties: {
      workbookId: { type: "string" },
      treeSize: { type: "integer", description: "Entries covered (the first treeSize of the trail)." },
      rootHash: { ...hex, description: "RFC 6962 Merkle tree hash of their leaves, hex." },
      timestamp: { type: "string", description: "When the server signed it (ISO 8601 UTC)." },
      keyId: { type: "string", description: "The signing key (GET /api/v1/server-key)." },
      signature: { type: "string", description: "Ed25519 signature, base64." },
    },
    required: ["workbookId", "treeSize", "rootHash", "timestamp", "keyId", "signature"],
  },
  {
    $id: "BatchReceipt",
    type: "object",
    additionalProperties: false,
    description: "Signed receipt (seg-receipt-v1) of an accepted batch: the head after it, and sender and receive time of each entry it stored.",
    properties: {
      head: ref("SignedTreeHead"),
      entries: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          properties: {
            seq: { type: "integer" },
            entryId: { type: "string" },
            entryHash: hex,
            receivedBy: { type: "string" },
            receivedAt: { type: "string" },
          },
          required: ["seq", "entryId", "entryHash", "receivedBy", "receivedAt"],
        },
      },
      signature: { type: "string", description: "Ed25519 signature of the receipt, base64." },
    },
    required: ["head", "entries", "signature"],
  },
];

export const proofRouteSchemas = {
  serverKey: {
    tags: ["proofs"],
    summary: "The server's public signing key (and retired keys, so heads signed before a rotation verify). Public.",
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: { current: publishedKey, retired: { type: "array", items: publishedKey } },
        required: ["current", "retired"],
      },
    },
  },
  treeHead: {
    tags: ["proofs"],
    summary: "The signed tree head of a workbook's audit trail now (planner of the workbook, controller, admin).",
    security: bearer,
    params: workbookParams,
    response: { 200: ref("SignedTreeHead"), ...problems(...AUTH_ERRORS, 404) },
  },
  inclusionProof: {
    tags: ["proofs"],
    summary: "Inclusion proof (RFC 6962 §2.1.1) of entry seq in the tree of treeSize entries (default: now).",
    security: bearer,
    params: workbookParams,
    querystring: {
      type: "object",
      additionalProperties: false,
      properties: { seq: digits(15, "Entry position, from 1."), treeSize: digits(15, "Tree size (default: the current size).") },
      required: ["seq"],
    },
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: {
          seq: { type: "integer" },
          treeSize: { type: "integer" },
          leafHash: hex,
          proof: { type: "array", items: hex, description: "Audit path, leaf to root, hex." },
          head: { anyOf: [ref("SignedTreeHead"), { type: "null" }], description: "Signed head, when treeSize is the current size." },
        },
        required: ["seq", "treeSize", "leafHash", "proof", "head"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
  consistencyProof: {
    tags: ["proofs"],
    summary: "Consistency proof (RFC 6962 §2.1.2) that the tree of `from` entries is a prefix of the tree of `to` entries (default: now).",
    security: bearer,
    params: workbookParams,
    querystring: {
      type: "object",
      additionalProperties: false,
      properties: { from: digits(15, "Size of the older head."), to: digits(15, "Size of the newer tree (default: the current size).") },
      required: ["from"],
    },
    response: {
      200: {
        type: "object",
        additionalProperties: false,
        properties: {
          fromSize: { type: "integer" },
          toSize: { type: "integer" },
          proof: { type: "array", items: hex },
          head: { anyOf: [ref("SignedTreeHead"), { type: "null" }], description: "Signed head, when `to` is the current size." },
        },
        required: ["fromSize", "toSize", "proof", "head"],
      },
      ...problems(...AUTH_ERRORS, 404),
    },
  },
};
