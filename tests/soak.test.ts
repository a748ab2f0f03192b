/**
 * Memory soak, short: the loops users write (eager gradient descent at
 * n = 100 and at n = 1e6, repeated jit calls, repeated lax.scan calls), none
 * calling dispose, must keep device memory and process RSS bounded: memory in
 * the last quarter of the run no higher than in the first, give or take a
 * slack far below what one leaked array per iteration would add. The long
 * version is `deno task soak` (scripts/soak.ts). webgpu runs are ignored
 * without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { hasBackend } from "../lib/runtime.ts";
import { mb, quarters, runSoak, type SoakResult, type WorkloadName } from "./soak_lib.ts";

const gpu = hasBackend("webgpu");
const MB = 2 ** 20;

interface Case {
  workload: WorkloadName;
  iterations: number;
  /** Device bytes the last quarter may exceed the first quarter by. */
  deviceSlack: number;
  /** Bound on device bytes in use at any sample. */
  deviceMax: number;
  /** RSS the last quarter may exceed the first quarter by. */
  rssSlack: number;
}

// Without dispose, garbage arrays wait for the collector, so these bounds are
// generous: they catch memory that grows with the run, not every byte. The
// leak check below (a subprocess that can force collections) is exact.
const cases: Record<"cpu" | "webgpu", Case[]> = {
  webgpu: [
    { workload: "eager_gd_n1e2", iterations: 300, deviceSlack: 1 * MB, deviceMax: 8 * MB, rssSlack: 160 * MB },
    { workload: "eager_gd_n1e6", iterations: 30, deviceSlack: 16 * MB, deviceMax: 64 * MB, rssSlack: 160 * MB },
    { workload: "jit_calls", iterations: 300, deviceSlack: 256 * 1024, deviceMax: 8 * MB, rssSlack: 160 * MB },
    { workload: "scan_calls", iterations: 30, deviceSlack: 256 * 1024, deviceMax: 8 * MB, rssSlack: 160 * MB },
  ],
  cpu: [
    { workload: "eager_gd_n1e2", iterations: 400, deviceSlack: 0, deviceMax: 0, rssSlack: 160 * MB },
    { workload: "eager_gd_n1e6", iterations: 30, deviceSlack: 0, deviceMax: 0, rssSlack: 160 * MB },
    { workload: "jit_calls", iterations: 400, deviceSlack: 0, deviceMax: 0, rssSlack: 160 * MB },
    { workload: "scan_calls", iterations: 40, deviceSlack: 0, deviceMax: 0, rssSlack: 160 * MB },
  ],
};

// Cases whose RSS check is a known bug. None now: eager steps at n = 1e6 on cpu
// grew RSS by ~19 MB a step (1 GB after 50, 5.8 GB after 300) until lib/array.ts
// stopped registering cpu buffers for finalization.
const knownBugs = new Set<string>();

function describe(r: SoakResult): string {
  const d = quarters(r, "bytesInUse"), m = quarters(r, "rss");
  return `${r.name} on ${r.platform}, ${r.iterations} iterations in ${r.seconds.toFixed(1)} s: ` +
    `device ${mb(d.first)} -> ${mb(d.last)} (max ${mb(r.maxBytesInUse)}), rss ${mb(m.first)} -> ${mb(m.last)}`;
}

for (const platform of ["cpu", "webgpu"] as const) {
  for (const c of cases[platform]) {
    const rssBug = knownBugs.has(`${platform} ${c.workload} rss`);
    Deno.test({
      name: `soak [${platform}]: ${c.workload} x ${c.iterations} keeps memory bounded${
        rssBug ? " (rss: known bug)" : ""
      }`,
      ignore: platform === "webgpu" && !gpu,
    }, () => {
      const r = runSoak(c.workload, platform, c.iterations);
      // The loop computed something (the fit moves towards the sample's mean ~0.5).
      assert.ok(r.result.every(Number.isFinite) && r.result[0] > 0.05, `result ${r.result}`);
      const d = quarters(r, "bytesInUse");
      if (platform === "webgpu") {
        assert.ok(d.last <= d.first + c.deviceSlack, `device memory grows: ${describe(r)}`);
        assert.ok(r.maxBytesInUse <= c.deviceMax, `device memory: ${describe(r)}`);
      } else {
        assert.equal(r.maxBytesInUse, 0, "cpu does not count device bytes");
      }
      const m = quarters(r, "rss");
      if (!rssBug) assert.ok(m.last <= m.first + c.rssSlack, `rss grows: ${describe(r)}`);
    });
  }
}

// Exact leak check: after a forced collection, memory held must not grow with
// the iteration count (run as a subprocess, as --expose-gc needs a V8 flag).
for (const platform of ["cpu", "webgpu"] as const) {
  Deno.test({
    name: `soak [${platform}]: after a collection nothing is retained (no leak per iteration)`,
    ignore: platform === "webgpu" && !gpu,
  }, async () => {
    // cpu counts no device bytes, so its check is on host memory, which needs more iterations to rise above noise.
    const specs = platform === "webgpu"
      ? ["eager_gd_n1e2:100", "eager_gd_n1e6:8", "jit_calls:100", "scan_calls:10", "host_values:100"]
      : ["eager_gd_n1e2:200", "jit_calls:200", "scan_calls:20"];
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--v8-flags=--expose-gc",
        "-A",
        new URL("./soak_leak_child.ts", import.meta.url).pathname,
        platform,
        ...specs,
      ],
      env: { XDG_RUNTIME_DIR: "/tmp", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, specs.length, stderr);
    for (const { name, after: [, b, c, d] } of lines) {
      // Device: exact (only compiled-kernel state may stay, and it is made in the warm-up run).
      assert.ok(c.device <= b.device, `${name}: device bytes held after GC grew ${b.device} -> ${c.device}`);
      assert.ok(d.device <= c.device, `${name}: device bytes held after GC grew ${c.device} -> ${d.device}`);
      // Host: the JS heap and external memory. A leak grows it in every run; V8's own state
      // (code, feedback) now and then jumps once (seen: 275 KB in 1 run of 6, else 2-85 KB), so
      // the smaller of two increments must stay within noise. Keeping one 100-element array per
      // step (with its wrapper) added 263 KB over 200 steps.
      const grew = Math.min(c.host - b.host, d.host - c.host);
      assert.ok(grew < 200 * 1024, `${name}: host bytes held after GC grew ${b.host} -> ${c.host} -> ${d.host}`);
    }
  });
}

Deno.test({
  name: "soak [webgpu]: eager steps in a synchronous loop keep device memory flat without the event loop",
  // FinalizationRegistry callbacks only run when the event loop turns, never inside a synchronous
  // loop. An eager grad call releases what its rules made itself (trace/core.ts's
  // releasingIntermediates), so what a step leaves to the collector is the user's own arrays: the
  // gradient and the old theta, 16 bytes here (it was ~0.7 KB and ~40 KB of JS heap a step,
  // 216 KB -> 1.7 MB over 2,400 steps).
  ignore: !gpu,
}, () => {
  const r = runSoak("eager_gd_n1e2", "webgpu", 2000);
  const d = quarters(r, "bytesInUse");
  assert.ok(d.last <= d.first + 2000 * 32, `device memory grows more than 32 bytes a step: ${describe(r)}`);
});
