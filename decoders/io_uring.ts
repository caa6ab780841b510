/**
 * Decoders for io_uring, printed as strace 6.1 prints them on x86_64: `io_uring_setup` (the
 * params struct in and out), `io_uring_enter` (flags, sigset) and `io_uring_register` (the
 * opcode and, for buffers, files, eventfds, file updates, resource registers and updates, ring
 * descriptors, buffer rings, io-wq affinity and worker counts, probes and restrictions, its
 * argument).
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { fd, hex, noDeref, ptr } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { iovec } from "./fs.ts";
import { printArray, printSigsetAddrLen } from "./time.ts";
import { fdResult } from "./admin.ts";
import { nonzeroTail } from "./tail.ts";
import { affinityText } from "./process.ts";
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
  IORING_REGISTER_PROBE = 8,
  IORING_REGISTER_IOWQ_AFF = 17,
  IORING_REGISTER_RESTRICTIONS = 11;

const IORING_RESTRICTION_REGISTER_OP = 0,
  IORING_RESTRICTION_SQE_OP = 1,
  IORING_RESTRICTION_SQE_FLAGS_ALLOWED = 2,
  IORING_RESTRICTION_SQE_FLAGS_REQUIRED = 3;

const PROBE_MAX_OPS = 256;

/** `struct io_uring_probe` from its bytes; `count` ops shown, `truncated` when more exist. */
function probeText(c: SyscallCall, b: Uint8Array, count: number, truncated: boolean): string {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const st = c.opts.xlat;
  const resv = v.getUint16(2, true);
  const resv2 = [4, 8, 12].map((o) => v.getUint32(o, true));
  let s = `{last_op=${xval(X.uringOps, b[0], st, "IORING_OP_???", "dec")}, ops_len=${b[1]}`;
  if (resv) s += `, resv=${hex(resv)}`;
  if (resv2.some((r) => r)) s += `, resv2=[${resv2.map(hex).join(", ")}]`;
  const limit = c.opts.verbose ? count : Math.min(count, c.opts.strsize);
  const ops: string[] = [];
  for (let i = 0; i < limit; i++) {
    const o = 16 + i * 8;
    let e = `{op=${xval(X.uringOps, b[o], st, "IORING_OP_???", "dec")}`;
    if (b[o + 1]) e += `, resv=${hex(b[o + 1])}`;
    e += `, flags=${flags(X.uringOpFlags, v.getUint16(o + 2, true), st, "IO_URING_OP_???")}`;
    const r2 = v.getUint32(o + 4, true);
    if (r2) e += `, resv2=${hex(r2)}`;
    ops.push(e + "}");
  }
  if (limit < count || truncated) ops.push("...");
  return `${s}, ops=[${ops.join(", ")}]}`;
}

/** One `struct io_uring_restriction` (16 bytes). */
function restriction(c: SyscallCall, v: DataView): string {
  const st = c.opts.xlat;
  const op = v.getUint16(0, true), arg = v.getUint8(2), resv = v.getUint8(3);
  let s = `{opcode=${xval(X.uringRestrictionOpcodes, op, st, "IORING_RESTRICTION_???")}`;
  switch (op) {
    case IORING_RESTRICTION_REGISTER_OP:
      s += `, register_op=${xval(X.uringRegisterOpcodes, arg, st, "IORING_REGISTER_???")}`;
      break;
    case IORING_RESTRICTION_SQE_OP:
      s += `, sqe_op=${xval(X.uringOps, arg, st, "IORING_OP_???")}`;
      break;
    case IORING_RESTRICTION_SQE_FLAGS_ALLOWED:
    case IORING_RESTRICTION_SQE_FLAGS_REQUIRED:
      s += `, sqe_flags=${flags(X.uringSqeFlags, arg, st, "IOSQE_???")}`;
      break;
    default:
      s += ` /* op: ${hex(arg)} */`;
  }
  if (resv) s += `, resv=${hex(resv)}`;
  const resv2 = [4, 8, 12].map((o) => v.getUint32(o, true));
  if (resv2.some((r) => r)) s += `, resv2=[${resv2.map(hex).join(", ")}]`;
  return s + "}";
}

const IORING_REGISTER_RING_FDS = 20,
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
    case IORING_REGISTER_IOWQ_AFF:
      return affinityText(c, addr, n);
    case IORING_REGISTER_RESTRICTIONS:
      return printArray(c, addr, n, 16, (v) => restriction(c, v));
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
      if (op === IORING_REGISTER_PROBE) {
        const addr = c.args.u(2);
        const b = n > PROBE_MAX_OPS || !addr || noDeref(c) ? null : c.mem.read(addr, 16 + 8 * n);
        if (!b) return `${head}${ptr(c, 2)}, ${n}`;
        c.state.probe = true;
        // An all-zero probe (the usual request) is printed only at exit.
        c.state.printed = b.some((x) => x !== 0);
        return c.state.printed ? head + probeText(c, b, n, false) : head;
      }
      if (op === IORING_REGISTER_IOWQ_MAX_WORKERS) {
        // In and out: the counts before ` => ` and after, as strace prints them.
        const a = iowqAcct(c, c.args.u(2), n);
        c.state.acct = a !== null;
        return a !== null ? `${head}${a} => ` : `${head}${ptr(c, 2)}, ${n}`;
      }
      return `${head}${registerArg(c, op, c.args.u(2), n)}, ${n}`;
    },
    exit: (c) => {
      const n = c.args.ui(3);
      if (c.state.probe) {
        if (c.errno) return `${c.state.printed ? "" : ptr(c, 2)}, ${n}`;
        const b = c.mem.read(c.args.u(2), 16 + 8 * n);
        const pre = c.state.printed ? " => " : "";
        if (!b) return `${pre}${ptr(c, 2)}, ${n}`;
        return `${pre}${probeText(c, b, Math.min(b[1], n), n < b[1])}, ${n}`;
      }
      if (!c.state.acct) return "";
      const out = c.errno ? null : iowqAcct(c, c.args.u(2), n);
      return `${out ?? ptr(c, 2)}, ${n}`;
    },
  },
};
