/**
 * What every route gets from the server, without importing app.ts or a sibling route: the storage,
 * the clock and limits (RouteContext, also decorated on the instance as `api.seg`), the caller's
 * identity (`req.identity`, set by the access hook in app.ts from the route's `config.access`), and
 * the access rules that are about objects rather than roles (readableWorkbook).
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { Role } from "../api";
import type { Ledger } from "./ledger";
import { HttpProblem } from "./problem";
import type { Identity, Storage, WorkbookHead } from "./storage/types";

/** Who may call a route: "public", or the roles allowed. Every /api route declares it in config.access. */
export type Access = "public" | readonly Role[];

export interface RouteContext {
  storage: Storage;
  now: () => Date;
  snapshotBodyLimit: number;
  /** Merkle trees, signed heads, receipts and proofs (ledger.ts, docs/audit-proofs.md). */
  ledger: Ledger;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The route context (storage, clock, limits). */
    seg: RouteContext;
  }
  interface FastifyRequest {
    identity: Identity | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** The instance a route module receives: request and reply types come from the src/api schemas. */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A route file's export: registers its routes (full paths from src/api PATHS) on `api`. */
export type RouteModule = (api: Api, ctx: RouteContext) => void;

/** Everyone with a token. */
export const READERS = ["planner", "controller", "admin"] as const satisfies readonly Role[];

/** The caller's identity on a route whose config.access is not "public". */
export function identity(req: { identity: Identity | null }): Identity {
  if (!req.identity) throw new HttpProblem("unauthorized", "no identity on a route that requires a token");
  return req.identity;
}

/**
 * The workbook, if this identity may read it: controllers and admins read all, planners their own.
 * Another planner's workbook answers exactly as a missing one (404, same words), so workbook ids
 * cannot be probed by reading.
 */
export async function readableWorkbook(storage: Storage, who: Identity, workbookId: string): Promise<WorkbookHead> {
  const head = await storage.getWorkbook(workbookId);
  if (!head || (who.role === "planner" && head.owner !== who.name)) {
    throw new HttpProblem("not-found", `workbook "${workbookId}" was not found: this server holds no audit entries or snapshots of it that this token may read`);
  }
  return head;
}
