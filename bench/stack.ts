/**
 * `-k` cost: sctrace and strace, each with and without `-k`, on a dynamically linked C loop of
 * 20,000 `write` calls through a non-inlined function (`deno run -A bench/stack.ts [--runs N]`).
 * Runs alternate; the table shows medians of wall and CPU (user+sys of tracer and tracee, from
 * `/usr/bin/time`). Nothing here asserts on time.
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;
const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 3;
const dir = await Deno.makeTempDir();
const src = `${dir}/kloop.c`;
const prog = `${dir}/kloop`;
await Deno.writeTextFile(
  src,
  `#include <unistd.h>
__attribute__((noinline)) void f(void) { write(-1, "x", 1); }
int main(void) { for (int i = 0; i < 20000; i++) f(); return 0; }
`,
);
const cc = await new Deno.Command("gcc", { args: ["-O2", "-o", prog, src] }).output();
if (!cc.success) throw new Error("gcc failed");

const tracers: Record<string, string[]> = {
  "sctrace": [Deno.execPath(), "run", "-A", `${ROOT}main.ts`, "-o", "/dev/null"],
  "sctrace -k": [Deno.execPath(), "run", "-A", `${ROOT}main.ts`, "-k", "-o", "/dev/null"],
  "strace": ["strace", "-o", "/dev/null"],
  "strace -k": ["strace", "-k", "-o", "/dev/null"],
};
const results: Record<string, { wall: number[]; cpu: number[] }> = {};
for (let i = 0; i < runs; i++) {
  for (const [name, argv] of Object.entries(tracers)) {
    const out = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%e %U %S", ...argv, prog],
      stderr: "piped",
      stdout: "null",
    }).output();
    const last = new TextDecoder().decode(out.stderr).trim().split("\n").pop()!;
    const [wall, u, s] = last.split(" ").map(Number);
    (results[name] ??= { wall: [], cpu: [] }).wall.push(wall);
    results[name].cpu.push(u + s);
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
console.log(`-k cost, ${runs} alternating runs, medians (load average ${load})`);
console.log("| tracer | wall s | CPU s |");
console.log("| --- | --- | --- |");
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${median(r.wall).toFixed(2)} | ${median(r.cpu).toFixed(2)} |`);
}
const ratio = (a: string, b: string, k: "wall" | "cpu") =>
  (median(results[a][k]) / median(results[b][k])).toFixed(2);
console.log(
  `sctrace -k / sctrace: ${ratio("sctrace -k", "sctrace", "wall")}× wall, ${
    ratio("sctrace -k", "sctrace", "cpu")
  }× CPU; strace -k / strace: ${ratio("strace -k", "strace", "wall")}× wall, ${
    ratio("strace -k", "strace", "cpu")
  }× CPU; sctrace -k / strace -k: ${ratio("sctrace -k", "strace -k", "wall")}× wall`,
);
await Deno.remove(dir, { recursive: true });
