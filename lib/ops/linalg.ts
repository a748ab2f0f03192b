/**
 * Linear-algebra primitives computed on the host in float64 (results rounded
 * to the operand dtype), batched over leading axes, as JAX's `lax.linalg`:
 *
 * - `solve(a, b)`: `a x = b` for square `a` `[..., n, n]` and `b` `[..., n, k]`
 *   by LU with partial pivoting (LAPACK getrf's conventions). Like JAX, a
 *   singular `a` gives inf/nan rather than an error.
 * - `triangular_solve(a, b)`: `op(a) x = b` (left side) or `x op(a) = b`,
 *   reading only the `lower`/upper triangle of `a`.
 * - `cholesky(a)`: the lower factor `L` of `a = L Lᵀ`, reading only the lower
 *   triangle; a matrix that is not positive definite gives NaN in the lower
 *   triangle (JAX's CPU behaviour: all-NaN, then `tril`).
 *
 * The decompositions with several outputs (lu, eigh, qr, svd) are in
 * lib/ops/linalg_decomp.ts.
 *
 * @module
 */

import type { ConcreteArray, NDArray } from "../array.ts";
import type { Backend } from "../backend.ts";
import { type DType, hostArray, isFloat } from "../dtype.ts";
import { DTypeError, fmtShape, InternalError, ShapeError } from "../errors.ts";
import * as lax from "../lax.ts";
import { fromTyped } from "../runtime.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { type BatchDim, bind, bind1, type Rule, UndefPrimal, Zero } from "../trace/core.ts";
import type { Params, Primitive } from "./primitives.ts";
import { batchSize, instantiate, moveBatchAxis } from "./util.ts";

// ---------------------------------------------------------------- shared helpers

/** Swaps the last two axes. */
export function mT(x: NDArray): NDArray {
  const perm = [...Array(x.ndim).keys()];
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [perm[x.ndim - 1], perm[x.ndim - 2]];
  return lax.transpose(x, perm);
}

/** `a @ b` over the last two axes; both have the same leading (batch) axes. */
export function bmm(a: NDArray, b: NDArray): NDArray {
  const nb = a.ndim - 2;
  const batch = [...Array(nb).keys()];
  return lax.dot_general(a, b, [[[nb + 1], [nb]], [batch, batch]]);
}

/** Keeps the lower (`j <= i + k`) or upper (`j >= i + k`) triangle of the last two axes, zeros elsewhere. */
export function tri(x: NDArray, k: number, lower: boolean): NDArray {
  const [n, m] = x.shape.slice(-2);
  const rows = lax.iota("int32", [n, m], 0), cols = lax.iota("int32", [n, m], 1);
  const diff = lax.sub(cols, rows);
  const keep = lower ? lax.le(diff, k) : lax.ge(diff, k);
  const mask = lax.broadcast_in_dim(keep, [...x.shape], [x.ndim - 2, x.ndim - 1]);
  return lax.select_n(mask, lax.full([...x.shape], 0, x.dtype), x);
}

/** An identity matrix `[n, m]` broadcast to `[...lead, n, m]`. */
export function eyeBatch(n: number, m: number, dtype: DType, lead: readonly number[] = []): NDArray {
  const e = lax.convert_element_type(lax.eq(lax.iota("int32", [n, m], 0), lax.iota("int32", [n, m], 1)), dtype);
  return lead.length ? lax.broadcast_in_dim(e, [...lead, n, m], [lead.length, lead.length + 1]) : e;
}

/** The diagonal of the last two axes: `[..., n, n]` -> `[..., n]`. */
export function diagonal(x: NDArray): NDArray {
  const n = x.shape[x.ndim - 1];
  return lax.reduce_sum(lax.mul(x, eyeBatch(n, n, x.dtype, x.shape.slice(0, -2))), [x.ndim - 1]);
}

/** A host float64 copy of an array's values. */
export function hostF64(x: ConcreteArray): Float64Array {
  return Float64Array.from(x.dataSync() as ArrayLike<number>);
}

/** Host values rounded to `dtype` as an array on `backend`. */
export function fromF64(v: ArrayLike<number>, shape: readonly number[], dtype: DType, backend: Backend): NDArray {
  const out = hostArray(dtype, shape.reduce((a, b) => a * b, 1));
  out.set(v as never);
  return fromTyped(out, shape, dtype, backend);
}

/** Checks `[..., n, n]` with a float dtype; returns n. */
export function checkSquare(op: string, a: ShapedArray): number {
  const n = a.shape[a.ndim - 1];
  if (a.ndim < 2 || a.shape[a.ndim - 2] !== n) {
    throw new ShapeError(`${op}: needs a square matrix or a batch of them [..., n, n], got ${fmtShape(a.shape)}`);
  }
  if (!isFloat(a.dtype)) {
    throw new DTypeError(`${op}: needs a float matrix, got ${a.dtype}; convert with .astype("float32")`);
  }
  return n;
}

/** The vmap rule of the linalg primitives: every operand's batch axis moved to the front. */
export function batchAtFront<P extends Primitive>(prim: P): Rule<P>["vmap"] {
  return (args: NDArray[], dims: BatchDim[], params: Params[P]) => {
    const size = batchSize(args, dims);
    const outs = bind(prim, args.map((x, i) => moveBatchAxis(x, dims[i], 0, size)), params);
    return [outs, outs.map(() => 0)];
  };
}

// ---------------------------------------------------------------- LU (LAPACK getrf conventions)

/**
 * In-place LU with partial pivoting of `batch` m×n matrices stored row-major
 * in `A` (unit lower L below the diagonal, U on and above), k = min(m, n)
 * elimination steps. As LAPACK's getf2: the pivot is the first largest |value|;
 * a zero pivot column is left unscaled. Returns the k swap pivots and the
 * resulting permutation of the m rows.
 */
export function luHost(
  A: Float64Array,
  m: number,
  n: number,
  batch: number,
): { pivots: Int32Array; perm: Int32Array } {
  const k = Math.min(m, n);
  const pivots = new Int32Array(batch * k), perm = new Int32Array(batch * m);
  for (let s = 0; s < batch; s++) {
    const o = s * m * n;
    const p = [...Array(m).keys()];
    for (let c = 0; c < k; c++) {
      let piv = c;
      for (let r = c + 1; r < m; r++) if (Math.abs(A[o + r * n + c]) > Math.abs(A[o + piv * n + c])) piv = r;
      pivots[s * k + c] = piv;
      if (piv !== c) {
        for (let j = 0; j < n; j++) [A[o + c * n + j], A[o + piv * n + j]] = [A[o + piv * n + j], A[o + c * n + j]];
        [p[c], p[piv]] = [p[piv], p[c]];
      }
      const d = A[o + c * n + c];
      if (d !== 0) { for (let r = c + 1; r < m; r++) A[o + r * n + c] /= d; }
      for (let r = c + 1; r < m; r++) {
        const f = A[o + r * n + c];
        if (f === 0) continue;
        for (let j = c + 1; j < n; j++) A[o + r * n + j] -= f * A[o + c * n + j];
      }
    }
    perm.set(p, s * m);
  }
  return { pivots, perm };
}

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

/** LU, then the permuted right-hand side through unit-L and U substitutions (as JAX's lu_solve). */
function solveHost(a: ConcreteArray, b: ConcreteArray): NDArray {
  const n = a.shape[a.ndim - 1], k = b.shape[b.ndim - 1];
  const batch = a.size / (n * n);
  const A = hostF64(a), B0 = hostF64(b);
  const { perm } = luHost(A, n, n, batch);
  const B = new Float64Array(B0.length);
  for (let s = 0; s < batch; s++) {
    const ao = s * n * n, bo = s * n * k;
    for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) B[bo + r * k + j] = B0[bo + perm[s * n + r] * k + j];
    for (let r = 0; r < n; r++) {
      for (let m = 0; m < r; m++) {
        const f = A[ao + r * n + m];
        for (let j = 0; j < k; j++) B[bo + r * k + j] -= f * B[bo + m * k + j];
      }
    }
    for (let r = n - 1; r >= 0; r--) {
      for (let j = 0; j < k; j++) {
        let v = B[bo + r * k + j];
        for (let m = r + 1; m < n; m++) v -= A[ao + r * n + m] * B[bo + m * k + j];
        B[bo + r * k + j] = v / A[ao + r * n + r];
      }
    }
  }
  return fromF64(B, b.shape, b.dtype, b.backend);
}

// ---------------------------------------------------------------- triangular_solve

type TriParams = Params["triangular_solve"];

const triEval = ([a, b]: ShapedArray[], p: TriParams): ShapedArray[] => {
  const n = a.shape[a.ndim - 1];
  const common = p.left_side ? b.shape[b.ndim - 2] : b.shape[b.ndim - 1];
  const ok = a.ndim >= 2 && a.shape[a.ndim - 2] === n && b.ndim === a.ndim && common === n &&
    a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
  if (!ok) {
    throw new ShapeError(
      `triangular_solve: a must be [..., n, n] and b [..., ${
        p.left_side ? "n, k" : "k, n"
      }] (left_side=${p.left_side}) with the same leading axes; got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  }
  if (a.dtype !== b.dtype || !isFloat(a.dtype)) {
    throw new DTypeError(`triangular_solve: a and b must share a float dtype, got ${a.dtype} and ${b.dtype}`);
  }
  return [b.withWeak(false)];
};

/**
 * Solves with the triangle of `a`, per batch element. A right-side solve
 * `x op(a) = b` is the left-side solve `op(a)ᵀ xᵀ = bᵀ`.
 */
function triangularSolveHost(a: ConcreteArray, b: ConcreteArray, p: TriParams): NDArray {
  const n = a.shape[a.ndim - 1];
  const [r0, c0] = b.shape.slice(-2);
  const k = p.left_side ? c0 : r0; // right-hand sides per matrix
  const batch = a.size / (n * n);
  const A = hostF64(a), B = hostF64(b);
  const X = new Float64Array(B.length);
  const trans = p.transpose_a !== !p.left_side; // the effective left-side operator is op(a) or op(a)ᵀ
  const effLower = p.lower !== trans;
  const T = new Float64Array(n * n), R = new Float64Array(n * k);
  for (let s = 0; s < batch; s++) {
    const ao = s * n * n, bo = s * r0 * c0;
    T.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const inTri = p.lower ? j <= i : j >= i;
        if (!inTri) continue;
        const v = i === j && p.unit_diagonal ? 1 : A[ao + i * n + j];
        if (trans) T[j * n + i] = v;
        else T[i * n + j] = v;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) R[i * k + j] = p.left_side ? B[bo + i * c0 + j] : B[bo + j * c0 + i];
    }
    for (let step = 0; step < n; step++) {
      const i = effLower ? step : n - 1 - step;
      for (let j = 0; j < k; j++) {
        let v = R[i * k + j];
        if (effLower) { for (let m = 0; m < i; m++) v -= T[i * n + m] * R[m * k + j]; }
        else for (let m = i + 1; m < n; m++) v -= T[i * n + m] * R[m * k + j];
        R[i * k + j] = v / T[i * n + i];
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        if (p.left_side) X[bo + i * c0 + j] = R[i * k + j];
        else X[bo + j * c0 + i] = R[i * k + j];
      }
    }
  }
  return fromF64(X, b.shape, b.dtype, b.backend);
}

/** `lax.linalg.triangular_solve` at the primitive level. */
export function triangularSolve(a: NDArray, b: NDArray, p: TriParams): NDArray {
  return bind1("triangular_solve", [a, b], p);
}

/** JAX's `_triangular_solve_jvp_rule_a`: the tangent from `a`'s tangent `ga`. */
function triJvpA(ga: NDArray, x: NDArray, a: NDArray, p: TriParams): NDArray {
  const [m, n] = x.shape.slice(-2);
  const k = p.unit_diagonal ? 1 : 0;
  let g = lax.neg(p.lower ? tri(ga, -k, true) : tri(ga, k, false));
  if (p.transpose_a) g = mT(g);
  const aInv = (rhs: NDArray) => triangularSolve(a, rhs, p);
  if (p.left_side) return m > n ? aInv(bmm(g, x)) : bmm(aInv(g), x);
  return m < n ? aInv(bmm(x, g)) : bmm(x, aInv(g));
}

// ---------------------------------------------------------------- cholesky

/** Cholesky–Banachiewicz on the lower triangle; NaN in the lower triangle where not positive definite. */
function choleskyHost(a: ConcreteArray): NDArray {
  const n = a.shape[a.ndim - 1];
  const batch = a.size / (n * n);
  const A = hostF64(a);
  const L = new Float64Array(A.length);
  for (let s = 0; s < batch; s++) {
    const o = s * n * n;
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      let d = A[o + j * n + j];
      for (let m = 0; m < j; m++) d -= L[o + j * n + m] ** 2;
      if (!(d > 0)) {
        ok = false;
        break;
      }
      const ljj = Math.sqrt(d);
      L[o + j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let v = A[o + i * n + j];
        for (let m = 0; m < j; m++) v -= L[o + i * n + m] * L[o + j * n + m];
        L[o + i * n + j] = v / ljj;
      }
    }
    if (!ok) { for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[o + i * n + j] = NaN; }
  }
  return fromF64(L, a.shape, a.dtype, a.backend);
}

/** JAX's cholesky jvp (arXiv:1602.07527): `L̇ = L φ(L⁻¹ Σ̇ L⁻ᵀ)`, φ = lower triangle with a halved diagonal. */
function choleskyJvp(L: NDArray, sigmaDot: NDArray): NDArray {
  const n = L.shape[L.ndim - 1];
  const tmp = triangularSolve(L, sigmaDot, {
    left_side: false,
    lower: true,
    transpose_a: true,
    conjugate_a: true,
    unit_diagonal: false,
  });
  const inner = triangularSolve(L, tmp, {
    left_side: true,
    lower: true,
    transpose_a: false,
    conjugate_a: false,
    unit_diagonal: false,
  });
  const halfDiag = lax.add(lax.full([n, n], 1, L.dtype), eyeBatch(n, n, L.dtype));
  const phi = lax.div(tri(inner, 0, true), lax.broadcast_in_dim(halfDiag, [...inner.shape], [L.ndim - 2, L.ndim - 1]));
  return bmm(L, phi);
}

// ---------------------------------------------------------------- the rule records

/** The rules of solve, triangular_solve and cholesky. */
export const linalgRules: {
  solve: Rule<"solve">;
  triangular_solve: Rule<"triangular_solve">;
  cholesky: Rule<"cholesky">;
} = {
  solve: {
    abstractEval: solveEval,
    lower: null,
    impl: ([a, b]) => [solveHost(a, b)],
    jvp: ([a, b], [ta, tb]) => {
      const x = bind1("solve", [a, b], {});
      if (ta instanceof Zero && tb instanceof Zero) return [[x], [new Zero(x.aval)]];
      let rhs = instantiate(tb);
      if (!(ta instanceof Zero)) rhs = lax.sub(rhs, bmm(ta, x));
      return [[x], [bind1("solve", [a, rhs], {})]];
    },
    transpose: ([ct], [a, b]) => {
      if (a instanceof UndefPrimal) throw new InternalError("internal: solve is linear only in b");
      if (ct instanceof Zero || !(b instanceof UndefPrimal)) return [null, null];
      return [null, bind1("solve", [mT(a), ct], {})];
    },
    vmap: ([a, b], [da, db]) => {
      const size = da !== null ? a.shape[da] : b.shape[db!];
      return [[bind1("solve", [moveBatchAxis(a, da, 0, size), moveBatchAxis(b, db, 0, size)], {})], [0]];
    },
  },
  triangular_solve: {
    abstractEval: triEval,
    lower: null,
    impl: ([a, b], p) => [triangularSolveHost(a, b, p)],
    jvp: ([a, b], [ta, tb], p) => {
      const x = triangularSolve(a, b, p);
      let t: NDArray | Zero = new Zero(x.aval);
      if (!(tb instanceof Zero)) t = triangularSolve(a, tb, p);
      if (!(ta instanceof Zero)) {
        const fromA = triJvpA(ta, x, a, p);
        t = t instanceof Zero ? fromA : lax.add_any(t, fromA);
      }
      return [[x], [t]];
    },
    transpose: ([ct], [a, b], p) => {
      if (a instanceof UndefPrimal) throw new InternalError("internal: triangular_solve is linear only in b");
      if (ct instanceof Zero || !(b instanceof UndefPrimal)) return [null, null];
      return [null, triangularSolve(a, ct, { ...p, transpose_a: !p.transpose_a })];
    },
    vmap: batchAtFront("triangular_solve"),
  },
  cholesky: {
    abstractEval: ([a]) => {
      checkSquare("cholesky", a);
      return [a.withWeak(false)];
    },
    lower: null,
    impl: ([a]) => [choleskyHost(a)],
    jvp: ([a], [ta]) => {
      const L = bind1("cholesky", [a], {});
      return [[L], [ta instanceof Zero ? new Zero(L.aval) : choleskyJvp(L, ta)]];
    },
    transpose: null,
    vmap: batchAtFront("cholesky"),
  },
};
