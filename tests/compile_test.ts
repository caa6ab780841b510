/**
 * `deno task compile` (tools/compile.ts) never claims a false success. On every machine: without a
 * runtime for `deno compile` (Deno's CDN made unreachable, no DENORT_BIN) it fails saying to set
 * DENORT_BIN; given a plain `deno` as DENORT_BIN it builds a file that is just Deno, and refuses it;
 * its sctrace check accepts sctrace and rejects Deno. Where a real runtime is given (DENORT_BIN set
 * to a denort 2.9.6), the single executable is built and traces helloasm.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { BIN, fixture, MAIN, ROOT } from "./helpers/diff.ts";
import { notSctrace } from "../tools/compile.ts";

const dec = new TextDecoder();
const VERSION: string = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).version;

/** True when `path` exists. */
async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** Runs `deno task compile --output OUT` with `env` (null: unset), returns its exit code, stderr. */
async function compile(
  out: string,
  env: Record<string, string | null>,
): Promise<{ code: number; stderr: string }> {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) if (!(k in env)) vars[k] = v;
  for (const [k, v] of Object.entries(env)) if (v !== null) vars[k] = v;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["task", "compile", "--output", out],
    cwd: ROOT,
    env: vars,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stderr: dec.decode(r.stderr) + dec.decode(r.stdout) };
}

Deno.test("deno task compile without a runtime fails and says to set DENORT_BIN", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-compile-" });
  try {
    // No DENORT_BIN, an empty Deno cache (no denort downloaded earlier) and a proxy nobody
    // listens on: `deno compile` cannot get its runtime, as on a machine without Deno's CDN.
    const r = await compile(`${dir}/sctrace`, {
      DENORT_BIN: null,
      DENO_DIR: `${dir}/deno_dir`,
      HTTPS_PROXY: "http://127.0.0.1:9",
      HTTP_PROXY: "http://127.0.0.1:9",
      https_proxy: null,
      http_proxy: null,
      NO_PROXY: null,
      no_proxy: null,
    });
    assert(r.code !== 0, `exit ${r.code}: ${r.stderr}`);
    assertMatch(r.stderr, /^compile: deno compile failed .*set DENORT_BIN=\/path\/to\/denort/m);
    assert(!r.stderr.includes("compile: built"), r.stderr);
    assertEquals(await exists(`${dir}/sctrace`), false, "no file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task compile with a plain deno as DENORT_BIN refuses the result", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-compile-" });
  try {
    // deno compile takes any executable as its runtime; with deno itself it writes a file that
    // answers `-V` with `deno 2.9.6`.
    const r = await compile(`${dir}/sctrace`, { DENORT_BIN: Deno.execPath() });
    assert(r.code !== 0, `exit ${r.code}: ${r.stderr}`);
    assertMatch(
      r.stderr,
      /^compile: the result is not sctrace: `[^`]*\/sctrace -V` printed "deno \d+\.\d+\.\d+" \(exit 0\), not "sctrace -- version /m,
    );
    assertMatch(r.stderr, /DENORT_BIN=\S+ is not a denort 2\.9\.6 runtime/);
    assert(!r.stderr.includes("compile: built"), r.stderr);
    assertEquals(await exists(`${dir}/sctrace`), false, "the bogus file is removed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile's check accepts sctrace and rejects deno and a wrong trace", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-compile-" });
  try {
    // sctrace itself, as a one-line wrapper: passes.
    const ok = `${dir}/sctrace`;
    await Deno.writeTextFile(ok, `#!/bin/sh\nexec '${Deno.execPath()}' run -A '${MAIN}' "$@"\n`);
    await Deno.chmod(ok, 0o755);
    assertEquals(await notSctrace(ok, VERSION), null);
    // Deno: fails on -V.
    assertMatch(
      (await notSctrace(Deno.execPath(), VERSION)) ?? "",
      /-V` printed "deno \d/,
    );
    // Right version line, but it does not trace: fails on the trace.
    const liar = `${dir}/liar`;
    await Deno.writeTextFile(
      liar,
      `#!/bin/sh\n[ "$1" = -V ] && { echo 'sctrace -- version ${VERSION}'; exit 0; }\nexec "$@"\n`,
    );
    await Deno.chmod(liar, 0o755);
    assertMatch(
      (await notSctrace(liar, VERSION)) ?? "",
      /-e trace=exit_group \/bin\/true` exited .* not `exit_group\(0\) = \?`/,
    );
    // A file that is not there.
    assert(await notSctrace(`${dir}/missing`, VERSION));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const denort = Deno.env.get("DENORT_BIN");
if (!denort) {
  console.log(
    "SKIPPED: deno task compile builds dist/sctrace, which traces helloasm: no DENORT_BIN " +
      "(a denort 2.9.6 runtime: npm has none, and Deno's CDN may be out of reach); " +
      "set DENORT_BIN=/path/to/denort to run it",
  );
}

Deno.test({
  name: "deno task compile builds dist/sctrace, which traces helloasm",
  ignore: !denort,
  async fn() {
    const out = `${BIN}sctrace_compiled`;
    const build = await compile(out, {});
    assertEquals(build.code, 0, build.stderr);
    assertMatch(build.stderr, /^compile: built .*checked: -V and a trace of \/bin\/true/m);
    await fixture("helloasm");
    const r = await new Deno.Command(out, { args: ["./helloasm"], cwd: BIN }).output();
    assertEquals(r.code, 42);
    const err = dec.decode(r.stderr);
    assertEquals(err.includes('write(1, "Hello world!\\n", 13)'), true, err);
    assertEquals(err.trimEnd().endsWith("+++ exited with 42 +++"), true, err);
  },
});
