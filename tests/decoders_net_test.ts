/**
 * Tests of the net family decoders, against texts printed by strace 6.1 on the same calls
 * (C fixtures run under `strace`; the memory contents are rebuilt here).
 */
import { callArgsText, resultText, toJson, type Value } from "../decoders/value.ts";
import assert from "node:assert/strict";
import { decoders, parseSockaddr, sockaddrText, sockaddrV } from "../decoders/net.ts";
import { fakeCall, type FakeCallOptions, FakeMemory } from "./helpers/fake_call.ts";
import { socketDetail, socketEndpoints } from "../core/decode/socket_info.ts";
import type { SyscallCall } from "../decoders/api.ts";

/** Runs a decoder through entry and exit and returns `name(args)`. */
function run(name: string, o: FakeCallOptions & { ret: number }): string {
  const d = decoders[name];
  const state: Record<string, unknown> = {};
  const entry = fakeCall({ ...o, name, ret: undefined, state });
  const enter = d.enter?.(entry) ?? "";
  const exit: SyscallCall = fakeCall({ ...o, name, state });
  return `${name}(${callArgsText(enter, d.exit?.(exit))})`;
}

function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "string") out.push(...new TextEncoder().encode(p));
    else out.push(...p);
  }
  return new Uint8Array(out);
}

function le32(v: number): number[] {
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
}

function le64(v: number): number[] {
  return [...le32(v >>> 0), ...le32(Math.floor(v / 4294967296))];
}

const SIN_9000 = bytes([2, 0, 0x23, 0x28, 127, 0, 0, 1], new Array(8).fill(0));
const SIN6 = (addr: number[], scope: number) =>
  bytes([10, 0, 0, 53, 0, 0, 0, 7], addr, le32(scope));
const IN6_LOOP = [...new Array(15).fill(0), 1];

Deno.test("socket", () => {
  assert.equal(
    run("socket", { args: [2, 0x80801, 6], ret: 3 }),
    "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_TCP)",
  );
  assert.equal(
    run("socket", { args: [10, 2, 0], ret: 4 }),
    "socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP)",
  );
  assert.equal(
    run("socket", { args: [16, 0x80003, 0], ret: 5 }),
    "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE)",
  );
  assert.equal(
    run("socket", { args: [17, 3, 0x300], ret: 6 }),
    "socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))",
  );
  assert.equal(run("socket", { args: [1, 1, 0], ret: 7 }), "socket(AF_UNIX, SOCK_STREAM, 0)");
  assert.equal(
    run("socket", { args: [99, 77, 5], ret: -22 }),
    "socket(0x63 /* AF_??? */, 0x4d /* SOCK_??? */, 5)",
  );
  assert.equal(
    run("socket", { args: [2, 0x80f, 200], ret: -22 }),
    "socket(AF_INET, SOCK_NONBLOCK|0xf, 0xc8 /* IPPROTO_??? */)",
  );
});

Deno.test("bind/connect sockaddrs", () => {
  const m = new FakeMemory();
  m.put(0x1000, SIN_9000);
  assert.equal(
    run("connect", { args: [3, 0x1000, 16], ret: -115, mem: m }),
    'connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}, 16)',
  );
  assert.equal(
    run("bind", { args: [3, 0x1000, 8], ret: -22, mem: m }),
    'bind(3, {sa_family=AF_INET, sa_data="#(\\177\\0\\0\\1"}, 8)',
  );
  m.put(0x2000, SIN6(IN6_LOOP, 0));
  assert.equal(
    run("connect", { args: [4, 0x2000, 28], ret: 0, mem: m }),
    "connect(4, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(7), " +
      'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28)',
  );
  m.put(0x3000, SIN6([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 5], 3));
  assert.equal(
    run("connect", { args: [4, 0x3000, 28], ret: -101, mem: m }),
    "connect(4, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(7), " +
      'inet_pton(AF_INET6, "2001:db8::5", &sin6_addr), sin6_scope_id=3}, 28)',
  );
  const un = new Uint8Array(110);
  un.set(bytes([1, 0], "/var/run/mysqld/mysqld.sock"));
  m.put(0x4000, un);
  assert.equal(
    run("connect", { args: [5, 0x4000, 110], ret: -22, mem: m }),
    'connect(5, {sa_family=AF_UNIX, sun_path="/var/run/mysqld/mysqld.sock"}, 110)',
  );
  assert.equal(
    run("connect", { args: [5, 0x4000, 7], ret: -22, mem: m }),
    'connect(5, {sa_family=AF_UNIX, sun_path="/var/"}, 7)',
  );
  m.put(0x5000, bytes([1, 0, 0], "name", new Array(105).fill(0)));
  assert.equal(
    run("connect", { args: [5, 0x5000, 7], ret: -22, mem: m }),
    'connect(5, {sa_family=AF_UNIX, sun_path=@"name"}, 7)',
  );
  m.put(0x6000, bytes([16, 0, 0, 0], le32(0), le32(0)));
  assert.equal(
    run("bind", { args: [5, 0x6000, 12], ret: 0, mem: m }),
    "bind(5, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12)",
  );
  m.put(0x6100, bytes([16, 0, 0, 0], le32(1234), le32(0x11)));
  assert.equal(
    run("bind", { args: [5, 0x6100, 12], ret: -22, mem: m }),
    "bind(5, {sa_family=AF_NETLINK, nl_pid=1234, nl_groups=0x000011}, 12)",
  );
  m.put(0x7000, bytes([99, 0], "abc", [0, 1], new Array(9).fill(0)));
  assert.equal(
    run("bind", { args: [3, 0x7000, 16], ret: -97, mem: m }),
    'bind(3, {sa_family=0x63 /* AF_??? */, sa_data="abc\\0\\1\\0\\0\\0\\0\\0\\0\\0\\0\\0"}, 16)',
  );
  assert.equal(
    run("bind", { args: [3, 0x7000, 2], ret: -22, mem: m }),
    "bind(3, {sa_family=0x63 /* AF_??? */}, 2)",
  );
  assert.equal(run("bind", { args: [3, 0x7000, 1], ret: -22, mem: m }), "bind(3, 0x7000, 1)");
  assert.equal(run("bind", { args: [3, 1, 16], ret: -14, mem: m }), "bind(3, 0x1, 16)");
  assert.equal(run("bind", { args: [3, 0, 0], ret: -22, mem: m }), "bind(3, NULL, 0)");
});

Deno.test("sockaddrText -X and parseSockaddr", () => {
  assert.equal(
    sockaddrText(SIN_9000, { xlat: "raw" }),
    '{sa_family=0x2, sin_port="\\x23\\x28", sin_addr="\\x7f\\x00\\x00\\x01"}',
  );
  assert.equal(
    sockaddrText(SIN_9000, { xlat: "verbose" }),
    '{sa_family=0x2 /* AF_INET */, sin_port="\\x23\\x28" /* htons(9000) */, ' +
      'sin_addr="\\x7f\\x00\\x00\\x01" /* inet_addr("127.0.0.1") */}',
  );
  assert.deepEqual(parseSockaddr(SIN_9000), { family: 2, port: 9000, addr: "127.0.0.1" });
  assert.deepEqual(parseSockaddr(SIN6(IN6_LOOP, 0)), { family: 10, port: 53, addr: "::1" });
  assert.deepEqual(parseSockaddr(bytes([1, 0], "/run/x.sock", [0])), {
    family: 1,
    path: "/run/x.sock",
  });
  assert.deepEqual(parseSockaddr(bytes([1, 0, 0], "abs")), { family: 1, path: "@abs" });
  assert.equal(parseSockaddr(new Uint8Array(1)), undefined);
  const mapped = SIN6([...new Array(10).fill(0), 0xff, 0xff, 10, 0, 0, 1], 0);
  assert.equal(parseSockaddr(mapped)?.addr, "::ffff:10.0.0.1");
});

Deno.test("listen/shutdown", () => {
  assert.equal(run("listen", { args: [3, 128], ret: 0 }), "listen(3, 128)");
  assert.equal(run("shutdown", { args: [3, 2], ret: 0 }), "shutdown(3, SHUT_RDWR)");
  assert.equal(run("shutdown", { args: [3, 7], ret: -22 }), "shutdown(3, 0x7 /* SHUT_??? */)");
});

Deno.test("accept/getsockname/socketpair", () => {
  const m = new FakeMemory();
  m.put(0x1000, SIN_9000);
  m.put(0x2000, bytes(le32(16)));
  assert.equal(
    run("accept", { args: [3, 0x1000, 0x2000], ret: -22, mem: m }),
    "accept(3, 0x1000, [16])",
  );
  assert.equal(run("accept", { args: [3, 0, 0], ret: -22, mem: m }), "accept(3, NULL, NULL)");
  assert.equal(
    run("accept4", { args: [3, 0x1000, 0x2000, 0x80000], ret: -22, mem: m }),
    "accept4(3, 0x1000, [16], SOCK_CLOEXEC)",
  );
  assert.equal(
    run("accept4", { args: [11, 0x1000, 0x2000, 0x80800], ret: 13, mem: m }),
    'accept4(11, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}, [16], ' +
      "SOCK_CLOEXEC|SOCK_NONBLOCK)",
  );
  assert.equal(
    run("getsockname", { args: [3, 0x1000, 0x2000], ret: 0, mem: m }),
    'getsockname(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}, [16])',
  );
  // in/out lengths: the user gave 100, the kernel wrote 16
  const d = decoders.getsockname;
  const state = {};
  const m2 = new FakeMemory();
  m2.put(0x1000, SIN_9000);
  m2.put(0x2000, bytes(le32(100)));
  const enter = d.enter!(fakeCall({ args: [3, 0x1000, 0x2000], mem: m2, state }));
  m2.regions[1] = [0x2000, bytes(le32(16))];
  assert.equal(
    callArgsText(enter, d.exit!(fakeCall({ args: [3, 0x1000, 0x2000], mem: m2, state, ret: 0 }))),
    '3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}, [100 => 16]',
  );
  m.put(0x3000, bytes([1, 0]));
  m.put(0x3100, bytes(le32(2)));
  assert.equal(
    run("getpeername", { args: [3, 0x3000, 0x3100], ret: 0, mem: m }),
    "getpeername(3, {sa_family=AF_UNIX}, [2])",
  );
  m.put(0x4000, bytes(le32(8), le32(9)));
  assert.equal(
    run("socketpair", { args: [1, 1, 0, 0x4000], ret: 0, mem: m }),
    "socketpair(AF_UNIX, SOCK_STREAM, 0, [8, 9])",
  );
  assert.equal(
    run("socketpair", { args: [2, 1, 0, 0x4000], ret: -95, mem: m }),
    "socketpair(AF_INET, SOCK_STREAM, 0, 0x4000)",
  );
});

Deno.test("sendto/recvfrom", () => {
  const m = new FakeMemory();
  m.put(0x1000, "hello world\n");
  assert.equal(
    run("sendto", { args: [3, 0x1000, 12, 0x4040, 0, 0], ret: 12, mem: m }),
    'sendto(3, "hello world\\n", 12, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0)',
  );
  assert.equal(
    run("recvfrom", { args: [4, 0x1000, 5, 2, 0, 0], ret: 5, mem: m }),
    'recvfrom(4, "hello", 5, MSG_PEEK, NULL, NULL)',
  );
  m.put(0x2000, new Uint8Array(128));
  m.put(0x3000, bytes(le32(0)));
  // the user gave 128 (read at entry), the kernel wrote 0
  const d = decoders.recvfrom;
  const state = {};
  const m2 = new FakeMemory();
  m2.put(0x1000, "abc");
  m2.put(0x3000, bytes(le32(128)));
  const enter = d.enter!(fakeCall({ args: [4, 0x1000, 100, 0, 0x2000, 0x3000], mem: m2, state }));
  m2.regions[1] = [0x3000, bytes(le32(0))];
  assert.equal(
    callArgsText(
      enter,
      d.exit!(fakeCall({ args: [4, 0x1000, 100, 0, 0x2000, 0x3000], mem: m2, state, ret: 3 })),
    ),
    '4, "abc", 100, 0, 0x2000, [128 => 0]',
  );
  m.put(0x4000, bytes(le32(128)));
  assert.equal(
    run("recvfrom", { args: [12, 0x5000, 100, 0, 0x2000, 0x4000], ret: -9, mem: m }),
    "recvfrom(12, 0x5000, 100, 0, 0x2000, [128])",
  );
});

Deno.test("setsockopt/getsockopt", () => {
  const m = new FakeMemory();
  m.put(0x1000, bytes(le32(1)));
  m.put(0x1100, bytes(le32(16)));
  m.put(0x1200, bytes(le64(5), le64(500)));
  m.put(0x1300, bytes(le32(1), le32(10)));
  m.put(0x1400, bytes("lo", [0]));
  assert.equal(
    run("setsockopt", { args: [3, 1, 2, 0x1000, 4], ret: 0, mem: m }),
    "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 6, 1, 0x1000, 4], ret: 0, mem: m }),
    "setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 0, 1, 0x1100, 4], ret: 0, mem: m }),
    "setsockopt(3, SOL_IP, IP_TOS, [16], 4)",
  );
  assert.equal(
    run("setsockopt", { args: [4, 41, 26, 0x1000, 4], ret: -22, mem: m }),
    "setsockopt(4, SOL_IPV6, IPV6_V6ONLY, [1], 4)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 1, 20, 0x1200, 16], ret: 0, mem: m }),
    'setsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\\5\\0\\0\\0\\0\\0\\0\\0\\364\\1\\0\\0\\0\\0\\0\\0", 16)',
  );
  assert.equal(
    run("setsockopt", { args: [3, 1, 13, 0x1300, 8], ret: 0, mem: m }),
    "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=10}, 8)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 1, 999, 0x1000, 4], ret: -92, mem: m }),
    "setsockopt(3, SOL_SOCKET, 0x3e7 /* SO_??? */, [1], 4)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 999, 5, 0x1000, 4], ret: -92, mem: m }),
    "setsockopt(3, 0x3e7 /* SOL_?? */, 5, [1], 4)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 1, 2, 0x1000, 2], ret: -22, mem: m }),
    "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 0x1000, 2)",
  );
  assert.equal(
    run("setsockopt", { args: [3, 1, 25, 0x1400, 3], ret: 0, mem: m }),
    'setsockopt(3, SOL_SOCKET, SO_BINDTODEVICE, "lo\\0", 3)',
  );

  const g = new FakeMemory();
  g.put(0x1000, bytes(le32(131072)));
  g.put(0x2000, bytes(le32(4)));
  assert.equal(
    run("getsockopt", { args: [3, 1, 8, 0x1000, 0x2000], ret: 0, mem: g }),
    "getsockopt(3, SOL_SOCKET, SO_RCVBUF, [131072], [4])",
  );
  g.put(0x3000, bytes(le32(1), le32(10)));
  g.put(0x3100, bytes(le32(8)));
  assert.equal(
    run("getsockopt", { args: [3, 1, 13, 0x3000, 0x3100], ret: 0, mem: g }),
    "getsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=10}, [8])",
  );
  g.put(0x4000, bytes(le32(22814), le32(0), le32(0)));
  g.put(0x4100, bytes(le32(12)));
  assert.equal(
    run("getsockopt", { args: [3, 1, 17, 0x4000, 0x4100], ret: 0, mem: g }),
    "getsockopt(3, SOL_SOCKET, SO_PEERCRED, {pid=22814, uid=0, gid=0}, [12])",
  );
  assert.equal(
    run("getsockopt", { args: [11, 1, 17, 0x4000, 0x4100], ret: -9, mem: g }),
    "getsockopt(11, SOL_SOCKET, SO_PEERCRED, 0x4000, [12])",
  );
  g.put(0x5000, bytes([1, 0]));
  g.put(0x5100, bytes(le32(2)));
  assert.equal(
    run("getsockopt", { args: [11, 1, 30, 0x5000, 0x5100], ret: 0, mem: g }),
    'getsockopt(11, SOL_SOCKET, SO_ACCEPTCONN, "\\x01\\x00", [2])',
  );
  g.put(0x6000, bytes(le64(5), le64(4000)));
  g.put(0x6100, bytes(le32(16)));
  assert.equal(
    run("getsockopt", { args: [3, 1, 20, 0x6000, 0x6100], ret: 0, mem: g }),
    'getsockopt(3, SOL_SOCKET, SO_RCVTIMEO_OLD, "\\5\\0\\0\\0\\0\\0\\0\\0\\240\\17\\0\\0\\0\\0\\0\\0", [16])',
  );
  g.put(0x7000, bytes(le32(111)));
  assert.equal(
    run("getsockopt", { args: [3, 1, 4, 0x7000, 0x2000], ret: 0, mem: g }),
    "getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4])",
  );
  assert.equal(
    run("getsockopt", { args: [3, 1, 3, 0x1000, 0], ret: -14, mem: g }),
    "getsockopt(3, SOL_SOCKET, SO_TYPE, 0x1000, NULL)",
  );
});

Deno.test("sendmsg/recvmsg", () => {
  const m = new FakeMemory();
  m.put(0x100, "first");
  m.put(0x200, "second part");
  m.put(0x1000, bytes(le64(0x100), le64(5), le64(0x200), le64(11)));
  m.put(0x2000, bytes(le64(24), le32(1), le32(1), le32(0), le32(1)));
  m.put(
    0x3000,
    bytes(
      le64(0),
      le32(0),
      le32(0),
      le64(0x1000),
      le64(2),
      le64(0x2000),
      le64(24),
      le32(0),
      le32(0),
    ),
  );
  assert.equal(
    run("sendmsg", { args: [5, 0x3000, 0], ret: 16, mem: m }),
    'sendmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="first", iov_len=5}, ' +
      '{iov_base="second part", iov_len=11}], msg_iovlen=2, msg_control=[{cmsg_len=24, ' +
      "cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}], msg_controllen=24, " +
      "msg_flags=0}, 0)",
  );
  // credentials
  m.put(0x2100, bytes(le64(28), le32(1), le32(2), le32(22814), le32(0), le32(0), le32(0)));
  m.put(
    0x3100,
    bytes(
      le64(0),
      le32(0),
      le32(0),
      le64(0x1000),
      le64(1),
      le64(0x2100),
      le64(32),
      le32(0),
      le32(0),
    ),
  );
  assert.equal(
    run("sendmsg", { args: [5, 0x3100, 0], ret: 5, mem: m }),
    'sendmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="first", iov_len=5}], ' +
      "msg_iovlen=1, msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, " +
      "cmsg_data={pid=22814, uid=0, gid=0}}], msg_controllen=32, msg_flags=0}, 0)",
  );
  // recvmsg: a short read limits the printed data; msg_namelen 28 => 16
  m.put(0x400, "firstsec");
  m.put(0x500, "ond part");
  m.put(0x1100, bytes(le64(0x400), le64(8), le64(0x500), le64(64)));
  m.put(0x600, SIN_9000);
  const d = decoders.recvmsg;
  const state = {};
  const hdr = (namelen: number) =>
    bytes(
      le64(0x600),
      le32(namelen),
      le32(0),
      le64(0x1100),
      le64(2),
      le64(0),
      le64(0),
      le32(0),
      le32(0),
    );
  m.put(0x3200, hdr(28));
  const enter = d.enter!(fakeCall({ args: [9, 0x3200, 0], mem: m, state }));
  m.regions[m.regions.length - 1] = [0x3200, hdr(16)];
  assert.equal(
    callArgsText(enter, d.exit!(fakeCall({ args: [9, 0x3200, 0], mem: m, state, ret: 16 }))),
    '9, {msg_name={sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}, ' +
      'msg_namelen=28 => 16, msg_iov=[{iov_base="firstsec", iov_len=8}, {iov_base="ond part", ' +
      "iov_len=64}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0",
  );
  assert.equal(
    run("recvmsg", { args: [9, 0x3200, 0x40], ret: -11, mem: m }),
    "recvmsg(9, {msg_namelen=16}, MSG_DONTWAIT)",
  );
  assert.equal(run("recvmsg", { args: [9, 0, 0], ret: -14, mem: m }), "recvmsg(9, NULL, 0)");
  assert.equal(run("sendmsg", { args: [9, 8, 0], ret: -14, mem: m }), "sendmsg(9, 0x8, 0)");
});

Deno.test("sendmmsg/recvmmsg", () => {
  const m = new FakeMemory();
  m.put(0x100, "first");
  m.put(0x200, "second part");
  m.put(0x600, SIN_9000);
  m.put(0x1000, bytes(le64(0x100), le64(5), le64(0x200), le64(11)));
  const mh = (iov: number, len: number) =>
    bytes(
      le64(0x600),
      le32(16),
      le32(0),
      le64(iov),
      le64(1),
      le64(0),
      le64(0),
      le32(0),
      le32(0),
      le32(len),
      le32(0),
    );
  m.put(0x2000, bytes(mh(0x1000, 5), mh(0x1010, 11)));
  const sin = '{sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}';
  assert.equal(
    run("sendmmsg", { args: [9, 0x2000, 2, 0], ret: 2, mem: m }),
    `sendmmsg(9, [{msg_hdr={msg_name=${sin}, msg_namelen=16, msg_iov=[{iov_base="first", ` +
      `iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=5}, {msg_hdr={msg_name=${sin}, ` +
      'msg_namelen=16, msg_iov=[{iov_base="second part", iov_len=11}], msg_iovlen=1, ' +
      "msg_controllen=0, msg_flags=0}, msg_len=11}], 2, 0)",
  );
  m.put(0x3000, bytes(le64(1), le64(0)));
  const c = fakeCall({ name: "recvmmsg", args: [9, 0x2000, 3, 0x10000, 0x3000], mem: m, ret: 2 });
  assert.equal(resultText(decoders.recvmmsg.result!(c)!), "2 (left {tv_sec=1, tv_nsec=0})");
  assert.equal(
    run("recvmmsg", { args: [9, 0x2000, 3, 0x40, 0], ret: -11, mem: m }),
    "recvmmsg(9, 0x2000, 3, MSG_DONTWAIT, NULL)",
  );
});

/** The typed arguments of a decoder's entry and exit, one array. */
function typedArgs(name: string, o: FakeCallOptions & { ret: number }): Value[] {
  const d = decoders[name];
  const state: Record<string, unknown> = {};
  const enter = d.enter?.(fakeCall({ ...o, name, ret: undefined, state })) ?? [];
  const exit = d.exit?.(fakeCall({ ...o, name, state })) ?? [];
  assert.ok(Array.isArray(enter) && Array.isArray(exit), `${name} returned text`);
  return [...enter, ...exit];
}

Deno.test("typed values: sockaddr, socklen change, msghdr", () => {
  const m = new FakeMemory();
  m.put(0x1000, SIN_9000);
  // connect: the sockaddr is a struct whose port is htons(int) and address inet_addr(string).
  const [fdv, sa, len] = typedArgs("connect", { args: [3, 0x1000, 16], ret: 0, mem: m });
  assert.equal(fdv.kind, "fd");
  assert.equal(len.kind, "int");
  assert.equal(sa.kind, "struct");
  if (sa.kind !== "struct") return;
  const port = sa.fields.find(([n]) => n === "sin_port")?.[1];
  assert.equal(port?.kind, "call");
  if (port?.kind !== "call") return;
  assert.equal(port.fn, "htons");
  assert.deepEqual(port.args.map((a) => [a.kind, toJson(a)]), [["int", 9000]]);
  assert.deepEqual(toJson(sa), {
    sa_family: "AF_INET",
    sin_port: { call: "htons", args: [9000] },
    sin_addr: { call: "inet_addr", args: ["127.0.0.1"] },
  });
  // The text is strace's, from the same value.
  assert.equal(
    sa.text,
    '{sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}',
  );
  // IPv6: the address is the bare `inet_pton(AF_INET6, "::1", &sin6_addr)` in the text, a call
  // value under its field name in JSON.
  const v6 = sockaddrV(SIN6(IN6_LOOP, 0));
  assert.deepEqual((toJson(v6) as Record<string, unknown>).sin6_addr, {
    call: "inet_pton",
    args: ["AF_INET6", "::1", { text: "&sin6_addr" }],
  });
  assert.ok(v6.text.includes(', inet_pton(AF_INET6, "::1", &sin6_addr), '));
  // An abstract unix name keeps strace's leading `@` in JSON.
  const abs = sockaddrV(bytes([1, 0, 0], "abs"));
  assert.deepEqual(toJson(abs), { sa_family: "AF_UNIX", sun_path: "@abs" });

  // getsockname: `[100 => 16]` is an array holding a change of two ints.
  const d = decoders.getsockname;
  const state = {};
  const m2 = new FakeMemory();
  m2.put(0x1000, SIN_9000);
  m2.put(0x2000, bytes(le32(100)));
  const enter = d.enter!(fakeCall({ args: [3, 0x1000, 0x2000], mem: m2, state })) as Value[];
  m2.regions[1] = [0x2000, bytes(le32(16))];
  const exit = d.exit!(fakeCall({ args: [3, 0x1000, 0x2000], mem: m2, state, ret: 0 }));
  const socklen = (exit as Value[])[1];
  assert.equal(enter.length, 1);
  assert.equal(socklen.text, "[100 => 16]");
  assert.deepEqual(toJson(socklen), [{ in: 100, out: 16 }]);
  assert.equal(socklen.kind === "array" && socklen.items[0].kind, "change");

  // sendmsg: msg_iov is an array of iovec structs holding strings; control messages are typed.
  const mm = new FakeMemory();
  mm.put(0x100, "first");
  mm.put(0x1000, bytes(le64(0x100), le64(5)));
  mm.put(0x2000, bytes(le64(20), le32(1), le32(1), le32(7), le32(0)));
  mm.put(
    0x3000,
    bytes(le64(0), le32(0), le32(0), le64(0x1000), le64(1), le64(0x2000), le64(24), le32(0), [
      0,
      0,
      0,
      0,
    ]),
  );
  const [, hdr, flags] = typedArgs("sendmsg", { args: [5, 0x3000, 0x4000], ret: 5, mem: mm });
  assert.equal(hdr.kind, "struct");
  if (hdr.kind !== "struct") return;
  const iov = hdr.fields.find(([n]) => n === "msg_iov")?.[1];
  assert.equal(iov?.kind, "array");
  if (iov?.kind !== "array") return;
  assert.deepEqual(iov.items.map((i) => i.kind), ["struct"]);
  assert.deepEqual(toJson(hdr), {
    msg_name: null,
    msg_namelen: 0,
    msg_iov: [{ iov_base: "first", iov_len: 5 }],
    msg_iovlen: 1,
    msg_control: [{
      cmsg_len: 20,
      cmsg_level: "SOL_SOCKET",
      cmsg_type: "SCM_RIGHTS",
      cmsg_data: [{ fd: 7 }],
    }],
    msg_controllen: 24,
    msg_flags: [],
  });
  assert.deepEqual(toJson(flags), ["MSG_NOSIGNAL"]);
  // socket: the type is a flag set led by the type's name.
  const [fam, type] = typedArgs("socket", { args: [2, 0x80801, 6], ret: 3 });
  assert.equal(toJson(fam), "AF_INET");
  assert.deepEqual(toJson(type), ["SOCK_STREAM", "SOCK_CLOEXEC", "SOCK_NONBLOCK"]);
});

Deno.test("hostile input does not throw", () => {
  const m = new FakeMemory();
  m.put(
    0x3000,
    bytes(
      le64(0x10),
      le32(0xffffffff),
      le32(0),
      le64(0x1234),
      le64(2 ** 40),
      le64(0x99),
      le64(2 ** 40),
      le32(0),
      le32(0),
    ),
  );
  for (const name of Object.keys(decoders)) {
    for (const args of [[3, 0x3000, 2 ** 31, 0x3000, 0x3000, 0x3000], [-1, 1, -1, 1, 1, -1]]) {
      run(name, { args, ret: 5, mem: m });
      run(name, { args, ret: -14, mem: m });
    }
  }
});

Deno.test("socket_info on our own sockets", () => {
  // Deno's own listening socket: the detail names its address, as strace -yy does.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  const pid = Deno.pid;
  let found = false;
  for (const e of Deno.readDirSync(`/proc/${pid}/fd`)) {
    let p: string;
    try {
      p = Deno.readLinkSync(`/proc/${pid}/fd/${e.name}`);
    } catch {
      continue;
    }
    const m = /^socket:\[(\d+)\]$/.exec(p);
    if (!m) continue;
    const d = socketDetail(pid, Number(m[1]), Number(e.name));
    if (d === `TCP:[127.0.0.1:${port}]`) {
      found = true;
      const ends = socketEndpoints(pid, Number(m[1]));
      assert.deepEqual(ends, {
        proto: "TCP",
        local: { addr: "127.0.0.1", port },
        remote: undefined,
      });
    }
  }
  l.close();
  assert.ok(found);
});
