/**
 * Changing a stopped tracee, for `-e inject=`: its syscall number at entry (`orig_rax`), its
 * return value at exit (`rax`), and bytes in its memory (`poke_enter=`/`poke_exit=`).
 * x86_64 only: register offsets are those of `struct user_regs_struct`.
 * @module
 */

import { errno, libc, setErrno } from "./libc.ts";
import { PTRACE } from "./constants.ts";
import { getRegs, regs } from "./ptrace.ts";

const regsBytes = new Uint8Array(regs.buffer);
/** `user_regs_struct` slots (u64 index). */
const RAX = 10;
const ORIG_RAX = 15;

/** Writes {@linkcode regs} back with `PTRACE_SETREGS`; 0 or -errno. */
export function setRegs(pid: number): number {
  return libc.ptrace_ib(PTRACE.SETREGS, pid, 0n, regsBytes) < 0 ? -errno() : 0;
}

/** Sets one 64-bit register of a stopped tracee; 0 or -errno. */
function setRegister(pid: number, slot: number, value: bigint): number {
  const r = getRegs(pid);
  if (r !== 0) return r;
  const v = BigInt.asUintN(64, value);
  regs[2 * slot] = Number(v & 0xffffffffn);
  regs[2 * slot + 1] = Number(v >> 32n);
  return setRegs(pid);
}

/** At a syscall-entry stop: makes the kernel run syscall `nr` instead (-1: none, `ENOSYS`). */
export function setSyscallNumber(pid: number, nr: number): number {
  return setRegister(pid, ORIG_RAX, BigInt(nr));
}

/** At a syscall-exit stop: sets the value the tracee sees returned (`-errno` for an error). */
export function setReturnValue(pid: number, value: bigint): number {
  return setRegister(pid, RAX, value);
}

/** The six syscall argument registers of a stopped tracee (rdi, rsi, rdx, r10, r8, r9). */
const ARG_SLOTS = [14, 13, 12, 7, 9, 8];

/** The value of syscall argument `n` (0-based) of a stopped tracee, or undefined. */
export function syscallArg(pid: number, n: number): bigint | undefined {
  if (n < 0 || n >= ARG_SLOTS.length || getRegs(pid) !== 0) return undefined;
  const s = ARG_SLOTS[n];
  return (BigInt(regs[2 * s + 1]) << 32n) | BigInt(regs[2 * s]);
}

/**
 * Writes `data` at `addr` in the tracee (`process_vm_writev`, then `PTRACE_POKEDATA` word by
 * word for read-only mappings); returns the bytes written.
 */
export function pokeMemory(pid: number, addr: bigint, data: Uint8Array): number {
  if (data.length === 0) return 0;
  const local = new BigUint64Array(2);
  const remote = new BigUint64Array(2);
  const buf = new Uint8Array(data);
  local[0] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf)));
  local[1] = BigInt(buf.length);
  remote[0] = addr;
  remote[1] = BigInt(buf.length);
  const n = libc.process_vm_writev(
    pid,
    new Uint8Array(local.buffer),
    1,
    new Uint8Array(remote.buffer),
    1,
    0,
  );
  if (n === buf.length) return n;
  // Word by word: read the word, patch the bytes, write it back.
  let done = 0;
  while (done < buf.length) {
    const a = addr + BigInt(done);
    const aligned = a & ~7n;
    const off = Number(a - aligned);
    const word = libc.ptrace_peek(PTRACE.PEEKDATA, pid, aligned, 0n);
    const bytes = new Uint8Array(new BigUint64Array([BigInt.asUintN(64, BigInt(word))]).buffer);
    const take = Math.min(8 - off, buf.length - done);
    bytes.set(buf.subarray(done, done + take), off);
    const w = new BigUint64Array(bytes.buffer)[0];
    if (libc.ptrace_ii(PTRACE.POKEDATA, pid, aligned, w) < 0) break;
    done += take;
  }
  return done;
}

/**
 * Writes `data` at `addr` in a stopped tracee's text (read-only, executable mappings) with
 * `PTRACE_PEEKTEXT`/`PTRACE_POKETEXT`, word by word; returns the bytes written (for breakpoints).
 */
export function pokeText(pid: number, addr: number, data: Uint8Array): number {
  let done = 0;
  const word = new BigUint64Array(1);
  const bytes = new Uint8Array(word.buffer);
  while (done < data.length) {
    const a = addr + done;
    const off = a % 8;
    const aligned = a - off;
    setErrno(0);
    const w = libc.ptrace_peek(PTRACE.PEEKTEXT, pid, BigInt(aligned), 0n);
    if (w === -1n && errno() !== 0) break;
    word[0] = BigInt.asUintN(64, BigInt(w));
    const take = Math.min(8 - off, data.length - done);
    bytes.set(data.subarray(done, done + take), off);
    if (libc.ptrace_ii(PTRACE.POKETEXT, pid, BigInt(aligned), word[0]) < 0) break;
    done += take;
  }
  return done;
}
