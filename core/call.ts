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
} from "../decoders/api.ts";

const TWO32 = 4294967296;

/** Raw argument words: six u64 values as lo/hi u32 pairs. */
export class RawArgs implements SyscallArgs {
  /** `[lo0, hi0, lo1, hi1, …]`. */
  readonly w: Uint32Array = new Uint32Array(12);
  /** Unsigned 64-bit. */
  u(n: number): number {
    return this.w[2 * n + 1] * TWO32 + this.w[2 * n];
  }
  /** Signed 64-bit. */
  s(n: number): number {
    return (this.w[2 * n + 1] | 0) * TWO32 + this.w[2 * n];
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
    const lo = this.w[2 * n];
    const hi = this.w[2 * n + 1];
    if (hi === 0) return lo === 0 ? "0" : "0x" + lo.toString(16);
    return "0x" + hi.toString(16) + lo.toString(16).padStart(8, "0");
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
  /** Exit stop? */
  exiting = false;
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

  /** Signed return value. */
  get rval(): number {
    return (this.rvalHi | 0) * TWO32 + this.rvalLo;
  }

  /** Exact signed return value. */
  get rvalBig(): bigint {
    return BigInt.asIntN(64, (BigInt(this.rvalHi) << 32n) | BigInt(this.rvalLo));
  }
}
