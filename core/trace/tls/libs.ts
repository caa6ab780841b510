/**
 * Finding the TLS functions of a process: which TLS libraries `/proc/PID/maps` shows, and where
 * OpenSSL's `SSL_read`/`SSL_write` (and their `_ex` twins) are loaded. Symbols come from the
 * library's ELF symbol tables, read by core/trace/stack/elf.ts.
 * @module
 */

import { openElf } from "../stack/elf.ts";

/** The hooked functions. */
export type TlsFunction = "SSL_read" | "SSL_write" | "SSL_read_ex" | "SSL_write_ex";

/** The functions looked up in libssl. */
export const TLS_FUNCTIONS: readonly TlsFunction[] = [
  "SSL_read",
  "SSL_write",
  "SSL_read_ex",
  "SSL_write_ex",
];

/** One function to hook in one process. */
export interface FunctionSite {
  /** Which function. */
  fn: TlsFunction;
  /** Its address in the process. */
  addr: number;
  /** Its first bytes in the library file (what the process's memory must show once we leave). */
  fileBytes: Uint8Array;
  /** The library it is in. */
  path: string;
}

/** What a process's maps say about TLS. */
export interface TlsScan {
  /** OpenSSL's functions, when libssl is mapped executable. */
  sites: FunctionSite[];
  /** The OpenSSL library found, if any. */
  openssl?: string;
  /** A TLS library we cannot hook (GnuTLS, NSS, …), when no OpenSSL is mapped. */
  unsupported?: string;
}

/** One line of `/proc/PID/maps`. */
interface Mapping {
  start: number;
  end: number;
  perms: string;
  offset: number;
  path: string;
}

/** OpenSSL's libssl (3.x and 1.1), by file name. */
const OPENSSL = /\/libssl\.so\.(3|1\.1)$/;
/** TLS libraries we know but do not hook, by file name, with what to call them. */
const OTHERS: [RegExp, string][] = [
  [/\/libgnutls\.so(\.\d+)*$/, "GnuTLS"],
  [/\/libssl3\.so$/, "NSS"],
  [/\/libwolfssl\.so(\.\d+)*$/, "wolfSSL"],
  [/\/libmbedtls\.so(\.\d+)*$/, "Mbed TLS"],
  [/\/libboringssl\.so$/, "BoringSSL"],
];

/** Symbol file offsets and bytes per library path (read once per file). */
const libCache = new Map<string, { fn: TlsFunction; fileOff: number; bytes: Uint8Array }[]>();

/** Parses `/proc/PID/maps` (undefined when the process is gone). */
function readMaps(pid: number): Mapping[] | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/maps`);
  } catch {
    return undefined;
  }
  const out: Mapping[] = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ \d+\s+(.*)$/.exec(line);
    if (!m) continue;
    out.push({
      start: parseInt(m[1], 16),
      end: parseInt(m[2], 16),
      perms: m[3],
      offset: parseInt(m[4], 16),
      path: m[5],
    });
  }
  return out;
}

/** The hookable functions of an OpenSSL library file, by file offset. */
function librarySymbols(path: string): { fn: TlsFunction; fileOff: number; bytes: Uint8Array }[] {
  const cached = libCache.get(path);
  if (cached) return cached;
  const out: { fn: TlsFunction; fileOff: number; bytes: Uint8Array }[] = [];
  const elf = openElf(path);
  if (elf) {
    try {
      const syms = elf.functionSymbols();
      for (const fn of TLS_FUNCTIONS) {
        const i = syms.names.indexOf(fn);
        if (i < 0) continue;
        const off = elf.fileOffset(syms.values[i]);
        if (off < 0) continue;
        const bytes = elf.read(off, 16);
        if (bytes.length === 16) out.push({ fn, fileOff: off, bytes });
      }
    } finally {
      elf.close();
    }
  }
  libCache.set(path, out);
  return out;
}

/** Looks at a process's mappings: OpenSSL's hookable functions, or the TLS library it uses. */
export function scanProcess(pid: number): TlsScan | undefined {
  const maps = readMaps(pid);
  if (!maps) return undefined;
  const scan: TlsScan = { sites: [] };
  for (const m of maps) {
    if (!m.perms.includes("x") || !m.path.startsWith("/")) continue;
    if (OPENSSL.test(m.path)) {
      if (scan.openssl && scan.openssl !== m.path) continue; // one OpenSSL per process
      scan.openssl = m.path;
      for (const s of librarySymbols(m.path)) {
        if (s.fileOff < m.offset || s.fileOff >= m.offset + (m.end - m.start)) continue;
        scan.sites.push({
          fn: s.fn,
          addr: m.start + (s.fileOff - m.offset),
          fileBytes: s.bytes,
          path: m.path,
        });
      }
      continue;
    }
    for (const [re, name] of OTHERS) if (re.test(m.path)) scan.unsupported ??= name;
  }
  if (scan.openssl) scan.unsupported = undefined;
  return scan;
}
