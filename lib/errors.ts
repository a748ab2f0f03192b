/**
 * Named error classes. Every error jaxd raises on bad input is one of these, so
 * callers can tell what went wrong with `instanceof` and the message says what
 * to do instead.
 *
 * @module
 */

/** Base class of jaxd's errors. */
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

/** Shapes that do not fit together (broadcasting, reshape, matmul, ...). */
export class ShapeError extends JaxdError {}

/** A dtype that is unknown, unsupported on this backend, or not allowed for an op. */
export class DTypeError extends JaxdError {}

/** An axis outside `[-ndim, ndim)` or repeated. */
export class AxisError extends JaxdError {}

/** A bad argument value that is neither a shape nor a dtype problem. */
export class ValueError extends JaxdError {}

/** An index outside an array's bounds. */
export class IndexError extends JaxdError {}

/** Pytrees whose structures differ where they must match. */
export class TreeError extends JaxdError {}

/** A traced (abstract) value was used where a concrete one is needed. */
export class ConcretizationError extends JaxdError {}

/** A tracer was used after the transformation that made it had returned. */
export class EscapedTracerError extends JaxdError {}

/** A backend failure: no device, device lost, shader compile error, out of memory. */
export class BackendError extends JaxdError {}

/** An internal invariant failed: a bug in jaxd, please report it. */
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

/** Formats a shape the way JAX prints it: `(3,)`, `(2, 3)`, `()`. */
export function fmtShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}
