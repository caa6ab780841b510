/**
 * TLS decoding's pure parts: core/trace/tls/step.ts (the first instructions of hooked functions,
 * decoded and emulated on a register file as the CPU would run them, so the breakpoint stays in
 * while a thread steps over it), and the `tls` mark of proto events in `--json`.
 */
import { assertEquals } from "./helpers/assert.ts";
import { decodeFirst, emulate, type Machine, SLOT } from "../core/trace/tls/step.ts";
import { eventToJson } from "../core/events/json.ts";

/** A machine with a register file and an 8-byte-word memory. */
function machine(): Machine & { mem: Map<number, bigint> } {
  const regs = new Uint32Array(54);
  const mem = new Map<number, bigint>();
  return {
    regs,
    mem,
    read64: (a) => mem.get(a),
    write64: (a, v) => (mem.set(a, v), true),
  };
}

function get(m: Machine, slot: number): bigint {
  return (BigInt(m.regs[2 * slot + 1]) << 32n) | BigInt(m.regs[2 * slot]);
}

function set(m: Machine, slot: number, v: bigint): void {
  m.regs[2 * slot] = Number(v & 0xffffffffn);
  m.regs[2 * slot + 1] = Number(v >> 32n);
}

const bytes = (...b: number[]) => Uint8Array.from([...b, ...new Array(16 - b.length).fill(0x90)]);

Deno.test("decodeFirst: the prologues OpenSSL's functions start with, and nothing else", () => {
  assertEquals(decodeFirst(bytes(0xf3, 0x0f, 0x1e, 0xfa)), { op: "nop", len: 4 });
  assertEquals(decodeFirst(bytes(0x55)), { op: "push", len: 1, reg: 5 });
  assertEquals(decodeFirst(bytes(0x41, 0x54)), { op: "push", len: 2, reg: 12 });
  assertEquals(decodeFirst(bytes(0x48, 0x83, 0xec, 0x18)), { op: "subrsp", len: 4, imm: 0x18 });
  assertEquals(decodeFirst(bytes(0x48, 0x81, 0xec, 0x00, 0x01, 0, 0)), {
    op: "subrsp",
    len: 7,
    imm: 0x100,
  });
  assertEquals(decodeFirst(bytes(0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0)), {
    op: "movfs",
    len: 9,
    reg: 0,
    disp: 0x28,
  });
  // mov %fs:0x28,%r11
  assertEquals(decodeFirst(bytes(0x64, 0x4c, 0x8b, 0x1c, 0x25, 0x28, 0, 0, 0))?.op, "movfs");
  assertEquals(
    (decodeFirst(bytes(0x64, 0x4c, 0x8b, 0x1c, 0x25, 0x28, 0, 0, 0)) as { reg: number }).reg,
    11,
  );
  // Not emulated: a call, a jump, a mov to memory, a truncated buffer.
  assertEquals(decodeFirst(bytes(0xe8, 1, 2, 3, 4)), undefined);
  assertEquals(decodeFirst(bytes(0xe9, 1, 2, 3, 4)), undefined);
  assertEquals(decodeFirst(bytes(0x48, 0x89, 0x7c, 0x24, 0x08)), undefined);
  assertEquals(decodeFirst(Uint8Array.of(0x55)), undefined);
});

Deno.test("emulate: push, sub with the CPU's flags, mov from %fs, endbr64; rip moves on", () => {
  const m = machine();
  set(m, SLOT.RSP, 0x7ffd00001000n);
  m.regs[2 * 4] = 0xdeadbeef; // rbp low half
  m.regs[2 * 4 + 1] = 0xfeedface; // rbp high half (beyond 2^53: must stay exact)
  assertEquals(emulate(m, decodeFirst(bytes(0x55))!, 0x1000), true);
  assertEquals(get(m, SLOT.RSP), 0x7ffd00000ff8n);
  assertEquals(m.mem.get(0x7ffd00000ff8), 0xfeedfacedeadbeefn);
  assertEquals(get(m, SLOT.RIP), 0x1001n);

  // sub $0x18, %rsp from 0x10: borrow, negative, auxiliary carry, odd parity; other bits kept.
  set(m, SLOT.RSP, 0x10n);
  set(m, SLOT.EFLAGS, 0x202n | 0x40n | 0x4n);
  emulate(m, decodeFirst(bytes(0x48, 0x83, 0xec, 0x18))!, 0x2000);
  assertEquals(get(m, SLOT.RSP), 0xfffffffffffffff8n);
  assertEquals(get(m, SLOT.EFLAGS), 0x202n | 0x1n | 0x10n | 0x80n);
  assertEquals(get(m, SLOT.RIP), 0x2004n);
  // Down to zero: ZF and PF only.
  set(m, SLOT.RSP, 0x18n);
  emulate(m, decodeFirst(bytes(0x48, 0x83, 0xec, 0x18))!, 0x2000);
  assertEquals(get(m, SLOT.EFLAGS), 0x202n | 0x40n | 0x4n);

  set(m, SLOT.FS_BASE, 0x7f0000000000n);
  m.mem.set(0x7f0000000028, 0x8877665544332211n);
  emulate(m, decodeFirst(bytes(0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0))!, 0x3000);
  assertEquals(get(m, SLOT.RAX), 0x8877665544332211n);
  assertEquals(get(m, SLOT.RIP), 0x3009n);

  emulate(m, decodeFirst(bytes(0xf3, 0x0f, 0x1e, 0xfa))!, 0x4000);
  assertEquals(get(m, SLOT.RIP), 0x4004n);

  // Unreadable %fs memory: nothing changes.
  const before = m.regs.slice();
  set(m, SLOT.FS_BASE, 0x10n);
  const saved = m.regs.slice();
  assertEquals(
    emulate(m, decodeFirst(bytes(0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0))!, 1),
    false,
  );
  assertEquals([...m.regs], [...saved]);
  assertEquals(before.length, 54);
});

Deno.test("--json: a proto event of TLS plaintext says tls: true; others have no tls key", () => {
  const base = {
    type: "proto" as const,
    pid: 7,
    tgid: 7,
    time: 1,
    mono: 1,
    proto: "http",
    dir: "in" as const,
    fd: 6,
    kind: "GET",
    text: "GET / HTTP/1.1",
  };
  assertEquals(eventToJson({ ...base, tls: true })?.tls, true);
  assertEquals("tls" in (eventToJson(base) ?? {}), false);
});
