/**
 * userfaultfd's ioctls as strace 6.1's `uffdio_ioctl` prints them: `UFFDIO_API` (api, features
 * in and out, ioctls), `UFFDIO_REGISTER` (range, mode, ioctls out), `UFFDIO_UNREGISTER`,
 * `UFFDIO_WAKE` (a range), `UFFDIO_COPY` (copy out) and `UFFDIO_ZEROPAGE` (zeropage out).
 * The `ioctl` decoder of `decoders/fs.ts` hands requests of type 0xaa here.
 * @module
 */
import type { SyscallCall } from "./api.ts";
import { structV } from "./format.ts";
import { flags64V } from "./args_v.ts";
import { continues, decoded, pending, type StructValue, unclosed, V, type Value } from "./value.ts";
import type { Xlat } from "./xlat.ts";
import * as X from "./xlat/uffd.ts";

const UFFDIO_REGISTER = 0xc020aa00;
const UFFDIO_UNREGISTER = 0x8010aa01;
const UFFDIO_WAKE = 0x8010aa02;
const UFFDIO_COPY = 0xc028aa03;
const UFFDIO_ZEROPAGE = 0xc020aa04;
const UFFDIO_API = 0xc018aa3f;

/** The size of the struct each request points to. */
const SIZES: ReadonlyMap<number, number> = new Map([
  [UFFDIO_API, 24],
  [UFFDIO_REGISTER, 32],
  [UFFDIO_UNREGISTER, 16],
  [UFFDIO_WAKE, 16],
  [UFFDIO_COPY, 40],
  [UFFDIO_ZEROPAGE, 32],
]);

type Fields = [string, Value][];

/** What the entry printed, for the exit to complete. */
interface Entry {
  code: number;
  fields: Fields;
  features?: bigint;
}

/** A u64 field as `%#llx`. */
const x64 = (v: DataView, o: number): Value => V.hex(v.getBigUint64(o, true));

/** A u64 bit-set field. */
const fl = (c: SyscallCall, t: Xlat, v: DataView, o: number, dflt: string): Value =>
  flags64V(t, v.getBigUint64(o, true), c.opts.xlat, dflt);

/** `struct uffdio_range` at offset `o`. */
const range = (v: DataView, o: number): Value =>
  V.struct([["start", x64(v, o)], ["len", x64(v, o + 8)]]);

/** The fields the entry prints of request `code`'s struct. */
function entryFields(c: SyscallCall, code: number, v: DataView): Fields {
  switch (code) {
    case UFFDIO_API:
      return [
        ["api", x64(v, 0)],
        ["features", fl(c, X.uffdApiFeatures, v, 8, "UFFD_FEATURE_???")],
      ];
    case UFFDIO_REGISTER:
      return [
        ["range", range(v, 0)],
        ["mode", fl(c, X.uffdRegisterModeFlags, v, 16, "UFFDIO_REGISTER_MODE_???")],
      ];
    case UFFDIO_COPY:
      return [
        ["dst", x64(v, 0)],
        ["src", x64(v, 8)],
        ["len", x64(v, 16)],
        ["mode", fl(c, X.uffdCopyFlags, v, 24, "UFFDIO_COPY_???")],
      ];
    case UFFDIO_ZEROPAGE:
      return [
        ["range", range(v, 0)],
        ["mode", fl(c, X.uffdZeropageFlags, v, 16, "UFFDIO_ZEROPAGE_???")],
      ];
    default: // UFFDIO_UNREGISTER, UFFDIO_WAKE
      return [["start", x64(v, 0)], ["len", x64(v, 8)]];
  }
}

/**
 * The entry of a userfaultfd ioctl (`head` is the descriptor and the request), or `undefined`
 * when `code` is not one strace decodes. Structs the exit completes are left open.
 */
export function uffdIoctlEnter(
  c: SyscallCall,
  code: number,
  head: Value[],
): readonly Value[] | undefined {
  const size = SIZES.get(code);
  if (size === undefined) return undefined;
  const addr = c.args.u(2);
  let fields: Fields | undefined;
  let features: bigint | undefined;
  const arg = structV(c, addr, size, (v) => {
    fields = entryFields(c, code, v);
    if (code === UFFDIO_API) features = v.getBigUint64(8, true);
    return V.struct(fields);
  });
  if (!fields || code === UFFDIO_UNREGISTER || code === UFFDIO_WAKE) {
    return decoded([...head, arg]);
  }
  const entry: Entry = { code, fields, features };
  c.state.uffd = entry;
  return pending([...head, unclosed(arg as StructValue)]);
}

/** The exit of a userfaultfd ioctl whose entry left its struct open, or `undefined`. */
export function uffdIoctlExit(c: SyscallCall): readonly Value[] | undefined {
  const e = c.state.uffd as Entry | undefined;
  if (!e) return undefined;
  const printed = unclosed(V.struct(e.fields));
  const size = SIZES.get(e.code) ?? 0;
  const bytes = c.errno ? null : c.mem.read(c.args.u(2), size);
  if (!bytes) return continues([V.struct(e.fields)], printed);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Fields = [...e.fields];
  switch (e.code) {
    case UFFDIO_API: {
      const after = fl(c, X.uffdApiFeatures, v, 8, "UFFD_FEATURE_???");
      if (v.getBigUint64(8, true) !== e.features) {
        const before = out[1][1];
        out[1] = ["features", {
          ...V.change(before, after),
          text: `${before.text} => features=${after.text}`,
        }];
      }
      out.push(["ioctls", fl(c, X.uffdApiFlags, v, 16, "_UFFDIO_???")]);
      break;
    }
    case UFFDIO_REGISTER:
      out.push(["ioctls", fl(c, X.uffdRegisterIoctlFlags, v, 24, "UFFDIO_???")]);
      break;
    case UFFDIO_COPY:
      out.push(["copy", x64(v, 32)]);
      break;
    case UFFDIO_ZEROPAGE:
      out.push(["zeropage", x64(v, 24)]);
      break;
  }
  return continues([V.struct(out)], printed);
}
