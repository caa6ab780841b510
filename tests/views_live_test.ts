/**
 * `--live` in a real terminal (tmux): the screen is drawn and adapts to a resize, `q` detaches
 * (exit 0, the traced process goes on running untraced), Ctrl-C detaches like SIGINT, and the
 * terminal is restored (normal screen, cooked mode, cursor shown) after `q`, after Ctrl-C and
 * after an internal error.
 */

import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { MAIN, ROOT } from "./helpers/diff.ts";
import { sleep } from "./helpers/servers.ts";

const SOCKET = `sctrace_views_${Deno.pid}`;
const DENO = `${Deno.execPath()} run -A --no-check`;

function haveTmux(): boolean {
  try {
    return Deno.statSync("/usr/bin/tmux").isFile;
  } catch {
    return false;
  }
}

async function tmux(...args: string[]): Promise<string> {
  const r = await new Deno.Command("tmux", {
    args: ["-L", SOCKET, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return new TextDecoder().decode(r.stdout);
}

/** Starts `command` in a detached tmux session of `cols`×`rows`; its exit status and `stty -a` go to files. */
async function session(
  name: string,
  command: string,
  dir: string,
  cols = 120,
  rows = 30,
): Promise<void> {
  // The shell ignores SIGINT (Ctrl-C would end it with sctrace); sctrace installs its own handler.
  const script = `trap "" INT; ${command}; echo $? > ${dir}/${name}.rc; ` +
    `stty -a > ${dir}/${name}.stty; sleep 600`;
  // A server still shutting down from the previous test's `kill-server` can swallow a new
  // session: make sure it exists (the script's `sleep 600` keeps it), else start it again.
  for (let attempt = 0; attempt < 20; attempt++) {
    await tmux(
      "new-session",
      "-d",
      "-s",
      name,
      "-x",
      String(cols),
      "-y",
      String(rows),
      "sh",
      "-c",
      script,
    );
    await new Promise((r) => setTimeout(r, 100));
    const has = await new Deno.Command("tmux", {
      args: ["-L", SOCKET, "has-session", "-t", name],
      stdout: "null",
      stderr: "null",
    }).output();
    if (has.success) return;
  }
  throw new Error(`tmux session ${name} could not be started`);
}

async function screen(name: string): Promise<string> {
  return await tmux("capture-pane", "-p", "-t", name);
}

async function waitFor(what: () => Promise<boolean>, ms = 30000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return true;
    await sleep(100);
  }
  return await what();
}

async function readOr(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

async function tracerPid(pid: number): Promise<number> {
  const s = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(s.match(/TracerPid:\s*(\d+)/)![1]);
}

/** The pane's terminal is back to normal: the normal screen, cursor shown, canonical mode and echo. */
async function assertRestored(name: string, dir: string): Promise<void> {
  assertEquals(
    (await tmux("display", "-p", "-t", name, "#{alternate_on}")).trim(),
    "0",
    "alternate screen",
  );
  assertEquals(
    (await tmux("display", "-p", "-t", name, "#{cursor_flag}")).trim(),
    "1",
    "cursor hidden",
  );
  const stty = (await readOr(`${dir}/${name}.stty`)) ?? "";
  assertMatch(stty, /(^|\s)icanon(\s|$)/, "canonical mode");
  assertMatch(stty, /(^|\s)echo(\s|$)/, "echo");
  assertMatch(stty, /(^|\s)isig(\s|$)/, "isig");
}

Deno.test({
  name:
    "--live in tmux: drawn, resized, q detaches (exit 0, tracee untraced), Ctrl-C, terminal restored",
  ignore: !haveTmux(),
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "sctrace_live_" });
    const target = new Deno.Command("sleep", { args: ["600"] }).spawn();
    try {
      // q
      await session("q", `cd ${ROOT} && ${DENO} ${MAIN} --live -p ${target.pid}`, dir);
      assert(
        await waitFor(async () => (await screen("q")).includes("sctrace --live")),
        await screen("q"),
      );
      assertEquals((await tmux("display", "-p", "-t", "q", "#{alternate_on}")).trim(), "1");
      assert(await waitFor(async () => (await tracerPid(target.pid)) !== 0), "never attached");
      let s = await screen("q");
      assertMatch(s, /SYSCALLS\/s BY PROCESS +SYSCALLS\/s BY NAME/); // two columns at 120
      assertMatch(s, /SLOWEST CALLS/);
      assertMatch(s, /ERRORS/);
      await tmux("resize-window", "-t", "q", "-x", "70", "-y", "20");
      assert(
        await waitFor(async () => /^SYSCALLS\/s BY NAME/m.test(await screen("q")), 10000),
        `no one-column layout at 70 columns:\n${await screen("q")}`,
      );
      s = await screen("q");
      for (const line of s.split("\n")) assert(line.length <= 70, line);
      await tmux("send-keys", "-t", "q", "q");
      assert(
        await waitFor(async () => (await readOr(`${dir}/q.rc`)) !== undefined),
        await screen("q"),
      );
      assertEquals((await readOr(`${dir}/q.rc`))!.trim(), "0");
      await assertRestored("q", dir);
      assertEquals(await tracerPid(target.pid), 0);
      assertEquals((await Deno.readTextFile(`/proc/${target.pid}/stat`)).split(" ")[2], "S");

      // Ctrl-C: SIGINT as without --live (detach; 130 as strace), terminal restored.
      await session("c", `cd ${ROOT} && ${DENO} ${MAIN} --live -p ${target.pid}`, dir);
      assert(await waitFor(async () => (await screen("c")).includes("sctrace --live")));
      assert(await waitFor(async () => (await tracerPid(target.pid)) !== 0), "never attached");
      await tmux("send-keys", "-t", "c", "C-c");
      assert(
        await waitFor(async () => (await readOr(`${dir}/c.rc`)) !== undefined),
        await screen("c"),
      );
      assertEquals((await readOr(`${dir}/c.rc`))!.trim(), "130");
      await assertRestored("c", dir);
      assertEquals(await tracerPid(target.pid), 0);

      // An internal error while the view is up: the terminal is restored all the same.
      await session("e", `cd ${ROOT} && ${DENO} tests/fixtures/live_crash.ts`, dir);
      assert(
        await waitFor(async () => (await readOr(`${dir}/e.rc`)) !== undefined),
        await screen("e"),
      );
      assertEquals((await readOr(`${dir}/e.rc`))!.trim(), "1");
      await assertRestored("e", dir);
      assertMatch(await screen("e"), /an internal error of ours/);
    } finally {
      await tmux("kill-server");
      target.kill("SIGKILL");
      await target.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Whether the views get events (their sinks are on the event bus; see views_e2e_test.ts). */
async function wired(): Promise<boolean> {
  const dir = await Deno.makeTempDir();
  try {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", MAIN, "--timeline", `${dir}/t.json`, "/bin/true"],
      stdout: "null",
      stderr: "null",
    }).output();
    return r.success && (await Deno.readTextFile(`${dir}/t.json`)).includes('"ph":"X"');
  } catch {
    return false;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const WIRED = await wired();
if (!WIRED) {
  console.log("SKIPPED: --live shows the counts: the views' sinks are not on the event bus yet");
}

Deno.test({
  name: "--live in tmux shows the counts of a busy process, by process and by name, and its errors",
  ignore: !haveTmux() || !WIRED,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "sctrace_live_" });
    const target = new Deno.Command("sh", {
      args: ["-c", "while :; do cat /nonexistent 2>/dev/null; done"],
    }).spawn();
    try {
      await session(
        "n",
        `cd ${ROOT} && ${DENO} ${MAIN} -f --live -p ${target.pid} 2>${dir}/n.err`,
        dir,
        130,
        40,
      );
      const counted = (s: string) =>
        /^sctrace --live +\S+ traced +[1-9]\d* syscalls/.test(s) &&
        /^ +\d+ cat +\d+ +\d+/m.test(s) && /openat +\d+ +[1-9]\d*/.test(s) &&
        /^ +\d+ openat ENOENT/m.test(s);
      assert(
        await waitFor(async () => counted(await screen("n")), 30000),
        `no counts:\n${await screen("n")}\nstatus: ${await readOr(
          `${dir}/n.rc`,
        )}\nstderr: ${await readOr(
          `${dir}/n.err`,
        )}`,
      );
      await tmux("send-keys", "-t", "n", "q");
      assert(await waitFor(async () => (await readOr(`${dir}/n.rc`)) !== undefined));
      assertEquals((await readOr(`${dir}/n.rc`))!.trim(), "0");
      await assertRestored("n", dir);
      assertEquals(await tracerPid(target.pid), 0);
    } finally {
      await tmux("kill-server");
      target.kill("SIGKILL");
      await target.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});
