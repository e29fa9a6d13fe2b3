/**
 * Policy tab: the nine segments as a 3×3 grid showing each one's service level and method; the
 * chosen segment's policy in a form below it (so nothing needs a wide table), and the defaults
 * behind every SKU's policy. Service levels and fill rate targets are entered and shown in percent.
 */
import { Button, Field, makeStyles, mergeClasses, Radio, RadioGroup, Select, Subtitle2, Text, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { gridRowProblems } from "../../app/policyEdits";
import type { SafetyStockMethod, SegmentPolicy, SegmentPolicyField } from "../../engine/policy";
import { pct } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: tokens.spacingHorizontalXS },
  cell: { minWidth: 0, height: "auto", paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, flexDirection: "column", alignItems: "center" },
  cellProblem: { outline: `2px solid ${tokens.colorPaletteRedBorder2}` },
  seg: { fontWeight: tokens.fontWeightSemibold },
  small: { fontSize: tokens.fontSizeBase200 },
});

export function PolicyTab() {
  const [state, actions] = useStep("policy");
  const styles = useCommonStyles();
  const own = useStyles();
  const [selected, setSelected] = useState("AX");
  const po = state.policyOptions;
  const current = state.grid.find((p) => p.segment === selected) ?? state.grid[0];
  const problems = current ? gridRowProblems(current) : [];
  const problemFor = (f: SegmentPolicyField) => problems.find((p) => p.field === f)?.message;
  const set = (field: SegmentPolicyField, v: number | string) => actions.setGridCell(current.segment, field, v);
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-grid" className={styles.stack}>
        <Subtitle2 id="seg-grid">Policy per segment</Subtitle2>
        <Text>
          Choose a segment to change its policy. Service level is a cycle service level for method CSL and a fill rate for method Fill. Review period 0 = continuous review with an EOQ
          lot; above 0 = periodic review every that many periods.
        </Text>
        <div className={own.grid} role="group" aria-label="Segments">
          {state.grid.map((p: SegmentPolicy) => {
            const bad = gridRowProblems(p).length > 0;
            return (
              <Button
                key={p.segment}
                className={mergeClasses(own.cell, bad && own.cellProblem)}
                appearance={p.segment === current?.segment ? "primary" : "secondary"}
                aria-pressed={p.segment === current?.segment}
                aria-label={`${p.segment}: ${pct(p.serviceLevel)} ${p.method === "fill" ? "fill rate" : "cycle service level"}${bad ? ", needs a fix" : ""}`}
                onClick={() => setSelected(p.segment)}
              >
                <span className={own.seg}>{p.segment}</span>
                <span className={own.small}>
                  {pct(p.serviceLevel)} {p.method === "fill" ? "fill" : "CSL"}
                </span>
              </Button>
            );
          })}
        </div>
        {current && (
          <section aria-label={`Policy of segment ${current.segment}`} className={styles.stack}>
            <Subtitle2 as="h3">Segment {current.segment}</Subtitle2>
            <div className={styles.grid2}>
              <NumberField label="Service level (%)" percent value={current.serviceLevel} problem={problemFor("serviceLevel")} onValue={(v) => set("serviceLevel", v)} />
              <Field label="Method" className={styles.field}>
                <Select className={styles.control} value={current.method} onChange={(_, d) => set("method", d.value as SafetyStockMethod)}>
                  <option value="csl">CSL</option>
                  <option value="fill">Fill rate</option>
                </Select>
              </Field>
              <NumberField label="Review period (periods)" value={current.reviewPeriod} problem={problemFor("reviewPeriod")} onValue={(v) => set("reviewPeriod", v)} />
              <NumberField label="Fill rate target (%)" percent value={current.fillRateTarget} problem={problemFor("fillRateTarget")} onValue={(v) => set("fillRateTarget", v)} />
              <NumberField label="Inventory turns target" value={current.turnsTarget} problem={problemFor("turnsTarget")} onValue={(v) => set("turnsTarget", v)} />
            </div>
            <Text className={styles.muted}>Targets are written with the policy for reporting; the formulas use the service level, method and review period.</Text>
          </section>
        )}
        {state.gridProblems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Policy grid problems">
            {state.gridProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className={styles.row}>
          <Button onClick={() => actions.resetGrid()}>Reset to defaults</Button>
        </div>
      </section>
      <section aria-labelledby="seg-policy-options" className={styles.stack}>
        <Subtitle2 id="seg-policy-options">Defaults for every SKU</Subtitle2>
        <div className={styles.grid2}>
          <NumberField label="Lead time when blank (periods)" value={po.defaultLeadTime} onValue={(v) => actions.setPolicyOptions({ defaultLeadTime: v })} />
          <NumberField label="Lead-time sd when blank (periods)" value={po.defaultLeadTimeSd} onValue={(v) => actions.setPolicyOptions({ defaultLeadTimeSd: v })} />
          <NumberField label="Cost per order" value={po.orderCost} onValue={(v) => actions.setPolicyOptions({ orderCost: v })} />
          <NumberField label="Holding cost per year (% of unit cost)" percent value={po.holdingRate} onValue={(v) => actions.setPolicyOptions({ holdingRate: v })} />
        </div>
        <RadioGroup value={po.rounding} onChange={(_, d) => actions.setPolicyOptions({ rounding: d.value as "whole" | "none" })} aria-label="Quantities">
          <Radio value="whole" label="Whole units (levels and EOQ rounded up)" />
          <Radio value="none" label="Keep fractions (bulk goods)" />
        </RadioGroup>
        {state.policyOptionProblems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Policy option problems">
            {state.policyOptionProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
