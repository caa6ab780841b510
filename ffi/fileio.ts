/**
 * The few libc calls the trace output needs beyond `ffi/libc.ts`: `open` (a raw descriptor, so
 * every write reports its own errno, as strace's stdio does), `close`, `pipe2` and the
 * `posix_spawn` file actions that put a pipe on a child's stdin (`-o '|cmd'`).
 *
 * Opened lazily, on the first call: a trace to stderr never pays for this `dlopen`.
 * @module
 */

import { cString, errno, libc } from "./libc.ts";

const symbols = {
  /** `int open(const char *, int flags, mode_t mode)`. */
  open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  /** `int close(int)`. */
  close: { parameters: ["i32"], result: "i32" },
  /** `int pipe2(int fds[2], int flags)`. */
  pipe2: { parameters: ["buffer", "i32"], result: "i32" },
  /** `int posix_spawn_file_actions_init(posix_spawn_file_actions_t *)`. */
  posix_spawn_file_actions_init: { parameters: ["buffer"], result: "i32" },
  /** `int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *, int, int)`. */
  posix_spawn_file_actions_adddup2: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  /** `int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *)`. */
  posix_spawn_file_actions_destroy: { parameters: ["buffer"], result: "i32" },
} as const;

let lib: Deno.DynamicLibrary<typeof symbols>["symbols"] | undefined;

/** The opened symbols (opened on first use). */
function fns(): Deno.DynamicLibrary<typeof symbols>["symbols"] {
  lib ??= Deno.dlopen("libc.so.6", symbols).symbols;
  return lib;
}

/** `open(2)` flags used here (x86_64). */
const O = { WRONLY: 0o1, CREAT: 0o100, TRUNC: 0o1000, APPEND: 0o2000, CLOEXEC: 0o2000000 };
const EINTR = 4;

/**
 * Opens `path` for writing as strace's `fopen(path, append ? "a" : "w")` does, close-on-exec
 * (a tracee never inherits it). Returns the descriptor, or a negative errno.
 */
export function openForWrite(path: string, append: boolean): number {
  const flags = O.WRONLY | O.CREAT | O.CLOEXEC | (append ? O.APPEND : O.TRUNC);
  const fd = fns().open(cString(path), flags, 0o666);
  return fd < 0 ? -errno() : fd;
}

/** Closes a descriptor; returns 0 or a negative errno. */
export function closeFd(fd: number): number {
  return fns().close(fd) < 0 ? -errno() : 0;
}

/** A close-on-exec pipe: `[readEnd, writeEnd]`, or a negative errno. */
export function cloexecPipe(): [number, number] | number {
  const fds = new Int32Array(2);
  if (fns().pipe2(new Uint8Array(fds.buffer), O.CLOEXEC) < 0) return -errno();
  return [fds[0], fds[1]];
}

/**
 * File actions that make `fd` the child's stdin (dup2 clears close-on-exec on the copy). The
 * caller passes the returned buffer's pointer to `posix_spawn` and then calls
 * {@linkcode destroyFileActions}.
 */
export function stdinFileActions(fd: number): Uint8Array<ArrayBuffer> {
  const fa = new Uint8Array(256); // posix_spawn_file_actions_t is 80 bytes on x86_64 glibc
  fns().posix_spawn_file_actions_init(fa);
  fns().posix_spawn_file_actions_adddup2(fa, fd, 0);
  return fa;
}

/** Releases what {@linkcode stdinFileActions} allocated. */
export function destroyFileActions(fa: Uint8Array<ArrayBuffer>): void {
  fns().posix_spawn_file_actions_destroy(fa);
}

/** Waits for our child `pid` to end (retrying on EINTR); returns its pid or a negative errno. */
export function waitChild(pid: number): number {
  const st = new Int32Array(1);
  for (;;) {
    const r = libc.waitpid(pid, new Uint8Array(st.buffer), 0);
    if (r >= 0) return r;
    const e = errno();
    if (e !== EINTR) return -e;
  }
}
