/**
 * `jnp`: the numpy API over jaxd's primitives. Every function is a composite
 * of lax primitives, so all of them work under jit, grad and vmap.
 *
 * @module
 */

import { installArrayMethods, type NDArray } from "./array.ts";
import { fromHost } from "./runtime.ts";
import { installLiteralMaker } from "./trace/jaxpr.ts";
import "./ops/rules.ts";
import * as lax from "./lax.ts";
import * as creation from "./numpy/creation.ts";
import * as ew from "./numpy/elementwise.ts";
import * as idx from "./numpy/indexing.ts";
import * as la from "./numpy/linalg.ts";
import * as red from "./numpy/reductions.ts";
import * as shp from "./numpy/shape.ts";

export * from "./numpy/creation.ts";
export * from "./numpy/elementwise.ts";
export * from "./numpy/reductions.ts";
export * from "./numpy/shape.ts";
export * from "./numpy/sorting.ts";
export * from "./numpy/arrays.ts";
export * from "./numpy/numeric.ts";
export { dot, einsum, inner, linalg, matmul, outer, tensordot, vdot } from "./numpy/linalg.ts";
export { take } from "./numpy/indexing.ts";
export type { ArrayLike, NDArray } from "./array.ts";
export type { DType } from "./dtype.ts";

/**
 * Converts an array's dtype.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.astype(jnp.array([1.7, -2.2]), "int32"); // Array([ 1, -2], dtype=int32)
 * ```
 */
export function astype(x: NDArray, dtype: string): NDArray {
  return creation.asarray(x, { dtype });
}

installArrayMethods({
  add: ew.add,
  subtract: ew.subtract,
  multiply: ew.multiply,
  divide: ew.divide,
  floor_divide: ew.floor_divide,
  remainder: ew.remainder,
  power: ew.power,
  negative: ew.negative,
  abs: ew.abs,
  less: ew.less,
  less_equal: ew.less_equal,
  greater: ew.greater,
  greater_equal: ew.greater_equal,
  equal: ew.equal,
  not_equal: ew.not_equal,
  matmul: la.matmul,
  reshape: shp.reshape,
  transpose: shp.transpose,
  ravel: shp.ravel,
  squeeze: shp.squeeze,
  astype: (x, d) => creation.asarray(x, { dtype: d }),
  getitem: idx.getitem,
  setitem: idx.setitem,
  sum: red.sum,
  mean: red.mean,
  max: red.max,
  min: red.min,
  prod: red.prod,
  any: red.any,
  all: red.all,
  var: red.variance,
  std: red.std,
  argmax: red.argmax,
  argmin: red.argmin,
  cumsum: red.cumsum,
});

installLiteralMaker((l) => fromHost([l.value], [], l.aval.dtype, l.aval.weakType));

export { lax };
export { load_csv } from "./io.ts";
