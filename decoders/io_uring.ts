/**
 * Decoders for io_uring, printed as strace 6.1 prints them on x86_64: `io_uring_setup` (the
 * params struct in and out), `io_uring_enter` (flags, sigset) and `io_uring_register` (the
 * opcode and, for buffers, files, eventfds, file updates, resource registers and updates, ring
 * descriptors, buffer rings and io-wq worker counts, its argument; `PROBE`, `RESTRICTIONS` and
 * `IOWQ_AFF` print the argument's address).
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fd, hex, noDeref, ptr } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { iovec } from "./fs.ts";
import { printArray, printSigsetAddrLen } from "./time.ts";
import { fdResult } from "./admin.ts";
import { nonzeroTail } from "./tail.ts";
import * as X from "./xlat/admin.ts";

const PARAMS_SIZE = 120;
const IORING_SETUP_ATTACH_WQ = 0x20;

/** Reads `struct io_uring_params`, or null. */
function readParams(c: SyscallCall, addr: number): DataView | null {
  if (!addr || noDeref(c)) return null;
  const b = c.mem.read(addr, PARAMS_SIZE);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
}

/** `%#x` of a u32 field. */
const x32 = (v: DataView, o: number) => hex(v.getUint32(o, true));

/** The fields of `struct io_sqring_offsets` or `io_cqring_offsets` at `o`. */
function ringOffsets(v: DataView, o: number, names: readonly string[]): string {
  const parts = names.map((n, i) => `${n}=${v.getUint32(o + i * 4, true)}`);
  const resv1 = v.getUint32(o + 28, true), resv2 = v.getBigUint64(o + 32, true);
  if (resv1) parts.push(`resv1=${hex(resv1)}`);
  if (resv2) parts.push(`resv2=0x${resv2.toString(16)}`);
  return `{${parts.join(", ")}}`;
}

const SQ_OFF = ["head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array"];
const CQ_OFF = ["head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags"];

/** A descriptor array element (strace's `print_fd_array_member`). */
function fdArray(c: SyscallCall, addr: number, n: number, special = false): string {
  return printArray(c, addr, n, 4, (v) => {
    const f = v.getInt32(0, true);
    return special && f < -1
      ? xval(X.uringFilesUpdateFds, f, c.opts.xlat, undefined, "dec")
      : fd(c, f);
  });
}

const IORING_REGISTER_BUFFERS = 0,
  IORING_REGISTER_FILES = 2,
  IORING_REGISTER_EVENTFD = 4,
  IORING_REGISTER_FILES_UPDATE = 6,
  IORING_REGISTER_EVENTFD_ASYNC = 7,
  IORING_REGISTER_FILES2 = 13,
  IORING_REGISTER_FILES_UPDATE2 = 14,
  IORING_REGISTER_BUFFERS2 = 15,
  IORING_REGISTER_BUFFERS_UPDATE = 16,
  IORING_REGISTER_IOWQ_MAX_WORKERS = 19,
  IORING_REGISTER_RING_FDS = 20,
  IORING_UNREGISTER_RING_FDS = 21,
  IORING_REGISTER_PBUF_RING = 22,
  IORING_UNREGISTER_PBUF_RING = 23;

/** Reads `len` bytes of the argument, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : hex(addr);
}

/** `%#llx` of a u64. */
const bx = (v: bigint) => (v ? "0x" + v.toString(16) : "0");

/** `, data=[…], tags=[…]` of the resource register/update structs (`print_io_uring_rsrc_*`). */
function rsrcDataTags(c: SyscallCall, op: number, data: bigint, tags: bigint, nr: number): string {
  const d = Number(data);
  let s = "";
  if (op === IORING_REGISTER_FILES2) s += `, data=${fdArray(c, d, nr)}`;
  else if (op === IORING_REGISTER_FILES_UPDATE2) s += `, data=${fdArray(c, d, nr, true)}`;
  else s += `, data=${iovec(c, d, BigInt(nr), null, false)}`;
  return s + `, tags=${printArray(c, Number(tags), nr, 8, (v) => bx(v.getBigUint64(0, true)))}`;
}

/** `struct io_uring_rsrc_register` (FILES2, BUFFERS2) of `size` bytes. */
function rsrcRegister(c: SyscallCall, op: number, addr: number, size: number): string {
  if (size < 32) return ptr(c, 2);
  const v = read(c, addr, 32);
  if (typeof v === "string") return v;
  const nr = v.getUint32(0, true), resv2 = v.getBigUint64(8, true);
  return `{nr=${nr}, flags=${
    flags(X.uringRegisterRsrcFlags, v.getUint32(4, true), c.opts.xlat, "IORING_RSRC_REGISTER_???")
  }${resv2 ? `, resv2=${bx(resv2)}` : ""}${
    rsrcDataTags(c, op, v.getBigUint64(16, true), v.getBigUint64(24, true), nr)
  }${nonzeroTail(c, addr, 32, size)}}`;
}

/** `struct io_uring_rsrc_update2` (FILES_UPDATE2, BUFFERS_UPDATE) of `size` bytes. */
function rsrcUpdate(c: SyscallCall, op: number, addr: number, size: number): string {
  if (size < 32) return ptr(c, 2);
  const v = read(c, addr, 32);
  if (typeof v === "string") return v;
  const resv = v.getUint32(4, true), nr = v.getUint32(24, true), resv2 = v.getUint32(28, true);
  return `{offset=${v.getUint32(0, true)}${resv ? `, resv=${hex(resv)}` : ""}${
    rsrcDataTags(c, op, v.getBigUint64(8, true), v.getBigUint64(16, true), nr)
  }, nr=${nr}${resv2 ? `, resv2=${hex(resv2)}` : ""}${nonzeroTail(c, addr, 32, size)}}`;
}

/** `struct io_uring_rsrc_update` arrays of RING_FDS (`reg`) and UNREGISTER_RING_FDS. */
function ringFds(c: SyscallCall, addr: number, n: number, reg: boolean): string {
  return printArray(c, addr, n, 16, (v) => {
    const off = v.getUint32(0, true), resv = v.getUint32(4, true);
    const data = v.getBigUint64(8, true);
    let s = `{offset=${reg && off === 0xffffffff ? -1 : off}`;
    if (resv) s += `, resv=${hex(resv)}`;
    if (reg) s += `, data=${fd(c, Number(BigInt.asIntN(32, data)))}`;
    else if (data) s += `, data=${bx(data)}`;
    return s + "}";
  });
}

/** IOWQ_MAX_WORKERS' `[[IO_WQ_BOUND]=4, [IO_WQ_UNBOUND]=8]`, or null when unreadable. */
function iowqAcct(c: SyscallCall, addr: number, n: number): string | null {
  const text = printArray(c, addr, n, 4, (v, i) => {
    const name = xval(X.uringIowqAcct, i, c.opts.xlat, "IO_WQ_???", "dec");
    return `[${name}]=${v.getUint32(0, true)}`;
  });
  return text.startsWith("[") ? text : null;
}

/** `struct io_uring_buf_reg` of PBUF_RING. */
function bufReg(c: SyscallCall, addr: number): string {
  const v = read(c, addr, 40);
  if (typeof v === "string") return v;
  const ring = v.getBigUint64(0, true), pad = v.getUint16(14, true);
  const resv = [16, 24, 32].map((o) => v.getBigUint64(o, true));
  let s = `{ring_addr=${ring ? bx(ring) : "NULL"}, ring_entries=${v.getUint32(8, true)}, bgid=${
    v.getUint16(12, true)
  }`;
  if (pad) s += `, pad=${hex(pad)}`;
  if (resv.some((r) => r)) s += `, resv=[${resv.map(bx).join(", ")}]`;
  return s + "}";
}

/** The `arg` of `io_uring_register` for the opcodes decoded here; null for the others. */
function registerArg(c: SyscallCall, op: number, addr: number, n: number): string {
  switch (op) {
    case IORING_REGISTER_BUFFERS:
      return iovec(c, addr, BigInt(n), null, false);
    case IORING_REGISTER_FILES:
    case IORING_REGISTER_EVENTFD:
    case IORING_REGISTER_EVENTFD_ASYNC:
      return fdArray(c, addr, n);
    case IORING_REGISTER_FILES_UPDATE: {
      if (!addr) return "NULL";
      if (noDeref(c)) return hex(addr);
      const b = c.mem.read(addr, 16);
      if (!b) return hex(addr);
      const v = new DataView(b.buffer, b.byteOffset, 16);
      const resv = v.getUint32(4, true);
      return `{offset=${v.getUint32(0, true)}${resv ? `, resv=${hex(resv)}` : ""}, fds=${
        fdArray(c, Number(v.getBigUint64(8, true)), n, true)
      }}`;
    }
    case IORING_REGISTER_FILES2:
    case IORING_REGISTER_BUFFERS2:
      return rsrcRegister(c, op, addr, n);
    case IORING_REGISTER_FILES_UPDATE2:
    case IORING_REGISTER_BUFFERS_UPDATE:
      return rsrcUpdate(c, op, addr, n);
    case IORING_REGISTER_RING_FDS:
    case IORING_UNREGISTER_RING_FDS:
      return ringFds(c, addr, n, op === IORING_REGISTER_RING_FDS);
    case IORING_REGISTER_PBUF_RING:
    case IORING_UNREGISTER_PBUF_RING:
      return bufReg(c, addr);
    default:
      return ptr(c, 2);
  }
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  io_uring_setup: {
    enter: (c) => {
      const addr = c.args.u(1);
      const v = readParams(c, addr);
      c.state.params = v !== null;
      if (!v) return `${c.args.ui(0)}, ${ptr(c, 1)}`;
      const fl = v.getUint32(8, true);
      let s = `${c.args.ui(0)}, {flags=${
        flags(X.uringSetupFlags, fl, c.opts.xlat, "IORING_SETUP_???")
      }, sq_thread_cpu=${x32(v, 12)}, sq_thread_idle=${v.getUint32(16, true)}`;
      if (fl & IORING_SETUP_ATTACH_WQ) s += `, wq_fd=${fd(c, v.getInt32(24, true))}`;
      const resv = [28, 32, 36].map((o) => v.getUint32(o, true));
      if (resv.some((r) => r)) s += `, resv=[${resv.map(hex).join(", ")}]`;
      return s;
    },
    exit: (c) => {
      if (!c.state.params) return "";
      // The kernel filled the struct in only when the call succeeded.
      const v = c.errno ? null : readParams(c, c.args.u(1));
      let s = "";
      if (v) {
        s = `, sq_entries=${v.getUint32(0, true)}, cq_entries=${v.getUint32(4, true)}, features=${
          flags(X.uringSetupFeatures, v.getUint32(20, true), c.opts.xlat, "IORING_FEAT_???")
        }, sq_off=${ringOffsets(v, 40, SQ_OFF)}, cq_off=${ringOffsets(v, 80, CQ_OFF)}`;
      }
      return s + "}";
    },
    result: fdResult,
  },
  io_uring_enter: {
    enter: (c) => {
      const size = c.args.u(5);
      return `${fd(c, c.args.i(0))}, ${c.args.ui(1)}, ${c.args.ui(2)}, ${
        flags(X.uringEnterFlags, c.args.ui(3), c.opts.xlat, "IORING_ENTER_???")
      }, ${printSigsetAddrLen(c, c.args.u(4), size)}, ${size}`;
    },
  },
  io_uring_register: {
    enter: (c) => {
      const op = c.args.ui(1), n = c.args.ui(3);
      const head = `${fd(c, c.args.i(0))}, ${
        xval(X.uringRegisterOpcodes, op, c.opts.xlat, "IORING_REGISTER_???")
      }, `;
      if (op === IORING_REGISTER_IOWQ_MAX_WORKERS) {
        // In and out: the counts before ` => ` and after, as strace prints them.
        const a = iowqAcct(c, c.args.u(2), n);
        c.state.acct = a !== null;
        return a !== null ? `${head}${a} => ` : `${head}${ptr(c, 2)}, ${n}`;
      }
      return `${head}${registerArg(c, op, c.args.u(2), n)}, ${n}`;
    },
    exit: (c) => {
      if (!c.state.acct) return "";
      const n = c.args.ui(3);
      const out = c.errno ? null : iowqAcct(c, c.args.u(2), n);
      return `${out ?? ptr(c, 2)}, ${n}`;
    },
  },
};
