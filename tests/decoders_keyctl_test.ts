/**
 * Differential tests of keyctl (decoders/keyctl.ts) and add_key/request_key (decoders/admin.ts):
 * `tests/fixtures/keyctl_calls.c` creates a key in its own keyring and runs the keyctl commands
 * on it with good and hostile arguments; strace 6.1 and sctrace must print the same lines under
 * each option set. Key serial numbers differ between runs, so they (and the padding before
 * ` = `, whose width depends on them) are normalised.
 */
import { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["add_key", "request_key", "keyctl"];

/** Serial numbers are random positive `int`s (5 to 10 digits in practice). */
function serials(l: string): string {
  return l.replace(/\b\d{5,10}\b/g, "SERIAL").replace(/\) +=/, ") =");
}

for (const opts of OPTION_SETS) {
  Deno.test(`keyctl family matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("keyctl_calls", SYSCALLS, opts, 25, undefined, serials);
    for (const s of ["add_key", "keyctl"]) ok(got.some((l) => l.startsWith(s + "(")), `no ${s}`);
    ok(got.some((l) => /^keyctl\((KEYCTL_DESCRIBE|0x6\b).*, SERIAL, "/.test(l)), got.join("\n"));
  });
}
