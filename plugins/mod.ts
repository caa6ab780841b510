/**
 * The sctrace plugin API: what a `--plugin FILE` module is written against.
 *
 * A plugin module's default export is either a {@linkcode Plugin} object or a
 * {@linkcode PluginFactory}: a function that receives the helpers ({@linkcode PluginApi}) and
 * returns the plugin. The factory form lets a plugin use `import type` only, so it needs nothing
 * at run time and works wherever the file lives.
 *
 * @example A self-contained plugin (type-only import, helpers passed in)
 * ```ts
 * import type { PluginApi, Plugin } from "./mod.ts";
 * export default (api: PluginApi): Plugin => ({
 *   name: "close-y",
 *   decoders: { close: { enter: (c) => api.fd(c, c.args.i(0)) + " (bye)" } },
 * });
 * ```
 *
 * @example A plugin object with runtime imports (works from a checkout)
 * ```ts
 * import { definePlugin, fd } from "./mod.ts";
 * export default definePlugin({
 *   name: "close-y",
 *   decoders: { close: { enter: (c) => fd(c, c.args.i(0)) } },
 * });
 * ```
 * @module
 */

import type { DecoderTable, Plugin, SyscallCall } from "../decoders/api.ts";
import {
  array,
  arrayV,
  cstr,
  cstrV,
  dirfd,
  dirfdV,
  failed,
  fd,
  fdV,
  intPtr,
  intPtrV,
  onSuccess,
  onSuccessV,
  path,
  pathV,
  ptr,
  ptrText,
  ptrV,
  quoteBytes,
  s64,
  strn,
  strnV,
  struct,
  structV,
  timespec,
  timespecV,
  u64,
} from "../decoders/format.ts";
import { V, type Value } from "../decoders/value.ts";
import type { PluginObserver } from "../core/plugins/observer.ts";
import { type DeclaredOptions, declareOptions, type OptionValue } from "../core/plugins/options.ts";
import { flags, hex, type Xlat, xlat, xval } from "../decoders/xlat.ts";
import { builtinDecoders } from "../decoders/mod.ts";

export type {
  Args,
  CString,
  DecoderTable,
  Direction,
  FdResolver,
  FormatOptions,
  MemoryReader,
  Plugin,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamSniffer,
  StreamTime,
  SyscallArgs,
  SyscallCall,
  SyscallDecoder,
  XlatStyle,
} from "../decoders/api.ts";
export type { Xlat } from "../decoders/xlat.ts";
export type * from "../decoders/value.ts";
export { V } from "../decoders/value.ts";
export type { ObserverContext, PluginObserver } from "../core/plugins/observer.ts";
export type { DeclaredOptions, OptionValue } from "../core/plugins/options.ts";
export type * from "../core/events/types.ts";

/**
 * Typed twins of the text helpers: each returns a {@linkcode Value} whose `text` is the string
 * helper's result and whose payload the `--json` printer and observers read. A v2 decoder hook
 * returns an array of them, one per argument.
 *
 * @example
 * ```ts
 * import { fdV, pathV, type SyscallDecoder, V } from "./mod.ts";
 * const fchmodat: SyscallDecoder = {
 *   enter: (c) => [fdV(c, c.args.i(0)), pathV(c, c.args.u(1)), V.octal(c.args.u(2))],
 * };
 * ```
 */
export { arrayV, cstrV, dirfdV, fdV, intPtrV, onSuccessV, pathV, ptrV, strnV, structV, timespecV };

/**
 * Quotes bytes the way strace quotes strings (C escapes, octal, or hex under `-x`), without the
 * surrounding quotes. `hexStrings` is the `-x` count (`c.opts.hexStrings`).
 *
 * @example
 * ```ts
 * import { quoteBytes } from "./mod.ts";
 * quoteBytes(new TextEncoder().encode("hi\n")); // 'hi\\n'
 * ```
 */
export { quoteBytes };

/**
 * Prints a descriptor argument as strace does: `3`, with `-y` `3</etc/passwd>`, with `-yy`
 * `3<TCP:[…]>`.
 *
 * @example
 * ```ts
 * import { definePlugin, fd } from "./mod.ts";
 * export default definePlugin({ name: "x", decoders: { fsync: { enter: (c) => fd(c, c.args.i(0)) } } });
 * ```
 */
export { fd };

/**
 * Prints a `dirfd` argument: `AT_FDCWD` (with `-y` `AT_FDCWD</cwd>`) or a descriptor.
 *
 * @example
 * ```ts
 * import { dirfd, path, type SyscallDecoder } from "./mod.ts";
 * const unlinkat: SyscallDecoder = {
 *   enter: (c) => dirfd(c, c.args.i(0)) + ", " + path(c, c.args.u(1)) + ", " + c.args.i(2),
 * };
 * ```
 */
export { dirfd };

/**
 * Prints a path at an address (strace's `printpath`): quoted, not cut by `-s`; `NULL` or the
 * address when unreadable.
 *
 * @example
 * ```ts
 * import { path, type SyscallDecoder } from "./mod.ts";
 * const chdir: SyscallDecoder = { enter: (c) => path(c, c.args.u(0)) };
 * ```
 */
export { path };

/**
 * Prints a NUL-terminated string at an address (strace's `printstr`), cut at `-s` with `...`.
 *
 * @example
 * ```ts
 * import { cstr, type SyscallDecoder } from "./mod.ts";
 * const sethostname: SyscallDecoder = { enter: (c) => cstr(c, c.args.u(0)) + ", " + c.args.u(1) };
 * ```
 */
export { cstr };

/**
 * Prints `len` bytes at an address (strace's `printstrn`): quoted, cut at `-s` with `...`.
 *
 * @example
 * ```ts
 * import { fd, strn, type SyscallDecoder } from "./mod.ts";
 * const write: SyscallDecoder = {
 *   enter: (c) => `${fd(c, c.args.i(0))}, ${strn(c, c.args.u(1), c.args.u(2))}, ${c.args.u(2)}`,
 * };
 * ```
 */
export { strn };

/**
 * Prints argument `n` as a pointer: `NULL` or its hex value.
 *
 * @example
 * ```ts
 * import { ptr, type SyscallDecoder } from "./mod.ts";
 * const brk: SyscallDecoder = { enter: (c) => ptr(c, 0) };
 * ```
 */
export { ptr };

/**
 * Formats an address: `NULL` for zero, else `0x…`.
 *
 * @example
 * ```ts
 * import { ptrText } from "./mod.ts";
 * ptrText(0); // "NULL"
 * ptrText(4096); // "0x1000"
 * ```
 */
export { ptrText };

/**
 * Reads a struct of `size` bytes at an address and prints it with `print(view, bytes)`; prints
 * `NULL` or the address when it cannot be read.
 *
 * @example
 * ```ts
 * import { struct, type SyscallCall } from "./mod.ts";
 * const pair = (c: SyscallCall) =>
 *   struct(c, c.args.u(0), 8, (v) => `[${v.getInt32(0, true)}, ${v.getInt32(4, true)}]`);
 * ```
 */
export { struct };

/**
 * Prints an array of `count` elements of `size` bytes (strace's `print_array`): cut after `-s`
 * elements unless `-v`, the address when unreadable.
 *
 * @example
 * ```ts
 * import { array, type SyscallCall } from "./mod.ts";
 * const ints = (c: SyscallCall) => array(c, c.args.u(1), c.args.i(2), 4, (v) => String(v.getInt32(0, true)));
 * ```
 */
export { array };

/**
 * Prints an `int *` argument: `[42]`, `NULL`, or the address.
 *
 * @example
 * ```ts
 * import { intPtr, type SyscallCall } from "./mod.ts";
 * const status = (c: SyscallCall) => intPtr(c, c.args.u(1));
 * ```
 */
export { intPtr };

/**
 * Prints a `struct timespec *`: `{tv_sec=1, tv_nsec=500}`.
 *
 * @example
 * ```ts
 * import { timespec, type SyscallDecoder } from "./mod.ts";
 * const nanosleep: SyscallDecoder = { enter: (c) => timespec(c, c.args.u(0)) + ", " };
 * ```
 */
export { timespec };

/**
 * Reads a little-endian u64 / s64 from a `DataView` as a number (exact below 2^53).
 *
 * @example
 * ```ts
 * import { u64 } from "./mod.ts";
 * u64(new DataView(new ArrayBuffer(8)), 0); // 0
 * ```
 */
export { s64, u64 };

/**
 * Whether the call failed (at exit); and `onSuccess(c, addr, print)`: the address when it
 * failed, else `print()` — strace prints output arguments only for successful calls.
 *
 * @example
 * ```ts
 * import { intPtr, onSuccess, type SyscallDecoder } from "./mod.ts";
 * const pipe: SyscallDecoder = { exit: (c) => onSuccess(c, c.args.u(0), () => intPtr(c, c.args.u(0))) };
 * ```
 */
export { failed, onSuccess };

/**
 * Builds a constant table from `[name, value]` pairs, in the order strace prints flags.
 *
 * @example
 * ```ts
 * import { flags, xlat } from "./mod.ts";
 * const prot = xlat([["PROT_READ", 1], ["PROT_WRITE", 2], ["PROT_EXEC", 4]]);
 * flags(prot, 3); // "PROT_READ|PROT_WRITE"
 * ```
 */
export { xlat };

/**
 * Prints a bit set (strace's `printflags`), honouring `-X` when given `c.opts.xlat`.
 *
 * @example
 * ```ts
 * import { flags, xlat } from "./mod.ts";
 * flags(xlat([["A", 1], ["B", 2]]), 7, "abbrev"); // "A|B|0x4"
 * ```
 */
export { flags };

/**
 * Prints an enumeration value (strace's `printxval`): its name, or the number with a default
 * comment.
 *
 * @example
 * ```ts
 * import { xlat, xval } from "./mod.ts";
 * xval(xlat([["SEEK_SET", 0], ["SEEK_CUR", 1]]), 1); // "SEEK_CUR"
 * xval(xlat([["SEEK_SET", 0]]), 9, "abbrev", "SEEK_???"); // "0x9 /* SEEK_??? *\/"
 * ```
 */
export { xval };

/**
 * C's `%#x`: `0` or `0x…`.
 *
 * @example
 * ```ts
 * import { hex } from "./mod.ts";
 * hex(255); // "0xff"
 * ```
 */
export { hex };

/**
 * The helpers handed to a {@linkcode PluginFactory}, so a plugin needs no runtime imports.
 * Same functions as the named exports of this module, plus the built-in decoders (to wrap or
 * delegate to).
 */
export interface PluginApi {
  /** The API version: 2 (typed values, observers, options; v1 plugins keep working). */
  readonly version: 2;
  /** The options given on the command line (`--plugin FILE:key=val,key2=val2`), as strings. */
  readonly options: Readonly<Record<string, string>>;
  /**
   * Declares the options the plugin knows, with their defaults (whose types, number, boolean or
   * string, are the options' types), and returns the options given, typed. A key the plugin does
   * not declare, or a value not of its type, ends sctrace with a one-line error naming the plugin
   * (exit 1), as a bad option does. A plugin given options that never calls this is refused too.
   */
  declareOptions<T extends Record<string, OptionValue>>(defaults: T): DeclaredOptions<T>;
  /** The typed value constructors (see `decoders/value.ts`). */
  readonly V: typeof V;
  /** See {@linkcode fdV}. */
  fdV(c: SyscallCall, fdNum: number): Value;
  /** See {@linkcode dirfdV}. */
  dirfdV(c: SyscallCall, fdNum: number): Value;
  /** See {@linkcode pathV}. */
  pathV(c: SyscallCall, addr: number): Value;
  /** See {@linkcode cstrV}. */
  cstrV(c: SyscallCall, addr: number, limit?: number): Value;
  /** See {@linkcode strnV}. */
  strnV(c: SyscallCall, addr: number, len: number): Value;
  /** See {@linkcode ptrV}. */
  ptrV(c: SyscallCall, n: number): Value;
  /** See {@linkcode structV}. */
  structV<T extends Value>(
    c: SyscallCall,
    addr: number,
    size: number,
    print: (v: DataView, bytes: Uint8Array) => T,
  ): Value;
  /** See {@linkcode arrayV}. */
  arrayV(
    c: SyscallCall,
    addr: number,
    count: number,
    size: number,
    print: (v: DataView, index: number) => Value,
  ): Value;
  /** See {@linkcode intPtrV}. */
  intPtrV(c: SyscallCall, addr: number): Value;
  /** See {@linkcode timespecV}. */
  timespecV(c: SyscallCall, addr: number): Value;
  /** See {@linkcode onSuccessV}. */
  onSuccessV(c: SyscallCall, addr: number, print: () => Value): Value;
  /** See {@linkcode fd}. */
  fd(c: SyscallCall, fdNum: number): string;
  /** See {@linkcode dirfd}. */
  dirfd(c: SyscallCall, fdNum: number): string;
  /** See {@linkcode path}. */
  path(c: SyscallCall, addr: number): string;
  /** See {@linkcode cstr}. */
  cstr(c: SyscallCall, addr: number, limit?: number): string;
  /** See {@linkcode strn}. */
  strn(c: SyscallCall, addr: number, len: number): string;
  /** See {@linkcode ptr}. */
  ptr(c: SyscallCall, n: number): string;
  /** See {@linkcode ptrText}. */
  ptrText(addr: number): string;
  /** See {@linkcode struct}. */
  struct(
    c: SyscallCall,
    addr: number,
    size: number,
    print: (v: DataView, bytes: Uint8Array) => string,
  ): string;
  /** See {@linkcode array}. */
  array(
    c: SyscallCall,
    addr: number,
    count: number,
    size: number,
    print: (v: DataView, index: number) => string,
  ): string;
  /** See {@linkcode intPtr}. */
  intPtr(c: SyscallCall, addr: number): string;
  /** See {@linkcode timespec}. */
  timespec(c: SyscallCall, addr: number): string;
  /** See {@linkcode u64}. */
  u64(v: DataView, off: number): number;
  /** See {@linkcode s64}. */
  s64(v: DataView, off: number): number;
  /** See {@linkcode failed}. */
  failed(c: SyscallCall): boolean;
  /** See {@linkcode onSuccess}. */
  onSuccess(c: SyscallCall, addr: number, print: () => string): string;
  /** See {@linkcode quoteBytes}. */
  quoteBytes(bytes: Uint8Array, hexStrings?: number): string;
  /** See {@linkcode xlat}. */
  xlat(entries: readonly (readonly [string, number])[]): Xlat;
  /** See {@linkcode flags}. */
  flags(table: Xlat, value: number, style?: "abbrev" | "raw" | "verbose", dflt?: string): string;
  /** See {@linkcode xval}. */
  xval(
    table: Xlat,
    value: number,
    style?: "abbrev" | "raw" | "verbose",
    dflt?: string,
    numFmt?: "hex" | "dec",
  ): string;
  /** See {@linkcode hex}. */
  hex(v: number): string;
  /** The built-in decoders by decoder name (e.g. `builtin.write`), to wrap or fall back to. */
  readonly builtin: Readonly<DecoderTable>;
}

/**
 * The helpers for one plugin: `label` names it in option errors (its `--plugin` file), `options`
 * are the options given to it. {@linkcode declaredOptions} tells whether the plugin declared them.
 */
export function makeApi(label: string, options: Readonly<Record<string, string>> = {}): PluginApi {
  const out: PluginApi = {
    version: 2 as const,
    options: Object.freeze({ ...options }),
    declareOptions<T extends Record<string, OptionValue>>(defaults: T): DeclaredOptions<T> {
      declared.add(out);
      return declareOptions(label, options, defaults);
    },
    V,
    fdV,
    dirfdV,
    pathV,
    cstrV,
    strnV,
    ptrV,
    structV,
    arrayV: (c, addr, count, size, print) => arrayV(c, addr, count, size, print),
    intPtrV,
    timespecV,
    onSuccessV,
    fd,
    dirfd,
    path,
    cstr,
    strn,
    ptr,
    ptrText,
    struct,
    array,
    intPtr,
    timespec,
    u64,
    s64,
    failed,
    onSuccess,
    quoteBytes,
    xlat,
    flags,
    xval,
    hex,
    builtin: builtinDecoders,
  };
  return out;
}

const declared = new WeakSet<PluginApi>();

/** Whether the plugin given `a` (from {@linkcode makeApi}) called `declareOptions`. */
export function declaredOptions(a: PluginApi): boolean {
  return declared.has(a);
}

/**
 * The helpers without options, as a plugin loaded without any gets them.
 *
 * @example
 * ```ts
 * import { api } from "./mod.ts";
 * api.hex(16); // "0x10"
 * ```
 */
export const api: PluginApi = Object.freeze(makeApi("plugin"));

/** A v2 plugin: a {@linkcode Plugin} that may also observe the trace's events. */
export interface PluginV2 extends Plugin {
  /** Sees events (syscalls, signals, exits, protocol messages…); may note and summarise. */
  readonly observe?: PluginObserver;
}

/**
 * A plugin's default export in factory form: receives the helpers, returns the plugin (or a
 * promise of it).
 */
export type PluginFactory = (api: PluginApi) => PluginV2 | Promise<PluginV2>;

/**
 * Types a plugin (object or factory) without changing it: `export default definePlugin({...})`.
 *
 * @example Object form
 * ```ts
 * import { definePlugin } from "./mod.ts";
 * export default definePlugin({ name: "nothing" });
 * ```
 * @example Factory form
 * ```ts
 * import { definePlugin } from "./mod.ts";
 * export default definePlugin((api) => ({
 *   name: "brk-hex",
 *   decoders: { brk: { enter: (c) => api.ptr(c, 0), result: (c) => api.hex(c.rval) } },
 * }));
 * ```
 */
export function definePlugin(p: PluginV2): PluginV2;
/** Types a plugin factory without changing it. */
export function definePlugin(p: PluginFactory): PluginFactory;
/** Implementation: the identity. */
export function definePlugin(p: PluginV2 | PluginFactory): PluginV2 | PluginFactory {
  return p;
}
