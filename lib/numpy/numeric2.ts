/**
 * numpy's elementwise extras as lax composites: logaddexp2, hypot, the
 * degree/radian conversions, sinc, bitwise ops and shifts, heaviside,
 * signbit, copysign, fmax, fmin, float_power, gcd, lcm, ldexp, select and
 * piecewise. Re-exported by numeric.ts.
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { type DType, isFloat, isInteger } from "../dtype.ts";
import { DTypeError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { while_loop } from "../control.ts";
import { broadcastShapes } from "../shape.ts";
import { abs, isnan, where } from "./elementwise.ts";
import { broadcast_arrays } from "./shape.ts";
import { asArray, broadcastTo, promote, promoteFloat, scalarLike as c, toType } from "./util.ts";

type Binary = (x: ArrayLike, y: ArrayLike) => NDArray;

const floatBinary = (name: string, f: (x: NDArray, y: NDArray) => NDArray): Binary => (x, y) => {
  const [a, b] = promoteFloat(name, x, y);
  return f(a, b);
};

/**
 * `log2(2^x + 2^y)`, computed stably.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.logaddexp2(jnp.array([1, 3]), jnp.array([1, 100])).tolist(); // [2, 100]
 * ```
 */
export const logaddexp2: Binary = floatBinary("logaddexp2", (a, b) => {
  const delta = lax.sub(a, b);
  const tail = lax.div(lax.log1p(lax.exp2(lax.neg(lax.abs(delta)))), c(a, Math.LN2));
  // NaN deltas: a NaN input, or infinities of one sign (whose sum is that infinity).
  return lax.select(lax.ne(delta, delta), lax.add(a, b), lax.add(lax.max(a, b), tail));
});

/**
 * `sqrt(x^2 + y^2)` without overflow for large inputs.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.hypot(3, 4).item(); // 5
 * ```
 */
export const hypot: Binary = floatBinary("hypot", (a, b) => {
  const [x, y] = [lax.abs(a), lax.abs(b)];
  const anyInf = lax.or(lax.eq(x, c(x, Infinity)), lax.eq(y, c(y, Infinity)));
  const [hi, lo] = [lax.max(x, y), lax.min(x, y)];
  const zero = lax.eq(hi, c(hi, 0));
  const ratio = lax.div(lo, lax.select(zero, lax.full(hi.shape, 1, hi.dtype), hi));
  const r = lax.select(zero, hi, lax.mul(hi, lax.sqrt(lax.add(c(hi, 1), lax.integer_pow(ratio, 2)))));
  return lax.select(anyInf, lax.full(r.shape, Infinity, r.dtype), r);
});

const scaled = (name: string, factor: number) => (x: ArrayLike): NDArray => {
  const [a] = promoteFloat(name, x);
  return lax.mul(a, c(a, factor));
};

/**
 * Degrees to radians.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.deg2rad(180).item(); // 3.1415927410125732
 * ```
 */
export const deg2rad: (x: ArrayLike) => NDArray = scaled("deg2rad", Math.PI / 180);

/**
 * Alias of deg2rad.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.radians(jnp.array([90, 360])).tolist(); // [1.5707963705062866, 6.2831854820251465]
 * ```
 */
export const radians: (x: ArrayLike) => NDArray = scaled("radians", Math.PI / 180);

/**
 * Radians to degrees.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.rad2deg(Math.PI).item(); // 180
 * ```
 */
export const rad2deg: (x: ArrayLike) => NDArray = scaled("rad2deg", 180 / Math.PI);

/**
 * Alias of rad2deg.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.degrees(jnp.array([Math.PI / 2])).tolist(); // [90]
 * ```
 */
export const degrees: (x: ArrayLike) => NDArray = scaled("degrees", 180 / Math.PI);

/**
 * The normalized sinc, `sin(pi x) / (pi x)`, with `sinc(0) = 1`. At 0 a
 * Taylor polynomial takes over, so derivatives there are right (as JAX's
 * custom rule: 0 for the first, `-pi^2 / 3` for the second).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.sinc(jnp.array([0, 0.5, 1])); // Array([ 1.0000000e+00,  6.3661975e-01, -2.7827534e-08], dtype=float32)
 * ```
 */
export function sinc(x: ArrayLike): NDArray {
  const [a] = promoteFloat("sinc", x);
  const zero = lax.eq(a, c(a, 0));
  const pix = lax.mul(c(a, Math.PI), a);
  const safe = lax.select(zero, lax.full(a.shape, 1, a.dtype), pix);
  const sq = lax.integer_pow(pix, 2);
  // 1 - t^2/6 + t^4/120: exactly 1 at 0, with sinc's first four derivatives there.
  const taylor = lax.add(c(a, 1), lax.mul(sq, lax.add(c(a, -1 / 6), lax.mul(sq, c(a, 1 / 120)))));
  return lax.select(zero, taylor, lax.div(lax.sin(safe), safe));
}

function intOrBool(name: string, ...xs: NDArray[]): void {
  for (const a of xs) {
    if (!isInteger(a.dtype) && a.dtype !== "bool") {
      throw new DTypeError(`${name}: needs integer or bool arrays, got ${a.dtype}; convert with astype("int32")`);
    }
  }
}

const bitwise = (name: string, f: (a: NDArray, b: NDArray) => NDArray): Binary => (x, y) => {
  const [a, b] = promote(name, x, y);
  intOrBool(name, a);
  return f(a, b);
};

/**
 * Elementwise bitwise and (integers and bools).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.bitwise_and(jnp.array([12, 10], { dtype: "int32" }), 6).tolist(); // [4, 2]
 * ```
 */
export const bitwise_and: Binary = bitwise("bitwise_and", lax.and);

/**
 * Elementwise bitwise or (integers and bools).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.bitwise_or(jnp.array([12, 10], { dtype: "int32" }), 6).tolist(); // [14, 14]
 * ```
 */
export const bitwise_or: Binary = bitwise("bitwise_or", lax.or);

/**
 * Elementwise bitwise xor (integers and bools).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.bitwise_xor(jnp.array([12, 10], { dtype: "int32" }), 6).tolist(); // [10, 12]
 * ```
 */
export const bitwise_xor: Binary = bitwise("bitwise_xor", lax.xor);

/**
 * Elementwise bitwise not (`~x`; logical not for bools).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.bitwise_not(jnp.array([0, 5], { dtype: "int32" })).tolist(); // [-1, -6]
 * ```
 */
export function bitwise_not(x: ArrayLike): NDArray {
  const a = asArray(x);
  intOrBool("bitwise_not", a);
  return lax.not(a);
}

/**
 * Alias of bitwise_not.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.invert(jnp.array([true, false])).tolist(); // [false, true]
 * ```
 */
export const invert: typeof bitwise_not = bitwise_not;

const shift = (name: string, f: (a: NDArray, b: NDArray) => NDArray): Binary => (x, y) => {
  let [a, b] = promote(name, x, y);
  intOrBool(name, a);
  if (a.dtype === "bool") [a, b] = [toType(a, "int32", false), toType(b, "int32", false)];
  return f(a, b);
};

/**
 * `x << y` (integers).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.left_shift(jnp.array([1, 3], { dtype: "int32" }), 2).tolist(); // [4, 12]
 * ```
 */
export const left_shift: Binary = shift("left_shift", lax.shift_left);

/**
 * `x >> y` (integers): arithmetic for signed, logical for unsigned.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.right_shift(jnp.array([-8, 12], { dtype: "int32" }), 2).tolist(); // [-2, 3]
 * ```
 */
export const right_shift: Binary = shift(
  "right_shift",
  (a, b) => (a.dtype === "uint32" ? lax.shift_right_logical(a, b) : lax.shift_right_arithmetic(a, b)),
);

/**
 * The step function: 0 for `x1 < 0`, `x2` for `x1 == 0`, 1 for `x1 > 0` (NaN for NaN, as numpy).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.heaviside(jnp.array([-1, 0, 2]), 0.5).tolist(); // [0, 0.5, 1]
 * ```
 */
export function heaviside(x1: ArrayLike, x2: ArrayLike): NDArray {
  const [a, h] = promoteFloat("heaviside", x1, x2);
  const step = where(lax.lt(a, c(a, 0)), c(a, 0), where(lax.gt(a, c(a, 0)), c(a, 1), h));
  return where(lax.ne(a, a), a, step);
}

/**
 * Whether the sign bit is set: true for negatives and -0 (for NaN false:
 * reading a NaN's sign needs a bitcast jaxd does not have).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.signbit(jnp.array([-2, -0, 0, 3])).tolist(); // [true, true, false, false]
 * ```
 */
export function signbit(x: ArrayLike): NDArray {
  const a = asArray(x);
  if (a.dtype === "bool" || a.dtype === "uint32") return lax.full(a.shape, false);
  if (!isFloat(a.dtype)) return lax.lt(a, c(a, 0));
  // -0 is the one zero whose reciprocal is -inf.
  const negZero = lax.and(lax.eq(a, c(a, 0)), lax.lt(lax.div(c(a, 1), a), c(a, 0)));
  return lax.or(lax.lt(a, c(a, 0)), negZero);
}

/**
 * `|x1|` with the sign of `x2`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.copysign(jnp.array([1, -2, 3]), jnp.array([-1, 1, -0])).tolist(); // [-1, 2, -3]
 * ```
 */
export const copysign: Binary = floatBinary("copysign", (a, b) => {
  const m = lax.abs(a);
  return where(signbit(b), lax.neg(m), m);
});

/**
 * Elementwise maximum ignoring NaNs (NaN only where both are).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.fmax(jnp.array([1, NaN, 3]), jnp.array([NaN, 2, 1])).tolist(); // [1, 2, 3]
 * ```
 */
export function fmax(x1: ArrayLike, x2: ArrayLike): NDArray {
  const [a, b] = promote("fmax", x1, x2);
  return where(lax.or(lax.gt(a, b), isnan(b)), a, b);
}

/**
 * Elementwise minimum ignoring NaNs (NaN only where both are).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.fmin(jnp.array([1, NaN, 3]), jnp.array([NaN, 2, 1])).tolist(); // [1, 2, 1]
 * ```
 */
export function fmin(x1: ArrayLike, x2: ArrayLike): NDArray {
  const [a, b] = promote("fmin", x1, x2);
  return where(lax.or(lax.lt(a, b), isnan(b)), a, b);
}

/**
 * `x1 ** x2` in floating point (integers are promoted to the default float first).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.float_power(jnp.array([2, 4], { dtype: "int32" }), -1).tolist(); // [0.5, 0.25]
 * ```
 */
export const float_power: Binary = floatBinary("float_power", lax.pow);

/** Broadcast magnitudes as uint32, and the result dtype. */
function integers(name: string, x1: ArrayLike, x2: ArrayLike): [NDArray, NDArray, DType] {
  let [a, b] = promote(name, x1, x2);
  if (a.dtype === "bool") [a, b] = [toType(a, "int32", false), toType(b, "int32", false)];
  if (!isInteger(a.dtype)) {
    throw new DTypeError(`${name}: needs integer arrays, got ${a.dtype}; convert with astype("int32")`);
  }
  // As unsigned magnitudes, so that |INT32_MIN| = 2^31 is exact and Euclid's loop ends (JAX's does not).
  const mag = (v: NDArray) => lax.convert_element_type(abs(v), "uint32");
  const [p, q] = broadcast_arrays(mag(a), mag(b));
  return [p, q, a.dtype];
}

function gcdOf(a: NDArray, b: NDArray): NDArray {
  const zero = c(a, 0);
  const [g] = while_loop(
    ([, y]) => lax.reduce_max(lax.ne(y as NDArray, zero), [...(y as NDArray).shape.keys()]),
    ([x, y]) => {
      const [p, q] = [x as NDArray, y as NDArray];
      const nz = lax.ne(q, zero);
      const r = lax.rem(p, lax.select(nz, q, lax.full(q.shape, 1, q.dtype)));
      const [u, v] = [lax.select(nz, q, p), lax.select(nz, r, lax.full(q.shape, 0, q.dtype))];
      return [lax.max(u, v), lax.min(u, v)];
    },
    [lax.max(a, b), lax.min(a, b)],
  ) as NDArray[];
  return g;
}

/**
 * Greatest common divisor of integers (Euclid's algorithm in a while_loop).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.gcd(jnp.array([12, -18, 0], { dtype: "int32" }), 8).tolist(); // [4, 2, 8]
 * ```
 */
export function gcd(x1: ArrayLike, x2: ArrayLike): NDArray {
  const [a, b, dtype] = integers("gcd", x1, x2);
  return lax.convert_element_type(gcdOf(a, b), dtype);
}

/**
 * Least common multiple of integers (0 if either is 0).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.lcm(jnp.array([4, 6, 0], { dtype: "int32" }), 6).tolist(); // [12, 6, 0]
 * ```
 */
export function lcm(x1: ArrayLike, x2: ArrayLike): NDArray {
  const [a, b, dtype] = integers("lcm", x1, x2);
  const g = gcdOf(a, b);
  const zero = lax.eq(g, c(g, 0));
  const l = lax.mul(a, lax.div(b, lax.select(zero, lax.full(g.shape, 1, g.dtype), g)));
  return lax.convert_element_type(lax.select(zero, lax.full(g.shape, 0, g.dtype), l), dtype);
}

/**
 * `x1 * 2 ** x2` for an integer `x2`, in two halves so that `2 ** x2` alone
 * may overflow.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.ldexp(jnp.array([1, 0.75]), jnp.array([3, -1], { dtype: "int32" })).tolist(); // [8, 0.375]
 * ```
 */
export function ldexp(x1: ArrayLike, x2: ArrayLike): NDArray {
  const e = asArray(x2);
  if (!isInteger(e.dtype) && e.dtype !== "bool") {
    throw new DTypeError(`ldexp: the exponent x2 must be an integer array, got ${e.dtype}`);
  }
  const [m] = promoteFloat("ldexp", x1);
  const [a, k] = promote("ldexp", m, toType(e, m.dtype, e.weakType));
  const half = lax.floor(lax.div(k, c(k, 2)));
  return lax.mul(lax.mul(a, lax.exp2(half)), lax.exp2(lax.sub(k, half)));
}

/**
 * Picks, elementwise, the choice of the first true condition, else `default`
 * (0). Conditions and choices broadcast together.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.array([-2, 0, 3]);
 * jnp.select([x.lt(0), x.gt(0)], [x.neg(), x.mul(10)], { default: -1 }).tolist(); // [2, -1, 30]
 * ```
 */
export function select(condlist: ArrayLike[], choicelist: ArrayLike[], o?: { default?: ArrayLike }): NDArray {
  if (condlist.length !== choicelist.length) {
    throw new ValueError(
      `select: condlist has ${condlist.length} entries and choicelist ${choicelist.length}; give one choice per condition`,
    );
  }
  if (condlist.length === 0) throw new ValueError("select: condlist must be non-empty");
  const choices = promote("select", o?.default ?? 0, ...choicelist);
  const conds = condlist.map((cnd) => toType(cnd, "bool", false));
  const parts = broadcast_arrays(...conds, ...choices);
  const n = conds.length;
  let out = parts[n];
  for (let i = n - 1; i >= 0; i--) out = lax.select(parts[i], parts[n + 1 + i], out);
  return out;
}

/**
 * Evaluates `funclist[i]` where `condlist[i]` holds (a later condition wins
 * over an earlier one); one extra function (or value) covers where none
 * holds, else 0 does. Functions get the whole array, so they must be
 * elementwise; numbers are constants. The result has `x`'s dtype.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.array([-2, 1, 3]);
 * jnp.piecewise(x, [x.lt(0), x.gt(2)], [(v) => v.neg(), 9, (v) => v.mul(10)]).tolist(); // [2, 10, 9]
 * ```
 */
export function piecewise(
  x: ArrayLike,
  condlist: ArrayLike[],
  funclist: (number | ((x: NDArray) => NDArray))[],
): NDArray {
  const a = asArray(x);
  const [nc, nf] = [condlist.length, funclist.length];
  if (nf !== nc && nf !== nc + 1) {
    throw new ValueError(
      `piecewise: with ${nc} condition(s), either ${nc} or ${nc + 1} functions are expected; got ${nf}`,
    );
  }
  const value = (f: number | ((x: NDArray) => NDArray)) => {
    const v = typeof f === "function" ? f(a) : f;
    return broadcastTo(toType(v, a.dtype, false), a.shape, "piecewise");
  };
  let out = value(nf === nc + 1 ? funclist[nc] : 0);
  for (let i = 0; i < nc; i++) {
    const cond = toType(condlist[i], "bool", false);
    if (broadcastShapes("piecewise", cond.shape, a.shape).join() !== a.shape.join()) {
      throw new ShapeError(
        `piecewise: condition ${i} of shape ${fmtShape(cond.shape)} does not fit x's ${fmtShape(a.shape)}`,
      );
    }
    out = where(cond, value(funclist[i]), out);
  }
  return out;
}
