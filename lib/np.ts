/**
 * `np`: numpy-style host helpers for scripts — the jnp functions plus
 * `np.random` (seeded generators for making data).
 *
 * @module
 */

export * from "./numpy.ts";
export * as random from "./np_random.ts";
export { loadtxt } from "./io.ts";
