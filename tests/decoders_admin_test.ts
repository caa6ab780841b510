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

Deno.test("admin and mount API decoders give typed values", async () => {
  const { toJson } = await import("../decoders/value.ts");
  const { decoders } = await import("../decoders/admin.ts");
  const mountApi = (await import("../decoders/mount.ts")).decoders;
  const { fakeCall, FakeMemory } = await import("./helpers/fake_call.ts");
  const mem = new FakeMemory();
  mem.put(0x1000, "/mnt\0");
  mem.put(0x1100, "tmpfs\0");
  const enter = (table: typeof decoders, name: string, args: number[]) => {
    const v = table[name].enter!(fakeCall({ name, args, mem }));
    ok(Array.isArray(v), `${name} returned text`);
    return v;
  };
  // mount: the old magic and the flags by name, the strings decoded.
  const m = enter(decoders, "mount", [0x1100, 0x1000, 0x1100, (0xc0ed0000 | 0x401) >>> 0, 0]);
  deepEqual(m.map((v) => v.text), [
    '"tmpfs"',
    '"/mnt"',
    '"tmpfs"',
    "MS_MGC_VAL|MS_RDONLY|MS_NOATIME",
    "NULL",
  ]);
  deepEqual(m.map(toJson), [
    "tmpfs",
    "/mnt",
    "tmpfs",
    ["MS_MGC_VAL", "MS_RDONLY", "MS_NOATIME"],
    null,
  ]);
  // ioprio_set: strace's macro form as a call.
  const p = enter(decoders, "ioprio_set", [1, 0, (2 << 13) | 4]);
  deepEqual(toJson(p[2]), { call: "IOPRIO_PRIO_VALUE", args: ["IOPRIO_CLASS_BE", 4] });
  // utimes: an array of two timevals with typed fields.
  const tv = new Uint8Array(32);
  new DataView(tv.buffer).setBigInt64(0, 5n, true);
  mem.put(0x2000, tv);
  const u = enter(decoders, "utimes", [0x1000, 0x2000]);
  deepEqual(toJson(u[1]), [{ tv_sec: 5, tv_usec: 0 }, { tv_sec: 0, tv_usec: 0 }]);
  // move_mount: descriptors, paths and flags.
  const mv = enter(mountApi, "move_mount", [-100, 0x1000, 3, 0x1000, 4]);
  deepEqual(mv.map(toJson), [{ fd: -100 }, "/mnt", { fd: 3 }, "/mnt", ["MOVE_MOUNT_F_EMPTY_PATH"]]);
});
