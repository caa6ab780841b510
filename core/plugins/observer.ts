/**
 * Plugin observers: a plugin's `observe` hook sees the trace's events (syscalls, signals, exits,
 * protocol messages…) as they happen, may emit notes of its own, and may print summary lines when
 * the trace ends. {@linkcode observersOf} turns the loaded plugins' observers into
 * {@linkcode BusEntry}s for the event bus; {@linkcode pluginBusError} is the bus's `onError` that
 * reports an observer that threw once, naming the plugin and the hook (the bus then drops that
 * observer; tracing and the other sinks go on).
 * @module
 */

import { oneLine } from "./guard.ts";
import type { BusEntry, EventBus } from "../events/bus.ts";
import type { NoteEvent, TraceEvent } from "../events/types.ts";

/** What an observer can do besides looking. */
export interface ObserverContext {
  /** The plugin's name. */
  readonly plugin: string;
  /** The plugin's options (`--plugin FILE:key=val`), as given. */
  readonly options: Readonly<Record<string, string>>;
  /**
   * Emits a note (a `note` event, source `plugin:NAME`) on the bus: the text printer prints it on
   * its own line, `--json` as a `note` object, other observers see it. It carries the pid and
   * times of the event being observed (at `finish`: pid 0 and the current time). One line: a
   * newline ends it. Notes emitted while observing a note are dropped (no loops).
   */
  note(message: string): void;
}

/** A plugin's observer hook. */
export interface PluginObserver {
  /**
   * The event types it wants (`syscall`, `syscall_entry`, `signal`, `stopped`, `exit`, `killed`,
   * `attach`, `detach`, `superseded`, `proto`, `note`); all when absent.
   */
  readonly types?: readonly string[];
  /** Sees one event. Events are shared with the other sinks: read them, do not change them. */
  event(e: TraceEvent, ctx: ObserverContext): void;
  /** The trace is over: the lines returned (if any) are printed at the end of the output. */
  finish?(ctx: ObserverContext): readonly string[] | void;
}

/** An observer of a loaded plugin. */
export interface LoadedObserver {
  /** The plugin's name. */
  readonly plugin: string;
  /** The plugin's options, as given. */
  readonly options: Readonly<Record<string, string>>;
  /** The hook. */
  readonly observer: PluginObserver;
}

/** Where observers' output goes. */
export interface ObserverIo {
  /** Puts an event on the bus (the notes observers emit). */
  emit(e: TraceEvent): void;
  /** Prints one summary line at the end of the trace. */
  print(line: string): void;
}

/** A bus entry that runs a plugin's observer. */
export interface ObserverEntry extends BusEntry {
  /** The plugin's name. */
  readonly plugin: string;
}

/** The last event any observer saw: notes and error reports take its pid and times. */
let lastEvent: TraceEvent | undefined;
/** How deep notes are being delivered (a note emitted while observing a note is dropped). */
let inNote = 0;

/** A note event from `source` at the last event seen (or now). */
function noteAt(source: string, message: string): NoteEvent {
  const at = lastEvent;
  const line = message.split("\n")[0];
  return at
    ? {
      type: "note",
      pid: at.pid,
      tgid: at.tgid,
      time: at.time,
      mono: at.mono,
      source,
      message: line,
    }
    : {
      type: "note",
      pid: 0,
      tgid: 0,
      time: Date.now() / 1000,
      mono: performance.now() / 1000,
      source,
      message: line,
    };
}

/**
 * The bus entries of the plugins' observers, in load order. Wire them with
 * `for (const e of observersOf(loaded.observers, io)) bus.add(e)`, after the printers, on a bus
 * made with `new EventBus(pluginBusError(io))`. A throw in `event` or `finish` propagates to the
 * bus, which drops the entry and calls its `onError`.
 */
export function observersOf(
  observers: readonly LoadedObserver[],
  io: ObserverIo,
): ObserverEntry[] {
  return observers.map(({ plugin, options, observer }) => {
    const source = `plugin:${plugin}`;
    const ctx: ObserverContext = Object.freeze({
      plugin,
      options,
      note(message: string): void {
        if (inNote) return;
        io.emit(noteAt(source, String(message)));
      },
    });
    const types = observer.types ? new Set(observer.types.map(String)) : undefined;
    let finished = false;
    return {
      name: `plugin '${plugin}' observer`,
      plugin,
      types,
      sink: {
        event(e: TraceEvent): void {
          lastEvent = e;
          // Its own notes do not come back to it.
          if (e.type === "note" && e.source === source) return;
          if (e.type === "note") inNote++;
          try {
            observer.event(e, ctx);
          } finally {
            if (e.type === "note") inNote--;
          }
        },
        finish(): void {
          if (finished) return;
          finished = true;
          lastEvent = undefined;
          const lines = observer.finish?.(ctx);
          if (!Array.isArray(lines)) return;
          for (const l of lines) io.print(String(l).split("\n")[0]);
        },
      },
    };
  });
}

/**
 * The bus's `onError` for plugin observers: a one-line note (source `sctrace`) naming the plugin
 * and the hook, put on the bus through `io.emit` so that the text printer prints it on a line of
 * its own (never inside a syscall line). Other sinks that throw are reported the same way, by
 * their name.
 */
export function pluginBusError(
  io: Pick<ObserverIo, "emit">,
): (entry: BusEntry, hook: string, e: unknown) => void {
  return (entry, hook, e) => {
    const plugin = (entry as Partial<ObserverEntry>).plugin;
    const msg = plugin !== undefined
      ? `plugin '${plugin}': observer ${hook} threw ${oneLine(e)}; disabled`
      : `${entry.name}: ${hook} threw ${oneLine(e)}; disabled`;
    io.emit(noteAt("sctrace", msg));
  };
}

/**
 * Adds the observers to `bus` (after whatever is on it: the printers come first), their notes
 * going back onto the same bus and their summary lines to `print`. Make the bus with
 * `new EventBus(pluginBusError({ emit: (e) => bus.event(e) }))` so that a throwing observer is
 * reported and dropped. Returns the function that finishes them: call it before `bus.finish()`, so
 * that their summary lines and any report of a throwing `finish` come while the printers still
 * write (the bus's own `finish` then skips them).
 */
export function attachObservers(
  bus: EventBus,
  observers: readonly LoadedObserver[],
  print: (line: string) => void,
): () => void {
  const io: ObserverIo = { emit: (e) => bus.event(e), print };
  const entries = observersOf(observers, io);
  for (const entry of entries) bus.add(entry);
  const report = pluginBusError(io);
  return () => {
    for (const entry of entries) {
      try {
        entry.sink.finish?.();
      } catch (e) {
        report(entry, "finish", e);
      }
    }
  };
}
