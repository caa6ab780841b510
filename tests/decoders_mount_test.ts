/**
 * Differential tests of decoders/mount.ts and decoders/landlock.ts:
 * `tests/fixtures/mount_api_calls.c` makes the new mount API's and Landlock's syscalls with good
 * and hostile arguments (unmapped pointers, short and long structs with non-zero tails, unknown
 * commands and flags); strace 6.1 and sctrace must print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = [
  "fsopen",
  "fsconfig",
  "fsmount",
  "move_mount",
  "mount_setattr",
  "landlock_create_ruleset",
  "landlock_add_rule",
  "landlock_restrict_self",
];

for (const opts of OPTION_SETS) {
  Deno.test(`mount API and landlock match strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("mount_api_calls", SYSCALLS, opts, 30);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
