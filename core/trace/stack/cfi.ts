/**
 * DWARF call-frame information for `-k`: finds the FDE that covers an address (through
 * `.eh_frame_hdr`'s sorted table, or by indexing `.debug_frame`/`.eh_frame`), and runs its CIE
 * and FDE programs up to that address, giving the rule for the CFA and each register (x86_64
 * DWARF numbering: 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8–15 r8–r15, 16 rip).
 *
 * Every read is bounds-checked: corrupt data gives `undefined` (no frame information), never an
 * exception past {@linkcode FrameIndex.rulesAt}.
 * @module
 */

import { type ElfFile, PT_GNU_EH_FRAME } from "./elf.ts";

/** Registers tracked (0–16). */
export const NREGS = 17;
/** The return-address column on x86_64. */
export const RA = 16;

/** How a register of the caller is found. */
export const enum Where {
  /** Same value as in this frame. */
  Same,
  /** Undefined (end of the chain when it is the return address). */
  Undef,
  /** Saved at CFA + offset. */
  CfaRel,
  /** In another register. */
  Reg,
  /** Saved at the address an expression gives. */
  Expr,
  /** Its value is an expression's result. */
  ValExpr,
  /** Its value is CFA + offset. */
  ValOffset,
}

/** One register's rule: where plus an operand (offset, register, or expression bytes). */
export interface Rule {
  /** The kind of rule. */
  where: Where;
  /** Offset or register number. */
  value: number;
  /** Expression bytes (Expr, ValExpr). */
  expr?: Uint8Array;
}

/** The rules in force at one address. */
export interface FrameRules {
  /** CFA = register + offset, or an expression. */
  cfaReg: number;
  /** Offset added to `cfaReg`. */
  cfaOffset: number;
  /** DW_CFA_def_cfa_expression bytes, when the CFA is an expression. */
  cfaExpr?: Uint8Array;
  /** The register rules. */
  regs: Rule[];
  /** The FDE belongs to a signal trampoline (CIE augmentation `S`). */
  signalFrame: boolean;
  /** The return-address column. */
  raColumn: number;
}

/** A little-endian cursor over bytes with DWARF's variable-length forms. */
class Cursor {
  pos: number;
  constructor(readonly b: Uint8Array, pos: number, readonly base: number) {
    this.pos = pos;
  }
  get ok(): boolean {
    return this.pos <= this.b.length;
  }
  u8(): number {
    return this.pos < this.b.length ? this.b[this.pos++] : (this.pos++, 0);
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u8() | (this.u8() << 8) | (this.u8() << 16) | (this.u8() << 24)) >>> 0;
  }
  u64(): number {
    const lo = this.u32();
    return this.u32() * 4294967296 + lo;
  }
  uleb(): number {
    let r = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const x = this.u8();
      r += (x & 0x7f) * mul;
      mul *= 128;
      if (!(x & 0x80)) break;
    }
    return r;
  }
  sleb(): number {
    let r = 0;
    let mul = 1;
    let x = 0;
    for (let i = 0; i < 10; i++) {
      x = this.u8();
      r += (x & 0x7f) * mul;
      mul *= 128;
      if (!(x & 0x80)) break;
    }
    if (x & 0x40) r -= mul;
    return r;
  }
  /** A pointer in `DW_EH_PE_*` encoding; `vaddr` of the data start makes pcrel work. */
  encoded(enc: number, dataRel = 0): number {
    if (enc === 0xff) return 0;
    const at = this.base + this.pos;
    let v: number;
    switch (enc & 0x0f) {
      case 0x00:
        v = this.u64();
        break;
      case 0x01:
        v = this.uleb();
        break;
      case 0x02:
        v = this.u16();
        break;
      case 0x03:
        v = this.u32();
        break;
      case 0x04:
        v = this.u64();
        break;
      case 0x09:
        v = this.sleb();
        break;
      case 0x0a: {
        const x = this.u16();
        v = x >= 0x8000 ? x - 0x10000 : x;
        break;
      }
      case 0x0b:
        v = this.u32() | 0;
        break;
      case 0x0c: {
        const lo = this.u32();
        v = (this.u32() | 0) * 4294967296 + lo;
        break;
      }
      default:
        throw new RangeError("bad pointer encoding");
    }
    switch (enc & 0x70) {
      case 0x10:
        v += at;
        break;
      case 0x30:
        v += dataRel;
        break;
    }
    return v;
  }
}

/** A parsed CIE. */
interface Cie {
  codeAlign: number;
  dataAlign: number;
  raColumn: number;
  fdeEnc: number;
  hasAug: boolean;
  signalFrame: boolean;
  initial: Uint8Array;
}

/** A parsed FDE. */
interface Fde {
  cie: Cie;
  start: number;
  end: number;
  program: Uint8Array;
}

/** One section of frame data as loaded from the file. */
interface FrameSection {
  bytes: Uint8Array;
  vaddr: number;
  eh: boolean;
}

/** Frame information of one ELF file, loaded lazily and cached by the unwinder. */
export class FrameIndex {
  private ehFrame?: FrameSection;
  private hdr?: {
    bytes: Uint8Array;
    vaddr: number;
    count: number;
    tableEnc: number;
    table: number;
  };
  private sorted?: { start: number; end: number; off: number; sec: FrameSection }[];
  private cies = new Map<string, Cie | null>();
  private memo = new Map<number | string, FrameRules | undefined>();

  /** Indexes `elf`'s frame data (reads only the headers now). */
  constructor(private readonly elf: ElfFile) {
    try {
      this.loadHdr();
    } catch {
      this.hdr = undefined;
    }
  }

  /** Reads `PT_GNU_EH_FRAME`'s header and table location. */
  private loadHdr(): void {
    const ph = this.elf.phdrs.find((p) => p.type === PT_GNU_EH_FRAME);
    if (!ph || ph.filesz < 12 || ph.filesz > 1 << 26) return;
    const bytes = this.elf.read(ph.offset, ph.filesz);
    if (bytes.length < 12 || bytes[0] !== 1) return;
    const c = new Cursor(bytes, 4, ph.vaddr);
    const ehPtr = c.encoded(bytes[1]);
    const count = c.encoded(bytes[2]);
    const tableEnc = bytes[3];
    if (tableEnc !== 0x3b || count <= 0) {
      // Only the usual datarel|sdata4 table is binary-searched; otherwise index .eh_frame.
      this.ehFrame = this.sectionAt(ehPtr, true);
      return;
    }
    this.hdr = { bytes, vaddr: ph.vaddr, count, tableEnc, table: c.pos };
    this.ehFrame = this.sectionAt(ehPtr, true);
  }

  /** The frame section starting at virtual address `vaddr` (its extent from the section table). */
  private sectionAt(vaddr: number, eh: boolean): FrameSection | undefined {
    const sec = this.elf.sections.find((s) => s.addr === vaddr && s.size > 0);
    const off = this.elf.fileOffset(vaddr);
    if (off < 0) return undefined;
    // Without section headers (stripped to the bone), read up to the end of the segment.
    const size = sec ? sec.size : this.segmentRest(vaddr);
    if (size <= 0 || size > 1 << 28) return undefined;
    return { bytes: this.elf.read(off, size), vaddr, eh };
  }

  /** Bytes from `vaddr` to the end of its `PT_LOAD` segment. */
  private segmentRest(vaddr: number): number {
    for (const p of this.elf.phdrs) {
      if (p.type === 1 && vaddr >= p.vaddr && vaddr < p.vaddr + p.filesz) {
        return p.vaddr + p.filesz - vaddr;
      }
    }
    return 0;
  }

  /** The rules in force at file-relative address `addr` (`target` is where the program stops). */
  rulesAt(addr: number, target: number): FrameRules | undefined {
    // The same return addresses come back on every syscall of a loop: remember their rules.
    const key = addr === target ? addr : `${addr}:${target}`;
    if (this.memo.has(key)) return this.memo.get(key);
    let rules: FrameRules | undefined;
    try {
      const fde = this.find(addr);
      rules = fde ? run(fde, target) : undefined;
    } catch {
      rules = undefined;
    }
    if (this.memo.size >= 8192) this.memo.clear();
    this.memo.set(key, rules);
    return rules;
  }

  /** The FDE covering `addr`, through the header table or the index. */
  private find(addr: number): Fde | undefined {
    if (this.hdr && this.ehFrame) {
      const { bytes, vaddr, count, table } = this.hdr;
      let lo = 0;
      let hi = count - 1;
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (table + count * 8 > bytes.length) return undefined;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const start = dv.getInt32(table + mid * 8, true) + vaddr;
        if (start <= addr) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0) return undefined;
      const fdeAddr = dv.getInt32(table + found * 8 + 4, true) + vaddr;
      const fde = this.parseFde(this.ehFrame, fdeAddr - this.ehFrame.vaddr);
      return fde && addr >= fde.start && addr < fde.end ? fde : undefined;
    }
    if (!this.sorted) this.indexAll();
    const list = this.sorted!;
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start <= addr) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Ranges may nest or overlap in odd files: look back a little for one that covers addr.
    for (let i = found; i >= 0 && i > found - 8; i--) {
      const e = list[i];
      if (addr >= e.start && addr < e.end) return this.parseFde(e.sec, e.off);
    }
    return undefined;
  }

  /** Indexes every FDE of `.debug_frame` (and of `.eh_frame` when its header has no table). */
  private indexAll(): void {
    const out: { start: number; end: number; off: number; sec: FrameSection }[] = [];
    // As libunwind: .eh_frame only through PT_GNU_EH_FRAME (a static binary without it unwinds
    // by frame pointers), and .debug_frame when present.
    const secs: FrameSection[] = [];
    if (this.ehFrame) secs.push(this.ehFrame);
    const dbg = this.elf.section(".debug_frame");
    if (dbg && dbg.size < 1 << 28) {
      secs.push({ bytes: this.elf.read(dbg.offset, dbg.size), vaddr: 0, eh: false });
    }
    for (const sec of secs) {
      let off = 0;
      for (let n = 0; off + 8 <= sec.bytes.length && n < 1 << 22; n++) {
        const c = new Cursor(sec.bytes, off, sec.vaddr);
        let len = c.u32();
        if (len === 0) {
          if (sec.eh) break;
          off += 4;
          continue;
        }
        if (len === 0xffffffff) len = c.u64();
        const body = c.pos;
        const id = sec.eh ? c.u32() : c.u32();
        const isCie = sec.eh ? id === 0 : id === 0xffffffff;
        if (!isCie) {
          const fde = this.parseFde(sec, off);
          if (fde && fde.end > fde.start) out.push({ start: fde.start, end: fde.end, off, sec });
        }
        off = body + len;
      }
    }
    out.sort((a, b) => a.start - b.start);
    this.sorted = out;
  }

  /** The CIE at `off` (cached). */
  private parseCie(sec: FrameSection, off: number): Cie | undefined {
    const key = `${sec.eh ? "e" : "d"}${off}`;
    const cached = this.cies.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let cie: Cie | null = null;
    try {
      cie = parseCieAt(sec, off);
    } catch {
      cie = null;
    }
    this.cies.set(key, cie);
    return cie ?? undefined;
  }

  /** The FDE at `off`, with its CIE. */
  private parseFde(sec: FrameSection, off: number): Fde | undefined {
    if (off < 0 || off + 8 > sec.bytes.length) return undefined;
    const c = new Cursor(sec.bytes, off, sec.vaddr);
    let len = c.u32();
    if (len === 0xffffffff) len = c.u64();
    const body = c.pos;
    const end = body + len;
    if (len === 0 || end > sec.bytes.length) return undefined;
    const idPos = c.pos;
    const id = c.u32();
    let cieOff: number;
    if (sec.eh) {
      if (id === 0) return undefined;
      cieOff = idPos - id;
    } else {
      if (id === 0xffffffff) return undefined;
      cieOff = id;
    }
    const cie = this.parseCie(sec, cieOff);
    if (!cie) return undefined;
    const start = c.encoded(cie.fdeEnc);
    const range = c.encoded(cie.fdeEnc & 0x0f);
    if (cie.hasAug) c.pos += c.uleb();
    if (c.pos > end) return undefined;
    return { cie, start, end: start + range, program: sec.bytes.subarray(c.pos, end) };
  }
}

function parseCieAt(sec: FrameSection, off: number): Cie | null {
  const c = new Cursor(sec.bytes, off, sec.vaddr);
  let len = c.u32();
  if (len === 0xffffffff) len = c.u64();
  const end = c.pos + len;
  if (len === 0 || end > sec.bytes.length) return null;
  c.u32(); // id
  const version = c.u8();
  let aug = "";
  for (let ch = c.u8(); ch !== 0 && c.pos < end; ch = c.u8()) aug += String.fromCharCode(ch);
  if (version >= 4) {
    c.u8(); // address size
    c.u8(); // segment size
  }
  const codeAlign = c.uleb();
  const dataAlign = c.sleb();
  const raColumn = version === 1 ? c.u8() : c.uleb();
  let fdeEnc = 0;
  let signalFrame = false;
  const hasAug = aug.startsWith("z");
  if (hasAug) {
    const augLen = c.uleb();
    const augEnd = c.pos + augLen;
    for (const ch of aug.slice(1)) {
      if (ch === "R") fdeEnc = c.u8();
      else if (ch === "P") c.encoded(c.u8() & 0x7f);
      else if (ch === "L") c.u8();
      else if (ch === "S") signalFrame = true;
      else if (ch === "B" || ch === "G") continue;
      else break;
    }
    c.pos = augEnd;
  } else if (aug === "eh") {
    c.u64();
  } else if (aug !== "") {
    return null;
  }
  if (c.pos > end) return null;
  return {
    codeAlign,
    dataAlign,
    raColumn,
    fdeEnc,
    hasAug,
    signalFrame: signalFrame || aug.includes("S"),
    initial: sec.bytes.subarray(c.pos, end),
  };
}

/** Runs the CIE's and then the FDE's program while the location is ≤ `target`. */
function run(fde: Fde, target: number): FrameRules {
  const cie = fde.cie;
  const rules: FrameRules = {
    cfaReg: 7,
    cfaOffset: 8,
    regs: Array.from({ length: NREGS }, () => ({ where: Where.Same, value: 0 })),
    signalFrame: cie.signalFrame,
    raColumn: cie.raColumn,
  };
  const state = { loc: fde.start };
  exec(cie.initial, cie, rules, state, Infinity, undefined);
  const initial = cloneRegs(rules.regs);
  exec(fde.program, cie, rules, state, target, initial);
  return rules;
}

function cloneRegs(r: Rule[]): Rule[] {
  return r.map((x) => ({ ...x }));
}

function setReg(rules: FrameRules, reg: number, rule: Rule): void {
  if (reg >= 0 && reg < NREGS) rules.regs[reg] = rule;
}

/** Executes CFA instructions (libunwind's `run_cfi_program`). */
function exec(
  prog: Uint8Array,
  cie: Cie,
  rules: FrameRules,
  state: { loc: number },
  target: number,
  initial: Rule[] | undefined,
): void {
  const c = new Cursor(prog, 0, 0);
  const stack: { regs: Rule[]; cfaReg: number; cfaOffset: number; cfaExpr?: Uint8Array }[] = [];
  const restore = (reg: number) => {
    if (initial && reg >= 0 && reg < NREGS) rules.regs[reg] = { ...initial[reg] };
  };
  const block = () => {
    const n = c.uleb();
    const b = prog.subarray(c.pos, c.pos + n);
    c.pos += n;
    return b;
  };
  while (state.loc <= target && c.pos < prog.length) {
    let op = c.u8();
    let operand = 0;
    if (op & 0xc0) {
      operand = op & 0x3f;
      op &= 0xc0;
    }
    switch (op) {
      case 0x40:
        state.loc += operand * cie.codeAlign;
        break;
      case 0x80:
        setReg(rules, operand, { where: Where.CfaRel, value: c.uleb() * cie.dataAlign });
        break;
      case 0xc0:
        restore(operand);
        break;
      case 0x00: // nop
        break;
      case 0x01:
        state.loc = c.encoded(cie.fdeEnc);
        break;
      case 0x02:
        state.loc += c.u8() * cie.codeAlign;
        break;
      case 0x03:
        state.loc += c.u16() * cie.codeAlign;
        break;
      case 0x04:
        state.loc += c.u32() * cie.codeAlign;
        break;
      case 0x05: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.CfaRel, value: c.uleb() * cie.dataAlign });
        break;
      }
      case 0x06:
        restore(c.uleb());
        break;
      case 0x07:
        setReg(rules, c.uleb(), { where: Where.Undef, value: 0 });
        break;
      case 0x08:
        setReg(rules, c.uleb(), { where: Where.Same, value: 0 });
        break;
      case 0x09: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.Reg, value: c.uleb() });
        break;
      }
      case 0x0a:
        stack.push({
          regs: cloneRegs(rules.regs),
          cfaReg: rules.cfaReg,
          cfaOffset: rules.cfaOffset,
          cfaExpr: rules.cfaExpr,
        });
        break;
      case 0x0b: {
        const s = stack.pop();
        if (s) {
          // Every rule comes back, the CFA's included (libunwind keeps it as a column too).
          rules.regs = s.regs;
          rules.cfaReg = s.cfaReg;
          rules.cfaOffset = s.cfaOffset;
          rules.cfaExpr = s.cfaExpr;
        }
        break;
      }
      case 0x0c:
        rules.cfaReg = c.uleb();
        rules.cfaOffset = c.uleb();
        rules.cfaExpr = undefined;
        break;
      case 0x0d:
        rules.cfaReg = c.uleb();
        rules.cfaExpr = undefined;
        break;
      case 0x0e:
        rules.cfaOffset = c.uleb();
        break;
      case 0x0f:
        rules.cfaExpr = block();
        break;
      case 0x10: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.Expr, value: 0, expr: block() });
        break;
      }
      case 0x11: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.CfaRel, value: c.sleb() * cie.dataAlign });
        break;
      }
      case 0x12:
        rules.cfaReg = c.uleb();
        rules.cfaOffset = c.sleb() * cie.dataAlign;
        rules.cfaExpr = undefined;
        break;
      case 0x13:
        rules.cfaOffset = c.sleb() * cie.dataAlign;
        break;
      case 0x14: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.ValOffset, value: c.uleb() * cie.dataAlign });
        break;
      }
      case 0x15: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.ValOffset, value: c.sleb() * cie.dataAlign });
        break;
      }
      case 0x16: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.ValExpr, value: 0, expr: block() });
        break;
      }
      case 0x2e: // GNU_args_size
        c.uleb();
        break;
      case 0x2f: {
        const r = c.uleb();
        setReg(rules, r, { where: Where.CfaRel, value: -c.uleb() * cie.dataAlign });
        break;
      }
      default:
        throw new RangeError(`unknown CFA opcode ${op}`);
    }
  }
}
