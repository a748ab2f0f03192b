/**
 * Array creation: array, asarray, zeros, ones, full, arange, linspace, eye,
 * identity, the *_like forms, and the dtype and number constants.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { defaultFloat, type DType, parseDType, promoteTypes } from "../dtype.ts";
import { ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { scalar } from "../runtime.ts";
import { checkShape } from "../shape.ts";
import { asArray, type DTypeLike, numberDType, resultOf } from "./util.ts";

/**
 * Options that name a dtype.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros([2], { dtype: "int32" }); // Array([0, 0], dtype=int32)
 * ```
 */
export interface DTypeOptions {
  /** The element type (default float32, or float64 under x64). */
  dtype?: DTypeLike;
}

const dt = (o: DTypeOptions | undefined, fallback: DType, op: string) =>
  o?.dtype === undefined ? fallback : parseDType(o.dtype, op);

/**
 * Creates an array from nested JS arrays, numbers or booleans, or copies an array.
 * JS numbers give float32 (there is no separate int literal in JS); pass
 * `{ dtype: "int32" }` for integers.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.array([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * ```
 */
export function array(data: ArrayLike, o?: DTypeOptions): NDArray {
  if (typeof data === "number") {
    // As in JAX, a scalar from a Python/JS number stays weakly typed.
    return o?.dtype === undefined ? scalar(data, defaultFloat(), true) : asArray(data, o.dtype, "array");
  }
  return asArray(data, o?.dtype, "array");
}

/**
 * Like `array`, but returns NDArray inputs unchanged.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.asarray([1, 2, 3]).dtype; // "float32"
 * ```
 */
export function asarray(data: ArrayLike, o?: DTypeOptions): NDArray {
  return asArray(data, o?.dtype, "asarray");
}

/**
 * An array of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.full([2, 3], 7).tolist(); // [[7, 7, 7], [7, 7, 7]]
 * ```
 */
export function full(shape: number | number[], value: ArrayLike, o?: DTypeOptions): NDArray {
  const s = checkShape("full", shape);
  const v = asArray(value, o?.dtype, "full");
  const d = o?.dtype === undefined ? v.dtype : parseDType(o.dtype, "full");
  // As in JAX, the result is weak only when a JS number gives the dtype.
  const c = lax.convert_element_type(v, d, o?.dtype === undefined && v.weakType);
  if (c.ndim === 0) return s.length === 0 ? c : lax.broadcast_in_dim(c, s, []);
  return lax.broadcast_in_dim(c, s, c.shape.map((_, i) => i + s.length - c.ndim));
}

/** `value` of `dtype` broadcast to `shape`, strongly typed (as JAX's zeros/ones). */
function filled(shape: number[], value: number, dtype: DType): NDArray {
  const c = scalar(value, dtype, false);
  return shape.length === 0 ? c : lax.broadcast_in_dim(c, shape, []);
}

/**
 * Zeros of the given shape.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros([3], { dtype: "int32" }).tolist(); // [0, 0, 0]
 * ```
 */
export function zeros(shape: number | number[], o?: DTypeOptions): NDArray {
  return filled(checkShape("zeros", shape), 0, dt(o, defaultFloat(), "zeros"));
}

/**
 * Ones of the given shape.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ones([2]).tolist(); // [1, 1]
 * ```
 */
export function ones(shape: number | number[], o?: DTypeOptions): NDArray {
  return filled(checkShape("ones", shape), 1, dt(o, defaultFloat(), "ones"));
}

/**
 * Same as zeros (JAX arrays are never uninitialised).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.empty([2, 2]);
 * // Array([[0., 0.],
 * //        [0., 0.]], dtype=float32)
 * ```
 */
export function empty(shape: number | number[], o?: DTypeOptions): NDArray {
  return zeros(shape, o);
}

/**
 * Zeros shaped like `x`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros_like(jnp.ones([2, 2])).shape; // [2, 2]
 * ```
 */
export function zeros_like(x: ArrayLike, o?: DTypeOptions): NDArray {
  const a = asArray(x);
  return filled(a.shape, 0, dt(o, a.dtype, "zeros_like"));
}

/**
 * Ones shaped like `x`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ones_like(jnp.array([1, 2, 3], { dtype: "int32" })); // Array([1, 1, 1], dtype=int32)
 * ```
 */
export function ones_like(x: ArrayLike, o?: DTypeOptions): NDArray {
  const a = asArray(x);
  return filled(a.shape, 1, dt(o, a.dtype, "ones_like"));
}

/**
 * `value` shaped like `x`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.full_like(jnp.zeros([2]), 7); // Array([7., 7.], dtype=float32)
 * ```
 */
export function full_like(x: ArrayLike, value: ArrayLike, o?: DTypeOptions): NDArray {
  const a = asArray(x);
  return full(a.shape, value, { dtype: o?.dtype ?? a.dtype });
}

/**
 * Same as zeros_like.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.empty_like(jnp.ones([3])); // Array([0., 0., 0.], dtype=float32)
 * ```
 */
export function empty_like(x: ArrayLike, o?: DTypeOptions): NDArray {
  return zeros_like(x, o);
}

/**
 * Evenly spaced values in `[start, stop)`: `arange(stop)`, `arange(start, stop, step)`.
 * Integer arguments give int32, as in numpy.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arange(4).tolist(); // [0, 1, 2, 3]
 * jnp.arange(0, 1, 0.25).tolist(); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function arange(
  start: number,
  stop?: number | DTypeOptions,
  step?: number | DTypeOptions,
  o?: DTypeOptions,
): NDArray {
  // 0-d arrays as bounds are read as numbers (a traced one raises a ConcretizationError).
  const isArray = (v: unknown) => typeof v === "object" && v !== null && Symbol.toPrimitive in v;
  const opts = [stop, step, o].find((v) => typeof v === "object" && !isArray(v)) as DTypeOptions | undefined;
  const nums = [start, stop, step].map((v) => (isArray(v) ? Number(v) : v)).filter((v): v is number =>
    typeof v === "number"
  );
  let [a, b, s] = [0, 0, 1];
  if (nums.length === 1) b = nums[0];
  else [a, b, s = 1] = nums;
  if (s === 0) throw new ValueError("arange: step must not be zero");
  if (![a, b, s].every(Number.isFinite)) throw new ValueError("arange: start, stop and step must be finite");
  const n = Math.max(0, Math.ceil((b - a) / s));
  const dtype = opts?.dtype !== undefined
    ? parseDType(opts.dtype, "arange")
    : [a, b, s].every(Number.isInteger)
    ? "int32"
    : defaultFloat();
  const idx = lax.iota(dtype === "bool" ? "int32" : dtype, [n]);
  if (a === 0 && s === 1) return idx;
  return lax.add(lax.mul(idx, lax.full([], s, idx.dtype)), lax.full([], a, idx.dtype));
}

/**
 * Options of linspace.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linspace(0, 1, 4, { endpoint: false }); // Array([0.  , 0.25, 0.5 , 0.75], dtype=float32)
 * ```
 */
export interface LinspaceOptions extends DTypeOptions {
  /** Include `stop` (default true). */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced values from `start` to `stop`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linspace(0, 1, 5).tolist(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num = 50, o?: LinspaceOptions): NDArray {
  if (!Number.isInteger(num) || num < 0) {
    throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  }
  const endpoint = o?.endpoint ?? true;
  const dtype = dt(o, defaultFloat(), "linspace");
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const fdt = dtype === "float64" ? "float64" : "float32";
  const i = lax.iota(fdt, [num]);
  let vals = lax.add(lax.mul(i, lax.full([], step, fdt)), lax.full([], start, fdt));
  if (endpoint && num > 1) {
    // Make the last value exactly `stop`, as numpy does.
    vals = lax.select(lax.eq(i, num - 1), lax.full([num], stop, fdt), vals);
  }
  return fdt === dtype ? vals : lax.convert_element_type(vals, dtype);
}

/**
 * Options of eye.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.eye(3, { k: 1 });
 * // Array([[0., 1., 0.],
 * //        [0., 0., 1.],
 * //        [0., 0., 0.]], dtype=float32)
 * ```
 */
export interface EyeOptions extends DTypeOptions {
  /** The diagonal: 0 the main one, positive above it, negative below. */
  k?: number;
}

/**
 * An `n × m` matrix with ones on diagonal `k`; `eye(n, { k, dtype })` skips `m`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.eye(2).tolist(); // [[1, 0], [0, 1]]
 * jnp.eye(2, { k: 1 }).tolist(); // [[0, 1], [0, 0]]
 * ```
 */
export function eye(n: number, m?: number | null | EyeOptions, o?: EyeOptions): NDArray {
  if (typeof m === "object" && m !== null) [m, o] = [undefined, m];
  const shape = checkShape("eye", [n, m ?? n]);
  const k = o?.k ?? 0;
  const dtype = dt(o, defaultFloat(), "eye");
  const r = lax.iota("int32", shape, 0);
  const c = lax.iota("int32", shape, 1);
  return lax.convert_element_type(lax.eq(lax.add(r, k), c), dtype);
}

/**
 * The `n × n` identity matrix.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.identity(3).shape; // [3, 3]
 * ```
 */
export function identity(n: number, o?: DTypeOptions): NDArray {
  return eye(n, n, o);
}

/**
 * π
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sin(jnp.array([jnp.pi / 2])); // Array([1.], dtype=float32)
 * ```
 */
export const pi: number = Math.PI;
/**
 * Euler's number.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.exp(jnp.array([1])).item() - jnp.e < 1e-6; // true
 * ```
 */
export const e: number = Math.E;
/**
 * Positive infinity.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isinf(jnp.array([jnp.inf, 1])); // Array([ True, False], dtype=bool)
 * ```
 */
export const inf: number = Infinity;
/**
 * Not a number.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isnan(jnp.array([jnp.nan, 1])); // Array([ True, False], dtype=bool)
 * ```
 */
export const nan: number = NaN;
/**
 * The Euler–Mascheroni constant.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.array(jnp.euler_gamma); // Array(0.5772157, dtype=float32, weak_type=True)
 * ```
 */
export const euler_gamma = 0.5772156649015329;
/**
 * Index entry that inserts a new axis (numpy's `None` in an index).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arange(3).get(jnp.newaxis).shape; // [1, 3]
 * ```
 */
export const newaxis = "newaxis";

/**
 * dtype names usable as `{ dtype: jnp.float32 }`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros([2], { dtype: jnp.float32 }).dtype; // "float32"
 * ```
 */
export const float32: DType = "float32";
/**
 * 64-bit float (cpu backend, with `jax_enable_x64`).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.float64; // float64 arrays need jax_enable_x64 and the cpu backend
 * ```
 */
export const float64: DType = "float64";
/**
 * 16-bit float.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros([2], { dtype: jnp.float16 }).dtype; // "float16"
 * ```
 */
export const float16: DType = "float16";
/**
 * 32-bit signed integer.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros([2], { dtype: jnp.int32 }).dtype; // "int32"
 * ```
 */
export const int32: DType = "int32";
/**
 * 32-bit unsigned integer.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.zeros([2], { dtype: jnp.uint32 }).dtype; // "uint32"
 * ```
 */
export const uint32: DType = "uint32";
/**
 * Boolean.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.array([1, 0], { dtype: jnp.bool_ }); // Array([ True, False], dtype=bool)
 * ```
 */
export const bool_: DType = "bool";

export { numberDType };

/**
 * The dtype two dtypes promote to (JAX's lattice, canonicalised to the dtypes
 * jaxd has: int32 with uint32 gives int32, as JAX does without x64).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.promote_types("int32", "float16"); // "float16"
 * ```
 */
export function promote_types(a: DTypeLike, b: DTypeLike): DType {
  return promoteTypes(parseDType(a, "promote_types"), parseDType(b, "promote_types"));
}

/**
 * The dtype jnp functions give when combining these arguments, weak types
 * included: JS numbers adopt the other operands' dtype.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.result_type(jnp.zeros([2], { dtype: "int32" }), 2.5); // "float32"
 * ```
 */
export function result_type(...xs: ArrayLike[]): DType {
  return resultOf(...xs).dtype;
}
