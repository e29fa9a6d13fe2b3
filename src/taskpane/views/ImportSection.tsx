/**
 * The import part of the Classify tab (its own step, "import"; loaded when the tab first shows):
 * open a CSV or XLSX transaction extract from the computer, preview and map it, state how it is
 * read and bucketed, and bucket it in the worker. Rules live in src/app/steps/import.ts.
 */
import { Button, Checkbox, Field, Input, mergeClasses, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { useRef, useState } from "react";
import { SEGMENTATION_ATTRIBUTES, type SegmentationAttribute } from "../../engine/attributes";
import type { NegativeRule } from "../../engine/bucket";
import type { DateFormat } from "../../engine/dates";
import type { NumberLocaleName } from "../../engine/numbers";
import type { Calendar } from "../../engine/periods";
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ImportField } from "../../app/importSource";
import type { ImportFile } from "../../app/importRead";
import { count } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

const MAX_REJECTED_SHOWN = 50;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

type CalendarChoice = "isoWeek" | "month" | "fiscalMonth" | "4-4-5" | "4-5-4" | "5-4-4" | "nrf";

function calendarChoice(c: Calendar): CalendarChoice {
  if (c.kind === "fiscalWeeks") return c.yearEndMonth === 1 && c.weekEndDay === 6 && c.rule === "nearest" && c.pattern === "4-5-4" && c.yearLabel === "start" ? "nrf" : c.pattern;
  return c.kind;
}

function calendarOf(choice: CalendarChoice, current: Calendar): Calendar {
  switch (choice) {
    case "isoWeek":
      return { kind: "isoWeek" };
    case "month":
      return { kind: "month" };
    case "fiscalMonth":
      return { kind: "fiscalMonth", startMonth: current.kind === "fiscalMonth" ? current.startMonth : 4, yearLabel: "end" };
    case "nrf":
      return { kind: "fiscalWeeks", pattern: "4-5-4", yearEndMonth: 1, weekEndDay: 6, rule: "nearest", yearLabel: "start" };
    default:
      return { kind: "fiscalWeeks", pattern: choice, yearEndMonth: current.kind === "fiscalWeeks" ? current.yearEndMonth : 12, weekEndDay: current.kind === "fiscalWeeks" ? current.weekEndDay : 6, rule: "last", yearLabel: "end" };
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toLocaleString(undefined, { maximumFractionDigits: 1 })} MB`;
}

export function ImportSection() {
  const [state, actions, common] = useStep("import");
  const styles = useCommonStyles();
  const input = useRef<HTMLInputElement>(null);
  const busy = common.running !== null;
  const { file, mapping, headers, options, bucketed } = state;
  const excluded = new Set(options.excludeOrderTypes.map((t) => t.trim().toLowerCase()));
  const mapped = mapping ? IMPORT_FIELDS.filter((f) => mapping[f] !== null) : [];
  const cal = options.calendar;

  return (
    <section aria-labelledby="seg-import" className={styles.stack}>
      <Subtitle2 id="seg-import">Or import a transaction extract</Subtitle2>
      <Text className={styles.wrap}>
        A CSV or XLSX file from this computer, one row per transaction (SKU, date, quantity). It is read here in the pane; nothing is uploaded. Up to {megabytes(state.budgetBytes / 3)} of CSV.
      </Text>
      <input
        ref={input}
        type="file"
        accept=".csv,.txt,.tsv,.xlsx"
        aria-label="Transaction extract file"
        style={{ display: "none" }}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) void actions.openFile(f as ImportFile);
        }}
      />
      <div className={styles.row}>
        <Button onClick={() => input.current?.click()} disabled={busy}>
          Open a file…
        </Button>
        {file && (
          <Button appearance="subtle" onClick={() => actions.clear()} disabled={busy}>
            Close the file
          </Button>
        )}
      </div>
      {state.refused && (
        <div role="alert" className={styles.stack}>
          <Text className={styles.wrap}>{state.refused.message.split(state.refused.command)[0]}</Text>
          <Text className={styles.wrap}>
            <code aria-label="Command to run instead">{state.refused.command}</code>
          </Text>
        </div>
      )}
      {file && mapping && (
        <>
          <Text role="status" className={styles.wrap}>
            {file.name}: {count(file.rows)} rows × {count(headers.length)} columns ({megabytes(file.size)}).
          </Text>
          {state.readProblems.length > 0 && (
            <ul className={styles.list} aria-label="Rows with the wrong number of cells">
              {state.readProblems.slice(0, 10).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className={styles.grid2}>
            {IMPORT_FIELDS.map((f: ImportField) => (
              <Field key={f} label={IMPORT_FIELD_LABELS[f]} className={styles.field}>
                <Select className={styles.control} value={mapping[f] === null ? "" : String(mapping[f])} onChange={(_, d) => actions.setMappingField(f, d.value === "" ? null : Number(d.value))} disabled={busy}>
                  <option value="">(not mapped)</option>
                  {headers.map((h, c) => (
                    <option key={c} value={String(c)}>
                      {h || `(column ${c + 1})`}
                    </option>
                  ))}
                </Select>
              </Field>
            ))}
          </div>
          {state.mappingRemembered && <Text className={styles.muted}>Using the mapping remembered for these headers.</Text>}
          {mapped.length > 0 && (
            <div className={styles.tableWrap}>
              <Table size="small" aria-label="First rows of the file" className={styles.table}>
                <TableHeader>
                  <TableRow>
                    {mapped.slice(0, 4).map((f) => (
                      <TableHeaderCell key={f} className={styles.wrap}>
                        {IMPORT_FIELD_LABELS[f].replace(" (optional)", "")}
                      </TableHeaderCell>
                    ))}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {state.previewRows.map((row, r) => (
                    <TableRow key={r}>
                      {mapped.slice(0, 4).map((f) => (
                        <TableCell key={f} className={styles.wrap}>
                          {row[mapping[f]!]}
                        </TableCell>
                      ))}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
          {state.mappingProblems.length > 0 && (
            <ul className={styles.list} aria-label="Import mapping problems" role="alert">
              {state.mappingProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className={styles.grid2}>
            <Field label="Periods" className={styles.field}>
              <Select className={styles.control} value={calendarChoice(cal)} onChange={(_, d) => actions.setOptions({ calendar: calendarOf(d.value as CalendarChoice, cal) })} disabled={busy}>
                <option value="isoWeek">ISO weeks</option>
                <option value="month">Calendar months</option>
                <option value="fiscalMonth">Fiscal months</option>
                <option value="4-4-5">4-4-5 fiscal weeks</option>
                <option value="4-5-4">4-5-4 fiscal weeks</option>
                <option value="5-4-4">5-4-4 fiscal weeks</option>
                <option value="nrf">NRF retail 4-5-4</option>
              </Select>
            </Field>
            {cal.kind === "fiscalMonth" && (
              <Field label="Fiscal year starts in" className={styles.field}>
                <Select className={styles.control} value={String(cal.startMonth)} onChange={(_, d) => actions.setOptions({ calendar: { ...cal, startMonth: Number(d.value) } })} disabled={busy}>
                  {MONTHS.map((m, i) => (
                    <option key={m} value={String(i + 1)}>
                      {m}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            {cal.kind === "fiscalWeeks" && calendarChoice(cal) !== "nrf" && (
              <Field label="Fiscal year ends in" className={styles.field}>
                <Select className={styles.control} value={String(cal.yearEndMonth)} onChange={(_, d) => actions.setOptions({ calendar: { ...cal, yearEndMonth: Number(d.value) } })} disabled={busy}>
                  {MONTHS.map((m, i) => (
                    <option key={m} value={String(i + 1)}>
                      last Saturday of {m}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            <Field label="Date format" className={styles.field}>
              <Select className={styles.control} value={options.dateFormat} onChange={(_, d) => actions.setOptions({ dateFormat: d.value as DateFormat })} disabled={busy}>
                <option value="auto">Detect (one form per column)</option>
                <option value="iso">yyyy-mm-dd</option>
                <option value="dmy">d/m/yyyy</option>
                <option value="mdy">m/d/yyyy</option>
                <option value="named">d-Mon-yyyy</option>
              </Select>
            </Field>
            <Field label="Number format" className={styles.field}>
              <Select className={styles.control} value={options.numberLocale} onChange={(_, d) => actions.setOptions({ numberLocale: d.value as NumberLocaleName })} disabled={busy}>
                <option value="en">1,234.5 (English)</option>
                <option value="de">1.234,5 (German)</option>
                <option value="fr">1 234,5 (French)</option>
                <option value="ch">1&apos;234.5 (Swiss)</option>
                <option value="plain">1234.5 (no separator)</option>
              </Select>
            </Field>
            <Field label="Negative quantities (returns)" className={styles.field}>
              <Select className={styles.control} value={options.negatives} onChange={(_, d) => actions.setOptions({ negatives: d.value as NegativeRule })} disabled={busy}>
                <option value="exclude">Leave out (demand stays)</option>
                <option value="net">Net in their period</option>
                <option value="reject">Reject the row</option>
              </Select>
            </Field>
            <Field label="Source system" className={styles.field}>
              <Input className={styles.control} value={options.sourceName} onChange={(_, d) => actions.setOptions({ sourceName: d.value })} disabled={busy} />
            </Field>
          </div>
          {mapping.location !== null && <Checkbox label="One history per SKU and location" checked={options.byLocation} onChange={(_, d) => actions.setOptions({ byLocation: d.checked === true })} disabled={busy} />}
          {state.orderTypes.length > 0 && (
            <fieldset className={styles.stack} style={{ border: "none", padding: 0, margin: 0, minWidth: 0 }}>
              <legend>
                <Text weight="semibold">Order types to count as demand</Text>
              </legend>
              {state.orderTypes.map((t) => (
                <Checkbox
                  key={t.type}
                  label={`${t.type || "(blank)"}: ${count(t.rows)} rows`}
                  checked={!excluded.has(t.type.trim().toLowerCase())}
                  onChange={(_, d) => actions.setOrderTypeIncluded(t.type, d.checked === true)}
                  disabled={busy}
                />
              ))}
            </fieldset>
          )}
          <div className={styles.grid2}>
            <NumberField
              label="Freshness limit (days)"
              value={options.maxAgeDays ?? Number.NaN}
              allowBlank
              onValue={(v) => actions.setOptions({ maxAgeDays: Number.isNaN(v) ? null : v })}
              hint="Blank: no limit"
              disabled={busy}
            />
            <NumberField label="Allowed data lag (days)" value={options.cycle.maxLagDays} onValue={(v) => actions.setOptions({ cycle: { ...options.cycle, maxLagDays: v } })} hint="After the last period, at the cycle date" disabled={busy} />
          </div>
          <Checkbox label="Also write the history as the Demand history sheet" checked={options.writeHistory} onChange={(_, d) => actions.setOptions({ writeHistory: d.checked === true })} disabled={busy} />
          {state.optionProblems.length > 0 && (
            <ul className={styles.list} aria-label="Import option problems" role="alert">
              {state.optionProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => actions.bucket()} disabled={busy || state.mappingProblems.length > 0 || state.optionProblems.length > 0}>
              Bucket into periods
            </Button>
          </div>
          <SourcesPart />
          {bucketed && (
            <div className={styles.stack}>
              <Text role="status" className={styles.wrap}>
                {count(bucketed.n)} histories × {count(bucketed.periods)} periods ({bucketed.labels[0]} … {bucketed.labels[bucketed.labels.length - 1]}): {bucketed.summary}.
              </Text>
              {bucketed.rejected.length > 0 && (
                <>
                  <Text weight="semibold" id="seg-import-rejected">
                    Rejected rows ({count(bucketed.counts.rejected)}): fix them in the extract and open it again.
                  </Text>
                  <ul className={mergeClasses(styles.list)} aria-labelledby="seg-import-rejected">
                    {bucketed.rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => (
                      <li key={r.row}>{r.message}</li>
                    ))}
                  </ul>
                  {bucketed.counts.rejected > MAX_REJECTED_SHOWN && <Text className={styles.muted}>… and {count(bucketed.counts.rejected - MAX_REJECTED_SHOWN)} more.</Text>}
                </>
              )}
            </div>
          )}
        </>
      )}
      <RunQuality />
    </section>
  );
}

/** Hierarchy sources and their priority, the attribute dictionary and the mapping profiles. */
function SourcesPart() {
  const [state, actions, common] = useStep("import");
  const styles = useCommonStyles();
  const busy = common.running !== null;
  const master = useRef<HTMLInputElement>(null);
  const [profile, setProfile] = useState(state.profileName ?? state.options.sourceName);
  const [attr, setAttr] = useState<SegmentationAttribute>("family");
  const [entry, setEntry] = useState({ system: "", field: "", owner: "", refreshSla: "P1D" });
  return (
    <div className={styles.stack}>
      <Text weight="semibold">Hierarchy sources, strongest first</Text>
      <ol className={styles.list} aria-label="Source priority">
        {state.priority.map((p, i) => (
          <li key={p}>
            <span className={styles.wrap}>{p}</span>{" "}
            <Button size="small" appearance="subtle" aria-label={`Move ${p} up`} disabled={busy || i === 0} onClick={() => actions.movePriority(p, -1)}>
              Up
            </Button>
            <Button size="small" appearance="subtle" aria-label={`Move ${p} down`} disabled={busy || i === state.priority.length - 1} onClick={() => actions.movePriority(p, 1)}>
              Down
            </Button>
          </li>
        ))}
      </ol>
      <input
        ref={master}
        type="file"
        accept=".csv,.txt,.tsv,.xlsx"
        aria-label="Master-data file"
        style={{ display: "none" }}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) void actions.addMasterFile(f as ImportFile);
        }}
      />
      <div className={styles.row}>
        <Button onClick={() => master.current?.click()} disabled={busy}>
          Add a master-data file…
        </Button>
      </div>
      {state.masters.map((m) => (
        <Text key={m.source} className={styles.wrap}>
          {m.source}: {m.fileName}, {count(m.rows)} rows.{" "}
          <Button size="small" appearance="subtle" onClick={() => actions.removeMaster(m.source)} disabled={busy}>
            Remove
          </Button>
        </Text>
      ))}
      <Text weight="semibold">Attribute dictionary</Text>
      {state.attributes.length === 0 && <Text className={styles.muted}>No attribute described yet: name where each comes from, its owner and how often it must be refreshed.</Text>}
      <ul className={styles.list} aria-label="Attribute dictionary">
        {state.attributes.map((a) => (
          <li key={a.attribute}>
            {a.attribute}: {a.system} {a.field}, owner {a.owner}, refresh {a.refreshSla}{" "}
            <Button size="small" appearance="subtle" onClick={() => actions.removeAttribute(a.attribute)} disabled={busy}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <div className={styles.grid2}>
        <Field label="Attribute" className={styles.field}>
          <Select className={styles.control} value={attr} onChange={(_, d) => setAttr(d.value as SegmentationAttribute)} disabled={busy}>
            {SEGMENTATION_ATTRIBUTES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="System" className={styles.field}>
          <Input className={styles.control} value={entry.system} onChange={(_, d) => setEntry({ ...entry, system: d.value })} disabled={busy} />
        </Field>
        <Field label="Field" className={styles.field}>
          <Input className={styles.control} value={entry.field} onChange={(_, d) => setEntry({ ...entry, field: d.value })} disabled={busy} />
        </Field>
        <Field label="Owner (data steward)" className={styles.field}>
          <Input className={styles.control} value={entry.owner} onChange={(_, d) => setEntry({ ...entry, owner: d.value })} disabled={busy} />
        </Field>
        <Field label="Refresh SLA" hint="P1D daily, PT6H, P1W" className={styles.field}>
          <Input className={styles.control} value={entry.refreshSla} onChange={(_, d) => setEntry({ ...entry, refreshSla: d.value })} disabled={busy} />
        </Field>
      </div>
      <div className={styles.row}>
        <Button onClick={() => actions.setAttribute({ attribute: attr, ...entry })} disabled={busy}>
          Add to the dictionary
        </Button>
      </div>
      <Text weight="semibold">Mapping profiles</Text>
      <div className={styles.grid2}>
        <Field label="Profile name" className={styles.field}>
          <Input className={styles.control} value={profile} onChange={(_, d) => setProfile(d.value)} disabled={busy} />
        </Field>
        {state.profiles.length > 0 && (
          <Field label="Saved profiles" className={styles.field}>
            <Select className={styles.control} value={state.profileName ?? ""} onChange={(_, d) => d.value && actions.loadProfile(d.value)} disabled={busy}>
              <option value="">(choose to apply)</option>
              {state.profiles.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      <div className={styles.row}>
        <Button onClick={() => actions.saveProfile(profile)} disabled={busy}>
          Save as profile
        </Button>
      </div>
      {state.profileProblems.length > 0 && (
        <ul className={styles.list} aria-label="Profile problems" role="alert">
          {state.profileProblems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The data-quality report of the last classification (stale inputs, latency, freshness, conflicts). */
function RunQuality() {
  const [classify] = useStep("classify");
  const styles = useCommonStyles();
  const facts = classify.run?.facts;
  if (!facts || facts.dataQuality.length === 0) return null;
  return (
    <div className={styles.stack}>
      <Text weight="semibold" id="seg-data-quality">
        Data quality of this run{facts.dataOk ? "" : ": needs attention"}
      </Text>
      <ul className={styles.list} aria-labelledby="seg-data-quality">
        {facts.dataQuality.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </div>
  );
}
