/**
 * Assertions for tests, behind one module so a later switch to `@std/assert` touches one file.
 * Uses Deno's built-in `node:assert/strict`.
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Asserts that `cond` is truthy. */
export function assert(cond: unknown, msg?: string): asserts cond {
  nodeAssert.ok(cond, msg);
}

/** Asserts deep equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Asserts that `text` matches `re`. */
export function assertMatch(text: string, re: RegExp, msg?: string): void {
  nodeAssert.match(text, re, msg);
}

/** Asserts that `fn` throws. */
export function assertThrows(fn: () => unknown, msg?: string): void {
  nodeAssert.throws(fn, msg);
}
