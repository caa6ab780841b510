/**
 * Decoders for the time syscalls: nanosleep, clock_nanosleep, clock_gettime, clock_getres,
 * clock_settime, gettimeofday, settimeofday, time, times, getitimer, setitimer, alarm,
 * timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete, adjtimex and
 * clock_adjtime, printed as strace 6.1 prints them.
 *
 * Also exports the time and signal-set printers the epoll/poll/select decoders share
 * (`struct timespec` with strace's unsigned `tv_nsec`, `struct itimerspec`, signal masks, …).
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import { array, failed, noDeref, ptrText, timespecText, timevalText } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import {
  adjtimexModes,
  adjtimexState,
  adjtimexStatus,
  clockFlags,
  clockNames,
  itimerWhich,
  sigevNotify,
} from "./xlat/time.ts";
import { printSignal, sigsetText } from "./signame.ts";
import { u64At } from "./u64.ts";

/** `ERESTARTSYS`, `ERESTARTNOINTR`, `ERESTARTNOHAND`, `ERESTART_RESTARTBLOCK`. */
const ERESTART = new Set([512, 513, 514, 516]);

/** Whether the call was interrupted and will be restarted (strace's `is_erestart`). */
export function isErestart(c: SyscallCall): boolean {
  return ERESTART.has(c.errno);
}

/**
 * Reads `size` bytes at `addr` as strace's `umove_or_printaddr` does: `NULL` for a null pointer,
 * the address when it cannot be read, when `-e verbose=` excludes the call, or when the call
 * failed (at exit, unless `ignoreError`), else `print()` of the bytes.
 */
export function fetch(
  c: SyscallCall,
  addr: number,
  size: number,
  print: (v: DataView) => string,
  ignoreError = false,
): string {
  if (!addr) return "NULL";
  if (noDeref(c) || (c.exiting && !ignoreError && failed(c))) return ptrText(addr);
  const bytes = c.mem.read(addr, size);
  if (!bytes) return ptrText(addr);
  return print(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** strace's `print_array` (the shared one in `format.ts`). */
export const printArray: typeof array = array;

/** `{tv_sec=S, tv_nsec=N}` with strace's signed seconds and unsigned nanoseconds. */
export function tsText(v: DataView, off = 0): string {
  return timespecText(v, off);
}

/** `{tv_sec=S, tv_usec=U}` with strace's signed seconds and unsigned microseconds. */
export function tvText(v: DataView, off = 0): string {
  return timevalText(v, off);
}

/** Prints a `struct timespec *` (strace's `print_timespec64`). */
export function printTimespec(c: SyscallCall, addr: number, ignoreError = false): string {
  return fetch(c, addr, 16, (v) => tsText(v), ignoreError);
}

/** Prints a `struct timeval *` (strace's `print_timeval`). */
export function printTimeval(c: SyscallCall, addr: number): string {
  return fetch(c, addr, 16, (v) => tvText(v));
}

/** Prints a `struct itimerspec *`. */
export function printItimerspec(c: SyscallCall, addr: number): string {
  return fetch(c, addr, 32, (v) => `{it_interval=${tsText(v, 0)}, it_value=${tsText(v, 16)}}`);
}

/** Prints a `struct itimerval *`. */
export function printItimerval(c: SyscallCall, addr: number): string {
  return fetch(c, addr, 32, (v) => `{it_interval=${tvText(v, 0)}, it_value=${tvText(v, 16)}}`);
}

/**
 * Prints a signal set pointer with its size (strace's `print_sigset_addr_len`): the address when
 * the size is not between 8 and 8 bytes or the set cannot be read, else `[…]`.
 */
export function printSigsetAddrLen(c: SyscallCall, addr: number, len: number): string {
  if (len < 8 || len > 8) return ptrText(addr);
  return fetch(c, addr, len, (v) => {
    const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return sigsetText(b, c.opts.xlat);
  });
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/**
 * Formats seconds since the epoch as strace's `sprinttime`: local time `%FT%T%z`
 * (`2026-11-26T21:25:43+0000`); `undefined` for zero, as strace prints nothing then.
 */
export function sprinttime(sec: number, frac?: string): string | undefined {
  if (sec === 0 && !frac) return undefined;
  const d = new Date(sec * 1000);
  if (isNaN(d.getTime())) return undefined;
  const off = -d.getTimezoneOffset();
  const aoff = Math.abs(off);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}${frac ?? ""}` +
    `${off < 0 ? "-" : "+"}${pad2(Math.floor(aoff / 60))}${pad2(aoff % 60)}`;
}

/** Prints a clock id (strace's `printclockname`): `CLOCK_MONOTONIC` or `0x4d /* CLOCK_??? *\/`. */
export function clockName(c: SyscallCall, n: number): string {
  return xval(clockNames, c.args.ui(n), c.opts.xlat, "CLOCK_???");
}

/** Prints a `struct sigevent *` (strace's `print_sigevent`). */
export function printSigevent(c: SyscallCall, addr: number): string {
  return fetch(c, addr, 64, (v) => {
    const parts: string[] = [];
    const sivalPtr = v.getBigUint64(0, true);
    if (sivalPtr !== 0n) {
      parts.push(
        `sigev_value={sival_int=${v.getInt32(0, true)}, sival_ptr=0x${sivalPtr.toString(16)}}`,
      );
    }
    const signo = v.getInt32(8, true);
    const notify = v.getInt32(12, true);
    const isSig = notify === 0 || notify === 2 || notify === 4;
    parts.push(`sigev_signo=${isSig ? printSignal(signo, c.opts.xlat) : signo >>> 0}`);
    parts.push(`sigev_notify=${xval(sigevNotify, notify >>> 0, c.opts.xlat, "SIGEV_???")}`);
    if (notify === 4) parts.push(`sigev_notify_thread_id=${v.getInt32(16, true)}`);
    if (notify === 2) {
      parts.push(`sigev_notify_function=${ptrText(u64At(v, 16))}`);
      parts.push(`sigev_notify_attributes=${ptrText(u64At(v, 24))}`);
    }
    return "{" + parts.join(", ") + "}";
  });
}

/** The size of the kernel's `struct timex` on x86_64. */
const TIMEX_SIZE = 208;

/** Prints a `struct timex *` (strace's `print_timex64`). */
function printTimex(c: SyscallCall, addr: number): string {
  return fetch(c, addr, TIMEX_SIZE, (v) => {
    const d = (off: number) => String(v.getBigInt64(off, true));
    const i = (off: number) => String(v.getInt32(off, true));
    return `{modes=${flags(adjtimexModes, v.getUint32(0, true), c.opts.xlat, "ADJ_???")}, ` +
      `offset=${d(8)}, freq=${d(16)}, maxerror=${d(24)}, esterror=${d(32)}, ` +
      `status=${flags(adjtimexStatus, v.getUint32(40, true), c.opts.xlat, "STA_???")}, ` +
      `constant=${d(48)}, precision=${d(56)}, tolerance=${d(64)}, time=${tvText(v, 72)}, ` +
      `tick=${d(88)}, ppsfreq=${d(96)}, jitter=${d(104)}, shift=${i(112)}, stabil=${d(120)}, ` +
      `jitcnt=${d(128)}, calcnt=${d(136)}, errcnt=${d(144)}, stbcnt=${d(152)}, tai=${i(160)}}`;
  });
}

/** The `= 5 (TIME_ERROR)` result of adjtimex/clock_adjtime when the struct was printed. */
function adjtimexResult(c: SyscallCall, addr: number): string | undefined {
  if (!addr || noDeref(c) || !c.mem.read(addr, TIMEX_SIZE)) return undefined;
  const name = adjtimexState.byValue.get(c.rval);
  return name === undefined ? undefined : `${c.rval} (${name})`;
}

/** The `CLK_TCK` strace divides `clock_t` values by. */
const CLK_TCK = 100;

/** Prints a `clock_t` as strace's `print_clock_t`: `17 /* 0.17 s *\/`. */
function clockT(val: bigint, style: XlatStyle): string {
  if (style === "raw" || val <= 0n) return String(val);
  const t = BigInt(CLK_TCK);
  const frac = String(val % t).padStart(2, "0");
  return `${val} /* ${val / t}.${frac} s */`;
}

/** Prints a `struct timezone *`. */
function printTimezone(c: SyscallCall, addr: number): string {
  return fetch(
    c,
    addr,
    8,
    (v) => `{tz_minuteswest=${v.getInt32(0, true)}, tz_dsttime=${v.getInt32(4, true)}}`,
  );
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  nanosleep: {
    enter: (c) => `${printTimespec(c, c.args.u(0))}, `,
    exit: (c) => isErestart(c) ? printTimespec(c, c.args.u(1), true) : ptrText(c.args.u(1)),
  },
  clock_nanosleep: {
    enter: (c) =>
      `${clockName(c, 0)}, ${flags(clockFlags, c.args.ui(1), c.opts.xlat, "TIMER_???")}, ${
        printTimespec(c, c.args.u(2))
      }, `,
    exit: (c) =>
      c.args.u(1) === 0 && isErestart(c)
        ? printTimespec(c, c.args.u(3), true)
        : ptrText(c.args.u(3)),
  },
  clock_gettime: {
    enter: (c) => `${clockName(c, 0)}, `,
    exit: (c) => printTimespec(c, c.args.u(1)),
  },
  clock_getres: {
    enter: (c) => `${clockName(c, 0)}, `,
    exit: (c) => printTimespec(c, c.args.u(1)),
  },
  clock_settime: {
    enter: (c) => `${clockName(c, 0)}, ${printTimespec(c, c.args.u(1))}`,
  },
  gettimeofday: {
    exit: (c) => `${printTimeval(c, c.args.u(0))}, ${printTimezone(c, c.args.u(1))}`,
  },
  settimeofday: {
    enter: (c) => `${printTimeval(c, c.args.u(0))}, ${printTimezone(c, c.args.u(1))}`,
  },
  time: {
    exit: (c) =>
      fetch(c, c.args.u(0), 8, (v) => {
        const t = v.getBigInt64(0, true);
        const d = sprinttime(Number(t));
        return `[${t}${d ? ` /* ${d} */` : ""}]`;
      }),
    result: (c) => {
      const d = sprinttime(c.rval);
      return d ? `${c.rval} (${d})` : undefined;
    },
  },
  times: {
    exit: (c) =>
      fetch(c, c.args.u(0), 32, (v) => {
        const f = (off: number) => clockT(v.getBigInt64(off, true), c.opts.xlat);
        return `{tms_utime=${f(0)}, tms_stime=${f(8)}, tms_cutime=${f(16)}, tms_cstime=${f(24)}}`;
      }),
  },
  getitimer: {
    enter: (c) => `${xval(itimerWhich, c.args.u(0), c.opts.xlat, "ITIMER_???")}, `,
    exit: (c) => printItimerval(c, c.args.u(1)),
  },
  setitimer: {
    enter: (c) =>
      `${xval(itimerWhich, c.args.u(0), c.opts.xlat, "ITIMER_???")}, ${
        printItimerval(c, c.args.u(1))
      }, `,
    exit: (c) => printItimerval(c, c.args.u(2)),
  },
  alarm: { enter: (c) => String(c.args.ui(0)) },
  timer_create: {
    enter: (c) => `${clockName(c, 0)}, ${printSigevent(c, c.args.u(1))}, `,
    exit: (c) => fetch(c, c.args.u(2), 4, (v) => `[${v.getInt32(0, true)}]`),
  },
  timer_settime: {
    enter: (c) =>
      `${c.args.i(0)}, ${flags(clockFlags, c.args.ui(1), c.opts.xlat, "TIMER_???")}, ${
        printItimerspec(c, c.args.u(2))
      }, `,
    exit: (c) => printItimerspec(c, c.args.u(3)),
  },
  timer_gettime: {
    enter: (c) => `${c.args.i(0)}, `,
    exit: (c) => printItimerspec(c, c.args.u(1)),
  },
  timer_getoverrun: { enter: (c) => String(c.args.i(0)) },
  timer_delete: { enter: (c) => String(c.args.i(0)) },
  adjtimex: {
    exit: (c) => printTimex(c, c.args.u(0)),
    result: (c) => adjtimexResult(c, c.args.u(0)),
  },
  clock_adjtime: {
    enter: (c) => `${clockName(c, 0)}, `,
    exit: (c) => printTimex(c, c.args.u(1)),
    result: (c) => adjtimexResult(c, c.args.u(1)),
  },
};
