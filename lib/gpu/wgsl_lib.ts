/**
 * WGSL helper functions the generated kernels call: math missing from WGSL
 * (log1p, expm1, cbrt, NaN-propagating max/min, JAX's pow), and float32
 * special functions (lgamma, digamma, polygamma, erf, erfc, erf_inv, igamma).
 * Every loop here is short and bounded (llvmpipe stops shaders after 65,535
 * loop iterations per invocation).
 *
 * `log_exact`, `log1p_exact`, `erf_exact` and `erf_inv_exact` (the
 * `accuracy: "highest"` forms of lax.log, log1p, erf and erf_inv) are
 * XLA:CPU's float32 algorithms bit for bit, so jax.random's samplers built on
 * them (normal, exponential, gumbel, truncated_normal, ...) give JAX's
 * streams. Their fused multiply-adds are emulated exactly (WGSL's fma is a
 * multiply and an add on llvmpipe), which makes them 4-40x slower than the
 * plain forms on llvmpipe, so the plain ops keep WGSL's builtins and the
 * helpers below.
 *
 * @module
 */

import { ERF_A, ERF_B, ERFINV_GE5, ERFINV_LT5, LOG1P_DEN, LOG1P_NUM, LOG_P } from "../xla_f32.ts";
import { THREEFRY_PARITY, THREEFRY_ROTATIONS } from "../kernel/threefry.ts";

/** A float32 value as an exact WGSL literal (`Math.fround` of `v`, by its bits). */
const lit = (v: number): string => `bitcast<f32>(${new Uint32Array(new Float32Array([v]).buffer)[0]}u)`;

/** `p = fma_f(p, w, c)` for each coefficient after the first: a Horner step fused as XLA:CPU fuses it. */
const horner = (p: string, w: string, cs: number[]): string =>
  [`${p} = ${lit(cs[0])};`, ...cs.slice(1).map((c) => `${p} = fma_f(${p}, ${w}, ${lit(c)});`)].join(" ");

// XLA:CPU's float32 log, log1p, erf and erf_inv use the coefficients of lib/xla_f32.ts.

/** Name → WGSL source of each helper; kernels include only what they call. */
export const WGSL_HELPERS: Record<string, string> = {
  // Mesa's optimizer treats WGSL float math as reassociable: it rewrites (x + y) - x to y,
  // x + (y + z) to (x + y) + z, (x * y) * c to (x * c) * y. max(x, -inf) is x (for non-NaN x),
  // and it cannot see through it: a value passed through rn_f is rounded where the source says.
  rn_f: `fn rn_f(x: f32) -> f32 { return max(x, -inf_f()); }`,
  // round(a * b + c) once (WGSL's fma may be, and on llvmpipe is, a multiply and an add):
  // a * b = p + e exactly (Dekker's product over Veltkamp halves), p + c + e summed
  // error-free (TwoSum) into r + eps with delta the low part's error; r is correctly
  // rounded except at a tie (|eps| half an ulp of r) that delta breaks: one ulp on.
  // For operands below ~1e34 in magnitude (the polynomials here); non-finite results are a * b + c.
  fma_f: `fn two_sum_f(x: f32, y: f32) -> vec2<f32> {
  let s = rn_f(x + y); let bp = rn_f(s - x);
  return vec2<f32>(s, rn_f(x - rn_f(s - bp)) + rn_f(y - bp));
}
fn fma_f(a: f32, b: f32, c: f32) -> f32 {
  let p = rn_f(a * b);
  let plain = p + c;
  if (!isfinite_f(plain)) { return plain; }
  let ta = rn_f(a * 4097.0); let ah = rn_f(ta - rn_f(ta - a)); let al = rn_f(a - ah);
  let tb = rn_f(b * 4097.0); let bh = rn_f(tb - rn_f(tb - b)); let bl = rn_f(b - bh);
  let e = rn_f(rn_f(rn_f(rn_f(ah * bh) - p) + rn_f(ah * bl)) + rn_f(al * bh)) + rn_f(al * bl);
  let st = two_sum_f(p, c);
  let wd = two_sum_f(st.y, e);
  let re = two_sum_f(st.x, wd.x);
  let z = rn_f(re.x + 2.0 * re.y);
  let tie = re.y != 0.0 && rn_f(z - re.x) == 2.0 * re.y;
  return select(re.x, z, tie && wd.y != 0.0 && sign(wd.y) == sign(re.y));
}`,
  // XLA:CPU's float32 log (Cephes/Eigen, inputs below 2^-126 taken as zero), bit for bit.
  log_exact_f: `fn log_exact_f(x: f32) -> f32 {
  if (abs(x) < ${lit(2 ** -126)}) { return -inf_f(); }
  if (isnan_f(x) || x < 0.0) { return nan_f(); }
  if (!isfinite_f(x)) { return x; }
  let bits = bitcast<u32>(x);
  let m0 = bitcast<f32>((bits & 0x007fffffu) | 0x3f000000u);
  let small = m0 < ${lit(Math.SQRT1_2)};
  let e = f32(i32(bits >> 23u) - select(126, 127, small));
  let t = rn_f(rn_f(m0 - 1.0) + select(0.0, m0, small));
  let x2 = rn_f(t * t); let x3 = rn_f(x2 * t);
  var p = fma_f(t, ${lit(LOG_P[0])}, ${lit(LOG_P[1])});
  var p1 = fma_f(t, ${lit(LOG_P[3])}, ${lit(LOG_P[4])});
  var p2 = fma_f(t, ${lit(LOG_P[6])}, ${lit(LOG_P[7])});
  p = fma_f(p, t, ${lit(LOG_P[2])}); p1 = fma_f(p1, t, ${lit(LOG_P[5])}); p2 = fma_f(p2, t, ${lit(LOG_P[8])});
  p = fma_f(p, x3, p1); p = fma_f(p, x3, p2); p = fma_f(p, x3, rn_f(e * ${lit(-2.12194440e-4)}));
  let r = rn_f(rn_f(t - rn_f(x2 * 0.5)) + p);
  return rn_f(r + rn_f(e * 0.693359375));
}`,
  // XLA:CPU's float32 log1p: a Cephes rational for |x| < sqrt(2) - 1, log(1 + x) elsewhere.
  log1p_exact_f: `fn log1p_exact_f(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  if (!(abs(x) < ${lit(0.41421356237309504880)})) { return log_exact_f(rn_f(x + 1.0)); }
  var n: f32; ${horner("n", "x", LOG1P_NUM)}
  var d: f32; ${horner("d", "x", LOG1P_DEN)}
  let x2 = rn_f(x * x);
  let r = rn_f(rn_f(x2 * -0.5) + rn_f(rn_f(x * x2) * rn_f(n / d)));
  return rn_f(x + r);
}`,
  log1p_f: `fn log1p_f(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (!isfinite_f(u)) { return log(u); }
  return log(u) * x / (u - 1.0);
}`,
  erf_f: `fn erf_f(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    let x2 = x * x;
    return x * (1.1283791670955126 + x2 * (-0.37612638903183754 + x2 * (0.11283791670955126
      + x2 * (-0.026866170645131252 + x2 * (0.005223977625442188 + x2 * -0.0008548327023450852)))));
  }
  return 1.0 - erfc_f(x);
}`,
  erf_inv_f: `fn erf_inv_f(x: f32) -> f32 {
  // Giles, "Approximating the erfinv function" (single precision), as XLA uses.
  if (abs(x) >= 1.0) { return select(nan_f(), sign(x) * inf_f(), abs(x) == 1.0); }
  var w = -log((1.0 - x) * (1.0 + x));
  var p: f32;
  if (w < 5.0) {
    w = w - 2.5;
    p = 2.81022636e-08; p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w; p = -0.00125372503 + p * w; p = -0.00417768164 + p * w; p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = sqrt(w) - 3.0;
    p = -0.000200214257; p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w; p = -0.0076224613 + p * w; p = 0.00943887047 + p * w; p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  return p * x;
}`,
  isnan_f: `fn isnan_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`,
  // A sum started at +0 is never -0, but Mesa folds 0.0 + v to v, so a sum of -0s came out -0: a zero's sign bit is
  // cleared here, by its bits (a float compare and select would be folded as well).
  plus0_f:
    `fn plus0_f(x: f32) -> f32 { return bitcast<f32>(select(bitcast<u32>(x), 0u, (bitcast<u32>(x) & 0x7fffffffu) == 0u)); }`,
  isfinite_f: `fn isfinite_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }`,
  // WGSL lets a compiler assume no NaNs, and Mesa does: it folds x != x to false. Comparisons test for NaN
  // by the bits, so they give IEEE's answers (false for any NaN, true for != with one).
  eq_f: `fn eq_f(a: f32, b: f32) -> bool { return !isnan_f(a) && !isnan_f(b) && a == b; }`,
  ne_f: `fn ne_f(a: f32, b: f32) -> bool { return isnan_f(a) || isnan_f(b) || a != b; }`,
  lt_f: `fn lt_f(a: f32, b: f32) -> bool { return !isnan_f(a) && !isnan_f(b) && a < b; }`,
  le_f: `fn le_f(a: f32, b: f32) -> bool { return !isnan_f(a) && !isnan_f(b) && a <= b; }`,
  nan_f: `fn nan_f() -> f32 { return bitcast<f32>(0x7fc00000u); }`,
  // WGSL's sign gives 0 for NaN; JAX (XLA) keeps NaN and the zero's sign.
  sign_f: `fn sign_f(x: f32) -> f32 { if (isnan_f(x) || x == 0.0) { return x; } return sign(x); }`,
  inf_f: `fn inf_f() -> f32 { return bitcast<f32>(0x7f800000u); }`,
  max_f: `fn max_f(a: f32, b: f32) -> f32 { if (isnan_f(a) || isnan_f(b)) { return nan_f(); } return max(a, b); }`,
  min_f: `fn min_f(a: f32, b: f32) -> f32 { if (isnan_f(a) || isnan_f(b)) { return nan_f(); } return min(a, b); }`,
  expm1_f: `fn expm1_f(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (!isfinite_f(u)) { return u; }
  return um1 * x / log(u);
}`,
  cbrt_f: `fn cbrt_f(x: f32) -> f32 {
  if (x == 0.0 || !isfinite_f(x)) { return x; }
  var y = sign(x) * pow(abs(x), 1.0 / 3.0);
  y = y - (y * y * y - x) / (3.0 * y * y);
  return y;
}`,
  pow_f: `fn pow_f(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (isnan_f(x) || isnan_f(y)) { return nan_f(); }
  let ay = abs(x);
  if (x < 0.0) {
    if (floor(y) != y) { return nan_f(); }
    let r = pow(ay, y);
    let odd = abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
    return select(r, -r, odd);
  }
  if (x == 0.0) { return select(0.0, inf_f(), y < 0.0); }
  return pow(ay, y);
}`,
  ipow_i: `fn ipow_i(a0: i32, b0: i32) -> i32 {
  if (b0 < 0) { return select(select(0, select(1, -1, (b0 & 1) == 1), a0 == -1), 1, a0 == 1); }
  var a = a0; var b = b0; var r = 1;
  for (var k = 0; k < 32 && b > 0; k++) { if ((b & 1) == 1) { r = r * a; } a = a * a; b = b >> 1u; }
  return r;
}`,
  ipow_u: `fn ipow_u(a0: u32, b0: u32) -> u32 {
  var a = a0; var b = b0; var r = 1u;
  for (var k = 0; k < 32 && b > 0u; k++) { if ((b & 1u) == 1u) { r = r * a; } a = a * a; b = b >> 1u; }
  return r;
}`,
  idiv_i: `fn idiv_i(a: i32, b: i32) -> i32 { if (b == 0) { return -1; } return a / b; }`,
  // a - b * (a / b), not a % b: some GL drivers (llvmpipe) get % wrong for negative operands.
  irem_i: `fn irem_i(a: i32, b: i32) -> i32 { if (b == 0) { return a; } return a - b * (a / b); }`,
  fmod_f: `fn fmod_f(x: f32, y: f32) -> f32 {
  if (y == 0.0 || !isfinite_f(x) || isnan_f(y)) { return nan_f(); }
  if (!isfinite_f(y)) { return x; }
  let q = trunc(x / y);
  // x - q*y with q*y split exactly into hi + lo (Dekker), since fma may not be exact.
  let ca = 4097.0 * q; let qh = ca - (ca - q); let ql = q - qh;
  let cb = 4097.0 * y; let yh = cb - (cb - y); let yl = y - yh;
  let p = q * y;
  let e = ((qh * yh - p) + qh * yl + ql * yh) + ql * yl;
  var r = (x - p) - e;
  if (abs(r) >= abs(y)) { r = r - sign(r) * abs(y); }
  if (r != 0.0 && sign(r) != sign(x)) { r = r + sign(x) * abs(y); }
  return r;
}`,
  atan_f: `fn atan_f(x0: f32) -> f32 {
  if (isnan_f(x0)) { return x0; }
  // Cephes atanf: range reduction to |z| <= tan(pi/8), then a minimax polynomial.
  let x = abs(x0);
  var y = 0.0; var z = x;
  if (x > 2.414213562373095) { y = 1.5707963267948966; z = -1.0 / x; }
  else if (x > 0.4142135623730950) { y = 0.7853981633974483; z = (x - 1.0) / (x + 1.0); }
  let zz = z * z;
  let r = (((8.05374449538e-2 * zz - 1.38776856032e-1) * zz + 1.99777106478e-1) * zz - 3.33329491539e-1) * zz * z + z;
  return select(y + r, -(y + r), x0 < 0.0);
}`,
  atan2_f: `fn atan2_f(y: f32, x: f32) -> f32 {
  if (isnan_f(x) || isnan_f(y)) { return nan_f(); }
  let ax = abs(x); let ay = abs(y);
  var a: f32;
  if (ax == 0.0 && ay == 0.0) { a = 0.0; }
  else if (!isfinite_f(ax) && !isfinite_f(ay)) { a = 0.7853981633974483; }
  else if (ax >= ay) { a = atan_f(ay / ax); }
  else { a = 1.5707963267948966 - atan_f(ax / ay); }
  if ((bitcast<u32>(x) >> 31u) == 1u) { a = 3.141592653589793 - a; }
  if ((bitcast<u32>(y) >> 31u) == 1u) { a = -a; }
  return a;
}`,
  asin_f: `fn asin_f(x: f32) -> f32 { return atan2_f(x, sqrt((1.0 - x) * (1.0 + x))); }`,
  acos_f: `fn acos_f(x: f32) -> f32 { return atan2_f(sqrt((1.0 - x) * (1.0 + x)), x); }`,
  idiv_u: `fn idiv_u(a: u32, b: u32) -> u32 { if (b == 0u) { return 0xffffffffu; } return a / b; }`,
  irem_u: `fn irem_u(a: u32, b: u32) -> u32 { if (b == 0u) { return a; } return a % b; }`,
  f2i:
    `fn f2i(x: f32) -> i32 { if (isnan_f(x)) { return 0; } if (x >= 2147483520.0) { return 2147483647; } if (x <= -2147483648.0) { return -2147483647 - 1; } return i32(x); }`,
  f2u:
    `fn f2u(x: f32) -> u32 { if (isnan_f(x) || x <= 0.0) { return 0u; } if (x >= 4294967040.0) { return 0xffffffffu; } return u32(x); }`,
  lgamma_f: `fn lgamma_pos(x0: f32) -> f32 {
  var x = x0; var acc = 0.0;
  for (var k = 0; k < 8 && x < 8.0; k++) { acc = acc - log(x); x = x + 1.0; }
  let r = 1.0 / x; let r2 = r * r;
  let s = r * (0.083333333333 - r2 * (0.0027777777778 - r2 * (0.00079365079365 - r2 * 0.00059523809524)));
  return acc + (x - 0.5) * log(x) - x + 0.91893853320467 + s;
}
fn lgamma_f(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  if (!isfinite_f(x)) { return inf_f(); }
  if (x == 1.0 || x == 2.0) { return 0.0; }
  if (x < 0.5) {
    if (floor(x) == x) { return inf_f(); }
    let s = abs(sin(3.14159265358979 * (x - 2.0 * floor(x * 0.5))));
    return 1.1447298858494 - log(s) - lgamma_pos(1.0 - x);
  }
  return lgamma_pos(x);
}`,
  digamma_f: `fn digamma_pos(x0: f32) -> f32 {
  var x = x0; var acc = 0.0;
  for (var k = 0; k < 10 && x < 10.0; k++) { acc = acc - 1.0 / x; x = x + 1.0; }
  let r = 1.0 / x; let r2 = r * r;
  return acc + log(x) - 0.5 * r - r2 * (0.083333333333 - r2 * (0.0083333333333 - r2 * 0.003968253968));
}
fn digamma_f(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  if (x <= 0.0 && floor(x) == x) { return nan_f(); }
  if (x < 0.5) {
    let t = 3.14159265358979 * (x - 2.0 * floor(x * 0.5));
    return digamma_pos(1.0 - x) - 3.14159265358979 * cos(t) / sin(t);
  }
  return digamma_pos(x);
}`,
  polygamma_f: `fn polygamma_f(n: f32, x0: f32) -> f32 {
  if (n == 0.0) { return digamma_f(x0); }
  if (n < 0.0 || floor(n) != n || isnan_f(x0)) { return nan_f(); }
  if (x0 <= 0.0 && floor(x0) == x0) { return select(nan_f(), inf_f(), (i32(n) & 1) == 1); }
  if (x0 < 0.0) { return nan_f(); }
  // psi^(n)(x) = (-1)^(n+1) n! zeta(n+1, x): direct terms, then Euler-Maclaurin.
  var x = x0; var s = 0.0;
  for (var k = 0; k < 12 && x < 12.0; k++) { s = s + pow(x, -(n + 1.0)); x = x + 1.0; }
  let tail = pow(x, -n) / n + 0.5 * pow(x, -(n + 1.0))
    + (n + 1.0) / 12.0 * pow(x, -(n + 2.0))
    - (n + 1.0) * (n + 2.0) * (n + 3.0) / 720.0 * pow(x, -(n + 4.0));
  var fact = 1.0;
  for (var k = 2; k <= 34 && f32(k) <= n; k++) { fact = fact * f32(k); }
  let sgn = select(-1.0, 1.0, (i32(n) & 1) == 1);
  return sgn * fact * (s + tail);
}`,
  erfc_f: `fn erfc_f(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  let z = abs(x);
  let t = 2.0 / (2.0 + z);
  let ty = 4.0 * t - 2.0;
  // Chebyshev fit of erfc(z) * exp(z^2) (Numerical Recipes, 3rd ed.).
  var d = 0.0; var dd = 0.0;
  var cof = array<f32, 28>(-1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
    -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6,
    1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10,
    -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13,
    3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17);
  for (var j = 27; j > 0; j--) { let tmp = d; d = ty * d - dd + cof[j]; dd = tmp; }
  let r = t * exp(-z * z + 0.5 * (cof[0] + ty * d) - dd);
  return select(r, 2.0 - r, x < 0.0);
}`,
  // XLA:CPU's float32 erf (Eigen's rational, clamped to +-1 from 3.8325), bit for bit.
  erf_exact_f: `fn erf_exact_f(x: f32) -> f32 {
  if (isnan_f(x)) { return x; }
  if (abs(x) >= ${lit(3.832506856900711)}) { return select(1.0, -1.0, x < 0.0); }
  let x2 = rn_f(x * x);
  var p = fma_f(x2, ${lit(ERF_A[4])}, ${lit(ERF_A[3])});
  p = fma_f(x2, p, ${lit(ERF_A[2])}); p = fma_f(x2, p, ${lit(ERF_A[1])}); p = fma_f(x2, p, ${lit(ERF_A[0])});
  var q = fma_f(x2, ${lit(ERF_B[6])}, ${lit(ERF_B[5])});
  q = fma_f(x2, q, ${lit(ERF_B[4])}); q = fma_f(x2, q, ${lit(ERF_B[3])}); q = fma_f(x2, q, ${lit(ERF_B[2])});
  q = fma_f(x2, q, ${lit(ERF_B[1])}); q = fma_f(x2, q, ${lit(ERF_B[0])});
  return rn_f(rn_f(x * p) / q);
}`,
  // XLA's float32 erf_inv (Giles, "Approximating the erfinv function", single precision), bit for bit.
  erf_inv_exact_f: `fn erf_inv_exact_f(x: f32) -> f32 {
  if (abs(x) == 1.0) { return x * inf_f(); }
  if (!(abs(x) < 1.0)) { return nan_f(); }
  let w = -log1p_exact_f(-rn_f(x * x));
  var p: f32;
  if (w < 5.0) {
    let v = rn_f(w - 2.5);
    ${horner("p", "v", ERFINV_LT5)}
  } else {
    let v = rn_f(sqrt(w) - 3.0);
    ${horner("p", "v", ERFINV_GE5)}
  }
  return rn_f(p * x);
}`,
  igamma_f: `fn igamma_series(a: f32, x: f32) -> f32 {
  var ap = a; var del = 1.0 / a; var s = del;
  for (var k = 0; k < 500; k++) { ap = ap + 1.0; del = del * x / ap; s = s + del; if (abs(del) < abs(s) * 3e-8) { break; } }
  return s * exp(-x + a * log(x) - lgamma_f(a));
}
fn igammac_cf(a: f32, x: f32) -> f32 {
  var b = x + 1.0 - a; var c = 1.0 / 1e-30; var d = 1.0 / b; var h = d;
  for (var i = 1; i < 500; i++) {
    let an = -f32(i) * (f32(i) - a); b = b + 2.0;
    d = an * d + b; if (abs(d) < 1e-30) { d = 1e-30; }
    c = b + an / c; if (abs(c) < 1e-30) { c = 1e-30; }
    d = 1.0 / d; let del = d * c; h = h * del;
    if (abs(del - 1.0) < 3e-8) { break; }
  }
  return exp(-x + a * log(x) - lgamma_f(a)) * h;
}
fn igamma_f(a: f32, x: f32) -> f32 {
  if (isnan_f(a) || isnan_f(x) || a <= 0.0 || x < 0.0) { return nan_f(); }
  if (x == 0.0) { return 0.0; }
  if (!isfinite_f(x)) { return 1.0; }
  if (x < a + 1.0) { return igamma_series(a, x); }
  return 1.0 - igammac_cf(a, x);
}
fn igammac_f(a: f32, x: f32) -> f32 {
  if (isnan_f(a) || isnan_f(x) || a <= 0.0 || x < 0.0) { return nan_f(); }
  if (x == 0.0) { return 1.0; }
  if (!isfinite_f(x)) { return 0.0; }
  if (x < a + 1.0) { return 1.0 - igamma_series(a, x); }
  return igammac_cf(a, x);
}`,
};

/** Threefry-2x32 (see kernel/threefry.ts), its 20 rounds unrolled (no loop counts against llvmpipe's cap). */
function threefrySource(): string {
  const lines = [
    `fn threefry2x32(k: vec2<u32>, x: vec2<u32>) -> vec2<u32> {`,
    `  let ks = array<u32, 3>(k.x, k.y, k.x ^ k.y ^ ${THREEFRY_PARITY}u);`,
    `  var a = x.x + ks[0];`,
    `  var b = x.y + ks[1];`,
  ];
  for (let i = 0; i < 5; i++) {
    for (const r of THREEFRY_ROTATIONS[i % 2]) lines.push(`  a = a + b; b = a ^ ((b << ${r}u) | (b >> ${32 - r}u));`);
    lines.push(`  a = a + ks[${(i + 1) % 3}]; b = b + ks[${(i + 2) % 3}] + ${i + 1}u;`);
  }
  return [...lines, `  return vec2<u32>(a, b);`, `}`].join("\n");
}
WGSL_HELPERS.threefry2x32 = threefrySource();

/** Helpers each helper calls (so including one pulls in its dependencies). */
export const WGSL_DEPS: Record<string, string[]> = {
  max_f: ["isnan_f", "nan_f"],
  eq_f: ["isnan_f"],
  ne_f: ["isnan_f"],
  lt_f: ["isnan_f"],
  le_f: ["isnan_f"],
  min_f: ["isnan_f", "nan_f"],
  sign_f: ["isnan_f"],
  rn_f: ["inf_f"],
  fma_f: ["rn_f", "isfinite_f"],
  log_exact_f: ["fma_f", "rn_f", "isnan_f", "isfinite_f", "nan_f", "inf_f"],
  log1p_exact_f: ["log_exact_f", "fma_f", "rn_f", "isnan_f"],
  log1p_f: ["isfinite_f"],
  expm1_f: ["isfinite_f"],
  cbrt_f: ["isfinite_f"],
  pow_f: ["isnan_f", "nan_f", "inf_f"],
  f2i: ["isnan_f"],
  f2u: ["isnan_f"],
  lgamma_f: ["isnan_f", "isfinite_f", "inf_f"],
  digamma_f: ["isnan_f", "nan_f"],
  polygamma_f: ["digamma_f", "isnan_f", "nan_f", "inf_f"],
  erfc_f: ["isnan_f"],
  erf_exact_f: ["fma_f", "rn_f", "isnan_f"],
  erf_inv_exact_f: ["log1p_exact_f", "fma_f", "rn_f", "inf_f", "nan_f"],
  erf_f: ["erfc_f"],
  erf_inv_f: ["nan_f", "inf_f"],
  igamma_f: ["lgamma_f", "isnan_f", "isfinite_f", "nan_f"],
  isfinite_f: [],
  fmod_f: ["isfinite_f", "isnan_f", "nan_f"],
  atan_f: ["isnan_f"],
  atan2_f: ["atan_f", "isnan_f", "nan_f", "isfinite_f"],
  asin_f: ["atan2_f"],
  acos_f: ["atan2_f"],
};
