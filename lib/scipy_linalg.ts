/**
 * `jax.scipy.linalg`: triangular and Cholesky solves and the SciPy-style
 * factorizations (cholesky, cho_factor, cho_solve, eigh, lu, lu_factor,
 * lu_solve, qr, svd, solve, solve_triangular), plus det and inv, following jax/_src/scipy/linalg.py.
 * Everything is differentiable, batches over leading axes and works under jit.
 *
 * @module
 */

import { custom_jvp } from "./api.ts";
import type { ArrayLike, NDArray } from "./array.ts";
import { fmtShape, ShapeError, ValueError } from "./errors.ts";
import * as lax from "./lax.ts";
import { linalg } from "./numpy/linalg.ts";
import { asArray, broadcastTo, promoteFloat, promoteFloatDTypes } from "./numpy/util.ts";
import { bmm, eyeBatch, mT, tri } from "./ops/linalg.ts";
import { permutationMatrix } from "./ops/linalg_decomp.ts";
import { broadcastShapes } from "./shape.ts";

/**
 * Brings `a` `[..., n, n]` and `b` (`[n]`, `[..., n]` when a has one more axis,
 * or `[..., n, k]`) to matrices with common batch axes; `vec` says whether to
 * drop the trailing axis of the result.
 */
function solveOperands(op: string, a: ArrayLike, b: ArrayLike): { A: NDArray; B: NDArray; vec: boolean } {
  let [A, B] = promoteFloatDTypes(a, b);
  const n = A.shape[A.ndim - 1];
  if (A.ndim < 2 || A.shape[A.ndim - 2] !== n) {
    throw new ShapeError(`${op}: a must be a square matrix or a batch of them [..., n, n], got ${fmtShape(A.shape)}`);
  }
  const vec = B.ndim === 1 || (A.ndim === B.ndim + 1 && B.shape[B.ndim - 1] === n);
  if (vec) B = lax.reshape(B, [...B.shape, 1]);
  if (B.ndim < 2 || B.shape[B.ndim - 2] !== n) {
    throw new ShapeError(
      `${op}: b must be [..., ${n}] or [..., ${n}, k] to match a ${fmtShape(A.shape)}, got ${
        fmtShape(vec ? B.shape.slice(0, -1) : B.shape)
      }`,
    );
  }
  const batch = broadcastShapes(op, A.shape.slice(0, -2), B.shape.slice(0, -2));
  A = broadcastTo(A, [...batch, n, n], op);
  B = broadcastTo(B, [...batch, ...B.shape.slice(-2)], op);
  return { A, B, vec };
}

const unvec = (x: NDArray, vec: boolean) => (vec ? lax.reshape(x, x.shape.slice(0, -1)) : x);

/**
 * Options of `solve_triangular`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const a = jnp.array([[2, 0], [1, 1]]);
 * jax.scipy.linalg.solve_triangular(a, jnp.array([2, 3]), { lower: true, trans: "N" });
 * // Array([1., 2.], dtype=float32)
 * ```
 */
export interface SolveTriangularOptions {
  /** 0 / "N": `a x = b`; 1 / "T": `aᵀ x = b`; 2 / "C": `aᴴ x = b` (same as "T" for reals). */
  trans?: 0 | 1 | 2 | "N" | "T" | "C";
  /** Use the lower triangle of `a` (default false: the upper one). */
  lower?: boolean;
  /** Treat the diagonal of `a` as ones. */
  unitDiagonal?: boolean;
}

/**
 * Solves `a x = b` (or `aᵀ x = b`) using only one triangle of `a`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const l = jnp.array([[2, 0], [1, 1]]);
 * jax.scipy.linalg.solve_triangular(l, jnp.array([2, 3]), { lower: true }).tolist(); // [1, 2]
 * ```
 */
export function solve_triangular(a: ArrayLike, b: ArrayLike, o: SolveTriangularOptions = {}): NDArray {
  const trans = o.trans ?? 0;
  let transposeA: boolean;
  if (trans === 0 || trans === "N") transposeA = false;
  else if (trans === 1 || trans === "T" || trans === 2 || trans === "C") transposeA = true;
  else throw new ValueError(`solve_triangular: invalid trans ${JSON.stringify(trans)}; use 0, 1, 2, "N", "T" or "C"`);
  const { A, B, vec } = solveOperands("solve_triangular", a, b);
  const x = lax.linalg_triangular_solve(A, B, {
    leftSide: true,
    lower: o.lower ?? false,
    transposeA,
    conjugateA: trans === 2 || trans === "C",
    unitDiagonal: o.unitDiagonal ?? false,
  });
  return unvec(x, vec);
}

/**
 * The Cholesky factor, SciPy style: upper `U` with `a = Uᵀ U` by default, or
 * lower `L` (`a = L Lᵀ`) with `lower: true`. Only that triangle of `a` is read.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.linalg.cholesky(jnp.array([[4, 2], [2, 5]])).tolist(); // [[2, 1], [0, 2]]
 * ```
 */
export function cholesky(a: ArrayLike, o: { lower?: boolean } = {}): NDArray {
  const x = promoteFloat("cholesky", a)[0];
  if (o.lower) return lax.linalg_cholesky(x, { symmetrizeInput: false });
  return mT(lax.linalg_cholesky(mT(x), { symmetrizeInput: false }));
}

/**
 * `[c, lower]` for `cho_solve`: the Cholesky factor (upper by default) and
 * which triangle it is. The other triangle of `c` is zero, as in JAX.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [c, lower] = jax.scipy.linalg.cho_factor(jnp.array([[4, 2], [2, 5]]));
 * lower; // false
 * ```
 */
export function cho_factor(a: ArrayLike, o: { lower?: boolean } = {}): [NDArray, boolean] {
  const lower = o.lower ?? false;
  return [cholesky(a, { lower }), lower];
}

/**
 * Solves `a x = b` given `cho_factor(a)`: two triangular solves.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const a = jnp.array([[4, 2], [2, 5]]);
 * jax.scipy.linalg.cho_solve(jax.scipy.linalg.cho_factor(a), jnp.array([6, 7])).tolist(); // [1, 1]
 * ```
 */
export function cho_solve(cAndLower: [ArrayLike, boolean], b: ArrayLike): NDArray {
  const [c, lower] = cAndLower;
  const { A, B, vec } = solveOperands("cho_solve", c, b);
  const y = lax.linalg_triangular_solve(A, B, { leftSide: true, lower, transposeA: !lower, conjugateA: !lower });
  const x = lax.linalg_triangular_solve(A, y, { leftSide: true, lower, transposeA: lower, conjugateA: lower });
  return unvec(x, vec);
}

/**
 * `[lu, piv]`: the packed LU factors (unit L below the diagonal, U on and
 * above) and the row swaps, as `scipy.linalg.lu_factor`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [lu, piv] = jax.scipy.linalg.lu_factor(jnp.array([[1, 2], [3, 4]]));
 * piv.tolist(); // [1, 1]
 * ```
 */
export function lu_factor(a: ArrayLike): [NDArray, NDArray] {
  const x = promoteFloat("lu_factor", a)[0];
  const [lu, pivots] = lax.linalg_lu(x);
  return [lu, pivots];
}

/** The row permutation produced by applying LU's sequential row swaps `pivots` `[..., k]` to `m` rows. */
function pivotsToPermutation(pivots: NDArray, m: number): NDArray {
  const lead = pivots.shape.slice(0, -1);
  const shape = [...lead, m];
  const iota = lax.broadcast_in_dim(lax.iota("int32", [m], 0), shape, [lead.length]);
  let perm = iota;
  for (let i = 0; i < pivots.shape[pivots.ndim - 1]; i++) {
    const j = lax.reshape(
      lax.slice(pivots, pivots.shape.map((_, d) => (d === lead.length ? i : 0)), [...lead, i + 1]),
      lead,
    );
    const atJ = lax.eq(iota, lax.broadcast_in_dim(j, shape, [...lead.keys()]));
    const atI = lax.eq(iota, lax.full(shape, i, "int32"));
    const pick = (mask: NDArray) =>
      lax.reduce_sum(lax.select_n(mask, lax.full(shape, 0, "int32"), perm), [lead.length]);
    const [pi, pj] = [pick(atI), pick(atJ)].map((v) => lax.broadcast_in_dim(v, shape, [...lead.keys()]));
    perm = lax.select_n(atI, lax.select_n(atJ, perm, pi), pj);
  }
  return perm;
}

/**
 * Solves `a x = b` (`trans` 0) or `aᵀ x = b` (1 or 2) from `lu_factor(a)`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const a = jnp.array([[2, 1], [1, 2]]);
 * jax.scipy.linalg.lu_solve(jax.scipy.linalg.lu_factor(a), jnp.array([3, 3])).tolist(); // [1, 1]
 * ```
 */
export function lu_solve(luAndPiv: [ArrayLike, ArrayLike], b: ArrayLike, o: { trans?: 0 | 1 | 2 } = {}): NDArray {
  const trans = o.trans ?? 0;
  if (trans !== 0 && trans !== 1 && trans !== 2) {
    throw new ValueError(`lu_solve: trans must be 0, 1 or 2, got ${JSON.stringify(trans)}`);
  }
  const piv = asArray(luAndPiv[1], undefined, "lu_solve");
  const { A, B, vec } = solveOperands("lu_solve", luAndPiv[0], b);
  const n = A.shape[A.ndim - 1];
  const batch = A.shape.slice(0, -2);
  const perm = broadcastTo(pivotsToPermutation(piv, n), [...batch, n], "lu_solve");
  const P = permutationMatrix(perm, A.dtype);
  const opts = (lower: boolean, transposeA: boolean) => ({ leftSide: true, lower, transposeA, unitDiagonal: lower });
  let x: NDArray;
  if (trans === 0) {
    x = lax.linalg_triangular_solve(A, bmm(P, B), opts(true, false));
    x = lax.linalg_triangular_solve(A, x, opts(false, false));
  } else {
    x = lax.linalg_triangular_solve(A, B, opts(false, true));
    x = lax.linalg_triangular_solve(A, x, opts(true, true));
    x = bmm(mT(P), x);
  }
  return unvec(x, vec);
}

/**
 * `[p, l, u]` with `a = p @ l @ u` (or `[p @ l, u]` with `permuteL: true`),
 * as `scipy.linalg.lu`: for `a` `[..., m, n]` and k = min(m, n), `p` is
 * `[..., m, m]`, `l` `[..., m, k]` (unit lower) and `u` `[..., k, n]`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [p, l, u] = jax.scipy.linalg.lu(jnp.array([[1, 2], [3, 4]]));
 * u.tolist(); // [[3, 4], [0, 0.666...]]
 * ```
 */
export function lu(a: ArrayLike, o?: { permuteL?: false }): [NDArray, NDArray, NDArray];
/**
 * `[p @ l, u]` (see the other overload).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [pl, u] = jax.scipy.linalg.lu(jnp.array([[1, 2], [3, 4]]), { permuteL: true });
 * pl.matmul(u).tolist(); // [[1, 2], [3, 4]]
 * ```
 */
export function lu(a: ArrayLike, o: { permuteL: true }): [NDArray, NDArray];
export function lu(a: ArrayLike, o: { permuteL?: boolean } = {}): NDArray[] {
  const x = promoteFloat("lu", a)[0];
  if (x.ndim < 2) throw new ShapeError(`lu: needs a matrix or a batch of them [..., m, n], got ${fmtShape(x.shape)}`);
  const [packed, , perm] = lax.linalg_lu(x);
  const [m, n] = x.shape.slice(-2);
  const k = Math.min(m, n);
  const lead = x.shape.slice(0, -2);
  const corner = (y: NDArray, rows: number, cols: number) => lax.slice(y, y.shape.map(() => 0), [...lead, rows, cols]);
  const p = mT(permutationMatrix(perm, x.dtype)); // p[i, j] = (perm[j] == i)
  const l = lax.add(corner(tri(packed, -1, true), m, k), eyeBatch(m, k, x.dtype, lead));
  const u = corner(tri(packed, 0, false), k, n);
  if (o.permuteL) return [bmm(p, l), u];
  return [p, l, u];
}

/**
 * Options of `jax.scipy.linalg.solve`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const a = jnp.array([[4, 2], [2, 5]]);
 * jax.scipy.linalg.solve(a, jnp.array([6, 7]), { assumeA: "pos", lower: true });
 * // Array([1., 1.], dtype=float32)
 * ```
 */
export interface SolveOptions {
  /** "gen" (default), "sym" or "her": LU, as `jnp.linalg.solve`; "pos": Cholesky. */
  assumeA?: "gen" | "sym" | "her" | "pos";
  /** With "pos": factor the lower triangle (default false: the upper one). */
  lower?: boolean;
}

/**
 * Solves `a x = b`. With `assumeA: "pos"` it factors `a` once by Cholesky and,
 * like JAX's `custom_linear_solve`, differentiates as `ẋ = a⁻¹ (ḃ - ȧ x)`
 * reusing that factorization.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const a = jnp.array([[4, 2], [2, 5]]);
 * jax.scipy.linalg.solve(a, jnp.array([6, 7]), { assumeA: "pos" }).tolist(); // [1, 1]
 * ```
 */
export function solve(a: ArrayLike, b: ArrayLike, o: SolveOptions = {}): NDArray {
  const assume = o.assumeA ?? "gen";
  if (!["gen", "sym", "her", "pos"].includes(assume)) {
    throw new ValueError(`solve: assumeA must be "gen", "sym", "her" or "pos", got ${JSON.stringify(assume)}`);
  }
  if (assume !== "pos") return linalg.solve(a, b);
  const lower = o.lower ?? false;
  const { A, B, vec } = solveOperands("solve", a, b);
  const matvec = (m: NDArray, x: NDArray) => bmm(m, x);
  const f = custom_jvp((am: NDArray, bm: NDArray) => cho_solve(cho_factor(lax.stop_gradient(am), { lower }), bm));
  // The tangent reuses a factorization of a (not stopped, so second derivatives
  // flow through cholesky's rule) and stays linear in the tangents.
  f.defjvp(([am, bm]: NDArray[], [at, bt]: NDArray[]) => {
    const x = f(am, bm) as NDArray;
    return [x, cho_solve(cho_factor(am, { lower }), lax.sub(bt, matvec(at, x)))];
  });
  return unvec(f(A, B) as NDArray, vec);
}

/**
 * Eigenvalues (ascending) and eigenvectors of a symmetric matrix, SciPy style:
 * `[w, v]`, or `w` alone with `eigvalsOnly: true` (the input is symmetrized,
 * as JAX's; the generalized problem with `b` is not supported, as in JAX).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [w, v] = jax.scipy.linalg.eigh(jnp.array([[2, 1], [1, 2]]));
 * w.tolist(); // [1, 3]
 * ```
 */
export function eigh(a: ArrayLike, o?: { lower?: boolean; eigvalsOnly?: false }): [NDArray, NDArray];
/** Only the eigenvalues (see the other overload). */
export function eigh(a: ArrayLike, o: { lower?: boolean; eigvalsOnly: true }): NDArray;
export function eigh(a: ArrayLike, o: { lower?: boolean; eigvalsOnly?: boolean } = {}): NDArray[] | NDArray {
  const x = promoteFloat("eigh", a)[0];
  const [v, w] = lax.linalg_eigh(x, { lower: o.lower ?? true });
  return o.eigvalsOnly ? w : [w, v];
}

/**
 * QR decomposition, SciPy style: mode "full" (default; q `[..., m, m]`),
 * "economic" (q `[..., m, k]`, r `[..., k, n]`) or "r" (`[r]`, r `[..., m, n]`).
 * Column pivoting is not supported.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [q, r] = jax.scipy.linalg.qr(jnp.ones([3, 2]), { mode: "economic" });
 * r.shape; // [2, 2]
 * ```
 */
export function qr(a: ArrayLike, o?: { mode?: "full" | "economic" }): [NDArray, NDArray];
/** Only `[r]` (see the other overload). */
export function qr(a: ArrayLike, o: { mode: "r" }): [NDArray];
export function qr(a: ArrayLike, o: { mode?: "full" | "economic" | "r" } = {}): NDArray[] {
  const mode = o.mode ?? "full";
  if (mode !== "full" && mode !== "economic" && mode !== "r") {
    throw new ValueError(`qr: unsupported mode ${JSON.stringify(mode)}; use "full", "economic" or "r"`);
  }
  const x = promoteFloat("qr", a)[0];
  if (x.ndim < 2) throw new ShapeError(`qr: needs a matrix or a batch of them, got ${fmtShape(x.shape)}`);
  const [q, r] = lax.linalg_qr(x, { fullMatrices: mode !== "economic" });
  return mode === "r" ? [r] : [q, r];
}

/**
 * Singular value decomposition, SciPy style (same as `jnp.linalg.svd`):
 * `[u, s, vh]`, or `s` with `computeUv: false`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const [u, s, vh] = jax.scipy.linalg.svd(jnp.array([[3, 0], [0, 4]]));
 * s.tolist(); // [4, 3]
 * ```
 */
export function svd(a: ArrayLike, o?: { fullMatrices?: boolean; computeUv?: true }): [NDArray, NDArray, NDArray];
/** Only the singular values (see the other overload). */
export function svd(a: ArrayLike, o: { fullMatrices?: boolean; computeUv: false }): NDArray;
export function svd(a: ArrayLike, o: { fullMatrices?: boolean; computeUv?: boolean } = {}): NDArray[] | NDArray {
  return o.computeUv === false ? linalg.svd(a, { ...o, computeUv: false }) : linalg.svd(a, { ...o, computeUv: true });
}

/**
 * The determinant (same as `jnp.linalg.det`).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.linalg.det(jnp.array([[1, 2], [3, 4]])).item(); // -2
 * ```
 */
export function det(a: ArrayLike): NDArray {
  return linalg.det(a);
}

/**
 * The inverse of a square matrix (same as `jnp.linalg.inv`).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.linalg.inv(jnp.array([[2, 0], [0, 4]])).tolist(); // [[0.5, 0], [0, 0.25]]
 * ```
 */
export function inv(a: ArrayLike): NDArray {
  return linalg.inv(a);
}
