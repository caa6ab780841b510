/**
 * Constant tables of the time syscalls (clocks, timers, adjtimex), after strace's
 * `src/xlat/*.in` files (x86_64 values).
 * @module
 */
import { type Xlat, xlat } from "../xlat.ts";

/** `clocknames`: clock ids. */
export const clockNames: Xlat = xlat([
  ["CLOCK_REALTIME", 0],
  ["CLOCK_MONOTONIC", 1],
  ["CLOCK_PROCESS_CPUTIME_ID", 2],
  ["CLOCK_THREAD_CPUTIME_ID", 3],
  ["CLOCK_MONOTONIC_RAW", 4],
  ["CLOCK_REALTIME_COARSE", 5],
  ["CLOCK_MONOTONIC_COARSE", 6],
  ["CLOCK_BOOTTIME", 7],
  ["CLOCK_REALTIME_ALARM", 8],
  ["CLOCK_BOOTTIME_ALARM", 9],
  ["CLOCK_SGI_CYCLE", 10],
  ["CLOCK_TAI", 11],
]);

/** `clockflags`: flags of clock_nanosleep and timer_settime. */
export const clockFlags: Xlat = xlat([["TIMER_ABSTIME", 1]]);

/** `itimer_which`: the timers of getitimer/setitimer. */
export const itimerWhich: Xlat = xlat([
  ["ITIMER_REAL", 0],
  ["ITIMER_VIRTUAL", 1],
  ["ITIMER_PROF", 2],
]);

/** `adjtimex_state`: the return values of adjtimex/clock_adjtime. */
export const adjtimexState: Xlat = xlat([
  ["TIME_OK", 0],
  ["TIME_INS", 1],
  ["TIME_DEL", 2],
  ["TIME_OOP", 3],
  ["TIME_WAIT", 4],
  ["TIME_ERROR", 5],
]);

/** `adjtimex_modes`: `struct timex` modes. */
export const adjtimexModes: Xlat = xlat([
  ["ADJ_OFFSET_SS_READ", 0xa001],
  ["ADJ_OFFSET_SINGLESHOT", 0x8001],
  ["ADJ_OFFSET", 0x0001],
  ["ADJ_FREQUENCY", 0x0002],
  ["ADJ_MAXERROR", 0x0004],
  ["ADJ_ESTERROR", 0x0008],
  ["ADJ_STATUS", 0x0010],
  ["ADJ_TIMECONST", 0x0020],
  ["ADJ_TAI", 0x0080],
  ["ADJ_SETOFFSET", 0x0100],
  ["ADJ_MICRO", 0x1000],
  ["ADJ_NANO", 0x2000],
  ["ADJ_TICK", 0x4000],
]);

/** `adjtimex_status`: `struct timex` status bits. */
export const adjtimexStatus: Xlat = xlat([
  ["STA_PLL", 0x0001],
  ["STA_PPSFREQ", 0x0002],
  ["STA_PPSTIME", 0x0004],
  ["STA_FLL", 0x0008],
  ["STA_INS", 0x0010],
  ["STA_DEL", 0x0020],
  ["STA_UNSYNC", 0x0040],
  ["STA_FREQHOLD", 0x0080],
  ["STA_PPSSIGNAL", 0x0100],
  ["STA_PPSJITTER", 0x0200],
  ["STA_PPSWANDER", 0x0400],
  ["STA_PPSERROR", 0x0800],
  ["STA_CLOCKERR", 0x1000],
  ["STA_NANO", 0x2000],
  ["STA_MODE", 0x4000],
  ["STA_CLK", 0x8000],
]);

/** `sigev_value`: `sigev_notify` values. */
export const sigevNotify: Xlat = xlat([
  ["SIGEV_SIGNAL", 0],
  ["SIGEV_NONE", 1],
  ["SIGEV_THREAD", 2],
  ["SIGEV_THREAD_ID", 4],
]);

/** `timerfdflags`: flags of timerfd_create/timerfd_settime. */
export const timerfdFlags: Xlat = xlat([
  ["TFD_TIMER_ABSTIME", 1 << 0],
  ["TFD_TIMER_CANCEL_ON_SET", 1 << 1],
  ["TFD_CLOEXEC", 0o2000000],
  ["TFD_NONBLOCK", 0o4000],
]);
