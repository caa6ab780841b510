/**
 * The x86_64 syscall table, as data: number, name, argument count and trace classes of every
 * syscall of a current kernel (0..335 and 424..471), after strace's `linux/x86_64/syscallent.h`
 * and `linux/generic/syscallent-common.h`. The class bits match strace 6.1's `sysent.h`.
 *
 * @example
 * ```ts
 * import { syscallByName, TD, TF } from "./syscall_table.ts";
 * const openat = syscallByName("openat")!;
 * (openat.classes & (TD | TF)) === (TD | TF); // true
 * ```
 * @module
 */

/** `%desc`: the syscall takes or returns a file descriptor (strace's `TRACE_DESC`). */
export const TD = 0o40;
/** `%file`: the syscall takes a file name (strace's `TRACE_FILE`). */
export const TF = 0o1;
/** `%ipc`: SysV IPC (strace's `TRACE_IPC`). */
export const TI = 0o2;
/** `%network`: sockets (strace's `TRACE_NETWORK`). */
export const TN = 0o4;
/** `%process`: process lifecycle (strace's `TRACE_PROCESS`). */
export const TP = 0o10;
/** `%signal`: signals (strace's `TRACE_SIGNAL`). */
export const TS = 0o20;
/** `%memory`: memory mapping (strace's `TRACE_MEMORY`). */
export const TM = 0o100;
/** The syscall never fails: its return value is never decoded as an error (`SYSCALL_NEVER_FAILS`). */
export const NF = 0o200;
/** The syscall changes the memory mappings (`MEMORY_MAPPING_CHANGE`, used by `-k`). */
export const SI = 0o400;
/** Capture the stack trace at syscall entry for `-k` (strace 6.1's `STACKTRACE_CAPTURE_ON_ENTER`). */
export const SE = 0o1000;
/** An indirect socket/ipc subcall (`TRACE_INDIRECT_SUBCALL`; unused on x86_64). */
export const TIS = 0o2000;
/** A compat syscall using compat types (`COMPAT_SYSCALL_TYPES`; unused on x86_64). */
export const CST = 0o4000;
/** `%stat`: stat(2) family (`TRACE_STAT`). */
export const TST = 0o10000;
/** `%lstat`: lstat(2) family (`TRACE_LSTAT`). */
export const TLST = 0o20000;
/** `%statfs`: statfs(2) family (`TRACE_STATFS`). */
export const TSF = 0o40000;
/** `%fstatfs`: fstatfs(2) family (`TRACE_FSTATFS`). */
export const TFSF = 0o100000;
/** `%%statfs`: every statfs-like syscall, including ustat (`TRACE_STATFS_LIKE`). */
export const TSFA = 0o200000;
/** `%fstat`: fstat(2), newfstatat, statx (`TRACE_FSTAT`). */
export const TFST = 0o400000;
/** `%%stat`: every stat-like syscall (`TRACE_STAT_LIKE`). */
export const TSTA = 0o1000000;
/** `%pure`: getters with no arguments that never fail (`TRACE_PURE`). */
export const PU = 0o2000000;
/** Traced by the seccomp filter by default (`TRACE_SECCOMP_DEFAULT`, for `--seccomp-bpf`). */
export const TSD = 0o4000000;
/** `%creds`: process credentials (`TRACE_CREDS`). */
export const TC = 0o10000000;
/** `%clock`: syscalls reading or setting system clocks (`TRACE_CLOCK`). */
export const TCL = 0o20000000;
/** The syscall may change `/proc/PID/comm` (`COMM_CHANGE`). */
export const CC = 0o40000000;

/** One row of the table: number, name, argument count, class bits and (rarely) a decoder name. */
export type SyscallEntry = readonly [
  nr: number,
  name: string,
  nargs: number,
  classes: number,
  decoder?: string,
];

/** Every known x86_64 syscall, by number; the decoder defaults to the syscall's own name. */
export const SYSCALLS: readonly SyscallEntry[] = [
  [0, "read", 3, TD],
  [1, "write", 3, TD],
  [2, "open", 3, TD | TF],
  [3, "close", 1, TD],
  [4, "stat", 2, TF | TST | TSTA],
  [5, "fstat", 2, TD | TFST | TSTA],
  [6, "lstat", 2, TF | TLST | TSTA],
  [7, "poll", 3, TD],
  [8, "lseek", 3, TD],
  [9, "mmap", 6, TD | TM | SI],
  [10, "mprotect", 3, TM | SI],
  [11, "munmap", 2, TM | SI],
  [12, "brk", 1, TM | SI],
  [13, "rt_sigaction", 4, TS],
  [14, "rt_sigprocmask", 4, TS],
  [15, "rt_sigreturn", 0, TS],
  [16, "ioctl", 3, TD],
  [17, "pread64", 4, TD],
  [18, "pwrite64", 4, TD],
  [19, "readv", 3, TD],
  [20, "writev", 3, TD],
  [21, "access", 2, TF],
  [22, "pipe", 1, TD],
  [23, "select", 5, TD],
  [24, "sched_yield", 0, 0],
  [25, "mremap", 5, TM | SI],
  [26, "msync", 3, TM],
  [27, "mincore", 3, TM],
  [28, "madvise", 3, TM],
  [29, "shmget", 3, TI],
  [30, "shmat", 3, TI | TM | SI],
  [31, "shmctl", 3, TI],
  [32, "dup", 1, TD],
  [33, "dup2", 2, TD],
  [34, "pause", 0, TS],
  [35, "nanosleep", 2, 0],
  [36, "getitimer", 2, 0],
  [37, "alarm", 1, 0],
  [38, "setitimer", 3, 0],
  [39, "getpid", 0, PU | NF],
  [40, "sendfile", 4, TD | TN],
  [41, "socket", 3, TN],
  [42, "connect", 3, TN],
  [43, "accept", 3, TN],
  [44, "sendto", 6, TN],
  [45, "recvfrom", 6, TN],
  [46, "sendmsg", 3, TN],
  [47, "recvmsg", 3, TN],
  [48, "shutdown", 2, TN],
  [49, "bind", 3, TN],
  [50, "listen", 2, TN],
  [51, "getsockname", 3, TN],
  [52, "getpeername", 3, TN],
  [53, "socketpair", 4, TN],
  [54, "setsockopt", 5, TN],
  [55, "getsockopt", 5, TN],
  [56, "clone", 5, TP],
  [57, "fork", 0, TP],
  [58, "vfork", 0, TP],
  [59, "execve", 3, TF | TP | SI | SE | TSD | CC],
  [60, "exit", 1, TP | SE],
  [61, "wait4", 4, TP],
  [62, "kill", 2, TP | TS],
  [63, "uname", 1, 0],
  [64, "semget", 3, TI],
  [65, "semop", 3, TI],
  [66, "semctl", 4, TI],
  [67, "shmdt", 1, TI | TM | SI],
  [68, "msgget", 2, TI],
  [69, "msgsnd", 4, TI],
  [70, "msgrcv", 5, TI],
  [71, "msgctl", 3, TI],
  [72, "fcntl", 3, TD],
  [73, "flock", 2, TD],
  [74, "fsync", 1, TD],
  [75, "fdatasync", 1, TD],
  [76, "truncate", 2, TF],
  [77, "ftruncate", 2, TD],
  [78, "getdents", 3, TD],
  [79, "getcwd", 2, TF],
  [80, "chdir", 1, TF],
  [81, "fchdir", 1, TD],
  [82, "rename", 2, TF],
  [83, "mkdir", 2, TF],
  [84, "rmdir", 1, TF],
  [85, "creat", 2, TD | TF],
  [86, "link", 2, TF],
  [87, "unlink", 1, TF],
  [88, "symlink", 2, TF],
  [89, "readlink", 3, TF],
  [90, "chmod", 2, TF],
  [91, "fchmod", 2, TD],
  [92, "chown", 3, TF],
  [93, "fchown", 3, TD],
  [94, "lchown", 3, TF],
  [95, "umask", 1, NF],
  [96, "gettimeofday", 2, TCL],
  [97, "getrlimit", 2, 0],
  [98, "getrusage", 2, 0],
  [99, "sysinfo", 1, 0],
  [100, "times", 1, 0],
  [101, "ptrace", 4, 0],
  [102, "getuid", 0, PU | TC | NF],
  [103, "syslog", 3, 0],
  [104, "getgid", 0, PU | TC | NF],
  [105, "setuid", 1, TC],
  [106, "setgid", 1, TC],
  [107, "geteuid", 0, PU | TC | NF],
  [108, "getegid", 0, PU | TC | NF],
  [109, "setpgid", 2, 0],
  [110, "getppid", 0, PU | NF],
  [111, "getpgrp", 0, PU | NF],
  [112, "setsid", 0, 0],
  [113, "setreuid", 2, TC],
  [114, "setregid", 2, TC],
  [115, "getgroups", 2, TC],
  [116, "setgroups", 2, TC],
  [117, "setresuid", 3, TC],
  [118, "getresuid", 3, TC],
  [119, "setresgid", 3, TC],
  [120, "getresgid", 3, TC],
  [121, "getpgid", 1, 0],
  [122, "setfsuid", 1, TC | NF],
  [123, "setfsgid", 1, TC | NF],
  [124, "getsid", 1, 0],
  [125, "capget", 2, TC],
  [126, "capset", 2, TC],
  [127, "rt_sigpending", 2, TS],
  [128, "rt_sigtimedwait", 4, TS],
  [129, "rt_sigqueueinfo", 3, TP | TS],
  [130, "rt_sigsuspend", 2, TS],
  [131, "sigaltstack", 2, TS],
  [132, "utime", 2, TF],
  [133, "mknod", 3, TF],
  [134, "uselib", 1, TF],
  [135, "personality", 1, NF],
  [136, "ustat", 2, TSFA],
  [137, "statfs", 2, TF | TSF | TSFA],
  [138, "fstatfs", 2, TD | TFSF | TSFA],
  [139, "sysfs", 3, 0],
  [140, "getpriority", 2, 0],
  [141, "setpriority", 3, 0],
  [142, "sched_setparam", 2, 0],
  [143, "sched_getparam", 2, 0],
  [144, "sched_setscheduler", 3, 0],
  [145, "sched_getscheduler", 1, 0],
  [146, "sched_get_priority_max", 1, 0],
  [147, "sched_get_priority_min", 1, 0],
  [148, "sched_rr_get_interval", 2, 0],
  [149, "mlock", 2, TM],
  [150, "munlock", 2, TM],
  [151, "mlockall", 1, TM],
  [152, "munlockall", 0, TM],
  [153, "vhangup", 0, 0],
  [154, "modify_ldt", 3, 0],
  [155, "pivot_root", 2, TF],
  [156, "_sysctl", 1, 0],
  [157, "prctl", 5, TC | CC],
  [158, "arch_prctl", 2, 0],
  [159, "adjtimex", 1, TCL],
  [160, "setrlimit", 2, 0],
  [161, "chroot", 1, TF],
  [162, "sync", 0, 0],
  [163, "acct", 1, TF],
  [164, "settimeofday", 2, TCL],
  [165, "mount", 5, TF],
  [166, "umount2", 2, TF],
  [167, "swapon", 2, TF],
  [168, "swapoff", 1, TF],
  [169, "reboot", 4, 0],
  [170, "sethostname", 2, 0],
  [171, "setdomainname", 2, 0],
  [172, "iopl", 1, 0],
  [173, "ioperm", 3, 0],
  [174, "create_module", 2, 0],
  [175, "init_module", 3, 0],
  [176, "delete_module", 2, 0],
  [177, "get_kernel_syms", 1, 0],
  [178, "query_module", 5, 0],
  [179, "quotactl", 4, TF],
  [180, "nfsservctl", 3, 0],
  [181, "getpmsg", 5, TN],
  [182, "putpmsg", 5, TN],
  [183, "afs_syscall", 5, 0],
  [184, "tuxcall", 3, 0],
  [185, "security", 3, 0],
  [186, "gettid", 0, PU | NF],
  [187, "readahead", 3, TD],
  [188, "setxattr", 5, TF],
  [189, "lsetxattr", 5, TF],
  [190, "fsetxattr", 5, TD],
  [191, "getxattr", 4, TF],
  [192, "lgetxattr", 4, TF],
  [193, "fgetxattr", 4, TD],
  [194, "listxattr", 3, TF],
  [195, "llistxattr", 3, TF],
  [196, "flistxattr", 3, TD],
  [197, "removexattr", 2, TF],
  [198, "lremovexattr", 2, TF],
  [199, "fremovexattr", 2, TD],
  [200, "tkill", 2, TP | TS],
  [201, "time", 1, TCL],
  [202, "futex", 6, 0],
  [203, "sched_setaffinity", 3, 0],
  [204, "sched_getaffinity", 3, 0],
  [205, "set_thread_area", 1, 0],
  [206, "io_setup", 2, TM],
  [207, "io_destroy", 1, TM],
  [208, "io_getevents", 5, 0],
  [209, "io_submit", 3, 0],
  [210, "io_cancel", 3, 0],
  [211, "get_thread_area", 1, 0],
  [212, "lookup_dcookie", 3, 0],
  [213, "epoll_create", 1, TD],
  [214, "epoll_ctl_old", 4, 0],
  [215, "epoll_wait_old", 4, 0],
  [216, "remap_file_pages", 5, TM | SI],
  [217, "getdents64", 3, TD],
  [218, "set_tid_address", 1, 0],
  [219, "restart_syscall", 0, 0],
  [220, "semtimedop", 4, TI],
  [221, "fadvise64", 4, TD],
  [222, "timer_create", 3, 0],
  [223, "timer_settime", 4, 0],
  [224, "timer_gettime", 2, 0],
  [225, "timer_getoverrun", 1, 0],
  [226, "timer_delete", 1, 0],
  [227, "clock_settime", 2, TCL],
  [228, "clock_gettime", 2, TCL],
  [229, "clock_getres", 2, TCL],
  [230, "clock_nanosleep", 4, 0],
  [231, "exit_group", 1, TP | SE],
  [232, "epoll_wait", 4, TD],
  [233, "epoll_ctl", 4, TD],
  [234, "tgkill", 3, TP | TS],
  [235, "utimes", 2, TF],
  [236, "vserver", 5, 0],
  [237, "mbind", 6, TM],
  [238, "set_mempolicy", 3, TM],
  [239, "get_mempolicy", 5, TM],
  [240, "mq_open", 4, TD],
  [241, "mq_unlink", 1, 0],
  [242, "mq_timedsend", 5, TD],
  [243, "mq_timedreceive", 5, TD],
  [244, "mq_notify", 2, TD],
  [245, "mq_getsetattr", 3, TD],
  [246, "kexec_load", 4, 0],
  [247, "waitid", 5, TP],
  [248, "add_key", 5, 0],
  [249, "request_key", 4, 0],
  [250, "keyctl", 5, 0],
  [251, "ioprio_set", 3, 0],
  [252, "ioprio_get", 2, 0],
  [253, "inotify_init", 0, TD],
  [254, "inotify_add_watch", 3, TD | TF],
  [255, "inotify_rm_watch", 2, TD],
  [256, "migrate_pages", 4, TM],
  [257, "openat", 4, TD | TF],
  [258, "mkdirat", 3, TD | TF],
  [259, "mknodat", 4, TD | TF],
  [260, "fchownat", 5, TD | TF],
  [261, "futimesat", 3, TD | TF],
  [262, "newfstatat", 4, TD | TF | TFST | TSTA],
  [263, "unlinkat", 3, TD | TF],
  [264, "renameat", 4, TD | TF],
  [265, "linkat", 5, TD | TF],
  [266, "symlinkat", 3, TD | TF],
  [267, "readlinkat", 4, TD | TF],
  [268, "fchmodat", 3, TD | TF],
  [269, "faccessat", 3, TD | TF],
  [270, "pselect6", 6, TD],
  [271, "ppoll", 5, TD],
  [272, "unshare", 1, 0],
  [273, "set_robust_list", 2, 0],
  [274, "get_robust_list", 3, 0],
  [275, "splice", 6, TD],
  [276, "tee", 4, TD],
  [277, "sync_file_range", 4, TD],
  [278, "vmsplice", 4, TD],
  [279, "move_pages", 6, TM],
  [280, "utimensat", 4, TD | TF],
  [281, "epoll_pwait", 6, TD],
  [282, "signalfd", 3, TD | TS],
  [283, "timerfd_create", 2, TD],
  [284, "eventfd", 1, TD],
  [285, "fallocate", 4, TD],
  [286, "timerfd_settime", 4, TD],
  [287, "timerfd_gettime", 2, TD],
  [288, "accept4", 4, TN],
  [289, "signalfd4", 4, TD | TS],
  [290, "eventfd2", 2, TD],
  [291, "epoll_create1", 1, TD],
  [292, "dup3", 3, TD],
  [293, "pipe2", 2, TD],
  [294, "inotify_init1", 1, TD],
  [295, "preadv", 4, TD],
  [296, "pwritev", 4, TD],
  [297, "rt_tgsigqueueinfo", 4, TP | TS],
  [298, "perf_event_open", 5, TD],
  [299, "recvmmsg", 5, TN],
  [300, "fanotify_init", 2, TD],
  [301, "fanotify_mark", 5, TD | TF],
  [302, "prlimit64", 4, 0],
  [303, "name_to_handle_at", 5, TD | TF],
  [304, "open_by_handle_at", 3, TD],
  [305, "clock_adjtime", 2, TCL],
  [306, "syncfs", 1, TD],
  [307, "sendmmsg", 4, TN],
  [308, "setns", 2, TD],
  [309, "getcpu", 3, 0],
  [310, "process_vm_readv", 6, 0],
  [311, "process_vm_writev", 6, 0],
  [312, "kcmp", 5, 0],
  [313, "finit_module", 3, TD],
  [314, "sched_setattr", 3, 0],
  [315, "sched_getattr", 4, 0],
  [316, "renameat2", 5, TD | TF],
  [317, "seccomp", 3, 0],
  [318, "getrandom", 3, 0],
  [319, "memfd_create", 2, TD],
  [320, "kexec_file_load", 5, TD],
  [321, "bpf", 3, TD],
  [322, "execveat", 5, TD | TF | TP | SI | SE | TSD | CC],
  [323, "userfaultfd", 1, TD],
  [324, "membarrier", 3, 0],
  [325, "mlock2", 3, TM],
  [326, "copy_file_range", 6, TD],
  [327, "preadv2", 6, TD],
  [328, "pwritev2", 6, TD],
  [329, "pkey_mprotect", 4, TM | SI],
  [330, "pkey_alloc", 2, 0],
  [331, "pkey_free", 1, 0],
  [332, "statx", 5, TD | TF | TFST | TSTA],
  [333, "io_pgetevents", 6, 0],
  [334, "rseq", 4, 0],
  [335, "uretprobe", 0, 0],
  [424, "pidfd_send_signal", 4, TD | TP | TS],
  [425, "io_uring_setup", 2, TD],
  [426, "io_uring_enter", 6, TD | TS],
  [427, "io_uring_register", 4, TD | TM],
  [428, "open_tree", 3, TD | TF],
  [429, "move_mount", 5, TD | TF],
  [430, "fsopen", 2, TD],
  [431, "fsconfig", 5, TD | TF],
  [432, "fsmount", 3, TD],
  [433, "fspick", 3, TD | TF],
  [434, "pidfd_open", 2, TD],
  [435, "clone3", 2, TP],
  [436, "close_range", 3, 0],
  [437, "openat2", 4, TD | TF],
  [438, "pidfd_getfd", 3, TD],
  [439, "faccessat2", 4, TD | TF],
  [440, "process_madvise", 5, TD],
  [441, "epoll_pwait2", 6, TD],
  [442, "mount_setattr", 5, TD | TF],
  [443, "quotactl_fd", 4, TD],
  [444, "landlock_create_ruleset", 3, TD],
  [445, "landlock_add_rule", 4, TD],
  [446, "landlock_restrict_self", 2, TD],
  [447, "memfd_secret", 1, TD],
  [448, "process_mrelease", 2, TD],
  [449, "futex_waitv", 5, 0],
  [450, "set_mempolicy_home_node", 4, TM],
  [451, "cachestat", 4, TD],
  [452, "fchmodat2", 4, TD | TF],
  [453, "map_shadow_stack", 3, TM],
  [454, "futex_wake", 4, 0],
  [455, "futex_wait", 6, 0],
  [456, "futex_requeue", 4, 0],
  [457, "statmount", 4, 0],
  [458, "listmount", 4, 0],
  [459, "lsm_get_self_attr", 4, 0],
  [460, "lsm_set_self_attr", 4, 0],
  [461, "lsm_list_modules", 3, 0],
  [462, "mseal", 3, TM],
  [463, "setxattrat", 6, TD | TF],
  [464, "getxattrat", 6, TD | TF],
  [465, "listxattrat", 5, TD | TF],
  [466, "removexattrat", 4, TD | TF],
  [467, "open_tree_attr", 5, TD | TF],
  [468, "file_getattr", 5, TD | TF],
  [469, "file_setattr", 5, TD | TF],
  [470, "listns", 4, 0],
  [471, "rseq_slice_yield", 0, 0],
];

/** A syscall's description, as {@linkcode syscallByNr} and {@linkcode syscallByName} return it. */
export interface SyscallInfo {
  /** The syscall number. */
  nr: number;
  /** The name strace prints. */
  name: string;
  /** How many arguments strace prints. */
  nargs: number;
  /** The class bits ({@linkcode TD}, {@linkcode TF}, ...). */
  classes: number;
  /** The key of its decoder in the decoder tables (usually the name). */
  decoder: string;
}

const byNr: (SyscallInfo | undefined)[] = [];
const byName = new Map<string, SyscallInfo>();
for (const [nr, name, nargs, classes, decoder] of SYSCALLS) {
  const info: SyscallInfo = Object.freeze({ nr, name, nargs, classes, decoder: decoder ?? name });
  byNr[nr] = info;
  byName.set(name, info);
}

/** The number one past the highest known syscall number. */
export const NSYSCALLS: number = byNr.length;

/** Looks a syscall up by number (an array index); `undefined` for unknown numbers. */
export function syscallByNr(nr: number): SyscallInfo | undefined {
  return Number.isInteger(nr) && nr >= 0 ? byNr[nr] : undefined;
}

/** Looks a syscall up by the name strace prints (`pread64`, `newfstatat`, ...). */
export function syscallByName(name: string): SyscallInfo | undefined {
  return byName.get(name);
}

/**
 * The name strace prints for a number it does not know: `syscall_0x` and the number in hex, as
 * an unsigned 64-bit value (`syscall(-1)` prints as `syscall_0xffffffffffffffff`). Unknown
 * syscalls print all six arguments in hex.
 */
export function unknownSyscallName(nr: number | bigint): string {
  const v = BigInt.asUintN(64, typeof nr === "bigint" ? nr : BigInt(Math.trunc(nr)));
  return "syscall_0x" + v.toString(16);
}

/**
 * Trace classes for `-e trace=%NAME`, keyed by NAME (so `%%stat` is key `"%stat"`). A syscall is
 * in a class when it has all of the class's bits. strace matches class names case-insensitively.
 */
export const TRACE_CLASSES: Readonly<Record<string, number>> = Object.freeze({
  desc: TD,
  file: TF,
  memory: TM,
  process: TP,
  creds: TC,
  signal: TS,
  ipc: TI,
  net: TN,
  network: TN,
  stat: TST,
  lstat: TLST,
  fstat: TFST,
  "%stat": TSTA,
  statfs: TSF,
  fstatfs: TFSF,
  "%statfs": TSFA,
  pure: PU,
  clock: TCL,
});

/**
 * The legacy class names strace also accepts without the `%` (`-e trace=file`); `all` means
 * every syscall. Other names without `%` (`stat`, `creds`, ...) are syscall names.
 */
export const LEGACY_TRACE_CLASSES: readonly string[] = Object.freeze([
  "all",
  "desc",
  "file",
  "memory",
  "process",
  "signal",
  "ipc",
  "network",
]);

/** Whether syscall `info` belongs to class `bits` (it has all of them, as strace checks). */
export function inClass(info: SyscallInfo, bits: number): boolean {
  return (info.classes & bits) === bits;
}

/**
 * Whether strace 6.1 (the reference) knows syscall `nr`: its table ends at 450 (futex_waitv ...
 * set_mempolicy_home_node) and lacks 335 (uretprobe). strace 6.1 prints unknown numbers as
 * `syscall_0x…` with six hex arguments, and traces them whatever `-e trace=` says (even `none`).
 */
export function knownToStrace61(nr: number): boolean {
  return syscallByNr(nr) !== undefined && nr !== 335 && nr <= 450;
}
