/* Workbook heads: what the server holds for each workbook (the sync client reads its own). */
import { PATHS, getWorkbook, listWorkbooks } from "../../api";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";

export function workbookRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;

  api.get(PATHS.workbooks, { schema: listWorkbooks, config: { access: READERS } }, async (req) => {
    const who = identity(req);
    return { workbooks: await storage.listWorkbooks(who.role === "planner" ? who.name : undefined) };
  });

  api.get(PATHS.workbook, { schema: getWorkbook, config: { access: READERS } }, async (req) =>
    readableWorkbook(storage, identity(req), req.params.workbookId),
  );
}
