/**
 * `-e inject=` and `-e fault=` against Debian's strace on the same program: the lines (with
 * `(INJECTED)`/`(DELAYED)`), what the tracee itself got (its stdout), exit statuses, `-c` counts,
 * per-process `when` counters under `-f`, and every malformed expression's message.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { fixture, lines as traceLines, sctrace, strace } from "./helpers/diff.ts";

/** Trace lines, with the pids in tracer messages (`process N`, `Process N`) normalised too. */
function lines(text: string): string[] {
  return traceLines(text).map((l) =>
    l.replace(/\b([Pp]rocess) \d+/g, "$1 PID").replace(
      /(getpid\(\) +)= \d+ \(DELAYED\)$/,
      "$1= PID (DELAYED)",
    )
  );
}

/** Runs both tracers with `args` before the fixture and compares trace, stdout and status. */
async function same(args: string[], mode = "pids"): Promise<string[]> {
  const prog = await fixture("inject");
  const [a, b] = await Promise.all([strace([...args, prog, mode]), sctrace([...args, prog, mode])]);
  const label = args.join(" ");
  assertEquals(lines(b.stderr), lines(a.stderr), label);
  assertEquals(b.stdout, a.stdout, `stdout: ${label}`);
  assertEquals(b.code, a.code, `exit status: ${label}`);
  return lines(b.stderr);
}

Deno.test("inject: error= and retval= with when=F..L+S, as strace, and the tracee sees them", async () => {
  const out = await same([
    "-e",
    "trace=getpid,getppid",
    "-e",
    "inject=getpid:error=EPERM:when=2..6+2",
    "-e",
    "inject=getppid:retval=42",
  ]);
  const injected = out.filter((l) => l.endsWith(" (INJECTED)"));
  // getppid 8 times, getpid at occurrences 2, 4, 6.
  assertEquals(injected.length, 11);
  assertEquals(
    out.filter((l) => l.includes("-1 EPERM (Operation not permitted) (INJECTED)")).length,
    3,
  );
});

Deno.test("inject: when= forms (F, F+, F+S, F..L) and error numbers and lower-case names", async () => {
  for (
    const when of ["3", "3+", "2+3", "2..5", "1..8+7", "8"]
  ) {
    await same(["-e", "trace=getpid", "-e", `inject=getpid:error=eio:when=${when}`]);
  }
  await same(["-e", "trace=getpid", "-e", "inject=getpid:error=13"]);
  await same(["-e", "trace=getpid", "-e", "inject=getpid:retval=0x10:when=4"]);
});

Deno.test("fault: the default is ENOSYS; fault=SET:error=", async () => {
  const out = await same(["-e", "trace=getpid", "-e", "fault=getpid:when=5"]);
  assert(out.some((l) => l.endsWith("= -1 ENOSYS (Function not implemented) (INJECTED)")));
  await same(["-e", "trace=getpid", "--fault=getpid:error=EACCES"]);
  await same(["-e", "trace=getpid", "--inject=getpid:retval=7"]);
});

Deno.test("inject: signal= kills the tracee as under strace; syscall= replaces the call", async () => {
  const out = await same(["-e", "trace=getpid", "-e", "inject=getpid:signal=USR1:retval=5:when=3"]);
  assert(out.some((l) => l.startsWith("--- SIGUSR1 ")));
  assertEquals(out[out.length - 1], "+++ killed by SIGUSR1 +++");
  await same(["-e", "trace=getpid", "-e", "inject=getpid:error=EPERM:syscall=getppid"]);
  await same(["-e", "trace=getpid", "-e", "inject=getpid:retval=9:syscall=gettid:when=2"]);
});

Deno.test("inject: calls outside -e trace= are left alone (strace tampers only traced calls)", async () => {
  const out = await same(["-e", "trace=getppid", "-e", "inject=getpid:retval=42"]);
  assert(!out.some((l) => l.includes("INJECTED")));
});

Deno.test("inject: delay_enter/delay_exit hold the call and say (DELAYED)", async () => {
  const out = await same(["-e", "trace=getpid", "-e", "inject=getpid:delay_enter=1ms:when=2"]);
  assertEquals(out.filter((l) => l.endsWith(" (DELAYED)")).length, 1);
  await same(["-e", "trace=getpid", "-e", "inject=getpid:delay_exit=500us:error=EIO:when=2+2"]);
  // A lower bound only (never an upper one): the delayed call lasted at least its delay.
  const prog = await fixture("inject");
  const b = await sctrace([
    "-T",
    "-e",
    "trace=getpid",
    "-e",
    "inject=getpid:delay_enter=0.2s:when=3:retval=4",
    prog,
  ]);
  const line = b.stderr.split("\n").find((l) => l.includes("(DELAYED)"))!;
  assert(line.includes("= 4 (INJECTED) (DELAYED) <"), line);
  const secs = Number(/<(\d+\.\d+)>/.exec(line)![1]);
  assert(secs >= 0.19, line);
});

Deno.test("inject: poke_enter/poke_exit write the tracee's memory", async () => {
  const out = await same([
    "-e",
    "trace=openat,read",
    "-e",
    "inject=openat:poke_enter=@arg2=2f746d70:when=3",
    "-e",
    "inject=read:poke_exit=@arg2=41424344:retval=3:when=2",
  ], "poke");
  assert(out.some((l) => l.endsWith(" (INJECTED: args)")), out.join("\n"));
  assert(out.some((l) => l.endsWith(" (INJECTED: args, retval)")), out.join("\n"));
  // A poke past the syscall's arguments is reported as strace reports it.
  await same(["-e", "trace=getpid", "-e", "inject=getpid:poke_enter=@arg1=00"]);
});

Deno.test("inject: with -f each process counts its own calls", async () => {
  await same([
    "-f",
    "-e",
    "trace=getpid",
    "-e",
    "inject=getpid:retval=42:when=2+3",
  ], "fork");
});

Deno.test("inject: -c counts injected failures as errors", async () => {
  const prog = await fixture("inject");
  const args = ["-c", "-e", "trace=getpid", "-e", "inject=getpid:error=EPERM:when=2+", prog];
  const [a, b] = await Promise.all([strace(args), sctrace(args)]);
  const row = (s: string) =>
    s.split("\n").find((l) => / getpid$/.test(l))!.trim().split(/\s+/).slice(3);
  assertEquals(row(b.stderr), row(a.stderr));
  assertEquals(row(b.stderr), ["8", "7", "getpid"]);
  assertEquals(b.stdout, a.stdout);
});

Deno.test("inject: malformed expressions give strace's message and status", async () => {
  const bad = [
    "inject=getpid",
    "inject=getpid:error=FOO",
    "fault=getpid:retval=1",
    "fault=getpid:signal=USR1",
    "inject=getpid:when=0:error=EPERM",
    "inject=getpid:when=5..3:error=EPERM",
    "inject=getpid:when=3..65535:error=EPERM",
    "inject=getpid:when=2+0:error=EPERM",
    "inject=getpid:when=x:error=EPERM",
    "inject=nosuch:error=EPERM",
    "inject=:error=EPERM",
    "inject=getpid:error=EPERM:retval=1",
    "inject=getpid:error=EPERM:error=EIO",
    "inject=getpid:syscall=write:error=EPERM",
    "inject=getpid:syscall=nosuch:error=EPERM",
    "inject=getpid:poke_enter=@arg1=zz",
    "inject=getpid:poke_enter=@arg8=00",
    "inject=getpid:poke_enter=@arg1=0",
    "inject=getpid:poke_enter=",
    "inject=getpid:signal=FOO",
    "inject=getpid:signal=0:retval=1",
    "inject=getpid:delay_enter=abc",
    "inject=getpid:delay_enter=5parsecs",
    "inject=getpid:error=4096",
    "inject=getpid:error=0",
    "inject=getpid:retval=",
    "inject=getpid:retval=1x",
    "inject=getpid:retval=99999999999999999999",
    "inject=getpid:bogus=1",
  ];
  const prog = await fixture("inject");
  for (const e of bad) {
    const [a, b] = await Promise.all([strace(["-e", e, prog]), sctrace(["-e", e, prog])]);
    assertEquals(b.code, a.code, e);
    assertEquals(b.code, 1, e);
    assertEquals(lines(b.stderr)[0], lines(a.stderr)[0], e);
    assertEquals(b.stdout, "", e);
  }
});

Deno.test("inject: a retval that looks like an error is warned about as strace does", async () => {
  for (const v of ["-1", "18446744073709551615", "-4095"]) {
    await same(["-e", "trace=getpid", "-e", `inject=getpid:retval=${v}:when=2`]);
  }
});
