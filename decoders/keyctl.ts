/**
 * The `keyctl(2)` decoder, printed as strace 6.1 prints it on x86_64: every command's arguments
 * (serials as `KEY_SPEC_*`, permissions, payloads, search and read buffers, reject errors), except
 * the `KEYCTL_DH_COMPUTE`, `KEYCTL_PKEY_*` and `KEYCTL_CAPABILITIES` structures, which print their
 * arguments in hex.
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import { cstr, ptr, strn } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import { iovec, strOmitTrailing0 } from "./fs.ts";
import { errnoName } from "./errno.ts";
import * as X from "./xlat/admin.ts";

/** `KEY_SPEC_…` or the decimal serial. */
function serial(v: number, style: XlatStyle): string {
  return xval(X.keySpec, v | 0, style, undefined, "dec");
}

/** A uid or gid (`printuid`): `-1` or unsigned decimal. */
function uid(v: number): string {
  return v >>> 0 === 0xffffffff ? "-1" : String(v >>> 0);
}

/** strace's `print_err(err, false)`: `EKEYREJECTED`, `129 /* EKEYREJECTED *\/` or the number. */
function errText(v: number, style: XlatStyle): string {
  const name = errnoName(v);
  if (!name || style === "raw") return String(v);
  return style === "verbose" ? `${v} /* ${name} */` : name;
}

const C = Object.fromEntries(X.keyctlCommands.entries) as Record<string, number>;

/** The arguments after the command, at entry; `null` for commands finished at exit. */
function enterArgs(c: SyscallCall, cmd: number): string | null {
  const st = c.opts.xlat;
  const s = (n: number) => serial(c.args.i(n), st);
  switch (cmd) {
    case C.KEYCTL_GET_KEYRING_ID:
      return `${s(1)}, ${c.args.i(2)}`;
    case C.KEYCTL_JOIN_SESSION_KEYRING:
      return cstr(c, c.args.u(1));
    case C.KEYCTL_UPDATE:
      return `${s(1)}, ${strn(c, c.args.u(2), c.args.u(3))}, ${c.args.u(3)}`;
    case C.KEYCTL_REVOKE:
    case C.KEYCTL_CLEAR:
    case C.KEYCTL_INVALIDATE:
    case C.KEYCTL_ASSUME_AUTHORITY:
      return s(1);
    case C.KEYCTL_LINK:
    case C.KEYCTL_UNLINK:
      return `${s(1)}, ${s(2)}`;
    case C.KEYCTL_DESCRIBE:
    case C.KEYCTL_READ:
    case C.KEYCTL_GET_SECURITY:
      return null;
    case C.KEYCTL_SEARCH:
      return `${s(1)}, ${cstr(c, c.args.u(2))}, ${cstr(c, c.args.u(3))}, ${s(4)}`;
    case C.KEYCTL_CHOWN:
      return `${s(1)}, ${uid(c.args.ui(2))}, ${uid(c.args.ui(3))}`;
    case C.KEYCTL_SETPERM:
      return `${s(1)}, ${flags(X.keyPerms, c.args.ui(2), st, "KEY_???")}`;
    case C.KEYCTL_INSTANTIATE:
      return `${s(1)}, ${strn(c, c.args.u(2), c.args.u(3))}, ${c.args.u(3)}, ${s(4)}`;
    case C.KEYCTL_NEGATE:
      return `${s(1)}, ${c.args.ui(2)}, ${s(3)}`;
    case C.KEYCTL_SET_REQKEY_KEYRING:
      return xval(X.keyReqkeys, c.args.i(1), st, "KEY_REQKEY_DEFL_???", "dec");
    case C.KEYCTL_SET_TIMEOUT:
      return `${s(1)}, ${c.args.ui(2)}`;
    case C.KEYCTL_SESSION_TO_PARENT:
      return "";
    case C.KEYCTL_REJECT:
      return `${s(1)}, ${c.args.ui(2)}, ${errText(c.args.ui(3), st)}, ${s(4)}`;
    case C.KEYCTL_INSTANTIATE_IOV: {
      const n = BigInt.asUintN(64, c.args.big(3));
      return `${s(1)}, ${iovec(c, c.args.u(2), n, null, true)}, ${n}, ${s(4)}`;
    }
    case C.KEYCTL_GET_PERSISTENT:
      return `${uid(c.args.ui(1))}, ${s(2)}`;
    case C.KEYCTL_RESTRICT_KEYRING:
      return `${s(1)}, ${cstr(c, c.args.u(2))}, ${cstr(c, c.args.u(3))}`;
    case C.KEYCTL_MOVE:
      return `${s(1)}, ${s(2)}, ${s(3)}, ${
        flags(X.keyctlMoveFlags, c.args.ui(4), st, "KEYCTL_MOVE_???")
      }`;
    default:
      return `${c.args.hex(1)}, ${c.args.hex(2)}, ${c.args.hex(3)}, ${c.args.hex(4)}`;
  }
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  keyctl: {
    enter: (c) => {
      const cmd = c.args.i(0);
      const head = xval(X.keyctlCommands, cmd, c.opts.xlat, "KEYCTL_???");
      const rest = enterArgs(c, cmd);
      if (rest === null) return `${head}, ${serial(c.args.i(1), c.opts.xlat)}, `;
      return cmd === C.KEYCTL_SESSION_TO_PARENT ? head : `${head}, ${rest}`;
    },
    exit: (c) => {
      const cmd = c.args.i(0);
      if (cmd !== C.KEYCTL_DESCRIBE && cmd !== C.KEYCTL_READ && cmd !== C.KEYCTL_GET_SECURITY) {
        return "";
      }
      const addr = c.args.u(2), len = c.args.u(3);
      let buf: string;
      if (c.errno) buf = ptr(c, 2);
      else {
        const n = c.rval >= 0 && c.rval > len ? len : c.rval;
        buf = cmd === C.KEYCTL_READ ? strn(c, addr, n) : strOmitTrailing0(c, addr, n);
      }
      return `${buf}, ${BigInt.asUintN(64, c.args.big(3))}`;
    },
  },
};
