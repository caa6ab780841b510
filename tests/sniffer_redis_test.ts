/**
 * Tests of the built-in Redis sniffer: captures recorded between redis-cli 7.0 and redis-server
 * 7.0 (Debian 12) through a loopback proxy (testdata/sniff_redis.json: simple commands, a
 * `--pipe` batch of inline and RESP commands with an error, RESP3 after `HELLO 3` with maps,
 * sets, big numbers, verbatim strings, booleans, nulls, doubles, a push and an attribute, and a
 * subscription), and hand-built streams (1,000 pipelined commands, huge values, garbage). Every
 * stream is also split byte by byte, coalesced and split at random, with the same messages.
 */
import assert from "node:assert/strict";
import { createRedisSniffer, redisSniffer } from "../decoders/sniffers/redis.ts";
import { b, type Bounded, cat, check, checkCapture, fieldsOf, run } from "./helpers/sniff.ts";
import redisPlugin from "../plugins/redis_plugin.ts";
import { quoteBytes } from "../decoders/format.ts";
import { fixture, sctrace } from "./helpers/diff.ts";
import { assertEquals } from "./helpers/assert.ts";
import { withoutEnds } from "./helpers/proto_lines.ts";

const CAPTURE_EXPECTED: string[][] = [
  [
    'out SET SET k "a value" [req]',
    "in +OK +OK [resp]",
  ],
  [
    "out PING PING [req]",
    'out SET SET "a b" x [req]',
    "out RPUSH RPUSH l xyz [req]",
    "out LRANGE LRANGE l 0 -1 [req]",
    "out INCR INCR k [req]",
    "out GET GET nosuch [req]",
    'out ECHO ECHO "\\250\\t^\\362x\\177\\242\\n\\306\\321\\223\\316CJ9\\351\\16\\4L\\312" [req]',
    "in +PONG +PONG [resp]",
    "in +OK +OK [resp]",
    "in :2 :2 [resp]",
    'in *2 *2 ["xyz", "xyz"] [resp]',
    "in -ERR -ERR value is not an integer or out of range [resp] [err]",
    "in nil nil [resp]",
    'in "\\250\\t^\\362x\\177\\242\\n\\306\\321\\223\\316CJ9\\351\\16\\4L\\312" "\\250\\t^\\362x\\177\\242\\n\\306\\321\\223\\316CJ9\\351\\16\\4L\\312" [resp]',
  ],
  [
    "out HELLO HELLO 3 [req]",
    'in %7 %7 {"server": "redis", "version": "7.0.15", "proto": :3, "id": :9, "mode": "standalone", "role": "master", "modules": *0 []} [resp]',
    "out HGETALL HGETALL h [req]",
    'in %2 %2 {"f1": "v1", "f2": "2"} [resp]',
  ],
  [
    "out SUBSCRIBE SUBSCRIBE ch [req]",
    'in *3 *3 ["subscribe", "ch", :1] [resp]',
    'in *3 *3 ["message", "ch", "hi"]',
  ],
  [
    "out HELLO HELLO 3 [req]",
    "out HSET HSET h f1 v1 [req]",
    "out DEBUG DEBUG PROTOCOL map [req]",
    'in %7 %7 {"server": "redis", "version": "7.0.15", "proto": :3, "id": :12, "mode": "standalone", "role": "master", "modules": *0 []} [resp]',
    "in :0 :0 [resp]",
    "in %3 %3 {:0: #f, :1: #t, :2: #f} [resp]",
    "out DEBUG DEBUG PROTOCOL set [req]",
    "in ~3 ~3 [:0, :1, :2] [resp]",
    "out DEBUG DEBUG PROTOCOL bignum [req]",
    "in (1234567999999999999999999999999999999 (1234567999999999999999999999999999999 [resp]",
    "out DEBUG DEBUG PROTOCOL verbatim [req]",
    'in =txt:"This =txt:"This is a verbatim\\nstring" [resp]',
    "out DEBUG DEBUG PROTOCOL true [req]",
    "in #t #t [resp]",
    "out DEBUG DEBUG PROTOCOL false [req]",
    "in #f #f [resp]",
    "out DEBUG DEBUG PROTOCOL null [req]",
    "in nil nil [resp]",
    "out DEBUG DEBUG PROTOCOL double [req]",
    "in ,3.141 ,3.141 [resp]",
    "out DEBUG DEBUG PROTOCOL push [req]",
    'in >2 >2 ["server-cpu-usage", :42]',
    'in "Some "Some real reply following the push reply" [resp]',
    "out DEBUG DEBUG PROTOCOL attrib [req]",
    'in |1 |1 {"key-popularity": *2 ["key:123", :90]} "Some real reply following the attribute" [resp]',
    "out GET GET k [req]",
    'in "a "a value" [resp]',
    "out QUIT QUIT [req]",
    "in +OK +OK [resp]",
  ],
];

const rd = redisSniffer;

/** A command as RESP: an array of bulk strings. */
function cmd(...args: string[]): Uint8Array {
  return b(`*${args.length}\r\n${args.map((a) => `$${b(a).length}\r\n${a}\r\n`).join("")}`);
}

Deno.test("redis: recorded redis-cli <-> redis-server 7.0 captures (RESP2, RESP3), both sides", () => {
  checkCapture(rd, "sniff_redis.json", CAPTURE_EXPECTED, "traced server side");
});

Deno.test("redis: 1,000 pipelined commands, each reported and paired with its reply in order", () => {
  const cmds: Uint8Array[] = [];
  const replies: Uint8Array[] = [];
  for (let i = 0; i < 1000; i++) {
    if (i % 3 === 2) {
      cmds.push(b(`GET k:${i}\r\n`)); // inline
      replies.push(b(`$${String(i).length}\r\n${i}\r\n`));
    } else if (i % 3 === 1) {
      cmds.push(cmd("INCR", `k:${i}`));
      replies.push(
        i === 499 ? b("-ERR value is not an integer or out of range\r\n") : b(`:${i}\r\n`),
      );
    } else {
      cmds.push(cmd("SET", `k:${i}`, `v ${i}`));
      replies.push(b("+OK\r\n"));
    }
  }
  const chunks: [("in" | "out"), Uint8Array][] = [
    ["out", cat(...cmds.slice(0, 600))],
    ["in", cat(...replies.slice(0, 250))],
    ["out", cat(...cmds.slice(600))],
    ["in", cat(...replies.slice(250))],
  ];
  for (
    const c of [chunks, chunks.flatMap(([d, x]) => [[d, x.subarray(0, 7)], [d, x.subarray(7)]])]
  ) {
    const p = rd.create({ pid: 1, fd: 3, remotePort: 6379 });
    const msgs = (c as [("in" | "out"), Uint8Array][]).flatMap(([d, x]) => p.push(d, x));
    const reqs = msgs.filter((m) => m.request);
    const resps = msgs.filter((m) => m.response);
    assert.equal(reqs.length, 1000);
    assert.equal(resps.length, 1000);
    assert.equal(msgs.length, 2000);
    assert.equal(reqs[0].text, 'SET k:0 "v 0"');
    assert.equal(reqs[2].text, "GET k:2");
    assert.equal(resps[2].text, '"2"');
    assert.equal(resps[499].text, "-ERR value is not an integer or out of range");
    assert.equal(resps[499].error, true);
    assert.equal(resps[499].outcome, "-ERR");
    assert.equal(msgs.filter((m) => m.error).length, 1);
    assert.equal(resps[998].text, '"998"');
    assert.equal(resps[999].text, "+OK");
  }
});

Deno.test("redis: RESP3 types, attributes, nested aggregates, pushes while subscribed", () => {
  check(rd, [
    ["out", cmd("HELLO", "3")],
    ["in", b("%1\r\n+proto\r\n:3\r\n")],
    ["out", cmd("X")],
    ["in", b("|1\r\n+ttl\r\n:3\r\n*2\r\n%1\r\n$1\r\na\r\n~1\r\n,inf\r\n_\r\n")],
    ["out", cmd("Y")],
    ["in", b("*2\r\n|1\r\n+x\r\n+y\r\n:1\r\n=7\r\nmkd:# a\r\n")],
    ["out", cmd("Z")],
    ["in", b("!21\r\nSYNTAX invalid syntax\r\n")],
    ["out", cmd("SUBSCRIBE", "a", "b")],
    [
      "in",
      b(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n>3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"),
    ],
    ["in", b(">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n")],
  ], [
    "out HELLO HELLO 3 [req]",
    "in %1 %1 {+proto: :3} [resp]",
    "out X X [req]",
    'in |1 |1 {+ttl: :3} *2 [%1 {"a": ~1 [,inf]}, nil] [resp]',
    "out Y Y [req]",
    'in *2 *2 [:1, =mkd:"# a"] [resp]',
    "out Z Z [req]",
    'in !"SYNTAX !"SYNTAX invalid syntax" [resp] [err]',
    "out SUBSCRIBE SUBSCRIBE a b [req]",
    'in >3 >3 ["subscribe", "a", :1]',
    'in >3 >3 ["subscribe", "b", :2]',
    'in >3 >3 ["message", "a", "hi"]',
  ]);
});

Deno.test("redis: hostile bytes are escaped; long values and many arguments are cut", () => {
  check(rd, [
    ["out", cmd("SET", "k\r\n[redis fd=3 in] +OK", "\x1b[2J\x00")],
    ["in", b("-ERR bad\x1b[31m\r\n")],
    ["out", cmd("MSET", ...Array.from({ length: 40 }, (_, i) => `a${i}`))],
    ["in", b("+OK\r\n")],
    ["out", cmd("SET", "k", "x".repeat(100))],
    ["in", b("+OK\r\n")],
  ], [
    'out SET SET "k\\r\\n[redis fd=3 in] +OK" "\\33[2J\\0" [req]',
    "in -ERR -ERR bad\\33[31m [resp] [err]",
    `out MSET MSET ${
      Array.from({ length: 31 }, (_, i) => `a${i}`).join(" ")
    } ... /* 41 args */ [req]`,
    "in +OK +OK [resp]",
    `out SET SET k "${"x".repeat(64)}"... [req]`,
    "in +OK +OK [resp]",
  ]);
});

Deno.test("redis: a 10 MB value and a 1,000,000-element reply are counted with bounded memory", () => {
  const sn = createRedisSniffer({ cap: 4096 });
  const p = sn.create({ pid: 1, fd: 3, remotePort: 6379 }) as Bounded;
  let max = 0;
  const feed = (d: "in" | "out", x: Uint8Array): string[] => {
    const out: string[] = [];
    for (let i = 0; i < x.length; i += 65536) {
      for (const m of p.push(d, x.subarray(i, i + 65536))) out.push(m.text);
      max = Math.max(max, p.buffered());
    }
    return out;
  };
  const big = "v".repeat(10 << 20);
  assert.deepEqual(feed("out", cmd("SET", "big", big)), [`SET big "${"v".repeat(64)}"...`]);
  assert.deepEqual(feed("in", b("+OK\r\n")), ["+OK"]);
  assert.deepEqual(feed("out", cmd("LRANGE", "l", "0", "-1")), ["LRANGE l 0 -1"]);
  const items: string[] = [];
  for (let i = 0; i < 1_000_000; i++) items.push(`:${i}\r\n`);
  const reply = b(`*1000000\r\n${items.join("")}`);
  assert.deepEqual(feed("in", reply), [
    `*1000000 [${Array.from({ length: 32 }, (_, i) => `:${i}`).join(", ")}, ...]`,
  ]);
  assert.ok(max <= 4096 + 64, `held ${max}`);
});

Deno.test("redis: garbage gives one desync note, then it resyncs; no throw", () => {
  const lines = run(rd, [
    ["out", cmd("PING")],
    ["in", b("\x00\x01\x02 junk\r\nmore junk\r\n+PONG\r\n")],
    ["in", b("$-7\r\n")],
    ["in", b(":1\r\n")],
  ], { pid: 1, fd: 3, remotePort: 6379 });
  assert.deepEqual(lines, [
    "out PING PING [req]",
    "in desync desync (skipping bytes that are not RESP)",
    "in +PONG +PONG [resp]",
    "in desync desync (skipping bytes that are not RESP)",
    "in :1 :1 [resp]",
  ]);
  // A line without end beyond 64 KiB is garbage too, dropped as it comes.
  const sn = createRedisSniffer({ cap: 4096 });
  const p = sn.create({ pid: 1, fd: 3 }) as Bounded;
  const m = p.push("in", b("+" + "a".repeat(100000)));
  assert.deepEqual(m.map((x) => x.kind), ["desync"]);
  assert.ok(p.buffered() <= 4096);
});

Deno.test("redis: detection by port, unix socket path and first bytes", () => {
  const s = { pid: 1, fd: 3, path: "socket:[1]" };
  const e = new Uint8Array();
  assert.equal(rd.detect({ ...s, remotePort: 6379 }, "out", e), true);
  assert.equal(rd.detect({ ...s, localPort: 16379 }, "in", e), true);
  assert.equal(rd.detect({ ...s, unixPath: "/run/redis/redis-server.sock" }, "out", e), true);
  assert.equal(rd.detect({ ...s, unixPath: "/tmp/x/redis/redis.sock" }, "out", e), true);
  assert.equal(rd.detect(s, "out", cmd("PING")), true);
  assert.equal(rd.detect(s, "in", b("+OK\r\n")), true);
  assert.equal(rd.detect(s, "out", b("*1\r")), undefined);
  assert.equal(rd.detect(s, "out", b("GET / HTTP/1.1\r\n")), false);
  assert.equal(rd.detect({ ...s, path: "pipe:[2]" }, "out", cmd("PING")), false);
});

Deno.test("redis: the plugin example and the built-in print the same lines", () => {
  const plugin = redisPlugin({ quoteBytes } as never).sniffers![0];
  const cases: [("in" | "out"), Uint8Array][] = [
    ["out", cmd("SET", "k", "a value")],
    ["in", b("+OK\r\n")],
    ["out", cmd("GET", "k")],
    ["in", b("$7\r\na value\r\n")],
    ["out", b("PING\r\n")],
    ["in", b("+PONG\r\n*3\r\n$1\r\na\r\n:7\r\n$-1\r\n")],
  ];
  const strip = (l: string[]) => l.map((x) => x.replace(/ \[(req|resp|err)\]/g, ""));
  const texts = (ls: string[]) => ls.map((l) => l.split(" ").slice(2).join(" "));
  assert.deepEqual(texts(strip(run(rd, cases))), texts(strip(run(plugin, cases))));
});

Deno.test("redis: the built-in decodes a traced client; a --plugin sniffer named redis wins", async () => {
  await fixture("redis_like");
  const argv = ["--proto=redis", "-e", "trace=none", "./tests/fixtures/bin/redis_like"];
  const builtin = await sctrace(argv);
  assertEquals(builtin.code, 0, builtin.stderr);
  const got = builtin.stderr.split("\n").filter((l) => l.startsWith("[redis")).map(withoutEnds);
  assertEquals(got.slice(0, 4), [
    "[redis fd=3 out] SET k value",
    "[redis fd=3 in] +OK",
    "[redis fd=3 out] GET k",
    '[redis fd=3 in] "value"',
  ]);
  assertEquals(got.length, 14);
  // A plugin whose sniffer is also named redis: it is the one asked.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/fake.ts`,
      `export default () => ({ name: "fake", sniffers: [{
  name: "redis",
  detect: (i) => i.path === undefined || i.path.startsWith("socket:") ? true : false,
  create: () => ({ push: (dir, b) => [{ proto: "redis", dir, kind: "FAKE", text: "FAKE " + b.length }] }),
}] });
`,
    );
    const p = await sctrace(["--plugin", `${dir}/fake.ts`, ...argv]);
    assertEquals(p.code, 0, p.stderr);
    const fake = p.stderr.split("\n").filter((l) => l.startsWith("[redis")).map(withoutEnds);
    assert.ok(fake.length > 0 && fake.every((l) => / FAKE \d+$/.test(l)), fake.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redis: structured fields: command and arguments, reply types", () => {
  const got = fieldsOf(rd, [
    ["out", cmd("SET", "k", "a b")],
    ["in", b("+OK\r\n")],
    ["out", cmd("INCR", "k")],
    ["in", b("-ERR value is not an integer\r\n")],
    ["out", cmd("MGET", "k", "x")],
    ["in", b("*2\r\n$3\r\na b\r\n$-1\r\n")],
    ["in", b(":42\r\n")],
  ], { pid: 1, fd: 3, remotePort: 6379 });
  assert.deepEqual(got, [
    ["SET", { command: "SET", args: ["k", "a b"], nargs: 2 }],
    ["+OK", { reply_type: "simple" }],
    ["INCR", { command: "INCR", args: ["k"], nargs: 1 }],
    ["-ERR", { reply_type: "error", error: true, message: "-ERR value is not an integer" }],
    ["MGET", { command: "MGET", args: ["k", "x"], nargs: 2 }],
    ["*2", { reply_type: "array", count: 2 }],
    [":42", { reply_type: "integer" }],
  ]);
});
