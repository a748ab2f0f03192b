/**
 * Shared helpers that keep each primitive's rule record short: kernel-backed
 * `impl`, elementwise lowering and shape rules, linear-jvp builders, batching
 * helpers, and `unbroadcast` for transposes.
 *
 * @module
 */

import type { ConcreteArray, NDArray } from "../array.ts";
import { type DType, isFloat } from "../dtype.ts";
import { DTypeError, fmtShape, ShapeError } from "../errors.ts";
import { type Expr, IDX, load, ravel, unravel } from "../kernel/ir.ts";
import * as lax from "../lax.ts";
import { runKernel } from "../runtime.ts";
import { shapeEq, stridesOf } from "../shape.ts";
import { ShapedArray } from "../trace/aval.ts";
import { type BatchDim, bind, bind1, type Rule, type Tangent, Zero } from "../trace/core.ts";
import type { Params, Primitive } from "./primitives.ts";

/** An `impl` that lowers to one kernel and runs it on the arrays' backend. */
export function kernelImpl<P extends Primitive>(
  abstractEval: Rule<P>["abstractEval"],
  lower: NonNullable<Rule<P>["lower"]>,
): Rule<P>["impl"] {
  return (args: ConcreteArray[], params: Params[P]) => {
    const avals = args.map((a) => a.aval);
    const [out] = abstractEval(avals, params);
    return [runKernel(lower(avals, params), args, out)];
  };
}

/** Loads input `i` (of shape `inShape`) broadcast to the output shape `outShape`. */
export function broadcastLoad(i: number, inAval: ShapedArray, outShape: readonly number[], flat: Expr = IDX): Expr {
  if (inAval.ndim === 0) return load(i, { op: "const", value: 0, dtype: "int32" }, inAval.dtype);
  const sameShape = inAval.shape.every((d, k) => d === outShape[k]);
  if (sameShape) return load(i, flat, inAval.dtype);
  const coords = unravel(flat, outShape);
  const strides = stridesOf(inAval.shape).map((s, k) => (inAval.shape[k] === 1 ? 0 : s));
  return load(i, ravel(coords, strides), inAval.dtype);
}

/**
 * The output shape of an elementwise op: operands are scalars or share a rank,
 * with each dimension equal or 1 (lax's broadcasting rule).
 */
export function elementwiseShape(op: string, avals: ShapedArray[]): number[] {
  // Written as loops: this runs for every elementwise op (twice when eager).
  let out: number[] | null = null;
  for (const a of avals) {
    const s = a.shape;
    if (s.length === 0) continue;
    if (out === null) {
      out = [...s];
      continue;
    }
    if (s.length !== out.length) {
      throw new ShapeError(
        `${op}: arrays must be scalars or have the same number of dimensions, got ${
          avals.map((a) => fmtShape(a.shape)).join(" and ")
        }`,
      );
    }
    for (let d = 0; d < s.length; d++) {
      if (s[d] === out[d] || s[d] === 1) continue;
      if (out[d] !== 1) {
        throw new ShapeError(
          `${op}: shapes ${avals.map((a) => fmtShape(a.shape)).join(" and ")} cannot be broadcast (dimension ${d})`,
        );
      }
      out[d] = s[d];
    }
  }
  return out ?? [];
}

/** Checks that all operands share one dtype. */
export function sameDType(op: string, avals: ShapedArray[]): DType {
  const d = avals[0].dtype;
  if (avals.some((a) => a.dtype !== d)) {
    throw new DTypeError(
      `${op}: operands must have the same dtype, got ${avals.map((a) => a.dtype).join(" and ")}; ` +
        `use jnp functions (which promote) or convert with astype`,
    );
  }
  return d;
}

/** Checks a float dtype for ops like exp, sin, log. */
export function floatOnly(op: string, d: DType): void {
  if (!isFloat(d)) {
    throw new DTypeError(`${op}: needs a float operand, got ${d}; convert with .astype("float32") first`);
  }
}

/** Output weak type: weak only if every operand is. */
export function allWeak(avals: ShapedArray[]): boolean {
  return avals.every((a) => a.weakType);
}

// ---- jvp helpers ----

/** Whether every tangent is a symbolic zero. */
export function allZero(ts: readonly Tangent[]): boolean {
  return ts.every((t) => t instanceof Zero);
}

/** Adds tangents, treating Zero as the identity. */
export function addTangents(a: Tangent, b: Tangent): Tangent {
  if (a instanceof Zero) return b;
  if (b instanceof Zero) return a;
  return lax.add_any(a, b);
}

/** A tangent shaped like `aval`, materialised if it is a symbolic zero. */
export function instantiate(t: Tangent): NDArray {
  return t instanceof Zero ? lax.full([...t.aval.shape], 0, t.aval.dtype) : t;
}

/** Broadcasts a tangent contribution to the output shape (for scalar/size-1 operands). */
export function broadcastTo(t: NDArray, shape: readonly number[]): NDArray {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  if (t.ndim === 0) return lax.broadcast_in_dim(t, [...shape], []);
  // Same rank with size-1 dims: squeeze them away and broadcast back.
  const keep = t.shape.map((d, i) => (d === shape[i] ? i : -1)).filter((i) => i >= 0);
  const squeezed = keep.length === t.ndim ? t : lax.reshape(t, keep.map((i) => t.shape[i]));
  return lax.broadcast_in_dim(squeezed, [...shape], keep);
}

/**
 * A jvp rule for a primitive whose tangent is a sum of one linear term per
 * input, like JAX's `ad.defjvp`. `terms[i](t, primals, out)` is input i's
 * contribution, or null when the primitive is constant in that input.
 */
export function defjvp<P extends Primitive>(
  prim: P,
  ...terms: (((t: NDArray, primals: NDArray[], out: NDArray) => NDArray) | null)[]
): Rule<P>["jvp"] {
  return (primals, tangents, params) => {
    const out = bind1(prim, primals, params);
    let acc: Tangent = new Zero(out.aval.withWeak(false));
    tangents.forEach((t, i) => {
      const term = terms[i];
      if (t instanceof Zero || !term) return;
      acc = addTangents(acc, broadcastTo(term(t, primals, out), out.shape));
    });
    return [[out], [acc]];
  };
}

/** A jvp rule for primitives whose derivative is zero (floor, sign, comparisons). */
export function zeroJvp<P extends Primitive>(prim: P): Rule<P>["jvp"] {
  return (primals, _tangents, params) => {
    const out = bind1(prim, primals, params);
    return [[out], [new Zero(out.aval)]];
  };
}

/** A jvp rule for linear primitives: the tangent is the primitive applied to the tangents. */
export function linearJvp<P extends Primitive>(prim: P): Rule<P>["jvp"] {
  return (primals, tangents, params) => {
    const out = bind1(prim, primals, params);
    if (allZero(tangents)) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(prim, tangents.map(instantiate), params)]];
  };
}

// ---- batching helpers ----

/** The batch size of a vmap rule's operands: the size of the first batched operand's batch axis. */
export function batchSize(args: readonly NDArray[], dims: readonly BatchDim[]): number {
  const k = dims.findIndex((d) => d !== null);
  return args[k].shape[dims[k]!];
}

/** Moves the batch axis of `x` to `to` (adding a broadcast one if unbatched). */
export function moveBatchAxis(x: NDArray, from: BatchDim, to: number, size: number): NDArray {
  if (from === null) {
    const b = lax.broadcast(x, [size]);
    return to === 0 ? b : moveaxis(b, 0, to);
  }
  return from === to ? x : moveaxis(x, from, to);
}

/** `jnp.moveaxis` at the lax level. */
export function moveaxis(x: NDArray, from: number, to: number): NDArray {
  const perm = [...Array(x.ndim).keys()].filter((i) => i !== from);
  perm.splice(to, 0, from);
  return lax.transpose(x, perm);
}

/** The vmap rule of unary elementwise primitives: apply as is. */
export function vectorized<P extends Primitive>(prim: P): Rule<P>["vmap"] {
  return ([x], [d], params) => [[bind1(prim, [x], params)], [d]];
}

/**
 * The vmap rule of n-ary elementwise primitives (JAX's broadcast_batcher):
 * batched operands get the batch axis in front, unbatched ones a size-1 axis
 * (scalars stay scalars), and lax's size-1 broadcasting does the rest.
 */
export function broadcastBatcher<P extends Primitive>(prim: P): Rule<P>["vmap"] {
  return (args, dims, params) => {
    const ranked = args.map((x, i) => [x, dims[i]] as const).filter(([x]) => x.ndim > 0);
    const first = ranked[0];
    const agree = ranked.every(([x, d]) => d === first[1] && shapeEq(x.shape, first[0].shape));
    const all = (outs: NDArray[], d: number): [NDArray[], BatchDim[]] => [outs, outs.map(() => d)];
    if (agree && first[1] !== null) return all(bind(prim, args, params), first[1]);
    const nd = Math.max(...args.map((x, i) => x.ndim - (dims[i] === null ? 0 : 1)));
    const moved = args.map((x, i) => {
      const d = dims[i];
      if (d === null) {
        if (x.ndim === 0) return x;
        return lax.reshape(x, [1, ...Array(nd - x.ndim).fill(1), ...x.shape]);
      }
      const y = d === 0 ? x : moveaxis(x, d, 0);
      const rank = y.ndim - 1;
      return rank === nd ? y : lax.reshape(y, [y.shape[0], ...Array(nd - rank).fill(1), ...y.shape.slice(1)]);
    });
    return all(bind(prim, moved, params), 0);
  };
}

// ---- transpose helpers ----

/** Sums a cotangent down to an operand's shape (undoing scalar/size-1 broadcasting). */
export function unbroadcast(aval: ShapedArray, ct: NDArray): NDArray {
  if (shapeEq(ct.shape, aval.shape)) return ct;
  if (aval.ndim === 0) {
    const s = lax.reduce_sum(ct, [...Array(ct.ndim).keys()]);
    return s;
  }
  const axes = aval.shape.map((d, i) => (d === 1 && ct.shape[i] !== 1 ? i : -1)).filter((i) => i >= 0);
  const summed = lax.reduce_sum(ct, axes);
  return lax.reshape(summed, [...aval.shape]);
}

/** A new aval. */
export function aval(shape: readonly number[], dtype: DType, weak = false): ShapedArray {
  return new ShapedArray(shape, dtype, weak);
}
