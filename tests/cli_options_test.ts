/**
 * Every option of strace 6.1's `-h` (tests/testdata/strace_6.1_help.txt, Debian's `strace -h`)
 * is honoured or refused: accepted with an effect on what sctrace does (other tests cover the
 * behaviour), or refused with `sctrace: OPTION is not supported` and exit status 1; never
 * silently accepted. Plus strace's checks of the command line, message for message.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT, sctrace, strace } from "./helpers/diff.ts";
import { firstMessage } from "./helpers/cli_fuzz.ts";
import { type Options, parseArgs, Unsupported, UsageError } from "../core/cli/options.ts";

const HELP = Deno.readTextFileSync(`${ROOT}tests/testdata/strace_6.1_help.txt`);

/** Every option form of the help text (`-E VAR=VAL`, `--env=VAR=VAL`, `-DD`, …), in order. */
function helpForms(): string[] {
  const forms: string[] = [];
  for (const line of HELP.split("\n")) {
    if (!/^ {1,3}-/.test(line)) continue;
    const body = line.trim().split(/ {2,}/)[0];
    for (const seg of body.split(/, (?=-)/)) forms.push(seg.replace(/,$/, ""));
  }
  return forms;
}

/** How sctrace treats a form: the words to try, what else the command line needs. */
interface Case {
  /** The option words. */
  argv: string[];
  /** The rest of the command line (default: `/bin/true`). */
  base?: string[];
  /** Refused with `… is not supported`. */
  refused?: true;
}

const C = ["-c", "/bin/true"];
const O = ["-o", "/tmp/sctrace-x", "/bin/true"];
const TABLE: Record<string, Case> = {
  "-e EXPR": { argv: ["-e", "trace=open"] },
  "-E VAR=VAL": { argv: ["-E", "X=1"] },
  "--env=VAR=VAL": { argv: ["--env=X=1"] },
  "-E VAR": { argv: ["-E", "X"] },
  "--env=VAR": { argv: ["--env=X"] },
  "-p PID": { argv: ["-p", "1"] },
  "--attach=PID": { argv: ["--attach=1"] },
  "-u USERNAME": { argv: ["-u", "nobody"] },
  "--user=USERNAME": { argv: ["--user=nobody"] },
  "-b execve": { argv: ["-b", "execve"], refused: true },
  "--detach-on=execve": { argv: ["--detach-on=execve"], refused: true },
  "-D": { argv: ["-D"], refused: true },
  "--daemonize[=grandchild]": { argv: ["--daemonize=grandchild"], refused: true },
  "-DD": { argv: ["-DD"], refused: true },
  "--daemonize=pgroup": { argv: ["--daemonize=pgroup"], refused: true },
  "-DDD": { argv: ["-DDD"], refused: true },
  "--daemonize=session": { argv: ["--daemonize=session"], refused: true },
  "-f": { argv: ["-f"] },
  "--follow-forks": { argv: ["--follow-forks"] },
  "-ff": { argv: ["-ff"], base: O },
  "--follow-forks --output-separately": {
    argv: ["--follow-forks", "--output-separately"],
    base: O,
  },
  "-I INTERRUPTIBLE": { argv: ["-I", "2"], refused: true },
  "--interruptible=INTERRUPTIBLE": { argv: ["--interruptible=never"], refused: true },
  "-e trace=[!][?]{{SYSCALL|GROUP|all|/REGEX}[@64|@32|@x32]|none}": {
    argv: ["-e", "trace=open"],
  },
  "--trace=[!][?]{{SYSCALL|GROUP|all|/REGEX}[@64|@32|@x32]|none}": { argv: ["--trace=open"] },
  "-e signal=SET": { argv: ["-e", "signal=SIGINT"] },
  "--signal=SET": { argv: ["--signal=SIGINT"] },
  "-e status=SET": { argv: ["-e", "status=failed"] },
  "--status=SET": { argv: ["--status=failed"] },
  "-P PATH": { argv: ["-P", "/tmp"] },
  "--trace-path=PATH": { argv: ["--trace-path=/tmp"] },
  "-z": { argv: ["-z"] },
  "--successful-only": { argv: ["--successful-only"] },
  "-Z": { argv: ["-Z"] },
  "--failed-only": { argv: ["--failed-only"] },
  "-a COLUMN": { argv: ["-a", "50"] },
  "--columns=COLUMN": { argv: ["--columns=50"] },
  "-e abbrev=SET": { argv: ["-e", "abbrev=none"] },
  "--abbrev=SET": { argv: ["--abbrev=none"] },
  "-e verbose=SET": { argv: ["-e", "verbose=none"] },
  "--verbose=SET": { argv: ["--verbose=none"] },
  "-e raw=SET": { argv: ["-e", "raw=all"] },
  "--raw=SET": { argv: ["--raw=all"] },
  "-e read=SET": { argv: ["-e", "read=1"] },
  "--read=SET": { argv: ["--read=1"] },
  "-e write=SET": { argv: ["-e", "write=1"] },
  "--write=SET": { argv: ["--write=1"] },
  "-e quiet=SET": { argv: ["-e", "quiet=attach"] },
  "--quiet=SET": { argv: ["--quiet=attach,exit"] },
  "-e kvm=vcpu": { argv: ["-e", "kvm=vcpu"], refused: true },
  "--kvm=vcpu": { argv: ["--kvm=vcpu"], refused: true },
  "-e decode-fds=SET": { argv: ["-e", "decode-fds=path"] },
  "--decode-fds=SET": { argv: ["--decode-fds=all"] },
  "-i": { argv: ["-i"] },
  "--instruction-pointer": { argv: ["--instruction-pointer"] },
  "-k": { argv: ["-k"] },
  "--stack-traces": { argv: ["--stack-traces"] },
  "-n": { argv: ["-n"] },
  "--syscall-number": { argv: ["--syscall-number"] },
  "-o FILE": { argv: ["-o", "/tmp/sctrace-x"] },
  "--output=FILE": { argv: ["--output=/tmp/sctrace-x"] },
  "-A": { argv: ["-A"], base: O },
  "--output-append-mode": { argv: ["--output-append-mode"], base: O },
  "--output-separately": { argv: ["--output-separately"], base: O },
  "-q": { argv: ["-q"] },
  "--quiet=attach,personality": { argv: ["--quiet=attach,personality"] },
  "-qq": { argv: ["-qq"] },
  "--quiet=attach,personality,exit": { argv: ["--quiet=attach,personality,exit"] },
  "-qqq": { argv: ["-qqq"] },
  "--quiet=all": { argv: ["--quiet=all"] },
  "-r": { argv: ["-r"] },
  "--relative-timestamps[=PRECISION]": { argv: ["--relative-timestamps=us"] },
  "-s STRSIZE": { argv: ["-s", "64"] },
  "--string-limit=STRSIZE": { argv: ["--string-limit=64"] },
  "--absolute-timestamps=[[format:]FORMAT[,[precision:]PRECISION]]": {
    argv: ["--absolute-timestamps=format:unix,precision:us"],
  },
  "-t": { argv: ["-t"] },
  "--absolute-timestamps[=time]": { argv: ["--absolute-timestamps=time"] },
  "-tt": { argv: ["-tt"] },
  "--absolute-timestamps=[time,]us": { argv: ["--absolute-timestamps=time,us"] },
  "-ttt": { argv: ["-ttt"] },
  "--absolute-timestamps=unix,us": { argv: ["--absolute-timestamps=unix,us"] },
  "-T": { argv: ["-T"] },
  "--syscall-times[=PRECISION]": { argv: ["--syscall-times=us"] },
  "-v": { argv: ["-v"] },
  "--no-abbrev": { argv: ["--no-abbrev"] },
  "--strings-in-hex=non-ascii-chars": { argv: ["--strings-in-hex=non-ascii-chars"], refused: true },
  "-x": { argv: ["-x"] },
  "--strings-in-hex=non-ascii": { argv: ["--strings-in-hex=non-ascii"] },
  "-xx": { argv: ["-xx"] },
  "--strings-in-hex[=all]": { argv: ["--strings-in-hex=all"] },
  "-X FORMAT": { argv: ["-X", "raw"] },
  "--const-print-style=FORMAT": { argv: ["--const-print-style=verbose"] },
  "-y": { argv: ["-y"] },
  "--decode-fds[=path]": { argv: ["--decode-fds=path"] },
  "-yy": { argv: ["-yy"] },
  "--decode-fds=all": { argv: ["--decode-fds=all"] },
  "--decode-pids=pidns": { argv: ["--decode-pids=pidns"], refused: true },
  "-Y": { argv: ["-Y"], refused: true },
  "--decode-pids=comm": { argv: ["--decode-pids=comm"], refused: true },
  "-c": { argv: ["-c"] },
  "--summary-only": { argv: ["--summary-only"] },
  "-C": { argv: ["-C"] },
  "--summary": { argv: ["--summary"] },
  "-O OVERHEAD[UNIT]": { argv: ["-O", "1us"], base: C },
  "--summary-syscall-overhead=OVERHEAD[UNIT]": {
    argv: ["--summary-syscall-overhead=1"],
    base: C,
  },
  "-S SORTBY": { argv: ["-S", "calls"], base: C },
  "--summary-sort-by=SORTBY": { argv: ["--summary-sort-by=name"], base: C },
  "-U COLUMNS": { argv: ["-U", "calls,name"], base: C },
  "--summary-columns=COLUMNS": { argv: ["--summary-columns=name"], base: C },
  "-w": { argv: ["-w"], base: C },
  "--summary-wall-clock": { argv: ["--summary-wall-clock"], base: C },
  "-e inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=SYSCALL]": {
    argv: ["-e", "inject=open:error=ENOENT"],
  },
  "--inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=SYSCALL]": {
    argv: ["--inject=open:retval=0"],
  },
  "-e fault=SET[:error=ERRNO][:when=WHEN]": { argv: ["-e", "fault=open"] },
  "--fault=SET[:error=ERRNO][:when=WHEN]": { argv: ["--fault=open:when=2"] },
  "-d": { argv: ["-d"], refused: true },
  "--debug": { argv: ["--debug"], refused: true },
  "-h": { argv: ["-h"] },
  "--help": { argv: ["--help"] },
  "--seccomp-bpf": { argv: ["--seccomp-bpf"], base: ["-f", "/bin/true"] },
  "--tips[=[[id:]ID][,[format:]FORMAT]]": { argv: ["--tips=id:1,format:full"], refused: true },
  "-V": { argv: ["-V"] },
  "--version": { argv: ["--version"] },
};

/** Parses in-process; the options, or the error. */
function parse(argv: string[]): Options | UsageError {
  try {
    return parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
}

Deno.test("every option of strace 6.1's -h has a verdict, and only those", () => {
  const forms = helpForms();
  assert(forms.length > 100, `${forms.length} forms read from the help text`);
  assertEquals([...new Set(forms)].sort(), Object.keys(TABLE).sort());
});

Deno.test("every option of strace 6.1's -h is honoured (has an effect) or refused", () => {
  for (const [form, c] of Object.entries(TABLE)) {
    const base = c.base ?? ["/bin/true"];
    const without = parse(base);
    assert(!(without instanceof UsageError), `${form}: base ${base.join(" ")}: ${without}`);
    const got = parse([...c.argv, ...base]);
    if (c.refused) {
      assert(got instanceof Unsupported, `${form} must be refused, got ${JSON.stringify(got)}`);
      assertMatch(got.message, /^-.* is not supported( yet)?$/, form);
      continue;
    }
    assert(!(got instanceof UsageError), `${form}: ${got}`);
    assert(
      JSON.stringify(got) !== JSON.stringify(without),
      `${form} is accepted but changes nothing`,
    );
  }
});

Deno.test("refused options: one line, exit status 1, nothing run", async () => {
  for (
    const argv of [["-d"], ["-e", "kvm=vcpu"], ["--tips"], ["-D"], ["-I1"]]
  ) {
    const r = await sctrace([...argv, "/bin/echo", "ran"]);
    assertEquals(r.code, 1, argv.join(" "));
    assertEquals(r.stdout, "", `${argv.join(" ")}: the command must not run`);
    assertMatch(r.stderr, /^sctrace: -[^\n]* is not supported( yet)?\n$/);
  }
});

/** strace's and sctrace's outcome for `argv`: exit status and stderr (program name and pid masked). */
async function both(argv: string[], env?: Record<string, string>) {
  const [a, b] = await Promise.all([strace(argv, { env }), sctrace(argv, { env })]);
  const norm = (s: string) =>
    s.replace(/^\S*s?c?trace: /gm, "PROG: ").replace(/'s?c?trace -h'/g, "'PROG -h'");
  return {
    strace: { code: a.code, err: norm(a.stderr) },
    sctrace: { code: b.code, err: norm(b.stderr) },
  };
}

Deno.test("checks after the loop: messages and exit statuses as strace's (issue 17 point 6)", async () => {
  const cases: string[][] = [
    ["-c", "-C", "/bin/true"],
    ["-C", "-c", "/bin/true"],
    ["-w", "/bin/true"],
    ["-O", "NaN", "-c", "/bin/true"],
    ["-O", "9223372036854775808", "-c", "/bin/true"],
    ["-O", "!", "-c", "/bin/true"],
    ["-c", "-U", "time,time", "/bin/true"],
    ["--syscall-times=junk", "/bin/true"],
    ["--quiet=é", "/bin/true"],
    ["--decode-fds=%", "/bin/true"],
    ["-u", "no_such_user", "/bin/true"],
    ["-h", "--bogus"],
    ["--bogus", "-V"],
    ["-V", "--bogus"],
    ["--output-separately", "-c", "/bin/true"],
    ["-ff", "-c", "/bin/true"],
    ["-f", "--follow-forks", "/bin/true"],
    ["-x", "--strings-in-hex", "/bin/true"],
    ["-y", "--decode-fds", "/bin/true"],
    ["-t", "--absolute-timestamps", "/bin/true"],
    ["-q", "--quiet", "/bin/true"],
    ["--s", "/bin/true"],
    ["-U", "calls", "/bin/true"],
    ["-p", "0"],
    ["-p", ",1"],
    ["-+"],
    [],
    // -e sets, as strace's qualify_tokens and qualify_syscall_tokens read them
    ["-e", "signal=0", "/bin/true"],
    ["-e", "signal=SIGRTMIN", "/bin/true"],
    ["-e", "signal=rt_3", "/bin/true"],
    ["-e", "signal=256", "/bin/true"],
    ["-e", "signal=SIGIOT", "/bin/true"],
    ["-e", "signal=,", "/bin/true"],
    ["-e", "trace=open,,close", "/bin/true"],
    ["-e", "trace=open@foo", "/bin/true"],
    ["-e", "trace=FILE", "/bin/true"],
    ["-e", "trace=%%STAT", "/bin/true"],
    ["-e", "trace=??", "/bin/true"],
    ["-e", "trace=!", "/bin/true"],
    ["-e", "status=all,none", "/bin/true"],
    ["-e", "read=all,1", "/bin/true"],
    ["-e", "read=2147483648", "/bin/true"],
    ["-e", "quiet=!all", "/bin/true"],
    ["--tips=format:none", "/bin/true"],
    ["-o", "", "/bin/true"],
    ["-e", "trace=/(", "/bin/true"],
    ["-e", "trace=/a{", "/bin/true"],
    ["-e", "trace=/+", "/bin/true"],
    ["-e", "trace=/^(open|close)$", "/bin/true"],
  ];
  for (const argv of cases) {
    const r = await both(argv);
    assertEquals(r.sctrace.code, r.strace.code, `exit status of ${JSON.stringify(argv)}`);
    assertEquals(firstMessage(r.sctrace.err), firstMessage(r.strace.err), JSON.stringify(argv));
  }
});

Deno.test("-h acts when met: later bad arguments are not looked at", async () => {
  const r = await sctrace(["-h", "-a", "x", "--bogus"]);
  assertEquals(r.code, 0);
  assertMatch(r.stdout, /^Usage: sctrace /);
  assertEquals(r.stderr, "");
});

Deno.test("a file that is not executable: strace's message, exit status 1, nothing started", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-cli-" });
  const file = `${dir}/script`;
  await Deno.writeTextFile(file, "#!/bin/sh\necho ran\n");
  await Deno.chmod(file, 0o644);
  for (const argv of [[file], ["-f", file], [dir]]) {
    const r = await sctrace(argv);
    assertEquals(r.code, 1, argv.join(" "));
    assertEquals(r.stderr, "sctrace: exec: Permission denied\n");
    assertEquals(r.stdout, "");
    const s = await strace(["-o", "/dev/null", ...argv]);
    assertEquals(s.code, 1);
    assertEquals(s.stderr, "strace: exec: Permission denied\n");
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--output-separately without -o: the trace goes to stderr, no ./undefined.PID", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-cli-" });
  const r = await sctrace(["--output-separately", "/bin/true"], { cwd: dir });
  assertEquals(r.code, 0);
  const lines = r.stderr.split("\n");
  assertEquals(lines[0], "sctrace: --output-separately has no effect without -o/--output");
  assertMatch(lines[1], /^execve\("\/bin\/true"/);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-u root as an unprivileged user: strace's message", async () => {
  const args = ["--reuid=65534", "--regid=65534", "--clear-groups"];
  const run = async (tracer: string[]) => {
    const r = await new Deno.Command("setpriv", {
      args: [...args, ...tracer, "-u", "root", "/bin/true"],
      stdout: "null",
      stderr: "piped",
    }).output();
    return { code: r.code, err: new TextDecoder().decode(r.stderr) };
  };
  const want = await run(["strace"]);
  assertEquals(want.err, "strace: You must be root to use the -u/--username option\n");
  const got = await run([Deno.execPath(), "run", "-A", "--no-check", `${ROOT}main.ts`]);
  assertEquals(got.code, want.code);
  assertEquals(got.err, "sctrace: You must be root to use the -u/--username option\n");
});

Deno.test("-f/-ff with -o FILE PROG: no 'Process N attached' (implied -q), as strace (issue 13 point 5)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-cli-" });
  const prog = ["/bin/sh", "-c", "/bin/true; /bin/true"];
  const count = (s: string) => (s.match(/s?c?trace: Process \d+ attached/g) ?? []).length;
  const combos = [
    ["-f"],
    ["-ff"],
    ["-f", "-o", `${dir}/o`],
    ["-ff", "-o", `${dir}/o`],
    ["-f", "-q"],
    ["-f", "-o", `${dir}/o`, "-q"],
    ["-ff", "-o", `${dir}/o`, "-qq"],
    ["-f", "-o", `${dir}/o`, "--quiet=none"],
    ["-f", "--quiet=attach"],
  ];
  for (const opts of combos) {
    const [a, b] = await Promise.all([strace([...opts, ...prog]), sctrace([...opts, ...prog])]);
    assertEquals(b.code, a.code, opts.join(" "));
    assertEquals(count(b.stderr), count(a.stderr), `attach messages with ${opts.join(" ")}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("executable files execve refuses: strace's message and exit status, nothing run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-cli-" });
  const files: Record<string, [string, string]> = {
    // no #! line: the shim's execvp would run it with /bin/sh; execve says ENOEXEC
    noshebang: ["echo ran\n", "exec: Exec format error"],
    badelf: ["\x7fELFjunk", "exec: Exec format error"],
    empty: ["", "exec: Exec format error"],
    badinterp: ["#!/nonexistent/interp\necho ran\n", "exec: No such file or directory"],
  };
  for (const [name, [text, want]] of Object.entries(files)) {
    const file = `${dir}/${name}`;
    await Deno.writeTextFile(file, text);
    await Deno.chmod(file, 0o755);
    const [a, b] = await Promise.all([
      strace(["-o", "/dev/null", file]),
      sctrace(["-o", "/dev/null", file]),
    ]);
    assertEquals(a.stderr, `strace: ${want}\n`, name);
    assertEquals(b.stderr, `sctrace: ${want}\n`, name);
    assertEquals(b.code, a.code, name);
    assertEquals(b.stdout, "", name);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("getopt_long and strace's per-option checks, in-process", () => {
  const err = (argv: string[]) => {
    const r = parse(argv);
    return r instanceof UsageError ? [r.message, r.hint] : undefined;
  };
  // Unambiguous prefixes; ambiguity only between options that differ; sctrace's own need full names.
  assertEquals((parse(["--const=raw", "/bin/true"]) as Options).xlat, "raw");
  assertMatch(err(["--out=/tmp/x"])![0] as string, /^option '--out=\/tmp\/x' is ambiguous; /);
  assertEquals((parse(["--daemoni"]) as UsageError).message, "-D/--daemonize is not supported");
  assertEquals(err(["--sil", "/bin/true"]), undefined);
  assertEquals(err(["--pro", "/bin/true"]), ["unrecognized option '--pro'", true]);
  assertEquals(err(["--help=x"]), ["option '--help' doesn't allow an argument", true]);
  assertEquals(err(["--col"]), ["option '--columns' requires an argument", true]);
  // -h stops the parse: nothing after it is looked at.
  assertEquals((parse(["-h", "--bogus", "-a", "x"]) as Options).help, true);
  assertEquals(err(["-a", "x", "-h"]), ["invalid -a argument: 'x'", true]);
  // -V waits for the loop to end.
  assertEquals(err(["-V", "-a", "x"]), ["invalid -a argument: 'x'", true]);
  assertEquals((parse(["-V"]) as Options).version, true);
  // strtoll-like numbers.
  assertEquals((parse(["-a", " +7", "/bin/true"]) as Options).column, 7);
  assertEquals((parse(["-a", "-0", "/bin/true"]) as Options).column, 0);
  assertEquals(err(["-a", "7 ", "/bin/true"]), ["invalid -a argument: '7 '", true]);
  // -p: strace's list forms and its refusal to trace itself.
  assertEquals((parse(["-p", "1,2,", "-p", "3 4"]) as Options).pids, [1, 2, 3, 4]);
  assertEquals(err(["-p", ",1"]), ["Invalid process id: ''", false]);
  assertEquals(err(["-p", String(Deno.pid)]), [
    "I'm sorry, I can't let you do that, Dave.",
    false,
  ]);
  // -v is abbrev=none, in order with -e abbrev=.
  assertEquals((parse(["-v", "/bin/true"]) as Options).verbose, true);
  assertEquals((parse(["-v", "-e", "abbrev=all", "/bin/true"]) as Options).verbose, false);
  // -o FILE PROG implies -q unless quiet was set.
  assertEquals((parse(["-o", "/tmp/x", "/bin/true"]) as Options).quiet, 1);
  assertEquals((parse(["-o", "/tmp/x", "-e", "quiet=none", "/bin/true"]) as Options).quiet, 0);
  assertEquals((parse(["-o", "/tmp/x", "-p", "1"]) as Options).quiet, 0);
  // --output-separately needs -o; -ff without -o follows only.
  assertEquals((parse(["--output-separately", "/bin/true"]) as Options).separately, false);
  assertEquals((parse(["-ff", "/bin/true"]) as Options).separately, false);
  assertEquals((parse(["-ff", "-o", "/tmp/x", "/bin/true"]) as Options).separately, true);
});

Deno.test("-r with -t, -tt, -ttt: both timestamps, as strace", async () => {
  for (const t of ["-t", "-tt", "-ttt"]) {
    const [a, b] = await Promise.all([
      strace([t, "-r", "/bin/true"]),
      sctrace([t, "-r", "/bin/true"]),
    ]);
    const shape = (s: string) =>
      s.split("\n")[0].replace(/[0-9]/g, "N").replace(/execve\(.*$/, "execve(…");
    assertEquals(shape(b.stderr), shape(a.stderr), t);
    assertMatch(shape(b.stderr), /^N[N:.]+ \(\+ +N\.NNNNNN\) execve\(…$/);
  }
});

Deno.test("-n with -z/-Z/-e status: the number on lines printed at syscall exit, as strace", async () => {
  for (const f of [["-z"], ["-Z"], ["-e", "status=failed"]]) {
    const argv = ["-n", ...f, "/bin/true"];
    const [a, b] = await Promise.all([strace(argv), sctrace(argv)]);
    const nrs = (s: string) => s.split("\n").map((l) => /^\[ *(\d+|\?+)\] /.exec(l)?.[1] ?? "-");
    assertEquals(nrs(b.stderr), nrs(a.stderr), argv.join(" "));
  }
});

Deno.test("-O: the overhead is taken off every call's time in the summary, as strace", async () => {
  for (const o of ["1s", "1000000", "0.5s"]) {
    const argv = ["-c", "-w", "-O", o, "/bin/true"];
    const [a, b] = await Promise.all([strace(argv), sctrace(argv)]);
    assertEquals(b.code, a.code);
    const total = (s: string) => s.trim().split("\n").at(-1)!.trim().split(/ +/).slice(0, 3);
    // Every call of /bin/true takes far less than the overhead: all times are zero.
    assertEquals(total(b.stderr), total(a.stderr), o);
    assertEquals(total(b.stderr), ["100.00", "0.000000", "0"]);
  }
  // Without -O, wall-clock times are not zero: the check above can fail.
  const w = await sctrace(["-c", "-w", "/bin/true"]);
  assert(w.stderr.trim().split("\n").at(-1)!.trim().split(/ +/)[1] !== "0.000000", w.stderr);
});

Deno.test("-q, -qq, -qqq: the same lines as strace (signals and kills are never quiet)", async () => {
  const prog = ["/bin/sh", "-c", "kill -USR1 $$"];
  for (const q of ["-q", "-qq", "-qqq", "--quiet=all"]) {
    const [a, b] = await Promise.all([strace([q, ...prog]), sctrace([q, ...prog])]);
    const kinds = (s: string) =>
      s.split("\n").filter((l) => /^(---|\+\+\+|s?c?trace: )/.test(l)).map((l) =>
        l.replace(/\{.*\}/, "{…}").replace(/^\S*trace: /, "PROG: ").replace(/\d+/g, "N")
      );
    assertEquals(kinds(b.stderr), kinds(a.stderr), q);
    assertEquals(b.code, a.code, q);
  }
});
