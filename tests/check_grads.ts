/**
 * Test helpers: `check_grads` in the manner of `jax.test_util.check_grads`
 * (jvp and vjp checked against central finite differences, in float64, to
 * order 1 or 2), a seeded random generator, array builders, and `assertClose`.
 *
 * All arithmetic of the checks themselves (perturbed inputs, differences,
 * inner products) runs on the host in JS numbers, so a bug in jaxd's own
 * arithmetic cannot hide a bug in a derivative.
 *
 * @module
 */

import assert from "node:assert/strict";
import { jax, NDArray } from "../mod.ts";
import type { DType } from "../lib/dtype.ts";
import { fromHost } from "../lib/runtime.ts";
import { mulberry32 } from "./mulberry32.ts";

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;
// deno-lint-ignore no-explicit-any
type Tree = any;

/** Turns float64 on: every check runs in double precision on the cpu backend. */
export function enableX64(): void {
  jax.config.update("jax_enable_x64", true);
}

// ---------------------------------------------------------------- random numbers

/** A small seeded generator (mulberry32) so failures reproduce. */
export class Rng {
  #next: () => number;
  /** @param seed any 32-bit integer */
  constructor(seed = 0) {
    this.#next = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo) * this.next());
  }
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** An array from flat host values. */
export function arr(values: ArrayLike<number>, shape: number[], dtype: DType = "float64"): NDArray {
  return fromHost(values, shape, dtype);
}

/** Uniform floats in [lo, hi). */
export function uniform(r: Rng, shape: number[], lo = -1, hi = 1, dtype: DType = "float64"): NDArray {
  return arr(Array.from({ length: sizeOf(shape) }, () => r.uniform(lo, hi)), shape, dtype);
}

/** Floats with |x| in [lo, hi) and a random sign (keeps away from 0). */
export function awayFromZero(r: Rng, shape: number[], lo = 0.3, hi = 2): NDArray {
  return arr(Array.from({ length: sizeOf(shape) }, () => (r.next() < 0.5 ? -1 : 1) * r.uniform(lo, hi)), shape);
}

/** Standard normal floats. */
export function normal(r: Rng, shape: number[]): NDArray {
  return arr(Array.from({ length: sizeOf(shape) }, () => r.normal()), shape);
}

/** Integers in [lo, hi) of an integer dtype. */
export function ints(r: Rng, shape: number[], lo: number, hi: number, dtype: DType = "int32"): NDArray {
  return arr(Array.from({ length: sizeOf(shape) }, () => r.int(lo, hi)), shape, dtype);
}

/** Random booleans. */
export function bools(r: Rng, shape: number[]): NDArray {
  return arr(Array.from({ length: sizeOf(shape) }, () => (r.next() < 0.5 ? 1 : 0)), shape, "bool");
}

// ---------------------------------------------------------------- comparing

/** Tolerances: `|actual - expected| <= atol + rtol * |expected|` elementwise. */
export interface Tolerance {
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
}

function leavesOf(tree: Tree): Tree[] {
  return jax.tree_util.tree_leaves(tree);
}

function hostValues(x: Tree): number[] {
  if (x instanceof NDArray) return Array.from(x.dataSync() as ArrayLike<number>, Number);
  if (typeof x === "number") return [x];
  if (typeof x === "boolean") return [x ? 1 : 0];
  throw new Error(`not an array leaf: ${x}`);
}

function shapeOf(x: Tree): number[] {
  return x instanceof NDArray ? x.shape : [];
}

/**
 * Asserts two pytrees have the same structure, shapes, dtypes (unless
 * `checkDType` is false) and close values. NaNs must match NaNs.
 */
export function assertClose(
  actual: Tree,
  expected: Tree,
  tol: Tolerance & { checkDType?: boolean } = {},
  msg = "",
): void {
  const atol = tol.atol ?? 1e-12, rtol = tol.rtol ?? 1e-12;
  const [al, ad] = jax.tree_util.tree_flatten(actual);
  const [el, ed] = jax.tree_util.tree_flatten(expected);
  assert.ok(ad.equals(ed), `${msg} structure ${ad} != ${ed}`);
  al.forEach((a: Tree, i: number) => {
    const e = el[i];
    assert.deepEqual(shapeOf(a), shapeOf(e), `${msg} leaf ${i}: shape`);
    if (tol.checkDType !== false && a instanceof NDArray && e instanceof NDArray) {
      assert.equal(a.dtype, e.dtype, `${msg} leaf ${i}: dtype`);
    }
    const av = hostValues(a), ev = hostValues(e);
    for (let k = 0; k < av.length; k++) {
      const x = av[k], y = ev[k];
      if (Number.isNaN(y)) {
        assert.ok(Number.isNaN(x), `${msg} leaf ${i}[${k}]: got ${x}, expected NaN`);
        continue;
      }
      if (x === y) continue;
      const err = Math.abs(x - y);
      assert.ok(
        err <= atol + rtol * Math.abs(y),
        `${msg} leaf ${i}[${k}]: got ${x}, expected ${y} (|diff| ${err.toExponential(3)} > ${atol} + ${rtol}·|y|)\n` +
          `  actual:   ${av.slice(0, 12).join(", ")}\n  expected: ${ev.slice(0, 12).join(", ")}`,
      );
    }
  });
}

// ---------------------------------------------------------------- finite differences

/** Options of check_grads. */
export interface CheckGradsOptions extends Tolerance {
  /** Which modes to check (default both). */
  modes?: ("fwd" | "rev")[];
  /** Finite-difference step (default 1e-5 on float64). */
  eps?: number;
  /** Seed of the random tangents and cotangents. */
  seed?: number;
}

function mapLeaves(tree: Tree, f: (x: NDArray) => NDArray): Tree {
  return jax.tree_util.tree_map((x: Tree) => f(asLeaf(x)), tree);
}

function asLeaf(x: Tree): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return arr([x], [], "float64");
  throw new Error(`check_grads: leaf ${x} is not an array`);
}

/** Random normal float64 values shaped like `tree`; integer/bool leaves get zeros of their dtype. */
function randomLike(r: Rng, tree: Tree): Tree {
  return mapLeaves(tree, (x) => {
    if (x.dtype === "float64") return arr(Array.from({ length: x.size }, () => r.normal()), x.shape);
    if (x.dtype.startsWith("float")) {
      throw new Error(`check_grads: float leaves must be float64 (enable x64), got ${x.dtype}`);
    }
    return arr(new Array(x.size).fill(0), x.shape, x.dtype);
  });
}

/** `x + s * v` leafwise, on the host. */
function axpy(s: number, v: Tree, x: Tree): Tree {
  return jax.tree_util.tree_map(
    (xl: Tree, vl: Tree) => {
      const a = hostValues(xl), b = hostValues(vl);
      return arr(a.map((ai, k) => ai + s * b[k]), shapeOf(xl), xl instanceof NDArray ? xl.dtype : "float64");
    },
    x,
    v,
  );
}

/** `(a - b) / d` leafwise, on the host. */
function diffQuotient(a: Tree, b: Tree, d: number): Tree {
  return jax.tree_util.tree_map(
    (al: Tree, bl: Tree) => {
      const x = hostValues(al), y = hostValues(bl);
      return arr(x.map((xi, k) => (xi - y[k]) / d), shapeOf(al), "float64");
    },
    a,
    b,
  );
}

function innerProduct(a: Tree, b: Tree): number {
  const al = leavesOf(a), bl = leavesOf(b);
  assert.equal(al.length, bl.length, "inner product: leaf counts differ");
  let s = 0;
  al.forEach((x: Tree, i: number) => {
    const u = hostValues(x), v = hostValues(bl[i]);
    assert.equal(u.length, v.length, "inner product: sizes differ");
    for (let k = 0; k < u.length; k++) s += u[k] * v[k];
  });
  return s;
}

/** The central difference `(f(x + eps v) - f(x - eps v)) / 2 eps`. */
export function numericalJvp(f: Fn, primals: Tree[], tangents: Tree[], eps: number): Tree {
  const plus = f(...axpy(eps, tangents, primals));
  const minus = f(...axpy(-eps, tangents, primals));
  return diffQuotient(plus, minus, 2 * eps);
}

/** The leaves of `tree` at the positions where `like` has float leaves (integer outputs have no derivative). */
function floatLeaves(tree: Tree, like: Tree): Tree[] {
  const mask = leavesOf(like).map((x: Tree) => !(x instanceof NDArray) || x.dtype.startsWith("float"));
  return leavesOf(tree).filter((_: Tree, i: number) => mask[i]);
}

/** Checks `jax.jvp(f)` against central differences at `args`. */
export function checkJvp(f: Fn, args: Tree[], o: CheckGradsOptions = {}, label = "JVP"): void {
  const eps = o.eps ?? 1e-5;
  const tol = { atol: o.atol ?? 1e-5, rtol: o.rtol ?? 1e-5, checkDType: false };
  const r = new Rng(o.seed ?? 1);
  const tangents = randomLike(r, args);
  const [y, t] = jax.jvp(f, args, tangents);
  assertClose(y, f(...args), { atol: 1e-12, rtol: 1e-12 }, `${label} primal out`);
  const expected = numericalJvp(f, args, tangents, eps);
  assertClose(floatLeaves(t, y), floatLeaves(expected, y), tol, `${label} tangent out`);
}

/**
 * Checks `jax.vjp(f)`: for a random tangent v and cotangent u,
 * `<u, J v>` (J v by central differences) must equal `<vjp(u), v>`.
 */
export function checkVjp(f: Fn, args: Tree[], o: CheckGradsOptions = {}, label = "VJP"): void {
  const eps = o.eps ?? 1e-5;
  const r = new Rng((o.seed ?? 1) + 7);
  const tangents = randomLike(r, args);
  const [y, pullback] = jax.vjp(f, ...args);
  assertClose(y, f(...args), { atol: 1e-12, rtol: 1e-12 }, `${label} primal out`);
  const cotangents = randomLike(r, y);
  const cts = pullback(cotangents);
  const ip = innerProduct(cts, tangents);
  const expected = innerProduct(floatLeaves(numericalJvp(f, args, tangents, eps), y), floatLeaves(cotangents, y));
  const atol = o.atol ?? 1e-5, rtol = o.rtol ?? 1e-5;
  assert.ok(
    Math.abs(ip - expected) <= atol + rtol * Math.abs(expected) * 10,
    `${label}: <vjp(u), v> = ${ip} but <u, J v> (finite differences) = ${expected}`,
  );
}

/**
 * `jax.test_util.check_grads`: checks the jvp (mode "fwd") and vjp (mode
 * "rev") of `f` at `args` against finite differences; with order 2 also the
 * derivatives of the jvp and of the vjp themselves.
 *
 * @example
 * ```ts
 * check_grads((x: NDArray) => jnp.sin(x), [uniform(new Rng(0), [3])], 2);
 * ```
 */
export function check_grads(f: Fn, args: Tree[], order: number, o: CheckGradsOptions = {}, label = ""): void {
  enableX64();
  const modes = o.modes ?? ["fwd", "rev"];
  if (modes.includes("fwd")) {
    const msg = label ? `JVP of ${label}` : "JVP";
    checkJvp(f, args, o, msg);
    if (order > 1) {
      const fJvp = (primals: Tree[], tangents: Tree[]) => jax.jvp(f, primals, tangents);
      check_grads(fJvp, [args, args], order - 1, o, msg);
    }
  }
  if (modes.includes("rev")) {
    const msg = label ? `VJP of ${label}` : "VJP";
    checkVjp(f, args, o, msg);
    if (order > 1) {
      const fVjp = (...xs: Tree[]) => {
        const [y, pullback] = jax.vjp(f, ...xs);
        return pullback(y);
      };
      check_grads(fVjp, args, order - 1, o, msg);
    }
  }
}
