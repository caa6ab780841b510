/**
 * Loading user plugins (`--plugin FILE`): TypeScript modules whose default export is a
 * {@linkcode Plugin}. A plugin that fails to load is named in a one-line error and skipped.
 * @module
 */

import type { DecoderTable, Plugin, StreamSniffer } from "../decoders/api.ts";
import { guardDecoders, guardSniffer } from "./guard.ts";

/** What the plugins add. */
export interface LoadedPlugins {
  /** Decoders by syscall name (later plugins win). */
  decoders: DecoderTable;
  /** Sniffers, in load order. */
  sniffers: StreamSniffer[];
  /** Names of the plugins that loaded. */
  names: string[];
}

/** Imports each plugin file; reports failures through `warn`. */
export async function loadPlugins(
  files: readonly string[],
  warn: (msg: string) => void,
): Promise<LoadedPlugins> {
  const out: LoadedPlugins = { decoders: {}, sniffers: [], names: [] };
  for (const file of files) {
    let url: string;
    try {
      url = new URL(file, `file://${Deno.cwd()}/`).href;
    } catch {
      warn(`plugin '${file}': bad path`);
      continue;
    }
    let plugin: Plugin;
    try {
      const mod = await import(url);
      plugin = mod.default as Plugin;
      if (!plugin || typeof plugin !== "object" || typeof plugin.name !== "string") {
        throw new Error("its default export is not a plugin object with a name");
      }
    } catch (e) {
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
      warn(`plugin '${file}' failed to load: ${why}; disabled`);
      continue;
    }
    out.names.push(plugin.name);
    if (plugin.decoders) {
      Object.assign(out.decoders, guardDecoders(plugin.name, plugin.decoders, warn));
    }
    for (const s of plugin.sniffers ?? []) out.sniffers.push(guardSniffer(plugin.name, s, warn));
  }
  return out;
}
