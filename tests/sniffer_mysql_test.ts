/**
 * Tests of the MySQL/MariaDB sniffer: hand-built packet streams (each also split byte by byte,
 * coalesced and split at random, with the same messages expected) and captures recorded between
 * clients (PHP mysqlnd, the mariadb CLI, and a small client using CLIENT_DEPRECATE_EOF and
 * multi-statements) and MariaDB 10.11 (Debian 12) through a loopback proxy
 * (testdata/sniff_mysql_mariadb.json).
 */
import assert from "node:assert/strict";
import { createMysqlSniffer, mysqlSniffer } from "../decoders/sniffers/mysql.ts";
import {
  b,
  type Bounded,
  cat,
  check,
  checkCapture,
  fieldsOf,
  flip,
  flipLines,
  loadCapture,
  run,
} from "./helpers/sniff.ts";

const CAPTURE_EXPECTED: string[][] = [
  [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.19-MariaDB-0+deb12u1 thread=4 auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password attrs={_client_name=mysqlnd,_server_host=127.0.0.1} [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT ID, post_title FROM wp_posts ORDER BY ID LIMIT 3 [req]",
    'in RESULTSET RESULTSET columns=ID,post_title rows=3 first=[(1, "Hello world!")] [resp]',
    "out COM_QUERY COM_QUERY UPDATE wp_posts SET score = score + 1 WHERE ID = 1 [req]",
    'in OK OK affected_rows=1 insert_id=0 info="Rows matched: 1  Changed: 1  Warnings: 0" [resp]',
    "out COM_QUERY COM_QUERY SELECT * FROM nosuch [req]",
    "in ERR ERR 1146 (42S02) Table 'wordpress.nosuch' doesn't exist [resp] [err]",
    "out COM_STMT_PREPARE COM_STMT_PREPARE SELECT ID, post_title, post_date, score, note FROM wp_posts WHERE ID > ? AND post_title <> ? [req]",
    "in STMT_PREPARE_OK STMT_PREPARE_OK stmt=1 columns=5 params=2 [resp]",
    'out COM_STMT_EXECUTE COM_STMT_EXECUTE stmt=1 params=(1, "zz") [req]',
    'in RESULTSET RESULTSET columns=ID,post_title,post_date,score,note rows=2 first=[(2, "Sample Page", "2024-02-03 04:05:06", 2.25, "x y")] [resp]',
    "out COM_STMT_CLOSE COM_STMT_CLOSE stmt=1",
    "out COM_QUERY COM_QUERY INSERT INTO wp_posts (post_title) VALUES ('new') [req]",
    "in OK OK affected_rows=1 insert_id=4 [resp]",
    "out COM_QUERY COM_QUERY SELECT COUNT(*) FROM wp_posts WHERE 1=0 [req]",
    "in RESULTSET RESULTSET columns=COUNT(*) rows=1 first=[(0)] [resp]",
    "out COM_PING COM_PING [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_INIT_DB COM_INIT_DB wordpress [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUIT COM_QUIT",
  ],
  [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.19-MariaDB-0+deb12u1 thread=5 auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password attrs={_client_name=mysqlnd,_server_host=127.0.0.1} [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT ID, post_title FROM wp_posts ORDER BY ID LIMIT 3 [req]",
    'in RESULTSET RESULTSET columns=ID,post_title rows=3 first=[(1, "Hello world!")] [resp]',
    "out COM_QUERY COM_QUERY UPDATE wp_posts SET score = score + 1 WHERE ID = 1 [req]",
    'in OK OK affected_rows=1 insert_id=0 info="Rows matched: 1  Changed: 1  Warnings: 0" [resp]',
    "out COM_QUERY COM_QUERY SELECT * FROM nosuch [req]",
    "in ERR ERR 1146 (42S02) Table 'wordpress.nosuch' doesn't exist [resp] [err]",
    "out COM_STMT_PREPARE COM_STMT_PREPARE SELECT ID, post_title, post_date, score, note FROM wp_posts WHERE ID > ? AND post_title <> ? [req]",
    "in STMT_PREPARE_OK STMT_PREPARE_OK stmt=2 columns=5 params=2 [resp]",
    'out COM_STMT_EXECUTE COM_STMT_EXECUTE stmt=2 params=(1, "zz") [req]',
    'in RESULTSET RESULTSET columns=ID,post_title,post_date,score,note rows=3 first=[(2, "Sample Page", "2024-02-03 04:05:06", 2.25, "x y")] [resp]',
    "out COM_STMT_CLOSE COM_STMT_CLOSE stmt=2",
    "out COM_QUERY COM_QUERY INSERT INTO wp_posts (post_title) VALUES ('new') [req]",
    "in OK OK affected_rows=1 insert_id=5 [resp]",
    "out COM_QUERY COM_QUERY SELECT COUNT(*) FROM wp_posts WHERE 1=0 [req]",
    "in RESULTSET RESULTSET columns=COUNT(*) rows=1 first=[(0)] [resp]",
    "out COM_PING COM_PING [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_INIT_DB COM_INIT_DB wordpress [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUIT COM_QUIT",
  ],
  [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.19-MariaDB-0+deb12u1 thread=6 auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password attrs={_os=Linux,_client_name=libmariadb,_pid=26153,_client_version=3.3.20,_platform=x86_64,program_name=mysql,_server_host=127.0.0.1} [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT ID, post_title, note FROM wp_posts LIMIT 2 [req]",
    'in RESULTSET RESULTSET columns=ID,post_title,note rows=2 first=[(1, "Hello world!", NULL)] [resp]',
    "out COM_QUERY COM_QUERY SHOW WARNINGS [req]",
    "in RESULTSET RESULTSET columns=Level,Code,Message rows=0 [resp]",
    "out COM_QUERY COM_QUERY DO 1 [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT 1/0 [req]",
    "in RESULTSET RESULTSET columns=1/0 rows=1 first=[(NULL)] [resp]",
    "out COM_QUIT COM_QUIT",
  ],
  [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.19-MariaDB-0+deb12u1 thread=7 auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT ID, post_title FROM wp_posts ORDER BY ID LIMIT 2 [req]",
    'in RESULTSET RESULTSET columns=ID,post_title rows=2 first=[(1, "Hello world!")] [resp]',
    "out COM_QUERY COM_QUERY SELECT ID FROM wp_posts WHERE 1=0 [req]",
    "in RESULTSET RESULTSET columns=ID rows=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT 1 AS a; SELECT 'two' AS b; UPDATE wp_posts SET score=score WHERE ID=1 [req]",
    "in RESULTSET RESULTSET columns=a rows=1 first=[(1)]",
    'in RESULTSET RESULTSET columns=b rows=1 first=[("two")]',
    'in OK OK affected_rows=0 insert_id=0 info="Rows matched: 1  Changed: 0  Warnings: 0" [resp]',
    "out COM_QUERY COM_QUERY SELECT nope FROM wp_posts [req]",
    "in ERR ERR 1054 (42S22) Unknown column 'nope' in 'SELECT' [resp] [err]",
    "out COM_PING COM_PING [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUIT COM_QUIT",
  ],
];

const my = mysqlSniffer;

/** A packet: 3-byte length, sequence id, payload. */
function pkt(seq: number, ...payload: (Uint8Array | number[])[]): Uint8Array {
  const p = cat(...payload);
  return cat([p.length & 255, (p.length >> 8) & 255, p.length >> 16, seq], p);
}
const le2 = (v: number): number[] => [v & 255, v >> 8];
const le4 = (v: number): number[] => [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24];
const z = (s: string): Uint8Array => cat(b(s), [0]);
const lstr = (s: string): Uint8Array => cat([b(s).length], b(s));

const CAPS = 0x8 | 0x200 | 0x8000 | 0x80000 | 0x20000;
const greeting = pkt(
  0,
  [10],
  z("5.5.5-10.11.6-MariaDB-0+deb12u1"),
  le4(12),
  b("abcdefgh"),
  [0],
  le2(0xf7fe),
  [45],
  le2(2),
  le2(0x81ff),
  [21],
  new Array(10).fill(0),
  b("ijklmnopqrst"),
  [0],
  z("mysql_native_password"),
);
function login(caps: number): Uint8Array {
  return pkt(
    1,
    le4(caps),
    le4(1 << 24),
    [45],
    new Array(23).fill(0),
    z("wp"),
    [20],
    new Array(20).fill(7),
    z("wordpress"),
    z("mysql_native_password"),
  );
}
function coldef(name: string, type: number, flags = 0): Uint8Array {
  return cat(
    lstr("def"),
    lstr("wordpress"),
    lstr("wp_posts"),
    lstr("wp_posts"),
    lstr(name),
    lstr(name),
    [0x0c],
    le2(45),
    le4(80),
    [type],
    le2(flags),
    [0, 0, 0],
  );
}
const OK = [0, 0, 0, 2, 0, 0, 0];
const EOF = [0xfe, 0, 0, 2, 0];

Deno.test("mysql: handshake, login, query with classic EOF result set, OK, ERR, quit", () => {
  const row = (id: string, t: string | null) => cat(lstr(id), t === null ? [0xfb] : lstr(t));
  check(my, [
    ["in", greeting],
    ["out", login(CAPS)],
    ["in", pkt(2, OK)],
    ["out", pkt(0, [3], b("SELECT ID, post_title\nFROM wp_posts\tLIMIT 3"))],
    [
      "in",
      cat(
        pkt(1, [2]),
        pkt(2, coldef("ID", 8, 32)),
        pkt(3, coldef("post_title", 253)),
        pkt(4, EOF),
        pkt(5, row("4", "Hello world!")),
        pkt(6, row("5", null)),
        pkt(7, row("6", 'a "quoted"\nvalue')),
        pkt(8, EOF),
      ),
    ],
    ["out", pkt(0, [3], b("UPDATE wp_posts SET x=1"))],
    ["in", pkt(1, [0, 1, 5, 2, 0, 1, 0], lstr("Rows matched: 1  Changed: 1  Warnings: 0"))],
    ["out", pkt(0, [3], b("SELECT * FROM x.y"))],
    ["in", pkt(1, [0xff], le2(1146), b("#42S02Table 'x.y' doesn't exist"))],
    ["out", cat(pkt(0, [2], b("wordpress")), pkt(0, [0x0e]))],
    ["in", pkt(1, OK)],
    ["in", pkt(1, OK)],
    ["out", pkt(0, [1])],
  ], [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.6-MariaDB-0+deb12u1 thread=12 " +
    "auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT ID, post_title\\nFROM wp_posts\\tLIMIT 3 [req]",
    'in RESULTSET RESULTSET columns=ID,post_title rows=3 first=[(4, "Hello world!")] [resp]',
    "out COM_QUERY COM_QUERY UPDATE wp_posts SET x=1 [req]",
    'in OK OK affected_rows=1 insert_id=5 warnings=1 info="Rows matched: 1  Changed: 1  ' +
    'Warnings: 0" [resp]',
    "out COM_QUERY COM_QUERY SELECT * FROM x.y [req]",
    "in ERR ERR 1146 (42S02) Table 'x.y' doesn't exist [resp] [err]",
    "out COM_INIT_DB COM_INIT_DB wordpress [req]",
    "out COM_PING COM_PING [req]", // pipelined: the two OKs answer them in order
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUIT COM_QUIT",
  ]);
});

Deno.test("mysql: CLIENT_DEPRECATE_EOF result sets (known from the handshake)", () => {
  check(my, [
    ["in", greeting],
    ["out", login(CAPS | 0x1000000)],
    ["in", pkt(2, OK)],
    ["out", pkt(0, [3], b("SELECT 1"))],
    [
      "in",
      cat(pkt(1, [1]), pkt(2, coldef("1", 8)), pkt(3, lstr("1")), pkt(4, [0xfe, 0, 0, 2, 0, 0, 0])),
    ],
    ["out", pkt(0, [3], b("SELECT 2 FROM t WHERE 0"))],
    ["in", cat(pkt(1, [1]), pkt(2, coldef("2", 8)), pkt(3, [0xfe, 0, 0, 2, 0, 0, 0]))],
  ], [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.6-MariaDB-0+deb12u1 thread=12 " +
    "auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_QUERY COM_QUERY SELECT 1 [req]",
    "in RESULTSET RESULTSET columns=1 rows=1 first=[(1)] [resp]",
    "out COM_QUERY COM_QUERY SELECT 2 FROM t WHERE 0 [req]",
    "in RESULTSET RESULTSET columns=2 rows=0 [resp]",
  ]);
});

Deno.test("mysql: attached mid-connection (no handshake), EOF style guessed", () => {
  const conns = loadCapture("sniff_mysql_mariadb.json");
  // Connection 3 uses CLIENT_DEPRECATE_EOF, connection 2 classic EOF; drop greeting, login, OK.
  for (const k of [2, 3]) {
    const tail = CAPTURE_EXPECTED[k].slice(3);
    check(my, conns[k].slice(3), tail, { pid: 1, fd: 3, remotePort: 3306 });
    check(my, conns[k].slice(3), tail); // the first command tells which side is the client
    assert.deepEqual(
      run(my, flip(conns[k].slice(3)), { pid: 1, fd: 3, localPort: 3306 }),
      flipLines(tail),
    );
  }
});

Deno.test("mysql: large and continued packets are decoded from their start, SQL cut", () => {
  const sn = createMysqlSniffer({ maxText: 40 });
  const sql = "INSERT INTO t VALUES " + "(1,'xxxxxxxxxx'),".repeat(10000) + "(2,'y')";
  check(sn, [
    ["out", pkt(0, [3], b(sql))],
    ["in", pkt(1, [0, 10001, 0, 2, 0, 0, 0].slice(0, 1).concat([0xfc, 0x11, 0x27, 0, 2, 0, 0, 0]))],
  ], [
    "out COM_QUERY COM_QUERY INSERT INTO t VALUES (1,'xxxxxxxxxx'),(1... [req]",
    "in OK OK affected_rows=10001 insert_id=0 [resp]",
  ]);
  // A payload of exactly 0xffffff bytes continues in the next packet.
  const big = new Uint8Array(0xffffff + 10).fill(0x61);
  big[0] = 3;
  const stream = cat(
    [0xff, 0xff, 0xff, 0],
    big.subarray(0, 0xffffff),
    [10, 0, 0, 1],
    big.subarray(0xffffff),
  );
  const p = sn.create({ pid: 1, fd: 3 }) as Bounded;
  const msgs = [];
  for (let i = 0; i < stream.length; i += 1 << 20) {
    msgs.push(...p.push("out", stream.subarray(i, i + (1 << 20))));
    assert.ok(p.buffered("out") <= 1 << 20, String(p.buffered("out")));
  }
  assert.deepEqual(msgs.map((m) => m.text), ["COM_QUERY " + "a".repeat(40) + "..."]);
});

Deno.test("mysql: prepared statements with binary rows (hand-built)", () => {
  check(my, [
    ["out", pkt(0, [0x16], b("SELECT a, b, c FROM t WHERE a > ?"))],
    [
      "in",
      cat(
        pkt(1, [0], le4(3), le2(3), le2(1), [0], le2(0)),
        pkt(2, coldef("?", 253)),
        pkt(3, EOF),
        pkt(4, coldef("a", 3)),
        pkt(5, coldef("b", 12)),
        pkt(6, coldef("c", 5)),
        pkt(7, EOF),
      ),
    ],
    [
      "out",
      pkt(0, [0x17], le4(3), [0], le4(1), [0], [1], [8, 0], [
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
      ]),
    ],
    [
      "in",
      cat(
        pkt(1, [3]),
        pkt(2, coldef("a", 3)),
        pkt(3, coldef("b", 12)),
        pkt(4, coldef("c", 5)),
        pkt(5, EOF),
        pkt(6, [0, 0b10000], le4(0xfffffff9), [7], le2(2024), [1, 2, 3, 4, 5]),
        pkt(
          7,
          [0, 0],
          le4(1),
          [4],
          le2(1999),
          [12, 31],
          new Uint8Array(new Float64Array([0.5]).buffer),
        ),
        pkt(8, EOF),
      ),
    ],
    ["out", pkt(0, [0x19], le4(3))],
  ], [
    "out COM_STMT_PREPARE COM_STMT_PREPARE SELECT a, b, c FROM t WHERE a > ? [req]",
    "in STMT_PREPARE_OK STMT_PREPARE_OK stmt=3 columns=3 params=1 [resp]",
    "out COM_STMT_EXECUTE COM_STMT_EXECUTE stmt=3 params=(-1) [req]",
    'in RESULTSET RESULTSET columns=a,b,c rows=2 first=[(-7, "2024-01-02 03:04:05", NULL)] [resp]',
    "out COM_STMT_CLOSE COM_STMT_CLOSE stmt=3",
  ]);
});

Deno.test("mysql: SSL request stops parsing; garbage yields nothing", () => {
  check(my, [
    ["in", greeting],
    ["out", pkt(1, le4(CAPS | 0x800), le4(1 << 24), [45], new Array(23).fill(0))],
    ["out", b("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")],
  ], [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.6-MariaDB-0+deb12u1 thread=12 " +
    "auth=mysql_native_password",
    "out SSL_REQUEST SSL_REQUEST (the rest is TLS)",
  ]);
  check(
    my,
    [["out", b("GET / HTTP/1.1\r\nHost: x\r\n\r\n")], ["in", b("HTTP/1.1 200 OK\r\n\r\n")]],
    [],
  );
});

/** The login packet sent inside TLS: sequence id 2, CLIENT_SSL set (after SSL_REQUEST's 1). */
function tlsLogin(): Uint8Array {
  const l = login(CAPS | 0x800);
  l[3] = 2;
  return l;
}
const TLS_SESSION_LINES = [
  "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password [req]",
  "in OK OK affected_rows=0 insert_id=0 [resp]",
  "out COM_QUERY COM_QUERY SET @a = 1 [req]",
  "in OK OK affected_rows=0 insert_id=0 [resp]",
];
const TLS_SESSION: [("in" | "out"), Uint8Array][] = [
  ["out", tlsLogin()],
  ["in", pkt(3, OK)],
  ["out", pkt(0, [3], b("SET @a = 1"))],
  ["in", pkt(1, OK)],
];

Deno.test("mysql over TLS: afterTls() gives the plaintext's parser, which goes on from the login", () => {
  const i = { pid: 1, fd: 3 };
  const raw = my.create(i) as ReturnType<typeof my.create> & { afterTls(): typeof raw | undefined };
  assert.equal(raw.afterTls(), undefined, "no SSL_REQUEST yet");
  const lines = (ms: ReturnType<typeof raw.push>) => ms.map((m) => `${m.dir} ${m.kind}`);
  assert.deepEqual(lines(raw.push("in", greeting)), ["in HANDSHAKE"]);
  const ssl = pkt(1, le4(CAPS | 0x800), le4(1 << 24), [45], new Array(23).fill(0));
  assert.deepEqual(lines(raw.push("out", ssl)), ["out SSL_REQUEST"]);
  // The raw bytes are TLS records now: nothing more from them.
  assert.deepEqual(raw.push("out", b("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")), []);
  const plain = raw.afterTls()!;
  assert.ok(plain, "a parser for the plaintext");
  assert.equal(raw.afterTls(), undefined, "once");
  const out: string[] = [];
  for (const [d, bytes] of TLS_SESSION) {
    for (const m of plain.push(d, bytes)) {
      out.push(
        `${m.dir} ${m.kind} ${m.text}${m.request ? " [req]" : ""}${m.response ? " [resp]" : ""}`,
      );
    }
  }
  assert.deepEqual(out, TLS_SESSION_LINES);
  // The server's end (it reads the SSL_REQUEST) continues too.
  const srv = my.create(i) as typeof raw;
  srv.push("out", greeting);
  srv.push("in", ssl);
  const ps = srv.afterTls()!;
  assert.deepEqual(
    TLS_SESSION.flatMap(([d, x]) => ps.push(d === "in" ? "out" : "in", x)).map((m) => m.kind),
    ["LOGIN", "OK", "COM_QUERY", "OK"],
  );
});

Deno.test("mysql over TLS: plaintext seen without its raw stream is recognised by the login (seq 2)", () => {
  const i = { pid: 1, fd: 3 };
  const first = tlsLogin();
  assert.equal(my.detect(i, "out", first), true);
  assert.equal(my.detect(i, "out", first.subarray(0, 4)), undefined);
  assert.equal(my.detect(i, "out", first.subarray(0, 20)), undefined);
  // Sequence id 2 but not a login (the filler is not zero): not MySQL.
  const bad = first.slice();
  bad[20] = 0x41;
  assert.equal(my.detect(i, "out", bad), false);
  check(my, TLS_SESSION, TLS_SESSION_LINES);
});

Deno.test("mysql: detect by port, socket path and greeting", () => {
  const i = { pid: 1, fd: 3 };
  assert.equal(my.detect({ ...i, remotePort: 3306 }, "out", new Uint8Array()), true);
  assert.equal(my.detect({ ...i, unixPath: "/run/mysqld/mysqld.sock" }, "in", b("")), true);
  assert.equal(my.detect(i, "in", greeting), true);
  assert.equal(my.detect(i, "in", greeting.subarray(0, 40)), true);
  assert.equal(my.detect(i, "in", greeting.subarray(0, 12)), undefined);
  assert.equal(my.detect(i, "in", greeting.subarray(0, 3)), undefined);
  assert.equal(my.detect(i, "in", greeting.subarray(0, 6)), undefined);
  assert.equal(my.detect(i, "out", b("GET / HTTP/1.1")), false);
  // Joined mid-connection: one whole command packet, as a client writes it.
  assert.equal(my.detect(i, "out", pkt(0, [3], b("SELECT 1"))), true);
  assert.equal(my.detect(i, "out", pkt(0, [0x0e])), true);
  assert.equal(my.detect(i, "out", cat(pkt(0, [3], b("SELECT 1")), [0])), false);
  assert.equal(my.detect(i, "out", pkt(1, [3], b("SELECT 1"))), false);
  assert.equal(my.detect(i, "out", pkt(0, [3], [0x1b, 0])), false);
  assert.equal(my.detect(i, "out", pkt(0, [0x0e], [0])), false);
});

Deno.test("mysql: recorded client <-> MariaDB captures", () => {
  checkCapture(my, "sniff_mysql_mariadb.json", CAPTURE_EXPECTED, "traced server side");
});

Deno.test("mysql: request key is the command text (the core lists slow queries by it)", () => {
  const p = my.create({ pid: 1, fd: 3, remotePort: 3306 });
  const [m] = p.push("out", pkt(0, [3], b("SELECT 1")));
  assert.equal(m.request, "COM_QUERY SELECT 1");
});

Deno.test("mysql: result sets past 255 packets keep every row (the sequence id wraps to 0)", () => {
  for (const n of [3001, 5000]) {
    const parts: Uint8Array[] = [pkt(1, [1]), pkt(2, coldef("seq", 8)), pkt(3, EOF)];
    let seq = 4;
    for (let i = 1; i <= n; i++) parts.push(pkt(seq++ & 255, lstr(String(i))));
    parts.push(pkt(seq & 255, EOF));
    const lines = run(my, [
      ["in", greeting],
      ["out", login(CAPS)],
      ["in", pkt(2, OK)],
      ["out", pkt(0, [3], b(`SELECT seq FROM seq_1_to_${n}`))],
      ["in", cat(...parts)],
      ["out", pkt(0, [0x0e])],
      ["in", pkt(1, OK)],
    ]);
    assert.deepEqual(lines.slice(3), [
      `out COM_QUERY COM_QUERY SELECT seq FROM seq_1_to_${n} [req]`,
      `in RESULTSET RESULTSET columns=seq rows=${n} first=[(1)] [resp]`,
      "out COM_PING COM_PING [req]",
      "in OK OK affected_rows=0 insert_id=0 [resp]",
    ]);
  }
});

Deno.test("mysql: an executed prepared statement is named by its SQL and bound values", () => {
  const p = my.create({ pid: 1, fd: 3 });
  p.push("in", greeting);
  p.push("out", login(CAPS));
  p.push("in", pkt(2, OK));
  const [prep] = p.push("out", pkt(0, [0x16], b("SELECT * FROM t WHERE id = ? AND s = ?")));
  assert.equal(prep.request, "COM_STMT_PREPARE SELECT * FROM t WHERE id = ? AND s = ?");
  p.push(
    "in",
    cat(
      pkt(1, [0], le4(7), le2(0), le2(2), [0], le2(0)),
      pkt(2, coldef("?", 8)),
      pkt(3, coldef("?", 253)),
      pkt(4, EOF),
    ),
  );
  const exec = pkt(
    0,
    [0x17],
    le4(7),
    [0],
    le4(1),
    [0],
    [1],
    [8, 0, 253, 0],
    le4(5),
    le4(0),
    lstr("a\nb"),
  );
  const [m] = p.push("out", exec);
  assert.equal(m.text, 'COM_STMT_EXECUTE stmt=7 params=(5, "a\\nb")');
  assert.equal(
    m.request,
    'COM_STMT_EXECUTE SELECT * FROM t WHERE id = ? AND s = ? params=(5, "a\\nb")',
  );
  const [r] = p.push("in", pkt(1, [0xff], le2(1146), b("#42S02Table 't' doesn't exist")));
  assert.equal(r.outcome, "ERR 1146");
});

// For `deno task mutate` (mysql-stmt-send-long-data-len): the data length of a long-data packet.
Deno.test("mysql: COM_STMT_SEND_LONG_DATA says its statement, parameter and data length", () => {
  check(my, [
    ["in", greeting],
    ["out", login(CAPS)],
    ["in", pkt(2, OK)],
    ["out", pkt(0, [0x18], le4(7), le2(1), b("hello"))],
    ["out", pkt(0, [0x18], le4(7), le2(2), [])],
  ], [
    "in HANDSHAKE HANDSHAKE version=5.5.5-10.11.6-MariaDB-0+deb12u1 thread=12 " +
    "auth=mysql_native_password",
    "out LOGIN LOGIN user=wp db=wordpress auth=mysql_native_password [req]",
    "in OK OK affected_rows=0 insert_id=0 [resp]",
    "out COM_STMT_SEND_LONG_DATA COM_STMT_SEND_LONG_DATA stmt=7 param=1 len=5",
    "out COM_STMT_SEND_LONG_DATA COM_STMT_SEND_LONG_DATA stmt=7 param=2 len=0",
  ]);
});

Deno.test("mysql: a large packet under a small cap: queue and kept part stay within the cap", () => {
  const sn = createMysqlSniffer({ cap: 4096, maxText: 10 });
  const p = sn.create({ pid: 1, fd: 3, remotePort: 3306 }) as Bounded;
  const len = 100_000;
  const stream = cat(
    [len & 0xff, (len >> 8) & 0xff, len >> 16, 0, 3],
    new Uint8Array(len - 1).fill(0x61),
  );
  const msgs = [];
  for (let i = 0; i < stream.length; i += 1000) {
    msgs.push(...p.push("out", stream.subarray(i, i + 1000)));
    assert.ok(p.buffered("out") <= 4096, String(p.buffered("out")));
  }
  // Decoded from its first bytes.
  assert.deepEqual(msgs.map((m) => m.text), ["COM_QUERY " + "a".repeat(10) + "..."]);
});

Deno.test("mysql: structured fields: command, SQL, result columns and rows, error, prepared", () => {
  const got = fieldsOf(my, [
    ["in", greeting],
    ["out", login(CAPS)],
    ["in", pkt(2, OK)],
    ["out", pkt(0, [3], b("SELECT ID FROM t"))],
    ["in", cat(pkt(1, [1]), pkt(2, coldef("ID", 8)), pkt(3, EOF), pkt(4, lstr("4")), pkt(5, EOF))],
    ["out", pkt(0, [3], b("SELECT * FROM x.y"))],
    ["in", pkt(1, [0xff], le2(1146), b("#42S02Table 'x.y' doesn't exist"))],
    ["out", pkt(0, [0x16], b("SELECT ? + 1"))],
    [
      "in",
      cat(pkt(1, [0], le4(9), le2(0), le2(1), [0], le2(0)), pkt(2, coldef("?", 8)), pkt(3, EOF)),
    ],
    ["out", pkt(0, [0x17], le4(9), [0], le4(1), [0], [1], [8, 0], [41, 0, 0, 0, 0, 0, 0, 0])],
    ["in", pkt(1, [0, 0, 0, 2, 0, 0, 0])],
  ]);
  assert.deepEqual(got.map(([k]) => k), [
    "HANDSHAKE",
    "LOGIN",
    "OK",
    "COM_QUERY",
    "RESULTSET",
    "COM_QUERY",
    "ERR",
    "COM_STMT_PREPARE",
    "STMT_PREPARE_OK",
    "COM_STMT_EXECUTE",
    "OK",
  ]);
  assert.deepEqual(got[0][1], { version: "5.5.5-10.11.6-MariaDB-0+deb12u1", thread: 12 });
  assert.deepEqual(got[1][1], { user: "wp", db: "wordpress", auth: "mysql_native_password" });
  assert.deepEqual(got[3][1], { command: "COM_QUERY", query: "SELECT ID FROM t" });
  assert.deepEqual(got[4][1], {
    type: "RESULTSET",
    columns: ["ID"],
    rows: 1,
    first: "(4)",
    request_command: "COM_QUERY",
    query: "SELECT ID FROM t",
  });
  assert.deepEqual(got[6][1], {
    type: "ERR",
    error_code: 1146,
    sqlstate: "42S02",
    message: "Table 'x.y' doesn't exist",
    request_command: "COM_QUERY",
    query: "SELECT * FROM x.y",
  });
  assert.deepEqual(got[9][1], {
    command: "COM_STMT_EXECUTE",
    stmt: 9,
    query: "SELECT ? + 1",
    params: ["41"],
  });
  assert.deepEqual(got[10][1], {
    type: "OK",
    affected_rows: 0,
    insert_id: 0,
    request_command: "COM_STMT_EXECUTE",
    query: "SELECT ? + 1",
  });
});
