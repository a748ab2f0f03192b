/**
 * Abstract values: what a tracer knows of an array (shape, dtype, weak type).
 *
 * @module
 */

import { type DType, SHORT_NAME } from "../dtype.ts";
import { prod, type Shape, shapeEq } from "../shape.ts";

/**
 * The abstract value of an array: shape, dtype and JAX's weak-type flag.
 *
 * @example
 * ```ts
 * import { jnp, type ShapedArray } from "@jaxd/jaxd";
 * const a: ShapedArray = jnp.zeros([2, 3]).aval;
 * String(a); // "f32[2,3]"
 * ```
 */
export class ShapedArray {
  /**
   * An abstract value (arrays have one as `x.aval`).
   *
   * @param shape dimensions
   * @param dtype element type
   * @param weakType true for values that came from JS numbers (see dtype.ts)
   */
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly weakType = false,
  ) {}

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return prod(this.shape);
  }

  /** Same shape and dtype (weak type ignored). */
  equals(other: ShapedArray): boolean {
    return this.dtype === other.dtype && shapeEq(this.shape, other.shape);
  }

  /** The same aval with the weak-type flag set as given. */
  withWeak(weakType: boolean): ShapedArray {
    return weakType === this.weakType ? this : new ShapedArray(this.shape, this.dtype, weakType);
  }

  /** JAX's short form: `f32[3,2]`. */
  toString(): string {
    return `${SHORT_NAME[this.dtype]}[${this.shape.join(",")}]`;
  }
}
