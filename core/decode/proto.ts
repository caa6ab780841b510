/**
 * `--proto`: follows every descriptor's bytes per process, direction and descriptor, detects the
 * protocol (by first bytes, and by the socket's ports or unix path), feeds the sniffer and returns
 * one line per completed message, e.g. `[mysql fd=5 out] COM_QUERY SELECT 1`. Also keeps
 * per-protocol counts and request latencies for the summary printed with `-c` or at detach.
 *
 * - Bytes moved inside the kernel (`sendfile`, `splice`, `tee`, `copy_file_range`) are counted:
 *   parsers that can (HTTP) account for them as "N bytes from file F" and stay in sync; others
 *   re-detect the stream at the next syscall boundary.
 * - A stream that was open before the process was attached (`-p`) is "joined mid-stream": it is
 *   detected at any syscall boundary that starts a message, and `(joined mid-stream)` is said once.
 * - When both ends of a connection are traced, a request is counted once (on the side that reads
 *   it).
 * @module
 */

import type {
  Direction,
  Json,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamSniffer,
  SyscallCall,
} from "../../decoders/api.ts";
import { createBuiltinSniffers } from "../../decoders/sniffers/mod.ts";
import { concatBytes, escapeText, safeLine } from "../../decoders/sniffers/reassembly.ts";
import type { Options } from "../cli/options.ts";
import type { ProtoPayload } from "../events/types.ts";
import type { Sink } from "../output/sink.ts";
import { compileFilter, messageSubject, type ProtoFilter } from "./proto_filter.ts";
import { RequestTracker } from "./requests.ts";
import type { StreamTap } from "./streams.ts";
import { transfer } from "./io_bytes.ts";
import { socketDetail, socketEndpoints } from "./socket_info.ts";
import { addEndpoints } from "./endpoints.ts";

/** How many bytes of a stream are kept while no sniffer has decided. */
const DETECT_BYTES = 4096;
/** How many syscall boundaries of a joined stream are tried for a message start. */
const JOIN_TRIES = 256;

/** A parser that can account for bytes it cannot see (moved by `sendfile` and the like). */
interface SkippingParser extends StreamParser {
  /** `n` bytes went `dir` without passing through the process; `note`: `from file /x`. */
  skip(dir: Direction, n: number, note: string): ProtoMessage[];
}

/**
 * A parser whose protocol goes on inside TLS after an in-band upgrade (MySQL's SSL_REQUEST):
 * `afterTls()` gives the parser of the TLS plaintext, continuing the session.
 */
interface UpgradingParser extends StreamParser {
  afterTls(): StreamParser | undefined;
}

/** A sniffer wrapped by core/plugins/guard.ts: its failures are reported after the line. */
interface ReportingSniffer extends StreamSniffer {
  takeReports(): string[];
}

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
  /** Open requests: start time (ms), text and direction. */
  open: { at: number; text: string; dir: Direction }[];
  /** Opened before it was traced: detected at any syscall boundary. */
  joined: boolean;
  /** Syscall boundaries tried so far (joined streams). */
  tries: number;
  /** `(joined mid-stream)` said. */
  said: boolean;
  /** Both ends of the connection, the same from either end (`unix:1-2`, `tcp:a|b`). */
  conn?: string;
  /** How lines name the descriptor: `fd=3`, or with `-y`/`-yy` `fd=3<TCP:[a:1->b:2]>`. */
  label: string;
  /** This end's address (`127.0.0.1:41234`, a unix socket's path, `unix:[INODE]`). */
  local?: string;
  /** The other end's address. */
  peer?: string;
  /** Client or server: known from accept/connect or the first request's direction. */
  role?: "client" | "server";
  /** The role guessed from the endpoints (the end with the path, the lower port). */
  roleGuess?: "client" | "server";
  /** The plaintext inside TLS (core/trace/tls): its lines say `tls`. */
  tls?: boolean;
}

/** What the request view does: nothing, replace the message lines, or add to them (JSON). */
export type RequestView = "off" | "only" | "also";

interface ProtoStats {
  messages: number;
  errors: number;
  latencies: number[];
  slowest: { ms: number; text: string }[];
}

/** Syscalls whose return value is a descriptor opened while traced. */
const OPENS = new Set([
  "socket",
  "accept",
  "accept4",
  "open",
  "openat",
  "openat2",
  "creat",
  "dup",
  "memfd_create",
]);

/** The live tap. */
export class ProtoTap implements StreamTap {
  private sniffers: StreamSniffer[];
  private streams = new Map<string, Stream>();
  private stats = new Map<string, ProtoStats>();
  private always: boolean;
  private quiet: boolean;
  /** Processes attached to (`-p`): their descriptors may carry streams already under way. */
  private attached: Set<number>;
  /** Descriptors (`tgid:fd`) seen opened or connected while traced. */
  private fresh = new Set<string>();
  /** Traced streams per connection (2 when both ends are traced). */
  private conns = new Map<string, number>();
  /** `-y` (1) / `-yy` (2): name the descriptor's file or connection in every line. */
  private fdStyle = 0;
  /** Roles learned from `accept` (server) and `connect` (client), by `tgid:fd`. */
  private roleHint = new Map<string, "client" | "server">();
  /** `--proto-filter`. */
  private filter?: ProtoFilter;
  /** `--requests`. */
  private requestView: RequestView = "off";
  private tracker?: RequestTracker;

  /**
   * Creates a tap over `sniffers`; `summaryAlways`: print the summary at the end (`-c`, `-p`);
   * `summaryOnly` (`-c`): count the messages but print no message lines; `attached`: the pids
   * given with `-p`.
   */
  constructor(
    sniffers: StreamSniffer[],
    summaryAlways = false,
    summaryOnly = false,
    attached: number[] = [],
  ) {
    this.sniffers = sniffers;
    this.always = summaryAlways;
    this.quiet = summaryOnly;
    this.attached = new Set(attached);
  }

  /** `-y` (1): lines name the descriptor's path; `-yy` (2): its connection's endpoints. */
  setFdStyle(n: number): this {
    this.fdStyle = n;
    return this;
  }

  /** `--proto-filter EXPR` (compiled by {@linkcode compileFilter}). */
  setFilter(f: ProtoFilter | undefined): this {
    this.filter = f;
    return this;
  }

  /** The request view: `only` (`--requests`: request blocks instead of messages), `also` (JSON). */
  setRequestView(v: RequestView): this {
    this.requestView = v;
    this.tracker = v === "off" ? undefined : new RequestTracker();
    return this;
  }

  /** The stream key: process and descriptor. */
  private key(tgid: number, fd: number): string {
    return `${tgid}:${fd}`;
  }

  /** What `/proc` and the socket tables say of a descriptor; `conn` names its connection. */
  private streamInfo(
    pid: number,
    fd: number,
  ): {
    info: StreamInfo;
    conn?: string;
    label: string;
    local?: string;
    peer?: string;
    guess?: "client" | "server";
  } {
    let path: string | undefined;
    try {
      path = Deno.readLinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      // closed already
    }
    const info: { -readonly [K in keyof StreamInfo]: StreamInfo[K] } = { pid, fd, path };
    let conn: string | undefined;
    let local: string | undefined;
    let peer: string | undefined;
    let guess: "client" | "server" | undefined;
    let label = path !== undefined && this.fdStyle > 0
      ? `fd=${fd}<${escapeText(path, 4096)}>`
      : `fd=${fd}`;
    const m = path && /^socket:\[(\d+)\]$/.exec(path);
    if (m) {
      try {
        const inode = Number(m[1]);
        const ends = socketEndpoints(pid, inode, fd);
        if (ends?.local) info.localPort = ends.local.port;
        if (ends?.remote) info.remotePort = ends.remote.port;
        if (ends?.unixPath) info.unixPath = ends.unixPath;
        let detail = this.fdStyle > 1 ? socketDetail(pid, inode, fd) : undefined;
        let peerPath: string | undefined;
        if (ends?.peer) {
          const other = socketEndpoints(pid, ends.peer);
          local = ends.unixPath || `unix:[${inode}]`;
          peer = other?.unixPath || `unix:[${ends.peer}]`;
          guess = ends.unixPath ? "server" : other?.unixPath ? "client" : undefined;
          // A client's end of a unix socket has no path: its peer (the server's end) has.
          if (!info.unixPath) {
            const p = socketEndpoints(pid, ends.peer);
            if (p?.unixPath) {
              info.unixPath = peerPath = p.unixPath;
              if (detail?.endsWith("]")) {
                detail = `${detail.slice(0, -1)},"${escapeText(p.unixPath, 4096, true)}"]`;
              }
            }
          }
          conn = `unix:${Math.min(inode, ends.peer)}-${Math.max(inode, ends.peer)}`;
        } else if (ends?.local && ends.remote) {
          const a = `${ends.local.addr}:${ends.local.port}`;
          const b = `${ends.remote.addr}:${ends.remote.port}`;
          local = hostPort(ends.local.addr, ends.local.port);
          peer = hostPort(ends.remote.addr, ends.remote.port);
          // Servers listen on low ports, clients get ephemeral ones (32768 and up).
          const lo = ends.local.port < 32768;
          const ro = ends.remote.port < 32768;
          guess = lo && !ro ? "server" : ro && !lo ? "client" : undefined;
          conn = `${ends.proto}:${a < b ? a + "|" + b : b + "|" + a}`;
        }
        if (ends) addEndpoints(info, pid, ends, peerPath);
        if (detail) label = `fd=${fd}<${detail}>`;
      } catch {
        // no endpoint details
      }
    }
    return { info, conn, label, local, peer, guess };
  }

  /** The stream of a descriptor, created on first sight. */
  private stream(t: { pid: number; tgid: number }, fd: number, tls = false): Stream {
    const k = this.key(t.tgid, fd) + (tls ? ":tls" : "");
    let s = this.streams.get(k);
    if (s) return s;
    const { info, conn, label, local, peer, guess } = this.streamInfo(t.pid, fd);
    // Only sockets and pipes carry protocols; regular files do not.
    const isStream = info.path === undefined || /^(socket|pipe):/.test(info.path);
    s = {
      info,
      candidates: isStream ? [...this.sniffers] : [],
      held: [],
      heldLen: 0,
      dead: !isStream,
      open: [],
      joined: isStream && this.attached.has(t.tgid) && !this.fresh.has(this.key(t.tgid, fd)),
      tries: 0,
      said: false,
      conn: conn && tls ? `tls:${conn}` : conn,
      label,
      local,
      peer,
      role: this.roleHint.get(k),
      roleGuess: guess,
      tls,
    };
    if (s.conn) this.conns.set(s.conn, (this.conns.get(s.conn) ?? 0) + 1);
    this.streams.set(k, s);
    if (tls) this.continueInTls(s, this.streams.get(this.key(t.tgid, fd)));
    return s;
  }

  /**
   * A TLS stream whose raw stream upgraded in-band (MySQL after SSL_REQUEST): its parser goes on
   * with the session, with no detection.
   */
  private continueInTls(s: Stream, raw: Stream | undefined): void {
    const up = raw?.parser as Partial<UpgradingParser> | undefined;
    if (!raw || typeof up?.afterTls !== "function") return;
    let p: StreamParser | undefined;
    try {
      p = up.afterTls();
    } catch {
      return;
    }
    if (!p) return;
    s.parser = p;
    s.proto = raw.proto;
    s.candidates = [];
    s.dead = false;
    s.joined = false;
    s.role ??= raw.role;
  }

  /** Forgets a descriptor's stream. */
  private drop(tgid: number, fd: number, tls = false): void {
    const k = this.key(tgid, fd) + (tls ? ":tls" : "");
    const s = this.streams.get(k);
    if (!tls) {
      this.fresh.delete(k);
      this.roleHint.delete(k);
      this.drop(tgid, fd, true);
    }
    if (!s) return;
    this.streams.delete(k);
    if (s.conn) {
      const n = (this.conns.get(s.conn) ?? 1) - 1;
      if (n > 0) this.conns.set(s.conn, n);
      else this.conns.delete(s.conn);
    }
  }

  /**
   * Sees a finished, successful syscall; returns what to print after it: a
   * {@linkcode ProtoPayload} per message (and per completed request with `--requests`), and
   * strings for sctrace's own notes (`(joined mid-stream)`, a plugin's failure).
   */
  onSyscall(t: { pid: number; tgid: number }, c: SyscallCall): (string | ProtoPayload)[] {
    const out: (string | ProtoPayload)[] = [];
    try {
      this.see(t, c, out);
    } catch {
      // never past this boundary
    }
    // Plugin failures are reported even with -c.
    const lines = this.quiet ? [] : out;
    for (const sn of this.sniffers) {
      const r = (sn as Partial<ReportingSniffer>).takeReports?.();
      if (r?.length) { for (const m of r) lines.push(safeLine(`[${sn.name}] ${m}`)); }
    }
    return lines;
  }

  /** TLS plaintext of descriptor `fd` (see {@linkcode StreamTap.feedPlain}). */
  feedPlain(
    t: { pid: number; tgid: number },
    fd: number,
    dir: Direction,
    bytes: Uint8Array,
  ): (string | ProtoPayload)[] {
    const out: (string | ProtoPayload)[] = [];
    try {
      const s = this.stream(t, fd, true);
      if (!s.dead) this.feed(s, dir, bytes, out, t.tgid);
    } catch {
      // never past this boundary
    }
    return this.quiet ? [] : out;
  }

  /**
   * Process `tgid` is gone (its thread group leader exited or was killed): its descriptors are
   * closed, so the requests still waiting on them are finished (see
   * {@linkcode RequestTracker.exited}); returns what to print, as {@linkcode onSyscall} does.
   */
  onExit(t: { pid: number; tgid: number }): (string | ProtoPayload)[] {
    const out: (string | ProtoPayload)[] = [];
    try {
      const prefix = `${t.tgid}:`;
      for (const fd of this.fdsOf(t.tgid)) {
        this.closeRequests(t.tgid, fd, out);
        this.drop(t.tgid, fd);
      }
      if (this.tracker && !this.quiet) this.printDone(this.tracker.exited(t.tgid), out);
      for (const k of [...this.fresh]) if (k.startsWith(prefix)) this.fresh.delete(k);
      for (const k of [...this.roleHint.keys()]) if (k.startsWith(prefix)) this.roleHint.delete(k);
    } catch {
      // never past this boundary
    }
    return this.quiet ? [] : out;
  }

  /**
   * The trace is over (every tracee detached or gone): the requests still waiting for an answer,
   * each with the process it belongs to, to report as pending (`--requests`).
   */
  onEnd(): { tgid: number; item: ProtoPayload }[] {
    if (!this.tracker || this.quiet) return [];
    const items: { tgid: number; item: ProtoPayload }[] = [];
    try {
      for (const r of this.tracker.unanswered()) {
        if (this.filter && !this.safeFilter(this.tracker.messages(r), undefined)) continue;
        items.push({ tgid: r.procs[0] ?? 0, item: this.tracker.payload(r) });
      }
    } catch {
      // never past this boundary
    }
    return items;
  }

  /** The descriptors of `tgid` that have a stream. */
  private fdsOf(tgid: number): Set<number> {
    const prefix = `${tgid}:`;
    const fds = new Set<number>();
    for (const k of this.streams.keys()) {
      if (k.startsWith(prefix)) fds.add(Number(k.slice(prefix.length).split(":")[0]));
    }
    return fds;
  }

  /**
   * `tgid` replaced its program (a successful execve): the descriptors marked close-on-exec are
   * gone, which closes their connections as `close` would.
   */
  private execed(tgid: number, out: (string | ProtoPayload)[]): void {
    for (const fd of this.fdsOf(tgid)) {
      let open = true;
      try {
        Deno.readLinkSync(`/proc/${tgid}/fd/${fd}`);
      } catch (e) {
        open = !(e instanceof Deno.errors.NotFound);
      }
      if (open) continue;
      this.closeRequests(tgid, fd, out);
      this.drop(tgid, fd);
    }
  }

  /** Descriptor `fd` of `tgid` is closing: finishes the requests still waiting on it. */
  private closeRequests(tgid: number, fd: number, out: (string | ProtoPayload)[]): void {
    if (!this.tracker || this.quiet) return;
    const s = this.streams.get(this.key(tgid, fd));
    let done: ReturnType<RequestTracker["closed"]> = [];
    try {
      done = this.tracker.closed(tgid, fd, s?.conn);
    } catch {
      // never past this boundary
    }
    this.printDone(done, out);
  }

  /** The payloads of completed requests that pass `--proto-filter`, to `out`. */
  private printDone(done: ReturnType<RequestTracker["see"]>, out: (string | ProtoPayload)[]): void {
    for (const r of done) {
      if (this.filter) {
        const dur = r.end !== undefined ? (r.end - r.start) / 1000 : undefined;
        if (!this.safeFilter(this.tracker!.messages(r), dur)) continue;
      }
      out.push(this.tracker!.payload(r));
    }
  }

  /** Follows one syscall: descriptors opened and closed, bytes moved; lines go to `out`. */
  private see(
    t: { pid: number; tgid: number },
    c: SyscallCall,
    out: (string | ProtoPayload)[],
  ): void {
    const name = c.name;
    if (name === "execve" || name === "execveat") {
      this.execed(t.tgid, out);
      return;
    }
    if (name === "close") {
      this.closeRequests(t.tgid, c.args.i(0), out);
      this.drop(t.tgid, c.args.i(0));
      return;
    }
    if (name === "dup2" || name === "dup3") {
      this.closeRequests(t.tgid, c.args.i(1), out);
      this.drop(t.tgid, c.args.i(1));
      this.fresh.add(this.key(t.tgid, c.args.i(1)));
      return;
    }
    if (OPENS.has(name) || (name === "fcntl" && (c.args.i(1) === 0 || c.args.i(1) === 1030))) {
      if (c.rval >= 0) {
        this.drop(t.tgid, c.rval);
        this.fresh.add(this.key(t.tgid, c.rval));
        if (name === "accept" || name === "accept4") {
          this.roleHint.set(this.key(t.tgid, c.rval), "server");
        }
      }
      return;
    }
    if (name === "connect") {
      const k = this.key(t.tgid, c.args.i(0));
      this.fresh.add(k);
      this.roleHint.set(k, "client");
      const s = this.streams.get(k);
      if (s) s.role = "client";
      return;
    }
    if (name === "sendfile" || name === "splice" || name === "tee" || name === "copy_file_range") {
      this.copied(t, c, out);
      return;
    }
    const tr = transfer(c);
    if (!tr || !tr.chunks.length) return;
    const s = this.stream(t, tr.fd);
    if (s.dead) return;
    for (const chunk of tr.chunks) this.feed(s, tr.dir, chunk, out, t.tgid);
  }

  /** `sendfile`, `splice`, `tee`, `copy_file_range`: bytes that did not pass through the process. */
  private copied(
    t: { pid: number; tgid: number },
    c: SyscallCall,
    out: (string | ProtoPayload)[],
  ): void {
    const n = c.rval;
    if (n <= 0) return;
    const [from, to] = c.name === "sendfile"
      ? [c.args.i(1), c.args.i(0)]
      : c.name === "tee"
      ? [c.args.i(0), c.args.i(1)]
      : [c.args.i(0), c.args.i(2)];
    const where = (fd: number): string => {
      let p: string;
      try {
        p = Deno.readLinkSync(`/proc/${t.pid}/fd/${fd}`);
      } catch {
        return `fd ${fd}`;
      }
      return /^[a-z_]+:\[\d+\]$/.test(p) ? p : `file ${p}`;
    };
    for (
      const [fd, dir, note] of [
        [to, "out", () => `from ${where(from)}`],
        [from, "in", () => `to ${where(to)}`],
      ] as const
    ) {
      const k = this.key(t.tgid, fd);
      const s = this.streams.get(k) ??
        (dir === "out" || this.isSocket(t.pid, fd) ? this.stream(t, fd) : undefined);
      if (!s || s.dead) continue;
      this.skip(s, dir, n, note(), out, t.tgid);
    }
  }

  /** Whether a descriptor of `pid` is a socket. */
  private isSocket(pid: number, fd: number): boolean {
    try {
      return /^socket:/.test(Deno.readLinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false;
    }
  }

  /** `n` bytes of a stream went by unseen. */
  private skip(
    s: Stream,
    dir: Direction,
    n: number,
    note: string,
    out: (string | ProtoPayload)[],
    tgid: number,
  ): void {
    if (!s.parser) {
      // Undetected: what was held cannot be followed by these bytes; start again after them.
      s.held = [];
      s.heldLen = 0;
      s.joined = true;
      s.candidates = [...this.sniffers];
      return;
    }
    const p = s.parser as Partial<SkippingParser>;
    if (typeof p.skip === "function") {
      let msgs: ProtoMessage[];
      try {
        msgs = p.skip(dir, n, note);
      } catch {
        msgs = [];
      }
      this.emit(s, msgs, out, tgid);
      return;
    }
    // The parser cannot account for them: detect again at the next syscall boundary.
    s.parser = undefined;
    s.proto = undefined;
    s.joined = true;
    s.said = true;
    s.tries = 0;
    s.candidates = [...this.sniffers];
  }

  /** Feeds bytes to a stream: detection first, then its parser. */
  private feed(
    s: Stream,
    dir: Direction,
    bytes: Uint8Array,
    out: (string | ProtoPayload)[],
    tgid: number,
  ): void {
    if (!s.parser) {
      s.held.push({ dir, bytes });
      s.heldLen += bytes.length;
      const first = concatBytes(s.held.filter((h) => h.dir === dir).map((h) => h.bytes));
      const still: StreamSniffer[] = [];
      // Joined mid-stream, the endpoints may tell the protocol, but only the bytes tell where a
      // message starts: sniffers that claim the endpoints must also recognise the bytes.
      const bytesOnly: StreamInfo = { pid: s.info.pid, fd: s.info.fd, path: s.info.path };
      let pool = s.candidates;
      if (s.joined) {
        const byEnds = pool.filter((sn) => safeDetect(sn, s.info, dir, new Uint8Array()) === true);
        if (byEnds.length) pool = byEnds;
      }
      for (const sn of pool) {
        const v = safeDetect(sn, s.joined ? bytesOnly : s.info, dir, first);
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
          s.held = [];
          s.heldLen = 0;
          if (s.joined && ++s.tries < JOIN_TRIES) {
            // Joined mid-stream: the next syscall may start a message.
            s.candidates = [...this.sniffers];
          } else s.dead = true;
        }
        return;
      }
      const held = s.held.filter((h) => h.dir === dir);
      s.held = [];
      s.heldLen = 0;
      if (s.joined && !s.said) {
        s.said = true;
        out.push(safeLine(`[${s.proto} ${s.label}] (joined mid-stream)`));
      }
      for (const h of held) this.parse(s, h.dir, h.bytes, out, tgid);
      return;
    }
    this.parse(s, dir, bytes, out, tgid);
  }

  /** Parses bytes and handles the messages. */
  private parse(
    s: Stream,
    dir: Direction,
    bytes: Uint8Array,
    out: (string | ProtoPayload)[],
    tgid: number,
  ): void {
    let msgs: ProtoMessage[];
    try {
      msgs = s.parser!.push(dir, bytes, {
        time: Date.now() / 1000,
        mono: performance.now() / 1000,
      });
    } catch {
      msgs = [];
    }
    this.emit(s, msgs, out, tgid);
  }

  /** Counts the messages and makes their payloads (and completed requests). */
  private emit(
    s: Stream,
    msgs: ProtoMessage[],
    out: (string | ProtoPayload)[],
    tgid: number,
  ): void {
    const now = performance.now();
    for (const m of msgs) {
      const st = this.statsFor(m.proto);
      st.messages++;
      if (m.error) st.errors++;
      if (m.request !== undefined) {
        s.open.push({ at: now, text: m.request || m.text.slice(0, 120), dir: m.dir });
        if (s.open.length > 1024) s.open.shift();
        // The side that sends requests is the client.
        s.role ??= m.dir === "out" ? "client" : "server";
      }
      let latency: number | undefined;
      if (m.response && s.open.length) {
        const req = s.open.shift()!;
        const ms = now - req.at;
        latency = ms / 1000;
        // Both ends traced: the request is counted where it was read, not where it was sent.
        const twice = req.dir === "out" && s.conn !== undefined &&
          (this.conns.get(s.conn) ?? 0) > 1;
        if (!twice) {
          st.latencies.push(ms);
          const outcome = m.outcome ?? m.kind;
          st.slowest.push({ ms, text: outcome ? `${req.text} -> ${outcome}` : req.text });
          st.slowest.sort((a, b) => b.ms - a.ms);
          if (st.slowest.length > 3) st.slowest.length = 3;
        }
      }
      // -c: only the counts above; no payload, no text.
      if (this.quiet) continue;
      const role = s.role ?? s.roleGuess;
      const p: ProtoPayload = {
        proto: m.proto,
        dir: m.dir,
        fd: s.info.fd,
        kind: m.kind,
        text: "",
        ...(isJsonObject(m.fields) ? { fields: m.fields } : {}),
        ...(s.local !== undefined ? { local: s.local } : {}),
        ...(s.peer !== undefined ? { peer: s.peer } : {}),
        ...(role ? { role } : {}),
        ...(latency !== undefined ? { latency } : {}),
        ...(m.error ? { error: true } : {}),
        ...(s.tls ? { tls: true } : {}),
      };
      // With -yy the label names the connection already.
      (p as { text: string }).text = protoLineText(p, m.text, s.label, this.fdStyle < 2);
      if (this.tracker) {
        let done: ReturnType<RequestTracker["see"]> = [];
        try {
          done = this.tracker.see({
            tgid,
            p,
            request: m.request !== undefined,
            response: m.response === true,
            conn: s.conn,
            outcome: m.outcome,
            at: now,
          });
        } catch {
          // never past this boundary
        }
        this.printDone(done, out);
      }
      if (this.requestView === "only") continue;
      if (this.filter && !this.safeFilter([p], latency)) continue;
      out.push(p);
    }
  }

  /** The filter over messages, false when it throws. */
  private safeFilter(msgs: ProtoPayload[], duration?: number): boolean {
    try {
      return this.filter!(messageSubject(msgs, duration));
    } catch {
      return false;
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

  /** The per-protocol summary as the `--json` `proto_summary` object, when one is due. */
  summaryJson(): ProtoSummaryJson | undefined {
    if (!this.always) return undefined;
    return summaryJson(this.stats);
  }
}

/**
 * The `--json` form of the protocol summary: `{"type":"proto_summary","protocols":[...]}`, one
 * row per protocol (sorted by name) with its message, error and request counts, request latency
 * percentiles and maximum in seconds, and its (up to 3) slowest requests.
 */
export interface ProtoSummaryJson {
  /** Always `proto_summary`. */
  type: "proto_summary";
  /** One row per protocol seen. */
  protocols: {
    proto: string;
    messages: number;
    errors: number;
    requests: number;
    p50: number;
    p99: number;
    max: number;
    slowest: { latency: number; text: string }[];
  }[];
}

/** `sn.detect`, false when it throws. */
function safeDetect(
  sn: StreamSniffer,
  info: StreamInfo,
  dir: Direction,
  first: Uint8Array,
): boolean | undefined {
  try {
    return sn.detect(info, dir, first);
  } catch {
    return false;
  }
}

/** `host:port`, with an IPv6 host in brackets. */
function hostPort(addr: string, port: number): string {
  return addr.includes(":") ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function isJsonObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The text line of a protocol message: `[PROTO LABEL DIR] KIND TEXT (ROLE LOCAL -> PEER)`, e.g.
 * `[mysql fd=5 out] COM_QUERY SELECT 1 (client unix:[4321] -> /run/mysqld/mysqld.sock)`. The kind
 * is printed unless the text starts with it (or it is a status code); the endpoints, when known,
 * go from this process's end to the other's. With `body` and `label` absent, `p.text` is returned
 * when set (the tap fills it), else the line is rebuilt from the payload with `fd=N`. `ends`: add the endpoints
 * (not with `-yy`, whose label names them).
 */
export function protoLineText(
  p: ProtoPayload,
  body?: string,
  label?: string,
  ends = true,
): string {
  if (body === undefined) {
    if (p.text) return p.text;
    body = "";
  }
  const bare = p.kind === firstWord(body) || /^\d+$/.test(p.kind);
  let line = `[${p.proto} ${label || `fd=${p.fd}`} ${p.dir}${p.tls ? " tls" : ""}] ${
    bare ? "" : p.kind + " "
  }${body}`;
  if (ends && (p.local !== undefined || p.peer !== undefined)) {
    line += ` (${p.role ? p.role + " " : ""}${p.local ?? "?"} -> ${p.peer ?? "?"})`;
  }
  return safeLine(line);
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

function summaryJson(stats: Map<string, ProtoStats>): ProtoSummaryJson {
  const protocols: ProtoSummaryJson["protocols"] = [];
  for (const [proto, st] of [...stats].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const l = [...st.latencies].sort((a, b) => a - b);
    protocols.push({
      proto,
      messages: st.messages,
      errors: st.errors,
      requests: l.length,
      p50: pct(l, 50) / 1000,
      p99: pct(l, 99) / 1000,
      max: (l.length ? l[l.length - 1] : 0) / 1000,
      slowest: st.slowest.map((x) => ({ latency: x.ms / 1000, text: safeLine(x.text) })),
    });
  }
  return { type: "proto_summary", protocols };
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
  return out + slow.map((s) => safeLine(s) + "\n").join("");
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

/**
 * Creates the tap for `--proto[=list]`, with the plugins' sniffers added. A plugin's sniffer
 * replaces the built-in one of the same name (e.g. the example plugin's `redis`).
 */
export function makeTap(o: Options, extra: StreamSniffer[]): Promise<StreamTap | undefined> {
  const theirs = new Set(extra.map((s) => s.name));
  const all = [
    ...createBuiltinSniffers({ maxText: Math.max(o.strsize, 4096) }).filter((s) =>
      !theirs.has(s.name)
    ),
    ...extra,
  ];
  const wanted = o.proto && o.proto.length ? new Set(o.proto) : undefined;
  const chosen = wanted ? all.filter((s) => wanted.has(s.name)) : all;
  // JSON (the events printer) and the views always carry the request events beside the messages.
  const views = (o as { views?: { timeline?: string; report?: string; live?: boolean } }).views;
  const json = (o as { format?: string }).format === "json" ||
    views?.timeline !== undefined || views?.report !== undefined || views?.live === true;
  return Promise.resolve(
    new ProtoTap(chosen, o.summary !== 0 || o.pids.length > 0, o.summary === 1, o.pids)
      .setFdStyle(o.decodeFds)
      .setFilter(o.protoFilter !== undefined ? compileFilter(o.protoFilter) : undefined)
      .setRequestView(o.requests ? "only" : json ? "also" : "off"),
  );
}
