/**
 * The single executable: built with `deno task compile` when a runtime is available (DENORT_BIN,
 * or Deno's CDN), then run on the talk's program. Says plainly when it skipped.
 */
import { assertEquals } from "./helpers/assert.ts";
import { BIN, fixture, ROOT } from "./helpers/diff.ts";

const denort = Deno.env.get("DENORT_BIN");
const skip = !denort;
if (skip) {
  console.log(
    "SKIPPED compile_test: no DENORT_BIN set and Deno's CDN is unreachable here, so `deno compile` " +
      "cannot get its runtime; set DENORT_BIN=/path/to/denort to run this test",
  );
}

Deno.test({
  name: "deno task compile builds dist/sctrace, which traces helloasm",
  ignore: skip,
  async fn() {
    const out = `${BIN}sctrace_compiled`;
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}tools/compile.ts`, "--output", out],
      cwd: ROOT,
    }).output();
    assertEquals(build.success, true, new TextDecoder().decode(build.stderr));
    await fixture("helloasm");
    const r = await new Deno.Command(out, { args: ["./helloasm"], cwd: BIN }).output();
    assertEquals(r.code, 42);
    const err = new TextDecoder().decode(r.stderr);
    assertEquals(err.includes('write(1, "Hello world!\\n", 13)'), true, err);
    assertEquals(err.trimEnd().endsWith("+++ exited with 42 +++"), true, err);
  },
});
