/**
 * Differential tests of decoders/io_uring.ts: `tests/fixtures/io_uring_calls.c` makes
 * `io_uring_setup`, `io_uring_enter` and `io_uring_register` calls with good and hostile arguments
 * (unknown flags and opcodes, non-zero reserved fields, unmapped pointers, bad sigset sizes);
 * strace 6.1 and sctrace must print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["io_uring_setup", "io_uring_enter", "io_uring_register"];

for (const opts of OPTION_SETS) {
  Deno.test(`io_uring family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("io_uring_calls", SYSCALLS, opts, 20);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
