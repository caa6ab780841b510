/**
 * Finding the program to run (strace's PATH search) and building its environment (`-E`).
 * @module
 */

/** strerror text of a Deno file-system error ("No such file or directory (os error 2): …"). */
function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/ \(os error \d+\).*$/s, "");
}

/**
 * Whether we may execute a file with this `stat`: root needs an execute bit, others the bit of
 * their class (the kernel's check; `access(X_OK)` without libc).
 */
function mayExec(st: Deno.FileInfo): boolean {
  const mode = st.mode ?? 0;
  const uid = Deno.uid() ?? -1;
  if (uid === 0) return (mode & 0o111) !== 0;
  if (st.uid === uid) return (mode & 0o100) !== 0;
  let groups: number[] = [Deno.gid() ?? -1];
  try {
    const m = /\nGroups:\s*([0-9 ]*)/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) groups = groups.concat(m[1].trim().split(/\s+/).filter((g) => g).map(Number));
  } catch {
    // only the primary group
  }
  if (groups.includes(st.gid ?? -2)) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/**
 * Resolves a command name as strace's `startup_child` does: a name with a `/` as given, others
 * on `$PATH` (an empty entry is the current directory; only regular files with an execute bit
 * are taken), then `stat` of the result (`Can't stat 'NAME': ERROR`). A file that cannot be
 * executed fails as strace's child does after its failed `execve` (`exec: Permission denied`),
 * but before anything is started.
 */
export function resolveCommand(name: string): string | { error: string } {
  if (name.length > 4095) return { error: "exec: File name too long" };
  let pathname = "";
  if (name.includes("/")) pathname = name;
  else {
    const path = Deno.env.get("PATH") ?? "";
    if (path !== "") {
      for (const dir of path.split(":")) {
        let base = dir === "" ? Deno.cwd() : dir;
        if (base !== "" && !base.endsWith("/")) base += "/";
        const c = base + name;
        try {
          const st = Deno.statSync(c);
          if (st.isFile && ((st.mode ?? 0) & 0o111)) {
            pathname = c;
            break;
          }
        } catch {
          // try the next one
        }
      }
    }
  }
  let st: Deno.FileInfo;
  try {
    if (pathname === "") throw new Error("No such file or directory (os error 2)");
    st = Deno.statSync(pathname);
  } catch (e) {
    return { error: `Can't stat '${name}': ${errorText(e)}` };
  }
  // execve(2): EACCES for anything but a regular file, or without execute permission.
  if (!st.isFile || !mayExec(st)) return { error: "exec: Permission denied" };
  const why = formatError(pathname);
  if (why) return { error: `exec: ${why}` };
  return pathname;
}

/** Whether binfmt_misc has handlers registered (then any file format may be executable). */
function binfmtMisc(): boolean {
  try {
    for (const e of Deno.readDirSync("/proc/sys/fs/binfmt_misc")) {
      if (e.name !== "register" && e.name !== "status") return true;
    }
  } catch {
    // not mounted
  }
  return false;
}

/**
 * What execve(2) would say about the file's format, checked before launching because the shim's
 * exec falls back to `/bin/sh` on ENOEXEC (glibc's execvp) where strace's child fails:
 * `Exec format error` for a file that is neither an ELF file for this machine nor a `#!` script
 * (unless binfmt_misc handlers exist), `No such file or directory` for a script whose interpreter
 * is missing. Undefined when it looks executable.
 */
function formatError(path: string): string | undefined {
  let head: Uint8Array;
  try {
    const f = Deno.openSync(path);
    try {
      head = new Uint8Array(256);
      const n = f.readSync(head) ?? 0;
      head = head.subarray(0, n);
    } finally {
      f.close();
    }
  } catch {
    return undefined; // unreadable (execute-only): leave it to execve
  }
  if (head[0] === 0x23 && head[1] === 0x21) {
    const line = new TextDecoder().decode(head.subarray(2)).split("\n")[0];
    const interp = line.trim().split(/[ \t]/)[0];
    if (interp === "") return "Exec format error";
    if (interp.startsWith("/")) {
      try {
        Deno.statSync(interp);
      } catch {
        return "No such file or directory";
      }
    }
    return undefined;
  }
  const elf = head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
  if (elf && head.length >= 20) {
    const cls = head[4], data = head[5], machine = head[18] | (head[19] << 8);
    if ((cls === 1 || cls === 2) && data === 1 && (machine === 62 || machine === 3)) {
      return undefined;
    }
  }
  return binfmtMisc() ? undefined : "Exec format error";
}

/**
 * The environment the tracee gets: exactly ours (from `/proc/self/environ`, in its order), with
 * `-E VAR=VAL` setting and `-E VAR` removing variables.
 */
export function buildEnv(changes: readonly string[]): string[] {
  let env: string[];
  try {
    const raw = Deno.readFileSync("/proc/self/environ");
    env = new TextDecoder().decode(raw).split("\0");
    if (env.length && env[env.length - 1] === "") env.pop();
  } catch {
    env = Object.entries(Deno.env.toObject()).map(([k, v]) => `${k}=${v}`);
  }
  for (const ch of changes) {
    const eq = ch.indexOf("=");
    const name = eq < 0 ? ch : ch.slice(0, eq);
    const idx = env.findIndex((e) => e.startsWith(name + "="));
    if (eq < 0) {
      if (idx >= 0) env.splice(idx, 1);
    } else if (idx >= 0) env[idx] = ch;
    else env.push(ch);
  }
  return env;
}

/** The effective uid (Deno has no geteuid; /proc/self/status has it). */
export function effectiveUid(): number {
  try {
    const m = /\nUid:\s+\d+\s+(\d+)/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return Number(m[1]);
  } catch {
    // fall through
  }
  return Deno.uid() ?? -1;
}

/** The credentials of `-u USER`. */
export interface UserCreds {
  /** User id. */
  uid: number;
  /** Primary group id. */
  gid: number;
  /** Supplementary groups (from /etc/group, primary group included). */
  groups: number[];
}

/** Looks a user up in /etc/passwd and /etc/group (by name, or a numeric uid). */
export function lookupUser(name: string): UserCreds | undefined {
  let passwd: string, group: string;
  try {
    passwd = Deno.readTextFileSync("/etc/passwd");
  } catch {
    return undefined;
  }
  try {
    group = Deno.readTextFileSync("/etc/group");
  } catch {
    group = "";
  }
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f.length < 4 || f[0] !== name) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    const groups = [gid];
    for (const g of group.split("\n")) {
      const gf = g.split(":");
      if (gf.length >= 4 && gf[3].split(",").includes(name) && !groups.includes(Number(gf[2]))) {
        groups.push(Number(gf[2]));
      }
    }
    return { uid, gid, groups };
  }
  return undefined;
}
