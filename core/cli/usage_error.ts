/**
 * The errors of a bad command line, shared by the option parser and the `-e` expression parsers.
 * @module
 */

/** Thrown for bad command lines; `message` is printed after `sctrace: ` (nothing when empty). */
export class UsageError extends Error {
  /** Whether to print the `Try '… -h'` hint after the message. */
  hint: boolean;
  /** Creates the error. */
  constructor(message: string, hint = true) {
    super(message);
    this.hint = hint;
  }
}

/** Thrown for an option strace has and sctrace does not implement: `OPTION is not supported`. */
export class Unsupported extends UsageError {
  /** Creates the error for `option` (as the user should read it, e.g. `-k/--stack-traces`). */
  constructor(option: string, yet = false) {
    super(`${option} is not supported${yet ? " yet" : ""}`, false);
  }
}

/** A token set as strace's `qualify_tokens` reads it: inverted or not, and its members. */
export interface TokenSet<T> {
  /** The set is everything but `items`. */
  not: boolean;
  /** The members named. */
  items: Set<T>;
}

/**
 * strace's `qualify_tokens`: `[!]…{none|all|TOKEN[,TOKEN]…}` (`all` and `none` only as the whole
 * set; empty tokens skipped; none at all is an error naming the whole set). `lookup` gives a
 * token's value, or undefined: `invalid WHAT 'TOKEN'`.
 */
export function qualifyTokens<T>(
  str: string,
  lookup: (token: string) => T | undefined,
  what: string,
): TokenSet<T> {
  let s = str;
  let not = false;
  while (s.startsWith("!")) {
    not = !not;
    s = s.slice(1);
  }
  const items = new Set<T>();
  if (s === "none") return { not, items };
  if (s === "all") return { not: !not, items };
  let any = false;
  for (const token of s.split(",")) {
    if (token === "") continue;
    const v = lookup(token);
    if (v === undefined) throw new UsageError(`invalid ${what} '${token}'`, false);
    items.add(v);
    any = true;
  }
  if (!any) throw new UsageError(`invalid ${what} '${str}'`, false);
  return { not, items };
}

/** Whether `item` is in a token set. */
export function inTokenSet<T>(set: TokenSet<T>, item: T): boolean {
  return set.items.has(item) !== set.not;
}

/** C `isspace`, at the start of a string. */
const SPACE = /^[ \t\n\v\f\r]*/;

/**
 * strace's `string_to_uint_ex` (strtoll, then range and ending checks): the value and what
 * follows it, or undefined when invalid.
 */
export function stringToUint(
  s: string,
  max: bigint = 2147483647n,
  ending?: string,
): { value: number; rest: string } | undefined {
  if (s === "") return undefined;
  const lead = SPACE.exec(s)![0].length;
  const m = /^([+-]?)([0-9]+)/.exec(s.slice(lead));
  if (!m) return undefined;
  let v = BigInt(m[2]);
  if (m[1] === "-") v = -v;
  if (v < 0n || v > max || v > 9223372036854775807n) return undefined;
  const rest = s.slice(lead + m[0].length);
  if (rest !== "" && (!ending || !ending.includes(rest[0]))) return undefined;
  return { value: Number(v), rest };
}
