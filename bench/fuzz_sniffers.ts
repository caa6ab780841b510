/**
 * Fuzzing of the protocol sniffers: random bytes and mutations of valid streams, pushed in random
 * splits, with a fixed-seed PRNG. Checks that `push` never throws, that messages are one line and
 * that the bytes a parser holds stay under its cap.
 *
 * Run a longer campaign with `deno run -A bench/fuzz_sniffers.ts [cases] [seed]`
 * (default 1,000,000 cases per sniffer). The test suite runs {@linkcode fuzzSniffer} with fewer.
 * @module
 */

import type { Direction, StreamInfo, StreamParser, StreamSniffer } from "../decoders/api.ts";
import { createFastCgiSniffer } from "../decoders/sniffers/fastcgi.ts";
import { createHttpSniffer } from "../decoders/sniffers/http.ts";
import { createMysqlSniffer } from "../decoders/sniffers/mysql.ts";
import { createPostgresSniffer } from "../decoders/sniffers/postgres.ts";
import { createRedisSniffer } from "../decoders/sniffers/redis.ts";

/** One push: direction and bytes. */
export type Chunk = [Direction, Uint8Array];

/** A fixed-seed PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Loads a recorded capture from tests/testdata (array of connections of [dir, hex] pushes). */
export function loadCapture(name: string): Chunk[][] {
  const raw: [Direction, string][][] = JSON.parse(
    Deno.readTextFileSync(new URL(`../tests/testdata/${name}`, import.meta.url)),
  );
  return raw.map((conn) =>
    conn.map(([d, h]) => [d, new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)))])
  );
}

const INTERESTING = [0, 1, 0x0a, 0x0d, 0x20, 0x30, 0x3a, 0x7f, 0x80, 0xfb, 0xfc, 0xfd, 0xfe, 0xff];

function mutate(b: Uint8Array, rnd: () => number): Uint8Array {
  let x = b;
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (x.length + 1));
    switch (Math.floor(rnd() * 7)) {
      case 0: // flip a bit
        if (x.length) {
          x = x.slice();
          x[Math.min(at, x.length - 1)] ^= 1 << Math.floor(rnd() * 8);
        }
        break;
      case 1: // interesting byte
        if (x.length) {
          x = x.slice();
          x[Math.min(at, x.length - 1)] = INTERESTING[Math.floor(rnd() * INTERESTING.length)];
        }
        break;
      case 2: { // insert random bytes
        const ins = new Uint8Array(1 + Math.floor(rnd() * 16)).map(() => rnd() * 256);
        const y = new Uint8Array(x.length + ins.length);
        y.set(x.subarray(0, at));
        y.set(ins, at);
        y.set(x.subarray(at), at + ins.length);
        x = y;
        break;
      }
      case 3: { // delete a range
        const len = Math.floor(rnd() * 32);
        const y = new Uint8Array(x.length - Math.min(len, x.length - Math.min(at, x.length)));
        y.set(x.subarray(0, at));
        y.set(x.subarray(at + len), Math.min(at, x.length));
        x = y.subarray(0, y.length);
        break;
      }
      case 4: // truncate
        x = x.subarray(0, at);
        break;
      case 5: { // duplicate a range
        const len = Math.floor(rnd() * 64);
        const part = x.slice(at, at + len);
        const y = new Uint8Array(x.length + part.length);
        y.set(x.subarray(0, at + part.length));
        y.set(part, at + part.length);
        y.set(x.subarray(at + part.length), at + 2 * part.length);
        x = y;
        break;
      }
      default: { // big length-like bytes
        if (x.length >= 4) {
          x = x.slice();
          const i = Math.min(at, x.length - 3);
          x[i] = 0xff;
          x[i + 1] = rnd() < 0.5 ? 0xff : 0;
          x[i + 2] = rnd() < 0.5 ? 0xff : 0x7f;
        }
      }
    }
  }
  return x;
}

/** Result of a fuzz run. */
export interface FuzzStats {
  /** Cases run. */
  cases: number;
  /** Messages produced. */
  messages: number;
  /** The largest number of bytes a parser held. */
  maxBuffered: number;
}

/** Options of {@linkcode fuzzSniffer}. */
export interface FuzzOptions {
  /** The cap passed to the parser (bytes buffered per direction). */
  cap: number;
  /** How much beyond `2 * cap` a parser may hold (kept previews, partial packets). */
  slack: number;
}

/**
 * Runs `cases` fuzz cases against parsers made by `make` (one per case) and throws on the first
 * failure (a throwing `push`, a multi-line or huge message, or too many bytes held).
 */
export function fuzzSniffer(
  sn: StreamSniffer,
  seeds: Chunk[][],
  cases: number,
  seed: number,
  opts: FuzzOptions,
): FuzzStats {
  const rnd = prng(seed);
  const infos: StreamInfo[] = [
    { pid: 1, fd: 3 },
    { pid: 1, fd: 3, remotePort: 3306 },
    { pid: 1, fd: 3, localPort: 3306 },
    { pid: 1, fd: 3, remotePort: 80 },
    { pid: 1, fd: 3, remotePort: 9000 },
    { pid: 1, fd: 3, remotePort: 5432 },
    { pid: 1, fd: 3, localPort: 6379 },
  ];
  const stats: FuzzStats = { cases: 0, messages: 0, maxBuffered: 0 };
  const bound = 2 * opts.cap + opts.slack;
  for (let c = 0; c < cases; c++) {
    let chunks: Chunk[];
    if (rnd() < 0.3 || seeds.length === 0) {
      const n = Math.floor(rnd() * 300);
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = rnd() * 256;
      chunks = [];
      for (let i = 0; i < n;) {
        const k = 1 + Math.floor(rnd() * 40);
        chunks.push([rnd() < 0.5 ? "in" : "out", bytes.subarray(i, i + k)]);
        i += k;
      }
    } else {
      const src = seeds[Math.floor(rnd() * seeds.length)];
      chunks = src.map(([d, b]) => [d, b]);
      const m = 1 + Math.floor(rnd() * 2);
      for (let k = 0; k < m && chunks.length; k++) {
        const i = Math.floor(rnd() * chunks.length);
        chunks[i] = [chunks[i][0], mutate(chunks[i][1], rnd)];
      }
      if (rnd() < 0.1) chunks = chunks.map(([d, b]) => [d === "in" ? "out" : "in", b]);
      if (rnd() < 0.5) {
        // Re-split some pushes.
        const out: Chunk[] = [];
        for (const [d, b] of chunks) {
          if (b.length > 1 && rnd() < 0.3) {
            const at = 1 + Math.floor(rnd() * (b.length - 1));
            out.push([d, b.subarray(0, at)], [d, b.subarray(at)]);
          } else out.push([d, b]);
        }
        chunks = out;
      }
    }
    const info = infos[Math.floor(rnd() * infos.length)];
    const first = chunks.length ? chunks[0][1] : new Uint8Array();
    let p: StreamParser & { buffered?: () => number };
    try {
      sn.detect(info, chunks.length ? chunks[0][0] : "out", first);
      p = sn.create(info);
      for (const [d, b] of chunks) {
        const msgs = p.push(d, b);
        if (!Array.isArray(msgs)) throw new Error("push did not return an array");
        for (const m of msgs) {
          if (typeof m.text !== "string" || m.text.includes("\n") || m.text.length > 20000) {
            throw new Error(`bad message ${JSON.stringify(m).slice(0, 200)}`);
          }
        }
        stats.messages += msgs.length;
        const held = p.buffered?.() ?? 0;
        if (held > stats.maxBuffered) stats.maxBuffered = held;
        if (held > bound) throw new Error(`holds ${held} bytes > ${bound}`);
      }
    } catch (e) {
      const dump = chunks.map(([d, b]) =>
        `${d}:${Array.from(b.subarray(0, 512), (x) => x.toString(16).padStart(2, "0")).join("")}`
      );
      throw new Error(
        `${sn.name} fuzz case ${c} (seed ${seed}) failed: ${e instanceof Error ? e.stack : e}\n${
          dump.join("\n")
        }`,
      );
    }
    stats.cases++;
  }
  return stats;
}

/** The seeds of each sniffer: the recorded captures, each connection a stream. */
export function captureSeeds(): Record<string, Chunk[][]> {
  return {
    http: loadCapture("sniff_http_nginx.json"),
    fastcgi: loadCapture("sniff_fastcgi_nginx_fpm.json"),
    mysql: loadCapture("sniff_mysql_mariadb.json"),
    postgres: loadCapture("sniff_postgres.json"),
    redis: loadCapture("sniff_redis.json"),
  };
}

/** The sniffers under test, with a small cap so that overflow paths are exercised. */
export function fuzzTargets(cap: number): StreamSniffer[] {
  return [
    createHttpSniffer({ cap, maxText: 512 }),
    createFastCgiSniffer({ cap, maxText: 512 }),
    createMysqlSniffer({ cap, maxText: 512 }),
    createPostgresSniffer({ cap, maxText: 512 }),
    createRedisSniffer({ cap, maxText: 512 }),
  ];
}

if (import.meta.main) {
  const cases = Number(Deno.args[0] ?? 1_000_000);
  const seed = Number(Deno.args[1] ?? 12345);
  const seeds = captureSeeds();
  for (const sn of fuzzTargets(4096)) {
    const t0 = performance.now();
    const st = fuzzSniffer(sn, seeds[sn.name], cases, seed, {
      cap: 4096,
      slack: 3 * 65536 + 32 * 65536,
    });
    console.log(
      `${sn.name}: ${st.cases} cases, ${st.messages} messages, max held ${st.maxBuffered} bytes, ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
  }
}
