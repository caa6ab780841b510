/**
 * Differential tests of decoders/sched.ts: `tests/fixtures/sched_calls.c` makes
 * `sched_setattr`, `sched_getattr` and `futex_waitv` calls with good and hostile arguments
 * (short, old, larger-than-known structs, unmapped pointers, counts past the 128-waiter cap);
 * strace 6.1 and sctrace must print the same lines under each option set.
 */
import assert, { ok } from "node:assert/strict";
import { decoders } from "../decoders/sched.ts";
import { argsText, callArgs, entryText, toJson } from "../decoders/value.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["sched_setattr", "sched_getattr", "futex_waitv"];

for (const opts of OPTION_SETS) {
  Deno.test(`sched family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("sched_calls", SYSCALLS, opts, 18);
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}

Deno.test("sched_setattr gives typed values: the struct, and on E2BIG the size written back", () => {
  const mem = new FakeMemory();
  const b = new Uint8Array(48);
  const v = new DataView(b.buffer);
  v.setUint32(0, 48, true);
  v.setUint32(4, 1, true); // SCHED_FIFO
  v.setUint32(20, 10, true);
  mem.put(0x1000, b);
  const state = {};
  const args = [0, 0x1000, 0];
  const e = decoders.sched_setattr.enter!(fakeCall({ mem, args, state }));
  const x = decoders.sched_setattr.exit!(fakeCall({ mem, args, state, ret: -7 }));
  assert.ok(typeof e !== "string" && typeof x !== "string");
  // As strace splits it: the struct at entry, ` => {size=…}` at exit.
  const attr =
    "{size=48, sched_policy=SCHED_FIFO, sched_flags=0, sched_nice=0, sched_priority=10, sched_runtime=0, sched_deadline=0, sched_period=0}";
  assert.equal(entryText(e, true), `0, ${attr}`);
  assert.equal(argsText(x), " => {size=48}, 0");
  const all = callArgs(e, x);
  assert.deepEqual(all.map((v) => v.kind), ["int", "change", "int"]);
  assert.equal(all[1].text, `${attr} => {size=48}`);
  const j = toJson(all[1]) as { in: Record<string, unknown>; out: unknown };
  assert.equal(j.in.sched_policy, "SCHED_FIFO");
  assert.equal(j.in.sched_priority, 10);
  assert.deepEqual(j.out, { size: 48 });
});
