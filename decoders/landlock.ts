/**
 * Decoders for Landlock, printed as strace 6.1 prints them on x86_64: `landlock_create_ruleset`
 * (`struct landlock_ruleset_attr`, the version flag), `landlock_add_rule` (the path-beneath
 * attribute) and `landlock_restrict_self`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fd, hex, noDeref, ptr, ptrText } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { flags64 } from "./signal.ts";
import { fdResult } from "./admin.ts";
import * as X from "./xlat/admin.ts";

const LANDLOCK_CREATE_RULESET_VERSION = 1;
const LANDLOCK_RULE_PATH_BENEATH = 1;

/** Reads `len` bytes of a struct argument, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : hex(addr);
}

/** `{handled_access_fs=…}` (with `, ...` when the caller's struct is larger). */
function rulesetAttr(c: SyscallCall, addr: number, size: bigint): string {
  if (size < 8n) return ptrText(addr);
  const v = read(c, addr, 8);
  if (typeof v === "string") return v;
  const access = flags64(
    X.landlockAccessFs,
    v.getBigUint64(0, true),
    c.opts.xlat,
    "LANDLOCK_ACCESS_FS_???",
  );
  return `{handled_access_fs=${access}${size > 8n ? ", ..." : ""}}`;
}

/** The packed `struct landlock_path_beneath_attr` (12 bytes). */
function pathBeneath(c: SyscallCall, addr: number): string {
  const v = read(c, addr, 12);
  if (typeof v === "string") return v;
  const access = flags64(
    X.landlockAccessFs,
    v.getBigUint64(0, true),
    c.opts.xlat,
    "LANDLOCK_ACCESS_FS_???",
  );
  return `{allowed_access=${access}, parent_fd=${fd(c, v.getInt32(8, true))}}`;
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  landlock_create_ruleset: {
    enter: (c) => {
      const size = BigInt.asUintN(64, c.args.big(1));
      return `${rulesetAttr(c, c.args.u(0), size)}, ${size}, ${
        flags(
          X.landlockCreateRulesetFlags,
          c.args.ui(2),
          c.opts.xlat,
          "LANDLOCK_CREATE_RULESET_???",
        )
      }`;
    },
    result: (c) => (c.args.ui(2) & LANDLOCK_CREATE_RULESET_VERSION ? undefined : fdResult(c)),
  },
  landlock_add_rule: {
    enter: (c) => {
      const type = c.args.ui(1);
      const attr = type === LANDLOCK_RULE_PATH_BENEATH ? pathBeneath(c, c.args.u(2)) : ptr(c, 2);
      return `${fd(c, c.args.i(0))}, ${
        xval(X.landlockRuleTypes, type, c.opts.xlat, "LANDLOCK_RULE_???")
      }, ${attr}, ${hex(c.args.ui(3))}`;
    },
  },
  landlock_restrict_self: {
    enter: (c) => `${fd(c, c.args.i(0))}, ${hex(c.args.ui(1))}`,
  },
};
