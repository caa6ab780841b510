/**
 * Output as a reliable channel: write errors on the trace output, `-ff` files that cannot be
 * opened, a closed stderr pipe and `-o '|cmd'`, side by side with Debian's strace.
 *
 * The full-filesystem cases mount a small tmpfs (root only; skipped otherwise). Pipe cases never
 * race the reader: the reader closes the pipe and then leaves a marker file that the tracee waits
 * for, so the first write after the marker meets a closed pipe, whatever the machine's load.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { FIXED_ENV, fixture, lines, MAIN, sctrace, strace } from "./helpers/diff.ts";

const ROOT_ONLY = Deno.uid() !== 0;
const dec = new TextDecoder();

/** The two tracers as argv prefixes. */
const TRACERS: Record<string, string[]> = {
  strace: ["strace"],
  sctrace: [Deno.execPath(), "run", "-A", "--no-check", MAIN],
};

/** Runs `script` with bash, the tracer's argv prefix as `"$@"`; returns stdout and stderr. */
async function bash(
  script: string,
  tracer: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command("bash", {
    args: ["-c", script, "bash", ...TRACERS[tracer]],
    env: FIXED_ENV,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** Mounts a tmpfs of `kib` KiB on a new directory; returns it. */
async function smallTmpfs(kib: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-full-" });
  const r = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${kib}k`, "tmpfs", dir],
  }).output();
  assert(r.success, dec.decode(r.stderr));
  return dir;
}

async function unmount(dir: string): Promise<void> {
  await new Deno.Command("umount", { args: [dir] }).output();
  await Deno.remove(dir, { recursive: true });
}

/** Fills a filesystem to the last byte. */
function fill(dir: string): void {
  const f = Deno.openSync(`${dir}/fill`, { write: true, create: true });
  const chunk = new Uint8Array(4096);
  try {
    for (;;) f.writeSync(chunk);
  } catch {
    // full
  } finally {
    f.close();
  }
}

/** Counts equal lines: `line -> count`, with pids and directory names normalised. */
function tally(text: string, dir = "\0"): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines(text.replaceAll(dir, "DIR"))) {
    const k = l.replace(/\.\d+\b/g, ".PID");
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

Deno.test("-o /dev/full: one message per lost line and the tracee's exit status, as strace", async () => {
  const prog = await fixture("helloasm_loop2k");
  const [a, b] = await Promise.all([
    strace(["-o", "/dev/full", prog]),
    sctrace(["-o", "/dev/full", prog]),
  ]);
  assertEquals(a.code, 42);
  assertEquals(b.code, a.code);
  assertEquals(tally(a.stderr), { "TRACER: /dev/full: No space left on device": 2003 });
  assertEquals(tally(b.stderr), tally(a.stderr));
});

Deno.test({
  name: "-o FILE on a full tmpfs: what fits is written, each lost line reported, as strace",
  ignore: ROOT_ONLY,
  fn: async () => {
    const prog = await fixture("helloasm_loop2k");
    const dir = await smallTmpfs(16);
    try {
      const runs = [];
      for (const [name, run] of [["a", strace], ["b", sctrace]] as const) {
        const r = await run(["-o", `${dir}/${name}`, prog]);
        const text = Deno.readTextFileSync(`${dir}/${name}`);
        runs.push({ r, text });
        Deno.removeSync(`${dir}/${name}`);
      }
      const [a, b] = runs;
      assertEquals(b.r.code, a.r.code);
      const want = tally(a.r.stderr.replaceAll(`${dir}/a`, "FILE"));
      assertEquals(Object.keys(want), ["TRACER: FILE: No space left on device"]);
      assertEquals(tally(b.r.stderr.replaceAll(`${dir}/b`, "FILE")), want);
      // The same bytes made it to disk (16 KiB: the last line cut short).
      assertEquals(b.text.length, a.text.length);
      assertEquals(lines(b.text), lines(a.text));
    } finally {
      await unmount(dir);
    }
  },
});

Deno.test({
  name: "-ff -o FILE on a full tmpfs: every line of every process reported, as strace",
  ignore: ROOT_ONLY,
  fn: async () => {
    const prog = await fixture("forks");
    const dir = await smallTmpfs(16);
    try {
      fill(dir);
      // -q: the attach messages strace leaves out with -o are not this test's subject.
      const a = await strace(["-q", "-ff", "-o", `${dir}/x`, prog, "3", "seq"]);
      const b = await sctrace(["-q", "-ff", "-o", `${dir}/y`, prog, "3", "seq"]);
      assertEquals(a.code, 0);
      assertEquals(b.code, a.code);
      // One message per line per file: compare the multiset of per-file counts.
      const perFile = (stderr: string) =>
        Object.values(
          lines(stderr).reduce((m: Record<string, number>, l) => {
            assertMatch(l, /^TRACER: .*\/[xy]\.\d+: No space left on device$/);
            m[l] = (m[l] ?? 0) + 1;
            return m;
          }, {}),
        ).sort((p, q) => p - q);
      assertEquals(perFile(b.stderr), perFile(a.stderr));
      const files = [...Deno.readDirSync(dir)].map((e) => e.name);
      assertEquals(files.filter((f) => f.startsWith("y.")).length, 4);
    } finally {
      await unmount(dir);
    }
  },
});

Deno.test("-ff -o MISSING/x: strace's Can't fopen message and exit 1, nothing else", async () => {
  const out = "/nonexistent-sctrace-dir/x";
  const [a, b] = await Promise.all([
    strace(["-ff", "-o", out, "/bin/true"]),
    sctrace(["-ff", "-o", out, "/bin/true"]),
  ]);
  assertEquals(a.code, 1);
  assertEquals(b.code, 1);
  assertEquals(tally(b.stderr), tally(a.stderr));
  assertEquals(Object.keys(tally(a.stderr)), [
    `TRACER: Can't fopen '${out}.PID': No such file or directory`,
  ]);
});

Deno.test("-ff -o MISSING/x -p PID: message, PID detached (not stopped, not traced), exit 1", async () => {
  const out = "/nonexistent-sctrace-dir/x";
  for (const run of [strace, sctrace]) {
    const target = new Deno.Command("sleep", { args: ["60"], stdout: "null" }).spawn();
    try {
      const r = await run(["-ff", "-o", out, "-p", String(target.pid)]);
      assertEquals(r.code, 1);
      assertEquals(lines(r.stderr.replaceAll(String(target.pid), "PID")), [
        `TRACER: Can't fopen '${out}.PID': No such file or directory`,
        "TRACER: Process PID detached",
      ]);
      const st = Deno.readTextFileSync(`/proc/${target.pid}/status`);
      assertMatch(st, /\nTracerPid:\s+0\n/);
      assert(!/\nState:\s+[tT]/.test(st), st);
    } finally {
      target.kill("SIGKILL");
      await target.status;
    }
  }
});

Deno.test("-ff -o DIR/x with DIR removed during the trace: die as strace (command gets SIGTERM, exit 1)", async () => {
  const res: { code: number; stdout: string; stderr: string }[] = [];
  for (const run of [strace, sctrace]) {
    const dir = await Deno.makeTempDir({ prefix: "sctrace-gone-" });
    // -q: the attach messages strace leaves out with -o are not this test's subject.
    const r = await run([
      "-q",
      "-ff",
      "-o",
      `${dir}/x`,
      "sh",
      "-c",
      // A subshell is a fork (dash would vfork /bin/true: strace 6.1 can deadlock on that
      // vfork parent in its die() path).
      `rm -r ${dir}; (/bin/true); echo after; exit 3`,
    ]);
    res.push({ ...r, stderr: r.stderr.replaceAll(dir, "DIR") });
  }
  const [a, b] = res;
  assertEquals(a.code, 1);
  assertEquals(b.code, 1);
  assertEquals(a.stdout, "");
  assertEquals(b.stdout, a.stdout);
  assertEquals(tally(b.stderr), tally(a.stderr));
  assertEquals(Object.keys(tally(a.stderr)), [
    "TRACER: Can't fopen 'DIR/x.PID': No such file or directory",
  ]);
});

/** A reader that closes the pipe at once, then leaves the marker `$M`. */
const CLOSING_READER = '(exec 0<&-; touch "$M")';

Deno.test("closed stderr pipe: die of SIGPIPE (141) and take the command along, as strace", async () => {
  for (const tracer of ["strace", "sctrace"]) {
    const dir = await Deno.makeTempDir();
    const script = `M=${dir}/m; F=${dir}/f
      "$@" sh -c 'until [ -e ${dir}/m ]; do sleep 0.01; done; echo alive > ${dir}/f' 2>&1 |
        ${CLOSING_READER}
      echo "rc=\${PIPESTATUS[0]}"`;
    const r = await bash(script, tracer);
    assertEquals(r.stdout.trim(), "rc=141", `${tracer}: ${r.stderr}`);
    let f = "";
    try {
      f = Deno.readTextFileSync(`${dir}/f`);
    } catch {
      // never created
    }
    assertEquals(f, "", `${tracer}: the command went on after the tracer died`);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("closed stderr pipe with -p: detach, leave PID running untraced, die of SIGPIPE", async () => {
  for (const tracer of ["strace", "sctrace"]) {
    const dir = await Deno.makeTempDir();
    // A target doing a syscall now and then, for a bounded time.
    const target = new Deno.Command("sh", {
      args: ["-c", "i=0; while [ $i -lt 400 ]; do sleep 0.02; i=$((i+1)); done"],
    }).spawn();
    try {
      const script = `M=${dir}/m
        "$@" -p ${target.pid} 2>&1 | ${CLOSING_READER}
        echo "rc=\${PIPESTATUS[0]}"`;
      const r = await bash(script, tracer);
      assertEquals(r.stdout.trim(), "rc=141", `${tracer}: ${r.stderr}`);
      const st = Deno.readTextFileSync(`/proc/${target.pid}/status`);
      assertMatch(st, /\nTracerPid:\s+0\n/, tracer);
      assert(!/\nState:\s+[tTZ]/.test(st), `${tracer}: ${st}`);
    } finally {
      target.kill("SIGKILL");
      await target.status;
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("-o '|cmd' and -o '!cmd': the trace piped to sh -c cmd, the same as strace's", async () => {
  const prog = await fixture("forks");
  const dir = await Deno.makeTempDir();
  const args = (o: string) => ["-o", o, prog, "2", "seq"];
  const a = await strace(args(`|cat > ${dir}/a`));
  const b = await sctrace(args(`|cat > ${dir}/b`));
  const c = await sctrace(args(`!cat > ${dir}/c`));
  const d = await sctrace(args(`${dir}/d`));
  for (const r of [a, b, c, d]) assertEquals(r.code, 0, r.stderr);
  // When a child's SIGCHLD is reported (before or after wait4 returns) is the scheduler's choice.
  const read = (n: string) =>
    lines(Deno.readTextFileSync(`${dir}/${n}`)).filter((l) => !l.startsWith("--- SIGCHLD "));
  const ref = read("a");
  assert(ref.length > 20);
  assertEquals(read("b"), ref);
  assertEquals(read("c"), ref);
  assertEquals(read("d"), ref);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-ff with a piped output is refused as strace refuses it", async () => {
  for (
    const args of [["-ff", "-o", "|cat", "true"], ["--output-separately", "-o", "!cat", "true"]]
  ) {
    const [a, b] = await Promise.all([strace(args), sctrace(args)]);
    assertEquals(a.code, 1);
    assertEquals(b.code, 1);
    assertEquals(lines(b.stderr.replaceAll("sctrace -h", "strace -h")), lines(a.stderr));
  }
});

Deno.test("-o '|cmd' whose reader is gone: every lost line reported, tracing goes on", async () => {
  for (const tracer of ["strace", "sctrace"]) {
    const dir = await Deno.makeTempDir();
    const script = `M=${dir}/m
      "$@" -o '|exec 0<&-; touch ${dir}/m' sh -c 'until [ -e ${dir}/m ]; do sleep 0.01; done; /bin/true; echo done; exit 3'
      echo "rc=$?"`;
    const r = await bash(script, tracer);
    assertEquals(r.stdout, "done\nrc=3\n", `${tracer}: ${r.stderr}`);
    const t = tally(r.stderr.replaceAll(dir, "DIR"));
    assertEquals(Object.keys(t), ["TRACER: |exec 0<&-; touch DIR/m: Broken pipe"], tracer);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("-o '' is a file name that cannot be opened, as with strace", async () => {
  const [a, b] = await Promise.all([strace(["-o", "", "true"]), sctrace(["-o", "", "true"])]);
  assertEquals(a.code, 1);
  assertEquals(b.code, 1);
  assertEquals(lines(b.stderr), lines(a.stderr));
});

Deno.test("--output-separately without -o: the trace on stderr, no file, as strace", async () => {
  const dir = await Deno.makeTempDir();
  const prog = await fixture("helloasm");
  const [a, b] = await Promise.all([
    // (-f: without it strace also warns that --output-separately has no effect.)
    strace(["-f", "--output-separately", prog], { cwd: dir }),
    sctrace(["-f", "--output-separately", prog], { cwd: dir }),
  ]);
  assertEquals(b.code, a.code);
  assert(lines(a.stderr).length > 2);
  assertEquals(lines(b.stderr), lines(a.stderr));
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-o /dev/stdout PROG into a closed pipe: SIGPIPE ignored, lost lines reported, as strace", async () => {
  for (const tracer of ["strace", "sctrace"]) {
    const dir = await Deno.makeTempDir();
    const script = `M=${dir}/m
      "$@" -o /dev/stdout sh -c 'until [ -e ${dir}/m ]; do sleep 0.01; done; /bin/true; exit 3' |
        ${CLOSING_READER}
      echo "rc=\${PIPESTATUS[0]}"`;
    const r = await bash(script, tracer);
    assertEquals(r.stdout, "rc=3\n", `${tracer}: ${r.stderr}`);
    assertEquals(Object.keys(tally(r.stderr)), ["TRACER: /dev/stdout: Broken pipe"], tracer);
    await Deno.remove(dir, { recursive: true });
  }
});
