/**
 * Hostile tracee memory and arguments (tests/fixtures/hostile.c), compared line by line with
 * Debian's strace: bad pointers, strings cut by an unmapped page before their NUL, 2^64-1 lengths,
 * -1 and garbage high bits in int arguments, 0x4141414141414141 everywhere, huge counts for
 * arrays, cmsg_len 0, a million iovecs. Every address the fixture uses is fixed (MAP_FIXED), so
 * the traces are compared without hiding any hex: a wrong low digit of a 64-bit value fails.
 * The timing against strace lives in bench/hostile.ts.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { fixture, type Run, sctrace, strace } from "./helpers/diff.ts";

/**
 * Syscalls whose lines still differ from strace's, with the reason (kept short and honest: each
 * entry is a known gap, not a tolerance).
 */
const KNOWN: Record<string, string> = {
  io_submit: "the iocb pointer array is not decoded (printed as its address)",
};

/**
 * Only what must differ: execve's pointers (the launcher's, not the fixture's), and pids. strace's own
 * `umovestr: short read` warnings go to its stderr, the trace to stdout (`-o /dev/stdout`).
 */
function traceLines(r: Run): string[] {
  return r.stdout
    .replace(/^(execve\(.*\], )0x[0-9a-f]+( \/\* \d+ vars \*\/\))/m, "$1ENVP$2")
    .replace(/^execve\(0x.*\) = 0$/m, "execve(ARGS) = 0") // -e raw=all: the launcher's pointers
    .replace(/^((?:set_tid_address|getpid)\(.*\) += )(?:0x[0-9a-f]+|\d+)$/gm, "$1PID")
    .split("\n")
    .filter((l) => l !== "" && !Object.keys(KNOWN).some((k) => l.startsWith(k + "(")));
}

async function compare(args: string[]): Promise<void> {
  const bin = await fixture("hostile");
  const argv = ["-o", "/dev/stdout", ...args.map((a) => a === "BIN" ? bin : a)];
  const [ours, theirs] = [await sctrace(argv), await strace(argv)];
  assertEquals(ours.code, theirs.code);
  const a = traceLines(ours), b = traceLines(theirs);
  const diff: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) diff.push(`strace:  ${b[i]}\nsctrace: ${a[i]}`);
  }
  assertEquals(diff.join("\n\n"), "", `${diff.length} of ${b.length} lines differ`);
  assert(a.length > 150, "the fixture ran to its end");
}

Deno.test("hostile memory: default options, with a million iovecs, as strace", async () => {
  await compare(["BIN"]);
});

Deno.test("hostile memory: -v -s 256, as strace", async () => {
  await compare(["-v", "-s", "256", "BIN", "small"]);
});

Deno.test("hostile memory: -e raw=all, as strace", async () => {
  await compare(["-e", "raw=all", "BIN", "small"]);
});
