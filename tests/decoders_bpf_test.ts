/**
 * Differential tests of decoders/bpf.ts: `tests/fixtures/bpf_calls.c` makes raw `bpf(2)` calls of
 * every command strace 6.1 decodes (an array map and a socket filter program the kernel really
 * creates; refused calls compared on their error path) and hostile ones (short sizes, non-zero
 * tails, unmapped and half-mapped attrs, garbage fields, 5000 instructions); strace 6.1 and
 * sctrace must print the same lines under each option set, abbreviated and with `-v`.
 */
import assert, { ok } from "node:assert/strict";
import { OPTION_SETS, sameTrace } from "./helpers/family_diff.ts";
import { decoders } from "../decoders/bpf.ts";
import { callArgsText, entryText, toJson } from "../decoders/value.ts";
import { fakeCall, FakeMemory } from "./helpers/fake_call.ts";

/** Ids the kernel hands out, and load times, differ between the two runs. */
const norm = (l: string) =>
  l.replace(/\b((?:next_)?id|map_ids|prog_id)=(\d+ => )?\d+/g, "$1=$2N")
    .replace(/\b(next_id=\d+ => )\d+/g, "$1N")
    .replace(/\bload_time=\d+/g, "load_time=T")
    .replace(/(load_time=T \/\* )\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}( \*\/)/g, "$1DATE$2")
    .replace(/\b(run_time_ns|run_cnt|netns_ino|duration)=\d+/g, "$1=N")
    .replace(/\b(jited_ksyms|jited_func_lens|jited_line_info|jited_prog_insns)=[^,}]+/g, "$1=X")
    .replace(/\bmap_ids=\[[\d, ]*\]/g, "map_ids=[N]");

for (const opts of [...OPTION_SETS, ["-v"], ["-v", "-X", "raw"], ["-v", "-X", "verbose"]]) {
  Deno.test(`bpf matches strace: ${opts.join(" ") || "defaults"}`, async () => {
    const got = await sameTrace("bpf_calls", ["bpf"], opts, 100, undefined, norm);
    if (!opts.includes("verbose=none")) {
      ok(got.some((l) => /map_type=(BPF_MAP_TYPE_ARRAY|0x2)\b/.test(l)), "no map_create");
    }
  });
}

Deno.test("bpf gives typed values: BPF_MAP_CREATE's attr is a struct decoded at entry", () => {
  const mem = new FakeMemory();
  const b = new Uint8Array(72);
  const v = new DataView(b.buffer);
  v.setUint32(0, 2, true); // BPF_MAP_TYPE_ARRAY
  v.setUint32(4, 4, true);
  v.setUint32(8, 8, true);
  v.setUint32(12, 1, true);
  v.setUint32(16, 4, true); // BPF_F_NUMA_NODE
  v.setUint32(24, 0xffffffff, true);
  b.set(new TextEncoder().encode("m"), 28);
  mem.put(0x1000, b);
  const args = [0, 0x1000, 72];
  const e = decoders.bpf.enter!(fakeCall({ mem, args }));
  assert.ok(typeof e !== "string");
  assert.equal(
    entryText(e, true),
    "BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=4, value_size=8, max_entries=1, " +
      "map_flags=BPF_F_NUMA_NODE, inner_map_fd=0, numa_node=4294967295 /* NUMA_NO_NODE */, " +
      'map_name="m", map_ifindex=0, btf_fd=0, btf_key_type_id=0, btf_value_type_id=0, ' +
      "btf_vmlinux_value_type_id=0, map_extra=0}, 72",
  );
  const json = e.map(toJson);
  assert.equal(json[0], "BPF_MAP_CREATE");
  const attr = json[1] as Record<string, unknown>;
  assert.equal(attr.map_type, "BPF_MAP_TYPE_ARRAY");
  assert.deepEqual(attr.map_flags, ["BPF_F_NUMA_NODE"]);
  assert.equal(attr.numa_node, "NUMA_NO_NODE");
  assert.equal(attr.map_name, "m");
  assert.equal(json[2], 72);
  // A size of 0 or past a page, or an unknown command: the address.
  for (const a of [[0, 0x1000, 0], [0, 0x1000, 4097], [99, 0x1000, 16], [0, 0x9000, 72]]) {
    const r = decoders.bpf.enter!(fakeCall({ mem, args: a }));
    assert.match(entryText(r, true), /, 0x[19]000, \d+$/);
  }
});

Deno.test("bpf prints what the kernel wrote back at exit (*_GET_NEXT_ID, PROG_QUERY)", () => {
  const mem = new FakeMemory();
  const b = new Uint8Array(12);
  mem.put(0x2000, b);
  const state = {};
  const args = [12, 0x2000, 12];
  const e = decoders.bpf.enter!(fakeCall({ mem, args, state }));
  assert.equal(entryText(e, true), "BPF_MAP_GET_NEXT_ID, {start_id=0, next_id=0");
  new DataView(b.buffer).setUint32(4, 5, true);
  const x = decoders.bpf.exit!(fakeCall({ mem, args, state, ret: 0 }));
  assert.equal(
    callArgsText(e, x),
    "BPF_MAP_GET_NEXT_ID, {start_id=0, next_id=0 => 5, open_flags=0}, 12",
  );
  assert.ok(typeof x !== "string");
  assert.deepEqual(toJson(x[0]), { start_id: 0, next_id: { in: 0, out: 5 }, open_flags: [] });

  const q = new Uint8Array(28);
  const qv = new DataView(q.buffer);
  qv.setBigUint64(16, 0x3000n, true);
  qv.setUint32(24, 4, true);
  mem.put(0x2100, q);
  mem.put(0x3000, new Uint8Array([7, 0, 0, 0, 9, 0, 0, 0]));
  const qs = {};
  const qa = [16, 0x2100, 28];
  const qe = decoders.bpf.enter!(fakeCall({ mem, args: qa, state: qs }));
  qv.setUint32(24, 2, true);
  const qx = decoders.bpf.exit!(fakeCall({ mem, args: qa, state: qs, ret: 0 }));
  assert.equal(
    callArgsText(qe, qx),
    "BPF_PROG_QUERY, {query={target_fd=0, attach_type=BPF_CGROUP_INET_INGRESS, query_flags=0, " +
      "attach_flags=0, prog_ids=[7, 9], prog_cnt=4 => 2}}, 28",
  );
});
