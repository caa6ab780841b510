/**
 * The JSON form of an event: one object per event, the lines of `--json` (JSON Lines), and what
 * `sctrace report`/`--timeline` read back. The schema is `schema/events.schema.json`.
 *
 * Common fields: `type`, `time` (wall-clock seconds since the epoch, µs precision), `rel`
 * (seconds since sctrace started), `pid` (the thread), `tgid` (its process).
 * - `syscall`: `syscall` (name), `nr`, `args` (each argument's JSON form, see
 *   `decoders/value.ts`), `ret` (number; a decimal string past 2^53; absent when the call never
 *   returned), `result` (the decoded return value, when typed: an fd with its path, an address),
 *   `error`/`errno`/`message` on failure, `duration` (seconds), `unfinished`, `injected`.
 * - `signal`: `signal`, `signo`, `info`; `stopped`: `signal`; `exit`: `code`;
 *   `killed`: `signal`, `core`; `attach`: `origin`; `detach`; `superseded`: `by`.
 * - `proto`: `proto`, `dir`, `fd`, `kind`, `text`, `fields`, `local`, `peer`, `role`, `latency`,
 *   `error`, `tls` (TLS plaintext).
 * - `note`: `source`, `message`.
 * - `stack` (`-k`): `frames` (strace's lines, without the leading ` > `).
 * - `dump` (`-e read=`/`-e write=`): `fd`, `dir`, `hex` (one string of hex digits per buffer),
 *   and for vectored calls `headers`, one per buffer: strace's header line before it as
 *   `{"buffer": I, "bytes": N}` (` * N bytes in buffer I`), `{"vector": I, "buffers": N}`
 *   (` = N buffers in vector I`, before an empty chunk) or null.
 * - `ip` on any event with `-i`.
 * `syscall_entry` events have no JSON form: the `syscall` event at exit carries everything.
 * @module
 */

import { type Json, toJson } from "../../decoders/value.ts";
import type { TraceEvent } from "./types.ts";

/** Rounds seconds to microseconds (what the clock can honestly say). */
function us(s: number): number {
  return Math.round(s * 1e6) / 1e6;
}

/** Hex digits of bytes. */
function hexOf(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

/** The JSON object of an event, or `undefined` for events that have none (`syscall_entry`). */
export function eventToJson(e: TraceEvent): { [key: string]: Json } | undefined {
  const o: { [key: string]: Json } = {
    type: e.type,
    time: us(e.time),
    rel: us(e.mono),
    pid: e.pid,
    tgid: e.tgid,
  };
  if (e.ip !== undefined) o.ip = e.ip;
  switch (e.type) {
    case "syscall_entry":
      return undefined;
    case "syscall": {
      o.syscall = e.name;
      o.nr = e.nr;
      o.args = e.args.map(toJson);
      const r = e.ret;
      if (r) {
        if (r.value !== undefined) o.ret = r.value;
        if (r.decoded) o.result = toJson(r.decoded);
        if (r.error !== undefined) {
          o.error = r.error;
          if (r.errno !== undefined) o.errno = r.errno;
          if (r.message !== undefined) o.message = r.message;
        }
      }
      o.duration = us(e.duration);
      if (e.unfinished) o.unfinished = true;
      if (e.supersededBy !== undefined) o.superseded_by = e.supersededBy;
      if (e.injected) o.injected = e.injected;
      return o;
    }
    case "signal":
      o.signal = e.signal;
      o.signo = e.signo;
      if (e.info) o.info = toJson(e.info);
      return o;
    case "stopped":
      o.signal = e.signal;
      return o;
    case "exit":
      o.code = e.code;
      return o;
    case "killed":
      o.signal = e.signal;
      o.signo = e.signo;
      o.core = e.core;
      return o;
    case "attach":
      o.origin = e.origin;
      return o;
    case "detach":
      return o;
    case "superseded":
      o.by = e.by;
      return o;
    case "proto":
      o.proto = e.proto;
      o.dir = e.dir;
      o.fd = e.fd;
      o.kind = e.kind;
      o.text = e.text;
      if (e.fields) o.fields = e.fields as { [key: string]: Json };
      if (e.local !== undefined) o.local = e.local;
      if (e.peer !== undefined) o.peer = e.peer;
      if (e.role !== undefined) o.role = e.role;
      if (e.latency !== undefined) o.latency = us(e.latency);
      if (e.error) o.error = true;
      if (e.tls) o.tls = true;
      return o;
    case "note":
      o.source = e.source;
      o.message = e.message;
      return o;
    case "stack":
      o.frames = e.text.split("\n").filter((l) => l).map((l) => l.replace(/^ > /, ""));
      return o;
    case "dump":
      o.fd = e.fd;
      o.dir = e.dir;
      o.hex = e.chunks.map(hexOf);
      if (e.labels) o.headers = e.labels.map(dumpHeader);
      return o;
  }
}

/** strace's header line before a dumped buffer, as JSON (see the module doc), or null. */
function dumpHeader(label: string): Json {
  // A hostile iovlen is a u64: past 2^53 it is a decimal string, as elsewhere.
  const n = (d: string): Json => Number.isSafeInteger(Number(d)) ? Number(d) : d;
  let m = /^ \* (\d+) bytes in buffer (\d+)\n$/.exec(label);
  if (m) return { buffer: n(m[2]), bytes: n(m[1]) };
  m = /^ = (\d+) buffers in vector (\d+)\n$/.exec(label);
  if (m) return { vector: n(m[2]), buffers: n(m[1]) };
  return null;
}
