/**
 * Every way a call to the backend can fail, as one error class whose message says what happened
 * and what to do about it (it is shown in the pane as is), plus whether trying again can help.
 */
import type { Problem } from "./types";

export type ApiErrorKind =
  /** No connection: server down, wrong host or port, TLS certificate not trusted, CORS refused. */
  | "network"
  /** No answer within the client's time limit. */
  | "timeout"
  /** The caller cancelled (the pane closed, the service was disposed). */
  | "aborted"
  /** The server answered with an error status. */
  | "http"
  /** The server answered something that is not what the API sends (probably not the SEG server). */
  | "bad-response"
  /** The settings are not usable (no URL, malformed URL, no token). */
  | "config";

/** The short name of a problem type, e.g. "broken-chain" for urn:seg:problem:broken-chain. */
export function problemKind(problem: Problem | null | undefined): string | null {
  if (!problem || typeof problem.type !== "string") return null;
  const m = /^urn:seg:problem:(.+)$/.exec(problem.type);
  return m ? m[1] : null;
}

export interface ApiErrorInit {
  kind: ApiErrorKind;
  message: string;
  status?: number | null;
  problem?: Problem | null;
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status when the server answered. */
  readonly status: number | null;
  readonly problem: Problem | null;
  /** From the Retry-After header (429, 503), in ms. */
  readonly retryAfterMs: number | null;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = "ApiError";
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.problem = init.problem ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
  }

  /**
   * Whether the same request may succeed later without anyone changing anything: no connection,
   * no answer in time, 408, 429 and every 5xx. Other 4xx need a fix (token, URL, data) first.
   */
  get retryable(): boolean {
    if (this.kind === "network" || this.kind === "timeout") return true;
    if (this.kind === "http" || this.kind === "bad-response") {
      const s = this.status ?? 0;
      return s === 408 || s === 429 || s >= 500;
    }
    return false;
  }

  /** The server's own words, when it sent a problem document. */
  get detail(): string | null {
    return this.problem?.detail ?? null;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const TOKEN_HINT = "an admin creates one with: npm run token -- create --role planner --name <your name>";

/** The pane's message for an error answer from the server. */
export function httpErrorMessage(base: string, method: string, path: string, status: number, problem: Problem | null, bodyText: string): string {
  const detail = (problem?.detail ?? (bodyText.trim() ? bodyText.trim().slice(0, 300) : "no details")).replace(/\.\s*$/, "");
  const kind = problemKind(problem);
  switch (status) {
    case 401:
      return `The server at ${base} does not accept the token: ${detail}. Paste a valid token in Settings (${TOKEN_HINT}).`;
    case 403:
      return `The token may not do this: ${detail}. Syncing and publishing need a planner token, and a workbook belongs to the planner who first sent it.`;
    case 404:
      if (kind === "not-found" && /^no route/.test(detail)) {
        return `The server at ${base} has no ${method} ${path}: check the server URL in Settings (like https://localhost:3001).`;
      }
      if (!problem) return `${base} answered 404 to ${method} ${path}: this does not look like the segmentation server; check the server URL in Settings.`;
      return `Not found: ${detail}.`;
    case 408:
      return `The server gave up waiting for the request (408): ${detail}.`;
    case 409:
      return `The server refused it: ${detail}.`;
    case 413:
      return `The request is larger than the server accepts: ${detail}.`;
    case 415:
    case 400:
      return `The server rejected the request as invalid: ${detail}.`;
    case 429:
      return `The server is limiting requests (429): ${detail}.`;
    default:
      if (status >= 500) return `The server failed (${status}${problem?.title ? ` ${problem.title}` : ""}): ${detail}.`;
      return `The server answered ${status}${problem?.title ? ` (${problem.title})` : ""}: ${detail}.`;
  }
}

export function networkErrorMessage(base: string, cause: unknown): string {
  const why = describeCause(cause);
  return (
    `Cannot reach the server at ${base}${why ? ` (${why})` : ""}. Check that it is running and that the URL in Settings is right; ` +
    `in Excel the server must use https with a certificate the computer trusts, and allow the add-in's origin (SEG_CORS_ORIGINS).`
  );
}

export function timeoutMessage(base: string, ms: number): string {
  return `The server at ${base} did not answer within ${formatSeconds(ms)}.`;
}

function describeCause(cause: unknown): string {
  if (!cause || typeof cause !== "object") return cause ? String(cause) : "";
  const e = cause as { message?: string; cause?: { code?: string; message?: string } };
  const inner = e.cause?.code ?? e.cause?.message;
  return inner ? `${e.message ?? "error"}: ${inner}` : (e.message ?? "");
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${Math.round(s * 10) / 10} s` : `${Math.round(s)} s`;
}
