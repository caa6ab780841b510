/**
 * Differential tests of decoders/quota.ts: `tests/fixtures/quota_calls.c` makes `quotactl` and
 * `quotactl_fd` calls for every command shape (paths, formats, `if_dqblk`, `if_dqinfo`,
 * `fs_disk_quota`, XFS flags, unknown commands and types, unmapped pointers) on a missing device
 * and on a filesystem without quotas; strace 6.1 and sctrace must print the same lines under each
 * option set.
 */
import { deepEqual, ok } from "node:assert/strict";
import { callValues, toJson } from "../decoders/value.ts";
import { decoders } from "../decoders/quota.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["quotactl", "quotactl_fd"];

for (const opts of OPTION_SETS) {
  Deno.test(`quota family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("quota_calls", SYSCALLS, opts, 20);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}

Deno.test("quotactl gives typed values: QCMD() as a call, the struct at exit", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, "/dev/sda1\0");
  const info = new Uint8Array(24);
  new DataView(info.buffer).setBigUint64(0, 604800n, true);
  mem.put(0x2000, info);
  // Q_GETINFO (0x800005) for USRQUOTA: the struct is printed at exit.
  const args = [0x80000500, 0x1000, 0, 0x2000];
  const d = decoders.quotactl;
  const entry = d.enter!(fakeCall({ name: "quotactl", args, mem }));
  const exit = d.exit!(fakeCall({ name: "quotactl", args, mem, ret: 0 }));
  const v = callValues(entry, exit);
  deepEqual(v.map((x) => x.text), [
    "QCMD(Q_GETINFO, USRQUOTA)",
    '"/dev/sda1"',
    "{dqi_bgrace=604800, dqi_igrace=0, dqi_flags=0, dqi_valid=0}",
  ]);
  deepEqual(toJson(v[0]), { call: "QCMD", args: ["Q_GETINFO", "USRQUOTA"] });
  deepEqual(toJson(v[2]), { dqi_bgrace: 604800, dqi_igrace: 0, dqi_flags: [], dqi_valid: [] });
});
