import assert from "node:assert/strict";
import {
  inClass,
  knownToStrace61,
  LEGACY_TRACE_CLASSES,
  NF,
  PU,
  syscallByName,
  syscallByNr,
  SYSCALLS,
  TC,
  TCL,
  TD,
  TF,
  TFST,
  TLST,
  TN,
  TP,
  TRACE_CLASSES,
  TS,
  TST,
  TSTA,
  unknownSyscallName,
} from "../decoders/syscall_table.ts";

Deno.test("syscall numbers of well-known syscalls", () => {
  const expected: [string, number][] = [
    ["read", 0],
    ["write", 1],
    ["open", 2],
    ["close", 3],
    ["mmap", 9],
    ["pread64", 17],
    ["getpid", 39],
    ["clone", 56],
    ["execve", 59],
    ["wait4", 61],
    ["_sysctl", 156],
    ["exit_group", 231],
    ["openat", 257],
    ["newfstatat", 262],
    ["statx", 332],
    ["rseq", 334],
    ["pidfd_send_signal", 424],
    ["clone3", 435],
    ["close_range", 436],
    ["openat2", 437],
    ["epoll_pwait2", 441],
    ["futex_waitv", 449],
    ["cachestat", 451],
    ["fchmodat2", 452],
    ["map_shadow_stack", 453],
    ["futex_wake", 454],
    ["futex_wait", 455],
    ["futex_requeue", 456],
    ["statmount", 457],
    ["listmount", 458],
    ["lsm_list_modules", 461],
    ["mseal", 462],
    ["setxattrat", 463],
    ["removexattrat", 466],
  ];
  for (const [name, nr] of expected) {
    assert.equal(syscallByName(name)?.nr, nr, name);
    assert.equal(syscallByNr(nr)?.name, name, String(nr));
  }
});

Deno.test("table shape", () => {
  assert.ok(SYSCALLS.length >= 370, `only ${SYSCALLS.length} entries`);
  let prev = -1;
  const names = new Set<string>();
  for (const [nr, name, nargs] of SYSCALLS) {
    assert.ok(nr > prev, `${name} out of order`);
    prev = nr;
    assert.ok(nargs >= 0 && nargs <= 6, name);
    assert.ok(!names.has(name), `duplicate ${name}`);
    names.add(name);
  }
  assert.equal(syscallByNr(336), undefined);
  assert.equal(syscallByNr(423), undefined);
  assert.equal(syscallByNr(-1), undefined);
  assert.equal(syscallByNr(1.5), undefined);
  assert.equal(syscallByNr(100000), undefined);
  assert.equal(syscallByName("nosuchcall"), undefined);
  assert.equal(syscallByName("pread64")?.decoder, "pread64");
});

Deno.test("argument counts", () => {
  assert.equal(syscallByName("read")?.nargs, 3);
  assert.equal(syscallByName("mmap")?.nargs, 6);
  assert.equal(syscallByName("getpid")?.nargs, 0);
  assert.equal(syscallByName("openat")?.nargs, 4);
  assert.equal(syscallByName("clone")?.nargs, 5);
  assert.equal(syscallByName("clone3")?.nargs, 2);
  assert.equal(syscallByName("exit_group")?.nargs, 1);
});

Deno.test("class membership", () => {
  const openat = syscallByName("openat")!;
  assert.ok(inClass(openat, TD) && inClass(openat, TF));
  assert.ok(!inClass(openat, TN));
  assert.ok(inClass(syscallByName("socket")!, TN));
  assert.ok(inClass(syscallByName("kill")!, TS) && inClass(syscallByName("kill")!, TP));
  assert.ok(inClass(syscallByName("getuid")!, TC | PU | NF));
  assert.ok(inClass(syscallByName("clock_gettime")!, TCL));
  const stat = syscallByName("stat")!;
  assert.ok(inClass(stat, TST) && inClass(stat, TSTA) && !inClass(stat, TLST));
  assert.ok(inClass(syscallByName("newfstatat")!, TFST));
  assert.ok(inClass(syscallByName("fstat")!, TD | TFST | TSTA));
  assert.ok(!inClass(syscallByName("read")!, TF));
});

Deno.test("trace classes", () => {
  const members = (cls: string): string[] =>
    SYSCALLS.filter(([, , , c]) => (c & TRACE_CLASSES[cls]) === TRACE_CLASSES[cls]).map((
      [, n],
    ) => n);
  assert.equal(TRACE_CLASSES.net, TRACE_CLASSES.network);
  assert.deepEqual(members("stat"), ["stat"]);
  assert.deepEqual(members("lstat"), ["lstat"]);
  assert.deepEqual(members("fstat"), ["fstat", "newfstatat", "statx"]);
  assert.deepEqual(members("%stat"), ["stat", "fstat", "lstat", "newfstatat", "statx"]);
  assert.deepEqual(members("statfs"), ["statfs"]);
  assert.deepEqual(members("fstatfs"), ["fstatfs"]);
  assert.deepEqual(members("%statfs"), ["ustat", "statfs", "fstatfs"]);
  assert.deepEqual(members("pure"), [
    "getpid",
    "getuid",
    "getgid",
    "geteuid",
    "getegid",
    "getppid",
    "getpgrp",
    "gettid",
  ]);
  assert.deepEqual(members("clock"), [
    "gettimeofday",
    "adjtimex",
    "settimeofday",
    "time",
    "clock_settime",
    "clock_gettime",
    "clock_getres",
    "clock_adjtime",
  ]);
  const bits = new Set(Object.values(TRACE_CLASSES));
  assert.equal(bits.size, Object.keys(TRACE_CLASSES).length - 1); // net == network
  for (const b of bits) assert.equal(b & (b - 1), 0, "one bit per class");
  assert.ok(LEGACY_TRACE_CLASSES.includes("file"));
  assert.ok(!LEGACY_TRACE_CLASSES.includes("creds"));
});

Deno.test("unknown syscall names, as strace 6.1 prints them", () => {
  // strace 6.1 output of syscall(0x1c8), syscall(600), syscall(336), syscall(-1L)
  assert.equal(unknownSyscallName(0x1c8), "syscall_0x1c8");
  assert.equal(unknownSyscallName(600), "syscall_0x258");
  assert.equal(unknownSyscallName(336), "syscall_0x150");
  assert.equal(unknownSyscallName(512), "syscall_0x200");
  assert.equal(unknownSyscallName(-1), "syscall_0xffffffffffffffff");
  assert.equal(unknownSyscallName(-1n), "syscall_0xffffffffffffffff");
});

Deno.test("strace 6.1 compatibility range", () => {
  assert.equal(knownToStrace61(0), true);
  assert.equal(knownToStrace61(334), true);
  assert.equal(knownToStrace61(335), false);
  assert.equal(knownToStrace61(450), true);
  assert.equal(knownToStrace61(451), false);
  assert.equal(knownToStrace61(400), false);
});
