/**
 * The Classify step's side of an imported extract (the import step, src/app/steps/import.ts): when
 * histories are bucketed, Classify takes them as its source (no sheet range, no column mapping:
 * the import mapped the file), with periods a year from the import's calendar; its Classify button
 * then runs the same classification job on them. Kept out of classify.ts so that the two stay
 * small; classify.ts calls these two functions.
 */
import { classifyOptionProblems, type RunInput } from "../classifyTypes";
import { calendarWords, hasUnitCost, importedTable } from "../importSource";
import { emptyMapping } from "../mapping";
import type { StepContext } from "../step";
import type { TaskContext } from "../store";
import type { ClassifyState } from "./classify";

export interface ImportedSource {
  fileName: string;
  histories: number;
  periods: number;
  /** "ISO weeks (…)", with the first and last period labels. */
  calendar: string;
  firstLabel: string;
  lastLabel: string;
  /** False: no unit cost mapped, ABC ranks annual units. */
  unitCost: boolean;
  /** describeBucketCounts of the import. */
  summary: string;
}

/** The Classify state for the import step's bucketed histories (null when there are none). */
export function importedSourceState(ctx: StepContext<"classify">): Partial<ClassifyState> | null {
  const imp = ctx.peek("import");
  const h = imp?.bucketed;
  if (!imp || !h || !imp.file) return null;
  const s = ctx.state();
  const options = { ...s.options, periodsPerYear: h.periodsPerYear };
  const imported: ImportedSource = {
    fileName: imp.file.name,
    histories: h.n,
    periods: h.periods,
    calendar: calendarWords(imp.options.calendar),
    firstLabel: h.labels[0] ?? "",
    lastLabel: h.labels[h.labels.length - 1] ?? "",
    unitCost: hasUnitCost(h),
    summary: h.summary,
  };
  return {
    imported,
    source: { sheetName: imp.file.name, address: imp.file.name, firstRow: 0, firstColumn: 0, rows: h.n, columns: h.periods },
    headers: [],
    rowPreviews: [],
    detectedHeaderRow: null,
    mapping: emptyMapping(0),
    mappingProblems: [],
    mappingRemembered: false,
    options,
    optionProblems: classifyOptionProblems(options),
    periodsInferred: { periodsPerYear: h.periodsPerYear, basis: imported.calendar },
    periodsSetByHand: false,
    preview: null,
    run: null,
  };
}

/** Classifies the imported histories under the current options; null when the import is gone. */
export async function importedRun(ctx: StepContext<"classify">, s: ClassifyState, task: TaskContext): Promise<RunInput | null> {
  const imp = ctx.peek("import");
  const h = imp?.bucketed;
  if (!h || !s.imported) throw new Error("The imported extract is no longer bucketed (its mapping or options changed): bucket it again above.");
  if (s.optionProblems.length) throw new Error(s.optionProblems[0]);
  const options = s.options;
  const parsed = importedTable(h, options, s.imported.fileName);
  const result = await ctx.runner.run("classify", { parsed, options }, { signal: task.signal, onProgress: task.progress });
  const n = (x: number) => x.toLocaleString();
  const inactive = result.inactive.reduce((a, b) => a + b, 0);
  ctx.store.notice(
    `Classified ${n(parsed.n)} ${h.location.some(Boolean) ? "SKU-locations" : "SKUs"} from ${s.imported.fileName}${inactive ? ` (${n(inactive)} inactive)` : ""}${s.imported.unitCost ? "" : "; no unit cost mapped, so ABC ranks annual units"}. Check the preview, then write from the Write tab.`,
  );
  return { sourceAddress: s.imported.fileName, mapping: emptyMapping(0), options, parsed, result };
}
