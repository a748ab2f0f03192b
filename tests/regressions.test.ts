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
