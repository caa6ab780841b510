/**
 * Decoders for x86 segment descriptors, printed as strace 6.1 prints them on x86_64:
 * `modify_ldt`, `set_thread_area` and `get_thread_area` (`struct user_desc`).
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { noDeref, ptrV } from "./format.ts";
import { continues, pending, unclosed, V, type Value } from "./value.ts";
import { errorResult } from "./errno.ts";

const USER_DESC_SIZE = 16;

/** `%#08x`, as strace's `PRINT_FIELD_0X` prints a 32-bit field. */
function x08(v: number): Value {
  return V.uint(v, v === 0 ? "00000000" : "0x" + v.toString(16).padStart(6, "0"));
}

/** An `entry_number` (`PRINT_FIELD_ID`): `-1` or unsigned decimal. */
function id(v: number): Value {
  return v === 0xffffffff ? V.int(-1) : V.uint(v);
}

/** The fields of `struct user_desc` after `entry_number`. */
function descRest(v: DataView): [string, Value][] {
  const base = v.getUint32(4, true), limit = v.getUint32(8, true), bits = v.getUint32(12, true);
  return [
    ["base_addr", x08(base)],
    ["limit", x08(limit)],
    ["seg_32bit", V.uint(bits & 1)],
    ["contents", V.uint((bits >> 1) & 3)],
    ["read_exec_only", V.uint((bits >> 3) & 1)],
    ["limit_in_pages", V.uint((bits >> 4) & 1)],
    ["seg_not_present", V.uint((bits >> 5) & 1)],
    ["useable", V.uint((bits >> 6) & 1)],
    ["lm", V.uint((bits >> 7) & 1)],
  ];
}

/** Reads `len` bytes, or null (also when `-e verbose=` excludes the call). */
function read(c: SyscallCall, addr: number, len: number): DataView | null {
  if (!addr || noDeref(c)) return null;
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
}

/** A whole `struct user_desc` from its bytes. */
function userDescValue(v: DataView, entry: Value = id(v.getUint32(0, true))): Value {
  return V.struct([["entry_number", entry], ...descRest(v)]);
}

/** A whole `struct user_desc` (strace's `USER_DESC_BOTH`). */
function userDesc(c: SyscallCall, addr: number): Value {
  const v = read(c, addr, USER_DESC_SIZE);
  if (!v) return addr ? V.unavailable(addr) : V.ptr(0);
  return userDescValue(v);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  modify_ldt: {
    enter: (c) => {
      const count = BigInt.asUintN(64, c.args.big(2));
      const desc = count === BigInt(USER_DESC_SIZE) ? userDesc(c, c.args.u(1)) : ptrV(c, 1);
      return [V.int(c.args.i(0)), desc, V.uint(count)];
    },
    // The kernel returns an `int`, so an error comes back as a large positive value: strace
    // prints it with the error's name.
    result: (c) => {
      const r = BigInt.asUintN(64, c.rvalBig);
      if (r < 0xfffff000n || r > 0xffffffffn) return undefined;
      const e = Number(0x100000000n - r);
      return V.uint(r, `${r} ${errorResult(e).slice(3)}`);
    },
  },
  set_thread_area: {
    enter: (c) => [userDesc(c, c.args.u(0))],
    result: (c) => {
      const v = read(c, c.args.u(0), USER_DESC_SIZE);
      return v ? V.int(c.rval, `${c.rval} (entry_number=${v.getUint32(0, true)})`) : undefined;
    },
  },
  // The entry prints `{entry_number=-1` (or the address), the exit the rest of the struct, with
  // `entry_number=-1 => 12` when the kernel changed it.
  get_thread_area: {
    enter: (c) => {
      const addr = c.args.u(0);
      const v = read(c, addr, 4);
      const entry = v ? v.getUint32(0, true) : undefined;
      c.state.entry = entry;
      return pending([atEntry(c, entry)]);
    },
    exit: (c) => continues([threadAreaExit(c)], atEntry(c, c.state.entry as number | undefined)),
  },
};

/** What `get_thread_area`'s entry prints: `{entry_number=N` (left open), or the address. */
function atEntry(c: SyscallCall, entry: number | undefined): Value {
  const addr = c.args.u(0);
  if (entry !== undefined) return unclosed(V.struct([["entry_number", id(entry)]]));
  return addr && !noDeref(c) ? V.unavailable(addr) : ptrV(c, 0);
}

/** `get_thread_area`'s whole argument at exit (its text starts with {@linkcode atEntry}'s). */
function threadAreaExit(c: SyscallCall): Value {
  const addr = c.args.u(0);
  const entry = c.state.entry as number | undefined;
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  const v = c.errno ? null : read(c, addr, USER_DESC_SIZE);
  if (!v) {
    return entry !== undefined ? V.struct([["entry_number", id(entry)]], true) : V.ptr(addr);
  }
  const now = v.getUint32(0, true);
  if (entry === undefined) return V.change(V.unavailable(addr), userDescValue(v));
  return userDescValue(v, entry !== now ? V.change(id(entry), id(now)) : id(now));
}
