import assert from "node:assert/strict";
import { decoders } from "../decoders/signal.ts";
import { argsText, entryText, toJson } from "../decoders/value.ts";
import { siginfoText } from "../decoders/siginfo.ts";
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

function sigaction(handler: bigint, flags: bigint, restorer: bigint, mask: bigint): Uint8Array {
  const b = new Uint8Array(88);
  b.set(le64(handler, flags, restorer, mask));
  return b;
}

Deno.test("rt_sigaction with a handler and SA_RESTORER (from strace /tmp/pf/p1)", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, sigaction(0x555555556419n, 0x14000000n, 0x7ffff7e11050n, 0n));
  assert.equal(
    line("rt_sigaction", { mem, args: [10, 0x1000, 0, 8], ret: 0 }),
    "rt_sigaction(SIGUSR1, {sa_handler=0x555555556419, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7ffff7e11050}, NULL, 8)",
  );
});

Deno.test("rt_sigaction old action, garbage upper flag bits, signal set", () => {
  const mem = new FakeMemory();
  // sa_mask = [INT RT_5]: bits 1 (SIGINT) and 36 (SIGRT_5)
  const mask = (1n << 1n) | (1n << 36n);
  mem.put(0x1000, sigaction(0x555555556419n, 0xffffffffcc000004n, 0x7ffff7e11050n, mask));
  mem.put(0x2000, sigaction(0n, 0n, 0n, 0n));
  assert.equal(
    line("rt_sigaction", { mem, args: [12, 0x1000, 0x2000, 8], ret: 0 }),
    "rt_sigaction(SIGUSR2, {sa_handler=0x555555556419, sa_mask=[INT RT_5], sa_flags=SA_RESTORER|SA_ONSTACK|SA_NODEFER|SA_RESETHAND|SA_SIGINFO|0xffffffff00000000, sa_restorer=0x7ffff7e11050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8)",
  );
});

Deno.test("rt_sigaction: SIG_IGN, complement mask, failure prints the address", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, sigaction(1n, 0x04000000n, 0x7f00n, 0xfffffffe7fffffffn));
  assert.equal(
    line("rt_sigaction", { mem, args: [17, 0x1000, 0x3000, 8], ret: -22 }),
    "rt_sigaction(SIGCHLD, {sa_handler=SIG_IGN, sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER, sa_restorer=0x7f00}, 0x3000, 8)",
  );
});

Deno.test("rt_sigprocmask", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, le64(1n << 16n));
  mem.put(0x2000, le64(0xfffffffe7ffbfeffn));
  assert.equal(
    line("rt_sigprocmask", { mem, args: [0, 0x1000, 0, 8], ret: 0 }),
    "rt_sigprocmask(SIG_BLOCK, [CHLD], NULL, 8)",
  );
  assert.equal(
    line("rt_sigprocmask", { mem, args: [2, 0x3000, 0x2000, 8], ret: 0 }),
    "rt_sigprocmask(SIG_SETMASK, 0x3000, ~[KILL STOP RTMIN RT_1], 8)",
  );
  assert.equal(
    line("rt_sigprocmask", { mem, args: [2, 0x1000, 0, 4], ret: -22 }),
    "rt_sigprocmask(SIG_SETMASK, 0x1000, NULL, 4)",
  );
});

Deno.test("rt_sigreturn reads the mask from the signal frame at sp", () => {
  const mem = new FakeMemory();
  const sp = 0x7fff0000;
  mem.put(sp + 296, le64(1n << 9n));
  const c = fakeCall({ mem, sp });
  assert.equal(argsText(decoders.rt_sigreturn.enter!(c)), "{mask=[USR1]}");
  assert.equal(argsText(decoders.rt_sigreturn.enter!(fakeCall({ mem, sp: 0x10 }))), "{mask=0x138}");
  assert.equal(argsText(decoders.rt_sigreturn.enter!(fakeCall({}))), "");
});

Deno.test("sigaltstack", () => {
  const mem = new FakeMemory();
  const st = new Uint8Array(24);
  new DataView(st.buffer).setBigUint64(0, 0x55555555a2a0n, true);
  new DataView(st.buffer).setBigUint64(16, 65536n, true);
  mem.put(0x1000, st);
  const old = new Uint8Array(24);
  old[8] = 2;
  mem.put(0x2000, old);
  assert.equal(
    line("sigaltstack", { mem, args: [0x1000, 0x2000], ret: 0 }),
    "sigaltstack({ss_sp=0x55555555a2a0, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0})",
  );
});

Deno.test("kill, tgkill, rt_sigsuspend, rt_sigpending", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, le64(0n));
  assert.equal(line("kill", { args: [21543, 10], ret: 0 }), "kill(21543, SIGUSR1)");
  assert.equal(line("kill", { args: [-1, 0], ret: 0 }), "kill(-1, 0)");
  assert.equal(
    line("tgkill", { args: [21543, 21543, 19], ret: 0 }),
    "tgkill(21543, 21543, SIGSTOP)",
  );
  assert.equal(
    line("rt_sigsuspend", { mem, args: [0x1000, 8], ret: -514 }),
    "rt_sigsuspend([], 8)",
  );
  assert.equal(line("rt_sigpending", { mem, args: [0x1000, 8], ret: 0 }), "rt_sigpending([], 8)");
});

function siginfo(signo: number, code: number, fill: (v: DataView) => void): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  v.setInt32(0, signo, true);
  v.setInt32(8, code, true);
  fill(v);
  return b;
}

Deno.test("rt_sigtimedwait: siginfo at exit, result names the signal", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, le64(1n << 9n));
  mem.put(0x2000, le64(0n, 1000n));
  mem.put(0x3000, siginfo(10, 0, (v) => v.setInt32(16, 21543, true)));
  assert.equal(
    line("rt_sigtimedwait", { mem, args: [0x1000, 0x3000, 0x2000, 8], ret: 10 }),
    "rt_sigtimedwait([USR1], {si_signo=SIGUSR1, si_code=SI_USER, si_pid=21543, si_uid=0}, {tv_sec=0, tv_nsec=1000}, 8) = 10 (SIGUSR1)",
  );
  assert.equal(
    line("rt_sigtimedwait", { mem, args: [0x1000, 0x3000, 0x2000, 8], ret: -11 }),
    "rt_sigtimedwait([USR1], 0x3000, {tv_sec=0, tv_nsec=1000}, 8)",
  );
  assert.equal(
    line("rt_sigtimedwait", { mem, args: [0, 0, 0, 8], ret: -14 }),
    "rt_sigtimedwait(NULL, NULL, NULL, 8)",
  );
});

Deno.test("siginfoText: strace's signal-delivery forms", () => {
  assert.equal(
    siginfoText(siginfo(10, 0, (v) => v.setInt32(16, 9537, true))),
    "{si_signo=SIGUSR1, si_code=SI_USER, si_pid=9537, si_uid=0}",
  );
  assert.equal(
    siginfoText(siginfo(17, 1, (v) => v.setInt32(16, 20062, true))),
    "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=20062, si_uid=0, si_status=0, si_utime=0, si_stime=0}",
  );
  assert.equal(
    siginfoText(siginfo(17, 2, (v) => {
      v.setInt32(16, 21626, true);
      v.setInt32(24, 15, true);
      v.setBigInt64(32, 150n, true);
    })),
    "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=21626, si_uid=0, si_status=SIGTERM, si_utime=150 /* 1.50 s */, si_stime=0}",
  );
  assert.equal(
    siginfoText(siginfo(11, 1, (v) => v.setBigUint64(16, 8n, true))),
    "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8}",
  );
  assert.equal(siginfoText(siginfo(14, 0x80, () => {})), "{si_signo=SIGALRM, si_code=SI_KERNEL}");
  assert.equal(
    siginfoText(siginfo(19, -6, (v) => v.setInt32(16, 21627, true))),
    "{si_signo=SIGSTOP, si_code=SI_TKILL, si_pid=21627, si_uid=0}",
  );
  assert.equal(
    siginfoText(siginfo(10, -1, (v) => {
      v.setInt32(16, 21543, true);
      v.setBigUint64(24, 42n, true);
    })),
    "{si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=21543, si_uid=0, si_int=42, si_ptr=0x2a}",
  );
  assert.equal(
    siginfoText(siginfo(5, 0x85, (v) => v.setBigUint64(16, 0x56aen, true))),
    "{si_signo=SIGTRAP, si_code=0x85, si_addr=0x56ae}",
  );
  assert.equal(siginfoText(new Uint8Array(128)), "{}");
  assert.equal(siginfoText(new Uint8Array(3)), "{}");
});

Deno.test("signal decoders give typed values: kill's signal, a sigset array, sigaction's struct", () => {
  const kill = decoders.kill.enter!(fakeCall({ args: [1234, 15] }));
  assert.ok(typeof kill !== "string");
  assert.deepEqual(kill.map((v) => v.kind), ["int", "signal"]);
  assert.equal(kill[1].kind === "signal" && kill[1].name, "SIGTERM");
  assert.deepEqual(kill.map(toJson), [1234, "SIGTERM"]);
  const mem = new FakeMemory();
  mem.put(0x1000, le64(1n << 9n | 1n << 16n));
  const mask = decoders.rt_sigprocmask.enter!(fakeCall({ mem, args: [0, 0x1000, 0, 8] }));
  assert.ok(typeof mask !== "string");
  assert.equal(mask[1].kind, "array");
  assert.equal(mask[1].text, "[USR1 CHLD]");
  assert.deepEqual(mask.map(toJson), ["SIG_BLOCK", ["SIGUSR1", "SIGCHLD"]]);
  // A mostly full set: strace prints the complement, JSON lists what is in the set.
  mem.put(0x2000, le64(0xffffffffffffffffn & ~(1n << 9n)));
  const full = decoders.rt_sigprocmask.enter!(fakeCall({ mem, args: [2, 0x2000, 0, 8] }));
  assert.ok(typeof full !== "string");
  assert.equal(full[1].text, "~[USR1]");
  const items = toJson(full[1]) as string[];
  assert.equal(items.length, 63);
  assert.ok(!items.includes("SIGUSR1") && items.includes("SIGKILL"));
  mem.put(0x3000, sigaction(0n, 0x04000000n | 0x10000000n, 0x401000n, 1n << 12n));
  const act = decoders.rt_sigaction.enter!(fakeCall({ mem, args: [2, 0x3000, 0, 8] }));
  assert.ok(typeof act !== "string");
  assert.deepEqual(toJson(act[1]), {
    sa_handler: "SIG_DFL",
    sa_mask: ["SIGPIPE"],
    sa_flags: ["SA_RESTORER", "SA_RESTART"],
    sa_restorer: "0x401000",
  });
  const bad = decoders.rt_sigaction.enter!(fakeCall({ args: [2, 0x9000] }));
  assert.ok(typeof bad !== "string");
  assert.deepEqual(toJson(bad[1]), { unavailable: "0x9000" });
});

Deno.test("rt_sigtimedwait without info is whole at entry: nothing after it while unfinished", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, le64(1n));
  const state = {};
  const e = decoders.rt_sigtimedwait.enter!(fakeCall({ mem, args: [0x1000, 0, 0, 8], state }));
  assert.equal(entryText(e, true), "[HUP], NULL, NULL, 8");
  const x = decoders.rt_sigtimedwait.exit!(
    fakeCall({ mem, args: [0x1000, 0, 0, 8], ret: 1, state }),
  );
  assert.deepEqual(x, []);
});
