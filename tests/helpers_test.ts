/**
 * The comparison helpers themselves: what they normalise must compare equal, and what they keep
 * (flag masks, constants, sizes, strace's padding) must still compare different.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { foldPadding, lines, paddedLikeStrace, repad } from "./helpers/diff.ts";
import { histories } from "./helpers/follow.ts";
import { shape, strsizeProblems } from "./helpers/shape.ts";

Deno.test("normalise: pids of another width re-pad the result column as strace pads it", () => {
  // The pid counter wrapped between the two runs: 5 digits for one, 3 for the other.
  const a = "kill(32756, SIGUSR1)                    = 0";
  const b = "kill(408, SIGUSR1)                      = 0";
  assert(paddedLikeStrace(a) && paddedLikeStrace(b));
  assertEquals(lines(b), lines(a));
  assertEquals(lines(a), ["kill(PID, SIGUSR1)                      = 0"]);
  // Inode numbers of another width (-y), and long lines (one space before `=`).
  assertEquals(
    lines("close(1<pipe:[99999]>)                  = 0"),
    lines("close(1<pipe:[100000]>)                 = 0"),
  );
  const long = 'openat(AT_FDCWD, "/usr/lib/locale/C.utf8/LC_CTYPE", O_RDONLY|O_CLOEXEC) = 3';
  assertEquals(lines(long), [long]);
});

Deno.test("normalise: a wrongly padded line still differs from strace's", () => {
  const want = "kill(32756, SIGUSR1)                    = 0";
  for (const got of ["kill(408, SIGUSR1)                     = 0", "kill(408, SIGUSR1) = 0"]) {
    assert(!paddedLikeStrace(got));
    assert(lines(got)[0] !== lines(want)[0], got);
  }
  // Folding (for per-process histories) keeps a wrong gap too.
  assertEquals(foldPadding(want), "kill(32756, SIGUSR1) = 0");
  assertEquals(foldPadding("kill(1, SIGUSR1)   = 0"), "kill(1, SIGUSR1)   = 0");
  assertEquals(repad("x() = 0"), "x()" + " ".repeat(37) + "= 0");
});

Deno.test("normalise: addresses become 0xADDR, flag masks and constants do not", () => {
  const same: [string, string][] = [
    [
      "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f76ae19d000",
      "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbd000",
    ],
    [
      "brk(NULL)                               = 0x1e4f000",
      "brk(NULL)                               = 0x4a5000",
    ],
    [
      "brk(0x1e70000)                          = 0x1e70000",
      "brk(0x4c6000)                           = 0x4c6000",
    ],
    [
      'execve("./a", ["./a"], 0x7ffd5e1c2a38 /* 4 vars */) = 0',
      'execve("./a", ["./a"], 0x1c2a38 /* 4 vars */) = 0',
    ],
    [
      "set_tid_address(0x7f76ae19da10)         = 1234",
      "set_tid_address(0x7ffff7d9aa10)         = 99",
    ],
    [
      "rt_sigaction(SIGINT, {sa_handler=0x55d0c1a2b3c4, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x401000}, NULL, 8) = 0",
      "rt_sigaction(SIGINT, {sa_handler=0x555555557a2b, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x402000}, NULL, 8) = 0",
    ],
  ];
  for (const [a, b] of same) assertEquals(lines(b), lines(a), a);
  const differ: [string, string][] = [
    ['open("/x", O_RDONLY|0x80000)          = 3', 'open("/x", O_RDONLY|0x100000)         = 3'],
    ["ioctl(1, 0x5413, 0xdeadbeef)            = 0", "ioctl(1, 0x5414, 0xdeadbeef)            = 0"],
    [
      "futex(0x7f76ae19d000, FUTEX_WAKE, 2147483647) = 0",
      "futex(0x7f76ae19d000, FUTEX_WAKE, 2147483646) = 0",
    ],
    ["prctl(PR_SET_MM, 0xabcdef12)            = 0", "prctl(PR_SET_MM, 0xabcdef13)            = 0"],
    ["personality(0xffffffff)                 = 0", "personality(0xfffffffe)                 = 0"],
  ];
  for (const [a, b] of differ) assert(lines(a)[0] !== lines(b)[0], `${a} vs ${b}`);
});

Deno.test("histories: lines per process, unfinished calls joined, padding checked before folding", () => {
  const strace = [
    "100   clone(child_stack=NULL, flags=SIGCHLD) = 101",
    "100   wait4(-1,  <unfinished ...>",
    '101   write(1, "hi\\n", 3) = 3',
    "100   <... wait4 resumed>NULL, 0, NULL) = 101",
    "100   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0} ---",
    "100   rt_sigreturn({mask=[]}) = 101",
    "101   +++ exited with 0 +++",
    "",
  ].map(repad).join("\n");
  assert(strace.includes('101   write(1, "hi\\n", 3)               = 3'));
  const want = [
    [
      "clone(child_stack=NULL, flags=SIGCHLD) = PID",
      "wait4(-1, NULL, 0, NULL) = PID",
      "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=PID, si_uid=0} ---",
      "rt_sigreturn({mask=[]}) = PID",
    ].join("\n"),
    ['write(1, "hi\\n", 3) = 3', "+++ exited with 0 +++"].join("\n"),
  ];
  assertEquals(histories(strace), want);
  // Another run, with pids of another width: the same histories.
  const other = strace.replace(/^100 {3}/gm, "32700 ").replace(/^101 {3}/gm, "32701 ")
    .replaceAll("101", "32701");
  assertEquals(histories(other), want);
  // A wrong result, a wrong padding, a wrong number in the arguments: each shows.
  for (const bad of ["3)               = 2", "3)              = 3", "4)               = 3"]) {
    assert(histories(strace.replace("3)               = 3", bad))[1] !== want[1], bad);
  }
});

Deno.test("shape: what a broken decoder prints is caught", () => {
  const good = '3, "ab\\n\\377\\x41"..., [{fd=1, events=POLLIN}], {tv_sec=1}, 0x10 /* A|B */';
  assertEquals(shape(good).problem, undefined);
  assertEquals(shape(good).quoted, [{ text: '"ab\\n\\377\\x41"', units: 5, cut: true }]);
  // A bracket inside a string does not count.
  assertEquals(shape('"(["').problem, undefined);
  for (
    const bad of [
      "[{fd=1, events=POLLIN}",
      "{a=1])",
      '"abc',
      '"a\\q"',
      "flags=undefined",
      "st_size=NaN",
      "[object Object]",
      "Infinity",
      "1e+21",
    ]
  ) assert(shape(bad).problem !== undefined, bad);
  // -s 4: a string cut by -s shows 4 bytes and `...`; a path (not cut by -s) may be longer.
  const q = (s: string) => shape(s).quoted;
  assertEquals(strsizeProblems(q('"abcd"...'), 4, '"abcdefgh"'), []);
  assertEquals(strsizeProblems(q('"/etc/hostname"'), 4, '"/etc/hostname"'), []);
  assertEquals(strsizeProblems(q('"ab"'), 4, '"ab"'), []);
  assertEquals(strsizeProblems(q('"abcde"...'), 4, '"abcdefgh"').length, 1);
  assertEquals(strsizeProblems(q('"abc"...'), 4, '"abcdefgh"').length, 1);
  assertEquals(strsizeProblems(q('"abcd"'), 4, '"abcdefgh"').length, 1);
});
