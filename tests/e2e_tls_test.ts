/**
 * TLS plaintext (`--proto`, core/trace/tls) against real OpenSSL programs on loopback: a private
 * nginx with a self-signed certificate (started and stopped here, never the shared e2e servers),
 * curl, and a multithreaded OpenSSL client. Each test also checks that nothing is left behind:
 * no tracer, no stray SIGTRAP, the hooked functions' bytes in memory equal to the library file's.
 */
import { withoutEnds } from "./helpers/proto_lines.ts";
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { Background, childPids, sctraceArgv, sleep } from "./helpers/servers.ts";
import { curlK, haveTlsTools, startTlsNginx, type TlsNginx } from "./helpers/tls_nginx.ts";
import { scanProcess } from "../core/trace/tls/libs.ts";
import { ROOT } from "./helpers/diff.ts";

const ok = haveTlsTools();

/** Whether a file exists. */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
if (!ok) console.log("SKIPPED e2e_tls_test: nginx or openssl missing");

/** A test with a private HTTPS nginx, stopped whatever happens. */
function tlsTest(name: string, fn: (n: TlsNginx) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !ok,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const n = await startTlsNginx();
      try {
        await fn(n);
      } finally {
        await n.stop();
      }
    },
  });
}

/** `sctrace ARGS` in the background, waiting until every pid of `pids` is attached. */
async function attach(args: string[], pids: number[]): Promise<Background> {
  const tr = new Background(sctraceArgv()[0], [
    ...sctraceArgv().slice(1),
    ...args,
    ...pids.flatMap((p) => ["-p", String(p)]),
  ]);
  if (await tr.waitFor((s) => pids.every((p) => s.includes(`Process ${p} attached`)), 20000)) {
    // The breakpoints go in at the first syscall each worker makes: let them take one.
    await sleep(300);
    return tr;
  }
  tr.kill("SIGINT");
  await tr.statusWithin(10000);
  throw new Error(`sctrace did not attach: ${tr.stderr}`);
}

/** What is left of a tracee: its tracer, and whether each hooked function's bytes are the file's. */
function leftBehind(pid: number): string[] {
  const bad: string[] = [];
  const st = Deno.readTextFileSync(`/proc/${pid}/status`);
  const tracer = /TracerPid:\s*(\d+)/.exec(st)?.[1];
  if (tracer !== "0") bad.push(`pid ${pid} traced by ${tracer}`);
  if (/\nState:\s*[tT]/.test(st)) bad.push(`pid ${pid} stopped`);
  const scan = scanProcess(pid);
  assert(scan?.openssl, `pid ${pid} has no libssl mapped`);
  assertEquals(scan.sites.length, 4, `SSL_read/_ex, SSL_write/_ex in ${scan.openssl}`);
  const mem = Deno.openSync(`/proc/${pid}/mem`, { read: true });
  try {
    for (const s of scan.sites) {
      const b = new Uint8Array(16);
      mem.seekSync(s.addr, Deno.SeekMode.Start);
      mem.readSync(b);
      if (b.some((x, i) => x !== s.fileBytes[i])) {
        bad.push(`pid ${pid} ${s.fn}: ${[...b.slice(0, 4)]} != ${[...s.fileBytes.slice(0, 4)]}`);
      }
    }
  } finally {
    mem.close();
  }
  return bad;
}

/** nginx's own word for a worker that died. */
async function crashes(n: TlsNginx): Promise<string[]> {
  const log = await Deno.readTextFile(`${n.dir}/error.log`).catch(() => "");
  return log.split("\n").filter((l) => /exited on signal|worker process \d+ exited/.test(l));
}

/** The tls-marked protocol lines. */
function tlsLines(text: string): string[] {
  return text.split("\n").filter((l) => /\[http fd=\d+ (in|out) tls\]/.test(l));
}

tlsTest("-p on nginx workers: HTTPS GET and POST decoded, 200 requests after detach", async (n) => {
  const tr = await attach(["--proto", "-e", "trace=none"], n.workers);
  assertEquals(await curlK([`${n.base}/hello?x=1`]), "hello tls\n");
  assertEquals(await curlK(["-d", "a=1&b=2", `${n.base}/post`]), "posted\n");
  const done = await tr.waitFor((s) => /in tls\] POST \/post/.test(s) && /posted/.test(s), 20000);
  tr.kill("SIGTERM");
  await tr.statusWithin(20000);
  assert(done, tr.stderr);
  const lines = tlsLines(tr.stderr);
  const has = (re: RegExp) => assert(lines.some((l) => re.test(l)), `${re}:\n${tr.stderr}`);
  has(/\[http fd=\d+ in tls\] GET \/hello\?x=1 HTTP\/1\.1 \| Host: 127\.0\.0\.1:\d+ \| /);
  has(/\[http fd=\d+ out tls\] HTTP\/1\.1 200 OK \|.* body=10 bytes "hello tls\\n"/);
  has(
    /\[http fd=\d+ in tls\] POST \/post HTTP\/1\.1 \|.*Content-Length: 7 .*body=7 bytes "a=1&b=2"/,
  );
  has(/\[http fd=\d+ out tls\] HTTP\/1\.1 200 OK \|.* body=7 bytes "posted\\n"/);
  // The fd of the tls lines is the socket the request came on (the one accept4 returned).
  for (const w of n.workers) assertEquals(leftBehind(w), []);
  const codes = await curlK([
    "--parallel",
    "--parallel-max",
    "10",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}\\n",
    ...Array.from({ length: 200 }, (_, i) => `${n.base}/after${i}`),
  ]);
  assertEquals(codes.split("\n").filter((c) => c === "200").length, 200, codes);
  assertEquals(await crashes(n), []);
});

tlsTest("curl launched under sctrace: its HTTPS request and the response decoded", async (n) => {
  const run = async (extra: string[]) => {
    const r = await new Deno.Command(sctraceArgv()[0], {
      args: [
        ...sctraceArgv().slice(1),
        "--proto",
        ...extra,
        "-e",
        "trace=none",
        "curl",
        "-sk",
        n.base,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: r.code,
      out: new TextDecoder().decode(r.stdout),
      err: new TextDecoder().decode(r.stderr),
    };
  };
  const r = await run([]);
  assertEquals(r.code, 0, r.err);
  assertEquals(r.out, "hello tls\n");
  const lines = tlsLines(r.err);
  assertMatch(
    lines.join("\n"),
    /\[http fd=\d+ out tls\] GET \/ HTTP\/1\.1 \| Host: 127\.0\.0\.1:\d+ \| User-Agent: curl/,
  );
  assertMatch(
    lines.join("\n"),
    /\[http fd=\d+ in tls\] HTTP\/1\.1 200 OK \|.* body=10 bytes "hello tls\\n"/,
  );
  // The plaintext stream and the socket's stream are the same descriptor.
  const fd = /fd=(\d+) out tls/.exec(lines[0])![1];
  assert(lines.every((l) => l.includes(`fd=${fd} `)), lines.join("\n"));
  // --seccomp-bpf: only the filtered calls stop; libssl is still found when mapped.
  const sec = await run(["-f", "--seccomp-bpf"]);
  assertEquals(sec.code, 0, sec.err);
  assertMatch(sec.err, /\[http fd=\d+ out tls\] GET \/ HTTP\/1\.1 \| Host: 127\.0\.0\.1:\d+ \|/);
  // --no-tls: no breakpoints, nothing decoded inside TLS.
  const off = await run(["--no-tls"]);
  assertEquals(off.code, 0, off.err);
  assertEquals(off.out, "hello tls\n");
  assertEquals(tlsLines(off.err), []);
});

tlsTest("stress: 2,000 HTTPS requests, 20 at a time, SIGINT mid-load: nothing fails", async (n) => {
  const tr = await attach(["--proto", "-e", "trace=none"], n.workers);
  const cfg = `${n.dir}/urls.cfg`;
  await Deno.writeTextFile(
    cfg,
    Array.from({ length: 2000 }, (_, i) => `url = "${n.base}/s${i}"\noutput = "/dev/null"\n`)
      .join(""),
  );
  const load = curlK(["--parallel", "--parallel-max", "20", "-K", cfg, "-w", "%{http_code}\\n"]);
  // Mid-load: once a few hundred responses went through the breakpoints.
  const mid = await tr.waitFor(
    (s) => (s.match(/out tls\] HTTP\/1\.1 200/g) ?? []).length >= 300,
    60000,
  );
  tr.kill("SIGINT");
  const st = await tr.statusWithin(30000);
  const codes = (await load).split("\n").filter((c) => c);
  assert(mid, `the load did not get going:\n${tr.stderr.slice(-2000)}`);
  assert(st !== null, "sctrace hung");
  assert(/Process \d+ detached/.test(tr.stderr), tr.stderr.slice(-2000));
  assertEquals(codes.length, 2000);
  assertEquals(codes.filter((c) => c !== "200"), []);
  for (const w of n.workers) assertEquals(leftBehind(w), []);
  assertEquals(await crashes(n), []);
  // Still serving, with the same workers.
  assertEquals(await curlK([n.base]), "hello tls\n");
  const now = (await Deno.readTextFile(`/proc/${n.workers[0]}/status`)).length > 0;
  assert(now);
});

/** Builds the multithreaded OpenSSL client, or undefined when libssl-dev is missing. */
async function tlsClient(): Promise<string | undefined> {
  try {
    Deno.statSync("/usr/include/openssl/ssl.h");
  } catch {
    return undefined;
  }
  const out = `${ROOT}tests/fixtures/bin/tls_threads`;
  await Deno.mkdir(`${ROOT}tests/fixtures/bin`, { recursive: true });
  const r = await new Deno.Command("gcc", {
    args: [
      "-O1",
      "-Wall",
      "-pthread",
      "-o",
      out,
      `${ROOT}tests/fixtures/tls_threads.c`,
      "-lssl",
      "-lcrypto",
    ],
    stderr: "piped",
  }).output();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  return out;
}

tlsTest("-f on a client with 8 threads making HTTPS requests: every request decoded", async (n) => {
  const bin = await tlsClient();
  if (!bin) {
    console.log("SKIPPED: libssl-dev missing");
    return;
  }
  const r = await new Deno.Command(sctraceArgv()[0], {
    args: [
      ...sctraceArgv().slice(1),
      "-f",
      "--proto",
      "-e",
      "trace=none",
      bin,
      String(n.port),
      "8",
      "5",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  const err = new TextDecoder().decode(r.stderr);
  assertEquals(out, "40 of 40 requests answered 200\n", err.slice(-3000));
  assertEquals(r.code, 0);
  const lines = tlsLines(err);
  for (let t = 0; t < 8; t++) {
    for (let k = 0; k < 5; k++) {
      assert(
        lines.some((l) =>
          new RegExp(`out tls\\] GET /t${t}/${k} HTTP/1\\.1 \\| Host: 127`).test(l)
        ),
        `request /t${t}/${k} not decoded:\n${err.slice(-3000)}`,
      );
    }
  }
  assertEquals(
    lines.filter((l) => / in tls\] HTTP\/1\.1 200 OK/.test(l)).length,
    40,
    err.slice(-3000),
  );
  assert(!/SIGTRAP|killed by/.test(err), err.slice(-3000));
  // Without -f the threads are not traced: the breakpoints come out when the first one starts,
  // one line says so, and every request still succeeds.
  const nof = await sctraceRun(["--proto", "-e", "trace=none", bin, String(n.port), "4", "3"]);
  assertEquals(nof.out, "12 of 12 requests answered 200\n", nof.err);
  assertEquals(nof.code, 0);
  assertEquals(
    nof.err.replace(/process \d+/, "process N"),
    "sctrace: TLS traffic of process N cannot be decoded: it started a thread (trace all threads " +
      "with -f)\n+++ exited with 0 +++\n",
  );
});

Deno.test({
  name: "a TLS library we do not hook (wget's GnuTLS): one line says so",
  ignore: !ok || !exists("/usr/bin/wget"),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const n = await startTlsNginx(1);
    try {
      const r = await new Deno.Command(sctraceArgv()[0], {
        args: [
          ...sctraceArgv().slice(1),
          "--proto",
          "-e",
          "trace=none",
          "wget",
          "-q",
          "-O",
          "/dev/null",
          "--no-check-certificate",
          n.base,
        ],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(r.stderr);
      assertEquals(r.code, 0, err);
      const said = err.split("\n").filter((l) => /cannot be decoded/.test(l));
      assertEquals(said.length, 1, err);
      assertMatch(
        said[0],
        /^sctrace: TLS traffic of process \d+ cannot be decoded: GnuTLS is not supported$/,
      );
      assertEquals(tlsLines(err), []);
    } finally {
      await n.stop();
    }
  },
});

/** Runs `sctrace ARGS` to the end; returns its exit code, stdout and stderr. */
async function sctraceRun(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(sctraceArgv()[0], {
    args: [...sctraceArgv().slice(1), ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

tlsTest(
  "libssl mapped late: by dlopen, after an exec, and by curls a shell execs under -f",
  async (n) => {
    const bin = `${ROOT}tests/fixtures/bin/tls_dlopen`;
    await Deno.mkdir(`${ROOT}tests/fixtures/bin`, { recursive: true });
    const cc = await new Deno.Command("gcc", {
      args: ["-O1", "-Wall", "-o", bin, `${ROOT}tests/fixtures/tls_dlopen.c`, "-ldl"],
      stderr: "piped",
    }).output();
    assert(cc.success, new TextDecoder().decode(cc.stderr));
    const d = await sctraceRun(["--proto", "-e", "trace=none", bin, String(n.port)]);
    assertEquals(d.code, 0, d.err);
    assertMatch(d.err, /\[http fd=\d+ out tls\] GET \/dlopen HTTP\/1\.1 \| Host: 127\.0\.0\.1/);
    assertMatch(d.err, /\[http fd=\d+ in tls\] HTTP\/1\.1 200 OK \|/);
    // The program's own SIGTRAPs (raise, int3) while our breakpoints are in: delivered, as strace.
    const trap = await sctraceRun(["--proto", "-e", "trace=none", bin, String(n.port), "trap"]);
    assertEquals(trap.code, 0, trap.err);
    assertMatch(trap.err, /\[http fd=\d+ in tls\] HTTP\/1\.1 200 OK \|/);
    const ref = await new Deno.Command("strace", {
      args: ["-e", "trace=none", bin, String(n.port), "trap"],
      stderr: "piped",
    }).output();
    const sigs = (t: string) =>
      t.split("\n").filter((l) => l.startsWith("--- SIG")).map((l) =>
        l.replace(/si_pid=\d+/, "si_pid=P")
      );
    assertEquals(sigs(trap.err), sigs(new TextDecoder().decode(ref.stderr)));
    assertEquals(sigs(trap.err).length, 2);
    // A hooked process that execs: the new image's libssl is hooked afresh.
    const ex = await sctraceRun([
      "--proto",
      "-e",
      "trace=none",
      bin,
      String(n.port),
      "exec",
      `${n.base}/after-exec`,
    ]);
    assertEquals(ex.code, 0, ex.err);
    assertEquals(ex.out, "hello tls\n");
    assertMatch(ex.err, /\[http fd=\d+ out tls\] GET \/dlopen HTTP/);
    assertMatch(ex.err, /\[http fd=\d+ out tls\] GET \/after-exec HTTP/);
    const sh = await sctraceRun([
      "-f",
      "--proto",
      "-e",
      "trace=none",
      "sh",
      "-c",
      `curl -sk ${n.base}/one; curl -sk ${n.base}/two`,
    ]);
    assertEquals(sh.code, 0, sh.err);
    assertEquals(sh.out, "hello tls\nhello tls\n");
    for (const p of ["one", "two"]) {
      assertMatch(
        sh.err,
        new RegExp(`\\[pid +\\d+\\] \\[http fd=\\d+ out tls\\] GET /${p} HTTP/1\\.1`),
      );
    }
    assertEquals(tlsLines(sh.err).filter((l) => /in tls\] HTTP\/1\.1 200 OK/.test(l)).length, 2);
  },
);

/** Reloads nginx (SIGHUP) and waits for a new set of workers; returns their pids. */
async function reload(n: TlsNginx): Promise<number[]> {
  const old = new Set(n.workers);
  Deno.kill(n.master, "SIGHUP");
  for (let i = 0; i < 400; i++) {
    const now = await childPidsOf(n.master);
    const fresh = now.filter((p) => !old.has(p));
    if (fresh.length === n.workers.length && now.length === fresh.length) return fresh;
    await sleep(25);
  }
  throw new Error("nginx did not reload");
}

function childPidsOf(pid: number): Promise<number[]> {
  return childPids(pid);
}

tlsTest(
  "-p on the master without -f: reloaded workers are cleaned of inherited breakpoints",
  async (n) => {
    const tr = await attach(["--proto", "-e", "trace=none"], [n.master]);
    const fresh = await reload(n);
    // The new workers were forked with our int3s in their copy of libssl: they must serve.
    const codes = await curlK([
      "--parallel",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}\\n",
      ...Array.from({ length: 20 }, (_, i) => `${n.base}/w${i}`),
    ]);
    tr.kill("SIGHUP");
    assert(await tr.statusWithin(20000) !== null, "sctrace hung");
    assertEquals(codes.split("\n").filter((c) => c === "200").length, 20, codes + tr.stderr);
    for (const p of [n.master, ...fresh]) assertEquals(leftBehind(p), []);
    assertEquals(await crashes(n), []);
    // Not followed: only the master is reported.
    for (const p of fresh) assert(!tr.stderr.includes(`Process ${p} attached`), tr.stderr);
  },
);

tlsTest("-f -p on the master: reloaded workers are followed and their HTTPS decoded", async (n) => {
  const tr = await attach(["-f", "--proto", "-e", "trace=none"], [n.master]);
  const fresh = await reload(n);
  for (let i = 0; i < 5; i++) assertEquals(await curlK([`${n.base}/r${i}`]), "hello tls\n");
  const seen = await tr.waitFor((s) => (s.match(/in tls\] GET \/r\d/g) ?? []).length === 5, 20000);
  tr.kill("SIGINT");
  assert(await tr.statusWithin(20000) !== null, "sctrace hung");
  assert(seen, tr.stderr);
  assert(fresh.some((p) => tr.stderr.includes(`Process ${p} attached`)), tr.stderr);
  for (const p of [n.master, ...fresh]) assertEquals(leftBehind(p), []);
  assertEquals(await crashes(n), []);
  assertEquals(await curlK([n.base]), "hello tls\n");
});

Deno.test({
  name: "functions starting with an instruction we do not emulate: restore, single-step, re-insert",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "sctrace-fakessl-" });
    try {
      const cc = async (args: string[]) => {
        const r = await new Deno.Command("gcc", { args, stderr: "piped" }).output();
        assert(r.success, new TextDecoder().decode(r.stderr));
      };
      const fx = `${ROOT}tests/fixtures`;
      await cc([
        ...["-O2", "-fPIC", "-shared", "-Wl,-soname,libssl.so.3", "-o", `${dir}/libssl.so.3`],
        `${fx}/tls_fake_ssl.c`,
      ]);
      await cc([
        ...["-O1", "-Wall", "-o", `${dir}/client`, `${fx}/tls_fake_client.c`],
        ...[`${dir}/libssl.so.3`, `-Wl,-rpath,${dir}`],
      ]);
      const r = await sctraceRun(["--proto", "-e", "trace=none", `${dir}/client`, "3"]);
      assertEquals(r.out, "6 of 6 passed, 3 signals\n", r.err);
      assertEquals(r.code, 0);
      // Compared without the endpoints every protocol line ends with (unix socket inodes vary).
      const tls = r.err.split("\n").filter((l) => / tls\] /.test(l)).map(withoutEnds);
      const want: string[] = [];
      for (let i = 0; i < 3; i++) {
        want.push(
          `[http fd=3 out tls] GET /fake/${i} HTTP/1.1 | Host: x`,
          `[http fd=4 in tls] GET /fake/${i} HTTP/1.1 | Host: x`,
          `[http fd=4 out tls] HTTP/1.1 200 OK | Content-Length: 2 | body=2 bytes "ok"`,
          `[http fd=3 in tls] HTTP/1.1 200 OK | Content-Length: 2 | body=2 bytes "ok"`,
        );
      }
      assertEquals(tls, want);
      assertEquals(r.err.split("\n").filter((l) => l.startsWith("--- SIGUSR1")).length, 3);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
