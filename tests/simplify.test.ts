// Jaxpr simplification (lib/trace/jaxpr.ts simplifyJaxpr): CSE and DCE before
// evaluation, checked on the jaxprs themselves and on results.

import assert from "node:assert/strict";
import { jax, jnp, lax, type NDArray } from "../mod.ts";
import { simplifyJaxpr } from "../lib/trace/jaxpr.ts";

const prims = (f: (...xs: NDArray[]) => unknown, ...xs: NDArray[]) =>
  simplifyJaxpr(jax.make_jaxpr(f as (...xs: NDArray[]) => NDArray)(...xs).jaxpr).eqns.map((e) => e.primitive);

Deno.test("simplify: a repeated equation is computed once, a dead one not at all", () => {
  const x = jnp.ones([3]);
  assert.deepEqual(prims((x) => jnp.sin(x).add(jnp.sin(x)), x), ["sin", "add"]);
  // Chains of duplicates collapse: the second exp(sin(x)) reuses the first.
  assert.deepEqual(prims((x) => jnp.exp(jnp.sin(x)).mul(jnp.exp(jnp.sin(x))), x), ["sin", "exp", "mul"]);
  assert.deepEqual(prims((x) => (jnp.cos(x), jnp.tan(x)), x), ["tan"]);
  // make_jaxpr itself prints the program as traced, as JAX does.
  assert.equal(jax.make_jaxpr((x: NDArray) => jnp.sin(x).add(jnp.sin(x)))(x).jaxpr.eqns.length, 3);
});

Deno.test("simplify: equations that differ in params, literals or inputs stay apart", () => {
  const x = jnp.arange(6).astype("float32").reshape([2, 3]);
  assert.deepEqual(prims((x) => jnp.sum(x, { axis: 0 }).sum().add(jnp.sum(x, { axis: 1 }).sum()), x), [
    "reduce_sum",
    "reduce_sum",
    "reduce_sum",
    "reduce_sum",
    "add",
  ]);
  // 0 and -0 are different literals (1 / x tells them apart).
  const j = prims((x) => lax.div(1, lax.add(x, 0)).add(lax.div(1, lax.add(x, -0))), jnp.array(0));
  assert.equal(j.filter((p) => p === "add").length, 3);
  const y = jnp.zeros([3]);
  assert.deepEqual(prims((x, y) => jnp.sin(x).add(jnp.sin(y)), x.get(0), y), ["sin", "sin", "add"]);
});

Deno.test("simplify: jit results are unchanged, including duplicated outputs and control flow", () => {
  const x = jnp.array([0.5, -1.25, 2]);
  const f = (x: NDArray) => {
    const [c, ys] = lax.scan((c: NDArray, xi: NDArray) => [c.add(jnp.sin(xi)).add(jnp.sin(xi)), jnp.sin(xi)], 0, x) as [
      NDArray,
      NDArray,
    ];
    return [c, ys, jnp.sin(x), jnp.sin(x)];
  };
  const eager = (f(x) as NDArray[]).map((a) => a.tolist());
  const jitted = (jax.jit(f)(x) as NDArray[]).map((a) => a.tolist());
  assert.deepEqual(jitted, eager);
  const g = jax.grad((x: NDArray) => jnp.sum(jnp.exp(x).mul(jnp.exp(x))));
  assert.deepEqual(jax.jit(g)(x).tolist(), g(x).tolist());
});
