/**
 * TLS decoding cost (`deno run -A bench/tls.ts [--runs N] [--requests N]`): a C OpenSSL client
 * (tests/fixtures/tls_threads.c, one thread, keep-alive) makes N HTTPS requests on one connection
 * to a private nginx on loopback, untraced, under `sctrace -f --proto --no-tls`, and under
 * `sctrace -f --proto` (breakpoints on SSL_read/SSL_write). Each request is one `SSL_write` and
 * one `SSL_read` (the response is one TLS record); the extra cost of a hooked call is the
 * difference between the two traced runs over 2N. Runs alternate; medians. Nothing asserts on time.
 * @module
 */

import { startTlsNginx } from "../tests/helpers/tls_nginx.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const arg = (name: string, dflt: number) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) || dflt : dflt;
};
const runs = arg("--runs", 5);
const requests = arg("--requests", 2000);
const dir = await Deno.makeTempDir();
const prog = `${dir}/tls_threads`;
const cc = await new Deno.Command("gcc", {
  args: ["-O1", "-pthread", "-o", prog, `${ROOT}tests/fixtures/tls_threads.c`, "-lssl", "-lcrypto"],
}).output();
if (!cc.success) throw new Error("gcc failed (libssl-dev?)");

const nginx = await startTlsNginx(1);
const client = [prog, String(nginx.port), "1", String(requests), "keepalive"];
const sctrace = [Deno.execPath(), "run", "-A", `${ROOT}main.ts`, "-f", "-e", "trace=none"];
const modes: Record<string, string[]> = {
  "untraced": client,
  "sctrace --proto --no-tls": [...sctrace, "--proto", "--no-tls", "-o", "/dev/null", ...client],
  "sctrace --proto (tls)": [...sctrace, "--proto", "-o", "/dev/null", ...client],
};
const wall: Record<string, number[]> = {};
try {
  for (let r = 0; r < runs; r++) {
    for (const [name, argv] of Object.entries(modes)) {
      const t0 = performance.now();
      const out = await new Deno.Command(argv[0], { args: argv.slice(1), stdout: "piped" })
        .output();
      const ms = performance.now() - t0;
      const text = new TextDecoder().decode(out.stdout);
      if (!text.startsWith(`${requests} of ${requests}`)) throw new Error(`${name}: ${text}`);
      (wall[name] ??= []).push(ms);
    }
  }
} finally {
  await nginx.stop();
  await Deno.remove(dir, { recursive: true });
}
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(
  `${requests} keep-alive HTTPS requests (${2 * requests} SSL calls), ${runs} runs, medians`,
);
for (const [name, w] of Object.entries(wall)) {
  console.log(`${name.padEnd(28)} ${median(w).toFixed(0).padStart(7)} ms`);
}
const extra = median(wall["sctrace --proto (tls)"]) - median(wall["sctrace --proto --no-tls"]);
console.log(`extra per hooked SSL call: ${(extra * 1000 / (2 * requests)).toFixed(1)} µs`);
