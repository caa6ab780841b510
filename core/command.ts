/**
 * Finding the program to run (strace's PATH search) and building its environment (`-E`).
 * @module
 */

/** Resolves a command name as strace does: names with a `/` as given, others on `$PATH`. */
export function resolveCommand(name: string): string | { error: string } {
  const candidates: string[] = [];
  if (name.includes("/")) candidates.push(name);
  else {
    const path = Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
    for (const dir of path.split(":")) candidates.push(`${dir || "."}/${name}`);
  }
  for (const c of candidates) {
    try {
      const st = Deno.statSync(c);
      if (!st.isFile) continue;
      if (name.includes("/")) return c;
      if ((st.mode ?? 0) & 0o111) return c;
    } catch {
      // try the next one
    }
  }
  return { error: `Can't stat '${name}': No such file or directory` };
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
