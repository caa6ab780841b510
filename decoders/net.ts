/**
 * Decoders for the net family of syscalls (sockets), printing exactly as strace 6.1 does:
 * `socket`, `socketpair`, `bind`, `connect`, `listen`, `accept`, `accept4`, `getsockname`,
 * `getpeername`, `shutdown`, `sendto`, `recvfrom`, `sendmsg`, `recvmsg`, `sendmmsg`,
 * `recvmmsg`, `setsockopt` and `getsockopt`.
 *
 * Also exports the socket address printer ({@linkcode sockaddrText}) and parser
 * ({@linkcode parseSockaddr}) for the core's `-yy` and the protocol sniffers.
 *
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import {
  failed,
  fd,
  hex,
  iovecArray,
  noDeref,
  ptrText,
  quoteBytes,
  strn,
  timespecText,
  timevalText,
  u64,
} from "./format.ts";
import { flags, type Xlat, xval } from "./xlat.ts";
import {
  addrfams,
  afPacketTypes,
  arpHardwareTypes,
  errnoNames,
  ethernetProtocols,
  getsockIpOptions,
  getsockIpv6Options,
  getsockOptions,
  inetProtocols,
  ipCmsgTypes,
  msgFlags,
  netlinkProtocols,
  scmvals,
  setsockIpOptions,
  setsockIpv6Options,
  setsockOptions,
  shutdownModes,
  socketlayers,
  sockIpOptions,
  sockIpv6Options,
  sockNetlinkOptions,
  sockOptions,
  sockoptTxrehashVals,
  sockPacketOptions,
  sockRawOptions,
  sockTcpOptions,
  sockTypeFlags,
  socktypes,
  sockUdpOptions,
} from "./xlat/net.ts";
import { uText } from "./u64.ts";

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_PACKET = 17;

const SOL_SOCKET = 1;
const SOL_IP = 0;
const SOL_TCP = 6;
const SOL_UDP = 17;
const SOL_IPV6 = 41;
const SOL_RAW = 255;
const SOL_PACKET = 263;
const SOL_NETLINK = 270;

/** sizeof(struct sockaddr_storage). */
const SOCKADDR_STORAGE = 128;

// ---------------------------------------------------------------------------------------------
// Small printers

/** Options that affect how a socket address is printed. */
export interface SockaddrTextOptions {
  /** `-X` style (default `abbrev`). */
  xlat?: XlatStyle;
  /** `-x` count (default 0). */
  hexStrings?: number;
}

/** `"\x.."` for every byte, as strace's `QUOTE_FORCE_HEX`. */
function forceHex(bytes: Uint8Array): string {
  return '"' + quoteBytes(bytes, 2) + '"';
}

/** C's `%#0*x` with width `w` (strace's `PRINT_VAL_0X`). */
function hex0(v: number, w: number): string {
  if (v === 0) return "0".repeat(w);
  const h = (v >>> 0).toString(16);
  return "0x" + h.padStart(w - 2, "0");
}

/** Formats an IPv4 address. */
function ipv4Text(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** Formats an IPv6 address as glibc's `inet_ntop` does. */
export function ipv6Text(b: Uint8Array, off = 0): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ":";
      continue;
    }
    if (i !== 0) s += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += ipv4Text(b, off + 12);
      break;
    }
    s += w[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ":";
  return s;
}

let ifNames: Map<number, string> | undefined;

/** The name of network interface `index` (strace's `if_indextoname`), if any. */
function ifName(index: number): string | undefined {
  if (!ifNames) {
    ifNames = new Map();
    try {
      for (const e of Deno.readDirSync("/sys/class/net")) {
        try {
          const n = parseInt(Deno.readTextFileSync(`/sys/class/net/${e.name}/ifindex`));
          if (!isNaN(n)) ifNames.set(n, e.name);
        } catch { /* ignore */ }
      }
    } catch { /* ignore */ }
  }
  return ifNames.get(index);
}

/** strace's `print_ifindex`: `if_nametoindex("lo")` or the number. */
function ifindexText(index: number, style: XlatStyle): string {
  const name = index ? ifName(index) : undefined;
  if (name === undefined || style === "raw") return String(index);
  const text = `if_nametoindex("${quoteBytes(new TextEncoder().encode(name))}")`;
  return style === "verbose" ? `${index} /* ${text} */` : text;
}

/** `htons(9000)` for a port in network order, honouring `-X`. */
function portText(b: Uint8Array, off: number, style: XlatStyle): string {
  const port = (b[off] << 8) | b[off + 1];
  const text = `htons(${port})`;
  if (style === "abbrev") return text;
  const raw = forceHex(b.subarray(off, off + 2));
  return style === "raw" ? raw : `${raw} /* ${text} */`;
}

/** `field=inet_addr("1.2.3.4")` (or the raw bytes under `-X`). */
function inet4Field(name: string, b: Uint8Array, off: number, style: XlatStyle): string {
  const text = `inet_addr("${ipv4Text(b, off)}")`;
  if (style === "abbrev") return `${name}=${text}`;
  const raw = forceHex(b.subarray(off, off + 4));
  return style === "raw" ? `${name}=${raw}` : `${name}=${raw} /* ${text} */`;
}

/** `inet_pton(AF_INET6, "::1", &field)` (or the raw bytes under `-X`). */
function inet6Field(name: string, b: Uint8Array, off: number, style: XlatStyle): string {
  const addr = ipv6Text(b, off);
  if (style === "abbrev") return `inet_pton(AF_INET6, "${addr}", &${name})`;
  const raw = forceHex(b.subarray(off, off + 16));
  return style === "raw" ? `${name}=${raw}` : `${name}=${raw} /* inet_pton(AF_INET6, "${addr}") */`;
}

// ---------------------------------------------------------------------------------------------
// Socket addresses

function sockaddrIn(b: Uint8Array, style: XlatStyle): string {
  return `sin_port=${portText(b, 2, style)}, ${inet4Field("sin_addr", b, 4, style)}`;
}

function sockaddrIn6(b: Uint8Array, len: number, style: XlatStyle): string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let s = `sin6_port=${portText(b, 2, style)}, sin6_flowinfo=`;
  const flow = `htonl(${dv.getUint32(4, false)})`;
  const rawFlow = forceHex(b.subarray(4, 8));
  s += style === "abbrev" ? flow : style === "raw" ? rawFlow : `${rawFlow} /* ${flow} */`;
  s += ", " + inet6Field("sin6_addr", b, 8, style);
  if (len <= 24) return s;
  const scope = dv.getUint32(24, true);
  const linkLocal = (b[8] === 0xfe && (b[9] & 0xc0) === 0x80) ||
    (b[8] === 0xff && (b[9] & 0x0f) === 2);
  return s + ", sin6_scope_id=" + (linkLocal ? ifindexText(scope, style) : String(scope));
}

function sockaddrUn(b: Uint8Array, len: number, hexStrings: number): string {
  const unLen = Math.min(len, 110);
  const pathLen = unLen - 2;
  if (b[2] !== 0) {
    let end = 2;
    while (end < 2 + pathLen && b[end] !== 0) end++;
    return `sun_path="${quoteBytes(b.subarray(2, end), hexStrings)}"`;
  }
  return `sun_path=@"${quoteBytes(b.subarray(3, 3 + Math.max(0, pathLen - 1)), hexStrings)}"`;
}

function sockaddrNl(b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const pad = dv.getUint16(2, true);
  const pid = dv.getUint32(4, true);
  const groups = dv.getUint32(8, true);
  return (pad ? `nl_pad=${hex(pad)}, ` : "") + `nl_pid=${pid | 0}, nl_groups=${hex0(groups, 8)}`;
}

function sockaddrLl(b: Uint8Array, len: number, style: XlatStyle): string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const proto = dv.getUint16(2, false);
  const protoText = `htons(${xval(ethernetProtocols, proto, "abbrev", "ETH_P_???")})`;
  const rawProto = forceHex(b.subarray(2, 4));
  let s = "sll_protocol=" +
    (style === "abbrev"
      ? protoText
      : style === "raw"
      ? rawProto
      : `${rawProto} /* ${protoText} */`);
  s += ", sll_ifindex=" + ifindexText(dv.getInt32(4, true) >>> 0, style);
  s += ", sll_hatype=" + xval(arpHardwareTypes, dv.getUint16(8, true), style, "ARPHRD_???");
  s += ", sll_pkttype=" + xval(afPacketTypes, b[10], style, "PACKET_???");
  const halen = b[11];
  s += `, sll_halen=${halen}`;
  if (halen) {
    const oob = len - 12;
    const parts: string[] = [];
    for (let i = 0; i < halen; i++) {
      if (i >= oob) {
        parts.push("...");
        break;
      }
      parts.push(hex0(b[12 + i] ?? 0, 2));
    }
    s += `, sll_addr=[${parts.join(", ")}]`;
  }
  return s;
}

/**
 * Prints a socket address as strace's `print_sockaddr` does, from the `addrlen` bytes read from
 * the tracee (at most 128 are used): `{sa_family=AF_INET, sin_port=htons(80), …}`.
 */
export function sockaddrText(bytes: Uint8Array, opts: SockaddrTextOptions = {}): string {
  const style = opts.xlat ?? "abbrev";
  const hexStrings = opts.hexStrings ?? 0;
  const len = Math.min(bytes.length, SOCKADDR_STORAGE);
  const b = new Uint8Array(SOCKADDR_STORAGE + 1);
  b.set(bytes.subarray(0, len));
  const family = b[0] | (b[1] << 8);
  let s = "{sa_family=" + xval(addrfams, family, style, "AF_???");
  if (len > 2) {
    s += ", ";
    if (family === AF_UNIX && len >= 3) s += sockaddrUn(b, len, hexStrings);
    else if (family === AF_INET && len >= 16) s += sockaddrIn(b, style);
    else if (family === AF_INET6 && len >= 24) s += sockaddrIn6(b, len, style);
    else if (family === AF_NETLINK && len >= 12) s += sockaddrNl(b);
    else if (family === AF_PACKET && len >= 20) s += sockaddrLl(b, len, style);
    else s += `sa_data="${quoteBytes(b.subarray(2, len), hexStrings)}"`;
  }
  return s + "}";
}

/**
 * Parses a socket address into its family and, for `AF_INET`/`AF_INET6`, port and address text,
 * for `AF_UNIX` the path (abstract names start with `@`). Returns `undefined` when too short.
 */
export function parseSockaddr(
  bytes: Uint8Array,
): { family: number; port?: number; addr?: string; path?: string } | undefined {
  if (bytes.length < 2) return undefined;
  const family = bytes[0] | (bytes[1] << 8);
  if (family === AF_INET && bytes.length >= 8) {
    return { family, port: (bytes[2] << 8) | bytes[3], addr: ipv4Text(bytes, 4) };
  }
  if (family === AF_INET6 && bytes.length >= 24) {
    return { family, port: (bytes[2] << 8) | bytes[3], addr: ipv6Text(bytes, 8) };
  }
  if (family === AF_UNIX) {
    const p = bytes.subarray(2, Math.min(bytes.length, 110));
    if (p.length === 0) return { family };
    const dec = new TextDecoder();
    if (p[0] === 0) return { family, path: "@" + dec.decode(p.subarray(1)) };
    const end = p.indexOf(0);
    return { family, path: dec.decode(end < 0 ? p : p.subarray(0, end)) };
  }
  return { family };
}

/** strace's `decode_sockaddr`: reads `addrlen` bytes at `addr` and prints them. */
function decodeSockaddr(c: SyscallCall, addr: number, addrlen: number): string {
  if (addrlen < 2) return ptrText(addr);
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const len = addrlen > SOCKADDR_STORAGE ? SOCKADDR_STORAGE : addrlen;
  const bytes = c.mem.read(addr, len);
  if (!bytes) return hex(addr);
  return sockaddrText(bytes, { xlat: c.opts.xlat, hexStrings: c.opts.hexStrings });
}

// ---------------------------------------------------------------------------------------------
// Argument helpers

function readInt(c: SyscallCall, addr: number): number | undefined {
  if (!addr) return undefined;
  const b = c.mem.read(addr, 4);
  if (!b) return undefined;
  return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
}

/** strace's `printnum_int`: `[42]`, or the address. */
function numInt(c: SyscallCall, addr: number): string {
  const v = readInt(c, addr);
  return v === undefined ? ptrText(addr) : `[${v}]`;
}

/** strace's `printstr_ex(..., QUOTE_FORCE_HEX)` of `len` bytes. */
function hexStr(c: SyscallCall, addr: number, len: number): string {
  if (!addr) return "NULL";
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(addr, size);
  if (!b) return hex(addr);
  return forceHex(b) + (len > size ? "..." : "");
}

/** strace's `tprint_sock_type`. */
function sockType(v: number, style: XlatStyle): string {
  v = v >>> 0;
  const low = v & 0xf;
  const name = socktypes.byValue.get(low);
  if (name !== undefined) {
    const first = style === "raw"
      ? hex(low)
      : style === "verbose"
      ? `${hex(low)} /* ${name} */`
      : name;
    const rest = (v & ~0xf) >>> 0;
    if (!rest) return first;
    return first + "|" + flags(sockTypeFlags, rest, style, "SOCK_???");
  }
  return flags(sockTypeFlags, v, style, "SOCK_???");
}

function msgFlagsText(c: SyscallCall, v: number): string {
  return flags(msgFlags, v >>> 0, c.opts.xlat, "MSG_???");
}

/** Prints a pair of descriptors (socketpair's `sv`). */
function fdPair(c: SyscallCall, addr: number): string {
  if (!addr) return "NULL";
  if (failed(c) || noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, 8);
  if (!b) {
    const first = c.mem.read(addr, 4);
    if (!first) return hex(addr);
    const v = new DataView(first.buffer, first.byteOffset, 4).getInt32(0, true);
    return `[${fd(c, v)}, ... /* ${hex(addr + 4)} */]`;
  }
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  return `[${fd(c, dv.getInt32(0, true))}, ${fd(c, dv.getInt32(4, true))}]`;
}

/** The result of a call returning a descriptor (strace's `RVAL_FD`). */
function fdResult(c: SyscallCall): string | undefined {
  return c.opts.decodeFds ? fd(c, c.rval) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Names of socket options

function pickXlat(name: number, dflt: string, style: XlatStyle, ...tables: Xlat[]): string {
  for (const t of tables) {
    if (t.byValue.has(name)) return xval(t, name, style, dflt);
  }
  return xval(tables[0], name, style, dflt);
}

function sockoptName(c: SyscallCall, level: number, name: number, isGet: boolean): string {
  const st = c.opts.xlat;
  switch (level) {
    case SOL_SOCKET:
      return pickXlat(name, "SO_???", st, sockOptions, isGet ? getsockOptions : setsockOptions);
    case SOL_IP:
      return pickXlat(
        name,
        "IP_???",
        st,
        sockIpOptions,
        isGet ? getsockIpOptions : setsockIpOptions,
      );
    case SOL_IPV6:
      return pickXlat(
        name,
        "IPV6_???",
        st,
        sockIpv6Options,
        isGet ? getsockIpv6Options : setsockIpv6Options,
      );
    case SOL_TCP:
      return xval(sockTcpOptions, name, st, "TCP_???");
    case SOL_UDP:
      return xval(sockUdpOptions, name, st, "UDP_???");
    case SOL_PACKET:
      return xval(sockPacketOptions, name, st, "PACKET_???");
    case SOL_RAW:
      return xval(sockRawOptions, name, st, "RAW_???");
    case SOL_NETLINK:
      return xval(sockNetlinkOptions, name, st, "NETLINK_???");
    default:
      return String(name >>> 0);
  }
}

function sockoptHead(c: SyscallCall, isGet: boolean): string {
  const level = c.args.ui(1);
  return `${fd(c, c.args.i(0))}, ${xval(socketlayers, level, c.opts.xlat, "SOL_??")}, ` +
    `${sockoptName(c, level, c.args.ui(2), isGet)}, `;
}

/** SOL_SOCKET options whose value is an int. */
const INT_SOCKOPTS: ReadonlySet<number> = new Set(
  [
    "SO_DEBUG",
    "SO_REUSEADDR",
    "SO_DONTROUTE",
    "SO_BROADCAST",
    "SO_SNDBUF",
    "SO_RCVBUF",
    "SO_KEEPALIVE",
    "SO_OOBINLINE",
    "SO_NO_CHECK",
    "SO_PRIORITY",
    "SO_BSDCOMPAT",
    "SO_REUSEPORT",
    "SO_PASSCRED",
    "SO_RCVLOWAT",
    "SO_SNDLOWAT",
    "SO_DETACH_FILTER",
    "SO_TIMESTAMP_OLD",
    "SO_ACCEPTCONN",
    "SO_SNDBUFFORCE",
    "SO_RCVBUFFORCE",
    "SO_PASSSEC",
    "SO_TIMESTAMPNS_OLD",
    "SO_MARK",
    "SO_TIMESTAMPING_OLD",
    "SO_RXQ_OVFL",
    "SO_WIFI_STATUS",
    "SO_PEEK_OFF",
    "SO_NOFCS",
    "SO_LOCK_FILTER",
    "SO_SELECT_ERR_QUEUE",
    "SO_BUSY_POLL",
    "SO_INCOMING_CPU",
    "SO_CNX_ADVICE",
    "SO_INCOMING_NAPI_ID",
    "SO_ZEROCOPY",
    "SO_TIMESTAMP_NEW",
    "SO_TIMESTAMPNS_NEW",
    "SO_TIMESTAMPING_NEW",
    "SO_DETACH_REUSEPORT_BPF",
    "SO_PREFER_BUSY_POLL",
    "SO_BUSY_POLL_BUDGET",
    "SO_RESERVE_MEM",
    "SO_RCVMARK",
  ].map((n) => sockOptions.byName.get(n) ?? -1),
);
const SO_LINGER = 13;
const SO_PEERCRED = 17;
const SO_ERROR = 4;
const SO_TXREHASH = 74;

function txrehash(c: SyscallCall, addr: number, len: number, exiting: boolean): string {
  if (len < 4) return exiting ? hexStr(c, addr, len) : ptrText(addr);
  const v = readInt(c, addr);
  if (v === undefined) return ptrText(addr);
  return `[${xval(sockoptTxrehashVals, v, c.opts.xlat, "SOCK_TXREHASH_???", "dec")}]`;
}

/** Prints the fields of a struct of int fields that fit in `len` bytes (MAYBE_PRINT_FIELD_LEN). */
function partialStruct(
  b: Uint8Array,
  len: number,
  fields: [string, (v: DataView) => string][],
): string {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  fields.forEach(([name, pr], i) => {
    const start = i * 4;
    if (len > start) {
      parts.push(
        len >= start + 4 ? `${name}=${pr(dv)}` : `${name}=${forceHex(b.subarray(start, len))}`,
      );
    }
  });
  return "{" + parts.join(", ") + "}";
}

function idText(v: number): string {
  return v === -1 ? "-1" : String(v >>> 0);
}

function getsockoptValue(
  c: SyscallCall,
  level: number,
  name: number,
  addr: number,
  ulen: number,
  rlen: number,
): string {
  if (ulen <= 0 || rlen <= 0) return ptrText(addr);
  if (addr) {
    if (level === SOL_SOCKET) {
      if (name === SO_LINGER) {
        const len = Math.min(rlen, 8);
        const b = c.mem.read(addr, len);
        if (!b) return hex(addr);
        return partialStruct(b, len, [
          ["l_onoff", (v) => String(v.getInt32(0, true))],
          ["l_linger", (v) => String(v.getInt32(4, true))],
        ]);
      }
      if (name === SO_PEERCRED) {
        const len = Math.min(rlen, 12);
        const b = c.mem.read(addr, len);
        if (!b) return hex(addr);
        return partialStruct(b, len, [
          ["pid", (v) => String(v.getInt32(0, true))],
          ["uid", (v) => idText(v.getInt32(4, true))],
          ["gid", (v) => idText(v.getInt32(8, true))],
        ]);
      }
      if (name === SO_ERROR) {
        if (rlen < 4) return hexStr(c, addr, rlen);
        const v = readInt(c, addr);
        if (v === undefined) return hex(addr);
        const err = v >>> 0;
        const ename = errnoNames.byValue.get(err);
        const st = c.opts.xlat;
        if (!ename || st === "raw") return `[${err}]`;
        return st === "abbrev" ? `[${ename}]` : `[${err} /* ${ename} */]`;
      }
      if (name === SO_TXREHASH) return txrehash(c, addr, rlen, true);
      if (INT_SOCKOPTS.has(name)) return rlen >= 4 ? numInt(c, addr) : hexStr(c, addr, rlen);
    } else if (level === SOL_NETLINK) {
      if (name === 9) {
        // NETLINK_LIST_MEMBERSHIPS
        const n = Math.floor(Math.min(ulen, rlen) / 4);
        return u32Array(c, addr, n);
      }
      return numInt(c, addr);
    }
  }
  if (rlen === 4) return numInt(c, addr);
  return strn(c, addr, rlen);
}

function u32Array(c: SyscallCall, addr: number, n: number): string {
  if (!addr) return "NULL";
  if (n === 0) return "[]";
  const max = c.opts.verbose ? n : Math.min(n, c.opts.strsize);
  const parts: string[] = [];
  for (let i = 0; i < max; i++) {
    const b = c.mem.read(addr + i * 4, 4);
    if (!b) {
      if (i === 0) return hex(addr);
      parts.push(`... /* ${hex(addr + i * 4)} */`);
      return "[" + parts.join(", ") + "]";
    }
    parts.push(String(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)));
  }
  if (max < n) parts.push("...");
  return "[" + parts.join(", ") + "]";
}

function setsockoptValue(
  c: SyscallCall,
  level: number,
  name: number,
  addr: number,
  len: number,
): string {
  // strace prints the option value's address for a call outside `-e verbose=`.
  if (noDeref(c)) return ptrText(addr);
  if (addr) {
    if (level === SOL_SOCKET) {
      if (name === SO_LINGER) {
        if (len < 8) return ptrText(addr);
        const b = c.mem.read(addr, 8);
        if (!b) return hex(addr);
        const v = new DataView(b.buffer, b.byteOffset, 8);
        return `{l_onoff=${v.getInt32(0, true)}, l_linger=${v.getInt32(4, true)}}`;
      }
      if (name === SO_TXREHASH) return txrehash(c, addr, len, false);
      if (INT_SOCKOPTS.has(name)) return len < 4 ? ptrText(addr) : numInt(c, addr);
    } else if (level === SOL_IP && (name === 35 || name === 36)) {
      // IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP
      if (len < 8) return ptrText(addr);
      const b = c.mem.read(addr, 8);
      if (!b) return hex(addr);
      const st = c.opts.xlat;
      return `{${inet4Field("imr_multiaddr", b, 0, st)}, ${inet4Field("imr_interface", b, 4, st)}}`;
    } else if (level === SOL_IPV6 && (name === 20 || name === 21 || name === 27 || name === 28)) {
      if (len < 20) return ptrText(addr);
      const b = c.mem.read(addr, 20);
      if (!b) return hex(addr);
      const st = c.opts.xlat;
      const idx = new DataView(b.buffer, b.byteOffset, 20).getUint32(16, true);
      return `{${inet6Field("ipv6mr_multiaddr", b, 0, st)}, ipv6mr_interface=${
        ifindexText(idx, st)
      }}`;
    } else if (level === SOL_NETLINK) {
      return len < 4 ? ptrText(addr) : numInt(c, addr);
    }
  }
  if (len === 4) return numInt(c, addr);
  return strn(c, addr, len);
}

// ---------------------------------------------------------------------------------------------
// msghdr

interface MsgHdr {
  name: number;
  namelen: number;
  iov: number;
  iovlen: number;
  control: number;
  controllen: number;
  flags: number;
}

const MSGHDR_SIZE = 56;

function parseMsghdr(b: Uint8Array, off = 0): MsgHdr {
  const v = new DataView(b.buffer, b.byteOffset + off, MSGHDR_SIZE);
  return {
    name: u64(v, 0),
    namelen: v.getUint32(8, true),
    iov: u64(v, 16),
    iovlen: u64(v, 24),
    control: u64(v, 32),
    controllen: u64(v, 40),
    flags: v.getInt32(48, true),
  };
}

/** Reads a msghdr; `undefined` when unreadable or when `-e verbose=` excludes the call. */
function fetchMsghdr(c: SyscallCall, addr: number): MsgHdr | undefined {
  if (!addr || noDeref(c)) return undefined;
  const b = c.mem.read(addr, MSGHDR_SIZE);
  return b ? parseMsghdr(b) : undefined;
}

/** Prints an iovec array with at most `dataSize` bytes of data in total (-1: no limit). */
function iovText(c: SyscallCall, addr: number, count: number, dataSize: number): string {
  return iovecArray(c, addr, count, dataSize < 0 ? null : dataSize);
}

let optmemMax = 0;

function getOptmemMax(): number {
  if (!optmemMax) {
    let v = NaN;
    try {
      v = parseInt(Deno.readTextFileSync("/proc/sys/net/core/optmem_max"));
    } catch { /* ignore */ }
    optmemMax = isNaN(v) || v <= 0 ? 8 * (2 * 1024 + 512) : Math.ceil(v / 8) * 8;
  }
  return optmemMax;
}

function cmsgData(c: SyscallCall, level: number, type: number, d: Uint8Array): string {
  const st = c.opts.xlat;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const utype = type >>> 0;
  if (level === SOL_SOCKET) {
    let s = xval(scmvals, utype, st, "SCM_???");
    if (utype === 1 && d.length >= 4) {
      const fds: string[] = [];
      const n = Math.floor(d.length / 4);
      const max = c.opts.verbose ? n : Math.min(n, c.opts.strsize);
      for (let i = 0; i < max; i++) fds.push(fd(c, dv.getInt32(i * 4, true)));
      if (max < n) fds.push("...");
      s += `, cmsg_data=[${fds.join(", ")}]`;
    } else if (utype === 2 && d.length >= 12) {
      s += `, cmsg_data={pid=${dv.getInt32(0, true)}, uid=${idText(dv.getInt32(4, true))}, ` +
        `gid=${idText(dv.getInt32(8, true))}}`;
    } else if (utype === 3 && d.length >= 1) {
      s += `, cmsg_data="${quoteBytes(d, c.opts.hexStrings)}"`;
    } else if ((utype === 29 || utype === 63) && d.length >= 16) {
      // SO_TIMESTAMP_OLD / _NEW: struct timeval
      s += `, cmsg_data=${timevalText(dv)}`;
    } else if ((utype === 35 || utype === 64) && d.length >= 16) {
      s += `, cmsg_data=${timespecText(dv)}`;
    }
    return s;
  }
  if (level === SOL_IP) {
    let s = xval(ipCmsgTypes, utype, st, "IP_???");
    if (utype === 8 && d.length >= 12) {
      // IP_PKTINFO
      s += `, cmsg_data={ipi_ifindex=${ifindexText(dv.getUint32(0, true), st)}, ` +
        `${inet4Field("ipi_spec_dst", d, 4, st)}, ${inet4Field("ipi_addr", d, 8, st)}}`;
    } else if ((utype === 2 || utype === 23) && d.length >= 4) {
      const n = Math.floor(d.length / 4);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(String(dv.getUint32(i * 4, true)));
      s += `, cmsg_data=[${parts.join(", ")}]`;
    } else if ((utype === 1 || utype === 6 || utype === 7) && d.length >= 1) {
      const parts: string[] = [];
      for (const x of d) parts.push(hex(x));
      s += `, cmsg_data=[${parts.join(", ")}]`;
    } else if (utype === 20 && d.length >= 16) {
      s += `, cmsg_data=${sockaddrText(d.subarray(0, Math.min(d.length, 128)), { xlat: st })}`;
    }
    return s;
  }
  return hex(utype);
}

function msgControl(c: SyscallCall, addr: number, inLen: number): string {
  const cmsgSize = 16;
  const controlLen = inLen > getOptmemMax() ? getOptmemMax() : inLen;
  let bufLen = controlLen;
  const buf = bufLen < cmsgSize || !addr ? null : c.mem.read(addr, bufLen);
  if (!buf) return ptrText(addr);
  const parts: string[] = [];
  let off = 0;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (bufLen >= cmsgSize) {
    const cmsgLen = u64(dv, off);
    const level = dv.getInt32(off + 8, true);
    const type = dv.getInt32(off + 12, true);
    let len = cmsgLen > bufLen ? bufLen : cmsgLen;
    const data = buf.subarray(off + cmsgSize, off + Math.max(len, cmsgSize));
    parts.push(
      `{cmsg_len=${uText(cmsgLen)}, cmsg_level=${
        xval(socketlayers, level >>> 0, c.opts.xlat, "SOL_???")
      }, ` +
        `cmsg_type=${cmsgData(c, level, type, data)}}`,
    );
    if (len < cmsgSize) {
      bufLen -= cmsgSize;
      break;
    }
    len = Math.ceil(cmsgLen / 8) * 8;
    if (len >= bufLen) {
      bufLen = 0;
      break;
    }
    off += len;
    bufLen -= len;
  }
  if (bufLen) parts.push(`... /* ${hex(addr + (controlLen - bufLen))} */`);
  else if (controlLen < inLen) parts.push("...");
  return "[" + parts.join(", ") + "]";
}

/** strace's `print_struct_msghdr`. */
function msghdrText(
  c: SyscallCall,
  m: MsgHdr,
  userNamelen: number | undefined,
  dataSize: number,
): string {
  const namelen = userNamelen !== undefined && (m.namelen | 0) > userNamelen
    ? userNamelen
    : m.namelen | 0;
  let s = `{msg_name=${decodeSockaddr(c, m.name, namelen)}, msg_namelen=`;
  if (userNamelen !== undefined && userNamelen !== (m.namelen | 0)) s += `${userNamelen} => `;
  s += String(m.namelen | 0);
  s += `, msg_iov=${iovText(c, m.iov, m.iovlen, dataSize)}, msg_iovlen=${uText(m.iovlen)}`;
  if (m.controllen) s += `, msg_control=${msgControl(c, m.control, m.controllen)}`;
  s += `, msg_controllen=${uText(m.controllen)}, msg_flags=${msgFlagsText(c, m.flags)}}`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Decoders

/** getsockname/getpeername/accept: `fd, ` at entry, the address and its length at exit. */
function socknameEnter(c: SyscallCall): string {
  const addr = c.args.u(1), lenAddr = c.args.u(2);
  const head = fd(c, c.args.i(0)) + ", ";
  // strace's `fetch_socklen`: nothing is read for a call outside `-e verbose=`.
  const ulen = addr && lenAddr && !noDeref(c) ? readInt(c, lenAddr) : undefined;
  if (ulen === undefined) {
    c.state.decoded = true;
    return head + ptrText(addr) + ", " + ptrText(lenAddr);
  }
  c.state.ulen = ulen;
  return head;
}

function socknameExit(c: SyscallCall): string {
  if (c.state.decoded) return "";
  const ulen = (c.state.ulen as number | undefined) ?? 0;
  const addr = c.args.u(1);
  const rlen = failed(c) ? undefined : readInt(c, c.args.u(2));
  if (rlen === undefined) return `${ptrText(addr)}, [${ulen}]`;
  return `${decodeSockaddr(c, addr, ulen > rlen ? rlen : ulen)}, [` +
    (ulen !== rlen ? `${ulen} => ` : "") + `${rlen}]`;
}

function timespecAt(c: SyscallCall, addr: number): string {
  if (!addr) return "NULL";
  if (noDeref(c)) return hex(addr);
  const b = c.mem.read(addr, 16);
  if (!b) return hex(addr);
  const v = new DataView(b.buffer, b.byteOffset, 16);
  return timespecText(v);
}

/** Prints an mmsghdr vector (strace's `decode_mmsgvec`). */
function mmsgvec(
  c: SyscallCall,
  addr: number,
  vlen: number,
  msgLenCount: number,
  useMsgLen: boolean,
  namelens: number[] | undefined,
): string {
  if (!addr) return "NULL";
  if (vlen === 0) return "[]";
  const max = c.opts.verbose ? vlen : Math.min(vlen, c.opts.strsize);
  let count = namelens ? Math.min(namelens.length, 1024) : 1024;
  const parts: string[] = [];
  for (let i = 0; i < vlen; i++) {
    const b = c.mem.read(addr + i * 64, 64);
    if (!b) {
      if (i === 0) return hex(addr);
      parts.push(`... /* ${hex(addr + i * 64)} */`);
      break;
    }
    if (i >= max) {
      parts.push("...");
      break;
    }
    if (!count) {
      parts.push("...");
      break;
    }
    count--;
    const m = parseMsghdr(b);
    const msgLen = new DataView(b.buffer, b.byteOffset, 64).getUint32(56, true);
    let s = `{msg_hdr=${msghdrText(c, m, namelens?.[i], useMsgLen ? msgLen : -1)}`;
    if (i < msgLenCount) s += `, msg_len=${msgLen}`;
    parts.push(s + "}");
  }
  return "[" + parts.join(", ") + "]";
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  socket: {
    enter(c) {
      const family = c.args.ui(0);
      const st = c.opts.xlat;
      let proto: string;
      const p = c.args.ui(2);
      switch (family) {
        case AF_INET:
        case AF_INET6:
          proto = xval(inetProtocols, p, st, "IPPROTO_???");
          break;
        case AF_NETLINK:
          proto = xval(netlinkProtocols, p, st, "NETLINK_???");
          break;
        case AF_PACKET:
          proto = `htons(${
            xval(ethernetProtocols, ((p & 0xff) << 8) | ((p >> 8) & 0xff), st, "ETH_P_???")
          })`;
          break;
        default:
          proto = uText(c.args.u(2));
      }
      return `${xval(addrfams, family, st, "AF_???")}, ${sockType(c.args.ui(1), st)}, ${proto}`;
    },
    result: fdResult,
  },
  socketpair: {
    enter(c) {
      const st = c.opts.xlat;
      return `${xval(addrfams, c.args.ui(0), st, "AF_???")}, ${sockType(c.args.ui(1), st)}, ` +
        `${uText(c.args.u(2))}, `;
    },
    exit: (c) => fdPair(c, c.args.u(3)),
  },
  bind: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${decodeSockaddr(c, c.args.u(1), c.args.i(2))}, ${c.args.i(2)}`,
  },
  connect: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${decodeSockaddr(c, c.args.u(1), c.args.i(2))}, ${c.args.i(2)}`,
  },
  listen: { enter: (c) => `${fd(c, c.args.i(0))}, ${c.args.i(1)}` },
  shutdown: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${xval(shutdownModes, c.args.ui(1), c.opts.xlat, "SHUT_???")}`,
  },
  getsockname: { enter: socknameEnter, exit: socknameExit },
  getpeername: { enter: socknameEnter, exit: socknameExit },
  accept: { enter: socknameEnter, exit: socknameExit, result: fdResult },
  accept4: {
    enter(c) {
      const s = socknameEnter(c);
      if (!c.state.decoded) return s;
      c.state.flagsDone = true;
      return s + ", " + flags(sockTypeFlags, c.args.ui(3), c.opts.xlat, "SOCK_???");
    },
    exit(c) {
      if (c.state.flagsDone) return "";
      return socknameExit(c) + ", " + flags(sockTypeFlags, c.args.ui(3), c.opts.xlat, "SOCK_???");
    },
    result: fdResult,
  },
  sendto: {
    enter: (c) =>
      `${fd(c, c.args.i(0))}, ${strn(c, c.args.u(1), c.args.u(2))}, ${uText(c.args.u(2))}, ` +
      `${msgFlagsText(c, c.args.ui(3))}, ${decodeSockaddr(c, c.args.u(4), c.args.i(5))}, ` +
      `${c.args.i(5)}`,
  },
  recvfrom: {
    enter(c) {
      const addr = c.args.u(4), lenAddr = c.args.u(5);
      if (addr && lenAddr && !noDeref(c)) {
        const v = readInt(c, lenAddr);
        if (v !== undefined) c.state.ulen = v;
      }
      return fd(c, c.args.i(0)) + ", ";
    },
    exit(c) {
      const buf = failed(c)
        ? ptrText(c.args.u(1))
        : strn(c, c.args.u(1), Math.min(c.rval, c.args.u(2)));
      let s = `${buf}, ${uText(c.args.u(2))}, ${msgFlagsText(c, c.args.ui(3))}, `;
      const addr = c.args.u(4), lenAddr = c.args.u(5);
      const ulen = (c.state.ulen as number | undefined) ?? 0;
      const rlen = addr && lenAddr && !noDeref(c) ? readInt(c, lenAddr) : undefined;
      if (rlen === undefined) return s + `${ptrText(addr)}, ${ptrText(lenAddr)}`;
      if (failed(c)) return s + `${ptrText(addr)}, [${ulen}]`;
      s += `${decodeSockaddr(c, addr, ulen > rlen ? rlen : ulen)}, [`;
      if (ulen !== rlen) s += `${ulen} => `;
      return s + `${rlen}]`;
    },
  },
  sendmsg: {
    enter(c) {
      const addr = c.args.u(1);
      const m = fetchMsghdr(c, addr);
      return `${fd(c, c.args.i(0))}, ${m ? msghdrText(c, m, undefined, -1) : ptrText(addr)}, ` +
        msgFlagsText(c, c.args.ui(2));
    },
  },
  recvmsg: {
    enter(c) {
      const addr = c.args.u(1);
      const m = fetchMsghdr(c, addr);
      const head = fd(c, c.args.i(0)) + ", ";
      if (!m) {
        c.state.decoded = true;
        return head + ptrText(addr) + ", " + msgFlagsText(c, c.args.ui(2));
      }
      c.state.namelen = m.namelen | 0;
      return head;
    },
    exit(c) {
      if (c.state.decoded) return "";
      const namelen = c.state.namelen as number;
      let s: string;
      if (failed(c)) s = `{msg_namelen=${namelen}}`;
      else {
        const addr = c.args.u(1);
        const m = fetchMsghdr(c, addr);
        s = m ? msghdrText(c, m, namelen, c.rval) : ptrText(addr);
      }
      return s + ", " + msgFlagsText(c, c.args.ui(2));
    },
  },
  sendmmsg: {
    enter(c) {
      const head = fd(c, c.args.i(0)) + ", ";
      if (!noDeref(c)) return head;
      c.state.decoded = true;
      return head + `${ptrText(c.args.u(1))}, ${c.args.ui(2)}, ${msgFlagsText(c, c.args.ui(3))}`;
    },
    exit(c) {
      if (c.state.decoded) return "";
      const msgLenCount = failed(c) ? 0 : c.rval;
      return `${mmsgvec(c, c.args.u(1), c.args.ui(2), msgLenCount, false, undefined)}, ` +
        `${c.args.ui(2)}, ${msgFlagsText(c, c.args.ui(3))}`;
    },
  },
  recvmmsg: {
    enter(c) {
      if (noDeref(c)) {
        c.state.decoded = true;
        return `${fd(c, c.args.i(0))}, ${ptrText(c.args.u(1))}, ${c.args.ui(2)}, ` +
          `${msgFlagsText(c, c.args.ui(3))}, ${timespecAt(c, c.args.u(4))}`;
      }
      const addr = c.args.u(1);
      const vlen = Math.min(c.args.ui(2), 1024);
      const namelens: number[] = [];
      for (let i = 0; i < vlen; i++) {
        const b = c.mem.read(addr + i * 64, 64);
        if (!b) break;
        namelens.push(new DataView(b.buffer, b.byteOffset, 64).getInt32(8, true));
      }
      c.state.namelens = namelens;
      c.state.timeout = timespecAt(c, c.args.u(4));
      return fd(c, c.args.i(0)) + ", ";
    },
    exit(c) {
      if (c.state.decoded) return "";
      const n = failed(c) ? 0 : c.rval;
      const vec = failed(c)
        ? ptrText(c.args.u(1))
        : mmsgvec(c, c.args.u(1), n, n, true, c.state.namelens as number[] | undefined);
      return `${vec}, ${c.args.ui(2)}, ${msgFlagsText(c, c.args.ui(3))}, ${c.state.timeout}`;
    },
    result(c) {
      if (c.rval === 0) return "0 (Timeout)";
      if (!c.args.u(4) || noDeref(c)) return undefined;
      return `${c.rval} (left ${timespecAt(c, c.args.u(4))})`;
    },
  },
  setsockopt: {
    enter: (c) =>
      sockoptHead(c, false) +
      `${setsockoptValue(c, c.args.ui(1), c.args.ui(2), c.args.u(3), c.args.i(4))}, ${c.args.i(4)}`,
  },
  getsockopt: {
    enter(c) {
      const head = sockoptHead(c, true);
      const lenAddr = c.args.u(4);
      const ulen = noDeref(c) ? undefined : readInt(c, lenAddr);
      if (ulen === undefined) {
        c.state.decoded = true;
        return head + `${ptrText(c.args.u(3))}, ${ptrText(lenAddr)}`;
      }
      c.state.ulen = ulen;
      return head;
    },
    exit(c) {
      if (c.state.decoded) return "";
      const ulen = c.state.ulen as number;
      const rlen = failed(c) ? undefined : readInt(c, c.args.u(4));
      if (rlen === undefined) return `${ptrText(c.args.u(3))}, [${ulen}]`;
      return getsockoptValue(c, c.args.ui(1), c.args.ui(2), c.args.u(3), ulen, rlen) + ", [" +
        (ulen !== rlen ? `${ulen} => ` : "") + `${rlen}]`;
    },
  },
};
