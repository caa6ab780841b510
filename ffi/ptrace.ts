/**
 * Thin, allocation-free wrappers over the ptrace requests and `waitpid`. Results are plain
 * numbers; the syscall-info buffer is shared and read as 32-bit halves (no BigInt on the hot path).
 * @module
 */

import { errno, libc } from "./libc.ts";
import { PTRACE, WAIT } from "./constants.ts";

/** Small BigInts, cached: 64-bit FFI arguments are cheapest as BigInts. */
const B: bigint[] = Array.from({ length: 129 }, (_, i) => BigInt(i));
const B0 = 0n;

/** The shared status word of the last {@linkcode wait}. */
export const waitStatus: Int32Array<ArrayBuffer> = new Int32Array(1);

/** The shared buffer `PTRACE_GET_SYSCALL_INFO` fills (struct ptrace_syscall_info, 88 bytes). */
export const syscallInfo: Uint32Array<ArrayBuffer> = new Uint32Array(32);
const syscallInfoBytes = new Uint8Array(syscallInfo.buffer);

/** The shared siginfo buffer `PTRACE_GETSIGINFO` fills (128 bytes). */
export const siginfo: Uint8Array<ArrayBuffer> = new Uint8Array(128);

/** The shared user_regs_struct buffer (27 u64). */
export const regs: Uint32Array<ArrayBuffer> = new Uint32Array(54);
const regsBytes = new Uint8Array(regs.buffer);

const eventMsg = new Uint32Array(2);
const eventMsgBytes = new Uint8Array(eventMsg.buffer);

/** `waitpid(pid, &status, options | __WALL)`; returns the pid, 0, or -errno. */
export function wait(pid: number, options: number): number {
  const r = libc.waitpid(pid, waitStatus, options | WAIT.WALL);
  return r < 0 ? -errno() : r;
}

/** The shared `struct rusage` of the last {@linkcode waitRusage}. */
export const rusage: BigInt64Array<ArrayBuffer> = new BigInt64Array(18);
const rusageBytes = new Uint8Array(rusage.buffer);

/** `wait4` with rusage (for `-c`'s system time); returns the pid, 0, or -errno. */
export function waitRusage(pid: number, options: number): number {
  const r = libc.wait4(pid, waitStatus, options | WAIT.WALL, rusageBytes);
  return r < 0 ? -errno() : r;
}

/** System time in µs from the last {@linkcode waitRusage}. */
export function rusageStime(): number {
  return Number(rusage[2]) * 1e6 + Number(rusage[3]);
}

/** `PTRACE_SEIZE` with options; returns 0 or -errno. */
export function seize(pid: number, options: number): number {
  return libc.ptrace_ii(PTRACE.SEIZE, pid, B0, BigInt(options)) < 0 ? -errno() : 0;
}

/** Restarts a stopped tracee with `PTRACE_SYSCALL`, delivering `sig`; returns 0 or -errno. */
export function syscall(pid: number, sig: number): number {
  return libc.ptrace_ii(PTRACE.SYSCALL, pid, B0, B[sig & 127]) < 0 ? -errno() : 0;
}

/** Restarts with `PTRACE_CONT` (no more syscall stops until the next event). */
export function cont(pid: number, sig: number): number {
  return libc.ptrace_ii(PTRACE.CONT, pid, B0, B[sig & 127]) < 0 ? -errno() : 0;
}

/** `PTRACE_SINGLESTEP`: runs one instruction, then a `SIGTRAP` stop; returns 0 or -errno. */
export function singleStep(pid: number, sig: number): number {
  return libc.ptrace_ii(PTRACE.SINGLESTEP, pid, B0, B[sig & 127]) < 0 ? -errno() : 0;
}

/** `PTRACE_SETOPTIONS` on a stopped tracee; returns 0 or -errno. */
export function setOptions(pid: number, options: number): number {
  return libc.ptrace_ii(PTRACE.SETOPTIONS, pid, B0, BigInt(options)) < 0 ? -errno() : 0;
}

/** `PTRACE_LISTEN`: leaves a group-stopped tracee stopped but reports the next event. */
export function listen(pid: number): number {
  return libc.ptrace_ii(PTRACE.LISTEN, pid, B0, B0) < 0 ? -errno() : 0;
}

/** `PTRACE_INTERRUPT`: makes a seized tracee stop. */
export function interrupt(pid: number): number {
  return libc.ptrace_ii(PTRACE.INTERRUPT, pid, B0, B0) < 0 ? -errno() : 0;
}

/** `PTRACE_DETACH`, delivering `sig`. */
export function detach(pid: number, sig: number): number {
  return libc.ptrace_ii(PTRACE.DETACH, pid, B0, B[sig & 127]) < 0 ? -errno() : 0;
}

/** Fills {@linkcode syscallInfo}; returns the op (0 none, 1 entry, 2 exit, 3 seccomp) or -1. */
export function getSyscallInfo(pid: number): number {
  const r = libc.ptrace_ib(PTRACE.GET_SYSCALL_INFO, pid, B[88], syscallInfoBytes);
  if (r < 0) return -1;
  return syscallInfo[0] & 0xff;
}

/** Fills {@linkcode siginfo}; returns 0 or -errno. */
export function getSiginfo(pid: number): number {
  return libc.ptrace_ib(PTRACE.GETSIGINFO, pid, B0, siginfo) < 0 ? -errno() : 0;
}

/** Fills {@linkcode regs} (user_regs_struct); returns 0 or -errno. */
export function getRegs(pid: number): number {
  return libc.ptrace_ib(PTRACE.GETREGS, pid, B0, regsBytes) < 0 ? -errno() : 0;
}

/** `PTRACE_GETEVENTMSG` as a number (a new child's pid, an exit status). */
export function getEventMsg(pid: number): number {
  if (libc.ptrace_ib(PTRACE.GETEVENTMSG, pid, B0, eventMsgBytes) < 0) return -1;
  return eventMsg[0];
}

/** Decoded `waitpid` status helpers. */
export const status = {
  /** WIFEXITED. */
  exited: (s: number): boolean => (s & 0x7f) === 0,
  /** WEXITSTATUS. */
  exitCode: (s: number): number => (s >> 8) & 0xff,
  /** WIFSIGNALED. */
  signaled: (s: number): boolean => (s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f,
  /** WTERMSIG. */
  termSig: (s: number): number => s & 0x7f,
  /** WCOREDUMP. */
  coreDumped: (s: number): boolean => (s & 0x80) !== 0,
  /** WIFSTOPPED. */
  stopped: (s: number): boolean => (s & 0xff) === 0x7f,
  /** WSTOPSIG. */
  stopSig: (s: number): number => (s >> 8) & 0xff,
  /** The ptrace event of a stop. */
  event: (s: number): number => (s >>> 16) & 0xffff,
};
