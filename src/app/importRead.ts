/**
 * Reading an extract the planner opened from the computer (a File from an <input type=file>), in
 * the pane: nothing is uploaded. CSV through papaparse (streamed by FileReader in the browser, in
 * 1 MB chunks, with progress in bytes; src/io/csv.ts), XLSX through fflate's streaming unzip
 * (src/io/xlsx.ts). Both libraries are imported on first use, so the pane's first bundle carries
 * neither. The first row is the header row; the columns come out as arrays of cells (CSV: text;
 * XLSX: text, numbers and date serials as Excel stored them).
 */
import type { PapaLike } from "../io/csv";
import type { FflateLike } from "../io/xlsx";
import type { FileCell } from "./importSource";

/** A file as the pane sees it (a browser File; in tests any Blob with a name). */
export interface ImportFile extends Blob {
  readonly name: string;
  readonly lastModified?: number;
}

export interface FileTable {
  kind: "csv" | "xlsx";
  headers: string[];
  columns: FileCell[][];
  rows: number;
  /** Rows whose cell count differs from the header's ("line 12: 5 cells, the header has 6"). */
  problems: string[];
}

export interface ReadFileOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: { aborted: boolean };
}

export function fileKind(name: string): "csv" | "xlsx" | null {
  if (/\.(csv|txt|tsv)$/i.test(name)) return "csv";
  if (/\.xlsx$/i.test(name)) return "xlsx";
  return null;
}

const CHUNK = 1 << 20;

/** The bytes of a Blob in chunks (Blob.arrayBuffer where there is one, else FileReader). */
async function* blobChunks(file: Blob): AsyncIterable<Uint8Array> {
  for (let at = 0; at < file.size; at += CHUNK) {
    const part = file.slice(at, Math.min(file.size, at + CHUNK));
    const buf: ArrayBuffer =
      typeof part.arrayBuffer === "function"
        ? await part.arrayBuffer()
        : await new Promise<ArrayBuffer>((resolve, reject) => {
            const r = new FileReader();
            r.onload = () => resolve(r.result as ArrayBuffer);
            r.onerror = () => reject(r.error ?? new Error("the file could not be read"));
            r.readAsArrayBuffer(part);
          });
    yield new Uint8Array(buf);
  }
}

async function readText(file: Blob): Promise<string> {
  if (typeof file.text === "function") return file.text();
  const dec = new TextDecoder();
  let s = "";
  for await (const c of blobChunks(file)) s += dec.decode(c, { stream: true });
  return s + dec.decode();
}

export async function readImportFile(file: ImportFile, options: ReadFileOptions = {}): Promise<FileTable> {
  const kind = fileKind(file.name);
  if (!kind) throw new Error(`${file.name}: open a .csv or .xlsx extract (other formats: save as CSV first).`);
  if (kind === "csv") {
    const [{ default: Papa }, { readCsvColumns }] = await Promise.all([import(/* webpackChunkName: "import" */ "papaparse"), import(/* webpackChunkName: "import" */ "../io/csv")]);
    // In a browser papaparse streams the File itself (FileReader, chunk by chunk); elsewhere it reads the text.
    const input = typeof FileReader !== "undefined" ? file : await readText(file);
    const t = await readCsvColumns(Papa as unknown as PapaLike, input, { size: file.size, onProgress: options.onProgress, signal: options.signal, chunkSize: CHUNK });
    return { kind, headers: t.headers, columns: t.columns, rows: t.rows, problems: t.problems };
  }
  const [fflate, { readXlsx }] = await Promise.all([import(/* webpackChunkName: "import" */ "fflate"), import(/* webpackChunkName: "import" */ "../io/xlsx")]);
  const x = await readXlsx(fflate as unknown as FflateLike, blobChunks(file), { size: file.size, onProgress: options.onProgress, signal: options.signal });
  let rows = x.rows;
  let end = rows.length;
  while (end > 0 && (rows[end - 1] ?? []).every((c) => c === "" || c === null || c === undefined)) end--;
  rows = rows.slice(0, end);
  if (rows.length === 0) throw new Error(`${file.name}: the first worksheet is empty (no header row).`);
  const headers = (rows[0] ?? []).map((h) => String(h ?? "").trim());
  const width = headers.length;
  const columns: FileCell[][] = headers.map(() => new Array<FileCell>(rows.length - 1));
  const problems: string[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    if (row.length > width && problems.length < 100) problems.push(`row ${r + 1}: ${row.length} cells, the header has ${width}`);
    for (let c = 0; c < width; c++) columns[c][r - 1] = row[c] ?? "";
  }
  return { kind, headers, columns, rows: rows.length - 1, problems };
}
