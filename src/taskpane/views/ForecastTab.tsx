/**
 * Forecast tab: how to forecast (horizon, backtest, season), the nine segments as a 3×3 picker with
 * the chosen segment's methods per pattern, tolerance, override cap, family level and policy choice
 * in a form below it; the run; the preview (accuracy and bias by segment as a table and a chart, the
 * method mix, the SKUs not forecast); any SKU's actual vs forecast, found by a search that lists at
 * most 50 matches; and the SKU's overrides, with the second person's approval in a dialog.
 * Presentation only: every rule is in src/app/steps/forecast.ts and src/app/forecastModel.ts.
 */
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { METHOD_CHOICES, type MethodChoice } from "../../engine/forecast/methods";
import { FORECAST_PATTERNS, type ForecastPattern, type ForecastPreview, type SegmentForecastSettings } from "../../app/forecastModel";
import type { SkuForecastView } from "../../app/steps/forecast";
import { count, fixed, pct, plural } from "../format";
import { usePeek, useSession, useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { AccuracyChart, SkuChart } from "./ForecastCharts";

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: tokens.spacingHorizontalXS },
  cell: { minWidth: 0, height: "auto", paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, flexDirection: "column", alignItems: "center" },
  seg: { fontWeight: tokens.fontWeightSemibold },
  small: { fontSize: tokens.fontSizeBase200 },
});

const PATTERN_LABEL: Record<ForecastPattern, string> = { smooth: "Smooth", erratic: "Erratic", intermittent: "Intermittent", lumpy: "Lumpy" };
const METHOD_LABEL: Partial<Record<MethodChoice, string>> = { auto: "auto (by pattern)", hw_add: "hw_add (Holt-Winters +)", hw_mul: "hw_mul (Holt-Winters ×)", ma: "ma (moving average)" };

export function ForecastTab() {
  const [state, actions, common] = useStep("forecast");
  const classify = usePeek("classify");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const s = state.settings;
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-fc-how" className={styles.stack}>
        <Subtitle2 id="seg-fc-how">1. Horizon and backtest</Subtitle2>
        <Text>
          Forecasts each SKU by its segment and demand pattern. A backtest over the last periods measures accuracy (WAPE) and bias (tracking signal) against each segment&apos;s tolerance.
        </Text>
        <div className={styles.grid2}>
          <NumberField label="Horizon (periods)" value={s.horizon} onValue={(v) => actions.setSettings({ horizon: v })} />
          <NumberField label="Backtest length (periods)" value={s.backtestPeriods} onValue={(v) => actions.setSettings({ backtestPeriods: v })} />
          <NumberField
            label="Season length (periods)"
            value={s.seasonLength ?? Number.NaN}
            allowBlank
            onValue={(v) => actions.setSettings({ seasonLength: Number.isNaN(v) ? null : v })}
            hint="Blank: no seasonal methods; 12 for monthly data"
          />
        </div>
      </section>
      <SegmentSettings />
      <section aria-labelledby="seg-fc-run" className={styles.stack}>
        <Subtitle2 id="seg-fc-run">3. Forecast</Subtitle2>
        {!classify?.run && <Text>Classify first (Classify tab): the forecast uses each SKU&apos;s segment and pattern.</Text>}
        {state.problems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Forecast setting problems">
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {state.settingsChanged && <Text role="status">The settings changed since this forecast: forecast again to use them.</Text>}
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.run()} disabled={busy || !classify?.run || state.problems.length > 0}>
            Forecast
          </Button>
        </div>
      </section>
      {state.preview && <PreviewSection preview={state.preview} />}
      {state.run && <SkuSection />}
      <ApprovalDialog />
    </div>
  );
}

function SegmentSettings() {
  const [state, actions] = useStep("forecast");
  const styles = useCommonStyles();
  const own = useStyles();
  const [selected, setSelected] = useState("AX");
  const segments = state.settings.segments;
  const current = segments.find((g) => g.segment === selected) ?? segments[0];
  const fixedCount = (g: SegmentForecastSettings) => FORECAST_PATTERNS.filter((p) => g.methods[p] !== "auto").length;
  return (
    <section aria-labelledby="seg-fc-segments" className={styles.stack}>
      <Subtitle2 id="seg-fc-segments">2. Per segment</Subtitle2>
      <Text>Choose a segment: its method per demand pattern (auto by default), its tolerance, override cap, family level and whether the Policy uses the forecast.</Text>
      <div className={own.grid} role="group" aria-label="Segments">
        {segments.map((g) => (
          <Button
            key={g.segment}
            className={own.cell}
            appearance={g.segment === current.segment ? "primary" : "secondary"}
            aria-pressed={g.segment === current.segment}
            aria-label={`${g.segment}: WAPE up to ${pct(g.wapeMax, 0)}, ${fixedCount(g) ? `${fixedCount(g)} fixed method(s)` : "auto"}`}
            onClick={() => setSelected(g.segment)}
          >
            <span className={own.seg}>{g.segment}</span>
            <span className={own.small}>
              ≤ {pct(g.wapeMax, 0)} {fixedCount(g) ? "fixed" : "auto"}
            </span>
          </Button>
        ))}
      </div>
      <section aria-label={`Forecast settings of segment ${current.segment}`} className={styles.stack}>
        <Subtitle2 as="h3">Segment {current.segment}</Subtitle2>
        <div className={styles.grid2}>
          {FORECAST_PATTERNS.map((p) => (
            <Field key={p} label={`${PATTERN_LABEL[p]} demand`} className={styles.field}>
              <Select className={styles.control} value={current.methods[p]} onChange={(_, d) => actions.setSegmentMethod(current.segment, p, d.value as MethodChoice)}>
                {METHOD_CHOICES.map((m) => (
                  <option key={m} value={m}>
                    {METHOD_LABEL[m] ?? m}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
          <NumberField label="WAPE limit (%)" percent value={current.wapeMax} onValue={(v) => actions.setSegment(current.segment, { wapeMax: v })} />
          <NumberField label="|Tracking signal| limit" step={0.5} value={current.tsMax} onValue={(v) => actions.setSegment(current.segment, { tsMax: v })} />
          <NumberField
            label="Override cap (%)"
            percent
            allowBlank
            value={current.overrideCap ?? Number.NaN}
            onValue={(v) => actions.setSegment(current.segment, { overrideCap: Number.isNaN(v) ? null : v })}
            hint="Beyond it a second person approves; blank: no cap"
          />
        </div>
        <Checkbox
          label="Forecast at the product family level (top-down)"
          checked={current.familyLevel}
          onChange={(_, d) => actions.setSegment(current.segment, { familyLevel: d.checked === true })}
        />
        {current.familyLevel && !state.familyMapped && <Text className={styles.muted}>Needs a Product family column: map it on the Classify tab and classify again.</Text>}
        <Checkbox
          label="Policy takes demand and σ from the forecast"
          checked={current.policyFromForecast}
          onChange={(_, d) => actions.setSegment(current.segment, { policyFromForecast: d.checked === true })}
        />
      </section>
      <div className={styles.row}>
        <Button onClick={() => actions.resetSettings()}>Reset to defaults</Button>
      </div>
    </section>
  );
}

function PreviewSection({ preview }: { preview: ForecastPreview }) {
  const styles = useCommonStyles();
  const parts = [
    `${plural(preview.forecast, "SKU")} forecast of ${count(preview.skus)}`,
    preview.rejected ? `${count(preview.rejected)} not forecast` : "",
    preview.family ? `${count(preview.family)} at the family level` : "",
    `${count(preview.exceptions)} outside their segment's tolerance (value at risk ${count(preview.valueAtRisk)})`,
    preview.overridesApplied ? `${count(preview.overridesApplied)} override(s) applied` : "",
    preview.overridesStale ? `${count(preview.overridesStale)} override(s) outside the horizon` : "",
  ].filter(Boolean);
  const shown = preview.bySegment.filter((r) => r.skus > 0);
  return (
    <section aria-labelledby="seg-fc-preview" className={styles.stack}>
      <Subtitle2 id="seg-fc-preview">4. Accuracy and bias</Subtitle2>
      <Text role="status">{parts.join("; ")}.</Text>
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Accuracy and bias by segment" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Segment</TableHeaderCell>
              <TableHeaderCell className={styles.num}>WAPE</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Bias</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Outside</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.map((r) => (
              <TableRow key={r.segment} aria-label={`${r.segment}: WAPE ${pct(r.wape)} (limit ${pct(r.wapeMax, 0)}), bias ${pct(r.bias)}, ${count(r.exceptions)} of ${count(r.skus)} outside`}>
                <TableCell>{r.segment}</TableCell>
                <TableCell className={styles.num}>{pct(r.wape)}</TableCell>
                <TableCell className={styles.num}>{pct(r.bias)}</TableCell>
                <TableCell className={styles.num}>
                  {count(r.exceptions)}/{count(r.skus)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <Text size={200} className={styles.muted}>
        WAPE = Σ|forecast − actual| / Σ actual over the backtest; bias = Σ(forecast − actual) / Σ actual (above 0: over-forecast).
      </Text>
      <AccuracyChart rows={shown} />
      <Subtitle2 as="h3">Method mix</Subtitle2>
      <div className={styles.tableWrap}>
        <Table size="small" aria-label="Method mix" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Method</TableHeaderCell>
              <TableHeaderCell className={styles.num}>SKUs</TableHeaderCell>
              <TableHeaderCell className={styles.num}>Share</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {preview.methodMix.map((m) => (
              <TableRow key={m.method}>
                <TableCell className={styles.wrap}>{m.method}</TableCell>
                <TableCell className={styles.num}>{count(m.count)}</TableCell>
                <TableCell className={styles.num}>{pct(m.share)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {preview.problems.length > 0 && (
        <div className={styles.stack}>
          <Text weight="semibold" id="seg-fc-problems">
            Not forecast ({count(preview.rejected)}):
          </Text>
          <ul className={styles.list} aria-labelledby="seg-fc-problems">
            {preview.problems.map((p) => (
              <li key={p.sku}>
                {p.sku}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function SkuSection() {
  const [state, actions, common] = useStep("forecast");
  const styles = useCommonStyles();
  const v = state.sku;
  return (
    <section aria-labelledby="seg-fc-sku" className={styles.stack}>
      <Subtitle2 id="seg-fc-sku">5. One SKU</Subtitle2>
      <div className={styles.grid2}>
        <Field label="Find a SKU" className={styles.field} hint="Id or description; blank lists the exceptions first">
          <Input className={styles.control} input={{ className: styles.control }} value={state.skuQuery} onChange={(_, d) => actions.findSkus(d.value)} />
        </Field>
        <Field
          label={`SKU (${count(state.skuMatches.length)} listed)`}
          className={styles.field}
          validationState={common.errorField === "sku" ? "error" : "none"}
          validationMessage={common.errorField === "sku" ? (common.error ?? undefined) : undefined}
        >
          <Select className={styles.control} value={v?.sku ?? ""} onChange={(_, d) => {
              if (d.value) void actions.selectSku(d.value);
            }}>
            <option value="">Choose…</option>
            {v && !state.skuMatches.includes(v.sku) && <option value={v.sku}>{v.sku}</option>}
            {state.skuMatches.map((sku) => (
              <option key={sku} value={sku}>
                {sku}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {v && <SkuDetails view={v} />}
    </section>
  );
}

function SkuDetails({ view }: { view: SkuForecastView }) {
  const styles = useCommonStyles();
  const bt = view.backtest;
  return (
    <div className={styles.stack}>
      <Text className={styles.wrap} role="status">
        {view.sku}
        {view.description ? ` (${view.description})` : ""}: {view.segment || "no segment"}, {view.pattern || "no pattern"}, {view.method}
        {view.parameters ? ` (${view.parameters})` : ""}
        {view.level !== "SKU" ? `, ${view.level}` : ""}.
        {bt ? ` Backtest over ${count(bt.count)} periods: WAPE ${pct(bt.wape)}, bias ${fixed(bt.me)} per period, tracking signal ${fixed(bt.ts)}.` : " No backtest."}
      </Text>
      {view.exception && <Text className={styles.wrap}>Outside tolerance: {view.exception}.</Text>}
      {view.note && <Text className={`${styles.muted} ${styles.wrap}`}>{view.note}</Text>}
      {view.forecast.length > 0 && <SkuChart view={view} />}
      {view.forecast.length > 0 && <OverrideForm view={view} />}
    </div>
  );
}

function OverrideForm({ view }: { view: SkuForecastView }) {
  const [, actions, common] = useStep("forecast");
  const session = useSession();
  const styles = useCommonStyles();
  const [k, setK] = useState(1);
  const [value, setValue] = useState(Number.NaN);
  const [reason, setReason] = useState("");
  const busy = common.running !== null;
  const fieldError = (f: string) => (common.errorField === f ? (common.error ?? undefined) : undefined);
  const current = view.overrides[k - 1];
  const list = view.overrides.map((o, j) => ({ o, k: j + 1 })).filter((x) => x.o !== null);
  return (
    <section aria-label={`Overrides of ${view.sku}`} className={styles.stack}>
      <Subtitle2 as="h3">Override the forecast</Subtitle2>
      <Text className={styles.muted}>
        {view.cap === null ? `No cap in ${view.segment || "this segment"}.` : `Changes beyond ±${pct(view.cap, 0)} of the statistical forecast need a second person's approval.`}
      </Text>
      <div className={styles.grid2}>
        <Field label="Period" className={styles.field} validationState={fieldError("period") ? "error" : "none"} validationMessage={fieldError("period")}>
          <Select className={styles.control} value={String(k)} onChange={(_, d) => setK(Number(d.value))}>
            {view.forecast.map((f, j) => (
              <option key={j} value={String(j + 1)}>
                T+{j + 1}: {fixed(f, 1)}
                {view.overrides[j] ? " (overridden)" : ""}
              </option>
            ))}
          </Select>
        </Field>
        <NumberField label="New forecast (units)" value={value} allowBlank onValue={setValue} problem={fieldError("value")} />
      </div>
      <Field label="Reason" required className={styles.field} hint="A promotion, a known event… (written to the audit trail)" validationState={fieldError("reason") ? "error" : "none"} validationMessage={fieldError("reason")}>
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} resize="vertical" />
      </Field>
      <div className={styles.row}>
        <Button
          appearance="primary"
          disabled={busy}
          onClick={async () => {
            await actions.setOverride(view.sku, k, value, reason);
            const st = session.getState();
            if (!st.common.error && !st.steps.forecast.pendingApproval) setReason("");
          }}
        >
          Set override
        </Button>
        {current && (
          <Button disabled={busy} onClick={() => actions.clearOverride(view.sku, k, reason)}>
            Remove T+{k} override
          </Button>
        )}
      </div>
      {list.length > 0 && (
        <ul className={styles.list} aria-label={`Current overrides of ${view.sku}`}>
          {list.map(({ o, k: j }) => (
            <li key={j}>
              T+{j}: {fixed(o!.value, 1)} (was {fixed(o!.base, 1)}) — {o!.reason}
              {o!.approvedBy ? `; approved by ${o!.approvedBy}` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ApprovalDialog() {
  const [state, actions, common] = useStep("forecast");
  const session = useSession();
  const styles = useCommonStyles();
  const [name, setName] = useState("");
  const [reason, setReason] = useState("");
  const p = state.pendingApproval;
  const fieldError = (f: string) => (common.errorField === f ? (common.error ?? undefined) : undefined);
  const change = p ? (Number.isFinite(p.change) ? pct(p.change, 0) : "a change from 0") : "";
  return (
    <Dialog open={p !== null} modalType="alert">
      <DialogSurface aria-describedby="seg-fc-approval-text">
        <DialogBody>
          <DialogTitle>Second approval needed</DialogTitle>
          <DialogContent className={styles.stack}>
            {p && (
              <Text id="seg-fc-approval-text" className={styles.wrap}>
                {p.user} asks to change {p.sku} T+{p.k} from {fixed(p.base, 1)} to {fixed(p.value, 1)} ({change}), beyond {p.segment}&apos;s cap of ±{pct(p.cap, 0)}. Reason: {p.reason}. A second person
                approves with their name and reason (both are recorded in the audit trail).
              </Text>
            )}
            <Field label="Approver's name" required className={styles.field} validationState={fieldError("approver") ? "error" : "none"} validationMessage={fieldError("approver")}>
              <Input className={styles.control} input={{ className: styles.control }} value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
            <Field label="Approver's reason" required className={styles.field} validationState={fieldError("approvalReason") ? "error" : "none"} validationMessage={fieldError("approvalReason")}>
              <Textarea value={reason} onChange={(_, d) => setReason(d.value)} resize="vertical" />
            </Field>
          </DialogContent>
          <DialogActions fluid>
            <Button
              appearance="primary"
              disabled={common.running !== null}
              onClick={async () => {
                await actions.approve(name, reason);
                if (!session.getState().common.error) {
                  setName("");
                  setReason("");
                }
              }}
            >
              Approve
            </Button>
            <Button onClick={() => actions.cancelApproval()}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
