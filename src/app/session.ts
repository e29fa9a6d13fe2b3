/**
 * The pane's composition, with no React and no Office.js: one store (store.ts), the services the
 * steps share, and one slice per step from the registry the caller hands in (the pane's is
 * src/taskpane/steps.ts). Views read `getState()` (via useSyncExternalStore) and call
 * `step(key)`'s actions; business rules live in the steps' services and the engine.
 */
import { AuditService } from "./auditService";
import { NoopAuditSync, type AuditSync } from "./auditSync";
import type { ControllerService } from "./controllerService";
import type { EngineRunner } from "./engineRunner";
import { OverrideService } from "./overrides";
import type { WorkbookGateway } from "./ports";
import type { SnapshotPublisher } from "./publishing";
import type { AnyStepSlice, PaneServices, StepContext } from "./step";
import { PaneStore, type PaneState, type StepActions, type StepKey, type StepStates } from "./store";
import type { SheetContributor } from "./writeContract";

export interface PaneDeps {
  gateway: WorkbookGateway;
  runner: EngineRunner;
  auditSync?: AuditSync;
  /** Publishes a snapshot after each Write and after overrides of the written run (no HTTP in here). */
  publisher?: SnapshotPublisher;
  /** Reconciliations and change requests on the backend (src/app/controllerBackend.ts); absent: offline. */
  controllers?: ControllerService;
  now?: () => Date;
  uuid?: () => string;
  identity?: () => string | undefined;
}

export class PaneSession {
  readonly store: PaneStore;
  readonly services: PaneServices;
  readonly keys: readonly string[];
  private readonly actions = new Map<string, unknown>();
  private readonly contributors: SheetContributor[] = [];

  constructor(deps: PaneDeps, steps: readonly AnyStepSlice[]) {
    const now = deps.now ?? (() => new Date());
    const audit = new AuditService({ gateway: deps.gateway, now, uuid: deps.uuid, identity: deps.identity });
    this.services = {
      gateway: deps.gateway,
      runner: deps.runner,
      audit,
      overrides: new OverrideService(deps.gateway, audit, now),
      sync: deps.auditSync ?? new NoopAuditSync(),
      publisher: deps.publisher ?? null,
      controllers: deps.controllers ?? null,
      now,
    };
    this.store = new PaneStore();
    const seen = new Set<string>();
    for (const slice of steps) {
      if (seen.has(slice.key)) throw new Error(`Step "${slice.key}" is registered twice.`);
      seen.add(slice.key);
      const { initial, actions } = slice.create(this.context(slice.key));
      this.store.addStep(slice.key as keyof StepStates, initial as StepStates[keyof StepStates]);
      this.actions.set(slice.key, actions);
    }
    this.keys = [...seen];
  }

  private context(key: string): StepContext<StepKey> {
    const store = this.store;
    const k = key as StepKey;
    return {
      ...this.services,
      key: k,
      store,
      state: () => store.get(k),
      set: (patch) => store.set(k, patch),
      task: (label, body, options) => store.task(key, label, body, options),
      peek: (other) => store.getState().steps[other],
      contribute: (c) => {
        if (this.contributors.some((x) => x.key === c.key)) throw new Error(`Sheet contributor "${c.key}" is registered twice.`);
        this.contributors.push(c);
      },
      contributors: () => this.contributors,
    };
  }

  getState = (): PaneState => this.store.getState();
  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** The actions of step `key` (throws when that step is not in this pane). */
  step<K extends StepKey>(key: K): StepActions[K] {
    const a = this.actions.get(key);
    if (!a) throw new Error(`This pane has no "${key}" step.`);
    return a as StepActions[K];
  }

  has(key: string): boolean {
    return this.actions.has(key);
  }

  /** Cancels the running task when it offers Cancel. */
  cancel(): void {
    this.store.cancel();
  }

  dismissMessages(): void {
    this.store.dismissMessages();
  }

  get gateway(): WorkbookGateway {
    return this.services.gateway;
  }
  get audit(): AuditService {
    return this.services.audit;
  }
  get sync(): AuditSync {
    return this.services.sync;
  }
}
