/**
 * Decoders for scheduling attributes and vectored futex waits, printed as strace 6.1 prints them
 * on x86_64: `sched_setattr`, `sched_getattr` (`struct sched_attr`) and `futex_waitv`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { arrayV, noDeref, timespecV, type Unread } from "./format.ts";
import { flags64V, ptr64 } from "./signal.ts";
import { continues, pending, type StructValue, V, type Value } from "./value.ts";
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
function schedAttr(c: SyscallCall, addr: number, usize: number): StructValue | Unread {
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  let v: DataView | null;
  let size: number;
  const isSet = usize === 0;
  if (!isSet) {
    size = Math.min(usize, SCHED_ATTR_SIZE_VER1);
    v = readAttr(c, addr, size);
    if (!v) return V.unavailable(addr);
    size = v.getUint32(0, true);
  } else {
    v = readAttr(c, addr, 4);
    if (!v) return V.unavailable(addr);
    usize = v.getUint32(0, true) || SCHED_ATTR_SIZE_VER0;
    size = Math.min(usize, SCHED_ATTR_SIZE_VER1);
    if (size >= SCHED_ATTR_SIZE_VER0) {
      v = readAttr(c, addr, size);
      if (!v) return V.unavailable(addr);
    }
  }
  const st = c.opts.xlat;
  const f: [string, Value][] = [["size", V.uint(v.getUint32(0, true))]];
  if (size >= SCHED_ATTR_SIZE_VER0) {
    const policy = v.getUint32(4, true);
    const fl = v.getBigUint64(8, true);
    if (
      !isSet || (policy | 0) < 0 || !(fl & (SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS))
    ) {
      f.push(["sched_policy", V.xval(schedulers, policy, st, "SCHED_???")]);
    }
    f.push(["sched_flags", flags64V(X.schedFlags, fl, st, "SCHED_FLAG_???")]);
    if (!isSet || !(fl & SCHED_FLAG_KEEP_PARAMS)) {
      f.push(
        ["sched_nice", V.int(v.getInt32(16, true))],
        ["sched_priority", V.uint(v.getUint32(20, true))],
        ["sched_runtime", V.uint(v.getBigUint64(24, true))],
        ["sched_deadline", V.uint(v.getBigUint64(32, true))],
        ["sched_period", V.uint(v.getBigUint64(40, true))],
      );
    }
    if (size >= SCHED_ATTR_SIZE_VER1) {
      f.push(
        ["sched_util_min", V.uint(v.getUint32(48, true))],
        ["sched_util_max", V.uint(v.getUint32(52, true))],
      );
    }
  }
  return V.struct(f, (isSet ? usize : v.getUint32(0, true)) > size);
}

const E2BIG = 7;
const FUTEX_WAITV_MAX = 128;

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  sched_setattr: {
    // The attr printed at entry is completed at exit by the size the kernel wrote back on E2BIG
    // (`{size=48, ...} => {size=56}`).
    enter: (c) => {
      const attr = schedAttr(c, c.args.u(1), 0);
      c.state.attr = attr;
      return pending([V.int(c.args.i(0)), attr]);
    },
    exit: (c) => {
      const before = c.state.attr as Value;
      let attr = before;
      if (c.errno === E2BIG && !noDeref(c)) {
        const b = c.mem.read(c.args.u(1), 4);
        if (b) {
          const size = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
          attr = V.change(before, V.struct([["size", V.uint(size)]]));
        }
      }
      return continues([attr, V.uint(c.args.ui(2))], before);
    },
  },
  sched_getattr: {
    enter: (c) => [V.int(c.args.i(0))],
    exit: (c) => {
      const size = c.args.ui(2);
      const a = c.args.u(1);
      const attr = size && !c.errno ? schedAttr(c, a, size) : V.ptr(a);
      return [attr, V.uint(size), V.uint(c.args.ui(3))];
    },
  },
  futex_waitv: {
    enter: (c) => {
      const n = c.args.ui(1);
      const shown = Math.min(n, FUTEX_WAITV_MAX + 1);
      // strace prints at most 128 waiters, then `...` (read as one more element).
      let arr = arrayV(c, c.args.u(0), shown, 24, (v) => {
        const fl = v.getUint32(16, true), rsv = v.getUint32(20, true);
        const f: [string, Value][] = [
          ["val", V.hex(v.getBigUint64(0, true))],
          ["uaddr", ptr64(v.getBigUint64(8, true))],
          ["flags", flags64V(X.futexWaiterFlags, BigInt(fl), c.opts.xlat, "FUTEX_???")],
        ];
        if (rsv) f.push(["__reserved", V.hex(rsv)]);
        return V.struct(f);
      });
      if (arr.kind === "array" && arr.items.length > FUTEX_WAITV_MAX) {
        arr = V.array(arr.items.slice(0, FUTEX_WAITV_MAX), true);
      }
      return [
        arr,
        V.uint(n),
        V.hex(c.args.ui(2)),
        timespecV(c, c.args.u(3)),
        V.xval(clockNames, c.args.ui(4), c.opts.xlat, "CLOCK_???"),
      ];
    },
  },
};
