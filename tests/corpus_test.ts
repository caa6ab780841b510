/**
 * Issue #4's acceptance criterion, as a regression test: on a fast subset of the everyday-program
 * corpus (tools/corpus.ts), at least 97% of strace's lines are identical after normalisation.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { align, CORPUS, type Entry, pct, perProcess, runCorpus, score } from "../tools/corpus.ts";

const FAST: Entry[] = CORPUS.filter((e) => e.fast);

Deno.test("corpus: each program of the fast subset is at least 97% identical to strace", async () => {
  assert(FAST.length >= 10, "the fast subset has about ten programs");
  const results = await runCorpus(FAST);
  const low: string[] = [];
  for (const r of results) {
    const s = r.score;
    console.log(`${r.entry.name}: ${s.same}/${s.want} lines identical, ${pct(s.percent)}`);
    for (const d of s.diffs.slice(0, 3)) {
      console.log(`  - strace:  ${d.want ?? "(none)"}\n  + sctrace: ${d.got ?? "(none)"}`);
    }
    assert(s.want > 0, `${r.entry.name}: strace printed nothing`);
    if (s.percent < 97) low.push(`${r.entry.name} ${pct(s.percent)}`);
  }
  assertEquals(low, [], "programs below 97%");
});

Deno.test("corpus: the score drops when a line differs, and counts extra lines", () => {
  const e: Entry = { name: "t", flags: [], argv: [] };
  const want =
    'openat(AT_FDCWD, "/a", O_RDONLY) = 3\nclose(3)                                = 0\n';
  assertEquals(score(e, want, want).percent, 100);
  const broken = want.replace("O_RDONLY", "0");
  const s = score(e, want, broken);
  assertEquals([s.same, s.want, s.percent], [1, 2, 50]);
  assertEquals(s.diffs, [{
    want: 'openat(AT_FDCWD, "/a", O_RDONLY) = 3',
    got: 'openat(AT_FDCWD, "/a", 0) = 3',
  }]);
  assertEquals(score(e, want, want + "close(4) = 0\n").percent, 200 / 3);
  assertEquals(align(["a", "b", "c"], ["a", "x", "c", "d"]).same, 2);
});

Deno.test("corpus: -f traces are compared per process with unfinished/resumed merged", () => {
  const raw = [
    "clone(child_stack=NULL, flags=SIGCHLDstrace: Process 101 attached",
    ", child_tidptr=0x7ffff7dd2a10) = 101",
    "[pid   100] wait4(-1,  <unfinished ...>",
    '[pid   101] write(1, "hi\\n", 3)         = 3',
    "[pid   100] <... wait4 resumed>NULL, 0, NULL) = 101",
    "[pid   101] +++ exited with 0 +++",
    "+++ exited with 0 +++",
  ];
  const s = perProcess(raw);
  assertEquals(s.get("P0"), [
    "clone(child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7ffff7dd2a10) = 101",
    "wait4(-1, NULL, 0, NULL)                = 101",
    "+++ exited with 0 +++",
  ]);
  assertEquals(s.get("P1"), [
    "TRACER: Process PID attached",
    'write(1, "hi\\n", 3)                     = 3',
    "+++ exited with 0 +++",
  ]);
});
