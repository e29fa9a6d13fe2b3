/* Liveness, readiness, the OpenAPI document and "who am I". */
import { PATHS, health, me, ready } from "../../api";
import { identity, READERS, type Api, type RouteContext } from "../context";
import { HttpProblem } from "../problem";

export function metaRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;
  api.get(PATHS.health, { schema: health, config: { access: "public", rateLimit: false } }, async () => ({ status: "ok" }));

  api.get(PATHS.ready, { schema: ready, config: { access: "public", rateLimit: false } }, async () => {
    try {
      await storage.ping();
    } catch (e) {
      throw new HttpProblem("not-ready", `the ${storage.kind} database does not answer: ${(e as Error).message}`);
    }
    return { status: "ready", storage: storage.kind };
  });

  api.get(PATHS.openapi, { schema: { hide: true }, config: { access: "public" } }, async () => api.swagger());

  api.get(PATHS.me, { schema: me, config: { access: READERS } }, async (req) => ({ ...identity(req) }));
}
