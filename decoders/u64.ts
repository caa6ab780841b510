/**
 * Exact 64-bit values without BigInt on the hot path: the one place where a u64 (two u32 halves
 * from the registers or from tracee memory) becomes text or a JavaScript number.
 *
 * A JavaScript number holds integers exactly only below 2^53. Decoders work with numbers (addresses,
 * lengths, counts) because that is fast; a value of 2^53 or more is never a readable address or a
 * plausible length, so only its text matters. {@linkcode wide} therefore returns the (rounded)
 * number and remembers the exact halves behind it; {@linkcode uText}, {@linkcode sText} and
 * {@linkcode xText} print a number exactly, using what {@linkcode wide} remembered when the number
 * is not a safe integer. The memory is a small table, forgotten when it grows past
 * {@linkcode WIDE_KEEP} entries (a syscall stop makes a handful at most).
 *
 * @example
 * ```ts
 * import { udecHalves, uText, wide } from "./u64.ts";
 * udecHalves(0xffffffff, 0xffffffff); // "18446744073709551615"
 * uText(wide(0xffffffff, 0xffffffff)); // "18446744073709551615"
 * ```
 * @module
 */

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/** How many rounded values {@linkcode wide} remembers before it starts afresh. */
export const WIDE_KEEP = 256;

/** Rounded number → exact unsigned value, for numbers that are not safe integers. */
const exact = new Map<number, bigint>();

function remember(n: number, v: bigint): void {
  if (exact.size >= WIDE_KEEP) exact.clear();
  exact.set(n, v);
}

/** The exact unsigned 64-bit value of two halves, as a BigInt (for the rare wide values). */
export function bigHalves(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * The unsigned 64-bit value of two halves as a number: exact below 2^53, rounded above, in which
 * case the exact value is remembered for the printers of this module.
 */
export function wide(lo: number, hi: number): number {
  const n = (hi >>> 0) * TWO32 + (lo >>> 0);
  if (hi >>> 0 >= 0x200000) remember(n, bigHalves(lo, hi));
  return n;
}

/**
 * The signed 64-bit value of two halves as a number: exact within ±2^53, rounded beyond, in which
 * case the exact value is remembered.
 */
export function swide(lo: number, hi: number): number {
  const n = (hi | 0) * TWO32 + (lo >>> 0);
  if (!Number.isSafeInteger(n)) remember(n, bigHalves(lo, hi));
  return n;
}

/** The exact unsigned 64-bit value behind a number (its two's complement when negative). */
export function unsignedOf(n: number): bigint {
  if (Number.isSafeInteger(n)) return n < 0 ? (1n << 64n) + BigInt(n) : BigInt(n);
  const e = exact.get(n);
  if (e !== undefined) return e;
  if (!Number.isFinite(n)) return 0n;
  return BigInt.asUintN(64, BigInt(Math.trunc(n)));
}

/** Unsigned decimal (`%llu`) of two halves. */
export function udecHalves(lo: number, hi: number): string {
  hi >>>= 0;
  if (hi < 0x200000) return String(hi * TWO32 + (lo >>> 0));
  return bigHalves(lo, hi).toString();
}

/** Signed decimal (`%lld`) of two halves. */
export function sdecHalves(lo: number, hi: number): string {
  const n = (hi | 0) * TWO32 + (lo >>> 0);
  if (Number.isSafeInteger(n)) return String(n);
  return BigInt.asIntN(64, bigHalves(lo, hi)).toString();
}

/** `%#llx` of two halves: `0`, or `0x` and lower-case hex digits. */
export function hexHalves(lo: number, hi: number): string {
  lo >>>= 0;
  hi >>>= 0;
  if (hi === 0) return lo === 0 ? "0" : "0x" + lo.toString(16);
  return "0x" + hi.toString(16) + lo.toString(16).padStart(8, "0");
}

/** A number as unsigned 64-bit decimal, exactly (negative numbers print as their u64 value). */
export function uText(n: number): string {
  if (n >= 0 && n < TWO53) return String(n);
  return unsignedOf(n).toString();
}

/** A number as signed 64-bit decimal, exactly. */
export function sText(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  return BigInt.asIntN(64, unsignedOf(n)).toString();
}

/** A number as `%#llx`, exactly: `0`, or `0x…` (negative numbers print as their u64 value). */
export function xText(n: number): string {
  if (n >= 0 && n < TWO53) return n === 0 ? "0" : "0x" + n.toString(16);
  return "0x" + unsignedOf(n).toString(16);
}

/** Reads a little-endian u64 at `off` of a view as a number (see {@linkcode wide}). */
export function u64At(v: DataView, off: number): number {
  return wide(v.getUint32(off, true), v.getUint32(off + 4, true));
}

/** Reads a little-endian s64 at `off` of a view as a number (see {@linkcode swide}). */
export function s64At(v: DataView, off: number): number {
  return swide(v.getUint32(off, true), v.getUint32(off + 4, true));
}

/** A little-endian u64 at `off` of a view as unsigned decimal, exactly. */
export function u64Text(v: DataView, off: number): string {
  return udecHalves(v.getUint32(off, true), v.getUint32(off + 4, true));
}

/** A little-endian s64 at `off` of a view as signed decimal, exactly. */
export function s64Text(v: DataView, off: number): string {
  return sdecHalves(v.getUint32(off, true), v.getUint32(off + 4, true));
}

/** A little-endian u64 at `off` of a view as `%#llx`, exactly. */
export function x64Text(v: DataView, off: number): string {
  return hexHalves(v.getUint32(off, true), v.getUint32(off + 4, true));
}
