/**
 * Control flow: `lax.scan`, `fori_loop`, `while_loop`, `cond`, `switch`,
 * `map`. Each traces its function(s) to jaxprs once and binds one
 * higher-order primitive, so loops are staged (not unrolled) under jit and
 * differentiable.
 *
 * JS `if` and `for` run at trace time: `if (x.gt(0))` is always taken (any
 * object is truthy). Use these functions for control flow that depends on
 * traced values.
 *
 * @module
 */

import { type ArrayLike, NDArray } from "./array.ts";
import { DTypeError, ShapeError, TreeError, ValueError } from "./errors.ts";
import * as lax from "./lax.ts";
import { asArray } from "./numpy/util.ts";
import { ShapedArray } from "./trace/aval.ts";
import { bind } from "./trace/core.ts";
import { ClosedJaxpr, Jaxpr, Var } from "./trace/jaxpr.ts";
import { hoistConsts } from "./trace/jaxpr_transforms.ts";
import { traceToJaxpr } from "./trace/staging.ts";
import { type PyTree, tree_flatten, tree_unflatten, type TreeDef } from "./tree.ts";

function leavesOf(tree: PyTree, op: string): [NDArray[], TreeDef] {
  const [leaves, def] = tree_flatten(tree);
  return [
    leaves.map((l) => {
      if (l instanceof NDArray || typeof l === "number" || typeof l === "boolean") return asArray(l as ArrayLike);
      throw new TreeError(`${op}: leaf of type ${typeof l} is not an array or number`);
    }),
    def,
  ];
}

/** Traces `f` on avals; returns the const-free jaxpr, its consts and the output structure. */
function traceFn(f: (...xs: NDArray[]) => PyTree, avals: ShapedArray[], op: string): [ClosedJaxpr, NDArray[], TreeDef] {
  let outDef: TreeDef | undefined;
  const cj = traceToJaxpr((...xs) => {
    const [l, d] = leavesOf(f(...xs), op);
    outDef = d;
    return l;
  }, avals);
  const [j, consts] = hoistConsts(cj);
  return [j, consts, outDef!];
}

const strong = (a: ShapedArray) => new ShapedArray(a.shape, a.dtype, false);

/** Options of scan. */
export interface ScanOptions {
  /** Number of iterations (required when `xs` is null). */
  length?: number;
  /** Iterate from the end of `xs` backwards. */
  reverse?: boolean;
}

/**
 * `lax.scan`: loops `f(carry, x) -> [carry, y]` over the leading axis of `xs`,
 * returning `[final carry, stacked ys]`. Compiled as one loop primitive.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const [total, partial] = lax.scan((c: jnp.NDArray, x: jnp.NDArray) => [c.add(x), c], jnp.array(0), jnp.arange(4).astype("float32"));
 * total.item(); // 6
 * ```
 */
export function scan(
  f: (carry: PyTree, x: PyTree) => PyTree,
  init: PyTree,
  xs: PyTree = null,
  o: ScanOptions = {},
): [PyTree, PyTree] {
  const [initLeaves, carryDef] = leavesOf(init, "scan");
  const [xsLeaves, xsDef] = leavesOf(xs, "scan");
  const lengths = new Set(xsLeaves.map((x) => {
    if (x.ndim === 0) throw new ShapeError("scan: xs leaves must have a leading axis to scan over, got a scalar");
    return x.shape[0];
  }));
  if (o.length !== undefined) lengths.add(o.length);
  if (lengths.size === 0) throw new ValueError("scan: give { length } when xs is null");
  if (lengths.size > 1) throw new ShapeError(`scan: xs leading axes and length disagree: ${[...lengths].join(", ")}`);
  const length = [...lengths][0];
  if (!Number.isInteger(length) || length < 0) {
    throw new ValueError(`scan: length must be a non-negative integer, got ${length}`);
  }
  const xAvals = xsLeaves.map((x) => new ShapedArray(x.shape.slice(1), x.dtype, x.weakType));
  let carry = initLeaves;
  let ysDef: TreeDef | undefined;
  const body = (cAvals: ShapedArray[]) =>
    traceFn(
      (...zs) => {
        const c = tree_unflatten(carryDef, zs.slice(0, cAvals.length));
        const x = tree_unflatten(xsDef, zs.slice(cAvals.length));
        const out = f(c, x);
        if (!Array.isArray(out) || out.length !== 2) throw new TreeError("scan: the body must return [carry, y]");
        const [cl, cd] = leavesOf(out[0], "scan");
        if (!cd.equals(carryDef)) {
          throw new TreeError(`scan: the body's carry output structure ${cd} differs from the carry input ${carryDef}`);
        }
        const [yl, yd] = leavesOf(out[1], "scan");
        ysDef = yd;
        return [...cl, ...yl];
      },
      [...cAvals, ...xAvals],
      "scan",
    );
  let [jaxpr, consts] = body(carry.map((c) => c.aval));
  // Carry types must match; weak-typed inits adopt the body's strong type, as in JAX.
  const outC = jaxpr.outAvals.slice(0, carry.length);
  if (outC.some((a, i) => !a.equals(carry[i].aval) || a.weakType !== carry[i].weakType)) {
    carry = carry.map((c, i) => {
      const a = outC[i];
      if (a.shape.join() !== c.shape.join() || (a.dtype !== c.dtype && !c.weakType)) {
        throw new TreeError(
          `scan: carry ${i} enters the body as ${c.aval} but comes out as ${a}; the carry must keep its shape and dtype`,
        );
      }
      return lax.convert_element_type(c, a.dtype, false);
    });
    [jaxpr, consts] = body(carry.map((c) => strong(c.aval)));
    const again = jaxpr.outAvals.slice(0, carry.length);
    again.forEach((a, i) => {
      if (!a.equals(carry[i].aval)) {
        throw new TreeError(`scan: carry ${i} enters the body as ${carry[i].aval} but comes out as ${a}`);
      }
    });
  }
  const outs = bind("scan", [...consts, ...carry, ...xsLeaves], {
    jaxpr,
    length,
    reverse: o.reverse ?? false,
    num_consts: consts.length,
    num_carry: carry.length,
  });
  return [tree_unflatten(carryDef, outs.slice(0, carry.length)), tree_unflatten(ysDef!, outs.slice(carry.length))];
}

/**
 * `lax.fori_loop`: `body(i, x)` for i in `[lower, upper)`. With JS-number
 * bounds it is a scan (reverse-differentiable); with traced bounds a while loop.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.fori_loop(0, 5, (i: jnp.NDArray, x: jnp.NDArray) => x.add(i), jnp.array(0)).item(); // 10
 * ```
 */
export function fori_loop(
  lower: number | NDArray,
  upper: number | NDArray,
  body: (i: NDArray, x: PyTree) => PyTree,
  init: PyTree,
): PyTree {
  if (typeof lower === "number" && typeof upper === "number") {
    const n = Math.max(0, upper - lower);
    const [[, x]] = scan(
      ([i, x]: [NDArray, PyTree]) => [[lax.add(i, 1), body(i, x)], null],
      [asArray(lower, "int32"), init],
      null,
      { length: n },
    );
    return x;
  }
  const lo = asArray(lower, "int32"), hi = asArray(upper, "int32");
  const [, x] = while_loop(
    ([i]: [NDArray]) => lax.lt(i, hi),
    ([i, x]: [NDArray, PyTree]) => [lax.add(i, 1), body(i, x)],
    [lo, init],
  );
  return x;
}

/**
 * `lax.while_loop`: repeats `body` while `cond(carry)` is true.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.while_loop((x: jnp.NDArray) => x.lt(10), (x: jnp.NDArray) => x.mul(2), jnp.array(1)).item(); // 16
 * ```
 */
export function while_loop(cond: (carry: PyTree) => NDArray, body: (carry: PyTree) => PyTree, init: PyTree): PyTree {
  let [carry, def] = leavesOf(init, "while_loop");
  const trace = () => {
    const avals = carry.map((c) => c.aval);
    const [cj, cc] = traceFn((...zs) => cond(tree_unflatten(def, zs)), avals, "while_loop cond");
    const [bj, bc, bdef] = traceFn((...zs) => body(tree_unflatten(def, zs)), avals, "while_loop body");
    if (!bdef.equals(def)) {
      throw new TreeError(`while_loop: body output structure ${bdef} differs from the carry ${def}`);
    }
    return { cj, cc, bj, bc };
  };
  let t = trace();
  const out = t.bj.outAvals;
  if (out.some((a, i) => !a.equals(carry[i].aval) || a.weakType !== carry[i].weakType)) {
    carry = carry.map((c, i) => {
      if (out[i].shape.join() !== c.shape.join() || (out[i].dtype !== c.dtype && !c.weakType)) {
        throw new TreeError(`while_loop: carry ${i} enters the body as ${c.aval} but comes out as ${out[i]}`);
      }
      return lax.convert_element_type(c, out[i].dtype, false);
    });
    t = trace();
  }
  const c = t.cj.outAvals;
  if (c.length !== 1 || c[0].ndim !== 0 || c[0].dtype !== "bool") {
    throw new DTypeError(`while_loop: cond must return a bool scalar, got ${c.join(", ")}`);
  }
  const outs = bind("while", [...t.cc, ...t.bc, ...carry], {
    cond_jaxpr: t.cj,
    body_jaxpr: t.bj,
    cond_nconsts: t.cc.length,
    body_nconsts: t.bc.length,
  });
  return tree_unflatten(def, outs);
}

/**
 * `lax.switch`: runs `branches[index]` (clamped) on the operands.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * lax.switch(1, [(x: jnp.NDArray) => x.add(1), (x: jnp.NDArray) => x.mul(10)], jnp.array(2)).item(); // 20
 * ```
 */
export function switch_(
  index: number | NDArray,
  branches: ((...ops: PyTree[]) => PyTree)[],
  ...operands: PyTree[]
): PyTree {
  return bindCond(index, branches, operands, true);
}

/** Stages the branches and binds cond; `clamp` clips the index into range (switch does, cond needs not). */
function bindCond(
  index: number | NDArray,
  branches: ((...ops: PyTree[]) => PyTree)[],
  operands: PyTree[],
  clamp: boolean,
): PyTree {
  if (branches.length === 0) throw new ValueError("switch: needs at least one branch");
  const [leaves, def] = leavesOf(operands, "switch");
  const avals = leaves.map((l) => l.aval);
  const traced = branches.map((b) => traceFn((...zs) => b(...tree_unflatten(def, zs)), avals, "switch"));
  const outDef = traced[0][2];
  traced.forEach(([j, , d], i) => {
    if (!d.equals(outDef)) {
      throw new TreeError(`cond/switch: branch ${i} returns structure ${d} but branch 0 returns ${outDef}`);
    }
    j.outAvals.forEach((a, k) => {
      const b = traced[0][0].outAvals[k];
      if (!a.equals(b)) throw new TreeError(`cond/switch: branch ${i} output ${k} is ${a} but branch 0 gives ${b}`);
    });
  });
  // Each branch's constants become operands of every branch.
  const allConsts = traced.flatMap(([, c]) => c);
  const branchesJ = traced.map(([j], i) => {
    const before = traced.slice(0, i).reduce((n, [, c]) => n + c.length, 0);
    return padInputs(j, allConsts.map((c) => c.aval), before, leaves.length);
  });
  let idx = typeof index === "number" ? asArray(index, "int32") : index;
  if (idx.dtype === "bool") idx = lax.convert_element_type(idx, "int32");
  if (idx.dtype !== "int32") idx = lax.convert_element_type(idx, "int32");
  if (idx.ndim !== 0) {
    throw new ShapeError(`cond/switch: the predicate/index must be a scalar, got shape (${idx.shape})`);
  }
  const clamped = branches.length === 1
    ? lax.full([], 0, "int32")
    : clamp
    ? lax.max(lax.min(idx, branches.length - 1), 0)
    : idx;
  const outs = bind("cond", [clamped, ...allConsts, ...leaves], { branches: branchesJ });
  return tree_unflatten(outDef, outs);
}

/** A branch jaxpr taking all branches' consts, of which it reads its own slice. */
function padInputs(j: ClosedJaxpr, constAvals: ShapedArray[], offset: number, nOps: number): ClosedJaxpr {
  const inner = j.jaxpr;
  const own = inner.invars.length - nOps;
  const constVars = constAvals.map((a, k) => (k >= offset && k < offset + own ? inner.invars[k - offset] : new Var(a)));
  return new ClosedJaxpr(new Jaxpr([], [...constVars, ...inner.invars.slice(own)], inner.eqns, inner.outs), []);
}

/**
 * `lax.cond`: `trueFun(...operands)` if `pred` else `falseFun(...operands)`.
 * Use it instead of a JS `if` on traced values (a JS `if` on an array is
 * always taken). Under vmap with a batched predicate it becomes a select.
 *
 * @example
 * ```ts
 * import { jnp, lax } from "@jaxd/jaxd";
 * const x = jnp.array(-2);
 * lax.cond(x.gt(0), (v: jnp.NDArray) => v, (v: jnp.NDArray) => v.neg(), x).item(); // 2
 * ```
 */
export function cond(
  pred: boolean | NDArray,
  trueFun: (...ops: PyTree[]) => PyTree,
  falseFun: (...ops: PyTree[]) => PyTree,
  ...operands: PyTree[]
): PyTree {
  const p = typeof pred === "boolean" ? asArray(pred) : pred;
  // A bool converted to int32 is already 0 or 1: no clamping, as in JAX's jaxpr for cond.
  const idx = lax.convert_element_type(p.dtype === "bool" ? p : lax.ne(p, 0), "int32");
  return bindCond(idx, [falseFun, trueFun], operands, false);
}

/**
 * `lax.map`: applies `f` to each slice of `xs` along its leading axis (a scan).
 */
export function map(f: (x: PyTree) => PyTree, xs: PyTree): PyTree {
  return scan((c, x) => [c, f(x)], null, xs)[1];
}
