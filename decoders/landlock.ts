/**
 * Decoders for Landlock, printed as strace 6.1 prints them on x86_64: `landlock_create_ruleset`
 * (`struct landlock_ruleset_attr`, the version flag), `landlock_add_rule` (the path-beneath
 * attribute) and `landlock_restrict_self`. Every argument is a typed value.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fdV, ptrV, structV } from "./format.ts";
import { V, type Value } from "./value.ts";
import { bigU, fdResultV, flags64V, flagsV, xvalV } from "./args_v.ts";
import * as X from "./xlat/admin.ts";

const LANDLOCK_CREATE_RULESET_VERSION = 1;
const LANDLOCK_RULE_PATH_BENEATH = 1;

/** The access rights of a rule or ruleset. */
function access(c: SyscallCall, v: DataView): Value {
  return flags64V(
    X.landlockAccessFs,
    v.getBigUint64(0, true),
    c.opts.xlat,
    "LANDLOCK_ACCESS_FS_???",
  );
}

/** `{handled_access_fs=…}` (with `, ...` when the caller's struct is larger). */
function rulesetAttr(c: SyscallCall, addr: number, size: bigint): Value {
  if (size < 8n) return V.ptr(addr);
  return structV(c, addr, 8, (v) => V.struct([["handled_access_fs", access(c, v)]], size > 8n));
}

/** The packed `struct landlock_path_beneath_attr` (12 bytes). */
function pathBeneath(c: SyscallCall, addr: number): Value {
  return structV(c, addr, 12, (v) =>
    V.struct([
      ["allowed_access", access(c, v)],
      ["parent_fd", fdV(c, v.getInt32(8, true))],
    ]));
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  landlock_create_ruleset: {
    enter: (c) => {
      const size = BigInt.asUintN(64, c.args.big(1));
      return [
        rulesetAttr(c, c.args.u(0), size),
        bigU(size),
        flagsV(c, X.landlockCreateRulesetFlags, c.args.ui(2), "LANDLOCK_CREATE_RULESET_???"),
      ];
    },
    result: (c) => (c.args.ui(2) & LANDLOCK_CREATE_RULESET_VERSION ? undefined : fdResultV(c)),
  },
  landlock_add_rule: {
    enter: (c) => {
      const type = c.args.ui(1);
      return [
        fdV(c, c.args.i(0)),
        xvalV(c, X.landlockRuleTypes, type, "LANDLOCK_RULE_???"),
        type === LANDLOCK_RULE_PATH_BENEATH ? pathBeneath(c, c.args.u(2)) : ptrV(c, 2),
        V.hex(c.args.ui(3)),
      ];
    },
  },
  landlock_restrict_self: {
    enter: (c) => [fdV(c, c.args.i(0)), V.hex(c.args.ui(1))],
  },
};
