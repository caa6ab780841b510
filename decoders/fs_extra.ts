/**
 * Decoders for the older or rarer file syscalls, printed as strace 6.1 prints them on x86_64:
 * `getdents` (`struct linux_dirent`), `ustat` and `open_by_handle_at`. They reuse fs.ts's
 * printers and return typed values.
 * @module
 */
import type { DecoderTable } from "./api.ts";
import { fdV, noDeref, ptrV } from "./format.ts";
import { dentsExit, devV, fHandleV, openModesV } from "./fs.ts";
import { V, type Value } from "./value.ts";

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  getdents: {
    enter: (c) => [fdV(c, c.args.i(0))],
    exit: (c) => dentsExit(c, true),
  },
  ustat: {
    enter: (c) => [devV(c, BigInt(c.args.ui(0)))],
    // Debian's strace 6.1 is built without <ustat.h>: it prints the buffer's address.
    exit: (c) => [ptrV(c, 1)],
  },
  open_by_handle_at: {
    enter: (c) => {
      const a = c.args.u(1);
      let h: Value;
      const b = a && !noDeref(c) ? c.mem.read(a, 8) : null;
      if (!a) h = V.ptr(0);
      else if (!b) h = V.unavailable(a);
      else {
        const v = new DataView(b.buffer, b.byteOffset, 8);
        const bytes = v.getUint32(0, true);
        h = V.struct([
          ["handle_bytes", V.uint(bytes)],
          ["handle_type", V.int(v.getInt32(4, true))],
          ["f_handle", fHandleV(c, a, bytes)],
        ]);
      }
      return [fdV(c, c.args.i(0)), h, openModesV(c, c.args.ui(2))];
    },
  },
};
