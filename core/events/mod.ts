/**
 * The event model's public face: the events every stop produces (see `types.ts`).
 * @module
 */
export type * from "./types.ts";
