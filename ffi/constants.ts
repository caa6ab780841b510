/**
 * Kernel and libc constants the tracer needs (x86_64 Linux), as plain numbers.
 * @module
 */

/** ptrace requests. */
export const PTRACE = {
  PEEKTEXT: 1,
  PEEKDATA: 2,
  POKETEXT: 4,
  POKEDATA: 5,
  CONT: 7,
  KILL: 8,
  SINGLESTEP: 9,
  GETREGS: 12,
  SETREGS: 13,
  DETACH: 17,
  SYSCALL: 24,
  SETOPTIONS: 0x4200,
  GETEVENTMSG: 0x4201,
  GETSIGINFO: 0x4202,
  SEIZE: 0x4206,
  INTERRUPT: 0x4207,
  LISTEN: 0x4208,
  GET_SYSCALL_INFO: 0x420e,
} as const;

/** ptrace options (PTRACE_O_*). */
export const PTRACE_O = {
  TRACESYSGOOD: 0x1,
  TRACEFORK: 0x2,
  TRACEVFORK: 0x4,
  TRACECLONE: 0x8,
  TRACEEXEC: 0x10,
  TRACEVFORKDONE: 0x20,
  TRACEEXIT: 0x40,
  TRACESECCOMP: 0x80,
  EXITKILL: 0x100000,
} as const;

/** ptrace events, as found in `status >> 16`. */
export const PTRACE_EVENT = {
  FORK: 1,
  VFORK: 2,
  CLONE: 3,
  EXEC: 4,
  VFORK_DONE: 5,
  EXIT: 6,
  SECCOMP: 7,
  STOP: 128,
} as const;

/** `PTRACE_GET_SYSCALL_INFO` ops. */
export const SYSCALL_INFO_OP = { NONE: 0, ENTRY: 1, EXIT: 2, SECCOMP: 3 } as const;

/** waitpid options. */
export const WAIT = { WNOHANG: 1, WUNTRACED: 2, WALL: 0x40000000 } as const;

/** Signal numbers used by the tracer. */
export const SIG = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGTRAP: 5,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
} as const;

/** errno values the tracer checks. */
export const E = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  EACCES: 13,
  EFAULT: 14,
  ECHILD: 10,
  ENOSYS: 38,
} as const;

/** posix_spawn attribute flags. */
export const POSIX_SPAWN = { SETSIGDEF: 0x04, SETSIGMASK: 0x08 } as const;

/** `sa_flags` bit that makes interrupted syscalls restart. */
export const SA_RESTART = 0x10000000;

/** x86_64 syscall numbers the core itself needs. */
export const NR = {
  execve: 59,
  execveat: 322,
  exit: 60,
  exit_group: 231,
  rt_sigreturn: 15,
  tgkill: 234,
} as const;
