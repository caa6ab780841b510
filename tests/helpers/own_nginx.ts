/**
 * A test's own nginx on loopback: a free port, and the configuration every such nginx starts with
 * (one process, no master, its pid, logs and temporary files in the test's directory).
 * @module
 */

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * An nginx.conf for a test's own nginx in `dir`: the common preamble, then `http` (the rest of the
 * `http { … }` block: settings and `server` blocks).
 */
export function nginxConf(dir: string, workerConnections: number, http: string): string {
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${workerConnections}; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${http}}
`;
}
