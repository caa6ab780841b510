/**
 * The command-line program: parses options, starts or attaches, runs the tracer, and ends the way
 * strace ends (the tracee's exit code, or its fatal signal re-raised).
 * @module
 */

import { builtinDecoders } from "../../decoders/mod.ts";
import type { DecoderTable, StreamSniffer } from "../../decoders/api.ts";
import { clearRestart } from "../../ffi/signals.ts";
import { type SpawnRequest, spawnStopped } from "../../ffi/spawn.ts";
import { libc } from "../../ffi/libc.ts";
import { SIG } from "../../ffi/constants.ts";
import { applyExpression, defaultFilters, type Filters } from "./filter.ts";
import { type Options, parseArgs, UsageError } from "./options.ts";
import { brokenPipe, message, OutputError } from "../output/sink.ts";
import { errText, Tracer } from "../trace/tracer.ts";
import { EventBus } from "../events/bus.ts";
import { jsonUnsupported, openPrinter } from "../output/mod.ts";
import { Summary } from "../output/summary.ts";
import { USAGE, VERSION } from "./usage.ts";
import { buildEnv, effectiveUid, resolveCommand, type UserCreds } from "./command.ts";
import { buildFilter } from "../../ffi/seccomp.ts";
import { TAP_SYSCALLS } from "../decode/streams.ts";
import { NSYSCALLS, syscallByNr } from "../../decoders/syscall_table.ts";
import type { BusEntry } from "../events/bus.ts";

/** The program name used in messages. */
export const PROG = "sctrace";

function fail(text: string, hint = false): number {
  if (text !== "") message(`${PROG}: ${text}`);
  if (hint) message(`Try '${PROG} -h' for more information.`);
  return 1;
}

/** The signal relay worker (core/trace/signal_relay.ts) and what it shares with the loop. */
export interface SignalRelay {
  /** The worker. */
  worker: Worker;
  /** `[signal, ack]`: the worker stores a caught signal; the loop acknowledges it. */
  shared: Int32Array;
  /** Resolves once its listeners are installed (or it failed to start). */
  ready: Promise<void>;
}

/** Starts the signal relay worker. */
export function startSignalRelay(): SignalRelay {
  const worker = new Worker(new URL("../trace/signal_relay.ts", import.meta.url), {
    type: "module",
  });
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const ready = new Promise<void>((resolve) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => {
      e.preventDefault();
      resolve();
    };
  });
  worker.postMessage(shared);
  return { worker, shared, ready };
}

/** Runs sctrace with `args`; resolves to the exit code (or re-raises a fatal signal). */
export async function main(args: readonly string[]): Promise<number> {
  // `sctrace report|timeline TRACE.jsonl`: build a view from a saved --json trace.
  if (args[0] === "report" || args[0] === "timeline") {
    return (await import("./views_cmd.ts")).viewCommand(PROG, args);
  }
  let o: Options;
  const f: Filters = defaultFilters();
  try {
    o = parseArgs(args, {
      expr: (e) => {
        const seen = f.inject?.warnings.length ?? 0;
        applyExpression(f, e);
        // strace warns about an injected retval that reads as an error when it parses it.
        for (const w of f.inject?.warnings.slice(seen) ?? []) message(`${PROG}: ${w}`);
      },
      warn: (m) => message(`${PROG}: ${m}`),
    });
    if (o.help) {
      await Deno.stdout.write(new TextEncoder().encode(USAGE));
      return 0;
    }
    if (o.version) {
      await Deno.stdout.write(new TextEncoder().encode(VERSION));
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, e.hint);
    throw e;
  }

  if (o.format === "json") {
    const why = jsonUnsupported(o);
    if (why) return fail(why);
  }

  let decoders: DecoderTable = builtinDecoders;
  let sniffers: StreamSniffer[] = [];
  let plugins: import("../plugins/loader.ts").LoadedPlugins | undefined;
  if (o.plugins.length) {
    // Loaded only when asked for: start-up time matters (the first traced syscall should come fast).
    const { checkPlugin, loadPlugins, pluginCheckContext } = await import("../plugins/loader.ts");
    const ctx = pluginCheckContext(o.pluginInsecure, effectiveUid());
    for (const file of o.plugins) {
      const why = checkPlugin(file, ctx);
      if (why) return fail(why);
    }
    // Reports of a plugin that throws wait until the line it was called in is complete.
    const loaded = await loadPlugins(o.plugins, (m) => message(`${PROG}: ${m}`), {
      deferReports: true,
    });
    if (loaded.error) return fail(loaded.error);
    plugins = loaded;
    decoders = { ...builtinDecoders, ...loaded.decoders };
    sniffers = loaded.sniffers;
  }
  if (o.proto?.length) {
    const bad = (await import("../decode/proto.ts")).unknownProtocol(o.proto, sniffers);
    if (bad) return fail(bad);
  }
  if (o.protoFilter !== undefined) {
    const bad = (await import("../decode/proto_filter.ts")).filterError(o.protoFilter);
    if (bad) return fail(bad);
  }

  // --seccomp-bpf: parseArgs has printed strace's messages and cleared it where strace does.
  let seccompFilter: Uint8Array | undefined;
  if (o.seccomp) {
    // Numbers the table does not know are always traced, as are those past its end.
    // With --proto, the calls the protocol tap reads stop too (printing still follows -e trace=).
    const tapped = new Set(o.proto !== undefined ? TAP_SYSCALLS : []);
    // TLS (core/trace/tls) looks for libssl when code is mapped.
    if (o.proto !== undefined && !o.noTls) tapped.add("mmap");
    const nrs: number[] = [];
    for (let nr = 0; nr < NSYSCALLS; nr++) {
      const sc = syscallByNr(nr);
      if (!sc || f.trace[nr] === 1 || tapped.has(sc.name)) nrs.push(nr);
    }
    if (nrs.length === NSYSCALLS) {
      message(
        `${PROG}: Seccomp filter is requested but there are no syscalls to filter.  ` +
          "See -e trace to filter syscalls.",
      );
      o.seccomp = false;
    } else seccompFilter = buildFilter(nrs, NSYSCALLS);
  }

  // An empty -o name: strace's fopen("") fails (the tracer would take it for "no -o").
  if (o.output === "" && !o.separately) return fail("Can't fopen '': No such file or directory");

  let tracer: Tracer;
  // Events flow one way: tracer → bus → printer (and observers).
  const bus: EventBus = new EventBus(
    plugins
      ? (await import("../plugins/observer.ts")).pluginBusError({ emit: (e) => bus.event(e) })
      : (entry, hook, e) =>
        message(`${PROG}: ${entry.name}: ${hook}: ${e instanceof Error ? e.message : e}`),
  );
  try {
    const tap = o.proto !== undefined
      ? await (await import("../decode/proto.ts")).makeTap(o, sniffers)
      : undefined;
    const summary = new Summary();
    tracer = new Tracer({
      opts: o,
      filters: f,
      decoders,
      prog: PROG,
      out: bus,
      summary,
      // JSON on stderr: `Process N attached` would break its lines (attach events say it).
      // --live on the terminal: they would scroll its screen.
      silentAttach: (o.format === "json" && o.output === undefined) ||
        (o.views.live === true && o.output === undefined),
      tap,
      socketLookup: o.decodeFds > 1
        ? (await import("../decode/socket_info.ts")).socketDetail
        : undefined,
      tls: tap && !o.noTls
        ? (await import("../trace/tls/setup.ts")).tlsHooks(o, PROG, tap!)
        : undefined,
      // -k: loaded only when asked for (start-up time).
      stacks: o.stackTraces && o.summary !== 1
        ? await (await import("../trace/stack/mod.ts")).StackTraces.create()
        : undefined,
    });
    const t = tracer;
    // --live owns the terminal: the strace text goes only to -o FILE when given.
    if (!(o.views.live && o.output === undefined)) {
      bus.add({
        name: o.format,
        trusted: true,
        sink: openPrinter({
          opts: o,
          filters: f,
          prog: PROG,
          view: t,
          summary,
          tap,
          onBrokenPipe: () => t.requestStop(SIG.SIGPIPE),
          onFatal: () => t.outputFailure(),
          palette: (await import("../output/color.ts")).paletteFor(o),
        }),
      });
    }
    if (plugins) {
      // Observers see what the printer saw; their summaries come before the printer closes.
      const { attachObservers } = await import("../plugins/observer.ts");
      const finishObservers = attachObservers(bus, plugins.observers, (l) => message(l));
      bus.add(plugins.reports.entry((e) => bus.event(e)));
      const finishBus = bus.finish.bind(bus);
      bus.finish = () => {
        finishObservers();
        finishBus();
      };
    }
  } catch (e) {
    if (e instanceof OutputError) return fail(e.message);
    throw e;
  }

  // --timeline/--report/--live: their files are opened now, before anything is traced; they
  // read the same events as the printer, from the bus.
  let views: BusEntry[] = [];
  if (o.views.timeline !== undefined || o.views.report !== undefined || o.views.live) {
    const v = await import("../output/views.ts");
    const why = v.viewProblem(o.views);
    if (why) return fail(why);
    try {
      views = await v.createViewSinks({ ...o.views, command: o.command, pids: o.pids }, {
        quit: () => tracer.requestDetach(),
      });
    } catch (e) {
      if (e instanceof OutputError) return fail(e.message);
      throw e;
    }
    for (const entry of views) bus.add(entry);
  }

  // As strace: the output is opened before the command is looked up.
  let launch: SpawnRequest | undefined;
  if (o.command.length) {
    const resolved = resolveCommand(o.command[0]);
    if (typeof resolved !== "string") {
      endViews(views);
      return fail(resolved.error);
    }
    const user: UserCreds | undefined = o.userCreds;
    launch = { path: resolved, argv: o.command, env: buildEnv(o.env), seccompFilter, user };
  }

  // Signals: detach cleanly. Deno's handlers use SA_RESTART; clear it so waitpid returns EINTR.
  const sigs: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
  const numbers: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGQUIT: 3 };
  let caught = 0;
  const listeners: [Deno.Signal, () => void][] = [];
  for (const s of sigs) {
    const fn = () => {
      caught = caught || numbers[s];
      tracer.requestStop(numbers[s]);
    };
    Deno.addSignalListener(s, fn);
    listeners.push([s, fn]);
    clearRestart(numbers[s]);
  }
  // A signal delivered to another of Deno's threads must still interrupt our waitpid: the relay
  // worker forwards it to the main thread as SIGUSR2 (see core/trace/signal_relay.ts).
  const wake = () => {};
  Deno.addSignalListener("SIGUSR2", wake);
  listeners.push(["SIGUSR2", wake]);
  clearRestart(12);
  // Started when the loop first goes idle (a blocking waitpid), not before: on two cores its
  // start-up would compete with the tracee's, and a busy loop yields to listeners anyway.
  let relay: SignalRelay | undefined;
  tracer.beforeFirstBlock = async () => {
    relay = startSignalRelay();
    tracer.relayed = relay.shared;
    await Promise.race([relay.ready, new Promise((r) => setTimeout(r, 200))]);
  };

  // Like strace, a pid that cannot be attached is reported and skipped; only when none could
  // be attached (and there is no command) is it an error.
  for (const pid of o.pids) {
    const err = tracer.attach(pid);
    if (err) message(`${PROG}: ${err}`);
  }
  if (o.pids.length && tracer.count === 0 && !launch) return endViews(views, 1);
  if (launch) {
    const pid = spawnStopped(launch);
    if (pid < 0) return endViews(views, fail(`exec: ${errText(-pid)}`));
    if (!tracer.launch(pid)) return endViews(views, 1);
  }

  if (views.length) (await import("../output/views.ts")).beginViews(views);
  let outcome;
  try {
    outcome = await tracer.run();
  } finally {
    // Until the bus calls them, the views end here (finish is idempotent): files closed, terminal back.
    endViews(views);
  }
  relay?.worker.terminate();
  if (tracer.internalError || tracer.outputFailed) return 1;
  if (brokenPipe()) {
    // strace dies of the SIGPIPE that stopped it (in its interactive modes).
    reraise(SIG.SIGPIPE);
    return 128 + SIG.SIGPIPE;
  }
  for (const [s, fn] of listeners) Deno.removeSignalListener(s, fn);
  // strace's terminate(): the signal that made it detach wins (a shell sees 128+N); else the
  // launched command's exit code, or its fatal signal re-raised; else 0.
  const stopSig = tracer.stopCause || caught;
  if (stopSig) {
    reraise(stopSig);
    return 128 + stopSig;
  }
  if (outcome.signal !== undefined && launch) {
    reraise(outcome.signal);
    return 128 + outcome.signal;
  }
  if (outcome.exitCode !== undefined && launch) return outcome.exitCode;
  return 0;
}

/** Ends the views (their files closed and valid, the terminal restored); returns `code`. */
function endViews(views: readonly BusEntry[], code = 0): number {
  for (const v of views) v.sink.finish?.();
  return code;
}

/** Dies by `sig` as the tracee did (default disposition, no core file). */
function reraise(sig: number): void {
  if (sig === SIG.SIGKILL || sig === SIG.SIGSTOP) {
    libc.kill(libc.getpid(), sig);
    return;
  }
  const act = new Uint8Array(152); // SIG_DFL, empty mask, no flags
  libc.sigaction(sig, act, null as unknown as Uint8Array<ArrayBuffer>);
  const set = new Uint8Array(128);
  set[Math.floor((sig - 1) / 8)] = 1 << ((sig - 1) % 8);
  libc.sigprocmask(1, /* SIG_UNBLOCK */ set, null as unknown as Uint8Array<ArrayBuffer>);
  libc.kill(libc.getpid(), sig);
}
