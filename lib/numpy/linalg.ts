/**
 * Products and linear algebra: dot, matmul, outer, inner, vdot, tensordot,
 * einsum, and the `jnp.linalg` namespace (solve, norm, inv; the decompositions
 * and determinants are in ./linalg_decomp.ts).
 *
 * @module
 */

import type { ArrayLike, NDArray } from "../array.ts";
import { AxisError, fmtShape, ShapeError, ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { broadcastShapes, normAxis } from "../shape.ts";
import { eye } from "./creation.ts";
import {
  cholesky,
  det,
  eigh,
  eigvalsh,
  lstsq,
  matrix_power,
  matrix_rank,
  pinv,
  qr,
  slogdet,
  svd,
} from "./linalg_decomp.ts";
import { abs, multiply } from "./elementwise.ts";
import { sum } from "./reductions.ts";
import { broadcastTo, promoteDTypes, promoteFloat, promoteFloatDTypes } from "./util.ts";

function promote2(x: ArrayLike, y: ArrayLike): [NDArray, NDArray] {
  const [a, b] = promoteDTypes(x, y);
  return [a, b];
}

function checkContract(op: string, a: NDArray, b: NDArray, ax: number, bx: number) {
  if (a.shape[ax] !== b.shape[bx]) {
    throw new ShapeError(
      `${op}: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned: ${a.shape[ax]} (dim ${ax}) != ${
        b.shape[bx]
      } (dim ${bx})`,
    );
  }
}

/**
 * numpy's dot: inner product of vectors, matrix product of matrices, and
 * contraction of the last axis of `x` with the second-to-last of `y`.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.dot(jnp.array([1, 2]), jnp.array([3, 4])).item(); // 11
 * ```
 */
export function dot(x: ArrayLike, y: ArrayLike): NDArray {
  const [a, b] = promote2(x, y);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const bx = b.ndim === 1 ? 0 : b.ndim - 2;
  checkContract("dot", a, b, a.ndim - 1, bx);
  // dot_general gives a's free axes then b's, as numpy's dot does.
  return lax.dot_general(a, b, [[[a.ndim - 1], [bx]], [[], []]]);
}

/**
 * Matrix product with numpy's broadcasting of leading (batch) axes.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.matmul(jnp.ones([2, 3]), jnp.ones([3, 4])).shape; // [2, 4]
 * ```
 */
export function matmul(x: ArrayLike, y: ArrayLike): NDArray {
  let [a, b] = promote2(x, y);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError("matmul: operands must have at least one dimension; use multiply for scalars");
  }
  const aVec = a.ndim === 1, bVec = b.ndim === 1;
  if (aVec) a = lax.reshape(a, [1, a.shape[0]]);
  if (bVec) b = lax.reshape(b, [b.shape[0], 1]);
  checkContract("matmul", a, b, a.ndim - 1, b.ndim - 2);
  const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  a = broadcastTo(a, [...batch, ...a.shape.slice(-2)], "matmul");
  b = broadcastTo(b, [...batch, ...b.shape.slice(-2)], "matmul");
  const nb = batch.length;
  const bd = [...Array(nb).keys()];
  let out = lax.dot_general(a, b, [[[nb + 1], [nb]], [bd, bd]]);
  if (aVec) out = lax.squeeze(out, [nb]);
  if (bVec) out = lax.squeeze(out, [out.ndim - 1]);
  return out;
}

/** Outer product of two vectors (flattened). */
export function outer(x: ArrayLike, y: ArrayLike): NDArray {
  const [a, b] = promote2(x, y);
  const af = lax.reshape(a, [a.size]), bf = lax.reshape(b, [b.size]);
  return lax.mul(lax.broadcast_in_dim(af, [a.size, b.size], [0]), lax.broadcast_in_dim(bf, [a.size, b.size], [1]));
}

/** Inner product over the last axes. */
export function inner(x: ArrayLike, y: ArrayLike): NDArray {
  const [a, b] = promote2(x, y);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  checkContract("inner", a, b, a.ndim - 1, b.ndim - 1);
  return lax.dot_general(a, b, [[[a.ndim - 1], [b.ndim - 1]], [[], []]]);
}

/** Dot product of the flattened arrays. */
export function vdot(x: ArrayLike, y: ArrayLike): NDArray {
  const [a, b] = promote2(x, y);
  if (a.size !== b.size) throw new ShapeError(`vdot: arrays of sizes ${a.size} and ${b.size} differ`);
  return lax.dot_general(lax.reshape(a, [a.size]), lax.reshape(b, [b.size]), [[[0], [0]], [[], []]]);
}

/**
 * Contracts `axes` of `x` with `axes` of `y`: an integer N (last N of x with
 * first N of y) or a pair of axis lists.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.tensordot(jnp.ones([2, 3]), jnp.ones([3, 4]), 1).shape; // [2, 4]
 * ```
 */
export function tensordot(
  x: ArrayLike,
  y: ArrayLike,
  axes: number | [number[] | number, number[] | number] = 2,
): NDArray {
  const [a, b] = promote2(x, y);
  let ax: number[], bx: number[];
  if (typeof axes === "number") {
    if (axes < 0 || axes > a.ndim || axes > b.ndim) {
      throw new AxisError(
        `tensordot: axes=${axes} is too large for shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
      );
    }
    ax = [...Array(axes).keys()].map((i) => a.ndim - axes + i);
    bx = [...Array(axes).keys()];
  } else {
    const [p, q] = axes.map((v) => (typeof v === "number" ? [v] : v));
    ax = p.map((v) => normAxis("tensordot", v, a.ndim));
    bx = q.map((v) => normAxis("tensordot", v, b.ndim));
    if (ax.length !== bx.length) throw new AxisError("tensordot: axes lists must have the same length");
  }
  ax.forEach((v, i) => checkContract("tensordot", a, b, v, bx[i]));
  return lax.dot_general(a, b, [[ax, bx], [[], []]]);
}

/**
 * Einstein summation for explicit and implicit subscripts, e.g. `"ij,jk->ik"`,
 * `"ii->i"` is not supported (repeated indices within one operand).
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * jnp.einsum("ij,jk->ik", jnp.ones([2, 3]), jnp.ones([3, 4])).shape; // [2, 4]
 * ```
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): NDArray {
  const spec = subscripts.replace(/\s/g, "");
  const [lhs, rhsGiven] = spec.split("->");
  const ins = lhs.split(",");
  if (ins.length !== operands.length) {
    throw new ValueError(`einsum: ${ins.length} operand subscripts for ${operands.length} operands`);
  }
  const counts = new Map<string, number>();
  for (const s of ins) for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  const out = rhsGiven ?? [...counts.keys()].filter((c) => counts.get(c) === 1).sort().join("");
  const arrs = promoteDTypes(...operands);
  const sizes = new Map<string, number>();
  ins.forEach((s, i) => {
    if (s.length !== arrs[i].ndim) {
      throw new ShapeError(`einsum: operand ${i} has ${arrs[i].ndim} dims but subscripts '${s}'`);
    }
    if (new Set(s).size !== s.length) {
      throw new ValueError(`einsum: repeated index within one operand ('${s}') is not supported`);
    }
    [...s].forEach((c, k) => {
      const n = arrs[i].shape[k];
      if (sizes.has(c) && sizes.get(c) !== n) {
        throw new ShapeError(`einsum: index '${c}' has sizes ${sizes.get(c)} and ${n}`);
      }
      sizes.set(c, n);
    });
  });
  // Sum out indices that appear in one operand only and not in the output.
  const reduceOwn = (a: NDArray, s: string, keep: Set<string>): [NDArray, string] => {
    const drop = [...s].map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
    if (!drop.length) return [a, s];
    return [lax.reduce_sum(a, drop), [...s].filter((_, i) => !drop.includes(i)).join("")];
  };
  const needed = (from: number) => {
    const k = new Set(out);
    ins.slice(from).forEach((s) => [...s].forEach((c) => k.add(c)));
    return k;
  };
  let [acc, accS] = reduceOwn(arrs[0], ins[0], new Set([...needed(1)]));
  for (let i = 1; i < arrs.length; i++) {
    const later = needed(i + 1);
    const [b, bS] = reduceOwn(arrs[i], ins[i], new Set([...later, ...accS]));
    const [a, aS] = reduceOwn(acc, accS, new Set([...later, ...bS]));
    const shared = [...aS].filter((c) => bS.includes(c));
    const batch = shared.filter((c) => later.has(c));
    const contract = shared.filter((c) => !later.has(c));
    acc = lax.dot_general(a, b, [
      [contract.map((c) => aS.indexOf(c)), contract.map((c) => bS.indexOf(c))],
      [batch.map((c) => aS.indexOf(c)), batch.map((c) => bS.indexOf(c))],
    ]);
    accS = batch.join("") + [...aS].filter((c) => !shared.includes(c)).join("") +
      [...bS].filter((c) => !shared.includes(c)).join("");
  }
  [acc, accS] = reduceOwn(acc, accS, new Set(out));
  for (const c of out) {
    if (!accS.includes(c)) throw new ValueError(`einsum: output index '${c}' does not appear in the inputs`);
  }
  const perm = [...out].map((c) => accS.indexOf(c));
  return perm.every((p, i) => p === i) ? acc : lax.transpose(acc, perm);
}

/** Options of linalg.norm. */
export interface NormOptions {
  /** Order: vectors 1, 2, Infinity, -Infinity, 0 or p; matrices "fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity. */
  ord?: number | "fro" | "nuc" | null;
  /** Axis (vector norm) or pair of axes (matrix norm); all of a 1-d/2-d array when omitted. */
  axis?: number | [number, number] | null;
  /** Keep the reduced axes. */
  keepdims?: boolean;
}

function norm(x: ArrayLike, o: NormOptions = {}): NDArray {
  const a = promoteFloat("norm", x)[0];
  const ord = o.ord ?? null;
  let axes: number[];
  if (o.axis === undefined || o.axis === null) {
    if (ord !== null && a.ndim > 2) throw new AxisError("norm: give axis for arrays of more than 2 dimensions");
    axes = ord === null ? [...Array(a.ndim).keys()] : [...Array(a.ndim).keys()];
  } else {
    // Kept in the given order: for a matrix norm the first axis is the rows.
    axes = (typeof o.axis === "number" ? [o.axis] : o.axis).map((ax) => normAxis("norm", ax, a.ndim));
    if (new Set(axes).size !== axes.length) throw new AxisError(`norm: repeated axis in ${JSON.stringify(o.axis)}`);
  }
  const keepdims = o.keepdims;
  if (axes.length === 1 || (ord === null && (o.axis === undefined || o.axis === null))) {
    const ax = axes;
    const ab = abs(a);
    if (ord === null || ord === 2) return lax.sqrt(sum(lax.mul(a, a), { axis: ax, keepdims }));
    if (ord === "fro" || ord === "nuc") throw new ValueError(`norm: '${ord}' is a matrix norm; give two axes`);
    if (ord === Infinity) return reduceKeep(lax.reduce_max, ab, ax, keepdims);
    if (ord === -Infinity) return reduceKeep(lax.reduce_min, ab, ax, keepdims);
    if (ord === 0) return sum(lax.convert_element_type(lax.ne(a, 0), a.dtype), { axis: ax, keepdims });
    if (ord === 1) return sum(ab, { axis: ax, keepdims });
    const p = lax.full([], ord, a.dtype);
    return lax.pow(sum(lax.pow(ab, p), { axis: ax, keepdims }), lax.div(lax.full([], 1, a.dtype), p));
  }
  if (axes.length !== 2) throw new AxisError("norm: axis must be one axis or a pair");
  const [r, c] = axes;
  const ab = abs(a);
  if (ord === null || ord === "fro") return lax.sqrt(sum(lax.mul(a, a), { axis: axes, keepdims }));
  const colSums = (ax: number) => sum(ab, { axis: ax, keepdims: true });
  let v: NDArray;
  if (ord === 1) v = reduceKeep(lax.reduce_max, colSums(r), [c], true);
  else if (ord === -1) v = reduceKeep(lax.reduce_min, colSums(r), [c], true);
  else if (ord === Infinity) v = reduceKeep(lax.reduce_max, colSums(c), [r], true);
  else if (ord === -Infinity) v = reduceKeep(lax.reduce_min, colSums(c), [r], true);
  else if (ord === 2 || ord === -2 || ord === "nuc") {
    // From the singular values, with the two axes moved last (as JAX).
    const rest = [...Array(a.ndim).keys()].filter((i) => i !== r && i !== c);
    const s = svd(lax.transpose(a, [...rest, r, c]), { computeUv: false });
    const last = s.ndim - 1;
    const y = ord === 2
      ? lax.reduce_max(s, [last])
      : ord === -2
      ? lax.reduce_min(s, [last])
      : lax.reduce_sum(s, [last]);
    return keepdims ? lax.reshape(y, a.shape.map((d, i) => (i === r || i === c ? 1 : d))) : y;
  } else {
    throw new ValueError(`norm: invalid matrix ord=${ord}; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity`);
  }
  return keepdims ? v : lax.reshape(v, a.shape.filter((_, i) => i !== r && i !== c));
}

function reduceKeep(
  f: (x: NDArray, axes: number[]) => NDArray,
  x: NDArray,
  axes: number[],
  keepdims?: boolean,
): NDArray {
  const y = f(x, axes);
  return keepdims ? lax.reshape(y, x.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : y;
}

/**
 * Solves `a x = b` for square `a`; `b` is a vector `[..., n]` or matrix
 * `[..., n, k]`, batched over leading axes. A singular `a` gives inf/nan, as in JAX.
 */
function solve(a: ArrayLike, b: ArrayLike): NDArray {
  let [A, B] = promoteFloatPair(a, b);
  if (A.ndim < 2 || A.shape[A.ndim - 1] !== A.shape[A.ndim - 2]) {
    throw new ShapeError(`solve: a must be a square matrix (or a batch of them), got shape ${fmtShape(A.shape)}`);
  }
  const vec = B.ndim === A.ndim - 1;
  if (vec) B = lax.reshape(B, [...B.shape, 1]);
  const batch = broadcastShapes("solve", A.shape.slice(0, -2), B.shape.slice(0, -2));
  A = broadcastTo(A, [...batch, ...A.shape.slice(-2)], "solve");
  B = broadcastTo(B, [...batch, ...B.shape.slice(-2)], "solve");
  const x = lax.linalg_solve(A, B);
  return vec ? lax.squeeze(x, [x.ndim - 1]) : x;
}

function promoteFloatPair(a: ArrayLike, b: ArrayLike): [NDArray, NDArray] {
  const [fa, fb] = promoteFloatDTypes(a, b);
  return [fa, fb];
}

/** The inverse of a square matrix (via solve). */
function inv(a: ArrayLike): NDArray {
  const A = promoteFloat("inv", a)[0];
  const n = A.shape[A.ndim - 1];
  return solve(A, broadcastTo(eye(n, n, { dtype: A.dtype }), A.shape, "inv"));
}

/** The singular values, descending (`svd` without vectors). */
function svdvals(x: ArrayLike): NDArray {
  return svd(x, { computeUv: false });
}

/**
 * The condition number: `s[0] / s[-1]` for `p` null or 2, `s[-1] / s[0]` for
 * -2, else `norm(x, p) * norm(inv(x), p)`; NaN from a singular matrix (without
 * NaN entries) becomes inf, as in JAX.
 */
function cond(x: ArrayLike, p: number | "fro" | "nuc" | null = null): NDArray {
  const a = promoteFloat("cond", x)[0];
  if (a.ndim < 2) throw new ShapeError(`cond: needs a matrix or a batch of them, got ${fmtShape(a.shape)}`);
  const nd = a.ndim;
  const first = (v: NDArray, i: number) =>
    lax.reshape(
      lax.slice(
        v,
        v.shape.map((_, k) => (k === v.ndim - 1 ? i : 0)),
        v.shape.map((d, k) => (k === v.ndim - 1 ? i + 1 : d)),
      ),
      v.shape.slice(0, -1),
    );
  let r: NDArray;
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(a);
    const k = s.shape[s.ndim - 1];
    const [big, small] = [first(s, 0), first(s, k - 1)];
    if (p !== -2) return lax.div(big, small);
    r = lax.div(small, big);
  } else {
    if (a.shape[nd - 1] !== a.shape[nd - 2]) {
      throw new ShapeError(`cond: for p=${p} the matrix must be square, got ${fmtShape(a.shape)}`);
    }
    const axis: [number, number] = [nd - 2, nd - 1];
    r = lax.mul(norm(a, { ord: p, axis }), norm(inv(a), { ord: p, axis }));
  }
  const anyNan = lax.gt(lax.reduce_sum(lax.convert_element_type(lax.ne(a, a), "int32"), [nd - 2, nd - 1]), 0);
  const toInf = lax.and(lax.ne(r, r), lax.not(anyNan));
  return lax.select_n(toInf, r, lax.full([...r.shape], Infinity, r.dtype));
}

/** The product of a chain of matrices (the first may be a vector, as may the last). */
function multi_dot(arrays: ArrayLike[]): NDArray {
  if (arrays.length < 2) throw new ValueError(`multi_dot: needs at least two arrays, got ${arrays.length}`);
  const arrs = promoteDTypes(...arrays);
  const last = arrs.length - 1;
  arrs.forEach((a, i) => {
    const ok = i === 0 || i === last ? a.ndim === 1 || a.ndim === 2 : a.ndim === 2;
    if (!ok) {
      throw new ShapeError(
        `multi_dot: the first and last arrays must be 1-d or 2-d and the others 2-d; array ${i} has shape ${
          fmtShape(a.shape)
        }`,
      );
    }
  });
  return arrs.slice(1).reduce((acc, a) => matmul(acc, a), arrs[0]);
}

/**
 * `jnp.linalg`: solve, inv, norm, det, slogdet, cholesky, eigh, eigvalsh, qr,
 * svd, svdvals, lstsq, pinv, matrix_rank, matrix_power, cond, multi_dot.
 *
 * @example
 * ```ts
 * import { jnp } from "@jaxd/jaxd";
 * const x = jnp.linalg.solve(jnp.array([[2, 0], [0, 4]]), jnp.array([2, 4]));
 * x.tolist(); // [1, 1]
 * ```
 */
export const linalg: {
  solve: typeof solve;
  inv: typeof inv;
  norm: typeof norm;
  det: typeof det;
  slogdet: typeof slogdet;
  cholesky: typeof cholesky;
  eigh: typeof eigh;
  eigvalsh: typeof eigvalsh;
  qr: typeof qr;
  svd: typeof svd;
  lstsq: typeof lstsq;
  pinv: typeof pinv;
  matrix_rank: typeof matrix_rank;
  matrix_power: typeof matrix_power;
  svdvals: typeof svdvals;
  cond: typeof cond;
  multi_dot: typeof multi_dot;
} = {
  solve,
  inv,
  norm,
  det,
  slogdet,
  cholesky,
  eigh,
  eigvalsh,
  qr,
  svd,
  lstsq,
  pinv,
  matrix_rank,
  matrix_power,
  svdvals,
  cond,
  multi_dot,
};
