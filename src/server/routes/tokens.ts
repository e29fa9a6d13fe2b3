/* Token administration over HTTP (admin); the CLI (src/server/cli/token.ts) does the same offline. */
import type { FastifyInstance } from "fastify";
import type { RouteContext } from "../app";
import { issueToken } from "../auth";
import { HttpProblem } from "../problem";
import { routeSchemas } from "../schemas";
import type { Role } from "../storage/types";

export function tokenRoutes(api: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  api.post<{ Body: { name: string; role: Role } }>(
    "/tokens",
    { schema: routeSchemas.createToken, config: { access: ["admin"] } },
    async (req, reply) => {
      const issued = await issueToken(storage, req.body.name, req.body.role, ctx.now());
      return reply.code(201).header("Cache-Control", "no-store").send(issued);
    },
  );

  api.get("/tokens", { schema: routeSchemas.listTokens, config: { access: ["admin"] } }, async () => ({
    tokens: await storage.listTokens(),
  }));

  api.delete<{ Params: { tokenId: string } }>(
    "/tokens/:tokenId",
    { schema: routeSchemas.revokeToken, config: { access: ["admin"] } },
    async (req) => {
      const revoked = await storage.revokeToken(req.params.tokenId, ctx.now().toISOString());
      if (revoked.length === 0) throw new HttpProblem("not-found", `no active token with id ${req.params.tokenId}`);
      return revoked[0];
    },
  );
}
