/**
 * Decoders for system administration syscalls, printed as strace 6.1 prints them on x86_64:
 * mounts (`mount`, `umount2`, `pivot_root`, `chroot`), namespaces (`unshare`, `setns`), swap,
 * accounting, host names, `reboot`, `syslog`, modules, I/O ports, keys, `ioprio_get`/`ioprio_set`,
 * `kcmp`, and a few I/O corners (`readahead`, `sync_file_range`, `vmsplice`, `utime`, `utimes`,
 * `futimesat`, `lookup_dcookie`, `io_setup`, `io_destroy`, `_sysctl`).
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import {
  cstrV,
  dirfdV,
  fdV,
  hex,
  iovecArrayV,
  pathArgV,
  pathV,
  ptrV,
  strnV,
  structV,
} from "./format.ts";
import { flags, type Xlat } from "./xlat.ts";
import { sprinttime } from "./fs.ts";
import * as X from "./xlat/admin.ts";
import { SPLICE_FLAGS } from "./xlat/fs.ts";
import { type CallValue, flagParts, more, V, type Value, whole } from "./value.ts";
import {
  atEntryV,
  bigS,
  bigU,
  fdResultV,
  flags64V,
  flagsV,
  hexArg,
  iArg,
  sArg,
  uArg,
  uiArg,
  xvalV,
} from "./args_v.ts";

/** The `-y` form of a descriptor-returning call's result (strace's `RVAL_FD`), as text. */
export function fdResult(c: SyscallCall): string | undefined {
  return fdResultV(c)?.text;
}

/**
 * A NUL-terminated string of at most `max` bytes, cut at `-s` too (strace's
 * `printstr_ex(.., max, QUOTE_0_TERMINATED)`).
 */
export function cstrMaxV(c: SyscallCall, addr: number, max: number): Value {
  return cstrV(c, addr, Math.min(max, c.opts.strsize));
}

/** strace's `printxval_d`-like name of a value with a decimal fallback and no default comment. */
function xvalD(table: Xlat, v: number, style: XlatStyle): Value {
  return V.xval(table, v, style, undefined, "dec");
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

const mount: SyscallDecoder = atEntryV((c) => {
  const all = c.args.big(3);
  let fl = all;
  let oldMagic = false;
  if ((fl & BigInt(MS_MGC_MSK)) === BigInt(MS_MGC_VAL)) {
    fl &= ~BigInt(MS_MGC_MSK);
    oldMagic = true;
  }
  const low = Number(fl & 0xffffffffn);
  let ignoreType = false, ignoreData = false;
  if (low & MS_REMOUNT) ignoreType = true;
  else if (low & MS_NO_DATA) ignoreType = ignoreData = true;
  const type = ignoreType ? ptrV(c, 2) : cstrV(c, c.args.u(2));
  let f = "";
  const style = c.opts.xlat;
  const names: string[] = [];
  let rest: number | bigint = 0;
  if (oldMagic) {
    f = styled(hex(MS_MGC_VAL), "MS_MGC_VAL", style);
    names.push("MS_MGC_VAL");
    if (fl) f += "|";
  }
  if (fl || !oldMagic) {
    f += flags(X.mountFlags, Number(fl), style, "MS_???");
    const p = flagParts(X.mountFlags, Number(fl));
    names.push(...p.names);
    rest = p.rest;
  }
  const data = ignoreData ? ptrV(c, 4) : cstrV(c, c.args.u(4));
  return [
    pathArgV(c, 0),
    pathArgV(c, 1),
    type,
    V.flagsOf(names, rest, BigInt.asUintN(64, all), f),
    data,
  ];
});

// swapon(2)

const SWAP_FLAG_PRIO_MASK = 0x7fff;

/** `SWAP_FLAG_PREFER|10`: the flags by name, the priority as the remainder. */
const swapon: SyscallDecoder = atEntryV((c) => {
  const all = c.args.ui(1);
  const prio = all & SWAP_FLAG_PRIO_MASK;
  const rest = (all & ~SWAP_FLAG_PRIO_MASK) >>> 0;
  const f = rest ? flags(X.swapFlags, rest, c.opts.xlat, "SWAP_FLAG_???") + "|" : "";
  const p = rest ? flagParts(X.swapFlags, rest) : { names: [], rest: 0 };
  return [pathArgV(c, 0), V.flagsOf(p.names, Number(p.rest) + prio, all, `${f}${prio}`)];
});

// reboot(2)

const LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;

const reboot: SyscallDecoder = atEntryV((c) => {
  const cmd = c.args.ui(2);
  const out: Value[] = [
    xvalV(c, X.bootFlags1, c.args.ui(0), "LINUX_REBOOT_MAGIC_???"),
    xvalV(c, X.bootFlags2, c.args.ui(1), "LINUX_REBOOT_MAGIC_???"),
    xvalV(c, X.bootFlags3, cmd, "LINUX_REBOOT_CMD_???"),
  ];
  if (cmd === LINUX_REBOOT_CMD_RESTART2) out.push(cstrMaxV(c, c.args.u(3), 255));
  return out;
});

// syslog(2)

/** `printxval_ex(.., XLAT_STYLE_VERBOSE | XLAT_STYLE_FMT_D)`: `2 /* SYSLOG_ACTION_READ *\/`. */
function verboseD(table: Xlat, v: number, dflt: string): Value {
  const name = table.byValue.get(v);
  return V.named(name, v, `${v} /* ${name ?? dflt} */`);
}

const SYSLOG_READS = new Set([2, 3, 4]);
const SYSLOG_NOARGS = new Set([0, 1, 5, 6, 7, 9, 10]);

const syslog: SyscallDecoder = {
  enter: (c) => {
    const type = c.args.i(0);
    const head = verboseD(X.syslogActions, type, "SYSLOG_ACTION_???");
    // A read prints its buffer at exit, and the `, ` before it.
    if (SYSLOG_NOARGS.has(type) || SYSLOG_READS.has(type)) return whole([head]);
    const len = c.args.i(2);
    const tail = type === 8 ? verboseD(X.syslogConsoleLevels, len, "LOGLEVEL_???") : V.int(len);
    return whole([head, ptrV(c, 1), tail]);
  },
  exit: (c) => {
    if (!SYSLOG_READS.has(c.args.i(0))) return [];
    const buf = c.errno ? ptrV(c, 1) : strnV(c, c.args.u(1), c.rval);
    return more([buf, iArg(c, 2)]);
  },
};

// ioprio_get(2), ioprio_set(2)

const IOPRIO_CLASS_SHIFT = 13;

/** `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`. */
export function ioprioV(v: number, style: XlatStyle): CallValue {
  v >>>= 0;
  const cls = v >>> IOPRIO_CLASS_SHIFT;
  const data = v & ((1 << IOPRIO_CLASS_SHIFT) - 1);
  return V.call("IOPRIO_PRIO_VALUE", [
    V.xval(X.ioprioClass, cls, style, "IOPRIO_CLASS_???"),
    V.uint(data),
  ]);
}

/** The text of {@linkcode ioprioV}. */
export function ioprioText(v: number, style: XlatStyle): string {
  return ioprioV(v, style).text;
}

/** `which, who` of both calls. */
function ioprioHead(c: SyscallCall): Value[] {
  return [xvalV(c, X.ioprioWho, c.args.i(0), "IOPRIO_WHO_???"), iArg(c, 1)];
}

const ioprio_get: SyscallDecoder = {
  enter: ioprioHead,
  result: (c) => {
    if (c.opts.xlat === "raw") return undefined;
    const v = ioprioV(c.rval, c.opts.xlat);
    return { ...v, text: `${c.rval} (${v.text})` };
  },
};

const ioprio_set: SyscallDecoder = atEntryV((c) => {
  const v = c.args.i(2);
  const st = c.opts.xlat;
  const prio = st === "raw"
    ? V.int(v)
    : st === "verbose"
    ? V.comment(V.int(v), ioprioText(v, st))
    : ioprioV(v, st);
  return [...ioprioHead(c), prio];
});

// kcmp(2)

const KCMP_FILE = 0, KCMP_EPOLL_TFD = 7;

const kcmp: SyscallDecoder = atEntryV((c) => {
  const type = c.args.i(2);
  const out: Value[] = [iArg(c, 0), iArg(c, 1), xvalV(c, X.kcmpTypes, type, "KCMP_???")];
  if (type === KCMP_FILE) out.push(iArg(c, 3), iArg(c, 4));
  else if (type === KCMP_EPOLL_TFD) {
    const slot = structV(c, c.args.u(4), 12, (v) =>
      V.struct([
        ["efd", V.int(v.getInt32(0, true))],
        ["tfd", V.int(v.getInt32(4, true))],
        ["toff", V.uint(v.getUint32(8, true))],
      ]));
    out.push(iArg(c, 3), slot);
  } else if (type < 1 || type > 6) out.push(hexArg(c, 3), hexArg(c, 4));
  return out;
});

// utime(2), utimes(2), futimesat(2)

/** `sprinttime` for seconds and microseconds (strace's `sprinttime_usec`), or undefined. */
function usecComment(sec: bigint, usec: bigint): string | undefined {
  if (usec < 0n || usec > 999999n) return undefined;
  const t = sprinttime(sec, 0n);
  if (t === null) {
    if (sec === 0n && usec !== 0n) {
      const z = sprinttime(1n, 0n);
      if (z === null) return undefined;
      return `${z.slice(0, 17)}00.${usec.toString().padStart(6, "0")}${z.slice(19)}`;
    }
    return undefined;
  }
  if (usec === 0n) return t;
  return `${t.slice(0, 19)}.${usec.toString().padStart(6, "0")}${t.slice(19)}`;
}

/** `[{tv_sec=1, tv_usec=2} /* … *\/, {…}]` of `const struct timeval times[2]`. */
function timevalPair(c: SyscallCall, a: number): Value {
  return structV(c, a, 32, (v) => {
    const one = (o: number) => {
      const sec = v.getBigInt64(o, true), usec = v.getBigInt64(o + 8, true);
      const tv = V.struct([["tv_sec", bigS(sec)], ["tv_usec", bigS(usec)]]);
      return V.comment(tv, usecComment(sec, usec));
    };
    return V.array([one(0), one(16)]);
  });
}

const utime: SyscallDecoder = atEntryV((c) => {
  const t = structV(c, c.args.u(1), 16, (v) => {
    const at = v.getBigInt64(0, true), mt = v.getBigInt64(8, true);
    const cm = (s: bigint) => V.comment(bigS(s), sprinttime(s, 0n) ?? undefined);
    return V.struct([["actime", cm(at)], ["modtime", cm(mt)]]);
  });
  return [pathArgV(c, 0), t];
});

// vmsplice(2)

const vmsplice: SyscallDecoder = atEntryV((c) => {
  const cnt = BigInt.asUintN(64, c.args.big(2));
  return [
    fdV(c, c.args.i(0)),
    iovecArrayV(c, c.args.u(1), cnt, null, true),
    bigU(cnt),
    flagsV(c, SPLICE_FLAGS, c.args.ui(3), "SPLICE_F_???"),
  ];
});

// keys

/** A key serial number argument: `KEY_SPEC_…` or decimal (strace's `print_keyring_serial_number`). */
function keySerial(c: SyscallCall, n: number): Value {
  return xvalD(X.keySpec, c.args.i(n), c.opts.xlat);
}

/** `sethostname`/`setdomainname`: the name (its address when longer than 64) and its length. */
const hostName = atEntryV((c) => {
  const len = c.args.ui(1);
  return [len > 64 ? ptrV(c, 0) : strnV(c, c.args.u(0), len), V.uint(len)];
});

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  chroot: atEntryV((c) => [pathArgV(c, 0)]),
  acct: atEntryV((c) => [pathArgV(c, 0)]),
  uselib: atEntryV((c) => [pathArgV(c, 0)]),
  swapoff: atEntryV((c) => [pathArgV(c, 0)]),
  pivot_root: atEntryV((c) => [pathArgV(c, 0), pathArgV(c, 1)]),
  mount,
  umount2: atEntryV((c) => [
    pathArgV(c, 0),
    flagsV(c, X.umountFlags, c.args.ui(1), "MNT_???"),
  ]),
  swapon,
  reboot,
  syslog,
  sethostname: hostName,
  setdomainname: hostName,
  iopl: atEntryV((c) => [sArg(c, 0)]),
  ioperm: atEntryV((c) => [hexArg(c, 0), hexArg(c, 1), iArg(c, 2)]),
  init_module: atEntryV((c) => [ptrV(c, 0), uArg(c, 1), cstrV(c, c.args.u(2))]),
  delete_module: atEntryV((c) => [
    cstrV(c, c.args.u(0)),
    flagsV(c, X.deleteModuleFlags, c.args.ui(1), "O_???"),
  ]),
  finit_module: atEntryV((c) => [
    fdV(c, c.args.i(0)),
    cstrV(c, c.args.u(1)),
    flagsV(c, X.moduleInitFlags, c.args.ui(2), "MODULE_INIT_???"),
  ]),
  unshare: atEntryV((c) => [
    flags64V(X.unshareFlags, BigInt.asUintN(64, c.args.big(0)), c.opts.xlat, "CLONE_???"),
  ]),
  setns: atEntryV((c) => [
    fdV(c, c.args.i(0)),
    flagsV(c, X.setnsTypes, c.args.ui(1), "CLONE_NEW???"),
  ]),
  ioprio_get,
  ioprio_set,
  kcmp,
  readahead: atEntryV((c) => [fdV(c, c.args.i(0)), sArg(c, 1), uArg(c, 2)]),
  sync_file_range: atEntryV((c) => [
    fdV(c, c.args.i(0)),
    sArg(c, 1),
    sArg(c, 2),
    flagsV(c, X.syncFileRangeFlags, c.args.ui(3), "SYNC_FILE_RANGE_???"),
  ]),
  vmsplice,
  utime,
  utimes: atEntryV((c) => [pathArgV(c, 0), timevalPair(c, c.args.u(1))]),
  futimesat: atEntryV((c) => [
    dirfdV(c, c.args.i(0)),
    pathV(c, c.args.u(1)),
    timevalPair(c, c.args.u(2)),
  ]),
  lookup_dcookie: {
    exit: (c) => [
      uArg(c, 0),
      c.errno ? ptrV(c, 1) : strnV(c, c.args.u(1), c.rval),
      uArg(c, 2),
    ],
  },
  add_key: atEntryV((c) => [
    cstrV(c, c.args.u(0)),
    cstrV(c, c.args.u(1)),
    strnV(c, c.args.u(2), c.args.u(3)),
    uArg(c, 3),
    keySerial(c, 4),
  ]),
  request_key: atEntryV((c) => [
    cstrV(c, c.args.u(0)),
    cstrV(c, c.args.u(1)),
    cstrV(c, c.args.u(2)),
    keySerial(c, 3),
  ]),
  io_setup: {
    enter: (c) => [uiArg(c, 0)],
    exit: (c) => {
      const a = c.args.u(1);
      if (c.errno && a) return [V.ptr(a)];
      return [structV(c, a, 8, (v) => V.array([V.hex(v.getBigUint64(0, true))]))];
    },
  },
  io_destroy: atEntryV((c) => [ptrV(c, 0)]),
  // The obsolete `struct __sysctl_args` (80 bytes): pointers and lengths only, as strace prints.
  _sysctl: atEntryV((c) => [
    structV(c, c.args.u(0), 80, (v) => {
      const p = (o: number) => V.ptr(v.getBigUint64(o, true));
      return V.struct([
        ["name", p(0)],
        ["nlen", V.int(v.getInt32(8, true))],
        ["oldval", p(16)],
        ["oldlenp", p(24)],
        ["newval", p(32)],
        ["newlen", bigU(v.getBigUint64(40, true))],
      ]);
    }),
  ]),
};
