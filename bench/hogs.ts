/**
 * CPU hogs for the bench's loaded runs: one busy loop per core, each a tiny C program that ends
 * itself after a deadline (`alarm`), so a bench that dies cannot leave them behind; the bench
 * also kills them, by pid, when its loaded runs end.
 * @module
 */

const SOURCE = `#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  alarm(argc > 1 ? atoi(argv[1]) : 60);
  for (volatile unsigned long i = 0;; i++) {}
}
`;

/** Running hogs. */
export class Hogs {
  private kids: Deno.ChildProcess[] = [];

  private constructor(private bin: string) {}

  /** Compiles the hog into `dir`. */
  static async build(dir: string): Promise<Hogs> {
    const src = `${dir}/hog.c`;
    const bin = `${dir}/hog`;
    await Deno.writeTextFile(src, SOURCE);
    const r = await new Deno.Command("gcc", { args: ["-O1", "-o", bin, src] }).output();
    if (!r.success) throw new Error(`gcc hog: ${new TextDecoder().decode(r.stderr)}`);
    return new Hogs(bin);
  }

  /** Starts `count` hogs that end by themselves after `seconds` at the latest. */
  start(count: number, seconds: number): void {
    for (let i = 0; i < count; i++) {
      this.kids.push(
        new Deno.Command(this.bin, {
          args: [String(Math.max(1, Math.ceil(seconds)))],
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn(),
      );
    }
  }

  /** How many are running. */
  get running(): number {
    return this.kids.length;
  }

  /** Kills every hog this object started (by pid) and reaps it. */
  async stop(): Promise<void> {
    const kids = this.kids;
    this.kids = [];
    for (const k of kids) {
      try {
        k.kill("SIGKILL");
      } catch {
        // already gone (its alarm fired)
      }
    }
    await Promise.all(kids.map((k) => k.status));
  }
}
