/**
 * Every built-in decoder against hostile input: random arguments (small ints, -1, huge values,
 * pointers into random memory, pointers to nowhere), random memory contents, random return values
 * and errors, and every output option. None may throw; each must return a string of strace's
 * shape (balanced brackets, closed quotes, no JavaScript values leaking), and every string cut by
 * `-s` shows exactly `-s` bytes followed by `...`. Fixed seed, so a failure reproduces.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { builtinDecoders } from "../decoders/mod.ts";
import { syscallByName } from "../decoders/syscall_table.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import { shape, strsizeProblems } from "./helpers/shape.ts";
import type { FormatOptions } from "../decoders/api.ts";
import {
  type Args,
  callArgsText,
  isDecoded,
  isPending,
  resultText,
  toJson,
  type Value,
} from "../decoders/value.ts";

/** Whether `v` is a typed value (has a kind and its text). */
function isValue(v: unknown): v is Value {
  return typeof v === "object" && v !== null && typeof (v as Value).kind === "string" &&
    typeof (v as Value).text === "string";
}

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
  let quotedSeen = 0;
  let cutSeen = 0;
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
      const render = (o: Partial<FormatOptions>, calls: { n: number }) => {
        const state: Record<string, unknown> = {};
        const entry = fakeCall({ name, args, mem, opts: o, state, sp: BASE + 64 });
        const exit = fakeCall({ name, args, mem, opts: o, state, ret, sp: BASE + 64 });
        const hooks: (Args | Value | undefined)[] = [];
        for (
          const [what, fn] of [
            ["enter", () => dec.enter?.(entry)],
            ["exit", () => dec.exit?.(exit)],
            ["result", () => dec.result?.(exit)],
          ] as const
        ) {
          let s: unknown;
          try {
            s = fn();
          } catch (e) {
            throw new Error(
              `${name}.${what} threw on args=${args.map(String)} ret=${ret} ${
                JSON.stringify(o)
              }: ${e}`,
            );
          }
          assert(
            s === undefined || typeof s === "string" || (what !== "result" && Array.isArray(s)) ||
              (what === "result" && isValue(s)),
            `${name}.${what} returned ${s}`,
          );
          // Typed values (v2): each has its text, and a JSON form that serialises.
          for (const v of Array.isArray(s) ? s : isValue(s) ? [s] : []) {
            assert(isValue(v), `${name}.${what} returned a non-value ${v}`);
            JSON.stringify(toJson(v));
          }
          hooks.push(s as Args | Value | undefined);
          calls.n++;
        }
        const [en, ex, res] = hooks;
        // v2: an exit hook adds at least one argument after entry's (the printer put `, `).
        assert(
          !(Array.isArray(en) && en.length && !isDecoded(en as Args) && !isPending(en as Args) &&
            Array.isArray(ex) && !ex.length),
          `${name}: exit added nothing after entry's arguments`,
        );
        // An entry that printed the whole call (`decoded`) leaves the exit nothing to add.
        assert(
          !(Array.isArray(en) && isDecoded(en as Args) && Array.isArray(ex) && ex.length),
          `${name}: exit added arguments after an entry marked decoded`,
        );
        // The arguments print as one text (entry's, then exit's); the result apart.
        return [
          callArgsText((en ?? "") as Args, dec.exit ? (ex ?? "") as Args : undefined),
          res === undefined ? "" : resultText(res as Value | string),
        ];
      };
      const counter = { n: 0 };
      const texts = render(opts, counter);
      const whole = render({ ...opts, strsize: 1 << 16 }, { n: 0 });
      calls += counter.n;
      texts.forEach((text, k) => {
        const where = `${name} ${k ? "result" : "arguments"} (args=${args.map(String)} ret=${ret} ${
          JSON.stringify(opts)
        }): ${text.slice(0, 300)}`;
        const sh = shape(text);
        assert(sh.problem === undefined, `${sh.problem} in ${where}`);
        const bad = strsizeProblems(sh.quoted, opts.strsize!, whole[k]);
        assertEquals(bad, [], where);
        quotedSeen += sh.quoted.length;
        cutSeen += sh.quoted.filter((q) => q.cut).length;
      });
    }
    // The decoder's name is a real syscall (a typo would leave the decoder unused).
    assert(syscallByName(name) !== undefined, `decoder ${name} is not a syscall`);
  }
  assert(calls > 40000, `only ${calls} calls`);
  // The string checks ran on enough strings, cut and whole.
  assert(quotedSeen > 800 && cutSeen > 300, `${quotedSeen} strings, ${cutSeen} cut`);
});

Deno.test("bpf survives every command with hostile attrs, sizes and info structs", () => {
  const rnd = prng(0xb9f);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const dec = builtinDecoders.bpf;
  const sizes = [0, 1, 3, 4, 8, 12, 16, 20, 24, 28, 36, 48, 56, 72, 76, 80, 128, 220, 4096, 4097];
  let calls = 0;
  for (let cmd = 0; cmd < 40; cmd++) {
    for (const size of sizes) {
      for (let round = 0; round < 6; round++) {
        // Words that are garbage, zero, small, or pointers back into the region (so insns,
        // strings, arrays and info structs behind the attr are read too).
        const mem = new FakeMemory();
        const bytes = new Uint8Array(SIZE);
        const dv = new DataView(bytes.buffer);
        for (let off = 0; off < SIZE; off += 8) {
          const w = pick([
            () => 0n,
            () => BigInt(Math.floor(rnd() * 300)),
            () => BigInt(BASE + Math.floor(rnd() * SIZE)),
            () => BigInt(Math.floor(rnd() * 2 ** 32)) << 32n | BigInt(Math.floor(rnd() * 2 ** 32)),
            () => 0xffffffffffffffffn,
          ])();
          dv.setBigUint64(off, w, true);
        }
        if (round % 3) mem.put(BASE, bytes);
        const attr = pick([BASE, BASE + SIZE - 16, BASE + 8, 0, 0x1000]);
        const opts: Partial<FormatOptions> = {
          strsize: pick([0, 4, 32]),
          verbose: rnd() < 0.7,
          hexStrings: pick([0, 1, 2]),
          xlat: pick(["abbrev", "raw", "verbose"] as const),
          decodeFds: pick([0, 1]),
          deref: rnd() < 0.9,
        };
        const fdPaths: Record<number, string> = {};
        for (let fd = 0; fd < 300; fd++) {
          fdPaths[fd] = pick(["anon_inode:bpf-prog", "anon_inode:bpf-map", "/tmp/f"]);
        }
        const ret = pick([0, 3, -1, -7, -14]);
        const state: Record<string, unknown> = {};
        const args = [cmd, attr, size];
        let text: string;
        try {
          const en = dec.enter!(fakeCall({ name: "bpf", args, mem, opts, state, fdPaths }));
          const ex = dec.exit!(fakeCall({ name: "bpf", args, mem, opts, state, fdPaths, ret }));
          for (const v of [...(en as Value[]), ...(ex as Value[])]) JSON.stringify(toJson(v));
          dec.result?.(fakeCall({ name: "bpf", args, mem, opts, state, fdPaths, ret }));
          text = callArgsText(en, ex);
          assert(!(isDecoded(en) && ex.length), `bpf ${cmd}: exit added after decoded`);
        } catch (e) {
          throw new Error(`bpf(${cmd}, ${attr}, ${size}) threw ${JSON.stringify(opts)}: ${e}`);
        }
        const sh = shape(text);
        assert(sh.problem === undefined, `${sh.problem} in bpf(${cmd}, …, ${size}): ${text}`);
        calls++;
      }
    }
  }
  assert(calls === 40 * 20 * 6, `only ${calls} calls`);
});
