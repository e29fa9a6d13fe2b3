/**
 * Building blocks of the API's schemas (TypeBox: JSON Schema whose static types are derived with
 * Static<>). Shared schemas carry an $id: the server registers them once (SHARED_SCHEMAS) and the
 * routes refer to them with ref(), which keeps the OpenAPI document's components.
 */
import { Type, type Static, type TSchema, type TUnsafe } from "typebox";
import { HASH_PATTERN, NO_NUL, WORKBOOK_ID_PATTERN } from "./limits";

export { Type, type Static, type TSchema };

export const text = (maxLength: number, description: string) => Type.String({ maxLength, pattern: NO_NUL, description });
export const hash = (description: string) => Type.String({ pattern: HASH_PATTERN, description });
export const workbookId = () =>
  Type.String({ pattern: WORKBOOK_ID_PATTERN, description: "Workbook id (the GUID kept in the workbook's settings): 1-128 letters, digits and . _ ~ -, starting with a letter or digit." });
/** A number or null, as one JSON type list (cheaper to serialise than anyOf). */
export const nullableNumber = (description: string, range: { minimum?: number; maximum?: number } = {}) =>
  Type.Unsafe<number | null>({ type: ["number", "null"], description, ...range });
export const nullableString = (description?: string) => Type.Unsafe<string | null>({ type: ["string", "null"], ...(description ? { description } : {}) });
/** One of the values, or null. */
export const nullableEnum = <T extends string>(values: readonly T[], extra: Record<string, unknown> = {}) =>
  Type.Unsafe<T | null>({ type: ["string", "null"], enum: [...values, null], ...extra });
export const stringEnum = <T extends string>(values: readonly T[], extra: Record<string, unknown> = {}) =>
  Type.Unsafe<T>({ type: "string", enum: [...values], ...extra });
/** Query-string numbers arrive as digit strings (no type coercion). */
export const digits = (max: number, description: string) => Type.String({ pattern: `^[0-9]{1,${max}}$`, description });

/** A reference to a shared schema by its $id, typed as that schema. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== "string") throw new Error("ref(): the schema has no $id");
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    entryId: Type.Optional(Type.String({ description: "The audit entry at fault, when there is one." })),
    index: Type.Optional(Type.Integer({ description: "Its position in the request's entries array." })),
    field: Type.Optional(Type.String({ description: "The request field at fault (validation errors)." })),
  },
  { $id: "Problem", description: "RFC 9457 problem details." },
);
/** RFC 9457 problem details as the server sends them (application/problem+json), extensions allowed. */
export type Problem = Static<typeof Problem> & { [extension: string]: unknown };

/** Problem responses for the given status codes. */
export function problems(...codes: number[]): Record<number, TUnsafe<Problem>> {
  return Object.fromEntries(codes.map((c) => [c, Type.Unsafe<Problem>({ $ref: "Problem#", description: `Problem (${c})` })]));
}
export const AUTH_ERRORS = [400, 401, 403, 429, 500];
export const bearer = [{ bearer: [] }];

export const WorkbookParams = Type.Object({ workbookId: workbookId() }, { additionalProperties: false });
