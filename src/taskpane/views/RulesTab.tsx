/**
 * Rules tab: the ordered business-rule table (one condition on an attribute of the SKU table → a
 * segment, a service level or a policy), as collapsible cards, with its problems naming the rule.
 * Reads useStep("rules") only; loaded lazily (src/taskpane/steps.ts).
 */
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Field, Input, Select, Subtitle2, Text } from "@fluentui/react-components";
import { RULE_OPERATORS, RULE_TARGETS, type RuleOperator, type RuleTarget } from "../../engine/rules";
import { emptyRuleRow, RULE_TARGET_LABELS, type RuleRow } from "../../app/rulesApply";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

function summary(r: RuleRow, i: number): string {
  const name = r.name.trim() ? ` "${r.name.trim()}"` : "";
  const then = r.target === "serviceLevel" ? `service level ${r.outcome || "?"} %` : `${r.target} ${r.outcome || "?"}`;
  return `${r.priority ?? i + 1}. rule ${i + 1}${name}: ${r.field || "?"} ${r.op} ${r.value || "?"} → ${then}`;
}

export function RulesTab() {
  const [state, actions, common] = useStep("rules");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-business-rules" className={styles.stack}>
        <Subtitle2 id="seg-business-rules">Business rules</Subtitle2>
        <Text className={styles.wrap}>
          Each rule tests one column of the SKU table (or History periods: periods since the first demand) and sets a segment, a service level or a policy. For each of the three the matching rule
          with the lowest priority wins (blank priority: its place in the list). Rules are part of the model version; the Segments sheet says which rule decided each SKU.
        </Text>
        <Accordion collapsible multiple>
          {state.rows.map((r, i) => (
            <AccordionItem key={i} value={String(i)}>
              <AccordionHeader size="small">
                <span className={styles.wrap}>{summary(r, i)}</span>
              </AccordionHeader>
              <AccordionPanel>
                <div className={styles.grid2}>
                  <Field label="Name" className={styles.field}>
                    <Input className={styles.control} input={{ className: styles.control }} value={r.name} onChange={(_, d) => void actions.update(i, { name: d.value })} disabled={busy} />
                  </Field>
                  <NumberField label="Priority" allowBlank value={r.priority ?? Number.NaN} onValue={(v) => void actions.update(i, { priority: Number.isNaN(v) ? null : v })} hint="Blank: its place" />
                  <Field label="Column" className={styles.field}>
                    <Select className={styles.control} value={r.field} onChange={(_, d) => void actions.update(i, { field: d.value })} disabled={busy}>
                      {[...new Set(["", r.field, ...state.fields])].map((f) => (
                        <option key={f} value={f}>
                          {f === "" ? "(choose)" : f}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Field label="Operator" className={styles.field}>
                    <Select className={styles.control} value={r.op} onChange={(_, d) => void actions.update(i, { op: d.value as RuleOperator })} disabled={busy}>
                      {RULE_OPERATORS.map((o) => (
                        <option key={o} value={o}>
                          {o}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Field label="Value" className={styles.field}>
                    <Input className={styles.control} input={{ className: styles.control }} value={r.value} onChange={(_, d) => void actions.update(i, { value: d.value })} disabled={busy} />
                  </Field>
                  <Field label="Sets" className={styles.field}>
                    <Select className={styles.control} value={r.target} onChange={(_, d) => void actions.update(i, { target: d.value as RuleTarget })} disabled={busy}>
                      {RULE_TARGETS.map((t) => (
                        <option key={t} value={t}>
                          {RULE_TARGET_LABELS[t]}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Field label={RULE_TARGET_LABELS[r.target]} className={styles.field}>
                    <Input className={styles.control} input={{ className: styles.control }} value={r.outcome} onChange={(_, d) => void actions.update(i, { outcome: d.value })} disabled={busy} />
                  </Field>
                </div>
                <div className={styles.row}>
                  <Button size="small" onClick={() => void actions.move(i, -1)} disabled={busy || i === 0}>
                    Up
                  </Button>
                  <Button size="small" onClick={() => void actions.move(i, 1)} disabled={busy || i === state.rows.length - 1}>
                    Down
                  </Button>
                  <Button size="small" onClick={() => void actions.remove(i)} disabled={busy}>
                    Remove
                  </Button>
                </div>
              </AccordionPanel>
            </AccordionItem>
          ))}
        </Accordion>
        <div className={styles.row}>
          <Button onClick={() => void actions.add(emptyRuleRow())} disabled={busy}>
            Add a rule
          </Button>
        </div>
        {state.problems.length > 0 ? (
          <ul className={styles.list} role="alert" aria-label="Business rule problems">
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : (
          <Text className={styles.muted}>{state.rows.length ? `${state.rows.length} rule${state.rows.length === 1 ? "" : "s"}, no problems: they apply at the next Classify.` : "No rules: every SKU keeps its computed segment."}</Text>
        )}
      </section>
    </div>
  );
}
