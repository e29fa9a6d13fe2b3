/** @jest-environment jsdom */
/**
 * Component test of the import part of the Classify tab (React Testing Library over a PaneSession
 * on the in-memory gateway): a File given to the file input is read in the pane (papaparse over
 * FileReader), mapped from its headers, an order type unticked, bucketed, and Classify runs on the
 * histories; a file over the budget shows the CLI command. Figures as in test/app/import.session.test.ts.
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createInlineRunner } from "../../src/app/engineRunner";
import { App } from "../../src/taskpane/App";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "../app/sampleData";
import { installBrowserStubs } from "../helpers/browserStubs";

const EXTRACT = [
  "Material,Posting Date,Qty,Plant,Movement Type,Document,Unit cost",
  "P1,2024-01-01,10,DC1,601,d1,2.5",
  'P1,2024-01-08,"1,200",DC1,601,d2,2.5',
  "P1,2024-01-09,-3,DC1,602,d3,2.5",
  "P2,2024-01-02,5,DC1,601,d4,1",
  "P2,2024-01-02,5,DC1,601,d4,1",
  "P3,2024-13-01,4,DC1,601,d6,1",
  "P2,2024-01-15,7,DC1,ZFOC,d7,1",
].join("\n");

beforeAll(installBrowserStubs);

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  const user = userEvent.setup({ applyAccept: false });
  render(<App session={session} theme="light" initialTab="classify" />);
  return { gw, session, user };
}

jest.setTimeout(60_000);

describe("Import in the Classify tab", () => {
  it("reads a File from the input, maps it, unticks an order type, buckets and classifies", async () => {
    const { session, user } = setup();
    const input = (await screen.findByLabelText("Transaction extract file", undefined, { timeout: 30_000 })) as HTMLInputElement;
    await user.upload(input, new File([EXTRACT], "sales.csv", { type: "text/csv" }));
    await screen.findByText(/^sales\.csv: 7 rows × 7 columns/, undefined, { timeout: 20_000 });
    expect((screen.getByLabelText("SKU", { selector: "select" }) as HTMLSelectElement).selectedOptions[0].textContent).toBe("Material");
    expect((screen.getByLabelText("Order type (optional)") as HTMLSelectElement).selectedOptions[0].textContent).toBe("Movement Type");
    expect(screen.getByRole("table", { name: "First rows of the file" }).textContent).toContain("1,200");
    await user.click(screen.getByLabelText(/^ZFOC: 1 rows/));
    expect(session.getState().steps.import.options.excludeOrderTypes).toEqual(["ZFOC"]);
    await user.click(screen.getByRole("button", { name: "Bucket into periods" }));
    await screen.findByText(/^2 histories × 2 periods \(2024-W01 … 2024-W02\)/);
    const rejected = screen.getByRole("list", { name: /Rejected rows/ });
    expect(rejected.textContent).toContain('row 7: Posting Date "2024-13-01" does not exist');
    expect(rejected.textContent).toContain('row 6: transaction id "d4" already appears in row 5');
    await screen.findByText(/^Source: sales\.csv, 2 histories × 2 periods of ISO weeks/);
    // the sheet mapping is hidden: the import mapped the file
    expect(screen.queryByText("2. Columns")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Classify" }));
    await waitFor(() => expect(session.getState().steps.classify.run?.sourceAddress).toBe("sales.csv"));
    expect([...session.getState().steps.classify.run!.parsed.value]).toEqual([78650, 130]);
    await screen.findByText(/^Data quality of this run/);
  });

  it("shows the seg command for a file over the pane's budget and reads nothing", async () => {
    const { session, user } = setup();
    const input = (await screen.findByLabelText("Transaction extract file", undefined, { timeout: 30_000 })) as HTMLInputElement;
    session.store.set("import", { budgetBytes: 10 });
    await user.upload(input, new File([EXTRACT], "sales.csv", { type: "text/csv" }));
    const command = await screen.findByLabelText("Command to run instead");
    expect(command.textContent).toBe("npx seg classify --in sales.csv --out sales-segments.csv --calendar isoWeek");
    expect(session.getState().steps.import.file).toBeNull();
  });
});
