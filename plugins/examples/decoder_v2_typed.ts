/**
 * Example: a **v2 (typed) decoder**. `mkdir` and `mkdirat` print as strace prints them, plus the
 * mode in `ls` form as a comment:
 *
 * ```sh
 * $ sctrace --plugin ./plugins/examples/decoder_v2_typed.ts -e trace=mkdir mkdir -m 750 /tmp/d
 * mkdir("/tmp/d", 0750 /* rwxr-x--- *\/)  = 0
 * ```
 *
 * Each hook returns one typed value per argument (`api.pathV`, `api.V.octal`…): the text printer
 * joins their `text`s with `, `, and `--json` prints their payloads (the path as a string, the mode
 * as a number), with no parsing of text. Types only are imported: the helpers come from `api`.
 * @module
 */

import type { PluginApi, PluginV2, SyscallCall, Value } from "../mod.ts";

/** `rwxr-x---` for the low nine bits of a mode. */
export function modeText(mode: number): string {
  let s = "";
  for (let i = 8; i >= 0; i--) s += mode & (1 << i) ? "rwx"[(8 - i) % 3] : "-";
  return s;
}

/** The plugin: `--plugin ./plugins/examples/decoder_v2_typed.ts`. */
export default function typedMkdir(api: PluginApi): PluginV2 {
  const mode = (c: SyscallCall, n: number): Value => {
    const m = c.args.u(n);
    return api.V.comment(api.V.octal(m), modeText(m & 0o777));
  };
  return {
    name: "typed-mkdir",
    decoders: {
      mkdir: { enter: (c) => [api.pathV(c, c.args.u(0)), mode(c, 1)] },
      mkdirat: {
        enter: (c) => [api.dirfdV(c, c.args.i(0)), api.pathV(c, c.args.u(1)), mode(c, 2)],
      },
    },
  };
}
