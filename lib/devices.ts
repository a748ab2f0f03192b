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
  return [{ platform: b.name, device_kind: b.name === "cpu" ? "cpu" : b.name, id: 0 }];
}

/** The name of the default backend. */
export function default_backend(): string {
  return defaultBackend().name;
}
