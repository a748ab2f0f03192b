/**
 * `lax`: one function per primitive, each a line over `bind`, plus the few
 * helpers JAX's lax module has on top (`expand_dims`, `broadcast`, `full`,
 * `square`, ...). Control flow (`scan`, `while_loop`, `cond`, ...) lives in
 * lib/control.ts and is re-exported by the `lax` namespace in mod.ts.
 *
 * lax is strict, as in JAX: operands of binary ops share a dtype (JS numbers
 * adopt the other operand's) and a rank (or are scalars).
 *
 * @module
 */

import { type ArrayLike, NDArray } from "./array.ts";
import { defaultFloat, type DType, isFloat } from "./dtype.ts";
import { DTypeError } from "./errors.ts";
import type {
  BinaryPrimitive,
  ComparePrimitive,
  DotDimensionNumbers,
  ScatterMode,
  UnaryPrimitive,
} from "./ops/primitives.ts";
import { scalar } from "./runtime.ts";
import { bind, bind1 } from "./trace/core.ts";

type Num = NDArray | number;
/** A lax unary function. */
export type Unary = (x: Num) => NDArray;
/** A lax binary function. */
export type Binary = (x: Num, y: Num) => NDArray;

/** Converts a JS number to a weak 0-d array of the given dtype. */
export function toArray(x: Num | boolean, like?: DType): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "boolean") return scalar(x ? 1 : 0, "bool", false);
  const dtype = like ?? (Number.isInteger(x) ? "int32" : defaultFloat());
  return scalar(x, dtype, true);
}

function pair(x: Num, y: Num): [NDArray, NDArray] {
  if (x instanceof NDArray) return [x, toArray(y, x.dtype)];
  if (y instanceof NDArray) return [toArray(x, y.dtype), y];
  return [toArray(x), toArray(y)];
}

const un = (p: UnaryPrimitive | "is_finite" | "not") => (x: Num): NDArray => bind1(p, [toArray(x)], {});
const bin = (p: BinaryPrimitive | ComparePrimitive | "add_any") => (x: Num, y: Num): NDArray =>
  bind1(p, pair(x, y), {});

/** `-x` */
export const neg: Unary = un("neg");
/** `|x|` */
export const abs: Unary = un("abs");
/** Sign: -1, 0 or 1. */
export const sign: Unary = un("sign");
/** Round down. */
export const floor: Unary = un("floor");
/** Round up. */
export const ceil: Unary = un("ceil");
/** Round half to even. */
export function round(x: Num, roundingMethod: 0 | 1 = 0): NDArray {
  return bind1("round", [toArray(x)], { rounding_method: roundingMethod });
}
/** `e^x` */
export const exp: Unary = un("exp");
/** `2^x` */
export const exp2: Unary = un("exp2");
/** Natural log. */
export const log: Unary = un("log");
/** `log(1 + x)` */
export const log1p: Unary = un("log1p");
/** `e^x - 1` */
export const expm1: Unary = un("expm1");
/** Square root. */
export const sqrt: Unary = un("sqrt");
/** `1 / sqrt(x)` */
export const rsqrt: Unary = un("rsqrt");
/** Cube root. */
export const cbrt: Unary = un("cbrt");
/** Sine. */
export const sin: Unary = un("sin");
/** Cosine. */
export const cos: Unary = un("cos");
/** Tangent. */
export const tan: Unary = un("tan");
/** Arcsine. */
export const asin: Unary = un("asin");
/** Arccosine. */
export const acos: Unary = un("acos");
/** Arctangent. */
export const atan: Unary = un("atan");
/** Hyperbolic sine. */
export const sinh: Unary = un("sinh");
/** Hyperbolic cosine. */
export const cosh: Unary = un("cosh");
/** Hyperbolic tangent. */
export const tanh: Unary = un("tanh");
/** Inverse hyperbolic sine. */
export const asinh: Unary = un("asinh");
/** Inverse hyperbolic cosine. */
export const acosh: Unary = un("acosh");
/** Inverse hyperbolic tangent. */
export const atanh: Unary = un("atanh");
/** `log|Gamma(x)|` */
export const lgamma: Unary = un("lgamma");
/** The digamma function. */
export const digamma: Unary = un("digamma");
/** The error function. */
export const erf: Unary = un("erf");
/** `1 - erf(x)` */
export const erfc: Unary = un("erfc");
/** Inverse error function. */
export const erf_inv: Unary = un("erf_inv");
/** `1 / (1 + e^-x)` */
export const logistic: Unary = un("logistic");
/** Elementwise finiteness test. */
export const is_finite: Unary = un("is_finite");
/** Logical/bitwise not. */
export const not: Unary = un("not");

/** `x + y` */
export const add: Binary = bin("add");
/** `x - y` */
export const sub: Binary = bin("sub");
/** `x * y` */
export const mul: Binary = bin("mul");
/** `x / y` (integer division truncates) */
export const div: Binary = bin("div");
/** Remainder with the sign of `x` (C fmod). */
export const rem: Binary = bin("rem");
/** `x ** y` */
export const pow: Binary = bin("pow");
/** Elementwise maximum (NaN-propagating). */
export const max: Binary = bin("max");
/** Elementwise minimum (NaN-propagating). */
export const min: Binary = bin("min");
/** `atan2(x, y)` */
export const atan2: Binary = bin("atan2");
/** Logical/bitwise and. */
export const and: Binary = bin("and");
/** Logical/bitwise or. */
export const or: Binary = bin("or");
/** Logical/bitwise xor. */
export const xor: Binary = bin("xor");
/** Regularized lower incomplete gamma P(a, x). */
export const igamma: Binary = bin("igamma");
/** Regularized upper incomplete gamma Q(a, x). */
export const igammac: Binary = bin("igammac");
/** polygamma(n, x). */
export const polygamma: Binary = bin("polygamma");
/** `x << y` (0 for shifts of 32 or more). */
export const shift_left: Binary = bin("shift_left");
/** `x >>> y`, filling with zeros. */
export const shift_right_logical: Binary = bin("shift_right_logical");
/** `x >> y`, filling with the sign bit. */
export const shift_right_arithmetic: Binary = bin("shift_right_arithmetic");
/** `x == y` */
export const eq: Binary = bin("eq");
/** `x != y` */
export const ne: Binary = bin("ne");
/** `x < y` */
export const lt: Binary = bin("lt");
/** `x <= y` */
export const le: Binary = bin("le");
/** `x > y` */
export const gt: Binary = bin("gt");
/** `x >= y` */
export const ge: Binary = bin("ge");
/** Tangent addition (like add; the name JAX gives it in jaxprs). */
export const add_any: Binary = bin("add_any");

/** `x ** y` for a static integer `y`. */
export function integer_pow(x: NDArray, y: number): NDArray {
  return bind1("integer_pow", [x], { y });
}

/** `x * x` */
export function square(x: NDArray): NDArray {
  return integer_pow(x, 2);
}

/** `1 / x` */
export function reciprocal(x: NDArray): NDArray {
  return integer_pow(x, -1);
}

/** Picks `cases[which]` elementwise (`which` is bool or int32). */
export function select_n(which: NDArray, ...cases: NDArray[]): NDArray {
  return bind1("select_n", [which, ...cases], {});
}

/** `pred ? onTrue : onFalse`, elementwise. */
export function select(pred: NDArray, onTrue: Num, onFalse: Num): NDArray {
  const [t, f] = pair(onTrue, onFalse);
  return select_n(pred, f, t);
}

/** Converts to `dtype`. */
export function convert_element_type(x: Num, dtype: DType, weakType = false): NDArray {
  const a = toArray(x);
  if (a.dtype === dtype && a.weakType === weakType) return a;
  return bind1("convert_element_type", [a], { new_dtype: dtype, weak_type: weakType });
}

/** Blocks gradients: the value passes through, its derivative is zero. */
export function stop_gradient(x: NDArray): NDArray {
  return bind1("stop_gradient", [x], {});
}

/** `0, 1, 2, ...` along `dimension` of an array of `shape`. */
export function iota(dtype: DType, shape: number[], dimension = 0): NDArray {
  return bind1("iota", [], { dtype, shape, dimension });
}

/** Broadcasts `x` into `shape`, operand axis i going to `broadcastDimensions[i]`. */
export function broadcast_in_dim(x: NDArray, shape: number[], broadcastDimensions: number[]): NDArray {
  return bind1("broadcast_in_dim", [x], { shape, broadcast_dimensions: broadcastDimensions });
}

/** Adds leading dimensions `sizes`. */
export function broadcast(x: NDArray, sizes: number[]): NDArray {
  const dims = x.shape.map((_, i) => i + sizes.length);
  return broadcast_in_dim(x, [...sizes, ...x.shape], dims);
}

/** Inserts size-1 axes at `dimensions` (positions in the result). */
export function expand_dims(x: NDArray, dimensions: number[]): NDArray {
  const nd = x.ndim + dimensions.length;
  const dims = dimensions.map((d) => (d < 0 ? d + nd : d));
  const shape: number[] = [];
  const bdims: number[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) {
    if (dims.includes(i)) shape.push(1);
    else {
      shape.push(x.shape[j++]);
      bdims.push(i);
    }
  }
  return broadcast_in_dim(x, shape, bdims);
}

/** Same data, new shape (row-major). */
export function reshape(x: NDArray, newSizes: number[]): NDArray {
  return bind1("reshape", [x], { new_sizes: newSizes });
}

/** Permutes axes. */
export function transpose(x: NDArray, permutation: number[]): NDArray {
  return bind1("transpose", [x], { permutation });
}

/** Removes the given size-1 axes. */
export function squeeze(x: NDArray, dimensions: number[]): NDArray {
  return bind1("squeeze", [x], { dimensions });
}

/** Reverses the given axes. */
export function rev(x: NDArray, dimensions: number[]): NDArray {
  return bind1("rev", [x], { dimensions });
}

/** Static slice `x[start:limit:stride]` per axis. */
export function slice(x: NDArray, start: number[], limit: number[], strides: number[] | null = null): NDArray {
  return bind1("slice", [x], { start_indices: start, limit_indices: limit, strides });
}

/** Slice along one axis. */
export function slice_in_dim(x: NDArray, start: number, limit: number, stride = 1, axis = 0): NDArray {
  const s = x.shape.map(() => 0);
  const l = [...x.shape];
  const st = x.shape.map(() => 1);
  s[axis] = start;
  l[axis] = limit;
  st[axis] = stride;
  return slice(x, s, l, stride === 1 ? null : st);
}

/** A slice of static size at traced start indices (clamped into bounds). */
export function dynamic_slice(x: NDArray, start: Num[], sizes: number[]): NDArray {
  return bind1("dynamic_slice", [x, ...normalizeStarts(x, start)], { slice_sizes: sizes });
}

/** Start indices as int32 scalars, negative ones counted from the end (as JAX does). */
function normalizeStarts(x: NDArray, start: Num[]): NDArray[] {
  return start.map((s, d) => {
    if (typeof s === "number") return toArray(s < 0 ? s + x.shape[d] : s, "int32");
    const i = s.dtype === "int32" ? s : convert_element_type(s, "int32");
    return select(lt(i, 0), add(i, x.shape[d]), i);
  });
}

/** Writes `update` into `x` at traced start indices (clamped into bounds). */
export function dynamic_update_slice(x: NDArray, update: NDArray, start: Num[]): NDArray {
  return bind1("dynamic_update_slice", [x, update, ...normalizeStarts(x, start)], {});
}

/** Joins arrays along `dimension`. */
export function concatenate(xs: NDArray[], dimension: number): NDArray {
  return bind1("concatenate", xs, { dimension });
}

/** Pads with `value`: `[low, high, interior]` per axis (negative low/high crop). */
export function pad(x: NDArray, value: Num | boolean, config: [number, number, number][]): NDArray {
  return bind1("pad", [x, toArray(value, x.dtype)], { padding_config: config });
}

/** Sum over `axes`. */
export function reduce_sum(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_sum", [x], { axes });
}
/** Max over `axes`. */
export function reduce_max(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_max", [x], { axes });
}
/** Min over `axes`. */
export function reduce_min(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_min", [x], { axes });
}
/** Product over `axes`. */
export function reduce_prod(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_prod", [x], { axes });
}
/** Index of the max along `axis`. */
export function argmax(x: NDArray, axis: number, indexDtype: DType = "int32"): NDArray {
  return bind1("argmax", [x], { axes: [axis], index_dtype: indexDtype });
}
/** Index of the min along `axis`. */
export function argmin(x: NDArray, axis: number, indexDtype: DType = "int32"): NDArray {
  return bind1("argmin", [x], { axes: [axis], index_dtype: indexDtype });
}
/** Cumulative sum along `axis`. */
export function cumsum(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cumsum", [x], { axis, reverse });
}

/** Cumulative product along `axis`. */
export function cumprod(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cumprod", [x], { axis, reverse });
}
/** Cumulative maximum along `axis`. */
export function cummax(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cummax", [x], { axis, reverse });
}
/** Cumulative minimum along `axis`. */
export function cummin(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cummin", [x], { axis, reverse });
}

/** General tensor contraction (`lax.dot_general`). */
export function dot_general(
  x: NDArray,
  y: NDArray,
  dimensionNumbers: DotDimensionNumbers,
  preferredElementType: DType | null = null,
): NDArray {
  return bind1("dot_general", [x, y], {
    dimension_numbers: dimensionNumbers,
    preferred_element_type: preferredElementType,
  });
}

/** Matrix/vector product of 1-d or 2-d arrays. */
export function dot(x: NDArray, y: NDArray): NDArray {
  return dot_general(x, y, [[[x.ndim - 1], [0]], [[], []]]);
}

/** Splits along `axis` into pieces of the given sizes. */
export function split(x: NDArray, sizes: number[], axis = 0): NDArray[] {
  return bind("split", [x], { sizes, axis });
}

/** Gathers `x` at integer index arrays along `axes` (see the gather primitive). */
export function gather(x: NDArray, indices: NDArray[], axes: number[]): NDArray {
  return bind1("gather", [x, ...indices], { axes });
}

/** Adds `updates` into `x` at integer index arrays along `axes` (out-of-bounds updates are dropped). */
export function scatter_add(x: NDArray, indices: NDArray[], updates: NDArray, axes: number[]): NDArray {
  return bind1("scatter", [x, updates, ...indices], { axes, mode: "add" });
}

/** Combines `updates` into `x` at integer index arrays along `axes` by `mode`. */
export function scatter(x: NDArray, indices: NDArray[], updates: NDArray, axes: number[], mode: ScatterMode): NDArray {
  return bind1("scatter", [x, updates, ...indices], { axes, mode });
}

/** Solves `a x = b` for square `a` (batched over leading axes). */
export function linalg_solve(a: NDArray, b: NDArray): NDArray {
  return bind1("solve", [a, b], {});
}

/** Options of `linalg_triangular_solve`, as `lax.linalg.triangular_solve`'s keywords. */
export interface TriangularSolveOptions {
  /** Solve `op(a) x = b` (true) or `x op(a) = b` (false, the default). */
  leftSide?: boolean;
  /** Use the lower triangle of `a` (default false: the upper). */
  lower?: boolean;
  /** `op(a) = aᵀ` (default false). */
  transposeA?: boolean;
  /** Conjugate `a` (a no-op for real dtypes). */
  conjugateA?: boolean;
  /** Treat the diagonal of `a` as ones. */
  unitDiagonal?: boolean;
}

/**
 * `lax.linalg.triangular_solve`: solves with the triangle of `a` (`[..., n, n]`);
 * `b` is `[..., n, k]` (left side) or `[..., k, n]`, same leading axes.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const l = jnp.array([[2, 0], [1, 1]]), b = jnp.array([[2], [3]]);
 * lax.linalg_triangular_solve(l, b, { leftSide: true, lower: true }).tolist(); // [[1], [2]]
 * ```
 */
export function linalg_triangular_solve(a: NDArray, b: NDArray, o: TriangularSolveOptions = {}): NDArray {
  return bind1("triangular_solve", [a, b], {
    left_side: o.leftSide ?? false,
    lower: o.lower ?? false,
    transpose_a: o.transposeA ?? false,
    conjugate_a: o.conjugateA ?? false,
    unit_diagonal: o.unitDiagonal ?? false,
  });
}

/**
 * `lax.linalg.cholesky` (symmetrize_input=true): the lower factor of `(a + aᵀ)/2`;
 * NaN where the matrix is not positive definite.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.linalg_cholesky(jnp.array([[4, 2], [2, 5]])).tolist(); // [[2, 0], [1, 2]]
 * ```
 */
export function linalg_cholesky(a: NDArray, symmetrizeInput = true): NDArray {
  const x = symmetrizeInput ? div(add(a, swapLastAxes(a)), 2) : a;
  return bind1("cholesky", [x], {});
}

/**
 * `lax.linalg.lu`: `[lu, pivots, permutation]` of `[..., m, n]` matrices, LU
 * with partial pivoting (`a[permutation] = L U`, unit L below the diagonal of
 * `lu`; pivots `[..., min(m, n)]`, permutation `[..., m]`).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [lu, pivots, perm] = lax.linalg_lu(jnp.array([[1, 2], [3, 4]]));
 * perm.tolist(); // [1, 0]
 * ```
 */
export function linalg_lu(a: NDArray): [NDArray, NDArray, NDArray] {
  const [lu, pivots, perm] = bind("lu", [a], {});
  return [lu, pivots, perm];
}

/**
 * `lax.linalg.eigh`: `[v, w]`, eigenvectors in the columns of `v` and ascending
 * eigenvalues `w` of symmetric matrices (symmetrized first by default).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [v, w] = lax.linalg_eigh(jnp.array([[2, 0], [0, 1]]));
 * w.tolist(); // [1, 2]
 * ```
 */
export function linalg_eigh(
  a: NDArray,
  o: { lower?: boolean; symmetrizeInput?: boolean; sortEigenvalues?: boolean } = {},
): [NDArray, NDArray] {
  const x = (o.symmetrizeInput ?? true) ? div(add(a, swapLastAxes(a)), 2) : a;
  const [v, w] = bind("eigh", [x], { lower: o.lower ?? true, sort_eigenvalues: o.sortEigenvalues ?? true });
  return [v, w];
}

/**
 * `lax.linalg.qr`: `[q, r]` with `q` `[..., m, m]` and `r` `[..., m, n]` when
 * `fullMatrices` (the default), else `[..., m, k]` and `[..., k, n]`, k = min(m, n).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [q, r] = lax.linalg_qr(jnp.array([[3, 0], [4, 5]]), false);
 * r.shape; // [2, 2]
 * ```
 */
export function linalg_qr(a: NDArray, fullMatrices = true): [NDArray, NDArray] {
  const [q, r] = bind("qr", [a], { full_matrices: fullMatrices });
  return [q, r];
}

/**
 * `lax.linalg.svd`: `[u, s, vh]` (or `[s]` without `computeUv`), singular
 * values descending.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [s] = lax.linalg_svd(jnp.array([[3, 0], [0, 4]]), { computeUv: false });
 * s.tolist(); // [4, 3]
 * ```
 */
export function linalg_svd(a: NDArray, o: { fullMatrices?: boolean; computeUv?: boolean } = {}): NDArray[] {
  const computeUv = o.computeUv ?? true;
  const outs = bind("svd", [a], { full_matrices: o.fullMatrices ?? true, compute_uv: computeUv });
  return computeUv ? [outs[1], outs[0], outs[2]] : outs;
}

function swapLastAxes(x: NDArray): NDArray {
  const perm = [...Array(x.ndim).keys()];
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [perm[x.ndim - 1], perm[x.ndim - 2]];
  return transpose(x, perm);
}

/** An array of `shape` filled with `value`. */
export function full(shape: number[], value: Num | boolean, dtype?: DType): NDArray {
  // A JS number is weakly typed only when no dtype is given, as in JAX.
  const v = typeof value === "number" && dtype
    ? scalar(value, dtype, false)
    : typeof value === "boolean"
    ? toArray(value)
    : toArray(value, dtype);
  const c = dtype && v.dtype !== dtype ? convert_element_type(v, dtype) : v;
  return shape.length === 0 ? c : broadcast_in_dim(c, shape, []);
}

/** Zeros shaped like `x`. */
export function zeros_like(x: NDArray): NDArray {
  return full(x.shape, 0, x.dtype);
}

/** A JS number as a scalar of `x`'s dtype. */
export function constLike(x: NDArray, v: number): NDArray {
  return toArray(v, x.dtype);
}

/** Checks that `x` is a float array; names the op otherwise. */
export function requireFloat(op: string, x: NDArray | ArrayLike): void {
  if (x instanceof NDArray && !isFloat(x.dtype)) {
    throw new DTypeError(`${op}: needs a float array, got ${x.dtype}; convert with .astype("float32")`);
  }
}
