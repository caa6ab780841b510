/**
 * Differential testing: run a program under Debian's strace and under sctrace with the same
 * arguments, normalise only what must differ (addresses under ASLR, pids, times), and compare.
 * C fixtures in `tests/fixtures/` are compiled here, on demand.
 * @module
 */

import { fromFileUrl } from "./paths.ts";

/** The project root. */
export const ROOT: string = fromFileUrl(new URL("../..", import.meta.url));
/** Where compiled fixtures go. */
export const BIN: string = `${ROOT}tests/fixtures/bin/`;
/** The entry point. */
export const MAIN: string = `${ROOT}main.ts`;

/** Flags fixtures are compiled with, by name; default is a normal libc program. */
const SPECIAL: Record<string, string[]> = {
  helloasm: ["-nostdlib", "-no-pie", "-Wall"],
  helloasm_loop: ["-nostdlib", "-no-pie", "-Wall"],
  helloasm_loop2k: ["-nostdlib", "-no-pie", "-Wall", "-DLOOPS=2000"],
  threads: ["-pthread"],
};

/** Fixtures built from another fixture's source with other flags. */
const SOURCE: Record<string, string> = { helloasm_loop2k: "helloasm_loop" };

/** Compiles `tests/fixtures/NAME.c` (once per run) and returns the binary's path. */
export async function fixture(name: string): Promise<string> {
  const src = `${ROOT}tests/fixtures/${SOURCE[name] ?? name}.c`;
  const out = `${BIN}${name}`;
  await Deno.mkdir(BIN, { recursive: true });
  try {
    const [s, o] = [Deno.statSync(src), Deno.statSync(out)];
    if (o.mtime && s.mtime && o.mtime >= s.mtime) return out;
  } catch {
    // build it
  }
  const flags = SPECIAL[name] ?? ["-O0", "-Wall"];
  const r = await new Deno.Command("gcc", { args: [...flags, "-o", out, src] }).output();
  if (!r.success) throw new Error(`gcc ${name}: ${new TextDecoder().decode(r.stderr)}`);
  return out;
}

/** The result of one traced run. */
export interface Run {
  /** Exit code. */
  code: number;
  /** Signal that killed the tracer, if any. */
  signal: Deno.Signal | null;
  /** The tracer's stderr (the trace, unless -o). */
  stderr: string;
  /** The program's stdout. */
  stdout: string;
}

/** Options for a run. */
export interface RunOptions {
  /** Working directory. */
  cwd?: string;
  /** Environment (replaces the default fixed environment). */
  env?: Record<string, string>;
  /** Bytes for stdin. */
  stdin?: string;
}

/** A small fixed environment so both tracers print the same var count. */
export const FIXED_ENV: Record<string, string> = {
  PATH: "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
  HOME: "/root",
  LANG: "C",
  TZ: "UTC",
};

async function run(cmd: string, args: string[], o: RunOptions = {}): Promise<Run> {
  // Deno.Command does not keep the environment's order: `env -i` sets it, in order.
  const env = Object.entries(o.env ?? FIXED_ENV).map(([k, v]) => `${k}=${v}`);
  const p = new Deno.Command("/usr/bin/env", {
    args: ["-i", ...env, "setarch", "x86_64", "-R", cmd, ...args],
    cwd: o.cwd ?? ROOT,
    clearEnv: true,
    stdin: o.stdin !== undefined ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (o.stdin !== undefined) {
    const w = p.stdin.getWriter();
    await w.write(new TextEncoder().encode(o.stdin));
    await w.close();
  }
  const r = await p.output();
  const dec = new TextDecoder();
  return {
    code: r.code,
    signal: r.signal,
    stdout: dec.decode(r.stdout),
    stderr: dec.decode(r.stderr),
  };
}

/** Runs sctrace (`deno run -A main.ts ARGS`). */
export function sctrace(args: string[], o: RunOptions = {}): Promise<Run> {
  return run(Deno.execPath(), ["run", "-A", "--no-check", MAIN, ...args], o);
}

/** Runs Debian's strace. */
export function strace(args: string[], o: RunOptions = {}): Promise<Run> {
  return run("strace", args, o);
}

/** The column where strace starts `= result`, unless the call is longer (then one space). */
export const RESULT_COLUMN = 40;

/** The gap before the result: a run of spaces between `)` and `= …` (the last one on the line). */
const GAP = /\)( +)=(?= |$)(?!.*\) +=(?: |$))/;

/**
 * Whether `line` is padded as strace pads it: when it has a result gap, `=` sits at column
 * {@linkcode RESULT_COLUMN}, or one space after the call when the call is longer. Lines without
 * a gap count as padded.
 */
export function paddedLikeStrace(line: string): boolean {
  const m = GAP.exec(line);
  if (!m) return true;
  const call = m.index + 1; // through the `)`
  return m[1].length === Math.max(1, RESULT_COLUMN - call);
}

/** Re-pads the result gap of `line` as strace would for this text (see {@linkcode paddedLikeStrace}). */
export function repad(line: string): string {
  const m = GAP.exec(line);
  if (!m) return line;
  const call = m.index + 1;
  const gap = " ".repeat(Math.max(1, RESULT_COLUMN - call));
  return line.slice(0, call) + gap + line.slice(call + m[1].length);
}

/**
 * Collapses the result gap of `line` to one space, but only when it was padded as strace pads it:
 * for lines whose prefix is dropped (per-process histories). A wrongly padded line keeps its gap,
 * so it still differs from strace's.
 */
export function foldPadding(line: string): string {
  if (!paddedLikeStrace(line)) return line;
  const m = GAP.exec(line);
  return m ? line.slice(0, m.index + 1) + " " + line.slice(m.index + 1 + m[1].length) : line;
}

/**
 * Addresses: values that move with ASLR, with the heap's layout, or that live in the tracer's own
 * memory. Only these become `0xADDR`; flag masks, constants and sizes are kept as printed.
 * - mmap'd, stack and vDSO addresses (`0x7f…`, 12 hex digits) and PIE/heap ones (`0x55…`/`0x56…`);
 * - execve's envp (a pointer into the tracer, not the tracee);
 * - results of and address arguments to the calls that manage memory;
 * - fields that hold an address.
 */
function addresses(line: string): string {
  const addr = (_m: string, before: string) => `${before}0xADDR`;
  return line
    .replace(/\b0x(?:7f|5[56])[0-9a-f]{10}\b/g, "0xADDR")
    .replace(/(\bexecve(?:at)?\(.*\], )0x[0-9a-f]+(?= \/\* \d+ vars? \*\/)/, addr)
    .replace(
      /(\b(?:brk|mmap|mremap|munmap|mprotect|madvise|shmat|msync|mlock|munlock)\()0x[0-9a-f]+/,
      addr,
    )
    .replace(/(\b(?:brk|mmap|mremap|shmat)\b.*\) += )0x[0-9a-f]+$/, addr)
    .replace(
      /\b((?:si_addr|sa_handler|sa_restorer|child_stack|stack|tls|child_tidptr|ss_sp)=)0x[0-9a-f]+/g,
      addr,
    );
}

/** {@linkcode normalise} on one line, without re-padding. */
export function normaliseTokens(line: string): string {
  return addresses(
    line
      .replace(/^(strace|sctrace): /, "TRACER: ")
      .replace(/\[pid +\d+\]/g, "[pid PID]")
      .replace(/^\d+ +/, "PID ")
      .replace(/\b(si_pid|pid|tid)=\d+\b/g, "$1=PID")
      .replace(/in pid \d+ \+\+\+/g, "in pid PID +++")
      .replace(/<pid changed to \d+ \.\.\.>/g, "<pid changed to PID ...>")
      .replace(/\b((?:tg)?kill|wait4|waitid|setpgid|getpgid|getsid|pidfd_open)\(\d+/g, "$1(PID")
      .replace(
        /\b(getpid|getppid|gettid|fork|vfork|set_tid_address|clone|clone3|wait4|setsid)(\(.*\) +)= \d+$/,
        "$1$2= PID",
      )
      .replace(/(socket|pipe|anon_inode):\[\d+\]/g, "$1:[INODE]")
      .replace(
        /([A-Z][A-Z0-9-]*v?6?):\[(\d+)(->\d+)?/g,
        (_m, p, _a, b) => `${p}:[INODE${b ? "->INODE" : ""}`,
      )
      .replace(/<\d+\.\d{6}>/g, "<T>")
      .replace(/^ *\d+\.\d{6} /, "REL ")
      .replace(/^\d\d:\d\d:\d\d(\.\d{6})? /, "TIME ")
      .replace(/\b(st_ino|st_dev|st_blocks|st_atime|st_mtime|st_ctime)=[^,}]+/g, "$1=N"),
  );
}

/**
 * Normalises what legitimately differs between two runs: addresses (ASLR, heap layout, the
 * tracer's own memory), pids, timestamps and durations, inode numbers, and the tracer's own name
 * in messages. Every other number is kept. A line padded as strace pads it (see
 * {@linkcode paddedLikeStrace}) is re-padded after the replacements, so a pid or inode of another
 * width does not move its result column; a wrongly padded line keeps its padding and so differs.
 */
export function normalise(text: string): string {
  return text.split("\n").map((l) => {
    const n = normaliseTokens(l);
    return paddedLikeStrace(l) ? repad(n) : n;
  }).join("\n");
}

/** Splits a normalised trace into lines, dropping a trailing empty line. */
export function lines(text: string): string[] {
  const l = normalise(text).split("\n");
  if (l.length && l[l.length - 1] === "") l.pop();
  return l;
}
