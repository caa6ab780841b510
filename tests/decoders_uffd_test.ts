/**
 * Tests of decoders/uffd.ts: `tests/fixtures/uffd_calls.c` opens a userfaultfd and makes
 * `UFFDIO_API`, `UFFDIO_REGISTER`, `UFFDIO_COPY`, `UFFDIO_ZEROPAGE`, `UFFDIO_WAKE` and
 * `UFFDIO_UNREGISTER` calls on an anonymous mapping, good and hostile (unknown mode and feature
 * bits, unreadable pointers); strace 6.1 and sctrace must print the same lines. Hostile memory
 * the kernel cannot produce (a struct gone at exit, all-ones fields) is checked on fake calls.
 */
import { equal, ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";
import { callLine, FakeMemory } from "./helpers/fake_call.ts";
import { decoders } from "../decoders/fs.ts";

const SYSCALLS = ["userfaultfd", "ioctl"];

for (const opts of OPTION_SETS) {
  Deno.test(`userfaultfd ioctls match strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("uffd_calls", SYSCALLS, opts, 2);
    if (got[0].includes("= -1 ")) {
      // The kernel refuses userfaultfd (vm.unprivileged_userfaultfd does not apply to root, so
      // this is a kernel built without CONFIG_USERFAULTFD or a seccomp policy): nothing to compare.
      console.log(`skipped: ${got[0]}`);
      return;
    }
    for (const r of ["UFFDIO_API", "UFFDIO_REGISTER", "UFFDIO_COPY", "UFFDIO_ZEROPAGE"]) {
      if (!opts.includes("raw")) ok(got.some((l) => l.includes(r)), `no ${r} line`);
    }
  });
}

const API = 0xc018aa3f, REGISTER = 0xc020aa00, COPY = 0xc028aa03, WAKE = 0x8010aa02;

/** `n` little-endian u64s. */
function u64s(...v: bigint[]): Uint8Array {
  const b = new Uint8Array(v.length * 8);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setBigUint64(i * 8, x, true));
  return b;
}

Deno.test("UFFDIO_API: features changed, all-ones fields, unknown bits", () => {
  const mem = new FakeMemory();
  const ones = 0xffffffffffffffffn;
  mem.put(0x1000, u64s(0xaan, 0n, ones));
  equal(
    callLine(decoders, { name: "ioctl", mem, args: [3, API, 0x1000], ret: 0 }),
    "ioctl(3, UFFDIO_API, {api=0xaa, features=0, ioctls=1<<_UFFDIO_REGISTER|" +
      "1<<_UFFDIO_UNREGISTER|1<<_UFFDIO_API|0x7ffffffffffffffc}) = 0",
  );
  mem.put(0x2000, u64s(ones, 1n << 40n, 0n));
  equal(
    callLine(decoders, { name: "ioctl", mem, args: [3, API, 0x2000], ret: -22 }),
    "ioctl(3, UFFDIO_API, {api=0xffffffffffffffff, features=0x10000000000 " +
      "/* UFFD_FEATURE_??? */}) = -1 errno=22",
  );
});

Deno.test("uffd ioctls: unreadable, NULL and truncated structs print their address", () => {
  const mem = new FakeMemory();
  mem.put(0x3000, new Uint8Array(15)); // one byte short of the smallest struct, uffdio_range
  mem.put(0x5000, new Uint8Array(16));
  const all = [[API, "UFFDIO_API"], [REGISTER, "UFFDIO_REGISTER"], [WAKE, "UFFDIO_WAKE"]] as const;
  for (const [code, name] of all) {
    equal(
      callLine(decoders, { name: "ioctl", mem, args: [3, code, 0x3000], ret: -14 }),
      `ioctl(3, ${name}, 0x3000) = -1 errno=14`,
    );
    equal(
      callLine(decoders, { name: "ioctl", mem, args: [3, code, 0], ret: -14 }),
      `ioctl(3, ${name}, NULL) = -1 errno=14`,
    );
  }
  equal(
    callLine(decoders, { name: "ioctl", mem, args: [3, WAKE, 0x5000], ret: 0 }),
    "ioctl(3, UFFDIO_WAKE, {start=0, len=0}) = 0",
  );
});

Deno.test("UFFDIO_COPY: a negative copy prints as strace's %#llx", () => {
  const mem = new FakeMemory();
  mem.put(0x4000, u64s(0x10000n, 0x20000n, 0x1000n, 3n, BigInt.asUintN(64, -11n)));
  equal(
    callLine(decoders, { name: "ioctl", mem, args: [3, COPY, 0x4000], ret: 0 }),
    "ioctl(3, UFFDIO_COPY, {dst=0x10000, src=0x20000, len=0x1000, " +
      "mode=UFFDIO_COPY_MODE_DONTWAKE|UFFDIO_COPY_MODE_WP, copy=0xfffffffffffffff5}) = 0",
  );
});
