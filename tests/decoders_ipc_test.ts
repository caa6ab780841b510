import assert from "node:assert/strict";
import { decoders } from "../decoders/ipc.ts";
import { callLine, fakeCall, type FakeCallOptions, FakeMemory } from "./helpers/fake_call.ts";
import { argsText, toJson, type Value } from "../decoders/value.ts";

/** Renders a call as strace prints it: `name(args) = result` (no column padding). */
const line = (o: FakeCallOptions & { name: string; ret: number }): string => callLine(decoders, o);

/** Builds bytes with a DataView writer. */
function bytes(n: number, fill: (v: DataView) => void): Uint8Array {
  const b = new Uint8Array(n);
  fill(new DataView(b.buffer));
  return b;
}

/** A struct ipc64_perm at the start of a view. */
function perm(v: DataView, mode: number): void {
  v.setUint16(20, mode, true);
}

Deno.test("pipe, pipe2", () => {
  const mem = new FakeMemory();
  mem.put(
    0x1000,
    bytes(8, (v) => {
      v.setInt32(0, 3, true);
      v.setInt32(4, 4, true);
    }),
  );
  assert.equal(line({ name: "pipe2", args: [0x1000, 0], mem, ret: 0 }), "pipe2([3, 4], 0) = 0");
  assert.equal(
    line({ name: "pipe2", args: [0x1000, 0o2004000], mem, ret: 0 }),
    "pipe2([3, 4], O_NONBLOCK|O_CLOEXEC) = 0",
  );
  assert.equal(line({ name: "pipe2", args: [0, 0], ret: -14 }), "pipe2(NULL, 0) = -1 errno=14");
  assert.equal(line({ name: "pipe", args: [0x1000], mem, ret: 0 }), "pipe([3, 4]) = 0");
  assert.equal(line({ name: "pipe", args: [8], mem, ret: -14 }), "pipe(0x8) = -1 errno=14");
  assert.equal(
    line({
      name: "pipe2",
      args: [0x1000, 0o2004000],
      mem,
      ret: 0,
      opts: { decodeFds: 1, xlat: "verbose" },
      fdPaths: { 3: "pipe:[36703]", 4: "pipe:[36703]" },
    }),
    "pipe2([3<pipe:[36703]>, 4<pipe:[36703]>], 0x80800 /* O_NONBLOCK|O_CLOEXEC */) = 0",
  );
});

Deno.test("shm*", () => {
  assert.equal(
    line({ name: "shmget", args: [0, 4096, 0o1600], ret: 0 }),
    "shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 0",
  );
  assert.equal(
    line({ name: "shmget", args: [0x1234, 4096, 0o600], ret: -2 }),
    "shmget(0x1234, 4096, 0600) = -1 errno=2",
  );
  assert.equal(
    line({ name: "shmget", args: [0, 4096, 0o7644 | (21 << 26)], ret: -12 }),
    "shmget(IPC_PRIVATE, 4096, IPC_CREAT|IPC_EXCL|SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0644) = -1 errno=12",
  );
  assert.equal(
    line({ name: "shmget", args: [0, 4096, 21 << 26], ret: 1 }),
    "shmget(IPC_PRIVATE, 4096, 21<<SHM_HUGE_SHIFT|000) = 1",
  );
  assert.equal(
    line({ name: "shmget", args: [0, 4096, 0], ret: 2 }),
    "shmget(IPC_PRIVATE, 4096, 000) = 2",
  );
  assert.equal(
    line({ name: "shmat", args: [0, 0, 0o10000], ret: 0x7f4c1cac0000 }),
    "shmat(0, NULL, SHM_RDONLY) = 0x7f4c1cac0000",
  );
  assert.equal(
    line({ name: "shmdt", args: [0x7f4c1cac0000], ret: 0 }),
    "shmdt(0x7f4c1cac0000) = 0",
  );
  const mem = new FakeMemory();
  mem.put(
    0x1000,
    bytes(112, (v) => {
      perm(v, 0o600);
      v.setBigUint64(48, 4096n, true);
      v.setBigUint64(56, 1795728543n, true);
      v.setBigUint64(72, 1795728543n, true);
      v.setInt32(80, 26714, true);
      v.setInt32(84, 26714, true);
      v.setBigUint64(88, 1n, true);
    }),
  );
  assert.equal(
    line({ name: "shmctl", args: [0, 2, 0x1000], mem, ret: 0 }),
    "shmctl(0, IPC_STAT, {shm_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, shm_segsz=4096, shm_cpid=26714, shm_lpid=26714, shm_nattch=1, shm_atime=1795728543, shm_dtime=0, shm_ctime=1795728543}) = 0",
  );
  assert.equal(
    line({ name: "shmctl", args: [0, 1, 0x1000], mem, ret: 0 }),
    "shmctl(0, IPC_SET, {shm_perm={uid=0, gid=0, mode=0600}}) = 0",
  );
  mem.put(
    0x2000,
    bytes(72, (v) => {
      v.setBigUint64(0, 18446744073692774399n, true);
      v.setBigUint64(8, 1n, true);
      v.setBigUint64(16, 4096n, true);
      v.setBigUint64(24, 4096n, true);
      v.setBigUint64(32, 18446744073692774399n, true);
    }),
  );
  assert.equal(
    line({ name: "shmctl", args: [0, 3, 0x2000], mem, ret: 2 }),
    "shmctl(0, IPC_INFO, {shmmax=18446744073692774399, shmmin=1, shmmni=4096, shmseg=4096, shmall=18446744073692774399}) = 2",
  );
  mem.put(
    0x3000,
    bytes(48, (v) => {
      v.setInt32(0, 3, true);
      v.setBigUint64(8, 3n, true);
    }),
  );
  assert.equal(
    line({ name: "shmctl", args: [0, 14, 0x3000], mem, ret: 2 }),
    "shmctl(0, SHM_INFO, {used_ids=3, shm_tot=3, shm_rss=0, shm_swp=0, swap_attempts=0, swap_successes=0}) = 2",
  );
  assert.equal(line({ name: "shmctl", args: [0, 11, 0], ret: 0 }), "shmctl(0, SHM_LOCK, NULL) = 0");
  assert.equal(line({ name: "shmctl", args: [0, 0, 0], ret: 0 }), "shmctl(0, IPC_RMID, NULL) = 0");
  assert.equal(
    line({ name: "shmctl", args: [0, 0x102, 8], ret: -14 }),
    "shmctl(0, IPC_64|IPC_STAT, 0x8) = -1 errno=14",
  );
});

Deno.test("sem*", () => {
  assert.equal(
    line({ name: "semget", args: [0, 2, 0o1600], ret: 0 }),
    "semget(IPC_PRIVATE, 2, IPC_CREAT|0600) = 0",
  );
  assert.equal(
    line({ name: "semget", args: [0, 2, 0], ret: 1 }),
    "semget(IPC_PRIVATE, 2, 000) = 1",
  );
  const mem = new FakeMemory();
  mem.put(
    0x1000,
    bytes(12, (v) => {
      v.setUint16(0, 0, true);
      v.setInt16(2, 1, true);
      v.setInt16(4, 0x1000, true);
      v.setUint16(6, 1, true);
      v.setInt16(8, -1, true);
      v.setInt16(10, 0o4000, true);
    }),
  );
  assert.equal(
    line({ name: "semtimedop", args: [0, 0x1000, 1, 0], mem, ret: 0 }),
    "semtimedop(0, [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}], 1, NULL) = 0",
  );
  assert.equal(
    line({ name: "semtimedop", args: [0, 0x1006, 1, 0], mem, ret: -11 }),
    "semtimedop(0, [{sem_num=1, sem_op=-1, sem_flg=IPC_NOWAIT}], 1, NULL) = -1 errno=11",
  );
  assert.equal(
    line({ name: "semop", args: [12, 8, 1], ret: -14 }),
    "semop(12, 0x8, 1) = -1 errno=14",
  );
  assert.equal(
    line({ name: "semctl", args: [0, 0, 16, 3], ret: 0 }),
    "semctl(0, 0, SETVAL, 0x3) = 0",
  );
  assert.equal(
    line({ name: "semctl", args: [0, 0, 12, 0], ret: 3 }),
    "semctl(0, 0, GETVAL, NULL) = 3",
  );
  mem.put(
    0x2000,
    bytes(104, (v) => {
      perm(v, 0o600);
      v.setBigUint64(48, 1795728543n, true);
      v.setBigUint64(64, 1795728543n, true);
      v.setBigUint64(80, 2n, true);
    }),
  );
  assert.equal(
    line({ name: "semctl", args: [0, 0, 2, 0x2000], mem, ret: 0 }),
    "semctl(0, 0, IPC_STAT, {sem_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, sem_otime=1795728543, sem_ctime=1795728543, sem_nsems=2}) = 0",
  );
  const info = [1024000000, 32000, 1024000000, 1024000000, 32000, 500, 500, 20, 32767, 32767];
  mem.put(0x3000, bytes(40, (v) => info.forEach((x, i) => v.setInt32(i * 4, x, true))));
  assert.equal(
    line({ name: "semctl", args: [0, 0, 3, 0x3000], mem, ret: 1 }),
    "semctl(0, 0, IPC_INFO, {semmap=1024000000, semmni=32000, semmns=1024000000, semmnu=1024000000, semmsl=32000, semopm=500, semume=500, semusz=20, semvmx=32767, semaem=32767}) = 1",
  );
  assert.equal(
    line({ name: "semctl", args: [12, 0, 2, 8], ret: -14 }),
    "semctl(12, 0, IPC_STAT, 0x8) = -1 errno=14",
  );
});

Deno.test("msg*", () => {
  assert.equal(
    line({ name: "msgget", args: [0, 0o3666], ret: 0 }),
    "msgget(IPC_PRIVATE, IPC_CREAT|IPC_EXCL|0666) = 0",
  );
  const mem = new FakeMemory();
  const mb = new Uint8Array(24);
  mb[0] = 5;
  mb.set(new TextEncoder().encode("hello"), 8);
  mem.put(0x1000, mb);
  assert.equal(
    line({ name: "msgsnd", args: [0, 0x1000, 6, 0], mem, ret: 0 }),
    'msgsnd(0, {mtype=5, mtext="hello\\0"}, 6, 0) = 0',
  );
  assert.equal(
    line({ name: "msgrcv", args: [0, 0x1000, 16, 0, 0o14000], mem, ret: 6 }),
    'msgrcv(0, {mtype=5, mtext="hello\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"}, 16, 0, MSG_NOERROR|IPC_NOWAIT) = 6',
  );
  assert.equal(
    line({ name: "msgrcv", args: [0, 0x7ffff7adaa30, 16, -2, 0o4000], mem, ret: -42 }),
    "msgrcv(0, 0x7ffff7adaa30, 16, -2, IPC_NOWAIT) = -1 errno=42",
  );
  mem.put(
    0x2000,
    bytes(120, (v) => {
      perm(v, 0o666);
      v.setBigUint64(48, 1795728543n, true);
      v.setBigUint64(56, 1795728543n, true);
      v.setBigUint64(64, 1795728543n, true);
      v.setBigUint64(88, 16384n, true);
      v.setInt32(96, 26714, true);
      v.setInt32(100, 26714, true);
    }),
  );
  assert.equal(
    line({ name: "msgctl", args: [0, 2, 0x2000], mem, ret: 0 }),
    "msgctl(0, IPC_STAT, {msg_perm={uid=0, gid=0, mode=0666, key=0, cuid=0, cgid=0}, msg_stime=1795728543, msg_rtime=1795728543, msg_ctime=1795728543, msg_qnum=0, msg_qbytes=16384, msg_lspid=26714, msg_lrpid=26714}) = 0",
  );
  assert.equal(
    line({ name: "msgctl", args: [0, 1, 0x2000], mem, ret: 0 }),
    "msgctl(0, IPC_SET, {msg_perm={uid=0, gid=0, mode=0666}, msg_qbytes=16384}) = 0",
  );
  const mi = [512000, 16384, 8192, 16384, 32000, 16, 16384];
  mem.put(
    0x3000,
    bytes(32, (v) => {
      mi.forEach((x, i) => v.setInt32(i * 4, x, true));
      v.setUint16(28, 65535, true);
    }),
  );
  assert.equal(
    line({ name: "msgctl", args: [0, 3, 0x3000], mem, ret: 0 }),
    "msgctl(0, IPC_INFO, {msgpool=512000, msgmap=16384, msgmax=8192, msgmnb=16384, msgmni=32000, msgssz=16, msgtql=16384, msgseg=65535}) = 0",
  );
  assert.equal(line({ name: "msgctl", args: [0, 0, 0], ret: 0 }), "msgctl(0, IPC_RMID, NULL) = 0");
});

Deno.test("mq_*", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, "sctq\0");
  mem.put(
    0x2000,
    bytes(64, (v) => {
      v.setBigInt64(8, 4n, true);
      v.setBigInt64(16, 32n, true);
    }),
  );
  assert.equal(
    line({ name: "mq_open", args: [0x1000, 0o102, 0o600, 0x2000], mem, ret: 9 }),
    'mq_open("sctq", O_RDWR|O_CREAT, 0600, {mq_flags=0, mq_maxmsg=4, mq_msgsize=32, mq_curmsgs=0}) = 9',
  );
  assert.equal(
    line({ name: "mq_open", args: [0x1000, 0], mem, ret: 11 }),
    'mq_open("sctq", O_RDONLY) = 11',
  );
  assert.equal(line({ name: "mq_unlink", args: [0x1000], mem, ret: 0 }), 'mq_unlink("sctq") = 0');
  mem.put(0x3000, "abc");
  assert.equal(
    line({ name: "mq_timedsend", args: [9, 0x3000, 3, 2, 0], mem, ret: 0 }),
    'mq_timedsend(9, "abc", 3, 2, NULL) = 0',
  );
  mem.put(0x4000, bytes(4, (v) => v.setUint32(0, 2, true)));
  assert.equal(
    line({ name: "mq_timedreceive", args: [9, 0x3000, 64, 0x4000, 0], mem, ret: 3 }),
    'mq_timedreceive(9, "abc", 64, [2], NULL) = 3',
  );
  mem.put(0x5000, bytes(16, (v) => v.setBigInt64(0, 1n, true)));
  assert.equal(
    line({ name: "mq_timedreceive", args: [9, 0x3000, 64, 0x4000, 0x5000], mem, ret: -110 }),
    "mq_timedreceive(9, 0x3000, 64, 0x4000, {tv_sec=1, tv_nsec=0}) = -1 errno=110",
  );
  mem.put(0x6000, bytes(64, (v) => v.setInt32(12, 1, true)));
  assert.equal(
    line({ name: "mq_notify", args: [9, 0x6000], mem, ret: 0 }),
    "mq_notify(9, {sigev_signo=0, sigev_notify=SIGEV_NONE}) = 0",
  );
  assert.equal(line({ name: "mq_notify", args: [9, 0], ret: 0 }), "mq_notify(9, NULL) = 0");
  mem.put(0x7000, bytes(64, (v) => v.setBigInt64(0, 0o4000n, true)));
  mem.put(
    0x8000,
    bytes(64, (v) => {
      v.setBigInt64(8, 4n, true);
      v.setBigInt64(16, 32n, true);
      v.setBigInt64(24, 1n, true);
    }),
  );
  assert.equal(
    line({ name: "mq_getsetattr", args: [9, 0x7000, 0x8000], mem, ret: 0 }),
    "mq_getsetattr(9, {mq_flags=O_NONBLOCK, mq_maxmsg=0, mq_msgsize=0, mq_curmsgs=0}, {mq_flags=0, mq_maxmsg=4, mq_msgsize=32, mq_curmsgs=1}) = 0",
  );
});

Deno.test("typed values: pipe2's fd pair, semop's sembufs, semget's mode flags", () => {
  const mem = new FakeMemory();
  mem.put(
    0x1000,
    bytes(8, (v) => {
      v.setInt32(0, 3, true);
      v.setInt32(4, 4, true);
    }),
  );
  const state = {};
  const exit = decoders.pipe2.exit!(
    fakeCall({ name: "pipe2", args: [0x1000, 0o2004000], mem, state, ret: 0 }),
  ) as Value[];
  assert.deepEqual(exit.map(toJson), [[{ fd: 3 }, { fd: 4 }], ["O_NONBLOCK", "O_CLOEXEC"]]);
  mem.put(
    0x2000,
    bytes(6, (v) => {
      v.setUint16(0, 0, true);
      v.setInt16(2, -1, true);
      v.setUint16(4, 0x1000, true);
    }),
  );
  const sem = decoders.semop.enter!(
    fakeCall({ name: "semop", args: [12, 0x2000, 1], mem }),
  ) as Value[];
  assert.equal(argsText(sem), "12, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1");
  assert.deepEqual(sem.map(toJson), [12, [{ sem_num: 0, sem_op: -1, sem_flg: ["SEM_UNDO"] }], 1]);
  const get = decoders.semget.enter!(
    fakeCall({ name: "semget", args: [0, 1, 0o1600] }),
  ) as Value[];
  assert.equal(argsText(get), "IPC_PRIVATE, 1, IPC_CREAT|0600");
  assert.deepEqual(toJson(get[2]), ["IPC_CREAT", "0600"]);
});
