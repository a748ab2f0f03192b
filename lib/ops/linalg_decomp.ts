/**
 * Matrix decompositions as primitives with several outputs, computed on the
 * host in float64 and batched over leading axes, with JAX's jvp rules
 * (jax/_src/lax/linalg.py); their tangents are built from linear primitives
 * (dot_general, triangular_solve, mul by constants), so reverse mode comes
 * from transposing those.
 *
 * - `lu(a)` → `[lu, pivots, permutation]` of `[..., m, n]` `a` (LAPACK getrf conventions).
 * - `eigh(a)` → `[v, w]`: eigenvectors (columns) and ascending eigenvalues of
 *   the symmetric matrix read from the lower (or upper) triangle;
 *   tridiagonalization and implicit QL. Each eigenvector's sign is chosen so its largest-magnitude entry is
 *   positive (LAPACK's signs are not specified either).
 * - `qr(a)` → `[q, r]`: Householder reflections with LAPACK geqrf/orgqr signs.
 * - `svd(a)` → `[s, u, vt]` (or `[s]`): one-sided Jacobi; singular values
 *   descending.
 *
 * @module
 */

import type { ConcreteArray, NDArray } from "../array.ts";
import { isFloat } from "../dtype.ts";
import { DTypeError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import type { ShapedArray } from "../trace/aval.ts";
import { bind, type Rule, Zero } from "../trace/core.ts";
import {
  batchAtFront,
  bmm,
  checkSquare,
  diagonal,
  eyeBatch,
  fromF64,
  hostF64,
  luHost,
  mT,
  tri,
  triangularSolve,
} from "./linalg.ts";
import type { Params } from "./primitives.ts";
import { aval } from "./util.ts";

const checkFloat = (op: string, a: ShapedArray) => {
  if (!isFloat(a.dtype)) {
    throw new DTypeError(`${op}: needs a float matrix, got ${a.dtype}; convert with .astype("float32")`);
  }
};

const matrixShape = (op: string, a: ShapedArray): [number, number] => {
  if (a.ndim < 2) {
    throw new ShapeError(`${op}: needs a matrix or a batch of them [..., m, n], got ${fmtShape(a.shape)}`);
  }
  return [a.shape[a.ndim - 2], a.shape[a.ndim - 1]];
};

// ---------------------------------------------------------------- lu

function luImpl(a: ConcreteArray): NDArray[] {
  const [m, n] = a.shape.slice(-2);
  const A = hostF64(a);
  const { pivots, perm } = luHost(A, m, n, a.size / (m * n));
  const lead = a.shape.slice(0, -2);
  return [
    fromF64(A, a.shape, a.dtype, a.backend),
    fromF64(pivots, [...lead, Math.min(m, n)], "int32", a.backend),
    fromF64(perm, [...lead, m], "int32", a.backend),
  ];
}

/** The permutation matrix `P` with `P[i, j] = (perm[i] == j)`, so `P @ a = a[perm]`. */
export function permutationMatrix(perm: NDArray, dtype: ShapedArray["dtype"]): NDArray {
  const n = perm.shape[perm.ndim - 1];
  const shape = [...perm.shape, n];
  const rows = lax.broadcast_in_dim(perm, shape, [...Array(perm.ndim).keys()]);
  const cols = lax.broadcast_in_dim(lax.iota("int32", [n], 0), shape, [perm.ndim]);
  return lax.convert_element_type(lax.eq(rows, cols), dtype);
}

/** `x` zero-padded at the end of its last two axes to `[..., rows, cols]`. */
const padTo = (x: NDArray, rows: number, cols: number): NDArray => {
  const [r, c] = x.shape.slice(-2);
  if (r === rows && c === cols) return x;
  return lax.pad(x, 0, [...x.shape.slice(0, -2).map((): [number, number, number] => [0, 0, 0]), [0, rows - r, 0], [
    0,
    cols - c,
    0,
  ]]);
};

/** `x[..., :rows, :cols]`. */
const topLeft = (x: NDArray, rows: number, cols: number): NDArray =>
  lax.slice(x, x.shape.map(() => 0), [...x.shape.slice(0, -2), rows, cols]);

/**
 * JAX's `_lu_jvp_inner` (de Hoog, Anderssen & Lukas): with L (m×m, unit) and U
 * (n×n, identity below the k×k block) padded square, `X = L⁻¹ P ȧ U⁻¹`,
 * `L̇ = L tril(X, -1)`, `U̇ = triu(X) U`, and the packed tangent `L̇ + U̇`.
 */
function luJvp(lu: NDArray, perm: NDArray, aDot: NDArray): NDArray {
  const [m, n] = lu.shape.slice(-2);
  const k = Math.min(m, n);
  const lead = lu.shape.slice(0, -2);
  const l = lax.add(padTo(tri(topLeft(lu, m, k), -1, true), m, m), eyeBatch(m, m, lu.dtype, lead));
  const uEye = lax.sub(eyeBatch(n, n, lu.dtype, lead), padTo(eyeBatch(k, k, lu.dtype, lead), n, n));
  const u = lax.add(padTo(tri(topLeft(lu, k, n), 0, false), n, n), uEye);
  const x = bmm(permutationMatrix(perm, lu.dtype), aDot);
  const la = triangularSolve(l, x, {
    left_side: true,
    lower: true,
    transpose_a: false,
    conjugate_a: false,
    unit_diagonal: true,
  });
  const lau = triangularSolve(u, la, {
    left_side: false,
    lower: false,
    transpose_a: false,
    conjugate_a: false,
    unit_diagonal: false,
  });
  return lax.add(bmm(l, tri(lau, -1, true)), bmm(tri(lau, 0, false), u));
}

// ---------------------------------------------------------------- eigh

/**
 * Symmetric eigendecomposition of one n×n matrix `S` (row-major, symmetric):
 * Householder reduction to tridiagonal form, then the implicit QL algorithm
 * (EISPACK's tred2/tql2, as in JAMA). Returns the eigenvalues (unsorted) and
 * leaves the eigenvectors in the rows of `VT`.
 */
function symmetricEigen(S: Float64Array, n: number, VT: Float64Array): Float64Array {
  const V = Float64Array.from(S); // V[i * n + j]
  const d = new Float64Array(n), e = new Float64Array(n);
  if (n === 0) return d;
  // tred2: V <- Q with Qᵀ S Q tridiagonal (diagonal d, subdiagonal e).
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
  // tql2 on the rows of VT (the columns of V), so the rotations touch contiguous memory.
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) VT[i * n + k] = V[k * n + i];
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= eps * tst1)) m++;
    if (m > l) {
      for (let iter = 0; iter < 100; iter++) {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const io = i * n, jo = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const hk = VT[jo + k];
            VT[jo + k] = s * VT[io + k] + c * hk;
            VT[io + k] = c * VT[io + k] - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > eps * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
  return d;
}

/**
 * Writes the vectors in rows `order` of `VT` (`count`×`len`) as the columns of
 * `out` (`len`×`order.length`, at offset `o`), each flipped so its
 * largest-magnitude entry is positive.
 */
function rowsToColumns(VT: Float64Array, len: number, order: number[], out: Float64Array, o: number) {
  order.forEach((src, dst) => {
    let big = 0;
    for (let i = 0; i < len; i++) if (Math.abs(VT[src * len + i]) > Math.abs(big)) big = VT[src * len + i];
    const sg = big < 0 ? -1 : 1;
    for (let i = 0; i < len; i++) out[o + i * order.length + dst] = sg * VT[src * len + i];
  });
}

function eighImpl(a: ConcreteArray, p: Params["eigh"]): NDArray[] {
  const n = a.shape[a.ndim - 1];
  const batch = a.size / (n * n);
  const A = hostF64(a);
  const vOut = new Float64Array(A.length), wOut = new Float64Array(batch * n);
  const S = new Float64Array(n * n), V = new Float64Array(n * n);
  for (let s = 0; s < batch; s++) {
    const o = s * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = p.lower ? A[o + i * n + j] : A[o + j * n + i];
        S[i * n + j] = v;
        S[j * n + i] = v;
      }
    }
    const w = symmetricEigen(S, n, V);
    const order = [...Array(n).keys()];
    if (p.sort_eigenvalues) order.sort((x, y) => w[x] - w[y]);
    order.forEach((src, dst) => (wOut[s * n + dst] = w[src]));
    rowsToColumns(V, n, order, vOut, o);
  }
  return [fromF64(vOut, a.shape, a.dtype, a.backend), fromF64(wOut, a.shape.slice(0, -1), a.dtype, a.backend)];
}

/** `(x + xᵀ) / 2`. */
export function symmetrize(x: NDArray): NDArray {
  return lax.div(lax.add(x, mT(x)), lax.full([], 2, x.dtype));
}

/** JAX's eigh jvp: `dv = v (F ∘ vᵀ ȧ v)`, `dw = diag(vᵀ ȧ v)`, F = 1/(wⱼ - wᵢ) off the diagonal. */
function eighJvp(v: NDArray, w: NDArray, aDot: NDArray): [NDArray, NDArray] {
  const n = w.shape[w.ndim - 1];
  const lead = w.shape.slice(0, -1);
  const full = [...lead, n, n];
  const eye = eyeBatch(n, n, w.dtype, lead);
  const wRow = lax.broadcast_in_dim(w, full, [...lead.keys(), lead.length + 1]);
  const wCol = lax.broadcast_in_dim(w, full, [...lead.keys(), lead.length]);
  const F = lax.sub(lax.integer_pow(lax.sub(lax.add(eye, wRow), wCol), -1), eye);
  const vdagAdotV = bmm(bmm(mT(v), aDot), v);
  return [bmm(v, lax.mul(F, vdagAdotV)), diagonal(vdagAdotV)];
}

// ---------------------------------------------------------------- qr

/** Householder QR of one m×n matrix with LAPACK's reflector signs; returns Q (m×kq) and R (kq×n). */
function householderQr(A: Float64Array, m: number, n: number, kq: number): [Float64Array, Float64Array] {
  const R = Float64Array.from(A);
  const kmin = Math.min(m, n);
  const vs: Float64Array[] = [], taus: number[] = [];
  for (let k = 0; k < kmin; k++) {
    const alpha = R[k * n + k];
    let xnorm = 0;
    for (let i = k + 1; i < m; i++) xnorm = Math.hypot(xnorm, R[i * n + k]);
    const v = new Float64Array(m);
    if (xnorm === 0) {
      vs.push(v);
      taus.push(0);
      continue;
    }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    v[k] = 1;
    for (let i = k + 1; i < m; i++) v[i] = R[i * n + k] / (alpha - beta);
    // R <- (I - tau v vᵀ) R on columns k..n-1.
    for (let j = k; j < n; j++) {
      let dotv = 0;
      for (let i = k; i < m; i++) dotv += v[i] * R[i * n + j];
      dotv *= tau;
      for (let i = k; i < m; i++) R[i * n + j] -= dotv * v[i];
    }
    R[k * n + k] = beta;
    for (let i = k + 1; i < m; i++) R[i * n + k] = 0;
    vs.push(v);
    taus.push(tau);
  }
  // Q = H_0 H_1 ... H_{kmin-1} applied to the first kq columns of the identity.
  const Q = new Float64Array(m * kq);
  for (let i = 0; i < Math.min(m, kq); i++) Q[i * kq + i] = 1;
  for (let k = kmin - 1; k >= 0; k--) {
    const v = vs[k], tau = taus[k];
    if (tau === 0) continue;
    for (let j = 0; j < kq; j++) {
      let dotv = 0;
      for (let i = k; i < m; i++) dotv += v[i] * Q[i * kq + j];
      dotv *= tau;
      for (let i = k; i < m; i++) Q[i * kq + j] -= dotv * v[i];
    }
  }
  return [Q, R.subarray(0, kq * n)];
}

const qrShapes = (a: ShapedArray, full: boolean) => {
  const [m, n] = matrixShape("qr", a);
  const k = full ? m : Math.min(m, n);
  const lead = a.shape.slice(0, -2);
  return { m, n, k, q: [...lead, m, k], r: [...lead, k, n] };
};

function qrImpl(a: ConcreteArray, p: Params["qr"]): NDArray[] {
  const { m, n, k, q, r } = qrShapes(a.aval, p.full_matrices);
  const batch = a.size / (m * n);
  const A = hostF64(a);
  const Q = new Float64Array(batch * m * k), R = new Float64Array(batch * k * n);
  for (let s = 0; s < batch; s++) {
    const [qs, rs] = householderQr(A.subarray(s * m * n, (s + 1) * m * n), m, n, k);
    // Rows of R past min(m, n) are zero (only with full_matrices and m > n).
    R.set(rs.subarray(0, Math.min(rs.length, k * n)), s * k * n);
    Q.set(qs, s * m * k);
  }
  return [fromF64(Q, q, a.dtype, a.backend), fromF64(R, r, a.dtype, a.backend)];
}

/** JAX's `_thin_qr_jvp` for m >= n. */
function thinQrJvp(q: NDArray, r: NDArray, dx: NDArray): [NDArray, NDArray] {
  const dxRinv = triangularSolve(r, dx, {
    left_side: false,
    lower: false,
    transpose_a: false,
    conjugate_a: false,
    unit_diagonal: false,
  });
  const qtDxRinv = bmm(mT(q), dxRinv);
  const low = tri(qtDxRinv, -1, true);
  const dO = lax.sub(low, mT(low));
  const dq = lax.add(bmm(q, lax.sub(dO, qtDxRinv)), dxRinv);
  const dr = bmm(lax.sub(qtDxRinv, dO), r);
  return [dq, dr];
}

function qrJvp(x: NDArray, dx: NDArray, p: Params["qr"]): [NDArray[], NDArray[]] {
  const [q, r] = bind("qr", [x], p);
  const { m, n } = qrShapes(x.aval, p.full_matrices);
  const nd = x.ndim;
  const cols = (y: NDArray, lo: number, hi: number) =>
    lax.slice(y, y.shape.map((_, i) => (i === nd - 1 ? lo : 0)), y.shape.map((d, i) => (i === nd - 1 ? hi : d)));
  if (m < n) {
    const [dq, dr1] = thinQrJvp(q, cols(r, 0, m), cols(dx, 0, m));
    const dr2 = lax.add(bmm(mT(dq), cols(x, m, n)), bmm(mT(q), cols(dx, m, n)));
    return [[q, r], [dq, lax.concatenate([dr1, dr2], nd - 1)]];
  }
  if (!p.full_matrices || m === n) {
    const [dq, dr] = thinQrJvp(q, r, dx);
    return [[q, r], [dq, dr]];
  }
  // Complete QR of a tall matrix (JAX's qr_jvp_rule): the thin part, then the
  // tangent of the extra m - n columns of q from orthogonality.
  const rows = (y: NDArray, lo: number, hi: number) =>
    lax.slice(y, y.shape.map((_, i) => (i === nd - 2 ? lo : 0)), y.shape.map((d, i) => (i === nd - 2 ? hi : d)));
  const qMn = cols(q, 0, n), qMp = cols(q, n, m);
  const [dqMn, drNn] = thinQrJvp(qMn, rows(r, 0, n), dx);
  const qNn = rows(qMn, 0, n), qPn = rows(qMn, n, m);
  const dqNn = rows(dqMn, 0, n), dqPn = rows(dqMn, n, m);
  const lead = x.shape.slice(0, -2);
  const zPnH = bind("solve", [mT(lax.sub(qNn, eyeBatch(n, n, x.dtype, lead))), mT(qPn)], {})[0]; // (q_nn - I)ᵀ z = q_pnᵀ
  const zPn = mT(zPnH);
  const dqMp = lax.sub(bmm(dqMn, zPnH), bmm(lax.add(qMn, bmm(qMp, zPn)), mT(lax.sub(dqPn, bmm(zPn, dqNn)))));
  const dr = lax.concatenate([drNn, lax.full([...lead, m - n, n], 0, x.dtype)], nd - 2);
  return [[q, r], [lax.concatenate([dqMn, dqMp], nd - 1), dr]];
}

// ---------------------------------------------------------------- svd

/** Orthonormal columns completing the first `have` columns of `U` (m×cols, row-major) up to `want`. */
function completeBasis(U: Float64Array, m: number, cols: number, have: number[], want: number[]): void {
  let e = 0;
  for (const j of want) {
    for (; e < m; e++) {
      const v = new Float64Array(m);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const c of have) {
          let d = 0;
          for (let i = 0; i < m; i++) d += U[i * cols + c] * v[i];
          for (let i = 0; i < m; i++) v[i] -= d * U[i * cols + c];
        }
      }
      const nv = Math.hypot(...v);
      if (nv > 1e-6) {
        for (let i = 0; i < m; i++) U[i * cols + j] = v[i] / nv;
        have.push(j);
        e++;
        break;
      }
    }
  }
}

/**
 * One-sided Jacobi SVD of one m×n matrix with m >= n: rotates columns of
 * `W = A V` until orthogonal. Returns s (n, descending), U (m×ku), V (n×n).
 */
function jacobiSvdTall(A: Float64Array, m: number, n: number, ku: number): [number[], Float64Array, Float64Array] {
  // Columns of W = A V and of V are kept as contiguous rows of WT and VT.
  const WT = new Float64Array(n * m), VT = new Float64Array(n * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) WT[j * m + i] = A[i * n + j];
  for (let i = 0; i < n; i++) VT[i * n + i] = 1;
  const tol = 1e-15 * Math.max(1, Math.sqrt(m));
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const po = p * m, qo = q * m;
        for (let i = 0; i < m; i++) {
          const wp = WT[po + i], wq = WT[qo + i];
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || !(Math.abs(gamma) > tol * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let i = 0; i < m; i++) {
          const wp = WT[po + i], wq = WT[qo + i];
          WT[po + i] = c * wp - s * wq;
          WT[qo + i] = s * wp + c * wq;
        }
        for (let i = 0; i < n; i++) {
          const vp = VT[p * n + i], vq = VT[q * n + i];
          VT[p * n + i] = c * vp - s * vq;
          VT[q * n + i] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const W = new Float64Array(m * n), V = new Float64Array(n * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W[i * n + j] = WT[j * m + i];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[i * n + j] = VT[j * n + i];
  const norms = [...Array(n).keys()].map((j) => {
    let acc = 0;
    for (let i = 0; i < m; i++) acc += W[i * n + j] ** 2;
    return Math.sqrt(acc);
  });
  const order = [...Array(n).keys()].sort((x, y) => norms[y] - norms[x]);
  const s = order.map((j) => norms[j]);
  const small = (s[0] ?? 0) * 1e-14 * Math.max(m, n);
  const U = new Float64Array(m * ku), Vs = new Float64Array(n * n);
  const have: number[] = [], missing: number[] = [];
  order.forEach((src, dst) => {
    for (let i = 0; i < n; i++) Vs[i * n + dst] = V[i * n + src];
    if (s[dst] > small && s[dst] > 0) {
      for (let i = 0; i < m; i++) U[i * ku + dst] = W[i * n + src] / s[dst];
      have.push(dst);
    } else missing.push(dst);
  });
  for (let j = n; j < ku; j++) missing.push(j);
  completeBasis(U, m, ku, have, missing);
  return [s, U, Vs];
}

const svdShapes = (a: ShapedArray, p: Params["svd"]) => {
  const [m, n] = matrixShape("svd", a);
  const k = Math.min(m, n);
  const lead = a.shape.slice(0, -2);
  return {
    m,
    n,
    k,
    s: [...lead, k],
    u: [...lead, m, p.full_matrices ? m : k],
    vt: [...lead, p.full_matrices ? n : k, n],
  };
};

function svdImpl(a: ConcreteArray, p: Params["svd"]): NDArray[] {
  const { m, n, k, s, u, vt } = svdShapes(a.aval, p);
  const batch = a.size / (m * n);
  const A = hostF64(a);
  const ku = u[u.length - 1], kv = vt[vt.length - 2];
  const S = new Float64Array(batch * k), U = new Float64Array(batch * m * ku), VT = new Float64Array(batch * kv * n);
  for (let b = 0; b < batch; b++) {
    const blk = A.subarray(b * m * n, (b + 1) * m * n);
    if (m >= n) {
      const [sv, Ub, V] = jacobiSvdTall(blk, m, n, ku);
      S.set(sv, b * k);
      U.set(Ub, b * m * ku);
      for (let i = 0; i < kv; i++) for (let j = 0; j < n; j++) VT[b * kv * n + i * n + j] = V[j * n + i];
    } else {
      // A = U S Vᵀ  <=>  Aᵀ = V S Uᵀ: decompose the tall Aᵀ.
      const At = new Float64Array(n * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) At[j * m + i] = blk[i * n + j];
      const [sv, Vb, Ut] = jacobiSvdTall(At, n, m, kv);
      S.set(sv, b * k);
      for (let i = 0; i < m; i++) for (let j = 0; j < ku; j++) U[b * m * ku + i * ku + j] = Ut[i * m + j];
      for (let i = 0; i < kv; i++) for (let j = 0; j < n; j++) VT[b * kv * n + i * n + j] = Vb[j * kv + i];
    }
  }
  const sArr = fromF64(S, s, a.dtype, a.backend);
  if (!p.compute_uv) return [sArr];
  return [sArr, fromF64(U, u, a.dtype, a.backend), fromF64(VT, vt, a.dtype, a.backend)];
}

/** JAX's `_svd_jvp_rule` (reduced matrices, or square full ones). */
function svdJvp(A: NDArray, dA: NDArray, p: Params["svd"]): [NDArray[], NDArray[]] {
  const [s, U, Vt] = bind("svd", [A], { full_matrices: false, compute_uv: true });
  const { m, n, k } = svdShapes(A.aval, p);
  if (p.compute_uv && p.full_matrices && m !== n) {
    throw new ValueError(
      "svd: the derivative with full_matrices=true of a non-square matrix is not implemented (as in JAX); " +
        "pass fullMatrices: false",
    );
  }
  const lead = s.shape.slice(0, -1);
  const kk = [...lead, k, k];
  const sDim = lax.broadcast_in_dim(s, kk, [...lead.keys(), lead.length + 1]); // s[..., None, :]
  const sDimT = mT(sDim);
  const V = mT(Vt);
  const dS = bmm(bmm(mT(U), dA), V);
  const ds = diagonal(dS);
  if (!p.compute_uv) return [[s], [ds]];
  const eye = eyeBatch(k, k, s.dtype, lead);
  const sDiffs = lax.mul(lax.add(sDim, sDimT), lax.sub(sDim, sDimT));
  const F = lax.sub(lax.reciprocal(lax.add(sDiffs, eye)), eye);
  const dSS = lax.mul(sDim, dS), SdS = lax.mul(sDimT, dS);
  const sZeros = lax.convert_element_type(lax.eq(s, 0), s.dtype);
  const sInv = lax.sub(lax.reciprocal(lax.add(s, sZeros)), sZeros);
  const sInvMat = lax.mul(eye, lax.broadcast_in_dim(sInv, kk, [...lead.keys(), lead.length + 1]));
  const half = lax.full([], 0.5, s.dtype);
  const dUdVdiag = lax.mul(lax.mul(half, lax.sub(dS, mT(dS))), sInvMat);
  let dU = bmm(U, lax.add(lax.mul(F, lax.add(dSS, mT(dSS))), dUdVdiag));
  let dV = bmm(V, lax.mul(F, lax.add(SdS, mT(SdS))));
  if (m > n) {
    const dAV = bmm(dA, V);
    const sm = lax.broadcast_in_dim(s, [...lead, m, k], [...lead.keys(), lead.length + 1]);
    dU = lax.add(dU, lax.div(lax.sub(dAV, bmm(U, bmm(mT(U), dAV))), sm));
  }
  if (n > m) {
    const dAHU = bmm(mT(dA), U);
    const sn = lax.broadcast_in_dim(s, [...lead, n, k], [...lead.keys(), lead.length + 1]);
    dV = lax.add(dV, lax.div(lax.sub(dAHU, bmm(V, bmm(Vt, dAHU))), sn));
  }
  return [[s, U, Vt], [ds, dU, mT(dV)]];
}

// ---------------------------------------------------------------- the rule records

const zeros = (xs: NDArray[]) => xs.map((x) => new Zero(x.aval));

/** The rules of lu, eigh, qr and svd. */
export const decompRules: { lu: Rule<"lu">; eigh: Rule<"eigh">; qr: Rule<"qr">; svd: Rule<"svd"> } = {
  lu: {
    abstractEval: ([a]) => {
      checkFloat("lu", a);
      const [m, n] = matrixShape("lu", a);
      const lead = a.shape.slice(0, -2);
      return [a.withWeak(false), aval([...lead, Math.min(m, n)], "int32"), aval([...lead, m], "int32")];
    },
    lower: null,
    impl: ([a]) => luImpl(a),
    jvp: ([a], [ta]) => {
      const outs = bind("lu", [a], {});
      if (ta instanceof Zero) return [outs, zeros(outs)];
      return [outs, [luJvp(outs[0], outs[2], ta), new Zero(outs[1].aval), new Zero(outs[2].aval)]];
    },
    transpose: null,
    vmap: batchAtFront("lu"),
  },
  eigh: {
    abstractEval: ([a]) => {
      checkSquare("eigh", a);
      return [a.withWeak(false), aval(a.shape.slice(0, -1), a.dtype)];
    },
    lower: null,
    impl: ([a], p) => eighImpl(a, p),
    jvp: ([a], [ta], p) => {
      const [v, w] = bind("eigh", [symmetrize(a)], p);
      if (ta instanceof Zero) return [[v, w], zeros([v, w])];
      return [[v, w], eighJvp(v, w, ta)];
    },
    transpose: null,
    vmap: batchAtFront("eigh"),
  },
  qr: {
    abstractEval: ([a], p) => {
      checkFloat("qr", a);
      const { q, r } = qrShapes(a, p.full_matrices);
      return [aval(q, a.dtype), aval(r, a.dtype)];
    },
    lower: null,
    impl: ([a], p) => qrImpl(a, p),
    jvp: ([a], [ta], p) => {
      if (ta instanceof Zero) {
        const outs = bind("qr", [a], p);
        return [outs, zeros(outs)];
      }
      return qrJvp(a, ta, p);
    },
    transpose: null,
    vmap: batchAtFront("qr"),
  },
  svd: {
    abstractEval: ([a], p) => {
      checkFloat("svd", a);
      const { s, u, vt } = svdShapes(a, p);
      return p.compute_uv ? [aval(s, a.dtype), aval(u, a.dtype), aval(vt, a.dtype)] : [aval(s, a.dtype)];
    },
    lower: null,
    impl: ([a], p) => svdImpl(a, p),
    jvp: ([a], [ta], p) => {
      if (ta instanceof Zero) {
        const outs = bind("svd", [a], p);
        return [outs, zeros(outs)];
      }
      return svdJvp(a, ta, p);
    },
    transpose: null,
    vmap: batchAtFront("svd"),
  },
};
