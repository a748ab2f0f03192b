/**
 * `jax.nn`: activation functions, softmax and one_hot, as composites of jnp
 * and lax functions (so they work under grad, vmap and jit on both backends).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.softmax(jnp.array([0, Math.log(3)])).tolist(); // ≈ [0.25, 0.75]
 * ```
 *
 * @module
 */

import type { ArrayLike, NDArray } from "./array.ts";
import { custom_jvp } from "./api.ts";
import { defaultFloat, type DType } from "./dtype.ts";
import * as lax from "./lax.ts";
import { arange } from "./numpy/creation.ts";
import { equal, logaddexp, maximum, minimum, where } from "./numpy/elementwise.ts";
import { max as reduceMax, sum } from "./numpy/reductions.ts";
import { expand_dims } from "./numpy/shape.ts";
import { asArray, promoteFloat } from "./numpy/util.ts";
import { normAxes } from "./shape.ts";

export { logsumexp } from "./scipy.ts";
export type { LogsumexpOptions } from "./scipy.ts";

const floatArg = (name: string, x: ArrayLike): NDArray => promoteFloat(name, x)[0];

const reluImpl = custom_jvp((x: NDArray) => maximum(x, 0));
reluImpl.defjvp(function relu_jvp([x]: NDArray[], [t]: NDArray[]) {
  return [reluImpl(x), where(lax.gt(x, lax.full([], 0, x.dtype)), t, lax.full([], 0, t.dtype))];
});

/**
 * Rectified linear unit `max(x, 0)`; its derivative at 0 is 0, as in JAX.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.nn.relu(jax.numpy.array([-1, 2])).tolist(); // [0, 2]
 * ```
 */
export function relu(x: ArrayLike): NDArray {
  return reluImpl(asArray(x));
}

const relu6Impl = custom_jvp((x: NDArray) => minimum(maximum(x, 0), 6));
relu6Impl.defjvp(function relu6_jvp([x]: NDArray[], [t]: NDArray[]) {
  const inside = lax.and(lax.gt(x, lax.full([], 0, x.dtype)), lax.lt(x, lax.full([], 6, x.dtype)));
  return [relu6Impl(x), where(inside, t, lax.full([], 0, t.dtype))];
});

/**
 * `min(max(x, 0), 6)`; derivative 0 at 0 and 6, as in JAX.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.relu6(jnp.array([-1, 3, 8])); // Array([0., 3., 6.], dtype=float32)
 * ```
 */
export function relu6(x: ArrayLike): NDArray {
  return relu6Impl(asArray(x));
}

/**
 * The logistic sigmoid `1 / (1 + exp(-x))`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.sigmoid(jnp.array([-2, 0, 2])); // Array([0.11920292, 0.5       , 0.8807971 ], dtype=float32)
 * ```
 */
export function sigmoid(x: ArrayLike): NDArray {
  return lax.logistic(floatArg("sigmoid", x));
}

/**
 * `log(1 + exp(x))`, computed stably as `logaddexp(x, 0)`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.softplus(jnp.array([-2, 0, 2])); // Array([0.12692802, 0.6931472 , 2.126928  ], dtype=float32)
 * ```
 */
export function softplus(x: ArrayLike): NDArray {
  return logaddexp(floatArg("softplus", x), 0);
}

/**
 * `log(sigmoid(x))` = `-softplus(-x)`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.log_sigmoid(jnp.array([-2, 0, 2]));
 * // Array([-2.126928  , -0.6931472 , -0.12692802], dtype=float32)
 * ```
 */
export function log_sigmoid(x: ArrayLike): NDArray {
  return lax.neg(softplus(lax.neg(floatArg("log_sigmoid", x))));
}

/**
 * SiLU (swish): `x * sigmoid(x)`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.silu(jnp.array([-2, 0, 2])); // Array([-0.23840584,  0.        ,  1.7615942 ], dtype=float32)
 * ```
 */
export function silu(x: ArrayLike): NDArray {
  const a = floatArg("silu", x);
  return lax.mul(a, lax.logistic(a));
}

/**
 * Alias of silu.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.swish(jnp.array([-2, 0, 2])); // Array([-0.23840584,  0.        ,  1.7615942 ], dtype=float32)
 * ```
 */
export const swish: typeof silu = silu;

/**
 * GELU. With `approximate` (the default, as JAX) the tanh approximation
 * `x/2 (1 + tanh(sqrt(2/π)(x + 0.044715 x³)))`, else the exact `x/2 erfc(-x/√2)`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.gelu(jnp.array([-1, 0, 1])); // Array([-0.158808,  0.      ,  0.841192], dtype=float32)
 * ```
 */
export function gelu(x: ArrayLike, approximate = true): NDArray {
  const a = floatArg("gelu", x);
  const c = (v: number) => lax.full([], v, a.dtype);
  if (approximate) {
    const inner = lax.mul(c(Math.sqrt(2 / Math.PI)), lax.add(a, lax.mul(c(0.044715), lax.integer_pow(a, 3))));
    return lax.mul(a, lax.mul(c(0.5), lax.add(c(1), lax.tanh(inner))));
  }
  return lax.mul(lax.mul(c(0.5), a), lax.erfc(lax.mul(lax.neg(a), c(Math.SQRT1_2))));
}

/**
 * Options of softmax and log_softmax.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.softmax(jnp.array([[1, 2], [3, 3]]), { axis: 0 });
 * // Array([[0.11920292, 0.26894143],
 * //        [0.880797  , 0.7310586 ]], dtype=float32)
 * ```
 */
export interface SoftmaxOptions {
  /** Axis or axes to normalise over (default -1; null for all). */
  axis?: number | number[] | null;
}

function shifted(name: string, x: ArrayLike, o: SoftmaxOptions): [NDArray, number[]] {
  const a = floatArg(name, x);
  const axes = normAxes(name, o.axis === undefined ? -1 : o.axis, a.ndim);
  const m = lax.stop_gradient(reduceMax(a, { axis: axes, keepdims: true }));
  return [lax.sub(a, lax.broadcast_in_dim(m, a.shape, a.shape.map((_, i) => i))), axes];
}

/**
 * Softmax along `axis` (default -1), computed as `exp(x - max) / sum(...)`
 * with the max under stop_gradient, as JAX.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.softmax(jnp.array([[1, 1], [0, 0]]), { axis: 0 }).tolist(); // ≈ [[0.731, 0.731], [0.269, 0.269]]
 * ```
 */
export function softmax(x: ArrayLike, o: SoftmaxOptions = {}): NDArray {
  const [s, axes] = shifted("softmax", x, o);
  const e = lax.exp(s);
  const tot = sum(e, { axis: axes, keepdims: true });
  return lax.div(e, lax.broadcast_in_dim(tot, e.shape, e.shape.map((_, i) => i)));
}

/**
 * `x - logsumexp(x, axis)`, computed stably (default axis -1).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.log_softmax(jnp.array([1, 2, 3]));
 * // Array([-2.407606  , -1.4076059 , -0.40760595], dtype=float32)
 * ```
 */
export function log_softmax(x: ArrayLike, o: SoftmaxOptions = {}): NDArray {
  const [s, axes] = shifted("log_softmax", x, o);
  const lse = lax.log(sum(lax.exp(s), { axis: axes, keepdims: true }));
  return lax.sub(s, lax.broadcast_in_dim(lse, s.shape, s.shape.map((_, i) => i)));
}

/**
 * Options of one_hot.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.one_hot(jnp.array([0, 2]), 3, { dtype: "int32" });
 * // Array([[1, 0, 0],
 * //        [0, 0, 1]], dtype=int32)
 * ```
 */
export interface OneHotOptions {
  /** Output dtype (default: the default float dtype). */
  dtype?: DType;
  /** Position of the new class axis (default -1). */
  axis?: number;
}

/**
 * One-hot encoding: `x[..., None] == arange(num_classes)` as `dtype`;
 * out-of-range indices give all-zero rows, as in JAX.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.nn.one_hot(jnp.array([0, 2]), 3).tolist(); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function one_hot(x: ArrayLike, num_classes: number, o: OneHotOptions = {}): NDArray {
  const a = asArray(x);
  const axis = o.axis ?? -1;
  const out = axis < 0 ? a.ndim + 1 + axis : axis;
  const classes = expand_dims(arange(num_classes), Array.from({ length: a.ndim }, (_, i) => (i < out ? i : i + 1)));
  return equal(expand_dims(a, out), classes).astype(o.dtype ?? defaultFloat());
}
