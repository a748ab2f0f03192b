/**
 * numpy's polynomial, interpolation, integration, convolution and binning
 * functions as lax composites: polyval, polyadd, polysub, polymul, polyder,
 * polyint, interp, trapezoid, convolve, correlate, digitize, bincount,
 * histogram and histogram_bin_edges. Re-exported by numeric.ts.
 *
 * @module
 */

import { type ArrayLike, ConcreteArray, type NDArray } from "../array.ts";
import { isInteger } from "../dtype.ts";
import { ConcretizationError, DTypeError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { add, divide, multiply, negative, remainder, where } from "./elementwise.ts";
import { sum } from "./reductions.ts";
import { moveaxis } from "./shape.ts";
import { searchsorted } from "./sorting.ts";
import { asArray, promoteDTypes, promoteFloat, promoteFloatDTypes, scalarLike as c } from "./util.ts";

/** Elements `start..stop` of the last axis. */
const along = (x: NDArray, start: number, stop: number) => lax.slice_in_dim(x, start, stop, 1, x.ndim - 1);

/** `x[i]` of a 1-d `x` as a 0-d array. */
const at = (x: NDArray, i: number) => lax.reshape(lax.slice_in_dim(x, i, i + 1), []);

/** Differences of neighbours along the last axis. */
const diffLast = (x: NDArray) => lax.sub(along(x, 1, x.shape[x.ndim - 1]), along(x, 0, x.shape[x.ndim - 1] - 1));

function oneD(op: string, what: string, x: NDArray): NDArray {
  if (x.ndim === 0) return lax.reshape(x, [1]);
  if (x.ndim !== 1) throw new ShapeError(`${op}: ${what} must be 1-d, got shape ${fmtShape(x.shape)}`);
  return x;
}

/**
 * The polynomial with coefficients `p` (highest power first) at `x`, by Horner's rule.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.polyval(jnp.array([3, 0, 1]), jnp.array([1, 2])).tolist(); // [4, 13]
 * ```
 */
export function polyval(p: ArrayLike, x: ArrayLike): NDArray {
  const [coef, at_] = promoteFloatDTypes(p, x);
  if (coef.ndim === 0) throw new ShapeError("polyval: p must have at least one dimension (the coefficients)");
  let y: NDArray = lax.full([], 0, coef.dtype);
  for (let i = 0; i < coef.shape[0]; i++) {
    const pi = lax.reshape(lax.slice_in_dim(coef, i, i + 1), coef.shape.slice(1));
    y = add(multiply(y, at_), pi);
  }
  return coef.shape[0] === 0 ? multiply(at_, 0) : y;
}

/**
 * The sum of two polynomials (coefficients highest power first).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.polyadd(jnp.array([1, 2]), jnp.array([10, 20, 30])).tolist(); // [10, 21, 32]
 * ```
 */
export function polyadd(a1: ArrayLike, a2: ArrayLike): NDArray {
  let [a, b] = promoteDTypes(a1, a2).map((x) => oneD("polyadd", "a polynomial", x));
  if (a.shape[0] < b.shape[0]) [a, b] = [b, a];
  return add(a, lax.pad(b, 0, [[a.shape[0] - b.shape[0], 0, 0]]));
}

/**
 * The difference of two polynomials.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.polysub(jnp.array([1, 2]), jnp.array([10, 20, 30])).tolist(); // [-10, -19, -28]
 * ```
 */
export function polysub(a1: ArrayLike, a2: ArrayLike): NDArray {
  return polyadd(a1, negative(a2));
}

/**
 * The product of two polynomials.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.polymul(jnp.array([1, 1]), jnp.array([1, -1])).tolist(); // [1, 0, -1]
 * ```
 */
export function polymul(a1: ArrayLike, a2: ArrayLike): NDArray {
  const [a, b] = promoteFloatDTypes(a1, a2).map((x) => {
    const v = oneD("polymul", "a polynomial", x);
    return v.shape[0] === 0 ? lax.full([1], 0, v.dtype) : v;
  });
  return convolve(a, b);
}

function order(op: string, m: number): number {
  if (!Number.isInteger(m) || m < 0) {
    throw new ValueError(`${op}: the order m must be a non-negative integer, got ${m}`);
  }
  return m;
}

/**
 * The `m`-th derivative (default 1) of a polynomial.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.polyder(jnp.array([1, 1, 1, 1])).tolist(); // [3, 2, 1]
 * jnp.polyder(jnp.array([1, 1, 1, 1]), { m: 2 }).tolist(); // [6, 2]
 * ```
 */
export function polyder(p: ArrayLike, o: { m?: number } = {}): NDArray {
  const m = order("polyder", o.m ?? 1);
  const a = oneD("polyder", "p", promoteFloat("polyder", p)[0]);
  const n = a.shape[0];
  if (m === 0) return a;
  const len = Math.max(n - m, 0);
  // The term of power k becomes k (k-1) ... (k-m+1) times the power k-m.
  const coef = Array.from({ length: len }, (_, j) => {
    let f = 1;
    for (let i = 0; i < m; i++) f *= n - 1 - j - i;
    return f;
  });
  return lax.mul(lax.slice_in_dim(a, 0, len), asArray(coef, a.dtype));
}

/**
 * The `m`-th antiderivative (default 1) of a polynomial, with integration
 * constants `k` (a scalar, or one per integration; default 0).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.polyint(jnp.array([3, 2, 1])).tolist(); // [1, 1, 1, 0]
 * jnp.polyint(jnp.array([6]), { m: 2, k: jnp.array([1, 2]) }).tolist(); // [3, 1, 2]
 * ```
 */
export function polyint(p: ArrayLike, o: { m?: number; k?: ArrayLike } = {}): NDArray {
  const m = order("polyint", o.m ?? 1);
  const [pa, ka] = promoteFloatDTypes(p, o.k ?? 0);
  const a = oneD("polyint", "p", pa);
  let k = ka.ndim === 0 ? lax.reshape(ka, [1]) : ka;
  if (k.ndim === 1 && k.shape[0] === 1) k = lax.broadcast_in_dim(lax.reshape(k, []), [m], []);
  if (k.ndim !== 1 || k.shape[0] !== m) {
    throw new ValueError(
      `polyint: k must be a scalar or a 1-d array of length 1 or m (${m}), got shape ${fmtShape(k.shape)}`,
    );
  }
  if (m === 0) return a;
  const total = a.shape[0] + m;
  const coef = Array.from({ length: total }, (_, t) => {
    let f = 1;
    for (let i = 0; i < m; i++) f *= Math.max(1, total - 1 - t - i);
    return f;
  });
  return lax.div(lax.concatenate([a, k], 0), asArray(coef, a.dtype));
}

/**
 * Options of interp.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.interp(jnp.array([-1, 5]), jnp.array([0, 1]), jnp.array([0, 10]), { left: -5, right: 99 }).tolist(); // [-5, 99]
 * ```
 */
export interface InterpOptions {
  /** The value below `xp[0]` (default `fp[0]`). */
  left?: ArrayLike;
  /** The value above `xp[-1]` (default `fp[-1]`). */
  right?: ArrayLike;
  /** A period of the x-coordinates: `xp` need not be sorted then, and left/right are unused. */
  period?: number | null;
}

/** np.spacing(finfo(dtype).eps): interp's threshold for coinciding sample points. */
const EPS_SPACING: Record<string, number> = { float16: 2 ** -20, float32: 2 ** -46, float64: 2 ** -104 };

/**
 * Piecewise-linear interpolation of the points `(xp, fp)` (xp increasing) at `x`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.interp(jnp.array([0.5, 1.5, 3]), jnp.array([0, 1, 2]), jnp.array([0, 10, 0])).tolist(); // [5, 5, 0]
 * ```
 */
export function interp(x: ArrayLike, xp: ArrayLike, fp: ArrayLike, o: InterpOptions = {}): NDArray {
  let [xa, xs, fs] = promoteFloatDTypes(x, xp, fp);
  if (xs.ndim !== 1 || xs.shape.join() !== fs.shape.join()) {
    throw new ShapeError(
      `interp: xp and fp must be 1-d arrays of one length, got shapes ${fmtShape(xs.shape)} and ${fmtShape(fs.shape)}`,
    );
  }
  if (xs.shape[0] === 0) throw new ValueError("interp: xp and fp are empty; give at least one sample point");
  if (o.period !== undefined && o.period !== null) {
    const period = Math.abs(o.period);
    if (!(period > 0)) throw new ValueError(`interp: period must be a nonzero number, got ${o.period}`);
    [xa, xs] = [remainder(xa, period), remainder(xs, period)];
    [xs, fs] = lax.sort_key_val(xs, fs);
    const n = xs.shape[0];
    xs = lax.concatenate([along(lax.sub(xs, c(xs, period)), n - 1, n), xs, along(lax.add(xs, c(xs, period)), 0, 1)], 0);
    fs = lax.concatenate([along(fs, n - 1, n), fs, along(fs, 0, 1)], 0);
  }
  const n = xs.shape[0];
  const int = (v: number) => lax.full([], v, "int32");
  const hi = lax.min(lax.max(searchsorted(xs, xa, { side: "right" }), int(1)), int(Math.max(n - 1, 0)));
  const lo = lax.max(lax.sub(hi, int(1)), int(0));
  const take = (v: NDArray, i: NDArray) => lax.gather(v, [i], [0]);
  const [f0, x0] = [take(fs, lo), take(xs, lo)];
  const dx = lax.sub(take(xs, hi), x0);
  const df = lax.sub(take(fs, hi), f0);
  // Coinciding points take the left value (and keep gradients finite).
  const dx0 = lax.le(lax.abs(dx), c(dx, EPS_SPACING[dx.dtype]));
  const safeDx = lax.select(dx0, lax.full(dx.shape, 1, dx.dtype), dx);
  let f = lax.select(dx0, f0, lax.add(f0, lax.mul(lax.div(lax.sub(xa, x0), safeDx), df)));
  if (o.period === undefined || o.period === null) {
    f = where(lax.lt(xa, at(xs, 0)), o.left ?? at(fs, 0), f);
    f = where(lax.gt(xa, at(xs, n - 1)), o.right ?? at(fs, n - 1), f);
  }
  return f;
}

/**
 * Options of trapezoid.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.trapezoid(jnp.array([[0, 1], [2, 3]]), { axis: 0, dx: 2 }).tolist(); // [2, 4]
 * ```
 */
export interface TrapezoidOptions {
  /** Sample points (1-d along `axis`, or of `y`'s shape); spacing `dx` when omitted. */
  x?: ArrayLike | null;
  /** The spacing of the samples when `x` is omitted (default 1). */
  dx?: ArrayLike;
  /** The axis to integrate along (default -1). */
  axis?: number;
}

/**
 * Integrates `y` along `axis` by the trapezoidal rule.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.trapezoid(jnp.array([1, 2, 3])).item(); // 4
 * jnp.trapezoid(jnp.array([1, 2, 3]), { x: jnp.array([0, 1, 3]) }).item(); // 6.5
 * ```
 */
export function trapezoid(y: ArrayLike, o: TrapezoidOptions = {}): NDArray {
  const axis = o.axis ?? -1;
  let ya: NDArray, dx: NDArray;
  if (o.x !== undefined && o.x !== null) {
    let xa: NDArray;
    [ya, xa] = promoteFloatDTypes(y, o.x);
    dx = xa.ndim === 1 ? diffLast(xa) : diffLast(moveaxis(xa, axis, -1));
  } else {
    [ya, dx] = promoteFloatDTypes(y, o.dx ?? 1);
  }
  if (ya.ndim === 0) throw new ShapeError("trapezoid: y must have at least one dimension");
  ya = moveaxis(ya, axis, -1);
  const n = ya.shape[ya.ndim - 1];
  const heights = lax.add(along(ya, 1, n), along(ya, 0, Math.max(n - 1, 0)));
  return lax.mul(sum(multiply(dx, heights), { axis: -1 }), c(ya, 0.5));
}

/** How much of the full convolution convolve and correlate return. */
export type ConvolveMode = "full" | "same" | "valid";

/** Sliding dot products of 1-d arrays (cross-correlation, or convolution with the kernel flipped). */
function conv(op: "convolve" | "correlate", a: ArrayLike, v: ArrayLike, mode: ConvolveMode): NDArray {
  let [x, y] = promoteFloatDTypes(a, v);
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new ShapeError(
      `${op}: only 1-d inputs are supported, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`,
    );
  }
  if (x.size === 0 || y.size === 0) {
    throw new ValueError(`${op}: inputs cannot be empty, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  if (mode !== "full" && mode !== "same" && mode !== "valid") {
    throw new ValueError(`${op}: mode must be "full", "same" or "valid", got ${JSON.stringify(mode)}`);
  }
  // The longer array slides under the shorter; correlate then reads its result backwards (as numpy).
  let reverse = false;
  if (x.shape[0] < y.shape[0]) [x, y, reverse] = [y, x, op === "correlate"];
  if (op === "convolve") y = lax.rev(y, [0]);
  const k = y.shape[0];
  const [lo, hi] = mode === "valid" ? [0, 0] : mode === "same" ? [k >> 1, k - (k >> 1) - 1] : [k - 1, k - 1];
  const padded = lax.pad(x, 0, [[lo, hi, 0]]);
  const nOut = padded.shape[0] - k + 1;
  const windows = lax.gather(padded, [lax.add(lax.iota("int32", [nOut, k], 0), lax.iota("int32", [nOut, k], 1))], [0]);
  const out = lax.dot(windows, y);
  return reverse ? lax.rev(out, [0]) : out;
}

/**
 * The discrete convolution of two 1-d arrays; `mode` (default "full")
 * keeps all `n + m - 1` values, "same" the middle `max(n, m)`, "valid"
 * those where the arrays overlap fully.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.convolve(jnp.array([1, 2, 3]), jnp.array([0, 1, 0.5])).tolist(); // [0, 1, 2.5, 4, 1.5]
 * jnp.convolve(jnp.array([1, 2, 3]), jnp.array([0, 1, 0.5]), { mode: "same" }).tolist(); // [1, 2.5, 4]
 * ```
 */
export function convolve(a: ArrayLike, v: ArrayLike, o: { mode?: ConvolveMode } = {}): NDArray {
  return conv("convolve", a, v, o.mode ?? "full");
}

/**
 * The cross-correlation of two 1-d arrays, `sum_n a[n + k] v[n]`; `mode`
 * as convolve's, default "valid".
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.correlate(jnp.array([1, 2, 3]), jnp.array([0, 1, 0.5])).tolist(); // [3.5]
 * jnp.correlate(jnp.array([1, 2, 3]), jnp.array([0, 1, 0.5]), { mode: "full" }).tolist(); // [0.5, 2, 3.5, 3, 0]
 * ```
 */
export function correlate(a: ArrayLike, v: ArrayLike, o: { mode?: ConvolveMode } = {}): NDArray {
  return conv("correlate", a, v, o.mode ?? "valid");
}

/**
 * The index of the bin of `bins` (increasing or decreasing) each `x` falls
 * in (int32): `bins[i-1] <= x < bins[i]`, or `bins[i-1] < x <= bins[i]` with `right`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.digitize(jnp.array([0.2, 6.4, 3.0, 1.6]), jnp.array([0, 1, 2.5, 4, 10])).tolist(); // [1, 4, 3, 2]
 * jnp.digitize(jnp.array([1, 2]), jnp.array([1, 2]), { right: true }).tolist(); // [0, 1]
 * ```
 */
export function digitize(x: ArrayLike, bins: ArrayLike, o: { right?: boolean } = {}): NDArray {
  const [xa, b] = promoteDTypes(x, bins);
  if (b.ndim !== 1) throw new ShapeError(`digitize: bins must be 1-d, got shape ${fmtShape(b.shape)}`);
  const n = b.shape[0];
  if (n === 0) return lax.full(xa.shape, 0, "int32");
  const side = o.right ? "left" : "right";
  const increasing = searchsorted(b, xa, { side });
  const decreasing = lax.sub(lax.full([], n, "int32"), searchsorted(lax.rev(b, [0]), xa, { side }));
  return where(lax.ge(at(b, n - 1), at(b, 0)), increasing, decreasing);
}

/**
 * Options of bincount.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.bincount(jnp.array([0, 1, 1], { dtype: "int32" }), { weights: jnp.array([0.5, 1, 2]), minlength: 3 }).tolist();
 * // [0.5, 3, 0]
 * ```
 */
export interface BincountOptions {
  /** Weights of the elements of x (default 1 each, int32 counts). */
  weights?: ArrayLike | null;
  /** The least number of bins (default 0). */
  minlength?: number;
  /** The exact number of bins (larger values are dropped); needed under jit and vmap. */
  length?: number;
}

/**
 * Counts of each value `0..length-1` in a 1-d non-negative integer array
 * (negatives count as 0, as JAX). Without `length` the count is read from
 * the largest value, which needs a concrete `x`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.bincount(jnp.array([1, 3, 1, 0], { dtype: "int32" })).tolist(); // [1, 2, 0, 1]
 * jnp.bincount(jnp.array([1, 3, 1, 0], { dtype: "int32" }), { length: 2 }).tolist(); // [1, 2]
 * ```
 */
export function bincount(x: ArrayLike, o: BincountOptions = {}): NDArray {
  let a = asArray(x);
  if (a.dtype === "bool") a = lax.convert_element_type(a, "int32");
  if (!isInteger(a.dtype)) {
    throw new DTypeError(`bincount: x must be integers, got ${a.dtype}; convert with astype("int32")`);
  }
  if (a.ndim !== 1) throw new ShapeError(`bincount: x must be 1-d, got shape ${fmtShape(a.shape)}`);
  const minlength = o.minlength ?? 0;
  if (!Number.isInteger(minlength) || minlength < 0) {
    throw new ValueError(`bincount: minlength must be a non-negative integer, got ${minlength}`);
  }
  let length = o.length;
  if (length === undefined) {
    if (!(a instanceof ConcreteArray)) {
      throw new ConcretizationError(
        "bincount: x is traced (inside jit, vmap or grad), so the number of bins is unknown; " +
          "pass it as a static option, e.g. jnp.bincount(x, { length: 10 })",
      );
    }
    length = Math.max(minlength, a.size ? Math.max(...a.dataSync()) + 1 : 0);
  }
  if (!Number.isInteger(length) || length < 0) {
    throw new ValueError(`bincount: length must be a non-negative integer, got ${length}`);
  }
  let w = o.weights === undefined || o.weights === null ? lax.full(a.shape, 1, "int32") : asArray(o.weights);
  if (w.shape.join() !== a.shape.join()) {
    throw new ShapeError(`bincount: weights of shape ${fmtShape(w.shape)} must have x's shape ${fmtShape(a.shape)}`);
  }
  if (w.dtype === "bool") w = lax.convert_element_type(w, "int32");
  const idx = lax.convert_element_type(lax.max(a, c(a, 0)), "int32");
  return lax.scatter_add(lax.full([length], 0, w.dtype), [idx], w, [0]);
}

/**
 * Options of histogram and histogram_bin_edges.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.histogram_bin_edges(jnp.array([1, 2]), { bins: 2, range: [0, 4] }).tolist(); // [0, 2, 4]
 * ```
 */
export interface HistogramOptions {
  /** The number of equal bins (default 10), or the bin edges (1-d, increasing). */
  bins?: number | ArrayLike;
  /** `[lo, hi]` for equal bins (default `[min(a), max(a)]`). */
  range?: ArrayLike | null;
  /** Weights of the elements of `a` (histogram only; default 1 each). */
  weights?: ArrayLike | null;
  /** Normalize to a probability density over the bins (histogram only). */
  density?: boolean;
}

function binEdges(op: string, a: NDArray, bins: number | ArrayLike, range: ArrayLike | null | undefined): NDArray {
  if (typeof bins !== "number") {
    const b = asArray(bins, a.dtype, op);
    if (b.ndim === 1) return b;
    if (b.ndim !== 0) throw new ShapeError(`${op}: bins must be a count or 1-d edges, got shape ${fmtShape(b.shape)}`);
    bins = b.item();
  }
  if (!Number.isInteger(bins) || bins < 1) throw new ValueError(`${op}: bins must be a positive integer, got ${bins}`);
  let lo: NDArray, hi: NDArray;
  if (range === undefined || range === null) {
    const empty = a.size === 0;
    lo = empty ? c(a, 0) : lax.reduce_min(a, [...a.shape.keys()]);
    hi = empty ? c(a, 1) : lax.reduce_max(a, [...a.shape.keys()]);
  } else {
    const r = asArray(range, a.dtype, op);
    if (r.shape.join() !== "2") throw new ShapeError(`${op}: range must be [lo, hi], got shape ${fmtShape(r.shape)}`);
    [lo, hi] = [at(r, 0), at(r, 1)];
  }
  const same = lax.eq(lo, hi);
  [lo, hi] = [lax.select(same, lax.sub(lo, c(a, 0.5)), lo), lax.select(same, lax.add(hi, c(a, 0.5)), hi)];
  const i = lax.iota(a.dtype, [bins + 1]);
  const edges = lax.add(lax.mul(i, lax.div(lax.sub(hi, lo), c(a, bins))), lo);
  return lax.select(lax.eq(i, c(a, bins)), lax.broadcast_in_dim(hi, [bins + 1], []), edges);
}

/**
 * The bin edges histogram uses: `bins + 1` equal steps over `range`
 * (widened by 0.5 on each side when empty), or the given edges.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.histogram_bin_edges(jnp.array([1, 2, 5]), { bins: 4 }).tolist(); // [1, 2, 3, 4, 5]
 * ```
 */
export function histogram_bin_edges(a: ArrayLike, o: Omit<HistogramOptions, "density"> = {}): NDArray {
  const [x] = promoteFloat("histogram_bin_edges", a);
  return binEdges("histogram_bin_edges", x, o.bins ?? 10, o.range);
}

/**
 * Counts (or summed weights, or a density) of `a`'s elements in each bin,
 * and the bin edges: `[hist, bin_edges]`. Bins are `[lo, hi)` except the
 * last, `[lo, hi]`; elements outside are left out.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [hist, edges] = jnp.histogram(jnp.array([1, 2, 1, 4]), { bins: 3 });
 * hist.tolist(); // [2, 1, 1]
 * edges.tolist(); // [1, 2, 3, 4]
 * ```
 */
export function histogram(a: ArrayLike, o: HistogramOptions = {}): [NDArray, NDArray] {
  let x: NDArray, w: NDArray;
  if (o.weights === undefined || o.weights === null) {
    [x] = promoteFloat("histogram", a);
    w = lax.full(x.shape, 1, x.dtype);
  } else {
    [x, w] = promoteFloatDTypes(a, o.weights);
    if (x.shape.join() !== w.shape.join()) {
      throw new ShapeError(`histogram: weights of shape ${fmtShape(w.shape)} must have a's shape ${fmtShape(x.shape)}`);
    }
  }
  const edges = lax.convert_element_type(binEdges("histogram", x, o.bins ?? 10, o.range), x.dtype);
  const [flat, wf] = [lax.reshape(x, [x.size]), lax.reshape(w, [w.size])];
  const ne = edges.shape[0];
  let idx = searchsorted(edges, flat, { side: "right" });
  idx = lax.select(lax.eq(flat, at(edges, ne - 1)), lax.full(idx.shape, ne - 1, "int32"), idx);
  // Bin 0 holds what lies below the first edge and index ne (dropped) what lies above the last.
  let counts = lax.slice_in_dim(lax.scatter_add(lax.full([ne], 0, w.dtype), [idx], wf, [0]), 1, ne);
  if (o.density) counts = divide(lax.div(counts, diffLast(edges)), lax.reduce_sum(counts, [0]));
  return [counts, edges];
}
