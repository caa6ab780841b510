/**
 * The live view's helper Worker. The tracing loop keeps the main thread busy or blocked in
 * `waitpid`, so the main isolate's timers only run when the loop yields. This worker (whose event
 * loop is idle) wakes the loop once a second with SIGUSR2 sent to the main thread (`tgkill`; the
 * main thread handles SIGUSR2 without SA_RESTART, so a blocked `waitpid` returns EINTR and the
 * loop yields), and reads the keyboard: on `q` (or Ctrl-C in raw mode) it sets the shared flag
 * and wakes the loop at once.
 *
 * Protocol: the main thread posts an `Int32Array` over a SharedArrayBuffer, `[quit, stop]`; the
 * worker stops ticking when `stop` is set.
 * @module
 */

/// <reference lib="deno.worker" />

const SIGUSR2 = 12n;
const NR_TGKILL = 234n;

const libc = Deno.dlopen("libc.so.6", {
  syscall: { parameters: ["i64", "i64", "i64", "i64"], result: "i64" },
  getpid: { parameters: [], result: "i32" },
}).symbols;
const pid = BigInt(libc.getpid());

function wake(): void {
  libc.syscall(NR_TGKILL, pid, pid, SIGUSR2);
}

self.onmessage = async (e: MessageEvent<{ shared: Int32Array; keys: boolean }>) => {
  const { shared, keys } = e.data;
  const timer = setInterval(() => {
    if (Atomics.load(shared, 1)) clearInterval(timer);
    else wake();
  }, 1000);
  if (!keys) return;
  const buf = new Uint8Array(64);
  for (;;) {
    let n: number | null;
    try {
      n = await Deno.stdin.read(buf);
    } catch {
      return;
    }
    if (n === null) return;
    for (let i = 0; i < n; i++) {
      const c = buf[i];
      if (c === 0x71 || c === 0x51 || c === 3) { // q, Q, Ctrl-C (raw mode)
        Atomics.store(shared, 0, c === 3 ? 2 : 1);
        wake();
      }
    }
  }
};
