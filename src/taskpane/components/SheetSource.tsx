/**
 * Reading a side table from a sheet and mapping its columns (the finance sheet of the Reconcile
 * step, the actuals of the Performance step): Read / Use current region, what was read, one
 * drop-down per field listing the columns by letter and header, and the mapping's problems.
 * Presentation only: the step's slice reads, proposes the mapping and checks it.
 */
import { Button, Field, Select, Text } from "@fluentui/react-components";
import { columnLetters } from "../../app/a1";
import { count } from "../format";
import { useCommonStyles } from "../views/common";

export interface SheetSourceProps<F extends string> {
  /** The primary button's label, e.g. "Read finance sheet". */
  readLabel: string;
  busy: boolean;
  onRead(kind: "selection" | "region"): void;
  source: { address: string; rows: number; columns: number; firstColumn: number } | null;
  headers: readonly string[];
  fields: readonly F[];
  labels: Record<F, string>;
  /** The mapping's column per field (index into headers); null before anything is read. */
  columns: Record<F, number | null> | null;
  onField(field: F, column: number | null): void;
  problems: readonly string[];
  /** Accessible name of the problems list, e.g. "Finance mapping problems". */
  problemsLabel: string;
}

export function SheetSource<F extends string>(p: SheetSourceProps<F>) {
  const styles = useCommonStyles();
  const columns = p.columns;
  return (
    <>
      <div className={styles.row}>
        <Button appearance="primary" onClick={() => p.onRead("selection")} disabled={p.busy}>
          {p.readLabel}
        </Button>
        <Button onClick={() => p.onRead("region")} disabled={p.busy}>
          Use current region
        </Button>
      </div>
      {p.source && (
        <Text role="status" className={styles.wrap}>
          {p.source.address}: {count(p.source.rows)} rows × {count(p.source.columns)} columns.
        </Text>
      )}
      {columns && (
        <div className={styles.grid2}>
          {p.fields.map((f) => (
            <Field key={f} label={p.labels[f]} className={styles.field}>
              <Select className={styles.control} value={columns[f] === null ? "" : String(columns[f])} onChange={(_, d) => p.onField(f, d.value === "" ? null : Number(d.value))} disabled={p.busy}>
                <option value="">(not mapped)</option>
                {p.headers.map((h, c) => (
                  <option key={c} value={String(c)}>
                    {columnLetters((p.source?.firstColumn ?? 0) + c)}: {h || "(blank)"}
                  </option>
                ))}
              </Select>
            </Field>
          ))}
        </div>
      )}
      {p.problems.length > 0 && (
        <ul className={styles.list} role="alert" aria-label={p.problemsLabel}>
          {p.problems.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
    </>
  );
}
