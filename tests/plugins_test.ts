/**
 * Plugins: the Redis sniffer example (unit: split/coalesced/garbage; end to end on a traced
 * loopback exchange), the decoder override example, loading both plugin forms, and broken plugins
 * (named in one line, disabled, tracing and the exit code unchanged).
 */
import { callArgsText } from "../decoders/value.ts";
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { fixture, lines, sctrace, strace } from "./helpers/diff.ts";

/** The lines of a text, not normalised (messages keep the tracer's name). */
function rawLines(text: string): string[] {
  const l = text.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import { withoutEnds } from "./helpers/proto_lines.ts";
import type { Direction, ProtoMessage, StreamInfo, StreamParser } from "../decoders/api.ts";
import { api } from "../plugins/mod.ts";
import redisPlugin, { looksLikeResp } from "../plugins/redis_plugin.ts";
import decoderOverride from "../plugins/decoder_override.ts";
import { guardDecoders, guardSniffer } from "../core/plugins/guard.ts";
import { loadPlugins } from "../core/plugins/loader.ts";
import { builtinDecoders } from "../decoders/mod.ts";

const enc = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
};

/** How proto.ts prints a message (kind omitted when the text starts with it). */
function show(m: ProtoMessage, fd = 5): string {
  const first = m.text.split(" ")[0];
  const bare = m.kind === first || /^\d+$/.test(m.kind);
  return `[${m.proto} fd=${fd} ${m.dir}] ${bare ? "" : m.kind + " "}${m.text}`;
}

function parser(): StreamParser {
  return redisPlugin(api).sniffers![0].create({ pid: 1, fd: 5 });
}

/** A client's side of a session: what it writes (out) and reads (in), in order. */
const SESSION: [Direction, string][] = [
  ["out", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"],
  ["in", "+OK\r\n"],
  ["out", "*2\r\n$3\r\nget\r\n$1\r\nk\r\n"],
  ["in", "$5\r\nvalue\r\n"],
  ["out", '*2\r\n$3\r\nGET\r\n$7\r\na b\x00"\\\n\r\n'],
  ["in", "$-1\r\n"],
  ["out", "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*2\r\n$6\r\nLRANGE\r\n$0\r\n\r\n"],
  ["in", "+PONG\r\n-ERR value is not an integer or out of range\r\n*3\r\n$1\r\na\r\n:7\r\n*-1\r\n"],
];

const SESSION_LINES = [
  "[redis fd=5 out] SET k value",
  "[redis fd=5 in] +OK",
  "[redis fd=5 out] GET k",
  '[redis fd=5 in] "value"',
  '[redis fd=5 out] GET "a b\\0\\"\\\\\\n"',
  "[redis fd=5 in] nil",
  "[redis fd=5 out] PING",
  "[redis fd=5 out] INCR k",
  '[redis fd=5 out] LRANGE ""',
  "[redis fd=5 in] +PONG",
  "[redis fd=5 in] -ERR value is not an integer or out of range",
  '[redis fd=5 in] *3 ["a", :7, nil]',
];

function run(chunks: [Direction, Uint8Array][]): ProtoMessage[] {
  const p = parser();
  return chunks.flatMap(([d, b]) => p.push(d, b));
}

Deno.test("redis parser: a session, message by message, with request/response pairing", () => {
  const msgs = run(SESSION.map(([d, s]) => [d, enc(s)]));
  assertEquals(msgs.map((m) => show(m)), SESSION_LINES);
  assertEquals(msgs.filter((m) => m.request !== undefined).length, 6);
  assertEquals(msgs.filter((m) => m.response).length, 6);
  assertEquals(msgs.filter((m) => m.error).map((m) => m.kind), ["-ERR"]);
  assertEquals(msgs[0].request, "SET k value");
});

Deno.test("redis parser: the same messages when split at every byte or per 3 bytes", () => {
  for (const size of [1, 2, 3, 7]) {
    const chunks: [Direction, Uint8Array][] = [];
    for (const [d, s] of SESSION) {
      for (let i = 0; i < s.length; i += size) chunks.push([d, enc(s.slice(i, i + size))]);
    }
    assertEquals(run(chunks).map((m) => show(m)), SESSION_LINES, `chunks of ${size}`);
  }
});

Deno.test("redis parser: the server's side (commands in, replies out)", () => {
  const flip = (d: Direction): Direction => (d === "in" ? "out" : "in");
  const msgs = run(SESSION.map(([d, s]) => [flip(d), enc(s)]));
  assertEquals(
    msgs.map((m) => show(m)),
    SESSION_LINES.map((l) => l.replace(/ (in|out)\]/, (_, d) => ` ${flip(d as Direction)}]`)),
  );
  assertEquals(msgs.filter((m) => m.request !== undefined).length, 6);
});

Deno.test("redis parser: RESP3, pushes, subscriptions, inline commands, long values", () => {
  const p = parser();
  const out = (s: string) => p.push("out", enc(s)).map((m) => show(m));
  const inn = (s: string) => p.push("in", enc(s));
  assertEquals(out("*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n"), ["[redis fd=5 out] HELLO 3"]);
  assertEquals(
    inn("%2\r\n+server\r\n$5\r\nredis\r\n+proto\r\n:3\r\n").map((m) => show(m)),
    ['[redis fd=5 in] %2 {+server: "redis", +proto: :3}'],
  );
  out("*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\n");
  const subs = inn(
    ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n>3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n",
  );
  assertEquals(subs.map((m) => show(m)), [
    '[redis fd=5 in] >3 ["subscribe", "a", :1]',
    '[redis fd=5 in] >3 ["subscribe", "b", :2]',
  ]);
  // RESP3 `>` pushes close nothing.
  assertEquals(subs.map((m) => m.response), [false, false]);
  const more = inn("|1\r\n+ttl\r\n:3\r\n#t\r\n,3.5\r\n(123456789012345678901\r\n_\r\n");
  assertEquals(more.map((m) => m.text), ["#t", ",3.5", "(123456789012345678901", "nil"]);
  assertEquals(
    inn("!21\r\nSYNTAX invalid syntax\r\n=15\r\ntxt:Some string\r\n").map((m) => [m.text, m.error]),
    [["!SYNTAX invalid syntax", true], ['=txt:"Some string"', undefined]],
  );
  // Inline commands, once the command direction is known.
  assertEquals(out('PING "a b"\r\n'), ['[redis fd=5 out] PING "a b"']);
  // A long bulk is cut at 64 bytes with `...`.
  const long = "x".repeat(100);
  assertEquals(out(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\n${long}\r\n`), [
    `[redis fd=5 out] SET k "${"x".repeat(64)}"...`,
  ]);
  // RESP2 pub/sub: `message` arrays are not replies once subscribed.
  const q = parser();
  q.push("out", enc("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n"));
  const r2 = q.push("in", enc("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"));
  const m2 = q.push("in", enc("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"));
  assertEquals([r2[0].response, m2[0].response, m2[0].text], [
    true,
    false,
    '*3 ["message", "ch", "hi"]',
  ]);
});

Deno.test("redis parser: garbage gives one desync, then it resyncs; hostile lengths are refused", () => {
  const p = parser();
  p.push("out", enc("*1\r\n$4\r\nPING\r\n"));
  const g = p.push("in", enc("\x00\x01garbage\r\nmore garbage\r\n+PONG\r\n"));
  assertEquals(g.map((m) => show(m)), [
    "[redis fd=5 in] desync (skipping bytes that are not RESP)",
    "[redis fd=5 in] +PONG",
  ]);
  assertEquals(p.push("in", enc("$99999999999\r\n")).map((m) => m.kind), ["desync"]);
  const deep = parser();
  deep.push("out", enc("*1\r\n$4\r\nPING\r\n"));
  assertEquals(deep.push("in", enc("*1\r\n".repeat(100))).map((m) => m.kind), ["desync"]);
  // A huge declared array does not allocate: it waits for elements.
  const big = parser();
  assertEquals(big.push("in", enc("*1000000000\r\n:1\r\n:2\r\n")), []);
});

Deno.test("redis parser: random and mutated input never throws", () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const ALPHABET = "*$+-:%>|_\r\n0123456789ab";
  const valid = enc(SESSION.map(([, s]) => s).join(""));
  for (let round = 0; round < 400; round++) {
    const p = parser();
    const b = round % 2 ? valid.slice() : new Uint8Array(rnd(300));
    for (let i = 0; i < b.length; i++) {
      if (round % 2 === 0) {
        b[i] = rnd(3) ? ALPHABET.charCodeAt(rnd(ALPHABET.length)) : rnd(256);
      } else if (rnd(20) === 0) b[i] = rnd(256);
    }
    for (let i = 0; i < b.length;) {
      const n = 1 + rnd(40);
      const msgs = p.push(rnd(2) ? "in" : "out", b.subarray(i, i + n));
      for (const m of msgs) {
        assert(typeof m.text === "string" && !m.text.includes("\n"), m.text);
      }
      i += n;
    }
  }
});

Deno.test("redis sniffer: detection by port, unix path and first bytes", () => {
  const s = redisPlugin(api).sniffers![0];
  const sock: StreamInfo = { pid: 1, fd: 5, path: "socket:[1]" };
  const d = (first: string, info: StreamInfo = sock) => s.detect(info, "out", enc(first));
  assertEquals(s.detect({ ...sock, remotePort: 6379 }, "out", enc("")), true);
  assertEquals(s.detect({ ...sock, localPort: 6379 }, "in", enc("GET")), true);
  assertEquals(s.detect({ ...sock, unixPath: "/run/redis/redis.sock" }, "out", enc("")), true);
  assertEquals(d(""), undefined);
  assertEquals(d("*"), undefined);
  assertEquals(d("*2\r\n"), undefined);
  assertEquals(d("*2\r\n$3\r\nGET"), true);
  assertEquals(d("*2\r\n:3\r\n"), false);
  assertEquals(d("+OK\r\n"), true);
  assertEquals(d("-ERR x\r\n"), true);
  assertEquals(d("-rw-r--r--\n"), false);
  assertEquals(d(":12\r\n"), true);
  assertEquals(d("$5\r\nhello\r\n"), true);
  assertEquals(d("GET / HTTP/1.1\r\n"), false);
  assertEquals(d("+OK\r\n", { pid: 1, fd: 5, path: "pipe:[2]" }), false);
  assertEquals(looksLikeResp(enc("*12345678901234567\r\n")), false);
});

Deno.test("decoder override: write to fd 1 and 2 annotated, other fds left to the built-in", () => {
  const dec = decoderOverride(api).decoders!.write;
  const mem = new FakeMemory();
  const a = mem.put(0x1000, "hi\n");
  assertEquals(
    dec.enter!(fakeCall({ name: "write", args: [1, a, 3], mem })),
    '1 /* stdout */, "hi\\n", 3',
  );
  assertEquals(
    dec.enter!(fakeCall({ name: "write", args: [2, a, 3], mem })),
    '2 /* stderr */, "hi\\n", 3',
  );
  // Other descriptors: the built-in decoder's typed values, printed as before.
  assertEquals(
    callArgsText(dec.enter!(fakeCall({ name: "write", args: [7, a, 3], mem })), undefined),
    '7, "hi\\n", 3',
  );
  assertEquals(
    dec.enter!(fakeCall({ name: "write", args: [1, 0x9000, 3], mem })),
    "1 /* stdout */, 0x9000, 3",
  );
});

Deno.test("guard: a throwing decoder is reported once, prints raw, then falls back", () => {
  const warnings: string[] = [];
  const bad = {
    write: {
      enter(): string {
        throw new Error("boom");
      },
    },
  };
  const g = guardDecoders("p", bad, (m) => warnings.push(m), builtinDecoders).write;
  const mem = new FakeMemory();
  const a = mem.put(0x1000, "hi\n");
  const c1 = fakeCall({ name: "write", args: [1, a, 3], mem });
  let threw = false;
  try {
    g.enter!(c1);
  } catch {
    threw = true; // the tracer prints the call raw
  }
  assert(threw);
  // Neither the plugin's write nor the built-in one has an exit hook: the guard adds none.
  assertEquals(g.exit, undefined);
  assertEquals(g.result!(c1), undefined);
  const c2 = fakeCall({ name: "write", args: [1, a, 3], mem });
  assertEquals(callArgsText(g.enter!(c2), undefined), '1, "hi\\n", 3');
  assertEquals(warnings, ["plugin 'p': decoder write.enter threw Error: boom; disabled"]);
  // An exit that throws: the rest is empty, reported once.
  const w2: string[] = [];
  const e = guardDecoders("q", {
    read: {
      enter: () => "3, ",
      exit(): string {
        throw new RangeError("bad");
      },
    },
  }, (m) => w2.push(m)).read;
  const c3 = fakeCall({ name: "read", args: [3, 0, 0] });
  assertEquals(callArgsText(e.enter!(c3), e.exit!(c3)), "3, ");
  assertEquals(w2, ["plugin 'q': decoder read.exit threw RangeError: bad; disabled"]);
});

Deno.test("guard: a throwing sniffer is reported once and stops for that stream", () => {
  let calls = 0;
  const s = guardSniffer("p", {
    name: "t",
    detect: () => true,
    create: () => ({
      push(): ProtoMessage[] {
        calls++;
        throw new Error("x");
      },
    }),
  });
  const info = { pid: 1, fd: 3 };
  assertEquals(s.detect(info, "out", enc("a")), true);
  const p = s.create(info);
  assertEquals(p.push("out", enc("a")), []);
  assertEquals(p.push("out", enc("b")), []);
  assertEquals(calls, 1);
  // The report waits for the tap, which prints it after the syscall line.
  assertEquals(s.takeReports(), [
    "plugin 'p': sniffer t push threw Error: x; disabled for this stream",
  ]);
  assertEquals(s.takeReports(), []);
  // Another stream still gets the sniffer; its failure is not reported again.
  assertEquals(s.detect({ pid: 1, fd: 4 }, "out", enc("a")), true);
  assertEquals(s.create({ pid: 1, fd: 4 }).push("out", enc("a")), []);
  assertEquals(s.takeReports(), []);
});

Deno.test("loadPlugins: object and factory forms; failures named in one line each", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace_plugins_" });
  try {
    const files: Record<string, string> = {
      "obj.ts": `export default { name: "obj", decoders: { close: { enter: () => "X" } } };`,
      "factory.ts":
        `export default (api) => ({ name: "fac", decoders: { dup: { enter: (c) => api.hex(c.args.u(0)) } } });`,
      "async_factory.ts": `export default async () => ({ name: "afac", sniffers: [] });`,
      "top_throws.ts": `throw new Error("boom at load\\nsecond line");\nexport default {};`,
      "factory_throws.ts": `export default () => { throw new TypeError("no way"); };`,
      "no_default.ts": `export const x = 1;`,
      "bad_hook.ts": `export default { name: "bh", decoders: { close: { enter: 5 } } };`,
      "syntax.ts": `export default {{;`,
    };
    for (const [f, src] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${f}`, src);
    const warnings: string[] = [];
    const order = [
      "obj.ts",
      "factory.ts",
      "async_factory.ts",
      "top_throws.ts",
      "factory_throws.ts",
      "no_default.ts",
      "bad_hook.ts",
      "syntax.ts",
      "missing.ts",
    ].map((f) => `${dir}/${f}`);
    const got = await loadPlugins(order, (m) => warnings.push(m));
    assertEquals(got.names, ["obj", "fac", "afac"]);
    assertEquals(Object.keys(got.decoders).sort(), ["close", "dup"]);
    assertEquals(got.decoders.dup.enter!(fakeCall({ args: [255] })), "0xff");
    assertEquals(got.decoders.close.enter!(fakeCall({ args: [3] })), "X");
    assertEquals(warnings.length, 6);
    for (const w of warnings) assert(!w.includes("\n"), w);
    assertEquals(warnings.slice(0, 4), [
      `plugin '${dir}/top_throws.ts' failed to load: boom at load; skipped`,
      `plugin '${dir}/factory_throws.ts' failed to load: TypeError: no way; skipped`,
      `plugin '${dir}/no_default.ts' failed to load: it has no default export; skipped`,
      `plugin '${dir}/bad_hook.ts' failed to load: decoder close.enter is not a function; skipped`,
    ]);
    assertMatch(warnings[4], /^plugin '.*\/syntax\.ts' failed to load: .+; skipped$/);
    assertMatch(
      warnings[5],
      /^plugin '.*\/missing\.ts' failed to load: TypeError: Module not found ".*missing\.ts"; skipped$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// End to end, through main.ts.

Deno.test("e2e: the redis plugin decodes a traced client's exchange; exit code kept", async () => {
  await fixture("redis_like");
  const b = await sctrace([
    "--plugin",
    "./plugins/redis_plugin.ts",
    "--proto",
    "-e",
    "trace=none",
    "./tests/fixtures/bin/redis_like",
    "5",
  ]);
  assertEquals(b.code, 5);
  assertEquals(lines(b.stderr).filter((l) => l.startsWith("[redis")).map(withoutEnds), [
    "[redis fd=3 out] SET k value",
    "[redis fd=3 in] +OK",
    "[redis fd=3 out] GET k", // sent in two writes
    '[redis fd=3 in] "value"',
    "[redis fd=3 out] GET nokey",
    "[redis fd=3 in] nil",
    "[redis fd=3 out] PING", // three commands in one write
    '[redis fd=3 out] ECHO "hello world"',
    "[redis fd=3 out] INCR k",
    "[redis fd=3 in] +PONG", // three replies in one read
    '[redis fd=3 in] "hello world"',
    "[redis fd=3 in] -ERR value is not an integer or out of range",
    "[redis fd=3 out] KEYS *",
    '[redis fd=3 in] *1 ["k"]',
  ]);
  assert(!b.stderr.includes("plugin"), b.stderr);
});

Deno.test("e2e: with -f the server's side is decoded too, and -c reports redis latencies", async () => {
  await fixture("redis_like");
  const b = await sctrace([
    "-f",
    "--plugin",
    "./plugins/redis_plugin.ts",
    "--proto=redis",
    "-e",
    "trace=none",
    "./tests/fixtures/bin/redis_like",
  ]);
  assertEquals(b.code, 0);
  const server = rawLines(b.stderr).filter((l) => /\[redis fd=4 /.test(l)).map((l) =>
    withoutEnds(l.replace(/^\[pid +\d+\] /, ""))
  );
  assertEquals(server.slice(0, 4), [
    "[redis fd=4 in] SET k value",
    "[redis fd=4 out] +OK",
    "[redis fd=4 in] GET k",
    '[redis fd=4 out] "value"',
  ]);
  assertEquals(server.length, 14);
  // With -c, only the summaries: 28 messages (14 each side), one error each side, and 7
  // requests: both ends of the connection are traced, each request is counted once.
  const c = await sctrace([
    "-f",
    "-c",
    "--plugin",
    "./plugins/redis_plugin.ts",
    "--proto=redis",
    "./tests/fixtures/bin/redis_like",
  ]);
  assertEquals(c.code, 0);
  assertEquals(rawLines(c.stderr).filter((l) => /\[redis fd=/.test(l)), []);
  assertMatch(c.stderr, /^redis +28 +2 +7 /m);
  assertMatch(c.stderr, /^slowest redis [\d.]+ ms: [A-Z]+ .* -> \S/m);
});

Deno.test("e2e: the decoder override changes the write line, nothing else", async () => {
  const prog = await fixture("helloasm");
  const [a, b] = await Promise.all([
    strace([prog]),
    sctrace(["--plugin", "./plugins/decoder_override.ts", prog]),
  ]);
  assertEquals(b.code, 42);
  const want = lines(a.stderr).map((l) =>
    l.startsWith("write(1,") ? 'write(1 /* stdout */, "Hello world!\\n", 13) = 13' : l
  );
  assertEquals(lines(b.stderr), want);
});

Deno.test("e2e: a plugin that fails to import is named in one line; tracing goes on", async () => {
  const prog = await fixture("helloasm");
  // Written at test time: a module with a missing import would break `deno check .`.
  const dir = await Deno.makeTempDir({ prefix: "sctrace_plugins_" });
  const broken = `${dir}/import_fails.ts`;
  await Deno.writeTextFile(
    broken,
    `import { nothing } from "./no_such_module.ts";\nexport default { name: "x", decoders: nothing };\n`,
  );
  const [a, b] = await Promise.all([
    strace([prog]),
    sctrace([
      "--plugin",
      broken,
      "--plugin",
      "./plugins/decoder_override.ts",
      prog,
    ]),
  ]);
  assertEquals(b.code, 42);
  assertEquals(b.stdout, "Hello world!\n");
  const got = lines(b.stderr);
  assertEquals(
    rawLines(b.stderr)[0],
    `sctrace: plugin '${broken}' failed to load: TypeError: Module not found "file://${dir}/no_such_module.ts"; skipped`,
  );
  await Deno.remove(dir, { recursive: true });
  // The other plugin still loads.
  assertEquals(
    got.slice(1),
    lines(a.stderr).map((l) =>
      l.startsWith("write(1,") ? 'write(1 /* stdout */, "Hello world!\\n", 13) = 13' : l
    ),
  );
  const c = await sctrace(["--plugin", "tests/fixtures/plugins/not_a_plugin.ts", prog]);
  assertEquals(c.code, 42);
  assertEquals(
    rawLines(c.stderr)[0],
    "sctrace: plugin 'tests/fixtures/plugins/not_a_plugin.ts' failed to load: the plugin has no name; skipped",
  );
});

Deno.test("e2e: a throwing decoder is disabled with a message and its call printed raw", async () => {
  const prog = await fixture("helloasm");
  const b = await sctrace(["--plugin", "tests/fixtures/plugins/throwing_decoder.ts", prog]);
  assertEquals(b.code, 42);
  assertEquals(b.stdout, "Hello world!\n");
  const got = rawLines(b.stderr);
  const i = got.indexOf(
    "sctrace: plugin 'throwing-decoder': decoder write.enter threw Error: boom in write; disabled",
  );
  assert(i >= 0, b.stderr);
  // strace -e raw=write prints the same arguments (it also prints the result in hex).
  assertEquals(got[i + 1], "write(0x1, 0x402000, 0xd)               = 13");
  assertEquals(got.slice(-2), [
    "exit_group(42)                          = ?",
    "+++ exited with 42 +++",
  ]);
});

Deno.test("e2e: a throwing sniffer is disabled with one message; exit code kept", async () => {
  await fixture("redis_like");
  const b = await sctrace([
    "--plugin",
    "tests/fixtures/plugins/throwing_sniffer.ts",
    "--plugin",
    "./plugins/redis_plugin.ts",
    "--proto",
    "-e",
    "trace=none",
    "./tests/fixtures/bin/redis_like",
    "3",
  ]);
  assertEquals(b.code, 3);
  const got = rawLines(b.stderr);
  assertEquals(
    got.filter((l) => l.includes("plugin")),
    [
      "[thrower] plugin 'throwing-sniffer': sniffer thrower push threw TypeError: boom in push; " +
      "disabled for this stream",
    ],
  );
  assertEquals(got[got.length - 1], "+++ exited with 3 +++");
});
