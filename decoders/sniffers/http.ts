/**
 * The HTTP/1.x sniffer. Each direction is parsed on its own: a message starting with `HTTP/` is a
 * response, one starting with a method token is a request (so it works for clients and servers).
 *
 * Messages (one per request or response, reported when its body is complete):
 * - request: `GET /wordpress/ HTTP/1.1 | Host: localhost | Accept: *\/*` (kind `GET`)
 * - response: `HTTP/1.1 200 OK | Content-Type: text/html | Content-Encoding: gzip |
 *   body=3768 bytes chunked gzip "<!DOCTYPE html>..."` (kind `200`)
 *
 * Headers are printed in order as `Name: value`, joined by ` | `, the block cut at `maxText`.
 * Bodies are framed by Content-Length or chunked encoding (reassembled); a response with neither
 * runs until the connection closes and is reported at once with `body=until-close`. Responses to
 * `HEAD` and 1xx/204/304 have no body. gzip/deflate/br bodies are decoded for the preview.
 * A `101` (or a `2xx` answer to `CONNECT`) ends parsing of the stream (it is no longer HTTP).
 *
 * Garbage: bytes that cannot start a message yield one `desync` message, then the parser scans
 * for the next line that looks like a request or status line.
 *
 * Bytes moved by `sendfile`/`splice` are told with `skip()`: inside a body they count as body
 * bytes (`body=131072 bytes from file /srv/a.txt`); elsewhere the side resyncs after them.
 * @module
 */

import type { Direction, Json, ProtoMessage, StreamSniffer } from "../api.ts";
import {
  ascii,
  ByteQueue,
  concatBytes,
  decodeBody,
  defineSniffer,
  escapeText,
  feed,
  keepBudget,
  latin1,
  quoteBytes,
  type ResolvedOptions,
  resolveOptions,
  type SnifferOptions,
  SnifferParser,
} from "./reassembly.ts";

/** Methods recognised when detecting and resyncing (any token is accepted once in sync). */
const METHODS = [
  "GET",
  "POST",
  "HEAD",
  "PUT",
  "DELETE",
  "OPTIONS",
  "PATCH",
  "CONNECT",
  "TRACE",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "PURGE",
];

/** Ports that mean HTTP without looking at the bytes. */
const HTTP_PORTS = new Set([80, 8080, 8000, 8008, 8888, 3128]);
/** Ports that are never plain HTTP (TLS). */
const TLS_PORTS = new Set([443, 8443]);

/** Most bytes of a header block before giving up on it. */
const MAX_HEADER = 64 * 1024;

const HTTP_SLASH = ascii("HTTP/");

/**
 * Whether `b` is (a prefix of) a request line start `METHOD SP` of a known method or a status line
 * start `HTTP/1.`: `true`, `false`, or `undefined` when too short to tell.
 */
function looksLikeStart(b: Uint8Array, off = 0): boolean | undefined {
  const n = b.length - off;
  if (n <= 0) return undefined;
  const cands = ["HTTP/1.", ...METHODS.map((m) => m + " ")];
  let partial = false;
  for (const c of cands) {
    const k = Math.min(n, c.length);
    let ok = true;
    for (let i = 0; i < k; i++) {
      if (b[off + i] !== c.charCodeAt(i)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (k === c.length) return true;
    partial = true;
  }
  return partial ? undefined : false;
}

function isTokenChar(c: number): boolean {
  // RFC 9110 tchar
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));
}

interface Pending {
  isRequest: boolean;
  method: string;
  status: number;
  head: string;
  headers: [string, string][];
  bodyLen: number;
  raw: Uint8Array[];
  rawLen: number;
  chunked: boolean;
  encoding: string;
  /** Body bytes that did not pass through the process (`sendfile` …), and where from. */
  unseen: number;
  unseenFrom: string;
}

type Mode =
  | "start"
  | "body"
  | "chunk-size"
  | "chunk-data"
  | "chunk-crlf"
  | "trailers"
  | "close"
  | "desync"
  | "dead";

class Side {
  q: ByteQueue;
  mode: Mode = "start";
  remaining = 0;
  /** Where the search for the end of the header block resumes. */
  scan = 0;
  cur: Pending | undefined;
  /** Most raw body bytes kept for the preview (compressed bodies need some to decode). */
  keep: number;
  constructor(cap: number) {
    this.keep = keepBudget(cap);
    this.q = new ByteQueue(cap - this.keep);
  }
}

class HttpParser extends SnifferParser {
  #o: ResolvedOptions;
  #sides: Record<Direction, Side>;
  /** Methods of requests whose response has not been seen, oldest first (both directions). */
  #methods: Record<Direction, string[]> = { in: [], out: [] };
  constructor(o: ResolvedOptions) {
    super("http");
    this.#o = o;
    this.#sides = { in: new Side(o.cap), out: new Side(o.cap) };
  }

  /**
   * Bytes held by the parser (queues and kept body previews), in one direction or both, for tests
   * of the memory bound.
   */
  buffered(dir?: Direction): number {
    let n = 0;
    for (const s of dir ? [this.#sides[dir]] : [this.#sides.in, this.#sides.out]) {
      n += s.q.length + (s.cur?.rawLen ?? 0);
    }
    return n;
  }

  protected take(dir: Direction, bytes: Uint8Array): void {
    const s = this.#sides[dir];
    if (s.mode === "dead") return;
    feed(s.q, bytes, () => this.#parse(s), () => this.#desync(s, "message too large"));
  }

  protected override recover(dir: Direction, why: string): void {
    const s = this.#sides[dir];
    this.#desync(s, `internal error: ${why}`);
    s.q.clear();
  }

  /**
   * `n` bytes went `dir` without passing through the process (`sendfile`, `splice` …; `note` says
   * from or to where, e.g. `from file /var/www/a.txt`). Inside a body they are counted as body
   * bytes; elsewhere the side resynchronises at the next message start.
   */
  skip(dir: Direction, n: number, note: string): ProtoMessage[] {
    return this.run(dir, () => this.#skip(dir, n, note));
  }

  #skip(dir: Direction, n: number, note: string): void {
    const s = this.#sides[dir];
    try {
      if (s.mode === "dead" || s.mode === "close" || n <= 0) return;
      const inBody = s.mode === "body" || s.mode === "chunk-data";
      if (inBody && s.q.length === 0 && s.cur) {
        const k = Math.min(n, s.remaining);
        s.cur.bodyLen += k;
        s.cur.unseen += k;
        s.cur.unseenFrom = note;
        s.remaining -= k;
        n -= k;
        if (s.remaining === 0) {
          if (s.mode === "body") this.#finish(s);
          else s.mode = "chunk-crlf";
        }
      }
      if (n > 0) {
        this.#desync(s, `${n} bytes ${escapeText(note, 256)} outside a body`);
        // The next bytes come after them: a message may start right there.
        s.mode = "start";
        s.q.clear();
      }
    } catch {
      s.q.clear();
    }
  }

  #desync(s: Side, why: string): void {
    if (s.mode !== "desync") this.emit({ kind: "desync", text: `desync: ${why}` });
    s.mode = "desync";
    s.cur = undefined;
    s.remaining = 0;
    s.scan = 0;
  }

  #parse(s: Side): void {
    const q = s.q;
    for (let guard = 0; guard < 1e6; guard++) {
      switch (s.mode) {
        case "dead":
        case "close":
          q.clear();
          return;
        case "desync": {
          // Look for "\n" followed by a request or status line start.
          let i = 0;
          for (;;) {
            const lf = q.indexOf(ascii("\n"), i);
            if (lf < 0) {
              q.consume(Math.max(0, q.length - 1));
              return;
            }
            const v = q.view();
            const r = looksLikeStart(v, lf + 1);
            if (r === true) {
              q.consume(lf + 1);
              s.mode = "start";
              break;
            }
            if (r === undefined) {
              q.consume(lf);
              return;
            }
            i = lf + 1;
          }
          continue;
        }
        case "start": {
          // Skip empty lines between messages.
          let k = 0;
          while (k < q.length && (q.at(k) === 13 || q.at(k) === 10)) k++;
          q.consume(k);
          s.scan = Math.max(0, s.scan - k);
          if (q.length === 0) return;
          if (!this.#plausible(q.view(0, 32))) {
            this.#desync(s, "not an HTTP message");
            continue;
          }
          const end = this.#headerEnd(q, Math.max(0, s.scan - 3));
          if (end === -1) {
            s.scan = q.length;
            if (q.length >= Math.min(MAX_HEADER, q.cap)) {
              this.#desync(s, "header block too large");
            }
            return;
          }
          s.scan = 0;
          const head = latin1(q.view(0, end[0]));
          q.consume(end[1]);
          if (!this.#startMessage(s, head)) continue;
          continue;
        }
        case "body": {
          const n = Math.min(q.length, s.remaining);
          this.#take(s, q.view(0, n));
          q.consume(n);
          s.remaining -= n;
          if (s.remaining > 0) return;
          this.#finish(s);
          continue;
        }
        case "chunk-size": {
          const lf = q.indexOf(ascii("\n"));
          if (lf < 0) {
            if (q.length > 1024) this.#desync(s, "bad chunk size");
            return;
          }
          const line = latin1(q.view(0, lf)).replace(/\r$/, "");
          const m = /^\s*([0-9a-fA-F]{1,12})\s*(;.*)?$/.exec(line);
          if (!m) {
            this.#desync(s, "bad chunk size");
            continue;
          }
          q.consume(lf + 1);
          const size = parseInt(m[1], 16);
          if (size === 0) {
            s.mode = "trailers";
          } else {
            s.remaining = size;
            s.mode = "chunk-data";
          }
          continue;
        }
        case "chunk-data": {
          const n = Math.min(q.length, s.remaining);
          this.#take(s, q.view(0, n));
          q.consume(n);
          s.remaining -= n;
          if (s.remaining > 0) return;
          s.mode = "chunk-crlf";
          continue;
        }
        case "chunk-crlf": {
          if (q.length === 0) return;
          if (q.at(0) === 10) {
            q.consume(1);
          } else if (q.at(0) === 13) {
            if (q.length < 2) return;
            if (q.at(1) !== 10) {
              this.#desync(s, "bad chunk end");
              continue;
            }
            q.consume(2);
          } else {
            this.#desync(s, "bad chunk end");
            continue;
          }
          s.mode = "chunk-size";
          continue;
        }
        case "trailers": {
          const lf = q.indexOf(ascii("\n"));
          if (lf < 0) {
            if (q.length > MAX_HEADER) this.#desync(s, "trailers too large");
            return;
          }
          const line = latin1(q.view(0, lf)).replace(/\r$/, "");
          q.consume(lf + 1);
          if (line === "") this.#finish(s);
          else if (s.cur) s.cur.headers.push(splitHeader(line));
          continue;
        }
      }
    }
  }

  /** Whether the first bytes can start a request or a status line. */
  #plausible(b: Uint8Array): boolean {
    let i = 0;
    if (b.length >= 5 && HTTP_SLASH.every((c, j) => b[j] === c)) return true;
    if (b.length < 5 && HTTP_SLASH.subarray(0, b.length).every((c, j) => b[j] === c)) return true;
    while (i < b.length && i < 24 && isTokenChar(b[i])) i++;
    if (i === b.length) return i < 24;
    return i > 0 && b[i] === 0x20;
  }

  /** `[end of header text, end of blank line]`, or -1 when the block is not complete yet. */
  #headerEnd(q: ByteQueue, from: number): [number, number] | -1 {
    const v = q.view();
    for (let i = from; i < v.length; i++) {
      if (v[i] !== 10) continue;
      if (v[i + 1] === 10) return [i, i + 2];
      if (v[i + 1] === 13 && v[i + 2] === 10) return [i, i + 3];
      if (i + 2 >= v.length) return -1;
    }
    return -1;
  }

  /** Parses a header block and sets the body mode; false if it is not HTTP. */
  #startMessage(s: Side, head: string): boolean {
    const lines = head.split("\n").map((l) => l.replace(/\r$/, ""));
    const first = lines[0];
    const headers: [string, string][] = [];
    for (const l of lines.slice(1)) {
      if ((l.startsWith(" ") || l.startsWith("\t")) && headers.length) {
        headers[headers.length - 1][1] += " " + l.trim();
      } else {
        headers.push(splitHeader(l));
      }
    }
    const get = (n: string): string | undefined => {
      const ln = n.toLowerCase();
      const vals = headers.filter(([k]) => k.toLowerCase() === ln).map(([, v]) => v);
      return vals.length ? vals.join(", ") : undefined;
    };
    const p: Pending = {
      isRequest: false,
      method: "",
      status: 0,
      head: first,
      headers,
      bodyLen: 0,
      raw: [],
      rawLen: 0,
      chunked: false,
      encoding: get("content-encoding") ?? "",
      unseen: 0,
      unseenFrom: "",
    };
    const st = /^HTTP\/\d\.\d (\d{3})(?: .*)?$/.exec(first);
    const rq = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/\d\.\d$/.exec(first);
    const other: Direction = this.dir === "in" ? "out" : "in";
    let method = "";
    if (st) {
      p.status = Number(st[1]);
      if (p.status >= 200 || p.status === 101) method = this.#methods[other].shift() ?? "";
    } else if (rq) {
      p.isRequest = true;
      p.method = rq[1];
      this.#methods[this.dir].push(rq[1]);
      if (this.#methods[this.dir].length > 1000) this.#methods[this.dir].shift();
    } else {
      this.#desync(s, "bad start line");
      return false;
    }
    s.cur = p;
    const te = (get("transfer-encoding") ?? "").toLowerCase();
    const cl = get("content-length");
    const upgrade = p.status === 101 || (method === "CONNECT" && p.status >= 200 && p.status < 300);
    const noBody = !p.isRequest &&
      (p.status < 200 || p.status === 204 || p.status === 304 || method === "HEAD");
    if (upgrade) {
      this.#finish(s);
      this.#sides.in.mode = this.#sides.out.mode = "dead";
      this.#sides.in.q.clear();
      this.#sides.out.q.clear();
      return true;
    }
    if (noBody) {
      this.#finish(s);
    } else if (/(^|[\s,])chunked\s*$/.test(te)) {
      p.chunked = true;
      s.mode = "chunk-size";
    } else if (cl !== undefined) {
      const first = cl.split(",")[0].trim();
      if (!/^\d{1,15}$/.test(first)) {
        this.#desync(s, "bad Content-Length");
        return false;
      }
      s.remaining = Number(first);
      if (s.remaining === 0) this.#finish(s);
      else s.mode = "body";
    } else if (p.isRequest) {
      this.#finish(s);
    } else {
      // Delimited by the end of the connection: report now, ignore the rest.
      this.#finish(s, true);
      s.mode = "close";
    }
    return true;
  }

  #take(s: Side, b: Uint8Array): void {
    const p = s.cur;
    if (!p) return;
    p.bodyLen += b.length;
    if (p.rawLen < s.keep && b.length) {
      const part = b.slice(0, s.keep - p.rawLen);
      p.raw.push(part);
      p.rawLen += part.length;
    }
  }

  #finish(s: Side, untilClose = false): void {
    const p = s.cur;
    s.cur = undefined;
    s.mode = "start";
    s.remaining = 0;
    if (!p) return;
    const o = this.#o;
    let text = escapeText(
      [p.head, ...p.headers.map(([k, v]) => (v === "" && k === "" ? "" : `${k}: ${v}`))].join(
        " | ",
      ),
      o.maxText,
    );
    if (untilClose) {
      text += " | body=until-close";
    } else if (p.bodyLen > 0 || p.chunked) {
      text += ` | body=${p.bodyLen} bytes`;
      if (p.unseen > 0) {
        const from = escapeText(p.unseenFrom, o.maxText);
        text += p.unseen === p.bodyLen ? ` ${from}` : ` (${p.unseen} ${from})`;
      }
      if (p.chunked) text += " chunked";
      if (p.encoding && p.encoding.toLowerCase() !== "identity") {
        text += ` ${escapeText(p.encoding.trim(), 32)}`;
      }
      if (p.rawLen > 0) {
        const dec = decodeBody(p.encoding, concatBytes(p.raw));
        text += dec ? ` ${quoteBytes(dec, o.bodyPreview)}` : " (undecodable)";
      }
    }
    const fields: { [key: string]: Json } = {};
    if (p.isRequest) {
      const rq = /^(\S+) (\S+) (HTTP\/\d\.\d)$/.exec(p.head);
      fields.method = p.method;
      fields.uri = rq?.[2] ?? "";
      fields.version = rq?.[3] ?? "";
    } else {
      const st = /^(HTTP\/\d\.\d) \d{3}(?: (.*))?$/.exec(p.head);
      fields.version = st?.[1] ?? "";
      fields.status = p.status;
      fields.reason = st?.[2] ?? "";
    }
    fields.headers = p.headers.filter(([k]) => k !== "").map(([k, v]) => [k, v]);
    if (untilClose) fields.body_until_close = true;
    else fields.body_bytes = p.bodyLen;
    if (p.unseen > 0) {
      fields.body_unseen_bytes = p.unseen;
      fields.body_unseen_from = p.unseenFrom;
    }
    if (p.chunked) fields.chunked = true;
    if (p.encoding) fields.encoding = p.encoding.trim();
    if (p.isRequest) {
      this.emit({ kind: p.method, text, request: escapeText(p.head, 120), fields });
    } else {
      const final = p.status >= 200 || p.status === 101;
      this.emit({
        kind: String(p.status),
        text,
        fields,
        ...(final ? { response: true, outcome: escapeText(p.head.replace(/^\S+ /, ""), 64) } : {}),
        ...(p.status >= 400 ? { error: true } : {}),
      });
    }
  }
}

function splitHeader(l: string): [string, string] {
  const c = l.indexOf(":");
  if (c < 0) return [l, ""];
  return [l.slice(0, c).trim(), l.slice(c + 1).trim()];
}

/** Creates the HTTP/1.x sniffer with the given options. */
export function createHttpSniffer(opts: SnifferOptions = {}): StreamSniffer {
  const o = resolveOptions(opts);
  return defineSniffer("http", (info, _dir, first) => {
    const port = (set: Set<number>): boolean =>
      (info.localPort !== undefined && set.has(info.localPort)) ||
      (info.remotePort !== undefined && set.has(info.remotePort));
    if (port(TLS_PORTS)) return false;
    if (port(HTTP_PORTS)) return true;
    return looksLikeStart(first);
  }, () => new HttpParser(o));
}

/** The HTTP/1.x sniffer with default options. */
export const httpSniffer: StreamSniffer = createHttpSniffer();
