/**
 * `jnp.linalg` decompositions and determinants, as composites over the
 * primitives of lib/ops/linalg.ts and lib/ops/linalg_decomp.ts, following
 * jax/_src/numpy/linalg.py: det (analytic for 2×2 and 3×3, else LU with the
 * cofactor-solve jvp that stays finite on singular matrices), slogdet (LU with
 * the `trace(solve(a, ȧ))` jvp), cholesky, eigh, eigvalsh, qr, svd and lstsq.
 *
 * @module
 */

import { custom_jvp } from "../api.ts";
import type { ArrayLike, NDArray } from "../array.ts";
import { type DType, isFloat } from "../dtype.ts";
import { fmtShape, InternalError, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { bmm, diagonal, eyeBatch, mT, triangularSolve } from "../ops/linalg.ts";
import { permutationMatrix } from "../ops/linalg_decomp.ts";
import { promoteFloat, promoteFloatDTypes } from "./util.ts";

const squareOf = (op: string, x: ArrayLike): NDArray => {
  const a = promoteFloat(op, x)[0];
  if (a.ndim < 2 || a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
    throw new ShapeError(`${op}: needs a square matrix or a batch of them [..., n, n], got ${fmtShape(a.shape)}`);
  }
  return a;
};

/** `x[..., i, j]` for static i, j. */
const at = (x: NDArray, i: number, j: number): NDArray => {
  const nd = x.ndim;
  const lo = x.shape.map((_, k) => (k === nd - 2 ? i : k === nd - 1 ? j : 0));
  const hi = x.shape.map((d, k) => (k === nd - 2 ? i + 1 : k === nd - 1 ? j + 1 : d));
  return lax.reshape(lax.slice(x, lo, hi), x.shape.slice(0, -2));
};

/** `x[..., lo:hi]` along the last axis. */
const lastSlice = (x: NDArray, lo: number, hi: number): NDArray =>
  lax.slice(x, x.shape.map((_, k) => (k === x.ndim - 1 ? lo : 0)), x.shape.map((d, k) => (k === x.ndim - 1 ? hi : d)));

const trace = (x: NDArray): NDArray => lax.reduce_sum(diagonal(x), [x.ndim - 2]);
const countTrue = (p: NDArray, axis: number): NDArray => lax.reduce_sum(lax.convert_element_type(p, "int32"), [axis]);
const upperSolve = { left_side: true, lower: false, transpose_a: false, conjugate_a: false, unit_diagonal: false };
const unitLowerSolve = { left_side: true, lower: true, transpose_a: false, conjugate_a: false, unit_diagonal: true };

/** The sign of the LU permutation: `(-1) ** (number of row swaps)`, as `dtype`. */
function pivotSign(pivots: NDArray, dtype: DType): NDArray {
  const n = pivots.shape[pivots.ndim - 1];
  const iota = lax.broadcast_in_dim(lax.iota("int32", [n], 0), [...pivots.shape], [pivots.ndim - 1]);
  return parityToSign(countTrue(lax.ne(pivots, iota), pivots.ndim - 1), dtype);
}

const parityToSign = (parity: NDArray, dtype: DType): NDArray =>
  lax.convert_element_type(lax.sub(1, lax.mul(2, lax.rem(parity, 2))), dtype);

// ---------------------------------------------------------------- slogdet

const slogdetSmall = custom_jvp((a: NDArray) => {
  const det = a.shape[a.ndim - 1] === 1 ? at(a, 0, 0) : det2(a);
  return [lax.sign(det), lax.log(lax.abs(det))];
});
slogdetSmall.defjvp(([x]: NDArray[], [g]: NDArray[]) => {
  const [sign, ans] = slogdetSmall(x) as NDArray[];
  let ansDot: NDArray;
  if (x.shape[x.ndim - 1] === 1) ansDot = lax.div(at(g, 0, 0), at(x, 0, 0));
  else {
    const num = lax.add(
      lax.sub(
        lax.sub(lax.mul(at(g, 0, 0), at(x, 1, 1)), lax.mul(at(g, 0, 1), at(x, 1, 0))),
        lax.mul(at(g, 1, 0), at(x, 0, 1)),
      ),
      lax.mul(at(g, 1, 1), at(x, 0, 0)),
    );
    ansDot = lax.div(num, det2(x));
  }
  return [[sign, ans], [lax.zeros_like(sign), ansDot]];
});

const slogdetLu = custom_jvp((a: NDArray) => {
  const [lu, pivots] = lax.linalg_lu(a);
  const diag = diagonal(lu);
  const last = diag.ndim - 1;
  const isZero = lax.gt(countTrue(lax.eq(diag, 0), last), 0);
  const n = pivots.shape[last];
  const iota = lax.broadcast_in_dim(lax.iota("int32", [n], 0), [...pivots.shape], [last]);
  const parity = lax.add(countTrue(lax.ne(pivots, iota), last), countTrue(lax.lt(diag, 0), last));
  const sign = lax.select_n(isZero, parityToSign(parity, a.dtype), lax.full([...isZero.shape], 0, a.dtype));
  const logdet = lax.select_n(
    isZero,
    lax.reduce_sum(lax.log(lax.abs(diag)), [last]),
    lax.full([...isZero.shape], -Infinity, a.dtype),
  );
  return [sign, logdet];
});
slogdetLu.defjvp(([x]: NDArray[], [g]: NDArray[]) => {
  const [sign, ans] = slogdetLu(x) as NDArray[];
  return [[sign, ans], [lax.zeros_like(sign), trace(lax.linalg_solve(x, g))]];
});

/**
 * Sign and natural log of the absolute determinant, `[sign, logabsdet]`, each
 * of shape `a.shape[:-2]`. A singular matrix gives sign 0 and logabsdet -inf.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [sign, logabsdet] = jnp.linalg.slogdet(jnp.array([[0, 2], [3, 0]]));
 * sign.item(); // -1
 * ```
 */
export function slogdet(a: ArrayLike): [NDArray, NDArray] {
  const x = squareOf("slogdet", a);
  const n = x.shape[x.ndim - 1];
  const [sign, logabsdet] = (n <= 2 ? slogdetSmall(x) : slogdetLu(x)) as NDArray[];
  return [sign, logabsdet];
}

// ---------------------------------------------------------------- det

function det2(a: NDArray): NDArray {
  return lax.sub(lax.mul(at(a, 0, 0), at(a, 1, 1)), lax.mul(at(a, 0, 1), at(a, 1, 0)));
}

function det3(a: NDArray): NDArray {
  const t = (i: number, j: number, k: number) => lax.mul(lax.mul(at(a, 0, i), at(a, 1, j)), at(a, 2, k));
  const plus = lax.add(lax.add(t(0, 1, 2), t(1, 2, 0)), t(2, 0, 1));
  return lax.sub(lax.sub(lax.sub(plus, t(2, 1, 0)), t(0, 2, 1)), t(1, 0, 2));
}

/**
 * JAX's `_cofactor_solve`: `[det(a), adj(a) @ b]`, computed from the LU
 * factors so it stays finite when `a` has rank n-1 (and is zero below that).
 */
function cofactorSolve(a: NDArray, b: NDArray): [NDArray, NDArray] {
  const n = a.shape[a.ndim - 1];
  const nd = a.ndim;
  if (n === 1) return [lax.reshape(a, a.shape.slice(0, -2)), b];
  let [lu, pivots, perm] = lax.linalg_lu(a);
  const diag = diagonal(lu);
  const sign = pivotSign(pivots, a.dtype);
  const partialDet = lax.mul(
    lax.cumprod(diag, nd - 2),
    lax.broadcast_in_dim(sign, [...diag.shape], [...sign.shape.keys()]),
  );
  const detA = lax.reshape(lastSlice(partialDet, n - 1, n), sign.shape);
  const detButLast = lax.reshape(lastSlice(partialDet, n - 2, n - 1), sign.shape);
  // lu[..., -1, -1] = 1 / partial_det[..., -2]
  const corner = lax.broadcast_in_dim(
    lax.eq(lax.add(lax.iota("int32", [n, n], 0), lax.iota("int32", [n, n], 1)), 2 * n - 2),
    [...lu.shape],
    [nd - 2, nd - 1],
  );
  const inv = lax.broadcast_in_dim(lax.reciprocal(detButLast), [...lu.shape], [...sign.shape.keys()]);
  lu = lax.select_n(corner, lu, inv);
  // Matrices of rank < n-1: the solve with the patched U still fails; their adjugate is zero.
  const d0 = triangularSolve(lu, lax.full([...a.shape.slice(0, -1), 1], 1, a.dtype), upperSolve);
  const bad = lax.gt(countTrue(lax.not(lax.is_finite(d0)), nd - 2), 0); // [..., 1]
  const badFull = lax.broadcast_in_dim(lax.reshape(bad, sign.shape), [...b.shape], [...sign.shape.keys()]);
  const zero = lax.full([...b.shape], 0, b.dtype);
  let x = lax.select_n(badFull, b, zero);
  x = bmm(permutationMatrix(perm, a.dtype), x);
  x = triangularSolve(lu, x, unitLowerSolve);
  const rows = lax.broadcast_in_dim(lax.lt(lax.iota("int32", [n], 0), n - 1), [...x.shape], [nd - 2]);
  const scale = lax.broadcast_in_dim(detA, [...x.shape], [...sign.shape.keys()]);
  x = lax.select_n(rows, x, lax.mul(x, scale));
  x = triangularSolve(lu, x, upperSolve);
  return [detA, lax.select_n(badFull, x, zero)];
}

const detLu = custom_jvp((a: NDArray) => {
  const [sign, logdet] = slogdetLu(a) as NDArray[];
  return lax.mul(sign, lax.exp(logdet));
});
detLu.defjvp(([x]: NDArray[], [g]: NDArray[]) => {
  const [y, z] = cofactorSolve(x, g);
  return [y, trace(z)];
});

/**
 * The determinant of a square matrix (or a batch, `[..., n, n]` → `[...]`).
 * 2×2 and 3×3 use the explicit formulas, larger sizes LU, as in JAX; the
 * gradient stays finite for singular matrices.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linalg.det(jnp.array([[1, 2], [3, 4]])).item(); // -2
 * ```
 */
export function det(a: ArrayLike): NDArray {
  const x = squareOf("det", a);
  const n = x.shape[x.ndim - 1];
  if (n === 2) return det2(x);
  if (n === 3) return det3(x);
  return detLu(x) as NDArray;
}

// ---------------------------------------------------------------- factorizations

/** Options of `jnp.linalg.cholesky`. */
export interface CholeskyOptions {
  /** Return the upper factor `U = Lᵀ` (default false). */
  upper?: boolean;
  /** Use `(a + aᵀ)/2` (default true), so gradients are symmetric. */
  symmetrizeInput?: boolean;
}

/**
 * The Cholesky factor of a symmetric positive-definite matrix: lower `L`
 * with `a = L Lᵀ` (or upper with `upper: true`). Not positive definite: NaNs.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linalg.cholesky(jnp.array([[4, 2], [2, 5]])).tolist(); // [[2, 0], [1, 2]]
 * ```
 */
export function cholesky(a: ArrayLike, o: CholeskyOptions = {}): NDArray {
  const x = squareOf("cholesky", a);
  const L = lax.linalg_cholesky(x, { symmetrizeInput: o.symmetrizeInput ?? true });
  return o.upper ? mT(L) : L;
}

/** Options of `jnp.linalg.eigh` and `eigvalsh`. */
export interface EighOptions {
  /** Which triangle is read when not symmetrizing: "L" (default) or "U". */
  UPLO?: "L" | "U";
  /** Use `(a + aᵀ)/2` (default true). */
  symmetrizeInput?: boolean;
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix,
 * `[w, v]` with `a v = v diag(w)`. Eigenvector signs are implementation-defined,
 * as in JAX.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [w, v] = jnp.linalg.eigh(jnp.array([[2, 1], [1, 2]]));
 * w.tolist(); // [1, 3]
 * ```
 */
export function eigh(a: ArrayLike, o: EighOptions = {}): [NDArray, NDArray] {
  const x = squareOf("eigh", a);
  const uplo = o.UPLO ?? "L";
  if (uplo !== "L" && uplo !== "U") throw new ValueError(`eigh: UPLO must be "L" or "U", got ${JSON.stringify(uplo)}`);
  const [v, w] = lax.linalg_eigh(x, { lower: uplo === "L", symmetrizeInput: o.symmetrizeInput ?? true });
  return [w, v];
}

/**
 * The eigenvalues (ascending) of a symmetric matrix.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linalg.eigvalsh(jnp.array([[2, 0], [0, 1]])).tolist(); // [1, 2]
 * ```
 */
export function eigvalsh(a: ArrayLike, o: EighOptions = {}): NDArray {
  return eigh(a, o)[0];
}

/**
 * QR decomposition `a = q r`. `mode`: "reduced" (default; q `[..., m, k]`,
 * r `[..., k, n]`, k = min(m, n)), "complete" (q `[..., m, m]`) or "r" (r only).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [q, r] = jnp.linalg.qr(jnp.array([[3, 1], [4, 2]]));
 * r.get(0, 0).item(); // -5
 * ```
 */
export function qr(a: ArrayLike, mode?: "reduced" | "complete"): [NDArray, NDArray];
/** Only `r` (see the other overload). */
export function qr(a: ArrayLike, mode: "r"): NDArray;
export function qr(a: ArrayLike, mode: "reduced" | "complete" | "r" = "reduced"): NDArray[] | NDArray {
  const x = promoteFloat("qr", a)[0];
  if (x.ndim < 2) throw new ShapeError(`qr: needs a matrix or a batch of them, got ${fmtShape(x.shape)}`);
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new ValueError(`qr: unsupported mode ${JSON.stringify(mode)}; use "reduced", "complete" or "r"`);
  }
  const [q, r] = lax.linalg_qr(x, { fullMatrices: mode === "complete" });
  return mode === "r" ? r : [q, r];
}

/** Options of `jnp.linalg.svd`. */
export interface SvdOptions {
  /** u `[..., m, m]` and vh `[..., n, n]` (default true), else `[..., m, k]` and `[..., k, n]`. */
  fullMatrices?: boolean;
  /** Return `[u, s, vh]` (default true), else only `s`. */
  computeUv?: boolean;
}

/**
 * Singular value decomposition `a = u diag(s) vh`, singular values descending.
 * Signs of singular vectors are implementation-defined, as in JAX.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const s = jnp.linalg.svd(jnp.array([[3, 0], [0, 4]]), { computeUv: false });
 * s.tolist(); // [4, 3]
 * const [u, s2, vh] = jnp.linalg.svd(jnp.array([[3, 0], [0, 4]]));
 * ```
 */
export function svd(a: ArrayLike, o?: SvdOptions & { computeUv?: true }): [NDArray, NDArray, NDArray];
/** Only the singular values (see the other overload). */
export function svd(a: ArrayLike, o: SvdOptions & { computeUv: false }): NDArray;
export function svd(a: ArrayLike, o: SvdOptions = {}): NDArray[] | NDArray {
  const x = promoteFloat("svd", a)[0];
  if (x.ndim < 2) throw new ShapeError(`svd: needs a matrix or a batch of them, got ${fmtShape(x.shape)}`);
  const outs = lax.linalg_svd(x, o);
  return (o.computeUv ?? true) ? outs : outs[0];
}

/**
 * Least-squares solution of `a x ≈ b` via the SVD, `[x, residuals, rank, s]`
 * as `numpy.linalg.lstsq` (residuals always computed, as JAX's default).
 * Zero singular values and those below `rcond * s[0]` are dropped; `rcond`
 * defaults to `eps * max(m, n)` (a negative one means eps). `a` is `[m, n]`, `b` is `[m]` or `[m, k]`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const [x] = jnp.linalg.lstsq(jnp.array([[1, 0], [0, 1], [1, 1]]), jnp.array([1, 1, 2]));
 * x.tolist(); // ≈ [1, 1]
 * ```
 */
export function lstsq(a: ArrayLike, b: ArrayLike, rcond: number | null = null): [NDArray, NDArray, NDArray, NDArray] {
  const [A, B0] = promoteFloatDTypes(a, b);
  if (A.ndim !== 2) throw new ShapeError(`lstsq: a must be 2-d [m, n], got ${fmtShape(A.shape)}`);
  if (B0.ndim !== 1 && B0.ndim !== 2) throw new ShapeError(`lstsq: b must be 1-d or 2-d, got ${fmtShape(B0.shape)}`);
  if (A.shape[0] !== B0.shape[0]) {
    throw new ShapeError(`lstsq: leading dimensions of a ${fmtShape(A.shape)} and b ${fmtShape(B0.shape)} must match`);
  }
  if (!isFloat(A.dtype)) throw new InternalError(`internal: lstsq expected a float dtype, got ${A.dtype}`);
  const B = B0.ndim === 1 ? lax.reshape(B0, [B0.shape[0], 1]) : B0;
  const [m, n] = A.shape;
  const eps = A.dtype === "float64" ? 2 ** -52 : A.dtype === "float16" ? 2 ** -10 : 2 ** -23;
  const rc = rcond === null ? eps * Math.max(m, n) : rcond < 0 ? eps : rcond;
  const [u, s, vt] = lax.linalg_svd(A, { fullMatrices: false });
  const k = s.shape[0];
  const s0 = lax.broadcast_in_dim(lax.reshape(lax.slice(s, [0], [1]), []), [k], []);
  const mask = lax.and(lax.gt(s, 0), lax.ge(s, lax.mul(s0, lax.full([], rc, s.dtype))));
  const rank = countTrue(mask, 0);
  const safeS = lax.select_n(mask, lax.full([k], 1, s.dtype), s);
  const sInv = lax.select_n(mask, lax.full([k], 0, s.dtype), lax.reciprocal(safeS));
  const uTb = lax.dot_general(u, B, [[[0], [0]], [[], []]]); // [k, nrhs]
  const scaled = lax.mul(lax.broadcast_in_dim(sInv, [...uTb.shape], [0]), uTb);
  let x = lax.dot_general(vt, scaled, [[[0], [0]], [[], []]]); // [n, nrhs]
  const r = lax.sub(B, lax.dot_general(A, x, [[[1], [0]], [[], []]]));
  const resid = lax.reduce_sum(lax.mul(r, r), [0]);
  if (B0.ndim === 1) x = lax.reshape(x, [n]);
  return [x, resid, rank, s];
}

// ---------------------------------------------------------------- pinv, matrix_rank, matrix_power

const epsOf = (dtype: DType) => (dtype === "float64" ? 2 ** -52 : dtype === "float16" ? 2 ** -10 : 2 ** -23);
const matmul = (a: NDArray, b: NDArray) => bmm(a, b);

function pinvCore(a: NDArray, rtol: number | null): NDArray {
  const [m, n] = a.shape.slice(-2);
  const rt = rtol ?? 10 * Math.max(m, n) * epsOf(a.dtype);
  const [u, s, vh] = lax.linalg_svd(a, { fullMatrices: false });
  const last = s.ndim - 1;
  const s0 = lax.broadcast_in_dim(lax.reshape(lastSlice(s, 0, 1), s.shape.slice(0, -1)), [...s.shape], [
    ...Array(last).keys(),
  ]);
  const kept = lax.select_n(
    lax.gt(s, lax.mul(s0, lax.full([], rt, s.dtype))),
    lax.full([...s.shape], Infinity, s.dtype),
    s,
  );
  const uT = mT(u); // [..., k, m]
  const scaled = lax.div(uT, lax.broadcast_in_dim(kept, [...uT.shape], [...Array(last).keys(), last]));
  return matmul(mT(vh), scaled);
}

/**
 * The Moore–Penrose pseudo-inverse `[..., n, m]` of `a` `[..., m, n]`, via the
 * SVD; singular values at most `rtol` times the largest are dropped (default
 * `10 * max(m, n) * eps`, as JAX). Differentiable by Golub & Pereyra's formula.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linalg.pinv(jnp.array([[2, 0], [0, 0]])).tolist(); // [[0.5, 0], [0, 0]]
 * ```
 */
export function pinv(a: ArrayLike, o: { rtol?: number } = {}): NDArray {
  const x = promoteFloat("pinv", a)[0];
  if (x.ndim < 2) throw new ShapeError(`pinv: needs a matrix or a batch of them, got ${fmtShape(x.shape)}`);
  const rtol = o.rtol ?? null;
  const f = custom_jvp((y: NDArray) => pinvCore(y, rtol));
  f.defjvp(([y]: NDArray[], [yDot]: NDArray[]) => {
    const p = pinvCore(y, rtol);
    const [m, n] = y.shape.slice(-2);
    const yDotT = mT(yDot);
    let pDot: NDArray;
    if (m >= n) {
      const s = matmul(matmul(p, mT(p)), yDotT);
      const t = matmul(matmul(yDotT, mT(p)), p);
      pDot = lax.add(
        lax.sub(lax.add(lax.neg(matmul(matmul(p, yDot), p)), s), matmul(matmul(s, y), p)),
        lax.sub(t, matmul(matmul(p, y), t)),
      );
    } else {
      const s = matmul(p, matmul(mT(p), yDotT));
      const t = matmul(yDotT, matmul(mT(p), p));
      pDot = lax.add(
        lax.sub(lax.add(lax.neg(matmul(p, matmul(yDot, p))), s), matmul(s, matmul(y, p))),
        lax.sub(t, matmul(p, matmul(y, t))),
      );
    }
    return [p, pDot];
  });
  return f(x) as NDArray;
}

/**
 * The rank of a matrix (or of each matrix of a batch): the number of singular
 * values above `rtol` (default `max(s) * max(m, n) * eps`), as JAX — note that
 * JAX compares a given `rtol` with the singular values directly.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linalg.matrix_rank(jnp.array([[1, 2], [2, 4]])).item(); // 1
 * ```
 */
export function matrix_rank(a: ArrayLike, o: { rtol?: number } = {}): NDArray {
  const x = promoteFloat("matrix_rank", a)[0];
  if (x.ndim < 2) {
    return lax.convert_element_type(lax.gt(countTrue(lax.ne(lax.reshape(x, [x.size]), 0), 0), 0), "int32");
  }
  const s = lax.linalg_svd(x, { fullMatrices: false, computeUv: false })[0];
  const last = s.ndim - 1;
  let tol: NDArray;
  if (o.rtol === undefined) {
    const scale = Math.max(...x.shape.slice(-2)) * epsOf(s.dtype);
    tol = lax.mul(lax.reduce_max(s, [last]), lax.full([], scale, s.dtype));
  } else tol = lax.full([...s.shape.slice(0, -1)], o.rtol, s.dtype);
  return countTrue(lax.gt(s, lax.broadcast_in_dim(tol, [...s.shape], [...Array(last).keys()])), last);
}

/**
 * `a` raised to an integer power by repeated squaring (negative powers invert
 * first; `n = 0` gives the identity), as `jnp.linalg.matrix_power`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.linalg.matrix_power(jnp.array([[1, 1], [0, 1]]), 3).tolist(); // [[1, 3], [0, 1]]
 * ```
 */
export function matrix_power(a: ArrayLike, n: number): NDArray {
  let x = squareOf("matrix_power", a);
  if (!Number.isInteger(n)) throw new ValueError(`matrix_power: the exponent must be an integer, got ${n}`);
  const size = x.shape[x.ndim - 1];
  const eye = eyeBatch(size, size, x.dtype, x.shape.slice(0, -2));
  if (n === 0) return eye;
  if (n < 0) {
    x = lax.linalg_solve(x, eye);
    n = -n;
  }
  if (n === 1) return x;
  if (n === 2) return matmul(x, x);
  if (n === 3) return matmul(matmul(x, x), x);
  let z: NDArray | null = null, result: NDArray | null = null;
  while (n > 0) {
    z = z === null ? x : matmul(z, z);
    const bit = n % 2;
    n = Math.floor(n / 2);
    if (bit) result = result === null ? z : matmul(result, z);
  }
  return result!;
}
