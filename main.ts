/**
 * sctrace: strace, rebuilt in TypeScript on Deno.
 *
 * ```sh
 * deno run -A main.ts ./helloasm
 * ```
 * @module
 */
import { main } from "./core/cli/main.ts";

if (import.meta.main) {
  const code = await main(Deno.args);
  Deno.exit(code);
}
