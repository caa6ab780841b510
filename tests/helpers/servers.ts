/**
 * The real servers of the end-to-end tests (nginx, php-fpm, MariaDB, and Redis and PostgreSQL when
 * installed, on loopback with ports and sockets of their own, started by `bash .ci/services start`):
 * where they are (all of it read from `RUN_DIR/env.json`, nothing hard-coded), whether they answer,
 * their worker pids, and a runner that attaches a tracer (sctrace or strace) to them while a client
 * makes requests.
 * @module
 */

import { MAIN, ROOT } from "./diff.ts";

/** The runtime dir `.ci/services` uses (override with `SCTRACE_E2E_RUN`). */
export const RUN_DIR: string = Deno.env.get("SCTRACE_E2E_RUN") ?? "/tmp/sctrace-e2e";

/** What `.ci/services start` writes to `RUN_DIR/env.json` once the page answers. */
export interface ServersEnv {
  /** The runtime dir. */
  run_dir: string;
  /** nginx's port on 127.0.0.1. */
  port: number;
  /** The page: `http://127.0.0.1:PORT/wordpress/`. */
  url: string;
  /** nginx master's pid file. */
  nginx_pid_file: string;
  /** php-fpm master's pid file. */
  fpm_pid_file: string;
  /** php-fpm's port on 127.0.0.1 (nginx's fastcgi_pass). */
  fpm_port: number;
  /** php-fpm's pool name (its workers' title is `php-fpm: pool NAME`). */
  fpm_pool: string;
  /** mariadbd's pid file. */
  mariadb_pid_file: string;
  /** MariaDB's unix socket (the one the page connects to). */
  mysql_socket: string;
  /** MariaDB's TCP port on 127.0.0.1. */
  mysql_port: number;
  /** The query the page runs. */
  query: string;
  /** The post content the query returns. */
  post_content: string;
  /** Redis's port on 127.0.0.1, or null when Redis is not installed. */
  redis_port: number | null;
  /** Redis's unix socket, or null. */
  redis_socket: string | null;
  /** redis-server's pid file, or null. */
  redis_pid_file: string | null;
  /** PostgreSQL's port on 127.0.0.1, or null when PostgreSQL is not installed. */
  postgres_port: number | null;
  /** The directory of PostgreSQL's unix socket (`.s.PGSQL.PORT`), or null. */
  postgres_socket_dir: string | null;
  /** The postmaster's pid file (pid on its first line), or null. */
  postgres_pid_file: string | null;
  /** The superuser to connect as (trust authentication), or null. */
  postgres_user: string | null;
}

/** The servers, or why they are not usable. */
export interface ServersProbe {
  /** The environment, when every server answers. */
  env: ServersEnv | null;
  /** Why not, when `env` is null. */
  reason: string;
}

/** The result of one HTTP request made with curl. */
export interface HttpResult {
  /** HTTP status (0 when curl failed). */
  status: number;
  /** The body. */
  body: string;
}

const dec = new TextDecoder();

/** GETs `url` with curl (the client of the talk), 3 s at most. */
export async function curl(url: string): Promise<HttpResult> {
  const r = await new Deno.Command("curl", {
    args: ["-sS", "--max-time", "3", "-o", "-", "-w", "\n%{http_code}", url],
    stdout: "piped",
    stderr: "piped",
  }).output().catch(() => null);
  if (!r) return { status: 0, body: "" };
  const out = dec.decode(r.stdout);
  const nl = out.lastIndexOf("\n");
  return { status: Number(out.slice(nl + 1)) || 0, body: out.slice(0, Math.max(nl, 0)) };
}

/** Reads `RUN_DIR/env.json` and checks that the page shows the post. */
export async function probeServers(): Promise<ServersProbe> {
  let env: ServersEnv;
  try {
    env = JSON.parse(await Deno.readTextFile(`${RUN_DIR}/env.json`));
  } catch {
    return { env: null, reason: `servers not started (no ${RUN_DIR}/env.json)` };
  }
  // Servers started by an older .ci/services (before pools were named after their port).
  env.fpm_pool ??= "sctrace_e2e";
  const r = await curl(env.url);
  if (r.status !== 200 || !r.body.includes(env.post_content)) {
    return { env: null, reason: `${env.url} does not answer with the post (HTTP ${r.status})` };
  }
  if (Deno.uid() !== 0) {
    return { env: null, reason: "not root: cannot attach to www-data's workers" };
  }
  return { env, reason: "" };
}

/** The pid in a pid file. */
export async function readPid(file: string): Promise<number> {
  return Number((await Deno.readTextFile(file)).trim());
}

/** The children of `pid`, in pid order (`pgrep -P`). */
export async function childPids(pid: number): Promise<number[]> {
  const r = await new Deno.Command("pgrep", { args: ["-P", String(pid)], stdout: "piped" })
    .output();
  return dec.decode(r.stdout).split("\n").filter((s) => s).map(Number).sort((a, b) => a - b);
}

/** nginx's worker pids (the children of the master in `nginx_pid_file`). */
export async function nginxWorkers(env: ServersEnv): Promise<number[]> {
  return childPids(await readPid(env.nginx_pid_file));
}

/** `State:` and `TracerPid:` of a live process, from /proc/PID/status. */
export async function procStatus(pid: number): Promise<{ state: string; tracerPid: number }> {
  const s = await Deno.readTextFile(`/proc/${pid}/status`);
  return {
    state: /^State:\s+(\S)/m.exec(s)?.[1] ?? "?",
    tracerPid: Number(/^TracerPid:\s+(\d+)/m.exec(s)?.[1] ?? -1),
  };
}

/** What's in `/proc/PID/wchan`: the kernel function a sleeping process waits in. */
export async function wchan(pid: number): Promise<string> {
  return (await Deno.readTextFile(`/proc/${pid}/wchan`).catch(() => "")).trim();
}

/**
 * Runs `fn` holding an exclusive lock on `RUN_DIR/tests.lock`: two test runs at once (say, a
 * whole-suite run and a single-file run) would otherwise fight over the same pids, and a pid can
 * have one tracer only.
 */
export async function withServersLock<T>(fn: () => Promise<T>): Promise<T> {
  const f = await Deno.open(`${RUN_DIR}/tests.lock`, { create: true, write: true });
  try {
    await f.lock(true);
    return await fn();
  } finally {
    f.close();
  }
}

/** Declares one test that needs the servers; `fn` gets their environment. */
export type ServersTest = (name: string, fn: (env: ServersEnv) => Promise<void>) => void;

/** True under CI (`CI=true`), where a missing server is a failure, not a skipped test. */
export function inCi(): boolean {
  return (Deno.env.get("CI") ?? "").toLowerCase() === "true";
}

/**
 * The test declarer for a probe ({@link probeServers}): each test runs holding the servers lock
 * ({@link withServersLock}). When the servers are down, the test is ignored with a `SKIPPED:` line
 * saying why, except under `CI=true` ({@link inCi}), where it runs and fails with that reason.
 */
export function serversTest(probe: ServersProbe, ci: boolean = inCi()): ServersTest {
  return (name, fn) => {
    const why = `${probe.reason} (run \`bash .ci/services start\`)`;
    if (!probe.env && !ci) console.log(`SKIPPED: ${name}: ${why}`);
    Deno.test({
      name,
      ignore: !probe.env && !ci,
      fn: () => {
        if (!probe.env) throw new Error(`CI=true and the servers are missing: ${why}`);
        return withServersLock(() => fn(probe.env!));
      },
    });
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A tracer running in the background, its stderr collected as it comes. */
export class Background {
  /** The process. */
  readonly child: Deno.ChildProcess;
  /** Everything read from stderr so far. */
  stderr = "";
  /** Everything read from stdout so far. */
  stdout = "";
  #pumps: Promise<void>[];

  /** Starts `cmd args` (cwd: the project root). */
  constructor(cmd: string, args: string[]) {
    this.child = new Deno.Command(cmd, {
      args,
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#pumps = [
      this.#pump(this.child.stderr, (s) => this.stderr += s),
      this.#pump(this.child.stdout, (s) => this.stdout += s),
    ];
  }

  async #pump(s: ReadableStream<Uint8Array>, add: (s: string) => void): Promise<void> {
    const d = new TextDecoder();
    for await (const chunk of s) add(d.decode(chunk, { stream: true }));
  }

  /** Waits until `pred(stderr)` holds, or `ms` passed (then returns false). */
  async waitFor(pred: (stderr: string) => boolean, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (pred(this.stderr)) return true;
      await sleep(25);
    }
    return pred(this.stderr);
  }

  /** Waits for the end; returns the exit status. */
  async status(): Promise<Deno.CommandStatus> {
    const st = await this.child.status;
    await Promise.all(this.#pumps);
    return st;
  }

  /** Sends `sig` unless it already ended. */
  kill(sig: Deno.Signal): void {
    try {
      this.child.kill(sig);
    } catch {
      // already ended
    }
  }

  /** Waits up to `ms` for the end; then SIGKILLs it and returns null (it hung). */
  async statusWithin(ms: number): Promise<Deno.CommandStatus | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((r) => timer = setTimeout(() => r(null), ms));
    const st = await Promise.race([this.status(), late]);
    clearTimeout(timer);
    if (st) return st;
    this.kill("SIGKILL");
    await this.status();
    return null;
  }
}

/**
 * `timeout 5` as in the talk, plus `-k 5`: a tracer that ignores the SIGTERM is killed 5 s later
 * and timeout exits with 137 instead of 124, so a hang fails the test instead of stalling it.
 */
export const TIMEOUT_5: string[] = ["timeout", "-k", "5", "5"];

/**
 * Starts `sctrace ARGS -p PID…` in the background and waits until it says it attached to every
 * pid; if it does not within `ms`, it is stopped (never left tracing) and this throws with its
 * stderr.
 */
export async function attachSctrace(
  args: string[],
  pids: number[],
  ms = 10000,
): Promise<Background> {
  const tr = new Background(sctraceArgv()[0], [
    ...sctraceArgv().slice(1),
    ...args,
    ...pids.flatMap((p) => ["-p", String(p)]),
  ]);
  if (await tr.waitFor((s) => pids.every((p) => s.includes(`Process ${p} attached`)), ms)) {
    return tr;
  }
  tr.kill("SIGINT");
  await tr.statusWithin(10000);
  throw new Error(`sctrace did not attach to ${pids.join(", ")}: ${tr.stderr}`);
}

/** The deno command line that runs sctrace (`deno run -A main.ts`). */
export function sctraceArgv(): string[] {
  return [Deno.execPath(), "run", "-A", "--no-check", MAIN];
}

/**
 * True when `stderr` has `TRACER: Process PID attached` for every pid (strace started by its full
 * path names itself by that path).
 */
export function allAttached(stderr: string, pids: number[]): boolean {
  return pids.every((p) =>
    new RegExp(`^(\\S*/)?s?c?trace: Process ${p} attached$`, "m").test(stderr)
  );
}

/** Options of {@link traceWhileRequesting}. */
export interface TraceRequestOptions {
  /** The whole tracer command line, e.g. `["timeout", "5", ...sctraceArgv(), "-p", "1"]`. */
  argv: string[];
  /** The pids it attaches to (to wait for their `attached` lines). */
  pids: number[];
  /** The page to request. */
  url: string;
  /** How many requests, one after the other. */
  requests: number;
  /** Start the requests no sooner than this many ms after the tracer started (the talk: 1.5 s). */
  delayMs: number;
}

/** The outcome of {@link traceWhileRequesting}. */
export interface TraceRequestResult {
  /** The tracer's exit status. */
  status: Deno.CommandStatus;
  /** The tracer's stderr. */
  stderr: string;
  /** The HTTP responses. */
  responses: HttpResult[];
  /** Whether every pid was attached before the requests. */
  attached: boolean;
}

/**
 * Runs a tracer command (which ends by itself, e.g. under `timeout`), waits until it reports every
 * pid attached, makes the requests no sooner than `delayMs` after the start, and waits for its end.
 */
export async function traceWhileRequesting(o: TraceRequestOptions): Promise<TraceRequestResult> {
  const t0 = Date.now();
  const bg = new Background(o.argv[0], o.argv.slice(1));
  const attached = await bg.waitFor((s) => allAttached(s, o.pids), 4000);
  const wait = o.delayMs - (Date.now() - t0);
  if (wait > 0) await sleep(wait);
  const responses: HttpResult[] = [];
  for (let i = 0; i < o.requests; i++) responses.push(await curl(o.url));
  const status = await bg.status();
  return { status, stderr: bg.stderr, responses, attached };
}

/**
 * Attaches sctrace with `flags` and `-o FILE` to `pids` for five seconds while `requests` GETs of
 * `url` are made (one second after the start); returns the trace file's text and the run.
 */
export async function traceToText(
  flags: string[],
  pids: number[],
  url: string,
  requests: number,
): Promise<{ text: string; run: TraceRequestResult }> {
  const dir = await Deno.makeTempDir();
  try {
    const run = await traceWhileRequesting({
      argv: [
        ...TIMEOUT_5,
        ...sctraceArgv(),
        ...flags,
        "-o",
        `${dir}/t`,
        ...pids.flatMap((p) => ["-p", String(p)]),
      ],
      pids,
      url,
      requests,
      delayMs: 1000,
    });
    if (!run.attached) throw new Error(`not every pid was attached:\n${run.stderr}`);
    return { text: await Deno.readTextFile(`${dir}/t`), run };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Reads `PREFIX.PID` for each pid (the `-ff -o PREFIX` files); a missing file reads as null. */
export async function perPidFiles(
  prefix: string,
  pids: number[],
): Promise<Map<number, string | null>> {
  const m = new Map<number, string | null>();
  for (const p of pids) m.set(p, await Deno.readTextFile(`${prefix}.${p}`).catch(() => null));
  return m;
}

/**
 * The syscall names in a trace (one process's file), with `-r`/`-t` timestamps and `[pid N]`
 * prefixes allowed; `<... NAME resumed>` lines count as NAME.
 */
export function syscallNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const l = line.replace(/^ *\d+(\.\d+)? /, "").replace(/^(\d\d:\d\d:\d\d\S* )/, "")
      .replace(/^\[pid +\d+\] /, "");
    const m = /^([a-z_][a-z0-9_]*)\(/.exec(l) ?? /^<\.\.\. ([a-z_][a-z0-9_]*) resumed>/.exec(l);
    if (m) names.add(m[1]);
  }
  return names;
}

/**
 * Normalises a server trace for a line-by-line comparison of two runs: on top of what changes
 * between any two runs (times, addresses, inodes), also ports, epoll cookies, HTTP dates,
 * MySQL scrambles and the process-specific numbers servers print.
 */
export function normaliseServerTrace(text: string): string[] {
  return text.split("\n").filter((l) => l !== "").map((l) =>
    l.replace(/^ *\d+\.\d{6} /, "")
      .replace(/ +=/, " =")
      .replace(/(socket|anon_inode|pipe):\[\d+\]/g, "$1:[INODE]")
      .replace(/0x[0-9a-f]{5,16}/g, "0xADDR")
      .replace(/sin_port=htons\((\d+)\)/g, (m, p) => Number(p) >= 32768 ? "sin_port=htons(P)" : m)
      .replace(/data=\{u32=\d+, u64=\d+\}/g, "data={u32=N, u64=N}")
      .replace(/\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+\d{4}/g, "DATE")
      .replace(/\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT/g, "DATE")
      .replace(/\b(getpid|getppid|gettid|times)\((.*)\) = \d+$/, "$1($2) = N")
      .replace(/tms_[a-z]+=\d+/g, "tms=N")
      .replace(/ = \d+<socket/, " = N<socket")
  );
}
