/**
 * Command-line parsing, strace-compatible: getopt-style short options (`-s1024`, `-ff`, `-emmap`,
 * `-o/tmp/x`), strace's long options, and sctrace's own (`--proto`, `--plugin`).
 * Errors are {@linkcode UsageError}s carrying strace's message.
 * @module
 */

import type { XlatStyle } from "../decoders/api.ts";
import { SORT_KEYS, validColumns } from "./summary.ts";

/** Thrown for bad command lines; `message` is printed after `sctrace: `. */
export class UsageError extends Error {
  /** Whether to print the `Try '… -h'` hint after the message. */
  hint: boolean;
  /** Creates the error. */
  constructor(message: string, hint = true) {
    super(message);
    this.hint = hint;
  }
}

/** Everything the command line sets. */
export interface Options {
  /** `-a`: the result column (default 40). */
  column: number;
  /** `-A`: append to `-o` files. */
  append: boolean;
  /** `-c` (1) or `-C` (2): summary only / summary and trace. */
  summary: 0 | 1 | 2;
  /** `-w`: summarise wall-clock latency instead of system time. */
  summaryWall: boolean;
  /** `-S`: summary sort key. */
  sortBy: string;
  /** `-U`: summary columns. */
  summaryColumns?: string[];
  /** `-D` count. */
  daemonize: number;
  /** `-e` expressions, in order. */
  exprs: string[];
  /** `-E` assignments (`VAR=VAL`) and removals (`VAR`), in order. */
  env: string[];
  /** `-f` count: 1 follow, 2 follow with separate files. */
  follow: number;
  /** `--output-separately`. */
  separately: boolean;
  /** `-o`: output file. */
  output?: string;
  /** `-p`: pids to attach. */
  pids: number[];
  /** `-P`: paths to trace. */
  paths: string[];
  /** `-q` count. */
  quiet: number;
  /** `-r`: relative timestamps. */
  relative: boolean;
  /** `-t` count: absolute timestamps. */
  timestamps: number;
  /** `-T`: syscall times. */
  syscallTimes: boolean;
  /** `-s`: string limit. */
  strsize: number;
  /** `-u`: user name. */
  user?: string;
  /** `-v`. */
  verbose: boolean;
  /** `-x` count. */
  hexStrings: number;
  /** `-X`. */
  xlat: XlatStyle;
  /** `-y` count. */
  decodeFds: number;
  /** `-z`. */
  successfulOnly: boolean;
  /** `-Z`. */
  failedOnly: boolean;
  /** `-n`: print syscall numbers. */
  syscallNumbers: boolean;
  /** `-i`: print instruction pointer. */
  instructionPointer: boolean;
  /** `--seccomp-bpf`. */
  seccomp: boolean;
  /** `-k`: print the stack after each syscall. */
  stackTraces: boolean;
  /** `--trace-fds=`. */
  traceFds?: string;
  /** `--proto[=list]`: protocol sniffers to enable (empty list = all). */
  proto?: string[];
  /** `--plugin FILE`, repeatable. */
  plugins: string[];
  /** `-h`. */
  help: boolean;
  /** `-V`. */
  version: boolean;
  /** The command and its arguments. */
  command: string[];
}

/** Short options that take an argument. */
const WITH_ARG = new Set("abeEIoOpPsSuUX".split(""));
/** Short options without an argument. */
const FLAGS = new Set("ACcdDfFhiknqrtTvVwxyYzZ".split(""));

/** Long options: name → [short equivalent or own key, argument: 0 none, 1 required, 2 optional]. */
const LONG: Record<string, [string, 0 | 1 | 2]> = {
  "columns": ["a", 1],
  "output-append-mode": ["A", 0],
  "detach-on": ["b", 1],
  "summary-only": ["c", 0],
  "summary": ["C", 0],
  "debug": ["d", 0],
  "daemonize": ["D", 2],
  "env": ["E", 1],
  "follow-forks": ["f", 0],
  "output-separately": ["--output-separately", 0],
  "help": ["h", 0],
  "instruction-pointer": ["i", 0],
  "interruptible": ["I", 1],
  "stack-traces": ["k", 0],
  "syscall-number": ["n", 0],
  "output": ["o", 1],
  "summary-syscall-overhead": ["O", 1],
  "attach": ["p", 1],
  "trace-path": ["P", 1],
  "quiet": ["--quiet", 2],
  "relative-timestamps": ["r", 2],
  "string-limit": ["s", 1],
  "summary-sort-by": ["S", 1],
  "absolute-timestamps": ["--absolute-timestamps", 2],
  "syscall-times": ["T", 2],
  "user": ["u", 1],
  "summary-columns": ["U", 1],
  "no-abbrev": ["v", 0],
  "version": ["V", 0],
  "summary-wall-clock": ["w", 0],
  "strings-in-hex": ["--strings-in-hex", 2],
  "const-print-style": ["X", 1],
  "decode-fds": ["--decode-fds", 2],
  "decode-pids": ["--decode-pids", 1],
  "successful-only": ["z", 0],
  "failed-only": ["Z", 0],
  "seccomp-bpf": ["--seccomp-bpf", 0],
  "trace": ["--e", 1],
  "trace-fds": ["--trace-fds", 1],
  "signal": ["--e", 1],
  "status": ["--e", 1],
  "abbrev": ["--e", 1],
  "verbose": ["--e", 1],
  "raw": ["--e", 1],
  "read": ["--e", 1],
  "write": ["--e", 1],
  "inject": ["--e", 1],
  "fault": ["--e", 1],
  "proto": ["--proto", 2],
  "plugin": ["--plugin", 1],
  "tips": ["--tips", 2],
};

/** The defaults. */
export function defaultOptions(): Options {
  return {
    column: 40,
    append: false,
    summary: 0,
    summaryWall: false,
    sortBy: "time",
    daemonize: 0,
    exprs: [],
    env: [],
    follow: 0,
    separately: false,
    pids: [],
    paths: [],
    quiet: 0,
    relative: false,
    timestamps: 0,
    syscallTimes: false,
    strsize: 32,
    verbose: false,
    hexStrings: 0,
    xlat: "abbrev",
    decodeFds: 0,
    successfulOnly: false,
    failedOnly: false,
    syscallNumbers: false,
    instructionPointer: false,
    seccomp: false,
    stackTraces: false,
    plugins: [],
    help: false,
    version: false,
    command: [],
  };
}

function parseNumber(s: string, opt: string): number {
  if (!/^[0-9]+$/.test(s) || Number(s) > 2 ** 31 - 1) {
    throw new UsageError(`invalid ${opt} argument: '${s}'`);
  }
  return Number(s);
}

/** Parses a `-p` value: a pid, or a list separated by commas, spaces or tabs. */
function parsePids(value: string, o: Options): void {
  const parts = value.split(/[\s,]+/).filter((p) => p !== "");
  if (!parts.length) throw new UsageError(`Invalid process id: '${value}'`, false);
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p) || Number(p) <= 0 || Number(p) > 2 ** 31 - 1) {
      throw new UsageError(`Invalid process id: '${p}'`, false);
    }
    o.pids.push(Number(p));
  }
}

function apply(o: Options, key: string, value: string | undefined): void {
  switch (key) {
    case "a":
      o.column = parseNumber(value!, "-a");
      break;
    case "A":
      o.append = true;
      break;
    case "b":
      if (value !== "execve") {
        throw new UsageError(`Syscall '${value}' for -b isn't supported`, false);
      }
      break;
    case "c":
      o.summary = 1;
      break;
    case "C":
      o.summary = 2;
      break;
    case "I":
      if (!/^([1-4]|anywhere|waiting|never|never_tstp)$/.test(value!)) {
        throw new UsageError(`invalid -I argument: '${value}'`);
      }
      break;
    case "d":
    case "F":
    case "O":
    case "--tips":
    case "--decode-pids":
    case "Y":
      break;
    case "k":
      o.stackTraces = true;
      break;
    case "D":
      o.daemonize++;
      break;
    case "e":
    case "--e":
      o.exprs.push(value!);
      break;
    case "E":
      o.env.push(value!);
      break;
    case "f":
      o.follow++;
      break;
    case "--output-separately":
      o.separately = true;
      break;
    case "h":
      o.help = true;
      break;
    case "i":
      o.instructionPointer = true;
      break;
    case "n":
      o.syscallNumbers = true;
      break;
    case "o":
      o.output = value!;
      break;
    case "p":
      parsePids(value!, o);
      break;
    case "P":
      o.paths.push(value!);
      break;
    case "q":
      o.quiet++;
      break;
    case "--quiet":
      o.quiet = Math.max(o.quiet, 1);
      break;
    case "r":
      o.relative = true;
      break;
    case "s":
      o.strsize = parseNumber(value!, "-s");
      break;
    case "S":
      if (!SORT_KEYS.includes(value!)) throw new UsageError(`invalid sortby: '${value}'`);
      o.sortBy = value!;
      break;
    case "t":
      o.timestamps++;
      break;
    case "--absolute-timestamps":
      o.timestamps = Math.max(o.timestamps, 1);
      break;
    case "T":
      o.syscallTimes = true;
      break;
    case "u":
      o.user = value!;
      break;
    case "U":
      o.summaryColumns = value!.split(",");
      if (!validColumns(o.summaryColumns)) {
        throw new UsageError(
          `unknown column name: '${o.summaryColumns.find((c) => !validColumns([c]))}'`,
        );
      }
      break;
    case "v":
      o.verbose = true;
      break;
    case "V":
      o.version = true;
      break;
    case "w":
      o.summaryWall = true;
      break;
    case "x":
      o.hexStrings++;
      break;
    case "--strings-in-hex":
      o.hexStrings = value === "non-ascii" ? 1 : 2;
      break;
    case "X":
      if (value !== "raw" && value !== "abbrev" && value !== "verbose") {
        throw new UsageError(`invalid -X argument: '${value}'`);
      }
      o.xlat = value;
      break;
    case "y":
      o.decodeFds++;
      break;
    case "--decode-fds":
      o.decodeFds = value === "all" ? 2 : Math.max(o.decodeFds, 1);
      break;
    case "z":
      o.successfulOnly = true;
      break;
    case "Z":
      o.failedOnly = true;
      break;
    case "--seccomp-bpf":
      o.seccomp = true;
      break;
    case "--trace-fds":
      o.traceFds = value;
      break;
    case "--proto":
      o.proto = value ? value.split(",").filter((s) => s) : [];
      break;
    case "--plugin":
      o.plugins.push(value!);
      break;
  }
}

/**
 * Parses strace-style arguments. Options stop at the first non-option (as strace's `+` getopt
 * mode). Trailing all-numeric arguments after `-p` are taken as more pids (`-p $(pgrep x)`).
 */
export function parseArgs(argv: readonly string[]): Options {
  const o = defaultOptions();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = LONG[name];
      if (!spec) throw new UsageError(`unrecognized option '${arg}'`);
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if (spec[1] === 0 && value !== undefined) {
        throw new UsageError(`option '--${name}' doesn't allow an argument`);
      }
      if (spec[1] === 1 && value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`option '--${name}' requires an argument`);
        value = argv[++i];
      }
      if (
        spec[0] === "--e" && !["trace", "inject", "fault"].includes(name) && value !== undefined
      ) {
        value = `${name}=${value}`;
      } else if (spec[0] === "--e" && name === "trace") value = `trace=${value}`;
      else if (spec[0] === "--e") value = `${name}=${value}`;
      if (name === "follow-forks") o.follow = Math.max(o.follow, 1);
      else apply(o, spec[0], value);
      continue;
    }
    if (arg.length < 2 || arg[0] !== "-") break;
    for (let k = 1; k < arg.length; k++) {
      const ch = arg[k];
      if (WITH_ARG.has(ch)) {
        let value = arg.slice(k + 1);
        if (value === "") {
          if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- '${ch}'`);
          value = argv[++i];
        }
        apply(o, ch, value);
        break;
      }
      if (!FLAGS.has(ch)) throw new UsageError(`invalid option -- '${ch}'`);
      apply(o, ch, undefined);
    }
  }
  let rest = argv.slice(i);
  if (o.pids.length && rest.length && rest.every((a) => /^[0-9]+$/.test(a))) {
    for (const a of rest) parsePids(a, o);
    rest = [];
  }
  o.command = [...rest];
  // As strace: a trace to a file of a command we start says nothing about attaching (-q).
  if (o.output && o.command.length && o.quiet === 0) o.quiet = 1;
  if (o.follow >= 2 && o.output) o.separately = true;
  if (o.summary && (o.separately || (o.follow >= 2 && o.output))) {
    throw new UsageError(
      "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive",
    );
  }
  if (o.separately && o.output && (o.output[0] === "|" || o.output[0] === "!")) {
    throw new UsageError("piping the output and -ff/--output-separately are mutually exclusive");
  }
  // strace: "-ff without -o FILE is the same as single -f".
  if (o.output === undefined) o.separately = false;
  return o;
}
