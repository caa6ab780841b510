/**
 * The `bpf(2)` decoder, printed as strace 6.1 prints it (`bpf.c`, `bpf_attr.h`): the command, its
 * `union bpf_attr` as the command's own struct, and the size. Every command strace 6.1 knows is
 * decoded (`BPF_MAP_CREATE` … `BPF_LINK_GET_NEXT_ID`); later ones (`BPF_ENABLE_STATS`,
 * `BPF_ITER_CREATE`, `BPF_LINK_DETACH`, `BPF_PROG_BIND_MAP`) and unknown numbers print the
 * attr's address, as strace does.
 *
 * As in strace: a size smaller than the command's struct prints only the fields of the released
 * versions that fit; bytes past the struct print as `...` when any is non-zero (with `-v`,
 * `extra_data="\x…" /* bytes N..M *\/`); a size of 0 or above 4096, or an unreadable attr,
 * prints the address. Commands whose attr the kernel writes back print the rest at exit
 * (`*_GET_NEXT_ID`, `BPF_OBJ_GET_INFO_BY_FD` with the map or program info under `-v`,
 * `BPF_PROG_QUERY`, `BPF_TASK_FD_QUERY`, the batch commands).
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import {
  arrayV,
  cstrV,
  fdV,
  noDeref,
  pathV,
  ptrV,
  quoteBytes,
  strnV,
  type Unread,
} from "./format.ts";
import { continues, decoded, pending, type StructValue, V, type Value } from "./value.ts";
import { fdResultV } from "./args_v.ts";
import { flags64V } from "./signal.ts";
import { devV, hexStrV } from "./fs.ts";
import { ifindexV } from "./net.ts";
import { sprinttime } from "./time.ts";
import { hex, type Xlat, xlat } from "./xlat.ts";
import { bpfOpAlu, bpfOpJmp, bpfSize, bpfSrc } from "./xlat/bpf.ts";
import * as X from "./xlat/ebpf.ts";

/** strace's `get_pagesize()`: the largest attr it reads. */
const PAGE = 4096;
/** strace's `BPF_MAXINSNS`: instructions printed before `...`. */
const BPF_MAXINSNS = 4096;
const TWO53 = 2n ** 53n;

type Field = [string, Value];

/** A command's attr: its bytes copied into a zeroed struct, as strace's `memcpy`. */
class Attr {
  /** The struct, zero past what was read. */
  readonly v: DataView;
  /** `MIN(size, struct size)`: how many bytes of the struct the call gave. */
  readonly len: number;
  /** The attr as the tracee gave it (`size` bytes). */
  readonly raw: Uint8Array;
  /** The command's struct size (strace's `attr_size`, which `BPF_LINK_CREATE` changes). */
  attrSize: number;

  constructor(raw: Uint8Array, structSize: number) {
    const buf = new Uint8Array(structSize);
    this.len = Math.min(raw.length, structSize);
    buf.set(raw.subarray(0, this.len));
    this.v = new DataView(buf.buffer);
    this.raw = raw;
    this.attrSize = structSize;
  }
  u32(off: number): number {
    return this.v.getUint32(off, true);
  }
  i32(off: number): number {
    return this.v.getInt32(off, true);
  }
  u64(off: number): bigint {
    return this.v.getBigUint64(off, true);
  }
  bytes(off: number, n: number): Uint8Array {
    return new Uint8Array(this.v.buffer, off, n);
  }
}

/** Everything a field printer needs. */
interface Ctx {
  c: SyscallCall;
  st: XlatStyle;
  /** Not abbreviated (`-v`). */
  full: boolean;
}

const u = (a: Attr, off: number): Value => V.uint(a.u32(off));
const u64 = (v: bigint): Value => V.uint(v);
const x64 = (v: bigint): Value => V.hex(v);
const addr64 = (v: bigint): Value => V.ptr(v);

/** `PRINT_FIELD_FD`. */
function fd(x: Ctx, a: Attr, off: number): Value {
  return fdV(x.c, a.i32(off));
}

/** `PRINT_FIELD_IFINDEX`. */
function ifindex(x: Ctx, v: number): Value {
  return ifindexV(v, x.st, x.c.opts.hexStrings);
}

/** `PRINT_FIELD_XVAL` of a u32 field. */
function xv(x: Ctx, table: Xlat, v: number, dflt: string): Value {
  return V.xval(table, v, x.st, dflt);
}

/** `printxval64` of a u64 value. */
function xv64(x: Ctx, table: Xlat, v: bigint, dflt: string): Value {
  if (v < TWO53) return V.xval(table, Number(v), x.st, dflt);
  const raw = "0x" + v.toString(16);
  return V.named(undefined, v, x.st === "raw" ? raw : `${raw} /* ${dflt} */`);
}

/** `PRINT_FIELD_FLAGS` of a u32 field. */
function fl(x: Ctx, table: Xlat, v: number, dflt: string): Value {
  return V.flags(table, v, x.st, dflt);
}

/** `PRINT_FIELD_U64`: `UINT64_MAX` by name. */
function u64max(x: Ctx, v: bigint): Value {
  if (v !== 2n ** 64n - 1n) return V.uint(v);
  const d = "18446744073709551615";
  const text = x.st === "raw" ? d : x.st === "verbose" ? `${d} /* UINT64_MAX */` : "UINT64_MAX";
  return V.named("UINT64_MAX", v, text);
}

/** An address the tracee gave, as a number to read at, or `undefined` when none can be read. */
function at(v: bigint): number | undefined {
  return v < TWO53 ? Number(v) : undefined;
}

/** `print_quoted_cstring(str, size)`: at most `size - 1` bytes, `...` when no NUL ends them. */
function cstringSz(x: Ctx, b: Uint8Array): Value {
  const n = b.length ? b.length - 1 : 0;
  let end = b.subarray(0, n).indexOf(0);
  const cut = end < 0 && b[n] !== 0 && b.length > 0;
  if (end < 0) end = n;
  const shown = b.slice(0, end);
  return V.str(shown, `"${quoteBytes(shown, x.c.opts.hexStrings)}"${cut ? "..." : ""}`, cut);
}

/** `printstr_ex(addr, len, QUOTE_0_TERMINATED)`: a C string of at most `len` bytes and `-s`. */
function strz(x: Ctx, addr: bigint, len: number): Value {
  const a = at(addr);
  if (!addr) return V.ptr(0);
  if (a === undefined) return V.unavailable(addr);
  const max = x.c.opts.strsize;
  if (len === 0) return V.str(new Uint8Array(), '""');
  if (len > max) return cstrV(x.c, a, max);
  const v = cstrV(x.c, a, len);
  if (v.kind !== "str" || v.truncated || v.bytes.length < len) return v;
  return { ...v, text: v.text + "...", truncated: true };
}

/** `printstr`: a C string cut at `-s`. */
function str(x: Ctx, addr: bigint): Value {
  const a = at(addr);
  if (a === undefined) return V.unavailable(addr);
  return cstrV(x.c, a);
}

/** strace's `print_kernel_version`: `KERNEL_VERSION(6, 1, 0)`. */
function kernelVersion(x: Ctx, v: number): Value {
  const call = V.call("KERNEL_VERSION", [
    V.uint(v >>> 16),
    V.uint((v >> 8) & 0xff),
    V.uint(v & 0xff),
  ]);
  if (x.st === "raw") return V.hex(v);
  if (x.st === "verbose") return V.comment(V.hex(v), call.text);
  return call;
}

/** Whether an array at exit is printed as its address: strace's `tfetch_mem` fails on error. */
function exitFailed(x: Ctx): boolean {
  return x.c.exiting && x.c.errno !== 0;
}

/** strace's `print_array` of `count` elements of `size` bytes at `addr`. */
function arr(
  x: Ctx,
  addr: bigint,
  count: number,
  size: number,
  print: (v: DataView) => Value,
): Value {
  if (!addr) return V.ptr(0);
  if (!count) return V.array([]);
  const a = at(addr);
  if (a === undefined || exitFailed(x)) return V.ptr(addr);
  return arrayV(x.c, a, count, size, print);
}

/** `print_uint_array_member` arrays. */
function uintArray(x: Ctx, addr: bigint, count: number): Value {
  return arr(x, addr, count, 4, (v) => V.uint(v.getUint32(0, true)));
}

/** An xlat of several tables, first match wins (strace's `printxvals`). */
function merged(...tables: Xlat[]): Xlat {
  return xlat(tables.flatMap((t) => t.entries));
}
const sizeTables = merged(bpfSize, X.ebpfSize);
const aluTables = merged(bpfOpAlu, X.ebpfOpAlu);
const jmpTables = merged(bpfOpJmp, X.ebpfOpJmp);

/** An eBPF instruction code as strace's `print_bpf_filter_code(code, true)` prints it. */
function ebpfCodeV(code: number, st: XlatStyle): Value {
  const cls = code & 7;
  const names: string[] = [];
  const part = (t: Xlat, v: number) => {
    const n = t.byValue.get(v);
    if (n !== undefined) names.push(n);
    return V.xval(t, v, st, "BPF_???").text;
  };
  let text = part(X.ebpfClass, cls);
  let rest = 0;
  switch (cls) {
    case 0: // BPF_LD
    case 1: // BPF_LDX
    case 2: // BPF_ST
    case 3: // BPF_STX
      text += "|" + part(sizeTables, code & 0x18) + "|" + part(X.ebpfMode, code & 0xe0);
      break;
    case 4: // BPF_ALU
    case 7: // BPF_ALU64
      text += "|" + part(bpfSrc, code & 0x08) + "|" + part(aluTables, code & 0xf0);
      break;
    case 5: // BPF_JMP
      text += "|" + part(bpfSrc, code & 0x08) + "|" + part(jmpTables, code & 0xf0);
      break;
    case 6: // BPF_JMP32: strace prints the rest as unknown bits
      rest = code & ~7;
      if (rest) text += `|${hex(rest)} /* BPF_??? */`;
      break;
  }
  return V.flagsOf(names, rest, code, text);
}

/** One `struct bpf_insn`. */
function insnV(st: XlatStyle, v: DataView): Value {
  const regs = v.getUint8(1);
  return V.struct([
    ["code", ebpfCodeV(v.getUint8(0), st)],
    ["dst_reg", V.xval(X.ebpfRegs, regs & 15, st, "BPF_REG_???")],
    ["src_reg", V.xval(X.ebpfRegs, regs >> 4, st, "BPF_REG_???")],
    ["off", V.int(v.getInt16(2, true))],
    ["imm", V.hex(v.getUint32(4, true))],
  ]);
}

/** strace's `print_ebpf_prog`: the address, or with `-v` the instructions. */
function ebpfProg(x: Ctx, addr: bigint, count: number): Value {
  if (!x.full) return V.ptr(addr);
  const a = at(addr);
  if (!addr || !count || a === undefined) return arr(x, addr, count, 8, () => V.raw(""));
  // strace stops after BPF_MAXINSNS instructions: read one more to know whether to cut.
  const r = arr(x, addr, Math.min(count, BPF_MAXINSNS + 1), 8, (v) => insnV(x.st, v));
  if (r.kind === "array" && r.items.length > BPF_MAXINSNS) {
    return V.array(r.items.slice(0, BPF_MAXINSNS), true);
  }
  return r;
}

/**
 * strace's `decode_attr_extra_data`: `...` (or `-v`'s `extra_data=…`) when bytes past the
 * struct are not all zero.
 */
function extra(x: Ctx, raw: Uint8Array, attrSize: number, f: Field[]): boolean {
  if (raw.length <= attrSize) return false;
  const tail = raw.subarray(attrSize);
  if (!tail.some((b) => b !== 0)) return false;
  if (!x.full) return true;
  f.push([
    "extra_data",
    V.comment(
      V.str(tail, `"${quoteBytes(tail, 2)}"`),
      `bytes ${attrSize}..${raw.length - 1}`,
    ),
  ]);
  return false;
}

/** A struct with strace's extra data after its fields. */
function withExtra(x: Ctx, a: Attr, f: Field[], stopped: boolean): StructValue {
  const more = stopped ? false : extra(x, a.raw, a.attrSize, f);
  return V.struct(f, more);
}

/** A command decoded at entry: its fields (and whether it stopped early on a short size). */
type Fields = (x: Ctx, a: Attr) => { f: Field[]; stop: boolean };

/** A command decoded at entry into a flat struct. */
interface AtEntry {
  size: number;
  fields: Fields;
  /** The name of the struct strace nests the fields in (`test`, `link_create`), if any. */
  nest?: string;
  /** strace's `RVAL_FD`: the result is a descriptor. */
  fd?: boolean;
}

/** Runs `steps`, each guarded by strace's `len <= offsetof(...)` check. */
function upto(a: Attr, f: Field[], steps: readonly [number, () => Field[]][]): boolean {
  for (const [off, get] of steps) {
    if (a.len <= off) return true;
    f.push(...get());
  }
  return false;
}

const mapCreate: Fields = (x, a) => {
  const f: Field[] = [
    ["map_type", xv(x, X.bpfMapTypes, a.u32(0), "BPF_MAP_TYPE_???")],
    ["key_size", u(a, 4)],
    ["value_size", u(a, 8)],
    ["max_entries", u(a, 12)],
  ];
  const stop = upto(a, f, [
    [16, () => [["map_flags", fl(x, X.bpfMapFlags, a.u32(16), "BPF_F_???")]]],
    [20, () => [["inner_map_fd", fd(x, a, 20)]]],
    [24, () => {
      if (!(a.u32(16) & 4)) return [];
      const st = x.st === "raw" ? "raw" : "verbose";
      return [["numa_node", V.xval(X.numaNode, a.u32(24), st, undefined, "dec")]];
    }],
    [28, () => [["map_name", cstringSz(x, a.bytes(28, Math.min(16, a.len - 28)))]]],
    [44, () => [["map_ifindex", ifindex(x, a.u32(44))]]],
    [48, () => [
      ["btf_fd", fd(x, a, 48)],
      ["btf_key_type_id", u(a, 52)],
      ["btf_value_type_id", u(a, 56)],
    ]],
    [60, () => [["btf_vmlinux_value_type_id", u(a, 60)]]],
    [64, () => [["map_extra", u64max(x, a.u64(64))]]],
  ]);
  return { f, stop };
};

const lookupElem: Fields = (x, a) => {
  const f: Field[] = [
    ["map_fd", fd(x, a, 0)],
    ["key", addr64(a.u64(8))],
    ["value", addr64(a.u64(16))],
  ];
  const stop = upto(a, f, [
    [24, () => [["flags", flags64V(X.bpfMapLookupElemFlags, a.u64(24), x.st, "BPF_???")]]],
  ]);
  return { f, stop };
};

const updateElem: Fields = (x, a) => ({
  f: [
    ["map_fd", fd(x, a, 0)],
    ["key", addr64(a.u64(8))],
    ["value", addr64(a.u64(16))],
    ["flags", xv64(x, X.bpfMapUpdateElemFlags, a.u64(24), "BPF_???")],
  ],
  stop: false,
});

const deleteElem: Fields = (x, a) => ({
  f: [["map_fd", fd(x, a, 0)], ["key", addr64(a.u64(8))]],
  stop: false,
});

const getNextKey: Fields = (x, a) => ({
  f: [["map_fd", fd(x, a, 0)], ["key", addr64(a.u64(8))], ["next_key", addr64(a.u64(16))]],
  stop: false,
});

const mapFreeze: Fields = (x, a) => ({ f: [["map_fd", fd(x, a, 0)]], stop: false });

const progLoad: Fields = (x, a) => {
  const f: Field[] = [
    ["prog_type", xv(x, X.bpfProgTypes, a.u32(0), "BPF_PROG_TYPE_???")],
    ["insn_cnt", u(a, 4)],
    ["insns", ebpfProg(x, a.u64(8), a.u32(4))],
    ["license", str(x, a.u64(16))],
  ];
  const stop = upto(a, f, [
    [24, () => [
      ["log_level", u(a, 24)],
      ["log_size", u(a, 28)],
      ["log_buf", strz(x, a.u64(32), a.u32(28))],
    ]],
    [40, () => [["kern_version", kernelVersion(x, a.u32(40))]]],
    [44, () => [["prog_flags", fl(x, X.bpfProgFlags, a.u32(44), "BPF_F_???")]]],
    [48, () => [["prog_name", cstringSz(x, a.bytes(48, Math.min(16, a.len - 48)))]]],
    [64, () => [["prog_ifindex", ifindex(x, a.u32(64))]]],
    [68, () => [["expected_attach_type", xv(x, X.bpfAttachType, a.u32(68), "BPF_???")]]],
    [72, () => [
      ["prog_btf_fd", fd(x, a, 72)],
      ["func_info_rec_size", u(a, 76)],
      ["func_info", addr64(a.u64(80))],
      ["func_info_cnt", u(a, 88)],
      ["line_info_rec_size", u(a, 92)],
      ["line_info", addr64(a.u64(96))],
      ["line_info_cnt", u(a, 104)],
    ]],
    [108, () => [["attach_btf_id", u(a, 108)]]],
    [112, () => [["attach_prog_fd", fd(x, a, 112)]]],
    [120, () => [["fd_array", addr64(a.u64(120))]]],
  ]);
  return { f, stop };
};

const objPin: Fields = (x, a) => {
  const p = a.u64(0), pa = at(p);
  const f: Field[] = [
    ["pathname", pa === undefined ? V.unavailable(p) : pathV(x.c, pa)],
    ["bpf_fd", fd(x, a, 8)],
  ];
  const stop = upto(a, f, [
    [12, () => [["file_flags", fl(x, X.bpfFileModeFlags, a.u32(12), "BPF_F_???")]]],
  ]);
  return { f, stop };
};

const progAttach: Fields = (x, a) => {
  const f: Field[] = [
    ["target_fd", fd(x, a, 0)],
    ["attach_bpf_fd", fd(x, a, 4)],
    ["attach_type", xv(x, X.bpfAttachType, a.u32(8), "BPF_???")],
    ["attach_flags", fl(x, X.bpfAttachFlags, a.u32(12), "BPF_F_???")],
  ];
  const stop = upto(a, f, [[16, () => [["replace_bpf_fd", fd(x, a, 16)]]]]);
  return { f, stop };
};

const progDetach: Fields = (x, a) => ({
  f: [["target_fd", fd(x, a, 0)], ["attach_type", xv(x, X.bpfAttachType, a.u32(8), "BPF_???")]],
  stop: false,
});

const testRun: Fields = (x, a) => {
  const f: Field[] = [
    ["prog_fd", fd(x, a, 0)],
    ["retval", u(a, 4)],
    ["data_size_in", u(a, 8)],
    ["data_size_out", u(a, 12)],
    ["data_in", addr64(a.u64(16))],
    ["data_out", addr64(a.u64(24))],
    ["repeat", u(a, 32)],
    ["duration", u(a, 36)],
  ];
  if (a.len > 40) {
    f.push(
      ["ctx_size_in", u(a, 40)],
      ["ctx_size_out", u(a, 44)],
      ["ctx_in", addr64(a.u64(48))],
      ["ctx_out", addr64(a.u64(56))],
    );
  }
  if (a.len > 64) {
    f.push(["flags", fl(x, X.bpfTestRunFlags, a.u32(64), "BPF_F_???")], ["cpu", u(a, 68)]);
  }
  if (a.len > 72) f.push(["batch_size", u(a, 72)]);
  return { f, stop: false };
};

/** `BPF_PROG_GET_FD_BY_ID` and `BPF_MAP_GET_FD_BY_ID`. */
function getFdById(idName: string): Fields {
  return (x, a) => {
    const f: Field[] = [[idName, u(a, 0)], ["next_id", u(a, 4)]];
    const stop = upto(a, f, [
      [8, () => [["open_flags", fl(x, X.bpfFileModeFlags, a.u32(8), "BPF_F_???")]]],
    ]);
    return { f, stop };
  };
}

/** A command whose struct has one u32 field. */
function oneU32(name: string): Fields {
  return (_x, a) => ({ f: [[name, u(a, 0)]], stop: false });
}

const rawTracepointOpen: Fields = (x, a) => ({
  f: [["name", strz(x, a.u64(0), 128)], ["prog_fd", fd(x, a, 8)]],
  stop: false,
});

const btfLoad: Fields = (x, a) => {
  const b = a.u64(0), ba = at(b);
  return {
    f: [
      ["btf", ba === undefined ? V.unavailable(b) : strnV(x.c, ba, a.u32(16))],
      ["btf_log_buf", addr64(a.u64(8))],
      ["btf_size", u(a, 16)],
      ["btf_log_size", u(a, 20)],
      ["btf_log_level", u(a, 24)],
    ],
    stop: false,
  };
};

const linkCreate: Fields = (x, a) => {
  const type = a.u32(8);
  const f: Field[] = [
    ["prog_fd", fd(x, a, 0)],
    ["target_fd", fd(x, a, 4)],
    ["attach_type", xv(x, X.bpfAttachType, type, "BPF_???")],
    ["flags", V.hex(a.u32(12))],
  ];
  if (a.len <= 16) return { f, stop: false };
  switch (type) {
    case 0:
      if (a.u32(16)) f.push(["target_btf_id", u(a, 16)]);
      a.attrSize = 20;
      break;
    case 28: // BPF_TRACE_ITER
      f.push(
        [
          "iter_info",
          arr(
            x,
            a.u64(16),
            a.u32(24),
            4,
            (v) => V.struct([["map", V.struct([["map_fd", fdV(x.c, v.getInt32(0, true))]])]]),
          ),
        ],
        ["iter_info_len", u(a, 24)],
      );
      a.attrSize = 28;
      break;
    case 41: // BPF_PERF_EVENT
      f.push(["perf_event", V.struct([["bpf_cookie", x64(a.u64(16))]])]);
      a.attrSize = 24;
      break;
    case 42: { // BPF_TRACE_KPROBE_MULTI
      const cnt = a.u32(20);
      const hexes = (v: DataView) => V.hex(v.getBigUint64(0, true));
      f.push([
        "kprobe_multi",
        V.struct([
          ["flags", fl(x, X.bpfLinkCreateKprobeMultiFlags, a.u32(16), "BPF_F_???")],
          ["cnt", V.uint(cnt)],
          ["syms", arr(x, a.u64(24), cnt, 8, (v) => str(x, v.getBigUint64(0, true)))],
          ["addrs", arr(x, a.u64(32), cnt, 8, hexes)],
          ["cookies", arr(x, a.u64(40), cnt, 8, hexes)],
        ]),
      ]);
      a.attrSize = 48;
      break;
    }
    default:
      a.attrSize = 16;
  }
  return { f, stop: false };
};

const linkUpdate: Fields = (x, a) => {
  const flags = a.u32(8);
  const f: Field[] = [
    ["link_fd", fd(x, a, 0)],
    ["new_prog_fd", fd(x, a, 4)],
    ["flags", fl(x, X.bpfAttachFlags, flags, "BPF_F_???")],
  ];
  if (flags & 4) f.push(["old_prog_fd", fd(x, a, 12)]);
  return { f, stop: false };
};

/** The commands decoded at entry, by number. */
const AT_ENTRY: Record<number, AtEntry> = {
  0: { size: 72, fields: mapCreate, fd: true },
  1: { size: 32, fields: lookupElem },
  2: { size: 32, fields: updateElem },
  3: { size: 16, fields: deleteElem },
  4: { size: 24, fields: getNextKey },
  5: { size: 128, fields: progLoad, fd: true },
  6: { size: 16, fields: objPin, fd: true },
  7: { size: 16, fields: objPin, fd: true },
  8: { size: 20, fields: progAttach },
  9: { size: 12, fields: progDetach },
  10: { size: 76, fields: testRun, nest: "test" },
  13: { size: 12, fields: getFdById("prog_id"), fd: true },
  14: { size: 12, fields: getFdById("map_id"), fd: true },
  17: { size: 12, fields: rawTracepointOpen, nest: "raw_tracepoint" },
  18: { size: 28, fields: btfLoad, fd: true },
  19: { size: 4, fields: oneU32("btf_id"), fd: true },
  21: { size: 32, fields: lookupElem },
  22: { size: 4, fields: mapFreeze },
  28: { size: 48, fields: linkCreate, nest: "link_create", fd: true },
  29: { size: 16, fields: linkUpdate, nest: "link_update" },
  30: { size: 4, fields: oneU32("link_id"), fd: true },
};

/** Batch commands: which of keys/values/in_batch/out_batch each prints. */
const BATCH: Record<number, "lookup" | "update" | "delete"> = {
  24: "lookup",
  25: "lookup",
  26: "update",
  27: "delete",
};

/** Commands decoded at entry and exit, and their struct sizes. */
const AT_EXIT: Record<number, number> = {
  11: 12, // BPF_PROG_GET_NEXT_ID
  12: 12, // BPF_MAP_GET_NEXT_ID
  15: 16, // BPF_OBJ_GET_INFO_BY_FD
  16: 28, // BPF_PROG_QUERY
  20: 48, // BPF_TASK_FD_QUERY
  23: 12, // BPF_BTF_GET_NEXT_ID
  31: 12, // BPF_LINK_GET_NEXT_ID
};

/** What the entry saved for the exit. */
interface Saved {
  cmd: number;
  size: number;
  /** The attr at entry. */
  entry: Attr;
  /** What the entry printed of the attr (the exit's value must start with it). */
  printed: Value;
  /** `BPF_OBJ_GET_INFO_BY_FD`: which info struct the descriptor has, and its entry copy. */
  info?: { kind: "map" | "prog"; buf: Uint8Array | null };
}

/** A struct of `f` with only `open` of its text: the closing braces are printed at exit. */
function openText(v: StructValue, trim: number, add = ""): StructValue {
  return { ...v, text: v.text.slice(0, v.text.length - trim) + add };
}

/** `BPF_*_GET_NEXT_ID` at exit: next_id as it changed, open_flags. */
function nextIdExit(x: Ctx, e: Attr, a: Attr): StructValue {
  const f: Field[] = [["start_id", u(e, 0)], ["next_id", u(e, 4)]];
  if (a.u32(4) !== e.u32(4)) f[1] = ["next_id", V.change(u(e, 4), u(a, 4))];
  const stop = upto(a, f, [
    [8, () => [["open_flags", fl(x, X.bpfFileModeFlags, a.u32(8), "BPF_F_???")]]],
  ]);
  return withExtra(x, a, f, stop);
}

/** `before => after` of a u32 the kernel rewrote, or the value when it did not. */
function changed(before: number, after: number): Value {
  return before === after ? V.uint(after) : V.change(V.uint(before), V.uint(after));
}

/** `printaddr64` of a pointer the kernel rewrote. */
function changedAddr(before: bigint, after: bigint): Value {
  return before === after ? V.ptr(after) : V.change(V.ptr(before), V.ptr(after));
}

/** strace's `print_boottime`: the load time as an approximate wall-clock comment. */
function bootTimeV(x: Ctx, ns: bigint): Value {
  const v = V.uint(ns);
  if (x.st === "raw") return v;
  let up = 0;
  try {
    up = parseFloat(Deno.readTextFileSync("/proc/uptime").split(" ")[0]);
  } catch {
    return v;
  }
  const offset = Date.now() / 1000 - up;
  const sec = Math.floor(Number(ns / 1000000000n) + offset + (Number(ns % 1000000000n) / 1e9));
  return V.comment(v, sprinttime(sec));
}

/** `struct bpf_map_info` (strace's `print_bpf_map_info`). */
function mapInfo(x: Ctx, buf: Uint8Array): StructValue {
  const i = new Attr(buf, 88);
  const f: Field[] = [
    ["type", xv(x, X.bpfMapTypes, i.u32(0), "BPF_MAP_TYPE_???")],
    ["id", u(i, 4)],
    ["key_size", u(i, 8)],
    ["value_size", u(i, 12)],
    ["max_entries", u(i, 16)],
    ["map_flags", fl(x, X.bpfMapFlags, i.u32(20), "BPF_F_???")],
  ];
  const stop = upto(i, f, [
    [24, () => [["name", cstringSz(x, i.bytes(24, 16))]]],
    [40, () => [
      ["ifindex", ifindex(x, i.u32(40))],
      ["btf_vmlinux_value_type_id", u(i, 44)],
      ["netns_dev", devV(x.c, i.u64(48))],
      ["netns_ino", u64(i.u64(56))],
    ]],
    [64, () => [
      ["btf_id", u(i, 64)],
      ["btf_key_type_id", u(i, 68)],
      ["btf_value_type_id", u(i, 72)],
    ]],
  ]);
  return withExtra(x, i, f, stop);
}

/** `struct bpf_prog_info` (strace's `print_bpf_prog_info`); `s` is its copy at entry. */
function progInfo(x: Ctx, buf: Uint8Array, saved: Uint8Array | null): StructValue {
  const i = new Attr(buf, 220);
  const s = new Attr(saved ?? new Uint8Array(), 220);
  const ch = (off: number) => changed(s.u32(off), i.u32(off));
  const f: Field[] = [
    ["type", xv(x, X.bpfProgTypes, i.u32(0), "BPF_PROG_TYPE_???")],
    ["id", u(i, 4)],
    ["tag", V.str(i.bytes(8, 8), `"${quoteBytes(i.bytes(8, 8), 2)}"`)],
    ["jited_prog_len", ch(16)],
    ["jited_prog_insns", jitedV(x, i.u64(24), i.u32(16))],
    ["xlated_prog_len", ch(20)],
    ["xlated_prog_insns", ebpfProg(x, i.u64(32), Math.floor(Math.min(s.u32(20), i.u32(20)) / 8))],
  ];
  const stop = upto(i, f, [
    [40, () => {
      const uid = i.u32(48);
      return [
        ["load_time", bootTimeV(x, i.u64(40))],
        ["created_by_uid", uid === 0xffffffff ? V.int(-1) : V.uint(uid)],
        ["nr_map_ids", ch(52)],
        ["map_ids", uintArray(x, i.u64(56), Math.min(s.u32(52), i.u32(52)))],
        ["name", cstringSz(x, i.bytes(64, 16))],
      ];
    }],
    [80, () => [
      ["ifindex", ifindex(x, i.u32(80))],
      ["gpl_compatible", V.uint(i.u32(84) & 1)],
      ["netns_dev", devV(x.c, i.u64(88))],
      ["netns_ino", u64(i.u64(96))],
    ]],
    [104, () => [
      ["nr_jited_ksyms", ch(104)],
      ["nr_jited_func_lens", ch(108)],
      ["jited_ksyms", changedAddr(s.u64(112), i.u64(112))],
      ["jited_func_lens", changedAddr(s.u64(120), i.u64(120))],
    ]],
    [128, () => [
      ["btf_id", u(i, 128)],
      ["func_info_rec_size", ch(132)],
      ["func_info", addr64(i.u64(136))],
      ["nr_func_info", ch(144)],
      ["nr_line_info", ch(148)],
      ["line_info", addr64(i.u64(152))],
      ["jited_line_info", changedAddr(s.u64(160), i.u64(160))],
      ["nr_jited_line_info", ch(168)],
      ["line_info_rec_size", ch(172)],
      ["jited_line_info_rec_size", ch(176)],
      ["nr_prog_tags", ch(180)],
      ["prog_tags", addr64(i.u64(184))],
    ]],
    [192, () => [["run_time_ns", u64(i.u64(192))], ["run_cnt", u64(i.u64(200))]]],
    [208, () => [["recursion_misses", u64max(x, i.u64(208))]]],
    [216, () => [["verified_insns", u(i, 216)]]],
  ]);
  return withExtra(x, i, f, stop);
}

/** `printstr_ex(jited_prog_insns, jited_prog_len, QUOTE_FORCE_HEX)`. */
function jitedV(x: Ctx, addr: bigint, len: number): Value {
  const a = at(addr);
  if (!addr) return V.ptr(0);
  if (a === undefined) return V.unavailable(addr);
  return hexStrV(x.c, a, len);
}

/** `fetch_bpf_obj_info`: the info struct's `len` bytes, or null. */
function fetchInfo(c: SyscallCall, addr: bigint, len: number): Uint8Array | null {
  const a = at(addr);
  if (!len || len > PAGE || a === undefined) return null;
  return c.mem.read(a, len);
}

/** The attr read from the tracee, or what strace prints instead (its address). */
function readAttr(c: SyscallCall, size: number): Uint8Array | Unread {
  const addr = c.args.u(1);
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return ptrV(c, 1);
  if (c.args.big(1) >= TWO53) return V.unavailable(c.args.big(1));
  const b = c.mem.read(addr, size);
  return b ?? V.unavailable(addr);
}

/** The batch commands' struct at entry. */
function batchV(x: Ctx, a: Attr, kind: "lookup" | "update" | "delete"): Field[] {
  const f: Field[] = [];
  if (kind === "lookup") {
    f.push(["in_batch", addr64(a.u64(0))], ["out_batch", addr64(a.u64(8))]);
  }
  f.push(["keys", addr64(a.u64(16))]);
  if (kind !== "delete") f.push(["values", addr64(a.u64(24))]);
  f.push(
    ["count", u(a, 32)],
    ["map_fd", fd(x, a, 36)],
    ["elem_flags", flags64V(X.bpfMapLookupElemFlags, a.u64(40), x.st, "BPF_???")],
    ["flags", x64(a.u64(48))],
  );
  return f;
}

/** The printing context of a call. */
function ctx(c: SyscallCall): Ctx {
  return { c, st: c.opts.xlat, full: c.opts.verbose };
}

/** The command, and the attr when it is printed at entry. */
function enter(c: SyscallCall): readonly Value[] {
  const x = ctx(c);
  const cmd = c.args.ui(0);
  const size = c.args.ui(2);
  const cmdV = V.xval(X.bpfCommands, cmd, x.st, "BPF_???");
  const sizeV = V.uint(size);
  const known = AT_ENTRY[cmd] ?? (BATCH[cmd] ? 1 : AT_EXIT[cmd]);
  if (!size || size > PAGE || known === undefined) {
    return decoded([cmdV, ptrV(c, 1), sizeV]);
  }
  const raw = readAttr(c, size);
  if (!(raw instanceof Uint8Array)) return decoded([cmdV, raw, sizeV]);
  const plain = AT_ENTRY[cmd];
  if (plain) {
    const a = new Attr(raw, plain.size);
    const { f, stop } = plain.fields(x, a);
    let v: StructValue;
    if (plain.nest) {
      const outer: Field[] = [[plain.nest, V.struct(f)]];
      v = withExtra(x, a, outer, stop);
    } else v = withExtra(x, a, f, stop);
    c.state.fd = plain.fd === true;
    return decoded([cmdV, v, sizeV]);
  }
  const batch = BATCH[cmd];
  if (batch) {
    const a = new Attr(raw, 56);
    const v = withExtra(x, a, [["batch", V.struct(batchV(x, a, batch))]], false);
    c.state.bpf = { cmd, size, entry: a, printed: v } satisfies Saved;
    return pending([cmdV, v]);
  }
  const a = new Attr(raw, AT_EXIT[cmd]);
  let printed: Value;
  const saved: Saved = { cmd, size, entry: a, printed: V.raw("") };
  switch (cmd) {
    case 15: {
      const inner = V.struct([["bpf_fd", fd(x, a, 0)], ["info_len", u(a, 4)]]);
      printed = openText(V.struct([["info", inner]]), 2);
      if (x.full) {
        const p = c.fds.path(a.i32(0));
        const kind = p === "anon_inode:bpf-map"
          ? "map"
          : p === "anon_inode:bpf-prog"
          ? "prog"
          : undefined;
        if (kind) saved.info = { kind, buf: fetchInfo(c, a.u64(8), a.u32(4)) };
      }
      break;
    }
    case 16: {
      const inner = V.struct([
        ["target_fd", fd(x, a, 0)],
        ["attach_type", xv(x, X.bpfAttachType, a.u32(4), "BPF_???")],
        ["query_flags", fl(x, X.bpfQueryFlags, a.u32(8), "BPF_F_QUERY_???")],
        ["attach_flags", fl(x, X.bpfAttachFlags, a.u32(12), "BPF_F_???")],
      ]);
      printed = openText(V.struct([["query", inner]]), 2, ", prog_ids=");
      break;
    }
    case 20: {
      const inner = V.struct([
        ["pid", V.int(a.i32(0))],
        ["fd", fd(x, a, 4)],
        ["flags", u(a, 8)],
        ["buf_len", u(a, 12)],
      ]);
      printed = openText(V.struct([["task_fd_query", inner]]), 2);
      break;
    }
    default:
      printed = openText(V.struct([["start_id", u(a, 0)], ["next_id", u(a, 4)]]), 1);
  }
  saved.printed = printed;
  c.state.bpf = saved;
  return pending([cmdV, printed]);
}

/** The rest of the attr the kernel wrote back, and the size. */
function exit(c: SyscallCall): readonly Value[] {
  const s = c.state.bpf as Saved | undefined;
  if (!s) return [];
  const x = ctx(c);
  const sizeV = V.uint(s.size);
  const raw = readAttr(c, s.size);
  if (!(raw instanceof Uint8Array)) {
    // strace prints the address where the rest of the struct would go.
    return continues([{ ...s.printed, text: s.printed.text + raw.text }, sizeV], s.printed);
  }
  const e = s.entry;
  const batch = BATCH[s.cmd];
  if (batch) {
    const a = new Attr(raw, 56);
    if (a.u32(32) === e.u32(32)) return continues([s.printed, sizeV], s.printed);
    const after = V.struct([["batch", V.struct([["count", u(a, 32)]])]]);
    return continues([V.change(s.printed, after), sizeV], s.printed);
  }
  const a = new Attr(raw, e.attrSize);
  let v: StructValue;
  switch (s.cmd) {
    case 15: {
      const f: Field[] = [
        ["bpf_fd", fd(x, e, 0)],
        ["info_len", changedAfter(e.u32(4), a.u32(4))],
        ["info", infoV(x, s, a)],
      ];
      v = withExtra(x, a, [["info", V.struct(f)]], false);
      break;
    }
    case 16: {
      const f: Field[] = [
        ["target_fd", fd(x, e, 0)],
        ["attach_type", xv(x, X.bpfAttachType, e.u32(4), "BPF_???")],
        ["query_flags", fl(x, X.bpfQueryFlags, e.u32(8), "BPF_F_QUERY_???")],
        ["attach_flags", fl(x, X.bpfAttachFlags, e.u32(12), "BPF_F_???")],
        ["prog_ids", uintArray(x, a.u64(16), a.u32(24))],
        ["prog_cnt", changed(e.u32(24), a.u32(24))],
      ];
      v = withExtra(x, a, [["query", V.struct(f)]], false);
      break;
    }
    case 20: {
      const len = Math.min(e.u32(12), a.u32(12));
      const f: Field[] = [
        ["pid", V.int(e.i32(0))],
        ["fd", fd(x, e, 4)],
        ["flags", u(e, 8)],
        ["buf_len", changedAfter(e.u32(12), a.u32(12))],
        ["buf", strz(x, a.u64(16), len)],
        ["prog_id", u(a, 24)],
        ["fd_type", xv(x, X.bpfTaskFdType, a.u32(28), "BPF_FD_TYPE_???")],
        ["probe_offset", x64(a.u64(32))],
        ["probe_addr", x64(a.u64(40))],
      ];
      v = withExtra(x, a, [["task_fd_query", V.struct(f)]], false);
      break;
    }
    default:
      v = nextIdExit(x, e, a);
  }
  return continues([v, sizeV], s.printed);
}

/** strace's `value => new` printed after the entry value (`info_len=88 => 80`). */
function changedAfter(before: number, after: number): Value {
  return before === after ? V.uint(before) : V.change(V.uint(before), V.uint(after));
}

/** The `info` pointer of `BPF_OBJ_GET_INFO_BY_FD` at exit. */
function infoV(x: Ctx, s: Saved, a: Attr): Value {
  const addr = a.u64(8);
  if (!s.info) return V.ptr(addr);
  const buf = fetchInfo(x.c, addr, a.u32(4));
  if (!buf) return V.ptr(addr);
  return s.info.kind === "map" ? mapInfo(x, buf) : progInfo(x, buf, s.info.buf);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  bpf: {
    enter,
    exit,
    result: (c) => (c.state.fd ? fdResultV(c) : undefined),
  },
};
