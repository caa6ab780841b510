/**
 * Prints a `siginfo_t` (x86_64 layout, 128 bytes) the way strace 6.1's `printsiginfo` does, for
 * signal-delivery lines (`--- SIGCHLD {...} ---`), `waitid`, `rt_sigtimedwait`,
 * `rt_sigqueueinfo` and `PTRACE_GETSIGINFO`.
 *
 * @example
 * ```ts
 * import { siginfoText } from "./siginfo.ts";
 * const b = new Uint8Array(128);
 * b[0] = 10; // si_signo = SIGUSR1, si_code = SI_USER
 * siginfoText(b); // "{si_signo=SIGUSR1, si_code=SI_USER, si_pid=0, si_uid=0}"
 * ```
 * @module
 */
import type { SyscallCall, XlatStyle } from "./api.ts";
import { hex } from "./xlat.ts";
import type { Xlat } from "./xlat.ts";
import { errnoName } from "./errno.ts";
import { printSignal, signalName } from "./signame.ts";
import { type StructValue, V, type Value } from "./value.ts";
import {
  sigbusCodes,
  sigchldCodes,
  sigfpeCodes,
  sigillCodes,
  siginfoCodes,
  sigpollCodes,
  sigprofCodes,
  sigsegvCodes,
  sigsysCodes,
  sigtrapCodes,
} from "./xlat/misc.ts";
import { auditArch } from "./xlat/process.ts";
import { syscallByNr } from "./syscall_table.ts";

/** The size of a `siginfo_t` on Linux. */
export const SIGINFO_SIZE = 128;

const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11, SIGCHLD = 17;
const SIGIO = 29, SIGSYS = 31, SIGPROF = 27;

const CODES_BY_SIGNAL: Record<number, Xlat> = {
  [SIGTRAP]: sigtrapCodes,
  [SIGCHLD]: sigchldCodes,
  [SIGIO]: sigpollCodes,
  [SIGPROF]: sigprofCodes,
  [SIGILL]: sigillCodes,
  [SIGFPE]: sigfpeCodes,
  [SIGSEGV]: sigsegvCodes,
  [SIGBUS]: sigbusCodes,
  [SIGSYS]: sigsysCodes,
};

/** The clock ticks per second strace assumes for `si_utime`/`si_stime` comments. */
const CLK_TCK = 100;

function u64(v: DataView, off: number): bigint {
  return v.getBigUint64(off, true);
}

/** `print_clock_t`: ticks, with a seconds comment unless `-X raw`. */
function clockText(ticks: bigint, style: XlatStyle): string {
  let s = ticks.toString();
  if (style !== "raw" && ticks > 0n) {
    const t = BigInt(CLK_TCK);
    s += ` /* ${ticks / t}.${(ticks % t).toString().padStart(2, "0")} s */`;
  }
  return s;
}

function codeValue(code: number, signo: number, style: XlatStyle): Value {
  let name = siginfoCodes.byValue.get(code);
  if (name === undefined) name = CODES_BY_SIGNAL[signo]?.byValue.get(code);
  const raw = hex(code);
  const text = name === undefined || style === "raw"
    ? raw
    : style === "verbose"
    ? `${raw} /* ${name} */`
    : name;
  return V.named(name, code, text);
}

function signalValue(n: number, style: XlatStyle): Value {
  return V.signal(n, signalName(n), printSignal(n, style));
}

function errValue(e: number, style: XlatStyle): Value {
  const name = errnoName(e);
  const text = name === undefined || style === "raw"
    ? String(e >>> 0)
    : style === "verbose"
    ? `${e >>> 0} /* ${name} */`
    : name;
  return V.named(name, e, text);
}

/**
 * strace's text for a 128-byte `siginfo_t`: `{si_signo=SIGUSR1, si_code=SI_USER, si_pid=9537,
 * si_uid=0}`. Shorter input is zero-padded; never throws. `style` follows `-X`.
 */
export function siginfoText(bytes: Uint8Array, style: XlatStyle = "abbrev"): string {
  return siginfoValue(bytes, style).text;
}

/**
 * A 128-byte `siginfo_t` as a typed struct (its `text` is {@linkcode siginfoText}'s): signal,
 * code and errno by name, ids and addresses as numbers and pointers. Never throws.
 */
export function siginfoValue(bytes: Uint8Array, style: XlatStyle = "abbrev"): StructValue {
  const buf = new Uint8Array(SIGINFO_SIZE);
  buf.set(bytes.subarray(0, SIGINFO_SIZE));
  const v = new DataView(buf.buffer);
  const signo = v.getInt32(0, true);
  const errno = v.getInt32(4, true);
  const code = v.getInt32(8, true);
  if (!signo) return V.struct([]);
  const f: [string, Value][] = [
    ["si_signo", signalValue(signo, style)],
    ["si_code", codeValue(code, signo, style)],
  ];
  if (errno) f.push(["si_errno", errValue(errno, style)]);
  const pid = (): [string, Value] => ["si_pid", V.int(v.getInt32(16, true))];
  const uid = (): [string, Value] => {
    const u = v.getUint32(20, true);
    return ["si_uid", u === 0xffffffff ? V.int(-1) : V.uint(u)];
  };
  const source = () => f.push(pid(), uid());
  const sigval = () =>
    f.push(["si_int", V.int(v.getInt32(24, true))], ["si_ptr", V.ptr(u64(v, 24))]);
  const siAddr = () => f.push(["si_addr", V.ptr(u64(v, 16))]);
  if (code <= 0) {
    switch (code) {
      case 0: // SI_USER
      case -6: // SI_TKILL
        source();
        break;
      case -2: // SI_TIMER
        f.push(["si_timerid", V.hex(v.getInt32(16, true) >>> 0)]);
        f.push(["si_overrun", V.int(v.getInt32(20, true))]);
        sigval();
        break;
      case -5: // SI_SIGIO
        f.push(["si_band", V.int(v.getBigInt64(16, true))], ["si_fd", V.int(v.getInt32(24, true))]);
        break;
      default:
        source();
        if (u64(v, 24) !== 0n) sigval();
    }
  } else {
    switch (signo) {
      case SIGCHLD: {
        source();
        const status = v.getInt32(24, true);
        f.push(["si_status", code === 1 ? V.int(status) : signalValue(status, style)]);
        const ut = v.getBigInt64(32, true);
        const st = v.getBigInt64(40, true);
        f.push(["si_utime", V.int(ut, clockText(ut, style))]);
        f.push(["si_stime", V.int(st, clockText(st, style))]);
        break;
      }
      case SIGILL:
      case SIGFPE:
      case SIGTRAP:
        siAddr();
        break;
      case SIGBUS:
        siAddr();
        if (code === 4 || code === 5) f.push(["si_addr_lsb", V.hex(v.getInt16(24, true) & 0xffff)]);
        break;
      case SIGSEGV:
        siAddr();
        if (code === 3) {
          f.push(["si_lower", V.ptr(u64(v, 32))], ["si_upper", V.ptr(u64(v, 40))]);
        } else if (code === 4) f.push(["si_pkey", V.uint(v.getUint32(32, true))]);
        break;
      case SIGIO:
        if (code >= 1 && code <= 6) {
          f.push(["si_band", V.int(v.getBigInt64(16, true))], [
            "si_fd",
            V.int(v.getInt32(24, true)),
          ]);
        }
        break;
      case SIGSYS: {
        f.push(["si_call_addr", V.ptr(u64(v, 16))]);
        const nr = v.getInt32(24, true);
        const arch = v.getUint32(28, true);
        const field = syscallNameField(nr, arch);
        f.push(["si_syscall", V.named(field.startsWith("__NR_") ? field : undefined, nr, field)]);
        const an = auditArch.byValue.get(arch);
        f.push([
          "si_arch",
          V.named(an, arch, an === undefined ? hex(arch) + " /* AUDIT_ARCH_??? */" : an),
        ]);
        break;
      }
      default:
        if (v.getInt32(16, true) || v.getUint32(20, true)) source();
        if (u64(v, 24) !== 0n) sigval();
    }
  }
  return V.struct(f);
}

/** `__NR_name` for an x86_64 syscall number, else the number (strace's syscall-name field). */
export function syscallNameField(nr: number, arch = 0xc000003e): string {
  if (arch === 0xc000003e) {
    const info = syscallByNr(nr);
    if (info) return "__NR_" + info.name;
  }
  return String(nr);
}

/**
 * Prints the `siginfo_t *` at `addr` (strace's `printsiginfo_at`): the structure, or `NULL` /
 * the address when it cannot be read, the call failed or `-e verbose=` excludes the call.
 */
export function siginfoAt(c: SyscallCall, address: number): string {
  if (!address) return "NULL";
  if ((c.exiting && c.errno) || c.opts.deref === false) return hex(address);
  const b = c.mem.read(address, SIGINFO_SIZE);
  if (!b) return hex(address);
  return siginfoText(b, c.opts.xlat);
}
