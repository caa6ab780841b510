/**
 * `--color`: the escape sequences the text printer puts around each kind of token, after strace
 * 7's color kinds (`src/color.c`): syscall names, argument names and values, constants, errors,
 * return values, comments, punctuation, plus sctrace's own signals, exits and protocol messages.
 *
 * The text printer calls {@linkcode Palette.paint} for every token it prints; with colour off
 * it returns the text as is. Whether colour is on is strace 7's `color_init`:
 * - `--color=never`: never;
 * - `--color=always`: always, whatever the output is (a file, a pipe) and whatever `NO_COLOR` says;
 * - `--color=auto` (the default): only when the trace output is a terminal, `-ff` is not writing
 *   one file per process, `NO_COLOR` is not set (to anything, even empty, as strace reads it) and
 *   `TERM` names a terminal that has colours (set, not `dumb` or `unknown`).
 *
 * `STRACE_COLORS` (`syscall=1;31:error=4;31`, keys case-insensitive, values SGR parameter lists
 * of digits and `;`) changes the sequence of a kind; parts that do not parse are ignored, as
 * strace ignores them. sctrace also knows the keys `signal`, `exit` and `proto`.
 * @module
 */

/** The kinds of tokens that may be coloured (strace 7's, then sctrace's own). */
export type ColorKind =
  | "syscall"
  | "argname"
  | "argval"
  | "call"
  | "const"
  | "error"
  | "retval"
  | "comment"
  | "punct"
  | "signal"
  | "exit"
  | "proto";

/** `--color=WHEN`. */
export type ColorMode = "auto" | "always" | "never";

/** The values `--color` takes, as strace's `color_mode_str` (matched case-insensitively). */
export const COLOR_MODES: readonly ColorMode[] = ["auto", "never", "always"];

/** Colours tokens (or not). */
export interface Palette {
  /** Whether any colour is produced. */
  readonly enabled: boolean;
  /** `text` wrapped in the sequences of `kind` (or `text` itself when colour is off). */
  paint(kind: ColorKind, text: string): string;
}

/** No colour at all. */
export const NO_COLOR: Palette = { enabled: false, paint: (_kind, text) => text };

/** The SGR sequence that ends every painted token (strace's `COLOR_RESET`). */
export const RESET = "\x1b[0m";

/**
 * The default SGR parameters of each kind: strace 7's `color_seq_table_default` for its kinds;
 * sctrace's own kinds use the same standard colours (bold rather than bright, as strace's man
 * page asks, so that terminal themes can adapt them).
 */
export const DEFAULT_COLORS: Readonly<Record<ColorKind, string>> = Object.freeze({
  argname: "39", // foreground
  argval: "35", // magenta
  call: "33", // yellow
  comment: "36", // cyan
  const: "34", // blue
  error: "31", // red
  punct: "0", // reset
  retval: "32", // green
  syscall: "33", // yellow
  signal: "1;33", // bold yellow
  exit: "1", // bold
  proto: "1;36", // bold cyan
});

/** Parses `--color`'s value (case-insensitive, as strace's `find_arg_val`); undefined if bad. */
export function parseColorMode(arg: string): ColorMode | undefined {
  const low = arg.toLowerCase();
  return COLOR_MODES.find((m) => m === low);
}

/**
 * Applies `STRACE_COLORS` to the SGR parameters of each kind (strace's `parse_strace_colors`):
 * `key=sgr` parts separated by `:`, spaces around keys and values trimmed, unknown keys and
 * values that are not digits and `;` (with at least one digit) ignored, later parts winning.
 */
export function parseStraceColors(
  spec: string | undefined,
  base: Readonly<Record<ColorKind, string>> = DEFAULT_COLORS,
): Record<ColorKind, string> {
  const out = { ...base };
  if (!spec) return out;
  for (const part of spec.split(":")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase() as ColorKind;
    const val = part.slice(eq + 1).trim();
    if (!Object.hasOwn(out, key)) continue;
    if (/^[0-9;]+$/.test(val) && /[0-9]/.test(val)) out[key] = val;
  }
  return out;
}

/** A palette painting each kind with the given SGR parameters. */
export function ansiPalette(colors: Readonly<Record<ColorKind, string>> = DEFAULT_COLORS): Palette {
  const seq = {} as Record<ColorKind, string>;
  for (const k of Object.keys(colors) as ColorKind[]) seq[k] = `\x1b[${colors[k]}m`;
  return {
    enabled: true,
    paint: (kind, text) => text === "" ? text : seq[kind] + text + RESET,
  };
}

/** Whether a terminal of type `term` has colours (strace without termcap: set, not dumb/unknown). */
function colorTerm(term: string | undefined): boolean {
  if (!term) return false;
  const t = term.toLowerCase();
  return t !== "dumb" && t !== "unknown";
}

/**
 * Whether descriptor `fd` (of this process), or the file at a path, is a terminal. Standard
 * streams ask Deno; other descriptors and paths are resolved through `/proc/self/fd` and checked
 * to be a character device under `/dev/pts`, `/dev/tty*` or `/dev/console`.
 */
export function isTerminal(fd: number | string): boolean {
  try {
    if (fd === 0) return Deno.stdin.isTerminal();
    if (fd === 1) return Deno.stdout.isTerminal();
    if (fd === 2) return Deno.stderr.isTerminal();
    const path = typeof fd === "number" ? Deno.readLinkSync(`/proc/self/fd/${fd}`) : fd;
    if (typeof fd === "string" && /^[|!]/.test(fd)) return false; // -o '|command'
    const real = Deno.realPathSync(path);
    if (!/^\/dev\/(pts\/\d+|tty[^/]*|console)$/.test(real)) return false;
    return Deno.statSync(real).isCharDevice === true;
  } catch {
    return false;
  }
}

/** What {@linkcode makePalette} needs besides the mode and the output. */
export interface PaletteContext {
  /** `-ff`: one file per process (no colour unless `always`). */
  separately?: boolean;
  /** The environment (`NO_COLOR`, `TERM`, `STRACE_COLORS`); the process's own by default. */
  env?: (name: string) => string | undefined;
  /** Decides whether the output is a terminal (tests); {@linkcode isTerminal} by default. */
  isTerminal?: (fd: number | string) => boolean;
}

/**
 * The palette for `--color=mode` when the trace goes to `out`: a descriptor (2 for stderr) or the
 * `-o` argument (a path, or `|command`). See the module documentation for the rules.
 *
 * @example
 * ```ts
 * import { makePalette } from "./color.ts";
 * const p = makePalette("always", 2);
 * p.paint("syscall", "getpid"); // "\x1b[33mgetpid\x1b[0m"
 * ```
 */
export function makePalette(
  mode: ColorMode,
  out: number | string,
  ctx: PaletteContext = {},
): Palette {
  if (mode === "never") return NO_COLOR;
  const env = ctx.env ?? ((n: string) => Deno.env.get(n));
  if (mode === "auto") {
    if (ctx.separately) return NO_COLOR;
    if (env("NO_COLOR") !== undefined || !colorTerm(env("TERM"))) return NO_COLOR;
    if (!(ctx.isTerminal ?? isTerminal)(out)) return NO_COLOR;
  }
  return ansiPalette(parseStraceColors(env("STRACE_COLORS")));
}

/**
 * The palette for parsed options: `--color` (auto when absent) with the output `-o` names
 * (stderr without `-o`) and `-ff`.
 */
export function paletteFor(
  o: { color?: ColorMode; output?: string; separately: boolean },
  ctx: Omit<PaletteContext, "separately"> = {},
): Palette {
  return makePalette(o.color ?? "auto", o.output === undefined ? 2 : o.output, {
    ...ctx,
    separately: o.separately,
  });
}
