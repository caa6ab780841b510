/**
 * `--proto`: builds the protocol tap from the built-in sniffers and the plugins' ones.
 * @module
 */

import type { StreamSniffer } from "../decoders/api.ts";
import type { Options } from "./options.ts";
import type { StreamTap } from "./streams.ts";

/** Creates the tap for `--proto[=list]`. */
export function makeTap(_o: Options, _extra: StreamSniffer[]): Promise<StreamTap | undefined> {
  return Promise.resolve(undefined);
}
