/**
 * What the end-to-end tests do when their servers are missing: ignored with a `SKIPPED:` line
 * saying why on a developer's machine, failed with that reason under `CI=true` (where a server
 * that did not start must not turn into a row of quietly ignored tests).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT } from "./helpers/diff.ts";

const dec = new TextDecoder();

/** Runs the e2e --proto tests against a run dir with no servers, with CI set or not. */
async function runWithoutServers(ci: boolean): Promise<{ code: number; out: string }> {
  const run = await Deno.makeTempDir({ prefix: "sctrace-no-servers-" });
  try {
    const env = Deno.env.toObject();
    delete env.CI;
    if (ci) env.CI = "true";
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check", "tests/e2e_proto_test.ts"],
      cwd: ROOT,
      env: { ...env, SCTRACE_E2E_RUN: run, NO_COLOR: "1" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = dec.decode(r.stdout) + dec.decode(r.stderr); // NO_COLOR: no escapes
    return { code: r.code, out: out.replaceAll(run, "RUN") };
  } finally {
    await Deno.remove(run, { recursive: true });
  }
}

Deno.test("e2e without servers: ignored with a SKIPPED line saying why", async () => {
  const r = await runWithoutServers(false);
  assertEquals(r.code, 0, r.out);
  assertMatch(
    r.out,
    /^SKIPPED: --proto on nginx: the HTTP request and the 200 response: servers not started \(no RUN\/env\.json\) \(run `bash \.ci\/services start`\)$/m,
  );
  assertMatch(r.out, /^ok \| 0 passed \| 0 failed \| [1-9]\d* ignored/m); // however many it has
});

Deno.test("e2e without servers under CI=true: each test fails, saying the servers are missing", async () => {
  const r = await runWithoutServers(true);
  assert(r.code !== 0, r.out);
  assert(!r.out.includes("SKIPPED:"), r.out);
  assertMatch(
    r.out,
    /CI=true and the servers are missing: servers not started \(no RUN\/env\.json\)/,
  );
  assertMatch(r.out, /^FAILED \| 0 passed \| [1-9]\d* failed/m);
});
