/**
 * The libc functions sctrace calls, opened once with `Deno.dlopen`. Signatures use 32-bit
 * integers wherever the value fits (FFI i64 arguments and results cost ten times more), and
 * buffers are passed as typed arrays or cached pointers.
 *
 * Every call must come from the main thread: ptrace requests are only valid from the thread that
 * attached, and `errno` is per thread.
 * @module
 */

/** The libc functions sctrace declares, with their FFI signatures. */
export const symbols = {
  /** `ptrace` with integer addr/data, for requests whose result fits in 32 bits. */
  ptrace_ii: {
    name: "ptrace",
    parameters: ["i32", "i32", "usize", "usize"],
    result: "i32",
  },
  /** `ptrace` with a buffer as data, 32-bit result (GETREGS, GET_SYSCALL_INFO, GETSIGINFO). */
  ptrace_ib: {
    name: "ptrace",
    parameters: ["i32", "i32", "usize", "buffer"],
    result: "i32",
  },
  /** `ptrace` with integer addr/data, 64-bit result (PEEKDATA). */
  ptrace_peek: {
    name: "ptrace",
    parameters: ["i32", "i32", "usize", "usize"],
    result: "i64",
  },
  /** `pid_t waitpid(pid, int *status, options)`. */
  waitpid: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  /** `ssize_t process_vm_readv(pid, local_iov, liovcnt, remote_iov, riovcnt, flags)`. */
  process_vm_readv: {
    parameters: ["i32", "buffer", "u32", "buffer", "u32", "u32"],
    result: "i32",
  },
  /** `ssize_t process_vm_writev(pid, local_iov, liovcnt, remote_iov, riovcnt, flags)`. */
  process_vm_writev: {
    parameters: ["i32", "buffer", "u32", "buffer", "u32", "u32"],
    result: "i32",
  },
  /** `pid_t wait4(pid, int *status, options, struct rusage *)`. */
  wait4: { parameters: ["i32", "buffer", "i32", "buffer"], result: "i32" },
  /** `int kill(pid, sig)`. */
  kill: { parameters: ["i32", "i32"], result: "i32" },
  /** `int *__errno_location(void)`. */
  __errno_location: { parameters: [], result: "pointer" },
  /** `int posix_spawn(pid_t *, path, file_actions, attr, argv, envp)`. */
  posix_spawn: {
    parameters: ["buffer", "buffer", "pointer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  /** `int posix_spawnattr_init(posix_spawnattr_t *)`. */
  posix_spawnattr_init: { parameters: ["buffer"], result: "i32" },
  /** `int posix_spawnattr_destroy(posix_spawnattr_t *)`. */
  posix_spawnattr_destroy: { parameters: ["buffer"], result: "i32" },
  /** `int posix_spawnattr_setflags(posix_spawnattr_t *, short)`. */
  posix_spawnattr_setflags: { parameters: ["buffer", "i16"], result: "i32" },
  /** `int posix_spawnattr_setsigdefault(posix_spawnattr_t *, const sigset_t *)`. */
  posix_spawnattr_setsigdefault: { parameters: ["buffer", "buffer"], result: "i32" },
  /** `int posix_spawnattr_setsigmask(posix_spawnattr_t *, const sigset_t *)`. */
  posix_spawnattr_setsigmask: { parameters: ["buffer", "buffer"], result: "i32" },
  /** `int sigaction(sig, const struct sigaction *, struct sigaction *)`. */
  sigaction: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** `int sigprocmask(how, const sigset_t *, sigset_t *)`. */
  sigprocmask: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** `pid_t getpid(void)`. */
  getpid: { parameters: [], result: "i32" },
  /** `int clock_gettime(clockid, struct timespec *)`. */
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  /** `ssize_t write(fd, buf, count)`. */
  write: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  /** `int sched_yield(void)`. */
  sched_yield: { parameters: [], result: "i32" },
  /** `int sched_setaffinity(pid, size_t cpusetsize, const cpu_set_t *mask)`. */
  sched_setaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
  /** `int sched_getaffinity(pid, size_t cpusetsize, cpu_set_t *mask)`. */
  sched_getaffinity: { parameters: ["i32", "usize", "buffer"], result: "i32" },
  /** `int sched_getcpu(void)`: the CPU the calling thread runs on. */
  sched_getcpu: { parameters: [], result: "i32" },
} as const;

/** The opened libc. */
export const libc: Deno.DynamicLibrary<typeof symbols>["symbols"] = Deno.dlopen(
  "libc.so.6",
  symbols,
).symbols;

const errnoView = new Deno.UnsafePointerView(libc.__errno_location()!);

/** The calling (main) thread's `errno`. */
export function errno(): number {
  return errnoView.getInt32(0);
}

/** Sets the main thread's `errno` (to clear it before a call whose result is ambiguous). */
export function setErrno(v: number): void {
  // UnsafePointerView is read-only; write through a one-element view of the same address.
  errnoCell[0] = v;
}

const errnoCell = new Int32Array(
  Deno.UnsafePointerView.getArrayBuffer(libc.__errno_location()!, 4),
);

/** Encodes a string as a NUL-terminated C string. */
export function cString(s: string): Uint8Array<ArrayBuffer> {
  const b = new TextEncoder().encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}
