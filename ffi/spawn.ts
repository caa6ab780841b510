/**
 * Starts the command to trace. `fork()` cannot be called from Deno (V8's heap is
 * `MADV_DONTFORK`), so `posix_spawn` starts a small shim that stops itself with SIGSTOP and then
 * `exec`s the target with exactly the argv[0], arguments and environment we give it. The tracer
 * seizes the stopped shim and hides every stop before the target's `execve`.
 * @module
 */

import { cString, libc } from "./libc.ts";
import { POSIX_SPAWN } from "./constants.ts";
import { cloexecPipe, closeFd, destroyFileActions, stdinFileActions } from "./fileio.ts";

/** The shim: perl (Essential on Debian) execs `{path} argv0 args…` without touching environ. */
const PERL = "/usr/bin/perl";
/**
 * The shim's script. Its first argument is `Q:NAMES`. `Q` says whether the shim's environment ends
 * with our `PERL_BADLANG=0` (`1`) or not (`0`): perl warns on stderr at start-up when the user's
 * locale is not installed, which strace's tracee never prints, so the variable silences perl and
 * the shim deletes it again (the last entry: the others keep their order). `NAMES` lists the
 * signals ignored when sctrace started (`HUP,INT`): the shim ignores them again, as strace's
 * tracee inherits them (sctrace's own handlers for some of them are reset by exec). Its next two
 * arguments are
 * `-u`'s credentials (`uid:gid:group,group…`, or
 * `-`) and the `--seccomp-bpf` filter (a `struct sock_filter` array in hex, or `-`); then the path
 * and argv.
 *
 * Credentials are dropped before the stop (groups, then gids, then uids). The filter is installed
 * after the stop, once the tracer is attached (a `SECCOMP_RET_TRACE` without a tracer would fail
 * the call with ENOSYS), with `prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog)`; only if that
 * fails with EACCES (not root) does it set `PR_SET_NO_NEW_PRIVS` and retry, as strace does, so
 * that root's set-user-ID programs keep working. A filter that cannot be installed is skipped:
 * the tracer then never sees a seccomp stop and traces as usual.
 */
const PERL_SHIM = "my ($q, $ign) = split /:/, shift(@ARGV), 2; " +
  "$SIG{$_} = 'IGNORE' for grep { length } split /,/, $ign; " +
  "my $u = shift @ARGV; my $f = shift @ARGV; " +
  "if ($u ne '-') { my ($uid, $gid, $gr) = split /:/, $u, 3; " +
  "$) = join(' ', $gid, split(/,/, $gr)); $( = $gid; $> = $uid; $< = $uid; " +
  "exit 126 if $< != $uid || $> != $uid; } " +
  'kill "STOP", $$; ' +
  "if ($f ne '-') { $f = pack('H*', $f); my $p = pack('S x6 P', length($f) / 8, $f); " +
  "syscall(157, 22, 2, $p) == 0 or ($! == 13 and syscall(157, 38, 1, 0, 0, 0) == 0 " +
  "and syscall(157, 22, 2, $p)); } " +
  "delete $ENV{PERL_BADLANG} if $q; exec {shift @ARGV} @ARGV; exit 127";
/** A fallback shim when perl is missing: argv[0] becomes the path; no -u, no seccomp. */
const SH = "/bin/sh";
const SH_SHIM = 'kill -STOP $$; exec "$0" "$@"';

/** What the shim is given. */
export interface SpawnRequest {
  /** The resolved executable path passed to execve. */
  path: string;
  /** argv, argv[0] included. */
  argv: string[];
  /** The environment, as `NAME=value` strings, in order. */
  env: string[];
  /**
   * `--seccomp-bpf`: a `struct sock_filter` array (from `buildFilter` in `ffi/seccomp.ts`) that
   * the shim installs right before exec. It travels as a hex argument of the shim, so the
   * environment stays exactly `env`. Ignored without perl.
   */
  seccompFilter?: Uint8Array;
  /** `-u USER`: the credentials to run as (ignored without perl). */
  user?: { uid: number; gid: number; groups: number[] };
}

/** Lower-case hex of `bytes`. */
function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

function pointerArray(strings: Uint8Array<ArrayBuffer>[]): BigUint64Array<ArrayBuffer> {
  const arr = new BigUint64Array(strings.length + 1);
  strings.forEach((s, i) => {
    arr[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(s)));
  });
  return arr;
}

/**
 * The signals ignored when this process started (`SigIgn` of /proc/self/status, read when this
 * module loads, before the tracer installs any handler), SIGPIPE excepted: Deno ignores it itself.
 * An ignored disposition survives exec, so strace's tracee inherits it (`nohup`, a background
 * job's SIGINT and SIGQUIT); the shim's tracee keeps these too, and gets every other signal reset.
 */
const INHERITED_IGNORED: bigint = (() => {
  try {
    const m = /^SigIgn:\s*([0-9a-f]+)$/m.exec(Deno.readTextFileSync("/proc/self/status"));
    return m ? BigInt("0x" + m[1]) & ~(1n << 12n) : 0n; // bit 12: SIGPIPE (13)
  } catch {
    return 0n;
  }
})();

/** Signals 1 to 31 (x86_64) by number, as perl's `%SIG` names them. */
const SIGNAMES = [
  "HUP",
  "INT",
  "QUIT",
  "ILL",
  "TRAP",
  "ABRT",
  "BUS",
  "FPE",
  "KILL",
  "USR1",
  "SEGV",
  "USR2",
  "PIPE",
  "ALRM",
  "TERM",
  "STKFLT",
  "CHLD",
  "CONT",
  "STOP",
  "TSTP",
  "TTIN",
  "TTOU",
  "URG",
  "XCPU",
  "XFSZ",
  "VTALRM",
  "PROF",
  "WINCH",
  "IO",
  "PWR",
  "SYS",
];

/** The inherited ignored signals (1 to 31) by name, comma-separated, for the perl shim. */
function ignoredNames(): string {
  return SIGNAMES.filter((_, i) => (INHERITED_IGNORED >> BigInt(i)) & 1n).join(",");
}

/** The `sigset_t` of signals the shim resets to their default: all but the inherited ignored. */
function signalsToReset(): Uint8Array {
  const set = new Uint8Array(128).fill(0xff);
  for (let bit = 0; bit < 64; bit++) {
    if ((INHERITED_IGNORED >> BigInt(bit)) & 1n) set[bit >> 3] &= ~(1 << (bit & 7));
  }
  return set;
}

/** Whether the perl shim is available. */
function havePerl(): boolean {
  try {
    return Deno.statSync(PERL).isFile;
  } catch {
    return false;
  }
}

/**
 * Spawns the shim; returns the pid of the (soon self-stopped) shim, or a negative errno.
 * The child gets default dispositions for all signals but those ignored when sctrace started (as
 * strace's tracee, which inherits them), and an empty signal mask (Deno ignores SIGPIPE, which
 * would otherwise be inherited).
 */
export function spawnStopped(req: SpawnRequest): number {
  const filter = req.seccompFilter;
  const u = req.user;
  const creds = u ? `${u.uid}:${u.gid}:${u.groups.join(",")}` : "-";
  const seccomp = filter && filter.length > 0 && filter.length % 8 === 0 ? hex(filter) : "-";
  const perl = havePerl();
  const quiet = perl && !req.env.some((e) => e.startsWith("PERL_BADLANG="));
  const shimArgv = perl
    ? [PERL, "-e", PERL_SHIM, `${quiet ? 1 : 0}:${ignoredNames()}`, creds, seccomp, req.path]
      .concat(req.argv)
    : [SH, "-c", SH_SHIM, req.path, ...req.argv.slice(1)];
  const argStrings = shimArgv.map(cString);
  const envStrings = (quiet ? [...req.env, "PERL_BADLANG=0"] : req.env).map(cString);
  const argv = pointerArray(argStrings);
  const envp = pointerArray(envStrings);
  const attr = new Uint8Array(512);
  const allSignals = signalsToReset();
  const noSignals = new Uint8Array(128);
  libc.posix_spawnattr_init(attr);
  libc.posix_spawnattr_setflags(attr, POSIX_SPAWN.SETSIGDEF | POSIX_SPAWN.SETSIGMASK);
  libc.posix_spawnattr_setsigdefault(attr, allSignals);
  libc.posix_spawnattr_setsigmask(attr, noSignals);
  const pidBuf = new Int32Array(1);
  const path = argStrings[0];
  const rc = libc.posix_spawn(
    new Uint8Array(pidBuf.buffer),
    path,
    null,
    attr,
    new Uint8Array(argv.buffer),
    new Uint8Array(envp.buffer),
  );
  libc.posix_spawnattr_destroy(attr);
  // Keep the strings alive until posix_spawn returned.
  void argStrings.length;
  void envStrings.length;
  return rc === 0 ? pidBuf[0] : -rc;
}

/**
 * Spawn attributes giving the child default dispositions for all signals and an empty signal
 * mask (Deno ignores SIGPIPE, which would otherwise be inherited). Destroy after use.
 */
function defaultSignalsAttr(): Uint8Array<ArrayBuffer> {
  const attr = new Uint8Array(512);
  const allSignals = new Uint8Array(128).fill(0xff);
  const noSignals = new Uint8Array(128);
  libc.posix_spawnattr_init(attr);
  libc.posix_spawnattr_setflags(attr, POSIX_SPAWN.SETSIGDEF | POSIX_SPAWN.SETSIGMASK);
  libc.posix_spawnattr_setsigdefault(attr, allSignals);
  libc.posix_spawnattr_setsigmask(attr, noSignals);
  return attr;
}

/** A child reading from a pipe: its pid and our (close-on-exec) write end. */
export interface PipeChild {
  /** The child's pid (ours to wait for; never traced). */
  pid: number;
  /** The pipe's write end. */
  fd: number;
}

/**
 * Starts `/bin/sh -c command` (argv[0] `sh`) with a pipe on its stdin, as strace's
 * `strace_popen` does for `-o '|command'`; its stdout and stderr are ours. The write end is
 * close-on-exec, so neither the shell nor a tracee started later holds it: the shell sees EOF
 * when we close it. Returns the child and the write end, or a negative errno.
 */
export function spawnPipeReader(command: string, env: string[]): PipeChild | number {
  const p = cloexecPipe();
  if (typeof p === "number") return p;
  const [readEnd, writeEnd] = p;
  const argStrings = [SH, "sh", "-c", command].map(cString);
  const envStrings = env.map(cString);
  const argv = pointerArray(argStrings.slice(1));
  const envp = pointerArray(envStrings);
  const attr = defaultSignalsAttr();
  const actions = stdinFileActions(readEnd);
  const pidBuf = new Int32Array(1);
  const rc = libc.posix_spawn(
    new Uint8Array(pidBuf.buffer),
    argStrings[0],
    Deno.UnsafePointer.of(actions),
    attr,
    new Uint8Array(argv.buffer),
    new Uint8Array(envp.buffer),
  );
  destroyFileActions(actions);
  libc.posix_spawnattr_destroy(attr);
  closeFd(readEnd);
  // Keep the strings alive until posix_spawn returned.
  void argStrings.length;
  void envStrings.length;
  if (rc !== 0) {
    closeFd(writeEnd);
    return -rc;
  }
  return { pid: pidBuf[0], fd: writeEnd };
}
