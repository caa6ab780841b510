/**
 * Decoders for the fs family of syscalls: reading and writing (`read`, `pwritev2`, …), opening
 * and closing descriptors, `stat`/`statx`/`statfs`, `fcntl`, `getdents64`, paths (`rename`,
 * `unlinkat`, `mkdir`, …), ownership and modes, `sendfile`/`splice`, inotify/fanotify, xattrs,
 * `memfd_create`, `name_to_handle_at` and `ioctl` (terminal requests, names of all others).
 * Output follows strace 6.1 exactly.
 * @module
 */
import { ioctls } from "./xlat/ioctls.ts";
import type { DecoderTable, SyscallCall, SyscallDecoder } from "./api.ts";
import {
  dirfd,
  fd,
  hex,
  iovecArray,
  noDeref,
  pathArg,
  ptr,
  ptrText,
  quoteBytes,
  strn,
} from "./format.ts";
import { and53, andNot53, flags, type Xlat, xval } from "./xlat.ts";
import * as X from "./xlat/fs.ts";
import { printSignal, signalName } from "./signame.ts";
import { u64At } from "./u64.ts";

// ---------------------------------------------------------------------------------------------
// Small printers

/** Prints a bit set with the call's `-X` style. */
function fl(c: SyscallCall, table: Xlat, v: number, dflt?: string): string {
  // strace's printflags prints nothing at all for 0 without a default and a zero entry.
  if (v === 0 && dflt === undefined && (c.opts.xlat === "raw" || !table.byValue.has(0))) {
    return "";
  }
  return flags(table, v, c.opts.xlat, dflt);
}

/** Prints an enumeration value with the call's `-X` style. */
function xv(c: SyscallCall, table: Xlat, v: number, dflt?: string): string {
  return xval(table, v, c.opts.xlat, dflt);
}

/** Argument `n` as an unsigned 64-bit decimal (strace's `PRINT_VAL_U` of a `kernel_ulong_t`). */
function argU(c: SyscallCall, n: number): string {
  return BigInt.asUintN(64, c.args.big(n)).toString();
}

/** Argument `n` as a signed 64-bit decimal (strace's `PRINT_VAL_D` / `print_arg_lld`). */
function argD(c: SyscallCall, n: number): string {
  return BigInt.asIntN(64, c.args.big(n)).toString();
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

/** strace's `print_symbolic_mode_t`: `S_IFREG|0644`, `S_IFDIR|S_ISVTX|0777`, `0644`. */
export function symbolicMode(c: SyscallCall, mode: number): string {
  mode >>>= 0;
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

/** The text of open(2) flags without `-X` handling: `O_RDONLY|O_CLOEXEC`. */
export function openModesText(v: number): string {
  const acc = and53(v, 3);
  const name = X.OPEN_ACCESS_MODES.byValue.get(acc)!;
  const rest = andNot53(v, 3);
  if (!rest) return name;
  return name + "|" + flags(X.OPEN_MODE_FLAGS, rest, "abbrev");
}

/** Prints open(2) flags honouring `-X` (strace's `tprint_open_modes`). */
export function openModes(c: SyscallCall, v: number): string {
  if (c.opts.xlat === "raw") return hex(v);
  const text = openModesText(v);
  return c.opts.xlat === "verbose" ? `${hex(v)} /* ${text} */` : text;
}

/** `makedev(0x8, 0x1)` for a device number, honouring `-X` (strace's `print_dev_t`). */
export function devText(c: SyscallCall, dev: bigint): string {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn & 0xffffffffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn & 0xffffffffn));
  const mk = `makedev(${hex(major)}, ${hex(minor)})`;
  const raw = dev === 0n ? "0" : "0x" + dev.toString(16);
  if (c.opts.xlat === "raw") return raw;
  if (c.opts.xlat === "verbose") return `${raw} /* ${mk} */`;
  return mk;
}

/** A uid/gid as strace prints it: `-1` or unsigned decimal. */
function uid(v: number): string {
  v >>>= 0;
  return v === 0xffffffff ? "-1" : String(v);
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

/** ` /* time *\/` or "" (strace's `tprints_comment(sprinttime_nsec(...))`). */
function timeComment(sec: bigint, nsec: bigint): string {
  const t = sprinttime(sec, nsec);
  return t === null ? "" : ` /* ${t} */`;
}

/**
 * Reads `size` bytes and hands a view to `print`, or returns the address / `NULL` (also when
 * `-e verbose=` excludes the call).
 */
function withMem(c: SyscallCall, a: number, size: number, print: (v: DataView) => string): string {
  if (!a) return "NULL";
  if (noDeref(c)) return hex(a);
  const b = c.mem.read(a, size);
  if (!b) return hex(a);
  return print(new DataView(b.buffer, b.byteOffset, b.byteLength));
}

/** As {@linkcode withMem}, but prints the address when the call failed (`umove_or_printaddr`). */
function outMem(c: SyscallCall, a: number, size: number, print: (v: DataView) => string): string {
  if (c.exiting && c.errno) return ptrText(a);
  return withMem(c, a, size, print);
}

/** strace's `printnum_int64`: `[123]`, `NULL` or the address. */
function num64(c: SyscallCall, a: number, signed: boolean): string {
  return outMem(
    c,
    a,
    8,
    (v) => `[${signed ? v.getBigInt64(0, true) : v.getBigUint64(0, true)}]`,
  );
}

/** strace's `printnum_int`: `[42]`, `NULL` or the address. */
function numInt(c: SyscallCall, a: number): string {
  return outMem(c, a, 4, (v) => `[${v.getInt32(0, true)}]`);
}

/** strace's `printpathn`: a path of at most `n` bytes; `rc` is -1 when unreadable. */
function pathn(c: SyscallCall, a: number, n: number): { text: string; rc: number } {
  if (!a) return { text: "NULL", rc: -1 };
  const r = c.mem.readCString(a, n < 0 ? 4095 : Math.min(n, 4095));
  if (!r) return { text: hex(a), rc: -1 };
  return {
    text: '"' + quoteBytes(r.bytes, c.opts.hexStrings) + '"' + (r.terminated ? "" : "..."),
    rc: r.terminated ? 1 : 0,
  };
}

/** strace's `printstr_ex(addr, len, QUOTE_FORCE_HEX)`. */
function hexStr(c: SyscallCall, a: number, len: number): string {
  if (!a) return "NULL";
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(a, size);
  if (!b) return hex(a);
  return '"' + quoteBytes(b, 2) + '"' + (len > size ? "..." : "");
}

/**
 * strace's `printstr_ex(addr, len, QUOTE_OMIT_TRAILING_0)`: like `strn`, but a trailing NUL of
 * the shown bytes is dropped when the whole buffer fits.
 */
export function strOmitTrailing0(c: SyscallCall, a: number, len: number): string {
  if (!a) return "NULL";
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(a, size);
  if (!b) return hex(a);
  let useHex = c.opts.hexStrings > 1;
  if (c.opts.hexStrings === 1) {
    useHex = b.some((ch) => ch > 0x7e || (ch < 0x20 && (ch < 9 || ch > 13)));
  }
  if (useHex) return '"' + quoteBytes(b, 2) + '"' + (len > size ? "..." : "");
  if (b.length && b[b.length - 1] === 0) {
    return '"' + quoteBytes(b.subarray(0, b.length - 1), 0) + '"';
  }
  return '"' + quoteBytes(b, 0) + '"' + (len > size ? "..." : "");
}

/** The `-y` form of a descriptor-returning call's result (`RVAL_FD`). */
function fdResult(c: SyscallCall): string | undefined {
  return c.opts.decodeFds ? fd(c, c.rval) : undefined;
}

/** Argument `n` as a descriptor (`int`). */
function fdArg(c: SyscallCall, n: number): string {
  return fd(c, c.args.i(n));
}

/** Argument `n` as a dirfd (`int`). */
function dirfdArg(c: SyscallCall, n: number): string {
  return dirfdX(c, c.args.i(n));
}

/** A dirfd honouring `-X` for `AT_FDCWD` (strace's `print_xlat_d(AT_FDCWD)`). */
function dirfdX(c: SyscallCall, d: number): string {
  return dirfd(c, d);
}

/** A decoder printing everything at entry. */
function atEntry(f: (c: SyscallCall) => string, result?: SyscallDecoder["result"]): SyscallDecoder {
  return result ? { enter: f, result } : { enter: f };
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
  return iovecArray(c, a, count, dataSize, showData);
}

const read: SyscallDecoder = {
  enter: (c) => fdArg(c, 0) + ", ",
  exit: (c) =>
    (c.errno ? ptr(c, 1) : strn(c, addr(c, 1), c.rval)) + ", " + argU(c, 2) +
    (c.name === "pread64" ? ", " + argD(c, 3) : ""),
};

const write: SyscallDecoder = {
  enter: (c) =>
    fdArg(c, 0) + ", " + strn(c, addr(c, 1), c.args.u(2)) + ", " + argU(c, 2) +
    (c.name === "pwrite64" ? ", " + argD(c, 3) : ""),
};

/** readv, preadv, preadv2: data shown at exit, up to the return value. */
function readvLike(offset: boolean, flagsArg: number): SyscallDecoder {
  return {
    enter: (c) => fdArg(c, 0) + ", ",
    exit: (c) => {
      const cnt = BigInt.asUintN(64, c.args.big(2));
      let s = iovec(
        c,
        addr(c, 1),
        cnt,
        c.errno ? null : BigInt.asUintN(64, c.rvalBig),
        !c.errno,
      );
      s += ", " + cnt;
      if (offset) s += ", " + argD(c, 3);
      if (flagsArg >= 0) s += ", " + fl(c, X.RWF_FLAGS, c.args.ui(flagsArg), "RWF_???");
      return s;
    },
  };
}

/** writev, pwritev, pwritev2. */
function writevLike(offset: boolean, flagsArg: number): SyscallDecoder {
  return {
    enter: (c) => {
      const cnt = BigInt.asUintN(64, c.args.big(2));
      let s = fdArg(c, 0) + ", " + iovec(c, addr(c, 1), cnt, null, true) + ", " + cnt;
      if (offset) s += ", " + argD(c, 3);
      if (flagsArg >= 0) s += ", " + fl(c, X.RWF_FLAGS, c.args.ui(flagsArg), "RWF_???");
      return s;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// open and friends

/** `path, flags[, mode]` of open/openat. */
function openTail(c: SyscallCall, off: number): string {
  const f = c.args.ui(off + 1);
  let s = pathArg(c, off) + ", " + openModes(c, f);
  if (f & (0o100 | 0o20000000)) s += ", " + mode03o(c.args.ui(off + 2) & 0xffff);
  return s;
}

/** strace's `print_open_how`. */
function openHow(c: SyscallCall, a: number, size: bigint): string {
  if (size < 24n) return ptrText(a);
  const n = size > 24n ? 24 : Number(size);
  return withMem(c, a, n, (v) => {
    const f = u64At(v, 0);
    const mode = v.getBigUint64(8, true);
    const resolve = u64At(v, 16);
    let s = "{flags=" + openModes(c, f);
    if (f & (0o100 | 0o20000000) || mode) s += ", mode=" + mode03o(mode);
    s += ", resolve=" + fl(c, X.OPEN_RESOLVE_FLAGS, resolve, "RESOLVE_???");
    if (size > 24n) {
      const total = size > 4096n ? 4096 : Number(size);
      const b = c.mem.read(a + 24, total - 24);
      if (!b) s += ", ???";
      else if (b.some((x) => x !== 0)) {
        const shown = b.subarray(0, Math.min(b.length, c.opts.strsize));
        s += `, /* bytes 24..${total - 1} */ "` + quoteBytes(shown, 2) + '"' +
          (shown.length < b.length ? "..." : "");
      }
    }
    return s + "}";
  });
}

// ---------------------------------------------------------------------------------------------
// stat family

/** strace's `print_struct_stat` of an x86_64 `struct stat` (144 bytes). */
function statText(c: SyscallCall, v: DataView): string {
  const mode = v.getUint32(24, true);
  const fmt = mode & 0o170000;
  const parts: string[] = [];
  const full = c.opts.verbose;
  if (full) {
    parts.push("st_dev=" + devText(c, v.getBigUint64(0, true)));
    parts.push("st_ino=" + v.getBigUint64(8, true));
    parts.push("st_mode=" + symbolicMode(c, mode));
    parts.push("st_nlink=" + v.getBigUint64(16, true));
    parts.push("st_uid=" + v.getUint32(28, true));
    parts.push("st_gid=" + v.getUint32(32, true));
    parts.push("st_blksize=" + v.getBigUint64(56, true));
    parts.push("st_blocks=" + v.getBigUint64(64, true));
  } else {
    parts.push("st_mode=" + symbolicMode(c, mode));
  }
  if (fmt === 0o020000 || fmt === 0o060000) {
    parts.push("st_rdev=" + devText(c, v.getBigUint64(40, true)));
  } else {
    parts.push("st_size=" + v.getBigUint64(48, true));
  }
  if (full) {
    for (const [name, off] of [["st_atime", 72], ["st_mtime", 88], ["st_ctime", 104]] as const) {
      const sec = v.getBigInt64(off, true);
      const nsec = v.getBigUint64(off + 8, true);
      parts.push(`${name}=${sec}${timeComment(sec, nsec)}`);
      parts.push(`${name}_nsec=${nsec}`);
    }
  } else {
    parts.push("...");
  }
  return "{" + parts.join(", ") + "}";
}

/** A `struct stat *` output argument. */
function statArg(c: SyscallCall, n: number): string {
  return outMem(c, addr(c, n), 144, (v) => statText(c, v));
}

/** strace's `print_statx_timestamp`. */
function statxTs(v: DataView, off: number): string {
  const sec = v.getBigInt64(off, true);
  const nsec = BigInt(v.getUint32(off + 8, true));
  return `{tv_sec=${sec}, tv_nsec=${nsec}}${timeComment(sec, nsec)}`;
}

/** A `struct statx *` output argument (256 bytes). */
function statxArg(c: SyscallCall, a: number): string {
  return outMem(c, a, 256, (v) => {
    const mask = v.getUint32(0, true);
    const full = c.opts.verbose;
    const p: string[] = ["stx_mask=" + fl(c, X.STATX_MASKS, mask, "STATX_???")];
    if (full) p.push("stx_blksize=" + v.getUint32(4, true));
    p.push(
      "stx_attributes=" +
        fl(c, X.STATX_ATTRS, u64At(v, 8), "STATX_ATTR_???"),
    );
    if (full) {
      if (mask & 0x4) p.push("stx_nlink=" + v.getUint32(16, true));
      if (mask & 0x8) p.push("stx_uid=" + uid(v.getUint32(20, true)));
      if (mask & 0x10) p.push("stx_gid=" + uid(v.getUint32(24, true)));
    }
    if (mask & 0x3) p.push("stx_mode=" + symbolicMode(c, v.getUint16(28, true)));
    if (full && mask & 0x100) p.push("stx_ino=" + v.getBigUint64(32, true));
    if (mask & 0x200) p.push("stx_size=" + v.getBigUint64(40, true));
    if (full) {
      if (mask & 0x400) p.push("stx_blocks=" + v.getBigUint64(48, true));
      p.push(
        "stx_attributes_mask=" +
          fl(c, X.STATX_ATTRS, u64At(v, 56), "STATX_ATTR_???"),
      );
      if (mask & 0x20) p.push("stx_atime=" + statxTs(v, 64));
      if (mask & 0x800) p.push("stx_btime=" + statxTs(v, 80));
      if (mask & 0x80) p.push("stx_ctime=" + statxTs(v, 96));
      if (mask & 0x40) p.push("stx_mtime=" + statxTs(v, 112));
      p.push("stx_rdev_major=" + v.getUint32(128, true));
      p.push("stx_rdev_minor=" + v.getUint32(132, true));
      p.push("stx_dev_major=" + v.getUint32(136, true));
      p.push("stx_dev_minor=" + v.getUint32(140, true));
      if (mask & 0x1000) {
        const id = v.getBigUint64(144, true);
        p.push("stx_mnt_id=" + (id === 0n ? "0" : "0x" + id.toString(16)));
      }
      if (mask & 0x2000) {
        p.push("stx_dio_mem_align=" + v.getUint32(152, true));
        p.push("stx_dio_offset_align=" + v.getUint32(156, true));
      }
    } else {
      p.push("...");
    }
    return "{" + p.join(", ") + "}";
  });
}

/** A `struct statfs *` output argument (x86_64, 120 bytes). */
function statfsArg(c: SyscallCall, n: number): string {
  return outMem(c, addr(c, n), 120, (v) => {
    const u = (off: number) => v.getBigUint64(off, true).toString();
    const ftype = u64At(v, 0);
    const fsid = (off: number) => hex(v.getUint32(off, true));
    let s = "{f_type=" + xv(c, X.FSMAGIC, ftype) + ", f_bsize=" + u(8) + ", f_blocks=" + u(16) +
      ", f_bfree=" + u(24) + ", f_bavail=" + u(32) + ", f_files=" + u(40) + ", f_ffree=" +
      u(48) + ", f_fsid={val=[" + fsid(56) + ", " + fsid(60) + "]}, f_namelen=" + u(64) +
      ", f_frsize=" + u(72);
    const f = u64At(v, 80);
    if (f & 0x20) s += ", f_flags=" + fl(c, X.STATFS_FLAGS, f, "ST_???");
    return s + "}";
  });
}

// ---------------------------------------------------------------------------------------------
// getdents64

/**
 * strace's `decode_dents` for `struct linux_dirent64` (header 19 bytes), or with `old` for
 * `getdents`'s `struct linux_dirent` (header 18 bytes, `d_type` in the record's last byte).
 */
export function dents64(c: SyscallCall, start: number, total: number, old = false): string {
  const HEADER = old ? 18 : 19;
  const full = c.opts.verbose;
  let a = start;
  let len = total;
  let count = 0;
  let out = full ? "" : ptrText(a);
  for (;;) {
    if (len < HEADER) {
      if (full) {
        if (!len) {
          out += "[";
          count++;
        } else out += hexStr(c, a, len);
      }
      break;
    }
    const b = c.mem.read(a, HEADER);
    if (!b) {
      if (full) out += count ? `... /* ${hex(a)} */` : hex(a);
      break;
    }
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (full && !count) out += "[";
    count++;
    let reclen = v.getUint16(16, true);
    if (full) {
      out += `{d_ino=${v.getBigUint64(0, true)}, d_off=${v.getBigUint64(8, true)}, ` +
        `d_reclen=${reclen}`;
    }
    let nextAddr = 0;
    let nextLen = 0;
    if (reclen > len) {
      out += ` /* ${full ? "" : "d_reclen "}${reclen - len} bytes overflow */`;
      reclen = len;
    } else if (reclen < HEADER) {
      out += ` /* ${full ? "" : "d_reclen "}${HEADER - reclen} bytes underflow */`;
      reclen = HEADER;
      nextLen = len - HEADER;
    } else {
      nextLen = len - reclen;
      if (nextLen) nextAddr = a + reclen;
    }
    len = nextLen;
    if (full && old) {
      const rc = oldDentTail(c, a + HEADER, reclen - HEADER);
      out += rc.text;
      if (nextAddr) {
        out += ", ";
        if (rc.rc < 0) {
          out += "...";
          break;
        }
      }
    } else if (full) {
      out += ", d_type=" + xv(c, X.DIRENT_TYPES, b[18], "DT_???");
      let nameLen = reclen - HEADER;
      let rc = 0;
      if (nameLen) {
        if (nameLen > 256) nameLen = 256;
        const r = pathn(c, a + HEADER, nameLen - 1);
        out += ", d_name=" + r.text;
        rc = r.rc;
      }
      out += "}";
      if (nextAddr) {
        out += ", ";
        if (rc < 0) {
          out += "...";
          break;
        }
      }
    }
    if (!nextAddr) break;
    a = nextAddr;
  }
  if (full) {
    if (count) out += "]";
  } else out += ` /* ${count}${len ? "+" : ""} entries */`;
  return out;
}

/** The name and type of a `struct linux_dirent` record (strace's `dirent.c` tail). */
function oldDentTail(c: SyscallCall, a: number, nameTypeLen: number): { text: string; rc: number } {
  let text = "";
  let rc = 0;
  if (nameTypeLen > 0) {
    let nameLen = nameTypeLen - 1;
    if (nameLen) {
      if (nameLen > 256) nameLen = 256;
      const r = pathn(c, a, nameLen - 1);
      text += ", d_name=" + r.text;
      rc = r.rc;
    }
    const t = c.mem.read(a + nameTypeLen - 1, 1);
    if (!t) {
      text += ", d_type=" + hex(a + nameTypeLen - 1);
      rc = -1;
    } else text += ", d_type=" + xv(c, X.DIRENT_TYPES, t[0], "DT_???");
  }
  return { text: text + "}", rc };
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
function flockArg(c: SyscallCall, a: number, getlk: boolean): string {
  return outMem(c, a, 32, (v) => {
    let s = "{l_type=" + xv(c, X.LOCKFCMDS, v.getInt16(0, true), "F_???") + ", l_whence=" +
      xv(c, X.WHENCE_CODES, v.getInt16(2, true), "SEEK_???") + ", l_start=" +
      v.getBigInt64(8, true) + ", l_len=" + v.getBigInt64(16, true);
    if (getlk) s += ", l_pid=" + v.getInt32(24, true);
    return s + "}";
  });
}

/** A `struct f_owner_ex`. */
function ownerEx(c: SyscallCall, a: number): string {
  return outMem(
    c,
    a,
    8,
    (v) =>
      "{type=" + xv(c, X.F_OWNER_TYPES, v.getInt32(0, true), "F_OWNER_???") + ", pid=" +
      v.getInt32(4, true) + "}",
  );
}

/** strace's `sprintflags(prefix, table, v)` for auxiliary result text, honouring `-X`. */
function auxFlags(c: SyscallCall, prefix: string, table: Xlat, v: number): string {
  if (c.opts.xlat === "raw") return prefix + hex(v);
  const names = flags(table, v, "abbrev");
  if (c.opts.xlat === "verbose") {
    return names === hex(v) ? prefix + hex(v) : `${prefix}${hex(v)} /* ${names} */`;
  }
  return prefix + names;
}

const fcntl: SyscallDecoder = {
  enter(c) {
    const cmd = c.args.ui(1);
    let s = fdArg(c, 0) + ", " + xv(c, X.FCNTLCMDS, cmd, "F_???");
    const arg = c.args.u(2);
    switch (cmd) {
      case F.SETFD:
        return s + ", " + fl(c, X.FDFLAGS, arg, "FD_???");
      case F.SETOWN:
        return s + ", " + c.args.i(2);
      case F.SETPIPE_SZ:
      case F.DUPFD:
      case F.DUPFD_CLOEXEC:
        return s + ", " + argD(c, 2);
      case F.SETFL:
        return s + ", " + openModes(c, c.args.ui(2));
      case F.SETLK:
      case F.SETLKW:
      case F.OFD_SETLK:
      case F.OFD_SETLKW:
        return s + ", " + flockArg(c, arg, false);
      case F.SETOWN_EX:
        return s + ", " + ownerEx(c, arg);
      case F.NOTIFY:
        return s + ", " + fl(c, X.NOTIFYFLAGS, arg, "DN_???");
      case F.SETLEASE:
        return s + ", " + xv(c, X.LOCKFCMDS, arg, "F_???");
      case F.ADD_SEALS:
        return s + ", " + fl(c, X.F_SEALS, arg, "F_SEAL_???");
      case F.SETSIG:
        return s + ", " + printSignal(c.args.i(2), c.opts.xlat);
      case F.GETOWN:
      case F.GETPIPE_SZ:
      case F.GETFD:
      case F.GETFL:
      case F.GETLK:
      case F.OFD_GETLK:
      case F.GETOWN_EX:
      case F.GETLEASE:
      case F.GET_SEALS:
      case F.GETSIG:
        return s;
      default:
        s += ", " + c.args.hex(2);
        return s;
    }
  },
  exit(c) {
    const cmd = c.args.ui(1);
    switch (cmd) {
      case F.GETLK:
      case F.OFD_GETLK:
        return ", " + flockArg(c, addr(c, 2), true);
      case F.GETOWN_EX:
        return ", " + ownerEx(c, addr(c, 2));
    }
    return "";
  },
  result(c) {
    const cmd = c.args.ui(1);
    const r = c.rval;
    switch (cmd) {
      case F.DUPFD:
      case F.DUPFD_CLOEXEC:
        return fdResult(c);
      case F.GETFD:
        return r === 0 ? undefined : `${hex(r)} (${auxFlags(c, "flags ", X.FDFLAGS, r)})`;
      case F.GETFL:
        return `${hex(r)} (flags ${openModesText(r)})`;
      case F.GETLEASE: {
        const name = X.LOCKFCMDS.byValue.get(r);
        return name === undefined ? hex(r) : `${hex(r)} (${name})`;
      }
      case F.GET_SEALS:
        return r === 0 ? undefined : `${hex(r)} (${auxFlags(c, "seals ", X.F_SEALS, r)})`;
      case F.GETSIG: {
        if (r === 0) return undefined;
        const name = signalName(r);
        return name === undefined ? undefined : `${r} (${name})`;
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
function ioctlCode(c: SyscallCall, code: number): string {
  const dir = code >>> 30;
  const abbrev = c.opts.xlat !== "verbose";
  const d = abbrev
    ? flags(X.IOCTL_DIRS, dir, c.opts.xlat, "_IOC_???")
    : flags(X.IOCTL_DIRS, dir, "abbrev");
  return `_IOC(${d}, ${hex((code >>> 8) & 0xff)}, ${hex(code & 0xff)}, ${
    hex((code >>> 16) & 0x3fff)
  })`;
}

/** The request text of an ioctl, honouring `-X`. */
function ioctlRequest(c: SyscallCall, code: number): string {
  const style = c.opts.xlat;
  let out = "";
  if (style !== "abbrev") out += hex(code);
  if (style === "raw") return out;
  const names = ioctlNames(code);
  const text = names.length ? names.join(" or ") : ioctlCode(c, code);
  return style === "verbose" ? `${out} /* ${text} */` : text;
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

/** The four flag words of a termios, as strace's `decode_flags` prints them. */
function termFlags(c: SyscallCall, i: number, o: number, cf: number, l: number): string {
  const m = X.TERM_MASKS;
  let oflag = "";
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
    oflag += xv(c, t, and53(ov, mask), dflt) + "|";
    ov = andNot53(ov, mask);
  }
  oflag += fl(c, X.TERM_OFLAGS, ov);
  let cflag = xv(c, X.BAUD_OPTIONS, and53(cf, m.CBAUD), "B???") + "|";
  if (and53(cf, m.CIBAUD)) {
    const ib = c.opts.xlat === "raw"
      ? hex(m.IBSHIFT)
      : c.opts.xlat === "verbose"
      ? `${hex(m.IBSHIFT)} /* IBSHIFT */`
      : "IBSHIFT";
    cflag += xv(c, X.BAUD_OPTIONS, Math.floor(and53(cf, m.CIBAUD) / 2 ** m.IBSHIFT), "B???") +
      "<<" + ib + "|";
  }
  cflag += xv(c, X.TERM_CFLAGS_CSIZE, and53(cf, m.CSIZE), "CS?") + "|";
  cflag += fl(c, X.TERM_CFLAGS, andNot53(cf, m.CBAUD + m.CIBAUD + m.CSIZE));
  return `c_iflag=${fl(c, X.TERM_IFLAGS, i)}, c_oflag=${oflag}, c_cflag=${cflag}, c_lflag=${
    fl(c, X.TERM_LFLAGS, l)
  }`;
}

/** The `c_cc=[[VINTR]=0x3, …]` array. */
function termCc(v: DataView, off: number, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = X.TERMIOS_CC.byValue.get(i);
    parts.push(`[${name ?? i}]=${hex(v.getUint8(off + i))}`);
  }
  return "c_cc=[" + parts.join(", ") + "]";
}

/** `struct termios` (36 bytes) or `struct termios2` (44 bytes). */
function termios(c: SyscallCall, a: number, two: boolean): string {
  return outMem(c, a, two ? 44 : 36, (v) => {
    let s = "{" +
      termFlags(
        c,
        v.getUint32(0, true),
        v.getUint32(4, true),
        v.getUint32(8, true),
        v.getUint32(12, true),
      ) + ", ";
    if (!c.opts.verbose) return s + "...}";
    s += "c_line=" + xv(c, X.TERM_LINE_DISCS, v.getUint8(16), "N_???") + ", " +
      termCc(v, 17, X.TERM_MASKS.NCCS);
    if (two) s += `, c_ispeed=${v.getUint32(36, true)}, c_ospeed=${v.getUint32(40, true)}`;
    return s + "}";
  });
}

/** `struct termio` (18 bytes). */
function termio(c: SyscallCall, a: number): string {
  return outMem(c, a, 17, (v) => {
    const s = "{" +
      termFlags(
        c,
        v.getUint16(0, true),
        v.getUint16(2, true),
        v.getUint16(4, true),
        v.getUint16(6, true),
      ) + ", ";
    if (!c.opts.verbose) return s + "...}";
    return s + "c_line=" + xv(c, X.TERM_LINE_DISCS, v.getUint8(8), "N_???") + ", " +
      termCc(v, 9, 8) + "}";
  });
}

/** `struct winsize`. */
function winsize(c: SyscallCall, a: number): string {
  return outMem(
    c,
    a,
    8,
    (v) =>
      `{ws_row=${v.getUint16(0, true)}, ws_col=${v.getUint16(2, true)}, ws_xpixel=${
        v.getUint16(4, true)
      }, ws_ypixel=${v.getUint16(6, true)}}`,
  );
}

/**
 * strace's `term_ioctl`: returns the argument text (with its leading `, `) to print now, or
 * null when the request prints at exit (`get`), or undefined for requests it does not decode.
 */
function termIoctl(c: SyscallCall, code: number, exiting: boolean): string | null | undefined {
  const a = addr(c, 2);
  switch (code) {
    case TCGETS2:
      if (!exiting) return null;
      return ", " + termios(c, a, true);
    case TCSETS2:
    case TCSETSW2:
    case TCSETSF2:
      return ", " + termios(c, a, true);
    case TCGETS:
    case TIOCGLCKTRMIOS:
      if (!exiting) return null;
      return ", " + termios(c, a, false);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TIOCSLCKTRMIOS:
      return ", " + termios(c, a, false);
    case TCGETA:
      if (!exiting) return null;
      return ", " + termio(c, a);
    case TCSETA:
    case TCSETAW:
    case TCSETAF:
      return ", " + termio(c, a);
    case TIOCGWINSZ:
      if (!exiting) return null;
      return ", " + winsize(c, a);
    case TIOCSWINSZ:
      return ", " + winsize(c, a);
    case TCXONC:
      return ", " + xv(c, X.TCXONC_OPTIONS, c.args.u(2), "TC???");
    case TCFLSH:
      return ", " + xv(c, X.TCFLSH_OPTIONS, c.args.u(2), "TC???");
    case TCSBRK:
    case TCSBRKP:
    case TIOCSCTTY:
      return ", " + c.args.i(2);
    case TIOCMGET:
      if (!exiting) return null;
      return ", " +
        outMem(c, a, 4, (v) => `[${fl(c, X.MODEM_FLAGS, v.getUint32(0, true), "TIOCM_???")}]`);
    case TIOCMBIS:
    case TIOCMBIC:
    case TIOCMSET:
      return ", " +
        outMem(c, a, 4, (v) => `[${fl(c, X.MODEM_FLAGS, v.getUint32(0, true), "TIOCM_???")}]`);
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
      return ", " + numInt(c, a);
    case TIOCSPGRP:
    case TIOCSETD:
    case FIONBIO:
    case FIOASYNC:
    case TIOCPKT:
    case TIOCSSOFTCAR:
    case TIOCSPTLCK:
      return ", " + numInt(c, a);
    case TIOCSTI:
      return ", " + strn(c, a, 1);
    case TIOCSBRK:
    case TIOCCBRK:
    case TIOCCONS:
    case TIOCNOTTY:
    case TIOCEXCL:
    case TIOCNXCL:
    case FIOCLEX:
    case FIONCLEX:
    case TIOCVHANGUP:
      return "";
  }
  return undefined;
}

/** `FICLONE`: `_IOW(0x94, 9, int)`. */
const FICLONE = 0x40049409;

const ioctl: SyscallDecoder = {
  enter(c) {
    const code = c.args.ui(1);
    const s = fdArg(c, 0) + ", " + ioctlRequest(c, code);
    if (((code >>> 8) & 0xff) === 0x54) {
      const r = termIoctl(c, code, false);
      if (r === null) {
        c.state.fsIoctlExit = true;
        return s;
      }
      if (r !== undefined) return s + r;
    }
    // FICLONE (cp's reflink attempt): the source descriptor, as a plain int.
    if (code === FICLONE) return s + ", " + c.args.i(2);
    return s + ", " + c.args.hex(2);
  },
  exit(c) {
    if (!c.state.fsIoctlExit) return "";
    const r = termIoctl(c, c.args.ui(1), true);
    return r ?? ", " + c.args.hex(2);
  },
};

// ---------------------------------------------------------------------------------------------
// Misc helpers used by several decoders

/** `utimensat`'s `const struct timespec times[2]`. */
function utimePair(c: SyscallCall, a: number): string {
  return withMem(c, a, 32, (v) => {
    const parts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const sec = v.getBigInt64(i * 16, true);
      const nsec = v.getBigInt64(i * 16 + 8, true);
      const ts = `{tv_sec=${sec}, tv_nsec=${BigInt.asUintN(64, nsec)}}`;
      if (nsec === 0x3fffffffn || nsec === 0x3ffffffen) {
        const name = nsec === 0x3fffffffn ? "UTIME_NOW" : "UTIME_OMIT";
        const style = c.opts.xlat;
        parts.push(
          style === "abbrev" ? name : style === "raw" ? ts : `${ts} /* ${name} */`,
        );
      } else parts.push(ts + timeComment(sec, nsec));
    }
    return "[" + parts.join(", ") + "]";
  });
}

/** memfd_create flags. */
function memfdFlags(c: SyscallCall, v: number): string {
  const style = c.opts.xlat;
  let out = "";
  if (!v || style !== "abbrev") out += hex(v);
  if (!v || style === "raw") return out;
  const mask = 0x3f << 26;
  const huge = (v & mask) >>> 0;
  const rest = (v & ~mask) >>> 0;
  let t = "";
  if (rest || !huge) t += flags(X.MEMFD_CREATE_FLAGS, rest, "abbrev", "MFD_???");
  if (huge) {
    if (rest) t += "|";
    t += `${huge >>> 26}<<MFD_HUGE_SHIFT`;
  }
  return style === "verbose" ? `${out} /* ${t} */` : t;
}

/** `name_to_handle_at`'s file handle bytes. */
export function fHandle(c: SyscallCall, a: number, bytes: number): string {
  const len = Math.min(bytes, 128);
  const b = c.mem.read(a + 8, len);
  if (!b) return "???";
  return '"' + quoteBytes(b, 2) + '"' + (bytes > len ? "..." : "");
}

/** `mknod`/`mknodat` tail: path, mode, device. */
function mknodTail(c: SyscallCall, off: number): string {
  const mode = c.args.ui(off + 1) & 0xffff;
  let s = pathArg(c, off) + ", " + symbolicMode(c, mode);
  const fmt = mode & 0o170000;
  if (fmt === 0o020000 || fmt === 0o060000) s += ", " + devText(c, BigInt(c.args.ui(off + 2)));
  return s;
}

/** `renameat`-style `olddirfd, oldpath, newdirfd, newpath`. */
function twoAt(c: SyscallCall): string {
  return dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + dirfdArg(c, 2) + ", " + pathArg(c, 3);
}

/** A `size_t` buffer printer for getxattr-like values. */
function xattrVal(c: SyscallCall, a: number, insize: string, size: bigint): string {
  const v = size > 65536n ? ptrText(a) : strOmitTrailing0(c, a, Number(size));
  return v + ", " + insize;
}

/** fanotify_init's class and flags. */
function fanInitFlags(c: SyscallCall, v: number): string {
  const cls = v & 0xc;
  let s = xv(c, X.FAN_CLASSES, cls, "FAN_CLASS_???");
  const rest = (v & ~0xc) >>> 0;
  if (rest) s += "|" + fl(c, X.FAN_INIT_FLAGS, rest, "FAN_???");
  return s;
}

/** statx's flags argument. */
function statxFlags(c: SyscallCall, v: number): string {
  let s = fl(c, X.AT_STATX_SYNC_TYPES, v & 0x6000);
  const rest = (v & ~0x6000) >>> 0;
  if (rest) s += "|" + fl(c, X.AT_FLAGS, rest);
  return s;
}

// ---------------------------------------------------------------------------------------------
// The table

const pathOnly = atEntry((c) => pathArg(c, 0));
const fdOnly = atEntry((c) => fdArg(c, 0));
const pathMode = atEntry((c) => pathArg(c, 0) + ", " + mode03o(c.args.ui(1) & 0xffff));
const atPathMode = atEntry((c) =>
  dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + mode03o(c.args.ui(2) & 0xffff)
);
const twoPaths = atEntry((c) => pathArg(c, 0) + ", " + pathArg(c, 1));
const chown = atEntry((c) => pathArg(c, 0) + ", " + uid(c.args.ui(1)) + ", " + uid(c.args.ui(2)));
const statPath: SyscallDecoder = {
  enter: (c) => pathArg(c, 0) + ", ",
  exit: (c) => statArg(c, 1),
};
const readlinkDec = (off: number): SyscallDecoder => ({
  enter: (c) => (off ? dirfdArg(c, 0) + ", " : "") + pathArg(c, off) + ", ",
  exit: (c) =>
    (c.errno ? ptr(c, off + 1) : strn(c, addr(c, off + 1), c.rval)) + ", " + argU(c, off + 2),
});
const getxattrDec = (byFd: boolean): SyscallDecoder => ({
  enter: (c) => (byFd ? fdArg(c, 0) : pathArg(c, 0)) + ", " + strArg(c, 1) + ", ",
  exit: (c) => xattrVal(c, addr(c, 2), argU(c, 3), BigInt.asUintN(64, c.rvalBig)),
});
const setxattrDec = (byFd: boolean): SyscallDecoder =>
  atEntry((c) =>
    (byFd ? fdArg(c, 0) : pathArg(c, 0)) + ", " + strArg(c, 1) + ", " +
    xattrVal(c, addr(c, 2), argU(c, 3), BigInt.asUintN(64, c.args.big(3))) + ", " +
    fl(c, X.XATTRFLAGS, c.args.u(4), "XATTR_???")
  );
const listxattrDec = (byFd: boolean): SyscallDecoder => ({
  enter: (c) => (byFd ? fdArg(c, 0) : pathArg(c, 0)) + ", ",
  exit: (c) =>
    (!c.args.u(2) || c.errno ? ptr(c, 1) : strn(c, addr(c, 1), c.rval)) + ", " + argU(c, 2),
});
const removexattrDec = (byFd: boolean): SyscallDecoder =>
  atEntry((c) => (byFd ? fdArg(c, 0) : pathArg(c, 0)) + ", " + strArg(c, 1));

/** A NUL-terminated string argument limited by `-s` (strace's `printstr`). */
function strArg(c: SyscallCall, n: number): string {
  const a = addr(c, n);
  if (!a) return "NULL";
  const r = c.mem.readCString(a, c.opts.strsize);
  if (!r) return hex(a);
  return '"' + quoteBytes(r.bytes, c.opts.hexStrings) + '"' + (r.terminated ? "" : "...");
}

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

  open: atEntry((c) => openTail(c, 0), fdResult),
  openat: atEntry((c) => dirfdArg(c, 0) + ", " + openTail(c, 1), fdResult),
  openat2: atEntry(
    (c) =>
      dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " +
      openHow(c, addr(c, 2), BigInt.asUintN(64, c.args.big(3))) + ", " + argU(c, 3),
    fdResult,
  ),
  creat: atEntry((c) => pathArg(c, 0) + ", " + mode03o(c.args.ui(1) & 0xffff), fdResult),
  close: fdOnly,
  close_range: atEntry((c) =>
    c.args.ui(0) + ", " + c.args.ui(1) + ", " +
    fl(c, X.CLOSE_RANGE_FLAGS, c.args.u(2), "CLOSE_RANGE_???")
  ),
  dup: atEntry((c) => fdArg(c, 0), fdResult),
  dup2: atEntry((c) => fdArg(c, 0) + ", " + fdArg(c, 1), fdResult),
  dup3: atEntry(
    (c) => fdArg(c, 0) + ", " + fdArg(c, 1) + ", " + fl(c, X.OPEN_MODE_FLAGS, c.args.u(2), "O_???"),
    fdResult,
  ),
  lseek: atEntry((c) =>
    fdArg(c, 0) + ", " + argD(c, 1) + ", " + xv(c, X.WHENCE_CODES, c.args.ui(2), "SEEK_???")
  ),

  stat: statPath,
  lstat: statPath,
  fstat: { enter: (c) => fdArg(c, 0) + ", ", exit: (c) => statArg(c, 1) },
  newfstatat: {
    enter: (c) => dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", ",
    exit: (c) => statArg(c, 2) + ", " + fl(c, X.AT_FLAGS, c.args.u(3), "AT_???"),
  },
  statx: {
    enter: (c) =>
      dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + statxFlags(c, c.args.ui(2)) + ", " +
      fl(c, X.STATX_MASKS, c.args.ui(3), "STATX_???") + ", ",
    exit: (c) => statxArg(c, addr(c, 4)),
  },
  statfs: { enter: (c) => pathArg(c, 0) + ", ", exit: (c) => statfsArg(c, 1) },
  fstatfs: { enter: (c) => fdArg(c, 0) + ", ", exit: (c) => statfsArg(c, 1) },

  access: atEntry((c) => pathArg(c, 0) + ", " + fl(c, X.ACCESS_MODES, c.args.u(1), "?_OK")),
  faccessat: atEntry((c) =>
    dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + fl(c, X.ACCESS_MODES, c.args.u(2), "?_OK")
  ),
  faccessat2: atEntry((c) =>
    dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + fl(c, X.ACCESS_MODES, c.args.u(2), "?_OK") +
    ", " + fl(c, X.FACCESSAT_FLAGS, c.args.u(3), "AT_???")
  ),

  fcntl,
  ioctl,

  getdents64: {
    enter: (c) => fdArg(c, 0) + ", ",
    exit(c) {
      const count = c.args.ui(2);
      const body = c.errno || c.rval > count || noDeref(c)
        ? ptr(c, 1)
        : dents64(c, addr(c, 1), c.rval);
      return body + ", " + count;
    },
  },

  readlink: readlinkDec(0),
  readlinkat: readlinkDec(1),
  rename: twoPaths,
  renameat: atEntry(twoAt),
  renameat2: atEntry((c) => twoAt(c) + ", " + fl(c, X.RENAME_FLAGS, c.args.u(4), "RENAME_??")),
  unlink: pathOnly,
  unlinkat: atEntry((c) =>
    dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + fl(c, X.AT_FLAGS, c.args.u(2), "AT_???")
  ),
  mkdir: pathMode,
  mkdirat: atPathMode,
  rmdir: pathOnly,
  chdir: pathOnly,
  fchdir: fdOnly,
  getcwd: {
    exit: (c) => (c.errno ? ptr(c, 0) : pathn(c, addr(c, 0), c.rval - 1).text) + ", " + argU(c, 1),
  },
  chmod: pathMode,
  fchmod: atEntry((c) => fdArg(c, 0) + ", " + mode03o(c.args.ui(1) & 0xffff)),
  fchmodat: atPathMode,
  chown,
  lchown: chown,
  fchown: atEntry((c) => fdArg(c, 0) + ", " + uid(c.args.ui(1)) + ", " + uid(c.args.ui(2))),
  fchownat: atEntry((c) =>
    dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + uid(c.args.ui(2)) + ", " +
    uid(c.args.ui(3)) + ", " + fl(c, X.AT_FLAGS, c.args.u(4), "AT_???")
  ),
  truncate: atEntry((c) => pathArg(c, 0) + ", " + argU(c, 1)),
  ftruncate: atEntry((c) => fdArg(c, 0) + ", " + argU(c, 1)),
  fsync: fdOnly,
  fdatasync: fdOnly,
  syncfs: fdOnly,
  sync: atEntry(() => ""),

  sendfile: {
    enter(c) {
      const s = fdArg(c, 0) + ", " + fdArg(c, 1) + ", " + num64(c, addr(c, 2), false);
      const a = addr(c, 2);
      if (!a || noDeref(c) || !c.mem.read(a, 8)) {
        c.state.fsSendfileDone = true;
        return s + ", " + argU(c, 3);
      }
      return s;
    },
    exit(c) {
      if (c.state.fsSendfileDone) return "";
      let s = "";
      if (!c.errno && c.rval) s += " => " + num64(c, addr(c, 2), false);
      return s + ", " + argU(c, 3);
    },
  },
  copy_file_range: atEntry((c) =>
    fdArg(c, 0) + ", " + num64(c, addr(c, 1), true) + ", " + fdArg(c, 2) + ", " +
    num64(c, addr(c, 3), true) + ", " + argU(c, 4) + ", " + c.args.ui(5)
  ),
  splice: atEntry((c) =>
    fdArg(c, 0) + ", " + num64(c, addr(c, 1), true) + ", " + fdArg(c, 2) + ", " +
    num64(c, addr(c, 3), true) + ", " + argU(c, 4) + ", " +
    fl(c, X.SPLICE_FLAGS, c.args.u(5), "SPLICE_F_???")
  ),
  tee: atEntry((c) =>
    fdArg(c, 0) + ", " + fdArg(c, 1) + ", " + argU(c, 2) + ", " +
    fl(c, X.SPLICE_FLAGS, c.args.u(3), "SPLICE_F_???")
  ),

  inotify_init: atEntry(() => "", fdResult),
  inotify_init1: atEntry(
    (c) => fl(c, X.INOTIFY_INIT_FLAGS, c.args.u(0), "IN_???"),
    fdResult,
  ),
  inotify_add_watch: atEntry((c) =>
    fdArg(c, 0) + ", " + pathArg(c, 1) + ", " + fl(c, X.INOTIFY_FLAGS, c.args.ui(2), "IN_???")
  ),
  inotify_rm_watch: atEntry((c) => fdArg(c, 0) + ", " + c.args.i(1)),
  fanotify_init: atEntry(
    (c) => fanInitFlags(c, c.args.ui(0)) + ", " + openModes(c, c.args.ui(1)),
    fdResult,
  ),
  fanotify_mark: atEntry((c) => {
    const d = c.args.i(3);
    return fdArg(c, 0) + ", " + fl(c, X.FAN_MARK_FLAGS, c.args.ui(1), "FAN_MARK_???") + ", " +
      fl(c, X.FAN_EVENT_FLAGS, c.args.u(2), "FAN_???") + ", " +
      (d === -1
        ? (c.opts.xlat === "raw"
          ? "-1"
          : c.opts.xlat === "verbose"
          ? "-1 /* FAN_NOFD */"
          : "FAN_NOFD")
        : dirfdX(c, d)) +
      ", " + pathArg(c, 4);
  }),

  utimensat: atEntry((c) =>
    dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", " + utimePair(c, addr(c, 2)) + ", " +
    fl(c, X.AT_FLAGS, c.args.u(3), "AT_???")
  ),
  umask: atEntry(
    (c) => mode03o(c.args.ui(0) & 0xffff),
    // strace prints the old mask as `%#03o` too: `= 022`, `= 007`, `= 000`.
    (c) => mode03o(c.rval),
  ),
  link: twoPaths,
  linkat: atEntry((c) => twoAt(c) + ", " + fl(c, X.AT_FLAGS, c.args.u(4), "AT_???")),
  symlink: twoPaths,
  symlinkat: atEntry((c) => pathArg(c, 0) + ", " + dirfdArg(c, 1) + ", " + pathArg(c, 2)),
  mknod: atEntry((c) => mknodTail(c, 0)),
  mknodat: atEntry((c) => dirfdArg(c, 0) + ", " + mknodTail(c, 1)),
  flock: atEntry((c) => fdArg(c, 0) + ", " + fl(c, X.FLOCKCMDS, c.args.u(1), "LOCK_???")),
  fadvise64: atEntry((c) =>
    fdArg(c, 0) + ", " + argD(c, 1) + ", " + argU(c, 2) + ", " +
    xv(c, X.ADVISE, c.args.u(3), "POSIX_FADV_???")
  ),
  fallocate: atEntry((c) =>
    fdArg(c, 0) + ", " + fl(c, X.FALLOC_FLAGS, c.args.u(1), "FALLOC_FL_???") + ", " +
    argD(c, 2) + ", " + argD(c, 3)
  ),

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

  memfd_create: atEntry((c) => {
    const a = addr(c, 0);
    let name: string;
    if (!a) name = "NULL";
    else {
      const r = c.mem.readCString(a, Math.min(249, c.opts.strsize));
      name = r
        ? '"' + quoteBytes(r.bytes, c.opts.hexStrings) + '"' + (r.terminated ? "" : "...")
        : hex(a);
    }
    return name + ", " + memfdFlags(c, c.args.ui(1));
  }, fdResult),

  name_to_handle_at: {
    enter(c) {
      const a = addr(c, 2);
      let s = dirfdArg(c, 0) + ", " + pathArg(c, 1) + ", ";
      const b = a && !noDeref(c) ? c.mem.read(a, 8) : null;
      if (!b) {
        c.state.fsHandleDone = true;
        return s + ptrText(a) + ", " + ptr(c, 3) + ", " +
          fl(c, X.NAME_TO_HANDLE_AT_FLAGS, c.args.u(4), "AT_???");
      }
      const hb = new DataView(b.buffer, b.byteOffset).getUint32(0, true);
      c.state.fsHandleBytes = hb;
      s += "{handle_bytes=" + hb;
      return s;
    },
    exit(c) {
      if (c.state.fsHandleDone) return "";
      const a = addr(c, 2);
      let s = "";
      if (!c.errno || c.errno === 75) {
        const b = c.mem.read(a, 8);
        if (b) {
          const v = new DataView(b.buffer, b.byteOffset);
          const hb = v.getUint32(0, true);
          if (hb !== c.state.fsHandleBytes) s += " => " + hb;
          if (!c.errno) {
            s += ", handle_type=" + v.getInt32(4, true) + ", f_handle=" + fHandle(c, a, hb);
          }
        }
      }
      return s + "}, " + numInt(c, addr(c, 3)) + ", " +
        fl(c, X.NAME_TO_HANDLE_AT_FLAGS, c.args.u(4), "AT_???");
    },
  },
};
