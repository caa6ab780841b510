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
import { fd, noDeref, ptrText, timespec } from "./format.ts";
import { flags, hex, xval } from "./xlat.ts";
import type { Xlat } from "./xlat.ts";
import { NSIG_BYTES } from "./xlat/signals.ts";
import { printSignal, signalName, sigsetText } from "./signame.ts";
import { saHandlerValues, sigactFlags, sigaltstackFlags, sigprocmaskCmds } from "./xlat/misc.ts";
import { siginfoAt } from "./siginfo.ts";
import { uText } from "./u64.ts";

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

/** Whether an output argument must be printed as its address (the call failed). */
function outFailed(c: SyscallCall): boolean {
  return c.exiting && c.errno !== 0;
}

/** Prints a signal argument given as a C `int`. */
export function sigArg(c: SyscallCall, n: number): string {
  return printSignal(c.args.i(n), c.opts.xlat);
}

/**
 * Prints the sigset of `len` bytes at `addr` (strace's `print_sigset_addr_len_limit`): the
 * address when `len` is out of range, unreadable, or the call failed.
 */
export function sigsetAt(c: SyscallCall, addr: number, len: number, minLen = 8): string {
  if (!addr) return "NULL";
  if (len < minLen || len > NSIG_BYTES || outFailed(c) || noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, len);
  if (!b) return hex(addr);
  return sigsetText(b, c.opts.xlat);
}

function saHandlerText(v: bigint, style: XlatStyle): string {
  if (v === 0xffffffffffffffffn) return xvalName("SIG_ERR", "0xffffffffffffffff", style);
  if (v < 2n) return xval(saHandlerValues, Number(v), style);
  return "0x" + v.toString(16);
}

function xvalName(name: string, raw: string, style: XlatStyle): string {
  if (style === "raw") return raw;
  return style === "verbose" ? `${raw} /* ${name} */` : name;
}

/** The size of the kernel's `struct sigaction` as strace reads it (sa_mask of 64 bytes). */
const SIGACTION_SIZE = 8 + 8 + 8 + 64;

/** Prints a `struct sigaction *` (strace's `decode_new_sigaction`). */
function sigactionAt(c: SyscallCall, addr: number): string {
  if (!addr) return "NULL";
  if (outFailed(c) || noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, SIGACTION_SIZE);
  if (!b) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const style = c.opts.xlat;
  const handler = v.getBigUint64(0, true);
  const saFlags = v.getBigUint64(8, true);
  const restorer = v.getBigUint64(16, true);
  let s = `{sa_handler=${saHandlerText(handler, style)}, sa_mask=${
    sigsetText(b.subarray(24, 24 + NSIG_BYTES), style)
  }, sa_flags=${flags64(sigactFlags, saFlags, style, "SA_???")}`;
  if (saFlags & 0x04000000n) {
    s += `, sa_restorer=${restorer ? "0x" + restorer.toString(16) : "NULL"}`;
  }
  return s + "}";
}

/** Prints a `stack_t *` (strace's `print_stack_t`). */
function stackAt(c: SyscallCall, addr: number): string {
  if (!addr) return "NULL";
  if (outFailed(c) || noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, 24);
  if (!b) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sp = v.getBigUint64(0, true);
  return `{ss_sp=${sp ? "0x" + sp.toString(16) : "NULL"}, ss_flags=${
    flags(sigaltstackFlags, v.getInt32(8, true) >>> 0, c.opts.xlat, "SS_???")
  }, ss_size=${v.getBigUint64(16, true)}}`;
}

/** The pid arguments: printed as signed ints. */
function pid(c: SyscallCall, n: number): string {
  return String(c.args.i(n));
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  rt_sigaction: {
    enter: (c) => `${sigArg(c, 0)}, ${sigactionAt(c, c.args.u(1))}, `,
    exit: (c) => `${sigactionAt(c, c.args.u(2))}, ${uText(c.args.u(3))}`,
  },
  rt_sigprocmask: {
    enter: (c) =>
      `${xval(sigprocmaskCmds, c.args.ui(0), c.opts.xlat, "SIG_???")}, ${
        sigsetAt(c, c.args.u(1), c.args.u(3))
      }, `,
    exit: (c) => `${sigsetAt(c, c.args.u(2), c.args.u(3))}, ${uText(c.args.u(3))}`,
  },
  rt_sigreturn: {
    enter: (c) => {
      const sp = c.sp;
      if (!sp) return "";
      const maskAddr = sp - 8 + SIGFRAME_MASK_OFFSET;
      const b = noDeref(c) ? null : c.mem.read(maskAddr, NSIG_BYTES);
      return `{mask=${b ? sigsetText(b, c.opts.xlat) : hex(maskAddr)}}`;
    },
  },
  rt_sigsuspend: {
    enter: (c) => `${sigsetAt(c, c.args.u(0), c.args.u(1))}, ${uText(c.args.u(1))}`,
  },
  rt_sigpending: {
    exit: (c) => `${sigsetAt(c, c.args.u(0), c.args.u(1), 1)}, ${uText(c.args.u(1))}`,
  },
  rt_sigtimedwait: {
    enter: (c) => {
      const set = sigsetAt(c, c.args.u(0), c.args.u(3));
      // With no `info`, or outside `-e verbose=`, strace prints everything at entry.
      if (!c.args.u(1) || noDeref(c)) {
        c.state.sigwaitDone = true;
        return `${set}, ${ptrText(c.args.u(1))}, ${timespec(c, c.args.u(2))}, ${
          uText(c.args.u(3))
        }`;
      }
      c.state.timeout = timespec(c, c.args.u(2));
      return `${set}, `;
    },
    exit: (c) => {
      if (c.state.sigwaitDone) return "";
      const ts = typeof c.state.timeout === "string" ? c.state.timeout : timespec(c, c.args.u(2));
      return `${siginfoAt(c, c.args.u(1))}, ${ts}, ${uText(c.args.u(3))}`;
    },
    result: (c) => {
      if (!c.rval) return undefined;
      const name = signalName(c.rval);
      return name === undefined ? undefined : `${c.rval} (${name})`;
    },
  },
  rt_sigqueueinfo: {
    enter: (c) => `${pid(c, 0)}, ${sigArg(c, 1)}, ${siginfoAt(c, c.args.u(2))}`,
  },
  rt_tgsigqueueinfo: {
    enter: (c) => `${pid(c, 0)}, ${pid(c, 1)}, ${sigArg(c, 2)}, ${siginfoAt(c, c.args.u(3))}`,
  },
  pidfd_send_signal: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${sigArg(c, 1)}, ${siginfoAt(c, c.args.u(2))}, ${hex(c.args.ui(3))}`,
  },
  sigaltstack: {
    enter: (c) => `${stackAt(c, c.args.u(0))}, `,
    exit: (c) => stackAt(c, c.args.u(1)),
  },
  kill: { enter: (c) => `${pid(c, 0)}, ${sigArg(c, 1)}` },
  tkill: { enter: (c) => `${pid(c, 0)}, ${sigArg(c, 1)}` },
  tgkill: { enter: (c) => `${pid(c, 0)}, ${pid(c, 1)}, ${sigArg(c, 2)}` },
  pause: {},
};
