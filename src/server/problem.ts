/**
 * Errors over HTTP are RFC 9457 problem details (media type application/problem+json):
 * { type, title, status, detail } plus extension members where useful (entryId and index for an
 * audit entry, field for a validation error). `type` is a URN naming the kind of problem.
 */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const PROBLEM_TYPES = {
  validation: { status: 400, title: "Invalid request" },
  "malformed-json": { status: 400, title: "Malformed JSON" },
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "Not found" },
  "broken-chain": { status: 409, title: "Broken audit chain" },
  "entry-conflict": { status: 409, title: "Audit entry conflict" },
  "snapshot-conflict": { status: 409, title: "Snapshot conflict" },
  "body-too-large": { status: 413, title: "Request body too large" },
  "uri-too-long": { status: 414, title: "URI too long" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "rate-limited": { status: 429, title: "Too many requests" },
  "headers-too-large": { status: 431, title: "Request header fields too large" },
  "bad-request": { status: 400, title: "Bad request" },
  "request-timeout": { status: 408, title: "Request timeout" },
  internal: { status: 500, title: "Internal server error" },
  "not-ready": { status: 503, title: "Not ready" },
  "storage-unavailable": { status: 503, title: "Database unavailable" },
  "record-conflict": { status: 409, title: "Record conflict" },
  "already-decided": { status: 409, title: "Already decided" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export function problemType(kind: ProblemKind): string {
  return `urn:seg:problem:${kind}`;
}

/** An error a route throws to answer with a problem; the error handler renders it. */
export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    public readonly kind: ProblemKind,
    public readonly detail: string,
    public readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
    this.status = PROBLEM_TYPES[kind].status;
  }

  toBody(): ProblemBody {
    return problemBody(this.kind, this.detail, this.extensions);
  }
}

export function problemBody(kind: ProblemKind, detail: string, extensions: Record<string, unknown> = {}): ProblemBody {
  const t = PROBLEM_TYPES[kind];
  return { type: problemType(kind), title: t.title, status: t.status, detail, ...extensions };
}
