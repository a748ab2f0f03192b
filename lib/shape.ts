/**
 * Shapes: broadcasting and axis normalisation. Errors name the op and the
 * shapes involved.
 *
 * @module
 */

import { AxisError, fmtShape, ShapeError } from "./errors.ts";

/**
 * A shape: one non-negative integer per dimension.
 *
 * @example
 * ```ts
 * import { jnp, type Shape } from "@jaxd/jaxd";
 * const s: Shape = jnp.zeros([2, 3]).shape;
 * s; // [2, 3]
 * ```
 */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function prod(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Whether two shapes are equal. */
export function shapeEq(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major (C order) strides of a shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * The numpy broadcast of several shapes.
 *
 * @example
 * ```ts
 * import { broadcastShapes } from "./shape.ts";
 * broadcastShapes("add", [3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i];
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(fmtShape).join(" and ")} cannot be broadcast ` +
            `(dimensions must be equal or 1, aligned from the right)`,
        );
      }
    }
  }
  return out;
}

/** Normalises one axis into `[0, ndim)`, accepting negative axes. */
export function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new AxisError(
      `${op}: axis ${axis} is out of bounds for an array of dimension ${ndim}` +
        (ndim > 0 ? ` (valid axes are ${-ndim}..${ndim - 1})` : ""),
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises an `axis` argument (undefined/null = all axes, a number, or a list)
 * into sorted, distinct, non-negative axes.
 */
export function normAxes(
  op: string,
  axis: number | readonly number[] | null | undefined,
  ndim: number,
): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normAxis(op, a, ndim));
  if (new Set(out).size !== out.length) {
    throw new AxisError(`${op}: repeated axis in ${JSON.stringify(list)}`);
  }
  return out.sort((a, b) => a - b);
}

/** Checks that a user-given shape is a list of non-negative integers. */
export function checkShape(op: string, shape: unknown): number[] {
  // A 0-d array as a dimension is read as a number (as JAX does); a traced one
  // raises a ConcretizationError from the read, which says to make it static.
  const dim = (d: unknown) => (typeof d === "object" && d !== null && Symbol.toPrimitive in d ? Number(d) : d);
  const list = typeof shape === "number" ? [shape] : Array.isArray(shape) ? shape.map(dim) : shape;
  if (!Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(
      `${op}: shape must be a list of non-negative integers, got ${JSON.stringify(list)}`,
    );
  }
  return [...list];
}
