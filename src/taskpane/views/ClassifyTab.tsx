/** Classify tab: read the SKU table, map its columns, set the options, classify, see the preview. */
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Checkbox,
  Field,
  mergeClasses,
  Radio,
  RadioGroup,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { lazy, Suspense, useState } from "react";
import { columnLetters } from "../../app/a1";
import { FIELD_LABELS, MAPPING_FIELDS, POLICY_MAPPING_FIELDS, type MappingField } from "../../app/mapping";
import type { GroupRow, Preview, Spread } from "../../app/preview";
import { count, fixed, pct, plural } from "../format";
import { useSession, useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";
import { ParetoCurve, PatternQuadrant, SegmentMatrix } from "./PreviewCharts";

type PreviewBy = "segment" | "abc" | "xyz" | "pattern";
const PREVIEW_LABEL: Record<PreviewBy, string> = { segment: "Segment", abc: "ABC", xyz: "XYZ", pattern: "Pattern" };
const MAX_REJECTED_SHOWN = 200;
/** The criterion and dimension part (its own step), loaded when the tab first shows. */
const DimensionsSection = lazy(() => import("./DimensionsSection").then((m) => ({ default: m.DimensionsSection })));
/** Importing a transaction extract (its own step), loaded when the tab first shows. */
const ImportSection = lazy(() => import("./ImportSection").then((m) => ({ default: m.ImportSection })));
/** Reclassification and churn control (issue 11), loaded when the tab first shows. */
const ChurnSection = lazy(() => import("./ChurnSection").then((m) => ({ default: m.ChurnSection })));

export function ClassifyTab() {
  const [state, actions, common] = useStep("classify");
  const session = useSession();
  const styles = useCommonStyles();
  const { source, mapping, headers, options } = state;
  const busy = common.running !== null;
  const colLabel = (c: number) => `${columnLetters((source?.firstColumn ?? 0) + c)}: ${headers[c] || "(blank)"}`;

  const columnSelect = (label: string, value: number | null, onChange: (c: number | null) => void, allowNone = true) => (
    <Field label={label} key={label} className={styles.field}>
      <Select className={styles.control} value={value === null ? "" : String(value)} onChange={(_, d) => onChange(d.value === "" ? null : Number(d.value))} disabled={busy}>
        {allowNone && <option value="">(not mapped)</option>}
        {headers.map((_, c) => (
          <option key={c} value={String(c)}>
            {colLabel(c)}
          </option>
        ))}
      </Select>
    </Field>
  );
  const inferred = state.periodsInferred;

  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-source" className={styles.stack}>
        <Subtitle2 id="seg-source">1. SKU table</Subtitle2>
        <Text>Select the table of SKUs on a sheet (headers and rows), then read it.</Text>
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => actions.readSource("selection")} disabled={busy}>
            Read selection
          </Button>
          <Button onClick={() => actions.readSource("region")} disabled={busy}>
            Use current region
          </Button>
        </div>
        {source && !state.imported && (
          <Text role="status" className={styles.wrap}>
            {source.address}: {count(source.rows)} rows × {count(source.columns)} columns.
          </Text>
        )}
        {state.imported && (
          <Text role="status" className={styles.wrap}>
            Source: {state.imported.fileName}, {count(state.imported.histories)} histories × {count(state.imported.periods)} periods of {state.imported.calendar} ({state.imported.firstLabel} … {state.imported.lastLabel}).
          </Text>
        )}
      </section>
      {session.has("import") && (
        <Suspense fallback={null}>
          <ImportSection />
        </Suspense>
      )}

      {mapping && source && !state.imported && (
        <section aria-labelledby="seg-mapping" className={styles.stack}>
          <Subtitle2 id="seg-mapping">2. Columns</Subtitle2>
          {state.mappingRemembered && <Text className={styles.muted}>Using the mapping remembered for this sheet.</Text>}
          <Field label="Header row" className={styles.field} hint={state.detectedHeaderRow === null ? "No header row was recognised: choose it." : undefined}>
            <Select className={styles.control} value={String(mapping.headerRow)} onChange={(_, d) => actions.setHeaderRow(Number(d.value))} disabled={busy}>
              {state.rowPreviews.map((p, r) => (
                <option key={r} value={String(r)}>
                  Row {source.firstRow + r + 1}: {p.length > 40 ? `${p.slice(0, 40)}…` : p}
                </option>
              ))}
            </Select>
          </Field>
          <div className={styles.grid2}>
            {MAPPING_FIELDS.filter((f) => !POLICY_MAPPING_FIELDS.includes(f)).map((f: MappingField) => columnSelect(FIELD_LABELS[f], mapping.columns[f] ?? null, (c) => actions.setMappingField(f, c)))}
            {columnSelect("First history column", mapping.history?.first ?? null, (c) => actions.setHistory(c, c === null ? null : Math.max(c, mapping.history?.last ?? c)))}
            {columnSelect("Last history column", mapping.history?.last ?? null, (c) => actions.setHistory(c === null ? null : Math.min(c, mapping.history?.first ?? c), c))}
            {columnSelect("First promotion flag column", mapping.promotionFlags?.first ?? null, (c) => actions.setPromotionFlags(c, c === null ? null : Math.max(c, mapping.promotionFlags?.last ?? c)))}
            {columnSelect("Last promotion flag column", mapping.promotionFlags?.last ?? null, (c) => actions.setPromotionFlags(c === null ? null : Math.min(c, mapping.promotionFlags?.first ?? c), c))}
          </div>
          <Accordion collapsible defaultOpenItems={POLICY_MAPPING_FIELDS.some((f) => mapping.columns[f] != null) ? ["policy"] : []}>
            <AccordionItem value="policy">
              <AccordionHeader size="small">Policy columns (optional)</AccordionHeader>
              <AccordionPanel>
                <Text className={styles.muted} block>
                  Order multiples, MOQs, DC capacity, lifecycle, floors, suppliers and analogs for new SKUs. Problems in these cells do not stop Classify; they stop the Write (Policy tab).
                </Text>
                <div className={styles.grid2}>{POLICY_MAPPING_FIELDS.map((f: MappingField) => columnSelect(FIELD_LABELS[f], mapping.columns[f] ?? null, (c) => actions.setMappingField(f, c)))}</div>
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
          {mapping.history && (
            <Text className={mergeClasses(styles.muted, styles.wrap)}>
              Demand history: {count(mapping.history.last - mapping.history.first + 1)} periods ({colLabel(mapping.history.first)} … {colLabel(mapping.history.last)}), oldest first.
            </Text>
          )}
          {state.mappingProblems.length > 0 && (
            <ul className={styles.list} aria-label="Mapping problems" role="alert">
              {state.mappingProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </section>
      )}

      {mapping && (
        <section aria-labelledby="seg-options" className={styles.stack}>
          <Subtitle2 id="seg-options">3. Method and options</Subtitle2>
          <div className={styles.grid2}>
            <NumberField label="A up to cumulative share (%)" percent value={options.abcCutoffs[0]} onValue={(v) => actions.setOptions({ abcCutoffs: [v, options.abcCutoffs[1]] })} />
            <NumberField label="B up to cumulative share (%)" percent value={options.abcCutoffs[1]} onValue={(v) => actions.setOptions({ abcCutoffs: [options.abcCutoffs[0], v] })} />
            <NumberField label="X up to CV" step={0.05} value={options.xyzCutoffs[0]} onValue={(v) => actions.setOptions({ xyzCutoffs: [v, options.xyzCutoffs[1]] })} />
            <NumberField label="Y up to CV" step={0.05} value={options.xyzCutoffs[1]} onValue={(v) => actions.setOptions({ xyzCutoffs: [options.xyzCutoffs[0], v] })} />
            <Field label="Standard deviation" className={styles.field}>
              <Select className={styles.control} value={options.sdType} onChange={(_, d) => actions.setOptions({ sdType: d.value as "population" | "sample" })}>
                <option value="population">Population (÷ n)</option>
                <option value="sample">Sample (÷ n − 1)</option>
              </Select>
            </Field>
            <NumberField
              label="Periods per year"
              value={options.periodsPerYear}
              onValue={(v) => actions.setOptions({ periodsPerYear: v })}
              hint={inferred && inferred.periodsPerYear === options.periodsPerYear ? `From the headers: ${inferred.basis}` : inferred ? `Headers suggest ${inferred.periodsPerYear} (${inferred.basis})` : "Headers show no dates: 52 weekly, 12 monthly"}
            />
            <NumberField
              label="Demand window (periods)"
              value={options.demandWindow ?? Number.NaN}
              allowBlank
              onValue={(v) => actions.setOptions({ demandWindow: Number.isNaN(v) ? null : v })}
              hint="Blank: the whole history"
            />
            <NumberField
              label="Inactive after (periods)"
              value={options.inactiveAfter ?? Number.NaN}
              allowBlank
              onValue={(v) => actions.setOptions({ inactiveAfter: Number.isNaN(v) ? null : v })}
              hint={`Blank: one year (${options.periodsPerYear})`}
            />
            <NumberField label="Pattern ADI cut-off" step={0.01} value={options.pattern.adi} onValue={(v) => actions.setOptions({ pattern: { ...options.pattern, adi: v } })} />
            <NumberField label="Pattern CV² cut-off" step={0.01} value={options.pattern.cv2} onValue={(v) => actions.setOptions({ pattern: { ...options.pattern, cv2: v } })} />
          </div>
          <Checkbox
            label="Leave demand outliers out of the CV (Hampel filter)"
            checked={options.outliers.enabled}
            onChange={(_, d) => actions.setOptions({ outliers: { ...options.outliers, enabled: d.checked === true } })}
          />
          {options.outliers.enabled && (
            <div className={styles.grid2}>
              <NumberField label="Half-width (periods)" value={options.outliers.halfWidth} onValue={(v) => actions.setOptions({ outliers: { ...options.outliers, halfWidth: v } })} />
              <NumberField label="Threshold (MADs)" value={options.outliers.threshold} onValue={(v) => actions.setOptions({ outliers: { ...options.outliers, threshold: v } })} />
            </div>
          )}
          {state.optionProblems.length > 0 && (
            <ul className={styles.list} aria-label="Option problems" role="alert">
              {state.optionProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <Suspense fallback={null}>
            <ChurnSection />
          </Suspense>
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => actions.classify()} disabled={busy || state.mappingProblems.length > 0 || state.optionProblems.length > 0 || state.churn.problems.length > 0}>
              Classify
            </Button>
          </div>
        </section>
      )}

      {state.preview && <PreviewSection preview={state.preview} />}
      {session.has("dimensions") && (
        <Suspense fallback={null}>
          <DimensionsSection />
        </Suspense>
      )}
    </div>
  );
}

function PreviewSection({ preview }: { preview: Preview }) {
  const styles = useCommonStyles();
  const [by, setBy] = useState<PreviewBy>("segment");
  const rows = by === "segment" ? preview.bySegment : by === "abc" ? preview.byAbc : by === "xyz" ? preview.byXyz : preview.byPattern;
  return (
    <section aria-labelledby="seg-preview" className={styles.stack}>
      <Subtitle2 id="seg-preview">4. Preview</Subtitle2>
      <PreviewSummary preview={preview} />
      <SegmentMatrix preview={preview} />
      <ParetoCurve preview={preview} />
      <PatternQuadrant preview={preview} />
      <RadioGroup layout="horizontal" value={by} onChange={(_, d) => setBy(d.value as PreviewBy)} aria-label="Group the table by">
        {(Object.keys(PREVIEW_LABEL) as PreviewBy[]).map((k) => (
          <Radio key={k} value={k} label={PREVIEW_LABEL[k]} />
        ))}
      </RadioGroup>
      <GroupTable rows={rows} label={PREVIEW_LABEL[by]} />
      <CvTable preview={preview} />
      <Rejected preview={preview} />
    </section>
  );
}

function PreviewSummary({ preview }: { preview: Preview }) {
  const window = preview.windowPeriods === preview.periods ? `all ${count(preview.periods)} periods` : `the last ${count(preview.windowPeriods)} of ${count(preview.periods)} periods`;
  const parts = [
    `${plural(preview.skus, "SKU")} classified from ${count(preview.rowsRead)} rows`,
    preview.rejected.length ? `${count(preview.rejected.length)} rejected` : "none rejected",
    preview.inactive ? `${count(preview.inactive)} inactive (not ranked${preview.inactivePinned ? `; ${count(preview.inactivePinned)} pinned, so still planned` : ", no reorder point"})` : "",
    preview.cvUndefined ? `${count(preview.cvUndefined)} without demand in the window (XYZ class N)` : "",
    preview.pinned ? `${count(preview.pinned)} pinned` : "",
    preview.changedVsCurrent !== null ? `${count(preview.changedVsCurrent)} change ABC class` : "",
    preview.outlierPeriods ? `${count(preview.outlierPeriods)} outlier periods replaced` : "",
    preview.overrides.active ? `${count(preview.overrides.active)} overridden${preview.overrides.flagged ? ` (${count(preview.overrides.flagged)} flagged: computed segment changed)` : ""}` : "",
    `statistics over ${window}`,
  ].filter(Boolean);
  return <Text role="status">{parts.join("; ")}.</Text>;
}

function GroupTable({ rows, label }: { rows: GroupRow[]; label: string }) {
  const styles = useCommonStyles();
  return (
    <div className={styles.tableWrap}>
      <Table size="small" aria-label={`SKUs and value share by ${label}`} className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{label}</TableHeaderCell>
            <TableHeaderCell className={styles.num}>SKUs</TableHeaderCell>
            <TableHeaderCell className={styles.num}>Value share</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.key}>
              <TableCell className={styles.wrap}>{r.key}</TableCell>
              <TableCell className={styles.num}>{count(r.count)}</TableCell>
              <TableCell className={styles.num}>{pct(r.valueShare)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function CvTable({ preview }: { preview: Preview }) {
  const styles = useCommonStyles();
  const rows: [string, Spread | null][] = [["All", preview.cv.all], ...(["X", "Y", "Z"] as const).map((k) => [k, preview.cv.byXyz[k]] as [string, Spread | null])];
  return (
    <div className={styles.tableWrap}>
      <Table size="small" aria-label="CV spread" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>CV</TableHeaderCell>
            <TableHeaderCell className={styles.num}>SKUs</TableHeaderCell>
            <TableHeaderCell className={styles.num}>Median</TableHeaderCell>
            <TableHeaderCell className={styles.num}>Middle half</TableHeaderCell>
            <TableHeaderCell className={styles.num}>Max</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map(([k, s]) => (
            <TableRow key={k}>
              <TableCell>{k}</TableCell>
              <TableCell className={styles.num}>{count(s?.count ?? 0)}</TableCell>
              <TableCell className={styles.num}>{fixed(s?.median)}</TableCell>
              <TableCell className={styles.num}>{s ? `${fixed(s.p25)}–${fixed(s.p75)}` : "–"}</TableCell>
              <TableCell className={styles.num}>{fixed(s?.max)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function Rejected({ preview }: { preview: Preview }) {
  const styles = useCommonStyles();
  const n = preview.rejected.length;
  if (n === 0) return <Text>No rows were rejected.</Text>;
  const counts = new Map<string, number>();
  preview.rejected.forEach((r) => counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1));
  return (
    <div className={styles.stack}>
      <Text weight="semibold" id="seg-rejected">
        Rejected rows ({[...counts].map(([k, v]) => `${count(v)} ${k}`).join(", ")}): fix them on the sheet and classify again.
      </Text>
      <ul className={styles.list} aria-labelledby="seg-rejected">
        {preview.rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => (
          <li key={r.address + r.reason}>{r.message}</li>
        ))}
      </ul>
      {n > MAX_REJECTED_SHOWN && <Text className={styles.muted}>… and {count(n - MAX_REJECTED_SHOWN)} more.</Text>}
    </div>
  );
}
