/**
 * The `jax` namespace: transformations, pytrees, config, devices, and the
 * `numpy`, `lax` and `scipy` sub-namespaces.
 *
 * @module
 */

export {
  custom_jvp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  make_jaxpr,
  stop_gradient,
  value_and_grad,
  vjp,
  vmap,
} from "./api.ts";
export { config } from "./config.ts";
export * as tree_util from "./tree_util.ts";
export * as numpy from "./numpy.ts";
export * as lax from "./lax_ns.ts";
export * as scipy from "./scipy_ns.ts";
export * as random from "./random.ts";
export * as nn from "./nn.ts";
export * as optim from "./optim.ts";
export { block_until_ready, default_backend, device_put, devices } from "./devices.ts";
export * as profiler from "./profiler.ts";
export type { Device } from "./devices.ts";
