/**
 * Shapes: broadcasting edge cases, 0-d and empty arrays, and indexing
 * (ints, negative ints, slices with steps, "...", "newaxis", int arrays, bool
 * masks, at[].set/add with duplicates). The "shapes" section of
 * tests/fixtures/jnp_golden.json is checked against real JAX; the rest are
 * hand-written cases of jaxd's own index forms.
 */

import assert from "node:assert/strict";
import { jax, jnp } from "../mod.ts";
import { broadcastShapes } from "../lib/shape.ts";
import { golden, registerCases } from "./golden_harness.ts";

registerCases("shapes", golden.shapes, {}, { weak: true });
// Under jit too, except boolean-mask indexing (it needs concrete values, in JAX as here).
registerCases(
  "jit shapes",
  golden.shapes.filter((c) => !(c.fn.startsWith("x.") && JSON.stringify(c.args).includes('"bool"'))),
  {},
  { weak: true, jit: true },
);

const BROADCASTS: [number[][], number[]][] = [
  [[[3, 1], [4]], [3, 4]],
  [[[0], [1]], [0]],
  [[[1], [0]], [0]],
  [[[], [3]], [3]],
  [[[], []], []],
  [[[2, 0], [2, 1]], [2, 0]],
  [[[5, 1, 4], [3, 1]], [5, 3, 4]],
  [[[1, 1, 1], [2, 3]], [1, 2, 3]],
  [[[2, 1], [1, 3], [4, 1, 1]], [4, 2, 3]],
  [[[0, 1], [1, 0]], [0, 0]],
];
for (const [shapes, want] of BROADCASTS) {
  Deno.test(`shapes: broadcastShapes ${shapes.map((s) => `(${s})`).join(" ")} -> (${want})`, () => {
    assert.deepEqual(broadcastShapes("test", ...shapes), want);
  });
}

Deno.test("shapes: an empty result of broadcasting has no values", () => {
  const y = jnp.add(jnp.zeros([0]), jnp.ones([1]));
  assert.deepEqual(y.shape, [0]);
  assert.deepEqual(y.tolist(), []);
  assert.equal(y.dataSync().length, 0);
});

Deno.test("shapes: 0-d arrays: tolist gives a number, item works, shape is []", () => {
  const x = jnp.array(2.5);
  assert.deepEqual(x.shape, []);
  assert.equal(x.ndim, 0);
  assert.equal(x.size, 1);
  assert.equal(x.tolist(), 2.5);
  assert.equal(x.item(), 2.5);
  assert.equal(jnp.sum(jnp.ones([2, 3])).tolist(), 6);
});

Deno.test("shapes: empty 2-d tolist keeps the outer rows", () => {
  assert.deepEqual(jnp.zeros([2, 0]).tolist(), [[], []]);
  assert.deepEqual(jnp.zeros([0, 2]).tolist(), []);
});

Deno.test("shapes: reductions of empty arrays", () => {
  assert.deepEqual(jnp.sum(jnp.zeros([0, 3]), { axis: 0 }).tolist(), [0, 0, 0]);
  assert.equal(jnp.prod(jnp.zeros([0])).item(), 1);
  assert.ok(Number.isNaN(jnp.mean(jnp.zeros([0])).item()));
  assert.equal(jnp.any(jnp.zeros([0])).tolist(), false);
  assert.equal(jnp.all(jnp.zeros([0])).tolist(), true);
  assert.deepEqual(jnp.max(jnp.zeros([0, 3]), { axis: 1 }).shape, [0]);
});

Deno.test("shapes: size-0 concatenate keeps the other pieces", () => {
  const y = jnp.concatenate([jnp.zeros([0, 2]), jnp.ones([1, 2]), jnp.zeros([0, 2])]);
  assert.deepEqual(y.tolist(), [[1, 1]]);
});

const V = () => jnp.arange(6); // [0, 1, 2, 3, 4, 5], int32
const M = () => jnp.arange(12).reshape(3, 4);

Deno.test("index: get with ints and negative ints", () => {
  assert.equal(V().get(0).item(), 0);
  assert.equal(V().get(-1).item(), 5);
  assert.equal(M().get(-1, -1).item(), 11);
  assert.deepEqual(M().get(1).tolist(), [4, 5, 6, 7]);
});

Deno.test("index: slice strings and triples agree", () => {
  const cases: [string, [number | null, number | null, number | null]][] = [
    ["1:4", [1, 4, null]],
    ["::2", [null, null, 2]],
    ["::-1", [null, null, -1]],
    ["4:0:-2", [4, 0, -2]],
    ["-3:", [-3, null, null]],
  ];
  for (const [s, t] of cases) assert.deepEqual(V().slice(s).tolist(), V().slice(t).tolist(), s);
  assert.deepEqual(V().slice("4:0:-2").tolist(), [4, 2]);
});

Deno.test("index: several entries, as strings or as arguments", () => {
  assert.deepEqual(M().slice(":, 0").tolist(), [0, 4, 8]);
  assert.deepEqual(M().slice(null, 0).tolist(), [0, 4, 8]);
  assert.deepEqual(M().slice("::-1", "1::2").tolist(), [[9, 11], [5, 7], [1, 3]]);
  assert.deepEqual(M().slice("::-1, 1::2").tolist(), [[9, 11], [5, 7], [1, 3]]);
});

Deno.test("index: ellipsis and newaxis", () => {
  const x = jnp.zeros([2, 3, 4]);
  assert.deepEqual(x.slice("...", 0).shape, [2, 3]);
  assert.deepEqual(x.slice(0, "...").shape, [3, 4]);
  assert.deepEqual(x.slice("newaxis").shape, [1, 2, 3, 4]);
  assert.deepEqual(x.slice("...", "newaxis").shape, [2, 3, 4, 1]);
  assert.deepEqual(x.slice(jnp.newaxis, "...", jnp.newaxis).shape, [1, 2, 3, 4, 1]);
  assert.deepEqual(x.slice("None, 0").shape, [1, 3, 4]);
});

Deno.test("index: int arrays gather, with negative entries", () => {
  const idx = jnp.array([[0, -1], [2, 2]], { dtype: "int32" });
  assert.deepEqual(V().get(idx).tolist(), [[0, 5], [2, 2]]);
  assert.deepEqual(M().get(null, jnp.array([3, 0], { dtype: "int32" })).tolist(), [[3, 0], [7, 4], [11, 8]]);
});

Deno.test("index: bool masks select, in order", () => {
  const x = V();
  assert.deepEqual(x.get(x.gt(2)).tolist(), [3, 4, 5]);
  assert.deepEqual(x.get(x.mod(2).eq(0)).tolist(), [0, 2, 4]);
  const m = M();
  assert.deepEqual(m.get(m.gt(9)).tolist(), [10, 11]);
});

Deno.test("index: a 0-d int array is a dynamic index (works under jit)", () => {
  const f = jax.jit((x: jnp.NDArray, i: jnp.NDArray) => x.get(i));
  assert.equal(f(V(), jnp.array(4, { dtype: "int32" })).item(), 4);
  assert.equal(f(V(), jnp.array(-2, { dtype: "int32" })).item(), 4);
});

Deno.test("at: set and add with duplicate indices", () => {
  const idx = jnp.array([1, 1, 3], { dtype: "int32" });
  assert.deepEqual(jnp.zeros([5], { dtype: "int32" }).at(idx).add(1).tolist(), [0, 2, 0, 1, 0]);
  assert.deepEqual(jnp.zeros([5], { dtype: "int32" }).at(idx).set(7).tolist(), [0, 7, 0, 7, 0]);
  const vals = jnp.array([1, 10, 100], { dtype: "int32" });
  assert.deepEqual(jnp.zeros([5], { dtype: "int32" }).at(idx).add(vals).tolist(), [0, 11, 0, 100, 0]);
});

Deno.test("at: updates never change the original array", () => {
  const x = V();
  const y = x.at(0).set(100);
  assert.equal(y.get(0).item(), 100);
  assert.equal(x.get(0).item(), 0);
});

Deno.test("at: slices, masks and get", () => {
  const x = M();
  assert.deepEqual(x.at(":, 0").set(-1).get(null, 0).tolist(), [-1, -1, -1]);
  assert.deepEqual(x.at(x.gt(9)).set(0).get(2).tolist(), [8, 9, 0, 0]);
  assert.deepEqual(x.at("::2, ::-1").add(1).get(0).tolist(), [1, 2, 3, 4]);
  assert.deepEqual(x.at(1, "1:3").get().tolist(), [5, 6]);
});

Deno.test("shapes: typed arrays become 1-d arrays of their own dtype (numpy arrays' JS counterpart)", () => {
  const f = jnp.array(new Float32Array([1.5, -2, 3]));
  assert.deepEqual([f.shape, f.dtype, f.tolist()], [[3], "float32", [1.5, -2, 3]]);
  // float64 data takes the default float, as numpy float64 does in JAX without x64.
  const d = jnp.array(new Float64Array([0.1, 2]));
  assert.deepEqual([d.dtype, d.tolist()], ["float32", [Math.fround(0.1), 2]]);
  assert.equal(jnp.array(new Int32Array([1, -2])).dtype, "int32");
  assert.equal(jnp.array(new Uint8Array([1, 255])).dtype, "int32");
  assert.deepEqual(jnp.array(new Uint32Array([4294967295])).tolist(), [4294967295]);
  assert.deepEqual(jnp.asarray(new Int16Array([7]), { dtype: "float32" }).tolist(), [7]);
  // A copy: changing the typed array afterwards does not change the array.
  const src = new Float32Array([1, 2]);
  const a = jnp.array(src);
  src[0] = 9;
  assert.deepEqual(a.tolist(), [1, 2]);
  assert.deepEqual(jnp.array(new Float32Array(0)).shape, [0]);
  assert.throws(() => jnp.array(new BigInt64Array(2) as never), /cannot convert BigInt64Array/);
});

Deno.test("iteration walks the leading axis, traced too; a 0-d array raises TypeError", () => {
  const [a, b] = jnp.array([[1, 2], [3, 4]]);
  assert.deepEqual([a.tolist(), b.tolist()], [[1, 2], [3, 4]]);
  assert.deepEqual([...jnp.arange(3)].map((x) => x.item()), [0, 1, 2]);
  const sumRows = jax.jit((m: jnp.NDArray) => [...m].reduce((s, row) => s.add(row)));
  assert.deepEqual(sumRows(jnp.array([[1, 2], [3, 4], [5, 6]])).tolist(), [9, 12]);
  assert.throws(() => [...jnp.array(1)], TypeError);
});
