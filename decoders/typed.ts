/**
 * Syscalls without a decoder of their own, printed from data: the C type of each argument as
 * strace's decoder prints it, so an `int` is truncated to 32 bits as the kernel does
 * (`sched_getattr(0, 0x300000000, 4294967295, 0)`), lengths are exact unsigned decimals and
 * pointers are `NULL` or hex. Without an entry a syscall prints every argument as `%#lx`.
 *
 * Type letters: `d` int, `u` unsigned int, `D` long, `U` unsigned long, `x` `%#lx`, `p` pointer,
 * `f` descriptor (`-y` aware), `P` path, `N` a buffer whose length is the next argument, `H` the
 * same for a host name (an address when longer than 64),
 * `v` an iovec array with data (count in the next argument), `a` an iovec array of addresses,
 * `F` flags from the syscall's table in `FLAGS`.
 *
 * @module
 */

import type { DecoderTable, SyscallCall, SyscallDecoder } from "./api.ts";
import { fdV, iovecArrayV, pathV, ptrV, strnV } from "./format.ts";
import { V, type Value } from "./value.ts";
import { sdecHalves, udecHalves } from "./u64.ts";
import { type Xlat, xlat } from "./xlat.ts";

/** The flag set printed by the `F` letter, by syscall name. */
const FLAGS: Readonly<Record<string, readonly [Xlat, string]>> = {
  perf_event_open: [
    xlat([
      ["PERF_FLAG_FD_NO_GROUP", 1],
      ["PERF_FLAG_FD_OUTPUT", 2],
      ["PERF_FLAG_PID_CGROUP", 4],
      ["PERF_FLAG_FD_CLOEXEC", 8],
    ]),
    "PERF_FLAG_???",
  ],
};

/** Argument types by syscall name, one letter per argument (see the module doc). */
export const ARG_TYPES: Readonly<Record<string, string>> = {
  sethostname: "HU",
  setdomainname: "HU",
  readahead: "fDU",
  io_setup: "up",
  io_destroy: "p",
  io_submit: "pDp",
  io_cancel: "ppp",
  io_getevents: "pDDpp",
  sched_getattr: "dpuu",
  sched_setattr: "dpu",
  perf_event_open: "pdddF",
  process_vm_readv: "dpUaUU",
  process_vm_writev: "dvUaUU",
  vmsplice: "fvUu",
  chroot: "P",
  acct: "P",
  swapoff: "P",
  pivot_root: "PP",
  iopl: "d",
  ioperm: "UUd",
  setns: "fd",
  unshare: "x",
  ioprio_get: "dd",
  ioprio_set: "ddd",
  sync_file_range: "fDDu",
  move_pages: "dUpppd",
  kcmp: "dddUU",
  io_uring_setup: "up",
  io_uring_enter: "fuuupU",
  io_uring_register: "fupu",
  finit_module: "fxd",
  delete_module: "xu",
  init_module: "pUx",
};

function arg(c: SyscallCall, t: string, n: number): Value {
  const a = c.args;
  switch (t) {
    case "d":
      return V.int(a.i(n));
    case "u":
      return V.uint(a.ui(n));
    case "D":
      return V.int(BigInt.asIntN(64, a.big(n)), sdecHalves(a.lo(n), a.hi(n)));
    case "U":
      return V.uint(BigInt.asUintN(64, a.big(n)), udecHalves(a.lo(n), a.hi(n)));
    case "p":
      return ptrV(c, n);
    case "f":
      return fdV(c, a.i(n));
    case "P":
      return pathV(c, a.u(n));
    case "N":
      return strnV(c, a.u(n), a.u(n + 1));
    case "H": // a host or domain name: only its address when longer than __NEW_UTS_LEN
      return a.ui(n + 1) > 64 ? ptrV(c, n) : strnV(c, a.u(n), a.ui(n + 1));
    case "v":
      return iovecArrayV(c, a.u(n), a.u(n + 1), null, true);
    case "a":
      return iovecArrayV(c, a.u(n), a.u(n + 1), null, false);
    case "F": {
      const f = FLAGS[c.name];
      return f ? V.flags(f[0], a.u(n), c.opts.xlat, f[1]) : V.hex(a.big(n));
    }
    default:
      return V.hex(a.big(n));
  }
}

/** A decoder printing every argument by its type letter, at entry. */
export function typedDecoder(types: string): SyscallDecoder {
  return {
    enter: (c) => {
      const parts: Value[] = [];
      for (let i = 0; i < types.length; i++) parts.push(arg(c, types[i], i));
      return parts;
    },
  };
}

/** The decoders made from {@linkcode ARG_TYPES}. */
export const decoders: DecoderTable = Object.fromEntries(
  Object.entries(ARG_TYPES).map(([name, types]) => [name, typedDecoder(types)]),
);
