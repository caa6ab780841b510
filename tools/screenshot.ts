/**
 * The README's picture of the HTML report: builds the report of a saved `--json` trace and
 * screenshots it with headless Chromium (Debian's `chromium`), small.
 *
 * ```sh
 * deno run -A tools/screenshot.ts                       # the test fixture → docs/report.png
 * deno run -A tools/screenshot.ts trace.jsonl -o shot.png --width 1100 --height 1000 --scale 0.75
 * ```
 * @module
 */

import { parseArgs } from "node:util";
import { reportHtml, ReportModel } from "../core/output/report/mod.ts";
import { readJsonl } from "../core/output/view_model.ts";

const ROOT = new URL("../", import.meta.url).pathname;

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    output: { type: "string", short: "o", default: `${ROOT}docs/report.png` },
    width: { type: "string", default: "1100" },
    height: { type: "string", default: "1000" },
    scale: { type: "string", default: "0.75" },
    title: { type: "string" },
  },
});
const input = positionals[0] ?? `${ROOT}tests/testdata/views/multi.jsonl`;
const model = new ReportModel(values.title ?? "sctrace report");
const file = await Deno.open(input);
await readJsonl(file.readable, (e) => model.add(e), (b) => {
  console.error(`${input}:${b.line}: ${b.why}`);
});
const dir = await Deno.makeTempDir({ prefix: "sctrace_shot_" });
await Deno.writeTextFile(`${dir}/report.html`, reportHtml(model));
const out = values.output!;
await Deno.mkdir(out.replace(/\/[^/]*$/, "") || ".", { recursive: true });
const r = await new Deno.Command("chromium", {
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    `--user-data-dir=${dir}/profile`,
    `--window-size=${values.width},${values.height}`,
    `--force-device-scale-factor=${values.scale}`,
    `--screenshot=${out}`,
    `file://${dir}/report.html`,
  ],
  stdout: "null",
  stderr: "null",
  env: { HOME: dir },
}).output();
await Deno.remove(dir, { recursive: true });
if (!r.success) {
  console.error("chromium failed");
  Deno.exit(1);
}
console.log(`${out}: ${(await Deno.stat(out)).size} bytes`);
