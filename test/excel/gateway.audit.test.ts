/** The SEG_Audit sheet through the gateway, and the settings store. */
import { GENESIS_HASH, sealEntries, verifyChain, type UnsealedEntry } from "../../src/engine/audit";
import { AUDIT_COLUMNS, AUDIT_SHEET_NAME, createSettingsStore } from "../../src/excel";
import { FakeSettings } from "../fake-excel";
import { auditRow, setup } from "./fakeGateway";

const HEADER = [
  "entryId",
  "timestamp",
  "user",
  "workbookId",
  "action",
  "sku",
  "field",
  "oldValue",
  "newValue",
  "reason",
  "modelVersion",
  "prevHash",
  "entryHash",
  "syncState",
];

describe("audit sheet", () => {
  it("is created very hidden on first append, header in row 1, every cell text", async () => {
    const { fake, gateway } = setup();
    expect(fake.workbook.hasSheet(AUDIT_SHEET_NAME)).toBe(false);
    expect(await gateway.audit.readAll()).toEqual([]);
    expect(fake.workbook.hasSheet(AUDIT_SHEET_NAME)).toBe(false); // reading does not create it
    const row = auditRow({ prevHash: GENESIS_HASH, sku: "00123", newValue: "-5", reason: "=HYPERLINK(\"x\")", oldValue: "2026-11-25", field: "12%" });
    await gateway.audit.append([row]);
    const sheet = fake.workbook.sheet(AUDIT_SHEET_NAME);
    expect(sheet.visibility).toBe("VeryHidden");
    expect(AUDIT_COLUMNS).toEqual(HEADER);
    expect(sheet.values("A1:N1")).toEqual([HEADER]);
    // Exactly as given: no number, date, percentage or formula made of any of it.
    expect(sheet.values("A2:N2")).toEqual([HEADER.map((h) => (row as unknown as Record<string, string>)[h])]);
    expect(sheet.numberFormats("A2:N2")).toEqual([HEADER.map(() => "@")]);
    expect(sheet.formula("J2")).toBeUndefined();
    const [back] = await gateway.audit.readAll();
    expect(back).toEqual({ ...row, sheetRow: 2 });
  });

  it("appends after the last used row and never rewrites earlier rows", async () => {
    const { fake, gateway } = setup();
    const first = [auditRow(), auditRow()];
    await gateway.audit.append(first);
    const before = fake.workbook.sheet(AUDIT_SHEET_NAME).values("A1:N3");
    fake.resetStats();
    const second = Array.from({ length: 3 }, () => auditRow({ action: "classify-run" }));
    await gateway.audit.append(second);
    const sheet = fake.workbook.sheet(AUDIT_SHEET_NAME);
    expect(sheet.values("A1:N3")).toEqual(before);
    expect(sheet.usedAddress()).toBe("A1:N6");
    expect((await gateway.audit.readAll()).map((r) => [r.entryId, r.sheetRow])).toEqual([...first, ...second].map((r, i) => [r.entryId, i + 2]));
    // The writes of the second append all landed below row 3.
    expect(fake.stats.history.every((s) => s.cellsWritten === 0 || s.cellsWritten === 3 * 14)).toBe(true);
  });

  it("appends 1,000 rows in few syncs", async () => {
    const { fake, gateway } = setup();
    await gateway.audit.append([auditRow()]);
    fake.resetStats();
    await gateway.audit.append(Array.from({ length: 1_000 }, () => auditRow()));
    expect(fake.stats.syncs).toBeLessThanOrEqual(3); // find the sheet, check header and last row, write
    expect(fake.workbook.sheet(AUDIT_SHEET_NAME).usedAddress()).toBe("A1:N1002");
  });

  it("serialises concurrent appends so none overwrites another", async () => {
    const { gateway } = setup();
    const a = Array.from({ length: 5 }, () => auditRow());
    const b = Array.from({ length: 5 }, () => auditRow());
    await Promise.all([gateway.audit.append(a), gateway.audit.append(b)]);
    expect((await gateway.audit.readAll()).map((r) => r.entryId)).toEqual([...a, ...b].map((r) => r.entryId));
  });

  it("markSynced changes only the syncState cells of the given entries", async () => {
    const { fake, gateway } = setup();
    const rows = Array.from({ length: 6 }, () => auditRow());
    await gateway.audit.append(rows);
    const before = fake.workbook.sheet(AUDIT_SHEET_NAME).values();
    await gateway.audit.markSynced([rows[1].entryId, rows[2].entryId, rows[4].entryId, "not-on-the-sheet"]);
    const after = fake.workbook.sheet(AUDIT_SHEET_NAME).values();
    const changed: string[] = [];
    after.forEach((row, r) => row.forEach((v, c) => v !== before[r][c] && changed.push(`${HEADER[c]}@${r + 1}=${v}`)));
    expect(changed).toEqual(["syncState@3=synced", "syncState@4=synced", "syncState@6=synced"]);
    expect((await gateway.audit.readAll()).map((r) => r.syncState)).toEqual(["pending", "synced", "synced", "pending", "synced", "pending"]);
  });

  it("hands a tampered or cleared row to the chain check, which names its sheet row", async () => {
    const { fake, gateway } = setup();
    const unsealed: UnsealedEntry[] = Array.from({ length: 4 }, (_, i) => {
      const { prevHash: _p, entryHash: _h, syncState: _s, ...rest } = auditRow({ sku: `SKU${i}` });
      return rest;
    });
    const sealed = await sealEntries(unsealed, GENESIS_HASH);
    await gateway.audit.append(sealed.map((e) => ({ ...e, syncState: "pending" as const })));
    expect(await verifyChain(await gateway.audit.readAll())).toMatchObject({ ok: true, count: 4 });

    fake.tamper(AUDIT_SHEET_NAME, "F4", "SKU-edited"); // the sku of the third entry, on sheet row 4
    const rows = await gateway.audit.readAll();
    const check = await verifyChain(rows);
    expect(check).toMatchObject({ ok: false, index: 2, reason: expect.stringMatching(/edited/) });
    expect(rows[(check as { index: number }).index].sheetRow).toBe(4);

    for (const col of "ABCDEFGHIJKLMN") fake.tamper(AUDIT_SHEET_NAME, `${col}3`, "");
    const cleared = await gateway.audit.readAll();
    expect(cleared).toHaveLength(4);
    const check2 = await verifyChain(cleared);
    expect(check2).toMatchObject({ ok: false, index: 1 });
    expect(cleared[1].sheetRow).toBe(3);
  });

  it("refuses to append under a header row that was edited", async () => {
    const { fake, gateway } = setup();
    await gateway.audit.append([auditRow()]);
    fake.tamper(AUDIT_SHEET_NAME, "C1", "who");
    const before = fake.workbook.sheet(AUDIT_SHEET_NAME).values();
    await expect(gateway.audit.append([auditRow()])).rejects.toThrow('The SEG_Audit sheet was edited: cell C1 holds "who" instead of "user".');
    await expect(gateway.audit.readAll()).rejects.toThrow(/cell C1/);
    expect(fake.workbook.sheet(AUDIT_SHEET_NAME).values()).toEqual(before);
  });

  it("hides the sheet again if someone made it visible", async () => {
    const { fake, gateway } = setup();
    await gateway.audit.append([auditRow()]);
    fake.workbook.sheet(AUDIT_SHEET_NAME).setVisibility("Visible");
    await gateway.audit.append([auditRow()]);
    expect(fake.workbook.sheet(AUDIT_SHEET_NAME).visibility).toBe("VeryHidden");
  });

  it("rejects malformed entries before writing", async () => {
    const { fake, gateway } = setup();
    await expect(gateway.audit.append([auditRow({ action: "deleted-everything" as never })])).rejects.toThrow(/action "deleted-everything" is not one of/);
    await expect(gateway.audit.append([auditRow({ entryId: "" })])).rejects.toThrow("Audit entry 1 has no entryId.");
    expect(fake.workbook.hasSheet(AUDIT_SHEET_NAME)).toBe(false);
  });
});

describe("settings", () => {
  it("stores settings in the document and saves them", async () => {
    const settings = new FakeSettings();
    const store = createSettingsStore(settings);
    await store.set("mapping", { sku: "A", history: ["G", "DH"] });
    expect(store.get("mapping")).toEqual({ sku: "A", history: ["G", "DH"] });
    expect(store.get("missing")).toBeUndefined();
    expect(settings.saves).toBe(1);
    expect(settings.savedValues()).toEqual({ mapping: { sku: "A", history: ["G", "DH"] } });
  });

  it("reports a failed save", async () => {
    const failing = { get: () => null, set: () => undefined, saveAsync: (cb?: (r: { status: unknown; error?: { message?: string } | null }) => void) => cb?.({ status: "failed", error: { message: "read-only workbook" } }) };
    await expect(createSettingsStore(failing).set("k", 1)).rejects.toThrow('Could not save the workbook settings (read-only workbook); "k" is kept for this session only.');
  });

  it("falls back to memory outside Office", async () => {
    const store = createSettingsStore();
    const value = { a: [1, 2] };
    await store.set("k", value);
    value.a.push(3);
    expect(store.get("k")).toEqual({ a: [1, 2] });
    await expect(store.set("f", () => 1)).rejects.toThrow(/cannot be stored/);
  });
});
