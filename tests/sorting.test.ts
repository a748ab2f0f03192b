/**
 * Sorting and order statistics (lax.sort, sort_key_val, top_k; jnp.sort,
 * argsort, take_along_axis, searchsorted, quantile, percentile, median and
 * the nan forms) against numpy's documented results, their gradients, and
 * the same values on webgpu (ignored without an adapter).
 */

import assert from "node:assert/strict";
import { jax, jnp, lax } from "../mod.ts";
import { AxisError, ShapeError, ValueError } from "../lib/errors.ts";
import { hasBackend } from "../lib/runtime.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type A = jnp.NDArray;
const list = (x: A) => x.tolist();

Deno.test("lax.sort: ascending, NaN last, -0 equal to 0 (stable), several operands and keys", () => {
  const s = lax.sort(jnp.array([3, 1, NaN, -0, 0, 2])) as A;
  const v = s.dataSync();
  assert.deepEqual(Array.from(v.slice(0, 5)), [-0, 0, 1, 2, 3]);
  assert.ok(Object.is(v[0], -0) && Object.is(v[1], 0), "equal keys keep their order");
  assert.ok(Number.isNaN(v[5]));
  const [k, vals] = lax.sort_key_val(jnp.array([3, 1, 2, 1]), jnp.array([0, 1, 2, 3], { dtype: "int32" }));
  assert.deepEqual([list(k), list(vals)], [[1, 1, 2, 3], [1, 3, 2, 0]]);
  // Two keys: the second breaks ties of the first.
  const [a, b, c] = lax.sort([jnp.array([1, 0, 1, 0]), jnp.array([5, 6, 4, 7]), jnp.arange(4)], { numKeys: 2 }) as A[];
  assert.deepEqual([list(a), list(b), list(c)], [[0, 0, 1, 1], [6, 7, 4, 5], [1, 3, 2, 0]]);
  assert.deepEqual(list(lax.sort(jnp.array([[3, 1], [0, 2]]), { dimension: 0 }) as A), [[0, 1], [3, 2]]);
  assert.throws(() => lax.sort([jnp.ones([2]), jnp.ones([3])]), ShapeError);
  assert.throws(() => lax.sort(jnp.ones([2]), { dimension: 1 }), AxisError);
});

Deno.test("lax.top_k: largest first, ties by index, NaN largest, integers", () => {
  const [v, i] = lax.top_k(jnp.array([[1, 5, 3, 5], [NaN, 0, 9, 9]]), 3);
  assert.deepEqual(list(i), [[1, 3, 2], [0, 2, 3]]);
  assert.deepEqual((list(v) as number[][])[0], [5, 5, 3]);
  const [iv, ii] = lax.top_k(jnp.array([-2147483648, 7, 2147483647, 7], { dtype: "int32" }), 2);
  assert.deepEqual([list(iv), list(ii)], [[2147483647, 7], [2, 1]]);
  assert.throws(() => lax.top_k(jnp.ones([3]), 4), ValueError);
});

Deno.test("jnp.sort / argsort / take_along_axis", () => {
  assert.deepEqual(list(jnp.sort(jnp.array([[3, 1], [0, 2]]), { axis: 0, descending: true })), [[3, 2], [0, 1]]);
  assert.deepEqual(list(jnp.sort(jnp.array([[3, 1], [0, 2]]), { axis: null })), [0, 1, 2, 3]);
  assert.deepEqual(list(jnp.argsort(jnp.array([3, 1, 2]))), [1, 2, 0]);
  // Descending keeps equal elements in their original order (JAX's stable descending argsort).
  assert.deepEqual(list(jnp.argsort(jnp.array([1, 3, 3, 2]), { descending: true })), [1, 2, 3, 0]);
  assert.equal(jnp.argsort(jnp.array([1, 2])).dtype, "int32");
  const x = jnp.array([[3, 1, 2], [0, 5, 4]]);
  assert.deepEqual(list(jnp.take_along_axis(x, jnp.argsort(x, { axis: 1 }), 1)), [[1, 2, 3], [0, 4, 5]]);
  assert.deepEqual(list(jnp.take_along_axis(x, jnp.array([[-1], [0]]), 1)), [[2], [0]]);
  assert.deepEqual(list(jnp.take_along_axis(x, jnp.array([[1, 0, 1]]), 0)), [[0, 1, 4]]);
  assert.throws(() => jnp.sort(jnp.array(1)), ShapeError);
  assert.throws(() => jnp.take_along_axis(x, jnp.array([1]), 1), ShapeError);
});

Deno.test("jnp.searchsorted: left and right, NaN sorts last", () => {
  const a = jnp.array([1, 2, 2, 3]);
  assert.deepEqual(list(jnp.searchsorted(a, jnp.array([2, 0, 5, NaN]))), [1, 0, 4, 4]);
  assert.deepEqual(list(jnp.searchsorted(a, jnp.array([2, 0, 5, NaN]), { side: "right" })), [3, 0, 4, 4]);
  assert.deepEqual(list(jnp.searchsorted(jnp.array([1, NaN]), jnp.array([NaN]))), [1]);
  assert.equal(jnp.searchsorted(a, 2, { side: "right" }).item(), 3);
  assert.throws(() => jnp.searchsorted(jnp.ones([2, 2]), 1), ShapeError);
});

Deno.test("jnp.quantile / percentile / median and the nan forms (numpy's methods)", () => {
  assert.equal(jnp.quantile(jnp.array([1, 2, 3, 4]), 0.25).item(), 1.75);
  assert.deepEqual(list(jnp.quantile(jnp.array([1, 2, 3, 4]), jnp.array([0, 1]))), [1, 4]);
  assert.deepEqual(list(jnp.quantile(jnp.array([[1, 2], [3, 4]]), 0.5, { axis: 0, keepdims: true })), [[2, 3]]);
  // q = 0.4 of 5 values: position 1.6 between 2 and 3.
  const m = { linear: 2.6, lower: 2, higher: 3, midpoint: 2.5, nearest: 3 };
  for (const [method, want] of Object.entries(m)) {
    const got = jnp.quantile(jnp.array([10, 2, 3, 1, 4]), 0.4, { method: method as "linear" }).item();
    assert.ok(Math.abs(got - want) < 1e-6, `${method}: ${got}`);
  }
  assert.equal(jnp.percentile(jnp.array([1, 2, 3, 4, 5]), 50).item(), 3);
  assert.equal(jnp.median(jnp.array([3, 1, 4, 2])).item(), 2.5);
  assert.deepEqual(list(jnp.median(jnp.array([[1, 5, 3], [4, 2, 6]]), { axis: 1 })), [3, 4]);
  assert.ok(Number.isNaN(jnp.median(jnp.array([3, NaN, 4])).item()));
  assert.equal(jnp.nanmedian(jnp.array([3, NaN, 1])).item(), 2);
  const nm = list(jnp.nanmedian(jnp.array([[NaN, NaN], [1, 2]]), { axis: 1 })) as number[];
  assert.ok(Number.isNaN(nm[0]) && nm[1] === 1.5);
  assert.equal(jnp.nanpercentile(jnp.array([1, NaN, 3]), 100).item(), 3);
  assert.equal(jnp.nanquantile(jnp.array([1, NaN, 3]), 0.5).item(), 2);
  assert.equal(jnp.median(jnp.array([1, 2, 3], { dtype: "int32" })).dtype, "float32");
  assert.throws(() => jnp.quantile(jnp.ones([3]), 0.5, { method: "cubic" as "linear" }), ValueError);
});

Deno.test("sort: gradients follow the permutation, under jit and vmap too", () => {
  const w = jnp.array([1, 2, 3]);
  const g = jax.grad((x: A) => jnp.sum((lax.sort(x) as A).mul(w)))(jnp.array([3, 1, 2]));
  assert.deepEqual(list(g), [3, 1, 2]);
  assert.deepEqual(list(jax.grad((x: A) => jnp.median(x))(jnp.array([3, 1, 4, 2]))), [0.5, 0, 0, 0.5]);
  const [, t] = jax.jvp((x: A) => jnp.sort(x), [jnp.array([2, 1])], [jnp.array([10, 20])]);
  assert.deepEqual(list(t), [20, 10]);
  assert.deepEqual(list(jax.vmap((x: A) => jnp.sort(x))(jnp.array([[3, 1, 2], [0, -1, 5]]))), [[1, 2, 3], [-1, 0, 5]]);
  assert.deepEqual(
    list(jax.vmap((x: A) => jnp.argsort(x), { inAxes: 1 })(jnp.array([[3, 0], [1, 2]]))),
    [[1, 0], [0, 1]],
  );
  assert.equal(jax.jit((x: A) => jnp.quantile(x, 0.9))(jnp.arange(11)).item(), 9);
  assert.match(
    String(jax.make_jaxpr((x: A) => jnp.sort(x))(jnp.ones([3]))),
    /sort\[dimension=0 is_stable=True num_keys=1\]/,
  );
});

Deno.test({
  name: "sorting on webgpu gives the cpu results",
  ignore: !hasBackend("webgpu"),
  fn() {
    const run = (platform: string) => {
      jax.config.update("jax_platforms", platform);
      try {
        const x = jnp.array(Array.from({ length: 1000 }, (_, i) => (i % 37 === 5 ? NaN : Math.sin(i * 0.37))));
        return [
          list(jnp.sort(x)),
          list(jnp.argsort(x, { descending: true })),
          list(jnp.quantile(x, jnp.array([0.1, 0.5, 0.9]))),
          list(jnp.searchsorted(jnp.sort(x), jnp.array([-0.5, 0, 0.5, NaN]))),
          list(jnp.nanquantile(x, jnp.array([0.1, 0.5, 0.9]))),
          list(lax.top_k(x, 5)[1]),
        ];
      } finally {
        jax.config.update("jax_platforms", "");
      }
    };
    assert.deepEqual(run("webgpu"), run("cpu"));
  },
});
