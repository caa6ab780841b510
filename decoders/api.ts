/**
 * The decoder and sniffer API. Built-in decoders (`decoders/*.ts`), protocol sniffers
 * (`decoders/sniffers/*.ts`) and user plugins (`plugins/`) are all written against these types.
 *
 * A syscall stop reaches a decoder as a {@linkcode SyscallCall}: the syscall number and name, its six
 * raw arguments, the return value at exit, a {@linkcode MemoryReader} over the tracee and the
 * descriptor table. A decoder returns typed values ({@linkcode Value}, built with `V` of
 * `value.ts` and the `…V` helpers of `format.ts`); the core turns them into strace's text, JSON or
 * anything else a printer wants. Text (the v1 form) is still accepted.
 *
 * @example A decoder for `close(2)`
 * ```ts
 * import type { SyscallDecoder } from "./api.ts";
 * import { fdV } from "./format.ts";
 * export const close: SyscallDecoder = { enter: (c) => [fdV(c, c.args.i(0))] };
 * ```
 * @module
 */

import type { Args, Json, Value } from "./value.ts";
export type { Args, Json, Value } from "./value.ts";

/** A NUL-terminated string read from the tracee. */
export interface CString {
  /** The bytes before the NUL (or all bytes read when none was found). */
  bytes: Uint8Array;
  /** Whether a NUL was found within the limit. */
  terminated: boolean;
}

/** Reads the tracee's memory. Every method returns `null` when the address is unreadable. */
export interface MemoryReader {
  /** Reads exactly `len` bytes at `addr`, or returns `null` if any of them is unreadable. */
  read(addr: number, len: number): Uint8Array | null;
  /** Reads as many of `len` bytes at `addr` as are readable (possibly none). */
  readPartial(addr: number, len: number): Uint8Array;
  /** Reads a NUL-terminated string of at most `max` bytes (not counting the NUL). */
  readCString(addr: number, max: number): CString | null;
  /** Forgets anything cached: the tracee ran (called by the core at every stop). */
  invalidate?(): void;
}

/** The six raw syscall arguments, readable in the widths decoders need. */
export interface SyscallArgs {
  /** Argument `n` as an unsigned 64-bit value (exact below 2^53). */
  u(n: number): number;
  /** Argument `n` as a signed 64-bit value (exact within ±2^53). */
  s(n: number): number;
  /** Argument `n` truncated to a signed 32-bit C `int`. */
  i(n: number): number;
  /** Argument `n` truncated to an unsigned 32-bit value. */
  ui(n: number): number;
  /** Argument `n` exactly, as a BigInt. */
  big(n: number): bigint;
  /** Argument `n` as C's `%#lx`: `0` for zero, else `0x` and lower-case hex digits. */
  hex(n: number): string;
  /** The low 32 bits of argument `n`. */
  lo(n: number): number;
  /** The high 32 bits of argument `n`. */
  hi(n: number): number;
}

/** How `-X` prints named constants. */
export type XlatStyle = "abbrev" | "raw" | "verbose";

/** The output options that affect decoding (strace's `-s`, `-v`, `-x`, `-X`, `-y`). */
export interface FormatOptions {
  /** `-s`: the longest string printed before `...` (default 32). */
  strsize: number;
  /** `-v`: print structures and arrays in full. */
  verbose: boolean;
  /** `-x` count: 0 none, 1 non-ASCII as hex, 2 all as hex, 3 `-xxx`-like (same as 2). */
  hexStrings: number;
  /** `-X`: how constants are printed. */
  xlat: XlatStyle;
  /** `-y` count: 0 none, 1 paths, 2 also socket endpoints. */
  decodeFds: number;
  /**
   * `-e verbose=SET`: whether this syscall's structures are dereferenced. `undefined` or `true`
   * (the default, strace's `verbose=all`): they are read and printed. `false` (a syscall outside
   * the set): as strace does, every structure, array or `int *` behind a pointer is printed as its
   * address (`NULL` stays `NULL`, an empty array stays `[]`), while strings, paths, buffers, flags
   * and plain integers are still decoded.
   */
  deref?: boolean;
}

/** What the core knows about a descriptor, for `-y`. */
export interface FdResolver {
  /** The descriptor's target as `/proc/PID/fd/N` names it (`/etc/passwd`, `socket:[123]`), if any. */
  path(fd: number): string | undefined;
  /** The `-yy` detail of a socket (`TCP:[127.0.0.1:80->127.0.0.1:3339]`), if known. */
  socketDetail(fd: number): string | undefined;
  /** The current working directory of the tracee, if readable. */
  cwd(): string | undefined;
}

/** One syscall stop, as a decoder sees it. */
export interface SyscallCall {
  /** The thread id of the tracee. */
  readonly pid: number;
  /** The syscall number. */
  readonly nr: number;
  /** The syscall name (`syscall_0x1c8` for unknown numbers). */
  readonly name: string;
  /** The raw arguments, as they were at entry. */
  readonly args: SyscallArgs;
  /** False at the entry stop, true at the exit stop. */
  readonly exiting: boolean;
  /** At exit: the return value, signed (e.g. `-1` is never seen: errors are in `errno`). */
  readonly rval: number;
  /** At exit: the return value exactly, as a BigInt (two's complement signed). */
  readonly rvalBig: bigint;
  /** At exit: the error number when the call failed, else 0. */
  readonly errno: number;
  /** The tracee's stack pointer at this stop (for `rt_sigreturn`'s signal frame). */
  readonly sp: number;
  /** The tracee's memory. */
  readonly mem: MemoryReader;
  /** The tracee's descriptors. */
  readonly fds: FdResolver;
  /** Output options. */
  readonly opts: FormatOptions;
  /** Scratch space a decoder may use to carry values from entry to exit. */
  readonly state: Record<string, unknown>;
}

/**
 * Decodes one syscall. At entry `enter` returns the arguments known then (strace prints them at
 * once, so they are what appears before `<unfinished ...>`); at exit `exit` returns the rest.
 *
 * v2 (built-ins): each hook returns an array of typed {@linkcode Value}s, one per argument; the
 * text printer joins them with `, ` (and prints `, ` after the entry arguments when `exit` adds
 * more). v1 (still accepted, for old plugins): each hook returns the text between the
 * parentheses, with its own `, ` separators (`"3, "` at entry, `"\"data\", 4"` at exit).
 * `result` may replace the printed return value of a successful call (e.g. hex for `mmap`).
 *
 * With an `exit` hook, two cases need a marker from `value.ts` on the entry values: `decoded()`
 * when the entry already printed the whole call (the exit then returns `[]`), and `pending()`
 * when the exit completes the entry's last value (`{…} => {…}`; the exit returns `continues()`).
 */
export interface SyscallDecoder {
  /** The arguments decoded at entry. */
  enter?(c: SyscallCall): Args;
  /** The arguments decoded at exit, appended after the entry ones. */
  exit?(c: SyscallCall): Args;
  /**
   * The return value of a successful call, e.g. `0x7f12a000` or `3</etc/passwd>` or
   * `0x2 (flags O_RDWR)`. Return `undefined` for the default (signed decimal).
   */
  result?(c: SyscallCall): Value | string | undefined;
}

/** A map from syscall name to its decoder. */
export type DecoderTable = Record<string, SyscallDecoder>;

/** The direction of a stream's bytes, seen from the traced process. */
export type Direction = "in" | "out";

/** What is known of a stream when a sniffer is asked about it. */
export interface StreamInfo {
  /** The traced process (thread group leader) that owns the descriptor. */
  readonly pid: number;
  /** The descriptor. */
  readonly fd: number;
  /** `/proc` name of the descriptor (`socket:[123]`), if known. */
  readonly path?: string;
  /** The local port of a TCP socket, if known. */
  readonly localPort?: number;
  /** The remote port of a TCP socket, if known. */
  readonly remotePort?: number;
  /** The path of a unix socket, if known. */
  readonly unixPath?: string;
}

/** One protocol message a sniffer completed. */
export interface ProtoMessage {
  /** The protocol (`http`, `fastcgi`, `mysql`, …). */
  readonly proto: string;
  /** Which way it travelled, seen from the traced process. */
  readonly dir: Direction;
  /** The protocol's own name of the message (`GET`, `PARAMS`, `COM_QUERY`, `OK`). */
  readonly kind: string;
  /** The decoded message, one line, no newline. */
  readonly text: string;
  /** Set on a request: a key that a later response closes (for latency). */
  readonly request?: string;
  /** Set on a response: true when it completes the oldest open request. */
  readonly response?: boolean;
  /** On a response, optional: its outcome in a few words (`200 OK`, `ERR 1146`), for summaries. */
  readonly outcome?: string;
  /** Set on an error response. */
  readonly error?: boolean;
  /**
   * The message's structured fields, JSON-able (numbers, strings, booleans, arrays, objects): what
   * `--json` prints and `--proto-filter` tests. Each protocol documents its own (HTTP `method`,
   * `uri`, `status`; MySQL `command`, `query`, `rows`, `error_code`…).
   */
  readonly fields?: { readonly [key: string]: Json };
}

/** Parses one stream in both directions. Must never throw: garbage yields no messages. */
export interface StreamParser {
  /** Feeds bytes in one direction and returns the messages they completed. */
  push(dir: Direction, bytes: Uint8Array): ProtoMessage[];
}

/** A protocol sniffer: recognises a stream and parses it. */
export interface StreamSniffer {
  /** The protocol name, as used by `--proto=NAME`. */
  readonly name: string;
  /**
   * Whether this stream carries the protocol, from its ports or its first bytes in `dir`.
   * Return `true` (yes), `false` (no) or `undefined` (cannot tell yet: ask again with more bytes).
   */
  detect(info: StreamInfo, dir: Direction, first: Uint8Array): boolean | undefined;
  /** Creates the parser for a stream that `detect` accepted. */
  create(info: StreamInfo): StreamParser;
}

/** What a plugin module exports as its default export. */
export interface Plugin {
  /** The plugin's name, used in messages. */
  readonly name: string;
  /** Syscall decoders by syscall name; they replace the built-in ones. */
  readonly decoders?: DecoderTable;
  /** Stream sniffers. */
  readonly sniffers?: readonly StreamSniffer[];
}
