/**
 * Test set-up: makes sure the tools the tests compare against are on this machine (gcc for the C
 * fixtures, Debian's strace as the reference, curl for the server tests). Installs what is
 * missing with apt-get when running as root; otherwise says what to install.
 *
 * Run by `deno task test` before the tests; a no-op when everything is there.
 * @module
 */

const NEEDED: Record<string, string> = {
  gcc: "gcc",
  strace: "strace",
  curl: "curl",
  setarch: "util-linux",
};

function have(cmd: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return true;
    } catch {
      // not here
    }
  }
  return false;
}

const missing = Object.entries(NEEDED).filter(([cmd]) => !have(cmd)).map(([, pkg]) => pkg);
if (missing.length) {
  const root = Deno.uid() === 0;
  if (!root) {
    console.error(
      `setup: missing ${missing.join(" ")}; install them (apt-get install ${missing.join(" ")})`,
    );
    Deno.exit(1);
  }
  console.error(`setup: installing ${missing.join(" ")} with apt-get`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await new Deno.Command("apt-get", { args: ["update", "-qq"], env }).output();
  const r = await new Deno.Command("apt-get", {
    args: ["install", "-y", "-qq", ...missing],
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!r.success) Deno.exit(1);
}

// `-k`'s demangler is an npm package loaded on demand: fetch it into Deno's cache now, so that no
// traced run prints Deno's "Download" lines into a trace the tests compare with strace's.
{
  const { DEMANGLER_PACKAGE } = await import("../core/trace/stack/demangle.ts");
  try {
    await import(String(DEMANGLER_PACKAGE));
  } catch (e) {
    console.error(`setup: could not load ${DEMANGLER_PACKAGE} (-k names stay mangled): ${e}`);
  }
}

// The --json tests validate against schema/events.schema.json with Ajv (tests/helpers/schema.ts).
{
  const { AJV_PACKAGE } = await import("../tests/helpers/schema.ts");
  try {
    await import(String(AJV_PACKAGE));
  } catch (e) {
    console.error(`setup: could not load ${AJV_PACKAGE} (the --json schema tests will fail): ${e}`);
  }
}
