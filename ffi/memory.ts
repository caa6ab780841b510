/**
 * Reads tracee memory with `process_vm_readv`, falling back to `PTRACE_PEEKDATA` where the
 * kernel refuses it. One scratch buffer is reused; callers get copies.
 * @module
 */

import type { CString, MemoryReader } from "../decoders/api.ts";
import { errno, libc, setErrno } from "./libc.ts";
import { E, PTRACE } from "./constants.ts";

const PAGE = 4096;
let scratch = new Uint8Array(65536);
let scratchAddr = 0;
const localIov = new Uint32Array(4);
const remoteIov = new Uint32Array(4);
const localIovBytes = new Uint8Array(localIov.buffer);
const remoteIovBytes = new Uint8Array(remoteIov.buffer);

function setScratch(size: number): void {
  if (size > scratch.length) {
    let n = scratch.length;
    while (n < size) n *= 2;
    scratch = new Uint8Array(n);
    scratchAddr = 0;
  }
  if (scratchAddr === 0) {
    scratchAddr = Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(scratch)));
  }
}

let useVm = true;

/** Reads into the scratch buffer; returns bytes read (may be short), or -1. */
function rawRead(pid: number, addr: number, len: number): number {
  setScratch(len);
  if (useVm) {
    localIov[0] = scratchAddr >>> 0;
    localIov[1] = Math.floor(scratchAddr / 4294967296);
    localIov[2] = len;
    localIov[3] = 0;
    remoteIov[0] = addr >>> 0;
    remoteIov[1] = Math.floor(addr / 4294967296);
    remoteIov[2] = len;
    remoteIov[3] = 0;
    const r = libc.process_vm_readv(pid, localIovBytes, 1, remoteIovBytes, 1, 0);
    if (r >= 0) return r;
    const e = errno();
    if (e === E.EFAULT || e === E.ESRCH) return -1;
    if (e !== E.ENOSYS && e !== E.EPERM) return -1;
    useVm = false;
  }
  return peekRead(pid, addr, len);
}

/** Word-by-word fallback. */
function peekRead(pid: number, addr: number, len: number): number {
  const start = addr - (addr % 8);
  let got = 0;
  for (let a = start; a < addr + len; a += 8) {
    setErrno(0);
    const word = libc.ptrace_peek(PTRACE.PEEKDATA, pid, BigInt(a), 0n);
    if (word === -1n && errno() !== 0) break;
    const w = BigInt.asUintN(64, BigInt(word));
    for (let k = 0; k < 8; k++) {
      const pos = a + k - addr;
      if (pos >= 0 && pos < len) scratch[pos] = Number((w >> BigInt(8 * k)) & 0xffn);
    }
    got = Math.min(len, a + 8 - addr);
  }
  return got > 0 ? got : -1;
}

/** A {@linkcode MemoryReader} over one tracee. */
export class TraceeMemory implements MemoryReader {
  /** The tracee's thread id. */
  pid: number;

  /** Creates a reader for `pid`. */
  constructor(pid: number) {
    this.pid = pid;
  }

  /** The page {@linkcode read} cached (-1: none), and its bytes (null: unreadable). */
  private pageAddr = -1;
  private page: Uint8Array | null = null;

  /**
   * Forgets the cached page. The tracee's memory may change whenever it runs: `Call` calls this
   * at every stop, so a cached page never outlives the stop it was read at.
   */
  invalidate(): void {
    this.pageAddr = -1;
    this.page = null;
  }

  /**
   * Reads exactly `len` bytes, or null. A read within one page is served from a one-page cache
   * (as strace's `ucopy.c`): a million iovecs pointing at the same buffer cost one read.
   */
  read(addr: number, len: number): Uint8Array | null {
    if (len === 0) return new Uint8Array(0);
    if (addr <= 0 || len < 0 || len > 1 << 26) return null;
    const off = addr % PAGE;
    if (len <= PAGE - off && Number.isSafeInteger(addr)) {
      const base = addr - off;
      if (this.pageAddr !== base) {
        this.pageAddr = base;
        this.page = rawRead(this.pid, base, PAGE) === PAGE ? scratch.slice(0, PAGE) : null;
        if (!this.page) {
          // Not a whole readable page (never expected): read what was asked, uncached.
          this.pageAddr = -1;
          const r = rawRead(this.pid, addr, len);
          return r === len ? scratch.slice(0, len) : null;
        }
      }
      return this.page ? this.page.slice(off, off + len) : null;
    }
    const r = rawRead(this.pid, addr, len);
    if (r === len) return scratch.slice(0, len);
    if (r < 0 || r >= len) return null;
    // A read that crosses into an unreadable page: retry the rest page by page.
    const out = new Uint8Array(len);
    out.set(scratch.subarray(0, r));
    const rest = this.readPartial(addr + r, len - r);
    if (rest.length !== len - r) return null;
    out.set(rest, r);
    return out;
  }

  /** Reads the readable prefix of `len` bytes. */
  readPartial(addr: number, len: number): Uint8Array {
    if (addr <= 0 || len <= 0) return new Uint8Array(0);
    const out = new Uint8Array(Math.min(len, 1 << 26));
    let done = 0;
    while (done < out.length) {
      const a = addr + done;
      const chunk = Math.min(out.length - done, PAGE - (a % PAGE));
      const r = rawRead(this.pid, a, chunk);
      if (r <= 0) break;
      out.set(scratch.subarray(0, r), done);
      done += r;
      if (r < chunk) break;
    }
    return done === out.length ? out : out.slice(0, done);
  }

  /**
   * Reads a NUL-terminated string of at most `max` bytes, page by page, as strace's `umovestr`
   * does: up to `max + 1` bytes are fetched, and a string that runs into unreadable memory before
   * its NUL and before those `max + 1` bytes is unreadable as a whole (`null`: strace prints the
   * address).
   */
  readCString(addr: number, max: number): CString | null {
    if (addr <= 0) return null;
    const parts: Uint8Array[] = [];
    let total = 0;
    let a = addr;
    while (total <= max) {
      const want = Math.min(max + 1 - total, PAGE - (a % PAGE));
      const r = rawRead(this.pid, a, want);
      if (r <= 0) return null;
      const nul = scratch.subarray(0, r).indexOf(0);
      if (nul >= 0) {
        parts.push(scratch.slice(0, nul));
        return { bytes: concat(parts, total + nul), terminated: true };
      }
      parts.push(scratch.slice(0, r));
      total += r;
      a += r;
    }
    const bytes = concat(parts, total);
    return { bytes: bytes.length > max ? bytes.subarray(0, max) : bytes, terminated: false };
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
