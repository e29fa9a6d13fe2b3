/** @jest-environment jsdom */
/**
 * Component tests of the issue-15 views (React Testing Library over a PaneSession on the in-memory
 * gateway): the criterion and dimension in the Classify tab with the order lines, its preview and
 * cost-to-serve, the decision record; the Service tab's agreements and contract-term cards; the
 * Execution tab's rule cards and their problems. Figures as worked out in test/app/dimensionsData.ts.
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { clausesSheet, linesSheet } from "../app/dimensionsData";
import { sampleSheet } from "../app/sampleData";
import { installBrowserStubs } from "../helpers/browserStubs";

beforeAll(installBrowserStubs);

function setup(tab = "classify") {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).addSheet("Lines", linesSheet()).addSheet("Contracts", clausesSheet()).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
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

const idle = (session: ReturnType<typeof setup>["session"]) => waitFor(() => expect(session.getState().common.running).toBeNull());

describe("Classify tab: criterion and dimension", () => {
  it("chooses the customer dimension, shows what it needs, reads and maps the order lines, and previews classes and cost-to-serve", async () => {
    const { gw, session, user, view } = setup();
    // there is no tab of its own: the part sits in the Classify tab
    expect(screen.queryByRole("tab", { name: "Criterion and dimension" })).toBeNull();
    // the part is loaded on first show
    await user.selectOptions(await screen.findByLabelText("Dimension (one row is…)"), "customer");
    expect(screen.getByLabelText("Trade-off").textContent).toMatch(/Customer \(operational complexity medium\): Needs a customer id on every order line/);
    const needs = screen.getByRole("list", { name: /Data this choice needs/ });
    expect(within(needs).getByText(/^Customer id: needed \(key\) — not mapped$/)).toBeTruthy();

    gw.select("Lines", "A1");
    await user.click(screen.getByRole("button", { name: "Order lines: current region" }));
    expect(await screen.findByText("Order lines Lines!A1:I9: 9 rows × 9 columns.")).toBeTruthy();
    expect((screen.getByLabelText("Line: Customer id") as HTMLSelectElement).selectedOptions[0].textContent).toBe("B: Customer");
    expect(within(screen.getByRole("list", { name: /Data this choice needs/ })).getByText(/^Customer id: needed \(key\) — mapped \(B: Customer\)$/)).toBeTruthy();
    expectAllControlsLabelled(view.container);

    await user.click(screen.getByRole("button", { name: "Segment the order lines" }));
    const classes = await screen.findByRole("table", { name: "customers per class" });
    expect(within(classes).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["A", "1", "70.0%"],
      ["B", "1", "20.0%"],
      ["C", "1", "10.0%"],
    ]);
    expect(screen.getByText("3 customers from 6 of 8 order lines; 2 rejected (listed below).")).toBeTruthy();
    expect(screen.getByText("Lines!B8: the customer id is blank")).toBeTruthy();
    const cts = screen.getByRole("region", { name: "Cost-to-serve per segment" });
    expect(within(cts).getByText("Out of proportion: C (4.44 ×).")).toBeTruthy();
    expect(within(cts).getByLabelText("Segment C, out of proportion")).toBeTruthy();
    expect(within(cts).getByLabelText("Segment A").textContent).toMatch(/Carbon 18 kg CO2e \(69\.2%\)/);
    await idle(session);

    // the decision record is required now, and named at its field
    expect(screen.getByText(/Required: dimension product → customer\./)).toBeTruthy();
    await user.type(screen.getByLabelText("Rationale for the boundaries and the dimension"), "Tiered service per customer from 2027.");
    expect(screen.queryByText(/Required: dimension product → customer\./)).toBeNull();
    expect(screen.getByText(/^Rationale given for: dimension product → customer\./)).toBeTruthy();
    expectAllControlsLabelled(view.container);
  });

  it("shows the two-axis 3×3 (with the loss column) and the weights' problems and notes", async () => {
    const { gw, session, user } = setup();
    await user.selectOptions(await screen.findByLabelText("Dimension (one row is…)"), "customer");
    await user.selectOptions(screen.getByLabelText("Criterion (ranked by…)"), "score");
    const margin = screen.getByLabelText("Weight: Margin (revenue − cost)");
    await user.clear(margin);
    await user.type(margin, "-0.2");
    expect(screen.getAllByText("Weights: weight of margin is -0.2: weights must be 0 or more.").length).toBeGreaterThan(0);
    await user.clear(margin);
    await user.type(margin, "0.5");
    expect(screen.getByText(/^Note: weights sum to 1\.2, not 1: each was divided by 1\.2 \(value 0\.416667, margin 0\.416667, orderLines 0\.166667\)\.$/)).toBeTruthy();

    await user.selectOptions(screen.getByLabelText("Criterion (ranked by…)"), "twoAxis");
    gw.select("Lines", "A1");
    await user.click(screen.getByRole("button", { name: "Order lines: current region" }));
    await screen.findByText(/Order lines Lines!A1:I9/);
    await user.click(screen.getByRole("button", { name: "Segment the order lines" }));
    const grid = await screen.findByRole("table", { name: "Keys per Value (revenue) × Margin (revenue − cost) cell" });
    expect(within(grid).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["", "A", "B", "C", "L"]);
    expect(within(grid).getByLabelText("AA: 1 keys, 70.0% of value (revenue), 77.8% of margin (revenue − cost)")).toBeTruthy();
    expect(within(grid).getByLabelText("CL: 1 keys, 10.0% of value (revenue), 0.0% of margin (revenue − cost)")).toBeTruthy();
    await idle(session);
  });
});

describe("Service tab", () => {
  it("keeps agreements per tier in percent and lists contract terms as cards with the span highlighted, to accept or correct", async () => {
    const { gw, session, user, view } = setup("service");
    await user.click(await screen.findByRole("button", { name: "Add a tier" }));
    const gold = screen.getByRole("listitem", { name: "Tier gold" });
    const level = within(gold).getByLabelText("Service level (%)");
    await user.clear(level);
    await user.type(level, "98.5");
    expect(session.getState().steps.service.agreements[0].serviceLevel).toBeCloseTo(0.985, 12);
    await user.clear(level);
    await user.type(level, "120");
    expect(screen.getByRole("alert", { name: "Agreement problems" }).textContent).toMatch(/tier gold service level must be above 0 % and below 100 % \(e\.g\. 95 %\), got 120 %/);
    await user.clear(level);
    await user.type(level, "98.5");

    gw.select("Contracts", "A1");
    await user.click(screen.getByRole("button", { name: "Clauses: current region" }));
    await screen.findByText("Clauses Contracts!A1:C5: 5 rows.");
    await user.click(screen.getByRole("button", { name: "Extract terms" }));
    const cards = await screen.findByRole("list", { name: "Extracted terms" });
    const first = within(cards).getByRole("listitem", { name: "Clause Contracts!C2" });
    expect(first.querySelector("mark")?.textContent).toBe("fill rate of at least 98.5%");
    const term = within(first).getByRole("group", { name: "Fill rate at least 98.5 % (to check)" });
    expect(term.textContent).toMatch(/confidence 90%/);
    const french = within(cards).getByRole("listitem", { name: "Clause Contracts!C4" });
    expect(within(french).getByRole("note").textContent).toBe("Flagged: not English (fr): no terms read.");

    await user.click(within(first).getByRole("button", { name: "Accept: Fill rate at least 98.5 %" }));
    expect(within(first).getByRole("group", { name: "Fill rate at least 98.5 % (accepted)" })).toBeTruthy();
    expect(within(screen.getByRole("list", { name: "Customer tiers from contracts" })).getByText("C1: tier gold (requires 98.5%)")).toBeTruthy();

    // correct the second clause's fill rate, then accept it
    const second = within(cards).getByRole("listitem", { name: "Clause Contracts!C3" });
    await user.click(within(second).getByRole("button", { name: "Correct: Fill rate at least 96 %" }));
    const min = within(second).getByLabelText("Minimum");
    await user.clear(min);
    await user.type(min, "97");
    await user.click(within(second).getByRole("button", { name: "Accept corrected" }));
    expect(within(second).getByRole("group", { name: "Fill rate at least 97 % (accepted, corrected)" })).toBeTruthy();
    expectAllControlsLabelled(view.container);
    await idle(session);
  });
});

describe("Execution tab", () => {
  it("edits rules as cards and names both rules of a contradiction", async () => {
    const { session, user, view } = setup("execution");
    expect(await screen.findByRole("button", { name: /^R2 · segment A\* · picking priority 1, ATP window 2 days/ })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Add a rule" }));
    await user.click(screen.getByRole("button", { name: /^R5 · every segment · nothing/ }));
    const seg = screen.getByLabelText("R5: segment");
    await user.clear(seg);
    await user.type(seg, "A*");
    await user.type(screen.getByLabelText("R5: picking priority"), "2");
    const alert = screen.getByRole("alert", { name: "Rule problems" });
    expect(alert.textContent).toMatch(/rules R2 and R5 contradict each other on pickingPriority: both apply to AX \/ smooth with the same specificity and set 1 vs 2/);
    expect((screen.getByRole("button", { name: "Preview flags" }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(seg);
    await user.type(seg, "AZ");
    expect(screen.queryByRole("alert", { name: "Rule problems" })).toBeNull();
    expect(session.getState().steps.execution.rules.find((r) => r.id === "R5")).toEqual({ id: "R5", segment: "AZ", pickingPriority: 2 });
    expectAllControlsLabelled(view.container);
  });
});
