/**
 * Differential and unit tests of decoders/bpf_filter.ts: `tests/fixtures/bpf_filter_calls.c`
 * installs a small seccomp filter with `seccomp()` and `prctl()`, attaches a socket filter, reads
 * it back with `SO_GET_FILTER`, and passes odd and hostile programs (every instruction class,
 * unknown bits, len 0, a len past `BPF_MAXINSNS`, unreadable and NULL pointers, a program running
 * into unmapped memory); strace 6.1 and sctrace must print the same lines under each option set.
 */
import assert from "node:assert/strict";
import { decoders as processDecoders } from "../decoders/process.ts";
import { decoders as netDecoders } from "../decoders/net.ts";
import { argsText, toJson } from "../decoders/value.ts";
import type { SyscallDecoder } from "../decoders/api.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["seccomp", "prctl", "setsockopt", "getsockopt"];

for (
  const opts of [
    ...OPTION_SETS,
    ["-v"],
    ["-v", "-X", "raw"],
    ["-v", "-X", "verbose"],
    ["-v", "-e", "verbose=none"],
  ]
) {
  Deno.test(`bpf filter programs match strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("bpf_filter_calls", SYSCALLS, opts, 30);
    if (opts[0] === "-v" && opts.length !== 3) {
      assert.ok(got.some((l) => l.includes("BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_")), "no program");
    }
  });
}

/** A `struct sock_fprog` of `len` instructions at `filter`. */
function fprog(len: number, filter: number | bigint): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, len, true);
  v.setBigUint64(8, BigInt(filter), true);
  return b;
}

/** Instructions as `[code, jt, jf, k]`. */
function insns(list: [number, number, number, number][]): Uint8Array {
  const b = new Uint8Array(list.length * 8);
  const v = new DataView(b.buffer);
  list.forEach(([code, jt, jf, k], i) => {
    v.setUint16(i * 8, code, true);
    v.setUint8(i * 8 + 2, jt);
    v.setUint8(i * 8 + 3, jf);
    v.setUint32(i * 8 + 4, k, true);
  });
  return b;
}

const PROG = 0x10000, INSNS = 0x20000;

/** The text of a seccomp(SECCOMP_SET_MODE_FILTER, 0, PROG) call on `mem`. */
function seccompText(mem: FakeMemory, verbose = true): string {
  const d: SyscallDecoder = processDecoders.seccomp;
  const v = d.enter!(fakeCall({ mem, args: [1, 0, PROG], opts: { verbose } }));
  return argsText(v);
}

Deno.test("seccomp filter: the allow-all program with one rule, with and without -v", () => {
  const mem = new FakeMemory();
  mem.put(PROG, fprog(4, INSNS));
  mem.put(
    INSNS,
    insns([
      [0x20, 0, 0, 4],
      [0x15, 0, 2, 0xc000003e],
      [0x06, 0, 0, 0x00050001],
      [0x06, 0, 0, 0x7fff0000],
    ]),
  );
  assert.equal(seccompText(mem, false), "SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=0x20000}");
  const text = seccompText(mem);
  assert.equal(
    text,
    "SECCOMP_SET_MODE_FILTER, 0, {len=4, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0x4), " +
      "BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0xc000003e, 0, 0x2), " +
      "BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ERRNO|0x1), BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW)]}",
  );
  const v = processDecoders.seccomp.enter!(
    fakeCall({ mem, args: [1, 0, PROG], opts: { verbose: true } }),
  );
  assert.ok(typeof v !== "string");
  const j = toJson(v[2]) as { len: number; filter: { fn: string }[] };
  assert.equal(j.len, 4);
  assert.equal(j.filter.length, 4);
});

Deno.test("seccomp filter: hostile programs print what strace prints", () => {
  const cases: [Uint8Array | null, number, string][] = [
    // len 0: an empty list.
    [fprog(0, INSNS), 0, "{len=0, filter=[]}"],
    // An unreadable filter pointer: its address.
    [fprog(3, 0x1000), 0, "{len=3, filter=0x1000}"],
    // A NULL filter pointer.
    [fprog(3, 0), 0, "{len=3, filter=NULL}"],
    // A huge len over two readable instructions: the count runs past the end of memory.
    [
      fprog(0xffff, INSNS),
      2,
      "{len=65535, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0), " +
      "BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0), ... /* 0x20010 */]}",
    ],
    // The end address wraps: the address alone.
    [fprog(0xffff, 0xfffffffffff00000n), 0, "{len=65535, filter=0xfffffffffff00000}"],
    // The sock_fprog itself unreadable.
    [null, 0, "0x10000"],
  ];
  for (const [prog, n, want] of cases) {
    const mem = new FakeMemory();
    if (prog) mem.put(PROG, prog);
    if (n) mem.put(INSNS, new Uint8Array(n * 8));
    assert.equal(seccompText(mem), `SECCOMP_SET_MODE_FILTER, 0, ${want}`);
  }
  // Past BPF_MAXINSNS (4096) instructions strace prints `...`.
  const mem = new FakeMemory();
  mem.put(PROG, fprog(5000, INSNS));
  mem.put(INSNS, new Uint8Array(5000 * 8));
  const text = seccompText(mem);
  assert.equal(text.split("BPF_STMT(").length - 1, 4096);
  assert.ok(text.endsWith("BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0), ...]}"), text.slice(-80));
  // Exactly BPF_MAXINSNS instructions: no `...`.
  const exact = new FakeMemory();
  exact.put(PROG, fprog(4096, INSNS));
  exact.put(INSNS, new Uint8Array(4096 * 8));
  assert.ok(seccompText(exact).endsWith("BPF_STMT(BPF_LD|BPF_W|BPF_IMM, 0)]}"));
});

Deno.test("prctl(PR_SET_SECCOMP) and setsockopt(SO_ATTACH_FILTER) decode their programs", () => {
  const mem = new FakeMemory();
  mem.put(PROG, fprog(3, INSNS));
  mem.put(
    INSNS,
    insns([
      [0x28, 0, 0, 0xfffff000], // ldh SKF_AD_OFF+SKF_AD_PROTOCOL
      [0x30, 0, 0, 0xfff00009], // ldb SKF_NET_OFF+9
      [0x06, 0, 0, 0xffff],
    ]),
  );
  const opts = { verbose: true };
  const p = processDecoders.prctl.enter!(fakeCall({ mem, args: [22, 2, PROG, 0, 0], opts }));
  assert.equal(
    argsText(p),
    "PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=3, filter=[" +
      "BPF_STMT(BPF_LD|BPF_H|BPF_ABS, 0xfffff000), BPF_STMT(BPF_LD|BPF_B|BPF_ABS, 0xfff00009), " +
      "BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_KILL_THREAD|0xffff)]}",
  );
  const s = netDecoders.setsockopt.enter!(fakeCall({ mem, args: [3, 1, 26, PROG, 16], opts }));
  assert.equal(
    argsText(s),
    "3, SOL_SOCKET, SO_ATTACH_FILTER, {len=3, filter=[" +
      "BPF_STMT(BPF_LD|BPF_H|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL), " +
      "BPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_NET_OFF+9), BPF_STMT(BPF_RET|BPF_K, 0xffff)]}, 16",
  );
  // Typed: a load offset is its base and offset, a code its parts.
  assert.ok(typeof s !== "string");
  const j = toJson(s[3]) as { filter: { call: string; args: unknown[] }[] };
  assert.deepEqual(j.filter[0], {
    call: "BPF_STMT",
    args: [["BPF_LD", "BPF_H", "BPF_ABS"], { base: "SKF_AD_OFF", offset: "SKF_AD_PROTOCOL" }],
  });
  assert.deepEqual(j.filter[1].args[1], { base: "SKF_NET_OFF", offset: 9 });
  // A wrong optlen: the address.
  const w = netDecoders.setsockopt.enter!(fakeCall({ mem, args: [3, 1, 26, PROG, 8], opts }));
  assert.equal(argsText(w), "3, SOL_SOCKET, SO_ATTACH_FILTER, 0x10000, 8");
});
