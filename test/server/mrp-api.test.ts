/* Issue 12, "and CSV via the API": the pane's MRP export (SAP field names chosen in the pane, an MRP
   type per segment) published with the snapshot and served as CSV equal to the MRP export sheet;
   SQLite and PostgreSQL, roles, 401/403, 404 for a version without an MRP export. */
import { randomUUID } from "node:crypto";
import { createInlineRunner } from "../../src/app/engineRunner";
import { snapshotOfWrite } from "../../src/app/publishService";
import type { PublishStatus, SnapshotPublisher, WrittenRun } from "../../src/app/publishing";
import { MRP_EXPORT_TABLE } from "../../src/app/sheets";
import { DEFAULT_MRP_HEADERS, SAP_MRP_HEADERS, toCsv } from "../../src/engine/policy/mrpExport";
import { MemoryGateway } from "../helpers/memoryGateway";
import { createPane } from "../helpers/pane";
import { sampleSheet } from "../app/sampleData";
import { describeBackends } from "./helpers/backends";
import { startHarness, type Harness } from "./helpers/harness";

class CapturingPublisher implements SnapshotPublisher {
  runs: WrittenRun[] = [];
  async publishWrite(w: WrittenRun): Promise<PublishStatus> {
    this.runs.push(w);
    return { kind: "idle" };
  }
  status(): PublishStatus {
    return { kind: "idle" };
  }
  subscribe(): () => void {
    return () => undefined;
  }
}

/** Writes the sample sheet with the SAP preset and AX → "VB"; returns the sheet and the snapshot the pane publishes. */
async function paneWrite() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  let t = Date.parse("2026-12-02T10:00:00.000Z");
  let id = 0;
  const publisher = new CapturingPublisher();
  const session = createPane({ gateway: gw, runner: createInlineRunner(), publisher, now: () => new Date((t += 1000)), uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}` });
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  await session.step("policy").useMrpPreset("sap");
  await session.step("policy").setMrpType("AX", "VB");
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
  return { sheet: gw.table(MRP_EXPORT_TABLE)!, snapshot: snapshotOfWrite(publisher.runs.at(-1)!) };
}

describeBackends("MRP export CSV", (backend) => {
  let h: Harness;
  let pane: Awaited<ReturnType<typeof paneWrite>>;
  const wb = randomUUID();
  const base = `/api/v1/workbooks/${wb}/snapshots`;

  beforeAll(async () => {
    h = await startHarness(backend);
    pane = await paneWrite();
    expect((await h.call("POST", base, h.tokens.planner, pane.snapshot)).status).toBe(201);
    expect((await h.call("POST", base, h.tokens.planner, { modelVersion: "no-mrp", parameters: {}, items: [{ sku: "S01", safetyStock: 1 }] })).status).toBe(201);
  });
  afterAll(async () => h?.close());

  test("the CSV is the MRP export sheet: the pane's field names, values and MRP types", async () => {
    const mv = pane.snapshot.modelVersion;
    const r = await h.call("GET", `${base}/${encodeURIComponent(mv)}/mrp.csv`, h.tokens.controller);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(r.headers["content-disposition"]).toMatch(/^attachment; filename="mrp-[A-Za-z0-9._+-]+\.csv"$/);
    expect(pane.sheet.headers[0]).toBe(SAP_MRP_HEADERS.sku);
    const expected = toCsv({ headers: pane.sheet.headers, rows: pane.sheet.rows.map((row) => row.map((v) => (v === null ? "" : (v as string | number)))) });
    expect(r.text).toBe(expected);
    expect(r.text).toContain(",VB");
    expect(r.headers["x-seg-skipped"]).toBe(String(pane.snapshot.items.length - pane.sheet.rows.length));
  });

  test("names=default: the add-in's own column names, same values", async () => {
    const r = await h.call("GET", `${base}/latest/mrp.csv?names=default`, h.tokens.planner);
    expect(r.status).toBe(404); // latest is the version without an MRP export
    const mv = encodeURIComponent(pane.snapshot.modelVersion);
    const d = await h.call("GET", `${base}/${mv}/mrp.csv?names=default`, h.tokens.planner);
    expect(d.status).toBe(200);
    const [head, ...rest] = d.text.split("\r\n");
    expect(head.startsWith(`${DEFAULT_MRP_HEADERS.sku},${DEFAULT_MRP_HEADERS.location},`)).toBe(true);
    const sap = (await h.call("GET", `${base}/${mv}/mrp.csv`, h.tokens.planner)).text.split("\r\n").slice(1);
    expect(rest).toEqual(sap);
  });

  test("roles: 401 without a token, 404 for another planner (its workbook reads as missing), 400 for an unknown names value", async () => {
    const url = `${base}/${encodeURIComponent(pane.snapshot.modelVersion)}/mrp.csv`;
    expect((await h.call("GET", url)).status).toBe(401);
    expect((await h.call("GET", url, h.tokens.revoked)).status).toBe(401);
    const other = await h.call("GET", url, h.tokens.planner2);
    expect(other.status).toBe(404);
    expect(other.text).not.toContain("MATNR");
    expect((await h.call("GET", url, h.tokens.admin)).status).toBe(200);
    const bad = await h.call("GET", `${url}?names=sap`, h.tokens.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("querystring.names");
  });
});
