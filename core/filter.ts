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
} from "../decoders/syscall_table.ts";
import { signals } from "../decoders/xlat/signals.ts";
import { UsageError } from "./options.ts";
import { InjectTable } from "./inject.ts";

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

/** Splits `[!]a,b,c` into its negation and elements. */
function splitSet(value: string): { negate: boolean; items: string[] } {
  let v = value;
  let negate = false;
  while (v.startsWith("!")) {
    negate = !negate;
    v = v.slice(1);
  }
  return { negate, items: v.split(",") };
}

/** Parses a syscall set into a membership array. */
export function parseSyscallSet(value: string): Uint8Array {
  const { negate, items } = splitSet(value);
  const set = new Uint8Array(SIZE);
  for (let raw of items) {
    let optional = false;
    if (raw.startsWith("?")) {
      optional = true;
      raw = raw.slice(1);
    }
    const item = raw.replace(/@(64|32|x32)$/, "");
    if (item === "all") set.fill(1);
    else if (item === "none") set.fill(0);
    else if (item.startsWith("/")) {
      let re: RegExp;
      try {
        re = new RegExp(item.slice(1));
      } catch {
        throw new UsageError(`regcomp: ${item.slice(1)}: Invalid regular expression`, false);
      }
      let found = false;
      for (let nr = 0; nr < NSYSCALLS; nr++) {
        const info = syscallByNr(nr);
        if (info && re.test(info.name)) {
          set[nr] = 1;
          found = true;
        }
      }
      if (!found && !optional) throw new UsageError(`invalid system call '${raw}'`, false);
    } else if (
      item.startsWith("%") || LEGACY_TRACE_CLASSES.includes(item.toLowerCase())
    ) {
      const cls = item.startsWith("%") ? item.slice(1).toLowerCase() : item.toLowerCase();
      const bits = TRACE_CLASSES[cls];
      if (bits === undefined) {
        if (optional) continue;
        throw new UsageError(`invalid system call '${raw}'`, false);
      }
      for (let nr = 0; nr < NSYSCALLS; nr++) {
        const info = syscallByNr(nr);
        if (info && inClass(info, bits)) set[nr] = 1;
      }
    } else {
      const info = syscallByName(item);
      if (info) set[info.nr] = 1;
      else if (/^[0-9]+$/.test(item) && Number(item) < NSYSCALLS) set[Number(item)] = 1;
      else if (!optional) throw new UsageError(`invalid system call '${raw}'`, false);
    }
  }
  if (negate) { for (let i = 0; i < SIZE; i++) set[i] ^= 1; }
  return set;
}

function parseSignalSet(value: string): Uint8Array {
  const { negate, items } = splitSet(value);
  const set = new Uint8Array(65);
  for (const item of items) {
    if (item === "all") set.fill(1);
    else if (item === "none") set.fill(0);
    else {
      let n: number | undefined;
      if (/^[0-9]+$/.test(item)) n = Number(item);
      else {
        const upper = item.toUpperCase();
        n = signals.byName.get(upper.startsWith("SIG") ? upper : "SIG" + upper);
      }
      if (n === undefined || n < 1 || n > 64) {
        throw new UsageError(`invalid signal '${item}'`, false);
      }
      set[n] = 1;
    }
  }
  if (negate) { for (let i = 0; i < set.length; i++) set[i] ^= 1; }
  return set;
}

const STATUSES: Status[] = ["successful", "failed", "unfinished", "unavailable", "detached"];

function parseStatusSet(value: string): Set<Status> {
  const { negate, items } = splitSet(value);
  let set = new Set<Status>();
  for (const item of items) {
    if (item === "all") STATUSES.forEach((s) => set.add(s));
    else if (item === "none") set.clear();
    else if ((STATUSES as string[]).includes(item)) set.add(item as Status);
    else throw new UsageError(`invalid status '${item}'`, false);
  }
  if (negate) set = new Set(STATUSES.filter((s) => !set.has(s)));
  return set;
}

function parseFdSet(value: string): Set<number> {
  const { negate, items } = splitSet(value);
  const set = new Set<number>();
  for (const item of items) {
    if (item === "all") { for (let i = 0; i < 1024; i++) set.add(i); }
    else if (item === "none") set.clear();
    else if (/^[0-9]+$/.test(item)) set.add(Number(item));
    else throw new UsageError(`invalid descriptor '${item}'`, false);
  }
  if (negate) {
    const out = new Set<number>();
    for (let i = 0; i < 1024; i++) if (!set.has(i)) out.add(i);
    return out;
  }
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
