/* Tokens: who am I (any role), and token administration (admin). */
import { AUTH_ERRORS, Type, bearer, problems, ref, stringEnum, type Static } from "./common";
import { ROLES, TOKEN_NAME_PATTERN, UUID_PATTERN } from "./limits";

export const TokenRecord = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: stringEnum(ROLES),
    team: Type.Union([Type.String(), Type.Null()], { description: "The team whose mapping profiles the token shares; null: none." }),
    createdAt: Type.String(),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: "TokenRecord", additionalProperties: false },
);
export type TokenRecord = Static<typeof TokenRecord>;

export const MeResponse = Type.Object(
  { name: Type.String(), role: stringEnum(ROLES), team: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "The token's team (null: none; absent from servers before migration 22)." })), tokenId: Type.String() },
  { additionalProperties: false },
);
/** GET /api/v1/me */
export type Me = Static<typeof MeResponse>;

export const me = {
  tags: ["tokens"],
  summary: "Who the token belongs to (any role).",
  security: bearer,
  response: { 200: MeResponse, ...problems(...AUTH_ERRORS) },
};

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ pattern: TOKEN_NAME_PATTERN, description: "Person or system; planners own workbooks by this name." }),
    role: stringEnum(ROLES),
    team: Type.Optional(Type.String({ pattern: TOKEN_NAME_PATTERN, description: "The team the token belongs to: it reads and saves that team's mapping profiles." })),
  },
  { additionalProperties: false },
);
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const createToken = {
  tags: ["tokens"],
  summary: "Create a token (admin). The token is in this response only.",
  security: bearer,
  body: CreateTokenBody,
  response: {
    201: Type.Object({ token: Type.String(), record: ref(TokenRecord) }, { additionalProperties: false }),
    ...problems(...AUTH_ERRORS, 413, 415),
  },
};

export const listTokens = {
  tags: ["tokens"],
  summary: "All tokens, without secrets (admin).",
  security: bearer,
  response: {
    200: Type.Object({ tokens: Type.Array(ref(TokenRecord)) }, { additionalProperties: false }),
    ...problems(...AUTH_ERRORS),
  },
};

export const TokenParams = Type.Object({ tokenId: Type.String({ pattern: UUID_PATTERN }) }, { additionalProperties: false });

export const revokeToken = {
  tags: ["tokens"],
  summary: "Revoke a token (admin).",
  security: bearer,
  params: TokenParams,
  response: { 200: ref(TokenRecord), ...problems(...AUTH_ERRORS, 404) },
};
