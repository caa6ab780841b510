/**
 * Shared helpers of the protocol sniffers: the parsers' base class ({@linkcode SnifferParser}:
 * message collection, direction, the never-throw boundary), {@linkcode defineSniffer}, a bounded
 * byte accumulator ({@linkcode ByteQueue}), a driver that feeds it without ever exceeding its cap
 * ({@linkcode feed}), the one byte concatenation ({@linkcode concatBytes}), the sniffer options
 * ({@linkcode SnifferOptions}) and one-line text helpers (escaping, quoting, body previews).
 *
 * Every sniffer keeps at most `cap` bytes per direction (1 MiB by default): its queue, plus what it
 * keeps beside it (body previews, stream data, parts of large packets) within
 * {@linkcode keepBudget}. Bytes the parser does not need to look at again (message bodies) are
 * consumed as they arrive and only counted.
 * @module
 */

import type { Direction, ProtoMessage, StreamInfo, StreamParser, StreamSniffer } from "../api.ts";
import { quoteBytes as straceQuote } from "../format.ts";
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from "node:zlib";

/** The default cap of buffered bytes per direction (1 MiB). */
export const DEFAULT_CAP = 1 << 20;

/**
 * The bytes a parser may keep per direction beside its queue (body previews, stream data, parts of
 * large packets), for each such use: a quarter of the cap, at most 64 KiB. The queue gets what is
 * left of the cap, so queue and kept bytes together stay within `cap`.
 */
export function keepBudget(cap: number): number {
  return Math.min(64 * 1024, cap >> 2);
}

/** Options shared by the built-in sniffers. */
export interface SnifferOptions {
  /** The longest text (SQL, header block, body preview …) printed before `...` (default 4096). */
  maxText?: number;
  /** The longest body preview printed, in characters (default 64). */
  bodyPreview?: number;
  /** The most bytes buffered per direction before the parser resyncs (default 1 MiB). */
  cap?: number;
}

/** {@linkcode SnifferOptions} with every field set. */
export interface ResolvedOptions {
  /** See {@linkcode SnifferOptions.maxText}. */
  maxText: number;
  /** See {@linkcode SnifferOptions.bodyPreview}. */
  bodyPreview: number;
  /** See {@linkcode SnifferOptions.cap}. */
  cap: number;
}

/** Fills in the defaults of {@linkcode SnifferOptions}. */
export function resolveOptions(o: SnifferOptions = {}): ResolvedOptions {
  const pos = (v: number | undefined, d: number): number =>
    typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : d;
  return {
    maxText: pos(o.maxText, 4096),
    bodyPreview: pos(o.bodyPreview, 64),
    cap: Math.max(pos(o.cap, DEFAULT_CAP), 1024),
  };
}

/** A FIFO of bytes with a hard capacity. Views it returns are valid until the next `append`. */
export class ByteQueue {
  /** The most bytes the queue holds. */
  readonly cap: number;
  #buf: Uint8Array;
  #start = 0;
  #end = 0;

  /** Creates an empty queue holding at most `cap` bytes. */
  constructor(cap: number = DEFAULT_CAP) {
    this.cap = cap;
    this.#buf = new Uint8Array(Math.min(4096, cap));
  }

  /** The number of bytes held. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** Free room before the cap is reached. */
  get room(): number {
    return this.cap - this.length;
  }

  /** Appends bytes; appends only what fits under the cap and returns how many were taken. */
  append(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.room);
    if (n === 0) return 0;
    if (this.#end + n > this.#buf.length) {
      const len = this.length;
      if (len + n > this.#buf.length) {
        let size = this.#buf.length;
        while (size < len + n) size *= 2;
        const nb = new Uint8Array(Math.min(size, Math.max(this.cap, len + n)));
        nb.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = nb;
      } else {
        this.#buf.copyWithin(0, this.#start, this.#end);
      }
      this.#start = 0;
      this.#end = len;
    }
    this.#buf.set(n === bytes.length ? bytes : bytes.subarray(0, n), this.#end);
    this.#end += n;
    return n;
  }

  /** The byte at offset `i` from the front (undefined past the end). */
  at(i: number): number | undefined {
    return i >= 0 && i < this.length ? this.#buf[this.#start + i] : undefined;
  }

  /** A view of bytes `[from, to)` from the front (clamped to what is held). */
  view(from = 0, to: number = this.length): Uint8Array {
    const t = Math.min(Math.max(to, 0), this.length);
    const f = Math.min(Math.max(from, 0), t);
    return this.#buf.subarray(this.#start + f, this.#start + t);
  }

  /** Drops `n` bytes from the front. */
  consume(n: number): void {
    this.#start += Math.min(Math.max(n, 0), this.length);
    if (this.#start === this.#end) {
      this.#start = this.#end = 0;
      if (this.#buf.length > 65536) this.#buf = new Uint8Array(4096);
    }
  }

  /** Drops everything. */
  clear(): void {
    this.consume(this.length);
  }

  /** The offset of the first occurrence of `pat` at or after `from`, or -1. */
  indexOf(pat: Uint8Array, from = 0): number {
    const v = this.view();
    const first = pat[0];
    const last = v.length - pat.length;
    outer: for (let i = Math.max(from, 0); i <= last; i++) {
      if (v[i] !== first) continue;
      for (let j = 1; j < pat.length; j++) if (v[i + j] !== pat[j]) continue outer;
      return i;
    }
    return -1;
  }
}

/**
 * Appends `bytes` to `q` piece by piece, calling `parse` after each piece so that the queue never
 * exceeds its cap. When the queue is full and `parse` consumed nothing, `overflow` is called; it
 * must consume something (the queue is cleared if it does not).
 */
export function feed(
  q: ByteQueue,
  bytes: Uint8Array,
  parse: () => void,
  overflow: () => void,
): void {
  let off = 0;
  while (off < bytes.length) {
    if (q.room === 0) {
      overflow();
      if (q.room === 0) q.clear();
    }
    off += q.append(bytes.subarray(off));
    parse();
  }
}

/**
 * Text of `bytes` on one line, escaped as strace escapes strings (the one implementation:
 * {@linkcode straceQuote}): printable ASCII as is, `\n`, `\r`, `\t`… and octal escapes for
 * every other byte (control characters, `\x1b`, and all non-ASCII bytes, valid UTF-8 or not), so
 * hostile bytes can neither split nor forge a line nor reach the terminal. `\` is always escaped;
 * `"` only with `quoted`. Cut after `max` bytes, with `...` appended.
 */
export function escapeBytes(bytes: Uint8Array, max: number, quoted = false): string {
  const cut = bytes.length > max;
  let s = straceQuote(cut ? bytes.subarray(0, max) : bytes);
  if (!quoted) s = s.replace(/\\\\|\\"/g, (m) => (m === '\\"' ? '"' : m));
  return cut ? s + "..." : s;
}

/**
 * Like {@linkcode escapeBytes}, for a string: one made of bytes (Latin-1, as {@linkcode latin1}
 * decodes them) is escaped byte for byte, any other is encoded as UTF-8 first.
 */
export function escapeText(s: string, max: number, quoted = false): string {
  return escapeBytes(textBytes(s), max, quoted);
}

/** `"text"` with strace's escapes (see {@linkcode escapeBytes}); `"text"...` when cut. */
export function quoteBytes(bytes: Uint8Array, max: number): string {
  const cut = bytes.length > max;
  const s = straceQuote(cut ? bytes.subarray(0, max) : bytes);
  return cut ? `"${s}"...` : `"${s}"`;
}

/** The bytes of a string: Latin-1 when every char fits in a byte, else UTF-8. */
function textBytes(s: string): Uint8Array {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return new TextEncoder().encode(s);
  }
  return ascii(s);
}

/**
 * Escapes whatever is left unsafe in an output line (control characters, non-ASCII) the same way;
 * a line of printable ASCII comes back unchanged. For text that does not come from a built-in
 * sniffer (plugins).
 */
export function safeLine(s: string): string {
  if (!/[^\x20-\x7e]/.test(s)) return s;
  return s.replace(/[^\x20-\x7e]+/g, (m) => straceQuote(textBytes(m)));
}

/** A value bare when it is a plain token (no spaces, quotes, `\` or control chars), else quoted. */
export function tokenOrQuoted(bytes: Uint8Array, max: number): string {
  if (bytes.length === 0) return '""';
  for (const c of bytes) {
    if (c <= 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) return quoteBytes(bytes, max);
  }
  return escapeBytes(bytes, max);
}

/** `s` cut to `max` characters, with `...` after it when something was cut. */
export function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + "..." : s;
}

/** Decodes bytes as Latin-1 (one char per byte), for protocol tokens and headers. */
export function latin1(bytes: Uint8Array): string {
  // Not TextDecoder("latin1"): that is windows-1252, which maps 0x80-0x9f elsewhere.
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/** Encodes an ASCII string to bytes. */
export function ascii(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/**
 * Decodes (a prefix of) a compressed body for display. `encoding` is a Content-Encoding value
 * (`gzip`, `x-gzip`, `deflate`, `br`); truncated input is fine. Returns `undefined` when the
 * encoding is unknown or the data cannot be decoded.
 */
export function decodeBody(encoding: string, data: Uint8Array): Uint8Array | undefined {
  try {
    const e = encoding.trim().toLowerCase();
    if (e === "" || e === "identity") return data;
    if (e === "gzip" || e === "x-gzip") {
      return gunzipSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
    }
    if (e === "deflate") {
      return inflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
    }
    if (e === "br") {
      return brotliDecompressSync(data, { finishFlush: constants.BROTLI_OPERATION_FLUSH });
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The text of a caught error, for a `desync: internal error: …` message. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Bytes `parts` joined into one array (the one implementation: buffered chunks, body previews,
 * held detection bytes); with `len`, the first `len` bytes only. One part comes back as is.
 */
export function concatBytes(parts: readonly Uint8Array[], len?: number): Uint8Array {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const n = len === undefined ? total : Math.max(0, Math.min(len, total));
  if (parts.length === 1 && n === parts[0].length) return parts[0];
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    if (off >= n) break;
    const k = Math.min(p.length, n - off);
    out.set(k === p.length ? p : p.subarray(0, k), off);
    off += k;
  }
  return out;
}

/**
 * The base of every built-in stream parser: one `push` that collects the messages completed by
 * the bytes (in {@linkcode SnifferParser.emit}, which stamps the protocol and direction), and never
 * throws past it: a failure becomes {@linkcode SnifferParser.recover} (by default one
 * `desync: internal error: …` message). Subclasses implement {@linkcode SnifferParser.take}, usually
 * with {@linkcode feed} over one {@linkcode ByteQueue} per direction.
 */
export abstract class SnifferParser implements StreamParser {
  /** The direction of the bytes being parsed. */
  protected dir: Direction = "out";
  readonly #proto: string;
  #out: ProtoMessage[] = [];

  /** A parser of protocol `proto` (the name its messages carry). */
  constructor(proto: string) {
    this.#proto = proto;
  }

  /** Feeds bytes in one direction and returns the messages they completed. */
  push(dir: Direction, bytes: Uint8Array): ProtoMessage[] {
    return this.run(dir, () => this.take(dir, bytes));
  }

  /** Runs `fn` for direction `dir`, returning what it emitted; a throw goes to `recover`. */
  protected run(dir: Direction, fn: () => void): ProtoMessage[] {
    this.#out = [];
    this.dir = dir;
    try {
      fn();
    } catch (e) {
      try {
        this.recover(dir, errorText(e));
      } catch {
        // never past this boundary
      }
    }
    return this.#out;
  }

  /** Parses bytes of direction `dir` (this.dir), emitting the messages they complete. */
  protected abstract take(dir: Direction, bytes: Uint8Array): void;

  /** After a throw: say so and drop what is buffered (subclasses clear their queues). */
  protected recover(_dir: Direction, why: string): void {
    this.emit({ kind: "desync", text: `desync: internal error: ${why}` });
  }

  /** Adds one message of this protocol, in the current direction. */
  protected emit(m: Omit<ProtoMessage, "proto" | "dir">): void {
    this.#out.push({ proto: this.#proto, dir: this.dir, ...m });
  }
}

/**
 * A sniffer from its name, detector and parser factory; `detect` and `create` are guarded (a
 * throwing detector says "not this protocol").
 */
export function defineSniffer(
  name: string,
  detect: (info: StreamInfo, dir: Direction, first: Uint8Array) => boolean | undefined,
  create: (info: StreamInfo) => StreamParser,
): StreamSniffer {
  return {
    name,
    detect(info: StreamInfo, dir: Direction, first: Uint8Array): boolean | undefined {
      try {
        return detect(info, dir, first);
      } catch {
        return false;
      }
    },
    create,
  };
}

/**
 * A message too long to hold in a queue (a large packet, row or bulk string): its bytes are drained
 * from the queue as they arrive and only its first `keep` bytes are kept (the one implementation of
 * "count it all, keep the start").
 */
export class LongMessage {
  /** The message's length in bytes. */
  readonly total: number;
  /** Bytes still to come. */
  left: number;
  readonly #keep: number;
  #kept: Uint8Array[] = [];
  #keptLen = 0;

  /** A message of `total` bytes of which the first `keep` are kept. */
  constructor(total: number, keep: number) {
    this.total = total;
    this.left = total;
    this.#keep = Math.max(0, Math.min(keep, total));
  }

  /** The number of bytes kept. */
  get keptLength(): number {
    return this.#keptLen;
  }

  /** Takes what of the message `q` holds (consuming it); true once the whole message went by. */
  drain(q: ByteQueue): boolean {
    const n = Math.min(q.length, this.left);
    const room = this.#keep - this.#keptLen;
    if (room > 0 && n > 0) {
      const part = q.view(0, Math.min(n, room)).slice();
      this.#kept.push(part);
      this.#keptLen += part.length;
    }
    q.consume(n);
    this.left -= n;
    return this.left === 0;
  }

  /** The kept bytes (the message's first `keep` bytes once it is complete). */
  bytes(): Uint8Array {
    return concatBytes(this.#kept, this.#keptLen);
  }
}
