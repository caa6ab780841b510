/**
 * The wait strategy (core/trace/wait.ts) without timing: which calls each mode makes, how the spin
 * budget adapts, and the `/proc/loadavg` parser. Thread pinning is checked on the test's own
 * thread and undone.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { runningTasks, Waiter } from "../core/trace/wait.ts";
import { WAIT } from "../ffi/constants.ts";
import { currentCpu, lastCpuOf, pinThread, threadAffinity } from "../ffi/sched.ts";

Deno.test("wait: /proc/loadavg's running count", () => {
  assertEquals(runningTasks("0.52 0.58 0.59 3/467 12345\n"), 3);
  assertEquals(runningTasks("13.12 16.31 16.44 10/247 4139"), 10);
  assertEquals(runningTasks(""), -1);
  assertEquals(runningTasks("garbage"), -1);
  assert(runningTasks(Deno.readTextFileSync("/proc/loadavg")) >= 1);
});

/** A fake waitpid that finds a stop on the calls listed in `hits` (1-based). */
function fake(hits: number[]): { fn: (pid: number, o: number) => number; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    fn: (pid, o) => {
      assertEquals(pid, -1);
      calls.push(o);
      return hits.includes(calls.length) ? 4242 : 0;
    },
  };
}

Deno.test("wait: block and pin never poll; spin polls with WNOHANG and adapts its budget", () => {
  for (const mode of ["block", "pin"] as const) {
    const f = fake([1]);
    assertEquals(new Waiter(mode).poll(f.fn), 0);
    assertEquals(f.calls.length, 0, mode);
    assert(new Waiter(mode).blocking, mode);
  }
  const w = new Waiter("spin");
  assert(!w.blocking);
  // Budget 64: a miss polls 64 times, then the budget halves to 32, 16, 8 and stays at 8.
  const budgets: number[] = [];
  for (let i = 0; i < 5; i++) {
    const f = fake([]);
    assertEquals(w.poll(f.fn), 0);
    assert(f.calls.every((o) => o === WAIT.WNOHANG));
    budgets.push(f.calls.length);
  }
  assertEquals(budgets, [64, 32, 16, 8, 8]);
  // A hit returns the pid and doubles the budget.
  const hit = fake([3]);
  assertEquals(w.poll(hit.fn), 4242);
  assertEquals(hit.calls.length, 3);
  const after = fake([]);
  w.poll(after.fn);
  assertEquals(after.calls.length, 16);
});

Deno.test("wait: pinning the tracer's thread to a tracee's CPU, and back", () => {
  const all = threadAffinity();
  assert(all.length >= 1);
  const w = new Waiter("pin");
  try {
    // The stopped pid is ourselves here: the pin goes to the CPU we last ran on.
    w.stopped(Deno.pid);
    const cpu = lastCpuOf(Deno.pid);
    assert(cpu >= 0);
    if (all.includes(cpu)) assertEquals(threadAffinity(), [cpu]);
    assertEquals(currentCpu(), threadAffinity()[0]);
  } finally {
    w.unpin();
  }
  assertEquals(threadAffinity(), all);
  assertEquals(lastCpuOf(999999999), -1);
  assert(pinThread(all));
});
