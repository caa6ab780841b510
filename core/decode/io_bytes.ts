/**
 * Which bytes a successful syscall moved through a descriptor: the data `-e read=`/`-e write=`
 * dump and the protocol sniffers parse. Handles plain buffers, iovec arrays and msghdr.
 * @module
 */

import type { SyscallCall } from "../../decoders/api.ts";
import { u64At } from "../../decoders/u64.ts";

/** Bytes moved by one syscall. */
export interface Transfer {
  /** The descriptor. */
  fd: number;
  /** `in` for reads, `out` for writes. */
  dir: "in" | "out";
  /** The data, one chunk per buffer (iovec), in order. */
  chunks: Uint8Array[];
}

/** Cap on bytes read out of the tracee per syscall (protects the tracer on huge transfers). */
export const MAX_TRANSFER = 1 << 20;

type Kind = "buf" | "iov" | "msg";

/** Syscalls that move data: direction and how the data is laid out. */
const IO: Record<string, [dir: "in" | "out", kind: Kind]> = {
  read: ["in", "buf"],
  pread64: ["in", "buf"],
  recvfrom: ["in", "buf"],
  recv: ["in", "buf"],
  readv: ["in", "iov"],
  preadv: ["in", "iov"],
  preadv2: ["in", "iov"],
  recvmsg: ["in", "msg"],
  write: ["out", "buf"],
  pwrite64: ["out", "buf"],
  sendto: ["out", "buf"],
  send: ["out", "buf"],
  writev: ["out", "iov"],
  pwritev: ["out", "iov"],
  pwritev2: ["out", "iov"],
  sendmsg: ["out", "msg"],
};

/** Reads an iovec array (`count` entries at `addr`) up to `limit` bytes. */
function readIov(c: SyscallCall, addr: number, count: number, limit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (!addr || count <= 0) return out;
  const n = Math.min(count, 1024);
  const raw = c.mem.read(addr, n * 16);
  if (!raw) return out;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let left = limit;
  for (let i = 0; i < n && left > 0; i++) {
    const base = u64At(v, i * 16);
    const len = u64At(v, i * 16 + 8);
    const take = Math.min(len, left);
    if (take <= 0) continue;
    const bytes = c.mem.readPartial(base, take);
    out.push(bytes);
    left -= take;
    if (bytes.length < take) break;
  }
  return out;
}

/**
 * The bytes a successful syscall moved, or undefined for other syscalls and failures.
 * For writes the kernel's return value says how much was taken; for reads how much arrived.
 */
export function transfer(c: SyscallCall, max = MAX_TRANSFER): Transfer | undefined {
  const spec = IO[c.name];
  if (!spec || c.errno !== 0 || c.rval <= 0) return undefined;
  const [dir, kind] = spec;
  const fd = c.args.i(0);
  const n = Math.min(c.rval, max);
  let chunks: Uint8Array[];
  if (kind === "buf") {
    const b = c.mem.readPartial(c.args.u(1), n);
    chunks = b.length ? [b] : [];
  } else if (kind === "iov") {
    chunks = readIov(c, c.args.u(1), c.args.i(2), n);
  } else {
    const hdr = c.mem.read(c.args.u(1), 56);
    if (!hdr) return undefined;
    const v = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
    const iov = u64At(v, 16);
    const iovlen = v.getUint32(24, true);
    chunks = readIov(c, iov, iovlen, n);
  }
  return { fd, dir, chunks };
}

const HEXD = "0123456789abcdef";

/** strace's hex dump of `-e read=`/`-e write=`: ` | 00000  48 65 …  Hello… |` lines. */
export function hexDump(bytes: Uint8Array): string {
  let out = "";
  for (let off = 0; off < bytes.length; off += 16) {
    let hex = "";
    let asc = "";
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += " ";
      const k = off + i;
      if (k < bytes.length) {
        const b = bytes[k];
        hex += HEXD[b >> 4] + HEXD[b & 15] + " ";
        asc += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : ".";
      } else {
        hex += "   ";
        asc += " ";
      }
    }
    out += ` | ${off.toString(16).padStart(5, "0")}  ${hex} ${asc} |\n`;
  }
  return out;
}

/** A `-e read=`/`-e write=` dump: the buffers strace prints, each after its header lines. */
export interface Dump extends Transfer {
  /** strace's header lines before each chunk (` * 5 bytes in buffer 0\n`), or `""`. */
  labels: string[];
}

/** How strace's `dumpio` finds the data of each syscall it dumps. */
const DUMP: Record<string, [dir: "in" | "out", kind: Kind | "mmsg"]> = {
  ...IO,
  vmsplice: ["out", "iov"],
  sendmmsg: ["out", "mmsg"],
  recvmmsg: ["in", "mmsg"],
};

/**
 * strace's `dumpiov_upto`: each buffer of the iovec array, cut to what is left of `size` bytes
 * (unlimited for writes), with its ` * N bytes in buffer I` header; stops at the first empty one.
 */
function dumpIov(c: SyscallCall, d: Dump, addr: number, count: number, size: bigint): void {
  if (count <= 0) return;
  const n = Math.min(count, 1024);
  const raw = c.mem.read(addr, n * 16);
  if (!raw) return;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < n; i++) {
    const iovLen = v.getBigUint64(i * 16 + 8, true);
    const len = iovLen < size ? iovLen : size;
    if (len <= 0n) break;
    size -= len;
    d.labels.push(` * ${len} bytes in buffer ${i}\n`);
    const take = len < BigInt(MAX_TRANSFER) ? Number(len) : MAX_TRANSFER;
    d.chunks.push(c.mem.readPartial(u64At(v, i * 16), take));
  }
}

/** A `msg_iovlen` as strace's `dumpiov_upto` takes it: an `int` (a negative count dumps nothing). */
function iovCount(n: bigint): number {
  return Number(BigInt.asIntN(32, n));
}

/**
 * What `-e read=`/`-e write=` dump after a successful syscall, as strace 6.1's `dumpio` does:
 * plain buffers without a header; iovec arrays (`readv`, `writev`, `sendmsg`, `recvmsg`,
 * `vmsplice`) buffer by buffer with ` * N bytes in buffer I` (writes whole, reads up to the
 * return value); `sendmmsg`/`recvmmsg` message by message with ` = N buffers in vector I`,
 * each up to its `msg_len`. Undefined for other syscalls and failures.
 */
export function dumpTransfer(c: SyscallCall): Dump | undefined {
  const spec = DUMP[c.name];
  if (!spec || c.errno !== 0) return undefined;
  const [dir, kind] = spec;
  const d: Dump = { fd: c.args.i(0), dir, chunks: [], labels: [] };
  // Writes dump each buffer whole (strace's size is -1), reads what arrived.
  const size = dir === "out" ? 0xffffffffffffffffn : BigInt(Math.max(c.rval, 0));
  if (kind === "buf") {
    // strace's dumpstr: a write's whole buffer (its count argument), what a read got.
    const len = dir === "out" ? c.args.u(2) : Math.max(c.rval, 0);
    const bytes = len > 0 ? c.mem.readPartial(c.args.u(1), Math.min(len, MAX_TRANSFER)) : null;
    if (bytes?.length) d.chunks.push(bytes), d.labels.push("");
  } else if (kind === "iov") {
    dumpIov(c, d, c.args.u(1), c.args.i(2), size);
  } else if (kind === "msg") {
    const hdr = c.mem.read(c.args.u(1), 56);
    if (!hdr) return d;
    const v = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
    dumpIov(c, d, u64At(v, 16), iovCount(v.getBigUint64(24, true)), size);
  } else {
    // struct mmsghdr: a msghdr (56 bytes), then msg_len (u32), padded to 64.
    const count = Math.min(Math.max(c.rval, 0), 1024);
    let addr = c.args.u(1);
    for (let i = 0; i < count; i++, addr += 64) {
      const m = c.mem.read(addr, 64);
      if (!m) break;
      const v = new DataView(m.buffer, m.byteOffset, m.byteLength);
      const iovlen = v.getBigUint64(24, true);
      d.labels.push(` = ${iovlen} buffers in vector ${i}\n`);
      d.chunks.push(new Uint8Array(0));
      dumpIov(c, d, u64At(v, 16), iovCount(iovlen), BigInt(v.getUint32(56, true)));
    }
  }
  return d;
}
