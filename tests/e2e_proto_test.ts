/**
 * `--proto` against the talk's WordPress stack (`bash .ci/services start`): attached to php-fpm
 * during a request, sctrace shows the FastCGI request, the MariaDB handshake, the query, its rows,
 * the failing query's error and COM_QUIT; attached to nginx, the HTTP request and its 200
 * response. Ignored, with a SKIPPED line, when the servers are not up (under CI=true: failed).
 */
import { assert, assertMatch } from "./helpers/assert.ts";
import { assertServersServe } from "./helpers/serving.ts";
import {
  childPids,
  nginxWorkers,
  probeServers,
  readPid,
  sctraceArgv,
  serversTest,
  traceToText,
} from "./helpers/servers.ts";

/** Declares a test that needs the servers: ignored (CI: failed) with a SKIPPED line when down. */
const e2e = serversTest(await probeServers());

/** The protocol lines of a trace. */
function protoLines(text: string): string[] {
  return text.split("\n").filter((l) => /\[(http|fastcgi|mysql) fd=\d+ (in|out)\]/.test(l));
}

e2e(
  "--proto on php-fpm: FastCGI request, MariaDB handshake, query, rows, error, COM_QUIT",
  async (env) => {
    const master = await readPid(env.fpm_pid_file);
    const workers = await childPids(master);
    const { text } = await traceToText(
      ["--proto", "-e", "trace=none"],
      [master, ...workers],
      env.url,
      1,
    );
    const lines = protoLines(text);
    const has = (re: RegExp, what: string) =>
      assert(lines.some((l) => re.test(l)), `${what}:\n${text}`);
    has(/\[fastcgi fd=\d+ in\] BEGIN_REQUEST id=1 role=RESPONDER/, "FastCGI BEGIN_REQUEST");
    has(
      /\[fastcgi fd=\d+ in\] PARAMS .*SCRIPT_FILENAME=\S*\/wordpress\/index\.php/,
      "SCRIPT_FILENAME",
    );
    has(/\[fastcgi fd=\d+ in\] PARAMS .*REQUEST_METHOD=GET/, "REQUEST_METHOD");
    has(/\[fastcgi fd=\d+ out\] (STDOUT|END_REQUEST)/, "FastCGI response");
    has(/\[mysql fd=\d+ in\] HANDSHAKE .*version=\S*MariaDB/, "MariaDB handshake with its version");
    has(/\[mysql fd=\d+ out\] LOGIN .*user=wp/, "login");
    has(
      /\[mysql fd=\d+ out\] COM_QUERY SELECT ID, post_title, post_content FROM wp_posts WHERE ID IN \(4\)/,
      "query",
    );
    has(/\[mysql fd=\d+ in\] RESULTSET .*Such hello, much world/, "rows");
    has(/\[mysql fd=\d+ in\] ERR 1146 \(42S02\)/, "error of the failing query");
    has(/\[mysql fd=\d+ out\] COM_QUIT/, "COM_QUIT");
    // The summary at detach: per-protocol counts and latencies.
    assertMatch(text, /\nprotocol +messages +errors +requests +p50 ms +p99 ms +max ms\n/);
    assertMatch(text, /\nmysql +\d+ +1 +\d+ /);
    // Nothing of the password scramble is printed.
    assert(!/scramble|auth_response/i.test(lines.join("\n")));
    await assertServersServe(env);
  },
);

e2e("--proto on nginx: the HTTP request and the 200 response", async (env) => {
  const workers = await nginxWorkers(env);
  const { text } = await traceToText(["--proto=http"], workers, env.url, 2);
  const lines = protoLines(text);
  assert(lines.some((l) => /\[http fd=\d+ in\] GET \/wordpress\/ HTTP\/1\.1/.test(l)), text);
  assert(lines.some((l) => /\[http fd=\d+ out\] HTTP\/1\.1 200 OK/.test(l)), text);
  // Only HTTP was asked for: FastCGI towards php-fpm is not decoded.
  assert(!lines.some((l) => l.includes("[fastcgi")), text);
  // The syscall lines are still there around the protocol lines.
  assertMatch(text, /recvfrom\(\d+, "GET \/wordpress\/ HTTP\/1\.1\\r\\n/);
  await assertServersServe(env);
});

e2e(
  "--proto -yy: every message names its connection, as the syscall lines name the fd",
  async (env) => {
    const dir = await Deno.makeTempDir();
    const out = await new Deno.Command(sctraceArgv()[0], {
      args: [
        ...sctraceArgv().slice(1),
        "-yy",
        "--proto",
        "-e",
        "trace=sendto,recvfrom,write,read",
        "-o",
        `${dir}/c`,
        "curl",
        "-sS",
        "-o",
        "/dev/null",
        env.url,
      ],
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    const text = await Deno.readTextFile(`${dir}/c`);
    const ends = `TCP:\\[127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${env.port}\\]`;
    const req = new RegExp(
      `^\\[http fd=(\\d+<${ends}>) out\\] GET ${new URL(env.url).pathname} `,
      "m",
    )
      .exec(text);
    assert(req, text);
    // The same text as the syscall that wrote the request.
    assert(text.includes(`(${req[1]}, "GET `), text);
    assertMatch(
      text,
      new RegExp(`^\\[http fd=${req[1].replace(/[[\]]/g, "\\$&")} in\\] HTTP/1\\.1 200 OK`, "m"),
    );
    // A unix socket's client end is named with the server's path.
    const a = await Deno.readTextFile(new URL("./e2e/init.sql", import.meta.url));
    const [, user, password] = /'([^']+)'@'localhost' IDENTIFIED BY '([^']+)'/.exec(a)!;
    const m = await new Deno.Command(sctraceArgv()[0], {
      args: [
        ...sctraceArgv().slice(1),
        "-yy",
        "--proto=mysql",
        "-e",
        "trace=none",
        "-o",
        `${dir}/m`,
        "mariadb",
        "--no-defaults",
        "-S",
        env.mysql_socket,
        `-u${user}`,
        `-p${password}`,
        "wordpress",
        "-e",
        "SELECT 1",
      ],
    }).output();
    assert(m.success, new TextDecoder().decode(m.stderr));
    const mt = await Deno.readTextFile(`${dir}/m`);
    const sock = env.mysql_socket.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    assertMatch(
      mt,
      new RegExp(
        `^\\[mysql fd=\\d+<UNIX-STREAM:\\[\\d+->\\d+,"${sock}"\\]> out\\] COM_QUERY SELECT 1$`,
        "m",
      ),
    );
    await Deno.remove(dir, { recursive: true });
    await assertServersServe(env);
  },
);
