/**
 * `jax.scipy.special`: the functions the tutorial and common models need, as
 * composites of lax primitives, each differentiable (d gammaln = digamma,
 * d digamma = polygamma(1, ·), ...). Where JAX gives a function a custom
 * derivative rule (logit, xlogy, xlog1py, log_ndtr) so does this module; the
 * formulas follow JAX's (ndtr, ndtri, log_ndtr, betaln, logsumexp) so that
 * float32 results agree with JAX's to a few ulp.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "./array.ts";
import { custom_jvp } from "./api.ts";
import * as lax from "./lax.ts";
import { abs, add, isnan, logical_or, maximum, minimum, multiply, sign, where } from "./numpy/elementwise.ts";
import { broadcastTo, promoteFloat, scalarLike as c } from "./numpy/util.ts";
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
/**
 * The digamma function ψ(x) = d/dx log Γ(x) (nan at the poles 0, -1, ..., as JAX).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.digamma(1).item(); // ≈ -0.5772 (-γ)
 * ```
 */
export const digamma: (x: ArrayLike) => NDArray = f1("digamma", lax.digamma);
/**
 * polygamma(n, x), the n-th derivative of digamma (differentiable in x).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.polygamma(1, 1).item(); // ≈ 1.645 (π²/6)
 * ```
 */
export const polygamma: (n: ArrayLike, x: ArrayLike) => NDArray = f2("polygamma", lax.polygamma);
/**
 * The error function.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.erf(1).item(); // ≈ 0.8427
 * ```
 */
export const erf: (x: ArrayLike) => NDArray = f1("erf", lax.erf);
/**
 * The complementary error function `1 - erf(x)`, accurate in the right tail.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.erfc(3).item(); // ≈ 2.209e-5
 * ```
 */
export const erfc: (x: ArrayLike) => NDArray = f1("erfc", lax.erfc);
/**
 * The inverse error function (±inf at ±1, nan outside [-1, 1]).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.erfinv(0.5).item(); // ≈ 0.4769
 * ```
 */
export const erfinv: (x: ArrayLike) => NDArray = f1("erfinv", lax.erf_inv);
/**
 * The logistic sigmoid `1 / (1 + e^-x)`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.expit(0).item(); // 0.5
 * ```
 */
export const expit: (x: ArrayLike) => NDArray = f1("expit", lax.logistic);

const logitCore = custom_jvp((p: NDArray) => lax.log(lax.div(p, lax.sub(c(p, 1), p))));
logitCore.defjvp(function logit_jvp([p]: NDArray[], [t]: NDArray[]) {
  return [logitCore(p), lax.div(t, lax.mul(p, lax.sub(c(p, 1), p)))];
});
/**
 * The log-odds `log(p / (1 - p))`; its derivative is `1 / (p (1 - p))` (a
 * custom rule, as JAX's).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.logit(0.5).item(); // 0
 * ```
 */
export const logit: (x: ArrayLike) => NDArray = f1("logit", (p) => logitCore(p));

/** `x * g(y)`, 0 where x is 0 unless y is nan (SciPy's convention, as JAX's). */
function xTimes(name: string, g: (y: NDArray) => NDArray, dg: (y: NDArray) => NDArray) {
  const core = custom_jvp((x: NDArray, y: NDArray) =>
    where(logical_or(lax.ne(x, c(x, 0)), isnan(y)), multiply(x, g(y)), c(x, 0))
  );
  core.defjvp(function xlogy_jvp([x, y]: NDArray[], [tx, ty]: NDArray[]) {
    const out: NDArray = core(x, y);
    // d/dx = g(y), d/dy = x g'(y): defined at x = 0 too (the reason for the custom rule).
    const tangent = add(multiply(tx, g(y)), multiply(ty, multiply(x, dg(y))));
    return [out, broadcastTo(tangent.astype(out.dtype), out.shape, name)];
  });
  return (x: ArrayLike, y: ArrayLike): NDArray => {
    const [a, b] = promoteFloat(name, x, y);
    return core(a, b);
  };
}

/**
 * `x * log(y)`, 0 where x is 0 (nan if y is nan); derivative `log(y)`,
 * `x / y` everywhere (a custom rule, as JAX's).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.xlogy(0, 0).item(); // 0
 * ```
 */
export const xlogy: (x: ArrayLike, y: ArrayLike) => NDArray = xTimes("xlogy", lax.log, (y) => lax.div(c(y, 1), y));
/**
 * `x * log1p(y)`, 0 where x is 0 (nan if y is nan); derivative `log1p(y)`,
 * `x / (1 + y)`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.xlog1py(0, -1).item(); // 0
 * ```
 */
export const xlog1py: (x: ArrayLike, y: ArrayLike) => NDArray = xTimes(
  "xlog1py",
  lax.log1p,
  (y) => lax.div(c(y, 1), lax.add(c(y, 1), y)),
);
/**
 * Regularized lower incomplete gamma P(a, x) (differentiable in x).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.gammainc(1, 1).item(); // ≈ 0.632
 * ```
 */
export const gammainc: (a: ArrayLike, x: ArrayLike) => NDArray = f2("gammainc", lax.igamma);
/**
 * Regularized upper incomplete gamma Q(a, x) (differentiable in x).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.gammaincc(1, 1).item(); // ≈ 0.368
 * ```
 */
export const gammaincc: (a: ArrayLike, x: ArrayLike) => NDArray = f2("gammaincc", lax.igammac);

/** `[hi, lo]` halves of a float (Veltkamp's split: each half has at most half the mantissa bits). */
function split(x: NDArray): [NDArray, NDArray] {
  const t = lax.mul(x, c(x, x.dtype === "float64" ? 134217729 : 4097));
  const hi = lax.sub(t, lax.sub(t, x));
  return [hi, lax.sub(x, hi)];
}

/** `1/√2` as an unevaluated sum `hi + lo` in the given precision. */
function invSqrt2Parts(dtype: string): [number, number] {
  if (dtype === "float64") return [Math.SQRT1_2, 4.833646656726457e-17];
  const hi = Math.fround(Math.SQRT1_2);
  return [hi, Math.fround(Math.SQRT1_2 - hi)];
}

/**
 * `Φ(x)` with JAX's branches (`(1 + erf(w)) / 2` for |w| < 1/√2, erfc-based
 * beyond, `w = x / √2`), plus one correction JAX lacks: in the tails erfc is
 * steep (relative slope ~2w²), so the rounding of `w` alone costs ~2w²·ulp —
 * tens of float32 ulp at x = -8. The exact remainder `r = x/√2 - w` is formed
 * with Dekker's product and erfc corrected to first order by
 * `-(2/√π) exp(-w²) r`.
 */
function ndtrCore(x: NDArray): NDArray {
  const [cHi, cLo] = invSqrt2Parts(x.dtype);
  const halfSqrt2 = c(x, cHi);
  const w = lax.mul(x, halfSqrt2);
  const z = lax.abs(w);
  // r = x (cHi + cLo) - w exactly (to working precision), from the halves of x and cHi.
  const xs = lax.max(lax.min(x, c(x, 1e4)), c(x, -1e4));
  const ws = lax.mul(xs, halfSqrt2);
  const [xh, xl] = split(xs);
  const [ch, cl] = split(c(x, cHi));
  const prodErr = lax.add(
    lax.add(lax.add(lax.sub(lax.mul(xh, ch), ws), lax.mul(xh, cl)), lax.mul(xl, ch)),
    lax.mul(xl, cl),
  );
  const r = lax.add(prodErr, lax.mul(xs, c(x, cLo)));
  // erfc at |x|/√2 = z + sign(w) r.
  const slope = lax.mul(c(x, 2 / Math.sqrt(Math.PI)), lax.exp(lax.neg(lax.mul(z, z))));
  const ec = lax.sub(lax.erfc(z), lax.mul(slope, lax.mul(lax.sign(w), r)));
  const y = lax.select(
    lax.lt(z, halfSqrt2),
    lax.add(c(x, 1), lax.erf(w)),
    lax.select(lax.gt(w, c(x, 0)), lax.sub(c(x, 2), ec), ec),
  );
  return lax.mul(c(x, 0.5), y);
}

/**
 * The standard normal CDF `Φ(x)`, computed as JAX does (erf near 0, erfc in
 * the tails), with the tails corrected for the rounding of `x/√2`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.ndtr(0).item(); // 0.5
 * ```
 */
export const ndtr: (x: ArrayLike) => NDArray = f1("ndtr", ndtrCore);

// Cephes' rational approximations for ndtri (as JAX's `_ndtri`), highest degree first.
const NDTRI_P0 = [
  -5.99633501014107895267e1,
  9.80010754185999661536e1,
  -5.66762857469070293439e1,
  1.39312609387279679503e1,
  -1.23916583867381258016e0,
];
const NDTRI_Q0 = [
  1.0,
  1.95448858338141759834e0,
  4.67627912898881538453e0,
  8.63602421390890590575e1,
  -2.25462687854119370527e2,
  2.00260212380060660359e2,
  -8.20372256168333339912e1,
  1.59056225126211695515e1,
  -1.18331621121330003142e0,
];
const NDTRI_P1 = [
  4.05544892305962419923e0,
  3.15251094599893866154e1,
  5.71628192246421288162e1,
  4.40805073893200834700e1,
  1.46849561928858024014e1,
  2.18663306850790267539e0,
  -1.40256079171354495875e-1,
  -3.50424626827848203418e-2,
  -8.57456785154685413611e-4,
];
const NDTRI_Q1 = [
  1.0,
  1.57799883256466749731e1,
  4.53907635128879210584e1,
  4.13172038254672030440e1,
  1.50425385692907503408e1,
  2.50464946208309415979e0,
  -1.42182922854787788574e-1,
  -3.80806407691578277194e-2,
  -9.33259480895457427372e-4,
];
const NDTRI_P2 = [
  3.23774891776946035970e0,
  6.91522889068984211695e0,
  3.93881025292474443415e0,
  1.33303460815807542389e0,
  2.01485389549179081538e-1,
  1.23716634817820021358e-2,
  3.01581553508235416007e-4,
  2.65806974686737550832e-6,
  6.23974539184983293730e-9,
];
const NDTRI_Q2 = [
  1.0,
  6.02427039364742014255e0,
  3.67983563856160859403e0,
  1.37702099489081330271e0,
  2.16236993594496635890e-1,
  1.34204006088543189037e-2,
  3.28014464682127739104e-4,
  2.89247864745380683936e-6,
  6.79019408009981274425e-9,
];

/** Horner's rule as `jnp.polyval` (coefficients highest degree first). */
function polyval(coeffs: number[], x: NDArray): NDArray {
  let y = c(x, 0);
  for (const k of coeffs) y = lax.add(lax.mul(y, x), c(x, k));
  return y;
}

function ndtriPrimal(p: NDArray): NDArray {
  const one = c(p, 1);
  const mcp = lax.select(lax.gt(p, c(p, -Math.expm1(-2))), lax.sub(one, p), p);
  // Any value that keeps the unused branches finite where p is 0.
  const q = lax.select(lax.eq(mcp, c(p, 0)), c(p, 0.5), mcp);
  // p > exp(-2): x / sqrt(2π) = w + w³ P0(w²) / Q0(w²), w = q - 1/2.
  const w = lax.sub(q, c(p, 0.5));
  const ww = lax.mul(w, w);
  const big = lax.mul(
    lax.add(w, lax.mul(lax.mul(w, ww), lax.div(polyval(NDTRI_P0, ww), polyval(NDTRI_Q0, ww)))),
    lax.neg(c(p, Math.sqrt(2 * Math.PI))),
  );
  // p <= exp(-2): x = z - log(z)/z - P(1/z) / (Q(1/z) z), z = sqrt(-2 log q).
  const z = lax.sqrt(lax.mul(c(p, -2), lax.log(q)));
  const first = lax.sub(z, lax.div(lax.log(z), z));
  const iz = lax.div(one, z);
  const tail2 = lax.div(lax.div(polyval(NDTRI_P2, iz), polyval(NDTRI_Q2, iz)), z);
  const tail1 = lax.div(lax.div(polyval(NDTRI_P1, iz), polyval(NDTRI_Q1, iz)), z);
  const small = lax.select(lax.ge(z, c(p, 8)), lax.sub(first, tail2), lax.sub(first, tail1));
  let x = lax.select(lax.gt(q, c(p, Math.exp(-2))), big, small);
  x = lax.select(lax.gt(p, c(p, 1 - Math.exp(-2))), x, lax.neg(x));
  return lax.select(lax.eq(p, c(p, 0)), c(p, -Infinity), lax.select(lax.eq(p, one), c(p, Infinity), x));
}

const ndtriCore = custom_jvp(ndtriPrimal);
ndtriCore.defjvp(function ndtri_jvp([p]: NDArray[], [t]: NDArray[]) {
  // d/dp Φ⁻¹(p) = 1 / φ(Φ⁻¹(p)) = sqrt(2π) exp(x² / 2).
  const x: NDArray = ndtriCore(p);
  const dx = lax.mul(c(p, Math.sqrt(2 * Math.PI)), lax.exp(lax.mul(c(p, 0.5), lax.mul(x, x))));
  return [x, lax.mul(t, dx)];
});

/**
 * The inverse of the standard normal CDF (Cephes' piecewise rational
 * approximation, as JAX's); `-inf` at 0, `inf` at 1, nan outside [0, 1]. Its
 * derivative is `sqrt(2π) exp(x²/2)` (a custom rule).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.ndtri(0.975).item(); // ≈ 1.96
 * ```
 */
export const ndtri: (p: ArrayLike) => NDArray = f1("ndtri", (p) => ndtriCore(p));

function normLogpdfStd(x: NDArray): NDArray {
  return lax.sub(lax.mul(c(x, -0.5), lax.mul(x, x)), c(x, Math.log(Math.sqrt(2 * Math.PI))));
}

function logNdtrPrimal(a: NDArray): NDArray {
  const f64 = a.dtype === "float64";
  const lower = c(a, f64 ? -20 : -10);
  const upper = c(a, f64 ? 8 : 5);
  const gtUpper = lax.gt(a, upper);
  const ndtrRes = ndtrCore(lax.select(gtUpper, lax.neg(a), lax.max(a, lower)));
  // Asymptotic series for x << -1 (order 3, as JAX): log of
  // exp(-x²/2) / (-x sqrt(2π)) * (1 - 1/x² + 3/x⁴ - 15/x⁶).
  const xl = lax.min(a, lower);
  const x2 = lax.mul(xl, xl);
  const logScale = lax.sub(lax.sub(lax.mul(c(a, -0.5), x2), lax.log(lax.neg(xl))), c(a, 0.5 * Math.log(2 * Math.PI)));
  const x4 = lax.mul(x2, x2);
  const x6 = lax.mul(x4, x2);
  const odd = lax.add(lax.div(c(a, 1), x2), lax.div(c(a, 15), x6));
  const even = lax.div(c(a, 3), x4);
  const lowerRes = lax.add(logScale, lax.log(lax.sub(lax.add(c(a, 1), even), odd)));
  return lax.select(gtUpper, lax.neg(ndtrRes), lax.select(lax.gt(a, lower), lax.log(ndtrRes), lowerRes));
}

const logNdtrCore = custom_jvp(logNdtrPrimal);
logNdtrCore.defjvp(function log_ndtr_jvp([x]: NDArray[], [t]: NDArray[]) {
  const out: NDArray = logNdtrCore(x);
  return [out, lax.mul(t, lax.exp(lax.sub(normLogpdfStd(x), out)))];
});

/**
 * `log Φ(x)`, accurate in both tails: `-Φ(-x)` for large x and an asymptotic
 * series for x below -20 (float64) / -10 (float32), as JAX. Its derivative
 * is `φ(x) / Φ(x)` (a custom rule, stable in the tails).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.log_ndtr(0).item(); // ≈ -0.693
 * ```
 */
export const log_ndtr: (x: ArrayLike) => NDArray = f1("log_ndtr", (x) => logNdtrCore(x));

/** SciPy's `algdiv` (as JAX's): `lgamma(b) - lgamma(a + b)` for b >= 8, given a <= b. */
function algdiv(a: NDArray, b: NDArray): NDArray {
  const [c0, c1, c2, c3, c4, c5] = [
    0.833333333333333e-01,
    -0.277777777760991e-02,
    0.793650666825390e-03,
    -0.595202931351870e-03,
    0.837308034031215e-03,
    -0.165322962780713e-02,
  ].map((v) => c(a, v));
  const one = c(a, 1);
  const h = lax.div(a, b);
  const x = lax.div(h, lax.add(one, h));
  const d = lax.add(b, lax.sub(a, c(a, 0.5)));
  // s_n = (1 - x^n) / (1 - x)
  const x2 = lax.mul(x, x);
  const s3 = lax.add(one, lax.add(x, x2));
  const s5 = lax.add(one, lax.add(x, lax.mul(x2, s3)));
  const s7 = lax.add(one, lax.add(x, lax.mul(x2, s5)));
  const s9 = lax.add(one, lax.add(x, lax.mul(x2, s7)));
  const s11 = lax.add(one, lax.add(x, lax.mul(x2, s9)));
  // w = del(b) - del(a + b), ln Γ(x) = (x - 1/2) ln x - x + ln(2π)/2 + del(x)
  const ib = lax.div(one, b);
  const t = lax.mul(ib, ib);
  let w = lax.add(lax.mul(lax.mul(c5, s11), t), lax.mul(c4, s9));
  w = lax.add(lax.mul(w, t), lax.mul(c3, s7));
  w = lax.add(lax.mul(w, t), lax.mul(c2, s5));
  w = lax.add(lax.mul(w, t), lax.mul(c1, s3));
  w = lax.add(lax.mul(w, t), c0);
  w = lax.mul(w, lax.div(x, b));
  const u = lax.mul(d, lax.log1p(lax.div(a, b)));
  const v = lax.mul(a, lax.sub(lax.log(b), one));
  return lax.select(lax.le(u, v), lax.sub(lax.sub(w, v), u), lax.sub(lax.sub(w, u), v));
}

/**
 * `log |B(a, b)|`. For `max(a, b) >= 8` it uses SciPy's `algdiv` correction
 * (as JAX), which avoids the cancellation of `lgamma(a) + lgamma(b) -
 * lgamma(a + b)` at large arguments.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.special.betaln(1, 2).item(); // ≈ -0.693 (B(1, 2) = 1/2)
 * ```
 */
export const betaln: (a: ArrayLike, b: ArrayLike) => NDArray = (a: ArrayLike, b: ArrayLike): NDArray => {
  const [x, y] = promoteFloat("betaln", a, b);
  const lo = minimum(x, y), hi = maximum(x, y);
  const smallB = lax.add(lax.lgamma(lo), lax.sub(lax.lgamma(hi), lax.lgamma(lax.add(lo, hi))));
  const largeB = lax.add(lax.lgamma(lo), algdiv(lo, hi));
  return where(lax.lt(hi, c(hi, 8)), smallB, largeB);
};

/**
 * Options of logsumexp.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.special.logsumexp(jnp.array([[0, 0], [1, 1]]), { axis: 1, keepdims: true });
 * // Array([[0.6931472],
 * //        [1.6931472]], dtype=float32)
 * ```
 */
export interface LogsumexpOptions {
  /** Axis or axes (all when omitted). */
  axis?: number | number[] | null;
  /** Keep reduced axes. */
  keepdims?: boolean;
  /** Weights: computes `log(sum(b * exp(a)))` (nan where that sum is negative, unless return_sign). */
  b?: ArrayLike;
  /** Return `[log|sum|, sign(sum)]` instead. */
  return_sign?: boolean;
}

/**
 * `log(sum(b * exp(a)))` over the given axes, computed stably (the max is
 * subtracted first, and held out of the gradient, as JAX). Terms with
 * `b = 0` are dropped even where `a` is infinite. With `return_sign: true`
 * it returns `[log|sum|, sign(sum)]`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.special.logsumexp(jnp.array([0, 0])).item(); // ≈ 0.693
 * const [v, s] = jax.scipy.special.logsumexp(jnp.array([0, 1]), { b: jnp.array([1, -1]), return_sign: true });
 * s.item(); // -1
 * ```
 */
export function logsumexp(a: ArrayLike, o: LogsumexpOptions & { return_sign: true }): [NDArray, NDArray];
/**
 * `log(sum(b * exp(a)))` (the overload without return_sign).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.special.logsumexp(jnp.array([[0, 0], [1, 1]]), { axis: 1 }).tolist(); // ≈ [0.693, 1.693]
 * ```
 */
export function logsumexp(a: ArrayLike, o?: LogsumexpOptions): NDArray;
export function logsumexp(a: ArrayLike, o: LogsumexpOptions = {}): NDArray | [NDArray, NDArray] {
  let x: NDArray, w: NDArray | undefined;
  if (o.b !== undefined) {
    [x, w] = promoteFloat("logsumexp", a, o.b);
    // Terms with b = 0 drop out (also where a is ±inf); `where` broadcasts a against b.
    x = where(lax.ne(w, c(w, 0)), x, c(x, -Infinity));
  } else {
    [x] = promoteFloat("logsumexp", a);
  }
  const axes = normAxes("logsumexp", o.axis, x.ndim);
  const m = lax.stop_gradient(reduceMax(x, { axis: axes, keepdims: true }));
  const finiteM = lax.select(lax.is_finite(m), m, lax.full(m.shape, 0, x.dtype));
  let e = lax.exp(lax.sub(x, finiteM));
  if (w !== undefined) e = multiply(e, w);
  const s = sum(e, { axis: axes, keepdims: true });
  const keep = (t: NDArray) => o.keepdims ? t : lax.reshape(t, x.shape.filter((_, i) => !axes.includes(i)));
  const sgn = keep(sign(s));
  const out = keep(lax.add(lax.log(abs(s)), finiteM));
  if (o.return_sign) return [out, sgn];
  // A negative weighted sum has no real log: nan, as JAX.
  return w === undefined ? out : where(lax.lt(sgn, c(sgn, 0)), c(out, NaN), out);
}
