/**
 * Constant tables of the process family (clone, wait, prctl, futex, rlimits, scheduling,
 * ptrace), as data, in the order strace 6.1's `src/xlat/*.in` lists them (x86_64 values).
 * @module
 */
import { xlat } from "../xlat.ts";
import type { Xlat } from "../xlat.ts";

/** `clone(2)` flags (strace's `clone_flags`); the exit signal lives in the low byte. */
export const cloneFlags: Xlat = xlat([
  ["CLONE_VM", 0x100],
  ["CLONE_FS", 0x200],
  ["CLONE_FILES", 0x400],
  ["CLONE_SIGHAND", 0x800],
  ["CLONE_PIDFD", 0x1000],
  ["CLONE_PTRACE", 0x2000],
  ["CLONE_VFORK", 0x4000],
  ["CLONE_PARENT", 0x8000],
  ["CLONE_THREAD", 0x10000],
  ["CLONE_NEWNS", 0x20000],
  ["CLONE_SYSVSEM", 0x40000],
  ["CLONE_SETTLS", 0x80000],
  ["CLONE_PARENT_SETTID", 0x100000],
  ["CLONE_CHILD_CLEARTID", 0x200000],
  ["CLONE_UNTRACED", 0x800000],
  ["CLONE_CHILD_SETTID", 0x1000000],
  ["CLONE_NEWCGROUP", 0x2000000],
  ["CLONE_NEWUTS", 0x4000000],
  ["CLONE_NEWIPC", 0x8000000],
  ["CLONE_NEWUSER", 0x10000000],
  ["CLONE_NEWPID", 0x20000000],
  ["CLONE_NEWNET", 0x40000000],
  ["CLONE_IO", 0x80000000],
]);

/** The extra `clone3(2)` flags (strace's `clone3_flags`), printed after {@linkcode cloneFlags}. */
export const clone3Flags: Xlat = xlat([
  ["CLONE_NEWTIME", 0x80],
  ["CLONE_CLEAR_SIGHAND", 0x100000000],
  ["CLONE_INTO_CGROUP", 0x200000000],
]);

/** `wait4`/`waitid` options (strace's `wait4_options`). */
export const wait4Options: Xlat = xlat([
  ["WNOHANG", 1],
  ["WEXITED", 4],
  ["WSTOPPED", 2],
  ["WCONTINUED", 8],
  ["WNOWAIT", 0x1000000],
  ["__WCLONE", 0x80000000],
  ["__WALL", 0x40000000],
  ["__WNOTHREAD", 0x20000000],
]);

/** `waitid` id types (strace's `waitid_types`). */
export const waitidTypes: Xlat = xlat([
  ["P_ALL", 0],
  ["P_PID", 1],
  ["P_PGID", 2],
  ["P_PIDFD", 3],
]);

/** ptrace event numbers in a wait status (strace's `ptrace_events`). */
export const ptraceEvents: Xlat = xlat([
  ["PTRACE_EVENT_FORK", 1],
  ["PTRACE_EVENT_VFORK", 2],
  ["PTRACE_EVENT_CLONE", 3],
  ["PTRACE_EVENT_EXEC", 4],
  ["PTRACE_EVENT_VFORK_DONE", 5],
  ["PTRACE_EVENT_EXIT", 6],
  ["PTRACE_EVENT_SECCOMP", 7],
  ["PTRACE_EVENT_STOP", 128],
]);

/** Resource limits (strace's `resources`). */
export const resources: Xlat = xlat([
  ["RLIMIT_CPU", 0],
  ["RLIMIT_FSIZE", 1],
  ["RLIMIT_DATA", 2],
  ["RLIMIT_STACK", 3],
  ["RLIMIT_CORE", 4],
  ["RLIMIT_RSS", 5],
  ["RLIMIT_NPROC", 6],
  ["RLIMIT_NOFILE", 7],
  ["RLIMIT_MEMLOCK", 8],
  ["RLIMIT_AS", 9],
  ["RLIMIT_LOCKS", 10],
  ["RLIMIT_SIGPENDING", 11],
  ["RLIMIT_MSGQUEUE", 12],
  ["RLIMIT_NICE", 13],
  ["RLIMIT_RTPRIO", 14],
  ["RLIMIT_RTTIME", 15],
]);

/** `getrusage` targets (strace's `usagewho`). */
export const usageWho: Xlat = xlat([
  ["RUSAGE_SELF", 0],
  ["RUSAGE_CHILDREN", -1],
  ["RUSAGE_BOTH", -2],
  ["RUSAGE_THREAD", 1],
]);

/** `getpriority`/`setpriority` targets (strace's `priorities`). */
export const priorities: Xlat = xlat([
  ["PRIO_PROCESS", 0],
  ["PRIO_PGRP", 1],
  ["PRIO_USER", 2],
]);

/** futex operations (strace's `futexops`), including the private/realtime combinations. */
export const futexOps: Xlat = xlat([
  ["FUTEX_WAIT", 0],
  ["FUTEX_WAKE", 1],
  ["FUTEX_FD", 2],
  ["FUTEX_REQUEUE", 3],
  ["FUTEX_CMP_REQUEUE", 4],
  ["FUTEX_WAKE_OP", 5],
  ["FUTEX_LOCK_PI", 6],
  ["FUTEX_UNLOCK_PI", 7],
  ["FUTEX_TRYLOCK_PI", 8],
  ["FUTEX_WAIT_BITSET", 9],
  ["FUTEX_WAKE_BITSET", 10],
  ["FUTEX_WAIT_REQUEUE_PI", 11],
  ["FUTEX_CMP_REQUEUE_PI", 12],
  ["FUTEX_LOCK_PI2", 13],
  ["FUTEX_WAIT_PRIVATE", 128],
  ["FUTEX_WAKE_PRIVATE", 129],
  ["FUTEX_FD|FUTEX_PRIVATE_FLAG", 130],
  ["FUTEX_REQUEUE_PRIVATE", 131],
  ["FUTEX_CMP_REQUEUE_PRIVATE", 132],
  ["FUTEX_WAKE_OP_PRIVATE", 133],
  ["FUTEX_LOCK_PI_PRIVATE", 134],
  ["FUTEX_UNLOCK_PI_PRIVATE", 135],
  ["FUTEX_TRYLOCK_PI_PRIVATE", 136],
  ["FUTEX_WAIT_BITSET_PRIVATE", 137],
  ["FUTEX_WAKE_BITSET_PRIVATE", 138],
  ["FUTEX_WAIT_REQUEUE_PI_PRIVATE", 139],
  ["FUTEX_CMP_REQUEUE_PI_PRIVATE", 140],
  ["FUTEX_LOCK_PI2_PRIVATE", 141],
  ["FUTEX_WAIT|FUTEX_CLOCK_REALTIME", 256],
  ["FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME", 384],
  ["FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME", 265],
  ["FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME", 393],
  ["FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME", 267],
  ["FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME", 395],
]);

/** The futex bitset that matches any waiter (strace's `futexbitset`). */
export const futexBitset: Xlat = xlat([["FUTEX_BITSET_MATCH_ANY", 0xffffffff]]);

/** `FUTEX_WAKE_OP` operations (strace's `futexwakeops`). */
export const futexWakeOps: Xlat = xlat([
  ["FUTEX_OP_SET", 0],
  ["FUTEX_OP_ADD", 1],
  ["FUTEX_OP_OR", 2],
  ["FUTEX_OP_ANDN", 3],
  ["FUTEX_OP_XOR", 4],
]);

/** `FUTEX_WAKE_OP` comparisons (strace's `futexwakecmps`). */
export const futexWakeCmps: Xlat = xlat([
  ["FUTEX_OP_CMP_EQ", 0],
  ["FUTEX_OP_CMP_NE", 1],
  ["FUTEX_OP_CMP_LT", 2],
  ["FUTEX_OP_CMP_LE", 3],
  ["FUTEX_OP_CMP_GT", 4],
  ["FUTEX_OP_CMP_GE", 5],
]);

/** `prctl(2)` options (strace's `prctl_options`). */
export const prctlOptions: Xlat = xlat([
  ["PR_SET_PDEATHSIG", 1],
  ["PR_GET_PDEATHSIG", 2],
  ["PR_GET_DUMPABLE", 3],
  ["PR_SET_DUMPABLE", 4],
  ["PR_GET_UNALIGN", 5],
  ["PR_SET_UNALIGN", 6],
  ["PR_GET_KEEPCAPS", 7],
  ["PR_SET_KEEPCAPS", 8],
  ["PR_GET_FPEMU", 9],
  ["PR_SET_FPEMU", 10],
  ["PR_GET_FPEXC", 11],
  ["PR_SET_FPEXC", 12],
  ["PR_GET_TIMING", 13],
  ["PR_SET_TIMING", 14],
  ["PR_SET_NAME", 15],
  ["PR_GET_NAME", 16],
  ["PR_GET_ENDIAN", 19],
  ["PR_SET_ENDIAN", 20],
  ["PR_GET_SECCOMP", 21],
  ["PR_SET_SECCOMP", 22],
  ["PR_CAPBSET_READ", 23],
  ["PR_CAPBSET_DROP", 24],
  ["PR_GET_TSC", 25],
  ["PR_SET_TSC", 26],
  ["PR_GET_SECUREBITS", 27],
  ["PR_SET_SECUREBITS", 28],
  ["PR_SET_TIMERSLACK", 29],
  ["PR_GET_TIMERSLACK", 30],
  ["PR_TASK_PERF_EVENTS_DISABLE", 31],
  ["PR_TASK_PERF_EVENTS_ENABLE", 32],
  ["PR_MCE_KILL", 33],
  ["PR_MCE_KILL_GET", 34],
  ["PR_SET_MM", 35],
  ["PR_SET_CHILD_SUBREAPER", 36],
  ["PR_GET_CHILD_SUBREAPER", 37],
  ["PR_SET_NO_NEW_PRIVS", 38],
  ["PR_GET_NO_NEW_PRIVS", 39],
  ["PR_GET_TID_ADDRESS", 40],
  ["PR_SET_THP_DISABLE", 41],
  ["PR_GET_THP_DISABLE", 42],
  ["PR_MPX_ENABLE_MANAGEMENT", 43],
  ["PR_MPX_DISABLE_MANAGEMENT", 44],
  ["PR_SET_FP_MODE", 45],
  ["PR_GET_FP_MODE", 46],
  ["PR_CAP_AMBIENT", 47],
  ["PR_SVE_SET_VL", 50],
  ["PR_SVE_GET_VL", 51],
  ["PR_GET_SPECULATION_CTRL", 52],
  ["PR_SET_SPECULATION_CTRL", 53],
  ["PR_PAC_RESET_KEYS", 54],
  ["PR_SET_TAGGED_ADDR_CTRL", 55],
  ["PR_GET_TAGGED_ADDR_CTRL", 56],
  ["PR_SET_IO_FLUSHER", 57],
  ["PR_GET_IO_FLUSHER", 58],
  ["PR_SET_SYSCALL_USER_DISPATCH", 59],
  ["PR_PAC_SET_ENABLED_KEYS", 60],
  ["PR_PAC_GET_ENABLED_KEYS", 61],
  ["PR_SCHED_CORE", 62],
  ["PR_SME_SET_VL", 63],
  ["PR_SME_GET_VL", 64],
  ["PR_SET_VMA", 0x53564d41],
  ["PR_SET_PTRACER", 0x59616d61],
]);

/** `PR_SET_DUMPABLE` values (strace's `pr_dumpable`). */
export const prDumpable: Xlat = xlat([
  ["SUID_DUMP_DISABLE", 0],
  ["SUID_DUMP_USER", 1],
  ["SUID_DUMP_ROOT", 2],
]);

/** `PR_SET_TSC` values (strace's `pr_tsc`). */
export const prTsc: Xlat = xlat([
  ["PR_TSC_ENABLE", 1],
  ["PR_TSC_SIGSEGV", 2],
]);

/** `PR_SET_MM` sub-options (strace's `pr_set_mm`). */
export const prSetMm: Xlat = xlat([
  ["PR_SET_MM_START_CODE", 1],
  ["PR_SET_MM_END_CODE", 2],
  ["PR_SET_MM_START_DATA", 3],
  ["PR_SET_MM_END_DATA", 4],
  ["PR_SET_MM_START_STACK", 5],
  ["PR_SET_MM_START_BRK", 6],
  ["PR_SET_MM_BRK", 7],
  ["PR_SET_MM_ARG_START", 8],
  ["PR_SET_MM_ARG_END", 9],
  ["PR_SET_MM_ENV_START", 10],
  ["PR_SET_MM_ENV_END", 11],
  ["PR_SET_MM_AUXV", 12],
  ["PR_SET_MM_EXE_FILE", 13],
  ["PR_SET_MM_MAP", 14],
  ["PR_SET_MM_MAP_SIZE", 15],
]);

/** `PR_SET_VMA` sub-options (strace's `pr_set_vma`). */
export const prSetVma: Xlat = xlat([["PR_SET_VMA_ANON_NAME", 0]]);

/** `PR_SET_SECCOMP` / `PR_GET_SECCOMP` modes (strace's `seccomp_mode`). */
export const seccompMode: Xlat = xlat([
  ["SECCOMP_MODE_DISABLED", 0],
  ["SECCOMP_MODE_STRICT", 1],
  ["SECCOMP_MODE_FILTER", 2],
]);

/** `seccomp(2)` operations (strace's `seccomp_ops`). */
export const seccompOps: Xlat = xlat([
  ["SECCOMP_SET_MODE_STRICT", 0],
  ["SECCOMP_SET_MODE_FILTER", 1],
  ["SECCOMP_GET_ACTION_AVAIL", 2],
  ["SECCOMP_GET_NOTIF_SIZES", 3],
]);

/** `seccomp(2)` filter flags (strace's `seccomp_filter_flags`). */
export const seccompFilterFlags: Xlat = xlat([
  ["SECCOMP_FILTER_FLAG_TSYNC", 1],
  ["SECCOMP_FILTER_FLAG_LOG", 2],
  ["SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4],
  ["SECCOMP_FILTER_FLAG_NEW_LISTENER", 8],
  ["SECCOMP_FILTER_FLAG_TSYNC_ESRCH", 16],
  ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32],
]);

/** `arch_prctl(2)` codes (strace's `archvals`). */
export const archVals: Xlat = xlat([
  ["ARCH_SET_GS", 0x1001],
  ["ARCH_SET_FS", 0x1002],
  ["ARCH_GET_FS", 0x1003],
  ["ARCH_GET_GS", 0x1004],
  ["ARCH_GET_CPUID", 0x1011],
  ["ARCH_SET_CPUID", 0x1012],
  ["ARCH_GET_XCOMP_SUPP", 0x1021],
  ["ARCH_GET_XCOMP_PERM", 0x1022],
  ["ARCH_REQ_XCOMP_PERM", 0x1023],
  ["ARCH_GET_XCOMP_GUEST_PERM", 0x1024],
  ["ARCH_REQ_XCOMP_GUEST_PERM", 0x1025],
  ["ARCH_MAP_VDSO_X32", 0x2001],
  ["ARCH_MAP_VDSO_32", 0x2002],
  ["ARCH_MAP_VDSO_64", 0x2003],
]);

/** Scheduling policies (strace's `schedulers`). */
export const schedulers: Xlat = xlat([
  ["SCHED_OTHER", 0],
  ["SCHED_FIFO", 1],
  ["SCHED_RR", 2],
  ["SCHED_BATCH", 3],
  ["SCHED_IDLE", 5],
  ["SCHED_DEADLINE", 6],
]);

/** `ptrace(2)` requests on x86_64 (strace's `ptrace_cmds`). */
export const ptraceCmds: Xlat = xlat([
  ["PTRACE_TRACEME", 0],
  ["PTRACE_PEEKTEXT", 0x1],
  ["PTRACE_PEEKDATA", 0x2],
  ["PTRACE_PEEKUSER", 0x3],
  ["PTRACE_POKETEXT", 0x4],
  ["PTRACE_POKEDATA", 0x5],
  ["PTRACE_POKEUSER", 0x6],
  ["PTRACE_CONT", 0x7],
  ["PTRACE_KILL", 0x8],
  ["PTRACE_SINGLESTEP", 0x9],
  ["PTRACE_ATTACH", 0x10],
  ["PTRACE_DETACH", 0x11],
  ["PTRACE_SYSCALL", 0x18],
  ["PTRACE_SETOPTIONS", 0x4200],
  ["PTRACE_GETEVENTMSG", 0x4201],
  ["PTRACE_GETSIGINFO", 0x4202],
  ["PTRACE_SETSIGINFO", 0x4203],
  ["PTRACE_GETREGSET", 0x4204],
  ["PTRACE_SETREGSET", 0x4205],
  ["PTRACE_SEIZE", 0x4206],
  ["PTRACE_INTERRUPT", 0x4207],
  ["PTRACE_LISTEN", 0x4208],
  ["PTRACE_PEEKSIGINFO", 0x4209],
  ["PTRACE_GETSIGMASK", 0x420a],
  ["PTRACE_SETSIGMASK", 0x420b],
  ["PTRACE_SECCOMP_GET_FILTER", 0x420c],
  ["PTRACE_SECCOMP_GET_METADATA", 0x420d],
  ["PTRACE_GET_SYSCALL_INFO", 0x420e],
  ["PTRACE_GET_RSEQ_CONFIGURATION", 0x420f],
  ["PTRACE_GETREGS", 0xc],
  ["PTRACE_SETREGS", 0xd],
  ["PTRACE_GETFPREGS", 0xe],
  ["PTRACE_SETFPREGS", 0xf],
  ["PTRACE_GETFPXREGS", 0x12],
  ["PTRACE_SETFPXREGS", 0x13],
  ["PTRACE_OLDSETOPTIONS", 0x15],
  ["PTRACE_GET_THREAD_AREA", 0x19],
  ["PTRACE_SET_THREAD_AREA", 0x1a],
  ["PTRACE_ARCH_PRCTL", 0x1e],
  ["PTRACE_SYSEMU", 0x1f],
  ["PTRACE_SYSEMU_SINGLESTEP", 0x20],
  ["PTRACE_SINGLEBLOCK", 0x21],
]);

/** `PTRACE_SETOPTIONS` / `PTRACE_SEIZE` options (strace's `ptrace_setoptions_flags`). */
export const ptraceSetoptionsFlags: Xlat = xlat([
  ["PTRACE_O_TRACESYSGOOD", 0x1],
  ["PTRACE_O_TRACEFORK", 0x2],
  ["PTRACE_O_TRACEVFORK", 0x4],
  ["PTRACE_O_TRACECLONE", 0x8],
  ["PTRACE_O_TRACEEXEC", 0x10],
  ["PTRACE_O_TRACEVFORKDONE", 0x20],
  ["PTRACE_O_TRACEEXIT", 0x40],
  ["PTRACE_O_TRACESECCOMP", 0x80],
  ["PTRACE_O_EXITKILL", 0x100000],
  ["PTRACE_O_SUSPEND_SECCOMP", 0x200000],
]);

/** `PTRACE_PEEKSIGINFO` flags (strace's `ptrace_peeksiginfo_flags`). */
export const ptracePeeksiginfoFlags: Xlat = xlat([["PTRACE_PEEKSIGINFO_SHARED", 1]]);

/** ELF note types used by `PTRACE_GETREGSET` (the common part of strace's `nt_descriptor_types`). */
export const ntDescriptorTypes: Xlat = xlat([
  ["NT_PRSTATUS", 1],
  ["NT_FPREGSET", 2],
  ["NT_PRPSINFO", 3],
  ["NT_PRXREG", 4],
  ["NT_PLATFORM", 5],
  ["NT_AUXV", 6],
  ["NT_GWINDOWS", 7],
  ["NT_ASRS", 8],
  ["NT_PSTATUS", 10],
  ["NT_PSINFO", 13],
  ["NT_PRCRED", 14],
  ["NT_UTSNAME", 15],
  ["NT_LWPSTATUS", 16],
  ["NT_LWPSINFO", 17],
  ["NT_PRFPXREG", 20],
  ["NT_386_TLS", 0x200],
  ["NT_386_IOPERM", 0x201],
  ["NT_X86_XSTATE", 0x202],
  ["NT_FILE", 0x46494c45],
  ["NT_PRXFPREG", 0x46e62b7f],
  ["NT_SIGINFO", 0x53494749],
]);

/** `PTRACE_GET_SYSCALL_INFO` ops (strace's `ptrace_syscall_info_op`). */
export const ptraceSyscallInfoOp: Xlat = xlat([
  ["PTRACE_SYSCALL_INFO_NONE", 0],
  ["PTRACE_SYSCALL_INFO_ENTRY", 1],
  ["PTRACE_SYSCALL_INFO_EXIT", 2],
  ["PTRACE_SYSCALL_INFO_SECCOMP", 3],
]);

/** Audit architectures seen on x86_64 (part of strace's `audit_arch`). */
export const auditArch: Xlat = xlat([
  ["AUDIT_ARCH_X86_64", 0xc000003e],
  ["AUDIT_ARCH_I386", 0x40000003],
]);

/** `struct user` offsets for `PTRACE_PEEKUSER`, sorted (strace's x86_64 `userent.h`). */
export const structUserOffsets: Xlat = xlat([
  ["8*R15", 0],
  ["8*R14", 8],
  ["8*R13", 16],
  ["8*R12", 24],
  ["8*RBP", 32],
  ["8*RBX", 40],
  ["8*R11", 48],
  ["8*R10", 56],
  ["8*R9", 64],
  ["8*R8", 72],
  ["8*RAX", 80],
  ["8*RCX", 88],
  ["8*RDX", 96],
  ["8*RSI", 104],
  ["8*RDI", 112],
  ["8*ORIG_RAX", 120],
  ["8*RIP", 128],
  ["8*CS", 136],
  ["8*EFL", 144],
  ["8*RSP", 152],
  ["8*SS", 160],
  ["offsetof(struct user, u_fpvalid)", 216],
  ["offsetof(struct user, i387)", 224],
  ["offsetof(struct user, u_tsize)", 736],
  ["offsetof(struct user, u_dsize)", 744],
  ["offsetof(struct user, u_ssize)", 752],
  ["offsetof(struct user, start_code)", 760],
  ["offsetof(struct user, start_stack)", 768],
  ["offsetof(struct user, signal)", 776],
  ["offsetof(struct user, reserved)", 784],
  ["offsetof(struct user, u_ar0)", 792],
  ["offsetof(struct user, u_fpstate)", 800],
  ["offsetof(struct user, magic)", 808],
  ["offsetof(struct user, u_comm)", 816],
  ["offsetof(struct user, u_debugreg)", 848],
  ["sizeof(struct user)", 912],
]);

/** `pidfd_open(2)` flags (strace's `pidfd_open_flags`). */
export const pidfdOpenFlags: Xlat = xlat([["PIDFD_NONBLOCK", 0o4000]]);

/** `capget`/`capset` header versions (strace's `cap_version`). */
export const capVersion: Xlat = xlat([
  ["_LINUX_CAPABILITY_VERSION_1", 0x19980330],
  ["_LINUX_CAPABILITY_VERSION_2", 0x20071026],
  ["_LINUX_CAPABILITY_VERSION_3", 0x20080522],
]);

/** Capability names by number (strace's `cap`). */
export const capNames: readonly string[] = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
];

/** Capabilities by number (strace's `cap`), for `PR_CAPBSET_READ` and friends. */
export const caps: Xlat = xlat(capNames.map((n, i) => [n, i] as const));

/** The capability bits of the first 32-bit word (strace's `cap_mask0`): `1<<CAP_CHOWN`, ... */
export const capMask0: Xlat = xlat(
  capNames.slice(0, 32).map((n, i) => ["1<<" + n, 2 ** i] as const),
);

/** The capability bits of the second 32-bit word (strace's `cap_mask1`). */
export const capMask1: Xlat = xlat(
  capNames.slice(32).map((n, i) => ["1<<" + n, 2 ** i] as const),
);

/** `PR_CAP_AMBIENT` sub-commands (strace's `pr_cap_ambient`). */
export const prCapAmbient: Xlat = xlat([
  ["PR_CAP_AMBIENT_IS_SET", 1],
  ["PR_CAP_AMBIENT_RAISE", 2],
  ["PR_CAP_AMBIENT_LOWER", 3],
  ["PR_CAP_AMBIENT_CLEAR_ALL", 4],
]);

/** `PR_SET_FP_MODE` bits (strace's `pr_fp_mode`). */
export const prFpMode: Xlat = xlat([["PR_FP_MODE_FR", 1], ["PR_FP_MODE_FRE", 2]]);

/** `PR_MCE_KILL` sub-commands (strace's `pr_mce_kill`). */
export const prMceKill: Xlat = xlat([["PR_MCE_KILL_CLEAR", 0], ["PR_MCE_KILL_SET", 1]]);

/** `PR_MCE_KILL_SET` policies (strace's `pr_mce_kill_policy`). */
export const prMceKillPolicy: Xlat = xlat([
  ["PR_MCE_KILL_LATE", 0],
  ["PR_MCE_KILL_EARLY", 1],
  ["PR_MCE_KILL_DEFAULT", 2],
]);

/** Pointer-authentication keys that can be enabled (strace's `pr_pac_enabled_keys`). */
export const prPacEnabledKeys: Xlat = xlat([
  ["PR_PAC_APIAKEY", 1],
  ["PR_PAC_APIBKEY", 2],
  ["PR_PAC_APDAKEY", 4],
  ["PR_PAC_APDBKEY", 8],
]);

/** The generic pointer-authentication key (strace's `pr_pac_keys`). */
export const prPacKeys: Xlat = xlat([["PR_PAC_APGAKEY", 16]]);

/** `PR_SCHED_CORE` commands (strace's `pr_sched_core_cmds`). */
export const prSchedCoreCmds: Xlat = xlat([
  ["PR_SCHED_CORE_GET", 0],
  ["PR_SCHED_CORE_CREATE", 1],
  ["PR_SCHED_CORE_SHARE_TO", 2],
  ["PR_SCHED_CORE_SHARE_FROM", 3],
]);

/** `PR_SCHED_CORE` pid types (strace's `pr_sched_core_pidtypes`). */
export const prSchedCorePidtypes: Xlat = xlat([
  ["PIDTYPE_PID", 0],
  ["PIDTYPE_TGID", 1],
  ["PIDTYPE_PGID", 2],
  ["PIDTYPE_SID", 3],
]);

/** `PR_SME_SET_VL` flags (strace's `pr_sme_vl_flags`). */
export const prSmeVlFlags: Xlat = xlat([
  ["PR_SME_SET_VL_ONEXEC", 1 << 18],
  ["PR_SME_VL_INHERIT", 1 << 17],
]);

/** `PR_SVE_SET_VL` flags (strace's `pr_sve_vl_flags`). */
export const prSveVlFlags: Xlat = xlat([
  ["PR_SVE_SET_VL_ONEXEC", 1 << 18],
  ["PR_SVE_VL_INHERIT", 1 << 17],
]);

/** Speculation-control features (strace's `pr_spec_cmds`). */
export const prSpecCmds: Xlat = xlat([
  ["PR_SPEC_STORE_BYPASS", 0],
  ["PR_SPEC_INDIRECT_BRANCH", 1],
  ["PR_SPEC_L1D_FLUSH", 2],
]);

/** `PR_GET_SPECULATION_CTRL` result bits (strace's `pr_spec_get_store_bypass_flags`). */
export const prSpecGetFlags: Xlat = xlat([
  ["PR_SPEC_NOT_AFFECTED", 0],
  ["PR_SPEC_PRCTL", 1],
  ["PR_SPEC_ENABLE", 2],
  ["PR_SPEC_DISABLE", 4],
  ["PR_SPEC_FORCE_DISABLE", 8],
  ["PR_SPEC_DISABLE_NOEXEC", 16],
]);

/** `PR_SET_SPECULATION_CTRL` values (strace's `pr_spec_set_store_bypass_flags`). */
export const prSpecSetFlags: Xlat = xlat([
  ["PR_SPEC_ENABLE", 2],
  ["PR_SPEC_DISABLE", 4],
  ["PR_SPEC_FORCE_DISABLE", 8],
  ["PR_SPEC_DISABLE_NOEXEC", 16],
]);

/** `PR_SET_SYSCALL_USER_DISPATCH` modes (strace's `pr_sud_cmds`). */
export const prSudCmds: Xlat = xlat([["PR_SYS_DISPATCH_OFF", 0], ["PR_SYS_DISPATCH_ON", 1]]);

/** The tagged-address enable bit (strace's `pr_tagged_addr_enable`). */
export const prTaggedAddrEnable: Xlat = xlat([
  ["!PR_TAGGED_ADDR_ENABLE", 0],
  ["PR_TAGGED_ADDR_ENABLE", 1],
]);

/** MTE tag-check fault modes (strace's `pr_tagged_addr_mte_tcf`). */
export const prTaggedAddrMteTcf: Xlat = xlat([
  ["PR_MTE_TCF_NONE", 0],
  ["PR_MTE_TCF_SYNC", 2],
  ["PR_MTE_TCF_ASYNC", 4],
  ["PR_MTE_TCF_MASK", 6],
]);

/** `PR_SET_UNALIGN` / `PR_GET_UNALIGN` bits (strace's `pr_unalign_flags`). */
export const prUnalignFlags: Xlat = xlat([["PR_UNALIGN_NOPRINT", 1], ["PR_UNALIGN_SIGBUS", 2]]);

/** `PR_SET_SECUREBITS` / `PR_GET_SECUREBITS` bits (strace's `secbits`). */
export const secbits: Xlat = xlat([
  ["SECBIT_NOROOT", 1],
  ["SECBIT_NOROOT_LOCKED", 2],
  ["SECBIT_NO_SETUID_FIXUP", 4],
  ["SECBIT_NO_SETUID_FIXUP_LOCKED", 8],
  ["SECBIT_KEEP_CAPS", 16],
  ["SECBIT_KEEP_CAPS_LOCKED", 32],
  ["SECBIT_NO_CAP_AMBIENT_RAISE", 64],
  ["SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED", 128],
]);
