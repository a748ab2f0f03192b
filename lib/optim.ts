/**
 * An optax-like optimiser module over pytrees: `sgd` (with momentum and
 * Nesterov), `momentum`, `adam`, and `apply_updates`. States are pytrees of
 * arrays, so `init`/`update` work inside `jax.jit`, `lax.scan` and `vmap`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt = jax.optim.adam(0.1);
 * const loss = (p: { w: jnp.NDArray }) => jnp.sum(p.w.mul(p.w));
 * let params = { w: jnp.array([1, -2]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 3; i++) {
 *   const [updates, s] = opt.update(jax.grad(loss)(params), state, params);
 *   params = jax.optim.apply_updates(params, updates);
 *   state = s;
 * }
 * ```
 *
 * @module
 */

import type { NDArray } from "./array.ts";
import * as lax from "./lax.ts";
import { add, divide, multiply, power, sqrt, subtract, zeros_like } from "./numpy.ts";
import { asArray } from "./numpy/util.ts";
import { type PyTree, tree_map } from "./tree.ts";

/**
 * An optimiser: `init(params) -> state`, `update(grads, state, params?) -> [updates, newState]`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt: jax.optim.GradientTransformation = jax.optim.sgd(0.1);
 * const params = jnp.array([1, 2]);
 * const [updates] = opt.update(jnp.array([1, -1]), opt.init(params), params);
 * updates; // Array([-0.1,  0.1], dtype=float32)
 * ```
 */
export interface GradientTransformation {
  /** The initial state for `params`. */
  init(params: PyTree): PyTree;
  /** The updates (to add to the params) and the new state. */
  update(grads: PyTree, state: PyTree, params?: PyTree): [PyTree, PyTree];
}

/**
 * Options of sgd.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt = jax.optim.sgd(0.1, { momentum: 0.9, nesterov: true });
 * const params = jnp.array([1, 2]);
 * const [updates] = opt.update(jnp.array([1, -1]), opt.init(params), params);
 * updates; // Array([-0.19,  0.19], dtype=float32)
 * ```
 */
export interface SgdOptions {
  /** Momentum decay (none when omitted or null). */
  momentum?: number | null;
  /** Use Nesterov momentum. */
  nesterov?: boolean;
}

const scaleTree = (tree: PyTree, s: number): PyTree => tree_map((g: NDArray) => multiply(g, s), tree);

/**
 * Stochastic gradient descent, as `optax.sgd`: with momentum `m`, the
 * trace `t = g + m t` (Nesterov: updates `g + m t_new`), then `-lr` times it.
 * The state is `{}` without momentum, else `{ trace }`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt = jax.optim.sgd(0.1, { momentum: 0.9 });
 * const state = opt.init(jnp.array([1, 2]));
 * const [updates] = opt.update(jnp.array([1, 1]), state);
 * updates.tolist(); // ≈ [-0.1, -0.1]
 * ```
 */
export function sgd(learning_rate: number, o: SgdOptions = {}): GradientTransformation {
  const decay = o.momentum ?? null;
  const nesterov = o.nesterov ?? false;
  return {
    init(params: PyTree): PyTree {
      if (decay === null) return {};
      return { trace: tree_map((p: NDArray) => zeros_like(asArray(p)), params) };
    },
    update(grads: PyTree, state: PyTree): [PyTree, PyTree] {
      if (decay === null) return [scaleTree(grads, -learning_rate), state];
      const f = (g: NDArray, t: NDArray) => add(g, multiply(t, decay));
      const trace = tree_map(f, grads, state.trace);
      const upd = nesterov ? tree_map(f, grads, trace) : trace;
      return [scaleTree(upd, -learning_rate), { trace }];
    },
  };
}

/**
 * SGD with (heavy-ball, or Nesterov) momentum: `sgd(lr, { momentum: beta, nesterov })`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt = jax.optim.momentum(0.1, 0.9);
 * const params = jnp.array([1, 2]);
 * const [updates] = opt.update(jnp.array([1, -1]), opt.init(params), params);
 * updates; // Array([-0.1,  0.1], dtype=float32)
 * ```
 */
export function momentum(learning_rate: number, beta = 0.9, nesterov = false): GradientTransformation {
  return sgd(learning_rate, { momentum: beta, nesterov });
}

/**
 * Options of adam.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt = jax.optim.adam(1e-3, { b1: 0.9, b2: 0.999, eps: 1e-8 });
 * const params = jnp.array([1, 2]);
 * const [updates] = opt.update(jnp.array([1, -1]), opt.init(params), params);
 * updates; // Array([-0.00099999,  0.00099999], dtype=float32)
 * ```
 */
export interface AdamOptions {
  /** Decay of the first moment (0.9). */
  b1?: number;
  /** Decay of the second moment (0.999). */
  b2?: number;
  /** Added to the denominator outside the square root (1e-8). */
  eps?: number;
  /** Added to the second moment inside the square root (0). */
  eps_root?: number;
}

/**
 * Adam, as `optax.adam`: `mu = b1 mu + (1 - b1) g`, `nu = b2 nu + (1 - b2) g²`,
 * `count += 1`, updates `-lr * mu_hat / (sqrt(nu_hat + eps_root) + eps)` with
 * the bias corrections `mu_hat = mu / (1 - b1^count)`, `nu_hat = nu / (1 - b2^count)`.
 * The state is `{ count (int32 scalar), mu, nu }`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const opt = jax.optim.adam(0.1);
 * const params = { w: jnp.array([1, 2]) };
 * const state = opt.init(params);
 * const [updates] = opt.update({ w: jnp.array([0.5, -0.5]) }, state, params);
 * (jax.optim.apply_updates(params, updates) as { w: jnp.NDArray }).w;
 * // Array([0.9000007, 2.0999994], dtype=float32)
 * ```
 */
export function adam(learning_rate: number, o: AdamOptions = {}): GradientTransformation {
  const b1 = o.b1 ?? 0.9;
  const b2 = o.b2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  const epsRoot = o.eps_root ?? 0;
  return {
    init(params: PyTree): PyTree {
      const zeros = () => tree_map((p: NDArray) => zeros_like(asArray(p)), params);
      return { count: lax.full([], 0, "int32"), mu: zeros(), nu: zeros() };
    },
    update(grads: PyTree, state: PyTree): [PyTree, PyTree] {
      const mu = tree_map((g: NDArray, m: NDArray) => add(multiply(g, 1 - b1), multiply(m, b1)), grads, state.mu);
      const nu = tree_map(
        (g: NDArray, v: NDArray) => add(multiply(multiply(g, g), 1 - b2), multiply(v, b2)),
        grads,
        state.nu,
      );
      const count: NDArray = lax.add(state.count, lax.full([], 1, "int32"));
      const updates = tree_map(
        (m: NDArray, v: NDArray) => {
          const t = count.astype(m.dtype);
          const mHat = divide(m, subtract(1, power(b1, t)));
          const vHat = divide(v, subtract(1, power(b2, t)));
          return multiply(divide(mHat, add(sqrt(add(vHat, epsRoot)), eps)), -learning_rate);
        },
        mu,
        nu,
      );
      return [updates, { count, mu, nu }];
    },
  };
}

/**
 * `params + updates`, leaf by leaf (each result keeps the param's dtype).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.optim.apply_updates({ w: jnp.array([1, 2]) }, { w: jnp.array([0.5, -0.5]) });
 * // { w: Array([1.5, 1.5], dtype=float32) }
 * ```
 */
export function apply_updates(params: PyTree, updates: PyTree): PyTree {
  return tree_map(
    (p: NDArray, u: NDArray) => {
      const a = asArray(p);
      return add(a, u).astype(a.dtype);
    },
    params,
    updates,
  );
}
