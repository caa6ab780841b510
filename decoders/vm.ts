/**
 * Decoders for cross-process memory and page moves, and for kexec, printed as strace 6.1
 * prints them on x86_64: `process_vm_readv`, `process_vm_writev`, `move_pages`, `kexec_load`,
 * `kexec_file_load`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { arrayV, fdV, iovecArrayV, ptrV, strnV } from "./format.ts";
import { flagParts, V, type Value } from "./value.ts";
import { flags64, flags64V, ptr64 } from "./signal.ts";
import { errnoName } from "./errno.ts";
import { xval } from "./xlat.ts";
import * as X from "./xlat/admin.ts";

/** Argument `n` as an unsigned 64-bit BigInt. */
const big = (c: SyscallCall, n: number) => BigInt.asUintN(64, c.args.big(n));

/** Argument `n` as an unsigned 64-bit value. */
const u64 = (c: SyscallCall, n: number) => V.uint(big(c, n));

/** strace's `print_err(status, true)`: `-EFAULT`, `-14 /* -EFAULT *\/`, or the number. */
function statusV(c: SyscallCall, st: number): Value {
  const name = st < 0 ? errnoName(-st) : undefined;
  if (!name) return V.int(st);
  const text = c.opts.xlat === "raw"
    ? String(st)
    : c.opts.xlat === "verbose"
    ? `${st} /* -${name} */`
    : `-${name}`;
  return V.named(`-${name}`, st, text);
}

const KEXEC_SEGMENT_MAX = 16n;
const KEXEC_ARCH_MASK = 0xffff0000n;

/** kexec_load's flags: the architecture (an enum in the high half) and the flag bits. */
function kexecFlagsV(c: SyscallCall): Value {
  const fl = big(c, 3);
  const arch = fl & KEXEC_ARCH_MASK, rest = fl & ~KEXEC_ARCH_MASK;
  let text = xval(X.kexecArchValues, Number(arch), c.opts.xlat, "KEXEC_ARCH_???");
  const names: string[] = [];
  const archName = X.kexecArchValues.byValue.get(Number(arch));
  if (archName !== undefined) names.push(archName);
  let unknown: number | bigint = archName === undefined ? arch : 0;
  if (rest) {
    text += "|" + flags64(X.kexecLoadFlags, rest, c.opts.xlat, "KEXEC_???");
    const p = flagParts(X.kexecLoadFlags, rest < 2n ** 53n ? Number(rest) : rest);
    names.push(...p.names);
    unknown = BigInt(unknown) | BigInt(p.rest);
  }
  return V.flagsOf(names, unknown, fl, text);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  process_vm_readv: {
    enter: (c) => [V.int(c.args.i(0))],
    exit: (c) => {
      const lc = big(c, 2), rc = big(c, 4);
      const local = iovecArrayV(
        c,
        c.args.u(1),
        lc,
        c.errno ? null : BigInt.asUintN(64, c.rvalBig),
        !c.errno,
      );
      return [
        local,
        V.uint(lc),
        iovecArrayV(c, c.args.u(3), rc, null, false),
        V.uint(rc),
        u64(c, 5),
      ];
    },
  },
  process_vm_writev: {
    enter: (c) => {
      const lc = big(c, 2), rc = big(c, 4);
      return [
        V.int(c.args.i(0)),
        iovecArrayV(c, c.args.u(1), lc, null, true),
        V.uint(lc),
        iovecArrayV(c, c.args.u(3), rc, null, false),
        V.uint(rc),
        u64(c, 5),
      ];
    },
  },
  move_pages: {
    enter: (c) => {
      const n = big(c, 1);
      const pages = arrayV(c, c.args.u(2), n, 8, (v) => ptr64(v.getBigUint64(0, true)));
      const nodes = arrayV(c, c.args.u(3), n, 4, (v) => V.int(v.getInt32(0, true)));
      return [V.int(c.args.i(0)), V.uint(n), pages, nodes];
    },
    exit: (c) => {
      const n = big(c, 1);
      const status = arrayV(c, c.args.u(4), n, 4, (v) => statusV(c, v.getInt32(0, true)));
      return [status, flags64V(X.movePagesFlags, big(c, 5), c.opts.xlat, "MPOL_???")];
    },
  },
  kexec_load: {
    enter: (c) => {
      const n = big(c, 1);
      const segs = n > KEXEC_SEGMENT_MAX
        ? ptrV(c, 2)
        : arrayV(c, c.args.u(2), n, 32, (v) =>
          V.struct([
            ["buf", ptr64(v.getBigUint64(0, true))],
            ["bufsz", V.uint(v.getBigUint64(8, true))],
            ["mem", ptr64(v.getBigUint64(16, true))],
            ["memsz", V.uint(v.getBigUint64(24, true))],
          ]));
      return [ptrV(c, 0), V.uint(n), segs, kexecFlagsV(c)];
    },
  },
  kexec_file_load: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      fdV(c, c.args.i(1)),
      u64(c, 2),
      strnV(c, c.args.u(3), c.args.u(2)),
      flags64V(X.kexecFileLoadFlags, big(c, 4), c.opts.xlat, "KEXEC_FILE_???"),
    ],
  },
};
