/**
 * The descriptor table of a tracee as `-y` shows it: `/proc/PID/fd/N` links, read when asked
 * (descriptors change under us; strace reads them at print time too).
 * @module
 */

import type { FdResolver } from "../../decoders/api.ts";

/** Finds the `-yy` detail of a socket inode; installed by the tracer when `-yy` is on. */
export type SocketDetailFn = (pid: number, inode: number) => string | undefined;

/** Resolves descriptors of one process through `/proc`. */
export class ProcFds implements FdResolver {
  /** The process whose table this is. */
  pid: number;
  /** Optional `-yy` lookup. */
  socketLookup?: SocketDetailFn;

  /** Creates a resolver for `pid`. */
  constructor(pid: number, socketLookup?: SocketDetailFn) {
    this.pid = pid;
    this.socketLookup = socketLookup;
  }

  /** The link target of `/proc/PID/fd/FD`. */
  path(fd: number): string | undefined {
    try {
      return Deno.readLinkSync(`/proc/${this.pid}/fd/${fd}`);
    } catch {
      return undefined;
    }
  }

  /** `-yy` detail for sockets. */
  socketDetail(fd: number): string | undefined {
    if (!this.socketLookup) return undefined;
    const p = this.path(fd);
    const m = p && /^socket:\[(\d+)\]$/.exec(p);
    if (!m) return undefined;
    try {
      return this.socketLookup(this.pid, Number(m[1]));
    } catch {
      return undefined;
    }
  }

  /** The working directory. */
  cwd(): string | undefined {
    try {
      return Deno.readLinkSync(`/proc/${this.pid}/cwd`);
    } catch {
      return undefined;
    }
  }
}
