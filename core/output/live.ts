/**
 * `--live`: a top-like terminal view while tracing, redrawn about once a second: syscalls per
 * second by process and by name, the slowest calls and requests of the last interval, and errors.
 * `q` detaches from every tracee (they go on running) and ends sctrace with status 0.
 *
 * The screen is the terminal's alternate screen, the keyboard in cbreak mode (Ctrl-C still sends
 * SIGINT, which detaches as usual); both are restored by {@linkcode LiveView.stop}, which runs
 * when the trace ends for any reason (the end of the tracees, `q`, a signal, an internal error),
 * and, as a last resort, when the process unloads.
 *
 * The screen is built by {@linkcode renderLive} (a pure function of the counters and the size),
 * which adapts to the terminal: two columns from 100 columns up, one below; sections get the
 * rows there are.
 * @module
 */

import { clearRestart } from "../../ffi/signals.ts";
import {
  Exchanges,
  isRequest,
  procComm,
  ProcessNames,
  requestTree,
  syscallText,
  type ViewEvent,
} from "./view_model.ts";

/** Counters of one interval (or of the whole trace). */
export interface LiveStats {
  /** Seconds covered. */
  seconds: number;
  /** Syscalls by process: tgid → [calls, errors]. */
  byProcess: Map<number, [number, number]>;
  /** Syscalls by name: name → [calls, errors, seconds]. */
  byName: Map<string, [number, number, number]>;
  /** Errors: `name errno` → count. */
  errors: Map<string, number>;
  /** Slowest calls: [seconds, pid, text]. */
  slowCalls: [number, number, string][];
  /** Slowest requests/exchanges: [seconds, pid, label]. */
  slowRequests: [number, number, string][];
  /** Signals seen. */
  signals: number;
}

/** Fresh counters. */
export function emptyStats(): LiveStats {
  return {
    seconds: 0,
    byProcess: new Map(),
    byName: new Map(),
    errors: new Map(),
    slowCalls: [],
    slowRequests: [],
    signals: 0,
  };
}

/** Keeps the 20 largest by the first element. */
function keepTop<T extends [number, ...unknown[]]>(list: T[], item: T): void {
  if (list.length >= 20 && item[0] <= list[list.length - 1][0]) return;
  let i = list.length;
  while (i > 0 && list[i - 1][0] < item[0]) i--;
  list.splice(i, 0, item);
  if (list.length > 20) list.pop();
}

/** Adds an event to `s`; `exchanges` pairs protocol responses with their requests. */
export function countEvent(s: LiveStats, e: ViewEvent, exchanges: Exchanges): void {
  if (e.type === "syscall") {
    const failed = typeof e.error === "string";
    const p = s.byProcess.get(e.tgid) ?? [0, 0];
    p[0]++;
    if (failed) p[1]++;
    s.byProcess.set(e.tgid, p);
    const name = String(e.syscall);
    const n = s.byName.get(name) ?? [0, 0, 0];
    n[0]++;
    if (failed) n[1]++;
    const d = typeof e.duration === "number" ? e.duration : 0;
    n[2] += d;
    s.byName.set(name, n);
    if (failed) {
      const k = `${name} ${e.error}`;
      s.errors.set(k, (s.errors.get(k) ?? 0) + 1);
    }
    if (s.slowCalls.length < 20 || d > s.slowCalls[s.slowCalls.length - 1][0]) {
      keepTop(s.slowCalls, [d, e.pid, syscallText(e, 160)]);
    }
  } else if (e.type === "signal") s.signals++;
  else if (e.type === "proto" || e.type === "request") {
    if (isRequest(e)) {
      const r = requestTree(e);
      if (r) keepTop(s.slowRequests, [r.duration, e.pid, `${r.proto} ${r.label}`]);
    } else {
      const label = exchanges.see(e);
      if (label !== undefined && typeof e.latency === "number") {
        keepTop(s.slowRequests, [e.latency, e.pid, `${e.proto} ${label}`]);
      }
    }
  }
}

function fmtTime(s: number): string {
  if (s >= 1) return s.toFixed(2) + "s";
  if (s >= 0.001) return (s * 1e3).toFixed(1) + "ms";
  return Math.round(s * 1e6) + "us";
}

function fit(text: string, width: number): string {
  if (width <= 0) return "";
  // Control characters never reach the terminal (trace strings are hostile).
  // deno-lint-ignore no-control-regex
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f]/g, "?");
  return clean.length > width ? clean.slice(0, Math.max(0, width - 1)) + "…" : clean.padEnd(width);
}

function rate(n: number, seconds: number): string {
  return seconds > 0 ? String(Math.round(n / seconds)) : String(n);
}

/**
 * The screen for `s` (the last interval) and `total` (the whole trace) at `cols`×`rows`: an
 * array of exactly `rows` lines, each exactly `cols` characters wide.
 */
export function renderLive(
  s: LiveStats,
  total: { calls: number; errors: number; elapsed: number },
  names: ProcessNames,
  cols: number,
  rows: number,
): string[] {
  const lines: string[] = [];
  const head = `sctrace --live   ${fmtTime(total.elapsed)} traced   ${total.calls} syscalls` +
    `   ${total.errors} errors   ${s.byProcess.size} busy processes   q: quit`;
  lines.push(fit(head, cols));
  lines.push(fit(`interval ${s.seconds.toFixed(1)}s   signals ${s.signals}`, cols));
  const procs = [...s.byProcess].sort((a, b) => b[1][0] - a[1][0]);
  const byName = [...s.byName].sort((a, b) => b[1][0] - a[1][0]);
  const left: string[] = ["SYSCALLS/s BY PROCESS", "    PID COMMAND         CALLS/s  ERR"];
  for (const [tgid, [c, e]] of procs) {
    left.push(
      `${String(tgid).padStart(7)} ${fit(names.process(tgid), 15)} ${
        rate(c, s.seconds).padStart(7)
      } ${String(e).padStart(4)}`,
    );
  }
  if (!procs.length) left.push("    (no syscalls in this interval)");
  const right: string[] = ["SYSCALLS/s BY NAME", "NAME                 CALLS/s  ERR     TIME"];
  for (const [name, [c, e, t]] of byName) {
    right.push(
      `${fit(name, 20)} ${rate(c, s.seconds).padStart(7)} ${String(e).padStart(4)} ${
        fmtTime(t).padStart(8)
      }`,
    );
  }
  const calls = s.slowCalls.map(([d, pid, text]) =>
    `${fmtTime(d).padStart(8)} ${String(pid).padStart(7)} ${text}`
  );
  const reqs = s.slowRequests.map(([d, pid, text]) =>
    `${fmtTime(d).padStart(8)} ${String(pid).padStart(7)} ${text}`
  );
  const errs = [...s.errors].sort((a, b) => b[1] - a[1]).map(([k, n]) =>
    `${String(n).padStart(8)} ${k}`
  );

  const avail = Math.max(0, rows - lines.length - 1);
  // Top part: processes and names; bottom part: slow calls, requests, errors. Share the rows.
  const topRows = Math.max(4, Math.min(Math.ceil(avail / 2), Math.max(left.length, right.length)));
  if (cols >= 100) {
    const lw = Math.floor(cols / 2) - 1;
    for (let i = 0; i < topRows; i++) {
      lines.push(fit(left[i] ?? "", lw) + "  " + fit(right[i] ?? "", cols - lw - 2));
    }
  } else {
    const half = Math.max(2, Math.floor(topRows / 2));
    for (let i = 0; i < half; i++) lines.push(fit(left[i] ?? "", cols));
    for (let i = 0; i < topRows - half; i++) lines.push(fit(right[i] ?? "", cols));
  }
  lines.push(fit("", cols));
  // Each bottom section gets its header and a share of the rows left (unused rows pass on).
  const sections: [string, string[], string, number][] = [
    ["SLOWEST CALLS (last interval)", calls, "(none)", 0.5],
    ["SLOWEST REQUESTS (last interval)", reqs, "(none; --proto shows requests)", 0.5],
    ["ERRORS (last interval)", errs, "(none)", 1],
  ];
  for (const [title, items, none, share] of sections) {
    const free = rows - lines.length;
    if (free <= 0) break;
    lines.push(fit(title, cols));
    const room = Math.max(1, Math.floor((free - 1) * share));
    const body = items.length ? items : [`    ${none}`];
    for (const l of body.slice(0, room)) {
      if (lines.length >= rows) break;
      lines.push(fit(l, cols));
    }
  }
  while (lines.length < rows) lines.push(fit("", cols));
  return lines.slice(0, rows);
}

/** What the live view needs. */
export interface LiveOptions {
  /** `q` was pressed: detach and end with status 0. */
  quit?: () => void;
  /** Where the screen goes (standard output). */
  out?: { writeSync(b: Uint8Array): number; isTerminal(): boolean };
  /** The terminal's size. */
  size?: () => { columns: number; rows: number };
}

function noop(): void {}

/** Signals after which sctrace detaches and ends (see core/cli/main.ts). */
const ENDING: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

const ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
const LEAVE = "\x1b[?25h\x1b[?1049l";

/** The live view: counts events, redraws once a second, restores the terminal at the end. */
export class LiveView {
  private o: LiveOptions;
  private out: { writeSync(b: Uint8Array): number; isTerminal(): boolean };
  private names = new ProcessNames(procComm);
  private exchanges = new Exchanges();
  private cur = emptyStats();
  private last = emptyStats();
  private calls = 0;
  private errors = 0;
  private started = 0;
  private intervalStart = 0;
  private timer?: ReturnType<typeof setInterval>;
  private worker?: Worker;
  private shared = new Int32Array(new SharedArrayBuffer(8));
  private raw = false;
  private active = false;
  private quitAsked = false;
  private stopped = false;
  private restoreOnUnload = () => this.restore();
  private stopOnSignal = () => this.stop();

  /** Creates the view (nothing is drawn until {@linkcode LiveView.start}). */
  constructor(o: LiveOptions = {}) {
    this.o = o;
    this.out = o.out ?? Deno.stdout;
  }

  /** Whether the view can draw (standard output is a terminal). */
  usable(): boolean {
    return this.out.isTerminal();
  }

  /**
   * Takes over the terminal and starts redrawing. Call once the tracer's SIGUSR2 listener is in
   * place (the ticker wakes the loop with SIGUSR2); {@linkcode add} calls it on the first event.
   */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.started = this.intervalStart = performance.now();
    // Last resorts: the process ends without the trace's end (Deno.exit, an uncaught error).
    addEventListener("unload", this.restoreOnUnload);
    addEventListener("error", this.restoreOnUnload);
    addEventListener("unhandledrejection", this.restoreOnUnload);
    if (Deno.stdin.isTerminal()) {
      try {
        Deno.stdin.setRaw(true, { cbreak: true });
        this.raw = true;
      } catch { /* not a terminal after all */ }
    }
    // The ticker wakes the loop with SIGUSR2: it must find a listener (not the default action).
    Deno.addSignalListener("SIGUSR2", noop);
    // A signal that ends the trace: back to the normal screen before the detach messages.
    for (const sig of ENDING) Deno.addSignalListener(sig, this.stopOnSignal);
    clearRestart(12);
    this.write(ENTER);
    this.worker = new Worker(new URL("./live_ticker.ts", import.meta.url), { type: "module" });
    this.worker.onerror = (e) => e.preventDefault();
    this.worker.postMessage({ shared: this.shared, keys: this.raw });
    this.timer = setInterval(() => this.tick(), 250);
    this.draw();
  }

  /** Takes one event (its JSON form). */
  add(e: ViewEvent): void {
    if (!this.active && !this.stopped) this.start();
    this.names.see(e);
    countEvent(this.cur, e, this.exchanges);
    if (e.type === "syscall") {
      this.calls++;
      if (typeof e.error === "string") this.errors++;
    }
    // A busy loop yields rarely: check the keyboard and the clock here too.
    if ((this.calls & 255) === 0) this.tick();
  }

  /** Checks the keyboard flag and the clock; starts a new interval (and redraws) each second. */
  private tick(): void {
    if (!this.active) return;
    if (Atomics.load(this.shared, 0) && !this.quitAsked) {
      this.quitAsked = true;
      // Back to the normal screen first: the detach messages that follow stay visible.
      this.stop();
      this.o.quit?.();
      return;
    }
    const now = performance.now();
    if (now - this.intervalStart >= 900) {
      this.cur.seconds = (now - this.intervalStart) / 1000;
      this.last = this.cur;
      this.cur = emptyStats();
      this.intervalStart = now;
      this.draw();
    }
  }

  /** Draws the last interval. */
  draw(): void {
    let size = { columns: 80, rows: 24 };
    try {
      size = this.o.size?.() ?? Deno.consoleSize();
    } catch { /* keep 80x24 */ }
    const screen = renderLive(
      this.last,
      {
        calls: this.calls,
        errors: this.errors,
        elapsed: (performance.now() - this.started) / 1000,
      },
      this.names,
      Math.max(20, size.columns),
      Math.max(5, size.rows),
    );
    // Every row at its place: a stray line on the terminal (a tracer message) scrolls the
    // screen until the next redraw, never for good.
    this.write(screen.map((l, i) => `\x1b[${i + 1};1H${l}`).join("") + "\x1b[J");
  }

  /** Writes to the terminal, whole (a terminal that went away is ignored). */
  private write(s: string): void {
    const b = new TextEncoder().encode(s);
    let off = 0;
    try {
      while (off < b.length) off += this.out.writeSync(b.subarray(off));
    } catch { /* the terminal is gone */ }
  }

  /** Puts the terminal back (alternate screen left, cursor shown, cooked mode). Idempotent. */
  private restore(): void {
    if (!this.active) return;
    this.active = false;
    this.write(LEAVE);
    if (this.raw) {
      try {
        Deno.stdin.setRaw(false);
      } catch { /* gone */ }
      this.raw = false;
    }
  }

  /** Stops redrawing and restores the terminal (the trace is over). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    Atomics.store(this.shared, 1, 1);
    this.worker?.terminate();
    this.worker = undefined;
    this.restore();
    removeEventListener("unload", this.restoreOnUnload);
    removeEventListener("error", this.restoreOnUnload);
    removeEventListener("unhandledrejection", this.restoreOnUnload);
    try {
      Deno.removeSignalListener("SIGUSR2", noop);
      for (const sig of ENDING) Deno.removeSignalListener(sig, this.stopOnSignal);
    } catch { /* never added */ }
  }
}
