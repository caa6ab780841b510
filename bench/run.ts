/**
 * sctrace against strace on the same workloads, in one run (`deno task bench`).
 *
 * ```sh
 * deno run -A bench/run.ts                 # 5 alternating runs per tracer and workload
 * deno run -A bench/run.ts --runs 9        # more runs
 * deno run -A bench/run.ts --quick         # small workloads (a smoke run)
 * deno run -A bench/run.ts --only file,seccomp --no-nginx
 * deno run -A bench/run.ts --load loaded   # only beside CPU hogs (idle: only without)
 * deno run -A bench/run.ts --main /tmp/other/main.ts   # another checkout's sctrace
 * ```
 *
 * Runs alternate (sctrace, strace, sctrace, strace, …) so that a noisy neighbour hurts both alike;
 * the table shows medians. Wall and CPU times come from bash's `time` around each tracer: CPU is
 * user+sys of the tracer and of the tracee (the tracer reaps it, so getrusage(RUSAGE_CHILDREN)
 * covers both). Nothing here asserts on time.
 *
 * Workloads: the talk's loop (`tests/fixtures/helloasm_loop.c`, 100,000 writes) untraced, traced
 * fully to stderr (sent to /dev/null), to `-o /dev/null`, to `-o FILE`, with `-c`, filtered with
 * `-e trace=exit_group` without and with `-f --seccomp-bpf` (n/a for sctrace until it installs
 * the filter); `ls -laR /usr/share` (a real program); start-up latency (launch to the traced
 * `execve` of `/bin/true`, from `-ttt`); the tracer's peak RSS (VmHWM) and its own CPU time per
 * traced syscall while tracing 1,000,000 syscalls to a file; and a private nginx on loopback under
 * a fixed keep-alive load, with and without each tracer attached to its worker (skipped when there
 * is no nginx binary).
 *
 * Every workload but the memory one runs twice (`--load idle,loaded`, the default): once on the
 * machine as it is, once beside one CPU hog per core (bench/hogs.ts: busy loops the bench starts
 * and kills, each also ending itself after an hour). Loaded rows are marked "(loaded)"; the
 * report gives the load average before and after each condition.
 * @module
 */

import { Hogs } from "./hogs.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const MAIN = `${ROOT}main.ts`;
const FIXTURE = `${ROOT}tests/fixtures/helloasm_loop.c`;
const dec = new TextDecoder();

/** Command-line settings of the bench. */
export interface BenchArgs {
  /** Runs per tracer and workload. */
  runs: number;
  /** Small workloads. */
  quick: boolean;
  /** Try the nginx workload. */
  nginx: boolean;
  /** Only these workload keys (all when empty). */
  only: string[];
  /** The sctrace entry point to run (`--main FILE`, default this checkout's main.ts). */
  main: string;
  /** Machine conditions to run under, in order (`--load idle,loaded`). */
  loads: Load[];
}

/** `idle`: the machine as it is; `loaded`: plus one CPU hog per core, run by the bench. */
export type Load = "idle" | "loaded";

/** Every workload key, in table order. */
export const WORKLOADS = [
  "untraced",
  "stderr",
  "devnull",
  "file",
  "summary",
  "filtered",
  "seccomp",
  "lsr",
  "startup",
  "memory",
  "nginx",
] as const;

/** Parses `--runs N`, `--quick`, `--no-nginx`, `--only a,b`, `--main FILE`, `--load a,b`. */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const out: BenchArgs = {
    runs: 5,
    quick: false,
    nginx: true,
    only: [],
    main: MAIN,
    loads: ["idle", "loaded"],
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= args.length) throw new Error(`${a} needs a value`);
      return args[++i];
    };
    if (a === "--quick") out.quick = true;
    else if (a === "--no-nginx") out.nginx = false;
    else if (a.startsWith("--runs")) {
      out.runs = Number(value());
      if (!Number.isInteger(out.runs) || out.runs < 1) throw new Error("--runs needs N >= 1");
    } else if (a.startsWith("--main")) out.main = value();
    else if (a.startsWith("--load")) {
      const loads = value().split(",").filter((x) => x);
      if (!loads.length || loads.some((x) => x !== "idle" && x !== "loaded")) {
        throw new Error("--load takes idle, loaded or both (idle,loaded)");
      }
      out.loads = [...new Set(loads)] as Load[];
    } else if (a.startsWith("--only")) {
      out.only = value().split(",").filter((s) => s);
      for (const k of out.only) {
        if (!(WORKLOADS as readonly string[]).includes(k)) {
          throw new Error(`unknown workload ${k} (${WORKLOADS.join(", ")})`);
        }
      }
    } else throw new Error(`unknown option ${a}`);
  }
  return out;
}

/** The median of `xs` (mean of the middle two for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length & 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One timed run. */
interface Timed {
  /** Wall ms. */
  wall: number;
  /** User CPU ms (tracer + tracee). */
  user: number;
  /** System CPU ms. */
  sys: number;
  /** Exit status. */
  code: number;
}

const TIME_SCRIPT = 'o=$1; e=$2; shift 2; TIMEFORMAT="%3R %3U %3S"; time "$@" >"$o" 2>"$e"';

/** Runs `argv` under bash's `time`, its stdout and stderr sent to the given files. */
async function timed(argv: string[], out = "/dev/null", err = "/dev/null"): Promise<Timed> {
  const r = await new Deno.Command("bash", {
    args: ["-c", TIME_SCRIPT, "bash", out, err, ...argv],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = dec.decode(r.stderr).trim().split("\n");
  const m = /^(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(text[text.length - 1] ?? "");
  if (!m) throw new Error(`no timing from ${argv.join(" ")}: ${text.join(" | ")}`);
  return { wall: +m[1] * 1000, user: +m[2] * 1000, sys: +m[3] * 1000, code: r.code };
}

/** Measurements of one tracer on one workload. */
interface Series {
  /** The metric per run (ms, MiB or req/s, see the row's unit). */
  values: number[];
  /** CPU ms per run (user, sys), when known. */
  cpu: [number, number][];
  /** Something went wrong or differs (wrong exit code, …). */
  notes: string[];
}

/** One table row. */
interface Row {
  /** Label. */
  label: string;
  /** Unit of the values. */
  unit: "ms" | "MiB" | "req/s" | "µs";
  /** sctrace, or undefined for n/a. */
  a?: Series;
  /** strace, or undefined for n/a. */
  b?: Series;
  /** Why a column is n/a. */
  naNote?: string;
}

function newSeries(): Series {
  return { values: [], cpu: [], notes: [] };
}

function fmtValue(v: number, unit: Row["unit"]): string {
  if (!Number.isFinite(v)) return "n/a";
  if (unit === "ms") return v < 100 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
  if (unit === "MiB") return `${v.toFixed(1)} MiB`;
  if (unit === "µs") return `${v.toFixed(2)} µs`;
  return `${Math.round(v)} req/s`;
}

function fmtCpu(s?: Series): string {
  if (!s || !s.cpu.length) return "—";
  const u = median(s.cpu.map((c) => c[0]));
  const y = median(s.cpu.map((c) => c[1]));
  return `${Math.round(u + y)} ms (${Math.round(u)} u + ${Math.round(y)} s)`;
}

/** The markdown table. */
function table(rows: Row[]): string {
  const out = [
    "| workload | sctrace | strace | sctrace/strace | sctrace CPU | strace CPU |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const a = r.a ? median(r.a.values) : NaN;
    const b = r.b ? median(r.b.values) : NaN;
    const flag = (s?: Series) => (s && s.notes.length ? " (!)" : "");
    const ratio = Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : "n/a";
    out.push(
      `| ${r.label} | ${r.a ? fmtValue(a, r.unit) + flag(r.a) : "n/a"} | ` +
        `${r.b ? fmtValue(b, r.unit) + flag(r.b) : "—"} | ${ratio} | ${fmtCpu(r.a)} | ${
          fmtCpu(r.b)
        } |`,
    );
  }
  return out.join("\n");
}

/** Every run's numbers, for the record. */
function absolute(rows: Row[]): string {
  const lines: string[] = [];
  const list = (s: Series, unit: Row["unit"]) =>
    s.values.map((v) => fmtValue(v, unit).replace(/ (ms|MiB|req\/s|µs)$/, "")).join(", ");
  for (const r of rows) {
    const parts: string[] = [];
    if (r.a) parts.push(`sctrace [${list(r.a, r.unit)}]`);
    if (r.b) parts.push(`strace [${list(r.b, r.unit)}]`);
    const notes = [...(r.a?.notes ?? []).map((n) => `sctrace: ${n}`)];
    notes.push(...(r.b?.notes ?? []).map((n) => `strace: ${n}`));
    if (r.naNote) notes.push(r.naNote);
    lines.push(
      `- ${r.label} (${r.unit}): ${parts.join("; ")}${
        notes.length ? ` — ${notes.join("; ")}` : ""
      }`,
    );
  }
  return lines.join("\n");
}

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    return (dec.decode(r.stdout) + dec.decode(r.stderr)).trim();
  } catch {
    return "?";
  }
}

/** Compiles the loop with `iterations` writes into `dir` (the fixture's `-DLOOPS=N`). */
async function buildLoop(dir: string, iterations: number): Promise<string> {
  const out = `${dir}/loop_${iterations}`;
  const r = await new Deno.Command("gcc", {
    args: ["-nostdlib", "-no-pie", "-O1", `-DLOOPS=${iterations}`, "-o", out, FIXTURE],
  }).output();
  if (!r.success) throw new Error(`gcc: ${dec.decode(r.stderr)}`);
  return out;
}

async function countLines(path: string): Promise<number> {
  const data = await Deno.readFile(path);
  let n = 0;
  for (const b of data) if (b === 10) n++;
  return n;
}

/** The whole benchmark context. */
interface Ctx {
  args: BenchArgs;
  dir: string;
  loop: string;
  loopCount: number;
  sctrace: string[];
  strace: string[];
  expectedCode: number;
}

function want(ctx: Ctx, key: string): boolean {
  return !ctx.args.only.length || ctx.args.only.includes(key);
}

/** Alternating runs of both tracers with the same arguments; `extra` checks each run. */
async function alternate(
  ctx: Ctx,
  label: string,
  args: (tracer: "a" | "b", run: number) => string[],
  opts: {
    skipA?: boolean;
    code?: number;
    check?: (tracer: "a" | "b", run: number) => Promise<string | undefined>;
  } = {},
): Promise<Row> {
  const a = opts.skipA ? undefined : newSeries();
  const b = newSeries();
  for (let r = 0; r < ctx.args.runs; r++) {
    for (const which of ["a", "b"] as const) {
      const s = which === "a" ? a : b;
      if (!s) continue;
      const prefix = which === "a" ? ctx.sctrace : ctx.strace;
      const t = await timed([...prefix, ...args(which, r)]);
      s.values.push(t.wall);
      s.cpu.push([t.user, t.sys]);
      const want = opts.code ?? ctx.expectedCode;
      if (t.code !== want) s.notes.push(`run ${r + 1} exited ${t.code}`);
      const bad = await opts.check?.(which, r);
      if (bad) s.notes.push(bad);
    }
  }
  return { label, unit: "ms", a, b };
}

async function untraced(ctx: Ctx): Promise<Row> {
  const a = newSeries();
  for (let r = 0; r < ctx.args.runs; r++) {
    const t = await timed([ctx.loop]);
    a.values.push(t.wall);
    a.cpu.push([t.user, t.sys]);
    if (t.code !== ctx.expectedCode) a.notes.push(`exited ${t.code}`);
  }
  return { label: "untraced loop (sctrace column)", unit: "ms", a };
}

/** Whether sctrace installs a seccomp filter in the tracee and still traces it. */
async function seccompWorks(ctx: Ctx): Promise<boolean> {
  const trace = `${ctx.dir}/seccomp_probe.txt`;
  const r = await new Deno.Command(ctx.sctrace[0], {
    args: [
      ...ctx.sctrace.slice(1),
      ...["-f", "--seccomp-bpf", "-e", "trace=exit_group", "-o", trace],
      ...["/bin/sh", "-c", "exec grep Seccomp: /proc/self/status"],
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  let text = "";
  try {
    text = await Deno.readTextFile(trace);
  } catch {
    // no trace
  }
  return r.code === 0 && /^Seccomp:\s+2$/m.test(dec.decode(r.stdout)) &&
    text.includes("exit_group(0)");
}

async function startup(ctx: Ctx): Promise<Row> {
  const a = newSeries();
  const b = newSeries();
  const stamp = `${ctx.dir}/launch.txt`;
  const trace = `${ctx.dir}/startup.txt`;
  const script = 'echo "$EPOCHREALTIME" > "$1"; shift; exec "$@"';
  for (let r = 0; r < ctx.args.runs; r++) {
    for (const [s, prefix] of [[a, ctx.sctrace], [b, ctx.strace]] as const) {
      const t = await timed([
        ...["bash", "-c", script, "bash", stamp],
        ...[...prefix, "-ttt", "-o", trace, "/bin/true"],
      ]);
      s.cpu.push([t.user, t.sys]);
      const launched = Number((await Deno.readTextFile(stamp)).trim());
      const first = /^(\d+\.\d+) execve\(/.exec(await Deno.readTextFile(trace));
      if (!first) {
        s.notes.push(`run ${r + 1}: no execve line`);
        continue;
      }
      s.values.push((Number(first[1]) - launched) * 1000);
    }
  }
  return { label: "start-up: launch → execve of /bin/true (-ttt)", unit: "ms", a, b };
}

interface Peak {
  hwm: number;
  /** The largest RssAnon seen (MiB): the tracer's private memory, without mapped files. */
  anon: number;
  cpu: [number, number];
  code: number;
}

/** Runs a tracer directly, polling its VmHWM and CPU in /proc until it exits. */
async function peak(argv: string[]): Promise<Peak> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const tick = 10; // USER_HZ is 100 on Linux
  let hwm = 0;
  let anon = 0;
  let cpu: [number, number] = [0, 0];
  let done = false;
  const status = child.status.then((s) => {
    done = true;
    return s;
  });
  while (!done) {
    try {
      const st = await Deno.readTextFile(`/proc/${child.pid}/status`);
      const m = /VmHWM:\s+(\d+) kB/.exec(st);
      if (m) hwm = Math.max(hwm, Number(m[1]));
      const an = /RssAnon:\s+(\d+) kB/.exec(st);
      if (an) anon = Math.max(anon, Number(an[1]));
      const stat = await Deno.readTextFile(`/proc/${child.pid}/stat`);
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu = [Number(f[11]) * tick, Number(f[12]) * tick];
    } catch {
      // exiting
    }
    await Promise.race([status, new Promise((r) => setTimeout(r, 20))]);
  }
  const s = await status;
  return { hwm: hwm / 1024, anon: anon / 1024, cpu, code: s.code };
}

async function memory(ctx: Ctx, loop: string, count: number): Promise<Row[]> {
  const a = newSeries();
  const b = newSeries();
  const trace = `${ctx.dir}/memory.txt`;
  const pa = newSeries();
  const pb = newSeries();
  const anon: string[] = [];
  for (const [s, ps, prefix] of [[a, pa, ctx.sctrace], [b, pb, ctx.strace]] as const) {
    const p = await peak([...prefix, "-o", trace, loop]);
    s.values.push(p.hwm);
    s.cpu.push(p.cpu);
    ps.values.push((p.cpu[0] + p.cpu[1]) * 1000 / count);
    anon.push(`${s === a ? "sctrace" : "strace"} ${p.anon.toFixed(1)} MiB`);
    if (p.code !== ctx.expectedCode) s.notes.push(`exited ${p.code}`);
    const n = await countLines(trace);
    if (n !== count + 3) s.notes.push(`${n} trace lines, want ${count + 3}`);
    await Deno.remove(trace);
  }
  return [{
    label: `tracer peak RSS (VmHWM), ${count.toLocaleString("en")} syscalls -o FILE`,
    unit: "MiB",
    a,
    b,
    naNote: "CPU here is the tracer's own (from /proc), tracee excluded; private memory " +
      `(peak RssAnon, the rest is mapped files such as the deno executable): ${anon.join(", ")}`,
  }, {
    label: "tracer's own CPU per traced syscall (same run)",
    unit: "µs",
    a: pa,
    b: pb,
  }];
}

// ---- nginx ----

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function which(cmd: string): string | undefined {
  for (const d of (Deno.env.get("PATH") ?? "/usr/sbin:/usr/bin").split(":").concat("/usr/sbin")) {
    try {
      if (Deno.statSync(`${d}/${cmd}`).isFile) return `${d}/${cmd}`;
    } catch {
      // next
    }
  }
  return undefined;
}

const enc = new TextEncoder();

/** Sends `total` keep-alive GETs over `conns` connections; returns ms, or throws on a stall. */
async function load(port: number, total: number, conns: number): Promise<number> {
  const req = enc.encode("GET /index.html HTTP/1.1\r\nHost: bench\r\n\r\n");
  const per = Math.ceil(total / conns);
  const open: Deno.Conn[] = [];
  let stalled = false;
  const timer = setTimeout(() => {
    stalled = true;
    for (const c of open) {
      try {
        c.close();
      } catch {
        // closed
      }
    }
  }, 120_000);
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: conns }, async () => {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      open.push(c);
      const buf = new Uint8Array(1 << 16);
      for (let i = 0; i < per; i++) {
        await c.write(req);
        let acc = "";
        let need = -1;
        for (;;) {
          const n = await c.read(buf);
          if (n === null) throw new Error("connection closed");
          acc += String.fromCharCode(...buf.subarray(0, n));
          const end = acc.indexOf("\r\n\r\n");
          if (end >= 0 && need < 0) {
            const m = /content-length:\s*(\d+)/i.exec(acc.slice(0, end));
            need = end + 4 + (m ? Number(m[1]) : 0);
          }
          if (need >= 0 && acc.length >= need) break;
        }
      }
      c.close();
    }));
  } catch (e) {
    if (stalled) throw new Error("load stalled (120 s)");
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - t0;
}

/** Starts a tracer on `pid` and resolves once it says it attached. */
async function attachTracer(prefix: string[], pid: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(prefix[0], {
    args: [...prefix.slice(1), "-o", "/dev/null", "-p", String(pid)],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.getReader();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (!/Process \d+ attached/.test(text)) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`no attach message: ${text}`);
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`tracer ended: ${text}`);
    text += dec.decode(value);
  }
  // Keep draining stderr so the tracer never blocks on it.
  (async () => {
    try {
      while (!(await reader.read()).done) {
        // discard
      }
    } catch {
      // gone
    }
  })();
  return child;
}

async function stopTracer(child: Deno.ChildProcess): Promise<void> {
  child.kill("SIGINT");
  const t = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone
    }
  }, 15_000);
  await child.status;
  clearTimeout(t);
}

function procCpu(pid: number): [number, number] {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [Number(f[11]) * 10, Number(f[12]) * 10];
  } catch {
    return [NaN, NaN];
  }
}

async function nginx(ctx: Ctx): Promise<Row[] | string> {
  const bin = which("nginx");
  if (!bin) return "nginx: skipped (no nginx binary)";
  const dir = `${ctx.dir}/nginx`;
  await Deno.mkdir(`${dir}/www`, { recursive: true });
  await Deno.chmod(ctx.dir, 0o755);
  await Deno.writeTextFile(`${dir}/www/index.html`, "x".repeat(1024));
  const port = freePort();
  const conf = `daemon off; master_process on; worker_processes 1; user root;
pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off; keepalive_requests 1000000; keepalive_timeout 60s;
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3;
  uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  server { listen 127.0.0.1:${port}; root ${dir}/www; }
}
`;
  await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
  const master = new Deno.Command(bin, {
    args: ["-p", dir, "-e", `${dir}/error.log`, "-c", `${dir}/nginx.conf`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    let worker = 0;
    for (let i = 0; i < 100 && !worker; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        const kids = Deno.readTextFileSync(`/proc/${master.pid}/task/${master.pid}/children`)
          .trim();
        if (kids) worker = Number(kids.split(" ")[0]);
      } catch {
        // not yet
      }
    }
    if (!worker) return "nginx: skipped (private nginx did not start)";
    const total = ctx.args.quick ? 300 : 5000;
    const conns = 4;
    await load(port, 100, conns); // warm-up
    const base = newSeries();
    const a = newSeries();
    const b = newSeries();
    for (let r = 0; r < ctx.args.runs; r++) {
      base.values.push(total / ((await load(port, total, conns)) / 1000));
      for (const [s, prefix] of [[a, ctx.sctrace], [b, ctx.strace]] as const) {
        let tracer: Deno.ChildProcess | undefined;
        try {
          tracer = await attachTracer(prefix, worker);
          const c0 = procCpu(tracer.pid);
          const ms = await load(port, total, conns);
          const c1 = procCpu(tracer.pid);
          s.values.push(total / (ms / 1000));
          s.cpu.push([c1[0] - c0[0], c1[1] - c0[1]]);
        } catch (e) {
          s.notes.push(`run ${r + 1}: ${e instanceof Error ? e.message : e}`);
        } finally {
          if (tracer) await stopTracer(tracer);
        }
      }
    }
    const label = `nginx: ${total} GETs (1 KiB, keep-alive, ${conns} conns)`;
    return [
      { label: `${label}, untraced (sctrace column)`, unit: "req/s", a: base },
      {
        label: `${label}, tracer on the worker`,
        unit: "req/s",
        a,
        b,
        naNote: "-p WORKER -o /dev/null; higher is better; CPU is the tracer's own during the load",
      },
    ];
  } finally {
    master.kill("SIGTERM");
    await master.status;
  }
}

/** The workloads of one machine condition; `tag` is appended to every label. */
async function workloads(ctx: Ctx, tag: string, rows: Row[], extra: string[]): Promise<void> {
  const { loop, loopCount, dir } = ctx;
  const file = `${dir}/trace.txt`;
  const at = rows.length;
  if (want(ctx, "untraced")) rows.push(await untraced(ctx));
  if (want(ctx, "stderr")) {
    rows.push(await alternate(ctx, "full trace to stderr (2>/dev/null)", () => [loop]));
  }
  if (want(ctx, "devnull")) {
    rows.push(await alternate(ctx, "full trace -o /dev/null", () => ["-o", "/dev/null", loop]));
  }
  if (want(ctx, "file")) {
    rows.push(
      await alternate(ctx, "full trace -o FILE", () => ["-o", file, loop], {
        check: async (_w, r) => {
          if (r > 0) return undefined;
          const n = await countLines(file);
          return n === loopCount + 3 ? undefined : `${n} trace lines, want ${loopCount + 3}`;
        },
      }),
    );
  }
  if (want(ctx, "summary")) {
    rows.push(await alternate(ctx, "-c (summary only)", () => ["-c", loop]));
  }
  if (want(ctx, "filtered")) {
    rows.push(
      await alternate(ctx, "-e trace=exit_group", () => ["-e", "trace=exit_group", loop]),
    );
  }
  if (want(ctx, "seccomp")) {
    const ok = await seccompWorks(ctx);
    const row = await alternate(
      ctx,
      "-f --seccomp-bpf -e trace=exit_group",
      () => ["-f", "--seccomp-bpf", "-e", "trace=exit_group", loop],
      { skipA: !ok },
    );
    if (!ok) row.naNote = "sctrace: n/a (no seccomp filter in the tracee)";
    rows.push(row);
  }
  if (want(ctx, "lsr")) {
    const target = ctx.args.quick ? LSR_QUICK : LSR_FULL;
    rows.push(
      await alternate(
        ctx,
        `ls -laR ${target} -o /dev/null`,
        () => ["-o", "/dev/null", "ls", "-laR", target],
        { code: 0 },
      ),
    );
  }
  if (want(ctx, "startup")) rows.push(await startup(ctx));
  // Memory does not depend on the load: measured once, in the first condition.
  if (want(ctx, "memory") && at === 0) {
    const memCount = ctx.args.quick ? 10_000 : 1_000_000;
    const memLoop = memCount === loopCount ? loop : await buildLoop(dir, memCount);
    rows.push(...await memory(ctx, memLoop, memCount));
  }
  if (want(ctx, "nginx")) {
    if (!ctx.args.nginx) extra.push(`nginx${tag}: skipped (--no-nginx)`);
    else {
      try {
        const r = await nginx(ctx);
        if (typeof r === "string") extra.push(r + tag);
        else rows.push(...r);
      } catch (e) {
        extra.push(`nginx${tag}: failed (${e instanceof Error ? e.message : e})`);
      }
    }
  }
  for (let i = at; i < rows.length; i++) rows[i].label += tag;
}

/** `ls -laR` targets (a real program): the full run and `--quick`'s. */
const LSR_FULL = "/usr/share";
const LSR_QUICK = "/usr/share/common-licenses";

async function loadavg(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
}

/** Runs the benchmark and prints the report. */
export async function runBench(args: BenchArgs): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace_bench_" });
  let hogs: Hogs | undefined;
  try {
    const loopCount = args.quick ? 10_000 : 100_000;
    const loop = await buildLoop(dir, loopCount);
    const ctx: Ctx = {
      args,
      dir,
      loop,
      loopCount,
      sctrace: [Deno.execPath(), "run", "-A", args.main],
      strace: ["strace"],
      expectedCode: 42,
    };
    // Warm Deno's module cache so that the first timed run is not a compile.
    await timed([...ctx.sctrace, "-o", "/dev/null", "/bin/true"]);
    const rows: Row[] = [];
    const extra: string[] = [];
    const cpus = navigator.hardwareConcurrency || 1;
    const conditions: string[] = [];
    for (const load of args.loads) {
      const before = await loadavg();
      if (load === "loaded") {
        hogs ??= await Hogs.build(dir);
        // Bounded: each hog ends itself after an hour even if this process is killed.
        hogs.start(cpus, 3600);
      }
      const t0 = performance.now();
      await workloads(ctx, load === "loaded" ? LOADED : "", rows, extra);
      if (load === "loaded") await hogs!.stop();
      conditions.push(
        `${load}${load === "loaded" ? ` (${cpus} CPU hogs, one per core, beside every run)` : ""}` +
          `: load average ${before} before, ${await loadavg()} after, ` +
          `${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
    const [kernel, deno, strace] = await Promise.all([
      sh("uname", ["-r"]),
      Promise.resolve(Deno.version.deno),
      sh("strace", ["-V"]).then((s) => s.split("\n")[0]),
    ]);
    const head = [
      `# sctrace vs strace${args.quick ? " (quick)" : ""}`,
      "",
      `Linux ${kernel}, ${cpus} CPUs, Deno ${deno}, ${strace}.`,
      `Medians of ${args.runs} alternating run(s) per tracer; the loop makes ` +
      `${loopCount.toLocaleString("en")} write(2) calls and exits 42. CPU = user + sys of the ` +
      "tracer and its tracee.",
      "",
      "Conditions:",
      "",
      ...conditions.map((c) => `- ${c}`),
      "",
    ];
    const report = [
      ...head,
      table(rows),
      "",
      "Every run:",
      "",
      absolute(rows),
      ...(extra.length ? ["", ...extra.map((e) => `- ${e}`)] : []),
      "",
    ].join("\n");
    return report;
  } finally {
    await hogs?.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The label suffix of rows measured beside the CPU hogs. */
export const LOADED = " (loaded)";

if (import.meta.main) {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(Deno.args);
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : e}`);
    Deno.exit(2);
  }
  console.log(await runBench(args));
}
