/**
 * Issue 15 in the pane, at the session level (PaneSession over the in-memory gateway): criterion
 * and dimension from an order-lines range, cost-to-serve, SLA alignment, the decision record,
 * execution rules and the Execution sheet with the master-data checks, service terms from
 * contracts. Expected figures are worked out by hand in dimensionsData.ts and sampleData.ts.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import { COST_TO_SERVE_TABLE, DIMENSION_NOTES_TABLE, DIMENSION_TABLE, DIMENSIONS_SHEET, EXECUTION_TABLE } from "../../src/app/dimensionSheets";
import { SEGMENTS_NOTES_TABLE, SEGMENTS_TABLE } from "../../src/app/sheets";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";
import { clausesSheet, linesSheet } from "./dimensionsData";
import { sampleSheet } from "./sampleData";

/** The sheets of the one all-or-nothing write (other steps' sheets may follow; the order is the steps'). */
function sheetsWritten(gw: { calls: string[] }): string[] {
  const writes = gw.calls.filter((c) => c.startsWith("writeSheets:"));
  expect(writes).toHaveLength(1);
  return writes[0].slice("writeSheets:".length).split(",");
}

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).addSheet("Lines", linesSheet()).addSheet("Contracts", clausesSheet()).select("Data", "A1");
  let t = Date.parse("2026-12-01T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

const common = (s: PaneSession) => s.getState().common;
const dims = (s: PaneSession) => s.getState().steps.dimensions;

async function classify(gw: MemoryGateway, session: PaneSession) {
  gw.select("Data", "A1");
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  expect(common(session).error).toBeNull();
}

async function readLines(gw: MemoryGateway, session: PaneSession) {
  gw.select("Lines", "A1");
  await session.step("dimensions").readOrderLines("region");
  expect(common(session).error).toBeNull();
}

function tableRows(gw: MemoryGateway, name: string): Record<string, unknown>[] {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

describe("criterion and dimension", () => {
  it("leaves the product-by-value path as it was: the Segments and Policy step's sheets only (no Dimensions sheet), no decision entry, no new parameters", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    expect(dims(session).rationaleCheck.required).toBe(false);
    await session.step("write").write();
    expect(common(session).error).toBeNull();
    expect(sheetsWritten(gw)).not.toContain("Dimensions");
    expect(sheetsWritten(gw).slice(0, 2)).toEqual(["Segments", "Policy"]);
    // (the last Segments sheet is read by churn control and the Versions step, not by this step)
    expect(gw.auditRows.map((r) => r.action)).toEqual(["classify-run"]);
    expect(Object.keys(JSON.parse(gw.auditRows[0].newValue)).sort()).toEqual(["churnControl", "grid", "mapping", "options", "policyOptions", "rules", "segmentationModel", "skus", "source"]);
    expect(gw.table(SEGMENTS_NOTES_TABLE)!.rows.some((r) => String(r[0]).startsWith("Decision record"))).toBe(false);
  });

  it("proposes the order-line mapping from the headers and says what each choice needs", async () => {
    const { gw, session } = setup();
    await readLines(gw, session);
    const m = dims(session).mapping!;
    expect(m.headerRow).toBe(0);
    expect(m.columns).toMatchObject({ orderId: 0, customer: 1, sku: 2, quantity: 3, revenue: 4, cost: 5, customerTier: 6, handlingCost: 7, carbonPerUnit: 8, channel: null, shipmentId: null });
    session.step("dimensions").setSettings({ dimension: "skuChannel" });
    expect(dims(session).missing).toEqual(["SKU × channel needs the Channel column (channel): map it."]);
    expect(dims(session).needs.find((n) => n.field === "channel")).toMatchObject({ required: true, mapped: false });
    session.step("dimensions").setSettings({ dimension: "customer", criterion: "margin" });
    expect(dims(session).missing).toEqual([]);
    expect(dims(session).needs.filter((n) => n.required).map((n) => [n.field, n.mapped])).toEqual([
      ["customer", true],
      ["quantity", true],
      ["revenue", true],
      ["cost", true],
    ]);
    expect(dims(session).tradeoff).toMatch(/customer id on every order line/);
  });

  it("ranks customers by value from the order lines, names each rejected line's cell, and flags cost-to-serve out of proportion", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "customer", criterion: "value" });
    await session.step("dimensions").run();
    expect(common(session).error).toBeNull();
    const run = dims(session).run!;
    expect(run.keys).toBe(3);
    expect(run.keyCustomer).toEqual(["C1", "C2", "C3"]);
    expect(Array.from(run.revenue)).toEqual([700, 200, 100]);
    expect(Array.from(run.lines)).toEqual([3, 2, 1]);
    expect(Array.from(run.orders)).toEqual([2, 2, 1]);
    expect(Array.from(run.margin)).toEqual([280, 80, -10]);
    expect(run.keyClass).toEqual(["A", "B", "C"]);
    expect(run.cumShare[0]).toBeCloseTo(0.7, 12);
    expect(run.cumShare[1]).toBeCloseTo(0.9, 12);
    expect(run.rejected.map((r) => r.message)).toEqual(["Lines!B8: the customer id is blank", 'Lines!D9: text "x" is not a number']);
    // carbon beside it: 18, 6, 2 kg → high, medium, low
    expect(Array.from(run.carbon!.emissions)).toEqual([18, 6, 2]);
    expect(run.carbon!.tier).toEqual(["high", "medium", "low"]);
    const cts = run.costToServe!;
    expect(cts.segments.map((g) => g.segment)).toEqual(["A", "B", "C"]);
    expect(cts.segments.map((g) => g.costToServe)).toEqual([15, 10, 20]);
    expect(cts.segments.map((g) => g.ratio)[2]).toBeCloseTo(20 / 45 / 0.1, 12);
    expect(cts.segments[0].ratio).toBeCloseTo(15 / 45 / 0.7, 12);
    expect(cts.segments.map((g) => g.outOfProportion)).toEqual([false, false, true]);
    expect(cts.carbon!.map((c) => c.emissions)).toEqual([18, 6, 2]);
    // customer classes (for execution rules) are the same ranking, one letter each
    expect(run.customerClass).toEqual(["A", "B", "C"]);
    expect(run.customerTier).toEqual(["gold", "silver", ""]);
  });

  it("puts loss-making customers in class L by margin, and gives two-axis ABC its own grid", async () => {
    const { gw, session } = setup();
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "customer", criterion: "margin" });
    await session.step("dimensions").run();
    expect(dims(session).run!.keyClass).toEqual(["A", "C", "L"]);
    expect(dims(session).run!.classes.map((c) => [c.label, c.keys])).toEqual([
      ["A", 1],
      ["B", 0],
      ["C", 1],
      ["L", 1],
    ]);
    session.step("dimensions").setSettings({ criterion: "twoAxis", axes: ["value", "margin"] });
    expect(dims(session).run).toBeNull();
    await session.step("dimensions").run();
    const run = dims(session).run!;
    expect(run.keyClass).toEqual(["AA", "BC", "CL"]);
    expect(run.second!.xLabels).toEqual(["A", "B", "C"]);
    expect(run.second!.yLabels).toEqual(["A", "B", "C", "L"]);
    expect(run.second!.grid).toHaveLength(12);
    expect(run.second!.grid.find((g) => g.cell === "AA")).toMatchObject({ count: 1, xShare: 0.7 });
  });

  it("refuses negative weights naming the criterion, and states how weights not summing to 1 were divided", async () => {
    const { gw, session } = setup();
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "customer", criterion: "score" });
    session.step("dimensions").setWeight("margin", -0.2);
    expect(dims(session).settingsProblems).toEqual([{ field: "weights", message: "Weights: weight of margin is -0.2: weights must be 0 or more." }]);
    await session.step("dimensions").run();
    expect(common(session).error).toBe("Weights: weight of margin is -0.2: weights must be 0 or more.");
    session.step("dimensions").setSettings({ weights: { value: 3, margin: 0, units: 0, orderLines: 1, carbon: 0 } });
    expect(dims(session).settingsProblems).toEqual([]);
    expect(dims(session).weightNotes).toEqual(["weights sum to 4, not 1: each was divided by 4 (value 0.75, orderLines 0.25)"]);
    await session.step("dimensions").run();
    // scores: .75 × value share + .25 × line share: C1 .75·.7 + .25·.5 = .65, C2 .75·.2 + .25·(2/6), C3 .75·.1 + .25·(1/6)
    const score = dims(session).run!.criterionValue;
    expect(score[0]).toBeCloseTo(0.65, 12);
    expect(score[1]).toBeCloseTo(0.15 + 0.25 / 3, 12);
    expect(score[2]).toBeCloseTo(0.075 + 0.25 / 6, 12);
  });

  it("says a hybrid dimension needs the customer column, and refuses to run without it", async () => {
    const { gw, session } = setup();
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "skuCustomer" });
    session.step("dimensions").setMappingField("customer", null);
    expect(dims(session).mappingProblems).toContain("SKU × customer needs the Customer id column (customer): map it.");
    await session.step("dimensions").run();
    expect(common(session).error).toBe("SKU × customer needs the Customer id column (customer): map it.");
  });

  it("cancels the segmentation and keeps what was there", async () => {
    const { gw, session } = setup();
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "customer" });
    const running = session.step("dimensions").run();
    session.cancel();
    await running;
    expect(dims(session).run).toBeNull();
    expect(common(session).notice).toBe("Segmentation of the order lines cancelled: nothing changed.");
  });
});

describe("decision record", () => {
  it("requires a rationale when the dimension or the cut-offs change, writes it on the Segments and Dimensions sheets and in the audit trail", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "customer" });
    await session.step("dimensions").run();
    expect(dims(session).rationaleCheck).toMatchObject({ required: true, present: false, changes: ["dimension product → customer"] });
    await session.step("write").write();
    expect(common(session).error).toBe(
      'Write the decision record first (Classify tab, "Decision record"): rationale required (at least 10 characters, two words) because dimension product → customer.',
    );
    expect(gw.sheet(DIMENSIONS_SHEET)).toBeUndefined();

    session.step("dimensions").setRationale("Customer tiers drive the service offer from 2027.");
    expect(dims(session).rationaleCheck.ok).toBe(true);
    await session.step("write").write();
    expect(common(session).error).toBeNull();
    expect(sheetsWritten(gw).slice(0, 3)).toEqual(["Segments", "Dimensions", "Policy"]);
    const notes = gw.table(SEGMENTS_NOTES_TABLE)!.rows.map((r) => r[0]);
    expect(notes).toContain("Decision record: Customer tiers drive the service offer from 2027.");
    expect(notes).toContain("Boundaries and dimension changed since the last Write: dimension product → customer.");
    expect(gw.table(DIMENSION_NOTES_TABLE)!.rows.map((r) => r[0])).toContain("Decision record: Customer tiers drive the service offer from 2027.");
    const entry = gw.auditRows.find((r) => r.action === "decision-recorded")!;
    expect(entry).toMatchObject({ field: "rationale", oldValue: "", newValue: "Customer tiers drive the service offer from 2027.", reason: "boundaries and dimension changed: dimension product → customer" });
    expect(entry.modelVersion).toBe(gw.auditRows.find((r) => r.action === "classify-run")!.modelVersion);
    expect(JSON.parse(gw.auditRows.find((r) => r.action === "classify-run")!.newValue).dimension).toMatchObject({ dimension: "customer", criterion: "value", lines: 6 });

    // the Dimensions sheet: one row per customer in rank order, cost-to-serve with carbon, and its chart
    const rows = tableRows(gw, DIMENSION_TABLE);
    expect(rows.map((r) => [r.Customer, r.Revenue, r.Class, r["Carbon tier"]])).toEqual([
      ["C1", 700, "A", "high"],
      ["C2", 200, "B", "medium"],
      ["C3", 100, "C", "low"],
    ]);
    expect(tableRows(gw, COST_TO_SERVE_TABLE).map((r) => [r.Segment, r["Cost-to-serve"], r["Out of proportion"], r["Carbon (kg CO2e)"]])).toEqual([
      ["A", 15, "no", 18],
      ["B", 10, "no", 6],
      ["C", 20, "yes", 2],
    ]);
    expect([...gw.state.charts.values()].map((c) => [c.name, c.sheetName])).toContainEqual(["SegCostToServeChart", "Dimensions"]);

    // the next Write with the same choices needs no new rationale and records nothing new
    expect(dims(session).rationaleCheck.required).toBe(false);
    await session.step("write").write();
    expect(gw.auditRows.filter((r) => r.action === "decision-recorded")).toHaveLength(1);
  });

  it("requires it for a change of the ABC cut-offs alone", async () => {
    const { gw, session } = setup();
    gw.select("Data", "A1");
    await session.step("classify").readSource("region");
    session.step("classify").setOptions({ abcCutoffs: [0.7, 0.9] });
    expect(dims(session).rationaleCheck.changes).toEqual(["ABC cut-offs 0.8, 0.95 → 0.7, 0.9"]);
    await session.step("classify").classify();
    await session.step("write").write();
    expect(common(session).error).toMatch(/because ABC cut-offs 0\.8, 0\.95 → 0\.7, 0\.9/);
  });
});

describe("SLA alignment", () => {
  it("lists the conflicts of the agreements per tier with the policy grid, and asks before the Write", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await readLines(gw, session);
    const service = session.step("service");
    service.addAgreement();
    service.updateAgreement(0, { tier: "gold", serviceLevel: 0.985, measure: "fill", source: "K-17" });
    service.addAgreement();
    service.updateAgreement(1, { tier: "silver", serviceLevel: 0.95, measure: "fill" });
    expect(session.getState().steps.service.served).toBeNull();
    await session.step("dimensions").run(); // product by value: the order lines give the tiers served
    const s = session.getState().steps.service;
    expect(s.served).toEqual({ AX: ["gold", "silver"], AY: ["gold"], CX: ["silver"] });
    expect(s.conflicts.map((c) => c.message)).toEqual([
      "AX fill rate target 98 % is below tier gold (fill 98.5 %, K-17)",
      "AY fill rate target 97 % is below tier gold (fill 98.5 %, K-17)",
      "CX fill rate target 93 % is below tier silver (fill 95 %)",
    ]);
    // raising AY in the Policy tab removes its conflict
    session.step("policy").setGridCell("AY", "fillRateTarget", 0.99);
    expect(session.getState().steps.service.conflicts).toHaveLength(2);

    await session.step("write").write();
    const q = session.getState().steps.write.question!;
    expect(q.title).toBe("The policy grid does not meet 2 service agreements");
    expect(q.items).toEqual(["AX fill rate target 98 % is below tier gold (fill 98.5 %, K-17)", "CX fill rate target 93 % is below tier silver (fill 95 %)"]);
    expect(gw.sheet("Segments")).toBeUndefined();
    await session.step("write").answer("write");
    expect(common(session).error).toBeNull();
    expect(session.getState().steps.write.lastWrite!.summary).toContain("Written with 2 service-agreement conflict(s) (Service tab).");
  });

  it("refuses an agreement outside (0 %, 100 %) in percent, naming the tier", async () => {
    const { session } = setup();
    session.step("service").addAgreement();
    session.step("service").updateAgreement(0, { serviceLevel: 1.2 });
    expect(session.getState().steps.service.agreementProblems).toEqual(["Service agreements: tier gold service level must be above 0 % and below 100 % (e.g. 95 %), got 120 %."]);
  });
});

describe("execution", () => {
  async function enable(session: PaneSession) {
    session.step("execution").setSettings({ enabled: true });
  }

  it("writes the Execution sheet per SKU from the example rules", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await enable(session);
    await session.step("write").write();
    expect(common(session).error).toBeNull();
    expect(sheetsWritten(gw)).toContain("Execution");
    expect(sheetsWritten(gw)).not.toContain("Dimensions");
    const rows = tableRows(gw, EXECUTION_TABLE);
    expect(rows).toHaveLength(10);
    const bySku = Object.fromEntries(rows.map((r) => [r.SKU, r]));
    // AX: R2 (A*, priority 1, ATP 2) beats R1 (*) on both; the mode only R1 sets (R3 needs a customer class)
    expect(bySku.S01).toMatchObject({ Segment: "AX", "Picking priority": 1, "Transport mode": "standard", "ATP window (days)": 2, Rules: "R2 R1" });
    expect(bySku.S05).toMatchObject({ Segment: "CX", "Picking priority": 3, "Transport mode": "economy", "ATP window (days)": 10, Rules: "R1 R4" });
    expect(bySku.S03).toMatchObject({ Segment: "BX", "Picking priority": 3, "Transport mode": "standard", "ATP window (days)": 5 });
    expect(session.getState().steps.write.lastWrite!.summary).toContain("Execution sheet: 10 rows, 4 rules.");
  });

  it("evaluates per SKU × customer with the customer's class: express for A customers' A items", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await readLines(gw, session);
    session.step("dimensions").setSettings({ dimension: "skuCustomer" });
    await session.step("dimensions").run();
    session.step("execution").setSettings({ enabled: true, rows: "skuCustomer" });
    expect(session.getState().steps.execution.settingsProblems).toEqual([]);
    await session.step("execution").preview();
    expect(session.getState().steps.execution.preview!.rows).toBe(5);
    session.step("dimensions").setRationale("SKU × customer pairs for the express lane.");
    await session.step("write").write();
    expect(common(session).error).toBeNull();
    const rows = tableRows(gw, EXECUTION_TABLE).map((r) => [r.SKU, r.Customer, r.Segment, r["Customer class"], r["Transport mode"]]);
    // customer classes by value over customers: C1 A, C2 B, C3 C
    expect(rows).toEqual([
      ["S01", "C1", "AX", "A", "express"],
      ["S02", "C1", "AY", "A", "express"],
      ["S01", "C2", "AX", "B", "standard"],
      ["S03", "C3", "BX", "C", "standard"],
      ["S05", "C2", "CX", "B", "economy"],
    ]);
  });

  it("refuses contradictory rules, naming both, until one is more specific", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await enable(session);
    session.step("execution").addRule();
    session.step("execution").updateRule("R5", { segment: "A*", pickingPriority: 2 });
    const errors = session.getState().steps.execution.ruleProblems.filter((p) => p.severity === "error");
    expect(errors[0].message).toBe(
      "rules R2 and R5 contradict each other on pickingPriority: both apply to AX / smooth with the same specificity and set 1 vs 2; make one more specific or give them the same value",
    );
    await session.step("write").write();
    expect(common(session).error).toBe(`Fix the execution rules first (Execution tab): ${errors[0].message}.`);
    session.step("execution").updateRule("R5", { segment: "AZ" });
    expect(session.getState().steps.execution.ruleProblems.filter((p) => p.severity === "error")).toEqual([]);
  });

  it("refuses a segment typed by hand on the Segments sheet (asks, then replaces it) and flags a flag that contradicts the rules", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await enable(session);
    await session.step("write").write();
    const s01 = gw.table(SEGMENTS_TABLE)!.rows.findIndex((r) => r[0] === "S01");
    gw.editTableCell(SEGMENTS_TABLE, s01, "Segment", "BX");
    const e01 = gw.table(EXECUTION_TABLE)!.rows.findIndex((r) => r[0] === "S01");
    gw.editTableCell(EXECUTION_TABLE, e01, "Transport mode", "express");

    await session.step("execution").checkMasterData();
    expect(session.getState().steps.execution.findings!.map((f) => [f.action, f.message])).toEqual([
      ["refused", 'S01: segment "BX" typed by hand differs from the computed segment "AX"; record an override with a reason instead'],
      ["flagged", "S01: transportMode express contradicts rule R1, which gives standard"],
    ]);

    await session.step("write").write();
    const q = session.getState().steps.write.question!;
    expect(q.key).toBe("execution.typedSegments");
    expect(q.items).toEqual(['S01: segment "BX" typed by hand differs from the computed segment "AX"; record an override with a reason instead']);
    await session.step("write").answer("cancel");
    expect(gw.table(SEGMENTS_TABLE)!.rows[s01][7]).toBe("BX");

    await session.step("write").write();
    await session.step("write").answer("replace");
    expect(common(session).error).toBeNull();
    expect(gw.table(SEGMENTS_TABLE)!.rows[s01][7]).toBe("AX");
    expect(tableRows(gw, EXECUTION_TABLE).find((r) => r.SKU === "S01")!["Transport mode"]).toBe("standard");
    const summary = session.getState().steps.write.lastWrite!.summary;
    expect(summary).toContain("Replaced 1 segment(s) typed by hand on the Segments sheet.");
    expect(summary.some((l) => l.includes("S01: transportMode express contradicts rule R1, which gives standard"))).toBe(true);
  });

  it("does not take a rule change for a hand edit", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await enable(session);
    await session.step("write").write();
    session.step("execution").updateRule("R1", { transportMode: "economy" });
    await session.step("write").write();
    const summary = session.getState().steps.write.lastWrite!.summary;
    expect(summary).toContain("The rule table changed since the last Write: the Execution sheet's flags were replaced, not compared.");
    expect(summary.some((l) => l.includes("contradicted"))).toBe(false);
  });
});

describe("service terms from contracts", () => {
  it("extracts the terms with their spans, flags another language, and sets the customer's tier from the accepted terms", async () => {
    const { gw, session } = setup();
    const service = session.step("service");
    service.addAgreement();
    service.updateAgreement(0, { tier: "gold", serviceLevel: 0.985, measure: "fill" });
    service.addAgreement();
    service.updateAgreement(1, { tier: "silver", serviceLevel: 0.95, measure: "fill" });
    gw.select("Contracts", "A1");
    await service.readClauses("region");
    expect(session.getState().steps.service.clauseMapping).toEqual({ headerRow: 0, clause: 2, customer: 0, contract: 1 });
    await service.extract();
    expect(common(session).error).toBeNull();
    const cards = session.getState().steps.service.cards!;
    expect(cards.map((c) => [c.address, c.customer, c.terms.map((t) => [t.kind, t.min, t.text]), c.flagged])).toEqual([
      ["Contracts!C2", "C1", [["fillRate", 98.5, "fill rate of at least 98.5%"]], null],
      ["Contracts!C3", "C3", [["fillRate", 96, "order fill rate falls below 96%"], ["penalty", 2, "penalty of 2%"]], null],
      ["Contracts!C4", "C2", [], "not English (fr): no terms read"],
      ["Contracts!C5", "C2", [], null],
    ]);
    const t = cards[0].terms[0];
    expect(cards[0].text.slice(t.start, t.end)).toBe(t.text);

    service.accept(0, 0);
    service.accept(1, 0, { min: 95.5, max: null });
    service.reject(1, 1);
    const s = session.getState().steps.service;
    expect(s.customerTiers).toEqual([
      { customer: "C1", requirement: 0.985, tier: "gold", accepted: 1, note: "" },
      { customer: "C3", requirement: 0.955, tier: "gold", accepted: 1, note: "" },
    ]);
    expect(Object.values(s.decisions).map((d) => [d.customer, d.status, d.corrected, d.min])).toEqual([
      ["C1", "accepted", false, 98.5],
      ["C3", "accepted", true, 95.5],
      ["C3", "rejected", false, 2],
    ]);
    // saved with the workbook: a new pane over the same workbook has them
    const again = createPane({ gateway: gw, runner: createInlineRunner() });
    expect(again.getState().steps.service.customerTiers.map((c) => [c.customer, c.tier])).toEqual([
      ["C1", "gold"],
      ["C3", "gold"],
    ]);
  });

  it("lets accepted contract terms set the tier the SLA check uses", async () => {
    const { gw, session } = setup();
    await classify(gw, session);
    await readLines(gw, session);
    const service = session.step("service");
    service.addAgreement();
    service.updateAgreement(0, { tier: "gold", serviceLevel: 0.96, measure: "fill" });
    gw.select("Contracts", "A1");
    await service.readClauses("region");
    await service.extract();
    await session.step("dimensions").run();
    expect(session.getState().steps.service.served).toEqual({ AX: ["gold", "silver"], AY: ["gold"], CX: ["silver"] });
    service.accept(1, 0); // C3 requires 96 %: tier gold; C3 buys S03 (BX, fill target 96 %)
    expect(session.getState().steps.service.served).toEqual({ AX: ["gold", "silver"], AY: ["gold"], BX: ["gold"], CX: ["silver"] });
    expect(session.getState().steps.service.tierCounts).toEqual({ mapped: 2, fromContracts: 1 });
    // gold asks for 96 %: AX (98 %), AY (97 %) and BX (96 %, equal) meet it; silver has no agreement
    expect(session.getState().steps.service.conflicts).toEqual([]);
    service.updateAgreement(0, { serviceLevel: 0.965 });
    expect(session.getState().steps.service.conflicts.map((c) => c.message)).toEqual(["BX fill rate target 96 % is below tier gold (fill 96.5 %)"]);
  });
});
