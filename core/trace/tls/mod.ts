/**
 * TLS plaintext for `--proto`: breakpoints on OpenSSL's `SSL_read`/`SSL_write`/`SSL_read_ex`/
 * `SSL_write_ex` in every traced process that maps libssl, the way `ltrace` traces library calls.
 *
 * - **Entry**: an `int3` at each function's first byte. On its `SIGTRAP` the arguments are read
 *   from the registers (SSL pointer, buffer, length, `_ex`'s count pointer), and the return address
 *   on the stack is replaced by the breakpoint's own address, so the return traps too, for that
 *   thread and that call only (no breakpoint in the caller's code that other threads could hit).
 *   The replaced first instruction is emulated (core/trace/tls/step.ts); for an instruction we do
 *   not emulate, it is restored, single-stepped and the `int3` put back.
 * - **Return**: the trap at the same address with the stack pointer just above the saved slot is
 *   the return: the bytes moved (`SSL_read`'s result, or `*readbytes`/`*written`) are read from
 *   the caller's buffer, and the thread continues at the real return address.
 * - **Descriptor**: the `read`/`write`/`recvfrom`/`sendto`/… syscalls a thread makes inside an
 *   SSL call tie the SSL pointer to its socket; the plaintext goes to that descriptor's TLS stream
 *   in the protocol tap (`[http fd=12 in tls] GET / HTTP/1.1`).
 * - **Leaving**: before detaching, every thread of a hooked process is stopped, return addresses
 *   are put back, the original bytes restored, and threads caught at a trap are moved back so they
 *   run the original code; a forked child gets its copy cleaned before it runs (or is followed
 *   with `-f`); an exec forgets the old image's breakpoints.
 *
 * x86_64 only; OpenSSL 3 and 1.1 linked dynamically (`libssl.so.3`, `libssl.so.1.1`).
 * @module
 */

import type { SyscallCall } from "../../../decoders/api.ts";
import { PTRACE_EVENT, PTRACE_O, SIG, WAIT } from "../../../ffi/constants.ts";
import * as pt from "../../../ffi/ptrace.ts";
import { TraceeMemory } from "../../../ffi/memory.ts";
import { pokeMemory, pokeText, setRegs } from "../../../ffi/tamper.ts";
import { message } from "../../output/sink.ts";
import type { StreamTap } from "../../decode/streams.ts";
import type { ProtoPayload } from "../../events/types.ts";
import { scanProcess, type TlsFunction } from "./libs.ts";
import { decodeFirst, emulate, type Emulated, type Machine, SLOT } from "./step.ts";

/** What the TLS hooks need from the tracer. */
export interface TlsConfig {
  /** Program name for messages. */
  prog: string;
  /** `-f`: children are traced too. */
  follow: boolean;
  /** The tracer's ptrace options (fork events are added for hooked processes without `-f`). */
  ptraceOptions: number;
  /** The protocol tap the plaintext goes to. */
  tap: StreamTap;
}

/** A thread as the hooks see it. */
export interface TlsThread {
  /** Thread id. */
  pid: number;
  /** Process id. */
  tgid: number;
}

/** The outcome of a `SIGTRAP` that was ours. */
export interface TrapResult {
  /** The signal to resume the thread with (0, or one that arrived while stepping). */
  signal: number;
  /** Protocol messages (and notes) to print. */
  lines: (string | ProtoPayload)[];
}

/** A hooked function in one process. */
interface Site {
  fn: TlsFunction;
  addr: number;
  /** The original bytes (16). */
  orig: Uint8Array;
  /** The first instruction, when it can be emulated. */
  emu?: Emulated;
}

/** A hooked (or examined) process. */
interface Proc {
  tgid: number;
  /** `new`: not yet examined; `none`: no OpenSSL (yet); `hooked`; `off`: given up or cleaned. */
  state: "none" | "hooked" | "off";
  sites: Map<number, Site>;
  /** Breakpoints are in its memory. */
  inserted: boolean;
  /** SSL pointer → descriptor, and back. */
  sslFd: Map<number, number>;
  fdSsl: Map<number, number>;
  /** Plaintext of SSL pointers whose descriptor is not known yet. */
  pending: Map<number, { dir: "in" | "out"; bytes: Uint8Array }[]>;
  /** `cannot be decoded` said. */
  said: boolean;
}

/** One SSL call in progress on one thread. */
interface Call {
  fn: TlsFunction;
  tgid: number;
  ssl: number;
  buf: number;
  num: number;
  /** `_ex`: where the count goes. */
  countPtr: number;
  /** Stack pointer at entry (the slot of the return address). */
  rsp: number;
  /** The real return address. */
  ret: bigint;
  /** The breakpoint address written in its place. */
  tramp: number;
  /** The descriptor of a syscall made inside it (-1: none yet). */
  fd: number;
}

/** Syscalls that tie an SSL call to its descriptor. */
const FD_CALLS = new Set([
  "read",
  "write",
  "recvfrom",
  "sendto",
  "readv",
  "writev",
  "recvmsg",
  "sendmsg",
]);
/** The most plaintext read per call (OpenSSL records are at most 16 KiB; writes may be bigger). */
const MAX_CHUNK = 1 << 20;
/** The most plaintext held per SSL pointer while its descriptor is unknown. */
const MAX_PENDING = 1 << 18;
const PROT_EXEC = 4;
/** How far below an active call's frame a call counts as nested in it (same stack). */
const NESTED_SPAN = 1 << 20;
/** The most calls remembered per thread (only longjmps out of SSL calls pile them up). */
const MAX_CALLS = 64;
const FORKS = PTRACE_O.TRACEFORK | PTRACE_O.TRACEVFORK | PTRACE_O.TRACECLONE;

/** A 64-bit register of {@linkcode pt.regs} as a number (addresses, counts). */
function reg(slot: number): number {
  return pt.regs[2 * slot + 1] * 4294967296 + pt.regs[2 * slot];
}

/** Sets a register of {@linkcode pt.regs} from a number or bigint. */
function setReg(slot: number, v: number | bigint): void {
  const u = BigInt.asUintN(64, BigInt(v));
  pt.regs[2 * slot] = Number(u & 0xffffffffn);
  pt.regs[2 * slot + 1] = Number(u >> 32n);
}

/** Little-endian u64 of 8 bytes. */
function u64(b: Uint8Array): bigint {
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

/** The hooks the tracer calls when TLS decoding is on (`--proto` without `--no-tls`). */
export class TlsHooks {
  private cfg: TlsConfig;
  private procs = new Map<number, Proc>();
  /** SSL calls in progress, per thread. */
  private calls = new Map<number, Call[]>();
  /** Children of hooked processes (without -f) whose first stop came before the fork event. */
  private early = new Set<number>();
  private mem = new TraceeMemory(0);

  /** Creates the hooks. */
  constructor(cfg: TlsConfig) {
    this.cfg = cfg;
  }

  // ---- memory ----

  /** Reads tracee memory through thread `tid` (no stale page cache). */
  private read(tid: number, addr: number, len: number): Uint8Array | null {
    this.mem.pid = tid;
    this.mem.invalidate();
    return this.mem.read(addr, len);
  }

  /** The emulator's view of a stopped thread (its registers in {@linkcode pt.regs}). */
  private machine(tid: number): Machine {
    return {
      regs: pt.regs,
      read64: (a) => {
        const b = this.read(tid, a, 8);
        return b ? u64(b) : undefined;
      },
      write64: (a, v) => this.write64(tid, a, v),
    };
  }

  /** Writes a little-endian u64 in writable tracee memory (the stack). */
  private write64(tid: number, addr: number, v: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return pokeMemory(tid, BigInt(addr), b) === 8;
  }

  /** Writes code bytes: `PTRACE_POKETEXT` through a stopped thread, else `/proc/PID/mem`. */
  private writeText(tid: number, tgid: number, addr: number, bytes: Uint8Array): boolean {
    if (pokeText(tid, addr, bytes) === bytes.length) return true;
    try {
      const f = Deno.openSync(`/proc/${tgid}/mem`, { read: true, write: true });
      try {
        f.seekSync(addr, Deno.SeekMode.Start);
        return f.writeSync(bytes) === bytes.length;
      } finally {
        f.close();
      }
    } catch {
      return false;
    }
  }

  // ---- finding and hooking ----

  /** Starts the state of a process (not examined yet). */
  private newProc(tgid: number): Proc {
    const p: Proc = {
      tgid,
      state: "none",
      sites: new Map(),
      inserted: false,
      sslFd: new Map(),
      fdSsl: new Map(),
      pending: new Map(),
      said: false,
    };
    this.procs.set(tgid, p);
    return p;
  }

  /** Says once that a process's TLS cannot be decoded, and why. */
  private say(p: Proc, why: string): void {
    if (p.said) return;
    p.said = true;
    message(`${this.cfg.prog}: TLS traffic of process ${p.tgid} cannot be decoded: ${why}`);
  }

  /** Looks for libssl in a process (through its stopped thread `tid`) and hooks it. */
  private scan(p: Proc, tid: number): void {
    if (p.state !== "none") return;
    const s = scanProcess(p.tgid);
    if (!s) return;
    if (s.unsupported) this.say(p, `${s.unsupported} is not supported`);
    if (!s.sites.length) return;
    if (!this.cfg.follow) {
      // Without -f only the given thread is traced: a breakpoint hit by another would kill the
      // process.
      let n = 0;
      try {
        for (const _ of Deno.readDirSync(`/proc/${p.tgid}/task`)) n++;
      } catch {
        return;
      }
      if (n > 1) {
        p.state = "off";
        this.say(p, `it has ${n} threads (trace them all with -f)`);
        return;
      }
      // Its children must be seen, to clean the breakpoints they inherit.
      if (pt.setOptions(tid, this.cfg.ptraceOptions | FORKS) !== 0) return;
    }
    for (const site of s.sites) {
      let orig = this.read(tid, site.addr, 16);
      if (!orig) continue;
      if (orig[0] === 0xcc && site.fileBytes[0] !== 0xcc) orig = site.fileBytes.slice();
      const bp = { fn: site.fn, addr: site.addr, orig, emu: decodeFirst(orig) };
      p.sites.set(site.addr, bp);
      if (!this.writeText(tid, p.tgid, site.addr, Uint8Array.of(0xcc))) p.sites.delete(site.addr);
    }
    if (p.sites.size) {
      p.state = "hooked";
      p.inserted = true;
    }
  }

  // ---- the tracer's hooks ----

  /**
   * At every syscall exit: examines a new process, re-examines one that maps code (`dlopen`,
   * the dynamic loader after `execve`), and ties an SSL call in progress to the descriptor of a
   * transfer it makes.
   */
  onSyscallExit(t: TlsThread, c: SyscallCall, isError: boolean): void {
    try {
      let p = this.procs.get(t.tgid);
      if (!p) {
        p = this.newProc(t.tgid);
        this.scan(p, t.pid);
      } else if (
        p.state === "none" && !isError && c.name === "mmap" && (c.args.i(2) & PROT_EXEC) &&
        c.args.i(4) >= 0
      ) {
        this.scan(p, t.pid);
      }
      if (isError || p.state !== "hooked") return;
      if (c.name === "close") {
        const fd = c.args.i(0);
        const ssl = p.fdSsl.get(fd);
        if (ssl !== undefined) {
          p.fdSsl.delete(fd);
          p.sslFd.delete(ssl);
        }
        return;
      }
      const calls = this.calls.get(t.pid);
      if (calls?.length && FD_CALLS.has(c.name)) calls[calls.length - 1].fd = c.args.i(0);
    } catch (e) {
      this.internal(e);
    }
  }

  /**
   * At a `SIGTRAP` signal-delivery stop: if it is one of our breakpoints, handles it and says how
   * to resume the thread; undefined if it is not ours (the tracee gets its `SIGTRAP`).
   */
  onTrap(t: TlsThread): TrapResult | undefined {
    const p = this.procs.get(t.tgid) ?? this.adoptEarly(t);
    if (!p || !p.sites.size || !breakpointTrap(t.pid) || pt.getRegs(t.pid) !== 0) return undefined;
    const x = reg(SLOT.RIP) - 1;
    const site = p.sites.get(x);
    if (!site) return undefined;
    if (!p.inserted) {
      // The breakpoints are out already (a thread started without -f, an error): a trap that was
      // on its way when they were taken out. The thread goes back to the original code.
      return this.unTrap(p, t.pid) ? { signal: 0, lines: [] } : undefined;
    }
    try {
      return this.hit(p, t, site);
    } catch (e) {
      // A bug of ours: this process's breakpoints all come out, and the thread runs on unharmed.
      this.internal(e);
      this.remove(p, t.pid);
      p.inserted = false;
      p.state = "off";
      this.unTrap(p, t.pid);
      return { signal: 0, lines: [] };
    }
  }

  /** One of our breakpoints was hit: an SSL call's entry, or (same address) its return. */
  private hit(p: Proc, t: TlsThread, site: Site): TrapResult {
    const x = site.addr;
    const rsp = reg(SLOT.RSP);
    let calls = this.calls.get(t.pid);
    // The return of a call we saw enter: the same address, the stack pointer just above its slot.
    // (Looked up exactly, never guessed: a return taken for an entry would corrupt the stack.)
    const i = returnOf(calls, x, rsp);
    if (i >= 0) return this.returned(p, t, calls!, i);
    // Nested in a call of ours on the same stack (an active frame above this one): not hooked.
    const nested = calls?.some((c) => c.rsp > rsp && c.rsp - rsp < NESTED_SPAN) ?? false;
    if (!nested) {
      // A new call: its return comes back here.
      const saved = this.read(t.pid, rsp, 8);
      if (saved && this.write64(t.pid, rsp, BigInt(x))) {
        if (!calls) this.calls.set(t.pid, calls = []);
        // A call left by a longjmp whose slot is reused, and the oldest beyond the cap, go.
        const same = calls.findIndex((c) => c.rsp === rsp);
        if (same >= 0) calls.splice(same, 1);
        if (calls.length >= MAX_CALLS) calls.shift();
        calls.push({
          fn: site.fn,
          tgid: p.tgid,
          ssl: reg(SLOT.RDI),
          buf: reg(SLOT.RSI),
          num: reg(SLOT.RDX),
          countPtr: reg(SLOT.RCX),
          rsp,
          ret: u64(saved),
          tramp: x,
          fd: -1,
        });
      }
    }
    if (site.emu && emulate(this.machine(t.pid), site.emu, x)) {
      setRegs(t.pid);
      return { signal: 0, lines: [] };
    }
    return { signal: this.stepOver(p, t, site), lines: [] };
  }

  /**
   * Runs the original first instruction by restore + `PTRACE_SINGLESTEP` + re-insert; returns a
   * signal that arrived meanwhile (to deliver when the thread is resumed).
   */
  private stepOver(p: Proc, t: TlsThread, site: Site): number {
    let deferred = 0;
    this.writeText(t.pid, p.tgid, site.addr, site.orig.subarray(0, 1));
    setReg(SLOT.RIP, site.addr);
    setRegs(t.pid);
    for (let tries = 0; tries < 64; tries++) {
      if (pt.singleStep(t.pid, 0) !== 0) break;
      const r = pt.wait(t.pid, 0);
      if (r !== t.pid || !pt.status.stopped(pt.waitStatus[0])) break;
      const s = pt.waitStatus[0];
      const sig = pt.status.stopSig(s);
      if (sig === SIG.SIGTRAP && pt.status.event(s) === 0) break;
      if (pt.status.event(s) === 0 && sig !== (SIG.SIGTRAP | 0x80)) deferred = sig;
    }
    this.writeText(t.pid, p.tgid, site.addr, Uint8Array.of(0xcc));
    return deferred;
  }

  /** The return of an SSL call: its plaintext goes to the tap. */
  private returned(p: Proc, t: TlsThread, calls: Call[], i: number): TrapResult {
    const call = calls[i];
    // Calls entered after it and never returned (a longjmp out of them) end with it.
    calls.splice(i);
    const rax = pt.regs[2 * SLOT.RAX] | 0;
    setReg(SLOT.RIP, call.ret);
    setRegs(t.pid);
    let n = 0;
    if (call.fn === "SSL_read" || call.fn === "SSL_write") n = rax > 0 ? rax : 0;
    else if (rax === 1) {
      const b = this.read(t.pid, call.countPtr, 8);
      n = b ? Number(u64(b)) : 0;
    }
    n = Math.min(n, call.num, MAX_CHUNK);
    if (call.fd >= 0 && p.sslFd.get(call.ssl) !== call.fd) {
      const old = p.sslFd.get(call.ssl);
      if (old !== undefined) p.fdSsl.delete(old);
      p.sslFd.set(call.ssl, call.fd);
      p.fdSsl.set(call.fd, call.ssl);
    }
    const lines: (string | ProtoPayload)[] = [];
    if (n <= 0) return { signal: 0, lines };
    const bytes = this.read(t.pid, call.buf, n);
    if (!bytes) return { signal: 0, lines };
    const dir = call.fn.startsWith("SSL_read") ? "in" : "out";
    const fd = p.sslFd.get(call.ssl);
    if (fd === undefined) {
      let q = p.pending.get(call.ssl);
      if (!q) p.pending.set(call.ssl, q = []);
      if (q.reduce((a, c) => a + c.bytes.length, 0) + bytes.length <= MAX_PENDING) {
        q.push({ dir, bytes });
      }
      return { signal: 0, lines };
    }
    const feed = this.cfg.tap.feedPlain;
    if (!feed) return { signal: 0, lines };
    const q = p.pending.get(call.ssl);
    if (q) {
      p.pending.delete(call.ssl);
      for (const c of q) lines.push(...feed.call(this.cfg.tap, t, fd, c.dir, c.bytes));
    }
    lines.push(...feed.call(this.cfg.tap, t, fd, dir, bytes));
    return { signal: 0, lines };
  }

  /** Moves a thread caught at one of `p`'s breakpoints back onto the original code. */
  private unTrap(p: Proc, tid: number): boolean {
    if (pt.getRegs(tid) !== 0) return false;
    const x = reg(SLOT.RIP) - 1;
    if (!p.sites.has(x)) return false;
    const calls = this.calls.get(tid);
    const i = returnOf(calls, x, reg(SLOT.RSP));
    if (i >= 0) {
      setReg(SLOT.RIP, calls![i].ret);
      calls!.splice(i);
    } else setReg(SLOT.RIP, x);
    return setRegs(tid) === 0;
  }

  /** Takes every breakpoint out of a process's memory (through stopped thread `tid`). */
  private remove(p: Proc, tid: number): void {
    // Return addresses first (a thread returning now goes home), then the code.
    for (const calls of this.calls.values()) {
      for (const c of calls) {
        if (c.tgid !== p.tgid) continue;
        const cur = this.read(p.tgid, c.rsp, 8);
        if (cur && u64(cur) === BigInt(c.tramp)) this.write64(p.tgid, c.rsp, c.ret);
      }
    }
    for (const s of p.sites.values()) this.writeText(tid, p.tgid, s.addr, s.orig.subarray(0, 1));
  }

  /**
   * A fork, vfork or clone event of a traced thread. Under `-f` the child is followed (a forked
   * child shares nothing but has the breakpoints: it gets its own copy of the table). Without
   * `-f` the child is cleaned of the inherited breakpoints before it runs and let go; returns true
   * then (the tracer must not follow it).
   */
  onFork(t: TlsThread, ev: number, child: number): boolean {
    const p = this.procs.get(t.tgid);
    if (child <= 0 || (this.cfg.follow && !p?.inserted)) return false;
    try {
      const tgid = tgidOf(child);
      if (!p?.inserted) {
        // Without -f fork events come only because we asked for them: let the child go.
        if (!this.early.delete(child)) pt.wait(child, 0);
        pt.detach(child, 0);
        return true;
      }
      if (this.cfg.follow) {
        if (tgid === p.tgid) return false;
        if (ev === PTRACE_EVENT.VFORK) {
          this.procs.set(child, p);
          return false;
        }
        if (!this.procs.has(child)) this.copyProc(p, child);
        const calls = this.calls.get(t.pid);
        if (calls?.length) this.calls.set(child, calls.map((c) => ({ ...c, tgid: child })));
        return false;
      }
      if (!this.early.delete(child)) pt.wait(child, 0);
      if (tgid === p.tgid) {
        // A new thread we may not trace: breakpoints cannot stay.
        this.remove(p, t.pid);
        p.inserted = false;
        p.state = "off";
        p.said = false;
        this.say(p, "it started a thread (trace all threads with -f)");
      } else if (ev !== PTRACE_EVENT.VFORK) {
        const calls = this.calls.get(t.pid) ?? [];
        for (const c of calls) this.write64(child, c.rsp, c.ret);
        for (const s of p.sites.values()) {
          this.writeText(child, child, s.addr, s.orig.subarray(0, 1));
        }
      }
      pt.detach(child, 0);
      return true;
    } catch (e) {
      this.internal(e);
      return false;
    }
  }

  /**
   * Under `-f`, a forked child that reached a breakpoint before its parent's fork event was
   * seen: it gets its copy of the parent's table now.
   */
  private adoptEarly(t: TlsThread): Proc | undefined {
    if (!this.cfg.follow) return undefined;
    const st = procStatus(t.tgid);
    const parent = st && this.procs.get(st.ppid);
    if (!parent?.inserted) return undefined;
    return this.copyProc(parent, t.tgid);
  }

  /** A forked child's own copy of its parent's breakpoint table (same addresses, same bytes). */
  private copyProc(p: Proc, child: number): Proc {
    const q = this.newProc(child);
    q.state = "hooked";
    q.inserted = true;
    q.sites = new Map(p.sites);
    q.sslFd = new Map(p.sslFd);
    q.fdSsl = new Map(p.fdSsl);
    return q;
  }

  /**
   * The first stop of an unknown thread: without `-f`, a child of a hooked process whose stop
   * came before its parent's fork event is kept stopped for {@linkcode onFork}; returns true then.
   */
  claimChild(pid: number): boolean {
    if (this.cfg.follow) return false;
    const st = procStatus(pid);
    if (!st) return false;
    if (!this.procs.has(st.tgid === pid ? st.ppid : st.tgid)) return false;
    this.early.add(pid);
    return true;
  }

  /** An exec: the old image and its breakpoints are gone. */
  onExec(t: TlsThread, former: number): void {
    this.procs.delete(t.tgid);
    this.calls.delete(t.pid);
    this.calls.delete(former);
  }

  /** A thread is gone. */
  onGone(t: TlsThread): void {
    this.calls.delete(t.pid);
    if (t.pid === t.tgid) this.procs.delete(t.tgid);
  }

  /**
   * Before detaching: stops every traced thread of each hooked process, puts back the return
   * addresses and the original code, moves threads caught at a breakpoint back onto the original
   * code (swallowing our pending `SIGTRAP`s), and lets them run again; the tracer then detaches as
   * usual.
   */
  async quiesce(threads: TlsThread[]): Promise<void> {
    for (const [tgid, p] of this.procs) {
      if (!p.inserted || p.tgid !== tgid) continue;
      try {
        await this.quiesceOne(p, threads.filter((t) => t.tgid === p.tgid));
      } catch (e) {
        this.internal(e);
      }
    }
  }

  /** {@linkcode quiesce} for one process. */
  private async quiesceOne(p: Proc, threads: TlsThread[]): Promise<void> {
    const stopped = new Map<number, number>();
    for (const t of threads) pt.interrupt(t.pid);
    const deadline = performance.now() + 3000;
    const left = new Set(threads.map((t) => t.pid));
    while (left.size && performance.now() < deadline) {
      for (const tid of [...left]) {
        const r = pt.wait(tid, WAIT.WNOHANG);
        if (r === 0) continue;
        left.delete(tid);
        if (r === tid && pt.status.stopped(pt.waitStatus[0])) stopped.set(tid, pt.waitStatus[0]);
      }
      if (left.size) await new Promise((res) => setTimeout(res, 1));
    }
    const any = stopped.keys().next().value;
    if (any === undefined) {
      // Nobody stopped: write through /proc/PID/mem.
      this.remove(p, 0);
    } else this.remove(p, any);
    p.inserted = false;
    p.state = "off";
    for (const [tid, s] of stopped) {
      const ev = pt.status.event(s);
      const sig = pt.status.stopSig(s);
      let deliver = 0;
      if (ev === 0 && sig === SIG.SIGTRAP) {
        if (!breakpointTrap(tid) || !this.unTrap(p, tid)) deliver = sig;
      } else if (ev === 0 && sig !== (SIG.SIGTRAP | 0x80)) {
        deliver = sig;
      } else if (
        ev === PTRACE_EVENT.FORK || ev === PTRACE_EVENT.VFORK || ev === PTRACE_EVENT.CLONE
      ) {
        const child = pt.getEventMsg(tid);
        if (child > 0 && tgidOf(child) !== p.tgid && ev !== PTRACE_EVENT.VFORK) {
          // The child has the breakpoints as they were before: clean its copy, as at a fork.
          pt.wait(child, 0);
          const calls = this.calls.get(tid) ?? [];
          for (const c of calls) this.write64(child, c.rsp, c.ret);
          for (const st of p.sites.values()) {
            this.writeText(child, child, st.addr, st.orig.subarray(0, 1));
          }
        }
      }
      if (ev === 0 && sig !== (SIG.SIGTRAP | 0x80) && pendingTrap(tid) && this.unTrap(p, tid)) {
        // The int3 ran but its SIGTRAP is still queued: take it now, so it never reaches the
        // process once detached.
        pt.cont(tid, deliver);
        deliver = 0;
        if (pt.wait(tid, 0) !== tid) continue;
      } else if (ev !== 0 && pendingTrap(tid) && this.unTrap(p, tid)) {
        pt.cont(tid, 0);
        if (pt.wait(tid, 0) !== tid) continue;
      }
      if (ev === PTRACE_EVENT.STOP && sig !== SIG.SIGTRAP) pt.listen(tid);
      else pt.syscall(tid, deliver);
    }
  }

  /** At the end: breakpoints of processes no thread of which could be stopped go away too. */
  finish(): void {
    for (const p of this.procs.values()) {
      if (!p.inserted) continue;
      this.remove(p, 0);
      p.inserted = false;
    }
  }

  /** A bug of ours in TLS decoding: reported, never thrown at the tracer. */
  private internal(e: unknown): void {
    message(
      `${this.cfg.prog}: internal error in TLS decoding: ${e instanceof Error ? e.message : e}`,
    );
  }
}

/** The index of the call whose return is a trap at `x` with stack pointer `rsp`, or -1. */
function returnOf(calls: Call[] | undefined, x: number, rsp: number): number {
  if (!calls) return -1;
  for (let i = calls.length - 1; i >= 0; i--) {
    if (calls[i].tramp === x && calls[i].rsp + 8 === rsp) return i;
  }
  return -1;
}

/** The thread group of a thread (itself if unknown). */
function tgidOf(pid: number): number {
  return procStatus(pid)?.tgid ?? pid;
}

/** `Tgid` and `PPid` from `/proc/PID/status`. */
function procStatus(pid: number): { tgid: number; ppid: number } | undefined {
  try {
    const st = Deno.readTextFileSync(`/proc/${pid}/status`);
    const t = /\nTgid:\s*(\d+)/.exec(st);
    const p = /\nPPid:\s*(\d+)/.exec(st);
    if (!t || !p) return undefined;
    return { tgid: Number(t[1]), ppid: Number(p[1]) };
  } catch {
    return undefined;
  }
}

/** Whether a thread's `SIGTRAP` stop comes from an `int3` (`si_code` `SI_KERNEL`), not `kill`. */
function breakpointTrap(tid: number): boolean {
  return pt.getSiginfo(tid) === 0 && pt.siginfo[8] === 0x80 && pt.siginfo[9] === 0 &&
    pt.siginfo[10] === 0 && pt.siginfo[11] === 0;
}

/** Whether a thread has a `SIGTRAP` queued (`SigPnd` bit 5). */
function pendingTrap(tid: number): boolean {
  try {
    const st = Deno.readTextFileSync(`/proc/${tid}/status`);
    const m = /\nSigPnd:\s*([0-9a-f]+)/.exec(st);
    return m ? (parseInt(m[1].slice(-2), 16) & 0x10) !== 0 : false;
  } catch {
    return false;
  }
}
