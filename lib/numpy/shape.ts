/**
 * Shape manipulation: reshape, ravel, transpose, swapaxes, moveaxis,
 * expand_dims, squeeze, broadcast_to, concatenate, stack, split, tile,
 * repeat, flip.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { AxisError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { broadcastShapes, normAxes, normAxis } from "../shape.ts";
import { asArray, broadcastTo, resultOf } from "./util.ts";

/**
 * Gives `x` a new shape with the same data; one dimension may be -1.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.reshape(jnp.arange(6), [2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: ArrayLike, shape: number | number[]): NDArray {
  const a = asArray(x);
  const s = typeof shape === "number" ? [shape] : [...shape];
  const free = s.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError(`reshape: only one dimension can be -1, got ${JSON.stringify(s)}`);
  if (s.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid shape ${JSON.stringify(s)}`);
  }
  if (free) {
    const known = s.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    if (known === 0 || a.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape an array of size ${a.size} into shape ${JSON.stringify(s)}`);
    }
    s[s.indexOf(-1)] = a.size / known;
  }
  // Checked here as well as in the rule, so that under vmap the message names
  // the user's (unbatched) shapes, not the batched ones the rule sees.
  if (s.reduce((p, d) => p * d, 1) !== a.size) {
    throw new ShapeError(
      `reshape: cannot reshape an array of shape ${fmtShape(a.shape)} (size ${a.size}) into shape ${fmtShape(s)}`,
    );
  }
  if (s.join() === a.shape.join()) return a;
  return lax.reshape(a, s);
}

/**
 * Flattens to one dimension.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ravel(jnp.array([[1, 2], [3, 4]])); // Array([1., 2., 3., 4.], dtype=float32)
 * ```
 */
export function ravel(x: ArrayLike): NDArray {
  const a = asArray(x);
  return a.ndim === 1 ? a : lax.reshape(a, [a.size]);
}

/**
 * Permutes axes; reverses them when `axes` is omitted.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.transpose(jnp.zeros([2, 3])).shape; // [3, 2]
 * ```
 */
export function transpose(x: ArrayLike, axes?: number[] | null): NDArray {
  const a = asArray(x);
  const perm = axes ? axes.map((ax) => normAxis("transpose", ax, a.ndim)) : [...Array(a.ndim).keys()].reverse();
  if (perm.length !== a.ndim || new Set(perm).size !== a.ndim) {
    throw new AxisError(`transpose: axes ${JSON.stringify(axes)} don't match an array of dimension ${a.ndim}`);
  }
  return perm.every((p, i) => p === i) ? a : lax.transpose(a, perm);
}

/**
 * Exchanges two axes.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.swapaxes(jnp.zeros([2, 3, 4]), 0, 2).shape; // [4, 3, 2]
 * ```
 */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): NDArray {
  const a = asArray(x);
  const perm = [...Array(a.ndim).keys()];
  const i = normAxis("swapaxes", axis1, a.ndim), j = normAxis("swapaxes", axis2, a.ndim);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return transpose(a, perm);
}

/**
 * Moves axes to new positions.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.moveaxis(jnp.zeros([2, 3, 4]), 0, -1).shape; // [3, 4, 2]
 * ```
 */
export function moveaxis(x: ArrayLike, source: number | number[], destination: number | number[]): NDArray {
  const a = asArray(x);
  const src = (typeof source === "number" ? [source] : source).map((s) => normAxis("moveaxis", s, a.ndim));
  const dst = (typeof destination === "number" ? [destination] : destination).map((d) =>
    normAxis("moveaxis", d, a.ndim)
  );
  if (src.length !== dst.length) {
    throw new AxisError("moveaxis: source and destination must have the same number of axes");
  }
  const order = [...Array(a.ndim).keys()].filter((i) => !src.includes(i));
  const pairs = dst.map((d, k) => [d, src[k]]).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return transpose(a, order);
}

/**
 * Inserts size-1 axes at `axis` (positions in the result).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.expand_dims(jnp.array([1, 2]), 0).shape; // [1, 2]
 * ```
 */
export function expand_dims(x: ArrayLike, axis: number | number[]): NDArray {
  const a = asArray(x);
  const list = typeof axis === "number" ? [axis] : axis;
  const nd = a.ndim + list.length;
  const dims = normAxes("expand_dims", list, nd);
  return lax.expand_dims(a, dims);
}

/**
 * Removes size-1 axes (all, or the ones given).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.squeeze(jnp.zeros([1, 3, 1])).shape; // [3]
 * ```
 */
export function squeeze(x: ArrayLike, axis?: number | number[] | null): NDArray {
  const a = asArray(x);
  const dims = axis === undefined || axis === null
    ? a.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
    : normAxes("squeeze", axis, a.ndim);
  for (const d of dims) {
    if (a.shape[d] !== 1) {
      throw new ShapeError(
        `squeeze: cannot select an axis to squeeze out which has size not equal to one (axis ${d}, shape ${
          fmtShape(a.shape)
        })`,
      );
    }
  }
  return dims.length ? lax.squeeze(a, dims) : a;
}

/**
 * Broadcasts `x` to `shape`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.broadcast_to(jnp.array([1, 2]), [2, 2]);
 * // Array([[1., 2.],
 * //        [1., 2.]], dtype=float32)
 * ```
 */
export function broadcast_to(x: ArrayLike, shape: number[]): NDArray {
  return broadcastTo(asArray(x), shape);
}

/**
 * Broadcasts arrays against each other.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.broadcast_arrays(jnp.array([1, 2]), jnp.array([[0], [10]])).map((a) => a.shape); // [[2, 2], [2, 2]]
 * ```
 */
export function broadcast_arrays(...xs: ArrayLike[]): NDArray[] {
  const arrs = xs.map((x) => asArray(x));
  const shape = broadcastShapes("broadcast_arrays", ...arrs.map((a) => a.shape));
  return arrs.map((a) => broadcastTo(a, shape));
}

/**
 * Options with an axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.concatenate([jnp.ones([1, 2]), jnp.zeros([1, 2])], { axis: 0 });
 * // Array([[1., 1.],
 * //        [0., 0.]], dtype=float32)
 * ```
 */
export interface AxisOptions {
  /** The axis (default 0). */
  axis?: number | null;
}

/**
 * Joins arrays along an existing axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.concatenate([jnp.ones([2]), jnp.zeros([3])]).shape; // [5]
 * ```
 */
export function concatenate(xs: ArrayLike[], o?: AxisOptions): NDArray {
  if (xs.length === 0) throw new ValueError("concatenate: need at least one array to concatenate");
  const { dtype } = resultOf(...xs);
  let arrs = xs.map((x) => asArray(x)).map((a) => (a.dtype === dtype ? a : lax.convert_element_type(a, dtype)));
  if (o?.axis === null) arrs = arrs.map((a) => lax.reshape(a, [a.size]));
  if (arrs.some((a) => a.ndim === 0)) {
    throw new ShapeError("concatenate: zero-dimensional arrays cannot be concatenated");
  }
  const axis = normAxis("concatenate", o?.axis ?? 0, arrs[0].ndim);
  if (arrs.length === 1) return arrs[0];
  return lax.concatenate(arrs, axis);
}

/**
 * Joins arrays along a new axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.stack([jnp.array([1, 2]), jnp.array([3, 4])], { axis: 1 });
 * // Array([[1., 3.],
 * //        [2., 4.]], dtype=float32)
 * ```
 */
export function stack(xs: ArrayLike[], o?: AxisOptions): NDArray {
  if (xs.length === 0) throw new ValueError("stack: need at least one array to stack");
  const arrs = xs.map((x) => asArray(x));
  const shape = arrs[0].shape;
  if (arrs.some((a) => a.shape.join() !== shape.join())) {
    throw new ShapeError(
      `stack: all input arrays must have the same shape, got ${arrs.map((a) => fmtShape(a.shape)).join(", ")}`,
    );
  }
  const axis = normAxis("stack", o?.axis ?? 0, shape.length + 1);
  return concatenate(arrs.map((a) => lax.expand_dims(a, [axis])), { axis });
}

/**
 * Stacks along the first axis (1-d arrays become rows).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.vstack([jnp.array([1, 2]), jnp.array([3, 4])]);
 * // Array([[1., 2.],
 * //        [3., 4.]], dtype=float32)
 * ```
 */
export function vstack(xs: ArrayLike[]): NDArray {
  return concatenate(xs.map((x) => atleast_2d(x)), { axis: 0 });
}
/**
 * Stacks along the second axis (the first for 1-d arrays).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.hstack([jnp.array([1, 2]), jnp.array([3])]); // Array([1., 2., 3.], dtype=float32)
 * ```
 */
export function hstack(xs: ArrayLike[]): NDArray {
  const arrs = xs.map((x) => atleast_1d(x));
  return concatenate(arrs, { axis: arrs[0].ndim === 1 ? 0 : 1 });
}
/**
 * Scalars become 1-d.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.atleast_1d(5).shape; // [1]
 * ```
 */
export function atleast_1d(x: ArrayLike): NDArray {
  const a = asArray(x);
  return a.ndim === 0 ? lax.reshape(a, [1]) : a;
}
/**
 * Scalars and 1-d arrays become 2-d rows.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.atleast_2d(jnp.array([1, 2])).shape; // [1, 2]
 * ```
 */
export function atleast_2d(x: ArrayLike): NDArray {
  const a = atleast_1d(x);
  return a.ndim === 1 ? lax.reshape(a, [1, a.size]) : a;
}

/**
 * Splits into `n` equal sections, or at the given indices, along `axis`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.split(jnp.arange(6), 3).map((p) => p.tolist()); // [[0, 1], [2, 3], [4, 5]]
 * ```
 */
export function split(x: ArrayLike, sections: number | number[], o?: AxisOptions): NDArray[] {
  const a = asArray(x);
  const axis = normAxis("split", o?.axis ?? 0, a.ndim);
  const n = a.shape[axis];
  let bounds: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new ShapeError(`split: array split does not result in an equal division (${n} into ${sections})`);
    }
    bounds = [...Array(sections + 1).keys()].map((i) => (i * n) / sections);
  } else {
    bounds = [0, ...sections.map((s) => Math.min(Math.max(s < 0 ? s + n : s, 0), n)), n];
  }
  const sizes = bounds.slice(1).map((b, i) => Math.max(0, b - bounds[i]));
  return lax.split(a, sizes, axis);
}

/**
 * Repeats the whole array `reps` times along each axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tile(jnp.array([1, 2]), 2); // Array([1., 2., 1., 2.], dtype=float32)
 * ```
 */
export function tile(x: ArrayLike, reps: number | number[]): NDArray {
  let a = asArray(x);
  const r = typeof reps === "number" ? [reps] : reps;
  const nd = Math.max(a.ndim, r.length);
  const rr = [...Array(nd - r.length).fill(1), ...r];
  if (a.ndim < nd) a = lax.reshape(a, [...Array(nd - a.ndim).fill(1), ...a.shape]);
  // Broadcast to [r0, d0, r1, d1, ...] and merge pairs.
  const inter = a.shape.flatMap((d, i) => [rr[i], d]);
  const b = lax.broadcast_in_dim(a, inter, a.shape.map((_, i) => 2 * i + 1));
  return lax.reshape(b, a.shape.map((d, i) => d * rr[i]));
}

/**
 * Repeats each element `repeats` times along `axis` (flattened when omitted).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.repeat(jnp.array([1, 2]), 2); // Array([1., 1., 2., 2.], dtype=float32)
 * ```
 */
export function repeat(x: ArrayLike, repeats: number | number[], o?: AxisOptions): NDArray {
  let a = asArray(x);
  if (o?.axis === undefined || o.axis === null) a = lax.reshape(a, [a.size]);
  const axis = normAxis("repeat", o?.axis ?? 0, a.ndim);
  const n = a.shape[axis];
  if (typeof repeats === "number") {
    const inter = [...a.shape.slice(0, axis + 1), repeats, ...a.shape.slice(axis + 1)];
    const dims = a.shape.map((_, i) => (i <= axis ? i : i + 1));
    const b = lax.broadcast_in_dim(a, inter, dims);
    return lax.reshape(b, a.shape.map((d, i) => (i === axis ? d * repeats : d)));
  }
  if (repeats.length !== n) throw new ShapeError(`repeat: ${repeats.length} repeats for an axis of length ${n}`);
  const idx = repeats.flatMap((r, i) => Array(r).fill(i));
  return lax.gather(a, [asArray(idx, "int32")], [axis]).transpose(...moveFront(a.ndim, axis));
}

function moveFront(nd: number, axis: number): number[] {
  // gather put the indexed axis first; move it back to `axis`.
  const perm = [...Array(nd).keys()].slice(1);
  perm.splice(axis, 0, 0);
  return perm;
}

/**
 * Reverses the order of elements along `axis` (all axes when omitted).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.flip(jnp.array([1, 2, 3])); // Array([3., 2., 1.], dtype=float32)
 * ```
 */
export function flip(x: ArrayLike, axis?: number | number[] | null): NDArray {
  const a = asArray(x);
  return lax.rev(a, normAxes("flip", axis, a.ndim));
}
/**
 * Reverses the first axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.flipud(jnp.array([[1, 2], [3, 4]]));
 * // Array([[3., 4.],
 * //        [1., 2.]], dtype=float32)
 * ```
 */
export function flipud(x: ArrayLike): NDArray {
  return flip(x, 0);
}
/**
 * Reverses the second axis.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.fliplr(jnp.array([[1, 2], [3, 4]]));
 * // Array([[2., 1.],
 * //        [4., 3.]], dtype=float32)
 * ```
 */
export function fliplr(x: ArrayLike): NDArray {
  return flip(x, 1);
}
