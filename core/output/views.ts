/**
 * The views as bus sinks (`--timeline FILE`, `--report FILE.html`, `--live`): each converts
 * events to their JSON form with {@linkcode eventToJson} and feeds the same models that
 * `sctrace timeline`/`sctrace report` feed from a saved `.jsonl` file.
 *
 * {@linkcode createViewSinks} opens the files at once (before tracing starts), so an unwritable
 * path is one strace-style error (`sctrace: Can't fopen 'x': Permission denied`, exit 1).
 * @module
 */

import type { BusEntry } from "../events/bus.ts";
import { eventToJson } from "../events/json.ts";
import type { EventSink, TraceEvent } from "../events/types.ts";
import { Sink } from "./sink.ts";
import { TimelineWriter } from "./timeline.ts";
import { reportHtml, ReportModel } from "./report/mod.ts";
import { procComm, ProcessNames, type ViewEvent } from "./view_model.ts";

/** What the views need from the command line. */
export interface ViewOptions {
  /** `--timeline FILE`. */
  timeline?: string;
  /** `--report FILE.html`. */
  report?: string;
  /** `--live`. */
  live?: boolean;
  /** The traced command (the report's title). */
  command?: readonly string[];
  /** `-p` pids (the report's title). */
  pids?: readonly number[];
}

/** What the sinks may ask of the tracer. */
export interface ViewHooks {
  /** The live view's `q`: detach from everything and end with status 0. */
  quit?: () => void;
}

/** An event sink fed with events' JSON form. */
export class JsonFedSink implements EventSink {
  private take: (e: ViewEvent) => void;
  private done?: () => void;
  private flusher?: () => void;
  private starter?: () => void;

  /**
   * `take` gets each event's JSON form; `done` runs at the end; `flusher` on a bus flush;
   * `starter` when tracing starts ({@linkcode beginViews}).
   */
  constructor(
    take: (e: ViewEvent) => void,
    done?: () => void,
    flusher?: () => void,
    starter?: () => void,
  ) {
    this.take = take;
    this.done = done;
    this.flusher = flusher;
    this.starter = starter;
  }

  /** Tracing starts (the live view takes the terminal). A second call does nothing. */
  begin(): void {
    const s = this.starter;
    this.starter = undefined;
    if (this.done) s?.();
  }

  /** Takes one event. */
  event(e: TraceEvent): void {
    const o = eventToJson(e);
    if (o) this.take(o as ViewEvent);
  }

  /**
   * Writes out what is buffered when `all` (the tracer goes idle); the flush before each tracee
   * restart (`all` false, for stderr's ordering) does not concern files.
   */
  flush(all?: boolean): void {
    if (all) this.flusher?.();
  }

  /** The trace is over (a second call does nothing). */
  finish(): void {
    const done = this.done;
    this.done = undefined;
    done?.();
  }
}

/** Why `o` cannot be honoured (`--live` without a terminal), or `undefined`. */
export function viewProblem(o: ViewOptions): string | undefined {
  if (o.live && !Deno.stdout.isTerminal()) return "--live needs a terminal on standard output";
  return undefined;
}

/** The report's title for a trace of `o`. */
export function traceTitle(o: ViewOptions): string {
  if (o.command?.length) return `sctrace ${o.command.join(" ")}`.slice(0, 200);
  if (o.pids?.length) return `sctrace -p ${o.pids.join(",")}`;
  return "sctrace report";
}

/**
 * The sinks `o` asks for, their files opened now. Throws `OutputError` (from `sink.ts`) with
 * strace's message when a file cannot be opened; the caller prints it and exits 1.
 */
export async function createViewSinks(o: ViewOptions, hooks: ViewHooks = {}): Promise<BusEntry[]> {
  const out: BusEntry[] = [];
  const opened: Sink[] = [];
  try {
    if (o.timeline !== undefined) {
      const file = Sink.open(o.timeline, false);
      opened.push(file);
      const tl = new TimelineWriter((s) => file.write(s), new ProcessNames(procComm));
      out.push({
        name: "timeline",
        sink: new JsonFedSink((e) => tl.add(e), () => {
          tl.finish();
          file.flush();
          file.close();
        }, () => file.flush()),
      });
    }
    if (o.report !== undefined) {
      const file = Sink.open(o.report, false);
      opened.push(file);
      const model = new ReportModel(traceTitle(o), new ProcessNames(procComm));
      out.push({
        name: "report",
        sink: new JsonFedSink((e) => model.add(e), () => {
          file.write(reportHtml(model));
          file.flush();
          file.close();
        }),
      });
    }
  } catch (e) {
    for (const f of opened) f.close();
    throw e;
  }
  if (o.live) {
    const { LiveView } = await import("./live.ts");
    const live = new LiveView({ quit: hooks.quit });
    out.push({
      name: "live",
      sink: new JsonFedSink((e) => live.add(e), () => live.stop(), undefined, () => live.start()),
    });
  }
  return out;
}

/** Tells the views that tracing starts (call after the signal listeners are installed). */
export function beginViews(entries: readonly BusEntry[]): void {
  for (const e of entries) if (e.sink instanceof JsonFedSink) e.sink.begin();
}
