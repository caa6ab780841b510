/**
 * The tracing loop: waits for ptrace stops, keeps per-thread state, hands every syscall stop to
 * its decoder and turns each stop into events (`core/events/types.ts`) for the printers and
 * observers on the event bus: a syscall's entry and exit, signals, stops, exits and kills,
 * attaches and detaches, protocol messages. It prints nothing itself (`core/output/` does).
 * @module
 */

import type { DecoderTable, FormatOptions, SyscallDecoder } from "../../decoders/api.ts";
import { syscallByNr, unknownSyscallName } from "../../decoders/syscall_table.ts";
import { errnoIsRestart, errnoMessage, errnoName, errorResult } from "../../decoders/errno.ts";
import { signame } from "../../decoders/signame.ts";
import { E, NR, PTRACE_EVENT, PTRACE_O, SIG, WAIT } from "../../ffi/constants.ts";
import { libc } from "../../ffi/libc.ts";
import * as pt from "../../ffi/ptrace.ts";
import type { Filters } from "../cli/filter.ts";
import type { Options } from "../cli/options.ts";
import { isOutputChild, message, strerror } from "../output/sink.ts";
import type { Summary } from "../output/summary.ts";
import { Tracee } from "./tracee.ts";
import { Clock } from "./clock.ts";
import { siginfoValue } from "../../decoders/siginfo.ts";
import type { StreamTap } from "../decode/streams.ts";
import { dumpTransfer } from "../decode/io_bytes.ts";
import { TD, TF } from "../../decoders/syscall_table.ts";
import { injectedNote, type Poke } from "./inject.ts";
import { pokeMemory, setReturnValue, setSyscallNumber } from "../../ffi/tamper.ts";

import type { StackTraces } from "./stack/mod.ts";
import type { TlsHooks } from "./tls/mod.ts";
import { Waiter } from "./wait.ts";
import { hexHalves, sdecHalves } from "../../decoders/u64.ts";
import { type Args, callValues, V, type Value, whole } from "../../decoders/value.ts";
import type { EventSink, ProtoPayload, SyscallReturn, TraceEvent } from "../events/types.ts";

const NONE: (string | ProtoPayload)[] = [];
const NO_VALUES: readonly Value[] = [];
/** The wall clock at `performance.now()`'s origin, in seconds. */
const TIME_ORIGIN = performance.timeOrigin / 1000;

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
  /** `-k`: the stack unwinder. */
  stacks?: StackTraces;
  /** Where events go (the event bus: printers, observers). */
  out: EventSink;
  /** `-c`/`-C`: the counters (printed by the printer at the end). */
  summary: Summary;
  /** Do not say `Process N attached/detached` (`--json`: the attach/detach events say it). */
  silentAttach?: boolean;
  /** TLS plaintext (`--proto` without `--no-tls`): breakpoints on OpenSSL (core/trace/tls). */
  tls?: TlsHooks;
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
  private out: EventSink;
  private summary: Summary;
  private clock: Clock;
  /** The launched process, if any. */
  private leader = 0;
  private outcome: Outcome = {};
  private stopSignal = 0;
  private ptraceOptions: number;
  /** Tracees when the loop started (strace's `print_pid_pfx` for `-o FILE`). */
  startCount = 0;
  private waiter = new Waiter();
  private stops = 0;
  private lastYield = 0;
  private useRusage: boolean;
  /** The signal that made us detach (0 if none). */
  stopCause = 0;
  /** `[signal, ack]` shared with the signal relay worker (see core/trace/signal_relay.ts). */
  relayed?: Int32Array;
  /** Runs once, the first time the loop is about to block in waitpid (see core/cli/main.ts). */
  beforeFirstBlock?: () => Promise<void>;
  /** Set when the loop caught a bug of ours. */
  internalError = false;
  /**
   * Set when a `-ff` file could not be opened: strace's `die()` (detach, exit 1). The printer
   * calls {@linkcode Tracer.outputFailure}.
   */
  outputFailed = false;
  /** Status filters are on: lines are printed whole, at exit, once their status is known. */
  private held: boolean;
  private pathSet?: Set<string>;
  private fdSet?: Set<number>;
  /** Threads held at a syscall stop by `-e inject=…:delay_enter=/delay_exit=` until `resumeAt`. */
  private delayed = new Set<Tracee>();
  /** Set while detaching: delays are not honoured any more. */
  private noDelays = false;

  /** Creates a tracer; its events go to `cfg.out`. */
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
    this.out = cfg.out;
    this.summary = cfg.summary;
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

  /** Asks the loop to detach from everything quietly (`--live`'s `q`): no signal to anyone, status 0. */
  requestDetach(): void {
    if (!this.stopSignal) this.stopSignal = -1;
  }

  /**
   * A `-ff` file could not be opened: the trace ends as strace's `die()` ends it (the printer has
   * said why): detach from everything (a command we started gets SIGTERM), then exit 1.
   */
  outputFailure(): void {
    this.outputFailed = true;
    this.requestStop(SIG.SIGTERM);
  }

  /** Starts keeping state for a new thread (its attach event goes out). */
  private addTracee(pid: number, tgid: number, origin: Tracee["origin"]): Tracee {
    const t = new Tracee(pid, tgid, this.fmt);
    t.origin = origin;
    if (this.cfg.socketLookup) t.fds.socketLookup = this.cfg.socketLookup;
    this.tracees.set(pid, t);
    const mono = performance.now() / 1000;
    this.out.event({ type: "attach", pid, tgid, time: this.wall(mono), mono, origin });
    return t;
  }

  /** Wall-clock seconds of a stop at `mono` (exactly the clock's with `-t`, for its text). */
  private wall(mono: number): number {
    return this.o.timestamps ? this.clock.wallSeconds() : TIME_ORIGIN + mono;
  }

  /** The fields every event of `t` has, stamped now. */
  private base(t: Tracee): { pid: number; tgid: number; time: number; mono: number } {
    const mono = performance.now() / 1000;
    return { pid: t.pid, tgid: t.tgid, time: this.wall(mono), mono };
  }

  /** Hands an event to the bus. */
  private emit(e: TraceEvent): void {
    this.out.event(e);
  }

  /** `-n`/`-i` context of a line that is not a syscall's: the last syscall's number, the address. */
  private lineHints(t: Tracee, ip?: string): { lastNr?: number; ip?: string } {
    return {
      lastNr: this.o.syscallNumbers ? t.call.nr : undefined,
      ip: this.o.instructionPointer ? (ip ?? t.ip) : undefined,
    };
  }

  /** Starts `command` under trace. Returns false (after printing why) if it cannot be started. */
  launch(pid: number): boolean {
    const st = pt.wait(pid, WAIT.WUNTRACED);
    if (st !== pid || !pt.status.stopped(pt.waitStatus[0])) {
      message(`${this.cfg.prog}: the command did not start`);
      return false;
    }
    // No PTRACE_O_EXITKILL (strace 6.1 sets none): if sctrace dies, its tracees run on untraced.
    const r = pt.seize(pid, this.ptraceOptions);
    if (r < 0) {
      message(`${this.cfg.prog}: ptrace(PTRACE_SEIZE, ${pid}): ${errText(-r)}`);
      libc.kill(pid, SIG.SIGKILL);
      return false;
    }
    const t = this.addTracee(pid, pid, "launched");
    t.hidden = true;
    t.started = true;
    this.leader = pid;
    libc.kill(pid, SIG.SIGCONT);
    return true;
  }

  /** Attaches to a running process (and, with `-f`, all its threads). */
  attach(pid: number): string | undefined {
    const tids = this.o.follow ? listTasks(pid) : [pid];
    let threads = 0;
    for (const tid of tids) {
      if (this.tracees.has(tid) || this.outputFailed) continue;
      const r = pt.seize(tid, this.ptraceOptions);
      if (r < 0) {
        if (tid === pid) return `attach: ptrace(PTRACE_SEIZE, ${pid}): ${errText(-r)}`;
        continue;
      }
      pt.interrupt(tid);
      this.addTracee(tid, pid, "attached");
      threads++;
    }
    // strace's startup_attach(): one line per process, with its thread count under -f.
    if (threads && !this.o.quiet && !this.outputFailed && !this.cfg.silentAttach) {
      message(
        `${this.cfg.prog}: Process ${pid} attached` +
          (threads > 1 ? ` with ${threads} threads` : ""),
      );
    }
    return undefined;
  }

  /** Number of traced threads. */
  get count(): number {
    return this.tracees.size;
  }

  // ---- the loop ----

  /** Runs until no tracee is left. */
  async run(): Promise<Outcome> {
    this.startCount = this.tracees.size;
    while (this.tracees.size > 0) {
      if (this.stopSignal) {
        await this.detachAll();
        break;
      }
      if (this.delayed.size) this.resumeDue();
      const wait = this.useRusage ? pt.waitRusage : pt.wait;
      let pid = this.waiter.poll(wait);
      if (pid === 0) {
        this.out.flush?.(true);
        if (this.beforeFirstBlock) {
          const hook = this.beforeFirstBlock;
          this.beforeFirstBlock = undefined;
          await hook();
          continue;
        }
        // A signal came while we were busy: stop instead of blocking.
        if (this.takeRelayed()) continue;
        if (this.delayed.size) {
          // Threads held by an injected delay: poll, sleeping until the next one is due.
          const next = this.resumeDue();
          if (next > 0) await new Promise((r) => setTimeout(r, Math.min(next, 2)));
          continue;
        }
        pid = wait(-1, 0);
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
      this.waiter.stopped(pid);
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
    if (isOutputChild(pid, s)) return; // the `-o '|cmd'` shell: ours, never traced
    let t = this.tracees.get(pid);
    if (pt.status.exited(s) || pt.status.signaled(s)) {
      if (t) {
        this.cfg.tls?.onGone(t); // TLS hook (core/trace/tls): forget the thread's SSL calls
        // A child that died before its first stop (killed at once by its parent, as a nested
        // strace does): strace still reports it.
        this.announce(t);
        this.reportExit(t, s);
      }
      return;
    }
    if (!pt.status.stopped(s)) return;
    if (!t) {
      // TLS hook (core/trace/tls): without -f, a child of a process with breakpoints is only
      // seen to be cleaned of them; it waits for its parent's fork event.
      if (this.cfg.tls?.claimChild(pid)) return;
      // A new child's first stop can come before its parent's fork event.
      t = this.follow(pid);
    }
    this.announce(t);
    const sig = pt.status.stopSig(s);
    const ev = pt.status.event(s);
    if (sig === (SIG.SIGTRAP | 0x80)) {
      this.onSyscallStop(t);
      this.restart(t);
      return;
    }
    if (ev) {
      this.onEvent(t, ev, sig);
      return;
    }
    // Signal-delivery stop.
    if (sig === SIG.SIGTRAP && this.cfg.tls) {
      // TLS hook (core/trace/tls): a SIGTRAP of one of our breakpoints is consumed here.
      const trap = this.cfg.tls.onTrap(t);
      if (trap) {
        if (trap.lines.length) this.emitProto(t, trap.lines);
        this.resume(t, trap.signal);
        return;
      }
    }
    if (t.hidden) {
      this.resume(t, sig === SIG.SIGSTOP || sig === SIG.SIGCONT ? 0 : sig);
      return;
    }
    if (this.f.signals[sig] && this.o.summary !== 1) {
      const info = pt.getSiginfo(pid) === 0 ? siginfoValue(pt.siginfo, this.fmt.xlat) : undefined;
      this.emit({
        type: "signal",
        ...this.base(t),
        ...this.lineHints(t, this.o.instructionPointer ? regsIp(pid) : undefined),
        signal: signame(sig),
        signo: sig,
        info,
      });
      if (this.cfg.stacks) this.printStack(t);
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
    this.out.flush?.(false);
    if (t.seccomp && !t.inSyscall && !t.hidden) pt.cont(t.pid, sig);
    else pt.syscall(t.pid, sig);
  }

  /**
   * Restarts a thread after its syscall stop, with the signal an injection asked for, unless a
   * `delay_enter=`/`delay_exit=` holds it (then the loop restarts it when its time comes).
   */
  private restart(t: Tracee, seccompStop = false): void {
    if (t.resumeAt && !this.noDelays) {
      this.delayed.add(t);
      return;
    }
    t.resumeAt = 0;
    const sig = t.pendingSignal;
    t.pendingSignal = 0;
    if (seccompStop) {
      this.out.flush?.(false);
      pt.syscall(t.pid, sig);
    } else this.resume(t, sig);
  }

  /** Restarts the delayed threads whose time has come; returns ms until the next one (or -1). */
  private resumeDue(): number {
    const now = performance.now();
    let next = -1;
    for (const t of this.delayed) {
      if (t.resumeAt <= now) {
        this.delayed.delete(t);
        t.resumeAt = 0;
        this.restart(t);
      } else if (next < 0 || t.resumeAt - now < next) next = t.resumeAt - now;
    }
    return next;
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
        this.restart(t, true);
        return;
      case PTRACE_EVENT.STOP:
        if (
          sig === SIG.SIGSTOP || sig === SIG.SIGTSTP || sig === SIG.SIGTTIN || sig === SIG.SIGTTOU
        ) {
          if (!t.hidden && t.started && this.o.summary !== 1) {
            this.emit({
              type: "stopped",
              ...this.base(t),
              ...this.lineHints(t),
              signal: signame(sig),
            });
            if (this.cfg.stacks) this.printStack(t);
          }
          if (t.hidden || !t.started) {
            t.started = true;
            this.resume(t, 0);
          } else {
            this.out.flush?.(false);
            pt.listen(pid);
          }
          return;
        }
        t.started = true;
        this.resume(t, 0);
        return;
      case PTRACE_EVENT.FORK:
      case PTRACE_EVENT.VFORK:
      case PTRACE_EVENT.CLONE: {
        // The child is traced from now on, even before its first stop (which may also come
        // first): a parent that exits at once must not end the trace while its child runs on
        // (daemons, double forks), and a child killed before it ever ran is still reported.
        const child = pt.getEventMsg(pid);
        // TLS hook (core/trace/tls): a child inherits the breakpoints; true: it was let go.
        if (this.cfg.tls?.onFork(t, ev, child)) {
          this.resume(t, 0);
          return;
        }
        if (child > 0 && !this.tracees.has(child)) this.follow(child);
        this.resume(t, 0);
        return;
      }
      case PTRACE_EVENT.EXEC: {
        const former = pt.getEventMsg(pid);
        this.cfg.tls?.onExec(t, former); // TLS hook (core/trace/tls): breakpoints gone with the image
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
      this.emitUnfinished(leader, former);
    }
    // As strace: if the exec'ing thread's line is still open (the leader's pending call above did
    // not cut it), it ends with `<pid changed to LEADER ...>`; its `<... execve resumed>` follows
    // under the leader's pid (the printers do that on the superseded event).
    this.tracees.delete(leader.pid);
    this.emit({ type: "superseded", ...this.base(leader), ...this.lineHints(leader), by: former });
    if (!thread) return;
    this.tracees.delete(former);
    thread.renumber(leader.pid);
    this.tracees.set(leader.pid, thread);
  }

  /** Starts tracing a child picked up under -f (announced at its first stop). */
  private follow(pid: number): Tracee {
    const t = this.addTracee(pid, readTgid(pid) ?? pid, "followed");
    t.announced = false;
    return t;
  }

  /** strace announces every process it starts following under -f (unless -q), once. */
  private announce(t: Tracee): void {
    if (t.announced) return;
    t.announced = true;
    if (!t.hidden && !this.o.quiet && !this.outputFailed && !this.cfg.silentAttach) {
      message(`${this.cfg.prog}: Process ${t.pid} attached`);
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
        if ((nr === NR.execve || nr === NR.execveat) && hiNr === 0) {
          t.hidden = false;
          t.execCheck = true;
        } else {
          t.inSyscall = true;
          t.printing = false;
          t.counted = false;
          return;
        }
      }
      t.inSyscall = true;
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
      if (this.f.inject) {
        t.injected = undefined;
        t.tampered = t.poked = t.delayed = false;
        // strace tampers with the calls it traces (not those -e trace= or -P filter out).
        if (t.printing || (traced && this.o.summary === 1 && this.pathMatches(t))) {
          this.tamperEntry(t);
        }
      }
      if (t.counted || t.printing) t.entryMs = performance.now();
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
      let entry: Args;
      if (c.name === "restart_syscall") {
        entry = `<... resuming interrupted ${t.lastName} ...>`;
      } else if (dec) {
        // A decoder that throws: the call is printed raw (decoders must never break us).
        entry = safe(
          (): Args => (dec.enter ? dec.enter(c) : NO_VALUES),
          () => rawArgs(c.args, sc?.nargs ?? 6),
        );
      } else entry = rawArgs(c.args, sc ? sc.nargs : 6);
      t.entry = entry;
      if (this.cfg.stacks) this.captureStack(t);
      // (Fields written out, not spread: this runs at every traced syscall.)
      const mono = performance.now() / 1000;
      this.out.event({
        type: "syscall_entry",
        pid: t.pid,
        tgid: t.tgid,
        time: this.wall(mono),
        mono,
        ip: this.o.instructionPointer ? t.ip : undefined,
        name: c.name,
        nr: c.nr,
        args: typeof entry === "string" ? callValues(entry, undefined) : entry,
        entry,
        more: dec?.exit !== undefined,
      });
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
    let isError = (info[8] & 0xff) !== 0;
    c.errno = isError ? -c.rval : 0;
    if (t.injected) isError = this.tamperExit(t, isError);
    this.cfg.tls?.onSyscallExit(t, c, isError); // TLS hook (core/trace/tls): libssl, SSL fds
    t.lastName = c.name;
    if (this.cfg.stacks) this.cfg.stacks.afterSyscall(c.name);
    if (t.counted) {
      const micros = this.o.summaryWall
        ? (performance.now() - t.entryMs) * 1000
        : this.clock.cpuMicros(t) - t.entryStime;
      this.summary.add(c.nr, c.name, micros - this.o.overhead, isError); // -O, as strace
    }
    const protoItems = this.cfg.tap && !isError && t.info ? this.cfg.tap.onSyscall(t, c) : NONE;
    if (!t.printing) {
      if (protoItems.length) this.emitProto(t, protoItems);
      return;
    }
    if (this.held && !this.f.status.has(isError ? "failed" : "successful")) return;
    const dec = t.decoder;
    const exit = dec?.exit ? safe((): Args => dec.exit!(c), () => "") : undefined;
    let ret: SyscallReturn;
    if (isError) {
      const restart = errnoIsRestart(c.errno);
      ret = {
        value: restart ? undefined : -1,
        text: errorResult(c.errno),
        error: errnoName(c.errno) ?? `errno ${c.errno}`,
        errno: c.errno,
        message: errnoMessage(c.errno),
      };
    } else {
      const rv = dec?.result ? safe(() => dec.result!(c), () => undefined) : undefined;
      const value = retValue(c.rvalLo, c.rvalHi);
      if (rv === undefined) {
        // -e raw= prints it as `%#lx` (`0`, not `0x0`); else signed decimal, exactly.
        const text = t.raw
          ? hexHalves(c.rvalLo, c.rvalHi)
          : typeof value === "number"
          ? String(value)
          : sdecHalves(c.rvalLo, c.rvalHi);
        ret = { value, text };
      } else if (typeof rv === "string") ret = { value, text: rv };
      else ret = { value, decoded: rv, text: rv.text };
    }
    const mono = performance.now() / 1000;
    this.out.event({
      type: "syscall",
      pid: t.pid,
      tgid: t.tgid,
      time: this.wall(mono),
      mono,
      ip: this.o.instructionPointer ? t.ip : undefined,
      name: c.name,
      nr: c.nr,
      // (Typed entry values with no exit hook are the call's values as they are: no copy.)
      args: exit === undefined && typeof t.entry !== "string" ? t.entry : callValues(t.entry, exit),
      entry: t.entry,
      exit,
      more: dec?.exit !== undefined,
      ret,
      duration: Math.max(0, mono - t.entryMs / 1000),
      injected: t.injected ? injectedNote(t.tampered, t.poked, t.delayed) : undefined,
    });
    if (!isError && (this.f.readFds.size || this.f.writeFds.size)) this.dumpIo(t);
    if (this.cfg.stacks) this.printStack(t);
    if (protoItems.length) this.emitProto(t, protoItems);
  }

  /** The protocol tap's messages (and its plugins' reports) after a syscall. */
  private emitProto(t: Tracee, items: readonly (string | ProtoPayload)[]): void {
    for (const item of items) {
      if (typeof item === "string") {
        this.emit({
          type: "note",
          ...this.base(t),
          ...this.lineHints(t),
          source: "proto",
          message: item,
        });
      } else this.emit({ type: "proto", ...this.base(t), ...this.lineHints(t), ...item });
    }
  }

  /** A call of `t` that will never return (`= ?`): the process exited, or an execve replaced it. */
  private emitUnfinished(t: Tracee, supersededBy?: number): void {
    const base = this.base(t);
    this.emit({
      type: "syscall",
      ...base,
      ip: this.o.instructionPointer ? t.ip : undefined,
      name: t.call.name,
      nr: t.call.nr,
      args: callValues(t.entry, undefined),
      entry: t.entry,
      more: t.decoder?.exit !== undefined,
      duration: Math.max(0, base.mono - t.entryMs / 1000),
      unfinished: true,
      supersededBy,
    });
  }

  /**
   * `-e inject=` at a syscall entry (strace's tamper_with_syscall_entering): counts the call
   * against its rule's `when`, and when it fires, skips or replaces the call, pokes memory,
   * arranges a signal and a delay.
   */
  private tamperEntry(t: Tracee): void {
    const c = t.call;
    t.injectCounters ??= new Map();
    const rule = this.f.inject!.fire(t.injectCounters, c.nr);
    if (!rule) return;
    t.injected = rule;
    if (rule.signal) t.pendingSignal = rule.signal;
    if (rule.error !== undefined || rule.retval !== undefined) {
      if (setSyscallNumber(t.pid, rule.syscall ?? -1) === 0) t.tampered = true;
    }
    if (rule.pokeEnter) this.poke(t, rule.pokeEnter);
    if (rule.delayEnterUs !== undefined) {
      t.resumeAt = performance.now() + rule.delayEnterUs / 1000;
      t.delayed = true;
    }
  }

  /**
   * `-e inject=` at the exit of a call whose entry was tampered with (strace's
   * tamper_with_syscall_exiting): pokes, delays, and sets the injected result, in the registers
   * and in the call the decoders see. Returns whether the call now failed.
   */
  private tamperExit(t: Tracee, isError: boolean): boolean {
    const rule = t.injected!;
    const c = t.call;
    if (rule.pokeExit) this.poke(t, rule.pokeExit);
    if (rule.delayExitUs !== undefined) {
      t.resumeAt = performance.now() + rule.delayExitUs / 1000;
      t.delayed = true;
    }
    if (!t.tampered) return isError;
    const noFail = rule.syscall !== undefined;
    if (!isError !== noFail) {
      message(
        `${this.cfg.prog}: Failed to tamper with process ${t.pid}: unexpectedly got ` +
          `${noFail ? "" : "no "}error (return value 0x${
            BigInt.asUintN(64, c.rvalBig).toString(16)
          }, error ${c.errno})`,
      );
      return isError;
    }
    const value = rule.retval !== undefined ? rule.retval : -BigInt(rule.error!);
    setReturnValue(t.pid, value);
    const v = BigInt.asUintN(64, value);
    c.rvalLo = Number(v & 0xffffffffn);
    c.rvalHi = Number(v >> 32n);
    if (rule.retval !== undefined) {
      c.errno = 0;
      return false;
    }
    c.errno = rule.error!;
    return true;
  }

  /** Writes `poke_enter=`/`poke_exit=` bytes at the calls' argument addresses. */
  private poke(t: Tracee, pokes: Poke[]): void {
    const c = t.call;
    const nargs = t.info?.nargs ?? 6;
    for (const p of pokes) {
      if (p.arg > nargs) {
        message(
          `${this.cfg.prog}: poke_tcb: Failed to tamper with process ${t.pid}: requested to ` +
            `tamper with argument #${p.arg}, but system call '${c.name}' has only ${nargs} arguments`,
        );
        continue;
      }
      if (pokeMemory(t.pid, c.args.big(p.arg - 1), p.data) === 0) {
        message(
          `${this.cfg.prog}: poke_tcb: Failed to tamper with process ${t.pid}: couldn't poke`,
        );
      } else t.poked = true;
    }
  }

  /** `-k` at a syscall entry: execve and exit capture their stack now (strace's `SE` flag). */
  private captureStack(t: Tracee): void {
    const check = t.execCheck;
    t.execCheck = false;
    t.stackQueue = "";
    if (check) return;
    t.stackQueue = this.cfg.stacks!.atEntry(t.call.name, t.pid, t.tgid, t.call.mem);
  }

  /** `-k` after a line: the captured stack, or the stack as it is now. */
  private printStack(t: Tracee): void {
    let text = t.stackQueue;
    t.stackQueue = "";
    if (!text) text = this.cfg.stacks!.now(t.pid, t.tgid, t.call.mem);
    if (text) this.emit({ type: "stack", ...this.base(t), text });
  }

  /** `-e read=`/`-e write=`: the bytes of a successful transfer, for its hex dump. */
  private dumpIo(t: Tracee): void {
    const tr = safe(() => dumpTransfer(t.call), () => undefined);
    if (!tr || !tr.chunks.length) return;
    if (!(tr.dir === "in" ? this.f.readFds : this.f.writeFds).has(tr.fd)) return;
    const { fd, dir, chunks, labels } = tr;
    this.emit({ type: "dump", ...this.base(t), fd, dir, chunks, labels });
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

  /** Reports `= ?` for a call that never returned, and the exit or kill (`+++ … +++`). */
  private reportExit(t: Tracee, s: number): void {
    if (t.inSyscall && t.printing && !t.hidden) {
      // Held lines (status filters): a call that never returned is "unfinished". Else exit and
      // exit_group never return: strace prints `= ?` (after ` <unfinished ...>` when the decoder
      // had more to print at exit: a read killed by SIGKILL).
      if (!this.held || this.f.status.has("unfinished")) {
        this.emitUnfinished(t);
      }
    }
    // The process is gone: the requests still open on its descriptors end (closed).
    if (this.cfg.tap?.onExit && t.pid === t.tgid) {
      const items = this.cfg.tap.onExit(t);
      if (items.length) this.emitProto(t, items);
    }
    const hints = this.lineHints(t, UNKNOWN_IP);
    if (pt.status.exited(s)) {
      const code = pt.status.exitCode(s);
      if (t.pid === this.leader) {
        this.outcome.exitCode = code;
        this.leader = 0;
      }
      this.emit({ type: "exit", ...this.base(t), ...hints, code });
    } else {
      const sig = pt.status.termSig(s);
      const core = pt.status.coreDumped(s);
      if (t.pid === this.leader) {
        this.outcome.signal = sig;
        this.outcome.core = core;
        this.leader = 0;
      }
      this.emit({
        type: "killed",
        ...this.base(t),
        ...hints,
        signal: signame(sig),
        signo: sig,
        core,
      });
    }
    this.tracees.delete(t.pid);
    this.delayed.delete(t);

    if (t.stackQueue) {
      // A stack captured at exit's entry comes out when the process is gone, as strace's.
      this.emit({ type: "stack", ...this.base(t), text: t.stackQueue });
      t.stackQueue = "";
    }
  }

  /**
   * Detaches from every tracee (on SIGINT/SIGTERM/…, or after an internal error), leaving none
   * stopped, traced or killed by us; strace's `cleanup()`. Only the command sctrace started gets
   * the signal (after a SIGCONT, so a stopped one acts on it), and only while it lives; then every
   * tracee (launched, attached with -p, or followed under -f) is detached, and
   * `Process N detached` is printed for each, in the order they were traced. A command that
   * ignores the signal is simply left running, untraced.
   *
   * All tracees are interrupted at once and detached as each one stops (a vfork parent cannot
   * stop before its child execs, so a one-by-one wait could stall); children forked meanwhile are
   * detached too. One that never stops within a few seconds is left to the kernel, which detaches
   * it when sctrace exits.
   */
  private async detachAll(): Promise<void> {
    const sig = Math.max(0, this.stopSignal);
    // Threads held by an injected delay run again first: a detach must find them running.
    this.noDelays = true;
    for (const t of this.delayed) this.restart(t);
    this.delayed.clear();
    // TLS hook (core/trace/tls): every breakpoint out, original bytes back, before any detach.
    if (this.cfg.tls) await this.cfg.tls.quiesce([...this.tracees.values()]);
    if (!this.internalError && sig) {
      this.stopCause = sig;
      // After an internal error nothing is signalled: a tracee never dies of our bug.
      if (this.leader && this.tracees.has(this.leader)) {
        libc.kill(this.leader, SIG.SIGCONT);
        libc.kill(this.leader, sig);
      }
    }
    const order = [...this.tracees.values()];
    const left = new Map<number, Tracee>();
    const take = (t: Tracee) => {
      left.set(t.pid, t);
      // ESRCH: gone already (or a zombie leader): nothing to detach.
      if (pt.interrupt(t.pid) !== 0) left.delete(t.pid);
    };
    for (const t of order) take(t);
    const deadline = performance.now() + 5000;
    while (left.size && performance.now() < deadline) {
      let seen = false;
      for (const t of [...left.values()]) {
        const r = pt.wait(t.pid, WAIT.WNOHANG);
        if (r === 0) continue;
        seen = true;
        left.delete(t.pid);
        // Exited or killed meanwhile (the launched command dying of the signal): strace just
        // says it is detached.
        if (r < 0 || !pt.status.stopped(pt.waitStatus[0])) continue;
        const s = pt.waitStatus[0];
        const ev = pt.status.event(s);
        if (ev === PTRACE_EVENT.FORK || ev === PTRACE_EVENT.VFORK || ev === PTRACE_EVENT.CLONE) {
          const child = pt.getEventMsg(t.pid);
          if (child > 0 && !this.tracees.has(child)) {
            const c = this.follow(child);
            order.push(c);
            take(c);
          }
        }
        const stopSig = pt.status.stopSig(s);
        if (
          stopSig === (SIG.SIGTRAP | 0x80) && t.inSyscall && !this.internalError &&
          completedExit(t.pid)
        ) {
          // A call that completed just as the signal came: what it moved may already be with the
          // peer (a reply written, a request read), so it is decoded before we let go. A call the
          // interrupt cut short (EINTR, ERESTART*) stays `<detached ...>`, as strace prints it.
          try {
            this.onSyscallStop(t);
          } catch {
            // detached all the same
          }
        }
        // A signal-delivery stop keeps its signal; other stops deliver nothing.
        pt.detach(t.pid, ev === 0 && stopSig !== (SIG.SIGTRAP | 0x80) ? stopSig : 0);
      }
      if (!seen) await new Promise((res) => setTimeout(res, 1));
    }
    // (A tracee that never stopped is detached by the kernel when we exit.)
    for (const t of order) this.forget(t);
  }

  /** Drops a detached tracee, saying `Process N detached` unless `-q`, as strace does. */
  private forget(t: Tracee): void {
    if (!this.tracees.has(t.pid)) return;
    this.announce(t);
    if (!this.o.quiet && !this.cfg.silentAttach) {
      message(`${this.cfg.prog}: Process ${t.pid} detached`);
    }
    this.emit({ type: "detach", ...this.base(t) });
    this.tracees.delete(t.pid);
  }

  /** The trace is over: the printers write their summaries and close their files. */
  private finish(): void {
    this.cfg.tls?.finish(); // TLS hook (core/trace/tls): no breakpoint left behind
    // Requests still waiting for an answer (a -p trace stopped mid-request) are reported.
    for (const { tgid, item } of this.cfg.tap?.onEnd?.() ?? []) {
      const mono = performance.now() / 1000;
      this.emit({ type: "proto", pid: tgid, tgid, time: this.wall(mono), mono, ...item });
    }
    this.out.finish?.();
  }
}

/** Whether a thread's syscall-exit stop is a call that completed (not one cut short by a signal). */
function completedExit(pid: number): boolean {
  if (pt.getSyscallInfo(pid) !== 2) return false;
  const info = pt.syscallInfo;
  if ((info[8] & 0xff) === 0) return true;
  const err = -info[6] | 0;
  // EINTR, ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK.
  return err !== 4 && (err < 512 || err > 516);
}

/** Lets the event loop run (signal listeners, timers). */
function yieldToEvents(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/** strace's `printargs`: every argument as `%#lx` (the whole call: no `, ` follows at entry). */
function rawArgs(a: { hex(n: number): string; big(n: number): bigint }, n: number): Args {
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(V.uint(a.big(i), a.hex(i)));
  return whole(out);
}

/** A return value as a number, or its decimal digits when it does not fit a double exactly. */
function retValue(lo: number, hi: number): number | string {
  const n = (hi | 0) * 4294967296 + (lo >>> 0);
  if (Number.isSafeInteger(n)) return n;
  return sdecHalves(lo, hi);
}

/** Runs a decoder; a throwing decoder falls back to raw output (decoders must never break us). */
function safe<T>(fn: () => T, fallback: () => T): T {
  try {
    return fn();
  } catch {
    return fallback();
  }
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

/** A thread's thread-group id, from `/proc/PID/status` (undefined when it is gone). */
function readTgid(pid: number): number | undefined {
  try {
    const st = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = /\nTgid:\s*(\d+)/.exec(st);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // gone already
  }
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
  return strerror(e);
}
