/**
 * `-e` qualifying expressions (strace's filter_qualify): `trace=`, `signal=`, `status=`,
 * `abbrev=`, `verbose=`, `raw=`, `read=`, `write=`, `quiet=`, `decode-fds=`, and the bare
 * `-e SET` form that means `trace=SET`.
 * @module
 */

import {
  inClass,
  LEGACY_TRACE_CLASSES,
  NSYSCALLS,
  syscallByName,
  syscallByNr,
  TRACE_CLASSES,
} from "../../decoders/syscall_table.ts";
import { signals, SIGRTMAX, SIGRTMIN } from "../../decoders/xlat/signals.ts";
import { inTokenSet, qualifyTokens, stringToUint, UsageError } from "./usage_error.ts";
import { posixRegex } from "./posix_regex.ts";
import { InjectTable } from "../trace/inject.ts";

/** The status classes of `-e status=`. */
export type Status = "successful" | "failed" | "unfinished" | "unavailable" | "detached";

/** What the `-e` expressions selected. */
export interface Filters {
  /** Syscall numbers traced (index by number; unknown numbers are always traced). */
  trace: Uint8Array;
  /** Whether `trace=` was given at all. */
  traceGiven: boolean;
  /** Signals printed (index by number). */
  signals: Uint8Array;
  /** Statuses printed. */
  status: Set<Status>;
  /** Syscalls printed raw (`-e raw=`). */
  raw: Uint8Array;
  /** Syscalls abbreviated (`-e abbrev=`); default all. */
  abbrev: Uint8Array;
  /** Syscalls printed verbosely (`-e verbose=`); default all. */
  verbose: Uint8Array;
  /** Descriptors whose reads are hex-dumped (`-e read=`). */
  readFds: Set<number>;
  /** Descriptors whose writes are hex-dumped (`-e write=`). */
  writeFds: Set<number>;
  /** Quiet message kinds (`-e quiet=`). */
  quiet: Set<string>;
  /** Decode-fds kinds (`-e decode-fds=`). */
  decodeFds: Set<string>;
  /** `-e inject=` / `-e fault=` rules, when any were given. */
  inject?: InjectTable;
}

const SIZE = NSYSCALLS + 1;

/** Filters with strace's defaults: everything traced and printed. */
export function defaultFilters(): Filters {
  return {
    trace: new Uint8Array(SIZE).fill(1),
    traceGiven: false,
    signals: new Uint8Array(65).fill(1),
    status: new Set<Status>(["successful", "failed", "unfinished", "unavailable", "detached"]),
    raw: new Uint8Array(SIZE),
    abbrev: new Uint8Array(SIZE).fill(1),
    verbose: new Uint8Array(SIZE).fill(1),
    readFds: new Set(),
    writeFds: new Set(),
    quiet: new Set(),
    decodeFds: new Set(),
  };
}

/** Splits `[!]a,b,c` into its negation and elements (`-e quiet=`, `-e decode-fds=` sets). */
function splitSet(value: string): { negate: boolean; items: string[] } {
  let v = value;
  let negate = false;
  while (v.startsWith("!")) {
    negate = !negate;
    v = v.slice(1);
  }
  return { negate, items: v.split(",") };
}

/** strace's syscall classes (`qualify_syscall_class`): case-sensitive, `%`-names and legacy ones. */
function classBits(name: string): number | undefined {
  if (name === "all") return 0;
  if (name.startsWith("%")) {
    const bits = TRACE_CLASSES[name.slice(1)];
    return bits !== undefined && name.slice(1) !== "" ? bits : undefined;
  }
  return LEGACY_TRACE_CLASSES.includes(name) ? TRACE_CLASSES[name] : undefined;
}

/** Adds the syscalls `name` stands for to `set` (strace's `qualify_syscall_pers`); false if none. */
function addSyscalls(name: string, set: Uint8Array): boolean {
  if (name[0] >= "0" && name[0] <= "9") {
    const nr = stringToUint(name)?.value ?? -1;
    if (nr < 0 || nr >= NSYSCALLS) return false;
    set[nr] = 1;
    return true;
  }
  if (name.startsWith("/")) {
    const re = posixRegex(name.slice(1));
    if (typeof re !== "function") {
      throw new UsageError(`regcomp: ${name.slice(1)}: ${re.error}`, false);
    }
    let found = false;
    for (let nr = 0; nr < NSYSCALLS; nr++) {
      const info = syscallByNr(nr);
      if (info && re(info.name)) {
        set[nr] = 1;
        found = true;
      }
    }
    return found;
  }
  const bits = classBits(name);
  if (bits !== undefined) {
    for (let nr = 0; nr < NSYSCALLS; nr++) {
      const info = syscallByNr(nr);
      if (info && inClass(info, bits)) set[nr] = 1;
    }
    return true;
  }
  const info = syscallByName(name);
  if (info) set[info.nr] = 1;
  return info !== undefined;
}

/** The personality designators of x86_64 strace (`@64`, `@32`, `@x32`). */
const PERSONALITIES = ["64", "32", "x32"];

/**
 * Parses a syscall set into a membership array, as strace's `qualify_syscall_tokens`: leading
 * `!`s invert, `all`/`none` as the whole set, then comma-separated tokens (empty ones skipped),
 * each with optional leading `?`s (no error when it matches nothing) and `@64`/`@32`/`@x32`.
 */
export function parseSyscallSet(value: string): Uint8Array {
  let s = value;
  let negate = false;
  while (s.startsWith("!")) {
    negate = !negate;
    s = s.slice(1);
  }
  const set = new Uint8Array(SIZE);
  if (s === "all") set.fill(1);
  else if (s !== "none") {
    let done = false;
    for (const raw of s.split(",")) {
      if (raw === "") continue;
      let token = raw;
      let rc = false;
      while (token.startsWith("?")) {
        token = token.slice(1);
        rc = true;
      }
      const at = token.lastIndexOf("@");
      if (at >= 0) {
        const des = token.slice(at + 1);
        if (!PERSONALITIES.includes(des)) {
          throw new UsageError(
            `incorrect personality designator '${des}' in qualification '${token}'`,
          );
        }
        token = token.slice(0, at);
      }
      done = addSyscalls(token, set) || rc;
      if (!done) throw new UsageError(`invalid system call '${raw}'`, false);
    }
    if (!done) throw new UsageError(`invalid system call '${value}'`, false);
  }
  if (negate) { for (let i = 0; i < SIZE; i++) set[i] ^= 1; }
  return set;
}

/** A signal as strace's `sigstr_to_uint`: 0..255, or a name with or without `SIG`, any case. */
function signalNumber(s: string): number | undefined {
  if (s[0] >= "0" && s[0] <= "9") return stringToUint(s, 255n)?.value;
  const name = (s.toUpperCase().startsWith("SIG") ? s.slice(3) : s).toUpperCase();
  if (name === "RTMIN") return SIGRTMIN;
  const rt = /^RT_([0-9]+)$/.exec(name);
  if (rt && String(Number(rt[1])) === rt[1] && SIGRTMIN + Number(rt[1]) <= SIGRTMAX) {
    return SIGRTMIN + Number(rt[1]);
  }
  const n = signals.byName.get("SIG" + name);
  return n !== undefined && signals.byValue.get(n) === "SIG" + name ? n : undefined;
}

function parseSignalSet(value: string): Uint8Array {
  const t = qualifyTokens(value, signalNumber, "signal");
  const set = new Uint8Array(65);
  for (let i = 0; i < set.length; i++) set[i] = inTokenSet(t, i) ? 1 : 0;
  return set;
}

const STATUSES: Status[] = ["successful", "failed", "unfinished", "unavailable", "detached"];

function parseStatusSet(value: string): Set<Status> {
  const t = qualifyTokens(
    value,
    (s) => STATUSES.find((x) => x === s.toLowerCase()),
    "status",
  );
  return new Set(STATUSES.filter((s) => inTokenSet(t, s)));
}

function parseFdSet(value: string): Set<number> {
  const t = qualifyTokens(value, (s) => stringToUint(s)?.value, "descriptor");
  const set = new Set<number>();
  for (let i = 0; i < 1024; i++) if (inTokenSet(t, i)) set.add(i);
  return set;
}

/** Applies one `-e` expression to `f`. */
export function applyExpression(f: Filters, expr: string): void {
  const m = /^([a-z-]+)=(.*)$/s.exec(expr);
  const key = m ? m[1] : "trace";
  const value = m ? m[2] : expr;
  switch (key) {
    case "trace":
    case "t":
      f.trace = parseSyscallSet(value);
      f.traceGiven = true;
      break;
    case "signal":
    case "signals":
    case "s":
      f.signals = parseSignalSet(value);
      break;
    case "status":
      f.status = parseStatusSet(value);
      break;
    case "abbrev":
    case "a":
      f.abbrev = parseSyscallSet(value);
      break;
    case "verbose":
    case "v":
      f.verbose = parseSyscallSet(value);
      break;
    case "raw":
    case "x":
      f.raw = parseSyscallSet(value);
      break;
    case "read":
    case "reads":
    case "r":
      f.readFds = parseFdSet(value);
      break;
    case "write":
    case "writes":
    case "w":
      f.writeFds = parseFdSet(value);
      break;
    case "quiet":
    case "silent":
    case "silence":
    case "q":
      f.quiet = new Set(splitSet(value).items);
      break;
    case "decode-fds":
    case "decode-fd":
      f.decodeFds = new Set(splitSet(value).items);
      break;
    case "inject":
    case "fault":
      f.inject ??= new InjectTable();
      f.inject.add(value, key === "fault", parseSyscallSet);
      break;
    case "kvm":
      throw new UsageError(`-e ${key} is not supported by sctrace yet`, false);
    default:
      // strace treats an unknown qualifier as a syscall set of the whole expression.
      f.trace = parseSyscallSet(expr);
      f.traceGiven = true;
  }
}
