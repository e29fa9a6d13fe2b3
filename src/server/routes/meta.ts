/* Liveness, readiness, the OpenAPI document and "who am I". */
import { PATHS, health, me, ready } from "../../api";
import { identity, READERS, type Api, type RouteContext } from "../context";
import { HttpProblem } from "../problem";

export function metaRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;
  api.get(PATHS.health, { schema: health, config: { access: "public", rateLimit: false } }, async () => ({ status: "ok" }));

  api.get(PATHS.ready, { schema: ready, config: { access: "public", rateLimit: false } }, async (req) => {
    try {
      await storage.ping();
    } catch (e) {
      // Anonymous callers learn that the database does not answer, not where it is (the log says).
      req.log.error({ err: e }, "readiness check failed");
      throw new HttpProblem("not-ready", `the ${storage.kind} database does not answer (the server log has the cause)`, { retryAfterSeconds: 5 });
    }
    return { status: "ready", storage: storage.kind };
  });

  api.get(PATHS.openapi, { schema: { hide: true }, config: { access: "public" } }, async () => api.swagger());

  api.get(PATHS.me, { schema: me, config: { access: READERS } }, async (req) => ({ ...identity(req) }));
}
