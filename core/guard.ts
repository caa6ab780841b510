/**
 * Guards around plugin code: a decoder or sniffer that throws is reported once, by name, and
 * disabled; tracing goes on.
 * @module
 */

import type {
  DecoderTable,
  Direction,
  ProtoMessage,
  StreamInfo,
  StreamParser,
  StreamSniffer,
  SyscallCall,
  SyscallDecoder,
} from "../decoders/api.ts";

/** Wraps every decoder of a plugin so that a throw disables it (the core then prints raw). */
export function guardDecoders(
  plugin: string,
  table: DecoderTable,
  warn: (msg: string) => void,
): DecoderTable {
  const out: DecoderTable = {};
  for (const [name, dec] of Object.entries(table)) {
    let broken = false;
    const wrap = (fn: ((c: SyscallCall) => string | undefined) | undefined, what: string) =>
      fn
        ? (c: SyscallCall) => {
          if (broken) throw new Error("disabled");
          try {
            return fn.call(dec, c);
          } catch (e) {
            broken = true;
            warn(`plugin '${plugin}': decoder ${name}.${what} threw: ${String(e)}; disabled`);
            throw e;
          }
        }
        : undefined;
    const guarded: SyscallDecoder = {
      enter: wrap(dec.enter, "enter") as SyscallDecoder["enter"],
      exit: wrap(dec.exit, "exit") as SyscallDecoder["exit"],
      result: wrap(dec.result, "result"),
    };
    out[name] = guarded;
  }
  return out;
}

/** Wraps a sniffer so that a throw disables it. */
export function guardSniffer(
  plugin: string,
  s: StreamSniffer,
  warn: (msg: string) => void,
): StreamSniffer {
  let broken = false;
  const fail = (e: unknown, what: string) => {
    if (!broken) {
      warn(`plugin '${plugin}': sniffer ${s.name} ${what} threw: ${String(e)}; disabled`);
    }
    broken = true;
  };
  return {
    name: s.name,
    detect(info: StreamInfo, dir: Direction, first: Uint8Array): boolean | undefined {
      if (broken) return false;
      try {
        return s.detect(info, dir, first);
      } catch (e) {
        fail(e, "detect");
        return false;
      }
    },
    create(info: StreamInfo): StreamParser {
      const p = s.create(info);
      return {
        push(dir: Direction, bytes: Uint8Array): ProtoMessage[] {
          if (broken) return [];
          try {
            return p.push(dir, bytes);
          } catch (e) {
            fail(e, "push");
            return [];
          }
        },
      };
    },
  };
}
