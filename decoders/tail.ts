/**
 * strace's `print_nonzero_bytes`: the bytes of an extensible struct past the part a decoder
 * knows, printed only when some are not zero.
 * @module
 */
import type { SyscallCall } from "./api.ts";
import { quoteBytes } from "./format.ts";

/**
 * The text after a known struct prefix of `start` bytes in a user buffer of `total` bytes at
 * `addr`: `""` when the rest is all zero, `", ???"` when unreadable, else
 * `, /* bytes 32..39 *\/ "\x01…"` cut at `-s` with `...`. `total` is capped at one page, as strace
 * caps it.
 */
export function nonzeroTail(c: SyscallCall, addr: number, start: number, total: number): string {
  total = Math.min(total, 4096);
  if (start >= total) return "";
  const b = c.mem.read(addr + start, total - start);
  if (!b) return ", ???";
  if (b.every((x) => x === 0)) return "";
  const shown = b.subarray(0, Math.min(b.length, c.opts.strsize));
  return `, /* bytes ${start}..${total - 1} */ "${quoteBytes(shown, 2)}"` +
    (shown.length < b.length ? "..." : "");
}
