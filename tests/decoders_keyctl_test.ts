/**
 * Differential tests of keyctl (decoders/keyctl.ts) and add_key/request_key (decoders/admin.ts):
 * `tests/fixtures/keyctl_calls.c` creates a key in its own keyring and runs the keyctl commands
 * on it with good and hostile arguments; strace 6.1 and sctrace must print the same lines under
 * each option set. Key serial numbers differ between runs, so they (and the padding before
 * ` = `, whose width depends on them) are normalised.
 */
import assert, { ok } from "node:assert/strict";
import { decoders } from "../decoders/keyctl.ts";
import { entryText, toJson } from "../decoders/value.ts";
import { fakeCall } from "./helpers/fake_call.ts";
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

Deno.test("keyctl gives typed values: serials are named, permissions are flags", () => {
  const e = decoders.keyctl.enter!(fakeCall({ args: [5, -4, 0x3f010000] }));
  assert.ok(typeof e !== "string");
  assert.equal(
    entryText(e, true),
    "KEYCTL_SETPERM, KEY_SPEC_USER_KEYRING, KEY_POS_VIEW|KEY_POS_READ|KEY_POS_WRITE|KEY_POS_SEARCH|KEY_POS_LINK|KEY_POS_SETATTR|KEY_USR_VIEW",
  );
  assert.deepEqual(e.map((v) => v.kind), ["enum", "enum", "flags"]);
  assert.deepEqual(toJson(e[1]), "KEY_SPEC_USER_KEYRING");
  // KEYCTL_READ prints its buffer at exit: the entry is followed by `, `.
  const r = decoders.keyctl.enter!(fakeCall({ args: [0xb, 123, 0x1000, 10] }));
  assert.equal(entryText(r, true), "KEYCTL_READ, 123, ");
});
