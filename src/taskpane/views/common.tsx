/** Small building blocks shared by the tabs. Presentation only. */
import { Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useId, useState } from "react";

export const useCommonStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, alignItems: "end" },
  grid2: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(150px, 1fr))", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS },
  small: { width: "110px" },
  gridInput: { width: "72px", minWidth: "64px" },
  tableWrap: { overflowX: "auto", maxWidth: "100%" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  muted: { color: tokens.colorNeutralForeground3 },
  cellTop: { verticalAlign: "top", paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, overflowWrap: "anywhere" },
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
}

function fmt(v: number, percent?: boolean): string {
  if (!Number.isFinite(v)) return "";
  return percent ? String(Math.round(v * 1e8) / 1e6) : String(v);
}

/** A labelled number input that keeps what the user types until it reads as a number. */
export function NumberField(props: NumberFieldProps) {
  const { label, value, onValue, hint, problem, step, min, max, className, disabled, percent, hideLabel } = props;
  const [text, setText] = useState(fmt(value, percent));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    const parsed = Number(text.replace(",", "."));
    const current = percent ? parsed / 100 : parsed;
    if (text.trim() === "" || Math.abs(current - value) > 1e-12) setText(fmt(value, percent));
  }, [value]);
  const message = bad ? `Type a number${percent ? " (a percentage, e.g. 95)" : ""}.` : problem;
  return (
    <Field label={hideLabel ? undefined : label} hint={hint} validationState={message ? "error" : "none"} validationMessage={message} className={className}>
      <Input
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

export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : "–";
}

export function fixed(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

export function useStableId(prefix: string): string {
  return `${prefix}${useId()}`;
}
