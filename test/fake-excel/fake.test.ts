/**
 * The fake Excel host itself: load/sync semantics, payload limits, Excel's parsing of typed text,
 * null objects, tables, the browser bundle. If these rules were loose, the gateway tests that run
 * against the fake would prove nothing.
 */
import vm from "node:vm";
import { buildFakeExcelBundle } from "./bundle";
import { FakeExcel, FakeOfficeError } from "./index";

function fresh(options = {}) {
  const fake = new FakeExcel({ sheets: ["Data"], ...options });
  return fake;
}

describe("load and sync", () => {
  it("throws PropertyNotLoaded for a property that was not loaded, and until the load is synced", async () => {
    const fake = fresh();
    fake.workbook.sheet("Data").setValues("A1", [[1, 2]]);
    await fake.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem("Data").getRange("A1:B1");
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      range.load("values");
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await ctx.sync();
      expect(range.values).toEqual([[1, 2]]);
      // Only what was loaded is readable.
      expect(() => range.address).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  it("applies queued writes only at sync, in the order they were queued", async () => {
    const fake = fresh();
    await fake.run(async (ctx) => {
      const cell = ctx.workbook.worksheets.getItem("Data").getRange("B2");
      cell.values = [["first"]];
      cell.values = [["second"]];
      expect(fake.workbook.sheet("Data").cell("B2")).toBe("");
      await ctx.sync();
      expect(fake.workbook.sheet("Data").cell("B2")).toBe("second");
    });
    expect(fake.stats.syncs).toBe(1);
  });

  it("keeps a loaded value as it was at sync time", async () => {
    const fake = fresh();
    fake.workbook.sheet("Data").setValues("A1", [[1]]);
    await fake.run(async (ctx) => {
      const cell = ctx.workbook.worksheets.getItem("Data").getRange("A1");
      cell.load("values");
      await ctx.sync();
      cell.values = [[2]];
      await ctx.sync();
      expect(cell.values).toEqual([[1]]);
    });
  });

  it("binds an object when the sync reaches it: getItem after add in the same batch works", async () => {
    const fake = fresh();
    await fake.run(async (ctx) => {
      ctx.workbook.worksheets.add("New");
      const s = ctx.workbook.worksheets.getItem("New");
      s.load("name,position,visibility");
      await ctx.sync();
      expect([s.name, s.position, s.visibility]).toEqual(["New", 1, "Visible"]);
    });
  });

  it("fails the sync at a bad operation and leaves the earlier ones applied, like Excel", async () => {
    const fake = fresh();
    await expect(
      fake.run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem("Data");
        ws.getRange("A1").values = [["kept"]];
        ws.getRange("A2:B2").values = [["only one"]];
        ws.getRange("A3").values = [["never"]];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(fake.workbook.sheet("Data").values()).toEqual([["kept"]]);
    expect(fake.stats.failedSyncs).toBe(1);
  });

  it("refuses objects used after their Excel.run", async () => {
    const fake = fresh();
    let leaked: { values: unknown } | null = null;
    await fake.run(async (ctx) => {
      leaked = ctx.workbook.worksheets.getItem("Data").getRange("A1");
    });
    expect(() => (leaked!.values = [[1]])).toThrow(expect.objectContaining({ code: "InvalidObjectPath" }));
  });

  it("gives null objects for missing items and fails operations on them at sync", async () => {
    const fake = fresh();
    await fake.run(async (ctx) => {
      const missing = ctx.workbook.worksheets.getItemOrNullObject("Nope");
      expect(() => missing.isNullObject).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      missing.load("name");
      await ctx.sync();
      expect(missing.isNullObject).toBe(true);
      missing.getRange("A1").values = [[1]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: "ItemNotFound" });
    });
    await expect(fake.run(async (ctx) => void ctx.workbook.worksheets.getItem("Nope").load("name"))).rejects.toMatchObject({ code: "ItemNotFound" });
  });
});

describe("payload limits", () => {
  it("rejects a request over the limit before applying any of it", async () => {
    const fake = fresh({ payloadLimitBytes: 10_000 });
    const big = Array.from({ length: 300 }, (_, i) => [`row ${i} with some text to make it long`, i, i * 2]);
    await fake.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Data");
      ws.getRange("A1").values = [["small"]];
      ws.getRange("A2:C301").values = big;
      await expect(ctx.sync()).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
    });
    expect(fake.workbook.sheet("Data").values()).toEqual([]);
    expect(fake.stats.history[0].requestBytes).toBeGreaterThan(10_000);
  });

  it("rejects a response over the limit and leaves the load unfulfilled", async () => {
    const fake = fresh({ payloadLimitBytes: 10_000 });
    fake.workbook.sheet("Data").setValues(
      "A1",
      Array.from({ length: 400 }, (_, i) => [`a fairly long text value number ${i}`]),
    );
    await fake.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem("Data").getRange("A1:A400");
      range.load("values");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "ResponsePayloadSizeLimitExceeded" });
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  it("measures request and response sizes as UTF-8 JSON", async () => {
    const fake = fresh();
    const text = "é漢"; // 2 + 3 bytes in UTF-8
    await fake.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem("Data").getRange("A1");
      range.values = [[text]];
      await ctx.sync();
      range.load("values");
      await ctx.sync();
    });
    const [write, read] = fake.stats.history;
    expect(write.requestBytes).toBeGreaterThanOrEqual(JSON.stringify([[text]]).length + 3);
    expect(read.responseBytes).toBe(Buffer.byteLength(JSON.stringify({ values: [[text]] }), "utf8"));
  });

  it("caps one read at the configured number of cells", async () => {
    const fake = fresh({ maxCellsPerRead: 100 });
    await fake.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem("Data").getRange("A1:K10");
      range.load("values");
      await expect(ctx.sync()).rejects.toMatchObject({ code: "RangeExceedsLimit" });
    });
  });
});

describe("cells", () => {
  it("parses text typed into General cells like Excel, and keeps it in Text (@) cells", async () => {
    const fake = fresh();
    const inputs = ["00123", "12%", "TRUE", "2026-11-25", "=1+1", "-abc", "'007", "plain", "0".repeat(64)];
    await fake.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem("Data");
      ws.getRange("A1:I1").values = [inputs];
      const text = ws.getRange("A2:I2");
      text.numberFormat = [inputs.map(() => "@")];
      text.values = [inputs];
    });
    const sheet = fake.workbook.sheet("Data");
    expect(sheet.values("A1:I1")).toEqual([[123, 0.12, true, 46351, "#NAME?", "#NAME?", "007", "plain", 0]]);
    expect(sheet.formula("E1")).toBe("=1+1");
    expect(sheet.values("A2:I2")).toEqual([inputs]);
  });

  it("treats null in a values array as 'leave unchanged' and '' as 'clear'", async () => {
    const fake = fresh();
    fake.workbook.sheet("Data").setValues("A1", [["a", "b", "c"]]);
    await fake.run(async (ctx) => {
      ctx.workbook.worksheets.getItem("Data").getRange("A1:C1").values = [[null as unknown as string, "", "z"]];
    });
    expect(fake.workbook.sheet("Data").values("A1:C1")).toEqual([["a", "", "z"]]);
  });

  it("finds the current region around a cell, diagonals included", async () => {
    const fake = fresh();
    const sheet = fake.workbook.sheet("Data");
    sheet.setValues("B2", [
      ["h1", "h2"],
      [1, 2],
    ]);
    sheet.setValues("D4", [["diagonal"]]);
    sheet.setValues("G10", [["far away"]]);
    await fake.run(async (ctx) => {
      const region = ctx.workbook.worksheets.getItem("Data").getRange("C3").getSurroundingRegion();
      region.load("address");
      await ctx.sync();
      expect(region.address).toBe("Data!B2:D4");
    });
  });

  it("reports the used range and a null object for an empty sheet", async () => {
    const fake = fresh();
    fake.workbook.addSheet("Empty");
    fake.workbook.sheet("Data").setValues("C3", [[1, "", 3]]);
    await fake.run(async (ctx) => {
      const used = ctx.workbook.worksheets.getItem("Data").getUsedRange(true);
      used.load("address");
      const none = ctx.workbook.worksheets.getItem("Empty").getUsedRangeOrNullObject(true);
      none.load("address");
      await ctx.sync();
      expect(used.address).toBe("Data!C3:E3");
      expect(none.isNullObject).toBe(true);
    });
  });
});

describe("sheets and tables", () => {
  it("keeps one visible sheet and unique names", async () => {
    const fake = fresh();
    await expect(fake.run(async (ctx) => void (ctx.workbook.worksheets.getItem("Data").visibility = "VeryHidden"))).rejects.toMatchObject({ code: "InvalidOperation" });
    await expect(fake.run(async (ctx) => void ctx.workbook.worksheets.add("data"))).rejects.toMatchObject({ code: "ItemAlreadyExists" });
    await expect(fake.run(async (ctx) => void ctx.workbook.worksheets.add("bad:name"))).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("creates a table from a header row and fills Excel's placeholder row first", async () => {
    const fake = fresh();
    fake.workbook.sheet("Data").setValues("A1", [["SKU", "Qty"]]);
    await fake.run(async (ctx) => {
      const table = ctx.workbook.worksheets.getItem("Data").tables.add("A1:B1", true);
      table.name = "Items";
      table.rows.add(undefined, [
        ["S1", 1],
        ["S2", 2],
      ]);
      const body = table.getDataBodyRange();
      body.load("address,values");
      await ctx.sync();
      expect(body.address).toBe("Data!A2:B3");
      expect(body.values).toEqual([
        ["S1", 1],
        ["S2", 2],
      ]);
    });
    expect(fake.workbook.table("Items")).toMatchObject({ headers: ["SKU", "Qty"], rows: [["S1", 1], ["S2", 2]] });
    await expect(fake.run(async (ctx) => void (ctx.workbook.worksheets.getItem("Data").tables.add("B2:C3", true).name = "Other"))).rejects.toMatchObject({
      code: "InvalidOperation",
    });
  });

  it("loads collections through items/ paths, navigation properties included", async () => {
    const fake = fresh();
    fake.workbook.addSheet("Second", { visibility: "Hidden" });
    fake.workbook.sheet("Second").setValues("A1", [["h"], [1]]);
    fake.workbook.addTable("Second!A1:A2", "Tbl_One");
    await fake.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      sheets.load("items/name,items/visibility");
      const tables = ctx.workbook.tables;
      tables.load("items/name,items/worksheet/name");
      await ctx.sync();
      expect(sheets.items.map((s) => [s.name, s.visibility])).toEqual([
        ["Data", "Visible"],
        ["Second", "Hidden"],
      ]);
      expect(tables.items.map((t) => [t.name, t.worksheet.name])).toEqual([["Tbl_One", "Second"]]);
      expect(() => sheets.items[0].position).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  it("counts screen-updating and calculation suspensions and mode changes", async () => {
    const fake = fresh();
    await fake.run(async (ctx) => {
      ctx.application.suspendScreenUpdatingUntilNextSync();
      ctx.application.calculationMode = "Manual";
      await ctx.sync();
      ctx.application.calculationMode = "Automatic";
    });
    expect(fake.stats.screenUpdatingSuspensions).toBe(1);
    expect(fake.stats.calculationModeChanges).toEqual(["Manual", "Automatic"]);
  });

  it("injects a failure at a chosen operation", async () => {
    const fake = fresh();
    fake.failOn((op) => op.kind === "Worksheet.delete");
    fake.workbook.addSheet("Doomed");
    await expect(fake.run(async (ctx) => ctx.workbook.worksheets.getItem("Doomed").delete())).rejects.toBeInstanceOf(FakeOfficeError);
    expect(fake.workbook.hasSheet("Doomed")).toBe(true);
  });
});

describe("browser bundle", () => {
  it("defines window.FakeExcel without any node API and works in a bare context", async () => {
    const code = await buildFakeExcelBundle();
    const sandbox: Record<string, unknown> = { setTimeout, console };
    sandbox.globalThis = sandbox;
    sandbox.window = sandbox;
    vm.createContext(sandbox);
    vm.runInContext(code, sandbox);
    const out = await vm.runInContext(
      `(async () => {
        const fake = window.FakeExcel.createFakeExcel({ sheets: ["Data"] });
        fake.install(window, { office: true });
        fake.workbook.sheet("Data").setValues("A1", [["x", 1]]);
        let unloaded = "";
        const values = await Excel.run(async (ctx) => {
          const r = ctx.workbook.worksheets.getItem("Data").getRange("A1:B1");
          try { r.values; } catch (e) { unloaded = e.code; }
          r.load("values");
          await ctx.sync();
          return r.values;
        });
        return JSON.stringify({ values, unloaded, syncs: fake.stats.syncs, settings: typeof Office.context.document.settings.get });
      })()`,
      sandbox,
    );
    expect(JSON.parse(out)).toEqual({ values: [["x", 1]], unloaded: "PropertyNotLoaded", syncs: 1, settings: "function" });
  });
});
