/**
 * jnp's numeric, comparison and statistics functions (lib/numpy/numeric*.ts)
 * against values NumPy 2.4 computes for the same float32 inputs (pasted as
 * literals), their errors, gradients, jit and vmap, and webgpu against cpu
 * (ignored without an adapter).
 */

import assert from "node:assert/strict";
import { jax, jnp } from "../mod.ts";
import { ConcretizationError, DTypeError, ShapeError, ValueError } from "../lib/errors.ts";
import { hasBackend } from "../lib/runtime.ts";

// These tests check the device's kernels: tiny operations run there too, not on the host.
jax.config.update("jaxd_small_ops_on_host", false);

type A = jnp.NDArray;
type Nested = number | boolean | Nested[];
const list = (x: A) => x.tolist() as Nested;
const f32 = Math.fround;

/** Elementwise `|a - e| <= atol + rtol |e|`, NaN equal to NaN, shapes equal. */
function close(actual: A | Nested, expected: Nested, rtol = 1e-5, atol = 1e-6, path = "x"): void {
  const a = typeof actual === "object" && !Array.isArray(actual) ? list(actual) : actual;
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(a) && a.length === expected.length, `${path}: ${JSON.stringify(a)} vs ${expected}`);
    expected.forEach((e, i) => close((a as Nested[])[i], e, rtol, atol, `${path}[${i}]`));
    return;
  }
  const [x, y] = [Number(a), Number(expected)];
  if (Number.isNaN(y)) return assert.ok(Number.isNaN(x), `${path}: ${x} is not NaN`);
  if (!Number.isFinite(y)) return assert.equal(x, y, path);
  assert.ok(Math.abs(x - y) <= atol + rtol * Math.abs(y), `${path}: ${x} != ${y}`);
}

Deno.test("isclose, allclose, array_equal, array_equiv", () => {
  const a = jnp.array([1, 1.001, Infinity, -Infinity, NaN, 0]);
  const b = jnp.array([1.000001, 1, Infinity, Infinity, NaN, 1e-9]);
  assert.deepEqual(list(jnp.isclose(a, b)), [true, false, true, false, false, true]);
  assert.deepEqual(list(jnp.isclose(a, b, { equal_nan: true })), [true, false, true, false, true, true]);
  assert.deepEqual(list(jnp.isclose(a, b, { rtol: 1e-2 })), [true, true, true, false, false, true]);
  assert.deepEqual(list(jnp.isclose(jnp.array([1, 2]), jnp.array([1.05, 2.5]), { atol: 0.1 })), [true, false]);
  assert.equal(jnp.isclose(jnp.array([1, 2], { dtype: "int32" }), 2).dtype, "bool");
  assert.equal(jnp.allclose(jnp.array([1, 2]), jnp.array([1, 2.00001])).item(), 1);
  assert.equal(jnp.allclose(jnp.array([1, NaN]), jnp.array([1, NaN])).item(), 0);
  assert.equal(jnp.allclose(jnp.array([1, NaN]), jnp.array([1, NaN]), { equal_nan: true }).item(), 1);
  assert.equal(jnp.array_equal(jnp.array([1, 2]), jnp.array([1, 2])).item(), 1);
  assert.equal(jnp.array_equal(jnp.array([1, 2]), jnp.array([1, 3])).item(), 0);
  assert.equal(jnp.array_equal(jnp.array([1, 2]), jnp.array([1, 2, 3])).item(), 0);
  assert.equal(jnp.array_equal(jnp.array([NaN]), jnp.array([NaN])).item(), 0);
  assert.equal(jnp.array_equal(jnp.array([NaN]), jnp.array([NaN]), { equal_nan: true }).item(), 1);
  assert.equal(jnp.array_equiv(jnp.array([1, 2]), jnp.array([[1, 2], [1, 2]])).item(), 1);
  assert.equal(jnp.array_equiv(jnp.array([1, 2]), jnp.array([[1, 2], [1, 3]])).item(), 0);
  assert.equal(jnp.array_equiv(jnp.array([1, 2]), jnp.array([1, 2, 3])).item(), 0);
  assert.throws(() => jnp.isclose(jnp.ones([2]), jnp.ones([3])), ShapeError);
});

Deno.test("nan_to_num", () => {
  const x = jnp.array([NaN, Infinity, -Infinity, 2]);
  assert.deepEqual(list(jnp.nan_to_num(x)), [0, 3.4028234663852886e+38, -3.4028234663852886e+38, 2]);
  assert.deepEqual(list(jnp.nan_to_num(x, { nan: 5, posinf: 7, neginf: -7 })), [5, 7, -7, 2]);
  const i = jnp.array([1, 2], { dtype: "int32" });
  assert.equal(jnp.nan_to_num(i), i);
});

Deno.test("the nan reductions: nansum, nanmean, nanmax, nanmin, nanprod, nanstd, nanvar", () => {
  const x = jnp.array([[1, NaN, 3], [NaN, NaN, NaN], [4, 5, NaN]]);
  const expected: Record<string, Nested[]> = {
    nansum: [[5, 5, 3], [4, 0, 9], 13, [[4], [0], [9]]],
    nanmean: [[2.5, 5, 3], [2, NaN, 4.5], 3.25, [[2], [NaN], [4.5]]],
    nanmax: [[4, 5, 3], [3, NaN, 5], 5, [[3], [NaN], [5]]],
    nanmin: [[1, 5, 3], [1, NaN, 4], 1, [[1], [NaN], [4]]],
    nanprod: [[4, 5, 3], [3, 1, 20], 60, [[3], [1], [20]]],
    nanstd: [[1.5, 0, 0], [1, NaN, 0.5], 1.4790199995040894, [[1], [NaN], [0.5]]],
    nanvar: [[2.25, 0, 0], [1, NaN, 0.25], 2.1875, [[1], [NaN], [0.25]]],
  };
  const fns = {
    nansum: jnp.nansum,
    nanmean: jnp.nanmean,
    nanmax: jnp.nanmax,
    nanmin: jnp.nanmin,
    nanprod: jnp.nanprod,
    nanstd: jnp.nanstd,
    nanvar: jnp.nanvar,
  };
  for (const [name, fn] of Object.entries(fns)) {
    const [ax0, ax1, all, keep] = expected[name];
    close(fn(x, { axis: 0 }), ax0, 1e-6, 1e-6, `${name} axis 0`);
    close(fn(x, { axis: 1 }), ax1, 1e-6, 1e-6, `${name} axis 1`);
    close(fn(x), all, 1e-6, 1e-6, `${name} all`);
    close(fn(x, { axis: 1, keepdims: true }), keep, 1e-6, 1e-6, `${name} keepdims`);
  }
  close(jnp.nanvar(x, { axis: 1, ddof: 1 }), [2, NaN, 0.5]);
  close(jnp.nanstd(x, { ddof: 1 }), 1.7078251838684082);
  // Integers have no NaNs: the plain reductions (nanmean of ints is a float).
  const i = jnp.array([1, 2, 4], { dtype: "int32" });
  assert.deepEqual([jnp.nansum(i).dtype, jnp.nanmax(i).item(), jnp.nanmean(i).dtype], ["int32", 4, "float32"]);
  close(jnp.nanvar(i), 1.5555555555555556);
});

Deno.test("nanargmax, nanargmin (-1 for an all-NaN slice, as JAX), nancumsum, nancumprod", () => {
  const x = jnp.array([[1, NaN, 3], [NaN, NaN, NaN], [4, 5, NaN]]);
  assert.equal(jnp.nanargmax(x).item(), 7);
  const rows = jnp.array([[1, NaN, 3], [4, 5, NaN]]);
  assert.deepEqual(list(jnp.nanargmax(rows, { axis: 1 })), [2, 1]);
  assert.deepEqual(list(jnp.nanargmin(rows, { axis: 0 })), [0, 1, 0]);
  assert.deepEqual(list(jnp.nanargmax(x, { axis: 1 })), [2, -1, 1]);
  assert.deepEqual(list(jnp.nanargmin(rows, { axis: 1, keepdims: true })), [[0], [0]]);
  assert.deepEqual(list(jnp.nancumsum(x)), [1, 1, 4, 4, 4, 4, 8, 13, 13]);
  assert.deepEqual(list(jnp.nancumsum(x, { axis: 0 })), [[1, 0, 3], [1, 0, 3], [5, 5, 3]]);
  assert.deepEqual(list(jnp.nancumprod(x, { axis: 1 })), [[1, 1, 3], [1, 1, 1], [4, 20, 20]]);
});

Deno.test("logaddexp2, hypot, deg2rad, rad2deg, radians, degrees, sinc", () => {
  close(
    jnp.logaddexp2(jnp.array([0, 1, -Infinity, Infinity, 5]), jnp.array([0, 3, -Infinity, Infinity, -100])),
    [1, 3.321928024291992, -Infinity, Infinity, 5],
  );
  close(
    jnp.hypot(jnp.array([3, 0, -5, Infinity, 1e30]), jnp.array([4, 0, 12, NaN, 1e30])),
    [5, 0, 13, Infinity, 1.4142135130433894e+30],
  );
  close(jnp.deg2rad(jnp.array([0, 90, -180])), [0, 1.5707963705062866, -3.1415927410125732]);
  close(jnp.radians(jnp.array([0, 90, -180])), [0, 1.5707963705062866, -3.1415927410125732]);
  close(jnp.rad2deg(jnp.array([0, 1, -3])), [0, 57.2957763671875, -171.8873291015625]);
  close(jnp.degrees(jnp.array([0, 1, -3])), [0, 57.2957763671875, -171.8873291015625]);
  close(
    jnp.sinc(jnp.array([0, 0.25, -0.5, 1.5, 3])),
    [1, 0.9003162980079651, 0.6366197466850281, -0.21220658719539642, -2.530538223410872e-09],
    1e-5,
    1e-7,
  );
  assert.equal(jnp.hypot(jnp.array([3], { dtype: "int32" }), 4).dtype, "float32");
});

Deno.test("count_nonzero, ptp", () => {
  const x = jnp.array([[0, 1, 2], [3, 0, 0]]);
  assert.equal(jnp.count_nonzero(x).item(), 3);
  assert.equal(jnp.count_nonzero(x).dtype, "int32");
  assert.deepEqual(list(jnp.count_nonzero(x, { axis: 0 })), [1, 1, 1]);
  assert.deepEqual(list(jnp.count_nonzero(x, { axis: 1, keepdims: true })), [[2], [1]]);
  assert.equal(jnp.count_nonzero(jnp.array([true, false, true])).item(), 2);
  const p = jnp.array([[4, 9, 2], [1, 5, 7]]);
  assert.equal(jnp.ptp(p).item(), 8);
  assert.deepEqual(list(jnp.ptp(p, { axis: 0 })), [3, 4, 5]);
  assert.deepEqual(list(jnp.ptp(p, { axis: 1, keepdims: true })), [[7], [6]]);
  assert.equal(jnp.ptp(jnp.array([3, -1, 7], { dtype: "int32" })).item(), 8);
});

Deno.test("average: weights, axis, returned, keepdims, and its errors", () => {
  const a = jnp.array([[1, 2, 3], [4, 5, 6]]);
  close(jnp.average(a), 3.5);
  close(jnp.average(a, { axis: 1, weights: jnp.array([1, 2, 3]) }), [2.3333333333333335, 5.333333333333333]);
  close(jnp.average(a, { axis: 0, weights: jnp.array([[1, 2, 3], [3, 2, 1]]) }), [3.25, 3.5, 3.75]);
  const [avg, wsum] = jnp.average(a, { axis: 1, weights: jnp.array([3, 1, 0]), returned: true });
  close(avg, [1.25, 4.25]);
  close(wsum, [4, 4]);
  const [avg0, n0] = jnp.average(a, { axis: 0, returned: true });
  close(avg0, [2.5, 3.5, 4.5]);
  close(n0, [2, 2, 2]);
  close(jnp.average(a, { axis: 1, keepdims: true }), [[2], [5]]);
  assert.throws(() => jnp.average(a, { weights: jnp.array([1, 2, 3]) }), ShapeError);
  assert.throws(() => jnp.average(a, { axis: 0, weights: jnp.array([1, 2, 3]) }), ShapeError);
  assert.throws(() => jnp.average(a, { axis: 1, weights: jnp.ones([2, 2]) }), ShapeError);
});

const M = [[0.5, 1.5, 3, 2], [1, -1, 0.25, 4], [2, 2.5, 1, 0]];
const COV = [[1.0833333333333333, 0.10416666666666666, -0.625], [0.10416666666666666, 4.515625, -2.03125], [
  -0.625,
  -2.03125,
  1.2291666666666665,
]];

Deno.test("cov: rowvar, bias, ddof, fweights, aweights, y; corrcoef", () => {
  const m = jnp.array(M);
  close(jnp.cov(m), COV);
  close(jnp.cov(m.T, { rowvar: false }), COV);
  close(jnp.cov(m, { bias: true }), [[0.8125, 0.078125, -0.46875], [0.078125, 3.38671875, -1.5234375], [
    -0.46875,
    -1.5234375,
    0.921875,
  ]]);
  close(jnp.cov(m, { ddof: 2 }), [[1.625, 0.15625, -0.9375], [0.15625, 6.7734375, -3.046875], [
    -0.9375,
    -3.046875,
    1.84375,
  ]]);
  const fw = jnp.array([1, 2, 1, 3], { dtype: "int32" }), aw = jnp.array([0.5, 1, 2, 1]);
  close(jnp.cov(m, { fweights: fw }), [
    [0.5714285714285714, 0.36011904761904756, -0.46428571428571425],
    [0.36011904761904756, 5.49702380952381, -2.6011904761904763],
    [-0.46428571428571425, -2.6011904761904763, 1.3928571428571428],
  ]);
  close(jnp.cov(m, { aweights: aw }), [
    [1.044642857142857, -0.13392857142857142, -0.5357142857142857],
    [-0.13392857142857142, 4.522321428571428, -1.8928571428571428],
    [-0.5357142857142857, -1.8928571428571428, 1.1339285714285714],
  ]);
  close(
    jnp.cov(m, { fweights: fw, aweights: aw }),
    [
      [0.5771276595744681, 0.061170212765957514, -0.3617021276595745],
      [0.061170212765957514, 5.503989361702128, -2.4308510638297873],
      [-0.3617021276595745, -2.4308510638297873, 1.2712765957446808],
    ],
    1e-5,
    1e-6,
  );
  close(
    jnp.cov(m, { fweights: fw, aweights: aw, ddof: 0 }),
    [
      [0.4822222222222222, 0.05111111111111116, -0.3022222222222222],
      [0.05111111111111116, 4.598888888888889, -2.031111111111111],
      [-0.3022222222222222, -2.031111111111111, 1.0622222222222222],
    ],
    1e-5,
    1e-6,
  );
  const rows = m.dataSync();
  const row = (i: number) => jnp.array(Array.from(rows.slice(4 * i, 4 * i + 4)));
  close(jnp.cov(row(0), { y: row(1) }), [[1.0833333333333333, 0.10416666666666666], [0.10416666666666666, 4.515625]]);
  close(jnp.cov(row(0)), 1.0833333333333333);
  assert.deepEqual(jnp.cov(row(0)).shape, []);
  close(jnp.cov(jnp.array(M.slice(0, 2)), { y: row(2) }), COV);
  const R = [[1, 0.04709651582502563, -0.5416186085055891], [0.04709651582502562, 1, -0.8621822085914802], [
    -0.5416186085055892,
    -0.8621822085914801,
    1,
  ]];
  close(jnp.corrcoef(m), R);
  close(jnp.corrcoef(m.T, { rowvar: false }), R);
  close(jnp.corrcoef(row(0), { y: row(2) }), [[1, -0.5416186085055891], [-0.5416186085055892, 1]]);
  close(jnp.corrcoef(row(0)), 1);
  assert.throws(() => jnp.cov(jnp.ones([2, 2, 2])), ShapeError);
  assert.throws(() => jnp.cov(m, { fweights: jnp.array([1, 2]) }), ShapeError);
  assert.throws(() => jnp.cov(m, { fweights: aw }), DTypeError);
  assert.throws(() => jnp.cov(m, { y: jnp.ones([5]) }), ShapeError);
});

Deno.test("polyval, polyadd, polysub, polymul, polyder, polyint", () => {
  close(jnp.polyval(jnp.array([2, -1, 0.5, 3]), jnp.array([0, 1, -2, 0.5])), [3, 4.5, -18, 3.25]);
  close(jnp.polyval(jnp.array([1, 2, 3]), 2), 11);
  const i = (v: number[]) => jnp.array(v, { dtype: "int32" });
  assert.deepEqual(list(jnp.polyadd(i([1, 2, 3]), i([4, 5]))), [1, 6, 8]);
  assert.equal(jnp.polyadd(i([1, 2, 3]), i([4, 5])).dtype, "int32");
  assert.deepEqual(list(jnp.polysub(i([1, 2]), i([4, 5, 6]))), [-4, -4, -4]);
  assert.deepEqual(list(jnp.polymul(i([1, 2, 3]), i([4, 5]))), [4, 13, 22, 15]);
  assert.deepEqual(list(jnp.polymul(jnp.array([2]), jnp.array([3, 4]))), [6, 8]);
  const p = jnp.array([3, -1, 2, 5, 1]);
  assert.deepEqual(list(jnp.polyder(p)), [12, -3, 4, 5]);
  assert.deepEqual(list(jnp.polyder(p, { m: 2 })), [36, -6, 4]);
  assert.deepEqual(list(jnp.polyder(p, { m: 0 })), [3, -1, 2, 5, 1]);
  assert.deepEqual(list(jnp.polyder(jnp.array([3, -1]), { m: 3 })), []);
  const q = jnp.array([3, -1, 2]);
  close(jnp.polyint(q), [1, -0.5, 2, 0]);
  close(jnp.polyint(q, { m: 2 }), [0.25, -0.16666666666666666, 1, 0, 0]);
  close(jnp.polyint(q, { m: 2, k: jnp.array([1, 2]) }), [0.25, -0.16666666666666666, 1, 1, 2]);
  close(jnp.polyint(q, { m: 3, k: 5 }), [0.05, -0.041666666666666664, 0.3333333333333333, 2.5, 5, 5]);
  close(jnp.polyint(q, { k: 4 }), [1, -0.5, 2, 4]);
  assert.throws(() => jnp.polyder(p, { m: -1 }), ValueError);
  assert.throws(() => jnp.polyint(q, { m: 2, k: jnp.array([1, 2, 3]) }), ValueError);
  assert.throws(() => jnp.polyadd(jnp.ones([2, 2]), jnp.ones([2])), ShapeError);
  assert.throws(() => jnp.polyval(1, 2), ShapeError);
});

Deno.test("interp: inside, outside, left/right, period", () => {
  const xp = jnp.array([0, 1, 2.5, 4]), fp = jnp.array([1, 3, -2, 0]);
  const x = jnp.array([-1, 0, 0.3, 1, 2, 2.5, 3.9, 4, 7]);
  close(jnp.interp(x, xp, fp), [1, 1, 1.600000023841858, 3, -0.3333333333333335, -2, -0.1333332061767578, 0, 0]);
  close(jnp.interp(x, xp, fp, { left: -9, right: 9 }), [
    -9,
    1,
    1.600000023841858,
    3,
    -0.3333333333333335,
    -2,
    -0.1333332061767578,
    0,
    9,
  ]);
  close(
    jnp.interp(
      jnp.array([-180, -170, -185, 185, -10, -5, 0, 365]),
      jnp.array([190, -190, 350, -350]),
      jnp.array([5, 10, 3, 4]),
      { period: 360 },
    ),
    [7.5, 5, 8.75, 6.25, 3, 3.25, 3.5, 3.75],
  );
  close(jnp.interp(jnp.array([[0.5], [3]]), xp, fp), [[2], [-1.3333333730697632]]);
  close(jnp.interp(2, jnp.array([1]), jnp.array([7])), 7);
  assert.throws(() => jnp.interp(x, xp, jnp.array([1, 2])), ShapeError);
  assert.throws(() => jnp.interp(x, jnp.array([]), jnp.array([])), ValueError);
  assert.throws(() => jnp.interp(x, xp, fp, { period: 0 }), ValueError);
});

Deno.test("trapezoid: dx, x (1-d and n-d), axis", () => {
  const y = jnp.array([[1, 2, 4], [0, 3, -1]]);
  close(jnp.trapezoid(y), [4.5, 2.5]);
  close(jnp.trapezoid(y, { axis: 0 }), [0.5, 2.5, 1.5]);
  close(jnp.trapezoid(y, { dx: 0.5 }), [2.25, 1.25]);
  close(jnp.trapezoid(y, { x: jnp.array([0, 1, 3]) }), [7.5, 3.5]);
  close(jnp.trapezoid(y, { x: jnp.array([[0, 1, 3], [0, 2, 2.5]]) }), [7.5, 3.5]);
  close(jnp.trapezoid(y, { x: jnp.array([0, 2]), axis: 0 }), [1, 5, 3]);
  assert.throws(() => jnp.trapezoid(jnp.array(1)), ShapeError);
});

Deno.test("convolve and correlate: the three modes, either order, errors", () => {
  const a = jnp.array([1, 2, 3, 4, 5]), v = jnp.array([2, -1, 0.5]);
  const expected = {
    full: [[2, 3, 4.5, 6, 7.5, -3, 2.5], [0.5, 0, 1.5, 3, 4.5, 3, 10], [10, 3, 4.5, 3, 1.5, 0, 0.5]],
    same: [[3, 4.5, 6, 7.5, -3], [0, 1.5, 3, 4.5, 3], [3, 4.5, 3, 1.5, 0]],
    valid: [[4.5, 6, 7.5], [1.5, 3, 4.5], [4.5, 3, 1.5]],
  } as const;
  for (const mode of ["full", "same", "valid"] as const) {
    const [conv, corr, corrSwapped] = expected[mode];
    assert.deepEqual(list(jnp.convolve(a, v, { mode })), conv, `convolve ${mode}`);
    assert.deepEqual(list(jnp.convolve(v, a, { mode })), conv, `convolve swapped ${mode}`);
    assert.deepEqual(list(jnp.correlate(a, v, { mode })), corr, `correlate ${mode}`);
    assert.deepEqual(list(jnp.correlate(v, a, { mode })), corrSwapped, `correlate swapped ${mode}`);
  }
  assert.deepEqual(list(jnp.convolve(a, v)), expected.full[0]);
  assert.deepEqual(list(jnp.correlate(a, v)), expected.valid[1]);
  assert.deepEqual(list(jnp.convolve(a, jnp.array([1, -1]), { mode: "same" })), [1, 1, 1, 1, 1]);
  assert.deepEqual(list(jnp.correlate(a, jnp.array([1, 2]), { mode: "same" })), [2, 5, 8, 11, 14]);
  const ints = jnp.convolve(jnp.array([1, 2, 3, 4], { dtype: "int32" }), jnp.array([1, 1, 1, 1], { dtype: "int32" }), {
    mode: "same",
  });
  assert.deepEqual([list(ints), ints.dtype], [[3, 6, 10, 9], "float32"]);
  assert.throws(() => jnp.convolve(jnp.ones([2, 2]), v), ShapeError);
  assert.throws(() => jnp.convolve(jnp.array([]), v), ValueError);
  assert.throws(() => jnp.correlate(a, v, { mode: "wide" as "full" }), ValueError);
});

Deno.test("bitwise ops, invert, shifts; floats are refused", () => {
  const i = (v: number[]) => jnp.array(v, { dtype: "int32" });
  const [x, y] = [i([12, -7, 0]), i([10, 3, 5])];
  assert.deepEqual(list(jnp.bitwise_and(x, y)), [8, 1, 0]);
  assert.deepEqual(list(jnp.bitwise_or(x, y)), [14, -5, 5]);
  assert.deepEqual(list(jnp.bitwise_xor(x, y)), [6, -6, 5]);
  assert.deepEqual(list(jnp.bitwise_not(x)), [-13, 6, -1]);
  assert.deepEqual(list(jnp.invert(jnp.array([0, 5], { dtype: "uint32" }))), [4294967295, 4294967290]);
  const [t, u] = [jnp.array([true, true, false]), jnp.array([true, false, false])];
  assert.deepEqual(list(jnp.bitwise_and(t, u)), [true, false, false]);
  assert.deepEqual(list(jnp.bitwise_xor(t, u)), [false, true, false]);
  assert.deepEqual(list(jnp.left_shift(i([1, -3, 7]), i([3, 2, 0]))), [8, -12, 7]);
  assert.deepEqual(list(jnp.right_shift(i([-17, 16, 7]), i([2, 3, 1]))), [-5, 2, 3]);
  const big = jnp.array([4294967280, 16], { dtype: "uint32" });
  assert.deepEqual(list(jnp.right_shift(big, jnp.array([2, 3], { dtype: "uint32" }))), [1073741820, 2]);
  for (const f of [jnp.bitwise_and, jnp.bitwise_or, jnp.bitwise_xor, jnp.left_shift, jnp.right_shift]) {
    assert.throws(() => f(jnp.array([1.5]), 1), DTypeError);
  }
  assert.throws(() => jnp.bitwise_not(jnp.array([1.5])), DTypeError);
});

Deno.test("heaviside, signbit, copysign, fmax, fmin, float_power, ldexp", () => {
  close(jnp.heaviside(jnp.array([-1.5, 0, 2, NaN]), jnp.array([0.5])), [0, 0.5, 1, NaN]);
  close(jnp.heaviside(jnp.array([0, 0]), jnp.array([0, 1])), [0, 1]);
  assert.deepEqual(list(jnp.signbit(jnp.array([-1, -0, 0, 2, -Infinity, Infinity]))), [
    true,
    true,
    false,
    false,
    true,
    false,
  ]);
  assert.deepEqual(list(jnp.signbit(jnp.array([-3, 0, 4], { dtype: "int32" }))), [true, false, false]);
  const cs = jnp.copysign(jnp.array([1, -2, 3, -0, Infinity]), jnp.array([-1, 1, -0, -5, -1])).dataSync();
  assert.deepEqual(Array.from(cs), [-1, 2, -3, -0, -Infinity]);
  assert.ok(Object.is(cs[3], -0));
  const [p, q] = [jnp.array([1, NaN, 3, NaN]), jnp.array([NaN, 2, 5, NaN])];
  close(jnp.fmax(p, q), [1, 2, 5, NaN]);
  close(jnp.fmin(p, q), [1, 2, 3, NaN]);
  assert.deepEqual(list(jnp.fmax(jnp.array([1, 7], { dtype: "int32" }), 3)), [3, 7]);
  close(jnp.float_power(jnp.array([2, -2, 4, 0]), jnp.array([0.5, 3, -2, 0])), [1.4142135381698608, -8, 0.0625, 1]);
  assert.equal(jnp.float_power(jnp.array([2], { dtype: "int32" }), 2).dtype, "float32");
  const e = jnp.array([3, -1, 0, 120, -130], { dtype: "int32" });
  close(jnp.ldexp(jnp.array([1, 0.75, -3, 1e-30, 2]), e), [8, 0.375, -3, 1329228, 1.4693679385278594e-39], 1e-6, 0);
  assert.throws(() => jnp.ldexp(jnp.array([1]), jnp.array([1.5])), DTypeError);
});

Deno.test("gcd and lcm of integers", () => {
  const a = jnp.array([12, -18, 0, 0, 17, 100], { dtype: "int32" });
  const b = jnp.array([8, 12, 5, 0, 5, -75], { dtype: "int32" });
  assert.deepEqual(list(jnp.gcd(a, b)), [4, 6, 5, 0, 1, 25]);
  assert.deepEqual(list(jnp.lcm(a, b)), [24, 36, 0, 0, 85, 300]);
  assert.deepEqual(list(jnp.gcd(jnp.array([[4], [6]], { dtype: "int32" }), jnp.array([6, 9], { dtype: "int32" }))), [
    [2, 1],
    [6, 3],
  ]);
  assert.equal(jnp.gcd(a, b).dtype, "int32");
  // |INT32_MIN| = 2^31 (as numpy: gcd(-2^31, 0) wraps back to -2^31); the loop ends.
  const min = jnp.array([-2147483648, -2147483648, -2147483648], { dtype: "int32" });
  assert.deepEqual(list(jnp.gcd(min, jnp.array([12, 0, -6], { dtype: "int32" }))), [4, -2147483648, 2]);
  const u = jnp.array([4000000000, 12], { dtype: "uint32" });
  assert.deepEqual(list(jnp.gcd(u, jnp.array([3000000000, 18], { dtype: "uint32" }))), [1000000000, 6]);
  assert.equal(jnp.lcm(u, u).dtype, "uint32");
  assert.throws(() => jnp.gcd(jnp.array([1.5]), 2), DTypeError);
  assert.throws(() => jnp.lcm(jnp.array([1.5]), 2), DTypeError);
});

Deno.test("digitize, increasing and decreasing bins, right", () => {
  const x = jnp.array([-1, 0, 0.5, 1, 2.5, 3, 10, 11]);
  const up = jnp.array([0, 1, 2.5, 10]), down = jnp.array([10, 2.5, 1, 0]);
  assert.deepEqual(list(jnp.digitize(x, up)), [0, 1, 1, 2, 3, 3, 4, 4]);
  assert.deepEqual(list(jnp.digitize(x, up, { right: true })), [0, 0, 1, 1, 2, 3, 3, 4]);
  assert.deepEqual(list(jnp.digitize(x, down)), [4, 3, 3, 2, 1, 1, 0, 0]);
  assert.deepEqual(list(jnp.digitize(x, down, { right: true })), [4, 4, 3, 3, 2, 1, 1, 0]);
  assert.equal(jnp.digitize(x, up).dtype, "int32");
  assert.deepEqual(list(jnp.digitize(x, jnp.array([]))), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.throws(() => jnp.digitize(x, jnp.ones([2, 2])), ShapeError);
});

Deno.test("bincount: weights, minlength, length; needs length under jit", () => {
  const i = (v: number[]) => jnp.array(v, { dtype: "int32" });
  assert.deepEqual(list(jnp.bincount(i([0, 1, 1, 3, 2, 1, 7]))), [1, 3, 1, 1, 0, 0, 0, 1]);
  assert.deepEqual(list(jnp.bincount(i([0, 1, 1, 3]), { minlength: 6 })), [1, 2, 0, 1, 0, 0]);
  assert.deepEqual(list(jnp.bincount(i([0, 1, 1, 3]), { weights: jnp.array([0.5, 1, 2, -1]) })), [0.5, 3, 0, -1]);
  assert.deepEqual(list(jnp.bincount(i([0, 1, 5]), { length: 3 })), [1, 1, 0]);
  assert.deepEqual(list(jnp.bincount(i([-2, 1]))), [1, 1], "negatives count as 0, as JAX");
  assert.deepEqual(list(jnp.bincount(i([]))), []);
  assert.equal(jnp.bincount(i([1])).dtype, "int32");
  assert.throws(() => jnp.bincount(jnp.array([1.5])), DTypeError);
  assert.throws(() => jnp.bincount(i([1, 2]).reshape([1, 2])), ShapeError);
  assert.throws(() => jnp.bincount(i([1, 2]), { weights: jnp.ones([3]) }), ShapeError);
  assert.throws(() => jax.jit((x: A) => jnp.bincount(x))(i([1, 2])), (e: Error) => {
    return e instanceof ConcretizationError && /length/.test(e.message);
  });
  assert.deepEqual(list(jax.jit((x: A) => jnp.bincount(x, { length: 4 }))(i([1, 2, 2]))), [0, 1, 2, 0]);
});

Deno.test("histogram and histogram_bin_edges", () => {
  const r = jnp.array([0.1, 2.3, 2.2, 4.9, 5.0, 1.0, -3, 7.5, 3.3]);
  const cases: [Parameters<typeof jnp.histogram>[1], number[], number[]][] = [
    [{}, [1, 0, 1, 1, 1, 1, 1, 2, 0, 1], [
      -3,
      -1.9500000476837158,
      -0.9000000953674316,
      0.14999985694885254,
      1.1999998092651367,
      2.25,
      3.299999713897705,
      4.34999942779541,
      5.399999618530273,
      6.449999809265137,
      7.5,
    ]],
    [{ bins: 4 }, [1, 3, 2, 3], [-3, -0.375, 2.25, 4.875, 7.5]],
    [{ bins: 3, range: [0, 6] }, [2, 3, 2], [0, 2, 4, 6]],
    [{ bins: jnp.array([0, 1, 2.5, 5]) }, [1, 3, 3], [0, 1, 2.5, 5]],
    [
      { bins: 4, density: true },
      [0.042328042328042326, 0.12698412698412698, 0.08465608465608465, 0.12698412698412698],
      [
        -3,
        -0.375,
        2.25,
        4.875,
        7.5,
      ],
    ],
    [{ bins: 3, weights: jnp.array([1, 2, 3, 4, 5, 6, 7, 8, 9]) }, [8, 20, 17], [-3, 0.5, 4, 7.5]],
    [{ bins: 2, range: [2, 2] }, [0, 2], [1.5, 2, 2.5]],
  ];
  for (const [o, hist, edges] of cases) {
    const [h, e] = jnp.histogram(r, o);
    close(h, hist, 1e-5, 1e-7, `hist ${JSON.stringify(o)}`);
    close(e, edges, 1e-6, 1e-6, `edges ${JSON.stringify(o)}`);
  }
  assert.equal(jnp.histogram(r)[0].dtype, "float32");
  close(jnp.histogram_bin_edges(jnp.array([3, 3, 3]), { bins: 2 }), [2.5, 3, 3.5]);
  close(jnp.histogram_bin_edges(r, { bins: 5 }), [
    -3,
    -0.9000000953674316,
    1.1999998092651367,
    3.299999713897705,
    5.399999618530273,
    7.5,
  ]);
  // 2-d input is flattened.
  close(jnp.histogram(r.reshape([3, 3]), { bins: 4 })[0], [1, 3, 2, 3]);
  assert.throws(() => jnp.histogram(r, { bins: 0 }), ValueError);
  assert.throws(() => jnp.histogram(r, { range: [0, 1, 2] }), ShapeError);
  assert.throws(() => jnp.histogram(r, { weights: jnp.ones([2]) }), ShapeError);
});

Deno.test("select and piecewise", () => {
  const x = jnp.array([-2, -1, 0, 1, 2, 3]);
  close(jnp.select([x.lt(0), x.gt(1)], [x.mul(10), x.mul(x)], { default: -1 }), [-20, -10, -1, -1, 4, 9]);
  close(jnp.select([x.lt(0), x.lt(1)], [x, x.neg()]), [-2, -1, -0, 0, 0, 0]);
  close(jnp.piecewise(x, [x.lt(0), x.ge(1)], [(v) => v.neg(), (v) => v.mul(2)]), [2, 1, 0, 2, 4, 6]);
  close(jnp.piecewise(x, [x.lt(0), x.gt(0)], [(v) => v.neg(), 7, (v) => v.add(100)]), [2, 1, 100, 7, 7, 7]);
  close(jnp.piecewise(x, [x.lt(2), x.gt(0)], [1, 2]), [1, 1, 1, 2, 2, 2]);
  assert.throws(() => jnp.select([x.lt(0)], [x, x]), ValueError);
  assert.throws(() => jnp.select([], []), ValueError);
  assert.throws(() => jnp.piecewise(x, [x.lt(0)], [1, 2, 3]), ValueError);
});

Deno.test("gradients: sinc at and away from 0, hypot, logaddexp2, nanmean, interp, polyval, cov, convolve", () => {
  const g = (f: (x: A) => A, x: number) => (jax.grad(f)(jnp.array(x)) as A).item();
  assert.equal(g(jnp.sinc, 0), 0);
  // d/dx sinc(x) = (cos(pi x) pi x - sin(pi x)) / (pi x^2); at 0.5: -4/pi.
  close(g(jnp.sinc, 0.5), -4 / Math.PI, 1e-5);
  // sinc''(0) = -pi^2 / 3, as JAX's rule gives.
  close(g((x) => jax.grad(jnp.sinc)(x) as A, 0), -(Math.PI ** 2) / 3, 1e-5);
  const [gx, gy] = jax.grad((x: A, y: A) => jnp.hypot(x, y), { argnums: [0, 1] })(jnp.array(3), jnp.array(4)) as A[];
  close([gx.item(), gy.item()], [0.6, 0.8]);
  assert.ok(!Number.isNaN(g((x) => jnp.hypot(x, 0), 0)), "no NaN gradient at the origin");
  // d/dx log2(2^x + 2^y) = 2^x / (2^x + 2^y).
  close(g((x) => jnp.logaddexp2(x, 3), 1), 0.2);
  close(g((x) => jnp.logaddexp2(x, x), 1), 1);
  const nm = jax.grad((x: A) => jnp.nanmean(x))(jnp.array([1, NaN, 3, 4])) as A;
  close(nm, [1 / 3, 0, 1 / 3, 1 / 3]);
  const xp = jnp.array([0, 1, 2.5, 4]), fp = jnp.array([1, 3, -2, 0]);
  close(g((x) => jnp.interp(x, xp, fp), 0.3), 2);
  close(g((x) => jnp.interp(x, xp, fp), 3), 4 / 3);
  const gfp = jax.grad((f: A) => jnp.interp(jnp.array(0.25), xp, f))(fp) as A;
  close(gfp, [0.75, 0.25, 0, 0]);
  close(g((x) => jnp.polyval(jnp.array([2, -1, 0.5, 3]), x), 1), 4.5);
  // d var(x) / dx_i = 2 (x_i - mean) / (n - 1).
  close(jax.grad((x: A) => jnp.cov(x))(jnp.array([1, 2, 6])) as A, [-2, -1, 3]);
  const gc = jax.grad((a: A) => jnp.convolve(a, jnp.array([2, -1, 0.5])).sum())(jnp.array([1, 2, 3])) as A;
  close(gc, [1.5, 1.5, 1.5]);
});

Deno.test("jit and vmap give the eager results", () => {
  const x = jnp.array([[1, NaN, 3, 0.5], [4, 5, NaN, -1], [2, 2, 2, 2]]);
  const xp = jnp.array([0, 1, 2.5, 4]), fp = jnp.array([1, 3, -2, 0]);
  const many = (a: A) => [
    jnp.nanmean(a, { axis: 1 }),
    jnp.nanstd(a, { axis: 0 }),
    jnp.nanargmax(a, { axis: 1 }),
    jnp.isclose(a, 2),
    jnp.interp(a, xp, fp),
    jnp.histogram(a, { bins: 3, range: [-1, 5] })[0],
    jnp.cov(jnp.nan_to_num(a)),
    jnp.convolve(jnp.nan_to_num(a).reshape([12]), jnp.array([1, -1, 2])),
    jnp.gcd(jnp.nan_to_num(a).astype("int32"), 4),
  ];
  const eager = many(x).map(list);
  const jitted = (jax.jit((a: A) => many(a))(x) as A[]).map(list);
  jitted.forEach((j, i) => close(j, eager[i] as Nested, 1e-6, 1e-6, `jit output ${i}`));
  // vmap over rows against a loop over rows.
  const perRow = (r: A) => [
    jnp.nanmean(r),
    jnp.interp(r, xp, fp),
    jnp.convolve(jnp.nan_to_num(r), jnp.array([1, 2])),
    jnp.digitize(r, xp),
    jnp.bincount(jnp.nan_to_num(r).astype("int32"), { length: 6 }),
    jnp.hypot(r, 1),
    jnp.gcd(jnp.nan_to_num(r).astype("int32"), 6),
  ];
  const batched = (jax.vmap(perRow)(x) as A[]).map(list) as Nested[][];
  for (let i = 0; i < 3; i++) {
    const row = jnp.array(Array.from(x.dataSync().slice(4 * i, 4 * i + 4)));
    perRow(row).forEach((r, k) => close(batched[k][i], list(r), 1e-6, 1e-6, `vmap output ${k} row ${i}`));
  }
});

Deno.test({
  name: "numeric functions on webgpu give the cpu results",
  ignore: !hasBackend("webgpu"),
  fn() {
    // With NaNs, which the nan* functions skip (WGSL comparisons test for them by the bits).
    const vals = Array.from({ length: 257 }, (_, i) => (i % 17 === 3 ? NaN : Math.sin(i * 0.37) * 5));
    const run = (platform: string) => {
      jax.config.update("jax_platforms", platform);
      try {
        const x = jnp.array(vals), y = jnp.array(vals.map((v) => f32(v * 0.5 + 1)));
        const clean = jnp.nan_to_num(x);
        const ints = clean.mul(10).astype("int32");
        return [
          jnp.isclose(x, y, { atol: 1 }),
          jnp.nanmean(x),
          jnp.nanstd(x),
          jnp.nanmax(x),
          jnp.nanargmin(x),
          jnp.nancumsum(x),
          jnp.hypot(clean, y),
          jnp.sinc(clean),
          jnp.logaddexp2(clean, y),
          jnp.fmax(x, y),
          jnp.signbit(clean),
          jnp.copysign(y, clean),
          jnp.bitwise_xor(ints, 0x55),
          jnp.right_shift(ints, 2),
          jnp.gcd(ints, 12),
          jnp.interp(clean, jnp.array([-5, -1, 0, 2, 5]), jnp.array([0, 1, -1, 3, 2])),
          jnp.convolve(clean, jnp.array([0.25, 0.5, 0.25]), { mode: "same" }),
          jnp.digitize(clean, jnp.array([-4, -1, 0, 1, 4])),
          jnp.bincount(ints.add(50), { length: 101 }),
          jnp.histogram(clean, { bins: 7 })[0],
          jnp.cov(jnp.stack([clean, y])),
          jnp.polyval(jnp.array([0.5, -1, 2]), clean),
        ].map(list);
      } finally {
        jax.config.update("jax_platforms", "");
      }
    };
    const [gpu, cpu] = [run("webgpu"), run("cpu")];
    cpu.forEach((c, i) => close(gpu[i], c, 1e-4, 1e-5, `output ${i}`));
  },
});
