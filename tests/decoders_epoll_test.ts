import assert from "node:assert/strict";
import { decoders } from "../decoders/epoll.ts";
import { argsText, resultText, toJson, type Value } from "../decoders/value.ts";
import { callLine, fakeCall, type FakeCallOptions, FakeMemory } from "./helpers/fake_call.ts";

/** Renders a call as strace prints it: `name(args) = result` (no column padding). */
const line = (o: FakeCallOptions & { name: string; ret: number }): string => callLine(decoders, o);

/** Builds bytes with a DataView writer. */
function bytes(n: number, fill: (v: DataView) => void): Uint8Array {
  const b = new Uint8Array(n);
  fill(new DataView(b.buffer));
  return b;
}

/** A packed epoll_event. */
const ev = (events: number, data: bigint) =>
  bytes(12, (v) => {
    v.setUint32(0, events, true);
    v.setBigUint64(4, data, true);
  });

/** pollfd entries. */
const pollfds = (...e: [number, number, number][]) =>
  bytes(8 * e.length, (v) =>
    e.forEach(([fd, events, revents], i) => {
      v.setInt32(i * 8, fd, true);
      v.setUint16(i * 8 + 4, events, true);
      v.setUint16(i * 8 + 6, revents, true);
    }));

const ts = (s: number, ns: number) =>
  bytes(16, (v) => {
    v.setBigInt64(0, BigInt(s), true);
    v.setBigInt64(8, BigInt(ns), true);
  });

/** A sigset of USR1 and TERM. */
const SS = bytes(8, (v) => v.setUint32(0, (1 << 9) | (1 << 14), true));

Deno.test("epoll_create*, epoll_ctl", () => {
  assert.equal(line({ name: "epoll_create", args: [10], ret: 5 }), "epoll_create(10) = 5");
  assert.equal(
    line({ name: "epoll_create1", args: [0o2000000], ret: 6 }),
    "epoll_create1(EPOLL_CLOEXEC) = 6",
  );
  assert.equal(
    line({ name: "epoll_create1", args: [0x1234], ret: -22 }),
    "epoll_create1(0x1234 /* EPOLL_??? */) = -1 errno=22",
  );
  assert.equal(
    line({
      name: "epoll_create",
      args: [10],
      ret: 5,
      fdPaths: { 5: "anon_inode:[eventpoll]" },
      opts: { decodeFds: 1 },
    }),
    "epoll_create(10) = 5<anon_inode:[eventpoll]>",
  );
  const mem = new FakeMemory();
  mem.put(0x1000, ev(1, 3n));
  mem.put(0x2000, ev(0x84000004, 0x1234567890n));
  assert.equal(
    line({ name: "epoll_ctl", args: [5, 1, 3, 0x1000], mem, ret: 0 }),
    "epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}}) = 0",
  );
  assert.equal(
    line({ name: "epoll_ctl", args: [5, 1, 4, 0x2000], mem, ret: 0 }),
    "epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLOUT|EPOLLET|0x4000000, data={u32=878082192, u64=78187493520}}) = 0",
  );
  assert.equal(
    line({ name: "epoll_ctl", args: [5, 2, 4, 0x7ffec07cd138], mem, ret: 0 }),
    "epoll_ctl(5, EPOLL_CTL_DEL, 4, 0x7ffec07cd138) = 0",
  );
  assert.equal(
    line({ name: "epoll_ctl", args: [5, 7, 4, 0], mem, ret: -14 }),
    "epoll_ctl(5, 0x7 /* EPOLL_CTL_??? */, 4, NULL) = -1 errno=14",
  );
});

Deno.test("epoll_wait, epoll_pwait, epoll_pwait2", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, ev(1, 3n));
  mem.put(0x3000, SS);
  mem.put(0x4000, ts(0, 5000));
  mem.put(
    0x5000,
    bytes(
      8,
      (v) => {
        v.setUint32(0, 0x7fffffff, true);
        v.setUint32(4, 0xfffffffe, true);
      },
    ),
  );
  const one = "[{events=EPOLLIN, data={u32=3, u64=3}}]";
  assert.equal(
    line({ name: "epoll_wait", args: [5, 0x1000, 4, 100], mem, ret: 1 }),
    `epoll_wait(5, ${one}, 4, 100) = 1`,
  );
  assert.equal(
    line({ name: "epoll_pwait", args: [5, 0x1000, 4, 0, 0x3000, 8], mem, ret: 1 }),
    `epoll_pwait(5, ${one}, 4, 0, [USR1 TERM], 8) = 1`,
  );
  assert.equal(
    line({ name: "epoll_pwait", args: [5, 0x1000, 4, 0, 0, 8], mem, ret: 1 }),
    `epoll_pwait(5, ${one}, 4, 0, NULL, 8) = 1`,
  );
  assert.equal(
    line({ name: "epoll_pwait", args: [5, 0x1000, 4, 0, 0x5000, 8], mem, ret: 1 }),
    `epoll_pwait(5, ${one}, 4, 0, ~[RTMIN RT_1], 8) = 1`,
  );
  assert.equal(
    line({ name: "epoll_pwait2", args: [5, 0x1000, 4, 0x4000, 0x3000, 8], mem, ret: 1 }),
    `epoll_pwait2(5, ${one}, 4, {tv_sec=0, tv_nsec=5000}, [USR1 TERM], 8) = 1`,
  );
  assert.equal(
    line({ name: "epoll_pwait2", args: [5, 0x1000, 4, 0, 0, 8], mem, ret: 1 }),
    `epoll_pwait2(5, ${one}, 4, NULL, NULL, 8) = 1`,
  );
  assert.equal(
    line({ name: "epoll_wait", args: [6, 0x1000, 4, 0], mem, ret: 0 }),
    "epoll_wait(6, [], 4, 0) = 0",
  );
  assert.equal(
    line({ name: "epoll_wait", args: [99, 0x7ffec07cd100, 4, 0], mem, ret: -9 }),
    "epoll_wait(99, 0x7ffec07cd100, 4, 0) = -1 errno=9",
  );
});

Deno.test("poll, ppoll", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, pollfds([3, 3, 1], [4, 4, 4], [-1, 1, 0]));
  mem.put(0x2000, pollfds([99, 3, 0x20]));
  mem.put(0x3000, pollfds([4, 1, 0]));
  mem.put(0x4000, ts(1, 0));
  mem.put(0x4100, ts(0, 999999069));
  mem.put(0x5000, SS);
  assert.equal(
    line({ name: "poll", args: [0x1000, 3, 100], mem, ret: 2 }),
    "poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}, {fd=-1}], 3, 100) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])",
  );
  assert.equal(
    line({ name: "poll", args: [0x2000, 1, 0], mem, ret: 1 }),
    "poll([{fd=99, events=POLLIN|POLLPRI}], 1, 0) = 1 ([{fd=99, revents=POLLNVAL}])",
  );
  assert.equal(
    line({ name: "poll", args: [0x3000, 1, 0], mem, ret: 0 }),
    "poll([{fd=4, events=POLLIN}], 1, 0) = 0 (Timeout)",
  );
  // the "left" time is read at exit: model the kernel's update of the timeout
  const m2 = new FakeMemory();
  m2.put(0x1000, pollfds([3, 3, 1], [4, 4, 4]));
  m2.put(0x5000, SS);
  const st = {};
  const enterMem = new FakeMemory();
  enterMem.regions = [...m2.regions, [0x4000, ts(1, 0)]];
  const exitMem = new FakeMemory();
  exitMem.regions = [...m2.regions, [0x4000, ts(0, 999999069)]];
  const args = [0x1000, 2, 0x4000, 0x5000, 8];
  const enter = decoders.ppoll.enter!(fakeCall({ args, mem: enterMem, state: st }));
  const res = decoders.ppoll.result!(fakeCall({ args, mem: exitMem, state: st, ret: 2 }));
  assert.equal(
    `ppoll(${argsText(enter)}) = ${resultText(res!)}`,
    "ppoll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, {tv_sec=1, tv_nsec=0}, [USR1 TERM], 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}], left {tv_sec=0, tv_nsec=999999069})",
  );
  assert.equal(
    line({ name: "ppoll", args: [0x3000, 1, 0x4100, 0, 8], mem, ret: 0 }),
    "ppoll([{fd=4, events=POLLIN}], 1, {tv_sec=0, tv_nsec=999999069}, NULL, 8) = 0 (Timeout)",
  );
  assert.equal(
    line({ name: "ppoll", args: [0x1000, 2, 0, 0, 8], mem, ret: 2 }),
    "ppoll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, NULL, NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])",
  );
  // -y on the entry descriptors
  const pollArgs = decoders.poll.enter!(
    fakeCall({ args: [0x3000, 1, 0], mem, fdPaths: { 4: "pipe:[12]" }, opts: { decodeFds: 1 } }),
  );
  assert.equal(argsText(pollArgs), "[{fd=4<pipe:[12]>, events=POLLIN}], 1, 0");
  // Typed: an array of pollfd structs whose fd knows its path and whose events are flag names.
  assert.deepEqual((pollArgs as Value[]).map(toJson), [
    [{ fd: { fd: 4, path: "pipe:[12]" }, events: ["POLLIN"] }],
    1,
    0,
  ]);
});

/** An fd_set (8 bytes) with the given descriptors. */
const fdset = (...fds: number[]) =>
  bytes(8, (v) => fds.forEach((f) => v.setUint8(f >> 3, v.getUint8(f >> 3) | (1 << (f & 7)))));

Deno.test("select, pselect6", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, fdset(3, 4));
  mem.put(0x1100, fdset(4));
  mem.put(0x1200, fdset(3));
  mem.put(0x1300, fdset());
  mem.put(0x2000, ts(1, 0));
  mem.put(0x2100, ts(0, 1000000));
  mem.put(0x3000, SS);
  mem.put(
    0x3100,
    bytes(16, (v) => {
      v.setBigUint64(0, 0x3000n, true);
      v.setBigUint64(8, 8n, true);
    }),
  );
  // at exit the kernel has rewritten the sets: in=[3], out=[4]
  const st = {};
  const args = [5, 0x1000, 0x1100, 0, 0x2000, 0];
  const enter = decoders.pselect6.enter!(fakeCall({ args, mem, state: st }));
  const after = new FakeMemory();
  after.regions = [[0x1000, fdset(3)], [0x1100, fdset(4)], [0x2000, ts(0, 999998308)]];
  const res = decoders.pselect6.result!(fakeCall({ args, mem: after, state: st, ret: 2 }));
  assert.equal(
    `pselect6(${argsText(enter)}) = ${resultText(res!)}`,
    "pselect6(5, [3 4], [4], NULL, {tv_sec=1, tv_nsec=0}, NULL) = 2 (in [3], out [4], left {tv_sec=0, tv_nsec=999998308})",
  );
  assert.equal(
    line({ name: "pselect6", args: [5, 0x1100, 0, 0, 0x2100, 0], mem, ret: 0 }),
    "pselect6(5, [4], NULL, NULL, {tv_sec=0, tv_nsec=1000000}, NULL) = 0 (Timeout)",
  );
  assert.equal(
    line({ name: "pselect6", args: [5, 0x1200, 0x1100, 0, 0, 0], mem, ret: 2 }),
    "pselect6(5, [3], [4], NULL, NULL, NULL) = 2 (in [3], out [4])",
  );
  assert.equal(
    line({ name: "pselect6", args: [5, 0x1200, 0x1300, 0x1200, 0x2000, 0x3100], mem, ret: 1 }),
    "pselect6(5, [3], [], [3], {tv_sec=1, tv_nsec=0}, {sigmask=[USR1 TERM], sigsetsize=8}) = 1 (in [3], left {tv_sec=1, tv_nsec=0})",
  );
  // strace 6.1 closes the bracket again for an empty set between two non-empty ones
  mem.put(0x1400, fdset(5));
  mem.put(0x1500, fdset());
  assert.equal(
    line({ name: "pselect6", args: [16, 0x1400, 0x1500, 0x1400, 0, 0], mem, ret: 2 }),
    "pselect6(16, [5], [], [5], NULL, NULL) = 2 (in [5]], except [5])",
  );
  assert.equal(
    line({ name: "select", args: [-1, 0, 0, 0, 0], ret: -22 }),
    "select(-1, NULL, NULL, NULL, NULL) = -1 errno=22",
  );
  mem.put(0x4000, bytes(16, (v) => v.setBigInt64(0, 1n, true)));
  assert.equal(
    line({ name: "select", args: [5, 0x1200, 0, 0, 0x4000], mem, ret: 1 }),
    "select(5, [3], NULL, NULL, {tv_sec=1, tv_usec=0}) = 1 (in [3], left {tv_sec=1, tv_usec=0})",
  );
});

Deno.test("eventfd, signalfd, timerfd", () => {
  assert.equal(
    line({ name: "eventfd2", args: [3, 0o2004001], ret: 7 }),
    "eventfd2(3, EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK) = 7",
  );
  assert.equal(line({ name: "eventfd", args: [5], ret: 8 }), "eventfd(5) = 8");
  assert.equal(line({ name: "eventfd2", args: [0, 0], ret: 9 }), "eventfd2(0, 0) = 9");
  const mem = new FakeMemory();
  mem.put(0x3000, SS);
  assert.equal(
    line({ name: "signalfd4", args: [-1, 0x3000, 8, 0o4000], mem, ret: 11 }),
    "signalfd4(-1, [USR1 TERM], 8, SFD_NONBLOCK) = 11",
  );
  assert.equal(
    line({ name: "signalfd", args: [11, 0x3000, 8], mem, ret: 11 }),
    "signalfd(11, [USR1 TERM], 8) = 11",
  );
  assert.equal(
    line({ name: "signalfd4", args: [-1, 0x7ffec07cd080, 4, 0], mem, ret: -22 }),
    "signalfd4(-1, 0x7ffec07cd080, 4, 0) = -1 errno=22",
  );
  assert.equal(
    line({ name: "timerfd_create", args: [1, 0o2004000], ret: 12 }),
    "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 12",
  );
  mem.put(0x6000, bytes(32, (v) => v.setBigInt64(16, 10n, true)));
  mem.put(0x7000, new Uint8Array(32));
  assert.equal(
    line({ name: "timerfd_settime", args: [12, 0, 0x6000, 0x7000], mem, ret: 0 }),
    "timerfd_settime(12, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=10, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
  );
  assert.equal(
    line({ name: "timerfd_settime", args: [12, 1, 0x6000, 0], mem, ret: 0 }),
    "timerfd_settime(12, TFD_TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=10, tv_nsec=0}}, NULL) = 0",
  );
  assert.equal(
    line({ name: "timerfd_gettime", args: [12, 0x7000], mem, ret: 0 }),
    "timerfd_gettime(12, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
  );
});
