/**
 * Printing helpers shared by every decoder: strings (strace's quoting, `-s`, `-x`), paths,
 * pointers, descriptors (`-y`), and reading structs from tracee memory with strace's fallback
 * (print the address when it cannot be read).
 *
 * @module
 */

import type { SyscallCall } from "./api.ts";
import { hex } from "./xlat.ts";
import { s64At, s64Text, u64At, u64Text } from "./u64.ts";
import {
  type ArrayValue,
  type FdValue,
  type PtrValue,
  type StrValue,
  type UnavailableValue,
  V,
  type Value,
} from "./value.ts";

export { hex };
export * from "./u64.ts";

/** The longest path strace prints (PATH_MAX - 1). */
export const PATH_MAX = 4096;

const HEX = "0123456789abcdef";
/** Decodes printable ASCII runs (every byte there is below 0x7f, where latin1 is ASCII). */
const LATIN1 = new TextDecoder("latin1");

/**
 * Quotes bytes as strace's `string_quote` does: C escapes, octal for the rest, or hex when `-x`
 * asks for it. `hexStrings` is the `-x` count; `escape` lists printable characters that are
 * escaped all the same, in octal (strace's `escape_chars`: `<>` in `-y` paths; they do not make
 * `-x` turn the whole string to hex). Returns the text without the
 * surrounding quotes.
 */
export function quoteBytes(
  bytes: Uint8Array,
  hexStrings = 0,
  count = bytes.length,
  escape = "",
): string {
  // Bytes past `count` are fetched but not printed (strace fetches one byte more than -s).
  const n = Math.min(count, bytes.length);
  // Printable characters that must still be escaped (`<>` in `-y` paths).
  const escaped = escape === ""
    ? undefined
    : (c: number) => escape.includes(String.fromCharCode(c));
  let useHex = hexStrings > 1;
  if (hexStrings === 1) {
    for (let i = 0; i < n; i++) {
      const c = bytes[i];
      if (c > 0x7e || (c < 0x20 && (c < 9 || c > 13))) {
        useHex = true;
        break;
      }
    }
  }
  let s = "";
  let run = 0; // start of the current run of bytes printed as they are
  if (useHex) {
    for (let i = 0; i < n; i++) {
      const c = bytes[i];
      s += "\\x" + HEX[c >> 4] + HEX[c & 15];
    }
    return s;
  }
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c && !escaped?.(c)) continue;
    // Flush the run in one piece: a flat string, not one rope node per byte.
    if (run < i) s += LATIN1.decode(bytes.subarray(run, i));
    run = i + 1;
    switch (c) {
      case 0x22:
        s += '\\"';
        break;
      case 0x5c:
        s += "\\\\";
        break;
      case 0x0c:
        s += "\\f";
        break;
      case 0x0a:
        s += "\\n";
        break;
      case 0x0d:
        s += "\\r";
        break;
      case 0x09:
        s += "\\t";
        break;
      case 0x0b:
        s += "\\v";
        break;
      default:
        if (c >= 0x20 && c <= 0x7e && !escaped?.(c)) {
          s += String.fromCharCode(c);
        } else {
          s += "\\";
          const next = i + 1 < n ? bytes[i + 1] : 0;
          if (next >= 0x30 && next <= 0x37) {
            s += String.fromCharCode(0x30 + (c >> 6), 0x30 + ((c >> 3) & 7));
          } else if (c >> 3) {
            if (c >> 6) s += String.fromCharCode(0x30 + (c >> 6));
            s += String.fromCharCode(0x30 + ((c >> 3) & 7));
          }
          s += String.fromCharCode(0x30 + (c & 7));
        }
    }
  }
  if (run < n) s += LATIN1.decode(bytes.subarray(run, n));
  return s;
}

/** Formats a 64-bit address exactly: `NULL` for zero, else `0x…`. */
export function ptrText(addr: number): string {
  return addr === 0 ? "NULL" : hex(addr);
}

/** Prints argument `n` as a pointer: `NULL` or its exact hex value. */
export function ptr(c: SyscallCall, n: number): string {
  return c.args.lo(n) === 0 && c.args.hi(n) === 0 ? "NULL" : c.args.hex(n);
}

/** Argument `n` as a typed pointer. */
export function ptrV(c: SyscallCall, n: number): PtrValue {
  return { kind: "ptr", addr: c.args.u(n), text: ptr(c, n) };
}

/** A string, buffer or path that could not be read: `NULL`, or its address. */
export type Unread = PtrValue | UnavailableValue;

/**
 * A buffer of `len` bytes at `addr` (strace's `printstrn`): quoted, cut at `-s` with `...`;
 * `NULL` or the address when it cannot be read.
 */
export function strnV(c: SyscallCall, addr: number, len: number): StrValue | Unread {
  if (!addr) return V.ptr(0);
  if (len < 0) return V.ptr(addr);
  // As strace's printstrn: fetch one byte more than -s (all or nothing, like umoven).
  const max = c.opts.strsize;
  const bytes = c.mem.read(addr, Math.min(len, max + 1));
  if (!bytes) return V.unavailable(addr);
  const shown = bytes.length > max ? bytes.subarray(0, max) : bytes;
  return V.str(
    shown,
    '"' + quoteBytes(bytes, c.opts.hexStrings, max) + '"' + (len > max ? "..." : ""),
    len > max,
    len > max ? len : undefined,
  );
}

/** The text of {@linkcode strnV}. */
export function strn(c: SyscallCall, addr: number, len: number): string {
  return strnV(c, addr, len).text;
}

/**
 * A NUL-terminated string at `addr` (strace's `printstr`), cut at `-s` with `...`;
 * `NULL` or the address when it cannot be read.
 */
export function cstrV(
  c: SyscallCall,
  addr: number,
  limit: number = c.opts.strsize,
): StrValue | Unread {
  if (!addr) return V.ptr(0);
  const r = c.mem.readCString(addr, limit);
  if (!r) return V.unavailable(addr);
  return V.str(
    r.bytes,
    '"' + quoteBytes(r.bytes, c.opts.hexStrings) + '"' + (r.terminated ? "" : "..."),
    !r.terminated,
  );
}

/** The text of {@linkcode cstrV}. */
export function cstr(c: SyscallCall, addr: number, limit: number = c.opts.strsize): string {
  return cstrV(c, addr, limit).text;
}

/** A path at `addr` (strace's `printpath`): not cut by `-s`. */
export function pathV(c: SyscallCall, addr: number): StrValue | Unread {
  return cstrV(c, addr, PATH_MAX - 1);
}

/** The text of {@linkcode pathV}. */
export function path(c: SyscallCall, addr: number): string {
  return pathV(c, addr).text;
}

/** A path given as argument `n`. */
export function pathArgV(c: SyscallCall, n: number): StrValue | Unread {
  return pathV(c, c.args.u(n));
}

/** The text of {@linkcode pathArgV}. */
export function pathArg(c: SyscallCall, n: number): string {
  return path(c, c.args.u(n));
}

/**
 * Quotes a path for `-y` output (`<…>`) as strace's `printfd` does: its string quoting (octal
 * escapes, or hex under `-x`), with `<` and `>` escaped too (`/tmp/a\\76b`).
 */
function fdPathText(c: SyscallCall, p: string): string {
  return quoteBytes(new TextEncoder().encode(p), c.opts.hexStrings, undefined, "<>");
}

/**
 * The `-yy` text of a device or a pidfd: `/dev/null<char 1:3>` (strace stats the path itself),
 * `pid:1234` (from `/proc/PID/fdinfo/FD`); `undefined` for anything else.
 */
function deviceOrPidfd(c: SyscallCall, fdNum: number, p: string): string | undefined {
  if (p.startsWith("/")) {
    try {
      const st = Deno.statSync(p);
      if ((st.isCharDevice || st.isBlockDevice) && st.rdev !== null) {
        const dev = BigInt(st.rdev);
        const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
        const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
        const kind = st.isBlockDevice ? "block" : "char";
        return `${fdPathText(c, p)}<${kind} ${major}:${minor}>`;
      }
    } catch {
      // not there (another mount namespace): the path alone
    }
    return undefined;
  }
  if (p === "anon_inode:[pidfd]") {
    try {
      const info = Deno.readTextFileSync(`/proc/${c.pid}/fdinfo/${fdNum}`);
      const m = /^Pid:\t(-?\d+)$/m.exec(info);
      if (m && Number(m[1]) > 0) return `pid:${m[1]}`;
    } catch {
      // gone
    }
    return p;
  }
  return undefined;
}

/** A descriptor: `3`, or with `-y` `3</etc/passwd>`, with `-yy` `3<TCP:[…]>`. */
export function fdV(c: SyscallCall, fdNum: number): FdValue {
  if (c.opts.decodeFds === 0 || fdNum < 0) return V.fd(fdNum, String(fdNum));
  if (c.opts.decodeFds > 1) {
    const detail = c.fds.socketDetail(fdNum);
    if (detail) return V.fd(fdNum, `${fdNum}<${detail}>`, undefined, detail);
  }
  const p = c.fds.path(fdNum);
  if (p === undefined) return V.fd(fdNum, String(fdNum));
  if (c.opts.decodeFds > 1) {
    const more = deviceOrPidfd(c, fdNum, p);
    if (more !== undefined) return V.fd(fdNum, `${fdNum}<${more}>`, p, more);
  }
  // strace prints a deleted file's path as `15</tmp/x>(deleted)`.
  if (p.endsWith(" (deleted)")) {
    return V.fd(fdNum, `${fdNum}<${fdPathText(c, p.slice(0, -10))}>(deleted)`, p);
  }
  return V.fd(fdNum, `${fdNum}<${fdPathText(c, p)}>`, p);
}

/** The text of {@linkcode fdV}. */
export function fd(c: SyscallCall, fdNum: number): string {
  return fdV(c, fdNum).text;
}

/** A `dirfd` argument: `AT_FDCWD` (with `-y`, `AT_FDCWD</cwd>`) or a descriptor. */
export function dirfdV(c: SyscallCall, fdNum: number): FdValue {
  if (fdNum === -100) {
    const name = c.opts.xlat === "raw"
      ? "-100"
      : c.opts.xlat === "verbose"
      ? "-100 /* AT_FDCWD */"
      : "AT_FDCWD";
    if (c.opts.decodeFds) {
      const cwd = c.fds.cwd();
      if (cwd !== undefined) return V.fd(-100, `${name}<${fdPathText(c, cwd)}>`, cwd);
    }
    return V.fd(-100, name);
  }
  return fdV(c, fdNum);
}

/** The text of {@linkcode dirfdV}. */
export function dirfd(c: SyscallCall, fdNum: number): string {
  return dirfdV(c, fdNum).text;
}

/**
 * Whether structures behind pointers are printed as addresses for this call (a syscall outside
 * `-e verbose=SET`), as strace's `verbose(tcp)` test decides.
 */
export function noDeref(c: SyscallCall): boolean {
  return c.opts.deref === false;
}

/**
 * Reads a struct of `size` bytes at `addr` and hands a little-endian `DataView` to `print`;
 * `NULL` or the address when it cannot be read, or when `-e verbose=` excludes the call, as
 * strace does.
 */
export function structV<T extends Value>(
  c: SyscallCall,
  addr: number,
  size: number,
  print: (v: DataView, bytes: Uint8Array) => T,
): T | Unread {
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  const bytes = c.mem.read(addr, size);
  if (!bytes) return V.unavailable(addr);
  return print(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes);
}

/** The text form of {@linkcode structV}, for printers that build text themselves. */
export function struct(
  c: SyscallCall,
  addr: number,
  size: number,
  print: (v: DataView, bytes: Uint8Array) => string,
): string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const bytes = c.mem.read(addr, size);
  if (!bytes) return hex(addr);
  return print(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes);
}

/** Reads a little-endian u64 from a view as a number, printed exactly by `hex`/`uText`. */
export const u64: (v: DataView, off: number) => number = u64At;

/** Reads a little-endian s64 from a view as a number, printed exactly by `sText`. */
export const s64: (v: DataView, off: number) => number = s64At;

/** An `int *` argument as strace prints it: `[42]`, or `NULL`/the address. */
export function intPtrV(c: SyscallCall, addr: number): ArrayValue | Unread {
  return structV(c, addr, 4, (v) => V.array([V.int(v.getInt32(0, true))]));
}

/** The text of {@linkcode intPtrV}. */
export function intPtr(c: SyscallCall, addr: number): string {
  return intPtrV(c, addr).text;
}

/** How many bytes of an array are fetched with one read. */
const ARRAY_CHUNK = 65536;

/**
 * An array of `count` elements of `size` bytes at `addr` (strace's `print_array`):
 * `[a, b, …]`, cut after `-s` elements with `...` unless `-v`; the address when unreadable, when
 * the end address wraps, or when `-e verbose=` excludes the call (an empty array is still `[]`);
 * `... /* ADDR *\/` where it runs into unreadable memory. Memory is read in bounded chunks and
 * never past what is printed, so the cost follows the output, not the count the tracee claims.
 */
export function arrayV(
  c: SyscallCall,
  addr: number,
  elements: number | bigint,
  size: number,
  print: (v: DataView, index: number) => Value,
): ArrayValue | Unread {
  if (!addr) return V.ptr(0);
  if (elements == 0) return V.array([]);
  if (noDeref(c) || size <= 0 || elements < 0) return V.ptr(addr);
  // The end address wraps (strace's `end_addr <= start_addr`): the address alone.
  if (BigInt(addr) + BigInt(elements) * BigInt(size) >= 2n ** 64n) return V.ptr(addr);
  const count = Number(elements);
  const limit = !c.opts.verbose && c.opts.strsize < count ? c.opts.strsize : count;
  const items: Value[] = [];
  let chunk: Uint8Array | null = null;
  let chunkStart = 0;
  let chunkCount = 0;
  for (let i = 0; i < count; i++) {
    if (i >= chunkStart + chunkCount) {
      chunkStart = i;
      chunkCount = Math.max(1, Math.min(count - i, limit + 1 - i, Math.floor(ARRAY_CHUNK / size)));
      chunk = c.mem.read(addr + i * size, chunkCount * size);
      if (!chunk) chunkCount = 0;
    }
    const el = chunk && chunkCount
      ? chunk.subarray((i - chunkStart) * size, (i - chunkStart + 1) * size)
      : c.mem.read(addr + i * size, size);
    if (!el) {
      if (i === 0) return V.unavailable(addr);
      return V.array(items, true, `... /* ${ptrText(addr + i * size)} */`);
    }
    if (i >= limit) return V.array(items, true);
    items.push(print(new DataView(el.buffer, el.byteOffset, el.byteLength), i));
  }
  return V.array(items);
}

/** The text form of {@linkcode arrayV}, for printers that build element text themselves. */
export function array(
  c: SyscallCall,
  addr: number,
  elements: number | bigint,
  size: number,
  print: (v: DataView, index: number) => string,
): string {
  return arrayV(c, addr, elements, size, (v, i) => V.raw(print(v, i))).text;
}

/**
 * A `struct iovec` array (strace's `tprint_iov_upto`): each base as a string of at most
 * `iov_len` bytes, the bytes of all elements together limited to `dataSize` (`null`: no limit),
 * or only as an address when `showData` is false.
 */
export function iovecArrayV(
  c: SyscallCall,
  addr: number,
  count: number | bigint,
  dataSize: number | bigint | null,
  showData = true,
): ArrayValue | Unread {
  let left = dataSize === null ? -1 : Number(dataSize);
  return arrayV(c, addr, count, 16, (v) => {
    const base = u64At(v, 0);
    const len = u64At(v, 8);
    let n = len;
    if (left >= 0) {
      if (n > left) n = left;
      left -= n;
    }
    const data = showData ? strnV(c, base, n) : V.ptr(base);
    return V.struct([["iov_base", data], ["iov_len", V.uint(len, u64Text(v, 8))]]);
  });
}

/** The text of {@linkcode iovecArrayV}. */
export function iovecArray(
  c: SyscallCall,
  addr: number,
  count: number | bigint,
  dataSize: number | bigint | null,
  showData = true,
): string {
  return iovecArrayV(c, addr, count, dataSize, showData).text;
}

/** A struct timespec: `{tv_sec=1, tv_nsec=500}`. */
export function timespecValue(v: DataView, off = 0): Value {
  return V.struct([
    ["tv_sec", V.int(s64At(v, off), s64Text(v, off))],
    ["tv_nsec", V.uint(u64At(v, off + 8), u64Text(v, off + 8))],
  ]);
}

/** A struct timeval: `{tv_sec=1, tv_usec=500}`. */
export function timevalValue(v: DataView, off = 0): Value {
  return V.struct([
    ["tv_sec", V.int(s64At(v, off), s64Text(v, off))],
    ["tv_usec", V.uint(u64At(v, off + 8), u64Text(v, off + 8))],
  ]);
}

/** The text strace prints for a struct timespec: `{tv_sec=1, tv_nsec=500}`. */
export function timespecText(v: DataView, off = 0): string {
  return timespecValue(v, off).text;
}

/** The text strace prints for a struct timeval: `{tv_sec=1, tv_usec=500}`. */
export function timevalText(v: DataView, off = 0): string {
  return timevalValue(v, off).text;
}

/** A `struct timespec *` argument. */
export function timespecV(c: SyscallCall, addr: number): Value {
  return structV(c, addr, 16, (v) => timespecValue(v));
}

/** A `struct timeval *` argument. */
export function timevalV(c: SyscallCall, addr: number): Value {
  return structV(c, addr, 16, (v) => timevalValue(v));
}

/** Prints a `struct timespec *` argument. */
export function timespec(c: SyscallCall, addr: number): string {
  return timespecV(c, addr).text;
}

/** Prints a `struct timeval *` argument. */
export function timeval(c: SyscallCall, addr: number): string {
  return timevalV(c, addr).text;
}

/** Octal as strace prints modes (`%#03o`): `0644`, `022`, `000`. */
export function octal(v: number): string {
  return "0" + v.toString(8).padStart(2, "0");
}

/** Whether a call failed (at exit). Decoders print output arguments only on success. */
export function failed(c: SyscallCall): boolean {
  return c.errno !== 0;
}

/** Prints an output pointer argument: its address when the call failed, else `print()`. */
export function onSuccess(c: SyscallCall, addr: number, print: () => string): string {
  if (failed(c)) return ptrText(addr);
  return print();
}

/** An output pointer argument: its address when the call failed, else `print()`. */
export function onSuccessV(c: SyscallCall, addr: number, print: () => Value): Value {
  if (failed(c)) return V.ptr(addr);
  return print();
}
