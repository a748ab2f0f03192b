/**
 * What tests/nn.test.ts and tests/stats.test.ts share: decoding the arrays of
 * tests/fixtures/breadth_golden.json (written by scripts/gen_breadth_golden.py,
 * non-finite values as strings), deterministic cotangent weights, and the
 * tolerance check against a golden array.
 *
 * @module
 */

import assert from "node:assert/strict";
import { jnp, type NDArray } from "../mod.ts";

/** One golden value: a number, or "nan", "inf", "-inf". */
export type Cell = number | string;
/** A golden array. */
export interface Enc {
  shape: number[];
  data: Cell[];
}

/** A golden value as a number. */
export const num = (c: Cell): number =>
  typeof c === "number" ? c : c === "inf" ? Infinity : c === "-inf" ? -Infinity : NaN;

/** A golden array as a float32 array. */
export const dec = (e: Enc): NDArray => jnp.array(e.data.map(num), { dtype: "float32" }).reshape(e.shape);

/** Cotangent weights (1/3, 2/3, ... 5/3 repeating) for checking gradients of non-scalar functions. */
export const weights = (shape: number[]): NDArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  return jnp.array(Array.from({ length: n }, (_, i) => ((i % 5) + 1) / 3), { dtype: "float32" }).reshape(shape);
};

/** `got` has `want`'s shape and values within atol + rtol * |want| (non-finite ones exactly). */
export function assertClose(got: NDArray, want: Enc, what: string, rtol = 2e-5, atol = 2e-6): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const g = got.ravel().tolist() as number[];
  want.data.map(num).forEach((w, i) => {
    const v = g[i];
    if (Number.isNaN(w)) return assert.ok(Number.isNaN(v), `${what}[${i}]: got ${v}, want nan`);
    if (!Number.isFinite(w)) return assert.equal(v, w, `${what}[${i}]`);
    assert.ok(Math.abs(v - w) <= atol + rtol * Math.abs(w), `${what}[${i}]: got ${v}, want ${w}`);
  });
}
