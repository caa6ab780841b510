/**
 * What the views (timeline, HTML report, live view) read: the JSON form of events, exactly the
 * objects {@linkcode eventToJson} produces and `--json` writes one per line. The views are fed
 * either live (a bus sink converts each event with `eventToJson`) or from a saved `.jsonl` file
 * (`sctrace report` / `sctrace timeline`), so both paths see the same objects.
 *
 * This module checks such objects ({@linkcode asViewEvent}), reads `.jsonl` files line by line
 * ({@linkcode readJsonl}, which names each bad line and goes on), names processes
 * ({@linkcode ProcessNames}), reads request objects ({@linkcode requestTree}), and renders argument
 * values compactly ({@linkcode jsonArgText}).
 * @module
 */

import type { Json } from "../../decoders/value.ts";

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** One event in its JSON form (see `core/events/json.ts`), checked for the common fields. */
export interface ViewEvent extends JsonObject {
  /** The kind of event (`syscall`, `signal`, `exit`, `proto`…). */
  type: string;
  /** Wall-clock seconds since the epoch. */
  time: number;
  /** Seconds since sctrace started. */
  rel: number;
  /** The thread. */
  pid: number;
  /** Its process. */
  tgid: number;
}

/** The event types the views know; others are kept but only counted. */
export const KNOWN_TYPES: ReadonlySet<string> = new Set([
  "syscall",
  "signal",
  "stopped",
  "exit",
  "killed",
  "attach",
  "detach",
  "superseded",
  "proto",
  "request",
  "note",
]);

/**
 * Checks that `v` is an event object (a `type`, numeric `time`/`rel`, integer `pid`/`tgid`);
 * returns it typed, or why it is not one.
 */
export function asViewEvent(v: unknown): ViewEvent | string {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "not a JSON object";
  const o = v as JsonObject;
  if (typeof o.type !== "string") return 'no "type" field (not a sctrace --json event)';
  if (typeof o.rel !== "number" || !isFinite(o.rel)) return 'no numeric "rel" field';
  if (typeof o.time !== "number" || !isFinite(o.time)) return 'no numeric "time" field';
  if (!Number.isInteger(o.pid) || !Number.isInteger(o.tgid)) return 'no integer "pid"/"tgid"';
  return o as ViewEvent;
}

/** A line of a `.jsonl` file that could not be used. */
export interface BadLine {
  /** 1-based line number. */
  line: number;
  /** Why. */
  why: string;
}

/**
 * Reads a `.jsonl` trace from `stream`, handing each usable event to `take` and each bad line to
 * `bad` (a truncated last line, a line that is not JSON, a JSON value that is not an event).
 * Blank lines are skipped. Resolves to the number of events taken.
 */
export async function readJsonl(
  stream: ReadableStream<Uint8Array>,
  take: (e: ViewEvent) => void,
  bad: (b: BadLine) => void,
): Promise<number> {
  const decoder = new TextDecoder();
  let rest = "";
  let line = 0;
  let taken = 0;
  const one = (text: string) => {
    line++;
    if (text.trim() === "") return;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      bad({ line, why: `not JSON (${e instanceof Error ? e.message : e})` });
      return;
    }
    const ev = asViewEvent(v);
    if (typeof ev === "string") bad({ line, why: ev });
    else {
      taken++;
      take(ev);
    }
  };
  for await (const chunk of stream) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      one(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
    }
  }
  rest += decoder.decode();
  if (rest !== "") one(rest);
  return taken;
}

/** The basename of a path. */
function base(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A string argument's text, whether plain or `{"str": …}` (truncated / not UTF-8). */
export function jsonString(v: Json | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && !Array.isArray(v) && typeof v.str === "string") return v.str;
  return undefined;
}

/**
 * Process and thread names, learnt from the events: a successful `execve`'s path (its basename,
 * as `comm`), a `comm` field on any event (sctrace adds it where it knows it), or a lookup given
 * by the caller (live tracing reads `/proc/PID/comm`). Unknown ones are `pid N`.
 */
export class ProcessNames {
  private procs = new Map<number, string>();
  private threads = new Map<number, string>();
  private lookup?: (tgid: number, tid: number) => string | undefined;

  /** `lookup`, when given, is asked once for each new process and thread. */
  constructor(lookup?: (tgid: number, tid: number) => string | undefined) {
    this.lookup = lookup;
  }

  /**
   * Learns what `e` says. Returns what changed: `process` when the process's name is new or
   * different, `thread` when only a new thread was seen, else `undefined`.
   */
  see(e: ViewEvent): "process" | "thread" | undefined {
    let changed: "process" | "thread" | undefined;
    let name = this.procs.get(e.tgid);
    if (name === undefined) {
      name = this.lookup?.(e.tgid, e.tgid) ?? `pid ${e.tgid}`;
      this.procs.set(e.tgid, name);
      changed = "process";
    }
    if (!this.threads.has(e.pid)) {
      const t = e.pid === e.tgid ? name : this.lookup?.(e.tgid, e.pid) ?? name;
      this.threads.set(e.pid, t);
      changed ??= "thread";
    }
    let renamed: string | undefined;
    if (typeof e.comm === "string") renamed = e.comm;
    else if (
      e.type === "syscall" && (e.syscall === "execve" || e.syscall === "execveat") &&
      e.ret === 0 && Array.isArray(e.args)
    ) {
      const path = jsonString(e.args[e.syscall === "execve" ? 0 : 1]);
      if (path) renamed = base(path).slice(0, 15);
    }
    if (renamed !== undefined && renamed !== name) {
      this.procs.set(e.tgid, renamed);
      this.threads.set(e.pid, renamed);
      if (e.pid === e.tgid) {
        for (const [tid, t] of this.threads) {
          if (t === name && tid !== e.pid) this.threads.delete(tid);
        }
      }
      changed = "process";
    }
    return changed;
  }

  /** The process's name. */
  process(tgid: number): string {
    return this.procs.get(tgid) ?? `pid ${tgid}`;
  }

  /** The thread's name. */
  thread(tid: number): string {
    return this.threads.get(tid) ?? `tid ${tid}`;
  }

  /** Every process seen, with its name. */
  all(): [number, string][] {
    return [...this.procs];
  }
}

/** Reads `/proc/TGID/comm` (or `/proc/TGID/task/TID/comm`); `undefined` when it is gone. */
export function procComm(tgid: number, tid: number): string | undefined {
  try {
    const path = tgid === tid ? `/proc/${tgid}/comm` : `/proc/${tgid}/task/${tid}/comm`;
    return Deno.readTextFileSync(path).replace(/\n$/, "");
  } catch {
    return undefined;
  }
}

/**
 * Compact text of an argument's JSON form: strings quoted, `{"fd": 3, "path": "/x"}` as
 * `3</x>`, flags joined with `|`, structs as `{a=1, b=2}`; cut at `max` characters.
 */
export function jsonArgText(v: Json, max = 120): string {
  const out = render(v, 3);
  return out.length > max ? out.slice(0, max - 1) + "…" : out;
}

function render(v: Json, depth: number): string {
  if (v === null) return "NULL";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return String(v);
  if (depth <= 0) return "…";
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "string" && /^[A-Z0-9_x]+$/.test(x)) && v.length) {
      return v.join("|");
    }
    return "[" + v.map((x) => render(x, depth - 1)).join(", ") + "]";
  }
  if (typeof v.fd === "number") {
    const detail = typeof v.path === "string"
      ? v.path
      : typeof v.socket === "string"
      ? v.socket
      : undefined;
    const fd = v.fd === -100 ? "AT_FDCWD" : String(v.fd);
    return detail !== undefined ? `${fd}<${detail}>` : fd;
  }
  if (typeof v.str === "string") return JSON.stringify(v.str) + (v.truncated ? "..." : "");
  if (typeof v.text === "string" && Object.keys(v).length === 1) return v.text;
  if (typeof v.unavailable === "string") return v.unavailable;
  if (typeof v.call === "string" && Array.isArray(v.args)) {
    return `${v.call}(${v.args.map((x) => render(x, depth - 1)).join(", ")})`;
  }
  if ("in" in v && "out" in v && Object.keys(v).length === 2) {
    return `${render(v.in, depth - 1)} => ${render(v.out, depth - 1)}`;
  }
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    parts.push(k === "..." ? "..." : `${k}=${render(x, depth - 1)}`);
  }
  return "{" + parts.join(", ") + "}";
}

/**
 * When a syscall started, in seconds since sctrace started. A `syscall` event is stamped with
 * its entry stop (strace's `-t`/`-r` stamp the entry too), and `duration` runs from there.
 */
export function callStart(e: ViewEvent): number {
  return e.rel;
}

/** Seconds a syscall took (0 when not given). */
export function callDuration(e: ViewEvent): number {
  return typeof e.duration === "number" && e.duration > 0 ? e.duration : 0;
}

/** A syscall event's one-line text: `openat(AT_FDCWD, "/etc/x", O_RDONLY) = 3`. */
export function syscallText(e: ViewEvent, max = 200): string {
  const args = Array.isArray(e.args) ? e.args.map((a) => jsonArgText(a, 60)).join(", ") : "";
  let ret: string;
  if (e.ret === undefined) ret = "?";
  else if (typeof e.error === "string") ret = `-1 ${e.error}`;
  else if (e.result !== undefined) ret = jsonArgText(e.result, 60);
  else ret = String(e.ret);
  const text = `${e.syscall}(${args}) = ${ret}`;
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** One tier of a request as the views draw it (times in seconds since sctrace started). */
export interface RequestNode {
  /** A short label (`GET /index.php 200`, `COM_QUERY SELECT …`). */
  label: string;
  /** The protocol (`http`, `fastcgi`, `mysql`…). */
  proto: string;
  /** The thread that handled it (0 when not known). */
  pid: number;
  /** Its process (0 when not known). */
  tgid: number;
  /** Start, seconds since sctrace started. */
  start: number;
  /** Duration in seconds. */
  duration: number;
  /** Whether it failed (HTTP ≥ 500, an SQL error, `error: true`). */
  error: boolean;
  /** The tiers it caused. */
  children: RequestNode[];
}

function num(v: Json | undefined): number | undefined {
  return typeof v === "number" && isFinite(v) ? v : undefined;
}

/** The label of a request object or message, from what its fields say. */
function labelOf(o: JsonObject, fields: JsonObject): string {
  const pick = (k: string) => {
    const v = fields[k] ?? o[k];
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  };
  const method = pick("method");
  const uri = pick("uri") ?? pick("script") ?? pick("path");
  const status = pick("status");
  const query = pick("query") ?? pick("sql") ?? pick("command");
  let label: string | undefined;
  if (method || uri) label = [method, uri, status].filter((x) => x !== undefined).join(" ");
  else if (query) label = query;
  else label = pick("label") ?? pick("text") ?? pick("kind") ?? "request";
  return label.length > 160 ? label.slice(0, 159) + "…" : label;
}

/**
 * Reads a request object (a `proto` event of kind `request`, or a `request` event) into a tree.
 * Tolerant of the exact field names: a node's children are `children` (on the object or in
 * `fields`), each a plain object with `pid`/`tgid`, `start` or `rel` (seconds since sctrace
 * started) or `time` (epoch seconds), `duration` or `latency`, and its protocol fields. The root's
 * start is `start`, else the event's `rel` minus its duration. `epoch0` maps epoch times to `rel`.
 * Returns `undefined` for anything that is not a request object.
 */
export function requestTree(e: ViewEvent): RequestNode | undefined {
  if (!isRequest(e)) return undefined;
  const epoch0 = e.time - e.rel;
  return node(e, e.rel, epoch0, e.pid, e.tgid, 0);
}

/** Whether `e` is a request object (not a single protocol message). */
export function isRequest(e: ViewEvent): boolean {
  return e.type === "request" || (e.type === "proto" && e.kind === "request");
}

function node(
  o: JsonObject,
  end: number | undefined,
  epoch0: number,
  pid: number,
  tgid: number,
  depth: number,
): RequestNode {
  const fields = o.fields && typeof o.fields === "object" && !Array.isArray(o.fields)
    ? o.fields as JsonObject
    : {};
  const get = (k: string) => num(o[k]) ?? num(fields[k]);
  const duration = Math.max(0, get("duration") ?? get("latency") ?? 0);
  let start = get("start");
  if (
    start === undefined && num(o.time) !== undefined && o.rel === undefined && end !== undefined
  ) {
    start = (o.time as number) - epoch0 - duration;
  }
  if (start === undefined && num(o.rel) !== undefined) start = (o.rel as number) - duration;
  if (start === undefined) start = (end ?? 0) - duration;
  const status = get("status");
  const proto = typeof o.proto === "string"
    ? o.proto
    : typeof fields.proto === "string"
    ? fields.proto
    : "?";
  const n: RequestNode = {
    label: labelOf(o, fields),
    proto,
    pid: num(o.pid) ?? (depth === 0 ? pid : 0),
    tgid: num(o.tgid) ?? num(o.pid) ?? (depth === 0 ? tgid : 0),
    start,
    duration,
    error: o.error === true || fields.error === true || (status !== undefined && status >= 500),
    children: [],
  };
  const kids = Array.isArray(o.children) ? o.children : fields.children;
  if (Array.isArray(kids) && depth < 16) {
    for (const k of kids) {
      if (k && typeof k === "object" && !Array.isArray(k)) {
        n.children.push(node(k as JsonObject, undefined, epoch0, n.pid, n.tgid, depth + 1));
      }
    }
  }
  return n;
}

/** The label of a protocol message event (`GET /x`, `200 OK`, `COM_QUERY SELECT 1`). */
export function protoLabel(e: ViewEvent): string {
  const fields = e.fields && typeof e.fields === "object" && !Array.isArray(e.fields)
    ? e.fields as JsonObject
    : {};
  if (typeof e.text === "string" && e.text !== "") {
    return e.text.length > 160 ? e.text.slice(0, 159) + "…" : e.text;
  }
  return labelOf(e, fields);
}
