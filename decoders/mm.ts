/**
 * Decoders for the memory-management syscalls: mmap, munmap, mprotect, pkey_mprotect, mremap,
 * madvise, process_madvise, msync, mlock, mlock2, munlock, mlockall, munlockall, brk, mincore,
 * memfd_secret, membarrier, pkey_alloc, pkey_free, remap_file_pages, process_mrelease —
 * printed as strace 6.1 prints them.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { array, failed, fd, iovecArray, noDeref, ptr, ptrText } from "./format.ts";
import { printArray } from "./time.ts";
import { and53, andNot53, flags, hex, type Xlat, xval } from "./xlat.ts";
import {
  getMempolicyFlags,
  madviseCmds,
  mbindFlags,
  mctlSync,
  membarrierCmds,
  membarrierFlags,
  memfdSecretFlags,
  mlockallFlags,
  mlockFlags,
  mmapFlags,
  mmapProt,
  mpolModeFlags,
  mpolModes,
  mremapFlags,
  pkeyAccess,
} from "./xlat/mm.ts";

/** The page size strace assumes when decoding mincore vectors. */
const PAGE_SIZE = 4096;

/** The mask of the map type in mmap flags (`MAP_TYPE`). */
const MAP_TYPE = 0xf;
/** `MAP_HUGE_SHIFT`. */
const MAP_HUGE_SHIFT = 26;
/** `MAP_HUGE_MASK << MAP_HUGE_SHIFT`. */
const MAP_HUGE_BITS = 0x3f * 2 ** MAP_HUGE_SHIFT;

/** Prints argument `n` as an unsigned 64-bit decimal (strace's `PRINT_VAL_U`). */
export function udec(c: SyscallCall, n: number): string {
  return c.args.big(n).toString();
}

/** Prints a 64-bit return value as strace's `RVAL_HEX`: `0x…` (or `0`). */
export function hexResult(c: SyscallCall): string {
  const v = BigInt.asUintN(64, c.rvalBig);
  return v === 0n ? "0" : "0x" + v.toString(16);
}

/**
 * Prints flags as strace's `printflags` with a `NULL` default: like {@linkcode flags}, but prints
 * nothing at all for a zero value when the table has no zero entry.
 */
export function flagsNoDefault(table: Xlat, value: number, style: XlatStyle): string {
  if (value === 0 && !table.byValue.has(0)) return "";
  return flags(table, value, style);
}

/** Prints mmap flags: the map type, the flag bits, then `N<<MAP_HUGE_SHIFT`. */
export function mmapFlagsText(value: number, style: XlatStyle): string {
  if (style === "raw") return hex(value);
  const type = and53(value, MAP_TYPE);
  let rest = andNot53(value, MAP_TYPE);
  const huge = and53(rest, MAP_HUGE_BITS);
  rest = andNot53(rest, MAP_HUGE_BITS);
  let s = xval(mmapFlags, type, "abbrev", "MAP_???");
  if (rest) s += "|" + flags(mmapFlags, rest, "abbrev");
  if (huge) s += "|" + huge / 2 ** MAP_HUGE_SHIFT + "<<MAP_HUGE_SHIFT";
  return style === "verbose" ? `${hex(value)} /* ${s} */` : s;
}

/** The mode flags or-ed into a memory policy mode (`MPOL_MODE_FLAGS`). */
const MPOL_FLAGS_MASK = 0xe000;

/** Prints a memory policy mode with its flags (`MPOL_BIND|MPOL_F_STATIC_NODES`). */
export function mpolModeText(value: number, style: XlatStyle): string {
  const fl = and53(value, MPOL_FLAGS_MASK);
  const mode = andNot53(value, MPOL_FLAGS_MASK);
  if (!fl) return xval(mpolModes, mode, style, "MPOL_???");
  const name = mpolModes.byValue.get(mode);
  if (name === undefined) return flags(mpolModeFlags, value, style, "MPOL_???");
  if (style === "raw") return hex(value);
  const text = `${name}|${flags(mpolModeFlags, fl, "abbrev")}`;
  return style === "verbose" ? `${hex(value)} /* ${text} */` : text;
}

/** One word of a node mask as strace's `PRINT_VAL_0X` prints it: 16 characters wide. */
function nodeWord(v: DataView): string {
  const x = v.getBigUint64(0, true);
  return x === 0n ? "0".repeat(16) : "0x" + x.toString(16).padStart(14, "0");
}

/**
 * Prints a node mask of `maxnode` bits at `addr` as an array of words; with `noFetch` (the exit
 * of a failed call) only what needs no memory.
 */
export function nodemask(c: SyscallCall, addr: number, maxnode: bigint, noFetch = false): string {
  const n = (maxnode + 62n) / 64n;
  if (n < maxnode / 64n || (maxnode && !n) || n > 2n ** 32n) return ptrText(addr);
  // strace fetches nothing at the exit of a failed call: a non-empty mask prints as its address.
  if (noFetch && addr && n) return ptrText(addr);
  return array(c, addr, Number(n), 8, nodeWord);
}

/** `addr, len` (shared by munmap, mlock, munlock). */
const addrLen: SyscallDecoder = {
  enter: (c) => `${ptr(c, 0)}, ${udec(c, 1)}`,
};

/** Prints a `struct iovec` array of `count` elements, printing each base as an address. */
function iovAddrs(c: SyscallCall, addr: number, count: number): string {
  return iovecArray(c, addr, count, null, false);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  mmap: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${flags(mmapProt, c.args.u(2), c.opts.xlat, "PROT_???")}, ` +
      `${mmapFlagsText(c.args.u(3), c.opts.xlat)}, ${fd(c, c.args.i(4))}, ${c.args.hex(5)}`,
    result: hexResult,
  },
  munmap: addrLen,
  mlock: addrLen,
  munlock: addrLen,
  mprotect: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${flags(mmapProt, c.args.u(2), c.opts.xlat, "PROT_???")}`,
  },
  pkey_mprotect: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${flags(mmapProt, c.args.u(2), c.opts.xlat, "PROT_???")}, ${
        c.args.i(3)
      }`,
  },
  mremap: {
    enter: (c) => {
      const f = c.args.u(3);
      let s = `${ptr(c, 0)}, ${udec(c, 1)}, ${udec(c, 2)}, ${
        flags(mremapFlags, f, c.opts.xlat, "MREMAP_???")
      }`;
      if ((f & 3) === 3) s += `, ${ptr(c, 4)}`;
      return s;
    },
    result: hexResult,
  },
  madvise: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${xval(madviseCmds, c.args.u(2), c.opts.xlat, "MADV_???")}`,
  },
  process_madvise: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${iovAddrs(c, c.args.u(1), c.args.u(2))}, ${udec(c, 2)}, ` +
      `${xval(madviseCmds, c.args.ui(3), c.opts.xlat, "MADV_???")}, ${hex(c.args.ui(4))}`,
  },
  process_mrelease: {
    enter: (c) => `${fd(c, c.args.i(0))}, ${hex(c.args.ui(1))}`,
  },
  msync: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${flags(mctlSync, c.args.ui(2), c.opts.xlat, "MS_???")}`,
  },
  mlock2: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${flags(mlockFlags, c.args.ui(2), c.opts.xlat, "MLOCK_???")}`,
  },
  mlockall: {
    enter: (c) => flags(mlockallFlags, c.args.ui(0), c.opts.xlat, "MCL_???"),
  },
  munlockall: { enter: () => "" },
  brk: {
    enter: (c) => ptr(c, 0),
    result: hexResult,
  },
  mincore: {
    enter: (c) => `${ptr(c, 0)}, ${udec(c, 1)}, `,
    exit: (c) => {
      const vec = c.args.u(2);
      if (failed(c)) return ptrText(vec);
      const len = c.args.u(1);
      const n = Math.ceil(len / PAGE_SIZE);
      return printArray(c, vec, n, 1, (v) => String(v.getUint8(0) & 1));
    },
  },
  remap_file_pages: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${flags(mmapProt, c.args.u(2), c.opts.xlat, "PROT_???")}, ` +
      `${udec(c, 3)}, ${mmapFlagsText(c.args.u(4), c.opts.xlat)}`,
  },
  memfd_secret: {
    enter: (c) => flags(memfdSecretFlags, c.args.ui(0), c.opts.xlat, ""),
    result: (c) => fd(c, c.rval),
  },
  membarrier: {
    enter: (c) => {
      const f = c.args.ui(1);
      let s = `${xval(membarrierCmds, c.args.i(0), c.opts.xlat, "MEMBARRIER_CMD_???")}, ${
        flags(membarrierFlags, f, c.opts.xlat, "MEMBARRIER_CMD_FLAG_???")
      }`;
      if (f & 1) s += `, ${c.args.i(2)}`;
      return s;
    },
    result: (c) => {
      if (c.args.i(0) !== 0 || c.rval === 0) return undefined;
      const v = c.rval;
      const names = flagsNoDefault(membarrierCmds, v, "abbrev");
      return `${hex(v)} (${names})`;
    },
  },
  pkey_alloc: {
    enter: (c) => `${c.args.hex(0)}, ${flags(pkeyAccess, c.args.u(1), c.opts.xlat, "PKEY_???")}`,
  },
  pkey_free: { enter: (c) => String(c.args.i(0)) },
  mbind: {
    enter: (c) =>
      `${ptr(c, 0)}, ${udec(c, 1)}, ${mpolModeText(c.args.u(2), c.opts.xlat)}, ` +
      `${nodemask(c, c.args.u(3), c.args.big(4))}, ${udec(c, 4)}, ` +
      flags(mbindFlags, c.args.u(5) >>> 0, c.opts.xlat, "MPOL_???"),
  },
  set_mempolicy: {
    enter: (c) =>
      `${mpolModeText(c.args.u(0) >>> 0, c.opts.xlat)}, ` +
      `${nodemask(c, c.args.u(1), c.args.big(2))}, ${udec(c, 2)}`,
  },
  get_mempolicy: {
    exit: (c) => {
      const mode = c.args.u(0);
      let modeText: string;
      if (!mode) modeText = "NULL";
      else if (failed(c) || noDeref(c)) modeText = ptrText(mode);
      else {
        const b = c.mem.read(mode, 4);
        modeText = b
          ? `[${
            xval(
              mpolModes,
              new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true),
              c.opts.xlat,
              "MPOL_???",
            )
          }]`
          : ptrText(mode);
      }
      const mask = nodemask(c, c.args.u(1), c.args.big(2), failed(c));
      return `${modeText}, ${mask}, ${udec(c, 2)}, ` +
        `${ptr(c, 3)}, ${flags(getMempolicyFlags, c.args.u(4), c.opts.xlat, "MPOL_???")}`;
    },
  },
  migrate_pages: {
    enter: (c) =>
      `${c.args.i(0)}, ${udec(c, 1)}, ${nodemask(c, c.args.u(2), c.args.big(1))}, ` +
      nodemask(c, c.args.u(3), c.args.big(1)),
  },
  set_mempolicy_home_node: {
    enter: (c) => `${ptr(c, 0)}, ${udec(c, 1)}, ${udec(c, 2)}, ${c.args.hex(3)}`,
  },
};
