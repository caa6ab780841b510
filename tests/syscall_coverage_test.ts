/**
 * Every x86_64 syscall in decoders/syscall_table.ts has a decoder, unless it is listed below with
 * the reason strace 6.1 prints it raw too (or the reason it is not decoded yet).
 */
import assert from "node:assert/strict";
import { SYSCALLS } from "../decoders/syscall_table.ts";
import { builtinDecoders } from "../decoders/mod.ts";

/**
 * Syscalls strace 6.1 prints raw too (its `printargs`: every argument in hex), so no decoder is
 * the right decoder. Checked by running each under Debian's strace 6.1.
 */
const RAW: Readonly<Record<string, string>> = {
  // strace 6.1 maps these to printargs (obsolete or never-implemented entry points).
  sysfs: "printargs in strace 6.1",
  create_module: "removed in Linux 2.6; printargs",
  get_kernel_syms: "removed in Linux 2.6; printargs",
  query_module: "removed in Linux 2.6; printargs",
  nfsservctl: "removed in Linux 3.1; printargs",
  getpmsg: "never implemented; printargs",
  putpmsg: "never implemented; printargs",
  afs_syscall: "never implemented; printargs",
  tuxcall: "never implemented; printargs",
  security: "never implemented; printargs",
  epoll_ctl_old: "never implemented; printargs",
  epoll_wait_old: "never implemented; printargs",
  vserver: "never implemented; printargs",
  // No arguments: `vhangup()` is all there is to print.
  vhangup: "no arguments",
  rseq_slice_yield: "no arguments",
  uretprobe: "no arguments; unknown to strace 6.1",
  // The core prints `<... resuming interrupted NAME ...>` itself.
  restart_syscall: "printed by the tracer core",
  // Newer than strace 6.1's table (which ends at 450): strace prints `syscall_0x…` with raw args.
  cachestat: "unknown to strace 6.1",
  fchmodat2: "unknown to strace 6.1",
  map_shadow_stack: "unknown to strace 6.1",
  futex_wake: "unknown to strace 6.1",
  futex_wait: "unknown to strace 6.1",
  futex_requeue: "unknown to strace 6.1",
  statmount: "unknown to strace 6.1",
  listmount: "unknown to strace 6.1",
  lsm_get_self_attr: "unknown to strace 6.1",
  lsm_set_self_attr: "unknown to strace 6.1",
  lsm_list_modules: "unknown to strace 6.1",
  mseal: "unknown to strace 6.1",
  setxattrat: "unknown to strace 6.1",
  getxattrat: "unknown to strace 6.1",
  listxattrat: "unknown to strace 6.1",
  removexattrat: "unknown to strace 6.1",
  open_tree_attr: "unknown to strace 6.1",
  file_getattr: "unknown to strace 6.1",
  file_setattr: "unknown to strace 6.1",
  listns: "unknown to strace 6.1",
};

/**
 * Syscalls strace 6.1 decodes that sctrace does not decode yet (printed raw): known gaps of
 * issue 14. Shrink this list; the test fails when an entry gains a decoder and is not removed.
 */
const PENDING: readonly string[] = [];

Deno.test("every syscall has a decoder or a commented raw entry", () => {
  const missing: string[] = [];
  for (const [, name, , , decoder] of SYSCALLS) {
    const has = builtinDecoders[decoder ?? name] !== undefined;
    if (!has && !(name in RAW) && !PENDING.includes(name)) missing.push(name);
  }
  assert.deepEqual(missing, [], `syscalls without a decoder or a raw entry: ${missing.join(" ")}`);
});

Deno.test("raw and pending entries name real syscalls without a decoder", () => {
  const names = new Set(SYSCALLS.map((r) => r[1]));
  for (const name of [...Object.keys(RAW), ...PENDING]) {
    assert.ok(names.has(name), `${name} is not in the syscall table`);
    assert.equal(builtinDecoders[name], undefined, `${name} has a decoder: remove its entry`);
  }
});

Deno.test("coverage count", () => {
  const decoded = SYSCALLS.filter(([, n, , , d]) => builtinDecoders[d ?? n] !== undefined).length;
  // Printed for the record (`deno test` shows it with --trace-leaks off): rows decoded / total.
  console.log(
    `decoded ${decoded} of ${SYSCALLS.length} rows; raw ${Object.keys(RAW).length}; ` +
      `pending ${PENDING.length}`,
  );
  assert.equal(decoded + Object.keys(RAW).length + PENDING.length, SYSCALLS.length);
});
