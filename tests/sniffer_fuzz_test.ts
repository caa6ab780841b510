/**
 * Fuzz tests of the protocol sniffers (fixed seeds, so failures reproduce): 100,000 cases per
 * sniffer of random bytes and mutations of recorded streams pushed in random splits; `push` must
 * never throw, messages must be one line, and the bytes held must stay under the cap. A longer run:
 * `deno run -A bench/fuzz_sniffers.ts [cases] [seed]`.
 */
import assert from "node:assert/strict";
import type { StreamParser } from "../decoders/api.ts";
import { builtinSniffers } from "../decoders/sniffers/mod.ts";
import { captureSeeds, fuzzSniffer, fuzzTargets, prng } from "../bench/fuzz_sniffers.ts";

const CAP = 4096;
/** Beyond the two queues: body previews / kept streams / partial large packets. */
const SLACK = 3 * 65536 + 32 * 65536;

/**
 * Tighter bounds where a sniffer documents one: PostgreSQL keeps at most the first 64 KiB of one
 * long message per direction, Redis the first 64 bytes of one bulk string per direction.
 */
const TIGHT: Record<string, number> = { postgres: 2 * 65536, redis: 2 * 64 };

const seeds = captureSeeds();
for (const sn of fuzzTargets(CAP)) {
  Deno.test(`fuzz: ${sn.name} survives 100,000 random and mutated streams`, () => {
    const slack = TIGHT[sn.name] ?? SLACK;
    const st = fuzzSniffer(sn, seeds[sn.name], 100_000, 20240601, { cap: CAP, slack });
    assert.equal(st.cases, 100_000);
    assert.ok(st.messages > 0);
    assert.ok(st.maxBuffered <= 2 * CAP + slack);
  });
}

Deno.test("fuzz: megabytes of random bytes in one push stay within the default cap", () => {
  const rnd = prng(99);
  const junk = new Uint8Array(3 << 20);
  for (let i = 0; i < junk.length; i++) junk[i] = rnd() * 256;
  for (const sn of builtinSniffers) {
    for (const info of [{ pid: 1, fd: 3 }, { pid: 1, fd: 3, remotePort: 3306 }]) {
      const p = sn.create(info) as StreamParser & { buffered(): number };
      for (const dir of ["out", "in"] as const) {
        const msgs = p.push(dir, junk);
        assert.ok(Array.isArray(msgs));
        assert.ok(msgs.length < 1000, `${sn.name}: ${msgs.length} messages from garbage`);
        assert.ok(p.buffered() <= 3 << 20, `${sn.name} holds ${p.buffered()}`);
      }
    }
  }
});

Deno.test("fuzz: detect never throws on random first bytes", () => {
  const rnd = prng(7);
  for (let c = 0; c < 20000; c++) {
    const b = new Uint8Array(Math.floor(rnd() * 64)).map(() => rnd() * 256);
    for (const sn of builtinSniffers) {
      const r = sn.detect({ pid: 1, fd: 3 }, rnd() < 0.5 ? "in" : "out", b);
      assert.ok(r === true || r === false || r === undefined);
    }
  }
});
