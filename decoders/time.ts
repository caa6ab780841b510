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
import { array, failed, noDeref, ptrText, timespecValue, timevalValue } from "./format.ts";
import {
  adjtimexModes,
  adjtimexState,
  adjtimexStatus,
  clockFlags,
  clockNames,
  itimerWhich,
  sigevNotify,
} from "./xlat/time.ts";
import { printSignal, signalName, sigsetText } from "./signame.ts";
import { u64At } from "./u64.ts";
import { V, type Value } from "./value.ts";
import { bigS, flagsV, iArg, xvalV } from "./args_v.ts";

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
export function fetchV(
  c: SyscallCall,
  addr: number,
  size: number,
  print: (v: DataView) => Value,
  ignoreError = false,
): Value {
  if (!addr) return V.ptr(0);
  if (noDeref(c) || (c.exiting && !ignoreError && failed(c))) return V.ptr(addr);
  const bytes = c.mem.read(addr, size);
  if (!bytes) return V.unavailable(addr);
  return print(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** The text form of {@linkcode fetchV}, for printers that build text themselves. */
export function fetch(
  c: SyscallCall,
  addr: number,
  size: number,
  print: (v: DataView) => string,
  ignoreError = false,
): string {
  return fetchV(c, addr, size, (v) => V.raw(print(v)), ignoreError).text;
}

/** strace's `print_array` (the shared one in `format.ts`). */
export const printArray: typeof array = array;

/** `{tv_sec=S, tv_nsec=N}` with strace's signed seconds and unsigned nanoseconds. */
export function tsText(v: DataView, off = 0): string {
  return timespecValue(v, off).text;
}

/** `{tv_sec=S, tv_usec=U}` with strace's signed seconds and unsigned microseconds. */
export function tvText(v: DataView, off = 0): string {
  return timevalValue(v, off).text;
}

/** A `struct timespec *` (strace's `print_timespec64`). */
export function timespecArgV(c: SyscallCall, addr: number, ignoreError = false): Value {
  return fetchV(c, addr, 16, (v) => timespecValue(v), ignoreError);
}

/** The text of {@linkcode timespecArgV}. */
export function printTimespec(c: SyscallCall, addr: number, ignoreError = false): string {
  return timespecArgV(c, addr, ignoreError).text;
}

/** A `struct timeval *` (strace's `print_timeval`). */
function timevalArgV(c: SyscallCall, addr: number): Value {
  return fetchV(c, addr, 16, (v) => timevalValue(v));
}

/** The text of a `struct timeval *` argument. */
export function printTimeval(c: SyscallCall, addr: number): string {
  return timevalArgV(c, addr).text;
}

/** A `struct itimerspec *`. */
function itimerspecV(c: SyscallCall, addr: number): Value {
  return fetchV(
    c,
    addr,
    32,
    (v) => V.struct([["it_interval", timespecValue(v, 0)], ["it_value", timespecValue(v, 16)]]),
  );
}

/** The text of a `struct itimerspec *` argument. */
export function printItimerspec(c: SyscallCall, addr: number): string {
  return itimerspecV(c, addr).text;
}

/** A `struct itimerval *`. */
function itimervalV(c: SyscallCall, addr: number): Value {
  return fetchV(
    c,
    addr,
    32,
    (v) => V.struct([["it_interval", timevalValue(v, 0)], ["it_value", timevalValue(v, 16)]]),
  );
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

/** A clock id argument (strace's `printclockname`): `CLOCK_MONOTONIC`. */
function clockV(c: SyscallCall, n: number): Value {
  return xvalV(c, clockNames, c.args.ui(n), "CLOCK_???");
}

/** Prints a clock id (strace's `printclockname`): `CLOCK_MONOTONIC` or `0x4d /* CLOCK_??? *\/`. */
export function clockName(c: SyscallCall, n: number): string {
  return clockV(c, n).text;
}

/** A `struct sigevent *` (strace's `print_sigevent`). */
function sigeventV(c: SyscallCall, addr: number): Value {
  return fetchV(c, addr, 64, (v) => {
    const f: [string, Value][] = [];
    const sivalPtr = v.getBigUint64(0, true);
    if (sivalPtr !== 0n) {
      f.push([
        "sigev_value",
        V.struct([["sival_int", V.int(v.getInt32(0, true))], ["sival_ptr", V.ptr(sivalPtr)]]),
      ]);
    }
    const signo = v.getInt32(8, true);
    const notify = v.getInt32(12, true);
    const isSig = notify === 0 || notify === 2 || notify === 4;
    f.push([
      "sigev_signo",
      isSig
        ? V.signal(signo, signalName(signo), printSignal(signo, c.opts.xlat))
        : V.uint(signo >>> 0),
    ]);
    f.push(["sigev_notify", V.xval(sigevNotify, notify >>> 0, c.opts.xlat, "SIGEV_???")]);
    if (notify === 4) f.push(["sigev_notify_thread_id", V.int(v.getInt32(16, true))]);
    if (notify === 2) {
      f.push(["sigev_notify_function", V.ptr(u64At(v, 16))]);
      f.push(["sigev_notify_attributes", V.ptr(u64At(v, 24))]);
    }
    return V.struct(f);
  });
}

/** Prints a `struct sigevent *` (strace's `print_sigevent`). */
export function printSigevent(c: SyscallCall, addr: number): string {
  return sigeventV(c, addr).text;
}

/** The size of the kernel's `struct timex` on x86_64. */
const TIMEX_SIZE = 208;

/** A `struct timex *` (strace's `print_timex64`). */
function timexV(c: SyscallCall, addr: number): Value {
  return fetchV(c, addr, TIMEX_SIZE, (v) => {
    const d = (off: number) => bigS(v.getBigInt64(off, true));
    const i = (off: number) => V.int(v.getInt32(off, true));
    return V.struct([
      ["modes", flagsV(c, adjtimexModes, v.getUint32(0, true), "ADJ_???")],
      ["offset", d(8)],
      ["freq", d(16)],
      ["maxerror", d(24)],
      ["esterror", d(32)],
      ["status", flagsV(c, adjtimexStatus, v.getUint32(40, true), "STA_???")],
      ["constant", d(48)],
      ["precision", d(56)],
      ["tolerance", d(64)],
      ["time", timevalValue(v, 72)],
      ["tick", d(88)],
      ["ppsfreq", d(96)],
      ["jitter", d(104)],
      ["shift", i(112)],
      ["stabil", d(120)],
      ["jitcnt", d(128)],
      ["calcnt", d(136)],
      ["errcnt", d(144)],
      ["stbcnt", d(152)],
      ["tai", i(160)],
    ]);
  });
}

/** The `= 5 (TIME_ERROR)` result of adjtimex/clock_adjtime when the struct was printed. */
function adjtimexResult(c: SyscallCall, addr: number): Value | undefined {
  if (!addr || noDeref(c) || !c.mem.read(addr, TIMEX_SIZE)) return undefined;
  const name = adjtimexState.byValue.get(c.rval);
  return name === undefined ? undefined : V.named(name, c.rval, `${c.rval} (${name})`);
}

/** The `CLK_TCK` strace divides `clock_t` values by. */
const CLK_TCK = 100;

/** A `clock_t` as strace's `print_clock_t`: `17 /* 0.17 s *\/`. */
function clockT(val: bigint, style: XlatStyle): Value {
  if (style === "raw" || val <= 0n) return bigS(val);
  const t = BigInt(CLK_TCK);
  const frac = String(val % t).padStart(2, "0");
  return V.comment(bigS(val), `${val / t}.${frac} s`);
}

/** A `struct timezone *`. */
function timezoneV(c: SyscallCall, addr: number): Value {
  return fetchV(c, addr, 8, (v) =>
    V.struct([
      ["tz_minuteswest", V.int(v.getInt32(0, true))],
      ["tz_dsttime", V.int(v.getInt32(4, true))],
    ]));
}

/** An `ITIMER_*` argument. */
function whichV(c: SyscallCall): Value {
  return xvalV(c, itimerWhich, c.args.u(0), "ITIMER_???");
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  nanosleep: {
    enter: (c) => [timespecArgV(c, c.args.u(0))],
    exit: (c) => [isErestart(c) ? timespecArgV(c, c.args.u(1), true) : V.ptr(c.args.u(1))],
  },
  clock_nanosleep: {
    enter: (c) => [
      clockV(c, 0),
      flagsV(c, clockFlags, c.args.ui(1), "TIMER_???"),
      timespecArgV(c, c.args.u(2)),
    ],
    exit: (c) => [
      c.args.u(1) === 0 && isErestart(c) ? timespecArgV(c, c.args.u(3), true) : V.ptr(c.args.u(3)),
    ],
  },
  clock_gettime: {
    enter: (c) => [clockV(c, 0)],
    exit: (c) => [timespecArgV(c, c.args.u(1))],
  },
  clock_getres: {
    enter: (c) => [clockV(c, 0)],
    exit: (c) => [timespecArgV(c, c.args.u(1))],
  },
  clock_settime: {
    enter: (c) => [clockV(c, 0), timespecArgV(c, c.args.u(1))],
  },
  gettimeofday: {
    exit: (c) => [timevalArgV(c, c.args.u(0)), timezoneV(c, c.args.u(1))],
  },
  settimeofday: {
    enter: (c) => [timevalArgV(c, c.args.u(0)), timezoneV(c, c.args.u(1))],
  },
  time: {
    exit: (c) => [
      fetchV(c, c.args.u(0), 8, (v) => {
        const t = v.getBigInt64(0, true);
        return V.array([V.comment(bigS(t), sprinttime(Number(t)))]);
      }),
    ],
    result: (c) => {
      const d = sprinttime(c.rval);
      return d ? V.int(c.rval, `${c.rval} (${d})`) : undefined;
    },
  },
  times: {
    exit: (c) => [
      fetchV(c, c.args.u(0), 32, (v) => {
        const f = (off: number) => clockT(v.getBigInt64(off, true), c.opts.xlat);
        return V.struct([
          ["tms_utime", f(0)],
          ["tms_stime", f(8)],
          ["tms_cutime", f(16)],
          ["tms_cstime", f(24)],
        ]);
      }),
    ],
  },
  getitimer: {
    enter: (c) => [whichV(c)],
    exit: (c) => [itimervalV(c, c.args.u(1))],
  },
  setitimer: {
    enter: (c) => [whichV(c), itimervalV(c, c.args.u(1))],
    exit: (c) => [itimervalV(c, c.args.u(2))],
  },
  alarm: { enter: (c) => [V.uint(c.args.ui(0))] },
  timer_create: {
    enter: (c) => [clockV(c, 0), sigeventV(c, c.args.u(1))],
    exit: (c) => [fetchV(c, c.args.u(2), 4, (v) => V.array([V.int(v.getInt32(0, true))]))],
  },
  timer_settime: {
    enter: (c) => [
      iArg(c, 0),
      flagsV(c, clockFlags, c.args.ui(1), "TIMER_???"),
      itimerspecV(c, c.args.u(2)),
    ],
    exit: (c) => [itimerspecV(c, c.args.u(3))],
  },
  timer_gettime: {
    enter: (c) => [iArg(c, 0)],
    exit: (c) => [itimerspecV(c, c.args.u(1))],
  },
  timer_getoverrun: { enter: (c) => [iArg(c, 0)] },
  timer_delete: { enter: (c) => [iArg(c, 0)] },
  adjtimex: {
    exit: (c) => [timexV(c, c.args.u(0))],
    result: (c) => adjtimexResult(c, c.args.u(0)),
  },
  clock_adjtime: {
    enter: (c) => [clockV(c, 0)],
    exit: (c) => [timexV(c, c.args.u(1))],
    result: (c) => adjtimexResult(c, c.args.u(1)),
  },
};
