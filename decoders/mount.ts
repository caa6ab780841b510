/**
 * Decoders for the new mount API, printed as strace 6.1 prints them on x86_64: `move_mount`,
 * `fsconfig`, `fsmount`, `mount_setattr` (`fsopen`, `fspick` and `open_tree` are in misc.ts).
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { dirfd, fd, hex, noDeref, path, pathArg, ptr, ptrText, quoteBytes } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { flags64 } from "./signal.ts";
import { atEntry, cstrMax, fdResult } from "./admin.ts";
import { nonzeroTail } from "./tail.ts";
import * as X from "./xlat/admin.ts";

const FSCONFIG_SET_STRING = 1,
  FSCONFIG_SET_BINARY = 2,
  FSCONFIG_SET_PATH = 3,
  FSCONFIG_SET_PATH_EMPTY = 4,
  FSCONFIG_SET_FD = 5;

/** `printstr_ex(.., len, QUOTE_FORCE_HEX)`: `len` bytes in hex, cut at `-s`. */
function hexBytes(c: SyscallCall, addr: number, len: number): string {
  if (!addr) return "NULL";
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(addr, size);
  if (!b) return hex(addr);
  return `"${quoteBytes(b, 2)}"${len > size ? "..." : ""}`;
}

/** `fsconfig(fd, cmd, key, value, aux)`. */
function fsconfig(c: SyscallCall): string {
  const cmd = c.args.ui(1), aux = c.args.i(4);
  const key = cmd <= FSCONFIG_SET_FD ? cstrMax(c, c.args.u(2), 256) : ptr(c, 2);
  let value: string;
  if (cmd === FSCONFIG_SET_STRING) value = cstrMax(c, c.args.u(3), 256);
  else if (cmd === FSCONFIG_SET_PATH || cmd === FSCONFIG_SET_PATH_EMPTY) value = pathArg(c, 3);
  else if (cmd === FSCONFIG_SET_BINARY && aux >= 0 && aux <= 1024 * 1024) {
    value = hexBytes(c, c.args.u(3), aux);
  } else value = ptr(c, 3);
  let auxText: string;
  if (cmd === FSCONFIG_SET_PATH || cmd === FSCONFIG_SET_PATH_EMPTY) auxText = dirfd(c, aux);
  else if (cmd === FSCONFIG_SET_FD) auxText = fd(c, aux);
  else auxText = String(aux);
  return `${fd(c, c.args.i(0))}, ${xval(X.fsconfigCmds, cmd, c.opts.xlat, "FSCONFIG_???")}, ` +
    `${key}, ${value}, ${auxText}`;
}

const MOUNT_ATTR_SIZE_VER0 = 32;
const MOUNT_ATTR_IDMAP = 0x100000n;

/** `struct mount_attr` of `mount_setattr`. */
function mountAttr(c: SyscallCall, addr: number, size: bigint): string {
  if (size < BigInt(MOUNT_ATTR_SIZE_VER0) || !addr || noDeref(c)) return ptrText(addr);
  const b = c.mem.read(addr, MOUNT_ATTR_SIZE_VER0);
  if (!b) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const set = v.getBigUint64(0, true), clr = v.getBigUint64(8, true);
  const prop = v.getBigUint64(16, true), userns = v.getBigUint64(24, true);
  const st = c.opts.xlat;
  const propText = prop < 2n ** 53n
    ? xval(X.mountAttrPropagation, Number(prop), st, "MS_???")
    : `0x${prop.toString(16)} /* MS_??? */`;
  const usernsText = userns > 0x7fffffffn || !((set | clr) & MOUNT_ATTR_IDMAP)
    ? userns.toString()
    : fd(c, Number(userns));
  const total = size > 4096n ? 4096 : Number(size);
  return `{attr_set=${flags64(X.mountAttrAttr, set, st, "MOUNT_ATTR_???")}, attr_clr=${
    flags64(X.mountAttrAttr, clr, st, "MOUNT_ATTR_???")
  }, propagation=${propText}, userns_fd=${usernsText}${
    nonzeroTail(c, addr, MOUNT_ATTR_SIZE_VER0, total)
  }}`;
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  move_mount: atEntry((c) =>
    `${dirfd(c, c.args.i(0))}, ${path(c, c.args.u(1))}, ${dirfd(c, c.args.i(2))}, ${
      path(c, c.args.u(3))
    }, ${flags(X.moveMountFlags, c.args.ui(4), c.opts.xlat, "MOVE_MOUNT_???")}`
  ),
  fsconfig: atEntry(fsconfig),
  fsmount: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${flags(X.fsmountFlags, c.args.ui(1), c.opts.xlat, "FSMOUNT_???")}, ${
        flags(X.fsmountAttrFlags, c.args.ui(2), c.opts.xlat, "MOUNT_ATTR_???")
      }`,
    result: fdResult,
  },
  mount_setattr: {
    enter: (c) => {
      const size = BigInt.asUintN(64, c.args.big(4));
      return `${dirfd(c, c.args.i(0))}, ${path(c, c.args.u(1))}, ${
        flags(X.mountSetattrFlags, c.args.ui(2), c.opts.xlat, "AT_???")
      }, ${mountAttr(c, c.args.u(3), size)}, ${size}`;
    },
    result: fdResult,
  },
};
