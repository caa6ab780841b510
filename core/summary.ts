/**
 * `-c`/`-C`: per-syscall counts, errors and times, printed as strace's summary table.
 * @module
 */

/** Counters of one syscall. */
interface Row {
  name: string;
  nr: number;
  calls: number;
  errors: number;
  /** Total time, in microseconds (fractional). */
  time: number;
  min: number;
  max: number;
}

/** Accumulates and prints the summary. */
export class Summary {
  private rows = new Map<number, Row>();

  /** Records one finished (or unfinished) call. */
  add(nr: number, name: string, micros: number, failed: boolean): void {
    let r = this.rows.get(nr);
    if (!r) {
      r = { name, nr, calls: 0, errors: 0, time: 0, min: Infinity, max: 0 };
      this.rows.set(nr, r);
    }
    r.calls++;
    if (failed) r.errors++;
    if (micros < 0) micros = 0;
    r.time += micros;
    if (micros < r.min) r.min = micros;
    if (micros > r.max) r.max = micros;
  }

  /** Whether anything was recorded. */
  get empty(): boolean {
    return this.rows.size === 0;
  }

  /** The table, as strace prints it, sorted by `sortBy`. */
  format(sortBy = "time", columns?: string[]): string {
    const rows = [...this.rows.values()].sort((a, b) => a.nr - b.nr);
    const cmp: Record<string, (a: Row, b: Row) => number> = {
      time: (a, b) => b.time - a.time,
      "total-time": (a, b) => b.time - a.time,
      "time-total": (a, b) => b.time - a.time,
      "time-percent": (a, b) => b.time - a.time,
      shortest: (a, b) => b.min - a.min,
      "time-min": (a, b) => b.min - a.min,
      longest: (a, b) => b.max - a.max,
      "time-max": (a, b) => b.max - a.max,
      "time-avg": (a, b) => b.time / b.calls - a.time / a.calls,
      "syscall-name": (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      "min-time": (a, b) => b.min - a.min,
      "max-time": (a, b) => b.max - a.max,
      "avg-time": (a, b) => b.time / b.calls - a.time / a.calls,
      calls: (a, b) => b.calls - a.calls,
      count: (a, b) => b.calls - a.calls,
      errors: (a, b) => b.errors - a.errors,
      error: (a, b) => b.errors - a.errors,
      name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      syscall: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      nothing: () => 0,
      none: () => 0,
    };
    rows.sort(cmp[sortBy] ?? cmp.time);
    const totalTime = rows.reduce((s, r) => s + Math.floor(r.time), 0);
    const totalCalls = rows.reduce((s, r) => s + r.calls, 0);
    const totalErrors = rows.reduce((s, r) => s + r.errors, 0);
    const cols = columns ?? ["time-percent", "total-time", "avg-time", "calls", "errors", "name"];
    const spec: Record<string, { head: string; width: number; cell: (r: Row | null) => string }> = {
      "time-percent": {
        head: "% time",
        width: 6,
        cell: (r) =>
          (r ? (totalTime ? (Math.floor(r.time) * 100) / totalTime : 0) : totalTime ? 100 : 0)
            .toFixed(2),
      },
      "total-time": {
        head: "seconds",
        width: 11,
        cell: (r) => ((r ? Math.floor(r.time) : totalTime) / 1e6).toFixed(6),
      },
      "min-time": {
        head: "usecs/call",
        width: 11,
        cell: (r) => String(r ? Math.floor(r.min === Infinity ? 0 : r.min) : 0),
      },
      "max-time": {
        head: "usecs/call",
        width: 11,
        cell: (r) => String(r ? Math.floor(r.max) : 0),
      },
      "avg-time": {
        head: "usecs/call",
        width: 11,
        cell: (r) =>
          String(
            Math.floor(
              r ? Math.floor(r.time) / r.calls : totalCalls ? totalTime / totalCalls : 0,
            ),
          ),
      },
      calls: { head: "calls", width: 9, cell: (r) => String(r ? r.calls : totalCalls) },
      errors: {
        head: "errors",
        width: 9,
        cell: (r) => {
          const n = r ? r.errors : totalErrors;
          return n ? String(n) : "";
        },
      },
      name: { head: "syscall", width: 16, cell: (r) => (r ? r.name : "total") },
    };
    const used = cols.map((c) => spec[c === "percent" ? "time-percent" : c]).filter((c) => c);
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === used.length - 1 ? c : c.padStart(used[i].width))).join(" ") +
      "\n";
    const dashes = line(used.map((c) => "-".repeat(c.width)));
    let out = line(used.map((c) => c.head));
    out += dashes;
    for (const r of rows) out += line(used.map((c) => c.cell(r)));
    out += dashes;
    out += line(used.map((c) => c.cell(null)));
    return out;
  }
}
