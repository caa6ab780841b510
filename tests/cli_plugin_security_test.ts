/**
 * Plugin security (issue 17 point 8): run as root, sctrace refuses a `--plugin` file that
 * another user could change (the file or a directory above it writable by group or others, or
 * owned by another user than root or the invoking user) with one line and exit status 1, unless
 * `--plugin-insecure`; remote (`http:`/`https:`) plugin addresses are always refused.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT, sctrace } from "./helpers/diff.ts";
import { checkPlugin, type PluginCheckContext } from "../core/plugins/loader.ts";

const PLUGIN = `export default { name: "probe", decoders: {} };\n`;
const asRoot: PluginCheckContext = { euid: 0, trusted: [0], insecure: false };

/** A plugin file in a fresh directory (mode 0755, owned by root) under a 0700 temp dir. */
async function setup(): Promise<{ top: string; dir: string; file: string }> {
  const top = await Deno.makeTempDir({ prefix: "sctrace-plugsec-" });
  const dir = `${top}/d`;
  await Deno.mkdir(dir);
  await Deno.chmod(dir, 0o755);
  const file = `${dir}/p.ts`;
  await Deno.writeTextFile(file, PLUGIN);
  await Deno.chmod(file, 0o644);
  return { top, dir, file };
}

Deno.test("checkPlugin: safe file loads; 666 file, 777 or 775 directory, foreign owner refused", async () => {
  assertEquals(Deno.uid(), 0, "these tests run as root, as the project's suite does");
  const { top, dir, file } = await setup();
  assertEquals(checkPlugin(file, asRoot), undefined);
  await Deno.chmod(file, 0o666);
  assertMatch(
    checkPlugin(file, asRoot)!,
    /^plugin '.*\/p\.ts': it is writable by others \(--plugin-insecure loads it anyway\)$/,
  );
  assertEquals(checkPlugin(file, { ...asRoot, insecure: true }), undefined);
  await Deno.chmod(file, 0o664);
  assertMatch(checkPlugin(file, asRoot)!, /it is writable by its group/);
  await Deno.chmod(file, 0o644);
  await Deno.chmod(dir, 0o777);
  assertEquals(
    checkPlugin(file, asRoot),
    `plugin '${file}': directory ${dir} is writable by others (--plugin-insecure loads it anyway)`,
  );
  await Deno.chmod(dir, 0o1777); // sticky, as /tmp: others cannot replace root's file
  assertEquals(checkPlugin(file, asRoot), undefined);
  await Deno.chmod(dir, 0o755);
  await Deno.chown(file, 65534, 65534);
  assertMatch(checkPlugin(file, asRoot)!, /it is owned by uid 65534, not root or you/);
  assertEquals(
    checkPlugin(file, { ...asRoot, trusted: [0, 65534] }),
    undefined,
    "the invoking user",
  );
  await Deno.chown(file, 0, 0);
  // Through a symlink: the real path's directories count too.
  await Deno.chmod(dir, 0o777);
  await Deno.symlink(file, `${top}/link.ts`);
  assertMatch(checkPlugin(`${top}/link.ts`, asRoot)!, /directory .*\/d is writable by others/);
  // Not root: no file checks (the user's own files are theirs to trust).
  assertEquals(checkPlugin(file, { ...asRoot, euid: 1000 }), undefined);
  await Deno.remove(top, { recursive: true });
});

Deno.test("checkPlugin: http(s) plugin addresses are refused, even with --plugin-insecure", () => {
  for (const addr of ["http://example.com/p.ts", "https://example.com/p.ts", "HTTPS://x/p.ts"]) {
    for (const ctx of [asRoot, { ...asRoot, insecure: true }, { ...asRoot, euid: 1000 }]) {
      assertMatch(checkPlugin(addr, ctx)!, /^plugin '.*': remote plugins are refused/);
    }
  }
});

Deno.test("e2e as root: a world-writable plugin is refused in one line, exit 1, nothing run", async () => {
  const { top, dir, file } = await setup();
  await Deno.chmod(file, 0o666);
  let r = await sctrace(["--plugin", file, "/bin/echo", "ran"]);
  assertEquals(r.code, 1);
  assertEquals(r.stdout, "");
  assertEquals(
    r.stderr,
    `sctrace: plugin '${file}': it is writable by others (--plugin-insecure loads it anyway)\n`,
  );
  await Deno.chmod(file, 0o644);
  await Deno.chmod(dir, 0o777);
  r = await sctrace(["--plugin", file, "/bin/echo", "ran"]);
  assertEquals(r.code, 1);
  assertMatch(r.stderr, /^sctrace: plugin '.*': directory .* is writable by others .*\n$/);
  // --plugin-insecure: loaded and run.
  r = await sctrace([
    "--plugin-insecure",
    "--plugin",
    file,
    "-e",
    "trace=none",
    "/bin/echo",
    "ran",
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, "ran\n");
  assert(!r.stderr.includes("plugin"), r.stderr);
  // A remote address: refused before anything is fetched.
  r = await sctrace(["--plugin", "https://127.0.0.1:9/p.ts", "/bin/echo", "ran"]);
  assertEquals(r.code, 1);
  assertMatch(
    r.stderr,
    /^sctrace: plugin 'https:\/\/127\.0\.0\.1:9\/p\.ts': remote plugins are refused/,
  );
  assertEquals(r.stdout, "");
  // The project's own plugins (root-owned, 0644, in 0755 directories) load as before.
  r = await sctrace([
    "--plugin",
    `${ROOT}plugins/decoder_override.ts`,
    "-e",
    "trace=none",
    "/bin/true",
  ]);
  assertEquals(r.code, 0, r.stderr);
  await Deno.remove(top, { recursive: true });
});
