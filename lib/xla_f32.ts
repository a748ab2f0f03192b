/**
 * The coefficients of XLA:CPU's float32 log, log1p, erf and erf_inv (Cephes,
 * Eigen, Giles), which jax.random's samplers need bit for bit: lib/random.ts
 * builds them from lax ops where float64 emulates the fused multiply-adds,
 * and the webgpu backend renders them as its `_exact` ops.
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
