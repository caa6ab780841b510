/**
 * Builds the TLS hooks from the options (loaded only with `--proto` and without `--no-tls`).
 * @module
 */

import { PTRACE_O } from "../../../ffi/constants.ts";
import type { Options } from "../../cli/options.ts";
import type { StreamTap } from "../../decode/streams.ts";
import { TlsHooks } from "./mod.ts";

/** The TLS hooks for these options, feeding `tap`. */
export function tlsHooks(o: Options, prog: string, tap: StreamTap): TlsHooks {
  return new TlsHooks({
    prog,
    follow: o.follow > 0,
    // As the tracer sets them (core/trace/tracer.ts); fork events are added per hooked process.
    ptraceOptions: PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACEEXEC |
      (o.follow ? PTRACE_O.TRACEFORK | PTRACE_O.TRACEVFORK | PTRACE_O.TRACECLONE : 0) |
      (o.seccomp ? PTRACE_O.TRACESECCOMP : 0),
    tap,
  });
}
