/**
 * The talk's second half, against real servers on loopback (`bash .ci/services start`): attach to
 * nginx's and php-fpm's workers while a client requests the WordPress-style page, read what went
 * over each socket, detach, and check the servers never noticed. Ports, sockets and pids come from
 * the servers' env.json. When the servers are not up, every test here is reported as ignored, with
 * a SKIPPED line saying why (under CI=true, each fails instead).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import {
  allAttached,
  Background,
  childPids,
  curl,
  nginxWorkers,
  normaliseServerTrace,
  perPidFiles,
  probeServers,
  procStatus,
  readPid,
  sctraceArgv,
  type ServersEnv,
  serversTest,
  sleep,
  syscallNames,
  TIMEOUT_5,
  traceWhileRequesting,
  wchan,
} from "./helpers/servers.ts";

/** Declares a test that needs the servers: ignored (CI: failed) with a SKIPPED line when down. */
const e2e = serversTest(await probeServers());

/** What timeout's exit status says about the tracer it ran. */
const TIMEOUT_CODES = "(124: ended on timeout's SIGTERM; 137: ignored it, was SIGKILLed)";

/** `-p P1 -p P2 ...` */
const dashP = (pids: number[]): string[] => pids.flatMap((p) => ["-p", String(p)]);

/** The file names in `dir`, sorted. */
async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** Checks that the servers still answer and that no process is left stopped or traced. */
async function assertUntouched(env: ServersEnv, pids: number[]): Promise<void> {
  for (const p of pids) {
    const st = await procStatus(p);
    assert(st.state !== "t" && st.state !== "T", `pid ${p} left in state ${st.state}`);
    assertEquals(st.tracerPid, 0, `pid ${p} still traced`);
  }
  for (let i = 0; i < 4; i++) {
    const r = await curl(env.url);
    assertEquals(r.status, 200, `request ${i} after the detach`);
    assert(r.body.includes(env.post_content));
  }
}

/** The per-process files of one run that saw the request. */
function handlers(files: Map<number, string | null>, marker: string): string[] {
  return [...files.values()].filter((t): t is string => t !== null && t.includes(marker));
}

// The talk: `timeout 5 sctrace -y -s128 -o /tmp/nginx -r -ff -p W1 -p W2`, then curl.
const NGINX_FLAGS = ["-y", "-s128", "-r", "-ff"];

e2e(
  "nginx: -y -s128 -r -ff -p per worker, under timeout 5, sees the request and detaches",
  async (env) => {
    const workers = await nginxWorkers(env);
    assert(workers.length >= 2, `nginx workers: ${workers}`);
    const dir = await Deno.makeTempDir({ prefix: "sctrace-e2e-" });
    const argv = [...TIMEOUT_5, ...sctraceArgv(), ...NGINX_FLAGS, "-o", `${dir}/nginx`];
    const r = await traceWhileRequesting({
      argv: [...argv, ...dashP(workers)],
      pids: workers,
      url: env.url,
      requests: 3,
      delayMs: 1500,
    });
    assert(r.attached, `not all attached: ${r.stderr}`);
    assertEquals(r.status.code, 124, `${TIMEOUT_CODES}: ${r.stderr}`);
    for (const resp of r.responses) {
      assertEquals(resp.status, 200);
      assert(resp.body.includes(env.post_content));
    }
    for (const p of workers) {
      assertMatch(r.stderr, new RegExp(`^sctrace: Process ${p} attached$`, "m"));
      assertMatch(r.stderr, new RegExp(`^sctrace: Process ${p} detached$`, "m"));
    }
    assertEquals(await names(dir), workers.map((p) => `nginx.${p}`).sort());
    const files = await perPidFiles(`${dir}/nginx`, workers);
    const all = [...files.values()].join("");
    for (const line of all.split("\n").filter((l) => l)) {
      assertMatch(line, /^ *\d+\.\d{6} ([a-z_0-9]+\(|--- |\+\+\+ )/, "a -r timestamp first");
    }
    // What nginx read from curl, decoded, on a socket -y names.
    assertMatch(
      all,
      /^ *\d+\.\d{6} (recvfrom|read)\(\d+<(socket:\[\d+\]|TCP:\[[^\]]*\])>, "GET \/wordpress\/ HTTP\/1\.1\\r\\nHost: 127\.0\.0\.1:\d+\\r\\nUser-Agent: curl\/[^"]*\\r\\nAccept: \*\/\*\\r\\n\\r\\n", 1024(, 0, NULL, NULL)?\) = \d+$/m,
    );
    assertMatch(all, /^ *\d+\.\d{6} epoll_wait\(\d+<anon_inode:\[eventpoll\]>, \[\{events=/m);
    assertMatch(
      all,
      /^ *\d+\.\d{6} accept4\(\d+<socket:\[\d+\]>, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, \[112 => 16\], SOCK_NONBLOCK\) = \d+<socket:\[\d+\]>$/m,
    );
    // nginx -> php-fpm: a non-blocking connect to 127.0.0.1:FPM_PORT.
    assertMatch(
      all,
      new RegExp(
        `^ *\\d+\\.\\d{6} connect\\(\\d+<socket:\\[\\d+\\]>, \\{sa_family=AF_INET, sin_port=htons\\(${env.fpm_port}\\), sin_addr=inet_addr\\("127\\.0\\.0\\.1"\\)\\}, 16\\) = -1 EINPROGRESS \\(Operation now in progress\\)$`,
        "m",
      ),
    );
    // The FastCGI request (BEGIN_REQUEST, role responder), and the response back to curl.
    assertMatch(all, /writev\(\d+<socket:\[\d+\]>, \[\{iov_base="\\1\\1\\0\\1\\0\\10\\0\\0\\0\\1/);
    assertMatch(
      all,
      /^ *\d+\.\d{6} (writev|sendfile|write)\(\d+<socket:\[\d+\]>, \[?\{?(iov_base=)?"HTTP\/1\.1 200 OK\\r\\nServer: nginx\\r\\n/m,
    );
    assertMatch(all, /write\(\d+<\/[^>]*nginx-access\.log>, "127\.0\.0\.1 - - \[/);
    // A worker still blocked in epoll_wait when detached.
    assertMatch(all, / epoll_wait\(\d+<anon_inode:\[eventpoll\]>, +<detached \.\.\.>$/m);
    await assertUntouched(env, workers);
    await Deno.remove(dir, { recursive: true });
  },
);

e2e(
  "php-fpm: -f -s 4096 -ff -p $(pgrep php-fpm) sees the MySQL query and the post",
  async (env) => {
    const master = await readPid(env.fpm_pid_file);
    const workers = await childPids(master);
    assertEquals(workers.length, 2, "pm=static, 2 children");
    const pids = [master, ...workers].sort((a, b) => a - b);
    const dir = await Deno.makeTempDir({ prefix: "sctrace-e2e-" });
    // The form users type: an unquoted $(pgrep ...) after -p, so the pids arrive as separate words
    // (`-p 1071 1104 1105`). [p] keeps pgrep from matching the shell that runs it.
    const pattern =
      `[p]hp-fpm: (master process \\(${env.run_dir}/php-fpm\\.conf\\)|pool ${env.fpm_pool}( |$))`;
    const cmd = [
      TIMEOUT_5.join(" "),
      ...sctraceArgv(),
      `-f -s 4096 -o ${dir}/php -ff -p $(pgrep -f '${pattern}')`,
    ].join(" ");
    const r = await traceWhileRequesting({
      argv: ["sh", "-c", cmd],
      pids,
      url: env.url,
      requests: 2,
      delayMs: 1500,
    });
    assert(r.attached, `not all attached: ${r.stderr}`);
    assertEquals(r.status.code, 124, `${TIMEOUT_CODES}: ${r.stderr}`);
    for (const resp of r.responses) assertEquals(resp.status, 200);
    const attached = [...r.stderr.matchAll(/^sctrace: Process (\d+) attached$/gm)].map((m) =>
      Number(m[1])
    );
    assertEquals(attached.sort((a, b) => a - b), pids, "exactly the master and its workers");
    for (const p of pids) {
      assertMatch(
        r.stderr,
        new RegExp(`^sctrace: Process ${p} detached$`, "m"),
      );
    }
    assertEquals(await names(dir), pids.map((p) => `php.${p}`).sort());
    const files = await perPidFiles(`${dir}/php`, pids);
    const all = [...files.values()].join("");
    const sock = env.mysql_socket.replaceAll(".", "\\.").replaceAll("/", "\\/");
    assertMatch(
      all,
      new RegExp(
        `^connect\\(\\d+, \\{sa_family=AF_UNIX, sun_path="${sock}"\\}, ${
          2 + env.mysql_socket.length
        }\\) += 0$`,
        "m",
      ),
    );
    // COM_QUERY: 3-byte length 66, sequence 0, command 3, then the query text.
    assertMatch(
      all,
      /^(sendto|write)\(\d+, "B\\0\\0\\0\\3SELECT ID, post_title, post_content FROM wp_posts WHERE ID IN \(4\)", 70(, MSG_DONTWAIT, NULL, 0)?\) = 70$/m,
    );
    assertMatch(all, /^(recvfrom|read)\(\d+, ".*Such hello, much world\. Wow\. Hello world\./m);
    assertMatch(
      all,
      /^(recvfrom|read)\(\d+, "6\\0\\0\\1\\377z\\4#42S02Table 'wordpress\.no_such_table' doesn't exist", 32768(, MSG_DONTWAIT, NULL, NULL)?\) = 58$/m,
    );
    // What php-fpm read from nginx: the FastCGI params, and the PHP file itself.
    assertMatch(all, /^read\(\d+, "[^"]*REQUEST_URI\/wordpress\/\\f/m);
    assertMatch(all, /^read\(\d+, "<\?php\\n/m);
    await assertUntouched(env, pids);
    await Deno.remove(dir, { recursive: true });
  },
);

/** Runs the same attach under strace and under sctrace, one request each. */
async function bothTracers(
  env: ServersEnv,
  pids: number[],
  flags: string[],
): Promise<Record<"strace" | "sctrace", { files: Map<number, string | null>; stderr: string }>> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-e2e-" });
  const out: Record<string, { files: Map<number, string | null>; stderr: string }> = {};
  const tracers: [string, string[]][] = [["strace", ["strace"]], ["sctrace", sctraceArgv()]];
  for (const [name, tracer] of tracers) {
    const r = await traceWhileRequesting({
      argv: [...TIMEOUT_5, ...tracer, ...flags, "-o", `${dir}/${name}`, ...dashP(pids)],
      pids,
      url: env.url,
      requests: 1,
      delayMs: 1500,
    });
    assert(r.attached, `${name}: ${r.stderr}`);
    assertEquals(r.status.code, 124, `${name} ${TIMEOUT_CODES}: ${r.stderr}`);
    assertEquals(r.responses[0].status, 200, name);
    out[name] = { files: await perPidFiles(`${dir}/${name}`, pids), stderr: r.stderr };
  }
  await Deno.remove(dir, { recursive: true });
  return out as Record<"strace" | "sctrace", { files: Map<number, string | null>; stderr: string }>;
}

/** Compares the syscall names (and, in the message, the lines) of the handlers of both runs. */
function assertSameShape(a: string[], b: string[], what: string): void {
  assert(a.length > 0 && b.length > 0, `${what}: no process saw the request`);
  const sorted = (ts: string[]) => [...new Set(ts.flatMap((t) => [...syscallNames(t)]))].sort();
  const la = new Set(a.flatMap(normaliseServerTrace));
  const lb = new Set(b.flatMap(normaliseServerTrace));
  const diff = [
    ...[...la].filter((l) => !lb.has(l)).map((l) => `strace:  ${l.slice(0, 300)}`),
    ...[...lb].filter((l) => !la.has(l)).map((l) => `sctrace: ${l.slice(0, 300)}`),
  ].join("\n");
  assertEquals(sorted(b), sorted(a), `${what}: syscall names differ; lines:\n${diff}`);
}

e2e(
  "nginx: the worker that served the request makes the same syscalls under strace and sctrace",
  async (env) => {
    const workers = await nginxWorkers(env);
    const r = await bothTracers(env, workers, NGINX_FLAGS);
    const a = handlers(r.strace.files, '"GET /wordpress/ HTTP/1.1\\r\\n');
    const b = handlers(r.sctrace.files, '"GET /wordpress/ HTTP/1.1\\r\\n');
    assertSameShape(a, b, "nginx");
    assert(b.some((t) => syscallNames(t).has("writev")), "the response goes out with writev");
    // Attach/detach messages: the same set of lines, tracer name aside.
    const msgs = (s: string) =>
      s.split("\n").filter((l) => / Process \d+ (attached|detached)$/.test(l))
        .map((l) => l.replace(/^(\S*\/)?s?c?trace: /, "")).sort();
    assertEquals(msgs(r.sctrace.stderr), msgs(r.strace.stderr));
    await assertUntouched(env, workers);
  },
);

e2e(
  "php-fpm: the worker that ran the page makes the same syscalls under strace and sctrace",
  async (env) => {
    const master = await readPid(env.fpm_pid_file);
    const pids = [master, ...await childPids(master)];
    const r = await bothTracers(env, pids, ["-f", "-s", "4096", "-ff"]);
    const a = handlers(r.strace.files, "SELECT ID, post_title");
    const b = handlers(r.sctrace.files, "SELECT ID, post_title");
    assertSameShape(a, b, "php-fpm");
    await assertUntouched(env, pids);
  },
);

e2e(
  "detach: SIGINT while a worker sleeps in epoll_wait leaves it running and serving",
  async (env) => {
    const workers = await nginxWorkers(env);
    // An idle worker: asleep in epoll_wait.
    let w = 0;
    for (const p of workers) if (await wchan(p) === "do_epoll_wait") w = p;
    assert(w, `no worker in epoll_wait: ${workers}`);
    const transcripts: Record<string, string> = {};
    const tracers: [string, string[]][] = [["strace", ["strace"]], ["sctrace", sctraceArgv()]];
    for (const [name, tracer] of tracers) {
      const bg = new Background(tracer[0], [...tracer.slice(1), "-p", String(w)]);
      assert(await bg.waitFor((s) => allAttached(s, [w]), 4000), `${name}: ${bg.stderr}`);
      // The worker is traced by the tracer itself, and sits in epoll_wait.
      await bg.waitFor((s) => s.includes("epoll_wait("), 1000);
      assertEquals((await procStatus(w)).tracerPid, bg.child.pid, name);
      bg.kill("SIGINT");
      await bg.status();
      transcripts[name] = bg.stderr.replace(/(\/\S*\/)?\bs?c?trace: (?=Process)/g, "TRACER: ");
      const st = await procStatus(w);
      assert(st.state !== "t" && st.state !== "T", `${name}: left in state ${st.state}`);
      assertEquals(st.tracerPid, 0, name);
    }
    assertMatch(
      transcripts.sctrace,
      new RegExp(
        `^TRACER: Process ${w} attached\\nepoll_wait\\(\\d+, TRACER: Process ${w} detached\\n <detached \\.\\.\\.>\\n$`,
      ),
    );
    assertEquals(transcripts.sctrace, transcripts.strace);
    await sleep(100);
    await assertUntouched(env, workers);
    assertEquals(await wchan(w), "do_epoll_wait", "back asleep in epoll_wait");
  },
);

e2e(
  "after a SIGTERM/SIGINT/SIGHUP detach, the tracer dies of that signal, as strace does",
  async (env) => {
    // strace's terminate(): detach everything, then re-raise the signal (shell: $? = 128+N).
    const [w] = await nginxWorkers(env);
    const tracers: [string, string[]][] = [["strace", ["strace"]], ["sctrace", sctraceArgv()]];
    for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
      const got: Record<string, string> = {};
      for (const [name, tracer] of tracers) {
        const bg = new Background(tracer[0], [...tracer.slice(1), "-o", "/dev/null", "-p", `${w}`]);
        assert(await bg.waitFor((s) => allAttached(s, [w]), 4000), `${name}: ${bg.stderr}`);
        await sleep(200);
        bg.kill(sig);
        const st = await bg.statusWithin(5000);
        assert(st, `${name} did not exit on ${sig}`);
        got[name] = `code ${st.code} signal ${st.signal}`;
      }
      assertEquals(
        got.strace,
        `code ${128 + { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 }[sig]} signal ${sig}`,
      );
      assertEquals(got.sctrace, got.strace, sig);
    }
    await assertUntouched(env, [w]);
  },
);

e2e(
  "one pid that cannot be attached (already traced) does not stop the others",
  async (env) => {
    // strace prints `attach: ptrace(PTRACE_SEIZE, M): Operation not permitted` and goes on.
    const master = await readPid(env.fpm_pid_file);
    const workers = await childPids(master);
    const holder = new Background("strace", ["-o", "/dev/null", "-p", `${master}`]);
    try {
      assert(await holder.waitFor((s) => allAttached(s, [master]), 4000), holder.stderr);
      const out: Record<string, string> = {};
      const tracers: [string, string[]][] = [["strace", ["strace"]], ["sctrace", sctraceArgv()]];
      for (const [name, tracer] of tracers) {
        const bg = new Background(tracer[0], [
          ...tracer.slice(1),
          "-o",
          "/dev/null",
          ...dashP([master, ...workers]),
        ]);
        await bg.waitFor((s) => allAttached(s, workers), 4000);
        await sleep(200);
        bg.kill("SIGTERM");
        assert(await bg.statusWithin(5000), `${name} did not exit on SIGTERM`);
        out[name] = bg.stderr.replace(/(\/\S*\/)?\bs?c?trace: /g, "TRACER: ");
      }
      assertMatch(
        out.strace,
        new RegExp(
          `^TRACER: attach: ptrace\\(PTRACE_SEIZE, ${master}\\): Operation not permitted$`,
          "m",
        ),
      );
      const sorted = (t: string) => t.split("\n").sort();
      assertEquals(sorted(out.sctrace), sorted(out.strace));
    } finally {
      holder.kill("SIGINT");
      await holder.statusWithin(5000);
    }
    await assertUntouched(env, [master, ...workers]);
  },
);
