import assert from "node:assert/strict";
import { decoders, waitStatusText } from "../decoders/process.ts";
import { argsText, callArgs, callArgsText, entryText, toJson } from "../decoders/value.ts";
import { callText, fakeCall, type FakeCallOptions, FakeMemory } from "./helpers/fake_call.ts";

/** Runs a decoder through entry and exit; appends ` = result` when the decoder sets one. */
const line = (name: string, o: FakeCallOptions & { ret: number }): string =>
  callText(decoders, name, o);

function le64(...vals: bigint[]): Uint8Array {
  const b = new Uint8Array(vals.length * 8);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setBigUint64(i * 8, x, true));
  return b;
}

function le32(...vals: number[]): Uint8Array {
  const b = new Uint8Array(vals.length * 4);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setUint32(i * 4, x >>> 0, true));
  return b;
}

/** Puts a NULL-terminated argv of strings at `base` (pointers) and `base + 0x1000` (strings). */
function putArgv(mem: FakeMemory, base: number, strs: string[]): void {
  let p = base + 0x1000;
  const ptrs: bigint[] = [];
  for (const s of strs) {
    mem.put(p, s + "\0");
    ptrs.push(BigInt(p));
    p += s.length + 1;
  }
  ptrs.push(0n);
  mem.put(base, le64(...ptrs));
}

Deno.test("execve: argv cut at -s, envp counted (strace /tmp/pf/p2, p3)", () => {
  const mem = new FakeMemory();
  mem.put(0x100, "./helloasm\0");
  putArgv(mem, 0x10000, ["./helloasm", "--the-rains-in-spain-stay-mainly-in-the-plain"]);
  putArgv(mem, 0x20000, ["A=1", "B=2"]);
  assert.equal(
    line("execve", { mem, args: [0x100, 0x10000, 0x20000], ret: 0 }),
    'execve("./helloasm", ["./helloasm", "--the-rains-in-spain-stay-mainly"...], 0x20000 /* 2 vars */)',
  );
  assert.equal(
    line("execve", { mem, args: [0x100, 0x10000, 0x20000], ret: 0, opts: { verbose: true } }),
    'execve("./helloasm", ["./helloasm", "--the-rains-in-spain-stay-mainly"...], ["A=1", "B=2"])',
  );
  const many = Array.from({ length: 40 }, (_, i) => `a${i}`);
  putArgv(mem, 0x30000, many);
  assert.equal(
    line("execve", { mem, args: [0x100, 0x30000, 0], ret: 0, opts: { strsize: 5 } }),
    'execve("./helloasm", ["a0", "a1", "a2", "a3", "a4", ...], NULL)',
  );
  assert.equal(
    line("execve", { mem, args: [0x100, 0x999, 0x998], ret: -14 }),
    'execve("./helloasm", 0x999, 0x998)',
  );
});

Deno.test("clone: fork-like and thread-like flags", () => {
  const mem = new FakeMemory();
  assert.equal(
    line("clone", { mem, args: [0x1200011, 0, 0, 0x7ffff7dd2a10, 0], ret: 21625 }),
    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7ffff7dd2a10)",
  );
  const d = decoders.clone;
  assert.equal(
    // Whole at entry (strace's RVAL_DECODED): no `, ` before `<unfinished ...>`.
    entryText(d.enter!(fakeCall({ args: [0x11, 0] })), true),
    "child_stack=NULL, flags=SIGCHLD",
  );
  assert.equal(argsText(d.exit!(fakeCall({ args: [0x11, 0], ret: 5 }))), "");
  mem.put(0x500, le32(777));
  assert.equal(
    line("clone", { mem, args: [0x3d0f00, 0x7f0000, 0x500, 0x600, 0x700], ret: 777 }),
    "clone(child_stack=0x7f0000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[777], tls=0x700, child_tidptr=0x600)",
  );
});

Deno.test("clone3 (strace /tmp/pf/p2)", () => {
  const mem = new FakeMemory();
  const args = new Uint8Array(88);
  const v = new DataView(args.buffer);
  v.setBigUint64(32, 17n, true);
  mem.put(0x1000, args);
  assert.equal(
    line("clone3", { mem, args: [0x1000, 88], ret: 21631 }),
    "clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88)",
  );
  const t = new Uint8Array(88);
  const tv = new DataView(t.buffer);
  tv.setBigUint64(0, 0x3d0f00n, true);
  tv.setBigUint64(16, 0x7ffff7dd1990n, true);
  tv.setBigUint64(24, 0x2000n, true);
  tv.setBigUint64(40, 0x7ffff75d1000n, true);
  tv.setBigUint64(48, 0x7fff80n, true);
  tv.setBigUint64(56, 0x7ffff7dd16c0n, true);
  mem.put(0x3000, t);
  mem.put(0x2000, le32(21630));
  assert.equal(
    line("clone3", { mem, args: [0x3000, 88], ret: 21630 }),
    "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7ffff7dd1990, parent_tid=0x2000, exit_signal=0, stack=0x7ffff75d1000, stack_size=0x7fff80, tls=0x7ffff7dd16c0} => {parent_tid=[21630]}, 88)",
  );
  // Split as strace splits it around `<unfinished ...>`: the struct at entry, the ids at exit;
  // as values, one change.
  const state = {};
  const e = decoders.clone3.enter!(fakeCall({ mem, args: [0x3000, 88], state }));
  const x = decoders.clone3.exit!(fakeCall({ mem, args: [0x3000, 88], state, ret: 21630 }));
  assert.ok(typeof e !== "string" && typeof x !== "string");
  assert.match(entryText(e, true), /^\{flags=CLONE_VM\|.*, tls=0x7ffff7dd16c0\}$/);
  assert.equal(argsText(x), " => {parent_tid=[21630]}, 88");
  const all = callArgs(e, x);
  assert.deepEqual(all.map((a) => a.kind), ["change", "int"]);
  assert.deepEqual((toJson(all[0]) as { out: unknown }).out, { parent_tid: [21630] });
  // Failed: the struct, then `, 88` at exit.
  const fstate = {};
  const fe = decoders.clone3.enter!(fakeCall({ mem, args: [0x3000, 88], state: fstate }));
  const fx = decoders.clone3.exit!(fakeCall({ mem, args: [0x3000, 88], state: fstate, ret: -11 }));
  assert.ok(callArgsText(fe, fx).endsWith(", tls=0x7ffff7dd16c0}, 88"));
});

Deno.test("wait4 statuses and options", () => {
  assert.equal(waitStatusText(0), "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
  assert.equal(waitStatusText(7 << 8), "[{WIFEXITED(s) && WEXITSTATUS(s) == 7}]");
  assert.equal(waitStatusText(15), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}]");
  assert.equal(
    waitStatusText(0x86),
    "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]",
  );
  assert.equal(waitStatusText(0x137f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
  assert.equal(waitStatusText(0x857f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}]");
  assert.equal(
    waitStatusText(0x80137f),
    "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}|PTRACE_EVENT_STOP<<16]",
  );
  assert.equal(waitStatusText(0xffff), "[{WIFCONTINUED(s)}]");
  const mem = new FakeMemory();
  mem.put(0x100, le32(0));
  assert.equal(
    line("wait4", { mem, args: [-1, 0x100, 0, 0], ret: 20062 }),
    "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL)",
  );
  assert.equal(
    line("wait4", { mem, args: [-1, 0x100, 0x40000001, 0], ret: -10 }),
    "wait4(-1, 0x100, WNOHANG|__WALL, NULL)",
  );
  mem.put(0x200, le64(0n, 183n, 0n, 0n, ...Array(14).fill(0n)));
  assert.equal(
    line("wait4", { mem, args: [5, 0x100, 0, 0x200], ret: 5 }),
    "wait4(5, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, {ru_utime={tv_sec=0, tv_usec=183}, ru_stime={tv_sec=0, tv_usec=0}, ...})",
  );
});

Deno.test("waitid", () => {
  const mem = new FakeMemory();
  assert.equal(
    line("waitid", { mem, args: [0, 0, 0x7fffffffe5e0, 5, 0], ret: -10 }),
    "waitid(P_ALL, 0, 0x7fffffffe5e0, WNOHANG|WEXITED, NULL)",
  );
});

Deno.test("prlimit64, getrlimit, setrlimit", () => {
  const mem = new FakeMemory();
  mem.put(0x100, le64(8192n * 1024n, 0xffffffffffffffffn));
  mem.put(0x200, le64(20000n, 1024n));
  assert.equal(
    line("prlimit64", { mem, args: [0, 3, 0, 0x100], ret: 0 }),
    "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY})",
  );
  assert.equal(
    line("prlimit64", { mem, args: [0, 3, 0, 0x100], ret: 0, opts: { xlat: "verbose" } }),
    "prlimit64(0, 0x3 /* RLIMIT_STACK */, NULL, {rlim_cur=8388608 /* 8192*1024 */, rlim_max=18446744073709551615 /* RLIM64_INFINITY */})",
  );
  assert.equal(
    line("setrlimit", { mem, args: [7, 0x200], ret: 0 }),
    "setrlimit(RLIMIT_NOFILE, {rlim_cur=20000, rlim_max=1024})",
  );
  assert.equal(
    line("getrlimit", { mem, args: [99, 0x300], ret: -22 }),
    "getrlimit(0x63 /* RLIMIT_??? */, 0x300)",
  );
});

Deno.test("prctl", () => {
  const mem = new FakeMemory();
  mem.put(0x100, "myname-is-very-long-indeed\0");
  mem.put(0x200, le32(9));
  mem.put(0x400, "myname-is-very-\0");
  assert.equal(
    line("prctl", { mem, args: [15, 0x100], ret: 0 }),
    'prctl(PR_SET_NAME, "myname-is-very-"...)',
  );
  assert.equal(
    line("prctl", { mem, args: [16, 0x400], ret: 0 }),
    'prctl(PR_GET_NAME, "myname-is-very-")',
  );
  assert.equal(line("prctl", { mem, args: [1, 9], ret: 0 }), "prctl(PR_SET_PDEATHSIG, SIGKILL)");
  assert.equal(
    line("prctl", { mem, args: [2, 0x200], ret: 0 }),
    "prctl(PR_GET_PDEATHSIG, [SIGKILL])",
  );
  assert.equal(
    line("prctl", { mem, args: [3], ret: 1 }),
    "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)",
  );
  assert.equal(
    line("prctl", { mem, args: [38, 1, 0, 0, 0], ret: 0 }),
    "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)",
  );
  assert.equal(
    line("prctl", { mem, args: [39, 0, 0, 0, 0], ret: 1 }),
    "prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)",
  );
  assert.equal(
    line("prctl", { mem, args: [4, 1], ret: 0 }),
    "prctl(PR_SET_DUMPABLE, SUID_DUMP_USER)",
  );
});

Deno.test("arch_prctl, set_tid_address, set_robust_list, rseq, exit_group", () => {
  assert.equal(
    line("arch_prctl", { args: [0x1002, 0x7f256898d740], ret: 0 }),
    "arch_prctl(ARCH_SET_FS, 0x7f256898d740)",
  );
  assert.equal(
    line("set_tid_address", { args: [0x7f256898da10], ret: 1 }),
    "set_tid_address(0x7f256898da10)",
  );
  assert.equal(
    line("set_robust_list", { args: [0x7f256898da20, 24], ret: 0 }),
    "set_robust_list(0x7f256898da20, 24)",
  );
  assert.equal(
    line("rseq", { args: [0x7f256898e060, 0x20, 0, 0x53053053], ret: 0 }),
    "rseq(0x7f256898e060, 0x20, 0, 0x53053053)",
  );
  assert.equal(line("exit_group", { args: [-1], ret: 0 }), "exit_group(-1)");
});

Deno.test("futex", () => {
  const mem = new FakeMemory();
  mem.put(0x100, le64(0n, 1000n));
  assert.equal(
    line("futex", { mem, args: [0x7fffffffe04c, 128, 1, 0x100, 0, 0], ret: -11 }),
    "futex(0x7fffffffe04c, FUTEX_WAIT_PRIVATE, 1, {tv_sec=0, tv_nsec=1000})",
  );
  assert.equal(
    line("futex", { mem, args: [0x7fd4ec6e1a4c, 129, 2147483647], ret: 0 }),
    "futex(0x7fd4ec6e1a4c, FUTEX_WAKE_PRIVATE, 2147483647)",
  );
  assert.equal(
    line("futex", { mem, args: [0x7ffff7dd1990, 265, 21630, 0, 0, 0xffffffff], ret: 0 }),
    "futex(0x7ffff7dd1990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 21630, NULL, FUTEX_BITSET_MATCH_ANY)",
  );
  assert.equal(
    line("futex", { mem, args: [0x7fffffffe04c, 133, 1, 1, 0x7fffffffe04c, 0x14001000], ret: 0 }),
    "futex(0x7fffffffe04c, FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x7fffffffe04c, FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0)",
  );
});

Deno.test("scheduling, ids, personality", () => {
  const mem = new FakeMemory();
  const mask = new Uint8Array(128);
  mask[0] = 3;
  mem.put(0x100, mask);
  mem.put(0x300, le32(0));
  assert.equal(
    line("sched_getaffinity", { mem, args: [0, 128, 0x100], ret: 32 }),
    "sched_getaffinity(0, 128, [0 1])",
  );
  assert.equal(
    line("sched_getscheduler", { mem, args: [0], ret: 0 }),
    "sched_getscheduler(0) = 0 (SCHED_OTHER)",
  );
  assert.equal(
    line("sched_setscheduler", { mem, args: [0, 0, 0x300], ret: 0 }),
    "sched_setscheduler(0, SCHED_OTHER, [0])",
  );
  assert.equal(line("setresuid", { args: [-1, -1, -1], ret: 0 }), "setresuid(-1, -1, -1)");
  assert.equal(
    line("getresuid", { mem, args: [0x300, 0x300, 0x300], ret: 0 }),
    "getresuid([0], [0], [0])",
  );
  assert.equal(line("getgroups", { mem, args: [64, 0x300], ret: 0 }), "getgroups(64, [])");
  assert.equal(
    line("personality", { args: [0xffffffff], ret: 0x40000 }),
    "personality(0xffffffff) = 0x40000 (PER_LINUX|ADDR_NO_RANDOMIZE)",
  );
  assert.equal(line("getcpu", { mem, args: [0x300, 0x300, 0], ret: 0 }), "getcpu([0], [0], NULL)");
});

Deno.test("ptrace (strace /tmp/pf/p4)", () => {
  const mem = new FakeMemory();
  mem.put(0x100, le64(0x27n));
  assert.equal(
    line("ptrace", { mem, args: [0x4206, 22190, 0, 0x19], ret: 0 }),
    "ptrace(PTRACE_SEIZE, 22190, NULL, PTRACE_O_TRACESYSGOOD|PTRACE_O_TRACECLONE|PTRACE_O_TRACEEXEC)",
  );
  assert.equal(
    line("ptrace", { mem, args: [0x18, 22190, 0, 0], ret: 0 }),
    "ptrace(PTRACE_SYSCALL, 22190, NULL, 0)",
  );
  assert.equal(
    line("ptrace", { mem, args: [3, 22190, 120, 0x100], ret: 0 }),
    "ptrace(PTRACE_PEEKUSER, 22190, 8*ORIG_RAX, [0x27])",
  );
  assert.equal(
    line("ptrace", { mem, args: [7, 22190, 0, 18], ret: 0 }),
    "ptrace(PTRACE_CONT, 22190, NULL, SIGCONT)",
  );
});

Deno.test("capget", () => {
  const mem = new FakeMemory();
  mem.put(0x100, le32(0x20080522, 0));
  mem.put(0x200, le32(0x3, 0x3, 0, 0x1, 0, 0));
  assert.equal(
    line("capget", { mem, args: [0x100, 0x200], ret: 0 }),
    "capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE|1<<CAP_MAC_OVERRIDE, permitted=1<<CAP_CHOWN|1<<CAP_DAC_OVERRIDE, inheritable=0})",
  );
});

Deno.test("process decoders give typed values: execve's argv, wait4's status, clone's flags", () => {
  const mem = new FakeMemory();
  mem.put(0x100, "/bin/true\0");
  putArgv(mem, 0x10000, ["true", "--x"]);
  putArgv(mem, 0x20000, ["A=1"]);
  const ex = decoders.execve.enter!(fakeCall({ mem, args: [0x100, 0x10000, 0x20000] }));
  assert.ok(typeof ex !== "string");
  const argv = ex[1];
  assert.ok(argv.kind === "array");
  assert.deepEqual(argv.items.map((v) => v.kind), ["str", "str"]);
  assert.deepEqual(ex.map(toJson), ["/bin/true", ["true", "--x"], "0x20000"]);
  assert.equal(ex[2].text, "0x20000 /* 1 var */");
  // wait4: the status is an array of one struct saying how the child ended; text as strace's.
  mem.put(0x300, le32(0x0b00));
  const st = decoders.wait4.exit!(fakeCall({ mem, args: [-1, 0x300, 0, 0], ret: 42 }));
  assert.ok(typeof st !== "string");
  assert.equal(st[0].text, "[{WIFEXITED(s) && WEXITSTATUS(s) == 11}]");
  assert.deepEqual(toJson(st[0]), [{ WEXITSTATUS: 11 }]);
  mem.put(0x400, le32(0x89));
  const killed = decoders.wait4.exit!(fakeCall({ mem, args: [-1, 0x400, 0, 0], ret: 42 }));
  assert.ok(typeof killed !== "string");
  assert.equal(killed[0].text, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)}]");
  assert.deepEqual(toJson(killed[0]), [{ WTERMSIG: "SIGKILL", WCOREDUMP: 1 }]);
  const cl = decoders.clone.enter!(fakeCall({ args: [0x1200011, 0] }));
  assert.ok(typeof cl !== "string");
  assert.deepEqual(toJson(cl[1]), ["CLONE_CHILD_CLEARTID", "CLONE_CHILD_SETTID", "SIGCHLD"]);
});
