/**
 * Where the trace goes: the main {@linkcode Sink} (stderr, `-o FILE`, `-o '|cmd'`) and, with
 * `-ff`, one sink per process (`FILE.PID`), opened when the process is first seen. Shared by the
 * text and the JSON printers.
 * @module
 */

import type { Options } from "../cli/options.ts";
import { message, OutputError, Sink } from "./sink.ts";

/** Opens `-o`'s destination: a file, or `sh -c CMD` for `|CMD` and `!CMD`, as strace does. */
export function openOutput(path: string, append: boolean): Sink {
  if (path[0] === "|" || path[0] === "!") return Sink.pipe(path.slice(1), path);
  return Sink.open(path, append);
}

/** The sinks of one trace. */
export class Outputs {
  /** The shared output (stderr or `-o`); with `-ff`, where summaries go. */
  readonly main: Sink;
  private perPid = new Map<number, Sink>();
  private o: Options;
  private prog: string;
  private onFatal: () => void;
  private failed = false;

  /**
   * Opens the main output (throws {@linkcode OutputError}). `onFatal` is called when a `-ff` file
   * cannot be opened: strace's `die()` (its message is printed here; the tracer detaches).
   */
  constructor(o: Options, prog: string, onFatal: () => void) {
    this.o = o;
    this.prog = prog;
    this.onFatal = onFatal;
    this.main = o.output !== undefined && !o.separately
      ? openOutput(o.output, o.append)
      : new Sink(2);
  }

  /** The sink of a process: the shared output, or its own `-ff` file. */
  sinkFor(pid: number): Sink {
    if (!this.o.separately || this.o.output === undefined) return this.main;
    let s = this.perPid.get(pid);
    if (!s) {
      try {
        s = openOutput(`${this.o.output}.${pid}`, this.o.append);
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        if (!this.failed) message(`${this.prog}: ${e.message}`);
        this.failed = true;
        this.onFatal();
        s = Sink.discard();
      }
      this.perPid.set(pid, s);
    }
    return s;
  }

  /** Writes out stderr's buffer (`all` false), or every buffer (`all` true). */
  flush(all: boolean): void {
    if (!all) {
      this.main.flushDirect();
      return;
    }
    this.main.flush();
    for (const s of this.perPid.values()) s.flush();
  }

  /** Closes every sink. */
  close(): void {
    this.main.close();
    for (const s of this.perPid.values()) s.close();
  }
}
