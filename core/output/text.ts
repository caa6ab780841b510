/**
 * The strace text printer: renders the tracer's events as strace 6.1's lines, exactly (the
 * differential tests are its referee): the line prefix (`[pid N]`/`-o`'s pid column, `-t`/`-tt`/
 * `-ttt`/`-r` times, `-n`, `-i`), `name(args) = result` with the `= ` column, `<unfinished ...>` and
 * `<... name resumed>` when lines cross, lines held whole under status filters, `-T`, injection
 * notes, `-e read=`/`write=` dumps, `-k` stacks, protocol lines, `--- SIG ---`, `+++ exited +++`,
 * `<detached ...>`, `<pid changed to …>`; `-ff` per-process files; the `-c` table at the end.
 *
 * Every token goes through the {@linkcode Palette} (`--color`); with colour off it prints the
 * text as it is.
 * @module
 */

import type { Filters } from "../cli/filter.ts";
import type { Options } from "../cli/options.ts";
import type {
  EventBase,
  EventSink,
  SyscallEntryEvent,
  SyscallEvent,
  TraceEvent,
} from "../events/types.ts";
import { argsText, entryText } from "../../decoders/value.ts";
import { hexDump } from "../decode/io_bytes.ts";
import type { StreamTap } from "../decode/streams.ts";
import { type ColorKind, NO_COLOR, type Palette } from "./color.ts";
import { paintArgs, paintEntry } from "./color_args.ts";
import type { Outputs } from "./outputs.ts";
import type { Sink } from "./sink.ts";
import type { Summary } from "./summary.ts";
import { shown } from "./visible.ts";

/** What the printer asks of the tracer: how many threads are traced (strace's prefix rules). */
export interface TraceView {
  /** Threads traced now. */
  readonly count: number;
  /** Threads traced when the loop started (strace's `print_pid_pfx` for `-o FILE`). */
  readonly startCount: number;
}

/** What the text printer needs. */
export interface TextPrinterConfig {
  /** Parsed options. */
  opts: Options;
  /** Parsed `-e` filters (status filters hold lines; `-e signal=` hides kills). */
  filters: Filters;
  /** Where lines go. */
  outputs: Outputs;
  /** The tracer's thread counts. */
  view: TraceView;
  /** `--color`. */
  palette?: Palette;
  /** `-c`/`-C`: the table printed at the end. */
  summary?: Summary;
  /** `--proto`: its summary is printed at the end. */
  tap?: StreamTap;
}

/** The printer's state of one thread. */
interface Thread {
  /** Where its lines go. */
  sink: Sink;
  /** Its open line was cut by another line (`<unfinished ...>`): the exit prints `<... resumed>`. */
  interrupted: boolean;
}

/** Prints events as strace's text. */
export class TextPrinter implements EventSink {
  private o: Options;
  private f: Filters;
  private out: Outputs;
  private view: TraceView;
  private palette: Palette;
  private color: boolean;
  private summary?: Summary;
  private tap?: StreamTap;
  private threads = new Map<number, Thread>();
  /** Status filters are on: lines are printed whole, at exit, once their status is known. */
  private held: boolean;
  private lastRel = -1;

  /** Creates a printer (the filters' status set must be final: `-z`/`-Z` applied). */
  constructor(cfg: TextPrinterConfig) {
    this.o = cfg.opts;
    this.f = cfg.filters;
    this.out = cfg.outputs;
    this.view = cfg.view;
    this.palette = cfg.palette ?? NO_COLOR;
    this.color = this.palette.enabled;
    this.summary = cfg.summary;
    this.tap = cfg.tap;
    this.held = this.f.status.size < 5;
  }

  /** Colours a token (or not). */
  private paint(kind: ColorKind, text: string): string {
    return this.color ? this.palette.paint(kind, text) : text;
  }

  /** The sink of a process (told to skip escape codes in its column under colour). */
  private sinkFor(pid: number): Sink {
    const sink = this.out.sinkFor(pid);
    if (this.color) sink.ansi = true;
    return sink;
  }

  /** The state of a thread, created on first sight. */
  private thread(pid: number): Thread {
    let th = this.threads.get(pid);
    if (!th) {
      th = { sink: this.sinkFor(pid), interrupted: false };
      this.threads.set(pid, th);
    }
    return th;
  }

  /** Prints one event. */
  event(e: TraceEvent): void {
    switch (e.type) {
      case "syscall_entry":
        this.entry(e);
        return;
      case "syscall":
        if (e.unfinished) this.unfinished(e);
        else this.exit(e);
        return;
      case "signal":
        this.printLine(
          e,
          this.paint("signal", `--- ${e.signal}${e.info ? " " + e.info.text : ""} ---`),
        );
        return;
      case "stopped":
        this.printLine(e, this.paint("signal", `--- stopped by ${e.signal} ---`));
        return;
      case "exit": {
        if (shown(e, this.o, this.f)) {
          this.printLine(e, this.paint("exit", `+++ exited with ${e.code} +++`));
        }
        if (this.o.separately) this.thread(e.pid).sink.flush();
        return;
      }
      case "killed":
        if (shown(e, this.o, this.f)) {
          this.printLine(
            e,
            this.paint("exit", `+++ killed by ${e.signal}${e.core ? " (core dumped)" : ""} +++`),
          );
        }
        if (this.o.separately) this.thread(e.pid).sink.flush();
        return;
      case "attach":
        // A new thread (or a pid used again): fresh state, its `-ff` file opened now.
        this.threads.set(e.pid, { sink: this.sinkFor(e.pid), interrupted: false });
        return;
      case "detach": {
        const th = this.thread(e.pid);
        if (th.sink.openLine === e.pid) {
          th.sink.write(" <detached ...>\n");
          th.sink.openLine = 0;
        }
        return;
      }
      case "superseded":
        this.superseded(e.pid, e.by, e);
        return;
      case "proto":
        // Request events (kind "request") are for JSON and the views, unless --requests asked.
        if (e.kind === "request" && !this.o.requests) return;
        this.printLine(e, this.paint("proto", e.line ?? e.text));
        return;
      case "note":
        this.printLine(e, e.message);
        return;
      case "stack":
        this.thread(e.pid).sink.write(e.text);
        return;
      case "dump": {
        const sink = this.thread(e.pid).sink;
        e.chunks.forEach((chunk, i) => {
          if (e.labels?.[i]) sink.write(e.labels[i]);
          if (chunk.length) sink.write(hexDump(chunk));
        });
        return;
      }
    }
  }

  /** Writes out buffered lines (stderr before a tracee runs; everything when idle). */
  flush(all: boolean): void {
    this.out.flush(all);
  }

  /** Prints the summaries and closes the sinks. */
  finish(): void {
    // Trace lines are flushed (and their write errors reported) before the summary, which, like
    // strace's, is written at close without error reports.
    this.out.flush(true);
    if (this.o.summary && this.summary) {
      this.out.main.write(this.summary.format(this.o.sortBy, this.o.summaryColumns));
    }
    this.tap?.finish(this.out.main);
    this.out.close();
  }

  // ---- lines ----

  /** The line prefix: `[pid N]`/`N `, timestamps, `-n` number, `-i` address. */
  private leaderText(e: EventBase, nr: number | undefined): string {
    const o = this.o;
    let s = "";
    if (!o.separately) {
      if (o.output) {
        // strace decides once, at start: with -f, or with several tracees then.
        if (o.follow === 1 || this.view.startCount > 1) s += `${String(e.pid).padEnd(5)} `;
      } else if (this.view.count > 1) s += `[pid ${String(e.pid).padStart(5)}] `;
    }
    // strace prints both with -r and -t: `12:00:00 (+     0.000123) `.
    if (o.timestamps) s += wallText(e.time, o.timestamps) + " ";
    if (o.relative) {
      const now = Math.round(e.mono * 1e9);
      const d = this.lastRel < 0 ? 0 : Math.max(0, now - this.lastRel);
      this.lastRel = now;
      const [open, close] = o.timestamps ? ["(+", ") "] : ["", " "];
      s += `${open}${String(Math.floor(d / 1e9)).padStart(6)}.${
        String(Math.floor((d % 1e9) / 1e3)).padStart(6, "0")
      }${close}`;
    }
    if (o.syscallNumbers) s += `[${String(nr ?? 0).padStart(4)}] `;
    if (o.instructionPointer) s += `[${e.ip ?? UNKNOWN_IP}] `;
    return s;
  }

  /** Closes another process's open line before printing for `pid`. */
  private claimLine(th: Thread, pid: number): void {
    const sink = th.sink;
    if (sink.openLine && sink.openLine !== pid) {
      const other = this.threads.get(sink.openLine);
      sink.write(" <unfinished ...>\n");
      if (other) other.interrupted = true;
      sink.openLine = 0;
    }
  }

  /** Prints a whole line (signals, exits, protocol messages), cutting any open syscall line. */
  private printLine(e: EventBase, text: string): void {
    const th = this.thread(e.pid);
    this.claimLine(th, e.pid);
    const sink = th.sink;
    if (sink.openLine === e.pid) {
      // Our own syscall line is open (e.g. a signal arrives mid-call): cut it.
      sink.write(" <unfinished ...>\n");
      th.interrupted = true;
      sink.openLine = 0;
    }
    sink.write(this.leaderText(e, e.lastNr) + text + "\n");
  }

  /** The entry's argument text (token by token in colour: see `color_args.ts`). */
  private entryArgs(e: SyscallEntryEvent | SyscallEvent): string {
    const text = entryText(e.entry, e.more);
    return this.color && text ? paintEntry(this.palette, e.entry, e.more, text) : text;
  }

  /** `name(` in colour. */
  private nameText(name: string): string {
    return this.color ? this.paint("syscall", name) + this.paint("punct", "(") : name + "(";
  }

  /** A syscall's entry: `name(args` (left open for the exit), unless lines are held. */
  private entry(e: SyscallEntryEvent): void {
    const th = this.thread(e.pid);
    th.interrupted = false;
    if (this.held) return; // status filters need the result before anything is printed
    this.claimLine(th, e.pid);
    th.sink.write(
      this.leaderText(e, e.nr) + this.nameText(e.name) + this.entryArgs(e),
    );
    th.sink.openLine = e.pid;
  }

  /** The entry's text of a syscall event (a held line prints it at exit). */
  private entryText(e: SyscallEvent): string {
    return this.entryArgs(e);
  }

  /** A syscall's exit: the rest of its line, `= result`, then dumps, stack and protocol lines. */
  private exit(e: SyscallEvent): void {
    const th = this.thread(e.pid);
    const sink = th.sink;
    let text = e.exit === undefined ? "" : argsText(e.exit);
    if (this.color && text) text = paintArgs(this.palette, e.exit!, text);
    if (this.held) {
      this.claimLine(th, e.pid);
      sink.write(this.leaderText(e, e.nr) + this.nameText(e.name) + this.entryText(e) + text);
    } else if (sink.openLine === e.pid && !th.interrupted) {
      sink.write(text);
    } else {
      this.claimLine(th, e.pid);
      sink.write(this.leaderText(e, e.nr) + `<... ${e.name} resumed>` + text);
    }
    sink.openLine = 0;
    sink.write(this.color ? this.paint("punct", ")") + " " : ") ");
    sink.padTo(this.o.column);
    const r = e.ret!;
    let line = this.color
      ? this.paint("punct", "=") + " " + this.paint(r.error ? "error" : "retval", r.text)
      : "= " + r.text;
    if (e.injected) line += this.paint("comment", e.injected);
    if (this.o.syscallTimes) line += this.paint("comment", " <" + secondsText(e.duration) + ">");
    sink.write(line + "\n");
  }

  /**
   * A call that never returned: `= ?`, ending its open line (or, under status filters, printed
   * whole when `-e status=unfinished` asks for it; the tracer sends it only then).
   */
  private unfinished(e: SyscallEvent): void {
    const th = this.thread(e.pid);
    const sink = th.sink;
    if (this.held && e.supersededBy === undefined) {
      this.claimLine(th, e.pid);
      sink.write(this.leaderText(e, e.nr) + this.nameText(e.name) + this.entryText(e) + ") ");
    } else {
      // A call whose decoder had more to print at exit (a read killed by SIGKILL) gets strace's
      // ` <unfinished ...>` first.
      const more = e.more && e.supersededBy === undefined ? " <unfinished ...>" : "";
      if (sink.openLine === e.pid && !th.interrupted) {
        sink.write(more + ") ");
      } else {
        this.claimLine(th, e.pid);
        sink.write(this.leaderText(e, e.nr) + `<... ${e.name} resumed>${more}) `);
      }
      sink.openLine = 0;
    }
    sink.padTo(this.o.column);
    sink.write("= ?\n");
  }

  /**
   * A non-leader thread's execve replaced the process: the thread's open line ends with
   * `<pid changed to LEADER ...>`, the leader says `+++ superseded +++`, and the thread's state
   * carries on under the leader's pid.
   */
  private superseded(pid: number, by: number, e: EventBase): void {
    const thread = this.threads.get(by);
    if (thread && thread.sink.openLine === by) {
      thread.sink.write(` <pid changed to ${pid} ...>\n`);
      thread.interrupted = true;
      thread.sink.openLine = 0;
    }
    if (shown(e as TraceEvent, this.o, this.f)) {
      this.printLine(e, this.paint("exit", `+++ superseded by execve in pid ${by} +++`));
    }
    if (!thread) return;
    if (thread.sink.openLine === by) thread.sink.openLine = pid;
    this.threads.delete(by);
    this.threads.set(pid, thread);
  }
}

/** What strace prints for `-i` when the process is gone. */
export const UNKNOWN_IP = "????????????????";

/** `-T`'s `0.000123`. */
function secondsText(s: number): string {
  const us = Math.max(0, Math.round(s * 1e6));
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`;
}

/** Wall-clock text for `-t` (1), `-tt` (2) and `-ttt` (3) of `time` (seconds since the epoch). */
export function wallText(time: number, level: number): string {
  const sec = Math.floor(time);
  let usec = Math.round((time - sec) * 1e6);
  if (usec > 999999) usec = 999999;
  const us = String(usec).padStart(6, "0");
  if (level >= 3) return `${sec}.${us}`;
  const d = new Date(sec * 1000);
  const hms = [d.getHours(), d.getMinutes(), d.getSeconds()]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");
  return level === 2 ? `${hms}.${us}` : hms;
}
