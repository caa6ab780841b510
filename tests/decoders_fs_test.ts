/**
 * Unit tests of the fs family decoders. Every expected string was checked against strace 6.1
 * on the same call (fixtures in /tmp, compared with `strace` and `main.ts`).
 */
import {
  argsText,
  callArgsText,
  callValues,
  entryText,
  resultText,
  toJson,
  type Value,
} from "../decoders/value.ts";
import assert from "node:assert/strict";
import { decoders, ioctlNames, mode03o, sprinttime } from "../decoders/fs.ts";
import { decoders as fsExtra } from "../decoders/fs_extra.ts";
import { decoders as mountApi } from "../decoders/mount.ts";
import { decoders as quota } from "../decoders/quota.ts";
import { decoders as landlock } from "../decoders/landlock.ts";
import { decoders as admin } from "../decoders/admin.ts";
import { decoders as time } from "../decoders/time.ts";
import type { FormatOptions, SyscallCall, SyscallDecoder } from "../decoders/api.ts";
import { fakeCall, FakeMemory, localTime } from "./helpers/fake_call.ts";

/** Little-endian bytes of a struct built from [offset, size, value] fields. */
function bytes(size: number, fields: [number, 1 | 2 | 4 | 8, number | bigint][]): Uint8Array {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  for (const [off, n, val] of fields) {
    if (n === 1) v.setUint8(off, Number(val));
    else if (n === 2) v.setUint16(off, Number(val), true);
    else if (n === 4) v.setUint32(off, Number(val) >>> 0, true);
    else v.setBigUint64(off, BigInt.asUintN(64, BigInt(val)), true);
  }
  return b;
}

interface Run {
  name: string;
  args: (number | bigint)[];
  ret?: number;
  mem?: FakeMemory;
  opts?: Partial<FormatOptions>;
  fdPaths?: Record<number, string>;
}

/** Runs a decoder through entry and exit as the core does; returns the line's parts. */
function run(r: Run): { text: string; enter: string; result: string | undefined } {
  const d: SyscallDecoder = decoders[r.name];
  assert.ok(d, `no decoder for ${r.name}`);
  const state: Record<string, unknown> = {};
  const base = { name: r.name, args: r.args, mem: r.mem, opts: r.opts, fdPaths: r.fdPaths, state };
  const entry: SyscallCall = fakeCall(base);
  const entryArgs = d.enter ? d.enter(entry) : "";
  const enter = entryText(entryArgs, d.exit !== undefined);
  const exit: SyscallCall = fakeCall({ ...base, ret: r.ret ?? 0 });
  const rest = d.exit ? argsText(d.exit(exit)) : "";
  const rv = exit.errno === 0 && d.result ? d.result(exit) : undefined;
  const result = rv === undefined ? undefined : resultText(rv);
  return { text: enter + rest, enter, result };
}

/** Runs a decoder as {@linkcode run} does; returns the call's typed arguments and result. */
function typed(r: Run): { args: Value[]; result: Value | undefined } {
  const d: SyscallDecoder = decoders[r.name];
  const state: Record<string, unknown> = {};
  const base = { name: r.name, args: r.args, mem: r.mem, opts: r.opts, fdPaths: r.fdPaths, state };
  const entry = d.enter ? d.enter(fakeCall(base)) : [];
  const exitCall = fakeCall({ ...base, ret: r.ret ?? 0 });
  const exit = d.exit ? d.exit(exitCall) : undefined;
  const rv = exitCall.errno === 0 && d.result ? d.result(exitCall) : undefined;
  assert.ok(typeof rv !== "string", `${r.name}: result is text`);
  return { args: callValues(entry, exit), result: rv };
}

/** The field `name` of a struct value. */
function field(v: Value, name: string): Value {
  assert.equal(v.kind, "struct");
  const f = v.kind === "struct" ? v.fields.find(([n]) => n === name) : undefined;
  assert.ok(f, `no field ${name} in ${v.text}`);
  return f[1];
}

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("openat flags, mode and -X", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/etc/passwd\0"));
  const args = [-100, 0x1000, 0o2000000, 0];
  assert.equal(
    run({ name: "openat", args, mem, ret: 3 }).text,
    'AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC',
  );
  assert.equal(
    run({ name: "openat", args: [-100, 0x1000, 0o1102, 0o644], mem, ret: 3 }).text,
    'AT_FDCWD, "/etc/passwd", O_RDWR|O_CREAT|O_TRUNC, 0644',
  );
  assert.equal(
    run({ name: "openat", args: [-100, 0x1000, 0x40000000], mem, ret: 3 }).text,
    'AT_FDCWD, "/etc/passwd", O_RDONLY|0x40000000',
  );
  assert.equal(
    run({ name: "openat", args: [-100, 0x1000, 0o20200002, 0o600], mem, ret: 3 }).text,
    'AT_FDCWD, "/etc/passwd", O_RDWR|O_TMPFILE, 0600',
  );
  assert.equal(
    run({ name: "openat", args, mem, ret: 3, opts: { xlat: "verbose" } }).text,
    '-100 /* AT_FDCWD */, "/etc/passwd", 0x80000 /* O_RDONLY|O_CLOEXEC */',
  );
  assert.equal(
    run({ name: "openat", args, mem, ret: 3, opts: { xlat: "raw" } }).text,
    '-100, "/etc/passwd", 0x80000',
  );
  const y = run({
    name: "openat",
    args,
    mem,
    ret: 3,
    opts: { decodeFds: 1 },
    fdPaths: { 3: "/etc/passwd" },
  });
  assert.equal(y.text, 'AT_FDCWD</>, "/etc/passwd", O_RDONLY|O_CLOEXEC');
  assert.equal(y.result, "3</etc/passwd>");
  assert.equal(run({ name: "openat", args, mem, ret: 3 }).result, undefined);
  assert.equal(
    run({ name: "creat", args: [0x1000, 0o644], mem, ret: 3 }).text,
    '"/etc/passwd", 0644',
  );
});

Deno.test("openat2 struct open_how", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/etc/passwd\0"));
  mem.put(0x2000, bytes(24, [[0, 8, 0o2000000], [16, 8, 4]]));
  assert.equal(
    run({ name: "openat2", args: [-100, 0x1000, 0x2000, 24], mem, ret: 3 }).text,
    'AT_FDCWD, "/etc/passwd", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}, 24',
  );
  mem.put(0x3000, bytes(40, [[0, 8, 0o101], [8, 8, 0o600], [27, 1, 7]]));
  assert.equal(
    run({ name: "openat2", args: [-100, 0x1000, 0x3000, 40], mem, ret: -7 }).text,
    'AT_FDCWD, "/etc/passwd", {flags=O_WRONLY|O_CREAT, mode=0600, resolve=0, /* bytes 24..39 */ ' +
      '"\\x00\\x00\\x00\\x07\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"}, 40',
  );
  assert.equal(
    run({ name: "openat2", args: [-100, 0x1000, 0x3000, 10], mem, ret: -22 }).text,
    'AT_FDCWD, "/etc/passwd", 0x3000, 10',
  );
});

Deno.test("read/write/pread64 buffers", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("helXY world"));
  const r = run({ name: "read", args: [3, 0x1000, 5], mem, ret: 5 });
  assert.equal(r.enter, "3, ");
  assert.equal(r.text, '3, "helXY", 5');
  assert.equal(run({ name: "read", args: [-1, 0x1000, 5], mem, ret: -9 }).text, "-1, 0x1000, 5");
  assert.equal(run({ name: "read", args: [3, 0, 0], mem, ret: 0 }).text, "3, NULL, 0");
  assert.equal(
    run({ name: "pread64", args: [3, 0x1000, 4, 2], mem, ret: 4 }).text,
    '3, "helX", 4, 2',
  );
  assert.equal(run({ name: "write", args: [1, 0x1000, 5], mem, ret: 5 }).enter, '1, "helXY", 5');
  assert.equal(run({ name: "write", args: [3, 1, 10], mem, ret: -14 }).text, "3, 0x1, 10");
  mem.put(0x5000, new Uint8Array([0x61, 0x62, 0x63, 0, 0x64, 0x65, 0x66, 0xff, 0x0a]));
  assert.equal(
    run({ name: "write", args: [3, 0x5000, 9], mem, ret: 9 }).text,
    '3, "abc\\0def\\377\\n", 9',
  );
});

Deno.test("readv limits data to the return value; writev abbreviates", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("helX"));
  mem.put(0x1100, enc("Y worl"));
  mem.put(0x1200, enc("d\nabcdef"));
  mem.put(
    0x2000,
    bytes(48, [[0, 8, 0x1000], [8, 8, 4], [16, 8, 0x1100], [24, 8, 6], [32, 8, 0x1200], [
      40,
      8,
      8,
    ]]),
  );
  const r = run({ name: "readv", args: [3, 0x2000, 3], mem, ret: 18 });
  assert.equal(r.enter, "3, ");
  assert.equal(
    r.text,
    '3, [{iov_base="helX", iov_len=4}, {iov_base="Y worl", iov_len=6}, {iov_base="d\\nabcdef", iov_len=8}], 3',
  );
  assert.equal(
    run({ name: "readv", args: [3, 0x2000, 2], mem, ret: 5 }).text,
    '3, [{iov_base="helX", iov_len=4}, {iov_base="Y", iov_len=6}], 2',
  );
  assert.equal(
    run({ name: "readv", args: [-1, 0x2000, 2], mem, ret: -9 }).text,
    "-1, [{iov_base=0x1000, iov_len=4}, {iov_base=0x1100, iov_len=6}], 2",
  );
  assert.equal(
    run({ name: "preadv2", args: [3, 0x2000, 2, 0, 0, 1], mem, ret: 10 }).text,
    '3, [{iov_base="helX", iov_len=4}, {iov_base="Y worl", iov_len=6}], 2, 0, RWF_HIPRI',
  );
  assert.equal(
    run({ name: "pwritev2", args: [3, 0x2000, 1, 200, 0, 2], mem, ret: 4 }).text,
    '3, [{iov_base="helX", iov_len=4}], 1, 200, RWF_DSYNC',
  );
  // Unreadable element after the first, NULL, empty, and a count that overflows.
  assert.equal(
    run({ name: "writev", args: [3, 0x2020, 3], mem, ret: -14 }).text,
    '3, [{iov_base="d\\nabcdef", iov_len=8}, ... /* 0x2030 */], 3',
  );
  assert.equal(run({ name: "writev", args: [3, 0, 2], mem, ret: -14 }).text, "3, NULL, 2");
  assert.equal(run({ name: "writev", args: [3, 0x2000, 0], mem, ret: 0 }).text, "3, [], 0");
  assert.equal(
    run({ name: "writev", args: [3, 0x7fff5278b9f0, -1n], mem, ret: -22 }).text,
    "3, 0x7fff5278b9f0, 18446744073709551615",
  );
  // More than -s elements: "...".
  const iovs = new Uint8Array(40 * 16);
  const v = new DataView(iovs.buffer);
  for (let i = 0; i < 40; i++) {
    v.setBigUint64(i * 16, 0x1000n, true);
    v.setBigUint64(i * 16 + 8, 4n, true);
  }
  mem.put(0x8000, iovs);
  const w = run({ name: "writev", args: [3, 0x8000, 40], mem, ret: 160 }).text;
  assert.ok(w.endsWith('{iov_base="helX", iov_len=4}, ...], 40'));
  assert.equal(w.split("iov_base").length - 1, 32);
});

Deno.test("fcntl commands and results", () => {
  const mem = new FakeMemory();
  assert.equal(run({ name: "fcntl", args: [3, 3], ret: 0x8002 }).text, "3, F_GETFL");
  assert.equal(
    run({ name: "fcntl", args: [3, 3], ret: 0x8002 }).result,
    "0x8002 (flags O_RDWR|O_LARGEFILE)",
  );
  assert.equal(run({ name: "fcntl", args: [3, 1], ret: 0 }).result, undefined);
  assert.equal(run({ name: "fcntl", args: [3, 1], ret: 1 }).result, "0x1 (flags FD_CLOEXEC)");
  assert.equal(
    run({ name: "fcntl", args: [3, 1], ret: 1, opts: { xlat: "verbose" } }).result,
    "0x1 (flags 0x1 /* FD_CLOEXEC */)",
  );
  assert.equal(
    run({ name: "fcntl", args: [3, 4, 0o6000] }).text,
    "3, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK",
  );
  assert.equal(run({ name: "fcntl", args: [3, 2, 6] }).text, "3, F_SETFD, 0x6 /* FD_??? */");
  assert.equal(run({ name: "fcntl", args: [3, 1030, 30], ret: 30 }).text, "3, F_DUPFD_CLOEXEC, 30");
  assert.equal(
    run({ name: "fcntl", args: [3, 1234, 0x55], ret: -22 }).text,
    "3, 0x4d2 /* F_??? */, 0x55",
  );
  assert.equal(run({ name: "fcntl", args: [3, 1025], ret: 2 }).result, "0x2 (F_UNLCK)");
  assert.equal(run({ name: "fcntl", args: [3, 11], ret: 40 }).result, "40 (SIGRT_8)");
  assert.equal(run({ name: "fcntl", args: [3, 10, 10] }).text, "3, F_SETSIG, SIGUSR1");
  mem.put(0x1000, bytes(32, [[0, 2, 1], [16, 8, 10]]));
  assert.equal(
    run({ name: "fcntl", args: [3, 6, 0x1000], mem }).text,
    "3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}",
  );
  mem.put(0x2000, bytes(32, [[0, 2, 2], [16, 8, 10]]));
  const g = run({ name: "fcntl", args: [3, 5, 0x2000], mem });
  assert.equal(g.enter, "3, F_GETLK");
  assert.equal(
    g.text,
    "3, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=0, l_len=10, l_pid=0}",
  );
  assert.equal(run({ name: "fcntl", args: [3, 5, 0], mem, ret: -14 }).text, "3, F_GETLK, NULL");
  mem.put(0x3000, bytes(8, [[0, 4, 0]]));
  assert.equal(
    run({ name: "fcntl", args: [3, 16, 0x3000], mem }).text,
    "3, F_GETOWN_EX, {type=F_OWNER_TID, pid=0}",
  );
});

Deno.test("stat family: abbreviated, -v and devices", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/etc/passwd\0"));
  mem.put(0x1100, enc("\0"));
  const st = bytes(144, [
    [0, 8, 0xfe00],
    [8, 8, 819],
    [16, 8, 1],
    [24, 4, 0o100644],
    [48, 8, 1277],
    [56, 8, 4096],
    [64, 8, 8],
    [72, 8, 1700000000],
    [80, 8, 5],
    [88, 8, 1600000000],
  ]);
  mem.put(0x2000, st);
  const r = run({ name: "newfstatat", args: [3, 0x1100, 0x2000, 0x1000], mem });
  assert.equal(r.enter, '3, "", ');
  assert.equal(r.text, '3, "", {st_mode=S_IFREG|0644, st_size=1277, ...}, AT_EMPTY_PATH');
  assert.equal(
    run({ name: "newfstatat", args: [-100, 0x1000, 0x7ffc, 0], mem, ret: -2 }).text,
    'AT_FDCWD, "/etc/passwd", 0x7ffc, 0',
  );
  // Times print in the local zone, like strace's: whatever zone the tests run in.
  assert.equal(
    run({ name: "stat", args: [0x1000, 0x2000], mem, opts: { verbose: true } }).text,
    '"/etc/passwd", {st_dev=makedev(0xfe, 0), st_ino=819, st_mode=S_IFREG|0644, st_nlink=1, ' +
      "st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=1277, " +
      `st_atime=1700000000 /* ${localTime(1700000000, 5)} */, st_atime_nsec=5, ` +
      `st_mtime=1600000000 /* ${
        localTime(1600000000)
      } */, st_mtime_nsec=0, st_ctime=0, st_ctime_nsec=0}`,
  );
  mem.put(0x3000, bytes(144, [[24, 4, 0o20666], [40, 8, 0x103]]));
  assert.equal(
    run({ name: "fstat", args: [1, 0x3000], mem }).text,
    "1, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}",
  );
  mem.put(0x4000, bytes(144, [[24, 4, 0o41777], [48, 8, 4096]]));
  assert.equal(
    run({ name: "lstat", args: [0x1000, 0x4000], mem, opts: { xlat: "verbose" } }).text,
    '"/etc/passwd", {st_mode=041777 /* S_IFDIR|S_ISVTX|0777 */, st_size=4096, ...}',
  );
});

Deno.test("statx", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/etc/passwd\0"));
  mem.put(0x2000, bytes(256, [[0, 4, 0x17ff], [4, 4, 4096], [28, 2, 0o100644], [40, 8, 1277]]));
  assert.equal(
    run({ name: "statx", args: [-100, 0x1000, 0x100, 0xfff, 0x2000], mem }).text,
    'AT_FDCWD, "/etc/passwd", AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW, STATX_ALL, ' +
      "{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1277, ...}",
  );
  assert.equal(
    run({ name: "statx", args: [-100, 0x1000, 0x4000, 0xffffffff, 1], mem, ret: -22 }).text,
    'AT_FDCWD, "/etc/passwd", AT_STATX_DONT_SYNC, STATX_ALL|STATX_MNT_ID|STATX_DIOALIGN|0xffffc000, 0x1',
  );
});

Deno.test("getdents64 abbreviated and -v", () => {
  const mem = new FakeMemory();
  const ent = (ino: number, off: bigint, type: number, name: string) => {
    const b = bytes(24, [[0, 8, ino], [8, 8, off], [16, 2, 24], [18, 1, type]]);
    b.set(enc(name), 19);
    return b;
  };
  const buf = new Uint8Array(48);
  buf.set(ent(2154499, 3242895996792690511n, 4, "."), 0);
  buf.set(ent(2154531, 9223372036854775807n, 8, "f1"), 24);
  mem.put(0x5000, buf);
  const r = run({ name: "getdents64", args: [4, 0x5000, 4096], mem, ret: 48 });
  assert.equal(r.enter, "4, ");
  assert.equal(r.text, "4, 0x5000 /* 2 entries */, 4096");
  assert.equal(
    run({ name: "getdents64", args: [4, 0x5000, 4096], mem, ret: 48, opts: { verbose: true } })
      .text,
    '4, [{d_ino=2154499, d_off=3242895996792690511, d_reclen=24, d_type=DT_DIR, d_name="."}, ' +
      '{d_ino=2154531, d_off=9223372036854775807, d_reclen=24, d_type=DT_REG, d_name="f1"}], 4096',
  );
  assert.equal(
    run({ name: "getdents64", args: [4, 0x5000, 4096], mem, ret: 0, opts: { verbose: true } }).text,
    "4, [], 4096",
  );
  assert.equal(
    run({ name: "getdents64", args: [4, 0x5000, 4096], mem, ret: 0 }).text,
    "4, 0x5000 /* 0 entries */, 4096",
  );
  assert.equal(run({ name: "getdents64", args: [3, 0, 10], mem, ret: -20 }).text, "3, NULL, 10");
  // A return value beyond the buffer size: strace prints the address only.
  assert.equal(
    run({ name: "getdents64", args: [4, 0x5000, 10], mem, ret: 48 }).text,
    "4, 0x5000, 10",
  );
});

Deno.test("ioctl: terminal requests, names and _IOC", () => {
  const mem = new FakeMemory();
  const tios = bytes(36, [[0, 4, 0x500], [4, 4, 5], [8, 4, 0xbf], [12, 4, 0x8a3b], [17, 1, 3]]);
  mem.put(0x1000, tios);
  const g = run({ name: "ioctl", args: [0, 0x5401, 0x1000], mem });
  assert.equal(g.enter, "0, TCGETS");
  assert.equal(
    g.text,
    "0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, " +
      "c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}",
  );
  assert.equal(
    run({ name: "ioctl", args: [0, 0x5401, 0x7ffc], mem, ret: -25 }).text,
    "0, TCGETS, 0x7ffc",
  );
  mem.put(0x2000, new Uint8Array(36));
  assert.equal(
    run({ name: "ioctl", args: [0, 0x5402, 0x2000], mem, ret: -25 }).enter,
    "0, SNDCTL_TMR_START or TCSETS, {c_iflag=, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|, c_cflag=B0|CS5|, c_lflag=, ...}",
  );
  mem.put(0x3000, bytes(8, [[0, 2, 24], [2, 2, 80]]));
  assert.equal(
    run({ name: "ioctl", args: [1, 0x5413, 0x3000], mem }).text,
    "1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}",
  );
  mem.put(0x4000, bytes(4, [[0, 4, 22]]));
  assert.equal(run({ name: "ioctl", args: [7, 0x541b, 0x4000], mem }).text, "7, FIONREAD, [22]");
  assert.equal(run({ name: "ioctl", args: [3, 0x5421, 0x4000], mem }).enter, "3, FIONBIO, [22]");
  assert.equal(run({ name: "ioctl", args: [3, 0x5451, 0], mem }).text, "3, FIOCLEX");
  assert.equal(run({ name: "ioctl", args: [0, 0x540b, 0], mem }).text, "0, TCFLSH, TCIFLUSH");
  assert.equal(
    run({ name: "ioctl", args: [3, 0x80081234, 0], mem, ret: -25 }).text,
    "3, _IOC(_IOC_READ, 0x12, 0x34, 0x8), 0",
  );
  assert.equal(
    run({ name: "ioctl", args: [3, 0x1234abcd, 0x10], mem, ret: -25 }).text,
    "3, _IOC(_IOC_NONE, 0xab, 0xcd, 0x1234), 0x10",
  );
  assert.equal(
    run({ name: "ioctl", args: [3, 0xc004fe01, 5], mem, ret: -25 }).text,
    "3, _IOC(_IOC_READ|_IOC_WRITE, 0xfe, 0x1, 0x4), 0x5",
  );
  assert.equal(
    run({ name: "ioctl", args: [0, 0x5401, 0x1000], mem, opts: { xlat: "verbose" } }).enter,
    "0, 0x5401 /* TCGETS */",
  );
  assert.deepEqual(ioctlNames(0x5402), ["SNDCTL_TMR_START", "TCSETS"]);
});

Deno.test("paths, modes, ownership and small calls", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/tmp/fs_w/f1\0"));
  mem.put(0x1100, enc("/tmp/fs_w/f2\0"));
  const t = (name: string, args: (number | bigint)[], ret = 0, opts?: Partial<FormatOptions>) =>
    run({ name, args, mem, ret, opts });
  assert.equal(t("fchmodat", [-100, 0x1000, 0o4755]).text, 'AT_FDCWD, "/tmp/fs_w/f1", 04755');
  assert.equal(t("chmod", [0x1000, 0]).text, '"/tmp/fs_w/f1", 000');
  assert.equal(t("chmod", [0x1000, 0x1ffff]).text, '"/tmp/fs_w/f1", 0177777');
  assert.equal(t("chown", [0x1000, -1, -1]).text, '"/tmp/fs_w/f1", -1, -1');
  assert.equal(
    t("fchownat", [-100, 0x1000, 0, 0, 0x100]).text,
    'AT_FDCWD, "/tmp/fs_w/f1", 0, 0, AT_SYMLINK_NOFOLLOW',
  );
  assert.equal(t("umask", [0o22], 0o22).text, "022");
  assert.equal(t("umask", [0], 0o22).text, "000");
  assert.equal(t("umask", [0], 0o22).result, "022");
  assert.equal(t("unlinkat", [-100, 0x1000, 0x200]).text, 'AT_FDCWD, "/tmp/fs_w/f1", AT_REMOVEDIR');
  assert.equal(
    t("unlinkat", [-100, 0x1000, 0x4000], -22).text,
    'AT_FDCWD, "/tmp/fs_w/f1", 0x4000 /* AT_??? */',
  );
  assert.equal(
    t("renameat2", [-100, 0x1000, -100, 0x1100, 1], -17).text,
    'AT_FDCWD, "/tmp/fs_w/f1", AT_FDCWD, "/tmp/fs_w/f2", RENAME_NOREPLACE',
  );
  assert.equal(
    t("symlinkat", [0x1100, -100, 0x1000]).text,
    '"/tmp/fs_w/f2", AT_FDCWD, "/tmp/fs_w/f1"',
  );
  assert.equal(
    t("mknodat", [-100, 0x1000, 0o10600, 0]).text,
    'AT_FDCWD, "/tmp/fs_w/f1", S_IFIFO|0600',
  );
  assert.equal(
    t("mknod", [0x1000, 0o60600, (259 << 8) | 2 | (0x100 << 12)]).text,
    '"/tmp/fs_w/f1", S_IFBLK|0600, makedev(0x103, 0x102)',
  );
  assert.equal(t("access", [0x1000, 6]).text, '"/tmp/fs_w/f1", R_OK|W_OK');
  assert.equal(t("access", [0x1000, 0]).text, '"/tmp/fs_w/f1", F_OK');
  assert.equal(t("access", [0x1000, 8], -22).text, '"/tmp/fs_w/f1", 0x8 /* ?_OK */');
  assert.equal(
    t("faccessat2", [-100, 0x1000, 4, 0x200]).text,
    'AT_FDCWD, "/tmp/fs_w/f1", R_OK, AT_EACCESS',
  );
  assert.equal(t("lseek", [3, -5, 2], 198).text, "3, -5, SEEK_END");
  assert.equal(t("lseek", [3, 3, 77], -22).text, "3, 3, 0x4d /* SEEK_??? */");
  assert.equal(t("flock", [3, 6]).text, "3, LOCK_EX|LOCK_NB");
  assert.equal(t("fadvise64", [3, 0, 100, 4]).text, "3, 0, 100, POSIX_FADV_DONTNEED");
  assert.equal(t("fallocate", [3, 1, 0, 4096]).text, "3, FALLOC_FL_KEEP_SIZE, 0, 4096");
  assert.equal(t("close_range", [50, 0xffffffff, 0]).text, "50, 4294967295, 0");
  assert.equal(t("dup3", [3, 11, 0o2000000], 11).text, "3, 11, O_CLOEXEC");
  assert.equal(t("inotify_init1", [0o4000 | 0o2000000], 4).text, "IN_NONBLOCK|IN_CLOEXEC");
  assert.equal(
    t("inotify_add_watch", [4, 0x1000, 0x1000102], 1).text,
    '4, "/tmp/fs_w/f1", IN_MODIFY|IN_CREATE|IN_ONLYDIR',
  );
  assert.equal(t("fanotify_init", [1, 0], 5).text, "FAN_CLASS_NOTIF|FAN_CLOEXEC, O_RDONLY");
  assert.equal(
    t("fanotify_mark", [3, 0x10000, 0x1234000000n, -1, 0], -22).text,
    "3, 0x10000 /* FAN_MARK_??? */, FAN_RENAME|0x1224000000, FAN_NOFD, NULL",
  );
  assert.equal(
    t("memfd_create", [0x1000, 4 | (21 << 26)], 18).text,
    '"/tmp/fs_w/f1", MFD_HUGETLB|21<<MFD_HUGE_SHIFT',
  );
  assert.equal(t("memfd_create", [0x1000, 0], 18).text, '"/tmp/fs_w/f1", 0');
  assert.equal(t("memfd_create", [0x1000, 0x100], -22).text, '"/tmp/fs_w/f1", 0x100 /* MFD_??? */');
  assert.equal(t("sync", []).text, "");
  assert.equal(t("copy_file_range", [3, 8, 3, 0, 1, 5], -14).text, "3, 0x8, 3, NULL, 1, 5");
});

Deno.test("readlink, getcwd, xattrs, utimensat, sendfile, statfs", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/tmp/fs_w/s1\0"));
  mem.put(0x2000, enc("f1xxxxxx"));
  assert.equal(
    run({ name: "readlink", args: [0x1000, 0x2000, 256], mem, ret: 2 }).text,
    '"/tmp/fs_w/s1", "f1", 256',
  );
  mem.put(0x3000, enc("/tmp/fs_w\0"));
  assert.equal(run({ name: "getcwd", args: [0x3000, 256], mem, ret: 10 }).text, '"/tmp/fs_w", 256');
  assert.equal(run({ name: "getcwd", args: [0x3000, 2], mem, ret: -34 }).text, "0x3000, 2");
  mem.put(0x4000, enc("user.foo\0"));
  mem.put(0x4100, enc("bar\0"));
  assert.equal(
    run({ name: "getxattr", args: [0x1000, 0x4000, 0x4100, 256], mem, ret: 3 }).text,
    '"/tmp/fs_w/s1", "user.foo", "bar", 256',
  );
  assert.equal(
    run({ name: "setxattr", args: [0x1000, 0x4000, 0x4100, 4, 3], mem, ret: -61 }).text,
    '"/tmp/fs_w/s1", "user.foo", "bar", 4, XATTR_CREATE|XATTR_REPLACE',
  );
  assert.equal(
    run({ name: "listxattr", args: [0x1000, 0x4000, 256], mem, ret: 9 }).text,
    '"/tmp/fs_w/s1", "user.foo\\0", 256',
  );
  mem.put(0x5000, bytes(32, [[8, 8, 0x3fffffff], [24, 8, 0x3ffffffe]]));
  assert.equal(
    run({ name: "utimensat", args: [-100, 0x1000, 0x5000, 0], mem }).text,
    'AT_FDCWD, "/tmp/fs_w/s1", [UTIME_NOW, UTIME_OMIT], 0',
  );
  assert.equal(run({ name: "utimensat", args: [3, 0, 0, 0], mem }).text, "3, NULL, NULL, 0");
  mem.put(0x6000, bytes(8, [[0, 8, 5]]));
  const s = run({ name: "sendfile", args: [8, 6, 0x6000, 10], mem, ret: 10 });
  assert.equal(s.enter, "8, 6, [5]");
  assert.equal(s.text, "8, 6, [5] => [5], 10");
  assert.equal(run({ name: "sendfile", args: [8, 6, 0, 10], mem, ret: 10 }).text, "8, 6, NULL, 10");
  mem.put(
    0x7000,
    bytes(120, [
      [0, 8, 0x9fa0],
      [8, 8, 4096],
      [56, 4, 0x15],
      [64, 8, 255],
      [72, 8, 4096],
      [80, 8, 0x1020],
    ]),
  );
  assert.equal(
    run({ name: "statfs", args: [0x1000, 0x7000], mem }).text,
    '"/tmp/fs_w/s1", {f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, ' +
      "f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}",
  );
});

Deno.test("helpers: mode03o, sprinttime", () => {
  assert.equal(mode03o(0), "000");
  assert.equal(mode03o(7), "007");
  assert.equal(mode03o(0o644), "0644");
  assert.equal(sprinttime(0n, 0n), null);
  assert.equal(sprinttime(1n, 1000000000n), null);
  assert.equal(sprinttime(1700000000n, 5n), localTime(1700000000, 5));
  if (new Date(1700000000000).getTimezoneOffset() === 0) {
    assert.equal(localTime(1700000000, 5), "2023-11-14T22:13:20.000000005+0000");
  }
});

Deno.test("typed values: flags, structs, changes and descriptors", () => {
  const mem = new FakeMemory();
  mem.put(0x1000, enc("/etc/passwd\0"));
  // openat: the dirfd, the path decoded, the flags as names; the text is the same as before.
  const o = typed({ name: "openat", args: [-100, 0x1000, 0o2000000, 0], mem, ret: 3 });
  assert.deepEqual(o.args.map((v) => v.kind), ["fd", "str", "flags"]);
  assert.deepEqual(o.args.map(toJson), [{ fd: -100 }, "/etc/passwd", ["O_RDONLY", "O_CLOEXEC"]]);
  const flags = o.args[2];
  assert.ok(flags.kind === "flags" && flags.rest === 0);
  const m = typed({ name: "openat", args: [-100, 0x1000, 0o1102, 0o644], mem, ret: 3 });
  assert.deepEqual(toJson(m.args[2]), ["O_RDWR", "O_CREAT", "O_TRUNC"]);
  assert.deepEqual(toJson(m.args[3]), 0o644);
  assert.deepEqual(
    toJson(typed({ name: "openat", args: [-100, 0x1000, 0x40000000], mem }).args[2]),
    [
      "O_RDONLY",
      "0x40000000",
    ],
  );
  // fstat: a struct whose fields are typed all the way down.
  mem.put(0x2000, bytes(144, [[24, 4, 0o100644], [48, 8, 1277]]));
  const st = typed({ name: "fstat", args: [3, 0x2000], mem }).args[1];
  assert.equal(st.text, "{st_mode=S_IFREG|0644, st_size=1277, ...}");
  const size = field(st, "st_size");
  assert.ok(size.kind === "int" && size.value === 1277);
  assert.deepEqual(toJson(st), { st_mode: ["S_IFREG", "0x1a4"], st_size: 1277, "...": true });
  // -v: devices are makedev() calls, times carry their comment in the text only.
  mem.put(
    0x3000,
    bytes(144, [[0, 8, 0xfe01], [24, 4, 0o20666], [40, 8, 0x103], [72, 8, 1700000000]]),
  );
  const full = typed({ name: "fstat", args: [3, 0x3000], mem, opts: { verbose: true } }).args[1];
  assert.deepEqual(toJson(field(full, "st_dev")), { call: "makedev", args: [254, 1] });
  assert.deepEqual(toJson(field(full, "st_rdev")), { call: "makedev", args: [1, 3] });
  assert.equal(toJson(field(full, "st_atime")), 1700000000);
  assert.match(field(full, "st_atime").text, /^1700000000 \/\* .* \*\/$/);
  // sendfile: `[5] => [9]` is one change value; the entry half is not repeated.
  mem.put(0x6000, bytes(8, [[0, 8, 5]]));
  const sf = typed({ name: "sendfile", args: [8, 6, 0x6000, 10], mem, ret: 4 });
  assert.equal(sf.args.length, 4);
  assert.equal(sf.args[2].kind, "change");
  assert.equal(sf.args[2].text, "[5] => [5]");
  assert.deepEqual(toJson(sf.args[2]), { in: [5], out: [5] });
  // fcntl: the whole list at entry, a typed result.
  const fd = typed({ name: "fcntl", args: [3, 1], ret: 1 });
  assert.equal(fd.args.length, 2);
  assert.deepEqual(fd.result && toJson(fd.result), ["FD_CLOEXEC"]);
  assert.equal(fd.result?.text, "0x1 (flags FD_CLOEXEC)");
  // ioctl TCGETS: the struct printed at exit, its flags typed.
  mem.put(0x4000, bytes(36, [[0, 4, 0x500], [8, 4, 0xbf]]));
  const tc = typed({ name: "ioctl", args: [0, 0x5401, 0x4000], mem });
  assert.deepEqual(tc.args.map((v) => v.kind), ["fd", "enum", "struct"]);
  assert.deepEqual(toJson(field(tc.args[2], "c_iflag")), ["ICRNL", "IXON"]);
  // name_to_handle_at: handle_bytes before and after inside the struct.
  mem.put(0x7000, bytes(16, [[0, 4, 8], [4, 4, 1]]));
  const h = typed({ name: "name_to_handle_at", args: [-100, 0x1000, 0x7000, 0x7800, 0], mem });
  assert.equal(h.args.length, 5);
  assert.equal(
    h.args[2].text,
    '{handle_bytes=8, handle_type=1, f_handle="\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"}',
  );
  assert.deepEqual(toJson(field(h.args[2], "handle_type")), 1);
  // Unreadable memory keeps its address.
  assert.deepEqual(toJson(typed({ name: "fstat", args: [3, 0x9990], mem }).args[1]), {
    unavailable: "0x9990",
  });
});

Deno.test("fs, admin and time families: typed values are the printed text, none raw", () => {
  // On random arguments and memory: every hook returns values (not text), the call's values
  // joined with `, ` are exactly the printed arguments (whole/more/amend agree), none is
  // untyped, and each has a JSON form.
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const vals = [
    0,
    1,
    2,
    -1,
    -100,
    3,
    0x1000,
    0x1010,
    0x5401,
    0x5413,
    0x80000500,
    0xffffffff,
    5,
    16,
  ];
  const mems = Array.from({ length: 8 }, () => {
    const mem = new FakeMemory();
    mem.put(0x1000, new Uint8Array(4096).map(() => (rnd(3) ? rnd(256) : 0)));
    return mem;
  });
  let calls = 0;
  for (const table of [decoders, fsExtra, mountApi, quota, landlock, admin, time]) {
    for (const [name, d] of Object.entries(table)) {
      for (let i = 0; i < 40; i++) {
        const mem = mems[rnd(mems.length)];
        const args = Array.from({ length: 6 }, () => vals[rnd(vals.length)]);
        const opts: Partial<FormatOptions> = {
          verbose: rnd(2) === 1,
          xlat: (["abbrev", "raw", "verbose"] as const)[rnd(3)],
          decodeFds: rnd(2),
        };
        const state = {};
        const ret = [0, 1, 3, 48, -14, -75][rnd(6)];
        const e = d.enter ? d.enter(fakeCall({ name, args, mem, opts, state })) : [];
        const x = d.exit ? d.exit(fakeCall({ name, args, mem, opts, state, ret })) : undefined;
        assert.ok(typeof e !== "string" && typeof x !== "string", `${name} returned text`);
        const v = callValues(e, x);
        assert.equal(v.map((a) => a.text).join(", "), callArgsText(e, x), name);
        for (const a of v) {
          assert.notEqual(a.kind, "raw", `${name}: ${a.text}`);
          JSON.stringify(toJson(a));
        }
        const r = ret >= 0
          ? d.result?.(fakeCall({ name, args, mem, opts, state, ret }))
          : undefined;
        assert.ok(typeof r !== "string", `${name} result is text`);
        calls++;
      }
    }
  }
  assert.ok(calls > 6000, `${calls} calls`);
});
