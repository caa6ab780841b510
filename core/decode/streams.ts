/**
 * The protocol tap: follows the bytes each traced process moves through its descriptors and feeds
 * them to the stream sniffers (`--proto`).
 * @module
 */

import type { Direction, SyscallCall } from "../../decoders/api.ts";
import type { ProtoPayload } from "../events/types.ts";
import type { Sink } from "../output/sink.ts";

/** What the tracer calls on every successful syscall exit when `--proto` is on. */
export interface StreamTap {
  /**
   * Sees a finished, successful syscall; returns what to print after it: one
   * {@linkcode ProtoPayload} per protocol message or completed request (its `text` is the line),
   * and plain strings for sctrace's notes.
   */
  onSyscall(t: { pid: number; tgid: number }, c: SyscallCall): (string | ProtoPayload)[];
  /**
   * TLS plaintext (core/trace/tls) that went `dir` through descriptor `fd` inside an SSL call:
   * fed to that descriptor's TLS stream; returns what to print, as {@linkcode onSyscall} does
   * (messages marked `tls`).
   */
  feedPlain?(
    t: { pid: number; tgid: number },
    fd: number,
    dir: Direction,
    bytes: Uint8Array,
  ): (string | ProtoPayload)[];
  /**
   * Process `tgid` is gone (its leader exited or was killed): its descriptors are closed; returns
   * what to print (the requests that were still waiting on them), as {@linkcode onSyscall} does.
   */
  onExit?(t: { pid: number; tgid: number }): (string | ProtoPayload)[];
  /**
   * The trace is over (every tracee detached or gone): what is still open (requests waiting for
   * an answer), each with the process it belongs to.
   */
  onEnd?(): { tgid: number; item: ProtoPayload }[];
  /** Prints the protocol summary at the end. */
  finish(sink: Sink): void;
  /**
   * The protocol summary as one `--json` object (`{"type":"proto_summary", ...}`), or undefined
   * when none is due (the same times {@linkcode finish} prints the table).
   */
  summaryJson?(): { type: "proto_summary" } | undefined;
}

/**
 * The syscalls the tap must see, whatever `-e trace=` says: those that move bytes through a
 * descriptor (buffers, iovecs, messages, and the in-kernel copies `sendfile`, `splice`, `tee`,
 * `copy_file_range`), and those that end or replace a descriptor. `--seccomp-bpf` lets these
 * stop when `--proto` is on.
 */
export const TAP_SYSCALLS: readonly string[] = [
  "read",
  "pread64",
  "readv",
  "preadv",
  "preadv2",
  "recvfrom",
  "recvmsg",
  "recvmmsg",
  "write",
  "pwrite64",
  "writev",
  "pwritev",
  "pwritev2",
  "sendto",
  "sendmsg",
  "sendmmsg",
  "sendfile",
  "splice",
  "tee",
  "copy_file_range",
  "close",
  "dup2",
  "dup3",
];
