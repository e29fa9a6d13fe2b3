/** Classify tab: read the SKU table, map its columns, set the options, classify, see the preview. */
import {
  Button,
  Checkbox,
  Field,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { useState } from "react";
import { columnLetters } from "../../app/a1";
import { FIELD_LABELS, MAPPING_FIELDS, type MappingField } from "../../app/mapping";
import type { GroupRow, Preview, Spread } from "../../app/preview";
import { usePane } from "../usePane";
import { fixed, NumberField, pct, useCommonStyles } from "./common";

type PreviewBy = "segment" | "abc" | "xyz" | "pattern";
const PREVIEW_LABEL: Record<PreviewBy, string> = { segment: "ABC×XYZ (nine segments)", abc: "ABC", xyz: "XYZ", pattern: "Demand pattern" };
const MAX_REJECTED_SHOWN = 200;

export function ClassifyTab() {
  const [state, session] = usePane();
  const styles = useCommonStyles();
  const [by, setBy] = useState<PreviewBy>("segment");
  const { source, mapping, headers, options } = state;
  const busy = state.busy !== null;
  const colLabel = (c: number) => `${columnLetters((source?.firstColumn ?? 0) + c)}: ${headers[c] || "(blank)"}`;

  const columnSelect = (label: string, value: number | null, onChange: (c: number | null) => void, allowNone = true) => (
    <Field label={label} key={label}>
      <Select value={value === null ? "" : String(value)} onChange={(_, d) => onChange(d.value === "" ? null : Number(d.value))} disabled={busy}>
        {allowNone && <option value="">(not mapped)</option>}
        {headers.map((_, c) => (
          <option key={c} value={String(c)}>
            {colLabel(c)}
          </option>
        ))}
      </Select>
    </Field>
  );

  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-source" className={styles.stack}>
        <Subtitle2 id="seg-source">1. SKU table</Subtitle2>
        <Text>Select the table of SKUs on a sheet (headers and rows), then read it.</Text>
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => session.readSource("selection")} disabled={busy}>
            Read selection
          </Button>
          <Button onClick={() => session.readSource("region")} disabled={busy}>
            Use current region
          </Button>
          {state.busy === "reading" && <Spinner size="tiny" label="Reading…" />}
        </div>
        {source && (
          <Text role="status">
            {source.address}: {source.rows} rows × {source.columns} columns.
          </Text>
        )}
      </section>

      {mapping && source && (
        <section aria-labelledby="seg-mapping" className={styles.stack}>
          <Subtitle2 id="seg-mapping">2. Columns</Subtitle2>
          {state.mappingRemembered && <Text className={styles.muted}>Using the mapping remembered for this sheet.</Text>}
          <Field label="Header row" hint={state.detectedHeaderRow === null ? "No header row was recognised: choose it." : undefined}>
            <Select value={String(mapping.headerRow)} onChange={(_, d) => session.setHeaderRow(Number(d.value))} disabled={busy}>
              {state.rowPreviews.map((p, r) => (
                <option key={r} value={String(r)}>
                  Row {source.firstRow + r + 1}: {p}
                </option>
              ))}
            </Select>
          </Field>
          <div className={styles.grid2}>
            {MAPPING_FIELDS.map((f: MappingField) => columnSelect(FIELD_LABELS[f], mapping.columns[f], (c) => session.setMappingField(f, c)))}
            {columnSelect("First history column", mapping.history?.first ?? null, (c) => session.setHistory(c, c === null ? null : Math.max(c, mapping.history?.last ?? c)))}
            {columnSelect("Last history column", mapping.history?.last ?? null, (c) => session.setHistory(c === null ? null : Math.min(c, mapping.history?.first ?? c), c))}
          </div>
          {mapping.history && (
            <Text className={styles.muted}>
              Demand history: {mapping.history.last - mapping.history.first + 1} periods ({colLabel(mapping.history.first)} … {colLabel(mapping.history.last)}), oldest first.
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
            <NumberField label="A up to cumulative share (%)" percent value={options.abcCutoffs[0]} onValue={(v) => session.setOptions({ abcCutoffs: [v, options.abcCutoffs[1]] })} />
            <NumberField label="B up to cumulative share (%)" percent value={options.abcCutoffs[1]} onValue={(v) => session.setOptions({ abcCutoffs: [options.abcCutoffs[0], v] })} />
            <NumberField label="X up to CV" step={0.05} value={options.xyzCutoffs[0]} onValue={(v) => session.setOptions({ xyzCutoffs: [v, options.xyzCutoffs[1]] })} />
            <NumberField label="Y up to CV" step={0.05} value={options.xyzCutoffs[1]} onValue={(v) => session.setOptions({ xyzCutoffs: [options.xyzCutoffs[0], v] })} />
            <Field label="Standard deviation">
              <Select value={options.sdType} onChange={(_, d) => session.setOptions({ sdType: d.value as "population" | "sample" })}>
                <option value="population">Population (÷ n)</option>
                <option value="sample">Sample (÷ n − 1)</option>
              </Select>
            </Field>
            <NumberField label="Periods per year" value={options.periodsPerYear} onValue={(v) => session.setOptions({ periodsPerYear: v })} hint="52 weekly, 12 monthly" />
            <NumberField label="Pattern ADI cut-off" step={0.01} value={options.pattern.adi} onValue={(v) => session.setOptions({ pattern: { ...options.pattern, adi: v } })} />
            <NumberField label="Pattern CV² cut-off" step={0.01} value={options.pattern.cv2} onValue={(v) => session.setOptions({ pattern: { ...options.pattern, cv2: v } })} />
          </div>
          <Checkbox
            label="Leave demand outliers out of the CV (Hampel filter)"
            checked={options.outliers.enabled}
            onChange={(_, d) => session.setOptions({ outliers: { ...options.outliers, enabled: d.checked === true } })}
          />
          {options.outliers.enabled && (
            <div className={styles.row}>
              <NumberField className={styles.small} label="Half-width (periods)" value={options.outliers.halfWidth} onValue={(v) => session.setOptions({ outliers: { ...options.outliers, halfWidth: v } })} />
              <NumberField className={styles.small} label="Threshold (MADs)" value={options.outliers.threshold} onValue={(v) => session.setOptions({ outliers: { ...options.outliers, threshold: v } })} />
            </div>
          )}
          {state.optionProblems.length > 0 && (
            <ul className={styles.list} aria-label="Option problems" role="alert">
              {state.optionProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => session.classify()} disabled={busy || state.mappingProblems.length > 0 || state.optionProblems.length > 0}>
              Classify
            </Button>
            {state.busy === "classifying" && <Spinner size="tiny" label="Classifying…" />}
          </div>
        </section>
      )}

      {state.preview && (
        <section aria-labelledby="seg-preview" className={styles.stack}>
          <Subtitle2 id="seg-preview">4. Preview</Subtitle2>
          <PreviewSummary preview={state.preview} />
          <RadioGroup layout="horizontal" value={by} onChange={(_, d) => setBy(d.value as PreviewBy)} aria-label="Preview by">
            {(Object.keys(PREVIEW_LABEL) as PreviewBy[]).map((k) => (
              <Radio key={k} value={k} label={PREVIEW_LABEL[k]} />
            ))}
          </RadioGroup>
          <GroupTable rows={by === "segment" ? state.preview.bySegment : by === "abc" ? state.preview.byAbc : by === "xyz" ? state.preview.byXyz : state.preview.byPattern} label={PREVIEW_LABEL[by]} />
          <CvTable preview={state.preview} />
          <Rejected preview={state.preview} />
        </section>
      )}
    </div>
  );
}

function PreviewSummary({ preview }: { preview: Preview }) {
  const parts = [
    `${preview.skus} SKUs classified from ${preview.rowsRead} rows`,
    preview.rejected.length ? `${preview.rejected.length} rejected` : "none rejected",
    preview.cvUndefined ? `${preview.cvUndefined} without demand (XYZ class N)` : "",
    preview.pinned ? `${preview.pinned} pinned` : "",
    preview.changedVsCurrent !== null ? `${preview.changedVsCurrent} change ABC class` : "",
    preview.outlierPeriods ? `${preview.outlierPeriods} outlier periods replaced` : "",
    preview.overrides.active ? `${preview.overrides.active} overridden${preview.overrides.flagged ? ` (${preview.overrides.flagged} flagged: computed segment changed)` : ""}` : "",
  ].filter(Boolean);
  return <Text role="status">{parts.join("; ")}.</Text>;
}

function GroupTable({ rows, label }: { rows: GroupRow[]; label: string }) {
  const styles = useCommonStyles();
  return (
    <div className={styles.tableWrap}>
      <Table size="small" aria-label={`SKUs and value share by ${label}`}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Group</TableHeaderCell>
            <TableHeaderCell>SKUs</TableHeaderCell>
            <TableHeaderCell>Value share</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.key}>
              <TableCell>{r.key}</TableCell>
              <TableCell>{r.count}</TableCell>
              <TableCell>{pct(r.valueShare)}</TableCell>
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
      <Table size="small" aria-label="CV spread">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>CV</TableHeaderCell>
            <TableHeaderCell>SKUs</TableHeaderCell>
            <TableHeaderCell>Min</TableHeaderCell>
            <TableHeaderCell>25%</TableHeaderCell>
            <TableHeaderCell>Median</TableHeaderCell>
            <TableHeaderCell>75%</TableHeaderCell>
            <TableHeaderCell>Max</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map(([k, s]) => (
            <TableRow key={k}>
              <TableCell>{k}</TableCell>
              <TableCell>{s?.count ?? 0}</TableCell>
              <TableCell>{fixed(s?.min)}</TableCell>
              <TableCell>{fixed(s?.p25)}</TableCell>
              <TableCell>{fixed(s?.median)}</TableCell>
              <TableCell>{fixed(s?.p75)}</TableCell>
              <TableCell>{fixed(s?.max)}</TableCell>
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
        Rejected rows ({[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}): fix them on the sheet and classify again.
      </Text>
      <ul className={styles.list} aria-labelledby="seg-rejected">
        {preview.rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => (
          <li key={r.address + r.reason}>{r.message}</li>
        ))}
      </ul>
      {n > MAX_REJECTED_SHOWN && <Text className={styles.muted}>… and {n - MAX_REJECTED_SHOWN} more.</Text>}
    </div>
  );
}
