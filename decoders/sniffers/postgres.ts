/**
 * The PostgreSQL frontend/backend protocol (v3) sniffer. Works whether the traced process is the
 * client (psql, libpq, php pgsql) or the server (a postgres backend): the side that sends the
 * startup message (or a query) is the client. Detected by port (5432, and 15432–15441, the e2e
 * servers of `.ci/services`), by a unix socket path ending in `.s.PGSQL.NNNN`, by a first startup
 * / SSLRequest / GSSENCRequest / CancelRequest message, or (joined mid-connection) by a write that
 * is a Query or Parse message.
 *
 * Messages (kind = the protocol's name of the message, upper case):
 * - `STARTUP user=postgres database=wordpress application_name=psql client_encoding=UTF8` (every
 *   parameter of the startup packet); `SSL_REQUEST`, `GSSENC_REQUEST` and the server's one-byte
 *   answer `SSL_RESPONSE N (no TLS)` (after `S`/`G` the rest is encrypted: parsing stops);
 *   `CANCEL_REQUEST pid=123` (the secret key is never printed)
 * - authentication: `AUTH_OK`, `AUTH_MD5_PASSWORD`, `AUTH_CLEARTEXT_PASSWORD`,
 *   `AUTH_SASL mechanisms=SCRAM-SHA-256`, `AUTH_SASL_CONTINUE len=N`, `AUTH_SASL_FINAL len=N`,
 *   and the client's `PASSWORD len=N`, `SASL_INITIAL_RESPONSE mechanism=SCRAM-SHA-256 len=N`,
 *   `SASL_RESPONSE len=N` (no salt, hash, nonce or password is printed)
 * - `PARAMETER_STATUS server_version=15.18 …` (consecutive ones on one line),
 *   `BACKEND_KEY_DATA pid=N`, `READY_FOR_QUERY idle` (`in_transaction`, `failed_transaction`)
 * - simple query: `QUERY select 1` (SQL on one line, escaped, cut at `maxText`)
 * - extended query: `PARSE stmt=s1 types=(23) select $1`, `BIND portal=p stmt=s1 params=("42",
 *   NULL, <binary 4 bytes>)` (text parameters as text, bare when their type is numeric),
 *   `DESCRIBE portal ""`, `EXECUTE select $1 params=("42")` (the portal's SQL and parameters),
 *   `SYNC`, `FLUSH`, `CLOSE statement s1`; `PARSE_COMPLETE`, `BIND_COMPLETE`, `CLOSE_COMPLETE`,
 *   `NO_DATA`, `PARAMETER_DESCRIPTION types=(23)`, `PORTAL_SUSPENDED rows=N …`
 * - results: `COMPLETE SELECT 3 columns=id,title rows=3 first=[(1, "Hello")]` (the CommandComplete
 *   tag, the RowDescription's columns, the DataRows counted: only the first row is kept),
 *   `COMPLETE INSERT 0 1`, `EMPTY_QUERY`
 * - errors and notices: `ERROR 42P01 relation "nosuch" does not exist` (kind: the severity,
 *   `ERROR`, `FATAL`, `PANIC`, `WARNING`, `NOTICE`…; then the SQLSTATE and the message, with
 *   `detail=` and `hint=` when present)
 * - `COPY_IN_RESPONSE columns=N`, `COPY_OUT_RESPONSE columns=N`, `COPY_DONE messages=N bytes=N`
 *   (CopyData is counted, not printed), `COPY_FAIL "…"`, `NOTIFICATION pid=N channel=c payload="…"`,
 *   `FUNCTION_CALL oid=N args=N`, `FUNCTION_CALL_RESPONSE len=N`, `TERMINATE`.
 *
 * Requests and latency: a `QUERY`, a `SYNC` (the extended-protocol batch, named by its first
 * `EXECUTE` with its SQL and bound parameters), a `FUNCTION_CALL` and the `STARTUP` are requests;
 * the `READY_FOR_QUERY` that ends each is its response, with the outcome (`SELECT 3`,
 * `ERROR 42P01`). A FATAL error answers the request it ends.
 *
 * Memory: at most `cap` bytes are buffered per direction; a message longer than 64 KiB (a huge
 * DataRow, a long COPY line) is decoded from its first 64 KiB and the rest is skipped as it
 * arrives. Result sets of any size are counted, keeping only the first row. Garbage (a length
 * below 4 or above 1 GiB, an unknown message type) yields one `desync` note; parsing starts again
 * at the next syscall boundary.
 * @module
 */

import type { Direction, Json, ProtoMessage, StreamInfo, StreamSniffer } from "../api.ts";
import {
  ByteQueue,
  cut,
  defineSniffer,
  escapeBytes,
  feed,
  latin1,
  LongMessage,
  quoteBytes,
  type ResolvedOptions,
  resolveOptions,
  type SnifferOptions,
  SnifferParser,
  tokenOrQuoted,
} from "./reassembly.ts";

/** Ports that mean PostgreSQL: the default, and those of the e2e servers (`.ci/services`). */
export const POSTGRES_PORTS: ReadonlySet<number> = new Set([
  5432,
  15432,
  15433,
  15434,
  15435,
  15436,
  15437,
  15438,
  15439,
  15440,
  15441,
]);

/** Messages longer than this are decoded from their first bytes only. */
const BIG = 64 * 1024;
/** The longest message length accepted (the server's own limit is 1 GiB). */
const MAX_LEN = 1 << 30;
/** Startup-phase packets (no type byte) longer than this are garbage. */
const MAX_STARTUP = 10000;

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Message types a client sends. */
const CLIENT_TYPES = new Set("QPBDESHCXpdcfF".split(""));
/** Message types a server sends. */
const SERVER_TYPES = new Set("RSKZTDCEIN123ntsAGHWdcVv".split(""));
/** Types only a client sends (to learn the sides of a joined stream). */
const CLIENT_ONLY = new Set("QPBXpfF".split(""));
/** Types only a server sends. */
const SERVER_ONLY = new Set("RKZTIN123ntAGWVv".split(""));

/** Type OIDs whose text values print bare (numbers, booleans). */
const NUMERIC_OIDS = new Set([16, 20, 21, 23, 26, 700, 701, 1700]);

const AUTH: Record<number, string> = {
  0: "AUTH_OK",
  2: "AUTH_KERBEROS_V5",
  3: "AUTH_CLEARTEXT_PASSWORD",
  5: "AUTH_MD5_PASSWORD",
  7: "AUTH_GSS",
  8: "AUTH_GSS_CONTINUE",
  9: "AUTH_SSPI",
  10: "AUTH_SASL",
  11: "AUTH_SASL_CONTINUE",
  12: "AUTH_SASL_FINAL",
};

const READY: Record<string, string> = {
  I: "idle",
  T: "in_transaction",
  E: "failed_transaction",
};

/** A big-endian reader over a payload; reads past the end mark it bad. */
class Reader {
  i = 0;
  constructor(readonly b: Uint8Array) {}
  get bad(): boolean {
    return this.i > this.b.length;
  }
  get left(): number {
    return Math.max(this.b.length - this.i, 0);
  }
  u(n: number): number {
    if (this.i + n > this.b.length) {
      this.i = this.b.length + 1;
      return -1;
    }
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 256 + this.b[this.i + k];
    this.i += n;
    return v;
  }
  /** A signed 32-bit integer (-1 marks NULL values); NaN past the end. */
  i32(): number {
    const v = this.u(4);
    return v < 0 ? NaN : v | 0;
  }
  /** A signed 16-bit count; -1 past the end. */
  i16(): number {
    const v = this.u(2);
    return v < 0 ? -1 : (v << 16) >> 16;
  }
  cstr(): Uint8Array | undefined {
    if (this.i >= this.b.length) {
      this.i = this.b.length + 1;
      return undefined;
    }
    const z = this.b.indexOf(0, this.i);
    if (z < 0) {
      // Cut (a message decoded from its first bytes): the rest is the string.
      const r = this.b.subarray(this.i);
      this.i = this.b.length + 1;
      return r;
    }
    const r = this.b.subarray(this.i, z);
    this.i = z + 1;
    return r;
  }
  bytes(n: number): Uint8Array | undefined {
    if (n < 0 || this.i + n > this.b.length) {
      this.i = this.b.length + 1;
      return undefined;
    }
    const r = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return r;
  }
}

interface Column {
  name: string;
  type: number;
  format: number;
}

/** A request awaiting its ReadyForQuery (or a FATAL error). */
interface Pending {
  what: "startup" | "query" | "sync" | "call";
}

interface Stmt {
  sql: string;
  /** The SQL unescaped (cut), for the fields. */
  raw: string;
  types: number[];
  /** Its result's columns, once a Describe of the statement was answered. */
  cols?: Column[];
}

interface Portal {
  sql?: string;
  params: string;
  /** The bound values, as printed, for the fields. */
  values: string[];
  stmt?: Stmt;
}

interface DirState {
  q: ByteQueue;
  /** A long message being skipped: its type, bytes still to come, first bytes kept. */
  /** A message too long for the queue, going by, and its type. */
  big?: LongMessage;
  bigType?: string;
}

/** The result rows being received. */
interface Result {
  cols: Column[];
  ncols: number;
  rows: number;
  first?: string;
}

type Msg = Omit<ProtoMessage, "proto" | "dir">;

class PostgresParser extends SnifferParser {
  #o: ResolvedOptions;
  #d: Record<Direction, DirState>;
  #client: Direction | undefined;
  #dead = false;
  /** Startup packets (no type byte) are possible: nothing typed came from the client yet. */
  #untyped = true;
  /** The server's one-byte answer to an SSLRequest/GSSENCRequest is due. */
  #sslWait: "ssl" | "gss" | undefined;
  /** The last authentication request, to name the client's answer. */
  #authCode = -1;
  #queue: Pending[] = [];
  #stmts = new Map<string, Stmt>();
  #portals = new Map<string, Portal>();
  /** The current extended-protocol batch's name (its first EXECUTE, else its first PARSE). */
  #batch: string | undefined;
  #batchExecs = 0;
  #result: Result | undefined;
  /** The outcome of the request being answered (`SELECT 3`, `ERROR 42P01`). */
  #outcome: string | undefined;
  #params: string[] = [];
  #copy: { messages: number; bytes: number } | undefined;
  /** Describe messages awaiting their RowDescription / NoData: the statement, if one. */
  #describes: (Stmt | undefined)[] = [];
  /** Execute messages awaiting their end: the portal's statement (for its columns). */
  #executes: (Stmt | undefined)[] = [];
  /** A desync note was given and nothing parsed since. */
  #lost = false;

  constructor(o: ResolvedOptions, info: StreamInfo) {
    super("postgres");
    this.#o = o;
    const mk = (): DirState => ({ q: new ByteQueue(o.cap) });
    this.#d = { in: mk(), out: mk() };
    if (POSTGRES_PORTS.has(info.remotePort ?? -1)) this.#client = "out";
    else if (POSTGRES_PORTS.has(info.localPort ?? -1)) this.#client = "in";
  }

  /** Bytes held by the parser (queues and the kept start of a long message), in `dir` or both. */
  buffered(dir?: Direction): number {
    let n = 0;
    for (const d of dir ? [this.#d[dir]] : [this.#d.in, this.#d.out]) {
      n += d.q.length + (d.big?.keptLength ?? 0);
    }
    return n;
  }

  protected take(dir: Direction, bytes: Uint8Array): void {
    const d = this.#d[dir];
    if (this.#dead) return;
    feed(d.q, bytes, () => this.#frame(d), () => this.#desync(d));
  }

  protected override recover(dir: Direction, why: string): void {
    const d = this.#d[dir];
    this.#note(`internal error: ${why}`);
    d.q.clear();
    d.big = undefined;
  }

  /** Emits a message; the server's parameters collected so far go first. */
  protected override emit(m: Msg): void {
    if (this.dir !== this.#client && this.#params.length && !m.kind.startsWith("PARAMETER")) {
      this.#flushParams();
    }
    super.emit(m);
  }

  #note(text: string): void {
    super.emit({ kind: "desync", text });
  }

  /** Garbage: say so once, drop what is buffered; the next push may start a message. */
  #desync(d: DirState): void {
    if (!this.#lost) this.#note("desync (bytes that are not PostgreSQL messages skipped)");
    this.#lost = true;
    d.q.clear();
    d.big = undefined;
    this.#result = undefined;
  }

  /** Splits the direction's bytes into messages. */
  #frame(d: DirState): void {
    const q = d.q;
    const client = this.dir === this.#client;
    while (!this.#dead && q.length > 0) {
      if (d.big) {
        const b = d.big;
        if (!b.drain(q)) return;
        d.big = undefined;
        this.#typed(d.bigType ?? "?", b.bytes(), b.total);
        continue;
      }
      // The server's one-byte answer to SSLRequest / GSSENCRequest.
      if (this.#sslWait && !client && this.#client !== undefined) {
        const c = String.fromCharCode(q.at(0)!);
        q.consume(1);
        this.#sslAnswer(c);
        continue;
      }
      // Startup-phase packets carry no type byte; their length's first byte is 0.
      if (q.at(0) === 0 && this.#untyped && this.#client !== (this.dir === "in" ? "out" : "in")) {
        if (q.length < 8) return;
        const len = (q.at(0)! << 24 | q.at(1)! << 16 | q.at(2)! << 8 | q.at(3)!) >>> 0;
        if (len < 8 || len > MAX_STARTUP) {
          this.#desync(d);
          return;
        }
        if (q.length < len) return;
        const p = q.view(4, len).slice();
        q.consume(len);
        this.#lost = false;
        this.#startup(p);
        continue;
      }
      if (q.length < 5) return;
      const type = String.fromCharCode(q.at(0)!);
      const len = (q.at(1)! << 24 | q.at(2)! << 16 | q.at(3)! << 8 | q.at(4)!) >>> 0;
      const known = this.#client === undefined
        ? CLIENT_TYPES.has(type) || SERVER_TYPES.has(type)
        : (client ? CLIENT_TYPES : SERVER_TYPES).has(type);
      if (!known || len < 4 || len > MAX_LEN) {
        this.#desync(d);
        return;
      }
      const body = len - 4;
      if (body > Math.min(BIG, q.cap - 8)) {
        q.consume(5);
        // A long row after the first is only counted: none of it is kept.
        const skip = type === "D" && !client && (this.#result?.rows ?? 0) > 0;
        d.big = new LongMessage(body, skip ? 0 : BIG);
        d.bigType = type;
        continue;
      }
      if (q.length < 5 + body) return;
      this.#lost = false;
      if (type === "D" && !client && this.#result && this.#result.rows > 0) {
        // A row after the first: counted, not decoded (the bulk of a big result).
        this.#result.rows++;
        q.consume(5 + body);
        continue;
      }
      // A view, not a copy: nothing is appended before it is consumed, and no byte is kept.
      const p = q.view(5, 5 + body);
      this.#typed(type, p, body);
      q.consume(5 + body);
    }
  }

  /** A typed message: learns the sides of a joined stream, then decodes it. */
  #typed(type: string, p: Uint8Array, total: number): void {
    if (this.#client === undefined) {
      if (CLIENT_ONLY.has(type)) this.#client = this.dir;
      else if (SERVER_ONLY.has(type)) this.#client = this.dir === "in" ? "out" : "in";
      else return;
    }
    if (this.dir === this.#client) {
      this.#untyped = false;
      this.#fromClient(type, p, total);
    } else this.#fromServer(type, p, total);
  }

  // ---- client side ----

  #startup(p: Uint8Array): void {
    if (this.#client === undefined) this.#client = this.dir;
    const r = new Reader(p);
    const code = r.u(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.#sslWait = code === SSL_REQUEST ? "ssl" : "gss";
      const kind = code === SSL_REQUEST ? "SSL_REQUEST" : "GSSENC_REQUEST";
      this.emit({ kind, text: kind });
      return;
    }
    if (code === CANCEL_REQUEST) {
      const pid = r.u(4);
      this.emit({ kind: "CANCEL_REQUEST", text: `CANCEL_REQUEST pid=${pid < 0 ? "?" : pid}` });
      return;
    }
    let text = "STARTUP";
    if (code !== PROTOCOL_3) text += ` protocol=${code >>> 16}.${code & 0xffff}`;
    const pairs: string[] = [];
    while (r.left > 1 && pairs.length < 64) {
      const k = r.cstr();
      if (!k || !k.length) break;
      const v = r.cstr() ?? new Uint8Array();
      pairs.push(`${tokenOrQuoted(k, 64)}=${tokenOrQuoted(v, 256)}`);
    }
    // The usual ones first, in a fixed order; the others as sent.
    const order = ["user=", "database=", "application_name="];
    pairs.sort((a, b) => rank(a, order) - rank(b, order));
    if (pairs.length) text += " " + pairs.join(" ");
    text = cut(text, this.#o.maxText);
    this.#push({ what: "startup" });
    this.emit({ kind: "STARTUP", text, request: cut(text, 160) });
  }

  #fromClient(type: string, p: Uint8Array, total: number): void {
    const o = this.#o;
    const r = new Reader(p);
    switch (type) {
      case "Q": {
        const q = r.cstr() ?? new Uint8Array();
        const sql = escapeBytes(q, o.maxText);
        const text = `QUERY ${sql}`;
        this.#push({ what: "query" });
        this.#outcome = undefined;
        this.emit({
          kind: "QUERY",
          text,
          request: cut(text, 160),
          fields: { type: "QUERY", query: latin1(q.subarray(0, o.maxText)) },
        });
        return;
      }
      case "P": {
        const name = r.cstr() ?? new Uint8Array();
        const q = r.cstr() ?? new Uint8Array();
        const sql = escapeBytes(q, o.maxText);
        const raw = latin1(q.subarray(0, o.maxText));
        const n = r.i16();
        const types: number[] = [];
        for (let k = 0; k < n && k < 1024 && !r.bad; k++) {
          const t = r.u(4);
          if (t >= 0) types.push(t);
        }
        const key = latin1(name);
        this.#stmts.delete(key);
        this.#stmts.set(key, { sql, raw, types });
        if (this.#stmts.size > 4096) this.#stmts.delete(this.#stmts.keys().next().value!);
        let text = "PARSE";
        if (name.length) text += ` stmt=${tokenOrQuoted(name, 64)}`;
        if (types.some((t) => t !== 0)) text += ` types=(${types.join(",")})`;
        text += ` ${sql}`;
        this.#batch ??= cut(text, 160);
        this.emit({ kind: "PARSE", text, fields: { type: "PARSE", statement: key, query: raw } });
        return;
      }
      case "B": {
        const portal = r.cstr() ?? new Uint8Array();
        const name = r.cstr() ?? new Uint8Array();
        const nf = r.i16();
        const fmts: number[] = [];
        for (let k = 0; k < nf && !r.bad; k++) fmts.push(r.i16());
        const np = r.i16();
        const st = this.#stmts.get(latin1(name));
        const vals: string[] = [];
        for (let k = 0; k < np && !r.bad; k++) {
          const len = r.i32();
          if (Number.isNaN(len)) {
            vals.push("?");
            break;
          }
          if (len === -1) {
            vals.push("NULL");
            continue;
          }
          const fmt = nf === 0 ? 0 : nf === 1 ? fmts[0] : fmts[k] ?? 0;
          const at = r.i;
          const v = r.bytes(len) ?? r.b.subarray(at);
          if (vals.length >= 64) continue;
          if (fmt !== 0) vals.push(`<binary ${len} bytes>`);
          else if (NUMERIC_OIDS.has(st?.types[k] ?? 0) && /^[-+0-9.eE]+$|^[tf]$/.test(latin1(v))) {
            vals.push(escapeBytes(v, 64));
          } else vals.push(quoteBytes(v, 64) + (len > v.length && v.length <= 64 ? "..." : ""));
        }
        if (np > 64) vals.push("...");
        const params = np > 0 ? ` params=(${vals.join(", ")})` : "";
        const pkey = latin1(portal);
        this.#portals.delete(pkey);
        this.#portals.set(pkey, { sql: st?.sql, params, stmt: st, values: vals });
        if (this.#portals.size > 4096) this.#portals.delete(this.#portals.keys().next().value!);
        let text = "BIND";
        if (portal.length) text += ` portal=${tokenOrQuoted(portal, 64)}`;
        if (name.length) text += ` stmt=${tokenOrQuoted(name, 64)}`;
        text += params;
        this.emit({
          kind: "BIND",
          text: cut(text, o.maxText),
          fields: {
            type: "BIND",
            portal: pkey,
            statement: latin1(name),
            query: st?.raw ?? null,
            params: vals,
          },
        });
        return;
      }
      case "D":
      case "C": {
        const what = r.u(1);
        const name = r.cstr() ?? new Uint8Array();
        const obj = what === 0x53 ? "statement" : what === 0x50 ? "portal" : "?";
        const kind = type === "D" ? "DESCRIBE" : "CLOSE";
        if (type === "D") {
          this.#describes.push(what === 0x53 ? this.#stmts.get(latin1(name)) : undefined);
          if (this.#describes.length > 1024) this.#describes.shift();
        }
        if (type === "C") {
          if (what === 0x53) this.#stmts.delete(latin1(name));
          else if (what === 0x50) this.#portals.delete(latin1(name));
        }
        this.emit({ kind, text: `${kind} ${obj} ${tokenOrQuoted(name, 64)}` });
        return;
      }
      case "E": {
        const portal = r.cstr() ?? new Uint8Array();
        const max = r.i32();
        const pt = this.#portals.get(latin1(portal));
        let text = "EXECUTE";
        if (portal.length) text += ` portal=${tokenOrQuoted(portal, 64)}`;
        if (max > 0) text += ` max_rows=${max}`;
        if (pt?.sql !== undefined) text += ` ${pt.sql}${pt.params}`;
        text = cut(text, o.maxText + 64);
        this.#executes.push(pt?.stmt);
        if (this.#executes.length > 1024) this.#executes.shift();
        if (this.#batchExecs === 0) this.#batch = cut(text, 160);
        this.#batchExecs++;
        this.emit({
          kind: "EXECUTE",
          text,
          fields: {
            type: "EXECUTE",
            portal: latin1(portal),
            query: pt?.stmt?.raw ?? null,
            params: pt?.values ?? [],
          },
        });
        return;
      }
      case "S": {
        let name = this.#batch ?? "SYNC";
        if (this.#batchExecs > 1) name += ` (+${this.#batchExecs - 1} more)`;
        this.#batch = undefined;
        this.#batchExecs = 0;
        this.#outcome = undefined;
        this.#push({ what: "sync" });
        this.emit({ kind: "SYNC", text: "SYNC", request: name });
        return;
      }
      case "H":
        this.emit({ kind: "FLUSH", text: "FLUSH" });
        return;
      case "X":
        this.emit({ kind: "TERMINATE", text: "TERMINATE" });
        return;
      case "p": {
        if (this.#authCode === 10) {
          const mech = r.cstr() ?? new Uint8Array();
          this.emit({
            kind: "SASL_INITIAL_RESPONSE",
            text: `SASL_INITIAL_RESPONSE mechanism=${tokenOrQuoted(mech, 64)} len=${
              Math.max(r.i32(), -1)
            }`,
          });
        } else if (this.#authCode === 11) {
          this.emit({ kind: "SASL_RESPONSE", text: `SASL_RESPONSE len=${total}` });
        } else if (this.#authCode === 7 || this.#authCode === 8 || this.#authCode === 9) {
          this.emit({ kind: "GSS_RESPONSE", text: `GSS_RESPONSE len=${total}` });
        } else this.emit({ kind: "PASSWORD", text: `PASSWORD len=${total}` });
        return;
      }
      case "d":
        this.#copyData(total);
        return;
      case "c":
        this.#copyDone();
        return;
      case "f":
        this.#copy = undefined;
        this.emit({ kind: "COPY_FAIL", text: `COPY_FAIL ${quoteBytes(r.cstr() ?? p, 256)}` });
        return;
      case "F": {
        const oid = r.u(4);
        const nf = r.i16();
        for (let k = 0; k < nf && !r.bad; k++) r.i16();
        const na = r.i16();
        const text = `FUNCTION_CALL oid=${oid < 0 ? "?" : oid} args=${na < 0 ? "?" : na}`;
        this.#outcome = undefined;
        this.#push({ what: "call" });
        this.emit({ kind: "FUNCTION_CALL", text, request: text });
        return;
      }
    }
  }

  #push(pd: Pending): void {
    this.#queue.push(pd);
    if (this.#queue.length > 1024) this.#queue.shift();
  }

  #copyData(total: number): void {
    const c = this.#copy ?? (this.#copy = { messages: 0, bytes: 0 });
    c.messages++;
    c.bytes += total;
  }

  #copyDone(): void {
    const c = this.#copy ?? { messages: 0, bytes: 0 };
    this.#copy = undefined;
    this.emit({ kind: "COPY_DONE", text: `COPY_DONE messages=${c.messages} bytes=${c.bytes}` });
  }

  // ---- server side ----

  #sslAnswer(c: string): void {
    const what = this.#sslWait === "ssl" ? "SSL" : "GSSENC";
    this.#sslWait = undefined;
    if (c === "N") {
      this.emit({ kind: `${what}_RESPONSE`, text: `${what}_RESPONSE N (no encryption)` });
      return;
    }
    if (c === "S" || c === "G") {
      this.emit({
        kind: `${what}_RESPONSE`,
        text: `${what}_RESPONSE ${c} (the rest is encrypted, not decoded)`,
      });
      this.#dead = true;
      return;
    }
    // Not an answer (an old server's error message, say): parse it as a message.
    this.#d[this.dir].q.clear();
    this.#note(`desync (no answer to the ${what} request)`);
  }

  #fromServer(type: string, p: Uint8Array, total: number): void {
    const r = new Reader(p);
    switch (type) {
      case "R": {
        const code = r.u(4);
        this.#authCode = code;
        const name = AUTH[code] ?? `AUTH_${code}`;
        let text = name;
        if (code === 10) {
          const mechs: string[] = [];
          while (r.left > 1 && mechs.length < 16) {
            const m = r.cstr();
            if (!m || !m.length) break;
            mechs.push(tokenOrQuoted(m, 64));
          }
          text += ` mechanisms=${mechs.join(",")}`;
        } else if (code === 8 || code === 11 || code === 12) text += ` len=${r.left}`;
        this.emit({ kind: name, text });
        return;
      }
      case "S": {
        const k = r.cstr() ?? new Uint8Array();
        const v = r.cstr() ?? new Uint8Array();
        if (this.#params.length < 64) {
          this.#params.push(`${tokenOrQuoted(k, 64)}=${tokenOrQuoted(v, 256)}`);
        }
        return;
      }
      case "K": {
        const pid = r.u(4);
        this.emit({
          kind: "BACKEND_KEY_DATA",
          text: `BACKEND_KEY_DATA pid=${pid < 0 ? "?" : pid}`,
        });
        return;
      }
      case "Z": {
        const st = String.fromCharCode(r.u(1) & 0xff);
        const text = `READY_FOR_QUERY ${READY[st] ?? escapeBytes(p, 8)}`;
        this.#result = undefined;
        // After an error the server skipped the rest of the batch.
        this.#describes = [];
        this.#executes = [];
        const pd = this.#queue.shift();
        const outcome = this.#outcome ?? (pd?.what === "startup" ? "AUTH_OK" : "READY");
        this.#outcome = undefined;
        this.emit({ kind: "READY_FOR_QUERY", text, response: true, outcome });
        return;
      }
      case "T": {
        const n = r.i16();
        const cols: Column[] = [];
        for (let k = 0; k < n && !r.bad; k++) {
          const name = r.cstr();
          r.u(4); // table oid
          r.u(2); // attribute number
          const t = r.u(4);
          r.u(2); // type size
          r.u(4); // type modifier
          const f = r.i16();
          if (r.bad) break;
          if (cols.length < 4096) {
            cols.push({ name: name ? escapeBytes(name, 64) : "?", type: t, format: f });
          }
        }
        this.#result = { cols, ncols: Math.max(n, 0), rows: 0 };
        if (this.#describes.length) {
          const st = this.#describes.shift();
          if (st) st.cols = cols;
        }
        return;
      }
      case "D": {
        // Rows of an Execute whose portal was not described: its statement's columns.
        const cols = this.#executes[0]?.cols;
        const res = this.#result ??
          (this.#result = { cols: cols ?? [], ncols: cols ? cols.length : -1, rows: 0 });
        res.rows++;
        if (res.rows === 1) res.first = this.#row(res, r);
        return;
      }
      case "C": {
        this.#executes.shift();
        const rawTag = latin1((r.cstr() ?? new Uint8Array()).subarray(0, 256));
        const tag = escapeBytes(new Uint8Array([...rawTag].map((ch) => ch.charCodeAt(0))), 256);
        this.#outcome = tag;
        const fields: { [key: string]: Json } = { type: "COMPLETE", tag: rawTag };
        const res = this.#result;
        const m = /(\d+)$/.exec(rawTag);
        if (res) {
          fields.columns = res.cols.map((c) => c.name);
          fields.rows = res.rows;
          if (res.first !== undefined) fields.first = res.first;
        } else if (m) fields.affected_rows = Number(m[1]);
        this.emit({ kind: "COMPLETE", text: this.#resultText(`COMPLETE ${tag}`), fields });
        this.#result = undefined;
        return;
      }
      case "s":
        this.#executes.shift();
        this.#outcome = "PORTAL_SUSPENDED";
        this.emit({ kind: "PORTAL_SUSPENDED", text: this.#resultText("PORTAL_SUSPENDED") });
        this.#result = undefined;
        return;
      case "I":
        this.#executes.shift();
        this.#outcome = "EMPTY_QUERY";
        this.emit({ kind: "EMPTY_QUERY", text: "EMPTY_QUERY" });
        return;
      case "E":
      case "N": {
        const f = fields(p);
        const sev = f.V ?? f.S ?? "?";
        const kind = /^[A-Z]+$/.test(sev) ? sev : type === "E" ? "ERROR" : "NOTICE";
        let text = `${escapeBytes(new TextEncoder().encode(sev), 16)} ${f.C ?? "?????"}`;
        if (f.M !== undefined) text += ` ${f.M}`;
        if (f.D !== undefined) text += ` detail=${f.D}`;
        if (f.H !== undefined) text += ` hint=${f.H}`;
        if (f.P !== undefined) text += ` position=${f.P}`;
        text = cut(text, this.#o.maxText);
        const ef: { [key: string]: Json } = {
          type: kind,
          severity: sev,
          sqlstate: f.C ?? null,
          message: f.M ?? null,
        };
        if (type === "E") ef.error = true;
        if (type === "N") {
          this.emit({ kind, text, fields: ef });
          return;
        }
        this.#result = undefined;
        const outcome = `${sev} ${f.C ?? "?"}`;
        this.#outcome = outcome;
        if (sev === "FATAL" || sev === "PANIC") {
          // The connection ends: no READY_FOR_QUERY follows.
          this.#queue.shift();
          this.emit({ kind, text, error: true, response: true, outcome, fields: ef });
          return;
        }
        this.emit({ kind, text, error: true, fields: ef });
        return;
      }
      case "1":
        this.emit({ kind: "PARSE_COMPLETE", text: "PARSE_COMPLETE" });
        return;
      case "2":
        this.emit({ kind: "BIND_COMPLETE", text: "BIND_COMPLETE" });
        return;
      case "3":
        this.emit({ kind: "CLOSE_COMPLETE", text: "CLOSE_COMPLETE" });
        return;
      case "n":
        this.#describes.shift();
        this.emit({ kind: "NO_DATA", text: "NO_DATA" });
        return;
      case "t": {
        const n = r.i16();
        const types: number[] = [];
        for (let k = 0; k < n && k < 64 && !r.bad; k++) types.push(r.u(4));
        if (n > 64) types.push(-1);
        const list = types.map((t) => (t < 0 ? "..." : String(t))).join(",");
        this.emit({
          kind: "PARAMETER_DESCRIPTION",
          text: `PARAMETER_DESCRIPTION types=(${list})`,
        });
        return;
      }
      case "A": {
        const pid = r.u(4);
        const ch = r.cstr() ?? new Uint8Array();
        const pl = r.cstr() ?? new Uint8Array();
        this.emit({
          kind: "NOTIFICATION",
          text: `NOTIFICATION pid=${pid < 0 ? "?" : pid} channel=${tokenOrQuoted(ch, 64)} payload=${
            quoteBytes(pl, 256)
          }`,
        });
        return;
      }
      case "G":
      case "H":
      case "W": {
        const fmt = r.u(1);
        const n = r.i16();
        const kind = type === "G"
          ? "COPY_IN_RESPONSE"
          : type === "H"
          ? "COPY_OUT_RESPONSE"
          : "COPY_BOTH_RESPONSE";
        this.#copy = { messages: 0, bytes: 0 };
        this.emit({
          kind,
          text: `${kind} columns=${n < 0 ? "?" : n} format=${fmt === 1 ? "binary" : "text"}`,
        });
        return;
      }
      case "d":
        this.#copyData(total);
        return;
      case "c":
        this.#copyDone();
        return;
      case "V": {
        const len = r.i32();
        const text = `FUNCTION_CALL_RESPONSE ${len === -1 ? "NULL" : `len=${len}`}`;
        this.emit({ kind: "FUNCTION_CALL_RESPONSE", text });
        return;
      }
      case "v": {
        const minor = r.u(4);
        const n = r.u(4);
        this.emit({
          kind: "NEGOTIATE_PROTOCOL_VERSION",
          text: `NEGOTIATE_PROTOCOL_VERSION minor=${minor} unrecognized=${n}`,
        });
        return;
      }
    }
  }

  #flushParams(): void {
    const text = cut(`PARAMETER_STATUS ${this.#params.join(" ")}`, this.#o.maxText);
    this.#params = [];
    super.emit({ kind: "PARAMETER_STATUS", text });
  }

  /** `head columns=a,b rows=N first=[(…)]` when a RowDescription or rows came before. */
  #resultText(head: string): string {
    const res = this.#result;
    if (!res) return head;
    let text = head;
    if (res.ncols >= 0) {
      text += ` columns=${res.cols.map((c) => c.name).join(",")}`;
      if (res.ncols > res.cols.length) text += ",...";
    }
    text += ` rows=${res.rows}`;
    if (res.first !== undefined) text += ` first=[${res.first}]`;
    return cut(text, this.#o.maxText);
  }

  /** A DataRow's values as `(1, "Hello", NULL)`. */
  #row(res: Result, r: Reader): string {
    const n = r.i16();
    const vals: string[] = [];
    for (let k = 0; k < n && !r.bad && vals.length < 64; k++) {
      const len = r.i32();
      if (Number.isNaN(len)) {
        vals.push("?");
        break;
      }
      if (len === -1) {
        vals.push("NULL");
        continue;
      }
      const c = res.cols[k];
      const at = r.i;
      const v = r.bytes(len) ?? r.b.subarray(at);
      if (c && c.format === 1) vals.push(`<binary ${len} bytes>`);
      else if (NUMERIC_OIDS.has(c?.type ?? 0) && /^[-+0-9.eE]+$|^[tf]$|^NaN$/.test(latin1(v))) {
        vals.push(escapeBytes(v, 64));
      } else vals.push(quoteBytes(v, 64) + (len > v.length && v.length <= 64 ? "..." : ""));
      if (len > v.length) break;
    }
    if (n > vals.length && vals.length >= 64) vals.push("...");
    return `(${vals.join(", ")})`;
  }
}

function rank(pair: string, order: string[]): number {
  const i = order.findIndex((o) => pair.startsWith(o));
  return i < 0 ? order.length : i;
}

/** The fields of an ErrorResponse / NoticeResponse, escaped, by their code letter. */
function fields(p: Uint8Array): Record<string, string> {
  const f: Record<string, string> = {};
  const r = new Reader(p);
  while (r.left > 0) {
    const code = r.u(1);
    if (code <= 0) break;
    const v = r.cstr();
    if (v === undefined) break;
    const k = String.fromCharCode(code);
    if (f[k] === undefined) {
      f[k] = k === "D" || k === "H" ? quoteBytes(v, 256) : escapeBytes(v, k === "M" ? 4096 : 64);
    }
  }
  return f;
}

/** Whether `b` starts with a startup-phase packet (startup 3.x, SSL/GSSENC/cancel request). */
function isStartup(b: Uint8Array): boolean | undefined {
  if (b.length < 8) return b.length === 0 || b[0] === 0 ? undefined : false;
  const len = (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) >>> 0;
  const code = (b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7]) >>> 0;
  if (code === SSL_REQUEST || code === GSSENC_REQUEST) return len === 8;
  if (code === CANCEL_REQUEST) return len === 16;
  if (code >>> 16 !== 3 || len < 9 || len > MAX_STARTUP) return false;
  // key NUL value NUL … NUL: the first key is printable.
  const end = Math.min(b.length, len);
  for (let i = 8; i < end; i++) {
    const c = b[i];
    if (c === 0) return i > 8 ? true : false;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return b.length >= len ? false : undefined;
}

/**
 * Whether `b` starts with a client's Query or Parse message (how a client's write looks when
 * sctrace joins a connection after its startup): a plausible length and SQL text of printable
 * characters ending in a NUL exactly where the length says (Query).
 */
function isClientWrite(b: Uint8Array): boolean | undefined {
  if (b.length < 6) return false;
  const t = b[0];
  const len = (b[1] << 24 | b[2] << 16 | b[3] << 8 | b[4]) >>> 0;
  if (len < 5 || len > MAX_LEN) return false;
  if (t === 0x51) {
    if (len < 6) return false;
    for (let i = 5; i < Math.min(len, b.length); i++) {
      const c = b[i];
      if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
    }
    if (b.length < len + 1) return undefined;
    return b[len] === 0;
  }
  if (t === 0x50) {
    const end = Math.min(b.length, len + 1);
    const z = b.indexOf(0, 5);
    if (z < 0 || z >= end || z - 5 > 64) return false;
    const z2 = b.indexOf(0, z + 1);
    if (z2 < 0 || z2 + 3 > end || z2 === z + 1) return false;
    for (let i = 5; i < z2; i++) {
      const c = b[i];
      if (i !== z && (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f)) return false;
    }
    return true;
  }
  return false;
}

/** Creates the PostgreSQL sniffer with the given options. */
export function createPostgresSniffer(opts: SnifferOptions = {}): StreamSniffer {
  const o = resolveOptions(opts);
  return defineSniffer("postgres", (info, _dir, first) => {
    if (POSTGRES_PORTS.has(info.localPort ?? -1)) return true;
    if (POSTGRES_PORTS.has(info.remotePort ?? -1)) return true;
    if (info.unixPath && /(^|\/)\.s\.PGSQL\.\d+$/.test(info.unixPath)) return true;
    if (first.length === 0) return undefined;
    if (first[0] === 0) return isStartup(first);
    return isClientWrite(first);
  }, (info) => new PostgresParser(o, info));
}

/** The PostgreSQL sniffer with default options. */
export const postgresSniffer: StreamSniffer = createPostgresSniffer();
