/**
 * The built-in protocol sniffers: HTTP/1.x, FastCGI, MySQL/MariaDB, PostgreSQL and Redis.
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
import { createPostgresSniffer } from "./postgres.ts";
import { createRedisSniffer } from "./redis.ts";
import type { SnifferOptions } from "./reassembly.ts";

export type { SnifferOptions } from "./reassembly.ts";
export {
  createFastCgiSniffer,
  createHttpSniffer,
  createMysqlSniffer,
  createPostgresSniffer,
  createRedisSniffer,
};

/** Creates the built-in sniffers with the given options (`maxText`: longest SQL/header text). */
export function createBuiltinSniffers(opts: SnifferOptions = {}): StreamSniffer[] {
  // Order matters only for detection by first bytes; the shapes do not overlap (PostgreSQL's
  // startup packet starts with a 0 byte, RESP with one of `*$+-:…`, MySQL's greeting has
  // sequence id 0 and protocol 10, HTTP a method, FastCGI version 1).
  return [
    createHttpSniffer(opts),
    createFastCgiSniffer(opts),
    createMysqlSniffer(opts),
    createPostgresSniffer(opts),
    createRedisSniffer(opts),
  ];
}

/** The built-in sniffers with default options. */
export const builtinSniffers: StreamSniffer[] = createBuiltinSniffers();
