/**
 * Differential tests of decoders/sched.ts: `tests/fixtures/sched_calls.c` makes
 * `sched_setattr`, `sched_getattr` and `futex_waitv` calls with good and hostile arguments
 * (short, old, larger-than-known structs, unmapped pointers, counts past the 128-waiter cap);
 * strace 6.1 and sctrace must print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["sched_setattr", "sched_getattr", "futex_waitv"];

for (const opts of OPTION_SETS) {
  Deno.test(`sched family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("sched_calls", SYSCALLS, opts, 18);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
