/**
 * `--json` (`--output-format=json`): JSON Lines, one object per event (`eventToJson`, schema in
 * `schema/events.schema.json`), to stderr, `-o FILE` or `-o '|cmd'`, one file per process with
 * `-ff`. Events are those the text would print lines for: `-e trace=`/`-e signal=`/`-e status=`,
 * `-P`, `-q`, `-f`, `-p`, `-s`, `-y`/`-yy`, `--proto` all apply. `-i` adds `ip`, `-k` gives
 * `stack` events, `-e read=`/`-e write=` give `dump` events. `-c --json` prints one `summary`
 * object instead of the table (`-C --json`: the events, then the summary).
 *
 * Options that only shape the text are refused with JSON (see {@linkcode jsonUnsupported}).
 * @module
 */

import type { Filters } from "../cli/filter.ts";
import type { StreamTap } from "../decode/streams.ts";
import type { Options } from "../cli/options.ts";
import { eventToJson } from "../events/json.ts";
import type { EventSink, TraceEvent } from "../events/types.ts";
import type { Outputs } from "./outputs.ts";
import type { Summary } from "./summary.ts";
import { shown } from "./visible.ts";

/**
 * Why `o` cannot be honoured with `--json` (undefined when it can): `-a` aligns the text's `= `
 * column, which JSON does not have.
 */
export function jsonUnsupported(o: Options): string | undefined {
  if (o.column !== 40) return "-a/--columns applies to the text output only, not to --json";
  return undefined;
}

/** What the JSON printer needs. */
export interface JsonPrinterConfig {
  /** Parsed options. */
  opts: Options;
  /** Parsed `-e` filters. */
  filters: Filters;
  /** Where lines go. */
  outputs: Outputs;
  /** `-c`/`-C`: the summary object printed at the end. */
  summary?: Summary;
  /** `--proto`'s tap: its summary is the last object. */
  tap?: StreamTap;
}

/** Prints events as JSON Lines. */
export class JsonPrinter implements EventSink {
  private o: Options;
  private f: Filters;
  private out: Outputs;
  private summary?: Summary;
  private tap?: StreamTap;

  /** Creates a printer. */
  constructor(cfg: JsonPrinterConfig) {
    this.o = cfg.opts;
    this.f = cfg.filters;
    this.out = cfg.outputs;
    this.summary = cfg.summary;
    this.tap = cfg.tap;
  }

  /** Writes one event's line (events strace would not print are skipped). */
  event(e: TraceEvent): void {
    if (e.type === "syscall_entry") return;
    // `-ff`: a process's file is opened when it is first seen.
    if (e.type === "attach") this.out.sinkFor(e.pid);
    // -c: the summary object alone (and notes, which strace-style -c prints too).
    if (this.o.summary === 1 && e.type !== "note") return;
    if (!shown(e, this.o, this.f)) return;
    const j = eventToJson(e);
    if (j) this.out.sinkFor(e.pid).write(JSON.stringify(j) + "\n");
  }

  /** Writes out buffered lines. */
  flush(all: boolean): void {
    this.out.flush(all);
  }

  /** Writes the summary objects (`-c`/`-C`, `--proto`'s) and closes the outputs. */
  finish(): void {
    this.out.flush(true);
    if (this.o.summary && this.summary) {
      this.out.main.write(JSON.stringify(this.summary.toJson(this.o.sortBy)) + "\n");
    }
    let proto: { type: "proto_summary" } | undefined;
    try {
      proto = this.tap?.summaryJson?.();
    } catch {
      // no summary rather than no close
    }
    if (proto) this.out.main.write(JSON.stringify(proto) + "\n");
    this.out.close();
  }
}
