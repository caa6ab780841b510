/**
 * Decoders for the older or rarer file syscalls, printed as strace 6.1 prints them on x86_64:
 * `getdents` (`struct linux_dirent`), `ustat` and `open_by_handle_at`. They reuse fs.ts's
 * printers.
 * @module
 */
import type { DecoderTable } from "./api.ts";
import { fd, hex, noDeref, ptr } from "./format.ts";
import { dents64, devText, fHandle, openModes } from "./fs.ts";

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  getdents: {
    enter: (c) => `${fd(c, c.args.i(0))}, `,
    exit: (c) => {
      const count = c.args.ui(2);
      const body = c.errno || c.rval > count || noDeref(c)
        ? ptr(c, 1)
        : dents64(c, c.args.u(1), c.rval, true);
      return `${body}, ${count}`;
    },
  },
  ustat: {
    enter: (c) => `${devText(c, BigInt(c.args.ui(0)))}, `,
    // Debian's strace 6.1 is built without <ustat.h>: it prints the buffer's address.
    exit: (c) => ptr(c, 1),
  },
  open_by_handle_at: {
    enter: (c) => {
      const a = c.args.u(1);
      let h: string;
      const b = a && !noDeref(c) ? c.mem.read(a, 8) : null;
      if (!a) h = "NULL";
      else if (!b) h = hex(a);
      else {
        const v = new DataView(b.buffer, b.byteOffset, 8);
        const bytes = v.getUint32(0, true);
        h = `{handle_bytes=${bytes}, handle_type=${v.getInt32(4, true)}, f_handle=${
          fHandle(c, a, bytes)
        }}`;
      }
      return `${fd(c, c.args.i(0))}, ${h}, ${openModes(c, c.args.ui(2))}`;
    },
  },
};
