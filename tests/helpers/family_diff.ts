/**
 * Differential tests of a decoder family: a C fixture making raw syscalls runs under Debian's
 * strace and under sctrace with the same options, tracing only the family's syscalls; the
 * normalised traces must be identical line for line.
 * @module
 */
import { deepEqual, ok } from "node:assert/strict";
import { fixture, lines, sctrace, strace } from "./diff.ts";

/** The strace-like options each family is compared under. */
export const OPTION_SETS: readonly (readonly string[])[] = [
  [],
  ["-X", "verbose"],
  ["-X", "raw"],
  ["-y"],
  ["-v", "-s", "4", "-xx"],
  ["-e", "verbose=none"],
];

/**
 * Runs fixture `name` under both tracers with `-qq -e trace=SYSCALLS` and `opts`, asserts the
 * traces are identical and that strace printed at least `minLines` lines; returns strace's lines.
 * Lines matching `exact` are also compared before normalisation (for values that look like
 * addresses to the normaliser but are not); `norm` rewrites each normalised line further (for
 * values that differ between runs, like key serial numbers).
 */
export async function sameTrace(
  name: string,
  syscalls: readonly string[],
  opts: readonly string[],
  minLines: number,
  exact?: RegExp,
  norm: (line: string) => string = (l) => l,
): Promise<string[]> {
  const bin = await fixture(name);
  const args = ["-qq", ...opts, "-e", `trace=${syscalls.join(",")}`, bin];
  const a = await strace(args);
  const b = await sctrace(args);
  const la = lines(a.stderr).map(norm), lb = lines(b.stderr).map(norm);
  ok(la.length >= minLines, `strace printed too little (${la.length} lines):\n${a.stderr}`);
  const i = la.findIndex((l, k) => l !== lb[k]);
  deepEqual(
    lb,
    la,
    i < 0
      ? "extra lines"
      : `${opts.join(" ")} line ${i}:\n  strace:  ${la[i]}\n  sctrace: ${lb[i]}`,
  );
  if (exact) {
    const pick = (t: string) => t.split("\n").filter((l) => exact.test(l));
    const ra = pick(a.stderr);
    ok(ra.length > 0, `no line matches ${exact}`);
    deepEqual(pick(b.stderr), ra, `lines matching ${exact} differ before normalisation`);
  }
  return la;
}
