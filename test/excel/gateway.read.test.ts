/** Reads through the gateway against the fake host: chunking, trimming, tables, selections. */
import { createExcelGateway, DEFAULT_SYNC_BUDGET_BYTES } from "../../src/excel";
import { setup, skuSheet } from "./fakeGateway";

describe("readCurrentRegion", () => {
  it("reads a 20,000 x 110 range in row blocks with no sync over the 4 MB budget", async () => {
    const { fake, gateway } = setup();
    const data = skuSheet(19_999, 104, 7); // header + 19,999 rows = 20,000 x 110
    fake.workbook.sheet("Data").setValues("A1", data);
    fake.workbook.select("Data!C50");
    const snap = await gateway.readCurrentRegion();
    expect(snap.address).toBe("Data!A1:DF20000");
    expect([snap.firstRow, snap.firstColumn]).toEqual([0, 0]);
    expect(snap.values.length).toBe(20_000);
    expect(JSON.stringify(snap.values) === JSON.stringify(data)).toBe(true); // (toEqual on 2.2M cells is slow)

    const totalBytes = Buffer.byteLength(JSON.stringify(data), "utf8");
    expect(totalBytes).toBeGreaterThan(2 * DEFAULT_SYNC_BUDGET_BYTES); // so it has to be chunked
    const history = fake.stats.history;
    expect(fake.stats.failedSyncs).toBe(0);
    for (const sync of history) {
      expect(sync.responseBytes).toBeLessThanOrEqual(DEFAULT_SYNC_BUDGET_BYTES);
      expect(sync.cellsRead).toBeLessThanOrEqual(5_000_000);
    }
    // The gateway's own count is the host's count, and its largest payload the host's largest response.
    expect(gateway.lastReport!.syncs).toBe(history.length);
    expect(gateway.lastReport!.cells).toBe(20_000 * 110);
    expect(Math.abs(gateway.lastReport!.largestPayloadBytes - fake.stats.maxResponseBytes)).toBeLessThan(200);
    // Not far above the minimum: metadata + sample + ceil(bytes / budget), the estimate being the
    // mean row plus 20 %.
    expect(history.length).toBeLessThanOrEqual(2 + Math.ceil((totalBytes * 1.25) / DEFAULT_SYNC_BUDGET_BYTES));
  });

  it("copes with rows much wider than the sample by retrying with fewer rows", async () => {
    const limit = 60_000;
    const { fake, gateway } = setup({ payloadLimitBytes: limit }, { limits: { budgetBytes: 48_000 } });
    const narrow = Array.from({ length: 300 }, (_, i) => [`s${i}`, i]);
    const wide = Array.from({ length: 300 }, (_, i) => [`w${i} ${"long text ".repeat(20)}`, i]);
    const data = [["SKU", "Note"], ...narrow, ...wide];
    fake.workbook.sheet("Data").setValues("A1", data);
    fake.workbook.select("Data!A1");
    const snap = await gateway.readCurrentRegion();
    expect(snap.values).toEqual(data);
    expect(fake.stats.failedSyncs).toBeGreaterThan(0); // the estimate from the narrow sample was too low at first
    const ok = fake.stats.history.filter((s) => !s.error);
    expect(Math.max(...ok.map((s) => s.responseBytes))).toBeLessThanOrEqual(limit);
    expect(fake.stats.history.filter((s) => s.error).every((s) => s.error!.startsWith("ResponsePayloadSizeLimitExceeded"))).toBe(true);
  });

  it("measures multi-byte text in UTF-8 so non-ASCII data stays under the limit", async () => {
    const { fake, gateway } = setup({ payloadLimitBytes: 40_000 }, { limits: { budgetBytes: 32_000 } });
    const data = Array.from({ length: 2_000 }, (_, i) => [`零件-${i}`, "Düsseldorf Straße ✓", i]);
    fake.workbook.sheet("Data").setValues("A1", data);
    fake.workbook.select("Data!A1");
    const snap = await gateway.readCurrentRegion();
    expect(snap.values).toEqual(data);
    expect(fake.stats.failedSyncs).toBe(0);
    expect(fake.stats.maxResponseBytes).toBeLessThanOrEqual(32_000);
  });
});

describe("readSelection", () => {
  it("keeps a whole-column selection to the used cells", async () => {
    const { fake, gateway } = setup();
    fake.workbook.sheet("Data").setValues("B3", [
      ["SKU", "Value"],
      ["A", 1],
      ["B", 2],
    ]);
    fake.workbook.select("Data!A:C");
    const snap = await gateway.readSelection();
    expect(snap).toEqual({
      sheetName: "Data",
      address: "Data!B3:C5",
      firstRow: 2,
      firstColumn: 1,
      values: [
        ["SKU", "Value"],
        ["A", 1],
        ["B", 2],
      ],
    });
    expect(fake.stats.cellsRead).toBe(6);
  });

  it("returns no values for a selection outside the used cells, and quotes odd sheet names", async () => {
    const { fake, gateway } = setup({ sheets: ["My data"] });
    fake.workbook.sheet("My data").setValues("A1", [[1]]);
    fake.workbook.select("'My data'!D4:E9");
    expect(await gateway.readSelection()).toEqual({ sheetName: "My data", address: "'My data'!D4:E9", firstRow: 3, firstColumn: 3, values: [] });
  });
});

describe("selection problems", () => {
  it("asks for one block of cells when several areas are selected", async () => {
    const { fake, gateway } = setup();
    fake.workbook.select(["Data!A1:B2", "Data!D4"]);
    await expect(gateway.readSelection()).rejects.toThrow("Select one block of cells (not several areas, a chart or a shape), then try again.");
    await expect(gateway.readCurrentRegion()).rejects.toThrow(/Select one block of cells/);
  });
});

describe("tables", () => {
  function withTable() {
    const s = setup();
    s.fake.workbook.sheet("Data").setValues("B2", [
      ["SKU", "Segment", "Override"],
      ["S1", "AX", ""],
      ["S2", "BY", ""],
      ["S3", "CZ", "AX"],
      ["S4", "AY", ""],
    ]);
    s.fake.workbook.addTable("Data!B2:D6", "Segments");
    return s;
  }

  it("reads a table's headers and rows, and null for a missing table", async () => {
    const { gateway } = withTable();
    expect(await gateway.readTable("Segments")).toEqual({
      sheetName: "Data",
      tableName: "Segments",
      headers: ["SKU", "Segment", "Override"],
      rows: [
        ["S1", "AX", ""],
        ["S2", "BY", ""],
        ["S3", "CZ", "AX"],
        ["S4", "AY", ""],
      ],
    });
    expect(await gateway.readTable("Nope")).toBeNull();
  });

  it("reads a header-only table as no rows", async () => {
    const { fake, gateway } = setup();
    fake.workbook.sheet("Data").setValues("A1", [["SKU", "Qty"]]);
    fake.workbook.addTable("Data!A1:B1", "Empty");
    expect((await gateway.readTable("Empty"))!.rows).toEqual([]);
  });

  it("reads the table rows that the selection touches, several areas included", async () => {
    const { fake, gateway } = withTable();
    fake.workbook.select(["Data!A3:C3", "Data!C5:C6", "Data!F4"]);
    const picked = await gateway.readSelectedTableRows("Segments");
    expect(picked!.headers).toEqual(["SKU", "Segment", "Override"]);
    expect(picked!.rows).toEqual([
      ["S1", "AX", ""],
      ["S3", "CZ", "AX"],
      ["S4", "AY", ""],
    ]);
  });

  it("reads every row when the whole sheet is selected, without loading its areas", async () => {
    const { fake, gateway } = withTable();
    fake.workbook.select("Data!A:XFD");
    expect((await gateway.readSelectedTableRows("Segments"))!.rows).toHaveLength(4);
  });

  it("returns no rows when the selection is elsewhere", async () => {
    const { fake, gateway } = withTable();
    fake.workbook.addSheet("Other");
    fake.workbook.select("Other!B3");
    expect((await gateway.readSelectedTableRows("Segments"))!.rows).toEqual([]);
    fake.workbook.select("Data!B10");
    expect((await gateway.readSelectedTableRows("Segments"))!.rows).toEqual([]);
    expect(await gateway.readSelectedTableRows("Missing")).toBeNull();
  });
});

describe("updateTableCells", () => {
  function seeded(rows: number) {
    const s = setup();
    const data = [["SKU", "Segment", "Override", "Reason"], ...Array.from({ length: rows }, (_, i) => [`S${i}`, "AX", "", ""])];
    s.fake.workbook.sheet("Data").setValues("A1", data);
    s.fake.workbook.addTable(`Data!A1:D${rows + 1}`, "Segments");
    return s;
  }

  it("sets cells found by key in batched syncs, text kept as typed", async () => {
    const { fake, gateway } = seeded(500);
    const updates = Array.from({ length: 120 }, (_, k) => [
      { key: `S${k * 4}`, header: "Override", value: "00BY" },
      { key: `S${k * 4}`, header: "Reason", value: "-promo" },
    ]).flat();
    fake.resetStats();
    await gateway.updateTableCells("Segments", "SKU", updates);
    const t = fake.workbook.table("Segments")!;
    expect(t.rows[0]).toEqual(["S0", "AX", "00BY", "-promo"]);
    expect(t.rows[4]).toEqual(["S4", "AX", "00BY", "-promo"]);
    expect(t.rows[1]).toEqual(["S1", "AX", "", ""]);
    expect(t.rows.filter((r) => r[2] === "00BY")).toHaveLength(120);
    // 2 syncs to open the table, 1 to read the key column, 1 for all 240 cells: not one per row.
    expect(fake.stats.syncs).toBe(4);
  });

  it("rejects an unknown key, header or a duplicate key before changing anything", async () => {
    const { fake, gateway } = seeded(5);
    const before = fake.workbook.snapshot();
    await expect(gateway.updateTableCells("Segments", "SKU", [{ key: "S1", header: "Override", value: "BY" }, { key: "S99", header: "Override", value: "BY" }])).rejects.toThrow(
      'Table "Segments" has no row with SKU "S99".',
    );
    await expect(gateway.updateTableCells("Segments", "SKU", [{ key: "S1", header: "Overide", value: "BY" }])).rejects.toThrow(/has no column "Overide"/);
    await expect(gateway.updateTableCells("Nope", "SKU", [{ key: "S1", header: "Override", value: "BY" }])).rejects.toThrow(/no table named "Nope"/);
    fake.tamper("Data", "A4", "S1");
    const afterTamper = fake.workbook.snapshot();
    await expect(gateway.updateTableCells("Segments", "SKU", [{ key: "S1", header: "Override", value: "BY" }])).rejects.toThrow(/"S1" appears on 2 rows \(sheet rows 3, 4\)/);
    expect(fake.workbook.snapshot()).toEqual(afterTamper);
    expect(before).not.toEqual(afterTamper);
  });
});

describe("loaded values are checked", () => {
  it("stops with a clear error when Excel hands back something that was not loaded", async () => {
    const { fake } = setup();
    fake.workbook.sheet("Data").setValues("A1", [[1]]);
    fake.workbook.select("Data!A1");
    // A host whose ranges report rowCount as the office-addin-mock error string.
    const host = {
      run: <T>(batch: (ctx: never) => Promise<T>) =>
        fake.run(async (ctx) => {
          const real = ctx.workbook.getSelectedRange.bind(ctx.workbook);
          ctx.workbook.getSelectedRange = () => {
            const r = real();
            Object.defineProperty(r, "rowCount", { get: () => "Error, property was not loaded" });
            return r;
          };
          return batch(ctx as never);
        }),
    };
    const broken = createExcelGateway(host as never);
    await expect(broken.readSelection()).rejects.toThrow(/Excel returned "Error, property was not loaded" for selection.rowCount/);
  });
});
