/**
 * A private nginx serving HTTPS on a free loopback port, with a self-signed certificate made by
 * `openssl req`, for the TLS tests (never the shared e2e servers). Started and stopped by the test.
 * @module
 */
import { freePort } from "./own_nginx.ts";
import { childPids, readPid, sleep } from "./servers.ts";

/** A running private HTTPS nginx. */
export interface TlsNginx {
  /** Its directory (config, certificate, logs). */
  dir: string;
  /** Its port on 127.0.0.1. */
  port: number;
  /** `https://127.0.0.1:PORT`. */
  base: string;
  /** The master's pid. */
  master: number;
  /** The workers' pids. */
  workers: number[];
  /** Stops it (QUIT, then KILL) and removes its directory. */
  stop(): Promise<void>;
}

/** Whether nginx and openssl are installed. */
export function haveTlsTools(): boolean {
  try {
    for (const p of ["/usr/sbin/nginx", "/usr/bin/openssl"]) Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Runs `cmd args`; returns its stdout and stderr, or throws with them when it fails. */
export async function run(cmd: string, args: string[]): Promise<string> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")}: ${out}`);
  return out;
}

/** Writes a self-signed certificate for `cn` (two days) to `dir/cert.pem`, its key to `dir/key.pem`. */
export async function selfSignedCert(dir: string, cn: string): Promise<void> {
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${dir}/key.pem`,
    "-out",
    `${dir}/cert.pem`,
    "-days",
    "2",
    "-subj",
    `/CN=${cn}`,
  ]);
}

/** Starts nginx with `workers` worker processes; `/` answers `hello tls`, `/post` `posted`. */
export async function startTlsNginx(workers = 2): Promise<TlsNginx> {
  const dir = await Deno.makeTempDir({ prefix: "sctrace-tls-" });
  await selfSignedCert(dir, "127.0.0.1");
  await Deno.mkdir(`${dir}/tmp`);
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    `worker_processes ${workers};
daemon on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    location / { return 200 "hello tls\\n"; }
    location /post { client_body_buffer_size 1m; return 200 "posted\\n"; }
  }
}
`,
  );
  await run("nginx", ["-c", `${dir}/nginx.conf`, "-p", dir, "-e", `${dir}/error.log`]);
  let master = 0;
  let pids: number[] = [];
  for (let i = 0; i < 200; i++) {
    master = await readPid(`${dir}/nginx.pid`).catch(() => 0);
    if (master) pids = await childPids(master);
    if (pids.length === workers) break;
    await sleep(25);
  }
  if (pids.length !== workers) throw new Error(`nginx in ${dir} did not start its workers`);
  return {
    dir,
    port,
    base: `https://127.0.0.1:${port}`,
    master,
    workers: pids,
    async stop() {
      try {
        Deno.kill(master, "SIGQUIT");
        for (let i = 0; i < 200; i++) {
          await Deno.stat(`/proc/${master}`);
          await sleep(25);
        }
        Deno.kill(master, "SIGKILL");
      } catch {
        // gone
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Runs curl -k with `args`; returns its stdout. */
export async function curlK(args: string[]): Promise<string> {
  const r = await new Deno.Command("curl", {
    args: ["-sk", "--no-progress-meter", ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(r.stdout);
}
