/** @jest-environment jsdom */
/**
 * The Scenarios and Network tabs rendered in the App (React Testing Library over jsdom, the engine
 * in-line): what the planner sees and clicks. The browser end-to-end test draws the same views
 * for real at 320 and 350 px.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { NETWORK_POLICY_TABLE } from "../../src/app/networkSheet";
import type { CellValue } from "../../src/app/ports";
import { SCENARIO_TOTALS_TABLE } from "../../src/app/scenarioSheet";
import { normalCdf } from "../../src/engine/stats";
import { App } from "../../src/taskpane/App";
import { pct } from "../../src/taskpane/format";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "../app/sampleData";
import { installBrowserStubs } from "../helpers/browserStubs";

beforeAll(() => {
  installBrowserStubs();
  // jsdom lays nothing out, so the grouped bar chart measures its legend as nothing and React warns
  // about the NaN height it derives; chromium draws it (test/e2e/scenarios.e2e.test.ts). Other
  // console errors still show.
  const original = console.error;
  jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && /^Received NaN for the `(%s|height|y)` attribute/.test(args[0])) return;
    original(...args);
  });
});

/** The name a screen reader announces (the common cases of the accessible-name computation). */
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

function render6_5(gw: MemoryGateway) {
  const z1 = normalCdf(1);
  const rows: CellValue[][] = [
    ["Stage", "Downstream stage", "Processing time", "Holding cost", "Demand mean", "Demand sd", "Inbound service time", "Max outbound service time", "Service level"],
    ["1", "3", 2, 1, null, null, 1, null, null],
    ["2", "customer", 1, 3, 0, 1, null, 0, z1],
    ["3", "2, 4", 1, 2, null, null, null, null, null],
    ["4", "customer", 1, 3, 0, 1, null, 1, z1],
  ];
  return gw.addSheet("Network", rows);
}

describe("Scenarios tab", () => {
  async function classified() {
    const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "B3");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    const view = render(<App session={session} theme="light" initialTab="scenarios" />);
    await act(async () => {
      await session.step("classify").readSource("region");
      await session.step("classify").classify();
    });
    return { gw, session, user, view };
  }

  it("four scenario cards, the options, Simulate; the totals cards, the chart and one segment's table; Use this scenario reaches the Policy tab", async () => {
    const { gw, session, user, view } = await classified();
    for (const name of ["Today", "Proposed grid", "Budget 80 %", "A up to 70 %"]) expect(screen.getByRole("region", { name: new RegExp(`^Scenario \\d: ${name}$`) })).toBeTruthy();
    expect(screen.getByText("Ready: 10 SKUs classified.")).toBeTruthy();
    const reps = screen.getByLabelText("Replications");
    await user.clear(reps);
    await user.type(reps, "6");
    const horizon = screen.getByLabelText("Horizon (periods)");
    await user.type(horizon, "26");
    expect(session.getState().steps.scenarios.settings).toMatchObject({ replications: 6, horizon: 26 });
    expectAllControlsLabelled(view.container);

    await user.click(screen.getByRole("button", { name: "Simulate" }));
    const budget = await screen.findByRole("region", { name: "Totals of Budget 80 %" }, { timeout: 15000 });
    const o = session.getState().steps.scenarios.outcome!;
    expect(within(budget).getByText("Fill rate").nextSibling?.textContent).toBe(`${pct(o.total.value.fillRate[2].mean)} ± ${pct(o.total.value.fillRate[2].halfWidth)}`);
    expect(within(budget).getByText("Cost change")).toBeTruthy();
    expect(within(screen.getByRole("region", { name: "Totals of Today" })).queryByText("Cost change")).toBeNull();
    // the chart library loads on first use (its own chunk in the pane)
    await waitFor(() => expect(screen.getByRole("region", { name: "Fill rate by segment and scenario" }).querySelector("svg")).not.toBeNull(), { timeout: 10000 });
    await user.selectOptions(screen.getByLabelText("Chart"), "stockValue");
    expect(screen.getByRole("region", { name: "Stock value by segment and scenario" })).toBeTruthy();
    const table = screen.getByRole("table", { name: "Scenarios in segment AX" });
    expect(within(table).getAllByRole("row")).toHaveLength(5);
    await user.selectOptions(screen.getByLabelText("Segment"), "CX");
    expect(within(screen.getByRole("table", { name: "Scenarios in segment CX" })).getAllByRole("row")[1].textContent).toMatch(/^Today \(3\)/);
    expectAllControlsLabelled(view.container);

    await user.click(screen.getByRole("button", { name: "Use this scenario: Budget 80 %" }));
    await waitFor(() => expect(session.getState().common.running).toBeNull(), { timeout: 15000 });
    expect(session.getState().common.error).toBeNull();
    await screen.findByText(/^Chose "Budget 80 %"/);
    expect(within(screen.getByRole("region", { name: "Totals of Budget 80 %" })).getByText(/– chosen/)).toBeTruthy();
    expect(gw.table(SCENARIO_TOTALS_TABLE)!.rows.map((r) => r[11])).toEqual(["", "", "yes", ""]);
    await user.click(screen.getByRole("tab", { name: "Policy" }));
    const ax = o.grids[2].find((p) => p.segment === "AX")!;
    expect(within(await screen.findByRole("group", { name: "Segments" })).getByRole("button", { name: `AX: ${pct(ax.serviceLevel)} fill rate, auto distribution` })).toBeTruthy();
  });

  it("a problem is listed and Simulate stays disabled; Add is refused at four", async () => {
    const { user } = await classified();
    const name = within(screen.getByRole("region", { name: "Scenario 2: Proposed grid" })).getByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Today");
    expect(screen.getByRole("alert", { name: "Scenario problems" }).textContent).toContain('Two scenarios are called "Today"');
    expect((screen.getByRole("button", { name: "Simulate" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Add" }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getAllByRole("button", { name: "Remove scenario Today" })[1]);
    expect((screen.getByRole("button", { name: "Add" }) as HTMLButtonElement).disabled).toBe(false);
    await waitFor(() => expect(screen.queryByRole("alert", { name: "Scenario problems" })).toBeNull());
  });
});

describe("Network tab", () => {
  it("reads the Network table, solves (the chart and the per-stage table), writes the Network policy sheet", async () => {
    const gw = render6_5(new MemoryGateway()).select("Network", "A1");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    const view = render(<App session={session} theme="light" initialTab="network" />);
    await user.click(await screen.findByRole("button", { name: "Use current region" }));
    expect(await screen.findByText(/^Network!A1:I5: 5 rows\. Columns: Stage, Downstream stage, Processing time, Holding cost, Demand mean, Demand sd, Inbound service time, Max outbound service time, Service level\.$/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Solve" }));
    const table = await screen.findByRole("table", { name: "Network policy per stage" }, { timeout: 15000 });
    expect(within(table).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["1", "0", "3", "2.4"],
      ["2", "0", "1", "1.0"],
      ["3", "0", "1", "1.4"],
      ["4", "1", "0", "0.0"],
    ]);
    await waitFor(() => expect(screen.getByRole("region", { name: "Safety stock by stage" }).querySelector("svg")).not.toBeNull(), { timeout: 10000 });
    expect(screen.getByText(/safety stock at 3 of them; holding cost 8\.28 per period/)).toBeTruthy();
    expect(gw.table(NETWORK_POLICY_TABLE)).toBeUndefined();
    expectAllControlsLabelled(view.container);
    await user.click(screen.getByRole("button", { name: "Write Network policy sheet" }));
    await screen.findByText(/^Wrote the Network policy sheet/, undefined, { timeout: 15000 });
    expect(gw.table(NETWORK_POLICY_TABLE)!.rows).toHaveLength(4);
  });

  it("lists bad cells and shows a bad default service level at its field", async () => {
    const gw = new MemoryGateway()
      .addSheet("Network", [
        ["Stage", "Downstream stage", "Processing time", "Holding cost", "Demand mean", "Demand sd"],
        ["A", "B", -2, 1, null, null],
        ["B", "", 1, 1, 5, 1],
      ])
      .select("Network", "A1");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    render(<App session={session} theme="light" initialTab="network" />);
    await user.click(await screen.findByRole("button", { name: "Use current region" }));
    expect((await screen.findByRole("alert", { name: "Network problems" })).textContent).toBe('Network!C2 (stage "A"): processing time must be 0 or more periods, got -2');
    const level = screen.getByLabelText("Default service level (%)");
    await user.clear(level);
    await user.type(level, "120");
    await user.click(screen.getByRole("button", { name: "Solve" }));
    expect((await screen.findAllByText("The default service level must be above 0 % and below 100 % (e.g. 95 %), got 120 %.")).length).toBeGreaterThan(0);
    expect(level.getAttribute("aria-invalid")).toBe("true");
  });
});
