/**
 * Differential tests of decoders/admin.ts: `tests/fixtures/admin_calls.c` makes every syscall of
 * the family with good and hostile arguments (unmapped pointers, huge lengths, unknown flags);
 * strace 6.1 and sctrace must print the same lines under each option set.
 */
import { deepEqual, ok } from "node:assert/strict";
import { lines, sctrace, strace } from "./helpers/diff.ts";
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
  "_sysctl",
];

for (const opts of OPTION_SETS) {
  Deno.test(`admin family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("admin_calls", SYSCALLS, opts, 70);
    // Every syscall of the family was seen (the fixture is not silently skipping).
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}

Deno.test("admin family on a real program: unshare -rpf --mount-proc true", async () => {
  const args = [
    "-f",
    "-qq",
    "-e",
    "trace=unshare,mount,umount2,pivot_root,chroot,sethostname,setns",
    "-e",
    "signal=none",
    "unshare",
    "-rpf",
    "--mount-proc",
    "true",
  ];
  const a = lines((await strace(args)).stderr), b = lines((await sctrace(args)).stderr);
  ok(a.some((l) => l.startsWith("unshare(CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWPID)")), a.join("\n"));
  ok(a.some((l) => l.includes('mount("proc", "/proc", "proc", MS_NOSUID|')), a.join("\n"));
  deepEqual(b, a);
});
