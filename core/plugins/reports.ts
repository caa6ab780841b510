/**
 * Reports of plugin failures met while tracing (a decoder hook that threw), held until the line
 * being printed is complete: printed at once they would cut a syscall line in two
 * (`read(3, sctrace: plugin 'p': decoder read.exit threw …` then `) = 832`). On the event bus,
 * {@linkcode PluginReports.entry} (added after the printers) turns them into `note` events after
 * the next event that is not a syscall's entry: after the syscall line the failure happened in.
 * @module
 */

import type { BusEntry } from "../events/bus.ts";
import type { NoteEvent, TraceEvent } from "../events/types.ts";

/** Failure reports waiting for the end of a line. */
export class PluginReports {
  private pending: string[] = [];

  /** Holds a report (one line). */
  push(message: string): void {
    this.pending.push(message.split("\n")[0]);
  }

  /** The reports held, oldest first; empties the queue. */
  take(): string[] {
    const r = this.pending;
    if (r.length) this.pending = [];
    return r;
  }

  /**
   * The bus entry that puts held reports on the bus (through `emit`) as `note` events from
   * `sctrace`, after each event but a syscall's entry (its line is still open) or a note, with the
   * pid and times of that event; at the end, whatever is left.
   */
  entry(emit: (e: TraceEvent) => void): BusEntry {
    const flush = (at: TraceEvent | undefined) => {
      for (const message of this.take()) {
        const note: NoteEvent = {
          type: "note",
          pid: at?.pid ?? 0,
          tgid: at?.tgid ?? 0,
          time: at?.time ?? Date.now() / 1000,
          mono: at?.mono ?? performance.now() / 1000,
          source: "sctrace",
          message,
        };
        emit(note);
      }
    };
    return {
      name: "plugin failure reports",
      sink: {
        event: (e) => {
          if (e.type !== "syscall_entry" && e.type !== "note") flush(e);
        },
        finish: () => flush(undefined),
      },
    };
  }
}
