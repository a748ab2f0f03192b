/**
 * `jax.scipy`.
 *
 * @module
 */

export * as special from "./scipy.ts";
