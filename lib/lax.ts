/**
 * `lax`: one function per primitive, each a line over `bind`, plus the few
 * helpers JAX's lax module has on top (`expand_dims`, `broadcast`, `full`,
 * `square`, ...). Control flow (`scan`, `while_loop`, `cond`, ...) lives in
 * lib/control.ts and is re-exported by the `lax` namespace in mod.ts.
 *
 * lax is strict, as in JAX: operands of binary ops share a dtype (JS numbers
 * adopt the other operand's) and a rank (or are scalars).
 *
 * @module
 */

import { NDArray } from "./array.ts";
import { defaultFloat, type DType, isFloat } from "./dtype.ts";
import { ShapeError, ValueError } from "./errors.ts";
import type {
  AccuratePrimitive,
  BinaryPrimitive,
  ComparePrimitive,
  DotDimensionNumbers,
  ScatterMode,
  UnaryPrimitive,
} from "./ops/primitives.ts";
import { scalar } from "./runtime.ts";
import { normAxis } from "./shape.ts";
import { bind, bind1 } from "./trace/core.ts";

type Num = NDArray | number;
/**
 * A lax unary function.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const f: lax.Unary = lax.exp;
 * f(jnp.array([0, 1])); // Array([1.       , 2.7182817], dtype=float32)
 * ```
 */
export type Unary = (x: Num) => NDArray;
/**
 * A lax binary function.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const g: lax.Binary = lax.add;
 * g(jnp.array([1, 2]), 1); // Array([2., 3.], dtype=float32)
 * ```
 */
export type Binary = (x: Num, y: Num) => NDArray;

/** A JS number as a weak 0-d array (of dtype `like` when given); arrays pass through. */
function toArray(x: Num | boolean, like?: DType): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "boolean") return scalar(x ? 1 : 0, "bool", false);
  const dtype = like ?? (Number.isInteger(x) ? "int32" : defaultFloat());
  return scalar(x, dtype, true);
}

function pair(x: Num, y: Num): [NDArray, NDArray] {
  if (x instanceof NDArray) return [x, toArray(y, x.dtype)];
  if (y instanceof NDArray) return [toArray(x, y.dtype), y];
  return [toArray(x), toArray(y)];
}

const un = (p: UnaryPrimitive | "is_finite" | "not") => (x: Num): NDArray => bind1(p, [toArray(x)], {});
/** Options of log, log1p, erf and erf_inv. */
export interface AccuracyOptions {
  /** `"highest"`: XLA:CPU's own float32 algorithm, bit for bit, on every backend (slower on webgpu). */
  accuracy?: "highest";
}
/** A unary op with JAX's `accuracy` option (bound without it by default, so jaxprs print as JAX's). */
const accurate = (p: AccuratePrimitive) => (x: Num, o?: AccuracyOptions): NDArray =>
  bind1(p, [toArray(x)], o?.accuracy ? { accuracy: o.accuracy } : {});
const bin = (p: BinaryPrimitive | ComparePrimitive | "add_any") => (x: Num, y: Num): NDArray =>
  bind1(p, pair(x, y), {});

/**
 * `-x`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.neg(jnp.array([1, -2])); // Array([-1.,  2.], dtype=float32)
 * ```
 */
export const neg: Unary = un("neg");
/**
 * `|x|`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.abs(jnp.array([-1.5, 2])); // Array([1.5, 2. ], dtype=float32)
 * ```
 */
export const abs: Unary = un("abs");
/**
 * Sign: -1, 0 or 1.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.sign(jnp.array([-3, 0, 2])); // Array([-1.,  0.,  1.], dtype=float32)
 * ```
 */
export const sign: Unary = un("sign");
/**
 * Round down.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.floor(jnp.array([-1.5, 2.5])); // Array([-2.,  2.], dtype=float32)
 * ```
 */
export const floor: Unary = un("floor");
/**
 * Round up.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.ceil(jnp.array([-1.5, 2.5])); // Array([-1.,  3.], dtype=float32)
 * ```
 */
export const ceil: Unary = un("ceil");
/**
 * Round half to even.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.round(jnp.array([0.5, 1.5, -2.5])); // half away from zero, as lax.round's default: [1, 2, -3]
 * ```
 */
export function round(x: Num, roundingMethod: 0 | 1 = 0): NDArray {
  return bind1("round", [toArray(x)], { rounding_method: roundingMethod });
}
/**
 * `e^x`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.exp(jnp.array([0, 1])); // Array([1.       , 2.7182817], dtype=float32)
 * ```
 */
export const exp: Unary = un("exp");
/**
 * `2^x`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.exp2(jnp.array([0, 3])); // Array([1., 8.], dtype=float32)
 * ```
 */
export const exp2: Unary = un("exp2");
/**
 * Natural log.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.log(jnp.array([1, 10])); // Array([0.       , 2.3025851], dtype=float32)
 * ```
 */
export const log: (x: Num, o?: AccuracyOptions) => NDArray = accurate("log");
/**
 * `log(1 + x)`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.log1p(jnp.array([0, 1])); // Array([0.       , 0.6931472], dtype=float32)
 * ```
 */
export const log1p: (x: Num, o?: AccuracyOptions) => NDArray = accurate("log1p");
/**
 * `e^x - 1`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.expm1(jnp.array([0, 1])); // Array([0.       , 1.7182819], dtype=float32)
 * ```
 */
export const expm1: Unary = un("expm1");
/**
 * Square root.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.sqrt(jnp.array([4, 9])); // Array([2., 3.], dtype=float32)
 * ```
 */
export const sqrt: Unary = un("sqrt");
/**
 * `1 / sqrt(x)`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.rsqrt(jnp.array([4, 16])); // Array([0.5 , 0.25], dtype=float32)
 * ```
 */
export const rsqrt: Unary = un("rsqrt");
/**
 * Cube root.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cbrt(jnp.array([-8, 27])); // Array([-2.,  3.], dtype=float32)
 * ```
 */
export const cbrt: Unary = un("cbrt");
/**
 * Sine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.sin(jnp.array([0, 1])); // Array([0.        , 0.84147096], dtype=float32)
 * ```
 */
export const sin: Unary = un("sin");
/**
 * Cosine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cos(jnp.array([0, 1])); // Array([1.       , 0.5403023], dtype=float32)
 * ```
 */
export const cos: Unary = un("cos");
/**
 * Tangent.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.tan(jnp.array([0, 1])); // Array([0.       , 1.5574077], dtype=float32)
 * ```
 */
export const tan: Unary = un("tan");
/**
 * Arcsine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.asin(jnp.array([0, 1])); // Array([0.       , 1.5707964], dtype=float32)
 * ```
 */
export const asin: Unary = un("asin");
/**
 * Arccosine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.acos(jnp.array([0, 1])); // Array([1.5707964, 0.       ], dtype=float32)
 * ```
 */
export const acos: Unary = un("acos");
/**
 * Arctangent.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.atan(jnp.array([0, 1])); // Array([0.       , 0.7853982], dtype=float32)
 * ```
 */
export const atan: Unary = un("atan");
/**
 * Hyperbolic sine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.sinh(jnp.array([0, 1])); // Array([0.       , 1.1752012], dtype=float32)
 * ```
 */
export const sinh: Unary = un("sinh");
/**
 * Hyperbolic cosine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cosh(jnp.array([0, 1])); // Array([1.       , 1.5430807], dtype=float32)
 * ```
 */
export const cosh: Unary = un("cosh");
/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.tanh(jnp.array([0, 1])); // Array([0.       , 0.7615942], dtype=float32)
 * ```
 */
export const tanh: Unary = un("tanh");
/**
 * Inverse hyperbolic sine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.asinh(jnp.array([0, 1])); // Array([0.       , 0.8813736], dtype=float32)
 * ```
 */
export const asinh: Unary = un("asinh");
/**
 * Inverse hyperbolic cosine.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.acosh(jnp.array([1, 2])); // Array([0.      , 1.316958], dtype=float32)
 * ```
 */
export const acosh: Unary = un("acosh");
/**
 * Inverse hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.atanh(jnp.array([0, 0.5])); // Array([0.        , 0.54930615], dtype=float32)
 * ```
 */
export const atanh: Unary = un("atanh");
/**
 * `log|Gamma(x)|`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.lgamma(jnp.array([0.5, 5])); // Array([0.5723649, 3.1780539], dtype=float32)
 * ```
 */
export const lgamma: Unary = un("lgamma");
/**
 * The digamma function.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.digamma(jnp.array([1, 2])); // Array([-0.5772157 ,  0.42278433], dtype=float32)
 * ```
 */
export const digamma: Unary = un("digamma");
/**
 * The error function.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.erf(jnp.array([0, 1])); // Array([0.       , 0.8427008], dtype=float32)
 * ```
 */
export const erf: (x: Num, o?: AccuracyOptions) => NDArray = accurate("erf");
/**
 * `1 - erf(x)`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.erfc(jnp.array([0, 1])); // Array([1.       , 0.1572992], dtype=float32)
 * ```
 */
export const erfc: Unary = un("erfc");
/**
 * Inverse error function.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.erf_inv(jnp.array([0, 0.5])); // Array([0.        , 0.47693628], dtype=float32)
 * ```
 */
export const erf_inv: (x: Num, o?: AccuracyOptions) => NDArray = accurate("erf_inv");
/**
 * `1 / (1 + e^-x)`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.logistic(jnp.array([0, 2])); // Array([0.5      , 0.8807971], dtype=float32)
 * ```
 */
export const logistic: Unary = un("logistic");
/**
 * Elementwise finiteness test.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.is_finite(jnp.array([1, Infinity, NaN])); // Array([ True, False, False], dtype=bool)
 * ```
 */
export const is_finite: Unary = un("is_finite");
/**
 * Logical/bitwise not.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.not(jnp.array([true, false])); // Array([False,  True], dtype=bool)
 * ```
 */
export const not: Unary = un("not");

/**
 * `x + y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.add(jnp.array([5, -7]), jnp.array([2, 2])); // Array([ 7., -5.], dtype=float32)
 * ```
 */
export const add: Binary = bin("add");
/**
 * `x - y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.sub(jnp.array([5, -7]), jnp.array([2, 2])); // Array([ 3., -9.], dtype=float32)
 * ```
 */
export const sub: Binary = bin("sub");
/**
 * `x * y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.mul(jnp.array([5, -7]), jnp.array([2, 2])); // Array([ 10., -14.], dtype=float32)
 * ```
 */
export const mul: Binary = bin("mul");
/**
 * `x / y` (integer division truncates)
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.div(jnp.array([5, -7]), jnp.array([2, 2])); // Array([ 2.5, -3.5], dtype=float32)
 * ```
 */
export const div: Binary = bin("div");
/**
 * Remainder with the sign of `x` (C fmod).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.rem(jnp.array([5, -7]), jnp.array([2, 2])); // Array([ 1., -1.], dtype=float32)
 * ```
 */
export const rem: Binary = bin("rem");
/**
 * `x ** y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.pow(jnp.array([5, -7]), jnp.array([2, 2])); // Array([25., 49.], dtype=float32)
 * ```
 */
export const pow: Binary = bin("pow");
/**
 * Elementwise maximum (NaN-propagating).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.max(jnp.array([5, -7]), jnp.array([2, 2])); // Array([5., 2.], dtype=float32)
 * ```
 */
export const max: Binary = bin("max");
/**
 * Elementwise minimum (NaN-propagating).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.min(jnp.array([5, -7]), jnp.array([2, 2])); // Array([ 2., -7.], dtype=float32)
 * ```
 */
export const min: Binary = bin("min");
/**
 * `atan2(x, y)`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.atan2(jnp.array([1, 1]), jnp.array([1, -1])); // Array([0.7853982, 2.3561945], dtype=float32)
 * ```
 */
export const atan2: Binary = bin("atan2");
/**
 * Logical/bitwise and.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.and(jnp.array([true, true, false]), jnp.array([true, false, false]));
 * // Array([ True, False, False], dtype=bool)
 * ```
 */
export const and: Binary = bin("and");
/**
 * Logical/bitwise or.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.or(jnp.array([true, true, false]), jnp.array([true, false, false]));
 * // Array([ True,  True, False], dtype=bool)
 * ```
 */
export const or: Binary = bin("or");
/**
 * Logical/bitwise xor.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.xor(jnp.array([true, true, false]), jnp.array([true, false, false]));
 * // Array([False,  True, False], dtype=bool)
 * ```
 */
export const xor: Binary = bin("xor");
/**
 * Regularized lower incomplete gamma P(a, x).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.igamma(jnp.array([1, 2]), jnp.array([1, 1])); // Array([0.63212055, 0.26424113], dtype=float32)
 * ```
 */
export const igamma: Binary = bin("igamma");
/**
 * Regularized upper incomplete gamma Q(a, x).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.igammac(jnp.array([1, 2]), jnp.array([1, 1])); // Array([0.36787945, 0.7357589 ], dtype=float32)
 * ```
 */
export const igammac: Binary = bin("igammac");
/**
 * polygamma(n, x).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.polygamma(jnp.array([1, 1]), jnp.array([1, 2])); // Array([1.644934  , 0.64493406], dtype=float32)
 * ```
 */
export const polygamma: Binary = bin("polygamma");
/**
 * `x << y` (0 for shifts of 32 or more).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.shift_left(jnp.array([1, 3], { dtype: "int32" }), 2); // Array([ 4, 12], dtype=int32)
 * ```
 */
export const shift_left: Binary = bin("shift_left");
/**
 * `x >>> y`, filling with zeros.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.shift_right_logical(jnp.array([-8, 8], { dtype: "int32" }), 1);
 * // Array([2147483644,          4], dtype=int32)
 * ```
 */
export const shift_right_logical: Binary = bin("shift_right_logical");
/**
 * `x >> y`, filling with the sign bit.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.shift_right_arithmetic(jnp.array([-8, 8], { dtype: "int32" }), 1); // Array([-4,  4], dtype=int32)
 * ```
 */
export const shift_right_arithmetic: Binary = bin("shift_right_arithmetic");
/**
 * `x == y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.eq(jnp.array([1, 2, 3]), 2); // Array([False,  True, False], dtype=bool)
 * ```
 */
export const eq: Binary = bin("eq");
/**
 * `x != y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.ne(jnp.array([1, 2, 3]), 2); // Array([ True, False,  True], dtype=bool)
 * ```
 */
export const ne: Binary = bin("ne");
/**
 * `x < y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.lt(jnp.array([1, 2, 3]), 2); // Array([ True, False, False], dtype=bool)
 * ```
 */
export const lt: Binary = bin("lt");
/**
 * `x <= y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.le(jnp.array([1, 2, 3]), 2); // Array([ True,  True, False], dtype=bool)
 * ```
 */
export const le: Binary = bin("le");
/**
 * `x > y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.gt(jnp.array([1, 2, 3]), 2); // Array([False, False,  True], dtype=bool)
 * ```
 */
export const gt: Binary = bin("gt");
/**
 * `x >= y`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.ge(jnp.array([1, 2, 3]), 2); // Array([False,  True,  True], dtype=bool)
 * ```
 */
export const ge: Binary = bin("ge");
/**
 * Tangent addition (like add; the name JAX gives it in jaxprs).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.add_any(jnp.array([1, 2]), jnp.array([3, 4])); // Array([4., 6.], dtype=float32)
 * ```
 */
export const add_any: Binary = bin("add_any");

/**
 * `x ** y` for a static integer `y`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.integer_pow(jnp.array([2, 3]), 3); // Array([ 8., 27.], dtype=float32)
 * ```
 */
export function integer_pow(x: NDArray, y: number): NDArray {
  return bind1("integer_pow", [x], { y });
}

/**
 * `x * x`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.square(jnp.array([2, -3])); // Array([4., 9.], dtype=float32)
 * ```
 */
export function square(x: NDArray): NDArray {
  return integer_pow(x, 2);
}

/**
 * `1 / x`
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.reciprocal(jnp.array([2, 4])); // Array([0.5 , 0.25], dtype=float32)
 * ```
 */
export function reciprocal(x: NDArray): NDArray {
  return integer_pow(x, -1);
}

/**
 * Picks `cases[which]` elementwise (`which` is bool or int32).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.select_n(jnp.array([0, 1, 2], { dtype: "int32" }), jnp.zeros([3]), jnp.ones([3]), jnp.full([3], 2, { dtype: "float32" }));
 * // Array([0., 1., 2.], dtype=float32)
 * ```
 */
export function select_n(which: NDArray, ...cases: NDArray[]): NDArray {
  return bind1("select_n", [which, ...cases], {});
}

/**
 * `pred ? onTrue : onFalse`, elementwise.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.select(jnp.array([true, false]), jnp.array([1, 2]), jnp.array([10, 20]));
 * // Array([ 1., 20.], dtype=float32)
 * ```
 */
export function select(pred: NDArray, onTrue: Num, onFalse: Num): NDArray {
  const [t, f] = pair(onTrue, onFalse);
  return select_n(pred, f, t);
}

/**
 * Converts to `dtype`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.convert_element_type(jnp.array([1.7, -1.7]), "int32"); // Array([ 1, -1], dtype=int32)
 * ```
 */
export function convert_element_type(x: Num, dtype: DType, weakType = false): NDArray {
  const a = toArray(x);
  if (a.dtype === dtype && a.weakType === weakType) return a;
  return bind1("convert_element_type", [a], { new_dtype: dtype, weak_type: weakType });
}

/**
 * Blocks gradients: the value passes through, its derivative is zero.
 *
 * @example
 * ```ts
 * import { jax, jnp, lax } from "@jaxd/jaxd";
 * jax.grad((x: jnp.NDArray) => x.mul(lax.stop_gradient(x)))(jnp.array(3)); // d/dx x*c, c = x held constant
 * ```
 */
export function stop_gradient(x: NDArray): NDArray {
  return bind1("stop_gradient", [x], {});
}

/**
 * `0, 1, 2, ...` along `dimension` of an array of `shape`.
 *
 * @example
 * ```ts
 * import { lax } from "@jaxd/jaxd";
 * lax.iota("int32", [4]); // Array([0, 1, 2, 3], dtype=int32)
 * ```
 */
export function iota(dtype: DType, shape: number[], dimension = 0): NDArray {
  return bind1("iota", [], { dtype, shape, dimension });
}

/**
 * Broadcasts `x` into `shape`, operand axis i going to `broadcastDimensions[i]`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.broadcast_in_dim(jnp.array([1, 2]), [3, 2], [1]).shape; // [3, 2]
 * ```
 */
export function broadcast_in_dim(x: NDArray, shape: number[], broadcastDimensions: number[]): NDArray {
  return bind1("broadcast_in_dim", [x], { shape, broadcast_dimensions: broadcastDimensions });
}

/**
 * Adds leading dimensions `sizes`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.broadcast(jnp.array([1, 2]), [3]).shape; // [3, 2]
 * ```
 */
export function broadcast(x: NDArray, sizes: number[]): NDArray {
  const dims = x.shape.map((_, i) => i + sizes.length);
  return broadcast_in_dim(x, [...sizes, ...x.shape], dims);
}

/**
 * Inserts size-1 axes at `dimensions` (positions in the result).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.expand_dims(jnp.array([1, 2]), [0, 2]).shape; // [1, 2, 1]
 * ```
 */
export function expand_dims(x: NDArray, dimensions: number[]): NDArray {
  const nd = x.ndim + dimensions.length;
  const dims = dimensions.map((d) => (d < 0 ? d + nd : d));
  const shape: number[] = [];
  const bdims: number[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) {
    if (dims.includes(i)) shape.push(1);
    else {
      shape.push(x.shape[j++]);
      bdims.push(i);
    }
  }
  return broadcast_in_dim(x, shape, bdims);
}

/**
 * Same data, new shape (row-major).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.reshape(jnp.arange(6), [2, 3]);
 * // Array([[0, 1, 2],
 * //        [3, 4, 5]], dtype=int32)
 * ```
 */
export function reshape(x: NDArray, newSizes: number[]): NDArray {
  return bind1("reshape", [x], { new_sizes: newSizes });
}

/**
 * Permutes axes.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.transpose(jnp.zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 * ```
 */
export function transpose(x: NDArray, permutation: number[]): NDArray {
  return bind1("transpose", [x], { permutation });
}

/**
 * Removes the given size-1 axes.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.squeeze(jnp.zeros([1, 3, 1]), [0, 2]).shape; // [3]
 * ```
 */
export function squeeze(x: NDArray, dimensions: number[]): NDArray {
  return bind1("squeeze", [x], { dimensions });
}

/**
 * Reverses the given axes.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.rev(jnp.arange(4), [0]); // Array([3, 2, 1, 0], dtype=int32)
 * ```
 */
export function rev(x: NDArray, dimensions: number[]): NDArray {
  return bind1("rev", [x], { dimensions });
}

/**
 * Static slice `x[start:limit:stride]` per axis.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.slice(jnp.arange(10), [1], [8], [3]); // Array([1, 4, 7], dtype=int32)
 * ```
 */
export function slice(x: NDArray, start: number[], limit: number[], strides: number[] | null = null): NDArray {
  return bind1("slice", [x], { start_indices: start, limit_indices: limit, strides });
}

/**
 * Slice along one axis.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.slice_in_dim(jnp.arange(6).reshape([2, 3]), 1, 3, 1, 1);
 * // Array([[1, 2],
 * //        [4, 5]], dtype=int32)
 * ```
 */
export function slice_in_dim(x: NDArray, start: number, limit: number, stride = 1, axis = 0): NDArray {
  const s = x.shape.map(() => 0);
  const l = [...x.shape];
  const st = x.shape.map(() => 1);
  s[axis] = start;
  l[axis] = limit;
  st[axis] = stride;
  return slice(x, s, l, stride === 1 ? null : st);
}

/**
 * A slice of static size at traced start indices (clamped into bounds).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.dynamic_slice(jnp.arange(6), [jnp.array(2)], [3]); // Array([2, 3, 4], dtype=int32)
 * ```
 */
export function dynamic_slice(x: NDArray, start: Num[], sizes: number[]): NDArray {
  return bind1("dynamic_slice", [x, ...normalizeStarts(x, start)], { slice_sizes: sizes });
}

/** Start indices as int32 scalars, negative ones counted from the end (as JAX does). */
function normalizeStarts(x: NDArray, start: Num[]): NDArray[] {
  return start.map((s, d) => {
    if (typeof s === "number") return toArray(s < 0 ? s + x.shape[d] : s, "int32");
    const i = s.dtype === "int32" ? s : convert_element_type(s, "int32");
    return select(lt(i, 0), add(i, x.shape[d]), i);
  });
}

/**
 * Writes `update` into `x` at traced start indices (clamped into bounds).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.dynamic_update_slice(jnp.zeros([5]), jnp.ones([2]), [3]);
 * // Array([0., 0., 0., 1., 1.], dtype=float32)
 * ```
 */
export function dynamic_update_slice(x: NDArray, update: NDArray, start: Num[]): NDArray {
  return bind1("dynamic_update_slice", [x, update, ...normalizeStarts(x, start)], {});
}

/**
 * Joins arrays along `dimension`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.concatenate([jnp.zeros([2]), jnp.ones([1])], 0); // Array([0., 0., 1.], dtype=float32)
 * ```
 */
export function concatenate(xs: NDArray[], dimension: number): NDArray {
  return bind1("concatenate", xs, { dimension });
}

/**
 * Pads with `value`: `[low, high, interior]` per axis (negative low/high crop).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.pad(jnp.array([1, 2]), 0, [[1, 2, 1]]); // 1 before, 2 after, 1 between
 * ```
 */
export function pad(x: NDArray, value: Num | boolean, config: [number, number, number][]): NDArray {
  return bind1("pad", [x, toArray(value, x.dtype)], { padding_config: config });
}

/**
 * Sum over `axes`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.reduce_sum(jnp.ones([2, 3]), [1]); // Array([3., 3.], dtype=float32)
 * ```
 */
export function reduce_sum(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_sum", [x], { axes });
}
/**
 * Max over `axes`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.reduce_max(jnp.array([[1, 5], [7, 2]]), [0]); // Array([7., 5.], dtype=float32)
 * ```
 */
export function reduce_max(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_max", [x], { axes });
}
/**
 * Min over `axes`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.reduce_min(jnp.array([[1, 5], [7, 2]]), [0, 1]); // Array(1., dtype=float32)
 * ```
 */
export function reduce_min(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_min", [x], { axes });
}
/**
 * Product over `axes`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.reduce_prod(jnp.array([[1, 2], [3, 4]]), [1]); // Array([ 2., 12.], dtype=float32)
 * ```
 */
export function reduce_prod(x: NDArray, axes: number[]): NDArray {
  return bind1("reduce_prod", [x], { axes });
}
/**
 * Index of the max along `axis`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.argmax(jnp.array([[1, 5], [7, 2]]), 1); // Array([1, 0], dtype=int32)
 * ```
 */
export function argmax(x: NDArray, axis: number, indexDtype: DType = "int32"): NDArray {
  return bind1("argmax", [x], { axes: [axis], index_dtype: indexDtype });
}
/**
 * Index of the min along `axis`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.argmin(jnp.array([[1, 5], [7, 2]]), 0); // Array([0, 1], dtype=int32)
 * ```
 */
export function argmin(x: NDArray, axis: number, indexDtype: DType = "int32"): NDArray {
  return bind1("argmin", [x], { axes: [axis], index_dtype: indexDtype });
}
/**
 * Cumulative sum along `axis`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cumsum(jnp.array([1, 2, 3]), 0, true); // reverse: [6, 5, 3]
 * ```
 */
export function cumsum(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cumsum", [x], { axis, reverse });
}

/**
 * Cumulative product along `axis`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cumprod(jnp.array([1, 2, 3, 4])); // Array([ 1.,  2.,  6., 24.], dtype=float32)
 * ```
 */
export function cumprod(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cumprod", [x], { axis, reverse });
}
/**
 * Cumulative maximum along `axis`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cummax(jnp.array([1, 3, 2, 5])); // Array([1., 3., 3., 5.], dtype=float32)
 * ```
 */
export function cummax(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cummax", [x], { axis, reverse });
}
/**
 * Cumulative minimum along `axis`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.cummin(jnp.array([4, 3, 5, 1])); // Array([4., 3., 3., 1.], dtype=float32)
 * ```
 */
export function cummin(x: NDArray, axis = 0, reverse = false): NDArray {
  return bind1("cummin", [x], { axis, reverse });
}

/**
 * General tensor contraction (`lax.dot_general`).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * // A batched matmul: contract a's axis 2 with b's axis 1, batch over axis 0 of both.
 * const a = jnp.ones([5, 2, 3]), b = jnp.ones([5, 3, 4]);
 * lax.dot_general(a, b, [[[2], [1]], [[0], [0]]]).shape; // [5, 2, 4]
 * ```
 */
export function dot_general(
  x: NDArray,
  y: NDArray,
  dimensionNumbers: DotDimensionNumbers,
  preferredElementType: DType | null = null,
): NDArray {
  return bind1("dot_general", [x, y], {
    dimension_numbers: dimensionNumbers,
    preferred_element_type: preferredElementType,
  });
}

/**
 * Matrix/vector product of 1-d or 2-d arrays.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.dot(jnp.array([[1, 2], [3, 4]]), jnp.array([1, 1])); // Array([3., 7.], dtype=float32)
 * ```
 */
export function dot(x: NDArray, y: NDArray): NDArray {
  return dot_general(x, y, [[[x.ndim - 1], [0]], [[], []]]);
}

/**
 * Splits along `axis` into pieces of the given sizes.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.split(jnp.arange(5), [2, 3]).map((p) => p.shape); // [[2], [3]]
 * ```
 */
export function split(x: NDArray, sizes: number[], axis = 0): NDArray[] {
  return bind("split", [x], { sizes, axis });
}

/** Options of lax.sort. */
export interface SortOptions {
  /** The axis to sort along (default -1, the last). */
  dimension?: number;
  /** Keep equal keys in their original order (default true; the sort here is always stable). */
  isStable?: boolean;
  /** How many of the operands are keys, compared in turn (default 1). */
  numKeys?: number;
}

/**
 * Sorts along `dimension`, ascending; floats in JAX's order (NaNs last, -0
 * equal to 0). Several operands are sorted together, ordered by the first
 * `numKeys` of them.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.sort(jnp.array([3, 1, 2])); // Array([1., 2., 3.], dtype=float32)
 * const [k, v] = lax.sort([jnp.array([2, 1]), jnp.array([10, 20])]) as jnp.NDArray[];
 * // k: [1, 2], v: [20, 10]
 * ```
 */
export function sort(operand: NDArray | NDArray[], o: SortOptions = {}): NDArray | NDArray[] {
  const ops = Array.isArray(operand) ? operand : [operand];
  if (ops.length === 0) throw new ValueError("sort: needs at least one operand");
  const dimension = normAxis("sort", o.dimension ?? -1, ops[0].ndim);
  const outs = bind("sort", ops, { dimension, is_stable: o.isStable ?? true, num_keys: o.numKeys ?? 1 });
  return Array.isArray(operand) ? outs : outs[0];
}

/**
 * Sorts `keys` along `dimension` and applies the same permutation to `values`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [k, v] = lax.sort_key_val(jnp.array([3, 1, 2]), jnp.array([0, 1, 2], { dtype: "int32" }));
 * // k: [1, 2, 3], v: [1, 2, 0]
 * ```
 */
export function sort_key_val(keys: NDArray, values: NDArray, dimension = -1, isStable = true): [NDArray, NDArray] {
  const [k, v] = sort([keys, values], { dimension, isStable }) as NDArray[];
  return [k, v];
}

/**
 * The `k` largest entries along the last axis, in descending order, and their
 * indices (int32); equal values keep the lower index first.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [values, indices] = lax.top_k(jnp.array([1, 5, 3, 5]), 2);
 * // values: [5, 5], indices: [1, 3]
 * ```
 */
export function top_k(operand: NDArray, k: number): [NDArray, NDArray] {
  if (operand.ndim === 0) throw new ShapeError("top_k: needs an array of rank at least 1");
  const n = operand.shape[operand.ndim - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new ValueError(`top_k: k must be an integer between 0 and the last axis' size ${n}, got ${k}`);
  }
  const last = operand.ndim - 1;
  // Descending keys for an ascending stable sort (ties keep index order): NaN first, then -x for floats;
  // bitwise not (monotone decreasing, no overflow) for integers.
  const keys = isFloat(operand.dtype)
    ? [convert_element_type(not(ne(operand, operand)), "int32"), neg(operand)]
    : [not(operand.dtype === "bool" ? convert_element_type(operand, "int32") : operand)];
  const iota_ = iota("int32", operand.shape, last);
  const sorted = sort([...keys, iota_], { dimension: last, numKeys: keys.length }) as NDArray[];
  const idx = sorted[sorted.length - 1];
  const start = operand.shape.map(() => 0), limit = [...operand.shape.slice(0, -1), k];
  const indices = slice(idx, start, limit);
  const axesIota = indices.shape.map((_, i) => (i === last ? indices : iota("int32", indices.shape, i)));
  return [gather(operand, axesIota, [...operand.shape.keys()]), indices];
}

/**
 * Gathers `x` at integer index arrays along `axes` (see the gather primitive).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.gather(jnp.arange(10).mul(10), [jnp.array([3, 0, 7], { dtype: "int32" })], [0]);
 * // Array([30,  0, 70], dtype=int32)
 * ```
 */
export function gather(x: NDArray, indices: NDArray[], axes: number[]): NDArray {
  return bind1("gather", [x, ...indices], { axes });
}

/**
 * Adds `updates` into `x` at integer index arrays along `axes` (out-of-bounds updates are dropped).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.scatter_add(jnp.zeros([4]), [jnp.array([1, 1, 3], { dtype: "int32" })], jnp.ones([3]), [0]);
 * // Array([0., 2., 0., 1.], dtype=float32)
 * ```
 */
export function scatter_add(x: NDArray, indices: NDArray[], updates: NDArray, axes: number[]): NDArray {
  return bind1("scatter", [x, updates, ...indices], { axes, mode: "add" });
}

/**
 * Combines `updates` into `x` at integer index arrays along `axes` by `mode`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.scatter(jnp.zeros([4]), [jnp.array([0, 2], { dtype: "int32" })], jnp.array([5, 6]), [0], "set");
 * // Array([5., 0., 6., 0.], dtype=float32)
 * ```
 */
export function scatter(x: NDArray, indices: NDArray[], updates: NDArray, axes: number[], mode: ScatterMode): NDArray {
  return bind1("scatter", [x, updates, ...indices], { axes, mode });
}

/**
 * Solves `a x = b` for square `a` (batched over leading axes).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.linalg_solve(jnp.array([[2, 0], [0, 4]]), jnp.array([[2], [2]])); // b is [..., n, k]; jnp.linalg.solve also takes a vector
 * ```
 */
export function linalg_solve(a: NDArray, b: NDArray): NDArray {
  return bind1("solve", [a, b], {});
}

/**
 * Options of `linalg_triangular_solve`, as `lax.linalg.triangular_solve`'s keywords.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const a = jnp.array([[2, 0], [1, 1]]);
 * lax.linalg_triangular_solve(a, jnp.array([[2], [3]]), { leftSide: true, lower: true });
 * // Array([[1.],
 * //        [2.]], dtype=float32)
 * ```
 */
export interface TriangularSolveOptions {
  /** Solve `op(a) x = b` (true) or `x op(a) = b` (false, the default). */
  leftSide?: boolean;
  /** Use the lower triangle of `a` (default false: the upper). */
  lower?: boolean;
  /** `op(a) = aᵀ` (default false). */
  transposeA?: boolean;
  /** Conjugate `a` (a no-op for real dtypes). */
  conjugateA?: boolean;
  /** Treat the diagonal of `a` as ones. */
  unitDiagonal?: boolean;
}

/**
 * `lax.linalg.triangular_solve`: solves with the triangle of `a` (`[..., n, n]`);
 * `b` is `[..., n, k]` (left side) or `[..., k, n]`, same leading axes.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const l = jnp.array([[2, 0], [1, 1]]), b = jnp.array([[2], [3]]);
 * lax.linalg_triangular_solve(l, b, { leftSide: true, lower: true }).tolist(); // [[1], [2]]
 * ```
 */
export function linalg_triangular_solve(a: NDArray, b: NDArray, o: TriangularSolveOptions = {}): NDArray {
  return bind1("triangular_solve", [a, b], {
    left_side: o.leftSide ?? false,
    lower: o.lower ?? false,
    transpose_a: o.transposeA ?? false,
    conjugate_a: o.conjugateA ?? false,
    unit_diagonal: o.unitDiagonal ?? false,
  });
}

/**
 * `lax.linalg.cholesky` (symmetrize_input=true): the lower factor of `(a + aᵀ)/2`;
 * NaN where the matrix is not positive definite.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.linalg_cholesky(jnp.array([[4, 2], [2, 5]])).tolist(); // [[2, 0], [1, 2]]
 * ```
 */
export function linalg_cholesky(a: NDArray, o: { symmetrizeInput?: boolean } = {}): NDArray {
  const x = (o.symmetrizeInput ?? true) ? div(add(a, swapLastAxes(a)), 2) : a;
  return bind1("cholesky", [x], {});
}

/**
 * `lax.linalg.lu`: `[lu, pivots, permutation]` of `[..., m, n]` matrices, LU
 * with partial pivoting (`a[permutation] = L U`, unit L below the diagonal of
 * `lu`; pivots `[..., min(m, n)]`, permutation `[..., m]`).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [lu, pivots, perm] = lax.linalg_lu(jnp.array([[1, 2], [3, 4]]));
 * perm.tolist(); // [1, 0]
 * ```
 */
export function linalg_lu(a: NDArray): [NDArray, NDArray, NDArray] {
  const [lu, pivots, perm] = bind("lu", [a], {});
  return [lu, pivots, perm];
}

/**
 * `lax.linalg.eigh`: `[v, w]`, eigenvectors in the columns of `v` and ascending
 * eigenvalues `w` of symmetric matrices (symmetrized first by default).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [v, w] = lax.linalg_eigh(jnp.array([[2, 0], [0, 1]]));
 * w.tolist(); // [1, 2]
 * ```
 */
export function linalg_eigh(
  a: NDArray,
  o: { lower?: boolean; symmetrizeInput?: boolean; sortEigenvalues?: boolean } = {},
): [NDArray, NDArray] {
  const x = (o.symmetrizeInput ?? true) ? div(add(a, swapLastAxes(a)), 2) : a;
  const [v, w] = bind("eigh", [x], { lower: o.lower ?? true, sort_eigenvalues: o.sortEigenvalues ?? true });
  return [v, w];
}

/**
 * `lax.linalg.qr`: `[q, r]` with `q` `[..., m, m]` and `r` `[..., m, n]` when
 * `fullMatrices` (the default), else `[..., m, k]` and `[..., k, n]`, k = min(m, n).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [q, r] = lax.linalg_qr(jnp.array([[3, 0], [4, 5]]), { fullMatrices: false });
 * r.shape; // [2, 2]
 * ```
 */
export function linalg_qr(a: NDArray, o: { fullMatrices?: boolean } = {}): [NDArray, NDArray] {
  const [q, r] = bind("qr", [a], { full_matrices: o.fullMatrices ?? true });
  return [q, r];
}

/**
 * `lax.linalg.svd`: `[u, s, vh]` (or `[s]` without `computeUv`), singular
 * values descending.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [s] = lax.linalg_svd(jnp.array([[3, 0], [0, 4]]), { computeUv: false });
 * s.tolist(); // [4, 3]
 * ```
 */
export function linalg_svd(a: NDArray, o: { fullMatrices?: boolean; computeUv?: boolean } = {}): NDArray[] {
  const computeUv = o.computeUv ?? true;
  const outs = bind("svd", [a], { full_matrices: o.fullMatrices ?? true, compute_uv: computeUv });
  return computeUv ? [outs[1], outs[0], outs[2]] : outs;
}

/**
 * `lax.linalg` under JAX's names: cholesky, eigh, lu, qr, svd, triangular_solve
 * (the `linalg_*` functions of this module).
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [v, w] = lax.linalg.eigh(jnp.array([[2, 0], [0, 1]]));
 * w.tolist(); // [1, 2]
 * ```
 */
export const linalg: {
  cholesky: typeof linalg_cholesky;
  eigh: typeof linalg_eigh;
  lu: typeof linalg_lu;
  qr: typeof linalg_qr;
  svd: typeof linalg_svd;
  triangular_solve: typeof linalg_triangular_solve;
} = {
  cholesky: linalg_cholesky,
  eigh: linalg_eigh,
  lu: linalg_lu,
  qr: linalg_qr,
  svd: linalg_svd,
  triangular_solve: linalg_triangular_solve,
};

function swapLastAxes(x: NDArray): NDArray {
  const perm = [...Array(x.ndim).keys()];
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [perm[x.ndim - 1], perm[x.ndim - 2]];
  return transpose(x, perm);
}

/**
 * An array of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * import { lax } from "@jaxd/jaxd";
 * lax.full([2], 7, "int32"); // Array([7, 7], dtype=int32)
 * ```
 */
export function full(shape: number[], value: Num | boolean, dtype?: DType): NDArray {
  // A JS number is weakly typed only when no dtype is given, as in JAX.
  const v = typeof value === "number" && dtype
    ? scalar(value, dtype, false)
    : typeof value === "boolean"
    ? toArray(value)
    : toArray(value, dtype);
  const c = dtype && v.dtype !== dtype ? convert_element_type(v, dtype) : v;
  return shape.length === 0 ? c : broadcast_in_dim(c, shape, []);
}

/**
 * Zeros shaped like `x`.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.zeros_like(jnp.ones([2])); // Array([0., 0.], dtype=float32)
 * ```
 */
export function zeros_like(x: NDArray): NDArray {
  return full(x.shape, 0, x.dtype);
}
