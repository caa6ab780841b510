/**
 * Decoders for Linux native AIO, printed as strace 6.1 prints them on x86_64: `io_submit`
 * (`struct iocb` by opcode), `io_cancel`, `io_getevents` and `io_pgetevents` (`struct io_event`
 * arrays, the timeout and the signal mask). `io_setup` and `io_destroy` are in admin.ts.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fd, hex, noDeref, ptr, ptrText, strn } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { flags64 } from "./signal.ts";
import { iovec } from "./fs.ts";
import { printArray, printSigsetAddrLen, printTimespec } from "./time.ts";
import { ioprioText } from "./admin.ts";
import { pollFlags } from "./xlat/epoll.ts";
import { RWF_FLAGS } from "./xlat/fs.ts";
import * as X from "./xlat/admin.ts";

const IOCB_SIZE = 64;
const IOCB_FLAG_RESFD = 1, IOCB_FLAG_IOPRIO = 2;
const CMD_PWRITE = 1, CMD_POLL = 5, CMD_PWRITEV = 8;
const COMMON = new Set([0, 1]), VECTOR = new Set([7, 8]);

/** `%#x`/`%#llx` of an unsigned BigInt. */
const bx = (v: bigint) => (v ? "0x" + v.toString(16) : "0");

/** `aio_lio_opcode` (strace's `printxval_ex(.., XLAT_STYLE_FMT_U)`). */
function opcode(c: SyscallCall, op: number): string {
  return xval(X.aioCmds, op, c.opts.xlat, "IOCB_CMD_???", "dec");
}

/** The header fields every `struct iocb` prints (strace's `print_iocb_header`). */
function iocbHeader(c: SyscallCall, v: DataView): string {
  const key = v.getUint32(8, true), rw = v.getUint32(12, true);
  const op = v.getUint16(16, true), prio = v.getInt16(18, true);
  const fl = v.getUint32(56, true);
  let s = `aio_data=${bx(v.getBigUint64(0, true))}`;
  if (key) s += `, aio_key=${key}`;
  if (rw) s += `, aio_rw_flags=${flags(RWF_FLAGS, rw, c.opts.xlat, "RWF_???")}`;
  s += `, aio_lio_opcode=${opcode(c, op)}`;
  if (fl & IOCB_FLAG_IOPRIO) {
    const p = prio & 0xffff;
    const st = c.opts.xlat;
    const t = st === "raw"
      ? hex(p)
      : st === "verbose"
      ? `${hex(p)} /* ${ioprioText(p, st)} */`
      : ioprioText(p, st);
    s += `, aio_reqprio=${t}`;
  } else if (prio) s += `, aio_reqprio=${prio}`;
  return s + `, aio_fildes=${fd(c, v.getInt32(20, true))}`;
}

/** `aio_flags` and `aio_resfd` (strace's `print_common_flags`). */
function commonFlags(c: SyscallCall, v: DataView): string {
  const fl = v.getUint32(56, true), resfd = v.getUint32(60, true);
  let s = "";
  if (fl) s += `, aio_flags=${flags(X.aioIocbFlags, fl, c.opts.xlat, "IOCB_FLAG_???")}`;
  if (fl & IOCB_FLAG_RESFD) s += `, aio_resfd=${fd(c, resfd | 0)}`;
  else if (resfd) s += `, aio_resfd=${hex(resfd)}`;
  return s;
}

/** A whole `struct iocb` (strace's `print_iocb`). */
function iocbText(c: SyscallCall, v: DataView): string {
  const op = v.getUint16(16, true);
  const buf = v.getBigUint64(24, true), nbytes = v.getBigUint64(32, true);
  const off = v.getBigInt64(40, true);
  const valid = nbytes < 2n ** 63n;
  let s = `{${iocbHeader(c, v)}`;
  if (COMMON.has(op)) {
    if (op === CMD_PWRITE && valid) s += `, aio_buf=${strn(c, Number(buf), Number(nbytes))}`;
    else s += `, aio_buf=${bx(buf)}`;
    s += `, aio_nbytes=${nbytes}, aio_offset=${off}${commonFlags(c, v)}`;
  } else if (VECTOR.has(op)) {
    if (valid) s += `, aio_buf=${iovec(c, Number(buf), nbytes, null, op === CMD_PWRITEV)}`;
    else s += `, aio_buf=${bx(buf)}, aio_nbytes=${nbytes}`;
    s += `, aio_offset=${off}${commonFlags(c, v)}`;
  } else if (op === CMD_POLL) {
    s += `, aio_buf=${flags64(pollFlags, buf, c.opts.xlat, "POLL???")}${commonFlags(c, v)}`;
  }
  return s + "}";
}

/** Reads `len` bytes at `addr`, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | string {
  if (!addr) return "NULL";
  if (noDeref(c) || (c.exiting && c.errno)) return hex(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : hex(addr);
}

/** `{data=0x1, obj=0x…, res=4, res2=0}`. */
function ioEvent(v: DataView, o = 0): string {
  return `{data=${bx(v.getBigUint64(o, true))}, obj=${bx(v.getBigUint64(o + 8, true))}, res=${
    v.getBigInt64(o + 16, true)
  }, res2=${v.getBigInt64(o + 24, true)}}`;
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

/** `{sigmask=[…], sigsetsize=8}` (strace's `print_kernel_sigset`). */
function kernelSigset(c: SyscallCall, addr: number): string {
  const v = read(c, addr, 16);
  if (typeof v === "string") return v;
  const size = v.getBigUint64(8, true);
  return `{sigmask=${
    printSigsetAddrLen(c, Number(v.getBigUint64(0, true)), size > 8n ? 9 : Number(size))
  }, sigsetsize=${size}}`;
}

/** io_getevents and io_pgetevents. */
function getevents(withSig: boolean) {
  return {
    enter: (c: SyscallCall) =>
      `${ptr(c, 0)}, ${BigInt.asIntN(64, c.args.big(1))}, ${BigInt.asIntN(64, c.args.big(2))}, `,
    exit: (c: SyscallCall) => {
      const a = c.args.u(3);
      const events = c.errno ? ptrText(a) : printArray(c, a, c.rval, 32, (v) => ioEvent(v));
      const c0 = noError(c);
      let s = `${events}, ${printTimespec(c0, c.args.u(4), true)}`;
      if (withSig) s += `, ${kernelSigset(c0, c.args.u(5))}`;
      return s;
    },
  };
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  io_submit: {
    enter: (c) => {
      const nr = BigInt.asIntN(64, c.args.big(1));
      const a = c.args.u(2);
      const arr = nr < 0n ? ptr(c, 2) : printArray(c, a, nr, 8, (v) => {
        const p = Number(v.getBigUint64(0, true));
        const cb = read(c, p, IOCB_SIZE);
        return typeof cb === "string" ? cb : iocbText(c, cb);
      });
      return `${ptr(c, 0)}, ${nr}, ${arr}`;
    },
  },
  io_cancel: {
    enter: (c) => {
      const cb = read(c, c.args.u(1), IOCB_SIZE);
      return `${ptr(c, 0)}, ${typeof cb === "string" ? cb : `{${iocbHeader(c, cb)}}`}, `;
    },
    exit: (c) => {
      const ev = read(c, c.args.u(2), 32);
      return typeof ev === "string" ? ev : ioEvent(ev);
    },
  },
  io_getevents: getevents(false),
  io_pgetevents: getevents(true),
};
