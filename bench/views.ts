/**
 * What the views cost beside the JSON event stream (`deno run -A bench/views.ts`).
 *
 * 1. Per event, in-process: `eventToJson` + `JSON.stringify` (what `--json` does for each event)
 *    against `eventToJson` + the timeline writer, and + the report model, over synthetic `write`
 *    and `openat` syscall events; and the timeline's bytes per syscall.
 * 2. End to end, once the views' sinks are on the event bus: the talk's loop
 *    (`tests/fixtures/helloasm_loop.c`, 100,000 writes) traced with `-o FILE` against
 *    `-o FILE --timeline FILE2` and `--report`, alternating runs, medians (skipped with a note
 *    while `--timeline` gets no events).
 *
 * ```sh
 * deno run -A bench/views.ts [--events 200000] [--runs 5]
 * ```
 * Nothing here asserts on time.
 * @module
 */

import { parseArgs } from "node:util";
import { V } from "../decoders/value.ts";
import { eventToJson } from "../core/events/json.ts";
import type { SyscallEvent } from "../core/events/types.ts";
import { TimelineWriter } from "../core/output/timeline.ts";
import { ReportModel } from "../core/output/report/mod.ts";
import type { ViewEvent } from "../core/output/view_model.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    events: { type: "string", default: "200000" },
    runs: { type: "string", default: "5" },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);
const enc = new TextEncoder();

function events(n: number): SyscallEvent[] {
  const out: SyscallEvent[] = [];
  const buf = enc.encode("hello, world\n");
  for (let i = 0; i < n; i++) {
    const t = i * 2e-6;
    const base = { pid: 1000 + (i % 4), tgid: 1000, time: 1.7e9 + t, mono: t };
    if (i % 2) {
      out.push({
        ...base,
        type: "syscall",
        name: "write",
        nr: 1,
        args: [V.fd(1, "1"), V.str(buf, '"hello, world\\n"'), V.int(13)],
        entry: [],
        more: false,
        ret: { value: 13, text: "13" },
        duration: 1e-6,
      } as SyscallEvent);
    } else {
      out.push({
        ...base,
        type: "syscall",
        name: "openat",
        nr: 257,
        args: [
          V.fd(-100, "AT_FDCWD"),
          V.str(enc.encode("/etc/nope"), '"/etc/nope"'),
          V.raw("O_RDONLY"),
        ],
        entry: [],
        more: false,
        ret: {
          value: -1,
          text: "-1 ENOENT (No such file or directory)",
          error: "ENOENT",
          errno: 2,
        },
        duration: 2e-6,
      } as SyscallEvent);
    }
  }
  return out;
}

function timeIt(label: string, fn: () => void): number {
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${(ms * 1000 / N).toFixed(2).padStart(7)} µs/event`);
  return ms;
}

console.log(`# in-process cost per event (${N} syscall events)`);
const evs = events(N);
let bytes = 0;
const json = timeIt("eventToJson + JSON.stringify (--json)", () => {
  for (const e of evs) bytes += JSON.stringify(eventToJson(e)).length + 1;
});
let tlBytes = 0;
const tl = timeIt("eventToJson + timeline writer", () => {
  const w = new TimelineWriter((s) => tlBytes += s.length);
  for (const e of evs) w.add(eventToJson(e) as ViewEvent);
  w.finish();
});
const rep = timeIt("eventToJson + report model", () => {
  const m = new ReportModel();
  for (const e of evs) m.add(eventToJson(e) as ViewEvent);
  m.data();
});
console.log(
  `timeline / --json: ${(tl / json).toFixed(2)}x, report / --json: ${(rep / json).toFixed(2)}x`,
);
console.log(
  `bytes per syscall: --json ${(bytes / N).toFixed(0)}, timeline ${(tlBytes / N).toFixed(0)}`,
);

// ---- end to end ----
const dir = await Deno.makeTempDir({ prefix: "sctrace_bench_views_" });
const loop = `${dir}/loop`;
const cc = await new Deno.Command("gcc", {
  args: [
    "-nostdlib",
    "-no-pie",
    "-O1",
    "-DLOOPS=100000",
    "-o",
    loop,
    `${ROOT}tests/fixtures/helloasm_loop.c`,
  ],
}).output();
async function run(args: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", `${ROOT}main.ts`, ...args],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!r.success && r.code !== 0) throw new Error(`sctrace ${args.join(" ")}: ${r.code}`);
  return performance.now() - t0;
}
await run(["--timeline", `${dir}/probe.json`, "/bin/true"]);
const wired = (await Deno.readTextFile(`${dir}/probe.json`)).includes('"ph":"X"');
if (!cc.success) console.log("\n(no gcc: end-to-end part skipped)");
else if (!wired) {
  console.log("\n(end to end skipped: --timeline gets no events until the views are on the bus)");
} else {
  console.log(`\n# end to end: helloasm_loop (100,000 writes), median of ${RUNS}`);
  const cases: [string, string[]][] = [
    ["-o FILE", ["-o", `${dir}/t.txt`, loop]],
    ["-o FILE --timeline FILE2", ["-o", `${dir}/t.txt`, "--timeline", `${dir}/t.json`, loop]],
    ["-o FILE --report FILE2", ["-o", `${dir}/t.txt`, "--report", `${dir}/r.html`, loop]],
  ];
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < RUNS; r++) {
    for (const [i, [, args]] of cases.entries()) times[i].push(await run(args));
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const base = med(times[0]);
  for (const [i, [label]] of cases.entries()) {
    const m = med(times[i]);
    console.log(`${label.padEnd(30)} ${(m / 1000).toFixed(2)} s  ${(m / base).toFixed(2)}x`);
  }
  console.log(`timeline: ${(await Deno.stat(`${dir}/t.json`)).size} bytes`);
}
await Deno.remove(dir, { recursive: true });
