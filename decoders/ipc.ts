/**
 * Decoders for inter-process communication: pipe, pipe2, SysV shared memory (shmget, shmat,
 * shmdt, shmctl), semaphores (semget, semop, semtimedop, semctl), message queues (msgget,
 * msgsnd, msgrcv, msgctl) and POSIX message queues (mq_open, mq_unlink, mq_timedsend,
 * mq_timedreceive, mq_notify, mq_getsetattr), printed as strace 6.1 prints them.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import { failed, fd, pathArg, ptr, ptrText, strn } from "./format.ts";
import { flags, hex, xval } from "./xlat.ts";
import { flagsNoDefault, hexResult, udec } from "./mm.ts";
import { fetch, printArray, printSigevent, printTimespec } from "./time.ts";
import {
  ipcMsgFlags,
  ipcPrivate,
  mqAttrFlags,
  msgctlCmds,
  openAccessModes,
  openModeFlags,
  resourceFlags,
  semctlCmds,
  semopFlags,
  shmctlCmds,
  shmFlags,
  shmResourceFlags,
} from "./xlat/ipc.ts";
import type { Xlat } from "./xlat.ts";
import { sText, u64At } from "./u64.ts";

/** `IPC_64`, the flag of the 64-bit ipc ctl commands. */
const IPC_64 = 0x100;
/** `IPC_SET`. */
const IPC_SET = 1;

/** `%#03o`, as strace prints ipc permission modes: `0600`, `000`. */
export function mode03o(v: number): string {
  return ("0" + v.toString(8)).padStart(3, "0");
}

/** Prints open flags as strace's `tprint_open_modes`: `O_RDWR|O_CREAT`. */
export function openModes(value: number, style: XlatStyle): string {
  if (style === "raw") return hex(value);
  let s = openAccessModes.byValue.get(value & 3)!;
  const rest = value - (value & 3);
  if (rest) s += "|" + flags(openModeFlags, rest, "abbrev");
  return style === "verbose" ? `${hex(value)} /* ${s} */` : s;
}

/** Prints a uid/gid as strace's `printuid`: `-1` or the unsigned value. */
function id(v: number): string {
  return v === 0xffffffff ? "-1" : String(v);
}

/** Prints `struct ipc64_perm` (uid, gid, mode, and unless IPC_SET key, cuid, cgid). */
function ipcPerm(v: DataView, cmd: number): string {
  let s = `{uid=${id(v.getUint32(4, true))}, gid=${id(v.getUint32(8, true))}, mode=${
    mode03o(v.getUint16(20, true))
  }`;
  if (cmd !== IPC_SET) {
    s += `, key=${v.getUint32(0, true)}, cuid=${id(v.getUint32(12, true))}, cgid=${
      id(v.getUint32(16, true))
    }`;
  }
  return s + "}";
}

/** The key of *get calls: `IPC_PRIVATE` or hex. */
function ipcKey(c: SyscallCall): string {
  return xval(ipcPrivate, c.args.ui(0), c.opts.xlat);
}

/** `flags|mode` of semget/msgget. */
function resourceMode(c: SyscallCall, n: number): string {
  const v = c.args.ui(n);
  const f = (v & ~0o777) >>> 0;
  const mode = mode03o(v & 0o777);
  if (!f) return mode;
  // strace adds the `|` only when printflags named a bit (or printed raw): `0x100000644`.
  const named = resourceFlags.entries.some(([, x]) => x && (f & x) === x);
  return flags(resourceFlags, f, c.opts.xlat) + (named || c.opts.xlat === "raw" ? "|" : "") +
    mode;
}

/** Prints a ctl command as strace's `PRINTCTL`: `IPC_64|IPC_STAT`. */
function ctlCmd(c: SyscallCall, n: number, table: Xlat, dflt: string): string {
  const v = c.args.ui(n);
  const pre = v & IPC_64 ? "IPC_64|" : "";
  return pre + xval(table, v & ~IPC_64, c.opts.xlat, dflt);
}

const u64s = (v: DataView, off: number): string => String(v.getBigUint64(off, true));

/** `struct shmid64_ds`. */
function shmidDs(c: SyscallCall, addr: number, cmd: number): string {
  return fetch(c, addr, 112, (v) => {
    if (cmd === IPC_SET) return `{shm_perm=${ipcPerm(v, cmd)}}`;
    return `{shm_perm=${ipcPerm(v, cmd)}, shm_segsz=${u64s(v, 48)}, shm_cpid=${
      v.getInt32(80, true)
    }, shm_lpid=${v.getInt32(84, true)}, shm_nattch=${u64s(v, 88)}, shm_atime=${
      u64s(v, 56)
    }, shm_dtime=${u64s(v, 64)}, shm_ctime=${u64s(v, 72)}}`;
  });
}

/** `struct semid64_ds`. */
function semidDs(c: SyscallCall, addr: number, cmd: number): string {
  return fetch(c, addr, 104, (v) => {
    if (cmd === IPC_SET) return `{sem_perm=${ipcPerm(v, cmd)}}`;
    return `{sem_perm=${ipcPerm(v, cmd)}, sem_otime=${u64s(v, 48)}, sem_ctime=${
      u64s(v, 64)
    }, sem_nsems=${u64s(v, 80)}}`;
  });
}

/** `struct msqid64_ds`. */
function msqidDs(c: SyscallCall, addr: number, cmd: number): string {
  return fetch(c, addr, 120, (v) => {
    if (cmd === IPC_SET) return `{msg_perm=${ipcPerm(v, cmd)}, msg_qbytes=${u64s(v, 88)}}`;
    return `{msg_perm=${ipcPerm(v, cmd)}, msg_stime=${u64s(v, 48)}, msg_rtime=${
      u64s(v, 56)
    }, msg_ctime=${u64s(v, 64)}, msg_qnum=${u64s(v, 80)}, msg_qbytes=${u64s(v, 88)}, msg_lspid=${
      v.getInt32(96, true)
    }, msg_lrpid=${v.getInt32(100, true)}}`;
  });
}

/** Prints named fields of a struct: `[name, text]` pairs. */
const fields = (f: [string, string | number | bigint][]): string =>
  "{" + f.map(([k, x]) => `${k}=${x}`).join(", ") + "}";

/** A `ctl` decoder: which commands are printed at entry, at exit, or as a bare address. */
function ctl(
  argCmd: number,
  argBuf: number,
  table: Xlat,
  dflt: string,
  head: (c: SyscallCall) => string,
  atExit: Record<number, (c: SyscallCall, addr: number, cmd: number) => string>,
  atSet: (c: SyscallCall, addr: number, cmd: number) => string,
): SyscallDecoder {
  return {
    enter: (c) => {
      const cmd = c.args.ui(argCmd) & ~IPC_64;
      let s = `${head(c)}${ctlCmd(c, argCmd, table, dflt)}, `;
      if (cmd === IPC_SET) s += atSet(c, c.args.u(argBuf), cmd);
      else if (!(cmd in atExit)) s += ptrText(c.args.u(argBuf));
      return s;
    },
    exit: (c) => {
      const cmd = c.args.ui(argCmd) & ~IPC_64;
      const print = atExit[cmd];
      return print ? print(c, c.args.u(argBuf), cmd) : "";
    },
  };
}

/** Prints a `struct msgbuf` of `count` text bytes. */
function msgbuf(c: SyscallCall, addr: number, count: number): string {
  return fetch(
    c,
    addr,
    16,
    (v) => `{mtype=${v.getBigInt64(0, true)}, mtext=${strn(c, addr + 8, count)}}`,
  );
}

/** A `struct sembuf` array and its count. */
function sembufs(c: SyscallCall, addr: number, count: number): string {
  const a = printArray(c, addr, count, 6, (v) =>
    fields([
      ["sem_num", v.getUint16(0, true)],
      ["sem_op", v.getInt16(2, true)],
      ["sem_flg", flags(semopFlags, v.getUint16(4, true), c.opts.xlat, "SEM_???")],
    ]));
  return `${a}, ${count}`;
}

/** Prints a `struct mq_attr`, its flags decoded or in hex. */
function mqAttr(c: SyscallCall, addr: number, decodeFlags: boolean): string {
  return fetch(c, addr, 64, (v) => {
    const f = decodeFlags
      ? flags(mqAttrFlags, u64At(v, 0), c.opts.xlat, "O_???")
      : hex(u64At(v, 0));
    return `{mq_flags=${f}, mq_maxmsg=${v.getBigInt64(8, true)}, mq_msgsize=${
      v.getBigInt64(16, true)
    }, mq_curmsgs=${v.getBigInt64(24, true)}}`;
  });
}

/** pipe/pipe2: the descriptor pair at exit. */
function pipePair(c: SyscallCall): string {
  const addr = c.args.u(0);
  if (failed(c)) return ptrText(addr);
  return printArray(c, addr, 2, 4, (v) => fd(c, v.getInt32(0, true)));
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  pipe: { exit: pipePair },
  pipe2: {
    exit: (c) => `${pipePair(c)}, ${flags(openModeFlags, c.args.ui(1), c.opts.xlat, "O_???")}`,
  },
  shmget: {
    enter: (c) => {
      const all = c.args.ui(2);
      let f = all & ~0o777;
      const hugeMask = 0x3f * 2 ** 26;
      const huge = (f & hugeMask) >>> 0;
      f = (f & ~hugeMask) >>> 0;
      let s = `${ipcKey(c)}, ${udec(c, 1)}, `;
      if (f || !huge) s += flagsNoDefault(shmResourceFlags, f, c.opts.xlat);
      if (huge) {
        const shift = c.opts.xlat === "raw"
          ? "26"
          : c.opts.xlat === "verbose"
          ? "26 /* SHM_HUGE_SHIFT */"
          : "SHM_HUGE_SHIFT";
        s += (f ? "|" : "") + `${huge / 2 ** 26}<<${shift}`;
      }
      if (f || huge) s += "|";
      return s + mode03o(all & 0o777);
    },
  },
  shmat: {
    enter: (c) =>
      `${c.args.i(0)}, ${ptr(c, 1)}, ${flags(shmFlags, c.args.ui(2), c.opts.xlat, "SHM_???")}`,
    result: hexResult,
  },
  shmdt: { enter: (c) => ptr(c, 0) },
  shmctl: ctl(1, 2, shmctlCmds, "SHM_???", (c) => `${c.args.i(0)}, `, {
    2: shmidDs,
    13: shmidDs,
    15: shmidDs,
    3: (c, a) =>
      fetch(c, a, 72, (v) =>
        fields([
          ["shmmax", u64s(v, 0)],
          ["shmmin", u64s(v, 8)],
          ["shmmni", u64s(v, 16)],
          ["shmseg", u64s(v, 24)],
          ["shmall", u64s(v, 32)],
        ])),
    14: (c, a) =>
      fetch(c, a, 48, (v) =>
        fields([
          ["used_ids", v.getInt32(0, true)],
          ["shm_tot", u64s(v, 8)],
          ["shm_rss", u64s(v, 16)],
          ["shm_swp", u64s(v, 24)],
          ["swap_attempts", u64s(v, 32)],
          ["swap_successes", u64s(v, 40)],
        ])),
  }, shmidDs),
  semget: {
    enter: (c) => `${ipcKey(c)}, ${c.args.i(1)}, ${resourceMode(c, 2)}`,
  },
  semop: {
    enter: (c) => `${c.args.i(0)}, ${sembufs(c, c.args.u(1), c.args.ui(2))}`,
  },
  semtimedop: {
    enter: (c) =>
      `${c.args.i(0)}, ${sembufs(c, c.args.u(1), c.args.ui(2))}, ${printTimespec(c, c.args.u(3))}`,
  },
  semctl: ctl(2, 3, semctlCmds, "SEM_???", (c) => `${c.args.i(0)}, ${c.args.i(1)}, `, {
    2: semidDs,
    18: semidDs,
    20: semidDs,
    3: seminfo,
    19: seminfo,
  }, semidDs),
  msgget: {
    enter: (c) => `${ipcKey(c)}, ${resourceMode(c, 1)}`,
  },
  msgsnd: {
    enter: (c) =>
      `${c.args.i(0)}, ${msgbuf(c, c.args.u(1), c.args.u(2))}, ${udec(c, 2)}, ${
        flags(ipcMsgFlags, c.args.ui(3), c.opts.xlat, "MSG_???")
      }`,
  },
  msgrcv: {
    enter: (c) => `${c.args.i(0)}, `,
    exit: (c) =>
      `${msgbuf(c, c.args.u(1), c.args.u(2))}, ${udec(c, 2)}, ${sText(c.args.s(3))}, ${
        flags(ipcMsgFlags, c.args.ui(4), c.opts.xlat, "MSG_???")
      }`,
  },
  msgctl: ctl(1, 2, msgctlCmds, "MSG_???", (c) => `${c.args.i(0)}, `, {
    2: msqidDs,
    11: msqidDs,
    13: msqidDs,
    3: msginfo,
    12: msginfo,
  }, msqidDs),
  mq_open: {
    enter: (c) => {
      const f = c.args.ui(1);
      let s = `${pathArg(c, 0)}, ${openModes(f, c.opts.xlat)}`;
      if (f & 0o100) {
        s += `, ${mode03o(c.args.ui(2) & 0xffff)}, ${mqAttr(c, c.args.u(3), false)}`;
      }
      return s;
    },
    result: (c) => fd(c, c.rval),
  },
  mq_unlink: { enter: (c) => pathArg(c, 0) },
  mq_timedsend: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${strn(c, c.args.u(1), c.args.u(2))}, ${udec(c, 2)}, ${
        c.args.ui(3)
      }, ${printTimespec(c, c.args.u(4))}`,
  },
  mq_timedreceive: {
    enter: (c) => `${fd(c, c.args.i(0))}, `,
    exit: (c) => {
      const msg = failed(c) ? ptrText(c.args.u(1)) : strn(c, c.args.u(1), c.rval);
      const prio = fetch(c, c.args.u(3), 4, (v) => `[${v.getUint32(0, true)}]`);
      return `${msg}, ${udec(c, 2)}, ${prio}, ${printTimespec(c, c.args.u(4), true)}`;
    },
  },
  mq_notify: {
    enter: (c) => `${fd(c, c.args.i(0))}, ${printSigevent(c, c.args.u(1))}`,
  },
  mq_getsetattr: {
    enter: (c) => `${fd(c, c.args.i(0))}, ${mqAttr(c, c.args.u(1), true)}, `,
    exit: (c) => mqAttr(c, c.args.u(2), true),
  },
};

/** `struct seminfo`. */
function seminfo(c: SyscallCall, addr: number): string {
  const names = [
    "semmap",
    "semmni",
    "semmns",
    "semmnu",
    "semmsl",
    "semopm",
    "semume",
    "semusz",
    "semvmx",
    "semaem",
  ];
  return fetch(c, addr, 40, (v) => fields(names.map((n, i) => [n, v.getInt32(i * 4, true)])));
}

/** `struct msginfo`. */
function msginfo(c: SyscallCall, addr: number): string {
  const names = ["msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql"];
  return fetch(c, addr, 32, (v) =>
    fields([
      ...names.map((n, i): [string, number] => [n, v.getInt32(i * 4, true)]),
      ["msgseg", v.getUint16(28, true)],
    ]));
}
