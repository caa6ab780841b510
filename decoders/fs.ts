/**
 * Decoders for the fs family of syscalls: reading and writing (`read`, `pwritev2`, …), opening
 * and closing descriptors, `stat`/`statx`/`statfs`, `fcntl`, `getdents64`, paths (`rename`,
 * `unlinkat`, `mkdir`, …), ownership and modes, `sendfile`/`splice`, inotify/fanotify, xattrs,
 * `memfd_create`, `name_to_handle_at` and `ioctl` (terminal requests, names of all others).
 * Every argument is a typed value (`value.ts`) whose text follows strace 6.1 exactly.
 * @module
 */
import { ioctls } from "./xlat/ioctls.ts";
import { uffdIoctlEnter, uffdIoctlExit } from "./uffd.ts";
import type { DecoderTable, SyscallCall, SyscallDecoder } from "./api.ts";
import {
  cstrV,
  dirfdV,
  fdV,
  hex,
  iovecArrayV,
  noDeref,
  pathArgV,
  ptrV,
  quoteBytes,
  strnV,
  structV,
} from "./format.ts";
import { and53, andNot53, flags, type Xlat } from "./xlat.ts";
import * as X from "./xlat/fs.ts";
import { printSignal, signalName } from "./signame.ts";
import { u64At } from "./u64.ts";
import {
  amend,
  continued,
  type EnumValue,
  flagParts,
  type FlagsValue,
  more,
  type StructValue,
  V,
  type Value,
  whole,
} from "./value.ts";
import {
  atEntryV,
  bigS,
  bigU,
  fdResultV,
  hexArg,
  iArg,
  sArg,
  uArg,
  uiArg,
  uidV,
  unreadable,
  withTail,
} from "./args_v.ts";
import { nonzeroTail } from "./tail.ts";

// ---------------------------------------------------------------------------------------------
// Small printers

/** A bit set with the call's `-X` style. */
function fl(c: SyscallCall, table: Xlat, v: number, dflt?: string): FlagsValue {
  // strace's printflags prints nothing at all for 0 without a default and a zero entry.
  if (v === 0 && dflt === undefined && (c.opts.xlat === "raw" || !table.byValue.has(0))) {
    return V.flagsOf([], 0, 0, "");
  }
  return V.flags(table, v, c.opts.xlat, dflt);
}

/** An enumeration value with the call's `-X` style. */
function xv(c: SyscallCall, table: Xlat, v: number, dflt?: string): EnumValue {
  return V.xval(table, v, c.opts.xlat, dflt);
}

/** Argument `n` as an exact address number (for reading memory). */
function addr(c: SyscallCall, n: number): number {
  return c.args.u(n);
}

/** C's `%#03o`, as strace prints modes: `0644`, `000`, `007`. */
export function mode03o(v: number | bigint): string {
  const s = "0" + v.toString(8);
  return s === "00" ? "000" : s.padStart(3, "0");
}

/** A mode printed as C's `%#03o`. */
function modeV(v: number | bigint): Value {
  return V.uint(v, mode03o(v));
}

/** Argument `n` as a `mode_t` (`0644`). */
function modeArg(c: SyscallCall, n: number): Value {
  return modeV(c.args.ui(n) & 0xffff);
}

/** The text of strace's `print_symbolic_mode_t`: `S_IFREG|0644`, `S_IFDIR|S_ISVTX|0777`. */
function symbolicModeText(c: SyscallCall, mode: number): string {
  const style = c.opts.xlat;
  const fmt = mode & 0o170000;
  const ifmt = fmt ? X.MODETYPES.byValue.get(fmt) : "";
  let out = "";
  if (ifmt === undefined || style !== "abbrev") out += mode03o(mode);
  if (ifmt === undefined || style === "raw") return out;
  const text = ifmt + (ifmt ? "|" : "") + (mode & 0o4000 ? "S_ISUID|" : "") +
    (mode & 0o2000 ? "S_ISGID|" : "") + (mode & 0o1000 ? "S_ISVTX|" : "") +
    mode03o((mode & ~0o177000) >>> 0);
  return style === "abbrev" ? text : `${out} /* ${text} */`;
}

/**
 * strace's `print_symbolic_mode_t` as a flag set: the file type and `S_IS*` bits by name, the
 * permission bits as the remainder (all of it when the type has no name).
 */
function symbolicMode(c: SyscallCall, mode: number): FlagsValue {
  mode >>>= 0;
  const fmt = mode & 0o170000;
  const ifmt = fmt ? X.MODETYPES.byValue.get(fmt) : "";
  const names: string[] = [];
  if (ifmt === undefined) return V.flagsOf(names, mode, mode, symbolicModeText(c, mode));
  if (ifmt) names.push(ifmt);
  if (mode & 0o4000) names.push("S_ISUID");
  if (mode & 0o2000) names.push("S_ISGID");
  if (mode & 0o1000) names.push("S_ISVTX");
  return V.flagsOf(names, mode & 0o777, mode, symbolicModeText(c, mode));
}

/** The text of open(2) flags without `-X` handling: `O_RDONLY|O_CLOEXEC`. */
function openModesText(v: number): string {
  const acc = and53(v, 3);
  const name = X.OPEN_ACCESS_MODES.byValue.get(acc)!;
  const rest = andNot53(v, 3);
  if (!rest) return name;
  return name + "|" + flags(X.OPEN_MODE_FLAGS, rest, "abbrev");
}

/** open(2) flags by name, the access mode first, and the bits left without one. */
function openModeParts(v: number): { names: string[]; rest: number | bigint } {
  const name = X.OPEN_ACCESS_MODES.byValue.get(and53(v, 3))!;
  const bits = andNot53(v, 3);
  const p = bits ? flagParts(X.OPEN_MODE_FLAGS, bits) : { names: [], rest: 0 };
  return { names: [name, ...p.names], rest: p.rest };
}

/** open(2) flags honouring `-X` (strace's `tprint_open_modes`): names typed, access mode first. */
export function openModesV(c: SyscallCall, v: number): FlagsValue {
  const p = openModeParts(v);
  const text = c.opts.xlat === "raw"
    ? hex(v)
    : c.opts.xlat === "verbose"
    ? `${hex(v)} /* ${openModesText(v)} */`
    : openModesText(v);
  return V.flagsOf(p.names, p.rest, v, text);
}

/** `makedev(0x8, 0x1)` for a device number, honouring `-X` (strace's `print_dev_t`). */
export function devV(c: SyscallCall, dev: bigint): Value {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn & 0xffffffffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn & 0xffffffffn));
  const mk = V.call("makedev", [V.hex(major), V.hex(minor)]);
  if (c.opts.xlat === "raw") return V.hex(dev);
  if (c.opts.xlat === "verbose") return V.comment(V.hex(dev), mk.text);
  return mk;
}

/** strace's `sprinttime_nsec`: `2023-11-14T22:13:20.000000005+0000`, or null. */
export function sprinttime(sec: bigint, nsec: bigint): string | null {
  if ((sec === 0n && nsec === 0n) || nsec > 999999999n || nsec < 0n) return null;
  if (sec > 8640000000000n || sec < -8640000000000n) return null;
  const d = new Date(Number(sec) * 1000);
  if (isNaN(d.getTime())) return null;
  const p2 = (n: number) => String(n).padStart(2, "0");
  const y = d.getFullYear();
  let s = `${y < 0 ? "-" + String(-y).padStart(4, "0") : String(y).padStart(4, "0")}-` +
    `${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:` +
    p2(d.getSeconds());
  if (nsec > 0n) s += "." + nsec.toString().padStart(9, "0");
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  return s + (off < 0 ? "-" : "+") + p2(Math.floor(a / 60)) + p2(a % 60);
}

/** A value with strace's time comment (`tprints_comment(sprinttime_nsec(...))`), if any. */
function timed<T extends Value>(v: T, sec: bigint, nsec: bigint): T {
  return V.comment(v, sprinttime(sec, nsec) ?? undefined);
}

/**
 * Reads `size` bytes and hands a view to `print`; the address when the call failed
 * (`umove_or_printaddr` at exit), `NULL`, or the address when unreadable or not dereferenced.
 */
function outMem(
  c: SyscallCall,
  a: number,
  size: number,
  print: (v: DataView) => Value,
): Value {
  if (c.exiting && c.errno) return V.ptr(a);
  return structV(c, a, size, print);
}

/** strace's `printnum_int64`: `[123]`, `NULL` or the address. */
function num64(c: SyscallCall, a: number, signed: boolean): Value {
  return outMem(
    c,
    a,
    8,
    (v) => V.array([signed ? bigS(v.getBigInt64(0, true)) : bigU(v.getBigUint64(0, true))]),
  );
}

/** strace's `printnum_int`: `[42]`, `NULL` or the address. */
function numInt(c: SyscallCall, a: number): Value {
  return outMem(c, a, 4, (v) => V.array([V.int(v.getInt32(0, true))]));
}

/** strace's `printpathn`: a path of at most `n` bytes; `rc` is -1 when unreadable. */
function pathn(c: SyscallCall, a: number, n: number): { v: Value; rc: number } {
  if (!a) return { v: V.ptr(0), rc: -1 };
  const r = c.mem.readCString(a, n < 0 ? 4095 : Math.min(n, 4095));
  if (!r) return { v: V.unavailable(a), rc: -1 };
  const text = '"' + quoteBytes(r.bytes, c.opts.hexStrings) + '"' + (r.terminated ? "" : "...");
  return { v: V.str(r.bytes, text, !r.terminated), rc: r.terminated ? 1 : 0 };
}

/** strace's `printstr_ex(addr, len, QUOTE_FORCE_HEX)`: `len` bytes in hex, cut at `-s`. */
export function hexStrV(c: SyscallCall, a: number, len: number): Value {
  if (!a) return V.ptr(0);
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(a, size);
  if (!b) return V.unavailable(a);
  return V.str(
    b,
    '"' + quoteBytes(b, 2) + '"' + (len > size ? "..." : ""),
    len > size,
    len > size ? len : undefined,
  );
}

/**
 * strace's `printstr_ex(addr, len, QUOTE_OMIT_TRAILING_0)`: like `strn`, but a trailing NUL of
 * the shown bytes is dropped when the whole buffer fits.
 */
export function strOmitTrailing0V(c: SyscallCall, a: number, len: number): Value {
  if (!a) return V.ptr(0);
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(a, size);
  if (!b) return V.unavailable(a);
  let useHex = c.opts.hexStrings > 1;
  if (c.opts.hexStrings === 1) {
    useHex = b.some((ch) => ch > 0x7e || (ch < 0x20 && (ch < 9 || ch > 13)));
  }
  const cut = len > size;
  const more = cut ? "..." : "";
  if (useHex) return V.str(b, '"' + quoteBytes(b, 2) + '"' + more, cut, cut ? len : undefined);
  if (b.length && b[b.length - 1] === 0) {
    const shown = b.subarray(0, b.length - 1);
    return V.str(shown, '"' + quoteBytes(shown, 0) + '"');
  }
  return V.str(b, '"' + quoteBytes(b, 0) + '"' + more, cut, cut ? len : undefined);
}

/** The text of {@linkcode strOmitTrailing0V}. */
export function strOmitTrailing0(c: SyscallCall, a: number, len: number): string {
  return strOmitTrailing0V(c, a, len).text;
}

/** Argument `n` as a descriptor (`int`). */
function fdArg(c: SyscallCall, n: number): Value {
  return fdV(c, c.args.i(n));
}

/** Argument `n` as a dirfd (`int`): `AT_FDCWD` or a descriptor. */
function dirfdArg(c: SyscallCall, n: number): Value {
  return dirfdV(c, c.args.i(n));
}

// ---------------------------------------------------------------------------------------------
// read/write and vectors

/** One `struct iovec` array, data limited to `dataSize` bytes in total (null: no limit). */
export function iovec(
  c: SyscallCall,
  a: number,
  count: bigint,
  dataSize: bigint | null,
  showData: boolean,
): string {
  return iovecArrayV(c, a, count, dataSize, showData).text;
}

const read: SyscallDecoder = {
  enter: (c) => [fdArg(c, 0)],
  exit: (c) => {
    const out: Value[] = [c.errno ? ptrV(c, 1) : strnV(c, addr(c, 1), c.rval), uArg(c, 2)];
    if (c.name === "pread64") out.push(sArg(c, 3));
    return out;
  },
};

const write: SyscallDecoder = {
  enter: (c) => {
    const out: Value[] = [fdArg(c, 0), strnV(c, addr(c, 1), c.args.u(2)), uArg(c, 2)];
    if (c.name === "pwrite64") out.push(sArg(c, 3));
    return out;
  },
};

/** readv, preadv, preadv2: data shown at exit, up to the return value. */
function readvLike(offset: boolean, flagsArg: number): SyscallDecoder {
  return {
    enter: (c) => [fdArg(c, 0)],
    exit: (c) => {
      const cnt = BigInt.asUintN(64, c.args.big(2));
      const out: Value[] = [
        iovecArrayV(c, addr(c, 1), cnt, c.errno ? null : BigInt.asUintN(64, c.rvalBig), !c.errno),
        bigU(cnt),
      ];
      if (offset) out.push(sArg(c, 3));
      if (flagsArg >= 0) out.push(fl(c, X.RWF_FLAGS, c.args.ui(flagsArg), "RWF_???"));
      return out;
    },
  };
}

/** writev, pwritev, pwritev2. */
function writevLike(offset: boolean, flagsArg: number): SyscallDecoder {
  return {
    enter: (c) => {
      const cnt = BigInt.asUintN(64, c.args.big(2));
      const out: Value[] = [fdArg(c, 0), iovecArrayV(c, addr(c, 1), cnt, null, true), bigU(cnt)];
      if (offset) out.push(sArg(c, 3));
      if (flagsArg >= 0) out.push(fl(c, X.RWF_FLAGS, c.args.ui(flagsArg), "RWF_???"));
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// open and friends

/** `path, flags[, mode]` of open/openat. */
function openTail(c: SyscallCall, off: number): Value[] {
  const f = c.args.ui(off + 1);
  const out: Value[] = [pathArgV(c, off), openModesV(c, f)];
  if (f & (0o100 | 0o20000000)) out.push(modeArg(c, off + 2));
  return out;
}

/** strace's `print_open_how`. */
function openHow(c: SyscallCall, a: number, size: bigint): Value {
  if (size < 24n) return V.ptr(a);
  const n = size > 24n ? 24 : Number(size);
  return structV(c, a, n, (v) => {
    const f = u64At(v, 0);
    const mode = v.getBigUint64(8, true);
    const resolve = u64At(v, 16);
    const fields: [string, Value][] = [["flags", openModesV(c, f)]];
    if (f & (0o100 | 0o20000000) || mode) fields.push(["mode", modeV(mode)]);
    fields.push(["resolve", fl(c, X.OPEN_RESOLVE_FLAGS, resolve, "RESOLVE_???")]);
    const st = V.struct(fields);
    return size > 24n
      ? withTail(st, nonzeroTail(c, a, 24, size > 4096n ? 4096 : Number(size)))
      : st;
  });
}

// ---------------------------------------------------------------------------------------------
// stat family

/** strace's `print_struct_stat` of an x86_64 `struct stat` (144 bytes). */
function statValue(c: SyscallCall, v: DataView): StructValue {
  const mode = v.getUint32(24, true);
  const fmt = mode & 0o170000;
  const f: [string, Value][] = [];
  const full = c.opts.verbose;
  const u = (off: number) => bigU(v.getBigUint64(off, true));
  if (full) {
    f.push(["st_dev", devV(c, v.getBigUint64(0, true))]);
    f.push(["st_ino", u(8)]);
    f.push(["st_mode", symbolicMode(c, mode)]);
    f.push(["st_nlink", u(16)]);
    f.push(["st_uid", V.uint(v.getUint32(28, true))]);
    f.push(["st_gid", V.uint(v.getUint32(32, true))]);
    f.push(["st_blksize", u(56)]);
    f.push(["st_blocks", u(64)]);
  } else {
    f.push(["st_mode", symbolicMode(c, mode)]);
  }
  if (fmt === 0o020000 || fmt === 0o060000) {
    f.push(["st_rdev", devV(c, v.getBigUint64(40, true))]);
  } else {
    f.push(["st_size", u(48)]);
  }
  if (full) {
    for (const [name, off] of [["st_atime", 72], ["st_mtime", 88], ["st_ctime", 104]] as const) {
      const sec = v.getBigInt64(off, true);
      const nsec = v.getBigUint64(off + 8, true);
      f.push([name, timed(bigS(sec), sec, nsec)]);
      f.push([`${name}_nsec`, bigU(nsec)]);
    }
  }
  return V.struct(f, !full);
}

/** A `struct stat *` output argument. */
function statArg(c: SyscallCall, n: number): Value {
  return outMem(c, addr(c, n), 144, (v) => statValue(c, v));
}

/** strace's `print_statx_timestamp`. */
function statxTs(v: DataView, off: number): Value {
  const sec = v.getBigInt64(off, true);
  const nsec = BigInt(v.getUint32(off + 8, true));
  return timed(V.struct([["tv_sec", bigS(sec)], ["tv_nsec", bigU(nsec)]]), sec, nsec);
}

/** A `struct statx *` output argument (256 bytes). */
function statxArg(c: SyscallCall, a: number): Value {
  return outMem(c, a, 256, (v) => {
    const mask = v.getUint32(0, true);
    const full = c.opts.verbose;
    const u32 = (off: number) => V.uint(v.getUint32(off, true));
    const u = (off: number) => bigU(v.getBigUint64(off, true));
    const p: [string, Value][] = [["stx_mask", fl(c, X.STATX_MASKS, mask, "STATX_???")]];
    if (full) p.push(["stx_blksize", u32(4)]);
    p.push(["stx_attributes", fl(c, X.STATX_ATTRS, u64At(v, 8), "STATX_ATTR_???")]);
    if (full) {
      if (mask & 0x4) p.push(["stx_nlink", u32(16)]);
      if (mask & 0x8) p.push(["stx_uid", uidV(v.getUint32(20, true))]);
      if (mask & 0x10) p.push(["stx_gid", uidV(v.getUint32(24, true))]);
    }
    if (mask & 0x3) p.push(["stx_mode", symbolicMode(c, v.getUint16(28, true))]);
    if (full && mask & 0x100) p.push(["stx_ino", u(32)]);
    if (mask & 0x200) p.push(["stx_size", u(40)]);
    if (full) {
      if (mask & 0x400) p.push(["stx_blocks", u(48)]);
      p.push(["stx_attributes_mask", fl(c, X.STATX_ATTRS, u64At(v, 56), "STATX_ATTR_???")]);
      if (mask & 0x20) p.push(["stx_atime", statxTs(v, 64)]);
      if (mask & 0x800) p.push(["stx_btime", statxTs(v, 80)]);
      if (mask & 0x80) p.push(["stx_ctime", statxTs(v, 96)]);
      if (mask & 0x40) p.push(["stx_mtime", statxTs(v, 112)]);
      p.push(["stx_rdev_major", u32(128)]);
      p.push(["stx_rdev_minor", u32(132)]);
      p.push(["stx_dev_major", u32(136)]);
      p.push(["stx_dev_minor", u32(140)]);
      if (mask & 0x1000) p.push(["stx_mnt_id", V.hex(v.getBigUint64(144, true))]);
      if (mask & 0x2000) {
        p.push(["stx_dio_mem_align", u32(152)]);
        p.push(["stx_dio_offset_align", u32(156)]);
      }
    }
    return V.struct(p, !full);
  });
}

/** A `struct statfs *` output argument (x86_64, 120 bytes). */
function statfsArg(c: SyscallCall, n: number): Value {
  return outMem(c, addr(c, n), 120, (v) => {
    const u = (off: number) => bigU(v.getBigUint64(off, true));
    const fsid = (off: number) => V.hex(v.getUint32(off, true));
    const p: [string, Value][] = [
      ["f_type", xv(c, X.FSMAGIC, u64At(v, 0))],
      ["f_bsize", u(8)],
      ["f_blocks", u(16)],
      ["f_bfree", u(24)],
      ["f_bavail", u(32)],
      ["f_files", u(40)],
      ["f_ffree", u(48)],
      ["f_fsid", V.struct([["val", V.array([fsid(56), fsid(60)])]])],
      ["f_namelen", u(64)],
      ["f_frsize", u(72)],
    ];
    const f = u64At(v, 80);
    if (f & 0x20) p.push(["f_flags", fl(c, X.STATFS_FLAGS, f, "ST_???")]);
    return V.struct(p);
  });
}

// ---------------------------------------------------------------------------------------------
// getdents64

/**
 * strace's `decode_dents` for `struct linux_dirent64` (header 19 bytes), or with `old` for
 * `getdents`'s `struct linux_dirent` (header 18 bytes, `d_type` in the record's last byte):
 * with `-v` an array of structs, else the address with the number of entries in a comment.
 */
function dentsV(c: SyscallCall, start: number, total: number, old = false): Value {
  const HEADER = old ? 18 : 19;
  const full = c.opts.verbose;
  let a = start;
  let len = total;
  let count = 0;
  const items: Value[] = [];
  let cut: string | undefined; // the array's truncation tail
  let single: Value | undefined; // what is printed instead of an array
  let brief: Value = V.ptr(start); // the abbreviated form
  for (;;) {
    if (len < HEADER) {
      if (full) {
        if (!len) count++;
        else if (count) items.push(hexStrV(c, a, len));
        else single = hexStrV(c, a, len);
      }
      break;
    }
    const b = c.mem.read(a, HEADER);
    if (!b) {
      if (full) {
        if (count) cut = `... /* ${hex(a)} */`;
        else single = V.unavailable(a);
      }
      break;
    }
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    count++;
    let reclen = v.getUint16(16, true);
    const fields: [string, Value][] = [];
    let reclenV: Value = V.uint(reclen);
    let nextAddr = 0;
    let nextLen = 0;
    let note: string | undefined;
    if (reclen > len) {
      note = `${reclen - len} bytes overflow`;
      reclen = len;
    } else if (reclen < HEADER) {
      note = `${HEADER - reclen} bytes underflow`;
      reclen = HEADER;
      nextLen = len - HEADER;
    } else {
      nextLen = len - reclen;
      if (nextLen) nextAddr = a + reclen;
    }
    len = nextLen;
    if (!full) {
      if (note) brief = V.comment(brief, "d_reclen " + note);
    } else {
      reclenV = V.comment(reclenV, note);
      fields.push(["d_ino", bigU(v.getBigUint64(0, true))]);
      fields.push(["d_off", bigU(v.getBigUint64(8, true))]);
      fields.push(["d_reclen", reclenV]);
      let rc = 0;
      if (old) rc = oldDentTail(c, a + HEADER, reclen - HEADER, fields);
      else {
        fields.push(["d_type", xv(c, X.DIRENT_TYPES, b[18], "DT_???")]);
        let nameLen = reclen - HEADER;
        if (nameLen) {
          if (nameLen > 256) nameLen = 256;
          const r = pathn(c, a + HEADER, nameLen - 1);
          fields.push(["d_name", r.v]);
          rc = r.rc;
        }
      }
      items.push(V.struct(fields));
      if (nextAddr && rc < 0) {
        cut = "...";
        break;
      }
    }
    if (!nextAddr) break;
    a = nextAddr;
  }
  if (!full) return V.comment(brief, `${count}${len ? "+" : ""} entries`);
  if (!count && single) return single;
  return V.array(items, cut !== undefined, cut);
}

/** The name and type of a `struct linux_dirent` record (strace's `dirent.c` tail). */
function oldDentTail(
  c: SyscallCall,
  a: number,
  nameTypeLen: number,
  fields: [string, Value][],
): number {
  let rc = 0;
  if (nameTypeLen > 0) {
    let nameLen = nameTypeLen - 1;
    if (nameLen) {
      if (nameLen > 256) nameLen = 256;
      const r = pathn(c, a, nameLen - 1);
      fields.push(["d_name", r.v]);
      rc = r.rc;
    }
    const t = c.mem.read(a + nameTypeLen - 1, 1);
    if (!t) {
      fields.push(["d_type", V.unavailable(a + nameTypeLen - 1)]);
      rc = -1;
    } else fields.push(["d_type", xv(c, X.DIRENT_TYPES, t[0], "DT_???")]);
  }
  return rc;
}

/** `getdents64`/`getdents` at exit: the entries, and the count argument. */
export function dentsExit(c: SyscallCall, old: boolean): Value[] {
  const count = c.args.ui(2);
  const body = c.errno || c.rval > count || noDeref(c)
    ? ptrV(c, 1)
    : dentsV(c, addr(c, 1), c.rval, old);
  return [body, V.uint(count)];
}

// ---------------------------------------------------------------------------------------------
// fcntl

const F = {
  DUPFD: 0,
  GETFD: 1,
  SETFD: 2,
  GETFL: 3,
  SETFL: 4,
  GETLK: 5,
  SETLK: 6,
  SETLKW: 7,
  SETOWN: 8,
  GETOWN: 9,
  SETSIG: 10,
  GETSIG: 11,
  SETOWN_EX: 15,
  GETOWN_EX: 16,
  OFD_GETLK: 36,
  OFD_SETLK: 37,
  OFD_SETLKW: 38,
  SETLEASE: 1024,
  GETLEASE: 1025,
  NOTIFY: 1026,
  DUPFD_CLOEXEC: 1030,
  SETPIPE_SZ: 1031,
  GETPIPE_SZ: 1032,
  ADD_SEALS: 1033,
  GET_SEALS: 1034,
} as const;

/** A `struct flock` (32 bytes on x86_64). */
function flockArg(c: SyscallCall, a: number, getlk: boolean): Value {
  return outMem(c, a, 32, (v) => {
    const f: [string, Value][] = [
      ["l_type", xv(c, X.LOCKFCMDS, v.getInt16(0, true), "F_???")],
      ["l_whence", xv(c, X.WHENCE_CODES, v.getInt16(2, true), "SEEK_???")],
      ["l_start", bigS(v.getBigInt64(8, true))],
      ["l_len", bigS(v.getBigInt64(16, true))],
    ];
    if (getlk) f.push(["l_pid", V.int(v.getInt32(24, true))]);
    return V.struct(f);
  });
}

/** A `struct f_owner_ex`. */
function ownerEx(c: SyscallCall, a: number): Value {
  return outMem(c, a, 8, (v) =>
    V.struct([
      ["type", xv(c, X.F_OWNER_TYPES, v.getInt32(0, true), "F_OWNER_???")],
      ["pid", V.int(v.getInt32(4, true))],
    ]));
}

/**
 * strace's `sprintflags(prefix, table, v)` for auxiliary result text, honouring `-X`:
 * `0x1 (flags FD_CLOEXEC)`.
 */
function auxFlags(c: SyscallCall, prefix: string, table: Xlat, v: number): FlagsValue {
  let aux: string;
  if (c.opts.xlat === "raw") aux = prefix + hex(v);
  else {
    const names = flags(table, v, "abbrev");
    if (c.opts.xlat === "verbose") {
      aux = names === hex(v) ? prefix + hex(v) : `${prefix}${hex(v)} /* ${names} */`;
    } else aux = prefix + names;
  }
  const { names, rest } = flagParts(table, v);
  return V.flagsOf(names, rest, v, `${hex(v)} (${aux})`);
}

const fcntl: SyscallDecoder = {
  enter(c) {
    const cmd = c.args.ui(1);
    const s = [fdArg(c, 0), xv(c, X.FCNTLCMDS, cmd, "F_???")];
    const arg = c.args.u(2);
    switch (cmd) {
      case F.SETFD:
        return whole([...s, fl(c, X.FDFLAGS, arg, "FD_???")]);
      case F.SETOWN:
        return whole([...s, iArg(c, 2)]);
      case F.SETPIPE_SZ:
      case F.DUPFD:
      case F.DUPFD_CLOEXEC:
        return whole([...s, sArg(c, 2)]);
      case F.SETFL:
        return whole([...s, openModesV(c, c.args.ui(2))]);
      case F.SETLK:
      case F.SETLKW:
      case F.OFD_SETLK:
      case F.OFD_SETLKW:
        return whole([...s, flockArg(c, arg, false)]);
      case F.SETOWN_EX:
        return whole([...s, ownerEx(c, arg)]);
      case F.NOTIFY:
        return whole([...s, fl(c, X.NOTIFYFLAGS, arg, "DN_???")]);
      case F.SETLEASE:
        return whole([...s, xv(c, X.LOCKFCMDS, arg, "F_???")]);
      case F.ADD_SEALS:
        return whole([...s, fl(c, X.F_SEALS, arg, "F_SEAL_???")]);
      case F.SETSIG: {
        const n = c.args.i(2);
        return whole([...s, V.signal(n, signalName(n), printSignal(n, c.opts.xlat))]);
      }
      case F.GETLK:
      case F.OFD_GETLK:
      case F.GETOWN_EX:
        // The struct is printed at exit, and the `, ` before it.
        return whole(s);
      case F.GETOWN:
      case F.GETPIPE_SZ:
      case F.GETFD:
      case F.GETFL:
      case F.GETLEASE:
      case F.GET_SEALS:
      case F.GETSIG:
        return whole(s);
      default:
        return whole([...s, hexArg(c, 2)]);
    }
  },
  exit(c) {
    const cmd = c.args.ui(1);
    switch (cmd) {
      case F.GETLK:
      case F.OFD_GETLK:
        return more([flockArg(c, addr(c, 2), true)]);
      case F.GETOWN_EX:
        return more([ownerEx(c, addr(c, 2))]);
    }
    return [];
  },
  result(c) {
    const cmd = c.args.ui(1);
    const r = c.rval;
    switch (cmd) {
      case F.DUPFD:
      case F.DUPFD_CLOEXEC:
        return fdResultV(c);
      case F.GETFD:
        return r === 0 ? undefined : auxFlags(c, "flags ", X.FDFLAGS, r);
      case F.GETFL: {
        const m = openModeParts(r);
        return V.flagsOf(m.names, m.rest, r, `${hex(r)} (flags ${openModesText(r)})`);
      }
      case F.GETLEASE: {
        const name = X.LOCKFCMDS.byValue.get(r);
        return V.named(name, r, name === undefined ? hex(r) : `${hex(r)} (${name})`);
      }
      case F.GET_SEALS:
        return r === 0 ? undefined : auxFlags(c, "seals ", X.F_SEALS, r);
      case F.GETSIG: {
        if (r === 0) return undefined;
        const name = signalName(r);
        return name === undefined ? undefined : V.signal(r, name, `${r} (${name})`);
      }
    }
    return undefined;
  },
};

// ---------------------------------------------------------------------------------------------
// ioctl

let ioctlIndex: Map<number, string[]> | undefined;

/** The names strace knows for an ioctl request code, in its order. */
export function ioctlNames(code: number): string[] {
  if (!ioctlIndex) {
    ioctlIndex = new Map();
    for (const [name, v] of ioctls()) {
      const list = ioctlIndex.get(v);
      if (list) list.push(name);
      else ioctlIndex.set(v, [name]);
    }
  }
  return ioctlIndex.get(code >>> 0) ?? [];
}

/** strace's `ioctl_print_code`: `_IOC(_IOC_READ, 0x12, 0x34, 0x8)`. */
function ioctlCode(c: SyscallCall, code: number): Value {
  const dir = code >>> 30;
  const d = c.opts.xlat !== "verbose"
    ? V.flags(X.IOCTL_DIRS, dir, c.opts.xlat, "_IOC_???")
    : V.flags(X.IOCTL_DIRS, dir, "abbrev");
  return V.call("_IOC", [
    d,
    V.hex((code >>> 8) & 0xff),
    V.hex(code & 0xff),
    V.hex((code >>> 16) & 0x3fff),
  ]);
}

/** The request of an ioctl, honouring `-X`: its names (`TCGETS`), or `_IOC(…)`. */
function ioctlRequest(c: SyscallCall, code: number): Value {
  const style = c.opts.xlat;
  if (style === "raw") return V.hex(code);
  const names = ioctlNames(code);
  if (names.length) {
    const name = names.join(" or ");
    return V.named(name, code, style === "verbose" ? `${hex(code)} /* ${name} */` : name);
  }
  const call = ioctlCode(c, code);
  return style === "verbose" ? V.comment(V.hex(code), call.text) : call;
}

const TCGETS = 0x5401,
  TCSETS = 0x5402,
  TCSETSW = 0x5403,
  TCSETSF = 0x5404,
  TCGETA = 0x5405,
  TCSETA = 0x5406,
  TCSETAW = 0x5407,
  TCSETAF = 0x5408,
  TCSBRK = 0x5409,
  TCXONC = 0x540a,
  TCFLSH = 0x540b,
  TIOCEXCL = 0x540c,
  TIOCNXCL = 0x540d,
  TIOCSCTTY = 0x540e,
  TIOCGPGRP = 0x540f,
  TIOCSPGRP = 0x5410,
  TIOCOUTQ = 0x5411,
  TIOCSTI = 0x5412,
  TIOCGWINSZ = 0x5413,
  TIOCSWINSZ = 0x5414,
  TIOCMGET = 0x5415,
  TIOCMBIS = 0x5416,
  TIOCMBIC = 0x5417,
  TIOCMSET = 0x5418,
  TIOCGSOFTCAR = 0x5419,
  TIOCSSOFTCAR = 0x541a,
  FIONREAD = 0x541b,
  TIOCCONS = 0x541d,
  TIOCPKT = 0x5420,
  FIONBIO = 0x5421,
  TIOCNOTTY = 0x5422,
  TIOCSETD = 0x5423,
  TIOCGETD = 0x5424,
  TCSBRKP = 0x5425,
  TIOCSBRK = 0x5427,
  TIOCCBRK = 0x5428,
  TIOCGSID = 0x5429,
  TCGETS2 = 0x802c542a,
  TCSETS2 = 0x402c542b,
  TCSETSW2 = 0x402c542c,
  TCSETSF2 = 0x402c542d,
  TIOCGPTN = 0x80045430,
  TIOCSPTLCK = 0x40045431,
  TIOCGDEV = 0x80045432,
  TIOCVHANGUP = 0x5437,
  TIOCGEXCL = 0x80045440,
  FIONCLEX = 0x5450,
  FIOCLEX = 0x5451,
  FIOASYNC = 0x5452,
  TIOCGLCKTRMIOS = 0x5456,
  TIOCSLCKTRMIOS = 0x5457;

/** Flags made of enumerated fields and a flag remainder, as strace's `decode_flags` prints them. */
function composite(parts: readonly (EnumValue | FlagsValue)[], value: number, text: string): Value {
  const names: string[] = [];
  let rest = 0;
  for (const p of parts) {
    if (p.kind === "enum") {
      if (p.name !== undefined) names.push(p.name);
      else rest += Number(p.value);
    } else {
      names.push(...p.names);
      rest += Number(p.rest);
    }
  }
  return V.flagsOf(names, rest, value, text);
}

/** The four flag words of a termios, as strace's `decode_flags` prints them. */
function termFlags(
  c: SyscallCall,
  i: number,
  o: number,
  cf: number,
  l: number,
): [string, Value][] {
  const m = X.TERM_MASKS;
  const oparts: (EnumValue | FlagsValue)[] = [];
  let ov = o;
  for (
    const [t, mask, dflt] of [
      [X.TERM_OFLAGS_NLDLY, m.NLDLY, "NL?"],
      [X.TERM_OFLAGS_CRDLY, m.CRDLY, "CR?"],
      [X.TERM_OFLAGS_TABDLY, m.TABDLY, "TAB?"],
      [X.TERM_OFLAGS_BSDLY, m.BSDLY, "BS?"],
      [X.TERM_OFLAGS_VTDLY, m.VTDLY, "VT?"],
      [X.TERM_OFLAGS_FFDLY, m.FFDLY, "FF?"],
    ] as const
  ) {
    oparts.push(xv(c, t, and53(ov, mask), dflt));
    ov = andNot53(ov, mask);
  }
  oparts.push(fl(c, X.TERM_OFLAGS, ov));
  const oflag = composite(oparts, o, oparts.map((p) => p.text).join("|"));
  const cparts: (EnumValue | FlagsValue)[] = [xv(c, X.BAUD_OPTIONS, and53(cf, m.CBAUD), "B???")];
  let ctext = cparts[0].text + "|";
  if (and53(cf, m.CIBAUD)) {
    const ib = c.opts.xlat === "raw"
      ? hex(m.IBSHIFT)
      : c.opts.xlat === "verbose"
      ? `${hex(m.IBSHIFT)} /* IBSHIFT */`
      : "IBSHIFT";
    const ibaud = xv(c, X.BAUD_OPTIONS, Math.floor(and53(cf, m.CIBAUD) / 2 ** m.IBSHIFT), "B???");
    ctext += ibaud.text + "<<" + ib + "|";
    cparts.push(
      ibaud.name === undefined ? ibaud : V.named(ibaud.name + "<<IBSHIFT", ibaud.value, ""),
    );
  }
  const csize = xv(c, X.TERM_CFLAGS_CSIZE, and53(cf, m.CSIZE), "CS?");
  const crest = fl(c, X.TERM_CFLAGS, andNot53(cf, m.CBAUD + m.CIBAUD + m.CSIZE));
  cparts.push(csize, crest);
  ctext += csize.text + "|" + crest.text;
  return [
    ["c_iflag", fl(c, X.TERM_IFLAGS, i)],
    ["c_oflag", oflag],
    ["c_cflag", composite(cparts, cf, ctext)],
    ["c_lflag", fl(c, X.TERM_LFLAGS, l)],
  ];
}

/** The `c_cc` array, `[[VINTR]=0x3, …]`: a struct of the control characters by name in JSON. */
function termCc(v: DataView, off: number, n: number): StructValue {
  const fields: [string, Value][] = [];
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = X.TERMIOS_CC.byValue.get(i) ?? String(i);
    const ch = V.hex(v.getUint8(off + i));
    fields.push([name, ch]);
    parts.push(`[${name}]=${ch.text}`);
  }
  return { kind: "struct", fields, more: false, text: "[" + parts.join(", ") + "]" };
}

/** `struct termios` (36 bytes) or `struct termios2` (44 bytes). */
function termios(c: SyscallCall, a: number, two: boolean): Value {
  return outMem(c, a, two ? 44 : 36, (v) => {
    const f = termFlags(
      c,
      v.getUint32(0, true),
      v.getUint32(4, true),
      v.getUint32(8, true),
      v.getUint32(12, true),
    );
    if (!c.opts.verbose) return V.struct(f, true);
    f.push(["c_line", xv(c, X.TERM_LINE_DISCS, v.getUint8(16), "N_???")]);
    f.push(["c_cc", termCc(v, 17, X.TERM_MASKS.NCCS)]);
    if (two) {
      f.push(["c_ispeed", V.uint(v.getUint32(36, true))]);
      f.push(["c_ospeed", V.uint(v.getUint32(40, true))]);
    }
    return V.struct(f);
  });
}

/** `struct termio` (18 bytes). */
function termio(c: SyscallCall, a: number): Value {
  return outMem(c, a, 17, (v) => {
    const f = termFlags(
      c,
      v.getUint16(0, true),
      v.getUint16(2, true),
      v.getUint16(4, true),
      v.getUint16(6, true),
    );
    if (!c.opts.verbose) return V.struct(f, true);
    f.push(["c_line", xv(c, X.TERM_LINE_DISCS, v.getUint8(8), "N_???")]);
    f.push(["c_cc", termCc(v, 9, 8)]);
    return V.struct(f);
  });
}

/** `struct winsize`. */
function winsize(c: SyscallCall, a: number): Value {
  return outMem(c, a, 8, (v) =>
    V.struct([
      ["ws_row", V.uint(v.getUint16(0, true))],
      ["ws_col", V.uint(v.getUint16(2, true))],
      ["ws_xpixel", V.uint(v.getUint16(4, true))],
      ["ws_ypixel", V.uint(v.getUint16(6, true))],
    ]));
}

/** A terminal request that takes no argument. */
const NO_ARG = "none";

/** `int *` of modem bits: `[TIOCM_DTR|TIOCM_RTS]`. */
function modemBits(c: SyscallCall, a: number): Value {
  return outMem(c, a, 4, (v) => V.array([fl(c, X.MODEM_FLAGS, v.getUint32(0, true), "TIOCM_???")]));
}

/**
 * strace's `term_ioctl`: the argument to print now, `null` when the request prints at exit
 * (`get`), {@linkcode NO_ARG} for requests without one, `undefined` for requests it does not
 * decode.
 */
function termIoctl(
  c: SyscallCall,
  code: number,
  exiting: boolean,
): Value | null | undefined | typeof NO_ARG {
  const a = addr(c, 2);
  switch (code) {
    case TCGETS2:
      if (!exiting) return null;
      return termios(c, a, true);
    case TCSETS2:
    case TCSETSW2:
    case TCSETSF2:
      return termios(c, a, true);
    case TCGETS:
    case TIOCGLCKTRMIOS:
      if (!exiting) return null;
      return termios(c, a, false);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TIOCSLCKTRMIOS:
      return termios(c, a, false);
    case TCGETA:
      if (!exiting) return null;
      return termio(c, a);
    case TCSETA:
    case TCSETAW:
    case TCSETAF:
      return termio(c, a);
    case TIOCGWINSZ:
      if (!exiting) return null;
      return winsize(c, a);
    case TIOCSWINSZ:
      return winsize(c, a);
    case TCXONC:
      return xv(c, X.TCXONC_OPTIONS, c.args.u(2), "TC???");
    case TCFLSH:
      return xv(c, X.TCFLSH_OPTIONS, c.args.u(2), "TC???");
    case TCSBRK:
    case TCSBRKP:
    case TIOCSCTTY:
      return iArg(c, 2);
    case TIOCMGET:
      if (!exiting) return null;
      return modemBits(c, a);
    case TIOCMBIS:
    case TIOCMBIC:
    case TIOCMSET:
      return modemBits(c, a);
    case TIOCGPGRP:
    case TIOCGSID:
    case TIOCGETD:
    case TIOCGSOFTCAR:
    case TIOCGPTN:
    case FIONREAD:
    case TIOCOUTQ:
    case TIOCGEXCL:
    case TIOCGDEV:
      if (!exiting) return null;
      return numInt(c, a);
    case TIOCSPGRP:
    case TIOCSETD:
    case FIONBIO:
    case FIOASYNC:
    case TIOCPKT:
    case TIOCSSOFTCAR:
    case TIOCSPTLCK:
      return numInt(c, a);
    case TIOCSTI:
      return strnV(c, a, 1);
    case TIOCSBRK:
    case TIOCCBRK:
    case TIOCCONS:
    case TIOCNOTTY:
    case TIOCEXCL:
    case TIOCNXCL:
    case FIOCLEX:
    case FIONCLEX:
    case TIOCVHANGUP:
      return NO_ARG;
  }
  return undefined;
}

/** `FICLONE`: `_IOW(0x94, 9, int)`. */
const FICLONE = 0x40049409;

const ioctl: SyscallDecoder = {
  enter(c) {
    const code = c.args.ui(1);
    const s = [fdArg(c, 0), ioctlRequest(c, code)];
    if (((code >>> 8) & 0xff) === 0x54) {
      const r = termIoctl(c, code, false);
      if (r === null) {
        // The argument is printed at exit, and the `, ` before it.
        c.state.fsIoctlExit = true;
        return whole(s);
      }
      if (r === NO_ARG) return whole(s);
      if (r !== undefined) return whole([...s, r]);
    }
    if (((code >>> 8) & 0xff) === 0xaa) {
      const r = uffdIoctlEnter(c, code, s);
      if (r) return r;
    }
    // FICLONE (cp's reflink attempt): the source descriptor, as a plain int.
    if (code === FICLONE) return whole([...s, iArg(c, 2)]);
    return whole([...s, hexArg(c, 2)]);
  },
  exit(c) {
    const u = uffdIoctlExit(c);
    if (u) return u;
    if (!c.state.fsIoctlExit) return [];
    const r = termIoctl(c, c.args.ui(1), true);
    return more([r && r !== NO_ARG ? r : hexArg(c, 2)]);
  },
};

// ---------------------------------------------------------------------------------------------
// Misc helpers used by several decoders

/** `utimensat`'s `const struct timespec times[2]`. */
function utimePair(c: SyscallCall, a: number): Value {
  return structV(c, a, 32, (v) => {
    const items: Value[] = [];
    for (let i = 0; i < 2; i++) {
      const sec = v.getBigInt64(i * 16, true);
      const nsec = v.getBigInt64(i * 16 + 8, true);
      const ts = V.struct([["tv_sec", bigS(sec)], ["tv_nsec", bigU(nsec)]]);
      if (nsec === 0x3fffffffn || nsec === 0x3ffffffen) {
        const name = nsec === 0x3fffffffn ? "UTIME_NOW" : "UTIME_OMIT";
        const style = c.opts.xlat;
        items.push(
          style === "abbrev"
            ? V.named(name, nsec, name)
            : V.comment(ts, style === "raw" ? undefined : name),
        );
      } else items.push(timed(ts, sec, nsec));
    }
    return V.array(items);
  });
}

/** memfd_create flags; the huge page size as `N<<MFD_HUGE_SHIFT` among the names. */
function memfdFlags(c: SyscallCall, v: number): FlagsValue {
  const style = c.opts.xlat;
  const mask = 0x3f << 26;
  const huge = (v & mask) >>> 0;
  const rest = (v & ~mask) >>> 0;
  const p = rest ? flagParts(X.MEMFD_CREATE_FLAGS, rest) : { names: [], rest: 0 };
  const names = huge ? [...p.names, `${huge >>> 26}<<MFD_HUGE_SHIFT`] : p.names;
  let out = "";
  if (!v || style !== "abbrev") out += hex(v);
  if (!v || style === "raw") return V.flagsOf(names, p.rest, v, out);
  let t = "";
  if (rest || !huge) t += flags(X.MEMFD_CREATE_FLAGS, rest, "abbrev", "MFD_???");
  if (huge) {
    if (rest) t += "|";
    t += `${huge >>> 26}<<MFD_HUGE_SHIFT`;
  }
  return V.flagsOf(names, p.rest, v, style === "verbose" ? `${out} /* ${t} */` : t);
}

/** `name_to_handle_at`'s file handle bytes (`???` when unreadable). */
export function fHandleV(c: SyscallCall, a: number, bytes: number): Value {
  const len = Math.min(bytes, 128);
  const b = c.mem.read(a + 8, len);
  if (!b) return unreadable(a + 8, "???");
  return V.str(
    b,
    '"' + quoteBytes(b, 2) + '"' + (bytes > len ? "..." : ""),
    bytes > len,
    bytes > len ? bytes : undefined,
  );
}

/** `mknod`/`mknodat` tail: path, mode, device. */
function mknodTail(c: SyscallCall, off: number): Value[] {
  const mode = c.args.ui(off + 1) & 0xffff;
  const out: Value[] = [pathArgV(c, off), symbolicMode(c, mode)];
  const fmt = mode & 0o170000;
  if (fmt === 0o020000 || fmt === 0o060000) out.push(devV(c, BigInt(c.args.ui(off + 2))));
  return out;
}

/** `renameat`-style `olddirfd, oldpath, newdirfd, newpath`. */
function twoAt(c: SyscallCall): Value[] {
  return [dirfdArg(c, 0), pathArgV(c, 1), dirfdArg(c, 2), pathArgV(c, 3)];
}

/** A getxattr-like value and its size argument. */
function xattrVal(c: SyscallCall, a: number, insize: Value, size: bigint): Value[] {
  return [size > 65536n ? V.ptr(a) : strOmitTrailing0V(c, a, Number(size)), insize];
}

/** fanotify_init's class and flags. */
function fanInitFlags(c: SyscallCall, v: number): Value {
  const cls = xv(c, X.FAN_CLASSES, v & 0xc, "FAN_CLASS_???");
  const rest = (v & ~0xc) >>> 0;
  if (!rest) return composite([cls], v, cls.text);
  const f = fl(c, X.FAN_INIT_FLAGS, rest, "FAN_???");
  return composite([cls, f], v, cls.text + "|" + f.text);
}

/** statx's flags argument. */
function statxFlags(c: SyscallCall, v: number): Value {
  const sync = fl(c, X.AT_STATX_SYNC_TYPES, v & 0x6000);
  const rest = (v & ~0x6000) >>> 0;
  if (!rest) return sync;
  const f = fl(c, X.AT_FLAGS, rest);
  return composite([sync, f], v, sync.text + "|" + f.text);
}

/** A NUL-terminated string argument limited by `-s` (strace's `printstr`). */
function strArg(c: SyscallCall, n: number): Value {
  return cstrV(c, addr(c, n));
}

/** The path or descriptor an xattr call names. */
function xattrTarget(c: SyscallCall, byFd: boolean): Value {
  return byFd ? fdArg(c, 0) : pathArgV(c, 0);
}

// ---------------------------------------------------------------------------------------------
// The table

const pathOnly = atEntryV((c) => [pathArgV(c, 0)]);
const fdOnly = atEntryV((c) => [fdArg(c, 0)]);
const pathMode = atEntryV((c) => [pathArgV(c, 0), modeArg(c, 1)]);
const atPathMode = atEntryV((c) => [dirfdArg(c, 0), pathArgV(c, 1), modeArg(c, 2)]);
const twoPaths = atEntryV((c) => [pathArgV(c, 0), pathArgV(c, 1)]);
const chown = atEntryV((c) => [pathArgV(c, 0), uidV(c.args.ui(1)), uidV(c.args.ui(2))]);
const statPath: SyscallDecoder = {
  enter: (c) => [pathArgV(c, 0)],
  exit: (c) => [statArg(c, 1)],
};
const readlinkDec = (off: number): SyscallDecoder => ({
  enter: (c) => off ? [dirfdArg(c, 0), pathArgV(c, off)] : [pathArgV(c, off)],
  exit: (c) => [
    c.errno ? ptrV(c, off + 1) : strnV(c, addr(c, off + 1), c.rval),
    uArg(c, off + 2),
  ],
});
const getxattrDec = (byFd: boolean): SyscallDecoder => ({
  enter: (c) => [xattrTarget(c, byFd), strArg(c, 1)],
  exit: (c) => xattrVal(c, addr(c, 2), uArg(c, 3), BigInt.asUintN(64, c.rvalBig)),
});
const setxattrDec = (byFd: boolean): SyscallDecoder =>
  atEntryV((c) => [
    xattrTarget(c, byFd),
    strArg(c, 1),
    ...xattrVal(c, addr(c, 2), uArg(c, 3), BigInt.asUintN(64, c.args.big(3))),
    fl(c, X.XATTRFLAGS, c.args.u(4), "XATTR_???"),
  ]);
const listxattrDec = (byFd: boolean): SyscallDecoder => ({
  enter: (c) => [xattrTarget(c, byFd)],
  exit: (c) => [
    !c.args.u(2) || c.errno ? ptrV(c, 1) : strnV(c, addr(c, 1), c.rval),
    uArg(c, 2),
  ],
});
const removexattrDec = (byFd: boolean): SyscallDecoder =>
  atEntryV((c) => [xattrTarget(c, byFd), strArg(c, 1)]);

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  read,
  pread64: read,
  write,
  pwrite64: write,
  readv: readvLike(false, -1),
  preadv: readvLike(true, -1),
  preadv2: readvLike(true, 5),
  writev: writevLike(false, -1),
  pwritev: writevLike(true, -1),
  pwritev2: writevLike(true, 5),

  open: atEntryV((c) => openTail(c, 0), fdResultV),
  openat: atEntryV((c) => [dirfdArg(c, 0), ...openTail(c, 1)], fdResultV),
  openat2: atEntryV(
    (c) => [
      dirfdArg(c, 0),
      pathArgV(c, 1),
      openHow(c, addr(c, 2), BigInt.asUintN(64, c.args.big(3))),
      uArg(c, 3),
    ],
    fdResultV,
  ),
  creat: atEntryV((c) => [pathArgV(c, 0), modeArg(c, 1)], fdResultV),
  close: fdOnly,
  close_range: atEntryV((c) => [
    uiArg(c, 0),
    uiArg(c, 1),
    fl(c, X.CLOSE_RANGE_FLAGS, c.args.u(2), "CLOSE_RANGE_???"),
  ]),
  dup: atEntryV((c) => [fdArg(c, 0)], fdResultV),
  dup2: atEntryV((c) => [fdArg(c, 0), fdArg(c, 1)], fdResultV),
  dup3: atEntryV(
    (c) => [fdArg(c, 0), fdArg(c, 1), fl(c, X.OPEN_MODE_FLAGS, c.args.u(2), "O_???")],
    fdResultV,
  ),
  lseek: atEntryV((c) => [
    fdArg(c, 0),
    sArg(c, 1),
    xv(c, X.WHENCE_CODES, c.args.ui(2), "SEEK_???"),
  ]),

  stat: statPath,
  lstat: statPath,
  fstat: { enter: (c) => [fdArg(c, 0)], exit: (c) => [statArg(c, 1)] },
  newfstatat: {
    enter: (c) => [dirfdArg(c, 0), pathArgV(c, 1)],
    exit: (c) => [statArg(c, 2), fl(c, X.AT_FLAGS, c.args.u(3), "AT_???")],
  },
  statx: {
    enter: (c) => [
      dirfdArg(c, 0),
      pathArgV(c, 1),
      statxFlags(c, c.args.ui(2)),
      fl(c, X.STATX_MASKS, c.args.ui(3), "STATX_???"),
    ],
    exit: (c) => [statxArg(c, addr(c, 4))],
  },
  statfs: { enter: (c) => [pathArgV(c, 0)], exit: (c) => [statfsArg(c, 1)] },
  fstatfs: { enter: (c) => [fdArg(c, 0)], exit: (c) => [statfsArg(c, 1)] },

  access: atEntryV((c) => [pathArgV(c, 0), fl(c, X.ACCESS_MODES, c.args.u(1), "?_OK")]),
  faccessat: atEntryV((c) => [
    dirfdArg(c, 0),
    pathArgV(c, 1),
    fl(c, X.ACCESS_MODES, c.args.u(2), "?_OK"),
  ]),
  faccessat2: atEntryV((c) => [
    dirfdArg(c, 0),
    pathArgV(c, 1),
    fl(c, X.ACCESS_MODES, c.args.u(2), "?_OK"),
    fl(c, X.FACCESSAT_FLAGS, c.args.u(3), "AT_???"),
  ]),

  fcntl,
  ioctl,

  getdents64: { enter: (c) => [fdArg(c, 0)], exit: (c) => dentsExit(c, false) },

  readlink: readlinkDec(0),
  readlinkat: readlinkDec(1),
  rename: twoPaths,
  renameat: atEntryV(twoAt),
  renameat2: atEntryV((c) => [...twoAt(c), fl(c, X.RENAME_FLAGS, c.args.u(4), "RENAME_??")]),
  unlink: pathOnly,
  unlinkat: atEntryV((c) => [
    dirfdArg(c, 0),
    pathArgV(c, 1),
    fl(c, X.AT_FLAGS, c.args.u(2), "AT_???"),
  ]),
  mkdir: pathMode,
  mkdirat: atPathMode,
  rmdir: pathOnly,
  chdir: pathOnly,
  fchdir: fdOnly,
  getcwd: {
    exit: (c) => [c.errno ? ptrV(c, 0) : pathn(c, addr(c, 0), c.rval - 1).v, uArg(c, 1)],
  },
  chmod: pathMode,
  fchmod: atEntryV((c) => [fdArg(c, 0), modeArg(c, 1)]),
  fchmodat: atPathMode,
  chown,
  lchown: chown,
  fchown: atEntryV((c) => [fdArg(c, 0), uidV(c.args.ui(1)), uidV(c.args.ui(2))]),
  fchownat: atEntryV((c) => [
    dirfdArg(c, 0),
    pathArgV(c, 1),
    uidV(c.args.ui(2)),
    uidV(c.args.ui(3)),
    fl(c, X.AT_FLAGS, c.args.u(4), "AT_???"),
  ]),
  truncate: atEntryV((c) => [pathArgV(c, 0), uArg(c, 1)]),
  ftruncate: atEntryV((c) => [fdArg(c, 0), uArg(c, 1)]),
  fsync: fdOnly,
  fdatasync: fdOnly,
  syncfs: fdOnly,
  sync: atEntryV(() => []),

  // `sendfile(4, 3, [0] => [16], 100)`: the offset at entry, the new one at exit.
  sendfile: {
    enter(c) {
      const a = addr(c, 2);
      const off = num64(c, a, false);
      if (!a || noDeref(c) || !c.mem.read(a, 8)) {
        c.state.fsSendfileDone = true;
        return whole([fdArg(c, 0), fdArg(c, 1), off, uArg(c, 3)]);
      }
      c.state.fsSendfileOffset = off;
      return whole([fdArg(c, 0), fdArg(c, 1), off]);
    },
    exit(c) {
      if (c.state.fsSendfileDone) return [];
      if (c.errno || !c.rval) return more([uArg(c, 3)]);
      const before = c.state.fsSendfileOffset as Value;
      const change = V.change(before, num64(c, addr(c, 2), false));
      return amend([continued(change, before.text), uArg(c, 3)]);
    },
  },
  copy_file_range: atEntryV((c) => [
    fdArg(c, 0),
    num64(c, addr(c, 1), true),
    fdArg(c, 2),
    num64(c, addr(c, 3), true),
    uArg(c, 4),
    uiArg(c, 5),
  ]),
  splice: atEntryV((c) => [
    fdArg(c, 0),
    num64(c, addr(c, 1), true),
    fdArg(c, 2),
    num64(c, addr(c, 3), true),
    uArg(c, 4),
    fl(c, X.SPLICE_FLAGS, c.args.u(5), "SPLICE_F_???"),
  ]),
  tee: atEntryV((c) => [
    fdArg(c, 0),
    fdArg(c, 1),
    uArg(c, 2),
    fl(c, X.SPLICE_FLAGS, c.args.u(3), "SPLICE_F_???"),
  ]),

  inotify_init: atEntryV(() => [], fdResultV),
  inotify_init1: atEntryV(
    (c) => [fl(c, X.INOTIFY_INIT_FLAGS, c.args.u(0), "IN_???")],
    fdResultV,
  ),
  inotify_add_watch: atEntryV((c) => [
    fdArg(c, 0),
    pathArgV(c, 1),
    fl(c, X.INOTIFY_FLAGS, c.args.ui(2), "IN_???"),
  ]),
  inotify_rm_watch: atEntryV((c) => [fdArg(c, 0), iArg(c, 1)]),
  fanotify_init: atEntryV(
    (c) => [fanInitFlags(c, c.args.ui(0)), openModesV(c, c.args.ui(1))],
    fdResultV,
  ),
  fanotify_mark: atEntryV((c) => {
    const d = c.args.i(3);
    const st = c.opts.xlat;
    return [
      fdArg(c, 0),
      fl(c, X.FAN_MARK_FLAGS, c.args.ui(1), "FAN_MARK_???"),
      fl(c, X.FAN_EVENT_FLAGS, c.args.u(2), "FAN_???"),
      d === -1
        ? V.named(
          "FAN_NOFD",
          -1,
          st === "raw" ? "-1" : st === "verbose" ? "-1 /* FAN_NOFD */" : "FAN_NOFD",
        )
        : dirfdV(c, d),
      pathArgV(c, 4),
    ];
  }),

  utimensat: atEntryV((c) => [
    dirfdArg(c, 0),
    pathArgV(c, 1),
    utimePair(c, addr(c, 2)),
    fl(c, X.AT_FLAGS, c.args.u(3), "AT_???"),
  ]),
  umask: atEntryV(
    (c) => [modeArg(c, 0)],
    // strace prints the old mask as `%#03o` too: `= 022`, `= 007`, `= 000`.
    (c) => modeV(c.rval),
  ),
  link: twoPaths,
  linkat: atEntryV((c) => [...twoAt(c), fl(c, X.AT_FLAGS, c.args.u(4), "AT_???")]),
  symlink: twoPaths,
  symlinkat: atEntryV((c) => [pathArgV(c, 0), dirfdArg(c, 1), pathArgV(c, 2)]),
  mknod: atEntryV((c) => mknodTail(c, 0)),
  mknodat: atEntryV((c) => [dirfdArg(c, 0), ...mknodTail(c, 1)]),
  flock: atEntryV((c) => [fdArg(c, 0), fl(c, X.FLOCKCMDS, c.args.u(1), "LOCK_???")]),
  fadvise64: atEntryV((c) => [
    fdArg(c, 0),
    sArg(c, 1),
    uArg(c, 2),
    xv(c, X.ADVISE, c.args.u(3), "POSIX_FADV_???"),
  ]),
  fallocate: atEntryV((c) => [
    fdArg(c, 0),
    fl(c, X.FALLOC_FLAGS, c.args.u(1), "FALLOC_FL_???"),
    sArg(c, 2),
    sArg(c, 3),
  ]),

  getxattr: getxattrDec(false),
  lgetxattr: getxattrDec(false),
  fgetxattr: getxattrDec(true),
  setxattr: setxattrDec(false),
  lsetxattr: setxattrDec(false),
  fsetxattr: setxattrDec(true),
  listxattr: listxattrDec(false),
  llistxattr: listxattrDec(false),
  flistxattr: listxattrDec(true),
  removexattr: removexattrDec(false),
  lremovexattr: removexattrDec(false),
  fremovexattr: removexattrDec(true),

  memfd_create: atEntryV(
    (c) => [cstrV(c, addr(c, 0), Math.min(249, c.opts.strsize)), memfdFlags(c, c.args.ui(1))],
    fdResultV,
  ),

  // `{handle_bytes=128 => 8, handle_type=1, f_handle="…"}`: opened at entry, completed at exit.
  name_to_handle_at: {
    enter(c) {
      const a = addr(c, 2);
      const b = a && !noDeref(c) ? c.mem.read(a, 8) : null;
      if (!b) {
        c.state.fsHandleDone = true;
        return whole([
          dirfdArg(c, 0),
          pathArgV(c, 1),
          V.ptr(a),
          ptrV(c, 3),
          fl(c, X.NAME_TO_HANDLE_AT_FLAGS, c.args.u(4), "AT_???"),
        ]);
      }
      const hb = new DataView(b.buffer, b.byteOffset).getUint32(0, true);
      c.state.fsHandleBytes = hb;
      const open = V.struct([["handle_bytes", V.uint(hb)]]);
      return whole([dirfdArg(c, 0), pathArgV(c, 1), { ...open, text: open.text.slice(0, -1) }]);
    },
    exit(c) {
      if (c.state.fsHandleDone) return [];
      const a = addr(c, 2);
      const before = V.uint(c.state.fsHandleBytes as number);
      const fields: [string, Value][] = [["handle_bytes", before]];
      if (!c.errno || c.errno === 75) {
        const b = c.mem.read(a, 8);
        if (b) {
          const v = new DataView(b.buffer, b.byteOffset);
          const hb = v.getUint32(0, true);
          if (hb !== before.value) fields[0] = ["handle_bytes", V.change(before, V.uint(hb))];
          if (!c.errno) {
            fields.push(["handle_type", V.int(v.getInt32(4, true))]);
            fields.push(["f_handle", fHandleV(c, a, hb)]);
          }
        }
      }
      return amend([
        continued(V.struct(fields), "{handle_bytes=" + before.text),
        numInt(c, addr(c, 3)),
        fl(c, X.NAME_TO_HANDLE_AT_FLAGS, c.args.u(4), "AT_???"),
      ]);
    },
  },
};
