/**
 * The MySQL / MariaDB client-server protocol sniffer. Works whether the traced process is the
 * client (php-fpm) or the server (mariadbd): the side that sends the v10 greeting is the server;
 * without a greeting (attached mid-connection) the first command tells; it is detected by port
 * 3306, a mysql/mariadb socket path, a greeting, or a write that is exactly one command packet.
 * Result sets of any size are counted (the sequence id wraps from 255 to 0); only the first row is
 * kept.
 *
 * Messages (kind = the protocol's name):
 * - `HANDSHAKE version=5.5.5-10.11.6-MariaDB-0+deb12u1 thread=12 auth=mysql_native_password`
 * - `LOGIN user=wp db=wordpress auth=mysql_native_password` (the scramble is never printed);
 *   `SSL_REQUEST` (the rest is TLS: parsing of the raw bytes stops), `AUTH_SWITCH auth=…`,
 *   `AUTH_MORE_DATA …`, `AUTH_DATA len=N`
 *
 * TLS (`--ssl`): after `SSL_REQUEST` the session goes on inside TLS, from the full login packet
 * (sequence id 2). The parser's {@linkcode MysqlParser.afterTls} gives the parser of the TLS
 * plaintext (core/decode/proto.ts asks for it), which continues the session (capabilities,
 * sides); a plaintext stream seen without its raw one is recognised by that login packet.
 * - commands: `COM_QUERY SELECT …` (SQL on one line, cut at `maxText`), `COM_INIT_DB wordpress`,
 *   `COM_PING`, `COM_QUIT`, `COM_STMT_PREPARE …`, `COM_STMT_EXECUTE stmt=1 params=(5, "x")`,
 *   `COM_STMT_CLOSE stmt=1`, …
 * - responses: `OK affected_rows=1 insert_id=5`, `ERR 1146 (42S02) Table 'x.y' doesn't exist`,
 *   `RESULTSET columns=id,post_title rows=3 first=[(4, "Hello world!")]` (reported when the
 *   terminating EOF/OK arrives; classic EOF and CLIENT_DEPRECATE_EOF both work, the latter even
 *   when the handshake was not seen), `STMT_PREPARE_OK stmt=1 columns=2 params=1`, `EOF`,
 *   `LOCAL_INFILE file=…`, `STATISTICS "…"`.
 *
 * Packets larger than 64 KiB are decoded from their first 64 KiB. A compressed connection
 * (CLIENT_COMPRESS) or TLS ends parsing with a note. Server packets that answer no known command
 * are ignored, as are client packets that are not a command, so garbage yields few messages.
 * @module
 */

import type { Direction, Json, ProtoMessage, StreamInfo, StreamSniffer } from "../api.ts";
import {
  ByteQueue,
  concatBytes,
  cut,
  defineSniffer,
  escapeBytes,
  feed,
  keepBudget,
  latin1,
  LongMessage,
  quoteBytes,
  type ResolvedOptions,
  resolveOptions,
  type SnifferOptions,
  SnifferParser,
} from "./reassembly.ts";

/** Command bytes and names (MySQL `enum_server_command`, plus MariaDB's bulk execute). */
const COMMANDS: Record<number, string> = {
  0x00: "COM_SLEEP",
  0x01: "COM_QUIT",
  0x02: "COM_INIT_DB",
  0x03: "COM_QUERY",
  0x04: "COM_FIELD_LIST",
  0x05: "COM_CREATE_DB",
  0x06: "COM_DROP_DB",
  0x07: "COM_REFRESH",
  0x08: "COM_SHUTDOWN",
  0x09: "COM_STATISTICS",
  0x0a: "COM_PROCESS_INFO",
  0x0b: "COM_CONNECT",
  0x0c: "COM_PROCESS_KILL",
  0x0d: "COM_DEBUG",
  0x0e: "COM_PING",
  0x0f: "COM_TIME",
  0x10: "COM_DELAYED_INSERT",
  0x11: "COM_CHANGE_USER",
  0x12: "COM_BINLOG_DUMP",
  0x13: "COM_TABLE_DUMP",
  0x14: "COM_CONNECT_OUT",
  0x15: "COM_REGISTER_SLAVE",
  0x16: "COM_STMT_PREPARE",
  0x17: "COM_STMT_EXECUTE",
  0x18: "COM_STMT_SEND_LONG_DATA",
  0x19: "COM_STMT_CLOSE",
  0x1a: "COM_STMT_RESET",
  0x1b: "COM_SET_OPTION",
  0x1c: "COM_STMT_FETCH",
  0x1d: "COM_DAEMON",
  0x1e: "COM_BINLOG_DUMP_GTID",
  0x1f: "COM_RESET_CONNECTION",
  0xfa: "COM_STMT_BULK_EXECUTE",
};

/** Capability flags used by the parser. */
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_COMPRESS = 0x20;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_CONNECT_ATTRS = 0x100000;
const CLIENT_PLUGIN_AUTH_LENENC = 0x200000;
const CLIENT_SESSION_TRACK = 0x800000;
const CLIENT_DEPRECATE_EOF = 0x1000000;
const CLIENT_QUERY_ATTRIBUTES = 0x8000000;
/** Server status flag: another result set follows. */
const SERVER_MORE_RESULTS_EXISTS = 0x8;

/** Column types whose text values print bare (numbers). */
const NUMERIC = new Set([0, 1, 2, 3, 4, 5, 8, 9, 13, 246]);

/** Packets larger than this are decoded from their first bytes only. */
const BIG = 64 * 1024;

/** A little-endian reader over a payload; reads past the end return undefined/-1. */
class Reader {
  i = 0;
  constructor(readonly b: Uint8Array, start = 0) {
    this.i = start;
  }
  get left(): number {
    return this.b.length - this.i;
  }
  u(n: number): number {
    if (this.i + n > this.b.length) {
      this.i = this.b.length + 1;
      return -1;
    }
    let v = 0;
    for (let k = n - 1; k >= 0; k--) v = v * 256 + this.b[this.i + k];
    this.i += n;
    return v;
  }
  /** A length-encoded integer; -1 on error, null for the NULL marker 0xfb. */
  lenenc(): number | null {
    const c = this.u(1);
    if (c < 0) return -1;
    if (c < 0xfb) return c;
    if (c === 0xfb) return null;
    if (c === 0xfc) return this.u(2);
    if (c === 0xfd) return this.u(3);
    if (c === 0xfe) return this.u(8);
    return -1;
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
  lenencStr(): Uint8Array | null | undefined {
    const n = this.lenenc();
    if (n === null) return null;
    if (n < 0) return undefined;
    return this.bytes(n);
  }
  cstr(): Uint8Array | undefined {
    if (this.i > this.b.length) return undefined;
    const z = this.b.indexOf(0, this.i);
    if (z < 0) return undefined;
    const r = this.b.subarray(this.i, z);
    this.i = z + 1;
    return r;
  }
  rest(): Uint8Array {
    const r = this.b.subarray(Math.min(this.i, this.b.length));
    this.i = this.b.length;
    return r;
  }
  get bad(): boolean {
    return this.i > this.b.length;
  }
}

interface Column {
  name: string;
  type: number;
  flags: number;
}

interface Stmt {
  columns: number;
  params: number;
  paramTypes?: number[];
  /** The SQL it was prepared from (escaped, cut), for the slowest-request lists. */
  sql?: string;
  /** The SQL it was prepared from, unescaped (cut), for the message's fields. */
  rawSql?: string;
}

/** The state of the response to the outstanding command. */
interface Pending {
  cmd: number;
  /** Where in the response we are. */
  state: "first" | "cols" | "colEof" | "rows" | "pparams" | "pparamsEof" | "pcols" | "pcolsEof";
  binary: boolean;
  ncols: number;
  cols: Column[];
  rows: number;
  first?: string;
  /** For COM_STMT_PREPARE: the statement being described. */
  stmt?: Stmt;
  /** For COM_STMT_PREPARE: its SQL. */
  sql?: string;
  /** The command's SQL unescaped (COM_QUERY, COM_STMT_PREPARE, COM_STMT_EXECUTE), for fields. */
  rawSql?: string;
  left: number;
  /** Whether a message answering the command was already flagged `response`. */
  answered: boolean;
  /** Sequence id of the last response packet (-1: none yet); ids wrap from 255 to 0. */
  lastSeq: number;
}

interface DirState {
  q: ByteQueue;
  /** Large-packet streaming: bytes of the payload still to come. */
  /** A packet too large for the queue, going by. */
  big?: LongMessage;
  bigSeq: number;
  /** Continuation (0xffffff-long packets) being assembled. */
  cont?: { seq: number; parts: Uint8Array[]; kept: number; total: number };
}

class MysqlParser extends SnifferParser {
  /** Sequence id of the last wire packet of the payload being handed on (continuations). */
  #endSeq = 0;
  #o: ResolvedOptions;
  #d: Record<Direction, DirState>;
  #client: Direction | undefined;
  #phase: "start" | "login" | "auth" | "command" | "dead" = "start";
  /** The sequence id of the client's login packet: 1, or 2 inside TLS (after SSL_REQUEST's 1). */
  #loginSeq = 1;
  /** SSL_REQUEST seen: the session goes on in the TLS plaintext. */
  #sslRequested = false;
  #info: StreamInfo;
  #serverCaps = -1;
  #clientCaps = -1;
  /** Commands awaiting their response, oldest first (clients may pipeline). */
  #queue: Pending[] = [];
  #stmts = new Map<number, Stmt>();
  #lastStmt = -1;
  /** The last COM_STMT_EXECUTE's statement, its SQL and bound parameters (for its fields). */
  #execInfo: { stmt: number; sql?: string; params?: string[] } = { stmt: -1 };
  constructor(o: ResolvedOptions, info: StreamInfo) {
    super("mysql");
    this.#o = o;
    const mk = (): DirState => ({
      // Beside the queue: the kept part of a large packet and of a continued one.
      q: new ByteQueue(o.cap - 2 * keepBudget(o.cap)),
      bigSeq: 0,
    });
    this.#d = { in: mk(), out: mk() };
    this.#info = info;
    if (info.remotePort === 3306) this.#client = "out";
    else if (info.localPort === 3306) this.#client = "in";
  }

  /**
   * Bytes held by the parser (queues and partial large packets), in one direction or both, for
   * tests of the memory bound.
   */
  buffered(dir?: Direction): number {
    let n = 0;
    for (const d of dir ? [this.#d[dir]] : [this.#d.in, this.#d.out]) {
      n += d.q.length + (d.big?.keptLength ?? 0) + (d.cont?.kept ?? 0);
    }
    return n;
  }

  /**
   * After `SSL_REQUEST`: a parser for the same connection's TLS plaintext, which goes on with the
   * session where the raw bytes stop (the login packet, sequence id 2); undefined otherwise.
   */
  afterTls(): MysqlParser | undefined {
    if (!this.#sslRequested) return undefined;
    this.#sslRequested = false;
    const p = new MysqlParser(this.#o, this.#info);
    p.#client = this.#client;
    p.#serverCaps = this.#serverCaps;
    p.#clientCaps = this.#clientCaps;
    p.#phase = "login";
    p.#loginSeq = 2;
    return p;
  }

  protected take(dir: Direction, bytes: Uint8Array): void {
    const d = this.#d[dir];
    if (this.#phase === "dead") return;
    feed(d.q, bytes, () => this.#frame(d), () => d.q.clear());
  }

  protected override recover(dir: Direction, why: string): void {
    this.#note(`internal error: ${why}`);
    this.#d[dir].q.clear();
  }

  #note(text: string): void {
    this.emit({ kind: "desync", text });
  }

  /** Splits the direction's bytes into packets. */
  #frame(d: DirState): void {
    const q = d.q;
    const bigLimit = Math.min(BIG, q.cap - 8);
    const keep = keepBudget(this.#o.cap);
    while (this.#phase !== "dead") {
      if (d.big) {
        const big = d.big;
        if (!big.drain(q)) return;
        d.big = undefined;
        this.#assemble(d, d.bigSeq, big.bytes(), big.total);
        continue;
      }
      if (q.length < 4) return;
      const len = q.at(0)! | (q.at(1)! << 8) | (q.at(2)! << 16);
      const seq = q.at(3)!;
      if (len > bigLimit) {
        q.consume(4);
        d.big = new LongMessage(len, keep);
        d.bigSeq = seq;
        continue;
      }
      if (q.length < 4 + len) return;
      const payload = q.view(4, 4 + len).slice();
      q.consume(4 + len);
      this.#assemble(d, seq, payload, len);
    }
  }

  /** Joins 16 MiB continuation packets, then hands complete payloads on. */
  #assemble(d: DirState, seq: number, payload: Uint8Array, total: number): void {
    if (total === 0xffffff || d.cont) {
      const c = d.cont ?? (d.cont = { seq, parts: [], kept: 0, total: 0 });
      c.total += total;
      const keep = keepBudget(this.#o.cap);
      if (c.kept < keep) {
        const part = payload.subarray(0, keep - c.kept);
        c.parts.push(part);
        c.kept += part.length;
      }
      if (total === 0xffffff) return;
      d.cont = undefined;
      this.#endSeq = seq;
      this.#packet(c.seq, concatBytes(c.parts, c.kept), c.total);
      return;
    }
    this.#endSeq = seq;
    this.#packet(seq, payload, total);
  }

  #packet(seq: number, p: Uint8Array, total: number): void {
    const dir = this.dir;
    if (this.#client === undefined) {
      if (seq === 0 && isGreeting(p)) this.#client = dir === "in" ? "out" : "in";
      else if (seq === 2 && this.#phase === "start" && isTlsLogin(p)) {
        // TLS plaintext whose raw stream was not followed: it starts with the login.
        this.#client = dir;
        this.#phase = "login";
        this.#loginSeq = 2;
      } else if (seq === 0 && p.length > 0 && COMMANDS[p[0]] !== undefined && p[0] !== 0) {
        this.#client = dir;
        if (this.#phase === "start") this.#phase = "command";
      } else return;
    }
    if (dir === this.#client) this.#fromClient(seq, p, total);
    else this.#fromServer(seq, p);
  }

  // ---- client side ----

  #fromClient(seq: number, p: Uint8Array, total: number): void {
    if (this.#phase === "login" && seq === this.#loginSeq) {
      this.#login(p);
      return;
    }
    if (this.#phase === "auth" || (this.#phase === "login" && seq > this.#loginSeq)) {
      if (seq > 0) {
        this.emit({ kind: "AUTH_DATA", text: `AUTH_DATA len=${p.length}` });
        return;
      }
    }
    if (this.#cur?.state === "first" && this.#cur.cmd === 0x03 && seq > 0) {
      // LOCAL INFILE contents.
      this.emit({ kind: "LOCAL_INFILE_DATA", text: `LOCAL_INFILE_DATA len=${total}` });
      return;
    }
    if (seq !== 0 || p.length === 0) return;
    if (this.#phase === "start" || this.#phase === "login" || this.#phase === "auth") {
      this.#phase = "command";
    }
    this.#command(p, total);
  }

  #login(p: Uint8Array): void {
    const r = new Reader(p);
    const caps = r.u(4);
    if (r.bad) return;
    if (!(caps & CLIENT_PROTOCOL_41)) {
      // HandshakeResponse320: caps(2) max_packet(3) user NUL …
      const r2 = new Reader(p, 5);
      const user = r2.cstr();
      this.#clientCaps = caps & 0xffff;
      this.#phase = "auth";
      this.emit({
        kind: "LOGIN",
        text: `LOGIN user=${user ? quoteOrBare(user) : "?"}`,
        request: "LOGIN",
      });
      return;
    }
    this.#clientCaps = caps;
    if (p.length === 32 && (caps & CLIENT_SSL)) {
      this.emit({ kind: "SSL_REQUEST", text: "SSL_REQUEST (the rest is TLS)" });
      this.#phase = "dead";
      this.#sslRequested = true;
      return;
    }
    r.u(4); // max packet
    r.u(1); // charset
    r.bytes(23);
    const user = r.cstr();
    if (caps & CLIENT_PLUGIN_AUTH_LENENC) r.lenencStr();
    else if (caps & CLIENT_SECURE_CONNECTION) r.bytes(Math.max(r.u(1), 0));
    else r.cstr();
    let db: Uint8Array | undefined;
    if (caps & CLIENT_CONNECT_WITH_DB) db = r.cstr();
    let plugin: Uint8Array | undefined;
    if (caps & CLIENT_PLUGIN_AUTH) plugin = r.cstr();
    let text = `LOGIN user=${user ? quoteOrBare(user) : "?"}`;
    if (db && db.length) text += ` db=${quoteOrBare(db)}`;
    if (plugin && plugin.length) text += ` auth=${quoteOrBare(plugin)}`;
    if (caps & CLIENT_CONNECT_ATTRS && !r.bad) {
      const total = r.lenenc();
      if (typeof total === "number" && total > 0) {
        const a = new Reader(r.bytes(total) ?? new Uint8Array());
        const attrs: string[] = [];
        while (a.left > 0 && attrs.length < 32) {
          const k = a.lenencStr();
          const v = a.lenencStr();
          if (!k || !v) break;
          attrs.push(`${quoteOrBare(k)}=${quoteOrBare(v)}`);
        }
        if (attrs.length) text += ` attrs={${attrs.join(",")}}`;
      }
    }
    this.#phase = "auth";
    this.emit({
      kind: "LOGIN",
      text: cut(text, this.#o.maxText),
      request: cut(text, 120),
      fields: {
        user: user ? latin1(user) : null,
        db: db && db.length ? latin1(db) : null,
        auth: plugin && plugin.length ? latin1(plugin) : null,
      },
    });
  }

  #command(p: Uint8Array, total: number): void {
    const o = this.#o;
    const cmd = p[0];
    const name = COMMANDS[cmd] ?? `COM_0x${cmd.toString(16).padStart(2, "0")}`;
    const r = new Reader(p, 1);
    let text = name;
    let expect = true;
    let binary = false;
    let sql: string | undefined;
    /** The request's name in the slowest lists, when not the text. */
    let key: string | undefined;
    const fields: { [key: string]: Json } = { command: name };
    switch (cmd) {
      case 0x03: {
        if (this.#caps() & CLIENT_QUERY_ATTRIBUTES) {
          const pc = r.lenenc();
          r.lenenc();
          if (pc !== 0) r.i = 1; // attributes present: show the raw remainder
        }
        const q = r.rest();
        text += " " + escapeBytes(q, o.maxText);
        fields.query = latin1(q.subarray(0, o.maxText));
        break;
      }
      case 0x16: {
        const q = r.rest();
        sql = escapeBytes(q, o.maxText);
        text += " " + sql;
        fields.query = latin1(q.subarray(0, o.maxText));
        break;
      }
      case 0x02:
      case 0x05:
      case 0x06:
        text += " " + escapeBytes(r.rest(), 256);
        break;
      case 0x04: {
        const t = r.cstr() ?? r.rest();
        text += ` table=${quoteOrBare(t)}`;
        const w = r.rest();
        if (w.length) text += ` wild=${quoteOrBare(w)}`;
        break;
      }
      case 0x0c:
        text += ` id=${r.u(4)}`;
        break;
      case 0x1b: {
        const opt = r.u(2);
        text += ` option=${
          opt === 0
            ? "MYSQL_OPTION_MULTI_STATEMENTS_ON"
            : opt === 1
            ? "MYSQL_OPTION_MULTI_STATEMENTS_OFF"
            : opt
        }`;
        break;
      }
      case 0x17:
      case 0xfa: {
        const [t, k] = this.#execute(r);
        text += t;
        key = k;
        binary = true;
        fields.stmt = this.#execInfo.stmt;
        if (this.#execInfo.sql !== undefined) fields.query = this.#execInfo.sql;
        if (this.#execInfo.params) fields.params = this.#execInfo.params;
        break;
      }
      case 0x19:
      case 0x1a: {
        const id = r.u(4);
        text += ` stmt=${id}`;
        if (cmd === 0x19) {
          this.#stmts.delete(id);
          expect = false;
        }
        break;
      }
      case 0x18:
        text += ` stmt=${r.u(4)} param=${r.u(2)} len=${Math.max(total - 7, 0)}`;
        expect = false;
        break;
      case 0x1c:
        text += ` stmt=${r.u(4)} rows=${r.u(4)}`;
        binary = true;
        break;
      case 0x11: {
        const user = r.cstr();
        text += ` user=${user ? quoteOrBare(user) : "?"}`;
        break;
      }
      case 0x01:
        expect = false;
        break;
      default:
        if (p.length > 1) text += ` len=${p.length - 1}`;
    }
    // COM_CHANGE_USER is answered by the authentication exchange, not queued.
    if (expect && cmd !== 0x11) {
      this.#queue.push({
        cmd,
        state: "first",
        binary,
        ncols: 0,
        cols: [],
        rows: 0,
        left: 0,
        answered: false,
        lastSeq: -1,
        sql,
        rawSql: typeof fields.query === "string" ? fields.query : undefined,
      });
      if (this.#queue.length > 64) this.#queue.shift();
    }
    if (cmd === 0x11) this.#phase = "auth";
    this.emit({
      kind: name,
      text: cut(text, o.maxText + 64),
      ...(expect ? { request: cut(key ?? text, 160) } : {}),
      fields,
    });
  }

  /**
   * The text after `COM_STMT_EXECUTE` (statement id and parameter values), and the request's
   * name: `COM_STMT_EXECUTE <its SQL> params=(…)` when the statement was seen prepared.
   */
  #execute(r: Reader): [string, string | undefined] {
    const [text, params] = this.#executeText(r);
    let id = new Reader(r.b, 1).u(4);
    if (id === 0xffffffff) id = this.#lastStmt;
    const sql = this.#stmts.get(id)?.sql;
    this.#execInfo = {
      stmt: id,
      sql: this.#stmts.get(id)?.rawSql,
      params: this.#execInfo.params,
    };
    return [text, sql === undefined ? undefined : `COM_STMT_EXECUTE ${sql}${params}`];
  }

  /** `[text, " params=(…)" or ""]` of a COM_STMT_EXECUTE. */
  #executeText(r: Reader): [string, string] {
    this.#execInfo = { stmt: -1 };
    let id = r.u(4);
    if (id === 0xffffffff) id = this.#lastStmt;
    const flags = r.u(1);
    r.u(4); // iteration count
    let text = ` stmt=${id}`;
    if (flags > 0) text += ` flags=0x${flags.toString(16)}`;
    const st = this.#stmts.get(id);
    if (!st || r.bad) return [text, ""];
    if (st.params > 0) {
      const nb = r.bytes((st.params + 7) >> 3);
      const bound = r.u(1);
      if (!nb || bound < 0) return [text, ""];
      if (bound === 1) {
        const types: number[] = [];
        for (let k = 0; k < st.params; k++) {
          const t = r.u(1);
          const f = r.u(1);
          types.push(t | ((f & 0x80) << 8));
        }
        st.paramTypes = types;
      }
      if (!st.paramTypes) return [text, ""];
      const vals: string[] = [];
      for (let k = 0; k < st.params; k++) {
        if (nb[k >> 3] & (1 << (k & 7))) {
          vals.push("NULL");
          continue;
        }
        const t = st.paramTypes[k];
        const v = binaryValue(r, t & 0xff, (t & 0x8000) !== 0);
        if (v === undefined) {
          vals.push("?");
          break;
        }
        vals.push(v);
      }
      this.#execInfo.params = vals;
      const params = ` params=(${vals.join(", ")})`;
      return [text + params, params];
    }
    return [text, ""];
  }

  #caps(): number {
    if (this.#clientCaps < 0) return 0;
    return this.#serverCaps < 0 ? this.#clientCaps : this.#clientCaps & this.#serverCaps;
  }

  /** Whether CLIENT_DEPRECATE_EOF is in force: true, false or undefined (unknown). */
  #deprecateEof(): boolean | undefined {
    if (this.#clientCaps < 0) return undefined;
    return (this.#caps() & CLIENT_DEPRECATE_EOF) !== 0;
  }

  // ---- server side ----

  #fromServer(seq: number, p: Uint8Array): void {
    if (p.length === 0) return;
    if (this.#phase === "start" && seq === 0) {
      if (isGreeting(p)) {
        this.#greeting(p);
        return;
      }
      if (p[0] === 0xff) {
        this.emit({ ...this.#err(p, false), response: true, error: true });
        return;
      }
    }
    if (this.#phase === "login") return;
    if (this.#phase === "auth") {
      this.#auth(p);
      return;
    }
    const c = this.#cur;
    if (!c) return;
    // A response starts at sequence id 1 (the command was 0); in a long one, the id wraps from
    // 255 to 0 (a result set of more than 255 packets). A 0 elsewhere answers nothing we sent.
    if (seq === 0 && c.lastSeq !== 255) return;
    c.lastSeq = this.#endSeq;
    this.#response(c, p);
  }

  #greeting(p: Uint8Array): void {
    const r = new Reader(p, 1);
    const ver = r.cstr() ?? new Uint8Array();
    const thread = r.u(4);
    r.bytes(8);
    r.u(1);
    let caps = r.u(2);
    r.u(1); // charset
    r.u(2); // status
    const hi = r.u(2);
    if (hi >= 0) caps += hi * 65536;
    const authLen = r.u(1);
    r.bytes(10);
    let plugin: Uint8Array | undefined;
    if (!r.bad && caps & CLIENT_SECURE_CONNECTION) r.bytes(Math.max(13, authLen - 8));
    if (!r.bad && caps & CLIENT_PLUGIN_AUTH) plugin = r.cstr() ?? r.rest();
    this.#serverCaps = caps >= 0 ? caps : -1;
    this.#phase = "login";
    let text = `HANDSHAKE version=${quoteOrBare(ver)}`;
    if (thread >= 0) text += ` thread=${thread}`;
    if (plugin && plugin.length) text += ` auth=${quoteOrBare(plugin)}`;
    this.emit({
      kind: "HANDSHAKE",
      text,
      fields: { version: latin1(ver), thread: thread >= 0 ? thread : null },
    });
  }

  #auth(p: Uint8Array): void {
    const k = p[0];
    if (k === 0x00) {
      this.#phase = "command";
      this.emit({ ...this.#ok(p), response: true });
      if (this.#clientCaps >= 0 && (this.#caps() & CLIENT_COMPRESS)) {
        this.#note("compressed protocol (CLIENT_COMPRESS): not decoded");
        this.#phase = "dead";
      }
    } else if (k === 0xff) {
      this.#phase = "command";
      this.emit({ ...this.#err(p, true), response: true, error: true });
    } else if (k === 0xfe) {
      const r = new Reader(p, 1);
      const plugin = r.cstr() ?? r.rest();
      this.emit({ kind: "AUTH_SWITCH", text: `AUTH_SWITCH auth=${quoteOrBare(plugin)}` });
    } else if (k === 0x01) {
      const what = p.length === 2 && p[1] === 3
        ? " fast_auth_success"
        : p.length === 2 && p[1] === 4
        ? " perform_full_authentication"
        : ` len=${p.length - 1}`;
      this.emit({ kind: "AUTH_MORE_DATA", text: `AUTH_MORE_DATA${what}` });
    }
  }

  /**
   * Emits a response message. `more`: the response goes on (another result set, or the column
   * definitions after STMT_PREPARE_OK); `respond`: this message completes the request (the last
   * result of a multi-statement query; STMT_PREPARE_OK itself).
   */
  #final(
    c: Pending,
    m: Omit<ProtoMessage, "proto" | "dir">,
    more = false,
    respond = !more,
  ): void {
    const flag = respond && !c.answered;
    if (flag) c.answered = true;
    if (!more) this.#done(c);
    const outcome = m.kind === "ERR"
      ? m.text.split(" ", 2).join(" ")
      : m.kind === "RESULTSET"
      ? `RESULTSET rows=${c.rows}`
      : m.kind;
    const fields: { [key: string]: Json } = {
      ...(m.fields ?? { type: m.kind }),
      request_command: COMMANDS[c.cmd] ?? c.cmd,
    };
    if (c.rawSql !== undefined) fields.query = c.rawSql;
    this.emit({ ...m, fields, ...(flag ? { response: true, outcome } : {}) });
  }

  #response(c: Pending, p: Uint8Array): void {
    const k = p[0];
    switch (c.state) {
      case "first": {
        if (k === 0xff) {
          if (p.length >= 3 && p[1] === 0xff && p[2] === 0xff) {
            this.emit({ kind: "PROGRESS", text: `PROGRESS ${quoteBytes(p.subarray(3), 64)}` });
            return;
          }
          this.#final(c, { ...this.#err(p, true), error: true });
          return;
        }
        if (c.cmd === 0x09) {
          this.#final(c, { kind: "STATISTICS", text: `STATISTICS ${quoteBytes(p, 256)}` });
          return;
        }
        if (k === 0x00 && c.cmd === 0x16 && p.length >= 12) {
          const r = new Reader(p, 1);
          const id = r.u(4);
          const ncols = r.u(2);
          const nparams = r.u(2);
          r.u(1);
          const warn = r.u(2);
          const st: Stmt = { columns: ncols, params: nparams, sql: c.sql, rawSql: c.rawSql };
          this.#stmts.set(id, st);
          if (this.#stmts.size > 4096) this.#stmts.delete(this.#stmts.keys().next().value!);
          this.#lastStmt = id;
          c.stmt = st;
          let text = `STMT_PREPARE_OK stmt=${id} columns=${ncols} params=${nparams}`;
          if (warn > 0) text += ` warnings=${warn}`;
          const more = nparams > 0 || ncols > 0;
          const fields = { type: "STMT_PREPARE_OK", stmt: id, columns: ncols, params: nparams };
          this.#final(c, { kind: "STMT_PREPARE_OK", text, fields }, more, true);
          if (nparams > 0) {
            c.state = "pparams";
            c.left = nparams;
          } else if (ncols > 0) {
            c.state = "pcols";
            c.left = ncols;
          }
          return;
        }
        if (k === 0x00 && c.cmd !== 0x04) {
          const m = this.#ok(p);
          this.#final(c, m, moreResults(p, 0x00));
          return;
        }
        if (k === 0xfe && p.length < 9) {
          const m = this.#eof(p);
          this.#final(c, m, c.cmd !== 0x04 && moreResults(p, 0xfe));
          return;
        }
        if (k === 0xfb && c.cmd === 0x03) {
          this.emit({
            kind: "LOCAL_INFILE",
            text: `LOCAL_INFILE file=${quoteBytes(p.subarray(1), 256)}`,
          });
          return;
        }
        if (c.cmd === 0x04) {
          c.state = "cols";
          c.ncols = Infinity;
          this.#column(c, p);
          return;
        }
        const n = new Reader(p).lenenc();
        if (
          typeof n !== "number" || n <= 0 || n > 4096 ||
          ![0x03, 0x17, 0x1c, 0xfa, 0x0a, 0x0f].includes(c.cmd)
        ) {
          this.#final(c, { kind: "RESPONSE", text: `RESPONSE len=${p.length}` });
          return;
        }
        c.state = "cols";
        c.ncols = n;
        c.cols = [];
        c.rows = 0;
        c.first = undefined;
        return;
      }
      case "cols":
        if (c.cmd === 0x04 && k === 0xfe && p.length < 9) {
          this.#final(c, {
            kind: "FIELDS",
            text: cut(`FIELDS columns=${c.cols.map((x) => x.name).join(",")}`, this.#o.maxText),
          });
          return;
        }
        if (k === 0xff) {
          this.#final(c, { ...this.#err(p, true), error: true });
          return;
        }
        this.#column(c, p);
        if (c.cols.length >= c.ncols) {
          c.state = this.#deprecateEof() === true ? "rows" : "colEof";
        }
        return;
      case "colEof":
        if (k === 0xfe && p.length < 9 && (p.length === 5 || this.#deprecateEof() === false)) {
          c.state = "rows";
          return;
        }
        c.state = "rows";
        this.#response(c, p);
        return;
      case "rows": {
        if (k === 0xff) {
          this.#final(c, { ...this.#err(p, true), error: true });
          return;
        }
        if (k === 0xfe && (c.binary || p.length < 9 || !plausibleTextRow(p, c.ncols))) {
          const more = moreResults(p, 0xfe);
          const names = c.cols.map((x) => x.name).join(",");
          let text = `RESULTSET columns=${names} rows=${c.rows}`;
          if (c.first !== undefined) text += ` first=[${c.first}]`;
          const fields: { [key: string]: Json } = {
            type: "RESULTSET",
            columns: c.cols.map((x) => x.name),
            rows: c.rows,
          };
          if (c.first !== undefined) fields.first = c.first;
          this.#final(c, { kind: "RESULTSET", text: cut(text, this.#o.maxText), fields }, more);
          if (more) c.state = "first";
          return;
        }
        c.rows++;
        if (c.rows === 1) c.first = this.#row(c, p);
        return;
      }
      case "pparams":
      case "pcols": {
        if (c.left > 0) {
          if (c.state === "pcols" && c.stmt) this.#column(c, p);
          c.left--;
          if (c.left > 0) return;
          const eof = this.#deprecateEof() !== true;
          if (eof) {
            c.state = c.state === "pparams" ? "pparamsEof" : "pcolsEof";
            return;
          }
        } else if (k !== 0xfe || p.length >= 9) {
          // Expected an EOF that was not there (CLIENT_DEPRECATE_EOF): reparse.
          c.left = 0;
        }
        this.#afterPrepareDefs(c);
        return;
      }
      case "pparamsEof":
      case "pcolsEof":
        if (k === 0xfe && p.length < 9) {
          this.#afterPrepareDefs(c);
          return;
        }
        this.#afterPrepareDefs(c);
        if (this.#cur === c) this.#response(c, p);
        return;
    }
  }

  /** The response being received: to the oldest outstanding command. */
  get #cur(): Pending | undefined {
    return this.#queue[0];
  }

  /** Drops a command whose response is complete. */
  #done(c: Pending): void {
    const i = this.#queue.indexOf(c);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  #afterPrepareDefs(c: Pending): void {
    if ((c.state === "pparams" || c.state === "pparamsEof") && c.stmt && c.stmt.columns > 0) {
      c.state = "pcols";
      c.left = c.stmt.columns;
      return;
    }
    this.#done(c);
  }

  #column(c: Pending, p: Uint8Array): void {
    const r = new Reader(p);
    for (let k = 0; k < 4; k++) r.lenencStr(); // catalog, schema, table, org_table
    const name = r.lenencStr();
    r.lenencStr(); // org_name
    r.lenenc();
    r.u(2); // charset
    r.u(4); // length
    const type = r.u(1);
    const flags = r.u(2);
    if (c.cols.length < 4096) {
      c.cols.push({
        name: name ? escapeBytes(name, 64) : "?",
        type: type < 0 ? 253 : type,
        flags: flags < 0 ? 0 : flags,
      });
    }
  }

  /** The first row's values as `(4, "Hello world!")`. */
  #row(c: Pending, p: Uint8Array): string {
    const vals: string[] = [];
    const cols = c.cols;
    if (c.binary) {
      const r = new Reader(p, 1);
      const nb = r.bytes((cols.length + 9) >> 3);
      if (!nb) return "(?)";
      for (let k = 0; k < cols.length; k++) {
        const bit = k + 2;
        if (nb[bit >> 3] & (1 << (bit & 7))) {
          vals.push("NULL");
          continue;
        }
        const v = binaryValue(r, cols[k].type, (cols[k].flags & 32) !== 0);
        if (v === undefined) {
          vals.push("?");
          break;
        }
        vals.push(v);
      }
    } else {
      const r = new Reader(p);
      for (let k = 0; k < Math.max(cols.length, 1) && r.left > 0; k++) {
        const v = r.lenencStr();
        if (v === null) vals.push("NULL");
        else if (v === undefined) {
          vals.push("?");
          break;
        } else if (NUMERIC.has(cols[k]?.type ?? 253) && /^[-+0-9.eE]*$/.test(latin1(v))) {
          vals.push(latin1(v.subarray(0, 64)));
        } else vals.push(quoteBytes(v, 64));
      }
    }
    return `(${vals.join(", ")})`;
  }

  #ok(p: Uint8Array): Omit<ProtoMessage, "proto" | "dir"> {
    const r = new Reader(p, 1);
    const affected = r.lenenc();
    const insert = r.lenenc();
    r.u(2); // status
    const warnings = r.u(2);
    let text = "OK";
    if (typeof affected === "number" && affected >= 0) text += ` affected_rows=${affected}`;
    if (typeof insert === "number" && insert >= 0) text += ` insert_id=${insert}`;
    if (warnings > 0) text += ` warnings=${warnings}`;
    const fields: { [key: string]: Json } = { type: "OK" };
    if (typeof affected === "number" && affected >= 0) fields.affected_rows = affected;
    if (typeof insert === "number" && insert >= 0) fields.insert_id = insert;
    if (warnings > 0) fields.warnings = warnings;
    if (!r.bad && r.left > 0) {
      // The info is a length-encoded string with CLIENT_SESSION_TRACK, and in practice also
      // without it (servers store it length-encoded); fall back to the rest of the packet.
      let info: Uint8Array | null | undefined;
      const save = r.i;
      info = r.lenencStr();
      if (!(this.#caps() & CLIENT_SESSION_TRACK) && (r.bad || r.left > 0)) {
        r.i = save;
        info = r.rest();
      }
      if (info && info.length) {
        text += ` info=${quoteBytes(info, 256)}`;
        fields.info = latin1(info.subarray(0, 256));
      }
    }
    return { kind: "OK", text, fields };
  }

  #eof(p: Uint8Array): Omit<ProtoMessage, "proto" | "dir"> {
    const r = new Reader(p, 1);
    const warnings = r.u(2);
    return {
      kind: "EOF",
      text: warnings > 0 ? `EOF warnings=${warnings}` : "EOF",
      fields: { type: "EOF", warnings: Math.max(warnings, 0) },
    };
  }

  #err(p: Uint8Array, p41: boolean): Omit<ProtoMessage, "proto" | "dir"> {
    const r = new Reader(p, 1);
    const code = r.u(2);
    let text = `ERR ${code < 0 ? "?" : code}`;
    const fields: { [key: string]: Json } = { type: "ERR", error_code: code < 0 ? null : code };
    if (p41 && r.left >= 6 && p[r.i] === 0x23) {
      text += ` (${escapeBytes(p.subarray(r.i + 1, r.i + 6), 5)})`;
      fields.sqlstate = latin1(p.subarray(r.i + 1, r.i + 6));
      r.i += 6;
    }
    const msg = r.rest();
    if (msg.length) text += " " + escapeBytes(msg, this.#o.maxText);
    fields.message = latin1(msg.subarray(0, this.#o.maxText));
    return { kind: "ERR", text, fields };
  }
}

function moreResults(p: Uint8Array, kind: number): boolean {
  const r = new Reader(p, 1);
  if (kind === 0x00 || p.length >= 7) {
    r.lenenc();
    r.lenenc();
    const st = r.u(2);
    return st >= 0 && (st & SERVER_MORE_RESULTS_EXISTS) !== 0;
  }
  r.u(2); // warnings
  const st = r.u(2);
  return st >= 0 && (st & SERVER_MORE_RESULTS_EXISTS) !== 0;
}

/** Whether a text row starting with 0xfe is really a row (its columns parse exactly). */
function plausibleTextRow(p: Uint8Array, ncols: number): boolean {
  const r = new Reader(p);
  for (let k = 0; k < ncols; k++) {
    const v = r.lenencStr();
    if (v === undefined) return false;
  }
  return r.left === 0;
}

/**
 * Whether `b` is exactly one client command packet (sequence id 0, a known command, the length
 * matching): how a client's write looks when sctrace joins a connection after its handshake.
 * COM_QUERY and COM_STMT_PREPARE must carry text.
 */
function isCommandWrite(b: Uint8Array): boolean {
  if (b.length < 5 || b[3] !== 0) return false;
  const len = b[0] | (b[1] << 8) | (b[2] << 16);
  if (len + 4 !== b.length || len === 0 || len >= 0xffffff) return false;
  const cmd = b[4];
  if (COMMANDS[cmd] === undefined || cmd === 0x00 || cmd === 0x0b || cmd === 0x0a) return false;
  if (cmd === 0x03 || cmd === 0x16) {
    if (len < 2) return false;
    for (let i = 5; i < b.length; i++) {
      const c = b[i];
      if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
    }
  }
  if ([0x01, 0x09, 0x0e, 0x1f].includes(cmd)) return len === 1;
  return true;
}

/**
 * Whether a payload is the login packet sent inside TLS: HandshakeResponse41 with CLIENT_SSL, a
 * zero filler, a user name after the 32 fixed bytes.
 */
function isTlsLogin(p: Uint8Array): boolean {
  if (p.length <= 33 || p.length > 4096) return false;
  const caps = p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24);
  if (!(caps & CLIENT_PROTOCOL_41) || !(caps & CLIENT_SSL)) return false;
  // The filler; MariaDB's extended capabilities are its last 4 bytes.
  for (let i = 9; i < 28; i++) if (p[i] !== 0) return false;
  return p.indexOf(0, 32) >= 32;
}

/** Whether a payload is a protocol v10 greeting. */
function isGreeting(p: Uint8Array): boolean {
  if (p.length < 20 || p[0] !== 10) return false;
  const z = p.indexOf(0, 1);
  if (z < 2 || z > 64 || p.length < z + 1 + 4 + 9 + 2) return false;
  for (let i = 1; i < z; i++) if (p[i] < 0x20 || p[i] > 0x7e) return false;
  return true;
}

/** One binary-protocol value of column type `t`, advancing `r`; undefined when unreadable. */
function binaryValue(r: Reader, t: number, unsigned: boolean): string | undefined {
  const int = (n: number): string | undefined => {
    const b = r.bytes(n);
    if (!b) return undefined;
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]);
    if (!unsigned && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v.toString();
  };
  switch (t) {
    case 1:
      return int(1);
    case 2:
    case 13:
      return int(2);
    case 3:
    case 9:
      return int(4);
    case 8:
      return int(8);
    case 4: {
      const b = r.bytes(4);
      return b ? String(new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true)) : undefined;
    }
    case 5: {
      const b = r.bytes(8);
      return b ? String(new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true)) : undefined;
    }
    case 6:
      return "NULL";
    case 7:
    case 10:
    case 12: {
      const n = r.u(1);
      const b = r.bytes(Math.max(n, 0));
      if (!b) return undefined;
      const d = new Reader(b);
      const p2 = (x: number): string => String(Math.max(x, 0)).padStart(2, "0");
      let s = n >= 4
        ? `${String(d.u(2)).padStart(4, "0")}-${p2(d.u(1))}-${p2(d.u(1))}`
        : "0000-00-00";
      if (t !== 10 || n > 4) {
        if (n >= 7) s += ` ${p2(d.u(1))}:${p2(d.u(1))}:${p2(d.u(1))}`;
        if (n >= 11) s += `.${String(d.u(4)).padStart(6, "0")}`;
      }
      return `"${s}"`;
    }
    case 11: {
      const n = r.u(1);
      const b = r.bytes(Math.max(n, 0));
      if (!b) return undefined;
      if (n < 8) return '"00:00:00"';
      const d = new Reader(b);
      const neg = d.u(1);
      const days = d.u(4);
      const p2 = (x: number): string => String(Math.max(x, 0)).padStart(2, "0");
      let s = `${neg ? "-" : ""}${p2(days * 24 + d.u(1))}:${p2(d.u(1))}:${p2(d.u(1))}`;
      if (n >= 12) s += `.${String(d.u(4)).padStart(6, "0")}`;
      return `"${s}"`;
    }
    default: {
      const v = r.lenencStr();
      if (v === undefined) return undefined;
      if (v === null) return "NULL";
      if ((t === 246 || t === 0) && /^[-+0-9.]*$/.test(latin1(v))) return escapeBytes(v, 64);
      return quoteBytes(v, 64);
    }
  }
}

function quoteOrBare(b: Uint8Array): string {
  for (const c of b) {
    if (c <= 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) return quoteBytes(b, 256);
  }
  return escapeBytes(b, 256);
}

/** Creates the MySQL/MariaDB sniffer with the given options. */
export function createMysqlSniffer(opts: SnifferOptions = {}): StreamSniffer {
  const o = resolveOptions(opts);
  return defineSniffer("mysql", (info, _dir, first) => {
    if (info.localPort === 3306 || info.remotePort === 3306) return true;
    if (info.unixPath && /mysql|mariadb/i.test(info.unixPath)) return true;
    // A greeting: 3-byte length, sequence 0, protocol version 10, a printable version.
    if (first.length < 5) {
      return first.length >= 4 && first[3] !== 0 && first[3] !== 2 ? false : undefined;
    }
    // Joined mid-connection: a client's command packet, exactly as written.
    if (isCommandWrite(first)) return true;
    // TLS plaintext: the login packet (sequence id 2, after SSL_REQUEST on the raw bytes).
    if (first[3] === 2) {
      const len = first[0] | (first[1] << 8) | (first[2] << 16);
      if (len < 34 || len > 4096) return false;
      return first.length < 4 + len ? undefined : isTlsLogin(first.subarray(4, 4 + len));
    }
    if (first[3] !== 0 || first[4] !== 10) return false;
    const len = first[0] | (first[1] << 8) | (first[2] << 16);
    if (len < 20 || len > 1024) return false;
    const p = first.subarray(4, 4 + len);
    if (p.length < len) {
      for (let i = 1; i < p.length; i++) {
        if (p[i] === 0) return i >= 2 ? true : false;
        if (p[i] < 0x20 || p[i] > 0x7e) return false;
      }
      return undefined;
    }
    return isGreeting(p);
  }, (info) => new MysqlParser(o, info));
}

/** The MySQL/MariaDB sniffer with default options. */
export const mysqlSniffer: StreamSniffer = createMysqlSniffer();
