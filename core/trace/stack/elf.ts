/**
 * A small, defensive ELF64 (little-endian) reader for `-k`: program headers, section headers,
 * function symbols (`.symtab` and `.dynsym`), and where the call-frame information lives
 * (`PT_GNU_EH_FRAME`/`.eh_frame_hdr`, `.eh_frame`, `.debug_frame`).
 *
 * Files are read in ranges, never whole (a Deno or Node binary is over 100 MiB), and every offset
 * is checked: a truncated or corrupt file gives fewer symbols or no frame data, never an exception
 * past {@linkcode openElf}.
 * @module
 */

/** A program header (`Elf64_Phdr`). */
export interface ProgramHeader {
  /** `p_type`. */
  type: number;
  /** `p_offset`. */
  offset: number;
  /** `p_vaddr`. */
  vaddr: number;
  /** `p_filesz`. */
  filesz: number;
  /** `p_memsz`. */
  memsz: number;
}

/** A section header (`Elf64_Shdr`) with its name. */
export interface Section {
  /** Name from `.shstrtab`. */
  name: string;
  /** `sh_type`. */
  type: number;
  /** `sh_addr`. */
  addr: number;
  /** `sh_offset`. */
  offset: number;
  /** `sh_size`. */
  size: number;
  /** `sh_link`. */
  link: number;
  /** `sh_entsize`. */
  entsize: number;
}

/** `PT_LOAD`. */
export const PT_LOAD = 1;
/** `PT_GNU_EH_FRAME`. */
export const PT_GNU_EH_FRAME = 0x6474e550;
const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const STT_FUNC = 2;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;

/** Function symbols sorted for nearest-preceding lookups, as libunwind chooses them. */
export interface SymbolTable {
  /** Symbol values (sorted ascending). */
  values: Float64Array;
  /** Whether each is `SHN_ABS` (no load offset added). */
  abs: Uint8Array;
  /** Names, parallel to `values`. */
  names: string[];
}

/** An opened ELF file. */
export class ElfFile {
  /** Its path. */
  readonly path: string;
  /** File size (libunwind's `ei->size`: a symbol further than this is "not found"). */
  readonly size: number;
  /** Program headers. */
  readonly phdrs: ProgramHeader[] = [];
  /** Section headers. */
  readonly sections: Section[] = [];
  private file: Deno.FsFile;
  private symbols?: SymbolTable;

  /** Use {@linkcode openElf}. */
  constructor(path: string, file: Deno.FsFile, size: number) {
    this.path = path;
    this.file = file;
    this.size = size;
  }

  /** Reads `len` bytes at `offset`; a short or failed read gives what could be read. */
  read(offset: number, len: number): Uint8Array {
    if (offset < 0 || len <= 0 || offset >= this.size) return new Uint8Array(0);
    const n = Math.min(len, this.size - offset);
    const out = new Uint8Array(n);
    try {
      this.file.seekSync(offset, Deno.SeekMode.Start);
      let got = 0;
      while (got < n) {
        const r = this.file.readSync(out.subarray(got));
        if (r === null || r === 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    } catch {
      return new Uint8Array(0);
    }
  }

  /** Closes the file. */
  close(): void {
    try {
      this.file.close();
    } catch {
      // already closed
    }
  }

  /** The file offset of virtual address `vaddr` through the `PT_LOAD` headers, or -1. */
  fileOffset(vaddr: number): number {
    for (const p of this.phdrs) {
      if (p.type === PT_LOAD && vaddr >= p.vaddr && vaddr < p.vaddr + p.filesz) {
        return vaddr - p.vaddr + p.offset;
      }
    }
    return -1;
  }

  /** The first section named `name`. */
  section(name: string): Section | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /**
   * libunwind's load offset of a mapping (`elf_w(get_load_offset)`): the `PT_LOAD` whose page-
   * aligned file offset is the mapping's offset gives `segbase - p_vaddr + (p_offset % page)`.
   */
  loadOffset(segbase: number, mapoff: number): number {
    for (const p of this.phdrs) {
      if (p.type === PT_LOAD && Math.floor(p.offset / 4096) * 4096 === mapoff) {
        return segbase - p.vaddr + (p.offset % 4096);
      }
    }
    return 0;
  }

  /** The function symbols of `.symtab` and `.dynsym`, read once. */
  functionSymbols(): SymbolTable {
    if (this.symbols) return this.symbols;
    const entries: { value: number; abs: boolean; name: string; order: number }[] = [];
    let order = 0;
    for (const s of this.sections) {
      if (s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) continue;
      const entsize = s.entsize || 24;
      if (entsize < 24 || s.size > 1 << 28) continue;
      const strtab = this.sections[s.link];
      if (!strtab || strtab.size > 1 << 28) continue;
      const data = this.read(s.offset, s.size);
      const strs = this.read(strtab.offset, strtab.size);
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (let off = 0; off + 24 <= data.length; off += entsize) {
        const nameOff = dv.getUint32(off, true);
        const info = data[off + 4];
        const shndx = dv.getUint16(off + 6, true);
        if ((info & 0xf) !== STT_FUNC || shndx === SHN_UNDEF) continue;
        const value = u64(dv, off + 8);
        entries.push({ value, abs: shndx === SHN_ABS, name: cstr(strs, nameOff), order: order++ });
      }
    }
    // libunwind keeps the first symbol met at the smallest distance: sort by value, and among
    // equal values keep the first in section and table order.
    entries.sort((a, b) => a.value - b.value || a.order - b.order);
    const kept = entries.filter((e, i) => i === 0 || e.value !== entries[i - 1].value);
    this.symbols = {
      values: Float64Array.from(kept, (e) => e.value),
      abs: Uint8Array.from(kept, (e) => (e.abs ? 1 : 0)),
      names: kept.map((e) => e.name),
    };
    return this.symbols;
  }
}

/** Reads a little-endian u64 as a number (exact below 2^53, which covers file addresses). */
export function u64(dv: DataView, off: number): number {
  return dv.getUint32(off + 4, true) * 4294967296 + dv.getUint32(off, true);
}

/** A NUL-terminated string from a string table. */
function cstr(b: Uint8Array, off: number): string {
  if (off >= b.length) return "";
  let end = b.indexOf(0, off);
  if (end < 0) end = b.length;
  return new TextDecoder().decode(b.subarray(off, end));
}

/** Opens and parses an ELF64 little-endian x86_64 file's headers; undefined if it is not one. */
export function openElf(path: string): ElfFile | undefined {
  let file: Deno.FsFile;
  let size: number;
  try {
    file = Deno.openSync(path, { read: true });
    size = file.statSync().size;
  } catch {
    return undefined;
  }
  const elf = new ElfFile(path, file, size);
  const h = elf.read(0, 64);
  if (
    h.length < 64 || h[0] !== 0x7f || h[1] !== 0x45 || h[2] !== 0x4c || h[3] !== 0x46 ||
    h[4] !== 2 || h[5] !== 1
  ) {
    elf.close();
    return undefined;
  }
  const dv = new DataView(h.buffer, h.byteOffset, 64);
  const phoff = u64(dv, 32);
  const shoff = u64(dv, 40);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const shstrndx = dv.getUint16(62, true);
  if (phentsize >= 56 && phnum < 4096) {
    const ph = elf.read(phoff, phentsize * phnum);
    const pv = new DataView(ph.buffer, ph.byteOffset, ph.byteLength);
    for (let i = 0; (i + 1) * phentsize <= ph.length; i++) {
      const o = i * phentsize;
      elf.phdrs.push({
        type: pv.getUint32(o, true),
        offset: u64(pv, o + 8),
        vaddr: u64(pv, o + 16),
        filesz: u64(pv, o + 32),
        memsz: u64(pv, o + 40),
      });
    }
  }
  if (shentsize >= 64 && shnum < 65536 && shoff > 0) {
    const sh = elf.read(shoff, shentsize * shnum);
    const sv = new DataView(sh.buffer, sh.byteOffset, sh.byteLength);
    const raw: (Section & { nameOff: number })[] = [];
    for (let i = 0; (i + 1) * shentsize <= sh.length; i++) {
      const o = i * shentsize;
      raw.push({
        nameOff: sv.getUint32(o, true),
        name: "",
        type: sv.getUint32(o + 4, true),
        addr: u64(sv, o + 16),
        offset: u64(sv, o + 24),
        size: u64(sv, o + 32),
        link: sv.getUint32(o + 40, true),
        entsize: u64(sv, o + 56),
      });
    }
    const strSec = raw[shstrndx];
    const names = strSec && strSec.size < 1 << 24 ? elf.read(strSec.offset, strSec.size) : null;
    for (const r of raw) {
      const { nameOff, ...s } = r;
      s.name = names ? cstr(names, nameOff) : "";
      elf.sections.push(s);
    }
  }
  return elf;
}
