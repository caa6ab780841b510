/**
 * Signal numbers on x86_64, after strace's `signalent`: the standard signals' names, the real-time
 * range and the size of a kernel sigset. The printers are in `../signame.ts`.
 * @module
 */

import { xlat } from "../xlat.ts";
import type { Xlat } from "../xlat.ts";

/** The standard signals 1..31, as strace names them. */
export const signals: Xlat = xlat([
  ["SIGHUP", 1],
  ["SIGINT", 2],
  ["SIGQUIT", 3],
  ["SIGILL", 4],
  ["SIGTRAP", 5],
  ["SIGABRT", 6],
  ["SIGBUS", 7],
  ["SIGFPE", 8],
  ["SIGKILL", 9],
  ["SIGUSR1", 10],
  ["SIGSEGV", 11],
  ["SIGUSR2", 12],
  ["SIGPIPE", 13],
  ["SIGALRM", 14],
  ["SIGTERM", 15],
  ["SIGSTKFLT", 16],
  ["SIGCHLD", 17],
  ["SIGCONT", 18],
  ["SIGSTOP", 19],
  ["SIGTSTP", 20],
  ["SIGTTIN", 21],
  ["SIGTTOU", 22],
  ["SIGURG", 23],
  ["SIGXCPU", 24],
  ["SIGXFSZ", 25],
  ["SIGVTALRM", 26],
  ["SIGPROF", 27],
  ["SIGWINCH", 28],
  ["SIGIO", 29],
  ["SIGPWR", 30],
  ["SIGSYS", 31],
]);

/** The first real-time signal number (the kernel's SIGRTMIN). */
export const SIGRTMIN = 32;
/** The last real-time signal number on x86_64. */
export const SIGRTMAX = 64;
/** The size in bytes of the kernel's sigset_t on x86_64 (strace's `NSIG_BYTES`). */
export const NSIG_BYTES = 8;
