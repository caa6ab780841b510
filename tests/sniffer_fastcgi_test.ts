/**
 * Tests of the FastCGI sniffer: hand-built record streams (each also split byte by byte, coalesced
 * and split at random, with the same messages expected) and a capture recorded between nginx
 * 1.22.1 and php-fpm 8.2 (Debian 12) through a loopback proxy
 * (testdata/sniff_fastcgi_nginx_fpm.json).
 */
import assert from "node:assert/strict";
import { createFastCgiSniffer, fastcgiSniffer } from "../decoders/sniffers/fastcgi.ts";
import { b, type Bounded, cat, check, checkCapture, fieldsOf } from "./helpers/sniff.ts";

const CAPTURE_EXPECTED: string[][] = [
  [
    "out BEGIN_REQUEST BEGIN_REQUEST id=1 role=RESPONDER flags=KEEP_CONN",
    'out PARAMS PARAMS id=1 QUERY_STRING="" REQUEST_METHOD=GET CONTENT_TYPE="" CONTENT_LENGTH="" SCRIPT_NAME=/index.php REQUEST_URI=/index.php DOCUMENT_URI=/index.php DOCUMENT_ROOT=/tmp/sniffcap/www SERVER_PROTOCOL=HTTP/1.1 REQUEST_SCHEME=http GATEWAY_INTERFACE=CGI/1.1 SERVER_SOFTWARE=nginx/1.22.1 REMOTE_ADDR=127.0.0.1 REMOTE_PORT=45882 REMOTE_USER="" SERVER_ADDR=127.0.0.1 SERVER_PORT=8081 SERVER_NAME="" REDIRECT_STATUS=200 HTTP_HOST=127.0.0.1 SCRIPT_FILENAME=/tmp/sniffcap/www/index.php HTTP_USER_AGENT=curl/7.88.1 HTTP_ACCEPT=*/* HTTP_ACCEPT_ENCODING="deflate, gzip, br, zstd" [req]',
    "out STDIN STDIN id=1 len=0",
    'in STDOUT STDOUT id=1 len=4131 | Content-Type: text/html; charset=UTF-8 | body=4089 bytes "<!DOCTYPE html>\\n<p>Hello world!</p>\\n<p>Sample Page</p>\\n<p>Privac"...',
    'in STDERR STDERR id=1 "PHP message: something odd happened"',
    "in END_REQUEST END_REQUEST id=1 app_status=0 protocol_status=REQUEST_COMPLETE [resp]",
  ],
  [
    "out BEGIN_REQUEST BEGIN_REQUEST id=1 role=RESPONDER flags=KEEP_CONN",
    'out PARAMS PARAMS id=1 QUERY_STRING=x=1 REQUEST_METHOD=POST CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=7 SCRIPT_NAME=/index.php REQUEST_URI=/index.php?x=1 DOCUMENT_URI=/index.php DOCUMENT_ROOT=/tmp/sniffcap/www SERVER_PROTOCOL=HTTP/1.1 REQUEST_SCHEME=http GATEWAY_INTERFACE=CGI/1.1 SERVER_SOFTWARE=nginx/1.22.1 REMOTE_ADDR=127.0.0.1 REMOTE_PORT=45894 REMOTE_USER="" SERVER_ADDR=127.0.0.1 SERVER_PORT=8081 SERVER_NAME="" REDIRECT_STATUS=200 HTTP_HOST=127.0.0.1 SCRIPT_FILENAME=/tmp/sniffcap/www/index.php HTTP_USER_AGENT=curl/7.88.1 HTTP_ACCEPT=*/* HTTP_CONTENT_LENGTH=7 HTTP_CONTENT_TYPE=application/x-www-form-urlencoded [req]',
    'out STDIN STDIN id=1 len=7 "a=1&b=2"',
    'in STDOUT STDOUT id=1 len=4131 | Content-Type: text/html; charset=UTF-8 | body=4089 bytes "<!DOCTYPE html>\\n<p>Hello world!</p>\\n<p>Sample Page</p>\\n<p>Privac"...',
    'in STDERR STDERR id=1 "PHP message: something odd happened"',
    "in END_REQUEST END_REQUEST id=1 app_status=0 protocol_status=REQUEST_COMPLETE [resp]",
  ],
];

const fcgi = fastcgiSniffer;

/** A FastCGI record. */
function rec(type: number, id: number, content: Uint8Array | number[], pad = 0): Uint8Array {
  const n = content.length;
  return cat(
    [1, type, id >> 8, id & 255, n >> 8, n & 255, pad, 0],
    content,
    new Array(pad).fill(0),
  );
}

/** FastCGI name-value pairs. */
function pairs(list: [string, string][]): Uint8Array {
  const len = (n: number): number[] =>
    n < 128 ? [n] : [0x80 | (n >>> 24), (n >> 16) & 255, (n >> 8) & 255, n & 255];
  return cat(...list.map(([k, v]) => cat(len(b(k).length), len(b(v).length), b(k), b(v))));
}

Deno.test("fastcgi: a whole request and response, streams split over records", () => {
  const params = pairs([
    ["SCRIPT_FILENAME", "/var/www/html/index.php"],
    ["REQUEST_METHOD", "POST"],
    ["QUERY_STRING", ""],
    ["HTTP_USER_AGENT", 'Mozilla/5.0 "x"\n'],
    ["LONG", "v".repeat(200)],
  ]);
  const out = b(
    "Status: 404 Not Found\r\nContent-type: text/html; charset=UTF-8\r\n\r\n<h1>Not found</h1>",
  );
  check(fcgi, [
    ["out", rec(1, 1, [0, 1, 1, 0, 0, 0, 0, 0])],
    [
      "out",
      cat(rec(4, 1, params.subarray(0, 30), 3), rec(4, 1, params.subarray(30)), rec(4, 1, [])),
    ],
    ["out", cat(rec(5, 1, b("a=1&b=2"), 1), rec(5, 1, []))],
    ["in", rec(6, 1, out.subarray(0, 20), 4)],
    [
      "in",
      rec(7, 1, b("PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3")),
    ],
    ["in", cat(rec(6, 1, out.subarray(20)), rec(6, 1, []), rec(7, 1, []))],
    ["in", rec(3, 1, [0, 0, 0, 0, 0, 0, 0, 0])],
  ], [
    "out BEGIN_REQUEST BEGIN_REQUEST id=1 role=RESPONDER flags=KEEP_CONN",
    "out PARAMS PARAMS id=1 SCRIPT_FILENAME=/var/www/html/index.php REQUEST_METHOD=POST " +
    'QUERY_STRING="" HTTP_USER_AGENT="Mozilla/5.0 \\"x\\"\\n" LONG=' + "v".repeat(200) + " [req]",
    'out STDIN STDIN id=1 len=7 "a=1&b=2"',
    "in STDOUT STDOUT id=1 len=83 | Status: 404 Not Found | Content-type: text/html; charset=UTF-8" +
    ' | body=18 bytes "<h1>Not found</h1>"',
    "in STDERR STDERR id=1 " +
    '"PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3"',
    "in END_REQUEST END_REQUEST id=1 app_status=0 protocol_status=REQUEST_COMPLETE [resp]",
  ]);
});

Deno.test("fastcgi: open streams are reported at END_REQUEST; management records", () => {
  check(fcgi, [
    ["out", rec(9, 0, pairs([["FCGI_MAX_CONNS", ""], ["FCGI_MPXS_CONNS", ""]]))],
    ["in", rec(10, 0, pairs([["FCGI_MAX_CONNS", "10"], ["FCGI_MPXS_CONNS", "0"]]))],
    ["out", rec(1, 7, [0, 2, 0, 0, 0, 0, 0, 0])],
    ["out", cat(rec(4, 7, []), rec(2, 7, []))],
    ["in", rec(6, 7, b("no headers here"))],
    ["in", rec(3, 7, [0, 0, 0, 255, 2, 0, 0, 0])],
    ["in", rec(11, 0, [42, 0, 0, 0, 0, 0, 0, 0])],
  ], [
    "out GET_VALUES GET_VALUES FCGI_MAX_CONNS FCGI_MPXS_CONNS",
    "in GET_VALUES_RESULT GET_VALUES_RESULT FCGI_MAX_CONNS=10 FCGI_MPXS_CONNS=0",
    "out BEGIN_REQUEST BEGIN_REQUEST id=7 role=AUTHORIZER flags=0",
    "out ABORT_REQUEST ABORT_REQUEST id=7",
    'in STDOUT STDOUT id=7 len=15 "no headers here"',
    "in END_REQUEST END_REQUEST id=7 app_status=255 protocol_status=OVERLOADED [resp] [err]",
    "in UNKNOWN_TYPE UNKNOWN_TYPE type=42",
  ]);
});

Deno.test("fastcgi: garbage gives one desync, then resync on the next record", () => {
  check(fcgi, [
    ["out", b("GET / HTTP/1.1\r\nHost: not fastcgi\r\n\r\n")],
    ["out", rec(1, 2, [0, 1, 0, 0, 0, 0, 0, 0])],
  ], [
    "out desync desync: bad record header",
    "out BEGIN_REQUEST BEGIN_REQUEST id=2 role=RESPONDER flags=0",
  ]);
});

Deno.test("fastcgi: memory stays bounded with a small cap and many streams", () => {
  const sn = createFastCgiSniffer({ cap: 4096 });
  const p = sn.create({ pid: 1, fd: 3 }) as Bounded;
  for (let id = 0; id < 200; id++) {
    // Records that fit the queue, each opening a stream that is never ended.
    p.push("in", rec(6, id, new Uint8Array(2000).fill(0x61)));
    // Queue and kept stream data together stay within the cap of the direction.
    assert.ok(p.buffered("in") <= 4096, String(p.buffered("in")));
  }
  assert.ok(p.buffered("in") >= 1024, `the streams keep data: ${p.buffered("in")}`);
  const p2 = sn.create({ pid: 1, fd: 3 }) as Bounded;
  const junk = new Uint8Array(1 << 20).fill(1);
  // Version 1, type 1, reserved 1: never a header.
  assert.deepEqual(p2.push("out", junk).map((m) => m.text), ["desync: bad record header"]);
  assert.ok(p2.buffered("out") <= 4096);
});

Deno.test("fastcgi: detect by port, socket path and first bytes", () => {
  const i = { pid: 1, fd: 3 };
  assert.equal(fcgi.detect({ ...i, remotePort: 9000 }, "out", new Uint8Array()), true);
  assert.equal(fcgi.detect({ ...i, unixPath: "/run/php/php8.2-fpm.sock" }, "in", b("")), true);
  assert.equal(fcgi.detect(i, "out", rec(1, 1, [0, 1, 1, 0, 0, 0, 0, 0])), true);
  assert.equal(fcgi.detect(i, "out", rec(9, 0, [])), true);
  assert.equal(fcgi.detect(i, "out", new Uint8Array([1, 1, 0])), undefined);
  assert.equal(fcgi.detect(i, "out", new Uint8Array([1])), undefined);
  assert.equal(fcgi.detect(i, "out", new Uint8Array([1, 12])), false);
  assert.equal(fcgi.detect(i, "out", b("GET / HTTP/1.1")), false);
  assert.equal(fcgi.detect(i, "out", new Uint8Array()), undefined);
});

Deno.test("fastcgi: recorded nginx <-> php-fpm capture", () => {
  checkCapture(fcgi, "sniff_fastcgi_nginx_fpm.json", CAPTURE_EXPECTED, "traced php-fpm side");
});

Deno.test("fastcgi: the request is named by its method and URI, the response by its status", () => {
  const p = fcgi.create({ pid: 1, fd: 3 });
  const [m] = p.push("out", rec(1, 3, [0, 1, 0, 0, 0, 0, 0, 0]));
  assert.equal(m.request, undefined);
  const ps = pairs([["REQUEST_METHOD", "GET"], ["REQUEST_URI", "/wp-admin/\x1b[2J"]]);
  const [m2] = p.push("out", cat(rec(4, 3, ps), rec(4, 3, [])));
  assert.equal(m2.request, "GET /wp-admin/\\33[2J");
  p.push("in", cat(rec(6, 3, b("Status: 404 Not Found\r\n\r\nx")), rec(6, 3, [])));
  const [m3] = p.push("in", rec(3, 3, [0, 0, 0, 0, 0, 0, 0, 0]));
  assert.equal(m3.outcome, "404 Not Found");
  const [m4] = p.push("in", rec(3, 4, [0, 0, 0, 1, 0, 0, 0, 0]));
  assert.equal(m4.outcome, "no STDOUT app_status=1");
});

// For `deno task mutate` (fcgi-request-id, fcgi-pair-long-length): a request id above 255 (both
// bytes count) and a name-value pair whose value is exactly 128 bytes (a four-byte length).
Deno.test("fastcgi: request ids above 255; a 128-byte value takes a four-byte length", () => {
  check(fcgi, [
    ["out", rec(1, 0x1234, [0, 1, 0, 0, 0, 0, 0, 0])],
    ["out", cat(rec(4, 0x1234, pairs([["V", "w".repeat(128)], ["K", "x"]])), rec(4, 0x1234, []))],
    ["out", rec(2, 0x0134, [])],
  ], [
    "out BEGIN_REQUEST BEGIN_REQUEST id=4660 role=RESPONDER flags=0",
    "out PARAMS PARAMS id=4660 V=" + "w".repeat(128) + " K=x [req]",
    "out ABORT_REQUEST ABORT_REQUEST id=308",
  ]);
});

Deno.test("fastcgi: structured fields: request id, role, params, CGI status, app status", () => {
  const got = fieldsOf(fcgi, [
    ["in", rec(1, 7, [0, 1, 1, 0, 0, 0, 0, 0])],
    ["in", rec(4, 7, pairs([["REQUEST_METHOD", "GET"], ["REQUEST_URI", "/a?b"]]))],
    ["in", rec(4, 7, [])],
    ["out", rec(6, 7, b("Status: 404 Not Found\r\n\r\nx"))],
    ["out", rec(3, 7, [0, 0, 0, 0, 0, 0, 0, 0])],
  ]);
  assert.deepEqual(got, [
    ["BEGIN_REQUEST", { type: "BEGIN_REQUEST", request_id: 7, role: "RESPONDER", keep_conn: true }],
    ["PARAMS", {
      type: "PARAMS",
      request_id: 7,
      params: { REQUEST_METHOD: "GET", REQUEST_URI: "/a?b" },
      method: "GET",
      uri: "/a?b",
      bytes: 36,
    }],
    ["STDOUT", { type: "STDOUT", request_id: 7, bytes: 26, status: 404 }],
    ["END_REQUEST", {
      type: "END_REQUEST",
      request_id: 7,
      app_status: 0,
      protocol_status: "REQUEST_COMPLETE",
      status: 404,
    }],
  ]);
});
