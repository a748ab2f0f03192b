/**
 * XLA:CPU's float32 log, log1p, erf and erf_inv (Cephes, Eigen, Giles),
 * which jax.random's samplers need bit for bit, as `lax.log(x, { accuracy:
 * "highest" })` and the like: their coefficients, shared with the webgpu
 * backend's WGSL `_exact` helpers, and the algorithms on JS numbers, which
 * are the cpu backend's `_exact` ops for float32.
 *
 * @module
 */

/** The Cephes/Eigen log polynomial, highest power first. */
export const LOG_P = [
  7.0376836292e-2,
  -1.1514610310e-1,
  1.1676998740e-1,
  -1.2420140846e-1,
  1.4249322787e-1,
  -1.6668057665e-1,
  2.0000714765e-1,
  -2.4999993993e-1,
  3.3333331174e-1,
];

/** Cephes log1p rational for |x| < sqrt(2) - 1: numerator, highest power first. */
export const LOG1P_NUM = [
  4.5270000862445199635215e-5,
  4.9854102823193375972212e-1,
  6.5787325942061044846969e0,
  2.9911919328553073277375e1,
  6.0949667980987787057556e1,
  5.7112963590585538103336e1,
  2.0039553499201281259648e1,
];

/** Its denominator. */
export const LOG1P_DEN = [
  1,
  1.5062909083469192043167e1,
  8.3047565967967209469434e1,
  2.2176239823732856465394e2,
  3.0909872225312059774938e2,
  2.1642788614495947685003e2,
  6.0118660497603843919306e1,
];

/** Giles' single-precision erf_inv, w < 5. */
export const ERFINV_LT5 = [
  2.81022636e-08,
  3.43273939e-07,
  -3.5233877e-06,
  -4.39150654e-06,
  0.00021858087,
  -0.00125372503,
  -0.00417768164,
  0.246640727,
  1.50140941,
];

/** Giles' single-precision erf_inv, w >= 5. */
export const ERFINV_GE5 = [
  -0.000200214257,
  0.000100950558,
  0.00134934322,
  -0.00367342844,
  0.00573950773,
  -0.0076224613,
  0.00943887047,
  1.00167406,
  2.83297682,
];

/** Eigen's float32 erf rational: numerator coefficients, in powers of x^2 from the lowest. */
export const ERF_A = [
  1.128379143519084,
  0.18520832239976145,
  0.050955695062380861,
  0.0034082910107109506,
  0.00022905065861350646,
];

/** Its denominator. */
export const ERF_B = [
  1,
  0.49746925110067538,
  0.11098505178285362,
  0.014070470171167667,
  0.0010179625278914885,
  0.000023547966471313185,
  -1.1791602954361697e-7,
];

// ---- the algorithms on JS numbers (the cpu backend's `_exact` ops), every step rounded as float32 ----

const fr = Math.fround;
const F32_TINY = 2 ** -126;

/**
 * `round(a * b + c)` to float32 once (XLA:CPU's fused multiply-add), for
 * float32 `a`, `b`, `c`: `a * b` is exact in float64, `s = p + c` is
 * rounded once, and its error (TwoSum) breaks the float64 → float32 double
 * rounding at ties.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bp = s - p;
  const r = (p - (s - bp)) + (c - bp);
  const y = fr(s);
  const m = s - y;
  const z64 = y + (m + m);
  const z = fr(z64);
  const fix = m !== 0 && z === z64 && r !== 0 && Math.sign(r) === Math.sign(m);
  return fix ? z : y;
}

/** `[y, e]` with `x = y * 2^e`, y in [1, 2), for a normal positive float32 `x` (exact power-of-two scalings). */
function frexp(x: number): [number, number] {
  let y = x, e = 0;
  for (const k of [64, 32, 16, 8, 4, 2, 1]) if (y >= 2 ** k) [y, e] = [y * 2 ** -k, e + k];
  for (const k of [64, 32, 16, 8, 4, 2, 1]) if (y < 2 ** (1 - k)) [y, e] = [y * 2 ** k, e - k];
  return [y, e];
}

/** XLA:CPU's float32 `log` (the Cephes/Eigen polynomial; subnormals are zero). */
export function log32(x: number): number {
  if (Math.abs(x) < F32_TINY) return -Infinity; // subnormals (of either sign) are zero
  if (x !== x || x < 0) return NaN;
  if (x === Infinity) return Infinity;
  const [y, ex] = frexp(x);
  const m0 = fr(y * 0.5);
  const small = m0 < fr(Math.SQRT1_2);
  const e = fr(fr(ex + 1) - (small ? 1 : 0));
  const t = fr(fr(m0 - 1) + (small ? m0 : 0));
  const x2 = fr(t * t), x3 = fr(x2 * t);
  const P = LOG_P.map(fr);
  let p = fma32(t, P[0], P[1]), p1 = fma32(t, P[3], P[4]), p2 = fma32(t, P[6], P[7]);
  p = fma32(p, t, P[2]);
  p1 = fma32(p1, t, P[5]);
  p2 = fma32(p2, t, P[8]);
  p = fma32(p, x3, p1);
  p = fma32(p, x3, p2);
  p = fma32(p, x3, fr(e * fr(-2.12194440e-4)));
  const r = fr(fr(t - fr(x2 * 0.5)) + p);
  return fr(r + fr(e * 0.693359375));
}

function horner32(x: number, coeffs: readonly number[]): number {
  let p = fr(coeffs[0]);
  for (let i = 1; i < coeffs.length; i++) p = fma32(p, x, fr(coeffs[i]));
  return p;
}

/** XLA:CPU's float32 `log1p` (the Cephes rational near 0, `log(1 + x)` elsewhere). */
export function log1p32(x: number): number {
  if (!(Math.abs(x) < fr(0.41421356237309504880))) return log32(fr(x + 1));
  const x2 = fr(x * x);
  const r = fr(horner32(x, LOG1P_NUM) / horner32(x, LOG1P_DEN));
  return fr(x + fr(fr(x2 * -0.5) + fr(fr(x * x2) * r)));
}

/** XLA's float32 `erf_inv` (Giles' polynomials). */
export function erfInv32(x: number): number {
  if (Math.abs(x) === 1) return x * Infinity;
  const w = -log1p32(fr(x * -x));
  const lt5 = w < 5;
  const ww = lt5 ? fr(w - 2.5) : fr(fr(Math.sqrt(w)) - 3);
  const c = lt5 ? ERFINV_LT5 : ERFINV_GE5;
  let p = fr(c[0]);
  for (let i = 1; i < 9; i++) p = fma32(p, ww, fr(c[i]));
  return fr(p * x);
}

/** XLA:CPU's float32 `erf` (Eigen's rational approximation). */
export function erf32(x: number): number {
  if (fr(3.832506856900711) <= Math.abs(x)) return x < 0 ? -1 : 1;
  const x2 = fr(x * x);
  let p = fma32(x2, fr(ERF_A[4]), fr(ERF_A[3]));
  for (const a of [ERF_A[2], ERF_A[1], ERF_A[0]]) p = fma32(x2, p, fr(a));
  p = fr(x * p);
  let q = fma32(x2, fr(ERF_B[6]), fr(ERF_B[5]));
  for (const b of [ERF_B[4], ERF_B[3], ERF_B[2], ERF_B[1], ERF_B[0]]) q = fma32(x2, q, fr(b));
  return fr(p / q);
}
