/**
 * Example: an **observer** with options. It counts the bytes each process reads and writes per
 * endpoint (the peer of a socket under `-yy`, the path of a file under `-y`, else the descriptor)
 * and prints the top ones when the trace ends; with `alert=N` it notes, once per endpoint, when an
 * endpoint passes N bytes.
 *
 * ```sh
 * $ sctrace --plugin ./plugins/examples/bytes_per_endpoint.ts:top=5 -yy -e trace=read,write ./tests/fixtures/bin/redis_like
 * ...
 * bytes per endpoint (top 2 of 2):
 *   read 832  written 0  /usr/lib/x86_64-linux-gnu/libc.so.6
 *   read 103  written 163  TCP:[127.0.0.1:38850->127.0.0.1:39235]
 * ```
 *
 * An observer sees events after they are printed, of the types it asks for (`syscall`, `signal`,
 * `exit`, `proto`, `note`, …: see `core/events/types.ts`) for what `-e trace=` traces, must not
 * change them, and may emit notes (`ctx.note`) and summary lines (what `finish` returns). If it throws, sctrace reports it once,
 * naming the plugin and the hook, and drops the observer; tracing goes on.
 * @module
 */

import type { PluginApi, PluginV2, SyscallEvent, TraceEvent, Value } from "../mod.ts";

/** The calls that move bytes through their first argument, a descriptor; `true` for reads. */
const IO: Record<string, boolean> = {
  read: true,
  pread64: true,
  readv: true,
  preadv: true,
  preadv2: true,
  recvfrom: true,
  recvmsg: true,
  write: false,
  pwrite64: false,
  writev: false,
  pwritev: false,
  pwritev2: false,
  sendto: false,
  sendmsg: false,
};

/** The endpoint of a descriptor argument: its `-yy` detail, its `-y` path, or `fd N`. */
export function endpointOf(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === "fd") return v.socket ?? v.path ?? `fd ${v.fd}`;
  // A decoder that still prints text: `3<TCP:[…]>` or `3`.
  const m = /^(-?\d+)(?:<(.*)>)?/.exec(v.text);
  return m ? (m[2] ?? `fd ${m[1]}`) : undefined;
}

/** The plugin: `--plugin ./plugins/examples/bytes_per_endpoint.ts[:top=N,alert=BYTES]`. */
export default function bytesPerEndpoint(api: PluginApi): PluginV2 {
  const opts = api.declareOptions({ top: 10, alert: 0 });
  const totals = new Map<string, { read: number; written: number }>();
  const alerted = new Set<string>();
  return {
    name: "bytes-per-endpoint",
    observe: {
      types: ["syscall"],
      event(e: TraceEvent, ctx) {
        const s = e as SyscallEvent;
        const reading = IO[s.name];
        if (reading === undefined || !s.ret || s.ret.error) return;
        const n = Number(s.ret.value);
        if (!(n > 0)) return;
        const where = endpointOf(s.args[0]);
        if (where === undefined) return;
        const t = totals.get(where) ?? { read: 0, written: 0 };
        if (reading) t.read += n;
        else t.written += n;
        totals.set(where, t);
        if (opts.alert > 0 && t.read + t.written >= opts.alert && !alerted.has(where)) {
          alerted.add(where);
          ctx.note(`${where} passed ${opts.alert} bytes`);
        }
      },
      finish() {
        const rows = [...totals].sort((a, b) =>
          b[1].read + b[1].written - (a[1].read + a[1].written) || (a[0] < b[0] ? -1 : 1)
        );
        const top = rows.slice(0, Math.max(0, opts.top));
        return [
          `bytes per endpoint (top ${top.length} of ${rows.length}):`,
          ...top.map(([where, t]) => `  read ${t.read}  written ${t.written}  ${where}`),
        ];
      },
    },
  };
}
