/**
 * The benchmark runs and prints its table (`bench/run.ts --quick --runs 1`). No timing is checked:
 * only the shape of the report and that every traced row has numbers.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { median, parseBenchArgs } from "../bench/run.ts";
import { ROOT } from "./helpers/diff.ts";

Deno.test("bench: argument parsing and median", () => {
  const a = parseBenchArgs(["--quick", "--runs", "3", "--only=file,seccomp", "--no-nginx"]);
  assertEquals([a.quick, a.runs, a.only, a.nginx], [true, 3, ["file", "seccomp"], false]);
  assertEquals(parseBenchArgs([]).runs, 5);
  let threw = 0;
  for (const bad of [["--runs", "0"], ["--only", "nope"], ["--fast"]]) {
    try {
      parseBenchArgs(bad);
    } catch {
      threw++;
    }
  }
  assertEquals(threw, 3);
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 2, 3]), 2.5);
  assert(Number.isNaN(median([])));
});

Deno.test("bench: --quick --runs 1 prints the table", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}bench/run.ts`, "--quick", "--runs", "1", "--no-nginx"],
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
    "start-up: launch → execve of /bin/true (-ttt)",
    "tracer peak RSS (VmHWM), 10,000 syscalls -o FILE",
  ]);
  for (const row of rows) {
    const cells = row.split("|").slice(1, -1).map((c) => c.trim());
    assertEquals(cells.length, 6, row);
    // strace's column always has a number (the untraced row has none); no run went wrong (!).
    if (!row.startsWith("| untraced")) assert(/^\d+(\.\d+)? (ms|MiB)$/.test(cells[2]), row);
    assert(!row.includes("(!)"), row);
  }
  // sctrace has numbers everywhere except, until sctrace installs the filter, --seccomp-bpf.
  for (const row of rows.filter((l) => !l.includes("--seccomp-bpf"))) {
    assert(/^\d+(\.\d+)? (ms|MiB)$/.test(row.split("|")[2].trim()), row);
  }
  assert(out.includes("\nEvery run:\n"), out);
  assert(out.includes("- nginx: skipped (--no-nginx)"), out);
});
