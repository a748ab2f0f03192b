/**
 * Loops whose every step runs in one workgroup run as one loop shader
 * (lib/gpu/loop_kernel.ts): checked against the cpu backend for the
 * shapes a scan body takes (index-dependent reads of xs, reversed scans,
 * several carries of several dtypes, carries passed through or set to a
 * constant, loop-invariant kernels, chunks past llvmpipe's loop cap, and
 * ys stacked by loop index), with the dispatch counts that show the loop
 * shader ran, and a body it leaves to step-by-step replay (swapped
 * carries). Ignored without an adapter.
 */

import "../lib/gpu/register.ts";
import assert from "node:assert/strict";
import { jax, jnp, lax } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";
import { assertClose, onPlatform } from "./platform.ts";

type A = jnp.NDArray;
const ignore = !hasBackend("webgpu");

/** Runs `f` on cpu and on webgpu (once to record, once counted); gives both results and the webgpu dispatches. */
function both(f: () => A[]): { cpu: number[][]; gpu: number[][]; dispatches: number } {
  const values = (ys: A[]) => ys.map((y) => Array.from(y.dataSync() as ArrayLike<number>, Number));
  const on = (platform: string, counted: boolean) =>
    onPlatform(platform, () => {
      if (counted) jax.profiler.reset_counters();
      const out = values(f());
      return { out, dispatches: counted ? jax.profiler.counters().dispatches : 0 };
    });
  const cpu = on("cpu", false).out;
  on("webgpu", false);
  const g = on("webgpu", true);
  return { cpu, gpu: g.out, dispatches: g.dispatches };
}

/** webgpu's outputs against cpu's. */
const close = (got: number[][], want: number[][], rtol = 1e-5, what = "") =>
  assertClose(got, want, rtol, `${what} (webgpu vs cpu)`);

const grid = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

Deno.test({ name: "loop shader: the tutorial's 100-step scan is the first step plus one dispatch", ignore }, () => {
  const r = both(() => {
    const x = jnp.array(grid(100, -2, 3));
    const f = (th: A) => jnp.sum(x.sub(th.get(0)).pow(2).div(jnp.exp(th.get(1)).mul(2))).add(th.get(1).mul(50));
    const df = jax.jacfwd(f);
    const gd = jax.jit(() =>
      lax.scan((th: A) => [th.sub(df(th).mul(0.01)), null], jnp.array([1, 1]), null, { length: 100 })[0]
    );
    return [gd()];
  });
  close(r.gpu, r.cpu, 1e-5, "tutorial scan");
  assert.ok(r.dispatches <= 3, `dispatches: ${r.dispatches}`);
});

Deno.test(
  { name: "loop shader: the tutorial's scan at n = 3000 too (its terms over x inlined into the sum)", ignore },
  () => {
    // x-sized terms read by a 2-output reduction were each given a kernel of their own below 4,096
    // elements: 3 dispatches a step, and the loop shader refused their 47 workgroups.
    const r = both(() => {
      const x = jnp.array(grid(3000, -2, 3));
      const f = (th: A) => jnp.sum(x.sub(th.get(0)).pow(2).div(jnp.exp(th.get(1)).mul(2))).add(th.get(1).mul(1500));
      const df = jax.jacfwd(f);
      const gd = jax.jit(() =>
        lax.scan((th: A) => [th.sub(df(th).mul(1e-4)), null], jnp.array([1, 1]), null, { length: 100 })[0]
      );
      return [gd()];
    });
    close(r.gpu, r.cpu, 1e-5, "n = 3000");
    assert.ok(r.dispatches <= 4, `dispatches: ${r.dispatches}`);
  },
);

for (const reverse of [false, true]) {
  Deno.test({ name: `loop shader: xs read at the loop index${reverse ? ", reversed" : ""}`, ignore }, () => {
    const r = both(() => {
      const xs = jnp.array(grid(60, -1, 2)).reshape([30, 2]);
      const step = (c: A, x: A): [A, null] => [c.mul(0.9).add(x.mul(x.get(0))), null];
      return [lax.scan(step, jnp.array([0.5, -0.5]), xs, { reverse })[0]];
    });
    close(r.gpu, r.cpu, 1e-5, "xs");
    assert.ok(r.dispatches <= 4, `dispatches: ${r.dispatches}`);
  });
}

Deno.test({ name: "loop shader: carries of several dtypes, passed through and set to a constant", ignore }, () => {
  const r = both(() => {
    const w = jnp.array(grid(8, 0.5, 1.5));
    const step = ([k, v, keep, flag]: A[]): [A[], null] => [
      [k.add(1), v.mul(w).add(k.astype("float32").mul(0.01)), keep, jnp.logical_or(flag, jnp.array(true))],
      null,
    ];
    const init = [
      jnp.array(0, { dtype: "int32" }),
      jnp.ones([8]),
      jnp.array([3, 4], { dtype: "int32" }),
      jnp.array(false),
    ];
    return lax.scan(step, init, null, { length: 12 })[0];
  });
  close(r.gpu, r.cpu, 1e-5, "carries");
  assert.deepEqual(r.gpu[0], [12]);
  assert.deepEqual(r.gpu[2], [3, 4]);
  assert.deepEqual(r.gpu[3], [1]);
});

Deno.test({ name: "loop shader: a long loop runs in chunks under the loop cap and stays exact", ignore }, () => {
  // 400-element sums: ~100 loop trips per step, so 3000 steps need several dispatches of the loop shader.
  const r = both(() => {
    const step = (v: A): [A, null] => [v.mul(0.999).add(jnp.sum(v).mul(0.001 / 400)).add(1e-4), null];
    return [lax.scan(step, jnp.array(grid(400, 0, 1)), null, { length: 3000 })[0]];
  });
  close(r.gpu, r.cpu, 2e-5, "long loop");
  assert.ok(r.dispatches >= 4 && r.dispatches < 40, `dispatches: ${r.dispatches}`);
});

Deno.test({ name: "loop shader: fori_loop with a loop-invariant kernel", ignore }, () => {
  const r = both(() => {
    const basis = jnp.array(grid(4, 1, 2));
    const body = (i: A, v: A) => v.add(basis.mul(basis).mul(i.astype("float32"))).mul(0.5);
    return [lax.fori_loop(0, 40, body, jnp.zeros([4]))];
  });
  close(r.gpu, r.cpu, 1e-5, "fori_loop");
});

for (const reverse of [false, true]) {
  Deno.test({ name: `loop shader: ys stacked by loop index${reverse ? ", reversed" : ""}`, ignore }, () => {
    const r = both(() => {
      const xs = jnp.arange(24).astype("float32").reshape([12, 2]);
      // ys: the carry before the update (a carry-in), a new value, and an int32 one.
      const step = (c: A, x: A): [A, A[]] => [c.mul(0.5).add(x), [c, x.mul(c.get(0)), jnp.sum(x).astype("int32")]];
      const [c, ys] = lax.scan(step, jnp.array([1, -1]), xs, { reverse });
      return [c, ...ys];
    });
    close(r.gpu, r.cpu, 1e-6, "ys");
    // The first step's kernels and one loop shader (step by step: about 3 per step, 36).
    assert.ok(r.dispatches <= 8, `dispatches: ${r.dispatches}`);
  });
}

Deno.test({ name: "loop shader: swapped carries run step by step", ignore }, () => {
  const swapped = both(() =>
    lax.scan(([a, b]: A[]): [A[], null] => [[b.add(1), a], null], [jnp.array(1.0), jnp.array(5.0)], null, {
      length: 7,
    })[0]
  );
  close(swapped.gpu, swapped.cpu, 0, "swap");
  assert.deepEqual(swapped.gpu, [[9], [4]]);
  assert.ok(swapped.dispatches >= 7, `dispatches: ${swapped.dispatches}`);
});

Deno.test(
  { name: "loop shader: a jitted scan is replayed whole, for new inputs and host-scalar arguments", ignore },
  () => {
    const r = both(() => {
      const gd = jax.jit((th: A, x: A, lr: A | number) =>
        lax.scan((t: A) => [t.sub(jnp.sum(t.mul(x)).mul(lr)).mul(0.99), jnp.sum(t)], th, null, { length: 40 })
      );
      const outs: A[] = [];
      // The same kinds of inputs (replayed), new buffers, and a JS-number argument (a host scalar).
      for (const k of [1, 2, 3]) {
        const [c, ys] = gd(jnp.array([k, -k]), jnp.array([0.5 * k, 0.25]), 0.01 * k) as [A, A];
        outs.push(c, ys);
      }
      const [c, ys] = gd(jnp.array([1, 1]), jnp.array([0.5, 0.25]), jnp.array(0.02)) as [A, A];
      // Buffer inputs only: the second and later calls replay the first call's recording.
      const gd2 = jax.jit((th: A, x: A) =>
        lax.scan((t: A) => [t.sub(t.mul(x).mul(0.05)), t.get(0)], th, null, { length: 30 })
      );
      for (const k of [1, 2, 3]) outs.push(...(gd2(jnp.array([k, 2 * k]), jnp.array([k, 0.5])) as A[]));
      return [...outs, c, ys];
    });
    close(r.gpu, r.cpu, 1e-5, "jitted scan");
  },
);

Deno.test({ name: "while_loop: chunks replay their first iteration (a bounded number of pipelines)", ignore }, () => {
  const run = () => {
    const [, v] = lax.while_loop(
      ([i]: A[]) => i.lt(300),
      ([i, v]: A[]) => [i.add(1), v.mul(0.99).add(jnp.cos(v).mul(0.01))],
      // 5,000 elements: over the size up to which a loop runs on the host.
      [jnp.array(0, { dtype: "int32" }), jnp.array(grid(5000, -1, 1))],
    ) as A[];
    return [v];
  };
  jax.config.update("jax_platforms", "webgpu");
  try {
    jax.profiler.reset_counters();
    run()[0].dataSync();
    const c = jax.profiler.counters();
    // Evaluated afresh, each iteration inlined the last one's unrun work: new kernels every time.
    assert.ok(c.pipelines_compiled < 30, JSON.stringify(c));
  } finally {
    jax.config.update("jax_platforms", "");
  }
  const r = both(run);
  close(r.gpu, r.cpu, 1e-5, "while");
});
