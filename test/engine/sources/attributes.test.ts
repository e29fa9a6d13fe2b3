import { applyProfile, attributeDictionary, durationMs, profileFromJson, profileToJson, validateProfile, type MappingProfile } from "../../../src/engine/attributes";

const sapMm: MappingProfile = {
  kind: "seg.mappingProfile",
  schemaVersion: 1,
  name: "SAP MM extract",
  system: "SAP S/4HANA",
  layout: "transactions",
  columns: { sku: "Material", date: "Posting Date", quantity: "Quantity", location: "Plant", orderType: "Movement Type", transactionId: "Material Document" },
  dateFormat: "dmy",
  numberLocale: "de",
  calendar: { kind: "isoWeek" },
  negatives: "exclude",
  excludeOrderTypes: ["262", "Z01"],
  attributes: [
    { attribute: "history", system: "SAP S/4HANA", field: "MSEG-MENGE by BUDAT", owner: "Demand planning (A. Ruiz)", refreshSla: "P1D" },
    { attribute: "family", system: "SAP S/4HANA", field: "MARA-MATKL", owner: "Master data (J. Chen)", refreshSla: "P1W" },
  ],
};
const wms: MappingProfile = {
  kind: "seg.mappingProfile",
  schemaVersion: 1,
  name: "WMS slots",
  system: "Manhattan WMS",
  layout: "skuTable",
  columns: { sku: "Item", location: "Slot zone" },
  attributes: [{ attribute: "location", system: "Manhattan WMS", field: "slot.zone", owner: "Warehouse ops", refreshSla: "PT6H" }],
};

describe("durations", () => {
  test.each([
    ["P1D", 86_400_000],
    ["PT6H", 21_600_000],
    ["P1W", 604_800_000],
    ["P1DT12H", 129_600_000],
    ["PT30M", 1_800_000],
  ])("%s", (t, ms) => expect(durationMs(t)).toBe(ms));
  test.each(["P1M", "P1Y", "1 day", "P", "PT", ""])("%j refused", (t) => expect(durationMs(t)).toBeNaN());
});

describe("mapping profiles", () => {
  test("round trip through JSON", () => {
    const text = profileToJson(sapMm);
    expect(profileFromJson(text)).toEqual(sapMm);
    expect(JSON.parse(text).kind).toBe("seg.mappingProfile");
  });
  test("every problem is listed by path", () => {
    const bad = {
      ...sapMm,
      schemaVersion: 2,
      columns: { sku: "Material", date: "Material", bogus: "x" },
      numberLocale: "xx",
      calendar: { kind: "fiscalMonth", startMonth: 0 },
      attributes: [
        { attribute: "family", system: "SAP", field: "MATKL", owner: "", refreshSla: "1 day" },
        { attribute: "family", system: "PIM", field: "fam", owner: "x", refreshSla: "P1M" },
        { attribute: "colour", system: "PIM", field: "c", owner: "x", refreshSla: "P1D" },
      ],
    };
    const r = validateProfile(bad);
    expect(r.profile).toBeUndefined();
    expect(r.problems).toEqual([
      "schemaVersion: must be 1, got 2",
      'columns.date: header "Material" is already mapped to sku',
      "columns.bogus: unknown field (known: sku, date, quantity, location, customer, orderType, transactionId, unitCost, value, description, leadTime, leadTimeSd, orderQty, history, family, category, lifecycle, customerTier, currentClass, pin)",
      "columns.quantity: a transactions profile must map quantity",
      'numberLocale: must be one of en, de, fr, ch, plain, got "xx"',
      "calendar.startMonth: must be a month number 1-12, got 0",
      "attributes[0].owner: required",
      'attributes[0].refreshSla: "1 day" is not an ISO 8601 duration in weeks/days/hours (e.g. P1D, PT6H, P1W)',
      "attributes[1].attribute: family is already described in attributes[0]",
      'attributes[1].refreshSla: "P1M" is not an ISO 8601 duration in weeks/days/hours (e.g. P1D, PT6H, P1W)',
      'attributes[2].attribute: unknown attribute "colour" (known: sku, description, value, quantity, unitCost, leadTime, leadTimeSd, orderQty, history, family, category, lifecycle, location, customerTier, currentClass, pin)',
    ]);
    expect(() => profileFromJson("{")).toThrow("profile: is not JSON");
    expect(() => profileFromJson(JSON.stringify(bad))).toThrow("schemaVersion: must be 1, got 2; ");
  });
  test("applyProfile finds headers case-insensitively and names the missing ones, required first", () => {
    const r = applyProfile(["posting date", " MATERIAL ", "Quantity", "Plant"], sapMm);
    expect(r.columns).toEqual({ sku: 1, date: 0, quantity: 2, location: 3 });
    expect(r.missing).toEqual(['orderType ("Movement Type")', 'transactionId ("Material Document")']);
    expect(applyProfile(["Material"], sapMm).missing.slice(0, 2)).toEqual(['date ("Posting Date", required)', 'quantity ("Quantity", required)']);
  });
  test("the dictionary gathers every source of each attribute", () => {
    const d = attributeDictionary([sapMm, wms]);
    expect(d.get("family")!.map((e) => `${e.profile}: ${e.field} (${e.owner}, ${e.refreshSla})`)).toEqual(["SAP MM extract: MARA-MATKL (Master data (J. Chen), P1W)"]);
    expect(d.get("location")![0].system).toBe("Manhattan WMS");
    expect(d.get("leadTime")).toEqual([]);
  });
});
