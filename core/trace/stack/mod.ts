/**
 * `-k` (`--stack-traces`): what the tracer calls to print a thread's stack after a syscall or a
 * signal, or to capture it at a syscall's entry (execve, exit) and print it later, as strace does.
 * The ELF, DWARF and unwinding work lives in the modules beside this one.
 * @module
 */

import type { MemoryReader } from "../../../decoders/api.ts";
import { getRegs, regs } from "../../../ffi/ptrace.ts";
import { formatFrames, Unwinder } from "./unwind.ts";
import { loadDemangler } from "./demangle.ts";

export { type Frame, parseMaps, Unwinder } from "./unwind.ts";

/**
 * Syscalls after which strace re-reads a process's memory map (`MEMORY_MAPPING_CHANGE`, the
 * `SI` flag of its syscall table).
 */
export const MAPPING_CHANGES: ReadonlySet<string> = new Set([
  "mmap",
  "mprotect",
  "munmap",
  "brk",
  "mremap",
  "shmat",
  "execve",
  "shmdt",
  "remap_file_pages",
  "execveat",
  "pkey_mprotect",
]);

/**
 * Syscalls whose stack strace captures at entry and prints at exit, or when the process is gone
 * (`STACKTRACE_CAPTURE_ON_ENTER`, the `SE` flag): the frames that exist before the call.
 */
export const CAPTURE_ON_ENTER: ReadonlySet<string> = new Set([
  "execve",
  "execveat",
  "exit",
  "exit_group",
]);

/** Stack traces for the tracer. */
export class StackTraces {
  private unwinder = new Unwinder();

  /** Creates the stack tracer, with its C++/Rust demangler loaded. */
  static async create(): Promise<StackTraces> {
    await loadDemangler();
    return new StackTraces();
  }

  /** The stack of a stopped thread as strace prints it right away; "" if registers are gone. */
  now(pid: number, tgid: number, mem: MemoryReader): string {
    return this.walk(pid, tgid, mem, false);
  }

  /**
   * At a syscall's entry: for execve and exit, the stack captured now, in the form strace prints
   * later (`(+0x0)` for unnamed frames); "" for other syscalls.
   */
  atEntry(name: string, pid: number, tgid: number, mem: MemoryReader): string {
    return CAPTURE_ON_ENTER.has(name) ? this.walk(pid, tgid, mem, true) : "";
  }

  /** Notes a finished syscall: mapping changes make the next walk re-read the map. */
  afterSyscall(name: string): void {
    if (MAPPING_CHANGES.has(name)) this.unwinder.invalidate();
  }

  /** Forgets a process. */
  forget(tgid: number): void {
    this.unwinder.forget(tgid);
  }

  /** Reads the registers and formats a walk. */
  private walk(pid: number, tgid: number, mem: MemoryReader, queued: boolean): string {
    try {
      if (getRegs(pid) !== 0) return "";
      return formatFrames(this.unwinder.walk({ pid, tgid, mem, regs }), queued);
    } catch {
      // A bug of ours or data we could not read: no frames rather than a broken trace.
      return "";
    }
  }
}
