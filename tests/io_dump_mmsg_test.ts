/**
 * Differential tests of `-e read=`/`-e write=` dumps of vectored and multi-message calls:
 * `tests/fixtures/mmsg_dump.c` sends and receives on a datagram socketpair with `sendmmsg`/
 * `recvmmsg`, `sendmsg`/`recvmsg` and `writev`/`readv`; strace 6.1 and sctrace must print the
 * same lines, the ` = N buffers in vector I` and ` * N bytes in buffer I` headers included.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { dumpTransfer } from "../core/decode/io_bytes.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";
import { sameTrace } from "./helpers/family_diff.ts";
import { fixture, lines, sctrace, strace } from "./helpers/diff.ts";
import { validateLines } from "./helpers/schema.ts";

const SYSCALLS = ["write", "sendmmsg", "recvmmsg", "sendmsg", "recvmsg", "writev", "readv"];

for (const opts of [["-e", "write=3", "-e", "read=4"], ["-e", "read=all", "-e", "write=all"]]) {
  Deno.test(`mmsg/msg/iov dumps match strace: ${opts.join(" ")}`, async () => {
    const got = await sameTrace("mmsg_dump", SYSCALLS, opts, 20);
    ok(got.includes(" = 2 buffers in vector 0"), "no vector header");
    ok(got.includes(" * 29 bytes in buffer 1"), "no buffer header");
    const w = got.find((l) => l.startsWith("write(3, "));
    ok(w && !w.endsWith("= 300000"), `the write was not partial: ${w}`);
  });
}

Deno.test("--json dumps carry strace's buffer and vector headers, in the order the text prints them", async () => {
  const bin = await fixture("mmsg_dump");
  const args = ["-qq", "-e", "read=all", "-e", "write=all", "-e", `trace=${SYSCALLS.join(",")}`];
  // strace's header lines, in order; the JSON's headers must say the same, buffer by buffer.
  const want = lines((await strace([...args, bin])).stderr).flatMap((l): object[] => {
    let m = /^ \* (\d+) bytes in buffer (\d+)$/.exec(l);
    if (m) return [{ buffer: Number(m[2]), bytes: Number(m[1]) }];
    m = /^ = (\d+) buffers in vector (\d+)$/.exec(l);
    return m ? [{ vector: Number(m[2]), buffers: Number(m[1]) }] : [];
  });
  ok(want.length >= 6, `strace printed too few headers: ${JSON.stringify(want)}`);
  const evs = await validateLines((await sctrace(["--json", ...args, bin])).stderr);
  const dumps = evs.filter((e) => e.type === "dump");
  const got = dumps.flatMap((e) => ((e.headers ?? []) as unknown[]).filter((h) => h !== null));
  deepEqual(got, want);
  for (const d of dumps) {
    const hs = d.headers as unknown[] | undefined;
    if (hs) equal(hs.length, (d.hex as string[]).length, "one header (or null) per buffer");
  }
  // A plain write's dump has no header line.
  ok(
    dumps.some((d) => ((d.headers ?? []) as unknown[]).every((h) => h === null)),
    "a headerless dump",
  );
});

/** Little-endian u64s. */
function u64s(...v: (number | bigint)[]): Uint8Array {
  const b = new Uint8Array(v.length * 8);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(x)), true));
  return b;
}

/** A struct mmsghdr with its iovec at `iov`, `iovlen` buffers and `len` bytes. */
function mmsg(iov: number, iovlen: number | bigint, len: number): Uint8Array {
  const b = new Uint8Array(64);
  b.set(u64s(0, 0, iov, iovlen, 0, 0, 0), 0);
  new DataView(b.buffer).setUint32(56, len, true);
  return b;
}

Deno.test("mmsg dumps of hostile vectors: unreadable, huge counts and lengths never throw", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, "abcdef");
  mem.put(0x2000, u64s(0x1000, 4, 0x1000, 0xffffffffffffffffn)); // two iovecs, the second huge
  mem.put(0x3000, mmsg(0x2000, 2, 10)); // 4 + 6 bytes, the second cut by msg_len
  mem.put(0x3040, mmsg(0x9000, 1, 3)); // iovec unreadable: the header only
  mem.put(0x3080, mmsg(0x2000, 0xffffffffffffffffn, 2)); // absurd msg_iovlen
  // 0x30c0: unreadable, though the return value claims more messages
  const d = dumpTransfer(fakeCall({ name: "recvmmsg", args: [4, 0x3000, 9], ret: 9, mem }));
  deepEqual(d?.labels, [
    " = 2 buffers in vector 0\n",
    " * 4 bytes in buffer 0\n",
    " * 6 bytes in buffer 1\n",
    " = 1 buffers in vector 1\n",
    " = 18446744073709551615 buffers in vector 2\n",
  ]);
  deepEqual(d?.chunks.map((c) => new TextDecoder().decode(c)), ["", "abcd", "abcdef", "", ""]);
  // A write dumps each iovec whole (strace's size is 2^64-1, less what earlier buffers took).
  const w = dumpTransfer(fakeCall({ name: "writev", args: [3, 0x2000, 2], ret: 1, mem }));
  deepEqual(w?.labels, [" * 4 bytes in buffer 0\n", " * 18446744073709551611 bytes in buffer 1\n"]);
  equal(
    dumpTransfer(fakeCall({ name: "sendmmsg", args: [3, 0x3000, 1], ret: -14, mem })),
    undefined,
  );
  deepEqual(dumpTransfer(fakeCall({ name: "sendmmsg", args: [3, 8, 1], ret: 1, mem }))?.chunks, []);
});

Deno.test("a plain write dumps its whole buffer (strace's dumpstr of the count), a read what came", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, "abcdef");
  const w = dumpTransfer(fakeCall({ name: "write", args: [3, 0x1000, 6], ret: 2, mem }));
  deepEqual(w?.chunks.map((c) => new TextDecoder().decode(c)), ["abcdef"]);
  deepEqual(w?.labels, [""]);
  const r = dumpTransfer(fakeCall({ name: "read", args: [3, 0x1000, 6], ret: 2, mem }));
  deepEqual(r?.chunks.map((c) => new TextDecoder().decode(c)), ["ab"]);
  deepEqual(
    dumpTransfer(fakeCall({ name: "read", args: [3, 0x1000, 6], ret: 0, mem }))?.chunks,
    [],
  );
});
