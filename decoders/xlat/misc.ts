/**
 * Constant tables of the signal family (sigaction flags, sigprocmask commands, siginfo codes,
 * sigaltstack flags) and of misc syscalls (personality, getrandom), as data, in the order
 * strace 6.1's `src/xlat/*.in` lists them (x86_64 values).
 * @module
 */
import { xlat } from "../xlat.ts";
import type { Xlat } from "../xlat.ts";
import { AT_FLAGS } from "./fs.ts";

/** `sa_flags` bits (strace's `sigact_flags`). */
export const sigactFlags: Xlat = xlat([
  ["SA_RESTORER", 0x04000000],
  ["SA_ONSTACK", 0x08000000],
  ["SA_RESTART", 0x10000000],
  ["SA_INTERRUPT", 0x20000000],
  ["SA_NODEFER", 0x40000000],
  ["SA_RESETHAND", 0x80000000],
  ["SA_SIGINFO", 4],
  ["SA_NOCLDSTOP", 1],
  ["SA_NOCLDWAIT", 2],
]);

/** `rt_sigprocmask` commands (strace's `sigprocmaskcmds`). */
export const sigprocmaskCmds: Xlat = xlat([
  ["SIG_BLOCK", 0],
  ["SIG_UNBLOCK", 1],
  ["SIG_SETMASK", 2],
]);

/**
 * Special `sa_handler` values (strace's `sa_handler_values`). `SIG_ERR` is -1 as an unsigned long,
 * beyond what a number holds exactly; the signal decoders match it as a BigInt.
 */
export const saHandlerValues: Xlat = xlat([
  ["SIG_DFL", 0],
  ["SIG_IGN", 1],
]);

/** `ss_flags` bits (strace's `sigaltstack_flags`). */
export const sigaltstackFlags: Xlat = xlat([
  ["SS_ONSTACK", 1],
  ["SS_DISABLE", 2],
  ["SS_AUTODISARM", 0x80000000],
]);

/** Generic `si_code` values (strace's `siginfo_codes`). */
export const siginfoCodes: Xlat = xlat([
  ["SI_USER", 0],
  ["SI_KERNEL", 0x80],
  ["SI_QUEUE", -1],
  ["SI_TIMER", -2],
  ["SI_MESGQ", -3],
  ["SI_ASYNCIO", -4],
  ["SI_SIGIO", -5],
  ["SI_TKILL", -6],
  ["SI_DETHREAD", -7],
  ["SI_ASYNCNL", -60],
]);

/** SIGTRAP `si_code` values (strace's `sigtrap_codes`). */
export const sigtrapCodes: Xlat = xlat([
  ["TRAP_BRKPT", 1],
  ["TRAP_TRACE", 2],
  ["TRAP_BRANCH", 3],
  ["TRAP_HWBKPT", 4],
  ["TRAP_UNK", 5],
  ["TRAP_PERF", 6],
]);

/** SIGCHLD `si_code` values (strace's `sigchld_codes`). */
export const sigchldCodes: Xlat = xlat([
  ["CLD_EXITED", 1],
  ["CLD_KILLED", 2],
  ["CLD_DUMPED", 3],
  ["CLD_TRAPPED", 4],
  ["CLD_STOPPED", 5],
  ["CLD_CONTINUED", 6],
]);

/** SIGPOLL/SIGIO `si_code` values (strace's `sigpoll_codes`). */
export const sigpollCodes: Xlat = xlat([
  ["POLL_IN", 1],
  ["POLL_OUT", 2],
  ["POLL_MSG", 3],
  ["POLL_ERR", 4],
  ["POLL_PRI", 5],
  ["POLL_HUP", 6],
]);

/** SIGPROF `si_code` values (strace's `sigprof_codes`; none on Linux). */
export const sigprofCodes: Xlat = xlat([]);

/** SIGILL `si_code` values (strace's `sigill_codes`). */
export const sigillCodes: Xlat = xlat([
  ["ILL_ILLOPC", 1],
  ["ILL_ILLOPN", 2],
  ["ILL_ILLADR", 3],
  ["ILL_ILLTRP", 4],
  ["ILL_PRVOPC", 5],
  ["ILL_PRVREG", 6],
  ["ILL_COPROC", 7],
  ["ILL_BADSTK", 8],
]);

/** SIGFPE `si_code` values (strace's `sigfpe_codes`). */
export const sigfpeCodes: Xlat = xlat([
  ["FPE_INTDIV", 1],
  ["FPE_INTOVF", 2],
  ["FPE_FLTDIV", 3],
  ["FPE_FLTOVF", 4],
  ["FPE_FLTUND", 5],
  ["FPE_FLTRES", 6],
  ["FPE_FLTINV", 7],
  ["FPE_FLTSUB", 8],
  ["FPE_FLTUNK", 14],
  ["FPE_CONDTRAP", 15],
]);

/** SIGSEGV `si_code` values (strace's `sigsegv_codes`). */
export const sigsegvCodes: Xlat = xlat([
  ["SEGV_MAPERR", 1],
  ["SEGV_ACCERR", 2],
  ["SEGV_BNDERR", 3],
  ["SEGV_PKUERR", 4],
  ["SEGV_ACCADI", 5],
  ["SEGV_ADIDERR", 6],
  ["SEGV_ADIPERR", 7],
  ["SEGV_MTEAERR", 8],
  ["SEGV_MTESERR", 9],
]);

/** SIGBUS `si_code` values (strace's `sigbus_codes`). */
export const sigbusCodes: Xlat = xlat([
  ["BUS_ADRALN", 1],
  ["BUS_ADRERR", 2],
  ["BUS_OBJERR", 3],
  ["BUS_MCEERR_AR", 4],
  ["BUS_MCEERR_AO", 5],
]);

/** SIGSYS `si_code` values (strace's `sigsys_codes`). */
export const sigsysCodes: Xlat = xlat([
  ["SYS_SECCOMP", 1],
  ["SYS_USER_DISPATCH", 2],
]);

/** `getrandom(2)` flags (strace's `getrandom_flags`). */
export const getrandomFlags: Xlat = xlat([
  ["GRND_NONBLOCK", 1],
  ["GRND_RANDOM", 2],
  ["GRND_INSECURE", 4],
]);

/** Personality types, the low byte plus sticky bits (strace's `personality_types`). */
export const personalityTypes: Xlat = xlat([
  ["PER_LINUX", 0],
  ["PER_LINUX_32BIT", 0x0800000],
  ["PER_LINUX_FDPIC", 0x0080000],
  ["PER_SVR4", 0x0001 | 0x4000000 | 0x0100000],
  ["PER_SVR3", 0x0002 | 0x4000000 | 0x1000000],
  ["PER_SCOSVR3", 0x0003 | 0x4000000 | 0x2000000 | 0x1000000],
  ["PER_OSR5", 0x0003 | 0x4000000 | 0x2000000],
  ["PER_WYSEV386", 0x0004 | 0x4000000 | 0x1000000],
  ["PER_ISCR4", 0x0005 | 0x4000000],
  ["PER_BSD", 0x0006],
  ["PER_SUNOS", 0x0006 | 0x4000000],
  ["PER_XENIX", 0x0007 | 0x4000000 | 0x1000000],
  ["PER_LINUX32", 0x0008],
  ["PER_LINUX32_3GB", 0x0008 | 0x8000000],
  ["PER_IRIX32", 0x0009 | 0x4000000],
  ["PER_IRIXN32", 0x000a | 0x4000000],
  ["PER_IRIX64", 0x000b | 0x4000000],
  ["PER_RISCOS", 0x000c],
  ["PER_SOLARIS", 0x000d | 0x4000000],
  ["PER_UW7", 0x000e | 0x4000000 | 0x0100000],
  ["PER_OSF4", 0x000f],
  ["PER_HPUX", 0x0010],
  ["PER_MASK", 0x00ff],
]);

/** Personality flags (strace's `personality_flags`). */
export const personalityFlags: Xlat = xlat([
  ["UNAME26", 0x0020000],
  ["ADDR_NO_RANDOMIZE", 0x0040000],
  ["FDPIC_FUNCPTRS", 0x0080000],
  ["MMAP_PAGE_ZERO", 0x0100000],
  ["ADDR_COMPAT_LAYOUT", 0x0200000],
  ["READ_IMPLIES_EXEC", 0x0400000],
  ["ADDR_LIMIT_32BIT", 0x0800000],
  ["SHORT_INODE", 0x1000000],
  ["WHOLE_SECONDS", 0x2000000],
  ["STICKY_TIMEOUTS", 0x4000000],
  ["ADDR_LIMIT_3GB", 0x8000000],
]);

/** `fsopen_flags`: the flags of fsopen. */
export const fsopenFlags: Xlat = xlat([["FSOPEN_CLOEXEC", 1]]);

/** `open_tree_flags`: the flags of open_tree (its own two, then strace's `at_flags`). */
export const openTreeFlags: Xlat = xlat([
  ["OPEN_TREE_CLONE", 1],
  ["OPEN_TREE_CLOEXEC", 0o2000000],
  ...AT_FLAGS.entries,
]);

/** `fspick_flags`: the flags of fspick. */
export const fspickFlags: Xlat = xlat([
  ["FSPICK_CLOEXEC", 1],
  ["FSPICK_SYMLINK_NOFOLLOW", 2],
  ["FSPICK_NO_AUTOMOUNT", 4],
  ["FSPICK_EMPTY_PATH", 8],
]);

/** `uffd_flags`: the flags of userfaultfd. */
export const uffdFlags: Xlat = xlat([
  ["UFFD_USER_MODE_ONLY", 1],
  ["O_NONBLOCK", 0o4000],
  ["O_CLOEXEC", 0o2000000],
]);
