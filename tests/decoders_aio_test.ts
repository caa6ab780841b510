/**
 * Differential tests of decoders/aio.ts: `tests/fixtures/aio_calls.c` submits, reaps and cancels
 * native AIO requests on a memfd with good and hostile arguments (unknown opcodes, reserved
 * flags, unmapped iocb pointers, negative counts, bad sigset sizes); strace 6.1 and sctrace must
 * print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = [
  "io_setup",
  "io_submit",
  "io_getevents",
  "io_cancel",
  "io_pgetevents",
  "io_destroy",
];

for (const opts of OPTION_SETS) {
  Deno.test(`aio family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("aio_calls", SYSCALLS, opts, 14);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
