import assert from "node:assert/strict";
import { callArgsText } from "../decoders/value.ts";
import { decoders } from "../decoders/misc.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import type { FakeCallOptions } from "./helpers/fake_call.ts";

/** Runs a decoder through entry and exit and returns `name(args)`. */
function line(name: string, o: FakeCallOptions & { ret: number }): string {
  const d = decoders[name];
  const state = {};
  const text = callArgsText(
    d.enter?.(fakeCall({ ...o, ret: undefined, state })) ?? "",
    d.exit?.(fakeCall({ ...o, state })),
  );
  return `${name}(${text})`;
}

Deno.test("getrandom prints the bytes in hex at exit (strace /bin/sh)", () => {
  const mem = new FakeMemory();
  mem.put(0x100, new Uint8Array([0x11, 0x7c, 0xa0, 0xce, 0x95, 0xb0, 0x90, 0x19]));
  assert.equal(
    line("getrandom", { mem, args: [0x100, 8, 1], ret: 8 }),
    'getrandom("\\x11\\x7c\\xa0\\xce\\x95\\xb0\\x90\\x19", 8, GRND_NONBLOCK)',
  );
  const big = new Uint8Array(40).fill(0x41);
  mem.put(0x200, big);
  assert.equal(
    line("getrandom", { mem, args: [0x200, 40, 0], ret: 40, opts: { strsize: 2 } }),
    'getrandom("\\x41\\x41"..., 40, 0)',
  );
  assert.equal(
    line("getrandom", { mem, args: [0x200, 4, 3], ret: -11 }),
    "getrandom(0x200, 4, GRND_NONBLOCK|GRND_RANDOM)",
  );
});

function utsname(fields: string[]): Uint8Array {
  const b = new Uint8Array(65 * 6);
  fields.forEach((f, i) => b.set(new TextEncoder().encode(f), i * 65));
  return b;
}

Deno.test("uname: abbreviated, and in full with -v", () => {
  const mem = new FakeMemory();
  mem.put(0x100, utsname(["Linux", "vm", "6.1.0", "#1 SMP", "x86_64", "(none)"]));
  assert.equal(
    line("uname", { mem, args: [0x100], ret: 0 }),
    'uname({sysname="Linux", nodename="vm", ...})',
  );
  assert.equal(
    line("uname", { mem, args: [0x100], ret: 0, opts: { verbose: true } }),
    'uname({sysname="Linux", nodename="vm", release="6.1.0", version="#1 SMP", machine="x86_64", domainname="(none)"})',
  );
  assert.equal(line("uname", { mem, args: [0x999], ret: 0 }), "uname(0x999)");
  assert.equal(line("uname", { mem, args: [0], ret: -14 }), "uname(NULL)");
});

Deno.test("sysinfo", () => {
  const mem = new FakeMemory();
  const b = new Uint8Array(112);
  const v = new DataView(b.buffer);
  v.setBigInt64(0, 355n, true);
  v.setBigUint64(8, 29024n, true);
  v.setBigUint64(16, 13472n, true);
  v.setBigUint64(24, 5280n, true);
  v.setBigUint64(32, 25276502016n, true);
  v.setBigUint64(40, 24852107264n, true);
  v.setBigUint64(48, 9084928n, true);
  v.setBigUint64(56, 4788224n, true);
  v.setUint16(80, 94, true);
  v.setUint32(104, 1, true);
  mem.put(0x100, b);
  assert.equal(
    line("sysinfo", { mem, args: [0x100], ret: 0 }),
    "sysinfo({uptime=355, loads=[29024, 13472, 5280], totalram=25276502016, freeram=24852107264, sharedram=9084928, bufferram=4788224, totalswap=0, freeswap=0, procs=94, totalhigh=0, freehigh=0, mem_unit=1})",
  );
});
