/**
 * The pictures of the preview: the 3×3 ABC×XYZ matrix (SKUs, % of SKUs, % of value, shaded by
 * value share), the Pareto curve of every SKU, and the demand-pattern quadrant (ADI × CV² with the
 * count in each quadrant). Charts are @fluentui/react-charts, sized to the pane's width.
 * Presentation only: every figure comes from the preview (src/app/preview.ts).
 */
import { LineChart, ScatterChart, type ChartProps } from "../charts";
import { makeStyles, Subtitle2, Text, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import type { Preview } from "../../app/preview";
import { count, pct } from "../format";

const useStyles = makeStyles({
  matrix: { width: "100%", borderCollapse: "separate", borderSpacing: "2px", tableLayout: "fixed" },
  corner: { width: "22px" },
  head: { fontWeight: tokens.fontWeightSemibold, textAlign: "center", color: tokens.colorNeutralForeground2 },
  cell: {
    padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalXXS}`,
    textAlign: "center",
    borderRadius: tokens.borderRadiusSmall,
    lineHeight: tokens.lineHeightBase200,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: "anywhere",
  },
  seg: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  chart: { width: "100%", minWidth: 0, overflow: "hidden" },
  quadrants: { display: "grid", gridTemplateColumns: "1fr 1fr", gap: "2px", fontSize: tokens.fontSizeBase200 },
  quad: { padding: tokens.spacingVerticalXXS, textAlign: "center", backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusSmall },
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

export function SegmentMatrix({ preview }: { preview: Preview }) {
  const styles = useStyles();
  const max = Math.max(1e-12, ...preview.matrix.flat().map((c) => c.valueShare));
  return (
    <section aria-labelledby="seg-matrix-title">
      <Subtitle2 id="seg-matrix-title" as="h3">
        ABC × XYZ
      </Subtitle2>
      <table className={styles.matrix} aria-label="SKUs and value share per ABC×XYZ segment">
        <thead>
          <tr>
            <th className={styles.corner} />
            {["X", "Y", "Z"].map((x) => (
              <th key={x} scope="col" className={styles.head}>
                {x}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.matrix.map((row, r) => (
            <tr key={r}>
              <th scope="row" className={styles.head}>
                {"ABC"[r]}
              </th>
              {row.map((c) => {
                // shade by value share: the darkest cell holds the most value
                const alpha = 0.12 + 0.78 * (c.valueShare / max);
                const dark = alpha > 0.55;
                return (
                  <td
                    key={c.segment}
                    className={styles.cell}
                    data-segment={c.segment}
                    style={{ backgroundColor: `rgba(15, 108, 189, ${alpha.toFixed(3)})`, color: dark ? "#ffffff" : undefined }}
                    aria-label={`${c.segment}: ${count(c.count)} SKUs, ${pct(c.skuShare)} of SKUs, ${pct(c.valueShare)} of value`}
                  >
                    <div className={styles.seg}>{c.segment}</div>
                    <div>{count(c.count)} SKUs</div>
                    <div>{pct(c.skuShare, 0)} SKUs</div>
                    <div>{pct(c.valueShare, 0)} value</div>
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

export function ParetoCurve({ preview }: { preview: Preview }) {
  const styles = useStyles();
  const [ref, width] = useWidth();
  const data: ChartProps = {
    chartTitle: "Pareto curve",
    lineChartData: [
      {
        legend: "Cumulative value share",
        data: preview.pareto.map((p) => ({ x: p.skuShare * 100, y: p.valueShare * 100 })),
        color: tokens.colorBrandBackground,
      },
    ],
  };
  const a = preview.byAbc.find((g) => g.key === "A");
  return (
    <section aria-labelledby="seg-pareto-title" className={styles.chart} ref={ref}>
      <Subtitle2 id="seg-pareto-title" as="h3">
        Pareto curve
      </Subtitle2>
      <Text size={200} block>
        {a ? `${pct(a.count / Math.max(1, preview.active), 0)} of the active SKUs (class A) hold ${pct(a.valueShare, 0)} of the value.` : ""}
      </Text>
      <LineChart data={data} width={width} height={200} xAxisTitle="% of SKUs" yAxisTitle="% of value" yMaxValue={100} yMinValue={0} hideLegend culture={navigatorLocale()} />
    </section>
  );
}

export function PatternQuadrant({ preview }: { preview: Preview }) {
  const styles = useStyles();
  const [ref, width] = useWidth();
  const { points, quadrants, adiCutoff, cv2Cutoff } = preview.patterns;
  const colours: Record<string, string> = { smooth: "#107c10", erratic: "#ca5010", intermittent: "#0f6cbd", lumpy: "#8764b8" };
  const data: ChartProps = {
    chartTitle: "Demand patterns",
    scatterChartData: (["smooth", "erratic", "intermittent", "lumpy"] as const).map((p) => ({
      legend: p,
      color: colours[p],
      data: points.filter((x) => x.pattern === p).map((x) => ({ x: Math.min(x.adi, 20), y: Math.min(x.cv2, 5), markerSize: 3 })),
    })),
  };
  const q = (p: string) => count(quadrants.find((x) => x.pattern === p)?.count ?? 0);
  return (
    <section aria-labelledby="seg-pattern-title" className={styles.chart} ref={ref}>
      <Subtitle2 id="seg-pattern-title" as="h3">
        Demand patterns (ADI × CV²)
      </Subtitle2>
      <div className={styles.quadrants} aria-label="SKUs per demand pattern">
        <div className={styles.quad}>erratic: {q("erratic")}</div>
        <div className={styles.quad}>lumpy: {q("lumpy")}</div>
        <div className={styles.quad}>smooth: {q("smooth")}</div>
        <div className={styles.quad}>intermittent: {q("intermittent")}</div>
      </div>
      <Text size={200} block>
        Cut-offs: ADI {adiCutoff} (right: intermittent side), CV² {cv2Cutoff} (up: erratic side).{points.length < quadrants.reduce((s, x) => s + x.count, 0) ? ` ${count(points.length)} SKUs plotted.` : ""}
      </Text>
      {points.length > 0 && <ScatterChart data={data} width={width} height={200} xAxisTitle="ADI (periods)" yAxisTitle="CV²" culture={navigatorLocale()} />}
    </section>
  );
}

export function navigatorLocale(): string | undefined {
  return typeof navigator !== "undefined" ? navigator.language : undefined;
}
