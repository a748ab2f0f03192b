/**
 * `jax.scipy`.
 *
 * @module
 */

export * as special from "./scipy.ts";
export * as stats from "./stats_ns.ts";
