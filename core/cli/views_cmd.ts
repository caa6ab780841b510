/**
 * `sctrace report TRACE.jsonl [-o FILE.html]` and `sctrace timeline TRACE.jsonl [-o FILE.json]`:
 * the HTML report or the Perfetto timeline built from a trace saved with `--json` (recorded on a
 * server, looked at elsewhere). `-` reads standard input; without `-o` the result goes to
 * standard output.
 *
 * Bad lines (a truncated last line, a line that is not JSON, JSON that is not a sctrace event)
 * are named on stderr (`sctrace: t.jsonl:17: not JSON (…); line skipped`) and the rest is used;
 * the exit status is 1 only when nothing could be used. The output file is opened before the
 * input is read, so an unwritable path is one error and nothing else.
 * @module
 */

import { message, OutputError, Sink, strerror } from "../output/sink.ts";
import { TimelineWriter } from "../output/timeline.ts";
import { reportHtml, ReportModel } from "../output/report/mod.ts";
import { readJsonl } from "../output/view_model.ts";

/** The subcommands, by name. */
export const VIEW_COMMANDS: ReadonlySet<string> = new Set(["report", "timeline"]);

/** How many bad lines are named before the rest are only counted. */
const MAX_NAMED = 10;

const USAGE = (cmd: string) =>
  `Usage: sctrace ${cmd} TRACE.jsonl [-o FILE]   (TRACE.jsonl: a trace saved with --json; - for stdin)`;

/** Runs `sctrace report …` or `sctrace timeline …`; resolves to the exit status. */
export async function viewCommand(prog: string, args: readonly string[]): Promise<number> {
  const cmd = args[0];
  let input: string | undefined;
  let output: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === "-o" || a === "--output") {
      if (i + 1 >= args.length) {
        message(`${prog}: option requires an argument -- 'o'`);
        message(USAGE(cmd));
        return 1;
      }
      output = args[++i];
    } else if (a.startsWith("-o") && a.length > 2) output = a.slice(2);
    else if (a.startsWith("--output=")) output = a.slice(9);
    else if (a === "-h" || a === "--help") {
      await Deno.stdout.write(new TextEncoder().encode(USAGE(cmd) + "\n"));
      return 0;
    } else if (input === undefined && (a === "-" || !a.startsWith("-"))) input = a;
    else {
      message(
        `${prog}: ${input === undefined ? `unknown option '${a}'` : `extra argument '${a}'`}`,
      );
      message(USAGE(cmd));
      return 1;
    }
  }
  if (input === undefined) {
    message(`${prog}: ${cmd}: no trace given`);
    message(USAGE(cmd));
    return 1;
  }
  let out: Sink;
  try {
    out = output === undefined || output === "-"
      ? new Sink(1, "standard output")
      : Sink.open(output, false);
  } catch (e) {
    if (e instanceof OutputError) {
      message(`${prog}: ${e.message}`);
      return 1;
    }
    throw e;
  }
  let file: Deno.FsFile | undefined;
  let stream: ReadableStream<Uint8Array>;
  if (input === "-") stream = Deno.stdin.readable;
  else {
    try {
      file = await Deno.open(input, { read: true });
      if (!(await file.stat()).isFile) throw Object.assign(new Error(), { code: "EISDIR" });
    } catch (e) {
      file?.close();
      out.close();
      const code = (e as { code?: string }).code;
      const why = code === "ENOENT"
        ? strerror(2)
        : code === "EACCES"
        ? strerror(13)
        : code === "EISDIR"
        ? strerror(21)
        : e instanceof Error
        ? e.message
        : String(e);
      message(`${prog}: Can't open '${input}': ${why}`);
      return 1;
    }
    stream = file.readable;
  }
  const where = input === "-" ? "stdin" : input;
  let bad = 0;
  const badLines: string[] = [];
  const onBad = (b: { line: number; why: string }) => {
    bad++;
    badLines.push(`line ${b.line}: ${b.why}`);
    if (bad <= MAX_NAMED) message(`${prog}: ${where}:${b.line}: ${b.why}; line skipped`);
  };
  let taken: number;
  if (cmd === "timeline") {
    const tl = new TimelineWriter((s) => out.write(s));
    taken = await readJsonl(stream, (e) => tl.add(e), onBad);
    tl.finish();
  } else {
    const model = new ReportModel(`sctrace report ${where}`);
    taken = await readJsonl(stream, (e) => model.add(e), onBad);
    model.badLines = badLines;
    out.write(reportHtml(model));
  }
  out.flush();
  out.close();
  if (bad > MAX_NAMED) message(`${prog}: ${where}: ${bad - MAX_NAMED} more bad lines skipped`);
  if (taken === 0 && bad > 0) {
    message(`${prog}: ${where}: no sctrace events in it (is it a --json trace?)`);
    return 1;
  }
  return 0;
}
