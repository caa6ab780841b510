/**
 * A connection's two ends as text, and which side the traced process is on, for the protocol
 * sniffers and observers (`StreamInfo.local/peer/role`).
 *
 * The role: on TCP, the side whose local port some socket of the process's network namespace
 * listens on is the server (`/proc/PID/net/tcp{,6}`, state LISTEN), the other the client (when
 * neither listens here, an ephemeral local port makes it the client); on a
 * unix socket, the accepted end (which carries the listener's path) is the server, the end without
 * a path whose peer has one is the client. Unknown otherwise.
 * @module
 */

import type { SocketEndpoints } from "./socket_info.ts";

/** `addr:port`, with brackets around IPv6 addresses. */
function inetText(e: { addr: string; port: number }): string {
  return e.addr.includes(":") ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

/** The TCP ports listened on in a network namespace, and when they were read (ms). */
const listening = new Map<string, { at: number; ports: Set<number> }>();

/** How long a namespace's listening ports are trusted before a miss reads them again (ms). */
const LISTEN_TTL_MS = 100;

/** Reads the TCP ports listened on in `pid`'s network namespace. */
function readListening(pid: number): Set<number> {
  const ports = new Set<number>();
  for (const file of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = Deno.readTextFileSync(`/proc/${pid}/net/${file}`);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== "0A" || !f[1]) continue;
      ports.add(parseInt(f[1].slice(f[1].lastIndexOf(":") + 1), 16));
    }
  }
  return ports;
}

/**
 * Whether a TCP socket in `pid`'s network namespace listens on `port`. The namespace's listening
 * ports are cached: a busy server's accepted connections hit the cache, and misses (a client's
 * ephemeral ports) read `/proc/PID/net/tcp{,6}` again at most every 100 ms. A listener started
 * less than that after the last read may be missed for its first connections.
 */
export function listensOn(pid: number, port: number): boolean {
  let ns: string;
  try {
    ns = Deno.readLinkSync(`/proc/${pid}/ns/net`);
  } catch {
    ns = `pid:${pid}`;
  }
  const now = performance.now();
  let hit = listening.get(ns);
  if (hit?.ports.has(port)) return true;
  if (!hit || now - hit.at > LISTEN_TTL_MS) {
    hit = { at: now, ports: readListening(pid) };
    listening.set(ns, hit);
  }
  return hit.ports.has(port);
}

/** Forgets the cached listening ports (for tests). */
export function clearListenCache(): void {
  listening.clear();
}

let portRange: [number, number] | undefined;

/** Whether `port` is in the kernel's ephemeral range (`ip_local_port_range`). */
function ephemeral(port: number): boolean {
  if (!portRange) {
    portRange = [32768, 60999];
    try {
      const [lo, hi] = Deno.readTextFileSync("/proc/sys/net/ipv4/ip_local_port_range").trim()
        .split(/\s+/).map(Number);
      if (lo > 0 && hi >= lo) portRange = [lo, hi];
    } catch {
      // the default range
    }
  }
  return port >= portRange[0] && port <= portRange[1];
}

/** The role of this end of a TCP connection with local port `local` and remote port `remote`. */
function tcpRole(pid: number, local: number, remote: number): "client" | "server" | undefined {
  if (listensOn(pid, local)) return "server";
  if (listensOn(pid, remote)) return "client";
  // Neither end listens here: an ephemeral local port is a client's.
  return ephemeral(local) ? "client" : undefined;
}

/** The endpoint fields of a stream's info. */
export interface EndpointFields {
  /** This end, as text. */
  local?: string;
  /** The other end, as text. */
  peer?: string;
  /** Which side the process is on. */
  role?: "client" | "server";
}

/**
 * Sets `local`, `peer` and `role` on `info` from a socket's endpoints (and its unix peer's path,
 * if any). A TCP socket's `role` is worked out when first read (it reads `/proc`), so streams
 * nobody asks about cost nothing.
 */
export function addEndpoints(
  info: EndpointFields,
  pid: number,
  ends: SocketEndpoints,
  peerPath?: string,
): void {
  if (ends.local) {
    info.local = inetText(ends.local);
    if (!ends.remote) return;
    info.peer = inetText(ends.remote);
    if (!/^TCP/.test(ends.proto)) return;
    const [local, remote] = [ends.local.port, ends.remote.port];
    let role: "client" | "server" | undefined | null = null;
    Object.defineProperty(info, "role", {
      enumerable: true,
      configurable: true,
      get: () => role === null ? (role = tcpRole(pid, local, remote)) : role,
    });
    return;
  }
  if (ends.unixPath) info.local = ends.unixPath;
  if (ends.peer !== undefined) {
    if (ends.unixPath) info.role = "server";
    else if (peerPath) {
      info.peer = peerPath;
      info.role = "client";
    }
  }
}

/** The ends and role of a socket, as plain values (see {@linkcode addEndpoints}). */
export function endpointInfo(
  pid: number,
  ends: SocketEndpoints,
  peerPath?: string,
): EndpointFields {
  const info: EndpointFields = {};
  addEndpoints(info, pid, ends, peerPath);
  const out: EndpointFields = { ...info };
  if (out.role === undefined) delete out.role;
  return out;
}
