/**
 * Stepping over a breakpoint without taking it out: the instruction the `int3` replaced is
 * emulated on the registers (x86_64). Only the few instructions functions start with are known
 * (`endbr64`, `push reg`, `sub $imm, %rsp`, `mov %fs:disp32, reg` for the stack protector); for
 * any other the caller falls back to restore + `PTRACE_SINGLESTEP` + re-insert. Emulating is what
 * lets other threads of the process run through the function meanwhile without missing it.
 * @module
 */

/** `user_regs_struct` u64 slots of the x86 registers 0–15 (rax, rcx, rdx, rbx, rsp, rbp, …). */
const REG_SLOT = [10, 11, 12, 5, 19, 4, 13, 14, 9, 8, 7, 6, 3, 2, 1, 0];
/** `user_regs_struct` slots used here. */
export const SLOT = {
  RAX: 10,
  RCX: 11,
  RDX: 12,
  RSI: 13,
  RDI: 14,
  RIP: 16,
  EFLAGS: 18,
  RSP: 19,
  FS_BASE: 21,
} as const;

/** A decoded first instruction that can be emulated. */
export type Emulated =
  | { op: "nop"; len: number }
  | { op: "push"; len: number; reg: number }
  | { op: "subrsp"; len: number; imm: number }
  | { op: "movfs"; len: number; reg: number; disp: number };

/** What the emulation needs from the tracee. */
export interface Machine {
  /** The register file as u32 halves (ptrace's regs buffer). */
  regs: Uint32Array;
  /** Reads 8 bytes at an address (little-endian u64), or undefined. */
  read64(addr: number): bigint | undefined;
  /** Writes 8 bytes at an address; false on failure. */
  write64(addr: number, value: bigint): boolean;
}

/** Decodes the instruction at the start of `b`, if it is one we emulate. */
export function decodeFirst(b: Uint8Array): Emulated | undefined {
  if (b.length < 9) return undefined;
  if (b[0] === 0xf3 && b[1] === 0x0f && b[2] === 0x1e && b[3] === 0xfa) {
    return { op: "nop", len: 4 };
  }
  if (b[0] >= 0x50 && b[0] <= 0x57) return { op: "push", len: 1, reg: b[0] - 0x50 };
  if (b[0] === 0x41 && b[1] >= 0x50 && b[1] <= 0x57) {
    return { op: "push", len: 2, reg: b[1] - 0x48 };
  }
  if (b[0] === 0x48 && b[1] === 0x83 && b[2] === 0xec) return { op: "subrsp", len: 4, imm: b[3] };
  if (b[0] === 0x48 && b[1] === 0x81 && b[2] === 0xec) {
    const imm = (b[3] | (b[4] << 8) | (b[5] << 16) | (b[6] << 24)) >>> 0;
    if (imm < 0x80000000) return { op: "subrsp", len: 7, imm };
  }
  // mov %fs:disp32, r64: 64 REX.W(48/4c) 8b ModRM(mod 00, rm 100) SIB 25 disp32.
  if (
    b[0] === 0x64 && (b[1] === 0x48 || b[1] === 0x4c) && b[2] === 0x8b && (b[3] & 0xc7) === 0x04 &&
    b[4] === 0x25
  ) {
    const disp = b[5] | (b[6] << 8) | (b[7] << 16) | (b[8] << 24);
    return { op: "movfs", len: 9, reg: ((b[3] >> 3) & 7) + (b[1] === 0x4c ? 8 : 0), disp };
  }
  return undefined;
}

/** A 64-bit register as a BigInt. */
function get(regs: Uint32Array, slot: number): bigint {
  return (BigInt(regs[2 * slot + 1]) << 32n) | BigInt(regs[2 * slot]);
}

/** Sets a 64-bit register. */
function set(regs: Uint32Array, slot: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  regs[2 * slot] = Number(u & 0xffffffffn);
  regs[2 * slot + 1] = Number(u >> 32n);
}

/** The flags `sub` leaves (CF, PF, AF, ZF, SF, OF), as the CPU computes them. */
function subFlags(eflags: bigint, a: bigint, b: bigint): bigint {
  const r = BigInt.asUintN(64, a - b);
  let f = eflags & ~0x8d5n;
  if (a < b) f |= 0x1n;
  let low = Number(r & 0xffn);
  low ^= low >> 4;
  low ^= low >> 2;
  low ^= low >> 1;
  if ((low & 1) === 0) f |= 0x4n;
  if (((a ^ b ^ r) & 0x10n) !== 0n) f |= 0x10n;
  if (r === 0n) f |= 0x40n;
  if ((r >> 63n) & 1n) f |= 0x80n;
  if ((((a ^ b) & (a ^ r)) >> 63n) & 1n) f |= 0x800n;
  return f;
}

/**
 * Executes `ins` on the registers of a thread stopped at the breakpoint at `addr`: afterwards the
 * thread continues at the next instruction. Returns false if memory could not be accessed (the
 * registers are then unchanged).
 */
export function emulate(m: Machine, ins: Emulated, addr: number): boolean {
  const regs = m.regs;
  const next = BigInt(addr + ins.len);
  switch (ins.op) {
    case "nop":
      break;
    case "push": {
      const rsp = get(regs, SLOT.RSP) - 8n;
      if (!m.write64(Number(rsp), get(regs, REG_SLOT[ins.reg]))) return false;
      set(regs, SLOT.RSP, rsp);
      break;
    }
    case "subrsp": {
      const a = get(regs, SLOT.RSP);
      const b = BigInt(ins.imm);
      set(regs, SLOT.EFLAGS, subFlags(get(regs, SLOT.EFLAGS), a, b));
      set(regs, SLOT.RSP, a - b);
      break;
    }
    case "movfs": {
      const v = m.read64(Number(get(regs, SLOT.FS_BASE) + BigInt(ins.disp)));
      if (v === undefined) return false;
      set(regs, REG_SLOT[ins.reg], v);
      break;
    }
  }
  set(regs, SLOT.RIP, next);
  return true;
}
