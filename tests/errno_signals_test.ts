import assert from "node:assert/strict";
import {
  errnoByName,
  errnoIsRestart,
  errnoMessage,
  errnoName,
  errorResult,
} from "../decoders/errno.ts";
import { signals } from "../decoders/xlat/signals.ts";
import { printSignal, signalName, signame, sigsetBytes, sigsetText } from "../decoders/signame.ts";

Deno.test("errno names and messages", () => {
  assert.equal(errnoName(1), "EPERM");
  assert.equal(errnoName(2), "ENOENT");
  assert.equal(errnoMessage(2), "No such file or directory");
  assert.equal(errnoName(11), "EAGAIN");
  assert.equal(errnoMessage(11), "Resource temporarily unavailable");
  assert.equal(errnoName(133), "EHWPOISON");
  assert.equal(errnoMessage(133), "Memory page has hardware error");
  assert.equal(errnoName(41), undefined);
  assert.equal(errnoName(58), undefined);
  assert.equal(errnoName(0), undefined);
  assert.equal(errnoName(134), undefined);
  assert.equal(errnoName(519), undefined);
  assert.equal(errnoName(531), undefined);
  assert.equal(errnoByName("EINVAL"), 22);
  assert.equal(errnoByName("ENOTSUPP"), 524);
  for (let n = 1; n <= 133; n++) {
    if (n === 41 || n === 58) continue;
    assert.ok(errnoName(n)?.startsWith("E"), String(n));
    assert.ok(errnoMessage(n), String(n));
  }
});

Deno.test("error results, as strace 6.1 prints them (checked with -e inject=getppid:error=N)", () => {
  assert.equal(errorResult(11), "-1 EAGAIN (Resource temporarily unavailable)");
  assert.equal(errorResult(133), "-1 EHWPOISON (Memory page has hardware error)");
  assert.equal(errorResult(512), "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
  assert.equal(errorResult(513), "? ERESTARTNOINTR (To be restarted)");
  assert.equal(errorResult(514), "? ERESTARTNOHAND (To be restarted if no handler)");
  assert.equal(errorResult(515), "-1 ENOIOCTLCMD (Unknown error 515)");
  assert.equal(errorResult(516), "? ERESTART_RESTARTBLOCK (Interrupted by signal)");
  assert.equal(errorResult(517), "-1 EPROBE_DEFER (Unknown error 517)");
  assert.equal(errorResult(524), "-1 ENOTSUPP (Unknown error 524)");
  assert.equal(errorResult(530), "-1 ERECALLCONFLICT (Unknown error 530)");
  assert.equal(errorResult(41), "-1 (errno 41)");
  assert.equal(errorResult(58), "-1 (errno 58)");
  assert.equal(errorResult(4000), "-1 (errno 4000)");
  assert.equal(errnoIsRestart(512), true);
  assert.equal(errnoIsRestart(516), true);
  assert.equal(errnoIsRestart(515), false);
  assert.equal(errnoIsRestart(4), false);
});

Deno.test("signal names, as strace 6.1 prints kill()'s second argument", () => {
  assert.equal(signals.byValue.get(1), "SIGHUP");
  assert.equal(signals.byValue.get(31), "SIGSYS");
  assert.equal(signals.entries.length, 31);
  assert.equal(signame(10), "SIGUSR1");
  assert.equal(signame(16), "SIGSTKFLT");
  assert.equal(signame(32), "SIGRTMIN");
  assert.equal(signame(34), "SIGRT_2");
  assert.equal(signame(40), "SIGRT_8");
  assert.equal(signame(64), "SIGRT_32");
  assert.equal(signame(65), "65");
  assert.equal(signame(0), "0");
  assert.equal(signame(-3), "-3");
  assert.equal(signalName(0), undefined);
  assert.equal(printSignal(34), "SIGRT_2");
  assert.equal(printSignal(34, "raw"), "34");
  assert.equal(printSignal(34, "verbose"), "34 /* SIGRT_2 */");
  assert.equal(printSignal(65, "verbose"), "65");
});

Deno.test("signal sets, as strace 6.1 prints rt_sigprocmask's set", () => {
  const u64 = (v: bigint): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return b;
  };
  assert.equal(sigsetText(u64(0n)), "[]");
  assert.equal(sigsetText(u64((1n << 9n) | (1n << 16n))), "[USR1 CHLD]");
  assert.equal(sigsetText(sigsetBytes([10, 17])), "[USR1 CHLD]");
  assert.equal(sigsetText(u64(~0n)), "~[]");
  assert.equal(sigsetText(u64(~0n & ~((1n << 31n) | (1n << 32n)))), "~[RTMIN RT_1]");
  assert.equal(sigsetText(u64((1n << 31n) | (1n << 32n) | (1n << 63n))), "[RTMIN RT_1 RT_32]");
  assert.equal(
    sigsetText(u64((1n << 42n) - 1n)),
    "~[RT_11 RT_12 RT_13 RT_14 RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 RT_22 RT_23 RT_24" +
      " RT_25 RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32]",
  );
  assert.equal(
    sigsetText(u64((1n << 41n) - 1n)),
    "[HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT" +
      " STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN RT_1 RT_2 RT_3" +
      " RT_4 RT_5 RT_6 RT_7 RT_8 RT_9]",
  );
  assert.equal(sigsetText(u64(~((1n << 9n) | (1n << 18n)))), "~[USR1 STOP]");
  assert.equal(
    sigsetText(u64(0xffffffffn)),
    "[HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT" +
      " STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN]",
  );
  // -X raw and -X verbose
  assert.equal(sigsetText(sigsetBytes([10, 17]), "raw"), "[10 17]");
  assert.equal(sigsetText(u64(~0n & ~((1n << 31n) | (1n << 32n))), "raw"), "~[32 33]");
  assert.equal(sigsetText(sigsetBytes([10, 17]), "verbose"), "[10 /* USR1 */ 17 /* CHLD */]");
  assert.equal(
    sigsetText(sigsetBytes([32, 33, 64]), "verbose"),
    "[32 /* RTMIN */ 33 /* RT_1 */ 64 /* RT_32 */]",
  );
  // Only the first 8 bytes count; a 4-byte set is one word (complemented at 21 bits set).
  const long = new Uint8Array(16).fill(0xff);
  long.set(sigsetBytes([10]));
  assert.equal(sigsetText(long), "[USR1]");
  assert.equal(
    sigsetText(new Uint8Array([0xff, 0xff, 0x1f, 0])),
    "~[TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN]",
  );
  assert.equal(sigsetText(new Uint8Array([0xff, 0xff, 0x0f, 0])).startsWith("[HUP "), true);
});
