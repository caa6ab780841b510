/**
 * What the HTML report shows, gathered from events (their JSON form) in one pass with bounded
 * memory: the `-c` counters, errors by syscall and errno, processes, the slices the timeline
 * draws (the first {@linkcode MAX_SPANS}), the slowest calls, the slowest requests with their
 * tiers, and per-protocol summaries (status counts, p50/p99, slowest messages).
 * @module
 */

import type { Json } from "../../../decoders/value.ts";
import {
  callDuration,
  callStart,
  Exchanges,
  isRequest,
  type JsonObject,
  ProcessNames,
  type RequestNode,
  requestTree,
  syscallText,
  type ViewEvent,
} from "../view_model.ts";

/** At most this many syscall slices are kept for the report's timeline. */
export const MAX_SPANS = 200_000;
/** How many slowest calls, requests and queries are listed. */
export const TOP = 25;
/** Latencies kept per protocol for percentiles (a uniform sample past this). */
const SAMPLE = 50_000;

/** Counters of one syscall. */
export interface SyscallRow {
  /** Name. */
  name: string;
  /** Calls. */
  calls: number;
  /** Failed calls. */
  errors: number;
  /** Total seconds. */
  total: number;
  /** Shortest call, seconds. */
  min: number;
  /** Longest call, seconds. */
  max: number;
}

/** One of the slowest calls. */
export interface SlowCall {
  /** The thread. */
  pid: number;
  /** Its process. */
  tgid: number;
  /** Start, seconds since sctrace started. */
  start: number;
  /** Seconds. */
  duration: number;
  /** The call's text. */
  text: string;
}

/** A protocol's summary. */
export interface ProtoSummary {
  /** Protocol name. */
  proto: string;
  /** Messages seen. */
  messages: number;
  /** Responses (messages with a latency). */
  responses: number;
  /** Error responses. */
  errors: number;
  /** Responses by status (`200`, `OK`, `ERR 1064`…). */
  statuses: Record<string, number>;
  /** Median latency, seconds. */
  p50: number;
  /** 99th percentile latency, seconds. */
  p99: number;
  /** The slowest responses: what was asked, and how long it took. */
  slowest: { label: string; latency: number; pid: number }[];
}

/** Everything the page is drawn from (embedded in it as JSON). */
export interface ReportData {
  /** Title line (the command, when known). */
  title: string;
  /** Epoch seconds of `rel` 0. */
  epoch0: number;
  /** First and last `rel` seen. */
  span: [number, number];
  /** Events by type. */
  counts: Record<string, number>;
  /** Per syscall counters. */
  syscalls: SyscallRow[];
  /** `[syscall, errno, count]`. */
  errors: [string, string, number][];
  /** Processes: tgid, name, threads (tid, name), syscall count, exit text. */
  processes: {
    tgid: number;
    name: string;
    threads: [number, string][];
    calls: number;
    end: string;
  }[];
  /** Syscall names used by {@linkcode spans}. */
  names: string[];
  /** Per thread: flat `[start µs, dur µs, name index, error 0/1]` quadruples. */
  spans: Record<string, number[]>;
  /** Slices left out past {@linkcode MAX_SPANS}. */
  droppedSpans: number;
  /** Instants per thread: `[rel µs, label]`. */
  marks: Record<string, [number, string][]>;
  /** The slowest calls. */
  slowCalls: SlowCall[];
  /** The slowest requests (request objects, else protocol exchanges), each a tree. */
  requests: RequestNode[];
  /** Request objects seen. */
  requestCount: number;
  /** Per protocol. */
  protos: ProtoSummary[];
  /** Bad input lines (from `sctrace report`). */
  badLines: string[];
}

/** Keeps the `n` largest items by `key`. */
class Top<T> {
  items: T[] = [];
  constructor(private n: number, private key: (t: T) => number) {}
  /** Whether a value would enter. */
  wants(k: number): boolean {
    return this.items.length < this.n || k > this.key(this.items[this.items.length - 1]);
  }
  /** Offers one. */
  add(t: T): void {
    const k = this.key(t);
    if (!this.wants(k)) return;
    let i = this.items.length;
    while (i > 0 && this.key(this.items[i - 1]) < k) i--;
    this.items.splice(i, 0, t);
    if (this.items.length > this.n) this.items.pop();
  }
}

interface ProtoAcc {
  messages: number;
  responses: number;
  errors: number;
  statuses: Map<string, number>;
  lat: number[];
  seen: number;
  slowest: Top<{ label: string; latency: number; pid: number }>;
}

function statusOf(e: ViewEvent): string {
  const f = e.fields && typeof e.fields === "object" && !Array.isArray(e.fields)
    ? e.fields as JsonObject
    : {};
  const s = f.status ?? f.code ?? f.error_code;
  if (typeof s === "number" || typeof s === "string") return String(s);
  return String(e.kind ?? "?");
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Gathers a report from events. */
export class ReportModel {
  private names: ProcessNames;
  private rows = new Map<string, SyscallRow>();
  private errs = new Map<string, number>();
  private counts = new Map<string, number>();
  private procCalls = new Map<number, number>();
  private procThreads = new Map<number, Set<number>>();
  private procEnd = new Map<number, string>();
  private nameIdx = new Map<string, number>();
  private spanNames: string[] = [];
  private spans = new Map<number, number[]>();
  private marks = new Map<number, [number, string][]>();
  private spanCount = 0;
  private dropped = 0;
  private slow = new Top<SlowCall>(TOP, (c) => c.duration);
  private reqs = new Top<RequestNode>(TOP, (r) => r.duration);
  private exchanges = new Top<RequestNode>(TOP, (r) => r.duration);
  private reqCount = 0;
  private protos = new Map<string, ProtoAcc>();
  private exchangeNames = new Exchanges();
  private first = Infinity;
  private last = -Infinity;
  private epoch0 = 0;
  private title: string;
  /** Bad input lines, as `line N: why`. */
  badLines: string[] = [];
  /** Events taken. */
  events = 0;

  /** `title` heads the page; `names` names processes. */
  constructor(title = "sctrace report", names: ProcessNames = new ProcessNames()) {
    this.title = title;
    this.names = names;
  }

  /** Takes one event (its JSON form). */
  add(e: ViewEvent): void {
    this.events++;
    this.names.see(e);
    if (this.events === 1) this.epoch0 = e.time - e.rel;
    this.counts.set(e.type, (this.counts.get(e.type) ?? 0) + 1);
    let threads = this.procThreads.get(e.tgid);
    if (!threads) this.procThreads.set(e.tgid, threads = new Set());
    threads.add(e.pid);
    const dur = e.type === "syscall" ? callDuration(e) : 0;
    const start = e.type === "syscall" ? callStart(e) : e.rel;
    if (start < this.first) this.first = start;
    if (start + dur > this.last) this.last = start + dur;
    switch (e.type) {
      case "syscall":
        this.syscall(e, start, dur);
        return;
      case "exit":
      case "killed":
        if (e.pid === e.tgid) {
          this.procEnd.set(
            e.tgid,
            e.type === "exit" ? `exited with ${e.code}` : `killed by ${e.signal}`,
          );
        }
        this.mark(e, e.type === "exit" ? `exit ${e.code}` : `killed by ${e.signal}`);
        return;
      case "signal":
        this.mark(e, String(e.signal));
        return;
      case "proto":
      case "request":
        if (isRequest(e)) {
          const r = requestTree(e);
          if (r) {
            this.reqCount++;
            this.reqs.add(r);
          }
        } else this.proto(e);
        return;
    }
  }

  /** Records an instant (a signal, an exit) on its thread for the timeline. */
  private mark(e: ViewEvent, label: string): void {
    let m = this.marks.get(e.pid);
    if (!m) this.marks.set(e.pid, m = []);
    if (m.length < 1000) m.push([Math.round(e.rel * 1e6), label]);
  }

  /** Counts one syscall, keeps its slice and, when slow enough, its text. */
  private syscall(e: ViewEvent, start: number, dur: number): void {
    const name = String(e.syscall);
    let row = this.rows.get(name);
    if (!row) {
      this.rows.set(name, row = { name, calls: 0, errors: 0, total: 0, min: Infinity, max: 0 });
    }
    row.calls++;
    row.total += dur;
    if (dur < row.min) row.min = dur;
    if (dur > row.max) row.max = dur;
    if (typeof e.error === "string") {
      row.errors++;
      const k = `${name}\t${e.error}`;
      this.errs.set(k, (this.errs.get(k) ?? 0) + 1);
    }
    this.procCalls.set(e.tgid, (this.procCalls.get(e.tgid) ?? 0) + 1);
    if (this.spanCount < MAX_SPANS) {
      let idx = this.nameIdx.get(name);
      if (idx === undefined) {
        idx = this.spanNames.length;
        this.spanNames.push(name);
        this.nameIdx.set(name, idx);
      }
      let list = this.spans.get(e.pid);
      if (!list) this.spans.set(e.pid, list = []);
      list.push(Math.round(start * 1e6), Math.round(dur * 1e6), idx, e.error !== undefined ? 1 : 0);
      this.spanCount++;
    } else this.dropped++;
    if (this.slow.wants(dur)) {
      this.slow.add({ pid: e.pid, tgid: e.tgid, start, duration: dur, text: syscallText(e, 300) });
    }
  }

  /** Counts one protocol message; a response (with a latency) is named after its request. */
  private proto(e: ViewEvent): void {
    const p = String(e.proto);
    let acc = this.protos.get(p);
    if (!acc) {
      acc = {
        messages: 0,
        responses: 0,
        errors: 0,
        statuses: new Map(),
        lat: [],
        seen: 0,
        slowest: new Top(TOP, (x) => x.latency),
      };
      this.protos.set(p, acc);
    }
    acc.messages++;
    const label = this.exchangeNames.see(e);
    if (label === undefined || typeof e.latency !== "number") return;
    acc.responses++;
    if (e.error) acc.errors++;
    const st = statusOf(e);
    acc.statuses.set(st, (acc.statuses.get(st) ?? 0) + 1);
    acc.seen++;
    if (acc.lat.length < SAMPLE) acc.lat.push(e.latency);
    else {
      const j = Math.floor(Math.random() * acc.seen);
      if (j < SAMPLE) acc.lat[j] = e.latency;
    }
    acc.slowest.add({ label, latency: e.latency, pid: e.pid });
    this.exchanges.add({
      label,
      proto: p,
      pid: e.pid,
      tgid: e.tgid,
      start: e.rel - e.latency,
      duration: e.latency,
      error: e.error === true,
      children: [],
    });
  }

  /** The page's data. */
  data(): ReportData {
    const procs = [...this.procThreads.keys()].sort((a, b) => a - b).map((tgid) => ({
      tgid,
      name: this.names.process(tgid),
      threads: [...this.procThreads.get(tgid)!].sort((a, b) => a - b).map((
        t,
      ): [number, string] => [t, this.names.thread(t)]),
      calls: this.procCalls.get(tgid) ?? 0,
      end: this.procEnd.get(tgid) ?? "",
    }));
    const protos: ProtoSummary[] = [...this.protos].map(([proto, a]) => {
      const sorted = [...a.lat].sort((x, y) => x - y);
      return {
        proto,
        messages: a.messages,
        responses: a.responses,
        errors: a.errors,
        statuses: Object.fromEntries(a.statuses),
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        slowest: a.slowest.items,
      };
    });
    const rows = [...this.rows.values()].map((r) => ({ ...r, min: r.calls ? r.min : 0 }));
    rows.sort((a, b) => b.total - a.total || b.calls - a.calls);
    const spans: Record<string, number[]> = {};
    for (const [t, l] of this.spans) spans[t] = l;
    const marks: Record<string, [number, string][]> = {};
    for (const [t, l] of this.marks) marks[t] = l;
    return {
      title: this.title,
      epoch0: this.epoch0,
      span: this.events ? [this.first, this.last] : [0, 0],
      counts: Object.fromEntries(this.counts),
      syscalls: rows,
      errors: [...this.errs].map(([k, n]): [string, string, number] => {
        const [s, e] = k.split("\t");
        return [s, e, n];
      }).sort((a, b) => b[2] - a[2]),
      processes: procs,
      names: this.spanNames,
      spans,
      droppedSpans: this.dropped,
      marks,
      slowCalls: this.slow.items,
      requests: this.reqCount ? this.reqs.items : this.exchanges.items,
      requestCount: this.reqCount,
      protos,
      badLines: this.badLines.slice(0, 100),
    };
  }
}

/** JSON of the data, safe inside a `<script>` element. */
export function embedJson(d: ReportData | Json): string {
  return JSON.stringify(d).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}
