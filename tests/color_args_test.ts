/**
 * `--color` inside the arguments (`core/output/color_args.ts`): values of every kind painted
 * token by token as strace 7 does, whose text without escape codes is exactly the value's text;
 * real traces coloured with `--color=always` are, stripped, exactly the `--color=never` trace.
 * @module
 */

import { assert, assertEquals } from "./helpers/assert.ts";
import { fixture, sctrace } from "./helpers/diff.ts";
import { ansiPalette } from "../core/output/color.ts";
import { paintArgs, paintEntry, paintValue } from "../core/output/color_args.ts";
import {
  amend,
  argsText,
  continued,
  continues,
  entryText,
  more,
  pending,
  V,
  type Value,
  whole,
} from "../decoders/value.ts";
import { xlat } from "../decoders/xlat.ts";

const P = ansiPalette();
// deno-lint-ignore no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const c = (kind: "const" | "argval" | "argname" | "punct" | "comment" | "call", t: string) =>
  P.paint(kind, t);

const O = xlat([["O_WRONLY", 1], ["O_CREAT", 0o100], ["O_CLOEXEC", 0o2000000]]);
const SEEK = xlat([["SEEK_SET", 0], ["SEEK_CUR", 1]]);
const enc = new TextEncoder();

/** One value of each kind (and forms with hand-set text). */
const VALUES: Record<string, Value> = {
  int: V.int(-5),
  uint: V.uint(4294967295),
  hex: V.hex(0x1f),
  octal: V.octal(0o644),
  ptr: V.ptr(0x7ffc1000),
  null: V.ptr(0),
  unavailable: V.unavailable(0x1000),
  flags: V.flags(O, 0o2000101),
  flagsUnknown: V.flags(O, 0o2000101 | 0x10000000),
  flags0: V.flags(O, 0),
  enum: V.xval(SEEK, 1),
  enumUnknown: V.xval(SEEK, 9, "abbrev", "SEEK_???"),
  named: V.named("AT_FDCWD", -100, "AT_FDCWD"),
  str: V.str(enc.encode("/etc"), '"/etc"'),
  strCut: V.str(enc.encode("abc"), '"abc"...', true, 10),
  struct: V.struct([["st_mode", V.raw("S_IFREG|0644")], ["st_size", V.int(12)]], true),
  structEmptyMore: V.struct([], true),
  tuple: V.tuple([V.int(3), V.int(4)]),
  array: V.array([V.str(enc.encode("ls"), '"ls"'), V.int(1)], true),
  arrayTail: V.array([V.int(1)], true, "... /* 3 entries */"),
  fd: V.fd(3, "3"),
  fdPath: V.fd(3, "3</etc/passwd>", "/etc/passwd"),
  fdCwd: V.fd(-100, "AT_FDCWD"),
  signal: V.signal(15, "SIGTERM"),
  signalNum: V.signal(77, undefined),
  call: V.call("makedev", [V.hex(1), V.hex(3)]),
  change: V.change(V.array([V.int(110)]), V.array([V.int(16)])),
  raw: V.raw("S_IFREG|0644"),
  comment: V.comment(V.ptr(0x55aa), "35 vars"),
  handText: V.int(5, "five?"),
  structHand: { ...V.struct([["a", V.int(1)]]), text: "{a=1, b=?}" },
  nested: V.struct([
    ["iov", V.array([V.struct([["iov_base", V.ptr(0x10)], ["iov_len", V.uint(12)]])])],
    ["flags", V.flags(O, 1)],
  ]),
};

Deno.test("color args: every kind, stripped of escape codes, is exactly its text", () => {
  for (const [name, v] of Object.entries(VALUES)) {
    const painted = paintValue(P, v);
    assertEquals(strip(painted), v.text, name);
    assert(painted.includes("\x1b["), name);
  }
});

Deno.test("color args: constants, field names, punctuation and comments carry strace 7's kinds", () => {
  assertEquals(
    paintValue(P, VALUES.flags),
    c("const", "O_WRONLY") + c("punct", "|") + c("const", "O_CREAT") + c("punct", "|") +
      c("const", "O_CLOEXEC"),
  );
  assertEquals(
    paintValue(P, VALUES.flagsUnknown),
    [
      c("const", "O_WRONLY"),
      c("const", "O_CREAT"),
      c("const", "O_CLOEXEC"),
      c("argval", "0x10000000"),
    ]
      .join(c("punct", "|")),
  );
  assertEquals(
    paintValue(P, VALUES.enumUnknown),
    c("argval", "0x9") + c("comment", " /* SEEK_??? */"),
  );
  assertEquals(
    paintValue(P, VALUES.struct),
    c("punct", "{") + c("argname", "st_mode") + c("punct", "=") + c("argval", "S_IFREG|0644") +
      c("punct", ", ") + c("argname", "st_size") + c("punct", "=") + c("argval", "12") +
      c("punct", ", ...") + c("punct", "}"),
  );
  assertEquals(
    paintValue(P, VALUES.tuple),
    c("punct", "{") + c("argval", "3") + c("punct", ", ") + c("argval", "4") + c("punct", "}"),
  );
  assertEquals(
    paintValue(P, VALUES.call),
    c("call", "makedev") + c("punct", "(") + c("argval", "0x1") + c("punct", ", ") +
      c("argval", "0x3") + c("punct", ")"),
  );
  assertEquals(
    paintValue(P, VALUES.fdPath),
    c("argval", "3") + c("punct", "<") + c("argval", "/etc/passwd") + c("punct", ">"),
  );
  const twoComments = V.flagsOf(
    [],
    0x630008,
    0x630008,
    "0x630000 /* KEXEC_ARCH_??? */|0x8 /* KEXEC_??? */",
  );
  assertEquals(
    paintValue(P, twoComments),
    c("argval", "0x630000") + c("comment", " /* KEXEC_ARCH_??? */") + c("punct", "|") +
      c("argval", "0x8") + c("comment", " /* KEXEC_??? */"),
  );
  assertEquals(paintValue(P, VALUES.fdCwd), c("const", "AT_FDCWD"));
  assertEquals(paintValue(P, VALUES.signal), c("const", "SIGTERM"));
  assertEquals(
    paintValue(P, VALUES.comment),
    c("argval", "0x55aa") + c("comment", " /* 35 vars */"),
  );
  // raw text and texts that the parts do not rebuild: one argval token.
  assertEquals(paintValue(P, VALUES.raw), c("argval", "S_IFREG|0644"));
  assertEquals(paintValue(P, VALUES.handText), c("argval", "five?"));
  assertEquals(paintValue(P, VALUES.structHand), c("argval", "{a=1, b=?}"));
});

Deno.test("color args: argument lists, entry halves and exit continuations strip to argsText/entryText", () => {
  const st = V.struct([["flags", V.flags(O, 1)], ["x", V.int(2)]]);
  const entries: [Value[] | readonly Value[], boolean][] = [
    [[V.int(3), V.flags(O, 1)], true],
    [[V.int(3), V.flags(O, 1)], false],
    [whole([V.int(0), V.named("TCGETS", 0x5401, "TCGETS")]), true],
    [pending([V.int(1), st]), true],
    [[], true],
  ];
  for (const [e, hasExit] of entries) {
    const text = entryText(e, hasExit);
    assertEquals(strip(paintEntry(P, e, hasExit, text)), text);
  }
  const exits: readonly Value[][] = [
    [V.str(enc.encode("hi"), '"hi"'), V.int(2)],
    more([V.struct([["c_iflag", V.flags(O, 1)]])]) as Value[],
    amend([continued(V.change(V.array([V.int(5)]), V.array([V.int(10)])), "[5]")]) as Value[],
    continues([V.change(st, V.struct([["tid", V.int(42)]])), V.int(88)], st) as Value[],
  ];
  for (const x of exits) {
    const text = argsText(x);
    const painted = paintArgs(P, x, text);
    assertEquals(strip(painted), text);
  }
  // The continuation's values after the first are still painted by kind.
  const cont = continues([V.change(st, V.int(1)), V.flags(O, 1)], st) as Value[];
  assert(paintArgs(P, cont, argsText(cont)).endsWith(c("const", "O_WRONLY")));
  // A v1 decoder's text: one argval token.
  assertEquals(paintArgs(P, "3, O_WRONLY", "3, O_WRONLY"), c("argval", "3, O_WRONLY"));
});

/** Masks what differs between two runs of a program: addresses, random bytes, pids. */
function masked(text: string): string {
  return text
    .replace(/0x[0-9a-f]{5,}/g, "0xADDR")
    .replace(/^(getrandom\()"[^"]*"/gm, '$1"RANDOM"')
    .replace(/^(set_tid_address\(0xADDR\)\s+= )\d+/gm, "$1PID");
}

for (
  const [label, prog] of [["ls", () => Promise.resolve(["ls", "/"])], [
    "vm_calls fixture",
    async () => [await fixture("vm_calls")],
  ]] as const
) {
  Deno.test(`color args: --color=always on ${label}, stripped, is --color=never's trace`, async () => {
    const argv = await prog();
    const on = await sctrace(["--color=always", ...argv]);
    const off = await sctrace(["--color=never", ...argv]);
    assert(!off.stderr.includes("\x1b"), "never: no escape code");
    assertEquals(masked(strip(on.stderr)), masked(off.stderr));
    // Constants, field names and punctuation carry their own codes, not the argument's.
    assert(on.stderr.includes(c("const", "AT_FDCWD")) || label !== "ls", "AT_FDCWD is const");
    assert(on.stderr.includes(c("const", "PROT_READ") + c("punct", "|")), "flags: const|");
    assert(
      on.stderr.includes(
        c("punct", "{") + c("argname", label === "ls" ? "st_mode" : "entry_number") +
          c("punct", "="),
      ),
    );
  });
}
