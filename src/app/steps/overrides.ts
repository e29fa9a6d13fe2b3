/**
 * The Overrides step: read the rows selected on the Segments sheet, set or clear an override with
 * a reason. An override to the segment a SKU already has is refused; one that touches more than
 * CONFIRM_ABOVE SKUs asks first. Messages summarise by count.
 */
import { skuList, type SelectedSku } from "../overrides";
import { defineStep } from "../step";

/** Overrides of more SKUs than this at once are confirmed first. */
export const CONFIRM_ABOVE = 25;

export interface PendingOverride {
  kind: "set" | "clear";
  segment: string | null;
  reason: string;
  count: number;
  /** "Override 250 SKUs (S001, S002, S003 and 247 more) to CX?" */
  text: string;
}

export interface OverridesState {
  selection: SelectedSku[] | null;
  /** A large change waiting for the planner's yes. */
  confirm: PendingOverride | null;
}

export interface OverridesActions {
  loadSelection(): Promise<void>;
  /** Sets the override; above CONFIRM_ABOVE SKUs it asks first unless `confirmed`. */
  setOverride(segment: string, reason: string, confirmed?: boolean): Promise<void>;
  clearOverride(reason: string, confirmed?: boolean): Promise<void>;
  /** Goes ahead with the change waiting for confirmation (or drops it). */
  confirm(yes: boolean): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    overrides: OverridesState;
  }
  interface StepActions {
    overrides: OverridesActions;
  }
}

export const overridesStep = defineStep({
  key: "overrides",
  create(ctx) {
    const initial: OverridesState = { selection: null, confirm: null };
    const service = ctx.overrides;

    /** Said after an override when the written run is no longer in the pane (it was reopened). */
    const laterNote = () => {
      const w = ctx.peek("write");
      if (w?.written || !w?.lastRun) return "";
      return ctx.publisher ? " The Policy sheet and the server's snapshot take it in at the next Write." : " The Policy sheet takes it in at the next Write.";
    };

    async function selection(): Promise<SelectedSku[]> {
      return ctx.state().selection ?? (await service.readSelection());
    }

    const actions: OverridesActions = {
      async loadSelection() {
        await ctx.task("Reading the selected SKUs", async () => {
          const rows = await service.readSelection();
          ctx.set({ selection: rows });
          ctx.store.notice(`${rows.length.toLocaleString()} SKU(s) selected on the Segments sheet: ${skuList(rows.map((r) => r.sku))}.`);
        });
      },

      async setOverride(segment, reason, confirmed = false) {
        await ctx.task("Setting the override", async () => {
          const rows = await selection();
          const seg = segment.trim().toUpperCase();
          if (!confirmed && rows.length > CONFIRM_ABOVE) {
            ctx.set({ selection: rows, confirm: { kind: "set", segment: seg, reason, count: rows.length, text: `Override ${rows.length.toLocaleString()} SKUs (${skuList(rows.map((r) => r.sku))}) to ${seg}?` } });
            return;
          }
          const change = await service.set(rows, seg, reason);
          ctx.set({ selection: null, confirm: null });
          await ctx.store.emit("auditAppended", change.rows);
          await ctx.store.emit("overridesChanged", change.skus.map((sku) => ({ sku, segment: seg })));
          const same = change.unchanged.length ? ` ${change.unchanged.length.toLocaleString()} already in ${seg} left as they were.` : "";
          ctx.store.notice(`Override to ${seg} set for ${change.skus.length.toLocaleString()} SKU(s): ${skuList(change.skus)}.${same}${laterNote()}`);
        });
      },

      async clearOverride(reason, confirmed = false) {
        await ctx.task("Removing the override", async () => {
          const rows = await selection();
          if (!confirmed && rows.length > CONFIRM_ABOVE) {
            ctx.set({ selection: rows, confirm: { kind: "clear", segment: null, reason, count: rows.length, text: `Remove the overrides of ${rows.length.toLocaleString()} selected SKUs (${skuList(rows.map((r) => r.sku))})?` } });
            return;
          }
          const change = await service.clear(rows, reason);
          ctx.set({ selection: null, confirm: null });
          await ctx.store.emit("auditAppended", change.rows);
          await ctx.store.emit("overridesChanged", change.skus.map((sku) => ({ sku, segment: null })));
          ctx.store.notice(`Override removed for ${change.skus.length.toLocaleString()} SKU(s): ${skuList(change.skus)}.${laterNote()}`);
        });
      },

      async confirm(yes) {
        const pending = ctx.state().confirm;
        ctx.set({ confirm: null });
        if (!pending) return;
        if (!yes) {
          ctx.store.notice("Nothing was changed.");
          return;
        }
        if (pending.kind === "set") await actions.setOverride(pending.segment ?? "", pending.reason, true);
        else await actions.clearOverride(pending.reason, true);
      },
    };
    return { initial, actions };
  },
});
