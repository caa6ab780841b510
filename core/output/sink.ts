/**
 * Trace output: one {@linkcode Sink} per destination (stderr, the `-o` file or `|command`, or one
 * file per process with `-ff`). A sink tracks the column of its current line (for the `= `
 * alignment) and which process owns an unfinished line (for `<unfinished ...>`).
 *
 * stderr is flushed before every tracee restart (and before tracer messages), so the trace
 * interleaves with the tracee's own output exactly as strace's does; files and pipes are
 * buffered and flushed when full and whenever the tracer goes idle.
 *
 * Write errors are handled as strace handles them (it flushes its stdio stream at the end of
 * every line and reports a failed flush with `perror_msg("%s", outfname)`):
 * - on a file or pipe, every trace line that could not be written gives one
 *   `sctrace: NAME: strerror` message, and tracing goes on; errors on stderr are silent;
 * - a closed pipe (EPIPE) where strace would die of SIGPIPE (its "interactive" modes: the trace on
 *   stderr, or `-p` without a command) calls the handler given to {@linkcode configureOutput}
 *   (the tracer detaches from everything) and {@linkcode brokenPipe} turns true (sctrace then
 *   ends by SIGPIPE, as strace does); elsewhere strace ignores SIGPIPE, and so do we.
 * @module
 */

import { errno, libc } from "../../ffi/libc.ts";
import { E } from "../../ffi/constants.ts";
import { closeFd, openForWrite, waitChild } from "../../ffi/fileio.ts";
import { spawnPipeReader } from "../../ffi/spawn.ts";
import { errnoMessage } from "../../decoders/errno.ts";
import { buildEnv } from "../cli/command.ts";

const encoder = new TextEncoder();
const EPIPE = 32;
const NEWLINE = 10;

/** Sinks writing to a terminal/pipe descriptor: flushed before a tracer message, for order. */
const directSinks = new Set<Sink>();

/** The program name in messages. */
let prog = "sctrace";
/** Called on the first EPIPE when strace would have died of SIGPIPE. */
let onEpipe: (() => void) | undefined;
/** An EPIPE was met while {@linkcode onEpipe} was set. */
let epipeSeen = false;
/** Pids of `-o '|command'` shells, and whether each has been reaped. */
const pipeChildren = new Map<number, boolean>();

/** strerror as strace prints it. */
export function strerror(e: number): string {
  return errnoMessage(e) ?? `Unknown error ${e}`;
}

/**
 * Sets how output faults are reported: the program name for messages, and what to do on a closed
 * pipe when strace would die of SIGPIPE (`undefined`: strace ignores SIGPIPE in this mode).
 */
export function configureOutput(program: string, onBrokenPipe?: () => void): void {
  prog = program;
  onEpipe = onBrokenPipe;
}

/** Whether a write met a closed pipe where strace dies of SIGPIPE: sctrace must end by it. */
export function brokenPipe(): boolean {
  return epipeSeen;
}

/**
 * Whether `pid` is the shell of `-o '|command'` (never a tracee: the tracer's `waitpid(-1)` may
 * reap it, and must ignore it). Records that it was reaped when `status` says it ended.
 */
export function isOutputChild(pid: number, status: number): boolean {
  if (!pipeChildren.has(pid)) return false;
  if ((status & 0xff) !== 0x7f) pipeChildren.set(pid, true);
  return true;
}

/** A failure to open the output: `message` is what strace prints (after `sctrace: `). */
export class OutputError extends Error {}

/** The number of characters of SGR escape sequences (`ESC[…m`) in `s`. */
function sgrLength(s: string): number {
  if (!s.includes("\x1b")) return 0;
  let n = 0;
  // deno-lint-ignore no-control-regex
  for (const m of s.matchAll(/\x1b\[[0-9;]*m/g)) n += m[0].length;
  return n;
}

/** An output destination. */
export class Sink {
  /** The column of the current line. */
  col = 0;
  /**
   * `--color`: text written may hold SGR escape sequences, which take no column (as strace 7's
   * `tprints_string_uncol`); set by the text printer when its palette is enabled.
   */
  ansi = false;
  /** The id (pid) of the process whose line is open (entry printed, exit not yet), or 0. */
  openLine = 0;
  /** The name in error messages (`-o`'s argument, `FILE.PID`); undefined for stderr (silent). */
  readonly name?: string;
  private fd: number;
  private child: number;
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private direct: boolean;
  private silent = false;

  /**
   * Wraps a descriptor: 2 (stderr, flushed at every stop) unless `name` is given (a file or
   * pipe, buffered, whose write errors are reported under `name`); -1 discards everything.
   * `child` is the pid of a `|command` shell to wait for on close.
   */
  constructor(fd: number, name?: string, child = 0) {
    this.fd = fd;
    this.name = name;
    this.child = child;
    this.direct = name === undefined && fd >= 0;
    if (this.direct) directSinks.add(this);
  }

  /** Opens a file sink (`-o`), truncating unless `append`; throws {@linkcode OutputError}. */
  static open(path: string, append: boolean, name: string = path): Sink {
    const fd = openForWrite(path, append);
    if (fd < 0) throw new OutputError(`Can't fopen '${path}': ${strerror(-fd)}`);
    return new Sink(fd, name);
  }

  /**
   * Pipes the trace to `sh -c command` (`-o '|command'` or `-o '!command'`, whole argument as
   * `name`); throws {@linkcode OutputError} if the shell cannot be started.
   */
  static pipe(command: string, name: string): Sink {
    const r = spawnPipeReader(command, buildEnv([]));
    if (typeof r === "number") throw new OutputError(`Can't execute '/bin/sh': ${strerror(-r)}`);
    pipeChildren.set(r.pid, false);
    return new Sink(r.fd, name, r.pid);
  }

  /** A sink that drops everything (a process whose `-ff` file could not be opened). */
  static discard(): Sink {
    return new Sink(-1, "");
  }

  /** Appends text, tracking the column. */
  write(s: string): void {
    const nl = s.lastIndexOf("\n");
    this.col = nl < 0 ? this.col + s.length : s.length - nl - 1;
    if (this.ansi) this.col -= sgrLength(nl < 0 ? s : s.slice(nl + 1));
    if (this.len + s.length * 3 > this.buf.length) {
      this.flush();
      if (s.length * 3 > this.buf.length) {
        this.rawWrite(encoder.encode(s));
        return;
      }
    }
    const r = encoder.encodeInto(s, this.buf.subarray(this.len));
    this.len += r.written;
  }

  /** Flushes a stderr sink (the tracer calls this before a tracee runs again). */
  flushDirect(): void {
    if (this.direct && this.len) this.flush();
  }

  /** Pads the current line with spaces up to `column`. */
  padTo(column: number): void {
    if (this.col < column) this.write(" ".repeat(column - this.col));
  }

  /** Writes buffered bytes out. */
  flush(): void {
    if (this.len === 0) return;
    const n = this.len;
    this.len = 0;
    this.rawWrite(this.buf.subarray(0, n));
  }

  /** Writes bytes out, retrying short writes; what cannot be written is dropped and reported. */
  private rawWrite(bytes: Uint8Array): void {
    if (this.fd < 0) return;
    let off = 0;
    while (off < bytes.length) {
      const n = libc.write(
        this.fd,
        bytes.subarray(off) as Uint8Array<ArrayBuffer>,
        BigInt(bytes.length - off),
      );
      if (n > 0) {
        off += n;
        continue;
      }
      const e = n < 0 ? errno() : E.EIO;
      if (e === E.EINTR) continue;
      this.fault(bytes.subarray(off), e);
      return;
    }
  }

  /**
   * `unwritten` could not be written (errno `e`). strace flushes each line when it ends and
   * reports each failed flush: one message per line end lost (a line's beginning, flushed at
   * syscall entry, is not checked there either).
   */
  private fault(unwritten: Uint8Array, e: number): void {
    let lines = 0;
    for (let i = 0; i < unwritten.length; i++) if (unwritten[i] === NEWLINE) lines++;
    if (e === EPIPE && onEpipe) {
      // strace's SIGPIPE handler stops it at once: at most the line being written is reported.
      if (epipeSeen) lines = 0;
      else lines = Math.min(lines, 1);
      epipeSeen = true;
      onEpipe();
    }
    if (this.name === undefined || this.silent) return;
    const text = `${prog}: ${this.name}: ${strerror(e)}`;
    for (let i = 0; i < lines; i++) message(text);
  }

  /**
   * Flushes and closes the sink; a `|command` shell is then waited for (strace's `terminate`).
   * Errors here go unreported, as with strace's final `fclose`.
   */
  close(): void {
    this.silent = true;
    this.flush();
    if (this.fd >= 0 && !this.direct) {
      closeFd(this.fd);
      this.fd = -1;
    }
    if (this.child && pipeChildren.get(this.child) === false) {
      waitChild(this.child);
      pipeChildren.set(this.child, true);
    }
    this.child = 0;
  }
}

/** Writes a tracer message (`sctrace: …`) to stderr at once. */
export function message(text: string): void {
  for (const s of directSinks) s.flush();
  const b = encoder.encode(text + "\n");
  if (libc.write(2, b, BigInt(b.length)) < 0 && errno() === EPIPE && onEpipe) {
    epipeSeen = true;
    onEpipe();
  }
}
