/**
 * The text printer and the event bus on hand-made events (no tracing): crossing lines, held
 * lines, unfinished calls, execve by a thread, the palette's token kinds, and the bus's guard.
 * The printer's output on real traces is checked against strace by core_test, follow_test and
 * the decoder tests.
 */
import { assertEquals, assertThrows } from "./helpers/assert.ts";
import { defaultFilters, type Filters } from "../core/cli/filter.ts";
import { defaultOptions, type Options } from "../core/cli/options.ts";
import { EventBus } from "../core/events/bus.ts";
import type { SyscallEntryEvent, SyscallEvent, TraceEvent } from "../core/events/types.ts";
import type { Palette } from "../core/output/color.ts";
import { Outputs } from "../core/output/outputs.ts";
import { TextPrinter } from "../core/output/text.ts";
import { V } from "../decoders/value.ts";

const at = { time: 0, mono: 0 };

function entry(pid: number, name: string, args: string[], more = false): SyscallEntryEvent {
  return {
    type: "syscall_entry",
    pid,
    tgid: pid,
    ...at,
    name,
    nr: 0,
    args: args.map(V.raw),
    entry: args.map(V.raw),
    more,
  };
}

function exit(
  pid: number,
  name: string,
  entryArgs: string[],
  exitArgs: string[],
  ret: string,
  error?: string,
): SyscallEvent {
  return {
    type: "syscall",
    pid,
    tgid: pid,
    ...at,
    name,
    nr: 0,
    args: [...entryArgs, ...exitArgs].map(V.raw),
    entry: entryArgs.map(V.raw),
    exit: exitArgs.length ? exitArgs.map(V.raw) : undefined,
    more: exitArgs.length > 0,
    ret: { value: error ? -1 : Number(ret), text: ret, error },
    duration: 0,
  };
}

/** Prints `events` with options `tweak` sets; returns the text. */
async function render(
  events: TraceEvent[],
  tweak: (o: Options, f: Filters) => void = () => {},
  count = 2,
  palette?: Palette,
): Promise<string> {
  const file = await Deno.makeTempFile();
  const o = defaultOptions();
  o.output = file;
  o.follow = 1;
  const f = defaultFilters();
  tweak(o, f);
  const p = new TextPrinter({
    opts: o,
    filters: f,
    outputs: new Outputs(o, "sctrace", () => {}),
    view: { count, startCount: 1 },
    palette,
  });
  for (const e of events) p.event(e);
  p.finish();
  const text = await Deno.readTextFile(file);
  await Deno.remove(file);
  return text;
}

Deno.test("text printer: crossing lines are cut and resumed, `= ` padded to the column", async () => {
  const text = await render([
    entry(11, "read", ["3"], true),
    entry(12, "close", ["4"]),
    exit(12, "close", ["4"], [], "0"),
    exit(11, "read", ["3"], ['"x"', "1"], "1"),
    { type: "exit", pid: 11, tgid: 11, ...at, code: 0 },
  ]);
  assertEquals(
    text,
    "11    read(3,  <unfinished ...>\n" +
      "12    close(4)                          = 0\n" +
      '11    <... read resumed>"x", 1)         = 1\n' +
      "11    +++ exited with 0 +++\n",
  );
});

Deno.test("text printer: status filters hold lines whole; unfinished calls print `= ?`", async () => {
  const events: TraceEvent[] = [
    entry(11, "openat", ["AT_FDCWD", '"/x"']),
    exit(11, "openat", ["AT_FDCWD", '"/x"'], [], "-1 ENOENT (No such file or directory)", "ENOENT"),
    entry(11, "read", ["0"], true),
    {
      type: "syscall",
      pid: 11,
      tgid: 11,
      ...at,
      name: "read",
      nr: 0,
      args: [V.raw("0")],
      entry: [V.raw("0")],
      more: true,
      duration: 0,
      unfinished: true,
    },
  ];
  assertEquals(
    await render(events, (_o, f) => f.status = new Set(["failed", "unfinished"])),
    '11    openat(AT_FDCWD, "/x")            = -1 ENOENT (No such file or directory)\n' +
      "11    read(0, )                         = ?\n",
  );
  assertEquals(
    await render(events),
    '11    openat(AT_FDCWD, "/x")            = -1 ENOENT (No such file or directory)\n' +
      "11    read(0,  <unfinished ...>)        = ?\n",
  );
});

Deno.test("text printer: a thread's execve: <pid changed to>, superseded, state moves", async () => {
  const text = await render([
    entry(12, "execve", ['"/bin/true"']),
    { type: "superseded", pid: 11, tgid: 11, ...at, by: 12 },
    exit(11, "execve", ['"/bin/true"'], [], "0"),
  ]);
  assertEquals(
    text,
    '12    execve("/bin/true" <pid changed to 11 ...>\n' +
      "11    +++ superseded by execve in pid 12 +++\n" +
      "11    <... execve resumed>)             = 0\n",
  );
});

Deno.test("text printer: every token goes through the palette with its kind", async () => {
  const tag: Palette = { enabled: true, paint: (k, t) => `<${k}>${t}</${k}>` };
  const text = await render(
    [
      entry(11, "dup2", ["9", "1"]),
      exit(11, "dup2", ["9", "1"], [], "-1 EBADF (Bad file descriptor)", "EBADF"),
      { type: "signal", pid: 11, tgid: 11, ...at, signal: "SIGINT", signo: 2 },
      { type: "exit", pid: 11, tgid: 11, ...at, code: 0 },
    ],
    () => {},
    1,
    tag,
  );
  assertEquals(
    text,
    "11    <syscall>dup2</syscall><punct>(</punct><argval>9</argval><punct>, </punct>" +
      "<argval>1</argval><punct>)</punct> " +
      "<punct>=</punct> <error>-1 EBADF (Bad file descriptor)</error>\n" +
      "11    <signal>--- SIGINT ---</signal>\n" +
      "11    <exit>+++ exited with 0 +++</exit>\n",
  );
});

Deno.test("event bus: a guarded sink that throws is dropped and reported once; a trusted one throws", () => {
  const said: string[] = [];
  const bus = new EventBus((entry, hook, e) => said.push(`${entry.name} ${hook} ${e}`));
  const seen: string[] = [];
  bus.add({
    name: "bad",
    sink: {
      event: () => {
        throw new Error("boom");
      },
    },
  });
  bus.add({ name: "good", sink: { event: (e) => seen.push(e.type) } });
  const ev: TraceEvent = { type: "detach", pid: 1, tgid: 1, ...at };
  bus.event(ev);
  bus.event(ev);
  assertEquals(said, ["bad event Error: boom"]);
  assertEquals(seen, ["detach", "detach"]);
  const strict = new EventBus();
  strict.add({
    name: "text",
    trusted: true,
    sink: {
      event: () => {
        throw new Error("bug");
      },
    },
  });
  assertThrows(() => strict.event(ev));
});
