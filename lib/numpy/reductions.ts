/**
 * Reductions with numpy's `axis` / `keepdims`: sum, mean, var, std, max, min,
 * prod, argmax, argmin, any, all, and the cumulative cumsum / cumprod.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { defaultFloat, type DType, isFloat, parseDType } from "../dtype.ts";
import { ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { normAxes, normAxis } from "../shape.ts";
import { asArray, type DTypeLike } from "./util.ts";

/**
 * Options of the reductions.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sum(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 0, keepdims: true });
 * // Array([[5., 8., 8.]], dtype=float32)
 * ```
 */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when omitted or null. */
  axis?: number | number[] | null;
  /** Keep reduced axes as size-1 dimensions. */
  keepdims?: boolean;
  /** Accumulation/result dtype. */
  dtype?: DTypeLike;
}

function finish(y: NDArray, x: NDArray, axes: number[], keepdims?: boolean): NDArray {
  if (!keepdims) return y;
  return lax.reshape(y, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

function reduce(
  name: string,
  x: ArrayLike,
  o: ReduceOptions | undefined,
  f: (a: NDArray, axes: number[]) => NDArray,
  cast?: (d: DType) => DType,
): NDArray {
  let a = asArray(x);
  const axes = normAxes(name, o?.axis, a.ndim);
  const target = o?.dtype !== undefined ? parseDType(o.dtype, name) : cast?.(a.dtype);
  if (target && target !== a.dtype) a = lax.convert_element_type(a, target, a.weakType);
  return finish(f(a, axes), a, axes, o?.keepdims);
}

const sumType = (d: DType): DType => (d === "bool" ? "int32" : d);

/**
 * Sum of elements over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sum(jnp.array([[1, 2], [3, 4]]), { axis: 0 }).tolist(); // [4, 6]
 * ```
 */
export function sum(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("sum", x, o, lax.reduce_sum, sumType);
}

/**
 * Product of elements over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.prod(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 1 }); // Array([10., 72.], dtype=float32)
 * ```
 */
export function prod(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("prod", x, o, lax.reduce_prod, sumType);
}

function nonEmpty(name: string) {
  return (a: NDArray, axes: number[]) => {
    if (axes.some((i) => a.shape[i] === 0)) {
      throw new ValueError(`${name}: zero-size array to reduction operation ${name} which has no identity`);
    }
  };
}

/**
 * Maximum over `axis` (nan if any element is nan).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.max(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 0 }); // Array([4., 5., 6.], dtype=float32)
 * ```
 */
export function max(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("max", x, o, (a, axes) => (nonEmpty("max")(a, axes), lax.reduce_max(a, axes)));
}
/**
 * Minimum over `axis` (nan if any element is nan).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.min(jnp.array([[1, 5, 2], [4, 3, 6]])); // Array(1., dtype=float32)
 * ```
 */
export function min(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("min", x, o, (a, axes) => (nonEmpty("min")(a, axes), lax.reduce_min(a, axes)));
}
/**
 * Alias of max.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.amax(jnp.array([[1, 5, 2], [4, 3, 6]])); // Array(6., dtype=float32)
 * ```
 */
export const amax: typeof max = max;
/**
 * Alias of min.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.amin(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 1 }); // Array([1., 3.], dtype=float32)
 * ```
 */
export const amin: typeof min = min;

/**
 * Whether any element is true, over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.any(jnp.array([0, 0, 1]).gt(0)); // Array(True, dtype=bool)
 * ```
 */
export function any(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("any", x, { ...o, dtype: undefined }, (a, axes) => lax.reduce_max(a, axes), () => "bool");
}
/**
 * Whether all elements are true, over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.all(jnp.array([1, 2, 3]).gt(0)); // Array(True, dtype=bool)
 * ```
 */
export function all(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("all", x, { ...o, dtype: undefined }, (a, axes) => lax.reduce_min(a, axes), () => "bool");
}

const floatType = (d: DType): DType => (isFloat(d) ? d : defaultFloat());

/**
 * Mean over `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.mean(jnp.array([1, 2, 3, 4])).item(); // 2.5
 * ```
 */
export function mean(x: ArrayLike, o?: ReduceOptions): NDArray {
  return reduce("mean", x, o, (a, axes) => {
    const n = axes.reduce((p, i) => p * a.shape[i], 1);
    return lax.div(lax.reduce_sum(a, axes), lax.full([], n, a.dtype));
  }, floatType);
}

/**
 * Options of var and std.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.var(jnp.array([1, 2, 3, 4]), { ddof: 1 }); // Array(1.6666666, dtype=float32)
 * ```
 */
export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is `n - ddof` (default 0). */
  ddof?: number;
}

/**
 * Variance over `axis` (`ddof` as numpy).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.variance(jnp.array([1, 2, 3, 4])); // Array(1.25, dtype=float32)
 * ```
 */
export function variance(x: ArrayLike, o?: VarOptions): NDArray {
  return reduce("var", x, o, (a, axes) => {
    const n = axes.reduce((p, i) => p * a.shape[i], 1);
    const m = lax.div(lax.reduce_sum(a, axes), lax.full([], n, a.dtype));
    const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const centered = lax.sub(a, lax.broadcast_in_dim(m, a.shape, kept));
    const ss = lax.reduce_sum(lax.integer_pow(centered, 2), axes);
    return lax.div(ss, lax.full([], Math.max(0, n - (o?.ddof ?? 0)), a.dtype));
  }, floatType);
}
export { variance as var };

/**
 * Standard deviation over `axis` (`ddof` as numpy).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.std(jnp.array([1, 2, 3, 4])); // Array(1.118034, dtype=float32)
 * ```
 */
export function std(x: ArrayLike, o?: VarOptions): NDArray {
  return lax.sqrt(variance(x, o));
}

/**
 * Options of argmax/argmin.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.argmax(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 1 }); // Array([1, 2], dtype=int32)
 * ```
 */
export interface ArgOptions {
  /** The axis; the flattened array when omitted. */
  axis?: number | null;
  /** Keep the reduced axis with size 1. */
  keepdims?: boolean;
}

function arg(name: "argmax" | "argmin", x: ArrayLike, o?: ArgOptions): NDArray {
  let a = asArray(x);
  let axis: number;
  const flat = o?.axis === undefined || o.axis === null;
  if (flat) {
    a = lax.reshape(a, [a.size]);
    axis = 0;
  } else axis = normAxis(name, o!.axis!, a.ndim);
  if (a.shape[axis] === 0) throw new ValueError(`${name}: attempt to get ${name} of an empty sequence`);
  const f = name === "argmax" ? lax.argmax : lax.argmin;
  const r = f(a.dtype === "bool" ? lax.convert_element_type(a, "int32") : a, axis);
  if (!o?.keepdims) return r;
  const orig = asArray(x);
  return lax.reshape(r, flat ? orig.shape.map(() => 1) : orig.shape.map((d, i) => (i === axis ? 1 : d)));
}
/**
 * Index of the maximum (first one on ties and nan).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.argmax(jnp.array([[1, 5, 2], [4, 3, 6]])); // Array(5, dtype=int32)
 * ```
 */
export function argmax(x: ArrayLike, o?: ArgOptions): NDArray {
  return arg("argmax", x, o);
}
/**
 * Index of the minimum (first one on ties and nan).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.argmin(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 0 }); // Array([0, 1, 0], dtype=int32)
 * ```
 */
export function argmin(x: ArrayLike, o?: ArgOptions): NDArray {
  return arg("argmin", x, o);
}

/**
 * Options of the cumulative reductions.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cumsum(jnp.array([[1, 5, 2], [4, 3, 6]]), { axis: 1 });
 * // Array([[ 1.,  6.,  8.],
 * //        [ 4.,  7., 13.]], dtype=float32)
 * ```
 */
export interface CumOptions {
  /** The axis; the flattened array when omitted. */
  axis?: number | null;
  /** Accumulation dtype. */
  dtype?: DTypeLike;
}

function cumulative(
  name: string,
  x: ArrayLike,
  o: CumOptions | undefined,
  f: (a: NDArray, axis: number) => NDArray,
): NDArray {
  let a = asArray(x);
  if (o?.axis === undefined || o.axis === null) a = lax.reshape(a, [a.size]);
  const axis = o?.axis === undefined || o.axis === null ? 0 : normAxis(name, o.axis, a.ndim);
  const d = o?.dtype !== undefined ? parseDType(o.dtype, name) : sumType(a.dtype);
  if (d !== a.dtype) a = lax.convert_element_type(a, d);
  if (a.ndim === 0) throw new ShapeError(`${name}: needs at least one dimension`);
  return f(a, axis);
}

/**
 * Cumulative sum along `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cumsum(jnp.array([1, 2, 3])).tolist(); // [1, 3, 6]
 * ```
 */
export function cumsum(x: ArrayLike, o?: CumOptions): NDArray {
  return cumulative("cumsum", x, o, (a, axis) => lax.cumsum(a, axis));
}
/**
 * Cumulative product along `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cumprod(jnp.array([1, 2, 3, 4])); // Array([ 1.,  2.,  6., 24.], dtype=float32)
 * ```
 */
export function cumprod(x: ArrayLike, o?: CumOptions): NDArray {
  return cumulative("cumprod", x, o, (a, axis) => lax.cumprod(a, axis));
}
