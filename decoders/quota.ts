/**
 * Decoders for `quotactl` and `quotactl_fd`, printed as strace 6.1 prints them on x86_64: the
 * `QCMD(cmd, type)` word and each command's argument (`if_dqblk`, `if_nextdqblk`, `if_dqinfo`,
 * `fs_disk_quota`, formats and XFS flags). `Q_XGETQSTAT` and `Q_XGETQSTATV` results print as
 * their address.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fd, hex, noDeref, path, ptrText } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import * as X from "./xlat/admin.ts";

const Q = Object.fromEntries(X.quotaCmds.entries) as Record<string, number>;

/** `QCMD(Q_SYNC, USRQUOTA)` in strace's `-X` styles. */
function qcmdText(c: SyscallCall, qcmd: number): string {
  const cmd = qcmd >>> 8, type = qcmd & 0xff;
  const st = c.opts.xlat;
  if (st === "raw") return String(qcmd);
  const text = `QCMD(${xval(X.quotaCmds, cmd, "abbrev", "Q_???")}, ${
    xval(X.quotaTypes, type, "abbrev", "???QUOTA")
  })`;
  return st === "verbose" ? `${qcmd} /* ${text} */` : text;
}

/** A uid (`printuid`): `-1` or unsigned decimal. */
const uid = (v: number) => (v >>> 0 === 0xffffffff ? "-1" : String(v >>> 0));

/** Reads `len` bytes of the command's argument, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | string {
  if (!addr) return "NULL";
  if (noDeref(c) || (c.exiting && c.errno)) return hex(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : hex(addr);
}

/** `struct if_dqblk` (68 bytes, packed) or `if_nextdqblk` (72 bytes, with `dqb_id`). */
function dqblk(c: SyscallCall, addr: number, next: boolean): string {
  const v = read(c, addr, next ? 72 : 68);
  if (typeof v === "string") return v;
  const u = (o: number) => v.getBigUint64(o, true);
  let s = `{dqb_bhardlimit=${u(0)}, dqb_bsoftlimit=${u(8)}, dqb_curspace=${u(16)}, ` +
    `dqb_ihardlimit=${u(24)}, dqb_isoftlimit=${u(32)}, dqb_curinodes=${u(40)}`;
  if (c.opts.verbose) {
    s += `, dqb_btime=${u(48)}, dqb_itime=${u(56)}, dqb_valid=${
      flags(X.ifDqblkValid, v.getUint32(64, true), c.opts.xlat, "QIF_???")
    }`;
    if (next) s += `, dqb_id=${v.getUint32(68, true)}`;
  } else {
    if (next) s += `, dqb_id=${v.getUint32(68, true)}`;
    s += ", ...";
  }
  return s + "}";
}

/** `fs_disk_quota_t` (112 bytes). */
function diskQuota(c: SyscallCall, addr: number): string {
  const v = read(c, addr, 112);
  if (typeof v === "string") return v;
  const u = (o: number) => v.getBigUint64(o, true);
  let s = `{d_version=${v.getInt8(0)}, d_flags=${
    flags(X.xfsDqblkFlags, v.getUint8(1), c.opts.xlat, "FS_???_QUOTA")
  }, d_fieldmask=${hex(v.getUint16(2, true))}, d_id=${v.getUint32(4, true)}, d_blk_hardlimit=${
    u(8)
  }, d_blk_softlimit=${u(16)}, d_ino_hardlimit=${u(24)}, d_ino_softlimit=${u(32)}, d_bcount=${
    u(40)
  }, d_icount=${u(48)}`;
  if (c.opts.verbose) {
    s += `, d_itimer=${v.getInt32(56, true)}, d_btimer=${v.getInt32(60, true)}, d_iwarns=${
      v.getUint16(64, true)
    }, d_bwarns=${v.getUint16(66, true)}, d_rtb_hardlimit=${u(72)}, d_rtb_softlimit=${
      u(80)
    }, d_rtbcount=${u(88)}, d_rtbtimer=${v.getInt32(96, true)}, d_rtbwarns=${
      v.getUint16(100, true)
    }`;
  } else s += ", ...";
  return s + "}";
}

/** `struct if_dqinfo` (24 bytes). */
function dqinfo(c: SyscallCall, addr: number): string {
  const v = read(c, addr, 24);
  if (typeof v === "string") return v;
  return `{dqi_bgrace=${v.getBigUint64(0, true)}, dqi_igrace=${v.getBigUint64(8, true)}, ` +
    `dqi_flags=${flags(X.ifDqinfoFlags, v.getUint32(16, true), c.opts.xlat, "DQF_???")}, ` +
    `dqi_valid=${flags(X.ifDqinfoValid, v.getUint32(20, true), c.opts.xlat, "IIF_???")}}`;
}

/** A `u32` behind the pointer, printed `[…]` by `print`. */
function u32Ptr(c: SyscallCall, addr: number, print: (v: number) => string): string {
  const v = read(c, addr, 4);
  return typeof v === "string" ? v : `[${print(v.getUint32(0, true))}]`;
}

/**
 * strace's `decode_cmd_data`: the text after the command (and `special`/`fd`), at entry
 * (`exiting` false) or exit; `""` when that stop adds nothing.
 */
function cmdData(c: SyscallCall, cmd: number, id: number, data: number): string {
  const exit = c.exiting;
  const st = c.opts.xlat;
  switch (cmd) {
    case Q.Q_QUOTAOFF:
    case Q.Q_SYNC:
    case Q.Q_XQUOTASYNC:
      return "";
    case Q.Q_QUOTAON:
      return exit ? "" : `, ${xval(X.quotaFormats, id, st, "QFMT_VFS_???")}, ${path(c, data)}`;
    case Q.Q_GETQUOTA:
      return exit ? dqblk(c, data, false) : `, ${uid(id)}, `;
    case Q.Q_SETQUOTA:
      return exit ? "" : `, ${uid(id)}, ${dqblk(c, data, false)}`;
    case Q.Q_GETNEXTQUOTA:
      return exit ? dqblk(c, data, true) : `, ${uid(id)}, `;
    case Q.Q_XGETQUOTA:
    case Q.Q_XGETNEXTQUOTA:
      return exit ? diskQuota(c, data) : `, ${uid(id)}, `;
    case Q.Q_XSETQLIM:
      return exit ? "" : `, ${uid(id)}, ${diskQuota(c, data)}`;
    case Q.Q_GETFMT:
      return exit ? u32Ptr(c, data, (f) => xval(X.quotaFormats, f, st, "QFMT_VFS_???")) : ", ";
    case Q.Q_GETINFO:
      return exit ? dqinfo(c, data) : ", ";
    case Q.Q_SETINFO:
      return exit ? "" : `, ${dqinfo(c, data)}`;
    case Q.Q_XGETQSTAT:
    case Q.Q_XGETQSTATV:
      return exit ? ptrText(data) : ", ";
    case Q.Q_XQUOTAON:
    case Q.Q_XQUOTAOFF:
      return exit
        ? ""
        : `, ${u32Ptr(c, data, (f) => flags(X.xfsQuotaFlags, f, st, "FS_QUOTA_???"))}`;
    case Q.Q_XQUOTARM:
      return exit
        ? ""
        : `, ${u32Ptr(c, data, (f) => flags(X.xfsDqblkFlags, f, st, "FS_???_QUOTA"))}`;
    default:
      return exit ? "" : `, ${uid(id)}, ${ptrText(data)}`;
  }
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  quotactl: {
    enter: (c) => {
      const qcmd = c.args.ui(0);
      return `${qcmdText(c, qcmd)}, ${path(c, c.args.u(1))}` +
        cmdData(c, qcmd >>> 8, c.args.ui(2), c.args.u(3));
    },
    exit: (c) => cmdData(c, c.args.ui(0) >>> 8, c.args.ui(2), c.args.u(3)),
  },
  quotactl_fd: {
    enter: (c) => {
      const qcmd = c.args.ui(1);
      return `${fd(c, c.args.i(0))}, ${qcmdText(c, qcmd)}` +
        cmdData(c, qcmd >>> 8, c.args.ui(2), c.args.u(3));
    },
    exit: (c) => cmdData(c, c.args.ui(1) >>> 8, c.args.ui(2), c.args.u(3)),
  },
};
