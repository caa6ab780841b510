/**
 * The concrete {@linkcode SyscallCall} the tracer hands to decoders: one per tracee, reused for
 * every stop, backed by the raw argument words copied out of `PTRACE_GET_SYSCALL_INFO`.
 * @module
 */

import type {
  FdResolver,
  FormatOptions,
  MemoryReader,
  SyscallArgs,
  SyscallCall,
} from "../../decoders/api.ts";
import { hexHalves, swide, wide } from "../../decoders/u64.ts";

/** Raw argument words: six u64 values as lo/hi u32 pairs. */
export class RawArgs implements SyscallArgs {
  /** `[lo0, hi0, lo1, hi1, …]`. */
  readonly w: Uint32Array = new Uint32Array(12);
  /** Unsigned 64-bit (see `wide` in `decoders/u64.ts`: printed exactly even above 2^53). */
  u(n: number): number {
    return wide(this.w[2 * n], this.w[2 * n + 1]);
  }
  /** Signed 64-bit (see `swide` in `decoders/u64.ts`). */
  s(n: number): number {
    return swide(this.w[2 * n], this.w[2 * n + 1]);
  }
  /** Signed 32-bit. */
  i(n: number): number {
    return this.w[2 * n] | 0;
  }
  /** Unsigned 32-bit. */
  ui(n: number): number {
    return this.w[2 * n];
  }
  /** Exact BigInt. */
  big(n: number): bigint {
    return (BigInt(this.w[2 * n + 1]) << 32n) | BigInt(this.w[2 * n]);
  }
  /** `%#lx`. */
  hex(n: number): string {
    return hexHalves(this.w[2 * n], this.w[2 * n + 1]);
  }
  /** Low word. */
  lo(n: number): number {
    return this.w[2 * n];
  }
  /** High word. */
  hi(n: number): number {
    return this.w[2 * n + 1];
  }
}

/** A reusable syscall stop. */
export class Call implements SyscallCall {
  /** Thread id. */
  pid: number;
  /** Syscall number. */
  nr = 0;
  /** Syscall name. */
  name = "";
  /** Raw arguments. */
  readonly args: RawArgs = new RawArgs();
  /** Exit stop? (Set at every stop: it also drops the memory reader's cached page.) */
  get exiting(): boolean {
    return this.#exiting;
  }
  set exiting(v: boolean) {
    this.#exiting = v;
    this.mem.invalidate?.();
  }
  #exiting = false;
  /** Return value, low word. */
  rvalLo = 0;
  /** Return value, high word. */
  rvalHi = 0;
  /** errno on failure. */
  errno = 0;
  /** The stack pointer at the stop. */
  sp = 0;
  /** Memory. */
  readonly mem: MemoryReader;
  /** Descriptors. */
  readonly fds: FdResolver;
  /** Options. */
  opts: FormatOptions;
  /** Decoder scratch. */
  state: Record<string, unknown> = {};

  /** Creates the call object of one tracee. */
  constructor(pid: number, mem: MemoryReader, fds: FdResolver, opts: FormatOptions) {
    this.pid = pid;
    this.mem = mem;
    this.fds = fds;
    this.opts = opts;
  }

  /** Signed return value (see `swide` in `decoders/u64.ts`). */
  get rval(): number {
    return swide(this.rvalLo, this.rvalHi);
  }

  /** Exact signed return value. */
  get rvalBig(): bigint {
    return BigInt.asIntN(64, (BigInt(this.rvalHi) << 32n) | BigInt(this.rvalLo));
  }
}
