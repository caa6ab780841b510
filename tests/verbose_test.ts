/**
 * Differential tests of `-e verbose=SET`: for a syscall outside the set strace prints structures,
 * arrays and `int *` behind pointers as addresses, and still decodes strings, paths and flags.
 * Each program runs under Debian's strace and under sctrace with the same arguments; the
 * normalised traces must be identical.
 */
import { deepEqual, ok } from "node:assert/strict";
import { fixture, lines, type Run, sctrace, strace } from "./helpers/diff.ts";

/** What differs between runs beyond {@linkcode lines}: random bytes, clocks, pids, ports. */
function norm(text: string): string[] {
  return lines(text).map((l) =>
    l
      .replace(/^getrandom\("[^"]*"/, 'getrandom("RANDOM"')
      .replace(/^(times\(.*\) += )\d+$/, "$1TICKS")
      .replace(/^waitid\(P_PID, \d+/, "waitid(P_PID, PID")
      .replace(/^(getsockname\(.*sin_port=htons\()\d+/, "$1PORT")
  );
}

/** Runs both tracers (one after the other) and returns their normalised traces. */
async function both(args: string[]): Promise<[string[], string[], Run]> {
  const a = await strace(args);
  const b = await sctrace(args);
  return [norm(a.stderr), norm(b.stderr), a];
}

/** Asserts that strace and sctrace print the same trace, and that it has `expect` lines. */
async function same(args: string[], expect: RegExp[]): Promise<string[]> {
  const [a, b, run] = await both(args);
  ok(a.length > 3, `strace printed too little: ${run.stderr}`);
  const i = a.findIndex((l, k) => l !== b[k]);
  deepEqual(b, a, i < 0 ? "extra lines" : `line ${i}:\n  strace:  ${a[i]}\n  sctrace: ${b[i]}`);
  for (const re of expect) ok(a.some((l) => re.test(l)), `no line matches ${re}:\n${a.join("\n")}`);
  return a;
}

const NONE = ["-e", "verbose=none"];
const MIXED = ["-e", "verbose=!execve,newfstatat"];

/** A directory with fixed contents, so that `ls -la` prints the same listing to both tracers. */
async function fixedDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-verbose-" });
  await Deno.writeTextFile(`${dir}/a.txt`, "hello\n");
  await Deno.mkdir(`${dir}/sub`);
  await Deno.symlink("a.txt", `${dir}/link`);
  return dir;
}

Deno.test("verbose=none: ls -la", async () => {
  const dir = await fixedDir();
  try {
    await same([...NONE, "ls", "-la", dir], [
      /^execve\("\/usr\/bin\/ls", 0xADDR, 0xADDR\) += 0$/,
      /^newfstatat\(3, "", 0xADDR, AT_EMPTY_PATH\) += 0$/,
      /^statx\(AT_FDCWD, ".*\/a\.txt", .*, 0xADDR\) += 0$/,
      /^getdents64\(3, 0xADDR, 32768\) += \d+$/,
      /^ioctl\(1, TCGETS, 0xADDR\) += -1 ENOTTY/,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verbose=!execve,newfstatat: ls -la", async () => {
  const dir = await fixedDir();
  try {
    await same([...MIXED, "ls", "-la", dir], [
      /^execve\("\/usr\/bin\/ls", 0xADDR, 0xADDR\) += 0$/,
      /^newfstatat\(3, "", 0xADDR, AT_EMPTY_PATH\) += 0$/,
      // Other syscalls still print their structures.
      /^statx\(AT_FDCWD, ".*\/a\.txt", .*, \{stx_mask=.*stx_size=6, \.\.\.\}\) += 0$/,
      /^getdents64\(3, 0xADDR \/\* \d+ entries \*\/, 32768\) += \d+$/,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verbose=none and verbose=!execve,newfstatat: cat /etc/hostname", async () => {
  await same([...NONE, "cat", "/etc/hostname"], [
    /^execve\("\/usr\/bin\/cat", 0xADDR, 0xADDR\) += 0$/,
    /^newfstatat\(1, "", 0xADDR, AT_EMPTY_PATH\) += 0$/,
    /^read\(3, ".*", 131072\) += \d+$/,
  ]);
  await same([...MIXED, "cat", "/etc/hostname"], [
    /^execve\("\/usr\/bin\/cat", 0xADDR, 0xADDR\) += 0$/,
    /^newfstatat\(3, "", 0xADDR, AT_EMPTY_PATH\) += 0$/,
    /^prlimit64\(0, RLIMIT_STACK, NULL, \{rlim_cur=/,
  ]);
});

const PY = [
  "import socket",
  "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
  "try:",
  "    s.connect(('127.0.0.1', 9))",
  "except OSError:",
  "    pass",
  "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
  "u.sendto(b'hi', ('127.0.0.1', 9))",
  "u.getsockname()",
].join("\n");

Deno.test("verbose=none and verbose=!execve,newfstatat: python3 socket connect", async () => {
  const trace = ["-e", "trace=execve,socket,connect,sendto,getsockname,rt_sigaction,newfstatat"];
  await same([...NONE, ...trace, "python3", "-c", PY], [
    /^execve\("\/usr\/bin\/python3", 0xADDR, 0xADDR\) += 0$/,
    /^connect\(3, 0xADDR, 16\) += -1 ECONNREFUSED/,
    /^sendto\(4, "hi", 2, 0, 0xADDR, 16\) += 2$/,
    /^getsockname\(4, 0xADDR, 0xADDR\) += 0$/,
    /^rt_sigaction\(SIGINT, 0xADDR, 0xADDR, 8\) += 0$/,
  ]);
  await same([...MIXED, ...trace, "python3", "-c", PY], [
    /^execve\("\/usr\/bin\/python3", 0xADDR, 0xADDR\) += 0$/,
    /^connect\(3, \{sa_family=AF_INET, sin_port=htons\(9\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, 16\) += -1 ECONNREFUSED/,
    /^getsockname\(4, \{sa_family=AF_INET, sin_port=htons\(PORT\), .*\}, \[16\]\) += 0$/,
    /^rt_sigaction\(SIGINT, \{sa_handler=/,
  ]);
});

Deno.test("verbose=none and verbose=!execve,newfstatat: signals fixture", async () => {
  const bin = await fixture("signals");
  await same([...NONE, bin], [
    /^rt_sigaction\(SIGUSR1, 0xADDR, 0xADDR, 8\) += 0$/,
    /^rt_sigreturn\(\{mask=0xADDR\}\) += 0$/,
    /^--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER, /,
  ]);
  await same([...MIXED, bin], [
    /^rt_sigaction\(SIGUSR1, \{sa_handler=0xADDR, sa_mask=\[USR1\], /,
    /^rt_sigreturn\(\{mask=\[\]\}\) += 0$/,
  ]);
});

/** Exercises the decoders that read structures through their own readers. */
const MANY_C = String.raw`
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int p[2], sv[2];
  pipe2(p, O_CLOEXEC);
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(sv[0], "hello", 5);
  struct pollfd pf[2] = {{sv[1], POLLIN, 0}, {p[0], POLLIN, 0}};
  poll(pf, 2, 100);
  struct timespec pts = {1, 0};
  ppoll(pf, 2, &pts, NULL);
  fd_set r; FD_ZERO(&r); FD_SET(sv[1], &r);
  struct timeval tv = {1, 0};
  select(sv[1] + 1, &r, NULL, NULL, &tv);
  char buf[64];
  struct sockaddr_un sa; socklen_t sl = sizeof sa;
  recvfrom(sv[1], buf, 2, 0, (struct sockaddr *)&sa, &sl);
  sl = sizeof sa; getsockname(sv[1], (struct sockaddr *)&sa, &sl);
  struct iovec iov = {buf, 3};
  struct msghdr mh = {0}; mh.msg_iov = &iov; mh.msg_iovlen = 1;
  recvmsg(sv[1], &mh, 0);
  sendmsg(sv[0], &mh, 0);
  struct mmsghdr mm[1] = {{mh, 0}};
  sendmmsg(sv[0], mm, 1, 0);
  struct timespec rt = {0, 1000};
  recvmmsg(sv[1], mm, 1, MSG_DONTWAIT, &rt);
  int one = 1; setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  int val; socklen_t vl = sizeof val; getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &val, &vl);
  int s4 = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in in = {0}; in.sin_family = AF_INET; in.sin_port = htons(9);
  in.sin_addr.s_addr = htonl(0x7f000001);
  sendto(s4, "x", 1, 0, (struct sockaddr *)&in, sizeof in);
  struct timespec ns = {0, 1000}; nanosleep(&ns, NULL);
  struct utsname u; uname(&u);
  struct sysinfo si; sysinfo(&si);
  gid_t g[64]; getgroups(64, g);
  cpu_set_t cs; sched_getaffinity(0, sizeof cs, &cs);
  sigset_t ss, old; sigemptyset(&ss); sigaddset(&ss, SIGUSR2); sigaddset(&ss, SIGCHLD); sigprocmask(SIG_BLOCK, &ss, &old);
  stack_t st; sigaltstack(NULL, &st);
  struct rlimit rl; getrlimit(RLIMIT_NOFILE, &rl);
  struct rusage ru; getrusage(RUSAGE_SELF, &ru);
  int fd = open(argv[0], O_RDONLY);
  struct flock fl = {F_RDLCK, SEEK_SET, 0, 0, 0}; fcntl(fd, F_GETLK, &fl);
  struct stat sb; stat("/", &sb);
  struct statfs sf; statfs("/", &sf);
  struct statx sx; statx(AT_FDCWD, "/", 0, STATX_ALL, &sx);
  int ep = epoll_create1(0);
  struct epoll_event ev = {EPOLLIN, {.fd = sv[1]}}; epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
  struct epoll_event evs[4]; epoll_wait(ep, evs, 4, 0);
  int tf = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 0}, {10, 0}}, oits; timerfd_settime(tf, 0, &its, &oits);
  struct timespec z = {0, 0}; siginfo_t inf; sigtimedwait(&ss, &inf, &z);
  struct tms tm; times(&tm);
  off_t off = 0; sendfile(p[1], fd, &off, 10);
  struct sigaction sa2; sigaction(SIGUSR2, NULL, &sa2);
  char *args[] = {"/bin/true", "a", NULL}; char *envp[] = {"X=1", NULL};
  pid_t c = fork();
  if (c == 0) { execve("/bin/true", args, envp); _exit(1); }
  int status; wait4(c, &status, 0, &ru);
  struct iovec wv[2] = {{"ab", 2}, {"cd", 2}}; writev(p[1], wv, 2);
  return 0;
}
`;

Deno.test("verbose=none: structures read by each family's own readers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-verbose-" });
  try {
    await Deno.writeTextFile(`${dir}/many.c`, MANY_C);
    const cc = await new Deno.Command("gcc", {
      args: ["-O0", "-w", "-o", `${dir}/many`, `${dir}/many.c`],
    }).output();
    ok(cc.success, new TextDecoder().decode(cc.stderr));
    const a = await same([...NONE, `${dir}/many`], [
      /^pipe2\(0xADDR, O_CLOEXEC\) += 0$/,
      /^socketpair\(AF_UNIX, SOCK_STREAM, 0, 0xADDR\) += 0$/,
      /^poll\(0xADDR, 2, 100\) += 1$/,
      /^pselect6\(\d+, 0xADDR, NULL, NULL, 0xADDR, NULL\) += 1 \(in \[\d+\], left 0xADDR\)$/,
      /^recvfrom\(\d+, "he", 2, 0, 0xADDR, 0xADDR\) += 2$/,
      /^recvmsg\(\d+, 0xADDR, 0\) += 3$/,
      /^sendmmsg\(\d+, 0xADDR, 1, 0\) += 1$/,
      /^recvmmsg\(\d+, 0xADDR, 1, MSG_DONTWAIT, 0xADDR\) += 1$/,
      /^getsockopt\(\d+, SOL_SOCKET, SO_TYPE, 0xADDR, 0xADDR\) += 0$/,
      /^sendto\(\d+, "x", 1, 0, 0xADDR, 16\) += 1$/,
      /^getgroups\(64, \[\]\) += 0$/,
      /^rt_sigprocmask\(SIG_BLOCK, 0xADDR, 0xADDR, 8\) += 0$/,
      /^statx\(AT_FDCWD, "\/", AT_STATX_SYNC_AS_STAT, STATX_ALL, 0xADDR\) += 0$/,
      /^epoll_wait\(\d+, 0xADDR, 4, 0\) += 1$/,
      /^rt_sigtimedwait\(0xADDR, 0xADDR, 0xADDR, 8\) += -1 EAGAIN/,
      /^sendfile\(\d+, \d+, 0xADDR, 10\) += 10$/,
      /^wait4\(PID, 0xADDR, 0, 0xADDR\) += PID$/,
      /^writev\(\d+, 0xADDR, 2\) += 4$/,
    ]);
    ok(!a.some((l) => /=\{|\[\{/.test(l.replace(/^--- .*/, ""))), a.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
