/**
 * Differential fuzzing, deterministic: programs 0..FUZZ_COUNT-1 of
 * tests/fuzz_lib.ts run on webgpu and on cpu and must agree. A failure prints
 * the program as TypeScript; `deno task fuzz --seed N --count 1` reruns it.
 * The longer search is `deno task fuzz`. Ignored without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { hasBackend } from "../lib/runtime.ts";
import { check, compare, generate, programText, runOn } from "./fuzz_lib.ts";

const gpu = hasBackend("webgpu");
const FUZZ_COUNT = 100;
const PER_TEST = 10;

for (let from = 0; from < FUZZ_COUNT; from += PER_TEST) {
  Deno.test({ name: `fuzz: programs ${from}..${from + PER_TEST - 1} agree on webgpu and cpu`, ignore: !gpu }, () => {
    const failures: string[] = [];
    for (let seed = from; seed < from + PER_TEST; seed++) {
      const why = check(seed);
      if (why) failures.push(why);
    }
    assert.equal(failures.length, 0, failures.join("\n\n"));
  });
}

Deno.test("fuzz: programs are reproducible from their seed and print as code", () => {
  for (const seed of [0, 7, 392]) {
    assert.equal(programText(generate(seed)), programText(generate(seed)));
    assert.match(programText(generate(seed)), new RegExp(`^// fuzz seed ${seed}\nconst f = \\(v0`));
  }
  // The generator covers what it claims: every transformation, ints and bools, and special values.
  const ps = Array.from({ length: 300 }, (_, s) => generate(s));
  for (const t of ["jit", "vmap", "grad", "jvp"]) assert.ok(ps.some((p) => p.transforms.includes(t as never)), t);
  assert.ok(ps.some((p) => p.inputs.some((x) => x.dtype === "int32")));
  assert.ok(ps.some((p) => p.steps.some((s) => s.out.dtype === "bool")));
  assert.ok(ps.some((p) => p.data.some((d) => d.values.some(Number.isNaN))));
});

Deno.test("fuzz: the comparison catches a difference", () => {
  const p = generate(3);
  const cpu = runOn(p, "cpu");
  assert.ok(cpu.ok);
  assert.equal(compare(cpu, cpu), null);
  const off = { ...cpu, values: cpu.values.map((v, i) => (i === 0 ? v + 1 : v)) };
  assert.match(compare(cpu, off) ?? "", /element 0/);
  assert.match(compare(cpu, { ok: false, error: "ShapeError", message: "x" }) ?? "", /webgpu threw ShapeError/);
});

// Mismatches found by fuzzing that are library or platform bugs outside this
// file's reach; each keeps its program. (Seed 392, grad of jit(jit(f)), was
// fixed in lib/trace/partial_eval.ts; its regression test is in
// tests/regressions.test.ts.)
Deno.test({
  name: "fuzz regression (seed 320): x - x is NaN for x = NaN on webgpu",
  // BUG (webgpu on llvmpipe, lib/gpu): `subtract(v, v)` of one buffer gives 0 for NaN and inf; Mesa's
  // NIR folds `a - a` to 0 (inexact algebra) unless the shader marks the operation exact.
  ignore: true,
}, () => {
  // const f = (v0) => { const v1 = jnp.broadcast_to(v0, [2, 2]); const v2 = jnp.subtract(v1, v1);
  //   const v3 = jnp.concatenate([v2, v2], { axis: 1 }); return v3; };  jax.vmap(jax.jit(f))(in0)
  // with in0 = [[1.875, NaN], [1.5, -1.5]]: cpu element 1 NaN, webgpu 0.
  assert.equal(check(320), null);
});
