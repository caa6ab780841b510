/**
 * How the tracing loop waits for the next ptrace stop.
 *
 * Design (measured on a 2-vCPU VM, see README "Speed"): a stop costs about 47 µs when the tracer
 * sleeps in `waitpid` and is woken on another CPU, and about 10 µs when tracer and tracee hand the
 * CPU to each other on the same core. So:
 *
 * - **Idle machine** (no more runnable tasks than CPUs, from `/proc/loadavg`'s `running/total`,
 *   read at most every {@linkcode SAMPLE_MS} ms, {@linkcode IDLE_SAMPLES} quiet samples in a row
 *   after a busy one): spin on `waitpid(WNOHANG)` while spinning pays
 *   off. The spin budget doubles after a poll that found a stop and halves after one that did not
 *   (8…2048 polls), and every 8th poll yields, so a tracee that shares our CPU can run.
 * - **Loaded machine** (more runnable tasks than CPUs): never spin. A spinning tracer takes a CPU
 *   the tracee or its neighbours need, and its `sched_yield` hands the CPU to a CPU hog for a whole
 *   time slice while the stopped tracee waits (measured: 1.7–2.5× strace's time with one hog per
 *   core). Instead block in `waitpid` with the tracer's thread pinned to the CPU the tracee last
 *   ran on, so wake-ups are the cheap same-CPU hand-off and the scheduler need not migrate anyone.
 *   The pin is dropped when the machine is idle again. Only the tracer's main thread is pinned;
 *   the tracee's own affinity is never touched (the program would see it).
 *
 * `SCTRACE_WAIT=spin|block|pin` forces one strategy (for the bench); the default is `adaptive`.
 * @module
 */

import { libc } from "../../ffi/libc.ts";
import { WAIT } from "../../ffi/constants.ts";
import { lastCpuOf, pinThread, threadAffinity } from "../../ffi/sched.ts";

/** A `waitpid`-like call: `(pid, options)` → pid, 0 (nothing yet) or -errno. */
export type WaitFn = (pid: number, options: number) => number;

/** The waiting strategies: `adaptive` (default) switches between `spin` and `pin`. */
export type WaitMode = "spin" | "block" | "pin" | "adaptive";

/** How often, at most, the machine's load is sampled (ms). */
export const SAMPLE_MS = 20;

/** Quiet samples in a row before a blocking loop spins again. */
export const IDLE_SAMPLES = 5;

/** The strategy chosen by `SCTRACE_WAIT` (default `adaptive`). */
export function waitModeFromEnv(): WaitMode {
  let v: string | undefined;
  try {
    v = Deno.env.get("SCTRACE_WAIT");
  } catch {
    v = undefined;
  }
  return v === "spin" || v === "block" || v === "pin" ? v : "adaptive";
}

/** Parses `/proc/loadavg`'s runnable-task count (the `running` of `running/total`), or -1. */
export function runningTasks(loadavg: string): number {
  const m = /^\S+ \S+ \S+ (\d+)\//.exec(loadavg);
  return m ? Number(m[1]) : -1;
}

const loadavgBuf = new Uint8Array(128);

/** The number of runnable tasks on the machine right now, or -1 when unknown. */
function readRunning(): number {
  let f: Deno.FsFile | undefined;
  try {
    f = Deno.openSync("/proc/loadavg");
    const n = f.readSync(loadavgBuf) ?? 0;
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(loadavgBuf[i]);
    return runningTasks(s);
  } catch {
    return -1;
  } finally {
    f?.close();
  }
}

/** Chooses between polling and blocking for the tracing loop (see the module comment). */
export class Waiter {
  private mode: WaitMode;
  private spin = 64;
  private loaded: boolean;
  private nextSample = 0;
  private quiet = 0;
  private cpus: number;
  /** The CPU the tracer's thread is pinned to, or -1. */
  private pinned = -1;
  private pinCheck = 0;
  /** The thread's CPUs before any pin (restored when unpinning). */
  private allowed: number[] | undefined;

  /** A waiter using `mode`. */
  constructor(mode: WaitMode = waitModeFromEnv()) {
    this.mode = mode;
    this.loaded = mode === "block" || mode === "pin";
    this.cpus = navigator.hardwareConcurrency || 1;
  }

  /** Whether the loop currently avoids spinning. */
  get blocking(): boolean {
    return this.loaded;
  }

  /** Re-reads the machine's load at most every {@linkcode SAMPLE_MS} ms (adaptive mode). */
  private sample(): void {
    const now = performance.now();
    if (now < this.nextSample) return;
    this.nextSample = now + SAMPLE_MS;
    const running = readRunning();
    if (running < 0) return;
    // Hysteresis: blocking starts at the first busy sample, spinning again only after
    // IDLE_SAMPLES quiet ones in a row (each switch costs a migration).
    if (running <= this.cpus) this.quiet++;
    else this.quiet = 0;
    const loaded = this.quiet < (this.loaded ? IDLE_SAMPLES : 1);
    if (loaded === this.loaded) return;
    this.loaded = loaded;
    if (!loaded) this.unpin();
    else this.pinCheck = 0;
  }

  /** Polls for a stop before blocking; returns a pid, 0 when none came, or -errno. */
  poll(wait: WaitFn): number {
    if (this.mode === "adaptive") this.sample();
    if (this.loaded) return 0;
    let pid = 0;
    for (let i = 0; i < this.spin; i++) {
      pid = wait(-1, WAIT.WNOHANG);
      if (pid !== 0) break;
      if ((i & 7) === 7) libc.sched_yield();
    }
    if (pid === 0) {
      if (this.spin > 8) this.spin >>= 1;
    } else if (this.spin < 2048) this.spin <<= 1;
    return pid;
  }

  /** Called after a stop of `pid` was handled: keeps the pin on the tracee's CPU when blocking. */
  stopped(pid: number): void {
    if (!this.loaded || this.mode === "block") return;
    if ((this.pinCheck++ & 127) !== 0) return;
    const cpu = lastCpuOf(pid);
    if (cpu < 0 || cpu === this.pinned) return;
    this.allowed ??= threadAffinity();
    if (!this.allowed.includes(cpu)) return;
    if (pinThread([cpu])) this.pinned = cpu;
  }

  /** Gives the tracer's thread its CPUs back. */
  unpin(): void {
    if (this.pinned < 0 || !this.allowed) return;
    if (pinThread(this.allowed)) this.pinned = -1;
  }
}
