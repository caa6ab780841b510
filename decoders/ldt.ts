/**
 * Decoders for x86 segment descriptors, printed as strace 6.1 prints them on x86_64:
 * `modify_ldt`, `set_thread_area` and `get_thread_area` (`struct user_desc`).
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { hex, noDeref, ptr } from "./format.ts";
import { errorResult } from "./errno.ts";

const USER_DESC_SIZE = 16;

/** `%#08x`, as strace's `PRINT_FIELD_0X` prints a 32-bit field. */
function x08(v: number): string {
  if (v === 0) return "00000000";
  const h = v.toString(16);
  return "0x" + h.padStart(6, "0");
}

/** An `entry_number` (`PRINT_FIELD_ID`): `-1` or unsigned decimal. */
function id(v: number): string {
  return v === 0xffffffff ? "-1" : String(v);
}

/** The fields of `struct user_desc` after `entry_number`. */
function descRest(v: DataView): string {
  const base = v.getUint32(4, true), limit = v.getUint32(8, true), bits = v.getUint32(12, true);
  return `, base_addr=${x08(base)}, limit=${x08(limit)}, seg_32bit=${bits & 1}, contents=${
    (bits >> 1) & 3
  }, read_exec_only=${(bits >> 3) & 1}, limit_in_pages=${(bits >> 4) & 1}, seg_not_present=${
    (bits >> 5) & 1
  }, useable=${(bits >> 6) & 1}, lm=${(bits >> 7) & 1}}`;
}

/** Reads `len` bytes, or null (also when `-e verbose=` excludes the call). */
function read(c: SyscallCall, addr: number, len: number): DataView | null {
  if (!addr || noDeref(c)) return null;
  const b = c.mem.read(addr, len);
  return b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
}

/** A whole `struct user_desc` (strace's `USER_DESC_BOTH`). */
function userDesc(c: SyscallCall, addr: number): string {
  const v = read(c, addr, USER_DESC_SIZE);
  if (!v) return addr ? hex(addr) : "NULL";
  return `{entry_number=${id(v.getUint32(0, true))}${descRest(v)}`;
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  modify_ldt: {
    enter: (c) => {
      const count = BigInt.asUintN(64, c.args.big(2));
      const desc = count === BigInt(USER_DESC_SIZE) ? userDesc(c, c.args.u(1)) : ptr(c, 1);
      return `${c.args.i(0)}, ${desc}, ${count}`;
    },
    // The kernel returns an `int`, so an error comes back as a large positive value: strace
    // prints it with the error's name.
    result: (c) => {
      const r = BigInt.asUintN(64, c.rvalBig);
      if (r < 0xfffff000n || r > 0xffffffffn) return undefined;
      const e = Number(0x100000000n - r);
      return `${r} ${errorResult(e).slice(3)}`;
    },
  },
  set_thread_area: {
    enter: (c) => userDesc(c, c.args.u(0)),
    result: (c) => {
      const v = read(c, c.args.u(0), USER_DESC_SIZE);
      return v ? `${c.rval} (entry_number=${v.getUint32(0, true)})` : undefined;
    },
  },
  get_thread_area: {
    enter: (c) => {
      const addr = c.args.u(0);
      const v = read(c, addr, 4);
      c.state.entry = v ? v.getUint32(0, true) : undefined;
      return v ? `{entry_number=${id(v.getUint32(0, true))}` : addr ? hex(addr) : "NULL";
    },
    exit: (c) => {
      const addr = c.args.u(0);
      const entry = c.state.entry as number | undefined;
      if (!addr || noDeref(c)) return "";
      const v = c.errno ? null : read(c, addr, USER_DESC_SIZE);
      if (!v) return entry !== undefined ? ", ...}" : "";
      let s = "";
      if (entry === undefined) s = ` => {entry_number=${id(v.getUint32(0, true))}`;
      else if (entry !== v.getUint32(0, true)) s = ` => ${id(v.getUint32(0, true))}`;
      return s + descRest(v);
    },
  },
};
