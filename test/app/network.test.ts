/**
 * The Network step through a PaneSession over the in-memory gateway (engine job in-line): a
 * Network sheet read with per-cell errors, solved as a tree or a serial line, the Network policy
 * sheet and its chart, z from segments, and bad networks stopped with one message naming the stage
 * and nothing written.
 *
 * Reference values: stockpyl's published tests as test/fixtures/gen_gsm.py wrote them into
 * test/fixtures/gsm_reference.json: Snyder & Shen Example 6.5 (tests/test_gsm_tree.py
 * test_example_6_5; cost 2√2 + √6 + 3, S = {1: 0, 2: 0, 3: 0, 4: 1}) and Example 6.3
 * (tests/test_gsm_serial.py; cost 2√2, S = {1: 1, 2: 0, 3: 0}).
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { NETWORK_CHART, NETWORK_CHART_TABLE, NETWORK_POLICY_HEADERS, NETWORK_POLICY_SHEET, NETWORK_POLICY_TABLE } from "../../src/app/networkSheet";
import type { CellValue } from "../../src/app/ports";
import { PaneSession } from "../../src/app/session";
import { verifyChain } from "../../src/engine/audit";
import { normalCdf } from "../../src/engine/stats";
import { zValue } from "../../src/engine/inventory";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import ref from "../fixtures/gsm_reference.json";

const HEAD: CellValue[] = ["Stage", "Downstream stage", "Processing time", "Holding cost", "Demand mean", "Demand sd", "Inbound service time", "Max outbound service time", "Service level"];
/** z = 1 as a service level: Φ(1). */
const PHI1 = normalCdf(1);

interface FixtureStage {
  stage: string;
  downstream: string[];
  processingTime: number;
  holdingCost: number;
  demandMean: number | null;
  demandSd: number | null;
  supplierServiceTime: number | null;
  maxServiceTime: number | null;
}

/** A published case as a Network sheet (customers shown as "customer"). */
function sheetOf(name: string): CellValue[][] {
  const c = ref.published.find((p) => p.name === name)!;
  const rows = (c.stages as unknown as FixtureStage[]).map((s): CellValue[] => [
    s.stage,
    s.downstream.length ? s.downstream.join(", ") : "customer",
    s.processingTime,
    s.holdingCost,
    s.demandMean,
    s.demandSd,
    s.supplierServiceTime,
    s.maxServiceTime,
    s.demandMean === null ? null : PHI1,
  ]);
  return [HEAD, ...rows];
}

function setup(rows: CellValue[][]) {
  const gw = new MemoryGateway().addSheet("Network", rows).select("Network", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

const net = (s: PaneSession) => s.getState().steps.network;
const err = (s: PaneSession) => s.getState().common.error;

function policyRows(gw: MemoryGateway): Record<string, unknown>[] {
  const t = gw.table(NETWORK_POLICY_TABLE)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

describe("network: stockpyl's published examples through the pane", () => {
  it("Snyder & Shen Example 6.5 as a tree: the published service times and cost, the Network policy sheet, its chart and audit entry", async () => {
    const c = ref.published.find((p) => p.name === "example_6_5")!;
    const { gw, session } = setup(sheetOf("example_6_5"));
    await session.step("network").readSource("region");
    expect(net(session).source?.address).toBe("Network!A1:I5");
    expect(net(session).problems).toEqual([]);
    await session.step("network").solve();
    expect(err(session)).toBeNull();
    const r = net(session).solution!.result;
    expect(Object.fromEntries(r.stage.map((s, j) => [s, r.serviceTime[j]]))).toEqual(c.serviceTime);
    expect(Math.abs(r.totalHoldingCostPerPeriod - c.cost) / c.cost).toBeLessThan(1e-9);
    expect(gw.calls.filter((x) => x.startsWith("writeSheets"))).toEqual([]); // solving writes nothing

    await session.step("network").write();
    expect(err(session)).toBeNull();
    const rows = policyRows(gw);
    expect(gw.table(NETWORK_POLICY_TABLE)!.headers).toEqual([...NETWORK_POLICY_HEADERS]);
    expect(rows.map((x) => [x.Stage, x["Downstream stage"], x["Committed service time"]])).toEqual([
      ["1", "3", 0],
      ["2", "customer", 0],
      ["3", "2, 4", 0],
      ["4", "customer", 1],
    ]);
    // stage 1: net demand sd √2 over NLT 1 + 2 − 0 = 3: √2·√3; stage 3: √2 over 1; stage 2: 1 over 1; stage 4: none
    const ss = Object.fromEntries(rows.map((x) => [x.Stage, x["Safety stock"] as number]));
    expect(ss["1"]).toBeCloseTo(Math.sqrt(6), 9);
    expect(ss["3"]).toBeCloseTo(Math.SQRT2, 9);
    expect(ss["2"]).toBeCloseTo(1, 9);
    expect(ss["4"]).toBeCloseTo(0, 12);
    expect(rows.map((x) => x["Net lead time"])).toEqual([3, 1, 1, 0]);
    expect(rows[1].z).toBeCloseTo(1, 12);
    expect(rows[1]["Service level"]).toBe(PHI1);
    const chart = gw.state.charts.get(NETWORK_CHART)!;
    expect(chart).toMatchObject({ sheetName: NETWORK_POLICY_SHEET, chartType: "BarClustered", sourceTable: NETWORK_CHART_TABLE, categoryHeader: "Stage" });
    expect(gw.table(NETWORK_CHART_TABLE)!.rows.map((x) => x[0])).toEqual(["1", "2", "3", "4"]);
    const entry = gw.auditRows.at(-1)!;
    expect(entry).toMatchObject({ action: "network-policy-written", field: "network" });
    expect(entry.newValue).toBe(`4 stages, safety-stock holding cost ${Math.round(c.cost * 100) / 100} per period`);
    expect(entry.reason).toBe("solved as a tree from Network!A1:I5; z from service level 84.1345 % (Network sheet)");
    expect((await verifyChain(gw.auditRows)).ok).toBe(true);
    expect(session.getState().common.notice).toMatch(/^Wrote the Network policy sheet: 4 stages; safety stock at 3 of them/);
  });

  it("Example 6.3 as a serial line (and as a tree: the same plan)", async () => {
    const c = ref.published.find((p) => p.name === "example_6_3")!;
    for (const model of ["serial", "tree"] as const) {
      const { session } = setup(sheetOf("example_6_3"));
      session.step("network").setModel(model);
      await session.step("network").readSource("region");
      await session.step("network").solve();
      expect(err(session)).toBeNull();
      const r = net(session).solution!.result;
      expect(Object.fromEntries(r.stage.map((s, j) => [s, r.serviceTime[j]]))).toEqual(c.serviceTime);
      expect(r.totalHoldingCostPerPeriod).toBeCloseTo(2 * Math.SQRT2, 12);
    }
  });
});

describe("network: z from segments", () => {
  it("a customer stage's z: its Service level, else its Segment's level in the policy grid, else the pane's default", async () => {
    const rows: CellValue[][] = [
      ["Stage", "Downstream", "Processing time", "Holding cost", "Demand mean", "Demand sd", "Segment", "Service level"],
      ["DC", "North; South; East", 2, 1, null, null, null, null],
      ["North", "", 1, 2, 10, 3, "ax", null],
      ["South", "customer", 1, 2, 20, 4, "CZ", 0.9],
      ["East", null, 1, 2, 5, 1, null, null],
    ];
    const { gw, session } = setup(rows);
    session.step("policy").setGridCell("AX", "serviceLevel", 0.99);
    session.step("network").setDefaultServiceLevel(0.8);
    await session.step("network").readSource("region");
    await session.step("network").write();
    expect(err(session)).toBeNull();
    const z = Object.fromEntries(policyRows(gw).map((x) => [x.Stage, x.z as number]));
    expect(z.North).toBeCloseTo(zValue(0.99) as number, 12);
    expect(z.South).toBeCloseTo(zValue(0.9) as number, 12);
    expect(z.East).toBeCloseTo(zValue(0.8) as number, 12);
    expect(z.DC).toBeCloseTo(zValue(0.99) as number, 12); // the largest z it serves
    expect(gw.auditRows.at(-1)!.reason).toBe("solved as a tree from Network!A1:H5; z from segment AX: 99 %, service level 90 % (Network sheet), default 80 % (pane)");
  });
});

describe("network: bad input is stopped before anything is written", () => {
  async function refused(rows: CellValue[][], model: "tree" | "serial" = "tree") {
    const { gw, session } = setup(rows);
    session.step("network").setModel(model);
    await session.step("network").readSource("region");
    await session.step("network").write();
    expect(gw.calls.filter((x) => x.startsWith("writeSheets"))).toEqual([]);
    expect(gw.sheet(NETWORK_POLICY_SHEET)).toBeUndefined();
    expect(gw.auditRows).toEqual([]);
    return { session, message: err(session) };
  }
  const row = (stage: string, down: string, T: CellValue = 1, h: CellValue = 1, mean: CellValue = null, sd: CellValue = null): CellValue[] => [stage, down, T, h, mean, sd];
  const head = HEAD.slice(0, 6);

  it("a cycle names its stages", async () => {
    const { message } = await refused([head, row("A", "B"), row("B", "C"), row("C", "A, D"), row("D", "customer", 1, 1, 10, 2)]);
    expect(message).toBe('The network cannot be solved: stages "A" → "B" → "C" → "A" form a cycle; a stage cannot be (indirectly) its own supplier. Nothing was written.');
  });

  it("two downstream stages in the serial model", async () => {
    const { message } = await refused([head, row("DC", "S1, S2"), row("S1", "", 1, 1, 5, 1), row("S2", "", 1, 1, 5, 1)], "serial");
    expect(message).toBe('The network cannot be solved: stage "DC": has 2 downstream stages ("S1", "S2"); the serial model needs a chain, use the tree model. Nothing was written.');
  });

  it("flows that split and meet again are not a tree", async () => {
    const { message } = await refused([head, row("Plant", "DC1, DC2"), row("DC1", "Store"), row("DC2", "Store"), row("Store", "", 1, 1, 10, 2)]);
    expect(message).toMatch(/^The network cannot be solved: stage "Plant" supplies "DC1" and "DC2", whose flows meet again at stage "Store"/);
  });

  it("a stage without demand downstream", async () => {
    const { message } = await refused([head, row("Plant", "DC"), row("DC", "customer")]);
    expect(message).toBe(
      'The network cannot be solved: stage "DC": has no downstream stage and no customer demand: give its demandMean and demandSd (0 for none), or link it to the stage it supplies. Nothing was written.',
    );
  });

  it("negative times and costs, text, half-given demand: every bad cell listed with its address and stage", async () => {
    const { session, message } = await refused([head, row("A", "B", -1), row("B", "C", 1, -3), row("C", "", 2.5, 1, 10, 2), row("D", "", 1, "cheap", 10, null), row("", "", 1, 1)]);
    expect(net(session).problems).toEqual([
      'Network!C2 (stage "A"): processing time must be 0 or more periods, got -1',
      'Network!D3 (stage "B"): holding cost must be 0 or more, got -3',
      'Network!C4 (stage "C"): processing time must be a whole number of periods, got 2.5 (express the times in a shorter period, e.g. days)',
      'Network!D5 (stage "D"): holding cost must be a number: text "cheap" is not a number',
      "Network!A6: the stage id is blank (row 6 of the Network table)",
    ]);
    expect(message).toBe('Fix the Network sheet first: Network!C2 (stage "A"): processing time must be 0 or more periods, got -1 (and 4 more, listed below). Nothing was written.');
  });

  it("an unknown segment, a service level given as a percentage number, a missing column", async () => {
    const rows: CellValue[][] = [
      ["Stage", "Downstream", "Processing time", "Holding cost", "Demand mean", "Demand sd", "Segment", "Service level"],
      ["A", "", 1, 1, 10, 2, "QQ", null],
      ["B", "", 1, 1, 10, 2, null, 95],
    ];
    const { session } = await refused(rows);
    expect(net(session).problems).toEqual([
      'Network!G2 (stage "A"): segment "QQ" is not a segment of the policy grid (AX … CZ)',
      'Network!H3 (stage "B"): service level must be a share between 0 and 1 (95 % is 0.95), got 95',
    ]);
    const missing = setup([["Stage", "Processing time", "Holding cost"], ["A", 1, 1]]);
    await missing.session.step("network").readSource("region");
    expect(err(missing.session)).toBe('The Network table needs the column "Downstream stage": add it next to the others (headers found in row 1).');
    expect(net(missing.session).source).toBeNull();
    await missing.session.step("network").write();
    expect(err(missing.session)).toMatch(/^Read the Network table first/);
    expect(missing.gw.auditRows).toEqual([]);
  });

  it("a default service level out of range is reported at its field", async () => {
    const { session } = setup(sheetOf("example_6_5"));
    await session.step("network").readSource("region");
    session.step("network").setDefaultServiceLevel(1.2);
    await session.step("network").solve();
    expect(session.getState().common.errorField).toBe("defaultServiceLevel");
    expect(err(session)).toBe("The default service level must be above 0 % and below 100 % (e.g. 95 %), got 120 %.");
  });

  it("a failed write leaves the workbook as it was", async () => {
    const { gw, session } = setup(sheetOf("example_6_5"));
    await session.step("network").readSource("region");
    gw.failAuditAppend = true;
    await session.step("network").write();
    expect(err(session)).toBe("simulated failure while appending the audit rows");
    expect(gw.sheet(NETWORK_POLICY_SHEET)).toBeUndefined();
    expect(gw.auditRows).toEqual([]);
    expect(net(session).written).toBe(false);
  });
});

describe("network: a larger tree", () => {
  it("60+ stages: the chart shows the 60 with the most safety stock, the table every stage", async () => {
    const rows: CellValue[][] = [HEAD.slice(0, 6)];
    rows.push(["Plant", "", 3, 0.5, null, null]);
    const stores: string[] = [];
    for (let k = 0; k < 70; k++) {
      stores.push(`Store ${k}`);
      rows.push([`Store ${k}`, "customer", 1 + (k % 3), 2, 10 + k, 1 + (k % 5), 0]);
    }
    rows[1][1] = stores.join(", ");
    const { gw, session } = setup(rows.map((r) => r.slice(0, 6)));
    await session.step("network").readSource("region");
    await session.step("network").write();
    expect(err(session)).toBeNull();
    expect(gw.table(NETWORK_POLICY_TABLE)!.rows).toHaveLength(71);
    const charted = gw.table(NETWORK_CHART_TABLE)!.rows;
    expect(charted).toHaveLength(60);
    const ss = policyRows(gw).map((x) => x["Safety stock"] as number).sort((a, b) => b - a);
    expect(Math.min(...charted.map((x) => x[1] as number))).toBeCloseTo(ss[59], 12);
    expect(gw.state.charts.get(NETWORK_CHART)!.title).toBe("Safety stock by stage (the 60 largest of 71)");
  });
});
