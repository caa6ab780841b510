/**
 * DWARF expressions as call-frame rules use them (`DW_CFA_def_cfa_expression`,
 * `DW_CFA_expression`, `DW_CFA_val_expression`): glibc's PLT entries and signal trampolines, and
 * the dynamic loader. A stack machine over 64-bit values; any malformed or unsupported expression
 * gives `undefined`.
 * @module
 */

const MASK = (1n << 64n) - 1n;

/** What an expression may ask of the frame it runs in. */
export interface ExprContext {
  /** The value of DWARF register `n` in the current frame, or undefined. */
  reg(n: number): bigint | undefined;
  /** Reads a 64-bit word (or `size` bytes) of tracee memory, or undefined. */
  deref(addr: bigint, size: number): bigint | undefined;
}

/** The result: a value, or (for a final `DW_OP_regN`) a register. */
export interface ExprResult {
  /** The computed value (an address for location expressions). */
  value: bigint;
  /** Set when the expression names a register instead of computing an address. */
  register?: number;
}

/** Evaluates `code` with `initial` pushed first (the CFA, or 0 for a CFA expression). */
export function evalExpr(
  code: Uint8Array,
  initial: bigint,
  ctx: ExprContext,
): ExprResult | undefined {
  const st: bigint[] = [initial & MASK];
  let pc = 0;
  let register: number | undefined;
  const u8 = () => {
    if (pc >= code.length) throw new RangeError("truncated");
    return code[pc++];
  };
  const uleb = () => {
    let r = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = u8();
      r |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) break;
    }
    return r;
  };
  const sleb = () => {
    let r = 0n;
    let shift = 0n;
    let b = 0;
    for (let i = 0; i < 10; i++) {
      b = u8();
      r |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) break;
    }
    if (b & 0x40) r -= 1n << shift;
    return r;
  };
  const fixed = (n: number, signed: boolean) => {
    let r = 0n;
    for (let i = 0; i < n; i++) {
      r |= BigInt(u8()) << BigInt(8 * i);
    }
    return signed ? BigInt.asIntN(8 * n, r) : r;
  };
  const pop = () => {
    const v = st.pop();
    if (v === undefined) throw new RangeError("stack underflow");
    return v;
  };
  const push = (v: bigint) => st.push(v & MASK);
  const s64 = (v: bigint) => BigInt.asIntN(64, v);
  try {
    for (let steps = 0; pc < code.length; steps++) {
      if (steps > 4096 || st.length > 1024) return undefined;
      const op = u8();
      if (op >= 0x30 && op <= 0x4f) {
        push(BigInt(op - 0x30));
        continue;
      }
      if (op >= 0x50 && op <= 0x6f) {
        register = op - 0x50;
        continue;
      }
      if (op >= 0x70 && op <= 0x8f) {
        const r = ctx.reg(op - 0x70);
        const off = sleb();
        if (r === undefined) return undefined;
        push(r + off);
        continue;
      }
      switch (op) {
        case 0x03:
          push(fixed(8, false));
          break;
        case 0x06: {
          const v = ctx.deref(pop(), 8);
          if (v === undefined) return undefined;
          push(v);
          break;
        }
        case 0x94: {
          const size = u8();
          const v = ctx.deref(pop(), size);
          if (v === undefined) return undefined;
          push(v);
          break;
        }
        case 0x08:
          push(fixed(1, false));
          break;
        case 0x09:
          push(fixed(1, true));
          break;
        case 0x0a:
          push(fixed(2, false));
          break;
        case 0x0b:
          push(fixed(2, true));
          break;
        case 0x0c:
          push(fixed(4, false));
          break;
        case 0x0d:
          push(fixed(4, true));
          break;
        case 0x0e:
          push(fixed(8, false));
          break;
        case 0x0f:
          push(fixed(8, true));
          break;
        case 0x10:
          push(uleb());
          break;
        case 0x11:
          push(sleb());
          break;
        case 0x12: {
          const v = pop();
          push(v);
          push(v);
          break;
        }
        case 0x13:
          pop();
          break;
        case 0x14: {
          if (st.length < 2) return undefined;
          push(st[st.length - 2]);
          break;
        }
        case 0x15: {
          const i = u8();
          if (i >= st.length) return undefined;
          push(st[st.length - 1 - i]);
          break;
        }
        case 0x16: {
          const a = pop();
          const b = pop();
          push(a);
          push(b);
          break;
        }
        case 0x17: {
          const a = pop();
          const b = pop();
          const c = pop();
          push(a);
          push(c);
          push(b);
          break;
        }
        case 0x19: {
          const v = s64(pop());
          push(v < 0n ? -v : v);
          break;
        }
        case 0x1a: {
          const a = pop();
          push(pop() & a);
          break;
        }
        case 0x1b: {
          const a = s64(pop());
          const b = s64(pop());
          if (a === 0n) return undefined;
          push(b / a);
          break;
        }
        case 0x1c: {
          const a = pop();
          push(pop() - a);
          break;
        }
        case 0x1d: {
          const a = pop();
          const b = pop();
          if (a === 0n) return undefined;
          push(b % a);
          break;
        }
        case 0x1e: {
          const a = pop();
          push(pop() * a);
          break;
        }
        case 0x1f:
          push(-pop());
          break;
        case 0x20:
          push(~pop());
          break;
        case 0x21: {
          const a = pop();
          push(pop() | a);
          break;
        }
        case 0x22: {
          const a = pop();
          push(pop() + a);
          break;
        }
        case 0x23:
          push(pop() + uleb());
          break;
        case 0x24: {
          const a = pop();
          push(a >= 64n ? 0n : pop() << a);
          break;
        }
        case 0x25: {
          const a = pop();
          push(a >= 64n ? 0n : pop() >> a);
          break;
        }
        case 0x26: {
          const a = pop();
          push(s64(pop()) >> (a >= 64n ? 63n : a));
          break;
        }
        case 0x27: {
          const a = pop();
          push(pop() ^ a);
          break;
        }
        case 0x29:
        case 0x2a:
        case 0x2b:
        case 0x2c:
        case 0x2d:
        case 0x2e: {
          const a = s64(pop());
          const b = s64(pop());
          const r = op === 0x29
            ? b === a
            : op === 0x2a
            ? b >= a
            : op === 0x2b
            ? b > a
            : op === 0x2c
            ? b <= a
            : op === 0x2d
            ? b < a
            : b !== a;
          push(r ? 1n : 0n);
          break;
        }
        case 0x2f: {
          const off = Number(fixed(2, true));
          pc += off;
          if (pc < 0 || pc > code.length) return undefined;
          break;
        }
        case 0x28: {
          const off = Number(fixed(2, true));
          if (pop() !== 0n) {
            pc += off;
            if (pc < 0 || pc > code.length) return undefined;
          }
          break;
        }
        case 0x90: {
          register = Number(uleb());
          break;
        }
        case 0x92: {
          const r = ctx.reg(Number(uleb()));
          const off = sleb();
          if (r === undefined) return undefined;
          push(r + off);
          break;
        }
        case 0x96:
          break;
        default:
          return undefined;
      }
    }
  } catch {
    return undefined;
  }
  if (register !== undefined) return { value: 0n, register };
  const top = st[st.length - 1];
  return top === undefined ? undefined : { value: top };
}
