/**
 * The corpus check (issue #4): runs everyday programs under Debian's `strace` and under sctrace
 * with the same flags, in the same fixed environment (`env -i`, `setarch -R`, a temp cwd),
 * normalises what must differ between two runs and aligns the two traces line by line.
 *
 * ```sh
 * deno run -A tools/corpus.ts [--only NAME[,NAME...]] [--verbose] [--baseline]
 * ```
 *
 * `--baseline` also runs strace twice and prints its agreement with itself (the noise floor).
 * Under `-f`, `<unfinished ...>`/`<... X resumed>` pairs are merged and each process's lines are
 * compared as their own sequence (pids are numbered by order of creation), so the interleaving,
 * which no two runs share, does not count.
 * @module
 */

import { normalise, type Run, sctrace, strace } from "../tests/helpers/diff.ts";

/** One program of the corpus. */
export interface Entry {
  /** Short unique name. */
  name: string;
  /** Tracer flags, given to both tracers. */
  flags: string[];
  /** The command and its arguments. */
  argv: string[];
  /** Needs the loopback HTTP server (its port replaces `PORT` in argv). */
  http?: boolean;
  /** Extra normalisation for this program (values that must differ between two runs). */
  norm?: (line: string) => string;
  /**
   * Collapse repeats of identical blocks of up to 8 lines (ps scans every process in /proc, and
   * the number of processes on the machine differs between two runs).
   */
  squash?: boolean;
  /** In the fast subset used by tests/corpus_test.ts. */
  fast?: boolean;
}

/** A date as date(1) prints it, e.g. `Thu Jan  1 00:00:00 UTC 1970`. */
const DATE = /[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [A-Z]+ \d{4}/g;

/** ps reads /proc/PID/stat and friends, whose counters move; keep only the call's shape. */
function psNorm(l: string): string {
  return l.replace(/^(read\(\d+, )".*"(\.\.\.)?, \d+(\) += )\d+$/, "$1STR, N$3N")
    .replace(/"\/proc\/\d+"/, '"/proc/PID"')
    .replace(/^(write\(1, )".*"(\.\.\.)?, \d+(\) += )\d+$/, "$1STR, N$3N");
}

/** curl's poll timeouts count down from a deadline: the milliseconds left differ by run. */
function curlNorm(l: string): string {
  return l.replace(/^(poll\(\[.*\], \d+, )\d+\)/, "$1MS)");
}

/** A python program with two threads. */
const THREADS = "import threading\n" +
  "t = threading.Thread(target=lambda: None)\nt.start()\nt.join()\n";

/** A python program with a socket pair, a UDP socket and select. */
const SOCKETS = "import socket, select\n" +
  "a, b = socket.socketpair()\na.send(b'x')\nselect.select([b], [], [], 1)\nb.recv(1)\n" +
  "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu.bind(('127.0.0.1', 0))\n" +
  "u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\nu.close()\n";

/** The corpus, in the order of issue #4. */
export const CORPUS: Entry[] = [
  { name: "true", flags: [], argv: ["/bin/true"], fast: true },
  { name: "sh-echo", flags: ["-f"], argv: ["sh", "-c", "echo hi"], fast: true },
  { name: "cat-hostname", flags: [], argv: ["cat", "/etc/hostname"] },
  { name: "ls-tmp", flags: [], argv: ["ls", "-la", "/tmp"] },
  { name: "ls-etc", flags: [], argv: ["ls", "-la", "/etc"], fast: true },
  { name: "stat", flags: [], argv: ["stat", "/etc/passwd"] },
  { name: "cat-missing", flags: [], argv: ["cat", "/nonexistent"] },
  { name: "id", flags: [], argv: ["id"] },
  { name: "uname", flags: [], argv: ["uname", "-a"] },
  {
    name: "date",
    flags: [],
    argv: ["date"],
    norm: (l) => l.replace(DATE, "DATE"),
  },
  { name: "head", flags: [], argv: ["head", "-c", "100", "/etc/services"] },
  { name: "wc", flags: [], argv: ["wc", "-l", "/etc/services"] },
  { name: "sort", flags: [], argv: ["sort", "/etc/hostname"] },
  { name: "find", flags: [], argv: ["find", "/etc/apt", "-maxdepth", "1"] },
  { name: "df", flags: [], argv: ["df", "-h", "/"] },
  { name: "ps", flags: [], argv: ["ps", "-p", "1"], norm: psNorm, squash: true },
  { name: "env", flags: [], argv: ["env"] },
  { name: "sleep", flags: [], argv: ["sleep", "0.01"] },
  { name: "python3", flags: [], argv: ["python3", "-c", "print(1)"], fast: true },
  {
    name: "perl",
    flags: [],
    argv: ["perl", "-e", "print 1"],
    // perl seeds its hash from 4 bytes of /dev/urandom.
    norm: (l) => l.replace(/^read\(3, ".*", 4\)( += 4)$/, 'read(3, "RANDOM", 4)$1'),
  },
  { name: "sh-pipe", flags: ["-f"], argv: ["sh", "-c", "ls | wc -l"], fast: true },
  {
    name: "curl",
    flags: [],
    argv: ["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:PORT/"],
    http: true,
    fast: true,
    norm: curlNorm,
  },
  { name: "mariadb", flags: [], argv: ["mariadb", "--version"] },
  { name: "php", flags: [], argv: ["php", "-r", "echo 1;"] },
  { name: "gzip", flags: ["-f"], argv: ["sh", "-c", "gzip -c /etc/services > /dev/null"] },
  { name: "tar", flags: [], argv: ["tar", "cf", "/dev/null", "/etc/apt"] },
  { name: "git", flags: [], argv: ["git", "--version"] },
  {
    name: "dd",
    flags: [],
    argv: ["dd", "if=/dev/zero", "of=/dev/null", "bs=1k", "count=10"],
    // dd reports its speed: "10240 bytes (10 kB, 10 KiB) copied, 0.0001 s, 99 MB/s".
    norm: (l) =>
      l.replace(/copied, [\d.e-]+ s, [\d.,]+ [kMGT]?B\/s/, "copied, T s, R B/s")
        .replace(/^(write\(2, "10240 bytes.*?"(?:\.\.\.)?, )\d+(.*\) += )\d+$/, "$1N$2N"),
  },
  { name: "-y ls", flags: ["-y"], argv: ["ls", "-la", "/etc"], fast: true },
  {
    name: "-yy curl",
    flags: ["-yy"],
    argv: ["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:PORT/"],
    http: true,
    fast: true,
    norm: curlNorm,
  },
  { name: "-v ls", flags: ["-v"], argv: ["ls", "-la", "/etc"], fast: true },
  { name: "-x id", flags: ["-x"], argv: ["id"] },
  { name: "-X raw ls", flags: ["-X", "raw"], argv: ["ls", "-la", "/etc"] },
  { name: "-X verbose ls", flags: ["-X", "verbose"], argv: ["ls", "-la", "/etc"], fast: true },
  { name: "-s 128 cat", flags: ["-s", "128"], argv: ["cat", "/etc/services"] },
  { name: "%file python3", flags: ["-e", "trace=%file"], argv: ["python3", "-c", "print(1)"] },
  {
    name: "%network curl",
    flags: ["-e", "trace=%network"],
    argv: ["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:PORT/"],
    http: true,
    norm: curlNorm,
  },
  { name: "-c python3", flags: ["-c"], argv: ["python3", "-c", "print(1)"], fast: true },
  // Beyond issue #4's list: more everyday programs and flags.
  { name: "ls-dev -yy", flags: ["-yy"], argv: ["ls", "-la", "/dev"] },
  { name: "du", flags: [], argv: ["du", "-s", "/etc/apt"] },
  { name: "grep", flags: [], argv: ["grep", "root", "/etc/passwd"] },
  { name: "sed", flags: [], argv: ["sed", "-n", "1p", "/etc/passwd"] },
  { name: "awk", flags: [], argv: ["awk", "-F:", "{print $1}", "/etc/passwd"] },
  { name: "seq", flags: [], argv: ["seq", "3"] },
  {
    name: "getent",
    flags: [],
    argv: ["getent", "hosts", "localhost"],
    // A DNS query starts with a random 16-bit transaction id.
    norm: (l) =>
      l.replace(
        /^((?:sendto|recvfrom)\(\d+, ")((?:\\\d{1,3}|\\x[0-9a-f]{2}|\\.|[^\\"]){2})/,
        "$1ID",
      ),
  },
  { name: "hostname", flags: [], argv: ["hostname"] },
  { name: "whoami", flags: [], argv: ["whoami"] },
  {
    name: "free",
    flags: [],
    argv: ["free"],
    norm: (l) =>
      l.replace(/^(read\(3, )".*"(\.\.\.)?, (\d+)\) += \d+$/, "$1STR, $3) = N")
        .replace(/^(write\(1, )".*"(\.\.\.)?, (\d+)\) += \d+$/, "$1STR, N) = N"),
  },
  {
    name: "fs-ops",
    flags: ["-f"],
    argv: [
      "sh",
      "-c",
      "mkdir d && touch d/f && ln -s f d/l && readlink d/l && cp d/f d/g && mv d/g d/h && " +
      "chmod 600 d/h && rm -r d",
    ],
  },
  { name: "python3-threads", flags: ["-f"], argv: ["python3", "-c", THREADS] },
  { name: "python3-socket", flags: [], argv: ["python3", "-c", SOCKETS] },
  {
    name: "-e %process sh-pipe",
    flags: ["-f", "-e", "trace=%process"],
    argv: ["sh", "-c", "ls | wc -l"],
  },
  { name: "-n -qq true", flags: ["-n", "-qq"], argv: ["/bin/true"] },
  { name: "-z cat-missing", flags: ["-z"], argv: ["cat", "/nonexistent"] },
  { name: "-Z cat-missing", flags: ["-Z"], argv: ["cat", "/nonexistent"] },
  { name: "-T -tt id", flags: ["-T", "-tt"], argv: ["id"] },
  { name: "-i true", flags: ["-i"], argv: ["/bin/true"] },
  { name: "-xx uname", flags: ["-xx"], argv: ["uname", "-a"] },
  {
    name: "-e signal=none sh-pipe",
    flags: ["-f", "-e", "signal=none"],
    argv: ["sh", "-c", "ls | wc -l"],
  },
];

/**
 * Corpus-wide normalisation on top of tests/helpers/diff.ts `normalise()`, for values that must
 * differ between two runs only: random bytes, /proc counters, ephemeral ports, temp names.
 */
export function corpusNormalise(line: string): string {
  // Rules apply to the call itself: set aside -t/-tt/-ttt/-r and -i prefixes and the -T suffix.
  const pre = line.match(LINE_PREFIX)?.[0] ?? "";
  const post = line.match(/ <\d+\.\d+>$/)?.[0] ?? "";
  const body = corpusBody(line.slice(pre.length, line.length - post.length));
  // -i: the address of the first execve is inside the tracer's own child (strace's, or the
  // spawn shim's), not the program's.
  return pre.replace(/\[[0-9a-f]{16}\] $/, (m) => (/^execve\(/.test(body) ? "[IP] " : m)) +
    body + post;
}

/** -t/-tt/-ttt/-r timestamps, then an -i instruction pointer. */
const LINE_PREFIX =
  /^(?:(?:\d\d:\d\d:\d\d(?:\.\d+)?|\d+\.\d+| *\d+\.\d{6}) )?(?:\[[0-9a-f?]{16}\] )?/;

/** {@linkcode corpusNormalise} on a line without its prefixes and suffix. */
function corpusBody(line: string): string {
  return line
    // clone3 reports the new thread's id; futex and select timeouts are absolute or left-over
    // times.
    .replace(/\bparent_tid=\[\d+\]/g, "parent_tid=[PID]")
    .replace(
      /^(futex\(0x[0-9a-f]+, FUTEX_WAIT_BITSET\w*, -?\d+, )\{tv_sec=\d+, tv_nsec=\d+\}/,
      "$1{T}",
    )
    .replace(/\bleft \{tv_sec=\d+, tv_nsec=\d+\}/, "left {T}")
    // Free blocks and inodes of a file system move with every write on the machine.
    .replace(/\b(f_bfree|f_bavail|f_ffree)=\d+/g, "$1=N")
    .replace(/^((?:set_tid_address|gettid|getpid)\(.*\)) += \d+$/, "$1 = PID")
    // getrandom's bytes, and the 16 AT_RANDOM-seeded bytes some programs read back.
    .replace(/^(getrandom\()"(?:[^"\\]|\\.)*"(\.\.\.)?/, '$1"RANDOM"')
    // sysinfo: uptime, loads and free memory move.
    .replace(/^(sysinfo\()\{.*\}(\) += 0)$/, "$1{...}$2")
    // The client's ephemeral port (-yy, getsockname, sockaddr results of accept).
    .replace(
      /(127\.0\.0\.1:)(\d{4,5})(?=\D)/g,
      (m, a: string, p: string) => Number(p) >= 32768 ? `${a}EPHEMERAL` : m,
    )
    .replace(
      /(sin_port=htons\()(\d+)\)/g,
      (m, a: string, p: string) => Number(p) >= 32768 ? `${a}EPHEMERAL)` : m,
    )
    // Other processes' pids in /proc paths.
    .replace(/\/proc\/\d+\//g, "/proc/PID/")
    // -yy: socket inode numbers.
    .replace(
      /\b((?:UNIX|TCP|UDP|TCPv6|UDPv6|NETLINK)(?:-[A-Z]+)?):\[\d+(->\d+)?\]/g,
      (_, k: string, peer?: string) => `${k}:[INODE${peer ? "->INODE" : ""}]`,
    )
    // rt_sigreturn returns the interrupted call's value: after wait4, a pid.
    .replace(/^(rt_sigreturn\(.*\)) += \d{3,}$/, "$1 = PID")
    // Temp directory names (mkdtemp-style suffixes).
    .replace(/\/tmp\/corpus_[A-Za-z0-9_]+/g, "/tmp/CWD")
    // Inode numbers shown by -yy for files and in stat structs under -v.
    .replace(/\b(st_ino|st_dev)=[^,}]+/g, "$1=N")
    .replace(/\b(st_atime|st_mtime|st_ctime)(_nsec)?=[^,}]+(\s*\/\*[^*]*\*\/)?/g, "$1$2=N");
}

/** A process's line sequence key: `P0` is the traced command, `P1`… its children in order. */
type Seqs = Map<string, string[]>;

const PID_PREFIX = /^\[pid +(\d+)\] /;
const CREATORS = /^(?:\[pid +\d+\] )?(?:<\.\.\. )?(?:clone3?|v?fork)\b.*= (\d+)(?: <[^>]*>)?$/;

/** Splits an `-f` trace into per-process sequences with unfinished/resumed pairs merged. */
export function perProcess(raw: string[]): Seqs {
  // "PROG: Process N attached" may cut a line in two (strace prints lines in pieces): lift it out.
  const attached: string[] = [];
  raw = raw.join("\n").replace(/(?:strace|sctrace): Process (\d+) attached\n/g, (_, p: string) => {
    attached.push(p);
    return "";
  }).split("\n");
  const children: string[] = [];
  for (const l of raw) {
    const m = l.match(CREATORS);
    if (m && !children.includes(m[1])) children.push(m[1]);
  }
  const key = (pid: string | undefined): string => {
    if (pid === undefined) return "P0";
    const i = children.indexOf(pid);
    return i < 0 ? "P0" : `P${i + 1}`;
  };
  const seqs: Seqs = new Map();
  const pending = new Map<string, { idx: number; name: string }>();
  for (const p of attached) seqs.set(key(p), ["TRACER: Process PID attached"]);
  for (const l of raw) {
    const m = l.match(PID_PREFIX);
    const k = key(m?.[1]);
    const text = m ? l.slice(m[0].length) : l;
    if (!seqs.has(k)) seqs.set(k, []);
    const seq = seqs.get(k)!;
    const unf = text.match(/^([a-z0-9_]+)\((.*?) ?<unfinished \.\.\.>$/);
    const res = text.match(/^<\.\.\. ([a-z0-9_]+) resumed>(.*)$/);
    if (res && pending.has(k) && pending.get(k)!.name === res[1]) {
      const p = pending.get(k)!;
      pending.delete(k);
      seq[p.idx] = repad(seq[p.idx] + res[2]);
      continue;
    }
    if (unf) {
      pending.set(k, { idx: seq.length, name: unf[1] });
      seq.push(`${unf[1]}(${unf[2]}`);
      continue;
    }
    seq.push(repad(text));
  }
  return seqs;
}

/** Re-pads a line whose `[pid N] ` prefix was removed: the result column is 40. */
function repad(l: string): string {
  const m = l.match(/^(.*\))( +)(= .*)$/);
  if (!m || /^(\+\+\+|---) /.test(l)) return l;
  return m[1].length >= 39 ? `${m[1]} ${m[3]}` : `${m[1].padEnd(39)} ${m[3]}`;
}

/** The `-c` table's rows as `syscall calls errors`, in table order; the total row last. */
export function summaryRows(text: string): string[] {
  const out: string[] = [];
  for (const l of text.split("\n")) {
    const m = l.match(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d+\s+)?([a-z_0-9]+)$/);
    if (m) out.push(`${m[3]} calls=${m[1]} errors=${(m[2] ?? "0").trim()}`);
  }
  return out.sort();
}

/** One aligned difference: strace's line and sctrace's (either may be missing). */
export interface Pair {
  /** strace's line. */
  want?: string;
  /** sctrace's line. */
  got?: string;
}

/** The comparison of two traces. */
export interface Score {
  /** strace's line count. */
  want: number;
  /** sctrace's line count. */
  got: number;
  /** Lines identical after alignment. */
  same: number;
  /** `same / max(want, got)` in percent. */
  percent: number;
  /** The differing pairs, in order. */
  diffs: Pair[];
}

/** Longest-common-subsequence alignment of two line lists. */
export function align(a: string[], b: string[]): { same: number; diffs: Pair[] } {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (
    suf < a.length - pre && suf < b.length - pre &&
    a[a.length - 1 - suf] === b[b.length - 1 - suf]
  ) suf++;
  const x = a.slice(pre, a.length - suf), y = b.slice(pre, b.length - suf);
  const n = x.length, m = y.length;
  const diffs: Pair[] = [];
  if (n * m > 40_000_000) {
    // Too big to align: count as multisets.
    const bag = new Map<string, number>();
    for (const l of y) bag.set(l, (bag.get(l) ?? 0) + 1);
    let same = 0;
    for (const l of x) {
      const c = bag.get(l) ?? 0;
      if (c > 0) {
        same++;
        bag.set(l, c - 1);
      } else diffs.push({ want: l });
    }
    for (const [l, c] of bag) for (let i = 0; i < c; i++) diffs.push({ got: l });
    return { same: pre + suf + same, diffs };
  }
  const w = m + 1;
  const t = new Int32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = x[i] === y[j]
        ? t[(i + 1) * w + j + 1] + 1
        : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  let i = 0, j = 0;
  let wantRun: string[] = [], gotRun: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(wantRun.length, gotRun.length); k++) {
      diffs.push({ want: wantRun[k], got: gotRun[k] });
    }
    wantRun = [];
    gotRun = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      flush();
      i++;
      j++;
    } else if (j >= m || (i < n && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
      wantRun.push(x[i++]);
    } else gotRun.push(y[j++]);
  }
  flush();
  return { same: pre + suf + t[0], diffs };
}

/** Removes immediate repeats of blocks of 1 to 8 identical lines. */
export function squash(l: string[]): string[] {
  const out: string[] = [];
  for (const line of l) {
    out.push(line);
    for (let k = 1; k <= 8 && 2 * k <= out.length; k++) {
      let same = true;
      for (let j = 0; j < k && same; j++) {
        same = out[out.length - 1 - j] === out[out.length - 1 - k - j];
      }
      if (same) {
        out.length -= k;
        break;
      }
    }
  }
  return out;
}

/** Turns a trace into the comparable line lists (one per process under `-f`). */
export function comparable(e: Entry, stderr: string): Seqs {
  // The corpus rules go first: diff.ts's `-yy` inode rule would eat `TCP:[127.0.0.1:…` digits.
  const norm = (l: string) => {
    const base = normalise(l);
    let r = normalise(corpusNormalise(l));
    if (e.norm) r = e.norm(r);
    // A value replaced by a placeholder of another width moves the result column: re-pad.
    return r === base ? r : repad(r);
  };
  if (e.flags.includes("-c")) return new Map([["P0", summaryRows(stderr)]]);
  const raw = stderr.split("\n");
  if (raw.length && raw[raw.length - 1] === "") raw.pop();
  if (e.flags.includes("-f")) {
    const seqs = perProcess(raw);
    for (const [k, v] of seqs) seqs.set(k, v.map(norm));
    return seqs;
  }
  const seq = raw.map(norm);
  return new Map([["P0", e.squash ? squash(seq) : seq]]);
}

/** Scores sctrace's trace against strace's. */
export function score(e: Entry, want: string, got: string): Score {
  const a = comparable(e, want), b = comparable(e, got);
  let nw = 0, ng = 0, same = 0;
  const diffs: Pair[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? [], y = b.get(k) ?? [];
    nw += x.length;
    ng += y.length;
    const r = align(x, y);
    same += r.same;
    const tag = a.size > 1 || b.size > 1 ? `${k}: ` : "";
    for (const d of r.diffs) {
      diffs.push({
        want: d.want === undefined ? undefined : tag + d.want,
        got: d.got === undefined ? undefined : tag + d.got,
      });
    }
  }
  const denom = Math.max(nw, ng);
  return {
    want: nw,
    got: ng,
    same,
    percent: denom ? (100 * same) / denom : 100,
    diffs,
  };
}

/** A loopback HTTP server (python3 -m http.server) for the curl entries. */
export class HttpServer {
  /** The port it listens on. */
  readonly port: number;
  #child: Deno.ChildProcess;
  #dir: string;

  private constructor(port: number, child: Deno.ChildProcess, dir: string) {
    this.port = port;
    this.#child = child;
    this.#dir = dir;
  }

  /** Starts the server in a directory of its own and waits until it accepts connections. */
  static async start(): Promise<HttpServer> {
    const dir = await Deno.makeTempDir({ prefix: "corpus_www_" });
    await Deno.writeTextFile(`${dir}/index.html`, "<html>hello</html>\n");
    const port = 20000 + Math.floor(Math.random() * 10000);
    const child = new Deno.Command("/usr/bin/python3", {
      args: ["-m", "http.server", "--bind", "127.0.0.1", String(port)],
      cwd: dir,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    for (let i = 0; i < 100; i++) {
      try {
        const c = await Deno.connect({ hostname: "127.0.0.1", port });
        c.close();
        return new HttpServer(port, child, dir);
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    child.kill();
    throw new Error("http.server did not start");
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await this.#child.status;
    await Deno.remove(this.#dir, { recursive: true });
  }
}

/** What one corpus entry gave. */
export interface Result {
  /** The entry. */
  entry: Entry;
  /** The score against strace. */
  score: Score;
  /** strace against itself (with --baseline). */
  baseline?: Score;
  /** Differences in exit code or stdout, if any. */
  notes: string[];
}

/** Runs one entry under both tracers (one after the other, in one temp cwd) and scores it. */
export async function runEntry(
  e: Entry,
  server?: HttpServer,
  baseline = false,
): Promise<Result> {
  const argv = e.argv.map((a) => server ? a.replace("PORT", String(server.port)) : a);
  const cwd = await Deno.makeTempDir({ prefix: "corpus_" });
  try {
    const args = [...e.flags, ...argv];
    const a: Run = await strace(args, { cwd });
    const b: Run = await sctrace(args, { cwd });
    const notes: string[] = [];
    if (a.code !== b.code) notes.push(`exit code ${b.code}, strace ${a.code}`);
    const outNorm = (s: string) => (e.norm ? s.split("\n").map(e.norm).join("\n") : s);
    if (e.name !== "date" && outNorm(a.stdout) !== outNorm(b.stdout)) {
      notes.push("stdout differs");
    }
    const result: Result = { entry: e, score: score(e, a.stderr, b.stderr), notes };
    if (baseline) {
      const c = await strace(args, { cwd });
      result.baseline = score(e, a.stderr, c.stderr);
    }
    return result;
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

/** Runs the given entries (starting the HTTP server when one needs it). */
export async function runCorpus(
  entries: Entry[],
  opts: { baseline?: boolean; onResult?: (r: Result) => void } = {},
): Promise<Result[]> {
  const server = entries.some((e) => e.http) ? await HttpServer.start() : undefined;
  const out: Result[] = [];
  try {
    for (const e of entries) {
      const r = await runEntry(e, server, opts.baseline);
      opts.onResult?.(r);
      out.push(r);
    }
  } finally {
    await server?.stop();
  }
  return out;
}

/** Formats a percentage with two decimals. */
export function pct(p: number): string {
  return `${p.toFixed(2)}%`;
}

/** The markdown table of results, with the overall figure as the last row. */
export function table(results: Result[]): string {
  const base = results.some((r) => r.baseline);
  const head = ["program", "flags", "strace lines", "sctrace lines", "identical", "%"];
  if (base) head.push("strace vs strace %");
  const rows = [head, head.map(() => "---")];
  let w = 0, s = 0, g = 0;
  for (const r of results) {
    const sc = r.score;
    w += sc.want;
    g += sc.got;
    s += sc.same;
    const row = [
      r.entry.name,
      r.entry.flags.join(" ") || "",
      String(sc.want),
      String(sc.got),
      String(sc.same),
      pct(sc.percent),
    ];
    if (base) row.push(r.baseline ? pct(r.baseline.percent) : "");
    rows.push(row);
  }
  const total = ["**overall**", "", String(w), String(g), String(s), pct(100 * s / Math.max(w, g))];
  if (base) total.push("");
  rows.push(total);
  return rows.map((r) => `| ${r.join(" | ")} |`).join("\n");
}

if (import.meta.main) {
  const args = Deno.args;
  const verbose = args.includes("--verbose");
  const baseline = args.includes("--baseline");
  const fast = args.includes("--fast");
  const i = args.indexOf("--only");
  const only = i >= 0 ? args[i + 1].split(",") : undefined;
  let entries = CORPUS.filter((e) => !only || only.includes(e.name));
  if (fast) entries = entries.filter((e) => e.fast);
  if (!entries.length) {
    console.error(`no such entry; names: ${CORPUS.map((e) => e.name).join(", ")}`);
    Deno.exit(2);
  }
  const results = await runCorpus(entries, {
    baseline,
    onResult: (r) => {
      const sc = r.score;
      console.log(
        `${r.entry.name}: ${sc.same}/${sc.want} strace lines identical ` +
          `(sctrace ${sc.got}) ${pct(sc.percent)}` +
          (r.baseline ? ` [strace vs strace ${pct(r.baseline.percent)}]` : "") +
          (r.notes.length ? ` (${r.notes.join("; ")})` : ""),
      );
      for (const d of sc.diffs.slice(0, verbose ? Infinity : 4)) {
        console.log(`  - strace:  ${d.want ?? "(none)"}`);
        console.log(`  + sctrace: ${d.got ?? "(none)"}`);
      }
    },
  });
  console.log();
  console.log(table(results));
  const low = results.filter((r) => r.score.percent < 97);
  if (low.length) {
    console.log(`\nbelow 97%: ${low.map((r) => r.entry.name).join(", ")}`);
    Deno.exit(1);
  }
}
