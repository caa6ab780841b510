/**
 * `-k` against Debian's strace 6.1 (libunwind) on the same programs, line for line: a C fixture
 * built seven ways (PIE, frame pointers kept or omitted, static, no unwind tables, non-PIE, -g),
 * coreutils, Python, `-f` with captured execve/exit stacks; and the ELF, CFI and expression readers
 * on their own, hostile input included.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { BIN, ROOT, sctrace, strace } from "./helpers/diff.ts";
import { openElf } from "../core/trace/stack/elf.ts";
import { FrameIndex } from "../core/trace/stack/cfi.ts";
import { evalExpr } from "../core/trace/stack/dwarf_expr.ts";
import { parseMaps } from "../core/trace/stack/mod.ts";

const VARIANTS: Record<string, string[]> = {
  pie_o2: ["-O2"],
  fp_o0: ["-O0", "-fno-omit-frame-pointer"],
  nofp_o2: ["-O2", "-fomit-frame-pointer"],
  static: ["-O2", "-static"],
  nocfi_fp: ["-O1", "-fno-asynchronous-unwind-tables", "-fno-omit-frame-pointer"],
  nocfi_nofp: ["-O2", "-fno-asynchronous-unwind-tables", "-fomit-frame-pointer"],
  nopie: ["-O2", "-no-pie"],
  debug: ["-O2", "-g"],
};

/** Builds tests/fixtures/stack.c with one flag set (once per run). */
async function build(variant: string): Promise<string> {
  const src = `${ROOT}tests/fixtures/stack.c`;
  const out = `${BIN}stack_${variant}`;
  await Deno.mkdir(BIN, { recursive: true });
  try {
    if (Deno.statSync(out).mtime! >= Deno.statSync(src).mtime!) return out;
  } catch {
    // build it
  }
  const r = await new Deno.Command("gcc", { args: [...VARIANTS[variant], "-o", out, src] })
    .output();
  if (!r.success) throw new Error(`gcc: ${new TextDecoder().decode(r.stderr)}`);
  return out;
}

/**
 * What may differ between two runs: pids and the results that are pids, timing-dependent
 * `SIGCHLD` fields, and return addresses that are not addresses (a stack canary read as one,
 * random per run). Every frame's file offset and name is kept.
 */
function norm(text: string): string[] {
  return text
    .replace(/^(strace|sctrace): /gm, "TRACER: ")
    .replace(/\b(si_pid|pid|si_utime|si_stime)=\d+/g, "$1=N")
    .replace(/\[pid +\d+\]/g, "[pid N]")
    .replace(/Process \d+/g, "Process N")
    .replace(/^((?:\[pid N\] )?(?:getppid|getpid|wait4|vfork|clone)\(.*\) += )\d+/gm, "$1N")
    .replace(/0x[0-9a-f]+ (\/\* \d+ vars \*\/)/g, "ENVP $1")
    .replace(
      /unexpected_backtracing_error \[0x[0-9a-f]{13,16}\]/g,
      "unexpected_backtracing_error [RANDOM]",
    )
    .split("\n")
    .filter((l) => l !== "");
}

async function same(args: string[], label: string): Promise<string[]> {
  const [a, b] = await Promise.all([strace(args), sctrace(args)]);
  assertEquals(norm(b.stderr), norm(a.stderr), label);
  assertEquals(b.code, a.code, `exit status: ${label}`);
  return norm(b.stderr);
}

const TRACE = ["-e", "trace=write,getcwd,openat,getppid,exit_group", "-e", "signal=SIGUSR1"];

for (const variant of Object.keys(VARIANTS)) {
  Deno.test(`-k: the C fixture built ${variant} unwinds as strace's`, async () => {
    const prog = await build(variant);
    const out = await same(["-k", ...TRACE, prog], variant);
    const frames = out.filter((l) => l.startsWith(" > "));
    assert(frames.length >= 8, `${variant}: ${frames.length} frames`);
  });
}

Deno.test("-k: frames name the functions of the call chain (dynamic, CFI)", async () => {
  const prog = await build("pie_o2");
  const b = await sctrace(["-k", "-e", "trace=write", prog]);
  const text = b.stderr;
  // leaf_write and on_usr1 end in tail calls (gcc -O2): their frames are write's own.
  for (const fn of ["(middle+0x", "(main+0x", "libc.so.6(__write+0x10)", "(_start+0x21)"]) {
    assert(text.includes(fn), `${fn} in\n${text}`);
  }
  // The handler's write unwinds through the kernel's signal frame back into raise (gsignal).
  const handler = text.slice(text.indexOf('write(1, "handler'));
  assert(/\n > [^\n]*libc\.so\.6\(gsignal\+0x/.test(handler), handler);
});

Deno.test("-k: coreutils and Python as strace prints them", async () => {
  await same(["-k", "-e", "trace=openat,write,getdents64", "ls", "/etc/hostname"], "ls");
  await same(["-k", "-e", "trace=write,exit_group", "echo", "hi"], "echo");
  await same(["-k", "-e", "trace=getcwd,write", "python3", "-c", "import os; os.getcwd()"], "py");
});

Deno.test("-k: -f, stacks captured at execve's and exit's entry", async () => {
  const out = await same([
    "-f",
    "-k",
    "-e",
    "trace=execve,exit_group",
    "-e",
    "signal=none",
    "sh",
    "-c",
    "nosuchcommand 2>/dev/null; /bin/true",
  ], "sh -f");
  // The child's execve stack is the shell's, captured before the exec: unnamed frames `(+0x0)`.
  assert(out.some((l) => /^ > \/usr\/bin\/dash\(\+0x0\) \[0x/.test(l)), out.join("\n"));
  // exit_group's stack comes after `+++ exited +++`, as strace's does.
  const exited = out.lastIndexOf("+++ exited with 0 +++");
  assert(exited > 0 && out[exited + 1]?.startsWith(" > "), out.join("\n"));
});

Deno.test("-k with -c says it has no effect, as strace", async () => {
  const prog = await build("pie_o2");
  const [a, b] = await Promise.all([strace(["-c", "-k", prog]), sctrace(["-c", "-k", prog])]);
  assertEquals(norm(b.stderr)[0], norm(a.stderr)[0]);
  assertEquals(norm(b.stderr)[0], "TRACER: -k/--stack-traces has no effect with -c/--summary-only");
});

Deno.test("elf: function symbols, load offsets and frame rules of a fixture", async () => {
  const prog = await build("pie_o2");
  const elf = openElf(prog)!;
  try {
    const syms = elf.functionSymbols();
    const main = syms.names.indexOf("main");
    assert(main >= 0);
    assert(syms.names.includes("leaf_write"));
    for (let i = 1; i < syms.values.length; i++) assert(syms.values[i] > syms.values[i - 1]);
    // The text segment of a PIE: mapped at its file offset, so the load offset is the base.
    const text = elf.phdrs.find((p) => p.type === 1 && p.offset > 0)!;
    assertEquals(elf.loadOffset(0x555555554000 + text.offset, text.offset), 0x555555554000);
    // At a function's first instruction the CFA is rsp+8 and the return address at CFA-8.
    const rules = new FrameIndex(elf).rulesAt(syms.values[main], syms.values[main])!;
    assertEquals([rules.cfaReg, rules.cfaOffset], [7, 8]);
    assertEquals(rules.regs[16].value, -8);
    assertEquals(new FrameIndex(elf).rulesAt(0x10, 0x10), undefined);
  } finally {
    elf.close();
  }
});

Deno.test("elf/cfi: truncated and random files never throw", async () => {
  const prog = await build("pie_o2");
  const bytes = await Deno.readFile(prog);
  const dir = await Deno.makeTempDir();
  try {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 200; i++) {
      const copy = bytes.slice(0, i < 50 ? rand() % 4096 : bytes.length);
      if (i >= 50) { for (let k = 0; k < 64; k++) copy[rand() % copy.length] = rand() & 0xff; }
      const path = `${dir}/f${i}`;
      await Deno.writeFile(path, copy);
      const elf = openElf(path);
      if (!elf) continue;
      elf.functionSymbols();
      const fi = new FrameIndex(elf);
      for (let k = 0; k < 20; k++) {
        const at = rand() % 0x4000;
        fi.rulesAt(at, at);
      }
      elf.close();
    }
    assertEquals(openElf(`${dir}/missing`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dwarf expressions: glibc's PLT CFA rule, registers, memory, bad input", () => {
  // DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge; DW_OP_lit3;
  // DW_OP_shl; DW_OP_plus: rsp+8, plus 8 once the PLT entry has pushed its index.
  const plt = new Uint8Array([0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]);
  const regs = (rip: bigint) => ({
    reg: (n: number) => (n === 7 ? 0x1000n : n === 16 ? rip : undefined),
    deref: () => undefined,
  });
  assertEquals(evalExpr(plt, 0n, regs(0x4000n))?.value, 0x1008n);
  assertEquals(evalExpr(plt, 0n, regs(0x400bn))?.value, 0x1010n);
  // DW_OP_breg7 160; DW_OP_deref: a saved register read from memory.
  const mem = { reg: () => 0x2000n, deref: (a: bigint) => (a === 0x20a0n ? 42n : undefined) };
  assertEquals(evalExpr(new Uint8Array([0x77, 0xa0, 0x01, 0x06]), 0n, mem)?.value, 42n);
  assertEquals(evalExpr(new Uint8Array([0x77, 0xa0, 0x01, 0x06]), 0n, regs(0n)), undefined);
  assertEquals(evalExpr(new Uint8Array([0x56]), 0n, mem)?.register, 6);
  for (const bad of [[0x1b], [0x77], [0xff], [0x2f, 0x70, 0], [0x13, 0x13, 0x13]]) {
    assertEquals(evalExpr(new Uint8Array(bad), 0n, mem), undefined, String(bad));
  }
});

Deno.test("maps: /proc/PID/maps lines, anonymous and named", () => {
  const m = parseMaps(
    "55d0c0a00000-55d0c0a02000 r-xp 00001000 fe:00 1234  /usr/bin/x\n" +
      "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0  [stack]\n" +
      "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n",
  );
  assertEquals(m.length, 3);
  assertEquals(m[0], {
    start: 0x55d0c0a00000,
    end: 0x55d0c0a02000,
    offset: 0x1000,
    exec: true,
    path: "/usr/bin/x",
  });
  assertEquals(m[1].path, "[stack]");
  assertEquals(m[2].path, "");
});
