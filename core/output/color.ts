/**
 * `--color`: the escape sequences the text printer puts around each kind of token, after strace
 * 7's color kinds (`src/color.c`): syscall names, argument values, constants, errors, return
 * values, comments, punctuation, signals and protocol messages.
 *
 * The text printer calls {@linkcode Palette.paint} for every token it prints; with colour off
 * (the default, and always for files and pipes unless `--color=always`) it returns the text as is.
 * @module
 */

/** The kinds of tokens that may be coloured. */
export type ColorKind =
  | "syscall"
  | "argval"
  | "const"
  | "error"
  | "retval"
  | "comment"
  | "punct"
  | "signal"
  | "exit"
  | "proto";

/** Colours tokens (or not). */
export interface Palette {
  /** Whether any colour is produced. */
  readonly enabled: boolean;
  /** `text` wrapped in the sequences of `kind` (or `text` itself when colour is off). */
  paint(kind: ColorKind, text: string): string;
}

/** No colour at all. */
export const NO_COLOR: Palette = { enabled: false, paint: (_kind, text) => text };
