/**
 * `--json`: every line of real traces validates against schema/events.schema.json (Ajv), the events
 * carry what the text says (syscalls, errors, signals, exits, kills, forks), `-o`/`-ff`/`-c`/
 * `-e read=`/`-k`/`-i` are honoured, bad formats and options JSON cannot honour are strace-style
 * errors. The README's jq recipes are run with the real `jq` (json_recipes_test.ts).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { fixture, sctrace } from "./helpers/diff.ts";
import { validateLines } from "./helpers/schema.ts";

type Ev = Record<string, unknown>;

/** The events of a `--json` run (to stderr; with `file`, to `-o` a file: the tracee writes to stderr), each validated. */
async function jsonRun(
  args: string[],
  file = false,
): Promise<{ events: Ev[]; code: number; stderr: string }> {
  if (!file) {
    const r = await sctrace(["--json", ...args]);
    return { events: await validateLines(r.stderr), code: r.code, stderr: r.stderr };
  }
  const out = await Deno.makeTempFile();
  const r = await sctrace(["--json", "-o", out, ...args]);
  const text = await Deno.readTextFile(out);
  await Deno.remove(out);
  return { events: await validateLines(text), code: r.code, stderr: r.stderr };
}

Deno.test("--json: a C program's files, sockets, signals, forks and kills validate and say what happened", async () => {
  const bin = await fixture("json_mix");
  const { events, code } = await jsonRun(["-f", bin]);
  assertEquals(code, 0);
  const sys = events.filter((e) => e.type === "syscall");
  const failedOpen = sys.filter((e) => e.syscall === "openat" && e.error === "ENOENT");
  assert(failedOpen.length >= 2, "two failing openat");
  for (const e of failedOpen) {
    assertEquals(e.ret, -1);
    assertEquals(e.errno, 2);
    assertEquals(e.message, "No such file or directory");
  }
  assert(
    sys.some((e) => e.syscall === "connect" && e.error === "ECONNREFUSED"),
    "connect refused",
  );
  const sig = events.find((e) => e.type === "signal" && e.signal === "SIGUSR1");
  assert(sig, "SIGUSR1 event");
  assertEquals((sig.info as Ev).si_code, "SI_USER");
  assertEquals((sig.info as Ev).si_signo, "SIGUSR1");
  assertEquals(typeof (sig.info as Ev).si_pid, "number");
  assert(events.some((e) => e.type === "exit" && e.code === 2), "child exit 2");
  const killed = events.find((e) => e.type === "killed");
  assert(killed && killed.signal === "SIGKILL" && killed.signo === 9, "child killed");
  assert(events.some((e) => e.type === "attach" && e.origin === "followed"), "followed child");
  const sleep = sys.find((e) => e.syscall === "clock_nanosleep");
  assert(sleep && (sleep.duration as number) >= 0.015, "the sleep's duration");
  const last = events[events.length - 1];
  assertEquals([last.type, last.code], ["exit", 0]);
  // exit_group never returns: no ret, unfinished.
  const eg = sys.find((e) => e.syscall === "exit_group" && e.pid === last.pid);
  assert(eg && eg.unfinished === true && !("ret" in eg), "exit_group unfinished");
  // No text line sneaks in (no `Process N attached` on the JSON stream).
});

Deno.test("--json: ls and sh -c validate; -e trace= and -e status= filter the events", async () => {
  const ls = await jsonRun(["ls", "/"]);
  assertEquals(ls.code, 0);
  assert(ls.events.some((e) => e.syscall === "getdents64"), "ls reads a directory");
  const sh = await jsonRun([
    "-f",
    "-e",
    "trace=execve,openat,wait4",
    "-e",
    "status=failed",
    "sh",
    "-c",
    "cat /nonexistent-x; echo hi; exit 3",
  ], true);
  assertEquals(sh.code, 3);
  const sys = sh.events.filter((e) => e.type === "syscall");
  assert(sys.length > 0, "some failed calls");
  for (const e of sys) {
    assert(["execve", "openat", "wait4"].includes(e.syscall as string), `${e.syscall}`);
    assert(typeof e.error === "string", "only failed calls");
  }
  assert(sh.events.some((e) => e.type === "exit" && e.code === 1), "cat's exit 1");
});

Deno.test("--json: -c prints one summary object; -C the events then the summary", async () => {
  const bin = await fixture("json_mix");
  const c = await jsonRun(["-c", bin]);
  assertEquals(c.events.length, 1, c.stderr);
  const s = c.events[0];
  assertEquals(s.type, "summary");
  const rows = s.syscalls as Ev[];
  const open = rows.find((r) => r.syscall === "openat")!;
  assert(open && (open.errors as number) >= 2 && (open.calls as number) >= 3, "openat row");
  const total = s.total as Ev;
  assertEquals(total.calls, rows.reduce((n, r) => n + (r.calls as number), 0));
  const cc = await jsonRun(["-C", bin]);
  assertEquals(cc.events[cc.events.length - 1].type, "summary");
  assert(cc.events.some((e) => e.type === "syscall"), "-C keeps the events");
});

Deno.test("--json: -o FILE and -ff write JSON Lines per process; -i, -e read= add ip and dumps", async () => {
  const bin = await fixture("json_mix");
  const dir = await Deno.makeTempDir();
  const r = await sctrace([
    "--output-format=json",
    "-ff",
    "-o",
    `${dir}/t`,
    "-i",
    "-e",
    "read=all",
    bin,
  ]);
  assertEquals(r.code, 0);
  // Attach messages stay on stderr when the JSON goes to a file.
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert(files.length >= 3, `one file per process: ${files}`);
  let dumps = 0;
  for (const f of files) {
    const pid = Number(f.split(".")[1]);
    const evs = await validateLines(await Deno.readTextFile(`${dir}/${f}`));
    assert(evs.length > 0);
    for (const e of evs) {
      assertEquals(e.pid, pid);
      // -i: every line the text gives an address has one.
      if (["syscall", "signal", "exit", "killed"].includes(e.type as string)) {
        assertMatch(String(e.ip), /^([0-9a-f]{16}|\?{16})$/);
      }
    }
    dumps += evs.filter((e) => e.type === "dump").length;
    const ping = evs.find((e) => e.type === "dump" && (e.hex as string[]).includes("70696e670a"));
    if (ping) assertEquals(ping.dir, "in");
  }
  assert(dumps > 0, "read= dumps");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--json: a bad --output-format and -a are strace-style errors", async () => {
  const bad = await sctrace(["--output-format=xml", "true"]);
  assertEquals(bad.code, 1);
  assertEquals(bad.stderr.split("\n")[0], "sctrace: invalid --output-format argument: 'xml'");
  const a = await sctrace(["--json", "-a", "50", "true"]);
  assertEquals(a.code, 1);
  assertEquals(
    a.stderr,
    "sctrace: -a/--columns applies to the text output only, not to --json\n",
  );
  const text = await sctrace(["--output-format=text", "-e", "trace=exit_group", "true"]);
  assertEquals(text.stderr, "exit_group(0)                           = ?\n+++ exited with 0 +++\n");
});
