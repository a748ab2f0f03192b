/**
 * `jax.scipy.special` (the functions the tutorial and common models need) as
 * composites of lax primitives, so each is differentiable (d gammaln =
 * digamma, d digamma = polygamma(1, ·), ...).
 *
 * @module
 */

import type { ArrayLike, NDArray } from "./array.ts";
import * as lax from "./lax.ts";
import { multiply } from "./numpy/elementwise.ts";
import { promoteFloat } from "./numpy/util.ts";
import { max as reduceMax, sum } from "./numpy/reductions.ts";
import { normAxes } from "./shape.ts";

const f1 = (name: string, g: (x: NDArray) => NDArray) => (x: ArrayLike): NDArray => g(promoteFloat(name, x)[0]);
const f2 = (name: string, g: (x: NDArray, y: NDArray) => NDArray) => (x: ArrayLike, y: ArrayLike): NDArray => {
  const [a, b] = promoteFloat(name, x, y);
  return g(a, b);
};

/**
 * `log|Γ(x)|`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.gammaln(jax.numpy.array([1, 2, 3])).tolist(); // ≈ [0, 0, 0.693]
 * ```
 */
export const gammaln: (x: ArrayLike) => NDArray = f1("gammaln", lax.lgamma);
/** The digamma function ψ(x) = d/dx log Γ(x). */
export const digamma: (x: ArrayLike) => NDArray = f1("digamma", lax.digamma);
/** polygamma(n, x), the n-th derivative of digamma. */
export const polygamma: (n: ArrayLike, x: ArrayLike) => NDArray = f2("polygamma", lax.polygamma);
/** The error function. */
export const erf: (x: ArrayLike) => NDArray = f1("erf", lax.erf);
/** The complementary error function. */
export const erfc: (x: ArrayLike) => NDArray = f1("erfc", lax.erfc);
/** The inverse error function. */
export const erfinv: (x: ArrayLike) => NDArray = f1("erfinv", lax.erf_inv);
/** The logistic sigmoid `1 / (1 + e^-x)`. */
export const expit: (x: ArrayLike) => NDArray = f1("expit", lax.logistic);
/** The log-odds `log(p / (1 - p))`. */
export const logit: (x: ArrayLike) => NDArray = f1("logit", (p) => lax.log(lax.div(p, lax.sub(1, p))));
/** `x * log(y)`, 0 where x is 0. */
export const xlogy: (x: ArrayLike, y: ArrayLike) => NDArray = f2(
  "xlogy",
  (x, y) => lax.select(lax.eq(x, 0), lax.full([], 0, x.dtype), lax.mul(x, lax.log(y))),
);
/** `x * log1p(y)`, 0 where x is 0. */
export const xlog1py: (x: ArrayLike, y: ArrayLike) => NDArray = f2(
  "xlog1py",
  (x, y) => lax.select(lax.eq(x, 0), lax.full([], 0, x.dtype), lax.mul(x, lax.log1p(y))),
);
/** Regularized lower incomplete gamma P(a, x). */
export const gammainc: (a: ArrayLike, x: ArrayLike) => NDArray = f2("gammainc", lax.igamma);
/** Regularized upper incomplete gamma Q(a, x). */
export const gammaincc: (a: ArrayLike, x: ArrayLike) => NDArray = f2("gammaincc", lax.igammac);
/** The standard normal CDF. */
export const ndtr: (x: ArrayLike) => NDArray = f1("ndtr", (x) => lax.mul(lax.erfc(lax.mul(x, -Math.SQRT1_2)), 0.5));

/** Options of logsumexp. */
export interface LogsumexpOptions {
  /** Axis or axes (all when omitted). */
  axis?: number | number[] | null;
  /** Keep reduced axes. */
  keepdims?: boolean;
  /** Weights: computes `log(sum(b * exp(a)))`. */
  b?: ArrayLike;
}

/**
 * `log(sum(exp(a)))` computed stably.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.special.logsumexp(jnp.array([0, 0])).item(); // ≈ 0.693
 * ```
 */
export function logsumexp(a: ArrayLike, o: LogsumexpOptions = {}): NDArray {
  const [x] = promoteFloat("logsumexp", a);
  const axes = normAxes("logsumexp", o.axis, x.ndim);
  const m = lax.stop_gradient(reduceMax(x, { axis: axes, keepdims: true }));
  const finiteM = lax.select(lax.is_finite(m), m, lax.full([], 0, x.dtype));
  let e = lax.exp(lax.sub(x, finiteM));
  if (o.b !== undefined) e = multiply(e, o.b);
  const s = sum(e, { axis: axes, keepdims: true });
  const out = lax.add(lax.log(s), finiteM);
  return o.keepdims ? out : lax.reshape(out, x.shape.filter((_, i) => !axes.includes(i)));
}
