/**
 * What every jnp function starts with: turning arguments into arrays, and
 * numpy's promotion of dtypes (JAX's rules, weak types included) and ranks.
 *
 * @module
 */

import { type ArrayLike, NDArray, type NestedNumbers, type TypedNumbers } from "../array.ts";
import { defaultFloat, type DType, isFloat, parseDType, resultType } from "../dtype.ts";
import { DTypeError, fmtShape, ShapeError } from "../errors.ts";
import * as lax from "../lax.ts";
import { fromHost, scalar } from "../runtime.ts";
import { broadcastShapes, shapeEq } from "../shape.ts";

/** A dtype given by name (`"float32"`) or through the jnp constants (`jnp.float32`). */
export type DTypeLike = DType | string;

/** The weak dtype a JS number takes: int32 for integers, the default float otherwise. */
export function numberDType(v: number): DType {
  return Number.isInteger(v) ? "int32" : defaultFloat();
}

/**
 * Converts an argument to an array. JS numbers become weak scalars; nested
 * JS arrays become float arrays (bool for booleans) unless a dtype is given.
 */
export function asArray(x: ArrayLike, dtype?: DTypeLike, op = "asarray"): NDArray {
  const d = dtype === undefined ? undefined : parseDType(dtype, op);
  if (x instanceof NDArray) return d && d !== x.dtype ? lax.convert_element_type(x, d) : x;
  if (typeof x === "number") return scalar(x, d ?? numberDType(x), d === undefined);
  if (typeof x === "boolean") return scalar(x ? 1 : 0, d ?? "bool", false);
  if (Array.isArray(x)) return fromNested(x, d, op);
  if (
    ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array || x instanceof BigUint64Array)
  ) {
    return fromHost(x as TypedNumbers, [x.length], d ?? typedDType(x as TypedNumbers));
  }
  throw new DTypeError(
    `${op}: cannot convert ${describe(x)} to an array; pass a number, a boolean, nested arrays of them, ` +
      `or a Float32Array/Float64Array/Int32Array/Uint32Array (or smaller integer typed array)`,
  );
}

/** The dtype a typed array's values keep (see TypedNumbers). */
function typedDType(x: TypedNumbers): DType {
  if (x instanceof Float32Array) return "float32";
  if (x instanceof Float64Array) return defaultFloat();
  if (x instanceof Uint32Array) return "uint32";
  return "int32";
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "object";
  return typeof x;
}

function fromNested(x: NestedNumbers, dtype: DType | undefined, op: string): NDArray {
  if (containsArray(x)) {
    const parts = x.map((e) => (Array.isArray(e) ? fromNested(e, dtype, op) : asArray(e as ArrayLike, dtype, op)));
    const [first] = parts;
    if (parts.some((p) => p.shape.join() !== first.shape.join())) {
      throw new ShapeError(`${op}: nested sequences have different shapes`);
    }
    const t = resultType(...parts.map((p) => ({ dtype: p.dtype, weak: false })));
    return lax.concatenate(parts.map((p) => lax.expand_dims(lax.convert_element_type(p, dtype ?? t.dtype), [0])), 0);
  }
  const shape: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const flat: number[] = [];
  let allBool = true, anyValue = false;
  const walk = (v: unknown, depth: number) => {
    if (depth < shape.length) {
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        throw new ShapeError(
          `${op}: ragged nested sequence; every row at depth ${depth} must have length ${shape[depth]}`,
        );
      }
      for (const e of v) walk(e, depth + 1);
    } else {
      if (typeof v === "boolean") flat.push(v ? 1 : 0);
      else if (typeof v === "number") {
        allBool = false;
        flat.push(v);
      } else throw new DTypeError(`${op}: element ${describe(v)} is not a number or boolean`);
      anyValue = true;
    }
  };
  walk(x, 0);
  const d = dtype ?? (anyValue && allBool ? "bool" : defaultFloat());
  return fromHost(flat, shape, d);
}

function containsArray(x: unknown): boolean {
  return Array.isArray(x) && x.some((e) => e instanceof NDArray || containsArray(e));
}

/** A 0-d constant `v` of `x`'s dtype (a literal in an expression over `x`). */
export function scalarLike(x: NDArray, v: number): NDArray {
  return lax.full([], v, x.dtype);
}

/** Converts to `dtype` keeping the weak flag as given, without staging a conversion of JS numbers. */
export function toType(x: ArrayLike, dtype: DType, weak: boolean): NDArray {
  if (typeof x === "number" || typeof x === "boolean") return scalar(Number(x), dtype, weak);
  const a = asArray(x);
  if (a.dtype === dtype && a.weakType === weak) return a;
  if (a.dtype === dtype && !weak) return a;
  return lax.convert_element_type(a, dtype, weak);
}

/** numpy's result dtype of the arguments (JAX's rules). */
export function resultOf(...xs: ArrayLike[]): { dtype: DType; weak: boolean } {
  return resultType(...xs.map((x) => {
    if (x instanceof NDArray) return { dtype: x.dtype, weak: x.weakType };
    if (typeof x === "number") return { dtype: numberDType(x), weak: true };
    if (typeof x === "boolean") return { dtype: "bool" as DType, weak: false };
    const a = asArray(x);
    return { dtype: a.dtype, weak: false };
  }));
}

/**
 * Promotes arguments to a common dtype and compatible ranks, checking that
 * their shapes broadcast (the error names `op` and the shapes).
 */
export function promote(op: string, ...xs: ArrayLike[]): NDArray[] {
  const { dtype, weak } = resultOf(...xs);
  return promoteTo(op, dtype, weak, xs);
}

/** Like promote, then converts ints and bools to the default float (for exp, sin, divide, ...). */
export function promoteFloat(op: string, ...xs: ArrayLike[]): NDArray[] {
  const r = resultOf(...xs);
  const dtype = isFloat(r.dtype) ? r.dtype : defaultFloat();
  return promoteTo(op, dtype, r.weak, xs);
}

function promoteTo(op: string, dtype: DType, weak: boolean, xs: ArrayLike[]): NDArray[] {
  const arrs = xs.map((x) => toType(x, dtype, weak));
  if (arrs.length < 2) return arrs;
  broadcastShapes(op, ...arrs.map((a) => a.shape));
  return alignRanks(arrs);
}

/**
 * Gives non-scalar arrays a common rank by adding leading size-1 axes (as
 * JAX's `_promote_shapes`); scalars stay scalars, lax broadcasts them.
 */
export function alignRanks(arrs: NDArray[]): NDArray[] {
  const ranks = new Set(arrs.filter((a) => a.ndim > 0).map((a) => a.ndim));
  if (ranks.size < 2) return arrs;
  const rank = Math.max(...ranks);
  return arrs.map((a) => (a.ndim === 0 || a.ndim === rank ? a : lax.broadcast(a, Array(rank - a.ndim).fill(1))));
}

/** Converts arguments to their common dtype only (for ops with their own shape rules). */
export function promoteDTypes(...xs: ArrayLike[]): NDArray[] {
  const { dtype, weak } = resultOf(...xs);
  return xs.map((x) => toType(x, dtype, weak));
}

/** promoteDTypes, then ints and bools to the default float. */
export function promoteFloatDTypes(...xs: ArrayLike[]): NDArray[] {
  const r = resultOf(...xs);
  return xs.map((x) => toType(x, isFloat(r.dtype) ? r.dtype : defaultFloat(), r.weak));
}

/** Broadcasts an array to `shape` (numpy rules). */
export function broadcastTo(x: NDArray, shape: readonly number[], op = "broadcast_to"): NDArray {
  if (shapeEq(x.shape, shape)) return x;
  const out = broadcastShapes(op, x.shape, shape);
  if (!shapeEq(out, shape)) {
    throw new ShapeError(`${op}: cannot broadcast shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  const lead = shape.length - x.ndim;
  const keep = x.shape.map((d, i) => (d === shape[i + lead] ? i : -1)).filter((i) => i >= 0);
  const squeezed = keep.length === x.ndim ? x : lax.reshape(x, keep.map((i) => x.shape[i]));
  return lax.broadcast_in_dim(squeezed, [...shape], keep.map((i) => i + lead));
}
