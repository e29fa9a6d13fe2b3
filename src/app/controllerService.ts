/**
 * The seam between the pane's steps and the controllers' records on the backend
 * (controllerBackend.ts, loaded on first use): what the steps call, and the refusal they show.
 * Kept apart so that the start-up bundle carries only this and the HTTP part loads when a server
 * is set and first asked.
 */
import type { ChangeRequest, ChangeRequestInput, FetchLike, Reconciliation, ReconciliationInput } from "../client";
import type { SyncSettingsSource } from "./syncService";

export type { ChangeRequest as ServerChangeRequest, ChangeRequestInput, Reconciliation as ServerReconciliation, ReconciliationInput };

export type RefusalKind =
  /** Nobody decides on what they recorded (by token name). */
  | "four-eyes"
  /** The record was already approved or decided. */
  | "already-decided"
  /** The token's role may not do this (a planner approving, an admin recording). */
  | "role"
  /** The same id was already stored with other content. */
  | "conflict"
  /** The server holds no such record, or not this workbook for this token. */
  | "not-found"
  /** No answer, a timeout or a server failure: try again later (Refresh). */
  | "unreachable"
  /** Anything else the server refused (an invalid field, a bad token). */
  | "refused";

/** The server said no, or could not be asked; the message is shown in the pane as it is. */
export class ControllerRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "ControllerRefusal";
  }
}

export function isRefusal(e: unknown, kind?: RefusalKind): e is ControllerRefusal {
  return e instanceof ControllerRefusal && (kind === undefined || e.kind === kind);
}

/** What the steps need from the backend; `ControllerBackend` over HTTP, a fake in tests. */
export interface ControllerService {
  /** Whether a server URL and token are set (false: the pane works offline, as without a backend). */
  configured(): Promise<boolean>;
  recordReconciliation(workbookId: string, input: ReconciliationInput): Promise<{ created: boolean; record: Reconciliation }>;
  approveReconciliation(workbookId: string, reconciliationId: string, comment: string): Promise<Reconciliation>;
  reconciliations(workbookId: string): Promise<Reconciliation[]>;
  createChangeRequest(workbookId: string, input: ChangeRequestInput): Promise<{ created: boolean; record: ChangeRequest }>;
  /** The request as the server holds it, or null when it holds none under that id. */
  changeRequest(workbookId: string, requestId: string): Promise<ChangeRequest | null>;
  decideChangeRequest(workbookId: string, requestId: string, decision: "approve" | "reject", comment: string): Promise<ChangeRequest>;
}

export interface ControllerBackendOptions {
  settings: SyncSettingsSource;
  fetch?: FetchLike;
  /** Time limit per request, ms (default 30 s). */
  timeoutMs?: number;
  /** Sends the workbook's pending audit entries (the audit sync's "Sync now"). */
  syncTrail?: () => Promise<void>;
}

/**
 * A ControllerService that loads the HTTP part (controllerBackend.ts) on its first call;
 * configured() reads the settings only.
 */
export function lazyControllerBackend(options: ControllerBackendOptions): ControllerService {
  let impl: Promise<ControllerService> | null = null;
  const get = () => (impl ??= import(/* webpackChunkName: "controllers" */ "./controllerBackend").then((m) => new m.ControllerBackend(options)));
  return {
    configured: async () => (await options.settings.load()) !== null,
    recordReconciliation: async (wb, input) => (await get()).recordReconciliation(wb, input),
    approveReconciliation: async (wb, id, comment) => (await get()).approveReconciliation(wb, id, comment),
    reconciliations: async (wb) => (await get()).reconciliations(wb),
    createChangeRequest: async (wb, input) => (await get()).createChangeRequest(wb, input),
    changeRequest: async (wb, id) => (await get()).changeRequest(wb, id),
    decideChangeRequest: async (wb, id, decision, comment) => (await get()).decideChangeRequest(wb, id, decision, comment),
  };
}
