/**
 * The built-in decoders, merged by syscall name, and the public face of `decoders/`.
 * @module
 */
import type { DecoderTable } from "./api.ts";
import { decoders as fs } from "./fs.ts";
import { decoders as net } from "./net.ts";
import { decoders as mm } from "./mm.ts";
import { decoders as epoll } from "./epoll.ts";
import { decoders as process } from "./process.ts";
import { decoders as signal } from "./signal.ts";
import { decoders as time } from "./time.ts";
import { decoders as ipc } from "./ipc.ts";
import { decoders as misc } from "./misc.ts";
import { decoders as typed } from "./typed.ts";

export type * from "./api.ts";

/** Every built-in syscall decoder, by the decoder name the syscall table gives. */
export const builtinDecoders: DecoderTable = {
  ...typed,
  ...misc,
  ...time,
  ...ipc,
  ...mm,
  ...epoll,
  ...signal,
  ...process,
  ...net,
  ...fs,
};
