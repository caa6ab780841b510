/**
 * Calls strace prints whole at entry (`RVAL_DECODED`), or partly, keep that text when another
 * process's line cuts them under -f (`accept4(3, NULL, NULL, SOCK_CLOEXEC <unfinished ...>`):
 * a C fixture traced by both tracers, compared line for line; and the entry text of each such
 * call, decoder by decoder, against what strace 6.1's source prints before `<unfinished ...>`.
 */
import { assertEquals } from "./helpers/assert.ts";
import { fixture, lines, sctrace, strace } from "./helpers/diff.ts";
import { fakeCall, type FakeCallOptions, FakeMemory } from "./helpers/fake_call.ts";
import { callArgsText, entryText } from "../decoders/value.ts";
import type { DecoderTable } from "../decoders/api.ts";
import { decoders as net } from "../decoders/net.ts";
import { decoders as ipc } from "../decoders/ipc.ts";
import { decoders as ioUring } from "../decoders/io_uring.ts";
import { decoders as ldt } from "../decoders/ldt.ts";

Deno.test("-f: accept4(fd, NULL, NULL, SOCK_CLOEXEC) cut by a sibling's line, as strace", async () => {
  const prog = await fixture("unfinished_accept");
  const args = ["-f", "-qq", "-e", "trace=accept4,write", "-e", "signal=none", prog];
  const [a, b] = await Promise.all([strace(args), sctrace(args)]);
  assertEquals(a.code, 0, a.stderr);
  assertEquals(b.code, 0, b.stderr);
  const want = lines(a.stderr);
  // The fixture makes the cut happen: check the reference has it.
  assertEquals(want.some((l) => l.includes("SOCK_CLOEXEC <unfinished ...>")), true, a.stderr);
  assertEquals(lines(b.stderr), want);
});

/** A call's entry text (before `<unfinished ...>`) and its whole `name(args)`. */
function both(table: DecoderTable, name: string, o: FakeCallOptions & { ret: number }) {
  const d = table[name];
  const state: Record<string, unknown> = {};
  const entry = fakeCall({ ...o, name, ret: undefined, state });
  const en = d.enter!(entry);
  const text = entryText(en, d.exit !== undefined);
  const exit = fakeCall({ ...o, name, state });
  return [text, `${name}(${callArgsText(en, d.exit?.(exit))})`];
}

const A = 0x7ffc0000;

Deno.test("net: whole at entry when strace's RVAL_DECODED", () => {
  assertEquals(both(net, "accept4", { args: [3, 0, 0, 0x80000], ret: 4 }), [
    "3, NULL, NULL, SOCK_CLOEXEC",
    "accept4(3, NULL, NULL, SOCK_CLOEXEC)",
  ]);
  assertEquals(both(net, "accept", { args: [3, 0, 0], ret: 4 }), [
    "3, NULL, NULL",
    "accept(3, NULL, NULL)",
  ]);
  // An unreadable length: the addresses at entry.
  assertEquals(both(net, "getsockname", { args: [3, A, A + 16], ret: 0 }), [
    `3, ${"0x" + A.toString(16)}, ${"0x" + (A + 16).toString(16)}`,
    `getsockname(3, 0x${A.toString(16)}, 0x${(A + 16).toString(16)})`,
  ]);
  assertEquals(both(net, "getpeername", { args: [3, 0, 0], ret: -107 })[0], "3, NULL, NULL");
  // A readable length: the exit prints the address (`, ` after the fd).
  const mem = new FakeMemory();
  mem.put(A + 16, new Uint8Array([16, 0, 0, 0]));
  assertEquals(both(net, "accept4", { args: [3, A, A + 16, 0x80000], ret: -11, mem })[0], "3, ");
  // recvmsg with an unreadable msghdr.
  assertEquals(both(net, "recvmsg", { args: [3, A, 0x40], ret: -11 }), [
    `3, 0x${A.toString(16)}, MSG_DONTWAIT`,
    `recvmsg(3, 0x${A.toString(16)}, MSG_DONTWAIT)`,
  ]);
  // getsockopt with an unreadable length.
  assertEquals(both(net, "getsockopt", { args: [3, 1, 4, A, A + 8], ret: 0 }), [
    `3, SOL_SOCKET, SO_ERROR, 0x${A.toString(16)}, 0x${(A + 8).toString(16)}`,
    `getsockopt(3, SOL_SOCKET, SO_ERROR, 0x${A.toString(16)}, 0x${(A + 8).toString(16)})`,
  ]);
  // Outside -e verbose=: sendmmsg/recvmmsg print every argument at entry.
  const opts = { deref: false };
  assertEquals(both(net, "sendmmsg", { args: [3, A, 2, 0], ret: 2, opts }), [
    `3, 0x${A.toString(16)}, 2, 0`,
    `sendmmsg(3, 0x${A.toString(16)}, 2, 0)`,
  ]);
  assertEquals(both(net, "recvmmsg", { args: [3, A, 2, 0, 0], ret: 2, opts }), [
    `3, 0x${A.toString(16)}, 2, 0, NULL`,
    `recvmmsg(3, 0x${A.toString(16)}, 2, 0, NULL)`,
  ]);
});

Deno.test("ipc: *ctl with IPC_SET or an address-only command print the whole call at entry", () => {
  assertEquals(both(ipc, "shmctl", { args: [5, 0, 0], ret: 0 }), [
    "5, IPC_RMID, NULL",
    "shmctl(5, IPC_RMID, NULL)",
  ]);
  assertEquals(both(ipc, "msgctl", { args: [5, 1, A], ret: -14 }), [
    `5, IPC_SET, 0x${A.toString(16)}`,
    `msgctl(5, IPC_SET, 0x${A.toString(16)})`,
  ]);
  assertEquals(both(ipc, "semctl", { args: [5, 0, 0, 0], ret: 0 }), [
    "5, 0, IPC_RMID, NULL",
    "semctl(5, 0, IPC_RMID, NULL)",
  ]);
  // IPC_STAT: the buffer at exit.
  assertEquals(both(ipc, "shmctl", { args: [5, 2, A], ret: -14 })[0], "5, IPC_STAT, ");
});

Deno.test("io_uring: register whole at entry, setup's struct left open", () => {
  assertEquals(both(ioUring, "io_uring_register", { args: [3, 1, 0, 0], ret: 0 }), [
    "3, IORING_UNREGISTER_BUFFERS, NULL, 0",
    "io_uring_register(3, IORING_UNREGISTER_BUFFERS, NULL, 0)",
  ]);
  // An unreadable probe: the address and the count at entry.
  assertEquals(both(ioUring, "io_uring_register", { args: [3, 8, A, 4], ret: -14 }), [
    `3, IORING_REGISTER_PROBE, 0x${A.toString(16)}, 4`,
    `io_uring_register(3, IORING_REGISTER_PROBE, 0x${A.toString(16)}, 4)`,
  ]);
  // IOWQ_MAX_WORKERS: `before => ` at entry, `after` at exit.
  const mem = new FakeMemory();
  mem.put(A, new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]));
  assertEquals(both(ioUring, "io_uring_register", { args: [3, 19, A, 2], ret: 0, mem }), [
    "3, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=1, [IO_WQ_UNBOUND]=2] => ",
    "io_uring_register(3, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=1, [IO_WQ_UNBOUND]=2] => [[IO_WQ_BOUND]=1, [IO_WQ_UNBOUND]=2], 2)",
  ]);
  assertEquals(both(ioUring, "io_uring_setup", { args: [1, 0], ret: -14 }), [
    "1, NULL",
    "io_uring_setup(1, NULL)",
  ]);
  const p = new FakeMemory();
  p.put(A, new Uint8Array(120));
  const [en, whole] = both(ioUring, "io_uring_setup", { args: [1, A], ret: -22, mem: p });
  assertEquals(en, "1, {flags=0, sq_thread_cpu=0, sq_thread_idle=0");
  assertEquals(whole, "io_uring_setup(1, {flags=0, sq_thread_cpu=0, sq_thread_idle=0})");
});

Deno.test("ldt: get_thread_area prints {entry_number=N at entry", () => {
  const mem = new FakeMemory();
  mem.put(A, new Uint8Array([0xff, 0xff, 0xff, 0xff, ...new Array(12).fill(0)]));
  assertEquals(both(ldt, "get_thread_area", { args: [A], ret: -22, mem }), [
    "{entry_number=-1",
    "get_thread_area({entry_number=-1, ...})",
  ]);
  assertEquals(both(ldt, "get_thread_area", { args: [0], ret: -14 }), [
    "NULL",
    "get_thread_area(NULL)",
  ]);
});
