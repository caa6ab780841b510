/**
 * Decoders for Linux native AIO, printed as strace 6.1 prints them on x86_64: `io_submit`
 * (`struct iocb` by opcode), `io_cancel`, `io_getevents` and `io_pgetevents` (`struct io_event`
 * arrays, the timeout and the signal mask). `io_setup` and `io_destroy` are in admin.ts.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { arrayV, fdV, iovecArrayV, noDeref, ptrV, strnV, timespecV } from "./format.ts";
import { flagParts, V, type Value } from "./value.ts";
import { flags64 } from "./signal.ts";
import { printSigsetAddrLen } from "./time.ts";
import { ioprioText } from "./admin.ts";
import { pollFlags } from "./xlat/epoll.ts";
import { RWF_FLAGS } from "./xlat/fs.ts";
import * as X from "./xlat/admin.ts";

const IOCB_SIZE = 64;
const IOCB_FLAG_RESFD = 1, IOCB_FLAG_IOPRIO = 2;
const CMD_PWRITE = 1, CMD_POLL = 5, CMD_PWRITEV = 8;
const COMMON = new Set([0, 1]), VECTOR = new Set([7, 8]);

/** `aio_lio_opcode` (strace's `printxval_ex(.., XLAT_STYLE_FMT_U)`). */
function opcode(c: SyscallCall, op: number): Value {
  return V.xval(X.aioCmds, op, c.opts.xlat, "IOCB_CMD_???", "dec");
}

/** `aio_reqprio` with `IOCB_FLAG_IOPRIO`: `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`, as `-X` asks. */
function reqprio(p: number, st: XlatStyle): Value {
  if (st === "raw") return V.hex(p);
  if (st === "verbose") return V.comment(V.hex(p), ioprioText(p, st));
  // ioprioText's form, typed: the class (bits 13..15) and its data.
  return V.call("IOPRIO_PRIO_VALUE", [
    V.xval(X.ioprioClass, p >>> 13, st, "IOPRIO_CLASS_???"),
    V.uint(p & 0x1fff),
  ]);
}

/** The header fields every `struct iocb` prints (strace's `print_iocb_header`). */
function iocbHeader(c: SyscallCall, v: DataView): [string, Value][] {
  const key = v.getUint32(8, true), rw = v.getUint32(12, true);
  const op = v.getUint16(16, true), prio = v.getInt16(18, true);
  const fl = v.getUint32(56, true);
  const out: [string, Value][] = [["aio_data", V.hex(v.getBigUint64(0, true))]];
  if (key) out.push(["aio_key", V.uint(key)]);
  if (rw) out.push(["aio_rw_flags", V.flags(RWF_FLAGS, rw, c.opts.xlat, "RWF_???")]);
  out.push(["aio_lio_opcode", opcode(c, op)]);
  if (fl & IOCB_FLAG_IOPRIO) out.push(["aio_reqprio", reqprio(prio & 0xffff, c.opts.xlat)]);
  else if (prio) out.push(["aio_reqprio", V.int(prio)]);
  out.push(["aio_fildes", fdV(c, v.getInt32(20, true))]);
  return out;
}

/** `aio_flags` and `aio_resfd` (strace's `print_common_flags`). */
function commonFlags(c: SyscallCall, v: DataView): [string, Value][] {
  const fl = v.getUint32(56, true), resfd = v.getUint32(60, true);
  const out: [string, Value][] = [];
  if (fl) out.push(["aio_flags", V.flags(X.aioIocbFlags, fl, c.opts.xlat, "IOCB_FLAG_???")]);
  if (fl & IOCB_FLAG_RESFD) out.push(["aio_resfd", fdV(c, resfd | 0)]);
  else if (resfd) out.push(["aio_resfd", V.hex(resfd)]);
  return out;
}

/** A whole `struct iocb` (strace's `print_iocb`). */
function iocbValue(c: SyscallCall, v: DataView): Value {
  const op = v.getUint16(16, true);
  const buf = v.getBigUint64(24, true), nbytes = v.getBigUint64(32, true);
  const off = v.getBigInt64(40, true);
  const valid = nbytes < 2n ** 63n;
  const f = iocbHeader(c, v);
  if (COMMON.has(op)) {
    if (op === CMD_PWRITE && valid) f.push(["aio_buf", strnV(c, Number(buf), Number(nbytes))]);
    else f.push(["aio_buf", V.hex(buf)]);
    f.push(["aio_nbytes", V.uint(nbytes)], ["aio_offset", V.int(off)], ...commonFlags(c, v));
  } else if (VECTOR.has(op)) {
    if (valid) {
      f.push(["aio_buf", iovecArrayV(c, Number(buf), nbytes, null, op === CMD_PWRITEV)]);
    } else f.push(["aio_buf", V.hex(buf)], ["aio_nbytes", V.uint(nbytes)]);
    f.push(["aio_offset", V.int(off)], ...commonFlags(c, v));
  } else if (op === CMD_POLL) {
    const { names, rest } = flagParts(pollFlags, buf);
    const text = flags64(pollFlags, buf, c.opts.xlat, "POLL???");
    f.push(["aio_buf", V.flagsOf(names, rest, buf, text)], ...commonFlags(c, v));
  }
  return V.struct(f);
}

/** Reads `len` bytes at `addr`, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | Value {
  if (!addr) return V.ptr(0);
  if (noDeref(c) || (c.exiting && c.errno)) return V.ptr(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : V.unavailable(addr);
}

/** `{data=0x1, obj=0x…, res=4, res2=0}`. */
function ioEvent(v: DataView, o = 0): Value {
  return V.struct([
    ["data", V.hex(v.getBigUint64(o, true))],
    ["obj", V.hex(v.getBigUint64(o + 8, true))],
    ["res", V.int(v.getBigInt64(o + 16, true))],
    ["res2", V.int(v.getBigInt64(o + 24, true))],
  ]);
}

/** The same call with no error, for arguments the kernel read at entry (`temporarily_clear_syserror`). */
function noError(c: SyscallCall): SyscallCall {
  // A proxy, not Object.create: the call's accessors may use private fields, which only the
  // real object has (so getters and methods run on it).
  return new Proxy(c, {
    get(target, key) {
      if (key === "errno") return 0;
      const v = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/**
 * `{sigmask=[…], sigsetsize=8}` (strace's `print_kernel_sigset`). The set itself stays text
 * (`V.raw`): strace's `[HUP INT]` / `~[…]` form belongs to the signal family's printer.
 */
function kernelSigset(c: SyscallCall, addr: number): Value {
  const v = read(c, addr, 16);
  if (!(v instanceof DataView)) return v;
  const size = v.getBigUint64(8, true);
  const set = printSigsetAddrLen(c, Number(v.getBigUint64(0, true)), size > 8n ? 9 : Number(size));
  return V.struct([["sigmask", V.raw(set)], ["sigsetsize", V.uint(size)]]);
}

/** io_getevents and io_pgetevents. */
function getevents(withSig: boolean): SyscallDecoder {
  return {
    enter: (c: SyscallCall) => [
      ptrV(c, 0),
      V.int(BigInt.asIntN(64, c.args.big(1))),
      V.int(BigInt.asIntN(64, c.args.big(2))),
    ],
    exit: (c: SyscallCall) => {
      const a = c.args.u(3);
      const events = c.errno ? V.ptr(a) : arrayV(c, a, c.rval, 32, (v) => ioEvent(v));
      const c0 = noError(c);
      const out = [events, timespecV(c0, c.args.u(4))];
      if (withSig) out.push(kernelSigset(c0, c.args.u(5)));
      return out;
    },
  };
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  io_submit: {
    enter: (c) => {
      const nr = BigInt.asIntN(64, c.args.big(1));
      const a = c.args.u(2);
      const arr = nr < 0n ? ptrV(c, 2) : arrayV(c, a, nr, 8, (v) => {
        const p = Number(v.getBigUint64(0, true));
        const cb = read(c, p, IOCB_SIZE);
        return cb instanceof DataView ? iocbValue(c, cb) : cb;
      });
      return [ptrV(c, 0), V.int(nr), arr];
    },
  },
  io_cancel: {
    enter: (c) => {
      const cb = read(c, c.args.u(1), IOCB_SIZE);
      return [ptrV(c, 0), cb instanceof DataView ? V.struct(iocbHeader(c, cb)) : cb];
    },
    exit: (c) => {
      const ev = read(c, c.args.u(2), 32);
      return [ev instanceof DataView ? ioEvent(ev) : ev];
    },
  },
  io_getevents: getevents(false),
  io_pgetevents: getevents(true),
};
