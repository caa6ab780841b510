/**
 * The event model: what the tracing loop produces at each stop, and what every printer, exporter
 * and observer consumes. One way for data to flow:
 *
 * ptrace stop → decode (typed {@linkcode Value}s) → {@linkcode TraceEvent} → printers (strace
 * text, JSON Lines, colour, timeline, report) and plugin observers.
 *
 * Events are plain data: no methods, no references into the tracer. Times are numbers:
 * `time` is wall-clock seconds since the epoch (microsecond precision), `mono` is monotonic
 * seconds since sctrace started (for durations and ordering).
 * @module
 */

import type { Args, Value } from "../../decoders/value.ts";
import type { Json } from "../../decoders/value.ts";

/** What every event has. */
export interface EventBase {
  /** The kind of event. */
  readonly type: string;
  /** The thread that stopped (strace's "pid" prefix is this thread id). */
  readonly pid: number;
  /** Its thread group (process) id. */
  readonly tgid: number;
  /** Wall-clock time of the stop, seconds since the epoch. */
  readonly time: number;
  /** Monotonic time of the stop, seconds since sctrace started. */
  readonly mono: number;
  /** `-i`: the instruction pointer (16 hex digits, `????????????????` when unknown). */
  readonly ip?: string;
  /** `-n` on a line that is not a syscall's: the number of the syscall the thread last entered. */
  readonly lastNr?: number;
}

/** A syscall's return: a value, or an error. */
export interface SyscallReturn {
  /** The return value (a number; a decimal string when it does not fit a double exactly). */
  readonly value?: number | string;
  /** The decoded return value, when the decoder typed it (`mmap`'s address, `open`'s fd). */
  readonly decoded?: Value;
  /** strace's text of the return value (`3</etc/passwd>`, `-1 ENOENT (No such file or directory)`). */
  readonly text: string;
  /** On failure: the errno name (`ENOENT`, `ERESTARTSYS`). */
  readonly error?: string;
  /** On failure: the errno number. */
  readonly errno?: number;
  /** On failure: strerror's message. */
  readonly message?: string;
}

/**
 * The entry of a syscall: the arguments known when it started. The text printer prints
 * `name(args` at once (a call that blocks shows as `<unfinished ...>`); JSON waits for the exit.
 */
export interface SyscallEntryEvent extends EventBase {
  /** `syscall_entry`. */
  readonly type: "syscall_entry";
  /** The syscall name (`syscall_0x1c8` for an unknown number). */
  readonly name: string;
  /** The syscall number. */
  readonly nr: number;
  /** The arguments decoded at entry. */
  readonly args: readonly Value[];
  /** What the decoder's entry hook returned (typed values with their marks, or v1 text): the text's source. */
  readonly entry: Args;
  /** The decoder has an exit hook (the entry's text then ends with `, `, unless marked whole). */
  readonly more: boolean;
}

/** A completed (or abandoned) syscall. */
export interface SyscallEvent extends EventBase {
  /** `syscall`. */
  readonly type: "syscall";
  /** The syscall name. */
  readonly name: string;
  /** The syscall number. */
  readonly nr: number;
  /** Every argument: the entry's, then the exit's. */
  readonly args: readonly Value[];
  /** What the entry hook returned (see {@linkcode SyscallEntryEvent.entry}). */
  readonly entry: Args;
  /** What the exit hook returned, when the decoder has one. */
  readonly exit?: Args;
  /** The decoder has an exit hook. */
  readonly more: boolean;
  /** The return; absent when the call never returned (`= ?`). */
  readonly ret?: SyscallReturn;
  /** Seconds from entry to exit (or to the end of the trace for an unfinished call). */
  readonly duration: number;
  /** The call never returned (the process exited, or another thread's execve ended it). */
  readonly unfinished?: boolean;
  /** On an unfinished call: the thread whose execve ended it (the call's thread was replaced). */
  readonly supersededBy?: number;
  /** What `-e inject=` did to it (`(INJECTED)`, `(DELAYED)`…), as strace says it. */
  readonly injected?: string;
}

/** A signal delivered to a tracee (`--- SIGCHLD {si_signo=…} ---`). */
export interface SignalEvent extends EventBase {
  /** `signal`. */
  readonly type: "signal";
  /** The signal's name (`SIGCHLD`, `SIGRT_3`). */
  readonly signal: string;
  /** The signal number. */
  readonly signo: number;
  /** The decoded siginfo, when it could be read. */
  readonly info?: Value;
}

/** A tracee stopped by a job-control signal (`--- stopped by SIGSTOP ---`). */
export interface StoppedEvent extends EventBase {
  /** `stopped`. */
  readonly type: "stopped";
  /** The signal's name. */
  readonly signal: string;
}

/** A process or thread exited (`+++ exited with 0 +++`). */
export interface ExitEvent extends EventBase {
  /** `exit`. */
  readonly type: "exit";
  /** The exit status. */
  readonly code: number;
}

/** A process or thread was killed by a signal (`+++ killed by SIGKILL +++`). */
export interface KilledEvent extends EventBase {
  /** `killed`. */
  readonly type: "killed";
  /** The signal's name. */
  readonly signal: string;
  /** The signal number. */
  readonly signo: number;
  /** Whether it dumped core. */
  readonly core: boolean;
}

/** Tracing started for a process (launched, `-p`, or followed under `-f`). */
export interface AttachEvent extends EventBase {
  /** `attach`. */
  readonly type: "attach";
  /** How it came to be traced. */
  readonly origin: "launched" | "attached" | "followed";
}

/** Tracing ended for a process that goes on running (`Process N detached`). */
export interface DetachEvent extends EventBase {
  /** `detach`. */
  readonly type: "detach";
}

/** A thread's execve replaced its process's other threads (`+++ superseded by execve +++`). */
export interface SupersededEvent extends EventBase {
  /** `superseded`. */
  readonly type: "superseded";
  /** The thread that called execve. */
  readonly by: number;
}

/** A connection's endpoint. */
export interface Endpoint {
  /** `127.0.0.1:41234`, `[::1]:80`, or a unix socket's path (`@name` for abstract ones). */
  readonly address: string;
}

/** One protocol message, decoded from a stream by a sniffer. */
export interface ProtoEvent extends EventBase {
  /** `proto`. */
  readonly type: "proto";
  /** The protocol (`http`, `fastcgi`, `mysql`, `postgres`, `redis`, a plugin's). */
  readonly proto: string;
  /** Which way it travelled, seen from the traced process. */
  readonly dir: "in" | "out";
  /** The descriptor. */
  readonly fd: number;
  /** The protocol's own name of the message (`GET`, `COM_QUERY`, `OK`). */
  readonly kind: string;
  /** The message, decoded, one line (`GET /index.php HTTP/1.1`). */
  readonly text: string;
  /** The whole line the text output prints for it (`[http fd=3 out] GET /index.php HTTP/1.1`). */
  readonly line?: string;
  /** Structured fields (HTTP method/uri/status/headers, SQL query, rows, error code…). */
  readonly fields?: { readonly [key: string]: Json };
  /** This side's endpoint, when known. */
  readonly local?: string;
  /** The other side's endpoint, when known. */
  readonly peer?: string;
  /** Whether this process is the client or the server of the connection, when known. */
  readonly role?: "client" | "server";
  /** On a response: seconds since its request. */
  readonly latency?: number;
  /** Set on an error response. */
  readonly error?: boolean;
  /** Set when the message is TLS plaintext read from OpenSSL's calls (core/trace/tls). */
  readonly tls?: boolean;
}

/** What a protocol tap hands the tracer for one message: a {@linkcode ProtoEvent} without its stop fields. */
export type ProtoPayload = Omit<ProtoEvent, keyof EventBase | "type">;

/** Something sctrace itself says about the trace (a plugin disabled, a protocol it cannot decode). */
export interface NoteEvent extends EventBase {
  /** `note`. */
  readonly type: "note";
  /** Who says it (`sctrace`, `plugin:NAME`). */
  readonly source: string;
  /** The message, one line. */
  readonly message: string;
}

/** `-k`: the stack of the thread after a syscall or signal (strace's lines, ` > …`). */
export interface StackEvent extends EventBase {
  /** `stack`. */
  readonly type: "stack";
  /** strace's text of the frames, one line each, each ending in a newline. */
  readonly text: string;
}

/** `-e read=`/`-e write=`: the bytes a successful transfer moved, for the hex dump. */
export interface DumpEvent extends EventBase {
  /** `dump`. */
  readonly type: "dump";
  /** The descriptor. */
  readonly fd: number;
  /** `in` (read) or `out` (written). */
  readonly dir: "in" | "out";
  /** The bytes, one chunk per buffer (iovec). */
  readonly chunks: readonly Uint8Array[];
  /**
   * strace's header lines before each chunk (` * 5 bytes in buffer 0\n`; `sendmmsg`'s
   * ` = 2 buffers in vector 0\n` before an empty chunk), `""` for none; absent: no headers.
   */
  readonly labels?: readonly string[];
}

/** Any event. */
export type TraceEvent =
  | SyscallEntryEvent
  | SyscallEvent
  | SignalEvent
  | StoppedEvent
  | ExitEvent
  | KilledEvent
  | AttachEvent
  | DetachEvent
  | SupersededEvent
  | ProtoEvent
  | NoteEvent
  | StackEvent
  | DumpEvent;

/** The `type` of each event. */
export type EventType = TraceEvent["type"];

/** A consumer of events: a printer, an exporter or a plugin observer. */
export interface EventSink {
  /** Takes one event. Must not throw (the bus guards plugin sinks). */
  event(e: TraceEvent): void;
  /**
   * Writes out what is buffered: `all` false before a tracee runs again (the terminal must show
   * the trace before the tracee's own output), true when the tracer goes idle.
   */
  flush?(all: boolean): void;
  /** The trace is over: write summaries, close files. */
  finish?(): void;
}
