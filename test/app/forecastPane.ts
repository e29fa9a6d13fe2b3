/** A pane over the forecast test sheet (forecastData.ts) and the calls the forecast tests share. */
import { createInlineRunner } from "../../src/app/engineRunner";
import { PaneSession } from "../../src/app/session";
import { createPane } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { forecastSheet } from "./forecastData";

export function setup(gw = new MemoryGateway().addSheet("Data", forecastSheet()).select("Data", "A1")) {
  let t = Date.parse("2026-11-25T10:00:00.000Z");
  let id = 0;
  const session = createPane({
    gateway: gw,
    runner: createInlineRunner(),
    now: () => new Date((t += 1000)),
    uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, "0")}`,
  });
  return { gw, session };
}

export async function classify(session: PaneSession) {
  await session.step("classify").readSource("region");
  await session.step("classify").classify();
  expect(session.getState().common.error).toBeNull();
}

export async function forecast(session: PaneSession) {
  await session.step("forecast").run();
  expect(session.getState().common.error).toBeNull();
}

export async function write(session: PaneSession) {
  await session.step("write").write();
  expect(session.getState().common.error).toBeNull();
}

export function tableRows(gw: MemoryGateway, name: string): Record<string, unknown>[] {
  const t = gw.table(name)!;
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i]])));
}

export function bySku(gw: MemoryGateway, name: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(tableRows(gw, name).map((r) => [String(r.SKU), r]));
}

