/**
 * Syscall tampering (`-e inject=` and `-e fault=`), with strace 6.1's syntax, semantics and
 * messages (filter_qualify.c, syscall.c, delay.c, poke.c):
 *
 * ```
 * -e inject=SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=SYSCALL]
 *              [:delay_enter=DELAY][:delay_exit=DELAY][:poke_enter=@argN=HEX,…][:poke_exit=…]
 *              [:when=FIRST[..LAST][+[STEP]]]
 * -e fault=SET[:error=ERRNO][:when=WHEN]          (default error: ENOSYS)
 * ```
 *
 * This module parses expressions into per-syscall {@linkcode InjectRule}s and decides, at each
 * syscall entry of each tracee, whether the rule fires (strace's `when` counters are per thread,
 * copied from the rule on the thread's first traced call). Applying the decision to a stopped
 * tracee's registers and memory is {@linkcode ../ffi/tamper.ts}' job, done by the tracer.
 * @module
 */

import { errnoByName } from "../../decoders/errno.ts";
import { NSYSCALLS, PU, syscallByName } from "../../decoders/syscall_table.ts";
import { signals } from "../../decoders/xlat/signals.ts";
import { UsageError } from "../cli/usage_error.ts";

/** strace's `INJECT_LAST_INF`: no last occurrence. */
const LAST_INF = 0xffff;
/** strace's `MAX_ERRNO_VALUE`. */
const MAX_ERRNO = 4095;
const U64_MAX = (1n << 64n) - 1n;

/** Bytes written into the tracee's memory at an argument's address (`poke_enter=@arg1=abcd`). */
export interface Poke {
  /** Argument number, 1 to 7. */
  arg: number;
  /** The bytes. */
  data: Uint8Array;
}

/** What happens to a syscall when its rule fires. */
export interface InjectRule {
  /** First occurrence that fires (1-based; strace's `first`). */
  first: number;
  /** Last occurrence that fires, or 0xffff for none (strace's `last`). */
  last: number;
  /** Fire every STEP-th occurrence after the first (0: only once). */
  step: number;
  /** Fail the call with this errno (`error=` / `fault=`). */
  error?: number;
  /** Make the call succeed with this value (`retval=`). */
  retval?: bigint;
  /** Deliver this signal at entry (`signal=`). */
  signal?: number;
  /** Run this (pure) syscall instead (`syscall=`), rather than skipping the call. */
  syscall?: number;
  /** Delay before the call runs, µs (`delay_enter=`). */
  delayEnterUs?: number;
  /** Delay after it returns, µs (`delay_exit=`). */
  delayExitUs?: number;
  /** Memory written at entry (`poke_enter=`). */
  pokeEnter?: Poke[];
  /** Memory written at exit (`poke_exit=`). */
  pokeExit?: Poke[];
}

/** One thread's `when` counters for one syscall (strace copies the rule's per tcb). */
export interface InjectCounter {
  /** Occurrences left before the next firing. */
  first: number;
  /** Occurrences left before the rule stops firing (0xffff: never). */
  last: number;
}

/** Everything `-e inject=`/`-e fault=` asked for, by syscall number. */
export class InjectTable {
  /** The rule of each syscall number (undefined: not injected). */
  readonly rules: (InjectRule | undefined)[] = new Array(NSYSCALLS + 1);
  /** Whether any rule was given. */
  any = false;
  /** strace's parse-time warnings (`Inadvertent injection of error …`), to print once. */
  readonly warnings: string[] = [];

  /** Parses one expression (`fault` restricts the tokens and defaults to ENOSYS). */
  add(expr: string, fault: boolean, parseSet: (set: string) => Uint8Array): void {
    const what = fault ? "fault argument" : "inject argument";
    const bad = () => new UsageError(`invalid ${what} '${expr}'`, false);
    const rule: InjectRule = { first: 1, last: LAST_INF, step: 1 };
    let name = "";
    if (expr !== "" && !expr.startsWith(":")) {
      // strtok semantics: empty tokens between colons are skipped.
      const tokens = expr.split(":").filter((t) => t !== "");
      name = tokens[0];
      for (const token of tokens.slice(1)) {
        if (!parseToken(token, rule, fault)) throw bad();
      }
    }
    const set = parseSet(name);
    if (
      rule.error === undefined && rule.retval === undefined && rule.signal === undefined &&
      rule.delayEnterUs === undefined && rule.delayExitUs === undefined &&
      rule.pokeEnter === undefined && rule.pokeExit === undefined
    ) {
      if (!fault) throw bad();
      rule.error = 38; // ENOSYS
    }
    const warning = inadvertentWarning(rule);
    if (warning) this.warnings.push(warning);
    for (let nr = 0; nr < set.length && nr < this.rules.length; nr++) {
      if (set[nr]) {
        this.rules[nr] = rule;
        this.any = true;
      }
    }
  }

  /**
   * Counts one traced entry of syscall `nr` by a thread (its `counters`), and returns the rule if
   * it fires on this occurrence.
   */
  fire(counters: Map<number, InjectCounter>, nr: number): InjectRule | undefined {
    const rule = nr >= 0 ? this.rules[nr] : undefined;
    if (!rule) return undefined;
    let c = counters.get(nr);
    if (!c) {
      c = { first: rule.first, last: rule.last };
      counters.set(nr, c);
    }
    if (c.first === 0 || c.last === 0) return undefined;
    if (c.last !== LAST_INF) c.last--;
    c.first--;
    if (c.first !== 0) return undefined;
    c.first = rule.step;
    return rule;
  }
}

/** strace's `string_to_uint_ex`: a decimal in [0, max], ending at end of string or one of `ends`. */
function uintPrefix(s: string, max: number, ends: string): { value: number; rest: string } | null {
  const m = /^[ \t\n\v\f\r]*[+-]?\d+/.exec(s);
  if (!m) return null;
  const value = Number(m[0].trim());
  if (value < 0 || value > max) return null;
  const rest = s.slice(m[0].length);
  if (rest !== "" && !ends.includes(rest[0])) return null;
  return { value, rest };
}

/** Parses `when=F[..L][+[S]]` into the rule; false when malformed. */
function parseWhen(val: string, rule: InjectRule): boolean {
  const f = uintPrefix(val, 0xffff, "+.");
  if (!f || f.value < 1) return false;
  rule.first = f.value;
  let end = f.rest;
  if (end.startsWith(".")) {
    if (end[1] !== ".") return false;
    const l = uintPrefix(end.slice(2), 0xffff, "+");
    if (!l || l.value < rule.first || l.value === LAST_INF) return false;
    rule.last = l.value;
    end = l.rest;
  } else {
    rule.last = LAST_INF;
  }
  if (end !== "") {
    const s = end.slice(1);
    if (s !== "") {
      const st = uintPrefix(s, 0xffff, "");
      if (!st || st.value < 1) return false;
      rule.step = st.value;
    } else rule.step = 1;
  } else rule.step = rule.last === LAST_INF ? 0 : 1;
  return true;
}

/** strace's `sigstr_to_uint`: a number up to 255 or a name with or without `SIG`. */
function signalNumber(s: string): number {
  if (/^[0-9]/.test(s)) {
    const v = uintPrefix(s, 255, "");
    return v ? v.value : -1;
  }
  const upper = s.toUpperCase();
  const n = signals.byName.get(upper.startsWith("SIG") ? upper : "SIG" + upper);
  return n ?? -1;
}

/** strace's `parse_ts` for delays: a number (µs unless suffixed s/ms/us/ns); µs or -1. */
export function parseDelay(s: string): number {
  const floatLen = /^[eE.\-+0-9]*/.exec(s)![0].length;
  const intLen = /^[+0-9]*/.exec(s)![0].length;
  let value: number;
  let suffix: string;
  if (floatLen > intLen) {
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
    if (!m) return -1;
    value = Number(m[0]);
    if (!(value >= 0)) return -1;
    suffix = s.slice(m[0].length);
  } else {
    const v = uintPrefix(s, Number.MAX_SAFE_INTEGER, "smun");
    if (!v) return -1;
    value = v.value;
    suffix = v.rest;
  }
  const scale: Record<string, number> = { "": 1, s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };
  if (!(suffix in scale)) return -1;
  return value * scale[suffix];
}

/** Parses `@argN=HEX,@argM=HEX` into pokes; undefined when malformed. */
function parsePokes(val: string): Poke[] | undefined {
  if (val === "") return undefined;
  const out: Poke[] = [];
  for (const token of val.split(",").filter((t) => t !== "")) {
    const m = /^@arg([1-7])=(.*)$/s.exec(token);
    if (!m) return undefined;
    const hex = m[2];
    if (hex.length === 0 || hex.length % 2 || hex.length > 2048) return undefined;
    const data = new Uint8Array(hex.length / 2);
    for (let i = 0; i < data.length; i++) {
      // sscanf("%2hhx") takes one or two hex digits; strace then steps two characters.
      const digits = /^[0-9a-fA-F]{1,2}/.exec(hex.slice(2 * i, 2 * i + 2));
      if (!digits) return undefined;
      data[i] = parseInt(digits[0], 16);
    }
    if (out.some((p) => p.arg === Number(m[1]))) return undefined;
    out.push({ arg: Number(m[1]), data });
  }
  return out.length ? out : undefined;
}

/** Parses a C `strtoull(val, &end, 0)` over the whole string; undefined when malformed. */
function strtoull(val: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(val);
  if (!m) return undefined;
  const digits = m[2];
  let v: bigint;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith("0")) v = BigInt("0o" + digits.slice(1));
  else v = BigInt(digits);
  if (v > U64_MAX) return undefined; // ERANGE
  return m[1] === "-" ? BigInt.asUintN(64, -v) : v;
}

/** strace's `parse_inject_token`; false for a malformed token. */
function parseToken(token: string, rule: InjectRule, fault: boolean): boolean {
  const eq = token.indexOf("=");
  const key = eq < 0 ? token : token.slice(0, eq + 1);
  const val = eq < 0 ? "" : token.slice(eq + 1);
  switch (key) {
    case "when=":
      return parseWhen(val, rule);
    case "syscall=": {
      if (rule.syscall !== undefined) return false;
      const info = syscallByName(val);
      if (!info || !(info.classes & PU)) return false;
      rule.syscall = info.nr;
      return true;
    }
    case "error=": {
      if (rule.error !== undefined || rule.retval !== undefined) return false;
      const n = uintPrefix(val, MAX_ERRNO, "");
      const e = n ? n.value : errnoByName(val.toUpperCase()) ?? -1;
      if (e < 1) return false;
      rule.error = e;
      return true;
    }
  }
  if (fault) return false;
  switch (key) {
    case "retval=": {
      if (rule.error !== undefined || rule.retval !== undefined) return false;
      const v = strtoull(val);
      if (v === undefined) return false;
      rule.retval = v;
      return true;
    }
    case "signal=": {
      if (rule.signal !== undefined) return false;
      const n = signalNumber(val);
      if (n < 1 || n > 64) return false;
      rule.signal = n;
      return true;
    }
    case "poke_enter=":
    case "poke_exit=": {
      const enter = key === "poke_enter=";
      if ((enter ? rule.pokeEnter : rule.pokeExit) !== undefined) return false;
      const pokes = parsePokes(val);
      if (!pokes) return false;
      if (enter) rule.pokeEnter = pokes;
      else rule.pokeExit = pokes;
      return true;
    }
    case "delay_enter=":
    case "delay_exit=": {
      const enter = key === "delay_enter=";
      if ((enter ? rule.delayEnterUs : rule.delayExitUs) !== undefined) return false;
      const us = parseDelay(val);
      if (us < 0) return false;
      if (enter) rule.delayEnterUs = us;
      else rule.delayExitUs = us;
      return true;
    }
  }
  return false;
}

/**
 * strace's warning for a `retval=` that the tracee would read as an error (-1 … -4095), printed
 * once when the expression is parsed; undefined when there is nothing to say.
 */
export function inadvertentWarning(rule: InjectRule): string | undefined {
  if (rule.retval === undefined) return undefined;
  const signed = BigInt.asIntN(64, rule.retval);
  if (signed < 0n && signed >= -BigInt(MAX_ERRNO)) {
    return `Inadvertent injection of error ${-signed} is possible for retval=${rule.retval}`;
  }
  return undefined;
}

/** The annotation strace prints after the result: ` (INJECTED)`, ` (INJECTED: args)`, ` (DELAYED)`. */
export function injectedNote(tampered: boolean, poked: boolean, delayed: boolean): string {
  let s = "";
  if (tampered && poked) s = " (INJECTED: args, retval)";
  else if (poked) s = " (INJECTED: args)";
  else if (tampered) s = " (INJECTED)";
  if (delayed) s += " (DELAYED)";
  return s;
}
