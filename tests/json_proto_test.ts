/**
 * `--json --proto`: the protocol summary (the text's table at the end, with `-c`/`-C` or `-p`) is
 * one `proto_summary` object that validates against schema/events.schema.json, with counts,
 * latencies and the slowest requests of a real MariaDB session (`bash .ci/services start`).
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { sctrace } from "./helpers/diff.ts";
import { validateLines } from "./helpers/schema.ts";
import { probeServers, serversTest } from "./helpers/servers.ts";

const e2e = serversTest(await probeServers());

type Ev = Record<string, unknown>;

e2e("--json -C --proto: the events, the summary, then one proto_summary object", async (env) => {
  const r = await sctrace([
    "--json",
    "-C",
    "--proto=mysql",
    "-e",
    "trace=none",
    "mysql",
    "-S",
    env.mysql_socket,
    "-uwp",
    "-pwp-e2e-password",
    "wordpress",
    "-e",
    "SELECT 41+1; SELECT * FROM no_such_table_json",
  ]);
  assertEquals(r.code, 1, r.stderr.slice(-2000));
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("{")).join("\n");
  const events = await validateLines(lines);
  const last = events[events.length - 1];
  assertEquals(last.type, "proto_summary");
  assertEquals(events.filter((e) => e.type === "proto_summary").length, 1);
  assertEquals(events[events.length - 2].type, "summary");
  const rows = last.protocols as Ev[];
  assertEquals(rows.map((p) => p.proto), ["mysql"]);
  const my = rows[0];
  const msgs = events.filter((e) => e.type === "proto" && e.proto === "mysql");
  assertEquals(my.messages, msgs.length);
  assertEquals(my.errors, msgs.filter((e) => e.error === true).length);
  assert((my.errors as number) >= 1, "the failing query");
  // The login and the queries (the client's own `select @@version_comment` too) were answered.
  assert((my.requests as number) >= 3, `requests: ${my.requests}`);
  assert((my.p50 as number) <= (my.p99 as number) && (my.p99 as number) <= (my.max as number));
  const slow = my.slowest as Ev[];
  assert(slow.length >= 1 && slow.length <= 3, "slowest");
  assertEquals(slow[0].latency, my.max);
  assert(
    slow.some((s) => /SELECT (41\+1|\* FROM no_such_table_json)/.test(s.text as string)),
    JSON.stringify(slow),
  );
});

e2e("--json --proto without -c: no proto_summary (as the text prints no table)", async (env) => {
  const r = await sctrace([
    "--json",
    "--proto=mysql",
    "-e",
    "trace=none",
    "mysql",
    "-S",
    env.mysql_socket,
    "-uwp",
    "-pwp-e2e-password",
    "-e",
    "SELECT 1",
  ]);
  assertEquals(r.code, 0, r.stderr.slice(-2000));
  const events = await validateLines(r.stderr);
  assert(events.some((e) => e.type === "proto"), "messages");
  assert(!events.some((e) => e.type === "proto_summary"), "no summary");
});
