/**
 * An example sctrace plugin: a Redis (RESP2/RESP3) stream sniffer.
 *
 * ```sh
 * sctrace --plugin ./plugins/redis_plugin.ts --proto -p "$(pidof redis-server)"
 * sctrace --plugin ./plugins/redis_plugin.ts --proto=redis -e trace=none redis-cli SET k v
 * ```
 *
 * Messages, one per command or reply:
 * - a command (an array of bulk strings, or an inline command line): `SET key value`, arguments
 *   quoted like C strings when they are empty or hold spaces or non-printable bytes
 *   (`SET "a key" "\x00\x01"`), long ones cut with `...`;
 * - a reply: `+OK`, `-ERR unknown command 'FOO'` (an error), `:42`, `"value"` (a bulk string),
 *   `nil` (a null bulk or array), `*2 ["a", :1]` (an array), and the RESP3 types: `%1 {"k": "v"}`,
 *   `~2 ["a", "b"]`, `#t`, `,3.14`, `(12345678901234567890`, `>3 ["message", "ch", "hi"]` (a
 *   push, not a reply), `!ERR…` (a blob error), `=txt:"…"` (verbatim).
 *
 * Each command is a request and each reply closes the oldest open one, so `--proto` reports
 * latencies; pub/sub pushes (`message`, `pmessage`, `smessage`, RESP3 `>`) and RESP3 attributes
 * close nothing, and `SUBSCRIBE a b` waits for one reply per channel.
 *
 * The stream is recognised by port (6379, or 26379 for Sentinel) or by its first bytes on a
 * socket: `*N\r\n$` (a command), `+…\r\n`, `-ERR…\r\n`, `:N\r\n` or `$N\r\n`.
 * Which side is the client is learnt from the first message: commands flow one way, replies the
 * other, so the plugin works when tracing a client or a server.
 *
 * Garbage never throws: a byte that cannot start a RESP value yields one `desync` message and the
 * parser skips to the next line that starts like one.
 *
 * This file imports types only and gets its helpers from the `api` argument, so it needs nothing
 * at run time.
 * @module
 */

import type {
  Direction,
  Plugin,
  PluginApi,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamSniffer,
} from "./mod.ts";

/** Ports that mean Redis without looking at the bytes. */
const REDIS_PORTS = new Set([6379, 26379]);
/** Longest argument or bulk preview, in bytes. */
const ARG_MAX = 64;
/** Longest message text, in characters. */
const TEXT_MAX = 512;
/** Elements of one aggregate kept for the text. */
const ELEMS_MAX = 32;
/** Deepest nesting of aggregates accepted. */
const DEPTH_MAX = 64;
/** Longest line (type byte to CRLF) accepted. */
const LINE_MAX = 64 * 1024;
/** Largest bulk or aggregate length accepted (Redis' own proto-max-bulk-len is 512 MB). */
const LEN_MAX = 1 << 30;

const CR = 13;
const LF = 10;

/** Type bytes that may start a RESP2/RESP3 value. */
const TYPES = new Set("+-:$*_,#!=(%~>|".split("").map((c) => c.charCodeAt(0)));

/** A parsed value, kept small: bulk payloads are cut at {@linkcode ARG_MAX}. */
export type Value =
  | { t: "simple"; mark: string; s: string }
  | { t: "error"; mark: string; s: string }
  | { t: "bulk"; mark: string; bytes: Uint8Array; len: number }
  | { t: "null" }
  | { t: "agg"; mark: string; n: number; items: Value[] };

interface Frame {
  mark: string;
  /** Elements still to read (maps count two per entry). */
  left: number;
  /** Declared element count (entries for maps). */
  n: number;
  items: Value[];
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** Parses the decimal after a type byte: an integer, or NaN. */
function parseLen(s: string): number {
  return /^-?\d{1,12}$/.test(s) ? Number(s) : NaN;
}

/** The streaming RESP parser of one direction. */
export class RespReader {
  #buf: Uint8Array = new Uint8Array(0);
  #stack: Frame[] = [];
  /** Bulk being read: its mark, declared length, bytes still to read (payload + CRLF), preview. */
  #bulk: { mark: string; len: number; left: number; kept: Uint8Array[]; keptLen: number } | null =
    null;
  #desync = false;
  #allowInline: boolean;

  /** `allowInline`: accept inline commands (`PING\r\n`) where a value should start. */
  constructor(allowInline = false) {
    this.#allowInline = allowInline;
  }

  /** Whether inline commands are accepted (set once the direction is known to carry commands). */
  set allowInline(v: boolean) {
    this.#allowInline = v;
  }

  /**
   * Feeds bytes; returns the complete top-level values, and `"desync"` markers where garbage was
   * skipped (one per run of garbage). Never throws.
   */
  push(bytes: Uint8Array): (Value | "desync")[] {
    const out: (Value | "desync")[] = [];
    try {
      this.#append(bytes);
      this.#run(out);
    } catch {
      // Defensive: a parser bug must not break tracing. Start over.
      this.#reset();
    }
    return out;
  }

  #reset(): void {
    this.#buf = new Uint8Array(0);
    this.#stack = [];
    this.#bulk = null;
  }

  #append(bytes: Uint8Array): void {
    if (!bytes.length) return;
    if (!this.#buf.length) {
      this.#buf = bytes.slice();
      return;
    }
    const b = new Uint8Array(this.#buf.length + bytes.length);
    b.set(this.#buf);
    b.set(bytes, this.#buf.length);
    this.#buf = b;
  }

  #run(out: (Value | "desync")[]): void {
    let off = 0;
    const buf = this.#buf;
    while (off < buf.length) {
      if (this.#bulk) {
        const bk = this.#bulk;
        const take = Math.min(bk.left, buf.length - off);
        // Keep the preview bytes (payload only, not the trailing CRLF).
        const payloadLeft = Math.max(0, bk.left - 2);
        const keepable = Math.min(take, payloadLeft, ARG_MAX - bk.keptLen);
        if (keepable > 0) {
          bk.kept.push(buf.subarray(off, off + keepable));
          bk.keptLen += keepable;
        }
        bk.left -= take;
        off += take;
        if (bk.left > 0) break;
        this.#bulk = null;
        const bytes = concat(bk.kept, bk.keptLen);
        this.#complete({ t: "bulk", mark: bk.mark, bytes, len: bk.len }, out);
        continue;
      }
      // A line: find CRLF (a bare LF is accepted, as Redis does for inline commands).
      let end = -1;
      for (let i = off; i < buf.length; i++) {
        if (buf[i] === LF) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        if (buf.length - off > LINE_MAX) {
          if (!this.#desync) out.push("desync");
          this.#desync = true;
          this.#stack = [];
          off = buf.length;
        }
        break;
      }
      const lineEnd = end > off && buf[end - 1] === CR ? end - 1 : end;
      const type = buf[off];
      const line = buf.subarray(off + 1, lineEnd);
      const next = end + 1;
      if (this.#desync) {
        // Resync at a line that starts like a RESP value (or an inline command when allowed).
        if (!TYPES.has(type) && !(this.#allowInline && isInlineStart(type))) {
          off = next;
          continue;
        }
        this.#desync = false;
      }
      const r = this.#line(type, buf.subarray(off, lineEnd), line, out);
      if (r === "bad") {
        if (!this.#desync) out.push("desync");
        this.#desync = true;
        this.#stack = [];
      }
      off = next;
    }
    this.#buf = off >= buf.length ? new Uint8Array(0) : buf.slice(off);
  }

  /** Handles one line; returns "bad" when it cannot be RESP. */
  #line(
    type: number,
    whole: Uint8Array,
    rest: Uint8Array,
    out: (Value | "desync")[],
  ): "ok" | "bad" {
    const mark = String.fromCharCode(type);
    const s = () => latin1(rest);
    switch (mark) {
      case "+":
      case ",":
      case "#":
      case "(":
        this.#complete({ t: "simple", mark, s: s() }, out);
        return "ok";
      case ":": {
        if (!/^[+-]?\d+$/.test(s())) return "bad";
        this.#complete({ t: "simple", mark, s: s() }, out);
        return "ok";
      }
      case "-":
        this.#complete({ t: "error", mark, s: s() }, out);
        return "ok";
      case "_":
        this.#complete({ t: "null" }, out);
        return "ok";
      case "$":
      case "!":
      case "=": {
        const n = parseLen(s());
        if (Number.isNaN(n) || n < -1 || n > LEN_MAX) return "bad";
        if (n === -1) {
          this.#complete({ t: "null" }, out);
          return "ok";
        }
        this.#bulk = { mark, len: n, left: n + 2, kept: [], keptLen: 0 };
        return "ok";
      }
      case "*":
      case "%":
      case "~":
      case ">":
      case "|": {
        const n = parseLen(s());
        if (Number.isNaN(n) || n < -1 || n > LEN_MAX) return "bad";
        if (n === -1) {
          this.#complete({ t: "null" }, out);
          return "ok";
        }
        const per = mark === "%" || mark === "|" ? 2 : 1;
        if (n === 0) {
          this.#complete({ t: "agg", mark, n: 0, items: [] }, out);
          return "ok";
        }
        if (this.#stack.length >= DEPTH_MAX) return "bad";
        this.#stack.push({ mark, left: n * per, n, items: [] });
        return "ok";
      }
      default:
        if (this.#allowInline && !this.#stack.length && isInlineStart(type)) {
          const words = splitInline(whole);
          if (words.length) {
            const items: Value[] = words.map((w) => ({
              t: "bulk",
              mark: "$",
              bytes: w,
              len: w.length,
            }));
            this.#complete({ t: "agg", mark: "*", n: items.length, items }, out);
          }
          return "ok";
        }
        if (!this.#stack.length && whole.length === 0) return "ok"; // a stray empty line
        return "bad";
    }
  }

  /** A value completed: add it to the open aggregate, or emit it at top level. */
  #complete(v: Value, out: (Value | "desync")[]): void {
    for (;;) {
      const top = this.#stack[this.#stack.length - 1];
      if (!top) {
        out.push(v);
        return;
      }
      if (top.items.length < ELEMS_MAX * (top.mark === "%" || top.mark === "|" ? 2 : 1)) {
        top.items.push(v);
      }
      top.left--;
      if (top.left > 0) return;
      this.#stack.pop();
      if (top.mark === "|") {
        // An attribute describes the next value: it is not a value itself.
        return;
      }
      v = { t: "agg", mark: top.mark, n: top.n, items: top.items };
    }
  }
}

function isInlineStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Splits an inline command on spaces, honouring simple double quotes. */
function splitInline(line: Uint8Array): Uint8Array[] {
  const words: Uint8Array[] = [];
  const s = latin1(line);
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const w = m[1] ?? m[2] ?? m[3] ?? "";
    const b = new Uint8Array(w.length);
    for (let i = 0; i < w.length; i++) b[i] = w.charCodeAt(i) & 0xff;
    words.push(b);
  }
  return words;
}

function concat(parts: Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Renders values as text; built over the api's `quoteBytes`. */
export class RespFormatter {
  #quote: (b: Uint8Array) => string;

  /** `quoteBytes`: strace's C-style quoting (from the plugin api). */
  constructor(quoteBytes: (bytes: Uint8Array, hexStrings?: number) => string) {
    this.#quote = (b) => quoteBytes(b, 0);
  }

  /** A bulk string as a quoted C string, cut with `...`. */
  quoted(v: { bytes: Uint8Array; len: number }): string {
    return `"${this.#quote(v.bytes)}"${v.len > v.bytes.length ? "..." : ""}`;
  }

  /** A command argument: bare when it is a plain token, else quoted. */
  arg(v: Value): string {
    if (v.t !== "bulk") return this.value(v);
    const b = v.bytes;
    let plain = b.length > 0 && v.len === b.length;
    for (let i = 0; plain && i < b.length; i++) {
      if (b[i] <= 0x20 || b[i] >= 0x7f || b[i] === 0x22 || b[i] === 0x5c) plain = false;
    }
    return plain ? latin1(b) : this.quoted(v);
  }

  /** Whether `v` is a command: a non-empty array of bulk strings. */
  isCommand(v: Value): v is Extract<Value, { t: "agg" }> {
    return v.t === "agg" && v.mark === "*" && v.items.length > 0 &&
      v.items.every((x) => x.t === "bulk");
  }

  /** The command's name, upper-cased (`SET`, `CLIENT SETNAME` stays `CLIENT`). */
  commandName(v: Extract<Value, { t: "agg" }>): string {
    const first = v.items[0];
    return first.t === "bulk" ? latin1(first.bytes).toUpperCase() : "?";
  }

  /** A command line: `SET key value`. */
  command(v: Extract<Value, { t: "agg" }>): string {
    const words = [this.commandName(v), ...v.items.slice(1).map((x) => this.arg(x))];
    if (v.n > v.items.length) words.push(`... /* ${v.n} args */`);
    return cut(words.join(" "));
  }

  /** Any value, as a reply: `+OK`, `"v"`, `*2 ["a", :1]`, `nil`. */
  value(v: Value, depth = 0): string {
    switch (v.t) {
      case "simple":
        return v.mark + v.s;
      case "error":
        return v.mark + v.s;
      case "null":
        return "nil";
      case "bulk": {
        if (v.mark === "!") return "!" + latin1(v.bytes) + (v.len > v.bytes.length ? "..." : "");
        if (v.mark === "=") {
          // Verbatim: `txt:` then the text.
          const fmt = latin1(v.bytes.subarray(0, 4));
          return "=" + fmt + this.quoted({ bytes: v.bytes.subarray(4), len: v.len - 4 });
        }
        return this.quoted(v);
      }
      case "agg": {
        if (depth > 8) return `${v.mark}${v.n} [...]`;
        const parts: string[] = [];
        if (v.mark === "%" || v.mark === "|") {
          for (let i = 0; i + 1 < v.items.length; i += 2) {
            parts.push(
              `${this.value(v.items[i], depth + 1)}: ${this.value(v.items[i + 1], depth + 1)}`,
            );
          }
          if (v.n * 2 > v.items.length) parts.push("...");
          return `${v.mark}${v.n} {${parts.join(", ")}}`;
        }
        for (const x of v.items) parts.push(this.value(x, depth + 1));
        if (v.n > v.items.length) parts.push("...");
        return `${v.mark}${v.n} [${parts.join(", ")}]`;
      }
    }
  }
}

function cut(s: string): string {
  return s.length > TEXT_MAX ? s.slice(0, TEXT_MAX) + "..." : s;
}

function firstWord(s: string): string {
  const i = s.indexOf(" ");
  return i < 0 ? s : s.slice(0, i);
}

/** How many replies a command gets before the next command's reply (subscribe: one per channel). */
function repliesFor(name: string, args: number): number {
  if (/^(S|P)?SUBSCRIBE$/.test(name) || /^(S|P)?UNSUBSCRIBE$/.test(name)) {
    return Math.max(1, args);
  }
  return 1;
}

/** Parses one Redis connection, both directions. */
export class RedisParser implements StreamParser {
  #readers: Record<Direction, RespReader> = { in: new RespReader(), out: new RespReader() };
  #fmt: RespFormatter;
  /** The direction commands travel in, once known. */
  #cmdDir: Direction | undefined;
  /** Replies still expected per pending command, oldest first. */
  #pending: number[] = [];
  /** Whether the client has subscribed (pushes arrive with no command). */
  #subscribed = false;

  /** Creates a parser; `quoteBytes` comes from the plugin api. */
  constructor(quoteBytes: (bytes: Uint8Array, hexStrings?: number) => string) {
    this.#fmt = new RespFormatter(quoteBytes);
  }

  /** Feeds bytes in one direction; returns the messages they completed. Never throws. */
  push(dir: Direction, bytes: Uint8Array): ProtoMessage[] {
    const out: ProtoMessage[] = [];
    try {
      for (const v of this.#readers[dir].push(bytes)) this.#message(dir, v, out);
    } catch {
      // never throw
    }
    return out;
  }

  #learn(dir: Direction, v: Value): void {
    if (this.#cmdDir) return;
    const other: Direction = dir === "in" ? "out" : "in";
    this.#cmdDir = this.#fmt.isCommand(v) ? dir : other;
    this.#readers[this.#cmdDir].allowInline = true;
  }

  #message(dir: Direction, v: Value | "desync", out: ProtoMessage[]): void {
    if (v === "desync") {
      out.push({
        proto: "redis",
        dir,
        kind: "desync",
        text: "desync (skipping bytes that are not RESP)",
      });
      return;
    }
    this.#learn(dir, v);
    if (dir === this.#cmdDir && this.#fmt.isCommand(v)) {
      const text = this.#fmt.command(v);
      const name = this.#fmt.commandName(v);
      if (/SUBSCRIBE$/.test(name) && !/UNSUBSCRIBE$/.test(name)) this.#subscribed = true;
      this.#pending.push(repliesFor(name, v.n - 1));
      out.push({ proto: "redis", dir, kind: firstWord(text), text, request: text.slice(0, 120) });
      return;
    }
    const text = cut(this.#fmt.value(v));
    const error = v.t === "error" || (v.t === "bulk" && v.mark === "!");
    let response = false;
    if (dir !== this.#cmdDir) {
      const push = v.t === "agg" && v.mark === ">" ||
        (this.#subscribed && v.t === "agg" && v.items[0]?.t === "bulk" &&
          /^[ps]?message$/.test(latin1(v.items[0].bytes)));
      if (!push && this.#pending.length) {
        if (--this.#pending[0] <= 0) {
          this.#pending.shift();
          response = true;
        }
      } else if (!push) {
        response = true; // a reply to a command sent before we attached
      }
    }
    const msg: ProtoMessage = error
      ? { proto: "redis", dir, kind: firstWord(text), text, response, error: true }
      : { proto: "redis", dir, kind: firstWord(text), text, response };
    out.push(msg);
  }
}

/** Whether `first` starts like RESP: `true`, `false`, or `undefined` (too short to tell). */
export function looksLikeResp(first: Uint8Array): boolean | undefined {
  if (!first.length) return undefined;
  const c = String.fromCharCode(first[0]);
  if (!"*$+-:".includes(c)) return false;
  // The rest of the first line.
  let i = 1;
  const limit = Math.min(first.length, 512);
  for (; i < limit; i++) {
    const b = first[i];
    if (b === CR) break;
    if (c === "*" || c === "$" || c === ":") {
      const ok = (b >= 0x30 && b <= 0x39) || (i === 1 && b === 0x2d && c !== "*");
      if (!ok || i > 13) return false;
    } else if (b < 0x20 || b > 0x7e) return false;
    else if (c === "-" && i === 1 && !(b >= 0x41 && b <= 0x5a)) return false;
  }
  if (i >= limit) return first.length >= 512 ? false : undefined;
  if (i === 1) return false; // nothing between the type byte and CR
  if (i + 1 >= first.length) return undefined;
  if (first[i + 1] !== LF) return false;
  if (c !== "*") return true;
  // A command: an array of bulk strings.
  if (i + 2 >= first.length) return undefined;
  return first[i + 2] === 0x24; // '$'
}

/** Creates the Redis sniffer. */
export function createRedisSniffer(api: Pick<PluginApi, "quoteBytes">): StreamSniffer {
  return {
    name: "redis",
    detect(info: StreamInfo, _dir: Direction, first: Uint8Array): boolean | undefined {
      try {
        if (REDIS_PORTS.has(info.localPort ?? -1) || REDIS_PORTS.has(info.remotePort ?? -1)) {
          return true;
        }
        if (info.unixPath && /redis/i.test(info.unixPath)) return true;
        // By bytes only on sockets (pipes and terminals carry too much that starts with `-`).
        if (info.path !== undefined && !info.path.startsWith("socket:")) return false;
        return looksLikeResp(first);
      } catch {
        return false;
      }
    },
    create(_info: StreamInfo): StreamParser {
      return new RedisParser(api.quoteBytes);
    },
  };
}

/** The plugin: `--plugin ./plugins/redis_plugin.ts`. */
export default function redisPlugin(api: PluginApi): Plugin {
  return { name: "redis", sniffers: [createRedisSniffer(api)] };
}
