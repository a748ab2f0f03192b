/**
 * `jax.scipy`.
 *
 * @module
 */

export * as linalg from "./scipy_linalg.ts";
export * as optimize from "./optimize.ts";
export * as special from "./scipy.ts";
export * as stats from "./stats_ns.ts";
