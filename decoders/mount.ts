/**
 * Decoders for the new mount API, printed as strace 6.1 prints them on x86_64: `move_mount`,
 * `fsconfig`, `fsmount`, `mount_setattr` (`fsopen`, `fspick` and `open_tree` are in misc.ts).
 * Every argument is a typed value.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { dirfdV, fdV, noDeref, pathArgV, pathV, ptrV } from "./format.ts";
import { hexStrV } from "./fs.ts";
import { cstrMaxV } from "./admin.ts";
import { atEntryV, bigU, fdResultV, flags64V, flagsV, iArg, withTail, xvalV } from "./args_v.ts";
import { nonzeroTail } from "./tail.ts";
import { V, type Value } from "./value.ts";
import * as X from "./xlat/admin.ts";

const FSCONFIG_SET_STRING = 1,
  FSCONFIG_SET_BINARY = 2,
  FSCONFIG_SET_PATH = 3,
  FSCONFIG_SET_PATH_EMPTY = 4,
  FSCONFIG_SET_FD = 5;

/** `fsconfig(fd, cmd, key, value, aux)`. */
function fsconfig(c: SyscallCall): Value[] {
  const cmd = c.args.ui(1), aux = c.args.i(4);
  const key = cmd <= FSCONFIG_SET_FD ? cstrMaxV(c, c.args.u(2), 256) : ptrV(c, 2);
  let value: Value;
  if (cmd === FSCONFIG_SET_STRING) value = cstrMaxV(c, c.args.u(3), 256);
  else if (cmd === FSCONFIG_SET_PATH || cmd === FSCONFIG_SET_PATH_EMPTY) value = pathArgV(c, 3);
  else if (cmd === FSCONFIG_SET_BINARY && aux >= 0 && aux <= 1024 * 1024) {
    value = hexStrV(c, c.args.u(3), aux);
  } else value = ptrV(c, 3);
  let auxV: Value;
  if (cmd === FSCONFIG_SET_PATH || cmd === FSCONFIG_SET_PATH_EMPTY) auxV = dirfdV(c, aux);
  else if (cmd === FSCONFIG_SET_FD) auxV = fdV(c, aux);
  else auxV = iArg(c, 4);
  return [
    fdV(c, c.args.i(0)),
    xvalV(c, X.fsconfigCmds, cmd, "FSCONFIG_???"),
    key,
    value,
    auxV,
  ];
}

const MOUNT_ATTR_SIZE_VER0 = 32;
const MOUNT_ATTR_IDMAP = 0x100000n;

/** `struct mount_attr` of `mount_setattr`. */
function mountAttr(c: SyscallCall, addr: number, size: bigint): Value {
  if (size < BigInt(MOUNT_ATTR_SIZE_VER0) || !addr || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, MOUNT_ATTR_SIZE_VER0);
  if (!b) return V.unavailable(addr);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const set = v.getBigUint64(0, true), clr = v.getBigUint64(8, true);
  const prop = v.getBigUint64(16, true), userns = v.getBigUint64(24, true);
  const st = c.opts.xlat;
  const propV = prop < 2n ** 53n
    ? V.xval(X.mountAttrPropagation, Number(prop), st, "MS_???")
    : V.named(undefined, prop, `0x${prop.toString(16)} /* MS_??? */`);
  const usernsV = userns > 0x7fffffffn || !((set | clr) & MOUNT_ATTR_IDMAP)
    ? bigU(userns)
    : fdV(c, Number(userns));
  const total = size > 4096n ? 4096 : Number(size);
  const attr = V.struct([
    ["attr_set", flags64V(X.mountAttrAttr, set, st, "MOUNT_ATTR_???")],
    ["attr_clr", flags64V(X.mountAttrAttr, clr, st, "MOUNT_ATTR_???")],
    ["propagation", propV],
    ["userns_fd", usernsV],
  ]);
  return withTail(attr, nonzeroTail(c, addr, MOUNT_ATTR_SIZE_VER0, total));
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  move_mount: atEntryV((c) => [
    dirfdV(c, c.args.i(0)),
    pathV(c, c.args.u(1)),
    dirfdV(c, c.args.i(2)),
    pathV(c, c.args.u(3)),
    flagsV(c, X.moveMountFlags, c.args.ui(4), "MOVE_MOUNT_???"),
  ]),
  fsconfig: atEntryV(fsconfig),
  fsmount: atEntryV(
    (c) => [
      fdV(c, c.args.i(0)),
      flagsV(c, X.fsmountFlags, c.args.ui(1), "FSMOUNT_???"),
      flagsV(c, X.fsmountAttrFlags, c.args.ui(2), "MOUNT_ATTR_???"),
    ],
    fdResultV,
  ),
  mount_setattr: atEntryV((c) => {
    const size = BigInt.asUintN(64, c.args.big(4));
    return [
      dirfdV(c, c.args.i(0)),
      pathV(c, c.args.u(1)),
      flagsV(c, X.mountSetattrFlags, c.args.ui(2), "AT_???"),
      mountAttr(c, c.args.u(3), size),
      bigU(size),
    ];
  }, fdResultV),
};
