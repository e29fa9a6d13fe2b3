/** @jest-environment jsdom */
/**
 * The Forecast tab in React Testing Library (jsdom) over a PaneSession on the in-memory workbook:
 * the segment picker and its form, the run, the preview table and chart, the method mix, the SKU
 * search and chart, an override within the cap and one that needs the second person's approval.
 */
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { forecastSheet } from "../app/forecastData";
import { installBrowserStubs } from "../helpers/browserStubs";

beforeAll(installBrowserStubs);

async function classified() {
  const gw = new MemoryGateway().addSheet("Data", forecastSheet()).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  await session.step("settings").setUserName("Ana Planner");
  const user = userEvent.setup();
  const view = render(<App session={session} theme="light" initialTab="forecast" />);
  await act(async () => {
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
  });
  return { gw, session, user, view };
}

function unlabelled(root: HTMLElement): string[] {
  const controls = root.querySelectorAll<HTMLElement>("input, select, textarea, button");
  return [...controls]
    .filter((el) => {
      if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return false;
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length && [...labels].some((l) => (l.textContent ?? "").trim())) return false;
      return !(el.tagName === "BUTTON" && (el.textContent ?? "").trim());
    })
    .map((el) => el.outerHTML.slice(0, 100));
}

// userEvent types key by key and Fluent re-renders the whole tab each time: slow on a shared machine
jest.setTimeout(120_000);

describe("Forecast tab", () => {
  it("a segment's form, the run, the preview, a SKU's chart and an override with a second approval", async () => {
    const { user, session, gw, view } = await classified();
    // the tab loads on first opening; then the picker: AX selected, its form below
    expect(await screen.findByRole("region", { name: "Forecast settings of segment AX" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: /^CZ: WAPE up to 50%/ }));
    const cz = screen.getByRole("region", { name: "Forecast settings of segment CZ" });
    const limit = within(cz).getByLabelText("WAPE limit (%)");
    await user.clear(limit);
    await user.type(limit, "40");
    expect(session.getState().steps.forecast.settings.segments.find((g) => g.segment === "CZ")!.wapeMax).toBeCloseTo(0.4, 12);
    await user.selectOptions(within(cz).getByLabelText("Lumpy demand"), "croston");
    expect(session.getState().steps.forecast.settings.segments.find((g) => g.segment === "CZ")!.methods.lumpy).toBe("croston");
    expect(unlabelled(view.container)).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Forecast" }));
    const table = await screen.findByRole("table", { name: "Accuracy and bias by segment" });
    const rows = within(table).getAllByRole("row").slice(1);
    // segments with SKUs only: AX, AY, BX, BZ, CX, CZ
    expect(rows.map((r) => within(r).getAllByRole("cell")[0].textContent)).toEqual(["AX", "AY", "BX", "BZ", "CX", "CZ"]);
    expect(within(rows[4]).getAllByRole("cell")[3].textContent).toMatch(/^\d+\/3$/);
    expect(screen.getByRole("region", { name: "WAPE and bias by segment" })).toBeTruthy();
    const mix = screen.getByRole("table", { name: "Method mix" });
    expect(within(mix).getByRole("row", { name: /croston/ })).toBeTruthy(); // C3 (CZ, lumpy) fixed to croston

    // the SKU search: blank lists the exceptions first, typing narrows the list
    const find = screen.getByLabelText("Find a SKU");
    await user.type(find, "c");
    const pick = screen.getByLabelText(/^SKU \(4 listed\)/);
    await user.selectOptions(pick, "C4");
    expect(await screen.findByRole("region", { name: "Actual and forecast: C4" })).toBeTruthy();
    expect(screen.getByText(/^C4 \(Item C4\): CX, smooth/)).toBeTruthy();

    // an override within CX's ±50 % cap
    const form = screen.getByRole("region", { name: "Overrides of C4" });
    await user.selectOptions(within(form).getByLabelText("Period"), "2");
    const qty = within(form).getByLabelText("New forecast (units)");
    await user.type(qty, "6");
    await user.click(within(form).getByRole("button", { name: "Set override" }));
    expect(within(form).getByRole("textbox", { name: /Reason/ }).getAttribute("aria-invalid")).toBe("true");
    await user.type(within(form).getByRole("textbox", { name: /Reason/ }), "trade fair");
    await user.click(within(form).getByRole("button", { name: "Set override" }));
    await waitFor(() => expect(gw.auditRows.at(-1)?.action).toBe("forecast-override-set"));
    expect((await within(form).findByRole("list", { name: "Current overrides of C4" })).textContent).toMatch(/^T\+2: 6\.0 \(was [\d.]+\) — trade fair$/);

    // a change far beyond the cap opens the approval dialog
    await user.selectOptions(within(form).getByLabelText("Period"), "3");
    await user.clear(qty);
    await user.type(qty, "60");
    await user.type(within(form).getByRole("textbox", { name: /Reason/ }), "one-off tender");
    await user.click(within(form).getByRole("button", { name: "Set override" }));
    const dialog = await screen.findByRole("alertdialog", { hidden: true });
    expect(within(dialog).getByText(/Ana Planner asks to change C4 T\+3 from [\d.]+ to 60\.0/)).toBeTruthy();
    await user.type(within(dialog).getByRole("textbox", { name: /Approver's name/, hidden: true }), "Ana Planner");
    await user.type(within(dialog).getByRole("textbox", { name: /Approver's reason/, hidden: true }), "ok");
    await user.click(within(dialog).getByRole("button", { name: "Approve", hidden: true }));
    await waitFor(() => expect(session.getState().common.errorField).toBe("approver"));
    const name = within(dialog).getByRole("textbox", { name: /Approver's name/, hidden: true });
    await user.clear(name);
    await user.type(name, "Bo Approver");
    await user.click(within(dialog).getByRole("button", { name: "Approve", hidden: true }));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).toBeNull());
    expect(gw.auditRows.slice(-2).map((r) => r.action)).toEqual(["forecast-override-set", "forecast-override-approved"]);
    await waitFor(() => expect(within(form).getByRole("list", { name: "Current overrides of C4" }).textContent).toMatch(/approved by Bo Approver/));
    expect(unlabelled(view.container)).toEqual([]);
  });

  it("keeps Forecast disabled until a classification is in and lists the settings' problems", async () => {
    const gw = new MemoryGateway().addSheet("Data", forecastSheet()).select("Data", "A1");
    const session = createPane({ gateway: gw, runner: createInlineRunner() });
    const user = userEvent.setup();
    render(<App session={session} theme="light" initialTab="forecast" />);
    expect(((await screen.findByRole("button", { name: "Forecast" })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/^Classify first/)).toBeTruthy();
    const h = screen.getByLabelText("Horizon (periods)");
    await user.clear(h);
    await user.type(h, "200");
    expect(screen.getByRole("alert", { name: "Forecast setting problems" }).textContent).toContain("Horizon must be a whole number of periods from 1 to 104; got 200.");
  });
});
