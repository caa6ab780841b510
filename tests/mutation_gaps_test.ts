/**
 * Tests written for faults of `deno task mutate` (tools/mutations.ts) that the rest of the
 * suite did not catch. Each says which mutation it is for; each was checked to fail with its
 * fault planted (`deno task mutate --only=ID`).
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { BIN, fixture, sctrace } from "./helpers/diff.ts";

/** Minutes since midnight of `hh:mm` text. */
function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** The wall-clock time of day in `tz`, as `hh:mm`. */
function nowIn(tz: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date());
}

// timestamp-localtime: strace prints -t/-tt in local time (localtime(3)), as TZ says.
Deno.test("mutation gaps: -t and -tt print the local time of TZ (half-hour zones too)", async () => {
  await fixture("helloasm");
  for (const tz of ["Asia/Kolkata", "America/St_Johns"]) {
    for (const flag of ["-t", "-tt"]) {
      const before = minutes(nowIn(tz));
      const b = await sctrace([flag, "./helloasm"], {
        cwd: BIN,
        env: { PATH: "/usr/bin:/bin", TZ: tz },
      });
      const after = minutes(nowIn(tz));
      const m = /^(\d\d:\d\d):\d\d/.exec(b.stderr);
      assert(m, `${flag} ${tz}: ${b.stderr.split("\n")[0]}`);
      const t = minutes(m[1]);
      // The run may cross a minute (or midnight) boundary: t lies between before and after.
      const span = (after - before + 1440) % 1440;
      assert((t - before + 1440) % 1440 <= span, `${flag} ${tz}: ${m[1]} not in local time`);
      assertMatch(b.stderr, /^\d\d:\d\d:\d\d(\.\d{6})? execve\(/);
      assertEquals(b.code, 42);
    }
  }
});
