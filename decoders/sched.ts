/**
 * Decoders for scheduling attributes and vectored futex waits, printed as strace 6.1 prints them
 * on x86_64: `sched_setattr`, `sched_getattr` (`struct sched_attr`) and `futex_waitv`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { hex, noDeref, ptrText } from "./format.ts";
import { xval } from "./xlat.ts";
import { flags64 } from "./signal.ts";
import { printArray, printTimespec } from "./time.ts";
import { schedulers } from "./xlat/process.ts";
import { clockNames } from "./xlat/time.ts";
import * as X from "./xlat/admin.ts";

const SCHED_ATTR_SIZE_VER0 = 48;
const SCHED_ATTR_SIZE_VER1 = 56;
const SCHED_FLAG_KEEP_POLICY = 8n;
const SCHED_FLAG_KEEP_PARAMS = 0x10n;

/** Reads `len` bytes at `addr` into a zero-filled buffer of `SCHED_ATTR_SIZE_VER1` bytes. */
function readAttr(c: SyscallCall, addr: number, len: number): DataView | null {
  const b = c.mem.read(addr, len);
  if (!b) return null;
  const full = new Uint8Array(SCHED_ATTR_SIZE_VER1);
  full.set(b);
  return new DataView(full.buffer);
}

/**
 * strace's `print_sched_attr`: `usize` is the caller's buffer size for `sched_getattr`, 0 for
 * `sched_setattr` (whose size is the struct's own `size` field).
 */
function schedAttr(c: SyscallCall, addr: number, usize: number): string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  let v: DataView | null;
  let size: number;
  const isSet = usize === 0;
  if (!isSet) {
    size = Math.min(usize, SCHED_ATTR_SIZE_VER1);
    v = readAttr(c, addr, size);
    if (!v) return hex(addr);
    size = v.getUint32(0, true);
  } else {
    v = readAttr(c, addr, 4);
    if (!v) return hex(addr);
    usize = v.getUint32(0, true) || SCHED_ATTR_SIZE_VER0;
    size = Math.min(usize, SCHED_ATTR_SIZE_VER1);
    if (size >= SCHED_ATTR_SIZE_VER0) {
      v = readAttr(c, addr, size);
      if (!v) return hex(addr);
    }
  }
  const parts = [`size=${v.getUint32(0, true)}`];
  if (size >= SCHED_ATTR_SIZE_VER0) {
    const policy = v.getUint32(4, true);
    const fl = v.getBigUint64(8, true);
    if (
      !isSet || (policy | 0) < 0 || !(fl & (SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS))
    ) {
      parts.push(`sched_policy=${xval(schedulers, policy, c.opts.xlat, "SCHED_???")}`);
    }
    parts.push(`sched_flags=${flags64(X.schedFlags, fl, c.opts.xlat, "SCHED_FLAG_???")}`);
    if (!isSet || !(fl & SCHED_FLAG_KEEP_PARAMS)) {
      parts.push(
        `sched_nice=${v.getInt32(16, true)}`,
        `sched_priority=${v.getUint32(20, true)}`,
        `sched_runtime=${v.getBigUint64(24, true)}`,
        `sched_deadline=${v.getBigUint64(32, true)}`,
        `sched_period=${v.getBigUint64(40, true)}`,
      );
    }
    if (size >= SCHED_ATTR_SIZE_VER1) {
      parts.push(
        `sched_util_min=${v.getUint32(48, true)}`,
        `sched_util_max=${v.getUint32(52, true)}`,
      );
    }
  }
  if ((isSet ? usize : v.getUint32(0, true)) > size) parts.push("...");
  return `{${parts.join(", ")}}`;
}

const E2BIG = 7;
const FUTEX_WAITV_MAX = 128;

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  sched_setattr: {
    enter: (c) => `${c.args.i(0)}, ${schedAttr(c, c.args.u(1), 0)}`,
    exit: (c) => {
      let s = "";
      if (c.errno === E2BIG && !noDeref(c)) {
        const b = c.mem.read(c.args.u(1), 4);
        if (b) s = ` => {size=${new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)}}`;
      }
      return `${s}, ${c.args.ui(2)}`;
    },
  },
  sched_getattr: {
    enter: (c) => `${c.args.i(0)}, `,
    exit: (c) => {
      const size = c.args.ui(2);
      const a = c.args.u(1);
      const attr = size && !c.errno ? schedAttr(c, a, size) : ptrText(a);
      return `${attr}, ${size}, ${c.args.ui(3)}`;
    },
  },
  futex_waitv: {
    enter: (c) => {
      const n = c.args.ui(1);
      const shown = Math.min(n, FUTEX_WAITV_MAX + 1);
      const arr = printArray(c, c.args.u(0), shown, 24, (v, i) => {
        if (i >= FUTEX_WAITV_MAX) return "...";
        const val = v.getBigUint64(0, true), uaddr = v.getBigUint64(8, true);
        const fl = v.getUint32(16, true), rsv = v.getUint32(20, true);
        return `{val=${val ? "0x" + val.toString(16) : "0"}, uaddr=${
          uaddr ? "0x" + uaddr.toString(16) : "NULL"
        }, flags=${flags64(X.futexWaiterFlags, BigInt(fl), c.opts.xlat, "FUTEX_???")}${
          rsv ? `, __reserved=${hex(rsv)}` : ""
        }}`;
      });
      return `${arr}, ${n}, ${hex(c.args.ui(2))}, ${printTimespec(c, c.args.u(3))}, ${
        xval(clockNames, c.args.ui(4), c.opts.xlat, "CLOCK_???")
      }`;
    },
  },
};
