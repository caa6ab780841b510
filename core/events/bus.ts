/**
 * The event bus: hands every event to each sink in turn (the printer first, then exporters and
 * plugin observers). A sink that throws is reported once, by the `onError` given, and dropped; the
 * others go on.
 * @module
 */

import type { EventSink, TraceEvent } from "./types.ts";

/** A named sink on the bus. */
export interface BusEntry {
  /** Who it is, for error reports (`text`, `json`, `plugin 'x' observer`). */
  readonly name: string;
  /** The sink. */
  readonly sink: EventSink;
  /** Only these event types reach it (all when absent). */
  readonly types?: ReadonlySet<string>;
  /**
   * A built-in printer: what it throws is a bug of sctrace's and goes up to the tracing loop
   * (which reports it and detaches) instead of silently dropping the trace's output.
   */
  readonly trusted?: boolean;
}

/** Dispatches events to sinks. */
export class EventBus implements EventSink {
  private entries: BusEntry[] = [];
  private onError: (entry: BusEntry, hook: string, e: unknown) => void;

  /** Creates a bus; `onError` hears of a sink that threw (it is then removed). */
  constructor(onError: (entry: BusEntry, hook: string, e: unknown) => void = () => {}) {
    this.onError = onError;
  }

  /** Adds a sink. */
  add(entry: BusEntry): void {
    this.entries.push(entry);
  }

  /** Whether any sink is listening (so the tracer may skip building events nobody reads). */
  get size(): number {
    return this.entries.length;
  }

  /** Hands `e` to every sink that takes its type. */
  event(e: TraceEvent): void {
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (entry.types && !entry.types.has(e.type)) continue;
      if (entry.trusted) {
        entry.sink.event(e);
        continue;
      }
      try {
        entry.sink.event(e);
      } catch (err) {
        this.drop(entry, "event", err);
        i--;
      }
    }
  }

  /** Asks every sink to write out what it buffered (see {@linkcode EventSink.flush}). */
  flush(all: boolean): void {
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (!entry.sink.flush) continue;
      if (entry.trusted) {
        entry.sink.flush(all);
        continue;
      }
      try {
        entry.sink.flush(all);
      } catch (err) {
        this.drop(entry, "flush", err);
        i--;
      }
    }
  }

  /** Tells every sink the trace is over. */
  finish(): void {
    for (const entry of [...this.entries]) {
      try {
        entry.sink.finish?.();
      } catch (err) {
        this.drop(entry, "finish", err);
      }
    }
  }

  /** Removes a sink that threw and reports it. */
  private drop(entry: BusEntry, hook: string, err: unknown): void {
    this.entries = this.entries.filter((x) => x !== entry);
    this.onError(entry, hook, err);
  }
}
