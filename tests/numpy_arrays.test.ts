/**
 * jnp's array construction and manipulation (lib/numpy/arrays.ts and
 * arrays2.ts): values against NumPy 2.4 (computed with numpy and pasted as
 * literals), the errors, gradients (jax.grad and finite differences), jit
 * and vmap, and the same values on webgpu (ignored without an adapter).
 */

import assert from "node:assert/strict";
import { jax, jnp } from "../mod.ts";
import { AxisError, ConcretizationError, ShapeError, ValueError } from "../lib/errors.ts";
import { hasBackend } from "../lib/runtime.ts";
import { arr, check_grads } from "./check_grads.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type A = jnp.NDArray;
const list = (x: A) => x.tolist();
const lists = (xs: A[]) => xs.map((x) => x.tolist());
const f32 = (v: number[]) => jnp.array(v);

/** Asserts `x`'s values are within a relative `rtol` of `want` (NaN matching NaN). */
function assertNear(x: A, want: number[], rtol = 1e-6) {
  const got = Array.from(x.dataSync() as ArrayLike<number>);
  assert.equal(got.length, want.length, `length: got ${got}`);
  got.forEach((g, i) => {
    const w = want[i];
    if (Number.isNaN(w)) assert.ok(Number.isNaN(g), `[${i}]: got ${g}, want NaN`);
    else assert.ok(Math.abs(g - w) <= rtol * Math.max(1, Math.abs(w)), `[${i}]: got ${g}, want ${w}`);
  });
}

/** check_grads in float64 (it turns x64 on), turned off again afterwards. */
function checkGrads(f: (x: A) => A, x: number[], shape: number[]) {
  try {
    check_grads(f, [arr(x, shape)], 1);
  } finally {
    jax.config.update("jax_enable_x64", false);
  }
}

const x25 = jnp.arange(10).reshape([2, 5]);
const q = f32([1, 2, 3, 4, 5, 6]).reshape([2, 3]);

Deno.test("roll: flat, per axis, several axes, shifts past the length, traced shift", () => {
  assert.deepEqual(list(jnp.roll(x25, 2)), [[8, 9, 0, 1, 2], [3, 4, 5, 6, 7]]);
  assert.deepEqual(list(jnp.roll(x25, -1, { axis: 1 })), [[1, 2, 3, 4, 0], [6, 7, 8, 9, 5]]);
  assert.deepEqual(list(jnp.roll(x25, [1, 2], { axis: [0, 1] })), [[8, 9, 5, 6, 7], [3, 4, 0, 1, 2]]);
  assert.deepEqual(list(jnp.roll(x25, 7, { axis: 1 })), [[3, 4, 0, 1, 2], [8, 9, 5, 6, 7]]);
  assert.deepEqual(list(jnp.roll(x25, [1, 2], { axis: 1 })), [[2, 3, 4, 0, 1], [7, 8, 9, 5, 6]]);
  assert.equal(jnp.roll(x25, 1).dtype, "int32");
  const rolled = jax.jit((x: A, s: A) => jnp.roll(x, s, { axis: 1 }));
  assert.deepEqual(list(rolled(x25, jnp.array(7, { dtype: "int32" }))), [[3, 4, 0, 1, 2], [8, 9, 5, 6, 7]]);
  assert.deepEqual(list(rolled(x25, jnp.array(-1, { dtype: "int32" }))), [[1, 2, 3, 4, 0], [6, 7, 8, 9, 5]]);
  assert.throws(() => jnp.roll(x25, [1, 2, 3], { axis: [0, 1] }), ValueError);
  assert.throws(() => jnp.roll(x25, 1, { axis: 2 }), AxisError);
  assert.throws(() => jnp.roll(x25, 1.5), ValueError);
});

Deno.test("diff and ediff1d: orders, axes, prepend/append, booleans", () => {
  const d = f32([1, 4, 9, 16, 25]);
  assert.deepEqual(list(jnp.diff(d)), [3, 5, 7, 9]);
  assert.deepEqual(list(jnp.diff(d, { n: 3 })), [0, 0]);
  assert.deepEqual(list(jnp.diff(d, { prepend: [0, 0], append: 30 })), [0, 1, 3, 5, 7, 9, 5]);
  assert.deepEqual(list(jnp.diff(d, { n: 9 })), []);
  assert.deepEqual(list(jnp.diff(d, { n: 0 })), [1, 4, 9, 16, 25]);
  const m = f32([1, 5, 2, 7, 3, 8]).reshape([2, 3]);
  assert.deepEqual(list(jnp.diff(m, { axis: 0 })), [[6, -2, 6]]);
  assert.deepEqual(list(jnp.diff(m, { prepend: -1 })), [[2, 4, -3], [8, -4, 5]]);
  assert.deepEqual(list(jnp.diff(jnp.array([true, true, false, true]))), [false, true, true]);
  assert.equal(jnp.diff(jnp.arange(4)).dtype, "int32");
  assert.deepEqual(list(jnp.ediff1d(m, { to_begin: [7, 8], to_end: 0.5 })), [7, 8, 4, -3, 5, -4, 5, 0.5]);
  assert.deepEqual(list(jnp.ediff1d(f32([3]))), []);
  assert.throws(() => jnp.diff(jnp.array(1)), ShapeError);
  assert.throws(() => jnp.diff(d, { n: -1 }), ValueError);
  assert.throws(() => jnp.diff(d, { axis: 1 }), AxisError);
});

Deno.test("pad: widths as numpy broadcasts them, the five modes, pads longer than the axis", () => {
  const w: number[][] = [[1, 2], [2, 3]];
  assert.deepEqual(list(jnp.pad(q, w, { mode: "edge" })), [
    [1, 1, 1, 2, 3, 3, 3, 3],
    [1, 1, 1, 2, 3, 3, 3, 3],
    [4, 4, 4, 5, 6, 6, 6, 6],
    [4, 4, 4, 5, 6, 6, 6, 6],
    [4, 4, 4, 5, 6, 6, 6, 6],
  ]);
  assert.deepEqual(list(jnp.pad(q, w, { mode: "wrap" })), [
    [5, 6, 4, 5, 6, 4, 5, 6],
    [2, 3, 1, 2, 3, 1, 2, 3],
    [5, 6, 4, 5, 6, 4, 5, 6],
    [2, 3, 1, 2, 3, 1, 2, 3],
    [5, 6, 4, 5, 6, 4, 5, 6],
  ]);
  assert.deepEqual(list(jnp.pad(q, w, { mode: "reflect" })), [
    [6, 5, 4, 5, 6, 5, 4, 5],
    [3, 2, 1, 2, 3, 2, 1, 2],
    [6, 5, 4, 5, 6, 5, 4, 5],
    [3, 2, 1, 2, 3, 2, 1, 2],
    [6, 5, 4, 5, 6, 5, 4, 5],
  ]);
  assert.deepEqual(list(jnp.pad(q, w, { mode: "symmetric" })), [
    [2, 1, 1, 2, 3, 3, 2, 1],
    [2, 1, 1, 2, 3, 3, 2, 1],
    [5, 4, 4, 5, 6, 6, 5, 4],
    [5, 4, 4, 5, 6, 6, 5, 4],
    [2, 1, 1, 2, 3, 3, 2, 1],
  ]);
  assert.deepEqual(list(jnp.pad(q, [[1, 0], [2, 1]], { constant_values: [[-1, -2], [-3, -4]] })), [
    [-3, -3, -1, -1, -1, -4],
    [-3, -3, 1, 2, 3, -4],
    [-3, -3, 4, 5, 6, -4],
  ]);
  assert.deepEqual(list(jnp.pad(q, 1, { constant_values: [7, 8] })), [
    [7, 7, 7, 7, 8],
    [7, 1, 2, 3, 8],
    [7, 4, 5, 6, 8],
    [7, 8, 8, 8, 8],
  ]);
  assert.deepEqual(jnp.pad(q, [[1]]).shape, [4, 5]);
  const v = f32([1, 2, 3]);
  assert.deepEqual(list(jnp.pad(v, [5, 7], { mode: "reflect" })), [2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2]);
  assert.deepEqual(list(jnp.pad(v, [7, 5], { mode: "symmetric" })), [1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1, 2]);
  assert.deepEqual(list(jnp.pad(v, [4, 8], { mode: "wrap" })), [3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]);
  assert.deepEqual(list(jnp.pad(f32([7]), 3, { mode: "reflect" })), [7, 7, 7, 7, 7, 7, 7]);
  assert.equal(jnp.pad(jnp.arange(3), 1).dtype, "int32");
  assert.throws(() => jnp.pad(q, [[1, 2], [3, 4], [5, 6]]), ValueError);
  assert.throws(() => jnp.pad(q, -1), ValueError);
  assert.throws(() => jnp.pad(q, 1, { mode: "mean" as "edge" }), ValueError);
  assert.throws(() => jnp.pad(jnp.zeros([0]), 1, { mode: "edge" }), ValueError);
});

Deno.test("meshgrid, column_stack, dstack, row_stack", () => {
  const [a, b, c] = [f32([1, 2, 3]), f32([10, 20]), f32([100, 200, 300, 400])];
  const xy = jnp.meshgrid([a, b, c]);
  assert.deepEqual(xy.map((g) => g.shape), [[2, 3, 4], [2, 3, 4], [2, 3, 4]]);
  assert.deepEqual(list(xy[0].get(1)), [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
  assert.deepEqual(list(xy[1].get(1)), [[20, 20, 20, 20], [20, 20, 20, 20], [20, 20, 20, 20]]);
  assert.deepEqual(list(xy[2].get(0, 2)), [100, 200, 300, 400]);
  const ij = jnp.meshgrid([a, b, c], { indexing: "ij" });
  assert.deepEqual(ij.map((g) => g.shape), [[3, 2, 4], [3, 2, 4], [3, 2, 4]]);
  assert.deepEqual(list(ij[1].get(2)), [[10, 10, 10, 10], [20, 20, 20, 20]]);
  assert.deepEqual(jnp.meshgrid([a, b, c], { sparse: true }).map((g) => g.shape), [[1, 3, 1], [2, 1, 1], [1, 1, 4]]);
  assert.deepEqual(lists(jnp.meshgrid([a])), [[1, 2, 3]]);
  assert.throws(() => jnp.meshgrid([q]), ShapeError);
  assert.throws(() => jnp.meshgrid([a], { indexing: "xx" as "xy" }), ValueError);
  const cols = jnp.column_stack([a, f32([4, 5, 6, 7, 8, 9]).reshape([3, 2])]);
  assert.deepEqual(list(cols), [[1, 4, 5], [2, 6, 7], [3, 8, 9]]);
  assert.deepEqual(list(jnp.dstack([q, q.mul(10)])), [[[1, 10], [2, 20], [3, 30]], [[4, 40], [5, 50], [6, 60]]]);
  assert.deepEqual(jnp.dstack([a, a]).shape, [1, 3, 2]);
  assert.deepEqual(list(jnp.row_stack([a, a])), [[1, 2, 3], [1, 2, 3]]);
});

Deno.test("array_split, hsplit, vsplit", () => {
  const s = jnp.arange(14).reshape([2, 7]);
  const thirds = [[[0, 1, 2], [7, 8, 9]], [[3, 4], [10, 11]], [[5, 6], [12, 13]]];
  assert.deepEqual(lists(jnp.array_split(s, 3, { axis: 1 })), thirds);
  assert.deepEqual(lists(jnp.array_split(jnp.arange(8), [2, 5, 20])), [[0, 1], [2, 3, 4], [5, 6, 7], []]);
  assert.deepEqual(lists(jnp.array_split(jnp.arange(3), 5)), [[0], [1], [2], [], []]);
  const h = jnp.arange(16).reshape([4, 4]);
  assert.deepEqual(lists(jnp.hsplit(h, [1, 3])), [
    [[0], [4], [8], [12]],
    [[1, 2], [5, 6], [9, 10], [13, 14]],
    [[3], [7], [11], [15]],
  ]);
  assert.deepEqual(lists(jnp.vsplit(h, 2)), [[[0, 1, 2, 3], [4, 5, 6, 7]], [[8, 9, 10, 11], [12, 13, 14, 15]]]);
  assert.deepEqual(lists(jnp.hsplit(jnp.arange(4), 2)), [[0, 1], [2, 3]]);
  assert.throws(() => jnp.array_split(s, 0), ValueError);
  assert.throws(() => jnp.hsplit(h, 3), ShapeError);
  assert.throws(() => jnp.hsplit(jnp.array(1), 1), ShapeError);
  assert.throws(() => jnp.vsplit(jnp.arange(4), 2), ShapeError);
});

Deno.test("tri, tril, triu (batched), diag, diagflat, diagonal, trace", () => {
  assert.deepEqual(list(jnp.tri(3, 4, 1)), [[1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]);
  assert.deepEqual(list(jnp.tri(4, null, -2)), [[0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [1, 1, 0, 0]]);
  assert.equal(jnp.tri(2).dtype, "float32");
  assert.equal(jnp.tri(2, 2, 0, { dtype: "bool" }).dtype, "bool");
  const t = jnp.arange(24).reshape([2, 3, 4]).add(1);
  const lower = [[[0, 0, 0, 0], [5, 0, 0, 0], [9, 10, 0, 0]], [[0, 0, 0, 0], [17, 0, 0, 0], [21, 22, 0, 0]]];
  assert.deepEqual(list(jnp.tril(t, -1)), lower);
  const upper = [[[0, 0, 3, 4], [0, 0, 0, 8], [0, 0, 0, 0]], [[0, 0, 15, 16], [0, 0, 0, 20], [0, 0, 0, 0]]];
  assert.deepEqual(list(jnp.triu(t, 2)), upper);
  const t0 = t.get(0);
  assert.deepEqual(list(jnp.tril(t0, 1)), [[1, 2, 0, 0], [5, 6, 7, 0], [9, 10, 11, 12]]);
  assert.deepEqual(list(jnp.triu(t0, -1)), [[1, 2, 3, 4], [5, 6, 7, 8], [0, 10, 11, 12]]);
  assert.deepEqual(list(jnp.diag(f32([1, 2, 3]), -1)), [[0, 0, 0, 0], [1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0]]);
  assert.deepEqual(list(jnp.diag(t0, 1)), [2, 7, 12]);
  assert.deepEqual(list(jnp.diag(t0, -2)), [9]);
  assert.deepEqual(list(jnp.diag(t0, 9)), []);
  assert.deepEqual(list(jnp.diagflat(f32([1, 2, 3, 4]).reshape([2, 2]), 1)), [
    [0, 1, 0, 0, 0],
    [0, 0, 2, 0, 0],
    [0, 0, 0, 3, 0],
    [0, 0, 0, 0, 4],
    [0, 0, 0, 0, 0],
  ]);
  assert.deepEqual(list(jnp.diagonal(t, { offset: 1, axis1: 1, axis2: 2 })), [[2, 7, 12], [14, 19, 24]]);
  assert.deepEqual(list(jnp.diagonal(t, { offset: -1, axis1: 2, axis2: 0 })), [[2, 15], [6, 19], [10, 23]]);
  assert.deepEqual(list(jnp.trace(t, { offset: 1, axis1: 1, axis2: 2 })), [21, 57]);
  assert.equal(jnp.trace(t0).item(), 18);
  assert.equal(jnp.trace(jnp.arange(9).reshape([3, 3])).dtype, "int32");
  assert.throws(() => jnp.tril(f32([1, 2])), ShapeError);
  assert.throws(() => jnp.tri(-1), ShapeError);
  assert.throws(() => jnp.diag(t), ShapeError);
  assert.throws(() => jnp.diagonal(f32([1, 2])), ShapeError);
  assert.throws(() => jnp.diagonal(t, { axis1: 1, axis2: -2 }), AxisError);
});

Deno.test("kron, cross, append, rot90, vander", () => {
  const k = jnp.kron(f32([1, 2, 3, 4]).reshape([2, 2]), f32([0, 1, 2, 1, 0, 1]).reshape([2, 3]));
  assert.deepEqual(list(k), [[0, 1, 2, 0, 2, 4], [1, 0, 1, 2, 0, 2], [0, 3, 6, 0, 4, 8], [3, 0, 3, 4, 0, 4]]);
  assert.deepEqual(list(jnp.kron(f32([1, 2]), f32([1, 10]).reshape([2, 1]))), [[1, 2], [10, 20]]);
  const u = f32([1, 2, 3, 4, 5, 6]).reshape([2, 3]), v = f32([7, 8, 9, 1, 0, -1]).reshape([2, 3]);
  assert.deepEqual(list(jnp.cross(u, v)), [[-6, 12, -6], [-5, 10, -5]]);
  assert.deepEqual(list(jnp.cross(u.T, v.T, { axis: 0 })), [[-6, -5], [12, 10], [-6, -5]]);
  assert.deepEqual(list(jnp.cross(u, v, { axisc: 0 })), [[-6, -5], [12, 10], [-6, -5]]);
  assert.deepEqual(list(jnp.cross(f32([1, 2]), f32([3, 4, 5]))), [10, -5, -2]);
  assert.deepEqual(list(jnp.cross(f32([1, 2, 3, 4]).reshape([2, 2]), f32([5, 6, 7, 8]).reshape([2, 2]))), [-4, -4]);
  assert.throws(() => jnp.cross(f32([1, 2, 3, 4]), f32([1, 2, 3])), ShapeError);
  assert.deepEqual(list(jnp.append(q, f32([9, 10]).reshape([2, 1]), { axis: 1 })), [[1, 2, 3, 9], [4, 5, 6, 10]]);
  assert.deepEqual(list(jnp.append(q, 7)), [1, 2, 3, 4, 5, 6, 7]);
  assert.throws(() => jnp.append(q, f32([1, 2]), { axis: 0 }));
  const r = jnp.arange(6).reshape([2, 3]);
  assert.deepEqual(list(jnp.rot90(r)), [[2, 5], [1, 4], [0, 3]]);
  assert.deepEqual(list(jnp.rot90(r, 2)), [[5, 4, 3], [2, 1, 0]]);
  assert.deepEqual(list(jnp.rot90(r, 3)), [[3, 0], [4, 1], [5, 2]]);
  assert.deepEqual(list(jnp.rot90(r, -1)), [[3, 0], [4, 1], [5, 2]]);
  assert.deepEqual(list(jnp.rot90(r, 4)), list(r));
  const r3 = jnp.arange(8).reshape([2, 2, 2]);
  assert.deepEqual(list(jnp.rot90(r3, 1, { axes: [1, 2] })), [[[1, 3], [0, 2]], [[5, 7], [4, 6]]]);
  assert.deepEqual(list(jnp.rot90(r, 1, { axes: [1, 0] })), [[3, 0], [4, 1], [5, 2]]);
  assert.throws(() => jnp.rot90(r, 1, { axes: [0, 0] }), AxisError);
  assert.throws(() => jnp.rot90(f32([1, 2])), ShapeError);
  const x = f32([-2, 0, 3]);
  assert.deepEqual(list(jnp.vander(x, { N: 4 })), [[-8, 4, -2, 1], [0, 0, 0, 1], [27, 9, 3, 1]]);
  assert.deepEqual(list(jnp.vander(x, { N: 4, increasing: true })), [[1, -2, 4, -8], [1, 0, 0, 0], [1, 3, 9, 27]]);
  assert.deepEqual(jnp.vander(x, { N: 0 }).shape, [3, 0]);
  assert.throws(() => jnp.vander(q), ShapeError);
});

Deno.test("geomspace and logspace", () => {
  assertNear(jnp.geomspace(1, 256, 9), [1, 2, 4, 8, 16, 32, 64, 128, 256]);
  assertNear(jnp.geomspace(1000, 1, 4), [1000, 100, 10, 1]);
  assertNear(jnp.geomspace(2, 32, 4, { endpoint: false }), [2, 4, 8, 16]);
  assertNear(jnp.geomspace(-3, -300, 3), [-3, -30, -300]);
  assert.deepEqual(jnp.geomspace(1, 2, 0).shape, [0]);
  assertNear(jnp.logspace(2, 3, 4), [100.0, 215.44346900318845, 464.15888336127773, 1000.0]);
  assertNear(jnp.logspace(0, 4, 5, { base: 2 }), [1, 2, 4, 8, 16]);
  assertNear(jnp.logspace(1, 2, 4, { endpoint: false }), [
    10.0,
    17.78279410038923,
    31.622776601683793,
    56.23413251903491,
  ]);
  assert.equal(jnp.logspace(0, 1, 2).dtype, "float32");
  assert.throws(() => jnp.geomspace(0, 1), ValueError);
  assert.throws(() => jnp.geomspace(-1, 1), ValueError);
  assert.throws(() => jnp.logspace(0, 1, -1), ValueError);
});

Deno.test("indices, tril_indices, triu_indices, diag_indices, unravel_index, ravel_multi_index", () => {
  const g = jnp.indices([2, 2, 3]);
  assert.equal(g.dtype, "int32");
  assert.deepEqual(list(g), [
    [[[0, 0, 0], [0, 0, 0]], [[1, 1, 1], [1, 1, 1]]],
    [[[0, 0, 0], [1, 1, 1]], [[0, 0, 0], [1, 1, 1]]],
    [[[0, 1, 2], [0, 1, 2]], [[0, 1, 2], [0, 1, 2]]],
  ]);
  assert.deepEqual(lists(jnp.indices([2, 3], { sparse: true })), [[[0], [1]], [[0, 1, 2]]]);
  assert.deepEqual(jnp.indices([]).shape, [0]);
  assert.deepEqual(lists(jnp.tril_indices(4, -1, 5)), [[1, 2, 2, 3, 3, 3], [0, 0, 1, 0, 1, 2]]);
  assert.deepEqual(lists(jnp.triu_indices(3, 0, 4)), [[0, 0, 0, 0, 1, 1, 1, 2, 2], [0, 1, 2, 3, 1, 2, 3, 2, 3]]);
  assert.deepEqual(lists(jnp.diag_indices(2, 3)), [[0, 1], [0, 1], [0, 1]]);
  const ui = jnp.unravel_index(jnp.array([[0, 7], [11, 23]], { dtype: "int32" }), [2, 3, 4]);
  assert.deepEqual(lists(ui), [[[0, 0], [0, 1]], [[0, 1], [2, 2]], [[0, 3], [3, 3]]]);
  assert.equal(ui[0].dtype, "int32");
  // As JAX: negative indices from the end, out-of-bounds clipped.
  assert.deepEqual(lists(jnp.unravel_index(f32([-1, 99, -99]), [2, 3])), [[1, 1, 0], [2, 2, 0]]);
  const mi = [f32([1, 0, 1]), f32([2, 1, 0]), f32([3, 0, 1])];
  assert.deepEqual(list(jnp.ravel_multi_index(mi, [2, 3, 4])), [23, 4, 13]);
  assert.deepEqual(list(jnp.ravel_multi_index(mi, [2, 3, 4], { order: "F" })), [23, 2, 7]);
  const oob = [f32([3, -1]), f32([5, -2])];
  assert.deepEqual(list(jnp.ravel_multi_index(oob, [2, 3], { mode: "wrap" })), [5, 4]);
  assert.deepEqual(list(jnp.ravel_multi_index(oob, [2, 3], { mode: "clip" })), [5, 0]);
  assert.throws(() => jnp.ravel_multi_index(oob, [2, 3]), ValueError);
  assert.throws(() => jnp.ravel_multi_index([f32([1])], [2, 3]), ValueError);
  assert.throws(() => jax.jit((i: A) => jnp.ravel_multi_index([i, i], [4, 4]))(f32([1])), ConcretizationError);
  const clipped = jax.jit((i: A) => jnp.ravel_multi_index([i, i], [4, 4], { mode: "clip" }));
  assert.deepEqual(list(clipped(f32([1, 5]))), [5, 15]);
  assert.throws(() => jnp.unravel_index(f32([0]), [0, 2]), ValueError);
  assert.throws(() => jnp.tril_indices(-1), ShapeError);
});

Deno.test("nonzero, flatnonzero, argwhere: concrete, with size and fill_value, errors", () => {
  const nz = f32([0, 3, 0, 4, 0, 5, 0, 0, 6]).reshape([3, 3]);
  assert.deepEqual(lists(jnp.nonzero(nz)), [[0, 1, 1, 2], [1, 0, 2, 2]]);
  assert.equal(jnp.nonzero(nz)[0].dtype, "int32");
  assert.deepEqual(list(jnp.argwhere(nz)), [[0, 1], [1, 0], [1, 2], [2, 2]]);
  assert.deepEqual(list(jnp.flatnonzero(nz)), [1, 3, 5, 8]);
  assert.deepEqual(jnp.argwhere(jnp.array(5)).shape, [1, 0]);
  assert.deepEqual(jnp.argwhere(jnp.array(0)).shape, [0, 0]);
  assert.deepEqual(lists(jnp.nonzero(nz, { size: 6 })), [[0, 1, 1, 2, 0, 0], [1, 0, 2, 2, 0, 0]]);
  assert.deepEqual(lists(jnp.nonzero(nz, { size: 2 })), [[0, 1], [1, 0]]);
  assert.deepEqual(lists(jnp.nonzero(nz, { size: 5, fill_value: [-1, -2] })), [[0, 1, 1, 2, -1], [1, 0, 2, 2, -2]]);
  assert.deepEqual(list(jnp.argwhere(nz, { size: 5, fill_value: 9 })), [[0, 1], [1, 0], [1, 2], [2, 2], [9, 9]]);
  assert.deepEqual(list(jnp.flatnonzero(jnp.array([true, false, true]))), [0, 2]);
  assert.deepEqual(lists(jnp.nonzero(jnp.zeros([2, 0]), { size: 2 })), [[0, 0], [0, 0]]);
  assert.deepEqual(lists(jnp.nonzero(jnp.zeros([3]))), [[]]);
  assert.throws(() => jnp.nonzero(jnp.array(1)), ShapeError);
  assert.throws(() => jnp.nonzero(nz, { size: -1 }), ValueError);
  assert.throws(() => jnp.nonzero(nz, { size: 3, fill_value: [1, 2, 3] }), ValueError);
  assert.throws(
    () => jax.jit((x: A) => jnp.nonzero(x)[0])(nz),
    (e: Error) => e instanceof ConcretizationError && /pass \{ size \}/.test(e.message),
  );
});

Deno.test("unique: values, index, inverse, counts, NaNs, size and fill_value", () => {
  const w = f32([3, 1, 2, 3, NaN, 1, NaN, 7, 2]).reshape([3, 3]);
  const [values, index, inverse, counts] = jnp.unique(w, {
    return_index: true,
    return_inverse: true,
    return_counts: true,
  });
  assertNear(values, [1, 2, 3, 7, NaN]);
  assert.deepEqual(list(index), [1, 2, 0, 7, 4]);
  assert.deepEqual(list(inverse), [[2, 0, 1], [2, 4, 0], [4, 3, 1]]);
  assert.deepEqual(list(counts), [2, 2, 2, 1, 2]);
  assert.equal(index.dtype, "int32");
  const ints = jnp.array([5, 2, 5, 5, -1, 2], { dtype: "int32" });
  const got = jnp.unique(ints, { return_index: true, return_inverse: true, return_counts: true });
  assert.deepEqual(lists(got), [[-1, 2, 5], [4, 1, 0], [2, 1, 2, 2, 0, 1], [1, 2, 3]]);
  assert.equal(got[0].dtype, "int32");
  assertNear(jnp.unique(f32([NaN, 1, NaN]), { equal_nan: false }), [1, NaN, NaN]);
  // With size: the smallest values first, padded with the smallest (as JAX) or fill_value; counts with 0.
  assert.deepEqual(list(jnp.unique(ints, { size: 5 })), [-1, 2, 5, -1, -1]);
  assert.deepEqual(list(jnp.unique(ints, { size: 2 })), [-1, 2]);
  const sized = jnp.unique(ints, { size: 4, fill_value: 0, return_index: true, return_counts: true });
  assert.deepEqual(lists(sized), [[-1, 2, 5, 0], [4, 1, 0, 4], [1, 2, 3, 0]]);
  assert.deepEqual(lists(jnp.unique(jnp.zeros([0]), { return_counts: true })), [[], []]);
  assert.deepEqual(list(jnp.unique(jnp.zeros([0]), { size: 2, fill_value: 3 })), [3, 3]);
  assert.throws(
    () => jax.jit((x: A) => jnp.unique(x))(ints),
    (e: Error) => e instanceof ConcretizationError && /pass \{ size \}/.test(e.message),
  );
  assert.throws(() => jnp.unique(ints, { size: 1.5 }), ValueError);
});

Deno.test("gradients: jax.grad values and finite differences (float64)", () => {
  const x = f32([1, 2, 3, 4]);
  const wts = f32([1, 10, 100, 1000]);
  assert.deepEqual(list(jax.grad((v: A) => jnp.sum(jnp.roll(v, 1).mul(wts)))(x)), [10, 100, 1000, 1]);
  assert.deepEqual(list(jax.grad((v: A) => jnp.sum(jnp.diff(v).mul(wts.get("1:"))))(x)), [-10, -90, -900, 1000]);
  // reflect mode reads x[1] twice more (before and after), x[2] once more.
  assert.deepEqual(list(jax.grad((v: A) => jnp.sum(jnp.pad(v, 2, { mode: "reflect" })))(x)), [1, 3, 3, 1]);
  const m = f32([1, 2, 3, 4, 5, 6, 7, 8, 9]).reshape([3, 3]);
  assert.deepEqual(list(jax.grad((a: A) => jnp.trace(a, { offset: 1 }))(m)), [[0, 1, 0], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(list(jax.grad((a: A) => jnp.sum(jnp.tril(a)))(m)), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  // d/dx sum(vander(x, 3)) = 2x + 1, exact at 0 and for negative x.
  assert.deepEqual(list(jax.grad((v: A) => jnp.sum(jnp.vander(v, { N: 3 })))(f32([-2, 0, 3]))), [-3, 1, 7]);
  // unique's values carry the gradient of the first occurrence's sorted position.
  const firstTwo = (v: A) => jnp.sum(jnp.unique(v, { size: 2 }).mul(f32([1, 10])));
  assert.deepEqual(list(jax.grad(firstTwo)(f32([5, 2, 5]))), [10, 1, 0]);
  checkGrads((v) => jnp.pad(v, [[1, 2], [2, 1]], { mode: "symmetric" }), [0.3, -1.2, 2.5, 0.7, 1.1, -0.4], [2, 3]);
  checkGrads((v) => jnp.cross(v, jnp.flip(v, 1)), [0.3, -1.2, 2.5, 0.7, 1.1, -0.4], [2, 3]);
  checkGrads((v) => jnp.kron(v, v), [0.3, -1.2, 2.5, 0.7], [2, 2]);
  checkGrads((v) => jnp.diag(jnp.diagonal(v, { offset: -1 }), 1), [0.3, -1.2, 2.5, 0.7, 1.1, -0.4], [3, 2]);
  checkGrads((v) => jnp.rot90(jnp.roll(v, 1, { axis: 0 }), 3), [0.3, -1.2, 2.5, 0.7, 1.1, -0.4], [3, 2]);
  checkGrads((v) => jnp.vander(v, { N: 4 }), [0.3, -1.2, 2.5], [3]);
});

Deno.test("jit and vmap: the same values as eager", () => {
  const f = (v: A) => {
    const [i] = jnp.nonzero(v, { size: 3, fill_value: -1 });
    const u = jnp.unique(v, { size: 3, fill_value: -9 });
    return [i, u, jnp.pad(jnp.roll(v, 1), 1, { mode: "wrap" }), jnp.diff(v, { prepend: 0 })];
  };
  const v = f32([0, 2, 0, 2, 5]);
  const eager = lists(f(v));
  assert.deepEqual(eager, [[1, 3, 4], [0, 2, 5], [2, 5, 0, 2, 0, 2, 5], [0, 2, -2, 2, 3]]);
  assert.deepEqual(lists(jax.jit(f)(v)), eager);
  const batch = f32([0, 2, 0, 2, 5, 1, 1, 0, 0, 0]).reshape([2, 5]);
  const mapped = jax.vmap(f)(batch);
  assert.deepEqual(lists(mapped), [
    [[1, 3, 4], [0, 1, -1]],
    [[0, 2, 5], [0, 1, -9]],
    [[2, 5, 0, 2, 0, 2, 5], [0, 0, 1, 1, 0, 0, 0]],
    [[0, 2, -2, 2, 3], [1, 0, -1, 0, 0]],
  ]);
  const g = (
    a: A,
  ) => [jnp.diagonal(jnp.outer(a, a), { offset: 1 }), jnp.cross(a, jnp.ones([3])), jnp.triu(jnp.outer(a, a))];
  const as = f32([1, 2, 3, 4, 5, 6]).reshape([2, 3]);
  const loop = [0, 1].map((i) => lists(g(as.get(i))));
  assert.deepEqual(lists(jax.vmap(g)(as)), [0, 1, 2].map((k) => loop.map((l) => l[k])));
  assert.throws(() => jax.vmap((a: A) => jnp.unique(a))(as), ConcretizationError);
});

Deno.test({
  name: "arrays on webgpu give the cpu results",
  ignore: !hasBackend("webgpu"),
  fn() {
    const run = (platform: string) => {
      jax.config.update("jax_platforms", platform);
      try {
        const x = jnp.array(Array.from({ length: 60 }, (_, i) => Math.round(10 * Math.sin(i * 0.37)))).reshape([6, 10]);
        return [
          list(jnp.roll(x, 3, { axis: 1 })),
          list(jnp.pad(x, [[1, 2], [3, 4]], { mode: "reflect" })),
          list(jnp.diff(x, { n: 2 })),
          list(jnp.tril(x, 1)),
          list(jnp.trace(x)),
          list(jnp.diag(x.get(0))),
          list(jnp.kron(x.get("0:2, 0:3"), x.get("0:2, 0:2"))),
          list(jnp.cross(x.get(":, 0:3"), x.get(":, 3:6"))),
          lists(jnp.nonzero(x.gt(5), { size: 12, fill_value: -1 })),
          lists(jnp.unique(x, { size: 25, return_counts: true, return_inverse: true })),
          list(jax.jit((v: A) => jnp.unique(v, { size: 25 }))(x)),
        ];
      } finally {
        jax.config.update("jax_platforms", "");
      }
    };
    assert.deepEqual(run("webgpu"), run("cpu"));
  },
});
