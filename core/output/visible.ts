/**
 * Which lifecycle events strace prints a line for (`+++ exited +++`, `+++ killed +++`,
 * `+++ superseded +++`): the tracer reports every one; the printers show those strace shows.
 * @module
 */

import type { Filters } from "../cli/filter.ts";
import type { Options } from "../cli/options.ts";
import type { TraceEvent } from "../events/types.ts";

/** Whether strace would print a line for `e` (true for every event that is not a lifecycle one). */
export function shown(e: TraceEvent, o: Options, f: Filters): boolean {
  switch (e.type) {
    case "exit":
      return o.summary !== 1 && o.quiet < 2 && (e.pid === e.tgid || o.follow > 0);
    case "killed":
      // strace prints it whatever -q says; only `-e signal=` hides it.
      return o.summary !== 1 && !!f.signals[e.signo] && (e.pid === e.tgid || o.follow > 0);
    case "superseded":
      // strace quiets this (`thread-execve`) only with -qqq, not with -q or -o FILE.
      return o.quiet < 3;
    default:
      return true;
  }
}
