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
import { decoders as admin } from "./admin.ts";
import { decoders as mount } from "./mount.ts";
import { decoders as landlock } from "./landlock.ts";
import { decoders as sched } from "./sched.ts";
import { decoders as ioUring } from "./io_uring.ts";
import { decoders as ldt } from "./ldt.ts";
import { decoders as vm } from "./vm.ts";
import { decoders as fsExtra } from "./fs_extra.ts";
import { decoders as aio } from "./aio.ts";
import { decoders as keyctl } from "./keyctl.ts";
import { decoders as quota } from "./quota.ts";
import { decoders as perf } from "./perf.ts";
import { decoders as bpf } from "./bpf.ts";

import { decoders as typed } from "./typed.ts";

export type * from "./api.ts";

/** Every built-in syscall decoder, by the decoder name the syscall table gives. */
export const builtinDecoders: DecoderTable = {
  ...typed,
  ...misc,
  ...admin,
  ...mount,
  ...landlock,
  ...sched,
  ...ioUring,
  ...ldt,
  ...vm,
  ...fsExtra,
  ...aio,
  ...keyctl,
  ...quota,
  ...perf,
  ...bpf,
  ...time,
  ...ipc,
  ...mm,
  ...epoll,
  ...signal,
  ...process,
  ...net,
  ...fs,
};
