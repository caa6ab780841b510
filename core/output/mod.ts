/**
 * The output step's public face: the printer `--output-format` asks for (strace's text, or JSON
 * Lines), writing to the sinks `-o`/`-ff` ask for.
 * @module
 */

import type { Filters } from "../cli/filter.ts";
import type { Options } from "../cli/options.ts";
import type { StreamTap } from "../decode/streams.ts";
import type { EventSink } from "../events/types.ts";
import { NO_COLOR, type Palette } from "./color.ts";
import { JsonPrinter } from "./json.ts";
import { Outputs } from "./outputs.ts";
import { configureOutput } from "./sink.ts";
import type { Summary } from "./summary.ts";
import { TextPrinter, type TraceView } from "./text.ts";

export { jsonUnsupported } from "./json.ts";
export { TextPrinter, type TraceView } from "./text.ts";
export { JsonPrinter } from "./json.ts";
export { Outputs } from "./outputs.ts";

/** What {@linkcode openPrinter} needs. */
export interface PrinterConfig {
  /** Parsed options (`format` picks the printer). */
  opts: Options;
  /** Parsed `-e` filters (final: `-z`/`-Z` applied). */
  filters: Filters;
  /** Program name for messages. */
  prog: string;
  /** The tracer's thread counts (text prefix rules). */
  view: TraceView;
  /** `-c`/`-C` counters. */
  summary: Summary;
  /** `--proto`'s tap (its summary is printed at the end of the text). */
  tap?: StreamTap;
  /** `--color`. */
  palette?: Palette;
  /** A closed pipe where strace dies of SIGPIPE (interactive modes): stop tracing. */
  onBrokenPipe: () => void;
  /** A `-ff` file could not be opened: strace's `die()`. */
  onFatal: () => void;
}

/** Opens the outputs and makes the printer; throws `OutputError` when `-o` cannot be opened. */
export function openPrinter(cfg: PrinterConfig): EventSink {
  const o = cfg.opts;
  // strace dies of SIGPIPE on a closed pipe when "interactive": no -o, or -p without PROG.
  const interactive = !(o.output !== undefined && o.command.length);
  configureOutput(cfg.prog, interactive ? cfg.onBrokenPipe : undefined);
  const outputs = new Outputs(o, cfg.prog, cfg.onFatal);
  if (o.format === "json") {
    return new JsonPrinter({
      opts: o,
      filters: cfg.filters,
      outputs,
      summary: cfg.summary,
      tap: cfg.tap,
    });
  }
  return new TextPrinter({
    opts: o,
    filters: cfg.filters,
    outputs,
    view: cfg.view,
    palette: cfg.palette ?? NO_COLOR,
    summary: cfg.summary,
    tap: cfg.tap,
  });
}
