/**
 * The pane's one store: a common part (what is running, its progress, the last message) and one
 * slice per step. Each step module declares its slice's state by augmenting `StepStates` and its
 * actions by augmenting `StepActions`:
 *
 *   declare module "../store" {
 *     interface StepStates { forecast: ForecastState }
 *     interface StepActions { forecast: ForecastActions }
 *   }
 *
 * so that adding a step touches no shared type. Every long action runs through `task()`, which
 * keeps one step running at a time, shows its progress, offers Cancel, and turns a failure into a
 * message that says what to fix.
 */
import type { SegmentPolicy } from "../engine/policy";
import type { AuditRow, Progress } from "./ports";

// Augmented by each step module (declaration merging).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StepStates {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StepActions {}

export type StepKey = keyof StepStates & keyof StepActions & string;

export interface RunningTask {
  /** The step that runs it, e.g. "classify". */
  step: string;
  /** What it does, in the planner's words: "Reading the selection". */
  label: string;
  cancellable: boolean;
}

export interface CommonState {
  running: RunningTask | null;
  progress: Progress | null;
  /** Last failure, phrased as what to do about it. */
  error: string | null;
  /** The form field the last error is about (e.g. "reason"), when it is about one. */
  errorField: string | null;
  /** Last message that is not a failure. */
  notice: string | null;
  /** How the notice reads: done (success), for information (info), needs a look (warning). */
  noticeIntent: NoticeIntent;
}

export type NoticeIntent = "success" | "info" | "warning";

export interface PaneState {
  common: CommonState;
  steps: StepStates;
}

/** A failure about one form field; the views show it beside that field. */
export class ValidationError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ValidationError";
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface TaskContext {
  signal: AbortSignal;
  progress(p: Progress): void;
}

export interface TaskOptions {
  /** Shows Cancel; the body must honour ctx.signal. */
  cancellable?: boolean;
  /** Said when the body ended because of Cancel. */
  cancelledNotice?: string;
}

/** Events steps send each other (a step never calls another step's actions). */
export interface PaneEvents {
  /** A new classification is in (classify step). */
  classified: void;
  /** The sheets were written (write step). */
  written: void;
  /** Overrides changed (overrides step). */
  overridesChanged: { sku: string; segment: string | null }[];
  /** Rows were appended to SEG_Audit (by a Write or an override). */
  auditAppended: AuditRow[];
  /** A policy grid proposed by another step (the Scenarios step's "Use this scenario"); the Policy step adopts it. */
  policyGridProposed: { grid: SegmentPolicy[]; source: string };
}

type Listener<T> = (payload: T) => void | Promise<void>;

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === "AbortError";
}

export class PaneStore {
  private state: PaneState;
  private readonly listeners = new Set<() => void>();
  private readonly handlers = new Map<keyof PaneEvents, Set<Listener<unknown>>>();
  private abort: AbortController | null = null;
  private readonly idle: (() => void)[] = [];

  constructor(steps: Partial<StepStates> = {}) {
    this.state = { common: { running: null, progress: null, error: null, errorField: null, notice: null, noticeIntent: "success" }, steps: steps as StepStates };
  }

  getState = (): PaneState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emitChange(): void {
    this.listeners.forEach((l) => l());
  }

  /** Registers a step's initial state (once, when the step is created). */
  addStep<K extends keyof StepStates>(key: K, initial: StepStates[K]): void {
    this.state = { ...this.state, steps: { ...this.state.steps, [key]: initial } };
  }

  get<K extends keyof StepStates>(key: K): StepStates[K] {
    return this.state.steps[key];
  }

  set<K extends keyof StepStates>(key: K, patch: Partial<StepStates[K]>): void {
    const current = this.state.steps[key];
    this.state = { ...this.state, steps: { ...this.state.steps, [key]: { ...(current as object), ...patch } } };
    this.emitChange();
  }

  setCommon(patch: Partial<CommonState>): void {
    this.state = { ...this.state, common: { ...this.state.common, ...patch } };
    this.emitChange();
  }

  /** A message that is not a failure; `intent` says how it reads (default: done, success). */
  notice(text: string, intent: NoticeIntent = "success"): void {
    this.setCommon({ notice: text, noticeIntent: intent, error: null, errorField: null });
  }

  fail(text: string, field: string | null = null): void {
    this.setCommon({ error: text, errorField: field });
  }

  dismissMessages(): void {
    this.setCommon({ error: null, errorField: null, notice: null });
  }

  /**
   * Runs one step's long action: refuses while another runs, clears the messages, shows progress,
   * offers Cancel when asked, and turns any failure into a message. Resolves with the body's result,
   * or undefined when it failed, was refused or was cancelled.
   */
  async task<T>(step: string, label: string, body: (ctx: TaskContext) => Promise<T>, options: TaskOptions = {}): Promise<T | undefined> {
    const running = this.state.common.running;
    if (running) {
      this.fail(`Wait until "${running.label}" has finished.`);
      return undefined;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.setCommon({ running: { step, label, cancellable: options.cancellable === true }, progress: null, error: null, errorField: null, notice: null });
    try {
      return await body({ signal: abort.signal, progress: (progress) => this.setCommon({ progress }) });
    } catch (e) {
      if (abort.signal.aborted || isAbortError(e)) this.notice(options.cancelledNotice ?? `${label}: cancelled.`);
      else this.fail(errorText(e), e instanceof ValidationError ? e.field : null);
      return undefined;
    } finally {
      this.abort = null;
      this.setCommon({ running: null, progress: null });
      for (const f of this.idle.splice(0)) f();
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  isBusy(): boolean {
    return this.state.common.running !== null;
  }

  /** Runs `f` now when nothing runs, else once the running task has ended. */
  whenIdle(f: () => void): void {
    if (this.state.common.running) this.idle.push(f);
    else f();
  }

  on<E extends keyof PaneEvents>(event: E, handler: Listener<PaneEvents[E]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Listener<unknown>);
    return () => set!.delete(handler as Listener<unknown>);
  }

  /** Calls every handler in turn and waits for them; a failing handler fails the emitter's task. */
  async emit<E extends keyof PaneEvents>(event: E, ...payload: PaneEvents[E] extends void ? [] : [PaneEvents[E]]): Promise<void> {
    for (const h of [...(this.handlers.get(event) ?? [])]) await h(payload[0]);
  }
}
