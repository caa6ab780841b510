/**
 * The benchmark runs and prints its table (`bench/run.ts --quick --runs 1`). No timing is checked:
 * only the shape of the report and that every traced row has numbers.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { LOADED, median, parseBenchArgs } from "../bench/run.ts";
import { ROOT } from "./helpers/diff.ts";

Deno.test("bench: argument parsing and median", () => {
  const a = parseBenchArgs(["--quick", "--runs", "3", "--only=file,seccomp", "--no-nginx"]);
  assertEquals([a.quick, a.runs, a.only, a.nginx], [true, 3, ["file", "seccomp"], false]);
  assertEquals(parseBenchArgs([]).runs, 5);
  assertEquals(parseBenchArgs([]).loads, ["idle", "loaded"]);
  assertEquals(parseBenchArgs(["--load", "loaded"]).loads, ["loaded"]);
  assertEquals(parseBenchArgs(["--load=idle,idle"]).loads, ["idle"]);
  let threw = 0;
  for (
    const bad of [["--runs", "0"], ["--only", "nope"], ["--fast"], ["--load", "busy"], ["--load="]]
  ) {
    try {
      parseBenchArgs(bad);
    } catch {
      threw++;
    }
  }
  assertEquals(threw, 5);
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 2, 3]), 2.5);
  assert(Number.isNaN(median([])));
});

Deno.test("bench: --quick --runs 1 prints the table", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "-A", `${ROOT}bench/run.ts`, "--quick", "--runs", "1", "--no-nginx"],
      ...["--load", "idle"],
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  const lines = out.split("\n");
  assertEquals(lines[0], "# sctrace vs strace (quick)");
  const start = lines.indexOf(
    "| workload | sctrace | strace | sctrace/strace | sctrace CPU | strace CPU |",
  );
  assert(start > 0, out);
  assertEquals(lines[start + 1], "| --- | --- | --- | --- | --- | --- |");
  const rows = lines.slice(start + 2, lines.indexOf("", start));
  const labels = rows.map((l) => l.split(" | ")[0].slice(2));
  assertEquals(labels, [
    "untraced loop (sctrace column)",
    "full trace to stderr (2>/dev/null)",
    "full trace -o /dev/null",
    "full trace -o FILE",
    "-c (summary only)",
    "-e trace=exit_group",
    "-f --seccomp-bpf -e trace=exit_group",
    "ls -laR /usr/share/common-licenses -o /dev/null",
    "start-up: launch → execve of /bin/true (-ttt)",
    "tracer peak RSS (VmHWM), 10,000 syscalls -o FILE",
    "tracer's own CPU per traced syscall (same run)",
  ]);
  for (const row of rows) {
    const cells = row.split("|").slice(1, -1).map((c) => c.trim());
    assertEquals(cells.length, 6, row);
    // strace's column always has a number (the untraced row has none); no run went wrong (!).
    if (!row.startsWith("| untraced")) assert(/^\d+(\.\d+)? (ms|MiB|µs)$/.test(cells[2]), row);
    assert(!row.includes("(!)"), row);
  }
  // sctrace has numbers everywhere except, until sctrace installs the filter, --seccomp-bpf.
  for (const row of rows.filter((l) => !l.includes("--seccomp-bpf"))) {
    assert(/^\d+(\.\d+)? (ms|MiB|µs)$/.test(row.split("|")[2].trim()), row);
  }
  assert(/\n- idle: load average [\d.]+ [\d.]+ [\d.]+ before/.test(out), out);
  assert(out.includes("\nEvery run:\n"), out);
  assert(out.includes("- nginx: skipped (--no-nginx)"), out);
});

Deno.test("bench: --load loaded runs beside CPU hogs and stops them", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "-A", `${ROOT}bench/run.ts`, "--quick", "--runs", "1", "--no-nginx"],
      ...["--load", "loaded", "--only", "filtered"],
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  const rows = out.split("\n").filter((l) => l.startsWith("| -e trace=exit_group"));
  assertEquals(rows.length, 1, out);
  assert(rows[0].startsWith(`| -e trace=exit_group${LOADED} | `), rows[0]);
  assert(!rows[0].includes("(!)"), rows[0]);
  assert(/\n- loaded \(\d+ CPU hogs, one per core, beside every run\)/.test(out), out);
  // The hogs are the bench's children: none may outlive it.
  const hog = /^\s*\d+ .*\/sctrace_bench_[^/]+\/hog \d+$/m;
  const ps = new TextDecoder().decode(
    (await new Deno.Command("ps", { args: ["-eo", "pid,args"], stdout: "piped" }).output()).stdout,
  );
  assert(!hog.test(ps), ps);
});
