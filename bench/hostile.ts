/**
 * sctrace against strace on hostile memory: the million-iovec `writev` of
 * `tests/fixtures/hostile.c` (`hostile iov`), traced with `-v -s 256 -o /dev/null` (every element
 * printed, as strace prints it) and with the defaults (32 elements printed).
 *
 * ```sh
 * deno run -A bench/hostile.ts            # 3 alternating runs per tracer and setting
 * deno run -A bench/hostile.ts --runs 5
 * ```
 *
 * Prints median wall seconds and peak RSS of the tracer. Nothing here asserts on time.
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;
const SRC = `${ROOT}tests/fixtures/hostile.c`;
const BIN = `${ROOT}tests/fixtures/bin/hostile`;
const dec = new TextDecoder();

async function build(): Promise<void> {
  await Deno.mkdir(`${ROOT}tests/fixtures/bin`, { recursive: true });
  const r = await new Deno.Command("gcc", { args: ["-O0", "-Wall", "-o", BIN, SRC] }).output();
  if (!r.success) throw new Error(dec.decode(r.stderr));
}

/** One timed run: wall seconds and max RSS in KiB, from GNU time. */
async function timed(cmd: string[]): Promise<{ wall: number; rss: number }> {
  const r = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%e %M", ...cmd],
    stdout: "null",
    stderr: "piped",
  }).output();
  const last = dec.decode(r.stderr).trim().split("\n").pop() ?? "";
  const [wall, rss] = last.split(" ").map(Number);
  return { wall, rss };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const i = Deno.args.indexOf("--runs");
  const runs = i >= 0 ? Math.max(1, Number(Deno.args[i + 1]) || 3) : 3;
  await build();
  const tracers: Record<string, string[]> = {
    strace: ["strace"],
    sctrace: [Deno.execPath(), "run", "-A", "--no-check", `${ROOT}main.ts`],
  };
  const settings: Record<string, string[]> = {
    "-v -s 256": ["-v", "-s", "256"],
    "defaults": [],
  };
  console.log("| million iovecs | tracer | wall s (median) | peak RSS MiB |");
  console.log("|---|---|---|---|");
  for (const [label, opts] of Object.entries(settings)) {
    const got: Record<string, { wall: number[]; rss: number[] }> = {};
    for (let r = 0; r < runs; r++) {
      for (const [name, cmd] of Object.entries(tracers)) {
        const t = await timed([...cmd, ...opts, "-o", "/dev/null", BIN, "iov"]);
        (got[name] ??= { wall: [], rss: [] }).wall.push(t.wall);
        got[name].rss.push(t.rss);
      }
    }
    for (const [name, g] of Object.entries(got)) {
      const rss = (median(g.rss) / 1024).toFixed(0);
      console.log(`| ${label} | ${name} | ${median(g.wall).toFixed(2)} | ${rss} |`);
    }
  }
}

if (import.meta.main) await main();
