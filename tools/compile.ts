/**
 * `deno task compile`: builds the single `dist/sctrace` executable with `deno compile`.
 *
 * `deno compile` normally downloads its runtime (`denort`) from Deno's CDN. Where that is not
 * reachable, point `DENORT_BIN` at a `denort` binary of the same Deno version (2.9.6); it is passed
 * through to `deno compile`. Without either, the build fails and says so.
 *
 * Usage: `deno task compile [--output PATH]`
 * @module
 */

const args = Deno.args;
const outIdx = args.indexOf("--output");
const output = outIdx >= 0 ? args[outIdx + 1] : "dist/sctrace";
const root = new URL("../", import.meta.url).pathname;

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
    `${root}core/signal_relay.ts`,
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
      ? "compile: deno compile failed"
      : "compile: deno compile failed; if Deno's CDN is unreachable, set DENORT_BIN to a denort 2.9.6 binary",
  );
  Deno.exit(1);
}
console.error(`compile: built ${output}`);
