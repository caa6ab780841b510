/**
 * `--proto`: follows every descriptor's bytes per process, direction and descriptor, detects the
 * protocol (by port, then by first bytes), feeds the sniffer and returns one line per completed
 * message, e.g. `[mysql fd=5 out] COM_QUERY SELECT 1`. Also keeps per-protocol counts and
 * request latencies for the summary printed with `-c` or at detach.
 * @module
 */

import type {
  Direction,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamSniffer,
  SyscallCall,
} from "../decoders/api.ts";
import { createBuiltinSniffers } from "../decoders/sniffers/mod.ts";
import type { Options } from "./options.ts";
import type { Sink } from "./output.ts";
import type { StreamTap } from "./streams.ts";
import { transfer } from "./io_bytes.ts";
import { socketEndpoints } from "./socket_info.ts";

/** How many bytes of a stream are kept while no sniffer has decided. */
const DETECT_BYTES = 4096;

interface Stream {
  info: StreamInfo;
  /** Sniffers still in the running. */
  candidates: StreamSniffer[];
  /** The chosen protocol. */
  proto?: string;
  parser?: StreamParser;
  /** Bytes held back per direction until detection finishes. */
  held: { dir: Direction; bytes: Uint8Array }[];
  heldLen: number;
  /** Given up on: no sniffer wants it. */
  dead: boolean;
  /** Open requests: start time (ms) and text. */
  open: { at: number; text: string }[];
}

interface ProtoStats {
  messages: number;
  errors: number;
  latencies: number[];
  slowest: { ms: number; text: string }[];
}

/** The live tap. */
export class ProtoTap implements StreamTap {
  private sniffers: StreamSniffer[];
  private streams = new Map<string, Stream>();
  private stats = new Map<string, ProtoStats>();
  private always: boolean;
  private quiet: boolean;

  /**
   * Creates a tap over `sniffers`; `summaryAlways`: print the summary at the end (`-c`, `-p`);
   * `summaryOnly` (`-c`): count the messages but print no message lines.
   */
  constructor(sniffers: StreamSniffer[], summaryAlways = false, summaryOnly = false) {
    this.sniffers = sniffers;
    this.always = summaryAlways;
    this.quiet = summaryOnly;
  }

  /** The stream key: process and descriptor. */
  private key(tgid: number, fd: number): string {
    return `${tgid}:${fd}`;
  }

  /** What `/proc` and the socket tables say of a descriptor. */
  private streamInfo(pid: number, fd: number): StreamInfo {
    let path: string | undefined;
    try {
      path = Deno.readLinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      // closed already
    }
    const info: { -readonly [K in keyof StreamInfo]: StreamInfo[K] } = { pid, fd, path };
    const m = path && /^socket:\[(\d+)\]$/.exec(path);
    if (m) {
      try {
        const ends = socketEndpoints(pid, Number(m[1]), fd);
        if (ends?.local) info.localPort = ends.local.port;
        if (ends?.remote) info.remotePort = ends.remote.port;
        if (ends?.unixPath) info.unixPath = ends.unixPath;
      } catch {
        // no endpoint details
      }
    }
    return info;
  }

  /** Sees a finished, successful syscall; returns the message lines to print after it. */
  onSyscall(t: { pid: number; tgid: number }, c: SyscallCall): string[] {
    const name = c.name;
    if (name === "close") {
      this.streams.delete(this.key(t.tgid, c.args.i(0)));
      return [];
    }
    if (name === "dup2" || name === "dup3") {
      this.streams.delete(this.key(t.tgid, c.args.i(1)));
      return [];
    }
    let tr;
    try {
      tr = transfer(c);
    } catch {
      return [];
    }
    if (!tr || !tr.chunks.length) return [];
    const k = this.key(t.tgid, tr.fd);
    let s = this.streams.get(k);
    if (!s) {
      const info = this.streamInfo(t.pid, tr.fd);
      // Only sockets and pipes carry protocols; regular files do not.
      const isStream = info.path === undefined || /^(socket|pipe):/.test(info.path);
      s = {
        info,
        candidates: isStream ? [...this.sniffers] : [],
        held: [],
        heldLen: 0,
        dead: !isStream,
        open: [],
      };
      this.streams.set(k, s);
    }
    if (s.dead) return [];
    const out: string[] = [];
    for (const chunk of tr.chunks) this.feed(s, tr.dir, chunk, out);
    return this.quiet ? [] : out;
  }

  /** Feeds bytes to a stream: detection first, then its parser. */
  private feed(s: Stream, dir: Direction, bytes: Uint8Array, out: string[]): void {
    if (!s.parser) {
      s.held.push({ dir, bytes });
      s.heldLen += bytes.length;
      const first = concat(s.held.filter((h) => h.dir === dir).map((h) => h.bytes));
      const still: StreamSniffer[] = [];
      for (const sn of s.candidates) {
        let v: boolean | undefined;
        try {
          v = sn.detect(s.info, dir, first);
        } catch {
          v = false;
        }
        if (v === true) {
          try {
            s.parser = sn.create(s.info);
          } catch {
            continue;
          }
          s.proto = sn.name;
          break;
        }
        if (v === undefined) still.push(sn);
      }
      if (!s.parser) {
        s.candidates = still;
        if (!still.length || s.heldLen > DETECT_BYTES) {
          s.dead = true;
          s.held = [];
        }
        return;
      }
      const held = s.held;
      s.held = [];
      for (const h of held) this.emit(s, h.dir, h.bytes, out);
      return;
    }
    this.emit(s, dir, bytes, out);
  }

  /** Parses bytes, counts the messages and formats their lines. */
  private emit(s: Stream, dir: Direction, bytes: Uint8Array, out: string[]): void {
    let msgs: ProtoMessage[];
    try {
      msgs = s.parser!.push(dir, bytes);
    } catch {
      msgs = [];
    }
    const now = performance.now();
    for (const m of msgs) {
      const st = this.statsFor(m.proto);
      st.messages++;
      if (m.error) st.errors++;
      if (m.request !== undefined) {
        s.open.push({ at: now, text: m.request || m.text.slice(0, 120) });
      }
      if (m.response && s.open.length) {
        const req = s.open.shift()!;
        const ms = now - req.at;
        st.latencies.push(ms);
        st.slowest.push({ ms, text: req.text });
        st.slowest.sort((a, b) => b.ms - a.ms);
        if (st.slowest.length > 3) st.slowest.length = 3;
      }
      // The kind is printed unless the text already starts with it (or it is a status code).
      const bare = m.kind === firstWord(m.text) || /^\d+$/.test(m.kind);
      out.push(`[${m.proto} fd=${s.info.fd} ${m.dir}] ${bare ? "" : m.kind + " "}${m.text}`);
    }
  }

  /** The counters of a protocol. */
  private statsFor(proto: string): ProtoStats {
    let st = this.stats.get(proto);
    if (!st) {
      st = { messages: 0, errors: 0, latencies: [], slowest: [] };
      this.stats.set(proto, st);
    }
    return st;
  }

  /** Prints the per-protocol summary. */
  finish(sink: Sink): void {
    if (!this.always) return;
    sink.write(summaryText(this.stats));
  }
}

function firstWord(s: string): string {
  const i = s.indexOf(" ");
  return i < 0 ? s : s.slice(0, i);
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

function summaryText(stats: Map<string, ProtoStats>): string {
  let out = "protocol    messages    errors  requests    p50 ms    p99 ms    max ms\n";
  out += "---------- ---------- --------- --------- --------- --------- ---------\n";
  const slow: string[] = [];
  for (const [proto, st] of [...stats].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const l = [...st.latencies].sort((a, b) => a - b);
    out += proto.padEnd(10) + " " + String(st.messages).padStart(10) + " " +
      String(st.errors).padStart(9) + " " + String(l.length).padStart(9) + " " +
      pct(l, 50).toFixed(3).padStart(9) + " " + pct(l, 99).toFixed(3).padStart(9) + " " +
      (l.length ? l[l.length - 1] : 0).toFixed(3).padStart(9) + "\n";
    for (const s of st.slowest) slow.push(`slowest ${proto} ${s.ms.toFixed(3)} ms: ${s.text}`);
  }
  return out + slow.map((s) => s + "\n").join("");
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The error for `--proto=LIST` naming a protocol no sniffer (built-in or from `extra`, the loaded
 * plugins' ones) speaks, as strace words a bad `-e trace=` name: `invalid protocol 'gopher'
 * (known: fastcgi, http, mysql)`; undefined when every name is known.
 */
export function unknownProtocol(names: string[], extra: StreamSniffer[]): string | undefined {
  const known = new Set([...createBuiltinSniffers(), ...extra].map((s) => s.name));
  const bad = names.find((n) => !known.has(n));
  if (bad === undefined) return undefined;
  return `invalid protocol '${bad}' (known: ${[...known].sort().join(", ")})`;
}

/** Creates the tap for `--proto[=list]`, with the plugins' sniffers added. */
export function makeTap(o: Options, extra: StreamSniffer[]): Promise<StreamTap | undefined> {
  const all = [...createBuiltinSniffers({ maxText: Math.max(o.strsize, 4096) }), ...extra];
  const wanted = o.proto && o.proto.length ? new Set(o.proto) : undefined;
  const chosen = wanted ? all.filter((s) => wanted.has(s.name)) : all;
  return Promise.resolve(
    new ProtoTap(chosen, o.summary !== 0 || o.pids.length > 0, o.summary === 1),
  );
}
