/**
 * The README's `--json` jq recipes, run as written (taken from README.md) with the real `jq` on
 * real traces: the json_mix fixture (top syscalls by time, failing openat paths), `mariadb` under
 * `--proto` against the e2e MariaDB (slow SQL), `curl` against a local server that answers 503
 * (HTTP 5xx). The `--proto` traces (and one of `curl` to the e2e nginx, and of php-fpm serving a
 * page) also validate against the schema. Server tests are ignored with a SKIPPED line when the
 * e2e servers are down (CI: failed).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { fixture, ROOT, sctrace } from "./helpers/diff.ts";
import { validateLines } from "./helpers/schema.ts";
import { childPids, probeServers, readPid, serversTest, traceToText } from "./helpers/servers.ts";

const e2e = serversTest(await probeServers());

/** The recipes of README.md, by name (`<!-- recipe: NAME -->` then a sh block). */
function recipes(): Map<string, string> {
  const text = Deno.readTextFileSync(`${ROOT}README.md`);
  const out = new Map<string, string>();
  const re = /<!-- recipe: ([\w-]+) -->\s*```sh\n([\s\S]*?)```/g;
  for (const m of text.matchAll(re)) {
    const cmd = m[2].split("\n").filter((l) => !l.startsWith("#")).join("\n").trim();
    out.set(m[1], cmd);
  }
  return out;
}

/** Runs recipe `name` with `sh` in a directory holding `trace.jsonl` = `trace`. */
async function recipe(name: string, trace: string): Promise<string> {
  const cmd = recipes().get(name);
  assert(cmd, `README has recipe ${name}`);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/trace.jsonl`, trace);
  const r = await new Deno.Command("sh", { args: ["-c", cmd], cwd: dir }).output();
  await Deno.remove(dir, { recursive: true });
  const err = new TextDecoder().decode(r.stderr);
  assertEquals(r.code, 0, `jq recipe ${name} failed: ${err}`);
  return new TextDecoder().decode(r.stdout);
}

/** A `--json -o FILE` trace of `args`, validated; its text. */
async function traceJson(args: string[]): Promise<string> {
  const out = await Deno.makeTempFile();
  const r = await sctrace(["--json", "-o", out, ...args]);
  const text = await Deno.readTextFile(out);
  await Deno.remove(out);
  assert(r.code === 0, `sctrace ${args.join(" ")}: ${r.stderr}`);
  await validateLines(text);
  return text;
}

Deno.test("README recipes: four, each in a sh block", () => {
  assertEquals([...recipes().keys()].sort(), [
    "failed-openat",
    "http-5xx",
    "slow-sql",
    "top-time",
  ]);
});

Deno.test("jq recipe: top 10 syscalls by total time", async () => {
  const trace = await traceJson(["-f", await fixture("json_mix")]);
  const top = JSON.parse(await recipe("top-time", trace)) as {
    syscall: string;
    calls: number;
    seconds: number;
  }[];
  // The same, computed here from the events.
  const sums = new Map<string, { calls: number; seconds: number }>();
  for (const l of trace.trim().split("\n")) {
    const e = JSON.parse(l);
    if (e.type !== "syscall") continue;
    const s = sums.get(e.syscall) ?? { calls: 0, seconds: 0 };
    s.calls++;
    s.seconds += e.duration;
    sums.set(e.syscall, s);
  }
  assertEquals(top.length, Math.min(10, sums.size));
  for (let i = 0; i < top.length; i++) {
    if (i) assert(top[i - 1].seconds >= top[i].seconds, "sorted");
    const s = sums.get(top[i].syscall)!;
    assertEquals(top[i].calls, s.calls);
    assert(Math.abs(top[i].seconds - s.seconds) < 1e-9, top[i].syscall);
  }
  const rest = [...sums.entries()].filter(([n]) => !top.some((t) => t.syscall === n));
  for (const [, s] of rest) assert(s.seconds <= top[top.length - 1].seconds, "the top ten");
});

Deno.test("jq recipe: every failing openat path", async () => {
  const trace = await traceJson([await fixture("json_mix")]);
  const lines = (await recipe("failed-openat", trace)).trim().split("\n");
  const events = trace.trim().split("\n").map((l) => JSON.parse(l));
  const failed = events.filter((e) => e.syscall === "openat" && e.error);
  assertEquals(lines.length, failed.length);
  // openat's decoder is typed: the path is the argument itself.
  assertEquals(lines.slice(-2), [
    "/nonexistent/json-mix ENOENT",
    "/nonexistent/json-mix-2 ENOENT",
  ]);
});

e2e("jq recipe: every SQL query slower than 10 ms (mariadb under --proto)", async (env) => {
  const trace = await traceJson([
    "--proto",
    "-e",
    "trace=none",
    "mariadb",
    `--defaults-file=${env.run_dir}/my.cnf`,
    "-uroot",
    "wordpress",
    "-e",
    "SELECT SLEEP(0.02); SELECT 1",
  ]);
  const events = trace.trim().split("\n").map((l) => JSON.parse(l));
  assert(events.some((e) => e.type === "proto" && e.proto === "mysql"), trace);
  const out = (await recipe("slow-sql", trace)).trim().split("\n");
  assertEquals(out.length, 1, out.join("\n"));
  assertMatch(out[0], /^\d+ ms SELECT SLEEP\(0\.02\)$/);
  assert(Number(out[0].split(" ")[0]) >= 20, out[0]);
});

Deno.test("jq recipe: every HTTP 5xx (curl against a server answering 503)", async () => {
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    (req) =>
      new URL(req.url).pathname === "/broken"
        ? new Response("down\n", { status: 503 })
        : new Response("ok\n"),
  );
  try {
    const port = server.addr.port;
    const out = await Deno.makeTempFile();
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        `${ROOT}main.ts`,
        "--json",
        "-f",
        "--proto=http",
        "-e",
        "trace=none",
        "-o",
        out,
        "sh",
        "-c",
        `curl -s http://127.0.0.1:${port}/fine >/dev/null; curl -s http://127.0.0.1:${port}/broken >/dev/null`,
      ],
      env: { PATH: "/usr/bin:/bin" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const trace = await Deno.readTextFile(out);
    await Deno.remove(out);
    await validateLines(trace);
    const lines = (await recipe("http-5xx", trace)).trim().split("\n");
    assertEquals(lines.length, 1, trace);
    assertEquals(lines[0], `503 Service Unavailable 127.0.0.1:${port}`);
  } finally {
    ac.abort();
    await server.finished;
  }
});

e2e("--json --proto: curl to nginx and php-fpm serving a page validate", async (env) => {
  const curl = await traceJson([
    "--proto",
    "-e",
    "trace=none",
    "curl",
    "-s",
    "-o",
    "/dev/null",
    env.url,
  ]);
  const ev = curl.trim().split("\n").map((l) => JSON.parse(l));
  assert(ev.some((e) => e.type === "proto" && e.proto === "http" && e.kind === "200"), curl);
  const master = await readPid(env.fpm_pid_file);
  const workers = await childPids(master);
  const { text } = await traceToText(
    ["--json", "--proto", "-e", "trace=none"],
    [master, ...workers],
    env.url,
    1,
  );
  const events = await validateLines(text);
  const protos = new Set(events.filter((e) => e.type === "proto").map((e) => e.proto));
  assert(protos.has("fastcgi") && protos.has("mysql"), `${[...protos]}:\n${text}`);
});
