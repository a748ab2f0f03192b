/**
 * Elementwise primitives: unary math, binary arithmetic, comparisons,
 * integer_pow, select_n, convert_element_type, add_any and stop_gradient.
 * Each gets one rule record; tables keep the per-primitive part to a line.
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { type DType, isFloat, isInteger } from "../dtype.ts";
import { DTypeError } from "../errors.ts";
import { type BinaryOp, constant, type Expr, type Kernel, type UnaryOp } from "../kernel/ir.ts";
import * as lax from "../lax.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { bind1, type Rule, UndefPrimal, Zero } from "../trace/core.ts";
import { igammaGradA } from "./igamma_grad.ts";
import {
  type AccuracyParams,
  ACCURATE_PRIMITIVES,
  type BinaryPrimitive,
  type ComparePrimitive,
  type Params,
  type Primitive,
  type UnaryPrimitive,
} from "./primitives.ts";
import {
  allWeak,
  allZero,
  aval,
  broadcastBatcher,
  broadcastLoad,
  defjvp,
  elementwiseShape,
  floatOnly,
  instantiate,
  kernelImpl,
  linearJvp,
  sameDType,
  unbroadcast,
  vectorized,
  zeroJvp,
} from "./util.ts";

type Term = ((t: NDArray, primals: NDArray[], out: NDArray) => NDArray) | null;
type Rules<K extends Primitive> = { [P in K]: Rule<P> };

const SQRT_PI = Math.sqrt(Math.PI);

/** Unary primitives: the derivative term, and whether ints are allowed. */
const UNARY: Record<UnaryPrimitive, { term: Term; ints: boolean }> = {
  neg: { term: (t) => lax.neg(t), ints: true },
  abs: { term: (t, [x]) => lax.mul(t, lax.sign(x)), ints: true },
  sign: { term: null, ints: true },
  floor: { term: null, ints: false },
  ceil: { term: null, ints: false },
  exp: { term: (t, _, out) => lax.mul(t, out), ints: false },
  exp2: { term: (t, _, out) => lax.mul(t, lax.mul(out, Math.LN2)), ints: false },
  log: { term: (t, [x]) => lax.div(t, x), ints: false },
  log1p: { term: (t, [x]) => lax.div(t, lax.add(x, 1)), ints: false },
  expm1: { term: (t, _, out) => lax.mul(t, lax.add(out, 1)), ints: false },
  sqrt: { term: (t, _, out) => lax.div(t, lax.mul(out, 2)), ints: false },
  rsqrt: { term: (t, [x], out) => lax.mul(t, lax.mul(lax.div(out, x), -0.5)), ints: false },
  cbrt: { term: (t, _, out) => lax.mul(t, lax.mul(lax.integer_pow(out, -2), 1 / 3)), ints: false },
  sin: { term: (t, [x]) => lax.mul(t, lax.cos(x)), ints: false },
  cos: { term: (t, [x]) => lax.mul(t, lax.neg(lax.sin(x))), ints: false },
  tan: { term: (t, _, out) => lax.mul(t, lax.add(lax.square(out), 1)), ints: false },
  asin: { term: (t, [x]) => lax.mul(t, lax.rsqrt(lax.sub(1, lax.square(x)))), ints: false },
  acos: { term: (t, [x]) => lax.neg(lax.mul(t, lax.rsqrt(lax.sub(1, lax.square(x))))), ints: false },
  atan: { term: (t, [x]) => lax.div(t, lax.add(lax.square(x), 1)), ints: false },
  sinh: { term: (t, [x]) => lax.mul(t, lax.cosh(x)), ints: false },
  cosh: { term: (t, [x]) => lax.mul(t, lax.sinh(x)), ints: false },
  tanh: { term: (t, _, out) => lax.mul(t, lax.sub(1, lax.square(out))), ints: false },
  asinh: { term: (t, [x]) => lax.mul(t, lax.rsqrt(lax.add(lax.square(x), 1))), ints: false },
  acosh: { term: (t, [x]) => lax.mul(t, lax.rsqrt(lax.mul(lax.sub(x, 1), lax.add(x, 1)))), ints: false },
  atanh: { term: (t, [x]) => lax.div(t, lax.sub(1, lax.square(x))), ints: false },
  lgamma: { term: (t, [x]) => lax.mul(t, lax.digamma(x)), ints: false },
  digamma: { term: (t, [x]) => lax.mul(t, lax.polygamma(lax.full([], 1, x.dtype), x)), ints: false },
  erf: { term: (t, [x]) => lax.mul(t, lax.mul(lax.exp(lax.neg(lax.square(x))), 2 / SQRT_PI)), ints: false },
  erfc: { term: (t, [x]) => lax.mul(t, lax.mul(lax.exp(lax.neg(lax.square(x))), -2 / SQRT_PI)), ints: false },
  erf_inv: { term: (t, _, out) => lax.mul(t, lax.mul(lax.exp(lax.square(out)), SQRT_PI / 2)), ints: false },
  logistic: { term: (t, _, out) => lax.mul(t, lax.mul(out, lax.sub(1, out))), ints: false },
};

function unaryLower(fn: UnaryOp, outDType?: DType) {
  return ([x]: ShapedArray[]): Kernel => {
    const e: Expr = { op: "unary", fn, x: broadcastLoad(0, x, x.shape), dtype: outDType ?? x.dtype };
    return { size: x.size, dtype: outDType ?? x.dtype, expr: e };
  };
}

function unaryRule<P extends UnaryPrimitive>(p: P): Rule<P> {
  const { term, ints } = UNARY[p];
  const abstractEval = ([x]: ShapedArray[]) => {
    if (!ints) floatOnly(p, x.dtype);
    else if (x.dtype === "bool") throw new DTypeError(`${p}: not defined for bool arrays`);
    return [x];
  };
  const accurate = (ACCURATE_PRIMITIVES as readonly string[]).includes(p);
  const lower = (avals: ShapedArray[], params: Params[P]): Kernel =>
    unaryLower(accurate && (params as AccuracyParams).accuracy === "highest" ? `${p}_exact` as UnaryOp : p)(avals);
  return {
    abstractEval,
    lower,
    impl: kernelImpl(abstractEval, lower),
    jvp: term ? defjvp(p, term) : zeroJvp(p),
    transpose: p === "neg" ? ([ct]) => [ct instanceof Zero ? ct : lax.neg(ct)] : null,
    vmap: vectorized(p),
  };
}

/** Binary primitives: one derivative term per operand. */
const BINARY: Record<BinaryPrimitive, { terms: [Term, Term]; kind: "num" | "float" | "bits" | "int" }> = {
  add: { terms: [(t) => t, (t) => t], kind: "num" },
  sub: { terms: [(t) => t, (t) => lax.neg(t)], kind: "num" },
  mul: { terms: [(t, [, y]) => lax.mul(t, y), (t, [x]) => lax.mul(x, t)], kind: "num" },
  div: {
    terms: [
      (t, [, y]) => lax.div(t, y),
      (t, [x, y]) => lax.mul(lax.mul(lax.neg(t), x), lax.integer_pow(y, -2)),
    ],
    kind: "num",
  },
  rem: {
    terms: [
      (t) => t,
      (t, [x, y]) => lax.mul(lax.neg(t), lax.mul(lax.sign(lax.div(x, y)), lax.floor(lax.abs(lax.div(x, y))))),
    ],
    kind: "num",
  },
  pow: {
    terms: [
      (t, [x, y]) => lax.mul(t, lax.select(lax.eq(y, 0), 0, lax.mul(y, lax.pow(x, lax.sub(y, 1))))),
      (t, [x], out) => lax.mul(t, lax.mul(lax.log(lax.select(lax.eq(x, 0), 1, x)), out)),
    ],
    kind: "float",
  },
  max: {
    terms: [(t, [x, y]) => lax.mul(t, balancedEq(x, y)), (t, [x, y]) => lax.mul(t, balancedEq(y, x))],
    kind: "num",
  },
  min: {
    terms: [(t, [x, y]) => lax.mul(t, balancedEq(y, x)), (t, [x, y]) => lax.mul(t, balancedEq(x, y))],
    kind: "num",
  },
  atan2: {
    terms: [
      (t, [x, y]) => lax.mul(t, lax.div(y, lax.add(lax.square(x), lax.square(y)))),
      (t, [x, y]) => lax.mul(t, lax.div(lax.neg(x), lax.add(lax.square(x), lax.square(y)))),
    ],
    kind: "float",
  },
  and: { terms: [null, null], kind: "bits" },
  or: { terms: [null, null], kind: "bits" },
  xor: { terms: [null, null], kind: "bits" },
  igamma: {
    terms: [(t, [a, x]) => lax.mul(t, igammaGradA(a, x)), (t, [a, x]) => lax.mul(t, igammaDx(a, x))],
    kind: "float",
  },
  igammac: {
    terms: [(t, [a, x]) => lax.neg(lax.mul(t, igammaGradA(a, x))), (t, [a, x]) => lax.neg(lax.mul(t, igammaDx(a, x)))],
    kind: "float",
  },
  polygamma: { terms: [null, (t, [n, x]) => lax.mul(t, lax.polygamma(lax.add(n, 1), x))], kind: "float" },
  shift_left: { terms: [null, null], kind: "int" },
  shift_right_logical: { terms: [null, null], kind: "int" },
  shift_right_arithmetic: { terms: [null, null], kind: "int" },
};

/** 1 where x > y, 0.5 where equal, 0 elsewhere: splits ties evenly, as JAX does. */
function balancedEq(x: NDArray, y: NDArray): NDArray {
  const c = (v: number) => lax.full([], v, x.dtype);
  return lax.select(lax.gt(x, y), c(1), lax.select(lax.eq(x, y), c(0.5), c(0)));
}

function igammaDx(a: NDArray, x: NDArray): NDArray {
  return lax.exp(lax.sub(lax.sub(lax.mul(lax.sub(a, 1), lax.log(x)), x), lax.lgamma(a)));
}

function binaryAbstractEval(p: string, kind: "num" | "float" | "bits" | "int" | "cmp") {
  return (avals: ShapedArray[]): ShapedArray[] => {
    const shape = elementwiseShape(p, avals);
    const d = sameDType(p, avals);
    if (kind === "float") floatOnly(p, d);
    if (kind === "bits" && isFloat(d)) throw new DTypeError(`${p}: needs bool or integer operands, got ${d}`);
    if (kind === "int" && !isInteger(d)) throw new DTypeError(`${p}: needs integer operands, got ${d}`);
    if (kind === "num" && d === "bool" && p !== "max" && p !== "min" && p !== "add_any") {
      throw new DTypeError(`${p}: not defined for bool operands; use logical_and/logical_or or convert with astype`);
    }
    return kind === "cmp" ? [aval(shape, "bool")] : [aval(shape, d, allWeak(avals))];
  };
}

function binaryLower(fn: BinaryOp, abstractEval: (a: ShapedArray[]) => ShapedArray[]) {
  return (avals: ShapedArray[]): Kernel => {
    const [out] = abstractEval(avals);
    const expr: Expr = {
      op: "binary",
      fn,
      x: broadcastLoad(0, avals[0], out.shape),
      y: broadcastLoad(1, avals[1], out.shape),
      dtype: out.dtype,
    };
    return { size: out.size, dtype: out.dtype, expr };
  };
}

function binaryTranspose<P extends "add" | "sub" | "mul" | "div" | "add_any">(p: P): Rule<P>["transpose"] {
  return ([ct], [x, y]) => {
    if (ct instanceof Zero) return [null, null];
    const undefX = x instanceof UndefPrimal, undefY = y instanceof UndefPrimal;
    switch (p) {
      case "add":
      case "add_any":
        return [undefX ? unbroadcast(x.aval, ct) : null, undefY ? unbroadcast(y.aval, ct) : null];
      case "sub":
        return [undefX ? unbroadcast(x.aval, ct) : null, undefY ? unbroadcast(y.aval, lax.neg(ct)) : null];
      case "mul":
        if (undefX && !undefY) return [unbroadcast(x.aval, lax.mul(ct, y as NDArray)), null];
        if (undefY && !undefX) return [null, unbroadcast(y.aval, lax.mul(x as NDArray, ct))];
        break;
      case "div":
        if (undefX && !undefY) return [unbroadcast(x.aval, lax.div(ct, y as NDArray)), null];
        break;
    }
    throw new DTypeError(`internal: ${p} transposed with non-linear operands`);
  };
}

function binaryRule<P extends BinaryPrimitive>(p: P): Rule<P> {
  const { terms, kind } = BINARY[p];
  const abstractEval = binaryAbstractEval(p, kind);
  const lower = binaryLower(p, abstractEval);
  const linear = p === "add" || p === "sub" || p === "mul" || p === "div";
  return {
    abstractEval,
    lower,
    impl: kernelImpl(abstractEval, lower),
    jvp: terms.some(Boolean) ? defjvp(p, ...terms) : zeroJvp(p),
    transpose: linear ? binaryTranspose(p as "add") as unknown as Rule<P>["transpose"] : null,
    vmap: broadcastBatcher(p),
  };
}

function compareRule<P extends ComparePrimitive>(p: P): Rule<P> {
  const abstractEval = binaryAbstractEval(p, "cmp");
  const lower = binaryLower(p, abstractEval);
  return {
    abstractEval,
    lower,
    impl: kernelImpl(abstractEval, lower),
    jvp: zeroJvp(p),
    transpose: null,
    vmap: broadcastBatcher(p),
  };
}

function intPowExpr(x: Expr, y: number, dtype: DType): Expr {
  const mul = (a: Expr, b: Expr): Expr => ({ op: "binary", fn: "mul", x: a, y: b, dtype });
  if (y === 0) return constant(1, dtype);
  const n = Math.abs(y);
  let acc: Expr | null = null;
  let base = x;
  for (let k = n; k > 0; k >>= 1) {
    if (k & 1) acc = acc ? mul(acc, base) : base;
    if (k > 1) base = mul(base, base);
  }
  return y < 0 ? { op: "binary", fn: "div", x: constant(1, dtype), y: acc!, dtype } : acc!;
}

const integerPowEval = ([x]: ShapedArray[], { y }: Params["integer_pow"]) => {
  if (!Number.isInteger(y)) throw new DTypeError(`integer_pow: exponent must be an integer, got ${y}`);
  if (x.dtype === "bool") throw new DTypeError("integer_pow: not defined for bool");
  if (y < 0 && !isFloat(x.dtype)) throw new DTypeError(`integer_pow: negative exponent ${y} needs a float operand`);
  return [x];
};
const integerPowLower = ([x]: ShapedArray[], { y }: Params["integer_pow"]): Kernel => ({
  size: x.size,
  dtype: x.dtype,
  expr: intPowExpr(broadcastLoad(0, x, x.shape), y, x.dtype),
});

function integerPowJvp(
  [x]: NDArray[],
  [t]: (NDArray | Zero)[],
  params: Params["integer_pow"],
): [NDArray[], (NDArray | Zero)[]] {
  const out = bind1("integer_pow", [x], params);
  if (t instanceof Zero || params.y === 0) return [[out], [new Zero(out.aval.withWeak(false))]];
  const y = params.y;
  const xPow = y - 1 === 1 ? x : y - 1 === 0 ? lax.full([], 1, x.dtype) : lax.integer_pow(x, y - 1);
  return [[out], [lax.mul(t, lax.mul(lax.full([], y, x.dtype), xPow))]];
}

const selectEval = ([which, ...cases]: ShapedArray[]) => {
  if (cases.length === 0) throw new DTypeError("select_n: needs at least one case");
  if (which.dtype !== "bool" && which.dtype !== "int32") {
    throw new DTypeError(`select_n: the predicate must be bool or int32, got ${which.dtype}`);
  }
  if (which.dtype === "bool" && cases.length > 2) {
    throw new DTypeError("select_n: a bool predicate selects between 2 cases");
  }
  const d = sameDType("select_n", cases);
  return [aval(elementwiseShape("select_n", [which, ...cases]), d, allWeak(cases))];
};
const selectLower = (avals: ShapedArray[]): Kernel => {
  const [out] = selectEval(avals);
  const w = broadcastLoad(0, avals[0], out.shape);
  let expr = broadcastLoad(avals.length - 1, avals[avals.length - 1], out.shape);
  for (let i = avals.length - 2; i >= 1; i--) {
    const c: Expr = avals[0].dtype === "bool"
      ? { op: "unary", fn: "not", x: w, dtype: "bool" }
      : { op: "binary", fn: "eq", x: w, y: constant(i - 1), dtype: "bool" };
    expr = { op: "select", cond: c, t: broadcastLoad(i, avals[i], out.shape), f: expr, dtype: out.dtype };
  }
  return { size: out.size, dtype: out.dtype, expr };
};

const convertEval = (
  [x]: ShapedArray[],
  p: Params["convert_element_type"],
) => [aval(x.shape, p.new_dtype, p.weak_type)];
const convertLower = ([x]: ShapedArray[], p: Params["convert_element_type"]): Kernel => ({
  size: x.size,
  dtype: p.new_dtype,
  expr: { op: "cast", x: broadcastLoad(0, x, x.shape), dtype: p.new_dtype },
});

const roundEval = ([x]: ShapedArray[]) => {
  floatOnly("round", x.dtype);
  return [x];
};
/** Half to even is the kernel op; half away from zero is sign(x) * floor(|x| + 0.5). */
const roundLower = ([x]: ShapedArray[], p: Params["round"]): Kernel => {
  const v = broadcastLoad(0, x, x.shape);
  const d = x.dtype;
  const expr: Expr = p.rounding_method === 1 ? { op: "unary", fn: "round", x: v, dtype: d } : {
    op: "binary",
    fn: "mul",
    x: { op: "unary", fn: "sign", x: v, dtype: d },
    y: {
      op: "unary",
      fn: "floor",
      x: { op: "binary", fn: "add", x: { op: "unary", fn: "abs", x: v, dtype: d }, y: constant(0.5, d), dtype: d },
      dtype: d,
    },
    dtype: d,
  };
  return { size: x.size, dtype: d, expr };
};

const identityLower = ([x]: ShapedArray[]): Kernel => ({
  size: x.size,
  dtype: x.dtype,
  expr: broadcastLoad(0, x, x.shape),
});

const boolUnaryEval = (p: string, out: "bool" | "same") => ([x]: ShapedArray[]) => {
  if (p === "not" && isFloat(x.dtype)) throw new DTypeError(`not: needs bool or integer, got ${x.dtype}`);
  return [out === "bool" ? aval(x.shape, "bool") : x];
};

/** The rule records of all elementwise primitives. */
export const elementwiseRules: Rules<
  | UnaryPrimitive
  | BinaryPrimitive
  | ComparePrimitive
  | "is_finite"
  | "not"
  | "round"
  | "add_any"
  | "integer_pow"
  | "select_n"
  | "convert_element_type"
  | "stop_gradient"
> = {
  ...(Object.fromEntries(Object.keys(UNARY).map((p) => [p, unaryRule(p as UnaryPrimitive)])) as Rules<UnaryPrimitive>),
  ...(Object.fromEntries(Object.keys(BINARY).map((p) => [p, binaryRule(p as BinaryPrimitive)])) as Rules<
    BinaryPrimitive
  >),
  eq: compareRule("eq"),
  ne: compareRule("ne"),
  lt: compareRule("lt"),
  le: compareRule("le"),
  gt: compareRule("gt"),
  ge: compareRule("ge"),
  round: {
    abstractEval: roundEval,
    lower: roundLower,
    impl: kernelImpl<"round">(roundEval, roundLower),
    jvp: zeroJvp("round"),
    transpose: null,
    vmap: vectorized("round"),
  },
  is_finite: {
    abstractEval: boolUnaryEval("is_finite", "bool"),
    lower: unaryLower("is_finite", "bool"),
    impl: kernelImpl(boolUnaryEval("is_finite", "bool"), unaryLower("is_finite", "bool")),
    jvp: zeroJvp("is_finite"),
    transpose: null,
    vmap: vectorized("is_finite"),
  },
  not: {
    abstractEval: boolUnaryEval("not", "same"),
    lower: unaryLower("not"),
    impl: kernelImpl(boolUnaryEval("not", "same"), unaryLower("not")),
    jvp: zeroJvp("not"),
    transpose: null,
    vmap: vectorized("not"),
  },
  add_any: {
    abstractEval: binaryAbstractEval("add_any", "num"),
    lower: binaryLower("add", binaryAbstractEval("add_any", "num")),
    impl: kernelImpl(binaryAbstractEval("add_any", "num"), binaryLower("add", binaryAbstractEval("add_any", "num"))),
    jvp: linearJvp("add_any"),
    transpose: binaryTranspose("add_any"),
    vmap: broadcastBatcher("add_any"),
  },
  integer_pow: {
    abstractEval: integerPowEval,
    lower: integerPowLower,
    impl: kernelImpl<"integer_pow">(integerPowEval, integerPowLower),
    jvp: integerPowJvp,
    transpose: null,
    vmap: vectorized("integer_pow"),
  },
  select_n: {
    abstractEval: selectEval,
    lower: selectLower,
    impl: kernelImpl(selectEval, selectLower),
    jvp: (primals, tangents) => {
      const out = bind1("select_n", primals, {});
      const ts = tangents.slice(1);
      if (allZero(ts)) return [[out], [new Zero(out.aval)]];
      return [[out], [bind1("select_n", [primals[0], ...ts.map(instantiate)], {})]];
    },
    transpose: ([ct], [which, ...cases]) => {
      if (ct instanceof Zero) return cases.map(() => null);
      const zero = lax.zeros_like(ct);
      return [
        null,
        ...cases.map((c, i) => {
          if (!(c instanceof UndefPrimal)) return null;
          const picks = cases.map((_, j) => (j === i ? ct : zero));
          return unbroadcast(c.aval, bind1("select_n", [which as NDArray, ...picks], {}));
        }),
      ];
    },
    vmap: broadcastBatcher("select_n"),
  },
  convert_element_type: {
    abstractEval: convertEval,
    lower: convertLower,
    impl: kernelImpl<"convert_element_type">(convertEval, convertLower),
    jvp: ([x], [t], params) => {
      const out = bind1("convert_element_type", [x], params);
      if (t instanceof Zero || !isFloat(x.dtype) || !isFloat(params.new_dtype)) return [[out], [new Zero(out.aval)]];
      return [[out], [bind1("convert_element_type", [t], { ...params, weak_type: false })]];
    },
    transpose: ([ct], [x]) => {
      if (ct instanceof Zero) return [null];
      return [lax.convert_element_type(ct, (x as UndefPrimal).aval.dtype)];
    },
    vmap: vectorized("convert_element_type"),
  },
  stop_gradient: {
    abstractEval: ([x]) => [x],
    lower: identityLower,
    impl: (args) => args,
    jvp: zeroJvp("stop_gradient"),
    transpose: null,
    vmap: vectorized("stop_gradient"),
  },
};
