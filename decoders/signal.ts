/**
 * Decoders for the signal family of syscalls, printed as strace 6.1 prints them on x86_64:
 * `rt_sigaction`, `rt_sigprocmask`, `rt_sigreturn`, `rt_sigsuspend`, `rt_sigpending`,
 * `rt_sigtimedwait`, `rt_sigqueueinfo`, `rt_tgsigqueueinfo`, `sigaltstack`, `kill`, `tkill`,
 * `tgkill`, `pidfd_send_signal`, `pause`.
 *
 * `rt_sigreturn` prints the signal mask saved in the signal frame, which lies on the tracee's
 * stack at `c.sp`; with no stack pointer (0) the arguments are left empty.
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import { fdV, noDeref, timespecV, type Unread } from "./format.ts";
import { flags } from "./xlat.ts";
import type { Xlat } from "./xlat.ts";
import { NSIG_BYTES } from "./xlat/signals.ts";
import { printSignal, signalName, sigsetText } from "./signame.ts";
import { saHandlerValues, sigactFlags, sigaltstackFlags, sigprocmaskCmds } from "./xlat/misc.ts";
import { siginfoAt } from "./siginfo.ts";
import {
  type ArrayValue,
  decoded,
  type EnumValue,
  flagParts,
  type FlagsValue,
  type PtrValue,
  type SignalValue,
  type StructValue,
  V,
  type Value,
} from "./value.ts";

/** Offset of `uc.uc_sigmask` in x86_64's `struct rt_sigframe` (after `pretcode`). */
const SIGFRAME_MASK_OFFSET = 8 + 296;

/** Prints a 64-bit flag set held in a BigInt, like strace's `printflags64`. */
export function flags64(table: Xlat, value: bigint, style: XlatStyle, dflt?: string): string {
  if (value < 2n ** 53n) return flags(table, Number(value), style, dflt);
  const raw = "0x" + value.toString(16);
  if (style === "raw") return raw;
  const names: string[] = [];
  let rest = value;
  for (const [name, v] of table.entries) {
    const b = BigInt(v);
    if (b !== 0n && (rest & b) === b) {
      names.push(name);
      rest &= ~b;
    }
  }
  if (style === "verbose") {
    if (!names.length) return dflt ? `${raw} /* ${dflt} */` : raw;
    return `${raw} /* ${names.join("|")}${rest ? "|0x" + rest.toString(16) : ""} */`;
  }
  if (!names.length) return dflt ? `${raw} /* ${dflt} */` : raw;
  if (rest) names.push("0x" + rest.toString(16));
  return names.join("|");
}

/** {@linkcode flags64} as a typed value: the names of the set bits and the rest. */
export function flags64V(
  table: Xlat,
  value: bigint,
  style: XlatStyle,
  dflt?: string,
): FlagsValue {
  const { names, rest } = flagParts(table, value < 2n ** 53n ? Number(value) : value);
  return V.flagsOf(names, rest, value, flags64(table, value, style, dflt));
}

/** Whether an output argument must be printed as its address (the call failed). */
function outFailed(c: SyscallCall): boolean {
  return c.exiting && c.errno !== 0;
}

/** A signal number as strace's `printsignal` prints it under `-X`. */
export function signalV(n: number, style: XlatStyle): SignalValue {
  return V.signal(n, signalName(n), printSignal(n, style));
}

/** A signal argument given as a C `int`. */
function sigArg(c: SyscallCall, n: number): SignalValue {
  return signalV(c.args.i(n), c.opts.xlat);
}

/**
 * A signal set read from the tracee, as an array of the signals it holds (`[USR1 CHLD]`; the
 * text is strace's, which prints a mostly full set as its complement, `~[RTMIN RT_1]`).
 */
export function sigsetValue(bytes: Uint8Array, style: XlatStyle): ArrayValue {
  const len = Math.min(bytes.length, NSIG_BYTES);
  const items: Value[] = [];
  for (let i = 0; i < len * 8; i++) {
    if (bytes[i >> 3] & (1 << (i & 7))) items.push(V.signal(i + 1, signalName(i + 1)));
  }
  return { ...V.array(items), text: sigsetText(bytes, style) };
}

/**
 * The sigset of `len` bytes at `addr` (strace's `print_sigset_addr_len_limit`): the address
 * when `len` is out of range, unreadable, or the call failed.
 */
export function sigsetAtV(
  c: SyscallCall,
  addr: number,
  len: number,
  minLen = 8,
): ArrayValue | Unread {
  if (!addr) return V.ptr(0);
  if (len < minLen || len > NSIG_BYTES || outFailed(c) || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, len);
  if (!b) return V.unavailable(addr);
  return sigsetValue(b, c.opts.xlat);
}

/** A 64-bit address as strace's `printaddr64`. */
export function ptr64(v: bigint): PtrValue {
  return V.ptr(v < 2n ** 53n ? Number(v) : v);
}

function saHandlerV(v: bigint, style: XlatStyle): EnumValue | PtrValue {
  if (v === 0xffffffffffffffffn) {
    const text = style === "raw"
      ? "0xffffffffffffffff"
      : style === "verbose"
      ? "0xffffffffffffffff /* SIG_ERR */"
      : "SIG_ERR";
    return V.named("SIG_ERR", v, text);
  }
  if (v < 2n) return V.xval(saHandlerValues, Number(v), style);
  return ptr64(v);
}

/** The size of the kernel's `struct sigaction` as strace reads it (sa_mask of 64 bytes). */
const SIGACTION_SIZE = 8 + 8 + 8 + 64;

/** A `struct sigaction *` (strace's `decode_new_sigaction`). */
function sigactionAt(c: SyscallCall, addr: number): StructValue | Unread {
  if (!addr) return V.ptr(0);
  if (outFailed(c) || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, SIGACTION_SIZE);
  if (!b) return V.unavailable(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const style = c.opts.xlat;
  const saFlags = v.getBigUint64(8, true);
  const fields: [string, Value][] = [
    ["sa_handler", saHandlerV(v.getBigUint64(0, true), style)],
    ["sa_mask", sigsetValue(b.subarray(24, 24 + NSIG_BYTES), style)],
    ["sa_flags", flags64V(sigactFlags, saFlags, style, "SA_???")],
  ];
  if (saFlags & 0x04000000n) fields.push(["sa_restorer", ptr64(v.getBigUint64(16, true))]);
  return V.struct(fields);
}

/** A `stack_t *` (strace's `print_stack_t`). */
function stackAt(c: SyscallCall, addr: number): StructValue | Unread {
  if (!addr) return V.ptr(0);
  if (outFailed(c) || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, 24);
  if (!b) return V.unavailable(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return V.struct([
    ["ss_sp", ptr64(v.getBigUint64(0, true))],
    ["ss_flags", V.flags(sigaltstackFlags, v.getInt32(8, true) >>> 0, c.opts.xlat, "SS_???")],
    ["ss_size", V.uint(v.getBigUint64(16, true))],
  ]);
}

/** A pid argument: a signed int. */
function pid(c: SyscallCall, n: number): Value {
  return V.int(c.args.i(n));
}

/** A size argument: an unsigned long. */
function size(c: SyscallCall, n: number): Value {
  return V.uint(c.args.u(n));
}

/** A siginfo argument (`siginfo.ts` gives its text; typed when that module is converted). */
export function siginfoV(c: SyscallCall, addr: number): Value {
  return V.raw(siginfoAt(c, addr));
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  rt_sigaction: {
    enter: (c) => [sigArg(c, 0), sigactionAt(c, c.args.u(1))],
    exit: (c) => [sigactionAt(c, c.args.u(2)), size(c, 3)],
  },
  rt_sigprocmask: {
    enter: (c) => [
      V.xval(sigprocmaskCmds, c.args.ui(0), c.opts.xlat, "SIG_???"),
      sigsetAtV(c, c.args.u(1), c.args.u(3)),
    ],
    exit: (c) => [sigsetAtV(c, c.args.u(2), c.args.u(3)), size(c, 3)],
  },
  rt_sigreturn: {
    enter: (c) => {
      const sp = c.sp;
      if (!sp) return [];
      const maskAddr = sp - 8 + SIGFRAME_MASK_OFFSET;
      const b = noDeref(c) ? null : c.mem.read(maskAddr, NSIG_BYTES);
      return [
        V.struct([["mask", b ? sigsetValue(b, c.opts.xlat) : V.unavailable(maskAddr)]]),
      ];
    },
  },
  rt_sigsuspend: {
    enter: (c) => [sigsetAtV(c, c.args.u(0), c.args.u(1)), size(c, 1)],
  },
  rt_sigpending: {
    exit: (c) => [sigsetAtV(c, c.args.u(0), c.args.u(1), 1), size(c, 1)],
  },
  rt_sigtimedwait: {
    enter: (c) => {
      const set = sigsetAtV(c, c.args.u(0), c.args.u(3));
      // With no `info`, or outside `-e verbose=`, strace prints everything at entry.
      if (!c.args.u(1) || noDeref(c)) {
        c.state.sigwaitDone = true;
        return decoded([set, V.ptr(c.args.u(1)), timespecV(c, c.args.u(2)), size(c, 3)]);
      }
      c.state.timeout = timespecV(c, c.args.u(2));
      return [set];
    },
    exit: (c) => {
      if (c.state.sigwaitDone) return [];
      const ts = (c.state.timeout as Value | undefined) ?? timespecV(c, c.args.u(2));
      return [siginfoV(c, c.args.u(1)), ts, size(c, 3)];
    },
    result: (c) => {
      if (!c.rval) return undefined;
      const name = signalName(c.rval);
      return name === undefined ? undefined : V.signal(c.rval, name, `${c.rval} (${name})`);
    },
  },
  rt_sigqueueinfo: {
    enter: (c) => [pid(c, 0), sigArg(c, 1), siginfoV(c, c.args.u(2))],
  },
  rt_tgsigqueueinfo: {
    enter: (c) => [pid(c, 0), pid(c, 1), sigArg(c, 2), siginfoV(c, c.args.u(3))],
  },
  pidfd_send_signal: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      sigArg(c, 1),
      siginfoV(c, c.args.u(2)),
      V.hex(c.args.ui(3)),
    ],
  },
  sigaltstack: {
    enter: (c) => [stackAt(c, c.args.u(0))],
    exit: (c) => [stackAt(c, c.args.u(1))],
  },
  kill: { enter: (c) => [pid(c, 0), sigArg(c, 1)] },
  tkill: { enter: (c) => [pid(c, 0), sigArg(c, 1)] },
  tgkill: { enter: (c) => [pid(c, 0), pid(c, 1), sigArg(c, 2)] },
  pause: {},
};
