/**
 * Builds a {@linkcode SyscallCall} without a tracee, for unit tests of decoders: arguments are
 * given as numbers or BigInts, memory as a list of `[address, bytes]` regions.
 * @module
 */
import { callArgsText, resultText } from "../../decoders/value.ts";
import type {
  CString,
  DecoderTable,
  FdResolver,
  FormatOptions,
  MemoryReader,
  SyscallArgs,
  SyscallCall,
} from "../../decoders/api.ts";

/** A fake tracee memory made of regions. */
export class FakeMemory implements MemoryReader {
  /** The regions, as `[address, bytes]`. */
  regions: [number, Uint8Array][] = [];

  /** Adds a region and returns its address. */
  put(addr: number, bytes: Uint8Array | string): number {
    const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    this.regions.push([addr, b]);
    return addr;
  }

  private byteAt(a: number): number | undefined {
    for (const [base, b] of this.regions) {
      if (a >= base && a < base + b.length) return b[a - base];
    }
    return undefined;
  }

  /** Reads exactly `len` bytes or returns null. */
  read(addr: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const v = this.byteAt(addr + i);
      if (v === undefined) return null;
      out[i] = v;
    }
    return out;
  }

  /** Reads the readable prefix of `len` bytes. */
  readPartial(addr: number, len: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < len; i++) {
      const v = this.byteAt(addr + i);
      if (v === undefined) break;
      out.push(v);
    }
    return new Uint8Array(out);
  }

  /** Reads a NUL-terminated string of at most `max` bytes. */
  readCString(addr: number, max: number): CString | null {
    const out: number[] = [];
    for (let i = 0; i <= max; i++) {
      const v = this.byteAt(addr + i);
      if (v === undefined) {
        return i === 0 ? null : { bytes: new Uint8Array(out), terminated: false };
      }
      if (v === 0) return { bytes: new Uint8Array(out), terminated: true };
      if (i === max) break;
      out.push(v);
    }
    return { bytes: new Uint8Array(out), terminated: false };
  }
}

/** Raw arguments from numbers/BigInts. */
export function fakeArgs(values: (number | bigint)[]): SyscallArgs {
  const big = Array.from({ length: 6 }, (_, i) => BigInt.asUintN(64, BigInt(values[i] ?? 0)));
  const lo = (n: number) => Number(big[n] & 0xffffffffn);
  const hi = (n: number) => Number(big[n] >> 32n);
  return {
    u: (n) => hi(n) * 4294967296 + lo(n),
    s: (n) => (hi(n) | 0) * 4294967296 + lo(n),
    i: (n) => lo(n) | 0,
    ui: (n) => lo(n),
    big: (n) => big[n],
    hex: (n) => (big[n] === 0n ? "0" : "0x" + big[n].toString(16)),
    lo,
    hi,
  };
}

/** Options for {@linkcode fakeCall}. */
export interface FakeCallOptions {
  /** Syscall name. */
  name?: string;
  /** Raw arguments. */
  args?: (number | bigint)[];
  /** Exit stop: the return value (negative = -errno). Omit for an entry stop. */
  ret?: number;
  /** The memory. */
  mem?: FakeMemory;
  /** Descriptor paths for -y. */
  fdPaths?: Record<number, string>;
  /** Format options overrides. */
  opts?: Partial<FormatOptions>;
  /** Stack pointer. */
  sp?: number;
  /** Carried state. */
  state?: Record<string, unknown>;
}

/** Default format options (strace's defaults). */
export const defaultOpts: FormatOptions = {
  strsize: 32,
  verbose: false,
  hexStrings: 0,
  xlat: "abbrev",
  decodeFds: 0,
};

/** Builds a fake syscall stop. */
export function fakeCall(o: FakeCallOptions = {}): SyscallCall {
  const fds: FdResolver = {
    path: (fd) => o.fdPaths?.[fd],
    socketDetail: () => undefined,
    cwd: () => "/",
  };
  const exiting = o.ret !== undefined;
  const ret = o.ret ?? 0;
  const errno = ret < 0 && ret > -4096 ? -ret : 0;
  return {
    pid: 1234,
    nr: 0,
    name: o.name ?? "test",
    args: fakeArgs(o.args ?? []),
    exiting,
    rval: ret,
    rvalBig: BigInt(ret),
    errno,
    sp: o.sp ?? 0,
    mem: o.mem ?? new FakeMemory(),
    fds,
    opts: { ...defaultOpts, ...o.opts },
    state: o.state ?? {},
  };
}

/**
 * Renders a call of `table` as strace prints it: `name(args) = result`, without column padding;
 * an error return (-4095..-1) prints as `-1 errno=N`, a success through the decoder's `result()`.
 */
export function callLine(
  table: DecoderTable,
  o: FakeCallOptions & { name: string; ret: number },
): string {
  const d = table[o.name];
  const state = {};
  const enter = d.enter?.(fakeCall({ ...o, ret: undefined, state })) ?? "";
  const ex = fakeCall({ ...o, state });
  const text = callArgsText(enter, d.exit?.(ex));
  const rv = o.ret < 0 && o.ret > -4096 ? undefined : d.result?.(ex);
  const res = o.ret < 0 && o.ret > -4096
    ? `-1 errno=${-o.ret}`
    : rv === undefined
    ? String(o.ret)
    : resultText(rv);
  return `${o.name}(${text}) = ${res}`;
}

/**
 * Runs decoder `name` of `table` through entry and exit: `name(args)`, followed by ` = result`
 * only when the call succeeded and the decoder's `result()` replaces the return value.
 */
export function callText(
  table: DecoderTable,
  name: string,
  o: FakeCallOptions & { ret: number },
): string {
  const d = table[name];
  const state = {};
  const e = fakeCall({ ...o, ret: undefined, state });
  const x = fakeCall({ ...o, state });
  const text = callArgsText(d.enter?.(e) ?? "", d.exit?.(x));
  const rv = x.errno ? undefined : d.result?.(x);
  const r = rv === undefined ? undefined : resultText(rv);
  return `${name}(${text})` + (r !== undefined ? ` = ${r}` : "");
}

/**
 * strace's text for a time in the local zone (`2023-11-14T22:13:20.000000005+0000`, the
 * nanoseconds only when not zero), computed by date(1), which uses the C library's zone rules as
 * strace does: the expected value of decoders that print times, in whatever zone the tests run.
 */
export function localTime(sec: number, nsec = 0): string {
  const r = new Deno.Command("date", {
    args: ["-d", `@${sec}`, "+%Y-%m-%dT%H:%M:%S %z"],
    env: { LC_ALL: "C" },
  }).outputSync();
  if (!r.success) throw new Error(`date: ${new TextDecoder().decode(r.stderr)}`);
  const [when, zone] = new TextDecoder().decode(r.stdout).trim().split(" ");
  return when + (nsec ? "." + String(nsec).padStart(9, "0") : "") + zone;
}
