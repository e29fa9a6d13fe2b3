/**
 * XLSX reading for the pane's import step, streamed: the zip is inflated in chunks with fflate
 * (passed in by the composition root: `import { Unzip, UnzipInflate } from "fflate"`; it runs in the
 * browser without network), and the first worksheet's XML is scanned cell by cell as it arrives,
 * so neither the XML nor a DOM of it is ever held whole.
 *
 * What is read (ECMA-376 Part 1, 18.3.1.4 c, 18.4 sst): shared strings (t="s", resolved after the
 * sheet if the zip stores sharedStrings.xml later), inline strings (t="inlineStr"), formula
 * strings (t="str"), booleans (t="b"), errors (t="e", as text such as "#N/A"), and numbers (date
 * cells stay Excel serials: src/engine/dates.ts reads them). Cell positions come from the r
 * attribute ("C7"); missing cells are "". Rich text runs are concatenated. Styles are not read.
 */

export type XlsxCell = string | number | boolean;

const XML_ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'" };
export function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (m) => {
    if (m[1] === "#") return String.fromCodePoint(m[2] === "x" ? parseInt(m.slice(3, -1), 16) : parseInt(m.slice(2, -1), 10));
    return XML_ENTITIES[m];
  });
}

/** Text of every <t> inside an element (rich text runs concatenated). */
function textOf(xml: string): string {
  let out = "";
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out += m[1] ? unescapeXml(m[1]) : "";
  return out;
}

/** The shared-string table of xl/sharedStrings.xml. */
export function parseSharedStrings(xml: string): string[] {
  const out: string[] = [];
  const re = /<si>([\s\S]*?)<\/si>|<si\/>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) out.push(m[1] ? textOf(m[1]) : "");
  return out;
}

/** Column index (0-based) of a cell reference such as "AB12". */
export function columnOf(ref: string): number {
  let c = 0;
  for (let i = 0; i < ref.length; i++) {
    const k = ref.charCodeAt(i);
    if (k < 65 || k > 90) break;
    c = c * 26 + (k - 64);
  }
  return c - 1;
}

/** Marks a shared-string cell until the table is known. */
class SharedRef {
  constructor(public readonly index: number) {}
}

/**
 * Incremental scanner of a worksheet's XML: feed() text as it is inflated, rows come out through
 * onRow in sheet order (with their 1-based sheet row number).
 */
export class SheetScanner {
  private rest = "";
  private row: (XlsxCell | SharedRef)[] = [];
  private rowNumber = 0;
  constructor(private readonly onRow: (cells: (XlsxCell | SharedRef)[], sheetRow: number) => void) {}
  feed(text: string): void {
    let s = this.rest + text;
    let at = 0;
    const re = /<row\b([^>]*?)(\/?)>|<\/row>|<c\b([^>]*?)\/>|<c\b([^>]*?)>([\s\S]*?)<\/c>/g;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
      // an element cut at the end of the chunk: keep it for the next feed
      at = re.lastIndex;
      if (m[0].startsWith("<row")) {
        const r = /\br="(\d+)"/.exec(m[1]);
        this.rowNumber = r ? Number(r[1]) : this.rowNumber + 1;
        this.row = [];
        if (m[2] === "/") this.onRow([], this.rowNumber);
      } else if (m[0] === "</row>") this.onRow(this.row, this.rowNumber);
      else if (m[3] !== undefined) this.place(m[3], "");
      else this.place(m[4], m[5]);
    }
    // keep from the last unfinished tag on
    const tail = s.slice(at);
    const open = tail.lastIndexOf("<");
    this.rest = open >= 0 ? tail.slice(open) : "";
    // an open <c ...> whose </c> has not arrived yet must be kept whole
    const cOpen = tail.search(/<c\b[^>]*[^/]>(?![\s\S]*<\/c>)/);
    if (cOpen >= 0) this.rest = tail.slice(cOpen);
    s = "";
  }
  private place(attrs: string, body: string): void {
    const ref = /\br="([A-Z]+)\d+"/.exec(attrs);
    const col = ref ? columnOf(ref[1]) : this.row.length;
    const type = /\bt="(\w+)"/.exec(attrs)?.[1] ?? "n";
    const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    let cell: XlsxCell | SharedRef;
    if (type === "s") cell = v === undefined ? "" : new SharedRef(Number(v));
    else if (type === "inlineStr") cell = textOf(body);
    else if (type === "str" || type === "e") cell = v === undefined ? "" : unescapeXml(v);
    else if (type === "b") cell = v === "1";
    else cell = v === undefined || v === "" ? "" : Number(v);
    while (this.row.length < col) this.row.push("");
    this.row[col] = cell;
  }
}

/** The part of fflate used here. */
export interface FflateLike {
  // ondata as a method signature: fflate hands a FlateError (an Error with a code), which a plain Error parameter accepts
  Unzip: new (cb: (file: { name: string; ondata(err: Error | null, data: Uint8Array, final: boolean): void; start(): void }) => void) => {
    register(decoder: unknown): void;
    push(chunk: Uint8Array, final?: boolean): void;
  };
  UnzipInflate: unknown;
}

export interface XlsxRows {
  /** Rows of the first worksheet, index = sheet row − 1 (blank rows are empty arrays). */
  rows: XlsxCell[][];
  sheet: string;
}

/**
 * Reads the first worksheet of an XLSX from byte chunks (a File's stream in the browser, a file
 * stream in Node). onProgress gets the compressed bytes pushed so far.
 */
export async function readXlsx(fflate: FflateLike, chunks: AsyncIterable<Uint8Array>, options: { size?: number; onProgress?: (done: number, total: number) => void; signal?: { aborted: boolean } } = {}): Promise<XlsxRows> {
  const rows: (XlsxCell | SharedRef)[][] = [];
  let shared: string[] | null = null;
  let sharedXml = "";
  let sheet = "";
  let failure: Error | null = null;
  const decoder = new TextDecoder();
  const scanner = new SheetScanner((cells, r) => {
    rows[r - 1] = cells;
  });
  const unzip = new fflate.Unzip((file) => {
    const isSheet = /^xl\/worksheets\/sheet\d+\.xml$/.test(file.name) && (sheet === "" || file.name === sheet);
    const isShared = file.name === "xl/sharedStrings.xml";
    if (!isSheet && !isShared) return;
    if (isSheet) sheet = file.name;
    const dec = new TextDecoder();
    file.ondata = (err, data, final) => {
      if (err) {
        failure = err;
        return;
      }
      const text = dec.decode(data, { stream: !final });
      if (isShared) {
        sharedXml += text;
        if (final) shared = parseSharedStrings(sharedXml);
      } else scanner.feed(text);
    };
    file.start();
  });
  unzip.register(fflate.UnzipInflate);
  let done = 0;
  for await (const chunk of chunks) {
    if (options.signal?.aborted) {
      const e = new Error("the import was cancelled; nothing was changed");
      e.name = "AbortError";
      throw e;
    }
    unzip.push(chunk);
    done += chunk.length;
    options.onProgress?.(done, options.size ?? done);
    if (failure) throw failure;
  }
  unzip.push(new Uint8Array(0), true);
  decoder.decode();
  if (failure) throw failure;
  if (!sheet) throw new Error("no worksheet found: is this an .xlsx file?");
  const table: string[] = shared ?? [];
  const out: XlsxCell[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? [];
    out[r] = row.map((c) => (c instanceof SharedRef ? (table[c.index] ?? "") : c));
  }
  return { rows: out, sheet };
}
