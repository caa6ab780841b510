/**
 * -f/-ff, filters, -y/-yy, timestamps and attach/detach, against Debian's strace.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { BIN, fixture, lines, normalise, sctrace, strace } from "./helpers/diff.ts";
import { histories } from "./helpers/follow.ts";

/**
 * Drops what differs between runs of a multi-process program beyond {@linkcode histories}'s pids:
 * getrandom's bytes, and SIGCHLD deliveries with their rt_sigreturn (children exit, and their
 * SIGCHLDs arrive and coalesce, as the scheduler picks; rt_sigreturn returns whatever the call it
 * interrupted returned). Every other line keeps its place and its numbers.
 */
function pidFree(h: string[]): string[] {
  return h.map((s) =>
    s.replace(/getrandom\("[^"]*"/g, 'getrandom("R"').split("\n")
      .filter((l) => !/^--- SIGCHLD |^rt_sigreturn\(/.test(l)).join("\n")
  ).sort();
}

Deno.test("-f on a shell pipeline: the same per-process histories as strace", async () => {
  const dir = await Deno.makeTempDir();
  const cmd = (f: string) => ["-f", "-o", f, "sh", "-c", "echo hi | cat > /dev/null"];
  const [a, b] = await Promise.all([strace(cmd(`${dir}/a`)), sctrace(cmd(`${dir}/b`))]);
  assertEquals(b.code, 0);
  assertEquals(a.code, 0);
  const read = (f: string) => histories(Deno.readTextFileSync(f));
  assertEquals(pidFree(read(`${dir}/b`)), pidFree(read(`${dir}/a`)));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-f -o FILE prefixes every line with the pid, as strace does", async () => {
  const dir = await Deno.makeTempDir();
  const cmd = (f: string) => ["-f", "-o", f, "sh", "-c", "/bin/true; /bin/true"];
  const [ra, rb] = await Promise.all([strace(cmd(`${dir}/a`)), sctrace(cmd(`${dir}/b`))]);
  // A trace to a file of a command we start is quiet about attaching (strace's implicit -q).
  assertEquals(rb.stderr, ra.stderr);
  assertEquals(rb.stderr, "");
  const a = await Deno.readTextFile(`${dir}/a`);
  const b = await Deno.readTextFile(`${dir}/b`);
  assert(b.split("\n").filter((l) => l).every((l) => /^\d+ +\S/.test(l)), b.slice(0, 300));
  assertEquals(pidFree(histories(b)), pidFree(histories(a)));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-ff -o FILE: one file per process, each like strace's", async () => {
  const prog = await fixture("forks");
  const dir = await Deno.makeTempDir();
  await Promise.all([
    strace(["-ff", "-o", `${dir}/a`, prog, "3", "seq"]),
    sctrace(["-ff", "-o", `${dir}/b`, prog, "3", "seq"]),
  ]);
  const files = [...Deno.readDirSync(dir)].map((e) => e.name);
  const a = files.filter((f) => f.startsWith("a."));
  const b = files.filter((f) => f.startsWith("b."));
  assertEquals(b.length, 4);
  assertEquals(b.length, a.length);
  const read = (names: string[]) =>
    names.map((n) => lines(Deno.readTextFileSync(`${dir}/${n}`)).join("\n")).sort();
  assertEquals(pidFree(read(b)), pidFree(read(a)));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stress: 300 children with threads under -f, no hang, every exit reported", async () => {
  const prog = await fixture("threads");
  const dir = await Deno.makeTempDir();
  const b = await sctrace(["-f", "-o", `${dir}/t`, prog, "300"]);
  assertEquals(b.code, 0);
  const text = await Deno.readTextFile(`${dir}/t`);
  // 1 parent + 300 children + 1 parent thread + 600 child threads.
  assertEquals(text.split("\n").filter((l) => l.includes("+++ exited with")).length, 902);
  assertEquals((text.match(/write\(1, "t\\n", 2/g) ?? []).length, 601);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("-e trace= forms print what strace prints", async () => {
  const prog = await fixture("signals");
  const forms = [
    "trace=openat,write",
    "openat",
    "trace=!openat,mmap,mprotect,brk,newfstatat,read,pread64,close,access,arch_prctl,set_tid_address,set_robust_list,rseq,prlimit64,munmap,getrandom",
    "trace=?nosuchcall,write",
    "trace=/^rt_sig",
    "trace=%file",
    "trace=%signal",
    "trace=%process",
    "trace=%memory",
    "trace=%desc",
    "trace=%stat",
    "trace=%%stat",
    "trace=%fstat",
    "trace=%creds",
    "trace=%clock",
    "trace=%pure",
    "trace=none",
    "trace=all",
    "signal=none",
    "signal=!SIGUSR1",
    "status=failed",
    "status=successful",
    "abbrev=none",
    "abbrev=!execve",
    "raw=openat,write",
  ];
  for (const form of forms) {
    const [a, b] = await Promise.all([strace(["-e", form, prog]), sctrace(["-e", form, prog])]);
    assertEquals(lines(b.stderr), lines(a.stderr), form);
  }
  for (const flag of ["-z", "-Z"]) {
    const [a, b] = await Promise.all([strace([flag, prog]), sctrace([flag, prog])]);
    assertEquals(lines(b.stderr), lines(a.stderr), flag);
  }
});

Deno.test("-y and -yy decode descriptors as strace does", async () => {
  for (const flag of ["-y", "-yy"]) {
    const cmd = [
      flag,
      "-e",
      "trace=openat,read,close,fstat,newfstatat,mmap",
      "cat",
      "/etc/hostname",
    ];
    const [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
    assertEquals(lines(b.stderr), lines(a.stderr), flag);
  }
  const cmd = [
    "-yy",
    "-e",
    "trace=socketpair,write,read,close",
    "python3",
    "-c",
    "import socket;a,b=socket.socketpair();a.send(b'x');b.recv(1)",
  ];
  const [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
  const keep = (t: string) => lines(t).filter((l) => /UNIX|socketpair/.test(l));
  assert(keep(b.stderr).length > 0);
  assertEquals(keep(b.stderr), keep(a.stderr));
});

Deno.test("timestamps: -r, -t, -tt, -ttt, -T have strace's shapes", async () => {
  await fixture("helloasm");
  const shapes: [string, RegExp][] = [
    ["-r", /^ {5}0\.000000 execve\(/],
    ["-t", /^\d\d:\d\d:\d\d execve\(/],
    ["-tt", /^\d\d:\d\d:\d\d\.\d{6} execve\(/],
    ["-ttt", /^\d{10}\.\d{6} execve\(/],
    ["-T", /^execve\(.*\) = 0 <\d+\.\d{6}>$/],
  ];
  for (const [flag, re] of shapes) {
    const b = await sctrace([flag, "./helloasm"], { cwd: BIN });
    assertMatch(b.stderr.split("\n")[0], re, flag);
    const a = await strace([flag, "./helloasm"], { cwd: BIN });
    assertEquals(lines(b.stderr), lines(a.stderr), flag);
  }
});

/** The syscall number a process is in (`/proc/PID/syscall`), or "running". */
function syscallOf(pid: number): string {
  return Deno.readTextFileSync(`/proc/${pid}/syscall`).split(" ")[0].trim();
}

/**
 * Polls `cond` until it holds. No time is asserted: the limit (a minute) only turns a hang into a
 * failure that says what was awaited.
 */
async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 3000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A `sleep` that is asleep in clock_nanosleep (so attaching to it is deterministic), for longer
 * than any test could take on a loaded machine; the tests kill it.
 */
async function sleeper(): Promise<Deno.ChildProcess> {
  const s = new Deno.Command("sleep", { args: ["3600"] }).spawn();
  await until(`sleep ${s.pid} in clock_nanosleep`, () => syscallOf(s.pid) === "230");
  return s;
}

/**
 * Runs sctrace with `args`, reads its stderr until `ready` holds for it, sends `sig`, and returns
 * all of its stderr. The signal follows what sctrace printed, not a delay: a loaded machine (sctrace
 * slow to start or to attach) gives the same output.
 */
async function attachThen(
  args: string[],
  ready: (err: string) => boolean,
  sig: Deno.Signal,
): Promise<string> {
  const p = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", `${BIN}../../../main.ts`, ...args],
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  let err = "";
  let sent = false;
  const guard = setTimeout(() => p.kill("SIGKILL"), 60_000);
  for await (const chunk of p.stderr) {
    err += dec.decode(chunk, { stream: true });
    if (!sent && ready(err)) {
      p.kill(sig);
      sent = true;
    }
  }
  clearTimeout(guard);
  await p.status;
  assert(sent, `never ready: ${err}`);
  return err;
}

Deno.test("-p: attach to a sleeping process, SIGTERM detaches, the process runs on", async () => {
  const s = await sleeper();
  const pid = s.pid;
  try {
    const ready = (e: string) => e.includes("restart_syscall(");
    const err = await attachThen(["-p", String(pid)], ready, "SIGTERM");
    assertEquals(err.split("\n"), [
      `sctrace: Process ${pid} attached`,
      "restart_syscall(<... resuming interrupted read ...>sctrace: Process " + pid + " detached",
      " <detached ...>",
      "",
    ]);
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    assertMatch(status, /State:\s+S \(sleeping\)/);
    assertMatch(status, /TracerPid:\s+0\n/);
  } finally {
    s.kill("SIGKILL");
    await s.status;
  }
});

Deno.test("-p errors: unknown pid, list forms, trailing pids", async () => {
  const [a, b] = await Promise.all([strace(["-p", "99999999"]), sctrace(["-p", "99999999"])]);
  assertEquals(b.code, 1);
  assertEquals(normalise(b.stderr), normalise(a.stderr));
  const s1 = await sleeper();
  const s2 = await sleeper();
  try {
    const [p1, p2] = [String(s1.pid), String(s2.pid)];
    for (const args of [["-p", `${p1} ${p2}`], ["-p", `${p1},${p2}`], ["-p", p1, p2]]) {
      const count = (e: string) => (e.match(/restart_syscall/g) ?? []).length;
      const err = await attachThen(["-q", ...args], (e) => count(e) >= 2, "SIGINT");
      assertEquals(count(err), 2, `${args.join(" ")}: ${err}`);
      assert(!err.includes("attached"), err);
    }
    for (const s of [s1, s2]) {
      const status = await Deno.readTextFile(`/proc/${s.pid}/status`);
      assertMatch(status, /State:\s+S[^]*TracerPid:\s+0\n/);
    }
  } finally {
    for (const s of [s1, s2]) {
      s.kill("SIGKILL");
      await s.status;
    }
  }
});

Deno.test("execve by a non-leader thread: superseded, and the thread carries on as the leader", async () => {
  const prog = await fixture("thread_exec");
  // The last lines: the thread's execve cut, the leader superseded, the execve resumed under the
  // leader's pid. If the leader was already in a traced pause, its `= ?` cuts the execve line
  // (`<unfinished ...>`); otherwise the line ends with `<pid changed to LEADER ...>`, as strace's.
  // (Whether the leader reaches pause before the thread's execve is the scheduler's choice.)
  const tail = (t: string) =>
    t.replace(/(strace|sctrace): Process \d+ attached\n/g, "").split("\n").filter((l) => l)
      .slice(-6).map(normalise).map((l) => l.replace(/\) +=/, ") ="));
  const consistent = (t: string[]) => {
    const exec = t.find((l) => /^\[pid PID\] execve\("\/bin\/true"/.test(l)) ?? "";
    const paused = t.includes("[pid PID] <... pause resumed>) = ?");
    return exec.endsWith(paused ? " <unfinished ...>" : " <pid changed to PID ...>");
  };
  for (const calls of ["execve,exit_group,pause", "execve"]) {
    for (const q of [[], ["-q"]]) {
      const cmd = [...q, "-f", "-e", `trace=${calls}`, prog];
      let [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
      // strace's own tail is the reference; on a loaded machine its two threads' lines can race
      // in ways this test does not model (seen once in CI): run both again, twice at most.
      for (let i = 0; i < 2 && !consistent(tail(a.stderr)); i++) {
        [a, b] = await Promise.all([strace(cmd), sctrace(cmd)]);
      }
      assertEquals(b.code, 0);
      const [ta, tb] = [tail(a.stderr), tail(b.stderr)];
      assertEquals(tb.slice(-4), ta.slice(-4), cmd.join(" "));
      assert(consistent(ta), `strace: ${ta.join("\n")}`);
      assert(consistent(tb), `sctrace: ${tb.join("\n")}`);
      // Without pause in the trace, nothing cuts the execve line: the whole tail is strace's.
      if (calls === "execve") assertEquals(tb, ta, cmd.join(" "));
      assertMatch(
        b.stderr,
        /\+\+\+ superseded by execve in pid \d+ \+\+\+\n<\.\.\. execve resumed>\) += 0\n/,
      );
    }
  }
});

Deno.test("--seccomp-bpf: the same filtered trace and messages as strace", async () => {
  const prog = await fixture("signals");
  const cases = [
    ["-f", "--seccomp-bpf", "-e", "trace=openat,write,kill", prog],
    ["-f", "--seccomp-bpf", "-e", "trace=%signal", prog],
    ["-f", "--seccomp-bpf", "-e", "trace=exit_group", "sh", "-c", "/bin/true; exit 3"],
    ["--seccomp-bpf", "-e", "trace=write", prog],
    ["-f", "--seccomp-bpf", prog],
  ];
  for (const c of cases) {
    const [a, b] = await Promise.all([strace(c), sctrace(c)]);
    assertEquals(b.code, a.code, c.join(" "));
    const strip = (t: string) => lines(t.replace(/(strace|sctrace): Process \d+ attached\n/g, ""));
    assertEquals(strip(b.stderr), strip(a.stderr), c.join(" "));
  }
});
