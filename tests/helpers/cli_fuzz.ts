/**
 * Random strace command lines (options from strace 6.1's `-h` with valid and invalid values),
 * run through Debian's strace and sctrace side by side: exit status and first stderr line
 * (program name normalised, numbers masked) must agree, except where sctrace refuses an option
 * it does not implement (`OPTION is not supported`). Used by tests/cli_fuzz_test.ts (a few
 * hundred vectors, fixed seed) and bench/cli_fuzz.ts (the soak).
 * @module
 */

import { MAIN, ROOT } from "./diff.ts";

/** The sctrace to compare (`SCTRACE_MAIN=/path/main.ts` to compare another checkout). */
const SCTRACE_MAIN: string = Deno.env.get("SCTRACE_MAIN") ?? MAIN;

/** A deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pid that does not exist (above the default pid_max of 4194304). */
export const NO_PID = "4194303";

/** Files the vectors use, made by {@linkcode fuzzFiles}. */
export interface FuzzFiles {
  /** A directory for `-o` files. */
  dir: string;
  /** A regular file without execute permission. */
  noexec: string;
}

/** Makes the scratch directory and files. */
export async function fuzzFiles(): Promise<FuzzFiles> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-cli-fuzz-" });
  const noexec = `${dir}/noexec`;
  await Deno.writeTextFile(noexec, "#!/bin/sh\n");
  await Deno.chmod(noexec, 0o644);
  return { dir, noexec };
}

/** Option pieces: each a list of alternatives, each alternative a list of argv words. */
function pieces(f: FuzzFiles): string[][][] {
  const withArg = (opt: string, values: string[], long?: string): string[][] => [
    ...values.map((v) => [opt, v]),
    ...values.slice(0, 2).map((v) => [`${opt}${v}`]),
    ...(long ? values.map((v) => [`--${long}=${v}`]) : []),
  ];
  return [
    ...["-A", "-c", "-C", "-d", "-D", "-DD", "-f", "-ff", "-F", "-i", "-k", "-n", "-q", "-qq"]
      .map((s) => [[s]]),
    ...["-qqq", "-r", "-t", "-tt", "-ttt", "-T", "-v", "-w", "-x", "-xx", "-y", "-yy", "-Y"]
      .map((s) => [[s]]),
    [["-z"], ["-Z"], ["-cw"], ["-Cw"], ["-fq"], ["-+"], ["-j"], ["-W"], ["-"], ["-h"], ["-V"]],
    withArg("-a", ["40", "0", "-1", "x", "2147483648", " 5", "+5", "-0", "5 "], "columns"),
    withArg("-b", ["execve", "open"], "detach-on"),
    withArg("-e", [
      "trace=open",
      "open",
      "trace=nosuch",
      "signal=SIGINT",
      "signal=bogus",
      "status=failed",
      "status=x",
      "quiet=attach",
      "quiet=é",
      "quiet=exit",
      "decode-fds=%",
      "decode-fds=path",
      "decode-fds=socket",
      "inject=open:error=ENOENT",
      "fault=open",
      "kvm=vcpu",
      "kvm=x",
      "raw=all",
      "read=1",
      "read=x",
      "abbrev=none",
      "verbose=!all",
      "t=open",
      "foo=bar",
      "secontext=full",
      "decode-pids=comm",
      "decode-pids=x",
      "quiet=",
      "trace=",
      "trace=%net",
      "trace=FILE",
      "trace=open@foo",
      "trace=/(",
      "trace=/^open",
      "trace=?nosuch",
      "trace=!%file,close",
      "signal=0",
      "signal=rt_1",
      "signal=SIGIOT",
      "status=all,none",
      "read=all,1",
      "write=2147483648",
      "quiet=!all",
      "decode-fds=all",
    ]),
    withArg("-E", ["X=1", "X"], "env"),
    withArg("-I", ["1", "5", "never", "x", "0"], "interruptible"),
    withArg("-o", [`${f.dir}/out`, `${f.dir}/nodir/x`, "/dev/full", ""], "output"),
    withArg("-O", ["1", "1ms", "NaN", "9223372036854775808", "!", "1e5", "-1", "1.5s", "2x"]),
    [["--summary-syscall-overhead=NaN"], ["--summary-syscall-overhead", "3us"]],
    withArg("-p", ["0", "x", NO_PID, `${NO_PID},`, `,${NO_PID}`, "", "-1"], "attach"),
    withArg("-P", ["/tmp"], "trace-path"),
    withArg("-s", ["10", "-1", "1073741824", "x", "1073741823"], "string-limit"),
    withArg("-S", ["time", "calls", "bogus", "none", "Calls"], "summary-sort-by"),
    withArg("-u", ["nobody", "no_such_user"], "user"),
    withArg("-U", ["calls,name", "bogus", "calls,calls", "none", "", "calls,count"]),
    [["--summary-columns=name"], ["--summary-columns", "x"]],
    withArg("-X", ["raw", "x", "verbose", "RAW"], "const-print-style"),
    [["--summary-only"], ["--summary"], ["--debug"], ["--daemonize"], ["--daemonize=x"]],
    [["--daemonize=session"], ["--follow-forks"], ["--output-separately"], ["--help"]],
    [["--help=1"], ["--instruction-pointer"], ["--stack-traces"], ["--syscall-number"]],
    [["--relative-timestamps"], ["--relative-timestamps=ms"], ["--relative-timestamps=x"]],
    [["--relative-timestamps="], ["--absolute-timestamps"], ["--absolute-timestamps=unix,us"]],
    [["--absolute-timestamps=ns"], ["--absolute-timestamps=x"], ["--timestamps=format:none"]],
    [["--syscall-times"], ["--syscall-times=junk"], ["--syscall-times=us"], ["--no-abbrev"]],
    [["--syscall-times=ns"], ["--version"], ["--summary-wall-clock"], ["--strings-in-hex"]],
    [["--strings-in-hex=x"], ["--strings-in-hex=non-ascii"], ["--strings-in-hex=none"]],
    [["--pidns-translation"], ["--successful-only"], ["--failed-only"], ["--failing-only"]],
    [["--seccomp-bpf"], ["--tips"], ["--tips=x"], ["--tips=format:none"], ["--tips=id:3"]],
    [["--trace=open"], ["--trace", "nosuch"], ["--abbrev=all"], ["--verbose=none"]],
    [["--raw=x"], ["--signals=1"], ["--signal=SIGX"], ["--status=failed"], ["--read=1"]],
    [["--write=x"], ["--fault=open"], ["--inject=open"], ["--kvm=vcpu"], ["--quiet"]],
    [["--quiet=é"], ["--quiet=attach,exit"], ["--silent"], ["--silence=all"], ["--decode-fds"]],
    [["--decode-fds=%"], ["--decode-fds=all"], ["--decode-pids=pidns"], ["--secontext"]],
    [["--s"], ["--sum"], [`--out=${f.dir}/o2`], ["--foo"], ["--col", "40"], ["--output"]],
    [["--daemoni"], ["--fail"], ["--sil"], ["--=x"], ["--st=1"], ["--c=1"], ["--te"]],
  ];
}

/** The command (or pid) a vector ends with. */
function tails(f: FuzzFiles): string[][] {
  return [
    ["/bin/true"],
    ["/bin/true"],
    ["true"],
    [],
    ["-p", NO_PID],
    ["/nonexistent_cmd"],
    ["nonexistent_cmd"],
    [f.noexec],
    ["/tmp"],
    ["--", "/bin/true"],
    ["/etc/passwd/x"],
  ];
}

/** One random argument vector. */
export function vector(next: () => number, f: FuzzFiles): string[] {
  const all = pieces(f);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const n = Math.floor(next() * 4);
  const argv: string[] = [];
  for (let i = 0; i < n; i++) argv.push(...pick(pick(all)));
  argv.push(...pick(tails(f)));
  return argv;
}

/** What one tracer did with a vector. */
export interface Outcome {
  /** Exit status (128+N for a signal). */
  code: number;
  /**
   * The tracer's first message on stderr (`PROG: …` or `Try …`), normalised; the first line when
   * there is none (a trace without messages).
   */
  first: string;
  /** A line says an option is not supported (sctrace's refusals). */
  refused: boolean;
}

/** Masks what legitimately differs: the program name, numbers, addresses. */
export function normaliseLine(line: string): string {
  return line
    .replace(/^\S*s?c?trace: /, "PROG: ")
    .replace(/'\S*s?c?trace -h'/, "'PROG -h'")
    .replace(/0x[0-9a-f]+/g, "0xN")
    .replace(/\[[0-9a-f]{8,16}\]/g, "[IP]")
    .replace(/[0-9]+/g, "N");
}

/** A tracer's first message on stderr (`PROG: …`, `Try …`), else its first line; normalised. */
export function firstMessage(stderr: string): string {
  const lines = stderr.split("\n");
  const message = lines.find((l) => /^\S*s?c?trace: |^Try '/.test(l));
  return normaliseLine(message ?? lines[0]);
}

async function runOne(cmd: string[], args: string[], cwd: string): Promise<Outcome> {
  const p = new Deno.Command(cmd[0], {
    args: [...cmd.slice(1), ...args],
    cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C" },
    clearEnv: true,
  }).spawn();
  const timer = setTimeout(() => {
    try {
      p.kill("SIGKILL");
    } catch {
      // gone
    }
  }, 20_000);
  const r = await p.output();
  clearTimeout(timer);
  const text = new TextDecoder().decode(r.stderr);
  const code = r.signal ? 128 + (Deno.build.os === "linux" ? sigNumber(r.signal) : 0) : r.code;
  const refused = /^\S*s?c?trace: .* is not supported( yet)?$/m.test(text);
  return { code, first: firstMessage(text), refused };
}

function sigNumber(s: Deno.Signal): number {
  const n: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGPIPE: 13 };
  return n[s] ?? 0;
}

/** The comparison of one vector. */
export interface Comparison {
  /** The vector. */
  argv: string[];
  /** strace's outcome. */
  strace: Outcome;
  /** sctrace's outcome. */
  sctrace: Outcome;
  /** "same", "refused" (sctrace refuses an option it lacks) or "differs". */
  verdict: "same" | "refused" | "differs";
}

/** Runs strace and sctrace on `argv`, both as subprocesses. */
export async function compare(argv: string[], cwd: string): Promise<Comparison> {
  const [a, b] = await Promise.all([
    runOne(["strace"], argv, cwd),
    runOne([Deno.execPath(), "run", "-A", "--no-check", SCTRACE_MAIN], argv, cwd),
  ]);
  let verdict: Comparison["verdict"] = "same";
  if (a.code !== b.code || a.first !== b.first) {
    verdict = b.refused && b.code === 1 ? "refused" : "differs";
  }
  return { argv, strace: a, sctrace: b, verdict };
}

/** Compares `count` vectors from `seed`, `parallel` at a time. */
export async function fuzz(
  seed: number,
  count: number,
  parallel = 2,
  onResult?: (c: Comparison) => void,
): Promise<Comparison[]> {
  const f = await fuzzFiles();
  const next = rng(seed);
  const vectors = Array.from({ length: count }, () => vector(next, f));
  const out: Comparison[] = new Array(count);
  let i = 0;
  const worker = async () => {
    while (i < vectors.length) {
      const k = i++;
      out[k] = await compare(vectors[k], f.dir);
      onResult?.(out[k]);
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    await Deno.remove(f.dir, { recursive: true });
  }
  return out;
}

/** The repository root (for callers that need it). */
export const FUZZ_ROOT: string = ROOT;
