/**
 * Test helpers for the views: a structural check of a Chrome trace-event file (the timeline),
 * and headless Chromium opening the HTML report (DOM after its script ran, console messages,
 * screenshot).
 * @module
 */

import { decodePng, inkStats } from "./png.ts";

/** One trace event (the fields the check reads). */
export interface TraceEventJson {
  /** Phase. */
  ph: string;
  /** Name. */
  name?: string;
  /** Category. */
  cat?: string;
  /** Process. */
  pid: number;
  /** Thread (track). */
  tid: number;
  /** Start, µs. */
  ts?: number;
  /** Duration, µs (`X`). */
  dur?: number;
  /** Flow id. */
  id?: number | string;
  /** Arguments. */
  args?: Record<string, unknown>;
}

/** What {@linkcode checkTimeline} found. */
export interface TimelineSummary {
  /** Events by phase. */
  phases: Record<string, number>;
  /** Every event. */
  events: TraceEventJson[];
  /** `process_name` by pid (the last given). */
  processNames: Map<number, string>;
  /** `thread_name` by tid (the last given). */
  threadNames: Map<number, string>;
  /** Flow pairs found (s then f with the same id). */
  flows: number;
}

const PHASES = new Set(["M", "X", "i", "I", "B", "E", "s", "t", "f", "b", "e", "n", "C"]);

/**
 * Checks a timeline file's structure and throws on the first problem: a `{"traceEvents":[…]}`
 * object; known phases; integral, non-negative µs times; every `B` closed by an `E` on its track
 * in order; `X` slices on one track properly nested (no partial overlap); every flow start `s`
 * paired with one finish `f` of the same id, not earlier; `M` names for every process and thread
 * that has events.
 */
export function checkTimeline(text: string): TimelineSummary {
  const doc = JSON.parse(text);
  if (!doc || !Array.isArray(doc.traceEvents)) throw new Error("no traceEvents array");
  const events = doc.traceEvents as TraceEventJson[];
  const phases: Record<string, number> = {};
  const processNames = new Map<number, string>();
  const threadNames = new Map<number, string>();
  const open = new Map<string, TraceEventJson[]>();
  const slices = new Map<string, [number, number, string][]>();
  const flowStart = new Map<string, TraceEventJson>();
  let flows = 0;
  for (const [i, e] of events.entries()) {
    const where = `event ${i} (${JSON.stringify(e).slice(0, 160)})`;
    if (!PHASES.has(e.ph)) throw new Error(`unknown phase at ${where}`);
    phases[e.ph] = (phases[e.ph] ?? 0) + 1;
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) {
      throw new Error(`pid/tid at ${where}`);
    }
    if (e.ph === "M") {
      const name = (e.args as { name?: string } | undefined)?.name;
      if (e.name === "process_name") processNames.set(e.pid, String(name));
      if (e.name === "thread_name") threadNames.set(e.tid, String(name));
      continue;
    }
    if (typeof e.ts !== "number" || e.ts < 0 || !Number.isInteger(e.ts)) {
      throw new Error(`ts not integral µs at ${where}`);
    }
    const track = `${e.pid}/${e.tid}`;
    if (e.ph === "X") {
      if (typeof e.dur !== "number" || e.dur < 0 || !Number.isInteger(e.dur)) {
        throw new Error(`dur at ${where}`);
      }
      let l = slices.get(track);
      if (!l) slices.set(track, l = []);
      l.push([e.ts, e.ts + e.dur, String(e.name)]);
    } else if (e.ph === "B") {
      let l = open.get(track);
      if (!l) open.set(track, l = []);
      l.push(e);
    } else if (e.ph === "E") {
      const b = open.get(track)?.pop();
      if (!b) throw new Error(`E without B at ${where}`);
      if (b.ts! > e.ts) throw new Error(`E before its B at ${where}`);
    } else if (e.ph === "s") {
      const k = `${e.cat}/${e.id}`;
      if (flowStart.has(k)) throw new Error(`flow id reused at ${where}`);
      flowStart.set(k, e);
    } else if (e.ph === "f") {
      const k = `${e.cat}/${e.id}`;
      const s = flowStart.get(k);
      if (!s) throw new Error(`flow finish without start at ${where}`);
      if (s.ts! > e.ts) throw new Error(`flow finish before its start at ${where}`);
      flowStart.delete(k);
      flows++;
    }
    if (!processNames.has(e.pid)) throw new Error(`no process_name before ${where}`);
    if (!threadNames.has(e.tid)) throw new Error(`no thread_name before ${where}`);
  }
  for (const [track, l] of open) if (l.length) throw new Error(`B never closed on ${track}`);
  if (flowStart.size) throw new Error(`flow starts without finish: ${[...flowStart.keys()]}`);
  for (const [track, l] of slices) {
    // Sort by start, longer first; a slice must end within every slice still open around it.
    l.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const stack: [number, number, string][] = [];
    for (const s of l) {
      while (stack.length && stack[stack.length - 1][1] <= s[0]) stack.pop();
      const top = stack[stack.length - 1];
      if (top && s[1] > top[1]) {
        throw new Error(
          `slices overlap on ${track}: ${top[2]} [${top[0]},${top[1]}] and ${s[2]} [${s[0]},${
            s[1]
          }]`,
        );
      }
      stack.push(s);
    }
  }
  return { phases, events, processNames, threadNames, flows };
}

/** What headless Chromium made of a page. */
export interface BrowserView {
  /** The DOM after the page's script ran. */
  dom: string;
  /** Console messages (errors, warnings, logs, CSP violations). */
  console: string[];
  /** Share of the screenshot's pixels that are not background. */
  ink: number;
  /** Distinct colours (4-bit steps) in the screenshot. */
  colours: number;
  /** The screenshot file. */
  screenshot: string;
}

/** Whether Debian's chromium is installed. */
export function haveChromium(): boolean {
  try {
    return Deno.statSync("/usr/bin/chromium").isFile;
  } catch {
    return false;
  }
}

async function chromium(args: string[], dir: string): Promise<{ out: string; err: string }> {
  const r = await new Deno.Command("chromium", {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      `--user-data-dir=${dir}/profile`,
      "--enable-logging=stderr",
      "--v=0",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { HOME: dir },
  }).output();
  const dec = new TextDecoder();
  return { out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** Opens `file` in headless Chromium: its DOM, console and a screenshot of `width`×`height`. */
export async function openInChromium(
  file: string,
  width = 1280,
  height = 1400,
): Promise<BrowserView> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace_chromium_" });
  const url = "file://" + file;
  const dom = await chromium(["--virtual-time-budget=3000", "--dump-dom", url], dir);
  const screenshot = `${dir}/shot.png`;
  const shot = await chromium([
    `--window-size=${width},${height}`,
    `--screenshot=${screenshot}`,
    url,
  ], dir);
  const consoleLines = (dom.err + shot.err).split("\n").filter((l) => /:CONSOLE[:(]/.test(l));
  const { ink, colours } = inkStats(decodePng(await Deno.readFile(screenshot)));
  return { dom: dom.out, console: consoleLines, ink, colours, screenshot };
}
