/**
 * Decoders for the process family of syscalls, printed as strace 6.1 prints them on x86_64:
 * program execution (`execve`, `execveat`), process creation (`clone`, `clone3`, `fork`,
 * `vfork`), waiting (`wait4`, `waitid`), exit, ids and credentials, resource limits, `prctl`,
 * `arch_prctl`, `futex`, scheduling, capabilities, `ptrace` and a few more.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import {
  cstrV,
  dirfdV,
  fdV,
  noDeref,
  pathV,
  timespecV,
  timevalValue,
  type Unread,
} from "./format.ts";
import { flags, hex, xlat, xval } from "./xlat.ts";
import type { Xlat } from "./xlat.ts";
import { signalName, signame } from "./signame.ts";
import { flags64V, ptr64, siginfoV, signalV, sigsetAtV } from "./signal.ts";
import { personalityFlags as personalityFlagsTable, personalityTypes } from "./xlat/misc.ts";
import { siginfoText, syscallNameField } from "./siginfo.ts";
import { AT_FLAGS } from "./xlat/fs.ts";
import {
  type ArrayValue,
  continues,
  decoded,
  flagParts,
  type FlagsValue,
  pending,
  type StructValue,
  V,
  type Value,
} from "./value.ts";
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
  prCapAmbient,
  prctlOptions,
  prDumpable,
  prFpMode,
  priorities,
  prMceKill,
  prMceKillPolicy,
  prPacEnabledKeys,
  prPacKeys,
  prSchedCoreCmds,
  prSchedCorePidtypes,
  prSetMm,
  prSetVma,
  prSmeVlFlags,
  prSpecCmds,
  prSpecGetFlags,
  prSpecSetFlags,
  prSudCmds,
  prSveVlFlags,
  prTaggedAddrEnable,
  prTaggedAddrMteTcf,
  prTsc,
  prUnalignFlags,
  ptraceCmds,
  ptraceEvents,
  ptracePeeksiginfoFlags,
  ptraceSetoptionsFlags,
  ptraceSyscallInfoOp,
  resources,
  schedulers,
  secbits,
  seccompFilterFlags,
  seccompMode,
  seccompOps,
  structUserOffsets,
  usageWho,
  wait4Options,
  waitidTypes,
} from "./xlat/process.ts";
import { u64At } from "./u64.ts";
import { bpfFprogV } from "./bpf_filter.ts";
import { seccompRetAction } from "./xlat/bpf.ts";

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Whether an output argument must be printed as its address (the call failed). */
function outFailed(c: SyscallCall): boolean {
  return c.exiting && c.errno !== 0;
}

/**
 * Reads `len` bytes at `addr` as strace's `umoven_or_printaddr` does: returns the bytes, or the
 * value to print instead (`NULL`, or the address when unreadable, when the call failed or when
 * `-e verbose=` excludes the call).
 */
function readOr(c: SyscallCall, addr: number, len: number): DataView | Unread {
  if (!addr) return V.ptr(0);
  if (outFailed(c) || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, len);
  if (!b) return V.unavailable(addr);
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A struct read with {@linkcode readOr}. */
function withStruct<T extends Value>(
  c: SyscallCall,
  addr: number,
  len: number,
  print: (v: DataView) => T,
): T | Unread {
  const v = readOr(c, addr, len);
  return v instanceof DataView ? print(v) : v;
}

/** strace's `printnum_int`: `[42]`. */
function numInt(c: SyscallCall, addr: number, unsigned = false): Value {
  return withStruct(
    c,
    addr,
    4,
    (v) => V.array([unsigned ? V.uint(v.getUint32(0, true)) : V.int(v.getInt32(0, true))]),
  );
}

/** strace's `printnum_ptr`/`printnum_kptr`: `[0x7f…]`. */
function numPtr(c: SyscallCall, addr: number): Value {
  return withStruct(c, addr, 8, (v) => V.array([ptr64(v.getBigUint64(0, true))]));
}

/** strace's `printnum_ulong`: `[42]`. */
function numUlong(c: SyscallCall, addr: number): Value {
  return withStruct(c, addr, 8, (v) => V.array([V.uint(v.getBigUint64(0, true))]));
}

/** A pid argument (`printpid`), as a signed int. */
function pidArg(c: SyscallCall, n: number): Value {
  return V.int(c.args.i(n));
}

/** Argument `n` as a pointer: `NULL` or its address. */
function ptrArg(c: SyscallCall, n: number): Value {
  return V.ptr(c.args.big(n) < 2n ** 53n ? c.args.u(n) : BigInt.asUintN(64, c.args.big(n)));
}

/** Argument `n` as `%#lx`. */
function hexArg(c: SyscallCall, n: number): Value {
  return V.hex(c.args.big(n));
}

/** strace's `printuid`: -1 for 0xffffffff, else unsigned. */
function uidV(v: number): Value {
  v = v >>> 0;
  return v === 0xffffffff ? V.int(-1) : V.uint(v);
}

/** strace's `printargs`: every argument in hex. */
function printargs(n: number): SyscallDecoder {
  return { enter: (c) => Array.from({ length: n }, (_, i) => hexArg(c, i)) };
}

/** strace's `printargs_d`: every argument as a signed long. */
function printargsD(n: number): SyscallDecoder {
  return {
    enter: (c) => Array.from({ length: n }, (_, i) => V.int(BigInt.asIntN(64, c.args.big(i)))),
  };
}

/** A `printxval` of an argument. */
function xv(c: SyscallCall, table: Xlat, v: number, dflt: string): Value {
  return V.xval(table, v, c.opts.xlat, dflt);
}

/** Named value in the style of `print_xlat_ex` (`-X`). */
function named(name: string, value: number | bigint, raw: string, style: XlatStyle): Value {
  const text = style === "raw" ? raw : style === "verbose" ? `${raw} /* ${name} */` : name;
  return V.named(name, value, text);
}

/**
 * A value strace prints with its name, as clone's `child_stack=NULL`: typed as the value, with
 * the name in the text only (the argument's position names it in JSON).
 */
function labeled<T extends Value>(label: string, v: T): T {
  return { ...v, text: `${label}=${v.text}` };
}

/** A result printed with its name: `1 (SUID_DUMP_USER)`. */
function namedResult(table: Xlat, v: number): Value | undefined {
  const n = table.byValue.get(v);
  return n === undefined ? undefined : V.named(n, v, `${v} (${n})`);
}

// ---------------------------------------------------------------------------------------------
// execve

/** strace's `printargv`: `["a", "b", ...]`, at most `-s` elements unless `-v`. */
function argvV(c: SyscallCall, addr: number): ArrayValue | Unread {
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  const items: Value[] = [];
  for (let n = 0;; n++) {
    const a = addr + n * 8;
    const w = c.mem.read(a, 8);
    if (!w) {
      if (n === 0) return V.unavailable(addr);
      return V.array(items, true, `... /* ${hex(a)} */`);
    }
    const word = new DataView(w.buffer, w.byteOffset, 8).getBigUint64(0, true);
    if (word === 0n) break;
    if (!c.opts.verbose && n >= c.opts.strsize) return V.array(items, true);
    items.push(word < 2n ** 53n ? cstrV(c, Number(word)) : ptr64(word));
    if (n > 1 << 20) break;
  }
  return V.array(items);
}

/** strace's `printargc`: the address and a comment counting the variables. */
function argcV(c: SyscallCall, addr: number): Value {
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  let n = 0;
  let unterminated = false;
  for (;; n++) {
    const w = c.mem.read(addr + n * 8, 8);
    if (!w) {
      if (n === 0) return V.unavailable(addr);
      unterminated = true;
      break;
    }
    if (new DataView(w.buffer, w.byteOffset, 8).getBigUint64(0, true) === 0n) break;
    if (n > 1 << 20) break;
  }
  return V.comment(
    V.ptr(addr),
    `${n} var${n === 1 ? "" : "s"}${unterminated ? ", unterminated" : ""}`,
  );
}

function execveArgs(c: SyscallCall, i: number): Value[] {
  const envp = c.args.u(i + 2);
  const env = c.opts.verbose ? argvV(c, envp) : argcV(c, envp);
  return [pathV(c, c.args.u(i)), argvV(c, c.args.u(i + 1)), env];
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

/** clone's flags with the exit signal in the low byte: `CLONE_VM|CLONE_FS|SIGCHLD`. */
function cloneFlagsV(c: SyscallCall): Value {
  const raw = c.args.big(0);
  const sig = Number(raw & 0xffn);
  const fl = BigInt.asUintN(64, raw & ~0xffn);
  const style = c.opts.xlat;
  const signal = signalV(sig, style);
  if (!fl) return signal;
  const f = flags64V(cloneFlags, fl, style, "CLONE_???");
  const names = [...f.names];
  if (sig && signal.name !== undefined) names.push(signal.name);
  const rest = sig && signal.name === undefined ? BigInt(f.rest) | BigInt(sig) : f.rest;
  return V.flagsOf(names, rest, BigInt.asUintN(64, raw), f.text + (sig ? "|" + signal.text : ""));
}

function cloneHasExitArgs(c: SyscallCall): boolean {
  const fl = c.args.u(0);
  return (fl & (CLONE_PARENT_SETTID | CLONE_PIDFD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
    CLONE_SETTLS)) !== 0;
}

const clone: SyscallDecoder = {
  enter: (c) => {
    const args = [labeled("child_stack", ptrArg(c, 1)), labeled("flags", cloneFlagsV(c))];
    return cloneHasExitArgs(c) ? args : decoded(args);
  },
  exit: (c) => {
    if (!cloneHasExitArgs(c)) return [];
    const fl = c.args.ui(0);
    const out: Value[] = [];
    if (fl & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
      out.push(labeled("parent_tid", numInt(c, c.args.u(2))));
    }
    if (fl & CLONE_SETTLS) out.push(labeled("tls", ptrArg(c, 4)));
    if (fl & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) {
      out.push(labeled("child_tidptr", ptrArg(c, 3)));
    }
    return out;
  },
};

const CLONE_ARGS_SIZE = 88;
const CLONE_ARGS_MIN = 64;

function clone3Struct(c: SyscallCall, v: DataView, fetch: number): StructValue {
  const style = c.opts.xlat;
  const fl = v.getBigUint64(0, true);
  const f: [string, Value][] = [["flags", flags64V(cloneAll, fl, style, "CLONE_???")]];
  const p = (off: number) => ptr64(v.getBigUint64(off, true));
  if (fl & BigInt(CLONE_PIDFD)) f.push(["pidfd", p(8)]);
  if (fl & BigInt(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) f.push(["child_tid", p(16)]);
  if (fl & BigInt(CLONE_PARENT_SETTID)) f.push(["parent_tid", p(24)]);
  const es = v.getBigUint64(32, true);
  f.push(["exit_signal", es < 0x7fffffffn ? signalV(Number(es), style) : V.uint(es)]);
  f.push(["stack", p(40)]);
  f.push(["stack_size", V.hex(v.getBigUint64(48, true))]);
  if (fl & BigInt(CLONE_SETTLS)) f.push(["tls", p(56)]);
  if (fetch >= 80) {
    const setTid = v.getBigUint64(64, true);
    const setTidSize = v.getBigUint64(72, true);
    if (setTid || setTidSize) {
      if (!setTid || !setTidSize || setTidSize > 32n || setTid >= 2n ** 53n) {
        f.push(["set_tid", ptr64(setTid)]);
      } else {
        const n = Number(setTidSize);
        const b = c.mem.read(Number(setTid), n * 4);
        if (!b) f.push(["set_tid", V.unavailable(Number(setTid))]);
        else {
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          f.push([
            "set_tid",
            V.array(Array.from({ length: n }, (_, i) => V.int(dv.getInt32(i * 4, true)))),
          ]);
        }
      }
      f.push(["set_tid_size", V.uint(setTidSize)]);
    }
  }
  if (fetch > 80) {
    const cg = v.getBigUint64(80, true);
    if (cg || (fl & CLONE_INTO_CGROUP)) f.push(["cgroup", V.uint(cg)]);
  }
  return V.struct(f);
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

/**
 * clone3: when the kernel writes ids back into the struct (`CLONE_PIDFD`, `CLONE_PARENT_SETTID`,
 * or a size larger than strace knows), the struct printed at entry is completed at exit as
 * `{…} => {parent_tid=[42]}` (a change); else everything is printed at entry.
 */
const clone3: SyscallDecoder = {
  enter: (c) => {
    const addr = c.args.u(0);
    const size = c.args.u(1);
    const fetch = Math.min(size, CLONE_ARGS_SIZE);
    let s: Value;
    const b = fetch >= CLONE_ARGS_MIN && addr && !noDeref(c) ? c.mem.read(addr, fetch) : null;
    if (b) {
      const buf = new Uint8Array(CLONE_ARGS_SIZE);
      buf.set(b);
      s = clone3Struct(c, new DataView(buf.buffer), fetch);
    } else if (!addr || fetch < CLONE_ARGS_MIN || noDeref(c)) s = V.ptr(addr);
    else s = V.unavailable(addr);
    c.state.clone3Decoded = clone3Decoded(c);
    if (c.state.clone3Decoded) return decoded([s, V.uint(size)]);
    c.state.clone3Args = s;
    return pending([s]);
  },
  exit: (c) => {
    if (c.state.clone3Decoded !== false) return [];
    const before = c.state.clone3Args as Value;
    const size = V.uint(c.args.u(1));
    if (c.errno) return continues([before, size], before);
    const addr = c.args.u(0);
    const fetch = Math.min(c.args.u(1), CLONE_ARGS_SIZE);
    const b = c.mem.read(addr, fetch);
    if (!b) return continues([V.change(before, V.unavailable(addr)), size], before);
    const buf = new Uint8Array(CLONE_ARGS_SIZE);
    buf.set(b);
    const v = new DataView(buf.buffer);
    const fl = v.getBigUint64(0, true);
    const f: [string, Value][] = [];
    const intAt = (a: bigint) =>
      a >= 2n ** 53n ? ptr64(a) : numInt({ ...c, exiting: false } as SyscallCall, Number(a));
    if (fl & BigInt(CLONE_PIDFD)) f.push(["pidfd", intAt(v.getBigUint64(8, true))]);
    if (fl & BigInt(CLONE_PARENT_SETTID)) f.push(["parent_tid", intAt(v.getBigUint64(24, true))]);
    return continues([f.length ? V.change(before, V.struct(f)) : before, size], before);
  },
};

/** strace's `printstatus` for a wait status. */
export function waitStatusText(status: number, style: XlatStyle = "abbrev"): string {
  return waitStatusV(status, style).text;
}

/**
 * A wait status as strace's `printstatus` prints it (`[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`),
 * typed as an array of one struct whose fields say what happened: `{"WEXITSTATUS": 0}`,
 * `{"WTERMSIG": "SIGKILL", "WCOREDUMP": 1}`, `{"WSTOPSIG": "SIGTRAP", "event":
 * "PTRACE_EVENT_EXEC"}`, `{"WIFCONTINUED": 1}`; bits left over as `"rest"`. A status strace
 * cannot read is `[0x…]`, an array of the number.
 */
export function waitStatusV(status: number, style: XlatStyle = "abbrev"): ArrayValue {
  let s: number = status >>> 0;
  let text: string;
  const f: [string, Value][] = [];
  const sig = (s >> 8) & 0xff;
  if ((s & 0xff) === 0x7f) {
    const stop = sig & 0x7f;
    text = `{WIFSTOPPED(s) && WSTOPSIG(s) == ${signame(stop)}${sig & 0x80 ? " | 0x80" : ""}}`;
    f.push(["WSTOPSIG", V.signal(stop, signalName(stop))]);
    if (sig & 0x80) f.push(["syscall_stop", V.uint(1)]);
    s = (s & ~((sig << 8) | 0x7f)) >>> 0;
  } else if ((s & 0x7f) !== 0 && (s & 0x7f) !== 0x7f) {
    const term = s & 0x7f;
    text = `{WIFSIGNALED(s) && WTERMSIG(s) == ${signame(term)}${
      s & 0x80 ? " && WCOREDUMP(s)" : ""
    }}`;
    f.push(["WTERMSIG", V.signal(term, signalName(term))]);
    if (s & 0x80) f.push(["WCOREDUMP", V.uint(1)]);
    s = (s & ~(term | 0x80)) >>> 0;
  } else if ((s & 0x7f) === 0) {
    text = `{WIFEXITED(s) && WEXITSTATUS(s) == ${(s >> 8) & 0xff}}`;
    f.push(["WEXITSTATUS", V.uint((s >> 8) & 0xff)]);
    s = (s & ~0xff00) >>> 0;
  } else if (s === 0xffff) {
    text = "{WIFCONTINUED(s)}";
    f.push(["WIFCONTINUED", V.uint(1)]);
    s = 0;
  } else {
    return V.array([V.hex(s)]);
  }
  if (s) {
    const event = s >>> 16;
    if (event) {
      const ev = V.xval(ptraceEvents, event, style, "PTRACE_EVENT_???");
      text += "|" + ev.text + "<<16";
      f.push(["event", ev]);
      s &= 0xffff;
    }
    if (s) {
      text += "|" + hex(s);
      f.push(["rest", V.hex(s)]);
    }
  }
  return V.array([{ ...V.struct(f), text }]);
}

const RUSAGE_FIELDS = [
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

/** strace's `printrusage`. */
function rusageV(c: SyscallCall, addr: number): Value {
  return withStruct(c, addr, 144, (v) => {
    const f: [string, Value][] = [
      ["ru_utime", timevalValue(v, 0)],
      ["ru_stime", timevalValue(v, 16)],
    ];
    if (!c.opts.verbose) return V.struct(f, true);
    RUSAGE_FIELDS.forEach((n, i) => f.push([n, V.uint(v.getBigUint64(32 + i * 8, true))]));
    return V.struct(f);
  });
}

const wait4: SyscallDecoder = {
  enter: (c) => [pidArg(c, 0)],
  exit: (c) => {
    const st = c.rval === 0 && !c.errno
      ? ptrArg(c, 1)
      : withStruct(c, c.args.u(1), 4, (v) => waitStatusV(v.getInt32(0, true), c.opts.xlat));
    const ru = c.rval > 0 && !c.errno ? rusageV(c, c.args.u(3)) : ptrArg(c, 3);
    return [st, V.flags(wait4Options, c.args.ui(2), c.opts.xlat, "W???"), ru];
  },
};

const waitid: SyscallDecoder = {
  enter: (c) => {
    const type = c.args.ui(0);
    const id = type === 3 ? fdV(c, c.args.i(1)) : V.int(c.args.i(1));
    return [xv(c, waitidTypes, type, "P_???"), id];
  },
  exit: (c) => [
    siginfoV(c, c.args.u(2)),
    V.flags(wait4Options, c.args.ui(3), c.opts.xlat, "W???"),
    rusageV(c, c.args.u(4)),
  ],
};

// ---------------------------------------------------------------------------------------------
// rlimits

function rlimV(v: bigint, style: XlatStyle): Value {
  let str: string | undefined;
  if (v === 0xffffffffffffffffn) str = "RLIM64_INFINITY";
  else if (v > 1024n && v % 1024n === 0n) str = `${v / 1024n}*1024`;
  if (str === undefined || style === "raw") return V.uint(v);
  return V.uint(v, style === "verbose" ? `${v} /* ${str} */` : str);
}

function rlimitV(c: SyscallCall, addr: number): Value {
  return withStruct(c, addr, 16, (v) =>
    V.struct([
      ["rlim_cur", rlimV(v.getBigUint64(0, true), c.opts.xlat)],
      ["rlim_max", rlimV(v.getBigUint64(8, true), c.opts.xlat)],
    ]));
}

// ---------------------------------------------------------------------------------------------
// prctl, arch_prctl

const PR = Object.fromEntries(prctlOptions.entries) as Record<string, number>;

/** Arguments `first`..4 in hex. */
function prctlRest(c: SyscallCall, first: number): Value[] {
  const out: Value[] = [];
  for (let i = first; i < 5; i++) out.push(hexArg(c, i));
  return out;
}

/**
 * strace's `sprintflags_ex(…, SPFF_AUXSTR_MODE)`: the names of the set bits (and `|0x…` for the
 * rest) for a result's comment, or `undefined` when no bit has a name or under `-X raw`.
 */
function auxNames(table: Xlat, v: number, style: XlatStyle): string | undefined {
  if (style === "raw") return undefined;
  if (v === 0) return table.byValue.get(0);
  const { names, rest } = flagParts(table, v);
  if (!names.length) return undefined;
  return rest ? [...names, hex(Number(rest))].join("|") : names.join("|");
}

/** A result as strace's `RVAL_HEX | RVAL_STR`: `0x2f (NAMES)`, or just the hex. */
function hexAuxResult(table: Xlat, v: number, aux: string | undefined): Value {
  const { names, rest } = flagParts(table, v);
  return V.flagsOf(names, rest, v, aux === undefined ? hex(v) : `${hex(v)} (${aux})`);
}

/** `PR_SVE_VL_LEN_MASK` / `PR_SME_VL_LEN_MASK`. */
const VL_LEN_MASK = 0xffff;

/** strace's `sprint_sve_val` / `sprint_sme_val`: `FLAGS|0xlen`; `undefined` when `aux` has none. */
function vlText(table: Xlat, arg: number, aux: boolean, style: XlatStyle): string | undefined {
  if (style === "raw") return aux ? undefined : hex(arg);
  const vl = arg % (VL_LEN_MASK + 1);
  const fl = arg - vl;
  if (!fl && aux) return undefined;
  const names = fl ? auxNames(table, fl, "abbrev") : undefined;
  const body = `${names ?? ""}${names ? "|" : ""}${hex(vl)}`;
  if (!aux && fl && style === "verbose") return `${hex(arg)} /* ${body} */`;
  return body;
}

/** strace's `sprint_tagged_addr_val`. */
function taggedAddrText(arg: bigint, rval: boolean, style: XlatStyle): string | undefined {
  const h = (x: bigint) => x === 0n ? "0" : "0x" + x.toString(16);
  const enabled = Number(arg & 1n);
  const tcf = Number(arg & 6n);
  const tag = arg & (0xffffn << 3n);
  const rest = arg & ~(1n | 6n | (0xffffn << 3n));
  let out = "";
  if (!rval && style !== "abbrev") out += h(arg);
  if (style === "raw") return rval ? undefined : out;
  if (!rval && style === "verbose") out += " /* ";
  out += `${xval(prTaggedAddrEnable, enabled)}|`;
  out += xval(prTaggedAddrMteTcf, tcf, "abbrev", "PR_MTE_TCF_???");
  if (tag) out += `|${h(tag >> 3n)}<<PR_MTE_TAG_SHIFT`;
  if (rest) out += `|${h(rest)}`;
  if (!rval && style === "verbose") out += " */";
  return out;
}

/** `PR_PAC_RESET_KEYS`' key bits: strace prints them from two tables. */
const prPacAllKeys: Xlat = xlat([...prPacEnabledKeys.entries, ...prPacKeys.entries]);

/**
 * strace's `printstr_ex(addr, len, QUOTE_0_TERMINATED)` of a task name: at most `len` bytes (or
 * `-s`); when `len` is within `-s`, a name without a NUL in its `len` bytes gets `...`.
 */
function commV(c: SyscallCall, addr: number, len: number): Value {
  if (len > c.opts.strsize) return cstrV(c, addr, c.opts.strsize);
  const v = cstrV(c, addr, len);
  if (v.kind !== "str" || v.truncated || v.bytes.length < len) return v;
  return { ...v, text: v.text + "...", truncated: true };
}

/** prctl's arguments at entry; `undefined` for the options that print their argument at exit. */
function prctlEnter(c: SyscallCall, op: number): Value[] | undefined {
  const style = c.opts.xlat;
  const a2 = c.args.u(1);
  const a3 = c.args.u(2);
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
    case PR.PR_SVE_GET_VL:
    case PR.PR_SME_GET_VL:
      return [];
    case PR.PR_GET_CHILD_SUBREAPER:
    case PR.PR_GET_ENDIAN:
    case PR.PR_GET_FPEMU:
    case PR.PR_GET_FPEXC:
    case PR.PR_GET_NAME:
    case PR.PR_GET_PDEATHSIG:
    case PR.PR_GET_TID_ADDRESS:
    case PR.PR_GET_TSC:
    case PR.PR_GET_UNALIGN:
      return undefined;
    case PR.PR_SVE_SET_VL:
      return [hexT(a2, vlText(prSveVlFlags, a2, false, style))];
    case PR.PR_SME_SET_VL:
      return [hexT(a2, vlText(prSmeVlFlags, a2, false, style))];
    case PR.PR_GET_SPECULATION_CTRL:
      return [xv(c, prSpecCmds, a2, "PR_SPEC_???")];
    case PR.PR_SET_SPECULATION_CTRL:
      return [
        xv(c, prSpecCmds, a2, "PR_SPEC_???"),
        a2 <= 2 ? xv(c, prSpecSetFlags, a3, "PR_SPEC_???") : hexArg(c, 2),
      ];
    case PR.PR_SET_TAGGED_ADDR_CTRL:
      return [
        hexT(c.args.big(1), taggedAddrText(BigInt.asUintN(64, c.args.big(1)), false, style)),
        ...prctlRest(c, 2),
      ];
    case PR.PR_SET_CHILD_SUBREAPER:
    case PR.PR_SET_ENDIAN:
    case PR.PR_SET_FPEMU:
    case PR.PR_SET_FPEXC:
    case PR.PR_SET_KEEPCAPS:
    case PR.PR_SET_TIMING:
      return [V.uint(a2)];
    case PR.PR_SET_DUMPABLE:
      return [xv(c, prDumpable, a2, "SUID_DUMP_???")];
    case PR.PR_CAPBSET_DROP:
    case PR.PR_CAPBSET_READ:
      return [xv(c, caps, a2, "CAP_???")];
    case PR.PR_CAP_AMBIENT: {
      const sub = xv(c, prCapAmbient, a2, "PR_CAP_AMBIENT_???");
      if (a2 >= 1 && a2 <= 3) return [sub, xv(c, caps, a3, "CAP_???"), ...prctlRest(c, 3)];
      return [sub, ...prctlRest(c, 2)];
    }
    case PR.PR_MCE_KILL:
      return [
        xv(c, prMceKill, a2, "PR_MCE_KILL_???"),
        a2 === 1 ? xv(c, prMceKillPolicy, a3, "PR_MCE_KILL_???") : hexArg(c, 2),
        ...prctlRest(c, 3),
      ];
    case PR.PR_SET_NAME:
      return [commV(c, a2, 15)];
    case PR.PR_SET_MM:
      return [xv(c, prSetMm, c.args.ui(1), "PR_SET_MM_???"), ...prctlRest(c, 2)];
    case PR.PR_SET_VMA: {
      const kind = xv(c, prSetVma, a2, "PR_SET_VMA_???");
      if (a2 === 0) {
        return [kind, ptrArg(c, 2), V.uint(c.args.u(3)), cstrV(c, c.args.u(4))];
      }
      return [kind, ...prctlRest(c, 2)];
    }
    case PR.PR_SET_PDEATHSIG:
      return [a2 > 128 ? V.uint(a2) : signalV(Number(a2), style)];
    case PR.PR_SET_PTRACER:
      return [
        c.args.i(1) === -1 ? named("PR_SET_PTRACER_ANY", -1, "-1", style) : V.int(c.args.i(1)),
      ];
    case PR.PR_SET_SECCOMP: {
      const mode = xv(c, seccompMode, a2, "SECCOMP_MODE_???");
      if (a2 === 1) return [mode];
      if (a2 === 2) return [mode, bpfFprogV(c, c.args.u(2), "seccomp")];
      return [mode, ...prctlRest(c, 2)];
    }
    case PR.PR_SET_SECUREBITS:
      return [V.flags(secbits, a2, style, "SECBIT_???")];
    case PR.PR_SET_TIMERSLACK:
      return [V.int(c.args.s(1))];
    case PR.PR_SET_TSC:
      return [xv(c, prTsc, c.args.ui(1), "PR_TSC_???")];
    case PR.PR_SET_UNALIGN:
      return [V.flags(prUnalignFlags, c.args.ui(1), style, "PR_UNALIGN_???")];
    case PR.PR_SET_NO_NEW_PRIVS:
    case PR.PR_SET_THP_DISABLE:
    case PR.PR_SET_IO_FLUSHER:
      return [V.uint(a2), ...prctlRest(c, 2)];
    case PR.PR_SET_FP_MODE:
      return [V.flags(prFpMode, c.args.ui(1), style, "PR_FP_MODE_???")];
    case PR.PR_PAC_RESET_KEYS:
      return [V.flags(prPacAllKeys, a2, style, "PR_PAC_???"), ...prctlRest(c, 2)];
    case PR.PR_PAC_SET_ENABLED_KEYS:
      return [
        V.flags(prPacEnabledKeys, a2, style, "PR_PAC_???"),
        V.flags(prPacEnabledKeys, a3, style, "PR_PAC_???"),
        ...prctlRest(c, 3),
      ];
    case PR.PR_SET_SYSCALL_USER_DISPATCH:
      return [
        xv(c, prSudCmds, a2, "PR_SYS_DISPATCH_???"),
        hexArg(c, 2),
        hexArg(c, 3),
        ptrArg(c, 4),
      ];
    case PR.PR_SCHED_CORE: {
      const type = c.args.ui(3);
      const out = [
        xv(c, prSchedCoreCmds, c.args.ui(1), "PR_SCHED_CORE_???"),
        V.int(c.args.i(2)),
        style === "raw" ? V.hex(type) : V.xval(prSchedCorePidtypes, type, "verbose", "PIDTYPE_???"),
      ];
      return c.args.ui(1) === 0 ? out : [...out, ptrArg(c, 4)];
    }
    default:
      return prctlRest(c, 1);
  }
}

const prctl: SyscallDecoder = {
  enter: (c) => {
    const op = c.args.ui(0);
    const head = xv(c, prctlOptions, op, "PR_???");
    const rest = prctlEnter(c, op);
    if (rest === undefined) return [head];
    if (op === PR.PR_SCHED_CORE && c.args.ui(1) === 0) return [head, ...rest];
    return decoded([head, ...rest]);
  },
  exit: (c) => {
    const op = c.args.ui(0);
    const a2 = c.args.u(1);
    switch (op) {
      case PR.PR_GET_CHILD_SUBREAPER:
      case PR.PR_GET_ENDIAN:
      case PR.PR_GET_FPEMU:
      case PR.PR_GET_FPEXC:
        return [numInt(c, a2, true)];
      case PR.PR_GET_UNALIGN:
        return [
          withStruct(c, a2, 4, (v) =>
            V.array([
              V.flags(prUnalignFlags, v.getUint32(0, true), c.opts.xlat, "PR_UNALIGN_???"),
            ])),
        ];
      case PR.PR_GET_NAME:
        return [c.errno ? V.ptr(a2) : commV(c, a2, 16)];
      case PR.PR_GET_PDEATHSIG:
        return [
          withStruct(c, a2, 4, (v) => V.array([signalV(v.getUint32(0, true), c.opts.xlat)])),
        ];
      case PR.PR_GET_TID_ADDRESS:
        return [numPtr(c, a2)];
      case PR.PR_GET_TSC:
        return [
          withStruct(c, a2, 4, (v) => V.array([xv(c, prTsc, v.getUint32(0, true), "PR_TSC_???")])),
        ];
      case PR.PR_SCHED_CORE: {
        const a5 = c.args.u(4);
        if (c.args.ui(1) !== 0) return [];
        if (c.errno) return [ptrArg(c, 4)];
        return [withStruct(c, a5, 8, (v) => V.array([V.hex(v.getBigUint64(0, true))]))];
      }
    }
    return [];
  },
  result: (c) => {
    const op = c.args.ui(0);
    const r = c.rval;
    const style = c.opts.xlat;
    if (c.errno) return undefined;
    switch (op) {
      case PR.PR_GET_DUMPABLE:
        return namedResult(prDumpable, r);
      case PR.PR_MCE_KILL_GET:
        return namedResult(prMceKillPolicy, r);
      case PR.PR_GET_SECUREBITS:
        return r === 0 ? undefined : hexAuxResult(secbits, r, auxNames(secbits, r, style));
      case PR.PR_GET_FP_MODE:
        return r === 0 ? undefined : hexAuxResult(prFpMode, r, auxNames(prFpMode, r, style));
      case PR.PR_PAC_GET_ENABLED_KEYS:
        return hexAuxResult(prPacEnabledKeys, r, auxNames(prPacEnabledKeys, r, style));
      case PR.PR_SVE_SET_VL:
      case PR.PR_SVE_GET_VL:
        return r === 0 ? undefined : hexT(r, auxText(r, vlText(prSveVlFlags, r, true, style)));
      case PR.PR_SME_SET_VL:
      case PR.PR_SME_GET_VL:
        return r === 0 ? undefined : hexT(r, auxText(r, vlText(prSmeVlFlags, r, true, style)));
      case PR.PR_GET_TAGGED_ADDR_CTRL:
        return hexT(r, auxText(r, taggedAddrText(BigInt(r), true, style)));
      case PR.PR_GET_SPECULATION_CTRL:
        if (c.args.u(1) > 2) return undefined;
        return hexAuxResult(prSpecGetFlags, r, auxNames(prSpecGetFlags, r, style));
    }
    return undefined;
  },
};

/** `%#lx` with the text strace composed (the plain hex when `text` is `undefined`). */
function hexT(v: number | bigint, text: string | undefined): Value {
  const h = V.hex(v);
  return text === undefined ? h : { ...h, text };
}

/** `0x… (aux)`, or just the hex without an aux string. */
function auxText(v: number, aux: string | undefined): string {
  return aux === undefined ? hex(v) : `${hex(v)} (${aux})`;
}

const arch_prctl: SyscallDecoder = {
  enter: (c) => {
    const op = c.args.ui(0);
    const s = xv(c, archVals, op, "ARCH_???");
    if (op === 0x1003 || op === 0x1004) return [s];
    if (op === 0x1011) return decoded([s]);
    return decoded([s, hexArg(c, 1)]);
  },
  exit: (c) => {
    const op = c.args.ui(0);
    if (op === 0x1003 || op === 0x1004) return [numPtr(c, c.args.u(1))];
    return [];
  },
};

// ---------------------------------------------------------------------------------------------
// futex

/** FUTEX_WAKE_OP's operation word, as a struct with strace's text. */
function futexWakeOpV(val3: number): Value {
  const f: [string, Value][] = [];
  let text = "";
  if ((val3 >>> 28) & 8) {
    text += "FUTEX_OP_OPARG_SHIFT<<28|";
    f.push(["oparg_shift", V.uint(1)]);
  }
  const wop = (val3 >>> 28) & 7;
  const wn = futexWakeOps.byValue.get(wop);
  text += (wn ?? String(wop)) + "<<28" + (wn ? "" : " /* FUTEX_OP_??? */");
  f.push(["op", V.named(wn, wop, wn ?? String(wop))]);
  const oparg = (val3 >>> 12) & 0xfff;
  text += `|${hex(oparg)}<<12|`;
  f.push(["oparg", V.hex(oparg)]);
  const cmp = (val3 >>> 24) & 0xf;
  const cn = futexWakeCmps.byValue.get(cmp);
  text += (cn ?? String(cmp)) + "<<24" + (cn ? "" : " /* FUTEX_OP_CMP_??? */");
  f.push(["cmp", V.named(cn, cmp, cn ?? String(cmp))]);
  text += `|${hex(val3 & 0xfff)}`;
  f.push(["cmparg", V.hex(val3 & 0xfff)]);
  return { ...V.struct(f), text };
}

function futexArgs(c: SyscallCall): Value[] {
  const style = c.opts.xlat;
  const op = c.args.i(1);
  const cmd = op & 127;
  const val = V.uint(c.args.ui(2));
  const val2 = V.uint(c.args.ui(3));
  const val3 = c.args.ui(5);
  const ts = () => timespecV(c, c.args.u(3));
  const bitset = () => {
    const n = futexBitset.byValue.get(val3);
    return n !== undefined && style !== "raw"
      ? V.named(n, val3, style === "verbose" ? `${hex(val3)} /* ${n} */` : n)
      : V.hex(val3);
  };
  const head = [ptrArg(c, 0), V.xval(futexOps, op >>> 0, style, "FUTEX_???")];
  switch (cmd) {
    case 0:
      return [...head, val, ts()];
    case 6:
    case 13:
      return [...head, ts()];
    case 9:
      return [...head, val, ts(), bitset()];
    case 10:
      return [...head, val, bitset()];
    case 3:
      return [...head, val, val2, ptrArg(c, 4)];
    case 4:
    case 12:
      return [...head, val, val2, ptrArg(c, 4), V.uint(val3)];
    case 5:
      return [...head, val, val2, ptrArg(c, 4), futexWakeOpV(val3)];
    case 11:
      return [...head, val, ts(), ptrArg(c, 4)];
    case 2:
    case 1:
      return [...head, val];
    case 7:
    case 8:
      return head;
    default:
      return [...head, val, ptrArg(c, 3), ptrArg(c, 4), V.hex(val3)];
  }
}

// ---------------------------------------------------------------------------------------------
// scheduling

/** The cpuset size strace probes for (enough for 1024 CPUs). */
const CPUSET_SIZE = 128;

/** strace's `print_affinitylist`: `[0 1 3]`, `[]`, or the address; typed as an array of CPUs. */
function affinityV(c: SyscallCall, addr: number, len: number): ArrayValue | Unread {
  if (!addr || outFailed(c) || noDeref(c)) return V.ptr(addr);
  if (!len) return V.array([]);
  const umove = Math.min(len, CPUSET_SIZE);
  const size = Math.ceil(umove / 8) * 8;
  const b = c.mem.read(addr, umove);
  if (!b) return V.unavailable(addr);
  const cpus: Value[] = [];
  for (let i = 0; i < b.length * 8; i++) if (b[i >> 3] & (1 << (i & 7))) cpus.push(V.uint(i));
  const cut = size < len;
  const words = cpus.map((v) => v.text);
  if (cut) words.push("...");
  return { ...V.array(cpus, cut), text: "[" + words.join(" ") + "]" };
}

/** The text of {@linkcode affinityV} (for `io_uring`'s decoder). */
export function affinityText(c: SyscallCall, addr: number, len: number): string {
  return affinityV(c, addr, len).text;
}

// ---------------------------------------------------------------------------------------------
// capabilities

function capBits(lo: number, hi: number, style: XlatStyle): FlagsValue {
  let s = "";
  const names: string[] = [];
  let rest = 0n;
  if (lo || !hi) {
    s = flags(capMask0, lo >>> 0, style, "CAP_???");
    const p = flagParts(capMask0, lo >>> 0);
    names.push(...p.names);
    rest |= BigInt(p.rest);
  }
  if (hi) {
    s += (lo ? "|" : "") + flags(capMask1, hi >>> 0, style, "CAP_???");
    const p = flagParts(capMask1, hi >>> 0);
    names.push(...p.names);
    rest |= BigInt(p.rest) << 32n;
  }
  return V.flagsOf(names, rest, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0), s);
}

function capHeader(c: SyscallCall): DataView | null {
  const a = c.args.u(0);
  if (!a || noDeref(c)) return null;
  const b = c.mem.read(a, 8);
  return b ? new DataView(b.buffer, b.byteOffset, 8) : null;
}

function capHeaderV(c: SyscallCall, h: DataView | null): Value {
  const a = c.args.u(0);
  if (!a || !h) return !a || noDeref(c) ? V.ptr(a) : V.unavailable(a);
  return V.struct([
    [
      "version",
      V.xval(capVersion, h.getUint32(0, true), c.opts.xlat, "_LINUX_CAPABILITY_VERSION_???"),
    ],
    ["pid", V.int(h.getInt32(4, true))],
  ]);
}

function capDataV(c: SyscallCall, h: DataView | null): Value {
  const a = c.args.u(1);
  if (!a || !h) return V.ptr(a);
  const ver = h.getUint32(0, true);
  const len = ver === 0x20071026 || ver === 0x20080522 ? 2 : 1;
  return withStruct(c, a, len * 12, (v) => {
    const g = (i: number, f: number) => (i < len ? v.getUint32(i * 12 + f * 4, true) : 0);
    const st = c.opts.xlat;
    return V.struct([
      ["effective", capBits(g(0, 0), g(1, 0), st)],
      ["permitted", capBits(g(0, 1), g(1, 1), st)],
      ["inheritable", capBits(g(0, 2), g(1, 2), st)],
    ]);
  });
}

// ---------------------------------------------------------------------------------------------
// ptrace

const PT = Object.fromEntries(ptraceCmds.entries) as Record<string, number>;

/** strace's `print_user_offset_addr` for `PTRACE_PEEKUSER`/`POKEUSER`. */
function userOffsetV(c: SyscallCall, addr: number): Value {
  const e = structUserOffsets.entries;
  let best: readonly [string, number] | undefined;
  for (const x of e) if (x[1] <= addr) best = x;
  const last = e[e.length - 1];
  if (!best || (addr > best[1] && best === last)) return V.ptr(addr);
  const name = best[0] + (addr !== best[1] ? `+${addr - best[1]}` : "");
  return named(name, addr, addr ? hex(addr) : "NULL", c.opts.xlat);
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

function regsAt(c: SyscallCall, addr: number): Value {
  return withStruct(
    c,
    addr,
    REGS.length * 8,
    (v) => V.struct(REGS.map((r, i) => [r, V.hex(v.getBigUint64(i * 8, true))])),
  );
}

function syscallInfoV(c: SyscallCall, addr: number, userLen: number): Value {
  const fetch = Math.min(userLen, c.rval, 84);
  if (!addr || fetch <= 0 || c.errno || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, fetch);
  if (!b) return V.unavailable(addr);
  const buf = new Uint8Array(88);
  buf.set(b);
  const v = new DataView(buf.buffer);
  const st = c.opts.xlat;
  const op = v.getUint8(0);
  const f: [string, Value][] = [
    ["op", V.xval(ptraceSyscallInfoOp, op, st, "PTRACE_SYSCALL_INFO_???")],
  ];
  const out = () => V.struct(f);
  if (fetch < 8) return out();
  const arch = v.getUint32(4, true);
  f.push(["arch", V.xval(auditArch, arch, st, "AUDIT_ARCH_???")]);
  if (fetch < 16) return out();
  f.push(["instruction_pointer", ptr64(v.getBigUint64(8, true))]);
  if (fetch < 24) return out();
  f.push(["stack_pointer", ptr64(v.getBigUint64(16, true))]);
  if (fetch < 32) return out();
  const nr = u64At(v, 24);
  if (op === 1 || op === 3) {
    const nargs = Math.min(6, Math.floor((fetch - 32) / 8));
    const g: [string, Value][] = [["nr", V.named(undefined, nr, syscallNameField(nr, arch))]];
    if (nargs) {
      const a: Value[] = [];
      for (let i = 0; i < nargs; i++) a.push(V.hex(v.getBigUint64(32 + i * 8, true)));
      g.push(["args", V.array(a)]);
    }
    if (op === 3 && fetch >= 84) g.push(["ret_data", V.uint(v.getUint32(80, true))]);
    f.push([op === 1 ? "entry" : "seccomp", V.struct(g)]);
  } else if (op === 2) {
    const g: [string, Value][] = [["rval", V.int(v.getBigInt64(24, true))]];
    if (fetch >= 33) g.push(["is_error", V.uint(v.getUint8(32))]);
    f.push(["exit", V.struct(g)]);
  }
  return out();
}

/** ptrace's arguments at entry, and whether they are the whole call (nothing left for exit). */
function ptraceEnter(c: SyscallCall): [Value[], boolean] {
  const req = c.args.u(0);
  const st = c.opts.xlat;
  const out: Value[] = [V.xval(ptraceCmds, req, st, "PTRACE_???")];
  if (req === PT.PTRACE_TRACEME) return [out, true];
  out.push(pidArg(c, 1));
  if (
    req === PT.PTRACE_ATTACH || req === PT.PTRACE_INTERRUPT || req === PT.PTRACE_KILL ||
    req === PT.PTRACE_LISTEN
  ) return [out, true];
  const addr = c.args.u(2);
  const data = c.args.u(3);
  switch (req) {
    case PT.PTRACE_PEEKUSER:
    case PT.PTRACE_POKEUSER:
      out.push(userOffsetV(c, addr));
      break;
    case PT.PTRACE_GETREGSET:
    case PT.PTRACE_SETREGSET:
      out.push(V.xval(ntDescriptorTypes, addr, st, "NT_???"));
      break;
    case PT.PTRACE_GETSIGMASK:
    case PT.PTRACE_SETSIGMASK:
    case PT.PTRACE_SECCOMP_GET_FILTER:
    case PT.PTRACE_SECCOMP_GET_METADATA:
    case PT.PTRACE_GET_SYSCALL_INFO:
      out.push(V.uint(addr));
      break;
    case PT.PTRACE_PEEKSIGINFO:
      out.push(withStruct(c, addr, 16, (v) =>
        V.struct([
          ["off", V.uint(v.getBigUint64(0, true))],
          [
            "flags",
            V.flags(ptracePeeksiginfoFlags, v.getUint32(8, true), st, "PTRACE_PEEKSIGINFO_???"),
          ],
          ["nr", V.uint(v.getUint32(12, true))],
        ])));
      break;
    case PT.PTRACE_SETREGS:
      return [[...out, regsAt(c, data)], true];
    case PT.PTRACE_GETREGS:
    case PT.PTRACE_GETFPREGS:
      return [out, false];
    case PT.PTRACE_SETFPREGS:
      return [[...out, V.ptr(data)], true];
    default:
      out.push(V.ptr(addr));
  }
  switch (req) {
    case PT.PTRACE_CONT:
    case PT.PTRACE_DETACH:
    case PT.PTRACE_SYSCALL:
    case PT.PTRACE_SINGLESTEP:
    case PT.PTRACE_SINGLEBLOCK:
    case PT.PTRACE_SYSEMU:
    case PT.PTRACE_SYSEMU_SINGLESTEP:
      return [[...out, signalV(c.args.i(3), st)], true];
    case PT.PTRACE_SEIZE:
    case PT.PTRACE_SETOPTIONS:
    case PT.PTRACE_OLDSETOPTIONS:
      return [[...out, V.flags(ptraceSetoptionsFlags, data, st, "PTRACE_O_???")], true];
    case PT.PTRACE_SETSIGINFO:
      return [[...out, siginfoV(c, data)], true];
    case PT.PTRACE_SETSIGMASK:
      return [[...out, sigsetAtV(c, data, addr)], true];
    case PT.PTRACE_GETREGSET: {
      const io = noDeref(c) ? null : c.mem.read(data, 16);
      if (!io) return [[...out, V.ptr(data)], true];
      c.state.iovLen = new DataView(io.buffer, io.byteOffset, 16).getBigUint64(8, true);
      return [out, false];
    }
    case PT.PTRACE_SETREGSET: {
      const io = noDeref(c) ? null : c.mem.read(data, 16);
      if (!io) return [[...out, V.ptr(data)], true];
      const iv = new DataView(io.buffer, io.byteOffset, 16);
      const base = u64At(iv, 0);
      const len = iv.getBigUint64(8, true);
      const regs = addr === 1 && len >= BigInt(REGS.length * 8) ? regsAt(c, base) : V.ptr(base);
      return [[...out, V.struct([["iov_base", regs], ["iov_len", V.uint(len)]])], true];
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
        return [[...out, V.ptr(data)], true];
      }
      return [out, false];
    default:
      return [[...out, V.ptr(data)], true];
  }
}

/** ptrace's data argument at exit. */
function ptraceExit(c: SyscallCall): Value | undefined {
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
      return siginfoV(c, data);
    case PT.PTRACE_GETSIGMASK:
      return sigsetAtV(c, data, addr);
    case PT.PTRACE_GETREGS:
      return regsAt(c, data);
    case PT.PTRACE_GETFPREGS:
    case PT.PTRACE_SECCOMP_GET_FILTER:
    case PT.PTRACE_SECCOMP_GET_METADATA:
      return V.ptr(data);
    case PT.PTRACE_GET_SYSCALL_INFO:
      return syscallInfoV(c, data, addr);
    case PT.PTRACE_PEEKSIGINFO: {
      if (c.errno || c.rval <= 0) return V.ptr(data);
      const items: Value[] = [];
      for (let i = 0; i < c.rval && i < 1024; i++) {
        const b = c.mem.read(data + i * 128, 128);
        if (!b) {
          if (i === 0) return data ? V.unavailable(data) : V.hex(0);
          return V.array(items, true, `... /* ${hex(data + i * 128)} */`);
        }
        // siginfo.ts gives text; typed when that module is converted.
        items.push(V.raw(siginfoText(b, c.opts.xlat)));
      }
      return V.array(items);
    }
    case PT.PTRACE_GETREGSET: {
      if (c.state.iovLen === undefined) return undefined;
      const io = c.mem.read(data, 16);
      if (!io) return V.unavailable(data);
      const iv = new DataView(io.buffer, io.byteOffset, 16);
      const base = u64At(iv, 0);
      const len = iv.getBigUint64(8, true);
      const old = c.state.iovLen as bigint;
      const regs = !c.errno && addr === 1 && len >= BigInt(REGS.length * 8)
        ? regsAt(c, base)
        : V.ptr(base);
      return V.struct([
        ["iov_base", regs],
        ["iov_len", old === len ? V.uint(len) : V.change(V.uint(old), V.uint(len))],
      ]);
    }
  }
  return undefined;
}

const ptrace: SyscallDecoder = {
  enter: (c) => {
    const [args, done] = ptraceEnter(c);
    c.state.ptraceDone = done;
    return done ? decoded(args) : args;
  },
  exit: (c) => {
    if (c.state.ptraceDone) return [];
    const v = ptraceExit(c);
    return v === undefined ? [] : [v];
  },
};

// ---------------------------------------------------------------------------------------------
// misc process helpers

function groupsV(c: SyscallCall, len: number, addr: number): Value {
  if (len < 0 || len > 65536) return V.ptr(addr);
  if (!addr) return V.ptr(0);
  if (outFailed(c)) return V.ptr(addr);
  if (len === 0) return V.array([]);
  if (noDeref(c)) return V.ptr(addr);
  const max = c.opts.verbose ? len : Math.min(len, c.opts.strsize);
  const items: Value[] = [];
  for (let i = 0; i < max; i++) {
    const b = c.mem.read(addr + i * 4, 4);
    if (!b) {
      if (i === 0) return V.unavailable(addr);
      const more = i + 1 === max && max < len ? ", ..." : "";
      return V.array(items, true, `... /* ${hex(addr + i * 4)} */${more}`);
    }
    items.push(uidV(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)));
  }
  return V.array(items, max < len);
}

function uidPtr(c: SyscallCall, addr: number): Value {
  return withStruct(c, addr, 4, (v) => V.array([uidV(v.getUint32(0, true))]));
}

/** A personality: its type (low byte) and flags. */
function personalityV(p: number, typeText: string, flagsText: string): FlagsValue {
  const low = p & 0xff;
  const rest = (p & ~0xff) >>> 0;
  const typeName = personalityTypes.byValue.get(low);
  const parts = flagParts(personalityFlagsTable, rest);
  const names = typeName === undefined ? parts.names : [typeName, ...parts.names];
  const unknown = (typeName === undefined ? low : 0) + Number(parts.rest);
  return V.flagsOf(names, unknown, p, typeText + (rest ? "|" + flagsText : ""));
}

function personalityResult(c: SyscallCall): Value {
  const p = c.rval >>> 0;
  const low = p & 0xff;
  const rest = (p & ~0xff) >>> 0;
  const typeText = personalityTypes.byValue.get(low) ?? `${hex(low)} /* PER_??? */`;
  const v = personalityV(p, typeText, flags(personalityFlagsTable, rest, "abbrev"));
  return { ...v, text: `${hex(p)} (${v.text})` };
}

const empty: SyscallDecoder = {};

/** Three ids, as `setresuid` takes them. */
const uids3 = (c: SyscallCall) => [0, 1, 2].map((i) => uidV(c.args.ui(i)));

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  execve: { enter: (c) => execveArgs(c, 0) },
  execveat: {
    enter: (c) => [
      dirfdV(c, c.args.i(0)),
      ...execveArgs(c, 1),
      V.flags(AT_FLAGS, c.args.ui(4), c.opts.xlat, "AT_???"),
    ],
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
  getpgid: { enter: (c) => [pidArg(c, 0)] },
  getsid: { enter: (c) => [pidArg(c, 0)] },
  setpgid: { enter: (c) => [pidArg(c, 0), pidArg(c, 1)] },
  setuid: { enter: (c) => [uidV(c.args.ui(0))] },
  setgid: { enter: (c) => [uidV(c.args.ui(0))] },
  setfsuid: { enter: (c) => [uidV(c.args.ui(0))] },
  setfsgid: { enter: (c) => [uidV(c.args.ui(0))] },
  setreuid: { enter: (c) => [uidV(c.args.ui(0)), uidV(c.args.ui(1))] },
  setregid: { enter: (c) => [uidV(c.args.ui(0)), uidV(c.args.ui(1))] },
  setresuid: { enter: uids3 },
  setresgid: { enter: uids3 },
  getresuid: { exit: (c) => [0, 1, 2].map((i) => uidPtr(c, c.args.u(i))) },
  getresgid: { exit: (c) => [0, 1, 2].map((i) => uidPtr(c, c.args.u(i))) },
  getgroups: {
    enter: (c) => [V.int(c.args.i(0))],
    exit: (c) => [groupsV(c, c.errno ? 0 : c.rval, c.args.u(1))],
  },
  setgroups: {
    enter: (c) => [V.int(c.args.i(0)), groupsV(c, c.args.i(0), c.args.u(1))],
  },
  set_tid_address: printargs(1),
  set_robust_list: { enter: (c) => [ptrArg(c, 0), V.uint(c.args.u(1))] },
  get_robust_list: {
    enter: (c) => [pidArg(c, 0)],
    exit: (c) => [numPtr(c, c.args.u(1)), numUlong(c, c.args.u(2))],
  },
  rseq: printargs(4),
  prlimit64: {
    enter: (c) => [
      pidArg(c, 0),
      xv(c, resources, c.args.ui(1), "RLIMIT_???"),
      rlimitV(c, c.args.u(2)),
    ],
    exit: (c) => [rlimitV(c, c.args.u(3))],
  },
  getrlimit: {
    enter: (c) => [xv(c, resources, c.args.ui(0), "RLIMIT_???")],
    exit: (c) => [rlimitV(c, c.args.u(1))],
  },
  setrlimit: {
    enter: (c) => [xv(c, resources, c.args.ui(0), "RLIMIT_???"), rlimitV(c, c.args.u(1))],
  },
  getrusage: {
    enter: (c) => [V.xval(usageWho, c.args.i(0), c.opts.xlat, "RUSAGE_???")],
    exit: (c) => [rusageV(c, c.args.u(1))],
  },
  getpriority: {
    enter: (c) => [xv(c, priorities, c.args.ui(0), "PRIO_???"), V.int(c.args.i(1))],
  },
  setpriority: {
    enter: (c) => [
      xv(c, priorities, c.args.ui(0), "PRIO_???"),
      V.int(c.args.i(1)),
      V.int(c.args.i(2)),
    ],
  },
  prctl,
  arch_prctl,
  futex: { enter: futexArgs },
  sched_getaffinity: {
    enter: (c) => [pidArg(c, 0), V.uint(c.args.ui(1))],
    exit: (c) => [affinityV(c, c.args.u(2), c.errno ? 0 : c.rval)],
  },
  sched_setaffinity: {
    enter: (c) => [
      pidArg(c, 0),
      V.uint(c.args.ui(1)),
      affinityV(c, c.args.u(2), c.args.ui(1)),
    ],
  },
  sched_getparam: {
    enter: (c) => [pidArg(c, 0)],
    exit: (c) => [numInt(c, c.args.u(1))],
  },
  sched_setparam: { enter: (c) => [pidArg(c, 0), numInt(c, c.args.u(1))] },
  sched_getscheduler: {
    enter: (c) => [pidArg(c, 0)],
    result: (c) => namedResult(schedulers, c.rval),
  },
  sched_setscheduler: {
    enter: (c) => [
      pidArg(c, 0),
      xv(c, schedulers, c.args.ui(1), "SCHED_???"),
      numInt(c, c.args.u(2)),
    ],
  },
  sched_get_priority_min: { enter: (c) => [xv(c, schedulers, c.args.ui(0), "SCHED_???")] },
  sched_get_priority_max: { enter: (c) => [xv(c, schedulers, c.args.ui(0), "SCHED_???")] },
  sched_rr_get_interval: {
    enter: (c) => [pidArg(c, 0)],
    exit: (c) => [c.errno ? ptrArg(c, 1) : timespecV(c, c.args.u(1))],
  },
  getcpu: {
    exit: (c) => [numInt(c, c.args.u(0), true), numInt(c, c.args.u(1), true), ptrArg(c, 2)],
  },
  personality: {
    enter: (c) => {
      const p = c.args.ui(0);
      if (p === 0xffffffff) return [V.hex(p)];
      const rest = (p & ~0xff) >>> 0;
      return [
        personalityV(
          p,
          xv(c, personalityTypes, p & 0xff, "PER_???").text,
          rest ? flags(personalityFlagsTable, rest, c.opts.xlat) : "",
        ),
      ];
    },
    result: personalityResult,
  },
  capget: {
    enter: (c) => [capHeaderV(c, capHeader(c))],
    exit: (c) => [capDataV(c, c.errno ? null : capHeader(c))],
  },
  capset: {
    enter: (c) => {
      const h = capHeader(c);
      return [capHeaderV(c, h), capDataV(c, h)];
    },
  },
  ptrace,
  pidfd_open: {
    enter: (c) => [
      pidArg(c, 0),
      V.flags(pidfdOpenFlags, c.args.ui(1), c.opts.xlat, "PIDFD_???"),
    ],
    result: (c) => c.opts.decodeFds ? fdV(c, c.rval) : undefined,
  },
  seccomp: {
    enter: (c) => {
      const op = c.args.ui(0);
      const st = c.opts.xlat;
      const head = V.xval(seccompOps, op, st, "SECCOMP_SET_MODE_???");
      // SECCOMP_GET_NOTIF_SIZES: the sizes are printed at exit.
      if (op === 3) return [head, V.hex(c.args.ui(1))];
      return decoded([
        head,
        op === 1
          ? V.flags(seccompFilterFlags, c.args.ui(1), st, "SECCOMP_FILTER_FLAG_???")
          : V.hex(c.args.ui(1)),
        op === 1
          ? bpfFprogV(c, c.args.u(2), "seccomp")
          : op === 2
          ? withStruct(c, c.args.u(2), 4, (v) =>
            V.array([V.xval(seccompRetAction, v.getUint32(0, true), st, "SECCOMP_RET_???")]))
          : ptrArg(c, 2),
      ]);
    },
    exit: (c) => {
      if (c.args.ui(0) !== 3) return [];
      return [
        withStruct(c, c.args.u(2), 6, (v) =>
          V.struct([
            ["seccomp_notif", V.uint(v.getUint16(0, true))],
            ["seccomp_notif_resp", V.uint(v.getUint16(2, true))],
            ["seccomp_data", V.uint(v.getUint16(4, true))],
          ])),
      ];
    },
  },
};
