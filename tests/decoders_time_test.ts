import assert from "node:assert/strict";
import { decoders, printArray, sprinttime } from "../decoders/time.ts";
import { sigsetText } from "../decoders/signame.ts";
import { callValues, toJson } from "../decoders/value.ts";
import {
  callLine,
  fakeCall,
  type FakeCallOptions,
  FakeMemory,
  localTime,
} from "./helpers/fake_call.ts";

/** Renders a call as strace prints it: `name(args) = result` (no column padding). */
const line = (o: FakeCallOptions & { name: string; ret: number }): string => callLine(decoders, o);

/** Little-endian bytes of 64-bit values. */
function q(...vals: (number | bigint)[]): Uint8Array {
  const b = new Uint8Array(vals.length * 8);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true));
  return b;
}

/** Little-endian bytes of 32-bit values. */
function d(...vals: number[]): Uint8Array {
  const b = new Uint8Array(vals.length * 4);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setInt32(i * 4, x, true));
  return b;
}

const A = 0x7ffec88bd110;
const B = 0x7ffec88bd0f0;

Deno.test("nanosleep, clock_nanosleep", () => {
  const mem = new FakeMemory();
  mem.put(A, q(0, 1000000));
  mem.put(B, q(2, 322081));
  assert.equal(
    line({ name: "nanosleep", args: [A, B], mem, ret: 0 }),
    "nanosleep({tv_sec=0, tv_nsec=1000000}, 0x7ffec88bd0f0) = 0",
  );
  assert.equal(
    line({ name: "nanosleep", args: [A, 0], mem, ret: 0 }),
    "nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0",
  );
  // interrupted: the remaining time is printed
  assert.equal(
    line({ name: "nanosleep", args: [A, B], mem, ret: -516 }),
    "nanosleep({tv_sec=0, tv_nsec=1000000}, {tv_sec=2, tv_nsec=322081}) = -1 errno=516",
  );
  const m2 = new FakeMemory();
  m2.put(A, q(0, -1));
  assert.equal(
    line({ name: "nanosleep", args: [A, B], mem: m2, ret: -22 }),
    "nanosleep({tv_sec=0, tv_nsec=18446744073709551615}, 0x7ffec88bd0f0) = -1 errno=22",
  );
  assert.equal(
    line({ name: "clock_nanosleep", args: [1, 0, A, B], mem, ret: 0 }),
    "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000}, 0x7ffec88bd0f0) = 0",
  );
  assert.equal(
    line({ name: "clock_nanosleep", args: [1, 0, A, B], mem, ret: -516 }),
    "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000000}, {tv_sec=2, tv_nsec=322081}) = -1 errno=516",
  );
  assert.equal(
    line({ name: "clock_nanosleep", args: [0, 1, A, 0], mem, ret: 0 }),
    "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=0, tv_nsec=1000000}, NULL) = 0",
  );
});

Deno.test("clock_gettime, clock_getres, clock_settime", () => {
  const mem = new FakeMemory();
  mem.put(B, q(452, 783421733));
  assert.equal(
    line({ name: "clock_gettime", args: [1, B], mem, ret: 0 }),
    "clock_gettime(CLOCK_MONOTONIC, {tv_sec=452, tv_nsec=783421733}) = 0",
  );
  assert.equal(
    line({ name: "clock_gettime", args: [77, B], mem, ret: -22 }),
    "clock_gettime(0x4d /* CLOCK_??? */, 0x7ffec88bd0f0) = -1 errno=22",
  );
  assert.equal(
    line({ name: "clock_gettime", args: [-1, B], mem, ret: -22 }),
    "clock_gettime(0xffffffff /* CLOCK_??? */, 0x7ffec88bd0f0) = -1 errno=22",
  );
  assert.equal(
    line({ name: "clock_gettime", args: [7, 8], ret: -14 }),
    "clock_gettime(CLOCK_BOOTTIME, 0x8) = -1 errno=14",
  );
  assert.equal(
    line({ name: "clock_getres", args: [1, 0], ret: 0 }),
    "clock_getres(CLOCK_MONOTONIC, NULL) = 0",
  );
  assert.equal(
    line({ name: "clock_settime", args: [0, B], mem, ret: -22 }),
    "clock_settime(CLOCK_REALTIME, {tv_sec=452, tv_nsec=783421733}) = -1 errno=22",
  );
});

Deno.test("gettimeofday, time, times", () => {
  const mem = new FakeMemory();
  mem.put(A, q(1795728343, 22923));
  mem.put(B, d(0, 0));
  assert.equal(
    line({ name: "gettimeofday", args: [A, B], mem, ret: 0 }),
    "gettimeofday({tv_sec=1795728343, tv_usec=22923}, {tz_minuteswest=0, tz_dsttime=0}) = 0",
  );
  assert.equal(
    line({ name: "settimeofday", args: [A, 0], mem, ret: 0 }),
    "settimeofday({tv_sec=1795728343, tv_usec=22923}, NULL) = 0",
  );
  // sprinttime uses the local zone, like strace: whatever zone the tests run in.
  const t = localTime(1795728343);
  if (new Date(1795728343000).getTimezoneOffset() === 0) {
    assert.equal(t, "2026-11-26T21:25:43+0000");
  }
  mem.put(0x1000, q(1795728343));
  assert.equal(
    line({ name: "time", args: [0x1000], mem, ret: 1795728343 }),
    `time([1795728343 /* ${t} */]) = 1795728343 (${t})`,
  );
  assert.equal(
    line({ name: "time", args: [0], ret: 1795728343 }),
    `time(NULL) = 1795728343 (${t})`,
  );
  assert.equal(sprinttime(0), undefined);
  mem.put(0x2000, q(17, 0, 0, 150));
  assert.equal(
    line({ name: "times", args: [0x2000], mem, ret: 1718002188 }),
    "times({tms_utime=17 /* 0.17 s */, tms_stime=0, tms_cutime=0, tms_cstime=150 /* 1.50 s */}) = 1718002188",
  );
  assert.equal(line({ name: "times", args: [0], ret: 1718002188 }), "times(NULL) = 1718002188");
});

Deno.test("itimers and alarm", () => {
  const mem = new FakeMemory();
  mem.put(A, q(0, 0, 1, 500));
  mem.put(B, q(0, 0, 0, 0));
  assert.equal(
    line({ name: "setitimer", args: [0, A, B], mem, ret: 0 }),
    "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=500}}, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0",
  );
  assert.equal(
    line({ name: "getitimer", args: [0, A], mem, ret: 0 }),
    "getitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=500}}) = 0",
  );
  assert.equal(
    line({ name: "getitimer", args: [5, 0x7ffec88bd070], mem, ret: -22 }),
    "getitimer(0x5 /* ITIMER_??? */, 0x7ffec88bd070) = -1 errno=22",
  );
  assert.equal(line({ name: "alarm", args: [10], ret: 0 }), "alarm(10) = 0");
});

Deno.test("posix timers", () => {
  const mem = new FakeMemory();
  const sev = new Uint8Array(64);
  const v = new DataView(sev.buffer);
  v.setBigUint64(0, 0x7ffec88bd068n, true);
  v.setInt32(8, 10, true);
  v.setInt32(12, 0, true);
  mem.put(A, sev);
  mem.put(B, d(0));
  assert.equal(
    line({ name: "timer_create", args: [1, A, B], mem, ret: 0 }),
    "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=-930361240, sival_ptr=0x7ffec88bd068}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [0]) = 0",
  );
  const sev2 = new Uint8Array(64);
  const v2 = new DataView(sev2.buffer);
  v2.setInt32(8, 40, true);
  v2.setInt32(12, 4, true);
  v2.setInt32(16, 23994, true);
  mem.put(0x3000, sev2);
  assert.equal(
    line({ name: "timer_create", args: [0, 0x3000, B], mem, ret: 0 }),
    "timer_create(CLOCK_REALTIME, {sigev_signo=SIGRT_8, sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=23994}, [0]) = 0",
  );
  const sev3 = new Uint8Array(64);
  const v3 = new DataView(sev3.buffer);
  v3.setInt32(12, 2, true);
  v3.setBigUint64(16, 0x1234n, true);
  mem.put(0x4000, sev3);
  assert.equal(
    line({ name: "timer_create", args: [1, 0x4000, 0x7ffe9be7c6dc], mem, ret: -22 }),
    "timer_create(CLOCK_MONOTONIC, {sigev_signo=0, sigev_notify=SIGEV_THREAD, sigev_notify_function=0x1234, sigev_notify_attributes=NULL}, 0x7ffe9be7c6dc) = -1 errno=22",
  );
  const sev4 = new Uint8Array(64);
  const v4 = new DataView(sev4.buffer);
  v4.setInt32(8, -3, true);
  v4.setInt32(12, 7, true);
  mem.put(0x5000, sev4);
  assert.equal(
    line({ name: "timer_create", args: [1, 0x5000, 0], mem, ret: -22 }),
    "timer_create(CLOCK_MONOTONIC, {sigev_signo=4294967293, sigev_notify=0x7 /* SIGEV_??? */}, NULL) = -1 errno=22",
  );
  mem.put(0x6000, q(0, 0, 5, 0));
  mem.put(0x7000, q(0, 0, 0, 0));
  assert.equal(
    line({ name: "timer_settime", args: [1, 0, 0x6000, 0x7000], mem, ret: 0 }),
    "timer_settime(1, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
  );
  assert.equal(
    line({ name: "timer_settime", args: [1, 1, 0x6000, 0], mem, ret: 0 }),
    "timer_settime(1, TIMER_ABSTIME, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=5, tv_nsec=0}}, NULL) = 0",
  );
  assert.equal(
    line({ name: "timer_gettime", args: [1, 0x7000], mem, ret: 0 }),
    "timer_gettime(1, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
  );
  assert.equal(line({ name: "timer_getoverrun", args: [1], ret: 0 }), "timer_getoverrun(1) = 0");
  assert.equal(line({ name: "timer_delete", args: [1], ret: 0 }), "timer_delete(1) = 0");
});

Deno.test("adjtimex, clock_adjtime", () => {
  const tx = new Uint8Array(208);
  const v = new DataView(tx.buffer);
  v.setBigInt64(24, 16000000n, true);
  v.setBigInt64(32, 16000000n, true);
  v.setInt32(40, 0x40, true);
  v.setBigInt64(48, 2n, true);
  v.setBigInt64(56, 1n, true);
  v.setBigInt64(64, 32768000n, true);
  v.setBigInt64(72, 1795728348n, true);
  v.setBigInt64(80, 720715n, true);
  v.setBigInt64(88, 10000n, true);
  const mem = new FakeMemory();
  mem.put(A, tx);
  const body =
    "{modes=0, offset=0, freq=0, maxerror=16000000, esterror=16000000, status=STA_UNSYNC, constant=2, precision=1, tolerance=32768000, time={tv_sec=1795728348, tv_usec=720715}, tick=10000, ppsfreq=0, jitter=0, shift=0, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}";
  assert.equal(
    line({ name: "adjtimex", args: [A], mem, ret: 5 }),
    `adjtimex(${body}) = 5 (TIME_ERROR)`,
  );
  assert.equal(
    line({ name: "clock_adjtime", args: [0, A], mem, ret: 5 }),
    `clock_adjtime(CLOCK_REALTIME, ${body}) = 5 (TIME_ERROR)`,
  );
  assert.equal(line({ name: "adjtimex", args: [8], ret: -14 }), "adjtimex(0x8) = -1 errno=14");
});

Deno.test("signal masks", () => {
  const m = (lo: number, hi = 0) => new Uint8Array(new Uint32Array([lo, hi]).buffer);
  assert.equal(sigsetText(m(0), "abbrev"), "[]");
  assert.equal(sigsetText(m((1 << 1) | (1 << 14)), "abbrev"), "[INT TERM]");
  assert.equal(sigsetText(m(1 << 31, 1), "abbrev"), "[RTMIN RT_1]");
  assert.equal(sigsetText(m(0xffffffff, 0xffffffff), "abbrev"), "~[]");
  assert.equal(sigsetText(m(0xfffffffe, 0xffffffff), "abbrev"), "~[HUP]");
  assert.equal(sigsetText(m(1 << 1), "verbose"), "[2 /* INT */]");
  assert.equal(sigsetText(m(1 << 1), "raw"), "[2]");
});

Deno.test("printArray: a range ending at 2^64 prints the address (as strace's writev does)", () => {
  const mem = new FakeMemory();
  mem.put(0x100000, new Uint8Array(64));
  const c = fakeCall({ name: "writev", args: [1, 0x100000, 0], ret: -22, mem });
  const el = (v: DataView) => String(v.getUint32(0, true));
  // strace 6.1: writev(1, 0x100000, 1152921504606781440) = -1 EINVAL (Invalid argument)
  assert.equal(printArray(c, 0x100000, 0x0fffffffffff0000n, 16, el), "0x100000");
  assert.equal(
    printArray(c, 0x100000, 0x0ffffffffffeffffn, 16, el),
    "[0, 0, 0, 0, ... /* 0x100040 */]",
  );
  assert.equal(printArray(c, 0x100000, 2n, 16, el), "[0, 0]");
});

Deno.test("time decoders give typed values", () => {
  const mem = new FakeMemory();
  mem.put(A, q(0, 0, 1, 500));
  const d = decoders.setitimer;
  const args = [0, A, 0];
  const v = callValues(
    d.enter!(fakeCall({ name: "setitimer", args, mem })),
    d.exit!(fakeCall({ name: "setitimer", args, mem, ret: 0 })),
  );
  assert.deepEqual(v.map((x) => x.kind), ["enum", "struct", "ptr"]);
  assert.deepEqual(v.map(toJson), [
    "ITIMER_REAL",
    { it_interval: { tv_sec: 0, tv_usec: 0 }, it_value: { tv_sec: 1, tv_usec: 500 } },
    null,
  ]);
  // times: clock_t values are numbers, their seconds a comment in the text only.
  mem.put(0x2000, q(17, 0, 0, 150));
  const t = decoders.times.exit!(fakeCall({ name: "times", args: [0x2000], mem, ret: 5 }));
  assert.ok(Array.isArray(t));
  assert.deepEqual(toJson(t[0]), { tms_utime: 17, tms_stime: 0, tms_cutime: 0, tms_cstime: 150 });
  const r = decoders.time.result!(fakeCall({ name: "time", args: [0], ret: 1795728343 }));
  assert.ok(r !== undefined && typeof r !== "string");
  assert.equal(toJson(r), 1795728343);
});
