/**
 * How steps put sheets into a Write. The Write step owns the transaction (one all-or-nothing
 * gateway call, the model version, the classify-run audit entry); every other step that has
 * something to write registers a SheetContributor, and the Write asks each in registry order:
 *
 * 1. blockers(): problems that stop the write before anything is read ("fix the grid first");
 *    then beforeWrite(task): work done before the transaction starts, with the Write's progress
 *    and Cancel (a heavy computation in the worker, a read too large for the inspection); a
 *    failure stops the Write with nothing changed; then recheck(task): the last word of an outside
 *    authority, asked right before the transaction (the backend's decision on a change request),
 *    so a decision taken elsewhere since blockers() counts; a refusal stops the Write the same way;
 * 2. the gateway's first syncs read the tables every contributor listed in `inspect`;
 * 3. question(inputs): something the planner must decide first (hand edits on a sheet); the Write
 *    stops without touching the workbook, shows the question, and runs again with the answer;
 * 4. contribute(inputs): the SheetPlans, the audit events, and a commit() run after the sheets and
 *    the audit entries are in (settings, adopting what was written).
 *
 * A new sheet is therefore one contributor in the step that owns it; the Write step and the
 * writer stay as they are.
 */
import type { AuditEvent } from "./auditService";
import type { RunInput } from "./classifyTypes";
import type { OverrideMap } from "./overrides";
import type { EffectiveSegments } from "./plans";
import type { SheetPlan, TableData } from "./ports";
import type { TaskContext } from "./store";

export interface WriteInputs {
  run: RunInput;
  modelVersion: string;
  stamp: Date;
  overrides: OverrideMap;
  effective: EffectiveSegments;
  /** The tables the contributors asked to read, as they were just before this write (null: absent). */
  tables: Readonly<Record<string, TableData | null>>;
  /** Sheets that exist in the workbook now. */
  existingSheets: readonly string[];
  /** Answers to the questions of an earlier attempt, by question key. */
  answers: Readonly<Record<string, string>>;
}

export interface WriteChoice {
  answer: string;
  label: string;
  primary?: boolean;
}

/** A decision the planner makes before the write goes ahead. Choosing `cancel` writes nothing. */
export interface WriteQuestion {
  key: string;
  title: string;
  text: string;
  items: string[];
  /** Said after the list (what is not affected). */
  footer?: string;
  choices: WriteChoice[];
}

export const CANCEL_ANSWER = "cancel";

export interface Contribution {
  plans: SheetPlan[];
  /** Recorded in the audit trail in the same request as the sheets' swap. */
  events?: AuditEvent[];
  /** Lines for the Write summary ("Kept 2 hand edits from the Policy sheet"). */
  summary?: string[];
  /** After the sheets and audit entries are in: settings, adopting what was written. */
  commit?: () => Promise<void>;
}

export interface SheetContributor {
  /** Unique, e.g. "policy". */
  key: string;
  /** Sheets it writes (named in the rerun warning). */
  sheets: readonly string[];
  /** Tables to read before the write (hand-edit checks). */
  inspect?: readonly string[];
  /** Why the write cannot go ahead now; empty when it can. */
  blockers?(): string[];
  /** Before the transaction: long work with the Write's progress and Cancel; throwing stops the Write (nothing written). */
  beforeWrite?(task: TaskContext): Promise<void>;
  /**
   * Right before the transaction (after every beforeWrite): asks again whoever decides from outside
   * the pane (the backend's decision on a change request) and returns why the write may not go
   * ahead, empty when it may. Anything returned or thrown stops the Write with nothing changed.
   */
  recheck?(task: TaskContext): Promise<string[]>;
  /** Settings of this step that define the model (they go into the model version). */
  parameters?(): Record<string, unknown>;
  question?(inputs: WriteInputs): WriteQuestion | null;
  contribute(inputs: WriteInputs): Contribution | Promise<Contribution>;
}
