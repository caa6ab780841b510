/**
 * `deno task compile`: builds the single `dist/sctrace` executable with `deno compile`, then runs
 * it to check that it is sctrace before saying "built".
 *
 * `deno compile` normally downloads its runtime (`denort`) from Deno's CDN. Where that is not
 * reachable, point `DENORT_BIN` at a `denort` binary of the same Deno version (2.9.6); it is passed
 * through to `deno compile`. Without either, the build fails and says what to set.
 *
 * `deno compile` accepts any executable as `DENORT_BIN`: given a plain `deno` it "succeeds" and
 * writes a file that is just Deno. So the result is run (`-V`, and a trace of `/bin/true`); when it
 * does not answer as sctrace, the file is removed and the task fails saying why.
 *
 * Usage: `deno task compile [--output PATH]`
 * @module
 */

const dec = new TextDecoder();

/** What a run of the built file printed. */
interface Run {
  /** Exit code (-1 when it could not be started). */
  code: number;
  /** What it wrote to stdout. */
  out: string;
  /** What it wrote to stderr (or why it could not be started). */
  err: string;
}

import { DEMANGLER_PACKAGE } from "../core/trace/stack/demangle.ts";

/** Runs `bin args` with a 30 s bound. */
async function run(bin: string, argv: string[]): Promise<Run> {
  try {
    const r = await new Deno.Command(bin, {
      args: argv,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
  } catch (e) {
    return { code: -1, out: "", err: e instanceof Error ? e.message : String(e) };
  }
}

/** First line of a text, shortened, for messages. */
function first(s: string): string {
  const l = s.trim().split("\n")[0] ?? "";
  return JSON.stringify(l.length > 120 ? `${l.slice(0, 120)}...` : l);
}

/**
 * Checks that `bin` is sctrace: `-V` prints `sctrace -- version VERSION`, and
 * `-e trace=exit_group /bin/true` prints `exit_group(0) = ?` and `+++ exited with 0 +++`.
 * Returns why not, or null when it is.
 */
export async function notSctrace(bin: string, version: string): Promise<string | null> {
  const v = await run(bin, ["-V"]);
  const want = `sctrace -- version ${version}`;
  if (v.code !== 0 || v.out.split("\n")[0] !== want) {
    return `\`${bin} -V\` printed ${first(v.out || v.err)} (exit ${v.code}), not "${want}"`;
  }
  const t = await run(bin, ["-e", "trace=exit_group", "/bin/true"]);
  if (
    t.code !== 0 || !/^exit_group\(0\) += \?$/m.test(t.err) ||
    !/^\+\+\+ exited with 0 \+\+\+$/m.test(t.err)
  ) {
    return `\`${bin} -e trace=exit_group /bin/true\` exited ${t.code} printing ${first(t.err)}, ` +
      "not `exit_group(0) = ?` and `+++ exited with 0 +++`";
  }
  return null;
}

/** Builds, checks, and says so; exits non-zero on any failure. */
async function main(): Promise<void> {
  const args = Deno.args;
  const outIdx = args.indexOf("--output");
  const root = new URL("../", import.meta.url).pathname;
  const given = outIdx >= 0 ? args[outIdx + 1] : `${root}dist/sctrace`;
  const output = given.startsWith("/") ? given : `${Deno.cwd()}/${given}`;
  const version: string = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).version;
  const denort = Deno.env.get("DENORT_BIN");
  if (denort) {
    try {
      Deno.statSync(denort);
    } catch {
      console.error(`compile: DENORT_BIN=${denort} does not exist`);
      Deno.exit(1);
    }
    console.error(`compile: using DENORT_BIN=${denort}`);
  }

  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "-A",
      "--no-check",
      "--include",
      `${root}plugins/mod.ts`,
      "--include",
      `${root}core/trace/signal_relay.ts`,
      // Loaded on demand: -k (and its demangler, an npm package outside the static graph).
      "--include",
      `${root}core/trace/stack/mod.ts`,
      "--include",
      DEMANGLER_PACKAGE,
      "-o",
      output,
      `${root}main.ts`,
    ],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!r.success) {
    console.error(
      denort
        ? "compile: deno compile failed (see above)"
        : "compile: deno compile failed (see above); if it could not download its runtime (denort) " +
          "from Deno's CDN, set DENORT_BIN=/path/to/denort, a denort binary of Deno 2.9.6",
    );
    Deno.exit(1);
  }

  const why = await notSctrace(output, version);
  if (why) {
    await Deno.remove(output).catch(() => {});
    console.error(
      `compile: the result is not sctrace: ${why}; removed ${output}. ` +
        (denort
          ? `DENORT_BIN=${denort} is not a denort 2.9.6 runtime (a plain \`deno\` builds a copy of ` +
            "Deno that ignores the embedded program); set DENORT_BIN to a denort binary of Deno 2.9.6"
          : "the runtime deno compile downloaded does not run sctrace"),
    );
    Deno.exit(1);
  }
  console.error(`compile: built ${output} (checked: -V and a trace of /bin/true)`);
}

if (import.meta.main) await main();
