/**
 * Devices: which backend runs arrays.
 *
 * @module
 */

import { defaultBackend } from "./runtime.ts";

/** A compute device, as `jax.devices()` lists them. */
export interface Device {
  /** `"cpu"` or `"webgpu"`. */
  platform: string;
  /** The adapter's description (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)") or "cpu". */
  device_kind: string;
  /** Index among devices. */
  id: number;
  /** Device memory in use by arrays, its peak, and the number of allocations. */
  memory_stats(): { bytes_in_use: number; peak_bytes_in_use: number; num_allocs: number };
}

/**
 * The devices of the default backend.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.devices()[0].platform; // "cpu" or "webgpu"
 * ```
 */
export function devices(): Device[] {
  const b = defaultBackend();
  return [{
    platform: b.name,
    device_kind: b.description ?? b.name,
    id: 0,
    memory_stats: () => b.memoryStats?.() ?? { bytes_in_use: 0, peak_bytes_in_use: 0, num_allocs: 0 },
  }];
}

/** The name of the default backend. */
export function default_backend(): string {
  return defaultBackend().name;
}
