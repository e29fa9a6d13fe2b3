/* Token administration over HTTP (admin); the CLI (src/server/cli/token.ts) does the same offline. */
import { PATHS, createToken, listTokens, revokeToken } from "../../api";
import { issueToken } from "../auth";
import type { Api, RouteContext } from "../context";
import { HttpProblem } from "../problem";

export function tokenRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;

  api.post(PATHS.tokens, { schema: createToken, config: { access: ["admin"] } }, async (req, reply) => {
    const issued = await issueToken(storage, req.body.name, req.body.role, ctx.now(), req.body.team ?? null);
    return reply.code(201).header("Cache-Control", "no-store").send(issued);
  });

  api.get(PATHS.tokens, { schema: listTokens, config: { access: ["admin"] } }, async () => ({
    tokens: await storage.listTokens(),
  }));

  api.delete(PATHS.token, { schema: revokeToken, config: { access: ["admin"] } }, async (req) => {
    const revoked = await storage.revokeToken(req.params.tokenId, ctx.now().toISOString());
    if (revoked.length === 0) throw new HttpProblem("not-found", `no active token with id ${req.params.tokenId}`);
    return revoked[0];
  });
}
