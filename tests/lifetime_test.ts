/**
 * Tracee lifetime, side by side with Debian's strace: what happens to the traced processes when
 * the tracer is stopped by SIGINT/SIGTERM (`-f -p` on pre-forking servers that recycle children,
 * a launched command that ignores the signal), how long tracing goes on (orphans and daemons
 * under `-f`, `-p PID PROG`), and the lines printed for a tracee killed by SIGKILL.
 *
 * Every wait here is bounded (a stuck tracer fails the test, it never hangs the suite), and no
 * assertion is about speed.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { fixture, MAIN, sctrace as sctraceRun, strace as straceRun } from "./helpers/diff.ts";

type Tool = "strace" | "sctrace";
const TOOLS: Tool[] = ["strace", "sctrace"];
const dec = new TextDecoder();

/** A tracer (or server) started in the background, its output collected as it comes. */
interface Bg {
  child: Deno.ChildProcess;
  out: () => string;
  err: () => string;
  /** The process's end (its output may stay open in a process it left running). */
  status: Promise<Deno.CommandStatus>;
  /** Its output's end. */
  closed: Promise<unknown>;
}

function collect(stream: ReadableStream<Uint8Array>, into: { s: string }): Promise<void> {
  return (async () => {
    for await (const chunk of stream) into.s += dec.decode(chunk, { stream: true });
  })();
}

function start(cmd: string, args: string[]): Bg {
  const child = new Deno.Command(cmd, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const o = { s: "" };
  const e = { s: "" };
  const closed = Promise.all([collect(child.stdout, o), collect(child.stderr, e)]);
  return { child, out: () => o.s, err: () => e.s, status: child.status, closed };
}

/** Starts a tracer with `args`. */
function tracer(tool: Tool, args: string[]): Bg {
  return tool === "strace"
    ? start("strace", args)
    : start(Deno.execPath(), ["run", "-A", "--no-check", MAIN, ...args]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 20 ms; fails with `what` after `ms` (a bound, not a timing assertion). */
async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 20000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Waits for a background process to end; kills it (and fails) if it does not within `ms`. */
async function ended(bg: Bg, what: string, ms = 20000): Promise<Deno.CommandStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((r) => timer = setTimeout(() => r(null), ms));
  const st = await Promise.race([bg.status, timeout]);
  clearTimeout(timer);
  if (st) return st;
  try {
    bg.child.kill("SIGKILL");
  } catch { /* gone */ }
  await bg.status;
  await bg.closed;
  throw new Error(`${what} did not end (hang); stderr tail: ${bg.err().slice(-500)}`);
}

/** Waits (at most `ms`) until the output of `bg` is all read. */
async function drained(bg: Bg, ms = 5000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([bg.closed, new Promise((r) => timer = setTimeout(r, ms))]);
  clearTimeout(timer);
}

/** `TracerPid` of a live process, or undefined when it is gone. */
function tracerPid(pid: number): number | undefined {
  try {
    const m = /\nTracerPid:\s*(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a pid is alive (not a zombie). */
function alive(pid: number): boolean {
  try {
    return !/\nState:\s*Z/.test(Deno.readTextFileSync(`/proc/${pid}/status`));
  } catch {
    return false;
  }
}

/** The children of a process (from /proc). */
function childrenOf(pid: number): number[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/)
      .filter((x) => x).map(Number);
  } catch {
    return [];
  }
}

/** A free loopback TCP port. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function killPid(pid: number, sig: Deno.Signal = "SIGKILL"): void {
  try {
    Deno.kill(pid, sig);
  } catch { /* gone */ }
}

/** One HTTP/1.0 GET on loopback; the body, or "" on failure. */
async function httpGet(port: number): Promise<string> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    await c.write(new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"));
    let s = "";
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await c.read(buf);
      if (n === null) break;
      s += dec.decode(buf.subarray(0, n));
    }
    c.close();
    return s.split("\r\n\r\n")[1] ?? "";
  } catch {
    return "";
  }
}

/** One FastCGI request for php-fpm's `ping.path` (/ping); the response's stdout, or "". */
async function fcgiPing(port: number): Promise<string> {
  const rec = (type: number, content: Uint8Array) => {
    const h = [1, type, 0, 1, content.length >> 8, content.length & 255, 0, 0];
    return new Uint8Array([...h, ...content]);
  };
  const params: number[] = [];
  for (
    const [k, v] of [
      ["SCRIPT_NAME", "/ping"],
      ["SCRIPT_FILENAME", "/ping"],
      ["REQUEST_URI", "/ping"],
      ["REQUEST_METHOD", "GET"],
      ["QUERY_STRING", ""],
    ]
  ) params.push(k.length, v.length, ...new TextEncoder().encode(k + v));
  const msg = [
    rec(1, new Uint8Array([0, 1, 0, 0, 0, 0, 0, 0])),
    rec(4, new Uint8Array(params)),
    rec(4, new Uint8Array()),
    rec(5, new Uint8Array()),
  ];
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    for (const m of msg) await c.write(m);
    let s = "";
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await c.read(buf);
      if (n === null) break;
      s += dec.decode(buf.subarray(0, n));
    }
    c.close();
    return s;
  } catch {
    return "";
  }
}

/** A server to attach to with `-f -p`. */
interface Server {
  master: number;
  /** Makes one request; true when it was answered. */
  request: () => Promise<boolean>;
  /** Children reaped so far that died of a signal (from the master's log). */
  killed: () => string[];
  /** Whether the master's log records the end of `pid`. */
  logged: (pid: number) => boolean;
  stop: () => Promise<void>;
}

async function preforkServer(dir: string): Promise<Server> {
  const bin = await fixture("prefork");
  const log = `${dir}/prefork.log`;
  const bg = start(bin, [log, "5"]);
  await until(() => /^\d+\n/.test(bg.out()), "the prefork server's port");
  const port = Number(bg.out().trim());
  const read = () => {
    try {
      return Deno.readTextFileSync(log);
    } catch {
      return "";
    }
  };
  return {
    master: bg.child.pid,
    request: async () => (await httpGet(port)) === "ok\n",
    killed: () => read().split("\n").filter((l) => / killed /.test(l)),
    logged: (pid) => new RegExp(`^${pid} (exited|killed) `, "m").test(read()),
    stop: async () => {
      killPid(bg.child.pid);
      await bg.status;
    },
  };
}

const FPM = "/usr/sbin/php-fpm8.2";
const haveFpm = (() => {
  try {
    return Deno.statSync(FPM).isFile;
  } catch {
    return false;
  }
})();

async function fpmServer(dir: string): Promise<Server> {
  const port = freePort();
  const log = `${dir}/fpm.log`;
  Deno.writeTextFileSync(
    `${dir}/fpm.conf`,
    [
      "[global]",
      `pid = ${dir}/fpm.pid`,
      `error_log = ${log}`,
      "log_level = notice",
      "daemonize = no",
      "[lifetime]",
      `listen = 127.0.0.1:${port}`,
      "pm = static",
      "pm.max_children = 4",
      "pm.max_requests = 3",
      "ping.path = /ping",
      "",
    ].join("\n"),
  );
  const bg = start(FPM, ["-F", "-R", "-y", `${dir}/fpm.conf`]);
  const read = () => {
    try {
      return Deno.readTextFileSync(log);
    } catch {
      return "";
    }
  };
  const request = async () => (await fcgiPing(port)).includes("pong");
  await until(request, `php-fpm on port ${port} (${bg.err()})`);
  return {
    master: bg.child.pid,
    request,
    killed: () => read().split("\n").filter((l) => /exited on signal/.test(l)),
    logged: (pid) => new RegExp(`child ${pid} exited`).test(read()),
    stop: async () => {
      killPid(bg.child.pid, "SIGQUIT");
      await ended(bg, "php-fpm");
    },
  };
}

/**
 * `-f -p MASTER` while the server recycles its children under load, then `sig` to the tracer:
 * the tracer dies of `sig`, no child of the server dies of a signal, every process alive at the
 * signal is alive afterwards with `TracerPid: 0` (or ended normally, per the master's log), every
 * attached process is detached (or its exit traced), and the server still serves.
 */
async function attachAndStop(
  tool: Tool,
  sig: "SIGINT" | "SIGTERM",
  make: (dir: string) => Promise<Server>,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-lifetime-" });
  const srv = await make(dir);
  const what = `${tool} -f -p ${srv.master}, ${sig}`;
  let load = true;
  try {
    const t = tracer(tool, ["-f", "-o", `${dir}/trace`, "-p", String(srv.master)]);
    await until(
      () => t.err().includes(`Process ${srv.master} attached`),
      `${what}: attach (${t.err()})`,
    );
    // Load in the background: requests recycle children (fresh forks, each followed).
    const loader = (async () => {
      while (load) await srv.request();
    })();
    const followed = () =>
      [...t.err().matchAll(/Process (\d+) attached/g)].map((m) => Number(m[1]))
        .filter((p) => p !== srv.master);
    await until(() => followed().length >= 6, `${what}: 6 followed children (${t.err()})`);
    const before = [srv.master, ...childrenOf(srv.master)];
    t.child.kill(sig);
    const st = await ended(t, what);
    await drained(t);
    load = false;
    await loader;
    // strace re-raises the signal: a shell would see 128+N.
    assertEquals(st.signal, sig, `${what}: tracer status ${JSON.stringify(st)}`);
    // Each process alive at the signal: alive and untraced now, or ended normally (logged).
    await until(
      () => before.every((p) => (alive(p) && tracerPid(p) === 0) || srv.logged(p)),
      `${what}: every process untraced or logged`,
    );
    assertEquals(srv.killed(), [], `${what}: children killed`);
    assertEquals(tracerPid(srv.master), 0, `${what}: the master is still traced`);
    // Every process it attached to is detached, unless its exit was traced.
    const trace = Deno.readTextFileSync(`${dir}/trace`);
    for (const p of [srv.master, ...followed()]) {
      const detached = new RegExp(`Process ${p} detached`).test(t.err());
      const exited = new RegExp(`^${p} +\\+\\+\\+ (exited|killed)`, "m").test(trace);
      assert(detached || exited, `${what}: ${p} neither detached nor exited\n${t.err()}`);
    }
    assert(await srv.request(), `${what}: the server no longer serves`);
    assertEquals(srv.killed(), [], `${what}: children killed`);
    const detached = (t.err().match(/Process \d+ detached/g) ?? []).length;
    return `${what}: ${followed().length} children followed, ${before.length} processes ` +
      `at the signal, ${detached} detached, 0 killed, 0 traced afterwards`;
  } finally {
    load = false;
    await srv.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Tries per server test: 1 in the suite, more in the soak (`bench/lifetime_soak.ts`). */
const TRIES = Math.max(1, Number(Deno.env.get("SCTRACE_LIFETIME_TRIES") ?? 1) || 1);

async function tries(sig: "SIGINT" | "SIGTERM", make: (dir: string) => Promise<Server>) {
  for (let i = 1; i <= TRIES; i++) {
    for (const tool of TOOLS) {
      const line = await attachAndStop(tool, sig, make);
      if (TRIES > 1) console.log(`try ${i}/${TRIES}: ${line}`);
    }
  }
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`-f -p on a pre-forking server, then ${sig}: no child killed, all untraced`, async () => {
    await tries(sig, preforkServer);
  });
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  Deno.test({
    name: `-f -p on php-fpm recycling workers under load, then ${sig}: none killed`,
    // Under CI, php-fpm must be there.
    ignore: !haveFpm && Deno.env.get("CI") !== "true",
    fn: async () => {
      await tries(sig, fpmServer);
    },
  });
}

Deno.test("a launched command that ignores SIGINT/SIGTERM: detached, untraced, exit 128+N", async () => {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    const out: Record<string, string> = {};
    for (const tool of TOOLS) {
      const t = tracer(tool, ["sh", "-c", 'echo $$; trap "" INT TERM; exec sleep 60']);
      await until(() => /^\d+\n/.test(t.out()), `${tool}: the command's pid`);
      const pid = Number(t.out().trim());
      try {
        await until(
          () => /clock_nanosleep\(/.test(t.err()),
          `${tool}: sleeping (${t.err().slice(-300)})`,
        );
        t.child.kill(sig);
        const st = await ended(t, `${tool} after ${sig}`);
        assertEquals(st.signal, sig, `${tool}: ${JSON.stringify(st)}`);
        assert(alive(pid), `${tool}: the command died`);
        assertEquals(tracerPid(pid), 0, `${tool}: the command is still traced`);
        killPid(pid);
        await drained(t);
        out[tool] = t.err().replace(/(?:\/usr\/bin\/)?(?:strace|sctrace): /g, "TRACER: ")
          .replace(new RegExp(`\\b${pid}\\b`, "g"), "PID").split("\n").slice(-3).join("\n");
      } finally {
        killPid(pid);
        await t.status;
        await drained(t);
      }
    }
    // The end of the trace: the open call, `Process N detached` and `<detached ...>`.
    assertMatch(out.strace, /TRACER: Process PID detached\n <detached \.\.\.>\n$/);
    assertEquals(out.sctrace, out.strace);
  }
});

Deno.test("-f PROG, then SIGTERM: PROG dies of it, its followed child is detached, untraced", async () => {
  const seen: Record<string, string[]> = {};
  for (const tool of TOOLS) {
    // The child prints its pid; the launched shell waits for it.
    const t = tracer(tool, ["-f", "sh", "-c", "sleep 60 & echo $!; wait"]);
    await until(() => /^\d+\n/.test(t.out()), `${tool}: the child's pid`);
    const kid = Number(t.out().trim());
    try {
      await until(() => /clock_nanosleep\(/.test(t.err()), `${tool}: sleeping`);
      t.child.kill("SIGTERM");
      const st = await ended(t, `${tool} after SIGTERM`);
      assertEquals(st.signal, "SIGTERM", `${tool}: ${JSON.stringify(st)}`);
      assert(alive(kid), `${tool}: the followed child died`);
      assertEquals(tracerPid(kid), 0, `${tool}: the followed child is still traced`);
      killPid(kid);
      await drained(t);
      // `Process N detached` for both: the shell (killed) and its child (left running).
      seen[tool] = [...t.err().matchAll(/Process (\d+) detached/g)].map((m) =>
        m[1] === String(kid) ? "child" : "other"
      ).sort();
    } finally {
      killPid(kid);
      await t.status;
      await drained(t);
    }
  }
  assertEquals(seen.strace, ["child", "other"]);
  assertEquals(seen.sctrace, seen.strace);
});

Deno.test("-f: a double-forked orphan is traced until it ends, as strace does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-lifetime-" });
  const exits: Record<string, number> = {};
  try {
    for (const tool of TOOLS) {
      const flag = `${dir}/${tool}.done`;
      // The middle process exits at once; the grandchild (reparented) goes on, then writes.
      const cmd = ["sh", "-c", `( (sleep 0.3; echo done > ${flag}) & ); exit 3`];
      const t = tracer(tool, ["-f", "-o", `${dir}/${tool}.trace`, ...cmd]);
      const st = await ended(t, tool);
      await drained(t);
      assertEquals(st.code, 3, `${tool}: ${t.err()}`);
      // The tracer ended only after the orphan did: its file is there, its exit is traced.
      assertEquals(Deno.readTextFileSync(flag), "done\n", tool);
      const trace = Deno.readTextFileSync(`${dir}/${tool}.trace`);
      exits[tool] = (trace.match(/\+\+\+ exited with/g) ?? []).length;
      // `-o FILE PROG` implies -q: no attach messages.
      assertEquals(t.err(), "", tool);
    }
    // Every process's exit is traced (sh, both subshells, sleep).
    assertEquals(exits.sctrace, exits.strace);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "-f nginx with `daemon on`: the daemon is traced and serves until it quits",
  ignore: Deno.env.get("CI") !== "true" && (() => {
    try {
      return !Deno.statSync("/usr/sbin/nginx").isFile;
    } catch {
      return true;
    }
  })(),
  fn: async () => {
    for (const tool of TOOLS) {
      const dir = await Deno.makeTempDir({ prefix: "sctrace-nginx-" });
      const port = freePort();
      Deno.writeTextFileSync(
        `${dir}/nginx.conf`,
        [
          "daemon on;",
          "master_process on;",
          "worker_processes 2;",
          `pid ${dir}/nginx.pid;`,
          `error_log ${dir}/error.log;`,
          "events { worker_connections 64; }",
          "http {",
          "  access_log off;",
          `  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }`,
          "}",
          "",
        ].join("\n"),
      );
      const t = tracer(tool, [
        "-f",
        "-o",
        `${dir}/trace`,
        "/usr/sbin/nginx",
        "-p",
        `${dir}/`,
        "-c",
        `${dir}/nginx.conf`,
      ]);
      let master = 0;
      try {
        await until(() => {
          try {
            master = Number(Deno.readTextFileSync(`${dir}/nginx.pid`).trim());
          } catch { /* not yet */ }
          return master > 0;
        }, `${tool}: nginx's pid file`);
        await until(async () => (await httpGet(port)) === "ok\n", `${tool}: nginx serving`);
        // The daemon (its launcher long gone) and its workers are still traced.
        const tpid = t.child.pid;
        assertEquals(tracerPid(master), tpid, `${tool}: the daemon is not traced`);
        await until(() => childrenOf(master).length === 2, `${tool}: two workers`);
        const workers = childrenOf(master);
        for (const w of workers) assertEquals(tracerPid(w), tpid, `${tool}: worker ${w}`);
        // A graceful stop ends the daemon, and then the trace, with the launcher's status.
        killPid(master, "SIGQUIT");
        const st = await ended(t, tool);
        assertEquals(st.code, 0, `${tool}: ${t.err()}`);
        const trace = Deno.readTextFileSync(`${dir}/trace`);
        assertMatch(trace, new RegExp(`^${master} +\\+\\+\\+ exited with 0 \\+\\+\\+$`, "m"));
      } finally {
        if (master) killPid(master);
        try {
          t.child.kill("SIGKILL");
        } catch { /* ended */ }
        await t.status;
        await Deno.remove(dir, { recursive: true });
      }
    }
  },
});

Deno.test("-p PID PROG: PID is traced after PROG ends; the exit status is PROG's", async () => {
  for (const tool of TOOLS) {
    const dir = await Deno.makeTempDir({ prefix: "sctrace-lifetime-" });
    // The attached process: waits for a file, then exits 0.
    const flag = `${dir}/go`;
    const target = start("sh", ["-c", `while [ ! -e ${flag} ]; do sleep 0.05; done; exit 0`]);
    const pid = target.child.pid;
    try {
      const t = tracer(tool, ["-p", String(pid), "sh", "-c", "exit 4"]);
      // PROG has ended; PID is still traced.
      await until(() => /\+\+\+ exited with 4 \+\+\+/.test(t.err()), `${tool}: PROG's exit`);
      await sleep(300);
      assertEquals(tracerPid(pid), t.child.pid, `${tool}: PID no longer traced`);
      Deno.writeTextFileSync(flag, "");
      const st = await ended(t, tool);
      await drained(t);
      assertEquals(st.code, 4, `${tool}: ${t.err().slice(-300)}`);
      // Its exit, the last line (no pid prefix: it is the only tracee left).
      assertMatch(t.err(), /\n\+\+\+ exited with 0 \+\+\+\n$/);
    } finally {
      killPid(pid);
      await target.status;
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("a read killed by SIGKILL: `read(3,  <unfinished ...>) = ?`, as strace prints", async () => {
  const prog = await fixture("killed_read");
  const [a, b] = await Promise.all([straceRun([prog]), sctraceRun([prog])]);
  const tail = (s: string) => s.trimEnd().split("\n").slice(-2).join("\n");
  assertEquals(
    tail(a.stderr),
    "read(3,  <unfinished ...>)              = ?\n+++ killed by SIGKILL +++",
  );
  assertEquals(tail(b.stderr), tail(a.stderr));
  assertEquals(b.signal, a.signal);
  // -qq hides exits, not deaths: strace still prints `+++ killed by SIGKILL +++`.
  const [c, d] = await Promise.all([straceRun(["-qq", prog]), sctraceRun(["-qq", prog])]);
  assertEquals(tail(c.stderr), tail(a.stderr));
  assertEquals(tail(d.stderr), tail(c.stderr));
});

Deno.test("a nested tracer: the child it kills is reported `+++ killed by SIGKILL +++`", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-lifetime-" });
  try {
    const cmd = (f: string) => ["-f", "-o", f, "strace", "-o", "/dev/null", "true"];
    const [a, b] = await Promise.all([
      straceRun(cmd(`${dir}/a`)),
      sctraceRun(cmd(`${dir}/b`)),
    ]);
    assertEquals(b.code, a.code);
    const ends = (f: string) =>
      Deno.readTextFileSync(f).split("\n").filter((l) => /\+\+\+ /.test(l))
        .map((l) => l.replace(/^\d+ +/, "")).sort();
    const want = ends(`${dir}/a`);
    assert(want.includes("+++ killed by SIGKILL +++"), want.join("\n"));
    assertEquals(ends(`${dir}/b`), want);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
