/**
 * Constant tables ("xlat", after strace) and the two printers that use them: {@linkcode flags}
 * for bit sets and {@linkcode xval} for enumerations. Both honour `-X raw|abbrev|verbose`.
 *
 * A table is data: `xlat([["O_CREAT", 0o100], ...])`. Values may use up to 53 bits.
 *
 * @example
 * ```ts
 * import { flags, xlat } from "./xlat.ts";
 * const prot = xlat([["PROT_NONE", 0], ["PROT_READ", 1], ["PROT_WRITE", 2], ["PROT_EXEC", 4]]);
 * flags(prot, 3, "abbrev"); // "PROT_READ|PROT_WRITE"
 * ```
 * @module
 */

import type { XlatStyle } from "./api.ts";
import { unsignedOf, xText } from "./u64.ts";

/** A constant table: names and values, in the order flags are printed. */
export interface Xlat {
  /** The entries, in table order. */
  readonly entries: readonly (readonly [string, number])[];
  /** Name by value (the first entry wins). */
  readonly byValue: ReadonlyMap<number, string>;
  /** Value by name. */
  readonly byName: ReadonlyMap<string, number>;
}

/** Builds a constant table from `[name, value]` pairs. */
export function xlat(entries: readonly (readonly [string, number])[]): Xlat {
  const byValue = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const [name, value] of entries) {
    if (!byValue.has(value)) byValue.set(value, name);
    byName.set(name, value);
  }
  return { entries, byValue, byName };
}

const TWO32 = 4294967296;

/**
 * Formats `v` as C's `%#lx`: `0` or `0x…`, exactly even above 2^53 (see `decoders/u64.ts`).
 * A negative value down to -2^31 is a 32-bit value printed unsigned.
 */
export function hex(v: number): string {
  if (v === 0) return "0";
  if (v < 0 && v >= -2147483648) v = TWO32 + v; // a negative 32-bit value printed unsigned
  return xText(v);
}

/** Bitwise AND of two non-negative integers below 2^53. */
export function and53(a: number, b: number): number {
  const lo = ((a >>> 0) & (b >>> 0)) >>> 0;
  const hi = (Math.floor(a / TWO32) & Math.floor(b / TWO32)) >>> 0;
  return hi * TWO32 + lo;
}

/** `a & ~b` for non-negative integers below 2^53. */
export function andNot53(a: number, b: number): number {
  const lo = ((a >>> 0) & ~(b >>> 0)) >>> 0;
  const hi = (Math.floor(a / TWO32) & ~Math.floor(b / TWO32)) >>> 0;
  return hi * TWO32 + lo;
}

/** Appends `/* names *\/` after a raw value in verbose style. */
function verbose(raw: string, names: string): string {
  return names ? `${raw} /* ${names} */` : raw;
}

/**
 * Prints a bit set the way strace's `printflags` does: the names of the set bits joined with `|`,
 * unknown bits in hex; `0` (or the table's zero entry) when nothing is set; `dflt` (e.g. `MAP_???`)
 * as a comment when no bit has a name.
 */
export function flags(
  table: Xlat,
  value: number,
  style: XlatStyle = "abbrev",
  dflt?: string,
): string {
  if (value < 0 && value >= -2147483648) value = TWO32 + value;
  if (style === "raw") return hex(value);
  if (!Number.isSafeInteger(value)) return wideFlags(table, unsignedOf(value), style, dflt);
  const names: string[] = [];
  let rest = value;
  if (value === 0) {
    const zero = table.byValue.get(0);
    if (zero !== undefined) {
      return style === "verbose" ? verbose("0", zero) : zero;
    }
    return "0";
  }
  for (const [name, v] of table.entries) {
    if (v !== 0 && and53(rest, v) === v) {
      names.push(name);
      rest = andNot53(rest, v);
    }
  }
  if (style === "verbose") {
    let text = names.join("|");
    if (rest && names.length) text += "|" + hex(rest);
    if (!names.length) return dflt ? verbose(hex(value), dflt) : hex(value);
    return verbose(hex(value), text);
  }
  if (!names.length) return dflt ? `${hex(value)} /* ${dflt} */` : hex(value);
  if (rest) names.push(hex(rest));
  return names.join("|");
}

/** {@linkcode flags} of a value of 2^53 or more, with BigInt (rare: hostile arguments). */
function wideFlags(table: Xlat, value: bigint, style: XlatStyle, dflt?: string): string {
  const names: string[] = [];
  let rest = value;
  for (const [name, v] of table.entries) {
    const b = BigInt(v);
    if (b !== 0n && (rest & b) === b) {
      names.push(name);
      rest &= ~b;
    }
  }
  const all = "0x" + value.toString(16);
  if (rest) names.push("0x" + rest.toString(16));
  if (names.length === (rest ? 1 : 0)) return dflt ? `${all} /* ${dflt} */` : all;
  return style === "verbose" ? verbose(all, names.join("|")) : names.join("|");
}

/**
 * Prints an enumeration value the way strace's `printxval` does: its name, or the number
 * (in hex by default) followed by `/* dflt *\/` when it has none.
 */
export function xval(
  table: Xlat,
  value: number,
  style: XlatStyle = "abbrev",
  dflt?: string,
  numFmt: "hex" | "dec" = "hex",
): string {
  const raw = numFmt === "hex" ? hex(value) : String(value);
  const name = table.byValue.get(value);
  if (style === "raw") return raw;
  if (name === undefined) return dflt ? `${raw} /* ${dflt} */` : raw;
  return style === "verbose" ? verbose(raw, name) : name;
}
