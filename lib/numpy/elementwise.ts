/**
 * Elementwise jnp functions: composites over the lax primitives with numpy's
 * promotion of dtypes and broadcasting of shapes.
 *
 * @module
 */

import { type ArrayLike, NDArray } from "../array.ts";
import { isFloat, isInteger } from "../dtype.ts";
import { DTypeError } from "../errors.ts";
import * as lax from "../lax.ts";
import { broadcastShapes } from "../shape.ts";
import { alignRanks, asArray, promote, promoteFloat, toType } from "./util.ts";

type Unary = (x: ArrayLike) => NDArray;
type Binary = (x: ArrayLike, y: ArrayLike) => NDArray;

const floatUnary = (name: string, f: (x: NDArray) => NDArray): Unary => (x) => f(promoteFloat(name, x)[0]);
const binary = (name: string, f: (x: NDArray, y: NDArray) => NDArray): Binary => (x, y) => {
  const [a, b] = promote(name, x, y);
  return f(a, b);
};
const floatBinary = (name: string, f: (x: NDArray, y: NDArray) => NDArray): Binary => (x, y) => {
  const [a, b] = promoteFloat(name, x, y);
  return f(a, b);
};

/**
 * `x + y` (numpy broadcasting and promotion).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.add(jnp.array([-3, 1, 5]), 2); // Array([-1.,  3.,  7.], dtype=float32)
 * ```
 */
export const add: Binary = binary("add", (a, b) => (a.dtype === "bool" ? lax.or(a, b) : lax.add(a, b)));
/**
 * `x - y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.subtract(jnp.array([-3, 1, 5]), 2); // Array([-5., -1.,  3.], dtype=float32)
 * ```
 */
export const subtract: Binary = binary("subtract", (a, b) => {
  if (a.dtype === "bool") throw new DTypeError("subtract: numpy boolean subtract is not supported; use logical_xor");
  return lax.sub(a, b);
});
/**
 * `x * y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.multiply(jnp.array([-3, 1, 5]), 2); // Array([-6.,  2., 10.], dtype=float32)
 * ```
 */
export const multiply: Binary = binary("multiply", (a, b) => (a.dtype === "bool" ? lax.and(a, b) : lax.mul(a, b)));
/**
 * `x / y`, true division (integers give floats).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.divide(jnp.array([-3, 1, 5]), 2); // Array([-1.5,  0.5,  2.5], dtype=float32)
 * ```
 */
export const divide: Binary = floatBinary("divide", lax.div);
/**
 * Alias of divide.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.true_divide(jnp.array([-3, 1, 5]), 2); // Array([-1.5,  0.5,  2.5], dtype=float32)
 * ```
 */
export const true_divide: Binary = divide;

/**
 * `x // y`, rounding toward minus infinity.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.floor_divide(jnp.array([-3, 1, 5]), 2); // Array([-2.,  0.,  2.], dtype=float32)
 * ```
 */
export const floor_divide: Binary = binary("floor_divide", (a, b) => {
  if (isFloat(a.dtype)) return lax.floor(lax.div(a, b));
  if (a.dtype === "uint32") return lax.div(a, b);
  const q = lax.div(a, b);
  const fix = lax.and(lax.ne(lax.sign(a), lax.sign(b)), lax.ne(lax.rem(a, b), 0));
  return lax.select(fix, lax.sub(q, 1), q);
});

/**
 * `x % y` with the sign of `y`, as Python's `%`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.remainder(jnp.array([-3, 1, 5]), 2); // Array([1., 1., 1.], dtype=float32)
 * ```
 */
export const remainder: Binary = binary("remainder", (a, b) => {
  const r = lax.rem(a, b);
  if (a.dtype === "uint32") return intByZero(r, b);
  const zero = lax.full([], 0, a.dtype);
  const fix = lax.and(lax.ne(r, zero), lax.ne(lax.lt(r, zero), lax.lt(b, zero)));
  return intByZero(lax.select(fix, lax.add(r, b), r), b);
});
/** Integer `x % 0` is 0, as numpy and JAX give (lax.rem gives `x`); floats keep NaN. */
function intByZero(r: NDArray, b: NDArray): NDArray {
  if (!isInteger(r.dtype)) return r;
  const zero = lax.full([], 0, r.dtype);
  return lax.select(lax.eq(b, zero), lax.broadcast_in_dim(zero, [...r.shape], []), r);
}
/**
 * Alias of remainder.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.mod(jnp.array([-3, 1, 5]), 2); // Array([1., 1., 1.], dtype=float32)
 * ```
 */
export const mod: Binary = remainder;
/**
 * C-style remainder (sign of `x`).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.fmod(jnp.array([-3, 1, 5]), 2); // Array([-1.,  1.,  1.], dtype=float32)
 * ```
 */
export const fmod: Binary = binary("fmod", (a, b) => intByZero(lax.rem(a, b), b));

/**
 * `x ** y`. A JS integer exponent uses `integer_pow` (exact, as JAX does for
 * Python ints); integer arrays to integer arrays stay integers (bools count
 * as int32).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.power(jnp.array([2, 3], { dtype: "int32" }), jnp.array([3, 2], { dtype: "int32" })).tolist(); // [8, 9]
 * ```
 */
export function power(x: ArrayLike, y: ArrayLike): NDArray {
  if (typeof y === "number" && Number.isInteger(y) && Math.abs(y) <= 1024) {
    const a = numeric(asArray(x));
    if (y < 0 && !isFloat(a.dtype)) {
      throw new DTypeError("power: integers to negative integer powers are not allowed; convert to float first");
    }
    return lax.integer_pow(a, y);
  }
  const [a, b] = promote("power", x, y).map(numeric);
  if (!isFloat(a.dtype)) return integerPower(a, b);
  const r = lax.pow(a, b);
  // JAX raises a float base to an integer array as lax.pow(x, y) without
  // promoting y, so a strong integer exponent gives a strong result.
  const strongIntExponent = y instanceof NDArray && isInteger(y.dtype) && !y.weakType;
  return r.weakType && strongIntExponent ? lax.convert_element_type(r, r.dtype, false) : r;
}

/** bool becomes int32, as JAX's promote_dtypes_numeric. */
const numeric = (a: NDArray): NDArray => (a.dtype === "bool" ? lax.convert_element_type(a, "int32", a.weakType) : a);

/**
 * Integer `x ** y` for an array `y`: binary exponentiation over the low 6 bits
 * of `y` (more would overflow for any base > 1), exactly as JAX's _pow_int_int.
 */
function integerPower(x: NDArray, y: NDArray): NDArray {
  const zero = lax.full([], 0, y.dtype), one = lax.full([], 1, y.dtype);
  let acc = lax.select(lax.and(lax.eq(x, zero), lax.ne(y, zero)), zero, one);
  for (let bit = 0; bit < 6; bit++) {
    acc = lax.select(lax.ne(lax.and(y, one), zero), lax.mul(acc, x), acc);
    x = lax.mul(x, x);
    y = lax.shift_right_logical(y, one);
  }
  return acc;
}
/**
 * Alias of power.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.pow(jnp.array([-3, 1, 5]), 2); // Array([ 9.,  1., 25.], dtype=float32)
 * ```
 */
export const pow: typeof power = power;

/**
 * `-x`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.negative(jnp.array([-1.5, 0, 2])); // Array([ 1.5, -0. , -2. ], dtype=float32)
 * ```
 */
export const negative: Unary = (x): NDArray => lax.neg(asArray(x));
/**
 * `+x`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.positive(jnp.array([-1.5, 0, 2])); // Array([-1.5,  0. ,  2. ], dtype=float32)
 * ```
 */
export const positive: Unary = (x): NDArray => asArray(x);
/**
 * `|x|`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.abs(jnp.array([-1.5, 0, 2])); // Array([1.5, 0. , 2. ], dtype=float32)
 * ```
 */
export const abs: Unary = (x): NDArray => {
  const a = asArray(x);
  return a.dtype === "bool" || a.dtype === "uint32" ? a : lax.abs(a);
};
/**
 * Alias of abs.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.absolute(jnp.array([-1.5, 0, 2])); // Array([1.5, 0. , 2. ], dtype=float32)
 * ```
 */
export const absolute: Unary = abs;
/**
 * -1, 0 or 1 (nan for nan).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sign(jnp.array([-1.5, 0, 2])); // Array([-1.,  0.,  1.], dtype=float32)
 * ```
 */
export const sign: Unary = (x): NDArray => {
  const a = asArray(x);
  return a.dtype === "uint32" ? lax.convert_element_type(lax.ne(a, 0), "uint32") : lax.sign(a);
};

/**
 * `e^x`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.exp(jnp.array([-1.5, 0, 2])); // Array([0.22313017, 1.        , 7.389056  ], dtype=float32)
 * ```
 */
export const exp: Unary = floatUnary("exp", lax.exp);
/**
 * `2^x`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.exp2(jnp.array([-1.5, 0, 2])); // Array([0.35355338, 1.        , 4.        ], dtype=float32)
 * ```
 */
export const exp2: Unary = floatUnary("exp2", lax.exp2);
/**
 * `e^x - 1`, accurate near 0.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.expm1(jnp.array([-1.5, 0, 2])); // Array([-0.77686983,  0.        ,  6.389056  ], dtype=float32)
 * ```
 */
export const expm1: Unary = floatUnary("expm1", lax.expm1);
/**
 * Natural logarithm.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.log(jnp.array([1, 4, 100])); // Array([0.       , 1.3862944, 4.6051702], dtype=float32)
 * ```
 */
export const log: Unary = floatUnary("log", lax.log);
/**
 * Base-2 logarithm.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.log2(jnp.array([1, 4, 100])); // Array([0.      , 2.      , 6.643856], dtype=float32)
 * ```
 */
export const log2: Unary = floatUnary("log2", (a) => lax.div(lax.log(a), lax.full([], Math.LN2, a.dtype)));
/**
 * Base-10 logarithm.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.log10(jnp.array([1, 4, 100])); // Array([0.        , 0.60205996, 2.        ], dtype=float32)
 * ```
 */
export const log10: Unary = floatUnary("log10", (a) => lax.div(lax.log(a), lax.full([], Math.LN10, a.dtype)));
/**
 * `log(1 + x)`, accurate near 0.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.log1p(jnp.array([1, 4, 100])); // Array([0.6931472, 1.609438 , 4.6151204], dtype=float32)
 * ```
 */
export const log1p: Unary = floatUnary("log1p", lax.log1p);
/**
 * Square root.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sqrt(jnp.array([1, 4, 100])); // Array([ 1.,  2., 10.], dtype=float32)
 * ```
 */
export const sqrt: Unary = floatUnary("sqrt", lax.sqrt);
/**
 * Cube root.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cbrt(jnp.array([-8, 1, 27])); // Array([-2.,  1.,  3.], dtype=float32)
 * ```
 */
export const cbrt: Unary = floatUnary("cbrt", lax.cbrt);
/**
 * `x * x` (keeps integer dtypes).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.square(jnp.array([-1.5, 0, 2])); // Array([2.25, 0.  , 4.  ], dtype=float32)
 * ```
 */
export const square: Unary = (x): NDArray => lax.integer_pow(numeric(asArray(x)), 2);
/**
 * `1 / x`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.reciprocal(jnp.array([1, 4, 100])); // Array([1.  , 0.25, 0.01], dtype=float32)
 * ```
 */
export const reciprocal: Unary = floatUnary("reciprocal", (a) => lax.integer_pow(a, -1));
/**
 * Sine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sin(jnp.array([-1.5, 0, 2])); // Array([-0.997495 ,  0.       ,  0.9092974], dtype=float32)
 * ```
 */
export const sin: Unary = floatUnary("sin", lax.sin);
/**
 * Cosine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cos(jnp.array([-1.5, 0, 2])); // Array([ 0.0707372 ,  1.        , -0.41614684], dtype=float32)
 * ```
 */
export const cos: Unary = floatUnary("cos", lax.cos);
/**
 * Tangent.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tan(jnp.array([-1.5, 0, 2])); // Array([-14.10142  ,   0.       ,  -2.1850398], dtype=float32)
 * ```
 */
export const tan: Unary = floatUnary("tan", lax.tan);
/**
 * Inverse sine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arcsin(jnp.array([0, 0.5, 1])); // Array([0.       , 0.5235988, 1.5707964], dtype=float32)
 * ```
 */
export const arcsin: Unary = floatUnary("arcsin", lax.asin);
/**
 * Inverse cosine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arccos(jnp.array([0, 0.5, 1])); // Array([1.5707964, 1.0471976, 0.       ], dtype=float32)
 * ```
 */
export const arccos: Unary = floatUnary("arccos", lax.acos);
/**
 * Inverse tangent.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arctan(jnp.array([-1.5, 0, 2])); // Array([-0.98279375,  0.        ,  1.1071488 ], dtype=float32)
 * ```
 */
export const arctan: Unary = floatUnary("arctan", lax.atan);
/**
 * Hyperbolic sine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sinh(jnp.array([-1.5, 0, 2])); // Array([-2.1292794,  0.       ,  3.6268604], dtype=float32)
 * ```
 */
export const sinh: Unary = floatUnary("sinh", lax.sinh);
/**
 * Hyperbolic cosine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.cosh(jnp.array([-1.5, 0, 2])); // Array([2.3524096, 1.       , 3.7621956], dtype=float32)
 * ```
 */
export const cosh: Unary = floatUnary("cosh", lax.cosh);
/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tanh(jnp.array([-1.5, 0, 2])); // Array([-0.90514827,  0.        ,  0.9640276 ], dtype=float32)
 * ```
 */
export const tanh: Unary = floatUnary("tanh", lax.tanh);
/**
 * Inverse hyperbolic sine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arcsinh(jnp.array([-1.5, 0, 2])); // Array([-1.1947632,  0.       ,  1.4436355], dtype=float32)
 * ```
 */
export const arcsinh: Unary = floatUnary("arcsinh", lax.asinh);
/**
 * Inverse hyperbolic cosine.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arccosh(jnp.array([1, 2])); // Array([0.      , 1.316958], dtype=float32)
 * ```
 */
export const arccosh: Unary = floatUnary("arccosh", lax.acosh);
/**
 * Inverse hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arctanh(jnp.array([0, 0.5])); // Array([0.        , 0.54930615], dtype=float32)
 * ```
 */
export const arctanh: Unary = floatUnary("arctanh", lax.atanh);
/**
 * `atan2(x1, x2)`: the angle of the point (x2, x1).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.arctan2(jnp.array([1, 1]), jnp.array([1, -1])); // Array([0.7853982, 2.3561945], dtype=float32)
 * ```
 */
export const arctan2: Binary = floatBinary("arctan2", lax.atan2);

const intIdentity = (f: (a: NDArray) => NDArray): Unary => (x) => {
  const a = asArray(x);
  return isInteger(a.dtype) || a.dtype === "bool" ? a : f(a);
};
/**
 * Round down.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.floor(jnp.array([-1.5, 0.5, 2.7])); // Array([-2.,  0.,  2.], dtype=float32)
 * ```
 */
export const floor: Unary = intIdentity(lax.floor);
/**
 * Round up.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ceil(jnp.array([-1.5, 0.5, 2.7])); // Array([-1.,  1.,  3.], dtype=float32)
 * ```
 */
export const ceil: Unary = intIdentity(lax.ceil);
/**
 * Round toward zero.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.trunc(jnp.array([-1.5, 0.5, 2.7])); // Array([-1.,  0.,  2.], dtype=float32)
 * ```
 */
export const trunc: Unary = intIdentity((a) => lax.select(lax.lt(a, 0), lax.ceil(a), lax.floor(a)));
/**
 * Alias of trunc.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.fix(jnp.array([-1.5, 0.5, 2.7])); // Array([-1.,  0.,  2.], dtype=float32)
 * ```
 */
export const fix: Unary = trunc;

/**
 * Round half to even, to `decimals` places.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.round(jnp.array([0.5, 1.5, 2.5])).tolist(); // [0, 2, 2]
 * ```
 */
export function round(x: ArrayLike, decimals = 0): NDArray {
  const a = asArray(x);
  if (isInteger(a.dtype) || a.dtype === "bool") return a;
  if (decimals === 0) return lax.round(a, 1);
  const f = lax.full([], 10 ** decimals, a.dtype);
  return lax.div(lax.round(lax.mul(a, f), 1), f);
}
/**
 * Alias of round.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.around(jnp.array([1.234, 5.678]), 1); // Array([1.2, 5.7], dtype=float32)
 * ```
 */
export const around: typeof round = round;
/**
 * Round to nearest integer (half to even).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.rint(jnp.array([0.5, 1.5, 2.7])); // Array([0., 2., 3.], dtype=float32)
 * ```
 */
export const rint: Unary = (x): NDArray => round(x);

/**
 * Elementwise maximum (nan-propagating).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.maximum(jnp.array([-3, 1, 5]), 2); // Array([2., 2., 5.], dtype=float32)
 * ```
 */
export const maximum: Binary = binary("maximum", lax.max);
/**
 * Elementwise minimum (nan-propagating).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.minimum(jnp.array([-3, 1, 5]), 2); // Array([-3.,  1.,  2.], dtype=float32)
 * ```
 */
export const minimum: Binary = binary("minimum", lax.min);

/**
 * Options of clip.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.clip(jnp.array([-2, 0.5, 3]), { min: 0, max: 1 }); // Array([0. , 0.5, 1. ], dtype=float32)
 * ```
 */
export interface ClipOptions {
  /** Lower bound. */
  min?: ArrayLike | null;
  /** Upper bound. */
  max?: ArrayLike | null;
}

/**
 * Limits values to `[lo, hi]`: `clip(x, lo, hi)` or `clip(x, { min, max })`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.clip(jnp.array([-1, 0.5, 2]), 0, 1).tolist(); // [0, 0.5, 1]
 * ```
 */
export function clip(x: ArrayLike, lo?: ArrayLike | null | ClipOptions, hi?: ArrayLike | null): NDArray {
  let a = asArray(x);
  let min = lo as ArrayLike | null | undefined, max = hi;
  if (lo !== null && typeof lo === "object" && !Array.isArray(lo) && !("aval" in lo)) {
    ({ min, max } = lo as ClipOptions);
  }
  if (min !== null && min !== undefined) a = maximum(a, min);
  if (max !== null && max !== undefined) a = minimum(a, max);
  return a;
}

/**
 * `where(cond, x, y)`: `x` where `cond` is true, else `y` (all broadcast).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.array([-1, 2]);
 * jnp.where(x.gt(0), x, 0).tolist(); // [0, 2]
 * ```
 */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NDArray {
  const [a, b] = promote("where", x, y);
  const c = toType(cond, "bool", false);
  broadcastShapes("where", c.shape, a.shape, b.shape);
  const [c2, a2, b2] = alignRanks([c, a, b]);
  return lax.select(c2, a2, b2);
}

/**
 * `log(exp(x) + exp(y))`, computed stably.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logaddexp(jnp.array([0, 1]), jnp.array([0, 100]));
 * // Array([  0.6931472, 100.       ], dtype=float32)
 * ```
 */
export const logaddexp: Binary = floatBinary("logaddexp", (a, b) => {
  const amax = lax.max(a, b);
  const delta = lax.sub(a, b);
  const isnanD = lax.ne(delta, delta);
  return lax.select(isnanD, lax.add(a, b), lax.add(amax, lax.log1p(lax.exp(lax.neg(lax.abs(delta))))));
});

/**
 * True where x is nan.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isnan(jnp.array([1, jnp.nan, jnp.inf])); // Array([False,  True, False], dtype=bool)
 * ```
 */
export const isnan: Unary = (x): NDArray => {
  const a = asArray(x);
  return isFloat(a.dtype) ? lax.ne(a, a) : lax.full(a.shape, false);
};
/**
 * True where x is ±inf.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isinf(jnp.array([1, jnp.nan, jnp.inf])); // Array([False, False,  True], dtype=bool)
 * ```
 */
export const isinf: Unary = (x): NDArray => {
  const a = asArray(x);
  return isFloat(a.dtype) ? lax.eq(lax.abs(a), lax.full([], Infinity, a.dtype)) : lax.full(a.shape, false);
};
/**
 * True where x is finite.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.isfinite(jnp.array([1, jnp.nan, jnp.inf])); // Array([ True, False, False], dtype=bool)
 * ```
 */
export const isfinite: Unary = (x): NDArray => {
  const a = asArray(x);
  return isFloat(a.dtype) ? lax.is_finite(a) : lax.full(a.shape, true);
};

const logical = (name: string, f: (a: NDArray, b: NDArray) => NDArray): Binary => (x, y) => {
  const [a, b] = promote(name, toType(x, "bool", false), toType(y, "bool", false));
  return f(a, b);
};
/**
 * Elementwise and of truth values.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logical_and(jnp.array([true, true, false]), jnp.array([true, false, false]));
 * // Array([ True, False, False], dtype=bool)
 * ```
 */
export const logical_and: Binary = logical("logical_and", lax.and);
/**
 * Elementwise or of truth values.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logical_or(jnp.array([true, true, false]), jnp.array([true, false, false]));
 * // Array([ True,  True, False], dtype=bool)
 * ```
 */
export const logical_or: Binary = logical("logical_or", lax.or);
/**
 * Elementwise xor of truth values.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logical_xor(jnp.array([true, true, false]), jnp.array([true, false, false]));
 * // Array([False,  True, False], dtype=bool)
 * ```
 */
export const logical_xor: Binary = logical("logical_xor", lax.xor);
/**
 * Elementwise not of truth values.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logical_not(jnp.array([true, false])); // Array([False,  True], dtype=bool)
 * ```
 */
export const logical_not: Unary = (x): NDArray => lax.not(toType(x, "bool", false));

const compare = (name: string, f: (a: NDArray, b: NDArray) => NDArray): Binary => binary(name, f);
/**
 * `x == y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.equal(jnp.array([1, 2, 3]), 2); // Array([False,  True, False], dtype=bool)
 * ```
 */
export const equal: Binary = compare("equal", lax.eq);
/**
 * `x != y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.not_equal(jnp.array([1, 2, 3]), 2); // Array([ True, False,  True], dtype=bool)
 * ```
 */
export const not_equal: Binary = compare("not_equal", lax.ne);
/**
 * `x < y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.less(jnp.array([1, 2, 3]), 2); // Array([ True, False, False], dtype=bool)
 * ```
 */
export const less: Binary = compare("less", lax.lt);
/**
 * `x <= y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.less_equal(jnp.array([1, 2, 3]), 2); // Array([ True,  True, False], dtype=bool)
 * ```
 */
export const less_equal: Binary = compare("less_equal", lax.le);
/**
 * `x > y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.greater(jnp.array([1, 2, 3]), 2); // Array([False, False,  True], dtype=bool)
 * ```
 */
export const greater: Binary = compare("greater", lax.gt);
/**
 * `x >= y`
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.greater_equal(jnp.array([1, 2, 3]), 2); // Array([False,  True,  True], dtype=bool)
 * ```
 */
export const greater_equal: Binary = compare("greater_equal", lax.ge);
