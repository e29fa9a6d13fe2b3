/** Stand-ins for the audit sync and the snapshot publisher that the pane tests drive by hand. */
import type { AuditSync, SyncStatus } from "../../src/app/auditSync";
import type { AuditRow } from "../../src/app/ports";
import type { PublishStatus, SnapshotPublisher, WrittenRun } from "../../src/app/publishing";

/** An AuditSync the test drives: syncNow() waits until the test releases it. */
export class FakeSync implements AuditSync {
  current: SyncStatus = { kind: "synced" };
  listeners = new Set<() => void>();
  observed: number[] = [];
  private releases: (() => void)[] = [];
  status() {
    return this.current;
  }
  subscribe(l: () => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  observe(rows: readonly AuditRow[]) {
    this.observed.push(rows.length);
  }
  syncNow() {
    return new Promise<void>((r) => this.releases.push(r));
  }
  release() {
    this.releases.splice(0).forEach((r) => r());
  }
  set(s: SyncStatus) {
    this.current = s;
    this.listeners.forEach((l) => l());
  }
}

/** A publisher that records what it is given; its answers stay open until the test settles them. */
export class FakePublisher implements SnapshotPublisher {
  calls: WrittenRun[] = [];
  current: PublishStatus = { kind: "idle" };
  listeners = new Set<() => void>();
  publishWrite(w: WrittenRun): Promise<PublishStatus> {
    this.calls.push(w);
    this.set({ kind: "publishing", modelVersion: w.modelVersion ?? w.outcome.modelVersion, attempt: 1 });
    return new Promise<PublishStatus>(() => undefined); // never settles: the session must not wait
  }
  status() {
    return this.current;
  }
  subscribe(l: () => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  set(s: PublishStatus) {
    this.current = s;
    this.listeners.forEach((l) => l());
  }
}
