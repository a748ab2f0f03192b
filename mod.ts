/**
 * jaxd: JAX-style scientific computing for Deno.
 *
 * - `jnp`: the numpy API (composites of lax primitives);
 * - `jax`: transformations (grad, jacfwd, vmap, jit, make_jaxpr, ...), pytrees, config;
 * - `lax`: primitives and control flow (scan, while_loop, cond, ...);
 * - `np`: numpy-style host helpers (np.random for data);
 * - `plot`: line, scatter and histogram plots as SVG (inline in `deno jupyter`).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (x: jnp.NDArray) => jnp.sum(x.mul(x));
 * console.log(jax.grad(f)(jnp.array([1, 2, 3]))); // Array([2., 4., 6.], dtype=float32)
 * ```
 *
 * @module
 */

import "./lib/gpu/register.ts";

export * as jnp from "./lib/numpy.ts";
export * as jax from "./lib/jax.ts";
export * as lax from "./lib/lax_ns.ts";
export * as np from "./lib/np.ts";
export * as plot from "./lib/plot.ts";
export { NDArray } from "./lib/array.ts";
export type {
  ArrayLike,
  AtIndexer,
  IndexSpec,
  NestedList,
  NestedNumbers,
  ReduceOptions,
  TypedNumbers,
} from "./lib/array.ts";
export type { DType, HostArray } from "./lib/dtype.ts";
export type { ShapedArray } from "./lib/trace/aval.ts";
export type { Shape } from "./lib/shape.ts";
export * from "./lib/errors.ts";
