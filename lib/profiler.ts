/**
 * `jax.profiler`: counters of device work (submits, dispatches, readbacks,
 * pipelines compiled) on the default backend.
 *
 * @module
 */

import { defaultBackend } from "./runtime.ts";

/**
 * Counts of device work since the last reset.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * const c: jax.profiler.Counters = jax.profiler.counters();
 * typeof c.submits; // "number"
 * ```
 */
export interface Counters {
  /** Queue submits (command buffers sent to the device). */
  submits: number;
  /** Compute dispatches. */
  dispatches: number;
  /** Reads of device buffers back to the host. */
  readbacks: number;
  /** Compute pipelines compiled. */
  pipelines_compiled: number;
}

/**
 * The counters of the default backend (all zero on cpu). Waits for queued
 * device work first, so the numbers are complete.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.profiler.reset_counters();
 * const c = jax.profiler.counters(); // { submits: 0, dispatches: 0, ... }
 * ```
 */
export function counters(): Counters {
  const b = defaultBackend();
  return b.counters?.() ?? { submits: 0, dispatches: 0, readbacks: 0, pipelines_compiled: 0 };
}

/**
 * Resets the counters of the default backend.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.profiler.reset_counters();
 * jnp.ones([3]).add(1).dataSync();
 * jax.profiler.counters().submits >= 0; // true
 * ```
 */
export function reset_counters(): void {
  defaultBackend().resetCounters?.();
}
