/**
 * Devices: which backend runs arrays.
 *
 * @module
 */

import { type ArrayLike, ConcreteArray, NDArray } from "./array.ts";
import { TreeError } from "./errors.ts";
import { asArray } from "./numpy/util.ts";
import { defaultBackend, getBackend, onBackend } from "./runtime.ts";
import { type PyTree, tree_map } from "./tree.ts";

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

/**
 * `jax.device_put(x, device?)`: the leaves of a pytree as arrays (numbers
 * become 0-d arrays; lists are pytree nodes, as in JAX) on `device`, by
 * default the default backend's. Arrays already there are returned as they are.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const params = jax.device_put({ w: jnp.ones([2]), b: 0 });
 * const y = jax.device_put(jnp.arange(3), jax.devices()[0]);
 * ```
 */
export function device_put(x: PyTree, device?: Device): PyTree {
  const backend = device ? getBackend(device.platform) : defaultBackend();
  return tree_map((leaf) => {
    if (!(leaf instanceof NDArray) && typeof leaf !== "number" && typeof leaf !== "boolean") {
      throw new TreeError(`device_put: a leaf of type ${typeof leaf} is not an array or a number`);
    }
    const a = asArray(leaf as ArrayLike, undefined, "device_put");
    return a instanceof ConcreteArray ? onBackend(a, backend) : a;
  }, x);
}

/**
 * `jax.block_until_ready(x)`: waits until every array of the pytree `x` is
 * computed (see NDArray.block_until_ready) and returns `x`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [a, b] = jax.block_until_ready([jnp.ones([3]).mul(2), jnp.zeros([2])]);
 * ```
 */
export function block_until_ready<T extends PyTree>(x: T): T {
  tree_map((leaf) => (leaf instanceof NDArray ? leaf.block_until_ready() : leaf), x);
  return x;
}
