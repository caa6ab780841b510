/**
 * Decoders for the memory-management syscalls: mmap, munmap, mprotect, pkey_mprotect, mremap,
 * madvise, process_madvise, msync, mlock, mlock2, munlock, mlockall, munlockall, brk, mincore,
 * memfd_secret, membarrier, pkey_alloc, pkey_free, remap_file_pages, process_mrelease —
 * printed as strace 6.1 prints them.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { arrayV, failed, fdV, iovecArrayV, noDeref, ptrV, type Unread } from "./format.ts";
import { and53, andNot53, flags, hex, type Xlat, xval } from "./xlat.ts";
import { type ArrayValue, flagParts, type FlagsValue, V, type Value } from "./value.ts";
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

/** Argument `n` as an unsigned 64-bit decimal (strace's `PRINT_VAL_U`). */
function udecV(c: SyscallCall, n: number): Value {
  return V.uint(c.args.big(n));
}

/** Argument `n` as `%#lx`. */
function hexV(c: SyscallCall, n: number): Value {
  return V.hex(c.args.big(n));
}

/** A 64-bit return value as strace's `RVAL_HEX`: `0x…` (or `0`). */
function hexResultV(c: SyscallCall): Value {
  return V.hex(BigInt.asUintN(64, c.rvalBig));
}

/** Prints a 64-bit return value as strace's `RVAL_HEX`: `0x…` (or `0`). */
export function hexResult(c: SyscallCall): string {
  return hexResultV(c).text;
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
function mmapFlagsText(value: number, style: XlatStyle): string {
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

/**
 * mmap flags as a typed value: the names of the map type and of the flag bits; the rest holds
 * unknown bits and the `MAP_HUGE_*` size bits.
 */
function mmapFlagsV(value: number, style: XlatStyle): FlagsValue {
  const type = and53(value, MAP_TYPE);
  const bits = andNot53(andNot53(value, MAP_TYPE), MAP_HUGE_BITS);
  const typeName = mmapFlags.byValue.get(type);
  const p = flagParts(mmapFlags, bits);
  const names = typeName === undefined ? p.names : [typeName, ...p.names];
  const rest = andNot53(value, MAP_TYPE) - bits + (typeName === undefined ? type : 0) +
    Number(p.rest);
  return V.flagsOf(names, rest, value, mmapFlagsText(value, style));
}

/** The mode flags or-ed into a memory policy mode (`MPOL_MODE_FLAGS`). */
const MPOL_FLAGS_MASK = 0xe000;

/** Prints a memory policy mode with its flags (`MPOL_BIND|MPOL_F_STATIC_NODES`). */
function mpolModeText(value: number, style: XlatStyle): string {
  const fl = and53(value, MPOL_FLAGS_MASK);
  const mode = andNot53(value, MPOL_FLAGS_MASK);
  if (!fl) return xval(mpolModes, mode, style, "MPOL_???");
  const name = mpolModes.byValue.get(mode);
  if (name === undefined) return flags(mpolModeFlags, value, style, "MPOL_???");
  if (style === "raw") return hex(value);
  const text = `${name}|${flags(mpolModeFlags, fl, "abbrev")}`;
  return style === "verbose" ? `${hex(value)} /* ${text} */` : text;
}

/** A memory policy mode with its flags, as a typed value: the mode's and the flags' names. */
function mpolModeV(value: number, style: XlatStyle): FlagsValue {
  const fl = and53(value, MPOL_FLAGS_MASK);
  const mode = andNot53(value, MPOL_FLAGS_MASK);
  const name = mpolModes.byValue.get(mode);
  const p = flagParts(mpolModeFlags, fl);
  const names = name === undefined ? p.names : [name, ...p.names];
  const rest = (name === undefined ? mode : 0) + Number(p.rest);
  return V.flagsOf(names, rest, value, mpolModeText(value, style));
}

/** One word of a node mask as strace's `PRINT_VAL_0X` prints it: 16 characters wide. */
function nodeWord(v: DataView): Value {
  const x = v.getBigUint64(0, true);
  return V.uint(x, x === 0n ? "0".repeat(16) : "0x" + x.toString(16).padStart(14, "0"));
}

/**
 * Prints a node mask of `maxnode` bits at `addr` as an array of words; with `noFetch` (the exit
 * of a failed call) only what needs no memory.
 */
function nodemask(
  c: SyscallCall,
  addr: number,
  maxnode: bigint,
  noFetch = false,
): ArrayValue | Unread {
  const n = (maxnode + 62n) / 64n;
  if (n < maxnode / 64n || (maxnode && !n) || n > 2n ** 32n) return V.ptr(addr);
  // strace fetches nothing at the exit of a failed call: a non-empty mask prints as its address.
  if (noFetch && addr && n) return V.ptr(addr);
  return arrayV(c, addr, Number(n), 8, nodeWord);
}

/** `addr, len` (shared by munmap, mlock, munlock). */
const addrLen: SyscallDecoder = {
  enter: (c) => [ptrV(c, 0), udecV(c, 1)],
};

/** mmap's protection bits. */
function protV(c: SyscallCall, n: number): Value {
  return V.flags(mmapProt, c.args.u(n), c.opts.xlat, "PROT_???");
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  mmap: {
    enter: (c) => [
      ptrV(c, 0),
      udecV(c, 1),
      protV(c, 2),
      mmapFlagsV(c.args.u(3), c.opts.xlat),
      fdV(c, c.args.i(4)),
      hexV(c, 5),
    ],
    result: hexResultV,
  },
  munmap: addrLen,
  mlock: addrLen,
  munlock: addrLen,
  mprotect: {
    enter: (c) => [ptrV(c, 0), udecV(c, 1), protV(c, 2)],
  },
  pkey_mprotect: {
    enter: (c) => [ptrV(c, 0), udecV(c, 1), protV(c, 2), V.int(c.args.i(3))],
  },
  mremap: {
    enter: (c) => {
      const f = c.args.u(3);
      const out: Value[] = [
        ptrV(c, 0),
        udecV(c, 1),
        udecV(c, 2),
        V.flags(mremapFlags, f, c.opts.xlat, "MREMAP_???"),
      ];
      if ((f & 3) === 3) out.push(ptrV(c, 4));
      return out;
    },
    result: hexResultV,
  },
  madvise: {
    enter: (c) => [
      ptrV(c, 0),
      udecV(c, 1),
      V.xval(madviseCmds, c.args.u(2), c.opts.xlat, "MADV_???"),
    ],
  },
  process_madvise: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      iovecArrayV(c, c.args.u(1), c.args.u(2), null, false),
      udecV(c, 2),
      V.xval(madviseCmds, c.args.ui(3), c.opts.xlat, "MADV_???"),
      V.hex(c.args.ui(4)),
    ],
  },
  process_mrelease: {
    enter: (c) => [fdV(c, c.args.i(0)), V.hex(c.args.ui(1))],
  },
  msync: {
    enter: (c) => [
      ptrV(c, 0),
      udecV(c, 1),
      V.flags(mctlSync, c.args.ui(2), c.opts.xlat, "MS_???"),
    ],
  },
  mlock2: {
    enter: (c) => [
      ptrV(c, 0),
      udecV(c, 1),
      V.flags(mlockFlags, c.args.ui(2), c.opts.xlat, "MLOCK_???"),
    ],
  },
  mlockall: {
    enter: (c) => [V.flags(mlockallFlags, c.args.ui(0), c.opts.xlat, "MCL_???")],
  },
  munlockall: { enter: () => [] },
  brk: {
    enter: (c) => [ptrV(c, 0)],
    result: hexResultV,
  },
  mincore: {
    enter: (c) => [ptrV(c, 0), udecV(c, 1)],
    exit: (c) => {
      const vec = c.args.u(2);
      if (failed(c)) return [V.ptr(vec)];
      const n = Math.ceil(c.args.u(1) / PAGE_SIZE);
      return [arrayV(c, vec, n, 1, (v) => V.uint(v.getUint8(0) & 1))];
    },
  },
  remap_file_pages: {
    enter: (c) => [
      ptrV(c, 0),
      udecV(c, 1),
      protV(c, 2),
      udecV(c, 3),
      mmapFlagsV(c.args.u(4), c.opts.xlat),
    ],
  },
  memfd_secret: {
    enter: (c) => [V.flags(memfdSecretFlags, c.args.ui(0), c.opts.xlat, "")],
    result: (c) => fdV(c, c.rval),
  },
  membarrier: {
    enter: (c) => {
      const f = c.args.ui(1);
      const out: Value[] = [
        V.xval(membarrierCmds, c.args.i(0), c.opts.xlat, "MEMBARRIER_CMD_???"),
        V.flags(membarrierFlags, f, c.opts.xlat, "MEMBARRIER_CMD_FLAG_???"),
      ];
      if (f & 1) out.push(V.int(c.args.i(2)));
      return out;
    },
    result: (c) => {
      if (c.args.i(0) !== 0 || c.rval === 0) return undefined;
      const v = c.rval;
      const { names, rest } = flagParts(membarrierCmds, v);
      return V.flagsOf(
        names,
        rest,
        v,
        `${hex(v)} (${flagsNoDefault(membarrierCmds, v, "abbrev")})`,
      );
    },
  },
  pkey_alloc: {
    enter: (c) => [hexV(c, 0), V.flags(pkeyAccess, c.args.u(1), c.opts.xlat, "PKEY_???")],
  },
  pkey_free: { enter: (c) => [V.int(c.args.i(0))] },
  mbind: {
    enter: (c) => [
      ptrV(c, 0),
      udecV(c, 1),
      mpolModeV(c.args.u(2), c.opts.xlat),
      nodemask(c, c.args.u(3), c.args.big(4)),
      udecV(c, 4),
      V.flags(mbindFlags, c.args.u(5) >>> 0, c.opts.xlat, "MPOL_???"),
    ],
  },
  set_mempolicy: {
    enter: (c) => [
      mpolModeV(c.args.u(0) >>> 0, c.opts.xlat),
      nodemask(c, c.args.u(1), c.args.big(2)),
      udecV(c, 2),
    ],
  },
  get_mempolicy: {
    exit: (c) => {
      const mode = c.args.u(0);
      let modeV: Value;
      if (!mode) modeV = V.ptr(0);
      else if (failed(c) || noDeref(c)) modeV = V.ptr(mode);
      else {
        const b = c.mem.read(mode, 4);
        modeV = b
          ? V.array([
            V.xval(
              mpolModes,
              new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true),
              c.opts.xlat,
              "MPOL_???",
            ),
          ])
          : V.unavailable(mode);
      }
      return [
        modeV,
        nodemask(c, c.args.u(1), c.args.big(2), failed(c)),
        udecV(c, 2),
        ptrV(c, 3),
        V.flags(getMempolicyFlags, c.args.u(4), c.opts.xlat, "MPOL_???"),
      ];
    },
  },
  migrate_pages: {
    enter: (c) => [
      V.int(c.args.i(0)),
      udecV(c, 1),
      nodemask(c, c.args.u(2), c.args.big(1)),
      nodemask(c, c.args.u(3), c.args.big(1)),
    ],
  },
  set_mempolicy_home_node: {
    enter: (c) => [ptrV(c, 0), udecV(c, 1), udecV(c, 2), hexV(c, 3)],
  },
};
