/**
 * Example: a **stream sniffer** with options. It claims TCP streams to or from one port and prints
 * each text line that crosses them, with the connection's role and peer and the time since the
 * stream's first bytes (the `at` timestamps sniffers get):
 *
 * ```sh
 * $ sctrace --plugin ./plugins/examples/line_sniffer.ts:max=40 --proto=lines -e trace=none ./tests/fixtures/bin/redis_like
 * [lines fd=3 out] line client -> 127.0.0.1:42645 +0.000000s "*3"
 * ...
 * [lines fd=3 in] line client <- 127.0.0.1:42645 +0.002023s "+OK"
 * ```
 *
 * `StreamInfo` tells a sniffer the descriptor's ports, its `local` and `peer` endpoints and its
 * `role` (`client` or `server`) when sctrace knows them; `push(dir, bytes, at)` gets the time of
 * the syscall that moved the bytes. A parser must never throw (garbage yields no messages); if it
 * does anyway, sctrace reports it once and disables it for that stream.
 * @module
 */

import type {
  Direction,
  PluginApi,
  PluginV2,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamTime,
} from "../mod.ts";

/** A parser printing the complete lines of each direction (up to `max` bytes each). */
export function lineParser(info: StreamInfo, max: number): StreamParser {
  const pending: Record<Direction, string> = { in: "", out: "" };
  let start: number | undefined;
  const who = `${info.role ?? "?"}`;
  return {
    push(dir: Direction, bytes: Uint8Array, at?: StreamTime): ProtoMessage[] {
      start ??= at?.mono;
      const since = at && start !== undefined ? ` +${(at.mono - start).toFixed(6)}s` : "";
      let text = pending[dir];
      for (const b of bytes) {
        text += b >= 0x20 && b < 0x7f || b === 0x0a ? String.fromCharCode(b) : "";
      }
      const lines = text.split("\n");
      pending[dir] = lines.pop()!.slice(-max);
      const arrow = dir === "out" ? "->" : "<-";
      return lines.map((l) => ({
        proto: "lines",
        dir,
        kind: "line",
        text: `${who} ${arrow} ${info.peer ?? "?"}${since} ${JSON.stringify(l.slice(0, max))}`,
      }));
    },
  };
}

/** The plugin: `--plugin ./plugins/examples/line_sniffer.ts:port=N[,max=M] --proto=lines`. */
export default function lineSniffer(api: PluginApi): PluginV2 {
  const opts = api.declareOptions({ port: 0, max: 80 });
  return {
    name: "line-sniffer",
    sniffers: [{
      name: "lines",
      // Claim streams with the port at either end (any TCP stream when port=0).
      detect: (info) =>
        info.localPort === undefined
          ? false
          : opts.port === 0 || info.localPort === opts.port || info.remotePort === opts.port,
      create: (info) => lineParser(info, opts.max),
    }],
  };
}
