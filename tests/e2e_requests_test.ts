/**
 * The request view (`--requests`) and `--proto-filter` on the real stack: an nginx of the test's own
 * (one process, keep-alive) in front of the running php-fpm, whose page runs `SELECT <n>` for the
 * `n` of its URL (and a failing query for every tenth), under 50 concurrent requests. Each request
 * block must hold exactly its own query; then with only php-fpm traced, and with only nginx.
 * @module
 */

import { freePort, nginxConf } from "./helpers/own_nginx.ts";
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT } from "./helpers/diff.ts";
import { validateLines } from "./helpers/schema.ts";
import {
  attachSctrace,
  Background,
  childPids,
  curl,
  probeServers,
  procStatus,
  readPid,
  sctraceArgv,
  type ServersEnv,
  serversTest,
  sleep,
} from "./helpers/servers.ts";

const e2e = serversTest(await probeServers());

/** The MariaDB account the page uses, from tests/e2e/init.sql. */
async function dbAccount(): Promise<{ user: string; password: string }> {
  const sql = await Deno.readTextFile(`${ROOT}tests/e2e/init.sql`);
  const m = /CREATE USER IF NOT EXISTS '([^']+)'@'localhost' IDENTIFIED BY '([^']+)'/.exec(sql);
  if (!m) throw new Error("no account in init.sql");
  return { user: m[1], password: m[2] };
}

/** Our nginx: a dir with the page, a conf, the process; `stop()` ends it and removes the dir. */
async function ownNginx(
  env: ServersEnv,
): Promise<{ dir: string; port: number; pid: number; stop: () => Promise<void> }> {
  const dir = await Deno.makeTempDir();
  await Deno.chmod(dir, 0o755);
  await Deno.mkdir(`${dir}/www`);
  await Deno.chmod(`${dir}/www`, 0o755);
  const a = await dbAccount();
  await Deno.writeTextFile(
    `${dir}/www/q.php`,
    `<?php
mysqli_report(MYSQLI_REPORT_OFF);
$n = (int)($_GET['n'] ?? 0);
$db = new mysqli('localhost', '${a.user}', '${a.password}', 'wordpress', 0, ini_get('mysqli.default_socket'));
$r = $db->query("SELECT $n AS n");
$row = $r ? $r->fetch_row() : ['?'];
if ($n % 10 == 0) $db->query("SELECT * FROM no_such_table_$n");
$db->close();
echo "n=", $row[0], "\\n";
`,
  );
  await Deno.chmod(`${dir}/www/q.php`, 0o644);
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    nginxConf(
      dir,
      256,
      `  keepalive_timeout 10;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location ~ \\.php$ {
      fastcgi_pass 127.0.0.1:${env.fpm_port};
      include ${env.run_dir}/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    }
  }
`,
    ),
  );
  const nginx = new Background("nginx", ["-p", dir, "-c", `${dir}/nginx.conf`]);
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    up = (await curl(`http://127.0.0.1:${port}/q.php?n=1`)).status === 200;
    if (!up) await sleep(50);
  }
  if (!up) throw new Error(`own nginx did not start: ${nginx.stderr}`);
  return {
    dir,
    port,
    pid: nginx.child.pid,
    stop: async () => {
      nginx.kill("SIGTERM");
      await nginx.statusWithin(10000);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * 50 requests `q.php?n=1..50`: 25 curl processes at once, each asking two URLs on one keep-alive
 * connection. Returns the bodies' `n=` values, which must be each request's own.
 */
async function fifty(port: number): Promise<void> {
  const runs = [];
  for (let k = 0; k < 25; k++) {
    const a = 2 * k + 1;
    runs.push(
      new Deno.Command("curl", {
        args: [
          "-sS",
          "--max-time",
          "20",
          `http://127.0.0.1:${port}/q.php?n=${a}`,
          `http://127.0.0.1:${port}/q.php?n=${a + 1}`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output(),
    );
  }
  const outs = await Promise.all(runs);
  const got = outs.map((o) => new TextDecoder().decode(o.stdout)).join("");
  const ns = [...got.matchAll(/n=(\d+)/g)].map((m) => Number(m[1])).sort((x, y) => x - y);
  assertEquals(ns, Array.from({ length: 50 }, (_, i) => i + 1), got);
}

/** The request blocks of a `--requests` trace: first line and the indented lines under it. */
function blocks(text: string): string[][] {
  const out: string[][] = [];
  for (const raw of text.split("\n")) {
    const l = raw.replace(/^\d+ +/, "");
    if (l.startsWith("request ")) out.push([l]);
    else if (/^ {2}/.test(raw) && out.length) out[out.length - 1].push(raw);
  }
  return out;
}

/** The n of a block's URI (`q.php?n=7`), from its first line. */
function blockN(b: string[]): number {
  const m = /q\.php\?n=(\d+)/.exec(b[0]) ?? /q\.php\?n=(\d+)/.exec(b.join("\n"));
  return m ? Number(m[1]) : -1;
}

/** Traces `pids` with `args` while 50 requests run; returns the trace. */
async function traced(
  port: number,
  pids: number[],
  args: string[],
  file: string,
): Promise<string> {
  const tr = await attachSctrace(["-f", "-e", "trace=none", ...args, "-o", file], pids);
  try {
    await fifty(port);
    await sleep(300);
  } finally {
    tr.kill("SIGINT");
    assert(await tr.statusWithin(15000), "tracer did not end");
  }
  return await Deno.readTextFile(file);
}

/** No pid is left traced or stopped; the page still answers. */
async function assertUntouched(pids: number[], port: number): Promise<void> {
  for (const p of pids) {
    const st = await procStatus(p);
    assertEquals(st.tracerPid, 0, `pid ${p} still traced`);
    assert(st.state !== "t" && st.state !== "T", `pid ${p} left stopped`);
  }
  assertEquals((await curl(`http://127.0.0.1:${port}/q.php?n=7`)).body.trim(), "n=7");
}

e2e(
  "--requests: 50 concurrent keep-alive requests, each with its own SQL, all tiers",
  async (env) => {
    const ng = await ownNginx(env);
    try {
      const fpm = await childPids(await readPid(env.fpm_pid_file));
      const text = await traced(ng.port, [ng.pid, ...fpm], ["--requests"], `${ng.dir}/all`);
      const bs = blocks(text).filter((b) => blockN(b) > 0);
      assertEquals(bs.length, 50, text);
      const seen = new Set<number>();
      for (const b of bs) {
        const n = blockN(b);
        seen.add(n);
        const t = b.join("\n");
        // The HTTP tier, served by our nginx, answered 200, with its client's endpoint.
        assertMatch(
          b[0],
          new RegExp(
            `^request http nginx\\[${ng.pid}\\] 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${ng.port}: GET /q\\.php\\?n=${n} -> 200 OK [\\d.]+ ms$`,
          ),
          t,
        );
        // The FastCGI tier, seen from both ends: nginx sent it, a php-fpm worker read it.
        assertMatch(
          b[1],
          new RegExp(
            `^ {2}fastcgi nginx\\[${ng.pid}\\] -> \\S+\\[(${
              fpm.join("|")
            })\\] 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${env.fpm_port}: id=\\d+ GET /q\\.php\\?n=${n} -> 200 app_status=0 [\\d.]+ ms$`,
          ),
          t,
        );
        // Its SQL, and only its own: the login, SELECT n, and for every tenth the failing query.
        const sql = b.slice(2).map((l) => l.replace(/^ {4}mysql \S+ \S+ -> \S+: /, ""));
        const want = [
          /^LOGIN user=wp db=wordpress .* -> OK affected_rows=0 insert_id=0 [\d.]+ ms$/,
          new RegExp(
            `^COM_QUERY SELECT ${n} AS n -> RESULTSET columns=n rows=1 first=\\[\\(${n}\\)\\] [\\d.]+ ms$`,
          ),
        ];
        if (n % 10 === 0) {
          want.push(
            new RegExp(
              `^COM_QUERY SELECT \\* FROM no_such_table_${n} -> ERR 1146 \\(42S02\\) .* [\\d.]+ ms$`,
            ),
          );
        }
        assertEquals(sql.length, want.length, t);
        want.forEach((re, i) => assertMatch(sql[i], re, t));
      }
      assertEquals(seen.size, 50, text);
      // Keep-alive: two requests per connection, told apart on it (25 client ports for 50).
      const ports = new Set(bs.map((b) => /127\.0\.0\.1:(\d+) -> /.exec(b[0])?.[1]));
      assertEquals(ports.size, 25, text);
      assert(!/^\d* *\[(http|fastcgi|mysql) fd=/m.test(text), "message lines with --requests");

      // --proto-filter on requests: those with a failing query, and those slower than a minute.
      const err = await traced(
        ng.port,
        [ng.pid, ...fpm],
        ["--requests", "--proto-filter", "mysql.error"],
        `${ng.dir}/err`,
      );
      assertEquals(blocks(err).map(blockN).sort((x, y) => x - y), [10, 20, 30, 40, 50], err);
      const slow = await traced(
        ng.port,
        [ng.pid],
        ["--requests", "--proto-filter", "duration>1m"],
        `${ng.dir}/slow`,
      );
      assertEquals(blocks(slow), [], slow);
      await assertUntouched([ng.pid, ...fpm], ng.port);
    } finally {
      await ng.stop();
    }
  },
);

e2e("--requests with only some tiers traced: php-fpm alone, nginx alone", async (env) => {
  const ng = await ownNginx(env);
  try {
    const fpm = await childPids(await readPid(env.fpm_pid_file));
    // php-fpm alone: each request starts at its FastCGI tier, with its own SQL under it.
    const php = await traced(ng.port, fpm, ["--requests"], `${ng.dir}/php`);
    const pb = blocks(php).filter((b) => blockN(b) > 0);
    assertEquals(pb.length, 50, php);
    for (const b of pb) {
      const n = blockN(b);
      assertMatch(
        b[0],
        new RegExp(
          `^request fastcgi \\S+\\[(${
            fpm.join("|")
          })\\] 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${env.fpm_port}: id=\\d+ GET /q\\.php\\?n=${n} -> 200 app_status=0 [\\d.]+ ms$`,
        ),
      );
      const queries = b.filter((l) => / COM_QUERY /.test(l));
      assertEquals(queries.length, n % 10 === 0 ? 2 : 1, b.join("\n"));
      assertMatch(queries[0], new RegExp(`COM_QUERY SELECT ${n} AS n -> RESULTSET`));
    }
    // nginx alone: HTTP and the FastCGI it sent, no SQL (not seen).
    const web = await traced(ng.port, [ng.pid], ["--requests"], `${ng.dir}/web`);
    const wb = blocks(web).filter((b) => blockN(b) > 0);
    assertEquals(wb.length, 50, web);
    for (const b of wb) {
      const n = blockN(b);
      assertEquals(b.length, 2, b.join("\n"));
      assertMatch(
        b[0],
        new RegExp(`^request http nginx\\[${ng.pid}\\] .*GET /q\\.php\\?n=${n} -> 200 OK`),
      );
      assertMatch(
        b[1],
        new RegExp(`^ {2}fastcgi nginx\\[${ng.pid}\\] .*GET /q\\.php\\?n=${n} -> 200`),
      );
    }
    await assertUntouched([ng.pid, ...fpm], ng.port);
  } finally {
    await ng.stop();
  }
});

e2e(
  "--proto-filter on messages: HTTP errors, a URI regex, endpoints on every line",
  async (env) => {
    const ng = await ownNginx(env);
    try {
      const file = `${ng.dir}/f`;
      const tr = await attachSctrace(
        [
          "-e",
          "trace=none",
          "--proto-filter",
          "http.status>=400 or http.uri~^/q\\.php\\?n=3$",
          "-o",
          file,
        ],
        [ng.pid],
      );
      try {
        assertEquals((await curl(`http://127.0.0.1:${ng.port}/q.php?n=3`)).status, 200);
        assertEquals((await curl(`http://127.0.0.1:${ng.port}/q.php?n=4`)).status, 200);
        assertEquals((await curl(`http://127.0.0.1:${ng.port}/missing.txt`)).status, 404);
        // curl has the answer before the tracer has seen nginx's write end: let it catch up.
        await sleep(300);
      } finally {
        tr.kill("SIGINT");
        assert(await tr.statusWithin(15000), "tracer did not end");
      }
      const lines = (await Deno.readTextFile(file)).split("\n").filter((l) =>
        l.startsWith("[http")
      );
      assertEquals(lines.length, 2, lines.join("\n"));
      assertMatch(
        lines[0],
        new RegExp(
          `^\\[http fd=\\d+ in\\] GET /q\\.php\\?n=3 HTTP/1\\.1 \\| .* \\(server 127\\.0\\.0\\.1:${ng.port} -> 127\\.0\\.0\\.1:\\d+\\)$`,
        ),
      );
      assertMatch(lines[1], /^\[http fd=\d+ out\] HTTP\/1\.1 404 Not Found \| .* \(server /);
      // A bad expression: one line, exit status 1.
      const bad = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--no-check",
          `${ROOT}main.ts`,
          "--proto-filter",
          "http.status>=",
          "true",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(bad.code, 1);
      assertEquals(
        new TextDecoder().decode(bad.stderr),
        "sctrace: invalid --proto-filter 'http.status>=': expected a value after '>=' at offset 13\n",
      );
    } finally {
      await ng.stop();
    }
  },
);

e2e(
  "--requests: a client that gives up before the answer: the request ends as closed",
  async (env) => {
    const ng = await ownNginx(env);
    try {
      await Deno.writeTextFile(`${ng.dir}/www/slow.php`, "<?php usleep(2000000); echo 'late';\n");
      await Deno.chmod(`${ng.dir}/www/slow.php`, 0o644);
      /** Traces nginx with `args` while curl gives up on slow.php after 0.5 s. */
      const run = async (args: string[], file: string): Promise<string> => {
        const tr = await attachSctrace(["-e", "trace=none", ...args, "-o", file], [ng.pid]);
        try {
          const r = await new Deno.Command("curl", {
            args: ["-sS", "--max-time", "0.5", `http://127.0.0.1:${ng.port}/slow.php?x=1`],
            stdout: "piped",
            stderr: "piped",
          }).output();
          assertEquals(r.code, 28, "curl should time out"); // CURLE_OPERATION_TIMEDOUT
          // nginx sees the client's close, and closes both connections: let the tracer catch up.
          await sleep(500);
        } finally {
          tr.kill("SIGINT");
          assert(await tr.statusWithin(15000), "tracer did not end");
        }
        return await Deno.readTextFile(file);
      };
      const text = await run(["--requests"], `${ng.dir}/closed`);
      const bs = blocks(text);
      assertEquals(bs.length, 1, text);
      assertMatch(
        bs[0][0],
        new RegExp(
          `^request http nginx\\[${ng.pid}\\] 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${ng.port}: GET /slow\\.php\\?x=1 -> \\(no response: connection closed\\)$`,
        ),
        text,
      );
      assertMatch(
        bs[0][1],
        /^ {2}fastcgi nginx\[\d+\] .*: id=\d+ GET \/slow\.php\?x=1 -> \(no response: connection closed\)$/,
        text,
      );
      assertEquals(bs[0].length, 2, text);
      // JSON: the request event, its tiers with no end and `closed`.
      const json = await run(["--json", "--proto"], `${ng.dir}/closed.json`);
      // deno-lint-ignore no-explicit-any
      const reqs: any[] = (await validateLines(json)).filter((e) => e.kind === "request");
      assertEquals(reqs.length, 1, json);
      const f = reqs[0].fields;
      assertEquals([f.uri, f.status, f.duration], ["/slow.php?x=1", null, null]);
      assertEquals([f.tiers.proto, f.tiers.end, f.tiers.closed], ["http", null, true]);
      const c = f.tiers.children[0];
      assertEquals([c.proto, c.end, c.closed], ["fastcgi", null, true]);
      await assertUntouched([ng.pid], ng.port);
    } finally {
      await ng.stop();
    }
  },
);

Deno.test("--requests: a server that exits with a request unanswered: the request ends as closed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A one-shot server (perl, traced from its start): accepts, reads the request, exits (_exit:
    // no close of its own, the kernel closes the connection).
    const { tr, port, curl } = await oneShot(
      dir,
      LISTEN_AND_READ + "POSIX::_exit(0);",
      ["-e", "trace=none"],
      10,
    );
    assertEquals(curl, 52, "curl: empty reply"); // CURLE_GOT_NOTHING
    assertEquals((await tr.output()).code, 0);
    const text = await Deno.readTextFile(`${dir}/out`);
    const bs = blocks(text);
    assertEquals(bs.length, 1, text);
    assertMatch(
      bs[0][0],
      new RegExp(
        `^request http perl\\[\\d+\\] 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${port}: GET /q\\?x=1 -> \\(no response: connection closed\\)$`,
      ),
      text,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Starts `perl -e server ARGS` under `sctrace --requests -o DIR/out` with `flags`, waits for the
 * server's `DIR/port` file, sends one GET with curl (giving up after `maxTime` s); returns the
 * tracer's process, the port and curl's exit code.
 */
async function oneShot(
  dir: string,
  server: string,
  flags: string[],
  maxTime: number,
): Promise<{ tr: Deno.ChildProcess; port: number; curl: number }> {
  const [deno, ...args] = sctraceArgv();
  const tr = new Deno.Command(deno, {
    args: [...args, "--requests", ...flags, "-o", `${dir}/out`, "perl", "-e", server, dir],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let port = 0;
  for (let i = 0; i < 200 && !port; i++) {
    port = Number(await Deno.readTextFile(`${dir}/port`).catch(() => "0"));
    if (!port) await sleep(50);
  }
  assert(port > 0, "the server did not start");
  const r = await new Deno.Command("curl", {
    args: ["-sS", "--max-time", String(maxTime), `http://127.0.0.1:${port}/q?x=1`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { tr, port, curl: r.code };
}

/** A perl server's start: listens, writes its port (and pid) to `$ARGV[0]/port`, accepts, reads. */
const LISTEN_AND_READ =
  'use POSIX (); use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", ' +
  'LocalPort => 0, Listen => 1, ReuseAddr => 1) or die; open(my $f, ">", "$ARGV[0]/pid"); ' +
  'print $f $$; close $f; open($f, ">", "$ARGV[0]/port.tmp"); print $f $s->sockport; close $f; ' +
  'rename("$ARGV[0]/port.tmp", "$ARGV[0]/port"); my $c = $s->accept; sysread($c, my $b, 4096); ';

Deno.test("--requests: an exec closes the close-on-exec connections: the request ends there", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // perl marks descriptors above 2 close-on-exec: the exec itself closes the connection, and the
    // new program (echo) writes after it; the request must end at the exec, not at the exit.
    const { tr, port, curl } = await oneShot(
      dir,
      LISTEN_AND_READ + 'exec("/bin/echo", "after-exec");',
      ["-e", "trace=write"],
      10,
    );
    assertEquals(curl, 52, "curl: empty reply"); // CURLE_GOT_NOTHING
    assertEquals((await tr.output()).code, 0);
    const text = await Deno.readTextFile(`${dir}/out`);
    const lines = text.split("\n");
    const req = lines.findIndex((l) => l.startsWith("request http "));
    const echo = lines.findIndex((l) => l.startsWith('write(1, "after-exec\\n"'));
    assert(req >= 0 && echo >= 0, text);
    assert(req < echo, `the request ends at the exec, before echo's write:\n${text}`);
    assertMatch(
      lines[req],
      new RegExp(
        `^request http perl\\[\\d+\\] 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:${port}: GET /q\\?x=1 -> \\(no response: connection closed\\)$`,
      ),
    );
    assertEquals(blocks(text).length, 1, text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--requests: requests still waiting when the trace ends are reported as such", async () => {
  const dir = await Deno.makeTempDir();
  let pid = 0;
  try {
    // The server reads the request and sleeps; sctrace is interrupted and detaches from it.
    const { tr, curl } = await oneShot(
      dir,
      LISTEN_AND_READ + "sleep 30;",
      ["-e", "trace=none", "--json"],
      1,
    );
    assertEquals(curl, 28, "curl: timed out"); // CURLE_OPERATION_TIMEDOUT
    pid = Number(await Deno.readTextFile(`${dir}/pid`));
    tr.kill("SIGINT");
    await tr.output();
    const text = await Deno.readTextFile(`${dir}/out`);
    const reqs = text.split("\n").filter((l) => l.includes('"kind":"request"')).map((l) =>
      JSON.parse(l)
    );
    assertEquals(reqs.length, 1, text);
    const r = reqs[0];
    assertEquals([r.pid, r.fields.uri, r.fields.duration], [pid, "/q?x=1", null]);
    assertEquals([r.fields.tiers.pending, r.fields.tiers.closed], [true, false]);
    assert(r.text.endsWith("GET /q?x=1 -> (no response before the trace ended)"), r.text);
    await validateLines(text);
  } finally {
    if (pid) Deno.kill(pid, "SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

e2e(
  "--requests: both ends of the SQL traced (php-fpm and mariadbd): each query once, both pids",
  async (env) => {
    const fpm = await childPids(await readPid(env.fpm_pid_file));
    const db = await readPid(env.mariadb_pid_file);
    const file = await Deno.makeTempFile();
    try {
      // -f: mariadbd serves each connection on a thread it starts.
      const tr = await attachSctrace(["-f", "-e", "trace=none", "--requests", "-o", file], [
        ...fpm,
        db,
      ]);
      try {
        for (let i = 0; i < 2; i++) assertEquals((await curl(env.url)).status, 200);
        await sleep(300);
      } finally {
        tr.kill("SIGINT");
        assert(await tr.statusWithin(15000), "tracer did not end");
      }
      const text = await Deno.readTextFile(file);
      const bs = blocks(text);
      assertEquals(bs.length, 2, text);
      for (const b of bs) {
        const t = b.join("\n");
        assertMatch(
          b[0],
          /^request fastcgi php-fpm\S*\[\d+\] .*: id=\d+ GET \/wordpress\/ -> 200 /,
          t,
        );
        const worker = /\[(\d+)\]/.exec(b[0])![1];
        // The page's login and two queries, each once, seen from both ends.
        const sql = b.slice(1);
        assertEquals(sql.length, 3, t);
        for (const l of sql) {
          assertMatch(
            l,
            new RegExp(`^ {2}mysql php-fpm\\S*\\[${worker}\\] -> mariadbd\\[${db}\\] `),
            t,
          );
        }
        assertMatch(sql[0], / LOGIN user=wp /, t);
        assert(sql[1].includes(`COM_QUERY ${env.query} -> RESULTSET `), t);
        assertMatch(sql[2], /COM_QUERY SELECT \* FROM no_such_table -> ERR 1146 /, t);
      }
      for (const p of [db, ...fpm]) assertEquals((await procStatus(p)).tracerPid, 0);
      assertEquals((await curl(env.url)).status, 200);
    } finally {
      await Deno.remove(file);
    }
  },
);

e2e(
  "--requests: mariadbd traced alone: each query of a real client is a request, errors included",
  async (env) => {
    const db = await readPid(env.mariadb_pid_file);
    const { user, password } = await dbAccount();
    const file = await Deno.makeTempFile();
    try {
      const tr = await attachSctrace(["-f", "-e", "trace=none", "--requests", "-o", file], [db]);
      try {
        // 300 queries on one connection, one of them failing, then one on a second connection.
        const sql = Array.from({ length: 300 }, (_, i) => `SELECT ${i + 1};`).join("") +
          "SELECT * FROM no_such_table;";
        const r = await new Deno.Command("mariadb", {
          args: [`--socket=${env.mysql_socket}`, `-u${user}`, `-p${password}`, "wordpress", "-f"],
          stdin: "piped",
          stdout: "null",
          stderr: "piped",
        }).spawn();
        const w = r.stdin.getWriter();
        await w.write(new TextEncoder().encode(sql));
        await w.close();
        await r.output();
        await sleep(300);
      } finally {
        tr.kill("SIGINT");
        assert(await tr.statusWithin(15000), "tracer did not end");
      }
      const text = await Deno.readTextFile(file);
      const bs = blocks(text);
      const who = new RegExp(`^request mysql mariadbd\\[${db}\\] \\S+ -> \\S+: `);
      for (const b of bs) assertMatch(b[0], who, b.join("\n"));
      const queries = bs.map((b) => b[0].replace(who, ""));
      for (let i = 1; i <= 300; i++) {
        assert(
          queries.some((q) => q.startsWith(`COM_QUERY SELECT ${i} -> RESULTSET `)),
          `SELECT ${i}:\n${text.slice(0, 3000)}`,
        );
      }
      assert(
        queries.some((q) => /^COM_QUERY SELECT \* FROM no_such_table -> ERR 1146 /.test(q)),
        text.slice(-2000),
      );
      assertEquals((await procStatus(db)).tracerPid, 0);
    } finally {
      await Deno.remove(file);
    }
  },
);
