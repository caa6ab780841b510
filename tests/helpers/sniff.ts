/**
 * Stream helpers shared by the protocol sniffer tests: byte builders, a runner that prints one line
 * per message, re-splitting of a stream (byte by byte, coalesced, at random) and recorded captures.
 * @module
 */
import assert from "node:assert/strict";
import type { Direction, StreamInfo, StreamParser, StreamSniffer } from "../../decoders/api.ts";
import { type Chunk, loadCapture, prng } from "../../bench/fuzz_sniffers.ts";

export { type Chunk, loadCapture };

const enc = new TextEncoder();

/** Bytes of an ASCII/UTF-8 string. */
export function b(s: string): Uint8Array {
  return enc.encode(s);
}

/** Concatenates byte arrays. */
export function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The `[kind, fields]` of every message the chunks complete, in order. */
export function fieldsOf(
  sn: StreamSniffer,
  chunks: Chunk[],
  info: StreamInfo = { pid: 1, fd: 3 },
): [string, unknown][] {
  const p = sn.create(info);
  return chunks.flatMap(([d, bytes]) =>
    p.push(d, bytes).map((m): [string, unknown] => [m.kind, m.fields])
  );
}

/** Runs a stream through a fresh parser; one line per message: `dir kind text [req] [resp] [err]`. */
export function run(
  sn: StreamSniffer,
  chunks: Chunk[],
  info: StreamInfo = { pid: 1, fd: 3 },
): string[] {
  const p = sn.create(info);
  const out: string[] = [];
  for (const [d, bytes] of chunks) {
    for (const m of p.push(d, bytes)) {
      assert.equal(m.proto, sn.name);
      assert.equal(m.dir, d);
      assert.ok(!m.text.includes("\n"), m.text);
      // Fields are plain JSON: they survive a round trip unchanged.
      if (m.fields !== undefined) {
        assert.deepEqual(JSON.parse(JSON.stringify(m.fields)), m.fields, m.text);
      }
      out.push(
        `${m.dir} ${m.kind} ${m.text}${m.request ? " [req]" : ""}${m.response ? " [resp]" : ""}${
          m.error ? " [err]" : ""
        }`,
      );
    }
  }
  return out;
}

/** Every byte in its own push. */
export function bytewise(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const [d, bytes] of chunks) {
    for (let i = 0; i < bytes.length; i++) out.push([d, bytes.subarray(i, i + 1)]);
  }
  return out;
}

/** Consecutive pushes in the same direction merged into one. */
export function coalesce(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const [d, bytes] of chunks) {
    const last = out[out.length - 1];
    if (last && last[0] === d) last[1] = cat(last[1], bytes);
    else out.push([d, bytes]);
  }
  return out;
}

/** Random re-splitting of each direction run (fixed seed). */
export function resplit(chunks: Chunk[], seed: number): Chunk[] {
  const rnd = prng(seed);
  const out: Chunk[] = [];
  for (const [d, bytes] of coalesce(chunks)) {
    let i = 0;
    while (i < bytes.length) {
      const n = 1 + Math.floor(rnd() * Math.min(bytes.length - i, rnd() < 0.5 ? 7 : 3000));
      out.push([d, bytes.subarray(i, i + n)]);
      i += n;
    }
  }
  return out;
}

/** Swaps the directions (the other end of the connection is traced). */
export function flip(chunks: Chunk[]): Chunk[] {
  return chunks.map(([d, x]) => [d === "in" ? "out" : "in", x]);
}

/** Swaps the directions of printed message lines, as {@link flip} does for the pushes. */
export function flipLines(lines: string[]): string[] {
  return lines.map((l) => (l.startsWith("in ") ? "out " + l.slice(3) : "in " + l.slice(4)));
}

/** Asserts the messages, and that byte-by-byte, coalesced and random splits give the same. */
export function check(
  sn: StreamSniffer,
  chunks: Chunk[],
  expected: string[],
  info?: StreamInfo,
): void {
  assert.deepEqual(run(sn, chunks, info), expected);
  assert.deepEqual(run(sn, bytewise(chunks), info), expected, "byte by byte");
  assert.deepEqual(run(sn, coalesce(chunks), info), expected, "coalesced");
  for (let seed = 1; seed <= 5; seed++) {
    assert.deepEqual(run(sn, resplit(chunks, seed), info), expected, `split seed ${seed}`);
  }
}

/** The parsers expose how many bytes they hold (in one direction, or both), for the memory bound. */
export type Bounded = StreamParser & { buffered(dir?: Direction): number };

/**
 * Checks a recorded capture (`testdata/<name>`): each connection gives its expected lines (also
 * when re-split, see {@link check}), and the directions swap when the other end is traced.
 */
export function checkCapture(
  sn: StreamSniffer,
  name: string,
  expected: string[][],
  otherSide: string,
): void {
  const conns = loadCapture(name);
  assert.equal(conns.length, expected.length);
  conns.forEach((c, k) => {
    check(sn, c, expected[k]);
    assert.deepEqual(run(sn, flip(c)), flipLines(expected[k]), otherSide);
  });
}
