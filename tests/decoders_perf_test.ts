/**
 * Differential tests of decoders/perf.ts: `tests/fixtures/perf_calls.c` opens perf events of every
 * type with old, current and oversized `perf_event_attr`s (reserved bits set, an `E2BIG` size
 * written back, unmapped pointers); strace 6.1 and sctrace must print the same lines under each
 * option set, abbreviated and with `-v`.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";
import assert from "node:assert/strict";
import { decoders } from "../decoders/perf.ts";
import { entryText, toJson } from "../decoders/value.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";

for (const opts of OPTION_SETS) {
  Deno.test(`perf_event_open matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    // `__reserved_1=0x2000000` looks like an address to the normaliser: compare it as is.
    const got = await sameTrace(
      "perf_calls",
      ["perf_event_open"],
      opts,
      9,
      !opts.includes("verbose=none") ? /PERF_TYPE_RAW|type=0x4,/ : undefined,
    );
    const attr = opts.includes("verbose=none")
      ? /^perf_event_open\(0xADDR, /
      : /type=(PERF_TYPE_SOFTWARE|0x1)/;
    ok(got.some((l) => attr.test(l)), "no attr");
  });
}

Deno.test("perf_event_open gives typed values: the attr is a struct read at entry", () => {
  const mem = new FakeMemory();
  const b = new Uint8Array(64);
  const v = new DataView(b.buffer);
  v.setUint32(0, 1, true); // PERF_TYPE_SOFTWARE
  v.setUint32(4, 64, true);
  v.setBigUint64(40, 1n, true); // disabled
  mem.put(0x1000, b);
  const state = {};
  const args = [0x1000, 0, -1, -1, 8];
  const e = decoders.perf_event_open.enter!(fakeCall({ mem, args, state }));
  assert.deepEqual(e, []);
  const x = decoders.perf_event_open.exit!(fakeCall({ mem, args, state, ret: 3 }));
  assert.ok(typeof x !== "string");
  assert.equal(x[0].kind, "struct");
  assert.deepEqual(x.map(toJson), [
    {
      type: "PERF_TYPE_SOFTWARE",
      size: "PERF_ATTR_SIZE_VER0",
      config: "PERF_COUNT_SW_CPU_CLOCK",
      sample_period: 0,
      sample_type: [],
      read_format: [],
      disabled: 1,
      precise_ip: 0,
      "...": true,
    },
    0,
    -1,
    { fd: -1 },
    ["PERF_FLAG_FD_CLOEXEC"],
  ]);
  // An unreadable attr: everything at entry, nothing left for the exit.
  const bad = decoders.perf_event_open.enter!(fakeCall({ mem, args: [0x9000, 0, -1, -1, 8] }));
  assert.equal(entryText(bad, true), "0x9000, 0, -1, -1, PERF_FLAG_FD_CLOEXEC");
});
