/**
 * The controllers' records on the backend (issue 10, docs/controllers.md): reconciliations with
 * their approval and change requests with a controller's decision, over the HTTP client
 * (src/client) and the routes of src/server/routes/controls.ts. No React, no Office.js: the
 * Reconcile and Control steps call it through the `controllers` seam of PaneServices.
 *
 * Rules
 * - Offline is the default: with no server URL and token in Settings, `configured()` is false
 *   and the steps behave exactly as without a backend (audit entries only, four eyes by the name
 *   typed in Settings).
 * - Every record is created once by its id, which is the entryId of the audit entry that recorded
 *   it in the workbook, so sending it again after a lost answer is harmless (the server answers 200).
 * - The server knows a workbook from its audit trail; a record sent before the trail arrived
 *   (404 for the workbook) sends the trail first (`syncTrail`) and tries once more.
 * - A refusal is a ControllerRefusal whose message says what the server decided and that nothing
 *   was recorded in the workbook: four eyes (403 on one's own record), a second decision (409),
 *   a token whose role may not do it (403), the same id with other content (409).
 */
import { ApiError, SegApiClient, problemKind, type ChangeRequest, type ChangeRequestInput, type Reconciliation, type ReconciliationInput } from "../client";
import { ControllerRefusal, type ControllerBackendOptions, type ControllerService } from "./controllerService";

export * from "./controllerService";

const NOTHING_LOCAL = "Nothing was recorded in the workbook.";

/** The refusal an ApiError stands for, worded for the pane (`what`: "approve reconciliation …"). */
export function refusalOf(e: unknown, what: string): ControllerRefusal {
  if (e instanceof ControllerRefusal) return e;
  if (!(e instanceof ApiError)) return new ControllerRefusal("refused", `Could not ${what}: ${e instanceof Error ? e.message : String(e)} ${NOTHING_LOCAL}`);
  const detail = (e.detail ?? e.message).replace(/\.\s*$/, "");
  const kind = problemKind(e.problem);
  if (e.kind !== "http" || e.retryable) return new ControllerRefusal("unreachable", `Could not ${what}: ${e.message} ${NOTHING_LOCAL} Try again with Refresh once the server answers.`, e.status);
  if (e.status === 403 && /four eyes/.test(detail)) return new ControllerRefusal("four-eyes", `The server refused to ${what} (four eyes): ${detail.replace(/ \(four eyes\)/, "")}. ${NOTHING_LOCAL}`, 403);
  if (e.status === 403) return new ControllerRefusal("role", `The server refused to ${what}: ${detail}. Approvals and decisions need a controller token (Settings). ${NOTHING_LOCAL}`, 403);
  if (e.status === 409 && kind === "already-decided") return new ControllerRefusal("already-decided", `The server refused to ${what}: ${detail}. ${NOTHING_LOCAL} Refresh shows the decision.`, 409);
  if (e.status === 409) return new ControllerRefusal("conflict", `The server refused to ${what}: ${detail}. ${NOTHING_LOCAL}`, 409);
  if (e.status === 404) return new ControllerRefusal("not-found", `The server refused to ${what}: ${detail}. ${NOTHING_LOCAL}`, 404);
  return new ControllerRefusal("refused", `${e.message} ${NOTHING_LOCAL}`, e.status);
}

const isWorkbookMissing = (e: unknown) => e instanceof ApiError && e.status === 404 && problemKind(e.problem) === "not-found" && /^workbook "[^"]*" was not found/.test(e.detail ?? "");

export class ControllerBackend implements ControllerService {
  constructor(private readonly opts: ControllerBackendOptions) {}

  async configured(): Promise<boolean> {
    return (await this.opts.settings.load()) !== null;
  }

  private async client(): Promise<SegApiClient> {
    const s = await this.opts.settings.load();
    if (!s) throw new ControllerRefusal("unreachable", "No server is set in Settings: the controllers' records stay in the workbook.");
    return new SegApiClient({ baseUrl: s.url, token: s.token, fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs });
  }

  /** Calls `f`; when the server does not know the workbook yet, sends the trail and calls it once more. */
  private async withTrail<T>(f: (c: SegApiClient) => Promise<T>): Promise<T> {
    const c = await this.client();
    try {
      return await f(c);
    } catch (e) {
      if (!isWorkbookMissing(e) || !this.opts.syncTrail) throw e;
      await this.opts.syncTrail();
      return f(c);
    }
  }

  async recordReconciliation(workbookId: string, input: ReconciliationInput): Promise<{ created: boolean; record: Reconciliation }> {
    try {
      const r = await this.withTrail((c) => c.recordReconciliation(workbookId, input));
      return { created: r.created, record: r.reconciliation };
    } catch (e) {
      throw refusalOf(e, `store reconciliation ${input.reconciliationId}`);
    }
  }

  async approveReconciliation(workbookId: string, reconciliationId: string, comment: string): Promise<Reconciliation> {
    try {
      return await (await this.client()).approveReconciliation(workbookId, reconciliationId, comment);
    } catch (e) {
      throw refusalOf(e, `approve reconciliation ${reconciliationId}`);
    }
  }

  async reconciliations(workbookId: string): Promise<Reconciliation[]> {
    try {
      return await (await this.client()).listReconciliations(workbookId);
    } catch (e) {
      if (isWorkbookMissing(e)) return [];
      throw refusalOf(e, "read the reconciliations");
    }
  }

  async createChangeRequest(workbookId: string, input: ChangeRequestInput): Promise<{ created: boolean; record: ChangeRequest }> {
    try {
      const r = await this.withTrail((c) => c.createChangeRequest(workbookId, input));
      return { created: r.created, record: r.changeRequest };
    } catch (e) {
      throw refusalOf(e, `store change request ${input.requestId}`);
    }
  }

  async changeRequest(workbookId: string, requestId: string): Promise<ChangeRequest | null> {
    try {
      return await (await this.client()).getChangeRequest(workbookId, requestId);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && problemKind(e.problem) === "not-found") return null;
      throw refusalOf(e, `read change request ${requestId}`);
    }
  }

  async decideChangeRequest(workbookId: string, requestId: string, decision: "approve" | "reject", comment: string): Promise<ChangeRequest> {
    try {
      return await (await this.client()).decideChangeRequest(workbookId, requestId, decision, comment);
    } catch (e) {
      throw refusalOf(e, `${decision} change request ${requestId}`);
    }
  }
}
