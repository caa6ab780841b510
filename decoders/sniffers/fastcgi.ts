/**
 * The FastCGI sniffer (nginx ↔ php-fpm). Records are parsed in both directions; stream records
 * (PARAMS, STDIN, STDOUT, STDERR, DATA) are reassembled per request id and reported once, when the
 * empty record that ends the stream arrives (STDOUT/STDERR also when END_REQUEST arrives first).
 *
 * Messages (kind = the record type's name without `FCGI_`):
 * - `BEGIN_REQUEST id=1 role=RESPONDER flags=KEEP_CONN`
 * - `PARAMS id=1 SCRIPT_FILENAME=/var/www/html/index.php REQUEST_METHOD=GET ...` (values with
 *   spaces, quotes or control characters are quoted and escaped); it opens the request, named
 *   `GET /wordpress/` (REQUEST_METHOD and REQUEST_URI, else SCRIPT_NAME)
 * - `STDIN id=1 len=0`, `STDIN id=1 len=7 "a=1&b=2"`, `DATA id=1 len=…`
 * - `STDOUT id=1 len=3912 | Status: 404 Not Found | Content-type: text/html | body=3850 bytes "…"`
 * - `STDERR id=1 "PHP message: PHP Warning: …"`
 * - `END_REQUEST id=1 app_status=0 protocol_status=REQUEST_COMPLETE` (closes the request; its
 *   outcome is the STDOUT's CGI status, `200` without a Status header)
 * - `ABORT_REQUEST id=1`, `GET_VALUES FCGI_MAX_CONNS …`, `GET_VALUES_RESULT FCGI_MAX_CONNS=1 …`,
 *   `UNKNOWN_TYPE type=12`
 *
 * Garbage (a header that is not version 1 with a known type and a zero reserved byte) yields one
 * `desync` message; the parser then scans for the next plausible record header. Detected by port
 * 9000, a php-fpm-like socket path, a first BEGIN_REQUEST/GET_VALUES record, or (joined
 * mid-connection) bytes that are whole plausible records.
 * @module
 */

import type { Direction, Json, StreamSniffer } from "../api.ts";
import {
  ByteQueue,
  concatBytes,
  cut,
  decodeBody,
  defineSniffer,
  escapeBytes,
  escapeText,
  feed,
  keepBudget,
  latin1,
  quoteBytes,
  type ResolvedOptions,
  resolveOptions,
  type SnifferOptions,
  SnifferParser,
  tokenOrQuoted,
} from "./reassembly.ts";

/** FastCGI record types, by value. */
const TYPES: Record<number, string> = {
  1: "BEGIN_REQUEST",
  2: "ABORT_REQUEST",
  3: "END_REQUEST",
  4: "PARAMS",
  5: "STDIN",
  6: "STDOUT",
  7: "STDERR",
  8: "DATA",
  9: "GET_VALUES",
  10: "GET_VALUES_RESULT",
  11: "UNKNOWN_TYPE",
};
const ROLES: Record<number, string> = { 1: "RESPONDER", 2: "AUTHORIZER", 3: "FILTER" };
const PROTOCOL_STATUS: Record<number, string> = {
  0: "REQUEST_COMPLETE",
  1: "CANT_MPX_CONN",
  2: "OVERLOADED",
  3: "UNKNOWN_ROLE",
};

/** Stream record types. */
const STREAMS = new Set([4, 5, 6, 7, 8]);
/** Most bytes of one stream kept for decoding (the rest is only counted). */
const STREAM_KEEP = 64 * 1024;
/** Most open streams per parser (the oldest is dropped beyond). */
const MAX_STREAMS = 32;

/** Whether 8 bytes at `off` look like a record header. */
function plausibleHeader(b: Uint8Array, off: number): boolean {
  return b[off] === 1 && b[off + 1] >= 1 && b[off + 1] <= 11 && b[off + 7] === 0;
}

/** Whether `b` is one or more plausible records, ending exactly at its end. */
function wholeRecords(b: Uint8Array): boolean | undefined {
  let off = 0;
  while (off < b.length) {
    if (b.length - off < 8) return undefined;
    if (!plausibleHeader(b, off)) return false;
    off += 8 + ((b[off + 4] << 8) | b[off + 5]) + b[off + 6];
  }
  return off === b.length;
}

interface Stream {
  type: number;
  id: number;
  len: number;
  chunks: Uint8Array[];
  kept: number;
}

class FastCgiParser extends SnifferParser {
  #o: ResolvedOptions;
  #q: Record<Direction, ByteQueue>;
  #sync: Record<Direction, boolean> = { in: true, out: true };
  #streams = new Map<string, Stream>();
  /** The CGI status of each request id's STDOUT (`200`, `404 Not Found`), until END_REQUEST. */
  #status = new Map<number, string>();

  /** Stream bytes kept per direction, at most (see {@linkcode keepBudget}). */
  #keep: number;
  constructor(o: ResolvedOptions) {
    super("fastcgi");
    this.#o = o;
    this.#keep = keepBudget(o.cap);
    this.#q = { in: new ByteQueue(o.cap - this.#keep), out: new ByteQueue(o.cap - this.#keep) };
  }

  /**
   * Bytes held by the parser (queues and kept stream data), in one direction or both, for tests of
   * the memory bound.
   */
  buffered(dir?: Direction): number {
    if (!dir) return this.buffered("in") + this.buffered("out");
    return this.#q[dir].length + this.#kept(dir);
  }

  /** Stream bytes kept in direction `dir` (all its open streams share {@linkcode keepBudget}). */
  #kept(dir: Direction): number {
    let n = 0;
    for (const [key, s] of this.#streams) if (key.startsWith(`${dir}:`)) n += s.kept;
    return n;
  }

  protected take(dir: Direction, bytes: Uint8Array): void {
    const q = this.#q[dir];
    feed(q, bytes, () => this.#parse(q), () => this.#desync(q, "record too large"));
  }

  protected override recover(dir: Direction, why: string): void {
    const q = this.#q[dir];
    this.#desync(q, `internal error: ${why}`);
    q.clear();
  }

  #desync(q: ByteQueue, why: string): void {
    if (this.#sync[this.dir]) {
      this.emit({ kind: "desync", text: `desync: ${why}` });
    }
    this.#sync[this.dir] = false;
    q.consume(1);
  }

  #parse(q: ByteQueue): void {
    for (;;) {
      if (q.length < 8) return;
      const h = q.view(0, 8);
      if (!plausibleHeader(h, 0)) {
        if (this.#sync[this.dir]) {
          this.#desync(q, "bad record header");
        }
        // Resync: skip to the next byte 1 that starts a plausible header.
        const v = q.view();
        let i = 1;
        while (i + 8 <= v.length && !plausibleHeader(v, i)) i++;
        q.consume(i);
        continue;
      }
      const clen = (h[4] << 8) | h[5];
      const total = 8 + clen + h[6];
      if (q.length < total) return;
      this.#sync[this.dir] = true;
      const type = h[1];
      const id = (h[2] << 8) | h[3];
      const content = q.view(8, 8 + clen).slice();
      q.consume(total);
      this.#record(type, id, content);
    }
  }

  #record(type: number, id: number, c: Uint8Array): void {
    const name = TYPES[type];
    if (STREAMS.has(type)) {
      const key = `${this.dir}:${type}:${id}`;
      let s = this.#streams.get(key);
      if (c.length === 0) {
        this.#endStream(s ?? { type, id, len: 0, chunks: [], kept: 0 });
        this.#streams.delete(key);
        return;
      }
      if (!s) {
        if (type === 5 || type === 8) this.#flush(id, [4]);
        s = { type, id, len: 0, chunks: [], kept: 0 };
        this.#streams.set(key, s);
        if (this.#streams.size > MAX_STREAMS) {
          this.#streams.delete(this.#streams.keys().next().value!);
        }
      }
      s.len += c.length;
      const room = Math.min(STREAM_KEEP - s.kept, this.#keep - this.#kept(this.dir));
      if (room > 0) {
        const part = c.subarray(0, room);
        s.chunks.push(part);
        s.kept += part.length;
      }
      return;
    }
    switch (type) {
      case 1: {
        if (c.length < 3) return this.#bad(name, id, c);
        const role = (c[0] << 8) | c[1];
        const flags = c[2];
        const fl = flags === 0
          ? "0"
          : flags === 1
          ? "KEEP_CONN"
          : (flags & 1)
          ? `KEEP_CONN|0x${(flags & ~1).toString(16)}`
          : `0x${flags.toString(16)}`;
        // The request is opened by its PARAMS, which name it.
        this.emit({
          kind: name,
          text: `${name} id=${id} role=${ROLES[role] ?? role} flags=${fl}`,
          fields: {
            type: name,
            request_id: id,
            role: ROLES[role] ?? role,
            keep_conn: (flags & 1) !== 0,
          },
        });
        this.#status.delete(id);
        return;
      }
      case 2:
        this.emit({
          kind: name,
          text: `${name} id=${id}`,
          fields: { type: name, request_id: id },
        });
        return;
      case 3: {
        this.#flush(id, [6, 7]);
        if (c.length < 5) return this.#bad(name, id, c);
        const app = ((c[0] << 24) | (c[1] << 16) | (c[2] << 8) | c[3]) >>> 0;
        const ps = c[4];
        const cgi = this.#status.get(id);
        let outcome = cgi ?? "no STDOUT";
        this.#status.delete(id);
        if (app !== 0) outcome += ` app_status=${app}`;
        if (ps !== 0) outcome += ` ${PROTOCOL_STATUS[ps] ?? ps}`;
        this.emit({
          kind: name,
          text: `${name} id=${id} app_status=${app} protocol_status=${PROTOCOL_STATUS[ps] ?? ps}`,
          response: true,
          outcome,
          fields: {
            type: name,
            request_id: id,
            app_status: app,
            protocol_status: PROTOCOL_STATUS[ps] ?? ps,
            ...(cgi && /^\d{3}/.test(cgi) ? { status: Number(cgi.slice(0, 3)) } : {}),
          },
          ...(ps !== 0 ? { error: true } : {}),
        });
        return;
      }
      case 9:
      case 10: {
        const pairs = parsePairs(c);
        const body = pairs
          ? pairs.map(([k, v]) =>
            type === 9 && v.length === 0
              ? tokenOrQuoted(k, 256)
              : `${tokenOrQuoted(k, 256)}=${tokenOrQuoted(v, 256)}`
          ).join(" ")
          : `(bad pairs) ${quoteBytes(c, 64)}`;
        this.emit({
          kind: name,
          text: cut(`${name} ${body}`.trim(), this.#o.maxText),
          fields: { type: name, values: pairsJson(pairs) },
        });
        return;
      }
      case 11:
        this.emit({
          kind: name,
          text: `${name} type=${c.length ? c[0] : "?"}`,
          fields: { type: name, unknown_type: c.length ? c[0] : null },
        });
        return;
    }
  }

  #bad(name: string, id: number, c: Uint8Array): void {
    this.emit({
      kind: name,
      text: `${name} id=${id} (short body ${quoteBytes(c, 16)})`,
      fields: { type: name, request_id: id, short: true },
    });
  }

  /** Reports the open streams of request `id` in this direction of the given types. */
  #flush(id: number, types: number[]): void {
    for (const t of types) {
      const key = `${this.dir}:${t}:${id}`;
      const s = this.#streams.get(key);
      if (s) {
        this.#streams.delete(key);
        this.#endStream(s);
      }
    }
  }

  #endStream(s: Stream): void {
    const o = this.#o;
    const name = TYPES[s.type];
    const data = concatBytes(s.chunks, s.kept);
    const pre = `${name} id=${s.id}`;
    if (s.type === 4) {
      if (s.len === 0) return; // an empty PARAMS stream says nothing
      const pairs = parsePairs(data);
      const body = pairs
        ? pairs.map(([k, v]) => `${tokenOrQuoted(k, 256)}=${tokenOrQuoted(v, o.maxText)}`).join(
          " ",
        )
        : `(bad pairs) ${quoteBytes(data, 64)}`;
      // The request, named by its method and URI.
      const get = (n: string): Uint8Array | undefined =>
        pairs?.find(([k]) => k.length === n.length && latin1(k) === n)?.[1];
      const method = get("REQUEST_METHOD");
      const uri = get("REQUEST_URI") ?? get("SCRIPT_NAME");
      const request = method || uri
        ? `${escapeBytes(method ?? new Uint8Array(), 16)} ${
          escapeBytes(uri ?? new Uint8Array(), 160)
        }`
        : `id=${s.id}`;
      const str = (b: Uint8Array | undefined): Json => b === undefined ? null : latin1(b);
      this.emit({
        kind: name,
        text: cut(`${pre} ${body}`, o.maxText),
        request,
        fields: {
          type: name,
          request_id: s.id,
          params: pairsJson(pairs),
          method: str(method),
          uri: str(uri),
          bytes: s.len,
        },
      });
    } else if (s.type === 5 || s.type === 8) {
      this.emit({
        kind: name,
        text: `${pre} len=${s.len}` + (s.len ? ` ${quoteBytes(data, o.bodyPreview)}` : ""),
        fields: { type: name, request_id: s.id, bytes: s.len },
      });
    } else if (s.type === 7) {
      this.emit({
        kind: name,
        text: `${pre} ${quoteBytes(data, o.maxText)}`,
        fields: { type: name, request_id: s.id, bytes: s.len, message: latin1(data) },
      });
    } else {
      if (s.type === 6 && !this.#status.has(s.id)) {
        // CGI: no Status header means 200.
        const m = /^status:[ \t]*(\d{3}[^\r\n]*)/im.exec(latin1(data.subarray(0, 8192)));
        this.#status.set(s.id, m ? escapeText(m[1].trim(), 64) : "200");
        if (this.#status.size > MAX_STREAMS) this.#status.delete(this.#status.keys().next().value!);
      }
      const st = this.#status.get(s.id);
      this.emit({
        kind: name,
        text: `${pre} len=${s.len}${cgiResponse(data, s.len, o)}`,
        fields: {
          type: name,
          request_id: s.id,
          bytes: s.len,
          ...(s.type === 6 && st && /^\d{3}/.test(st) ? { status: Number(st.slice(0, 3)) } : {}),
        },
      });
    }
  }
}

/** ` | Header: v | … | body=N bytes "preview"` for a CGI response, or ` "preview"`. */
function cgiResponse(data: Uint8Array, total: number, o: ResolvedOptions): string {
  if (total === 0) return "";
  let end = -1;
  let skip = 0;
  for (let i = 0; i < data.length && i < 64 * 1024; i++) {
    if (data[i] !== 10) continue;
    if (data[i + 1] === 10) {
      end = i;
      skip = 2;
      break;
    }
    if (data[i + 1] === 13 && data[i + 2] === 10) {
      end = i;
      skip = 3;
      break;
    }
  }
  if (end < 0) return ` ${quoteBytes(data, o.bodyPreview)}`;
  const lines = latin1(data.subarray(0, end)).split("\n").map((l) => l.replace(/\r$/, ""));
  const enc = lines.find((l) => /^content-encoding\s*:/i.test(l))?.split(":")[1] ?? "";
  const body = data.subarray(end + skip);
  const bodyLen = total - (end + skip);
  let text = " | " + escapeText(lines.join(" | "), o.maxText);
  text += ` | body=${bodyLen} bytes`;
  if (enc.trim()) text += ` ${escapeText(enc.trim(), 32)}`;
  if (body.length) {
    const dec = decodeBody(enc, body);
    text += dec ? ` ${quoteBytes(dec, o.bodyPreview)}` : " (undecodable)";
  }
  return text;
}

/** Parses FastCGI name-value pairs; undefined when malformed. */
function parsePairs(b: Uint8Array): [Uint8Array, Uint8Array][] | undefined {
  const out: [Uint8Array, Uint8Array][] = [];
  let i = 0;
  const len = (): number => {
    if (i >= b.length) return -1;
    if (b[i] < 0x80) return b[i++];
    if (i + 4 > b.length) return -1;
    const n = ((b[i] & 0x7f) << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
    i += 4;
    return n;
  };
  while (i < b.length) {
    const nl = len();
    const vl = len();
    if (nl < 0 || vl < 0 || i + nl + vl > b.length) return out.length ? out : undefined;
    out.push([b.subarray(i, i + nl), b.subarray(i + nl, i + nl + vl)]);
    i += nl + vl;
  }
  return out;
}

/** Creates the FastCGI sniffer with the given options. */
export function createFastCgiSniffer(opts: SnifferOptions = {}): StreamSniffer {
  const o = resolveOptions(opts);
  return defineSniffer("fastcgi", (info, _dir, first) => {
    if (info.localPort === 9000 || info.remotePort === 9000) return true;
    if (info.unixPath && /php.*fpm|fpm.*\.sock|fcgi|fastcgi/i.test(info.unixPath)) return true;
    if (first.length === 0) return undefined;
    if (first[0] !== 1) return false;
    if (first.length < 2) return undefined;
    if (first[1] < 1 || first[1] > 11) return false;
    if (first.length < 8) return undefined;
    if (first[7] !== 0) return false;
    // A stream's first record is BEGIN_REQUEST (8 bytes of content) or GET_VALUES.
    if (first[1] === 1) return first[4] === 0 && first[5] === 8;
    if (first[1] === 9) return true;
    // Joined mid-connection: whole records, exactly as written.
    return wholeRecords(first);
  }, () => new FastCgiParser(o));
}

/** The FastCGI sniffer with default options. */
export const fastcgiSniffer: StreamSniffer = createFastCgiSniffer();

/** Name/value pairs as a JSON object (Latin-1 text; a repeated name keeps its last value). */
function pairsJson(pairs: [Uint8Array, Uint8Array][] | undefined): Json {
  if (!pairs) return null;
  const o: { [key: string]: Json } = {};
  for (const [k, v] of pairs) o[latin1(k)] = latin1(v);
  return o;
}
