/**
 * Decoders for common syscalls that fit no other family, printed as strace 6.1 prints them on
 * x86_64: `getrandom`, `uname`, `sysinfo`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { quoteBytes } from "./format.ts";
import { flags, hex } from "./xlat.ts";
import { getrandomFlags } from "./xlat/misc.ts";

/** The size of each field of `struct utsname`. */
const UTS_LEN = 65;

/** Prints a NUL-terminated field of `size` bytes (strace's `PRINT_FIELD_CSTRING`). */
function cstringField(c: SyscallCall, b: Uint8Array): string {
  const nul = b.indexOf(0);
  const s = nul < 0 ? b : b.subarray(0, nul);
  return '"' + quoteBytes(s, c.opts.hexStrings) + '"' + (nul < 0 ? "..." : "");
}

/** Reads `len` bytes for an output struct, or returns the text strace prints instead. */
function readOut(c: SyscallCall, addr: number, len: number): Uint8Array | string {
  if (!addr) return "NULL";
  if (c.errno) return hex(addr);
  return c.mem.read(addr, len) ?? hex(addr);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  getrandom: {
    exit: (c) => {
      const addr = c.args.u(0);
      let buf: string;
      if (c.errno) buf = addr ? hex(addr) : "NULL";
      else if (!addr) buf = "NULL";
      else {
        const len = c.rval;
        const size = Math.min(len, c.opts.strsize);
        const b = c.mem.read(addr, size);
        buf = b
          ? `"${quoteBytes(b, Math.max(2, c.opts.hexStrings))}"${len > size ? "..." : ""}`
          : hex(addr);
      }
      return `${buf}, ${c.args.u(1)}, ${
        flags(getrandomFlags, c.args.ui(2), c.opts.xlat, "GRND_???")
      }`;
    },
  },
  uname: {
    exit: (c) => {
      const b = readOut(c, c.args.u(0), UTS_LEN * 6);
      if (typeof b === "string") return b;
      const f = (i: number) => cstringField(c, b.subarray(i * UTS_LEN, (i + 1) * UTS_LEN));
      if (!c.opts.verbose) return `{sysname=${f(0)}, nodename=${f(1)}, ...}`;
      return `{sysname=${f(0)}, nodename=${f(1)}, release=${f(2)}, version=${f(3)}, machine=${
        f(4)
      }, domainname=${f(5)}}`;
    },
  },
  sysinfo: {
    exit: (c) => {
      const b = readOut(c, c.args.u(0), 112);
      if (typeof b === "string") return b;
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const u = (o: number) => v.getBigUint64(o, true).toString();
      return `{uptime=${v.getBigInt64(0, true)}, loads=[${u(8)}, ${u(16)}, ${u(24)}], totalram=${
        u(32)
      }, freeram=${u(40)}, sharedram=${u(48)}, bufferram=${u(56)}, totalswap=${u(64)}, freeswap=${
        u(72)
      }, procs=${v.getUint16(80, true)}, totalhigh=${u(88)}, freehigh=${u(96)}, mem_unit=${
        v.getUint32(104, true)
      }}`;
    },
  },
};
