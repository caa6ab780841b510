/**
 * The views (issue 12) from saved `--json` traces: `sctrace timeline` checked structurally,
 * `sctrace report` opened in headless Chromium, bad input, unwritable outputs, and the live
 * view's screen layout. The fixture `tests/testdata/views/multi.jsonl` is written by hand from
 * the documented JSON form (core/events/json.ts): a shell that forks `ls` (syscalls, an error, a
 * signal, exits, a kill, a thread) and an nginx → php-fpm → MySQL request (protocol messages and
 * a request object with children).
 */

import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT, sctrace } from "./helpers/diff.ts";
import { checkTimeline, haveChromium, openInChromium } from "./helpers/views.ts";
import { countEvent, emptyStats, renderLive } from "../core/output/live.ts";
import {
  asViewEvent,
  Exchanges,
  jsonArgText,
  ProcessNames,
  readJsonl,
  requestTree,
  type ViewEvent,
} from "../core/output/view_model.ts";
import { TimelineWriter } from "../core/output/timeline.ts";

const FIXTURE = `${ROOT}tests/testdata/views/multi.jsonl`;

async function fixtureEvents(): Promise<ViewEvent[]> {
  const out: ViewEvent[] = [];
  const text = await Deno.readTextFile(FIXTURE);
  for (const l of text.split("\n")) if (l) out.push(asViewEvent(JSON.parse(l)) as ViewEvent);
  return out;
}

Deno.test("sctrace timeline: Chrome trace events, structurally sound, from a saved trace", async () => {
  const dir = await Deno.makeTempDir();
  const r = await sctrace(["timeline", FIXTURE, "-o", `${dir}/t.json`]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stderr, "");
  const t = checkTimeline(await Deno.readTextFile(`${dir}/t.json`));
  const events = await fixtureEvents();
  // Every syscall is one complete slice, at its entry, as long as it took.
  const calls = events.filter((e) => e.type === "syscall");
  const slices = t.events.filter((e) => e.ph === "X" && e.cat?.startsWith("syscall"));
  assertEquals(slices.length, calls.length);
  for (const c of calls) {
    // Stamped at its exit: it started `duration` earlier.
    const start = Math.round((c.rel - (c.duration as number)) * 1e6);
    const s = slices.find((x) => x.tid === c.pid && x.name === c.syscall && x.ts === start);
    assert(s, `no slice for ${c.syscall} of ${c.pid} at ${c.rel}`);
    assertEquals(s.dur, Math.round((c.duration as number) * 1e6));
    assertEquals(s.pid, c.tgid);
    assertEquals((s.args as { args: unknown }).args, c.args);
  }
  const failed = slices.find((s) => s.name === "openat" && s.cat === "syscall,error");
  assertEquals(failed?.args?.error, "ENOENT");
  // Processes are named after their command once it is known (execve), threads grouped.
  assertEquals(t.processNames.get(300), "sh");
  assertEquals(t.processNames.get(301), "ls");
  assert(t.threadNames.has(302));
  assertEquals(t.events.find((e) => e.ph !== "M" && e.tid === 302)?.pid, 300);
  // Signals, exits, kills and execs are instants.
  const instants = t.events.filter((e) => e.ph === "i").map((e) => `${e.tid} ${e.name}`);
  for (
    const want of ["300 SIGCHLD", "301 exited with 2", "300 killed by SIGTERM", "301 exec ls"]
  ) assert(instants.includes(want), `${want} in ${instants}`);
  // The request: one slice per tier, flows nginx → FastCGI → php-fpm → each query.
  const tiers = t.events.filter((e) => e.ph === "X" && e.cat?.startsWith("request"));
  assertEquals(tiers.map((e) => e.name), [
    "http GET /index.php 200",
    "fastcgi GET /index.php 200",
    "fastcgi GET /index.php 200",
    "mysql SELECT * FROM posts WHERE id=1",
    "mysql SELECT nope FROM missing",
  ]);
  assertEquals(tiers.map((e) => e.pid), [100, 100, 200, 200, 200]);
  assertEquals(tiers[4].cat, "request,error");
  assertEquals(t.flows, 4);
  const f = t.events.filter((e) => e.ph === "f");
  assertEquals(f.map((e) => e.pid), [100, 200, 200, 200]);
  // A response with a latency is a slice from its request, named after both.
  const http = t.events.find((e) =>
    e.ph === "X" && e.cat === "proto" && e.name?.startsWith("http")
  );
  assertEquals(http?.name, "http GET /index.php → 200 OK");
  assertEquals(http?.dur, 20900);
});

Deno.test("timeline: overlapping requests of one thread go on separate lanes", () => {
  const chunks: string[] = [];
  const tl = new TimelineWriter((s) => chunks.push(s));
  const base = { time: 1, pid: 7, tgid: 7, proto: "http", dir: "out", fd: 3 };
  // Two requests on one event-loop worker, overlapping without nesting.
  tl.add(
    { ...base, type: "proto", rel: 0.3, kind: "200", text: "200 OK", latency: 0.2 } as ViewEvent,
  );
  tl.add(
    { ...base, type: "proto", rel: 0.4, kind: "200", text: "200 OK", latency: 0.2 } as ViewEvent,
  );
  tl.finish();
  const t = checkTimeline(chunks.join(""));
  const lanes = t.events.filter((e) => e.ph === "X").map((e) => e.tid);
  assertEquals(new Set(lanes).size, 2);
});

Deno.test("sctrace report: self-contained HTML opened in headless Chromium", {
  ignore: !haveChromium(),
}, async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/report.html`;
  const r = await sctrace(["report", FIXTURE, "-o", out]);
  assertEquals(r.code, 0, r.stderr);
  const html = await Deno.readTextFile(out);
  // Self-contained: no fetch of anything.
  assert(!/\b(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), "a network reference");
  const v = await openInChromium(out);
  assertEquals(v.console, [], "console messages");
  // The syscall table, built by the page's script: a row per syscall, sorted by time.
  const table = v.dom.match(/<table id="syscall-table">([\s\S]*?)<\/table>/)?.[1] ?? "";
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1])
  ).filter((cells) => cells.length);
  assertEquals(rows.length, 14, table.slice(0, 300)); // 13 syscalls and the total
  assertEquals(rows[0][6], "accept4");
  assertEquals(rows[13][6], "total");
  assertEquals(rows[13][4], "16");
  // The request waterfall: five tiers, the failing query marked.
  const tiers = [...v.dom.matchAll(/<div class="tier">/g)].length;
  assertEquals(tiers, 5);
  assertMatch(v.dom, /class="seg p-mysql error"/);
  assertMatch(v.dom, /SELECT nope FROM missing/);
  // Errors by errno, protocols, slowest calls.
  assertMatch(v.dom, /<td class="l err">EINPROGRESS<\/td>/);
  assertMatch(v.dom, /Slowest mysql/);
  assertMatch(v.dom, /accept4\(5, NULL, NULL, SOCK_CLOEXEC\) = 6/);
  // Not blank: a good share of the page is drawn, in several colours.
  assert(v.ink > 0.1, `screenshot mostly blank (ink ${v.ink})`);
  assert(v.colours > 20, `screenshot has ${v.colours} colours`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sctrace report: hostile strings stay text (no markup, no script)", {
  ignore: !haveChromium(),
}, async () => {
  const dir = await Deno.makeTempDir();
  const trace = `${dir}/h.jsonl`;
  const evil = '<b>bold</b></script><img src=x onerror="console.error(1)">';
  await Deno.writeTextFile(
    trace,
    JSON.stringify({
      type: "syscall",
      time: 1,
      rel: 0.001,
      pid: 5,
      tgid: 5,
      syscall: "openat",
      nr: 257,
      args: [{ fd: -100 }, evil, ["O_RDONLY"]],
      ret: -1,
      error: "ENOENT",
      duration: 0.001,
      comm: "<i>x</i>",
    }) + "\n",
  );
  const r = await sctrace(["report", trace, "-o", `${dir}/h.html`]);
  assertEquals(r.code, 0, r.stderr);
  const v = await openInChromium(`${dir}/h.html`, 800, 600);
  assertEquals(v.console, []);
  assert(!v.dom.includes("<b>bold</b>"), "trace text became markup");
  assert(v.dom.includes("&lt;b&gt;bold&lt;/b&gt;"), "trace text shown as text");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sctrace report: a truncated or foreign line is named, the rest is used", async () => {
  const dir = await Deno.makeTempDir();
  const lines = (await Deno.readTextFile(FIXTURE)).trimEnd().split("\n");
  const trace = `${dir}/cut.jsonl`;
  // Line 3 foreign JSON, line 5 not JSON, the last line cut in half.
  lines.splice(2, 0, '{"level":"info","msg":"hello"}');
  lines.splice(4, 0, "garbage");
  const last = lines.pop()!;
  // The summaries `-c --json` and `--proto` write are not events, and not bad lines either.
  lines.push('{"type":"summary","syscalls":[],"total":{}}');
  lines.push('{"type":"proto_summary","protocols":[]}');
  lines.push(last.slice(0, last.length >> 1));
  await Deno.writeTextFile(trace, lines.join("\n"));
  const r = await sctrace(["report", trace, "-o", `${dir}/r.html`]);
  assertEquals(r.code, 0, r.stderr);
  const msgs = r.stderr.trimEnd().split("\n");
  assertEquals(msgs.length, 3, r.stderr);
  assertMatch(msgs[0], /^sctrace: .*cut\.jsonl:3: no "type" field .*; line skipped$/);
  assertMatch(msgs[1], /^sctrace: .*cut\.jsonl:5: not JSON .*; line skipped$/);
  assertMatch(msgs[2], new RegExp(`^sctrace: .*cut\\.jsonl:${lines.length}: not JSON`));
  const html = await Deno.readTextFile(`${dir}/r.html`);
  assertMatch(html, /"calls":2,"errors":0,"total":0\.00025/); // both execve lines still counted
  // Same for the timeline.
  const t = await sctrace(["timeline", trace, "-o", `${dir}/t.json`]);
  assertEquals(t.code, 0);
  checkTimeline(await Deno.readTextFile(`${dir}/t.json`));
  // A file with no event at all is an error.
  await Deno.writeTextFile(`${dir}/foreign.jsonl`, "hello\n{}\n");
  const f = await sctrace(["report", `${dir}/foreign.jsonl`, "-o", `${dir}/f.html`]);
  assertEquals(f.code, 1);
  assertMatch(f.stderr, /foreign\.jsonl: no sctrace events in it/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("views: an unwritable output is one strace-style error, before anything runs", async () => {
  const dir = await Deno.makeTempDir();
  const bad = `${dir}/missing/dir/out.html`;
  const r = await sctrace(["report", FIXTURE, "-o", bad]);
  assertEquals(r.code, 1);
  assertEquals(r.stderr, `sctrace: Can't fopen '${bad}': No such file or directory\n`);
  const missing = await sctrace(["timeline", `${dir}/nope.jsonl`, "-o", `${dir}/t.json`]);
  assertEquals(missing.code, 1);
  assertEquals(
    missing.stderr,
    `sctrace: Can't open '${dir}/nope.jsonl': No such file or directory\n`,
  );
  for (const opt of ["--timeline", "--report"]) {
    const marker = `${dir}/ran${opt}`;
    const t = await sctrace([opt, bad, "/usr/bin/touch", marker]);
    assertEquals(t.code, 1, opt);
    assertEquals(t.stderr, `sctrace: Can't fopen '${bad}': No such file or directory\n`, opt);
    assert(!(await exists(marker)), `${opt}: the command ran`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--live without a terminal is refused", async () => {
  const r = await sctrace(["--live", "/bin/true"]);
  assertEquals(r.code, 1);
  assertEquals(r.stderr, "sctrace: --live needs a terminal on standard output\n");
});

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

Deno.test("readJsonl: lines split across chunks, blank lines, a last line without newline", async () => {
  const text = '{"type":"exit","time":1,"rel":0.5,"pid":3,"tgid":3,"code":0}\n\n' +
    '{"type":"exit","time":1,"rel":0.6,"pid":4,"tgid":4,"code":1}';
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
      c.close();
    },
  });
  const got: number[] = [];
  const bad: number[] = [];
  const n = await readJsonl(stream, (e) => got.push(e.code as number), (b) => bad.push(b.line));
  assertEquals([n, got, bad], [2, [0, 1], []]);
});

Deno.test("requestTree: the request view's tiers; both sides of FastCGI; starts placed or given", async () => {
  const req = (await fixtureEvents()).find((e) => e.kind === "request")!;
  const t = requestTree(req)!;
  const us = (s: number) => Math.round(s * 1e6);
  assertEquals([t.label, t.proto, t.pid, t.tgid, us(t.start), us(t.duration), t.error], [
    "GET /index.php 200",
    "http",
    101,
    100,
    10100,
    21000,
    false,
  ]);
  // FastCGI seen from nginx (100) then php-fpm (200); the queries under php-fpm's side.
  const fc = t.children[0];
  assertEquals([fc.proto, fc.tgid, fc.children.length], ["fastcgi", 100, 1]);
  const php = fc.children[0];
  assertEquals([php.proto, php.tgid, php.start, php.duration], ["fastcgi", 200, fc.start, 0.0201]);
  assertEquals(php.children.map((c) => [c.label, c.tgid, c.error]), [
    ["SELECT * FROM posts WHERE id=1", 200, false],
    ["SELECT nope FROM missing", 200, true],
  ]);
  // Without starts, children are placed in order inside their parent.
  const [q1, q2] = php.children;
  assert(fc.start >= t.start && fc.start + fc.duration <= t.start + t.duration + 1e-9);
  assert(q1.start >= php.start && q1.start + q1.duration <= q2.start);
  assert(q2.start + q2.duration <= php.start + php.duration + 1e-9);
  // With starts, they are used.
  const tiers = structuredClone(req.fields) as { tiers: { children: { start?: number }[] } };
  tiers.tiers.children[0].start = 0.0123;
  const t2 = requestTree({ ...req, fields: tiers } as ViewEvent)!;
  assertEquals(t2.children[0].start, 0.0123);
});

Deno.test("jsonArgText: argument JSON rendered compactly", () => {
  assertEquals(jsonArgText({ fd: 3, path: "/etc/passwd" }), "3</etc/passwd>");
  assertEquals(jsonArgText({ fd: -100 }), "AT_FDCWD");
  assertEquals(jsonArgText(["O_RDONLY", "O_CLOEXEC"]), "O_RDONLY|O_CLOEXEC");
  assertEquals(jsonArgText({ str: "abc", truncated: true, len: 9 }), '"abc"...');
  assertEquals(jsonArgText(null), "NULL");
  assertEquals(jsonArgText({ in: 1, out: 2 }), "1 => 2");
  assertEquals(jsonArgText("x".repeat(200), 10).length, 10);
});

Deno.test("ProcessNames: execve renames the process, comm wins", () => {
  const n = new ProcessNames();
  const e = (o: Record<string, unknown>) =>
    ({ type: "x", time: 1, rel: 0, pid: 9, tgid: 9, ...o }) as ViewEvent;
  assertEquals(n.see(e({})), "process");
  assertEquals(n.process(9), "pid 9");
  n.see(e({ type: "syscall", syscall: "execve", args: ["/usr/bin/python3.11"], ret: 0 }));
  assertEquals(n.process(9), "python3.11");
  n.see(e({ type: "syscall", syscall: "execve", args: ["/bin/nope"], ret: -1, error: "ENOENT" }));
  assertEquals(n.process(9), "python3.11");
  // An untyped argument (an old plugin's text) still names it.
  n.see(
    e({ type: "syscall", syscall: "execve", args: [{ text: '"/bin/ls", ["ls"], 0x1' }], ret: 0 }),
  );
  assertEquals(n.process(9), "ls");
  n.see(e({ comm: "worker" }));
  assertEquals(n.process(9), "worker");
});

Deno.test("renderLive: exactly the terminal's size, counts shown, control bytes never printed", async () => {
  const s = emptyStats();
  const ex = new Exchanges();
  for (const e of await fixtureEvents()) countEvent(s, e, ex);
  s.seconds = 1;
  const names = new ProcessNames();
  for (const e of await fixtureEvents()) names.see(e);
  for (const [cols, rows] of [[120, 30], [70, 20], [40, 8], [60, 5], [200, 60]]) {
    const screen = renderLive(s, { calls: 16, errors: 4, elapsed: 1 }, names, cols, rows);
    assertEquals(screen.length, rows);
    for (const l of screen) assertEquals(l.length, cols, JSON.stringify(l));
    // deno-lint-ignore no-control-regex
    for (const l of screen) assert(!/[\x00-\x1f]/.test(l), JSON.stringify(l));
  }
  const big = renderLive(s, { calls: 16, errors: 4, elapsed: 1 }, names, 120, 70).join("\n");
  assertMatch(big, /16 syscalls\s+4 errors/);
  assertMatch(big, /\s300 sh\s+7\s+2/); // by process: sh (and its thread) made 7 calls, 2 failed
  assertMatch(big, /openat\s+2\s+1/); // by name
  assertMatch(big, /2 ?ms?.*accept4|8\.0ms\s+200 accept4/);
  assertMatch(big, /http GET \/index\.php 200/);
  assertMatch(big, /1 openat ENOENT/);
});

Deno.test("Exchanges: a response is named after the message that named its request", () => {
  const x = new Exchanges();
  const m = (o: Record<string, unknown>) =>
    ({
      type: "proto",
      time: 1,
      rel: 1,
      pid: 4,
      tgid: 4,
      proto: "fastcgi",
      fd: 3,
      ...o,
    }) as ViewEvent;
  assertEquals(
    x.see(m({ dir: "in", role: "server", kind: "BEGIN_REQUEST", text: "BEGIN_REQUEST id=1" })),
    undefined,
  );
  x.see(
    m({
      dir: "in",
      role: "server",
      kind: "PARAMS",
      text: "PARAMS id=1 …",
      fields: { method: "GET", uri: "/a.php" },
    }),
  );
  x.see(m({ dir: "in", role: "server", kind: "STDIN", text: "STDIN id=1 len=0" }));
  x.see(
    m({
      dir: "out",
      role: "server",
      kind: "STDOUT",
      text: "STDOUT id=1 len=195 | Content-type: x",
    }),
  );
  assertEquals(
    x.see(
      m({
        dir: "out",
        role: "server",
        kind: "END_REQUEST",
        text: "END_REQUEST id=1",
        latency: 0.01,
      }),
    ),
    "GET /a.php → END_REQUEST id=1",
  );
  // The next response on the stream has no request of its own.
  assertEquals(
    x.see(m({ dir: "out", kind: "END_REQUEST", text: "END_REQUEST id=2", latency: 0.01 })),
    "END_REQUEST id=2",
  );
  // Without fields, the server's own output does not pass for a request.
  x.see(m({ fd: 5, dir: "in", role: "server", kind: "BEGIN_REQUEST", text: "BEGIN_REQUEST id=3" }));
  x.see(m({ fd: 5, dir: "out", role: "server", kind: "STDOUT", text: "STDOUT id=3 len=9" }));
  assertEquals(
    x.see(
      m({
        fd: 5,
        dir: "out",
        role: "server",
        kind: "END_REQUEST",
        text: "END_REQUEST id=3",
        latency: 1,
      }),
    ),
    "BEGIN_REQUEST id=3 → END_REQUEST id=3",
  );
  // Text of the text output: the label, the first line, no headers.
  x.see(
    m({ proto: "http", dir: "in", kind: "GET", text: "[http fd=3 in] GET / HTTP/1.1 | Host: x" }),
  );
  assertEquals(
    x.see(
      m({
        proto: "http",
        dir: "out",
        kind: "200",
        text: "HTTP/1.1 200 OK | Server: y",
        latency: 1,
      }),
    ),
    "GET / HTTP/1.1 → HTTP/1.1 200 OK",
  );
});
