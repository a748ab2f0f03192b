/**
 * numpy's comparisons and statistics as lax composites: isclose, allclose,
 * array_equal, array_equiv, nan_to_num, the nan-ignoring reductions,
 * count_nonzero, ptp, average, cov and corrcoef. Elementwise math and
 * bitwise ops are in numeric2.ts, polynomials, interpolation, convolution
 * and histograms in numeric3.ts; both are re-exported here.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { type DType, isFloat, isInteger, parseDType } from "../dtype.ts";
import { DTypeError, fmtShape, ShapeError } from "../errors.ts";
import * as lax from "../lax.ts";
import { normAxes, normAxis } from "../shape.ts";
import { isinf, isnan } from "./elementwise.ts";
import {
  all,
  argmax,
  argmin,
  type ArgOptions,
  type CumOptions,
  cumprod,
  cumsum,
  max,
  mean,
  min,
  prod,
  type ReduceOptions,
  sum,
  type VarOptions,
} from "./reductions.ts";
import { asArray, broadcastTo, promote, promoteFloat, promoteFloatDTypes, scalarLike as c } from "./util.ts";

export * from "./numeric2.ts";
export * from "./numeric3.ts";

/**
 * Options of isclose and allclose.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isclose(jnp.array([1, NaN]), jnp.array([1.1, NaN]), { atol: 0.2, equal_nan: true }).tolist(); // [true, true]
 * ```
 */
export interface IscloseOptions {
  /** Relative tolerance, times `|b|` (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Count two NaNs as equal (default false). */
  equal_nan?: boolean;
}

/**
 * Where `|a - b| <= atol + rtol * |b|`; infinities are close only to the
 * same infinity, NaN to nothing (unless `equal_nan`).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isclose(jnp.array([1, 1.001, Infinity]), jnp.array([1.000001, 1, Infinity])).tolist(); // [true, false, true]
 * ```
 */
export function isclose(a: ArrayLike, b: ArrayLike, o?: IscloseOptions): NDArray {
  const [x, y] = promoteFloat("isclose", a, b);
  const tol = lax.add(c(x, o?.atol ?? 1e-8), lax.mul(c(x, o?.rtol ?? 1e-5), lax.abs(y)));
  let out = lax.le(lax.abs(lax.sub(x, y)), tol);
  const [xInf, yInf] = [isinf(x), isinf(y)];
  out = lax.and(out, lax.not(lax.or(xInf, yInf)));
  out = lax.or(out, lax.and(lax.and(xInf, yInf), lax.eq(x, y)));
  const [xNan, yNan] = [isnan(x), isnan(y)];
  out = lax.and(out, lax.not(lax.or(xNan, yNan)));
  return o?.equal_nan ? lax.or(out, lax.and(xNan, yNan)) : out;
}

/**
 * Whether every element pair is close (see isclose); a bool 0-d array.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.allclose(jnp.array([1, 2]), jnp.array([1, 2.00001])); // Array(True, dtype=bool)
 * ```
 */
export function allclose(a: ArrayLike, b: ArrayLike, o?: IscloseOptions): NDArray {
  return all(isclose(a, b, o));
}

/**
 * Whether two arrays have the same shape and elements (a bool 0-d array;
 * false for different shapes). NaNs are unequal unless `equal_nan`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.array_equal(jnp.array([1, NaN]), jnp.array([1, NaN]), { equal_nan: true }); // Array(True, dtype=bool)
 * jnp.array_equal(jnp.array([1, 2]), jnp.array([[1, 2]])); // Array(False, dtype=bool)
 * ```
 */
export function array_equal(a1: ArrayLike, a2: ArrayLike, o?: { equal_nan?: boolean }): NDArray {
  const [x, y] = [asArray(a1), asArray(a2)];
  if (x.shape.join() !== y.shape.join()) return lax.full([], false);
  const [p, q] = promote("array_equal", x, y);
  let eq = lax.eq(p, q);
  if (o?.equal_nan) eq = lax.or(eq, lax.and(isnan(p), isnan(q)));
  return all(eq);
}

/**
 * Whether two arrays broadcast to each other with equal elements (false if
 * their shapes do not broadcast).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.array_equiv(jnp.array([1, 2]), jnp.array([[1, 2], [1, 2]])); // Array(True, dtype=bool)
 * ```
 */
export function array_equiv(a1: ArrayLike, a2: ArrayLike): NDArray {
  const [x, y] = [asArray(a1), asArray(a2)];
  const [sx, sy] = [[...x.shape].reverse(), [...y.shape].reverse()];
  const fits = sx.every((d, i) => i >= sy.length || d === sy[i] || d === 1 || sy[i] === 1);
  if (!fits) return lax.full([], false);
  const [p, q] = promote("array_equiv", x, y);
  return all(lax.eq(p, q));
}

/** The largest finite value of a float dtype. */
function finfoMax(d: DType): number {
  return d === "float16" ? 65504 : d === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
}

/**
 * Options of nan_to_num.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nan_to_num(jnp.array([NaN, Infinity]), { nan: -1, posinf: 9 }).tolist(); // [-1, 9]
 * ```
 */
export interface NanToNumOptions {
  /** What NaN becomes (default 0). */
  nan?: number;
  /** What +inf becomes (default the dtype's largest finite value). */
  posinf?: number;
  /** What -inf becomes (default the dtype's most negative finite value). */
  neginf?: number;
}

/**
 * Replaces NaN and ±inf by finite numbers (integer and bool arrays pass through).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nan_to_num(jnp.array([NaN, 1, -Infinity])).tolist(); // [0, 1, -3.4028234663852886e+38]
 * ```
 */
export function nan_to_num(x: ArrayLike, o?: NanToNumOptions): NDArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return a;
  const big = finfoMax(a.dtype);
  let out = lax.select(lax.ne(a, a), lax.full(a.shape, o?.nan ?? 0, a.dtype), a);
  out = lax.select(lax.eq(out, c(a, Infinity)), lax.full(a.shape, o?.posinf ?? big, a.dtype), out);
  return lax.select(lax.eq(out, c(a, -Infinity)), lax.full(a.shape, o?.neginf ?? -big, a.dtype), out);
}

/** `a` with NaNs replaced by `fill` (non-floats unchanged). */
function fillNan(a: NDArray, fill: number): NDArray {
  return isFloat(a.dtype) ? lax.select(lax.ne(a, a), lax.full(a.shape, fill, a.dtype), a) : a;
}

/** `out`, NaN where every reduced element of `a` was NaN. */
function nanIfAllNan(a: NDArray, out: NDArray, o?: ReduceOptions): NDArray {
  const allNan = all(isnan(a), { axis: o?.axis, keepdims: o?.keepdims });
  return lax.select(allNan, lax.full(out.shape, NaN, out.dtype), out);
}

/**
 * sum, counting NaNs as zero.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nansum(jnp.array([[1, NaN], [3, 4]]), { axis: 0 }).tolist(); // [4, 4]
 * ```
 */
export function nansum(x: ArrayLike, o?: ReduceOptions): NDArray {
  return sum(fillNan(asArray(x), 0), o);
}

/**
 * prod, counting NaNs as one.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanprod(jnp.array([2, NaN, 3])).item(); // 6
 * ```
 */
export function nanprod(x: ArrayLike, o?: ReduceOptions): NDArray {
  return prod(fillNan(asArray(x), 1), o);
}

/**
 * max ignoring NaNs (NaN where a slice is all NaN).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanmax(jnp.array([[1, NaN], [NaN, NaN]]), { axis: 1 }).tolist(); // [1, NaN]
 * ```
 */
export function nanmax(x: ArrayLike, o?: ReduceOptions): NDArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return max(a, o);
  return nanIfAllNan(a, max(fillNan(a, -Infinity), o), o);
}

/**
 * min ignoring NaNs (NaN where a slice is all NaN).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanmin(jnp.array([3, NaN, 1])).item(); // 1
 * ```
 */
export function nanmin(x: ArrayLike, o?: ReduceOptions): NDArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return min(a, o);
  return nanIfAllNan(a, min(fillNan(a, Infinity), o), o);
}

/** How many elements of `a` are not NaN, over the reduced axes, in `a`'s float dtype. */
function countNotNan(a: NDArray, o?: ReduceOptions): NDArray {
  return sum(lax.not(isnan(a)), { axis: o?.axis, keepdims: o?.keepdims, dtype: a.dtype });
}

/**
 * mean of the non-NaN elements (NaN where a slice is all NaN).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanmean(jnp.array([1, NaN, 3])).item(); // 2
 * ```
 */
export function nanmean(x: ArrayLike, o?: ReduceOptions): NDArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return mean(a, o);
  const [f] = promoteFloat(
    "nanmean",
    o?.dtype === undefined ? a : lax.convert_element_type(a, parseDType(o.dtype, "nanmean")),
  );
  return lax.div(sum(fillNan(f, 0), { ...o, dtype: undefined }), countNotNan(f, o));
}

/**
 * var of the non-NaN elements, divided by `count - ddof` (NaN where that is <= 0).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanvar(jnp.array([1, NaN, 3])).item(); // 1
 * jnp.nanvar(jnp.array([1, NaN, 3]), { ddof: 1 }).item(); // 2
 * ```
 */
export function nanvar(x: ArrayLike, o?: VarOptions): NDArray {
  const [a] = promoteFloat("nanvar", x);
  const m = nanmean(a, { axis: o?.axis, keepdims: true });
  const centered = lax.integer_pow(fillNan(lax.sub(a, m), 0), 2);
  const n = lax.sub(countNotNan(a, o), c(a, o?.ddof ?? 0));
  const bad = lax.le(n, c(n, 0));
  const ss = sum(centered, { axis: o?.axis, keepdims: o?.keepdims });
  return lax.select(
    bad,
    lax.full(ss.shape, NaN, a.dtype),
    lax.div(ss, lax.select(bad, lax.full(n.shape, 1, a.dtype), n)),
  );
}

/**
 * std of the non-NaN elements (`ddof` as nanvar).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanstd(jnp.array([1, NaN, 5])).item(); // 2
 * ```
 */
export function nanstd(x: ArrayLike, o?: VarOptions): NDArray {
  return lax.sqrt(nanvar(x, o));
}

function nanArg(x: ArrayLike, o: ArgOptions | undefined, fill: number, f: typeof argmax): NDArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return f(a, o);
  const r = f(fillNan(a, fill), o);
  const allNan = all(isnan(a), { axis: o?.axis ?? null, keepdims: o?.keepdims });
  return lax.select(allNan, lax.full(r.shape, -1, "int32"), r);
}

/**
 * argmax ignoring NaNs; -1 where a slice is all NaN (as JAX; numpy raises).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanargmax(jnp.array([1, NaN, 3, NaN])).item(); // 2
 * ```
 */
export function nanargmax(x: ArrayLike, o?: ArgOptions): NDArray {
  return nanArg(x, o, -Infinity, argmax);
}

/**
 * argmin ignoring NaNs; -1 where a slice is all NaN (as JAX; numpy raises).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanargmin(jnp.array([[NaN, 2, 1], [NaN, NaN, NaN]]), { axis: 1 }).tolist(); // [2, -1]
 * ```
 */
export function nanargmin(x: ArrayLike, o?: ArgOptions): NDArray {
  return nanArg(x, o, Infinity, argmin);
}

/**
 * cumsum, counting NaNs as zero.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nancumsum(jnp.array([1, NaN, 3])).tolist(); // [1, 1, 4]
 * ```
 */
export function nancumsum(x: ArrayLike, o?: CumOptions): NDArray {
  return cumsum(fillNan(asArray(x), 0), o);
}

/**
 * cumprod, counting NaNs as one.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nancumprod(jnp.array([2, NaN, 3])).tolist(); // [2, 2, 6]
 * ```
 */
export function nancumprod(x: ArrayLike, o?: CumOptions): NDArray {
  return cumprod(fillNan(asArray(x), 1), o);
}

/**
 * How many elements are nonzero (int32), over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.count_nonzero(jnp.array([[0, 1, 2], [3, 0, 0]]), { axis: 1 }).tolist(); // [2, 1]
 * ```
 */
export function count_nonzero(x: ArrayLike, o?: Omit<ReduceOptions, "dtype">): NDArray {
  const a = asArray(x);
  return sum(lax.ne(a, a.dtype === "bool" ? lax.full([], false) : c(a, 0)), { ...o, dtype: "int32" });
}

/**
 * Peak to peak: `max - min` over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ptp(jnp.array([[4, 9, 2], [1, 5, 7]]), { axis: 1 }).tolist(); // [7, 6]
 * ```
 */
export function ptp(x: ArrayLike, o?: Omit<ReduceOptions, "dtype">): NDArray {
  const a = asArray(x);
  return lax.sub(max(a, o), min(a, o));
}

/**
 * Options of average.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.average(jnp.array([[1, 2], [3, 4]]), { axis: 1, weights: jnp.array([3, 1]) }).tolist(); // [1.25, 3.25]
 * ```
 */
export interface AverageOptions {
  /** Axis or axes to average over; all when omitted or null. */
  axis?: number | number[] | null;
  /** Weights of `a`'s shape, or 1-d along a single `axis` (default all 1). */
  weights?: ArrayLike | null;
  /** Also return the sum of the weights (default false). */
  returned?: boolean;
  /** Keep reduced axes as size-1 dimensions. */
  keepdims?: boolean;
}

/**
 * The weighted mean over `axis`: `sum(a * w) / sum(w)`. With `returned`, the
 * pair `[average, sum of weights]`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.average(jnp.array([1, 2, 4]), { weights: jnp.array([1, 1, 2]) }).item(); // 2.75
 * const [avg, wsum] = jnp.average(jnp.array([1, 3]), { returned: true }); // avg 2, wsum 2
 * ```
 */
export function average(a: ArrayLike, o: AverageOptions & { returned: true }): [NDArray, NDArray];

/**
 * The weighted mean over `axis` (the overload without `returned`).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.average(jnp.array([[1, 2], [3, 4]]), { axis: 0 }).tolist(); // [2, 3]
 * ```
 */
export function average(a: ArrayLike, o?: AverageOptions): NDArray;

export function average(a: ArrayLike, o: AverageOptions = {}): NDArray | [NDArray, NDArray] {
  const red = { axis: o.axis, keepdims: o.keepdims };
  let avg: NDArray, wsum: NDArray;
  if (o.weights === undefined || o.weights === null) {
    const [x] = promoteFloat("average", a);
    avg = mean(x, red);
    const n = normAxes("average", o.axis, x.ndim).reduce((p, i) => p * x.shape[i], 1);
    wsum = lax.full(avg.shape, n, avg.dtype);
  } else {
    let [x, w] = promoteFloatDTypes(a, o.weights);
    if (x.shape.join() !== w.shape.join()) {
      const fix = "give weights of a's shape, or 1-d weights with a single axis";
      if (w.ndim !== 1) throw new ShapeError(`average: weights of shape ${fmtShape(w.shape)} do not fit a's; ${fix}`);
      if (o.axis === undefined || o.axis === null || Array.isArray(o.axis)) {
        throw new ShapeError(`average: 1-d weights need a single axis; ${fix}`);
      }
      const ax = normAxis("average", o.axis, x.ndim);
      if (w.shape[0] !== x.shape[ax]) {
        throw new ShapeError(`average: ${w.shape[0]} weights for axis ${ax} of length ${x.shape[ax]}`);
      }
      w = lax.broadcast_in_dim(w, x.shape, [ax]);
    }
    wsum = sum(w, red);
    avg = lax.div(sum(lax.mul(x, w), red), wsum);
  }
  return o.returned ? [avg, broadcastTo(wsum, avg.shape, "average")] : avg;
}

/**
 * Options of cov.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cov(jnp.array([[0, 2], [1, 1], [2, 0]]), { rowvar: false }).tolist(); // [[1, -1], [-1, 1]]
 * ```
 */
export interface CovOptions {
  /** More variables, stacked after `m`'s. */
  y?: ArrayLike | null;
  /** Rows are variables, columns observations (default true); false swaps them. */
  rowvar?: boolean;
  /** Normalize by `N` instead of `N - 1` (default false). */
  bias?: boolean;
  /** Overrides bias: the divisor is `N - ddof`. */
  ddof?: number | null;
  /** Integer repeat counts of the observations. */
  fweights?: ArrayLike | null;
  /** Weights of the observations. */
  aweights?: ArrayLike | null;
}

/** Observations as `[variables, observations]`. */
function observations(x: NDArray, rowvar: boolean, what: string): NDArray {
  if (x.ndim > 2) throw new ShapeError(`cov: ${what} has more than 2 dimensions (shape ${fmtShape(x.shape)})`);
  const X = x.ndim < 2 ? lax.reshape(x, [1, x.size]) : x;
  return !rowvar && X.shape[0] !== 1 ? lax.transpose(X, [1, 0]) : X;
}

function observationWeights(w: ArrayLike, n: number, what: string, dtype: DType): NDArray {
  const a = asArray(w);
  if (a.ndim !== 1 || a.shape[0] !== n) {
    throw new ShapeError(
      `cov: ${what} must be 1-d with one weight per observation (${n}), got shape ${fmtShape(a.shape)}`,
    );
  }
  if (what === "fweights" && !isInteger(a.dtype)) {
    throw new DTypeError(`cov: fweights must be integers, got ${a.dtype}; use aweights for fractional weights`);
  }
  return lax.abs(lax.convert_element_type(a, dtype));
}

/**
 * The covariance matrix of the variables in `m` (rows, unless `rowvar` is
 * false) and `y`; a 0-d array for a single variable.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cov(jnp.array([[0, 1, 2], [2, 1, 0]])).tolist(); // [[1, -1], [-1, 1]]
 * jnp.cov(jnp.array([1, 2, 4]), { bias: true }); // Array(1.5555555, dtype=float32)
 * ```
 */
export function cov(m: ArrayLike, o: CovOptions = {}): NDArray {
  const hasY = o.y !== undefined && o.y !== null;
  const arrs = hasY ? promoteFloatDTypes(m, o.y!) : promoteFloat("cov", m);
  const rowvar = o.rowvar ?? true;
  let X = observations(arrs[0], rowvar, "m");
  if (X.shape[0] === 0) return lax.full([0, 0], 0, X.dtype);
  if (hasY) {
    const Y = observations(arrs[1], rowvar, "y");
    if (Y.shape[1] !== X.shape[1]) {
      throw new ShapeError(`cov: m has ${X.shape[1]} observations and y ${Y.shape[1]}; give both the same number`);
    }
    X = lax.concatenate([X, Y], 0);
  }
  const ddof = o.ddof ?? (o.bias ? 0 : 1);
  const n = X.shape[1];
  const fw = o.fweights == null ? undefined : observationWeights(o.fweights, n, "fweights", X.dtype);
  const aw = o.aweights == null ? undefined : observationWeights(o.aweights, n, "aweights", X.dtype);
  const w = fw && aw ? lax.mul(fw, aw) : fw ?? aw;
  let avg: NDArray, f: NDArray;
  if (w === undefined) {
    avg = lax.reduce_sum(lax.div(X, c(X, n)), [1]);
    f = c(X, n - ddof);
  } else {
    const wsum = lax.reduce_sum(w, [0]);
    avg = lax.div(lax.reduce_sum(lax.mul(X, lax.broadcast_in_dim(w, X.shape, [1])), [1]), wsum);
    if (ddof === 0) f = wsum;
    else if (aw === undefined) f = lax.sub(wsum, c(X, ddof));
    else f = lax.sub(wsum, lax.div(lax.mul(c(X, ddof), lax.reduce_sum(lax.mul(w, aw), [0])), wsum));
  }
  const centered = lax.sub(X, lax.broadcast_in_dim(avg, X.shape, [0]));
  const weighted = w === undefined ? centered : lax.mul(centered, lax.broadcast_in_dim(w, X.shape, [1]));
  const out = lax.div(lax.dot(centered, lax.transpose(weighted, [1, 0])), f);
  return lax.reshape(out, out.shape.filter((d) => d !== 1));
}

/**
 * Pearson correlation coefficients (`cov` scaled to unit diagonal, clipped to [-1, 1]).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.corrcoef(jnp.array([1, 2, 3]), { y: jnp.array([3, 1, -1]) }).tolist(); // [[1, -1], [-1, 1]]
 * ```
 */
export function corrcoef(x: ArrayLike, o: { y?: ArrayLike | null; rowvar?: boolean } = {}): NDArray {
  const cv = cov(x, { y: o.y, rowvar: o.rowvar });
  if (cv.ndim === 0) return lax.div(cv, cv);
  const n = cv.shape[0];
  const i = lax.iota("int32", [n]);
  const std = lax.sqrt(lax.gather(cv, [i, i], [0, 1]));
  const r = lax.div(lax.div(cv, lax.broadcast_in_dim(std, cv.shape, [0])), lax.broadcast_in_dim(std, cv.shape, [1]));
  return lax.min(lax.max(r, c(r, -1)), c(r, 1));
}
