/**
 * Linear-algebra primitives. `solve(a, b)` solves `a x = b` for square `a`
 * (shape `[..., n, n]`) and `b` of shape `[..., n, k]`, batched over the
 * leading axes. Like JAX (LU with partial pivoting, no singularity check), a
 * singular `a` gives inf/nan rather than an error.
 *
 * @module
 */

import type { ConcreteArray, NDArray } from "../array.ts";
import { hostArray, isFloat } from "../dtype.ts";
import { DTypeError, fmtShape, ShapeError } from "../errors.ts";
import * as lax from "../lax.ts";
import { fromTyped } from "../runtime.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { bind1, type Rule, UndefPrimal, Zero } from "../trace/core.ts";
import { instantiate, moveBatchAxis } from "./util.ts";

const solveEval = ([a, b]: ShapedArray[]): ShapedArray[] => {
  const n = a.shape[a.ndim - 1];
  const ok = a.ndim >= 2 && a.shape[a.ndim - 2] === n && b.ndim === a.ndim &&
    b.shape[b.ndim - 2] === n && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
  if (!ok) {
    throw new ShapeError(
      `solve: a must be [..., n, n] and b [..., n, k] with the same leading axes; got ${fmtShape(a.shape)} and ${
        fmtShape(b.shape)
      }`,
    );
  }
  if (a.dtype !== b.dtype || !isFloat(a.dtype)) {
    throw new DTypeError(`solve: a and b must share a float dtype, got ${a.dtype} and ${b.dtype}`);
  }
  return [b.withWeak(false)];
};

/** LU with partial pivoting and substitution, per batch element, on the host. */
function solveHost(a: ConcreteArray, b: ConcreteArray): NDArray {
  const n = a.shape[a.ndim - 1], k = b.shape[b.ndim - 1];
  const batch = a.size / (n * n);
  const A = Float64Array.from(a.dataSync() as ArrayLike<number>);
  const B = Float64Array.from(b.dataSync() as ArrayLike<number>);
  for (let s = 0; s < batch; s++) {
    const ao = s * n * n, bo = s * n * k;
    for (let c = 0; c < n; c++) {
      let piv = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(A[ao + r * n + c]) > Math.abs(A[ao + piv * n + c])) piv = r;
      if (piv !== c) {
        for (let j = 0; j < n; j++) [A[ao + c * n + j], A[ao + piv * n + j]] = [A[ao + piv * n + j], A[ao + c * n + j]];
        for (let j = 0; j < k; j++) [B[bo + c * k + j], B[bo + piv * k + j]] = [B[bo + piv * k + j], B[bo + c * k + j]];
      }
      const d = A[ao + c * n + c];
      for (let r = c + 1; r < n; r++) {
        const f = A[ao + r * n + c] / d;
        if (f === 0) continue;
        for (let j = c; j < n; j++) A[ao + r * n + j] -= f * A[ao + c * n + j];
        for (let j = 0; j < k; j++) B[bo + r * k + j] -= f * B[bo + c * k + j];
      }
    }
    for (let c = n - 1; c >= 0; c--) {
      for (let j = 0; j < k; j++) {
        let v = B[bo + c * k + j];
        for (let m = c + 1; m < n; m++) v -= A[ao + c * n + m] * B[bo + m * k + j];
        B[bo + c * k + j] = v / A[ao + c * n + c];
      }
    }
  }
  const out = hostArray(b.dtype, B.length);
  out.set(B as never);
  return fromTyped(out, b.shape, b.dtype, b.backend);
}

const swapLast = (x: NDArray) => {
  const perm = [...Array(x.ndim).keys()];
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [perm[x.ndim - 1], perm[x.ndim - 2]];
  return lax.transpose(x, perm);
};

/** `a @ x` over the last two axes with batch axes in front. */
function batchedMatmul(a: NDArray, x: NDArray): NDArray {
  const nb = a.ndim - 2;
  const batch = [...Array(nb).keys()];
  return lax.dot_general(a, x, [[[nb + 1], [nb]], [batch, batch]]);
}

/** The solve primitive's rules. */
export const linalgRules: { solve: Rule<"solve"> } = {
  solve: {
    abstractEval: solveEval,
    lower: null,
    impl: ([a, b]) => [solveHost(a, b)],
    jvp: ([a, b], [ta, tb]) => {
      const x = bind1("solve", [a, b], {});
      if (ta instanceof Zero && tb instanceof Zero) return [[x], [new Zero(x.aval)]];
      let rhs = instantiate(tb);
      if (!(ta instanceof Zero)) rhs = lax.sub(rhs, batchedMatmul(ta, x));
      return [[x], [bind1("solve", [a, rhs], {})]];
    },
    transpose: ([ct], [a, b]) => {
      if (a instanceof UndefPrimal) throw new DTypeError("internal: solve is linear only in b");
      if (ct instanceof Zero || !(b instanceof UndefPrimal)) return [null, null];
      return [null, bind1("solve", [swapLast(a), ct], {})];
    },
    vmap: ([a, b], [da, db]) => {
      const size = da !== null ? a.shape[da] : b.shape[db!];
      return [[bind1("solve", [moveBatchAxis(a, da, 0, size), moveBatchAxis(b, db, 0, size)], {})], [0]];
    },
  },
};
