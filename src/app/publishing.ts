/**
 * The seam between the pane and snapshot publishing, with no HTTP in it: PaneSession talks to a
 * SnapshotPublisher (PublishService in the pane, a fake in tests) and shows its PublishStatus.
 *
 * Which version a snapshot is published under:
 * - after a Write: the run's model version (e.g. 20261125T100000Z-3fa9c2d1);
 * - after an override set or removed while that written run is still open in the pane (the Policy
 *   sheet's per-SKU rows follow the override then): a derived version `<modelVersion>+o<n>`, n = 1,
 *   2, … counting the override changes since that Write in this pane session. The server keeps one
 *   content per version (the same version with other content is refused), and the diff endpoint
 *   (`…/snapshots/<mv>+o2/diff?from=<mv>`) shows what the overrides changed;
 * - an override made when the written run is no longer in the pane (pane reopened) is published
 *   with the next Write, which is also when the Policy sheet takes it in.
 */
import type { PolicyOptions } from "../engine/policy";
import type { OverrideMap } from "./overrides";
import type { RunInput, WriteOutcome } from "./writeService";

/** What a Write hands over: the run, its outcome and the state around it. */
export interface WrittenRun {
  workbookId: string;
  run: RunInput;
  outcome: WriteOutcome;
  overrides: OverrideMap;
  /** The policy options the run was written with. */
  policyOptions: PolicyOptions;
  /** Publish under this version instead of outcome.modelVersion (a derived `<mv>+o<n>` after an override). */
  modelVersion?: string;
  /** The Policy sheet's row of SKU i as written (lifecycle, budget and capacity included); absent: computed again per SKU. */
  policyRow?: (i: number) => import("./ports").CellValue[];
  /** Fields other steps wrote for this model version (execution flags, forecast, MRP export), keyed by step. */
  fields?: Readonly<Record<string, import("./snapshotFields").WrittenFields>>;
}

export type PublishStatus =
  | { kind: "idle" }
  | { kind: "not-configured"; modelVersion: string }
  | { kind: "publishing"; modelVersion: string; attempt: number }
  | { kind: "published"; modelVersion: string; created: boolean; seq: number; items: number }
  | { kind: "error"; modelVersion: string; message: string };

export function describePublishStatus(s: PublishStatus): string {
  switch (s.kind) {
    case "idle":
      return "Nothing published in this session";
    case "not-configured":
      return `Model version ${s.modelVersion} not published: no server configured (Settings)`;
    case "publishing":
      return `Publishing model version ${s.modelVersion}…${s.attempt > 1 ? ` (attempt ${s.attempt})` : ""}`;
    case "published":
      return `Published model version ${s.modelVersion} (${s.items} SKUs${s.created ? "" : ", already on the server"})`;
    case "error":
      return `Publishing ${s.modelVersion} failed: ${s.message}`;
  }
}

/** Publishes snapshots of written runs; never throws (the outcome is the status). */
export interface SnapshotPublisher {
  publishWrite(w: WrittenRun): Promise<PublishStatus>;
  status(): PublishStatus;
  subscribe(listener: () => void): () => void;
}

/** The version a snapshot is published under after the n-th override change (n ≥ 1) since a Write. */
export function overrideVersion(modelVersion: string, n: number): string {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`Override revision must be a whole number from 1; got ${n}.`);
  return `${modelVersion}+o${n}`;
}
