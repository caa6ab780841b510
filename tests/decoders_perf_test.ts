/**
 * Differential tests of decoders/perf.ts: `tests/fixtures/perf_calls.c` opens perf events of every
 * type with old, current and oversized `perf_event_attr`s (reserved bits set, an `E2BIG` size
 * written back, unmapped pointers); strace 6.1 and sctrace must print the same lines under each
 * option set, abbreviated and with `-v`.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

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
