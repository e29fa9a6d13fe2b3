/**
 * Execution tab: the rule table as a list of collapsible rule cards (what a rule applies to and what
 * it sets, every field optional), its problems (contradictions naming both rules), the rows and
 * measures, a preview of the flags, the Execution sheet switch, and the master-data findings.
 * Reads useStep("execution") only.
 */
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Button, Checkbox, Field, Input, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, mergeClasses } from "@fluentui/react-components";
import { ruleEffects, ruleScope } from "../../app/dimensionPlans";
import type { ExecutionRowKind } from "../../app/executionRows";
import { SLOTTING_ZONES, TRANSPORT_MODES, type ExecutionRule } from "../../engine/execution";
import { PATTERN_LABELS } from "../../engine/pattern";
import { count } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

export function ExecutionTab() {
  const [state, actions, common] = useStep("execution");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const errors = state.ruleProblems.filter((p) => p.severity === "error");
  const warnings = state.ruleProblems.filter((p) => p.severity === "warning");
  const s = state.settings;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-rules" className={styles.stack}>
        <Subtitle2 id="seg-rules">Execution rules</Subtitle2>
        <Text className={styles.wrap}>
          A rule applies to a segment (A* = every A, *Z, or * for all), optionally a demand pattern and a customer class, and sets any of the flags. For each flag the most specific rule wins;
          two equally specific rules that disagree are refused, naming both. Saved with the workbook.
        </Text>
        <Accordion collapsible multiple>
          {state.rules.map((r) => (
            <AccordionItem key={r.id} value={r.id}>
              <AccordionHeader size="small">
                <span className={styles.wrap}>
                  {r.id} · {ruleScope(r)} · {ruleEffects(r)}
                </span>
              </AccordionHeader>
              <AccordionPanel>
                <RuleForm rule={r} />
              </AccordionPanel>
            </AccordionItem>
          ))}
        </Accordion>
        <div className={styles.row}>
          <Button onClick={() => actions.addRule()} disabled={busy}>
            Add a rule
          </Button>
          <Button onClick={() => actions.resetRules()} disabled={busy}>
            Example rules
          </Button>
        </div>
        {errors.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Rule problems">
            {errors.map((p) => (
              <li key={p.message}>{p.message}</li>
            ))}
          </ul>
        )}
        {warnings.length > 0 && (
          <ul className={mergeClasses(styles.list, styles.muted)} aria-label="Rule warnings">
            {warnings.map((p) => (
              <li key={p.message}>{p.message}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="seg-exec-rows" className={styles.stack}>
        <Subtitle2 id="seg-exec-rows">Rows and the Execution sheet</Subtitle2>
        <div className={styles.grid2}>
          <Field label="One row per" className={styles.field}>
            <Select className={styles.control} value={s.rows} onChange={(_, d) => actions.setSettings({ rows: d.value as ExecutionRowKind })} disabled={busy}>
              <option value="sku">SKU</option>
              <option value="skuCustomer">SKU × customer</option>
            </Select>
          </Field>
          <NumberField label="Days the order lines cover" value={s.daysCovered} onValue={(v) => actions.setSettings({ daysCovered: v })} hint="Picks and units per day" />
        </div>
        <Checkbox
          label="Write the Execution sheet with every Write (the Segments sheet is checked for hand-typed segments first)"
          checked={s.enabled}
          onChange={(_, d) => actions.setSettings({ enabled: d.checked === true })}
        />
        {state.settingsProblems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Execution option problems">
            {state.settingsProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.preview()} disabled={busy || errors.length > 0}>
            Preview flags
          </Button>
          <Button onClick={() => actions.checkMasterData()} disabled={busy}>
            Check master data
          </Button>
        </div>
        {state.preview && (
          <div className={styles.stack}>
            <Text role="status" className={styles.wrap}>
              {count(state.preview.rows)} rows: {count(state.preview.crossDock)} eligible for cross-dock, {count(state.preview.sequenced)} sequenced by margin
              {state.preview.issues ? `; ${count(state.preview.issues)} with a problem (first: ${state.preview.firstIssue})` : ""}.
            </Text>
            <div className={styles.tableWrap}>
              <Table size="small" aria-label="Rows per transport mode" className={styles.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Transport mode</TableHeaderCell>
                    <TableHeaderCell className={styles.num}>Rows</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {state.preview.byTransportMode.map((g) => (
                    <TableRow key={g.key}>
                      <TableCell>{g.key}</TableCell>
                      <TableCell className={styles.num}>{count(g.count)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <div className={styles.tableWrap}>
              <Table size="small" aria-label="Rows per slotting zone" className={styles.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Slotting zone</TableHeaderCell>
                    <TableHeaderCell className={styles.num}>Rows</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {state.preview.byZone.map((g) => (
                    <TableRow key={g.key}>
                      <TableCell>{g.key}</TableCell>
                      <TableCell className={styles.num}>{count(g.count)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </div>
        )}
        {state.findings && (
          <div className={styles.stack}>
            <Text weight="semibold" id="seg-findings">
              Master data: {state.findings.length ? `${count(state.findings.length)} finding(s)` : "nothing typed by hand"}
            </Text>
            {state.findings.length > 0 && (
              <ul className={styles.list} aria-labelledby="seg-findings">
                {state.findings.slice(0, 100).map((f) => (
                  <li key={`${f.row}|${f.field}|${f.message}`}>
                    {f.action === "refused" ? "Refused" : "Flagged"}: {f.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

const NOT_SET = "";

function RuleForm({ rule }: { rule: ExecutionRule }) {
  const [, actions, common] = useStep("execution");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const id = rule.id;
  const set = (patch: Parameters<typeof actions.updateRule>[1]) => actions.updateRule(id, patch);
  const bool = (v: boolean | undefined) => (v === undefined ? NOT_SET : v ? "yes" : "no");
  const fromBool = (v: string) => (v === NOT_SET ? null : v === "yes");
  const num = (v: number | undefined) => (v === undefined ? Number.NaN : v);
  return (
    <div className={styles.stack}>
      <div className={styles.grid2}>
        <Field label={`${id}: segment`} className={styles.field} hint="AX, A*, *Z or *">
          <Input className={styles.control} value={rule.segment} onChange={(_, d) => set({ segment: d.value.trim().toUpperCase() })} disabled={busy} />
        </Field>
        <Field label={`${id}: pattern`} className={styles.field}>
          <Select className={styles.control} value={rule.pattern ?? "*"} onChange={(_, d) => set({ pattern: d.value === "*" ? null : d.value })} disabled={busy}>
            <option value="*">any pattern</option>
            {PATTERN_LABELS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={`${id}: customer class`} className={styles.field}>
          <Select className={styles.control} value={rule.customerClass ?? "*"} onChange={(_, d) => set({ customerClass: d.value === "*" ? null : d.value })} disabled={busy}>
            <option value="*">any (and SKU rows)</option>
            {["A", "B", "C"].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
        <NumberField label={`${id}: picking priority`} value={num(rule.pickingPriority)} allowBlank hint="1 = first; blank: not set" onValue={(v) => set({ pickingPriority: Number.isNaN(v) ? null : v })} />
        <Field label={`${id}: transport mode`} className={styles.field}>
          <Select className={styles.control} value={rule.transportMode ?? NOT_SET} onChange={(_, d) => set({ transportMode: d.value === NOT_SET ? null : (d.value as ExecutionRule["transportMode"]) })} disabled={busy}>
            <option value={NOT_SET}>(not set)</option>
            {TRANSPORT_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <NumberField label={`${id}: ATP window (days)`} value={num(rule.atpWindowDays)} allowBlank onValue={(v) => set({ atpWindowDays: Number.isNaN(v) ? null : v })} />
        <Field label={`${id}: cross-dock`} className={styles.field}>
          <Select className={styles.control} value={bool(rule.crossDock)} onChange={(_, d) => set({ crossDock: fromBool(d.value) })} disabled={busy}>
            <option value={NOT_SET}>(not set)</option>
            <option value="yes">allowed</option>
            <option value="no">not allowed</option>
          </Select>
        </Field>
        <NumberField label={`${id}: cross-dock min units/day`} value={num(rule.crossDockMinVelocity)} allowBlank onValue={(v) => set({ crossDockMinVelocity: Number.isNaN(v) ? null : v })} />
        <NumberField label={`${id}: cross-dock max lead time (days)`} value={num(rule.crossDockMaxLeadTimeDays)} allowBlank onValue={(v) => set({ crossDockMaxLeadTimeDays: Number.isNaN(v) ? null : v })} />
        <Field label={`${id}: slotting zone`} className={styles.field}>
          <Select className={styles.control} value={rule.slottingZone ?? NOT_SET} onChange={(_, d) => set({ slottingZone: d.value === NOT_SET ? null : (d.value as ExecutionRule["slottingZone"]) })} disabled={busy}>
            <option value={NOT_SET}>(by turnover rank)</option>
            {SLOTTING_ZONES.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={`${id}: sequence by margin`} className={styles.field}>
          <Select className={styles.control} value={bool(rule.sequenceByMargin)} onChange={(_, d) => set({ sequenceByMargin: fromBool(d.value) })} disabled={busy}>
            <option value={NOT_SET}>(not set)</option>
            <option value="yes">yes</option>
            <option value="no">no</option>
          </Select>
        </Field>
      </div>
      <div className={styles.row}>
        <Button size="small" onClick={() => actions.removeRule(id)} disabled={busy} aria-label={`Remove rule ${id}`}>
          Remove rule
        </Button>
      </div>
    </div>
  );
}
