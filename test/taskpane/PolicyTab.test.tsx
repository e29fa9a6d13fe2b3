/** @jest-environment jsdom */
/**
 * The Policy tab's new fields (React Testing Library, jsdom): the per-segment form keeps the 3x3
 * picker and adds method "cost" with its shortage cost and critical ratio, distribution, order
 * multiple, MOQ and MRP type; the budget and capacity settings; the preview with its chart and
 * lists; the MRP export's fields and names; every control labelled.
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { webcrypto } from "node:crypto";
import { TextDecoder, TextEncoder } from "node:util";
import { createInlineRunner } from "../../src/app/engineRunner";
import { SETTINGS } from "../../src/app/sheets";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "../app/sampleData";

beforeAll(() => {
  if (!window.matchMedia) {
    Object.defineProperty(window, "matchMedia", {
      value: (q: string) => ({ matches: false, media: q, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, onchange: null, dispatchEvent: () => false }),
    });
  }
  if (!("ResizeObserver" in window)) {
    Object.defineProperty(window, "ResizeObserver", {
      value: class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    });
  }
  const proto = window.SVGElement.prototype as unknown as Record<string, unknown>;
  proto.getComputedTextLength = function (this: SVGElement) {
    return (this.textContent?.length ?? 0) * 6;
  };
  proto.getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 });
  HTMLCanvasElement.prototype.getContext = (() => ({ font: "", measureText: (t: string) => ({ width: t.length * 6 }) })) as unknown as HTMLCanvasElement["getContext"];
  Object.defineProperty(globalThis, "crypto", { value: webcrypto, configurable: true });
  Object.assign(globalThis, { TextEncoder, TextDecoder });
});

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "B3");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  const user = userEvent.setup();
  const view = render(<App session={session} theme="light" initialTab="policy" />);
  return { gw, session, user, view };
}

function unlabelled(root: HTMLElement): string[] {
  return [...root.querySelectorAll<HTMLElement>("input, select, textarea, button, [role=radio]")]
    .filter((el) => {
      const by = el.getAttribute("aria-labelledby");
      if (by && by.split(/\s+/).some((id) => (document.getElementById(id)?.textContent ?? "").trim())) return false;
      if ((el.getAttribute("aria-label") ?? "").trim()) return false;
      const labels = (el as HTMLInputElement).labels;
      if (labels && [...labels].some((l) => (l.textContent ?? "").trim())) return false;
      return !(el.tagName === "BUTTON" && (el.textContent ?? "").trim());
    })
    .map((el) => el.outerHTML.slice(0, 120));
}

it("edits a segment's method, distribution, order multiple, MOQ and MRP type; cost shows its critical ratio", async () => {
  const { session, user, view } = setup();
  const grid = await screen.findByRole("group", { name: "Segments" });
  await user.click(within(grid).getByRole("button", { name: /^BY:/ }));
  await user.selectOptions(screen.getByLabelText("Distribution"), "negbin");
  expect(session.getState().steps.policy.grid[4].distribution).toBe("negbin");
  expect(within(grid).getByRole("button", { name: "BY: 95.0% cycle service level, neg. bin. distribution" })).toBeTruthy();
  await user.selectOptions(screen.getByLabelText("Method"), "cost");
  // the service level gives way to the shortage cost; 225 % against a 25 % holding cost: 90 %
  expect(screen.queryByLabelText("Service level (%)")).toBeNull();
  expect(screen.getByText("Critical ratio 90.0% at 25% holding.")).toBeTruthy();
  const multiple = screen.getByLabelText("Order multiple (units)");
  await user.clear(multiple);
  await user.type(multiple, "10");
  const moq = screen.getByLabelText("MOQ (units)");
  await user.clear(moq);
  await user.type(moq, "25");
  // the message says the unit and what is wrong, beside the field
  expect(screen.getAllByText("BY MOQ 25 is not a multiple of the order multiple 10").length).toBeGreaterThan(0);
  expect(within(grid).getByRole("button", { name: /^BY: .*needs a fix$/ })).toBeTruthy();
  await user.clear(moq);
  await user.type(moq, "30");
  expect(session.getState().steps.policy.gridProblems).toEqual([]);
  await user.type(screen.getByLabelText("MRP type (export)"), "V1");
  expect(session.getState().steps.policy.mrpExport.mrpTypeBySegment).toEqual({ BY: "V1" });
  expect(unlabelled(view.container)).toEqual([]);
});

it("budget settings, the preview with its chart and budget per segment, and the MRP export fields", async () => {
  const { gw, session, user, view } = setup();
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await user.click(screen.getByRole("radio", { name: "One safety-stock budget for every SKU" }));
  const budget = screen.getByLabelText("Safety-stock budget");
  await user.clear(budget);
  await user.type(budget, "0");
  expect(screen.getAllByText("Safety-stock budget must be above 0, got 0").length).toBeGreaterThan(0);
  await user.clear(budget);
  await user.type(budget, "5000");
  await user.click(screen.getByRole("button", { name: "Preview the policy" }));
  expect(await screen.findByRole("heading", { name: "Planned policy" })).toBeTruthy();
  expect(screen.getByRole("region", { name: "Fill rate under the budget" })).toBeTruthy();
  const perSegment = screen.getByRole("list", { name: "Budget per segment" });
  expect(within(perSegment).getAllByRole("listitem").length).toBe(session.getState().steps.policy.preview!.budget!.segments.length);
  expect(screen.getByText(/One more 1,000 would add [0-9.]+ fill-rate points\./)).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "MRP export" }));
  await user.click(screen.getByRole("button", { name: "SAP names (MARC)" }));
  expect((screen.getByLabelText("Column name for Safety stock") as HTMLInputElement).value).toBe("EISBE");
  await user.click(screen.getByRole("checkbox", { name: "Segment" }));
  expect(session.getState().steps.policy.mrpExport.fields).toContain("segment");
  const name = screen.getByLabelText("Column name for Segment");
  await user.clear(name);
  await user.type(name, "EISBE");
  expect(screen.getByText('MRP export: header "EISBE" is used twice.')).toBeTruthy();
  expect(gw.settings.get<{ headers: Record<string, string> }>(SETTINGS.mrpExport)?.headers.segment).toBe("EISBE");
  expect(unlabelled(view.container)).toEqual([]);
});
