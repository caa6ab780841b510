/**
 * Typed values: what a decoder produces for each syscall argument, return value or struct field.
 *
 * Every value carries two faces, built once by the constructor that made it:
 * - `text`, exactly what strace 6.1 prints for it (the text printer joins these);
 * - its typed payload (`kind` and the fields of that kind), which {@linkcode toJson} turns into
 *   plain JSON for `--json`, and which observers, the timeline and the report read.
 *
 * Constructors here are the only place where a value's strace text is decided for structs,
 * arrays, flags and the like, so the text and the JSON of a value can never disagree. The string
 * helpers of `format.ts` and `xlat.ts` remain for code that only needs text.
 *
 * JSON forms (see `schema/events.schema.json`):
 * | kind | JSON |
 * |---|---|
 * | `int` | a number; a string of decimal digits when it does not fit a double exactly |
 * | `ptr` | `null` for NULL, else `"0x…"` |
 * | `flags` | an array of names; unknown bits as one `"0x…"` element; `[]` for 0 |
 * | `enum` | the name, or the number when it has none |
 * | `str` | the string (UTF-8; invalid bytes as U+FFFD), or `{"str", "truncated", "len"?, "hex"?}` when cut or not UTF-8 |
 * | `struct` | an object of its fields in order; `"...": true` when strace abbreviated it |
 * | `array` | an array of its items; a last element `"..."` when cut |
 * | `fd` | `{"fd": 3}` plus `"path"` (`-y`) and `"socket"` (`-yy`) when known |
 * | `signal` | `"SIGTERM"` (or the number when unnamed) |
 * | `call` | `{"call": "makedev", "args": [...]}` for strace's function-like forms |
 * | `change` | `{"in": …, "out": …}` for strace's `before => after` |
 * | `unavailable` | `{"unavailable": "0x…"}`: memory that could not be read, and its address |
 * | `raw` | `{"text": "…"}`: text a decoder gave without a type (old plugins) |
 *
 * @example
 * ```ts
 * import { V, toJson } from "./value.ts";
 * const st = V.struct([["st_mode", V.raw("S_IFREG|0644")], ["st_size", V.int(12)]], true);
 * st.text; // "{st_mode=S_IFREG|0644, st_size=12, ...}"
 * toJson(st); // { st_mode: { text: "S_IFREG|0644" }, st_size: 12, "...": true }
 * ```
 * @module
 */

import type { XlatStyle } from "./api.ts";
import { and53, andNot53, flags as flagsText, hex, type Xlat, xval as xvalText } from "./xlat.ts";
import { sText, uText } from "./u64.ts";

/** What every value has: its kind and strace's text for it. */
export interface ValueBase {
  /** The kind of value (decides the other fields and the JSON form). */
  readonly kind: string;
  /** Exactly what strace prints for this value. */
  readonly text: string;
}

/** An integer (decimal, hex or octal in the text; a number in JSON). */
export interface IntValue extends ValueBase {
  /** `int`. */
  readonly kind: "int";
  /** The value (exact below 2^53; see `u64.ts` for wider ones, whose text is exact). */
  readonly value: number | bigint;
  /** Whether the value is unsigned (decides how a wide value is written in JSON). */
  readonly unsigned?: boolean;
}

/** A pointer: `NULL` or an address. */
export interface PtrValue extends ValueBase {
  /** `ptr`. */
  readonly kind: "ptr";
  /** The address (0 for NULL). */
  readonly addr: number | bigint;
}

/** A set of bit flags. */
export interface FlagsValue extends ValueBase {
  /** `flags`. */
  readonly kind: "flags";
  /** The names of the bits that are set, in table order. */
  readonly names: readonly string[];
  /** Bits that have no name (0 if none). */
  readonly rest: number | bigint;
  /** The whole value. */
  readonly value: number | bigint;
}

/** An enumeration value (strace's `printxval`). */
export interface EnumValue extends ValueBase {
  /** `enum`. */
  readonly kind: "enum";
  /** Its name, when the table has one. */
  readonly name?: string;
  /** The number. */
  readonly value: number | bigint;
}

/** A string or byte buffer read from the tracee. */
export interface StrValue extends ValueBase {
  /** `str`. */
  readonly kind: "str";
  /** The bytes printed (at most `-s` of them). */
  readonly bytes: Uint8Array;
  /** Whether strace cut it (`"…"...`). */
  readonly truncated: boolean;
  /** The length the call gave, when known and longer than what was read. */
  readonly len?: number;
}

/** A struct: named fields in order. */
export interface StructValue extends ValueBase {
  /** `struct`. */
  readonly kind: "struct";
  /** The fields, in the order strace prints them. */
  readonly fields: readonly (readonly [string, Value])[];
  /** Whether strace abbreviated it with `...`. */
  readonly more: boolean;
}

/** An array. */
export interface ArrayValue extends ValueBase {
  /** `array`. */
  readonly kind: "array";
  /** The items printed. */
  readonly items: readonly Value[];
  /** Whether it was cut (`...`), by `-s` or by unreadable memory. */
  readonly truncated: boolean;
}

/** A file descriptor, with what `-y`/`-yy` know of it. */
export interface FdValue extends ValueBase {
  /** `fd`. */
  readonly kind: "fd";
  /** The descriptor number (`AT_FDCWD` is -100). */
  readonly fd: number;
  /** Its path (`-y`), when known. */
  readonly path?: string;
  /** Its socket or device detail (`-yy`), when known: `TCP:[127.0.0.1:80->127.0.0.1:3339]`. */
  readonly socket?: string;
}

/** A signal number. */
export interface SignalValue extends ValueBase {
  /** `signal`. */
  readonly kind: "signal";
  /** The number. */
  readonly value: number;
  /** Its name, when it has one (`SIGTERM`, `SIGRT_3`). */
  readonly name?: string;
}

/** strace's function-like forms: `makedev(0x1, 0x3)`, `htons(80)`, `inet_addr("127.0.0.1")`. */
export interface CallValue extends ValueBase {
  /** `call`. */
  readonly kind: "call";
  /** The function's name. */
  readonly fn: string;
  /** Its arguments. */
  readonly args: readonly Value[];
}

/** A value the call changed: strace's `before => after` (`[110 => 16]`). */
export interface ChangeValue extends ValueBase {
  /** `change`. */
  readonly kind: "change";
  /** The value at entry. */
  readonly before: Value;
  /** The value at exit. */
  readonly after: Value;
}

/** Memory that could not be read: strace prints its address. */
export interface UnavailableValue extends ValueBase {
  /** `unavailable`. */
  readonly kind: "unavailable";
  /** The address that could not be read. */
  readonly addr: number | bigint;
}

/** Text without a type: from a string-returning (v1) decoder, or a form with no better kind. */
export interface RawValue extends ValueBase {
  /** `raw`. */
  readonly kind: "raw";
}

/** Any decoded value. */
export type Value =
  | IntValue
  | PtrValue
  | FlagsValue
  | EnumValue
  | StrValue
  | StructValue
  | ArrayValue
  | FdValue
  | SignalValue
  | CallValue
  | ChangeValue
  | UnavailableValue
  | RawValue;

/** What a decoder hook returns: typed arguments (v2), or text (v1, still accepted). */
export type Args = readonly Value[] | string;

const TWO32 = 4294967296;

/** A comment strace appends (`/* … *\/`), kept in the text only. */
function commented<T extends Value>(v: T, comment: string | undefined): T {
  return comment ? { ...v, text: `${v.text} /* ${comment} */` } : v;
}

/** Splits a flag value into the names of its set bits and the bits left without a name. */
export function flagParts(
  table: Xlat,
  value: number | bigint,
): { names: string[]; rest: number | bigint } {
  const names: string[] = [];
  if (typeof value === "bigint" || !Number.isSafeInteger(value)) {
    let rest = typeof value === "bigint" ? BigInt.asUintN(64, value) : BigInt(Math.trunc(value));
    for (const [name, v] of table.entries) {
      const b = BigInt(v);
      if (b !== 0n && (rest & b) === b) {
        names.push(name);
        rest &= ~b;
      }
    }
    return { names, rest };
  }
  let rest = value < 0 && value >= -2147483648 ? TWO32 + value : value;
  if (rest === 0) {
    const zero = table.byValue.get(0);
    if (zero !== undefined) names.push(zero);
    return { names, rest: 0 };
  }
  for (const [name, v] of table.entries) {
    if (v !== 0 && and53(rest, v) === v) {
      names.push(name);
      rest = andNot53(rest, v);
    }
  }
  return { names, rest };
}

/** The value constructors: one per kind, each deciding the value's strace text. */
export const V = {
  /** A signed decimal integer (`text` overrides the printed form, e.g. `%#o`). */
  int(value: number | bigint, text?: string): IntValue {
    return {
      kind: "int",
      value,
      text: text ?? (typeof value === "bigint" ? String(value) : sText(value)),
    };
  },
  /** An unsigned decimal integer. */
  uint(value: number | bigint, text?: string): IntValue {
    return {
      kind: "int",
      value,
      unsigned: true,
      text: text ?? (typeof value === "bigint" ? String(value) : uText(value)),
    };
  },
  /** An unsigned integer printed as C's `%#lx` (`0`, `0x1f`). */
  hex(value: number | bigint): IntValue {
    return {
      kind: "int",
      value,
      unsigned: true,
      text: typeof value === "bigint"
        ? (value === 0n ? "0" : "0x" + BigInt.asUintN(64, value).toString(16))
        : hex(value),
    };
  },
  /** An integer printed in octal as strace prints modes (`%#03o`: `0644`, `000`). */
  octal(value: number): IntValue {
    return { kind: "int", value, unsigned: true, text: "0" + value.toString(8).padStart(2, "0") };
  },
  /** A pointer: `NULL` or its address in hex. */
  ptr(addr: number | bigint): PtrValue {
    const text = addr === 0 || addr === 0n
      ? "NULL"
      : typeof addr === "bigint"
      ? "0x" + BigInt.asUintN(64, addr).toString(16)
      : hex(addr);
    return { kind: "ptr", addr, text };
  },
  /** Memory at `addr` that could not be read (printed as the address, as strace does). */
  unavailable(addr: number | bigint): UnavailableValue | PtrValue {
    if (addr === 0 || addr === 0n) return V.ptr(0);
    return { kind: "unavailable", addr, text: V.ptr(addr).text };
  },
  /** A bit set, printed as strace's `printflags` (`O_RDONLY|O_CLOEXEC`, `0x8000 /* MAP_??? *\/`). */
  flags(table: Xlat, value: number, style: XlatStyle = "abbrev", dflt?: string): FlagsValue {
    const { names, rest } = flagParts(table, value);
    return { kind: "flags", names, rest, value, text: flagsText(table, value, style, dflt) };
  },
  /** Flags whose text a decoder composed itself (names and remainder still typed). */
  flagsOf(
    names: readonly string[],
    rest: number | bigint,
    value: number | bigint,
    text: string,
  ): FlagsValue {
    return { kind: "flags", names, rest, value, text };
  },
  /** An enumeration value, printed as strace's `printxval` (`SEEK_SET`, `0x10 /* F_??? *\/`). */
  xval(
    table: Xlat,
    value: number,
    style: XlatStyle = "abbrev",
    dflt?: string,
    numFmt: "hex" | "dec" = "hex",
  ): EnumValue {
    const name = table.byValue.get(value);
    return { kind: "enum", name, value, text: xvalText(table, value, style, dflt, numFmt) };
  },
  /** A named constant whose text is given (`AT_FDCWD`, `P_PID`), or a number with its name. */
  named(name: string | undefined, value: number | bigint, text: string): EnumValue {
    return { kind: "enum", name, value, text };
  },
  /** A string read from the tracee, with the text strace printed for it. */
  str(bytes: Uint8Array, text: string, truncated = false, len?: number): StrValue {
    return { kind: "str", bytes, truncated, len, text };
  },
  /** A struct of named fields: `{a=1, b=2}`, or `{a=1, b=2, ...}` when `more`. */
  struct(fields: readonly (readonly [string, Value])[], more = false): StructValue {
    let text = "{";
    for (let i = 0; i < fields.length; i++) {
      if (i) text += ", ";
      text += fields[i][0] + "=" + fields[i][1].text;
    }
    if (more) text += fields.length ? ", ..." : "...";
    return { kind: "struct", fields, more, text: text + "}" };
  },
  /**
   * A struct whose members strace prints without names (`{1, 2}` of a pair): fields named by
   * position (`"0"`, `"1"`) in JSON.
   */
  tuple(items: readonly Value[]): StructValue {
    return {
      kind: "struct",
      fields: items.map((v, i) => [String(i), v] as const),
      more: false,
      text: "{" + items.map((v) => v.text).join(", ") + "}",
    };
  },
  /** An array: `[a, b]`, `[a, b, ...]` when cut by `-s`; `tail` overrides the cut text. */
  array(items: readonly Value[], truncated = false, tail = "..."): ArrayValue {
    let text = "[";
    for (let i = 0; i < items.length; i++) {
      if (i) text += ", ";
      text += items[i].text;
    }
    if (truncated) text += (items.length ? ", " : "") + tail;
    return { kind: "array", items, truncated, text: text + "]" };
  },
  /** A descriptor with what `-y`/`-yy` knew of it, and the text strace printed. */
  fd(fd: number, text: string, path?: string, socket?: string): FdValue {
    return { kind: "fd", fd, path, socket, text };
  },
  /** A signal number with its name (text: the name, or the number when unnamed). */
  signal(value: number, name: string | undefined, text = name ?? String(value)): SignalValue {
    return { kind: "signal", value, name, text };
  },
  /** strace's function-like forms: `makedev(0x1, 0x3)`. */
  call(fn: string, args: readonly Value[]): CallValue {
    return { kind: "call", fn, args, text: `${fn}(${args.map((a) => a.text).join(", ")})` };
  },
  /** A value the call changed: `before => after`. */
  change(before: Value, after: Value): ChangeValue {
    return { kind: "change", before, after, text: `${before.text} => ${after.text}` };
  },
  /** Text with no better type. Prefer a typed constructor; this is the v1 decoders' form. */
  raw(text: string): RawValue {
    return { kind: "raw", text };
  },
  /** The same value with strace's trailing `/* comment *\/` in its text. */
  comment: commented,
} as const;

/**
 * Joins values with strace's `, ` (a v1 decoder's text is taken as it is). Exit values marked by
 * {@linkcode more} start with `, `; those marked by {@linkcode amend} start with their first
 * value's text, which continues the last entry value; those marked by {@linkcode continues} print
 * their first value without the part the entry already printed.
 */
export function argsText(args: Args): string {
  if (typeof args === "string") return args;
  const lead = MORE.has(args);
  const skip = (args as { [CONTINUES]?: number })[CONTINUES] ?? 0;
  let s = "";
  for (let i = 0; i < args.length; i++) {
    if (i || lead) s += ", ";
    s += i === 0 && skip ? args[0].text.slice(skip) : args[i].text;
  }
  return s;
}

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const UTF8_LOSSY = new TextDecoder("utf-8");

/** A number in JSON: itself when exact, else its exact decimal digits as a string. */
export function jsonNumber(value: number | bigint, unsigned = false): number | string {
  if (typeof value === "bigint") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  if (Number.isSafeInteger(value)) return value;
  return unsigned ? uText(value) : sText(value);
}

/** An address in JSON: `null` for NULL, else `"0x…"`. */
function jsonAddr(addr: number | bigint): string | null {
  if (addr === 0 || addr === 0n) return null;
  return typeof addr === "bigint" ? "0x" + BigInt.asUintN(64, addr).toString(16) : hex(addr);
}

/** Hex digits of bytes. */
function hexBytes(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

/** The JSON form of a value (see the table in this module's documentation). */
export function toJson(v: Value): Json {
  switch (v.kind) {
    case "int":
      return jsonNumber(v.value, v.unsigned);
    case "ptr":
      return jsonAddr(v.addr);
    case "flags": {
      const out: Json[] = [...v.names];
      if (v.rest !== 0 && v.rest !== 0n) out.push(jsonAddr(v.rest));
      return out;
    }
    case "enum":
      return v.name ?? jsonNumber(v.value);
    case "str": {
      let str: string;
      let utf8 = true;
      try {
        str = UTF8.decode(v.bytes);
      } catch {
        str = UTF8_LOSSY.decode(v.bytes);
        utf8 = false;
      }
      if (!v.truncated && utf8) return str;
      const o: { [key: string]: Json } = { str, truncated: v.truncated };
      if (v.len !== undefined) o.len = v.len;
      if (!utf8) o.hex = hexBytes(v.bytes);
      return o;
    }
    case "struct": {
      const o: { [key: string]: Json } = {};
      for (const [name, f] of v.fields) o[name] = toJson(f);
      if (v.more) o["..."] = true;
      return o;
    }
    case "array": {
      const out = v.items.map(toJson);
      if (v.truncated) out.push("...");
      return out;
    }
    case "fd": {
      const o: { [key: string]: Json } = { fd: v.fd };
      if (v.path !== undefined) o.path = v.path;
      if (v.socket !== undefined) o.socket = v.socket;
      return o;
    }
    case "signal":
      return v.name ?? v.value;
    case "call":
      return { call: v.fn, args: v.args.map(toJson) };
    case "change":
      return { in: toJson(v.before), out: toJson(v.after) };
    case "unavailable":
      return { unavailable: jsonAddr(v.addr) };
    case "raw":
      return { text: v.text };
  }
}

/** Entry argument lists not followed by `, ` (see {@linkcode whole}). */
const WHOLE = new WeakSet<readonly Value[]>();
/** Exit argument lists that start with `, ` (see {@linkcode more}). */
const MORE = new WeakSet<readonly Value[]>();
/** Exit argument lists whose first value continues the last entry value (see {@linkcode amend}). */
const AMEND = new WeakSet<readonly Value[]>();

/**
 * Marks entry arguments that strace does not follow with `, ` at entry although the decoder has
 * an exit hook: the call's whole list (`fcntl(3, F_GETFD)`: its exit hook returns `[]`), or
 * arguments whose separator strace prints at exit (`ioctl(0, TCGETS <unfinished ...>`: its exit
 * returns {@linkcode more}`([…])`, or {@linkcode amend}`([…])`).
 */
export function whole(args: readonly Value[]): readonly Value[] {
  WHOLE.add(args);
  return args;
}

/**
 * Marks exit arguments that follow a {@linkcode whole} entry: strace prints the `, ` before them
 * at exit (`ioctl(0, TCGETS` then `, {c_iflag=…}`).
 */
export function more(args: readonly Value[]): readonly Value[] {
  MORE.add(args);
  return args;
}

/**
 * Marks exit arguments whose first value completes the last value of a {@linkcode whole} entry
 * (strace's `[5]` at entry, ` => [10]` at exit): that first value is the complete typed value
 * (a {@linkcode V.change}, a struct), with as text only what strace adds at exit (built by
 * {@linkcode continued}); it replaces the entry's last value in {@linkcode callValues}.
 */
export function amend(args: readonly Value[]): readonly Value[] {
  AMEND.add(args);
  return args;
}

/**
 * `full` with as text only what follows `printed` (what the entry printed of it): the exit half
 * of a value for {@linkcode amend}. `full.text` must start with `printed`.
 */
export function continued<T extends Value>(full: T, printed: string): T {
  return {
    ...full,
    text: full.text.startsWith(printed) ? full.text.slice(printed.length) : full.text,
  };
}

/**
 * A call's typed arguments, entry then exit (v1 text as one `raw` value each); the last entry
 * value is replaced by the first exit one when the exit {@linkcode amend}s it.
 */
export function callValues(entry: Args, exit: Args | undefined): Value[] {
  const head: Value[] = typeof entry === "string"
    ? (entry ? [V.raw(entry.replace(/, $/, ""))] : [])
    : [...entry];
  if (exit === undefined) return head;
  if (typeof exit === "string") return exit ? [...head, V.raw(exit.replace(/^, /, ""))] : head;
  if ((exit as { [CONTINUES]?: number })[CONTINUES] !== undefined && exit.length && head.length) {
    return [...head.slice(0, -1), ...exit];
  }
  if (AMEND.has(exit) && exit.length && head.length) {
    const [first, ...rest] = exit;
    return [
      ...head.slice(0, -1),
      { ...first, text: head[head.length - 1].text + first.text },
      ...rest,
    ];
  }
  return [...head, ...exit];
}

/**
 * The text a call's entry prints (before `<unfinished ...>`): the entry arguments, and the `, `
 * that separates them from the arguments the exit will add (`read(3, `), unless they are the
 * call's {@linkcode whole} list. v1 text is as given.
 */
export function entryText(entry: Args, hasExit: boolean): string {
  if (typeof entry === "string") return entry;
  const s = argsText(entry);
  return hasExit && entry.length && !WHOLE.has(entry) ? s + ", " : s;
}

/**
 * Marks entry values as the whole call's arguments (strace's `RVAL_DECODED`): for a decoder
 * with an `exit` hook whose entry, for this call, already printed everything (`clone` without
 * `CLONE_*SETTID`, a `keyctl` command with no output buffer). The text printer then prints no
 * `, ` after them (`clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>`), and the exit hook
 * returns `[]`. (The same mark as {@linkcode whole}.)
 */
export function decoded(values: Value[]): readonly Value[] {
  DECODED.add(values);
  return whole(values);
}

/** Entry argument lists that are the whole call (see {@linkcode decoded}): the exit adds nothing. */
const DECODED = new WeakSet<readonly Value[]>();

/** The mark {@linkcode continues} sets: how much of its first value the entry printed. */
const CONTINUES: unique symbol = Symbol("continues");

/**
 * Marks entry values whose last one the exit completes: strace prints a struct at entry and what
 * the kernel wrote back into it at exit (`clone3({flags=…} <unfinished ...>`, then
 * `<... clone3 resumed> => {parent_tid=[42]}, 88)`). No `, ` follows them; the exit hook returns
 * {@linkcode continues}. (The same mark as {@linkcode whole}.)
 */
export function pending(values: Value[]): readonly Value[] {
  return whole(values);
}

/** Whether entry values are followed by no `, ` at entry ({@linkcode whole}, {@linkcode pending}). */
export function isPending(args: Args): boolean {
  return typeof args !== "string" && WHOLE.has(args);
}

/** Whether entry values were marked as the whole call by {@linkcode decoded}. */
export function isDecoded(args: Args): boolean {
  return typeof args !== "string" && DECODED.has(args);
}

/**
 * Marks exit values whose first one completes `printed`, the last value of {@linkcode pending}
 * entry values: it is `printed` itself, or a `V.change(printed, after)`. Its text prints only what
 * follows `printed.text` (` => {parent_tid=[42]}`); in a call's values it replaces `printed`
 * (see {@linkcode callValues}).
 */
export function continues(values: Value[], printed: Value): readonly Value[] {
  return Object.assign(values, { [CONTINUES]: printed.text.length });
}

/** All the argument values of a typed call (see {@linkcode callValues}). */
export function callArgs(entry: readonly Value[], exit: readonly Value[] | undefined): Value[] {
  return callValues(entry, exit);
}

/** The text of a whole call's arguments: what {@linkcode entryText} printed, then the exit's. */
export function callArgsText(entry: Args, exit: Args | undefined): string {
  return entryText(entry, exit !== undefined) + (exit === undefined ? "" : argsText(exit));
}

/** A return value's text: a value's `text`, or the text itself. */
export function resultText(r: Value | string): string {
  return typeof r === "string" ? r : r.text;
}

/**
 * A struct as strace prints it at entry when the exit adds more fields: its text lacks the closing
 * `}` (`io_uring_setup(1, {flags=0, sq_thread_cpu=0, sq_thread_idle=0 <unfinished ...>`). For
 * {@linkcode pending} entry values whose exit {@linkcode continues} with the whole struct.
 */
export function unclosed(v: StructValue): StructValue {
  return { ...v, text: v.text.endsWith("}") ? v.text.slice(0, -1) : v.text };
}
