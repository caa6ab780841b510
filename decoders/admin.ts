/**
 * Decoders for system administration syscalls, printed as strace 6.1 prints them on x86_64:
 * mounts (`mount`, `umount2`, `pivot_root`, `chroot`), namespaces (`unshare`, `setns`), swap,
 * accounting, host names, `reboot`, `syslog`, modules, I/O ports, keys, `ioprio_get`/`ioprio_set`,
 * `kcmp`, and a few I/O corners (`readahead`, `sync_file_range`, `vmsplice`, `utime`, `utimes`,
 * `futimesat`, `lookup_dcookie`, `io_setup`, `io_destroy`, `_sysctl`).
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { cstr, dirfd, fd, hex, noDeref, path, pathArg, ptr, ptrText, strn } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { iovec, sprinttime } from "./fs.ts";
import * as X from "./xlat/admin.ts";
import { SPLICE_FLAGS } from "./xlat/fs.ts";
import { flags64 } from "./signal.ts";

/** The `-y` form of a descriptor-returning call's result (strace's `RVAL_FD`). */
export function fdResult(c: SyscallCall): string | undefined {
  return c.opts.decodeFds ? fd(c, c.rval) : undefined;
}

/** A decoder that prints everything at entry. */
export function atEntry(enter: (c: SyscallCall) => string): SyscallDecoder {
  return { enter };
}

/** Argument `n` as C's `%u` of an `unsigned int`. */
function u32(c: SyscallCall, n: number): string {
  return String(c.args.ui(n));
}

/** Argument `n` as an unsigned 64-bit decimal. */
function u64(c: SyscallCall, n: number): string {
  return BigInt.asUintN(64, c.args.big(n)).toString();
}

/** Argument `n` as a signed 64-bit decimal. */
function s64(c: SyscallCall, n: number): string {
  return BigInt.asIntN(64, c.args.big(n)).toString();
}

/**
 * Prints a NUL-terminated string of at most `max` bytes, cut at `-s` too (strace's
 * `printstr_ex(.., max, QUOTE_0_TERMINATED)`).
 */
export function cstrMax(c: SyscallCall, addr: number, max: number): string {
  return cstr(c, addr, Math.min(max, c.opts.strsize));
}

/** strace's `printxval_d`-like name of a value with a decimal fallback and no default comment. */
function xvalD(table: Parameters<typeof xval>[0], v: number, style: XlatStyle): string {
  return xval(table, v, style, undefined, "dec");
}

/** A name printed in strace's `-X` styles around a raw `raw` text. */
function styled(raw: string, name: string, style: XlatStyle): string {
  if (style === "raw") return raw;
  if (style === "verbose") return `${raw} /* ${name} */`;
  return name;
}

// mount(2)

const MS_MGC_VAL = 0xc0ed0000;
const MS_MGC_MSK = 0xffff0000;
const MS_REMOUNT = 0x20;
/** MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE. */
const MS_NO_DATA = 0x1000 | 0x2000 | 0x100000 | 0x40000 | 0x80000 | 0x20000;

const mount: SyscallDecoder = atEntry((c) => {
  let fl = c.args.big(3);
  let oldMagic = false;
  if ((fl & BigInt(MS_MGC_MSK)) === BigInt(MS_MGC_VAL)) {
    fl &= ~BigInt(MS_MGC_MSK);
    oldMagic = true;
  }
  const low = Number(fl & 0xffffffffn);
  let ignoreType = false, ignoreData = false;
  if (low & MS_REMOUNT) ignoreType = true;
  else if (low & MS_NO_DATA) ignoreType = ignoreData = true;
  const type = ignoreType ? ptr(c, 2) : cstr(c, c.args.u(2));
  let f = "";
  const style = c.opts.xlat;
  if (oldMagic) {
    f = styled(hex(MS_MGC_VAL), "MS_MGC_VAL", style);
    if (fl) f += "|";
  }
  if (fl || !oldMagic) f += flags(X.mountFlags, Number(fl), style, "MS_???");
  const data = ignoreData ? ptr(c, 4) : cstr(c, c.args.u(4));
  return `${pathArg(c, 0)}, ${pathArg(c, 1)}, ${type}, ${f}, ${data}`;
});

// swapon(2)

const SWAP_FLAG_PRIO_MASK = 0x7fff;

const swapon: SyscallDecoder = atEntry((c) => {
  const all = c.args.ui(1);
  const prio = all & SWAP_FLAG_PRIO_MASK;
  const rest = (all & ~SWAP_FLAG_PRIO_MASK) >>> 0;
  const f = rest ? flags(X.swapFlags, rest, c.opts.xlat, "SWAP_FLAG_???") + "|" : "";
  return `${pathArg(c, 0)}, ${f}${prio}`;
});

// reboot(2)

const LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;

const reboot: SyscallDecoder = atEntry((c) => {
  const st = c.opts.xlat;
  const cmd = c.args.ui(2);
  let s = `${xval(X.bootFlags1, c.args.ui(0), st, "LINUX_REBOOT_MAGIC_???")}, ` +
    `${xval(X.bootFlags2, c.args.ui(1), st, "LINUX_REBOOT_MAGIC_???")}, ` +
    xval(X.bootFlags3, cmd, st, "LINUX_REBOOT_CMD_???");
  if (cmd === LINUX_REBOOT_CMD_RESTART2) s += ", " + cstrMax(c, c.args.u(3), 255);
  return s;
});

// syslog(2)

/** `printxval_ex(.., XLAT_STYLE_VERBOSE | XLAT_STYLE_FMT_D)`: `2 /* SYSLOG_ACTION_READ *\/`. */
function verboseD(table: Parameters<typeof xval>[0], v: number, dflt: string): string {
  const name = table.byValue.get(v);
  return `${v} /* ${name ?? dflt} */`;
}

const SYSLOG_READS = new Set([2, 3, 4]);
const SYSLOG_NOARGS = new Set([0, 1, 5, 6, 7, 9, 10]);

const syslog: SyscallDecoder = {
  enter: (c) => {
    const type = c.args.i(0);
    const head = verboseD(X.syslogActions, type, "SYSLOG_ACTION_???");
    if (SYSLOG_NOARGS.has(type) || SYSLOG_READS.has(type)) return head;
    const len = c.args.i(2);
    const tail = type === 8 ? verboseD(X.syslogConsoleLevels, len, "LOGLEVEL_???") : String(len);
    return `${head}, ${ptr(c, 1)}, ${tail}`;
  },
  exit: (c) => {
    if (!SYSLOG_READS.has(c.args.i(0))) return "";
    const buf = c.errno ? ptr(c, 1) : strn(c, c.args.u(1), c.rval);
    return `, ${buf}, ${c.args.i(2)}`;
  },
};

// ioprio_get(2), ioprio_set(2)

const IOPRIO_CLASS_SHIFT = 13;

/** `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`. */
export function ioprioText(v: number, style: XlatStyle): string {
  v >>>= 0;
  const cls = v >>> IOPRIO_CLASS_SHIFT;
  const data = v & ((1 << IOPRIO_CLASS_SHIFT) - 1);
  return `IOPRIO_PRIO_VALUE(${xval(X.ioprioClass, cls, style, "IOPRIO_CLASS_???")}, ${data})`;
}

/** `which, who` of both calls. */
function ioprioHead(c: SyscallCall): string {
  return `${xval(X.ioprioWho, c.args.i(0), c.opts.xlat, "IOPRIO_WHO_???")}, ${c.args.i(1)}`;
}

const ioprio_get: SyscallDecoder = {
  enter: ioprioHead,
  result: (
    c,
  ) => (c.opts.xlat === "raw" ? undefined : `${c.rval} (${ioprioText(c.rval, c.opts.xlat)})`),
};

const ioprio_set: SyscallDecoder = atEntry((c) => {
  const v = c.args.i(2);
  const st = c.opts.xlat;
  const text = st === "raw"
    ? String(v)
    : st === "verbose"
    ? `${v} /* ${ioprioText(v, st)} */`
    : ioprioText(v, st);
  return `${ioprioHead(c)}, ${text}`;
});

// kcmp(2)

const KCMP_FILE = 0, KCMP_EPOLL_TFD = 7;

const kcmp: SyscallDecoder = atEntry((c) => {
  const type = c.args.i(2);
  let s = `${c.args.i(0)}, ${c.args.i(1)}, ${xval(X.kcmpTypes, type, c.opts.xlat, "KCMP_???")}`;
  if (type === KCMP_FILE) s += `, ${c.args.i(3)}, ${c.args.i(4)}`;
  else if (type === KCMP_EPOLL_TFD) {
    const a = c.args.u(4);
    let slot: string;
    const b = a && !noDeref(c) ? c.mem.read(a, 12) : null;
    if (!b) slot = ptrText(a);
    else {
      const v = new DataView(b.buffer, b.byteOffset, 12);
      slot = `{efd=${v.getInt32(0, true)}, tfd=${v.getInt32(4, true)}, toff=${
        v.getUint32(8, true)
      }}`;
    }
    s += `, ${c.args.i(3)}, ${slot}`;
  } else if (type < 1 || type > 6) s += `, ${c.args.hex(3)}, ${c.args.hex(4)}`;
  return s;
});

// utime(2), utimes(2), futimesat(2)

/** `sprinttime` for seconds and microseconds (strace's `sprinttime_usec`). */
function usecComment(sec: bigint, usec: bigint): string {
  if (usec < 0n || usec > 999999n) return "";
  const t = sprinttime(sec, 0n);
  if (t === null) {
    if (sec === 0n && usec !== 0n) {
      const z = sprinttime(1n, 0n);
      if (z === null) return "";
      return ` /* ${z.slice(0, 17)}00.${usec.toString().padStart(6, "0")}${z.slice(19)} */`;
    }
    return "";
  }
  if (usec === 0n) return ` /* ${t} */`;
  return ` /* ${t.slice(0, 19)}.${usec.toString().padStart(6, "0")}${t.slice(19)} */`;
}

/** `[{tv_sec=1, tv_usec=2} /* … *\/, {…}]` of `const struct timeval times[2]`. */
function timevalPair(c: SyscallCall, a: number): string {
  if (!a) return "NULL";
  if (noDeref(c)) return hex(a);
  const b = c.mem.read(a, 32);
  if (!b) return hex(a);
  const v = new DataView(b.buffer, b.byteOffset, 32);
  const one = (o: number) => {
    const sec = v.getBigInt64(o, true), usec = v.getBigInt64(o + 8, true);
    return `{tv_sec=${sec}, tv_usec=${usec}}${usecComment(sec, usec)}`;
  };
  return `[${one(0)}, ${one(16)}]`;
}

const utime: SyscallDecoder = atEntry((c) => {
  const a = c.args.u(1);
  let t: string;
  const b = a && !noDeref(c) ? c.mem.read(a, 16) : null;
  if (!a) t = "NULL";
  else if (!b) t = hex(a);
  else {
    const v = new DataView(b.buffer, b.byteOffset, 16);
    const at = v.getBigInt64(0, true), mt = v.getBigInt64(8, true);
    const cm = (s: bigint) => {
      const x = sprinttime(s, 0n);
      return x === null ? "" : ` /* ${x} */`;
    };
    t = `{actime=${at}${cm(at)}, modtime=${mt}${cm(mt)}}`;
  }
  return `${pathArg(c, 0)}, ${t}`;
});

// vmsplice(2)

const vmsplice: SyscallDecoder = atEntry((c) => {
  const cnt = BigInt.asUintN(64, c.args.big(2));
  return `${fd(c, c.args.i(0))}, ${iovec(c, c.args.u(1), cnt, null, true)}, ${cnt}, ` +
    flags(SPLICE_FLAGS, c.args.ui(3), c.opts.xlat, "SPLICE_F_???");
});

// keys

/** A key serial number argument: `KEY_SPEC_…` or decimal (strace's `print_keyring_serial_number`). */
export const keySerial = (c: SyscallCall, n: number): string =>
  xvalD(X.keySpec, c.args.i(n), c.opts.xlat);

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  chroot: atEntry((c) => pathArg(c, 0)),
  acct: atEntry((c) => pathArg(c, 0)),
  uselib: atEntry((c) => pathArg(c, 0)),
  swapoff: atEntry((c) => pathArg(c, 0)),
  pivot_root: atEntry((c) => `${pathArg(c, 0)}, ${pathArg(c, 1)}`),
  mount,
  umount2: atEntry((c) =>
    `${pathArg(c, 0)}, ${flags(X.umountFlags, c.args.ui(1), c.opts.xlat, "MNT_???")}`
  ),
  swapon,
  reboot,
  syslog,
  sethostname: atEntry((c) => {
    const len = c.args.ui(1);
    return `${len > 64 ? ptr(c, 0) : strn(c, c.args.u(0), len)}, ${len}`;
  }),
  setdomainname: atEntry((c) => {
    const len = c.args.ui(1);
    return `${len > 64 ? ptr(c, 0) : strn(c, c.args.u(0), len)}, ${len}`;
  }),
  iopl: atEntry((c) => s64(c, 0)),
  ioperm: atEntry((c) => `${c.args.hex(0)}, ${c.args.hex(1)}, ${c.args.i(2)}`),
  init_module: atEntry((c) => `${ptr(c, 0)}, ${u64(c, 1)}, ${cstr(c, c.args.u(2))}`),
  delete_module: atEntry((c) =>
    `${cstr(c, c.args.u(0))}, ${flags(X.deleteModuleFlags, c.args.ui(1), c.opts.xlat, "O_???")}`
  ),
  finit_module: atEntry((c) =>
    `${fd(c, c.args.i(0))}, ${cstr(c, c.args.u(1))}, ` +
    flags(X.moduleInitFlags, c.args.ui(2), c.opts.xlat, "MODULE_INIT_???")
  ),
  unshare: atEntry((c) =>
    flags64(X.unshareFlags, BigInt.asUintN(64, c.args.big(0)), c.opts.xlat, "CLONE_???")
  ),
  setns: atEntry((c) =>
    `${fd(c, c.args.i(0))}, ${flags(X.setnsTypes, c.args.ui(1), c.opts.xlat, "CLONE_NEW???")}`
  ),
  ioprio_get,
  ioprio_set,
  kcmp,
  readahead: atEntry((c) => `${fd(c, c.args.i(0))}, ${s64(c, 1)}, ${u64(c, 2)}`),
  sync_file_range: atEntry((c) =>
    `${fd(c, c.args.i(0))}, ${s64(c, 1)}, ${s64(c, 2)}, ` +
    flags(X.syncFileRangeFlags, c.args.ui(3), c.opts.xlat, "SYNC_FILE_RANGE_???")
  ),
  vmsplice,
  utime,
  utimes: atEntry((c) => `${pathArg(c, 0)}, ${timevalPair(c, c.args.u(1))}`),
  futimesat: atEntry((c) =>
    `${dirfd(c, c.args.i(0))}, ${path(c, c.args.u(1))}, ${timevalPair(c, c.args.u(2))}`
  ),
  lookup_dcookie: {
    exit: (c) =>
      `${u64(c, 0)}, ${c.errno ? ptr(c, 1) : strn(c, c.args.u(1), c.rval)}, ${u64(c, 2)}`,
  },
  add_key: atEntry((c) =>
    `${cstr(c, c.args.u(0))}, ${cstr(c, c.args.u(1))}, ` +
    `${strn(c, c.args.u(2), c.args.u(3))}, ${u64(c, 3)}, ${keySerial(c, 4)}`
  ),
  request_key: atEntry((c) =>
    `${cstr(c, c.args.u(0))}, ${cstr(c, c.args.u(1))}, ${cstr(c, c.args.u(2))}, ${keySerial(c, 3)}`
  ),
  io_setup: {
    enter: (c) => `${u32(c, 0)}, `,
    exit: (c) => {
      const a = c.args.u(1);
      if (!a) return "NULL";
      if (c.errno || noDeref(c)) return hex(a);
      const b = c.mem.read(a, 8);
      if (!b) return hex(a);
      const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
      return `[${v ? "0x" + v.toString(16) : "0"}]`;
    },
  },
  io_destroy: atEntry((c) => ptr(c, 0)),
  // The obsolete `struct __sysctl_args` (80 bytes): pointers and lengths only, as strace prints.
  _sysctl: atEntry((c) => {
    const a = c.args.u(0);
    if (!a) return "NULL";
    const b = noDeref(c) ? null : c.mem.read(a, 80);
    if (!b) return hex(a);
    const v = new DataView(b.buffer, b.byteOffset, 80);
    const p = (o: number) => {
      const x = v.getBigUint64(o, true);
      return x ? "0x" + x.toString(16) : "NULL";
    };
    return `{name=${p(0)}, nlen=${v.getInt32(8, true)}, oldval=${p(16)}, oldlenp=${p(24)}, newval=${
      p(32)
    }, newlen=${v.getBigUint64(40, true)}}`;
  }),
};
