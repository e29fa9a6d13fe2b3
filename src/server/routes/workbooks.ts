/* Workbook heads: what the server holds for each workbook (the sync client reads its own). */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app";
import { routeSchemas } from "../schemas";
import { readableWorkbook } from "./audit";

export function workbookRoutes(api: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;
  const readers = ["planner", "controller", "admin"] as const;

  api.get("/workbooks", { schema: routeSchemas.listWorkbooks, config: { access: readers } }, async (req) => {
    const who = req.identity!;
    return { workbooks: await storage.listWorkbooks(who.role === "planner" ? who.name : undefined) };
  });

  api.get<{ Params: { workbookId: string } }>(
    "/workbooks/:workbookId",
    { schema: routeSchemas.getWorkbook, config: { access: readers } },
    async (req) => readableWorkbook(storage, req.identity!, req.params.workbookId),
  );
}
