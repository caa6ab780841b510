/**
 * The core against Debian's strace: the talk's first half, line for line.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { BIN, fixture, lines, normalise, ROOT, sctrace, strace } from "./helpers/diff.ts";

Deno.test("helloasm: same trace, same exit code, same stdout", async () => {
  await fixture("helloasm");
  const prog = "./helloasm";
  const o = { cwd: BIN };
  const [a, b] = await Promise.all([strace([prog], o), sctrace([prog], o)]);
  assertEquals(b.code, 42);
  assertEquals(b.code, a.code);
  assertEquals(b.stdout, "Hello world!\n");
  assertEquals(lines(b.stderr), lines(a.stderr));
  assertEquals(lines(b.stderr), [
    `execve("${prog}", ["${prog}"], 0xADDR /* 4 vars */) = 0`,
    `write(1, "Hello world!\\n", 13)          = 13`,
    `exit_group(42)                          = ?`,
    `+++ exited with 42 +++`,
  ]);
});

Deno.test("helloasm: trace interleaves with the program's stdout as strace's does", async () => {
  const prog = await fixture("helloasm");
  const sh = (tracer: string) => ["sh", "-c", `${tracer} ${prog} 2>&1`];
  const run = async (argv: string[]) => {
    const r = await new Deno.Command(argv[0], { args: argv.slice(1), cwd: ROOT }).output();
    return normalise(new TextDecoder().decode(r.stdout));
  };
  const want = await run(sh("strace"));
  const got = await run(sh(`${Deno.execPath()} run -A --no-check ${ROOT}main.ts`));
  assertMatch(want, /13Hello world!\n\) {10}= 13/);
  assertEquals(
    got.replace(/\/\* \d+ vars/, "/* N vars"),
    want.replace(/\/\* \d+ vars/, "/* N vars"),
  );
});

Deno.test("argv: cut at 32 chars with ..., -s1024 shows it whole, -v shows the environment", async () => {
  const prog = await fixture("helloasm");
  const arg = "--the-rains-in-spain-stay-mainly-in-the-plains";
  for (const flags of [[], ["-s1024"], ["-v"], ["-s5", "-v"], ["-x"], ["-xx"]]) {
    const [a, b] = await Promise.all([
      strace([...flags, prog, arg]),
      sctrace([...flags, prog, arg]),
    ]);
    assertEquals(lines(b.stderr), lines(a.stderr), `flags ${flags.join(" ")}`);
  }
  const b = await sctrace([prog, arg]);
  assert(b.stderr.includes(`"--the-rains-in-spain-stay-mainly"...]`));
});

Deno.test("the tracee gets exactly our environment, in order", async () => {
  const env = { ZED: "1", ALPHA: "two words", PATH: "/usr/bin:/bin", MIDDLE: "=x=" };
  const b = await sctrace(["-e", "trace=none", "/usr/bin/env"], { env });
  assertEquals(b.stdout, "ZED=1\nALPHA=two words\nPATH=/usr/bin:/bin\nMIDDLE==x=\n");
  const c = await sctrace([
    "-e",
    "trace=none",
    "-E",
    "ALPHA=3",
    "-E",
    "ZED",
    "-E",
    "NEW=4",
    "/usr/bin/env",
  ], {
    env,
  });
  assertEquals(c.stdout, "ALPHA=3\nPATH=/usr/bin:/bin\nMIDDLE==x=\nNEW=4\n");
  // A locale that is not installed: the tracee (and nothing else) runs, and nothing of ours
  // complains about it on the tracee's stderr (strace's tracee would not either).
  const d = await sctrace(["-e", "trace=none", "/usr/bin/env"], {
    env: { LC_ALL: "xx_XX.UTF-8", ZED: "1" },
  });
  assertEquals(d.stdout, "LC_ALL=xx_XX.UTF-8\nZED=1\n");
  assertEquals(d.stderr, "+++ exited with 0 +++\n");
});

Deno.test("-c summary of the 100,000-write loop has strace's shape", async () => {
  const prog = await fixture("helloasm_loop");
  const [a, b] = await Promise.all([strace(["-c", prog]), sctrace(["-c", prog])]);
  assertEquals(b.code, 42);
  const shape = (t: string) =>
    t.split("\n").map((l) =>
      l.replace(/^ +/, "").replace(/\d+\.\d+/g, "F").replace(
        / +\d+ +(?=\d+ +(\d+ +)?[a-z_]+$)/,
        " U ",
      )
    );
  assertEquals(shape(b.stderr), shape(a.stderr));
  assertMatch(b.stderr, /\n *\d+\.\d\d +\d+\.\d{6} +\d+ +100000 +write\n/);
  assertMatch(b.stderr, /\n100\.00 +\d+\.\d{6} +\d+ +100001 +total\n$/);
});

Deno.test("-o FILE writes the trace to the file", async () => {
  const prog = await fixture("helloasm");
  const dir = await Deno.makeTempDir();
  const [a, b] = await Promise.all([
    strace(["-o", `${dir}/a`, prog]),
    sctrace(["-o", `${dir}/b`, prog]),
  ]);
  assertEquals(b.stderr, "");
  assertEquals(a.stderr, "");
  assertEquals(
    lines(await Deno.readTextFile(`${dir}/b`)),
    lines(await Deno.readTextFile(`${dir}/a`)),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a handled signal, a failing open and escapes print as strace prints them", async () => {
  const prog = await fixture("signals");
  const [a, b] = await Promise.all([strace([prog]), sctrace([prog])]);
  assertEquals(b.code, 3);
  const tail = (t: string) => lines(t).filter((l) => /SIGUSR1|nonexistent|write|exit/.test(l));
  assertEquals(tail(b.stderr), tail(a.stderr));
  assert(
    tail(b.stderr).some((l) => l.startsWith("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER")),
  );
});

Deno.test("a process killed by SIGKILL: +++ killed by SIGKILL +++ and sctrace dies the same way", async () => {
  const prog = await fixture("killed");
  const [a, b] = await Promise.all([strace([prog]), sctrace([prog])]);
  assertEquals(b.signal, a.signal);
  assertEquals(b.signal, "SIGKILL");
  assertEquals(lines(b.stderr).slice(-1), ["+++ killed by SIGKILL +++"]);
});

Deno.test("errors: missing command, bad option, no command, bad -e", async () => {
  const cases: [string[], number][] = [
    [["nosuchcmd"], 1],
    [["-Q", "true"], 1],
    [[], 1],
    [["-e", "trace=foo", "true"], 1],
    [["-e", "signal=FOO", "true"], 1],
    [["-e", "status=bad", "true"], 1],
    [["-p", "abc"], 1],
    [["-s", "x", "true"], 1],
    [["-o", "/nonexistent/dir/x", "true"], 1],
    [["-X", "foo", "true"], 1],
    [["-a", "x", "true"], 1],
    [["-S", "foo", "true"], 1],
    [["-U", "foo", "true"], 1],
    [["-b", "foo", "true"], 1],
    [["-c", "-ff", "-o", "/tmp/x", "true"], 1],
  ];
  for (const [args, code] of cases) {
    const [a, b] = await Promise.all([strace(args), sctrace(args)]);
    assertEquals(b.code, code, args.join(" "));
    assertEquals(b.code, a.code, args.join(" "));
    assertEquals(
      normalise(b.stderr).replaceAll("sctrace", "strace"),
      normalise(a.stderr),
      args.join(" "),
    );
  }
});

Deno.test("sctrace keeps working while traced: sctrace -c sctrace … and strace -c sctrace …", async () => {
  const prog = await fixture("helloasm_loop2k");
  const inner = [
    Deno.execPath(),
    "run",
    "-A",
    "--no-check",
    `${ROOT}main.ts`,
    "-c",
    "-o",
    "/dev/null",
    prog,
  ];
  for (const outer of [sctrace, strace]) {
    const r = await outer(["-c", ...inner]);
    assertEquals(r.code, 42, r.stderr);
    // 2,000 writes make at least 2 stops each: every stop costs the inner tracer a wait4 and
    // a ptrace(PTRACE_SYSCALL) (plus PTRACE_GET_SYSCALL_INFO).
    const calls = (name: string) => {
      const row = r.stderr.split("\n").map((l) => l.trim().split(/\s+/)).find((f) =>
        f[f.length - 1] === name
      );
      return row ? Number(row[3]) : 0;
    };
    assert(calls("ptrace") >= 8000, r.stderr);
    assert(calls("wait4") >= 4000, r.stderr);
  }
});

Deno.test("-c/-C with -S and -U print strace's table", async () => {
  const prog = await fixture("signals");
  const variants = [
    ["-c", "-S", "name", "-U", "name,calls,errors"],
    ["-c", "-S", "name", "-U", "calls,errors,name"],
    ["-c", "-S", "calls", "-U", "syscall,count,error"],
    ["-C", "-S", "nothing", "-U", "name,calls,errors"],
    ["-c", "-w", "-S", "errors", "-U", "errors,name"],
  ];
  for (const v of variants) {
    const [a, b] = await Promise.all([strace([...v, prog]), sctrace([...v, prog])]);
    assertEquals(lines(b.stderr), lines(a.stderr), v.join(" "));
  }
  // Time columns: same shape once the numbers are masked.
  const [a, b] = await Promise.all([strace(["-c", prog]), sctrace(["-c", prog])]);
  const mask = (t: string) =>
    lines(t).map((l) => l.replace(/^ *\d+\.\d\d +\d+\.\d{6} +\d+ /, "N N N ")).sort();
  assertEquals(mask(b.stderr), mask(a.stderr));
});

Deno.test("-u USER runs the command as that user; an unknown user is strace's error", async () => {
  const cmd = ["-u", "nobody", "-e", "trace=execve,getuid,getgid,geteuid,getegid", "id"];
  const [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
  assertEquals(b.stdout, a.stdout);
  assertMatch(b.stdout, /^uid=65534\(nobody\)/);
  assertEquals(lines(b.stderr), lines(a.stderr));
  const [c, d] = await Promise.all([
    strace(["-u", "nosuch", "true"]),
    sctrace(["-u", "nosuch", "true"]),
  ]);
  assertEquals(d.code, c.code);
  assertEquals(normalise(d.stderr), normalise(c.stderr));
});

Deno.test("the talk's printf command: -y -emmap,open,close,read,write /usr/bin/printf", async () => {
  const cmd = ["-y", "-emmap,open,close,read,write", "/usr/bin/printf", "Hello world\\n"];
  const [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
  assertEquals(b.stdout, "Hello world\n");
  assert(
    lines(b.stderr).some((l) =>
      l.startsWith('read(3</usr/lib/x86_64-linux-gnu/libc.so.6>, "\\177ELF')
    ),
  );
  assertEquals(lines(b.stderr), lines(a.stderr));
});

Deno.test("signals ignored by sctrace's parent stay ignored in the tracee, as under strace (nohup)", async () => {
  // Signals 1 to 31: glibc's own (32, 33) get a handler in sctrace's process before it can look.
  const ignoredIn = async (tracer: string) => {
    const r = await new Deno.Command("sh", {
      args: [
        "-c",
        `trap '' HUP INT QUIT USR1; exec ${tracer} -e trace=none grep SigIgn /proc/self/status`,
      ],
      stderr: "null",
    }).output();
    const m = /^SigIgn:\t([0-9a-f]{16})\n$/.exec(new TextDecoder().decode(r.stdout));
    return m ? (BigInt("0x" + m[1]) & 0x7fffffffn).toString(16) : "none";
  };
  const want = await ignoredIn("strace");
  // HUP, INT, QUIT and USR1 (and whatever else this test's own process ignores).
  assert(want !== "none" && (BigInt("0x" + want) & 0x207n) === 0x207n, want);
  assertEquals(await ignoredIn(`${Deno.execPath()} run -A --no-check ${ROOT}main.ts`), want);
});
