/**
 * Comparing multi-process traces whose interleaving differs run to run: lines are grouped per
 * pid, `<unfinished ...>`/`<... X resumed>` pairs are joined back into one line, and pids are
 * normalised, so two traces of the same program compare as sets of per-process histories.
 * @module
 */

import { foldPadding, normaliseTokens } from "./diff.ts";

/** Splits a `-f` trace (stderr `[pid N]` or `-o` file `N ` prefixes) into per-pid line lists. */
export function perProcess(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const open = new Map<string, number>();
  let first = "";
  // The tracer's own "Process N attached" messages land in the middle of trace lines on stderr.
  text = text.replace(/(strace|sctrace): Process \d+ attached\n/g, "");
  for (const raw of text.split("\n")) {
    if (!raw) continue;
    // The prefix moves the result column: check strace's padding on the whole line, then fold it.
    const m = /^(?:\[pid +(\d+)\] |(\d+) +)?(.*)$/.exec(foldPadding(raw))!;
    const pid = m[1] ?? m[2] ?? (first || "main");
    if (!first && (m[1] ?? m[2])) first = pid;
    const line = m[3];
    let list = out.get(pid);
    if (!list) {
      list = [];
      out.set(pid, list);
    }
    const resumed = /^<\.\.\. [a-z0-9_]+ resumed>(.*)$/.exec(line);
    if (resumed && open.has(pid)) {
      const idx = open.get(pid)!;
      list[idx] = list[idx].replace(/ ?<unfinished \.\.\.>$/, "") + resumed[1];
      open.delete(pid);
      continue;
    }
    if (line.endsWith("<unfinished ...>")) {
      open.set(pid, list.length);
    }
    list.push(line);
  }
  // Main pid's lines printed before the prefix appeared belong to it.
  if (out.has("main") && first) {
    const main = out.get("main")!;
    out.delete("main");
    out.set(first, [...main, ...(out.get(first) ?? [])]);
  }
  return out;
}

/**
 * Per-process histories, normalised, pid-free and sorted, for comparing two `-f` traces. Beyond
 * {@linkcode normaliseTokens}: rt_sigreturn returns the value of the call the signal interrupted,
 * and after a wait4 that is a child's pid: a result equal to one of this trace's pids is `PID`.
 */
export function histories(text: string): string[] {
  const per = perProcess(text);
  const pids = new Set(per.keys());
  return [...per.values()]
    .map((lines) =>
      lines.map((l) =>
        normaliseTokens(l).replace(
          /^(rt_sigreturn\(.*\) = )(\d+)$/,
          (m, call: string, n: string) => pids.has(n) ? `${call}PID` : m,
        )
      ).join("\n")
    )
    .sort();
}
