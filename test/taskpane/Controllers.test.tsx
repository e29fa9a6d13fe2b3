/** @jest-environment jsdom */
/**
 * Component tests of the controller views (React Testing Library over a PaneSession on the
 * in-memory gateway): the Reconcile tab (finance sheet, mapping, category rules, the result, the
 * Reconciliation sheet, approval) and the Versions tab (run history, diff, rollback, change
 * control). Figures as worked out in test/app/reconcileData.ts and test/app/versions.session.test.ts.
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { RECON_SUMMARY_TABLE } from "../../src/app/reconciliationSheet";
import { SEGMENTS_TABLE } from "../../src/app/sheets";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { financeSheet } from "../app/reconcileData";
import { sampleSheet } from "../app/sampleData";
import { installBrowserStubs } from "../helpers/browserStubs";
import { ControllerRefusal, type ControllerService, type ServerChangeRequest, type ServerReconciliation } from "../../src/app/controllerBackend";

beforeAll(installBrowserStubs);

/**
 * The backend as the views see it (the real one is tested in test/app/controllerBackend.test.ts):
 * it stores reconciliations and change requests by id and refuses an approval by the recorder
 * (four eyes), as src/server/routes/controls.ts does; `me` is the token's name.
 */
class FakeControllers implements ControllerService {
  me = "alice";
  readonly recs = new Map<string, ServerReconciliation>();
  readonly reqs = new Map<string, ServerChangeRequest>();
  async configured() {
    return true;
  }
  async recordReconciliation(workbookId: string, input: Parameters<ControllerService["recordReconciliation"]>[1]) {
    const had = this.recs.get(input.reconciliationId);
    const record = had ?? { workbookId, ...input, summary: input.summary ?? {}, recordedAt: "2026-12-01T09:00:00.000Z", recordedBy: this.me, approval: null };
    this.recs.set(input.reconciliationId, record);
    return { created: !had, record };
  }
  async approveReconciliation(_wb: string, id: string, comment: string) {
    const r = this.recs.get(id)!;
    if (r.recordedBy === this.me) throw new ControllerRefusal("four-eyes", `The server refused to approve reconciliation ${id} (four eyes): ${this.me} recorded reconciliation ${id} and may not approve it; another controller must. Nothing was recorded in the workbook.`, 403);
    r.approval = { by: this.me, at: "2026-12-01T10:00:00.000Z", comment };
    return r;
  }
  async reconciliations() {
    return [...this.recs.values()];
  }
  async createChangeRequest(workbookId: string, input: Parameters<ControllerService["createChangeRequest"]>[1]) {
    const record: ServerChangeRequest = { workbookId, ...input, status: "pending", requestedAt: "2026-12-01T09:00:00.000Z", requestedBy: this.me, decision: null };
    this.reqs.set(input.requestId, record);
    return { created: true, record };
  }
  async changeRequest(_wb: string, id: string) {
    return this.reqs.get(id) ?? null;
  }
  async decideChangeRequest(_wb: string, id: string, decision: "approve" | "reject", comment: string) {
    const r = this.reqs.get(id)!;
    r.status = decision === "approve" ? "approved" : "rejected";
    r.decision = { by: this.me, at: "2026-12-01T10:00:00.000Z", comment };
    return r;
  }
}

async function setup(tab: string, controllers?: ControllerService) {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).addSheet("Finance", financeSheet()).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner(), controllers });
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  const user = userEvent.setup();
  const view = render(<App session={session} theme="light" initialTab={tab} />);
  return { gw, session, user, view };
}

function accessibleName(el: HTMLElement): string {
  const by = el.getAttribute("aria-labelledby");
  if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
  const aria = el.getAttribute("aria-label");
  if (aria) return aria.trim();
  const labels = (el as HTMLInputElement).labels;
  if (labels && labels.length) return [...labels].map((l) => l.textContent ?? "").join(" ").trim();
  if (el.tagName === "BUTTON" || el.getAttribute("role") === "tab") return (el.textContent ?? "").trim();
  return "";
}

function expectAllControlsLabelled(root: HTMLElement) {
  const controls = root.querySelectorAll<HTMLElement>("input, select, textarea, button, [role=tab], [role=radio]");
  expect(controls.length).toBeGreaterThan(0);
  expect([...controls].filter((c) => accessibleName(c) === "").map((c) => c.outerHTML.slice(0, 120))).toEqual([]);
}


const idle = (session: Awaited<ReturnType<typeof setup>>["session"]) => waitFor(() => expect(session.getState().common.running).toBeNull(), { timeout: 20000 });

jest.setTimeout(120_000);

describe("Reconcile tab", () => {
  it("reads and maps the finance sheet, takes a category rule, reconciles, writes the sheet and approves it with a comment", async () => {
    const { gw, session, user, view } = await setup("reconcile");
    gw.select("Finance", "A1");
    await user.click(await screen.findByRole("button", { name: "Use current region" }, { timeout: 15000 }));
    expect(await screen.findByText("Finance!A1:D14: 14 rows × 4 columns.")).toBeTruthy();
    expect((screen.getByLabelText("SKU / material") as HTMLSelectElement).selectedOptions[0].textContent).toBe("A: Material");
    expect((screen.getByLabelText("Book value") as HTMLSelectElement).selectedOptions[0].textContent).toBe("C: Stock value");
    await user.click(screen.getByRole("button", { name: "Add a rule" }));
    await user.type(screen.getByLabelText("Category 1"), "Obsolescence reserve");
    await user.type(screen.getByLabelText("Allowed"), "inactive");
    expectAllControlsLabelled(view.container);
    await user.click(screen.getByRole("button", { name: "Reconcile" }));
    await idle(session);
    const result = screen.getByRole("region", { name: "Result" });
    expect(within(result).getByRole("status").textContent).toBe("Unexplained differences");
    expect(within(result).getByText(/^Segmentation 1,000\.00 \(10 SKUs\) against finance 952\.20 \(11 rows\): difference 47\.80 \(5\.02%\)/)).toBeTruthy();
    const statuses = within(screen.getByRole("list", { name: "Items per status" })).getAllByRole("listitem").map((li) => li.textContent);
    expect(statuses).toEqual([
      "ties out: 6 items, segmentation 540, finance 540, difference 0.00",
      "within tolerance: 1 item, segmentation 300, finance 300, difference -0.20",
      "unexplained: 4 items, segmentation 160, finance 112, difference 48.00",
    ]);
    expect(within(screen.getByRole("region", { name: "Rejected finance rows" })).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      'Finance!C13: book value: text "1,234.50" is not a number',
      "Finance!A14: the SKU is blank",
    ]);
    expect(within(screen.getByRole("region", { name: "Category-rule violations" })).getByText(/SKU "S05" is in category "Obsolescence reserve", which allows inactive/)).toBeTruthy();
    expect(within(screen.getByRole("region", { name: "Value differences" })).getByText(/^S03 \(BX, finance row 4\): 80\.00 against 70\.00, difference 10\.00/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Write the Reconciliation sheet" }));
    await idle(session);
    expect(gw.table(RECON_SUMMARY_TABLE)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Approve" }));
    await idle(session);
    expect(screen.getAllByText("Write a comment with the approval (what was checked, who agreed the differences).").length).toBeGreaterThan(0);
    await user.type(screen.getByLabelText("Approval comment"), "Checked with plant 1000");
    await user.click(screen.getByRole("button", { name: "Approve" }));
    await idle(session);
    expect(screen.getByText(/^Approved by \(name not set\) at .* UTC: “Checked with plant 1000”$/)).toBeTruthy();
    expectAllControlsLabelled(view.container);
  });
});

describe("Reconcile tab with a server", () => {
  it("records on the server, shows a four-eyes refusal as a warning with nothing written, and Refresh brings in the approval made elsewhere", async () => {
    const server = new FakeControllers();
    const { gw, session, user, view } = await setup("reconcile", server);
    gw.select("Finance", "A1");
    await user.click(await screen.findByRole("button", { name: "Use current region" }, { timeout: 15000 }));
    await user.click(screen.getByRole("button", { name: "Reconcile" }));
    await idle(session);
    // unexplained differences (reconcileData.ts): the notice is a warning
    expect(view.container.querySelector("[data-intent]")!.getAttribute("data-intent")).toBe("warning");
    await user.click(screen.getByRole("button", { name: "Write the Reconciliation sheet" }));
    await idle(session);
    expect(server.recs.size).toBe(1);
    const approval = screen.getByRole("region", { name: "Approval" });
    expect(within(approval).getByText("On the server: the approval is given there (a controller other than the one who recorded it).")).toBeTruthy();
    const before = gw.auditRows.length;
    await user.type(screen.getByLabelText("Approval comment"), "Checked with plant 1000");
    await user.click(screen.getByRole("button", { name: "Approve" }));
    await idle(session);
    const status = screen.getAllByRole("status").find((el) => /four eyes/.test(el.textContent ?? ""))!;
    expect(status.textContent).toMatch(/The server refused to approve reconciliation \S+ \(four eyes\): alice recorded reconciliation \S+ and may not approve it; another controller must\. Nothing was recorded in the workbook\./);
    expect(view.container.querySelector("[data-intent]")!.getAttribute("data-intent")).toBe("warning");
    expect(gw.auditRows.length).toBe(before);
    expect(screen.queryByText(/^Approved by/)).toBeNull();
    // dave approves on the server; Refresh shows it and records it in the trail
    server.me = "dave";
    await server.approveReconciliation("wb", [...server.recs.keys()][0], "agreed with finance");
    await user.click(screen.getByRole("button", { name: "Refresh from the server" }));
    await idle(session);
    expect(screen.getByText("Approved by dave at 2026-12-01 10:00 UTC: “agreed with finance”")).toBeTruthy();
    expect(gw.auditRows.filter((r) => r.action === "reconciliation-approved")).toHaveLength(1);
    expectAllControlsLabelled(view.container);
  });
});

describe("Change control with a server", () => {
  it("shows the request on the server, rejects it there with a comment, and Refresh reads the decision as a warning", async () => {
    const server = new FakeControllers();
    const { gw, session, user } = await setup("classify", server);
    await session.step("control").setMode("approval");
    await session.step("write").write();
    session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
    await session.step("control").requestChange("CZ parts are critical spares now");
    expect(server.reqs.size).toBe(1);
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/\(asked the server just now\)$/);
    const v = render(<App session={session} theme="light" initialTab="versions" />);
    expect(await screen.findByText("On the server: the server's decision counts, and the Write asks it again right before writing.", undefined, { timeout: 15000 })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Reject the change" }));
    await idle(session);
    expect(screen.getAllByText("Write why the change is rejected.").length).toBeGreaterThan(0);
    await user.type(screen.getByLabelText("Approval comment (controller)"), "CZ stays at 90 %");
    await user.click(screen.getByRole("button", { name: "Reject the change" }));
    await idle(session);
    expect(screen.getByText(/^Rejected change request by \(name not set\) .*Rejected by alice: CZ stays at 90 %$/)).toBeTruthy();
    expect(gw.auditRows.filter((r) => r.action === "change-rejected")).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Reject the change" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Refresh from the server" }));
    await idle(session);
    expect(v.container.querySelector("[data-intent]")!.getAttribute("data-intent")).toBe("warning");
    expect(v.container.querySelector("[data-intent]")!.textContent).toMatch(/rejected by alice \(“CZ stays at 90 %”\)\. Change the parameters back, or record a new request\./);
    expectAllControlsLabelled(v.container);
  });
});

describe("Versions tab", () => {
  it("lists the runs, compares two, rolls back with a required reason, and shows change control", async () => {
    const { gw, session, user, view } = await setup("classify");
    gw.sheet("Data")!.cells[3][2] = 600;
    gw.select("Data", "A1");
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    await session.step("write").write();
    view.unmount();
    const v = render(<App session={session} theme="light" initialTab="versions" />);
    const list = await screen.findByRole("list", { name: "Model versions" }, { timeout: 15000 });
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(2), { timeout: 15000 });
    expect(within(list).getAllByRole("listitem")[0].textContent).toMatch(/\(on the sheets\)/);
    expect(within(list).getAllByRole("listitem")[0].textContent).toMatch(/Value change: AX \+600, AY -300, BX -80, BY \+300, BZ -50, CZ \+50/);
    await user.click(screen.getByRole("button", { name: "Compare" }));
    await idle(session);
    expect(screen.getByText("3 of 10 SKUs moved (churn 30.0%, value churn 62.5%); 0 new, 0 removed.")).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Movers" })).getAllByRole("listitem").map((li) => li.textContent?.split(" (")[0])).toEqual(["S03: BX → AX, data", "S02: AY → BY, data", "S04: BZ → CZ, data"]);
    const before = JSON.stringify(gw.table(SEGMENTS_TABLE)!.rows);
    await user.click(screen.getByRole("button", { name: "Roll back" }));
    await idle(session);
    expect(screen.getAllByText("Give the reason for the rollback (at least 10 characters): it goes into the audit trail.").length).toBeGreaterThan(0);
    expect(JSON.stringify(gw.table(SEGMENTS_TABLE)!.rows)).toBe(before);
    await user.type(screen.getByLabelText("Reason (required)"), "S03 value was a typo");
    await user.click(screen.getByRole("button", { name: "Roll back" }));
    await idle(session);
    expect(screen.getByText(/^Restored \S+ \(replacing \S+\): S03 value was a typo$/)).toBeTruthy();
    expect(gw.auditRows.some((r) => r.action === "version-rolled-back")).toBe(true);
    expect(screen.getByRole("heading", { name: "Change control" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Data quality" })).toBeTruthy();
    expectAllControlsLabelled(v.container);
  });
});
