/**
 * Per-thread tracing state.
 * @module
 */

import type { SyscallDecoder } from "../../decoders/api.ts";
import type { SyscallInfo } from "../../decoders/syscall_table.ts";
import { TraceeMemory } from "../../ffi/memory.ts";
import { Call } from "../decode/call.ts";
import { ProcFds } from "../decode/fds.ts";
import type { Args } from "../../decoders/value.ts";
import type { FormatOptions } from "../../decoders/api.ts";
import type { InjectCounter, InjectRule } from "./inject.ts";

/** How a tracee came to be traced (see {@linkcode Tracee.origin}). */
export type TraceeOrigin = "launched" | "attached" | "followed";

/** One traced thread. */
export class Tracee {
  /** Thread id (changes when a non-leader thread execs and takes the leader's pid). */
  pid: number;
  /** The reusable syscall stop. */
  readonly call: Call;
  /** Its descriptors. */
  readonly fds: ProcFds;
  /** Between an entry stop and its exit stop. */
  inSyscall = false;
  /** Stops before the target's execve are the shim's: hidden. */
  hidden = false;
  /** Whether the current syscall is printed. */
  printing = false;
  /** Whether the current syscall is counted in the summary. */
  counted = false;
  /** The current syscall's table entry. */
  info?: SyscallInfo;
  /** The current syscall's decoder. */
  decoder?: SyscallDecoder;
  /** Entry time (ms, performance.now) of the current syscall. */
  entryMs = 0;
  /** Entry system time (µs) for `-c`. */
  entryStime = 0;
  /**
   * How it came to be traced: `launched` (the command sctrace started; the only tracee that ever
   * gets a relayed fatal signal), `attached` (`-p`), or `followed` (a child picked up under `-f`).
   * Every tracee, whatever its origin, is detached (never killed) when sctrace stops early.
   */
  origin: TraceeOrigin = "followed";
  /** `Process N attached` was printed (or is not due): a followed child is announced once. */
  announced = true;
  /** The thread group leader. */
  tgid: number;
  /**
   * The name of the last syscall seen (for `restart_syscall`). strace starts from syscall 0, so
   * right after an attach it says `resuming interrupted read`; so do we.
   */
  lastName = "read";
  /** Seen its first stop (after an attach or a fork). */
  started = false;
  /** The current syscall is printed raw (`-e raw=`). */
  raw = false;
  /** The instruction pointer of the current syscall, for `-i`. */
  ip = "????????????????";
  /** Its seccomp filter is on (a seccomp stop was seen): resume with PTRACE_CONT between calls. */
  seccomp = false;
  /** What the current syscall's decoder returned at entry. */
  entry: Args = "";
  /** `-e inject=` state of this thread: per-syscall `when` counters (strace keeps them per tcb). */
  injectCounters?: Map<number, InjectCounter>;
  /** The injection that fired at the current syscall's entry, if any. */
  injected?: InjectRule;
  /** The current syscall's number or result was tampered with (`(INJECTED)`). */
  tampered = false;
  /** Memory was poked for the current syscall (`(INJECTED: args)`). */
  poked = false;
  /** The current syscall was delayed (`(DELAYED)`). */
  delayed = false;
  /** A signal to deliver when the thread is restarted (`signal=`). */
  pendingSignal = 0;
  /** Restart the thread no earlier than this (performance.now() ms; 0: now) (`delay_*=`). */
  resumeAt = 0;

  /** `-k`: a stack captured at the current syscall's entry (execve, exit), printed later. */
  stackQueue = "";
  /** The execve that ends the launch shim: its stack is not captured at entry (strace's check). */
  execCheck = false;

  /** Takes a new thread id (after a non-leader thread's execve). */
  renumber(pid: number): void {
    this.pid = pid;
    this.tgid = pid;
    this.call.pid = pid;
    (this.call.mem as TraceeMemory).pid = pid;
    this.fds.pid = pid;
  }

  /** Creates the state of a new thread. */
  constructor(pid: number, tgid: number, opts: FormatOptions) {
    this.pid = pid;
    this.tgid = tgid;
    this.fds = new ProcFds(pid);
    this.call = new Call(pid, new TraceeMemory(pid), this.fds, opts);
  }
}
