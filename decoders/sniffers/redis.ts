/**
 * The Redis sniffer: RESP2 and RESP3, both directions, pipelining. Works whether the traced process
 * is the client (redis-cli, a PHP client) or the server (redis-server): commands flow one way,
 * replies the other, learnt from the port or from the first value (a command is an array of bulk
 * strings, or an inline command line). Detected by port (6379, 26379 for Sentinel, and
 * 16379–16388, the e2e servers of `.ci/services`), by a unix socket path naming redis
 * (`redis.sock`), or by first bytes that start like RESP on a socket.
 *
 * Messages, one per command or reply (kind: the command's name, or the reply's first word):
 * - a command: `SET key value`, `GET "a key"`; arguments are bare when they are plain tokens,
 *   else quoted and escaped as strace escapes strings (`SET k "\x00\x01"`), cut at 64 bytes with
 *   `...`; more than 32 arguments end in `... /* N args *\/`; inline commands (`PING\r\n`) too;
 * - a reply: `+OK`, `-ERR unknown command 'FOO'` (an error), `:42`, `"value"` (a bulk string),
 *   `nil` (a null bulk string, array or RESP3 `_`), `*2 ["a", :1]` (an array; at most 32
 *   elements are shown of any size), and the RESP3 types: `%1 {"k": "v"}` (map), `~2 ["a", "b"]`
 *   (set), `#t` (boolean), `,3.14` (double), `(12345678901234567890` (big number), `>3 ["message",
 *   "ch", "hi"]` (a push, not a reply), `!"ERR …"` (a blob error), `=txt:"…"` (verbatim string);
 *   a RESP3 attribute is printed before the value it describes: `|1 {"ttl": :3} "v"`.
 *
 * Each command is a request and each reply closes the oldest open one, so pipelined commands are
 * paired with their replies in order and `--proto` reports latencies; pushes (RESP3 `>`, and
 * `message`/`pmessage`/`smessage` arrays once subscribed) close nothing, and `SUBSCRIBE a b` waits
 * for one reply per channel.
 *
 * Memory: at most `cap` bytes are buffered per direction (a line longer than 64 KiB is garbage);
 * bulk strings of any size are streamed (their first 64 bytes kept); aggregates of any size are
 * counted (their first 32 elements kept). Garbage never throws: it yields one `desync` note and the
 * parser skips to the next line that starts like a RESP value.
 * @module
 */

import type { Direction, Json, StreamInfo, StreamSniffer } from "../api.ts";
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

/** Ports that mean Redis: the default, Sentinel's, and those of the e2e servers (`.ci/services`). */
export const REDIS_PORTS: ReadonlySet<number> = new Set([
  6379,
  26379,
  16379,
  16380,
  16381,
  16382,
  16383,
  16384,
  16385,
  16386,
  16387,
  16388,
]);

/** Longest argument or bulk preview, in bytes. */
const ARG_MAX = 64;
/** Elements of one aggregate kept for the text. */
const ELEMS_MAX = 32;
/** Deepest nesting of aggregates accepted. */
const DEPTH_MAX = 64;
/** Longest line (type byte to CRLF) accepted. */
const LINE_MAX = 64 * 1024;
/** Largest bulk or aggregate length accepted (Redis' own proto-max-bulk-len is 512 MB). */
const LEN_MAX = 2 ** 32;

const CR = 13;
const LF = 10;
const NL = new Uint8Array([LF]);

/** Type bytes that may start a RESP2/RESP3 value. */
const TYPES = new Set("+-:$*_,#!=(%~>|".split("").map((c) => c.charCodeAt(0)));

/** A parsed value, kept small: bulk payloads are cut at {@linkcode ARG_MAX}. */
type Value =
  | { t: "simple"; mark: string; bytes: Uint8Array }
  | { t: "error"; mark: string; bytes: Uint8Array }
  | { t: "bulk"; mark: string; bytes: Uint8Array; len: number }
  | { t: "null" }
  | { t: "agg"; mark: string; n: number; items: Value[] }
  | { t: "attr"; v: Extract<Value, { t: "agg" }> };

interface Frame {
  mark: string;
  /** Elements still to read (maps and attributes count two per entry). */
  left: number;
  /** Declared element count (entries for maps). */
  n: number;
  items: Value[];
}

/** The streaming RESP parser of one direction, over a bounded queue. */
class RespReader {
  readonly q: ByteQueue;
  #stack: Frame[] = [];
  /** Bulk being read: its mark, declared length, bytes still to read (payload + CRLF), preview. */
  #bulk: { mark: string; len: number; msg: LongMessage } | null = null;
  #desync = false;
  /** Bytes of the queue already searched for LF. */
  #scanned = 0;
  /** Whether inline commands are accepted (not on the replies' side). */
  inline = true;
  #out: (Value | "desync")[] = [];

  constructor(cap: number) {
    this.q = new ByteQueue(cap);
  }

  /** Bytes held (the queue and the kept bulk preview). */
  get held(): number {
    return this.q.length + (this.#bulk?.msg.keptLength ?? 0);
  }

  /** Feeds bytes; returns the complete top-level values and `"desync"` markers. */
  push(bytes: Uint8Array): (Value | "desync")[] {
    this.#out = [];
    feed(this.q, bytes, () => this.#run(), () => this.#garbage());
    return this.#out;
  }

  #garbage(): void {
    if (!this.#desync) this.#out.push("desync");
    this.#desync = true;
    this.#stack = [];
    this.#bulk = null;
    this.q.clear();
    this.#scanned = 0;
  }

  #run(): void {
    const q = this.q;
    while (q.length > 0) {
      if (this.#bulk) {
        const bk = this.#bulk;
        // The payload and its CRLF; only the payload's first ARG_MAX bytes are kept.
        if (!bk.msg.drain(q)) return;
        this.#bulk = null;
        this.#complete({ t: "bulk", mark: bk.mark, bytes: bk.msg.bytes(), len: bk.len });
        continue;
      }
      const end = q.indexOf(NL, this.#scanned);
      if (end < 0) {
        this.#scanned = q.length;
        if (q.length > LINE_MAX) this.#garbage();
        return;
      }
      this.#scanned = 0;
      const lineEnd = end > 0 && q.at(end - 1) === CR ? end - 1 : end;
      const whole = q.view(0, lineEnd).slice();
      q.consume(end + 1);
      const type = whole.length ? whole[0] : -1;
      if (this.#desync) {
        // Resync at a line that starts like a RESP value (or an inline command when allowed).
        // Servers never send control bytes in a line, random bytes nearly always hold one.
        if (!TYPES.has(type) && !(this.inline && isInlineStart(type))) continue;
        if (!printable(whole)) continue;
        this.#desync = false;
      }
      if (this.#line(type, whole) === "bad") {
        if (!this.#desync) this.#out.push("desync");
        this.#desync = true;
        this.#stack = [];
      }
    }
  }

  /** Handles one line; returns "bad" when it cannot be RESP. */
  #line(type: number, whole: Uint8Array): "ok" | "bad" {
    const mark = String.fromCharCode(type);
    const rest = whole.subarray(1);
    switch (mark) {
      case "+":
        this.#complete({ t: "simple", mark, bytes: rest });
        return "ok";
      case ",":
      case "#":
      case "(":
      case ":":
        if (rest.length > 512 || !SCALAR[mark].test(ascii(rest, 512))) return "bad";
        this.#complete({ t: "simple", mark, bytes: rest });
        return "ok";
      case "-":
        this.#complete({ t: "error", mark, bytes: rest });
        return "ok";
      case "_":
        if (rest.length) return "bad";
        this.#complete({ t: "null" });
        return "ok";
      case "$":
      case "!":
      case "=": {
        const n = parseLen(rest);
        if (Number.isNaN(n) || n < -1 || n > LEN_MAX) return "bad";
        if (n === -1) this.#complete({ t: "null" });
        else this.#bulk = { mark, len: n, msg: new LongMessage(n + 2, Math.min(n, ARG_MAX)) };
        return "ok";
      }
      case "*":
      case "%":
      case "~":
      case ">":
      case "|": {
        const n = parseLen(rest);
        if (Number.isNaN(n) || n < -1 || n > LEN_MAX) return "bad";
        if (n === -1) {
          this.#complete({ t: "null" });
          return "ok";
        }
        if (n === 0) {
          this.#complete({ t: "agg", mark, n: 0, items: [] });
          return "ok";
        }
        if (this.#stack.length >= DEPTH_MAX) return "bad";
        const per = mark === "%" || mark === "|" ? 2 : 1;
        this.#stack.push({ mark, left: n * per, n, items: [] });
        return "ok";
      }
      default:
        if (this.inline && !this.#stack.length && isInlineStart(type) && isInline(whole)) {
          const words = splitInline(whole);
          if (words.length) {
            const items: Value[] = words.slice(0, ELEMS_MAX).map((w) => ({
              t: "bulk",
              mark: "$",
              bytes: w.subarray(0, ARG_MAX),
              len: w.length,
            }));
            this.#complete({ t: "agg", mark: "*", n: words.length, items });
          }
          return "ok";
        }
        if (!this.#stack.length && whole.length === 0) return "ok"; // a stray empty line
        return "bad";
    }
  }

  /** A value completed: add it to the open aggregate, or hand it out at top level. */
  #complete(v: Value): void {
    for (;;) {
      const top = this.#stack[this.#stack.length - 1];
      if (!top) {
        this.#out.push(v);
        return;
      }
      const per = top.mark === "%" || top.mark === "|" ? 2 : 1;
      if (top.items.length < ELEMS_MAX * per) top.items.push(v);
      top.left--;
      if (top.left > 0) return;
      this.#stack.pop();
      const agg: Extract<Value, { t: "agg" }> = {
        t: "agg",
        mark: top.mark,
        n: top.n,
        items: top.items,
      };
      if (top.mark === "|") {
        // An attribute describes the next value and is not an element itself; at top level it is
        // printed before that value, inside an aggregate it is dropped.
        if (!this.#stack.length) this.#out.push({ t: "attr", v: agg });
        return;
      }
      v = agg;
    }
  }
}

function ascii(b: Uint8Array, max = 32): string {
  let s = "";
  for (let i = 0; i < b.length && i < max; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** The syntax of the one-line scalars: integer, double, boolean, big number. */
const SCALAR: Record<string, RegExp> = {
  ":": /^[+-]?\d+$/,
  ",": /^[+-]?(inf|nan|\d+(\.\d*)?([eE][+-]?\d+)?)$/i,
  "#": /^[tf]$/,
  "(": /^[+-]?\d+$/,
};

/** Whether a line is an inline command: text, starting with a command name. */
function isInline(line: Uint8Array): boolean {
  if (!printable(line)) return false;
  const sp = line.findIndex((c) => c === 0x20 || c === 0x09);
  const name = line.subarray(0, sp < 0 ? line.length : sp);
  return name.length <= 64 && /^[A-Za-z][A-Za-z0-9_.|:-]*$/.test(ascii(name, 64));
}

/** Whether a line is text: no control byte but tab (where a resync may start). */
function printable(b: Uint8Array): boolean {
  for (const c of b) if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  return true;
}

/** Parses the decimal after a type byte: an integer, or NaN. */
function parseLen(b: Uint8Array): number {
  if (b.length === 0 || b.length > 12) return NaN;
  const s = ascii(b);
  return /^-?\d+$/.test(s) ? Number(s) : NaN;
}

function isInlineStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Splits an inline command on spaces, honouring double and single quotes as redis does. */
function splitInline(line: Uint8Array): Uint8Array[] {
  const words: Uint8Array[] = [];
  let i = 0;
  const n = line.length;
  while (i < n && words.length < 4096) {
    while (i < n && (line[i] === 0x20 || line[i] === 0x09)) i++;
    if (i >= n) break;
    const w: number[] = [];
    const q = line[i] === 0x22 || line[i] === 0x27 ? line[i++] : 0;
    while (i < n) {
      const c = line[i];
      if (q === 0 && (c === 0x20 || c === 0x09)) break;
      if (q !== 0 && c === q) {
        i++;
        break;
      }
      if (q === 0x22 && c === 0x5c && i + 1 < n) {
        const e = line[i + 1];
        const map: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x61: 7 };
        if (e === 0x78 && i + 3 < n) {
          const h = parseInt(String.fromCharCode(line[i + 2], line[i + 3]), 16);
          if (!Number.isNaN(h)) {
            if (w.length < ARG_MAX) w.push(h);
            i += 4;
            continue;
          }
        }
        if (w.length < ARG_MAX + 1) w.push(map[e] ?? e);
        i += 2;
        continue;
      }
      if (w.length < ARG_MAX + 1) w.push(c);
      i++;
    }
    words.push(new Uint8Array(w));
  }
  return words;
}

/** Whether `v` is a command: a non-empty array of bulk strings. */
function isCommand(v: Value): v is Extract<Value, { t: "agg" }> {
  return v.t === "agg" && v.mark === "*" && v.items.length > 0 &&
    v.items.every((x) => x.t === "bulk");
}

/** A bulk string as a quoted C string, cut with `...`. */
function quoted(v: { bytes: Uint8Array; len: number }): string {
  return quoteBytes(v.bytes, ARG_MAX) +
    (v.len > v.bytes.length && v.bytes.length <= ARG_MAX ? "..." : "");
}

/** A command argument: bare when it is a plain token, else quoted. */
function arg(v: Value): string {
  if (v.t !== "bulk") return value(v);
  if (v.len > v.bytes.length) return quoted(v);
  return tokenOrQuoted(v.bytes, ARG_MAX);
}

/** The command's name, upper-cased. */
function commandName(v: Extract<Value, { t: "agg" }>): string {
  const first = v.items[0];
  if (first.t !== "bulk") return "?";
  return escapeBytes(first.bytes.map((c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c)), ARG_MAX);
}

/** Any value, as a reply: `+OK`, `"v"`, `*2 ["a", :1]`, `nil`. */
function value(v: Value, depth = 0): string {
  switch (v.t) {
    case "simple":
    case "error":
      return v.mark + escapeBytes(v.bytes, 4096);
    case "null":
      return "nil";
    case "attr":
      return value(v.v, depth);
    case "bulk": {
      if (v.mark === "=") {
        // Verbatim: a three-letter format, `:`, then the text.
        const fmt = escapeBytes(v.bytes.subarray(0, 4), 4);
        return "=" + fmt + quoted({ bytes: v.bytes.subarray(4), len: v.len - 4 });
      }
      return (v.mark === "!" ? "!" : "") + quoted(v);
    }
    case "agg": {
      if (depth > 8) return `${v.mark}${v.n} [...]`;
      const parts: string[] = [];
      if (v.mark === "%" || v.mark === "|") {
        for (let i = 0; i + 1 < v.items.length; i += 2) {
          parts.push(`${value(v.items[i], depth + 1)}: ${value(v.items[i + 1], depth + 1)}`);
        }
        if (v.n * 2 > v.items.length) parts.push("...");
        return `${v.mark}${v.n} {${parts.join(", ")}}`;
      }
      for (const x of v.items) parts.push(value(x, depth + 1));
      if (v.n > v.items.length) parts.push("...");
      return `${v.mark}${v.n} [${parts.join(", ")}]`;
    }
  }
}

function firstWord(s: string): string {
  const i = s.indexOf(" ");
  return i < 0 ? s : s.slice(0, i);
}

/** How many replies a command gets (subscribe and unsubscribe: one per channel). */
function repliesFor(name: string, args: number): number {
  if (/^[SP]?(UN)?SUBSCRIBE$/.test(name)) return Math.max(1, args);
  return 1;
}

/** Parses one Redis connection, both directions. */
class RedisParser extends SnifferParser {
  #o: ResolvedOptions;
  #r: Record<Direction, RespReader>;
  /** The direction commands travel in, once known. */
  #cmdDir: Direction | undefined;
  /** Replies still expected per pending command, oldest first. */
  #pending: number[] = [];
  #subscribed = false;
  /** A top-level RESP3 attribute, printed before the next value. */
  #attr: Record<Direction, string | undefined> = { in: undefined, out: undefined };

  constructor(o: ResolvedOptions, info: StreamInfo) {
    super("redis");
    this.#o = o;
    this.#r = { in: new RespReader(o.cap), out: new RespReader(o.cap) };
    if (REDIS_PORTS.has(info.remotePort ?? -1)) this.#learn("out");
    else if (REDIS_PORTS.has(info.localPort ?? -1)) this.#learn("in");
  }

  /** Bytes held by the parser in `dir` (or both), for tests of the memory bound. */
  buffered(dir?: Direction): number {
    return dir ? this.#r[dir].held : this.#r.in.held + this.#r.out.held;
  }

  protected take(dir: Direction, bytes: Uint8Array): void {
    for (const v of this.#r[dir].push(bytes)) this.#message(dir, v);
  }

  protected override recover(dir: Direction, why: string): void {
    this.emit({
      kind: "desync",
      text: `internal error: ${escapeBytes(new TextEncoder().encode(why), 256)}`,
    });
    this.#r[dir].q.clear();
  }

  #learn(cmdDir: Direction): void {
    this.#cmdDir = cmdDir;
    this.#r[cmdDir === "in" ? "out" : "in"].inline = false;
  }

  #message(dir: Direction, v: Value | "desync"): void {
    if (v === "desync") {
      this.emit({
        kind: "desync",
        text: "desync (skipping bytes that are not RESP)",
      });
      return;
    }
    if (v.t === "attr") {
      this.#attr[dir] = cut(value(v), 1024);
      return;
    }
    if (!this.#cmdDir) this.#learn(isCommand(v) ? dir : dir === "in" ? "out" : "in");
    const attr = this.#attr[dir];
    this.#attr[dir] = undefined;
    const max = this.#o.maxText;
    if (dir === this.#cmdDir && isCommand(v)) {
      const name = commandName(v);
      const words = [name, ...v.items.slice(1).map(arg)];
      if (v.n > v.items.length) words.push(`... /* ${v.n} args */`);
      const text = cut(words.join(" "), max);
      if (/^[SP]?SUBSCRIBE$/.test(name)) this.#subscribed = true;
      this.#pending.push(repliesFor(name, v.n - 1));
      if (this.#pending.length > 4096) this.#pending.shift();
      const args: Json[] = v.items.slice(1, 65).map((x) =>
        x.t === "bulk" || x.t === "simple" ? latin1(x.bytes.subarray(0, 256)) : value(x)
      );
      this.emit({
        kind: name,
        text,
        request: cut(text, 160),
        fields: { command: name, args, nargs: v.n - 1 },
      });
      return;
    }
    const body = value(v);
    const text = cut(attr ? `${attr} ${body}` : body, max);
    const error = v.t === "error" || (v.t === "bulk" && v.mark === "!");
    let response = false;
    if (dir !== this.#cmdDir) {
      const push = (v.t === "agg" && v.mark === ">") ||
        (this.#subscribed && v.t === "agg" && v.mark === "*" && v.items[0]?.t === "bulk" &&
          /^[ps]?message$/.test(ascii(v.items[0].bytes)));
      if (!push && this.#pending.length) {
        if (--this.#pending[0] <= 0) {
          this.#pending.shift();
          response = true;
        }
      } else if (!push) response = true; // a reply to a command sent before we attached
    }
    const kind = firstWord(text);
    const outcome = error ? firstWord(body) : cut(body, 32);
    this.emit({
      kind,
      text,
      ...(response ? { response: true, outcome } : {}),
      ...(error ? { error: true } : {}),
      fields: {
        reply_type: replyType(v),
        ...(error ? { error: true, message: cut(body, 256) } : {}),
        ...(v.t === "agg" ? { count: v.n } : {}),
      },
    });
  }
}

/** Whether `first` starts like RESP: `true`, `false`, or `undefined` (too short to tell). */
function looksLikeResp(first: Uint8Array): boolean | undefined {
  if (!first.length) return undefined;
  const c = String.fromCharCode(first[0]);
  if (!"*$+-:%>_#,(~=!|".includes(c)) return false;
  let i = 1;
  const limit = Math.min(first.length, 512);
  const numeric = "*$:%>~=!|".includes(c);
  for (; i < limit; i++) {
    const b = first[i];
    if (b === CR) break;
    if (numeric) {
      const ok = (b >= 0x30 && b <= 0x39) || (i === 1 && b === 0x2d && c !== "*");
      if (!ok || i > 13) return false;
    } else if (b < 0x20 || b > 0x7e) return false;
    else if (c === "-" && i === 1 && !(b >= 0x41 && b <= 0x5a)) return false;
  }
  if (i >= limit) return first.length >= 512 ? false : undefined;
  if (i === 1 && c !== "_") return false; // nothing between the type byte and CR
  if (i + 1 >= first.length) return undefined;
  if (first[i + 1] !== LF) return false;
  if (c !== "*") return true;
  // A command: an array of bulk strings.
  if (i + 2 >= first.length) return undefined;
  return first[i + 2] === 0x24; // '$'
}

/** Creates the Redis sniffer with the given options. */
export function createRedisSniffer(opts: SnifferOptions = {}): StreamSniffer {
  const o = resolveOptions(opts);
  return defineSniffer("redis", (info, _dir, first) => {
    if (REDIS_PORTS.has(info.localPort ?? -1) || REDIS_PORTS.has(info.remotePort ?? -1)) {
      return true;
    }
    if (info.unixPath && /redis[^/]*\.sock$/i.test(info.unixPath)) return true;
    // By bytes only on sockets (pipes and terminals carry too much that starts with `-`).
    if (info.path !== undefined && !info.path.startsWith("socket:")) return false;
    return looksLikeResp(first);
  }, (info) => new RedisParser(o, info));
}

/** The Redis sniffer with default options. */
export const redisSniffer: StreamSniffer = createRedisSniffer();

/** The RESP type of a reply, by name (`simple`, `error`, `integer`, `bulk`, `array`, `map`…). */
function replyType(v: Value): string {
  if (v.t === "agg") {
    return ({ "*": "array", "%": "map", "~": "set", ">": "push", "|": "attribute" } as Record<
      string,
      string
    >)[v.mark] ?? "aggregate";
  }
  if (v.t === "bulk") return v.mark === "!" ? "blob_error" : v.mark === "=" ? "verbatim" : "bulk";
  if (v.t === "simple") {
    return ({ ":": "integer", "#": "boolean", ",": "double", "(": "big_number" } as Record<
      string,
      string
    >)[v.mark] ?? "simple";
  }
  return v.t;
}
