/**
 * Issue 11 on an imported extract (the import step's bucketed histories as Classify's source):
 * the same churn control (band, minimum tenure against the last written Segments sheet), rolling
 * window and as-of period, and business rules as a sheet range. Expected classes by hand, ISO
 * weeks 2024-W01..W04 (Mondays 2024-01-01, 08, 15, 22), unit cost 1 so value = mean × 52:
 *
 *   first extract   P1 50 50 50 50 (mean 50), P2 30 30 30 30 (30), P3 10 30 10 30 (20), P4 0 0 6 6 (3)
 *                   total 103: P1 cumulative share 50/103 = 0.485 A, P2 80/103 = 0.777 A, P3 0.971 C, P4 C
 *   second extract  P1 64 a week: total 117, P2's cumulative share 94/117 = 0.8034 > 0.8, B without
 *                   the control; inside a 0.02 band of the cut-off, so held in A with it.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import { emptyRuleRow, type RuleRow } from "../../src/app/rulesApply";
import { SEGMENTS_TABLE } from "../../src/app/sheets";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";

function csvFile(text: string): File {
  return new File([text], "sales.csv", { type: "text/csv", lastModified: Date.parse("2024-01-28T06:00:00Z") });
}

const WEEKS = ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"];

/** One line per SKU and week with demand, Plant DC1. */
function extract(qty: Record<string, (number | null)[]>): string {
  const lines = ["Material,Posting Date,Qty,Plant"];
  for (const [sku, q] of Object.entries(qty)) q.forEach((x, w) => x !== null && lines.push(`${sku},${WEEKS[w]},${x},DC1`));
  return lines.join("\n");
}

const FIRST = { P1: [50, 50, 50, 50], P2: [30, 30, 30, 30], P3: [10, 30, 10, 30], P4: [null, null, 6, 6] };
const SECOND = { ...FIRST, P1: [64, 64, 64, 64] };

function setup() {
  const gw = new MemoryGateway().addSheet("Data", [["x"]]).select("Data", "A1");
  let t = Date.parse("2024-01-29T10:00:00.000Z");
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)) });
  return { gw, session };
}

async function importAndClassify(session: PaneSession, qty: Record<string, (number | null)[]>) {
  await session.step("import").openFile(csvFile(extract(qty)));
  expect(session.getState().common.error).toBeNull();
  await session.step("import").bucket();
  expect(session.getState().common.error).toBeNull();
  expect(session.getState().steps.import.bucketed!.labels).toEqual(["2024-W01", "2024-W02", "2024-W03", "2024-W04"]);
  await session.step("classify").classify();
  expect(session.getState().common.error).toBeNull();
  return session.getState().steps.classify;
}

async function write(session: PaneSession) {
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
}

function rowsOf(gw: MemoryGateway, name: string): Record<string, Record<string, unknown>> {
  const t = gw.table(name)!;
  return Object.fromEntries(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.headers.map((h, i) => [h, r[i]]))]));
}

const rule = (patch: Partial<RuleRow>): RuleRow => ({ ...emptyRuleRow(), ...patch });
const at = (c: { run: { parsed: { sku: string[] }; result: { segment: string[]; abc: string[] } } | null }, sku: string) => {
  const i = c.run!.parsed.sku.indexOf(sku);
  return { segment: c.run!.result.segment[i], abc: c.run!.result.abc[i] };
};

describe("an imported extract under churn control and rules", () => {
  it("holds P2 in A inside a 2-point band against the last written Segments sheet and reports the churn", async () => {
    const { gw, session } = setup();
    let c = await importAndClassify(session, FIRST);
    expect(at(c, "P2")).toEqual({ segment: "AX", abc: "A" });
    await write(session);
    expect(rowsOf(gw, SEGMENTS_TABLE).P2).toMatchObject({ ABC: "A", "ABC runs": 1, "Why this segment": "computed" });

    // second extract, no band: P2's cumulative share 94/117 = 0.803 > 0.8, B
    c = await importAndClassify(session, SECOND);
    expect([...c.run!.parsed.value].map((v) => v / 52)).toEqual([64, 30, 20, 3]);
    expect(at(c, "P2").abc).toBe("B");
    expect(c.churn.report!.plain).toEqual({ compared: 4, changed: 1, churn: 0.25 });

    // the band holds it
    session.step("classify").setChurn({ bands: { abc: 0.02, xyz: 0 } });
    await session.step("classify").classify();
    c = session.getState().steps.classify;
    expect(session.getState().common.error).toBeNull();
    expect(at(c, "P2")).toEqual({ segment: "AX", abc: "A" });
    expect(c.churn.report!.controlled).toEqual({ compared: 4, changed: 0, churn: 0 });
    expect(c.churn.report!.heldByBand).toBe(1);
    expect(c.churn.modelId).toMatch(/^m[0-9a-f]{8}-d[0-9a-f]{8}$/);
    await write(session);
    const p2 = rowsOf(gw, SEGMENTS_TABLE).P2;
    expect(p2).toMatchObject({ ABC: "A", "Previous class": "AX", "ABC runs": 2, "Churn control": "ABC held in A by the band (computed B)" });
  });

  it("a minimum tenure of 3 runs holds the class too", async () => {
    const { session } = setup();
    await importAndClassify(session, FIRST);
    await write(session);
    session.step("classify").setChurn({ minTenure: 3 });
    const c = await importAndClassify(session, SECOND);
    expect(at(c, "P2").abc).toBe("A");
    expect(c.churn.report!.heldByTenure).toBe(1);
  });

  it("classifies on the rolling window up to the as-of period of the bucketed weeks", async () => {
    const { session } = setup();
    session.step("classify").setChurn({ window: { enabled: true, length: 2, asOf: "2024-W03" } });
    const c = await importAndClassify(session, FIRST);
    expect(c.churn.windowText).toBe("2024-W02 to 2024-W03 (2 periods)");
    expect(c.run!.parsed.periods).toBe(3);
    // P3's W02, W03 = 30, 10: mean 20, population sd 10, CV 0.5 (X, on the cut-off); P4's 0, 6: CV 1 (Y)
    const i = c.run!.parsed.sku.indexOf("P4");
    expect(c.run!.result.cv[i]).toBeCloseTo(1, 12);
    expect(c.run!.result.xyz[i]).toBe("Y");
  });

  it("applies business rules on SKU, Location and History periods, names the rule on the Segments sheet and hands the service level to the Policy step", async () => {
    const { gw, session } = setup();
    const rules = session.step("rules");
    await rules.add(rule({ name: "Launch", field: "History periods", op: "<", value: "3", target: "segment", outcome: "NEW" }));
    await rules.add(rule({ field: "SKU", op: "=", value: "P3", target: "serviceLevel", outcome: "99" }));
    await rules.add(rule({ field: "Location", op: "=", value: "DC9", target: "segment", outcome: "NEVER" }));
    const c = await importAndClassify(session, FIRST);
    expect(session.getState().steps.rules.problems).toEqual([]);
    expect(at(c, "P4").segment).toBe("NEW"); // demand from W03: 2 periods
    expect(at(c, "P1").segment).toBe("AX");
    expect(c.churn.ruleDecided).toBe(1);
    expect(c.run!.ruleDecisions!.serviceLevel[c.run!.parsed.sku.indexOf("P3")]).toBe(0.99);
    await write(session);
    const seg = rowsOf(gw, SEGMENTS_TABLE);
    expect(seg.P4).toMatchObject({ Segment: "NEW", Rule: 'rule 1 "Launch"' });
    expect(String(seg.P3["Why this segment"])).toBe("segment computed; rule 2: SKU = \"P3\" → service level 99%");

    // a field the extract does not have: named with the rule, nothing classified
    await rules.update(2, { field: "Colour" });
    expect(session.getState().steps.rules.problems[0]).toMatch(/^rule 3: field "Colour" is not a mapped column \(mapped: SKU, Location, Family, Category, History periods\)/);
    await session.step("classify").classify();
    expect(session.getState().common.error).toMatch(/^Rules: rule 3: field "Colour"/);
  });
});
