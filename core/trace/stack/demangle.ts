/**
 * C++ and Rust symbol demangling for `-k`, as strace's `cplus_demangle(name, DMGL_AUTO |
 * DMGL_PARAMS)` prints names: `_ZSt19__throw_ios_failurePKci` → `std::__throw_ios_failure(char
 * const*, int)`, Rust legacy names without their hash.
 *
 * The demangler is the npm package `gecko-profiler-demangle` (the Firefox profiler's WebAssembly
 * build of the `cpp_demangle` and `rustc-demangle` crates), loaded the first time a mangled name
 * is met. If it cannot be loaded, names stay mangled.
 * @module
 */

let demangler: ((name: string) => string) | null | undefined;

/**
 * The package, as a specifier computed at run time: it is not part of the static module graph,
 * so a run without `-k` never resolves or downloads it (`tools/compile.ts` embeds it with
 * `--include`).
 */
export const DEMANGLER_PACKAGE = "npm:gecko-profiler-demangle@0.4.0";

/** Loads the demangler (once); call before {@linkcode demangle} when a name may need it. */
export async function loadDemangler(): Promise<void> {
  if (demangler !== undefined) return;
  try {
    const specifier = String(DEMANGLER_PACKAGE);
    const mod = await import(specifier);
    demangler = mod.demangle_any as (name: string) => string;
  } catch {
    demangler = null;
  }
}

/** Whether `name` looks mangled (Itanium C++ `_Z…`, Rust v0 `_R…`). */
export function isMangled(name: string): boolean {
  return name.startsWith("_Z") || name.startsWith("_R");
}

/** The demangled name, or `name` itself when it is not mangled or cannot be demangled. */
export function demangle(name: string): string {
  if (!demangler || !isMangled(name)) return name;
  try {
    return demangler(name);
  } catch {
    return name;
  }
}
