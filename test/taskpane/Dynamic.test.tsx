/** @jest-environment jsdom */
/**
 * Issue 11's views in the App (React Testing Library over jsdom, the engine in-line): the churn
 * section of the Classify tab (band, second run, churn with and without the control, migration
 * matrix, a band too wide refused), the Rules tab (add a rule, its problem named) and the
 * Stability tab (check, table, chart, sensitivity). The browser test test/e2e/dynamic.e2e.test.ts
 * draws them for real at 320 and 350 px.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "../app/sampleData";
import { installBrowserStubs } from "../helpers/browserStubs";

jest.setTimeout(120_000);

beforeAll(() => {
  installBrowserStubs();
  const original = console.error;
  jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && /^Received NaN for the `(%s|height|y|y2)` attribute/.test(args[0])) return;
    original(...args);
  });
});

function secondData() {
  const rows = sampleSheet();
  rows[1] = [...rows[1]];
  rows[1][2] = 510; // S01: S02's cumulative share becomes 0.802
  return rows;
}

describe("Classify tab: churn control", () => {
  it("a band held S02 on the second run; the churn with and without control and the ABC migration show", async () => {
    const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    render(<App session={session} theme="light" initialTab="classify" />);
    await act(async () => {
      await session.step("classify").readSource("region");
      await session.step("classify").classify();
      await session.step("write").write();
    });
    const band = await screen.findByLabelText("ABC band (share points)", undefined, { timeout: 10000 });
    expect(screen.getByText("No previous classes: churn is reported from the second written run on.")).toBeTruthy();
    // too wide: listed, Classify disabled
    await user.clear(band);
    await user.type(band, "10");
    expect(within(screen.getByRole("alert", { name: "Churn control problems" })).getByText(/^ABC band: band 0\.1 around cut-off 2/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Classify" }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(band);
    await user.type(band, "2");
    expect(session.getState().steps.classify.churn.settings.bands.abc).toBeCloseTo(0.02, 12);
    gw.addSheet("Data", secondData());
    await act(async () => {
      await session.step("classify").readSource("region");
    });
    await user.click(screen.getByRole("button", { name: "Classify" }));
    const status = await screen.findByText(/^Churn 0\.0% with control, 11\.1% without/, undefined, { timeout: 10000 });
    expect(status.textContent).toMatch(/\(0 vs 1 of 9 SKUs changed segment\); 1 held by a band, 0 by the minimum tenure\./);
    const matrix = screen.getByRole("table", { name: /^ABC migration/ });
    const rows = within(matrix).getAllByRole("row").map((r) => r.textContent);
    expect(rows[0]).toBe("FromABCnone");
    expect(rows[1]).toBe("A2000"); // S01 and S02 stay A (S02 by the band)
  });
});

describe("Rules tab", () => {
  it("adds a rule, names a problem with it, and the next Classify applies it", async () => {
    const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    render(<App session={session} theme="light" initialTab="rules" />);
    await act(async () => {
      await session.step("classify").readSource("region");
    });
    await user.click(await screen.findByRole("button", { name: "Add a rule" }, { timeout: 10000 }));
    expect(screen.getByRole("alert", { name: "Business rule problems" }).textContent).toBe("rule 1: give the segment it sets");
    await user.click(screen.getByRole("button", { name: /^1\. rule 1:/ }));
    await user.selectOptions(screen.getByLabelText("Column"), "Description");
    await user.type(screen.getByLabelText("Value"), "Cable");
    expect(screen.getByRole("alert", { name: "Business rule problems" }).textContent).toBe("rule 1: give the segment it sets");
    await user.type(screen.getByLabelText("Segment"), "CRIT");
    expect(screen.getByText("1 rule, no problems: they apply at the next Classify.")).toBeTruthy();
    await act(async () => {
      await session.step("classify").classify();
    });
    const run = session.getState().steps.classify.run!;
    expect(run.result.segment[run.parsed.sku.indexOf("S04")]).toBe("CRIT");
  });
});

describe("Stability tab", () => {
  it("checks stability and shows the segments, the chart and the sensitivity table", async () => {
    const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    render(<App session={session} theme="light" initialTab="stability" />);
    const button = await screen.findByRole("button", { name: "Check stability" }, { timeout: 10000 });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Classify first (Classify tab).")).toBeTruthy();
    await act(async () => {
      await session.step("classify").readSource("region");
      await session.step("classify").classify();
    });
    const runs = screen.getByLabelText("Runs");
    await user.clear(runs);
    await user.type(runs, "30");
    await user.click(screen.getByRole("button", { name: "Check stability" }));
    const t = await screen.findByRole("table", { name: "Stability by segment" }, { timeout: 10000 });
    const sum = session.getState().steps.stability.summary!;
    expect(within(t).getAllByRole("row")).toHaveLength(sum.bySegment.length + 1);
    expect(screen.getByText(new RegExp(`^${sum.skus} SKUs, 30 runs in .*: ${sum.flagged} below 80%\\.$`))).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText("Stay probability by segment chart").querySelector("svg")).not.toBeNull(), { timeout: 10000 });
    const sens = screen.getByRole("table", { name: "Cut-off sensitivity" });
    expect(within(sens).getAllByRole("row")).toHaveLength(9);
    expect(within(sens).getAllByRole("row")[1].textContent).toMatch(/^ABC A\|B 80% → 75%A → B1300 \(30\.0%\)$/);
  });
});
