/**
 * Loading user plugins (`--plugin FILE[:key=val,...]`): modules whose default export is a
 * {@linkcode PluginV2} object or a factory `(api) => PluginV2` that receives the helpers of
 * `plugins/mod.ts` (with the plugin's options). A plugin that fails to load is named in a one-line
 * error and skipped; tracing goes on. A bad plugin option is fatal (`LoadedPlugins.error`, exit 1).
 * Decoders and sniffers of the plugins that load are wrapped by `guard.ts`; observers are listed
 * for `observer.ts`'s {@linkcode observersOf}.
 * @module
 */

import type { DecoderTable, StreamSniffer, SyscallDecoder } from "../../decoders/api.ts";
import { builtinDecoders } from "../../decoders/mod.ts";
import { declaredOptions, makeApi, type PluginApi, type PluginV2 } from "../../plugins/mod.ts";
import { guardDecoders, guardSniffer } from "./guard.ts";
import type { LoadedObserver } from "./observer.ts";
import { parsePluginArg, PluginOptionError, type PluginSpec } from "./options.ts";
import { PluginReports } from "./reports.ts";

export { attachObservers, observersOf, pluginBusError } from "./observer.ts";
export { PluginReports } from "./reports.ts";

/** What the plugins add. */
export interface LoadedPlugins {
  /** Decoders by syscall name (later plugins win). */
  decoders: DecoderTable;
  /** Sniffers, in load order. */
  sniffers: StreamSniffer[];
  /** Names of the plugins that loaded. */
  names: string[];
  /** Observers, in load order (see {@linkcode observersOf}). */
  observers: LoadedObserver[];
  /** Decoder failures held until their line is complete (with `deferReports`). */
  reports: PluginReports;
  /** A bad plugin option: the one-line message sctrace exits with (status 1). */
  error?: string;
}

/** The first line of an error, for one-line messages. */
export function firstLine(e: unknown): string {
  let s: string;
  try {
    s = e instanceof Error ? `${e.name === "Error" ? "" : e.name + ": "}${e.message}` : String(e);
  } catch {
    s = "unprintable error";
  }
  const line = s.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  const short = line.length > 300 ? line.slice(0, 300) + "..." : line;
  return short.replace(/\.$/, "");
}

/** What {@linkcode checkPlugin} needs to know about the process. */
export interface PluginCheckContext {
  /** Our effective uid: the file checks apply when it is 0. */
  euid: number;
  /** Users whose files may be loaded besides root: the invoking user. */
  trusted: number[];
  /** `--plugin-insecure`: skip the file checks (remote addresses stay refused). */
  insecure: boolean;
}

/** The context of this process: `euid`, and the invoking user (the real uid, `SUDO_UID`). */
export function pluginCheckContext(insecure: boolean, euid: number): PluginCheckContext {
  const trusted = [Deno.uid() ?? 0];
  const sudo = Number(Deno.env.get("SUDO_UID") ?? NaN);
  if (Number.isInteger(sudo) && sudo >= 0) trusted.push(sudo);
  return { euid, trusted, insecure };
}

/**
 * Refuses a plugin that is not safe to run: a remote address (`http:`, `https:`, or any scheme
 * but `file:`: it would run code nobody checked), and, when we run as root, a file that another
 * user could change: the file, or a directory above it (of its path as given and of its real
 * path), writable by group or others (a directory with the sticky bit, like /tmp, is safe for
 * files the attacker does not own), or owned by a user other than root or the invoking user.
 * Returns the one-line reason, or undefined when it may be loaded (a file that does not exist is
 * left to the loader to report).
 */
export function checkPlugin(arg: string, ctx: PluginCheckContext): string | undefined {
  const file = parsePluginArg(arg).file;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(file)?.[1]?.toLowerCase();
  if (scheme && scheme !== "file") {
    return `plugin '${file}': remote plugins are refused (${scheme}: addresses run unchecked ` +
      "code); download it, check it, and give its file";
  }
  if (ctx.euid !== 0 || ctx.insecure) return undefined;
  const hint = " (--plugin-insecure loads it anyway)";
  let path = scheme ? new URL(file).pathname : file;
  if (!path.startsWith("/")) path = `${Deno.cwd()}/${path}`;
  let real: string;
  try {
    real = Deno.realPathSync(path);
  } catch {
    return undefined;
  }
  const owners = [0, ...ctx.trusted];
  const check = (p: string, isFile: boolean): string | undefined => {
    let st: Deno.FileInfo;
    try {
      st = isFile ? Deno.statSync(p) : Deno.lstatSync(p);
    } catch {
      return undefined;
    }
    if (st.isSymlink) return undefined; // its target is checked through the real path
    const mode = st.mode ?? 0;
    const what = isFile ? "it" : `directory ${p}`;
    if (!owners.includes(st.uid ?? -1)) {
      return `plugin '${file}': ${what} is owned by uid ${st.uid}, not root or you${hint}`;
    }
    const sticky = !isFile && (mode & 0o1000) !== 0;
    if ((mode & 0o022) && !sticky) {
      const who = mode & 0o002 ? "others" : "its group";
      return `plugin '${file}': ${what} is writable by ${who}${hint}`;
    }
    return undefined;
  };
  for (const target of new Set([path, real])) {
    const fileWhy = check(target, true);
    if (fileWhy) return fileWhy;
    const parts = target.split("/").filter((x) => x !== "");
    for (let i = parts.length - 1; i >= 0; i--) {
      const why = check("/" + parts.slice(0, i).join("/"), false);
      if (why) return why;
    }
  }
  return undefined;
}

/** Whether this process is a `deno compile`d binary (its main module lives in the embedded VFS). */
function isCompiled(): boolean {
  try {
    return /\/deno-compile-[^/]+\//.test(Deno.mainModule);
  } catch {
    return false;
  }
}

/** Checks a plugin's shape; returns why it is unusable, or undefined when it is fine. */
function badShape(p: unknown): string | undefined {
  if (!p || typeof p !== "object") {
    return "its default export is not a plugin object (or a function returning one)";
  }
  const plugin = p as Partial<PluginV2>;
  if (typeof plugin.name !== "string" || plugin.name === "") return "the plugin has no name";
  if (plugin.decoders !== undefined) {
    if (!plugin.decoders || typeof plugin.decoders !== "object") return "decoders is not an object";
    for (const [k, d] of Object.entries(plugin.decoders)) {
      if (!d || typeof d !== "object") return `decoder ${k} is not an object`;
      for (const hook of ["enter", "exit", "result"] as const) {
        const fn = (d as SyscallDecoder)[hook];
        if (fn !== undefined && typeof fn !== "function") {
          return `decoder ${k}.${hook} is not a function`;
        }
      }
    }
  }
  if (plugin.sniffers !== undefined) {
    if (!Array.isArray(plugin.sniffers)) return "sniffers is not an array";
    for (const s of plugin.sniffers as unknown[]) {
      const sn = s as Partial<StreamSniffer> | null;
      if (
        !sn || typeof sn !== "object" || typeof sn.name !== "string" ||
        typeof sn.detect !== "function" || typeof sn.create !== "function"
      ) {
        return "a sniffer lacks name, detect() or create()";
      }
    }
  }
  if (plugin.observe !== undefined) {
    const o = plugin.observe as Partial<PluginV2["observe"] & object> | null;
    if (!o || typeof o !== "object" || typeof o.event !== "function") {
      return "observe lacks event()";
    }
    if (o.finish !== undefined && typeof o.finish !== "function") {
      return "observe.finish is not a function";
    }
    if (
      o.types !== undefined &&
      (!Array.isArray(o.types) || o.types.some((t) => typeof t !== "string"))
    ) {
      return "observe.types is not an array of event type names";
    }
  }
  return undefined;
}

/**
 * Imports one plugin file and resolves its default export to a plugin (or throws; a
 * {@linkcode PluginOptionError} for a bad option).
 */
async function importPlugin(spec: PluginSpec): Promise<PluginV2> {
  const file = spec.file;
  const url = new URL(file, `file://${Deno.cwd()}/`).href;
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    const why = firstLine(e);
    if (isCompiled() && /Module not found|not found/i.test(why)) {
      throw new Error(
        `${why} (a compiled sctrace cannot import files from disk, see denoland/deno#18327: ` +
          `run it as \`deno run -A main.ts --plugin FILE\` from a checkout)`,
      );
    }
    throw e;
  }
  let value: unknown = mod.default;
  if (value === undefined) throw new Error("it has no default export");
  const api = makeApi(file, spec.options);
  if (typeof value === "function") value = await (value as (a: PluginApi) => unknown)(api);
  if (spec.hasOptions && !declaredOptions(api)) {
    const keys = Object.keys(spec.options).map((k) => `'${k}'`).join(", ");
    throw new PluginOptionError(`plugin '${file}': unknown option ${keys} (it takes no options)`);
  }
  const bad = badShape(value);
  if (bad) throw new Error(bad);
  return value as PluginV2;
}

/**
 * Imports each plugin file (`FILE[:key=val,...]`); reports failures through `warn` (one line
 * each) and goes on; a bad option stops loading (`error` set). A decoder that throws while
 * tracing is reported through `warn` too, unless `deferReports` is set: then the report is held in
 * `reports`, whose bus entry prints it after the syscall line it happened in (on the event bus).
 * Decoders of later plugins replace those of earlier ones; a disabled plugin decoder falls back to
 * the built-in one of the same name.
 */
export async function loadPlugins(
  files: readonly string[],
  warn: (msg: string) => void,
  opts: { deferReports?: boolean } = {},
): Promise<LoadedPlugins> {
  const reports = new PluginReports();
  const out: LoadedPlugins = { decoders: {}, sniffers: [], names: [], observers: [], reports };
  const runtimeWarn = opts.deferReports ? (m: string) => reports.push(m) : warn;
  for (const arg of files) {
    const spec = parsePluginArg(arg);
    let plugin: PluginV2;
    try {
      plugin = await importPlugin(spec);
    } catch (e) {
      if (e instanceof PluginOptionError) {
        out.error = e.message;
        return out;
      }
      warn(`plugin '${spec.file}' failed to load: ${firstLine(e)}; skipped`);
      continue;
    }
    out.names.push(plugin.name);
    if (plugin.decoders) {
      const fallback: DecoderTable = { ...builtinDecoders, ...out.decoders };
      Object.assign(
        out.decoders,
        guardDecoders(plugin.name, plugin.decoders, runtimeWarn, fallback),
      );
    }
    for (const s of plugin.sniffers ?? []) out.sniffers.push(guardSniffer(plugin.name, s, warn));
    if (plugin.observe) {
      out.observers.push({ plugin: plugin.name, options: spec.options, observer: plugin.observe });
    }
  }
  return out;
}
