/**
 * `--report FILE.html` and `sctrace report`: one self-contained HTML page (script, style and data
 * inlined; no network) built from events: the `-c` summary as a sortable table and a bar chart,
 * errors by syscall and errno, a per-thread timeline with zoom and hover, the slowest calls, the
 * slowest requests with their waterfalls, and protocol summaries.
 * @module
 */

import { embedJson, type ReportData, type ReportModel } from "./model.ts";
import { SCRIPT, STYLE } from "./client.ts";

export { MAX_SPANS, type ReportData, ReportModel } from "./model.ts";

/** HTML-escapes text. */
function esc(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!,
  );
}

/** The page for `data`. */
export function renderReport(data: ReportData): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title"></h1><div class="meta" id="meta"></div></header>
<main>
<div id="warnings"></div>
<div class="grid">
<section id="summary"><h2>Syscalls (the -c summary; click a column to sort)</h2><table id="syscall-table"></table></section>
<section><h2>Time by syscall</h2><div id="syscall-chart"></div><h2 style="margin-top:14px">Errors by syscall and errno</h2><div id="errors"></div></section>
</div>
<section id="timeline-box"><h2>Timeline</h2><p class="hint">One row per thread. Wheel to zoom, drag to pan, double-click to reset; hover a call for details. Red: failed calls and signals.</p>
<div class="tlwrap"><canvas id="timeline"></canvas><div class="tip" id="tip"></div></div></section>
<section><h2>Slowest requests</h2><div id="waterfall"></div></section>
<section><h2>Slowest calls</h2><div id="slow-calls"></div></section>
<section><h2>Protocols</h2><div id="protocols"></div></section>
</main>
<script id="data" type="application/json">${embedJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The page for what `model` gathered. */
export function reportHtml(model: ReportModel): string {
  return renderReport(model.data());
}
