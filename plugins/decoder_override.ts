/**
 * An example sctrace plugin that replaces a built-in syscall decoder: `write(2)` to the standard
 * descriptors gets a comment naming them.
 *
 * ```sh
 * $ sctrace --plugin ./plugins/decoder_override.ts -e trace=write echo hi
 * write(1 /* stdout *\/, "hi\n", 3)            = 3
 * ```
 *
 * Writes to other descriptors are left to the built-in decoder (`api.builtin.write`), so they
 * print exactly as before. The decoder keys are syscall (decoder) names; a plugin's decoder
 * replaces the built-in one for every syscall that uses that name (`write` only: `pwrite64` and
 * `writev` have their own).
 *
 * This file imports types only and gets its helpers from the `api` argument, so it needs nothing
 * at run time.
 * @module
 */

import type { Args, Plugin, PluginApi, SyscallCall, SyscallDecoder } from "./mod.ts";

/** Names of the standard descriptors. */
const STD_NAMES: Record<number, string> = { 0: "stdin", 1: "stdout", 2: "stderr" };

/** Creates the annotating `write` decoder over the api's helpers. */
export function annotatedWrite(api: PluginApi): SyscallDecoder {
  const builtin = api.builtin.write;
  return {
    enter(c: SyscallCall): Args {
      const fd = c.args.i(0);
      const name = STD_NAMES[fd];
      if (name === undefined) return builtin?.enter ? builtin.enter(c) : "";
      // Same text as strace's, with the comment after the descriptor.
      const count = c.args.u(2);
      return `${api.fd(c, fd)} /* ${name} */, ${api.strn(c, c.args.u(1), count)}, ${count}`;
    },
  };
}

/** The plugin: `--plugin ./plugins/decoder_override.ts`. */
export default function decoderOverride(api: PluginApi): Plugin {
  return { name: "std-write-comments", decoders: { write: annotatedWrite(api) } };
}
