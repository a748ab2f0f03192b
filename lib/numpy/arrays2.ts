/**
 * Triangles and diagonals (tri, tril, triu, diag, diagflat, diagonal, trace)
 * and index arrays: indices, tril_indices, triu_indices, diag_indices,
 * unravel_index, ravel_multi_index, and the functions whose result size
 * depends on the values: nonzero, flatnonzero, argwhere, unique. As in JAX,
 * these take a static `size` to work on traced values (under jit and vmap),
 * the result cut or padded to it; without `size` they read the values,
 * which must be concrete. Index results are int32 (JAX's default int).
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { defaultFloat, isFloat, parseDType } from "../dtype.ts";
import { AxisError, ConcretizationError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { broadcastShapes, checkShape, normAxis, prod, stridesOf } from "../shape.ts";
import { Tracer } from "../trace/core.ts";
import type { DTypeOptions } from "./creation.ts";
import { sum } from "./reductions.ts";
import { atleast_1d, moveaxis, ravel, stack } from "./shape.ts";
import { argsort } from "./sorting.ts";
import { asArray, broadcastTo, type DTypeLike, toType } from "./util.ts";

/** The `[n, m]` mask `column <= row + k`. */
function lowerMask(n: number, m: number, k: number): NDArray {
  if (!Number.isInteger(k)) throw new ValueError(`the diagonal offset k must be an integer, got ${k}`);
  return lax.le(lax.iota("int32", [n, m], 1), lax.add(lax.iota("int32", [n, m], 0), k));
}

/**
 * An `N × M` array (`M` defaults to `N`) with ones at and below diagonal `k`, zeros above.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tri(3, 2, -1, { dtype: "int32" }).tolist(); // [[0, 0], [1, 0], [1, 1]]
 * ```
 */
export function tri(N: number, M?: number | null, k = 0, o?: DTypeOptions): NDArray {
  const [n, m] = checkShape("tri", [N, M ?? N]);
  const dtype = o?.dtype === undefined ? defaultFloat() : parseDType(o.dtype, "tri");
  return lax.convert_element_type(lowerMask(n, m, k), dtype);
}

function triangle(op: string, m: ArrayLike, k: number, lower: boolean): NDArray {
  const x = asArray(m);
  if (x.ndim < 2) {
    throw new ShapeError(`${op}: needs an array of at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  }
  const nd = x.ndim;
  // triu keeps what tril with diagonal k - 1 drops.
  const lowerPart = lowerMask(x.shape[nd - 2], x.shape[nd - 1], lower ? k : k - 1);
  const mask = lax.broadcast_in_dim(lowerPart, [...x.shape], [nd - 2, nd - 1]);
  const zeros = lax.zeros_like(x);
  return lower ? lax.select(mask, x, zeros) : lax.select(mask, zeros, x);
}

/**
 * The lower triangle of the last two axes: entries above diagonal `k` become 0.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tril(jnp.array([[1, 2], [3, 4]])).tolist(); // [[1, 0], [3, 4]]
 * ```
 */
export function tril(m: ArrayLike, k = 0): NDArray {
  return triangle("tril", m, k, true);
}

/**
 * The upper triangle of the last two axes: entries below diagonal `k` become 0.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.triu(jnp.array([[1, 2], [3, 4]]), 1).tolist(); // [[0, 2], [0, 0]]
 * ```
 */
export function triu(m: ArrayLike, k = 0): NDArray {
  return triangle("triu", m, k, false);
}

/**
 * A 1-d `v` becomes a square matrix with `v` on diagonal `k`; a 2-d `v`
 * gives its diagonal `k`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.diag(jnp.array([1, 2]), 1).tolist(); // [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
 * jnp.diag(jnp.array([[1, 2], [3, 4]])).tolist(); // [1, 4]
 * ```
 */
export function diag(v: ArrayLike, k = 0): NDArray {
  const x = asArray(v);
  if (x.ndim === 2) return diagonal(x, { offset: k });
  if (x.ndim !== 1) throw new ShapeError(`diag: the input must be 1-d or 2-d, got shape ${fmtShape(x.shape)}`);
  if (!Number.isInteger(k)) throw new ValueError(`diag: the diagonal offset k must be an integer, got ${k}`);
  const n = x.size + Math.abs(k);
  // Entry (r, c) of diagonal k is v[min(r, c)]: the row's for k >= 0, the column's below.
  const vs = lax.broadcast_in_dim(lax.pad(x, 0, [[0, Math.abs(k), 0]]), [n, n], [k >= 0 ? 0 : 1]);
  const onDiag = lax.eq(lax.sub(lax.iota("int32", [n, n], 1), lax.iota("int32", [n, n], 0)), k);
  return lax.select(onDiag, vs, lax.zeros_like(vs));
}

/**
 * The flattened input on diagonal `k` of a square matrix.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.diagflat(jnp.array([[1, 2]])).tolist(); // [[1, 0], [0, 2]]
 * ```
 */
export function diagflat(v: ArrayLike, k = 0): NDArray {
  return diag(ravel(v), k);
}

/**
 * Options of diagonal and trace.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.diagonal(jnp.arange(8).reshape([2, 2, 2]), { axis1: 1, axis2: 2 }).tolist(); // [[0, 3], [4, 7]]
 * ```
 */
export interface DiagonalOptions {
  /** The diagonal: 0 the main one, positive above it, negative below. */
  offset?: number;
  /** The axis of the rows (default 0). */
  axis1?: number;
  /** The axis of the columns (default 1). */
  axis2?: number;
}

/**
 * Diagonal `offset` of the matrices in axes `axis1`, `axis2`; it becomes the last axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.diagonal(jnp.array([[1, 2, 3], [4, 5, 6]]), { offset: 1 }).tolist(); // [2, 6]
 * ```
 */
export function diagonal(a: ArrayLike, o?: DiagonalOptions): NDArray {
  const x = asArray(a);
  if (x.ndim < 2) {
    throw new ShapeError(`diagonal: needs an array of at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  }
  const a1 = normAxis("diagonal", o?.axis1 ?? 0, x.ndim), a2 = normAxis("diagonal", o?.axis2 ?? 1, x.ndim);
  if (a1 === a2) throw new AxisError(`diagonal: axis1 and axis2 must be different axes, both are ${a1}`);
  const offset = o?.offset ?? 0;
  if (!Number.isInteger(offset)) throw new ValueError(`diagonal: offset must be an integer, got ${offset}`);
  const y = moveaxis(x, [a1, a2], [-2, -1]);
  const lead = y.shape.slice(0, -2), [n, m] = y.shape.slice(-2);
  const r0 = Math.min(n, Math.max(0, -offset)), c0 = Math.min(m, Math.max(0, offset));
  const len = Math.min(n - r0, m - c0);
  // The len × len block starting at the diagonal, flattened: its diagonal is every (len + 1)-th entry.
  const block = lax.slice(y, [...lead.map(() => 0), r0, c0], [...lead, r0 + len, c0 + len]);
  const flat = lax.reshape(block, [...lead, len * len]);
  const strides = len > 0 ? [...lead.map(() => 1), len + 1] : null;
  return lax.slice(flat, [...lead.map(() => 0), 0], [...lead, len * len], strides);
}

/**
 * Sum along a diagonal (see diagonal); booleans and integers sum as int32.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.trace(jnp.array([[1, 2], [3, 4]])).item(); // 5
 * ```
 */
export function trace(a: ArrayLike, o?: DiagonalOptions & { dtype?: DTypeLike }): NDArray {
  return sum(diagonal(a, o), { axis: -1, dtype: o?.dtype });
}

/**
 * An index grid of `dimensions`: shape `[len, ...dimensions]`, entry `i`
 * varying along axis `i`; with `sparse`, one array per axis with size-1 axes elsewhere.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.indices([2, 3]).tolist(); // [[[0, 0, 0], [1, 1, 1]], [[0, 1, 2], [0, 1, 2]]]
 * jnp.indices([2, 3], { sparse: true }).map((a) => a.shape); // [[2, 1], [1, 3]]
 * ```
 */
export function indices(dimensions: number[], o?: { dtype?: DTypeLike; sparse?: false }): NDArray;
/** Sparse form: one array per axis. */
export function indices(dimensions: number[], o: { dtype?: DTypeLike; sparse: true }): NDArray[];
export function indices(dimensions: number[], o?: { dtype?: DTypeLike; sparse?: boolean }): NDArray | NDArray[] {
  const shape = checkShape("indices", dimensions);
  const dtype = o?.dtype === undefined ? "int32" : parseDType(o.dtype, "indices");
  if (o?.sparse) return shape.map((d, i) => lax.reshape(lax.iota(dtype, [d]), shape.map((_, j) => (j === i ? d : 1))));
  if (shape.length === 0) return lax.full([0], 0, dtype);
  return stack(shape.map((_, i) => lax.iota(dtype, shape, i)));
}

function triIndices(op: string, n: number, k: number, m: number | undefined, lower: boolean): NDArray[] {
  const [rows, cols] = checkShape(op, [n, m ?? n]);
  if (!Number.isInteger(k)) throw new ValueError(`${op}: the diagonal offset k must be an integer, got ${k}`);
  const r: number[] = [], c: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (lower ? j <= i + k : j >= i + k) r.push(i), c.push(j);
    }
  }
  return [asArray(r, "int32"), asArray(c, "int32")];
}

/**
 * Row and column indices of the lower triangle (at and below diagonal `k`) of an `n × m` array, row by row.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tril_indices(3).map((a) => a.tolist()); // [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
 * ```
 */
export function tril_indices(n: number, k = 0, m?: number): NDArray[] {
  return triIndices("tril_indices", n, k, m, true);
}

/**
 * Row and column indices of the upper triangle (at and above diagonal `k`) of an `n × m` array, row by row.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.triu_indices(3, 1).map((a) => a.tolist()); // [[0, 0, 1], [1, 2, 2]]
 * ```
 */
export function triu_indices(n: number, k = 0, m?: number): NDArray[] {
  return triIndices("triu_indices", n, k, m, false);
}

/**
 * `ndim` copies of `arange(n)`: the indices of the main diagonal of an `n × ... × n` array.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [i, j] = jnp.diag_indices(3);
 * jnp.zeros([3, 3]).at(i, j).set(1).tolist(); // [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
 * ```
 */
export function diag_indices(n: number, ndim = 2): NDArray[] {
  const [len, count] = checkShape("diag_indices", [n, ndim]);
  return Array.from({ length: count }, () => lax.iota("int32", [len]));
}

/** Integer index values as int32 (JS arrays give float32 arrays, so floats are converted too). */
const asIndex = (x: ArrayLike) => toType(x, "int32", false);

/**
 * The coordinates in an array of `shape` of flat (row-major) indices, one
 * int32 array per axis. As JAX (unlike numpy), negative indices count from
 * the end and out-of-bounds ones are clipped.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.unravel_index(jnp.array([5, 1, -1]), [2, 3]).map((a) => a.tolist()); // [[1, 0, 1], [2, 1, 2]]
 * ```
 */
export function unravel_index(indices: ArrayLike, shape: number[]): NDArray[] {
  const dims = checkShape("unravel_index", shape);
  const total = prod(dims);
  if (total === 0) throw new ValueError(`unravel_index: cannot unravel into the empty shape ${JSON.stringify(dims)}`);
  let flat = lax.max(lax.min(asIndex(indices), total - 1), -total);
  flat = lax.select(lax.lt(flat, 0), lax.add(flat, total), flat);
  const strides = stridesOf(dims);
  return dims.map((d, i) => lax.rem(lax.div(flat, strides[i]), d));
}

/**
 * Options of ravel_multi_index.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ravel_multi_index([jnp.array([3]), jnp.array([-1])], [2, 3], { mode: "clip" }).tolist(); // [3]
 * ```
 */
export interface RavelOptions {
  /**
   * Out-of-bounds indices: `"raise"` (default, a ValueError; reads the
   * values, so not under jit), `"clip"` to the bounds, or `"wrap"` around.
   */
  mode?: "raise" | "clip" | "wrap";
  /** Row-major `"C"` (default) or column-major `"F"`. */
  order?: "C" | "F";
}

/**
 * The flat indices (int32) of coordinates, one index array per axis of an array of shape `dims`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ravel_multi_index([jnp.array([1, 0]), jnp.array([2, 1])], [2, 3]).tolist(); // [5, 1]
 * ```
 */
export function ravel_multi_index(multi_index: ArrayLike[], dims: number[], o?: RavelOptions): NDArray {
  const shape = checkShape("ravel_multi_index", dims);
  if (multi_index.length !== shape.length) {
    throw new ValueError(
      `ravel_multi_index: ${multi_index.length} index arrays for ${shape.length} dimensions; give one per dimension`,
    );
  }
  const mode = o?.mode ?? "raise", order = o?.order ?? "C";
  let idx = multi_index.map(asIndex);
  const bshape = broadcastShapes("ravel_multi_index", ...idx.map((a) => a.shape));
  idx = idx.map((a) => broadcastTo(a, bshape, "ravel_multi_index"));
  idx = idx.map((a, i) => {
    const d = shape[i];
    if (mode === "clip") return lax.max(lax.min(a, d - 1), 0);
    if (mode === "wrap") return lax.rem(lax.add(lax.rem(a, d), d), d);
    if (mode !== "raise") throw new ValueError(`ravel_multi_index: mode must be "raise", "clip" or "wrap"`);
    if (a instanceof Tracer && !a.concreteValue()) {
      throw new ConcretizationError(
        `ravel_multi_index: mode "raise" checks the index values, but they are traced (inside jit/vmap); ` +
          `pass { mode: "clip" } or { mode: "wrap" }`,
      );
    }
    if (a.dataSync().some((v) => v < 0 || v >= d)) {
      throw new ValueError(`ravel_multi_index: an index along axis ${i} is out of bounds for size ${d}`);
    }
    return a;
  });
  const strides = order === "C" ? stridesOf(shape) : stridesOf([...shape].reverse()).reverse();
  return idx.reduce((acc, a, i) => lax.add(acc, lax.mul(a, strides[i])), lax.full(bshape, 0, "int32"));
}

/**
 * The flat positions (int32) of the true entries of a 1-d boolean mask:
 * all of them, read from concrete values, without `size`; else the first
 * `size`, padded with `mask.size`, computed with lax ops (so traceable).
 */
function truePositions(mask: NDArray, size: number | undefined, op: string): NDArray {
  const n = mask.size;
  if (size === undefined) {
    if (mask instanceof Tracer && !mask.concreteValue()) {
      throw new ConcretizationError(
        `${op}: the result's size depends on the values, which are traced (inside jit/vmap); ` +
          `pass { size } for a result of that fixed size (padded with fill_value)`,
      );
    }
    const pos: number[] = [];
    mask.dataSync().forEach((v, i) => v && pos.push(i));
    return asArray(pos, "int32");
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new ValueError(`${op}: size must be a non-negative integer, got ${size}`);
  }
  // The k-th true entry goes to slot k; false entries and slots past `size` are out of bounds, so dropped.
  const rank = lax.sub(lax.cumsum(lax.convert_element_type(mask, "int32"), 0), 1);
  const slot = lax.select(mask, rank, lax.full([n], size, "int32"));
  return lax.scatter(lax.full([size], n, "int32"), [slot], lax.iota("int32", [n]), [0], "set");
}

/**
 * Options of nonzero, flatnonzero and argwhere.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.flatnonzero(jnp.array([0, 3, 0, 4]), { size: 3, fill_value: -1 }).tolist(); // [1, 3, -1]
 * ```
 */
export interface NonzeroOptions {
  /** A static result length: the first `size` entries, padded (needed under jit and vmap). */
  size?: number;
  /** The padding when `size` is given, for all axes or one per axis (default 0). */
  fill_value?: number | number[];
}

/**
 * The indices of the nonzero entries, one int32 array per axis, in row-major order.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.nonzero(jnp.array([[1, 0], [0, 2]])).map((a) => a.tolist()); // [[0, 1], [0, 1]]
 * jnp.nonzero(jnp.array([0, 5, 7]), { size: 3 }).map((a) => a.tolist()); // [[1, 2, 0]]
 * ```
 */
export function nonzero(a: ArrayLike, o?: NonzeroOptions): NDArray[] {
  const x = asArray(a);
  if (x.ndim === 0) throw new ShapeError("nonzero: a 0-d array has no axes to index; use jnp.atleast_1d(a) first");
  const mask = ravel(x.dtype === "bool" ? x : lax.ne(x, lax.full([], 0, x.dtype)));
  const size = o?.size;
  const flat = truePositions(mask, size, "nonzero");
  // A zero-size array's padding (index 0) has no coordinates to take apart.
  let coords = x.size === 0
    ? x.shape.map(() => lax.full([flat.size], 0, "int32"))
    : stridesOf(x.shape).map((s, i) => lax.rem(lax.div(flat, s), x.shape[i]));
  const fill = o?.fill_value;
  if (size !== undefined && fill !== undefined) {
    const fills = typeof fill === "number" ? x.shape.map(() => fill) : fill;
    if (fills.length !== x.ndim) {
      throw new ValueError(`nonzero: ${fills.length} fill values for ${x.ndim} axes; give one, or one per axis`);
    }
    const valid = lax.lt(flat, x.size);
    coords = coords.map((c, i) => lax.select(valid, c, lax.full([size], fills[i], "int32")));
  }
  return coords;
}

/**
 * The indices (int32) of the nonzero entries of the flattened array.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.flatnonzero(jnp.array([[0, 1], [2, 0]])).tolist(); // [1, 2]
 * ```
 */
export function flatnonzero(a: ArrayLike, o?: NonzeroOptions): NDArray {
  return nonzero(ravel(a), o)[0];
}

/**
 * The coordinates of the nonzero entries as rows of a `[count, ndim]` int32 array.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.argwhere(jnp.array([[1, 0], [0, 2]])).tolist(); // [[0, 0], [1, 1]]
 * ```
 */
export function argwhere(a: ArrayLike, o?: NonzeroOptions): NDArray {
  const x = asArray(a);
  const rows = stack(nonzero(atleast_1d(x), o), { axis: 1 });
  return x.ndim === 0 ? lax.slice(rows, [0, 0], [rows.shape[0], 0]) : rows;
}

/**
 * Options of unique.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.unique(jnp.array([3, 1, 3]), { return_counts: true }).map((a) => a.tolist()); // [[1, 3], [1, 2]]
 * ```
 */
export interface UniqueOptions {
  /** Also return the index of each value's first occurrence. */
  return_index?: boolean;
  /** Also return, for each input entry (in the input's shape), the index of its value in the result. */
  return_inverse?: boolean;
  /** Also return how often each value occurs. */
  return_counts?: boolean;
  /** A static result length (needed under jit and vmap): the smallest `size` values, padded. */
  size?: number;
  /** The padding of the values when `size` is given (default the smallest value); counts pad with 0. */
  fill_value?: ArrayLike;
  /** NaNs count as one value (default true). */
  equal_nan?: boolean;
}

type NoExtras = { return_index?: false; return_inverse?: false; return_counts?: false };

/**
 * The sorted distinct values of the flattened array; with any `return_*`
 * option, `[values, index?, inverse?, counts?]` in that order (int32 indices).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.unique(jnp.array([3, 1, 3, 2])).tolist(); // [1, 2, 3]
 * const [values, inverse] = jnp.unique(jnp.array([3, 1, 3]), { return_inverse: true });
 * inverse.tolist(); // [1, 0, 1]
 * jnp.unique(jnp.array([2, 2, 5]), { size: 3, fill_value: -1 }).tolist(); // [2, 5, -1]
 * ```
 */
export function unique(a: ArrayLike, o?: UniqueOptions & NoExtras): NDArray;
/** With any `return_*` option: `[values, index?, inverse?, counts?]`. */
export function unique(a: ArrayLike, o: UniqueOptions): NDArray[];
export function unique(a: ArrayLike, o: UniqueOptions = {}): NDArray | NDArray[] {
  const input = asArray(a);
  const x = ravel(input), n = x.size, size = o.size;
  const extras = o.return_index || o.return_inverse || o.return_counts;
  if (n === 0) {
    const len = size ?? 0, empty = lax.full([len], 0, "int32");
    const values = lax.full([len], o.fill_value === undefined ? 0 : toType(o.fill_value, x.dtype, false), x.dtype);
    const inverse = lax.reshape(lax.full([0], 0, "int32"), input.shape);
    const outs = [values, ...(o.return_index ? [empty] : []), ...(o.return_inverse ? [inverse] : [])];
    return extras ? [...outs, ...(o.return_counts ? [empty] : [])] : values;
  }
  const perm = argsort(x);
  const sorted = lax.gather(x, [perm], [0]);
  // mask[i]: sorted[i] starts a new value (NaNs equal to each other with equal_nan, as numpy).
  const hi = lax.slice(sorted, [1], [n]), lo = lax.slice(sorted, [0], [n - 1]);
  let differs = lax.ne(hi, lo);
  if (isFloat(x.dtype) && (o.equal_nan ?? true)) {
    differs = lax.and(differs, lax.not(lax.and(lax.ne(hi, hi), lax.ne(lo, lo))));
  }
  const mask = lax.concatenate([lax.full([1], true, "bool"), differs], 0);
  // Where each value's run starts and, one further, where the next one does (n after the last).
  let bounds = truePositions(mask, size === undefined ? undefined : size + 1, "unique");
  if (size === undefined) bounds = lax.concatenate([bounds, lax.full([1], n, "int32")], 0);
  const count = bounds.size - 1;
  const starts = lax.slice(bounds, [0], [count]);
  const valid = lax.lt(starts, n);
  // Padding slots read entry 0, the smallest value, as JAX's.
  const at = lax.select(valid, starts, lax.full([count], 0, "int32"));
  let values = lax.gather(sorted, [at], [0]);
  if (size !== undefined && o.fill_value !== undefined) {
    values = lax.select(valid, values, broadcastTo(toType(o.fill_value, x.dtype, false), [count], "unique"));
  }
  if (!extras) return values;
  const outs = [values];
  if (o.return_index) outs.push(lax.gather(perm, [at], [0]));
  if (o.return_inverse) {
    const group = lax.sub(lax.cumsum(lax.convert_element_type(mask, "int32"), 0), 1);
    outs.push(lax.reshape(lax.scatter(lax.full([n], 0, "int32"), [perm], group, [0], "set"), input.shape));
  }
  if (o.return_counts) outs.push(lax.sub(lax.slice(bounds, [1], [count + 1]), starts));
  return outs;
}
