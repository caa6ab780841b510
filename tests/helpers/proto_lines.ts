/**
 * Helpers for the lines of `--proto`.
 * @module
 */

/** The endpoints every protocol line ends with: ` (client 127.0.0.1:41234 -> 127.0.0.1:9000)`. */
export const ENDS_RE: RegExp = / \((?:client |server )?\S+ -> \S+\)$/;

/** A protocol line without its endpoints. */
export function withoutEnds(line: string): string {
  return line.replace(ENDS_RE, "");
}
