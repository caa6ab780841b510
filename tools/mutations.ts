/**
 * The faults `deno task mutate` plants, one at a time (see `tools/mutate.ts`). Each names the
 * exact text it replaces (which must occur exactly once in its file, else the mutation is
 * reported "not-applicable" or "ambiguous" so this list can be kept up to date) and the test
 * files that should catch it.
 *
 * Keep the search texts in code that is unlikely to be rewritten (tables, small pure functions),
 * and keep each fault small: one name, one number, one operator.
 * @module
 */

/** One deliberate fault. */
export interface Mutation {
  /** A short unique name (for `--only`). */
  id: string;
  /** The file, relative to the repository root. */
  file: string;
  /** The exact text to replace; must occur exactly once in the file. */
  search: string;
  /** What to put instead. */
  replace: string;
  /** What the fault is, in words. */
  description: string;
  /**
   * The test files that should catch it (relative to the root), run one at a time in this order
   * until one fails. `FILE#FILTER` runs only the tests of FILE that `deno test --filter=FILTER`
   * selects.
   */
  tests: string[];
  /** A `deno test --filter` for the files named without their own (optional). */
  filter?: string;
}

const DEC_FS = "tests/decoders_fs_test.ts";
const DEC_NET = "tests/decoders_net_test.ts";
const DEC_MM = "tests/decoders_mm_test.ts";
const DEC_PROC = "tests/decoders_process_test.ts";
const DEC_SIG = "tests/decoders_signal_test.ts";
const DEC_TIME = "tests/decoders_time_test.ts";
const DEC_IPC = "tests/decoders_ipc_test.ts";
const DEC_EPOLL = "tests/decoders_epoll_test.ts";
const DEC_MISC = "tests/decoders_misc_test.ts";
const ERRSIG = "tests/errno_signals_test.ts";
const GAPS = "tests/mutation_gaps_test.ts";
const MYSQL = "tests/sniffer_mysql_test.ts";
const FCGI = "tests/sniffer_fastcgi_test.ts";
const HTTP = "tests/sniffer_http_test.ts";
const SECCOMP = "tests/seccomp_test.ts";
const CORE = "tests/core_test.ts";
const FOLLOW = "tests/follow_test.ts";
const TABLE = "tests/syscall_table_test.ts";

/** Only the tests of FILE that `deno test --filter=FILTER` selects. */
const only = (file: string, filter: string): string => `${file}#${filter}`;
/** Only the gap tests whose names contain `filter`. */
const gap = (filter: string): string => only(GAPS, filter);

/** The list. */
export const MUTATIONS: readonly Mutation[] = [
  // ---- decoders/xlat/: flag and constant names ----
  {
    id: "xlat-o-cloexec",
    file: "decoders/xlat/fs.ts",
    search: `["O_CLOEXEC", 0x80000],`,
    replace: `["O_NOFOLLOW", 0x80000],`,
    description: "open flag O_CLOEXEC printed as O_NOFOLLOW",
    tests: [DEC_FS],
  },
  {
    id: "xlat-o-nonblock-value",
    file: "decoders/xlat/fs.ts",
    search: `["O_NONBLOCK", 0x800],`,
    replace: `["O_NONBLOCK", 0x8000],`,
    description: "O_NONBLOCK given O_LARGEFILE's bit",
    tests: [DEC_FS],
  },
  {
    id: "xlat-f-getfl",
    file: "decoders/xlat/fs.ts",
    search: `["F_GETFL", 3],`,
    replace: `["F_GETFL", 4],`,
    description: "fcntl F_GETFL given F_SETFL's number",
    tests: [DEC_FS],
  },
  {
    id: "xlat-prot-swap",
    file: "decoders/xlat/mm.ts",
    search: `["PROT_READ", 0x1],\n  ["PROT_WRITE", 0x2],`,
    replace: `["PROT_READ", 0x2],\n  ["PROT_WRITE", 0x1],`,
    description: "PROT_READ and PROT_WRITE swapped",
    tests: [DEC_MM],
  },
  {
    id: "xlat-map-anonymous",
    file: "decoders/xlat/mm.ts",
    search: `["MAP_ANONYMOUS", 0x20],`,
    replace: `["MAP_ANONYMOUS", 0x40],`,
    description: "MAP_ANONYMOUS given MAP_32BIT's bit",
    tests: [DEC_MM],
  },
  {
    id: "xlat-madv-dontneed",
    file: "decoders/xlat/mm.ts",
    search: `["MADV_DONTNEED", 4],`,
    replace: `["MADV_DONTNEED", 3],`,
    description: "madvise MADV_DONTNEED numbered 3",
    tests: [DEC_MM],
  },
  {
    id: "xlat-sock-cloexec",
    file: "decoders/xlat/net.ts",
    search: `["SOCK_CLOEXEC", 0x80000],`,
    replace: `["SOCK_CLOEXEC", 0x800],`,
    description: "SOCK_CLOEXEC given SOCK_NONBLOCK's bit",
    tests: [DEC_NET],
  },
  {
    id: "xlat-ipproto-tcp",
    file: "decoders/xlat/net.ts",
    search: `["IPPROTO_TCP", 6],`,
    replace: `["IPPROTO_TCP", 17],`,
    description: "IPPROTO_TCP given UDP's number",
    tests: [DEC_NET],
  },
  {
    id: "xlat-so-reuseaddr",
    file: "decoders/xlat/net.ts",
    search: `["SO_REUSEADDR", 2],`,
    replace: `["SO_REUSEPORT", 2],`,
    description: "setsockopt SO_REUSEADDR printed as SO_REUSEPORT",
    tests: [DEC_NET],
  },
  {
    id: "xlat-msg-nosignal",
    file: "decoders/xlat/net.ts",
    search: `["MSG_NOSIGNAL", 0x4000],`,
    replace: `["MSG_NOSIGNAL", 0x400],`,
    description: "MSG_NOSIGNAL given the wrong bit",
    tests: [DEC_NET],
  },
  {
    id: "xlat-tcp-nodelay",
    file: "decoders/xlat/net.ts",
    search: `["TCP_NODELAY", 1],`,
    replace: `["TCP_NODELAY", 2],`,
    description: "TCP_NODELAY numbered 2",
    tests: [DEC_NET],
  },
  {
    id: "xlat-epollout",
    file: "decoders/xlat/epoll.ts",
    search: `["EPOLLOUT", 0x00000004],`,
    replace: `["EPOLLOUT", 0x00000008],`,
    description: "EPOLLOUT given EPOLLERR's bit",
    tests: [DEC_EPOLL],
  },
  {
    id: "xlat-clone-vm",
    file: "decoders/xlat/process.ts",
    search: `["CLONE_VM", 0x100],`,
    replace: `["CLONE_FS", 0x100],`,
    description: "clone flag CLONE_VM printed as CLONE_FS",
    tests: [DEC_PROC],
  },
  {
    id: "xlat-wnohang",
    file: "decoders/xlat/process.ts",
    search: `["WNOHANG", 1],`,
    replace: `["WUNTRACED", 1],`,
    description: "wait4 WNOHANG printed as WUNTRACED",
    tests: [DEC_PROC],
  },
  {
    id: "xlat-rlimit-nofile",
    file: "decoders/xlat/process.ts",
    search: `["RLIMIT_NOFILE", 7],`,
    replace: `["RLIMIT_NOFILE", 8],`,
    description: "RLIMIT_NOFILE numbered 8",
    tests: [DEC_PROC],
  },
  {
    id: "xlat-clock-monotonic",
    file: "decoders/xlat/time.ts",
    search: `["CLOCK_MONOTONIC", 1],`,
    replace: `["CLOCK_MONOTONIC", 4],`,
    description: "CLOCK_MONOTONIC numbered 4",
    tests: [DEC_TIME],
  },
  {
    id: "xlat-ipc-creat",
    file: "decoders/xlat/ipc.ts",
    search: `["IPC_CREAT", 0o1000],\n  ["IPC_EXCL", 0o2000],\n  ["SHM_HUGETLB"`,
    replace: `["IPC_EXCL", 0o1000],\n  ["IPC_EXCL", 0o2000],\n  ["SHM_HUGETLB"`,
    description: "shmget's IPC_CREAT printed as IPC_EXCL",
    tests: [DEC_IPC],
  },
  {
    id: "xlat-sa-restart",
    file: "decoders/xlat/misc.ts",
    search: `["SA_RESTART", 0x10000000],`,
    replace: `["SA_RESTART", 0x1000000],`,
    description: "SA_RESTART given the wrong bit",
    tests: [DEC_SIG, only(CORE, "a handled signal")],
  },
  // ---- signals and errno ----
  {
    id: "signame-usr1-usr2",
    file: "decoders/xlat/signals.ts",
    search: `["SIGUSR1", 10],`,
    replace: `["SIGUSR2", 10],`,
    description: "signal 10 named SIGUSR2",
    tests: [ERRSIG, DEC_SIG],
  },
  {
    id: "signame-sigpwr",
    file: "decoders/xlat/signals.ts",
    search: `["SIGPWR", 30],`,
    replace: `["SIGINFO", 30],`,
    description: "signal 30 named SIGINFO",
    tests: [ERRSIG, DEC_SIG, gap("signal name")],
  },
  {
    id: "signame-rt-offset",
    file: "decoders/signame.ts",
    search: "return `SIGRT_${n - SIGRTMIN}`;",
    replace: "return `SIGRT_${n - SIGRTMIN - 1}`;",
    description: "real-time signals numbered one lower (SIGRT_1 printed as SIGRT_0)",
    tests: [ERRSIG, DEC_SIG],
  },
  {
    id: "errno-enoent",
    file: "decoders/errno.ts",
    search: `[2, "ENOENT", "No such file or directory"],`,
    replace: `[2, "ENOTDIR", "No such file or directory"],`,
    description: "errno 2 named ENOTDIR",
    tests: [ERRSIG],
  },
  {
    id: "errno-einprogress",
    file: "decoders/errno.ts",
    search: `[115, "EINPROGRESS", "Operation now in progress"],`,
    replace: `[115, "EALREADY", "Operation now in progress"],`,
    description: "errno 115 named EALREADY",
    tests: [ERRSIG, gap("errno name")],
  },
  {
    id: "errno-emfile-message",
    file: "decoders/errno.ts",
    search: `[24, "EMFILE", "Too many open files"],`,
    replace: `[24, "EMFILE", "Too many open files in system"],`,
    description: "EMFILE given ENFILE's message",
    tests: [ERRSIG, gap("errno name")],
  },
  {
    id: "errno-restart-question",
    file: "decoders/errno.ts",
    search: `return \`\${RESTARTS.has(n) ? "?" : String(ret)} \${name} (\${message})\`;`,
    replace: `return \`\${String(ret)} \${name} (\${message})\`;`,
    description: "ERESTARTSYS and friends printed with -1 instead of ?",
    tests: [ERRSIG],
  },
  // ---- decoders/format.ts: quoting, -s, -y ----
  {
    id: "quote-octal-lookahead",
    file: "decoders/format.ts",
    search: "if (next >= 0x30 && next <= 0x37) {",
    replace: "if (next >= 0x30 && next <= 0x36) {",
    description: "an octal escape followed by the digit 7 is not padded to three digits",
    tests: [DEC_FS, DEC_NET, DEC_MISC, gap("quoting"), gap("-y paths")],
  },
  {
    id: "quote-tab",
    file: "decoders/format.ts",
    search: `      case 0x09:\n        s += "\\\\t";`,
    replace: `      case 0x0b:\n        s += "\\\\t";`,
    description: "tab printed as octal, vertical tab as \\t",
    tests: [DEC_FS, DEC_NET, DEC_MISC, gap("quoting"), gap("-y paths")],
  },
  {
    id: "quote-printable-range",
    file: "decoders/format.ts",
    search: "if (c >= 0x20 && c <= 0x7e && !escaped?.(c)) {",
    replace: "if (c >= 0x20 && c <= 0x7f && !escaped?.(c)) {",
    description: "DEL (0x7f) printed raw instead of \\177",
    tests: [DEC_FS, DEC_NET, DEC_MISC, gap("quoting"), gap("-y paths")],
  },
  {
    id: "quote-x-threshold",
    file: "decoders/format.ts",
    search: "if (c > 0x7e || (c < 0x20 && (c < 9 || c > 13))) {",
    replace: "if (c > 0x7f || (c < 0x20 && (c < 9 || c > 13))) {",
    description: "-x: a string whose only unprintable byte is DEL is not hex-escaped",
    tests: [DEC_FS, DEC_NET, gap("quoting"), gap("-y paths")],
  },
  {
    id: "strn-truncation-off-by-one",
    file: "decoders/format.ts",
    search:
      `return '"' + quoteBytes(bytes, c.opts.hexStrings, max) + '"' + (len > max ? "..." : "");`,
    replace:
      `return '"' + quoteBytes(bytes, c.opts.hexStrings, max) + '"' + (len > max + 1 ? "..." : "");`,
    description: "-s: a buffer one byte longer than -s loses its ...",
    tests: [DEC_FS, DEC_NET, gap("quoting"), gap("-y paths")],
  },
  {
    id: "strn-size-off-by-one",
    file: "decoders/format.ts",
    search:
      `return '"' + quoteBytes(bytes, c.opts.hexStrings, max) + '"' + (len > max ? "..." : "");`,
    replace:
      `return '"' + quoteBytes(bytes, c.opts.hexStrings, max + 1) + '"' + (len > max ? "..." : "");`,
    description: "-s: buffers printed one byte longer than -s",
    tests: [DEC_FS, DEC_NET, gap("quoting"), gap("-y paths")],
  },
  {
    id: "array-cut",
    file: "decoders/format.ts",
    search: '    if (i >= limit) {\n      parts.push("...");',
    replace: '    if (i > limit) {\n      parts.push("...");',
    description: "arrays one element longer than -s lose their ...",
    tests: [DEC_MM, gap("quoting")],
  },
  {
    id: "fd-path-escape",
    file: "decoders/format.ts",
    search: `return quoteBytes(new TextEncoder().encode(p), c.opts.hexStrings, undefined, "<>");`,
    replace: `return quoteBytes(new TextEncoder().encode(p), c.opts.hexStrings, undefined, "<");`,
    description: "-y: '>' in a path not escaped",
    tests: [DEC_FS, gap("-y paths")],
  },
  {
    id: "fd-deleted-suffix",
    file: "decoders/format.ts",
    search: "return `${fdNum}<${fdPathText(c, p.slice(0, -10))}>(deleted)`;",
    replace: "return `${fdNum}<${fdPathText(c, p.slice(0, -9))}>(deleted)`;",
    description: "-y: a deleted file's path keeps a trailing space",
    tests: [DEC_FS, gap("-y paths")],
  },
  {
    id: "mode03o-pad",
    file: "decoders/fs.ts",
    search: `return s === "00" ? "000" : s.padStart(3, "0");`,
    replace: `return s === "00" ? "000" : s.padStart(4, "0");`,
    description: "modes printed with one zero too many (umask(0007))",
    tests: [DEC_FS, gap("quoting")],
  },
  {
    id: "umask-result",
    file: "decoders/fs.ts",
    search: "(c) => modeV(c.rval),",
    replace: '(c) => V.uint(c.rval, "0" + c.rval.toString(8)),',
    description: "umask's old mask printed as 07 and 00, not strace's 007 and 000",
    tests: [DEC_FS, gap("quoting")],
  },
  // ---- decoders/: struct fields ----
  {
    id: "stat-skip-nlink",
    file: "decoders/fs.ts",
    search: `    f.push(["st_nlink", u(16)]);\n`,
    replace: ``,
    description: "-v stat: st_nlink skipped",
    tests: [DEC_FS, "tests/verbose_test.ts"],
  },
  {
    id: "stat-size-offset",
    file: "decoders/fs.ts",
    search: `f.push(["st_size", u(48)]);`,
    replace: `f.push(["st_size", u(56)]);`,
    description: "stat: st_size read from st_blksize's offset",
    tests: [DEC_FS],
  },
  {
    id: "sockaddr-port-byteorder",
    file: "decoders/net.ts",
    search: "const port = (b[off] << 8) | b[off + 1];",
    replace: "const port = b[off] | (b[off + 1] << 8);",
    description: "sin_port read little-endian",
    tests: [DEC_NET],
  },
  {
    id: "sockaddr-un-path",
    file: "decoders/net.ts",
    search: "while (end < 2 + pathLen && b[end] !== 0) end++;",
    replace: "while (end < 1 + pathLen && b[end] !== 0) end++;",
    description: "sun_path of the full length loses its last byte",
    tests: [DEC_NET],
  },
  {
    id: "poll-revents-offset",
    file: "decoders/epoll.ts",
    search: "const revents = v.getUint16(6, true);",
    replace: "const revents = v.getUint16(4, true);",
    description: "poll: revents read from the events field",
    tests: [DEC_EPOLL],
  },
  {
    id: "siginfo-uid-offset",
    file: "decoders/siginfo.ts",
    search: "const u = v.getUint32(20, true);",
    replace: "const u = v.getUint32(16, true);",
    description: "siginfo: si_uid read from si_pid",
    tests: [ERRSIG, DEC_SIG],
  },
  {
    id: "sigaction-restorer-flag",
    file: "decoders/signal.ts",
    search: "if (saFlags & 0x04000000n) fields.push",
    replace: "if (saFlags & 0x08000000n) fields.push",
    description: "sigaction: sa_restorer shown for the wrong flag",
    tests: [DEC_SIG],
  },
  {
    id: "timespec-nsec-offset",
    file: "decoders/format.ts",
    search: "return `{tv_sec=${s64Text(v, off)}, tv_nsec=${u64Text(v, off + 8)}}`;",
    replace: "return `{tv_sec=${s64Text(v, off)}, tv_nsec=${u64Text(v, off + 4)}}`;",
    description: "timespec: tv_nsec read 4 bytes early",
    tests: [DEC_TIME],
  },
  {
    id: "ioctl-tcgets",
    file: "decoders/xlat/ioctls.ts",
    search: "\nTCGETS 0x5401\n",
    replace: "\nTCGETA 0x5401\n",
    description: "ioctl TCGETS printed as TCGETA",
    tests: [DEC_FS],
  },
  {
    id: "siginfo-chld-status",
    file: "decoders/siginfo.ts",
    search: 'f.push(["si_status", code === 1 ? V.int(status) : signalValue(status, style)]);',
    replace: 'f.push(["si_status", code === 2 ? V.int(status) : signalValue(status, style)]);',
    description: "SIGCHLD: an exit status printed as a signal name (si_status=SIGQUIT for exit 3)",
    tests: [DEC_SIG, ERRSIG],
  },
  // ---- decoders/sniffers/ ----
  {
    id: "mysql-len-3-bytes",
    file: "decoders/sniffers/mysql.ts",
    search: "const len = q.at(0)! | (q.at(1)! << 8) | (q.at(2)! << 16);",
    replace: "const len = q.at(0)! | (q.at(1)! << 8);",
    description: "mysql: packet length read from two bytes instead of three",
    tests: [MYSQL],
  },
  {
    id: "mysql-payload-short",
    file: "decoders/sniffers/mysql.ts",
    search: "const payload = q.view(4, 4 + len).slice();",
    replace: "const payload = q.view(4, 3 + len).slice();",
    description: "mysql: payload read one byte shorter",
    tests: [MYSQL],
  },
  {
    id: "mysql-lenenc-fc",
    file: "decoders/sniffers/mysql.ts",
    search: "if (c === 0xfc) return this.u(2);",
    replace: "if (c === 0xfc) return this.u(1);",
    description: "mysql: length-encoded 0xfc integer read as one byte",
    tests: [MYSQL],
  },
  {
    id: "mysql-stmt-send-long-data-len",
    file: "decoders/sniffers/mysql.ts",
    search: "len=${Math.max(total - 7, 0)}",
    replace: "len=${Math.max(total - 6, 0)}",
    description: "mysql: COM_STMT_SEND_LONG_DATA length off by one",
    tests: [MYSQL],
  },
  {
    id: "fcgi-content-length",
    file: "decoders/sniffers/fastcgi.ts",
    search: "const clen = (h[4] << 8) | h[5];",
    replace: "const clen = h[5];",
    description: "fastcgi: contentLength read from its low byte only",
    tests: [FCGI],
  },
  {
    id: "fcgi-padding",
    file: "decoders/sniffers/fastcgi.ts",
    search: "const total = 8 + clen + h[6];",
    replace: "const total = 8 + clen;",
    description: "fastcgi: paddingLength ignored",
    tests: [FCGI],
  },
  {
    id: "fcgi-pair-long-length",
    file: "decoders/sniffers/fastcgi.ts",
    search: "if (b[i] < 0x80) return b[i++];",
    replace: "if (b[i] <= 0x80) return b[i++];",
    description: "fastcgi: a name-value length of 0x80 taken as a one-byte length",
    tests: [FCGI],
  },
  {
    id: "fcgi-request-id",
    file: "decoders/sniffers/fastcgi.ts",
    search: "const id = (h[2] << 8) | h[3];",
    replace: "const id = h[3];",
    description: "fastcgi: requestId read from its low byte only",
    tests: [FCGI],
  },
  {
    id: "http-chunk-size-radix",
    file: "decoders/sniffers/http.ts",
    search: "const size = parseInt(m[1], 16);",
    replace: "const size = parseInt(m[1], 10);",
    description: "http: chunk size read as decimal",
    tests: [HTTP],
  },
  {
    id: "http-no-body-304",
    file: "decoders/sniffers/http.ts",
    search: '(p.status < 200 || p.status === 204 || p.status === 304 || method === "HEAD");',
    replace: '(p.status < 200 || p.status === 204 || method === "HEAD");',
    description: "http: a 304 response is expected to have a body",
    tests: [HTTP],
  },
  {
    id: "http-chunk-crlf",
    file: "decoders/sniffers/http.ts",
    search: 's.remaining = size;\n            s.mode = "chunk-data";',
    replace: 's.remaining = size + 1;\n            s.mode = "chunk-data";',
    description: "http: one byte too many taken as chunk data",
    tests: [HTTP],
  },
  {
    id: "sniff-escape-cut",
    file: "decoders/sniffers/reassembly.ts",
    search:
      "  const cut = bytes.length > max;\n  let s = straceQuote(cut ? bytes.subarray(0, max) : bytes);",
    replace:
      "  const cut = bytes.length > max;\n  let s = straceQuote(cut ? bytes.subarray(0, max + 1) : bytes);",
    description: "sniffers: quoted text one character longer than the limit",
    tests: [HTTP, MYSQL, FCGI],
  },
  // ---- core/ ----
  {
    id: "summary-calls-from-errors",
    file: "core/output/summary.ts",
    search: "cell: (r) => String(r ? r.calls : calls),",
    replace: "cell: (r) => String(r ? r.errors : calls),",
    description: "-c: the calls column shows the error count",
    tests: [gap("-c counts"), only(CORE, "/-c/")],
  },
  {
    id: "summary-errors-total",
    file: "core/output/summary.ts",
    search: "const errors = rows.reduce((s, r) => s + r.errors, 0);",
    replace: "const errors = rows.reduce((s, r) => s + r.calls, 0);",
    description: "-c: the total errors is the total calls",
    tests: [gap("-c counts"), only(CORE, "/-c/")],
  },
  {
    id: "summary-sort-calls",
    file: "core/output/summary.ts",
    search: "const byCalls = (a: Row, b: Row) => b.calls - a.calls;",
    replace: "const byCalls = (a: Row, b: Row) => a.calls - b.calls;",
    description: "-S calls sorts in ascending order",
    tests: [gap("-c counts"), only(CORE, "/-c/")],
  },
  {
    id: "summary-avg",
    file: "core/output/summary.ts",
    search: "const avgUs = (t: number, n: number) => Math.floor(n ? (t / n) * 1e6 : 0);",
    replace: "const avgUs = (t: number, n: number) => Math.floor(n ? (t / (n + 1)) * 1e6 : 0);",
    description: "-c: usecs/call divides by one call too many",
    tests: [gap("-c counts"), only(CORE, "/-c/")],
  },
  {
    id: "syscall-class-openat",
    file: "decoders/syscall_table.ts",
    search: `[257, "openat", 4, TD | TF],`,
    replace: `[257, "openat", 4, TD],`,
    description: "-e trace=%file misses openat (class bit dropped from the table)",
    tests: [TABLE, only(FOLLOW, "-e trace= forms")],
  },
  {
    id: "filter-class-network",
    file: "decoders/syscall_table.ts",
    search: "  network: TN,\n",
    replace: "  network: TI,\n",
    description: "-e trace=%network selects the ipc class",
    tests: [TABLE, only(FOLLOW, "-e trace= forms")],
  },
  {
    id: "filter-negate",
    file: "core/cli/filter.ts",
    search: "if (negate) { for (let i = 0; i < SIZE; i++) set[i] ^= 1; }",
    replace: "",
    description: "-e trace=!SET ignores the !",
    tests: [only(FOLLOW, "-e trace= forms")],
  },
  {
    id: "seccomp-range-jump",
    file: "ffi/seccomp.ts",
    search: "body.push(jump(BPF.JGE, lo, NEXT, 1));",
    replace: "body.push(jump(BPF.JGE, lo, NEXT, 2));",
    description: "seccomp: a range's first jge jumps one instruction too far",
    tests: [SECCOMP],
  },
  {
    id: "seccomp-trace-offset",
    file: "ffi/seccomp.ts",
    search: "if (t === TRACE) return traceAt - i - 1;",
    replace: "if (t === TRACE) return traceAt - i - 2;",
    description: "seccomp: jumps to RET TRACE land on RET ALLOW",
    tests: [SECCOMP],
  },
  {
    id: "seccomp-bitmap-skip",
    file: "ffi/seccomp.ts",
    search: "body.push(jump(BPF.JEQ, w, NEXT, 2));",
    replace: "body.push(jump(BPF.JEQ, w, NEXT, 1));",
    description: "seccomp bitmap: a word that does not match jumps one instruction short",
    tests: [SECCOMP],
  },
  {
    id: "cstring-terminator",
    file: "ffi/memory.ts",
    search: "const want = Math.min(max + 1 - total, PAGE - (a % PAGE));",
    replace: "const want = Math.min(max - total, PAGE - (a % PAGE));",
    description: "tracee strings of exactly -s bytes are not seen to end (printed with ...)",
    tests: [gap("quoting"), only(CORE, "argv")],
  },
  {
    id: "wait-stopsig",
    file: "ffi/ptrace.ts",
    search: "stopSig: (s: number): number => (s >> 8) & 0xff,",
    replace: "stopSig: (s: number): number => (s >> 8) & 0x7f,",
    description: "WSTOPSIG loses its top bit (syscall stops, SIGTRAP|0x80, look like SIGTRAP)",
    tests: [CORE],
    filter: "helloasm: same trace",
  },
  {
    id: "wait-exitcode",
    file: "ffi/ptrace.ts",
    search: "exitCode: (s: number): number => (s >> 8) & 0xff,",
    replace: "exitCode: (s: number): number => (s >> 8) & 0x7f,",
    description: "exit status loses its top bit (exit 200 reported as 72)",
    tests: [gap("exit status 200")],
  },
  {
    id: "exit-code-propagation",
    file: "core/cli/main.ts",
    search: "if (outcome.exitCode !== undefined && launch) return outcome.exitCode;",
    replace: "if (outcome.exitCode !== undefined && launch) return 0;",
    description: "sctrace exits 0 whatever the traced command's exit status",
    tests: [CORE],
    filter: "helloasm: same trace",
  },
  {
    id: "killed-exit-code",
    file: "core/cli/main.ts",
    search: "if (outcome.signal !== undefined && launch) {",
    replace: "if (outcome.signal !== undefined && !launch) {",
    description: "a command killed by a signal: sctrace exits 0 instead of dying the same way",
    tests: [CORE],
    filter: "killed",
  },
  {
    id: "detach-skip-first",
    file: "core/trace/tracer.ts",
    search: "    for (const t of order) this.forget(t);",
    replace: "    for (const t of order.slice(1)) this.forget(t);",
    description: "on SIGINT/SIGTERM the detach path skips the first attached tracee",
    tests: [only(FOLLOW, "-p: attach")],
  },
  {
    id: "detach-message",
    file: "core/trace/tracer.ts",
    search: "message(`${this.cfg.prog}: Process ${t.pid} detached`);",
    replace: "message(`${this.cfg.prog}: Process ${t.pid} detach`);",
    description: "the 'Process N detached' message is misspelt",
    tests: [FOLLOW],
    filter: "-p",
  },
  {
    id: "follow-pid-prefix",
    file: "core/output/text.ts",
    search: "else if (this.view.count > 1) s += `[pid ${String(e.pid).padStart(5)}] `;",
    replace: "else if (this.view.count > 1) s += `[pid${String(e.pid).padStart(5)}] `;",
    description: "-f: the [pid N] prefix loses its space",
    tests: [gap("[pid N]"), only(FOLLOW, "-f on a shell")],
  },
  {
    id: "follow-o-prefix",
    file: "core/output/text.ts",
    search: "if (o.follow === 1 || this.view.startCount > 1) s += ",
    replace: "if (this.view.startCount > 1) s += ",
    description: "-f -o FILE: lines of a lone process lose their pid prefix",
    tests: [FOLLOW],
    filter: "-o FILE prefixes",
  },
  {
    id: "unfinished-marker",
    file: "core/output/text.ts",
    search: '      sink.write(" <unfinished ...>\\n");\n      if (other) other.interrupted = true;',
    replace: '      sink.write(" <unfinished>\\n");\n      if (other) other.interrupted = true;',
    description:
      "-f: another process's cut line ends with <unfinished> instead of <unfinished ...>",
    tests: [FOLLOW],
    filter: "/-f on a shell|-ff/",
  },
  {
    id: "resumed-marker",
    file: "core/output/text.ts",
    search: "sink.write(this.leaderText(e, e.nr) + `<... ${e.name} resumed>` + text);",
    replace: "sink.write(this.leaderText(e, e.nr) + `<... ${e.name} resumed> ` + text);",
    description: "-f: a resumed line has an extra space",
    tests: [FOLLOW],
    filter: "/-f on a shell|-ff/",
  },
  {
    id: "timestamp-t-separator",
    file: "core/output/text.ts",
    search: `.join(":");`,
    replace: `.join(".");`,
    description: "-t: the time of day joined with dots",
    tests: [FOLLOW],
    filter: "timestamps",
  },
  {
    id: "timestamp-localtime",
    file: "core/output/text.ts",
    search: "const hms = [d.getHours(), d.getMinutes(), d.getSeconds()]",
    replace: "const hms = [d.getUTCHours(), d.getMinutes(), d.getSeconds()]",
    description: "-t: the time of day in UTC, not local time",
    tests: [gap("local time")],
  },
  {
    id: "timestamp-relative-width",
    file: "core/output/text.ts",
    search: "s += `${open}${String(Math.floor(d / 1e9)).padStart(6)}.${",
    replace: "s += `${open}${String(Math.floor(d / 1e9)).padStart(5)}.${",
    description: "-r: the seconds column one character narrower",
    tests: [FOLLOW],
    filter: "timestamps",
  },
];
