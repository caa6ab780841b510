/**
 * Differential tests of prctl's decoder (decoders/process.ts): `tests/fixtures/prctl_calls.c`
 * calls a broad set of `PR_*` options with good and hostile arguments (unknown options and
 * sub-options, unmapped pointers, strings at the end of a page); strace 6.1 and sctrace must
 * print the same lines under each option set. Results x86_64 cannot produce (SVE/SME vector
 * lengths, tagged-address control, set secure bits) are checked against strace's code on
 * synthetic calls.
 */
import assert, { ok } from "node:assert/strict";
import { decoders } from "../decoders/process.ts";
import type { XlatStyle } from "../decoders/api.ts";
import { fakeCall } from "./helpers/fake_call.ts";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

for (const opts of [...OPTION_SETS, ["-v"]]) {
  Deno.test(`prctl matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("prctl_calls", ["prctl"], opts, 100);
    for (const s of ["PR_CAP_AMBIENT", "PR_SCHED_CORE", "PR_SET_TAGGED_ADDR_CTRL", "PR_GET_NAME"]) {
      if (!opts.includes("raw")) ok(got.some((l) => l.includes(s)), `no ${s} line`);
    }
  });
}

/** The result text of prctl(op, a2) returning `ret`, under `style`. */
function result(op: number, a2: number, ret: number, style: XlatStyle = "abbrev"): string {
  const r = decoders.prctl.result!(
    fakeCall({ args: [op, a2, 0, 0, 0], ret, opts: { xlat: style } }),
  );
  return typeof r === "string" ? r : r?.text ?? String(ret);
}

Deno.test("prctl results strace decorates: hex with the names, as sprintflags' aux mode", () => {
  const PR_GET_SECUREBITS = 27, PR_SVE_GET_VL = 51, PR_GET_TAGGED_ADDR_CTRL = 56;
  const PR_GET_SPECULATION_CTRL = 52, PR_SME_GET_VL = 64, PR_GET_FP_MODE = 46;
  assert.equal(
    result(PR_GET_SECUREBITS, 0, 0x12f),
    "0x12f (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED|SECBIT_NO_SETUID_FIXUP|SECBIT_NO_SETUID_FIXUP_LOCKED|SECBIT_KEEP_CAPS_LOCKED|0x100)",
  );
  assert.equal(result(PR_GET_SECUREBITS, 0, 0x12f, "raw"), "0x12f");
  assert.equal(result(PR_GET_SECUREBITS, 0, 0x100), "0x100");
  assert.equal(result(PR_GET_SECUREBITS, 0, 0), "0");
  assert.equal(result(PR_GET_FP_MODE, 0, 3, "verbose"), "0x3 (PR_FP_MODE_FR|PR_FP_MODE_FRE)");
  assert.equal(result(PR_SVE_GET_VL, 0, 0x20020), "0x20020 (PR_SVE_VL_INHERIT|0x20)");
  assert.equal(result(PR_SVE_GET_VL, 0, 0x20020, "verbose"), "0x20020 (PR_SVE_VL_INHERIT|0x20)");
  assert.equal(result(PR_SVE_GET_VL, 0, 0x20, "abbrev"), "0x20");
  assert.equal(result(PR_SME_GET_VL, 0, 0x40010), "0x40010 (PR_SME_SET_VL_ONEXEC|0x10)");
  assert.equal(
    result(PR_GET_TAGGED_ADDR_CTRL, 0, 0x7ffff),
    "0x7ffff (PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_MASK|0xffff<<PR_MTE_TAG_SHIFT)",
  );
  assert.equal(result(PR_GET_TAGGED_ADDR_CTRL, 0, 0), "0 (!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)");
  assert.equal(result(PR_GET_TAGGED_ADDR_CTRL, 0, 3, "raw"), "0x3");
  assert.equal(result(PR_GET_SPECULATION_CTRL, 0, 0), "0 (PR_SPEC_NOT_AFFECTED)");
  assert.equal(result(PR_GET_SPECULATION_CTRL, 1, 0x9, "raw"), "0x9");
  assert.equal(result(PR_GET_SPECULATION_CTRL, 7, 3), "3");
});
