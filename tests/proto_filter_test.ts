/**
 * `--proto-filter`: the expression language over protocol messages (core/decode/proto_filter.ts).
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import {
  compileFilter,
  filterError,
  type FilterMessage,
  messageSubject,
} from "../core/decode/proto_filter.ts";

const resp500: FilterMessage = {
  proto: "http",
  kind: "500",
  dir: "out",
  fd: 7,
  text: "[http fd=7 out] HTTP/1.1 500 Internal Server Error",
  fields: { status: 500, reason: "Internal Server Error", version: "HTTP/1.1" },
  role: "server",
  local: "127.0.0.1:80",
  peer: "127.0.0.1:41234",
  latency: 0.25,
  error: true,
};
const get: FilterMessage = {
  proto: "http",
  kind: "GET",
  dir: "in",
  fd: 7,
  text: "[http fd=7 in] GET /wp-admin/x HTTP/1.1",
  fields: { method: "GET", uri: "/wp-admin/x", headers: [["Host", "a"]] },
  role: "server",
};
const mysqlErr: FilterMessage = {
  proto: "mysql",
  kind: "ERR",
  dir: "in",
  fd: 5,
  text: "[mysql fd=5 in] ERR 1146 (42S02) Table 'x' doesn't exist",
  fields: { type: "ERR", error_code: 1146, sqlstate: "42S02", message: "Table 'x' doesn't exist" },
  latency: 0.002,
  error: true,
};
const query: FilterMessage = {
  proto: "mysql",
  kind: "COM_QUERY",
  dir: "out",
  fd: 5,
  text: "[mysql fd=5 out] COM_QUERY SELECT 1",
  fields: { command: "COM_QUERY", query: "SELECT 1" },
};

function pass(expr: string, m: FilterMessage): boolean {
  return compileFilter(expr)(messageSubject([m]));
}

Deno.test("proto-filter: comparisons, regexes, durations and protocol names", () => {
  assert(pass("http.status>=500", resp500));
  assert(!pass("http.status>=500", get));
  assert(!pass("http.status<500", get)); // a missing field fails every test
  assert(pass("http.uri~^/wp-admin", get));
  assert(!pass("http.uri!~^/wp-admin", get));
  assert(pass("mysql.error", mysqlErr));
  assert(!pass("mysql.error", query));
  assert(!pass("mysql.error", resp500)); // another protocol's error
  assert(pass('mysql.error_code=1146 and mysql.sqlstate="42S02"', mysqlErr));
  assert(pass("duration>100ms", resp500));
  assert(!pass("duration>100ms", mysqlErr));
  assert(pass("duration<=2ms", mysqlErr));
  assert(pass("latency>0.2", resp500));
  assert(pass("mysql and not mysql.error", query));
  assert(pass("http.method==GET or mysql", query));
  assert(pass("(http.status>=500 || mysql.error) && role=server", resp500));
  assert(!pass("!http", get));
  assert(pass("mysql.query~'^SELECT 1$'", query));
  assert(pass("proto=mysql and dir=out and fd=5 and kind=COM_QUERY", query));
  assert(pass("peer~41234", resp500));
  assert(pass("error", resp500) && !pass("error", get));
  assert(pass("http.headers~Host", get)); // arrays: any element
});

Deno.test("proto-filter: a request passes when any of its messages does", () => {
  const f = compileFilter("mysql.error and duration>1s");
  assert(f(messageSubject([get, query, mysqlErr, resp500], 1.5)));
  assert(!f(messageSubject([get, query, resp500], 1.5)));
  assert(!f(messageSubject([get, query, mysqlErr, resp500], 0.5)));
});

Deno.test("proto-filter: bad expressions are one-line errors", () => {
  assertEquals(filterError("http.status>=500"), undefined);
  assertEquals(
    filterError("http.status>=500 and"),
    "invalid --proto-filter 'http.status>=500 and': unexpected end of expression at offset 20",
  );
  assertEquals(
    filterError("(mysql.error"),
    "invalid --proto-filter '(mysql.error': expected ')' at offset 12",
  );
  assertEquals(
    filterError("http.uri~("),
    "invalid --proto-filter 'http.uri~(': bad regular expression '(' at offset 10",
  );
  assertEquals(
    filterError("duration>5parsecs"),
    "invalid --proto-filter 'duration>5parsecs': bad number '5parsecs' at offset 17",
  );
  assertEquals(filterError(""), "invalid --proto-filter '': empty expression");
  assertEquals(
    filterError("http.status 500"),
    "invalid --proto-filter 'http.status 500': unexpected '500' at offset 12",
  );
  assertEquals(
    filterError("'open"),
    "invalid --proto-filter ''open': unterminated string at offset 0",
  );
  // Never a control character in the message.
  assert(!/[^ -~]/.test(filterError("a\x1b[31m ==")!));
});
