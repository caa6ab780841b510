/**
 * Typed argument helpers of the fs/admin family decoders (`fs.ts`, `fs_extra.ts`, `mount.ts`,
 * `quota.ts`, `landlock.ts`, `admin.ts`, `time.ts`): integers of every width, flags and enums
 * honouring `-X`, the `-y` result of a descriptor-returning call, and the few values strace
 * prints in a form of its own (`???`, a struct with bytes past its known end).
 * @module
 */
import type { SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { fdV } from "./format.ts";
import {
  type EnumValue,
  type FdValue,
  flagParts,
  type FlagsValue,
  type IntValue,
  type StructValue,
  type UnavailableValue,
  V,
  type Value,
} from "./value.ts";
import type { Xlat } from "./xlat.ts";
import { flags64 } from "./signal.ts";

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** An unsigned 64-bit integer (a number when it fits a double exactly). */
export function bigU(v: bigint): IntValue {
  const u = BigInt.asUintN(64, v);
  return u <= MAX ? V.uint(Number(u)) : V.uint(u);
}

/** A signed 64-bit integer (a number when it fits a double exactly). */
export function bigS(v: bigint): IntValue {
  const s = BigInt.asIntN(64, v);
  return s <= MAX && s >= -MAX ? V.int(Number(s)) : V.int(s);
}

/** Argument `n` as an unsigned 64-bit decimal (strace's `PRINT_VAL_U` of a `kernel_ulong_t`). */
export function uArg(c: SyscallCall, n: number): IntValue {
  return bigU(c.args.big(n));
}

/** Argument `n` as a signed 64-bit decimal (strace's `PRINT_VAL_D` / `print_arg_lld`). */
export function sArg(c: SyscallCall, n: number): IntValue {
  return bigS(c.args.big(n));
}

/** Argument `n` as a C `int`. */
export function iArg(c: SyscallCall, n: number): IntValue {
  return V.int(c.args.i(n));
}

/** Argument `n` as a C `unsigned int`. */
export function uiArg(c: SyscallCall, n: number): IntValue {
  return V.uint(c.args.ui(n));
}

/** Argument `n` as C's `%#lx`. */
export function hexArg(c: SyscallCall, n: number): IntValue {
  return V.hex(BigInt.asUintN(64, c.args.big(n)));
}

/** A bit set printed with the call's `-X` style. */
export function flagsV(c: SyscallCall, table: Xlat, v: number, dflt?: string): FlagsValue {
  return V.flags(table, v, c.opts.xlat, dflt);
}

/** A 64-bit bit set (strace's `printflags64`) printed with `style`. */
export function flags64V(table: Xlat, v: bigint, style: XlatStyle, dflt?: string): FlagsValue {
  const { names, rest } = flagParts(table, v);
  return V.flagsOf(names, rest, v, flags64(table, v, style, dflt));
}

/** An enumeration value printed with the call's `-X` style. */
export function xvalV(c: SyscallCall, table: Xlat, v: number, dflt?: string): EnumValue {
  return V.xval(table, v, c.opts.xlat, dflt);
}

/** A uid/gid as strace's `printuid` prints it: `-1`, or unsigned decimal. */
export function uidV(v: number): IntValue {
  v >>>= 0;
  return v === 0xffffffff ? V.int(-1) : V.uint(v);
}

/** The `-y` form of a descriptor-returning call's result (strace's `RVAL_FD`). */
export function fdResultV(c: SyscallCall): FdValue | undefined {
  return c.opts.decodeFds ? fdV(c, c.rval) : undefined;
}

/** A decoder printing every argument at entry. */
export function atEntryV(
  enter: (c: SyscallCall) => Value[],
  result?: SyscallDecoder["result"],
): SyscallDecoder {
  return result ? { enter, result } : { enter };
}

/** Memory at `addr` that could not be read, where strace prints `text` (`???`) for it. */
export function unreadable(addr: number, text: string): UnavailableValue {
  return { kind: "unavailable", addr, text };
}

/**
 * A struct followed, inside its braces, by what strace prints past the fields it knows
 * (`tail`: `, ???` or `, /* bytes 24..31 *\/ "\x01…"`, from `tail.ts`); the tail is kept in the text.
 */
export function withTail(st: StructValue, tail: string): StructValue {
  if (!tail) return st;
  return { ...st, text: st.text.slice(0, -1) + tail + "}" };
}
