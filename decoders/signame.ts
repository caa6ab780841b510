/**
 * Signal names and signal sets, printed the way strace 6.1 prints them on x86_64: `SIGUSR1`,
 * `SIGRTMIN` (32), `SIGRT_2` (34) ... `SIGRT_32` (64), a bare number for anything else; sets as
 * `[USR1 CHLD]`, `[]`, or the complement `~[RTMIN RT_1]` when two thirds or more of the bits are set.
 *
 * @example
 * ```ts
 * import { signame, sigsetText } from "./signame.ts";
 * signame(40); // "SIGRT_8"
 * sigsetText(new Uint8Array([0x00, 0x02, 0x01, 0, 0, 0, 0, 0])); // "[USR1 CHLD]"
 * ```
 * @module
 */

import type { XlatStyle } from "./api.ts";
import { NSIG_BYTES, signals, SIGRTMAX, SIGRTMIN } from "./xlat/signals.ts";

/** strace's name for signal `n` (`SIGUSR1`, `SIGRTMIN`, `SIGRT_8`), or `undefined` if none. */
export function signalName(n: number): string | undefined {
  if (!Number.isInteger(n) || n <= 0) return undefined;
  if (n < SIGRTMIN) return signals.byValue.get(n);
  if (n === SIGRTMIN) return "SIGRTMIN";
  if (n <= SIGRTMAX) return `SIGRT_${n - SIGRTMIN}`;
  return undefined;
}

/**
 * strace's text for signal `n` (its `sprintsigname`): the name, or the decimal number when the
 * signal has none (`0`, `65`, `-3`).
 */
export function signame(n: number): string {
  return signalName(n) ?? String(n);
}

/**
 * Prints a signal argument as strace's `printsignal` does under `-X`: `SIGUSR1` (abbrev), `10`
 * (raw), `10 /* SIGUSR1 *\/` (verbose); a number without a name is always printed as a number.
 */
export function printSignal(n: number, style: XlatStyle = "abbrev"): string {
  const name = signalName(n);
  if (name === undefined || style === "raw") return String(n);
  return style === "verbose" ? `${n} /* ${name} */` : name;
}

/** The name of signal `n` inside a set: without `SIG` (`USR1`, `RTMIN`, `RT_1`). */
function setName(n: number): string | undefined {
  return signalName(n)?.slice(3);
}

/**
 * Prints a signal set the way strace's `sprintsigmask_n` does: `bytes` is the set as read from
 * the tracee (little-endian, bit 0 is signal 1); at most {@linkcode NSIG_BYTES} of them count,
 * padded to whole 32-bit words. When two thirds or more of the bits are set, the complement is
 * printed after `~` (`~[]` for a full set). `style` follows `-X`: `[10 17]` raw,
 * `[10 /* USR1 *\/ 17 /* CHLD *\/]` verbose.
 */
export function sigsetText(bytes: Uint8Array, style: XlatStyle = "abbrev"): string {
  const len = Math.min(bytes.length, NSIG_BYTES);
  const words = Math.ceil(len / 4);
  const nbits = words * 32;
  const set: boolean[] = [];
  let count = 0;
  for (let i = 0; i < nbits; i++) {
    const byte = i >> 3 < len ? bytes[i >> 3] : 0;
    const bit = ((byte >> (i & 7)) & 1) === 1;
    set.push(bit);
    if (bit) count++;
  }
  let prefix = "";
  if (count >= Math.floor((nbits * 2) / 3)) {
    prefix = "~";
    for (let i = 0; i < nbits; i++) set[i] = !set[i];
  }
  const items: string[] = [];
  for (let i = 0; i < nbits; i++) {
    if (!set[i]) continue;
    const sig = i + 1;
    const name = setName(sig);
    if (style === "raw") items.push(String(sig));
    else if (style === "verbose") {
      items.push(name === undefined ? `${sig}` : `${sig} /* ${name} */`);
    } else if (name !== undefined) items.push(name);
  }
  return `${prefix}[${items.join(" ")}]`;
}

/** Builds the 8 bytes of a sigset holding the given signals (1..64), for tests and plugins. */
export function sigsetBytes(sigs: readonly number[]): Uint8Array {
  const out = new Uint8Array(NSIG_BYTES);
  for (const s of sigs) {
    if (Number.isInteger(s) && s >= 1 && s <= NSIG_BYTES * 8) {
      out[(s - 1) >> 3] |= 1 << ((s - 1) & 7);
    }
  }
  return out;
}
