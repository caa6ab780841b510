/**
 * `--color` inside the arguments: paints a typed {@linkcode Value} token by token, as strace 7's
 * `tprint_*` calls colour what they print (`src/print_fields.c`, `src/xlat.c`):
 * - constants (flag and enum names, signal names, `AT_FDCWD`) as `const`;
 * - numbers, pointers, strings, fds and other values as `argval`;
 * - struct field names as `argname`;
 * - punctuation (`{` `}` `[` `]` `, ` `=` `|` `(` `)` `<` `>` ` => ` `...`) as `punct`;
 * - function-like forms' names (`makedev`, `htons`) as `call`;
 * - trailing `/* … *\/` comments as `comment`.
 *
 * With the colour codes removed, the result is always exactly the value's `text`: a value whose
 * text cannot be rebuilt from its parts (a text set by hand, the half of a value a call's entry
 * or exit prints) is painted whole as `argval`, and `raw` values always are. The text printer
 * calls this only when the palette is enabled; without colour it prints `text` as it is.
 * @module
 */

import { type Args, isPending, type Value } from "../../decoders/value.ts";
import type { Palette } from "./color.ts";

/** A symbolic constant (`O_RDONLY`, `SIGCHLD`, `AT_FDCWD`, `FUTEX_WAIT_PRIVATE`). */
const CONST = /^[A-Z_][A-Z0-9_]*$/;

/** A trailing comment (`0x8000 /* MAP_??? *\/`). */
const COMMENT = / \/\* .* \*\/$/s;

/**
 * Paints the text of a flag set or enum: names as `const`, `|` as `punct`, comments
 * (`0x630000 /* KEXEC_ARCH_??? *\/|0x8 /* KEXEC_??? *\/`) as `comment`, the rest as `argval`.
 */
function paintConsts(p: Palette, text: string): string {
  let s = "";
  for (const part of text.split(/( \/\* .*? \*\/|\|)/s)) {
    if (part === "") continue;
    if (part === "|") s += p.paint("punct", part);
    else if (part.startsWith(" /* ")) s += p.paint("comment", part);
    else s += p.paint(CONST.test(part) && /[A-Z]/.test(part) ? "const" : "argval", part);
  }
  return s;
}

/** A painted rendering and the plain text it stands for. */
interface Built {
  painted: string;
  plain: string;
}

/** Collects painted tokens and their plain text. */
class Tokens implements Built {
  painted = "";
  plain = "";
  constructor(private p: Palette) {}
  /** Adds a token of `kind`. */
  add(kind: Parameters<Palette["paint"]>[0], text: string): this {
    this.painted += this.p.paint(kind, text);
    this.plain += text;
    return this;
  }
  /** Adds a value, painted by {@linkcode paintValue} (its plain text is its `text`). */
  value(v: Value): this {
    this.painted += paintValue(this.p, v);
    this.plain += v.text;
    return this;
  }
}

/** The token-by-token rendering of a value from its parts (its plain text may differ from `text`). */
function build(p: Palette, v: Value): Built {
  const t = new Tokens(p);
  switch (v.kind) {
    case "struct": {
      // Named fields (`{a=1}`), or a tuple's positional ones (`{1, 2}`) when that is the text.
      const tuple = v.fields.every(([n], i) => n === String(i)) &&
        v.text === "{" + v.fields.map(([, f]) => f.text).join(", ") + "}";
      t.add("punct", "{");
      v.fields.forEach(([name, f], i) => {
        if (i) t.add("punct", ", ");
        if (!tuple) t.add("argname", name).add("punct", "=");
        t.value(f);
      });
      if (v.more) t.add("punct", v.fields.length ? ", ..." : "...");
      return t.add("punct", "}");
    }
    case "array": {
      t.add("punct", "[");
      v.items.forEach((item, i) => {
        if (i) t.add("punct", ", ");
        t.value(item);
      });
      if (v.truncated) {
        if (v.items.length) t.add("punct", ", ");
        // The cut marker: `...`, or the tail the decoder gave (what is left before the `]`).
        const tail = v.text.startsWith(t.plain) && v.text.endsWith("]")
          ? v.text.slice(t.plain.length, -1)
          : "...";
        t.add(tail === "..." ? "punct" : "argval", tail);
      }
      return t.add("punct", "]");
    }
    case "call":
      t.add("call", v.fn).add("punct", "(");
      v.args.forEach((a, i) => {
        if (i) t.add("punct", ", ");
        t.value(a);
      });
      return t.add("punct", ")");
    case "change":
      return t.value(v.before).add("punct", " => ").value(v.after);
    case "flags":
    case "enum":
    case "signal":
      return { painted: paintConsts(p, v.text), plain: v.text };
    case "fd": {
      // `3`, `AT_FDCWD`, `3</etc/passwd>`, `4<TCP:[…]>`: the descriptor, then what -y knows in <>.
      const lt = v.text.indexOf("<");
      const num = lt < 0 ? v.text : v.text.slice(0, lt);
      t.add(CONST.test(num) && /[A-Z]/.test(num) ? "const" : "argval", num);
      if (lt >= 0 && v.text.endsWith(">")) {
        t.add("punct", "<").add("argval", v.text.slice(lt + 1, -1)).add("punct", ">");
      } else if (lt >= 0) t.add("argval", v.text.slice(lt));
      return t;
    }
    case "str":
      return t.add("argval", v.text);
    default: {
      // int, ptr, unavailable: one value token, and strace's comment after it (`V.comment`).
      const m = COMMENT.exec(v.text);
      if (!m) return t.add("argval", v.text);
      return t.add("argval", v.text.slice(0, m.index)).add("comment", m[0]);
    }
  }
}

/**
 * `v` painted with `p`, token by token (see the module documentation). With the escape codes
 * removed the result is exactly `v.text`.
 *
 * @example
 * ```ts
 * import { ansiPalette } from "./color.ts";
 * import { V } from "../../decoders/value.ts";
 * import { paintValue } from "./color_args.ts";
 * paintValue(ansiPalette(), V.struct([["st_size", V.int(12)]]));
 * // "\x1b[0m{\x1b[0m\x1b[39mst_size\x1b[0m\x1b[0m=\x1b[0m\x1b[35m12\x1b[0m\x1b[0m}\x1b[0m"
 * ```
 */
export function paintValue(p: Palette, v: Value): string {
  if (v.kind === "raw" || v.text === "") return p.paint("argval", v.text);
  const b = build(p, v);
  if (b.plain === v.text) return b.painted;
  // A comment strace appended to the value (`V.comment`).
  if (v.text.startsWith(b.plain) && COMMENT.test(v.text)) {
    const rest = v.text.slice(b.plain.length);
    if (COMMENT.exec(rest)?.index === 0) return b.painted + p.paint("comment", rest);
  }
  return p.paint("argval", v.text);
}

/**
 * Argument values painted as `argsText` joins them: `, ` between them (and before them when the
 * exit's values follow the entry's with one); text (a v1 decoder's, or a value the entry already
 * printed part of) painted whole as `argval`. Stripped of escape codes, it is `argsText(args)`.
 */
export function paintArgs(p: Palette, args: Args, text: string): string {
  if (typeof args === "string" || !args.length) return text ? p.paint("argval", text) : text;
  // `text` is `argsText(args)`; the leading `, ` and a first value the entry printed part of
  // are found by comparing it with the values' own texts.
  let s = "";
  let rest = text;
  for (let i = 0; i < args.length; i++) {
    if (rest.startsWith(", ") && (i > 0 || !rest.startsWith(args[0].text))) {
      s += p.paint("punct", ", ");
      rest = rest.slice(2);
    }
    const v = args[i];
    if (i === 0 && !rest.startsWith(v.text)) {
      // The exit's half of a value the entry began: its text only in part.
      const len = args.length === 1 ? rest.length : rest.length - tailLength(args.slice(1));
      if (len < 0) return p.paint("argval", text);
      s += p.paint("argval", rest.slice(0, len));
      rest = rest.slice(len);
      continue;
    }
    if (!rest.startsWith(v.text)) return p.paint("argval", text);
    s += paintValue(p, v);
    rest = rest.slice(v.text.length);
  }
  return rest === "" ? s : p.paint("argval", text);
}

/** The length of `, a, b` for values a, b. */
function tailLength(vs: readonly Value[]): number {
  let n = 0;
  for (const v of vs) n += 2 + v.text.length;
  return n;
}

/**
 * The entry's arguments painted as `entryText` prints them: {@linkcode paintArgs}, then the
 * `, ` before the exit's arguments when there will be some.
 */
export function paintEntry(p: Palette, entry: Args, hasExit: boolean, text: string): string {
  if (typeof entry === "string") return text ? p.paint("argval", text) : text;
  const sep = hasExit && entry.length > 0 && !isPending(entry);
  const body = sep ? text.slice(0, -2) : text;
  return paintArgs(p, entry, body) + (sep ? p.paint("punct", ", ") : "");
}
