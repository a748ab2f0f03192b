/**
 * `∂P(a, x)/∂a` for the jvp rules of igamma and igammac (JAX's
 * `igamma_grad_a`), as a composite: the power series of P for `x < a + 1`
 * and the continued fraction of Q (modified Lentz) for `x >= a + 1`, each
 * iterated together with its derivative in a, in one `lax.while_loop` that
 * stops when every element has converged (at most MAX_ITER steps).
 *
 * Series: `P = e^L S`, `L = a ln x - x - lgamma(a + 1)`, `S = Σ t_n`,
 * `t_n = t_{n-1} x / (a + n)`, so `∂P/∂a = e^L (S ∂L/∂a + Σ ∂t_n/∂a)` with
 * `∂t_n/∂a = (x / (a + n)) (∂t_{n-1}/∂a - t_{n-1} / (a + n))`.
 * Continued fraction (Numerical Recipes' gcf): `Q = e^L' h`,
 * `L' = a ln x - x - lgamma(a)`, and the derivatives of Lentz's b, c, d, h
 * carried alongside. Both need ~sqrt(a) steps near x = a, so beyond
 * a ~ 1e5 (where MAX_ITER does not suffice) the derivative loses accuracy.
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { while_loop } from "../control.ts";
import * as lax from "../lax.ts";

const MAX_ITER = 2000;

/** `∂P(a, x)/∂a` (the regularized lower incomplete gamma), elementwise; `∂Q/∂a` is its negative. */
export function igammaGradA(a: NDArray, x: NDArray): NDArray {
  const dt = a.dtype;
  const c = (v: number) => lax.full([], v, dt);
  const f64 = dt === "float64";
  const eps = c(f64 ? 2 ** -53 : 2 ** -24);
  const fpmin = c(f64 ? 1e-300 : 1e-30);
  // Operands broadcast to one shape (lax broadcasts scalars only).
  const shape = a.ndim >= x.ndim ? a.shape : x.shape;
  const bc = (v: NDArray) => (v.ndim === shape.length ? v : lax.broadcast_in_dim(v, shape, []));
  const A = bc(a), X = bc(x);
  const valid = lax.and(lax.gt(A, c(0)), lax.and(lax.gt(X, c(0)), lax.is_finite(X)));
  const useSeries = lax.lt(X, lax.add(A, c(1)));
  // Safe operands for each branch (the other branch's result is discarded).
  const aS = lax.select(valid, A, lax.full(shape, 1, dt));
  const xSer = lax.select(lax.and(valid, useSeries), X, lax.full(shape, 0.5, dt));
  const xCf = lax.select(lax.and(valid, lax.not(useSeries)), X, lax.add(aS, c(2)));

  const zeros = lax.full(shape, 0, dt), ones = lax.full(shape, 1, dt);
  const b0 = lax.sub(lax.add(xCf, c(1)), aS);
  const d0 = lax.div(c(1), b0);
  type Carry = NDArray[];
  const init: Carry = [
    lax.full([], 0, "int32"),
    // series: t, dt, s, ds
    ones,
    zeros,
    ones,
    zeros,
    // continued fraction: b, c, dc, d, dd, h, dh, and the last |del - 1| + |ddel|
    b0,
    lax.full(shape, f64 ? 1e300 : 1e30, dt),
    zeros,
    d0,
    lax.mul(d0, d0),
    d0,
    lax.mul(d0, d0),
    ones,
  ];
  const notDone = (cr: Carry) => {
    const [, t, , s, ds, , , , , , , , delta] = cr;
    const serDone = lax.le(lax.abs(t), lax.mul(eps, lax.abs(s)));
    const dtLast = cr[2];
    const serDDone = lax.le(lax.abs(dtLast), lax.mul(eps, lax.abs(ds)));
    const cfDone = lax.le(delta, eps);
    const done = lax.select(useSeries, lax.and(serDone, serDDone), cfDone);
    return lax.reduce_max(lax.convert_element_type(lax.not(lax.or(done, lax.not(valid))), "int32"), [
      ...shape.keys(),
    ]);
  };
  const cond = (cr: Carry) =>
    lax.and(lax.lt(cr[0], lax.full([], MAX_ITER, "int32")), lax.gt(notDone(cr), lax.full([], 0, "int32")));
  const body = (cr: Carry): Carry => {
    const [i, t, dT, s, ds, b, cc, dc, d, dd, h, dh] = cr;
    const n = lax.convert_element_type(lax.add(i, lax.full([], 1, "int32")), dt);
    // series step n
    const an = lax.add(aS, n);
    const r = lax.div(xSer, an);
    const dT1 = lax.mul(r, lax.sub(dT, lax.div(t, an)));
    const t1 = lax.mul(t, r);
    // continued-fraction step n: coefficient -n (n - a), b += 2 (∂b/∂a stays -1)
    const coef = lax.mul(lax.neg(n), lax.sub(n, aS));
    const dcoef = n;
    const b1 = lax.add(b, c(2));
    const guard = (v: NDArray) => lax.select(lax.lt(lax.abs(v), fpmin), fpmin, v);
    const u = guard(lax.add(lax.mul(coef, d), b1));
    const du = lax.sub(lax.add(lax.mul(dcoef, d), lax.mul(coef, dd)), c(1));
    const d1 = lax.div(c(1), u);
    const dd1 = lax.neg(lax.div(du, lax.mul(u, u)));
    const c1 = guard(lax.add(b1, lax.div(coef, cc)));
    const dc1 = lax.add(c(-1), lax.div(lax.sub(lax.mul(dcoef, cc), lax.mul(coef, dc)), lax.mul(cc, cc)));
    const del = lax.mul(d1, c1);
    const ddel = lax.add(lax.mul(dd1, c1), lax.mul(d1, dc1));
    const h1 = lax.mul(h, del);
    const dh1 = lax.add(lax.mul(dh, del), lax.mul(h, ddel));
    const delta = lax.add(
      lax.abs(lax.sub(del, c(1))),
      lax.abs(lax.mul(ddel, lax.div(h1, lax.select(lax.eq(dh1, c(0)), ones, dh1)))),
    );
    return [
      lax.add(i, lax.full([], 1, "int32")),
      t1,
      dT1,
      lax.add(s, t1),
      lax.add(ds, dT1),
      b1,
      c1,
      dc1,
      d1,
      dd1,
      h1,
      dh1,
      delta,
    ];
  };
  const out = while_loop(cond, body, init) as Carry;
  const [, , , s, ds, , , , , , h, dh] = out;
  // The log prefactors L and their a-derivatives; for a >= 20 written with
  // Stirling's series so the large terms a ln x, x and lgamma(a + 1) cancel
  // analytically rather than in rounding (float32 lost ~eps·a·ln x there).
  const [Lser, dLser] = logPrefactor(aS, xSer);
  const gradSeries = lax.mul(lax.exp(Lser), lax.add(lax.mul(s, dLser), ds));
  const [Lc, dLc] = logPrefactor(aS, xCf);
  // Q's prefactor has lgamma(a) instead of lgamma(a + 1): L' = L + ln a, dL' = dL + 1/a.
  const Lcf = lax.add(Lc, lax.log(aS));
  const dLcf = lax.add(dLc, lax.div(c(1), aS));
  const gradCf = lax.neg(lax.mul(lax.exp(Lcf), lax.add(lax.mul(h, dLcf), dh)));
  const grad = lax.select(useSeries, gradSeries, gradCf);
  // P is 0 for x <= 0 and 1 at x = inf whatever a: zero derivative there; nan for a <= 0 or nan input.
  const bad = lax.or(lax.le(A, c(0)), lax.or(lax.ne(A, A), lax.ne(X, X)));
  return lax.select(bad, lax.full(shape, NaN, dt), lax.select(valid, grad, zeros));
}

/** `[L, dL/da]` for `L = a ln x - x - lgamma(a + 1)`. */
function logPrefactor(a: NDArray, x: NDArray): [NDArray, NDArray] {
  const dt = a.dtype;
  const c = (v: number) => lax.full([], v, dt);
  const logX = lax.log(x);
  const direct = lax.sub(lax.sub(lax.mul(a, logX), x), lax.lgamma(lax.add(a, c(1))));
  const dDirect = lax.sub(logX, lax.digamma(lax.add(a, c(1))));
  // a >= 20: lgamma(a + 1) = (a + 1/2) ln a - a + ln(2π)/2 + σ(a), so
  // L = a (log1p(u) - u) - ln(a)/2 - ln(2π)/2 - σ(a) with u = (x - a)/a, and
  // ψ(a + 1) = ln a + 1/(2a) - Σ B_2k / (2k a^2k), so dL = log1p(u) - 1/(2a) + Σ B_2k / (2k a^2k).
  const big = lax.ge(a, c(20));
  const aB = lax.select(big, a, lax.full(a.shape, 20, dt));
  const u = lax.div(lax.sub(x, aB), aB);
  const l1p = lax.log1p(u);
  const ia = lax.div(c(1), aB);
  const ia2 = lax.mul(ia, ia);
  // σ(a) = 1/(12a) - 1/(360a³) + 1/(1260a⁵) - 1/(1680a⁷) + 1/(1188a⁹) - 691/(360360a¹¹)
  const sigmaCoef = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360];
  // Σ B_2k/(2k a^2k) = 1/(12a²) - 1/(120a⁴) + 1/(252a⁶) - 1/(240a⁸) + 1/(132a¹⁰)
  const psiCoef = [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132];
  const series = (coefs: number[]) => {
    let acc = c(0);
    for (let k = coefs.length - 1; k >= 0; k--) acc = lax.add(lax.mul(acc, ia2), c(coefs[k]));
    return acc;
  };
  const sigma = lax.mul(series(sigmaCoef), ia);
  const stirling = lax.sub(
    lax.sub(lax.mul(aB, lax.sub(l1p, u)), lax.mul(c(0.5), lax.log(aB))),
    lax.add(c(0.5 * Math.log(2 * Math.PI)), sigma),
  );
  const dStirling = lax.add(lax.sub(l1p, lax.mul(c(0.5), ia)), lax.mul(series(psiCoef), ia2));
  return [lax.select(big, stirling, direct), lax.select(big, dStirling, dDirect)];
}
