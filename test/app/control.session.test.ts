/**
 * Change control and data quality in a PaneSession over the in-memory workbook (sample data of
 * sampleData.ts). Data quality, by hand: 13 rows read, 3 rejected (a duplicate S01, text in C13,
 * a blank id): 23.1 % > 5 %; 4 periods of history < 12; 1 duplicate SKU > 0: the run is suspended.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import type { PaneSession } from "../../src/app/session";
import { SETTINGS, SEGMENTS_TABLE } from "../../src/app/sheets";
import { CONTROL_SETTINGS } from "../../src/app/steps/control";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";
import { sampleSheet } from "./sampleData";

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({ gateway: gw, runner: createInlineRunner(), now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  return { gw, session };
}

async function classify(session: PaneSession) {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  expect(session.getState().common.error).toBeNull();
}

describe("Data quality", () => {
  it("suspends a Write with the report and the stewards; going ahead needs a reason, audited", async () => {
    const { gw, session } = setup();
    await session.step("control").setDataQuality({ enabled: true });
    await session.step("control").setStewards([{ field: "value", owner: "Controlling" }]);
    await classify(session);
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^Data quality suspended this run: 23\.1 % of the rows were rejected \(3 of 13\); the limit is 5\.0 % \(and 2 more rule\(s\)\)/);
    expect(gw.table(SEGMENTS_TABLE)).toBeUndefined();
    const r = session.getState().steps.control.report!;
    expect(r.verdict).toBe("suspend");
    expect(r.rules.filter((x) => x.pass === false).map((x) => x.rule)).toEqual(["rejectedShare", "historyLength", "duplicateSkus"]);
    const rejected = r.rules.find((x) => x.rule === "rejectedShare")!;
    expect(rejected.owners).toEqual([
      { field: "sku", owner: "(no owner)" },
      { field: "value", owner: "Controlling" },
    ]);
    await session.step("control").proceedAnyway("ok");
    expect(session.getState().common.errorField).toBe("forceReason");
    await session.step("control").proceedAnyway("pilot extract, short history expected");
    const forced = gw.auditRows.filter((x) => x.action === "data-quality-overridden");
    expect(forced).toHaveLength(1);
    expect(forced[0]).toMatchObject({ field: "rejectedShare, historyLength, duplicateSkus", reason: "pilot extract, short history expected" });
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.table(SEGMENTS_TABLE)!.rows).toHaveLength(10);
    expect(session.getState().steps.write.lastWrite!.summary).toContain("Written despite the data-quality suspension: pilot extract, short history expected");
    const runs = gw.settings.get<{ suspended: boolean; forcedThrough: boolean }[]>(CONTROL_SETTINGS.runs)!;
    expect(runs.map((x) => [x.suspended, x.forcedThrough])).toEqual([
      [true, false],
      [true, true],
    ]);
  });

  it("does nothing while switched off (the default)", async () => {
    const { gw, session } = setup();
    await classify(session);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.table(SEGMENTS_TABLE)!.rows).toHaveLength(10);
  });
});

describe("Change requests", () => {
  it("with approval on, a grid change needs a recorded request (before the write) and another person's approval", async () => {
    const { gw, session } = setup();
    await session.step("control").setMode("approval");
    await classify(session);
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull(); // first Write: nothing to compare with
    session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^This Write changes policy grid CZ: changed: record a change request/);
    await session.step("control").requestChange("short");
    expect(session.getState().common.errorField).toBe("changeReason");
    await session.step("control").requestChange("CZ parts are critical spares now");
    const req = gw.auditRows.filter((x) => x.action === "change-requested");
    expect(req).toHaveLength(1);
    expect(req[0].reason).toBe("CZ parts are critical spares now (policy grid CZ: changed)");
    expect(session.getState().steps.control.request!.status).toBe("pending");
    const writesBefore = gw.auditRows.filter((x) => x.action === "classify-run").length;
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^Waiting for approval of the change request by \(name not set\)/);
    await session.step("control").approveChange("fine");
    expect(session.getState().common.error).toMatch(/another person must approve it/);
    await gw.settings.set(SETTINGS.userName, "Dana Controller");
    await session.step("control").approveChange("agreed in the S&OP review");
    expect(gw.auditRows.filter((x) => x.action === "change-approved")[0]).toMatchObject({ user: "Dana Controller", oldValue: req[0].entryId, reason: "agreed in the S&OP review" });
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.auditRows.filter((x) => x.action === "classify-run").length).toBe(writesBefore + 1);
    expect(session.getState().steps.control.request).toBeNull();
    // the change request entry is before the Write's entries in the chain
    const actions = gw.auditRows.map((x) => x.action);
    expect(actions.indexOf("change-requested")).toBeLessThan(actions.lastIndexOf("classify-run"));
  });

  it("without a server, a controller rejects in the pane (another person, a comment): change-rejected, the Write stays stopped until a new request", async () => {
    const { gw, session } = setup();
    await session.step("control").setMode("approval");
    await classify(session);
    await session.step("write").write();
    session.step("policy").setGridCell("CZ", "serviceLevel", 0.8);
    await session.step("control").requestChange("CZ parts are critical spares now");
    await session.step("control").rejectChange("no");
    expect(session.getState().common.error).toMatch(/another person must reject it/);
    await gw.settings.set(SETTINGS.userName, "Dana Controller");
    await session.step("control").rejectChange(" ");
    expect(session.getState().common.errorField).toBe("rejectionComment");
    await session.step("control").rejectChange("CZ stays at 90 % until the review");
    expect(session.getState().common.noticeIntent).toBe("warning");
    const rej = gw.auditRows.filter((x) => x.action === "change-rejected");
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ user: "Dana Controller", oldValue: gw.auditRows.find((x) => x.action === "change-requested")!.entryId, reason: "CZ stays at 90 % until the review" });
    const writes = gw.auditRows.filter((x) => x.action === "classify-run").length;
    await session.step("write").write();
    expect(session.getState().common.error).toBe("The change request by (name not set) (policy grid CZ: changed) was rejected by Dana Controller at " + rej[0].timestamp.slice(0, 16).replace("T", " ") + " UTC: CZ stays at 90 % until the review. Nothing was written: change the parameters back, or record a new request.");
    expect(gw.auditRows.filter((x) => x.action === "classify-run").length).toBe(writes);
    // a new request waits for its own approval
    await session.step("control").requestChange("CZ critical spares, as agreed with the plant");
    expect(session.getState().steps.control.request!.status).toBe("pending");
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^Waiting for approval of the change request/);
  });

  it("with reason only, a recorded request lets the Write go ahead", async () => {
    const { gw, session } = setup();
    await session.step("control").setMode("reason");
    await classify(session);
    await session.step("write").write();
    session.step("classify").setOptions({ sdType: "sample" });
    await session.step("classify").classify();
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/^This Write changes rule sdType: population → sample/);
    await session.step("control").requestChange("sample sd as the auditors asked");
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    expect(gw.auditRows.filter((x) => x.action === "change-requested")).toHaveLength(1);
  });
});
