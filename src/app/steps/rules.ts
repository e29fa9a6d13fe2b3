/**
 * The Rules step: an editable, ordered table of business rules (one condition on an attribute of
 * the SKU table → a segment, a service level or a policy), kept in the workbook settings and part
 * of the segmentation model (its version). The Classify step applies them after churn control
 * (src/app/rulesApply.ts); problems name the rule, and a table with problems stops Classify and
 * the Write with nothing written.
 */
import { IMPORTED_RULE_FIELDS, ruleFieldNames, ruleTableProblems, type RuleRow } from "../rulesApply";
import { defineStep } from "../step";

export const RULES_SETTING = "seg.rules";

export interface RulesState {
  rows: RuleRow[];
  /** Attribute names rules may use (the read table's columns outside the history, and "History periods"). */
  fields: string[];
  problems: string[];
}

export interface RulesActions {
  add(row: RuleRow): Promise<void>;
  update(index: number, patch: Partial<RuleRow>): Promise<void>;
  remove(index: number): Promise<void>;
  /** Moves a rule up (-1) or down (+1) in the order. */
  move(index: number, by: -1 | 1): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    rules: RulesState;
  }
  interface StepActions {
    rules: RulesActions;
  }
}

export const rulesStep = defineStep({
  key: "rules",
  create(ctx) {
    const settings = ctx.gateway.settings;
    const stored = settings.get<RuleRow[]>(RULES_SETTING) ?? [];
    const fieldsNow = () => {
      const c = ctx.peek("classify");
      if (c?.imported) return [...IMPORTED_RULE_FIELDS];
      return c ? ruleFieldNames(c.headers, c.mapping) : [];
    };
    const check = (rows: RuleRow[], fields: string[]) => (fields.length > 1 ? ruleTableProblems(rows, fields) : ruleTableProblems(rows, rows.map((r) => r.field)));

    async function save(rows: RuleRow[]): Promise<void> {
      const fields = fieldsNow();
      ctx.set({ rows, fields, problems: check(rows, fields) });
      await settings.set(RULES_SETTING, rows);
    }

    // the read table decides which attributes exist
    ctx.store.subscribe(() => {
      const fields = fieldsNow();
      const s = ctx.state();
      if (fields.join("\u0000") !== s.fields.join("\u0000")) ctx.set({ fields, problems: check(s.rows, fields) });
    });

    const actions: RulesActions = {
      add: (row) => save([...ctx.state().rows, row]),
      update: (index, patch) => save(ctx.state().rows.map((r, i) => (i === index ? { ...r, ...patch } : r))),
      remove: (index) => save(ctx.state().rows.filter((_, i) => i !== index)),
      move: (index, by) => {
        const rows = [...ctx.state().rows];
        const j = index + by;
        if (j < 0 || j >= rows.length) return Promise.resolve();
        [rows[index], rows[j]] = [rows[j], rows[index]];
        return save(rows);
      },
    };

    ctx.contribute({
      key: "rules",
      sheets: [],
      blockers: () => ctx.state().problems.map((p) => `Rules: ${p}`),
      contribute: () => ({ plans: [] }),
    });

    return { initial: { rows: stored, fields: [], problems: check(stored, stored.map((r) => r.field)) }, actions };
  },
});
