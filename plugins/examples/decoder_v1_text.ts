/**
 * Example: a **v1 (text) decoder**, the form plugins written before API v2 use (still accepted).
 * `close` gets a comment naming the standard descriptors; other descriptors print as before:
 *
 * ```sh
 * $ sctrace --plugin ./plugins/examples/decoder_v1_text.ts -e trace=close sh -c 'exec 2>&-'
 * close(2 /* stderr *\/)                   = 0
 * ```
 *
 * A v1 hook returns the text between the parentheses, with its own `, ` separators. The core wraps
 * it as one raw value, so `--json` shows that text rather than typed arguments: prefer v2
 * ({@link ./decoder_v2_typed.ts}) for new plugins.
 * @module
 */

import type { PluginApi, PluginV2 } from "../mod.ts";

const STD: Record<number, string> = { 0: "stdin", 1: "stdout", 2: "stderr" };

/** The plugin: `--plugin ./plugins/examples/decoder_v1_text.ts`. */
export default function closeComments(api: PluginApi): PluginV2 {
  return {
    name: "close-comments",
    decoders: {
      close: {
        enter(c): string {
          const fd = c.args.i(0);
          const name = STD[fd];
          return name === undefined ? api.fd(c, fd) : `${api.fd(c, fd)} /* ${name} */`;
        },
      },
    },
  };
}
