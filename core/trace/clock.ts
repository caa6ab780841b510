/**
 * Time sources for event times (`-t`'s wall clock) and for `-c`'s system time.
 * @module
 */

import { libc } from "../../ffi/libc.ts";

const CLOCK_REALTIME = 0;

/** Clocks used by the tracer. */
export class Clock {
  private ts = new BigInt64Array(2);
  private tsBytes = new Uint8Array(this.ts.buffer);
  /** The tracee system time (µs) reported by the last `wait4`, per pid. */
  private stime = new Map<number, number>();

  /** Monotonic nanoseconds (from `performance.now()`). */
  monoNs(): number {
    return Math.round(performance.now() * 1e6);
  }

  /** Wall-clock seconds since the epoch (µs precision), from `clock_gettime(CLOCK_REALTIME)`. */
  wallSeconds(): number {
    libc.clock_gettime(CLOCK_REALTIME, this.tsBytes);
    return Number(this.ts[0]) + Math.floor(Number(this.ts[1]) / 1000) / 1e6;
  }

  /** Records the system time a `wait4` reported for `pid`. */
  setStime(pid: number, micros: number): void {
    this.stime.set(pid, micros);
  }

  /** The last recorded system time of a tracee (µs). */
  cpuMicros(t: { pid: number }): number {
    return this.stime.get(t.pid) ?? 0;
  }
}
