/**
 * `--timeline FILE` and `sctrace timeline`: the trace as a Chrome trace-event JSON file
 * (`{"traceEvents":[…]}`, times in µs since sctrace started) that `ui.perfetto.dev` and
 * `chrome://tracing` open as they are.
 *
 * - one track per thread, grouped by process (`M` events `process_name`/`thread_name`, renamed
 *   after an `execve`);
 * - every syscall a complete slice (`X`) with its arguments and result in `args`;
 * - signals, exits, kills, execs, attach/detach and notes as instant events (`i`);
 * - a protocol response with a latency as a slice (request to response) on a "protocol" track of
 *   its thread, other messages as instants; request objects as one slice per tier on the
 *   "requests" tracks of the threads that handled them, with flow arrows (`s`/`f`) from each tier
 *   to the tiers it caused (nginx → FastCGI → php-fpm worker → SQL).
 *
 * Written as events come (one line per trace event), so the file grows with the trace; the
 * closing `]}` is written by {@linkcode TimelineWriter.finish}, which runs when the trace ends,
 * including a `-p` trace stopped by Ctrl-C. (A file cut short by a crash still opens in
 * `chrome://tracing`, which accepts a JSON array without its end.)
 * @module
 */

import type { Json } from "../../decoders/value.ts";
import {
  callDuration,
  callStart,
  Exchanges,
  isRequest,
  type JsonObject,
  ProcessNames,
  protoLabel,
  type RequestNode,
  requestTree,
  type ViewEvent,
} from "./view_model.ts";

/** Synthetic track ids: lane k of thread T is `LANE_BASE * k + T` (pids stay below 2^22). */
export const LANE_BASE = 10_000_000;

/** Microseconds, integral (the events are µs-precise). */
function us(s: number): number {
  return Math.max(0, Math.round(s * 1e6));
}

/** Lanes of slices that may overlap (requests on an event-loop worker): each lane nests properly. */
class Lanes {
  /** Per thread: per lane, recent intervals [start, end] in µs. */
  private lanes = new Map<number, [number, number][][]>();

  /** The lane (1-based) where [start, end] nests with what is there. */
  place(tid: number, start: number, end: number): number {
    let list = this.lanes.get(tid);
    if (!list) this.lanes.set(tid, list = []);
    for (let k = 0; k < list.length; k++) {
      const lane = list[k];
      const fits = lane.every(([s, e]) =>
        end <= s || start >= e || (start >= s && end <= e) || (start <= s && end >= e)
      );
      if (fits) {
        lane.push([start, end]);
        if (lane.length > 64) lane.shift();
        return k + 1;
      }
    }
    list.push([[start, end]]);
    return list.length;
  }
}

/** Writes trace events as they come. */
export class TimelineWriter {
  private write: (s: string) => void;
  private names: ProcessNames;
  private first = true;
  private lanes = new Lanes();
  private laneNamed = new Set<number>();
  private flowId = 0;
  /** Requests waiting for their response, to name the response's slice. */
  private exchanges = new Exchanges();
  /** How many trace events were written. */
  count = 0;

  /** `write` takes the file's text in pieces; `names` names processes (a fresh one by default). */
  constructor(write: (s: string) => void, names: ProcessNames = new ProcessNames()) {
    this.write = write;
    this.names = names;
    this.write('{"displayTimeUnit":"ms","traceEvents":[\n');
  }

  /** Writes one trace event. */
  private emit(o: JsonObject): void {
    this.write((this.first ? "" : ",\n") + JSON.stringify(o));
    this.first = false;
    this.count++;
  }

  /** Writes one `M` (metadata) event. */
  private meta(name: string, pid: number, tid: number, value: string): void {
    this.emit({ name, ph: "M", pid, tid, args: { name: value } });
  }

  /** Names a synthetic lane track the first time it is used. */
  private lane(tgid: number, tid: number, k: number, what: string): number {
    const id = LANE_BASE * k + tid;
    if (!this.laneNamed.has(id)) {
      this.laneNamed.add(id);
      this.meta("thread_name", tgid, id, `${what} ${tid}${k > 1 ? ` (${k})` : ""}`);
      this.emit({
        name: "thread_sort_index",
        ph: "M",
        pid: tgid,
        tid: id,
        args: { sort_index: id },
      });
    }
    return id;
  }

  /** Takes one event (its JSON form). */
  add(e: ViewEvent): void {
    const changed = this.names.see(e);
    if (changed === "process") {
      this.meta("process_name", e.tgid, e.tgid, this.names.process(e.tgid));
      this.meta("thread_name", e.tgid, e.pid, this.names.thread(e.pid));
    } else if (changed === "thread") {
      this.meta("thread_name", e.tgid, e.pid, this.names.thread(e.pid));
    }
    switch (e.type) {
      case "syscall": {
        const dur = us(callDuration(e));
        const args: JsonObject = { args: e.args ?? [] };
        if (e.ret !== undefined) args.ret = e.ret;
        if (e.result !== undefined) args.result = e.result;
        if (e.error !== undefined) args.error = e.error;
        if (e.message !== undefined) args.message = e.message;
        if (e.unfinished) args.unfinished = true;
        if (e.injected) args.injected = e.injected;
        this.emit({
          name: String(e.syscall),
          cat: e.error !== undefined ? "syscall,error" : "syscall",
          ph: "X",
          ts: us(callStart(e)),
          dur,
          pid: e.tgid,
          tid: e.pid,
          args,
        });
        if ((e.syscall === "execve" || e.syscall === "execveat") && e.ret === 0) {
          this.instant(e, `exec ${this.names.process(e.tgid)}`, "exec", { args: e.args ?? [] });
        }
        return;
      }
      case "signal":
        this.instant(e, String(e.signal), "signal", e.info !== undefined ? { info: e.info } : {});
        return;
      case "stopped":
        this.instant(e, `stopped by ${e.signal}`, "signal", {});
        return;
      case "exit":
        this.instant(e, `exited with ${e.code}`, "exit", { code: e.code ?? null }, "p");
        return;
      case "killed":
        this.instant(e, `killed by ${e.signal}`, "exit", { core: e.core ?? false }, "p");
        return;
      case "attach":
      case "detach":
        this.instant(e, e.type + (e.origin ? ` (${e.origin})` : ""), "trace", {});
        return;
      case "superseded":
        this.instant(e, `superseded by execve of ${e.by}`, "exit", {});
        return;
      case "note":
        this.instant(e, `${e.source}: ${e.message}`, "note", {});
        return;
      case "proto":
      case "request":
        if (isRequest(e)) this.request(e);
        else this.proto(e);
        return;
    }
  }

  /** Writes an instant event on the thread (`p`: the whole process). */
  private instant(
    e: ViewEvent,
    name: string,
    cat: string,
    args: JsonObject,
    scope: "t" | "p" = "t",
  ): void {
    this.emit({ name, cat, ph: "i", s: scope, ts: us(e.rel), pid: e.tgid, tid: e.pid, args });
  }

  /** A protocol message: a response with a latency as a slice on the protocol track, else an instant. */
  private proto(e: ViewEvent): void {
    const args: JsonObject = {};
    for (const k of ["proto", "dir", "fd", "kind", "text", "local", "peer", "role", "fields"]) {
      if (e[k] !== undefined) args[k] = e[k] as Json;
    }
    const exchange = this.exchanges.see(e);
    const latency = typeof e.latency === "number" ? e.latency : undefined;
    if (exchange === undefined || latency === undefined) {
      this.instant(e, `${e.proto} ${protoLabel(e)}`, "proto", args);
      return;
    }
    const end = us(e.rel);
    const start = Math.max(0, end - us(latency));
    const k = this.lanes.place(e.pid, start, end);
    this.emit({
      name: `${e.proto} ${exchange}`,
      cat: e.error ? "proto,error" : "proto",
      ph: "X",
      ts: start,
      dur: end - start,
      pid: e.tgid,
      tid: this.lane(e.tgid, e.pid, k, "protocol"),
      args,
    });
  }

  /** A request object: its tiers as slices, with flows between them. */
  private request(e: ViewEvent): void {
    const root = requestTree(e);
    if (!root) return;
    this.tier(root, undefined, e);
  }

  /** One tier as a slice, its flow from the parent tier, then its children. */
  private tier(n: RequestNode, parent: { tgid: number; tid: number } | undefined, e: ViewEvent) {
    const tid0 = n.pid || e.pid;
    const tgid = n.tgid || n.pid || e.tgid;
    const start = us(n.start);
    const dur = us(n.duration);
    const tid = this.lane(tgid, tid0, this.lanes.place(tid0, start, start + dur), "requests");
    this.emit({
      name: `${n.proto} ${n.label}`,
      cat: n.error ? "request,error" : "request",
      ph: "X",
      ts: start,
      dur,
      pid: tgid,
      tid,
      args: { proto: n.proto, label: n.label, duration_ms: Math.round(n.duration * 1e6) / 1e3 },
    });
    if (parent) {
      const id = ++this.flowId;
      this.emit({
        name: "request",
        cat: "flow",
        ph: "s",
        id,
        ts: start,
        pid: parent.tgid,
        tid: parent.tid,
      });
      this.emit({ name: "request", cat: "flow", ph: "f", bp: "e", id, ts: start, pid: tgid, tid });
    }
    for (const c of n.children) this.tier(c, { tgid, tid }, e);
  }

  /** Ends the file (`]}`). */
  finish(): void {
    this.write("\n]}\n");
  }
}
