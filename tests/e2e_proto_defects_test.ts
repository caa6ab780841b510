/**
 * End-to-end tests of the protocol views' defects (issue 11), on the real servers of
 * `.ci/services start` (ports and sockets from env.json) and real clients (`mariadb`, `curl`):
 * long result sets, `sendfile` on a keep-alive connection, `--seccomp-bpf --proto`, attaching to a
 * connection already open, a bad `--proto`, `-c --proto`, slowest-request naming with both ends
 * traced, hostile bytes, a throwing plugin. After each test that traces a server, the servers
 * keep serving (TracerPid 0, the page answers).
 */
import { freePort, nginxConf } from "./helpers/own_nginx.ts";
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { assertServersServe } from "./helpers/serving.ts";
import { ROOT } from "./helpers/diff.ts";
import {
  attachSctrace,
  Background,
  childPids,
  curl,
  nginxWorkers,
  probeServers,
  readPid,
  sctraceArgv,
  type ServersEnv,
  serversTest,
  sleep,
  traceToText,
} from "./helpers/servers.ts";

import { withoutEnds } from "./helpers/proto_lines.ts";

const e2e = serversTest(await probeServers());
const dec = new TextDecoder();

/** The protocol lines of a trace, without their endpoints (` (client A -> B)`). */
function protoLines(text: string): string[] {
  return text.split("\n").filter((l) =>
    /^(\[pid +\d+\] |\d+ +)?\[[a-z]+ fd=\d+( (in|out))?\]/.test(l)
  ).map(withoutEnds);
}

/** The MariaDB account the page uses, from tests/e2e/init.sql. */
async function dbAccount(): Promise<{ user: string; password: string; db: string }> {
  const sql = await Deno.readTextFile(`${ROOT}tests/e2e/init.sql`);
  const m = /CREATE USER IF NOT EXISTS '([^']+)'@'localhost' IDENTIFIED BY '([^']+)'/.exec(sql);
  if (!m) throw new Error("no account in init.sql");
  return { user: m[1], password: m[2], db: "wordpress" };
}

/** `mariadb` client arguments for the servers' socket. */
async function mariadbArgs(env: ServersEnv): Promise<string[]> {
  const a = await dbAccount();
  return [
    "mariadb",
    "--no-defaults",
    "-S",
    env.mysql_socket,
    `-u${a.user}`,
    `-p${a.password}`,
    a.db,
    "-N",
  ];
}

/** Runs a command to its end; stdout, stderr, exit code. */
async function run(
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

e2e(
  "mysql: 3001 and 100000 rows counted exactly; the tracer's memory stays bounded",
  async (env) => {
    const dir = await Deno.makeTempDir();
    const rss: number[] = [];
    for (const n of [3001, 100000]) {
      const r = await run([
        "/usr/bin/time",
        "-f",
        "maxrss=%M",
        ...sctraceArgv(),
        "--proto=mysql",
        "-e",
        "trace=none",
        "-o",
        `${dir}/m${n}`,
        ...await mariadbArgs(env),
        "-e",
        `SELECT seq FROM seq_1_to_${n}`,
      ]);
      assertEquals(r.code, 0, r.stderr);
      // The client got them all; the sniffer counted them all.
      assertEquals(r.stdout.split("\n").filter((l) => l).length, n);
      const lines = protoLines(await Deno.readTextFile(`${dir}/m${n}`));
      assert(
        lines.some((l) => l.endsWith(`COM_QUERY SELECT seq FROM seq_1_to_${n}`)),
        lines.join("\n"),
      );
      assert(
        lines.some((l) => l.endsWith(`RESULTSET columns=seq rows=${n} first=[(1)]`)),
        lines.join("\n"),
      );
      rss.push(Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]));
    }
    // Counts and the first row are kept, not the rows: 33 times the rows, about the same memory.
    assert(rss[1] < rss[0] + 32 * 1024, `tracer max RSS ${rss[0]} kB -> ${rss[1]} kB`);
    await Deno.remove(dir, { recursive: true });
    await assertServersServe(env);
  },
);

e2e(
  "--proto=gopher: one line naming the known protocols (plugins too), exit status 1",
  async () => {
    const r = await run([...sctraceArgv(), "--proto=gopher", "true"]);
    assertEquals(r.code, 1);
    assertEquals(
      r.stderr,
      "sctrace: invalid protocol 'gopher' (known: fastcgi, http, mysql, postgres, redis)\n",
    );
    assertEquals(r.stdout, "");
    const p = await run([
      ...sctraceArgv(),
      "--plugin",
      "./plugins/redis_plugin.ts",
      "--proto=http,gopher",
      "true",
    ]);
    assertEquals(p.code, 1);
    assertEquals(
      p.stderr,
      "sctrace: invalid protocol 'gopher' (known: fastcgi, http, mysql, postgres, redis)\n",
    );
    // A known plugin protocol is fine.
    const ok = await run([
      ...sctraceArgv(),
      "--plugin",
      "./plugins/redis_plugin.ts",
      "--proto=redis",
      "-e",
      "trace=none",
      "true",
    ]);
    assertEquals(ok.code, 0, ok.stderr);
  },
);

e2e("-c --proto: only the summaries, no protocol lines", async (env) => {
  const dir = await Deno.makeTempDir();
  const r = await run([
    ...sctraceArgv(),
    "-c",
    "--proto",
    "-o",
    `${dir}/c`,
    ...await mariadbArgs(env),
    "-e",
    "SELECT 1; SELECT * FROM no_such_table",
  ]);
  assertEquals(r.code, 1, r.stderr); // the failing query
  const text = await Deno.readTextFile(`${dir}/c`);
  assertEquals(protoLines(text), [], text);
  assertMatch(text, /% time +seconds +usecs\/call +calls +errors +syscall\n/);
  assertMatch(text, /\nmysql +\d+ +1 +\d+ /);
  assertMatch(
    text,
    /\nslowest mysql [\d.]+ ms: COM_QUERY SELECT \* FROM no_such_table -> ERR 1146\n/,
  );
  await Deno.remove(dir, { recursive: true });
});

e2e("--seccomp-bpf --proto: messages are printed, syscalls still follow -e trace=", async (env) => {
  const dir = await Deno.makeTempDir();
  const r = await run([
    ...sctraceArgv(),
    "-f",
    "--seccomp-bpf",
    "-e",
    "trace=connect",
    "--proto=mysql",
    "-o",
    `${dir}/s`,
    ...await mariadbArgs(env),
    "-e",
    "SELECT 42",
  ]);
  assertEquals(r.code, 0, r.stderr);
  const text = await Deno.readTextFile(`${dir}/s`);
  const lines = protoLines(text);
  assert(lines.some((l) => /\[mysql fd=\d+ in\] HANDSHAKE /.test(l)), text);
  assert(lines.some((l) => l.endsWith("COM_QUERY SELECT 42")), text);
  assert(lines.some((l) => l.endsWith("RESULTSET columns=42 rows=1 first=[(42)]")), text);
  // Only connect is printed among the syscalls.
  const calls = text.split("\n").map((l) => l.replace(/^\d+ +/, "")).filter((l) =>
    /^[a-z_0-9]+\(/.test(l)
  ).map((l) => l.split("(")[0]);
  assert(calls.length > 0 && calls.every((c) => c === "connect"), calls.join(","));
  await Deno.remove(dir, { recursive: true });
});

e2e("sendfile: a static file then a PHP page on one keep-alive connection", async (env) => {
  const dir = await Deno.makeTempDir();
  await Deno.chmod(dir, 0o755);
  await Deno.mkdir(`${dir}/static`);
  const body = "0123456789abcdef".repeat(8192); // 128 KiB
  await Deno.writeTextFile(`${dir}/static/a.txt`, body);
  // A free port for our own nginx: one process (no master), sendfile on, PHP to the running fpm.
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    nginxConf(
      dir,
      16,
      `  types { text/plain txt; }
  sendfile on;
  keepalive_timeout 5;
  server {
    listen 127.0.0.1:${port};
    root ${env.run_dir}/www;
    location = /a.txt { root ${dir}/static; }
    location ~ \\.php$ {
      fastcgi_pass 127.0.0.1:${env.fpm_port};
      include ${env.run_dir}/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    }
    index index.php;
  }
`,
    ),
  );
  const nginx = new Background("nginx", ["-p", dir, "-c", `${dir}/nginx.conf`]);
  try {
    let up = false;
    for (let i = 0; i < 100 && !up; i++) {
      up = (await curl(`http://127.0.0.1:${port}/a.txt`)).status === 200;
      if (!up) await sleep(50);
    }
    assert(up, `own nginx did not start: ${nginx.stderr}`);
    const pid = nginx.child.pid;
    const tr = await attachSctrace(["--proto=http", "-e", "trace=sendfile", "-o", `${dir}/trace`], [
      pid,
    ]);
    const base = `http://127.0.0.1:${port}`;
    const c = await run([
      "curl",
      "-sS",
      "--max-time",
      "5",
      "-o",
      "/dev/null",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{num_connects}\n",
      `${base}/a.txt`,
      `${base}/wordpress/`,
    ]);
    assertEquals(c.stdout, "200 1\n200 0\n", c.stderr); // two answers, one connection
    tr.kill("SIGINT");
    assert(await tr.statusWithin(10000), "tracer did not end");
    const text = await Deno.readTextFile(`${dir}/trace`);
    assertMatch(text, new RegExp(`sendfile\\(\\d+, \\d+, \\[0\\] => \\[${body.length}\\]`));
    const lines = protoLines(text);
    const fds = new Set(lines.map((l) => /fd=(\d+)/.exec(l)![1]));
    assertEquals(fds.size, 1, lines.join("\n")); // one connection
    const kinds = lines.map((l) => l.replace(/^\[http fd=\d+ /, "["));
    assertEquals(kinds.length, 4, lines.join("\n"));
    assertMatch(kinds[0], /^\[in\] GET \/a\.txt HTTP\/1\.1 \| /);
    assertMatch(
      kinds[1],
      new RegExp(
        `^\\[out\\] HTTP/1\\.1 200 OK \\| .* \\| body=${body.length} bytes from file ${dir}/static/a\\.txt$`,
      ),
    );
    assertMatch(kinds[2], /^\[in\] GET \/wordpress\/ HTTP\/1\.1 \| /);
    assertMatch(kinds[3], /^\[out\] HTTP\/1\.1 200 OK \| .*body=\d+ bytes/);
    assert(!text.includes("desync"), text);
  } finally {
    nginx.kill("SIGTERM");
    await nginx.statusWithin(10000);
    await Deno.remove(dir, { recursive: true });
  }
  await assertServersServe(env);
});

e2e("-p on a mariadb client whose handshake happened before: joined mid-stream", async (env) => {
  const dir = await Deno.makeTempDir();
  const fifo = `${dir}/q`;
  assertEquals((await run(["mkfifo", fifo])).code, 0);
  const args = await mariadbArgs(env);
  const client = new Background("sh", ["-c", `exec ${args.join(" ")} < ${fifo} > ${dir}/out`]);
  const w = await Deno.open(fifo, { write: true });
  const enc = new TextEncoder();
  try {
    await w.write(enc.encode("SELECT 'before';\n"));
    // The handshake and the first query are done once the answer is read.
    const pid = client.child.pid;
    let before = false;
    for (let i = 0; i < 200 && !before; i++) {
      const fds = await Array.fromAsync(Deno.readDir(`/proc/${pid}/fd`));
      const sock = fds.some((f) => {
        try {
          return Deno.readLinkSync(`/proc/${pid}/fd/${f.name}`).startsWith("socket:");
        } catch {
          return false;
        }
      });
      const wchan = (await Deno.readTextFile(`/proc/${pid}/wchan`).catch(() => "")).trim();
      // Connected, and back to reading its stdin (the fifo).
      before = sock && /pipe/.test(wchan);
      if (!before) await sleep(50);
    }
    assert(before, "client did not connect");
    const tr = await attachSctrace(["--proto", "-e", "trace=none", "-o", `${dir}/trace`], [pid]);
    await w.write(enc.encode("SELECT seq FROM seq_1_to_3001;\nSELECT 'after';\n"));
    w.close();
    const st = await tr.statusWithin(15000);
    assert(st, "tracer did not end");
    assertEquals((await client.status()).code, 0);
    const text = await Deno.readTextFile(`${dir}/trace`);
    const lines = protoLines(text).map((l) => l.replace(/fd=\d+/, "fd=N"));
    assertEquals(lines, [
      "[mysql fd=N] (joined mid-stream)",
      "[mysql fd=N out] COM_QUERY SELECT seq FROM seq_1_to_3001",
      "[mysql fd=N in] RESULTSET columns=seq rows=3001 first=[(1)]",
      "[mysql fd=N out] COM_QUERY SELECT 'after'",
      '[mysql fd=N in] RESULTSET columns=after rows=1 first=[("after")]',
      "[mysql fd=N out] COM_QUIT",
    ], text);
  } finally {
    try {
      w.close();
    } catch {
      // closed
    }
    client.kill("SIGTERM");
    await client.statusWithin(5000);
    await Deno.remove(dir, { recursive: true });
  }
  await assertServersServe(env);
});

e2e("slowest lists name the requests; both ends traced count each request once", async (env) => {
  const nginx = await nginxWorkers(env);
  const fpmMaster = await readPid(env.fpm_pid_file);
  const fpm = await childPids(fpmMaster);
  const pids = [...nginx, fpmMaster, ...fpm];
  const { text, run } = await traceToText(["--proto", "-e", "trace=none"], pids, env.url, 3);
  assert(run.responses.every((x) => x.status === 200));
  // FastCGI is seen from nginx (sent) and from php-fpm (read): 3 requests, not 6.
  assertMatch(text, /\nfastcgi +\d+ +0 +3 /);
  assertMatch(text, /\nhttp +\d+ +0 +3 /);
  const slow = text.split("\n").filter((l) => l.startsWith("slowest "));
  const path = new URL(env.url).pathname;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  assert(
    slow.some((l) =>
      new RegExp(`^slowest http [\\d.]+ ms: GET ${esc(path)} HTTP/1\\.1 -> 200 OK$`).test(l)
    ),
    slow.join("\n"),
  );
  assert(
    slow.some((l) =>
      new RegExp(`^slowest fastcgi [\\d.]+ ms: GET ${esc(path)}\\S* -> 200$`).test(l)
    ),
    slow.join("\n"),
  );
  assert(
    slow.some((l) => l.includes(`ms: COM_QUERY ${env.query} -> RESULTSET rows=1`)),
    slow.join("\n"),
  );
  await assertServersServe(env);
});

e2e("hostile bytes in a URI and a header are escaped as strace escapes strings", async (env) => {
  const nginx = await nginxWorkers(env);
  const fpmMaster = await readPid(env.fpm_pid_file);
  const fpm = await childPids(fpmMaster);
  const pids = [...nginx, ...fpm];
  const dir = await Deno.makeTempDir();
  const tr = await attachSctrace(["--proto", "-e", "trace=none", "-o", `${dir}/t`], pids);
  const u = new URL(env.url);
  const enc = new TextEncoder();
  /** Sends one raw request on its own connection; returns the response's status line. */
  const raw = async (parts: (string | number[])[]): Promise<string> => {
    const bytes = parts.flatMap((p) => typeof p === "string" ? [...enc.encode(p)] : p);
    const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
    await conn.write(new Uint8Array(bytes));
    const buf = new Uint8Array(65536);
    let got = "";
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      got += dec.decode(buf.subarray(0, n));
    }
    conn.close();
    return got.split("\r\n")[0];
  };
  // Escape codes in the request line (nginx answers 400) ...
  const st1 = await raw([
    `GET ${u.pathname}?q=`,
    [0x1b],
    "[2J",
    [0xff, 0xfe],
    " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
  ]);
  assertMatch(st1, /^HTTP\/1\.1 \d{3}/);
  // ... and in a header, with invalid UTF-8 and a right-to-left override (PHP runs).
  const st2 = await raw([
    `GET ${u.pathname}?q=`,
    [0xff, 0xfe],
    " HTTP/1.1\r\nHost: localhost\r\nX-Evil: a",
    [0x1b],
    "]0;pwned",
    [0x07, 0xe2, 0x80, 0xae, 0xc3],
    "\r\nConnection: close\r\n\r\n",
  ]);
  assertEquals(st2, "HTTP/1.1 200 OK");
  await sleep(300);
  tr.kill("SIGINT");
  assert(await tr.statusWithin(10000), "tracer did not end");
  const bytes = await Deno.readFile(`${dir}/t`);
  // Nothing but printable ASCII and newlines reaches the output.
  const bad = bytes.findIndex((c) => c !== 10 && (c < 0x20 || c > 0x7e));
  assertEquals(bad, -1, `raw byte 0x${bytes[bad]?.toString(16)} in:\n${dec.decode(bytes)}`);
  const text = dec.decode(bytes);
  const lines = protoLines(text);
  const has = (what: string) => assert(lines.some((l) => l.includes(what)), `${what}:\n${text}`);
  has(`[http fd=`);
  has(`] GET ${u.pathname}?q=\\33[2J\\377\\376 HTTP/1.1 | Host: localhost | Connection: close`);
  has(`] GET ${u.pathname}?q=\\377\\376 HTTP/1.1 | Host: localhost | `);
  has("| X-Evil: a\\33]0;pwned\\7\\342\\200\\256\\303 | Connection: close");
  // php-fpm read them as FastCGI params.
  has(' HTTP_X_EVIL="a\\33]0;pwned\\7\\342\\200\\256\\303" ');
  has(" REQUEST_URI=" + `"${u.pathname}?q=\\377\\376" `);
  await Deno.remove(dir, { recursive: true });
  await assertServersServe(env);
});

Deno.test("a throwing plugin sniffer: reported once after the line it broke, naming the hook", async () => {
  const r = await run([
    ...sctraceArgv(),
    "--plugin",
    "tests/fixtures/plugins/throwing_sniffer.ts",
    "--proto",
    "-e",
    "trace=write",
    "sh",
    "-c",
    "echo hi; echo there",
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, "hi\nthere\n");
  const lines = r.stderr.split("\n");
  const i = lines.findIndex((l) => /^write\(1, "hi\\n", 3\) += 3$/.test(l));
  assert(i >= 0, r.stderr);
  assertEquals(
    lines[i + 1],
    "[thrower] plugin 'throwing-sniffer': sniffer thrower push threw TypeError: boom in push; " +
      "disabled for this stream",
  );
  assertEquals(lines.filter((l) => l.includes("plugin")).length, 1, r.stderr);
  // The stream yields nothing more; the syscall lines stay whole.
  assert(lines.some((l) => /^write\(1, "there\\n", 6\) += 6$/.test(l)), r.stderr);
});

e2e(
  "slowest lists: an executed prepared statement is named by its SQL and bound values",
  async (env) => {
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(
      `${dir}/p.php`,
      `<?php
mysqli_report(MYSQLI_REPORT_OFF);
[$sock, $user, $pass] = array_slice($argv, 1);
$db = new mysqli('localhost', $user, $pass, 'wordpress', 0, $sock);
$st = $db->prepare('SELECT ID, post_title FROM wp_posts WHERE ID = ? AND post_title <> ?');
$id = 4; $t = "x\\ny";
$st->bind_param('is', $id, $t);
$st->execute();
$st->store_result();
echo $st->num_rows, "\\n";
$st->close();
$db->close();
`,
    );
    const a = await dbAccount();
    const r = await run([
      ...sctraceArgv(),
      "-c",
      "--proto=mysql",
      "-o",
      `${dir}/t`,
      "php",
      `${dir}/p.php`,
      env.mysql_socket,
      a.user,
      a.password,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, "1\n");
    const text = await Deno.readTextFile(`${dir}/t`);
    // Three requests (login, prepare, execute): all three are in the slowest list.
    assertMatch(text, /\nmysql +\d+ +0 +3 /);
    const slow = text.split("\n").filter((l) => l.startsWith("slowest mysql "));
    assert(
      slow.some((l) =>
        l.endsWith(
          " ms: COM_STMT_EXECUTE SELECT ID, post_title FROM wp_posts WHERE ID = ? AND " +
            'post_title <> ? params=(4, "x\\ny") -> RESULTSET rows=1',
        )
      ),
      text,
    );
    await Deno.remove(dir, { recursive: true });
  },
);
