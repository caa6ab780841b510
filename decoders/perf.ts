/**
 * The `perf_event_open(2)` decoder, printed as strace 6.1 prints it on x86_64: `struct
 * perf_event_attr` (read at entry, printed at exit with the size the kernel wrote back on
 * `E2BIG`), pid, cpu, group descriptor and flags.
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import { fdV, noDeref, type Unread } from "./format.ts";
import { hex, type Xlat } from "./xlat.ts";
import { flags64V } from "./signal.ts";
import { decoded, type FlagsValue, type StructValue, V, type Value } from "./value.ts";
import { clockNames } from "./xlat/time.ts";
import * as X from "./xlat/admin.ts";

/** strace 6.1's `struct perf_event_attr` ends after `sig_data`. */
const ATTR_SIZE = 128;
const SIZE_VER0 = 64;
/** `offsetof(struct perf_event_attr, wakeup_events)`: all strace reads without `-v`. */
const ABBREV_SIZE = 48;
const E2BIG = 7;

const PERF_TYPE_HARDWARE = 0,
  PERF_TYPE_SOFTWARE = 1,
  PERF_TYPE_TRACEPOINT = 2,
  PERF_TYPE_HW_CACHE = 3,
  PERF_TYPE_BREAKPOINT = 5;
const PERF_SAMPLE_BRANCH_STACK = 1n << 11n, PERF_SAMPLE_STACK_USER = 1n << 13n;

/** The one-bit flags of the attr's bit field, in order from bit 0 (bits 15-16 are precise_ip). */
const BITS = [
  "disabled",
  "inherit",
  "pinned",
  "exclusive",
  "exclude_user",
  "exclude_kernel",
  "exclude_hv",
  "exclude_idle",
  "mmap",
  "comm",
  "freq",
  "inherit_stat",
  "enable_on_exec",
  "task",
  "watermark",
];
const BITS2 = [
  "mmap_data",
  "sample_id_all",
  "exclude_host",
  "exclude_guest",
  "exclude_callchain_kernel",
  "exclude_callchain_user",
  "mmap2",
  "comm_exec",
  "use_clockid",
  "context_switch",
  "write_backward",
  "namespaces",
  "ksymbol",
  "bpf_event",
  "aux_output",
  "cgroup",
  "text_poke",
  "build_id",
  "inherit_thread",
  "remove_on_exec",
  "sigtrap",
];
const SKID = ["arbitrary skid", "constant skid", "requested to have 0 skid", "must have 0 skid"];

/** What the entry stop saved: the attr's bytes and how many were read. */
interface Saved {
  bytes: Uint8Array;
  size: number;
}

/** strace's `fetch_perf_event_attr`: the bytes to print at exit, or the address to print now. */
function fetchAttr(c: SyscallCall, addr: number): Saved | Unread {
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  const s = c.mem.read(addr + 4, 4);
  if (!s) return V.unavailable(addr);
  let size = new DataView(s.buffer, s.byteOffset, 4).getUint32(0, true);
  if (size > ATTR_SIZE) size = ATTR_SIZE;
  if (!size) size = SIZE_VER0;
  if (size < SIZE_VER0) return V.ptr(addr);
  if (!c.opts.verbose) size = ABBREV_SIZE;
  const b = c.mem.read(addr, size);
  if (!b) return V.unavailable(addr);
  const bytes = new Uint8Array(ATTR_SIZE);
  bytes.set(b);
  return { bytes, size };
}

const bx = (v: bigint) => (v ? "0x" + v.toString(16) : "0");

/** `PRINT_FIELD_XVAL` of a u64 field. */
function xv64(table: Xlat, v: bigint, st: XlatStyle, dflt: string): Value {
  return v < 2n ** 53n
    ? V.xval(table, Number(v), st, dflt)
    : V.named(undefined, v, `${bx(v)} /* ${dflt} */`);
}

/**
 * A config made of named parts (`0x1<<32|PERF_COUNT_HW_CPU_CYCLES`): the names of the known
 * parts, the rest as the unnamed remainder.
 */
function configV(
  config: bigint,
  parts: readonly (readonly [Xlat, number])[],
  rest: bigint,
  text: string,
): FlagsValue {
  const names: string[] = [];
  for (const [table, v] of parts) {
    const n = table.byValue.get(v);
    if (n !== undefined) names.push(n);
  }
  return V.flagsOf(names, rest, config, text);
}

/** strace's `print_perf_event_attr`. */
function attrV(c: SyscallCall, saved: Saved): StructValue {
  const v = new DataView(saved.bytes.buffer);
  const size = saved.size;
  const st = c.opts.xlat;
  const full = c.opts.verbose;
  const type = v.getUint32(0, true), asize = v.getUint32(4, true);
  const config = v.getBigUint64(8, true);
  const u64 = (off: number) => V.uint(v.getBigUint64(off, true));
  const x64 = (off: number) => V.hex(v.getBigUint64(off, true));
  const f: [string, Value][] = [["type", V.xval(X.perfTypeId, type, st, "PERF_TYPE_???")]];
  let sizeV: Value = V.xval(X.perfAttrSize, asize, st, "PERF_ATTR_SIZE_???");
  if (c.errno === E2BIG) {
    const nb = c.mem.read(c.args.u(0) + 4, 4);
    sizeV = V.change(
      sizeV,
      nb
        ? V.xval(
          X.perfAttrSize,
          new DataView(nb.buffer, nb.byteOffset, 4).getUint32(0, true),
          st,
          "PERF_ATTR_SIZE_???",
        )
        : V.raw("???"),
    );
  }
  f.push(["size", sizeV]);
  const hi = config >> 32n;
  const hiText = hi ? `${bx(hi)}<<32|` : "";
  const low = Number(config & 0xffffffffn);
  switch (type) {
    case PERF_TYPE_HARDWARE: {
      const text = hiText + V.xval(X.perfHwId, low, st, "PERF_COUNT_HW_???").text;
      const known = X.perfHwId.byValue.has(low);
      f.push(["config", configV(config, [[X.perfHwId, low]], known ? hi << 32n : config, text)]);
      break;
    }
    case PERF_TYPE_SOFTWARE:
      f.push(["config", xv64(X.perfSwIds, config, st, "PERF_COUNT_SW_???")]);
      break;
    case PERF_TYPE_TRACEPOINT:
      f.push(["config", V.uint(config)]);
      break;
    case PERF_TYPE_HW_CACHE: {
      const top = (low & 0xffffffff) >>> 24;
      const result = (low >>> 16) & 0xff, op = (low >>> 8) & 0xff, id = low & 0xff;
      const text = `${hiText}${top ? `${hex(top)}<<24|` : ""}${
        V.xval(X.perfHwCacheOpResultId, result, st, "PERF_COUNT_HW_CACHE_RESULT_???").text
      }<<16|${V.xval(X.perfHwCacheOpId, op, st, "PERF_COUNT_HW_CACHE_OP_???").text}<<8|${
        V.xval(X.perfHwCacheId, id, st, "PERF_COUNT_HW_CACHE_???").text
      }`;
      const parts = [
        [X.perfHwCacheId, id],
        [X.perfHwCacheOpId, op],
        [X.perfHwCacheOpResultId, result],
      ] as const;
      let rest = config & ~0xffffffn;
      for (const [table, val, shift] of [...parts.map((p, k) => [...p, 8 * k] as const)]) {
        if (!table.byValue.has(val)) rest |= BigInt(val) << BigInt(shift);
      }
      f.push(["config", configV(config, parts, rest, text)]);
      break;
    }
    default:
      f.push(["config", V.hex(config)]);
  }
  const bits = v.getBigUint64(40, true);
  const bit = (n: number) => Number((bits >> BigInt(n)) & 1n);
  const sampleType = v.getBigUint64(24, true);
  f.push(
    [bit(10) ? "sample_freq" : "sample_period", u64(16)],
    ["sample_type", flags64V(X.perfEventSampleFormat, sampleType, st, "PERF_SAMPLE_???")],
    [
      "read_format",
      flags64V(X.perfEventReadFormat, v.getBigUint64(32, true), st, "PERF_FORMAT_???"),
    ],
  );
  BITS.forEach((name, i) => {
    if (full || bit(i)) f.push([name, V.uint(bit(i))]);
  });
  const precise = Number((bits >> 15n) & 3n);
  f.push(["precise_ip", V.comment(V.uint(precise), SKID[precise])]);
  BITS2.forEach((name, i) => {
    if (full || bit(17 + i)) f.push([name, V.uint(bit(17 + i))]);
  });
  const rsv1 = bits >> 38n;
  if (rsv1) f.push(["__reserved_1", V.comment(V.hex(rsv1), "Bits 63..38")]);
  const more = (asize && asize > size) || (!asize && size < SIZE_VER0);
  const end = () => V.struct(f, !!more);
  /** Adds strace's comment on reserved bytes to the last field printed. */
  const reserved = (what: string, r: number) => {
    if (r) {
      f[f.length - 1] = [f[f.length - 1][0], V.comment(f[f.length - 1][1], `${what}: ${hex(r)}`)];
    }
  };
  if (!full) return end();
  const isBp = type === PERF_TYPE_BREAKPOINT;
  f.push([bit(14) ? "wakeup_watermark" : "wakeup_events", V.uint(v.getUint32(48, true))]);
  if (isBp) {
    const bp = v.getUint32(52, true);
    f.push(
      [
        "bp_type",
        V.xval(X.hwBreakpointType, bp, st, bp <= 7 ? "HW_BREAKPOINT_INVALID" : "HW_BREAKPOINT_???"),
      ],
      ["bp_addr", x64(56)],
    );
  } else f.push(["config1", x64(56)]);
  if (64 >= size) return end();
  f.push(isBp ? ["bp_len", u64(64)] : ["config2", x64(64)]);
  if (72 >= size) return end();
  if (sampleType & PERF_SAMPLE_BRANCH_STACK) {
    f.push([
      "branch_sample_type",
      flags64V(X.perfBranchSampleType, v.getBigUint64(72, true), st, "PERF_SAMPLE_BRANCH_???"),
    ]);
  }
  if (80 >= size) return end();
  f.push(["sample_regs_user", x64(80)]);
  if (88 >= size) return end();
  if (sampleType & PERF_SAMPLE_STACK_USER) {
    f.push(["sample_stack_user", V.hex(v.getUint32(88, true))]);
  }
  if (bit(25)) {
    if (92 >= size) return end();
    f.push(["clockid", V.xval(clockNames, v.getInt32(92, true), st, "CLOCK_???")]);
  }
  if (96 >= size) return end();
  f.push(["sample_regs_intr", x64(96)]);
  if (104 >= size) return end();
  f.push(["aux_watermark", V.uint(v.getUint32(104, true))]);
  if (108 >= size) return end();
  f.push(["sample_max_stack", V.uint(v.getUint16(108, true))]);
  if (110 >= size) return end();
  reserved("bytes 110..111", v.getUint16(110, true));
  if (112 >= size) return end();
  f.push(["aux_sample_size", V.uint(v.getUint32(112, true))]);
  if (116 >= size) return end();
  reserved("bytes 116..119", v.getUint32(116, true));
  if (120 >= size) return end();
  f.push(["sig_data", x64(120)]);
  return end();
}

/** pid, cpu, group_fd, flags. */
function tail(c: SyscallCall): Value[] {
  return [
    V.int(c.args.i(1)),
    V.int(c.args.i(2)),
    fdV(c, c.args.i(3)),
    flags64V(
      X.perfEventOpenFlags,
      BigInt.asUintN(64, c.args.big(4)),
      c.opts.xlat,
      "PERF_FLAG_???",
    ),
  ];
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  perf_event_open: {
    enter: (c) => {
      const r = fetchAttr(c, c.args.u(0));
      if ("kind" in r) {
        c.state.done = true;
        return decoded([r, ...tail(c)]);
      }
      c.state.attr = r;
      return [];
    },
    exit: (c) => (c.state.done ? [] : [attrV(c, c.state.attr as Saved), ...tail(c)]),
    result: (c) => (c.opts.decodeFds ? fdV(c, c.rval) : undefined),
  },
};
