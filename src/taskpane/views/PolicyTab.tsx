/** Policy tab: the per-segment grid and the cost/lead-time defaults behind the per-SKU policies. */
import { Button, Field, Select, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import { policyProblems, type SafetyStockMethod, type SegmentPolicy } from "../../engine/policy";
import { usePane } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

export function PolicyTab() {
  const [state, session] = usePane();
  const styles = useCommonStyles();
  const po = state.policyOptions;
  const problemFor = (p: SegmentPolicy, word: string) => policyProblems(p).find((m) => m.includes(word));
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-grid" className={styles.stack}>
        <Subtitle2 id="seg-grid">Policy per segment</Subtitle2>
        <Text>
          Service level is a cycle service level for method CSL and a fill rate for method Fill. Review period 0 = continuous review with an EOQ lot; above 0 = periodic review every
          that many periods. Targets are written with the policy for reporting.
        </Text>
        <div className={styles.tableWrap}>
          <Table size="small" aria-label="Policy per segment">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Segment</TableHeaderCell>
                <TableHeaderCell>Service level (%)</TableHeaderCell>
                <TableHeaderCell>Method</TableHeaderCell>
                <TableHeaderCell>Review period</TableHeaderCell>
                <TableHeaderCell>Fill rate target (%)</TableHeaderCell>
                <TableHeaderCell>Turns target</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {state.grid.map((p) => (
                <TableRow key={p.segment}>
                  <TableCell>{p.segment}</TableCell>
                  <TableCell>
                    <NumberField
                      className={styles.gridInput}
                      hideLabel
                      label={`${p.segment} service level (%)`}
                      percent
                      value={p.serviceLevel}
                      problem={problemFor(p, "service level")}
                      onValue={(v) => session.setGridCell(p.segment, "serviceLevel", v)}
                    />
                  </TableCell>
                  <TableCell>
                    <Field>
                      <Select aria-label={`${p.segment} method`} value={p.method} onChange={(_, d) => session.setGridCell(p.segment, "method", d.value as SafetyStockMethod)}>
                        <option value="csl">CSL</option>
                        <option value="fill">Fill</option>
                      </Select>
                    </Field>
                  </TableCell>
                  <TableCell>
                    <NumberField
                      className={styles.gridInput}
                      hideLabel
                      label={`${p.segment} review period`}
                      value={p.reviewPeriod}
                      problem={problemFor(p, "review period")}
                      onValue={(v) => session.setGridCell(p.segment, "reviewPeriod", v)}
                    />
                  </TableCell>
                  <TableCell>
                    <NumberField
                      className={styles.gridInput}
                      hideLabel
                      label={`${p.segment} fill rate target (%)`}
                      percent
                      value={p.fillRateTarget}
                      problem={problemFor(p, "fill rate target")}
                      onValue={(v) => session.setGridCell(p.segment, "fillRateTarget", v)}
                    />
                  </TableCell>
                  <TableCell>
                    <NumberField
                      className={styles.gridInput}
                      hideLabel
                      label={`${p.segment} turns target`}
                      value={p.turnsTarget}
                      problem={problemFor(p, "turns target")}
                      onValue={(v) => session.setGridCell(p.segment, "turnsTarget", v)}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
        <div className={styles.row}>
          <Button onClick={() => session.resetGrid()}>Reset to defaults</Button>
        </div>
      </section>
      <section aria-labelledby="seg-policy-options" className={styles.stack}>
        <Subtitle2 id="seg-policy-options">Defaults for every SKU</Subtitle2>
        <div className={styles.grid2}>
          <NumberField label="Lead time when blank (periods)" value={po.defaultLeadTime} onValue={(v) => session.setPolicyOptions({ defaultLeadTime: v })} />
          <NumberField label="Lead-time sd when blank (periods)" value={po.defaultLeadTimeSd} onValue={(v) => session.setPolicyOptions({ defaultLeadTimeSd: v })} />
          <NumberField label="Cost per order" value={po.orderCost} onValue={(v) => session.setPolicyOptions({ orderCost: v })} />
          <NumberField label="Holding cost per year (% of unit cost)" percent value={po.holdingRate} onValue={(v) => session.setPolicyOptions({ holdingRate: v })} />
        </div>
        {state.policyOptionProblems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Policy option problems">
            {state.policyOptionProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
