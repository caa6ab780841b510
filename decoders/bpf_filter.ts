/**
 * Classic BPF filter programs (`struct sock_fprog` and its `struct sock_filter` array) as strace
 * 6.1 prints them (`bpf_filter.c`, `bpf_seccomp_filter.c`, `bpf_sock_filter.c`): `{len=N,
 * filter=0x…}` by default, and with `-v` the instruction list (`[BPF_STMT(BPF_LD|BPF_W|BPF_ABS,
 * 0x4), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0xc000003e, 0, 0x11), …]`), seccomp return actions and
 * socket filter load offsets decoded.
 * @module
 */
import type { SyscallCall, XlatStyle } from "./api.ts";
import { arrayV, structV, u64, type Unread } from "./format.ts";
import { type ArrayValue, type CallValue, type StructValue, V, type Value } from "./value.ts";
import { hex } from "./xlat.ts";
import type { Xlat } from "./xlat.ts";
import {
  bpfClass,
  bpfMiscop,
  bpfMode,
  bpfOpAlu,
  bpfOpJmp,
  bpfRval,
  bpfSize,
  bpfSrc,
  seccompRetAction,
  skfAd,
  skfOff,
} from "./xlat/bpf.ts";

/** Which program a filter belongs to: it decides how strace prints the `k` operand. */
export type BpfFilterKind = "seccomp" | "sock";

/** strace's `BPF_MAXINSNS`: instructions printed before `...`. */
const BPF_MAXINSNS = 4096;
/** `sizeof(struct sock_filter)`. */
const INSN_SIZE = 8;
/** `sizeof(struct sock_fprog)` on x86_64. */
export const SOCK_FPROG_SIZE = 16;

const BPF_LD = 0, BPF_LDX = 1, BPF_ST = 2, BPF_STX = 3, BPF_ALU = 4, BPF_JMP = 5, BPF_RET = 6;
const BPF_ABS = 0x20;

/** One part of an instruction code: a name from `table`, or `0x… /* BPF_??? *\/`. */
function part(table: Xlat, v: number, st: XlatStyle, names: string[]): string {
  const name = table.byValue.get(v);
  if (name !== undefined) names.push(name);
  return V.xval(table, v, st, "BPF_???").text;
}

/** Bits no field names (`|0x… /* BPF_??? *\/`), as strace's `PRINT_VAL_X` plus a comment. */
function unknownBits(i: number): string {
  return `|${hex(i)} /* BPF_??? */`;
}

/** An instruction code as strace's `print_bpf_filter_code` prints it (classic BPF). */
export function bpfCodeV(code: number, st: XlatStyle): Value {
  const cls = code & 0x07;
  let i = code & ~cls;
  let rest = 0;
  const names: string[] = [];
  let text = part(bpfClass, cls, st, names);
  switch (cls) {
    case BPF_ST:
    case BPF_STX:
      if (i) text += unknownBits(rest = i);
      break;
    case BPF_LD:
    case BPF_LDX:
      text += "|" + part(bpfSize, code & 0x18, st, names);
      text += "|" + part(bpfMode, code & 0xe0, st, names);
      break;
    case 7: // BPF_MISC
      text += "|" + part(bpfMiscop, code & 0xf8, st, names);
      i &= ~(code & 0xf8);
      if (i) text += unknownBits(rest = i);
      break;
    case BPF_ALU:
    case BPF_JMP:
      text += "|" + part(bpfSrc, code & 0x08, st, names);
      text += "|" + part(cls === BPF_ALU ? bpfOpAlu : bpfOpJmp, code & 0xf0, st, names);
      break;
    case BPF_RET:
      text += "|" + part(bpfRval, code & 0x18, st, names);
      i &= ~(code & 0x18);
      if (i) text += unknownBits(rest = i);
      break;
  }
  return V.flagsOf(names, rest, code, text);
}

/** The `k` operand of a `BPF_STMT` as strace's `print_k` hooks print it. */
function operandV(kind: BpfFilterKind, code: number, k: number, st: XlatStyle): Value {
  const cls = code & 0x07;
  if (kind === "seccomp" && cls === BPF_RET) {
    const action = (k & 0xffff0000) >>> 0;
    const data = (k & 0xffff) >>> 0;
    const a = V.xval(seccompRetAction, action, st, "SECCOMP_RET_???");
    if (!data) return a;
    return V.flagsOf(a.name ? [a.name] : [], data, k, `${a.text}|${hex(data)}`);
  }
  if (kind === "sock" && cls === BPF_LD && (code & 0xe0) === BPF_ABS) {
    for (const [, base] of skfOff.entries) {
      if (k >= base) {
        const off = k - base;
        const b = V.xval(skfOff, base, st);
        const o = base === 0xfffff000 ? V.xval(skfAd, off, st, "SKF_AD_???") : V.uint(off);
        // A sum (`SKF_NET_OFF+9`): typed as its base and offset.
        return { ...V.struct([["base", b], ["offset", o]]), text: `${b.text}+${o.text}` };
      }
    }
  }
  return V.hex(k);
}

/** One instruction: `BPF_JUMP(code, k, jt, jf)` when it jumps, else `BPF_STMT(code, k)`. */
function insnV(kind: BpfFilterKind, v: DataView, st: XlatStyle): CallValue {
  const code = v.getUint16(0, true);
  const jt = v.getUint8(2);
  const jf = v.getUint8(3);
  const k = v.getUint32(4, true);
  const c = bpfCodeV(code, st);
  if (jt || jf) return V.call("BPF_JUMP", [c, V.hex(k), V.hex(jt), V.hex(jf)]);
  return V.call("BPF_STMT", [c, operandV(kind, code, k, st)]);
}

/**
 * The instructions of a filter program of `len` instructions at `addr` (strace's
 * `print_bpf_fprog`): the address unless `-v`, else the list, cut with `...` after
 * `BPF_MAXINSNS` instructions.
 */
export function bpfFilterV(
  c: SyscallCall,
  addr: number,
  len: number,
  kind: BpfFilterKind,
): ArrayValue | Value {
  if (!c.opts.verbose) return V.ptr(addr);
  const st = c.opts.xlat;
  const count = Math.min(len, BPF_MAXINSNS + 1);
  const arr = arrayV(c, addr, count, INSN_SIZE, (v) => insnV(kind, v, st));
  // strace fetches instruction BPF_MAXINSNS + 1 and prints `...` in its place.
  if (arr.kind === "array" && !arr.truncated && arr.items.length > BPF_MAXINSNS) {
    return V.array(arr.items.slice(0, BPF_MAXINSNS), true);
  }
  return arr;
}

/**
 * A `struct sock_fprog *` (strace's `decode_bpf_fprog`): `{len=N, filter=…}`, or `NULL`/the
 * address when it cannot be read.
 */
export function bpfFprogV(
  c: SyscallCall,
  addr: number,
  kind: BpfFilterKind,
): StructValue | Unread {
  return structV(c, addr, SOCK_FPROG_SIZE, (v) => {
    const len = v.getUint16(0, true);
    return V.struct([["len", V.uint(len)], ["filter", bpfFilterV(c, u64(v, 8), len, kind)]]);
  });
}
