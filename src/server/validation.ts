/**
 * Request validation shared by the Fastify application (app.ts) and the snapshot publication, which
 * validates its body itself, off the event loop (publishPrepare.ts, issue 8 defect 15): one copy of
 * the Ajv options and of the mapping from an Ajv error to a problem naming the field.
 *
 * The compiler is @fastify/ajv-compiler, the one Fastify itself uses (a dependency of fastify, same
 * version), with Fastify's defaults plus AJV_CUSTOM_OPTIONS and the shared schemas of src/api, so a
 * schema validated here accepts and rejects exactly what the application's validation does.
 */
import AjvCompiler from "@fastify/ajv-compiler";
import { SHARED_SCHEMAS } from "../api";
import { problemBody, type ProblemBody } from "./problem";

/** Strict validation: unknown fields are errors (not silently dropped), no type coercion. */
export const AJV_CUSTOM_OPTIONS = { removeAdditional: false, coerceTypes: false, allowUnionTypes: true } as const;

/** The part of an Ajv error the problem mapping reads. */
export interface ValidationError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}

export type Validator = ((data: unknown) => boolean) & { errors?: ValidationError[] | null };

let build: ((route: { schema: object; httpPart?: string }) => Validator) | null = null;

/** Compiles a route schema the way the application does (shared schemas resolvable by $ref). */
export function compileSchema(schema: object, httpPart?: string): Validator {
  if (!build) {
    const externals = Object.fromEntries(SHARED_SCHEMAS.map((s) => [String((s as { $id?: string }).$id), s]));
    build = AjvCompiler()(externals as Record<string, object>, { customOptions: { ...AJV_CUSTOM_OPTIONS } }) as unknown as typeof build;
  }
  return build!({ schema, httpPart });
}

/** Names the field at fault, e.g. `body.entries[3].action must be equal to one of the allowed values`. */
export function validationProblem(v: ValidationError, part: string, body: unknown): ProblemBody {
  const segments = v.instancePath.split("/").filter(Boolean);
  let field: string = part;
  for (const s of segments) field += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  const params = v.params as Record<string, unknown>;
  let what: string;
  if (v.keyword === "additionalProperties") {
    const name = String(params.additionalProperty);
    field = `${field}.${name}`;
    what = "is not a known field";
  } else if (v.keyword === "required") {
    const name = String(params.missingProperty);
    field = `${field}.${name}`;
    what = "is required";
  } else if (v.keyword === "enum") {
    what = `must be one of: ${(params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}`;
  } else {
    what = v.message ?? "is invalid";
  }
  const ext: Record<string, unknown> = { field };
  // Name the audit entry too when the fault is inside one.
  const m = /^\/entries\/(\d+)/.exec(v.instancePath);
  let entryNote = "";
  if (part === "body" && m) {
    const index = Number(m[1]);
    ext.index = index;
    const id = (body as { entries?: { entryId?: unknown }[] } | undefined)?.entries?.[index]?.entryId;
    if (typeof id === "string") {
      ext.entryId = id;
      entryNote = ` (entry ${id})`;
    }
  }
  return problemBody("validation", `${field} ${what}${entryNote}`, ext);
}
