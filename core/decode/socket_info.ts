/**
 * `-yy` socket details, as strace 6.1 prints them inside `<…>`: `TCP:[127.0.0.1:80->127.0.0.1:3339]`,
 * `TCPv6:[[::1]:80]`, `UNIX-STREAM:[12345->12346]`, `UNIX-STREAM:[12345,"/path"]`,
 * `NETLINK:[ROUTE:1234]`, or `PROTO:[inode]` when the socket is not (yet) known to the kernel's
 * tables.
 *
 * Like strace, the protocol comes from the `system.sockprotoname` extended attribute of the
 * descriptor and the endpoints from a `NETLINK_SOCK_DIAG` query (through libc with
 * `Deno.dlopen`); when netlink is unavailable, `/proc/PID/net/{tcp,tcp6,udp,udp6,unix}` is read
 * instead (without unix peers). Found details are cached by inode, as strace does.
 * @module
 */

const AF_INET = 2;
const AF_INET6 = 10;
const AF_UNIX = 1;
const AF_NETLINK = 16;
const SOCK_DIAG_BY_FAMILY = 20;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 1;
const NLM_F_DUMP = 0x300;

/** One end of an inet socket. */
export interface InetEndpoint {
  /** The address as text (`127.0.0.1`, `::1`). */
  addr: string;
  /** The port. */
  port: number;
}

/** What {@linkcode socketEndpoints} knows of a socket. */
export interface SocketEndpoints {
  /** strace's protocol name: `TCP`, `UDPv6`, `UNIX-STREAM`, `NETLINK`, … */
  proto: string;
  /** The local end of an inet socket. */
  local?: InetEndpoint;
  /** The remote end of a connected inet socket. */
  remote?: InetEndpoint;
  /** The bound path of a unix socket (`@name` for abstract ones). */
  unixPath?: string;
  /** The peer inode of a connected unix socket. */
  peer?: number;
}

interface Found {
  detail: string;
  ends: SocketEndpoints;
}

/** Protocol name → family and IP protocol for the inet_diag query (strace's `protocols[]`). */
const PROTOCOLS: Record<string, [number, number]> = {
  "UNIX": [AF_UNIX, 0],
  "UNIX-STREAM": [AF_UNIX, 0],
  "TCP": [AF_INET, 6],
  "UDP": [AF_INET, 17],
  "UDPLITE": [AF_INET, 136],
  "DCCP": [AF_INET, 33],
  "SCTP": [AF_INET, 132],
  "L2TP/IP": [AF_INET, 115],
  "PING": [AF_INET, 1],
  "RAW": [AF_INET, 255],
  "TCPv6": [AF_INET6, 6],
  "UDPv6": [AF_INET6, 17],
  "UDPLITEv6": [AF_INET6, 136],
  "DCCPv6": [AF_INET6, 33],
  "SCTPv6": [AF_INET6, 132],
  "L2TP/IPv6": [AF_INET6, 115],
  "PINGv6": [AF_INET6, 1],
  "RAWv6": [AF_INET6, 255],
  "NETLINK": [AF_NETLINK, 0],
};

const NETLINK_NAMES = [
  "ROUTE",
  "UNUSED",
  "USERSOCK",
  "FIREWALL",
  "SOCK_DIAG",
  "NFLOG",
  "XFRM",
  "SELINUX",
  "ISCSI",
  "AUDIT",
  "FIB_LOOKUP",
  "CONNECTOR",
  "NETFILTER",
  "IP6_FW",
  "DNRTMSG",
  "KOBJECT_UEVENT",
  "GENERIC",
  undefined,
  "SCSITRANSPORT",
  "ECRYPTFS",
  "RDMA",
  "CRYPTO",
  "SMC",
];

// strace's cache: 1024 slots indexed by the low bits of the inode.
const cache = new Map<number, { inode: number; found: Found }>();

function remember(inode: number, found: Found): Found {
  cache.set(inode & 1023, { inode, found });
  return found;
}

function cached(inode: number): Found | undefined {
  const e = cache.get(inode & 1023);
  return e && e.inode === inode ? e.found : undefined;
}

/** Set when a sock_diag socket cannot be opened: use /proc/net instead. */
let diagBroken = false;

// ---------------------------------------------------------------------------------------------
// libc

const libcSymbols = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  getxattr: { parameters: ["buffer", "buffer", "buffer", "usize"], result: "isize" },
} as const;

let lib: Deno.DynamicLibrary<typeof libcSymbols> | null | undefined;

function libc(): Deno.DynamicLibrary<typeof libcSymbols>["symbols"] | undefined {
  if (lib === undefined) {
    try {
      lib = Deno.dlopen("libc.so.6", libcSymbols);
    } catch {
      lib = null;
    }
  }
  return lib ? lib.symbols : undefined;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function cstr(s: string): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(s.length * 3 + 1);
  b.set(enc.encode(s));
  return b;
}

/** The `system.sockprotoname` of a descriptor (`TCP`, `UNIX-STREAM`, …). */
function sockProtoName(pid: number, fd: number): string | undefined {
  const l = libc();
  if (!l) return undefined;
  const buf = new Uint8Array(64);
  const n = Number(
    l.getxattr(cstr(`/proc/${pid}/fd/${fd}`), cstr("system.sockprotoname"), buf, 63n),
  );
  if (n <= 0) return undefined;
  let end = buf.indexOf(0);
  if (end < 0 || end > n) end = n;
  return dec.decode(buf.subarray(0, end));
}

/** Finds a descriptor of `pid` that refers to socket `inode`. */
function fdOfInode(pid: number, inode: number): number | undefined {
  const want = `socket:[${inode}]`;
  try {
    for (const e of Deno.readDirSync(`/proc/${pid}/fd`)) {
      try {
        if (Deno.readLinkSync(`/proc/${pid}/fd/${e.name}`) === want) return Number(e.name);
      } catch { /* raced */ }
    }
  } catch { /* gone */ }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Formatting

function ipv4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

function ipv6(b: Uint8Array, off: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) best = -1;
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (best !== -1 && i >= best && i < best + bestLen) {
      if (i === best) s += ":";
      continue;
    }
    if (i) s += ":";
    if (i === 6 && best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      return s + ipv4(b, off + 12);
    }
    s += w[i].toString(16);
  }
  if (best !== -1 && best + bestLen === 8) s += ":";
  return s;
}

function inetDetail(
  proto: string,
  v6: boolean,
  local: InetEndpoint,
  remote?: InetEndpoint,
): string {
  const o = v6 ? "[" : "", c = v6 ? "]" : "";
  const l = `${o}${local.addr}${c}:${local.port}`;
  return remote ? `${proto}:[${l}->${o}${remote.addr}${c}:${remote.port}]` : `${proto}:[${l}]`;
}

/** Quotes a unix path as strace's `string_quote` does, without the quotes. */
function quote(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) {
    const ch = b[i];
    if (ch === 0) break;
    if (ch === 0x22) s += '\\"';
    else if (ch === 0x5c) s += "\\\\";
    else if (ch >= 0x20 && ch < 0x7f) s += String.fromCharCode(ch);
    else if (ch === 10) s += "\\n";
    else if (ch === 9) s += "\\t";
    else if (ch === 13) s += "\\r";
    else if (ch === 12) s += "\\f";
    else if (ch === 11) s += "\\v";
    else {
      const next = b[i + 1] ?? 0;
      if (next >= 0x30 && next <= 0x37) s += "\\" + ch.toString(8).padStart(3, "0");
      else s += "\\" + ch.toString(8);
    }
  }
  return s;
}

function unixDetail(proto: string, inode: number, peer: number, path?: Uint8Array): string {
  let s = `${proto}:[${inode}`;
  if (peer) s += `->${peer}`;
  if (path && path.length) {
    s += path[0] === 0 ? `,@"${quote(path.subarray(1))}"` : `,"${quote(path)}"`;
  }
  return s + "]";
}

// ---------------------------------------------------------------------------------------------
// NETLINK_SOCK_DIAG

/** Sends one request on a fresh sock_diag socket and returns all the messages of the reply. */
function diagQuery(req: Uint8Array<ArrayBuffer>): { type: number; data: Uint8Array }[] | undefined {
  const l = libc();
  if (!l) {
    diagBroken = true;
    return undefined;
  }
  const fd = l.socket(AF_NETLINK, 3 | 0x80000, 4); // SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG
  if (fd < 0) {
    diagBroken = true;
    return undefined;
  }
  const out: { type: number; data: Uint8Array }[] = [];
  try {
    if (Number(l.send(fd, req, BigInt(req.length), 0)) < 0) return undefined;
    const buf = new Uint8Array(32768);
    for (let rounds = 0; rounds < 100000; rounds++) {
      const n = Number(l.recv(fd, buf, BigInt(buf.length), rounds ? 0x40 : 0)); // MSG_DONTWAIT later
      if (n <= 0) return out;
      const dv = new DataView(buf.buffer, 0, n);
      let off = 0;
      while (off + 16 <= n) {
        const len = dv.getUint32(off, true);
        const type = dv.getUint16(off + 4, true);
        if (len < 16 || off + len > n) return out;
        if (type === NLMSG_DONE || type === NLMSG_ERROR) return out;
        out.push({ type, data: buf.slice(off + 16, off + len) });
        off += (len + 3) & ~3;
      }
    }
    return out;
  } finally {
    l.close(fd);
  }
}

function header(len: number, flags: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, len, true);
  dv.setUint16(4, SOCK_DIAG_BY_FAMILY, true);
  dv.setUint16(6, flags, true);
  return b;
}

function inetLookup(
  proto: string,
  family: number,
  ipproto: number,
  inode: number,
): Found | undefined {
  const req = header(16 + 56, NLM_F_REQUEST | NLM_F_DUMP);
  req[16] = family;
  req[17] = ipproto;
  new DataView(req.buffer).setUint32(20, 0xffffffff, true); // idiag_states
  const msgs = diagQuery(req);
  if (!msgs) return undefined;
  for (const m of msgs) {
    const d = m.data;
    if (m.type !== SOCK_DIAG_BY_FAMILY || d.length < 72) continue;
    const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
    if (dv.getUint32(68, true) !== inode) continue;
    const v6 = d[0] === AF_INET6;
    if (d[0] !== AF_INET && !v6) return undefined;
    const text = v6 ? ipv6 : ipv4;
    const local = { addr: text(d, 8), port: dv.getUint16(4, false) };
    const dport = dv.getUint16(6, false);
    const dstZero = d.subarray(24, v6 ? 40 : 28).every((x) => x === 0);
    const remote = dport || !dstZero ? { addr: text(d, 24), port: dport } : undefined;
    return {
      detail: inetDetail(proto, v6, local, remote),
      ends: { proto, local, remote },
    };
  }
  return undefined;
}

function unixLookup(proto: string, inode: number): Found | undefined {
  const req = header(16 + 24, NLM_F_REQUEST);
  const dv = new DataView(req.buffer);
  req[16] = AF_UNIX;
  dv.setUint32(20, 0xffffffff, true); // udiag_states
  dv.setUint32(24, inode, true);
  dv.setUint32(28, 1 | 4, true); // UDIAG_SHOW_NAME | UDIAG_SHOW_PEER
  dv.setUint32(32, 0xffffffff, true);
  dv.setUint32(36, 0xffffffff, true);
  const msgs = diagQuery(req);
  if (!msgs) return undefined;
  for (const m of msgs) {
    const d = m.data;
    if (m.type !== SOCK_DIAG_BY_FAMILY || d.length < 16) continue;
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    if (v.getUint32(4, true) !== inode) continue;
    if (d[0] !== AF_UNIX) return undefined;
    let peer = 0;
    let path: Uint8Array | undefined;
    let off = 16;
    while (off + 4 <= d.length) {
      const len = v.getUint16(off, true);
      const type = v.getUint16(off + 2, true);
      if (len < 4 || off + len > d.length) break;
      const payload = d.subarray(off + 4, off + len);
      if (type === 0 && !path) path = payload.subarray(0, Math.min(payload.length, 108));
      else if (type === 2 && payload.length >= 4) {
        peer = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
      }
      off += (len + 3) & ~3;
    }
    if (!peer && !(path && path.length)) return undefined;
    let unixPath: string | undefined;
    if (path && path.length) {
      unixPath = path[0] === 0 ? "@" + dec.decode(path.subarray(1)) : dec.decode(
        path.subarray(0, path.indexOf(0) < 0 ? path.length : path.indexOf(0)),
      );
    }
    return {
      detail: unixDetail(proto, inode, peer, path),
      ends: { proto, unixPath, peer: peer || undefined },
    };
  }
  return undefined;
}

function netlinkLookup(proto: string, inode: number): Found | undefined {
  const req = header(16 + 20, NLM_F_REQUEST | NLM_F_DUMP);
  req[16] = AF_NETLINK;
  req[17] = 255; // NDIAG_PROTO_ALL
  const msgs = diagQuery(req);
  if (!msgs) return undefined;
  for (const m of msgs) {
    const d = m.data;
    if (m.type !== SOCK_DIAG_BY_FAMILY || d.length < 24) continue;
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    if (v.getUint32(16, true) !== inode) continue;
    if (d[0] !== AF_NETLINK) return undefined;
    const name = NETLINK_NAMES[d[2]];
    const portid = v.getUint32(4, true);
    return {
      detail: name ? `${proto}:[${name}:${portid}]` : `${proto}:[${d[2]}]`,
      ends: { proto },
    };
  }
  return undefined;
}

function lookup(proto: string, inode: number): Found | undefined {
  const p = PROTOCOLS[proto];
  if (!p) return undefined;
  if (p[0] === AF_UNIX) return unixLookup(proto, inode);
  if (p[0] === AF_NETLINK) return netlinkLookup(proto, inode);
  return inetLookup(proto, p[0], p[1], inode);
}

// ---------------------------------------------------------------------------------------------
// /proc/net fallback

function hexAddr(h: string): string {
  const b = new Uint8Array(h.length / 2);
  // /proc/net prints each 32-bit word in host (little-endian) order.
  for (let w = 0; w < b.length / 4; w++) {
    for (let i = 0; i < 4; i++) {
      b[w * 4 + i] = parseInt(h.substr(w * 8 + (3 - i) * 2, 2), 16);
    }
  }
  return b.length === 4 ? ipv4(b, 0) : ipv6(b, 0);
}

function procLookup(pid: number, proto: string, inode: number): Found | undefined {
  const files: Record<string, string> = {
    "TCP": "tcp",
    "TCPv6": "tcp6",
    "UDP": "udp",
    "UDPv6": "udp6",
    "UNIX": "unix",
    "UNIX-STREAM": "unix",
  };
  const file = files[proto];
  if (!file) return undefined;
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/net/${file}`);
  } catch {
    return undefined;
  }
  const want = String(inode);
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (file === "unix") {
      if (f[6] !== want) continue;
      if (f.length < 8) return undefined;
      const path = f.slice(7).join(" ");
      const bytes = path.startsWith("@")
        ? Uint8Array.of(0, ...enc.encode(path.slice(1)))
        : enc.encode(path);
      return { detail: unixDetail(proto, inode, 0, bytes), ends: { proto, unixPath: path } };
    }
    if (f[9] !== want) continue;
    const [la, lp] = f[1].split(":");
    const [ra, rp] = f[2].split(":");
    const v6 = la.length === 32;
    const local = { addr: hexAddr(la), port: parseInt(lp, 16) };
    const rport = parseInt(rp, 16);
    const remote = rport || /[^0]/.test(ra) ? { addr: hexAddr(ra), port: rport } : undefined;
    return { detail: inetDetail(proto, v6, local, remote), ends: { proto, local, remote } };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function resolve(pid: number, inode: number, fd?: number): Found | { proto?: string } {
  const hit = cached(inode);
  if (hit) return hit;
  const fdNum = fd ?? fdOfInode(pid, inode);
  const proto = fdNum === undefined ? undefined : sockProtoName(pid, fdNum);
  let found: Found | undefined;
  if (proto !== undefined && PROTOCOLS[proto]) {
    found = lookup(proto, inode);
    if (!found && diagBroken) found = procLookup(pid, proto, inode);
  } else {
    for (const name of Object.keys(PROTOCOLS)) {
      found = lookup(name, inode);
      if (found) break;
    }
  }
  if (found) return remember(inode, found);
  return { proto };
}

/**
 * The `-yy` text of socket `inode` of process `pid` (`TCP:[127.0.0.1:80->127.0.0.1:3339]`), or
 * `PROTO:[inode]` when only the protocol is known, or `undefined` (print the `socket:[…]` path).
 * `fd`, when given, is a descriptor of `pid` for the socket (saves a scan of `/proc/PID/fd`).
 */
export function socketDetail(pid: number, inode: number, fd?: number): string | undefined {
  try {
    const r = resolve(pid, inode, fd);
    if ("detail" in r) return r.detail;
    return r.proto && PROTOCOLS[r.proto] ? `${r.proto}:[${inode}]` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The endpoints of socket `inode` of process `pid`, for the protocol sniffers: protocol name,
 * local and remote inet ends, unix path. `undefined` when nothing is known.
 */
export function socketEndpoints(
  pid: number,
  inode: number,
  fd?: number,
): SocketEndpoints | undefined {
  try {
    const r = resolve(pid, inode, fd);
    if ("detail" in r) return { ...r.ends };
    return r.proto ? { proto: r.proto } : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets every cached detail (for tests). */
export function clearSocketCache(): void {
  cache.clear();
}
