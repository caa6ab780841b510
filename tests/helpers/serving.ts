/**
 * The check that ends every end-to-end test tracing the servers: they keep serving.
 * @module
 */
import { assert, assertEquals } from "./assert.ts";
import { childPids, curl, procStatus, readPid, type ServersEnv } from "./servers.ts";

/** The servers keep serving after a test: nobody traces them, none is stopped, the page answers. */
export async function assertServersServe(env: ServersEnv): Promise<void> {
  const nginx = await readPid(env.nginx_pid_file);
  const fpm = await readPid(env.fpm_pid_file);
  const maria = await readPid(env.mariadb_pid_file);
  const pids = [nginx, ...await childPids(nginx), fpm, ...await childPids(fpm), maria];
  for (const p of pids) {
    const st = await procStatus(p).catch(() => null);
    if (!st) continue; // a worker recycled meanwhile
    assertEquals(st.tracerPid, 0, `pid ${p} still traced`);
    assert(st.state !== "t" && st.state !== "T", `pid ${p} left stopped (${st.state})`);
  }
  const r = await curl(env.url);
  assertEquals(r.status, 200);
  assert(r.body.includes(env.post_content), r.body);
}
