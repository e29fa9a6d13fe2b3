/**
 * What a pane step is made of: a slice of the store (its state and actions, created once per pane)
 * and, optionally, sheets it contributes to the Write. A step gets the services it needs and the
 * store through its StepContext; it reads other steps' state but never calls their actions (it
 * listens to events instead), so steps can be added without editing each other.
 */
import type { AuditService } from "./auditService";
import type { AuditSync } from "./auditSync";
import type { ControllerService } from "./controllerService";
import type { EngineRunner } from "./engineRunner";
import type { OverrideService } from "./overrides";
import type { WorkbookGateway } from "./ports";
import type { SnapshotPublisher } from "./publishing";
import type { PaneStore, StepActions, StepKey, StepStates, TaskContext, TaskOptions } from "./store";
import type { SheetContributor } from "./writeContract";

export interface PaneServices {
  gateway: WorkbookGateway;
  runner: EngineRunner;
  audit: AuditService;
  overrides: OverrideService;
  sync: AuditSync;
  /** Publishes snapshots after a Write (null: no publisher, e.g. tests and the default). */
  publisher: SnapshotPublisher | null;
  /** The controllers' records on the backend (null: none; offline when no server is set). */
  controllers: ControllerService | null;
  now: () => Date;
}

export interface StepContext<K extends StepKey> extends PaneServices {
  readonly key: K;
  readonly store: PaneStore;
  state(): StepStates[K];
  set(patch: Partial<StepStates[K]>): void;
  /** store.task for this step. */
  task<T>(label: string, body: (ctx: TaskContext) => Promise<T>, options?: TaskOptions): Promise<T | undefined>;
  /** Another step's state, or undefined when that step is not in this pane. */
  peek<J extends keyof StepStates>(key: J): StepStates[J] | undefined;
  /** Adds sheets this step writes on every Write (see writeContract.ts). */
  contribute(contributor: SheetContributor): void;
  /** Every step's contributors, in registry order (the Write step asks them). */
  contributors(): readonly SheetContributor[];
}

export interface StepSlice<K extends StepKey> {
  key: K;
  create(ctx: StepContext<K>): { initial: StepStates[K]; actions: StepActions[K] };
}

/** A slice of any step, as the registry lists them. */
export interface AnyStepSlice {
  key: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  create(ctx: StepContext<any>): { initial: unknown; actions: unknown };
}

export function defineStep<K extends StepKey>(slice: StepSlice<K>): StepSlice<K> {
  return slice;
}
