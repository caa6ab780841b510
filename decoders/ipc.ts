/**
 * Decoders for inter-process communication: pipe, pipe2, SysV shared memory (shmget, shmat,
 * shmdt, shmctl), semaphores (semget, semop, semtimedop, semctl), message queues (msgget,
 * msgsnd, msgrcv, msgctl) and POSIX message queues (mq_open, mq_unlink, mq_timedsend,
 * mq_timedreceive, mq_notify, mq_getsetattr), printed as strace 6.1 prints them.
 * @module
 */
import type { DecoderTable, SyscallCall, SyscallDecoder, XlatStyle } from "./api.ts";
import {
  arrayV,
  failed,
  fdV,
  onSuccessV,
  pathArgV,
  ptrV,
  strnV,
  structV,
  timespecV,
} from "./format.ts";
import { flags, hex } from "./xlat.ts";
import { flagsNoDefault } from "./mm.ts";
import { printSigevent } from "./time.ts";
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
import { u64At } from "./u64.ts";
import { decoded, flagParts, V, type Value } from "./value.ts";

/** `IPC_64`, the flag of the 64-bit ipc ctl commands. */
const IPC_64 = 0x100;
/** `IPC_SET`. */
const IPC_SET = 1;

/** Prints open flags as strace's `tprint_open_modes`: `O_RDWR|O_CREAT`. */
function openModesText(value: number, style: XlatStyle): string {
  if (style === "raw") return hex(value);
  let s = openAccessModes.byValue.get(value & 3)!;
  const rest = value - (value & 3);
  if (rest) s += "|" + flags(openModeFlags, rest, "abbrev");
  return style === "verbose" ? `${hex(value)} /* ${s} */` : s;
}

/** Open flags as strace's `tprint_open_modes`: the access mode's name, then the flag bits. */
function openModesV(value: number, style: XlatStyle): Value {
  const { names, rest } = flagParts(openModeFlags, value - (value & 3));
  return V.flagsOf(
    [openAccessModes.byValue.get(value & 3)!, ...names],
    rest,
    value,
    openModesText(value, style),
  );
}

/** A uid/gid as strace's `printuid`: `-1` or the unsigned value. */
function id(v: number): Value {
  return v === 0xffffffff ? V.int(-1) : V.uint(v);
}

/** A `[name, value]` list of struct fields. */
type Fields = [string, Value][];

/** `struct ipc64_perm` (uid, gid, mode, and unless IPC_SET key, cuid, cgid). */
function ipcPerm(v: DataView, cmd: number): Value {
  const f: Fields = [
    ["uid", id(v.getUint32(4, true))],
    ["gid", id(v.getUint32(8, true))],
    ["mode", V.octal(v.getUint16(20, true))],
  ];
  if (cmd !== IPC_SET) {
    f.push(
      ["key", V.uint(v.getUint32(0, true))],
      ["cuid", id(v.getUint32(12, true))],
      ["cgid", id(v.getUint32(16, true))],
    );
  }
  return V.struct(f);
}

/** The key of *get calls: `IPC_PRIVATE` or hex. */
function ipcKey(c: SyscallCall): Value {
  return V.xval(ipcPrivate, c.args.ui(0), c.opts.xlat);
}

/**
 * `flags|mode` of semget/msgget/shmget: the flag names, then `N<<SHM_HUGE_SHIFT` and the octal
 * mode as further elements of the set (`["IPC_CREAT", "0600"]` in JSON).
 */
function modeFlags(table: Xlat, all: number, f: number, extra: string[], text: string): Value {
  const { names, rest } = flagParts(table, f);
  return V.flagsOf([...names, ...extra, V.octal(all & 0o777).text], rest, all, text);
}

/** `flags|mode` of semget/msgget. */
function resourceMode(c: SyscallCall, n: number): Value {
  const v = c.args.ui(n);
  const f = (v & ~0o777) >>> 0;
  const mode = V.octal(v & 0o777).text;
  if (!f) return modeFlags(resourceFlags, v, 0, [], mode);
  // strace adds the `|` only when printflags named a bit (or printed raw): `0x100000644`.
  const named = resourceFlags.entries.some(([, x]) => x && (f & x) === x);
  const text = flags(resourceFlags, f, c.opts.xlat) +
    (named || c.opts.xlat === "raw" ? "|" : "") + mode;
  return modeFlags(resourceFlags, v, f, [], text);
}

/** A ctl command as strace's `PRINTCTL`: `IPC_64|IPC_STAT`. */
function ctlCmd(c: SyscallCall, n: number, table: Xlat, dflt: string): Value {
  const v = c.args.ui(n);
  const e = V.xval(table, v & ~IPC_64, c.opts.xlat, dflt);
  if (!(v & IPC_64)) return e;
  return V.flagsOf(
    e.name === undefined ? ["IPC_64"] : ["IPC_64", e.name],
    e.name === undefined ? v & ~IPC_64 : 0,
    v,
    "IPC_64|" + e.text,
  );
}

const u64s = (v: DataView, off: number): Value => V.uint(v.getBigUint64(off, true));

/** A struct at `addr` as strace's `fetch` prints it: the address when the call failed at exit. */
function fetchV(
  c: SyscallCall,
  addr: number,
  size: number,
  print: (v: DataView) => Value,
): Value {
  return onSuccessV(c, addr, () => structV(c, addr, size, print));
}

/** `struct shmid64_ds`. */
function shmidDs(c: SyscallCall, addr: number, cmd: number): Value {
  return fetchV(c, addr, 112, (v) => {
    if (cmd === IPC_SET) return V.struct([["shm_perm", ipcPerm(v, cmd)]]);
    return V.struct([
      ["shm_perm", ipcPerm(v, cmd)],
      ["shm_segsz", u64s(v, 48)],
      ["shm_cpid", V.int(v.getInt32(80, true))],
      ["shm_lpid", V.int(v.getInt32(84, true))],
      ["shm_nattch", u64s(v, 88)],
      ["shm_atime", u64s(v, 56)],
      ["shm_dtime", u64s(v, 64)],
      ["shm_ctime", u64s(v, 72)],
    ]);
  });
}

/** `struct semid64_ds`. */
function semidDs(c: SyscallCall, addr: number, cmd: number): Value {
  return fetchV(c, addr, 104, (v) => {
    if (cmd === IPC_SET) return V.struct([["sem_perm", ipcPerm(v, cmd)]]);
    return V.struct([
      ["sem_perm", ipcPerm(v, cmd)],
      ["sem_otime", u64s(v, 48)],
      ["sem_ctime", u64s(v, 64)],
      ["sem_nsems", u64s(v, 80)],
    ]);
  });
}

/** `struct msqid64_ds`. */
function msqidDs(c: SyscallCall, addr: number, cmd: number): Value {
  return fetchV(c, addr, 120, (v) => {
    if (cmd === IPC_SET) {
      return V.struct([["msg_perm", ipcPerm(v, cmd)], ["msg_qbytes", u64s(v, 88)]]);
    }
    return V.struct([
      ["msg_perm", ipcPerm(v, cmd)],
      ["msg_stime", u64s(v, 48)],
      ["msg_rtime", u64s(v, 56)],
      ["msg_ctime", u64s(v, 64)],
      ["msg_qnum", u64s(v, 80)],
      ["msg_qbytes", u64s(v, 88)],
      ["msg_lspid", V.int(v.getInt32(96, true))],
      ["msg_lrpid", V.int(v.getInt32(100, true))],
    ]);
  });
}

/**
 * A `ctl` decoder: the head and the command at entry; the buffer at exit for commands whose
 * buffer the kernel fills (`atExit`); for the others the whole call at entry (`IPC_SET`'s
 * struct, or the address), as strace's `RVAL_DECODED`.
 */
function ctl(
  argCmd: number,
  argBuf: number,
  table: Xlat,
  dflt: string,
  head: (c: SyscallCall) => Value[],
  atExit: Record<number, (c: SyscallCall, addr: number, cmd: number) => Value>,
  atSet: (c: SyscallCall, addr: number, cmd: number) => Value,
): SyscallDecoder {
  return {
    enter: (c) => {
      const cmd = c.args.ui(argCmd) & ~IPC_64;
      const args = [...head(c), ctlCmd(c, argCmd, table, dflt)];
      if (cmd in atExit) return args;
      // strace's `RVAL_DECODED`: the whole call at entry.
      const buf = cmd === IPC_SET ? atSet(c, c.args.u(argBuf), cmd) : ptrV(c, argBuf);
      return decoded([...args, buf]);
    },
    exit: (c) => {
      const cmd = c.args.ui(argCmd) & ~IPC_64;
      const print = atExit[cmd];
      return print ? [print(c, c.args.u(argBuf), cmd)] : [];
    },
  };
}

/** A `struct msgbuf` of `count` text bytes. */
function msgbuf(c: SyscallCall, addr: number, count: number): Value {
  return fetchV(c, addr, 16, (v) =>
    V.struct([
      ["mtype", V.int(v.getBigInt64(0, true))],
      ["mtext", strnV(c, addr + 8, count)],
    ]));
}

/** A `struct sembuf` array and its count. */
function sembufs(c: SyscallCall, addr: number, count: number): Value[] {
  const a = arrayV(c, addr, count, 6, (v) =>
    V.struct([
      ["sem_num", V.uint(v.getUint16(0, true))],
      ["sem_op", V.int(v.getInt16(2, true))],
      ["sem_flg", V.flags(semopFlags, v.getUint16(4, true), c.opts.xlat, "SEM_???")],
    ]));
  return [a, V.uint(count)];
}

/** A `struct mq_attr`, its flags decoded or in hex. */
function mqAttr(c: SyscallCall, addr: number, decodeFlags: boolean): Value {
  return fetchV(c, addr, 64, (v) =>
    V.struct([
      [
        "mq_flags",
        decodeFlags ? V.flags(mqAttrFlags, u64At(v, 0), c.opts.xlat, "O_???") : V.hex(u64At(v, 0)),
      ],
      ["mq_maxmsg", V.int(v.getBigInt64(8, true))],
      ["mq_msgsize", V.int(v.getBigInt64(16, true))],
      ["mq_curmsgs", V.int(v.getBigInt64(24, true))],
    ]));
}

/** pipe/pipe2: the descriptor pair at exit. */
function pipePair(c: SyscallCall): Value {
  const addr = c.args.u(0);
  if (failed(c)) return V.ptr(addr);
  return arrayV(c, addr, 2, 4, (v) => fdV(c, v.getInt32(0, true)));
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  pipe: { exit: (c) => [pipePair(c)] },
  pipe2: {
    exit: (c) => [pipePair(c), V.flags(openModeFlags, c.args.ui(1), c.opts.xlat, "O_???")],
  },
  shmget: {
    enter: (c) => {
      const all = c.args.ui(2);
      let f = all & ~0o777;
      const hugeMask = 0x3f * 2 ** 26;
      const huge = (f & hugeMask) >>> 0;
      f = (f & ~hugeMask) >>> 0;
      let s = "";
      if (f || !huge) s += flagsNoDefault(shmResourceFlags, f, c.opts.xlat);
      const extra: string[] = [];
      if (huge) {
        const shift = c.opts.xlat === "raw"
          ? "26"
          : c.opts.xlat === "verbose"
          ? "26 /* SHM_HUGE_SHIFT */"
          : "SHM_HUGE_SHIFT";
        extra.push(`${huge / 2 ** 26}<<${shift}`);
        s += (f ? "|" : "") + extra[0];
      }
      if (f || huge) s += "|";
      s += V.octal(all & 0o777).text;
      return [ipcKey(c), V.uint(c.args.big(1)), modeFlags(shmResourceFlags, all, f, extra, s)];
    },
  },
  shmat: {
    enter: (c) => [
      V.int(c.args.i(0)),
      ptrV(c, 1),
      V.flags(shmFlags, c.args.ui(2), c.opts.xlat, "SHM_???"),
    ],
    result: (c) => V.hex(BigInt.asUintN(64, c.rvalBig)),
  },
  shmdt: { enter: (c) => [ptrV(c, 0)] },
  shmctl: ctl(1, 2, shmctlCmds, "SHM_???", (c) => [V.int(c.args.i(0))], {
    2: shmidDs,
    13: shmidDs,
    15: shmidDs,
    3: (c, a) =>
      fetchV(c, a, 72, (v) =>
        V.struct([
          ["shmmax", u64s(v, 0)],
          ["shmmin", u64s(v, 8)],
          ["shmmni", u64s(v, 16)],
          ["shmseg", u64s(v, 24)],
          ["shmall", u64s(v, 32)],
        ])),
    14: (c, a) =>
      fetchV(c, a, 48, (v) =>
        V.struct([
          ["used_ids", V.int(v.getInt32(0, true))],
          ["shm_tot", u64s(v, 8)],
          ["shm_rss", u64s(v, 16)],
          ["shm_swp", u64s(v, 24)],
          ["swap_attempts", u64s(v, 32)],
          ["swap_successes", u64s(v, 40)],
        ])),
  }, shmidDs),
  semget: {
    enter: (c) => [ipcKey(c), V.int(c.args.i(1)), resourceMode(c, 2)],
  },
  semop: {
    enter: (c) => [V.int(c.args.i(0)), ...sembufs(c, c.args.u(1), c.args.ui(2))],
  },
  semtimedop: {
    enter: (c) => [
      V.int(c.args.i(0)),
      ...sembufs(c, c.args.u(1), c.args.ui(2)),
      timespecV(c, c.args.u(3)),
    ],
  },
  semctl: ctl(2, 3, semctlCmds, "SEM_???", (c) => [V.int(c.args.i(0)), V.int(c.args.i(1))], {
    2: semidDs,
    18: semidDs,
    20: semidDs,
    3: seminfo,
    19: seminfo,
  }, semidDs),
  msgget: {
    enter: (c) => [ipcKey(c), resourceMode(c, 1)],
  },
  msgsnd: {
    enter: (c) => [
      V.int(c.args.i(0)),
      msgbuf(c, c.args.u(1), c.args.u(2)),
      V.uint(c.args.big(2)),
      V.flags(ipcMsgFlags, c.args.ui(3), c.opts.xlat, "MSG_???"),
    ],
  },
  msgrcv: {
    enter: (c) => [V.int(c.args.i(0))],
    exit: (c) => [
      msgbuf(c, c.args.u(1), c.args.u(2)),
      V.uint(c.args.big(2)),
      V.int(c.args.s(3)),
      V.flags(ipcMsgFlags, c.args.ui(4), c.opts.xlat, "MSG_???"),
    ],
  },
  msgctl: ctl(1, 2, msgctlCmds, "MSG_???", (c) => [V.int(c.args.i(0))], {
    2: msqidDs,
    11: msqidDs,
    13: msqidDs,
    3: msginfo,
    12: msginfo,
  }, msqidDs),
  mq_open: {
    enter: (c) => {
      const f = c.args.ui(1);
      const out = [pathArgV(c, 0), openModesV(f, c.opts.xlat)];
      if (f & 0o100) out.push(V.octal(c.args.ui(2) & 0xffff), mqAttr(c, c.args.u(3), false));
      return out;
    },
    result: (c) => fdV(c, c.rval),
  },
  mq_unlink: { enter: (c) => [pathArgV(c, 0)] },
  mq_timedsend: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      strnV(c, c.args.u(1), c.args.u(2)),
      V.uint(c.args.big(2)),
      V.uint(c.args.ui(3)),
      timespecV(c, c.args.u(4)),
    ],
  },
  mq_timedreceive: {
    enter: (c) => [fdV(c, c.args.i(0))],
    exit: (c) => {
      const msg = failed(c) ? V.ptr(c.args.u(1)) : strnV(c, c.args.u(1), c.rval);
      const prio = fetchV(c, c.args.u(3), 4, (v) => V.array([V.uint(v.getUint32(0, true))]));
      return [msg, V.uint(c.args.big(2)), prio, timespecV(c, c.args.u(4))];
    },
  },
  // The sigevent stays text (V.raw): its printer is the time family's.
  mq_notify: {
    enter: (c) => [fdV(c, c.args.i(0)), V.raw(printSigevent(c, c.args.u(1)))],
  },
  mq_getsetattr: {
    enter: (c) => [fdV(c, c.args.i(0)), mqAttr(c, c.args.u(1), true)],
    exit: (c) => [mqAttr(c, c.args.u(2), true)],
  },
};

/** `struct seminfo`. */
function seminfo(c: SyscallCall, addr: number): Value {
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
  return fetchV(
    c,
    addr,
    40,
    (v) => V.struct(names.map((n, i) => [n, V.int(v.getInt32(i * 4, true))])),
  );
}

/** `struct msginfo`. */
function msginfo(c: SyscallCall, addr: number): Value {
  const names = ["msgpool", "msgmap", "msgmax", "msgmnb", "msgmni", "msgssz", "msgtql"];
  return fetchV(c, addr, 32, (v) =>
    V.struct([
      ...names.map((n, i): [string, Value] => [n, V.int(v.getInt32(i * 4, true))]),
      ["msgseg", V.uint(v.getUint16(28, true))],
    ]));
}
