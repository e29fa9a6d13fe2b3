/**
 * Streaming CSV reading for the pane's import step (a File in the browser, read in the worker)
 * and for Node, with papaparse (RFC 4180: quotes, doubled quotes, embedded line breaks; the
 * delimiter is sniffed unless stated). Rows arrive in blocks and are appended to text columns,
 * so a large extract never exists as one array of row objects; progress is reported in bytes.
 *
 * papaparse is passed in (the composition root does `import Papa from "papaparse"`), so this
 * module carries no import of it and its tests can drive it with any parser of the same shape.
 * All cells are read as text (dynamicTyping off): numbers and dates are read by the engine under
 * the stated locale and date format (src/engine/numbers.ts, dates.ts), never guessed here.
 * Line numbers: the header is line 1, the first data row line 2 (rows with embedded line breaks
 * count as one row). Blank lines are skipped.
 */

/** The part of papaparse used here. */
export interface PapaLike {
  parse(
    input: unknown,
    config: {
      header: false;
      dynamicTyping: false;
      skipEmptyLines: "greedy";
      delimiter?: string;
      chunkSize?: number;
      chunk(results: { data: string[][]; errors: { row?: number; message: string }[]; meta: { cursor: number; delimiter: string } }, parser: { abort(): void }): void;
      complete(): void;
      error(err: Error): void;
    },
  ): void;
}

export interface CsvColumns {
  headers: string[];
  /** One text array per header. */
  columns: string[][];
  rows: number;
  delimiter: string;
  /** Rows whose cell count differs from the header's: "line 12: 5 cells, the header has 6". */
  problems: string[];
}

export interface CsvReadOptions {
  delimiter?: string;
  /** Total size in bytes, for progress (File.size). */
  size?: number;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  signal?: { aborted: boolean };
  /** Stop with an error past this many rows (the pane's budget, src/io/budget.ts). */
  maxRows?: number;
  chunkSize?: number;
}

export function readCsvColumns(papa: PapaLike, input: unknown, options: CsvReadOptions = {}): Promise<CsvColumns> {
  return new Promise((resolve, reject) => {
    let headers: string[] | null = null;
    let columns: string[][] = [];
    let rows = 0;
    let delimiter = options.delimiter ?? "";
    const problems: string[] = [];
    let failed = false;
    const fail = (e: Error, parser?: { abort(): void }) => {
      failed = true;
      parser?.abort();
      reject(e);
    };
    papa.parse(input, {
      header: false,
      dynamicTyping: false,
      skipEmptyLines: "greedy",
      delimiter: options.delimiter,
      chunkSize: options.chunkSize ?? 1 << 20,
      chunk(results, parser) {
        if (failed) return;
        if (options.signal?.aborted) {
          const e = new Error("the import was cancelled; nothing was changed");
          e.name = "AbortError";
          fail(e, parser);
          return;
        }
        delimiter = results.meta.delimiter;
        let data = results.data;
        if (headers === null) {
          if (data.length === 0) return;
          headers = data[0].map((h) => String(h ?? "").trim());
          columns = headers.map(() => []);
          data = data.slice(1);
        }
        const width = headers.length;
        for (let r = 0; r < data.length; r++) {
          const row = data[r];
          if (row.length !== width && problems.length < 100) problems.push(`line ${rows + 2}: ${row.length} cells, the header has ${width}`);
          for (let c = 0; c < width; c++) columns[c].push(row[c] ?? "");
          rows++;
        }
        if (options.maxRows !== undefined && rows > options.maxRows) {
          fail(new Error(`the file has more than ${options.maxRows} rows, over the pane's budget: use the command-line tool (npx seg classify ...)`), parser);
          return;
        }
        options.onProgress?.(results.meta.cursor, options.size ?? results.meta.cursor);
      },
      complete() {
        if (failed) return;
        if (headers === null) {
          reject(new Error("the file is empty: no header row"));
          return;
        }
        resolve({ headers, columns, rows, delimiter, problems });
      },
      error(err) {
        if (!failed) fail(err);
      },
    });
  });
}
