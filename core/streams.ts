/**
 * The protocol tap: follows the bytes each traced process moves through its descriptors and feeds
 * them to the stream sniffers (`--proto`).
 * @module
 */

import type { SyscallCall } from "../decoders/api.ts";
import type { Sink } from "./output.ts";

/** What the tracer calls on every successful syscall exit when `--proto` is on. */
export interface StreamTap {
  /** Sees a finished, successful syscall; returns the protocol lines to print after it. */
  onSyscall(t: { pid: number; tgid: number }, c: SyscallCall): string[];
  /** Prints the protocol summary at the end. */
  finish(sink: Sink): void;
}
