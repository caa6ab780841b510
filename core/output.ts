/**
 * Trace output: one {@linkcode Sink} per destination (stderr, the `-o` file, or one file per
 * process with `-ff`). A sink tracks the column of its current line (for the `= ` alignment) and
 * which process owns an unfinished line (for `<unfinished ...>`).
 *
 * stderr is flushed before every tracee restart (and before tracer messages), so the trace
 * interleaves with the tracee's own output exactly as strace's does; files are buffered and
 * flushed when full and whenever the tracer goes idle.
 * @module
 */

import { libc } from "../ffi/libc.ts";

const encoder = new TextEncoder();

/** Sinks writing to a terminal/pipe descriptor: flushed before a tracer message, for order. */
const directSinks = new Set<Sink>();

/** An output destination. */
export class Sink {
  /** The column of the current line. */
  col = 0;
  /** The id (pid) of the process whose line is open (entry printed, exit not yet), or 0. */
  openLine = 0;
  private fd: number;
  private file?: Deno.FsFile;
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private direct: boolean;

  /** Wraps a descriptor (2 for stderr) or an opened file. */
  constructor(fd: number, file?: Deno.FsFile) {
    this.fd = fd;
    this.file = file;
    this.direct = file === undefined;
    if (this.direct) directSinks.add(this);
  }

  /** Opens a file sink (`-o`), truncating unless `append`. */
  static open(path: string, append: boolean): Sink {
    const file = Deno.openSync(path, {
      write: true,
      create: true,
      append,
      truncate: !append,
    });
    return new Sink(-1, file);
  }

  /** Appends text, tracking the column. */
  write(s: string): void {
    const nl = s.lastIndexOf("\n");
    this.col = nl < 0 ? this.col + s.length : s.length - nl - 1;
    if (this.len + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        this.rawWrite(encoder.encode(s));
        return;
      }
    }
    const r = encoder.encodeInto(s, this.buf.subarray(this.len));
    this.len += r.written;
  }

  /** Flushes a stderr sink (the tracer calls this before a tracee runs again). */
  flushDirect(): void {
    if (this.direct && this.len) this.flush();
  }

  /** Pads the current line with spaces up to `column`. */
  padTo(column: number): void {
    if (this.col < column) this.write(" ".repeat(column - this.col));
  }

  /** Writes buffered bytes out. */
  flush(): void {
    if (this.len === 0) return;
    this.rawWrite(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  /** Writes bytes out, retrying short writes; errors are dropped (a closed pipe). */
  private rawWrite(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      let n: number;
      if (this.file) {
        try {
          n = this.file.writeSync(bytes.subarray(off));
        } catch {
          return;
        }
      } else {
        n = libc.write(
          this.fd,
          bytes.subarray(off) as Uint8Array<ArrayBuffer>,
          BigInt(bytes.length - off),
        );
        if (n < 0) return;
      }
      off += n;
    }
  }

  /** Flushes and closes a file sink. */
  close(): void {
    this.flush();
    try {
      this.file?.close();
    } catch {
      // already closed
    }
    this.file = undefined;
  }
}

/** Writes a tracer message (`sctrace: …`) to stderr at once. */
export function message(text: string): void {
  for (const s of directSinks) s.flush();
  const b = encoder.encode(text + "\n");
  libc.write(2, b, BigInt(b.length));
}
