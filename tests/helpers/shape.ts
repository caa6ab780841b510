/**
 * The shape every decoder's text must have, whatever the input: brackets, braces and parentheses
 * balanced outside quoted strings, every quoted string closed and made of valid escapes, and no
 * JavaScript leaking into the text (`undefined`, `NaN`, `[object …]`, `Infinity`, `null`, `1e+21`).
 * @module
 */

/** A quoted string of decoder output. */
export interface Quoted {
  /** The string as printed, quotes included. */
  text: string;
  /** How many bytes of the tracee it shows (an escape such as `\377` or `\x41` is one). */
  units: number;
  /** Followed by `...` (cut). */
  cut: boolean;
}

/** What {@linkcode shape} found. */
export interface Shape {
  /** The first problem, or undefined when the text is well formed. */
  problem?: string;
  /** The quoted strings, in order. */
  quoted: Quoted[];
}

const CLOSE: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const ESCAPE = /^\\(?:x[0-9a-f]{2}|[0-7]{1,3}|[nrtvf"\\])/;
const LEAK = /undefined|NaN|\[object |Infinity|\bnull\b|\b\d+(?:\.\d+)?e[+-]\d+\b/;

/** Checks the shape of a decoder's text (see the module documentation). */
export function shape(s: string): Shape {
  const stack: string[] = [];
  const quoted: Quoted[] = [];
  let outside = "";
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      let units = 0;
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === "\\") {
          const m = ESCAPE.exec(s.slice(j, j + 5));
          if (!m) return { problem: `bad escape ${JSON.stringify(s.slice(j, j + 5))}`, quoted };
          j += m[0].length - 1;
        }
        units++;
      }
      if (j >= s.length) return { problem: `unterminated string at ${i}`, quoted };
      quoted.push({ text: s.slice(i, j + 1), units, cut: s.startsWith("...", j + 1) });
      i = j;
      outside += '""';
      continue;
    }
    outside += ch;
    if (ch === "(" || ch === "[" || ch === "{") stack.push(ch);
    else if (CLOSE[ch] && stack.pop() !== CLOSE[ch]) {
      return { problem: `unbalanced ${ch} at ${i}`, quoted };
    }
  }
  if (stack.length) return { problem: `unclosed ${stack.join("")}`, quoted };
  const leak = LEAK.exec(outside);
  if (leak) return { problem: `contains ${leak[0]}`, quoted };
  return { quoted };
}

/**
 * Checks the quoted strings of a text printed with `-s strsize` against the same call printed with
 * a very large `-s` (`whole`): a string the large `-s` prints otherwise was cut by `-s`, so it
 * shows exactly `strsize` bytes and is followed by `...`. Strings `-s` does not apply to (paths)
 * print the same both ways. Returns the problems found.
 */
export function strsizeProblems(quoted: Quoted[], strsize: number, whole: string): string[] {
  const out: string[] = [];
  for (const q of quoted) {
    if (whole.includes(q.text + (q.cut ? "..." : ""))) continue; // not cut by -s
    if (q.units > strsize) out.push(`${q.text.slice(0, 40)}: ${q.units} bytes > -s ${strsize}`);
    else if (q.units < strsize) {
      out.push(`${q.text.slice(0, 40)}: cut at ${q.units} < -s ${strsize}`);
    }
    if (!q.cut) out.push(`${q.text.slice(0, 40)}: cut without ...`);
  }
  return out;
}
