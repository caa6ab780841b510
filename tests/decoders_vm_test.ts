/**
 * Differential tests of decoders/vm.ts and decoders/ldt.ts: `tests/fixtures/vm_calls.c` makes
 * `process_vm_readv`/`process_vm_writev`, `move_pages`, `kexec_load`/`kexec_file_load` (always
 * rejected by the kernel) and `modify_ldt`/`set_thread_area`/`get_thread_area` calls with good
 * and hostile arguments; strace 6.1 and sctrace must print the same lines under each option set.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = [
  "process_vm_readv",
  "process_vm_writev",
  "move_pages",
  "kexec_load",
  "kexec_file_load",
  "modify_ldt",
  "set_thread_area",
  "get_thread_area",
];

for (const opts of OPTION_SETS) {
  Deno.test(`vm, kexec and ldt families match strace: ${opts.join(" ") || "defaults"}`, async () => {
    // `base_addr=0x001234` looks like an address to the normaliser: compare those lines as is.
    const got = await sameTrace(
      "vm_calls",
      SYSCALLS,
      opts,
      20,
      !opts.includes("verbose=none") ? /^modify_ldt\(0, \{/ : undefined,
    );
    for (const s of SYSCALLS) ok(got.some((l) => l.startsWith(s + "(")), `no ${s} line`);
  });
}
