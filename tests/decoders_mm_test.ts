import assert from "node:assert/strict";
import { decoders } from "../decoders/mm.ts";
import { argsText, toJson } from "../decoders/value.ts";
import { callLine, fakeCall, type FakeCallOptions, FakeMemory } from "./helpers/fake_call.ts";

/** Renders a call as strace prints it: `name(args) = result` (no column padding). */
const line = (o: FakeCallOptions & { name: string; ret: number }): string => callLine(decoders, o);

const P = 0x7ffff7fbe000;

Deno.test("mmap", () => {
  assert.equal(
    line({ name: "mmap", args: [0, 8192, 3, 0x22, -1, 0], ret: P }),
    "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbe000",
  );
  assert.equal(
    line({
      name: "mmap",
      args: [0x7ffff7fa4000, 24576, 3, 0x812, 3, 0x1cf000],
      ret: 0x7ffff7fa4000,
    }),
    "mmap(0x7ffff7fa4000, 24576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x1cf000) = 0x7ffff7fa4000",
  );
  assert.equal(
    line({ name: "mmap", args: [0x10000000, 4096, 0x105, 0xc032, -1, 0x1000], ret: 0x10000000 }),
    "mmap(0x10000000, 4096, PROT_READ|PROT_EXEC|0x100, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE|MAP_POPULATE, -1, 0x1000) = 0x10000000",
  );
  assert.equal(
    line({ name: "mmap", args: [0, 4096, 0, 0xf | 0x20 | (23 * 2 ** 26), -1, 0], ret: -22 }),
    "mmap(NULL, 4096, PROT_NONE, 0xf /* MAP_??? */|MAP_ANONYMOUS|23<<MAP_HUGE_SHIFT, -1, 0) = -1 errno=22",
  );
  assert.equal(
    line({ name: "mmap", args: [0, 4096, 0x10, 0x40022 | (21 * 2 ** 26), -1, 0], ret: -12 }),
    "mmap(NULL, 4096, 0x10 /* PROT_??? */, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 errno=12",
  );
  // -y decodes the descriptor, -X raw/verbose
  assert.equal(
    argsText(decoders.mmap.enter!(
      fakeCall({
        args: [0, 4096, 1, 1, 3, 0],
        fdPaths: { 3: "/etc/passwd" },
        opts: { decodeFds: 1 },
      }),
    )),
    "NULL, 4096, PROT_READ, MAP_SHARED, 3</etc/passwd>, 0",
  );
  assert.equal(
    argsText(
      decoders.mmap.enter!(
        fakeCall({ args: [0, 4096, 3, 0x22, -1, 0], opts: { xlat: "verbose" } }),
      ),
    ),
    "NULL, 4096, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0",
  );
  assert.equal(
    argsText(
      decoders.mmap.enter!(fakeCall({ args: [0, 4096, 3, 0x22, -1, 0], opts: { xlat: "raw" } })),
    ),
    "NULL, 4096, 0x3, 0x22, -1, 0",
  );
});

Deno.test("mprotect, madvise, msync, mlock*", () => {
  assert.equal(
    line({ name: "mprotect", args: [P, 4096, 1], ret: 0 }),
    "mprotect(0x7ffff7fbe000, 4096, PROT_READ) = 0",
  );
  assert.equal(
    line({ name: "mprotect", args: [P, 4096, 0x80], ret: -22 }),
    "mprotect(0x7ffff7fbe000, 4096, 0x80 /* PROT_??? */) = -1 errno=22",
  );
  assert.equal(
    line({ name: "madvise", args: [P, 8192, 4], ret: 0 }),
    "madvise(0x7ffff7fbe000, 8192, MADV_DONTNEED) = 0",
  );
  assert.equal(
    line({ name: "madvise", args: [P, 8192, 77], ret: -22 }),
    "madvise(0x7ffff7fbe000, 8192, 0x4d /* MADV_??? */) = -1 errno=22",
  );
  assert.equal(
    line({ name: "msync", args: [P, 4096, 6], ret: 0 }),
    "msync(0x7ffff7fbe000, 4096, MS_SYNC|MS_INVALIDATE) = 0",
  );
  assert.equal(
    line({ name: "msync", args: [P, 4096, 0], ret: 0 }),
    "msync(0x7ffff7fbe000, 4096, 0) = 0",
  );
  assert.equal(line({ name: "mlock", args: [P, 4096], ret: 0 }), "mlock(0x7ffff7fbe000, 4096) = 0");
  assert.equal(
    line({ name: "mlock2", args: [P, 4096, 1], ret: 0 }),
    "mlock2(0x7ffff7fbe000, 4096, MLOCK_ONFAULT) = 0",
  );
  assert.equal(
    line({ name: "munlock", args: [P, 4096], ret: 0 }),
    "munlock(0x7ffff7fbe000, 4096) = 0",
  );
  assert.equal(
    line({ name: "munmap", args: [0x7ffff7fb7000, 35191], ret: 0 }),
    "munmap(0x7ffff7fb7000, 35191) = 0",
  );
  assert.equal(
    line({ name: "mlockall", args: [3], ret: 0 }),
    "mlockall(MCL_CURRENT|MCL_FUTURE) = 0",
  );
  assert.equal(line({ name: "mlockall", args: [0], ret: -22 }), "mlockall(0) = -1 errno=22");
  assert.equal(line({ name: "munlockall", args: [], ret: 0 }), "munlockall() = 0");
  assert.equal(
    line({ name: "pkey_mprotect", args: [P, 4096, 1, -1], ret: 0 }),
    "pkey_mprotect(0x7ffff7fbe000, 4096, PROT_READ, -1) = 0",
  );
  assert.equal(
    line({ name: "pkey_alloc", args: [0, 1], ret: -22 }),
    "pkey_alloc(0, PKEY_DISABLE_ACCESS) = -1 errno=22",
  );
  assert.equal(line({ name: "pkey_free", args: [5], ret: -22 }), "pkey_free(5) = -1 errno=22");
});

Deno.test("mremap, brk, mincore", () => {
  assert.equal(
    line({ name: "mremap", args: [P, 8192, 16384, 1], ret: 0x7ffff7fb0000 }),
    "mremap(0x7ffff7fbe000, 8192, 16384, MREMAP_MAYMOVE) = 0x7ffff7fb0000",
  );
  assert.equal(
    line({ name: "mremap", args: [-1, 16384, 4096, 3, 0x20000000], ret: -22 }),
    "mremap(0xffffffffffffffff, 16384, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x20000000) = -1 errno=22",
  );
  assert.equal(line({ name: "brk", args: [0], ret: 0x555555559000 }), "brk(NULL) = 0x555555559000");
  const mem = new FakeMemory();
  mem.put(0x1000, new Uint8Array([1, 0x81, 0]));
  assert.equal(
    line({ name: "mincore", args: [P, 8192, 0x1000], mem, ret: 0 }),
    "mincore(0x7ffff7fbe000, 8192, [1, 1]) = 0",
  );
  assert.equal(
    line({ name: "mincore", args: [P, 8193, 0x1000], mem, ret: 0 }),
    "mincore(0x7ffff7fbe000, 8193, [1, 1, 0]) = 0",
  );
  assert.equal(
    line({ name: "mincore", args: [P, 8193, 1], ret: -14 }),
    "mincore(0x7ffff7fbe000, 8193, 0x1) = -1 errno=14",
  );
});

Deno.test("memfd_secret, membarrier, process_madvise", () => {
  assert.equal(line({ name: "memfd_secret", args: [0], ret: 4 }), "memfd_secret(0) = 4");
  assert.equal(
    line({ name: "memfd_secret", args: [0o2000000], ret: 5 }),
    "memfd_secret(O_CLOEXEC) = 5",
  );
  assert.equal(
    line({ name: "membarrier", args: [0, 0, 0], ret: 0x3ff }),
    "membarrier(MEMBARRIER_CMD_QUERY, 0) = 0x3ff (MEMBARRIER_CMD_GLOBAL|MEMBARRIER_CMD_GLOBAL_EXPEDITED|MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED|MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE|MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ|MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ|0x200)",
  );
  assert.equal(
    line({ name: "membarrier", args: [8, 0, 0], ret: -1 }),
    "membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0) = -1 errno=1",
  );
  assert.equal(
    line({ name: "membarrier", args: [0x80, 1, 3], ret: -1 }),
    "membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_FLAG_CPU, 3) = -1 errno=1",
  );
  assert.equal(
    line({ name: "process_madvise", args: [-1, 0, 0, 20, 0], ret: -9 }),
    "process_madvise(-1, NULL, 0, MADV_COLD, 0) = -1 errno=9",
  );
});

Deno.test("mm/epoll/time/ipc decoders never throw on hostile input", async () => {
  const tables = [
    decoders,
    (await import("../decoders/epoll.ts")).decoders,
    (await import("../decoders/time.ts")).decoders,
    (await import("../decoders/ipc.ts")).decoders,
  ];
  const vals: (number | bigint)[] = [
    0,
    1,
    -1,
    8,
    0x1000,
    0x1ffc,
    0xffffffff,
    2 ** 53,
    -(2n ** 63n),
  ];
  let seed = 12345;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const bytes = new Uint8Array(4096).map(() => rnd(256));
  for (let iter = 0; iter < 150; iter++) {
    const mem = new FakeMemory();
    mem.put(0x1000, bytes);
    const opts = {
      verbose: iter % 4 === 0,
      xlat: (["abbrev", "raw", "verbose"] as const)[iter % 3],
      decodeFds: iter % 2,
    };
    for (const table of tables) {
      for (const [name, d] of Object.entries(table)) {
        const args = Array.from({ length: 6 }, () => vals[rnd(vals.length)]);
        const ret = [0, 1, 2, -14, -516, 0x7fff0000][rnd(6)];
        const state = {};
        const texts = [
          d.enter?.(fakeCall({ name, args, mem, opts, state })),
          d.exit?.(fakeCall({ name, args, mem, opts, state, ret })),
          ret >= 0 ? d.result?.(fakeCall({ name, args, mem, opts, state, ret })) : "",
        ];
        // Text (v1), typed arguments (v2) or a typed result: each value has its text.
        for (const t of texts) {
          const vals = t === undefined || typeof t === "string" ? [] : Array.isArray(t) ? t : [t];
          assert.ok(vals.every((v) => typeof v?.text === "string"), name);
        }
      }
    }
  }
});

Deno.test("mmap gives typed values: prot and flags are named flags, the result an address", () => {
  const c = fakeCall({ args: [0, 8192, 3, 0x22 | (21 << 26), -1, 0], ret: 0x7ffff7fbe000 });
  const args = decoders.mmap.enter!(c);
  assert.ok(typeof args !== "string");
  assert.deepEqual(args.map((v) => v.kind), ["ptr", "int", "flags", "flags", "fd", "int"]);
  const prot = args[2];
  assert.ok(prot.kind === "flags");
  assert.deepEqual(prot.names, ["PROT_READ", "PROT_WRITE"]);
  assert.equal(args[3].text, "MAP_PRIVATE|MAP_ANONYMOUS|21<<MAP_HUGE_SHIFT");
  assert.deepEqual(args.map(toJson), [
    null,
    8192,
    ["PROT_READ", "PROT_WRITE"],
    ["MAP_PRIVATE", "MAP_ANONYMOUS", "0x54000000"],
    { fd: -1 },
    0,
  ]);
  const r = decoders.mmap.result!(c);
  assert.ok(r !== undefined && typeof r !== "string");
  assert.equal(r.text, "0x7ffff7fbe000");
  assert.equal(toJson(r), 140737353867264);
});
