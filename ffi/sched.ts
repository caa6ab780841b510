/**
 * CPU affinity of the calling thread (`sched_setaffinity(0, …)` affects only the caller, so
 * Deno's other threads keep every CPU) and where a task last ran.
 * @module
 */

import { libc } from "./libc.ts";

/** A 1024-CPU `cpu_set_t`, as glibc sizes it. */
const SET_BYTES = 128;
const mask = new Uint8Array(SET_BYTES);
const SIZE = BigInt(SET_BYTES);

/** The CPUs the calling thread may run on (empty when the call fails). */
export function threadAffinity(): number[] {
  if (libc.sched_getaffinity(0, SIZE, mask) < 0) return [];
  const out: number[] = [];
  for (let i = 0; i < SET_BYTES * 8; i++) if (mask[i >> 3] & (1 << (i & 7))) out.push(i);
  return out;
}

/** Restricts the calling thread to `cpus`; returns whether the kernel accepted it. */
export function pinThread(cpus: readonly number[]): boolean {
  mask.fill(0);
  for (const c of cpus) if (c >= 0 && c < SET_BYTES * 8) mask[c >> 3] |= 1 << (c & 7);
  return libc.sched_setaffinity(0, SIZE, mask) === 0;
}

/** The CPU the calling thread is running on, or -1. */
export function currentCpu(): number {
  return libc.sched_getcpu();
}

/** The CPU task `pid` last ran on (field 39 of `/proc/PID/stat`), or -1. */
export function lastCpuOf(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpu = Number(f[36]);
    return Number.isInteger(cpu) ? cpu : -1;
  } catch {
    return -1;
  }
}
