// jax.scipy.stats against real JAX: values (incl. outside the support) and
// gradients from tests/fixtures/breadth_golden.json (scripts/gen_breadth_golden.py).

import assert from "node:assert/strict";
import { jax, jnp, type NDArray } from "../mod.ts";
import { hasBackend } from "../lib/runtime.ts";
import golden from "./fixtures/breadth_golden.json" with { type: "json" };
import { assertClose, dec, type Enc, weights } from "./breadth_harness.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

interface StatsCase {
  fn: string;
  args: Enc[];
  out: Enc;
  grads: Record<string, Enc>;
}

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => NDArray;
function fnOf(name: string): AnyFn {
  const [dist, f] = name.split(".");
  return (jax.scipy.stats as unknown as Record<string, Record<string, AnyFn>>)[dist][f];
}

const cases = golden.stats as unknown as StatsCase[];

// Looser tolerances where float32 special functions (igammac, erfinv, the
// elimination in the mvn log-determinant) differ from XLA's in the last bits.
const tolOf = (fn: string): [number, number] =>
  fn.startsWith("multivariate") ? [2e-5, 2e-5] : fn.startsWith("norm.ppf") ? [5e-5, 5e-6] : [3e-5, 3e-6];

Deno.test("stats: values match JAX (incl. outside the support)", () => {
  assert.ok(cases.length >= 37);
  for (const c of cases) {
    const args = c.args.map(dec);
    const [rt, at] = tolOf(c.fn);
    assertClose(fnOf(c.fn)(...args), c.out, `${c.fn} value`, rt, at);
  }
});

Deno.test("stats: gradients match JAX", () => {
  let n = 0;
  for (const c of cases) {
    const args = c.args.map(dec);
    const f = fnOf(c.fn);
    const w = weights(c.out.shape);
    const [rt, at] = tolOf(c.fn);
    for (const [k, want] of Object.entries(c.grads)) {
      const g = jax.grad((...a: NDArray[]) => jnp.sum(f(...a).mul(w)), { argnums: Number(k) })(...args) as NDArray;
      assertClose(g, want, `${c.fn} d/darg${k}`, rt * 10, at * 10);
      n++;
    }
  }
  assert.ok(n >= 60, `${n} gradients checked`);
});

Deno.test("stats: jit and vmap agree", () => {
  for (const c of cases) {
    const args = c.args.map(dec);
    const f = fnOf(c.fn);
    const [rt, at] = tolOf(c.fn);
    assertClose(jax.jit(f)(...args) as NDArray, c.out, `${c.fn} jit`, rt, at);
    // vmap over the leading axis of the batched arguments (x of a batched mvn).
    const mvn = c.fn.startsWith("multivariate_normal");
    const outNd = c.out.shape.length;
    const inAxes = c.args.map((a, i) =>
      (mvn ? i === 0 && a.shape.length === 2 : a.shape.length === outNd && outNd >= 1) ? 0 : null
    );
    if (inAxes.some((a) => a === 0)) {
      const v = jax.vmap(f, { inAxes })(...args) as NDArray;
      assertClose(v, c.out, `${c.fn} vmap`, rt, at);
    }
  }
});

Deno.test("stats: namespaces and defaults as JAX", () => {
  const { norm, poisson, multivariate_normal } = jax.scipy.stats;
  assert.ok(Math.abs(norm.logpdf(0).item() + 0.5 * Math.log(2 * Math.PI)) < 1e-6);
  assert.ok(Math.abs(norm.cdf(1, 1, 2).item() - 0.5) < 1e-7);
  assert.equal(poisson.logpmf(-1, 2).item(), -Infinity);
  assert.equal(poisson.cdf(-1, 2).item(), 0);
  // Identity covariance reduces to a sum of standard normal log densities.
  const x = jnp.array([0.3, -1.2, 2.0]);
  const a = multivariate_normal.logpdf(x, jnp.zeros([3]), jnp.eye(3)).item();
  const b = jnp.sum(norm.logpdf(x)).item();
  assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);
  assert.throws(() => multivariate_normal.logpdf(x, jnp.zeros([3]), jnp.eye(2)), /incompatible shapes/);
});

Deno.test({
  name: "stats: values and gradients match JAX on webgpu",
  ignore: !hasBackend("webgpu"),
  fn: () => {
    jax.config.update("jax_platforms", "webgpu");
    try {
      for (const c of cases) {
        const args = c.args.map(dec);
        assert.equal((args[0] as unknown as { backend: { name: string } }).backend.name, "webgpu");
        const f = fnOf(c.fn);
        // WGSL's float32 exp/log/erf builtins differ from XLA's by a few ulp more than the cpu reference.
        const [rt, at] = tolOf(c.fn).map((t) => t * 4);
        assertClose(f(...args), c.out, `${c.fn} value (webgpu)`, rt, at);
        // Gradients of the cdfs run while_loops that read their predicate back per chunk
        // (~30 s on llvmpipe); the densities' gradients cover the webgpu rules.
        if (/cdf|sf/.test(c.fn)) continue;
        const w = weights(c.out.shape);
        for (const [k, want] of Object.entries(c.grads)) {
          const g = jax.grad((...a: NDArray[]) => jnp.sum(f(...a).mul(w)), { argnums: Number(k) })(...args) as NDArray;
          assertClose(g, want, `${c.fn} d/darg${k} (webgpu)`, rt * 10, at * 10);
        }
      }
    } finally {
      jax.config.update("jax_platforms", "");
    }
  },
});
