/**
 * Decoders for cross-process memory and page moves, and for kexec, printed as strace 6.1
 * prints them on x86_64: `process_vm_readv`, `process_vm_writev`, `move_pages`, `kexec_load`,
 * `kexec_file_load`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fd, ptr, strn } from "./format.ts";
import { xval } from "./xlat.ts";
import { flags64 } from "./signal.ts";
import { iovec } from "./fs.ts";
import { printArray } from "./time.ts";
import { errnoName } from "./errno.ts";
import * as X from "./xlat/admin.ts";

/** Argument `n` as an unsigned 64-bit BigInt. */
const big = (c: SyscallCall, n: number) => BigInt.asUintN(64, c.args.big(n));

/** `%#lx` of a u64 read from a view, or `NULL` (strace's `printaddr`). */
function addr64(v: bigint): string {
  return v ? "0x" + v.toString(16) : "NULL";
}

/** strace's `print_err(status, true)`: `-EFAULT`, `-14 /* -EFAULT *\/`, or the number. */
function statusText(c: SyscallCall, st: number): string {
  const name = st < 0 ? errnoName(-st) : undefined;
  if (!name) return String(st);
  if (c.opts.xlat === "raw") return String(st);
  return c.opts.xlat === "verbose" ? `${st} /* -${name} */` : `-${name}`;
}

const KEXEC_SEGMENT_MAX = 16n;
const KEXEC_ARCH_MASK = 0xffff0000n;

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  process_vm_readv: {
    enter: (c) => `${c.args.i(0)}, `,
    exit: (c) => {
      const lc = big(c, 2), rc = big(c, 4);
      const local = iovec(
        c,
        c.args.u(1),
        lc,
        c.errno ? null : BigInt.asUintN(64, c.rvalBig),
        !c.errno,
      );
      return `${local}, ${lc}, ${iovec(c, c.args.u(3), rc, null, false)}, ${rc}, ${big(c, 5)}`;
    },
  },
  process_vm_writev: {
    enter: (c) => {
      const lc = big(c, 2), rc = big(c, 4);
      return `${c.args.i(0)}, ${iovec(c, c.args.u(1), lc, null, true)}, ${lc}, ${
        iovec(c, c.args.u(3), rc, null, false)
      }, ${rc}, ${big(c, 5)}`;
    },
  },
  move_pages: {
    enter: (c) => {
      const n = big(c, 1);
      const pages = printArray(c, c.args.u(2), n, 8, (v) => addr64(v.getBigUint64(0, true)));
      const nodes = printArray(c, c.args.u(3), n, 4, (v) => String(v.getInt32(0, true)));
      return `${c.args.i(0)}, ${n}, ${pages}, ${nodes}, `;
    },
    exit: (c) => {
      const n = big(c, 1);
      const status = printArray(c, c.args.u(4), n, 4, (v) => statusText(c, v.getInt32(0, true)));
      return `${status}, ${flags64(X.movePagesFlags, big(c, 5), c.opts.xlat, "MPOL_???")}`;
    },
  },
  kexec_load: {
    enter: (c) => {
      const n = big(c, 1);
      const segs = n > KEXEC_SEGMENT_MAX
        ? ptr(c, 2)
        : printArray(c, c.args.u(2), n, 32, (v) =>
          `{buf=${addr64(v.getBigUint64(0, true))}, bufsz=${v.getBigUint64(8, true)}, mem=${
            addr64(v.getBigUint64(16, true))
          }, memsz=${v.getBigUint64(24, true)}}`);
      const fl = big(c, 3);
      const arch = fl & KEXEC_ARCH_MASK, rest = fl & ~KEXEC_ARCH_MASK;
      let f = xval(X.kexecArchValues, Number(arch), c.opts.xlat, "KEXEC_ARCH_???");
      if (rest) f += "|" + flags64(X.kexecLoadFlags, rest, c.opts.xlat, "KEXEC_???");
      return `${ptr(c, 0)}, ${n}, ${segs}, ${f}`;
    },
  },
  kexec_file_load: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${fd(c, c.args.i(1))}, ${big(c, 2)}, ${
        strn(c, c.args.u(3), c.args.u(2))
      }, ${flags64(X.kexecFileLoadFlags, big(c, 4), c.opts.xlat, "KEXEC_FILE_???")}`,
  },
};
