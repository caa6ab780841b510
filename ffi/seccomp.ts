/**
 * `--seccomp-bpf`: a classic BPF program for `prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, …)` that
 * makes the kernel stop a tracee (`PTRACE_EVENT_SECCOMP`) only for the system calls being traced
 * and lets every other call run without a ptrace stop.
 *
 * The program (x86_64):
 * - another audit arch (i386 compat calls) → `SECCOMP_RET_TRACE` (everything stops, as before);
 * - x32 numbers (`nr & 0x40000000`) → `SECCOMP_RET_TRACE`;
 * - a number in the traced set, or at or above `limit` (unknown to the table) → `SECCOMP_RET_TRACE`;
 * - anything else → `SECCOMP_RET_ALLOW`.
 *
 * `execve` and `execveat` are always traced, as strace does (the tracer sees every exec). Two
 * layouts are generated, a linear list of range checks and a 32-bit bitmap per word of syscall
 * numbers, and the shorter one is returned: small sets (`-e trace=exit_group`) cost three or four
 * instructions per call, and any set fits the 8-bit jump offsets of classic BPF.
 * @module
 */

/** `AUDIT_ARCH_X86_64`. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;
/** `__X32_SYSCALL_BIT`. */
export const X32_SYSCALL_BIT = 0x40000000;
/** `SECCOMP_RET_ALLOW`. */
export const SECCOMP_RET_ALLOW = 0x7fff0000;
/** `SECCOMP_RET_TRACE`. */
export const SECCOMP_RET_TRACE = 0x7ff00000;
/** x86_64 `execve`, always traced. */
export const NR_EXECVE = 59;
/** x86_64 `execveat`, always traced. */
export const NR_EXECVEAT = 322;
/** The default `limit`: numbers from here on are always traced (unknown to the table). */
export const DEFAULT_LIMIT = 512;
/** `BPF_MAXINSNS`. */
export const BPF_MAXINSNS = 4096;

/** Classic BPF opcodes used here (linux/bpf_common.h). */
export const BPF = {
  /** `BPF_LD | BPF_W | BPF_ABS`: A = seccomp_data word at k. */
  LD_W_ABS: 0x20,
  /** `BPF_LD | BPF_IMM`: A = k. */
  LD_IMM: 0x00,
  /** `BPF_JMP | BPF_JEQ | BPF_K`. */
  JEQ: 0x15,
  /** `BPF_JMP | BPF_JGE | BPF_K`. */
  JGE: 0x35,
  /** `BPF_JMP | BPF_JSET | BPF_K`. */
  JSET: 0x45,
  /** `BPF_ALU | BPF_AND | BPF_K`. */
  AND_K: 0x54,
  /** `BPF_ALU | BPF_RSH | BPF_K`. */
  RSH_K: 0x74,
  /** `BPF_ALU | BPF_LSH | BPF_X`. */
  LSH_X: 0x6c,
  /** `BPF_MISC | BPF_TAX`: X = A. */
  TAX: 0x07,
  /** `BPF_MISC | BPF_TXA`: A = X. */
  TXA: 0x87,
  /** `BPF_RET | BPF_K`. */
  RET_K: 0x06,
} as const;

/** `offsetof(struct seccomp_data, nr)`. */
const OFF_NR = 0;
/** `offsetof(struct seccomp_data, arch)`. */
const OFF_ARCH = 4;

/** One `struct sock_filter`. Jump targets are symbolic until the program is laid out. */
export interface Insn {
  /** Opcode. */
  code: number;
  /** Jump-if-true offset (instructions to skip). */
  jt: number;
  /** Jump-if-false offset. */
  jf: number;
  /** Constant. */
  k: number;
}

// Symbolic jump targets, resolved to offsets by layout().
const TRACE = -1;
const ALLOW = -2;
const NEXT = 0;

function stmt(code: number, k: number): Insn {
  return { code, jt: 0, jf: 0, k: k >>> 0 };
}

function jump(code: number, k: number, jt: number, jf: number): Insn {
  return { code, jt, jf, k: k >>> 0 };
}

/** The common head: arch check, load nr, x32 and out-of-table numbers go to TRACE. */
function head(limit: number): Insn[] {
  return [
    stmt(BPF.LD_W_ABS, OFF_ARCH),
    jump(BPF.JEQ, AUDIT_ARCH_X86_64, NEXT, TRACE),
    stmt(BPF.LD_W_ABS, OFF_NR),
    jump(BPF.JGE, X32_SYSCALL_BIT, TRACE, NEXT),
    jump(BPF.JGE, limit, TRACE, NEXT),
  ];
}

/** Appends the two returns and turns symbolic targets into offsets; undefined on overflow. */
function layout(body: Insn[]): Insn[] | undefined {
  const prog = [...body, stmt(BPF.RET_K, SECCOMP_RET_ALLOW), stmt(BPF.RET_K, SECCOMP_RET_TRACE)];
  const allowAt = prog.length - 2;
  const traceAt = prog.length - 1;
  const resolve = (i: number, t: number): number => {
    if (t === TRACE) return traceAt - i - 1;
    if (t === ALLOW) return allowAt - i - 1;
    return t;
  };
  for (let i = 0; i < prog.length; i++) {
    const ins = prog[i];
    if ((ins.code & 0x07) !== 0x05) continue; // not BPF_JMP
    ins.jt = resolve(i, ins.jt);
    ins.jf = resolve(i, ins.jf);
    if (ins.jt > 255 || ins.jf > 255) return undefined;
  }
  return prog;
}

/** Sorted runs `[lo, hi)` of the traced numbers below `limit`. */
function runs(traced: Set<number>, limit: number): [number, number][] {
  const out: [number, number][] = [];
  let lo = -1;
  for (let nr = 0; nr <= limit; nr++) {
    const on = nr < limit && traced.has(nr);
    if (on && lo < 0) lo = nr;
    if (!on && lo >= 0) {
      out.push([lo, nr]);
      lo = -1;
    }
  }
  return out;
}

/** Linear layout: one `jeq` per single number, two `jge` per range. */
function linear(traced: Set<number>, limit: number): Insn[] | undefined {
  const body = head(limit);
  for (const [lo, hi] of runs(traced, limit)) {
    if (hi === lo + 1) body.push(jump(BPF.JEQ, lo, TRACE, NEXT));
    else {
      // if (nr >= lo && nr < hi) trace
      body.push(jump(BPF.JGE, lo, NEXT, 1));
      body.push(jump(BPF.JGE, hi, NEXT, TRACE));
    }
  }
  return layout(body);
}

/** Bitmap layout: X = 1 << (nr & 31), A = nr >> 5, then one test per 32-number word. */
function bitmap(traced: Set<number>, limit: number): Insn[] | undefined {
  const body = head(limit);
  body.push(
    stmt(BPF.AND_K, 31),
    stmt(BPF.TAX, 0),
    stmt(BPF.LD_IMM, 1),
    stmt(BPF.LSH_X, 0),
    stmt(BPF.TAX, 0),
    stmt(BPF.LD_W_ABS, OFF_NR),
    stmt(BPF.RSH_K, 5),
  );
  const words = Math.ceil(limit / 32);
  for (let w = 0; w < words; w++) {
    let bits = 0;
    for (let b = 0; b < 32; b++) {
      const nr = w * 32 + b;
      if (nr >= limit || traced.has(nr)) bits |= 1 << b;
    }
    bits >>>= 0;
    if (bits === 0) body.push(jump(BPF.JEQ, w, ALLOW, NEXT));
    else if (bits === 0xffffffff) body.push(jump(BPF.JEQ, w, TRACE, NEXT));
    else {
      body.push(jump(BPF.JEQ, w, NEXT, 2));
      body.push(stmt(BPF.TXA, 0));
      body.push(jump(BPF.JSET, bits, TRACE, ALLOW));
    }
  }
  // Every number below `limit` was matched above; anything else is traced.
  body.push(jump(BPF.JEQ, 0, TRACE, TRACE));
  return layout(body);
}

/**
 * The filter program as instructions (for tests and debugging). `tracedNrs` are the x86_64
 * syscall numbers to stop at; numbers at or above `limit` (unknown to the syscall table) are always
 * traced, and so are `execve` and `execveat`. Callers should pass the table's size as `limit` and
 * include every number below it that the tracer would print (unknown holes in the table too).
 */
export function buildProgram(tracedNrs: readonly number[], limit = DEFAULT_LIMIT): Insn[] {
  if (!Number.isInteger(limit) || limit < 1 || limit >= X32_SYSCALL_BIT) {
    throw new RangeError(`bad syscall limit ${limit}`);
  }
  const traced = new Set<number>([NR_EXECVE, NR_EXECVEAT]);
  for (const nr of tracedNrs) if (Number.isInteger(nr) && nr >= 0) traced.add(nr);
  const a = linear(traced, limit);
  const b = bitmap(traced, limit);
  const best = a && b ? (a.length <= b.length ? a : b) : (a ?? b);
  if (!best || best.length > BPF_MAXINSNS) throw new RangeError("seccomp filter too large");
  return best;
}

/** Serialises instructions as an array of `struct sock_filter` (8 bytes each, little-endian). */
export function encodeProgram(prog: readonly Insn[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(prog.length * 8);
  const dv = new DataView(out.buffer);
  prog.forEach((ins, i) => {
    dv.setUint16(i * 8, ins.code, true);
    dv.setUint8(i * 8 + 2, ins.jt);
    dv.setUint8(i * 8 + 3, ins.jf);
    dv.setUint32(i * 8 + 4, ins.k >>> 0, true);
  });
  return out;
}

/**
 * Builds the `sock_filter` array bytes for `--seccomp-bpf` (see {@linkcode buildProgram} for what
 * is traced). Pass them as `SpawnRequest.seccompFilter`; the spawn shim installs them before exec.
 */
export function buildFilter(tracedNrs: number[], limit = DEFAULT_LIMIT): Uint8Array<ArrayBuffer> {
  return encodeProgram(buildProgram(tracedNrs, limit));
}

/** Decodes `sock_filter` bytes back into instructions. */
export function decodeProgram(bytes: Uint8Array): Insn[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Insn[] = [];
  for (let off = 0; off + 8 <= bytes.length; off += 8) {
    out.push({
      code: dv.getUint16(off, true),
      jt: dv.getUint8(off + 2),
      jf: dv.getUint8(off + 3),
      k: dv.getUint32(off + 4, true),
    });
  }
  return out;
}

/**
 * Runs a filter program the way the kernel would on `seccomp_data {nr, arch}`; returns the
 * `SECCOMP_RET_*` value. Only the opcodes this module emits are supported (others throw).
 */
export function runProgram(prog: readonly Insn[], nr: number, arch = AUDIT_ARCH_X86_64): number {
  let a = 0;
  let x = 0;
  let pc = 0;
  const word = (k: number): number => {
    if (k === OFF_NR) return nr >>> 0;
    if (k === OFF_ARCH) return arch >>> 0;
    throw new RangeError(`load at ${k}`);
  };
  for (let steps = 0; steps <= prog.length; steps++) {
    const ins = prog[pc];
    if (!ins) throw new RangeError(`pc ${pc} out of program`);
    switch (ins.code) {
      case BPF.LD_W_ABS:
        a = word(ins.k);
        break;
      case BPF.LD_IMM:
        a = ins.k >>> 0;
        break;
      case BPF.AND_K:
        a = (a & ins.k) >>> 0;
        break;
      case BPF.RSH_K:
        a = a >>> ins.k;
        break;
      case BPF.LSH_X:
        a = x >= 32 ? 0 : (a << x) >>> 0;
        break;
      case BPF.TAX:
        x = a;
        break;
      case BPF.TXA:
        a = x;
        break;
      case BPF.RET_K:
        return ins.k >>> 0;
      case BPF.JEQ:
        pc += a === ins.k ? ins.jt : ins.jf;
        break;
      case BPF.JGE:
        pc += a >= ins.k ? ins.jt : ins.jf;
        break;
      case BPF.JSET:
        pc += (a & ins.k) !== 0 ? ins.jt : ins.jf;
        break;
      default:
        throw new RangeError(`opcode ${ins.code}`);
    }
    pc++;
  }
  throw new RangeError("program does not terminate");
}
