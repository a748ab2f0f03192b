/**
 * Leak check, run by tests/soak.test.ts as a subprocess with
 * `--v8-flags=--expose-gc`: for each workload, runs it, collects garbage,
 * notes the memory still held; runs it as long again, collects, notes again.
 * Memory held after a collection must not grow with the iteration count:
 * that tells a leak (something keeps arrays) from garbage the collector has
 * not reached yet. Prints one JSON line per workload.
 *
 * usage: deno run --v8-flags=--expose-gc -A tests/soak_leak_child.ts PLATFORM WORKLOAD:ITERATIONS...
 */

import "../lib/gpu/register.ts";
import { jax } from "../mod.ts";
import { type WorkloadName, WORKLOADS } from "./soak_lib.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");

/** Collects garbage and lets FinalizationRegistry callbacks (which free buffers) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 20));
  }
}

const [platform, ...specs] = Deno.args;
jax.config.update("jax_platforms", platform);
const device = jax.devices()[0];
for (const spec of specs) {
  const [name, n] = spec.split(":");
  const run = WORKLOADS[name as WorkloadName];
  const held = async () => {
    await settle();
    const m = Deno.memoryUsage();
    return { device: device.memory_stats().bytes_in_use, host: m.heapUsed + m.external };
  };
  // A first run as long as the measured ones warms what legitimately stays: compiled
  // kernels, traces, and V8's own code and feedback (a quarter-length warm-up left
  // ~100-250 KB of that growth to the measured runs on webgpu, near the bound).
  run(Number(n), () => {}).dataSync();
  const a = await held();
  run(Number(n), () => {}).dataSync();
  const b = await held();
  run(Number(n), () => {}).dataSync();
  const c = await held();
  run(Number(n), () => {}).dataSync();
  const d = await held();
  console.log(JSON.stringify({ name, iterations: Number(n), after: [a, b, c, d] }));
}
