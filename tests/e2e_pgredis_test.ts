/**
 * End-to-end tests of the PostgreSQL and Redis sniffers on the real servers of
 * `.ci/services start` (Debian's postgresql and redis-server, ports and sockets from env.json) and
 * real clients: psql (a query, a failing query with its SQLSTATE, 100,000 rows counted exactly),
 * php's pgsql extension (the extended query protocol with bound parameters, named in the slowest
 * list), redis-cli (commands, an error, RESP3, 1,000 pipelined commands counted exactly), and
 * redis-server itself traced with `-p`. After each test the servers keep serving (TracerPid 0,
 * they answer).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT } from "./helpers/diff.ts";
import { withoutEnds } from "./helpers/proto_lines.ts";
import {
  attachSctrace,
  Background,
  probeServers,
  procStatus,
  sctraceArgv,
  type ServersEnv,
  type ServersProbe,
  serversTest,
  sleep,
} from "./helpers/servers.ts";

const dec = new TextDecoder();

/** Runs a command to its end; stdout, stderr, exit code. */
async function run(
  argv: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: ROOT,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = c.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const r = await c.output();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** The servers, and whether PostgreSQL and Redis answer. */
async function probe(): Promise<ServersProbe> {
  const p = await probeServers();
  if (!p.env) return p;
  const e = p.env;
  if (e.postgres_port == null || e.postgres_socket_dir == null || e.postgres_pid_file == null) {
    return { env: null, reason: "PostgreSQL is not among the servers (postgres_port null)" };
  }
  if (e.redis_port == null || e.redis_socket == null || e.redis_pid_file == null) {
    return { env: null, reason: "Redis is not among the servers (redis_port null)" };
  }
  const pg = await run(["psql", ...psqlArgs(e, "unix"), "-c", "select 1"]).catch(() => null);
  if (pg?.code !== 0) return { env: null, reason: `PostgreSQL does not answer: ${pg?.stderr}` };
  const rd = await run(["redis-cli", "-s", e.redis_socket, "PING"]).catch(() => null);
  if (rd?.stdout !== "PONG\n") return { env: null, reason: `Redis does not answer: ${rd?.stderr}` };
  return p;
}

const e2e = serversTest(await probe());

/** psql's connection arguments: over the unix socket or TCP 127.0.0.1. */
function psqlArgs(env: ServersEnv, via: "unix" | "tcp"): string[] {
  return [
    "-X",
    "-q",
    "-h",
    via === "unix" ? env.postgres_socket_dir! : "127.0.0.1",
    "-p",
    String(env.postgres_port),
    "-U",
    env.postgres_user ?? "postgres",
    "-d",
    "postgres",
  ];
}

/** The protocol lines of a trace, without `[pid N] ` prefixes and endpoints. */
function protoLines(text: string, proto: string): string[] {
  return text.split("\n").map((l) => l.replace(/^(\[pid +\d+\] |\d+ +)/, "")).filter((l) =>
    l.startsWith(`[${proto} fd=`)
  ).map(withoutEnds);
}

/** The lines with `[proto fd=N dir] ` cut off, as `dir text`. */
function bare(lines: string[]): string[] {
  return lines.map((l) => l.replace(/^\[[a-z]+ fd=\d+ (in|out)\] /, "$1 "));
}

/** The pid on the first line of a pid file (postmaster.pid has more lines). */
async function firstLinePid(file: string): Promise<number> {
  return Number((await Deno.readTextFile(file)).split("\n")[0].trim());
}

/** PostgreSQL and Redis keep serving, and nobody traces them. */
async function assertStillServing(env: ServersEnv): Promise<void> {
  const pids = [
    await firstLinePid(env.postgres_pid_file!),
    await firstLinePid(env.redis_pid_file!),
  ];
  for (const p of pids) {
    const st = await procStatus(p);
    assertEquals(st.tracerPid, 0, `pid ${p} still traced`);
    assert(st.state !== "t" && st.state !== "T", `pid ${p} left stopped (${st.state})`);
  }
  const pg = await run(["psql", ...psqlArgs(env, "tcp"), "-A", "-t", "-c", "select 40 + 2"]);
  assertEquals(pg.stdout, "42\n", pg.stderr);
  const rd = await run(["redis-cli", "-p", String(env.redis_port), "PING"]);
  assertEquals(rd.stdout, "PONG\n", rd.stderr);
}

e2e(
  "postgres: psql's startup, a query, a failing query (SQLSTATE) over the unix socket",
  async (env) => {
    const dir = await Deno.makeTempDir();
    try {
      const r = await run([
        ...sctraceArgv(),
        "--proto=postgres",
        "-e",
        "trace=none",
        "-o",
        `${dir}/t`,
        "psql",
        ...psqlArgs(env, "unix"),
        "-c",
        "select 1 as one, 'a b' as two, null as three",
        "-c",
        "select * from no_such_table",
      ]);
      assertEquals(r.code, 1, r.stderr); // psql's own status: the failing query
      assertMatch(r.stderr, /ERROR: {2}relation "no_such_table" does not exist/);
      const lines = bare(protoLines(await Deno.readTextFile(`${dir}/t`), "postgres"));
      const user = env.postgres_user ?? "postgres";
      assertEquals(lines[0], `out STARTUP user=${user} database=postgres application_name=psql`);
      assertEquals(lines[1], "in AUTH_OK");
      assertMatch(lines[2], /^in PARAMETER_STATUS application_name=psql .*server_version=/);
      assertMatch(lines[3], /^in BACKEND_KEY_DATA pid=\d+$/);
      assertEquals(lines.slice(4), [
        "in READY_FOR_QUERY idle",
        "out QUERY select 1 as one, 'a b' as two, null as three",
        'in COMPLETE SELECT 1 columns=one,two,three rows=1 first=[(1, "a b", NULL)]',
        "in READY_FOR_QUERY idle",
        "out QUERY select * from no_such_table",
        'in ERROR 42P01 relation "no_such_table" does not exist position=15',
        "in READY_FOR_QUERY idle",
        "out TERMINATE",
      ]);
      // -c: the summary counts the error and names the slowest requests by their SQL.
      const c = await run([
        ...sctraceArgv(),
        "-c",
        "--proto=postgres",
        "-o",
        `${dir}/c`,
        "psql",
        ...psqlArgs(env, "unix"),
        "-c",
        "select * from no_such_table",
      ]);
      assertEquals(c.code, 1, c.stderr);
      const text = await Deno.readTextFile(`${dir}/c`);
      assertEquals(protoLines(text, "postgres"), [], text);
      assertMatch(text, /\npostgres +\d+ +1 +2 /); // messages, 1 error, 2 requests
      assertMatch(
        text,
        /\nslowest postgres [\d.]+ ms: QUERY select \* from no_such_table -> ERROR 42P01\n/,
      );
      assertMatch(text, /\nslowest postgres [\d.]+ ms: STARTUP user=\S+ database=postgres .*-> /);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    await assertStillServing(env);
  },
);

e2e(
  "postgres: 1,000 and 100,000 rows over TCP counted exactly; the tracer's memory stays bounded",
  async (env) => {
    const dir = await Deno.makeTempDir();
    try {
      const rss: number[] = [];
      for (const n of [1000, 100000]) {
        const sql = `select generate_series(1, ${n}) as n`;
        const r = await run([
          "/usr/bin/time",
          "-f",
          "maxrss=%M",
          ...sctraceArgv(),
          "--proto=postgres",
          "-e",
          "trace=none",
          "-o",
          `${dir}/t${n}`,
          "psql",
          ...psqlArgs(env, "tcp"),
          "-A",
          "-t",
          "-c",
          sql,
        ]);
        assertEquals(r.code, 0, r.stderr);
        assertEquals(r.stdout.split("\n").filter((l) => l).length, n); // the client got them all
        const lines = bare(protoLines(await Deno.readTextFile(`${dir}/t${n}`), "postgres"));
        assert(lines.includes(`out QUERY ${sql}`), lines.join("\n"));
        assert(
          lines.includes(`in COMPLETE SELECT ${n} columns=n rows=${n} first=[(1)]`),
          lines.join("\n"),
        );
        rss.push(Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]));
      }
      console.log(`tracer max RSS: 1,000 rows ${rss[0]} kB, 100,000 rows ${rss[1]} kB`);
      // Counts and the first row are kept, not the rows (100,000 rows are about 1.5 MB on the wire).
      assert(rss[1] < rss[0] + 32 * 1024, `tracer max RSS ${rss[0]} kB -> ${rss[1]} kB`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    await assertStillServing(env);
  },
);

e2e("postgres: php pg_query_params (extended protocol): SQL and bound values", async (env) => {
  const dir = await Deno.makeTempDir();
  try {
    const php = `<?php
$c = pg_connect("host=127.0.0.1 port=${env.postgres_port} user=${
      env.postgres_user ?? "postgres"
    } dbname=postgres sslmode=disable");
$r = pg_query_params($c, 'select $1::int * 2 as n, $2::text as s', [21, "x\\ny"]);
echo pg_fetch_row($r)[0], "\\n";
$r = @pg_query_params($c, 'select * from no_such_table where id = $1', [7]);
echo $r === false ? "failed\\n" : "ok\\n";
`;
    await Deno.writeTextFile(`${dir}/q.php`, php);
    const argv = [
      ...sctraceArgv(),
      "--proto=postgres",
      "-e",
      "trace=none",
      "-o",
      `${dir}/t`,
      "php",
      `${dir}/q.php`,
    ];
    const r = await run(argv);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, "42\nfailed\n");
    const lines = bare(protoLines(await Deno.readTextFile(`${dir}/t`), "postgres"));
    const from = lines.indexOf("out PARSE select $1::int * 2 as n, $2::text as s");
    assert(from > 0, lines.join("\n"));
    const expected = [
      "out PARSE select $1::int * 2 as n, $2::text as s",
      'out BIND params=("21", "x\\ny")',
      'out DESCRIBE portal ""',
      'out EXECUTE select $1::int * 2 as n, $2::text as s params=("21", "x\\ny")',
      "out SYNC",
      "in PARSE_COMPLETE",
      "in BIND_COMPLETE",
      'in COMPLETE SELECT 1 columns=n,s rows=1 first=[(42, "x\\ny")]',
      "in READY_FOR_QUERY idle",
      "out PARSE select * from no_such_table where id = $1",
      'out BIND params=("7")',
      'out DESCRIBE portal ""',
      'out EXECUTE select * from no_such_table where id = $1 params=("7")',
      "out SYNC",
      'in ERROR 42P01 relation "no_such_table" does not exist position=15',
      "in READY_FOR_QUERY idle",
      "out TERMINATE",
    ];
    assertEquals(lines.slice(from), expected);
    // The slowest list names each executed statement by its SQL and bound values.
    const c = await run([
      ...argv.slice(0, argv.indexOf("-o")),
      "-c",
      "-o",
      `${dir}/c`,
      ...argv.slice(-2),
    ]);
    assertEquals(c.code, 0, c.stderr);
    const text = await Deno.readTextFile(`${dir}/c`);
    assertMatch(
      text,
      /\nslowest postgres [\d.]+ ms: EXECUTE select \$1::int \* 2 as n, \$2::text as s params=\("21", "x\\ny"\) -> SELECT 1\n/,
    );
    assertMatch(
      text,
      /\nslowest postgres [\d.]+ ms: EXECUTE select \* from no_such_table where id = \$1 params=\("7"\) -> ERROR 42P01\n/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  await assertStillServing(env);
});

e2e("postgres: the server's side with -f -p on the postmaster; it keeps serving", async (env) => {
  const dir = await Deno.makeTempDir();
  const pid = await firstLinePid(env.postgres_pid_file!);
  const tr = await attachSctrace(["-f", "--proto=postgres", "-e", "trace=none", "-o", `${dir}/t`], [
    pid,
  ]);
  try {
    // Over the unix socket: the backend's end is recognised by the path `.s.PGSQL.PORT`.
    const r = await run([
      "psql",
      ...psqlArgs(env, "unix"),
      "-A",
      "-t",
      "-c",
      "select 6 * 7",
      "-c",
      "select * from no_such_table",
    ]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(r.stdout, "42\n");
    // psql has gone; its backend reads the TERMINATE a moment later: wait for it (the trace is
    // written out whenever the tracer goes idle) before stopping the tracer.
    for (let i = 0; i < 100; i++) {
      const soFar = await Deno.readTextFile(`${dir}/t`).catch(() => "");
      if (/\[postgres fd=\d+ in\] TERMINATE/.test(soFar)) break;
      await sleep(50);
    }
    tr.kill("SIGINT");
    assert(await tr.statusWithin(10000), "tracer did not end");
    const text = await Deno.readTextFile(`${dir}/t`);
    const lines = bare(protoLines(text, "postgres"));
    const user = env.postgres_user ?? "postgres";
    // The backend reads what psql sent and writes the answers.
    const from = lines.indexOf(`in STARTUP user=${user} database=postgres application_name=psql`);
    assert(from >= 0, text);
    const mine = lines.slice(from).filter((l) =>
      !/^out (PARAMETER_STATUS|BACKEND_KEY_DATA) /.test(l)
    );
    assertEquals(mine, [
      `in STARTUP user=${user} database=postgres application_name=psql`,
      "out AUTH_OK",
      "out READY_FOR_QUERY idle",
      "in QUERY select 6 * 7",
      "out COMPLETE SELECT 1 columns=?column? rows=1 first=[(42)]",
      "out READY_FOR_QUERY idle",
      "in QUERY select * from no_such_table",
      'out ERROR 42P01 relation "no_such_table" does not exist position=15',
      "out READY_FOR_QUERY idle",
      "in TERMINATE",
    ]);
  } finally {
    tr.kill("SIGINT");
    await tr.statusWithin(10000);
    await Deno.remove(dir, { recursive: true });
  }
  await assertStillServing(env);
});

e2e(
  "--requests on postgres and redis-server traced alone: each query a request, outcome shown",
  async (env) => {
    const dir = await Deno.makeTempDir();
    const pg = await firstLinePid(env.postgres_pid_file!);
    const rd = Number((await Deno.readTextFile(env.redis_pid_file!)).trim());
    const tr = await attachSctrace(["-f", "--requests", "-e", "trace=none", "-o", `${dir}/t`], [
      pg,
      rd,
    ]);
    try {
      const q = await run([
        "psql",
        ...psqlArgs(env, "tcp"),
        "-A",
        "-t",
        "-c",
        "select 6 * 7",
        "-c",
        "select * from no_such_table",
      ]);
      assertEquals(q.stdout, "42\n", q.stderr);
      const key = `sctrace:alone:${Deno.pid}`;
      for (const args of [["SET", key, "v"], ["GET", key], ["NOSUCH"], ["DEL", key]]) {
        await run(["redis-cli", "-p", String(env.redis_port), ...args]);
      }
      for (let i = 0; i < 100; i++) {
        const soFar = await Deno.readTextFile(`${dir}/t`).catch(() => "");
        if (soFar.includes(`DEL ${key} ->`) && soFar.includes("no_such_table")) break;
        await sleep(50);
      }
    } finally {
      tr.kill("SIGINT");
      assert(await tr.statusWithin(10000), "tracer did not end");
    }
    const text = await Deno.readTextFile(`${dir}/t`);
    await Deno.remove(dir, { recursive: true });
    const reqs = text.split("\n").filter((l) => / request /.test(l))
      .map((l) => l.replace(/^\d+ +request (\w+) (\S+)\[\d+\] \S+ -> \S+: /, "$1 $2: "))
      .map((l) => l.replace(/ \d+\.\d+ ms$/, ""));
    const user = env.postgres_user ?? "postgres";
    const key = `sctrace:alone:${Deno.pid}`;
    assertEquals(reqs, [
      `postgres postgres: STARTUP user=${user} database=postgres application_name=psql -> AUTH_OK`,
      "postgres postgres: QUERY select 6 * 7 -> COMPLETE SELECT 1 columns=?column? rows=1 first=[(42)]",
      'postgres postgres: QUERY select * from no_such_table -> ERROR 42P01 relation "no_such_table" does not exist position=15',
      `redis redis-server: SET ${key} v -> +OK`,
      `redis redis-server: GET ${key} -> "v"`,
      "redis redis-server: NOSUCH -> -ERR unknown command 'NOSUCH', with args beginning with: ",
      `redis redis-server: DEL ${key} -> :1`,
    ], text);
    await assertStillServing(env);
  },
);

e2e("postgres: -p on a psql whose startup happened before: joined mid-stream", async (env) => {
  const dir = await Deno.makeTempDir();
  const fifo = `${dir}/q`;
  assertEquals((await run(["mkfifo", fifo])).code, 0);
  const client = new Background("sh", [
    "-c",
    `exec psql ${psqlArgs(env, "unix").join(" ")} -A -t < ${fifo} > ${dir}/out`,
  ]);
  const w = await Deno.open(fifo, { write: true });
  const enc = new TextEncoder();
  try {
    await w.write(enc.encode("select 'before';\n"));
    // Connected, the first query answered, and back to reading its stdin (the fifo).
    const pid = client.child.pid;
    let before = false;
    for (let i = 0; i < 200 && !before; i++) {
      const out = await Deno.readTextFile(`${dir}/out`).catch(() => "");
      const wchan = (await Deno.readTextFile(`/proc/${pid}/wchan`).catch(() => "")).trim();
      before = out.includes("before") && /pipe/.test(wchan);
      if (!before) await sleep(50);
    }
    assert(before, "psql did not answer the first query");
    const tr = await attachSctrace(["--proto", "-e", "trace=none", "-o", `${dir}/trace`], [pid]);
    await w.write(enc.encode("select generate_series(1, 3001);\nselect 'after';\n"));
    w.close();
    assert(await tr.statusWithin(15000), "tracer did not end");
    assertEquals((await client.status()).code, 0);
    const text = await Deno.readTextFile(`${dir}/trace`);
    const lines = protoLines(text, "postgres").map((l) => l.replace(/fd=\d+/, "fd=N"));
    assertEquals(lines, [
      "[postgres fd=N] (joined mid-stream)",
      "[postgres fd=N out] QUERY select generate_series(1, 3001);",
      "[postgres fd=N in] COMPLETE SELECT 3001 columns=generate_series rows=3001 first=[(1)]",
      "[postgres fd=N in] READY_FOR_QUERY idle",
      "[postgres fd=N out] QUERY select 'after';",
      '[postgres fd=N in] COMPLETE SELECT 1 columns=?column? rows=1 first=[("after")]',
      "[postgres fd=N in] READY_FOR_QUERY idle",
      "[postgres fd=N out] TERMINATE",
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
  await assertStillServing(env);
});

e2e("redis: redis-cli's commands, an error, a nil and RESP3 over the unix socket", async (env) => {
  const dir = await Deno.makeTempDir();
  try {
    const key = `sctrace:e2e:${Deno.pid}`;
    const r = await run(
      [
        ...sctraceArgv(),
        "--proto=redis",
        "-e",
        "trace=none",
        "-o",
        `${dir}/t`,
        "redis-cli",
        "-s",
        env.redis_socket!,
      ],
      `SET ${key} "a value"\nGET ${key}\nINCR ${key}\nGET ${key}:none\nDEL ${key}\n`,
    );
    assertEquals(r.code, 0, r.stderr);
    assertEquals(
      r.stdout,
      "OK\na value\nERR value is not an integer or out of range\n\n\n1\n",
    );
    const lines = bare(protoLines(await Deno.readTextFile(`${dir}/t`), "redis"));
    // redis-cli asks for the command docs first (a long reply, cut); then ours, paired in order.
    const from = lines.indexOf(`out SET ${key} "a value"`);
    assert(from >= 0, lines.join("\n"));
    assertEquals(lines.slice(from), [
      `out SET ${key} "a value"`,
      "in +OK",
      `out GET ${key}`,
      'in "a value"',
      `out INCR ${key}`,
      "in -ERR value is not an integer or out of range",
      `out GET ${key}:none`,
      "in nil",
      `out DEL ${key}`,
      "in :1",
    ]);
    // RESP3: HELLO 3, then a map.
    const h = await run([
      ...sctraceArgv(),
      "--proto=redis",
      "-e",
      "trace=none",
      "-o",
      `${dir}/h`,
      "redis-cli",
      "-3",
      "-p",
      String(env.redis_port),
      "HGETALL",
      `${key}:nohash`,
    ]);
    assertEquals(h.code, 0, h.stderr);
    const hl = bare(protoLines(await Deno.readTextFile(`${dir}/h`), "redis"));
    assertEquals(hl[0], "out HELLO 3");
    assertMatch(hl[1], /^in %\d+ \{"server": "redis", "version": "[\d.]+", "proto": :3, /);
    assertEquals(hl.slice(2), [`out HGETALL ${key}:nohash`, "in %0 {}"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  await assertStillServing(env);
});

/** 1,000 commands for `redis-cli --pipe`: RESP SETs, inline INCRs (one fails), RESP GETs. */
function pipeline(key: string): { bytes: string; sets: number; incrs: number; gets: number } {
  let bytes = "";
  let sets = 0, incrs = 0, gets = 0;
  const resp = (...a: string[]) =>
    `*${a.length}\r\n${a.map((x) => `$${x.length}\r\n${x}\r\n`).join("")}`;
  for (let i = 0; i < 1000; i++) {
    if (i % 3 === 0) {
      bytes += resp("SET", `${key}:${i}`, `v${i}`);
      sets++;
    } else if (i % 3 === 1) {
      bytes += `INCR ${key}:${i === 1 ? 0 : "n"}\r\n`; // the first one on "v0": an error
      incrs++;
    } else {
      bytes += resp("GET", `${key}:${i - 2}`);
      gets++;
    }
  }
  return { bytes, sets, incrs, gets };
}

e2e(
  "redis: 1,000 pipelined commands (redis-cli --pipe), each reported and answered",
  async (env) => {
    const dir = await Deno.makeTempDir();
    try {
      const key = `sctrace:pipe:${Deno.pid}`;
      const p = pipeline(key);
      const r = await run([
        ...sctraceArgv(),
        "--proto=redis",
        "-e",
        "trace=none",
        "-o",
        `${dir}/t`,
        "redis-cli",
        "-p",
        String(env.redis_port),
        "--pipe",
      ], p.bytes);
      assertEquals(r.code, 1, r.stdout + r.stderr); // --pipe's status: one reply was an error
      assertMatch(r.stdout, /errors: 1, replies: 1000/);
      const lines = bare(protoLines(await Deno.readTextFile(`${dir}/t`), "redis"));
      const out = lines.filter((l) => l.startsWith("out "));
      const inn = lines.filter((l) => l.startsWith("in "));
      // 1,000 commands and redis-cli's closing ECHO; as many replies.
      assertEquals(out.length, 1001);
      assertEquals(inn.length, 1001);
      assertEquals(out.filter((l) => l.startsWith(`out SET ${key}:`)).length, p.sets);
      assertEquals(out.filter((l) => l.startsWith(`out INCR ${key}:`)).length, p.incrs);
      assertEquals(out.filter((l) => l.startsWith(`out GET ${key}:`)).length, p.gets);
      assertEquals(inn.filter((l) => l.startsWith("in -ERR")).length, 1);
      assertEquals(out[0], `out SET ${key}:0 v0`);
      assertEquals(out[1], `out INCR ${key}:0`);
      assertEquals(inn[1], "in -ERR value is not an integer or out of range");
      assertEquals(inn[2], 'in "v0"');
      assertMatch(out[1000], /^out ECHO "/);
      // -c: 1,001 requests, each paired with its reply.
      const c = await run([
        ...sctraceArgv(),
        "-c",
        "--proto=redis",
        "-o",
        `${dir}/c`,
        "redis-cli",
        "-p",
        String(env.redis_port),
        "--pipe",
      ], p.bytes);
      assertEquals(c.code, 1);
      assertMatch(await Deno.readTextFile(`${dir}/c`), /\nredis +2002 +1 +1001 /);
      await run(["redis-cli", "-p", String(env.redis_port), "EVAL", delScript, "0", `${key}:*`]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
    await assertStillServing(env);
  },
);

/** Deletes the keys matching a pattern (so repeated runs start clean). */
const delScript =
  "for _, k in ipairs(redis.call('KEYS', ARGV[1] or KEYS[1] or '')) do redis.call('DEL', k) end return 0";

e2e("redis: the server's side with -p on redis-server; it keeps serving", async (env) => {
  const dir = await Deno.makeTempDir();
  const pid = await firstLinePid(env.redis_pid_file!);
  const tr = await attachSctrace(["--proto=redis", "-e", "trace=none", "-o", `${dir}/t`], [pid]);
  try {
    const key = `sctrace:srv:${Deno.pid}`;
    const p = pipeline(key);
    const r = await run(["redis-cli", "-s", env.redis_socket!, "--pipe"], p.bytes);
    assertMatch(r.stdout, /errors: 1, replies: 1000/);
    const s = await run(["redis-cli", "-p", String(env.redis_port), "SET", `${key}:x`, "a\nb"]);
    assertEquals(s.stdout, "OK\n");
    tr.kill("SIGINT");
    assert(await tr.statusWithin(10000), "tracer did not end");
    const lines = bare(protoLines(await Deno.readTextFile(`${dir}/t`), "redis"));
    const inn = lines.filter((l) => l.startsWith("in "));
    const out = lines.filter((l) => l.startsWith("out "));
    // The server reads the commands and writes the replies: 1,001 + 1 of each.
    assertEquals(inn.filter((l) => l.startsWith(`in SET ${key}:`)).length, p.sets + 1);
    assertEquals(inn.filter((l) => l.startsWith(`in INCR ${key}:`)).length, p.incrs);
    assertEquals(inn.filter((l) => l.startsWith(`in GET ${key}:`)).length, p.gets);
    assertEquals(inn.length, 1002, inn.slice(-5).join("\n"));
    assertEquals(out.length, 1002, out.slice(-5).join("\n"));
    assert(inn.includes(`in SET ${key}:x "a\\nb"`), inn.slice(-3).join("\n"));
    assertEquals(out.filter((l) => l.startsWith("out -ERR")).length, 1);
    await run(["redis-cli", "-p", String(env.redis_port), "EVAL", delScript, "0", `${key}:*`]);
  } finally {
    tr.kill("SIGINT");
    await tr.statusWithin(10000);
    await Deno.remove(dir, { recursive: true });
  }
  await assertStillServing(env);
});
