/**
 * Plugin options: `--plugin FILE:key=val,key2=val2` splits into the file and its options, and a
 * plugin declares the keys it knows (with defaults that give their types) through
 * {@linkcode declareOptions}; a key it does not know, or a value of the wrong type, is a one-line
 * error naming the plugin (sctrace then exits with 1, as for a bad option).
 * @module
 */

/** A `--plugin` argument, split. */
export interface PluginSpec {
  /** The file (or `file:` address) to import. */
  readonly file: string;
  /** The options given after it, in order (a repeated key: the last wins). */
  readonly options: Readonly<Record<string, string>>;
  /** Whether any option was given. */
  readonly hasOptions: boolean;
}

/** A bad plugin option: sctrace prints the message and exits with 1. */
export class PluginOptionError extends Error {}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Parses `key=val,key2=val2` (values may hold `=` and `:`, not `,`); undefined when it is not that. */
function parseList(s: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const item of s.split(",")) {
    const eq = item.indexOf("=");
    if (eq <= 0 || !KEY.test(item.slice(0, eq))) return undefined;
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Whether `path` names an existing file (then a `:` in it is part of the name). */
function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits `--plugin`'s argument at the first `:` after which comes a `key=val[,key=val]...` list
 * (so `file:///x.ts:top=5` and `p.ts:addr=127.0.0.1:80` split where they should). An argument that
 * names an existing file is a file, options or not.
 *
 * @example
 * ```ts
 * import { parsePluginArg } from "./options.ts";
 * parsePluginArg("plugins/examples/bytes_per_endpoint.ts:top=5").options; // { top: "5" }
 * ```
 */
export function parsePluginArg(arg: string): PluginSpec {
  if (!exists(arg)) {
    for (let i = arg.indexOf(":"); i > 0; i = arg.indexOf(":", i + 1)) {
      const options = parseList(arg.slice(i + 1));
      if (options) return { file: arg.slice(0, i), options, hasOptions: true };
    }
  }
  return { file: arg, options: {}, hasOptions: false };
}

/** The types an option may have, given by its default. */
export type OptionValue = string | number | boolean;

/** The options a plugin declared, typed by their defaults. */
export type DeclaredOptions<T extends Record<string, OptionValue>> = {
  -readonly [K in keyof T]: T[K] extends number ? number
    : T[K] extends boolean ? boolean
    : string;
};

const TRUE = new Set(["1", "true", "yes", "on", ""]);
const FALSE = new Set(["0", "false", "no", "off"]);

/**
 * The options `given` to plugin `plugin`, checked against the keys of `defaults` (whose values
 * give each key's type and default): an unknown key or a value that is not of its type throws a
 * {@linkcode PluginOptionError} naming the plugin, the key and the known keys.
 */
export function declareOptions<T extends Record<string, OptionValue>>(
  plugin: string,
  given: Readonly<Record<string, string>>,
  defaults: T,
): DeclaredOptions<T> {
  const out = { ...defaults } as Record<string, OptionValue>;
  const known = Object.keys(defaults);
  for (const [key, raw] of Object.entries(given)) {
    if (!Object.hasOwn(defaults, key)) {
      const list = known.length ? `known: ${known.join(", ")}` : "it takes no options";
      throw new PluginOptionError(`plugin '${plugin}': unknown option '${key}' (${list})`);
    }
    const d = defaults[key];
    if (typeof d === "number") {
      const n = raw.trim() === "" ? NaN : Number(raw);
      if (!Number.isFinite(n)) {
        throw new PluginOptionError(`plugin '${plugin}': option '${key}' wants a number: '${raw}'`);
      }
      out[key] = n;
    } else if (typeof d === "boolean") {
      const low = raw.toLowerCase();
      if (!TRUE.has(low) && !FALSE.has(low)) {
        throw new PluginOptionError(
          `plugin '${plugin}': option '${key}' wants yes or no: '${raw}'`,
        );
      }
      out[key] = TRUE.has(low);
    } else out[key] = raw;
  }
  return out as DeclaredOptions<T>;
}
