/**
 * The public face of `ffi/`: libc bindings, ptrace wrappers, tracee memory, spawning.
 * @module
 */
export * from "./constants.ts";
export { cString, errno, libc } from "./libc.ts";
export * as ptrace from "./ptrace.ts";
export { TraceeMemory } from "./memory.ts";
export { type SpawnRequest, spawnStopped } from "./spawn.ts";
export { clearRestart } from "./signals.ts";
