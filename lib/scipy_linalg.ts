/**
 * `jax.scipy.linalg`: triangular and Cholesky solves and the SciPy-style
 * factorizations (cholesky, cho_factor, cho_solve, eigh, lu, lu_factor,
 * lu_solve, qr, svd, solve, solve_triangular), expm, det and inv, following jax/_src/scipy/linalg.py.
 * Everything is differentiable, batches over leading axes and works under jit.
 *
 * @module
 */

import { custom_jvp, vmap } from "./api.ts";
import type { ArrayLike, NDArray } from "./array.ts";
import { cond, scan, switch_ } from "./control.ts";
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

// ---------------------------------------------------------------- expm (JAX's Padé + scaling and squaring)

const PADE: Record<3 | 5 | 7 | 9 | 13, number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000,
    32382376266240000,
    7771770303897600,
    1187353796428800,
    129060195264000,
    10559470521600,
    670442572800,
    33522128640,
    1323241920,
    40840800,
    960960,
    16380,
    182,
    1,
  ],
};

/** The Padé numerator/denominator halves `[U, V]` of degree `m` (as JAX's `_pade3` ... `_pade13`). */
function pade(m: 3 | 5 | 7 | 9 | 13, A: NDArray): [NDArray, NDArray] {
  const b = PADE[m];
  const n = A.shape[0];
  const dot = (x: NDArray, y: NDArray) => lax.dot_general(x, y, [[[1], [0]], [[], []]]);
  const scaled = (c: number, x: NDArray) => lax.mul(lax.full([], c, A.dtype), x);
  const sum = (...xs: NDArray[]) => xs.reduce((acc, x) => lax.add(acc, x));
  const ident = eyeBatch(n, n, A.dtype);
  const A2 = dot(A, A);
  if (m === 13) {
    const A4 = dot(A2, A2), A6 = dot(A4, A2);
    const U = dot(
      A,
      sum(
        dot(A6, sum(scaled(b[13], A6), scaled(b[11], A4), scaled(b[9], A2))),
        scaled(b[7], A6),
        scaled(b[5], A4),
        scaled(b[3], A2),
        scaled(b[1], ident),
      ),
    );
    const V = sum(
      dot(A6, sum(scaled(b[12], A6), scaled(b[10], A4), scaled(b[8], A2))),
      scaled(b[6], A6),
      scaled(b[4], A4),
      scaled(b[2], A2),
      scaled(b[0], ident),
    );
    return [U, V];
  }
  const powers = [ident, A2];
  for (let k = 2; 2 * k <= m - 1; k++) powers.push(dot(powers[k - 1], A2)); // A^(2k)
  const U = dot(A, sum(...powers.map((p, k) => scaled(b[2 * k + 1], p))));
  const V = sum(...powers.map((p, k) => scaled(b[2 * k], p)));
  return [U, V];
}

function expm2d(A: NDArray, upperTriangular: boolean, maxSquarings: number): NDArray {
  const f64 = A.dtype === "float64";
  const l1 = linalg.norm(A, { ord: 1 });
  const maxnorm = f64 ? 5.371920351148152 : 3.92572478313866;
  const log2 = lax.div(lax.log(lax.div(l1, lax.full([], maxnorm, A.dtype))), lax.full([], Math.LN2, A.dtype));
  const nSq = lax.max(lax.full([], 0, A.dtype), lax.floor(log2));
  const As = lax.div(A, lax.pow(lax.full([], 2, A.dtype), nSq));
  const conds = f64 ? [1.495585217958292e-2, 2.53939833006323e-1, 9.504178996162932e-1, 2.097847961257068] : [
    4.258730016922831e-1,
    1.880152677804762,
  ];
  const degrees: (3 | 5 | 7 | 9 | 13)[] = f64 ? [3, 5, 7, 9, 13] : [3, 5, 7];
  const idx = conds.reduce(
    (acc, c) => lax.add(acc, lax.convert_element_type(lax.le(lax.full([], c, A.dtype), l1), "int32")),
    lax.full([], 0, "int32"),
  );
  const [U, V] = switch_(idx, degrees.map((m) => (x: NDArray) => pade(m, x)), As) as NDArray[];
  const P = lax.add(U, V), Q = lax.sub(V, U);
  let R = upperTriangular ? solve_triangular(Q, P) : linalg.solve(Q, P);
  [R] = scan(
    (c: NDArray, i: NDArray) => [cond(lax.lt(i, nSq), (x: NDArray) => bmm(x, x), (x: NDArray) => x, c), null],
    R,
    lax.convert_element_type(lax.iota("int32", [maxSquarings], 0), A.dtype),
  ) as [NDArray, unknown];
  const tooMany = lax.broadcast_in_dim(lax.gt(nSq, maxSquarings), [...A.shape], []);
  return lax.select_n(tooMany, R, lax.full([...A.shape], NaN, A.dtype));
}

/**
 * The matrix exponential by Padé approximation with scaling and squaring, as
 * `jax.scipy.linalg.expm` (degree chosen from the 1-norm; NaN when more than
 * `maxSquarings` squarings would be needed). Batched over leading axes;
 * differentiable (through the solve, products, cond and scan).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * jax.scipy.linalg.expm(jnp.zeros([2, 2])).tolist(); // [[1, 0], [0, 1]]
 * ```
 */
export function expm(a: ArrayLike, o: { upperTriangular?: boolean; maxSquarings?: number } = {}): NDArray {
  const A = promoteFloat("expm", a)[0];
  if (A.ndim < 2 || A.shape[A.ndim - 1] !== A.shape[A.ndim - 2]) {
    throw new ShapeError(`expm: needs a square matrix or a batch of them [..., n, n], got ${fmtShape(A.shape)}`);
  }
  let f = (x: NDArray) => expm2d(x, o.upperTriangular ?? false, o.maxSquarings ?? 16);
  for (let i = 0; i < A.ndim - 2; i++) f = vmap(f);
  return f(A);
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
