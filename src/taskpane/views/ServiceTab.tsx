/**
 * Service tab: agreements per customer tier (a small form per tier, saved with the workbook), the
 * floors and the conflicts with the policy grid, and service terms from contract clauses as a list
 * of cards (clause text with the terms' spans highlighted, each term with its confidence and
 * Accept / Correct / Reject), sized for a 320–350 px pane. Reads useStep("service") only.
 */
import { Button, Field, Input, makeStyles, Select, Subtitle2, Text, tokens, mergeClasses } from "@fluentui/react-components";
import { useState } from "react";
import { columnLetters } from "../../app/a1";
import { describeTerm, highlightParts, termKey, type ClauseCard } from "../../app/contractClauses";
import type { SlaMeasure } from "../../engine/sla";
import type { ExtractedTerm } from "../../engine/contracts/terms";
import { count, pct } from "../format";
import { useStep } from "../usePane";
import { NumberField, useCommonStyles } from "./common";

const PAGE = 10;

const useStyles = makeStyles({
  cards: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, margin: 0, padding: 0, listStyleType: "none", minWidth: 0 },
  card: {
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    minWidth: 0,
    overflowWrap: "anywhere",
  },
  clause: { whiteSpace: "pre-wrap", overflowWrap: "anywhere", lineHeight: tokens.lineHeightBase300 },
  mark: { backgroundColor: tokens.colorPaletteYellowBackground2, color: tokens.colorNeutralForeground1, borderRadius: tokens.borderRadiusSmall, paddingLeft: "1px", paddingRight: "1px" },
  term: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalS, borderLeft: `3px solid ${tokens.colorNeutralStroke1}`, minWidth: 0 },
  accepted: { borderLeft: `3px solid ${tokens.colorPaletteGreenBorder2}` },
  rejected: { borderLeft: `3px solid ${tokens.colorNeutralStrokeDisabled}`, color: tokens.colorNeutralForeground3 },
  agreement: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalS, minWidth: 0 },
});

export function ServiceTab() {
  const [state, actions] = useStep("service");
  const styles = useCommonStyles();
  const own = useStyles();
  return (
    <div className={styles.stack}>
      <section aria-labelledby="seg-sla" className={styles.stack}>
        <Subtitle2 id="seg-sla">Service agreements per customer tier</Subtitle2>
        <Text className={styles.wrap}>
          Each tier&apos;s agreement is the minimum service for the segments that serve its customers: the strictest tier served sets the floor. Levels in percent; measure CSL compares with the
          segment&apos;s cycle service level, fill rate and OTIF with its fill rate target.
        </Text>
        <ul className={own.cards} aria-label="Service agreements">
          {state.agreements.map((a, i) => (
            <li key={i} className={own.agreement} aria-label={`Tier ${a.tier}`}>
              <div className={styles.grid2}>
                <Field label="Tier" className={styles.field}>
                  <Input className={styles.control} value={a.tier} onChange={(_, d) => actions.updateAgreement(i, { tier: d.value })} />
                </Field>
                <NumberField label="Service level (%)" percent value={a.serviceLevel} onValue={(v) => actions.updateAgreement(i, { serviceLevel: v })} />
                <Field label="Measure" className={styles.field}>
                  <Select className={styles.control} value={a.measure} onChange={(_, d) => actions.updateAgreement(i, { measure: d.value as SlaMeasure })}>
                    <option value="fill">Fill rate</option>
                    <option value="otif">OTIF</option>
                    <option value="csl">Cycle service level</option>
                  </Select>
                </Field>
                <Field label="Contract (optional)" className={styles.field}>
                  <Input className={styles.control} value={a.source ?? ""} onChange={(_, d) => actions.updateAgreement(i, { source: d.value || undefined })} />
                </Field>
              </div>
              <Button size="small" onClick={() => actions.removeAgreement(i)} aria-label={`Remove tier ${a.tier}`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <div className={styles.row}>
          <Button onClick={() => actions.addAgreement()}>Add a tier</Button>
        </div>
        {state.agreementProblems.length > 0 && (
          <ul className={styles.list} role="alert" aria-label="Agreement problems">
            {state.agreementProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="seg-sla-conflicts" className={styles.stack}>
        <Subtitle2 id="seg-sla-conflicts">Floors and conflicts with the policy grid</Subtitle2>
        {state.served === null ? (
          <Text className={styles.wrap}>
            Segment the order lines (Classify tab, with the Customer id and a tier column, or with accepted contract terms below) and classify the SKU table to see which segments serve which
            tiers.
          </Text>
        ) : (
          <>
            <Text role="status" className={styles.wrap}>
              Customer tiers: {count(state.tierCounts.fromContracts)} from accepted contract terms, {count(state.tierCounts.mapped)} from the mapped tier column.{" "}
              {Object.keys(state.served).length} segment(s) serve a tier.
            </Text>
            {state.floors.length > 0 && (
              <ul className={styles.list} aria-label="Service floors">
                {state.floors.map((f) => (
                  <li key={f.segment + f.measure}>
                    {f.segment}: at least {pct(f.minServiceLevel)} {f.measure === "csl" ? "cycle service level" : f.measure === "fill" ? "fill rate" : "OTIF"} (tier {f.tier})
                  </li>
                ))}
              </ul>
            )}
            {state.conflicts.length ? (
              <ul className={styles.list} role="alert" aria-label="Conflicts with the policy grid">
                {state.conflicts.map((c) => (
                  <li key={c.message}>{c.message}</li>
                ))}
              </ul>
            ) : (
              <Text>No conflict with the policy grid.</Text>
            )}
          </>
        )}
      </section>

      <ContractTerms />
    </div>
  );
}

function ContractTerms() {
  const [state, actions, common] = useStep("service");
  const styles = useCommonStyles();
  const own = useStyles();
  const busy = common.running !== null;
  const [shown, setShown] = useState(PAGE);
  const m = state.clauseMapping;
  const src = state.clauseSource;
  const colSelect = (label: string, field: "clause" | "customer" | "contract", value: number | null) => (
    <Field label={label} className={styles.field}>
      <Select className={styles.control} value={value === null ? "" : String(value)} onChange={(_, d) => actions.setClauseColumn(field, d.value === "" ? null : Number(d.value))} disabled={busy}>
        <option value="">(not mapped)</option>
        {state.clauseHeaders.map((h, c) => (
          <option key={c} value={String(c)}>
            {columnLetters((src?.firstColumn ?? 0) + c)}: {h || "(blank)"}
          </option>
        ))}
      </Select>
    </Field>
  );
  const cards = state.cards ?? [];
  return (
    <section aria-labelledby="seg-contracts" className={styles.stack}>
      <Subtitle2 id="seg-contracts">Service terms from contracts</Subtitle2>
      <Text className={styles.wrap}>
        Select the clauses (one cell per clause or per contract) with a customer column. Fill rates, OTIF, lead times, penalties and cut-off times are read by a documented English rule grammar;
        clauses in another language are flagged and left empty. Accepted fill-rate and OTIF terms put the customer in the least demanding tier that meets them.
      </Text>
      <div className={styles.row}>
        <Button onClick={() => actions.readClauses("selection")} disabled={busy}>
          Read clauses
        </Button>
        <Button onClick={() => actions.readClauses("region")} disabled={busy}>
          Clauses: current region
        </Button>
      </div>
      {src && (
        <Text role="status" className={styles.wrap}>
          Clauses {src.address}: {count(src.rows)} rows.
        </Text>
      )}
      {m && (
        <>
          <div className={styles.grid2}>
            {colSelect("Clause text", "clause", m.clause)}
            {colSelect("Customer", "customer", m.customer)}
            {colSelect("Contract id", "contract", m.contract)}
          </div>
          {state.clauseProblems.length > 0 && (
            <ul className={styles.list} role="alert" aria-label="Clause mapping problems">
              {state.clauseProblems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className={styles.row}>
            <Button appearance="primary" onClick={() => actions.extract()} disabled={busy || state.clauseProblems.length > 0}>
              Extract terms
            </Button>
          </div>
        </>
      )}
      {state.customerTiers.length > 0 && (
        <ul className={styles.list} aria-label="Customer tiers from contracts">
          {state.customerTiers.map((t) => (
            <li key={t.customer}>
              {t.customer}: {t.tier ? `tier ${t.tier}` : "no tier"}
              {t.requirement !== null ? ` (requires ${pct(t.requirement)})` : ""}
              {t.note ? ` — ${t.note}` : ""}
            </li>
          ))}
        </ul>
      )}
      {cards.length > 0 && (
        <>
          <ul className={own.cards} aria-label="Extracted terms">
            {cards.slice(0, shown).map((card, ci) => (
              <ClauseCardView key={card.address} card={card} index={ci} />
            ))}
          </ul>
          {cards.length > shown && (
            <div className={styles.row}>
              <Button onClick={() => setShown(shown + PAGE)}>
                Show {Math.min(PAGE, cards.length - shown)} more of {count(cards.length - shown)}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ClauseCardView({ card, index }: { card: ClauseCard; index: number }) {
  const [state] = useStep("service");
  const own = useStyles();
  return (
    <li className={own.card} aria-label={`Clause ${card.address}`}>
      <Text weight="semibold" size={200}>
        {card.customer || "(no customer)"}
        {card.contract ? ` · ${card.contract}` : ""} · {card.address}
      </Text>
      <Text className={own.clause} data-clause>
        {highlightParts(
          card.text,
          card.terms.filter((t) => state.decisions[termKey(card.address, t)]?.status !== "rejected"),
        ).map((p, i) => (p.mark ? <mark key={i} className={own.mark}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
      </Text>
      {card.flagged && (
        <Text role="note" size={200}>
          Flagged: {card.flagged}.
        </Text>
      )}
      {!card.flagged && card.terms.length === 0 && <Text size={200}>No service term found.</Text>}
      {card.terms.map((t, ti) => (
        <TermView key={termKey(card.address, t)} card={card} term={t} cardIndex={index} termIndex={ti} />
      ))}
    </li>
  );
}

function TermView({ card, term, cardIndex, termIndex }: { card: ClauseCard; term: ExtractedTerm; cardIndex: number; termIndex: number }) {
  const [state, actions, common] = useStep("service");
  const styles = useCommonStyles();
  const own = useStyles();
  const [editing, setEditing] = useState(false);
  const decision = state.decisions[termKey(card.address, term)];
  const [min, setMin] = useState(decision?.min ?? term.min ?? Number.NaN);
  const [max, setMax] = useState(decision?.max ?? term.max ?? Number.NaN);
  const shown = decision?.status === "accepted" ? { ...term, min: decision.min, max: decision.max } : term;
  const label = describeTerm(shown);
  const status = decision ? (decision.status === "accepted" ? (decision.corrected ? "accepted, corrected" : "accepted") : "rejected") : "to check";
  const problem = common.errorField === "correction" ? (common.error ?? undefined) : undefined;
  return (
    <div className={mergeClasses(own.term, decision?.status === "accepted" ? own.accepted : decision?.status === "rejected" ? own.rejected : "")} role="group" aria-label={`${label} (${status})`}>
      <Text weight="semibold">{label}</Text>
      <Text size={200}>
        From “{term.text}”; confidence {pct(term.confidence, 0)}; {status}.
      </Text>
      {editing ? (
        <>
          <div className={styles.grid2}>
            <NumberField label="Minimum" value={min} allowBlank problem={problem} onValue={setMin} />
            <NumberField label="Maximum" value={max} allowBlank onValue={setMax} />
          </div>
          <div className={styles.row}>
            <Button
              size="small"
              appearance="primary"
              onClick={() => {
                actions.accept(cardIndex, termIndex, { min: Number.isNaN(min) ? null : min, max: Number.isNaN(max) ? null : max });
                setEditing(false);
              }}
            >
              Accept corrected
            </Button>
            <Button size="small" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </>
      ) : (
        <div className={styles.row}>
          {decision ? (
            <Button size="small" onClick={() => actions.undecide(cardIndex, termIndex)} aria-label={`Undo: ${label}`}>
              Undo
            </Button>
          ) : (
            <>
              <Button size="small" appearance="primary" onClick={() => actions.accept(cardIndex, termIndex)} aria-label={`Accept: ${label}`}>
                Accept
              </Button>
              <Button size="small" onClick={() => setEditing(true)} aria-label={`Correct: ${label}`}>
                Correct
              </Button>
              <Button size="small" onClick={() => actions.reject(cardIndex, termIndex)} aria-label={`Reject: ${label}`}>
                Reject
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
