/**
 * Named error classes. Every error jaxd raises on bad input is one of these, so
 * callers can tell what went wrong with `instanceof` and the message says what
 * to do instead.
 *
 * @module
 */

/**
 * Base class of jaxd's errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JaxdError, jnp } from "@jaxd/jaxd";
 * assert.throws(() => jnp.ones([2]).add(jnp.ones([3])), JaxdError); // every error jaxd raises on bad input
 * ```
 */
export class JaxdError extends Error {
  /**
   * An error whose name is its class's name.
   *
   * @param message what went wrong and what to do
   */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Shapes that do not fit together (broadcasting, reshape, matmul, ...).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jnp, ShapeError } from "@jaxd/jaxd";
 * assert.throws(() => jnp.ones([2]).add(jnp.ones([3])), ShapeError);
 * ```
 */
export class ShapeError extends JaxdError {}

/**
 * A dtype that is unknown, unsupported on this backend, or not allowed for an op.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DTypeError, jnp } from "@jaxd/jaxd";
 * assert.throws(() => jnp.zeros([2], { dtype: "complex64" }), DTypeError);
 * ```
 */
export class DTypeError extends JaxdError {}

/**
 * An axis outside `[-ndim, ndim)` or repeated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AxisError, jnp } from "@jaxd/jaxd";
 * assert.throws(() => jnp.sum(jnp.ones([2]), { axis: 3 }), AxisError);
 * ```
 */
export class AxisError extends JaxdError {}

/**
 * A bad argument value that is neither a shape nor a dtype problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jnp, ValueError } from "@jaxd/jaxd";
 * assert.throws(() => jnp.ones([2]).item(), ValueError);
 * ```
 */
export class ValueError extends JaxdError {}

/**
 * An index outside an array's bounds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IndexError, jnp } from "@jaxd/jaxd";
 * assert.throws(() => jnp.ones([2]).get(5), IndexError);
 * ```
 */
export class IndexError extends JaxdError {}

/**
 * Pytrees whose structures differ where they must match.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jax, TreeError } from "@jaxd/jaxd";
 * assert.throws(() => jax.tree_util.tree_map((a: number, b: number) => a + b, [1, 2], [1]), TreeError);
 * ```
 */
export class TreeError extends JaxdError {}

/**
 * A traced (abstract) value was used where a concrete one is needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConcretizationError, jax, jnp, lax } from "@jaxd/jaxd";
 * const f = jax.jit((x: jnp.NDArray) => (x.sum().item() > 0 ? x : x.neg())); // use lax.cond instead
 * assert.throws(() => f(jnp.ones([2])), ConcretizationError);
 * ```
 */
export class ConcretizationError extends JaxdError {}

/**
 * A tracer was used after the transformation that made it had returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EscapedTracerError, jax, jnp } from "@jaxd/jaxd";
 * let leaked: jnp.NDArray | undefined;
 * jax.jit((x: jnp.NDArray) => {
 *   leaked = x;
 *   return x;
 * })(jnp.ones([2]));
 * assert.throws(() => leaked!.add(1).dataSync(), EscapedTracerError);
 * ```
 */
export class EscapedTracerError extends JaxdError {}

/**
 * A backend failure: no device, device lost, shader compile error, out of memory.
 *
 * @example
 * ```ts
 * import { BackendError, JaxdError } from "@jaxd/jaxd";
 * const e = new BackendError("webgpu: device lost");
 * e instanceof JaxdError; // true
 * ```
 */
export class BackendError extends JaxdError {}

/**
 * The GPU device was lost (driver reset, or destroyed). The backend starts a
 * new device for the next operation; arrays whose values the host knows
 * (uploaded or read) keep them, arrays only the lost device held raise this.
 *
 * @example
 * ```ts
 * import { BackendError, DeviceLostError } from "@jaxd/jaxd";
 * new DeviceLostError("webgpu: device lost") instanceof BackendError; // true
 * ```
 */
export class DeviceLostError extends BackendError {}

/**
 * A generated shader failed to compile (a bug in jaxd's code generation, or
 * a driver limit); the message has the compiler's diagnostics. The runtime
 * stays usable.
 *
 * @example
 * ```ts
 * import { BackendError, ShaderCompileError } from "@jaxd/jaxd";
 * new ShaderCompileError("webgpu: shader compile failed") instanceof BackendError; // true
 * ```
 */
export class ShaderCompileError extends BackendError {}

/**
 * An internal invariant failed: a bug in jaxd, please report it.
 *
 * @example
 * ```ts
 * import { InternalError } from "@jaxd/jaxd";
 * const e = new InternalError("a rule returned the wrong shape");
 * e.message; // "internal: a rule returned the wrong shape"
 * ```
 */
export class InternalError extends JaxdError {
  /**
   * An error whose message starts with `internal:`.
   *
   * @param message what invariant failed
   */
  constructor(message: string) {
    super(`internal: ${message}`);
  }
}

/**
 * Formats a shape the way JAX prints it: `(3,)`, `(2, 3)`, `()`.
 *
 * @example
 * ```ts
 * import { fmtShape } from "@jaxd/jaxd";
 * fmtShape([2, 3]); // "(2, 3)"
 * ```
 */
export function fmtShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}
