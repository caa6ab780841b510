/**
 * Differential tests of decoders/admin.ts: `tests/fixtures/admin_calls.c` makes every syscall of
 * the family with good and hostile arguments (unmapped pointers, huge lengths, unknown flags);
 * strace 6.1 and sctrace must print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = [
  "unshare",
  "mount",
  "umount2",
  "chroot",
  "pivot_root",
  "acct",
  "uselib",
  "swapon",
  "swapoff",
  "reboot",
  "syslog",
  "sethostname",
  "setdomainname",
  "iopl",
  "ioperm",
  "init_module",
  "delete_module",
  "finit_module",
  "setns",
  "ioprio_get",
  "ioprio_set",
  "kcmp",
  "readahead",
  "sync_file_range",
  "vmsplice",
  "utime",
  "utimes",
  "futimesat",
  "lookup_dcookie",
  "add_key",
  "request_key",
  "io_setup",
  "io_destroy",
];

for (const opts of OPTION_SETS) {
  Deno.test(`admin family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("admin_calls", SYSCALLS, opts, 70);
    // Every syscall of the family was seen (the fixture is not silently skipping).
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
