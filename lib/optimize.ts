/**
 * `jax.scipy.optimize`: `minimize(fun, x0, { method: "BFGS" })` and the
 * strong-Wolfe `line_search` under it.
 *
 * Both are written with `lax.while_loop` and selects only (no host reads),
 * so they run eagerly and trace into `jax.jit` as one staged loop, as JAX's do.
 * The algorithm is BFGS (Nocedal & Wright, Algorithm 6.1) with the bracketing
 * and zoom line search of their Algorithms 3.5 / 3.6 (cubic, then quadratic,
 * then bisection trial steps, with SciPy's safeguards). Where it departs from
 * `jax.scipy.optimize`, it does so to keep going where JAX's gives up (JAX
 * stops with status 3 on Rosenbrock from the standard start, in float32 and
 * in float64):
 *
 * - The line search is one state machine that evaluates one trial step per
 *   iteration (JAX runs two nested zoom loops in every bracketing step).
 * - When the zoom stalls (the bracket shrinks below rounding, or the
 *   evaluation budget runs out) it returns the best step found so far with
 *   sufficient decrease (Armijo) instead of failing; the BFGS update is then
 *   skipped if that step has no positive curvature (`yᵀs ≤ 0`).
 * - When no step decreases `f` along `-H g` (or `-H g` is not a descent
 *   direction), the inverse Hessian is reset to the identity and the search
 *   retried along `-g`; only if that fails too does BFGS stop (status 3).
 * - The first trial step follows SciPy (`min(1, 2.02 (f_k - f_{k-1}) / ∇f·p)`),
 *   falling back to 1 when that estimate is not a positive number.
 *
 * @module
 */

import type { NDArray } from "./array.ts";
import { value_and_grad } from "./api.ts";
import { while_loop } from "./control.ts";
import { ShapeError, ValueError } from "./errors.ts";
import * as lax from "./lax.ts";
import { abs, add, dot, eye, multiply, outer, subtract, where } from "./numpy.ts";
import { linalg } from "./numpy/linalg.ts";
import { asArray } from "./numpy/util.ts";
import type { PyTree } from "./tree.ts";
import { isFloat } from "./dtype.ts";

/**
 * An objective: a scalar function of a 1-d array (plus any `args`).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f: jax.scipy.optimize.Objective = (x) => jnp.sum(x.sub(3).pow(2));
 * jax.scipy.optimize.minimize(f, jnp.zeros([2]), { method: "BFGS" }).x; // Array([3., 3.], dtype=float32)
 * ```
 */
export type Objective = (x: NDArray, ...args: PyTree[]) => NDArray;

/**
 * The result of `minimize`, as `jax.scipy.optimize.OptimizeResults`; every field is an array.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const r: jax.scipy.optimize.OptimizeResults = jax.scipy.optimize.minimize(
 *   (x) => jnp.sum(x.pow(2)),
 *   jnp.array([1, 2]),
 *   { method: "BFGS" },
 * );
 * [r.success.item(), r.status.item()]; // converged: [1, 0] (r.fun ≈ 0, r.x ≈ [0, 0])
 * ```
 */
export interface OptimizeResults {
  /** The final point. */
  x: NDArray;
  /** True (bool scalar) when the gradient norm fell below gtol. */
  success: NDArray;
  /** 0 converged, 1 maxiter reached, 3 line search failed even along `-∇f` after a restart (int32). */
  status: NDArray;
  /** `fun(x)`. */
  fun: NDArray;
  /** `∇fun(x)`. */
  jac: NDArray;
  /** The final inverse-Hessian estimate. */
  hess_inv: NDArray;
  /** Number of function evaluations (each also evaluates the gradient). */
  nfev: NDArray;
  /** Number of gradient evaluations (equal to nfev). */
  njev: NDArray;
  /** Number of BFGS iterations (accepted steps). */
  nit: NDArray;
}

/**
 * Options of the BFGS method (`options` of minimize).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (x: jnp.NDArray) => jnp.sum(x.pow(4));
 * const r = jax.scipy.optimize.minimize(f, jnp.array([1, -1]), { method: "BFGS", options: { maxiter: 3, gtol: 1e-8 } });
 * r.status.item(); // 1: maxiter reached
 * ```
 */
export interface BfgsOptions {
  /** Maximum number of iterations (default `200 * x0.size`). */
  maxiter?: number;
  /** Stop when `norm(∇f) <= gtol` (default 1e-5, or `tol` when given). */
  gtol?: number;
  /** The norm of the gradient test: `Infinity` (default), `-Infinity`, or any p ≥ 1. */
  norm?: number;
  /** Trial steps allowed per line search (default 30). */
  line_search_maxiter?: number;
  /** The initial inverse-Hessian estimate, an (n, n) array (default the identity), as SciPy's option. */
  hess_inv0?: NDArray;
}

/**
 * Options of minimize: the method (required, as in JAX), extra arguments and tolerances.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * // f(x, c) = sum((x - c)^2), with c passed through args.
 * const f = (x: jnp.NDArray, c: unknown) => jnp.sum(x.sub(c as jnp.NDArray).pow(2));
 * jax.scipy.optimize.minimize(f, jnp.zeros([2]), { method: "bfgs", args: [jnp.array([1, 2])], tol: 1e-6 }).x;
 * // Array([1.0000002, 2.0000005], dtype=float32)
 * ```
 */
export interface MinimizeOptions {
  /** The solver; only `"BFGS"` (any case). */
  method: string;
  /** Extra arguments: `fun(x, ...args)`. */
  args?: PyTree[];
  /** Sets gtol when `options.gtol` is absent, as SciPy does (JAX ignores tol). */
  tol?: number;
  /** Solver options. */
  options?: BfgsOptions;
}

/**
 * Options of line_search.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (x: jnp.NDArray) => jnp.sum(x.mul(x));
 * const xk = jnp.array([1, 1]);
 * const r = jax.scipy.optimize.line_search(f, xk, jnp.array([-1, -1]), { old_fval: f(xk), c1: 1e-4, c2: 0.9 });
 * r.a_k.item(); // 1
 * ```
 */
export interface LineSearchOptions {
  /** `f(xk)` if known (saves one evaluation, together with gfk). */
  old_fval?: NDArray;
  /** `∇f(xk)` if known. */
  gfk?: NDArray;
  /** `f` at the previous iterate: sets the first trial step as SciPy does. */
  old_old_fval?: NDArray;
  /** Sufficient-decrease constant (1e-4). */
  c1?: number;
  /** Curvature constant (0.9). */
  c2?: number;
  /** Trial steps allowed (30). */
  maxiter?: number;
}

/**
 * The result of line_search (every field an array).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (x: jnp.NDArray) => jnp.sum(x.mul(x));
 * const r: jax.scipy.optimize.LineSearchResults = jax.scipy.optimize.line_search(f, jnp.array([1, 1]), jnp.array([-1, -1]));
 * [r.failed.item(), r.status.item(), r.a_k.item()]; // [0, 0, 1]
 * ```
 */
export interface LineSearchResults {
  /** True when no step with sufficient decrease was found. */
  failed: NDArray;
  /** 0 strong Wolfe conditions met, 1 only sufficient decrease (best step of a stalled search), 2 failed. */
  status: NDArray;
  /** The step length. */
  a_k: NDArray;
  /** `f(xk + a_k pk)`. */
  f_k: NDArray;
  /** `∇f(xk + a_k pk)`. */
  g_k: NDArray;
  /** Number of evaluations of f (and of its gradient). */
  nfev: NDArray;
}

type Scalar = NDArray;
type FuncAndGrad = (x: NDArray) => [NDArray, NDArray];

const full = (v: number | boolean, like: NDArray | string): NDArray =>
  lax.full([], v as number, typeof like === "string" ? like as never : like.dtype);
const sel = (pred: NDArray, a: NDArray, b: NDArray): NDArray => where(pred, a, b);
const andAll = (...xs: NDArray[]) => xs.reduce((a, b) => lax.and(a, b));
const int32 = (v: number) => lax.full([], v, "int32");

/** SciPy's `_cubicmin`: minimiser of the cubic through (a, fa, fpa), (b, fb), (c, fc); nan if none. */
function cubicmin(a: Scalar, fa: Scalar, fpa: Scalar, b: Scalar, fb: Scalar, c: Scalar, fc: Scalar): Scalar {
  const db = lax.sub(b, a);
  const dc = lax.sub(c, a);
  const denom = lax.mul(lax.integer_pow(lax.mul(db, dc), 2), lax.sub(db, dc));
  const rb = lax.sub(lax.sub(fb, fa), lax.mul(fpa, db));
  const rc = lax.sub(lax.sub(fc, fa), lax.mul(fpa, dc));
  const A = lax.div(lax.sub(lax.mul(lax.integer_pow(dc, 2), rb), lax.mul(lax.integer_pow(db, 2), rc)), denom);
  const B = lax.div(lax.sub(lax.mul(lax.integer_pow(db, 3), rc), lax.mul(lax.integer_pow(dc, 3), rb)), denom);
  const radical = lax.sub(lax.mul(B, B), lax.mul(lax.mul(A, fpa), full(3, a)));
  return lax.add(a, lax.div(lax.add(lax.neg(B), lax.sqrt(radical)), lax.mul(A, full(3, a))));
}

/** SciPy's `_quadmin`: minimiser of the quadratic through (a, fa, fpa), (b, fb). */
function quadmin(a: Scalar, fa: Scalar, fpa: Scalar, b: Scalar, fb: Scalar): Scalar {
  const db = lax.sub(b, a);
  const B = lax.div(lax.sub(lax.sub(fb, fa), lax.mul(fpa, db)), lax.mul(db, db));
  return lax.sub(a, lax.div(fpa, lax.mul(B, full(2, a))));
}

/**
 * The line-search state. `lo` is the best step so far that has sufficient
 * decrease (step 0 at the start); while bracketing (`zoom` false) it is also
 * the previous trial, and the next trial is `next`. While zooming, the
 * minimiser lies between `lo` and `hi`, and `rec` is the point dropped last
 * (the third point of the cubic).
 */
interface LsState {
  zoom: NDArray;
  done: NDArray;
  stalled: NDArray;
  i: NDArray;
  j: NDArray;
  next: Scalar;
  a_lo: Scalar;
  phi_lo: Scalar;
  dphi_lo: Scalar;
  g_lo: NDArray;
  a_hi: Scalar;
  phi_hi: Scalar;
  dphi_hi: Scalar;
  a_rec: Scalar;
  phi_rec: Scalar;
  a_star: Scalar;
  phi_star: Scalar;
  g_star: NDArray;
}

function searchLine(
  fg: FuncAndGrad,
  xk: NDArray,
  pk: NDArray,
  phi0: Scalar,
  g0: NDArray,
  start: Scalar,
  c1: number,
  c2: number,
  maxiter: number,
): LineSearchResults {
  const dt = xk.dtype;
  const dphi0 = dot(g0, pk);
  const eps = dt === "float64" ? 2 ** -52 : 2 ** -23;
  // Armijo written so that a nan value counts as a violation.
  const armijoFails = (a: Scalar, phi: Scalar) =>
    lax.not(lax.le(phi, lax.add(phi0, lax.mul(lax.mul(full(c1, dt), a), dphi0))));
  const curvatureHolds = (dphi: Scalar) => lax.le(abs(dphi), lax.mul(full(-c2, dt), dphi0));
  const zero = full(0, dt);
  const init: LsState = {
    zoom: full(false, "bool"),
    done: full(false, "bool"),
    stalled: full(false, "bool"),
    i: int32(0),
    j: int32(0),
    next: start,
    a_lo: zero,
    phi_lo: phi0,
    dphi_lo: dphi0,
    g_lo: g0,
    a_hi: zero,
    phi_hi: phi0,
    dphi_hi: dphi0,
    a_rec: zero,
    phi_rec: phi0,
    a_star: zero,
    phi_star: phi0,
    g_star: g0,
  };
  const cond = (s: LsState) => andAll(lax.not(s.done), lax.not(s.stalled), lax.lt(s.i, int32(maxiter)));
  const body = (s: LsState): LsState => {
    // The trial step: doubling while bracketing; cubic, quadratic or bisection while zooming.
    const dalpha = lax.sub(s.a_hi, s.a_lo);
    const left = lax.min(s.a_lo, s.a_hi);
    const right = lax.max(s.a_lo, s.a_hi);
    const cchk = lax.mul(full(0.2, dt), abs(dalpha));
    const qchk = lax.mul(full(0.1, dt), abs(dalpha));
    const cubic = cubicmin(s.a_lo, s.phi_lo, s.dphi_lo, s.a_hi, s.phi_hi, s.a_rec, s.phi_rec);
    const useCubic = andAll(
      lax.gt(s.j, int32(0)),
      lax.gt(cubic, lax.add(left, cchk)),
      lax.lt(cubic, lax.sub(right, cchk)),
    );
    const quad = quadmin(s.a_lo, s.phi_lo, s.dphi_lo, s.a_hi, s.phi_hi);
    const useQuad = andAll(lax.gt(quad, lax.add(left, qchk)), lax.lt(quad, lax.sub(right, qchk)));
    const bisect = lax.mul(lax.add(s.a_lo, s.a_hi), full(0.5, dt));
    const zoomStep = sel(useCubic, cubic, sel(useQuad, quad, bisect));
    const a = sel(s.zoom, zoomStep, s.next);

    const [phiRaw, g] = fg(add(xk, multiply(a, pk)));
    const phi = phiRaw.astype(dt);
    const dphi = dot(g, pk);
    const first = lax.eq(s.i, int32(0));

    // Which way the new point goes (Nocedal & Wright, Algorithms 3.5 and 3.6).
    const worse = lax.or(armijoFails(a, phi), lax.ge(phi, s.phi_lo));
    // While bracketing the first trial is compared with phi0 by Armijo only (as SciPy/JAX).
    const becomesHi = sel(s.zoom, worse, lax.or(armijoFails(a, phi), lax.and(lax.ge(phi, s.phi_lo), lax.not(first))));
    const accept = lax.and(lax.not(becomesHi), curvatureHolds(dphi));
    const better = lax.and(lax.not(becomesHi), lax.not(accept));
    // Slope points back towards lo: the old lo becomes hi (while bracketing: dphi >= 0).
    const flip = lax.and(better, sel(s.zoom, lax.ge(lax.mul(dphi, dalpha), zero), lax.ge(dphi, zero)));
    const keepBracketing = andAll(lax.not(s.zoom), better, lax.not(flip));

    const n: LsState = { ...s };
    // hi <- new point (rec <- old hi).
    n.a_rec = sel(becomesHi, s.a_hi, sel(flip, s.a_hi, sel(better, s.a_lo, s.a_rec)));
    n.phi_rec = sel(becomesHi, s.phi_hi, sel(flip, s.phi_hi, sel(better, s.phi_lo, s.phi_rec)));
    n.a_hi = sel(becomesHi, a, sel(flip, s.a_lo, s.a_hi));
    n.phi_hi = sel(becomesHi, phi, sel(flip, s.phi_lo, s.phi_hi));
    n.dphi_hi = sel(becomesHi, dphi, sel(flip, s.dphi_lo, s.dphi_hi));
    // lo <- new point whenever it is an improvement with sufficient decrease.
    const toLo = lax.or(better, accept);
    n.a_lo = sel(toLo, a, s.a_lo);
    n.phi_lo = sel(toLo, phi, s.phi_lo);
    n.dphi_lo = sel(toLo, dphi, s.dphi_lo);
    n.g_lo = sel(toLo, g, s.g_lo);
    n.a_star = sel(accept, a, s.a_star);
    n.phi_star = sel(accept, phi, s.phi_star);
    n.g_star = sel(accept, g, s.g_star);
    n.done = lax.or(s.done, accept);
    // Entering zoom resets its counter (the cubic needs a third point from the zoom itself).
    const enterZoom = lax.and(lax.not(s.zoom), lax.not(lax.or(keepBracketing, accept)));
    n.zoom = lax.or(s.zoom, enterZoom);
    n.j = sel(enterZoom, int32(0), sel(s.zoom, lax.add(s.j, int32(1)), s.j));
    n.next = lax.mul(a, full(2, dt));
    n.i = lax.add(s.i, int32(1));
    // A zoom whose bracket shrank below rounding cannot make progress.
    const width = abs(lax.sub(n.a_hi, n.a_lo));
    const scale = lax.max(abs(n.a_lo), abs(n.a_hi));
    n.stalled = andAll(n.zoom, lax.not(n.done), lax.le(width, lax.mul(full(4 * eps, dt), scale)));
    return n;
  };
  const s = while_loop(cond, body, init) as LsState;
  // A search that did not meet the curvature condition still returns its best decrease, if any.
  const weak = andAll(lax.not(s.done), lax.gt(s.a_lo, zero));
  const failed = andAll(lax.not(s.done), lax.not(weak));
  return {
    failed,
    status: sel(s.done, int32(0), sel(weak, int32(1), int32(2))),
    a_k: sel(s.done, s.a_star, s.a_lo),
    f_k: sel(s.done, s.phi_star, s.phi_lo),
    g_k: sel(s.done, s.g_star, s.g_lo),
    nfev: s.i,
  };
}

function funcAndGrad(fun: Objective, args: PyTree[], op: string): FuncAndGrad {
  const vg = value_and_grad((x: NDArray) => fun(x, ...args));
  return (x: NDArray) => {
    const out = vg(x) as [NDArray, NDArray];
    if (out[0].ndim !== 0) throw new ShapeError(`${op}: fun must return a scalar, got shape (${out[0].shape})`);
    return out;
  };
}

function checkX(x: NDArray | number[], op: string): NDArray {
  let a = asArray(x as never);
  if (a.ndim !== 1) {
    throw new ShapeError(`${op}: x0 must be a 1-d array, got shape (${a.shape}); reshape it (x0.reshape([-1]))`);
  }
  // Integer and bool starts become the default float type (JAX promotes them the same way).
  if (!isFloat(a.dtype)) a = a.astype(lax.full([], 0.5).dtype);
  return a;
}

/** The first trial step, as SciPy: `min(1, 2.02 (phi0 - old_phi0) / dphi0)`, or 1 if that is not positive. */
function startStep(phi0: Scalar, oldPhi0: Scalar, dphi0: Scalar): Scalar {
  const dt = phi0.dtype;
  const cand = lax.div(lax.mul(full(2.02, dt), lax.sub(phi0, oldPhi0)), dphi0);
  return sel(lax.and(lax.gt(cand, full(0, dt)), lax.lt(cand, full(1, dt))), cand, full(1, dt));
}

/**
 * A line search along `pk` from `xk` for a step satisfying the strong Wolfe
 * conditions (`f(x + a p) <= f(x) + c1 a ∇f·p` and `|∇f(x + a p)·p| <= c2 |∇f·p|`),
 * Nocedal & Wright Algorithms 3.5 and 3.6. When the zoom stalls it returns
 * its best step with sufficient decrease (status 1); status 2 means no
 * decrease was found. Traceable (one `lax.while_loop`).
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const f = (x: jnp.NDArray) => jnp.sum(x.mul(x));
 * const r = jax.scipy.optimize.line_search(f, jnp.array([1, 1]), jnp.array([-1, -1]));
 * r.a_k.item(); // 1 (the exact minimiser along the line)
 * ```
 */
export function line_search(
  f: Objective,
  xk: NDArray | number[],
  pk: NDArray | number[],
  o: LineSearchOptions = {},
): LineSearchResults {
  const x = checkX(xk, "line_search");
  const p = checkX(pk, "line_search").astype(x.dtype);
  if (p.shape[0] !== x.shape[0]) {
    throw new ShapeError(`line_search: xk has shape (${x.shape}) but pk has (${p.shape})`);
  }
  const fg = funcAndGrad(f, [], "line_search");
  let phi0: NDArray, g0: NDArray, extra = 0;
  if (o.old_fval !== undefined && o.gfk !== undefined) [phi0, g0] = [asArray(o.old_fval).astype(x.dtype), o.gfk];
  else [[phi0, g0], extra] = [fg(x), 1];
  const dphi0 = dot(g0, p);
  const start = o.old_old_fval === undefined ? full(1, x.dtype) : startStep(phi0, asArray(o.old_old_fval), dphi0);
  const r = searchLine(fg, x, p, phi0.astype(x.dtype), g0, start, o.c1 ?? 1e-4, o.c2 ?? 0.9, o.maxiter ?? 30);
  return { ...r, nfev: lax.add(r.nfev, int32(extra)) };
}

interface BfgsState {
  converged: NDArray;
  failed: NDArray;
  k: NDArray;
  nfev: NDArray;
  x: NDArray;
  f: Scalar;
  g: NDArray;
  H: NDArray;
  old_old_fval: Scalar;
  fresh: NDArray;
}

function gradNorm(g: NDArray, ord: number): NDArray {
  return linalg.norm(g, { ord });
}

function minimizeBfgs(fun: Objective, x0: NDArray, args: PyTree[], o: BfgsOptions): OptimizeResults {
  const n = x0.shape[0];
  const dt = x0.dtype;
  const maxiter = o.maxiter ?? 200 * n;
  const gtol = o.gtol ?? 1e-5;
  const ord = o.norm ?? Infinity;
  const lsMaxiter = o.line_search_maxiter ?? 30;
  if (!Number.isInteger(maxiter) || maxiter < 0) {
    throw new ValueError(`minimize: maxiter must be an integer >= 0, got ${maxiter}`);
  }
  if (!(gtol >= 0)) throw new ValueError(`minimize: gtol must be >= 0, got ${gtol}`);
  if (!(ord === Infinity || ord === -Infinity || ord >= 1)) {
    throw new ValueError(`minimize: norm must be Infinity, -Infinity or a number >= 1, got ${ord}`);
  }
  if (!Number.isInteger(lsMaxiter) || lsMaxiter < 1) {
    throw new ValueError(`minimize: line_search_maxiter must be an integer >= 1, got ${lsMaxiter}`);
  }
  const fg = funcAndGrad(fun, args, "minimize");
  const [f0raw, g0] = fg(x0);
  const f0 = f0raw.astype(dt);
  const identity = eye(n, { dtype: dt });
  const H0 = o.hess_inv0 === undefined ? identity : asArray(o.hess_inv0).astype(dt);
  if (H0.shape.length !== 2 || H0.shape[0] !== n || H0.shape[1] !== n) {
    throw new ShapeError(`minimize: hess_inv0 must have shape (${n}, ${n}), got (${H0.shape})`);
  }
  const tolOf = full(gtol, dt);
  const init: BfgsState = {
    converged: lax.le(gradNorm(g0, ord), tolOf),
    failed: full(false, "bool"),
    k: int32(0),
    nfev: int32(1),
    x: x0,
    f: f0,
    g: g0,
    H: H0,
    // SciPy's start: makes the first trial step 1.01 / |g0| along -g0 (a step of length ~1).
    old_old_fval: lax.add(f0, lax.div(gradNorm(g0, 2), full(2, dt))),
    fresh: full(o.hess_inv0 === undefined, "bool"),
  };
  const cond = (s: BfgsState) => andAll(lax.not(s.converged), lax.not(s.failed), lax.lt(s.k, int32(maxiter)));
  const body = (s: BfgsState): BfgsState => {
    // Search along -H g; if that is not a descent direction, restart from H = I.
    const p0 = lax.neg(dot(s.H, s.g));
    const descent = lax.lt(dot(s.g, p0), full(0, dt));
    const H = sel(descent, s.H, identity);
    const fresh = lax.or(s.fresh, lax.not(descent));
    const p = sel(descent, p0, lax.neg(s.g));
    const oldOld = sel(descent, s.old_old_fval, lax.add(s.f, lax.div(gradNorm(s.g, 2), full(2, dt))));
    const ls = searchLine(fg, s.x, p, s.f, s.g, startStep(s.f, oldOld, dot(s.g, p)), 1e-4, 0.9, lsMaxiter);
    const step = lax.not(ls.failed);
    const sk = multiply(ls.a_k, p);
    const yk = subtract(ls.g_k, s.g);
    const ys = dot(yk, sk);
    // BFGS update H+ = (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ, expanded:
    // H - ρ (s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ. Skipped without positive curvature.
    const rho = lax.div(full(1, dt), ys);
    const Hy = dot(H, yk);
    const sHy = outer(sk, Hy);
    const coef = lax.add(lax.mul(lax.mul(rho, rho), dot(yk, Hy)), rho);
    const Hnew = add(subtract(H, multiply(rho, add(sHy, lax.transpose(sHy, [1, 0])))), multiply(coef, outer(sk, sk)));
    const curvature = andAll(step, lax.gt(ys, full(0, dt)), lax.is_finite(rho));
    const Hnext = sel(curvature, Hnew, H);
    const x = sel(step, add(s.x, sk), s.x);
    const f = sel(step, ls.f_k, s.f);
    const g = sel(step, ls.g_k, s.g);
    // A failed search restarts from H = I along -g; failing from a fresh start ends the run.
    return {
      converged: lax.and(step, lax.le(gradNorm(g, ord), tolOf)),
      failed: lax.and(lax.not(step), fresh),
      k: lax.add(s.k, lax.convert_element_type(step, "int32")),
      nfev: lax.add(s.nfev, ls.nfev),
      x,
      f,
      g,
      H: sel(step, Hnext, identity),
      old_old_fval: sel(step, s.f, lax.add(s.f, lax.div(gradNorm(s.g, 2), full(2, dt)))),
      fresh: lax.not(step),
    };
  };
  const s = while_loop(cond, body, init) as BfgsState;
  const status = sel(s.converged, int32(0), sel(s.failed, int32(3), int32(1)));
  return {
    x: s.x,
    success: s.converged,
    status,
    fun: s.f,
    jac: s.g,
    hess_inv: s.H,
    nfev: s.nfev,
    njev: s.nfev,
    nit: s.k,
  };
}

/**
 * Minimises a scalar function of a 1-d array, as `jax.scipy.optimize.minimize`
 * (only `method: "BFGS"`). Gradients come from `jax.value_and_grad`, so `fun`
 * must be differentiable. Runs eagerly or inside `jax.jit` (the whole solve
 * is one `lax.while_loop`). Returns arrays, as JAX does: read them with
 * `.item()` / `.tolist()`.
 *
 * @example
 * ```ts
 * import { jax, jnp } from "@jaxd/jaxd";
 * const rosen = (x: jnp.NDArray) =>
 *   jnp.square(jnp.subtract(1, x.get(0))).add(jnp.square(x.get(1).sub(x.get(0).pow(2))).mul(100));
 * const r = jax.scipy.optimize.minimize(rosen, jnp.array([-1.2, 1]), { method: "BFGS" });
 * r.x.tolist(); // ≈ [1, 1]
 * r.status.item(); // 0
 * ```
 */
export function minimize(fun: Objective, x0: NDArray | number[], o: MinimizeOptions): OptimizeResults {
  if (typeof fun !== "function") throw new ValueError("minimize: fun must be a function of a 1-d array");
  if (o === undefined || typeof o.method !== "string") {
    throw new ValueError('minimize: give the method, e.g. { method: "BFGS" } (JAX requires it too)');
  }
  const args = o.args ?? [];
  if (!Array.isArray(args)) throw new ValueError("minimize: args must be an array of extra arguments to fun");
  const x = checkX(x0, "minimize");
  if (o.method.toLowerCase() === "bfgs") {
    const opts = { ...(o.options ?? {}) };
    if (opts.gtol === undefined && o.tol !== undefined) opts.gtol = o.tol;
    return minimizeBfgs(fun, x, args, opts);
  }
  throw new ValueError(`minimize: method "${o.method}" is not supported; the supported method is "BFGS"`);
}
