/**
 * Path helpers, behind one module so a later switch to `@std/path` touches one file.
 * Uses Deno's built-in `node:url` and `node:path`.
 * @module
 */
import { fileURLToPath } from "node:url";
export { basename, dirname, join } from "node:path";

/** Converts a `file:` URL to a path (a trailing slash is kept). */
export function fromFileUrl(url: URL | string): string {
  const s = fileURLToPath(url);
  return String(url).endsWith("/") && !s.endsWith("/") ? s + "/" : s;
}
