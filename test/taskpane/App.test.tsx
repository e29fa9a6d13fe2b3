/** @jest-environment jsdom */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { SEGMENT_POLICY_TABLE, SEGMENTS_TABLE } from "../../src/app/sheets";
import { MemoryKeyValueStorage, ServerSettingsStore } from "../../src/app/serverSettings";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { ServerSettings } from "../../src/taskpane/components/ServerSettings";
import { MemoryGateway } from "../helpers/memoryGateway";
import { FakePublisher, FakeSync } from "../app/paneFakes";
import { sampleSheet } from "../app/sampleData";
import { installBrowserStubs } from "../helpers/browserStubs";

beforeAll(installBrowserStubs);

function setup(tab: string = "classify", gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "B3")) {
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  const user = userEvent.setup();
  const view = render(<App session={session} theme="light" initialTab={tab} />);
  return { gw, session, user, view };
}

/**
 * The name a screen reader announces for a control, by the common cases of the accessible-name
 * computation (aria-labelledby, aria-label, <label>, then the text of a button or tab).
 */
function computeAccessibleName(el: HTMLElement): string {
  const by = el.getAttribute("aria-labelledby");
  if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
  const aria = el.getAttribute("aria-label");
  if (aria) return aria.trim();
  const labels = (el as HTMLInputElement).labels;
  if (labels && labels.length) return [...labels].map((l) => l.textContent ?? "").join(" ").trim();
  if (el.tagName === "BUTTON" || el.getAttribute("role") === "tab") return (el.textContent ?? "").trim();
  return "";
}

/** Every form control has a name a screen reader can announce. */
function expectAllControlsLabelled(root: HTMLElement) {
  const controls = root.querySelectorAll<HTMLElement>("input, select, textarea, button, [role=tab], [role=radio]");
  expect(controls.length).toBeGreaterThan(0);
  const unnamed = [...controls].filter((c) => computeAccessibleName(c).trim() === "").map((c) => c.outerHTML.slice(0, 120));
  expect(unnamed).toEqual([]);
}

describe("Classify tab", () => {
  it("reads the region, proposes the mapping, classifies and previews with rejected rows", async () => {
    const { user, view } = setup();
    await user.click(screen.getByRole("button", { name: "Use current region" }));
    expect(await screen.findByText("Data!A1:J14: 14 rows × 10 columns.")).toBeTruthy();
    expect((screen.getByLabelText("SKU id") as HTMLSelectElement).selectedOptions[0].textContent).toBe("A: SKU");
    expect((screen.getByLabelText("Annual value") as HTMLSelectElement).selectedOptions[0].textContent).toBe("C: Annual value");
    expect((screen.getByLabelText("First history column") as HTMLSelectElement).selectedOptions[0].textContent).toBe("G: W01");
    expect((screen.getByLabelText("Last history column") as HTMLSelectElement).selectedOptions[0].textContent).toBe("J: W04");
    expectAllControlsLabelled(view.container);

    await user.click(screen.getByRole("button", { name: "Classify" }));
    const table = await screen.findByRole("table", { name: /SKUs and value share by Segment/ });
    const ax = within(table).getByRole("row", { name: /^AX/ });
    expect(within(ax).getAllByRole("cell").map((c) => c.textContent)).toEqual(["AX", "1", "50.0%"]);
    expect(screen.getByText('Data!C13: text "n/a" is not a number')).toBeTruthy();
    expect(screen.getByText(/Rejected rows \(1 duplicate SKU, 1 non-numeric value, 1 missing id\)/)).toBeTruthy();

    // the pictures: the 3x3 matrix with counts and value shares, the Pareto curve, the pattern quadrant
    const matrix = screen.getByRole("table", { name: "SKUs and value share per ABC×XYZ segment" });
    expect(within(matrix).getByLabelText("AX: 1 SKUs, 11.1% of SKUs, 50.0% of value")).toBeTruthy();
    expect(within(matrix).getByLabelText("CX: 3 SKUs, 33.3% of SKUs, 6.2% of value")).toBeTruthy();
    expect(screen.getByRole("region", { name: "Pareto curve" })).toBeTruthy();
    expect(within(screen.getByLabelText("SKUs per demand pattern")).getByText("intermittent: 2")).toBeTruthy();
    // inactive SKUs are counted apart
    expect(screen.getByText(/1 inactive \(not ranked, no reorder point\)/)).toBeTruthy();

    // preview by pattern instead
    await user.click(screen.getByRole("radio", { name: "Pattern" }));
    const byPattern = screen.getByRole("table", { name: /by Pattern/ });
    expect(within(within(byPattern).getByRole("row", { name: /^intermittent/ })).getAllByRole("cell")[1].textContent).toBe("2");
    expectAllControlsLabelled(view.container);
  });

  it("says what to fix when a mapping is incomplete and keeps Classify disabled", async () => {
    const { user } = setup();
    await user.click(screen.getByRole("button", { name: "Use current region" }));
    await user.selectOptions(await screen.findByLabelText("SKU id"), "(not mapped)");
    expect(screen.getByRole("alert", { name: "Mapping problems" }).textContent).toContain("Choose the column that holds the SKU id.");
    expect((screen.getByRole("button", { name: "Classify" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("flags a cut-off that is not a number or out of order", async () => {
    const { user } = setup();
    await user.click(screen.getByRole("button", { name: "Use current region" }));
    const b = await screen.findByLabelText("B up to cumulative share (%)");
    await user.clear(b);
    await user.type(b, "70");
    expect(screen.getByRole("alert", { name: "Option problems" }).textContent).toMatch(/B up to cumulative share \(70 %\) must be above the one before it \(80 %\)/);
  });

  it("works from the keyboard: controls are in reading order and Enter activates a focused button", async () => {
    const { user, view } = setup();
    const focusables = [...view.container.querySelectorAll<HTMLElement>("button, input, select, textarea")].filter((e) => e.tabIndex >= 0 || e.getAttribute("role") === "tab");
    const names = focusables.map((e) => computeAccessibleName(e));
    expect(names.indexOf("Read selection")).toBeLessThan(names.indexOf("Use current region"));
    const region = screen.getByRole("button", { name: "Use current region" });
    region.focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByText("Data!A1:J14: 14 rows × 10 columns.")).toBeTruthy();
  });
});

async function classified(tab: string) {
  const ctx = setup(tab);
  // a tab may load something when it opens (the Audit tab reads the trail); let that finish first
  await waitFor(() => expect(ctx.session.getState().common.running).toBeNull());
  await act(async () => {
    await ctx.session.step("classify").readSource("region");
    await ctx.session.step("classify").classify();
  });
  return ctx;
}

describe("Write tab", () => {
  it("writes and shows the figures", async () => {
    const { user, gw } = await classified("write");
    expect(screen.getByText("Ready: 10 SKUs from Data!A1:J14.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Write sheets" }));
    const figures = await screen.findByRole("table", { name: "Last write" });
    expect(within(figures).getByRole("row", { name: /SKU rows written/ }).textContent).toContain("10");
    expect(within(figures).getByRole("row", { name: /Time, from the click/ }).textContent).toMatch(/\d s$/);
    // the round trips are behind "Details"
    expect(screen.queryByRole("table", { name: "Write details" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Details" }));
    expect(within(await screen.findByRole("table", { name: "Write details" })).getByRole("row", { name: /Round trips to Excel/ }).textContent).toMatch(/\d/);
    expect(gw.table(SEGMENTS_TABLE)?.rows).toHaveLength(10);
  });

  it("asks about hand edits on the Policy sheet; Keep theirs is the first choice", async () => {
    const { user, gw, session } = await classified("write");
    await user.click(screen.getByRole("button", { name: "Write sheets" }));
    await screen.findByRole("table", { name: "Last write" });
    gw.editTableCell(SEGMENT_POLICY_TABLE, 4, "Review period", 3);
    await user.click(screen.getByRole("button", { name: "Write sheets" }));
    // jsdom + tabster's modalizer mark the open surface aria-hidden, so the dialog is queried with hidden: true
    // (the browser end-to-end test goes through the same dialog for real)
    const dialog = await screen.findByRole("alertdialog", { hidden: true });
    expect(within(dialog).getByText(/Policy!D6 \(BY review period\) was changed on the sheet to 3; the pane has 1\./)).toBeTruthy();
    const buttons = within(dialog).getAllByRole("button", { hidden: true }).map((b) => b.textContent);
    expect(buttons[0]).toBe("Keep theirs");
    await user.click(within(dialog).getByRole("button", { name: "Keep theirs", hidden: true }));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).toBeNull());
    await waitFor(() => expect(session.getState().common.running).toBeNull(), { timeout: 10_000 });
    expect(session.getState().common.error).toBeNull();
    expect(gw.table(SEGMENT_POLICY_TABLE)!.rows[4][3]).toBe(3);
    expect(session.getState().steps.policy.grid[4].reviewPeriod).toBe(3);
  });
});

describe("Overrides tab", () => {
  it("refuses an empty reason at the Reason field, then sets the override", async () => {
    const { user, gw, session } = await classified("overrides");
    await act(async () => {
      await session.step("write").write();
    });
    gw.selectTableRows(SEGMENTS_TABLE, 3);
    await user.click(screen.getByRole("button", { name: "Read selected rows" }));
    const selected = await screen.findByRole("table", { name: "Selected SKUs" });
    expect(within(selected).getByRole("row", { name: /S04/ }).textContent).toContain("BZ");
    await user.selectOptions(screen.getByLabelText(/New segment/), "AZ");
    await user.click(screen.getByRole("button", { name: "Set override" }));
    const reason = screen.getByRole("textbox", { name: /Reason/ });
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getAllByText(/Type a reason for the override/).length).toBeGreaterThan(0);
    await user.type(reason, "Supplier on allocation");
    await user.click(screen.getByRole("button", { name: "Set override" }));
    await screen.findByText(/Override to AZ set for 1 SKU\(s\): S04/);
    const t = gw.table(SEGMENTS_TABLE)!;
    expect(t.rows[3][t.headers.indexOf("Override")]).toBe("AZ");
    expect(gw.auditRows.at(-1)).toMatchObject({ action: "override-set", sku: "S04", reason: "Supplier on allocation" });
  });
});

describe("Audit tab", () => {
  it("lists entries newest first and verify names a tampered row", async () => {
    const { session, gw } = await classified("audit");
    await act(async () => {
      await session.step("write").write();
      gw.selectTableRows(SEGMENTS_TABLE, 0);
      await session.step("overrides").setOverride("BX", "test");
    });
    const user = userEvent.setup();
    const table = await screen.findByRole("table", { name: "Audit entries" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(3));
    const rows = within(table).getAllByRole("row");
    expect(rows[1].textContent).toContain("override-set");
    expect(rows[2].textContent).toContain("classify-run");
    expect(screen.getByText("2 pending (no server configured: see Settings)")).toBeTruthy();

    await user.selectOptions(screen.getByLabelText("Action"), "classify-run");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Audit entries" })).getAllByRole("row")).toHaveLength(2));

    await user.click(screen.getByRole("button", { name: "Verify integrity" }));
    expect(await screen.findByText("All 2 audit entries are intact.")).toBeTruthy();
    gw.auditRows[0].user = "someone else";
    await user.click(screen.getByRole("button", { name: "Verify integrity" }));
    expect(await screen.findByText(/SEG_Audit row 2 \(entry .*\): content does not match its hash/)).toBeTruthy();
  });
});

describe("Settings and Policy tabs", () => {
  it("saves the user name and rejects a blank one", async () => {
    const { user, gw } = setup("settings");
    const name = await screen.findByRole("textbox", { name: /Your name/ });
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findAllByText(/Type your name/)).not.toHaveLength(0);
    await user.type(name, "Ana");
    await user.click(screen.getByRole("button", { name: "Save name" }));
    await screen.findByText(/signed "Ana"/);
    expect(gw.settings.get("seg.userName")).toBe("Ana");
  });

  it("edits a segment chosen in the 3x3 grid, in percent, and reports a bad service level in percent", async () => {
    const { user, session, view } = setup("policy");
    const grid = await screen.findByRole("group", { name: "Segments" });
    expect(within(grid).getAllByRole("button")).toHaveLength(9);
    expect(within(grid).getByRole("button", { name: "AX: 98.0% cycle service level, auto distribution" }).getAttribute("aria-pressed")).toBe("true");
    const sl = screen.getByLabelText("Service level (%)");
    await user.clear(sl);
    await user.type(sl, "99.5");
    expect(session.getState().steps.policy.grid[0].serviceLevel).toBeCloseTo(0.995, 12);
    expect(within(grid).getByRole("button", { name: "AX: 99.5% cycle service level, auto distribution" })).toBeTruthy();
    await user.clear(sl);
    await user.type(sl, "120");
    // the unit of the message is the unit of the field
    expect(screen.getAllByText("AX service level must be above 0 % and below 100 % (e.g. 95 %), got 120 %").length).toBeGreaterThan(0);
    expect(within(grid).getByRole("button", { name: /AX: 120.0% .*needs a fix/ })).toBeTruthy();
    await user.click(within(grid).getByRole("button", { name: /^CZ:/ }));
    await user.selectOptions(screen.getByLabelText("Method"), "csl");
    expect(session.getState().steps.policy.grid[8].method).toBe("csl");
    expectAllControlsLabelled(view.container);
  });
});

describe("backend wiring", () => {
  function wired(tab: string) {
    const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "B3");
    const sync = new FakeSync();
    const publisher = new FakePublisher();
    const store = new ServerSettingsStore(new MemoryKeyValueStorage());
    const session = createPane({ gateway: gw, runner: createInlineRunner(), auditSync: sync, publisher });
    const user = userEvent.setup();
    const view = render(<App session={session} theme="light" initialTab={tab} settingsExtra={<ServerSettings store={store} testConnection={async () => ({ name: "alice", role: "planner", tokenId: "t1" })} />} />);
    return { gw, sync, publisher, store, session, user, view };
  }

  it("Settings tab: the backend server form sits under the name, every control labelled", async () => {
    const { view, store, user } = wired("settings");
    const section = screen.getByRole("region", { name: "Backend server" });
    const url = within(section).getByRole("textbox", { name: /Server URL/ });
    await waitFor(() => expect((url as HTMLInputElement).disabled).toBe(false));
    expect(await screen.findByRole("textbox", { name: /Your name/ })).toBeTruthy();
    expectAllControlsLabelled(view.container);
    await user.type(url, "http://127.0.0.1:3001");
    await user.type(within(section).getByLabelText(/Token/), "seg_abcdefghijklmnop");
    await user.click(within(section).getByRole("button", { name: "Save" }));
    expect(await within(section).findByText("Saved. The audit trail syncs to http://127.0.0.1:3001.")).toBeTruthy();
    expect(await store.load()).toEqual({ url: "http://127.0.0.1:3001", token: "seg_abcdefghijklmnop" });
  });

  it("Audit tab: SyncStatus shows the sync; Sync now leaves the pane usable and the list follows the marks", async () => {
    const { gw, sync, session, user } = wired("audit");
    await waitFor(() => expect(session.getState().common.running).toBeNull());
    await act(async () => {
      await session.step("classify").readSource("region");
      await session.step("classify").classify();
      await session.step("write").write();
    });
    act(() => sync.set({ kind: "pending", pending: 1, configured: true }));
    const status = screen.getByRole("region", { name: "Audit sync" });
    expect(within(status).getByText("1 pending")).toBeTruthy();
    const table = screen.getByRole("table", { name: "Audit entries" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));
    expect(within(table).getAllByRole("row")[1].textContent).toContain("pending");

    await user.click(within(status).getByRole("button", { name: "Sync now" }));
    expect(within(status).getByRole("button", { name: "Syncing…" })).toBeTruthy();
    // the pane is not busy: its own buttons stay enabled while the sync runs
    expect((screen.getByRole("button", { name: "Verify integrity" }) as HTMLButtonElement).disabled).toBe(false);
    expect(session.getState().common.running).toBeNull();

    await act(async () => {
      await gw.audit.markSynced(gw.auditRows.map((r) => r.entryId));
      sync.set({ kind: "synced" });
      sync.release();
    });
    expect(await within(status).findByText("Synced")).toBeTruthy();
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Audit entries" })).getAllByRole("row")[1].textContent).toContain("synced"));
    await waitFor(() => expect(within(status).getByRole("button", { name: "Sync now" })).toBeTruthy());
  });

  it("Write tab: says what is published, and shows the publisher's state after a Write", async () => {
    const { publisher, session, user } = wired("write");
    await act(async () => {
      await session.step("classify").readSource("region");
      await session.step("classify").classify();
    });
    expect(screen.getByText(/each Write is published there as a snapshot under its model version/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Write sheets" }));
    await screen.findByRole("table", { name: "Last write" });
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    const line = screen.getByRole("region", { name: "Snapshot on the server" });
    expect(line.textContent).toBe(`Publishing model version ${mv}…`);
    act(() => publisher.set({ kind: "published", modelVersion: mv, created: true, seq: 1, items: 10 }));
    expect(line.textContent).toBe(`Published model version ${mv} (10 SKUs)`);
    act(() => publisher.set({ kind: "error", modelVersion: mv, message: "The server refused it." }));
    expect(within(line).getByRole("alert").textContent).toBe(`Publishing ${mv} failed: The server refused it.`);
  });

  it("Overrides tab: an override of the written run shows its publication as <mv>+o1", async () => {
    const { gw, session, user } = wired("overrides");
    await act(async () => {
      await session.step("classify").readSource("region");
      await session.step("classify").classify();
      await session.step("write").write();
    });
    const mv = session.getState().steps.write.lastWrite!.modelVersion;
    gw.selectTableRows(SEGMENTS_TABLE, 3);
    await user.click(screen.getByRole("button", { name: "Read selected rows" }));
    await screen.findByRole("table", { name: "Selected SKUs" });
    await user.selectOptions(screen.getByLabelText(/New segment/), "AZ");
    await user.type(screen.getByRole("textbox", { name: /Reason/ }), "Supplier on allocation");
    await user.click(screen.getByRole("button", { name: "Set override" }));
    await screen.findByText(/Override to AZ set for 1 SKU\(s\): S04/);
    expect(screen.getByRole("region", { name: "Snapshot on the server" }).textContent).toBe(`Publishing model version ${mv}+o1…`);
  });
});
