/**
 * The report page's script and style, inlined into the HTML (no network, no CDN). The script
 * reads the data from `<script id="data" type="application/json">` and builds every section
 * with DOM calls (`textContent` only: trace strings never become markup).
 * @module
 */

/** The page's CSS. */
export const STYLE: string = String.raw`
:root { --bg:#fff; --fg:#1d2330; --mute:#667085; --line:#e4e7ec; --acc:#2f6fdf; --err:#d92d20; --soft:#f5f7fa; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header { padding:14px 22px; background:#15213a; color:#fff; }
header h1 { margin:0; font-size:18px; font-weight:600; }
header .meta { color:#b8c3d9; margin-top:2px; }
main { padding:6px 22px 40px; max-width:1400px; }
section { margin-top:18px; }
h2 { font-size:15px; margin:0 0 8px; border-bottom:1px solid var(--line); padding-bottom:4px; }
.grid { display:grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap:22px; }
.grid > section { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; }
th, td { text-align:right; padding:3px 6px; border-bottom:1px solid var(--line); white-space:nowrap; }
th { background:var(--soft); cursor:pointer; user-select:none; font-weight:600; }
th.sorted::after { content:" \25BE"; color:var(--mute); }
th.sorted.asc::after { content:" \25B4"; }
td.l, th.l { text-align:left; }
td.code { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12px; white-space:pre-wrap; word-break:break-all; text-align:left; }
.err { color:var(--err); }
.bar { display:inline-block; height:9px; background:var(--acc); border-radius:2px; vertical-align:middle; }
.chart text { font-size:11px; fill:var(--fg); }
.tlwrap { position:relative; border:1px solid var(--line); border-radius:4px; }
#timeline { display:block; width:100%; cursor:crosshair; }
.tip { position:absolute; pointer-events:none; background:#15213af0; color:#fff; padding:5px 8px; border-radius:4px; font-size:12px; max-width:520px; display:none; white-space:pre-wrap; z-index:2; }
.hint { color:var(--mute); font-size:12px; margin:4px 0; }
.req { border:1px solid var(--line); border-radius:4px; margin-bottom:10px; padding:6px 8px; }
.req .head { font-weight:600; margin-bottom:4px; }
.tier { display:grid; grid-template-columns: 380px 1fr 80px; align-items:center; gap:8px; height:20px; }
.tier .lbl { overflow:hidden; text-overflow:ellipsis; white-space:nowrap; font-size:12px; }
.tier .track { position:relative; height:12px; background:var(--soft); border-radius:2px; }
.tier .seg { position:absolute; top:0; height:12px; border-radius:2px; min-width:2px; }
.tier .ms { text-align:right; font-variant-numeric:tabular-nums; font-size:12px; }
.p-http { background:#2f6fdf; } .p-fastcgi { background:#7a5af8; } .p-mysql { background:#f79009; }
.p-postgres { background:#0ba5ec; } .p-redis { background:#d92d20; } .p-other { background:#667085; }
.seg.error { outline:2px solid var(--err); }
.warn { background:#fffaeb; border:1px solid #fedf89; padding:6px 10px; border-radius:4px; margin-top:10px; }
.empty { color:var(--mute); font-style:italic; }
`;

/** The page's script (plain ES2020, no imports). */
export const SCRIPT: string = String.raw`
"use strict";
(function () {
  var D = JSON.parse(document.getElementById("data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "cls") e.className = attrs[k];
      else if (k === "style") e.style.cssText = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function ms(s) {
    if (s >= 1) return s.toFixed(3) + " s";
    if (s >= 0.001) return (s * 1e3).toFixed(2) + " ms";
    return Math.round(s * 1e6) + " \u00b5s";
  }
  function empty(parent, text) { parent.appendChild(el("p", { cls: "empty", text: text })); }

  // ---- header ----
  var total = D.span[1] - D.span[0];
  var nproc = D.processes.length, nthr = 0;
  D.processes.forEach(function (p) { nthr += p.threads.length; });
  $("title").textContent = D.title;
  var when = D.epoch0 ? new Date((D.epoch0 + D.span[0]) * 1000).toISOString().replace("T", " ").replace(/\..*/, " UTC") : "";
  $("meta").textContent = [when, ms(Math.max(0, total)) + " traced", nproc + " processes, " + nthr + " threads",
    (D.counts.syscall || 0) + " syscalls", D.requestCount + " requests"].filter(Boolean).join(" \u00b7 ");
  if (D.badLines.length) {
    var w = el("div", { cls: "warn" });
    w.appendChild(el("b", { text: "Some input lines were skipped: " }));
    w.appendChild(document.createTextNode(D.badLines.slice(0, 5).join("; ") + (D.badLines.length > 5 ? "; \u2026" : "")));
    $("warnings").appendChild(w);
  }
  if (D.droppedSpans) {
    $("warnings").appendChild(el("div", { cls: "warn", text: D.droppedSpans + " syscalls are counted but not drawn on the timeline (too many); use -e trace= to narrow the trace." }));
  }

  // ---- summary table (sortable) ----
  var sumTotal = 0;
  D.syscalls.forEach(function (r) { sumTotal += r.total; });
  var cols = [
    { key: "pct", title: "% time", get: function (r) { return sumTotal ? 100 * r.total / sumTotal : 0; }, fmt: function (v) { return v.toFixed(2); } },
    { key: "total", title: "seconds", get: function (r) { return r.total; }, fmt: function (v) { return v.toFixed(6); } },
    { key: "avg", title: "usecs/call", get: function (r) { return r.calls ? 1e6 * r.total / r.calls : 0; }, fmt: function (v) { return Math.round(v); } },
    { key: "max", title: "max", get: function (r) { return r.max; }, fmt: ms },
    { key: "calls", title: "calls", get: function (r) { return r.calls; }, fmt: String },
    { key: "errors", title: "errors", get: function (r) { return r.errors; }, fmt: function (v) { return v ? String(v) : ""; } },
    { key: "name", title: "syscall", get: function (r) { return r.name; }, fmt: String, left: true },
  ];
  var sortKey = "total", asc = false;
  function drawTable() {
    var t = $("syscall-table");
    t.textContent = "";
    var head = el("tr");
    cols.forEach(function (c) {
      var th = el("th", { text: c.title, cls: (c.left ? "l " : "") + (c.key === sortKey ? "sorted" + (asc ? " asc" : "") : ""), "data-key": c.key });
      th.onclick = function () { if (sortKey === c.key) asc = !asc; else { sortKey = c.key; asc = c.left; } drawTable(); };
      head.appendChild(th);
    });
    head.appendChild(el("th", { cls: "l", text: "" }));
    t.appendChild(el("thead", null, [head]));
    var col = cols.filter(function (c) { return c.key === sortKey; })[0];
    var rows = D.syscalls.slice().sort(function (a, b) {
      var x = col.get(a), y = col.get(b);
      var d = x < y ? -1 : x > y ? 1 : 0;
      return asc ? d : -d;
    });
    var body = el("tbody");
    var maxT = 0;
    rows.forEach(function (r) { if (r.total > maxT) maxT = r.total; });
    rows.forEach(function (r) {
      var tr = el("tr");
      cols.forEach(function (c) {
        tr.appendChild(el("td", { cls: (c.left ? "l" : "") + (c.key === "errors" && r.errors ? " err" : ""), text: c.fmt(c.get(r)) }));
      });
      var w = maxT ? Math.max(1, Math.round(50 * r.total / maxT)) : 0;
      tr.appendChild(el("td", { cls: "l" }, [el("span", { cls: "bar", style: "width:" + w + "px" })]));
      body.appendChild(tr);
    });
    var tr = el("tr");
    var calls = 0, errs = 0;
    D.syscalls.forEach(function (r) { calls += r.calls; errs += r.errors; });
    [["100.00"], [sumTotal.toFixed(6)], [""], [""], [String(calls)], [errs ? String(errs) : ""], ["total", true], [""]].forEach(function (x) {
      tr.appendChild(el("td", { cls: x[1] ? "l" : "", text: x[0], style: "font-weight:600" }));
    });
    body.appendChild(tr);
    t.appendChild(body);
  }
  if (D.syscalls.length) drawTable(); else empty($("summary"), "No syscalls in this trace.");

  // ---- bar chart ----
  (function () {
    var top = D.syscalls.slice(0, 15);
    var svgNS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(svgNS, "svg");
    var rowH = 18, W = 520, labelW = 130, H = Math.max(rowH, top.length * rowH + 4);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("width", "100%");
    svg.setAttribute("class", "chart");
    var maxT = top.length ? top[0].total : 0;
    top.forEach(function (r, i) {
      var y = i * rowH + 2;
      var t = document.createElementNS(svgNS, "text");
      t.setAttribute("x", labelW - 6); t.setAttribute("y", y + 12); t.setAttribute("text-anchor", "end");
      t.textContent = r.name; svg.appendChild(t);
      var w = maxT ? Math.max(1, (W - labelW - 110) * r.total / maxT) : 0;
      var b = document.createElementNS(svgNS, "rect");
      b.setAttribute("x", labelW); b.setAttribute("y", y + 2); b.setAttribute("width", w); b.setAttribute("height", rowH - 6);
      b.setAttribute("rx", 2); b.setAttribute("fill", r.errors ? "#f97066" : "#2f6fdf");
      var tt = document.createElementNS(svgNS, "title"); tt.textContent = r.name + ": " + ms(r.total) + " in " + r.calls + " calls";
      b.appendChild(tt); svg.appendChild(b);
      var v = document.createElementNS(svgNS, "text");
      v.setAttribute("x", labelW + w + 6); v.setAttribute("y", y + 12);
      v.textContent = ms(r.total) + " \u00b7 " + r.calls; svg.appendChild(v);
    });
    $("syscall-chart").appendChild(svg);
  })();

  // ---- errors ----
  (function () {
    var box = $("errors");
    if (!D.errors.length) { empty(box, "No failed syscalls."); return; }
    var t = el("table");
    t.appendChild(el("thead", null, [el("tr", null, [el("th", { cls: "l", text: "syscall" }), el("th", { cls: "l", text: "errno" }), el("th", { text: "count" })])]));
    var b = el("tbody");
    D.errors.forEach(function (r) {
      b.appendChild(el("tr", null, [el("td", { cls: "l", text: r[0] }), el("td", { cls: "l err", text: r[1] }), el("td", { text: String(r[2]) })]));
    });
    t.appendChild(b);
    box.appendChild(t);
  })();

  // ---- timeline (canvas, zoom and hover) ----
  (function () {
    var rows = [];
    D.processes.forEach(function (p) {
      p.threads.forEach(function (t) {
        rows.push({ tid: t[0], label: p.name + " " + t[0] + (t[0] !== p.tgid && t[1] !== p.name ? " (" + t[1] + ")" : ""), first: t[0] === p.tgid, spans: D.spans[t[0]] || [], marks: D.marks[t[0]] || [] });
      });
    });
    var cv = $("timeline"), tip = $("tip");
    if (!rows.length) { cv.style.display = "none"; empty($("timeline-box"), "No processes."); return; }
    var LABEL = 190, ROW = 22, TOPH = 22;
    var t0 = D.span[0] * 1e6, t1 = Math.max(D.span[1] * 1e6, t0 + 1);
    var v0 = t0, v1 = t1;
    var dpr = window.devicePixelRatio || 1;
    var palette = ["#2f6fdf", "#12b76a", "#7a5af8", "#f79009", "#0ba5ec", "#ee46bc", "#6172f3", "#15b79e", "#875bf7", "#66c61c"];
    function colour(i) { return palette[i % palette.length]; }
    function size() {
      var w = cv.parentElement.clientWidth;
      var h = TOPH + rows.length * ROW + 4;
      cv.width = w * dpr; cv.height = h * dpr; cv.style.height = h + "px";
      return w;
    }
    var W = size();
    function x(t) { return LABEL + (t - v0) / (v1 - v0) * (W - LABEL - 8); }
    function draw() {
      var g = cv.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, W, cv.height);
      g.font = "11px system-ui, sans-serif";
      // time axis
      g.fillStyle = "#667085"; g.strokeStyle = "#e4e7ec";
      var span = v1 - v0, step = Math.pow(10, Math.floor(Math.log10(span / 5)));
      if (span / step > 12) step *= 5; else if (span / step > 6) step *= 2;
      for (var t = t0 + Math.ceil((v0 - t0) / step) * step; t <= v1; t += step) {
        var px = x(t);
        g.beginPath(); g.moveTo(px, TOPH - 4); g.lineTo(px, cv.height / dpr); g.stroke();
        g.fillText(ms((t - t0) / 1e6), px + 2, 12);
      }
      rows.forEach(function (r, i) {
        var y = TOPH + i * ROW;
        g.fillStyle = i % 2 ? "#fafbfc" : "#ffffff";
        g.fillRect(LABEL, y, W - LABEL, ROW);
        g.fillStyle = r.first ? "#1d2330" : "#667085";
        g.save(); g.beginPath(); g.rect(0, y, LABEL - 6, ROW); g.clip();
        g.fillText(r.label, 6, y + 15); g.restore();
        var s = r.spans, lastPx = -1;
        for (var k = 0; k < s.length; k += 4) {
          var a = s[k], d = s[k + 1];
          if (a + d < v0 || a > v1) continue;
          var xa = x(a), xb = Math.max(x(a + d), xa + 1);
          if (xb <= lastPx) continue;
          g.fillStyle = s[k + 3] ? "#d92d20" : colour(s[k + 2]);
          g.fillRect(Math.max(xa, LABEL), y + 3, xb - Math.max(xa, LABEL), ROW - 6);
          lastPx = Math.floor(xb);
        }
        r.marks.forEach(function (m) {
          if (m[0] < v0 || m[0] > v1) return;
          var px = x(m[0]);
          g.fillStyle = "#d92d20";
          g.beginPath(); g.moveTo(px, y + 2); g.lineTo(px + 4, y + 8); g.lineTo(px - 4, y + 8); g.fill();
        });
      });
    }
    function hit(mx, my) {
      var i = Math.floor((my - TOPH) / ROW);
      if (i < 0 || i >= rows.length || mx < LABEL) return null;
      var r = rows[i], s = r.spans, best = null, bestD = 4;
      var t = v0 + (mx - LABEL) / (W - LABEL - 8) * (v1 - v0);
      var lo = 0, hi = s.length / 4;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (s[mid * 4] < t) lo = mid + 1; else hi = mid; }
      for (var k = Math.max(0, lo - 50); k < Math.min(s.length / 4, lo + 50); k++) {
        var a = x(s[k * 4]), b = Math.max(x(s[k * 4] + s[k * 4 + 1]), a + 1);
        var dd = mx < a ? a - mx : mx > b ? mx - b : 0;
        if (dd < bestD) { bestD = dd; best = k; }
      }
      if (best === null) return null;
      return { row: r, k: best };
    }
    cv.addEventListener("mousemove", function (ev) {
      var rect = cv.getBoundingClientRect();
      var h = hit(ev.clientX - rect.left, ev.clientY - rect.top);
      if (!h) { tip.style.display = "none"; return; }
      var s = h.row.spans, k = h.k * 4;
      tip.textContent = D.names[s[k + 2]] + (s[k + 3] ? " (failed)" : "") + "\n" + h.row.label +
        "\nstart " + ms((s[k] - t0) / 1e6) + ", took " + ms(s[k + 1] / 1e6);
      tip.style.display = "block";
      tip.style.left = Math.min(ev.clientX - rect.left + 12, W - 300) + "px";
      tip.style.top = (ev.clientY - rect.top + 14) + "px";
    });
    cv.addEventListener("mouseleave", function () { tip.style.display = "none"; });
    cv.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var rect = cv.getBoundingClientRect();
      var mx = ev.clientX - rect.left;
      if (mx < LABEL) return;
      var t = v0 + (mx - LABEL) / (W - LABEL - 8) * (v1 - v0);
      var f = ev.deltaY > 0 ? 1.25 : 0.8;
      var n0 = t - (t - v0) * f, n1 = t + (v1 - t) * f;
      if (n1 - n0 < 5) return;
      v0 = Math.max(t0, n0); v1 = Math.min(t1, n1);
      draw();
    }, { passive: false });
    var drag = null;
    cv.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, v0: v0, v1: v1 }; });
    window.addEventListener("mouseup", function () { drag = null; });
    window.addEventListener("mousemove", function (ev) {
      if (!drag) return;
      var dt = (ev.clientX - drag.x) / (W - LABEL - 8) * (drag.v1 - drag.v0);
      var n0 = drag.v0 - dt, n1 = drag.v1 - dt;
      if (n0 < t0) { n1 += t0 - n0; n0 = t0; }
      if (n1 > t1) { n0 -= n1 - t1; n1 = t1; }
      v0 = n0; v1 = n1; draw();
    });
    cv.addEventListener("dblclick", function () { v0 = t0; v1 = t1; draw(); });
    window.addEventListener("resize", function () { W = size(); draw(); });
    draw();
  })();

  // ---- slowest calls ----
  (function () {
    var box = $("slow-calls");
    if (!D.slowCalls.length) { empty(box, "No syscalls."); return; }
    var names = {};
    D.processes.forEach(function (p) { names[p.tgid] = p.name; });
    var t = el("table");
    t.appendChild(el("thead", null, [el("tr", null, [el("th", { text: "took" }), el("th", { text: "at" }), el("th", { cls: "l", text: "process" }), el("th", { cls: "l", text: "call" })])]));
    var b = el("tbody");
    D.slowCalls.forEach(function (c) {
      b.appendChild(el("tr", null, [el("td", { text: ms(c.duration) }), el("td", { text: ms(c.start - D.span[0]) }),
        el("td", { cls: "l", text: (names[c.tgid] || "") + " " + c.pid }), el("td", { cls: "code", text: c.text })]));
    });
    t.appendChild(b);
    box.appendChild(t);
  })();

  // ---- slowest requests: waterfalls ----
  (function () {
    var box = $("waterfall");
    if (!D.requests.length) { empty(box, "No requests (trace with --proto to see them)."); return; }
    var names = {};
    D.processes.forEach(function (p) { names[p.tgid] = p.name; });
    D.requests.slice(0, 12).forEach(function (r) {
      var div = el("div", { cls: "req" });
      div.appendChild(el("div", { cls: "head" + (r.error ? " err" : ""), text: r.proto + " " + r.label + " \u2014 " + ms(r.duration) }));
      var s0 = r.start, span = Math.max(r.duration, 1e-6);
      (function walk(n, depth) {
        if (n.start < s0) s0 = n.start;
        n.children.forEach(function (c) { walk(c, depth + 1); });
      })(r, 0);
      var end = r.start + r.duration;
      (function walk(n) { if (n.start + n.duration > end) end = n.start + n.duration; n.children.forEach(walk); })(r);
      span = Math.max(end - s0, 1e-6);
      (function walk(n, depth) {
        var who = n.tgid ? (names[n.tgid] || "pid") + " " + n.pid : "";
        var lbl = el("div", { cls: "lbl", style: "padding-left:" + depth * 14 + "px", title: n.label, text: n.proto + " " + n.label + (who ? "  [" + who + "]" : "") });
        var known = { http: 1, fastcgi: 1, mysql: 1, postgres: 1, redis: 1 };
        var seg = el("div", { cls: "seg p-" + (known[n.proto] ? n.proto : "other") + (n.error ? " error" : ""),
          style: "left:" + (100 * (n.start - s0) / span) + "%;width:" + (100 * n.duration / span) + "%" });
        div.appendChild(el("div", { cls: "tier" }, [lbl, el("div", { cls: "track" }, [seg]), el("div", { cls: "ms", text: ms(n.duration) })]));
        n.children.forEach(function (c) { walk(c, depth + 1); });
      })(r, 0);
      box.appendChild(div);
    });
  })();

  // ---- protocols ----
  (function () {
    var box = $("protocols");
    if (!D.protos.length) { empty(box, "No protocol messages (trace with --proto)."); return; }
    var t = el("table");
    t.appendChild(el("thead", null, [el("tr", null, ["protocol", "messages", "responses", "errors", "p50", "p99", "by status"].map(function (h, i) {
      return el("th", { cls: i === 0 || i === 6 ? "l" : "", text: h });
    }))]));
    var b = el("tbody");
    D.protos.forEach(function (p) {
      var st = Object.keys(p.statuses).sort().map(function (k) { return k + ": " + p.statuses[k]; }).join(", ");
      b.appendChild(el("tr", null, [el("td", { cls: "l", text: p.proto }), el("td", { text: String(p.messages) }), el("td", { text: String(p.responses) }),
        el("td", { cls: p.errors ? "err" : "", text: String(p.errors) }), el("td", { text: ms(p.p50) }), el("td", { text: ms(p.p99) }), el("td", { cls: "l", text: st })]));
    });
    t.appendChild(b);
    box.appendChild(t);
    D.protos.forEach(function (p) {
      if (!p.slowest.length) return;
      box.appendChild(el("h3", { style: "font-size:13px;margin:12px 0 4px", text: "Slowest " + p.proto }));
      var t2 = el("table");
      var b2 = el("tbody");
      p.slowest.slice(0, 10).forEach(function (s) {
        b2.appendChild(el("tr", null, [el("td", { text: ms(s.latency), style: "width:90px" }), el("td", { text: String(s.pid), style: "width:70px" }), el("td", { cls: "code", text: s.label })]));
      });
      t2.appendChild(b2);
      box.appendChild(t2);
    });
  })();
})();
`;
