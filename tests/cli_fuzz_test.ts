/**
 * The command-line fuzzer (issue 17 point 6): 250 random argument vectors from a fixed seed,
 * built from the options of strace 6.1's `-h` with valid and invalid values, run through
 * Debian's strace and sctrace (both as subprocesses, two at a time): the exit status and the
 * first message line must agree, unless sctrace refuses an option it does not implement
 * (`OPTION is not supported`, exit 1). The soak with random seeds is bench/cli_fuzz.ts.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { type Comparison, fuzz, normaliseLine } from "./helpers/cli_fuzz.ts";

/**
 * Differences that belong to other parts of sctrace (and are tracked there), not to the command
 * line: each with the reason.
 */
const KNOWN: [string, (c: Comparison) => boolean][] = [
  [
    "-p PID with a command that cannot be executed: strace attaches first and reports the " +
    "exec failure later; sctrace reports it before attaching (same exit status)",
    (c) => c.strace.code === c.sctrace.code && /exec: Permission denied/.test(c.sctrace.first),
  ],
  [
    "-ff -o DIR/x with DIR missing: strace's Can't fopen 'DIR/x.PID' comes when the first " +
    "process starts (output)",
    (c) => /Can't fopen '.*\.N'/.test(c.strace.first),
  ],
  [
    "-o /dev/full (or a full disk): write errors on the trace output are reported (output)",
    (c) => c.argv.some((a) => a.includes("/dev/full")) || /No space left/.test(c.strace.first),
  ],
];

Deno.test("normaliseLine: program name, numbers and addresses only", () => {
  assertEquals(
    normaliseLine("/usr/bin/strace: invalid -a argument: 'x'"),
    "PROG: invalid -a argument: 'x'",
  );
  assertEquals(normaliseLine("sctrace: Process 12 attached"), "PROG: Process N attached");
  assertEquals(
    normaliseLine("Try 'strace -h' for more information."),
    "Try 'PROG -h' for more information.",
  );
});

Deno.test("250 random command lines: same exit status and first message as strace 6.1", async () => {
  const results = await fuzz(20261201, 250, 2);
  const differs = results.filter((c) => c.verdict === "differs");
  const unexplained = differs.filter((c) => !KNOWN.some(([, p]) => p(c)));
  const report = unexplained.map((c) =>
    `${JSON.stringify(c.argv)}\n  strace  ${c.strace.code} ${c.strace.first}\n` +
    `  sctrace ${c.sctrace.code} ${c.sctrace.first}`
  ).join("\n");
  assertEquals(unexplained.length, 0, `${unexplained.length} of 250 differ:\n${report}`);
  // The vectors must exercise both paths, not only errors.
  assert(results.filter((c) => c.verdict === "same" && c.strace.code === 0).length > 20);
  assert(results.filter((c) => c.verdict === "same" && c.strace.code !== 0).length > 50);
});
