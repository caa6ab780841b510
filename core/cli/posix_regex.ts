/**
 * POSIX extended regular expressions from libc (`regcomp`/`regexec`/`regerror`), so that
 * `-e trace=/REGEX` matches, and fails, exactly as strace's does (`regcomp: (: Unmatched ( or \(`).
 * libc is opened only when a regex is used.
 * @module
 */

import { cString } from "../../ffi/libc.ts";

const symbols = {
  regcomp: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
  regexec: { parameters: ["buffer", "buffer", "usize", "pointer", "i32"], result: "i32" },
  regerror: { parameters: ["i32", "buffer", "buffer", "usize"], result: "usize" },
  regfree: { parameters: ["buffer"], result: "void" },
} as const;

let lib: Deno.DynamicLibrary<typeof symbols>["symbols"] | undefined;

/** `REG_EXTENDED | REG_NOSUB`, as strace compiles. */
const FLAGS = 1 | 8;
/** `regexec`'s no-match result. */
const REG_NOMATCH = 1;

/**
 * Compiles `pattern` as strace does and returns a matcher, or the text of the error
 * (`regerror`), e.g. `Unmatched ( or \(`.
 */
export function posixRegex(pattern: string): ((s: string) => boolean) | { error: string } {
  lib ??= Deno.dlopen("libc.so.6", symbols).symbols;
  const preg = new Uint8Array(64); // sizeof(regex_t) on x86_64 glibc
  const rc = lib.regcomp(preg, cString(pattern), FLAGS);
  if (rc !== 0) {
    const buf = new Uint8Array(512);
    lib.regerror(rc, preg, buf, BigInt(buf.length));
    const end = buf.indexOf(0);
    return { error: new TextDecoder().decode(buf.subarray(0, end < 0 ? buf.length : end)) };
  }
  const l = lib;
  return (s: string) => l.regexec(preg, cString(s), 0n, null, 0) !== REG_NOMATCH;
}
