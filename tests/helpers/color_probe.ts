/**
 * Prints, as JSON, what `--color=MODE` (argv[0]) gives for stderr (or for `-o` argv[1]): run under
 * a pseudo-terminal by tests/color_test.ts.
 * @module
 */
import { type ColorMode, isTerminal, makePalette } from "../../core/output/color.ts";

const mode = (Deno.args[0] ?? "auto") as ColorMode;
const out = Deno.args[1] ?? 2;
const p = makePalette(mode, out);
console.log(JSON.stringify({ tty: isTerminal(out), painted: p.paint("syscall", "getpid") }));
