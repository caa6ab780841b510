/**
 * MySQL over TLS (`--proto`, core/trace/tls): a private MariaDB with a self-signed certificate
 * (its own temp dir, port and socket, started and stopped here, never the shared e2e server), and
 * the `mariadb --ssl` client traced: after the raw stream's HANDSHAKE and SSL_REQUEST, the TLS
 * plaintext continues the session (login, its OK, queries, results, an error, COM_QUIT), in text
 * and in `--json` (the plaintext messages marked `tls`).
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { sctrace } from "./helpers/diff.ts";
import { validateLines } from "./helpers/schema.ts";
import { sleep } from "./helpers/servers.ts";
import { freePort } from "./helpers/own_nginx.ts";
import { run, selfSignedCert } from "./helpers/tls_nginx.ts";

/** Whether the tools are installed. */
function haveTools(): boolean {
  try {
    for (const p of ["/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/openssl"]) {
      Deno.statSync(p);
    }
    return true;
  } catch {
    return false;
  }
}

const ok = haveTools();
if (!ok) console.log("SKIPPED e2e_mysql_tls_test: mariadbd, mariadb-install-db or openssl missing");

/** Runs a command; throws with its output when it fails. */

interface TlsDb {
  port: number;
  stop(): Promise<void>;
}

/** A MariaDB with TLS on a free loopback port, user `t`/`tpw`. */
async function startTlsDb(): Promise<TlsDb> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-mysql-tls-" });
  const port = freePort();
  await selfSignedCert(dir, "localhost");
  const cnf = `${dir}/my.cnf`;
  await Deno.writeTextFile(
    cnf,
    `[mariadbd]
user = mysql
datadir = ${dir}/data
socket = ${dir}/mysqld.sock
port = ${port}
bind-address = 127.0.0.1
pid-file = ${dir}/mariadbd.pid
log-error = ${dir}/mariadbd.err
skip-name-resolve
innodb_buffer_pool_size = 16M
innodb_log_file_size = 16M
performance_schema = OFF
ssl-cert = ${dir}/cert.pem
ssl-key = ${dir}/key.pem
[client]
socket = ${dir}/mysqld.sock
port = ${port}
`,
  );
  await Deno.chmod(dir, 0o755);
  await run("chown", ["-R", "mysql:mysql", dir]);
  await run("mariadb-install-db", [
    `--defaults-file=${cnf}`,
    "--auth-root-authentication-method=socket",
    "--skip-test-db",
  ]);
  const child = new Deno.Command("/usr/sbin/mariadbd", {
    args: [`--defaults-file=${cnf}`],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // gone already
    }
    await child.status;
    await Deno.remove(dir, { recursive: true });
  };
  try {
    let up = false;
    for (let i = 0; i < 300 && !up; i++) {
      try {
        await run("mariadb-admin", [`--defaults-file=${cnf}`, "-uroot", "ping"]);
        up = true;
      } catch {
        await sleep(100);
      }
    }
    if (!up) {
      throw new Error(`mariadbd did not start: ${await Deno.readTextFile(`${dir}/mariadbd.err`)}`);
    }
    await run("mariadb", [
      `--defaults-file=${cnf}`,
      "-uroot",
      "-e",
      "CREATE USER 't'@'127.0.0.1' IDENTIFIED BY 'tpw'; GRANT ALL ON *.* TO 't'@'127.0.0.1'",
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, stop };
}

Deno.test({
  name:
    "--proto: mariadb --ssl: the TLS plaintext goes on with the MySQL session after SSL_REQUEST",
  ignore: !ok,
  async fn() {
    const db = await startTlsDb();
    try {
      const client = [
        "mariadb",
        "-h127.0.0.1",
        `-P${db.port}`,
        "-ut",
        "-ptpw",
        "--ssl",
        "--skip-ssl-verify-server-cert",
        "-e",
        "SELECT 41+1; SELECT * FROM nosuch.t",
      ];
      const r = await sctrace(["--proto=mysql", "-e", "trace=none", ...client]);
      assertEquals(r.code, 1, r.stderr);
      const lines = r.stderr.split("\n").filter((l) => l.startsWith("[mysql "))
        .map((l) => l.replace(/ \((client )?127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+\)$/, ""));
      assertEquals(lines.map((l) => l.replace(/ (thread|version|attrs)=\S+/g, "")), [
        "[mysql fd=3 in] HANDSHAKE auth=mysql_native_password",
        "[mysql fd=3 out] SSL_REQUEST (the rest is TLS)",
        "[mysql fd=3 out tls] LOGIN user=t auth=mysql_native_password",
        "[mysql fd=3 in tls] OK affected_rows=0 insert_id=0",
        "[mysql fd=3 out tls] COM_QUERY SELECT 41+1",
        "[mysql fd=3 in tls] RESULTSET columns=41+1 rows=1 first=[(42)]",
        "[mysql fd=3 out tls] COM_QUERY SELECT * FROM nosuch.t",
        "[mysql fd=3 in tls] ERR 1146 (42S02) Table 'nosuch.t' doesn't exist",
        "[mysql fd=3 out tls] COM_QUIT",
      ]);
      // JSON: the same messages, the plaintext ones marked tls, latencies on the answers.
      const j = await sctrace(["--json", "--proto=mysql", "-e", "trace=none", ...client]);
      const evs = (await validateLines(
        j.stderr.split("\n").filter((l) => l.startsWith("{")).join("\n"),
      )).filter((e) => e.type === "proto");
      assertEquals(evs.map((e) => `${e.kind}${e.tls ? " tls" : ""}`), [
        "HANDSHAKE",
        "SSL_REQUEST",
        "LOGIN tls",
        "OK tls",
        "COM_QUERY tls",
        "RESULTSET tls",
        "COM_QUERY tls",
        "ERR tls",
        "COM_QUIT tls",
      ]);
      assert(evs.filter((e) => typeof e.latency === "number").length === 3, "three answers");
    } finally {
      await db.stop();
    }
  },
});
