/**
 * The command-line soak: random strace argument vectors (a random seed unless given), run
 * through Debian's strace and sctrace side by side (see tests/helpers/cli_fuzz.ts).
 *
 *     deno run -A bench/cli_fuzz.ts [COUNT] [SEED]
 *
 * Prints every vector whose exit status or first stderr line differs, then the totals; exits 1
 * when any differs. `SCTRACE_MAIN=/other/checkout/main.ts` compares another checkout.
 * @module
 */

import { fuzz } from "../tests/helpers/cli_fuzz.ts";

const count = Number(Deno.args[0] ?? 2000);
const seed = Number(Deno.args[1] ?? Math.floor(Math.random() * 2 ** 31));
console.log(`cli fuzz: ${count} vectors, seed ${seed}`);
const t0 = performance.now();
const results = await fuzz(seed, count, 2, (c) => {
  if (c.verdict !== "differs") return;
  console.log(JSON.stringify(c.argv));
  console.log(`  strace  ${c.strace.code} ${c.strace.first}`);
  console.log(`  sctrace ${c.sctrace.code} ${c.sctrace.first}`);
});
const n = (v: string) => results.filter((c) => c.verdict === v).length;
console.log(
  `${count} vectors in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `${n("same")} same, ${n("refused")} refused (not supported), ${n("differs")} differ`,
);
Deno.exit(n("differs") ? 1 : 0);
