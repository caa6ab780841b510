/**
 * Tests written for faults of `deno task mutate` (tools/mutations.ts) that the rest of the
 * suite did not catch. Each says which mutation it is for; each was checked to fail with its
 * fault planted (`deno task mutate --only=ID`).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { BIN, fixture, lines, normalise, sctrace, strace } from "./helpers/diff.ts";
import { Summary } from "../core/output/summary.ts";
import { errnoMessage, errnoName } from "../decoders/errno.ts";
import { signame } from "../decoders/signame.ts";

/** Minutes since midnight of `hh:mm` text. */
function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** The wall-clock time of day in `tz`, as `hh:mm`. */
function nowIn(tz: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date());
}

// timestamp-localtime: strace prints -t/-tt in local time (localtime(3)), as TZ says.
Deno.test("mutation gaps: -t and -tt print the local time of TZ (half-hour zones too)", async () => {
  await fixture("helloasm");
  for (const tz of ["Asia/Kolkata", "America/St_Johns"]) {
    for (const flag of ["-t", "-tt"]) {
      const before = minutes(nowIn(tz));
      const b = await sctrace([flag, "./helloasm"], {
        cwd: BIN,
        env: { PATH: "/usr/bin:/bin", TZ: tz },
      });
      const after = minutes(nowIn(tz));
      const m = /^(\d\d:\d\d):\d\d/.exec(b.stderr);
      assert(m, `${flag} ${tz}: ${b.stderr.split("\n")[0]}`);
      const t = minutes(m[1]);
      // The run may cross a minute (or midnight) boundary: t lies between before and after.
      const span = (after - before + 1440) % 1440;
      assert((t - before + 1440) % 1440 <= span, `${flag} ${tz}: ${m[1]} not in local time`);
      assertMatch(b.stderr, /^\d\d:\d\d:\d\d(\.\d{6})? execve\(/);
      assertEquals(b.code, 42);
    }
  }
});

/** `#define NAME NUMBER` lines of a C header, the first name of each number. */
function headerNames(path: string, prefix: string): Map<number, string> {
  const out = new Map<number, string>();
  const re = new RegExp(`^#define\\s+(${prefix}\\w+)\\s+(\\d+)\\b`, "gm");
  for (const m of Deno.readTextFileSync(path).matchAll(re)) {
    const n = Number(m[2]);
    if (!out.has(n)) out.set(n, m[1]);
  }
  return out;
}

// errno-einprogress, errno-emfile-message: every errno name against the kernel's header, every
// message against glibc's strerror (what strace prints), not a handful of samples.
Deno.test("mutation gaps: every errno name is the kernel's, every message glibc's", () => {
  const names = new Map([
    ...headerNames("/usr/include/asm-generic/errno-base.h", "E"),
    ...headerNames("/usr/include/asm-generic/errno.h", "E"),
  ]);
  assert(names.size > 120, `only ${names.size} errno names in the kernel headers`);
  const lib = Deno.dlopen("libc.so.6", { strerror: { parameters: ["i32"], result: "pointer" } });
  try {
    for (const [n, name] of names) {
      assertEquals(errnoName(n), name, `errno ${n}`);
      const p = lib.symbols.strerror(n);
      assert(p !== null);
      assertEquals(errnoMessage(n), new Deno.UnsafePointerView(p).getCString(), `errno ${n}`);
    }
  } finally {
    lib.close();
  }
});

// signame-sigpwr: every standard signal's name against the kernel's header.
Deno.test("mutation gaps: every standard signal name is the kernel's", () => {
  const names = headerNames("/usr/include/x86_64-linux-gnu/asm/signal.h", "SIG");
  for (let n = 1; n < 32; n++) assertEquals(signame(n), names.get(n), `signal ${n}`);
});

// fd-path-escape, fd-deleted-suffix: -y quotes a descriptor's path as strace's printfd does:
// octal escapes (`<` is \74, `>` is \76, even under -x), `\\`, `\"`, `\t`, UTF-8 bytes in octal
// (or the whole path in hex under -x), and `(deleted)` after the brackets of an unlinked file.
Deno.test("mutation gaps: -y paths with <, >, quotes, tabs, UTF-8, digits after escapes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-ypath-" });
  try {
    const names = ["a>b", "c<d\\e", 'q"b', "tab\tname", "\u00e9>1", "n\x017"];
    for (const n of names) Deno.writeTextFileSync(`${dir}/${n}`, "x");
    for (const flags of [["-y"], ["-y", "-x"], ["-yy", "-xx"]]) {
      const cmd = [...flags, "-e", "trace=openat,read", "cat", ...names];
      const [a, b] = await Promise.all([strace(cmd, { cwd: dir }), sctrace(cmd, { cwd: dir })]);
      assertEquals(lines(b.stderr), lines(a.stderr), flags.join(" "));
      if (flags.length === 1) assert(a.stderr.includes("/a\\76b>"), a.stderr);
    }
    const gone = ["-y", "-e", "trace=write", "sh", "-c", "exec 3<>'g>ne'; rm 'g>ne'; echo hi >&3"];
    const [a, b] = await Promise.all([strace(gone, { cwd: dir }), sctrace(gone, { cwd: dir })]);
    assertMatch(a.stderr, /write\(\d<.*\/g\\76ne>\(deleted\), "hi\\n", 3\)/);
    assertEquals(lines(b.stderr), lines(a.stderr));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// quote-*, strn-*, array-cut, mode03o-pad: strings with every kind of escape (an octal escape
// before a digit, DEL, \t \v \r \f, quotes), buffers of -s, -s+1 and -s-1 bytes, arrays of -s,
// -s+1 and -s-1 elements, under -s, -x and -xx, against strace.
Deno.test("mutation gaps: quoting, -s, -x, -xx and arrays print as strace's", async () => {
  const prog = await fixture("mutation_gaps");
  const trace = ["-e", "trace=write,set_mempolicy,umask,clock_nanosleep"];
  for (const flags of [[], ["-s", "4"], ["-s", "2"], ["-x"], ["-xx"], ["-s", "3", "-x"]]) {
    const [a, b] = await Promise.all([
      strace([...flags, ...trace, prog]),
      sctrace([...flags, ...trace, prog]),
    ]);
    assertEquals(lines(b.stderr), lines(a.stderr), flags.join(" "));
    assertEquals(b.code, 0);
  }
  // Strings read up to their NUL (argv): exactly -s bytes is whole, one more is cut.
  const argv = ["-s", "4", "-e", "trace=execve", "/bin/true", "abc", "abcd", "abcde"];
  const [c, d] = await Promise.all([strace(argv), sctrace(argv)]);
  assertEquals(lines(d.stderr), lines(c.stderr));
  assert(c.stderr.includes(`["/bin"..., "abc", "abcd", "abcd"...]`), c.stderr);
  const a = await strace(["-s", "4", ...trace, prog]);
  assert(a.stderr.includes(`write(-1, "abcd"..., 5)`), a.stderr);
  assert(a.stderr.includes(`write(-1, "abcd", 4)`), a.stderr);
  assert(a.stderr.includes(`"a\\tb\\v"...`), a.stderr);
});

// summary-*: the -c table's numbers (per row and total), not only its shape: 60 µs over 3 calls
// is 20 usecs/call, 1060 µs over 4 is 265; errors per row and in total; -S calls sorts down.
Deno.test("mutation gaps: -c counts, errors, averages and totals", () => {
  const s = new Summary();
  s.add(1, "write", 10, false);
  s.add(1, "write", 20, true);
  s.add(1, "write", 30, false);
  s.add(0, "read", 1000, false);
  assertEquals(s.format().split("\n"), [
    "% time     seconds  usecs/call     calls    errors syscall",
    "------ ----------- ----------- --------- --------- ----------------",
    " 94.34    0.001000        1000         1           read",
    "  5.66    0.000060          20         3         1 write",
    "------ ----------- ----------- --------- --------- ----------------",
    "100.00    0.001060         265         4         1 total",
    "",
  ]);
  const byCalls = s.format("calls", ["calls", "avg", "errors", "name", "min", "max"]).split("\n");
  assertEquals(byCalls[2], "        3          20         1 write            0.000010 0.000030");
  assertEquals(byCalls[5], "        4         265         1 total            0.000010 0.001000");
});

// wait-exitcode: an exit status above 127 is passed on whole, and printed whole.
Deno.test("mutation gaps: exit status 200 is sctrace's exit status and in +++ exited with 200", async () => {
  const cmd = ["-e", "trace=exit_group", "sh", "-c", "exit 200"];
  const [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
  assertEquals(a.code, 200);
  assertEquals(b.code, 200);
  assertEquals(lines(b.stderr), lines(a.stderr));
  assert(b.stderr.includes("+++ exited with 200 +++"), b.stderr);
});

// follow-pid-prefix: with -f on stderr, a line of a process that is not alone has strace's
// `[pid  NNNN] ` prefix (the pid right-aligned in 5 columns).
Deno.test("mutation gaps: -f on stderr prefixes lines with [pid N] as strace does", async () => {
  const cmd = ["-f", "-e", "trace=execve", "-e", "signal=none", "sh", "-c", "/bin/true; /bin/true"];
  const [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
  const pidLines = (t: string) => t.split("\n").filter((l) => l.startsWith("[pid"));
  assert(pidLines(a.stderr).length >= 2, a.stderr);
  for (const l of pidLines(b.stderr)) assertMatch(l, /^\[pid {1,}\d{1,}\] /);
  for (const l of pidLines(b.stderr)) {
    const pid = /^\[pid +(\d+)\]/.exec(l)![1];
    if (pid.length < 5) assert(l.startsWith(`[pid ${pid.padStart(5)}] `), l);
  }
  const sorted = (t: string) =>
    normalise(t).replace(/Process \d+ attached/g, "Process PID attached").split("\n").sort();
  assertEquals(sorted(b.stderr), sorted(a.stderr));
});
