/**
 * `--seccomp-bpf` pieces: the BPF program (instruction by instruction, and evaluated for every
 * syscall number), and the spawn shim installing it for real: a tracee started with the filter
 * stops (`PTRACE_EVENT_SECCOMP`) only at the filtered calls.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import {
  AUDIT_ARCH_X86_64,
  BPF,
  buildFilter,
  buildProgram,
  decodeProgram,
  DEFAULT_LIMIT,
  type Insn,
  runProgram,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_TRACE,
} from "../ffi/seccomp.ts";
import { spawnStopped } from "../ffi/spawn.ts";
import * as pt from "../ffi/ptrace.ts";
import { libc } from "../ffi/libc.ts";
import { PTRACE_EVENT, PTRACE_O, SIG, WAIT } from "../ffi/constants.ts";

const I = (code: number, jt: number, jf: number, k: number): Insn => ({ code, jt, jf, k });

Deno.test("seccomp: -e trace=exit_group gives a ten-instruction linear program", () => {
  // What `strace -v` decoded when the shim installed buildFilter([110]) (checked by hand), with
  // 231 in place of 110.
  assertEquals(buildProgram([231]), [
    I(BPF.LD_W_ABS, 0, 0, 4), // A = arch
    I(BPF.JEQ, 0, 7, AUDIT_ARCH_X86_64), // other arch: trace
    I(BPF.LD_W_ABS, 0, 0, 0), // A = nr
    I(BPF.JGE, 5, 0, 0x40000000), // x32: trace
    I(BPF.JGE, 4, 0, DEFAULT_LIMIT), // unknown: trace
    I(BPF.JEQ, 3, 0, 59), // execve
    I(BPF.JEQ, 2, 0, 231), // exit_group
    I(BPF.JEQ, 1, 0, 322), // execveat
    I(BPF.RET_K, 0, 0, SECCOMP_RET_ALLOW),
    I(BPF.RET_K, 0, 0, SECCOMP_RET_TRACE),
  ]);
});

Deno.test("seccomp: ranges use two jge", () => {
  const p = buildProgram([0, 1, 2, 3], 400);
  assertEquals(p.slice(5, 8), [
    I(BPF.JGE, 0, 1, 0), // nr >= 0 …
    I(BPF.JGE, 0, 3, 4), // … and nr < 4: trace
    I(BPF.JEQ, 2, 0, 59),
  ]);
});

Deno.test("seccomp: bytes are struct sock_filter, little-endian", () => {
  const b = buildFilter([231]);
  assertEquals(b.length, 80);
  const hex = [...b.subarray(0, 16)].map((x) => x.toString(16).padStart(2, "0")).join("");
  // ld [4]; jeq #0xc000003e, 0, 7
  assertEquals(hex, "20000000" + "04000000" + "15000007" + "3e0000c0");
  assertEquals(decodeProgram(b), buildProgram([231]));
});

function check(set: number[], limit = DEFAULT_LIMIT): number {
  const prog = buildProgram(set, limit);
  const want = new Set([...set, 59, 322]);
  for (let nr = 0; nr < limit + 40; nr++) {
    const traced = nr >= limit || want.has(nr);
    assertEquals(
      runProgram(prog, nr),
      traced ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW,
      `nr ${nr} of ${set.length} traced`,
    );
  }
  assertEquals(runProgram(prog, 0x40000000 | 1), SECCOMP_RET_TRACE, "x32");
  assertEquals(runProgram(prog, 1, 0x40000003), SECCOMP_RET_TRACE, "i386");
  for (const ins of prog) assert(ins.jt <= 255 && ins.jf <= 255);
  return prog.length;
}

Deno.test("seccomp: every set traces exactly its numbers (evaluated for each nr)", () => {
  assertEquals(check([]), 9);
  check([0]);
  check([231, 60]);
  check(Array.from({ length: 460 }, (_, i) => i)); // everything
  // Every other number: the linear layout would overflow its 8-bit jumps; the bitmap is used.
  const even = Array.from({ length: 230 }, (_, i) => i * 2);
  const n = check(even);
  assert(n < 64, `bitmap program has ${n} instructions`);
  assert(buildProgram(even).some((i) => i.code === BPF.JSET));
  // A pseudo-random set, with a small and a large table size.
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (const limit of [64, 463]) {
    for (let round = 0; round < 20; round++) {
      const set = Array.from({ length: limit }, (_, i) => i).filter(() => rnd() < 0.3);
      check(set, limit);
    }
  }
});

Deno.test("seccomp: bad limits are refused", () => {
  let threw = false;
  try {
    buildProgram([1], 0);
  } catch {
    threw = true;
  }
  assert(threw);
});

const C_PROG = `#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  for (int i = 0; i < 3; i++) syscall(SYS_getppid);
  for (int i = 0; i < 5; i++) syscall(SYS_getpid);
  return 7;
}
`;

async function compile(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace_seccomp_" });
  await Deno.writeTextFile(`${dir}/p.c`, C_PROG);
  const r = await new Deno.Command("gcc", { args: ["-O0", "-o", `${dir}/p`, `${dir}/p.c`] })
    .output();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  return `${dir}/p`;
}

/**
 * A minimal seccomp-aware loop, as the tracer must run it: PTRACE_SYSCALL while the shim runs
 * (hidden) and whenever the tracee is inside a syscall; PTRACE_CONT otherwise once a seccomp stop
 * was seen. Returns [syscall numbers seen at visible seccomp stops, syscall-stop count, exit code].
 */
function traceWith(path: string, filter?: Uint8Array): [number[], number, number] {
  const pid = spawnStopped({ path, argv: [path], env: [], seccompFilter: filter });
  assert(pid > 0, `spawn: ${pid}`);
  assertEquals(pt.wait(pid, WAIT.WUNTRACED), pid);
  const opts = PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACEEXEC | PTRACE_O.TRACESECCOMP |
    PTRACE_O.EXITKILL;
  assertEquals(pt.seize(pid, opts), 0);
  libc.kill(pid, SIG.SIGCONT);
  let hidden = true;
  let inSyscall = false;
  let seccomp = false;
  const seen: number[] = [];
  let syscallStops = 0;
  for (;;) {
    assertEquals(pt.wait(pid, 0), pid);
    const s = pt.waitStatus[0];
    if (pt.status.exited(s)) return [seen, syscallStops, pt.status.exitCode(s)];
    assert(pt.status.stopped(s), `status ${s}`);
    const sig = pt.status.stopSig(s);
    const ev = pt.status.event(s);
    let deliver = 0;
    if (sig === (SIG.SIGTRAP | 0x80)) {
      syscallStops++;
      const op = pt.getSyscallInfo(pid);
      inSyscall = op === 1;
    } else if (ev === PTRACE_EVENT.SECCOMP) {
      seccomp = true;
      // Kernels since 4.8 report the seccomp stop after the syscall-entry stop: when the entry
      // was already seen (PTRACE_SYSCALL), this is the same call.
      if (!inSyscall) {
        assertEquals(pt.getSyscallInfo(pid), 3);
        inSyscall = true;
        if (!hidden) seen.push(pt.syscallInfo[6]);
      }
    } else if (ev === PTRACE_EVENT.EXEC) hidden = false;
    else if (ev === 0 && sig !== SIG.SIGSTOP && sig !== SIG.SIGCONT) deliver = sig;
    if (seccomp && !inSyscall && !hidden) pt.cont(pid, deliver);
    else pt.syscall(pid, deliver);
  }
}

Deno.test("seccomp: the shim installs the filter; only filtered calls stop", async () => {
  const prog = await compile();
  try {
    const [seen, stops, code] = traceWith(prog, buildFilter([110, 231])); // getppid, exit_group
    assertEquals(code, 7);
    assertEquals(seen, [110, 110, 110, 231]);
    // Without the filter, every call stops twice; with it, the three getppid exits and the
    // exec's own stops before the first PTRACE_CONT remain.
    const [seenPlain, stopsPlain, codePlain] = traceWith(prog);
    assertEquals(seenPlain, []);
    assertEquals(codePlain, 7);
    assert(stops < stopsPlain / 4, `${stops} stops with the filter, ${stopsPlain} without`);
  } finally {
    await Deno.remove(prog.replace(/\/p$/, ""), { recursive: true });
  }
});

Deno.test("seccomp: the bitmap layout works in the kernel too, not only in runProgram", async () => {
  // Sets too sparse for 8-bit jumps use the JSET bitmap; runProgram (our own interpreter) says it
  // works: the kernel must agree. Even numbers: getppid (110) stops, getpid (39) does not; odd
  // numbers: the other way round, and exit_group (231) too.
  const prog = await compile();
  try {
    const even = Array.from({ length: 230 }, (_, i) => i * 2);
    const odd = even.map((n) => n + 1);
    assert(buildProgram(even).some((i) => i.code === BPF.JSET));
    assert(buildProgram(odd).some((i) => i.code === BPF.JSET));
    const [seenEven, , codeEven] = traceWith(prog, buildFilter(even));
    assertEquals(codeEven, 7);
    assert(seenEven.every((nr) => nr % 2 === 0), `odd numbers stopped: ${seenEven}`);
    assertEquals(seenEven.filter((nr) => nr === 110).length, 3);
    const [seenOdd, , codeOdd] = traceWith(prog, buildFilter(odd));
    assertEquals(codeOdd, 7);
    assert(seenOdd.every((nr) => nr % 2 === 1), `even numbers stopped: ${seenOdd}`);
    assertEquals(seenOdd.filter((nr) => nr === 39).length, 5);
    assertEquals(seenOdd[seenOdd.length - 1], 231);
  } finally {
    await Deno.remove(prog.replace(/\/p$/, ""), { recursive: true });
  }
});

/** Runs `argv` through the shim with `env` and `filter`, to its end; returns its status. */
function runShim(argv: string[], env: string[], filter: Uint8Array): number {
  const pid = spawnStopped({
    path: argv[0],
    argv,
    env,
    seccompFilter: filter,
  });
  assertEquals(pt.wait(pid, WAIT.WUNTRACED), pid);
  assertEquals(
    pt.seize(pid, PTRACE_O.TRACESYSGOOD | PTRACE_O.TRACESECCOMP | PTRACE_O.EXITKILL),
    0,
  );
  libc.kill(pid, SIG.SIGCONT);
  for (;;) {
    assertEquals(pt.wait(pid, 0), pid);
    const s = pt.waitStatus[0];
    if (pt.status.exited(s)) return pt.status.exitCode(s);
    const sig = pt.status.stopSig(s);
    const plain = sig === (SIG.SIGTRAP | 0x80) || pt.status.event(s) ||
      sig === SIG.SIGSTOP || sig === SIG.SIGCONT;
    pt.syscall(pid, plain ? 0 : sig);
  }
}

Deno.test("seccomp: the environment stays exactly the caller's; the filter is on", async () => {
  const out = await Deno.makeTempFile();
  try {
    const filter = buildFilter([]);
    assertEquals(runShim(["/bin/cp", "/proc/self/environ", out], ["B=2", "A=1"], filter), 0);
    assertEquals(await Deno.readTextFile(out), "B=2\0A=1\0");
    assertEquals(
      runShim(["/bin/sh", "-c", `exec grep Seccomp: /proc/self/status > ${out}`], [], filter),
      0,
    );
    assertEquals(await Deno.readTextFile(out), "Seccomp:\t2\n");
    // A child the tracer does not follow: its execve hits SECCOMP_RET_TRACE with no tracer and
    // fails with ENOSYS. This is why strace needs -f for --seccomp-bpf.
    assertEquals(runShim(["/bin/sh", "-c", "/bin/true 2>/dev/null"], [], filter), 126);
  } finally {
    await Deno.remove(out);
  }
});
