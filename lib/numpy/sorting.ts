/**
 * Sorting and order statistics on lax.sort: sort, argsort, searchsorted,
 * take_along_axis, median, quantile, percentile, and their nan-ignoring
 * forms. Floats sort in JAX's order: NaNs last, -0 equal to 0.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { defaultFloat, isFloat } from "../dtype.ts";
import { ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { normAxes, normAxis } from "../shape.ts";
import { asArray, promoteDTypes } from "./util.ts";

/**
 * Options of sort and argsort.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sort(jnp.array([[3, 1], [0, 2]]), { axis: 0, descending: true }); // [[3, 2], [0, 1]]
 * ```
 */
export interface SortOptions {
  /** The axis to sort along (default -1); null sorts the flattened array. */
  axis?: number | null;
  /** Keep equal elements in their original order (default true; always so here). */
  stable?: boolean;
  /** Largest first (default false). */
  descending?: boolean;
}

function prepare(x: ArrayLike, o: SortOptions | undefined, op: string): [NDArray, number] {
  let a = asArray(x);
  if (o?.axis === null) a = lax.reshape(a, [a.size]);
  if (a.ndim === 0) throw new ShapeError(`${op}: needs an array of rank at least 1, got a 0-d array`);
  return [a, normAxis(op, o?.axis ?? -1, a.ndim)];
}

/**
 * A sorted copy along `axis` (NaNs last).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sort(jnp.array([3, 1, NaN, 2])).tolist(); // [1, 2, 3, NaN]
 * ```
 */
export function sort(x: ArrayLike, o?: SortOptions): NDArray {
  const [a, axis] = prepare(x, o, "sort");
  const s = lax.sort(a, { dimension: axis }) as NDArray;
  return o?.descending ? lax.rev(s, [axis]) : s;
}

/**
 * The indices (int32) that sort `x` along `axis`; equal elements keep their
 * order, also when descending.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.argsort(jnp.array([3, 1, 2])).tolist(); // [1, 2, 0]
 * jnp.argsort(jnp.array([1, 3, 3]), { descending: true }).tolist(); // [1, 2, 0]
 * ```
 */
export function argsort(x: ArrayLike, o?: SortOptions): NDArray {
  let [a, axis] = prepare(x, o, "argsort");
  let iota = lax.iota("int32", a.shape, axis);
  // As JAX: reversed before and after, so a descending sort keeps equal elements in order.
  if (o?.descending) [a, iota] = [lax.rev(a, [axis]), lax.rev(iota, [axis])];
  const [, idx] = lax.sort_key_val(a, iota, axis);
  return o?.descending ? lax.rev(idx, [axis]) : idx;
}

/**
 * Picks values of `x` along `axis` at `indices` of the same rank (broadcast
 * against `x` in the other axes), as `argsort`'s result is used.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.array([[3, 1, 2], [0, 5, 4]]);
 * jnp.take_along_axis(x, jnp.argsort(x, { axis: 1 }), 1).tolist(); // [[1, 2, 3], [0, 4, 5]]
 * ```
 */
export function take_along_axis(x: ArrayLike, indices: ArrayLike, axis: number | null): NDArray {
  let a = asArray(x);
  let idx = asArray(indices, "int32");
  if (axis === null) [a, idx] = [lax.reshape(a, [a.size]), lax.reshape(idx, [idx.size])];
  const ax = normAxis("take_along_axis", axis ?? 0, a.ndim);
  if (idx.ndim !== a.ndim) {
    throw new ShapeError(
      `take_along_axis: indices must have the array's rank ${a.ndim}, got rank ${idx.ndim}`,
    );
  }
  const shape = a.shape.map((d, i) => {
    if (i === ax) return idx.shape[i];
    const e = idx.shape[i];
    if (d !== e && d !== 1 && e !== 1) {
      throw new ShapeError(`take_along_axis: axis ${i} of the indices (${e}) does not broadcast against ${d}`);
    }
    return Math.max(d, e);
  });
  const n = a.shape[ax];
  // Negative indices count from the end, as numpy's.
  idx = lax.select_n(lax.lt(idx, 0), idx, lax.add(idx, n));
  idx = lax.broadcast_in_dim(idx, shape, [...idx.shape.keys()]);
  const src = shape.map((_, i) => (i === ax ? idx : lax.iota("int32", shape, i)));
  const base = lax.broadcast_in_dim(a, a.shape.map((d, i) => (i === ax ? d : shape[i])), [...a.shape.keys()]);
  return lax.gather(base, src, [...shape.keys()]);
}

/**
 * Where `v` would be inserted into the sorted 1-d `a` to keep it sorted
 * (int32): before equal elements (`side: "left"`, the default) or after
 * (`"right"`). NaNs sort last.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.searchsorted(jnp.array([1, 2, 2, 3]), jnp.array([2, 0, 5])).tolist(); // [1, 0, 4]
 * jnp.searchsorted(jnp.array([1, 2, 2, 3]), 2, { side: "right" }).item(); // 3
 * ```
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, o?: { side?: "left" | "right" }): NDArray {
  const [s, q] = promoteDTypes(a, v);
  if (s.ndim !== 1) throw new ShapeError(`searchsorted: a must be 1-d, got shape (${s.shape})`);
  const side = o?.side ?? "left";
  if (side !== "left" && side !== "right") throw new ValueError(`searchsorted: side must be "left" or "right"`);
  const [sa, qa] = [lax.reshape(s, [...q.shape.map(() => 1), s.size]), lax.expand_dims(q, [q.ndim])];
  const [x, y] = side === "left" ? [sa, qa] : [qa, sa];
  // left counts a[i] < v, right counts a[i] <= v (= !(v < a[i])), both in the NaN-last order.
  let less = lax.lt(x, y);
  if (isFloat(x.dtype) || isFloat(y.dtype)) less = lax.or(less, lax.and(lax.ne(y, y), lax.eq(x, x)));
  const hit = side === "left" ? less : lax.not(less);
  return lax.reduce_sum(lax.convert_element_type(hit, "int32"), [q.ndim]);
}

/**
 * Options of quantile, percentile and median.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.quantile(jnp.array([[1, 2], [3, 4]]), 0.5, { axis: 0, keepdims: true }); // [[2, 3]]
 * ```
 */
export interface QuantileOptions {
  /** Axis or axes to reduce; all when omitted or null. */
  axis?: number | number[] | null;
  /** Keep reduced axes as size-1 dimensions. */
  keepdims?: boolean;
  /** How a quantile between two elements is chosen: "linear" (default), "lower", "higher", "midpoint", "nearest". */
  method?: "linear" | "lower" | "higher" | "midpoint" | "nearest";
}

const METHODS = ["linear", "lower", "higher", "midpoint", "nearest"];

function quantileOf(x: ArrayLike, qs: ArrayLike, o: QuantileOptions | undefined, op: string, nan: boolean): NDArray {
  let a = asArray(x);
  if (!isFloat(a.dtype)) a = lax.convert_element_type(a, defaultFloat());
  const method = o?.method ?? "linear";
  if (!METHODS.includes(method)) throw new ValueError(`${op}: method must be one of ${METHODS.join(", ")}`);
  const axes = normAxes(op, o?.axis, a.ndim);
  const keep = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  // The reduced axes, flattened last.
  const moved = lax.transpose(a, [...keep, ...axes]);
  const n = axes.reduce((p, i) => p * a.shape[i], 1);
  if (n === 0) throw new ValueError(`${op}: the reduced axes are empty`);
  const flat = lax.reshape(moved, [...keep.map((i) => a.shape[i]), n]);
  const sorted = lax.sort(flat, { dimension: flat.ndim - 1 }) as NDArray;
  const q = lax.convert_element_type(asArray(qs), a.dtype);
  // Per slice: how many values take part (the non-NaN ones when ignoring NaNs), and the position.
  const count = nan
    ? lax.convert_element_type(
      lax.reduce_sum(lax.convert_element_type(lax.eq(flat, flat), "int32"), [flat.ndim - 1]),
      a.dtype,
    )
    : lax.full(sorted.shape.slice(0, -1), n, a.dtype);
  const qb = lax.reshape(q, [...q.shape, ...count.shape.map(() => 1)]);
  const cb = lax.reshape(count, [...q.shape.map(() => 1), ...count.shape]);
  const pos = lax.mul(qb, lax.sub(cb, 1));
  const lo = lax.max(lax.floor(pos), lax.full([], 0, a.dtype));
  const hi = lax.min(lax.ceil(pos), lax.max(lax.sub(cb, 1), lax.full([], 0, a.dtype)));
  const at = (p: NDArray) => {
    const shape = [...q.shape, ...sorted.shape.slice(0, -1)];
    const idx = lax.broadcast_in_dim(lax.convert_element_type(p, "int32"), [...shape, 1], [...shape.keys()]);
    const src = lax.broadcast_in_dim(sorted, [...shape, n], [...Array(sorted.ndim).keys()].map((i) => i + q.ndim));
    return lax.reshape(take_along_axis(src, idx, shape.length), shape);
  };
  const [vlo, vhi] = [at(lo), at(hi)];
  const frac = lax.sub(pos, lo);
  let r: NDArray;
  if (method === "lower") r = vlo;
  else if (method === "higher") r = vhi;
  else if (method === "midpoint") r = lax.mul(lax.add(vlo, vhi), 0.5);
  else if (method === "nearest") r = at(lax.round(pos, 1));
  else r = lax.add(vlo, lax.mul(lax.sub(vhi, vlo), frac));
  // A NaN in a slice makes its quantiles NaN (nanquantile: only an all-NaN slice does).
  const bad = nan ? lax.eq(cb, 0) : lax.reshape(lax.reduce_max(lax.ne(flat, flat), [flat.ndim - 1]), cb.shape);
  r = lax.select_n(lax.broadcast_in_dim(bad, r.shape, [...bad.shape.keys()]), r, lax.full(r.shape, NaN, a.dtype));
  if (o?.keepdims) r = lax.reshape(r, [...q.shape, ...a.shape.map((d, i) => (axes.includes(i) ? 1 : d))]);
  return r;
}

/**
 * The `q`-th quantiles (q in [0, 1], a number or an array whose shape leads
 * the result's) over `axis`; NaN where a slice holds a NaN.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.quantile(jnp.array([1, 2, 3, 4]), 0.25).item(); // 1.75
 * jnp.quantile(jnp.array([1, 2, 3, 4]), jnp.array([0, 1])).tolist(); // [1, 4]
 * ```
 */
export function quantile(x: ArrayLike, q: ArrayLike, o?: QuantileOptions): NDArray {
  return quantileOf(x, q, o, "quantile", false);
}

/**
 * quantile ignoring NaNs (NaN only where a slice is all NaN).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanquantile(jnp.array([1, NaN, 3]), 0.5).item(); // 2
 * ```
 */
export function nanquantile(x: ArrayLike, q: ArrayLike, o?: QuantileOptions): NDArray {
  return quantileOf(x, q, o, "nanquantile", true);
}

/**
 * The `q`-th percentiles (q in [0, 100]) over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.percentile(jnp.array([1, 2, 3, 4, 5]), 50).item(); // 3
 * ```
 */
export function percentile(x: ArrayLike, q: ArrayLike, o?: QuantileOptions): NDArray {
  return quantileOf(x, lax.div(asArray(q, defaultFloat()), 100), o, "percentile", false);
}

/**
 * percentile ignoring NaNs.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanpercentile(jnp.array([1, NaN, 3]), 100).item(); // 3
 * ```
 */
export function nanpercentile(x: ArrayLike, q: ArrayLike, o?: QuantileOptions): NDArray {
  return quantileOf(x, lax.div(asArray(q, defaultFloat()), 100), o, "nanpercentile", true);
}

/**
 * The median over `axis` (the mean of the two middle values of an even count).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.median(jnp.array([3, 1, 4, 2])).item(); // 2.5
 * ```
 */
export function median(x: ArrayLike, o?: Omit<QuantileOptions, "method">): NDArray {
  return quantileOf(x, 0.5, o, "median", false);
}

/**
 * median ignoring NaNs.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nanmedian(jnp.array([3, NaN, 1])).item(); // 2
 * ```
 */
export function nanmedian(x: ArrayLike, o?: Omit<QuantileOptions, "method">): NDArray {
  return quantileOf(x, 0.5, o, "nanmedian", true);
}
