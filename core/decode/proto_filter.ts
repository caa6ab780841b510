/**
 * `--proto-filter EXPR`: a small expression language over protocol messages and requests.
 *
 * ```
 * expr   := or
 * or     := and ("or" and)*          also `||`
 * and    := unary ("and" unary)*     also `&&`
 * unary  := "not" unary | "!" unary | "(" expr ")" | test
 * test   := NAME [OP VALUE]
 * OP     := == | = | != | > | >= | < | <= | ~ (regex match) | !~ (regex non-match)
 * VALUE  := number [unit] | "quoted string" | 'quoted string' | bare-word
 * unit   := ns | us | ms | s | m (durations, in seconds) | k | kb | m | mb (not for duration)
 * ```
 *
 * Names: `proto`, `kind`, `dir`, `fd`, `role`, `local`, `peer`, `text`, `error`, and `duration`
 * (alias `latency`: a response's seconds since its request; a request's total), or
 * `PROTO.FIELD`: a structured field of a message of that protocol (`http.status`, `http.uri`,
 * `mysql.query`, `mysql.error_code`, `redis.command`); `PROTO` alone is true for a message of that
 * protocol, `PROTO.error` for one of its errors. A name alone is true when the value exists and is
 * not `false`, `0`, `""` or `null`. A test on a missing value is false (also with `!=`).
 * For a request (`--requests`), a `PROTO.FIELD` test is true when any message of the request of
 * that protocol passes it (`mysql.error` keeps the requests with a failing query).
 * @module
 */

import type { Json } from "../../decoders/value.ts";

/** What a filter is evaluated over: a getter of values by name (a list: any may match). */
export type FilterSubject = (name: string) => Json[];

/** A compiled filter. */
export type ProtoFilter = (get: FilterSubject) => boolean;

type Node =
  | { t: "or" | "and"; a: Node; b: Node }
  | { t: "not"; a: Node }
  | { t: "test"; name: string; op?: string; value?: Json; re?: RegExp };

const OPS = ["==", "!=", ">=", "<=", "!~", "=", ">", "<", "~"];

/** A bad filter: the message says what and where. */
export class FilterError extends Error {}

/**
 * The error for a bad `--proto-filter` expression, one line as strace words a bad option:
 * `invalid --proto-filter 'http.status>>1': expected a value after '>' at offset 13`; undefined
 * when it compiles.
 */
export function filterError(src: string): string | undefined {
  try {
    compileFilter(src);
    return undefined;
  } catch (e) {
    const why = e instanceof FilterError ? e.message : String(e);
    return `invalid --proto-filter '${src}': ${why}`.replace(/[^\x20-\x7e]/g, "?");
  }
}

/** Compiles `src`; throws {@linkcode FilterError} with a one-line message when it is not valid. */
export function compileFilter(src: string): ProtoFilter {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => toks[i]?.v;
  const fail = (what: string): never => {
    const at = toks[i]?.at ?? src.length;
    throw new FilterError(`${what} at offset ${at}`);
  };
  const or = (): Node => {
    let a = and();
    while (peek() === "or" || peek() === "||") {
      i++;
      a = { t: "or", a, b: and() };
    }
    return a;
  };
  const and = (): Node => {
    let a = unary();
    while (peek() === "and" || peek() === "&&") {
      i++;
      a = { t: "and", a, b: unary() };
    }
    return a;
  };
  const unary = (): Node => {
    const v = peek();
    if (v === undefined) return fail("unexpected end of expression");
    if (v === "not" || v === "!") {
      i++;
      return { t: "not", a: unary() };
    }
    if (v === "(") {
      i++;
      const e = or();
      if (peek() !== ")") fail("expected ')'");
      i++;
      return e;
    }
    const tk = toks[i];
    if (tk.kind !== "word" || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(tk.v)) {
      return fail(`expected a field name, not '${tk.v}'`);
    }
    i++;
    const name = tk.v.toLowerCase();
    const op = peek();
    if (op === undefined || !OPS.includes(op) || toks[i].kind !== "op") return { t: "test", name };
    i++;
    const vt = toks[i];
    if (!vt || vt.kind === "op" || (vt.kind === "word" && /^(and|or|not|\(|\))$/.test(vt.v))) {
      return fail(`expected a value after '${op}'`);
    }
    i++;
    if (op === "~" || op === "!~") {
      try {
        return { t: "test", name, op, re: new RegExp(vt.v) };
      } catch {
        return fail(`bad regular expression '${vt.v}'`);
      }
    }
    let value: Json = vt.v;
    if (vt.kind === "word") {
      const n = numberValue(vt.v, name);
      if (n === null) fail(`bad number '${vt.v}'`);
      if (n !== undefined) value = n;
    }
    return { t: "test", name, op, value };
  };
  if (!toks.length) throw new FilterError("empty expression");
  const tree = or();
  if (i < toks.length) fail(`unexpected '${toks[i].v}'`);
  return (get) => evaluate(tree, get);
}

/**
 * A number with an optional unit: durations (`ns`, `us`, `ms`, `s`, `m`) in seconds for
 * `duration`/`latency`, sizes (`k`, `kb`, `m`, `mb`) in bytes for other names; `undefined` when
 * the word is not a number (a bare string), `null` when it is a number with a bad unit.
 */
function numberValue(w: string, name: string): number | null | undefined {
  const m = /^(-?\d+(?:\.\d+)?)([a-z]*)$/i.exec(w);
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2].toLowerCase();
  if (u === "") return n;
  const time = name === "duration" || name === "latency";
  const units: Record<string, number> = time
    ? { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60 }
    : { k: 1024, kb: 1024, m: 1 << 20, mb: 1 << 20 };
  return u in units ? n * units[u] : null;
}

function tokenize(src: string): { v: string; kind: "word" | "str" | "op"; at: number }[] {
  const out: { v: string; kind: "word" | "str" | "op"; at: number }[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ v: c, kind: "word", at: i++ });
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && j + 1 < src.length) j++;
        v += src[j++];
      }
      if (j >= src.length) throw new FilterError(`unterminated string at offset ${i}`);
      out.push({ v, kind: "str", at: i });
      i = j + 1;
      continue;
    }
    if (src.startsWith("&&", i) || src.startsWith("||", i)) {
      out.push({ v: src.slice(i, i + 2), kind: "word", at: i });
      i += 2;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ v: op, kind: "op", at: i });
      i += op.length;
      // After a regex operator, the value runs to the next space (or is quoted).
      if (op === "~" || op === "!~") {
        while (i < src.length && /\s/.test(src[i])) i++;
        if (i < src.length && src[i] !== '"' && src[i] !== "'") {
          const j0 = i;
          while (i < src.length && !/\s/.test(src[i])) i++;
          out.push({ v: src.slice(j0, i), kind: "str", at: j0 });
        }
      }
      continue;
    }
    if (c === "!") {
      out.push({ v: "!", kind: "word", at: i++ });
      continue;
    }
    const j0 = i;
    while (i < src.length && !/[\s()"'=<>!~&|]/.test(src[i])) i++;
    out.push({ v: src.slice(j0, i), kind: "word", at: j0 });
  }
  return out;
}

function truthy(v: Json): boolean {
  return v !== null && v !== false && v !== 0 && v !== "" &&
    !(Array.isArray(v) && v.length === 0);
}

function evaluate(n: Node, get: FilterSubject): boolean {
  switch (n.t) {
    case "or":
      return evaluate(n.a, get) || evaluate(n.b, get);
    case "and":
      return evaluate(n.a, get) && evaluate(n.b, get);
    case "not":
      return !evaluate(n.a, get);
    case "test": {
      const vals = get(n.name);
      if (!n.op) return vals.some(truthy);
      return vals.some((v) => compare(v, n));
    }
  }
}

function compare(v: Json, n: Extract<Node, { t: "test" }>): boolean {
  if (v === null || typeof v === "object") {
    if (Array.isArray(v) && n.re) return v.some((x) => compare(x, n));
    return false;
  }
  const s = String(v);
  if (n.re) return n.op === "~" ? n.re.test(s) : !n.re.test(s);
  const want = n.value!;
  if (typeof want === "number") {
    const x = typeof v === "number" ? v : Number(s);
    if (!Number.isFinite(x) || s === "") return false;
    switch (n.op) {
      case "=":
      case "==":
        return x === want;
      case "!=":
        return x !== want;
      case ">":
        return x > want;
      case ">=":
        return x >= want;
      case "<":
        return x < want;
      case "<=":
        return x <= want;
    }
    return false;
  }
  const w = String(want);
  switch (n.op) {
    case "=":
    case "==":
      return s === w;
    case "!=":
      return s !== w;
    case ">":
      return s > w;
    case ">=":
      return s >= w;
    case "<":
      return s < w;
    case "<=":
      return s <= w;
  }
  return false;
}

/** The values a message offers a filter, by name (see the module's doc). */
export interface FilterMessage {
  /** The protocol. */
  proto: string;
  /** The kind. */
  kind: string;
  /** `in` or `out`. */
  dir: string;
  /** The descriptor. */
  fd: number;
  /** The line's text. */
  text: string;
  /** The structured fields. */
  fields?: { readonly [key: string]: Json };
  /** client or server. */
  role?: string;
  /** This side's endpoint. */
  local?: string;
  /** The other side's endpoint. */
  peer?: string;
  /** Seconds since the request (responses). */
  latency?: number;
  /** An error response. */
  error?: boolean;
}

/** The getter a filter sees for one message (any one of `msgs`, for a request's messages). */
export function messageSubject(
  msgs: readonly FilterMessage[],
  duration?: number,
): FilterSubject {
  return (name) => {
    const out: Json[] = [];
    if ((name === "duration" || name === "latency") && duration !== undefined) return [duration];
    for (const m of msgs) {
      const dot = name.indexOf(".");
      if (dot < 0) {
        switch (name) {
          case "proto":
            out.push(m.proto);
            break;
          case "kind":
            out.push(m.kind);
            break;
          case "dir":
            out.push(m.dir);
            break;
          case "fd":
            out.push(m.fd);
            break;
          case "text":
            out.push(m.text);
            break;
          case "role":
            if (m.role) out.push(m.role);
            break;
          case "local":
            if (m.local) out.push(m.local);
            break;
          case "peer":
            if (m.peer) out.push(m.peer);
            break;
          case "error":
            out.push(m.error === true);
            break;
          case "duration":
          case "latency":
            if (m.latency !== undefined) out.push(m.latency);
            break;
          default:
            if (m.proto === name) out.push(true);
        }
        continue;
      }
      const proto = name.slice(0, dot);
      const field = name.slice(dot + 1);
      if (m.proto !== proto) continue;
      if (field === "error") {
        out.push(m.error === true || (m.fields?.error_code ?? null) !== null);
        continue;
      }
      const v = field === "kind"
        ? m.kind
        : field === "duration" || field === "latency"
        ? m.latency
        : m.fields?.[field];
      if (v !== undefined) out.push(v);
    }
    return out;
  };
}
