/**
 * CSV output (RFC 4180): comma-separated, a field quoted when it holds a comma, quote, CR or LF,
 * quotes doubled; numbers written with JavaScript's shortest round-trip form; LF line ends.
 * Rows are buffered into blocks of about 1 MB and written with backpressure.
 */
import { createWriteStream, type WriteStream } from "node:fs";

export function csvField(x: string | number): string {
  if (typeof x === "number") return String(x);
  return /[",\r\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
}

export class CsvWriter {
  private stream: WriteStream;
  private buf: string[] = [];
  private size = 0;
  rows = 0;
  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
    this.buf.push(header.map(csvField).join(","));
  }
  write(row: readonly (string | number)[]): Promise<void> | void {
    let line = "";
    for (let i = 0; i < row.length; i++) line += (i ? "," : "") + csvField(row[i]);
    this.buf.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) return this.flush();
  }
  private flush(): Promise<void> | void {
    const text = this.buf.join("\n") + "\n";
    this.buf = [];
    this.size = 0;
    if (!this.stream.write(text)) return new Promise((res) => this.stream.once("drain", () => res()));
  }
  async close(): Promise<void> {
    if (this.buf.length) await this.flush();
    await new Promise<void>((res, rej) => this.stream.end((e?: Error | null) => (e ? rej(e) : res())));
  }
}
