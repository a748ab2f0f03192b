/**
 * `jax.scipy.stats`: per-distribution namespaces (`norm`, `poisson`,
 * `gamma`, `beta`, `bernoulli`, `binom`, `multivariate_normal`).
 *
 * @example
 * ```ts
 * import { jax } from "@jaxd/jaxd";
 * jax.scipy.stats.norm.pdf(0).item(); // ≈ 0.399
 * ```
 *
 * @module
 */

export { bernoulli, beta, binom, gamma, multivariate_normal, norm, poisson } from "./stats.ts";
export type { BernoulliFn, BetaFn, BinomFn, GammaFn, LocScaleFn, MvnFn, PoissonFn } from "./stats.ts";
