/** @jest-environment jsdom */
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NoopAuditSync, type AuditSync, type SyncStatus as SyncState } from "../../src/app/auditSync";
import type { AuditRow } from "../../src/app/ports";
import { SyncStatus, syncStatusText } from "../../src/taskpane/components/SyncStatus";

/** An AuditSync whose status the test sets. */
class ControlledSync implements AuditSync {
  current: SyncState = { kind: "synced" };
  listeners = new Set<() => void>();
  syncNowCalls = 0;
  release: (() => void) | null = null;
  status() {
    return this.current;
  }
  subscribe(l: () => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  observe() {}
  syncNow() {
    this.syncNowCalls++;
    return new Promise<void>((r) => (this.release = r));
  }
  set(s: SyncState) {
    this.current = s;
    this.listeners.forEach((l) => l());
  }
}

function show(sync: AuditSync, onSyncNow?: () => Promise<unknown>) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <SyncStatus sync={sync} onSyncNow={onSyncNow} />
    </FluentProvider>,
  );
}

const row = (syncState: "pending" | "synced") => ({ syncState }) as AuditRow;

test("the three states in words", () => {
  expect(syncStatusText({ kind: "synced" })).toBe("Synced");
  expect(syncStatusText({ kind: "pending", pending: 12, configured: true })).toBe("12 pending");
  expect(syncStatusText({ kind: "pending", pending: 3, configured: false })).toBe("3 pending (no server configured: see Settings)");
  expect(syncStatusText({ kind: "error", pending: 3, message: "The server at x does not accept the token." })).toBe("Error: The server at x does not accept the token.");
});

test("follows the sync's status as it changes", () => {
  const sync = new ControlledSync();
  show(sync);
  expect(screen.getByRole("status").textContent).toBe("Synced");
  act(() => sync.set({ kind: "pending", pending: 7, configured: true }));
  expect(screen.getByRole("status").textContent).toBe("7 pending");
  act(() => sync.set({ kind: "error", pending: 7, message: "SEG_Audit row 14 (entry abc): The server refused it." }));
  expect(screen.getByRole("alert").textContent).toBe("Error: SEG_Audit row 14 (entry abc): The server refused it.");
  expect(screen.queryByRole("status")).toBeNull();
  act(() => sync.set({ kind: "synced" }));
  expect(screen.getByRole("status").textContent).toBe("Synced");
});

test("the default no-op sync counts pending rows and says no server is configured", () => {
  const sync = new NoopAuditSync();
  show(sync);
  act(() => sync.observe([row("pending"), row("synced"), row("pending")]));
  expect(screen.getByRole("status").textContent).toBe("2 pending (no server configured: see Settings)");
});

test("Sync now calls the sync and is disabled until it has finished", async () => {
  const user = userEvent.setup();
  const sync = new ControlledSync();
  show(sync);
  await user.click(screen.getByRole("button", { name: "Sync now" }));
  expect(sync.syncNowCalls).toBe(1);
  const busy = screen.getByRole("button", { name: /Syncing/ });
  expect((busy as HTMLButtonElement).disabled).toBe(true);
  await act(async () => sync.release!());
  expect((screen.getByRole("button", { name: "Sync now" }) as HTMLButtonElement).disabled).toBe(false);
});

test("Sync now uses the pane's handler when given one", async () => {
  const user = userEvent.setup();
  const sync = new ControlledSync();
  let calls = 0;
  show(sync, async () => {
    calls++;
  });
  await user.click(screen.getByRole("button", { name: "Sync now" }));
  expect(calls).toBe(1);
  expect(sync.syncNowCalls).toBe(0);
});
