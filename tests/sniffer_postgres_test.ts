/**
 * Tests of the PostgreSQL sniffer: captures recorded between psql 15 / php pgsql (libpq) and
 * PostgreSQL 15 (Debian 12) through a loopback proxy (testdata/sniff_postgres.json: simple
 * queries, an error, a multi-statement query in a failed transaction, the extended protocol with
 * bound parameters, a named prepared statement), and hand-built streams for what the e2e server
 * does not do (MD5 and SCRAM authentication, FATAL errors, COPY, notices, huge rows). Every stream
 * is also split byte by byte, coalesced and split at random, with the same messages expected.
 */
import assert from "node:assert/strict";
import { createPostgresSniffer, postgresSniffer } from "../decoders/sniffers/postgres.ts";
import { b, type Bounded, cat, check, checkCapture, fieldsOf, run } from "./helpers/sniff.ts";

const CAPTURE_EXPECTED: string[][] = [
  [
    "out SSL_REQUEST SSL_REQUEST",
    "in SSL_RESPONSE SSL_RESPONSE N (no encryption)",
    "out STARTUP STARTUP user=postgres database=postgres application_name=psql [req]",
    "in AUTH_OK AUTH_OK",
    'in PARAMETER_STATUS PARAMETER_STATUS application_name=psql client_encoding=UTF8 DateStyle="ISO, MDY" default_transaction_read_only=off in_hot_standby=off integer_datetimes=on IntervalStyle=postgres is_superuser=on server_encoding=UTF8 server_version="15.18 (Debian 15.18-0+deb12u1)" session_authorization=postgres standard_conforming_strings=on TimeZone=Etc/UTC',
    "in BACKEND_KEY_DATA BACKEND_KEY_DATA pid=3242",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY select 1 as a, 'x y' as b, null as c [req]",
    'in COMPLETE COMPLETE SELECT 1 columns=a,b,c rows=1 first=[(1, "x y", NULL)]',
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY select * from nosuch [req]",
    'in ERROR ERROR 42P01 relation "nosuch" does not exist position=15 [err]',
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY create temp table t(id int, s text); insert into t values (1,'a'),(2,'b'); select * from t; begin; select 1/0; rollback [req]",
    "in COMPLETE COMPLETE CREATE TABLE",
    "in COMPLETE COMPLETE INSERT 0 2",
    'in COMPLETE COMPLETE SELECT 2 columns=id,s rows=2 first=[(1, "a")]',
    "in COMPLETE COMPLETE BEGIN",
    "in ERROR ERROR 22012 division by zero [err]",
    "in READY_FOR_QUERY READY_FOR_QUERY failed_transaction [resp]",
    "out TERMINATE TERMINATE",
  ],
  [
    "out STARTUP STARTUP user=postgres database=postgres [req]",
    "in AUTH_OK AUTH_OK",
    'in PARAMETER_STATUS PARAMETER_STATUS application_name="" client_encoding=UTF8 DateStyle="ISO, MDY" default_transaction_read_only=off in_hot_standby=off integer_datetimes=on IntervalStyle=postgres is_superuser=on server_encoding=UTF8 server_version="15.18 (Debian 15.18-0+deb12u1)" session_authorization=postgres standard_conforming_strings=on TimeZone=Etc/UTC',
    "in BACKEND_KEY_DATA BACKEND_KEY_DATA pid=3257",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out PARSE PARSE select $1::int + 1 as n, $2::text as t, $3::text as z",
    'out BIND BIND params=("41", "hello\\nworld", NULL)',
    'out DESCRIBE DESCRIBE portal ""',
    'out EXECUTE EXECUTE select $1::int + 1 as n, $2::text as t, $3::text as z params=("41", "hello\\nworld", NULL)',
    "out SYNC SYNC [req]",
    "in PARSE_COMPLETE PARSE_COMPLETE",
    "in BIND_COMPLETE BIND_COMPLETE",
    'in COMPLETE COMPLETE SELECT 1 columns=n,t,z rows=1 first=[(42, "hello\\nworld", NULL)]',
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out PARSE PARSE select * from nosuch where id = $1",
    'out BIND BIND params=("1")',
    'out DESCRIBE DESCRIBE portal ""',
    'out EXECUTE EXECUTE select * from nosuch where id = $1 params=("1")',
    "out SYNC SYNC [req]",
    'in ERROR ERROR 42P01 relation "nosuch" does not exist position=15 [err]',
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out PARSE PARSE stmt=s1 select generate_series(1, $1::int) as g",
    "out SYNC SYNC [req]",
    "in PARSE_COMPLETE PARSE_COMPLETE",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    'out BIND BIND stmt=s1 params=("5")',
    'out DESCRIBE DESCRIBE portal ""',
    'out EXECUTE EXECUTE select generate_series(1, $1::int) as g params=("5")',
    "out SYNC SYNC [req]",
    "in BIND_COMPLETE BIND_COMPLETE",
    "in COMPLETE COMPLETE SELECT 5 columns=g rows=5 first=[(1)]",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out TERMINATE TERMINATE",
  ],
  [
    "out SSL_REQUEST SSL_REQUEST",
    "in SSL_RESPONSE SSL_RESPONSE N (no encryption)",
    "out STARTUP STARTUP user=postgres database=postgres application_name=psql [req]",
    "in AUTH_OK AUTH_OK",
    'in PARAMETER_STATUS PARAMETER_STATUS application_name=psql client_encoding=UTF8 DateStyle="ISO, MDY" default_transaction_read_only=off in_hot_standby=off integer_datetimes=on IntervalStyle=postgres is_superuser=on server_encoding=UTF8 server_version="15.18 (Debian 15.18-0+deb12u1)" session_authorization=postgres standard_conforming_strings=on TimeZone=Etc/UTC',
    "in BACKEND_KEY_DATA BACKEND_KEY_DATA pid=3275",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY select generate_series(1,3) [req]",
    "in COMPLETE COMPLETE SELECT 3 columns=generate_series rows=3 first=[(1)]",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out TERMINATE TERMINATE",
  ],
];

const pg = postgresSniffer;

const be4 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const be2 = (v: number): number[] => [(v >> 8) & 255, v & 255];
const z = (s: string): Uint8Array => cat(b(s), [0]);

/** A typed message: type byte, length (itself included), payload. */
function msg(type: string, ...payload: (Uint8Array | number[])[]): Uint8Array {
  const p = cat(...payload);
  return cat([type.charCodeAt(0)], be4(p.length + 4), p);
}
/** A startup-phase packet (no type byte). */
function untyped(...payload: (Uint8Array | number[])[]): Uint8Array {
  const p = cat(...payload);
  return cat(be4(p.length + 4), p);
}
const startup = (user: string, db: string): Uint8Array =>
  untyped(be4(196608), z("user"), z(user), z("database"), z(db), [0]);
const ready = (s = "I"): Uint8Array => msg("Z", b(s));
const authOk = msg("R", be4(0));
const rowDesc = (...cols: [string, number][]): Uint8Array =>
  msg(
    "T",
    be2(cols.length),
    ...cols.map(([n, oid]) => cat(z(n), be4(0), be2(0), be4(oid), be2(4), be4(-1), be2(0))),
  );
const dataRow = (...vals: (string | null)[]): Uint8Array =>
  msg(
    "D",
    be2(vals.length),
    ...vals.map((v) => (v === null ? be4(-1) : cat(be4(b(v).length), b(v)))),
  );
const complete = (tag: string): Uint8Array => msg("C", z(tag));
const error = (sev: string, code: string, m: string, extra: Uint8Array = new Uint8Array()) =>
  msg("E", z("S" + sev), z("V" + sev), z("C" + code), z("M" + m), extra, [0]);

Deno.test("postgres: recorded psql and php pgsql <-> PostgreSQL 15 captures, both sides", () => {
  checkCapture(pg, "sniff_postgres.json", CAPTURE_EXPECTED, "traced server side");
});

Deno.test("postgres: every request is answered once (latency pairs), outcome named", () => {
  const p = pg.create({ pid: 1, fd: 3 });
  const out = [
    ...p.push("out", startup("u", "d")),
    ...p.push("in", cat(authOk, ready())),
    ...p.push("out", msg("Q", z("select * from nosuch"))),
    ...p.push("in", cat(error("ERROR", "42P01", 'relation "nosuch" does not exist'), ready())),
    ...p.push("out", msg("Q", z("select 1"))),
    ...p.push("in", cat(rowDesc(["x", 23]), dataRow("1"), complete("SELECT 1"), ready())),
  ];
  assert.deepEqual(out.filter((m) => m.request).map((m) => m.request), [
    "STARTUP user=u database=d",
    "QUERY select * from nosuch",
    "QUERY select 1",
  ]);
  assert.deepEqual(out.filter((m) => m.response).map((m) => m.outcome), [
    "AUTH_OK",
    "ERROR 42P01",
    "SELECT 1",
  ]);
  assert.equal(out.filter((m) => m.error).length, 1);
});

Deno.test("postgres: MD5 and SCRAM authentication are named, no secret is printed", () => {
  const md5 = [
    ["out", startup("wp", "wordpress")],
    ["in", msg("R", be4(5), [1, 2, 3, 4])],
    ["out", msg("p", z("md5" + "0123456789abcdef0123456789abcdef"))],
    ["in", cat(authOk, msg("S", z("server_version"), z("15.18")), msg("K", be4(77), be4(12345)))],
    ["in", ready()],
  ] as [("in" | "out"), Uint8Array][];
  check(pg, md5, [
    "out STARTUP STARTUP user=wp database=wordpress [req]",
    "in AUTH_MD5_PASSWORD AUTH_MD5_PASSWORD",
    "out PASSWORD PASSWORD len=36",
    "in AUTH_OK AUTH_OK",
    "in PARAMETER_STATUS PARAMETER_STATUS server_version=15.18",
    "in BACKEND_KEY_DATA BACKEND_KEY_DATA pid=77",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
  ]);
  const first = b("n,,n=,r=rOprNGfwEbeRWgbNEkqO");
  const scram = [
    ["out", startup("wp", "wordpress")],
    ["in", msg("R", be4(10), z("SCRAM-SHA-256-PLUS"), z("SCRAM-SHA-256"), [0])],
    ["out", msg("p", z("SCRAM-SHA-256"), be4(first.length), first)],
    ["in", msg("R", be4(11), b("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF,s=W22Z,i=4096"))],
    ["out", msg("p", b("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF,p=dHzbZap"))],
    ["in", msg("R", be4(12), b("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))],
    ["in", cat(authOk, ready())],
  ] as [("in" | "out"), Uint8Array][];
  const lines = run(pg, scram);
  check(pg, scram, [
    "out STARTUP STARTUP user=wp database=wordpress [req]",
    "in AUTH_SASL AUTH_SASL mechanisms=SCRAM-SHA-256-PLUS,SCRAM-SHA-256",
    "out SASL_INITIAL_RESPONSE SASL_INITIAL_RESPONSE mechanism=SCRAM-SHA-256 len=28",
    "in AUTH_SASL_CONTINUE AUTH_SASL_CONTINUE len=63",
    "out SASL_RESPONSE SASL_RESPONSE len=66",
    "in AUTH_SASL_FINAL AUTH_SASL_FINAL len=46",
    "in AUTH_OK AUTH_OK",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
  ]);
  for (const secret of ["rOprNGfw", "W22Z", "dHzbZap", "6rriTRB", "0123456789abcdef"]) {
    assert.ok(!lines.join("\n").includes(secret), secret);
  }
});

Deno.test("postgres: a FATAL error answers the startup; GSSENC refused; cancel request", () => {
  check(pg, [
    ["out", untyped(be4(80877104))],
    ["in", b("N")],
    ["out", startup("nobody", "x")],
    ["in", error("FATAL", "28000", 'role "nobody" does not exist')],
  ], [
    "out GSSENC_REQUEST GSSENC_REQUEST",
    "in GSSENC_RESPONSE GSSENC_RESPONSE N (no encryption)",
    "out STARTUP STARTUP user=nobody database=x [req]",
    'in FATAL FATAL 28000 role "nobody" does not exist [resp] [err]',
  ]);
  check(pg, [["out", untyped(be4(80877102), be4(4242), be4(987654321))]], [
    "out CANCEL_REQUEST CANCEL_REQUEST pid=4242",
  ]);
  // SSL accepted: the rest is TLS, not decoded.
  check(pg, [
    ["out", untyped(be4(80877103))],
    ["in", b("S")],
    ["out", b("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")],
  ], [
    "out SSL_REQUEST SSL_REQUEST",
    "in SSL_RESPONSE SSL_RESPONSE S (the rest is encrypted, not decoded)",
  ]);
});

Deno.test("postgres: extended protocol with named statement, typed and binary parameters", () => {
  const session = [
    ["out", startup("u", "d")],
    ["in", cat(authOk, ready())],
    [
      "out",
      cat(
        msg("P", z("s1"), z("select $1::int + $2, $3"), be2(3), be4(23), be4(23), be4(0)),
        msg("D", b("S"), z("s1")),
        msg("S"),
      ),
    ],
    [
      "in",
      cat(
        msg("1"),
        msg("t", be2(3), be4(23), be4(23), be4(25)),
        rowDesc(["?column?", 23], ["t", 25]),
        ready(),
      ),
    ],
    [
      "out",
      cat(
        msg(
          "B",
          z("p1"),
          z("s1"),
          be2(3),
          be2(0),
          be2(1),
          be2(0),
          be2(3),
          be4(2),
          b("41"),
          be4(4),
          be4(1),
          be4(-1),
          be2(0),
        ),
        msg("E", z("p1"), be4(2)),
        msg("H"),
      ),
    ],
    ["in", cat(msg("2"), dataRow("42", null), dataRow("43", "x"), msg("s"))],
    ["out", cat(msg("E", z("p1"), be4(0)), msg("C", b("P"), z("p1")), msg("S"))],
    ["in", cat(dataRow("44", "y"), complete("SELECT 1"), msg("3"), ready("T"))],
    ["out", msg("X")],
  ] as [("in" | "out"), Uint8Array][];
  check(pg, session, [
    "out STARTUP STARTUP user=u database=d [req]",
    "in AUTH_OK AUTH_OK",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out PARSE PARSE stmt=s1 types=(23,23,0) select $1::int + $2, $3",
    "out DESCRIBE DESCRIBE statement s1",
    "out SYNC SYNC [req]",
    "in PARSE_COMPLETE PARSE_COMPLETE",
    "in PARAMETER_DESCRIPTION PARAMETER_DESCRIPTION types=(23,23,25)",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out BIND BIND portal=p1 stmt=s1 params=(41, <binary 4 bytes>, NULL)",
    "out EXECUTE EXECUTE portal=p1 max_rows=2 select $1::int + $2, $3 params=(41, <binary 4 bytes>, NULL)",
    "out FLUSH FLUSH",
    "in BIND_COMPLETE BIND_COMPLETE",
    "in PORTAL_SUSPENDED PORTAL_SUSPENDED columns=?column?,t rows=2 first=[(42, NULL)]",
    "out EXECUTE EXECUTE portal=p1 select $1::int + $2, $3 params=(41, <binary 4 bytes>, NULL)",
    "out CLOSE CLOSE portal p1",
    "out SYNC SYNC [req]",
    'in COMPLETE COMPLETE SELECT 1 columns=?column?,t rows=1 first=[(44, "y")]',
    "in CLOSE_COMPLETE CLOSE_COMPLETE",
    "in READY_FOR_QUERY READY_FOR_QUERY in_transaction [resp]",
    "out TERMINATE TERMINATE",
  ]);
  // The SYNC request is named by the batch's first EXECUTE (SQL and parameters).
  const p = pg.create({ pid: 1, fd: 3, remotePort: 5432 });
  p.push("out", msg("P", z(""), z("select $1"), be2(0)));
  p.push("out", msg("B", z(""), z(""), be2(0), be2(1), be4(2), b("42"), be2(0)));
  p.push("out", msg("E", z(""), be4(0)));
  p.push("out", msg("E", z(""), be4(0)));
  const [sync] = p.push("out", msg("S"));
  assert.equal(sync.request, 'EXECUTE select $1 params=("42") (+1 more)');
});

Deno.test("postgres: 100,000 rows counted, only the first kept; memory stays bounded", () => {
  const sn = createPostgresSniffer({ cap: 4096 });
  const p = sn.create({ pid: 1, fd: 3, remotePort: 5432 }) as Bounded;
  p.push("out", msg("Q", z("select generate_series(1, 100000)")));
  const rows: Uint8Array[] = [rowDesc(["generate_series", 23])];
  for (let i = 1; i <= 100000; i++) rows.push(dataRow(String(i)));
  const all = cat(...rows, complete("SELECT 100000"), ready());
  const got: string[] = [];
  let max = 0;
  for (let i = 0; i < all.length; i += 65536) {
    for (const m of p.push("in", all.subarray(i, i + 65536))) got.push(m.text);
    max = Math.max(max, p.buffered());
  }
  assert.deepEqual(got, [
    "COMPLETE SELECT 100000 columns=generate_series rows=100000 first=[(1)]",
    "READY_FOR_QUERY idle",
  ]);
  assert.ok(max <= 4096, `held ${max}`);
  // A 5 MB row (bytea, say): decoded from its first 64 KiB, the rest skipped as it arrives.
  const big = "x".repeat(5 << 20);
  p.push("out", msg("Q", z("select big")));
  const parts = cat(rowDesc(["big", 17]), dataRow(big), complete("SELECT 1"), ready());
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 100000) {
    for (const m of p.push("in", parts.subarray(i, i + 100000))) lines.push(m.text);
    max = Math.max(max, p.buffered());
  }
  assert.deepEqual(lines, [
    `COMPLETE SELECT 1 columns=big rows=1 first=[("${"x".repeat(64)}"...)]`,
    "READY_FOR_QUERY idle",
  ]);
  assert.ok(max <= 4096 + 65536, `held ${max}`);
});

Deno.test("postgres: COPY, notices, notifications, empty query, function call", () => {
  check(pg, [
    ["out", msg("Q", z("copy t from stdin"))],
    ["in", msg("G", [0], be2(2), be2(0), be2(0))],
    ["out", cat(msg("d", b("1\ta\n")), msg("d", b("2\tb\n")), msg("c"))],
    ["in", cat(complete("COPY 2"), ready())],
    ["out", msg("Q", z("copy t to stdout"))],
    [
      "in",
      cat(
        msg("H", [0], be2(2), be2(0), be2(0)),
        msg("d", b("1\ta\n")),
        msg("c"),
        complete("COPY 1"),
        ready(),
      ),
    ],
    ["out", msg("Q", z(""))],
    ["in", cat(msg("I"), ready())],
    ["out", msg("Q", z("drop table if exists nope; listen ch"))],
    [
      "in",
      cat(
        msg(
          "N",
          z("SNOTICE"),
          z("VNOTICE"),
          z("C00000"),
          z('Mtable "nope" does not exist, skipping'),
          [0],
        ),
        complete("DROP TABLE"),
        complete("LISTEN"),
        ready(),
        msg("A", be4(99), z("ch"), z("hello\nthere")),
      ),
    ],
    ["out", msg("F", be4(1598), be2(0), be2(1), be4(1), b("5"), be2(0))],
    ["in", cat(msg("V", be4(2), b("ok")), ready())],
  ], [
    "out QUERY QUERY copy t from stdin [req]",
    "in COPY_IN_RESPONSE COPY_IN_RESPONSE columns=2 format=text",
    "out COPY_DONE COPY_DONE messages=2 bytes=8",
    "in COMPLETE COMPLETE COPY 2",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY copy t to stdout [req]",
    "in COPY_OUT_RESPONSE COPY_OUT_RESPONSE columns=2 format=text",
    "in COPY_DONE COPY_DONE messages=1 bytes=4",
    "in COMPLETE COMPLETE COPY 1",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY  [req]",
    "in EMPTY_QUERY EMPTY_QUERY",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    "out QUERY QUERY drop table if exists nope; listen ch [req]",
    'in NOTICE NOTICE 00000 table "nope" does not exist, skipping',
    "in COMPLETE COMPLETE DROP TABLE",
    "in COMPLETE COMPLETE LISTEN",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
    'in NOTIFICATION NOTIFICATION pid=99 channel=ch payload="hello\\nthere"',
    "out FUNCTION_CALL FUNCTION_CALL oid=1598 args=1 [req]",
    "in FUNCTION_CALL_RESPONSE FUNCTION_CALL_RESPONSE len=2",
    "in READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
  ]);
});

Deno.test("postgres: hostile bytes are escaped; errors carry detail and hint", () => {
  check(pg, [
    ["out", msg("Q", z("select '\r\n[postgres fd=3 in] READY_FOR_QUERY idle\x1b[2J'"))],
    [
      "in",
      cat(
        error("ERROR", "42601", "syntax\nerror", cat(z("Dline\x1b[31m"), z('Hdo "this"'))),
        ready("E"),
      ),
    ],
  ], [
    "out QUERY QUERY select '\\r\\n[postgres fd=3 in] READY_FOR_QUERY idle\\33[2J' [req]",
    'in ERROR ERROR 42601 syntax\\nerror detail="line\\33[31m" hint="do \\"this\\"" [err]',
    "in READY_FOR_QUERY READY_FOR_QUERY failed_transaction [resp]",
  ]);
});

Deno.test("postgres: garbage yields one desync note and no throw; the next message parses", () => {
  const p = pg.create({ pid: 1, fd: 3, remotePort: 5432 });
  const junk = p.push("in", b("\xff\xfe garbage that is not a message"));
  assert.deepEqual(junk.map((m) => m.kind), ["desync"]);
  assert.deepEqual(p.push("out", msg("Q", z("select 1"))).map((m) => m.text), ["QUERY select 1"]);
  assert.deepEqual(p.push("in", cat(complete("SELECT 1"), ready())).map((m) => m.text), [
    "COMPLETE SELECT 1",
    "READY_FOR_QUERY idle",
  ]);
});

Deno.test("postgres: detection by port, socket path, startup packet and a joined query", () => {
  const s = { pid: 1, fd: 3, path: "socket:[1]" };
  const e = new Uint8Array();
  assert.equal(pg.detect({ ...s, remotePort: 5432 }, "out", e), true);
  assert.equal(pg.detect({ ...s, localPort: 15432 }, "in", e), true);
  assert.equal(pg.detect({ ...s, unixPath: "/run/postgresql/.s.PGSQL.5432" }, "out", e), true);
  assert.equal(pg.detect({ ...s, unixPath: "/run/mysqld/mysqld.sock" }, "out", e), undefined);
  assert.equal(pg.detect(s, "out", startup("u", "d")), true);
  assert.equal(pg.detect(s, "out", untyped(be4(80877103))), true);
  assert.equal(pg.detect(s, "out", startup("u", "d").subarray(0, 6)), undefined);
  assert.equal(pg.detect(s, "out", msg("Q", z("select 1"))), true);
  assert.equal(pg.detect(s, "in", msg("P", z(""), z("select $1"), be2(0))), true);
  assert.equal(pg.detect(s, "out", b("GET / HTTP/1.1\r\n")), false);
  assert.equal(pg.detect(s, "out", b("*1\r\n$4\r\nPING\r\n")), false);
  // Joined mid-connection on the server's side: a query read, then its answer.
  const lines = run(pg, [
    ["in", msg("Q", z("select 2"))],
    ["out", cat(rowDesc(["n", 23]), dataRow("2"), complete("SELECT 1"), ready())],
  ]);
  assert.deepEqual(lines, [
    "in QUERY QUERY select 2 [req]",
    "out COMPLETE COMPLETE SELECT 1 columns=n rows=1 first=[(2)]",
    "out READY_FOR_QUERY READY_FOR_QUERY idle [resp]",
  ]);
});

Deno.test("postgres: long rows after the first are counted and none of them is kept", () => {
  const sn = createPostgresSniffer({ cap: 4096 });
  const p = sn.create({ pid: 1, fd: 3, remotePort: 5432 }) as Bounded;
  p.push("out", msg("Q", z("select blob from t")));
  const row = dataRow("y".repeat(200000));
  const all = cat(
    rowDesc(["blob", 25]),
    ...Array.from({ length: 20 }, () => row),
    complete("SELECT 20"),
    ready(),
  );
  const got: string[] = [];
  let max = 0;
  for (let i = 0; i < all.length; i += 10000) {
    for (const m of p.push("in", all.subarray(i, i + 10000))) got.push(m.text);
    max = Math.max(max, p.buffered());
  }
  assert.deepEqual(got, [
    `COMPLETE SELECT 20 columns=blob rows=20 first=[("${"y".repeat(64)}"...)]`,
    "READY_FOR_QUERY idle",
  ]);
  assert.ok(max <= 4096 + 65536, `held ${max}`);
});

Deno.test("postgres: structured fields: query, bound values, rows, SQLSTATE", () => {
  const got = fieldsOf(pg, [
    ["out", startup("u", "d")],
    ["in", cat(authOk, ready())],
    ["out", msg("Q", z("select 1 as n"))],
    ["in", cat(rowDesc(["n", 23]), dataRow("1"), complete("SELECT 1"), ready())],
    ["out", msg("P", z("s1"), z("select $1::int"), be2(0))],
    ["out", msg("B", z(""), z("s1"), be2(0), be2(1), be4(2), b("21"), be2(0))],
    ["out", msg("E", z(""), be4(0))],
    ["out", msg("S")],
    ["in", cat(msg("1"), msg("2"), complete("UPDATE 3"), ready())],
    ["out", msg("Q", z("select * from nope"))],
    ["in", cat(error("ERROR", "42P01", 'relation "nope" does not exist'), ready())],
  ]);
  const of = (k: string, i = 0) => got.filter(([kind]) => kind === k)[i]?.[1];
  assert.deepEqual(of("QUERY"), { type: "QUERY", query: "select 1 as n" });
  assert.deepEqual(of("COMPLETE"), {
    type: "COMPLETE",
    tag: "SELECT 1",
    columns: ["n"],
    rows: 1,
    first: "(1)",
  });
  assert.deepEqual(of("PARSE"), { type: "PARSE", statement: "s1", query: "select $1::int" });
  assert.deepEqual(of("BIND"), {
    type: "BIND",
    portal: "",
    statement: "s1",
    query: "select $1::int",
    params: ['"21"'],
  });
  assert.deepEqual(of("EXECUTE"), {
    type: "EXECUTE",
    portal: "",
    query: "select $1::int",
    params: ['"21"'],
  });
  assert.deepEqual(of("COMPLETE", 1), { type: "COMPLETE", tag: "UPDATE 3", affected_rows: 3 });
  assert.deepEqual(of("ERROR"), {
    type: "ERROR",
    severity: "ERROR",
    sqlstate: "42P01",
    message: 'relation "nope" does not exist',
    error: true,
  });
  assert.deepEqual(of("QUERY", 1), { type: "QUERY", query: "select * from nope" });
});
