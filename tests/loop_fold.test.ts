/**
 * A scan step's small last kernel folded into the next step's first
 * (lib/gpu/fold.ts): checked against the cpu backend and against webgpu
 * with the fold turned off, with the dispatch counts that show it folded:
 * the tutorial's step over big data, a carry vector read per output, an
 * eager scan, a jitted one called again (its recording replayed), ys
 * stacked from the folded carry, and values read between calls. Ignored
 * without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, lax } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";
import { assertClose, numbers, onPlatform } from "./platform.ts";

type A = jnp.NDArray;
const ignore = !hasBackend("webgpu");

interface Run {
  values: number[][];
  dispatches: number;
}

/** `make()`'s function run twice on webgpu (the second call counted), with or without folding. */
function gpu(make: () => () => A[], fold: boolean): Run {
  return onPlatform("webgpu", () => {
    const f = make();
    f();
    jax.profiler.reset_counters();
    const values = f().map(numbers);
    return { values, dispatches: jax.profiler.counters().dispatches };
  }, { jaxd_fold_loop_steps: fold });
}

/** `make()`'s function on cpu, on webgpu folded and unfolded: all three agree; gives the two webgpu runs. */
function check(make: () => () => A[], rtol: number): { folded: Run; unfolded: Run } {
  const cpu = onPlatform("cpu", () => make()().map(numbers));
  const folded = gpu(make, true), unfolded = gpu(make, false);
  assertClose(folded.values, cpu, rtol, "folded vs cpu");
  assertClose(folded.values, unfolded.values, 1e-6, "folded vs unfolded");
  return { folded, unfolded };
}

/** Deterministic values in [-1, 1). */
function wave(n: number, phase = 0): A {
  return jnp.array(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase)));
}

/** The tutorial's gradient-descent step: jacfwd of the normal negative log-likelihood over x. */
function tutorialStep(x: A, lr: number) {
  const nll = (th: A) => {
    const sigma = jnp.exp(th.get(1));
    return jnp.sum(x.sub(th.get(0)).pow(2).div(sigma.pow(2).mul(2))).add(th.get(1).mul(x.shape[0]));
  };
  const grad = jax.jacfwd(nll);
  return (th: A): [A, null] => [th.sub(grad(th).mul(lr)), null];
}

Deno.test({ name: "fold: the tutorial's step over 1e6 values costs one dispatch a step", ignore }, () => {
  const steps = 6;
  const { folded, unfolded } = check(() => {
    const x = wave(1_000_000).mul(2).add(0.5);
    const step = tutorialStep(x, 1e-7);
    return jax.jit(() => [lax.scan(step, jnp.array([1, 0.5]), null, { length: steps })[0]]);
  }, 1e-4);
  // Unfolded: a first pass and a last pass a step. Folded: the recorded first step's two, then
  // the second step's first pass, a folded dispatch for each step after it, and the last last pass.
  assert.equal(unfolded.dispatches, 2 * steps);
  assert.equal(folded.dispatches, steps + 2);
});

Deno.test({ name: "fold: a carry vector the head reads per output", ignore }, () => {
  const { folded, unfolded } = check(() => {
    const xs = wave(65536 * 16, 1).reshape([65536, 16]);
    const step = (w: A): [A, null] => [w.sub(jnp.sum(xs.mul(w).sub(0.25).mul(xs), { axis: 0 }).mul(1e-6)), null];
    return jax.jit(() => [lax.scan(step, jnp.ones([16]), null, { length: 5 })[0]]);
  }, 1e-4);
  assert.ok(folded.dispatches < unfolded.dispatches, `${folded.dispatches} vs ${unfolded.dispatches}`);
});

Deno.test({ name: "fold: an eager scan, its ys stacked from the folded carry", ignore }, () => {
  const { folded, unfolded } = check(() => {
    const x = wave(1_000_000, 2);
    const step = (c: A): [A, A] => {
      const next = c.mul(0.5).add(jnp.sum(x.mul(c)).mul(1e-6));
      return [next, next];
    };
    return () => lax.scan(step, jnp.array(1), null, { length: 5 });
  }, 1e-4);
  assert.ok(folded.dispatches < unfolded.dispatches, `${folded.dispatches} vs ${unfolded.dispatches}`);
});

Deno.test({ name: "fold: a jitted scan called again, its result read and used between calls", ignore }, () => {
  onPlatform("webgpu", () => {
    const x = wave(1_000_000, 3).add(1);
    const step = tutorialStep(x, 1e-7);
    const make = () => jax.jit((th: A) => lax.scan(step, th, null, { length: 4 })[0]);
    const gd = make();
    const a = gd(jnp.array([0, 0]));
    const b = gd(a); // reads the first call's folded carry
    const c = gd(gd(jnp.array([0, 0])));
    assert.deepEqual(numbers(b), numbers(c));
    const unfolded = onPlatform("webgpu", () => {
      const g = make(); // a new program, recorded unfolded
      return numbers(g(g(jnp.array([0, 0]))));
    }, { jaxd_fold_loop_steps: false });
    numbers(b).forEach((v, i) => assert.ok(Math.abs(v - unfolded[i]) <= 1e-6 * Math.abs(v), `${v} vs ${unfolded[i]}`));
  });
});

Deno.test({ name: "fold: a fori_loop whose small kernel reads the loop index", ignore }, () => {
  const { folded, unfolded } = check(() => {
    const x = wave(1_000_000, 4);
    const body = (i: A, th: A) => th.sub(jnp.sum(x.mul(th)).mul(i.astype("float32").add(1)).mul(1e-7));
    return jax.jit(() => [lax.fori_loop(0, 6, body, jnp.array(0.5))]);
  }, 1e-4);
  assert.ok(folded.dispatches < unfolded.dispatches, `${folded.dispatches} vs ${unfolded.dispatches}`);
});

for (const reverse of [false, true]) {
  Deno.test({ name: `fold: xs sliced at the loop index${reverse ? ", reversed" : ""}`, ignore }, () => {
    const { folded, unfolded } = check(() => {
      const xs = wave(5 * 1_000_000, 5).reshape([5, 1_000_000]);
      const step = (th: A, x: A): [A, A] => {
        const next = th.sub(jnp.sum(x.sub(th.get(0)).mul(th.get(1))).mul(1e-6));
        return [next, next.get(0)];
      };
      return jax.jit(() => lax.scan(step, jnp.array([0.5, 1]), xs, { reverse }));
    }, 1e-4);
    assert.ok(folded.dispatches < unfolded.dispatches, `${folded.dispatches} vs ${unfolded.dispatches}`);
  });
}

Deno.test({ name: "fold: a tail too big to repeat in every workgroup of the head stays a dispatch", ignore }, () => {
  // The head (b's update, 1e6 elements) has thousands of workgroups, and the tail (a's update)
  // reduces 2,000 of them: folded, every workgroup would run that reduction before its barrier.
  const { folded, unfolded } = check(() => {
    const step = ([b, a]: A[]): [A[], null] => {
      const next = b.mul(a).add(1e-3);
      return [[next, a.mul(0.5).add(jnp.sum(lax.slice(next, [0], [2000])).mul(1e-3))], null];
    };
    return jax.jit(() => lax.scan(step, [wave(1_000_000, 6), jnp.array(1)], null, { length: 5 })[0] as A[]);
  }, 1e-4);
  assert.equal(folded.dispatches, unfolded.dispatches);
});

Deno.test(
  { name: "fold: a step of n = 1e5 runs as one dispatch a step, not as a one-workgroup loop shader", ignore },
  () => {
    // The loop shader's one workgroup runs on one core: past MAX_ITERATION_WORK the dispatches are faster.
    const steps = 8;
    const { folded } = check(() => {
      const x = wave(100_000, 7).mul(2).add(0.5);
      const step = tutorialStep(x, 1e-6);
      return jax.jit(() => [lax.scan(step, jnp.array([1, 0.5]), null, { length: steps })[0]]);
    }, 1e-4);
    assert.equal(folded.dispatches, steps + 2);
  },
);
