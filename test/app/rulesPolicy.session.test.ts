/**
 * Issue 11: a business rule's service level and policy in the Policy step, through a PaneSession
 * on the in-memory workbook. Precedence: a planner's override > a rule > the segment's grid row;
 * the Policy sheet's last column "Decided by" names which. Reference safety stocks by hand with
 * scipy (python3 -c "from scipy.stats import norm; print(norm.ppf(0.995)*8*2**0.5)"): S02 has
 * mean 10, population sd 8, lead time 2 and review period 0 (segment AY, method csl, normal), so
 * k·σ = norm.ppf(0.995)·8·√2 = 29.1422 at 99.5 % and norm.ppf(0.97)·8·√2 = 21.2788 at the grid's
 * 97 %, rounded up to whole units on the sheet.
 */
import { createInlineRunner } from "../../src/app/engineRunner";
import { emptyRuleRow, type RuleRow } from "../../src/app/rulesApply";
import { SEGMENTS_TABLE, SKU_POLICY_HEADERS, SKU_POLICY_TABLE } from "../../src/app/sheets";
import { createPane, classifyAndWrite } from "../helpers/pane";
import { MemoryGateway } from "../helpers/memoryGateway";
import { sampleSheet } from "./sampleData";

const SS_995 = 29.142181883495194;
const SS_97 = 21.278750629377022;

function setup() {
  const gw = new MemoryGateway().addSheet("Data", sampleSheet()).select("Data", "A1");
  const session = createPane({ gateway: gw, runner: createInlineRunner() });
  return { gw, session };
}


function policyRows(gw: MemoryGateway): Record<string, Record<string, unknown>> {
  const t = gw.table(SKU_POLICY_TABLE)!;
  return Object.fromEntries(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.headers.map((h, i) => [h, r[i]]))]));
}

const rule = (patch: Partial<RuleRow>): RuleRow => ({ ...emptyRuleRow(), ...patch });

describe("rules in the Policy step", () => {
  it("plans with the rule's service level and policy, names what decided each SKU in the last column, and an override beats a rule", async () => {
    const { gw, session } = setup();
    const rules = session.step("rules");
    await rules.add(rule({ name: "Belts", field: "Description", op: "=", value: "belt", target: "serviceLevel", outcome: "99.5" }));
    await rules.add(rule({ field: "Description", op: "=", value: "bolt", target: "policy", outcome: "fill" }));
    await rules.add(rule({ name: "Cables", field: "Description", op: "=", value: "cable", target: "policy", outcome: "ax" }));
    await rules.add(rule({ field: "Description", op: "=", value: "bearing", target: "serviceLevel", outcome: "60" }));
    await classifyAndWrite(session);

    const t = gw.table(SKU_POLICY_TABLE)!;
    expect(t.headers[t.headers.length - 1]).toBe("Decided by");
    expect(t.headers).toEqual([...SKU_POLICY_HEADERS]);
    let p = policyRows(gw);
    // S02 (AY): rule 1's 99.5 % instead of the grid's 97 %
    expect(p.S02).toMatchObject({ Segment: "AY", "Service level": 0.995, Method: "csl", "Safety stock": Math.ceil(SS_995), "Reorder point": Math.ceil(20 + SS_995), "Decided by": 'rule 1 "Belts"' });
    // S03 (BX, grid csl): rule 2's method fill, the BX row's 96 % kept
    expect(p.S03).toMatchObject({ Segment: "BX", Method: "fill", "Service level": 0.96, "Decided by": "rule 2" });
    // S04 (BZ, grid fill 92 %, review 1): planned with the AX row (csl 98 %, review 0), still in segment BZ
    expect(p.S04).toMatchObject({ Segment: "BZ", Method: "csl", "Service level": 0.98, "Review period": 0, "Decided by": 'rule 3 "Cables"' });
    expect(p.S01).toMatchObject({ "Service level": 0.6, "Decided by": "rule 4" });
    // no rule: the grid; the inactive S07: nothing decided
    expect(p.S05).toMatchObject({ Segment: "CX", "Service level": 0.93, "Decided by": "grid" });
    expect(p.S07["Decided by"]).toBe("");

    // an override of S01 and S02 to BX: the override's grid row, not rule 1's or rule 4's service level
    gw.selectTableRows(SEGMENTS_TABLE, 0, 1);
    await session.step("overrides").loadSelection();
    await session.step("overrides").setOverride("BX", "planner's call");
    expect(session.getState().common.error).toBeNull();
    await session.step("write").write();
    expect(session.getState().common.error).toBeNull();
    p = policyRows(gw);
    expect(p.S02).toMatchObject({ Segment: "BX", "Service level": 0.96, "Decided by": "override" });
    expect(p.S01).toMatchObject({ Segment: "BX", "Service level": 0.96, "Decided by": "override" });
    expect(p.S03["Decided by"]).toBe("rule 2");
  });

  it("without rules every planned SKU is decided by the grid, with the grid's safety stock", async () => {
    const { gw, session } = setup();
    await classifyAndWrite(session);
    const p = policyRows(gw);
    expect(p.S02).toMatchObject({ "Service level": 0.97, "Safety stock": Math.ceil(SS_97), "Decided by": "grid" });
    expect(Object.values(p).filter((r) => r["Decided by"] === "grid")).toHaveLength(9);
  });

  it("a policy the grid cannot plan with is a problem naming the rule, and nothing is written", async () => {
    const { gw, session } = setup();
    const rules = session.step("rules");
    await rules.add(rule({ name: "Run down", field: "Description", op: "=", value: "belt", target: "policy", outcome: "fill" }));
    await session.step("classify").readSource("region");
    await session.step("classify").classify();
    expect(session.getState().common.error).toBeNull();
    await rules.update(0, { outcome: "run down" });
    expect(session.getState().steps.rules.problems[0]).toMatch(/^rule 1 "Run down": policy "run down" is neither a segment of the policy grid \(AX, .*CZ\) nor a method \(csl, fill, cost\)$/);
    await session.step("write").write();
    expect(session.getState().common.error).toMatch(/Rules: rule 1 "Run down": policy "run down"/);
    await session.step("classify").classify();
    expect(session.getState().common.error).toMatch(/^Rules: rule 1 "Run down": policy "run down"/);
    expect(gw.table(SKU_POLICY_TABLE)).toBeUndefined();
  });
});
