/**
 * A tiny Worker that makes SIGINT/SIGTERM/SIGHUP/SIGQUIT reach the tracing loop.
 *
 * The loop keeps the main thread busy or blocked in `waitpid`, so the main isolate's own signal
 * listeners only run when the loop yields. A process-directed signal may land on any of Deno's
 * threads, and may come while the loop is busy and just about to block. This worker's event loop
 * is idle, so its listener runs at once: it records the signal in shared memory (which the loop
 * checks before every blocking wait) and sends SIGUSR2 to the main thread (tid = pid) with
 * `tgkill`, again every 50 ms until the loop acknowledges, so that a blocked `waitpid` returns
 * EINTR (the main thread handles SIGUSR2 without SA_RESTART).
 *
 * Protocol: the main thread posts an `Int32Array` over a SharedArrayBuffer, `[signal, ack]`; the
 * worker answers "ready" once its listeners are installed.
 * @module
 */

/// <reference lib="deno.worker" />

const SIGUSR2 = 12n;
const NR_TGKILL = 234n;
const NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGQUIT: 3 } as const;

const libc = Deno.dlopen("libc.so.6", {
  syscall: { parameters: ["i64", "i64", "i64", "i64"], result: "i64" },
  getpid: { parameters: [], result: "i32" },
}).symbols;
const pid = BigInt(libc.getpid());

self.onmessage = (e: MessageEvent<Int32Array>) => {
  const shared = e.data;
  for (const name of Object.keys(NUMBERS) as (keyof typeof NUMBERS)[]) {
    Deno.addSignalListener(name, async () => {
      Atomics.compareExchange(shared, 0, 0, NUMBERS[name]);
      for (let i = 0; i < 200 && Atomics.load(shared, 1) === 0; i++) {
        libc.syscall(NR_TGKILL, pid, pid, SIGUSR2);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  }
  self.postMessage("ready");
};
