/**
 * The `perf_event_open(2)` decoder, printed as strace 6.1 prints it on x86_64: `struct
 * perf_event_attr` (read at entry, printed at exit with the size the kernel wrote back on
 * `E2BIG`), pid, cpu, group descriptor and flags.
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import { fd, hex, noDeref } from "./format.ts";
import { xval } from "./xlat.ts";
import { flags64 } from "./signal.ts";
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

/** strace's `fetch_perf_event_attr`: the bytes to print at exit, or the text to print now. */
function fetchAttr(c: SyscallCall, addr: number): Saved | string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const s = c.mem.read(addr + 4, 4);
  if (!s) return hex(addr);
  let size = new DataView(s.buffer, s.byteOffset, 4).getUint32(0, true);
  if (size > ATTR_SIZE) size = ATTR_SIZE;
  if (!size) size = SIZE_VER0;
  if (size < SIZE_VER0) return hex(addr);
  if (!c.opts.verbose) size = ABBREV_SIZE;
  const b = c.mem.read(addr, size);
  if (!b) return hex(addr);
  const bytes = new Uint8Array(ATTR_SIZE);
  bytes.set(b);
  return { bytes, size };
}

const bx = (v: bigint) => (v ? "0x" + v.toString(16) : "0");

/** `PRINT_FIELD_XVAL` of a u64 field. */
function xv64(table: Parameters<typeof xval>[0], v: bigint, st: XlatStyle, dflt: string): string {
  return v < 2n ** 53n ? xval(table, Number(v), st, dflt) : `${bx(v)} /* ${dflt} */`;
}

/** strace's `print_perf_event_attr`. */
function attrText(c: SyscallCall, saved: Saved): string {
  const v = new DataView(saved.bytes.buffer);
  const size = saved.size;
  const st = c.opts.xlat;
  const full = c.opts.verbose;
  const type = v.getUint32(0, true), asize = v.getUint32(4, true);
  const config = v.getBigUint64(8, true);
  const parts: string[] = [
    `type=${xval(X.perfTypeId, type, st, "PERF_TYPE_???")}`,
  ];
  let sizeText = `size=${xval(X.perfAttrSize, asize, st, "PERF_ATTR_SIZE_???")}`;
  if (c.errno === E2BIG) {
    const nb = c.mem.read(c.args.u(0) + 4, 4);
    sizeText += " => " + (nb
      ? xval(
        X.perfAttrSize,
        new DataView(nb.buffer, nb.byteOffset, 4).getUint32(0, true),
        st,
        "PERF_ATTR_SIZE_???",
      )
      : "???");
  }
  parts.push(sizeText);
  const hi = config >> 32n;
  const hiText = hi ? `${bx(hi)}<<32|` : "";
  const low = Number(config & 0xffffffffn);
  switch (type) {
    case PERF_TYPE_HARDWARE:
      parts.push(`config=${hiText}${xval(X.perfHwId, low, st, "PERF_COUNT_HW_???")}`);
      break;
    case PERF_TYPE_SOFTWARE:
      parts.push(`config=${xv64(X.perfSwIds, config, st, "PERF_COUNT_SW_???")}`);
      break;
    case PERF_TYPE_TRACEPOINT:
      parts.push(`config=${config}`);
      break;
    case PERF_TYPE_HW_CACHE: {
      const top = (low & 0xffffffff) >>> 24;
      parts.push(
        `config=${hiText}${top ? `${hex(top)}<<24|` : ""}${
          xval(X.perfHwCacheOpResultId, (low >>> 16) & 0xff, st, "PERF_COUNT_HW_CACHE_RESULT_???")
        }<<16|${xval(X.perfHwCacheOpId, (low >>> 8) & 0xff, st, "PERF_COUNT_HW_CACHE_OP_???")}<<8|${
          xval(X.perfHwCacheId, low & 0xff, st, "PERF_COUNT_HW_CACHE_???")
        }`,
      );
      break;
    }
    default:
      parts.push(`config=${bx(config)}`);
  }
  const bits = v.getBigUint64(40, true);
  const bit = (n: number) => Number((bits >> BigInt(n)) & 1n);
  const sampleType = v.getBigUint64(24, true);
  parts.push(
    bit(10)
      ? `sample_freq=${v.getBigUint64(16, true)}`
      : `sample_period=${v.getBigUint64(16, true)}`,
    `sample_type=${flags64(X.perfEventSampleFormat, sampleType, st, "PERF_SAMPLE_???")}`,
    `read_format=${
      flags64(X.perfEventReadFormat, v.getBigUint64(32, true), st, "PERF_FORMAT_???")
    }`,
  );
  BITS.forEach((name, i) => {
    if (full || bit(i)) parts.push(`${name}=${bit(i)}`);
  });
  const precise = Number((bits >> 15n) & 3n);
  parts.push(`precise_ip=${precise} /* ${SKID[precise]} */`);
  BITS2.forEach((name, i) => {
    if (full || bit(17 + i)) parts.push(`${name}=${bit(17 + i)}`);
  });
  const rsv1 = bits >> 38n;
  if (rsv1) parts.push(`__reserved_1=${bx(rsv1)} /* Bits 63..38 */`);
  const more = (asize && asize > size) || (!asize && size < SIZE_VER0);
  const end = () => `{${parts.join(", ")}${more ? ", ..." : ""}}`;
  if (!full) return end();
  const isBp = type === PERF_TYPE_BREAKPOINT;
  parts.push(
    bit(14)
      ? `wakeup_watermark=${v.getUint32(48, true)}`
      : `wakeup_events=${v.getUint32(48, true)}`,
  );
  if (isBp) {
    const bp = v.getUint32(52, true);
    parts.push(
      `bp_type=${
        xval(X.hwBreakpointType, bp, st, bp <= 7 ? "HW_BREAKPOINT_INVALID" : "HW_BREAKPOINT_???")
      }`,
      `bp_addr=${bx(v.getBigUint64(56, true))}`,
    );
  } else parts.push(`config1=${bx(v.getBigUint64(56, true))}`);
  if (64 >= size) return end();
  parts.push(
    isBp ? `bp_len=${v.getBigUint64(64, true)}` : `config2=${bx(v.getBigUint64(64, true))}`,
  );
  if (72 >= size) return end();
  if (sampleType & PERF_SAMPLE_BRANCH_STACK) {
    parts.push(
      `branch_sample_type=${
        flags64(X.perfBranchSampleType, v.getBigUint64(72, true), st, "PERF_SAMPLE_BRANCH_???")
      }`,
    );
  }
  if (80 >= size) return end();
  parts.push(`sample_regs_user=${bx(v.getBigUint64(80, true))}`);
  if (88 >= size) return end();
  if (sampleType & PERF_SAMPLE_STACK_USER) {
    parts.push(`sample_stack_user=${hex(v.getUint32(88, true))}`);
  }
  if (bit(25)) {
    if (92 >= size) return end();
    parts.push(`clockid=${xval(clockNames, v.getInt32(92, true), st, "CLOCK_???")}`);
  }
  if (96 >= size) return end();
  parts.push(`sample_regs_intr=${bx(v.getBigUint64(96, true))}`);
  if (104 >= size) return end();
  parts.push(`aux_watermark=${v.getUint32(104, true)}`);
  if (108 >= size) return end();
  parts.push(`sample_max_stack=${v.getUint16(108, true)}`);
  if (110 >= size) return end();
  const r2 = v.getUint16(110, true);
  if (r2) parts[parts.length - 1] += ` /* bytes 110..111: ${hex(r2)} */`;
  if (112 >= size) return end();
  parts.push(`aux_sample_size=${v.getUint32(112, true)}`);
  if (116 >= size) return end();
  const r3 = v.getUint32(116, true);
  if (r3) parts[parts.length - 1] += ` /* bytes 116..119: ${hex(r3)} */`;
  if (120 >= size) return end();
  parts.push(`sig_data=${bx(v.getBigUint64(120, true))}`);
  return end();
}

/** `, pid, cpu, group_fd, flags`. */
function tail(c: SyscallCall): string {
  return `, ${c.args.i(1)}, ${c.args.i(2)}, ${fd(c, c.args.i(3))}, ${
    flags64(
      X.perfEventOpenFlags,
      BigInt.asUintN(64, c.args.big(4)),
      c.opts.xlat,
      "PERF_FLAG_???",
    )
  }`;
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  perf_event_open: {
    enter: (c) => {
      const r = fetchAttr(c, c.args.u(0));
      if (typeof r === "string") {
        c.state.done = true;
        return r + tail(c);
      }
      c.state.attr = r;
      return "";
    },
    exit: (c) => (c.state.done ? "" : attrText(c, c.state.attr as Saved) + tail(c)),
    result: (c) => (c.opts.decodeFds ? fd(c, c.rval) : undefined),
  },
};
