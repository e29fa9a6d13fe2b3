/**
 * Typed HTTP client for the backend API (/api/v1): fetch with the bearer token, a time limit per
 * request (AbortController), and every failure turned into an ApiError whose message names the
 * cause and the fix. No retries here: the sync and publish services decide that (src/client/retry.ts).
 */
import { PATHS, fillPath, type Method } from "../api/paths";
import { ApiError, httpErrorMessage, networkErrorMessage, timeoutMessage } from "./errors";
import {
  API_PATH,
  type AppendResult,
  type ChangeRequest,
  type ChangeRequestInput,
  type MappingProfile,
  type MappingProfileInput,
  type CreateChangeRequestResponse,
  type Reconciliation,
  type ReconciliationInput,
  type RecordReconciliationResponse,
  type AuditEntry,
  type AuditPage,
  type Me,
  type Problem,
  type PublishResult,
  type SnapshotInput,
  type SnapshotMeta,
  type SnapshotPage,
  type ServerKeys,
  type VerifyResult,
  type WorkbookHead,
} from "./types";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ApiClientOptions {
  /** Server URL as typed in Settings, e.g. https://localhost:3001 (a trailing /api/v1 is accepted). */
  baseUrl: string;
  token: string;
  /** Time limit per request, ms (default 30 s). */
  timeoutMs?: number;
  fetch?: FetchLike;
  timers?: ClientTimers;
  /** Clock for Retry-After dates. */
  now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Every route this client calls (method and src/api path name); the contract test checks each
 * against the server's OpenAPI document.
 */
export const CLIENT_OPERATIONS = [
  { method: "GET", path: "me" },
  { method: "GET", path: "health" },
  { method: "POST", path: "audit" },
  { method: "GET", path: "workbook" },
  { method: "GET", path: "audit" },
  { method: "GET", path: "auditVerify" },
  { method: "POST", path: "snapshots" },
  { method: "GET", path: "snapshots" },
  { method: "GET", path: "snapshot" },
  { method: "GET", path: "serverKey" },
  { method: "GET", path: "consistencyProof" },
  { method: "POST", path: "reconciliations" },
  { method: "GET", path: "reconciliations" },
  { method: "GET", path: "reconciliation" },
  { method: "POST", path: "reconciliationApproval" },
  { method: "POST", path: "changeRequests" },
  { method: "GET", path: "changeRequests" },
  { method: "GET", path: "changeRequest" },
  { method: "POST", path: "changeRequestDecision" },
  { method: "POST", path: "mappingProfiles" },
  { method: "GET", path: "mappingProfiles" },
  { method: "DELETE", path: "mappingProfile" },
] as const satisfies readonly { method: Method; path: keyof typeof PATHS }[];

const wb = (pattern: string, workbookId: string) => fillPath(pattern, { workbookId });

/** Characters the server accepts in a bearer token (src/server/auth.ts bearerToken). */
const TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]+=*$/;

/**
 * The server's base URL from what the user typed: scheme, host, port and an optional path prefix,
 * without a trailing slash or /api/v1. Throws an ApiError ("config") saying what is wrong.
 */
export function normalizeServerUrl(input: string): string {
  const text = input.trim();
  if (!text) throw configError("Type the server URL, e.g. https://localhost:3001.");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`"${text}" is not a URL: type it with its scheme, e.g. https://localhost:3001.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError(`The server URL must start with https:// (or http:// outside Excel), not ${url.protocol}//.`);
  }
  if (url.username || url.password) throw configError("Leave user name and password out of the server URL: the token is the credential.");
  if (url.search || url.hash) throw configError("The server URL takes no query (?…) or fragment (#…).");
  let path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith(API_PATH)) path = path.slice(0, -API_PATH.length);
  return `${url.protocol}//${url.host}${path}`;
}

/** Throws a "config" ApiError when the token cannot be a server token. Returns it trimmed. */
export function checkToken(token: string): string {
  const t = token.trim();
  if (!t) throw configError("Paste the token (a planner token, created with: npm run token -- create --role planner --name <your name>).");
  if (!TOKEN_PATTERN.test(t)) throw configError("The token has characters a token never has (spaces, quotes or line breaks?): copy it again.");
  return t;
}

function configError(message: string): ApiError {
  return new ApiError({ kind: "config", message });
}

/** Retry-After as ms from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

function isProblem(x: unknown): x is Problem {
  const p = x as Problem;
  return !!p && typeof p === "object" && typeof p.status === "number" && typeof p.detail === "string" && typeof p.title === "string";
}

interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Send the bearer token (every /api route but the public ones). */
  auth?: boolean;
  timeoutMs?: number;
}

export class SegApiClient {
  readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: FetchLike;
  private readonly timers: ClientTimers;
  private readonly now: () => number;

  constructor(options: ApiClientOptions) {
    this.baseUrl = normalizeServerUrl(options.baseUrl);
    this.token = checkToken(options.token);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!options.fetch && typeof globalThis.fetch !== "function") throw configError("This browser offers no fetch: the pane cannot talk to the server.");
    // A browser's fetch must not be called as another object's method ("Illegal invocation"), so
    // the default looks it up at call time and calls it as a plain function.
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.now = options.now ?? (() => Date.now());
  }

  /** Who the token belongs to (any role). The "Test connection" button. */
  me(signal?: AbortSignal): Promise<Me> {
    return this.call<Me>("GET", PATHS.me, { signal }).then((r) => {
      if (typeof r.body?.name !== "string" || typeof r.body?.role !== "string") throw this.badShape("GET", PATHS.me, r.status);
      return r.body;
    });
  }

  /** Liveness, without a token. */
  async health(signal?: AbortSignal): Promise<{ status: string }> {
    return (await this.call<{ status: string }>("GET", PATHS.health, { signal, auth: false })).body;
  }

  /** Appends one contiguous run of the workbook's chain, in chain order (at most MAX_AUDIT_BATCH). */
  async appendAudit(workbookId: string, entries: readonly AuditEntry[], signal?: AbortSignal): Promise<AppendResult> {
    const path = wb(PATHS.audit, workbookId);
    const r = await this.call<Omit<AppendResult, "status">>("POST", path, { body: { entries }, signal });
    const b = r.body;
    if (!b || !Array.isArray(b.stored) || !Array.isArray(b.alreadyStored)) throw this.badShape("POST", path, r.status);
    return { status: r.status, stored: b.stored, alreadyStored: b.alreadyStored, entryCount: b.entryCount, lastHash: b.lastHash, receipt: b.receipt };
  }

  /** The server's signing keys (public, no token needed). */
  async serverKeys(signal?: AbortSignal): Promise<ServerKeys> {
    const path = PATHS.serverKey;
    const r = await this.call<ServerKeys>("GET", path, { signal, auth: false });
    if (!r.body?.current?.keyId) throw this.badShape("GET", path, r.status);
    return r.body;
  }

  /** Consistency proof that the workbook's tree of `from` entries is a prefix of the tree of `to` entries. */
  async consistencyProof(workbookId: string, from: number, to: number, signal?: AbortSignal): Promise<{ proof: string[] }> {
    const path = `${wb(PATHS.consistencyProof, workbookId)}?from=${from}&to=${to}`;
    const r = await this.call<{ proof: string[] }>("GET", path, { signal });
    if (!Array.isArray(r.body?.proof)) throw this.badShape("GET", path, r.status);
    return r.body;
  }

  /** The server's head for the workbook, or null when it holds nothing for it. */
  async getWorkbook(workbookId: string, signal?: AbortSignal): Promise<WorkbookHead | null> {
    try {
      return (await this.call<WorkbookHead>("GET", wb(PATHS.workbook, workbookId), { signal })).body;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.problem) return null;
      throw e;
    }
  }

  /** A page of the stored trail (chain order). */
  async listAudit(workbookId: string, query: Record<string, string> = {}, signal?: AbortSignal): Promise<AuditPage> {
    const qs = new URLSearchParams(query).toString();
    const path = `${wb(PATHS.audit, workbookId)}${qs ? `?${qs}` : ""}`;
    return (await this.call<AuditPage>("GET", path, { signal })).body;
  }

  /** Server-side chain check (controller or admin token). */
  async verifyAudit(workbookId: string, signal?: AbortSignal): Promise<VerifyResult> {
    return (await this.call<VerifyResult>("GET", wb(PATHS.auditVerify, workbookId), { signal })).body;
  }

  async publishSnapshot(workbookId: string, input: SnapshotInput, signal?: AbortSignal): Promise<PublishResult> {
    const path = wb(PATHS.snapshots, workbookId);
    const r = await this.call<Omit<PublishResult, "status">>("POST", path, { body: input, signal });
    if (!r.body || typeof r.body.created !== "boolean" || !r.body.snapshot) throw this.badShape("POST", path, r.status);
    return { status: r.status, created: r.body.created, snapshot: r.body.snapshot };
  }

  async listSnapshots(workbookId: string, signal?: AbortSignal): Promise<SnapshotMeta[]> {
    return (await this.call<{ snapshots: SnapshotMeta[] }>("GET", wb(PATHS.snapshots, workbookId), { signal })).body.snapshots;
  }

  /** A snapshot ("latest" or a model version) with one page of its items. */
  async getSnapshot(workbookId: string, modelVersion: string, query: { offset?: number; limit?: number; sku?: string } = {}, signal?: AbortSignal): Promise<SnapshotPage> {
    const q = new URLSearchParams();
    if (query.offset !== undefined) q.set("offset", String(query.offset));
    if (query.limit !== undefined) q.set("limit", String(query.limit));
    if (query.sku !== undefined) q.set("sku", query.sku);
    const qs = q.toString();
    const path = `${fillPath(PATHS.snapshot, { workbookId, modelVersion })}${qs ? `?${qs}` : ""}`;
    return (await this.call<SnapshotPage>("GET", path, { signal })).body;
  }

  // ---- controllers (issue 10): reconciliations and change requests ----

  /** Stores a reconciliation (planner owner or controller); idempotent by reconciliationId. */
  async recordReconciliation(workbookId: string, input: ReconciliationInput, signal?: AbortSignal): Promise<RecordReconciliationResponse & { status: number }> {
    const path = wb(PATHS.reconciliations, workbookId);
    const r = await this.call<RecordReconciliationResponse>("POST", path, { body: input, signal });
    if (!r.body || typeof r.body.created !== "boolean" || !r.body.reconciliation) throw this.badShape("POST", path, r.status);
    return { status: r.status, ...r.body };
  }

  async listReconciliations(workbookId: string, query: { modelVersion?: string; approved?: boolean } = {}, signal?: AbortSignal): Promise<Reconciliation[]> {
    const q = new URLSearchParams();
    if (query.modelVersion !== undefined) q.set("modelVersion", query.modelVersion);
    if (query.approved !== undefined) q.set("approved", String(query.approved));
    const qs = q.toString();
    return (await this.call<{ reconciliations: Reconciliation[] }>("GET", `${wb(PATHS.reconciliations, workbookId)}${qs ? `?${qs}` : ""}`, { signal })).body.reconciliations;
  }

  async getReconciliation(workbookId: string, reconciliationId: string, signal?: AbortSignal): Promise<Reconciliation> {
    return (await this.call<Reconciliation>("GET", fillPath(PATHS.reconciliation, { workbookId, reconciliationId }), { signal })).body;
  }

  /** A controller approves a reconciliation someone else recorded, with a comment. */
  async approveReconciliation(workbookId: string, reconciliationId: string, comment: string, signal?: AbortSignal): Promise<Reconciliation> {
    return (await this.call<Reconciliation>("POST", fillPath(PATHS.reconciliationApproval, { workbookId, reconciliationId }), { body: { comment }, signal })).body;
  }

  /** Records a change request before the Write (planner owner); idempotent by requestId. */
  async createChangeRequest(workbookId: string, input: ChangeRequestInput, signal?: AbortSignal): Promise<CreateChangeRequestResponse & { status: number }> {
    const path = wb(PATHS.changeRequests, workbookId);
    const r = await this.call<CreateChangeRequestResponse>("POST", path, { body: input, signal });
    if (!r.body || typeof r.body.created !== "boolean" || !r.body.changeRequest) throw this.badShape("POST", path, r.status);
    return { status: r.status, ...r.body };
  }

  async listChangeRequests(workbookId: string, status?: ChangeRequest["status"], signal?: AbortSignal): Promise<ChangeRequest[]> {
    const path = `${wb(PATHS.changeRequests, workbookId)}${status ? `?status=${status}` : ""}`;
    return (await this.call<{ changeRequests: ChangeRequest[] }>("GET", path, { signal })).body.changeRequests;
  }

  async getChangeRequest(workbookId: string, requestId: string, signal?: AbortSignal): Promise<ChangeRequest> {
    return (await this.call<ChangeRequest>("GET", fillPath(PATHS.changeRequest, { workbookId, requestId }), { signal })).body;
  }

  /** A controller approves or rejects a pending change request someone else made, with a comment. */
  async decideChangeRequest(workbookId: string, requestId: string, decision: "approve" | "reject", comment: string, signal?: AbortSignal): Promise<ChangeRequest> {
    return (await this.call<ChangeRequest>("POST", fillPath(PATHS.changeRequestDecision, { workbookId, requestId }), { body: { decision, comment }, signal })).body;
  }

  // ---- mapping profiles (issue 14): per user or team, reusable across workbooks ----

  /** Saves a profile: created (201), or a new revision of the one with the same scope and name (200). */
  async saveMappingProfile(input: MappingProfileInput, signal?: AbortSignal): Promise<{ created: boolean; mappingProfile: MappingProfile }> {
    return (await this.call<{ created: boolean; mappingProfile: MappingProfile }>("POST", PATHS.mappingProfiles, { body: input, signal })).body;
  }

  /** The caller's own profiles and its token's team's (`team`: that team's, for its members and admins). */
  async listMappingProfiles(query: { source?: string; team?: string } = {}, signal?: AbortSignal): Promise<MappingProfile[]> {
    const q = new URLSearchParams();
    if (query.source !== undefined) q.set("source", query.source);
    if (query.team !== undefined) q.set("team", query.team);
    const qs = q.toString();
    return (await this.call<{ mappingProfiles: MappingProfile[] }>("GET", `${PATHS.mappingProfiles}${qs ? `?${qs}` : ""}`, { signal })).body.mappingProfiles;
  }

  async deleteMappingProfile(profileId: string, signal?: AbortSignal): Promise<void> {
    await this.call("DELETE", fillPath(PATHS.mappingProfile, { profileId }), { signal });
  }

  private badShape(method: string, path: string, status: number): ApiError {
    return new ApiError({
      kind: "bad-response",
      status,
      message: `${this.baseUrl} answered ${method} ${path} (${status}) with something the segmentation server does not send: check the server URL in Settings.`,
    });
  }

  private async call<T>(method: Method, path: string, opts: CallOptions = {}): Promise<{ status: number; body: T }> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const outer = opts.signal;
    if (outer?.aborted) throw new ApiError({ kind: "aborted", message: "The request was cancelled." });
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = this.timers.setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    const onAbort = () => ctrl.abort();
    outer?.addEventListener("abort", onAbort, { once: true });
    const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
    if (opts.auth !== false) headers.authorization = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const failure = (cause: unknown): ApiError => {
      if (timedOut) return new ApiError({ kind: "timeout", message: timeoutMessage(this.baseUrl, timeoutMs), cause });
      if (outer?.aborted) return new ApiError({ kind: "aborted", message: "The request was cancelled.", cause });
      return new ApiError({ kind: "network", message: networkErrorMessage(this.baseUrl, cause), cause });
    };
    try {
      let res: Response;
      let text: string;
      try {
        const fetchFn = this.fetchFn; // called unbound, for a given browser fetch as well
        res = await fetchFn(this.baseUrl + path, {
          method,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: ctrl.signal,
        });
        text = await res.text();
      } catch (e) {
        throw failure(e);
      }
      let parsed: unknown = undefined;
      const type = res.headers.get("content-type") ?? "";
      if (/json/i.test(type) && text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
      }
      if (res.ok) {
        if (parsed === undefined) {
          throw new ApiError({
            kind: "bad-response",
            status: res.status,
            message: `${this.baseUrl} answered ${method} ${path} (${res.status}) without JSON: this does not look like the segmentation server; check the server URL in Settings.`,
          });
        }
        return { status: res.status, body: parsed as T };
      }
      const problem = isProblem(parsed) ? parsed : null;
      const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), this.now());
      const pathOnly = path.split("?")[0];
      throw new ApiError({
        kind: "http",
        status: res.status,
        problem,
        retryAfterMs,
        message: httpErrorMessage(this.baseUrl, method, pathOnly, res.status, problem, problem ? "" : text),
      });
    } finally {
      this.timers.clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    }
  }
}
