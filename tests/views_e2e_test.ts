/**
 * The views on real traces: `--timeline`/`--report`/`--live` while tracing a multi-process
 * program, a `-p` trace stopped with SIGINT, and the nginx → php-fpm → MariaDB stack.
 *
 * These need the views' sinks on the event bus (core/output/views.ts `createViewSinks`, added to
 * the bus in core/cli/main.ts). Until the tracer emits events there, every test here is ignored
 * with a `SKIPPED:` line ({@linkcode wired} probes it with a real trace).
 */

import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { sctrace } from "./helpers/diff.ts";
import { checkTimeline, haveChromium, openInChromium } from "./helpers/views.ts";
import {
  attachSctrace,
  childPids,
  curl,
  nginxWorkers,
  probeServers,
  readPid,
  type ServersEnv,
  serversTest,
  sleep,
} from "./helpers/servers.ts";
import { assertServersServe } from "./helpers/serving.ts";

/** Whether `--timeline` gets events from a real trace (the sinks are on the bus). */
async function wired(): Promise<boolean> {
  const dir = await Deno.makeTempDir();
  try {
    const r = await sctrace(["--timeline", `${dir}/t.json`, "/bin/true"]);
    if (r.code !== 0) return false;
    const t = JSON.parse(await Deno.readTextFile(`${dir}/t.json`));
    return t.traceEvents.some((e: { ph: string }) => e.ph === "X");
  } catch {
    return false;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const WIRED = await wired();
const WHY = "the views' sinks are not on the event bus yet (core/cli/main.ts)";

function test(name: string, fn: () => Promise<void>, needs: { chromium?: boolean } = {}): void {
  const ignore = !WIRED || (needs.chromium === true && !haveChromium());
  if (ignore) console.log(`SKIPPED: ${name}: ${WIRED ? "no chromium" : WHY}`);
  Deno.test({ name, ignore, fn });
}

/** Forks ls (which fails) and true, signals itself (ignored), exits 3. */
const SCRIPT = "trap '' USR1; /bin/ls /nonexistent; /bin/true & wait; kill -USR1 $$; exit 3";

test("--timeline of a multi-process trace: structure, names, and the same as from --json", async () => {
  const dir = await Deno.makeTempDir();
  const r = await sctrace([
    "-f",
    "--json",
    "-o",
    `${dir}/trace.jsonl`,
    "--timeline",
    `${dir}/live.json`,
    "/bin/sh",
    "-c",
    SCRIPT,
  ]);
  assertEquals(r.code, 3, r.stderr);
  const t = checkTimeline(await Deno.readTextFile(`${dir}/live.json`));
  const names = [...t.processNames.values()];
  for (const n of ["sh", "ls", "true"]) assert(names.includes(n), `${n} in ${names}`);
  const slices = t.events.filter((e) => e.ph === "X");
  assert(slices.some((e) => e.name === "execve"));
  assert(slices.some((e) => e.name === "wait4" && (e.dur ?? 0) > 0));
  const failed = slices.filter((e) => e.cat === "syscall,error");
  assert(failed.some((e) => e.args?.error === "ENOENT"), "ls's ENOENT");
  const inst = t.events.filter((e) => e.ph === "i").map((e) => e.name);
  assert(inst.includes("exited with 2"), `${inst}`); // ls
  assert(inst.includes("exited with 3"), `${inst}`); // sh
  assert(inst.includes("SIGCHLD"), `${inst}`);
  assert(inst.includes("SIGUSR1"), `${inst}`);
  // The same trace saved with --json and converted afterwards gives the same slices.
  const c = await sctrace(["timeline", `${dir}/trace.jsonl`, "-o", `${dir}/saved.json`]);
  assertEquals(c.code, 0, c.stderr);
  const saved = checkTimeline(await Deno.readTextFile(`${dir}/saved.json`));
  const key = (e: { name?: string; ts?: number; dur?: number; tid: number }) =>
    `${e.tid} ${e.ts} ${e.dur} ${e.name}`;
  assertEquals(
    saved.events.filter((e) => e.ph === "X").map(key),
    slices.map(key),
  );
  await Deno.remove(dir, { recursive: true });
});

test("--report of a real trace opens in headless Chromium", async () => {
  const dir = await Deno.makeTempDir();
  const r = await sctrace(["-f", "--report", `${dir}/r.html`, "/bin/sh", "-c", SCRIPT]);
  assertEquals(r.code, 3, r.stderr);
  const v = await openInChromium(`${dir}/r.html`);
  assertEquals(v.console, []);
  assertMatch(v.dom, /<td class="l">execve<\/td>/);
  assertMatch(v.dom, /<td class="l err">ENOENT<\/td>/);
  assert(v.ink > 0.1, `blank screenshot (${v.ink})`);
  await Deno.remove(dir, { recursive: true });
}, { chromium: true });

test("--timeline of a -p trace stopped by SIGINT is a valid file; the process runs on", async () => {
  const dir = await Deno.makeTempDir();
  const target = new Deno.Command("sh", { args: ["-c", "while :; do sleep 0.05; done"] }).spawn();
  try {
    const tr = await attachSctrace(["-f", "--timeline", `${dir}/t.json`], [target.pid]);
    await sleep(1000);
    tr.kill("SIGINT");
    const st = await tr.statusWithin(15000);
    assert(st, "tracer hung");
    const t = checkTimeline(await Deno.readTextFile(`${dir}/t.json`));
    assert(t.events.some((e) => e.ph === "X" && e.name === "wait4"), "wait4 slices");
    assert(t.processNames.size >= 2, "the shell and its sleeps");
    const status = await Deno.readTextFile(`/proc/${target.pid}/status`);
    assertMatch(status, /TracerPid:\s+0\n/);
  } finally {
    target.kill("SIGKILL");
    await target.status;
    await Deno.remove(dir, { recursive: true });
  }
});

const servers = serversTest(await probeServers());

function serversView(name: string, fn: (env: ServersEnv) => Promise<void>): void {
  if (!WIRED) {
    console.log(`SKIPPED: ${name}: ${WHY}`);
    Deno.test({ name, ignore: true, fn: () => {} });
  } else servers(name, fn);
}

serversView(
  "--timeline and --report of nginx → php-fpm → MariaDB: slices, flows, waterfall",
  async (env) => {
    const dir = await Deno.makeTempDir();
    const nginx = await nginxWorkers(env);
    const fpm = await childPids(await readPid(env.fpm_pid_file));
    const tr = await attachSctrace([
      "--proto",
      "-e",
      "trace=none",
      "--timeline",
      `${dir}/t.json`,
      "--report",
      `${dir}/r.html`,
    ], [...nginx, ...fpm]);
    try {
      for (let i = 0; i < 3; i++) assertEquals((await curl(env.url)).status, 200);
    } finally {
      tr.kill("SIGINT");
      assert(await tr.statusWithin(15000), "tracer hung");
    }
    const t = checkTimeline(await Deno.readTextFile(`${dir}/t.json`));
    const protos = new Set(
      t.events.filter((e) => e.ph === "X" && e.cat?.startsWith("proto")).map((e) =>
        e.name?.split(" ")[0]
      ),
    );
    for (const p of ["http", "fastcgi", "mysql"]) assert(protos.has(p), `${p} in ${[...protos]}`);
    // The request view links the tiers: flows from nginx to php-fpm (needs request objects).
    assert(t.flows >= 3, `flows: ${t.flows}`);
    const fpmSet = new Set(fpm);
    assert(
      t.events.some((e) => e.ph === "f" && fpmSet.has(e.pid)),
      "a flow ends in a php-fpm worker",
    );
    if (haveChromium()) {
      const v = await openInChromium(`${dir}/r.html`);
      assertEquals(v.console, []);
      assert([...v.dom.matchAll(/<div class="tier">/g)].length >= 3, "waterfall tiers");
      assertMatch(v.dom, /class="seg p-mysql/);
    }
    await assertServersServe(env);
    await Deno.remove(dir, { recursive: true });
  },
);
