/**
 * The built-in protocol sniffers: HTTP/1.x, FastCGI and MySQL/MariaDB.
 *
 * @example
 * ```ts
 * import { builtinSniffers, createBuiltinSniffers } from "./mod.ts";
 * const sniffers = createBuiltinSniffers({ maxText: 256 }); // or builtinSniffers
 * ```
 * @module
 */

import type { StreamSniffer } from "../api.ts";
import { createFastCgiSniffer } from "./fastcgi.ts";
import { createHttpSniffer } from "./http.ts";
import { createMysqlSniffer } from "./mysql.ts";
import type { SnifferOptions } from "./reassembly.ts";

export type { SnifferOptions } from "./reassembly.ts";
export { createFastCgiSniffer, createHttpSniffer, createMysqlSniffer };

/** Creates the built-in sniffers with the given options (`maxText`: longest SQL/header text). */
export function createBuiltinSniffers(opts: SnifferOptions = {}): StreamSniffer[] {
  // Order matters only for detection by first bytes; the three shapes do not overlap.
  return [createHttpSniffer(opts), createFastCgiSniffer(opts), createMysqlSniffer(opts)];
}

/** The built-in sniffers with default options. */
export const builtinSniffers: StreamSniffer[] = createBuiltinSniffers();
