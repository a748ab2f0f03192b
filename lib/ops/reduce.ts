/**
 * Reductions, cumulative reductions and dot_general.
 *
 * A reduction is one kernel: the output index picks the kept coordinates, the
 * reduction index `ridx` walks the reduced ones. dot_general is a sum-reduction
 * of a product, contracting over `ridx`. Cumulative reductions are composites
 * (a Hillis–Steele scan of shifted adds), so they run on any backend.
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { type DType, isFloat } from "../dtype.ts";
import { AxisError, DTypeError, fmtShape, ShapeError } from "../errors.ts";
import {
  type Expr,
  IDX,
  type Kernel,
  load,
  type MatmulSpec,
  ravel,
  type ReduceOp,
  RIDX,
  unravel,
} from "../kernel/ir.ts";
import * as lax from "../lax.ts";
import { prod, stridesOf } from "../shape.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { bind1, type Rule, UndefPrimal, Zero } from "../trace/core.ts";
import { jvp as jvpOf } from "../trace/jvp.ts";
import type { DotDimensionNumbers, Params, Primitive } from "./primitives.ts";
import { aval, kernelImpl, linearJvp, moveaxis } from "./util.ts";

type Rules<K extends Primitive> = { [P in K]: Rule<P> };
type AxesPrim = "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod" | "argmax" | "argmin";

function checkAxes(op: string, x: ShapedArray, axes: number[]) {
  // (no Set: this runs for every reduction, and axes are one or two numbers)
  if (axes.some((a, i) => !Number.isInteger(a) || a < 0 || a >= x.ndim || axes.indexOf(a) !== i)) {
    throw new AxisError(`${op}: axes ${JSON.stringify(axes)} invalid for an array of dimension ${x.ndim}`);
  }
}

/** A kernel reducing `x` over `axes` with `op`, reading `value(load)`. */
function reduceKernel(x: ShapedArray, axes: number[], op: ReduceOp, dtype: DType): Kernel {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptC = unravel(IDX, kept.map((i) => x.shape[i]));
  const redC = unravel(RIDX, axes.map((i) => x.shape[i]));
  const coords = x.shape.map((_, i) => (axes.includes(i) ? redC[axes.indexOf(i)] : keptC[kept.indexOf(i)]));
  const v = load(0, ravel(coords, stridesOf(x.shape)), x.dtype);
  return {
    size: prod(kept.map((i) => x.shape[i])),
    dtype,
    expr: v,
    reduce: { op, size: prod(axes.map((i) => x.shape[i])) },
  };
}

function reduceVmap<P extends AxesPrim>(prim: P): Rule<P>["vmap"] {
  return ([x], [d], params) => {
    const axes = params.axes.map((a) => (a >= d! ? a + 1 : a));
    const outD = d! - params.axes.filter((a) => a < d!).length;
    return [[bind1(prim, [x], { ...params, axes } as Params[P])], [outD]];
  };
}

function reduceRule<P extends "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod">(
  prim: P,
  op: ReduceOp,
): Omit<Rule<P>, "jvp" | "transpose"> {
  const abstractEval = ([x]: ShapedArray[], p: Params[P]) => {
    checkAxes(prim, x, p.axes);
    if (prim === "reduce_prod" || prim === "reduce_sum") {
      if (x.dtype === "bool") throw new DTypeError(`${prim}: convert bool arrays to a number type first`);
    }
    return [aval(x.shape.filter((_, i) => !p.axes.includes(i)), x.dtype, x.weakType)];
  };
  const lower = ([x]: ShapedArray[], p: Params[P]) => reduceKernel(x, p.axes, op, x.dtype);
  return { abstractEval, lower, impl: kernelImpl(abstractEval, lower), vmap: reduceVmap(prim) };
}

/** Broadcasts a reduced value back over the reduced axes. */
function unreduce(y: NDArray, shape: readonly number[], axes: number[]): NDArray {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return lax.broadcast_in_dim(y, [...shape], kept);
}

/** JAX's jvp for max/min: tangents averaged over the positions that attain the result. */
function chooserJvp<P extends "reduce_max" | "reduce_min">(prim: P): Rule<P>["jvp"] {
  return ([x], [t], p) => {
    const out = bind1(prim, [x], p);
    if (t instanceof Zero) return [[out], [new Zero(out.aval)]];
    const loc = lax.convert_element_type(lax.eq(x, unreduce(out, x.shape, p.axes)), x.dtype);
    const counts = lax.reduce_sum(loc, p.axes);
    return [[out], [lax.div(lax.reduce_sum(lax.mul(t, loc), p.axes), counts)]];
  };
}

/** reduce_prod's jvp, exact with zeros: each element's partner is the product of all the others. */
const prodJvp: Rule<"reduce_prod">["jvp"] = ([x], [t], p) => {
  const out = bind1("reduce_prod", [x], p);
  if (t instanceof Zero) return [[out], [new Zero(out.aval)]];
  const kept = x.shape.map((_, i) => i).filter((i) => !p.axes.includes(i));
  const perm = [...kept, ...p.axes];
  const n = prod(p.axes.map((a) => x.shape[a]));
  const flat = (a: NDArray) => lax.reshape(lax.transpose(a, perm), [...kept.map((i) => x.shape[i]), n]);
  const xf = flat(x), tf = flat(t);
  const last = xf.ndim - 1;
  const exclusive = (rev: boolean) => {
    const c = lax.cumprod(xf, last, rev);
    const cfg = xf.shape.map((): [number, number, number] => [0, 0, 0]);
    cfg[last] = rev ? [-1, 1, 0] : [1, -1, 0];
    return lax.pad(c, 1, cfg);
  };
  const others = lax.mul(exclusive(false), exclusive(true));
  return [[out], [lax.reduce_sum(lax.mul(tf, others), [last])]];
};

function argRule<P extends "argmax" | "argmin">(prim: P): Rule<P> {
  const abstractEval = ([x]: ShapedArray[], p: Params[P]) => {
    checkAxes(prim, x, p.axes);
    if (p.axes.length !== 1) throw new AxisError(`${prim}: exactly one axis, got ${JSON.stringify(p.axes)}`);
    if (x.shape[p.axes[0]] === 0) {
      throw new ShapeError(`${prim}: cannot take ${prim} of an empty axis (shape ${fmtShape(x.shape)})`);
    }
    return [aval(x.shape.filter((_, i) => i !== p.axes[0]), p.index_dtype)];
  };
  const lower = ([x]: ShapedArray[], p: Params[P]) => reduceKernel(x, p.axes, prim, p.index_dtype);
  return {
    abstractEval,
    lower,
    impl: kernelImpl(abstractEval, lower),
    jvp: ([x], _, p) => {
      const out = bind1(prim, [x], p);
      return [[out], [new Zero(out.aval)]];
    },
    transpose: null,
    vmap: reduceVmap(prim),
  };
}

// ---- cumulative reductions ----

type CumPrim = "cumsum" | "cumprod" | "cummax" | "cummin";
const COMBINE: Record<CumPrim, (a: NDArray, b: NDArray) => NDArray> = {
  cumsum: lax.add,
  cumprod: lax.mul,
  cummax: lax.max,
  cummin: lax.min,
};
const IDENTITY: Record<CumPrim, (d: DType) => number> = {
  cumsum: () => 0,
  cumprod: () => 1,
  cummax: (d) => (isFloat(d) ? -Infinity : d === "uint32" ? 0 : -2147483648),
  cummin: (d) => (isFloat(d) ? Infinity : d === "uint32" ? 4294967295 : 2147483647),
};

/** Inclusive scan by doubling: log2(n) shifted combines, each one kernel. */
function scanComposite(prim: CumPrim, x: NDArray, axis: number, reverse: boolean): NDArray {
  const n = x.shape[axis];
  let acc = reverse ? lax.rev(x, [axis]) : x;
  for (let shift = 1; shift < n; shift *= 2) {
    const cfg = x.shape.map((): [number, number, number] => [0, 0, 0]);
    cfg[axis] = [shift, -shift, 0];
    acc = COMBINE[prim](acc, lax.pad(acc, IDENTITY[prim](x.dtype), cfg));
  }
  return reverse ? lax.rev(acc, [axis]) : acc;
}

function cumRule<P extends CumPrim>(prim: P): Rule<P> {
  const abstractEval = ([x]: ShapedArray[], p: Params[P]) => {
    if (p.axis < 0 || p.axis >= x.ndim) throw new AxisError(`${prim}: axis ${p.axis} out of range for rank ${x.ndim}`);
    if (x.dtype === "bool") throw new DTypeError(`${prim}: convert bool arrays to a number type first`);
    return [x];
  };
  return {
    abstractEval,
    lower: null,
    impl: ([x], p) => [scanComposite(prim, x, p.axis, p.reverse)],
    jvp: prim === "cumsum" ? linearJvp(prim) : ([x], [t], p) => {
      if (t instanceof Zero) {
        const out = bind1(prim, [x], p);
        return [[out], [new Zero(out.aval)]];
      }
      const [[out], [tout]] = jvpOf((y: NDArray) => scanComposite(prim, y, p.axis, p.reverse), [x], [t]);
      return [[out], [tout]];
    },
    transpose: prim === "cumsum"
      ? ([ct], _, p) => [ct instanceof Zero ? null : lax.cumsum(ct as NDArray, p.axis, !p.reverse)]
      : null,
    vmap: ([x], [d], p) => [[bind1(prim, [x], { ...p, axis: p.axis >= d! ? p.axis + 1 : p.axis } as Params[P])], [d]],
  };
}

// ---- dot_general ----

const remaining = (n: number, ...used: number[][]) =>
  [...Array(n).keys()].filter((i) => !used.some((u) => u.includes(i)));

const dotEval = ([x, y]: ShapedArray[], p: Params["dot_general"]) => {
  const [[xc, yc], [xb, yb]] = p.dimension_numbers;
  const bad = (why: string) =>
    new ShapeError(
      `dot_general: ${why} (shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}, dimension_numbers ${
        JSON.stringify(p.dimension_numbers)
      })`,
    );
  if (xc.length !== yc.length || xb.length !== yb.length) {
    throw bad("contracting/batch dimension lists differ in length");
  }
  if ([...xc, ...xb].some((a) => a < 0 || a >= x.ndim) || [...yc, ...yb].some((a) => a < 0 || a >= y.ndim)) {
    throw bad("dimension out of range");
  }
  if (xc.some((a, i) => x.shape[a] !== y.shape[yc[i]])) throw bad("contracting dimensions differ in size");
  if (xb.some((a, i) => x.shape[a] !== y.shape[yb[i]])) throw bad("batch dimensions differ in size");
  if (x.dtype !== y.dtype) throw new DTypeError(`dot_general: operand dtypes ${x.dtype} and ${y.dtype} differ`);
  const shape = [
    ...xb.map((a) => x.shape[a]),
    ...remaining(x.ndim, xc, xb).map((a) => x.shape[a]),
    ...remaining(y.ndim, yc, yb).map((a) => y.shape[a]),
  ];
  return [aval(shape, p.preferred_element_type ?? x.dtype, x.weakType && y.weakType)];
};

const dotLower = ([x, y]: ShapedArray[], p: Params["dot_general"]): Kernel => {
  const [out] = dotEval([x, y], p);
  const [[xc, yc], [xb, yb]] = p.dimension_numbers;
  const xf = remaining(x.ndim, xc, xb), yf = remaining(y.ndim, yc, yb);
  const oc = unravel(IDX, out.shape);
  const rc = unravel(RIDX, xc.map((a) => x.shape[a]));
  const xCoords = new Array<Expr>(x.ndim), yCoords = new Array<Expr>(y.ndim);
  xb.forEach((a, i) => (xCoords[a] = oc[i]));
  yb.forEach((a, i) => (yCoords[a] = oc[i]));
  xf.forEach((a, i) => (xCoords[a] = oc[xb.length + i]));
  yf.forEach((a, i) => (yCoords[a] = oc[xb.length + xf.length + i]));
  xc.forEach((a, i) => (xCoords[a] = rc[i]));
  yc.forEach((a, i) => (yCoords[a] = rc[i]));
  const cast = (
    e: Expr,
  ): Expr => (e.op === "load" && e.dtype !== out.dtype ? { op: "cast", x: e, dtype: out.dtype } : e);
  const expr: Expr = {
    op: "binary",
    fn: "mul",
    x: cast(load(0, ravel(xCoords, stridesOf(x.shape)), x.dtype)),
    y: cast(load(1, ravel(yCoords, stridesOf(y.shape)), y.dtype)),
    dtype: out.dtype,
  };
  const k = prod(xc.map((a) => x.shape[a]));
  const matmul = matmulSpec(x, y, p.dimension_numbers, out.dtype);
  return { size: out.size, dtype: out.dtype, expr, reduce: { op: "sum", size: k }, ...(matmul ? { matmul } : {}) };
};

/**
 * The stride of `dims` of an array viewed as one flattened axis (row-major
 * over the list's order), or null when they do not flatten to one stride.
 * Size-1 dimensions never matter.
 */
function flatStride(shape: readonly number[], dims: number[]): number | null {
  const strides = stridesOf(shape);
  const used = dims.filter((d) => shape[d] !== 1);
  if (used.length === 0) return 0;
  for (let i = 0; i + 1 < used.length; i++) {
    if (strides[used[i]] !== strides[used[i + 1]] * shape[used[i + 1]]) return null;
  }
  return strides[used[used.length - 1]];
}

/** dot_general as a (batched) matmul over contiguous operands, when its dimension groups each flatten. */
function matmulSpec(x: ShapedArray, y: ShapedArray, dn: DotDimensionNumbers, dtype: DType): MatmulSpec | null {
  const [[xc, yc], [xb, yb]] = dn;
  const numeric = (d: DType) => d === "float32" || d === "float64" || d === "int32" || d === "uint32";
  if (!numeric(dtype) || !numeric(x.dtype) || !numeric(y.dtype)) return null;
  const xf = remaining(x.ndim, xc, xb), yf = remaining(y.ndim, yc, yb);
  const size = (s: readonly number[], dims: number[]) => prod(dims.map((d) => s[d]));
  const [batch, m, n, k] = [size(x.shape, xb), size(x.shape, xf), size(y.shape, yf), size(x.shape, xc)];
  if (batch * m * n * k === 0) return null;
  const sa = [flatStride(x.shape, xb), flatStride(x.shape, xf), flatStride(x.shape, xc)];
  const sb = [flatStride(y.shape, yb), flatStride(y.shape, yc), flatStride(y.shape, yf)];
  if ([...sa, ...sb].some((v) => v === null)) return null;
  return {
    batch,
    m,
    n,
    k,
    a: { input: 0, dtype: x.dtype, offset: 0, strides: sa as [number, number, number] },
    b: { input: 1, dtype: y.dtype, offset: 0, strides: sb as [number, number, number] },
  };
}

const rangesLike = (...lists: number[][]) => {
  let start = 0;
  return lists.map((l) => {
    const r = l.map((_, i) => start + i);
    start += l.length;
    return r;
  });
};
const argsort = (a: number[]) => a.map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]).map(([, i]) => i);

function dotTransposeLhs(
  g: NDArray,
  xa: ShapedArray,
  y: NDArray,
  dn: DotDimensionNumbers,
  pet: DType | null,
  swapAns = false,
): NDArray {
  const [[xc, yc], [xb, yb]] = dn;
  const xKept = remaining(xa.ndim, xc, xb);
  const yKept = remaining(y.ndim, yc, yb);
  const [ansBatch, ansY] = swapAns
    ? (([b, yy]) => [b, yy])(rangesLike(xb, yKept, xKept))
    : (([b, , yy]) => [b, yy])(rangesLike(xb, xKept, yKept));
  const dims: DotDimensionNumbers = [[ansY, yKept], [ansBatch, yb]];
  const xcSortedByY = argsort(yc).map((i) => xc[i]);
  const outAxes = argsort([...xb, ...xKept, ...xcSortedByY]);
  const prodGY = lax.dot_general(g, y, dims, pet);
  return outAxes.every((a, i) => a === i) ? prodGY : lax.transpose(prodGY, outAxes);
}

const dotGeneral: Rule<"dot_general"> = {
  abstractEval: dotEval,
  lower: dotLower,
  impl: kernelImpl<"dot_general">(dotEval, dotLower),
  jvp: ([x, y], [tx, ty], p) => {
    const out = bind1("dot_general", [x, y], p);
    let t: NDArray | Zero = new Zero(out.aval);
    if (!(tx instanceof Zero)) t = bind1("dot_general", [tx, y], p);
    if (!(ty instanceof Zero)) {
      const b = bind1("dot_general", [x, ty], p);
      t = t instanceof Zero ? b : lax.add_any(t, b);
    }
    return [[out], [t]];
  },
  transpose: ([ct], [x, y], p) => {
    if (ct instanceof Zero) return [null, null];
    const dn = p.dimension_numbers;
    const [[xc, yc], [xb, yb]] = dn;
    const ctX = x instanceof UndefPrimal
      ? dotTransposeLhs(ct, x.aval, y as NDArray, dn, p.preferred_element_type)
      : null;
    const ctY = y instanceof UndefPrimal
      ? dotTransposeLhs(ct, y.aval, x as NDArray, [[yc, xc], [yb, xb]], p.preferred_element_type, true)
      : null;
    return [ctX, ctY];
  },
  vmap: ([x, y], [dx, dy], p) => {
    const [[xc, yc], [xb, yb]] = p.dimension_numbers;
    if (dx !== null && dy !== null) {
      const xm = moveaxis(x, dx, 0), ym = moveaxis(y, dy, 0);
      const s = (l: number[]) => l.map((a) => a + 1);
      return [[lax.dot_general(xm, ym, [[s(xc), s(yc)], [[0, ...s(xb)], [0, ...s(yb)]]], p.preferred_element_type)], [
        0,
      ]];
    }
    if (dx !== null) {
      // x's batch axis becomes a free axis of x; find where it lands in the output.
      const sh = (l: number[]) => l.map((a) => (a >= dx ? a + 1 : a));
      const xFree = remaining(x.ndim, sh(xc), sh(xb));
      const out = lax.dot_general(x, y, [[sh(xc), yc], [sh(xb), yb]], p.preferred_element_type);
      return [[out], [xb.length + xFree.indexOf(dx)]];
    }
    const sh = (l: number[]) => l.map((a) => (a >= dy! ? a + 1 : a));
    const yFree = remaining(y.ndim, sh(yc), sh(yb));
    const xFreeN = x.ndim - xc.length - xb.length;
    const out = lax.dot_general(x, y, [[xc, sh(yc)], [xb, sh(yb)]], p.preferred_element_type);
    return [[out], [xb.length + xFreeN + yFree.indexOf(dy!)]];
  },
};

/** The rule records of the reductions and dot_general. */
export const reduceRules: Rules<AxesPrim | CumPrim | "dot_general"> = {
  reduce_sum: {
    ...reduceRule("reduce_sum", "sum"),
    jvp: linearJvp("reduce_sum"),
    transpose: ([ct], [x], p) => [ct instanceof Zero ? null : unreduce(ct, (x as UndefPrimal).aval.shape, p.axes)],
  },
  reduce_max: { ...reduceRule("reduce_max", "max"), jvp: chooserJvp("reduce_max"), transpose: null },
  reduce_min: { ...reduceRule("reduce_min", "min"), jvp: chooserJvp("reduce_min"), transpose: null },
  reduce_prod: { ...reduceRule("reduce_prod", "prod"), jvp: prodJvp, transpose: null },
  argmax: argRule("argmax"),
  argmin: argRule("argmin"),
  cumsum: cumRule("cumsum"),
  cumprod: cumRule("cumprod"),
  cummax: cumRule("cummax"),
  cummin: cumRule("cummin"),
  dot_general: dotGeneral,
};
