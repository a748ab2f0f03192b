/**
 * `jax.scipy.stats` distributions (norm, poisson, gamma, beta, bernoulli,
 * binom, multivariate_normal) as composites of jnp and lax functions, with
 * JAX's formulas and its conventions outside the support (`-inf` log
 * densities, 0 densities).
 *
 * @module
 */

import type { ArrayLike, NDArray } from "./array.ts";
import { ValueError } from "./errors.ts";
import * as lax from "./lax.ts";
import {
  add,
  divide,
  floor,
  log,
  logical_and,
  logical_or,
  multiply,
  round,
  square,
  subtract,
  where,
} from "./numpy/elementwise.ts";
import { sum } from "./numpy/reductions.ts";
import { linalg } from "./numpy/linalg.ts";
import { promoteFloat, promoteFloatDTypes, scalarLike as c } from "./numpy/util.ts";
import { reshape, transpose } from "./numpy/shape.ts";
import { betaln, erfinv, gammaincc, gammaln, log_ndtr, ndtr, xlog1py, xlogy } from "./scipy.ts";

/** A location/scale family function `f(x, loc = 0, scale = 1)`. */
export type LocScaleFn = (x: ArrayLike, loc?: ArrayLike, scale?: ArrayLike) => NDArray;

// ---------------------------------------------------------------- norm

function normLogpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [a, l, s] = promoteFloat("norm.logpdf", x, loc, scale);
  const s2 = lax.integer_pow(s, 2);
  const logNormalizer = lax.log(lax.mul(c(a, 2 * Math.PI), s2));
  const quadratic = lax.div(lax.integer_pow(lax.sub(a, l), 2), s2);
  return lax.div(lax.add(logNormalizer, quadratic), c(a, -2));
}

/**
 * The normal distribution, `jax.scipy.stats.norm`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.norm.logpdf(0).item(); // ≈ -0.919
 * jax.scipy.stats.norm.cdf(1, 1, 2).item(); // 0.5
 * ```
 */
export const norm: {
  /** Log density. */
  logpdf: LocScaleFn;
  /** Density. */
  pdf: LocScaleFn;
  /** Cumulative distribution function. */
  cdf: LocScaleFn;
  /** Log of the cdf (stable in the left tail). */
  logcdf: LocScaleFn;
  /** Quantile function (inverse cdf): `sqrt(2) erfinv(2q - 1)` polished by Newton steps on ndtr. */
  ppf: LocScaleFn;
} = {
  logpdf: normLogpdf,
  pdf: (x, loc = 0, scale = 1) => lax.exp(normLogpdf(x, loc, scale)),
  cdf: (x, loc = 0, scale = 1) => {
    const [a, l, s] = promoteFloat("norm.cdf", x, loc, scale);
    return ndtr(lax.div(lax.sub(a, l), s));
  },
  logcdf: (x, loc = 0, scale = 1) => {
    const [a, l, s] = promoteFloat("norm.logcdf", x, loc, scale);
    return log_ndtr(lax.div(lax.sub(a, l), s));
  },
  ppf: (q, loc = 0, scale = 1) => {
    const [p, l, s] = promoteFloat("norm.ppf", q, loc, scale);
    // Work in the lower tail (1 - q is exact for q >= 0.5). Start from
    // sqrt(2) erfinv(2p - 1), or where 2p - 1 rounds to -1 (tiny p) from the
    // tail asymptote -sqrt(-2 log p - log(-2 log p) - log 2π), and polish with
    // Newton steps on log_ndtr(z) = log p, which is accurate in the tail.
    const upperHalf = lax.gt(p, c(p, 0.5));
    const pl = lax.select(upperHalf, lax.sub(c(p, 1), p), p);
    const arg = lax.sub(lax.mul(c(p, 2), pl), c(p, 1));
    // Only in-range arguments reach erfinv (its derivative is infinite at ±1,
    // which would turn the masked-out branches' zero cotangents into nan).
    const finite = lax.lt(lax.abs(arg), c(p, 1));
    const z0 = lax.mul(c(p, Math.SQRT2), erfinv(lax.select(finite, arg, c(p, 0))));
    const tiny = lax.and(lax.not(finite), lax.gt(pl, c(p, 0)));
    const valid = lax.or(finite, tiny);
    const plSafe = lax.select(valid, pl, c(p, 0.25));
    const m2log = lax.mul(c(p, -2), lax.log(lax.select(tiny, plSafe, c(p, 1e-30))));
    const za = lax.neg(lax.sqrt(lax.sub(lax.sub(m2log, lax.log(m2log)), c(p, Math.log(2 * Math.PI)))));
    let z = lax.select(finite, z0, lax.select(tiny, za, c(p, 0)));
    const logp = lax.log(plSafe);
    for (let i = 0; i < 3; i++) {
      const lc = log_ndtr(z);
      z = lax.sub(z, lax.mul(lax.sub(lc, logp), lax.exp(lax.sub(lc, normLogpdf(z)))));
    }
    // Outside (0, 1): -inf at 0 (inf at 1 after the flip), nan beyond.
    z = lax.select(valid, z, lax.select(lax.eq(pl, c(p, 0)), c(p, -Infinity), c(p, NaN)));
    z = lax.select(upperHalf, lax.neg(z), z);
    return lax.add(lax.mul(z, s), l);
  },
};

// ---------------------------------------------------------------- poisson

/** A discrete function `f(k, mu, loc = 0)`. */
export type PoissonFn = (k: ArrayLike, mu: ArrayLike, loc?: ArrayLike) => NDArray;

function poissonLogpmf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [kk, m, l] = promoteFloat("poisson.logpmf", k, mu, loc);
  const x = lax.sub(kk, l);
  const logProbs = lax.sub(lax.sub(xlogy(x, m), gammaln(lax.add(x, c(x, 1)))), m);
  return where(logical_or(lax.lt(x, c(x, 0)), lax.ne(round(kk), kk)), -Infinity, logProbs);
}

/**
 * The Poisson distribution, `jax.scipy.stats.poisson`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.poisson.pmf(0, 2).item(); // ≈ 0.135
 * ```
 */
export const poisson: {
  /** Log probability mass (`-inf` for negative or non-integer k). */
  logpmf: PoissonFn;
  /** Probability mass. */
  pmf: PoissonFn;
  /** Cumulative distribution `Q(floor(k + 1), mu)`. */
  cdf: PoissonFn;
} = {
  logpmf: poissonLogpmf,
  pmf: (k, mu, loc = 0) => lax.exp(poissonLogpmf(k, mu, loc)),
  cdf: (k, mu, loc = 0) => {
    const [kk, m, l] = promoteFloat("poisson.cdf", k, mu, loc);
    const x = lax.sub(kk, l);
    const p = gammaincc(floor(lax.add(c(x, 1), x)), m);
    return where(lax.lt(x, c(x, 0)), 0, p);
  },
};

// ---------------------------------------------------------------- gamma

/** A shape/location/scale function `f(x, a, loc = 0, scale = 1)`. */
export type GammaFn = (x: ArrayLike, a: ArrayLike, loc?: ArrayLike, scale?: ArrayLike) => NDArray;

function gammaLogpdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [xx, aa, l, s] = promoteFloat("gamma.logpdf", x, a, loc, scale);
  const ok = lax.ge(xx, l);
  const one = c(xx, 1);
  const y = where(ok, lax.div(lax.sub(xx, l), s), one);
  const logLinear = lax.sub(xlogy(lax.sub(aa, one), y), y);
  const shapeTerms = lax.add(gammaln(aa), lax.log(s));
  return where(ok, lax.sub(logLinear, shapeTerms), -Infinity);
}

/**
 * The gamma distribution, `jax.scipy.stats.gamma`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.gamma.pdf(1, 1).item(); // ≈ 0.368
 * ```
 */
export const gamma: {
  /** Log density (`-inf` below loc). */
  logpdf: GammaFn;
  /** Density. */
  pdf: GammaFn;
} = {
  logpdf: gammaLogpdf,
  pdf: (x, a, loc = 0, scale = 1) => lax.exp(gammaLogpdf(x, a, loc, scale)),
};

// ---------------------------------------------------------------- beta

/** `f(x, a, b, loc = 0, scale = 1)`. */
export type BetaFn = (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc?: ArrayLike, scale?: ArrayLike) => NDArray;

function betaLogpdf(x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): NDArray {
  const [xx, aa, bb, l, s] = promoteFloat("beta.logpdf", x, a, b, loc, scale);
  const one = c(xx, 1);
  const zero = c(xx, 0);
  const y = lax.div(lax.sub(xx, l), s);
  const logLinear = lax.add(xlogy(lax.sub(aa, one), y), xlog1py(lax.sub(bb, one), lax.neg(y)));
  const logProbs = lax.sub(lax.add(lax.neg(betaln(aa, bb)), logLinear), lax.log(s));
  const result = where(logical_or(lax.gt(xx, lax.add(l, s)), lax.lt(xx, l)), -Infinity, logProbs);
  return where(logical_or(logical_or(lax.le(aa, zero), lax.le(bb, zero)), lax.le(s, zero)), NaN, result);
}

/**
 * The beta distribution, `jax.scipy.stats.beta`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.beta.pdf(0.5, 2, 2).item(); // 1.5
 * ```
 */
export const beta: {
  /** Log density (`-inf` outside [loc, loc + scale], nan for non-positive a, b, scale). */
  logpdf: BetaFn;
  /** Density. */
  pdf: BetaFn;
} = {
  logpdf: betaLogpdf,
  pdf: (x, a, b, loc = 0, scale = 1) => lax.exp(betaLogpdf(x, a, b, loc, scale)),
};

// ---------------------------------------------------------------- bernoulli

/** `f(k, p, loc = 0)`. */
export type BernoulliFn = (k: ArrayLike, p: ArrayLike, loc?: ArrayLike) => NDArray;

function bernoulliLogpmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [kk, pp, l] = promoteFloat("bernoulli.logpmf", k, p, loc);
  const x = lax.sub(kk, l);
  const logProbs = lax.add(xlogy(x, pp), xlog1py(lax.sub(c(x, 1), x), lax.neg(pp)));
  return where(logical_or(lax.lt(x, c(x, 0)), lax.gt(x, c(x, 1))), -Infinity, logProbs);
}

/**
 * The Bernoulli distribution, `jax.scipy.stats.bernoulli`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.bernoulli.pmf(1, 0.3).item(); // ≈ 0.3
 * ```
 */
export const bernoulli: {
  /** Log probability mass (`-inf` outside {0, 1}). */
  logpmf: BernoulliFn;
  /** Probability mass. */
  pmf: BernoulliFn;
} = {
  logpmf: bernoulliLogpmf,
  pmf: (k, p, loc = 0) => lax.exp(bernoulliLogpmf(k, p, loc)),
};

// ---------------------------------------------------------------- binom

/** `f(k, n, p, loc = 0)`. */
export type BinomFn = (k: ArrayLike, n: ArrayLike, p: ArrayLike, loc?: ArrayLike) => NDArray;

function binomLogpmf(k: ArrayLike, n: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): NDArray {
  const [kk, nn, pp, l] = promoteFloat("binom.logpmf", k, n, p, loc);
  const y = lax.sub(kk, l);
  const one = c(y, 1);
  const zero = c(y, 0);
  const comb = lax.sub(
    gammaln(lax.add(nn, one)),
    lax.add(gammaln(lax.add(y, one)), gammaln(lax.add(lax.sub(nn, y), one))),
  );
  const logLinear = lax.add(xlogy(y, pp), xlog1py(lax.sub(nn, y), lax.neg(pp)));
  let logProbs = lax.add(comb, logLinear);
  const yn = logical_or(logical_and(lax.eq(y, zero), lax.eq(nn, zero)), lax.eq(logLinear, zero));
  logProbs = where(yn, 0, logProbs);
  return where(logical_and(lax.ge(kk, l), lax.lt(kk, lax.add(lax.add(l, nn), one))), logProbs, -Infinity);
}

/**
 * The binomial distribution, `jax.scipy.stats.binom`.
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.binom.pmf(1, 2, 0.5).item(); // 0.5
 * ```
 */
export const binom: {
  /** Log probability mass (`-inf` outside [loc, loc + n]). */
  logpmf: BinomFn;
  /** Probability mass. */
  pmf: BinomFn;
} = {
  logpmf: binomLogpmf,
  pmf: (k, n, p, loc = 0) => lax.exp(binomLogpmf(k, n, p, loc)),
};

// ---------------------------------------------------------------- multivariate_normal

/**
 * `log|det A|` of a symmetric positive-definite matrix `A` (n×n, static n)
 * by Gaussian elimination without pivoting: for an SPD matrix every pivot
 * is positive (they are the squared diagonal of its Cholesky factor, the
 * Schur complements stay SPD), so no pivoting is needed and the log
 * determinant is the sum of the logs of the pivots. Each step subtracts the
 * rank-one update `A[:, k] A[k, :] / A[k, k]`, which zeroes row and column
 * k, leaving the next pivot at (k + 1, k + 1). Differentiable (it unrolls
 * into n rank-one updates); for non-SPD input the result is meaningless
 * (nan for a non-positive pivot).
 */
export function spd_logdet(a: ArrayLike): NDArray {
  let A = promoteFloat("spd_logdet", a)[0];
  if (A.ndim !== 2 || A.shape[0] !== A.shape[1]) {
    throw new ValueError(`spd_logdet: expected a square matrix, got shape (${A.shape.join(", ")})`);
  }
  const n = A.shape[0];
  let total = lax.full([], 0, A.dtype);
  for (let k = 0; k < n; k++) {
    const col = lax.slice(A, [0, k], [n, k + 1]); // (n, 1)
    const row = lax.slice(A, [k, 0], [k + 1, n]); // (1, n)
    const pivot = lax.reshape(lax.slice(A, [k, k], [k + 1, k + 1]), []);
    total = lax.add(total, lax.log(pivot));
    if (k + 1 < n) {
      const upd = lax.dot_general(col, lax.div(row, pivot), [[[1], [0]], [[], []]]);
      A = lax.sub(A, upd);
    }
  }
  return total;
}

/** `f(x, mean, cov)`. */
export type MvnFn = (x: ArrayLike, mean: ArrayLike, cov: ArrayLike) => NDArray;

function mvnLogpdf(x: ArrayLike, mean: ArrayLike, cov: ArrayLike): NDArray {
  const [xx, m, s] = promoteFloatDTypes(x, mean, cov);
  const d = subtract(xx, m);
  const log2pi = Math.log(2 * Math.PI);
  if (m.ndim === 0) {
    // Univariate: cov is a variance.
    return subtract(divide(multiply(-0.5, square(d)), s), multiply(0.5, add(log2pi, log(s))));
  }
  const n = m.shape[m.ndim - 1];
  if (s.ndim === 0) {
    // Isotropic: cov is a scalar variance.
    const q = sum(square(d), { axis: -1 });
    return subtract(divide(multiply(-0.5, q), s), multiply(n / 2, add(log2pi, log(s))));
  }
  if (s.ndim !== 2 || s.shape[0] !== n || s.shape[1] !== n) {
    throw new ValueError(
      `multivariate_normal.logpdf got incompatible shapes: mean (${m.shape.join(", ")}), ` +
        `cov (${s.shape.join(", ")}) (only a single n×n covariance is supported)`,
    );
  }
  const batch = d.shape.slice(0, -1);
  const m2 = batch.reduce((p, q) => p * q, 1);
  const D = reshape(d, [m2, n]); // (m, n)
  const sol = linalg.solve(s, transpose(D)); // (n, m)
  const quad = reshape(sum(lax.mul(transpose(D), sol), { axis: 0 }), batch);
  const logdet = spd_logdet(s);
  return lax.sub(
    lax.mul(c(quad, -0.5), quad),
    lax.mul(c(quad, 0.5), lax.add(c(quad, n * Math.log(2 * Math.PI)), logdet)),
  );
}

/**
 * The multivariate normal, `jax.scipy.stats.multivariate_normal`. `cov` is
 * a scalar (isotropic), or one n×n symmetric positive-definite matrix (no
 * batch of covariances); `x` may carry leading batch axes.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.stats.multivariate_normal.logpdf(jnp.zeros([2]), jnp.zeros([2]), jnp.eye(2)).item(); // ≈ -1.838
 * ```
 */
export const multivariate_normal: {
  /** Log density. */
  logpdf: MvnFn;
  /** Density. */
  pdf: MvnFn;
} = {
  logpdf: mvnLogpdf,
  pdf: (x, mean, cov) => lax.exp(mvnLogpdf(x, mean, cov)),
};
