/**
 * Decoders for the net family of syscalls (sockets), printing exactly as strace 6.1 does:
 * `socket`, `socketpair`, `bind`, `connect`, `listen`, `accept`, `accept4`, `getsockname`,
 * `getpeername`, `shutdown`, `sendto`, `recvfrom`, `sendmsg`, `recvmsg`, `sendmmsg`,
 * `recvmmsg`, `setsockopt` and `getsockopt`. Every hook returns typed values: socket addresses
 * are structs whose port is `htons(N)` and address `inet_addr("…")` (function-call values),
 * msghdrs are structs down to their iovecs and control messages, `[110 => 16]` is an array
 * holding a change.
 *
 * Also exports the socket address printer ({@linkcode sockaddrV}, its text
 * {@linkcode sockaddrText}) and parser ({@linkcode parseSockaddr}).
 *
 * @module
 */
import type { DecoderTable, SyscallCall, XlatStyle } from "./api.ts";
import {
  failed,
  fdV,
  hex,
  iovecArrayV,
  noDeref,
  ptrV,
  quoteBytes,
  strnV,
  structV,
  timespecValue,
  timevalValue,
  u64,
} from "./format.ts";
import type { Xlat } from "./xlat.ts";
import { decoded, type StructValue, V, type Value } from "./value.ts";
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
import { bpfFilterV, bpfFprogV, SOCK_FPROG_SIZE } from "./bpf_filter.ts";

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

/** A `[name, value]` list of struct fields. */
type Fields = [string, Value][];

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

/** Bytes as a string value printed in hex (`QUOTE_FORCE_HEX`): `-X raw` forms. */
function hexBytesV(bytes: Uint8Array): Value {
  return V.str(bytes.slice(), forceHex(bytes));
}

/** A text as a quoted string value: `"127.0.0.1"`. */
function quotedV(text: string, hex = 0): Value {
  const bytes = new TextEncoder().encode(text);
  return V.str(bytes, '"' + quoteBytes(bytes, hex) + '"');
}

/** C's `%#0*x` with width `w` (strace's `PRINT_VAL_0X`). */
function hex0(v: number, w: number): Value {
  if (v === 0) return V.uint(0, "0".repeat(w));
  return V.uint(v >>> 0, "0x" + (v >>> 0).toString(16).padStart(w - 2, "0"));
}

/**
 * A value strace prints as a function of its raw bytes (`htons(80)`): the call under `-X abbrev`,
 * the bytes in hex under `-X raw`, both under `-X verbose`.
 */
function styled(call: Value, raw: Uint8Array, style: XlatStyle): Value {
  if (style === "abbrev") return call;
  const r = hexBytesV(raw);
  return style === "raw" ? r : V.comment(r, call.text);
}

/**
 * A struct whose fields print as `name=value`, except the `bare` ones printed as their value
 * alone (strace's `inet_pton(AF_INET6, "::1", &sin6_addr)`, which names the field inside).
 */
function structOf(fields: Fields, bare: ReadonlySet<string>): StructValue {
  const v = V.struct(fields);
  if (!bare.size) return v;
  const text = "{" + fields.map(([n, f]) => bare.has(n) ? f.text : `${n}=${f.text}`).join(", ") +
    "}";
  return { ...v, text };
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

/**
 * strace's `print_ifindex`: `if_nametoindex("lo")` or the number. `hex` is the `-x` count: the
 * strings inside strace's function-like forms are quoted as any string is (`-xx`: all hex).
 */
export function ifindexV(index: number, style: XlatStyle, hex = 0): Value {
  const name = index ? ifName(index) : undefined;
  if (name === undefined || style === "raw") return V.uint(index);
  const call = V.call("if_nametoindex", [quotedV(name, hex)]);
  return style === "verbose" ? V.comment(V.uint(index), call.text) : call;
}

/** `htons(9000)` for a port in network order, honouring `-X`. */
function portV(b: Uint8Array, off: number, style: XlatStyle): Value {
  const port = (b[off] << 8) | b[off + 1];
  return styled(V.call("htons", [V.uint(port)]), b.subarray(off, off + 2), style);
}

/** `inet_addr("1.2.3.4")` (or the raw bytes under `-X`). */
function inet4V(b: Uint8Array, off: number, style: XlatStyle, hex = 0): Value {
  const call = V.call("inet_addr", [quotedV(ipv4Text(b, off), hex)]);
  return styled(call, b.subarray(off, off + 4), style);
}

/**
 * The field `name` holding an IPv6 address: `inet_pton(AF_INET6, "::1", &name)` printed bare
 * under `-X abbrev` (see {@linkcode structOf}), else `name=` the raw bytes.
 */
function inet6Field(
  name: string,
  b: Uint8Array,
  off: number,
  style: XlatStyle,
  bare: Set<string>,
  hex = 0,
): [string, Value] {
  const addr = quotedV(ipv6Text(b, off), hex);
  const raw = b.subarray(off, off + 16);
  if (style === "abbrev") {
    bare.add(name);
    // `&name` is C's address-of the field itself: kept as its text.
    return [
      name,
      V.call("inet_pton", [V.named("AF_INET6", AF_INET6, "AF_INET6"), addr, V.raw(`&${name}`)]),
    ];
  }
  const r = hexBytesV(raw);
  return [name, style === "raw" ? r : V.comment(r, `inet_pton(AF_INET6, ${addr.text})`)];
}

// ---------------------------------------------------------------------------------------------
// Socket addresses

function sockaddrIn(b: Uint8Array, style: XlatStyle, hex: number): Fields {
  return [["sin_port", portV(b, 2, style)], ["sin_addr", inet4V(b, 4, style, hex)]];
}

function sockaddrIn6(
  b: Uint8Array,
  len: number,
  style: XlatStyle,
  bare: Set<string>,
  hex: number,
): Fields {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const f: Fields = [
    ["sin6_port", portV(b, 2, style)],
    [
      "sin6_flowinfo",
      styled(V.call("htonl", [V.uint(dv.getUint32(4, false))]), b.subarray(4, 8), style),
    ],
    inet6Field("sin6_addr", b, 8, style, bare, hex),
  ];
  if (len <= 24) return f;
  const scope = dv.getUint32(24, true);
  const linkLocal = (b[8] === 0xfe && (b[9] & 0xc0) === 0x80) ||
    (b[8] === 0xff && (b[9] & 0x0f) === 2);
  f.push(["sin6_scope_id", linkLocal ? ifindexV(scope, style, hex) : V.uint(scope)]);
  return f;
}

function sockaddrUn(b: Uint8Array, len: number, hexStrings: number): Fields {
  const unLen = Math.min(len, 110);
  const pathLen = unLen - 2;
  if (b[2] !== 0) {
    let end = 2;
    while (end < 2 + pathLen && b[end] !== 0) end++;
    const p = b.slice(2, end);
    return [["sun_path", V.str(p, `"${quoteBytes(p, hexStrings)}"`)]];
  }
  // An abstract name: `@"name"`; its bytes start with `@` in the typed value, as -yy writes it.
  const name = b.subarray(3, 3 + Math.max(0, pathLen - 1));
  const bytes = new Uint8Array(name.length + 1);
  bytes[0] = 0x40;
  bytes.set(name, 1);
  return [["sun_path", V.str(bytes, `@"${quoteBytes(name, hexStrings)}"`)]];
}

function sockaddrNl(b: Uint8Array): Fields {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const pad = dv.getUint16(2, true);
  const pid = dv.getUint32(4, true);
  const groups = dv.getUint32(8, true);
  const f: Fields = pad ? [["nl_pad", V.hex(pad)]] : [];
  f.push(["nl_pid", V.int(pid | 0)], ["nl_groups", hex0(groups, 8)]);
  return f;
}

function sockaddrLl(b: Uint8Array, len: number, style: XlatStyle, hex: number): Fields {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const proto = dv.getUint16(2, false);
  const call = V.call("htons", [V.xval(ethernetProtocols, proto, "abbrev", "ETH_P_???")]);
  const f: Fields = [
    ["sll_protocol", styled(call, b.subarray(2, 4), style)],
    ["sll_ifindex", ifindexV(dv.getInt32(4, true) >>> 0, style, hex)],
    ["sll_hatype", V.xval(arpHardwareTypes, dv.getUint16(8, true), style, "ARPHRD_???")],
    ["sll_pkttype", V.xval(afPacketTypes, b[10], style, "PACKET_???")],
  ];
  const halen = b[11];
  f.push(["sll_halen", V.uint(halen)]);
  if (halen) {
    const oob = len - 12;
    const items: Value[] = [];
    let cut = false;
    for (let i = 0; i < halen; i++) {
      if (i >= oob) {
        cut = true;
        break;
      }
      items.push(hex0(b[12 + i] ?? 0, 2));
    }
    f.push(["sll_addr", V.array(items, cut)]);
  }
  return f;
}

/**
 * A socket address as strace's `print_sockaddr` prints it, from the `addrlen` bytes read from
 * the tracee (at most 128 are used): `{sa_family=AF_INET, sin_port=htons(80), …}`, typed.
 */
export function sockaddrV(bytes: Uint8Array, opts: SockaddrTextOptions = {}): StructValue {
  const style = opts.xlat ?? "abbrev";
  const hexStrings = opts.hexStrings ?? 0;
  const len = Math.min(bytes.length, SOCKADDR_STORAGE);
  const b = new Uint8Array(SOCKADDR_STORAGE + 1);
  b.set(bytes.subarray(0, len));
  const family = b[0] | (b[1] << 8);
  const f: Fields = [["sa_family", V.xval(addrfams, family, style, "AF_???")]];
  const bare = new Set<string>();
  if (len > 2) {
    if (family === AF_UNIX && len >= 3) f.push(...sockaddrUn(b, len, hexStrings));
    else if (family === AF_INET && len >= 16) f.push(...sockaddrIn(b, style, hexStrings));
    else if (family === AF_INET6 && len >= 24) {
      f.push(...sockaddrIn6(b, len, style, bare, hexStrings));
    } else if (family === AF_NETLINK && len >= 12) f.push(...sockaddrNl(b));
    else if (family === AF_PACKET && len >= 20) f.push(...sockaddrLl(b, len, style, hexStrings));
    else {
      const d = b.slice(2, len);
      f.push(["sa_data", V.str(d, `"${quoteBytes(d, hexStrings)}"`)]);
    }
  }
  return structOf(f, bare);
}

/** The text of {@linkcode sockaddrV}: `{sa_family=AF_INET, sin_port=htons(80), …}`. */
export function sockaddrText(bytes: Uint8Array, opts: SockaddrTextOptions = {}): string {
  return sockaddrV(bytes, opts).text;
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
function decodeSockaddr(c: SyscallCall, addr: number, addrlen: number): Value {
  if (addrlen < 2) return V.ptr(addr);
  if (!addr) return V.ptr(0);
  if (noDeref(c)) return V.ptr(addr);
  const len = addrlen > SOCKADDR_STORAGE ? SOCKADDR_STORAGE : addrlen;
  const bytes = c.mem.read(addr, len);
  if (!bytes) return V.unavailable(addr);
  return sockaddrV(bytes, { xlat: c.opts.xlat, hexStrings: c.opts.hexStrings });
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
function numInt(c: SyscallCall, addr: number): Value {
  const v = readInt(c, addr);
  return v === undefined ? V.unavailable(addr) : V.array([V.int(v)]);
}

/** `[ulen => rlen]` (or `[rlen]`): a socklen the kernel rewrote. */
function socklenV(ulen: number, rlen: number): Value {
  return V.array([ulen !== rlen ? V.change(V.int(ulen), V.int(rlen)) : V.int(rlen)]);
}

/** strace's `printstr_ex(..., QUOTE_FORCE_HEX)` of `len` bytes. */
function hexStr(c: SyscallCall, addr: number, len: number): Value {
  if (!addr) return V.ptr(0);
  const size = Math.min(len, c.opts.strsize);
  const b = c.mem.read(addr, size);
  if (!b) return V.unavailable(addr);
  return V.str(
    b,
    forceHex(b) + (len > size ? "..." : ""),
    len > size,
    len > size ? len : undefined,
  );
}

/** strace's `tprint_sock_type`: the type's name, then the flag bits. */
function sockType(v: number, style: XlatStyle): Value {
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
    if (!rest) return V.flagsOf([name], 0, v, first);
    const fl = V.flags(sockTypeFlags, rest, style, "SOCK_???");
    return V.flagsOf([name, ...fl.names], fl.rest, v, first + "|" + fl.text);
  }
  return V.flags(sockTypeFlags, v, style, "SOCK_???");
}

function msgFlagsV(c: SyscallCall, v: number): Value {
  return V.flags(msgFlags, v >>> 0, c.opts.xlat, "MSG_???");
}

/** A pair of descriptors (socketpair's `sv`). */
function fdPair(c: SyscallCall, addr: number): Value {
  if (!addr) return V.ptr(0);
  if (failed(c) || noDeref(c)) return V.ptr(addr);
  const b = c.mem.read(addr, 8);
  if (!b) {
    const first = c.mem.read(addr, 4);
    if (!first) return V.unavailable(addr);
    const v = new DataView(first.buffer, first.byteOffset, 4).getInt32(0, true);
    return V.array([fdV(c, v)], true, `... /* ${hex(addr + 4)} */`);
  }
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  return V.array([fdV(c, dv.getInt32(0, true)), fdV(c, dv.getInt32(4, true))]);
}

/** The result of a call returning a descriptor (strace's `RVAL_FD`). */
function fdResult(c: SyscallCall): Value | undefined {
  return c.opts.decodeFds ? fdV(c, c.rval) : undefined;
}

/**
 * For a call strace prints whole at entry (`RVAL_DECODED`): the entry's values, marked
 * {@linkcode decoded}; the exit hook then returns `[]` (see {@linkcode decodedAtExit}).
 */
function decodedAtEntry(c: SyscallCall, vals: Value[]): readonly Value[] {
  c.state.decodedAtEntry = true;
  return decoded(vals);
}

/** Whether the entry printed the whole call ({@linkcode decodedAtEntry}). */
function decodedAtExit(c: SyscallCall): boolean {
  return c.state.decodedAtEntry === true;
}

// ---------------------------------------------------------------------------------------------
// Names of socket options

function pickXlat(name: number, dflt: string, style: XlatStyle, ...tables: Xlat[]): Value {
  for (const t of tables) {
    if (t.byValue.has(name)) return V.xval(t, name, style, dflt);
  }
  return V.xval(tables[0], name, style, dflt);
}

function sockoptName(c: SyscallCall, level: number, name: number, isGet: boolean): Value {
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
      return V.xval(sockTcpOptions, name, st, "TCP_???");
    case SOL_UDP:
      return V.xval(sockUdpOptions, name, st, "UDP_???");
    case SOL_PACKET:
      return V.xval(sockPacketOptions, name, st, "PACKET_???");
    case SOL_RAW:
      return V.xval(sockRawOptions, name, st, "RAW_???");
    case SOL_NETLINK:
      return V.xval(sockNetlinkOptions, name, st, "NETLINK_???");
    default:
      return V.uint(name >>> 0);
  }
}

function sockoptHead(c: SyscallCall, isGet: boolean): Value[] {
  const level = c.args.ui(1);
  return [
    fdV(c, c.args.i(0)),
    V.xval(socketlayers, level, c.opts.xlat, "SOL_??"),
    sockoptName(c, level, c.args.ui(2), isGet),
  ];
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
const SO_ATTACH_FILTER = 26;
const SO_ATTACH_REUSEPORT_CBPF = 51;

function txrehash(c: SyscallCall, addr: number, len: number, exiting: boolean): Value {
  if (len < 4) return exiting ? hexStr(c, addr, len) : V.ptr(addr);
  const v = readInt(c, addr);
  if (v === undefined) return V.unavailable(addr);
  return V.array([V.xval(sockoptTxrehashVals, v, c.opts.xlat, "SOCK_TXREHASH_???", "dec")]);
}

/** A struct of int fields that fit in `len` bytes (MAYBE_PRINT_FIELD_LEN): cut ones in hex. */
function partialStruct(
  b: Uint8Array,
  len: number,
  fields: [string, (v: DataView) => Value][],
): Value {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Fields = [];
  fields.forEach(([name, pr], i) => {
    const start = i * 4;
    if (len > start) {
      out.push([name, len >= start + 4 ? pr(dv) : hexBytesV(b.subarray(start, len))]);
    }
  });
  return V.struct(out);
}

/** A uid/gid: `-1` or unsigned. */
function id(v: number): Value {
  return v === -1 ? V.int(-1) : V.uint(v >>> 0);
}

function getsockoptValue(
  c: SyscallCall,
  level: number,
  name: number,
  addr: number,
  ulen: number,
  rlen: number,
): Value {
  if (ulen <= 0 || rlen <= 0) return V.ptr(addr);
  if (addr) {
    if (level === SOL_SOCKET) {
      if (name === SO_LINGER) {
        const len = Math.min(rlen, 8);
        const b = c.mem.read(addr, len);
        if (!b) return V.unavailable(addr);
        return partialStruct(b, len, [
          ["l_onoff", (v) => V.int(v.getInt32(0, true))],
          ["l_linger", (v) => V.int(v.getInt32(4, true))],
        ]);
      }
      if (name === SO_PEERCRED) {
        const len = Math.min(rlen, 12);
        const b = c.mem.read(addr, len);
        if (!b) return V.unavailable(addr);
        return partialStruct(b, len, [
          ["pid", (v) => V.int(v.getInt32(0, true))],
          ["uid", (v) => id(v.getInt32(4, true))],
          ["gid", (v) => id(v.getInt32(8, true))],
        ]);
      }
      if (name === SO_ERROR) {
        if (rlen < 4) return hexStr(c, addr, rlen);
        const v = readInt(c, addr);
        if (v === undefined) return V.unavailable(addr);
        const err = v >>> 0;
        const ename = errnoNames.byValue.get(err);
        const st = c.opts.xlat;
        if (!ename || st === "raw") return V.array([V.named(ename, err, String(err))]);
        return V.array([V.named(ename, err, st === "abbrev" ? ename : `${err} /* ${ename} */`)]);
      }
      if (name === SO_ATTACH_FILTER) {
        // SO_GET_FILTER returns the instruction count, an unsigned short unless forged.
        return rlen <= 0xffff ? bpfFilterV(c, addr, rlen, "sock") : V.ptr(addr);
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
  return strnV(c, addr, rlen);
}

function u32Array(c: SyscallCall, addr: number, n: number): Value {
  if (!addr) return V.ptr(0);
  if (n === 0) return V.array([]);
  const max = c.opts.verbose ? n : Math.min(n, c.opts.strsize);
  const items: Value[] = [];
  for (let i = 0; i < max; i++) {
    const b = c.mem.read(addr + i * 4, 4);
    if (!b) {
      if (i === 0) return V.unavailable(addr);
      return V.array(items, true, `... /* ${hex(addr + i * 4)} */`);
    }
    items.push(V.uint(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)));
  }
  return V.array(items, max < n);
}

function setsockoptValue(
  c: SyscallCall,
  level: number,
  name: number,
  addr: number,
  len: number,
): Value {
  // strace prints the option value's address for a call outside `-e verbose=`.
  if (noDeref(c)) return V.ptr(addr);
  if (addr) {
    if (level === SOL_SOCKET) {
      if (name === SO_LINGER) {
        if (len < 8) return V.ptr(addr);
        const b = c.mem.read(addr, 8);
        if (!b) return V.unavailable(addr);
        const v = new DataView(b.buffer, b.byteOffset, 8);
        return V.struct([
          ["l_onoff", V.int(v.getInt32(0, true))],
          ["l_linger", V.int(v.getInt32(4, true))],
        ]);
      }
      if (name === SO_ATTACH_FILTER || name === SO_ATTACH_REUSEPORT_CBPF) {
        return len === SOCK_FPROG_SIZE ? bpfFprogV(c, addr, "sock") : V.ptr(addr);
      }
      if (name === SO_TXREHASH) return txrehash(c, addr, len, false);
      if (INT_SOCKOPTS.has(name)) return len < 4 ? V.ptr(addr) : numInt(c, addr);
    } else if (level === SOL_IP && (name === 35 || name === 36)) {
      // IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP
      if (len < 8) return V.ptr(addr);
      const b = c.mem.read(addr, 8);
      if (!b) return V.unavailable(addr);
      const [st, x] = [c.opts.xlat, c.opts.hexStrings];
      return V.struct([
        ["imr_multiaddr", inet4V(b, 0, st, x)],
        ["imr_interface", inet4V(b, 4, st, x)],
      ]);
    } else if (level === SOL_IPV6 && (name === 20 || name === 21 || name === 27 || name === 28)) {
      if (len < 20) return V.ptr(addr);
      const b = c.mem.read(addr, 20);
      if (!b) return V.unavailable(addr);
      const st = c.opts.xlat;
      const idx = new DataView(b.buffer, b.byteOffset, 20).getUint32(16, true);
      const bare = new Set<string>();
      return structOf([
        inet6Field("ipv6mr_multiaddr", b, 0, st, bare, c.opts.hexStrings),
        ["ipv6mr_interface", ifindexV(idx, st, c.opts.hexStrings)],
      ], bare);
    } else if (level === SOL_NETLINK) {
      return len < 4 ? V.ptr(addr) : numInt(c, addr);
    }
  }
  if (len === 4) return numInt(c, addr);
  return strnV(c, addr, len);
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

/** What strace prints for a msghdr it did not read: `NULL`, or the address. */
function unreadMsghdr(c: SyscallCall, addr: number): Value {
  return !addr || noDeref(c) ? V.ptr(addr) : V.unavailable(addr);
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

/** `cmsg_type` and, when strace decodes it, `cmsg_data` of one control message. */
function cmsgData(c: SyscallCall, level: number, type: number, d: Uint8Array): Fields {
  const st = c.opts.xlat;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const utype = type >>> 0;
  if (level === SOL_SOCKET) {
    const f: Fields = [["cmsg_type", V.xval(scmvals, utype, st, "SCM_???")]];
    if (utype === 1 && d.length >= 4) {
      const fds: Value[] = [];
      const n = Math.floor(d.length / 4);
      const max = c.opts.verbose ? n : Math.min(n, c.opts.strsize);
      for (let i = 0; i < max; i++) fds.push(fdV(c, dv.getInt32(i * 4, true)));
      f.push(["cmsg_data", V.array(fds, max < n)]);
    } else if (utype === 2 && d.length >= 12) {
      f.push([
        "cmsg_data",
        V.struct([
          ["pid", V.int(dv.getInt32(0, true))],
          ["uid", id(dv.getInt32(4, true))],
          ["gid", id(dv.getInt32(8, true))],
        ]),
      ]);
    } else if (utype === 3 && d.length >= 1) {
      f.push(["cmsg_data", V.str(d.slice(), `"${quoteBytes(d, c.opts.hexStrings)}"`)]);
    } else if ((utype === 29 || utype === 63) && d.length >= 16) {
      // SO_TIMESTAMP_OLD / _NEW: struct timeval
      f.push(["cmsg_data", timevalValue(dv)]);
    } else if ((utype === 35 || utype === 64) && d.length >= 16) {
      f.push(["cmsg_data", timespecValue(dv)]);
    }
    return f;
  }
  if (level === SOL_IP) {
    const f: Fields = [["cmsg_type", V.xval(ipCmsgTypes, utype, st, "IP_???")]];
    if (utype === 8 && d.length >= 12) {
      // IP_PKTINFO
      f.push([
        "cmsg_data",
        V.struct([
          ["ipi_ifindex", ifindexV(dv.getUint32(0, true), st, c.opts.hexStrings)],
          ["ipi_spec_dst", inet4V(d, 4, st, c.opts.hexStrings)],
          ["ipi_addr", inet4V(d, 8, st, c.opts.hexStrings)],
        ]),
      ]);
    } else if ((utype === 2 || utype === 23) && d.length >= 4) {
      const n = Math.floor(d.length / 4);
      const items: Value[] = [];
      for (let i = 0; i < n; i++) items.push(V.uint(dv.getUint32(i * 4, true)));
      f.push(["cmsg_data", V.array(items)]);
    } else if ((utype === 1 || utype === 6 || utype === 7) && d.length >= 1) {
      f.push(["cmsg_data", V.array([...d].map((x) => V.hex(x)))]);
    } else if (utype === 20 && d.length >= 16) {
      f.push(["cmsg_data", sockaddrV(d.subarray(0, Math.min(d.length, 128)), { xlat: st })]);
    }
    return f;
  }
  return [["cmsg_type", V.hex(utype)]];
}

function msgControl(c: SyscallCall, addr: number, inLen: number): Value {
  const cmsgSize = 16;
  const controlLen = inLen > getOptmemMax() ? getOptmemMax() : inLen;
  let bufLen = controlLen;
  if (bufLen < cmsgSize || !addr) return V.ptr(addr);
  const buf = c.mem.read(addr, bufLen);
  if (!buf) return V.unavailable(addr);
  const items: Value[] = [];
  let off = 0;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (bufLen >= cmsgSize) {
    const cmsgLen = u64(dv, off);
    const level = dv.getInt32(off + 8, true);
    const type = dv.getInt32(off + 12, true);
    let len = cmsgLen > bufLen ? bufLen : cmsgLen;
    const data = buf.subarray(off + cmsgSize, off + Math.max(len, cmsgSize));
    items.push(V.struct([
      ["cmsg_len", V.uint(cmsgLen)],
      ["cmsg_level", V.xval(socketlayers, level >>> 0, c.opts.xlat, "SOL_???")],
      ...cmsgData(c, level, type, data),
    ]));
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
  if (bufLen) return V.array(items, true, `... /* ${hex(addr + (controlLen - bufLen))} */`);
  return V.array(items, controlLen < inLen);
}

/** strace's `print_struct_msghdr`. */
function msghdrV(
  c: SyscallCall,
  m: MsgHdr,
  userNamelen: number | undefined,
  dataSize: number,
): Value {
  const namelen = userNamelen !== undefined && (m.namelen | 0) > userNamelen
    ? userNamelen
    : m.namelen | 0;
  const f: Fields = [
    ["msg_name", decodeSockaddr(c, m.name, namelen)],
    [
      "msg_namelen",
      userNamelen !== undefined && userNamelen !== (m.namelen | 0)
        ? V.change(V.int(userNamelen), V.int(m.namelen | 0))
        : V.int(m.namelen | 0),
    ],
    ["msg_iov", iovecArrayV(c, m.iov, m.iovlen, dataSize < 0 ? null : dataSize)],
    ["msg_iovlen", V.uint(m.iovlen)],
  ];
  if (m.controllen) f.push(["msg_control", msgControl(c, m.control, m.controllen)]);
  f.push(["msg_controllen", V.uint(m.controllen)], ["msg_flags", msgFlagsV(c, m.flags)]);
  return V.struct(f);
}

// ---------------------------------------------------------------------------------------------
// Decoders

/**
 * getsockname/getpeername/accept(4): `fd` at entry, the address and its length at exit; with no
 * readable length (strace's `fetch_socklen`), the whole call at entry, `accept4`'s flags too.
 */
function socknameEnter(c: SyscallCall, tail: Value[] = []): readonly Value[] {
  const addr = c.args.u(1), lenAddr = c.args.u(2);
  const head = fdV(c, c.args.i(0));
  // strace's `fetch_socklen`: nothing is read for a call outside `-e verbose=`.
  const ulen = addr && lenAddr && !noDeref(c) ? readInt(c, lenAddr) : undefined;
  if (ulen === undefined) return decodedAtEntry(c, [head, ptrV(c, 1), ptrV(c, 2), ...tail]);
  c.state.ulen = ulen;
  return [head];
}

function socknameExit(c: SyscallCall, tail: Value[] = []): Value[] {
  if (decodedAtExit(c)) return [];
  const ulen = (c.state.ulen as number | undefined) ?? 0;
  const addr = c.args.u(1);
  const rlen = failed(c) ? undefined : readInt(c, c.args.u(2));
  if (rlen === undefined) return [ptrV(c, 1), V.array([V.int(ulen)]), ...tail];
  return [decodeSockaddr(c, addr, ulen > rlen ? rlen : ulen), socklenV(ulen, rlen), ...tail];
}

/** `accept4`'s flags. */
function accept4Flags(c: SyscallCall): Value {
  return V.flags(sockTypeFlags, c.args.ui(3), c.opts.xlat, "SOCK_???");
}

function timespecAt(c: SyscallCall, addr: number): Value {
  return structV(c, addr, 16, (v) => timespecValue(v));
}

/** An mmsghdr vector (strace's `decode_mmsgvec`). */
function mmsgvec(
  c: SyscallCall,
  addr: number,
  vlen: number,
  msgLenCount: number,
  useMsgLen: boolean,
  namelens: number[] | undefined,
): Value {
  if (!addr) return V.ptr(0);
  if (vlen === 0) return V.array([]);
  const max = c.opts.verbose ? vlen : Math.min(vlen, c.opts.strsize);
  let count = namelens ? Math.min(namelens.length, 1024) : 1024;
  const items: Value[] = [];
  for (let i = 0; i < vlen; i++) {
    const b = c.mem.read(addr + i * 64, 64);
    if (!b) {
      if (i === 0) return V.unavailable(addr);
      return V.array(items, true, `... /* ${hex(addr + i * 64)} */`);
    }
    if (i >= max || !count) return V.array(items, true);
    count--;
    const m = parseMsghdr(b);
    const msgLen = new DataView(b.buffer, b.byteOffset, 64).getUint32(56, true);
    const f: Fields = [["msg_hdr", msghdrV(c, m, namelens?.[i], useMsgLen ? msgLen : -1)]];
    if (i < msgLenCount) f.push(["msg_len", V.uint(msgLen)]);
    items.push(V.struct(f));
  }
  return V.array(items);
}

/** Decoders of this family, by syscall name. */
export const decoders: DecoderTable = {
  socket: {
    enter(c) {
      const family = c.args.ui(0);
      const st = c.opts.xlat;
      let proto: Value;
      const p = c.args.ui(2);
      switch (family) {
        case AF_INET:
        case AF_INET6:
          proto = V.xval(inetProtocols, p, st, "IPPROTO_???");
          break;
        case AF_NETLINK:
          proto = V.xval(netlinkProtocols, p, st, "NETLINK_???");
          break;
        case AF_PACKET:
          proto = V.call("htons", [
            V.xval(ethernetProtocols, ((p & 0xff) << 8) | ((p >> 8) & 0xff), st, "ETH_P_???"),
          ]);
          break;
        default:
          proto = V.uint(c.args.u(2), uText(c.args.u(2)));
      }
      return [V.xval(addrfams, family, st, "AF_???"), sockType(c.args.ui(1), st), proto];
    },
    result: fdResult,
  },
  socketpair: {
    enter(c) {
      const st = c.opts.xlat;
      return [
        V.xval(addrfams, c.args.ui(0), st, "AF_???"),
        sockType(c.args.ui(1), st),
        V.uint(c.args.u(2), uText(c.args.u(2))),
      ];
    },
    exit: (c) => [fdPair(c, c.args.u(3))],
  },
  bind: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      decodeSockaddr(c, c.args.u(1), c.args.i(2)),
      V.int(c.args.i(2)),
    ],
  },
  connect: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      decodeSockaddr(c, c.args.u(1), c.args.i(2)),
      V.int(c.args.i(2)),
    ],
  },
  listen: { enter: (c) => [fdV(c, c.args.i(0)), V.int(c.args.i(1))] },
  shutdown: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      V.xval(shutdownModes, c.args.ui(1), c.opts.xlat, "SHUT_???"),
    ],
  },
  getsockname: { enter: (c) => socknameEnter(c), exit: (c) => socknameExit(c) },
  getpeername: { enter: (c) => socknameEnter(c), exit: (c) => socknameExit(c) },
  accept: { enter: (c) => socknameEnter(c), exit: (c) => socknameExit(c), result: fdResult },
  accept4: {
    enter: (c) => socknameEnter(c, [accept4Flags(c)]),
    exit: (c) => socknameExit(c, [accept4Flags(c)]),
    result: fdResult,
  },
  sendto: {
    enter: (c) => [
      fdV(c, c.args.i(0)),
      strnV(c, c.args.u(1), c.args.u(2)),
      V.uint(c.args.u(2), uText(c.args.u(2))),
      msgFlagsV(c, c.args.ui(3)),
      decodeSockaddr(c, c.args.u(4), c.args.i(5)),
      V.int(c.args.i(5)),
    ],
  },
  recvfrom: {
    enter(c) {
      const addr = c.args.u(4), lenAddr = c.args.u(5);
      if (addr && lenAddr && !noDeref(c)) {
        const v = readInt(c, lenAddr);
        if (v !== undefined) c.state.ulen = v;
      }
      return [fdV(c, c.args.i(0))];
    },
    exit(c) {
      const buf = failed(c) ? ptrV(c, 1) : strnV(c, c.args.u(1), Math.min(c.rval, c.args.u(2)));
      const head = [buf, V.uint(c.args.u(2), uText(c.args.u(2))), msgFlagsV(c, c.args.ui(3))];
      const addr = c.args.u(4), lenAddr = c.args.u(5);
      const ulen = (c.state.ulen as number | undefined) ?? 0;
      const rlen = addr && lenAddr && !noDeref(c) ? readInt(c, lenAddr) : undefined;
      if (rlen === undefined) return [...head, ptrV(c, 4), ptrV(c, 5)];
      if (failed(c)) return [...head, ptrV(c, 4), V.array([V.int(ulen)])];
      return [...head, decodeSockaddr(c, addr, ulen > rlen ? rlen : ulen), socklenV(ulen, rlen)];
    },
  },
  sendmsg: {
    enter(c) {
      const addr = c.args.u(1);
      const m = fetchMsghdr(c, addr);
      return [
        fdV(c, c.args.i(0)),
        m ? msghdrV(c, m, undefined, -1) : unreadMsghdr(c, addr),
        msgFlagsV(c, c.args.ui(2)),
      ];
    },
  },
  recvmsg: {
    enter(c) {
      const addr = c.args.u(1);
      const m = fetchMsghdr(c, addr);
      const head = fdV(c, c.args.i(0));
      if (!m) return decodedAtEntry(c, [head, unreadMsghdr(c, addr), msgFlagsV(c, c.args.ui(2))]);
      c.state.namelen = m.namelen | 0;
      return [head];
    },
    exit(c) {
      if (decodedAtExit(c)) return [];
      const namelen = c.state.namelen as number;
      let v: Value;
      if (failed(c)) v = V.struct([["msg_namelen", V.int(namelen)]]);
      else {
        const addr = c.args.u(1);
        const m = fetchMsghdr(c, addr);
        v = m ? msghdrV(c, m, namelen, c.rval) : unreadMsghdr(c, addr);
      }
      return [v, msgFlagsV(c, c.args.ui(2))];
    },
  },
  sendmmsg: {
    enter(c) {
      const head = fdV(c, c.args.i(0));
      if (!noDeref(c)) return [head];
      return decodedAtEntry(c, [
        head,
        ptrV(c, 1),
        V.uint(c.args.ui(2)),
        msgFlagsV(c, c.args.ui(3)),
      ]);
    },
    exit(c) {
      if (decodedAtExit(c)) return [];
      const msgLenCount = failed(c) ? 0 : c.rval;
      return [
        mmsgvec(c, c.args.u(1), c.args.ui(2), msgLenCount, false, undefined),
        V.uint(c.args.ui(2)),
        msgFlagsV(c, c.args.ui(3)),
      ];
    },
  },
  recvmmsg: {
    enter(c) {
      if (noDeref(c)) {
        return decodedAtEntry(c, [
          fdV(c, c.args.i(0)),
          ptrV(c, 1),
          V.uint(c.args.ui(2)),
          msgFlagsV(c, c.args.ui(3)),
          timespecAt(c, c.args.u(4)),
        ]);
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
      return [fdV(c, c.args.i(0))];
    },
    exit(c) {
      if (decodedAtExit(c)) return [];
      const n = failed(c) ? 0 : c.rval;
      const vec = failed(c)
        ? ptrV(c, 1)
        : mmsgvec(c, c.args.u(1), n, n, true, c.state.namelens as number[] | undefined);
      return [vec, V.uint(c.args.ui(2)), msgFlagsV(c, c.args.ui(3)), c.state.timeout as Value];
    },
    result(c) {
      if (c.rval === 0) return V.int(0, "0 (Timeout)");
      if (!c.args.u(4) || noDeref(c)) return undefined;
      return V.int(c.rval, `${c.rval} (left ${timespecAt(c, c.args.u(4)).text})`);
    },
  },
  setsockopt: {
    enter: (c) => [
      ...sockoptHead(c, false),
      setsockoptValue(c, c.args.ui(1), c.args.ui(2), c.args.u(3), c.args.i(4)),
      V.int(c.args.i(4)),
    ],
  },
  getsockopt: {
    enter(c) {
      const head = sockoptHead(c, true);
      const lenAddr = c.args.u(4);
      const ulen = noDeref(c) ? undefined : readInt(c, lenAddr);
      if (ulen === undefined) return decodedAtEntry(c, [...head, ptrV(c, 3), ptrV(c, 4)]);
      c.state.ulen = ulen;
      return head;
    },
    exit(c) {
      if (decodedAtExit(c)) return [];
      const ulen = c.state.ulen as number;
      const rlen = failed(c) ? undefined : readInt(c, c.args.u(4));
      if (rlen === undefined) return [ptrV(c, 3), V.array([V.int(ulen)])];
      return [
        getsockoptValue(c, c.args.ui(1), c.args.ui(2), c.args.u(3), ulen, rlen),
        socklenV(ulen, rlen),
      ];
    },
  },
};
