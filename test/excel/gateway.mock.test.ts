/**
 * The gateway through office-addin-mock (Microsoft's Office.js mock), for the reads and the audit
 * append. In office-addin-mock 4 a property that was not loaded, or loaded but not yet synced, reads
 * as the string "Error, property was not loaded" / "Error, context.sync() was not called" instead of
 * throwing. So these tests assert the exact values that come back: had the gateway read anything
 * before its sync, those strings (or NaN arithmetic on them) would be in the results, and the
 * gateway's own checks (loadedNumber/loadedString) would have thrown.
 * The mock knows nothing of isNullObject; mockNullFlag gives mocks one that, like the real API,
 * only answers once another property of the object has been loaded and synced.
 */
import { OfficeMockObject } from "office-addin-mock";
import { AUDIT_COLUMNS, AUDIT_SHEET_NAME, createExcelGateway, createSettingsStore, ExcelHost } from "../../src/excel";
import { auditRow } from "./fakeGateway";

// office-addin-mock needs only the OfficeApp enum of office-addin-manifest, whose index also loads
// @microsoft/app-manifest and a nested ESM-only strip-bom that jest.config.js's
// transformIgnorePatterns does not reach (it only exempts top-level node_modules/strip-bom).
jest.mock("office-addin-manifest", () => jest.requireActual("office-addin-manifest/lib/officeApp"));

const NOT_LOADED = "Error, property was not loaded";
const NOT_SYNCED = "Error, context.sync() was not called";

type Grid = unknown[][];

/** The OfficeMockObject methods its README documents (its .d.ts marks them private). */
type MockNode = Record<string, unknown> & { addMock(name: string): void; setValue(name: string, value: unknown): void };

interface BlockLog {
  sheet: string;
  args: [number, number, number, number];
  mock: Record<string, unknown>;
}

/** Mock data for a worksheet over `grid` (top-left = A1); every getRangeByIndexes call is logged. */
function sheetData(name: string, grid: Grid, log: BlockLog[]) {
  let n = 0;
  const rows = grid.length;
  const cols = rows ? grid[0].length : 0;
  return {
    name,
    used: { rowIndex: 0, columnIndex: 0, rowCount: rows, columnCount: cols },
    getUsedRangeOrNullObject: function () {
      return (this as unknown as { used: unknown }).used;
    },
    getRangeByIndexes: function (r: number, c: number, h: number, w: number) {
      const self = this as unknown as MockNode;
      const key = `block${n++}`;
      self.addMock(key);
      const m = self[key] as MockNode;
      m.setValue(
        "values",
        Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, k) => grid[r + i]?.[c + k] ?? "")),
      );
      m.setValue("rowIndex", r);
      m.setValue("columnIndex", c);
      m.setValue("rowCount", h);
      m.setValue("columnCount", w);
      log.push({ sheet: name, args: [r, c, h, w], mock: m });
      return m;
    },
  };
}

/** Gives a mock object an isNullObject that reads like the mock's other unloaded properties. */
function mockNullFlag(mock: Record<string, unknown>, isNull: boolean, probe: string): void {
  Object.defineProperty(mock, "isNullObject", {
    get() {
      const p = mock[probe];
      return p === NOT_LOADED || p === NOT_SYNCED ? p : isNull;
    },
  });
}

function gatewayFor(excelMock: { run: (cb: unknown) => Promise<unknown> }) {
  const host = { run: (batch: unknown) => excelMock.run(batch) } as unknown as ExcelHost;
  return createExcelGateway(host, createSettingsStore(null));
}

const DATA: Grid = [
  ["SKU", "Value", "M1", "M2"],
  ["00123", 1500.5, 3, 0],
  ["B-7", 20, 1, 1],
  ["C", 0, 0, 0],
];

function readMock(selection: { rowIndex: number; columnIndex: number; rowCount: number; columnCount: number }, region = selection) {
  const log: BlockLog[] = [];
  const worksheet = sheetData("Data", DATA, log);
  const mock = new OfficeMockObject({
    context: {
      workbook: {
        selected: {
          ...selection,
          worksheet,
          region: { ...region },
          getSurroundingRegion: function () {
            return (this as unknown as { region: unknown }).region;
          },
        },
        getSelectedRange: function () {
          return (this as unknown as { selected: unknown }).selected;
        },
      },
    },
    run: async function (callback: (ctx: unknown) => Promise<unknown>) {
      return callback((this as unknown as { context: unknown }).context);
    },
  }) as unknown as OfficeMockObject & { context: { workbook: { selected: Record<string, unknown> & { worksheet: Record<string, unknown> } } }; run: (cb: unknown) => Promise<unknown> };
  mockNullFlag(mock.context.workbook.selected.worksheet.used as Record<string, unknown>, false, "rowCount");
  return { mock, log };
}

describe("office-addin-mock: its load/sync rules", () => {
  it("reads an unloaded or unsynced property as an error string (what the assertions below rely on)", async () => {
    const { mock } = readMock({ rowIndex: 0, columnIndex: 0, rowCount: 4, columnCount: 4 });
    const range = mock.context.workbook.selected as unknown as { load(p: string): void; rowCount: unknown };
    expect(range.rowCount).toBe(NOT_LOADED);
    range.load("rowCount");
    expect(range.rowCount).toBe(NOT_SYNCED);
    await (mock.context as unknown as { sync(): Promise<void> }).sync();
    expect(range.rowCount).toBe(4);
  });
});

describe("gateway reads through office-addin-mock", () => {
  it("readSelection loads the selection, then its cells, each after a sync", async () => {
    const { mock, log } = readMock({ rowIndex: 1, columnIndex: 0, rowCount: 3, columnCount: 2 });
    const snap = await gatewayFor(mock).readSelection();
    expect(snap).toEqual({
      sheetName: "Data",
      address: "Data!A2:B4",
      firstRow: 1,
      firstColumn: 0,
      values: [
        ["00123", 1500.5],
        ["B-7", 20],
        ["C", 0],
      ],
    });
    expect(log.map((b) => b.args)).toEqual([[1, 0, 3, 2]]);
  });

  it("readCurrentRegion reads the surrounding region of the selection", async () => {
    const { mock, log } = readMock({ rowIndex: 2, columnIndex: 1, rowCount: 1, columnCount: 1 }, { rowIndex: 0, columnIndex: 0, rowCount: 4, columnCount: 4 });
    const gateway = gatewayFor(mock);
    const snap = await gateway.readCurrentRegion();
    expect(snap.address).toBe("Data!A1:D4");
    expect(snap.values).toEqual(DATA);
    expect(JSON.stringify(snap)).not.toContain("Error, ");
    expect(log).toHaveLength(1);
    expect(gateway.lastReport).toMatchObject({ syncs: 2, cells: 16 });
  });

  it("fails loudly when the mock answers with an unloaded value", async () => {
    // The region's rowCount never gets a synced value, as if the gateway had read it too early.
    const { mock } = readMock({ rowIndex: 0, columnIndex: 0, rowCount: 1, columnCount: 1 });
    const selected = mock.context.workbook.selected as unknown as { region: Record<string, unknown> };
    Object.defineProperty(selected.region, "rowCount", { get: () => NOT_LOADED, set: () => undefined });
    await expect(gatewayFor(mock).readCurrentRegion()).rejects.toThrow(`Excel returned "${NOT_LOADED}" for current region.rowCount`);
  });
});

describe("gateway audit append through office-addin-mock", () => {
  function auditMock(existing: Grid | null) {
    const log: BlockLog[] = [];
    const added: string[] = [];
    const data = {
      context: {
        workbook: {
          worksheets: {
            audit: existing ? sheetData(AUDIT_SHEET_NAME, existing, log) : { name: "" },
            created: sheetData(AUDIT_SHEET_NAME, [], log),
            getItemOrNullObject: function (name: string) {
              expect(name).toBe(AUDIT_SHEET_NAME);
              return (this as unknown as { audit: unknown }).audit;
            },
            add: function (name: string) {
              added.push(name);
              return (this as unknown as { created: unknown }).created;
            },
          },
        },
      },
      run: async function (callback: (ctx: unknown) => Promise<unknown>) {
        return callback((this as unknown as { context: unknown }).context);
      },
    };
    const mock = new OfficeMockObject(data) as unknown as { context: { workbook: { worksheets: Record<string, Record<string, unknown>> } }; run: (cb: unknown) => Promise<unknown> };
    const ws = mock.context.workbook.worksheets;
    mockNullFlag(ws.audit, existing === null, "name");
    if (existing) mockNullFlag(ws.audit.used as Record<string, unknown>, false, "rowCount");
    return { mock, log, added, ws };
  }

  it("creates SEG_Audit very hidden with the header, then the rows, all as text", async () => {
    const { mock, log, added, ws } = auditMock(null);
    const row = auditRow({ sku: "00123", newValue: "-5" });
    await gatewayFor(mock).audit.append([row]);
    expect(added).toEqual([AUDIT_SHEET_NAME]);
    expect(ws.created.visibility).toBe("VeryHidden");
    expect(log.map((b) => b.args)).toEqual([
      [0, 0, 1, 14],
      [1, 0, 1, 14],
    ]);
    expect(log[0].mock.values).toEqual([[...AUDIT_COLUMNS]]);
    expect(log[1].mock.values).toEqual([AUDIT_COLUMNS.map((c) => (row as unknown as Record<string, string>)[c])]);
    // one "@" for the whole block (Office.js applies a single format to every cell of the range)
    expect(log.every((b) => JSON.stringify(b.mock.numberFormat) === JSON.stringify([["@"]]))).toBe(true);
  });

  it("appends below the last used row of an existing sheet after checking its header", async () => {
    const existing: Grid = [[...AUDIT_COLUMNS], AUDIT_COLUMNS.map(() => "old"), AUDIT_COLUMNS.map(() => "old")];
    const { mock, log, added, ws } = auditMock(existing);
    await gatewayFor(mock).audit.append([auditRow(), auditRow()]);
    expect(added).toEqual([]);
    expect(ws.audit.visibility).toBe("VeryHidden");
    // First the header read (row 1), then one block of two rows starting on sheet row 4.
    expect(log.map((b) => b.args)).toEqual([
      [0, 0, 1, 14],
      [3, 0, 2, 14],
    ]);
    expect((log[1].mock.values as unknown[][]).map((r) => r[AUDIT_COLUMNS.indexOf("syncState")])).toEqual(["pending", "pending"]);
    expect(log[0].mock.values).toEqual([[...AUDIT_COLUMNS]]); // read, not written
  });

  it("refuses to append when the header read back is not the audit header", async () => {
    const existing: Grid = [AUDIT_COLUMNS.map((c, i) => (i === 2 ? "who" : c)), AUDIT_COLUMNS.map(() => "old")];
    const { mock, log } = auditMock(existing);
    await expect(gatewayFor(mock).audit.append([auditRow()])).rejects.toThrow('cell C1 holds "who" instead of "user"');
    expect(log).toHaveLength(1);
  });
});
