/**
 * Decoders for `quotactl` and `quotactl_fd`, printed as strace 6.1 prints them on x86_64: the
 * `QCMD(cmd, type)` word and each command's argument (`if_dqblk`, `if_nextdqblk`, `if_dqinfo`,
 * `fs_disk_quota`, formats and XFS flags). `Q_XGETQSTAT` and `Q_XGETQSTATV` results print as
 * their address.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fdV, noDeref, pathV } from "./format.ts";
import * as X from "./xlat/admin.ts";
import { V, type Value, whole } from "./value.ts";
import { bigU, flagsV, uidV, xvalV } from "./args_v.ts";

const Q = Object.fromEntries(X.quotaCmds.entries) as Record<string, number>;

/** `QCMD(Q_SYNC, USRQUOTA)` in strace's `-X` styles. */
function qcmdV(c: SyscallCall, qcmd: number): Value {
  const cmd = qcmd >>> 8, type = qcmd & 0xff;
  const st = c.opts.xlat;
  if (st === "raw") return V.uint(qcmd);
  const call = V.call("QCMD", [
    V.xval(X.quotaCmds, cmd, "abbrev", "Q_???"),
    V.xval(X.quotaTypes, type, "abbrev", "???QUOTA"),
  ]);
  return st === "verbose" ? V.comment(V.uint(qcmd), call.text) : call;
}

/** Reads `len` bytes of the command's argument, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | Value {
  if (!addr) return V.ptr(0);
  if (noDeref(c) || (c.exiting && c.errno)) return V.ptr(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : V.unavailable(addr);
}

/** `struct if_dqblk` (68 bytes, packed) or `if_nextdqblk` (72 bytes, with `dqb_id`). */
function dqblk(c: SyscallCall, addr: number, next: boolean): Value {
  const v = read(c, addr, next ? 72 : 68);
  if (!(v instanceof DataView)) return v;
  const u = (o: number) => bigU(v.getBigUint64(o, true));
  const f: [string, Value][] = [
    ["dqb_bhardlimit", u(0)],
    ["dqb_bsoftlimit", u(8)],
    ["dqb_curspace", u(16)],
    ["dqb_ihardlimit", u(24)],
    ["dqb_isoftlimit", u(32)],
    ["dqb_curinodes", u(40)],
  ];
  if (c.opts.verbose) {
    f.push(["dqb_btime", u(48)], ["dqb_itime", u(56)]);
    f.push(["dqb_valid", flagsV(c, X.ifDqblkValid, v.getUint32(64, true), "QIF_???")]);
  }
  if (next) f.push(["dqb_id", V.uint(v.getUint32(68, true))]);
  return V.struct(f, !c.opts.verbose);
}

/** `fs_disk_quota_t` (112 bytes). */
function diskQuota(c: SyscallCall, addr: number): Value {
  const v = read(c, addr, 112);
  if (!(v instanceof DataView)) return v;
  const u = (o: number) => bigU(v.getBigUint64(o, true));
  const f: [string, Value][] = [
    ["d_version", V.int(v.getInt8(0))],
    ["d_flags", flagsV(c, X.xfsDqblkFlags, v.getUint8(1), "FS_???_QUOTA")],
    ["d_fieldmask", V.hex(v.getUint16(2, true))],
    ["d_id", V.uint(v.getUint32(4, true))],
    ["d_blk_hardlimit", u(8)],
    ["d_blk_softlimit", u(16)],
    ["d_ino_hardlimit", u(24)],
    ["d_ino_softlimit", u(32)],
    ["d_bcount", u(40)],
    ["d_icount", u(48)],
  ];
  if (c.opts.verbose) {
    f.push(
      ["d_itimer", V.int(v.getInt32(56, true))],
      ["d_btimer", V.int(v.getInt32(60, true))],
      ["d_iwarns", V.uint(v.getUint16(64, true))],
      ["d_bwarns", V.uint(v.getUint16(66, true))],
      ["d_rtb_hardlimit", u(72)],
      ["d_rtb_softlimit", u(80)],
      ["d_rtbcount", u(88)],
      ["d_rtbtimer", V.int(v.getInt32(96, true))],
      ["d_rtbwarns", V.uint(v.getUint16(100, true))],
    );
  }
  return V.struct(f, !c.opts.verbose);
}

/** `struct if_dqinfo` (24 bytes). */
function dqinfo(c: SyscallCall, addr: number): Value {
  const v = read(c, addr, 24);
  if (!(v instanceof DataView)) return v;
  return V.struct([
    ["dqi_bgrace", bigU(v.getBigUint64(0, true))],
    ["dqi_igrace", bigU(v.getBigUint64(8, true))],
    ["dqi_flags", flagsV(c, X.ifDqinfoFlags, v.getUint32(16, true), "DQF_???")],
    ["dqi_valid", flagsV(c, X.ifDqinfoValid, v.getUint32(20, true), "IIF_???")],
  ]);
}

/** A `u32` behind the pointer, printed `[…]` by `print`. */
function u32Ptr(c: SyscallCall, addr: number, print: (v: number) => Value): Value {
  const v = read(c, addr, 4);
  return v instanceof DataView ? V.array([print(v.getUint32(0, true))]) : v;
}

/**
 * strace's `decode_cmd_data` at entry: the arguments after the command (and `special`/`fd`),
 * and whether the exit adds one.
 */
function entryData(
  c: SyscallCall,
  cmd: number,
  id: number,
  data: number,
): { args: Value[]; atExit: boolean } {
  const now = (...args: Value[]) => ({ args, atExit: false });
  const later = (...args: Value[]) => ({ args, atExit: true });
  switch (cmd) {
    case Q.Q_QUOTAOFF:
    case Q.Q_SYNC:
    case Q.Q_XQUOTASYNC:
      return now();
    case Q.Q_QUOTAON:
      return now(xvalV(c, X.quotaFormats, id, "QFMT_VFS_???"), pathV(c, data));
    case Q.Q_GETQUOTA:
    case Q.Q_GETNEXTQUOTA:
    case Q.Q_XGETQUOTA:
    case Q.Q_XGETNEXTQUOTA:
      return later(uidV(id));
    case Q.Q_SETQUOTA:
      return now(uidV(id), dqblk(c, data, false));
    case Q.Q_XSETQLIM:
      return now(uidV(id), diskQuota(c, data));
    case Q.Q_GETFMT:
    case Q.Q_GETINFO:
    case Q.Q_XGETQSTAT:
    case Q.Q_XGETQSTATV:
      return later();
    case Q.Q_SETINFO:
      return now(dqinfo(c, data));
    case Q.Q_XQUOTAON:
    case Q.Q_XQUOTAOFF:
      return now(u32Ptr(c, data, (f) => flagsV(c, X.xfsQuotaFlags, f, "FS_QUOTA_???")));
    case Q.Q_XQUOTARM:
      return now(u32Ptr(c, data, (f) => flagsV(c, X.xfsDqblkFlags, f, "FS_???_QUOTA")));
    default:
      return now(uidV(id), V.ptr(data));
  }
}

/** strace's `decode_cmd_data` at exit: the argument the command prints then, if any. */
function exitData(c: SyscallCall, cmd: number, data: number): Value[] {
  switch (cmd) {
    case Q.Q_GETQUOTA:
      return [dqblk(c, data, false)];
    case Q.Q_GETNEXTQUOTA:
      return [dqblk(c, data, true)];
    case Q.Q_XGETQUOTA:
    case Q.Q_XGETNEXTQUOTA:
      return [diskQuota(c, data)];
    case Q.Q_GETFMT:
      return [u32Ptr(c, data, (f) => xvalV(c, X.quotaFormats, f, "QFMT_VFS_???"))];
    case Q.Q_GETINFO:
      return [dqinfo(c, data)];
    case Q.Q_XGETQSTAT:
    case Q.Q_XGETQSTATV:
      return [V.ptr(data)];
  }
  return [];
}

/** The entry arguments: `head`, then the command's; whole when the exit adds none. */
function entry(c: SyscallCall, head: Value[], qcmd: number): readonly Value[] {
  const d = entryData(c, qcmd >>> 8, c.args.ui(2), c.args.u(3));
  const args = [...head, ...d.args];
  return d.atExit ? args : whole(args);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  quotactl: {
    enter: (c) => {
      const qcmd = c.args.ui(0);
      return entry(c, [qcmdV(c, qcmd), pathV(c, c.args.u(1))], qcmd);
    },
    exit: (c) => exitData(c, c.args.ui(0) >>> 8, c.args.u(3)),
  },
  quotactl_fd: {
    enter: (c) => {
      const qcmd = c.args.ui(1);
      return entry(c, [fdV(c, c.args.i(0)), qcmdV(c, qcmd)], qcmd);
    },
    exit: (c) => exitData(c, c.args.ui(1) >>> 8, c.args.u(3)),
  },
};
