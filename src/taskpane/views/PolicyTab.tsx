/**
 * Policy tab: the nine segments as a 3×3 grid showing each one's service level and method; the
 * chosen segment's policy in a form below it (so nothing needs a wide table); the defaults behind
 * every SKU's policy; the constraints (safety-stock budget, DC capacity); a preview of the
 * planned policy before anything is written (fill rate per segment, budget, capacity, lifecycle,
 * the rows that could not be computed); and the MRP export's fields and names. Service levels,
 * fill rates and cost rates are entered and shown in percent.
 */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Checkbox,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  Radio,
  RadioGroup,
  Select,
  Subtitle2,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { gridRowProblems, policyOptionField, segmentCriticalRatio } from "../../app/policyEdits";
import { DEFAULT_MRP_HEADERS, MRP_FIELDS, type MrpField } from "../../app/policySheets";
import type { PolicyPreview } from "../../app/policyPreview";
import type { BudgetMode, PolicyMethod, SegmentPolicy, SegmentPolicyField } from "../../engine/policy";
import type { DistributionChoice } from "../../engine/distributions";
import { amount, count, fixed, pct, plural } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { CapacityList, SegmentFillChart } from "./PolicyCharts";

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: tokens.spacingHorizontalXS },
  cell: { minWidth: 0, height: "auto", paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, flexDirection: "column", alignItems: "center" },
  cellProblem: { outline: `2px solid ${tokens.colorPaletteRedBorder2}` },
  seg: { fontWeight: tokens.fontWeightSemibold },
  small: { fontSize: tokens.fontSizeBase200 },
  cards: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
});

const METHOD_SHORT: Record<PolicyMethod, string> = { csl: "CSL", fill: "fill", cost: "cost" };
const METHOD_WORDS: Record<PolicyMethod, string> = { csl: "cycle service level", fill: "fill rate", cost: "shortage cost" };
const DISTRIBUTIONS: [DistributionChoice, string][] = [
  ["auto", "Auto (by demand pattern)"],
  ["normal", "Normal"],
  ["poisson", "Poisson"],
  ["negbin", "Negative binomial"],
  ["gamma", "Gamma"],
];
const DIST_SHORT: Record<DistributionChoice, string> = { auto: "auto", normal: "normal", poisson: "Poisson", negbin: "neg. bin.", gamma: "gamma" };
const FIELD_WORDS: Record<MrpField, string> = {
  sku: "SKU",
  location: "Location",
  segment: "Segment",
  safetyStock: "Safety stock",
  reorderPoint: "Reorder point",
  min: "Min",
  max: "Max",
  orderQty: "Order quantity",
  roundingValue: "Rounding value (order multiple)",
  moq: "MOQ",
  mrpType: "MRP type",
  reviewPeriod: "Review period",
  modelVersion: "Model version",
};

function PreviewView({ preview }: { preview: PolicyPreview }) {
  const styles = useCommonStyles();
  const own = useStyles();
  const b = preview.budget;
  return (
    <section aria-labelledby="seg-policy-preview" className={styles.stack}>
      <Subtitle2 id="seg-policy-preview" as="h3">
        Planned policy
      </Subtitle2>
      <ul className={styles.list} aria-label="Planned policy in numbers">
        <li>
          {count(preview.computed)} of {plural(preview.planned, "planned SKU")} computed{preview.notComputed ? `; ${count(preview.notComputed)} not computed (below)` : ""}.
        </li>
        {preview.byDistribution.length > 0 && <li>Distributions: {preview.byDistribution.map((d) => `${d.name} ${count(d.count)}`).join(", ")}.</li>}
        {preview.poissonFallbacks > 0 && <li>{plural(preview.poissonFallbacks, "SKU")}: negative binomial not possible (variance not above the mean), Poisson used.</li>}
        {preview.protectedSkus > 0 && <li>{plural(preview.protectedSkus, "protected SKU")} (floor: critical spares, regulatory stock), never cut.</li>}
        {(preview.phasingOut > 0 || preview.noReplenishment > 0) && (
          <li>
            End of life: {count(preview.phasingOut)} ramping down, {count(preview.noReplenishment)} past the last-buy date (no replenishment)
            {preview.lastBuyUnits > 0 ? `; last buys must cover ${fixed(preview.lastBuyUnits, 0)} units` : ""}.
          </li>
        )}
        {preview.newFromAnalog + preview.newFromFamily > 0 && (
          <li>
            New SKUs: {count(preview.newFromAnalog)} from an analog, {count(preview.newFromFamily)} from a family.
          </li>
        )}
        <li>
          Safety stock value {amount(preview.safetyStockValue)}; average inventory value {amount(preview.investment)}.
        </li>
      </ul>
      <SegmentFillChart preview={preview} />
      {b && (
        <section aria-labelledby="seg-policy-budget-title" className={styles.stack}>
          <Subtitle2 id="seg-policy-budget-title" as="h3">
            Budget
          </Subtitle2>
          <Text className={styles.wrap}>
            {amount(b.spent)} of {amount(b.budget)} allocated over {plural(b.skus, "SKU")}; provably optimal up to {amount(b.optimalUpTo)}.
            {b.mode === "total" && Number.isFinite(b.marginalFillRatePerMoney) && ` One more 1,000 would add ${fixed(b.marginalFillRatePerMoney * 1000 * 100, 2)} fill-rate points.`}
          </Text>
          <ul className={own.cards} aria-label="Budget per segment">
            {b.segments.map((s) => (
              <li key={s.segment} className={own.card}>
                <Text weight="semibold">{s.segment}</Text>
                <Text size={200}>
                  {b.mode === "segment" ? `${amount(s.spent)} of ${amount(s.budget)}` : `${amount(s.spent)} spent`}; fill rate {pct(s.fillRate)} (targets: {pct(s.targetFillRate)} for {amount(s.targetSpend)})
                  {b.mode === "segment" && Number.isFinite(s.marginalFillRatePerMoney) ? `; +1,000: +${fixed(s.marginalFillRatePerMoney * 1000 * 100, 2)} pts` : ""}.
                </Text>
              </li>
            ))}
          </ul>
        </section>
      )}
      {preview.capacity && <CapacityList locations={preview.capacity} basis={preview.capacityBasis} />}
      {preview.problems.length > 0 && (
        <section aria-labelledby="seg-policy-problems" className={styles.stack}>
          <Subtitle2 id="seg-policy-problems" as="h3">
            Not computed
          </Subtitle2>
          <ul className={styles.list} aria-label="SKUs not computed">
            {preview.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

export function PolicyTab() {
  const [state, actions, common] = useStep("policy");
  const styles = useCommonStyles();
  const own = useStyles();
  const [selected, setSelected] = useState("AX");
  const po = state.policyOptions;
  const busy = common.running !== null;
  const current = state.grid.find((p) => p.segment === selected) ?? state.grid[0];
  const problems = current ? gridRowProblems(current) : [];
  const problemFor = (f: SegmentPolicyField) => problems.find((p) => p.field === f)?.message;
  const optionProblem = (field: string) => (common.errorField === field ? (common.error ?? undefined) : state.policyOptionProblems.find((m) => policyOptionField(m) === field));
  const set = (field: SegmentPolicyField, v: number | string) => actions.setGridCell(current.segment, field, v);
  const ratio = current ? segmentCriticalRatio(current, po) : Number.NaN;
  const mrp = state.mrpExport;
  return (
    <div className={styles.stack}>
      {state.inputProblems.length > 0 && (
        <section aria-labelledby="seg-policy-input" className={styles.stack}>
          <Subtitle2 id="seg-policy-input">Fix these cells before writing</Subtitle2>
          <ul className={styles.list} role="alert" aria-label="Policy input problems">
            {state.inputProblems.slice(0, 200).map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="seg-grid" className={styles.stack}>
        <Subtitle2 id="seg-grid">Policy per segment</Subtitle2>
        <Text>
          Choose a segment to change its policy. The level is set by a cycle service level (CSL), a fill rate (Fill) or a shortage cost (Cost), from the segment&apos;s lead-time demand
          distribution. Review period 0 = continuous review with an EOQ lot; above 0 = periodic review every that many periods.
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
                aria-label={`${p.segment}: ${p.method === "cost" ? "shortage cost" : `${pct(p.serviceLevel)} ${METHOD_WORDS[p.method]}`}, ${DIST_SHORT[p.distribution] ?? p.distribution} distribution${bad ? ", needs a fix" : ""}`}
                onClick={() => setSelected(p.segment)}
              >
                <span className={own.seg}>{p.segment}</span>
                <span className={own.small}>{p.method === "cost" ? `cost ${pct(segmentCriticalRatio(p, po), 0)}` : `${pct(p.serviceLevel)} ${METHOD_SHORT[p.method]}`}</span>
                <span className={own.small}>{DIST_SHORT[p.distribution] ?? p.distribution}</span>
              </Button>
            );
          })}
        </div>
        {current && (
          <section aria-label={`Policy of segment ${current.segment}`} className={styles.stack}>
            <Subtitle2 as="h3">Segment {current.segment}</Subtitle2>
            <div className={styles.grid2}>
              <Field label="Method" className={styles.field}>
                <Select className={styles.control} value={current.method} onChange={(_, d) => set("method", d.value as PolicyMethod)}>
                  <option value="csl">CSL</option>
                  <option value="fill">Fill rate</option>
                  <option value="cost">Shortage cost</option>
                </Select>
              </Field>
              {current.method === "cost" ? (
                <NumberField
                  label="Shortage cost (% of unit cost a year)"
                  percent
                  value={current.shortageCost}
                  problem={problemFor("shortageCost")}
                  hint={Number.isFinite(ratio) ? `Critical ratio ${pct(ratio)} at ${pct(po.holdingRate, 0)} holding.` : undefined}
                  onValue={(v) => set("shortageCost", v)}
                />
              ) : (
                <NumberField label="Service level (%)" percent value={current.serviceLevel} problem={problemFor("serviceLevel")} onValue={(v) => set("serviceLevel", v)} />
              )}
              <Field label="Distribution" className={styles.field} validationState={problemFor("distribution") ? "error" : "none"} validationMessage={problemFor("distribution")}>
                <Select className={styles.control} value={current.distribution} onChange={(_, d) => set("distribution", d.value as DistributionChoice)}>
                  {DISTRIBUTIONS.map(([v, label]) => (
                    <option key={v} value={v}>
                      {label}
                    </option>
                  ))}
                </Select>
              </Field>
              <NumberField label="Review period (periods)" value={current.reviewPeriod} problem={problemFor("reviewPeriod")} onValue={(v) => set("reviewPeriod", v)} />
              <NumberField label="Order multiple (units)" value={current.orderMultiple} problem={problemFor("orderMultiple")} onValue={(v) => set("orderMultiple", v)} />
              <NumberField label="MOQ (units)" value={current.moq} problem={problemFor("moq")} onValue={(v) => set("moq", v)} />
              <NumberField label="Fill rate target (%)" percent value={current.fillRateTarget} problem={problemFor("fillRateTarget")} onValue={(v) => set("fillRateTarget", v)} />
              <NumberField label="Inventory turns target" value={current.turnsTarget} problem={problemFor("turnsTarget")} onValue={(v) => set("turnsTarget", v)} />
              <Field label="MRP type (export)" className={styles.field} hint="Blank: reorder point or periodic review.">
                <Input className={styles.control} value={mrp.mrpTypeBySegment[current.segment] ?? ""} onChange={(_, d) => void actions.setMrpType(current.segment, d.value)} />
              </Field>
              {po.budgetMode === "segment" && (
                <NumberField
                  label="Safety-stock budget"
                  value={po.segmentBudgets[current.segment] ?? Number.NaN}
                  allowBlank
                  problem={state.policyOptionProblems.find((m) => m.startsWith(`Safety-stock budget of segment ${current.segment} `))}
                  onValue={(v) => actions.setSegmentBudget(current.segment, v)}
                />
              )}
            </div>
            <Text className={styles.muted}>
              Order multiple and MOQ apply to the segment&apos;s SKUs unless the SKU table maps its own. Targets are written with the policy for reporting (the Performance tab compares them).
            </Text>
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
          <NumberField label="Phase-out (periods)" value={po.phaseOutPeriods} problem={optionProblem("phaseOutPeriods")} onValue={(v) => actions.setPolicyOptions({ phaseOutPeriods: v })} />
        </div>
        <RadioGroup value={po.rounding} onChange={(_, d) => actions.setPolicyOptions({ rounding: d.value as "whole" | "none" })} aria-label="Quantities">
          <Radio value="whole" label="Quantities a planner can order (whole units, order multiples, MOQ)" />
          <Radio value="none" label="Keep fractions (bulk goods)" />
        </RadioGroup>
      </section>
      <section aria-labelledby="seg-policy-constraints" className={styles.stack}>
        <Subtitle2 id="seg-policy-constraints">Budget and capacity</Subtitle2>
        <RadioGroup value={po.budgetMode} onChange={(_, d) => actions.setPolicyOptions({ budgetMode: d.value as BudgetMode })} aria-label="Budget mode">
          <Radio value="none" label="No budget: every segment at its service target" />
          <Radio value="total" label="One safety-stock budget for every SKU" />
          <Radio value="segment" label="A budget per segment (in each segment's form)" />
        </RadioGroup>
        {po.budgetMode === "total" && (
          <div className={styles.grid2}>
            <NumberField label="Safety-stock budget" value={po.budget} problem={optionProblem("budget")} onValue={(v) => actions.setPolicyOptions({ budget: v })} />
          </div>
        )}
        {po.budgetMode !== "none" && (
          <Text className={styles.muted}>
            The budget pays unit cost × safety stock. It goes where it fills the most demand (greedy marginal analysis); SKUs with a floor are paid first and kept at their level.
          </Text>
        )}
        {common.errorField === "budget" && po.budgetMode === "segment" && (
          <Text role="alert" className={styles.wrap}>
            {common.error}
          </Text>
        )}
        <RadioGroup value={po.capacityBasis} onChange={(_, d) => actions.setPolicyOptions({ capacityBasis: d.value as "units" | "volume" })} aria-label="DC capacity in">
          <Radio value="units" label="DC capacity in units" />
          <Radio value="volume" label="DC capacity in volume (mapped unit volume)" />
        </RadioGroup>
        <Text className={styles.muted}>
          Capacities come from the Location and Capacity columns of the SKU table. A full DC has its max levels cut: C segments first, then B, A last; protected SKUs never.
        </Text>
        {state.policyOptionProblems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Policy option problems">
            {state.policyOptionProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.preview()} disabled={busy}>
            Preview the policy
          </Button>
        </div>
        {state.preview ? <PreviewView preview={state.preview} /> : <Text className={styles.muted}>Preview to see the levels, the budget and the capacity before writing (the Write plans them too).</Text>}
      </section>
      <Accordion collapsible>
        <AccordionItem value="mrp">
          <AccordionHeader>MRP export</AccordionHeader>
          <AccordionPanel>
            <section aria-label="MRP export fields" className={styles.stack}>
              <Text>The MRP export sheet holds these fields, under the names your planning system loads. Saved in this workbook.</Text>
              <div className={styles.row}>
                <Button onClick={() => void actions.useMrpPreset("ours")}>Our names</Button>
                <Button onClick={() => void actions.useMrpPreset("sap")}>SAP names (MARC)</Button>
              </div>
              <div className={styles.grid2}>
                {MRP_FIELDS.map((f) => (
                  <MrpFieldRow key={f} field={f} included={mrp.fields.includes(f)} header={mrp.headers[f] ?? DEFAULT_MRP_HEADERS[f]} />
                ))}
              </div>
              <Field label="MRP type after the last buy" className={styles.field}>
                <Input className={styles.control} value={mrp.noReplenishmentMrpType} onChange={(_, d) => void actions.setMrpExport({ noReplenishmentMrpType: d.value })} />
              </Field>
              {state.mrpExportProblems.length > 0 && (
                <ul className={styles.list} role="alert" aria-label="MRP export problems">
                  {state.mrpExportProblems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
            </section>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </div>
  );
}

function MrpFieldRow({ field, included, header }: { field: MrpField; included: boolean; header: string }) {
  const [, actions] = useStep("policy");
  const styles = useCommonStyles();
  return (
    <>
      <Checkbox className={styles.field} checked={included} label={FIELD_WORDS[field]} onChange={(_, d) => void actions.setMrpField(field, d.checked === true)} />
      <Input className={styles.control} aria-label={`Column name for ${FIELD_WORDS[field]}`} value={header} disabled={!included} onChange={(_, d) => void actions.setMrpHeader(field, d.value)} />
    </>
  );
}
