/**
 * Every built-in decoder against hostile input: random arguments (small ints, -1, huge values,
 * pointers into random memory, pointers to nowhere), random memory contents, random return values
 * and errors, and every output option. None may throw; each must return a string.
 * Fixed seed, so a failure reproduces.
 */
import { assert } from "./helpers/assert.ts";
import { builtinDecoders } from "../decoders/mod.ts";
import { syscallByName } from "../decoders/syscall_table.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import type { FormatOptions } from "../decoders/api.ts";

/** xorshift32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const BASE = 0x10000;
const SIZE = 8192;

Deno.test("every decoder survives random arguments, memory and options", () => {
  const rnd = prng(0x5c7ace);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const names = Object.keys(builtinDecoders).sort();
  assert(names.length > 250, `only ${names.length} decoders`);
  let calls = 0;
  for (const name of names) {
    const dec = builtinDecoders[name];
    for (let round = 0; round < 60; round++) {
      const mem = new FakeMemory();
      const bytes = new Uint8Array(SIZE);
      // Mostly garbage, sometimes zeros, sometimes ASCII: structs, strings and arrays all appear.
      const kind = round % 3;
      for (let i = 0; i < SIZE; i++) {
        bytes[i] = kind === 0 ? Math.floor(rnd() * 256) : kind === 1 ? 0 : 32 + (i % 90);
      }
      if (round % 5 !== 4) mem.put(BASE, bytes);
      const arg = (): number | bigint =>
        pick([
          () => 0,
          () => 1,
          () => -1,
          () => -100,
          () => Math.floor(rnd() * 64),
          () => BASE + Math.floor(rnd() * SIZE),
          () => BASE + SIZE - 3,
          () => 0xdeadbeef,
          () => 0x7fffffffffffn,
          () => 0xffffffffffffffffn,
          () => BigInt(Math.floor(rnd() * 2 ** 32)) << 32n,
        ])();
      const args = Array.from({ length: 6 }, arg);
      const opts: Partial<FormatOptions> = {
        strsize: pick([0, 1, 32, 4096]),
        verbose: rnd() < 0.5,
        hexStrings: pick([0, 1, 2]),
        xlat: pick(["abbrev", "raw", "verbose"] as const),
        decodeFds: pick([0, 1, 2]),
      };
      const ret = pick([0, 1, 5, 64, 4096, -1, -2, -14, -512, 2 ** 40]);
      const state: Record<string, unknown> = {};
      const entry = fakeCall({ name, args, mem, opts, state, sp: BASE + 64 });
      const exit = fakeCall({ name, args, mem, opts, state, ret, sp: BASE + 64 });
      for (
        const [what, fn] of [
          ["enter", () => dec.enter?.(entry)],
          ["exit", () => dec.exit?.(exit)],
          ["result", () => dec.result?.(exit)],
        ] as const
      ) {
        let out: unknown;
        try {
          out = fn();
        } catch (e) {
          throw new Error(
            `${name}.${what} threw on args=${args.map(String)} ret=${ret} ${
              JSON.stringify(opts)
            }: ${e}`,
          );
        }
        assert(out === undefined || typeof out === "string", `${name}.${what} returned ${out}`);
        calls++;
      }
    }
    // The decoder's name is a real syscall (or a decoder shared by several).
    void syscallByName(name);
  }
  assert(calls > 40000, `only ${calls} calls`);
});
