/**
 * The tracing loop: waits for ptrace stops, keeps per-thread state, hands every syscall stop to
 * its decoder and prints strace's lines (`name(args) = result`, `<unfinished ...>`,
 * `--- SIGNAL {...} ---`, `+++ exited with N +++`).
 * @module
 */

import type { DecoderTable, FormatOptions, SyscallDecoder } from "../decoders/api.ts";
import { syscallByNr, unknownSyscallName } from "../decoders/syscall_table.ts";
import { errnoMessage, errorResult } from "../decoders/errno.ts";
import { signame } from "../decoders/signame.ts";
import { E, NR, PTRACE_EVENT, PTRACE_O, SIG, WAIT } from "../ffi/constants.ts";
import { libc } from "../ffi/libc.ts";
import * as pt from "../ffi/ptrace.ts";
import type { Filters } from "./filter.ts";
import type { Options } from "./options.ts";
import { message, Sink } from "./output.ts";
import { Summary } from "./summary.ts";
import { Tracee } from "./tracee.ts";
import { Clock } from "./clock.ts";
import { siginfoText } from "../decoders/siginfo.ts";
import type { StreamTap } from "./streams.ts";
import { hexDump, transfer } from "./io_bytes.ts";
import { TD, TF } from "../decoders/syscall_table.ts";
import { hexHalves, sdecHalves } from "../decoders/u64.ts";

const NONE: string[] = [];

/** Descriptor arguments of a syscall, for `-P` and `--trace-fds` (strace's pathtrace). */
function fdArgs(name: string, c: { args: { i(n: number): number } }): number[] {
  switch (name) {
    case "mmap":
      return [c.args.i(4)];
    case "dup2":
    case "dup3":
    case "sendfile":
    case "splice":
    case "tee":
    case "copy_file_range":
      return [c.args.i(0), c.args.i(name === "splice" || name === "copy_file_range" ? 2 : 1)];
    case "epoll_ctl":
      return [c.args.i(0), c.args.i(2)];
    default:
      return [c.args.i(0)];
  }
}

/** Resolves a `-P` path as strace does (symlinks followed when possible). */
function canonicalPath(p: string): string {
  try {
    return Deno.realPathSync(p);
  } catch {
    return p;
  }
}

/** What the tracer needs to run. */
export interface TracerConfig {
  /** Parsed options. */
  opts: Options;
  /** Parsed `-e` filters. */
  filters: Filters;
  /** Decoders by name (built-ins merged with plugins). */
  decoders: DecoderTable;
  /** Program name for messages (`sctrace`). */
  prog: string;
  /** The protocol tap, when `--proto` is on. */
  tap?: StreamTap;
  /** `-yy` socket lookup. */
  socketLookup?: (pid: number, inode: number) => string | undefined;
}

/** How the traced program ended, for sctrace's own exit. */
export interface Outcome {
  /** Exit code of the first (launched) process, if it exited. */
  exitCode?: number;
  /** Fatal signal of the first process, if it was killed. */
  signal?: number;
  /** Whether it dumped core. */
  core?: boolean;
}

/** The tracer. */
export class Tracer {
  private cfg: TracerConfig;
  private o: Options;
  private f: Filters;
  private fmt: FormatOptions;
  /**
   * The output options per syscall: index 1 = unabbreviated (`-v`, or outside `-e abbrev=`),
   * index 2 = structures not dereferenced (outside `-e verbose=`).
   */
  private fmtBy: FormatOptions[];
  private tracees = new Map<number, Tracee>();
  private mainSink: Sink;
  private sinks = new Map<number, Sink>();
  private summary = new Summary();
  private clock: Clock;
  /** The launched process, if any. */
  private leader = 0;
  private outcome: Outcome = {};
  private stopSignal = 0;
  private ptraceOptions: number;
  private lastRel = -1;
  private spin = 64;
  private stops = 0;
  private lastYield = 0;
  private useRusage: boolean;
  /** The signal that made us detach (0 if none). */
  stopCause = 0;
  /** `[signal, ack]` shared with the signal relay worker (see core/signal_relay.ts). */
  relayed?: Int32Array;
  /** Runs once, the first time the loop is about to block in waitpid (see core/cli.ts). */
  beforeFirstBlock?: () => Promise<void>;
  /** Set when the loop caught a bug of ours. */
  internalError = false;
  /** Status filters are on: lines are printed whole, at exit, once their status is known. */
  private held: boolean;
  private pathSet?: Set<string>;
  private fdSet?: Set<number>;

  /** Creates a tracer; output goes to stderr or the `-o` file. */
  constructor(cfg: TracerConfig) {
    this.cfg = cfg;
    this.o = cfg.opts;
    this.f = cfg.filters;
    this.fmt = {
      strsize: this.o.strsize,
      verbose: this.o.verbose,
      hexStrings: this.o.hexStrings,
      xlat: this.o.xlat,
      decodeFds: this.o.decodeFds,
    };
    this.fmtBy = [
      this.fmt,
      { ...this.fmt, verbose: true },
      { ...this.fmt, deref: false },
      { ...this.fmt, verbose: true, deref: false },
    ];
    this.mainSink = this.o.output && !this.o.separately
      ? openOutput(this.o.output, this.o.append)
      : new Sink(2);
    this.clock = new Clock();
    this.ptraceOptions = PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACEEXEC |
      (this.o.follow ? PTRACE_O.TRACEFORK | PTRACE_O.TRACEVFORK | PTRACE_O.TRACECLONE : 0) |
      (this.o.seccomp ? PTRACE_O.TRACESECCOMP : 0);
    this.useRusage = this.o.summary !== 0 && !this.o.summaryWall;
    if (this.o.successfulOnly) this.f.status = new Set(["successful"]);
    if (this.o.failedOnly) this.f.status = new Set(["failed"]);
    this.held = this.f.status.size < 5;
    if (this.o.paths.length) this.pathSet = new Set(this.o.paths.map(canonicalPath));
    if (this.o.traceFds !== undefined) {
      this.fdSet = new Set(this.o.traceFds.split(",").filter((x) => /^\d+$/.test(x)).map(Number));
    }
  }

  /** Takes a signal the relay worker recorded (acknowledging it); true if there was one. */
  private takeRelayed(): boolean {
    const sig = this.relayed ? Atomics.load(this.relayed, 0) : 0;
    if (!sig) return false;
    Atomics.store(this.relayed!, 1, 1);
    this.requestStop(sig);
    return true;
  }

  /** Asks the loop to stop (a signal arrived): detach from everything. */
  requestStop(sig: number): void {
    if (!this.stopSignal) this.stopSignal = sig;
  }

  /** The sink of a process: the shared output, or its own `-ff` file. */
  private sinkFor(pid: number): Sink {
    if (!this.o.separately) return this.mainSink;
    let s = this.sinks.get(pid);
    if (!s) {
      s = openOutput(`${this.o.output}.${pid}`, this.o.append);
      this.sinks.set(pid, s);
    }
    return s;
  }

  /** Starts keeping state for a new thread. */
  private addTracee(pid: number, tgid: number): Tracee {
    const t = new Tracee(pid, tgid, this.sinkFor(pid), this.fmt);
    if (this.cfg.socketLookup) t.fds.socketLookup = this.cfg.socketLookup;
    this.tracees.set(pid, t);
    return t;
  }

  /** Starts `command` under trace. Returns false (after printing why) if it cannot be started. */
  launch(pid: number): boolean {
    const st = pt.wait(pid, WAIT.WUNTRACED);
    if (st !== pid || !pt.status.stopped(pt.waitStatus[0])) {
      message(`${this.cfg.prog}: the command did not start`);
      return false;
    }
    const r = pt.seize(pid, this.ptraceOptions | PTRACE_O.EXITKILL);
    if (r < 0) {
      message(`${this.cfg.prog}: ptrace(PTRACE_SEIZE, ${pid}): ${errText(-r)}`);
      libc.kill(pid, SIG.SIGKILL);
      return false;
    }
    const t = this.addTracee(pid, pid);
    t.hidden = true;
    t.started = true;
    this.leader = pid;
    libc.kill(pid, SIG.SIGCONT);
    return true;
  }

  /** Attaches to a running process (and, with `-f`, all its threads). */
  attach(pid: number): string | undefined {
    const tids = this.o.follow ? listTasks(pid) : [pid];
    for (const tid of tids) {
      if (this.tracees.has(tid)) continue;
      const r = pt.seize(tid, this.ptraceOptions);
      if (r < 0) {
        if (tid === pid) return `attach: ptrace(PTRACE_SEIZE, ${pid}): ${errText(-r)}`;
        continue;
      }
      pt.interrupt(tid);
      const t = this.addTracee(tid, pid);
      t.attached = true;
      if (!this.o.quiet) {
        message(`${this.cfg.prog}: Process ${tid} attached`);
      }
    }
    return undefined;
  }

  /** Number of traced threads. */
  get count(): number {
    return this.tracees.size;
  }

  // ---- printing ----

  /** The line prefix: `[pid N]`/`N `, timestamps, `-n` number, `-i` address. */
  private leaderText(t: Tracee, ip?: string): string {
    let s = "";
    if (!this.o.separately) {
      if (this.o.output) {
        if (this.o.follow === 1 || this.tracees.size > 1) s += `${String(t.pid).padEnd(5)} `;
      } else if (this.tracees.size > 1) s += `[pid ${String(t.pid).padStart(5)}] `;
    }
    if (this.o.relative) {
      const now = this.clock.monoNs();
      const d = this.lastRel < 0 ? 0 : now - this.lastRel;
      this.lastRel = now;
      s += `${String(Math.floor(d / 1e9)).padStart(6)}.${
        String(Math.floor((d % 1e9) / 1e3)).padStart(6, "0")
      } `;
    } else if (this.o.timestamps) {
      s += this.clock.wallText(this.o.timestamps) + " ";
    }
    if (this.o.syscallNumbers && t.inSyscall) s += `[${String(t.call.nr).padStart(4)}] `;
    if (this.o.instructionPointer) s += `[${ip ?? t.ip}] `;
    return s;
  }

  /** Closes another process's open line before printing for `t`. */
  private claimLine(t: Tracee): void {
    const sink = t.sink;
    if (sink.openLine && sink.openLine !== t.pid) {
      const other = this.tracees.get(sink.openLine);
      sink.write(" <unfinished ...>\n");
      if (other) other.interrupted = true;
      sink.openLine = 0;
    }
  }

  /** Prints a whole line for `t` (signals, exits), cutting any open syscall line first. */
  private printLine(t: Tracee, text: string, ip?: string): void {
    this.claimLine(t);
    const sink = t.sink;
    if (sink.openLine === t.pid) {
      // Our own syscall line is open (e.g. a signal arrives mid-call): cut it.
      sink.write(" <unfinished ...>\n");
      t.interrupted = true;
      sink.openLine = 0;
    }
    sink.write(this.leaderText(t, ip) + text + "\n");
  }

  // ---- the loop ----

  /** Runs until no tracee is left. */
  async run(): Promise<Outcome> {
    while (this.tracees.size > 0) {
      if (this.stopSignal) {
        await this.detachAll();
        break;
      }
      const wait = this.useRusage ? pt.waitRusage : pt.wait;
      let pid = 0;
      for (let i = 0; i < this.spin; i++) {
        pid = wait(-1, WAIT.WNOHANG);
        if (pid !== 0) break;
        // A polite spin: when other tasks want this CPU (a loaded server), let them run.
        if ((i & 7) === 7) libc.sched_yield();
      }
      if (pid === 0) {
        if (this.spin > 8) this.spin >>= 1;
        this.flushAll();
        if (this.beforeFirstBlock) {
          const hook = this.beforeFirstBlock;
          this.beforeFirstBlock = undefined;
          await hook();
          continue;
        }
        // A signal came while we were busy: stop instead of blocking.
        if (this.takeRelayed()) continue;
        pid = wait(-1, 0);
      } else if (this.spin < 2048) {
        this.spin <<= 1;
      }
      if (pid < 0) {
        if (pid === -E.EINTR) {
          this.takeRelayed();
          await yieldToEvents();
          continue;
        }
        if (pid === -E.ECHILD) break;
        continue;
      }
      if (this.useRusage) this.clock.setStime(pid, pt.rusageStime());
      try {
        this.handle(pid, pt.waitStatus[0]);
      } catch (e) {
        // A bug of ours must not leave tracees stopped: report it, resume the stopped one, and
        // detach from everything.
        message(`${this.cfg.prog}: internal error: ${e instanceof Error ? e.message : e}`);
        if (pt.status.stopped(pt.waitStatus[0])) pt.syscall(pid, 0);
        this.internalError = true;
        this.requestStop(SIG.SIGTERM);
      }
      if ((++this.stops & 1023) === 0) {
        const now = performance.now();
        if (now - this.lastYield > 50) {
          this.lastYield = now;
          await yieldToEvents();
        }
      }
    }
    this.finish();
    return this.outcome;
  }

  /** Handles one `waitpid` status: exit, syscall stop, ptrace event or signal. */
  private handle(pid: number, s: number): void {
    let t = this.tracees.get(pid);
    if (pt.status.exited(s) || pt.status.signaled(s)) {
      if (t) this.reportExit(t, s);
      return;
    }
    if (!pt.status.stopped(s)) return;
    if (!t) {
      // A new child's first stop can come before its parent's fork event.
      t = this.addTracee(pid, pid);
      this.detectTgid(t);
      this.announce(t);
    }
    const sig = pt.status.stopSig(s);
    const ev = pt.status.event(s);
    if (sig === (SIG.SIGTRAP | 0x80)) {
      this.onSyscallStop(t);
      this.resume(t, 0);
      return;
    }
    if (ev) {
      this.onEvent(t, ev, sig);
      return;
    }
    // Signal-delivery stop.
    if (t.hidden) {
      this.resume(t, sig === SIG.SIGSTOP || sig === SIG.SIGCONT ? 0 : sig);
      return;
    }
    if (this.f.signals[sig] && this.o.summary !== 1 && this.o.quiet < 3) {
      let info = "";
      if (pt.getSiginfo(pid) === 0) info = " " + siginfoText(pt.siginfo, this.fmt.xlat);
      this.printLine(
        t,
        `--- ${signame(sig)}${info} ---`,
        this.o.instructionPointer ? regsIp(pid) : undefined,
      );
    }
    this.resume(t, sig);
  }

  /**
   * Restarts a stopped tracee. Once a tracee has shown a seccomp stop (its filter is on), it runs
   * with PTRACE_CONT between syscalls: the next traced call stops it with PTRACE_EVENT_SECCOMP.
   * Inside a syscall (and while the shim is hidden) PTRACE_SYSCALL, to see the exit stop.
   */
  private resume(t: Tracee, sig: number): void {
    // What we printed about this stop must be out before the tracee runs and writes its own output
    // (stderr is written once per stop, not once per piece of a line).
    this.mainSink.flushDirect();
    if (t.seccomp && !t.inSyscall && !t.hidden) pt.cont(t.pid, sig);
    else pt.syscall(t.pid, sig);
  }

  /** Handles a ptrace event stop (seccomp, group-stop, fork, exec). */
  private onEvent(t: Tracee, ev: number, sig: number): void {
    const pid = t.pid;
    switch (ev) {
      case PTRACE_EVENT.SECCOMP:
        // Since Linux 4.8 the seccomp stop comes after the syscall-entry stop when the tracee was
        // restarted with PTRACE_SYSCALL: then the entry is already handled. Otherwise the seccomp
        // stop is the entry (PTRACE_GET_SYSCALL_INFO op 3, laid out as an entry).
        t.seccomp = true;
        if (!t.inSyscall) this.onSyscallStop(t);
        this.mainSink.flushDirect();
        pt.syscall(pid, 0);
        return;
      case PTRACE_EVENT.STOP:
        if (
          sig === SIG.SIGSTOP || sig === SIG.SIGTSTP || sig === SIG.SIGTTIN || sig === SIG.SIGTTOU
        ) {
          if (!t.hidden && t.started && this.o.summary !== 1) {
            this.printLine(t, `--- stopped by ${signame(sig)} ---`);
          }
          if (t.hidden || !t.started) {
            t.started = true;
            this.resume(t, 0);
          } else {
            this.mainSink.flushDirect();
            pt.listen(pid);
          }
          return;
        }
        t.started = true;
        this.resume(t, 0);
        return;
      case PTRACE_EVENT.FORK:
      case PTRACE_EVENT.VFORK:
      case PTRACE_EVENT.CLONE:
        // The child is adopted at its own first stop, as strace does (it may even come first).
        this.resume(t, 0);
        return;
      case PTRACE_EVENT.EXEC: {
        const former = pt.getEventMsg(pid);
        if (former > 0 && former !== pid) this.threadExec(t, former);
        this.resume(t, 0);
        return;
      }
      default:
        this.resume(t, 0);
    }
  }

  /**
   * A non-leader thread called execve: the kernel destroyed the other threads and gave the
   * exec'ing thread the leader's pid. The old leader's pending call never returns; the thread's
   * state carries on under the leader's pid.
   */
  private threadExec(leader: Tracee, former: number): void {
    const thread = this.tracees.get(former);
    if (leader.inSyscall && leader.printing && !leader.hidden) {
      const sink = leader.sink;
      if (sink.openLine === leader.pid && !leader.interrupted) sink.write(") ");
      else {
        this.claimLine(leader);
        sink.write(this.leaderText(leader) + `<... ${leader.call.name} resumed>) `);
      }
      sink.openLine = 0;
      sink.padTo(this.o.column);
      sink.write("= ?\n");
    }
    this.tracees.delete(leader.pid);
    if (!this.o.quiet) this.printLine(leader, `+++ superseded by execve in pid ${former} +++`);
    if (!thread) return;
    this.tracees.delete(former);
    if (thread.sink.openLine === former) thread.sink.openLine = leader.pid;
    thread.renumber(leader.pid);
    this.tracees.set(leader.pid, thread);
  }

  /** strace announces every process it starts following under -f (unless -q). */
  private announce(t: Tracee): void {
    if (!t.hidden && !this.o.quiet) message(`${this.cfg.prog}: Process ${t.pid} attached`);
  }

  /** Reads a thread's thread-group id from `/proc/PID/status`. */
  private detectTgid(t: Tracee): void {
    try {
      const st = Deno.readTextFileSync(`/proc/${t.pid}/status`);
      const m = /\nTgid:\s*(\d+)/.exec(st);
      if (m) t.tgid = Number(m[1]);
    } catch {
      // gone already
    }
  }

  /** The decoder registered under `name` (built-in or plugin). */
  private decoderFor(name: string): SyscallDecoder | undefined {
    return this.cfg.decoders[name];
  }

  /** Decodes and prints a syscall entry or exit stop. */
  private onSyscallStop(t: Tracee): void {
    const op = pt.getSyscallInfo(t.pid);
    const info = pt.syscallInfo;
    const c = t.call;
    if (op === 1 || op === 3) {
      // Entry (or seccomp stop, which is an entry).
      const nr = info[6];
      const hiNr = info[7];
      if (t.hidden) {
        if ((nr === NR.execve || nr === NR.execveat) && hiNr === 0) t.hidden = false;
        else {
          t.inSyscall = true;
          t.printing = false;
          t.counted = false;
          return;
        }
      }
      t.inSyscall = true;
      t.interrupted = false;
      c.nr = hiNr === 0 ? nr : -1;
      c.exiting = false;
      c.errno = 0;
      c.sp = info[5] * 4294967296 + info[4];
      if (this.o.instructionPointer) t.ip = ipText();
      const w = c.args.w;
      for (let k = 0; k < 12; k++) w[k] = info[8 + k];
      const sc = hiNr === 0 ? syscallByNr(nr) : undefined;
      t.info = sc;
      c.name = sc ? sc.name : unknownSyscallName(hiNr ? (BigInt(hiNr) << 32n) | BigInt(nr) : nr);
      const traced = sc ? this.f.trace[nr] === 1 : true;
      t.counted = traced && this.o.summary !== 0;
      t.printing = traced && this.o.summary !== 1 && this.pathMatches(t);
      if (t.counted || this.o.syscallTimes) {
        t.entryMs = performance.now();
      }
      if (t.counted && !this.o.summaryWall) t.entryStime = this.clock.cpuMicros(t);
      if (!t.printing && !this.cfg.tap) return;
      t.raw = this.f.raw[nr] === 1;
      // -e abbrev=SET: syscalls outside SET are printed unabbreviated, as with -v.
      c.opts = this.fmtBy[
        (this.o.verbose || (sc && this.f.abbrev[nr] === 0) ? 1 : 0) |
        (sc && this.f.verbose[nr] === 0 ? 2 : 0)
      ];
      const dec = t.raw ? undefined : this.decoderFor(sc ? sc.decoder : "");
      t.decoder = dec;
      c.state = {};
      if (!t.printing) return;
      let text: string;
      if (c.name === "restart_syscall") {
        text = `<... resuming interrupted ${t.lastName} ...>`;
      } else if (dec) {
        text = safe(() => (dec.enter ? dec.enter(c) : ""), () => rawArgs(c.args, sc?.nargs ?? 6));
      } else text = rawArgs(c.args, sc ? sc.nargs : 6);
      t.entryText = text;
      if (this.held) {
        // Status filters need the result before anything is printed: hold the line.
        return;
      }
      this.claimLine(t);
      t.sink.write(this.leaderText(t) + c.name + "(" + text);
      t.sink.openLine = t.pid;
      return;
    }
    if (op !== 2) return;
    // Exit stop.
    if (!t.inSyscall) return; // e.g. right after an attach
    t.inSyscall = false;
    if (t.hidden) return;
    c.exiting = true;
    c.rvalLo = info[6];
    c.rvalHi = info[7];
    const isError = (info[8] & 0xff) !== 0;
    c.errno = isError ? -c.rval : 0;
    t.lastName = c.name;
    if (t.counted) {
      const micros = this.o.summaryWall
        ? (performance.now() - t.entryMs) * 1000
        : this.clock.cpuMicros(t) - t.entryStime;
      this.summary.add(c.nr, c.name, micros, isError);
    }
    const protoLines = this.cfg.tap && !isError && t.info ? this.cfg.tap.onSyscall(t, c) : NONE;
    if (!t.printing) {
      for (const l of protoLines) this.printLine(t, l);
      return;
    }
    const dec = t.decoder;
    let text = "";
    if (dec?.exit) text = safe(() => dec.exit!(c), () => "");
    let result: string;
    if (isError) {
      result = errorResult(c.errno);
    } else {
      const r = dec?.result ? safe(() => dec.result!(c), () => undefined) : undefined;
      // -e raw= prints it as `%#lx` (`0`, not `0x0`); else signed decimal, exactly.
      result = r ?? (t.raw ? hexHalves(c.rvalLo, c.rvalHi) : sdecHalves(c.rvalLo, c.rvalHi));
    }
    const sink = t.sink;
    if (this.held) {
      if (!this.f.status.has(isError ? "failed" : "successful")) return;
      this.claimLine(t);
      sink.write(this.leaderText(t) + c.name + "(" + t.entryText + text);
    } else if (sink.openLine === t.pid && !t.interrupted) {
      sink.write(text);
    } else {
      this.claimLine(t);
      sink.write(this.leaderText(t) + `<... ${c.name} resumed>` + text);
    }
    sink.openLine = 0;
    sink.write(") ");
    sink.padTo(this.o.column);
    let line = "= " + result;
    if (this.o.syscallTimes) line += " <" + secondsText(performance.now() - t.entryMs) + ">";
    sink.write(line + "\n");
    if (!isError && (this.f.readFds.size || this.f.writeFds.size)) this.dumpIo(t);
    for (const l of protoLines) this.printLine(t, l);
  }

  /** `-e read=`/`-e write=` hex dumps after a successful transfer. */
  private dumpIo(t: Tracee): void {
    const tr = safe(() => transfer(t.call), () => undefined);
    if (!tr) return;
    if (!(tr.dir === "in" ? this.f.readFds : this.f.writeFds).has(tr.fd)) return;
    for (const chunk of tr.chunks) {
      if (chunk.length) t.sink.write(hexDump(chunk));
    }
  }

  /** `-P PATH` and `--trace-fds`: whether the current syscall touches a traced path or fd. */
  private pathMatches(t: Tracee): boolean {
    if (!this.pathSet && !this.fdSet) return true;
    const info = t.info;
    if (!info) return false;
    const c = t.call;
    const fds = (info.classes & TD) || info.name === "mmap" ? fdArgs(info.name, c) : [];
    if (this.fdSet && fds.some((fd) => this.fdSet!.has(fd))) return true;
    if (!this.pathSet) return false;
    for (const fd of fds) {
      const p = t.fds.path(fd);
      if (p !== undefined && this.pathSet.has(p)) return true;
    }
    if (info.classes & TF) {
      for (let i = 0; i < info.nargs; i++) {
        const v = c.args.u(i);
        if (v < 65536) continue;
        const str = c.mem.readCString(v, 4096);
        if (!str || !str.terminated) continue;
        const p = new TextDecoder().decode(str.bytes);
        if (this.pathSet.has(p)) return true;
        if (!p.startsWith("/")) {
          const cwd = t.fds.cwd();
          if (cwd && this.pathSet.has(`${cwd}/${p}`)) return true;
        }
      }
    }
    return false;
  }

  /** Prints `= ?` for a call that never returned and `+++ exited/killed +++`. */
  private reportExit(t: Tracee, s: number): void {
    const sink = t.sink;
    if (t.inSyscall && t.printing && !t.hidden && this.held) {
      // Held lines (status filters): a call that never returned is "unfinished".
      if (this.f.status.has("unfinished")) {
        this.claimLine(t);
        sink.write(this.leaderText(t) + t.call.name + "(" + t.entryText + ") ");
        sink.padTo(this.o.column);
        sink.write("= ?\n");
      }
    } else if (t.inSyscall && t.printing && !t.hidden) {
      // exit/exit_group never return: strace prints `= ?`.
      if (sink.openLine === t.pid && !t.interrupted) {
        sink.write(") ");
      } else {
        this.claimLine(t);
        sink.write(this.leaderText(t) + `<... ${t.call.name} resumed>) `);
      }
      sink.openLine = 0;
      sink.padTo(this.o.column);
      sink.write("= ?\n");
    }
    const isLeaderThread = t.pid === t.tgid;
    if (pt.status.exited(s)) {
      if (t.pid === this.leader) this.outcome.exitCode = pt.status.exitCode(s);
      if (this.o.summary !== 1 && this.o.quiet < 2 && (isLeaderThread || this.o.follow)) {
        this.printLine(t, `+++ exited with ${pt.status.exitCode(s)} +++`, UNKNOWN_IP);
      }
    } else {
      const sig = pt.status.termSig(s);
      if (t.pid === this.leader) {
        this.outcome.signal = sig;
        this.outcome.core = pt.status.coreDumped(s);
      }
      if (this.o.summary !== 1 && this.o.quiet < 2 && (isLeaderThread || this.o.follow)) {
        this.printLine(
          t,
          `+++ killed by ${signame(sig)}${pt.status.coreDumped(s) ? " (core dumped)" : ""} +++`,
          UNKNOWN_IP,
        );
      }
    }
    this.tracees.delete(t.pid);
    if (this.o.separately) {
      t.sink.flush();
    }
  }

  /** Writes out every buffered sink. */
  private flushAll(): void {
    this.mainSink.flush();
    for (const s of this.sinks.values()) s.flush();
  }

  /** Detaches from every tracee (on SIGINT/SIGTERM/…), leaving none stopped. */
  private async detachAll(): Promise<void> {
    const sig = this.stopSignal;
    if (!this.internalError) this.stopCause = sig;
    // After an internal error every tracee is detached, ours included: never killed by our bug.
    if (this.internalError) { for (const t of this.tracees.values()) t.attached = true; }
    // Processes we started get the signal we got, as strace does.
    for (const t of this.tracees.values()) {
      if (!t.attached && t.pid === t.tgid) libc.kill(t.pid, sig);
    }
    // Attached ones are detached one by one, in attach order, as strace does.
    for (const t of [...this.tracees.values()]) {
      if (t.attached && this.tracees.has(t.pid)) await this.detachOne(t);
    }
    // Launched processes: keep tracing them until they die.
    if (this.tracees.size) {
      this.stopSignal = 0;
      while (this.tracees.size > 0) {
        const pid = pt.wait(-1, 0);
        if (pid < 0) {
          if (pid === -E.ECHILD) break;
          continue;
        }
        this.handle(pid, pt.waitStatus[0]);
      }
    }
  }

  /** Stops one attached tracee with PTRACE_INTERRUPT and detaches it at that stop. */
  private async detachOne(t: Tracee): Promise<void> {
    if (pt.interrupt(t.pid) !== 0) {
      this.forget(t);
      return;
    }
    const deadline = performance.now() + 2000;
    while (performance.now() < deadline) {
      const r = pt.wait(t.pid, WAIT.WNOHANG);
      if (r === 0) {
        await new Promise((res) => setTimeout(res, 1));
        continue;
      }
      if (r < 0) break;
      const s = pt.waitStatus[0];
      if (pt.status.exited(s) || pt.status.signaled(s)) {
        this.reportExit(t, s);
        return;
      }
      if (!pt.status.stopped(s)) continue;
      const stopSig = pt.status.stopSig(s);
      // A pending signal-delivery stop keeps its signal; other stops deliver nothing.
      const deliver = pt.status.event(s) === 0 && stopSig !== (SIG.SIGTRAP | 0x80) ? stopSig : 0;
      pt.detach(t.pid, deliver);
      break;
    }
    // (On a timeout the kernel detaches it when we exit.)
    this.forget(t);
    if (t.inSyscall && t.printing && t.sink.openLine === t.pid) {
      t.sink.write(" <detached ...>\n");
      t.sink.openLine = 0;
    }
  }

  /** Drops a detached tracee, saying `Process N detached` unless `-q`. */
  private forget(t: Tracee): void {
    if (t.attached && !this.o.quiet) {
      message(`${this.cfg.prog}: Process ${t.pid} detached`);
    }
    this.tracees.delete(t.pid);
  }

  /** Prints the summaries and closes the sinks. */
  private finish(): void {
    if (this.o.summary) {
      const text = this.summary.format(this.o.sortBy, this.o.summaryColumns);
      this.mainSink.write(text);
    }
    this.cfg.tap?.finish(this.mainSink);
    this.flushAll();
    this.mainSink.close();
    for (const s of this.sinks.values()) s.close();
  }
}

/** Lets the event loop run (signal listeners, timers). */
function yieldToEvents(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

function openOutput(path: string, append: boolean): Sink {
  return Sink.open(path, append);
}

/** strace's `printargs`: every argument as `%#lx`. */
function rawArgs(a: { hex(n: number): string }, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(a.hex(i));
  return parts.join(", ");
}

/** Runs a decoder; a throwing decoder falls back to raw output (decoders must never break us). */
function safe<T>(fn: () => T, fallback: () => T): T {
  try {
    return fn();
  } catch {
    return fallback();
  }
}

function secondsText(ms: number): string {
  const us = Math.max(0, Math.round(ms * 1000));
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`;
}

/** What strace prints for `-i` when the process is gone. */
const UNKNOWN_IP = "????????????????";

/** The instruction pointer of a stopped tracee, from its registers. */
function regsIp(pid: number): string {
  if (pt.getRegs(pid) !== 0) return UNKNOWN_IP;
  return pt.regs[33].toString(16).padStart(8, "0") + pt.regs[32].toString(16).padStart(8, "0");
}

function ipText(): string {
  const lo = pt.syscallInfo[2];
  const hi = pt.syscallInfo[3];
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

/** Thread ids of a process, from `/proc/PID/task`. */
function listTasks(pid: number): number[] {
  try {
    const tids = [...Deno.readDirSync(`/proc/${pid}/task`)].map((e) => Number(e.name));
    tids.sort((a, b) => (a === pid ? -1 : b === pid ? 1 : a - b));
    return tids;
  } catch {
    return [pid];
  }
}

/** strerror for tracer messages. */
export function errText(e: number): string {
  return errnoMessage(e) ?? `Unknown error ${e}`;
}
