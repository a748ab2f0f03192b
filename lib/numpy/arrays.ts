/**
 * Array construction and manipulation beyond shape.ts: roll, diff, ediff1d,
 * pad, meshgrid, column_stack, dstack, row_stack, array_split, hsplit,
 * vsplit, kron, cross, append, rot90, vander, geomspace and logspace.
 * Triangles, diagonals and index arrays (tri, tril, diag, trace, indices,
 * nonzero, unique, ...) are in arrays2.ts, re-exported from here.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { defaultFloat } from "../dtype.ts";
import { AxisError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { normAxis } from "../shape.ts";
import type { LinspaceOptions } from "./creation.ts";
import { multiply, subtract } from "./elementwise.ts";
import { take } from "./indexing.ts";
import { type AxisOptions, concatenate, flip, moveaxis, ravel, split, stack, swapaxes, vstack } from "./shape.ts";
import { asArray, broadcastTo, promoteDTypes, toType } from "./util.ts";

export * from "./arrays2.ts";

/**
 * Shifts elements by `shift` along `axis`, wrapping around; the flattened
 * array when `axis` is omitted. Several axes take a list of shifts (a single
 * shift or axis is used for all). A 0-d array shift may be traced.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.roll(jnp.array([1, 2, 3]), 1).tolist(); // [3, 1, 2]
 * jnp.roll(jnp.array([[1, 2], [3, 4]]), [1, -1], { axis: [0, 1] }).tolist(); // [[4, 3], [2, 1]]
 * ```
 */
export function roll(
  a: ArrayLike,
  shift: number | number[] | NDArray,
  o?: { axis?: number | number[] | null },
): NDArray {
  const x = asArray(a);
  if (o?.axis === undefined || o.axis === null) return lax.reshape(roll(ravel(x), shift, { axis: 0 }), x.shape);
  const axes = typeof o.axis === "number" ? [o.axis] : o.axis;
  const shifts = Array.isArray(shift) ? shift : [shift];
  if (axes.length !== shifts.length && axes.length !== 1 && shifts.length !== 1) {
    throw new ValueError(`roll: ${shifts.length} shifts for ${axes.length} axes; give one shift per axis`);
  }
  let out = x;
  for (let i = 0; i < Math.max(axes.length, shifts.length); i++) {
    const axis = normAxis("roll", axes[axes.length === 1 ? 0 : i], x.ndim);
    out = rollAxis(out, shifts[shifts.length === 1 ? 0 : i], axis);
  }
  return out;
}

function rollAxis(x: NDArray, shift: number | NDArray, axis: number): NDArray {
  const n = x.shape[axis];
  if (n === 0) return x;
  if (typeof shift === "number") {
    if (!Number.isInteger(shift)) throw new ValueError(`roll: shift must be an integer, got ${shift}`);
    const k = ((shift % n) + n) % n;
    if (k === 0) return x;
    return lax.concatenate([lax.slice_in_dim(x, n - k, n, 1, axis), lax.slice_in_dim(x, 0, n - k, 1, axis)], axis);
  }
  if (shift.ndim !== 0) throw new ShapeError(`roll: an array shift must be 0-d, got shape ${fmtShape(shift.shape)}`);
  // A traced shift: the array twice over, sliced at n - (shift mod n), as JAX's _roll_dynamic.
  const s = toType(shift, "int32", false);
  const k = lax.rem(lax.add(lax.rem(s, n), n), n);
  const start = x.shape.map((_, d) => (d === axis ? lax.sub(n, k) : 0));
  return lax.dynamic_slice(lax.concatenate([x, x], axis), start, [...x.shape]);
}

/** `x[1:] - x[:-1]` along `axis` (`!=` for booleans, as numpy). */
function step(x: NDArray, axis: number): NDArray {
  const n = x.shape[axis];
  const hi = lax.slice_in_dim(x, 1, n, 1, axis), lo = lax.slice_in_dim(x, 0, n - 1, 1, axis);
  return x.dtype === "bool" ? lax.ne(hi, lo) : lax.sub(hi, lo);
}

/**
 * Options of diff.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.diff(jnp.array([1, 4, 9]), { n: 2, prepend: 0 }).tolist(); // [2, 2]
 * ```
 */
export interface DiffOptions {
  /** How many times to difference (default 1). */
  n?: number;
  /** The axis (default -1). */
  axis?: number;
  /** Values put before the array along `axis` (a scalar is broadcast). */
  prepend?: ArrayLike;
  /** Values put after the array along `axis` (a scalar is broadcast). */
  append?: ArrayLike;
}

/**
 * The `n`-th discrete difference along `axis`: `x[1:] - x[:-1]`, `n` times.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.diff(jnp.array([1, 2, 4, 7])).tolist(); // [1, 2, 3]
 * jnp.diff(jnp.array([[1, 3], [4, 9]]), { axis: 0 }).tolist(); // [[3, 6]]
 * ```
 */
export function diff(a: ArrayLike, o?: DiffOptions): NDArray {
  let x = asArray(a);
  const n = o?.n ?? 1;
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`diff: order n must be a non-negative integer, got ${n}`);
  if (x.ndim === 0) throw new ShapeError("diff: needs an array of at least one dimension, got a 0-d array");
  const axis = normAxis("diff", o?.axis ?? -1, x.ndim);
  const edge = (v: ArrayLike) => {
    const e = asArray(v);
    return e.ndim === 0 ? broadcastTo(e, x.shape.map((d, i) => (i === axis ? 1 : d)), "diff") : e;
  };
  const parts = [
    ...(o?.prepend === undefined ? [] : [edge(o.prepend)]),
    x,
    ...(o?.append === undefined ? [] : [edge(o.append)]),
  ];
  if (parts.length > 1) x = concatenate(parts, { axis });
  for (let i = 0; i < n && x.shape[axis] > 0; i++) x = step(x, axis);
  return x;
}

/**
 * Differences of consecutive elements of the flattened array, with
 * optional values before and after (cast to the array's dtype).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ediff1d(jnp.array([1, 2, 4, 7]), { to_begin: -99, to_end: [88, 99] }).tolist(); // [-99, 1, 2, 3, 88, 99]
 * ```
 */
export function ediff1d(ary: ArrayLike, o?: { to_end?: ArrayLike; to_begin?: ArrayLike }): NDArray {
  const x = ravel(ary);
  const flat = (v: ArrayLike) => ravel(toType(v, x.dtype, false));
  const parts = [
    ...(o?.to_begin === undefined ? [] : [flat(o.to_begin)]),
    x.size ? step(x, 0) : x,
    ...(o?.to_end === undefined ? [] : [flat(o.to_end)]),
  ];
  return parts.length === 1 ? parts[0] : lax.concatenate(parts, 0);
}

/** The modes of pad. */
export type PadMode = "constant" | "edge" | "wrap" | "reflect" | "symmetric";
const PAD_MODES: readonly PadMode[] = ["constant", "edge", "wrap", "reflect", "symmetric"];

/**
 * Options of pad.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.pad(jnp.array([1, 2]), 1, { constant_values: [-1, 9] }).tolist(); // [-1, 1, 2, 9]
 * ```
 */
export interface PadOptions {
  /**
   * `"constant"` (default), `"edge"` (repeat the edge), `"wrap"` (periodic),
   * `"reflect"` (mirror without repeating the edge), `"symmetric"` (mirror with it).
   */
  mode?: PadMode;
  /** The value(s) of `"constant"` mode, broadcast as `pad_width` is (default 0). */
  constant_values?: ArrayLike;
}

/** numpy's broadcast of `pad_width` to one `[before, after]` per axis. */
function padPairs(width: number | number[] | number[][], ndim: number): [number, number][] {
  const rows = typeof width === "number"
    ? [[width]]
    : Array.isArray(width[0])
    ? width as number[][]
    : [width as number[]];
  const ok = (rows.length === 1 || rows.length === ndim) && rows.every((r) => r.length === 1 || r.length === 2);
  if (!ok || rows.flat().some((w) => !Number.isInteger(w) || w < 0)) {
    throw new ValueError(
      `pad: pad_width ${JSON.stringify(width)} for an array of dimension ${ndim}: give a non-negative integer, ` +
        `[before, after], or one [before, after] per axis`,
    );
  }
  return Array.from({ length: ndim }, (_, d) => {
    const r = rows[rows.length === 1 ? 0 : d];
    return [r[0], r[r.length - 1]];
  });
}

/** Where entry `i` (from -before) of a padded axis of length `n` reads from. */
function padSource(mode: Exclude<PadMode, "constant">, i: number, n: number): number {
  const mod = (v: number, m: number) => ((v % m) + m) % m;
  switch (mode) {
    case "edge":
      return Math.min(Math.max(i, 0), n - 1);
    case "wrap":
      return mod(i, n);
    case "reflect": {
      if (n === 1) return 0;
      const j = mod(i, 2 * n - 2);
      return j < n ? j : 2 * n - 2 - j;
    }
    case "symmetric": {
      const j = mod(i, 2 * n);
      return j < n ? j : 2 * n - 1 - j;
    }
    default:
      return mode satisfies never;
  }
}

/**
 * Pads an array: `pad_width` is a number (every side), `[before, after]`
 * (every axis), or one `[before, after]` per axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.pad(jnp.array([1, 2, 3]), [2, 1]).tolist(); // [0, 0, 1, 2, 3, 0]
 * jnp.pad(jnp.array([1, 2, 3]), 2, { mode: "reflect" }).tolist(); // [3, 2, 1, 2, 3, 2, 1]
 * jnp.pad(jnp.array([[1, 2]]), [[1, 0], [0, 1]], { mode: "edge" }).tolist(); // [[1, 2, 2], [1, 2, 2]]
 * ```
 */
export function pad(a: ArrayLike, pad_width: number | number[] | number[][], o?: PadOptions): NDArray {
  const x = asArray(a);
  const pairs = padPairs(pad_width, x.ndim);
  const mode = o?.mode ?? "constant";
  if (!PAD_MODES.includes(mode)) {
    throw new ValueError(`pad: mode ${JSON.stringify(mode)} is not supported; use one of ${PAD_MODES.join(", ")}`);
  }
  if (mode === "constant") {
    const c = toType(o?.constant_values ?? 0, x.dtype, false);
    if (c.ndim === 0) return lax.pad(x, c, pairs.map(([b, e]) => [b, e, 0]));
    const values = broadcastTo(c, [x.ndim, 2], "pad");
    const at = (d: number, j: number) => lax.reshape(lax.slice(values, [d, j], [d + 1, j + 1]), []);
    let out = x;
    pairs.forEach(([b, e], d) => {
      const config = (lo: number, hi: number) =>
        pairs.map((_, i): [number, number, number] => i === d ? [lo, hi, 0] : [0, 0, 0]);
      if (b) out = lax.pad(out, at(d, 0), config(b, 0));
      if (e) out = lax.pad(out, at(d, 1), config(0, e));
    });
    return out;
  }
  let out = x;
  pairs.forEach(([b, e], d) => {
    if (b === 0 && e === 0) return;
    const n = x.shape[d];
    if (n === 0) throw new ValueError(`pad: cannot pad the empty axis ${d} in mode "${mode}"; use mode "constant"`);
    const src = Array.from({ length: b + n + e }, (_, i) => padSource(mode, i - b, n));
    out = take(out, asArray(src, "int32"), { axis: d });
  });
  return out;
}

/**
 * Coordinate grids from 1-d arrays, given as a list: `"xy"` indexing
 * (default) swaps the first two axes of the result, as for images and
 * plots; `"ij"` is matrix indexing. `sparse` gives broadcastable arrays
 * with size-1 axes instead of full grids.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [X, Y] = jnp.meshgrid([jnp.array([1, 2, 3]), jnp.array([10, 20])]);
 * X.tolist(); // [[1, 2, 3], [1, 2, 3]]
 * Y.tolist(); // [[10, 10, 10], [20, 20, 20]]
 * jnp.meshgrid([jnp.arange(3), jnp.arange(2)], { indexing: "ij", sparse: true }).map((g) => g.shape); // [[3, 1], [1, 2]]
 * ```
 */
export function meshgrid(xs: ArrayLike[], o?: { indexing?: "xy" | "ij"; sparse?: boolean }): NDArray[] {
  const indexing = o?.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw new ValueError(`meshgrid: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}`);
  }
  const arrs = xs.map((x) => asArray(x));
  const bad = arrs.find((a) => a.ndim !== 1);
  if (bad) throw new ShapeError(`meshgrid: arrays must be 1-d, got shape ${fmtShape(bad.shape)}`);
  const dimOf = (i: number) => (indexing === "xy" && arrs.length > 1 && i < 2 ? 1 - i : i);
  const shape = arrs.map((_, d) => arrs[dimOf(d)].size);
  return arrs.map((a, i) => {
    const d = dimOf(i);
    return o?.sparse ? lax.reshape(a, shape.map((s, j) => (j === d ? s : 1))) : lax.broadcast_in_dim(a, shape, [d]);
  });
}

/**
 * Stacks 1-d arrays as the columns of a 2-d array (2-d arrays as they are).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.column_stack([jnp.array([1, 2]), jnp.array([3, 4])]).tolist(); // [[1, 3], [2, 4]]
 * ```
 */
export function column_stack(xs: ArrayLike[]): NDArray {
  return concatenate(
    xs.map((x) => {
      const a = asArray(x);
      return a.ndim < 2 ? lax.reshape(a, [a.size, 1]) : a;
    }),
    { axis: 1 },
  );
}

/**
 * Stacks along the third axis (1-d arrays `[n]` become `[1, n, 1]`, 2-d `[m, n]` become `[m, n, 1]`).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.dstack([jnp.array([1, 2]), jnp.array([3, 4])]).tolist(); // [[[1, 3], [2, 4]]]
 * ```
 */
export function dstack(xs: ArrayLike[]): NDArray {
  return concatenate(
    xs.map((x) => {
      const a = asArray(x);
      if (a.ndim === 0) return lax.reshape(a, [1, 1, 1]);
      if (a.ndim === 1) return lax.reshape(a, [1, a.size, 1]);
      return a.ndim === 2 ? lax.reshape(a, [...a.shape, 1]) : a;
    }),
    { axis: 2 },
  );
}

/**
 * Alias of vstack.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.row_stack([jnp.array([1, 2]), jnp.array([3, 4])]).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export const row_stack: typeof vstack = vstack;

/**
 * Splits into `sections` parts that may differ in size by one (the first
 * ones larger), or at the given indices, along `axis` (default 0).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.array_split(jnp.arange(5), 3).map((p) => p.tolist()); // [[0, 1], [2, 3], [4]]
 * ```
 */
export function array_split(a: ArrayLike, sections: number | number[], o?: AxisOptions): NDArray[] {
  const x = asArray(a);
  if (typeof sections !== "number") return split(x, sections, o);
  const axis = normAxis("array_split", o?.axis ?? 0, x.ndim);
  if (!Number.isInteger(sections) || sections <= 0) {
    throw new ValueError(`array_split: the number of sections must be a positive integer, got ${sections}`);
  }
  const n = x.shape[axis], q = Math.floor(n / sections), r = n % sections;
  return lax.split(x, Array.from({ length: sections }, (_, i) => q + (i < r ? 1 : 0)), axis);
}

/**
 * Splits along the second axis (the first for 1-d arrays) into equal parts or at indices.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.hsplit(jnp.arange(4).reshape([2, 2]), 2).map((p) => p.tolist()); // [[[0], [2]], [[1], [3]]]
 * ```
 */
export function hsplit(a: ArrayLike, sections: number | number[]): NDArray[] {
  const x = asArray(a);
  if (x.ndim === 0) throw new ShapeError("hsplit: needs an array of at least 1 dimension, got a 0-d array");
  return split(x, sections, { axis: x.ndim === 1 ? 0 : 1 });
}

/**
 * Splits along the first axis (of an array of at least 2 dimensions) into equal parts or at indices.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.vsplit(jnp.arange(4).reshape([2, 2]), 2).map((p) => p.tolist()); // [[[0, 1]], [[2, 3]]]
 * ```
 */
export function vsplit(a: ArrayLike, sections: number | number[]): NDArray[] {
  const x = asArray(a);
  if (x.ndim < 2) {
    throw new ShapeError(`vsplit: needs an array of at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  }
  return split(x, sections, { axis: 0 });
}

/**
 * The Kronecker product: blocks `a[i, j] * b` (the lower-rank input gets leading size-1 axes).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.kron(jnp.array([1, 10]), jnp.array([1, 2, 3])).tolist(); // [1, 2, 3, 10, 20, 30]
 * ```
 */
export function kron(a: ArrayLike, b: ArrayLike): NDArray {
  let [x, y] = promoteDTypes(a, b);
  const nd = Math.max(x.ndim, y.ndim);
  x = lax.reshape(x, [...Array(nd - x.ndim).fill(1), ...x.shape]);
  y = lax.reshape(y, [...Array(nd - y.ndim).fill(1), ...y.shape]);
  const p = multiply(lax.reshape(x, x.shape.flatMap((d) => [d, 1])), lax.reshape(y, y.shape.flatMap((d) => [1, d])));
  return lax.reshape(p, x.shape.map((d, i) => d * y.shape[i]));
}

/**
 * Options of cross.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cross(jnp.array([[1], [0], [0]]), jnp.array([[0], [1], [0]]), { axis: 0 }).tolist(); // [[0], [0], [1]]
 * ```
 */
export interface CrossOptions {
  /** The axis of `a`'s vectors (default -1). */
  axisa?: number;
  /** The axis of `b`'s vectors (default -1). */
  axisb?: number;
  /** The axis of the result's vectors (default -1). */
  axisc?: number;
  /** Sets all three axes. */
  axis?: number | null;
}

/**
 * The cross product of 3-vectors (broadcast over the other axes). A
 * 2-vector counts as having z = 0; two 2-vectors give only the z component.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cross(jnp.array([1, 0, 0]), jnp.array([0, 1, 0])).tolist(); // [0, 0, 1]
 * jnp.cross(jnp.array([1, 2]), jnp.array([3, 4])).item(); // -2
 * ```
 */
export function cross(a: ArrayLike, b: ArrayLike, o?: CrossOptions): NDArray {
  const axis = o?.axis ?? null;
  let [x, y] = promoteDTypes(a, b);
  x = moveaxis(x, axis ?? o?.axisa ?? -1, -1);
  y = moveaxis(y, axis ?? o?.axisb ?? -1, -1);
  const [dx, dy] = [x.shape[x.ndim - 1], y.shape[y.ndim - 1]];
  if (![2, 3].includes(dx) || ![2, 3].includes(dy)) {
    throw new ShapeError(`cross: vectors must have 2 or 3 components, got ${dx} and ${dy}`);
  }
  const comp = (v: NDArray, i: number) => lax.squeeze(lax.slice_in_dim(v, i, i + 1, 1, v.ndim - 1), [v.ndim - 1]);
  const z = (p: NDArray, q: NDArray) => subtract(multiply(comp(p, 0), comp(q, 1)), multiply(comp(p, 1), comp(q, 0)));
  if (dx === 2 && dy === 2) return z(x, y);
  const to3 = (v: NDArray) =>
    v.shape[v.ndim - 1] === 3
      ? v
      : lax.pad(v, 0, v.shape.map((_, i): [number, number, number] => i === v.ndim - 1 ? [0, 1, 0] : [0, 0, 0]));
  const [p, q] = [to3(x), to3(y)];
  const term = (i: number, j: number) => subtract(multiply(comp(p, i), comp(q, j)), multiply(comp(p, j), comp(q, i)));
  const c = stack([term(1, 2), term(2, 0), z(p, q)], { axis: -1 });
  return moveaxis(c, -1, axis ?? o?.axisc ?? -1);
}

/**
 * `values` appended to `arr` along `axis`; both flattened when `axis` is omitted.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.append(jnp.array([[1, 2]]), jnp.array([[3, 4]])).tolist(); // [1, 2, 3, 4]
 * jnp.append(jnp.array([[1, 2]]), jnp.array([[3, 4]]), { axis: 0 }).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export function append(arr: ArrayLike, values: ArrayLike, o?: { axis?: number | null }): NDArray {
  if (o?.axis === undefined || o.axis === null) return concatenate([ravel(arr), ravel(values)]);
  return concatenate([arr, values], { axis: o.axis });
}

/**
 * Rotates by 90° `k` times in the plane of `axes` (default `[0, 1]`), from the first axis towards the second.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.rot90(jnp.array([[1, 2], [3, 4]])).tolist(); // [[2, 4], [1, 3]]
 * ```
 */
export function rot90(m: ArrayLike, k = 1, o?: { axes?: [number, number] }): NDArray {
  const x = asArray(m);
  const axes = o?.axes ?? [0, 1];
  if (axes.length !== 2) throw new AxisError(`rot90: axes must be two axes, got ${JSON.stringify(axes)}`);
  if (x.ndim < 2) {
    throw new ShapeError(`rot90: needs an array of at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  }
  const [a0, a1] = axes.map((a) => normAxis("rot90", a, x.ndim));
  if (a0 === a1) throw new AxisError(`rot90: the two axes must be different, got ${JSON.stringify(axes)}`);
  if (!Number.isInteger(k)) throw new ValueError(`rot90: k must be an integer, got ${k}`);
  switch (((k % 4) + 4) % 4) {
    case 0:
      return x;
    case 1:
      return swapaxes(flip(x, a1), a0, a1);
    case 2:
      return flip(x, [a0, a1]);
    default:
      return flip(swapaxes(x, a0, a1), a1);
  }
}

/**
 * The Vandermonde matrix of a 1-d `x`: columns `x ** (N - 1)`, ..., `x ** 0`
 * (`N` defaults to the length of `x`), or ascending with `increasing`.
 * Powers are repeated products, so negative `x` and gradients at 0 are exact.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.vander(jnp.array([1, 2, 3])).tolist(); // [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
 * jnp.vander(jnp.array([-2, 3]), { N: 2, increasing: true }).tolist(); // [[1, -2], [1, 3]]
 * ```
 */
export function vander(x: ArrayLike, o?: { N?: number | null; increasing?: boolean }): NDArray {
  let v = asArray(x);
  if (v.ndim !== 1) throw new ShapeError(`vander: x must be 1-d, got shape ${fmtShape(v.shape)}`);
  if (v.dtype === "bool") v = lax.convert_element_type(v, "int32");
  const N = o?.N ?? v.size;
  if (!Number.isInteger(N) || N < 0) throw new ValueError(`vander: N must be a non-negative integer, got ${N}`);
  if (N === 0) return lax.full([v.size, 0], 0, v.dtype);
  const cols = [lax.full([v.size, 1], 1, v.dtype)];
  const col = lax.reshape(v, [v.size, 1]);
  while (cols.length < N) cols.push(cols.length === 1 ? col : lax.mul(cols[cols.length - 1], col));
  const out = lax.concatenate(cols, 1);
  return o?.increasing ? out : lax.rev(out, [1]);
}

/** numpy's linspace in float64 on the host (the last value exactly `stop`). */
function hostLinspace(start: number, stop: number, num: number, endpoint: boolean, op: string): number[] {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`${op}: num must be a non-negative integer, got ${num}`);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const ys = Array.from({ length: num }, (_, i) => start + i * step);
  if (endpoint && num > 1) ys[num - 1] = stop;
  return ys;
}

/**
 * `num` numbers from `start` to `stop` (both nonzero, of one sign), evenly
 * spaced on a log scale, each a constant times the one before.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.geomspace(1, 1000, 4).tolist(); // [1, 10, 100, 1000]
 * jnp.geomspace(-1, -16, 3, { endpoint: false }).tolist(); // [-1, -2.5198421478271484, -6.34960412979126]
 * ```
 */
export function geomspace(start: number, stop: number, num = 50, o?: LinspaceOptions): NDArray {
  if (start === 0 || stop === 0) throw new ValueError("geomspace: a geometric sequence cannot include zero");
  if (Math.sign(start) !== Math.sign(stop)) {
    throw new ValueError(`geomspace: start and stop must have the same sign, got ${start} and ${stop}`);
  }
  const sign = Math.sign(start), endpoint = o?.endpoint ?? true;
  const ys = hostLinspace(Math.log10(start * sign), Math.log10(stop * sign), num, endpoint, "geomspace");
  const vals = ys.map((y) => 10 ** y);
  if (num > 0) vals[0] = start * sign;
  if (num > 1 && endpoint) vals[num - 1] = stop * sign;
  return asArray(vals.map((v) => v * sign), o?.dtype ?? defaultFloat(), "geomspace");
}

/**
 * `base ** linspace(start, stop, num)`: `num` numbers from `base ** start` to `base ** stop` (default base 10).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logspace(0, 3, 4).tolist(); // [1, 10, 100, 1000]
 * jnp.logspace(0, 3, 3, { base: 2, endpoint: false }).tolist(); // [1, 2, 4]
 * ```
 */
export function logspace(
  start: number,
  stop: number,
  num = 50,
  o?: LinspaceOptions & { base?: number },
): NDArray {
  const base = o?.base ?? 10;
  const ys = hostLinspace(start, stop, num, o?.endpoint ?? true, "logspace");
  return asArray(ys.map((y) => base ** y), o?.dtype ?? defaultFloat(), "logspace");
}
