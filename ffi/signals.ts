/**
 * Makes Deno's signal handlers interrupt a blocked `waitpid`. Deno installs its handlers with
 * `SA_RESTART`, so a blocked `waitpid` would restart silently and a `timeout 5 sctrace -p …`
 * would never detach. After `Deno.addSignalListener`, {@linkcode clearRestart} re-installs the
 * same handler with `SA_RESTART` cleared: `waitpid` then fails with `EINTR`.
 * @module
 */

import { libc } from "./libc.ts";
import { SA_RESTART } from "./constants.ts";

/** Offset of `sa_flags` in glibc's x86_64 `struct sigaction` (handler 8 + sigset 128). */
const SA_FLAGS_OFFSET = 136;

/** Clears `SA_RESTART` on the current handler of `sig`; returns true on success. */
export function clearRestart(sig: number): boolean {
  const act = new Uint8Array(152);
  if (libc.sigaction(sig, null as unknown as Uint8Array<ArrayBuffer>, act) !== 0) return false;
  const view = new DataView(act.buffer);
  const flags = view.getInt32(SA_FLAGS_OFFSET, true);
  if ((flags & SA_RESTART) === 0) return true;
  view.setInt32(SA_FLAGS_OFFSET, flags & ~SA_RESTART, true);
  return libc.sigaction(sig, act, null as unknown as Uint8Array<ArrayBuffer>) === 0;
}
