/**
 * Fuzz tests of the protocol sniffers (fixed seeds, so failures reproduce): 100,000 cases per
 * sniffer of random bytes and mutations of recorded streams pushed in random splits; `push` must
 * never throw, messages must be one line, and the bytes held in each direction (queue and kept
 * previews, stream data, parts of large packets) must stay within the cap the sniffers claim
 * (`cap` per direction, decoders/sniffers/reassembly.ts). A longer run:
 * `deno run -A bench/fuzz_sniffers.ts [cases] [seed]`.
 */
import assert from "node:assert/strict";
import type { Direction, StreamSniffer } from "../decoders/api.ts";
import { builtinSniffers } from "../decoders/sniffers/mod.ts";
import { DEFAULT_CAP } from "../decoders/sniffers/reassembly.ts";
import { captureSeeds, fuzzSniffer, fuzzTargets, prng } from "../bench/fuzz_sniffers.ts";
import type { Bounded } from "./helpers/sniff.ts";

const CAP = 4096;

/**
 * `sn` with parsers that check, after every push, that the direction pushed holds at most `cap`
 * bytes; returns the largest amount seen through `seen`.
 */
function capped(sn: StreamSniffer, cap: number, seen: { max: number }): StreamSniffer {
  return {
    ...sn,
    create(info) {
      const p = sn.create(info) as Bounded;
      return {
        push(dir: Direction, bytes: Uint8Array) {
          const msgs = p.push(dir, bytes);
          const held = p.buffered(dir);
          seen.max = Math.max(seen.max, held);
          if (held > cap) throw new Error(`${sn.name} holds ${held} bytes in ${dir} > cap ${cap}`);
          return msgs;
        },
        buffered: () => p.buffered(),
      } as Bounded;
    },
  };
}

/**
 * Tighter bounds where a sniffer documents one: PostgreSQL keeps at most the first 64 KiB of one
 * long message per direction, Redis the first 64 bytes of one bulk string per direction.
 */
const TIGHT: Record<string, number> = { postgres: 2 * 65536, redis: 2 * 64 };

const seeds = captureSeeds();
for (const sn of fuzzTargets(CAP)) {
  Deno.test(`fuzz: ${sn.name} survives 100,000 random and mutated streams`, () => {
    const seen = { max: 0 };
    // No slack for the sniffers that keep everything in their queues: both directions together
    // hold at most 2 * CAP (fuzzSniffer checks that), each direction at most CAP (`capped`).
    // PostgreSQL and Redis document a little more (TIGHT), per direction half of it.
    const extra = TIGHT[sn.name] ?? 0;
    const st = fuzzSniffer(capped(sn, CAP + extra / 2, seen), seeds[sn.name], 100_000, 20240601, {
      cap: CAP,
      slack: extra,
    });
    assert.equal(st.cases, 100_000);
    assert.ok(st.messages > 0);
    // The bound was approached, so it was tested: the parsers do fill their queues. (PostgreSQL
    // and Redis stream long messages instead of queuing them: they never come near it.)
    if (!(sn.name in TIGHT)) {
      assert.ok(seen.max > CAP / 4, `${sn.name} never held more than ${seen.max} bytes`);
    }
  });
}

Deno.test("fuzz: megabytes of random bytes in one push stay within the default cap, few messages", () => {
  const rnd = prng(99);
  const junk = new Uint8Array(3 << 20);
  for (let i = 0; i < junk.length; i++) junk[i] = rnd() * 256;
  for (const sn of builtinSniffers) {
    for (const info of [{ pid: 1, fd: 3 }, { pid: 1, fd: 3, remotePort: 3306 }]) {
      const p = sn.create(info) as Bounded;
      for (const dir of ["out", "in"] as const) {
        const msgs = p.push(dir, junk);
        assert.ok(Array.isArray(msgs));
        // Garbage yields a desync and a resync now and then (at a plausible header), not a
        // message per packet or per byte: 3 MiB give about ten. Redis is line-based: a resync
        // at each plausible text line gives more (about 130), still not one per packet.
        const limit = sn.name === "redis" ? 256 : 16;
        assert.ok(msgs.length <= limit, `${sn.name}: ${msgs.length} messages from garbage`);
        assert.ok(p.buffered(dir) <= DEFAULT_CAP, `${sn.name} holds ${p.buffered(dir)} in ${dir}`);
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
