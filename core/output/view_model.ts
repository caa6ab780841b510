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
    // The summaries `-c --json` and `--proto` end a trace with: not events, nothing to draw.
    const type = (v as { type?: unknown } | null)?.type;
    if (type === "summary" || type === "proto_summary") return;
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

/** The first quoted string of an untyped argument's text (`{"text": "\"/bin/sh\", [...]"}`). */
function firstQuoted(v: Json | undefined): string | undefined {
  const t = v && typeof v === "object" && !Array.isArray(v) ? v.text : undefined;
  if (typeof t !== "string") return undefined;
  const m = t.match(/^"((?:[^"\\]|\\.)*)"/);
  return m ? m[1] : undefined;
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
      // The kernel's name for it now (live), else the program's path (a saved trace).
      const arg = e.args[e.syscall === "execve" ? 0 : 1];
      const path = jsonString(arg) ?? firstQuoted(arg);
      renamed = this.lookup?.(e.tgid, e.tgid) ?? (path ? base(path).slice(0, 15) : undefined);
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
 * When a syscall started, in seconds since sctrace started. A `syscall` event is stamped at its
 * exit stop (when it is emitted), and `duration` runs from its entry: it started `duration`
 * before its `rel`.
 */
export function callStart(e: ViewEvent): number {
  return e.rel - callDuration(e);
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

function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v as JsonObject : undefined;
}

function cut(s: string): string {
  return s.length > 160 ? s.slice(0, 159) + "…" : s;
}

/**
 * The label of a request tier: `GET /index.php 200` (HTTP, FastCGI), the SQL of a query, else the
 * request message's kind. Reads `request.fields`/`response.fields` (the request view's tiers)
 * or the object's own `fields`.
 */
function tierLabel(o: JsonObject): string {
  const rf = obj(obj(o.request)?.fields) ?? obj(o.fields) ?? {};
  const resf = obj(obj(o.response)?.fields) ?? {};
  const pick = (f: JsonObject, k: string) => {
    const v = f[k];
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  };
  const method = pick(rf, "method");
  const uri = pick(rf, "uri") ?? pick(rf, "script");
  const status = pick(o, "status") ?? pick(resf, "status") ?? pick(rf, "status");
  if (method || uri) return cut([method, uri, status].filter((x) => x !== undefined).join(" "));
  const query = pick(rf, "query") ?? pick(rf, "sql");
  if (query) return cut(query);
  const kind = pick(obj(o.request) ?? {}, "kind") ?? pick(rf, "command") ?? pick(o, "kind");
  return cut(kind ?? pick(o, "label") ?? "request");
}

/**
 * Reads a request object (a `proto` event of kind `request`: the request view's, whose
 * `fields.tiers` is the tree) into {@linkcode RequestNode}s. Each tier has `proto`, `pids` (the
 * processes that took part, client side first), `request`/`response` (`kind`, `fields`),
 * `status`, `duration` (seconds), `error` and `children`; `start` (seconds since sctrace started)
 * when the tier carries it. The top tier ends at the event (its `rel`) and lasts its `latency`.
 * A tier without `start` is placed inside its parent, its siblings in order with the parent's
 * spare time spread between them (the picture is then approximate). A tier seen from two
 * processes (a FastCGI request with nginx and php-fpm both traced) becomes the client's tier with
 * the server's under it. Returns `undefined` for anything that is not a request object.
 */
export function requestTree(e: ViewEvent): RequestNode | undefined {
  if (!isRequest(e)) return undefined;
  const f = obj(e.fields) ?? {};
  const root = obj(f.tiers) ?? { ...f, proto: e.proto ?? f.proto ?? null, pids: [e.tgid] };
  const duration = Math.max(0, num(root.duration) ?? num(e.latency) ?? num(f.duration) ?? 0);
  const start = num(root.start) ?? e.rel - duration;
  return node(root, start, duration, e, 0);
}

/** Whether `e` is a request object (not a single protocol message). */
export function isRequest(e: ViewEvent): boolean {
  return e.type === "request" || (e.type === "proto" && e.kind === "request");
}

function node(
  o: JsonObject,
  start: number,
  duration: number,
  e: ViewEvent,
  depth: number,
): RequestNode {
  const pids = (Array.isArray(o.pids) ? o.pids : [o.pid ?? o.tgid ?? null]).filter((
    p,
  ): p is number => Number.isInteger(p));
  const tgid = pids[0] ?? (depth === 0 ? e.tgid : 0);
  const status = num(o.status) ?? num(obj(obj(o.response)?.fields)?.status);
  const n: RequestNode = {
    label: tierLabel(o),
    proto: typeof o.proto === "string" ? o.proto : "?",
    // Only the process is known; its thread is the event's when it is the event's process.
    pid: tgid === e.tgid ? e.pid : tgid,
    tgid,
    start,
    duration,
    error: o.error === true || (status !== undefined && status >= 500),
    children: [],
  };
  const kids = (Array.isArray(o.children) ? o.children : []).map(obj).filter((k): k is JsonObject =>
    k !== undefined
  );
  if (depth < 16 && kids.length) {
    const durs = kids.map((k) => Math.max(0, num(k.duration) ?? num(k.latency) ?? 0));
    const spare = Math.max(0, duration - durs.reduce((a, b) => a + b, 0));
    const gap = spare / (kids.length + 1);
    let t = start;
    kids.forEach((k, i) => {
      const s = num(k.start) ?? t + gap;
      n.children.push(node(k, s, durs[i], e, depth + 1));
      t = s + durs[i];
    });
  }
  if (pids.length > 1 && pids[1] !== tgid) {
    n.children = [{ ...n, pid: pids[1], tgid: pids[1], children: n.children }];
  }
  return n;
}

/**
 * The label of a protocol message event: from its fields when they say it (`GET /x`,
 * `200 OK`, the SQL), else its text without the `[proto fd=N dir] ` of the text output, its first
 * line, cut before the headers (` | `).
 */
export function protoLabel(e: ViewEvent): string {
  const f = obj(e.fields) ?? {};
  const str = (k: string) =>
    typeof f[k] === "string" || typeof f[k] === "number" ? String(f[k]) : undefined;
  if (str("method") !== undefined && str("uri") !== undefined) {
    return cut(`${str("method")} ${str("uri")}`);
  }
  if (str("query") !== undefined) return cut(str("query")!);
  if (typeof e.text === "string" && e.text !== "") {
    const line = e.text.replace(/^\[[^\]]*\] /, "").split("\n")[0].split(" | ")[0];
    return cut(line);
  }
  if (str("status") !== undefined) return cut([str("status"), str("reason")].join(" ").trim());
  return cut(String(e.kind ?? "?"));
}

/** Whether a message names its request well (a method and URI, or SQL), from its fields. */
function namesRequest(e: ViewEvent): boolean {
  const f = obj(e.fields) ?? {};
  return (typeof f.method === "string" && typeof f.uri === "string") || typeof f.query === "string";
}

/**
 * Pairs protocol responses with their requests per thread, descriptor and protocol: a message
 * with a `latency` answers the request seen before it on that stream (the one that named it
 * best: the HTTP request line, FastCGI's PARAMS, the SQL). Bounded: at most 10,000 streams.
 */
export class Exchanges {
  private pending = new Map<string, { label: string; strong: boolean }>();

  /**
   * Takes a message; for a response, returns `request → response`'s label (or the response's
   * alone when its request was not seen); for other messages, `undefined`.
   */
  see(e: ViewEvent): string | undefined {
    const key = `${e.pid}:${e.fd}:${e.proto}`;
    if (typeof e.latency !== "number") {
      // What the other side sends is not a request of this side's (a server's own output).
      const answer = (e.role === "server" && e.dir === "out") ||
        (e.role === "client" && e.dir === "in");
      if (answer) return undefined;
      const strong = namesRequest(e);
      const had = this.pending.get(key);
      if (!had || strong || !had.strong) {
        if (!had && this.pending.size >= 10_000) {
          this.pending.delete(this.pending.keys().next().value!);
        }
        this.pending.set(key, { label: protoLabel(e), strong });
      }
      return undefined;
    }
    const asked = this.pending.get(key);
    this.pending.delete(key);
    return asked ? `${asked.label} → ${protoLabel(e)}` : protoLabel(e);
  }
}
