/** writeSheets against the fake host: staging, swap, all-or-nothing on abort and failure, payload. */
import type { Progress, SheetBlock, SheetPlan, TableBlock } from "../../src/app/ports";
import { BACKUP_PREFIX, DEFAULT_SYNC_BUDGET_BYTES, EXCEL_PAYLOAD_LIMIT_BYTES, STAGE_PREFIX } from "../../src/excel";
import { rng, setup } from "./fakeGateway";
import { MAX_CHART_POINTS } from "../../src/excel/charts";

function segmentsTable(n: number, seed = 1, tag = "run1"): TableBlock {
  const rand = rng(seed);
  let cum = 0;
  const rows = Array.from({ length: n }, (_, i) => {
    cum += 1 / n;
    return [String(i + 1).padStart(5, "0"), Math.round(rand() * 1e6) / 100, Math.min(1, cum), i < n / 5 ? "A" : "B", rand() < 0.1 ? null : Math.round(rand() * 1000) / 1000, "X", "smooth", "AX", "", "", tag];
  });
  return {
    kind: "table",
    tableName: "Segments",
    anchor: "A1",
    headers: ["SKU", "Value", "Cumulative share", "ABC", "CV", "XYZ", "Pattern", "Segment", "Override", "Override reason", "Model version"],
    rows,
    numberFormats: { Value: "#,##0.00", "Cumulative share": "0.0%", CV: "0.000" },
  };
}

function plans(n: number, seed = 1, tag = "run1", chartAnyway = false): SheetPlan[] {
  return [
    {
      sheetName: "Segments",
      blocks: [
        segmentsTable(n, seed, tag),
        // a chart over the SKU table itself while it is small (the pane charts a binned summary)
        ...(n > MAX_CHART_POINTS && !chartAnyway ? [] : [{
          kind: "chart",
          name: "Pareto",
          chartType: "ColumnClustered",
          title: "Value by SKU",
          sourceTable: "Segments",
          categoryHeader: "SKU",
          series: [
            { header: "Value", type: "column" },
            { header: "Cumulative share", type: "line", secondaryAxis: true, axisMin: 0, axisMax: 1, axisFormat: "0%" },
          ],
          anchor: "M2",
        } satisfies SheetBlock]),
      ],
    },
    {
      sheetName: "Policy",
      blocks: [
        { kind: "table", tableName: "SegmentPolicy", anchor: "A1", headers: ["Segment", "Service level"], rows: [["AX", 0.99], ["CZ", 0.8]], numberFormats: { "Service level": "0.0%" } },
        { kind: "table", tableName: "SkuPolicy", anchor: "A5", headers: ["SKU", "Safety stock"], rows: Array.from({ length: n }, (_, i) => [String(i + 1).padStart(5, "0"), i * 1.5]) },
      ],
    },
  ];
}

function noStaging(names: string[]) {
  return names.filter((n) => n.startsWith(STAGE_PREFIX) || n.startsWith(BACKUP_PREFIX));
}

describe("writeSheets", () => {
  it("creates the tables, number formats and chart, keeping text as text", async () => {
    const { fake, gateway } = setup();
    const report = await gateway.writeSheets(plans(30));
    expect(fake.workbook.sheets()).toEqual([
      { name: "Data", visibility: "Visible", position: 0 },
      { name: "Segments", visibility: "Visible", position: 1 },
      { name: "Policy", visibility: "Visible", position: 2 },
    ]);
    const seg = fake.workbook.table("Segments")!;
    expect(seg.address).toBe("Segments!A1:K31");
    expect(seg.rows[0][0]).toBe("00001"); // not 1: the text column was formatted "@" before the values went in
    expect(seg.rows[0].slice(3)).toEqual(["A", seg.rows[0][4], "X", "smooth", "AX", "", "", "run1"]);
    const sheet = fake.workbook.sheet("Segments");
    expect(sheet.numberFormats("A2:C2")).toEqual([["@", "#,##0.00", "0.0%"]]);
    expect(sheet.numberFormats("A1:C1")).toEqual([["@", "@", "@"]]);
    expect(fake.workbook.table("SegmentPolicy")).toMatchObject({ sheetName: "Policy", address: "Policy!A1:B3", rows: [["AX", 0.99], ["CZ", 0.8]] });
    expect(fake.workbook.table("SkuPolicy")).toMatchObject({ sheetName: "Policy", address: "Policy!A5:B35" });
    expect(fake.workbook.sheet("Policy").numberFormats("B2:B3")).toEqual([["0.0%"], ["0.0%"]]);

    const [chart] = fake.workbook.charts("Segments");
    expect(chart).toMatchObject({
      name: "Pareto",
      chartType: "ColumnClustered",
      position: { start: "M2", end: "X21" },
      axes: { "Value/Secondary": { maximum: 1, minimum: 0, numberFormat: "0%" } },
      series: [
        { name: "Value", chartType: "ColumnClustered", axisGroup: "Primary", values: "Segments!B2:B31", xValues: "Segments!A2:A31" },
        { name: "Cumulative share", chartType: "Line", axisGroup: "Secondary", values: "Segments!C2:C31", xValues: "Segments!A2:A31" },
      ],
    });
    expect(noStaging(fake.workbook.sheetNames())).toEqual([]);
    expect(report.syncs).toBe(fake.stats.syncs);
    expect(report.cells).toBe(31 * 11 + 3 * 2 + 31 * 2);
    // Calculation was manual during the write and is back to automatic; screen updating suspended.
    expect(fake.stats.calculationModeChanges).toEqual(["Manual", "Automatic"]);
    expect(fake.workbook.calculationMode).toBe("Automatic");
    expect(fake.stats.screenUpdatingSuspensions).toBeGreaterThanOrEqual(1);
  });

  it("refuses a chart over a table too long to chart, before anything is sent", async () => {
    const { fake, gateway } = setup();
    await expect(gateway.writeSheets(plans(MAX_CHART_POINTS + 1, 1, "run1", true))).rejects.toThrow(`chart "Pareto": table "Segments" has ${MAX_CHART_POINTS + 1} rows; chart a summary`);
    expect(fake.stats.syncs).toBe(0);
  });

  it("replaces sheets in place on a rerun: same position, new content, one table per name", async () => {
    const { fake, gateway } = setup({ sheets: ["Data", "Notes"] });
    await gateway.writeSheets(plans(20, 1, "run1"));
    fake.workbook.addSheet("After");
    // Move Segments between Data and Notes, as a user might.
    fake.model.moveSheet(fake.model.sheetNamed("Segments")!, 1);
    expect(fake.workbook.sheetNames()).toEqual(["Data", "Segments", "Notes", "Policy", "After"]);
    fake.workbook.select("Segments!B3");

    await gateway.writeSheets(plans(12, 2, "run2"));
    expect(fake.workbook.sheetNames()).toEqual(["Data", "Segments", "Notes", "Policy", "After"]);
    const seg = fake.workbook.table("Segments")!;
    expect(seg.rows).toHaveLength(12);
    expect(seg.rows.every((r) => r[10] === "run2")).toBe(true);
    expect(fake.workbook.sheet("Segments").values("A14:K21").flat().every((v) => v === "")).toBe(true); // no rows left from run 1
    expect(fake.workbook.tables().map((t) => t.name).sort()).toEqual(["SegmentPolicy", "Segments", "SkuPolicy"]);
    expect(fake.workbook.charts()).toHaveLength(1);
    expect(fake.workbook.activeSheetName()).toBe("Segments");
    expect(noStaging(fake.workbook.sheetNames())).toEqual([]);
  });

  it("keeps every request under the budget for 60,000 rows, packs the syncs, and reports the largest", async () => {
    const { fake, gateway } = setup();
    const report = await gateway.writeSheets(plans(60_000));
    // inspect, then as many syncs as the bytes need (the last one also finishes and swaps)
    const sent = fake.stats.history.reduce((n, h) => n + h.requestBytes, 0);
    expect(fake.stats.syncs).toBeLessThanOrEqual(1 + Math.ceil(sent / DEFAULT_SYNC_BUDGET_BYTES) + 1);
    expect(fake.stats.failedSyncs).toBe(0);
    expect(report.largestPayloadBytes).toBeLessThanOrEqual(DEFAULT_SYNC_BUDGET_BYTES);
    expect(report.largestPayloadBytes).toBeGreaterThan(DEFAULT_SYNC_BUDGET_BYTES * 0.8); // syncs are filled, not tiny
    // What the host saw includes Office.js-style operation overhead; still under Excel's 5 MB.
    expect(fake.stats.maxRequestBytes).toBeLessThanOrEqual(EXCEL_PAYLOAD_LIMIT_BYTES);
    expect(fake.stats.maxRequestBytes).toBeGreaterThanOrEqual(report.largestPayloadBytes);
    expect(fake.workbook.table("Segments")!.rows).toHaveLength(60_000);
    expect(fake.workbook.table("SkuPolicy")!.rows[59_999]).toEqual(["60000", 59_999 * 1.5]);
  });

  it("leaves the workbook exactly as it was when aborted halfway", async () => {
    const { fake, gateway } = setup({}, { limits: { budgetBytes: 20_000 } });
    await gateway.writeSheets(plans(40, 1, "kept"));
    fake.workbook.sheet("Data").setValues("A1", [["untouched", 1]]);
    const before = fake.workbook.snapshot();
    const controller = new AbortController();
    const seen: Progress[] = [];
    const write = gateway.writeSheets(plans(2_000, 3, "aborted"), {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.phase.startsWith("Writing the") && p.done >= p.total / 2) controller.abort();
      },
    });
    await expect(write).rejects.toMatchObject({ name: "AbortError" });
    expect(seen.filter((p) => p.phase.startsWith("Writing the")).length).toBeGreaterThan(2); // progress after every block
    expect(seen.some((p) => p.phase.startsWith("Finishing"))).toBe(false);
    expect(fake.workbook.snapshot()).toEqual(before);
    expect(noStaging(fake.workbook.sheetNames())).toEqual([]);
    expect(fake.workbook.calculationMode).toBe("Automatic");
  });

  it("restores the old sheets when the swap fails halfway", async () => {
    const { fake, gateway } = setup();
    await gateway.writeSheets(plans(10, 1, "kept"));
    const before = fake.workbook.snapshot();
    // The swap renames old sheets away, then moves new ones into place: fail on the first move.
    fake.failOn((op) => op.kind === "Worksheet.position=");
    await expect(gateway.writeSheets(plans(15, 2, "lost"))).rejects.toThrow("Injected failure");
    expect(fake.workbook.snapshot()).toEqual(before);
    expect(noStaging(fake.workbook.sheetNames())).toEqual([]);
  });

  it("finishes the job when only deleting the old sheets failed", async () => {
    const { fake, gateway } = setup();
    await gateway.writeSheets(plans(10, 1, "old"));
    fake.failOn((op) => op.kind === "Worksheet.delete");
    await expect(gateway.writeSheets(plans(15, 2, "new"))).rejects.toThrow("Injected failure");
    expect(fake.workbook.table("Segments")!.rows.every((r) => r[10] === "new")).toBe(true);
    expect(noStaging(fake.workbook.sheetNames())).toEqual([]);
    expect(fake.workbook.sheetNames()).toEqual(["Data", "Segments", "Policy"]);
  });

  it("cleans up when a staging write fails", async () => {
    const { fake, gateway } = setup({}, { limits: { budgetBytes: 5_000 } });
    const before = fake.workbook.snapshot();
    let n = 0;
    fake.failOn((op) => op.kind === "Range.values=" && ++n === 4, "GeneralException", "Excel is busy");
    await expect(gateway.writeSheets(plans(200))).rejects.toThrow("Excel is busy");
    expect(fake.workbook.snapshot()).toEqual(before);
  });

  it("refuses a table name used on a sheet it would not replace, before writing anything", async () => {
    const { fake, gateway } = setup();
    fake.workbook.sheet("Data").setValues("A1", [["h"], [1]]);
    fake.workbook.addTable("Data!A1:A2", "Segments");
    const before = fake.workbook.snapshot();
    await expect(gateway.writeSheets(plans(5))).rejects.toThrow('A table named "Segments" already exists on sheet "Data". Rename or delete that table, then write again.');
    expect(fake.workbook.snapshot()).toEqual(before);
    expect(fake.stats.syncs).toBe(1);
  });

  it("rejects bad plans with the cell, row or name at fault, without touching Excel", async () => {
    const { fake, gateway } = setup();
    const bad = (mutate: (p: SheetPlan[]) => void) => {
      const p = plans(3);
      mutate(p);
      return gateway.writeSheets(p);
    };
    await expect(bad((p) => ((p[0].blocks[0] as TableBlock).rows[1] = ["00002", 1]))).rejects.toThrow('Sheet "Segments", table "Segments": row 2 has 2 cells but there are 11 headers.');
    await expect(bad((p) => ((p[0].blocks[0] as TableBlock).rows[2][1] = Number.NaN))).rejects.toThrow('cell B4 (Value) is NaN, which Excel cannot store.');
    await expect(bad((p) => (p[1].sheetName = "SEG_Audit"))).rejects.toThrow('Sheet "SEG_Audit" is reserved by the add-in');
    await expect(bad((p) => (p[1].sheetName = "Bad/Name"))).rejects.toThrow(/contains one of/);
    await expect(bad((p) => ((p[1].blocks[1] as TableBlock).anchor = "A2"))).rejects.toThrow('table "SkuPolicy" overlaps table "SegmentPolicy"');
    await expect(bad((p) => ((p[0].blocks[0] as TableBlock).numberFormats = { Valeu: "0" }))).rejects.toThrow('a number format is given for "Valeu"');
    await expect(bad((p) => ((p[0].blocks[1] as { sourceTable: string }).sourceTable = "Nope"))).rejects.toThrow('chart "Pareto": its source table "Nope"');
    expect(fake.stats.syncs).toBe(0);
  });

  it("names a row too large for any request", async () => {
    const { fake, gateway } = setup({}, { limits: { budgetBytes: 2_000 } });
    const p = plans(3);
    (p[0].blocks[0] as TableBlock).rows[1][9] = "x".repeat(3_000);
    await expect(gateway.writeSheets(p)).rejects.toThrow(/^Sheet "Segments", table "Segments": row 2 alone is \d+ bytes, more than one request to Excel may carry \(2000\)\.$/);
    expect(fake.stats.syncs).toBe(0);
  });

  it("writes an empty table as a header row (Excel keeps one blank data row)", async () => {
    const { fake, gateway } = setup();
    await gateway.writeSheets([{ sheetName: "Empty", blocks: [{ kind: "table", tableName: "Nothing", anchor: "B2", headers: ["SKU", "Qty"], rows: [] }] }]);
    expect(fake.workbook.table("Nothing")).toMatchObject({ address: "Empty!B2:C3", headers: ["SKU", "Qty"], rows: [] });
  });
});
