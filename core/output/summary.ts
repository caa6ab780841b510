/**
 * `-c`/`-C`: per-syscall counts, errors and times, printed as strace's summary table: columns
 * chosen with `-U`, sorted with `-S`, each column as wide as its header or its widest value.
 * @module
 */

/** Counters of one syscall (times in seconds). */
interface Row {
  name: string;
  nr: number;
  calls: number;
  errors: number;
  time: number;
  min: number;
  max: number;
}

/** The columns `-U` accepts, by alias. */
const ALIASES: Record<string, string> = {
  "time": "percent",
  "time_percent": "percent",
  "time-percent": "percent",
  "time_total": "total",
  "time-total": "total",
  "total_time": "total",
  "total-time": "total",
  "min_time": "min",
  "min-time": "min",
  "shortest": "min",
  "time_min": "min",
  "time-min": "min",
  "longest": "max",
  "max_time": "max",
  "max-time": "max",
  "time_max": "max",
  "time-max": "max",
  "avg_time": "avg",
  "avg-time": "avg",
  "time_avg": "avg",
  "time-avg": "avg",
  "calls": "calls",
  "count": "calls",
  "error": "errors",
  "errors": "errors",
  "name": "name",
  "syscall": "name",
  "syscall_name": "name",
  "syscall-name": "name",
  "none": "none",
  "nothing": "none",
};

/** The default `-U` columns. */
const DEFAULT_COLUMNS = ["percent", "total", "avg", "calls", "errors", "name"];

/** Whether every `-U` column name is known. */
export function validColumns(cols: readonly string[]): boolean {
  return cols.every((c) => c in ALIASES);
}

/** The column a `-U`/`-S` alias stands for (`none` for `none`/`nothing`), or undefined. */
export function summaryColumn(alias: string): string | undefined {
  return Object.hasOwn(ALIASES, alias) ? ALIASES[alias] : undefined;
}

/** Sort orders of `-S`, by alias. */
const SORTS: Record<string, (a: Row, b: Row) => number> = {};
const byTime = (a: Row, b: Row) => b.time - a.time;
const byMin = (a: Row, b: Row) => b.min - a.min;
const byMax = (a: Row, b: Row) => b.max - a.max;
const byAvg = (a: Row, b: Row) => b.time / b.calls - a.time / a.calls;
const byCalls = (a: Row, b: Row) => b.calls - a.calls;
const byErrors = (a: Row, b: Row) => b.errors - a.errors;
const byName = (a: Row, b: Row) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
for (
  const k of ["time", "time-percent", "time_percent", "time-total", "time_total", "total-time"]
) {
  SORTS[k] = byTime;
}
for (const k of ["min-time", "min_time", "shortest", "time-min", "time_min"]) SORTS[k] = byMin;
for (const k of ["max-time", "max_time", "longest", "time-max", "time_max"]) SORTS[k] = byMax;
for (const k of ["avg-time", "avg_time", "time-avg", "time_avg"]) SORTS[k] = byAvg;
for (const k of ["calls", "count"]) SORTS[k] = byCalls;
for (const k of ["errors", "error"]) SORTS[k] = byErrors;
for (const k of ["name", "syscall", "syscall-name", "syscall_name"]) SORTS[k] = byName;
for (const k of ["nothing", "none"]) SORTS[k] = () => 0;

/** The `-S` keys strace accepts. */
export const SORT_KEYS: readonly string[] = Object.keys(SORTS);

/** Accumulates and prints the summary. */
export class Summary {
  private rows = new Map<number, Row>();

  /** Records one finished call that took `micros` µs. */
  add(nr: number, name: string, micros: number, failed: boolean): void {
    let r = this.rows.get(nr);
    if (!r) {
      r = { name, nr, calls: 0, errors: 0, time: 0, min: Infinity, max: 0 };
      this.rows.set(nr, r);
    }
    const t = Math.max(0, micros) / 1e6;
    r.calls++;
    if (failed) r.errors++;
    r.time += t;
    if (t < r.min) r.min = t;
    if (t > r.max) r.max = t;
  }

  /**
   * The counters as one JSON object (`-c --json`): a row per syscall in `-S` order (`syscall`,
   * `calls`, `errors`, `seconds`, `usecs_per_call`, `min`, `max`; seconds are system time, or wall
   * time with `-w`), and the totals.
   */
  toJson(sortBy = "time"): { [key: string]: unknown } {
    const rows = [...this.rows.values()].sort((a, b) => a.nr - b.nr);
    rows.sort(SORTS[sortBy] ?? byTime);
    const us = (t: number) => Math.round(t * 1e6) / 1e6;
    const row = (
      name: string,
      calls: number,
      errors: number,
      time: number,
      min: number,
      max: number,
    ) => ({
      syscall: name,
      calls,
      errors,
      seconds: us(time),
      usecs_per_call: calls ? Math.floor((time / calls) * 1e6) : 0,
      min: us(min === Infinity ? 0 : min),
      max: us(max),
    });
    const total = rows.reduce((s, r) => s + r.time, 0);
    const calls = rows.reduce((s, r) => s + r.calls, 0);
    const errors = rows.reduce((s, r) => s + r.errors, 0);
    const min = rows.reduce((s, r) => Math.min(s, r.min), Infinity);
    const max = rows.reduce((s, r) => Math.max(s, r.max), 0);
    const o = row("total", calls, errors, total, min, max);
    return {
      type: "summary",
      syscalls: rows.map((r) => row(r.name, r.calls, r.errors, r.time, r.min, r.max)),
      total: {
        calls: o.calls,
        errors: o.errors,
        seconds: o.seconds,
        usecs_per_call: o.usecs_per_call,
        min: o.min,
        max: o.max,
      },
    };
  }

  /** The table, as strace prints it. */
  format(sortBy = "time", columns?: readonly string[]): string {
    // strace prints no table at all when no call was counted (its counts are never allocated).
    if (this.rows.size === 0) return "";
    // Stable sort of rows in syscall-number order, as strace's qsort over its table gives.
    const rows = [...this.rows.values()].sort((a, b) => a.nr - b.nr);
    rows.sort(SORTS[sortBy] ?? byTime);
    const total = rows.reduce((s, r) => s + r.time, 0);
    const calls = rows.reduce((s, r) => s + r.calls, 0);
    const errors = rows.reduce((s, r) => s + r.errors, 0);
    const mins = rows.map((r) => (r.min === Infinity ? 0 : r.min));
    const tMin = mins.length ? Math.min(...mins) : 0;
    const tMax = rows.reduce((s, r) => Math.max(s, r.max), 0);
    const avgUs = (t: number, n: number) => Math.floor(n ? (t / n) * 1e6 : 0);
    const maxAvg = rows.reduce((s, r) => Math.max(s, avgUs(r.time, r.calls)), 0);
    const nameMax = rows.reduce((s, r) => Math.max(s, r.name.length), 0);

    type Col = { head: string; width: number; left?: boolean; cell: (r: Row | null) => string };
    const secW = (t: number) => `${Math.floor(t)}.000000`.length;
    const spec: Record<string, Col> = {
      percent: {
        head: "% time",
        width: 6,
        cell: (r) => (r ? (total ? (100 * r.time) / total : 0) : 100).toFixed(2),
      },
      total: {
        head: "seconds",
        width: Math.max(11, total.toFixed(6).length),
        cell: (r) => (r ? r.time : total).toFixed(6),
      },
      min: {
        head: "shortest",
        width: Math.max(8, secW(Math.max(...mins, 0))),
        cell: (r) => (r ? (r.min === Infinity ? 0 : r.min) : tMin).toFixed(6),
      },
      max: {
        head: "longest",
        width: Math.max(7, secW(tMax)),
        cell: (r) => (r ? r.max : tMax).toFixed(6),
      },
      avg: {
        head: "usecs/call",
        width: Math.max(11, String(maxAvg).length),
        cell: (r) => String(r ? avgUs(r.time, r.calls) : avgUs(total, calls)),
      },
      calls: {
        head: "calls",
        width: Math.max(9, String(calls).length),
        cell: (r) => String(r ? r.calls : calls),
      },
      errors: {
        head: "errors",
        width: Math.max(9, String(errors).length),
        cell: (r) => {
          const n = r ? r.errors : errors;
          return n ? String(n) : "";
        },
      },
      name: {
        head: "syscall",
        width: Math.max(16, nameMax + 1),
        left: true,
        cell: (r) => (r ? r.name : "total"),
      },
    };
    const names = (columns ?? DEFAULT_COLUMNS).map((c) => ALIASES[c] ?? c);
    const used = names.filter((c) => c !== "none").map((c) => spec[c]).filter((c) => c);
    const last = used.length - 1;
    const line = (cells: string[]) =>
      cells.map((c, i) => {
        const col = used[i];
        if (col.left) return i === last ? c : c.padEnd(col.width);
        return c.padStart(col.width);
      }).join(" ") + "\n";
    const dashes = used.map((c) => "-".repeat(c.width)).join(" ") + "\n";
    let out = line(used.map((c) => c.head));
    out += dashes;
    for (const r of rows) out += line(used.map((c) => c.cell(r)));
    out += dashes;
    out += line(used.map((c) => c.cell(null)));
    return out;
  }
}
