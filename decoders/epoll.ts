/**
 * Decoders for descriptor multiplexing and event descriptors: epoll_create, epoll_create1,
 * epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2, poll, ppoll, select, pselect6, eventfd,
 * eventfd2, signalfd, signalfd4, timerfd_create, timerfd_settime and timerfd_gettime, printed as
 * strace 6.1 prints them (including the `= 1 ([{fd=3, revents=POLLIN}])` and
 * `= 1 (in [3], left {…})` result suffixes).
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder } from "./api.ts";
import { failed, fd, noDeref, ptrText } from "./format.ts";
import { flags, xval } from "./xlat.ts";
import {
  clockName,
  fetch,
  printArray,
  printItimerspec,
  printSigsetAddrLen,
  printTimespec,
  printTimeval,
  tsText,
  tvText,
} from "./time.ts";
import { efdFlags, epollCtls, epollEvents, epollFlags, pollFlags, sfdFlags } from "./xlat/epoll.ts";
import { timerfdFlags } from "./xlat/time.ts";
import { u64At } from "./u64.ts";

/** Prints a successful result as a descriptor (strace's `RVAL_FD`), for `-y`. */
const fdResult = (c: SyscallCall): string => fd(c, c.rval);

/** The size of the (packed) x86_64 `struct epoll_event`. */
const EPOLL_EVENT_SIZE = 12;

/** Prints one `struct epoll_event`. */
function epollEventText(c: SyscallCall, v: DataView): string {
  const events = flags(epollEvents, v.getUint32(0, true), c.opts.xlat, "EPOLL???");
  return `{events=${events}, data={u32=${v.getUint32(4, true)}, u64=${v.getBigUint64(4, true)}}}`;
}

/** The events array of epoll_wait & co., printed at exit. */
function epollEventArray(c: SyscallCall): string {
  const addr = c.args.u(1);
  if (failed(c)) return ptrText(addr);
  return printArray(c, addr, c.rval, EPOLL_EVENT_SIZE, (v) => epollEventText(c, v));
}

/** epoll_wait/epoll_pwait/epoll_pwait2: `epfd, ` at entry, the rest at exit. */
function epollWait(timeout: (c: SyscallCall) => string, sigmask: boolean): SyscallDecoder {
  return {
    enter: (c) => `${fd(c, c.args.i(0))}, `,
    exit: (c) => {
      let s = `${epollEventArray(c)}, ${c.args.i(2)}, ${timeout(c)}`;
      if (sigmask) {
        s += `, ${printSigsetAddrLen(c, c.args.u(4), c.args.u(5))}, ${c.args.big(5)}`;
      }
      return s;
    },
  };
}

/** Prints the `struct pollfd` array of poll/ppoll at entry, and `nfds, `. */
function pollEnter(c: SyscallCall): string {
  const nfds = c.args.ui(1);
  const fds = printArray(c, c.args.u(0), nfds, 8, (v) => {
    const n = v.getInt32(0, true);
    if (n < 0) return `{fd=${fd(c, n)}}`;
    return `{fd=${fd(c, n)}, events=${
      flags(pollFlags, v.getUint16(4, true), c.opts.xlat, "POLL???")
    }}`;
  });
  return `${fds}, ${nfds}, `;
}

/** strace's output buffer for result suffixes. */
const OUTSTR = 1024;

/** The `([{fd=3, revents=POLLIN}], left {…})` result of poll/ppoll. */
function pollResult(c: SyscallCall, pts: number): string | undefined {
  if (c.rval === 0) return "0 (Timeout)";
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
  return out === "" ? undefined : `${c.rval} (${out})`;
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

/** select/pselect6 at entry: `nfds, [in], [out], [except], timeout`. */
function selectEnter(c: SyscallCall, timeout: (c: SyscallCall, addr: number) => string): string {
  const nfds = selectNfds(c);
  const size = fdsetSize(nfds);
  let s = String(c.args.i(0));
  for (let i = 0; i < 3; i++) {
    const addr = c.args.u(i + 1);
    s += ", ";
    if (size <= 0 || !addr || noDeref(c)) {
      s += ptrText(addr);
      continue;
    }
    const bytes = c.mem.read(addr, size);
    if (!bytes) {
      s += ptrText(addr);
      continue;
    }
    s += "[" + setBits(bytes, nfds).map((j) => fd(c, j)).join(" ") + "]";
  }
  return s + ", " + timeout(c, c.args.u(4));
}

/** The `(in [3], out [4], left {…})` result of select/pselect6. */
function selectResult(c: SyscallCall, left: (v: DataView) => string): string {
  let ready = c.rval;
  if (ready === 0) return "0 (Timeout)";
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
  return `${c.rval} (${out})`;
}

/** Prints pselect6's `{sigmask=[…], sigsetsize=8}` argument. */
function kernelSigset(c: SyscallCall, addr: number): string {
  return fetch(c, addr, 16, (v) => {
    const p = u64At(v, 0);
    const len = u64At(v, 8);
    return `{sigmask=${printSigsetAddrLen(c, p, len)}, sigsetsize=${v.getBigUint64(8, true)}}`;
  });
}

/** signalfd/signalfd4: `fd, mask, sizemask[, flags]`, all at entry. */
function signalfd(withFlags: boolean): SyscallDecoder {
  return {
    enter: (c) => {
      let s = `${fd(c, c.args.i(0))}, ${printSigsetAddrLen(c, c.args.u(1), c.args.u(2))}, ${
        c.args.big(2)
      }`;
      if (withFlags) s += `, ${flags(sfdFlags, c.args.ui(3), c.opts.xlat, "SFD_???")}`;
      return s;
    },
    result: fdResult,
  };
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  epoll_create: { enter: (c) => String(c.args.i(0)), result: fdResult },
  epoll_create1: {
    enter: (c) => flags(epollFlags, c.args.ui(0), c.opts.xlat, "EPOLL_???"),
    result: fdResult,
  },
  epoll_ctl: {
    enter: (c) => {
      const op = c.args.ui(1);
      const ev = op === 2 ? ptrText(c.args.u(3)) : fetch(
        c,
        c.args.u(3),
        EPOLL_EVENT_SIZE,
        (v) => epollEventText(c, v),
      );
      return `${fd(c, c.args.i(0))}, ${xval(epollCtls, op, c.opts.xlat, "EPOLL_CTL_???")}, ${
        fd(c, c.args.i(2))
      }, ${ev}`;
    },
  },
  epoll_wait: epollWait((c) => String(c.args.i(3)), false),
  epoll_pwait: epollWait((c) => String(c.args.i(3)), true),
  epoll_pwait2: epollWait((c) => printTimespec(c, c.args.u(3)), true),
  poll: {
    enter: (c) => pollEnter(c) + String(c.args.i(2)),
    result: (c) => pollResult(c, 0),
  },
  ppoll: {
    enter: (c) =>
      pollEnter(c) +
      `${printTimespec(c, c.args.u(2))}, ${printSigsetAddrLen(c, c.args.u(3), c.args.u(4))}, ${
        c.args.big(4)
      }`,
    result: (c) => pollResult(c, c.args.u(2)),
  },
  select: {
    enter: (c) => selectEnter(c, (c, a) => printTimeval(c, a)),
    result: (c) => selectResult(c, (v) => tvText(v)),
  },
  pselect6: {
    enter: (c) =>
      selectEnter(c, (c, a) => printTimespec(c, a)) + ", " + kernelSigset(c, c.args.u(5)),
    result: (c) => selectResult(c, (v) => tsText(v)),
  },
  eventfd: { enter: (c) => String(c.args.ui(0)), result: fdResult },
  eventfd2: {
    enter: (c) => `${c.args.ui(0)}, ${flags(efdFlags, c.args.ui(1), c.opts.xlat, "EFD_???")}`,
    result: fdResult,
  },
  signalfd: signalfd(false),
  signalfd4: signalfd(true),
  timerfd_create: {
    enter: (c) =>
      `${clockName(c, 0)}, ${flags(timerfdFlags, c.args.ui(1), c.opts.xlat, "TFD_???")}`,
    result: fdResult,
  },
  timerfd_settime: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${flags(timerfdFlags, c.args.ui(1), c.opts.xlat, "TFD_???")}, ${
        printItimerspec(c, c.args.u(2))
      }, `,
    exit: (c) => printItimerspec(c, c.args.u(3)),
  },
  timerfd_gettime: {
    enter: (c) => `${fd(c, c.args.i(0))}, `,
    exit: (c) => printItimerspec(c, c.args.u(1)),
  },
};
