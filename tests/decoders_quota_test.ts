/**
 * Differential tests of decoders/quota.ts: `tests/fixtures/quota_calls.c` makes `quotactl` and
 * `quotactl_fd` calls for every command shape (paths, formats, `if_dqblk`, `if_dqinfo`,
 * `fs_disk_quota`, XFS flags, unknown commands and types, unmapped pointers) on a missing device
 * and on a filesystem without quotas; strace 6.1 and sctrace must print the same lines under each
 * option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["quotactl", "quotactl_fd"];

for (const opts of OPTION_SETS) {
  Deno.test(`quota family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("quota_calls", SYSCALLS, opts, 20);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
