/** Regression tests for bugs found by the test suites (each names its bug). */

import assert from "node:assert/strict";
import { ConcreteArray } from "../lib/array.ts";
import { jax, jnp, lax, ShapeError } from "../mod.ts";

type A = jnp.NDArray;

Deno.test("grad with hasAux returns a concrete aux, not a leaked tracer", () => {
  const [g, aux] = jax.grad((a: A) => [a.mul(a).sum(), a.mul(2)], { hasAux: true })(jnp.array([1, 2]));
  assert.ok(aux instanceof ConcreteArray);
  assert.deepEqual(aux.tolist(), [2, 4]);
  assert.deepEqual(g.tolist(), [2, 4]);
  const [[v, aux2]] = jax.value_and_grad((a: A) => [a.sum(), { twice: a.mul(2) }], { hasAux: true })(jnp.array([1, 2]));
  assert.equal(v.item(), 3);
  assert.ok(aux2.twice instanceof ConcreteArray);
});

Deno.test("vjp with hasAux: pullback ignores the aux outputs", () => {
  const [y, pb, aux] = jax.vjp((x: A) => [x.mul(3), x.sum()], jnp.array([1, 2]), { hasAux: true });
  assert.deepEqual(y.tolist(), [3, 6]);
  assert.equal(aux.item(), 3);
  assert.deepEqual(pb(jnp.array([1, 1]))[0].tolist(), [3, 3]);
});

Deno.test("lax.full with a dtype is strongly typed (weak only without one)", () => {
  assert.equal(lax.full([2], 0, "float32").weakType, false);
  assert.equal(lax.full([2], 0).weakType, true);
});

Deno.test("lax.dynamic_slice counts negative start indices from the end, as JAX", () => {
  assert.deepEqual(lax.dynamic_slice(jnp.arange(10), [-3], [2]).tolist(), [7, 8]);
  assert.deepEqual(lax.dynamic_slice(jnp.arange(10), [jnp.array(-3, { dtype: "int32" })], [2]).tolist(), [7, 8]);
  assert.deepEqual(jnp.arange(10).get(jnp.array(-1, { dtype: "int32" })).tolist(), 9);
});

Deno.test("lax.iota rejects non-integer shapes with a ShapeError", () => {
  assert.throws(() => lax.iota("int32", [2, 1.5]), ShapeError);
  assert.throws(() => lax.iota("int32", [2], 3), ShapeError);
});

Deno.test("grad through nested jit calls (fuzz seed 392): jit(jit(f)) splits known and unknown parts", () => {
  // Was InternalError "linearize: a primal output depends on tangents": partialEvalJaxpr sent a
  // nested pjit with any unknown input wholly to the unknown side, primal outputs included.
  const x = jnp.array([-1.5, 1.125, -1.625, -2]);
  const f = (v0: A) => jnp.broadcast_to(v0, [2, 4]);
  const g = (x0: A) => jnp.sum(jax.jit(jax.jit(f))(x0));
  assert.deepEqual(jax.grad(g)(x).tolist(), [2, 2, 2, 2]);
  const c = jnp.array([0.5, 1, 2, 3]);
  const inner = jax.jit((y: A) => jnp.sin(y).mul(c));
  const nested = (y: A) => jnp.sum(jax.jit((z: A) => inner(z).mul(z))(y));
  const plain = (y: A) => jnp.sum(jnp.sin(y).mul(c).mul(y));
  const [a, b] = [jax.grad(nested)(x).tolist() as number[], jax.grad(plain)(x).tolist() as number[]];
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${a} vs ${b}`));
  const [ha, hb] = [jax.hessian(nested)(x).tolist() as number[][], jax.hessian(plain)(x).tolist() as number[][]];
  ha.flat().forEach((v, i) => assert.ok(Math.abs(v - hb.flat()[i]) < 1e-4, `hessian ${ha} vs ${hb}`));
});

Deno.test("grad of jit(f) with a scan, cond or fori_loop inside (fuzz seeds 528, 819, 941) equals grad of f", () => {
  // Was InternalError "linearize: a primal output depends on tangents": the jaxpr-level partial
  // evaluation sent a scan/cond with mixed known/unknown inputs wholly to the unknown side.
  const x = jnp.array([[-0.375, 2], [-1.125, -1.75]]);
  const fs: ((v: A) => A)[] = [
    (v) => (lax.scan((c: A, xk: A) => [c.add(xk), c.mul(xk)], jnp.zeros_like(v.get(0)), v) as [A, A])[1].sum(),
    (v) => (lax.scan((c: A, xk: A) => [c.mul(xk).add(jnp.sin(c)), c], jnp.ones_like(v.get(0)), v) as [A, A])[0].sum(),
    (v) => (lax.cond(jnp.sum(v).gt(0), (a: A) => jnp.sin(a), (a: A) => a.mul(a), v) as A).sum(),
    (v) => (lax.fori_loop(0, 3, (_i: A, c: A) => c.mul(c).mul(0.5), v) as A).sum(),
  ];
  for (const f of fs) {
    assert.deepEqual(jax.grad(jax.jit(f))(x).tolist(), jax.grad(f)(x).tolist());
    const t = jnp.ones_like(x);
    assert.deepEqual(jax.jvp(jax.grad(jax.jit(f)), [x], [t])[1].tolist(), jax.jvp(jax.grad(f), [x], [t])[1].tolist());
  }
});

Deno.test("eager host-computed primitives check their input types (lax.linalg_solve with a vector b was [nan, nan])", () => {
  const a = jnp.array([[2, 1], [1, 3]]);
  assert.throws(
    () => lax.linalg_solve(a, jnp.array([1, 2])),
    (e: Error) => e instanceof ShapeError && /\(2,\)/.test(e.message),
  );
  assert.throws(() => lax.linalg_cholesky(jnp.ones([2, 3])), ShapeError);
  assert.deepEqual(lax.linalg_solve(a, jnp.array([[1], [2]])).shape, [2, 1]);
});
