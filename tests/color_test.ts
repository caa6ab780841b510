/**
 * `--color` (strace 7's): option parsing and its errors, the palette (defaults and
 * `STRACE_COLORS` as strace 7's `src/color.c`), when `auto` colours (a real pseudo-terminal through
 * `script`, a pipe, `-o FILE`, `-ff`, `NO_COLOR`, `TERM`), and end to end once the text printer
 * paints its tokens.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { ROOT, sctrace } from "./helpers/diff.ts";
import { parseArgs, UsageError } from "../core/cli/options.ts";
import {
  DEFAULT_COLORS,
  isTerminal,
  makePalette,
  NO_COLOR,
  paletteFor,
  parseStraceColors,
} from "../core/output/color.ts";

const CSI = "\x1b[";

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return "";
}

Deno.test("--color: WHEN is auto, always or never (any case); full name only; bad values are errors", () => {
  assertEquals(parseArgs(["true"]).color, undefined);
  assertEquals(parseArgs(["--color=always", "true"]).color, "always");
  assertEquals(parseArgs(["--color=NEVER", "true"]).color, "never");
  assertEquals(parseArgs(["--color", "auto", "true"]).color, "auto");
  assertEquals(usageError(["--color=purple", "true"]), "invalid --color argument: 'purple'");
  assertEquals(usageError(["--color=", "true"]), "invalid --color argument: ''");
  // strace 7's option takes a required argument: the next word is it.
  assertEquals(usageError(["--color", "true"]), "invalid --color argument: 'true'");
  // `--col` is still strace 6.1's `--columns`.
  assertEquals(parseArgs(["--col=50", "true"]).column, 50);
  assertEquals(usageError(["--colo=always", "true"]), "unrecognized option '--colo=always'");
});

Deno.test("--color=purple: strace's message, the hint, exit 1, nothing traced", async () => {
  const r = await sctrace(["--color=purple", "true"]);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr,
    "sctrace: invalid --color argument: 'purple'\nTry 'sctrace -h' for more information.\n",
  );
});

Deno.test("palette: strace 7's default colours; STRACE_COLORS as strace parses it", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const always = (vars: Record<string, string> = {}) =>
    makePalette("always", 2, { env: env(vars), isTerminal: () => false });
  assertEquals(always().paint("syscall", "getpid"), `${CSI}33mgetpid${CSI}0m`);
  assertEquals(always().paint("error", "ENOENT"), `${CSI}31mENOENT${CSI}0m`);
  assertEquals(always().paint("retval", "0"), `${CSI}32m0${CSI}0m`);
  assertEquals(always().paint("punct", ""), "");
  // strace's tests/strace--color-no-tty.test cases:
  assertEquals(always({ STRACE_COLORS: "" }).paint("syscall", "x"), `${CSI}33mx${CSI}0m`);
  assertEquals(always({ STRACE_COLORS: "syscall=" }).paint("syscall", "x"), `${CSI}33mx${CSI}0m`);
  assertEquals(
    always({ STRACE_COLORS: " SyScAlL = 1;31 : unknown = 1;36 " }).paint("syscall", "x"),
    `${CSI}1;31mx${CSI}0m`,
  );
  assertEquals(
    always({ STRACE_COLORS: "syscall=1;31;foo" }).paint("syscall", "x"),
    `${CSI}33mx${CSI}0m`,
  );
  const multi = parseStraceColors("syscall=93:syscall=1;31:argval=1;32:punct=1;34");
  assertEquals([multi.syscall, multi.argval, multi.punct], ["1;31", "1;32", "1;34"]);
  assertEquals(parseStraceColors(";;").syscall, DEFAULT_COLORS.syscall);
});

Deno.test("palette: auto needs a terminal, no NO_COLOR, a colour TERM, and no -ff", () => {
  const tty = () => true;
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const linux = env({ TERM: "linux" });
  assert(makePalette("auto", 2, { env: linux, isTerminal: tty }).enabled);
  assert(!makePalette("auto", 2, { env: linux, isTerminal: () => false }).enabled);
  assert(!makePalette("auto", 2, { env: linux, isTerminal: tty, separately: true }).enabled);
  // NO_COLOR set, even empty, disables auto (strace tests getenv() != NULL); not always.
  for (const v of ["1", ""]) {
    const e = env({ TERM: "linux", NO_COLOR: v });
    assert(!makePalette("auto", 2, { env: e, isTerminal: tty }).enabled, `NO_COLOR=${v}`);
    assert(makePalette("always", 2, { env: e, isTerminal: tty }).enabled);
  }
  for (const term of ["dumb", "unknown", ""]) {
    const e = env({ TERM: term });
    assert(!makePalette("auto", 2, { env: e, isTerminal: tty }).enabled, `TERM=${term}`);
  }
  assert(!makePalette("auto", 2, { env: () => undefined, isTerminal: tty }).enabled);
  assert(!makePalette("never", 2, { env: linux, isTerminal: tty }).enabled);
  assertEquals(makePalette("never", 2).paint("syscall", "x"), "x");
  assertEquals(NO_COLOR.paint("error", "E"), "E");
  // -o FILE / -ff / |command: no colour unless always.
  const o = { separately: false, color: "auto" as const };
  assert(!paletteFor({ ...o, output: `${ROOT}README.md` }, { env: linux }).enabled);
  assert(!paletteFor({ ...o, output: "|cat" }, { env: linux }).enabled);
  assert(!paletteFor({ ...o, output: "/tmp/x", separately: true }, { env: linux }).enabled);
  assert(paletteFor({ ...o, color: "always", output: "/tmp/x" }, { env: linux }).enabled);
  // -ff without -o is -f (strace): stderr, coloured on a terminal; with -o, never (auto).
  const ttyCtx = { env: linux, isTerminal: tty };
  assert(paletteFor(parseArgs(["-ff", "true"]), ttyCtx).enabled);
  assert(!paletteFor(parseArgs(["-ff", "-o", "/dev/tty", "true"]), ttyCtx).enabled);
  assert(paletteFor(parseArgs(["-o", "/dev/tty", "true"]), ttyCtx).enabled);
  assert(paletteFor(parseArgs(["--color=always", "-ff", "-o", "x", "true"]), ttyCtx).enabled);
  assert(!isTerminal(`${ROOT}README.md`));
  assert(!isTerminal("/dev/null"));
});

/** Runs `cmd` under a pseudo-terminal (`script`), with TERM=linux and `env` added. */
async function underTty(cmd: string, env: Record<string, string> = {}): Promise<string> {
  const r = await new Deno.Command("script", {
    args: ["-qec", cmd, "/dev/null"],
    cwd: ROOT,
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin", TERM: "linux", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(r.stdout);
}

const PROBE = `${Deno.execPath()} run -A --no-check tests/helpers/color_probe.ts`;

Deno.test("palette on a real terminal: auto colours a tty; a pipe and a file get none", async () => {
  const tty = JSON.parse((await underTty(`${PROBE} auto`)).trim());
  assertEquals(tty, { tty: true, painted: `${CSI}33mgetpid${CSI}0m` });
  const noColor = JSON.parse((await underTty(`${PROBE} auto`, { NO_COLOR: "1" })).trim());
  assertEquals(noColor, { tty: true, painted: "getpid" });
  const always = JSON.parse((await underTty(`${PROBE} always`, { NO_COLOR: "1" })).trim());
  assertEquals(always.painted, `${CSI}33mgetpid${CSI}0m`);
  // stderr a pipe (2>&1 | cat) under the same terminal: no colour.
  const piped = JSON.parse((await underTty(`${PROBE} auto 2>&1 | cat`)).trim());
  assertEquals(piped, { tty: false, painted: "getpid" });
  // -o naming the terminal itself colours; -o a file does not.
  const devTty = JSON.parse((await underTty(`${PROBE} auto /dev/tty`)).trim());
  assertEquals(devTty.painted, `${CSI}33mgetpid${CSI}0m`);
  const file = JSON.parse((await underTty(`${PROBE} auto README.md`)).trim());
  assertEquals(file, { tty: false, painted: "getpid" });
});

/**
 * Whether the text printer paints its tokens (core/output/text.ts, from the events branch). The
 * end-to-end test below needs it; until then it is ignored.
 */
const PRINTER_PAINTS = (() => {
  try {
    return /\.paint\(/.test(Deno.readTextFileSync(`${ROOT}core/output/text.ts`));
  } catch {
    return false;
  }
})();

Deno.test({
  name: "--color end to end (needs the text printer's paint calls): tty, pipe, always, NO_COLOR",
  ignore: !PRINTER_PAINTS,
  fn: async () => {
    const cmd = (flags: string) =>
      `${Deno.execPath()} run -A --no-check main.ts ${flags} -e trace=exit_group /bin/true`;
    const painted = `${CSI}33mexit_group${CSI}0m`;
    // auto on a terminal: coloured.
    assert((await underTty(cmd(""))).includes(painted));
    assert((await underTty(cmd("--color=auto"))).includes(painted));
    // NO_COLOR: none with auto, still with always.
    assert(!(await underTty(cmd(""), { NO_COLOR: "1" })).includes(CSI));
    assert((await underTty(cmd("--color=always"), { NO_COLOR: "1" })).includes(painted));
    // never on a terminal; a pipe with auto: none.
    assert(!(await underTty(cmd("--color=never"))).includes(CSI));
    assert(!(await underTty(`${cmd("")} 2>&1 | cat`)).includes(CSI));
    // a pipe with always: coloured.
    const r = await sctrace(["--color=always", "-e", "trace=exit_group", "/bin/true"]);
    assert(r.stderr.includes(painted), r.stderr);
    const plain = await sctrace(["-e", "trace=exit_group", "/bin/true"]);
    assert(!plain.stderr.includes(CSI));
  },
});
