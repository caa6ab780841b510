/**
 * `-k` stack traces, the way Debian's strace 6.1 (with libunwind 1.6) prints them: the frames of
 * a stopped thread, unwound from its registers with the DWARF call-frame information of each
 * mapped ELF file (frame pointers only where there is none), each named by the nearest preceding
 * function symbol of `.symtab`/`.dynsym`:
 *
 * ```
 *  > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]
 *  > /usr/bin/echo() [0x60c4]
 * ```
 *
 * Parsed ELF data is cached per file (device, inode, size and mtime); a process's memory map is
 * re-read when a syscall that changes mappings has run since (strace's `mmap_cache` generation).
 * @module
 */

import type { MemoryReader } from "../../../decoders/api.ts";
import { FrameIndex, type FrameRules, NREGS, RA, Where } from "./cfi.ts";
import { evalExpr } from "./dwarf_expr.ts";
import { type ElfFile, openElf } from "./elf.ts";
import { demangle } from "./demangle.ts";

/** One line of `/proc/PID/maps`. */
export interface Mapping {
  /** Start address. */
  start: number;
  /** End address. */
  end: number;
  /** File offset. */
  offset: number;
  /** Executable. */
  exec: boolean;
  /** The path (empty for anonymous mappings). */
  path: string;
}

/** Parses `/proc/PID/maps` text. */
export function parseMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split("\n")) {
    const m =
      /^([0-9a-f]+)-([0-9a-f]+) ([r-])([w-])([x-])([ps]) ([0-9a-f]+) [0-9a-f]+:[0-9a-f]+ \d+ *(.*)$/
        .exec(line);
    if (!m) continue;
    out.push({
      start: parseInt(m[1], 16),
      end: parseInt(m[2], 16),
      offset: parseInt(m[7], 16),
      exec: m[5] === "x",
      path: m[8],
    });
  }
  return out;
}

/** One printed frame. */
export interface Frame {
  /** The mapped file. */
  path?: string;
  /** The function symbol ("" when none was found). */
  symbol?: string;
  /** Offset from the symbol. */
  offset?: number;
  /** The address as an offset in the file (strace's `true_offset`), or the address for errors. */
  trueOffset: number | bigint;
  /** An error instead of a frame (`unexpected_backtracing_error`, `too many stack frames`). */
  error?: string;
}

/** user_regs_struct index of each DWARF register (0–16). */
const DWARF_TO_USER = [10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16];
const RBP = 6;
const RSP = 7;
const MAX_FRAMES = 256;
/** Bytes of stack read at once (aligned; a block that is not readable whole is read by word). */
const BLOCK = 512;

/** A register location (libunwind's `dwarf_loc_t`): undefined, a value, or a memory address. */
const enum Loc {
  Null,
  Val,
  Mem,
}

interface CachedElf {
  key: string;
  elf?: ElfFile;
  frames?: FrameIndex;
}

/** What the unwinder needs of a stopped thread. */
export interface StoppedThread {
  /** Thread id. */
  pid: number;
  /** Thread-group id (whose memory map it shares). */
  tgid: number;
  /** Its memory. */
  mem: MemoryReader;
  /** `user_regs_struct` as u32 halves (from `PTRACE_GETREGS`). */
  regs: Uint32Array;
}

/** The stack unwinder: ELF files and memory maps cached across calls. */
export class Unwinder {
  private files = new Map<string, CachedElf>();
  private maps = new Map<number, { generation: number; list: Mapping[] }>();
  private generation = 0;
  private names = new Map<string, Frame | undefined>();

  /** A syscall that may have changed some process's mappings ran: re-read maps when needed. */
  invalidate(): void {
    this.generation++;
    this.names.clear();
  }

  /** Forgets a process's map (it exited). */
  forget(tgid: number): void {
    this.maps.delete(tgid);
  }

  /** A process's map, re-read when a mapping change was seen since. */
  private mapsOf(tgid: number): Mapping[] {
    const m = this.maps.get(tgid);
    if (m && m.generation === this.generation) return m.list;
    let list: Mapping[] = [];
    try {
      list = parseMaps(Deno.readTextFileSync(`/proc/${tgid}/maps`));
    } catch {
      list = [];
    }
    this.maps.set(tgid, { generation: this.generation, list });
    return list;
  }

  /** The parsed ELF file at `path` (cached by device, inode, size and mtime). */
  private fileOf(path: string): CachedElf {
    let key = path;
    try {
      const st = Deno.statSync(path);
      key = `${st.dev}:${st.ino}:${st.size}:${st.mtime?.getTime()}`;
    } catch {
      // unreadable: cached as missing under its path
    }
    const c = this.files.get(path);
    if (c && c.key === key) return c;
    c?.elf?.close();
    const elf = path.startsWith("/") ? openElf(path) : undefined;
    const entry: CachedElf = { key, elf, frames: elf ? new FrameIndex(elf) : undefined };
    this.files.set(path, entry);
    return entry;
  }

  /** Unwinds a stopped thread (registers already read into `t.regs`). */
  walk(t: StoppedThread): Frame[] {
    const maps = this.mapsOf(t.tgid);
    const frames: Frame[] = [];
    const cursor = new Cursor(t, this, maps);
    for (let depth = 0; depth < MAX_FRAMES; depth++) {
      const f = this.describe(maps, cursor.ip, cursor.usePrev);
      if (!f) {
        if (cursor.ip) {
          frames.push({ error: "unexpected_backtracing_error", trueOffset: cursor.exactIp() });
        }
        return frames;
      }
      frames.push(f);
      if (cursor.step() <= 0) return frames;
    }
    frames.push({ error: "too many stack frames", trueOffset: 0 });
    return frames;
  }

  /** Names an address (strace's `print_stack_frame` with libunwind's `unw_get_proc_name`). */
  private describe(maps: Mapping[], ip: number, usePrev: number): Frame | undefined {
    const key = `${ip}:${usePrev}:${maps.length}:${maps[0]?.start}`;
    if (this.names.has(key)) return this.names.get(key);
    const f = this.name(maps, ip, usePrev);
    if (this.names.size >= 16384) this.names.clear();
    this.names.set(key, f);
    return f;
  }

  /** {@linkcode describe} without the cache. */
  private name(maps: Mapping[], ip: number, usePrev: number): Frame | undefined {
    // strace's own map cache keeps file-backed mappings only, and prints executable ones.
    const entry = findMapping(maps, ip, true);
    if (!entry || !entry.exec) return undefined;
    const trueOffset = ip - entry.start + entry.offset;
    const lookup = ip - usePrev;
    const m = findMapping(maps, lookup, false);
    let symbol = "";
    let offset = 0;
    if (m && m.path) {
      const f = this.fileOf(m.path);
      if (f.elf) {
        const found = nearestSymbol(f.elf, lookup, f.elf.loadOffset(m.start, m.offset));
        if (found) {
          symbol = found.name;
          offset = found.distance + usePrev;
        }
      }
    }
    return { path: entry.path, symbol, offset, trueOffset };
  }

  /** The call-frame rules for address `ip` (or undefined: no CFI), and the file's load offset. */
  rulesFor(
    maps: Mapping[],
    ip: number,
    usePrev: number,
  ): FrameRules | undefined {
    const lookup = ip - usePrev;
    const m = findMapping(maps, lookup, false);
    if (!m || !m.path) return undefined;
    const f = this.fileOf(m.path);
    if (!f.elf || !f.frames) return undefined;
    const load = f.elf.loadOffset(m.start, m.offset);
    return f.frames.rulesAt(lookup - load, lookup - load);
  }
}

/** The mapping containing `addr` (with `named`, only file-backed ones, as strace's cache). */
function findMapping(maps: Mapping[], addr: number, named: boolean): Mapping | undefined {
  for (const m of maps) {
    if (addr >= m.start && addr < m.end && (!named || m.path !== "")) return m;
  }
  return undefined;
}

/** libunwind's `lookup_symbol`: the function symbol nearest below `ip`, within the file's size. */
function nearestSymbol(
  elf: ElfFile,
  ip: number,
  load: number,
): { name: string; distance: number } | undefined {
  const t = elf.functionSymbols();
  let best = -1;
  let bestDist = Infinity;
  // Relocated symbols: binary search for the largest value <= ip - load.
  let lo = 0;
  let hi = t.values.length - 1;
  const want = ip - load;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.values[mid] <= want) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Walk back over absolute symbols the search may have picked; they are rare.
  while (best >= 0 && t.abs[best]) best--;
  if (best >= 0) bestDist = want - t.values[best];
  for (let i = 0; i < t.values.length; i++) {
    if (!t.abs[i]) continue;
    const d = ip - t.values[i];
    if (d >= 0 && d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  if (best < 0 || bestDist >= elf.size) return undefined;
  return { name: t.names[best], distance: bestDist };
}

/** libunwind's cursor: register locations, CFA and ip of the frame being walked. */
class Cursor {
  ip: number;
  cfa: number;
  usePrev = 0;
  private kind = new Uint8Array(NREGS);
  private val = new Float64Array(NREGS);
  private words = new Map<number, bigint>();
  private blocks = new Map<number, DataView | null>();

  constructor(
    private readonly t: StoppedThread,
    private readonly unwinder: Unwinder,
    private readonly maps: Mapping[],
  ) {
    for (let i = 0; i < NREGS; i++) {
      const u = DWARF_TO_USER[i];
      this.kind[i] = Loc.Val;
      this.val[i] = t.regs[2 * u + 1] * 4294967296 + t.regs[2 * u];
    }
    this.ip = this.val[RA];
    this.cfa = this.val[RSP];
  }

  /** The ip exactly (a garbage return address may not fit a double). */
  exactIp(): bigint {
    const b = this.ipWord;
    return b !== undefined && Number(b) === this.ip ? b : BigInt(Math.round(this.ip));
  }

  /** The raw word the ip was last read from, for {@linkcode exactIp}. */
  private ipWord?: bigint;

  /** Reads a word of tracee memory exactly (cached for this walk). */
  private wordBig(addr: number): bigint | undefined {
    if (!(addr > 0) || addr >= 2 ** 53) return undefined;
    // Stack words are read a block at a time: one process_vm_readv serves several frames.
    const base = addr - (addr % BLOCK);
    let block = this.blocks.get(base);
    if (block === undefined) {
      const b = this.t.mem.read(base, BLOCK);
      block = b ? new DataView(b.buffer, b.byteOffset, b.byteLength) : null;
      this.blocks.set(base, block);
    }
    const off = addr - base;
    if (block && off + 8 <= block.byteLength) return block.getBigUint64(off, true);
    const cached = this.words.get(addr);
    if (cached !== undefined) return cached;
    const b = this.t.mem.read(addr, 8);
    if (!b || b.length < 8) return undefined;
    const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
    this.words.set(addr, v);
    return v;
  }

  /** Reads a word of tracee memory as a number (exact below 2^53). */
  private word(addr: number): number | undefined {
    const v = this.wordBig(addr);
    return v === undefined ? undefined : Number(v);
  }

  /** Sets the ip from a location, keeping the exact value for error lines. */
  private setIp(kind: number, v: number): boolean {
    const big = kind === Loc.Val
      ? BigInt(Math.round(v))
      : kind === Loc.Mem
      ? this.wordBig(v)
      : undefined;
    if (big === undefined) return false;
    this.ip = Number(big);
    this.ipWord = big;
    return true;
  }

  /** A location's value (libunwind's `dwarf_get`). */
  private get(kind: number, v: number): number | undefined {
    if (kind === Loc.Val) return v;
    if (kind === Loc.Mem) return this.word(v);
    return undefined;
  }

  /** A register's value in this frame (`unw_get_reg`: rsp is the CFA, rip the ip). */
  private reg(n: number): number | undefined {
    if (n === RSP) return this.cfa;
    if (n === RA) return this.ip;
    if (n < 0 || n >= NREGS) return undefined;
    return this.get(this.kind[n], this.val[n]);
  }

  private expr(
    code: Uint8Array,
    initial: number,
  ): { value: number; register?: number } | undefined {
    const r = evalExpr(code, BigInt(Math.max(0, Math.floor(initial))), {
      reg: (n) => {
        const v = this.reg(n);
        return v === undefined ? undefined : BigInt(v);
      },
      deref: (addr, size) => {
        const w = this.word(Number(addr));
        if (w === undefined) return undefined;
        return size >= 8 ? BigInt(w) : BigInt(w) & ((1n << BigInt(8 * size)) - 1n);
      },
    });
    if (!r) return undefined;
    return { value: Number(r.value), register: r.register };
  }

  /** One step up the stack (libunwind's x86_64 `unw_step`): >0 more frames, 0 end, <0 error. */
  step(): number {
    const prevIp = this.ip;
    const prevCfa = this.cfa;
    const rules = this.unwinder.rulesFor(this.maps, this.ip, this.usePrev);
    let ret: number;
    if (rules) {
      ret = this.apply(rules, prevIp, prevCfa);
      if (ret >= 0 && this.kind[RBP] === Loc.Null) {
        this.ip = 0;
        ret = 0;
      }
      return ret;
    }
    return this.frameChain(prevIp, prevCfa);
  }

  /** libunwind's `apply_reg_state`. */
  private apply(rules: FrameRules, prevIp: number, prevCfa: number): number {
    let cfa: number | undefined;
    if (rules.cfaExpr) {
      const r = this.expr(rules.cfaExpr, 0);
      if (!r || r.register !== undefined) return -1;
      cfa = r.value;
    } else {
      const base = this.reg(rules.cfaReg);
      if (base === undefined) return -1;
      cfa = base + rules.cfaOffset;
    }
    const kind = this.kind.slice();
    const val = this.val.slice();
    for (let i = 0; i < NREGS; i++) {
      const r = rules.regs[i];
      switch (r.where) {
        case Where.Undef:
          kind[i] = Loc.Null;
          break;
        case Where.Same:
          break;
        case Where.CfaRel:
          kind[i] = Loc.Mem;
          val[i] = cfa + r.value;
          break;
        case Where.Reg:
          if (r.value >= 0 && r.value < NREGS) {
            kind[i] = kind[r.value];
            val[i] = val[r.value];
          }
          break;
        case Where.Expr:
        case Where.ValExpr: {
          const e = this.expr(r.expr!, cfa);
          if (!e) return -1;
          if (e.register !== undefined) {
            const n = e.register;
            if (n < 0 || n >= NREGS) return -1;
            kind[i] = r.where === Where.Expr ? this.kind[n] : Loc.Val;
            val[i] = r.where === Where.Expr ? this.val[n] : (this.reg(n) ?? 0);
          } else {
            kind[i] = r.where === Where.Expr ? Loc.Mem : Loc.Val;
            val[i] = e.value;
          }
          break;
        }
        case Where.ValOffset:
          kind[i] = Loc.Val;
          val[i] = cfa + r.value;
          break;
      }
    }
    this.kind = kind;
    this.val = val;
    this.cfa = cfa;
    let ret: number;
    const ra = rules.raColumn < NREGS ? rules.raColumn : RA;
    if (kind[ra] === Loc.Null) {
      this.ip = 0;
      ret = 0;
    } else {
      if (!this.setIp(kind[ra], val[ra])) return -1;
      ret = 1;
    }
    if (this.ip === prevIp && this.cfa === prevCfa) return -1;
    this.usePrev = rules.signalFrame ? 0 : 1;
    return ret;
  }

  /** libunwind's fallback without CFI: the frame-pointer chain, with its sanity checks. */
  private frameChain(prevIp: number, prevCfa: number): number {
    let invalidPrevRip = false;
    if (this.kind[RBP] === Loc.Null) {
      this.kind.fill(Loc.Null);
    } else {
      const rbp = this.get(this.kind[RBP], this.val[RBP]);
      if (rbp === undefined) return -1;
      invalidPrevRip = this.word(prevIp) === undefined;
      let rbpLoc: [number, number] = [Loc.Null, 0];
      let rspLoc: [number, number] = [Loc.Null, 0];
      let ripLoc: [number, number] = [Loc.Null, 0];
      if (!(rbp === 0 && !invalidPrevRip)) {
        let fixed = false;
        if (invalidPrevRip) {
          // A call through a bad pointer: the return address is still at rsp.
          const rsp = this.cfa;
          const newIp = this.word(rsp);
          if (newIp !== undefined && this.word(newIp) !== undefined) {
            fixed = true;
            this.cfa += 8;
            rbpLoc = [Loc.Val, rbp];
            rspLoc = [Loc.Val, rsp];
            ripLoc = [Loc.Mem, rsp];
          }
        }
        if (!fixed) {
          rbpLoc = [Loc.Mem, rbp];
          ripLoc = [Loc.Mem, rbp + 8];
          const rbp1 = this.word(rbp);
          if (rbp1 === undefined || rbp < this.cfa || rbp - this.cfa > 0x4000) {
            ripLoc = [Loc.Null, 0];
            rbpLoc = [Loc.Null, 0];
          }
          this.cfa += 16;
        }
      }
      this.kind.fill(Loc.Null);
      [this.kind[RBP], this.val[RBP]] = rbpLoc;
      [this.kind[RSP], this.val[RSP]] = rspLoc;
      [this.kind[RA], this.val[RA]] = ripLoc;
      this.usePrev = 1;
    }
    if (this.kind[RBP] === Loc.Null && !invalidPrevRip) return 0;
    let ret = 0;
    if (this.kind[RA] !== Loc.Null) {
      if (!this.setIp(this.kind[RA], this.val[RA])) return -1;
      ret = 1;
    } else this.ip = 0;
    if (this.ip === prevIp && this.cfa === prevCfa) return -1;
    return ret;
  }
}

/**
 * strace's lines for a walk. `queued` frames (captured at a syscall's entry and printed later,
 * as for execve and exit_group) always carry a symbol part, `(+0x0)` when none was found.
 */
export function formatFrames(frames: Frame[], queued: boolean): string {
  let s = "";
  for (const f of frames) {
    if (f.error) {
      s += f.trueOffset ? ` > ${f.error} [0x${f.trueOffset.toString(16)}]\n` : ` > ${f.error}\n`;
    } else if (f.symbol || queued) {
      s += ` > ${f.path}(${demangle(f.symbol ?? "")}+0x${(f.offset ?? 0).toString(16)}) [0x${
        f.trueOffset.toString(16)
      }]\n`;
    } else {
      s += ` > ${f.path}() [0x${f.trueOffset.toString(16)}]\n`;
    }
  }
  return s;
}
