/**
 * Differential tests of decoders/fs_extra.ts: `tests/fixtures/fs_extra_calls.c` makes
 * `getdents` (on a small system directory), `ustat` and `open_by_handle_at` calls with good and
 * hostile arguments (short buffers, unmapped pointers, oversized handles); strace 6.1 and sctrace
 * must print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["getdents", "ustat", "open_by_handle_at"];

for (const opts of OPTION_SETS) {
  Deno.test(`getdents, ustat, open_by_handle_at match strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("fs_extra_calls", SYSCALLS, opts, 10);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
