// lib/optim.ts (jax.optim): trajectories against optax's recurrences (numpy
// reference in tests/fixtures/breadth_golden.json, scripts/gen_breadth_golden.py),
// and jitted / scanned training loops.

import assert from "node:assert/strict";
import { jax, jnp, lax, type NDArray } from "../mod.ts";
import golden from "./fixtures/breadth_golden.json" with { type: "json" };

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type Params = { w: NDArray; b: NDArray };
interface OptimCase {
  opt: "sgd" | "adam";
  lr: number;
  opts: Record<string, number | boolean>;
  params: number[][];
}

const { p0, target, steps, cases } = golden.optim as unknown as {
  p0: number[];
  target: number[];
  steps: number;
  cases: OptimCase[];
};

const split = (p: number[]): Params => ({ w: jnp.array(p.slice(0, 2)), b: jnp.array(p[2]) });
const T = split(target);
const loss = (p: Params): NDArray => jnp.sum(p.w.sub(T.w).pow(2)).add(p.b.sub(T.b).pow(2));
const flat = (p: Params): number[] => [...(p.w.tolist() as number[]), p.b.item()];

function make(c: OptimCase): jax.optim.GradientTransformation {
  return c.opt === "sgd" ? jax.optim.sgd(c.lr, c.opts) : jax.optim.adam(c.lr, c.opts);
}

function closeTo(got: number[], want: number[], what: string, tol = 2e-5): void {
  got.forEach((g, i) =>
    assert.ok(Math.abs(g - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${g} vs ${want[i]}`)
  );
}

Deno.test("optim: sgd / momentum / nesterov / adam follow optax's recurrences over a pytree", () => {
  assert.equal(cases.length, 5);
  for (const c of cases) {
    const opt = make(c);
    let params = split(p0);
    let state = opt.init(params);
    for (let s = 1; s <= steps; s++) {
      const g = jax.grad(loss)(params);
      const [updates, ns] = opt.update(g, state, params);
      params = jax.optim.apply_updates(params, updates);
      state = ns;
      closeTo(flat(params), c.params[s], `${c.opt}${JSON.stringify(c.opts)} step ${s}`);
    }
    if (c.opt === "adam") assert.equal((state.count as NDArray).item(), steps);
  }
});

Deno.test("optim: momentum() is sgd with momentum", () => {
  const a = jax.optim.momentum(0.05, 0.9);
  const b = jax.optim.sgd(0.05, { momentum: 0.9 });
  const g = jnp.array([1, -2]);
  const [ua] = a.update(g, a.init(g));
  const [ub] = b.update(g, b.init(g));
  assert.deepEqual(ua.tolist(), ub.tolist());
});

Deno.test("optim: jitted steps with the state as a pytree", () => {
  for (const c of cases) {
    const opt = make(c);
    const step = jax.jit((params: Params, state: unknown) => {
      const [l, g] = jax.value_and_grad(loss)(params);
      const [updates, ns] = opt.update(g, state, params);
      return [jax.optim.apply_updates(params, updates), ns, l];
    });
    let params = split(p0);
    let state = opt.init(params);
    for (let s = 1; s <= steps; s++) {
      [params, state] = step(params, state) as [Params, unknown];
      closeTo(flat(params), c.params[s], `jit ${c.opt}${JSON.stringify(c.opts)} step ${s}`);
    }
    // ... and on to the minimum.
    // 400 steps queued without a read (this used to slow down superlinearly on webgpu).
    for (let s = 0; s < 400; s++) [params, state] = step(params, state) as [Params, unknown];
    closeTo(flat(params), target, `jit ${c.opt} converged`, 1e-3);
  }
});

Deno.test("optim: training loop inside lax.scan", () => {
  const opt = jax.optim.adam(0.05);
  const run = jax.jit((params: Params) => {
    const [[p], losses] = lax.scan(
      ([p, s]: [Params, unknown]) => {
        const [l, g] = jax.value_and_grad(loss)(p);
        const [u, ns] = opt.update(g, s, p);
        return [[jax.optim.apply_updates(p, u), ns], l];
      },
      [params, opt.init(params)],
      null,
      { length: 500 },
    );
    return [p, losses];
  });
  const [p, losses] = run(split(p0)) as [Params, NDArray];
  assert.deepEqual(losses.shape, [500]);
  closeTo(flat(p), target, "scan adam", 1e-3);
  const l = losses.tolist() as number[];
  assert.ok(l[499] < 1e-6 && l[0] > 1, `losses ${l[0]} -> ${l[499]}`);
  // The scanned trajectory matches the eager one for the first steps.
  const c = cases.find((c) => c.opt === "adam" && Object.keys(c.opts).length === 0)!;
  const [p6] = (jax.jit((params: Params) =>
    lax.scan(
      ([p, s]: [Params, unknown]) => {
        const [u, ns] = jax.optim.adam(c.lr).update(jax.grad(loss)(p), s, p);
        return [[jax.optim.apply_updates(p, u), ns], null];
      },
      [params, jax.optim.adam(c.lr).init(params)],
      null,
      { length: steps },
    )[0]
  ))(split(p0)) as [Params];
  closeTo(flat(p6), c.params[steps], "scan adam 6 steps");
});

Deno.test("optim: fits the tutorial's normal model to the sample mean and variance", async () => {
  const text = await Deno.readTextFile(new URL("./fixtures/normal100.csv", import.meta.url));
  const data = text.trim().split("\n").slice(1).map(Number);
  const x = jnp.array(data);
  const nll = (theta: { mu: NDArray; logvar: NDArray }): NDArray => {
    const variance = jnp.exp(theta.logvar);
    return jnp.sum(x.sub(theta.mu).pow(2)).div(variance.mul(2))
      .add(jnp.log(variance.mul(2 * jnp.pi)).mul(x.shape[0] / 2)).div(x.shape[0]);
  };
  const mean = jnp.mean(x).item();
  const v = jnp.var(x).item();
  for (const opt of [jax.optim.adam(0.05), jax.optim.sgd(0.2, { momentum: 0.9 })]) {
    const step = jax.jit((theta: { mu: NDArray; logvar: NDArray }, state: unknown) => {
      const [l, g] = jax.value_and_grad(nll)(theta);
      const [u, ns] = opt.update(g, state, theta);
      return [jax.optim.apply_updates(theta, u), ns, l];
    });
    let theta = { mu: jnp.array(0.0), logvar: jnp.array(0.0) };
    let state = opt.init(theta);
    for (let i = 0; i < 1500; i++) [theta, state] = step(theta, state) as [typeof theta, unknown];
    assert.ok(Math.abs(theta.mu.item() - mean) < 1e-3, `mu ${theta.mu.item()} vs ${mean}`);
    assert.ok(Math.abs(jnp.exp(theta.logvar).item() - v) < 1e-3, `var ${jnp.exp(theta.logvar).item()} vs ${v}`);
  }
});
