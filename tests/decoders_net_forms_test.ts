/**
 * Differential test of the function-like forms inside socket addresses and options, whose
 * strings strace quotes as any other string (`-xx` prints `inet_addr("\x31\x32…")`): IPv4 and
 * IPv6 addresses (link-local with a scope, v4-mapped), unix paths (named and abstract), and the
 * multicast requests of `setsockopt`, under every option set of the family tests and `-x`/`-xx`.
 * @module
 */
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";

const SYSCALLS = ["connect", "setsockopt"];

for (
  const opts of [...OPTION_SETS, ["-x"], ["-xx"], ["-X", "verbose", "-xx"], ["-X", "raw", "-xx"]]
) {
  Deno.test(`socket address forms match strace: ${opts.join(" ") || "(defaults)"}`, async () => {
    // The forms are also compared before normalisation (it would rewrite their strings), except
    // where the line holds inode numbers (-y) or no structs at all (verbose=none).
    const raw = !opts.includes("-y") && !opts.includes("verbose=none");
    await sameTrace(
      "net_addr_forms",
      SYSCALLS,
      opts,
      7,
      raw ? /inet_|if_nametoindex|sun_path/ : undefined,
    );
  });
}
