/**
 * buildServer: the Fastify application, without listening and without reading the environment
 * (main.ts does both). Used by main.ts, the tests and the ingest benchmark.
 */
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { SHARED_SCHEMAS } from "../api";
import { bearerToken, hashToken } from "./auth";
import { AuthFailureLimiter } from "./authLimit";
import type { Api, RouteContext } from "./context";
import { ephemeralServerKey, type ServerKey } from "./keys";
import { Ledger } from "./ledger";
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody, type ProblemBody } from "./problem";
import { RawBody } from "./publishPrepare";
import { checkRequestText } from "./requestText";
import { ROUTES } from "./routes";
import { isStorageUnavailable } from "./storage/errors";
import type { Storage } from "./storage/types";
import { AJV_CUSTOM_OPTIONS, validationProblem } from "./validation";

export { API_PREFIX } from "../api";
export type { Access, RouteContext } from "./context";
export const DEFAULT_CORS_ORIGINS = ["https://localhost:3000"];
export const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;
/** Snapshots carry every SKU (100,000 items is about 20 MB of JSON), so their route has its own limit. */
export const DEFAULT_SNAPSHOT_BODY_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT = { max: 1200, timeWindow: 60_000 };
/** Failed authentications (401) per client address per window before it gets 429. */
export const DEFAULT_AUTH_FAILURE_LIMIT = { max: 30, timeWindow: 60_000 };

export interface ServerOptions {
  storage: Storage;
  /** TLS key and certificate; omit (or null) for plain http (tests, benchmark). */
  https?: { key: string | Buffer; cert: string | Buffer } | null;
  /** Origins allowed by CORS (exact match). Default: https://localhost:3000. */
  corsOrigins?: string[];
  /** Largest request body in bytes (413 above). Default 5 MiB. */
  bodyLimit?: number;
  /** Largest snapshot publication in bytes. Default 64 MiB. */
  snapshotBodyLimit?: number;
  /** Requests per token (or per IP without a token) per window; false turns limiting off. */
  rateLimit?: { max: number; timeWindow: number } | false;
  /** Failed authentications per client address per window; false turns it off. Default: off when rateLimit is false, else 30 per minute. */
  authFailureLimit?: { max: number; timeWindow: number } | false;
  /** Fastify logger setting. Default off. */
  logger?: boolean | { level: string };
  /** Server clock (tests). */
  now?: () => Date;
  /** Key that signs tree heads and receipts (keys.ts); default: a key generated in memory. */
  serverKey?: ServerKey;
  /** The Merkle trees of the trails (ledger.ts); default: a new Ledger over storage and serverKey. */
  ledger?: Ledger;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const storage = options.storage;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const snapshotBodyLimit = options.snapshotBodyLimit ?? DEFAULT_SNAPSHOT_BODY_LIMIT;
  const now = options.now ?? (() => new Date());
  const ledger = options.ledger ?? new Ledger(storage, options.serverKey ?? ephemeralServerKey(), now);
  const ctx: RouteContext = { storage, now, snapshotBodyLimit, ledger };

  const app = fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: options.logger ?? false,
    bodyLimit,
    requestTimeout: 120_000,
    // Path parameters up to the schemas' 128 characters, percent-encoded (Fastify's default is 100).
    maxParamLength: 1200,
    // Errors found before routing are problem+json too: a bad percent-encoding, an over-long parameter…
    frameworkErrors: (err, req, reply) => {
      const body =
        err.code === "FST_ERR_BAD_URL"
          ? problemBody("validation", `the URL path ${JSON.stringify(req.url.split("?")[0].slice(0, 200))} is not valid percent-encoding`, { field: "url" })
          : err.code === "FST_ERR_MAX_PARAM_LENGTH"
            ? problemBody("uri-too-long", "a path parameter of the URL is too long (workbook ids and model versions are at most 128 characters)")
            : problemBody("internal", `unexpected server error (request ${req.id})`);
      void (reply as unknown as FastifyReply).code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
    },
    // …and errors of the HTTP parser, before Fastify sees a request (431 for huge headers).
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (err.code === "ECONNRESET" || !socket.writable) {
        socket.destroy();
        return;
      }
      const body =
        err.code === "HPE_HEADER_OVERFLOW"
          ? problemBody("headers-too-large", "the request's header fields are larger than the server accepts (16 KB)")
          : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
            ? problemBody("request-timeout", "the request was not received in time")
            : problemBody("bad-request", "the request is not valid HTTP");
      const text = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    },
    // Strict validation: unknown fields are errors (not silently dropped), no type coercion (validation.ts).
    ajv: { customOptions: { ...AJV_CUSTOM_OPTIONS } },
  }) as unknown as FastifyInstance;

  app.decorate("seg", ctx);
  if (options.https) {
    // Browsers that reached the API over HTTPS keep to HTTPS for a year (RFC 6797).
    app.addHook("onSend", async (_req, reply) => {
      reply.header("Strict-Transport-Security", "max-age=31536000");
    });
  }
  app.decorateRequest("identity", null);
  // JSON only: without this, text/plain bodies would be parsed as strings and fail later as a 400.
  app.removeContentTypeParser("text/plain");
  for (const s of SHARED_SCHEMAS) app.addSchema(s);

  // Fail at start-up, not in production, when a route forgets to say who may call it.
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url.startsWith("/api/") && !methods.every((m) => m === "OPTIONS" || m === "HEAD") && !route.config?.access) {
      throw new Error(`route ${methods.join(",")} ${route.url} does not declare config.access`);
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Supply Segmentation backend",
        version: "1.0.0",
        description: "Audit trail ingest and verification, segmentation snapshots, tokens. Errors are application/problem+json.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Token from `npm run token -- create`." } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  await app.register(cors, {
    origin: options.corsOrigins ?? DEFAULT_CORS_ORIGINS,
    methods: ["GET", "POST", "DELETE"],
    allowedHeaders: ["Authorization", "Content-Type"],
    exposedHeaders: ["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"],
    maxAge: 600,
  });

  if (options.rateLimit !== false) {
    const rl = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    await app.register(rateLimit, {
      max: rl.max,
      timeWindow: rl.timeWindow,
      // Per token (by its hash: the clear token is not kept in memory), else per client address.
      keyGenerator: (req) => {
        const token = bearerToken(req.headers.authorization);
        return token ? `t:${hashToken(token)}` : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req, context) =>
        // context.after is the time left, not the window: name both for what they are.
        new HttpProblem("rate-limited", `more than ${context.max} requests in ${formatWindow(rl.timeWindow)}; retry after ${Math.ceil(context.ttl / 1000)} s`),
    });
  }

  // Authentication and roles. Added to each route after the rate limiter's own hook (registered
  // above), so refused requests are counted too; failed authentications are also limited per address.
  const failureLimit = options.authFailureLimit ?? (options.rateLimit === false ? false : DEFAULT_AUTH_FAILURE_LIMIT);
  const failures = failureLimit ? new AuthFailureLimiter(failureLimit) : null;
  const unauthorized = (req: FastifyRequest, detail: string): HttpProblem => {
    failures?.record(req.ip);
    return new HttpProblem("unauthorized", detail);
  };
  const authenticate = async (req: FastifyRequest) => {
    const access = req.routeOptions.config?.access;
    if (!access || access === "public") return;
    const wait = failures?.blockedFor(req.ip) ?? 0;
    if (wait > 0) {
      throw new HttpProblem(
        "rate-limited",
        `more than ${failures!.limit.max} failed authentications from this address in ${formatWindow(failures!.limit.timeWindow)}; retry after ${Math.ceil(wait / 1000)} s`,
        { retryAfterSeconds: Math.ceil(wait / 1000) },
      );
    }
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized(req, 'no bearer token: send the header "Authorization: Bearer <token>"');
    const rec = await storage.findTokenByHash(hashToken(token));
    if (!rec) throw unauthorized(req, "the bearer token is not recognised");
    if (rec.revokedAt) throw unauthorized(req, `the bearer token was revoked at ${rec.revokedAt}`);
    if (!access.includes(rec.role)) {
      throw new HttpProblem("forbidden", `role "${rec.role}" may not call ${req.method} ${req.routeOptions.url}; allowed: ${access.join(", ")}`);
    }
    req.identity = { tokenId: rec.id, name: rec.name, role: rec.role, team: rec.team };
  };
  app.addHook("onRoute", (route) => {
    const hooks = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...hooks, authenticate];
  });

  // Before schema validation: what JSON Schema cannot say about text (src/server/requestText.ts).
  app.addHook("preValidation", async (req: FastifyRequest) => {
    checkRequestText("params", req.params);
    checkRequestText("querystring", req.query);
    // A snapshot publication's raw body is checked where it is parsed (publishPrepare.ts).
    if (req.body !== undefined && !(req.body instanceof RawBody)) checkRequestText("body", req.body);
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const limit = req.routeOptions.bodyLimit ?? bodyLimit;
    const body = toProblem(err, req, limit);
    if (body.status >= 500) req.log.error({ err }, "request failed");
    if (body.status === 401) reply.header("WWW-Authenticate", 'Bearer realm="seg"');
    if (typeof body.retryAfterSeconds === "number") {
      reply.header("Retry-After", String(body.retryAfterSeconds));
      delete body.retryAfterSeconds;
    }
    return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  });

  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problemBody("not-found", `no route ${req.method} ${req.url.split("?")[0]}`)),
  );

  const api = app.withTypeProvider() as unknown as Api;
  for (const register of ROUTES) register(api, ctx);

  app.addHook("onClose", async () => {
    await storage.close();
  });
  return app;
}

/** Turns any error reaching the handler into a problem body. */
function toProblem(err: FastifyError, req: FastifyRequest, bodyLimit: number): ProblemBody {
  if (err instanceof HttpProblem) return err.toBody();
  if (isStorageUnavailable(err)) {
    // Logged with its cause; the answer names no host or port.
    return problemBody(
      "storage-unavailable",
      `the database did not answer in time (request ${req.id}); nothing was changed by this request, retry later`,
      { retryAfterSeconds: 5 },
    );
  }
  if (err.validation) return validationProblem(err.validation[0], err.validationContext ?? "body", req.body);
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return problemBody("body-too-large", `the request body exceeds the limit of ${bodyLimit} bytes; send smaller batches`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return problemBody(
        "unsupported-media-type",
        `content-type "${req.headers["content-type"] ?? ""}" is not accepted; send application/json`,
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return problemBody("malformed-json", "the body is empty but content-type is application/json");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return problemBody("malformed-json", "the body is not valid JSON");
  }
  if (err instanceof SyntaxError || err.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH") {
    return problemBody("malformed-json", `the body could not be read as JSON: ${err.message}`);
  }
  const status = typeof err.statusCode === "number" ? err.statusCode : 500;
  if (status === 429) return problemBody("rate-limited", err.message);
  if (status >= 400 && status < 500) {
    return { type: "about:blank", title: STATUS_CODES[status] ?? "Client error", status, detail: err.message };
  }
  return problemBody(
    "internal",
    `unexpected server error (request ${req.id}); writes are transactional and idempotent, so the request can be retried`,
  );
}

/** "1 min", "30 s", "2 h" for a window in ms. */
export function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
