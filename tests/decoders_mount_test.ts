/**
 * Differential tests of decoders/mount.ts and decoders/landlock.ts:
 * `tests/fixtures/mount_api_calls.c` makes the new mount API's and Landlock's syscalls with good
 * and hostile arguments (unmapped pointers, short and long structs with non-zero tails, unknown
 * commands and flags); strace 6.1 and sctrace must print the same lines under each option set.
 */
import { deepEqual, ok } from "node:assert/strict";
import { toJson } from "../decoders/value.ts";
import { decoders as landlock } from "../decoders/landlock.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
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

Deno.test("landlock gives typed values: access rights as names, the parent fd", () => {
  const mem = new FakeMemory();
  const attr = new Uint8Array(12);
  const v = new DataView(attr.buffer);
  v.setBigUint64(0, 3n, true);
  v.setInt32(8, 5, true);
  mem.put(0x1000, attr);
  const args = landlock.landlock_add_rule.enter!(
    fakeCall({ name: "landlock_add_rule", args: [4, 1, 0x1000, 0], mem }),
  );
  ok(Array.isArray(args));
  deepEqual(
    args.map((a) => a.text),
    [
      "4",
      "LANDLOCK_RULE_PATH_BENEATH",
      "{allowed_access=LANDLOCK_ACCESS_FS_EXECUTE|LANDLOCK_ACCESS_FS_WRITE_FILE, parent_fd=5}",
      "0",
    ],
  );
  deepEqual(toJson(args[2]), {
    allowed_access: ["LANDLOCK_ACCESS_FS_EXECUTE", "LANDLOCK_ACCESS_FS_WRITE_FILE"],
    parent_fd: { fd: 5 },
  });
});
