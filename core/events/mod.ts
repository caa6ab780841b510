/**
 * The event model's public face: the events every stop produces (see `types.ts`).
 * @module
 */
export type * from "./types.ts";
export { EventBus } from "./bus.ts";
export type { BusEntry } from "./bus.ts";
export { eventToJson } from "./json.ts";
