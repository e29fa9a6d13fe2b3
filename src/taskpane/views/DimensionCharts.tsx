/**
 * Pictures of the segmentation beyond the SKU: the two-axis grid (its own 3×3, with a loss row or
 * column when margin is an axis) and the cost-to-serve per segment (share of revenue, of
 * cost-to-serve and of carbon side by side, out-of-proportion segments marked), sized to the pane.
 * Presentation only: every figure comes from the dimensions run (src/app/jobs/dimensions.ts).
 */
import { GroupedVerticalBarChart, type GroupedVerticalBarChartData } from "../charts";
import { makeStyles, Subtitle2, Text, tokens, mergeClasses } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import type { DimensionRunResult } from "../../app/dimensionTypes";
import { amount, count, fixed, pct } from "../format";

const useStyles = makeStyles({
  matrix: { width: "100%", borderCollapse: "separate", borderSpacing: "2px", tableLayout: "fixed" },
  corner: { width: "40px" },
  head: { fontWeight: tokens.fontWeightSemibold, textAlign: "center", color: tokens.colorNeutralForeground2, overflowWrap: "anywhere", fontSize: tokens.fontSizeBase200 },
  cell: { padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXXS}`, textAlign: "center", borderRadius: tokens.borderRadiusSmall, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200, overflowWrap: "anywhere" },
  seg: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  chart: { width: "100%", minWidth: 0, overflow: "hidden" },
  cards: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, margin: 0, padding: 0, listStyleType: "none" },
  card: {
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: "anywhere",
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXXS,
  },
  flagged: { border: `2px solid ${tokens.colorPaletteRedBorder2}` },
});

/** Width of an element, following resizes (charts draw at a fixed pixel width). */
export function useWidth(fallback = 280): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.floor(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function TwoAxisMatrix({ run, xName, yName }: { run: DimensionRunResult; xName: string; yName: string }) {
  const styles = useStyles();
  const second = run.second;
  if (!second) return null;
  const cells = new Map(second.grid.map((g) => [g.cell, g]));
  const max = Math.max(1e-12, ...second.grid.map((g) => g.xShare));
  return (
    <section aria-labelledby="seg-two-axis-title">
      <Subtitle2 id="seg-two-axis-title" as="h3">
        {xName} × {yName}
      </Subtitle2>
      <Text size={200} block>
        Rows: {xName.toLowerCase()} class; columns: {yName.toLowerCase()} class. Each cell: keys and its share of the first axis&apos;s total.
      </Text>
      <table className={styles.matrix} aria-label={`Keys per ${xName} × ${yName} cell`}>
        <thead>
          <tr>
            <th className={styles.corner} />
            {second.yLabels.map((y) => (
              <th key={y} scope="col" className={styles.head}>
                {y}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {second.xLabels.map((x) => (
            <tr key={x}>
              <th scope="row" className={styles.head}>
                {x}
              </th>
              {second.yLabels.map((y) => {
                const c = cells.get(x + y);
                const alpha = 0.12 + 0.78 * ((c?.xShare ?? 0) / max);
                return (
                  <td
                    key={y}
                    className={styles.cell}
                    data-cell={x + y}
                    style={{ backgroundColor: `rgba(15, 108, 189, ${alpha.toFixed(3)})`, color: alpha > 0.55 ? "#ffffff" : undefined }}
                    aria-label={`${x}${y}: ${count(c?.count ?? 0)} keys, ${pct(c?.xShare ?? 0)} of ${xName.toLowerCase()}, ${pct(c?.yShare ?? 0)} of ${yName.toLowerCase()}`}
                  >
                    <div className={styles.seg}>{x + y}</div>
                    <div>{count(c?.count ?? 0)}</div>
                    <div>{pct(c?.xShare ?? 0, 0)}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CostToServeChart({ run }: { run: DimensionRunResult }) {
  const styles = useStyles();
  const [ref, width] = useWidth();
  const cts = run.costToServe;
  if (!cts) return null;
  const carbon = new Map((cts.carbon ?? []).map((c) => [c.segment, c]));
  const shown = cts.segments.filter((g) => g.lines > 0);
  const data: GroupedVerticalBarChartData[] = shown.map((g) => ({
    name: g.segment,
    series: [
      { key: "revenue", data: Math.round((g.valueShare || 0) * 1000) / 10, legend: "Revenue share %", color: tokens.colorPaletteBlueBorderActive },
      { key: "cts", data: Math.round((g.costShare || 0) * 1000) / 10, legend: "Cost-to-serve share %", color: g.outOfProportion ? tokens.colorPaletteRedBorderActive : tokens.colorPaletteDarkOrangeBorderActive },
      ...(cts.carbon ? [{ key: "carbon", data: Math.round((carbon.get(g.segment)?.share || 0) * 1000) / 10, legend: "Carbon share %", color: tokens.colorPaletteGreenBorderActive }] : []),
    ],
  }));
  const flagged = shown.filter((g) => g.outOfProportion);
  return (
    <section aria-labelledby="seg-cts-title" className={styles.chart} ref={ref}>
      <Subtitle2 id="seg-cts-title" as="h3">
        Cost-to-serve per segment
      </Subtitle2>
      <Text size={200} block>
        Segments: {cts.basis}. Flagged when the share of cost-to-serve is more than {fixed(cts.threshold, 1)} × the share of revenue.
      </Text>
      <Text role="status" block>
        {flagged.length ? `Out of proportion: ${flagged.map((g) => `${g.segment} (${g.ratio === Infinity ? "no revenue" : `${fixed(g.ratio, 2)} ×`})`).join(", ")}.` : "No segment is out of proportion."}
      </Text>
      {data.length > 0 && <GroupedVerticalBarChart data={data} width={width} height={220} yAxisTitle="% of total" hideLabels barWidth="auto" culture={typeof navigator !== "undefined" ? navigator.language : undefined} />}
      <ul className={styles.cards} aria-label="Cost-to-serve per segment">
        {shown.map((g) => (
          <li key={g.segment} className={mergeClasses(styles.card, g.outOfProportion ? styles.flagged : "")} aria-label={`Segment ${g.segment}${g.outOfProportion ? ", out of proportion" : ""}`}>
            <Text weight="semibold">
              {g.segment}
              {g.outOfProportion ? " · out of proportion" : ""}
            </Text>
            <Text size={200}>
              Cost-to-serve {amount(g.costToServe)} ({pct(g.costShare)} of all, {pct(g.valueShare)} of revenue); {fixed(g.ctsPerUnit)} per unit
              {Number.isFinite(g.ctsPerOrder) ? `, ${fixed(g.ctsPerOrder)} per order` : ""}.
            </Text>
            <Text size={200}>
              {Number.isFinite(g.marginAfterCts) ? `Margin after cost-to-serve ${amount(g.marginAfterCts)}. ` : ""}
              {carbon.has(g.segment) ? `Carbon ${amount(carbon.get(g.segment)!.emissions)} kg CO2e (${pct(carbon.get(g.segment)!.share)}).` : ""}
            </Text>
          </li>
        ))}
      </ul>
    </section>
  );
}
