/**
 * The long variant of the tracee-lifetime tests: `-f -p` on the pre-forking C server and on
 * php-fpm, then SIGINT and SIGTERM, many times over, sctrace and strace alternately
 * (`tests/lifetime_test.ts` runs each once). Prints one line per try; fails on the first try in
 * which a traced process was killed, left traced, or not detached.
 *
 * ```sh
 * deno run -A bench/lifetime_soak.ts          # 20 tries of each
 * deno run -A bench/lifetime_soak.ts 5        # 5 tries
 * ```
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;

/** Runs the server tests of `tests/lifetime_test.ts` `tries` times; resolves to the exit code. */
export async function soak(tries: number): Promise<number> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "-A",
      "--no-check=remote",
      "--filter",
      "/-f -p on/",
      `${ROOT}tests/lifetime_test.ts`,
    ],
    cwd: ROOT,
    env: { SCTRACE_LIFETIME_TRIES: String(tries) },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return r.code;
}

if (import.meta.main) {
  const n = Number(Deno.args[0] ?? 20);
  if (!Number.isInteger(n) || n < 1) {
    console.error("usage: lifetime_soak.ts [TRIES]");
    Deno.exit(2);
  }
  Deno.exit(await soak(n));
}
