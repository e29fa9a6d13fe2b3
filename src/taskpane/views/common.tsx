/** Small building blocks shared by the tabs. Presentation only. */
import { Field, Input, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useEffect, useId, useState } from "react";

/*
 * Layout rules for a pane 320–350 px wide: every block may shrink (min-width 0), fields take the
 * width of their grid cell, two-column grids fall back to one column below ~290 px of content,
 * and long text wraps instead of widening the page.
 */
export const useCommonStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, alignItems: "end", minWidth: 0 },
  grid2: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 132px), 1fr))",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    minWidth: 0,
  },
  field: { minWidth: 0, maxWidth: "100%" },
  control: { width: "100%", minWidth: 0, maxWidth: "100%", boxSizing: "border-box" },
  small: { width: "120px", maxWidth: "100%" },
  tableWrap: { maxWidth: "100%", minWidth: 0, overflowX: "hidden" },
  table: { tableLayout: "fixed", width: "100%" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, overflowWrap: "anywhere" },
  muted: { color: tokens.colorNeutralForeground3 },
  wrap: { overflowWrap: "anywhere" },
  cellTop: { verticalAlign: "top", paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, overflowWrap: "anywhere" },
  num: { textAlign: "end", fontVariantNumeric: "tabular-nums" },
});

export interface NumberFieldProps {
  label: string;
  value: number;
  onValue: (v: number) => void;
  /** Shown under the field, e.g. the allowed range. */
  hint?: string;
  /** Message when the value is not acceptable (checked by the session), shown as an error. */
  problem?: string;
  step?: number;
  min?: number;
  max?: number;
  className?: string;
  disabled?: boolean;
  /** Show and edit as a percentage (0.95 shows as 95). */
  percent?: boolean;
  /** Keep the label for screen readers only (e.g. inside a table whose header says it). */
  hideLabel?: boolean;
  /** A blank field is a value (NaN: "not set") rather than an error. */
  allowBlank?: boolean;
}

function fmt(v: number, percent?: boolean): string {
  if (!Number.isFinite(v)) return "";
  return percent ? String(Math.round(v * 1e8) / 1e6) : String(v);
}

/** A labelled number input that keeps what the user types until it reads as a number. */
export function NumberField(props: NumberFieldProps) {
  const { label, value, onValue, hint, problem, step, min, max, className, disabled, percent, hideLabel, allowBlank } = props;
  const [text, setText] = useState(fmt(value, percent));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    const parsed = Number(text.replace(",", "."));
    const current = percent ? parsed / 100 : parsed;
    if (Number.isNaN(value) && Number.isNaN(current)) return;
    if (text.trim() === "" || Math.abs(current - value) > 1e-12) setText(fmt(value, percent));
  }, [value]);
  const styles = useCommonStyles();
  const message = bad ? `Type a number${percent ? " (a percentage, e.g. 95)" : ""}.` : problem;
  return (
    <Field label={hideLabel ? undefined : label} hint={hint} validationState={message ? "error" : "none"} validationMessage={message} className={mergeClasses(styles.field, className)}>
      <Input
        className={styles.control}
        input={{ className: styles.control }}
        contentAfter={percent ? <span aria-hidden="true">%</span> : undefined}
        type="number"
        inputMode="decimal"
        aria-label={hideLabel ? label : undefined}
        value={text}
        step={step}
        min={min}
        max={max}
        disabled={disabled}
        onChange={(_, d) => {
          setText(d.value);
          const n = Number(d.value.replace(",", "."));
          if (allowBlank && d.value.trim() === "") {
            setBad(false);
            onValue(Number.NaN);
            return;
          }
          if (d.value.trim() === "" || !Number.isFinite(n)) {
            setBad(true);
            return;
          }
          setBad(false);
          onValue(percent ? n / 100 : n);
        }}
      />
    </Field>
  );
}

export { bytes, count, fixed, pct } from "../format";

export function useStableId(prefix: string): string {
  return `${prefix}${useId()}`;
}
