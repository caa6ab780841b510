/**
 * `deno task mutate`: the mutation check. Applies each fault of `tools/mutations.ts` on its own to
 * a temporary copy of the repository, runs the tests that fault names, and says whether the tests
 * caught it. The source tree is never touched: every run happens in a copy under the system's
 * temp directory, removed at the end (also on Ctrl-C).
 *
 * ```
 * deno task mutate                       # every mutation, one at a time
 * deno task mutate --jobs 2              # two copies, two mutations at once
 * deno task mutate --only=errno-enoent,summary-calls
 * deno task mutate --list                # the list, with whether each still applies
 * deno task mutate --typecheck           # also type-check each mutated copy (slower)
 * ```
 *
 * Exit status: 0 when at least 90% are caught and every mutation still applies; 1 otherwise;
 * 2 on bad options or when the unmutated tests fail (the baseline).
 * @module
 */

import { type Mutation, MUTATIONS } from "./mutations.ts";
import { fromFileUrl } from "../tests/helpers/paths.ts";

/** The share of mutations that must be caught. */
const THRESHOLD = 0.9;
/** One mutation's tests are stopped after this long (a hang is reported as caught, "timeout"). */
const TIMEOUT_MS = 300_000;

const ROOT = fromFileUrl(new URL("../", import.meta.url));

/** How one mutation ended. */
type Verdict = "caught" | "SURVIVED" | "not-applicable" | "ambiguous" | "broken";

/** The result of one mutation. */
interface Result {
  m: Mutation;
  verdict: Verdict;
  detail: string;
  ms: number;
  /** The test run's output (for --verbose). */
  out?: string;
}

interface Options {
  only?: Set<string>;
  list: boolean;
  jobs: number;
  typecheck: boolean;
  baseline: boolean;
  verbose: boolean;
}

function usage(): never {
  console.error(
    "usage: deno task mutate [--only=ID,ID] [--list] [--jobs N] [--typecheck] [--no-baseline] " +
      "[--verbose]",
  );
  Deno.exit(2);
}

function parseArgs(args: string[]): Options {
  const o: Options = {
    list: false,
    jobs: 1,
    typecheck: false,
    baseline: true,
    verbose: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf("=");
    const k = eq < 0 ? a : a.slice(0, eq);
    const inline = eq < 0 ? undefined : a.slice(eq + 1);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) usage();
      return v;
    };
    if (k === "--only") o.only = new Set(value().split(",").map((s) => s.trim()).filter(Boolean));
    else if (k === "--list") o.list = true;
    else if (k === "--typecheck") o.typecheck = true;
    else if (k === "--no-baseline") o.baseline = false;
    else if (k === "--verbose" || k === "-v") o.verbose = true;
    else if (k === "--jobs" || k === "-j") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 16) {
        console.error(`mutate: --jobs: not a number from 1 to 16`);
        Deno.exit(2);
      }
      o.jobs = n;
    } else if (k === "--help" || k === "-h") usage();
    else {
      console.error(`mutate: unknown option ${a}`);
      usage();
    }
  }
  return o;
}

/** Counts the occurrences of `needle` in `hay`. */
function count(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

/** Whether the mutation's search text still occurs exactly once in the tree at `root`. */
function applicability(root: string, m: Mutation): "ok" | "not-applicable" | "ambiguous" {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${root}${m.file}`);
  } catch {
    return "not-applicable";
  }
  const n = count(text, m.search);
  return n === 0 ? "not-applicable" : n > 1 ? "ambiguous" : "ok";
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Checks the list itself: unique ids, a changed text, test files that exist. */
function validate(list: readonly Mutation[]): void {
  const seen = new Set<string>();
  for (const m of list) {
    const bad = seen.has(m.id)
      ? "duplicate id"
      : m.search === m.replace
      ? "replacement equals search text"
      : m.tests.length === 0
      ? "no tests named"
      : m.tests.map((t) => splitTest(t)[0]).find((f) => !exists(`${ROOT}${f}`))
      ? `no test file ${m.tests.map((t) => splitTest(t)[0]).find((f) => !exists(`${ROOT}${f}`))}`
      : undefined;
    if (bad) {
      console.error(`mutate: tools/mutations.ts: ${m.id}: ${bad}`);
      Deno.exit(2);
    }
    seen.add(m.id);
  }
}

/** The files git tracks (plus uncommitted new ones), relative to the root. */
async function trackedFiles(): Promise<string[]> {
  const r = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    console.error(`mutate: git ls-files failed: ${new TextDecoder().decode(r.stderr).trim()}`);
    Deno.exit(2);
  }
  return new TextDecoder().decode(r.stdout).split("\0").filter((f) => f.length > 0);
}

/** Copies the tracked files (and the compiled fixtures, to save a rebuild) to a new temp dir. */
async function makeCopy(files: string[]): Promise<string> {
  const dir = (await Deno.makeTempDir({ prefix: "sctrace-mutate-" })) + "/";
  const made = new Set<string>();
  const copy = async (rel: string) => {
    const parent = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
    if (parent && !made.has(parent)) {
      await Deno.mkdir(`${dir}${parent}`, { recursive: true });
      made.add(parent);
    }
    try {
      await Deno.copyFile(`${ROOT}${rel}`, `${dir}${rel}`);
    } catch {
      // deleted in the work tree but still tracked: skip
    }
  };
  for (const f of files) await copy(f);
  // Fixtures are rebuilt when older than their source: copied after the sources, they are newer.
  try {
    for (const e of Deno.readDirSync(`${ROOT}tests/fixtures/bin`)) {
      if (e.isFile) await copy(`tests/fixtures/bin/${e.name}`);
    }
  } catch {
    // not built yet: the tests build them
  }
  return dir;
}

/** Process groups of the test runs under way, so Ctrl-C can stop them. */
const running = new Set<number>();
/** Temp copies to remove on exit. */
const copies: string[] = [];

function cleanup(): void {
  for (const pid of running) {
    try {
      Deno.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  for (const d of copies) {
    try {
      Deno.removeSync(d, { recursive: true });
    } catch {
      // already gone
    }
  }
}

/** Runs a command in its own process group (so a hang can be stopped with its children). */
async function runGroup(
  cmd: string[],
  cwd: string,
): Promise<{ code: number; out: string; timedOut: boolean }> {
  const p = new Deno.Command("setsid", {
    args: cmd,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  running.add(p.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      Deno.kill(-p.pid, "SIGKILL");
    } catch {
      // gone
    }
  }, TIMEOUT_MS);
  const r = await p.output();
  clearTimeout(timer);
  running.delete(p.pid);
  // Whatever the tests left behind (a tracee of a mutated tracer) goes with the group.
  try {
    Deno.kill(-p.pid, "SIGKILL");
  } catch {
    // none left
  }
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr), timedOut };
}

/** A test entry's file and its own filter (`tests/x_test.ts#/regex/`). */
function splitTest(t: string): [string, string | undefined] {
  const i = t.indexOf("#");
  return i < 0 ? [t, undefined] : [t.slice(0, i), t.slice(i + 1)];
}

/** The `deno test` command line for some test files (and an optional name filter). */
function testCommand(tests: readonly string[], filter?: string): string[] {
  const cmd = [Deno.execPath(), "test", "-A", "--no-check"];
  if (filter) cmd.push(`--filter=${filter}`);
  return [...cmd, ...tests];
}

/** The first failing test's name from `deno test` output. */
function firstFailure(out: string): string {
  const m = /^(.+?) => \.?\/?(tests\/\S+?):\d+:\d+$/m.exec(out);
  if (m) return `${m[2]}: ${m[1]}`;
  const err = /^error: (.*)$/m.exec(out);
  return err ? err[1].slice(0, 100) : "";
}

/** Whether the output says the module did not even load (a mutation that breaks the syntax). */
function loadError(out: string): string | undefined {
  const m = /^error: (The module's source code could not be parsed.*|Uncaught SyntaxError.*)$/m
    .exec(out);
  return m ? m[1].slice(0, 120) : undefined;
}

/** Applies one mutation in `copy`, runs its tests, restores the file. */
async function runOne(copy: string, m: Mutation, typecheck: boolean): Promise<Result> {
  const t0 = performance.now();
  const done = (verdict: Verdict, detail = ""): Result => ({
    m,
    verdict,
    detail,
    ms: performance.now() - t0,
  });
  const a = applicability(ROOT, m);
  if (a !== "ok") return done(a, a === "ambiguous" ? "search text occurs more than once" : "");
  const path = `${copy}${m.file}`;
  const original = Deno.readTextFileSync(path);
  Deno.writeTextFileSync(path, original.replace(m.search, () => m.replace));
  try {
    if (typecheck) {
      const c = await runGroup([Deno.execPath(), "check", m.file], copy);
      if (c.code !== 0) return done("broken", "does not type-check");
    }
    // One test file at a time, in the listed order: the first that fails has caught it.
    let out = "";
    for (const t of m.tests) {
      const [file, own] = splitTest(t);
      const r = await runGroup(testCommand([file], own ?? m.filter), copy);
      out += r.out;
      const le = loadError(r.out);
      const res = le
        ? done("broken", le)
        : r.timedOut
        ? done("caught", "timeout")
        : r.code !== 0
        ? done("caught", firstFailure(r.out))
        : undefined;
      if (res) {
        res.out = out;
        return res;
      }
    }
    const res = done("SURVIVED");
    res.out = out;
    return res;
  } finally {
    Deno.writeTextFileSync(path, original);
  }
}

function fmtMs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function printList(list: readonly Mutation[]): void {
  for (const m of list) {
    const a = applicability(ROOT, m);
    const status = a === "ok" ? "" : `  [${a}]`;
    console.log(`${m.id.padEnd(28)} ${m.file}${status}\n    ${m.description}`);
    console.log(`    tests: ${m.tests.join(" ")}${m.filter ? ` --filter=${m.filter}` : ""}`);
  }
  console.log(`${list.length} mutations`);
}

async function main(args: string[]): Promise<number> {
  const o = parseArgs(args);
  validate(MUTATIONS);
  let list = MUTATIONS;
  if (o.only) {
    const unknown = [...o.only].filter((id) => !MUTATIONS.some((m) => m.id === id));
    if (unknown.length) {
      console.error(`mutate: unknown id ${unknown.join(", ")} (see --list)`);
      return 2;
    }
    list = MUTATIONS.filter((m) => o.only!.has(m.id));
  }
  if (o.list) {
    printList(list);
    return 0;
  }

  const t0 = performance.now();
  const onSignal = () => {
    cleanup();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const files = await trackedFiles();
    const jobs = Math.min(o.jobs, list.length);
    for (let i = 0; i < jobs; i++) copies.push(await makeCopy(files));

    if (o.baseline) {
      // A test that fails without any mutation would "catch" every mutation: check first.
      const all = [...new Set(list.flatMap((m) => m.tests.map((t) => splitTest(t)[0])))].sort();
      console.log(`baseline: ${all.length} test files, unmutated`);
      const r = await runGroup(testCommand(all), copies[0]);
      if (r.code !== 0) {
        console.log(r.out.split("\n").slice(-40).join("\n"));
        console.error(
          `mutate: the tests fail without any mutation (${
            firstFailure(r.out)
          }); fix that first, or rerun (--no-baseline skips this)`,
        );
        return 2;
      }
      console.log(`baseline: green (${fmtMs(performance.now() - t0)})`);
    }

    const results: Result[] = new Array(list.length);
    let next = 0;
    const width = String(list.length).length;
    const worker = async (copy: string) => {
      while (next < list.length) {
        const i = next++;
        const r = await runOne(copy, list[i], o.typecheck);
        results[i] = r;
        const detail = r.detail ? `  (${r.detail})` : "";
        if (o.verbose && r.out) console.log(r.out.split("\n").slice(-60).join("\n"));
        console.log(
          `[${String(i + 1).padStart(width)}/${list.length}] ${r.verdict.padEnd(14)} ${
            r.m.id.padEnd(28)
          } ${fmtMs(r.ms).padStart(6)}${detail}`,
        );
      }
    };
    await Promise.all(copies.map((c) => worker(c)));

    const by = (v: Verdict) => results.filter((r) => r.verdict === v);
    const caught = by("caught").length;
    const total = results.length;
    const pct = total ? (100 * caught) / total : 100;
    console.log("");
    for (const v of ["SURVIVED", "not-applicable", "ambiguous", "broken"] as const) {
      const rs = by(v);
      if (!rs.length) continue;
      console.log(`${v}:`);
      for (const r of rs) {
        console.log(`  ${r.m.id} (${r.m.file}): ${r.m.description}`);
        if (v === "not-applicable") {
          console.log(`    search text gone: ${JSON.stringify(r.m.search)}`);
        }
      }
    }
    console.log(
      `caught ${caught}/${total} (${pct.toFixed(1)}%), survived ${by("SURVIVED").length}, ` +
        `not applicable ${by("not-applicable").length}, ambiguous ${by("ambiguous").length}, ` +
        `broken ${by("broken").length}; ${fmtMs(performance.now() - t0)}`,
    );
    const ok = pct >= THRESHOLD * 100 && by("not-applicable").length === 0 &&
      by("ambiguous").length === 0 && by("broken").length === 0;
    if (!ok) {
      console.log(`mutate: FAILED (needs >= ${THRESHOLD * 100}% caught, every one applicable)`);
    }
    return ok ? 0 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    cleanup();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
