/**
 * Decoders for descriptor multiplexing and event descriptors: epoll_create, epoll_create1,
 * epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2, poll, ppoll, select, pselect6, eventfd,
 * eventfd2, signalfd, signalfd4, timerfd_create, timerfd_settime and timerfd_gettime, printed as
 * strace 6.1 prints them (including the `= 1 ([{fd=3, revents=POLLIN}])` and
 * `= 1 (in [3], left {…})` result suffixes).
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder } from "./api.ts";
import {
  arrayV,
  failed,
  fdV,
  noDeref,
  onSuccessV,
  ptrText,
  structV,
  timespecV,
  timespecValue,
  timevalV,
} from "./format.ts";
import { type ArrayValue, V, type Value } from "./value.ts";
import { flags } from "./xlat.ts";
import { fetch, printSigsetAddrLen, tsText, tvText } from "./time.ts";
import { efdFlags, epollCtls, epollEvents, epollFlags, pollFlags, sfdFlags } from "./xlat/epoll.ts";
import { clockNames, timerfdFlags } from "./xlat/time.ts";
import { u64At } from "./u64.ts";

/** Prints a successful result as a descriptor (strace's `RVAL_FD`), for `-y`. */
const fdResult = (c: SyscallCall): Value => fdV(c, c.rval);

/** The size of the (packed) x86_64 `struct epoll_event`. */
const EPOLL_EVENT_SIZE = 12;

/**
 * A signal set with its size (strace's `print_sigset_addr_len`). Kept as text (`V.raw`): strace's
 * `[HUP INT]` / `~[…]` form is the signal family's printer.
 */
function sigsetV(c: SyscallCall, addr: number, len: number): Value {
  return V.raw(printSigsetAddrLen(c, addr, len));
}

/** A `struct timespec *` read at entry, or at exit only when the call succeeded. */
function timespecArg(c: SyscallCall, addr: number): Value {
  return onSuccessV(c, addr, () => timespecV(c, addr));
}

/** A `struct itimerspec *` (the address when the call failed and it is an output). */
function itimerspecArg(c: SyscallCall, addr: number): Value {
  return onSuccessV(
    c,
    addr,
    () =>
      structV(
        c,
        addr,
        32,
        (v) => V.struct([["it_interval", timespecValue(v, 0)], ["it_value", timespecValue(v, 16)]]),
      ),
  );
}

/** One `struct epoll_event`. */
function epollEventV(c: SyscallCall, v: DataView): Value {
  return V.struct([
    ["events", V.flags(epollEvents, v.getUint32(0, true), c.opts.xlat, "EPOLL???")],
    [
      "data",
      V.struct([
        ["u32", V.uint(v.getUint32(4, true))],
        ["u64", V.uint(v.getBigUint64(4, true))],
      ]),
    ],
  ]);
}

/** The events array of epoll_wait & co., printed at exit. */
function epollEventArray(c: SyscallCall): Value {
  const addr = c.args.u(1);
  if (failed(c)) return V.ptr(addr);
  return arrayV(c, addr, c.rval, EPOLL_EVENT_SIZE, (v) => epollEventV(c, v));
}

/** epoll_wait/epoll_pwait/epoll_pwait2: `epfd, ` at entry, the rest at exit. */
function epollWait(timeout: (c: SyscallCall) => Value, sigmask: boolean): SyscallDecoder {
  return {
    enter: (c) => [fdV(c, c.args.i(0))],
    exit: (c) => {
      const out = [epollEventArray(c), V.int(c.args.i(2)), timeout(c)];
      if (sigmask) out.push(sigsetV(c, c.args.u(4), c.args.u(5)), V.uint(c.args.big(5)));
      return out;
    },
  };
}

/** The `struct pollfd` array of poll/ppoll at entry, and `nfds`. */
function pollEnter(c: SyscallCall): Value[] {
  const nfds = c.args.ui(1);
  const fds = arrayV(c, c.args.u(0), nfds, 8, (v) => {
    const n = v.getInt32(0, true);
    if (n < 0) return V.struct([["fd", fdV(c, n)]]);
    return V.struct([
      ["fd", fdV(c, n)],
      ["events", V.flags(pollFlags, v.getUint16(4, true), c.opts.xlat, "POLL???")],
    ]);
  });
  return [fds, V.uint(nfds)];
}

/** strace's output buffer for result suffixes. */
const OUTSTR = 1024;

/** The `([{fd=3, revents=POLLIN}], left {…})` result of poll/ppoll. */
function pollResult(c: SyscallCall, pts: number): Value | undefined {
  if (c.rval === 0) return V.int(0, "0 (Timeout)");
  const nfds = c.args.ui(1);
  const start = c.args.u(0);
  // strace prints no `([…], left …)` at all for a call outside `-e verbose=`.
  if (noDeref(c) || !start || !nfds) return undefined;
  const maxPrinted = c.opts.verbose ? Infinity : c.opts.strsize;
  let out = "";
  let printed = 0;
  const whole = nfds <= 65536 ? c.mem.read(start, nfds * 8) : null;
  for (let i = 0; i < nfds; i++) {
    const cur = start + i * 8;
    const el = whole ? whole.subarray(i * 8, i * 8 + 8) : c.mem.read(cur, 8);
    if (!el) {
      out += out === "" ? "[" : ", ";
      out += ptrText(cur);
      break;
    }
    const v = new DataView(el.buffer, el.byteOffset, 8);
    const revents = v.getUint16(6, true);
    if (!revents) continue;
    out += out === "" ? "[" : ", ";
    if (printed >= maxPrinted) {
      out += "...";
      break;
    }
    const fdstr = `{fd=${v.getInt32(0, true)}, revents=`;
    const flagstr = flags(pollFlags, revents, c.opts.xlat);
    if (out.length + fdstr.length + flagstr.length + 1 >= OUTSTR - 27) {
      out += "...";
      break;
    }
    out += fdstr + flagstr + "}";
    printed++;
  }
  if (out !== "") out += "]";
  if (pts) {
    const str = fetch(c, pts, 16, (v) => tsText(v));
    if (out.length + 8 + str.length < OUTSTR) out += (out === "" ? "left " : ", left ") + str;
    else out += ", ...";
  }
  return out === "" ? undefined : V.int(c.rval, `${c.rval} (${out})`);
}

/** The number of descriptors select looks at (strace clamps it to 0..1M). */
function selectNfds(c: SyscallCall): number {
  const n = c.args.i(0);
  return n < 0 ? 0 : Math.min(n, 1024 * 1024);
}

/** The bytes of an fd_set of `nfds` descriptors, rounded up to whole longs. */
function fdsetSize(nfds: number): number {
  return (Math.floor((nfds + 7) / 8) + 7) & ~7;
}

/** The descriptors set in an fd_set, below `nfds`. */
function setBits(bytes: Uint8Array, nfds: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < nfds; j++) {
    if ((bytes[j >> 3] >> (j & 7)) & 1) out.push(j);
  }
  return out;
}

/** The descriptors of an fd_set, printed as strace does: `[3 4]` (space-separated). */
function fdSetV(items: Value[]): ArrayValue {
  return {
    kind: "array",
    items,
    truncated: false,
    text: `[${items.map((v) => v.text).join(" ")}]`,
  };
}

/** select/pselect6 at entry: `nfds, [in], [out], [except], timeout`. */
function selectEnter(c: SyscallCall, timeout: (c: SyscallCall, addr: number) => Value): Value[] {
  const nfds = selectNfds(c);
  const size = fdsetSize(nfds);
  const out: Value[] = [V.int(c.args.i(0))];
  for (let i = 0; i < 3; i++) {
    const addr = c.args.u(i + 1);
    if (size <= 0 || !addr || noDeref(c)) {
      out.push(V.ptr(addr));
      continue;
    }
    const bytes = c.mem.read(addr, size);
    if (!bytes) {
      out.push(V.unavailable(addr));
      continue;
    }
    out.push(fdSetV(setBits(bytes, nfds).map((j) => fdV(c, j))));
  }
  out.push(timeout(c, c.args.u(4)));
  return out;
}

/** The `(in [3], out [4], left {…})` result of select/pselect6. */
function selectResult(c: SyscallCall, left: (v: DataView) => string): Value {
  let ready = c.rval;
  if (ready === 0) return V.int(0, "0 (Timeout)");
  const nfds = selectNfds(c);
  const size = fdsetSize(nfds);
  let out = "";
  let sep = "";
  const names = ["in", "out", "except"];
  for (let i = 0; i < 3 && ready > 0; i++) {
    let first = true;
    const addr = c.args.u(i + 1);
    const bytes = addr && size > 0 ? c.mem.read(addr, size) : null;
    if (!bytes) continue;
    for (const j of setBits(bytes, nfds)) {
      if (out.length < OUTSTR - 25) {
        if (first) {
          out += `${sep}${names[i]} [${j}`;
          first = false;
          sep = ", ";
        } else {
          out += ` ${j}`;
        }
      }
      if (--ready === 0) break;
    }
    // strace closes the bracket whenever anything was printed so far, even for an empty set.
    if (out !== "") out += "]";
  }
  const tv = c.args.u(4);
  if (tv) {
    const str = fetch(c, tv, 16, left);
    if (out.length + 6 + sep.length + str.length < OUTSTR) out += `${sep}left ${str}`;
  }
  return V.int(c.rval, `${c.rval} (${out})`);
}

/** pselect6's `{sigmask=[…], sigsetsize=8}` argument. */
function kernelSigset(c: SyscallCall, addr: number): Value {
  return structV(c, addr, 16, (v) =>
    V.struct([
      ["sigmask", sigsetV(c, u64At(v, 0), u64At(v, 8))],
      ["sigsetsize", V.uint(v.getBigUint64(8, true))],
    ]));
}

/** signalfd/signalfd4: `fd, mask, sizemask[, flags]`, all at entry. */
function signalfd(withFlags: boolean): SyscallDecoder {
  return {
    enter: (c) => {
      const out = [
        fdV(c, c.args.i(0)),
        sigsetV(c, c.args.u(1), c.args.u(2)),
        V.uint(c.args.big(2)),
      ];
      if (withFlags) out.push(V.flags(sfdFlags, c.args.ui(3), c.opts.xlat, "SFD_???"));
      return out;
    },
    result: fdResult,
  };
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  epoll_create: { enter: (c) => [V.int(c.args.i(0))], result: fdResult },
  epoll_create1: {
    enter: (c) => [V.flags(epollFlags, c.args.ui(0), c.opts.xlat, "EPOLL_???")],
    result: fdResult,
  },
  epoll_ctl: {
    enter: (c) => {
      const op = c.args.ui(1);
      const addr = c.args.u(3);
      const ev = op === 2
        ? V.ptr(addr)
        : structV(c, addr, EPOLL_EVENT_SIZE, (v) => epollEventV(c, v));
      return [
        fdV(c, c.args.i(0)),
        V.xval(epollCtls, op, c.opts.xlat, "EPOLL_CTL_???"),
        fdV(c, c.args.i(2)),
        ev,
      ];
    },
  },
  epoll_wait: epollWait((c) => V.int(c.args.i(3)), false),
  epoll_pwait: epollWait((c) => V.int(c.args.i(3)), true),
  epoll_pwait2: epollWait((c) => timespecArg(c, c.args.u(3)), true),
  poll: {
    enter: (c) => [...pollEnter(c), V.int(c.args.i(2))],
    result: (c) => pollResult(c, 0),
  },
  ppoll: {
    enter: (c) => [
      ...pollEnter(c),
      timespecArg(c, c.args.u(2)),
      sigsetV(c, c.args.u(3), c.args.u(4)),
      V.uint(c.args.big(4)),
    ],
    result: (c) => pollResult(c, c.args.u(2)),
  },
  select: {
    enter: (c) => selectEnter(c, (c, a) => onSuccessV(c, a, () => timevalV(c, a))),
    result: (c) => selectResult(c, (v) => tvText(v)),
  },
  pselect6: {
    enter: (c) => [...selectEnter(c, timespecArg), kernelSigset(c, c.args.u(5))],
    result: (c) => selectResult(c, (v) => tsText(v)),
  },
  eventfd: { enter: (c) => [V.uint(c.args.ui(0))], result: fdResult },
  eventfd2: {
    enter: (c) => [V.uint(c.args.ui(0)), V.flags(efdFlags, c.args.ui(1), c.opts.xlat, "EFD_???")],
    result: fdResult,
  },
  signalfd: signalfd(false),
  signalfd4: signalfd(true),
  timerfd_create: {
    enter: (c) => [
      V.xval(clockNames, c.args.ui(0), c.opts.xlat, "CLOCK_???"),
      V.flags(timerfdFlags, c.args.ui(1), c.opts.xlat, "TFD_???"),
    ],
    result: fdResult,
  },
  timerfd_settime: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      V.flags(timerfdFlags, c.args.ui(1), c.opts.xlat, "TFD_???"),
      itimerspecArg(c, c.args.u(2)),
    ],
    exit: (c) => [itimerspecArg(c, c.args.u(3))],
  },
  timerfd_gettime: {
    enter: (c) => [fdV(c, c.args.i(0))],
    exit: (c) => [itimerspecArg(c, c.args.u(1))],
  },
};
