/**
 * Time sources for timestamps (`-r`, `-t`, `-T`) and for `-c`'s system time.
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

  /** Wall-clock text for `-t` (1), `-tt` (2) and `-ttt` (3). */
  wallText(level: number): string {
    libc.clock_gettime(CLOCK_REALTIME, this.tsBytes);
    const sec = Number(this.ts[0]);
    const usec = Math.floor(Number(this.ts[1]) / 1000);
    const us = String(usec).padStart(6, "0");
    if (level >= 3) return `${sec}.${us}`;
    const d = new Date(sec * 1000);
    const hms = [d.getHours(), d.getMinutes(), d.getSeconds()]
      .map((n) => String(n).padStart(2, "0"))
      .join(":");
    return level === 2 ? `${hms}.${us}` : hms;
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
