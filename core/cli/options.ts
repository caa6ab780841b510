/**
 * Command-line parsing exactly as strace 6.1's `init()` does it: glibc `getopt_long` with the
 * optstring `+a:Ab:cCdDe:E:fFhiI:kno:O:p:P:qrs:S:tTu:U:vVwxX:yYzZ` and strace's long option table
 * (unambiguous prefixes of long names are accepted, as getopt does), options processed left to
 * right with each argument validated when it is met (`-h` prints help at once), then strace's
 * checks after the loop in strace's order. sctrace's own long options (`--proto`, `--plugin`,
 * `--plugin-insecure`, `--trace-fds`) must be spelt in full, so that every prefix strace accepts
 * means what it means to strace.
 *
 * Options strace has and sctrace does not implement are refused with `OPTION is not supported`
 * ({@linkcode Unsupported}), never silently accepted.
 * Errors are {@linkcode UsageError}s carrying strace's message.
 * @module
 */

import type { XlatStyle } from "../../decoders/api.ts";
import { SORT_KEYS, summaryColumn } from "../output/summary.ts";
import { type ColorMode, parseColorMode } from "../output/color.ts";
import { effectiveUid, lookupUser, type UserCreds } from "./command.ts";
import {
  inTokenSet as inSet,
  qualifyTokens,
  stringToUint,
  Unsupported,
  UsageError,
} from "./usage_error.ts";

export { Unsupported, UsageError } from "./usage_error.ts";

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
  /** `-O`: the overhead (µs) subtracted from each call's time in the summary (never below 0). */
  overhead: number;
  /** `-U`: summary columns. */
  summaryColumns?: string[];
  /** `-e` expressions (trace, abbrev, verbose, raw, signal, status, read, write), in order. */
  exprs: string[];
  /** `-E` assignments (`VAR=VAL`) and removals (`VAR`), in order. */
  env: string[];
  /** `-f` count: 1 follow, 2 follow with separate files (`-ff`). */
  follow: number;
  /** Output into one file per process (`-ff` or `--output-separately`, with `-o`). */
  separately: boolean;
  /** `-o`: output file. */
  output?: string;
  /** `-p`: pids to attach. */
  pids: number[];
  /** `-P`: paths to trace. */
  paths: string[];
  /**
   * Quiet level: 1 no attach/detach messages (`-q`, and the default with `-o FILE PROG`),
   * 2 no exit status either (`-qq`), 3 all (`-qqq`).
   */
  quiet: number;
  /** `-r`: relative timestamps. */
  relative: boolean;
  /** Absolute timestamps: 1 `-t`, 2 `-tt`, 3 `-ttt`. */
  timestamps: number;
  /** `-T`: syscall times. */
  syscallTimes: boolean;
  /** `-s`: string limit. */
  strsize: number;
  /** `-u`: user name. */
  user?: string;
  /** `-u`: the user's credentials (looked up while parsing, as strace does). */
  userCreds?: UserCreds;
  /** `-v`. */
  verbose: boolean;
  /** `-x`: 1 non-ASCII strings in hex, 2 all strings. */
  hexStrings: number;
  /** `-X`. */
  xlat: XlatStyle;
  /** `-y`: 1 paths, 2 all details (`-yy`). */
  decodeFds: number;
  /** `-z`. */
  successfulOnly: boolean;
  /** `-Z`. */
  failedOnly: boolean;
  /** `-n`: print syscall numbers. */
  syscallNumbers: boolean;
  /** `-i`: print instruction pointer. */
  instructionPointer: boolean;
  /** `--seccomp-bpf` (already cleared where strace disables it). */
  seccomp: boolean;
  /** `-k`: print the stack after each syscall and signal. */
  stackTraces: boolean;
  /** `--trace-fds=` (sctrace). */
  traceFds?: string;
  /** `--color=WHEN` (strace 7); absent means `auto`. */
  color?: ColorMode;
  /** `--proto[=list]`: protocol sniffers to enable (empty list = all). */
  proto?: string[];
  /** `--proto-filter EXPR`: which protocol messages and requests are shown (core/decode/proto_filter.ts). */
  protoFilter?: string;
  /** `--requests`: one block per request followed across tiers, instead of message lines. */
  requests?: boolean;
  /** `--no-tls`: with `--proto`, no breakpoints on OpenSSL (core/trace/tls). */
  noTls: boolean;
  /** `--plugin FILE`, repeatable. */
  plugins: string[];
  /** `--plugin-insecure`: load plugins even when their files could be changed by others. */
  pluginInsecure: boolean;
  /** `--json`/`--output-format=FORMAT` (sctrace): `text` (strace's lines) or `json` (JSON Lines). */
  format: "text" | "json";
  /** `--timeline FILE`, `--report FILE.html`, `--live` (sctrace's views, `core/output/views.ts`). */
  views: { timeline?: string; report?: string; live?: boolean };
  /** `-h`: parsing stopped there; print help. */
  help: boolean;
  /** `-V`: print the version (nothing else was checked after the option loop). */
  version: boolean;
  /** The command and its arguments. */
  command: string[];
}

/** What the parser reports as it goes, in strace's order. */
export interface ParseHooks {
  /**
   * Applies a filter expression (`trace=…`, `abbrev=`, `verbose=`, `raw=`, `signal=`, `status=`,
   * `read=`, `write=`) the moment it is met; throws {@linkcode UsageError} when it is invalid.
   */
  expr?: (expr: string) => void;
  /** Prints one of strace's non-fatal messages (`-S has no effect without -c`…). */
  warn?: (msg: string) => void;
}

/** The defaults. */
export function defaultOptions(): Options {
  return {
    column: 40,
    append: false,
    summary: 0,
    summaryWall: false,
    sortBy: "time",
    overhead: 0,
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
    noTls: false,
    plugins: [],
    pluginInsecure: false,
    format: "text",
    views: {},
    help: false,
    version: false,
    command: [],
  };
}

// ---- getopt_long ----

/** strace's optstring (the leading `+`: stop at the first non-option; `-+` is invalid). */
const OPTSTRING = "+a:Ab:cCdDe:E:fFhiI:kno:O:p:P:qrs:S:tTu:U:vVwxX:yYzZ";

/** A long option: name, argument (0 none, 1 required, 2 optional), value, exact-only. */
type LongOpt = readonly [name: string, hasArg: 0 | 1 | 2, val: string, exact?: boolean];

/** strace 6.1's `longopts`, in its order (the order of getopt's ambiguity messages), then ours. */
const LONGOPTS: readonly LongOpt[] = [
  ["columns", 1, "a"],
  ["output-append-mode", 0, "A"],
  ["detach-on", 1, "b"],
  ["summary-only", 0, "c"],
  ["summary", 0, "C"],
  ["debug", 0, "d"],
  ["daemonize", 2, "DAEMONIZE"],
  ["daemonised", 2, "DAEMONIZE"],
  ["daemonized", 2, "DAEMONIZE"],
  ["env", 1, "E"],
  ["follow-forks", 0, "FOLLOWFORKS"],
  ["output-separately", 0, "OUTPUT_SEPARATELY"],
  ["help", 0, "h"],
  ["instruction-pointer", 0, "i"],
  ["interruptible", 1, "I"],
  ["stack-traces", 0, "k"],
  ["syscall-number", 0, "n"],
  ["output", 1, "o"],
  ["summary-syscall-overhead", 1, "O"],
  ["attach", 1, "p"],
  ["trace-path", 1, "P"],
  ["relative-timestamps", 2, "r"],
  ["string-limit", 1, "s"],
  ["summary-sort-by", 1, "S"],
  ["absolute-timestamps", 2, "TS"],
  ["timestamps", 2, "TS"],
  ["syscall-times", 2, "T"],
  ["user", 1, "u"],
  ["summary-columns", 1, "U"],
  ["no-abbrev", 0, "v"],
  ["version", 0, "V"],
  ["summary-wall-clock", 0, "w"],
  ["strings-in-hex", 2, "HEX_STR"],
  ["const-print-style", 1, "X"],
  ["pidns-translation", 0, "PIDNS_TRANSLATION"],
  ["successful-only", 0, "z"],
  ["failed-only", 0, "Z"],
  ["failing-only", 0, "Z"],
  ["seccomp-bpf", 0, "SECCOMP"],
  ["tips", 2, "TIPS"],
  ["trace", 1, "QUAL_TRACE"],
  ["abbrev", 1, "QUAL_ABBREV"],
  ["verbose", 1, "QUAL_VERBOSE"],
  ["raw", 1, "QUAL_RAW"],
  ["signals", 1, "QUAL_SIGNAL"],
  ["status", 1, "QUAL_STATUS"],
  ["read", 1, "QUAL_READ"],
  ["write", 1, "QUAL_WRITE"],
  ["fault", 1, "QUAL_FAULT"],
  ["inject", 1, "QUAL_INJECT"],
  ["kvm", 1, "QUAL_KVM"],
  ["quiet", 2, "QUAL_QUIET"],
  ["silent", 2, "QUAL_QUIET"],
  ["silence", 2, "QUAL_QUIET"],
  ["decode-fds", 2, "QUAL_DECODE_FD"],
  ["decode-pids", 1, "QUAL_DECODE_PID"],
  ["secontext", 2, "QUAL_SECONTEXT"],
  // strace 7's; full name only, so that `--col` stays strace 6.1's `--columns`.
  ["color", 1, "COLOR", true],
  // sctrace's own: only their full names match.
  ["trace-fds", 1, "TRACE_FDS", true],
  ["proto", 2, "PROTO", true],
  ["proto-filter", 1, "PROTO_FILTER", true],
  ["requests", 0, "REQUESTS", true],
  ["plugin", 1, "PLUGIN", true],
  ["plugin-insecure", 0, "PLUGIN_INSECURE", true],
  ["json", 0, "JSON", true],
  ["output-format", 1, "OUTPUT_FORMAT", true],
  ["timeline", 1, "VIEW_TIMELINE", true],
  ["report", 1, "VIEW_REPORT", true],
  ["live", 0, "VIEW_LIVE", true],
  ["no-tls", 0, "NO_TLS", true],
];

/** One option as getopt_long returns it. */
interface Got {
  /** The short option character or the long option's value. */
  key: string;
  /** The long option's full name when the option was given in long form. */
  long?: string;
  /** Its argument (undefined when none was given). */
  arg?: string;
}

/** glibc's getopt_long over `argv` (without argv[0]), in `+` mode; calls `each` per option. */
function getoptLong(argv: readonly string[], each: (g: Got) => boolean): number {
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === "--") return i + 1;
    if (a.length < 2 || a[0] !== "-") return i;
    if (a[1] === "-") {
      i++;
      const body = a.slice(2);
      const eq = body.indexOf("=");
      const name = eq < 0 ? body : body.slice(0, eq);
      let found: LongOpt | undefined = LONGOPTS.find((o) => o[0] === name);
      if (!found) {
        let ambiguous: LongOpt[] | undefined;
        for (const o of LONGOPTS) {
          if (o[3] || !o[0].startsWith(name)) continue;
          if (!found) found = o;
          else if (found[1] !== o[1] || found[2] !== o[2]) {
            ambiguous ??= [found];
            ambiguous.push(o);
          }
        }
        if (ambiguous) {
          throw new UsageError(
            `option '--${body}' is ambiguous; possibilities:` +
              ambiguous.map((o) => ` '--${o[0]}'`).join(""),
          );
        }
      }
      if (!found) throw new UsageError(`unrecognized option '--${body}'`);
      let arg: string | undefined;
      if (eq >= 0) {
        if (found[1] === 0) {
          throw new UsageError(`option '--${found[0]}' doesn't allow an argument`);
        }
        arg = body.slice(eq + 1);
      } else if (found[1] === 1) {
        if (i >= argv.length) {
          throw new UsageError(`option '--${found[0]}' requires an argument`);
        }
        arg = argv[i++];
      }
      if (each({ key: found[2], long: found[0], arg })) return i;
      continue;
    }
    i++;
    for (let k = 1; k < a.length; k++) {
      const ch = a[k];
      const at = OPTSTRING.indexOf(ch);
      if (at < 1 || ch === ":") throw new UsageError(`invalid option -- '${ch}'`);
      if (OPTSTRING[at + 1] !== ":") {
        if (each({ key: ch })) return i;
        continue;
      }
      let arg = a.slice(k + 1);
      if (arg === "") {
        if (i >= argv.length) throw new UsageError(`option requires an argument -- '${ch}'`);
        arg = argv[i++];
      }
      if (each({ key: ch, arg })) return i;
      break;
    }
  }
  return i;
}

// ---- strace's argument parsers ----

/** `find_arg_val`: a case-insensitive lookup. */
function findArg<T>(arg: string, table: readonly (readonly [string, T])[]): T | undefined {
  const low = arg.toLowerCase();
  return table.find(([n]) => n.toLowerCase() === low)?.[1];
}

/** Time scales (`s`, `ms`, `us`, `ns`) as strace's `str2timescale`: nanoseconds per unit. */
const SCALES: readonly (readonly [string, number])[] = [
  ["s", 1e9],
  ["ms", 1e6],
  ["us", 1e3],
  ["ns", 1],
];

/** `str2timescale_optarg`: undefined → µs, empty or unknown → -1. */
function timescaleOptarg(arg: string | undefined): number {
  if (arg === undefined) return 1000;
  if (arg === "") return -1;
  return findArg(arg, SCALES) ?? -1;
}

/** `str2timescale_sfx`: empty → µs, unknown → -1. */
function timescaleSuffix(arg: string): number {
  if (arg === "") return 1000;
  return findArg(arg, SCALES) ?? -1;
}

/** strace's `parse_ts` (`-O`): the time in µs, or undefined when invalid. */
export function parseTs(s: string): number | undefined {
  const lead = /^[ \t\n\v\f\r]*/.exec(s)![0].length;
  const floatLen = /^[eE.\-+0-9]*/.exec(s)![0].length;
  const intLen = /^[+0-9]*/.exec(s)![0].length;
  let value: number;
  let rest: string;
  if (floatLen > intLen) {
    const body = s.slice(lead);
    const m = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(body);
    if (!m) return undefined;
    value = Number(m[0]);
    // strtod's ERANGE: overflow, or an underflow to zero or a denormal.
    const nonzero = /[1-9]/.test(m[1]);
    if (!Number.isFinite(value) || (nonzero && Math.abs(value) < 2.2250738585072014e-308)) {
      return undefined;
    }
    if (value < 0) return undefined;
    rest = body.slice(m[0].length);
  } else {
    const r = stringToUint(s, 9223372036854775807n, "smun");
    if (!r) return undefined;
    value = r.value;
    rest = r.rest;
  }
  const scale = timescaleSuffix(rest);
  if (scale <= 0) return undefined;
  return (value * scale) / 1000;
}

const QUIET: readonly (readonly [string, string])[] = [
  ["attach", "attach"],
  ["exit", "exit"],
  ["exits", "exit"],
  ["path-resolution", "path-resolution"],
  ["personality", "personality"],
  ["superseded", "thread-execve"],
  ["thread-execve", "thread-execve"],
];
const DECODE_FD: readonly (readonly [string, string])[] = [
  ["path", "path"],
  ["socket", "socket"],
  ["dev", "dev"],
  ["pidfd", "pidfd"],
];
const DECODE_PID: readonly (readonly [string, string])[] = [["pidns", "pidns"], ["comm", "comm"]];
const INTR: readonly (readonly [string, number])[] = [
  ["anywhere", 1],
  ["always", 1],
  ["waiting", 2],
  ["never", 3],
  ["never_tstp", 4],
];
const DAEMONIZE: readonly (readonly [string, number])[] = [
  ["grandchild", 1],
  ["pgroup", 2],
  ["pgrp", 2],
  ["session", 3],
];
const HEXSTR: readonly (readonly [string, number])[] = [
  ["none", 0],
  ["non-ascii-chars", 3],
  ["non-ascii", 1],
  ["all", 2],
];

/** `-e` qualifier names in strace's order (`qual_options`), with what they stand for. */
const QUALIFIERS: readonly (readonly [string, string])[] = [
  ["trace", "trace"],
  ["t", "trace"],
  ["abbrev", "abbrev"],
  ["a", "abbrev"],
  ["verbose", "verbose"],
  ["v", "verbose"],
  ["raw", "raw"],
  ["x", "raw"],
  ["signal", "signal"],
  ["signals", "signal"],
  ["s", "signal"],
  ["status", "status"],
  ["quiet", "quiet"],
  ["silent", "quiet"],
  ["silence", "quiet"],
  ["q", "quiet"],
  ["read", "read"],
  ["reads", "read"],
  ["r", "read"],
  ["write", "write"],
  ["writes", "write"],
  ["w", "write"],
  ["fault", "fault"],
  ["inject", "inject"],
  ["kvm", "kvm"],
  ["decode-fd", "decode-fds"],
  ["decode-fds", "decode-fds"],
  ["decode-pid", "decode-pids"],
  ["decode-pids", "decode-pids"],
  ["secontext", "secontext"],
];

/** Parser state that strace keeps in `init()`'s locals and globals. */
interface State {
  o: Options;
  hooks: ParseHooks;
  cflagOnly: boolean;
  xflag: number;
  xflagLong: number;
  qflagShort: number;
  quietSet?: { not: boolean; items: Set<string> };
  quietArg: string;
  decodeFdArg: string;
  followforkShort: number;
  followfork: boolean;
  outputSeparately: boolean;
  yflagShort: number;
  decodeFdSet?: { not: boolean; items: Set<string> };
  tflagShort: number;
  tflagLongSet: boolean;
  tflagFormat?: "time" | "unix" | "none";
  tflagScale: number;
  columnsSet: boolean;
  sortbySet: boolean;
  optF: boolean;
  zflags: number;
  rflag: boolean;
  version: boolean;
}

/** `error_opt_arg`: `invalid -X argument: 'V'` or `invalid --name argument: 'V'`, with the hint. */
function badArg(g: Got): never {
  throw new UsageError(
    g.long ? `invalid --${g.long} argument: '${g.arg}'` : `invalid -${g.key} argument: '${g.arg}'`,
  );
}

/** `process_opt_p_list`. */
function parsePids(value: string, o: Options): void {
  let rest = value;
  while (rest !== "") {
    const m = /[\n\t ,]/.exec(rest);
    const token = m ? rest.slice(0, m.index) : rest;
    const pid = stringToUint(token);
    if (!pid || pid.value <= 0) throw new UsageError(`Invalid process id: '${token}'`, false);
    if (pid.value === Deno.pid) {
      throw new UsageError("I'm sorry, I can't let you do that, Dave.", false);
    }
    o.pids.push(pid.value);
    if (!m) break;
    rest = rest.slice(m.index + 1);
  }
}

/** `qualify()`: one `-e` expression. */
function qualify(st: State, str: string): void {
  let key = "trace";
  let value = str;
  for (const [name, what] of QUALIFIERS) {
    if (str.startsWith(name) && str[name.length] === "=") {
      key = what;
      value = str.slice(name.length + 1);
      break;
    }
  }
  qualifyKey(st, key, value);
}

/** Applies qualifier `key` (canonical name) with `value`. */
function qualifyKey(st: State, key: string, value: string): void {
  const o = st.o;
  switch (key) {
    case "quiet":
      st.quietSet = qualifyTokens(value, (t) => findArg(t, QUIET), "quiet");
      st.quietArg = value;
      return;
    case "decode-fds":
      st.decodeFdSet = qualifyTokens(value, (t) => findArg(t, DECODE_FD), "decode-fds");
      st.decodeFdArg = value;
      return;
    case "decode-pids": {
      const set = qualifyTokens(value, (t) => findArg(t, DECODE_PID), "decode-pids");
      if (inSet(set, "pidns") || inSet(set, "comm")) {
        throw new Unsupported(`--decode-pids=${value}`);
      }
      return;
    }
    case "kvm":
      if (value !== "vcpu") throw new UsageError(`invalid -e kvm= argument: '${value}'`, false);
      throw new Unsupported("-e kvm=vcpu");
    case "secontext":
      throw new UsageError(
        "SELinux context printing (--secontext option) is not supported by this build of strace",
        false,
      );
    case "inject":
    case "fault":
      // Parsed (and its errors reported) by the `expr` hook, as every expression.
      break;
    case "status":
      o.successfulOnly = o.failedOnly = false;
      break;
    case "abbrev":
      o.verbose = false;
  }
  const expr = `${key}=${value}`;
  o.exprs.push(expr);
  st.hooks.expr?.(expr);
}

/** strace's `parse_ts_arg` (`--absolute-timestamps`); false when invalid. */
function parseTsArg(st: State, arg: string): boolean {
  let format: State["tflagFormat"];
  let scale = 0;
  for (let token of arg.split(",")) {
    if (token === "") continue;
    let types = 3; // 1 format, 2 precision
    if (token.toLowerCase().startsWith("format:")) {
      token = token.slice(7);
      types = 1;
    } else if (token.toLowerCase().startsWith("precision:")) {
      token = token.slice(10);
      types = 2;
    }
    if (types & 1) {
      const f = findArg(token, [["none", "none"], ["time", "time"], ["unix", "unix"]] as const);
      if (f) {
        format = f;
        continue;
      }
    }
    if (types & 2) {
      scale = timescaleOptarg(token);
      if (scale > 0) continue;
    }
    return false;
  }
  if (format === undefined) st.tflagFormat ??= "time";
  else st.tflagFormat = format;
  if (scale > 0) st.tflagScale = scale;
  return true;
}

/** strace's `parse_tips_arg` (`--tips`); the format, or undefined when invalid. */
function parseTipsArg(arg: string): string | undefined {
  let fmt = "compact";
  for (let token of arg.split(",")) {
    if (token === "") continue;
    let types = 3; // 1 id, 2 format
    if (token.toLowerCase().startsWith("id:")) {
      token = token.slice(3);
      types = 1;
    } else if (token.toLowerCase().startsWith("format:")) {
      token = token.slice(7);
      types = 2;
    }
    if ((types & 1) && (token.toLowerCase() === "random" || stringToUint(token))) continue;
    if (types & 2) {
      const f = findArg(token, [["none", "none"], ["compact", "compact"], ["full", "full"]]);
      if (f) {
        fmt = f;
        continue;
      }
    }
    return undefined;
  }
  return fmt;
}

/** `set_count_summary_columns` (`-U`). */
function summaryColumns(s: string): string[] {
  const canon = (name: string) => summaryColumn(name)!;
  const seen = new Set<string>();
  const out: string[] = [];
  let prev = s;
  for (;;) {
    const comma = prev.indexOf(",");
    const tok = comma < 0 ? prev : prev.slice(0, comma);
    const found = summaryColumn(tok) && summaryColumn(tok) !== "none" ? tok : undefined;
    if (!found) throw new UsageError(`unknown column name: '${tok}'`);
    if (seen.has(canon(found))) {
      throw new UsageError(
        `call summary column has been provided more than once: '${found}' ` +
          `(-U option residual: '${prev}')`,
      );
    }
    seen.add(canon(found));
    out.push(found);
    if (comma < 0) break;
    prev = prev.slice(comma + 1);
  }
  return out;
}

/** One option, as strace's `switch (c)` handles it. Returns true for `-h` (stop at once). */
function apply(st: State, g: Got): boolean {
  const o = st.o;
  const arg = g.arg;
  switch (g.key) {
    case "a": {
      const v = stringToUint(arg!);
      if (!v) badArg(g);
      o.column = v.value;
      break;
    }
    case "A":
      o.append = true;
      break;
    case "b":
      if (arg !== "execve") throw new UsageError(`Syscall '${arg}' for -b isn't supported`, false);
      throw new Unsupported("-b/--detach-on");
    case "c":
      if (o.summary === 2) {
        throw new UsageError("-c/--summary-only and -C/--summary are mutually exclusive");
      }
      o.summary = 1;
      st.cflagOnly = true;
      break;
    case "C":
      if (o.summary === 1) {
        throw new UsageError("-c/--summary-only and -C/--summary are mutually exclusive");
      }
      o.summary = 2;
      break;
    case "d":
      throw new Unsupported("-d/--debug");
    case "D":
      throw new Unsupported("-D/--daemonize");
    case "DAEMONIZE":
      if (arg !== undefined && findArg(arg, DAEMONIZE) === undefined) badArg(g);
      throw new Unsupported("-D/--daemonize");
    case "e":
      qualify(st, arg!);
      break;
    case "E":
      o.env.push(arg!);
      break;
    case "f":
      st.followforkShort++;
      break;
    case "FOLLOWFORKS":
      st.followfork = true;
      break;
    case "OUTPUT_SEPARATELY":
      st.outputSeparately = true;
      break;
    case "F":
      st.optF = true;
      break;
    case "h":
      o.help = true;
      return true;
    case "i":
      o.instructionPointer = true;
      break;
    case "I": {
      const v = findArg(arg!, INTR) ?? stringToUint(arg!, 4n)?.value;
      if (!v) badArg(g);
      throw new Unsupported("-I/--interruptible");
    }
    case "k":
      o.stackTraces = true;
      break;
    case "n":
      o.syscallNumbers = true;
      break;
    case "o":
      o.output = arg;
      break;
    case "O": {
      const v = parseTs(arg!);
      if (v === undefined) badArg(g);
      o.overhead = v;
      break;
    }
    case "p":
      parsePids(arg!, o);
      break;
    case "P":
      o.paths.push(arg!);
      break;
    case "q":
      st.qflagShort++;
      break;
    case "r": {
      const scale = timescaleOptarg(arg);
      if (scale < 0) badArg(g);
      if (scale !== 1000) throw new Unsupported(`--relative-timestamps=${arg}`);
      o.relative = st.rflag = true;
      break;
    }
    case "s": {
      const v = stringToUint(arg!);
      if (!v || v.value > 1073741823) badArg(g);
      o.strsize = v.value;
      break;
    }
    case "S":
      if (!SORT_KEYS.includes(arg!)) throw new UsageError(`invalid sortby: '${arg}'`);
      o.sortBy = arg!;
      st.sortbySet = true;
      break;
    case "t":
      st.tflagShort++;
      break;
    case "TS":
      st.tflagLongSet = true;
      if (!parseTsArg(st, arg ?? "format:time")) badArg(g);
      break;
    case "T": {
      const scale = timescaleOptarg(arg);
      if (scale < 0) badArg(g);
      if (scale !== 1000) throw new Unsupported(`--syscall-times=${arg}`);
      o.syscallTimes = true;
      break;
    }
    case "u":
      o.user = arg;
      break;
    case "U":
      st.columnsSet = true;
      o.summaryColumns = summaryColumns(arg!);
      break;
    case "v":
      // strace's -v is `abbrev=none`: a later `-e abbrev=` overrides it.
      qualifyKey(st, "abbrev", "none");
      o.verbose = true;
      break;
    case "V":
      st.version = true;
      break;
    case "w":
      o.summaryWall = true;
      break;
    case "x":
      st.xflag = Math.min(st.xflag + 1, 2);
      break;
    case "HEX_STR": {
      const v = arg === undefined ? 2 : findArg(arg, HEXSTR);
      if (v === undefined) badArg(g);
      if (v === 3) throw new Unsupported("--strings-in-hex=non-ascii-chars");
      st.xflagLong = v;
      break;
    }
    case "X":
      if (arg !== "raw" && arg !== "abbrev" && arg !== "verbose") badArg(g);
      o.xlat = arg;
      break;
    case "y":
      st.yflagShort++;
      break;
    case "Y":
      throw new Unsupported("-Y/--decode-pids=comm");
    case "PIDNS_TRANSLATION":
      throw new Unsupported("--pidns-translation");
    case "z":
      o.successfulOnly = true;
      o.failedOnly = false;
      st.zflags++;
      break;
    case "Z":
      o.failedOnly = true;
      o.successfulOnly = false;
      st.zflags++;
      break;
    case "SECCOMP":
      o.seccomp = true;
      break;
    case "TIPS": {
      const fmt = parseTipsArg(arg ?? "");
      if (fmt === undefined) badArg(g);
      if (fmt !== "none") throw new Unsupported("--tips");
      break;
    }
    case "QUAL_SECONTEXT":
      qualifyKey(st, "secontext", arg ?? "!full,mismatch");
      break;
    case "QUAL_TRACE":
      qualifyKey(st, "trace", arg!);
      break;
    case "QUAL_ABBREV":
      qualifyKey(st, "abbrev", arg!);
      break;
    case "QUAL_VERBOSE":
      qualifyKey(st, "verbose", arg!);
      break;
    case "QUAL_RAW":
      qualifyKey(st, "raw", arg!);
      break;
    case "QUAL_SIGNAL":
      qualifyKey(st, "signal", arg!);
      break;
    case "QUAL_STATUS":
      qualifyKey(st, "status", arg!);
      break;
    case "QUAL_READ":
      qualifyKey(st, "read", arg!);
      break;
    case "QUAL_WRITE":
      qualifyKey(st, "write", arg!);
      break;
    case "QUAL_FAULT":
      qualifyKey(st, "fault", arg!);
      break;
    case "QUAL_INJECT":
      qualifyKey(st, "inject", arg!);
      break;
    case "QUAL_KVM":
      qualifyKey(st, "kvm", arg!);
      break;
    case "QUAL_QUIET":
      qualifyKey(st, "quiet", arg ?? "attach,personality");
      break;
    case "QUAL_DECODE_FD":
      qualifyKey(st, "decode-fds", arg ?? "path");
      break;
    case "QUAL_DECODE_PID":
      qualifyKey(st, "decode-pids", arg!);
      break;
    case "COLOR":
      o.color = parseColorMode(arg!) ?? badArg(g);
      break;
    case "TRACE_FDS":
      o.traceFds = arg;
      break;
    case "PROTO":
      o.proto = arg ? arg.split(",").filter((s) => s) : [];
      break;
    case "PLUGIN":
      o.plugins.push(arg!);
      break;
    case "PROTO_FILTER":
      o.protoFilter = arg!;
      o.proto ??= [];
      break;
    case "REQUESTS":
      o.requests = true;
      o.proto ??= [];
      break;
    case "PLUGIN_INSECURE":
      o.pluginInsecure = true;
      break;
    case "JSON":
      o.format = "json";
      break;
    case "OUTPUT_FORMAT":
      if (arg !== "text" && arg !== "json") badArg(g);
      o.format = arg;
      break;
    case "VIEW_TIMELINE":
      o.views.timeline = arg;
      break;
    case "VIEW_REPORT":
      o.views.report = arg;
      break;
    case "VIEW_LIVE":
      o.views.live = true;
      break;
    case "NO_TLS":
      o.noTls = true;
      break;
  }
  return false;
}

/** The quiet level a `-e quiet=` set stands for, or undefined when sctrace cannot honour it. */
function quietLevel(set: { not: boolean; items: Set<string> }): number | undefined {
  const a = inSet(set, "attach"), e = inSet(set, "exit"), t = inSet(set, "thread-execve");
  if (!a) return e || t ? undefined : 0;
  if (!e) return t ? undefined : 1;
  return t ? 3 : 2;
}

/** The `-y` level a `-e decode-fds=` set stands for, or undefined when sctrace cannot honour it. */
function decodeFdsLevel(set: { not: boolean; items: Set<string> }): number | undefined {
  const has = DECODE_FD.map(([n]) => inSet(set, n));
  if (has.every((h) => h)) return 2;
  if (has.every((h, i) => h === (i === 0))) return 1;
  if (has.every((h) => !h)) return 0;
  return undefined;
}

/**
 * Parses strace-style arguments as strace 6.1 does: options up to the first non-option (getopt's
 * `+` mode), each checked when met, then strace's checks after the loop in its order. `-h` stops
 * the parse (`help` set); `-V` skips the checks after the loop (`version` set). Trailing
 * all-numeric arguments after `-p` are taken as more pids (`-p $(pgrep x)`, an sctrace extension).
 */
export function parseArgs(argv: readonly string[], hooks: ParseHooks = {}): Options {
  const o = defaultOptions();
  const warn = hooks.warn ?? (() => {});
  const st: State = {
    o,
    hooks,
    cflagOnly: false,
    xflag: 0,
    xflagLong: -1,
    qflagShort: 0,
    quietArg: "",
    decodeFdArg: "",
    followforkShort: 0,
    followfork: false,
    outputSeparately: false,
    yflagShort: 0,
    tflagShort: 0,
    tflagLongSet: false,
    tflagScale: 1e9,
    columnsSet: false,
    sortbySet: false,
    optF: false,
    zflags: 0,
    rflag: false,
    version: false,
  };
  const end = getoptLong(argv, (g) => apply(st, g));
  if (o.help) return o;
  if (st.version) {
    o.version = true;
    return o;
  }
  let rest = argv.slice(end);
  if (o.pids.length && rest.length && rest.every((a) => /^[0-9]+$/.test(a))) {
    for (const a of rest) parsePids(a, o);
    rest = [];
  }
  o.command = [...rest];
  if (!o.pids.length && !o.command.length) {
    throw new UsageError("must have PROG [ARGS] or -p PID");
  }
  if (st.tflagShort) {
    if (st.tflagLongSet) {
      throw new UsageError("-t and --absolute-timestamps cannot be provided simultaneously", false);
    }
    st.tflagFormat = st.tflagShort === 1 ? "time" : st.tflagShort === 2 ? "time" : "unix";
    if (st.tflagShort >= 2) st.tflagScale = 1000;
  }
  if (st.tflagFormat && st.tflagFormat !== "none") {
    const level = st.tflagFormat === "time"
      ? (st.tflagScale === 1e9 ? 1 : st.tflagScale === 1000 ? 2 : 0)
      : (st.tflagScale === 1000 ? 3 : 0);
    if (!level) {
      const unit = SCALES.find(([, v]) => v === st.tflagScale)![0];
      throw new Unsupported(`--absolute-timestamps=${st.tflagFormat},${unit}`);
    }
    o.timestamps = level;
  }
  if (st.xflagLong >= 0) {
    if (st.xflag) {
      throw new UsageError("-x and --strings-in-hex cannot be provided simultaneously", false);
    }
    o.hexStrings = st.xflagLong;
  } else o.hexStrings = st.xflag;
  if (st.yflagShort) {
    if (st.decodeFdSet) {
      throw new UsageError("-y and --decode-fds cannot be provided simultaneously", false);
    }
    o.decodeFds = Math.min(st.yflagShort, 2);
  } else if (st.decodeFdSet) {
    const level = decodeFdsLevel(st.decodeFdSet);
    if (level === undefined) throw new Unsupported(`--decode-fds=${st.decodeFdArg}`);
    o.decodeFds = level;
  }
  if (st.followforkShort) {
    if (st.followfork) {
      throw new UsageError("-f and --follow-forks cannot be provided simultaneously", false);
    } else if (st.followforkShort >= 2 && st.outputSeparately) {
      throw new UsageError("-ff and --output-separately cannot be provided simultaneously", false);
    }
    st.followfork = true;
    st.outputSeparately = st.followforkShort >= 2;
  }
  if (o.seccomp) {
    if (o.pids.length && !o.command.length) {
      warn("--seccomp-bpf is not enabled for processes attached with -p");
    }
    if (!st.followfork) {
      warn("--seccomp-bpf cannot be used without -f/--follow-forks, disabling");
      o.seccomp = false;
    }
  }
  if (st.optF) {
    if (st.followfork) warn("deprecated option -F ignored");
    else {
      warn("option -F is deprecated, please use -f/--follow-forks instead");
      st.followfork = true;
    }
  }
  if (st.outputSeparately && o.summary) {
    throw new UsageError(
      "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive",
    );
  }
  if (o.summaryWall && !o.summary) {
    throw new UsageError(
      "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)",
    );
  }
  if (st.columnsSet && !o.summary) {
    throw new UsageError(
      "-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)",
    );
  }
  if (st.sortbySet && !o.summary) {
    warn("-S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)");
  }
  if (st.cflagOnly) {
    const only = "with -c/--summary-only";
    if (o.instructionPointer) warn(`-i/--instruction-pointer has no effect ${only}`);
    if (o.stackTraces) warn(`-k/--stack-traces has no effect ${only}`);
    if (o.syscallNumbers) warn(`-n/--syscall-number has no effect ${only}`);
    if (st.rflag) warn(`-r/--relative-timestamps has no effect ${only}`);
    if (st.tflagFormat && st.tflagFormat !== "none") {
      warn(`-t/--absolute-timestamps has no effect ${only}`);
    }
    if (o.syscallTimes) warn(`-T/--syscall-times has no effect ${only}`);
    if (o.decodeFds) warn(`-y/--decode-fds has no effect ${only}`);
  }
  if (o.output === undefined) {
    if (st.outputSeparately && !st.followfork) {
      warn("--output-separately has no effect without -o/--output");
    }
    if (o.append) warn("-A/--output-append-mode has no effect without -o/--output");
  }
  if (st.zflags > 1) {
    warn(
      "Only the last of -z/--successful-only/-Z/--failed-only options will take effect. " +
        "See status qualifier for more complex filters.",
    );
  }
  if (o.user !== undefined) {
    if (Deno.uid() !== 0 || effectiveUid() !== 0) {
      throw new UsageError("You must be root to use the -u/--username option", false);
    }
    o.userCreds = lookupUser(o.user);
    if (!o.userCreds) throw new UsageError(`Cannot find user '${o.user}'`, false);
  }
  if (o.output !== undefined) {
    if ((o.output[0] === "|" || o.output[0] === "!") && st.outputSeparately) {
      throw new UsageError("piping the output and -ff/--output-separately are mutually exclusive");
    }
  } else st.outputSeparately = false;
  o.follow = st.followfork ? (st.followforkShort >= 2 ? 2 : 1) : 0;
  o.separately = st.outputSeparately;
  let qflag = st.qflagShort;
  if (o.output !== undefined && o.command.length && !qflag && !st.quietSet) qflag = 1;
  if (qflag) {
    if (st.quietSet) {
      throw new UsageError("-q and -e quiet/--quiet cannot be provided simultaneously", false);
    }
    o.quiet = Math.min(qflag, 3);
  } else if (st.quietSet) {
    const level = quietLevel(st.quietSet);
    if (level === undefined) {
      throw new Unsupported(`--quiet=${st.quietArg}`);
    }
    o.quiet = level;
  }
  return o;
}
