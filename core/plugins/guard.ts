/**
 * Guards around plugin code: a decoder or sniffer that throws is reported once, naming the plugin,
 * and disabled; tracing goes on.
 *
 * - A decoder hook that throws: the call it was decoding is printed raw (the tracer's fallback for
 *   a throwing `enter`), and later calls go to the decoder it replaced (built-in or an earlier
 *   plugin's), or are printed raw when there is none.
 * - A sniffer that throws in `detect`, `create` or a parser's `push`: it is disabled for the
 *   stream it threw on (see {@linkcode guardSniffer}); the report is printed after the syscall
 *   line, by the protocol tap.
 * @module
 */

import type {
  Args,
  DecoderTable,
  Direction,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamSniffer,
  StreamTime,
  SyscallCall,
  SyscallDecoder,
  Value,
} from "../../decoders/api.ts";

/** Key in `c.state` recording which decoder ran `enter` for this call. */
const OWNER = "__pluginGuardOwner";

/** The first line of an error (at most 300 characters), for one-line reports. */
export function oneLine(e: unknown): string {
  let s: string;
  try {
    s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    s = "unprintable error";
  }
  const line = s.split("\n")[0];
  return line.length > 300 ? line.slice(0, 300) + "..." : line;
}

/** Thrown to make the tracer print a call raw (its fallback for a decoder that throws). */
class Disabled extends Error {
  constructor() {
    super("plugin decoder disabled");
  }
}

/**
 * Wraps every decoder of a plugin so that a throw disables it. `fallback` holds the decoders the
 * plugin's ones replace (by name), used once a plugin decoder is disabled.
 */
export function guardDecoders(
  plugin: string,
  table: DecoderTable,
  warn: (msg: string) => void,
  fallback: DecoderTable = {},
): DecoderTable {
  const out: DecoderTable = {};
  for (const [name, dec] of Object.entries(table)) {
    const old: SyscallDecoder | undefined = fallback[name];
    let broken = false;
    const report = (what: string, e: unknown) => {
      if (broken) return;
      broken = true;
      warn(`plugin '${plugin}': decoder ${name}.${what} threw ${oneLine(e)}; disabled`);
    };
    /** Who decodes this call: the plugin, the replaced decoder, or nobody (raw). */
    const owner = (c: SyscallCall): "plugin" | "old" | "raw" => {
      const o = c.state?.[OWNER];
      if (o === "plugin" || o === "old" || o === "raw") return o;
      return broken ? (old ? "old" : "raw") : "plugin";
    };
    const guarded: SyscallDecoder = {
      enter(c: SyscallCall): Args {
        const who = broken ? (old ? "old" : "raw") : "plugin";
        if (c.state) c.state[OWNER] = who;
        if (who === "old") return old!.enter ? old!.enter(c) : "";
        if (who === "raw") throw new Disabled();
        try {
          return dec.enter ? dec.enter.call(dec, c) : "";
        } catch (e) {
          report("enter", e);
          if (c.state) c.state[OWNER] = "raw";
          throw e;
        }
      },
      exit(c: SyscallCall): Args {
        const who = owner(c);
        if (who === "old") return old!.exit ? old!.exit(c) : "";
        if (who === "raw") return "";
        try {
          return dec.exit ? dec.exit.call(dec, c) : "";
        } catch (e) {
          report("exit", e);
          return "";
        }
      },
      result(c: SyscallCall): Value | string | undefined {
        const who = owner(c);
        if (who === "old") return old!.result ? old!.result(c) : undefined;
        if (who === "raw") return undefined;
        try {
          return dec.result ? dec.result.call(dec, c) : undefined;
        } catch (e) {
          report("result", e);
          return undefined;
        }
      },
    };
    // A decoder without an exit hook keeps none: its entry text then has no trailing `, `.
    if (!dec.exit && !old?.exit) delete guarded.exit;
    out[name] = guarded;
  }
  return out;
}

/**
 * A guarded plugin sniffer. Its failures are not printed where they happen (that would cut the
 * syscall line being printed in two): the protocol tap takes them after each call and prints them
 * after that call's line.
 */
export interface GuardedSniffer extends StreamSniffer {
  /** The reports of failures since the last call, oldest first (each hook's first one only). */
  takeReports(): string[];
}

/**
 * Wraps a plugin's sniffer so that a throw disables it for the stream it happened on: a throwing
 * `detect` drops the sniffer from that stream's candidates, a throwing `create` leaves the stream
 * to the other sniffers, a throwing parser's `push` ends that parser (its stream yields nothing
 * more). Other streams go on. The first failure of each hook is reported (naming the plugin, the
 * sniffer and the hook) through {@linkcode GuardedSniffer.takeReports}. `_warn` is not used.
 */
export function guardSniffer(
  plugin: string,
  s: StreamSniffer,
  _warn?: (msg: string) => void,
): GuardedSniffer {
  const reported = new Set<string>();
  let reports: string[] = [];
  const fail = (e: unknown, what: string) => {
    if (reported.has(what)) return;
    reported.add(what);
    reports.push(
      `plugin '${plugin}': sniffer ${s.name} ${what} threw ${oneLine(e)}; disabled for this stream`,
    );
  };
  return {
    name: s.name,
    takeReports(): string[] {
      const r = reports;
      if (r.length) reports = [];
      return r;
    },
    detect(info: StreamInfo, dir: Direction, first: Uint8Array): boolean | undefined {
      try {
        const v = s.detect(info, dir, first);
        return v === true ? true : v === undefined ? undefined : false;
      } catch (e) {
        fail(e, "detect");
        return false;
      }
    },
    create(info: StreamInfo): StreamParser {
      let p: StreamParser;
      try {
        p = s.create(info);
      } catch (e) {
        fail(e, "create");
        throw e;
      }
      let dead = false;
      return {
        push(dir: Direction, bytes: Uint8Array, at?: StreamTime): ProtoMessage[] {
          if (dead) return [];
          try {
            const msgs = p.push(dir, bytes, at);
            return Array.isArray(msgs) ? msgs.filter(validMessage) : [];
          } catch (e) {
            dead = true;
            fail(e, "push");
            return [];
          }
        },
      };
    },
  };
}

/** Drops malformed messages (a plugin could return anything). */
function validMessage(m: unknown): m is ProtoMessage {
  if (!m || typeof m !== "object") return false;
  const x = m as ProtoMessage;
  return typeof x.proto === "string" && (x.dir === "in" || x.dir === "out") &&
    typeof x.kind === "string" && typeof x.text === "string";
}
