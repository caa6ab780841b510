/**
 * The request view (`--requests`, and request events in JSON): one HTTP request followed across
 * the tiers a trace sees, nginx → FastCGI → a php-fpm worker → its SQL → the responses.
 *
 * How messages are linked (each link only when both of its ends were seen):
 * - an HTTP request read by a server opens a request, keyed by its connection (FIFO per stream:
 *   keep-alive and pipelining);
 * - a FastCGI request sent by the same process names the HTTP client in its `REMOTE_ADDR` and
 *   `REMOTE_PORT` params: that is the HTTP connection's peer (nginx's usual `fastcgi_params`);
 *   without them, the oldest open HTTP request of that process with the same URI;
 * - the FastCGI request read by a php-fpm worker is the one sent on the same connection (the TCP
 *   4-tuple or the unix socket pair, the same from either end) with the same request id; when its
 *   sender is not traced, the FastCGI request is the top of its own request;
 * - a php-fpm worker serves one request at a time: every database message (MySQL, PostgreSQL,
 *   Redis) it exchanges between the FastCGI request and its END_REQUEST belongs to that request;
 * - a request is complete when its top tier answers (the HTTP response, or END_REQUEST), or when
 *   its connection closes first (`close`, or the process exits: {@linkcode RequestTracker.closed},
 *   {@linkcode RequestTracker.exited}): then every tier still waiting on that connection is
 *   marked `closed` (no response: connection closed);
 * - when both ends of a database connection are traced (php-fpm and `mariadbd`), the query is the
 *   client's: the server's side never makes a tier of its own (it is not counted twice), its process
 *   is added to the client's tier (`procs`), found by the connection (the TCP 4-tuple or the unix
 *   socket pair);
 * - a database request read by its server (`mariadbd`, `postgres`, `redis-server`) whose client
 *   is not seen (not traced, or not a php-fpm worker) is the top of its own request, answered by
 *   the server's next response on that connection; should the client's side of the same query
 *   turn up after all (the tracer saw the two ends' stops out of order), it is the client's and
 *   the server's is dropped, as above.
 *
 * In the JSON form each tier carries `start` and `end` (its request and its answer, in seconds on
 * the clock of the events' `rel`; `end` is null when no answer was seen) and `duration`.
 *
 * Memory: at most {@linkcode MAX_OPEN} requests are open at once (the oldest are dropped), and a
 * request keeps at most {@linkcode MAX_CHILDREN} messages per tier.
 * @module
 */

import type { Json } from "../../decoders/value.ts";
import type { ProtoPayload } from "../events/types.ts";
import { safeLine } from "../../decoders/sniffers/reassembly.ts";

/** The most requests open at once. */
export const MAX_OPEN = 4096;
/** The most children of one tier of a request (queries of one page). */
export const MAX_CHILDREN = 1000;

/** A message as the tap hands it over, with where it was seen. */
export interface SeenMessage {
  /** The process (thread group) that moved it. */
  tgid: number;
  /** The message. */
  p: ProtoPayload;
  /** Whether it opens a request (`ProtoMessage.request` was set). */
  request: boolean;
  /** Whether it answers the oldest open request of its stream. */
  response: boolean;
  /** The connection, the same from both ends (`tcp:a|b`, `unix:1-2`), when known. */
  conn?: string;
  /** On a response, its outcome in a few words (`ProtoMessage.outcome`: `SELECT 3`, `ERROR 42P01`). */
  outcome?: string;
  /** Milliseconds (performance.now) when it was seen. */
  at: number;
}

/** One tier of a request (a request and its answer on one connection), with the tiers under it. */
export interface Tier {
  /** The protocol. */
  proto: string;
  /** The processes that took part (the sender first when both ends were traced). */
  procs: number[];
  /** The descriptor (the sender's when both ends were traced). */
  fd: number;
  /** This end's endpoint. */
  local?: string;
  /** The other end's endpoint. */
  peer?: string;
  /** The role of the process that `local` belongs to. */
  role?: "client" | "server";
  /** When the request was seen (ms, performance.now). */
  start: number;
  /** When the answer was seen. */
  end?: number;
  /** The request message. */
  req: ProtoPayload;
  /** The answer. */
  res?: ProtoPayload;
  /**
   * What the answer is about, when it came before the answer itself (PostgreSQL's
   * `COMPLETE SELECT 3 …` or `ERROR 42P01 …` before the `READY_FOR_QUERY` that answers): the
   * latest message between request and answer whose text holds the answer's outcome.
   */
  detail?: ProtoPayload;
  /** The last few messages between request and answer (for {@linkcode detail}). */
  recent?: ProtoPayload[];
  /** The status carried by a message before the answer (FastCGI STDOUT's CGI status). */
  status?: number;
  /** The tiers under it (FastCGI under HTTP, SQL under FastCGI). */
  children: Tier[];
  /** Children not kept (past {@linkcode MAX_CHILDREN}). */
  dropped: number;
  /** The FastCGI request id. */
  fcgiId?: number;
  /** Its connection and request id. */
  fcgiKey?: string;
  /** END_REQUESTs seen (one per traced side). */
  ends?: number;
  /** 2 when both ends of a FastCGI request were seen. */
  sides?: number;
  /** The tier above. */
  parent?: Tier;
  /** Its connection closed before an answer was seen. */
  closed?: boolean;
  /** Still waiting for an answer when the trace ended (every tracee detached). */
  pending?: boolean;
  /** The streams (`tgid:fd`) of a FastCGI request that have not seen its END_REQUEST yet. */
  waiting?: string[];
}

/** Follows requests across tiers; see the module's doc. */
export class RequestTracker {
  /** Open HTTP requests per stream (`tgid:fd`), oldest first. */
  #http = new Map<string, Tier[]>();
  /** Open HTTP requests by their client's endpoint (`127.0.0.1:41234`). */
  #byClient = new Map<string, Tier>();
  /** FastCGI requests by connection and request id. */
  #fcgi = new Map<string, Tier>();
  /** The FastCGI request a worker (tgid) is serving. */
  #worker = new Map<number, Tier>();
  /** Open database requests per stream (`tgid:fd`), oldest first. */
  #db = new Map<string, Tier[]>();
  /** FastCGI requests per stream (`tgid:fd`) that carries them, until END_REQUEST or close. */
  #fcgiOn = new Map<string, Set<Tier>>();
  /** The client stream (`tgid:fd`) of a database connection (`conn`) seen from a worker. */
  #dbClient = new Map<string, string>();
  /** The traced server process of a database connection (`conn`). */
  #dbServer = new Map<string, number>();
  /** Open database requests seen only by their server, per server stream (`tgid:fd`). */
  #alone = new Map<string, Tier[]>();
  /** The server stream (`tgid:fd`) of a database connection (`conn`) with such requests. */
  #aloneConn = new Map<string, string>();
  #open = 0;
  #comm = new Map<number, string>();

  /** Sees one message; returns the requests it completed. */
  see(m: SeenMessage): Tier[] {
    const done: Tier[] = [];
    const p = m.p;
    if (p.kind === "desync") return done;
    const k = `${m.tgid}:${p.fd}`;
    if (p.proto === "http") this.#seeHttp(m, k, done);
    else if (p.proto === "fastcgi") this.#seeFcgi(m, k, done);
    else if (this.#worker.has(m.tgid)) this.#seeDb(m, k);
    else if (m.request && p.dir === "in" && m.conn) this.#seeDbServer(m, k);
    else if (m.response && p.dir === "out") this.#answerAlone(m, k, done);
    else if (p.dir === "out") keepRecent(this.#alone.get(k)?.[0], p);
    return done;
  }

  /**
   * Descriptor `fd` of process `tgid` was closed (its connection `conn`, as in
   * {@linkcode SeenMessage.conn}, when known): every request still waiting for an answer on it is
   * finished as closed; returns the requests that completes.
   */
  closed(tgid: number, fd: number, conn?: string): Tier[] {
    const done: Tier[] = [];
    const k = `${tgid}:${fd}`;
    const http = this.#http.get(k);
    if (http) {
      this.#http.delete(k);
      for (const t of http) {
        if (t.peer && this.#byClient.get(t.peer) === t) this.#byClient.delete(t.peer);
        this.#open--;
        t.closed = true;
        done.push(t);
      }
    }
    const fcgi = this.#fcgiOn.get(k);
    if (fcgi) {
      this.#fcgiOn.delete(k);
      for (const t of fcgi) this.#fcgiClosed(t, tgid, k, done);
    }
    const db = this.#db.get(k);
    if (db) {
      this.#db.delete(k);
      for (const t of db) t.closed = true;
    }
    const alone = this.#alone.get(k);
    if (alone) {
      this.#alone.delete(k);
      for (const t of alone) {
        t.closed = true;
        done.push(t);
      }
    }
    if (conn !== undefined) {
      if (this.#aloneConn.get(conn) === k) this.#aloneConn.delete(conn);
      for (const c of [conn, `tls:${conn}`]) {
        if (this.#dbClient.get(c) === k) this.#dbClient.delete(c);
        if (this.#dbServer.get(c) === tgid) this.#dbServer.delete(c);
      }
    }
    return done;
  }

  /**
   * Process `tgid` is gone: its descriptors are closed ({@linkcode closed} for each stream it had
   * open requests on); returns the requests that completes.
   */
  exited(tgid: number): Tier[] {
    const done: Tier[] = [];
    const prefix = `${tgid}:`;
    const fds = new Set<number>();
    for (const m of [this.#http, this.#fcgiOn, this.#db, this.#alone]) {
      for (const k of m.keys()) if (k.startsWith(prefix)) fds.add(Number(k.slice(prefix.length)));
    }
    for (const fd of fds) done.push(...this.closed(tgid, fd));
    this.#worker.delete(tgid);
    for (const [c, s] of this.#dbServer) if (s === tgid) this.#dbServer.delete(c);
    for (const [c, k] of this.#dbClient) if (k.startsWith(prefix)) this.#dbClient.delete(c);
    return done;
  }

  /**
   * The trace is over (every tracee detached or gone): the requests still waiting for an answer
   * are finished as pending, outermost first, and forgotten; returns them.
   */
  unanswered(): Tier[] {
    const done: Tier[] = [];
    for (const list of this.#http.values()) {
      for (const t of list) {
        t.pending = true;
        done.push(t);
      }
    }
    for (const t of this.#fcgi.values()) {
      if (!t.res) t.pending = true;
      // One under an HTTP request is printed in that request's block (or was already).
      if (!t.parent) done.push(t);
    }
    for (const list of this.#alone.values()) {
      for (const t of list) {
        t.pending = true;
        done.push(t);
      }
    }
    this.#alone.clear();
    this.#aloneConn.clear();
    this.#http.clear();
    this.#byClient.clear();
    this.#fcgi.clear();
    this.#fcgiOn.clear();
    this.#worker.clear();
    this.#db.clear();
    this.#open = 0;
    return done;
  }

  /** One side (`k`) of FastCGI request `t` closed its connection. */
  #fcgiClosed(t: Tier, tgid: number, k: string, done: Tier[]): void {
    t.waiting = t.waiting?.filter((w) => w !== k);
    if (this.#fcgi.get(t.fcgiKey!) !== t) return;
    if (this.#worker.get(tgid) === t) this.#worker.delete(tgid);
    if (t.res) {
      // The other side saw the answer: this side is done too.
      t.ends = (t.ends ?? 0) + 1;
      if (t.ends < (t.sides ?? 1)) return;
    } else t.closed = true;
    this.#fcgi.delete(t.fcgiKey!);
    this.#unwatch(t);
    this.#open--;
    if (!t.parent) done.push(t);
  }

  /** FastCGI request `t` is carried by stream `k` until its END_REQUEST or a close. */
  #watch(t: Tier, k: string): void {
    let set = this.#fcgiOn.get(k);
    if (!set) this.#fcgiOn.set(k, set = new Set());
    set.add(t);
    (t.waiting ??= []).push(k);
  }

  /** Stream `k` has seen FastCGI request `t`'s END_REQUEST, or `t` is gone. */
  #unwatch(t: Tier, k?: string): void {
    for (const w of k === undefined ? t.waiting ?? [] : [k]) {
      const set = this.#fcgiOn.get(w);
      set?.delete(t);
      if (set?.size === 0) this.#fcgiOn.delete(w);
    }
    t.waiting = k === undefined ? [] : t.waiting?.filter((w) => w !== k);
  }

  #tier(m: SeenMessage): Tier {
    const p = m.p;
    // Named while it lives: a request may be printed after its process is gone (its exit).
    this.comm(m.tgid);
    return {
      proto: p.proto,
      procs: [m.tgid],
      fd: p.fd,
      local: p.local,
      peer: p.peer,
      role: p.role,
      start: m.at,
      req: p,
      children: [],
      dropped: 0,
    };
  }

  #count(): void {
    if (++this.#open <= MAX_OPEN) return;
    // Too many open: forget the oldest HTTP and FastCGI ones.
    const first = this.#http.keys().next();
    if (!first.done) {
      const list = this.#http.get(first.value)!;
      const t = list.shift();
      if (!list.length) this.#http.delete(first.value);
      if (t?.peer) this.#byClient.delete(t.peer);
    }
    const f = this.#fcgi.entries().next();
    if (!f.done) {
      this.#fcgi.delete(f.value[0]);
      this.#unwatch(f.value[1]);
    }
    this.#open = Math.min(this.#open, MAX_OPEN);
  }

  #seeHttp(m: SeenMessage, k: string, done: Tier[]): void {
    const p = m.p;
    // Only the server's side of HTTP opens a request here (a traced client sees its own).
    if (m.request && p.dir === "in") {
      const t = this.#tier(m);
      let list = this.#http.get(k);
      if (!list) this.#http.set(k, list = []);
      list.push(t);
      if (t.peer) this.#byClient.set(t.peer, t);
      this.#count();
      return;
    }
    if (m.response && p.dir === "out") {
      const list = this.#http.get(k);
      const t = list?.shift();
      if (!t) return;
      if (!list!.length) this.#http.delete(k);
      if (t.peer && this.#byClient.get(t.peer) === t) this.#byClient.delete(t.peer);
      this.#open--;
      t.res = p;
      t.end = m.at;
      done.push(t);
    }
  }

  #seeFcgi(m: SeenMessage, k: string, done: Tier[]): void {
    const p = m.p;
    const f = p.fields ?? {};
    const id = typeof f.request_id === "number" ? f.request_id : -1;
    const key = `${m.conn ?? `${m.tgid}:${p.fd}`}#${id}`;
    if (m.request && f.type === "PARAMS") {
      const params = (f.params && typeof f.params === "object" && !Array.isArray(f.params))
        ? f.params as { [k: string]: Json }
        : {};
      let t = this.#fcgi.get(key);
      if (t) {
        // The other end of a FastCGI request already seen (both sides traced).
        if (p.dir === "out") t.procs.unshift(m.tgid);
        else t.procs.push(m.tgid);
        t.sides = 2;
        if (p.dir === "out") {
          t.local = p.local;
          t.peer = p.peer;
          t.role = p.role;
          t.fd = p.fd;
        }
      } else {
        t = this.#tier(m);
        t.fcgiId = id;
        t.fcgiKey = key;
        t.sides = 1;
        t.ends = 0;
        this.#fcgi.set(key, t);
        this.#count();
      }
      if (!t.waiting?.includes(k)) this.#watch(t, k);
      if (p.dir === "out" && !t.parent) {
        // Sent by a web server: under the HTTP request it serves.
        const parent = this.#httpOf(m.tgid, params);
        if (parent) this.#adopt(parent, t);
      }
      if (p.dir === "in") this.#worker.set(m.tgid, t);
      return;
    }
    if (f.type === "END_REQUEST" && p.dir === "out" && this.#worker.get(m.tgid)?.fcgiKey === key) {
      // The worker answered: what it does next belongs to another request.
      this.#worker.delete(m.tgid);
    }
    const t = this.#fcgi.get(key);
    if (!t) return;
    if (typeof f.status === "number") t.status = f.status;
    if (f.type === "END_REQUEST") {
      this.#unwatch(t, k);
      if (!t.res || p.dir === "in") t.res = p;
      t.end = Math.max(t.end ?? 0, m.at);
      t.ends = (t.ends ?? 0) + 1;
      if (t.ends >= (t.sides ?? 1)) {
        this.#fcgi.delete(key);
        this.#unwatch(t);
        this.#open--;
        if (!t.parent) done.push(t);
      }
    }
  }

  /** The open HTTP request of process `tgid` that a FastCGI request with `params` serves. */
  #httpOf(tgid: number, params: { [k: string]: Json }): Tier | undefined {
    const addr = params.REMOTE_ADDR;
    const port = params.REMOTE_PORT;
    if (typeof addr === "string" && typeof port === "string") {
      const t = this.#byClient.get(`${addr.includes(":") ? `[${addr}]` : addr}:${port}`);
      if (t && t.procs[0] === tgid) return t;
    }
    for (const [hk, list] of this.#http) {
      if (!hk.startsWith(`${tgid}:`)) continue;
      const t = list.find((h) => h.req.fields?.uri === params.REQUEST_URI && !h.children.length);
      if (t) return t;
    }
    return undefined;
  }

  #adopt(parent: Tier, child: Tier): void {
    child.parent = parent;
    if (parent.children.length < MAX_CHILDREN) parent.children.push(child);
    else parent.dropped++;
  }

  #seeDb(m: SeenMessage, k: string): void {
    const p = m.p;
    const req = this.#worker.get(m.tgid)!;
    if (m.request) {
      const t = this.#tier(m);
      if (m.conn !== undefined) {
        this.#dbClient.set(m.conn, k);
        if (this.#dbClient.size > MAX_OPEN) {
          this.#dbClient.delete(this.#dbClient.keys().next().value!);
        }
        const server = this.#dbServer.get(m.conn);
        if (server !== undefined && server !== m.tgid) t.procs.push(server);
        this.#dropAlone(m.conn, t);
      }
      this.#adopt(req, t);
      let list = this.#db.get(k);
      if (!list) this.#db.set(k, list = []);
      list.push(t);
      if (list.length > MAX_CHILDREN) list.shift();
      return;
    }
    if (!m.response) {
      if (p.dir === "in") keepRecent(this.#db.get(k)?.[0], p);
      return;
    }
    const list = this.#db.get(k);
    const t = list?.shift();
    if (!t) return;
    if (!list!.length) this.#db.delete(k);
    answer(t, m);
  }

  /**
   * A database request read by its server (`mariadbd` traced too). When the client's side was seen
   * (a php-fpm worker), it is not a tier of its own (the client's is the one), but the server's
   * process joins the client's open tiers on the same connection, and those to come. Otherwise it
   * is a request of its own, on the server's stream `k`.
   */
  #seeDbServer(m: SeenMessage, k: string): void {
    const conn = m.conn!;
    this.#dbServer.delete(conn);
    this.#dbServer.set(conn, m.tgid);
    if (this.#dbServer.size > MAX_OPEN) this.#dbServer.delete(this.#dbServer.keys().next().value!);
    const ck = this.#dbClient.get(conn);
    if (ck !== undefined) {
      for (const t of this.#db.get(ck) ?? []) {
        if (!t.procs.includes(m.tgid)) t.procs.push(m.tgid);
      }
      return;
    }
    const t = this.#tier(m);
    let list = this.#alone.get(k);
    if (!list) {
      this.#alone.set(k, list = []);
      if (this.#alone.size > MAX_OPEN) this.#alone.delete(this.#alone.keys().next().value!);
    }
    list.push(t);
    if (list.length > MAX_CHILDREN) list.shift();
    this.#aloneConn.set(conn, k);
    if (this.#aloneConn.size > MAX_OPEN) {
      this.#aloneConn.delete(this.#aloneConn.keys().next().value!);
    }
  }

  /** A server's response on stream `k`: answers the oldest request seen only by that server. */
  #answerAlone(m: SeenMessage, k: string, done: Tier[]): void {
    const list = this.#alone.get(k);
    const t = list?.shift();
    if (!t) return;
    if (!list!.length) this.#alone.delete(k);
    answer(t, m);
    done.push(t);
  }

  /**
   * The client's side of a query on `conn` was seen after the server's: the server's tier of that
   * query (the newest open one) is dropped, and its process joins the client's tier `t`.
   */
  #dropAlone(conn: string, t: Tier): void {
    const k = this.#aloneConn.get(conn);
    if (k === undefined) return;
    this.#aloneConn.delete(conn);
    const list = this.#alone.get(k);
    const s = list?.pop();
    if (!s) return;
    if (!list!.length) this.#alone.delete(k);
    for (const p of s.procs) if (!t.procs.includes(p)) t.procs.push(p);
  }

  /** The name of a process (`/proc/PID/comm`), cached. */
  comm(tgid: number): string {
    let c = this.#comm.get(tgid);
    if (c === undefined) {
      try {
        c = Deno.readTextFileSync(`/proc/${tgid}/comm`).trim();
      } catch {
        c = "?";
      }
      this.#comm.set(tgid, c);
      if (this.#comm.size > 4096) this.#comm.delete(this.#comm.keys().next().value!);
    }
    return c;
  }

  /** The payload of a completed request: its text block and its tree as fields. */
  payload(t: Tier): ProtoPayload {
    const lines: string[] = [];
    this.#lines(t, 0, lines);
    const tree = this.#json(t);
    const rf = t.req.fields ?? {};
    const status = typeof t.res?.fields?.status === "number"
      ? t.res.fields.status
      : t.status ?? null;
    const dur = t.end !== undefined ? (t.end - t.start) / 1000 : undefined;
    return {
      proto: t.proto,
      dir: t.req.dir,
      fd: t.fd,
      kind: "request",
      text: lines.join("\n"),
      fields: {
        method: (rf.method ?? null) as Json,
        uri: (rf.uri ?? null) as Json,
        status,
        duration: dur ?? null,
        queries: countDb(t),
        tiers: tree,
      },
      ...(t.local ? { local: t.local } : {}),
      ...(t.peer ? { peer: t.peer } : {}),
      ...(t.role ? { role: t.role } : {}),
      ...(dur !== undefined ? { latency: dur } : {}),
      ...(hasError(t) ? { error: true } : {}),
    };
  }

  /** Every message of a request, for `--proto-filter`. */
  messages(t: Tier): ProtoPayload[] {
    const out: ProtoPayload[] = [t.req];
    if (t.res) out.push(t.res);
    for (const c of t.children) out.push(...this.messages(c));
    return out;
  }

  #lines(t: Tier, depth: number, out: string[]): void {
    const who = t.procs.map((pid) => `${this.comm(pid)}[${pid}]`).join(" -> ");
    const ends = t.local || t.peer
      ? ` ${
        t.role === "server"
          ? `${t.peer ?? "?"} -> ${t.local ?? "?"}`
          : `${t.local ?? "?"} -> ${t.peer ?? "?"}`
      }`
      : "";
    const what = requestName(t);
    const outcome = t.res
      ? outcomeText(t)
      : t.closed
      ? "(no response: connection closed)"
      : t.pending
      ? "(no response before the trace ended)"
      : "(no answer seen)";
    const ms = t.end !== undefined ? ` ${(t.end - t.start).toFixed(3)} ms` : "";
    const head = depth === 0 ? "request " : "  ".repeat(depth);
    out.push(safeLine(`${head}${t.proto} ${who}${ends}: ${what} -> ${outcome}${ms}`));
    for (const c of t.children) this.#lines(c, depth + 1, out);
    if (t.dropped) out.push(`${"  ".repeat(depth + 1)}(${t.dropped} more not kept)`);
  }

  #json(t: Tier): Json {
    return {
      proto: t.proto,
      pids: t.procs,
      fd: t.fd,
      local: t.local ?? null,
      peer: t.peer ?? null,
      role: t.role ?? null,
      request: { kind: t.req.kind, fields: (t.req.fields ?? null) as Json },
      response: t.res ? { kind: t.res.kind, fields: (t.res.fields ?? null) as Json } : null,
      status: t.status ?? null,
      start: seconds(t.start),
      end: t.end !== undefined ? seconds(t.end) : null,
      duration: t.end !== undefined ? (t.end - t.start) / 1000 : null,
      error: t.res?.error === true || t.detail?.error === true,
      closed: t.closed === true,
      pending: t.pending === true,
      children: t.children.map((c) => this.#json(c)),
      dropped: t.dropped,
    };
  }
}

/**
 * A `performance.now()` time (ms) in seconds since sctrace started, to the microsecond: the clock
 * of the events' `rel` (the tracer stamps `mono` as `performance.now() / 1000`).
 */
function seconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

function requestName(t: Tier): string {
  const f = t.req.fields ?? {};
  if (t.proto === "http") return `${f.method ?? t.req.kind} ${f.uri ?? ""}`.trim();
  if (t.proto === "fastcgi") {
    return `id=${t.fcgiId} ${f.method ?? ""} ${f.uri ?? ""}`.replace(/\s+/g, " ").trim();
  }
  return bodyOf(t.req);
}

function outcomeText(t: Tier): string {
  const r = t.res!;
  const f = r.fields ?? {};
  if (t.proto === "http") return `${f.status ?? r.kind} ${f.reason ?? ""}`.trim();
  if (t.proto === "fastcgi") {
    const st = t.status ?? f.status;
    return `${st ?? "?"} app_status=${f.app_status ?? "?"}`;
  }
  return bodyOf(t.detail ?? r);
}

/** How many messages between a request and its answer are kept to find {@linkcode Tier.detail}. */
const RECENT = 8;

/** Keeps `p`, seen while database tier `t` waits for its answer (see {@linkcode Tier.detail}). */
function keepRecent(t: Tier | undefined, p: ProtoPayload): void {
  if (!t) return;
  const r = t.recent ??= [];
  r.push(p);
  if (r.length > RECENT) r.shift();
}

/** Database tier `t` is answered by `m`: its answer, time and {@linkcode Tier.detail}. */
function answer(t: Tier, m: SeenMessage): void {
  t.res = m.p;
  t.end = m.at;
  const o = m.outcome;
  if (o && t.recent && !bodyOf(m.p).includes(o)) {
    t.detail = t.recent.findLast((p) => bodyOf(p).includes(o));
  }
  t.recent = undefined;
}

/** A message's text after its `[proto fd dir]` label, cut for the block. */
function bodyOf(p: ProtoPayload): string {
  const i = p.text.indexOf("] ");
  let s = i >= 0 ? p.text.slice(i + 2) : p.text;
  const e = s.lastIndexOf(" (");
  if (e > 0 && /\(\w+ .* -> .*\)$/.test(s)) s = s.slice(0, e);
  return s.length > 200 ? s.slice(0, 200) + "..." : s;
}

function countDb(t: Tier): number {
  let n = 0;
  for (const c of t.children) {
    if (c.proto !== "http" && c.proto !== "fastcgi") n++;
    n += countDb(c);
  }
  return n;
}

function hasError(t: Tier): boolean {
  if (t.res?.error || t.detail?.error) return true;
  const st = typeof t.res?.fields?.status === "number" ? t.res.fields.status : t.status;
  if (typeof st === "number" && st >= 500) return true;
  return t.children.some(hasError);
}
