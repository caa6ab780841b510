/**
 * The `keyctl(2)` decoder, printed as strace 6.1 prints it on x86_64: every command's arguments
 * (serials as `KEY_SPEC_*`, permissions, payloads, search and read buffers, reject errors), except
 * the `KEYCTL_DH_COMPUTE`, `KEYCTL_PKEY_*` and `KEYCTL_CAPABILITIES` structures, which print their
 * arguments in hex.
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import { cstrV, iovecArrayV, ptrV, strnV, type Unread } from "./format.ts";
import { decoded, type EnumValue, type StrValue, V, type Value } from "./value.ts";
import { strOmitTrailing0 } from "./fs.ts";
import { errnoName } from "./errno.ts";
import * as X from "./xlat/admin.ts";

/** `KEY_SPEC_…` or the decimal serial. */
function serial(v: number, style: XlatStyle): EnumValue {
  return V.xval(X.keySpec, v | 0, style, undefined, "dec");
}

/** A uid or gid (`printuid`): `-1` or unsigned decimal. */
function uid(v: number): Value {
  return v >>> 0 === 0xffffffff ? V.int(-1) : V.uint(v >>> 0);
}

/** strace's `print_err(err, false)`: `EKEYREJECTED`, `129 /* EKEYREJECTED *\/` or the number. */
function errV(v: number, style: XlatStyle): Value {
  const name = errnoName(v);
  if (!name) return V.uint(v);
  const text = style === "raw" ? String(v) : style === "verbose" ? `${v} /* ${name} */` : name;
  return V.named(name, v, text);
}

/**
 * A description of `len` bytes at `addr` without its trailing NUL (strace's
 * `printstr_ex(QUOTE_OMIT_TRAILING_0)`); the text is `fs.ts`'s.
 */
function strOmitTrailing0V(c: SyscallCall, addr: number, len: number): StrValue | Unread {
  if (!addr) return V.ptr(0);
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(addr, size);
  if (!b) return V.unavailable(addr);
  const text = strOmitTrailing0(c, addr, len);
  const cut = text.endsWith("...");
  return V.str(b.length && b[b.length - 1] === 0 && !cut ? b.subarray(0, -1) : b, text, cut);
}

const C = Object.fromEntries(X.keyctlCommands.entries) as Record<string, number>;

/** The arguments after the command, at entry; `null` for commands finished at exit. */
function enterArgs(c: SyscallCall, cmd: number): Value[] | null {
  const st = c.opts.xlat;
  const s = (n: number) => serial(c.args.i(n), st);
  const int = (n: number) => V.int(c.args.i(n));
  const uint = (n: number) => V.uint(c.args.ui(n));
  const cstr = (n: number) => cstrV(c, c.args.u(n));
  switch (cmd) {
    case C.KEYCTL_GET_KEYRING_ID:
      return [s(1), int(2)];
    case C.KEYCTL_JOIN_SESSION_KEYRING:
      return [cstr(1)];
    case C.KEYCTL_UPDATE:
      return [s(1), strnV(c, c.args.u(2), c.args.u(3)), V.uint(c.args.u(3))];
    case C.KEYCTL_REVOKE:
    case C.KEYCTL_CLEAR:
    case C.KEYCTL_INVALIDATE:
    case C.KEYCTL_ASSUME_AUTHORITY:
      return [s(1)];
    case C.KEYCTL_LINK:
    case C.KEYCTL_UNLINK:
      return [s(1), s(2)];
    case C.KEYCTL_DESCRIBE:
    case C.KEYCTL_READ:
    case C.KEYCTL_GET_SECURITY:
      return null;
    case C.KEYCTL_SEARCH:
      return [s(1), cstr(2), cstr(3), s(4)];
    case C.KEYCTL_CHOWN:
      return [s(1), uid(c.args.ui(2)), uid(c.args.ui(3))];
    case C.KEYCTL_SETPERM:
      return [s(1), V.flags(X.keyPerms, c.args.ui(2), st, "KEY_???")];
    case C.KEYCTL_INSTANTIATE:
      return [s(1), strnV(c, c.args.u(2), c.args.u(3)), V.uint(c.args.u(3)), s(4)];
    case C.KEYCTL_NEGATE:
      return [s(1), uint(2), s(3)];
    case C.KEYCTL_SET_REQKEY_KEYRING:
      return [V.xval(X.keyReqkeys, c.args.i(1), st, "KEY_REQKEY_DEFL_???", "dec")];
    case C.KEYCTL_SET_TIMEOUT:
      return [s(1), uint(2)];
    case C.KEYCTL_SESSION_TO_PARENT:
      return [];
    case C.KEYCTL_REJECT:
      return [s(1), uint(2), errV(c.args.ui(3), st), s(4)];
    case C.KEYCTL_INSTANTIATE_IOV: {
      const n = BigInt.asUintN(64, c.args.big(3));
      return [s(1), iovecArrayV(c, c.args.u(2), n, null, true), V.uint(n), s(4)];
    }
    case C.KEYCTL_GET_PERSISTENT:
      return [uid(c.args.ui(1)), s(2)];
    case C.KEYCTL_RESTRICT_KEYRING:
      return [s(1), cstr(2), cstr(3)];
    case C.KEYCTL_MOVE:
      return [
        s(1),
        s(2),
        s(3),
        V.flags(X.keyctlMoveFlags, c.args.ui(4), st, "KEYCTL_MOVE_???"),
      ];
    default:
      return [1, 2, 3, 4].map((n) => V.hex(c.args.big(n)));
  }
}

/** The commands whose output buffer is printed at exit. */
function bufferAtExit(cmd: number): boolean {
  return cmd === C.KEYCTL_DESCRIBE || cmd === C.KEYCTL_READ || cmd === C.KEYCTL_GET_SECURITY;
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  keyctl: {
    enter: (c) => {
      const cmd = c.args.i(0);
      const head = V.xval(X.keyctlCommands, cmd, c.opts.xlat, "KEYCTL_???");
      const rest = enterArgs(c, cmd);
      if (rest === null) return [head, serial(c.args.i(1), c.opts.xlat)];
      return decoded([head, ...rest]);
    },
    exit: (c) => {
      const cmd = c.args.i(0);
      if (!bufferAtExit(cmd)) return [];
      const addr = c.args.u(2), len = c.args.u(3);
      let buf: Value;
      if (c.errno) buf = ptrV(c, 2);
      else {
        const n = c.rval >= 0 && c.rval > len ? len : c.rval;
        buf = cmd === C.KEYCTL_READ ? strnV(c, addr, n) : strOmitTrailing0V(c, addr, n);
      }
      return [buf, V.uint(BigInt.asUintN(64, c.args.big(3)))];
    },
  },
};
