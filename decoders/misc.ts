/**
 * Decoders for common syscalls that fit no other family, printed as strace 6.1 prints them on
 * x86_64: `getrandom`, `uname`, `sysinfo`.
 * @module
 */
import type { DecoderTable, SyscallCall } from "./api.ts";
import { cstrV, dirfdV, fdV, noDeref, pathV, quoteBytes } from "./format.ts";
import { V, type Value } from "./value.ts";
import { fsopenFlags, fspickFlags, getrandomFlags, openTreeFlags, uffdFlags } from "./xlat/misc.ts";

/** The size of each field of `struct utsname`. */
const UTS_LEN = 65;

/** A NUL-terminated field of `size` bytes (strace's `PRINT_FIELD_CSTRING`). */
function cstringField(c: SyscallCall, b: Uint8Array): Value {
  const nul = b.indexOf(0);
  const s = nul < 0 ? b : b.subarray(0, nul);
  return V.str(s, '"' + quoteBytes(s, c.opts.hexStrings) + '"' + (nul < 0 ? "..." : ""), nul < 0);
}

/** Reads `len` bytes for an output struct, or returns the value strace prints instead. */
function readOut(c: SyscallCall, addr: number, len: number): Uint8Array | Value {
  if (!addr) return V.ptr(0);
  if (c.errno || noDeref(c)) return V.ptr(addr);
  return c.mem.read(addr, len) ?? V.unavailable(addr);
}

/** The `-y` form of a descriptor-returning call's result (strace's `RVAL_FD`). */
function fdResult(c: SyscallCall): Value | undefined {
  return c.opts.decodeFds ? fdV(c, c.rval) : undefined;
}

/** The pid a pidfd refers to (the `Pid:` line of its fdinfo), or 0. */
function pidfdPid(c: SyscallCall, pidfd: number): number {
  try {
    const info = Deno.readTextFileSync(`/proc/${c.pid}/fdinfo/${pidfd}`);
    const m = /^Pid:\t(-?\d+)$/m.exec(info);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  getrandom: {
    exit: (c) => {
      const addr = c.args.u(0);
      let buf: Value;
      if (c.errno || !addr) buf = V.ptr(addr);
      else {
        const len = c.rval;
        const size = Math.min(len, c.opts.strsize);
        const b = c.mem.read(addr, size);
        buf = b
          ? V.str(
            b,
            `"${quoteBytes(b, Math.max(2, c.opts.hexStrings))}"${len > size ? "..." : ""}`,
            len > size,
            len > size ? len : undefined,
          )
          : V.unavailable(addr);
      }
      return [
        buf,
        V.uint(c.args.u(1)),
        V.flags(getrandomFlags, c.args.ui(2), c.opts.xlat, "GRND_???"),
      ];
    },
  },
  uname: {
    exit: (c) => {
      const b = readOut(c, c.args.u(0), UTS_LEN * 6);
      if (!(b instanceof Uint8Array)) return [b];
      const f = (i: number) => cstringField(c, b.subarray(i * UTS_LEN, (i + 1) * UTS_LEN));
      if (!c.opts.verbose) return [V.struct([["sysname", f(0)], ["nodename", f(1)]], true)];
      return [
        V.struct([
          ["sysname", f(0)],
          ["nodename", f(1)],
          ["release", f(2)],
          ["version", f(3)],
          ["machine", f(4)],
          ["domainname", f(5)],
        ]),
      ];
    },
  },
  sysinfo: {
    exit: (c) => {
      const b = readOut(c, c.args.u(0), 112);
      if (!(b instanceof Uint8Array)) return [b];
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const u = (o: number) => V.uint(v.getBigUint64(o, true));
      return [
        V.struct([
          ["uptime", V.int(v.getBigInt64(0, true))],
          ["loads", V.array([u(8), u(16), u(24)])],
          ["totalram", u(32)],
          ["freeram", u(40)],
          ["sharedram", u(48)],
          ["bufferram", u(56)],
          ["totalswap", u(64)],
          ["freeswap", u(72)],
          ["procs", V.uint(v.getUint16(80, true))],
          ["totalhigh", u(88)],
          ["freehigh", u(96)],
          ["mem_unit", V.uint(v.getUint32(104, true))],
        ]),
      ];
    },
  },
  userfaultfd: {
    enter: (c) => [V.flags(uffdFlags, c.args.u(0) >>> 0, c.opts.xlat, "UFFD_???")],
    result: fdResult,
  },
  fsopen: {
    enter: (c) => [
      cstrV(c, c.args.u(0)),
      V.flags(fsopenFlags, c.args.u(1) >>> 0, c.opts.xlat, "FSOPEN_???"),
    ],
    result: fdResult,
  },
  open_tree: {
    enter: (c) => [
      dirfdV(c, c.args.i(0)),
      pathV(c, c.args.u(1)),
      V.flags(openTreeFlags, c.args.u(2) >>> 0, c.opts.xlat, "OPEN_TREE_???"),
    ],
    result: fdResult,
  },
  fspick: {
    enter: (c) => [
      dirfdV(c, c.args.i(0)),
      pathV(c, c.args.u(1)),
      V.flags(fspickFlags, c.args.u(2) >>> 0, c.opts.xlat, "FSPICK_???"),
    ],
    result: fdResult,
  },
  pidfd_getfd: {
    enter: (c) => {
      const pidfd = c.args.i(0), target = c.args.i(1);
      // strace prints the target descriptor as the target process sees it (`-y`).
      const pid = c.opts.decodeFds ? pidfdPid(c, pidfd) : 0;
      const targetV = pid > 0
        ? fdV({ ...c, fds: procFds(pid, c) } as SyscallCall, target)
        : V.fd(target, String(target));
      return [fdV(c, pidfd), targetV, V.hex(c.args.u(2) >>> 0)];
    },
    result: fdResult,
  },
};

/** A descriptor resolver for another process (pidfd_getfd's target), through `/proc`. */
function procFds(pid: number, c: SyscallCall): SyscallCall["fds"] {
  return {
    path: (n: number) => {
      try {
        return Deno.readLinkSync(`/proc/${pid}/fd/${n}`);
      } catch {
        return undefined;
      }
    },
    socketDetail: () => undefined,
    cwd: () => c.fds.cwd(),
  };
}
