/**
 * Tests of the HTTP/1.x sniffer: hand-built streams (each also split byte by byte, coalesced and
 * split at random, with the same messages expected) and a capture recorded between curl and
 * nginx 1.22.1 (Debian 12) through a loopback proxy (testdata/sniff_http_nginx.json).
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { createHttpSniffer, httpSniffer } from "../decoders/sniffers/http.ts";
import { b, type Bounded, cat, check, checkCapture, fieldsOf } from "./helpers/sniff.ts";

const CAPTURE_EXPECTED: string[][] = [
  [
    "out GET GET /index.php HTTP/1.1 | Host: 127.0.0.1:8082 | User-Agent: curl/7.88.1 | Accept: */* | Accept-Encoding: deflate, gzip, br, zstd [req]",
    'in 200 HTTP/1.1 200 OK | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:31 GMT | Content-Type: text/html; charset=UTF-8 | Transfer-Encoding: chunked | Connection: keep-alive | Content-Encoding: gzip | body=148 bytes chunked gzip "<!DOCTYPE html>\\n<p>Hello world!</p>\\n<p>Sample Page</p>\\n<p>Privac"... [resp]',
    "out GET GET /static.txt HTTP/1.1 | Host: 127.0.0.1:8082 | User-Agent: curl/7.88.1 | Accept: */* | Accept-Encoding: deflate, gzip, br, zstd [req]",
    'in 200 HTTP/1.1 200 OK | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:31 GMT | Content-Type: text/plain | Last-Modified: Thu, 26 Nov 2026 21:28:27 GMT | Transfer-Encoding: chunked | Connection: keep-alive | ETag: W/"6b08a47b-14" | Content-Encoding: gzip | body=40 bytes chunked gzip "static file content\\n" [resp]',
    "out GET GET /missing.html HTTP/1.1 | Host: 127.0.0.1:8082 | User-Agent: curl/7.88.1 | Accept: */* | Accept-Encoding: deflate, gzip, br, zstd [req]",
    'in 404 HTTP/1.1 404 Not Found | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:31 GMT | Content-Type: text/html | Transfer-Encoding: chunked | Connection: keep-alive | Content-Encoding: gzip | body=114 bytes chunked gzip "<html>\\r\\n<head><title>404 Not Found</title></head>\\r\\n<body>\\r\\n<cent"... [resp] [err]',
  ],
  [
    'out POST POST /index.php?x=1 HTTP/1.1 | Host: 127.0.0.1:8082 | User-Agent: curl/7.88.1 | Accept: */* | Content-Length: 7 | Content-Type: application/x-www-form-urlencoded | body=7 bytes "a=1&b=2" [req]',
    'in 200 HTTP/1.1 200 OK | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:31 GMT | Content-Type: text/html; charset=UTF-8 | Transfer-Encoding: chunked | Connection: keep-alive | body=4089 bytes chunked "<!DOCTYPE html>\\n<p>Hello world!</p>\\n<p>Sample Page</p>\\n<p>Privac"... [resp]',
  ],
  [
    "out HEAD HEAD /static.txt HTTP/1.1 | Host: 127.0.0.1:8082 | User-Agent: curl/7.88.1 | Accept: */* [req]",
    'in 200 HTTP/1.1 200 OK | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:31 GMT | Content-Type: text/plain | Content-Length: 20 | Last-Modified: Thu, 26 Nov 2026 21:28:27 GMT | Connection: keep-alive | ETag: "6b08a47b-14" | Accept-Ranges: bytes [resp]',
  ],
  [
    "out GET GET /static.txt HTTP/1.1 | Host: a | Accept-Encoding: gzip [req]",
    "out HEAD HEAD /static.txt HTTP/1.1 | Host: a [req]",
    "out GET GET /nope HTTP/1.1 | Host: a | Connection: close [req]",
    'in 200 HTTP/1.1 200 OK | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:37 GMT | Content-Type: text/plain | Last-Modified: Thu, 26 Nov 2026 21:28:27 GMT | Transfer-Encoding: chunked | Connection: keep-alive | ETag: W/"6b08a47b-14" | Content-Encoding: gzip | body=40 bytes chunked gzip "static file content\\n" [resp]',
    'in 200 HTTP/1.1 200 OK | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:37 GMT | Content-Type: text/plain | Content-Length: 20 | Last-Modified: Thu, 26 Nov 2026 21:28:27 GMT | Connection: keep-alive | ETag: "6b08a47b-14" | Accept-Ranges: bytes [resp]',
    'in 404 HTTP/1.1 404 Not Found | Server: nginx/1.22.1 | Date: Thu, 26 Nov 2026 21:28:37 GMT | Content-Type: text/html | Content-Length: 153 | Connection: close | body=153 bytes "<html>\\r\\n<head><title>404 Not Found</title></head>\\r\\n<body>\\r\\n<cent"... [resp] [err]',
  ],
];

const http = httpSniffer;

Deno.test("http: request with body and keep-alive responses", () => {
  check(http, [
    ["out", b("POST /login?x=1 HTTP/1.1\r\nHost: example\r\nContent-Length: 7\r\n\r\na=1&b=2")],
    ["in", b("HTTP/1.1 302 Found\r\nLocation: /\r\nContent-Length: 0\r\n\r\n")],
    ["out", b("GET / HTTP/1.1\r\nHost: example\r\n\r\n")],
    ["in", b("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")],
  ], [
    'out POST POST /login?x=1 HTTP/1.1 | Host: example | Content-Length: 7 | body=7 bytes "a=1&b=2" [req]',
    "in 302 HTTP/1.1 302 Found | Location: / | Content-Length: 0 [resp]",
    "out GET GET / HTTP/1.1 | Host: example [req]",
    'in 200 HTTP/1.1 200 OK | Content-Length: 5 | body=5 bytes "hello" [resp]',
  ]);
});

Deno.test("http: chunked gzip body with extensions and trailers", () => {
  const gz = gzipSync(b("<!DOCTYPE html>\n" + "<p>Hello world!</p>\n".repeat(50)));
  const half = Math.floor(gz.length / 2);
  const body = cat(
    b(`${half.toString(16)};ext=1\r\n`),
    gz.subarray(0, half),
    b(`\r\n${(gz.length - half).toString(16)}\r\n`),
    gz.subarray(half),
    b("\r\n0\r\nX-Trailer: yes\r\n\r\n"),
  );
  check(http, [
    ["out", b("GET /wordpress/ HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n")],
    [
      "in",
      cat(
        b("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"),
        b("Content-Encoding: gzip\r\n\r\n"),
        body,
      ),
    ],
  ], [
    "out GET GET /wordpress/ HTTP/1.1 | Host: localhost | Accept-Encoding: gzip [req]",
    "in 200 HTTP/1.1 200 OK | Content-Type: text/html | Transfer-Encoding: chunked | " +
    `Content-Encoding: gzip | X-Trailer: yes | body=${gz.length} bytes chunked gzip ` +
    '"<!DOCTYPE html>\\n<p>Hello world!</p>\\n<p>Hello world!</p>\\n<p>Hello"... [resp]',
  ]);
});

Deno.test("http: pipelining, HEAD, 100 Continue, 204 and 304 have no body", () => {
  check(http, [
    [
      "out",
      b(
        "HEAD /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n" +
          "DELETE /c HTTP/1.1\r\nHost: h\r\n\r\nPUT /d HTTP/1.1\r\nExpect: 100-continue\r\n" +
          "Content-Length: 2\r\n\r\nhi",
      ),
    ],
    [
      "in",
      b(
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" +
          "HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n" +
          "HTTP/1.1 204 No Content\r\n\r\n" +
          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
      ),
    ],
  ], [
    "out HEAD HEAD /a HTTP/1.1 | Host: h [req]",
    "out GET GET /b HTTP/1.1 | Host: h [req]",
    "out DELETE DELETE /c HTTP/1.1 | Host: h [req]",
    'out PUT PUT /d HTTP/1.1 | Expect: 100-continue | Content-Length: 2 | body=2 bytes "hi" [req]',
    "in 200 HTTP/1.1 200 OK | Content-Length: 1000 [resp]",
    "in 304 HTTP/1.1 304 Not Modified | ETag: x [resp]",
    "in 204 HTTP/1.1 204 No Content [resp]",
    "in 100 HTTP/1.1 100 Continue",
    "in 201 HTTP/1.1 201 Created | Content-Length: 0 [resp]",
  ]);
});

Deno.test("http: server side (requests come in), errors flagged, LF-only lines", () => {
  check(http, [
    ["in", b("GET /missing HTTP/1.0\nUser-Agent: x\n\n")],
    ["out", b("HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n")],
  ], [
    "in GET GET /missing HTTP/1.0 | User-Agent: x [req]",
    'out 404 HTTP/1.0 404 Not Found | Content-Length: 3 | body=3 bytes "no\\n" [resp] [err]',
  ]);
});

Deno.test("http: body until close is reported at once; later bytes ignored", () => {
  check(http, [
    ["out", b("GET / HTTP/1.0\r\n\r\n")],
    [
      "in",
      b("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nsome body\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
    ],
  ], [
    "out GET GET / HTTP/1.0 [req]",
    "in 200 HTTP/1.0 200 OK | Content-Type: text/plain | body=until-close [resp]",
  ]);
});

Deno.test("http: 101 Switching Protocols ends parsing of the stream", () => {
  check(http, [
    ["out", b("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")],
    ["in", b("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello")],
    ["out", b("GET / HTTP/1.1\r\n\r\n")],
  ], [
    "out GET GET /ws HTTP/1.1 | Upgrade: websocket | Connection: Upgrade [req]",
    "in 101 HTTP/1.1 101 Switching Protocols | Upgrade: websocket [resp]",
  ]);
});

Deno.test("http: garbage gives one desync, then resync at the next request line", () => {
  check(http, [
    ["out", cat([0, 1, 2, 0xff, 0x80], b("garbage here\r\nmore junk\r\n"))],
    ["out", b("GET /again HTTP/1.1\r\nHost: h\r\n\r\n")],
  ], [
    "out desync desync: not an HTTP message",
    "out GET GET /again HTTP/1.1 | Host: h [req]",
  ]);
  check(http, [["in", b("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")]], [
    "in desync desync: bad Content-Length",
  ]);
  check(http, [["in", b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]], [
    "in desync desync: bad chunk size",
  ]);
});

Deno.test("http: oversized header block and body stay bounded", () => {
  const sn = createHttpSniffer({ cap: 4096 });
  const p = sn.create({ pid: 1, fd: 3 }) as Bounded;
  const msgs = p.push("out", cat(b("GET / HTTP/1.1\r\nX: "), new Uint8Array(100_000).fill(0x61)));
  assert.deepEqual(msgs.map((m) => m.text), ["desync: header block too large"]);
  assert.ok(p.buffered("out") <= 4096);
  const big = new Uint8Array(5_000_000).fill(0x62);
  const p2 = sn.create({ pid: 1, fd: 3 }) as Bounded;
  assert.deepEqual(p2.push("in", b("HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n")), []);
  for (let i = 0; i < big.length; i += 65536) {
    assert.deepEqual(
      p2.push("in", big.subarray(i, i + 65536)).length,
      i + 65536 >= big.length ? 1 : 0,
    );
    assert.ok(p2.buffered("in") <= 4096, String(p2.buffered("in")));
  }
});

Deno.test("http: maxText cuts the header text, bodyPreview the body", () => {
  const sn = createHttpSniffer({ maxText: 20, bodyPreview: 4 });
  check(sn, [["out", b("POST /a/very/long/path HTTP/1.1\r\nContent-Length: 6\r\n\r\nabcdef")]], [
    'out POST POST /a/very/long/pa... | body=6 bytes "abcd"... [req]',
  ]);
});

Deno.test("http: detect by port and first bytes", () => {
  const i = { pid: 1, fd: 3 };
  assert.equal(http.detect({ ...i, remotePort: 80 }, "out", new Uint8Array()), true);
  assert.equal(http.detect({ ...i, localPort: 8080 }, "in", new Uint8Array()), true);
  assert.equal(http.detect({ ...i, remotePort: 443 }, "out", b("GET / HTTP/1.1")), false);
  assert.equal(http.detect(i, "out", b("GET / HTTP/1.1\r\n")), true);
  assert.equal(http.detect(i, "in", b("HTTP/1.1 200 OK")), true);
  assert.equal(http.detect(i, "out", b("GE")), undefined);
  assert.equal(http.detect(i, "out", b("HTT")), undefined);
  assert.equal(http.detect(i, "out", new Uint8Array()), undefined);
  assert.equal(http.detect(i, "out", b("GETX / HTTP/1.1")), false);
  assert.equal(http.detect(i, "out", new Uint8Array([0x16, 3, 1, 0, 0xa5])), false);
});

Deno.test("http: recorded curl <-> nginx capture (gzip, chunked, keep-alive, pipelining)", () => {
  checkCapture(http, "sniff_http_nginx.json", CAPTURE_EXPECTED, "traced server side");
});

Deno.test("http: request key is the request line (the core lists slow requests by it)", () => {
  const p = http.create({ pid: 1, fd: 3 });
  const [m] = p.push("out", b("GET /wordpress/?p=1 HTTP/1.1\r\nHost: h\r\n\r\n"));
  assert.equal(m.request, "GET /wordpress/?p=1 HTTP/1.1");
});

Deno.test("http: bytes sent by sendfile count as the body, and the next request is decoded", () => {
  const p = http.create({ pid: 1, fd: 3 }) as ReturnType<typeof http.create> & {
    skip(dir: "in" | "out", n: number, note: string): { text: string }[];
  };
  const text = (ms: { text: string }[]) => ms.map((m) => m.text);
  assert.deepEqual(text(p.push("in", b("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"))), [
    "GET /a.txt HTTP/1.1 | Host: x",
  ]);
  assert.deepEqual(
    text(p.push("out", b("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"))),
    [],
  );
  assert.deepEqual(text(p.skip("out", 60000, "from file /srv/a.txt")), []);
  assert.deepEqual(text(p.skip("out", 40000, "from file /srv/a.txt")), [
    "HTTP/1.1 200 OK | Content-Length: 100000 | body=100000 bytes from file /srv/a.txt",
  ]);
  // Keep-alive: the next request and its response are still in sync.
  assert.deepEqual(text(p.push("in", b("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"))), [
    "GET /b HTTP/1.1 | Host: x",
  ]);
  const r = p.push("out", b("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"));
  assert.deepEqual(text(r), ['HTTP/1.1 404 Not Found | Content-Length: 2 | body=2 bytes "no"']);
  assert.equal((r[0] as { outcome?: string }).outcome, "404 Not Found");
  // Part of a body seen, the rest sent from a file; then bytes outside any message: resync.
  p.push("out", b("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabcd"));
  assert.deepEqual(text(p.skip("out", 6, "from file /srv/c")), [
    'HTTP/1.1 200 OK | Content-Length: 10 | body=10 bytes (6 from file /srv/c) "abcd"',
  ]);
  assert.deepEqual(text(p.skip("out", 5, "from pipe:[7]")), [
    "desync: 5 bytes from pipe:[7] outside a body",
  ]);
  assert.deepEqual(text(p.push("out", b("HTTP/1.1 204 No Content\r\n\r\n"))), [
    "HTTP/1.1 204 No Content",
  ]);
});

Deno.test("http: hostile bytes are escaped as strace escapes strings, nothing raw", () => {
  const req = cat(
    b("GET /?q="),
    [0x1b],
    b("[2J"),
    [0xff, 0xfe, 0x80],
    b(" HTTP/1.1\r\nX-Evil: a"),
    [0x07, 0xe2, 0x80, 0xae, 0xc3, 0xa9],
    b('\\"\r\n\r\n'),
  );
  const [m] = http.create({ pid: 1, fd: 3 }).push("in", req);
  assert.equal(
    m.text,
    'GET /?q=\\33[2J\\377\\376\\200 HTTP/1.1 | X-Evil: a\\7\\342\\200\\256\\303\\251\\\\"',
  );
  assert.equal(m.request, "GET /?q=\\33[2J\\377\\376\\200 HTTP/1.1");
  assert.ok(/^[\x20-\x7e]*$/.test(m.text));
});

Deno.test("http: structured fields of a request and a response", () => {
  const got = fieldsOf(http, [
    ["in", b("POST /wp-admin/x.php?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")],
    [
      "out",
      b("HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
    ],
  ]);
  assert.deepEqual(got, [
    ["POST", {
      method: "POST",
      uri: "/wp-admin/x.php?a=1",
      version: "HTTP/1.1",
      headers: [["Host", "h"], ["Content-Length", "3"]],
      body_bytes: 3,
    }],
    ["502", {
      version: "HTTP/1.1",
      status: 502,
      reason: "Bad Gateway",
      headers: [["Transfer-Encoding", "chunked"]],
      body_bytes: 2,
      chunked: true,
    }],
  ]);
});
