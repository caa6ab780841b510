/**
 * Decoders for io_uring, printed as strace 6.1 prints them on x86_64: `io_uring_setup` (the
 * params struct in and out), `io_uring_enter` (flags, sigset) and `io_uring_register` (the
 * opcode and, for buffers, files, eventfds, file updates, resource registers and updates, ring
 * descriptors, buffer rings, io-wq affinity and worker counts, probes and restrictions, its
 * argument).
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { arrayV, fdV, iovecArrayV, noDeref, ptrV } from "./format.ts";
import { printSigsetAddrLen } from "./time.ts";
import { nonzeroTail } from "./tail.ts";
import { affinityText } from "./process.ts";
import { continues, decoded, pending, type StructValue, unclosed, V, type Value } from "./value.ts";
import * as X from "./xlat/admin.ts";

const PARAMS_SIZE = 120;
const IORING_SETUP_ATTACH_WQ = 0x20;

/** A `[name, value]` list of struct fields. */
type Fields = [string, Value][];

/** Reads `struct io_uring_params`, or null. */
function readParams(c: SyscallCall, addr: number): DataView | null {
  if (!addr || noDeref(c)) return null;
  const b = c.mem.read(addr, PARAMS_SIZE);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
}

/** `%#x` of a u32 field. */
const x32 = (v: DataView, o: number): Value => V.hex(v.getUint32(o, true));

/** `[0x1, 0x2, 0x3]` of reserved u32 fields, when any is set. */
const resvArray = (resv: number[]): Value => V.array(resv.map((r) => V.hex(r)));

/**
 * A struct with strace's `print_nonzero_bytes` tail (`, /* bytes 32..39 *\/ "\x01"` or `, ???`)
 * in its text: bytes past the part the decoder knows, which have no field name.
 */
function withTail(s: StructValue, tail: string): StructValue {
  return tail ? { ...s, text: s.text.slice(0, -1) + tail + "}" } : s;
}

/** The fields of `struct io_sqring_offsets` or `io_cqring_offsets` at `o`. */
function ringOffsets(v: DataView, o: number, names: readonly string[]): Value {
  const f: Fields = names.map((n, i) => [n, V.uint(v.getUint32(o + i * 4, true))]);
  const resv1 = v.getUint32(o + 28, true), resv2 = v.getBigUint64(o + 32, true);
  if (resv1) f.push(["resv1", V.hex(resv1)]);
  if (resv2) f.push(["resv2", V.hex(resv2)]);
  return V.struct(f);
}

const SQ_OFF = ["head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array"];
const CQ_OFF = ["head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags"];

/** A descriptor array element (strace's `print_fd_array_member`). */
function fdArray(c: SyscallCall, addr: number, n: number, special = false): Value {
  return arrayV(c, addr, n, 4, (v) => {
    const f = v.getInt32(0, true);
    return special && f < -1
      ? V.xval(X.uringFilesUpdateFds, f, c.opts.xlat, undefined, "dec")
      : fdV(c, f);
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
function probeV(c: SyscallCall, b: Uint8Array, count: number, truncated: boolean): Value {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const st = c.opts.xlat;
  const resv = v.getUint16(2, true);
  const resv2 = [4, 8, 12].map((o) => v.getUint32(o, true));
  const f: Fields = [
    ["last_op", V.xval(X.uringOps, b[0], st, "IORING_OP_???", "dec")],
    ["ops_len", V.uint(b[1])],
  ];
  if (resv) f.push(["resv", V.hex(resv)]);
  if (resv2.some((r) => r)) f.push(["resv2", resvArray(resv2)]);
  const limit = c.opts.verbose ? count : Math.min(count, c.opts.strsize);
  const ops: Value[] = [];
  for (let i = 0; i < limit; i++) {
    const o = 16 + i * 8;
    const e: Fields = [["op", V.xval(X.uringOps, b[o], st, "IORING_OP_???", "dec")]];
    if (b[o + 1]) e.push(["resv", V.hex(b[o + 1])]);
    e.push([
      "flags",
      V.flags(X.uringOpFlags, v.getUint16(o + 2, true), st, "IO_URING_OP_???"),
    ]);
    const r2 = v.getUint32(o + 4, true);
    if (r2) e.push(["resv2", V.hex(r2)]);
    ops.push(V.struct(e));
  }
  f.push(["ops", V.array(ops, limit < count || truncated)]);
  return V.struct(f);
}

/**
 * One `struct io_uring_restriction` (16 bytes). An unknown opcode's argument is strace's
 * `/* op: 0x… *\/` comment after the opcode.
 */
function restriction(c: SyscallCall, v: DataView): Value {
  const st = c.opts.xlat;
  const op = v.getUint16(0, true), arg = v.getUint8(2), resv = v.getUint8(3);
  const opcode = V.xval(X.uringRestrictionOpcodes, op, st, "IORING_RESTRICTION_???");
  const f: Fields = [];
  switch (op) {
    case IORING_RESTRICTION_REGISTER_OP:
      f.push(["opcode", opcode], [
        "register_op",
        V.xval(X.uringRegisterOpcodes, arg, st, "IORING_REGISTER_???"),
      ]);
      break;
    case IORING_RESTRICTION_SQE_OP:
      f.push(["opcode", opcode], ["sqe_op", V.xval(X.uringOps, arg, st, "IORING_OP_???")]);
      break;
    case IORING_RESTRICTION_SQE_FLAGS_ALLOWED:
    case IORING_RESTRICTION_SQE_FLAGS_REQUIRED:
      f.push(["opcode", opcode], ["sqe_flags", V.flags(X.uringSqeFlags, arg, st, "IOSQE_???")]);
      break;
    default:
      f.push(["opcode", V.comment(opcode, `op: ${V.hex(arg).text}`)]);
  }
  if (resv) f.push(["resv", V.hex(resv)]);
  const resv2 = [4, 8, 12].map((o) => v.getUint32(o, true));
  if (resv2.some((r) => r)) f.push(["resv2", resvArray(resv2)]);
  return V.struct(f);
}

const IORING_REGISTER_RING_FDS = 20,
  IORING_UNREGISTER_RING_FDS = 21,
  IORING_REGISTER_PBUF_RING = 22,
  IORING_UNREGISTER_PBUF_RING = 23;

/** Reads `len` bytes of the argument, or returns what strace prints instead. */
function read(c: SyscallCall, addr: number, len: number): DataView | Value {
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : V.unavailable(addr);
}

/** `data=[…], tags=[…]` of the resource register/update structs (`print_io_uring_rsrc_*`). */
function rsrcDataTags(c: SyscallCall, op: number, data: bigint, tags: bigint, nr: number): Fields {
  const d = Number(data);
  let dv: Value;
  if (op === IORING_REGISTER_FILES2) dv = fdArray(c, d, nr);
  else if (op === IORING_REGISTER_FILES_UPDATE2) dv = fdArray(c, d, nr, true);
  else dv = iovecArrayV(c, d, BigInt(nr), null, false);
  return [
    ["data", dv],
    ["tags", arrayV(c, Number(tags), nr, 8, (v) => V.hex(v.getBigUint64(0, true)))],
  ];
}

/** `struct io_uring_rsrc_register` (FILES2, BUFFERS2) of `size` bytes. */
function rsrcRegister(c: SyscallCall, op: number, addr: number, size: number): Value {
  if (size < 32) return ptrV(c, 2);
  const v = read(c, addr, 32);
  if (!(v instanceof DataView)) return v;
  const nr = v.getUint32(0, true), resv2 = v.getBigUint64(8, true);
  const f: Fields = [
    ["nr", V.uint(nr)],
    [
      "flags",
      V.flags(
        X.uringRegisterRsrcFlags,
        v.getUint32(4, true),
        c.opts.xlat,
        "IORING_RSRC_REGISTER_???",
      ),
    ],
  ];
  if (resv2) f.push(["resv2", V.hex(resv2)]);
  f.push(...rsrcDataTags(c, op, v.getBigUint64(16, true), v.getBigUint64(24, true), nr));
  return withTail(V.struct(f), nonzeroTail(c, addr, 32, size));
}

/** `struct io_uring_rsrc_update2` (FILES_UPDATE2, BUFFERS_UPDATE) of `size` bytes. */
function rsrcUpdate(c: SyscallCall, op: number, addr: number, size: number): Value {
  if (size < 32) return ptrV(c, 2);
  const v = read(c, addr, 32);
  if (!(v instanceof DataView)) return v;
  const resv = v.getUint32(4, true), nr = v.getUint32(24, true), resv2 = v.getUint32(28, true);
  const f: Fields = [["offset", V.uint(v.getUint32(0, true))]];
  if (resv) f.push(["resv", V.hex(resv)]);
  f.push(...rsrcDataTags(c, op, v.getBigUint64(8, true), v.getBigUint64(16, true), nr));
  f.push(["nr", V.uint(nr)]);
  if (resv2) f.push(["resv2", V.hex(resv2)]);
  return withTail(V.struct(f), nonzeroTail(c, addr, 32, size));
}

/** `struct io_uring_rsrc_update` arrays of RING_FDS (`reg`) and UNREGISTER_RING_FDS. */
function ringFds(c: SyscallCall, addr: number, n: number, reg: boolean): Value {
  return arrayV(c, addr, n, 16, (v) => {
    const off = v.getUint32(0, true), resv = v.getUint32(4, true);
    const data = v.getBigUint64(8, true);
    const f: Fields = [["offset", reg && off === 0xffffffff ? V.int(-1) : V.uint(off)]];
    if (resv) f.push(["resv", V.hex(resv)]);
    if (reg) f.push(["data", fdV(c, Number(BigInt.asIntN(32, data)))]);
    else if (data) f.push(["data", V.hex(data)]);
    return V.struct(f);
  });
}

/** IOWQ_MAX_WORKERS' `[[IO_WQ_BOUND]=4, [IO_WQ_UNBOUND]=8]`, or null when unreadable. */
function iowqAcct(c: SyscallCall, addr: number, n: number): Value | null {
  const a = arrayV(c, addr, n, 4, (v, i) => {
    const name = V.xval(X.uringIowqAcct, i, c.opts.xlat, "IO_WQ_???", "dec");
    const count = V.uint(v.getUint32(0, true));
    // strace's designated-initializer form: `[IO_WQ_BOUND]=4`, an element with its index.
    return { ...V.tuple([name, count]), text: `[${name.text}]=${count.text}` };
  });
  return a.kind === "array" ? a : null;
}

/** `struct io_uring_buf_reg` of PBUF_RING. */
function bufReg(c: SyscallCall, addr: number): Value {
  const v = read(c, addr, 40);
  if (!(v instanceof DataView)) return v;
  const ring = v.getBigUint64(0, true), pad = v.getUint16(14, true);
  const resv = [16, 24, 32].map((o) => v.getBigUint64(o, true));
  const f: Fields = [
    ["ring_addr", V.ptr(ring)],
    ["ring_entries", V.uint(v.getUint32(8, true))],
    ["bgid", V.uint(v.getUint16(12, true))],
  ];
  if (pad) f.push(["pad", V.hex(pad)]);
  if (resv.some((r) => r)) f.push(["resv", V.array(resv.map((r) => V.hex(r)))]);
  return V.struct(f);
}

/** The `arg` of `io_uring_register` for the opcodes decoded here; the address for the others. */
function registerArg(c: SyscallCall, op: number, addr: number, n: number): Value {
  switch (op) {
    case IORING_REGISTER_BUFFERS:
      return iovecArrayV(c, addr, BigInt(n), null, false);
    case IORING_REGISTER_FILES:
    case IORING_REGISTER_EVENTFD:
    case IORING_REGISTER_EVENTFD_ASYNC:
      return fdArray(c, addr, n);
    case IORING_REGISTER_FILES_UPDATE: {
      if (!addr) return V.ptr(0);
      if (noDeref(c)) return V.ptr(addr);
      const b = c.mem.read(addr, 16);
      if (!b) return V.unavailable(addr);
      const v = new DataView(b.buffer, b.byteOffset, 16);
      const resv = v.getUint32(4, true);
      const f: Fields = [["offset", V.uint(v.getUint32(0, true))]];
      if (resv) f.push(["resv", V.hex(resv)]);
      f.push(["fds", fdArray(c, Number(v.getBigUint64(8, true)), n, true)]);
      return V.struct(f);
    }
    case IORING_REGISTER_IOWQ_AFF:
      // The CPU list stays text (V.raw): strace's `[0 1 3]` is the process family's printer.
      return V.raw(affinityText(c, addr, n));
    case IORING_REGISTER_RESTRICTIONS:
      return arrayV(c, addr, n, 16, (v) => restriction(c, v));
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
      return ptrV(c, 2);
  }
}

/** The `-y` form of a descriptor-returning call's result (strace's `RVAL_FD`). */
function fdResult(c: SyscallCall): Value | undefined {
  return c.opts.decodeFds ? fdV(c, c.rval) : undefined;
}

/** The `struct io_uring_params` fields the caller sets (read at entry). */
function paramsIn(c: SyscallCall, v: DataView): Fields {
  const fl = v.getUint32(8, true);
  const f: Fields = [
    ["flags", V.flags(X.uringSetupFlags, fl, c.opts.xlat, "IORING_SETUP_???")],
    ["sq_thread_cpu", x32(v, 12)],
    ["sq_thread_idle", V.uint(v.getUint32(16, true))],
  ];
  if (fl & IORING_SETUP_ATTACH_WQ) f.push(["wq_fd", fdV(c, v.getInt32(24, true))]);
  const resv = [28, 32, 36].map((o) => v.getUint32(o, true));
  if (resv.some((r) => r)) f.push(["resv", resvArray(resv)]);
  return f;
}

/** The `struct io_uring_params` fields the kernel fills in (read at exit). */
function paramsOut(c: SyscallCall, v: DataView): Fields {
  return [
    ["sq_entries", V.uint(v.getUint32(0, true))],
    ["cq_entries", V.uint(v.getUint32(4, true))],
    [
      "features",
      V.flags(X.uringSetupFeatures, v.getUint32(20, true), c.opts.xlat, "IORING_FEAT_???"),
    ],
    ["sq_off", ringOffsets(v, 40, SQ_OFF)],
    ["cq_off", ringOffsets(v, 80, CQ_OFF)],
  ];
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  // The params struct: the fields the caller set at entry (strace leaves it open there), then
  // those the kernel filled in when the call succeeded; an unreadable one is the whole call at
  // entry (`RVAL_DECODED`).
  io_uring_setup: {
    enter: (c) => {
      const v = readParams(c, c.args.u(1));
      const entries = V.uint(c.args.ui(0));
      if (!v) return decoded([entries, ptrV(c, 1)]);
      const fin = paramsIn(c, v);
      c.state.params = fin;
      return pending([entries, unclosed(V.struct(fin))]);
    },
    exit: (c) => {
      const fin = c.state.params as Fields | undefined;
      if (!fin) return [];
      // The kernel filled the struct in only when the call succeeded.
      const v = c.errno ? null : readParams(c, c.args.u(1));
      return continues([V.struct(v ? [...fin, ...paramsOut(c, v)] : fin)], unclosed(V.struct(fin)));
    },
    result: fdResult,
  },
  io_uring_enter: {
    enter: (c) => {
      const size = c.args.u(5);
      return [
        fdV(c, c.args.i(0)),
        V.uint(c.args.ui(1)),
        V.uint(c.args.ui(2)),
        V.flags(X.uringEnterFlags, c.args.ui(3), c.opts.xlat, "IORING_ENTER_???"),
        // The signal set stays text (V.raw): its printer is the signal family's.
        V.raw(printSigsetAddrLen(c, c.args.u(4), size)),
        V.uint(c.args.big(5)),
      ];
    },
  },
  // The argument and the count are printed at entry when the kernel only reads the argument
  // (`RVAL_DECODED`). A probe is read and written: an all-zero one (the usual request) is printed
  // only at exit, another one at entry and `=> after` at exit; IOWQ_MAX_WORKERS prints
  // `before => ` at entry and `after` at exit.
  io_uring_register: {
    enter: (c) => {
      const op = c.args.ui(1), n = c.args.ui(3);
      const head = [
        fdV(c, c.args.i(0)),
        V.xval(X.uringRegisterOpcodes, op, c.opts.xlat, "IORING_REGISTER_???"),
      ];
      const whole = (arg: Value) => decoded([...head, arg, V.uint(n)]);
      if (op === IORING_REGISTER_PROBE) {
        const addr = c.args.u(2);
        const b = n > PROBE_MAX_OPS || !addr || noDeref(c) ? null : c.mem.read(addr, 16 + 8 * n);
        if (!b) return whole(ptrV(c, 2));
        if (!b.some((x) => x !== 0)) {
          c.state.probe = true;
          return head;
        }
        const before = probeV(c, b, n, false);
        c.state.probe = before;
        return pending([...head, before]);
      }
      if (op === IORING_REGISTER_IOWQ_MAX_WORKERS) {
        const a = iowqAcct(c, c.args.u(2), n);
        if (a === null) return whole(ptrV(c, 2));
        c.state.acct = a;
        return pending([...head, V.raw(a.text + " => ")]);
      }
      return whole(registerArg(c, op, c.args.u(2), n));
    },
    exit: (c) => {
      const n = V.uint(c.args.ui(3));
      const probe = c.state.probe as Value | true | undefined;
      if (probe) {
        const before = probe === true ? undefined : probe;
        if (c.errno) return before ? continues([before, n], before) : [ptrV(c, 2), n];
        const b = c.mem.read(c.args.u(2), 16 + 8 * c.args.ui(3));
        const after = b
          ? probeV(c, b, Math.min(b[1], c.args.ui(3)), c.args.ui(3) < b[1])
          : ptrV(c, 2);
        return before ? continues([V.change(before, after), n], before) : [after, n];
      }
      const acct = c.state.acct as Value | undefined;
      if (acct) {
        const out = c.errno ? null : iowqAcct(c, c.args.u(2), c.args.ui(3));
        return continues([V.change(acct, out ?? ptrV(c, 2)), n], V.raw(acct.text + " => "));
      }
      return [];
    },
  },
};
