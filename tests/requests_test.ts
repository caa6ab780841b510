/**
 * The request view's linking (core/decode/requests.ts), on messages as the tap hands them over:
 * two requests interleaved on one nginx process and two php-fpm workers, both FastCGI ends traced,
 * the worker's side seen before nginx's; and the JSON form of a request, whose tiers carry their
 * times for the views' waterfalls.
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { RequestTracker, type SeenMessage } from "../core/decode/requests.ts";
import type { ProtoPayload } from "../core/events/types.ts";
import type { Json } from "../decoders/value.ts";
import { requestTree, type ViewEvent } from "../core/output/view_model.ts";

const NGINX = 100;
const W1 = 201;
const W2 = 202;

let clock = 0;
function seen(
  tgid: number,
  p: Partial<ProtoPayload> & { proto: string; dir: "in" | "out"; kind: string },
  o: { request?: boolean; response?: boolean; conn?: string } = {},
): SeenMessage {
  return {
    tgid,
    p: { fd: 3, text: `[${p.proto} fd=3 ${p.dir}] ${p.kind}`, ...p },
    request: o.request ?? false,
    response: o.response ?? false,
    conn: o.conn,
    at: clock += 1,
  };
}

/** One request's messages: HTTP on client port `cport`, FastCGI id `id`, worker `w`, `SELECT n`. */
function page(n: number, cport: number, id: number, w: number) {
  const fconn = "tcp:127.0.0.1:19000|127.0.0.1:5" + n;
  const params = {
    REQUEST_METHOD: "GET",
    REQUEST_URI: `/q.php?n=${n}`,
    REMOTE_ADDR: "127.0.0.1",
    REMOTE_PORT: String(cport),
  };
  return {
    httpIn: seen(NGINX, {
      proto: "http",
      dir: "in",
      kind: "GET",
      fd: 10 + n,
      local: "127.0.0.1:8080",
      peer: `127.0.0.1:${cport}`,
      role: "server",
      fields: { method: "GET", uri: `/q.php?n=${n}` },
    }, { request: true }),
    fcgiOut: seen(NGINX, {
      proto: "fastcgi",
      dir: "out",
      kind: "PARAMS",
      fd: 20 + n,
      fields: { type: "PARAMS", request_id: id, params, method: "GET", uri: `/q.php?n=${n}` },
    }, { request: true, conn: fconn }),
    fcgiIn: seen(w, {
      proto: "fastcgi",
      dir: "in",
      kind: "PARAMS",
      fields: { type: "PARAMS", request_id: id, params, method: "GET", uri: `/q.php?n=${n}` },
    }, { request: true, conn: fconn }),
    query: seen(w, {
      proto: "mysql",
      dir: "out",
      kind: "COM_QUERY",
      fd: 6,
      text: `[mysql fd=6 out] COM_QUERY SELECT ${n}`,
      fields: { command: "COM_QUERY", query: `SELECT ${n}` },
    }, { request: true }),
    result: seen(w, {
      proto: "mysql",
      dir: "in",
      kind: "RESULTSET",
      fd: 6,
      text: `[mysql fd=6 in] RESULTSET columns=n rows=1`,
      fields: { type: "RESULTSET", rows: 1 },
    }, { response: true }),
    endOut: seen(w, {
      proto: "fastcgi",
      dir: "out",
      kind: "END_REQUEST",
      fields: { type: "END_REQUEST", request_id: id, app_status: 0, status: 200 },
    }, { response: true, conn: fconn }),
    endIn: seen(NGINX, {
      proto: "fastcgi",
      dir: "in",
      kind: "END_REQUEST",
      fd: 20 + n,
      fields: { type: "END_REQUEST", request_id: id, app_status: 0, status: 200 },
    }, { response: true, conn: fconn }),
    httpOut: seen(NGINX, {
      proto: "http",
      dir: "out",
      kind: "200",
      fd: 10 + n,
      fields: { status: 200, reason: "OK" },
    }, { response: true }),
  };
}

Deno.test("requests: interleaved requests on two workers, worker side seen first", () => {
  const t = new RequestTracker();
  const a = page(1, 40001, 1, W1);
  const b = page(2, 40002, 1, W2); // the same FastCGI id on another connection
  const order = [
    a.httpIn,
    b.httpIn,
    b.fcgiIn,
    a.fcgiOut,
    a.fcgiIn,
    b.fcgiOut, // b's worker read before nginx's write was seen
    a.query,
    b.query,
    b.result,
    a.result,
    b.endOut,
    b.endIn,
    a.endOut,
    b.httpOut,
    a.endIn,
    a.httpOut,
  ];
  const done = order.flatMap((m) => t.see(m).map((r) => t.payload(r)));
  assertEquals(done.length, 2);
  const byUri = new Map(done.map((p) => [p.fields?.uri, p]));
  for (const n of [1, 2]) {
    const p = byUri.get(`/q.php?n=${n}`)!;
    assert(p, `request ${n}`);
    assertEquals(p.kind, "request");
    assertEquals(p.fields?.status, 200);
    assertEquals(p.fields?.queries, 1);
    const lines = p.text.split("\n");
    assertEquals(lines.length, 3, p.text);
    assert(lines[0].startsWith("request http "), p.text);
    assert(lines[1].startsWith("  fastcgi "), p.text);
    assert(lines[1].includes(`[${n === 1 ? W1 : W2}]`), p.text);
    assertEquals(
      lines[2].replace(/^ {4}mysql \S+ /, "").replace(/ [\d.]+ ms$/, ""),
      `COM_QUERY SELECT ${n} -> RESULTSET columns=n rows=1`,
    );
    // The JSON form: plain data, the tree with its children.
    const json = JSON.parse(JSON.stringify(p.fields)) as { tiers: Json };
    assertEquals(json, p.fields as unknown);
    const tiers = json.tiers as {
      proto: string;
      children: {
        proto: string;
        pids: number[];
        children: { request: { fields: { query: string } } }[];
      }[];
    };
    assertEquals(tiers.proto, "http");
    assertEquals(tiers.children[0].proto, "fastcgi");
    assertEquals(tiers.children[0].pids, [NGINX, n === 1 ? W1 : W2]);
    assertEquals(tiers.children[0].children[0].request.fields.query, `SELECT ${n}`);
  }
});

Deno.test("requests: php-fpm alone: the FastCGI request is the top, with its SQL", () => {
  const t = new RequestTracker();
  const a = page(3, 40003, 1, W1);
  const done = [a.fcgiIn, a.query, a.result, a.endOut].flatMap((m) => t.see(m));
  assertEquals(done.length, 1);
  const p = t.payload(done[0]);
  assertEquals(p.proto, "fastcgi");
  assertEquals(p.fields?.uri, "/q.php?n=3");
  assert(p.text.split("\n")[1].includes("COM_QUERY SELECT 3"), p.text);
  // After END_REQUEST, the worker's next queries belong to no request.
  const next = page(4, 40004, 1, W1);
  assertEquals(t.see(next.query), []);
  assertEquals(t.see(next.result), []);
});

Deno.test("requests: the same URI twice at once: FastCGI is linked by the HTTP client's port", () => {
  const t = new RequestTracker();
  const a = page(5, 40005, 1, W1);
  const b = page(6, 40006, 2, W2);
  // Both for one URI; B's FastCGI request is sent first.
  for (const m of [a, b]) {
    for (const x of [m.httpIn, m.fcgiOut, m.fcgiIn]) {
      const f = x.p.fields as { uri?: string; params?: { REQUEST_URI?: string } };
      if (f.uri) f.uri = "/same.php";
      if (f.params?.REQUEST_URI) f.params.REQUEST_URI = "/same.php";
    }
  }
  const order = [a.httpIn, b.httpIn, b.fcgiOut, a.fcgiOut, b.fcgiIn, a.fcgiIn];
  const end = [b.endOut, b.endIn, b.httpOut, a.endOut, a.endIn, a.httpOut];
  const done = [...order, ...end].flatMap((m) => t.see(m).map((r) => t.payload(r)));
  assertEquals(done.length, 2);
  for (const p of done) {
    const tiers = p.fields?.tiers as { peer: string; children: { pids: number[] }[] };
    const worker = tiers.peer === "127.0.0.1:40005" ? W1 : W2;
    assertEquals(tiers.children[0].pids, [NGINX, worker], p.text);
  }
});

Deno.test("requests: every tier carries start and end on the events' clock; the views draw them", () => {
  const t = new RequestTracker();
  const a = page(7, 40007, 1, W1);
  // Times as the tap stamps them: performance.now() milliseconds.
  const at = new Map<SeenMessage, number>([
    [a.httpIn, 1000.25],
    [a.fcgiOut, 1002.5],
    [a.fcgiIn, 1003],
    [a.query, 1010.125],
    [a.result, 1030.5],
    [a.endOut, 1040],
    [a.endIn, 1041.75],
    [a.httpOut, 1050],
  ]);
  for (const [m, ms] of at) m.at = ms;
  const done = [...at.keys()].flatMap((m) => t.see(m).map((r) => t.payload(r)));
  assertEquals(done.length, 1);
  type T = { start: number; end: number | null; duration: number | null; children: T[] };
  const http = done[0].fields?.tiers as unknown as T;
  const fcgi = http.children[0];
  const sql = fcgi.children[0];
  // Seconds since sctrace started (performance.now() / 1000), as `rel` is.
  assertEquals([http.start, http.end], [1.00025, 1.05]);
  assertEquals([fcgi.start, fcgi.end], [1.0025, 1.04175]);
  assertEquals([sql.start, sql.end], [1.010125, 1.0305]);
  assertEquals(sql.duration, 0.020375);
  // The waterfall is the exact one, not spread out in the parent's spare time.
  const tree = requestTree({
    type: "proto",
    kind: "request",
    time: 0,
    rel: 1.0501,
    pid: NGINX,
    tgid: NGINX,
    fields: done[0].fields as Json,
    latency: done[0].latency as number,
  } as ViewEvent)!;
  assertEquals(tree.start, 1.00025);
  assertEquals(tree.children[0].start, 1.0025);
  // nginx's tier, then php-fpm's under it, then the query.
  assertEquals(tree.children[0].children[0].children[0].start, 1.010125);
  // A request without an answer seen: its end is null.
  const b = page(8, 40008, 1, W2);
  for (const m of [b.httpIn, b.fcgiOut, b.fcgiIn, b.query, b.endOut, b.endIn]) t.see(m);
  const [r] = t.see(b.httpOut).map((x) => t.payload(x));
  const q = (r.fields?.tiers as unknown as T).children[0].children[0];
  assertEquals([typeof q.start, q.end, q.duration], ["number", null, null]);
});

type Closed = {
  proto: string;
  pids: number[];
  end: number | null;
  duration: number | null;
  closed: boolean;
  response: Json;
  children: Closed[];
};

Deno.test("requests: an HTTP request whose connection closes unanswered is finished as closed", () => {
  const t = new RequestTracker();
  const a = page(9, 40009, 1, W1);
  assertEquals(t.see(a.httpIn), []);
  // Another descriptor's close, or another process's, finishes nothing.
  assertEquals(t.closed(NGINX, 99), []);
  assertEquals(t.closed(W1, 19), []);
  const done = t.closed(NGINX, 19).map((r) => t.payload(r));
  assertEquals(done.length, 1);
  const p = done[0];
  assertEquals(p.text.split("\n").length, 1, p.text);
  assert(p.text.startsWith("request http "), p.text);
  assert(p.text.endsWith(": GET /q.php?n=9 -> (no response: connection closed)"), p.text);
  assertEquals([p.fields?.status, p.fields?.duration, p.latency], [null, null, undefined]);
  const tier = p.fields?.tiers as unknown as Closed;
  assertEquals([tier.end, tier.duration, tier.closed, tier.response], [null, null, true, null]);
  // Finished once: a second close and the process's exit find nothing left.
  assertEquals(t.closed(NGINX, 19), []);
  assertEquals(t.exited(NGINX), []);
  // A keep-alive connection closed after its answers finishes nothing more.
  const b = page(10, 40010, 1, W1);
  for (const m of [b.httpIn, b.fcgiOut, b.fcgiIn, b.query, b.result, b.endOut, b.endIn]) t.see(m);
  const [ok] = t.see(b.httpOut).map((r) => t.payload(r));
  assertEquals((ok.fields?.tiers as unknown as Closed).closed, false);
  assertEquals(t.closed(NGINX, 20), []);
});

Deno.test("requests: nginx closes the FastCGI connection first: HTTP and FastCGI tiers closed", () => {
  const t = new RequestTracker();
  const a = page(11, 40011, 1, W1);
  for (const m of [a.httpIn, a.fcgiOut, a.fcgiIn, a.query]) assertEquals(t.see(m), []);
  // The upstream connection goes first (a child tier: nothing printed yet), then the client's.
  assertEquals(t.closed(NGINX, 31), []);
  const [p] = t.closed(NGINX, 21).map((r) => t.payload(r));
  const lines = p.text.split("\n");
  assertEquals(lines.length, 3, p.text);
  assert(lines[0].endsWith("-> (no response: connection closed)"), p.text);
  assert(lines[1].endsWith("-> (no response: connection closed)"), p.text);
  // The query still waits on the worker's own connection, which is open.
  assert(lines[2].endsWith("-> (no answer seen)"), p.text);
  const http = p.fields?.tiers as unknown as Closed;
  assertEquals([http.closed, http.children[0].closed], [true, true]);
  assertEquals(http.children[0].children[0].closed, false);
  // The worker's END_REQUEST comes after: the request was printed already, once.
  assertEquals(t.see(a.result), []);
  assertEquals(t.see(a.endOut), []);
  assertEquals(t.exited(W1), []);
});

Deno.test("requests: a php-fpm worker that exits mid-request finishes it closed, its query too", () => {
  const t = new RequestTracker();
  const a = page(12, 40012, 1, W1);
  for (const m of [a.fcgiIn, a.query]) assertEquals(t.see(m), []);
  const [p] = t.exited(W1).map((r) => t.payload(r));
  assert(p, "finished at exit");
  const lines = p.text.split("\n");
  assertEquals(lines.length, 2, p.text);
  assert(lines[0].startsWith("request fastcgi "), p.text);
  assert(lines[0].endsWith("-> (no response: connection closed)"), p.text);
  assert(lines[1].endsWith(": COM_QUERY SELECT 12 -> (no response: connection closed)"), p.text);
  const f = p.fields?.tiers as unknown as Closed;
  assertEquals([f.end, f.closed, f.children[0].end, f.children[0].closed], [
    null,
    true,
    null,
    true,
  ]);
  // The worker serves nothing now: its next query belongs to no request.
  assertEquals(t.see(page(13, 40013, 1, W1).query), []);
  assertEquals(t.exited(W1), []);
});

Deno.test("requests: both FastCGI ends traced, the worker closes after END_REQUEST: not closed", () => {
  const t = new RequestTracker();
  const a = page(14, 40014, 1, W1);
  for (const m of [a.httpIn, a.fcgiOut, a.fcgiIn, a.query, a.result, a.endOut]) t.see(m);
  // php-fpm closes its end before nginx's read of END_REQUEST was seen.
  assertEquals(t.closed(W1, 3), []);
  t.see(a.endIn);
  const [p] = t.see(a.httpOut).map((r) => t.payload(r));
  assert(!p.text.includes("closed"), p.text);
  assertEquals((p.fields?.tiers as unknown as Closed).children[0].closed, false);
  // nginx's read of END_REQUEST not seen, its end closes: the worker's answer was seen, so the
  // FastCGI tier is answered, not closed.
  const b = page(19, 40019, 1, W2);
  for (const m of [b.httpIn, b.fcgiOut, b.fcgiIn, b.query, b.result, b.endOut]) t.see(m);
  assertEquals(t.closed(NGINX, 39), []);
  const [q] = t.see(b.httpOut).map((r) => t.payload(r));
  assert(!q.text.includes("closed"), q.text);
  assert(q.text.split("\n")[1].includes("-> 200 app_status=0"), q.text);
  assertEquals((q.fields?.tiers as unknown as Closed).children[0].closed, false);
});

/** A query as the database server reads it (`mariadbd` traced too), and its answer. */
function serverSide(n: number, conn: string) {
  return {
    queryIn: seen(DB, {
      proto: "mysql",
      dir: "in",
      kind: "COM_QUERY",
      fd: 40,
      role: "server",
      text: `[mysql fd=40 in] COM_QUERY SELECT ${n}`,
      fields: { command: "COM_QUERY", query: `SELECT ${n}` },
    }, { request: true, conn }),
    resultOut: seen(DB, {
      proto: "mysql",
      dir: "out",
      kind: "RESULTSET",
      fd: 40,
      role: "server",
      text: `[mysql fd=40 out] RESULTSET columns=n rows=1`,
      fields: { type: "RESULTSET", rows: 1 },
    }, { response: true, conn }),
  };
}

const DB = 300;

Deno.test("requests: both ends of the SQL connection traced: one query, the server's pid joins it", () => {
  const t = new RequestTracker();
  const conn = "unix:500-501";
  const a = page(15, 40015, 1, W1);
  const a2 = page(16, 40015, 1, W1);
  for (const m of [a.query, a.result, a2.query, a2.result]) m.conn = conn;
  const s1 = serverSide(15, conn);
  const s2 = serverSide(16, conn);
  // The first query is seen from the client first, the second from the server first.
  const order = [
    a.fcgiIn,
    a.query,
    s1.queryIn,
    s1.resultOut,
    a.result,
    s2.queryIn,
    a2.query,
    s2.resultOut,
    a2.result,
    a.endOut,
  ];
  const done = order.flatMap((m) => t.see(m).map((r) => t.payload(r)));
  assertEquals(done.length, 1);
  const p = done[0];
  assertEquals(p.fields?.queries, 2, p.text);
  const lines = p.text.split("\n");
  assertEquals(lines.length, 3, p.text);
  for (const [i, n] of [[1, 15], [2, 16]]) {
    assert(lines[i].includes(`[${W1}] -> `), lines[i]);
    assert(lines[i].includes(`[${DB}]`), lines[i]);
    assert(lines[i].includes(`COM_QUERY SELECT ${n} -> RESULTSET`), lines[i]);
  }
  const f = p.fields?.tiers as unknown as Closed;
  assertEquals(f.children.map((c) => c.pids), [[W1, DB], [W1, DB]]);
  // Another connection's server is not this one's.
  const b = page(17, 40017, 2, W2);
  b.query.conn = "unix:600-601";
  b.result.conn = "unix:600-601";
  const [q] = [b.fcgiIn, b.query, b.result, b.endOut].flatMap((m) => t.see(m));
  assertEquals(q.children[0].procs, [W2]);
  // The server's end closes: the connection has no traced server now.
  t.closed(DB, 40, conn);
  const c = page(18, 40018, 3, W1);
  c.query.conn = conn;
  const [r] = [c.fcgiIn, c.query, c.endOut].flatMap((m) => t.see(m));
  assertEquals(r.children[0].procs, [W1]);
});

Deno.test("requests: at the end of the trace the requests still waiting are reported pending, once", () => {
  const t = new RequestTracker();
  const a = page(14, 40014, 1, W1);
  const b = page(15, 40015, 2, W2);
  // a: HTTP → FastCGI → query, unanswered; b: php-fpm side only (no HTTP above it), unanswered.
  for (const m of [a.httpIn, a.fcgiOut, a.fcgiIn, a.query, b.fcgiIn]) assertEquals(t.see(m), []);
  const done = t.unanswered().map((r) => t.payload(r));
  assertEquals(done.length, 2, done.map((p) => p.text).join("\n"));
  const [http, fcgi] = done;
  const lines = http.text.split("\n");
  assertEquals(lines.length, 3, http.text);
  assert(lines[0].endsWith("GET /q.php?n=14 -> (no response before the trace ended)"), http.text);
  assert(lines[1].endsWith("-> (no response before the trace ended)"), http.text);
  assert(fcgi.text.startsWith("request fastcgi "), fcgi.text);
  assert(fcgi.text.endsWith("-> (no response before the trace ended)"), fcgi.text);
  const tier = http.fields?.tiers as unknown as Closed & { pending: boolean };
  assertEquals([tier.pending, tier.closed, tier.end], [true, false, null]);
  // Forgotten: nothing is reported twice, and answers that come later complete nothing.
  assertEquals(t.unanswered(), []);
  assertEquals(t.see(a.httpOut), []);
  assertEquals(t.exited(NGINX), []);
  // An answered request is never pending.
  const c = page(16, 40016, 3, W1);
  for (const m of [c.httpIn, c.fcgiOut, c.fcgiIn, c.query, c.result, c.endOut, c.endIn]) t.see(m);
  assertEquals(t.see(c.httpOut).length, 1);
  assertEquals(t.unanswered(), []);
});

Deno.test("requests: a query seen only by its server is a request of its own; the client's wins", () => {
  const DB = 300;
  const conn = "unix:1-2";
  const q = (n: number, dir: "in" | "out", tgid = DB) =>
    seen(tgid, {
      proto: "mysql",
      dir,
      kind: "COM_QUERY",
      fd: dir === "in" ? 30 : 6,
      text: `[mysql fd=N ${dir}] COM_QUERY SELECT ${n}`,
      fields: { command: "COM_QUERY", query: `SELECT ${n}` },
    }, { request: true, conn });
  const answer = (n: number) =>
    seen(DB, {
      proto: "mysql",
      dir: "out",
      kind: "RESULTSET",
      fd: 30,
      text: `[mysql fd=N out] RESULTSET rows=${n}`,
      fields: { type: "RESULTSET", rows: n },
    }, { response: true, conn });
  const t = new RequestTracker();
  // The server alone: each query is a request, answered by the server's next response.
  assertEquals(t.see(q(1, "in")), []);
  assertEquals(t.see(q(2, "in")), []);
  const [a] = t.see(answer(1)).map((r) => t.payload(r));
  assert(a.text.startsWith("request mysql "), a.text);
  assert(a.text.includes(": COM_QUERY SELECT 1 -> RESULTSET"), a.text);
  assertEquals(a.text.split("\n").length, 1, a.text);
  // The second waits; the server's connection closes: it ends closed.
  const [b] = t.closed(DB, 30, conn).map((r) => t.payload(r));
  assert(b.text.includes(": COM_QUERY SELECT 2 -> (no response: connection closed)"), b.text);
  assertEquals(t.see(answer(3)), []);
  // The tracer saw the server's read before the client's write: the client's tier is the one.
  const p = page(17, 40017, 1, W1);
  t.see(p.fcgiIn);
  assertEquals(t.see(q(17, "in")), []);
  assertEquals(t.see(q(17, "out", W1)), []);
  const [end] = t.see(p.endOut).map((r) => t.payload(r));
  assert(end, "the worker's END_REQUEST ends its request");
  const tiers = end.fields?.tiers as unknown as Closed;
  assertEquals(tiers.children.length, 1);
  assertEquals(tiers.children[0].pids, [W1, DB]);
  assertEquals(t.see(answer(17)), [], "the server's own tier of that query was dropped");
});
