/**
 * Decoders for the process family of syscalls, printed as strace 6.1 prints them on x86_64:
 * program execution (`execve`, `execveat`), process creation (`clone`, `clone3`, `fork`,
 * `vfork`), waiting (`wait4`, `waitid`), exit, ids and credentials, resource limits, `prctl`,
 * `arch_prctl`, `futex`, scheduling, capabilities, `ptrace` and a few more.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { cstr, dirfd, fd, noDeref, path, timespec, timevalText } from "./format.ts";
import { flags, hex, xval } from "./xlat.ts";
import type { Xlat } from "./xlat.ts";
import { printSignal, signame } from "./signame.ts";
import { flags64, sigsetAt } from "./signal.ts";
import { personalityFlags as personalityFlagsTable, personalityTypes } from "./xlat/misc.ts";
import { siginfoAt, siginfoText, syscallNameField } from "./siginfo.ts";
import { AT_FLAGS } from "./xlat/fs.ts";
import {
  archVals,
  auditArch,
  capMask0,
  capMask1,
  caps,
  capVersion,
  clone3Flags,
  cloneFlags,
  futexBitset,
  futexOps,
  futexWakeCmps,
  futexWakeOps,
  ntDescriptorTypes,
  pidfdOpenFlags,
  prctlOptions,
  prDumpable,
  priorities,
  prSetMm,
  prSetVma,
  prTsc,
  ptraceCmds,
  ptraceEvents,
  ptracePeeksiginfoFlags,
  ptraceSetoptionsFlags,
  ptraceSyscallInfoOp,
  resources,
  schedulers,
  seccompFilterFlags,
  seccompMode,
  seccompOps,
  structUserOffsets,
  usageWho,
  wait4Options,
  waitidTypes,
} from "./xlat/process.ts";
import { u64At, uText } from "./u64.ts";

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Whether an output argument must be printed as its address (the call failed). */
function outFailed(c: SyscallCall): boolean {
  return c.exiting && c.errno !== 0;
}

/** A 64-bit address as strace's `printaddr64`: `NULL` or `0x…`. */
function addr64(v: bigint): string {
  return v === 0n ? "NULL" : "0x" + v.toString(16);
}

/**
 * Reads `len` bytes at `addr` as strace's `umoven_or_printaddr` does: returns the bytes, or the
 * text to print instead (`NULL`, or the address when unreadable, when the call failed or when
 * `-e verbose=` excludes the call).
 */
function readOr(c: SyscallCall, addr: number, len: number): DataView | string {
  if (!addr) return "NULL";
  if (outFailed(c) || noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, len);
  if (!b) return hex(addr);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Prints a struct read with {@linkcode readOr}. */
function withStruct(
  c: SyscallCall,
  addr: number,
  len: number,
  print: (v: DataView) => string,
): string {
  const v = readOr(c, addr, len);
  return typeof v === "string" ? v : print(v);
}

/** strace's `printnum_int`: `[42]`. */
function numInt(c: SyscallCall, addr: number, unsigned = false): string {
  return withStruct(
    c,
    addr,
    4,
    (v) => `[${unsigned ? v.getUint32(0, true) : v.getInt32(0, true)}]`,
  );
}

/** strace's `printnum_ptr`/`printnum_kptr`: `[0x7f…]`. */
function numPtr(c: SyscallCall, addr: number): string {
  return withStruct(c, addr, 8, (v) => `[${addr64(v.getBigUint64(0, true))}]`);
}

/** strace's `printnum_ulong`: `[42]`. */
function numUlong(c: SyscallCall, addr: number): string {
  return withStruct(c, addr, 8, (v) => `[${v.getBigUint64(0, true)}]`);
}

/** A pid argument (`printpid`), as a signed int. */
function pidArg(c: SyscallCall, n: number): string {
  return String(c.args.i(n));
}

/** strace's `printuid`: -1 for 0xffffffff, else unsigned. */
function uidText(v: number): string {
  v = v >>> 0;
  return v === 0xffffffff ? "-1" : String(v);
}

/** strace's `printargs`: every argument in hex. */
function printargs(n: number): SyscallDecoder {
  return {
    enter: (c) => Array.from({ length: n }, (_, i) => c.args.hex(i)).join(", "),
  };
}

/** strace's `printargs_d`: every argument as a signed long. */
function printargsD(n: number): SyscallDecoder {
  return {
    enter: (c) =>
      Array.from(
        { length: n },
        (_, i) => String(c.args.big(i) >= 2n ** 63n ? c.args.big(i) - 2n ** 64n : c.args.big(i)),
      ).join(", "),
  };
}

/** A `printxval` of an argument. */
function xv(c: SyscallCall, table: Xlat, v: number, dflt: string): string {
  return xval(table, v, c.opts.xlat, dflt);
}

/** Named value in the style of `print_xlat_ex` (`-X`). */
function named(name: string, raw: string, style: XlatStyle): string {
  if (style === "raw") return raw;
  return style === "verbose" ? `${raw} /* ${name} */` : name;
}

// ---------------------------------------------------------------------------------------------
// execve

/** strace's `printargv`: `["a", "b", ...]`, at most `-s` elements unless `-v`. */
function argvText(c: SyscallCall, addr: number): string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const parts: string[] = [];
  for (let n = 0;; n++) {
    const a = addr + n * 8;
    const w = c.mem.read(a, 8);
    if (!w) {
      if (n === 0) return hex(addr);
      parts.push(`... /* ${hex(a)} */`);
      break;
    }
    const word = new DataView(w.buffer, w.byteOffset, 8).getBigUint64(0, true);
    if (word === 0n) break;
    if (!c.opts.verbose && n >= c.opts.strsize) {
      parts.push("...");
      break;
    }
    parts.push(word < 2n ** 53n ? cstr(c, Number(word)) : "0x" + word.toString(16));
    if (n > 1 << 20) break;
  }
  return "[" + parts.join(", ") + "]";
}

/** strace's `printargc`: the address and a comment counting the variables. */
function argcText(c: SyscallCall, addr: number): string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  let n = 0;
  let unterminated = false;
  for (;; n++) {
    const w = c.mem.read(addr + n * 8, 8);
    if (!w) {
      if (n === 0) return hex(addr);
      unterminated = true;
      break;
    }
    if (new DataView(w.buffer, w.byteOffset, 8).getBigUint64(0, true) === 0n) break;
    if (n > 1 << 20) break;
  }
  return `${hex(addr)} /* ${n} var${n === 1 ? "" : "s"}${unterminated ? ", unterminated" : ""} */`;
}

function execveArgs(c: SyscallCall, i: number): string {
  const env = c.opts.verbose ? argvText(c, c.args.u(i + 2)) : argcText(c, c.args.u(i + 2));
  return `${path(c, c.args.u(i))}, ${argvText(c, c.args.u(i + 1))}, ${env}`;
}

// ---------------------------------------------------------------------------------------------
// clone, clone3, wait

const CLONE_PIDFD = 0x1000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x1000000;
const CLONE_INTO_CGROUP = 0x200000000n;

const cloneAll: Xlat = { ...cloneFlags, entries: [...cloneFlags.entries, ...clone3Flags.entries] };

function cloneFlagsText(c: SyscallCall): string {
  const raw = c.args.big(0);
  const sig = Number(raw & 0xffn);
  const fl = raw & ~0xffn;
  const style = c.opts.xlat;
  if (!fl) return printSignal(sig, style);
  let s = flags64(cloneFlags, fl, style, "CLONE_???");
  if (sig) s += "|" + printSignal(sig, style);
  return s;
}

function cloneHasExitArgs(c: SyscallCall): boolean {
  const fl = c.args.u(0);
  return (fl & (CLONE_PARENT_SETTID | CLONE_PIDFD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
    CLONE_SETTLS)) !== 0;
}

const clone: SyscallDecoder = {
  enter: (c) => `child_stack=${c.args.u(1) ? c.args.hex(1) : "NULL"}, flags=${cloneFlagsText(c)}`,
  exit: (c) => {
    if (!cloneHasExitArgs(c)) return "";
    const fl = c.args.ui(0);
    let s = "";
    if (fl & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
      s += ", parent_tid=" + numInt(c, c.args.u(2));
    }
    if (fl & CLONE_SETTLS) s += ", tls=" + (c.args.u(4) ? c.args.hex(4) : "NULL");
    if (fl & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
      s += ", child_tidptr=" + (c.args.u(3) ? c.args.hex(3) : "NULL");
    }
    return s;
  },
};

const CLONE_ARGS_SIZE = 88;
const CLONE_ARGS_MIN = 64;

function clone3Struct(c: SyscallCall, v: DataView, fetch: number, size: number): string {
  const style = c.opts.xlat;
  const fl = v.getBigUint64(0, true);
  const f: string[] = [`flags=${flags64(cloneAll, fl, style, "CLONE_???")}`];
  if (fl & BigInt(CLONE_PIDFD)) f.push(`pidfd=${addr64(v.getBigUint64(8, true))}`);
  if (fl & BigInt(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
    f.push(`child_tid=${addr64(v.getBigUint64(16, true))}`);
  }
  if (fl & BigInt(CLONE_PARENT_SETTID)) f.push(`parent_tid=${addr64(v.getBigUint64(24, true))}`);
  const es = v.getBigUint64(32, true);
  f.push(`exit_signal=${es < 0x7fffffffn ? printSignal(Number(es), style) : es.toString()}`);
  f.push(`stack=${addr64(v.getBigUint64(40, true))}`);
  const ss = v.getBigUint64(48, true);
  f.push(`stack_size=${ss ? "0x" + ss.toString(16) : "0"}`);
  if (fl & BigInt(CLONE_SETTLS)) f.push(`tls=${addr64(v.getBigUint64(56, true))}`);
  if (fetch >= 80) {
    const setTid = v.getBigUint64(64, true);
    const setTidSize = v.getBigUint64(72, true);
    if (setTid || setTidSize) {
      if (!setTid || !setTidSize || setTidSize > 32n || setTid >= 2n ** 53n) {
        f.push(`set_tid=${addr64(setTid)}`);
      } else {
        const n = Number(setTidSize);
        const b = c.mem.read(Number(setTid), n * 4);
        if (!b) f.push(`set_tid=${addr64(setTid)}`);
        else {
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          const items = Array.from({ length: n }, (_, i) => String(dv.getInt32(i * 4, true)));
          f.push(`set_tid=[${items.join(", ")}]`);
        }
      }
      f.push(`set_tid_size=${setTidSize}`);
    }
  }
  if (fetch > 80) {
    const cg = v.getBigUint64(80, true);
    if (cg || (fl & CLONE_INTO_CGROUP)) f.push(`cgroup=${cg}`);
  }
  void size;
  return "{" + f.join(", ") + "}";
}

function clone3Decoded(c: SyscallCall): boolean {
  const size = c.args.u(1);
  const fetch = Math.min(size, CLONE_ARGS_SIZE);
  if (fetch < CLONE_ARGS_MIN || noDeref(c)) return true;
  const b = c.mem.read(c.args.u(0), fetch);
  if (!b) return true;
  const fl = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0, true);
  return !((fl & BigInt(CLONE_PIDFD | CLONE_PARENT_SETTID)) || size > fetch);
}

const clone3: SyscallDecoder = {
  enter: (c) => {
    const addr = c.args.u(0);
    const size = c.args.u(1);
    const fetch = Math.min(size, CLONE_ARGS_SIZE);
    let s: string;
    const b = fetch >= CLONE_ARGS_MIN && addr && !noDeref(c) ? c.mem.read(addr, fetch) : null;
    if (!b) s = addr ? hex(addr) : "NULL";
    else {
      const buf = new Uint8Array(CLONE_ARGS_SIZE);
      buf.set(b);
      s = clone3Struct(c, new DataView(buf.buffer), fetch, size);
    }
    c.state.clone3Decoded = clone3Decoded(c);
    if (c.state.clone3Decoded) s += `, ${size}`;
    return s;
  },
  exit: (c) => {
    if (c.state.clone3Decoded !== false) return "";
    const size = c.args.u(1);
    if (c.errno) return `, ${size}`;
    const addr = c.args.u(0);
    const fetch = Math.min(size, CLONE_ARGS_SIZE);
    const b = c.mem.read(addr, fetch);
    if (!b) return ` => ${hex(addr)}, ${size}`;
    const buf = new Uint8Array(CLONE_ARGS_SIZE);
    buf.set(b);
    const v = new DataView(buf.buffer);
    const fl = v.getBigUint64(0, true);
    const f: string[] = [];
    const intAt = (a: bigint) =>
      a >= 2n ** 53n ? addr64(a) : numInt({ ...c, exiting: false } as SyscallCall, Number(a));
    if (fl & BigInt(CLONE_PIDFD)) f.push(`pidfd=${intAt(v.getBigUint64(8, true))}`);
    if (fl & BigInt(CLONE_PARENT_SETTID)) f.push(`parent_tid=${intAt(v.getBigUint64(24, true))}`);
    return (f.length ? ` => {${f.join(", ")}}` : "") + `, ${size}`;
  },
};

/** strace's `printstatus` for a wait status. */
export function waitStatusText(status: number, style: XlatStyle = "abbrev"): string {
  let s: number = status >>> 0;
  let text: string;
  const sig = (s >> 8) & 0xff;
  if ((s & 0xff) === 0x7f) {
    text = `{WIFSTOPPED(s) && WSTOPSIG(s) == ${signame(sig & 0x7f)}${sig & 0x80 ? " | 0x80" : ""}}`;
    s = (s & ~((sig << 8) | 0x7f)) >>> 0;
  } else if ((s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f) {
    const term = s & 0x7f;
    text = `{WIFSIGNALED(s) && WTERMSIG(s) == ${signame(term)}${
      s & 0x80 ? " && WCOREDUMP(s)" : ""
    }}`;
    s = (s & ~(term | 0x80)) >>> 0;
  } else if ((s & 0x7f) === 0) {
    text = `{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}`;
    s = (s & ~0xff00) >>> 0;
  } else if (s === 0xffff) {
    text = "{WIFCONTINUED(s)}";
    s = 0;
  } else {
    return `[${hex(s)}]`;
  }
  if (s) {
    const event = s >>> 16;
    if (event) {
      text += "|" + xval(ptraceEvents, event, style, "PTRACE_EVENT_???") + "<<16";
      s &= 0xffff;
    }
    if (s) text += "|" + hex(s);
  }
  return `[${text}]`;
}

/** strace's `printrusage`. */
function rusageText(c: SyscallCall, addr: number): string {
  return withStruct(c, addr, 144, (v) => {
    let s = `{ru_utime=${timevalText(v, 0)}, ru_stime=${timevalText(v, 16)}`;
    if (!c.opts.verbose) return s + ", ...}";
    const names = [
      "ru_maxrss",
      "ru_ixrss",
      "ru_idrss",
      "ru_isrss",
      "ru_minflt",
      "ru_majflt",
      "ru_nswap",
      "ru_inblock",
      "ru_oublock",
      "ru_msgsnd",
      "ru_msgrcv",
      "ru_nsignals",
      "ru_nvcsw",
      "ru_nivcsw",
    ];
    names.forEach((n, i) => s += `, ${n}=${v.getBigUint64(32 + i * 8, true)}`);
    return s + "}";
  });
}

const wait4: SyscallDecoder = {
  enter: (c) => `${pidArg(c, 0)}, `,
  exit: (c) => {
    const st = c.rval === 0 && !c.errno
      ? (c.args.u(1) ? c.args.hex(1) : "NULL")
      : withStruct(c, c.args.u(1), 4, (v) => waitStatusText(v.getInt32(0, true), c.opts.xlat));
    const ru = c.rval > 0 && !c.errno
      ? rusageText(c, c.args.u(3))
      : (c.args.u(3) ? c.args.hex(3) : "NULL");
    return `${st}, ${flags(wait4Options, c.args.ui(2), c.opts.xlat, "W???")}, ${ru}`;
  },
};

const waitid: SyscallDecoder = {
  enter: (c) => {
    const type = c.args.ui(0);
    const id = type === 3 ? fd(c, c.args.i(1)) : String(c.args.i(1));
    return `${xv(c, waitidTypes, type, "P_???")}, ${id}, `;
  },
  exit: (c) =>
    `${siginfoAt(c, c.args.u(2))}, ${flags(wait4Options, c.args.ui(3), c.opts.xlat, "W???")}, ${
      rusageText(c, c.args.u(4))
    }`,
};

// ---------------------------------------------------------------------------------------------
// rlimits

function rlimText(v: bigint, style: XlatStyle): string {
  let str: string | undefined;
  if (v === 0xffffffffffffffffn) str = "RLIM64_INFINITY";
  else if (v > 1024n && v % 1024n === 0n) str = `${v / 1024n}*1024`;
  if (str === undefined || style === "raw") return v.toString();
  return style === "verbose" ? `${v} /* ${str} */` : str;
}

function rlimitText(c: SyscallCall, addr: number): string {
  return withStruct(
    c,
    addr,
    16,
    (v) =>
      `{rlim_cur=${rlimText(v.getBigUint64(0, true), c.opts.xlat)}, rlim_max=${
        rlimText(v.getBigUint64(8, true), c.opts.xlat)
      }}`,
  );
}

// ---------------------------------------------------------------------------------------------
// prctl, arch_prctl

const PR = Object.fromEntries(prctlOptions.entries) as Record<string, number>;

function prctlRest(c: SyscallCall, first: number): string {
  let s = "";
  for (let i = first; i < 5; i++) s += ", " + c.args.hex(i);
  return s;
}

const prctl: SyscallDecoder = {
  enter: (c) => {
    const op = c.args.ui(0);
    const style = c.opts.xlat;
    let s = xv(c, prctlOptions, op, "PR_???");
    const a2 = c.args.u(1);
    switch (op) {
      case PR.PR_GET_KEEPCAPS:
      case PR.PR_GET_SECCOMP:
      case PR.PR_GET_TIMERSLACK:
      case PR.PR_GET_TIMING:
      case PR.PR_GET_DUMPABLE:
      case PR.PR_GET_SECUREBITS:
      case PR.PR_GET_FP_MODE:
      case PR.PR_TASK_PERF_EVENTS_DISABLE:
      case PR.PR_TASK_PERF_EVENTS_ENABLE:
        return s;
      case PR.PR_GET_CHILD_SUBREAPER:
      case PR.PR_GET_ENDIAN:
      case PR.PR_GET_FPEMU:
      case PR.PR_GET_FPEXC:
      case PR.PR_GET_NAME:
      case PR.PR_GET_PDEATHSIG:
      case PR.PR_GET_TID_ADDRESS:
      case PR.PR_GET_TSC:
      case PR.PR_GET_UNALIGN:
        return s + ", ";
      case PR.PR_SET_CHILD_SUBREAPER:
      case PR.PR_SET_ENDIAN:
      case PR.PR_SET_FPEMU:
      case PR.PR_SET_FPEXC:
      case PR.PR_SET_KEEPCAPS:
      case PR.PR_SET_TIMING:
        return s + ", " + a2;
      case PR.PR_SET_DUMPABLE:
        return s + ", " + xv(c, prDumpable, a2, "SUID_DUMP_???");
      case PR.PR_CAPBSET_DROP:
      case PR.PR_CAPBSET_READ:
        return s + ", " + xv(c, caps, a2, "CAP_???");
      case PR.PR_SET_NAME:
        return s + ", " + cstr(c, a2, 15);
      case PR.PR_SET_MM:
        return s + ", " + xv(c, prSetMm, c.args.ui(1), "PR_SET_MM_???") + prctlRest(c, 2);
      case PR.PR_SET_VMA:
        s += ", " + xv(c, prSetVma, a2, "PR_SET_VMA_???");
        if (a2 === 0) {
          return s +
            `, ${c.args.u(2) ? c.args.hex(2) : "NULL"}, ${uText(c.args.u(3))}, ${
              cstr(c, c.args.u(4))
            }`;
        }
        return s + prctlRest(c, 2);
      case PR.PR_SET_PDEATHSIG:
        return s + ", " + (a2 > 128 ? String(a2) : printSignal(Number(a2), style));
      case PR.PR_SET_PTRACER:
        return s + ", " +
          (c.args.i(1) === -1 ? named("PR_SET_PTRACER_ANY", "-1", style) : String(c.args.i(1)));
      case PR.PR_SET_SECCOMP:
        s += ", " + xv(c, seccompMode, a2, "SECCOMP_MODE_???");
        if (a2 === 1) return s;
        if (a2 === 2) return s + ", " + (c.args.u(2) ? c.args.hex(2) : "NULL");
        return s + prctlRest(c, 2);
      case PR.PR_SET_TIMERSLACK:
        return s + ", " + c.args.s(1);
      case PR.PR_SET_TSC:
        return s + ", " + xv(c, prTsc, c.args.ui(1), "PR_TSC_???");
      case PR.PR_SET_NO_NEW_PRIVS:
      case PR.PR_SET_THP_DISABLE:
      case PR.PR_SET_IO_FLUSHER:
        return s + ", " + a2 + prctlRest(c, 2);
      default:
        return s + prctlRest(c, 1);
    }
  },
  exit: (c) => {
    const op = c.args.ui(0);
    const a2 = c.args.u(1);
    switch (op) {
      case PR.PR_GET_CHILD_SUBREAPER:
      case PR.PR_GET_ENDIAN:
      case PR.PR_GET_FPEMU:
      case PR.PR_GET_FPEXC:
        return numInt(c, a2, true);
      case PR.PR_GET_NAME:
        if (c.errno) return a2 ? hex(a2) : "NULL";
        return cstr(c, a2, 16);
      case PR.PR_GET_PDEATHSIG:
        return withStruct(c, a2, 4, (v) => `[${printSignal(v.getUint32(0, true), c.opts.xlat)}]`);
      case PR.PR_GET_TID_ADDRESS:
        return numPtr(c, a2);
      case PR.PR_GET_TSC:
        return withStruct(
          c,
          a2,
          4,
          (v) => `[${xv(c, prTsc, v.getUint32(0, true), "PR_TSC_???")}]`,
        );
      case PR.PR_GET_UNALIGN:
        return numInt(c, a2, true);
    }
    return "";
  },
  result: (c) => {
    if (c.args.ui(0) === PR.PR_GET_DUMPABLE) {
      const n = prDumpable.byValue.get(c.rval);
      return n === undefined ? undefined : `${c.rval} (${n})`;
    }
    return undefined;
  },
};

const arch_prctl: SyscallDecoder = {
  enter: (c) => {
    const op = c.args.ui(0);
    const s = xv(c, archVals, op, "ARCH_???");
    if (op === 0x1003 || op === 0x1004) return s + ", ";
    if (op === 0x1011) return s;
    return s + ", " + c.args.hex(1);
  },
  exit: (c) => {
    const op = c.args.ui(0);
    if (op === 0x1003 || op === 0x1004) return numPtr(c, c.args.u(1));
    return "";
  },
};

// ---------------------------------------------------------------------------------------------
// futex

function futexText(c: SyscallCall): string {
  const style = c.opts.xlat;
  const op = c.args.i(1);
  const cmd = op & 127;
  const val = c.args.ui(2);
  const val2 = c.args.ui(3);
  const val3 = c.args.ui(5);
  const ptr = (n: number) => (c.args.u(n) ? c.args.hex(n) : "NULL");
  const ts = () => timespec(c, c.args.u(3));
  const bitset = () => {
    const n = futexBitset.byValue.get(val3);
    return n !== undefined && style !== "raw"
      ? (style === "verbose" ? `${hex(val3)} /* ${n} */` : n)
      : hex(val3);
  };
  let s = `${ptr(0)}, ${xval(futexOps, op >>> 0, style, "FUTEX_???")}`;
  switch (cmd) {
    case 0:
      return s + `, ${val}, ${ts()}`;
    case 6:
    case 13:
      return s + `, ${ts()}`;
    case 9:
      return s + `, ${val}, ${ts()}, ${bitset()}`;
    case 10:
      return s + `, ${val}, ${bitset()}`;
    case 3:
      return s + `, ${val}, ${val2}, ${ptr(4)}`;
    case 4:
    case 12:
      return s + `, ${val}, ${val2}, ${ptr(4)}, ${val3}`;
    case 5: {
      s += `, ${val}, ${val2}, ${ptr(4)}, `;
      if ((val3 >>> 28) & 8) s += "FUTEX_OP_OPARG_SHIFT<<28|";
      const wop = (val3 >>> 28) & 7;
      const wn = futexWakeOps.byValue.get(wop);
      s += (wn ?? String(wop)) + "<<28" + (wn ? "" : " /* FUTEX_OP_??? */");
      s += `|${hex((val3 >>> 12) & 0xfff)}<<12|`;
      const cmp = (val3 >>> 24) & 0xf;
      const cn = futexWakeCmps.byValue.get(cmp);
      s += (cn ?? String(cmp)) + "<<24" + (cn ? "" : " /* FUTEX_OP_CMP_??? */");
      return s + `|${hex(val3 & 0xfff)}`;
    }
    case 11:
      return s + `, ${val}, ${ts()}, ${ptr(4)}`;
    case 2:
    case 1:
      return s + `, ${val}`;
    case 7:
    case 8:
      return s;
    default:
      return s + `, ${val}, ${ptr(3)}, ${ptr(4)}, ${hex(val3)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// scheduling

/** The cpuset size strace probes for (enough for 1024 CPUs). */
const CPUSET_SIZE = 128;

/** strace's `print_affinitylist`: `[0 1 3]`, `[]`, or the address. */
export function affinityText(c: SyscallCall, addr: number, len: number): string {
  if (!addr || outFailed(c) || noDeref(c)) return addr ? hex(addr) : "NULL";
  if (!len) return "[]";
  const umove = Math.min(len, CPUSET_SIZE);
  const size = Math.ceil(umove / 8) * 8;
  const b = c.mem.read(addr, umove);
  if (!b) return hex(addr);
  const cpus: string[] = [];
  for (let i = 0; i < b.length * 8; i++) if (b[i >> 3] & (1 << (i & 7))) cpus.push(String(i));
  if (size < len) cpus.push("...");
  return "[" + cpus.join(" ") + "]";
}

// ---------------------------------------------------------------------------------------------
// capabilities

function capBits(lo: number, hi: number, style: XlatStyle): string {
  let s = "";
  if (lo || !hi) s = flags(capMask0, lo >>> 0, style, "CAP_???");
  if (hi) s += (lo ? "|" : "") + flags(capMask1, hi >>> 0, style, "CAP_???");
  return s;
}

function capHeader(c: SyscallCall): DataView | null {
  const a = c.args.u(0);
  if (!a || noDeref(c)) return null;
  const b = c.mem.read(a, 8);
  return b ? new DataView(b.buffer, b.byteOffset, 8) : null;
}

function capHeaderText(c: SyscallCall, h: DataView | null): string {
  const a = c.args.u(0);
  if (!a || !h) return a ? hex(a) : "NULL";
  return `{version=${
    xval(capVersion, h.getUint32(0, true), c.opts.xlat, "_LINUX_CAPABILITY_VERSION_???")
  }, pid=${h.getInt32(4, true)}}`;
}

function capDataText(c: SyscallCall, h: DataView | null): string {
  const a = c.args.u(1);
  if (!a || !h) return a ? hex(a) : "NULL";
  const ver = h.getUint32(0, true);
  const len = ver === 0x20071026 || ver === 0x20080522 ? 2 : 1;
  return withStruct(c, a, len * 12, (v) => {
    const g = (i: number, f: number) => (i < len ? v.getUint32(i * 12 + f * 4, true) : 0);
    const st = c.opts.xlat;
    return `{effective=${capBits(g(0, 0), g(1, 0), st)}, permitted=${
      capBits(g(0, 1), g(1, 1), st)
    }, inheritable=${capBits(g(0, 2), g(1, 2), st)}}`;
  });
}

// ---------------------------------------------------------------------------------------------
// ptrace

const PT = Object.fromEntries(ptraceCmds.entries) as Record<string, number>;

/** strace's `print_user_offset_addr` for `PTRACE_PEEKUSER`/`POKEUSER`. */
function userOffsetText(c: SyscallCall, addr: number): string {
  const e = structUserOffsets.entries;
  let best: readonly [string, number] | undefined;
  for (const x of e) if (x[1] <= addr) best = x;
  const last = e[e.length - 1];
  const raw = addr ? hex(addr) : "NULL";
  if (!best || (addr > best[1] && best === last)) return raw;
  const name = best[0] + (addr !== best[1] ? `+${addr - best[1]}` : "");
  return named(name, raw, c.opts.xlat);
}

const REGS = [
  "r15",
  "r14",
  "r13",
  "r12",
  "rbp",
  "rbx",
  "r11",
  "r10",
  "r9",
  "r8",
  "rax",
  "rcx",
  "rdx",
  "rsi",
  "rdi",
  "orig_rax",
  "rip",
  "cs",
  "eflags",
  "rsp",
  "ss",
  "fs_base",
  "gs_base",
  "ds",
  "es",
  "fs",
  "gs",
];

function ptRegsText(v: DataView): string {
  return "{" + REGS.map((r, i) => {
    const x = v.getBigUint64(i * 8, true);
    return `${r}=${x ? "0x" + x.toString(16) : "0"}`;
  }).join(", ") + "}";
}

function regsAt(c: SyscallCall, addr: number): string {
  return withStruct(c, addr, REGS.length * 8, ptRegsText);
}

function syscallInfoText(c: SyscallCall, addr: number, userLen: number): string {
  const fetch = Math.min(userLen, c.rval, 84);
  if (!addr || fetch <= 0 || c.errno || noDeref(c)) return addr ? hex(addr) : "NULL";
  const b = c.mem.read(addr, fetch);
  if (!b) return hex(addr);
  const buf = new Uint8Array(88);
  buf.set(b);
  const v = new DataView(buf.buffer);
  const st = c.opts.xlat;
  const op = v.getUint8(0);
  const f = [`op=${xval(ptraceSyscallInfoOp, op, st, "PTRACE_SYSCALL_INFO_???")}`];
  const out = () => "{" + f.join(", ") + "}";
  if (fetch < 8) return out();
  const arch = v.getUint32(4, true);
  f.push(`arch=${xval(auditArch, arch, st, "AUDIT_ARCH_???")}`);
  if (fetch < 16) return out();
  f.push(`instruction_pointer=${addr64(v.getBigUint64(8, true))}`);
  if (fetch < 24) return out();
  f.push(`stack_pointer=${addr64(v.getBigUint64(16, true))}`);
  if (fetch < 32) return out();
  const argsText = (n: number) => {
    const a: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = v.getBigUint64(32 + i * 8, true);
      a.push(x ? "0x" + x.toString(16) : "0");
    }
    return `[${a.join(", ")}]`;
  };
  const nr = u64At(v, 24);
  if (op === 1 || op === 3) {
    const nargs = Math.min(6, Math.floor((fetch - 32) / 8));
    const g = [`nr=${syscallNameField(nr, arch)}`];
    if (nargs) g.push(`args=${argsText(nargs)}`);
    if (op === 3 && fetch >= 84) g.push(`ret_data=${v.getUint32(80, true)}`);
    f.push(`${op === 1 ? "entry" : "seccomp"}={${g.join(", ")}}`);
  } else if (op === 2) {
    const rv = v.getBigInt64(24, true);
    const isErr = v.getUint8(32);
    const g = [`rval=${rv}`];
    if (fetch >= 33) g.push(`is_error=${isErr}`);
    f.push(`exit={${g.join(", ")}}`);
  }
  return out();
}

const ptrace: SyscallDecoder = {
  enter: (c) => {
    const req = c.args.u(0);
    const st = c.opts.xlat;
    let s = xval(ptraceCmds, req, st, "PTRACE_???");
    if (req === PT.PTRACE_TRACEME) return s;
    s += ", " + pidArg(c, 1);
    if (
      req === PT.PTRACE_ATTACH || req === PT.PTRACE_INTERRUPT || req === PT.PTRACE_KILL ||
      req === PT.PTRACE_LISTEN
    ) return s;
    const addr = c.args.u(2);
    const data = c.args.u(3);
    const p = (a: number) => (a ? hex(a) : "NULL");
    s += ", ";
    switch (req) {
      case PT.PTRACE_PEEKUSER:
      case PT.PTRACE_POKEUSER:
        s += userOffsetText(c, addr);
        break;
      case PT.PTRACE_GETREGSET:
      case PT.PTRACE_SETREGSET:
        s += xval(ntDescriptorTypes, addr, st, "NT_???");
        break;
      case PT.PTRACE_GETSIGMASK:
      case PT.PTRACE_SETSIGMASK:
      case PT.PTRACE_SECCOMP_GET_FILTER:
      case PT.PTRACE_SECCOMP_GET_METADATA:
      case PT.PTRACE_GET_SYSCALL_INFO:
        s += String(addr);
        break;
      case PT.PTRACE_PEEKSIGINFO:
        s += withStruct(
          c,
          addr,
          16,
          (v) =>
            `{off=${v.getBigUint64(0, true)}, flags=${
              flags(ptracePeeksiginfoFlags, v.getUint32(8, true), st, "PTRACE_PEEKSIGINFO_???")
            }, nr=${v.getUint32(12, true)}}`,
        );
        break;
      case PT.PTRACE_SETREGS:
        return s + regsAt(c, data);
      case PT.PTRACE_GETREGS:
      case PT.PTRACE_GETFPREGS:
        return s;
      case PT.PTRACE_SETFPREGS:
        return s + p(data);
      default:
        s += p(addr);
    }
    s += ", ";
    switch (req) {
      case PT.PTRACE_CONT:
      case PT.PTRACE_DETACH:
      case PT.PTRACE_SYSCALL:
      case PT.PTRACE_SINGLESTEP:
      case PT.PTRACE_SINGLEBLOCK:
      case PT.PTRACE_SYSEMU:
      case PT.PTRACE_SYSEMU_SINGLESTEP:
        return s + printSignal(c.args.i(3), st);
      case PT.PTRACE_SEIZE:
      case PT.PTRACE_SETOPTIONS:
      case PT.PTRACE_OLDSETOPTIONS:
        return s + flags(ptraceSetoptionsFlags, data, st, "PTRACE_O_???");
      case PT.PTRACE_SETSIGINFO:
        return s + siginfoAt(c, data);
      case PT.PTRACE_SETSIGMASK:
        return s + sigsetAt(c, data, addr);
      case PT.PTRACE_GETREGSET: {
        const io = noDeref(c) ? null : c.mem.read(data, 16);
        if (!io) return s + p(data);
        c.state.iovLen = new DataView(io.buffer, io.byteOffset, 16).getBigUint64(8, true);
        return s;
      }
      case PT.PTRACE_SETREGSET: {
        const io = noDeref(c) ? null : c.mem.read(data, 16);
        if (!io) return s + p(data);
        const iv = new DataView(io.buffer, io.byteOffset, 16);
        const base = u64At(iv, 0);
        const len = iv.getBigUint64(8, true);
        const regs = addr === 1 && len >= BigInt(REGS.length * 8)
          ? regsAt(c, base)
          : (base ? hex(base) : "NULL");
        return s + `{iov_base=${regs}, iov_len=${len}`;
      }
      case PT.PTRACE_PEEKDATA:
      case PT.PTRACE_PEEKTEXT:
      case PT.PTRACE_PEEKUSER:
      case PT.PTRACE_GETEVENTMSG:
      case PT.PTRACE_GETSIGINFO:
      case PT.PTRACE_GETSIGMASK:
      case PT.PTRACE_PEEKSIGINFO:
      case PT.PTRACE_SECCOMP_GET_FILTER:
      case PT.PTRACE_GET_SYSCALL_INFO:
      case PT.PTRACE_SECCOMP_GET_METADATA:
        // Outside `-e verbose=`, strace prints the address at entry instead of the data at exit.
        if (noDeref(c) && req !== PT.PTRACE_SECCOMP_GET_METADATA) {
          c.state.ptraceDone = true;
          return s + p(data);
        }
        return s;
      default:
        return s + p(data);
    }
  },
  exit: (c) => {
    if (c.state.ptraceDone) return "";
    const req = c.args.u(0);
    const addr = c.args.u(2);
    const data = c.args.u(3);
    switch (req) {
      case PT.PTRACE_PEEKDATA:
      case PT.PTRACE_PEEKTEXT:
      case PT.PTRACE_PEEKUSER:
        return numPtr(c, data);
      case PT.PTRACE_GETEVENTMSG:
        return numUlong(c, data);
      case PT.PTRACE_GETSIGINFO:
        return siginfoAt(c, data);
      case PT.PTRACE_GETSIGMASK:
        return sigsetAt(c, data, addr);
      case PT.PTRACE_GETREGS:
        return regsAt(c, data);
      case PT.PTRACE_GETFPREGS:
        return data ? hex(data) : "NULL";
      case PT.PTRACE_GET_SYSCALL_INFO:
        return syscallInfoText(c, data, addr);
      case PT.PTRACE_PEEKSIGINFO: {
        if (c.errno || c.rval <= 0) return data ? hex(data) : "NULL";
        const items: string[] = [];
        for (let i = 0; i < c.rval && i < 1024; i++) {
          const b = c.mem.read(data + i * 128, 128);
          if (!b) {
            if (i === 0) return hex(data);
            items.push(`... /* ${hex(data + i * 128)} */`);
            break;
          }
          items.push(siginfoText(b, c.opts.xlat));
        }
        return "[" + items.join(", ") + "]";
      }
      case PT.PTRACE_SECCOMP_GET_FILTER:
      case PT.PTRACE_SECCOMP_GET_METADATA:
        return data ? hex(data) : "NULL";
      case PT.PTRACE_GETREGSET: {
        const p = (a: number) => (a ? hex(a) : "NULL");
        if (c.state.iovLen === undefined) return "";
        const io = c.mem.read(data, 16);
        if (!io) return p(data);
        const iv = new DataView(io.buffer, io.byteOffset, 16);
        const base = u64At(iv, 0);
        const len = iv.getBigUint64(8, true);
        const old = c.state.iovLen as bigint;
        const regs = !c.errno && addr === 1 && len >= BigInt(REGS.length * 8)
          ? regsAt(c, base)
          : p(base);
        return `{iov_base=${regs}, iov_len=${old === len ? len : `${old} => ${len}`}}`;
      }
      case PT.PTRACE_SETREGSET: {
        return "}";
      }
    }
    return "";
  },
};

// ---------------------------------------------------------------------------------------------
// misc process helpers

function groupsText(c: SyscallCall, len: number, addr: number): string {
  if (len < 0 || len > 65536) return addr ? hex(addr) : "NULL";
  if (!addr) return "NULL";
  if (outFailed(c)) return hex(addr);
  if (len === 0) return "[]";
  if (noDeref(c)) return hex(addr);
  const max = c.opts.verbose ? len : Math.min(len, c.opts.strsize);
  const items: string[] = [];
  for (let i = 0; i < max; i++) {
    const b = c.mem.read(addr + i * 4, 4);
    if (!b) {
      if (i === 0) return hex(addr);
      items.push(`... /* ${hex(addr + i * 4)} */`);
      break;
    }
    items.push(uidText(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)));
  }
  if (max < len && items.length === max) items.push("...");
  return "[" + items.join(", ") + "]";
}

function uidPtr(c: SyscallCall, addr: number): string {
  return withStruct(c, addr, 4, (v) => `[${uidText(v.getUint32(0, true))}]`);
}

function personalityResult(c: SyscallCall): string | undefined {
  const p = c.rval >>> 0;
  const st = c.opts.xlat;
  const low = p & 0xff;
  let s = personalityName(low, st);
  const rest = p & ~0xff;
  if (rest) s += "|" + flags(personalityFlagsTable, rest >>> 0, "abbrev");
  return `${hex(p)} (${s})`;
}

function personalityName(low: number, _st: XlatStyle): string {
  const n = personalityTypes.byValue.get(low);
  return n ?? `${hex(low)} /* PER_??? */`;
}

const empty: SyscallDecoder = {};

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  execve: { enter: (c) => execveArgs(c, 0) },
  execveat: {
    enter: (c) =>
      `${dirfd(c, c.args.i(0))}, ${execveArgs(c, 1)}, ${
        flags(AT_FLAGS, c.args.ui(4), c.opts.xlat, "AT_???")
      }`,
  },
  fork: empty,
  vfork: empty,
  clone,
  clone3,
  wait4,
  waitid,
  exit: printargsD(1),
  exit_group: printargsD(1),
  getpid: empty,
  getppid: empty,
  gettid: empty,
  getuid: empty,
  geteuid: empty,
  getgid: empty,
  getegid: empty,
  getpgrp: empty,
  setsid: empty,
  sched_yield: empty,
  getpgid: { enter: (c) => pidArg(c, 0) },
  getsid: { enter: (c) => pidArg(c, 0) },
  setpgid: { enter: (c) => `${pidArg(c, 0)}, ${pidArg(c, 1)}` },
  setuid: { enter: (c) => uidText(c.args.ui(0)) },
  setgid: { enter: (c) => uidText(c.args.ui(0)) },
  setfsuid: { enter: (c) => uidText(c.args.ui(0)) },
  setfsgid: { enter: (c) => uidText(c.args.ui(0)) },
  setreuid: { enter: (c) => `${uidText(c.args.ui(0))}, ${uidText(c.args.ui(1))}` },
  setregid: { enter: (c) => `${uidText(c.args.ui(0))}, ${uidText(c.args.ui(1))}` },
  setresuid: {
    enter: (c) => [0, 1, 2].map((i) => uidText(c.args.ui(i))).join(", "),
  },
  setresgid: {
    enter: (c) => [0, 1, 2].map((i) => uidText(c.args.ui(i))).join(", "),
  },
  getresuid: { exit: (c) => [0, 1, 2].map((i) => uidPtr(c, c.args.u(i))).join(", ") },
  getresgid: { exit: (c) => [0, 1, 2].map((i) => uidPtr(c, c.args.u(i))).join(", ") },
  getgroups: {
    enter: (c) => `${c.args.i(0)}, `,
    exit: (c) => groupsText(c, c.errno ? 0 : c.rval, c.args.u(1)),
  },
  setgroups: {
    enter: (c) => `${c.args.i(0)}, ${groupsText(c, c.args.i(0), c.args.u(1))}`,
  },
  set_tid_address: printargs(1),
  set_robust_list: {
    enter: (c) => `${c.args.u(0) ? c.args.hex(0) : "NULL"}, ${uText(c.args.u(1))}`,
  },
  get_robust_list: {
    enter: (c) => `${pidArg(c, 0)}, `,
    exit: (c) => `${numPtr(c, c.args.u(1))}, ${numUlong(c, c.args.u(2))}`,
  },
  rseq: printargs(4),
  prlimit64: {
    enter: (c) =>
      `${pidArg(c, 0)}, ${xv(c, resources, c.args.ui(1), "RLIMIT_???")}, ${
        rlimitText(c, c.args.u(2))
      }, `,
    exit: (c) => rlimitText(c, c.args.u(3)),
  },
  getrlimit: {
    enter: (c) => `${xv(c, resources, c.args.ui(0), "RLIMIT_???")}, `,
    exit: (c) => rlimitText(c, c.args.u(1)),
  },
  setrlimit: {
    enter: (c) => `${xv(c, resources, c.args.ui(0), "RLIMIT_???")}, ${rlimitText(c, c.args.u(1))}`,
  },
  getrusage: {
    enter: (c) => `${xval(usageWho, c.args.i(0), c.opts.xlat, "RUSAGE_???")}, `,
    exit: (c) => rusageText(c, c.args.u(1)),
  },
  getpriority: {
    enter: (c) => `${xv(c, priorities, c.args.ui(0), "PRIO_???")}, ${c.args.i(1)}`,
  },
  setpriority: {
    enter: (c) => `${xv(c, priorities, c.args.ui(0), "PRIO_???")}, ${c.args.i(1)}, ${c.args.i(2)}`,
  },
  prctl,
  arch_prctl,
  futex: { enter: futexText },
  sched_getaffinity: {
    enter: (c) => `${pidArg(c, 0)}, ${c.args.ui(1)}, `,
    exit: (c) => affinityText(c, c.args.u(2), c.errno ? 0 : c.rval),
  },
  sched_setaffinity: {
    enter: (c) => `${pidArg(c, 0)}, ${c.args.ui(1)}, ${affinityText(c, c.args.u(2), c.args.ui(1))}`,
  },
  sched_getparam: {
    enter: (c) => `${pidArg(c, 0)}, `,
    exit: (c) => numInt(c, c.args.u(1)),
  },
  sched_setparam: { enter: (c) => `${pidArg(c, 0)}, ${numInt(c, c.args.u(1))}` },
  sched_getscheduler: {
    enter: (c) => pidArg(c, 0),
    result: (c) => {
      const n = schedulers.byValue.get(c.rval);
      return n === undefined ? undefined : `${c.rval} (${n})`;
    },
  },
  sched_setscheduler: {
    enter: (c) =>
      `${pidArg(c, 0)}, ${xv(c, schedulers, c.args.ui(1), "SCHED_???")}, ${numInt(c, c.args.u(2))}`,
  },
  sched_get_priority_min: { enter: (c) => xv(c, schedulers, c.args.ui(0), "SCHED_???") },
  sched_get_priority_max: { enter: (c) => xv(c, schedulers, c.args.ui(0), "SCHED_???") },
  sched_rr_get_interval: {
    enter: (c) => `${pidArg(c, 0)}, `,
    exit: (c) => (c.errno ? (c.args.u(1) ? c.args.hex(1) : "NULL") : timespec(c, c.args.u(1))),
  },
  getcpu: {
    exit: (c) =>
      `${numInt(c, c.args.u(0), true)}, ${numInt(c, c.args.u(1), true)}, ${
        c.args.u(2) ? c.args.hex(2) : "NULL"
      }`,
  },
  personality: {
    enter: (c) => {
      const p = c.args.ui(0);
      if (p === 0xffffffff) return "0xffffffff";
      let s = xv(c, personalityTypes, p & 0xff, "PER_???");
      const rest = (p & ~0xff) >>> 0;
      if (rest) s += "|" + flags(personalityFlagsTable, rest, c.opts.xlat);
      return s;
    },
    result: personalityResult,
  },
  capget: {
    enter: (c) => `${capHeaderText(c, capHeader(c))}, `,
    exit: (c) => capDataText(c, c.errno ? null : capHeader(c)),
  },
  capset: {
    enter: (c) => {
      const h = capHeader(c);
      return `${capHeaderText(c, h)}, ${capDataText(c, h)}`;
    },
  },
  ptrace,
  pidfd_open: {
    enter: (c) =>
      `${pidArg(c, 0)}, ${flags(pidfdOpenFlags, c.args.ui(1), c.opts.xlat, "PIDFD_???")}`,
    result: (c) => c.opts.decodeFds ? fd(c, c.rval) : undefined,
  },
  seccomp: {
    enter: (c) => {
      const op = c.args.ui(0);
      const st = c.opts.xlat;
      let s = xval(seccompOps, op, st, "SECCOMP_SET_MODE_???");
      s += ", " +
        (op === 1
          ? flags(seccompFilterFlags, c.args.ui(1), st, "SECCOMP_FILTER_FLAG_???")
          : hex(c.args.ui(1)));
      if (op === 1) {
        s += ", " +
          withStruct(
            c,
            c.args.u(2),
            16,
            (v) => `{len=${v.getUint16(0, true)}, filter=${addr64(v.getBigUint64(8, true))}}`,
          );
      } else s += ", " + (c.args.u(2) ? c.args.hex(2) : "NULL");
      return s;
    },
  },
};
