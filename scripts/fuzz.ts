/**
 * `deno task fuzz`: differential fuzzing, long. Runs programs `seed` ..
 * `seed + count - 1` of tests/fuzz_lib.ts on webgpu and cpu and prints every
 * disagreement with its program (TypeScript, reproducible from its seed).
 * Exits 1 if any disagree.
 *
 * ```sh
 * deno task fuzz                          # seeds 0..999
 * deno task fuzz --seed 5000 --count 2000 --steps 8
 * deno task fuzz --seed 320 --count 1     # rerun one program
 * deno task fuzz --big --count 200        # long last axes: kernels of thousands of elements
 * ```
 */

import "../lib/gpu/register.ts";
import { parseArgs } from "node:util";
import { hasBackend } from "../lib/runtime.ts";
import { check } from "../tests/fuzz_lib.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seed: { type: "string", default: "0" },
    count: { type: "string", default: "1000" },
    steps: { type: "string", default: "5" },
    big: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: deno task fuzz [--seed N] [--count N] [--steps MAX_STEPS] [--big]");
  Deno.exit(0);
}
if (!hasBackend("webgpu")) {
  console.error("fuzz: no WebGPU adapter; nothing to compare cpu with");
  Deno.exit(2);
}
const [seed, count, steps] = [values.seed, values.count, values.steps].map(Number);
const t0 = performance.now();
let bad = 0;
for (let s = seed; s < seed + count; s++) {
  const why = check(s, steps, values.big);
  if (why) {
    bad++;
    console.log(`MISMATCH ${why}\n`);
  }
  if ((s - seed + 1) % 100 === 0) console.error(`fuzz: ${s - seed + 1}/${count} programs, ${bad} mismatches`);
}
console.log(
  `fuzz: ${count}${values.big ? " big" : ""} programs from seed ${seed}, ${bad} mismatches, ${
    ((performance.now() - t0) / 1000).toFixed(1)
  } s`,
);
Deno.exit(bad ? 1 : 0);
