/**
 * Transposition of linear jaxprs (the backward pass) and `vjp`, which is
 * linearize followed by transpose, as in JAX.
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { ValueError } from "../errors.ts";
import * as lax from "../lax.ts";
import { addTangents, instantiate } from "../ops/util.ts";
import { bind, rules, type Tangent, UndefPrimal, Zero } from "./core.ts";
import { type Atom, type ClosedJaxpr, type Jaxpr, Literal, Var } from "./jaxpr.ts";
import { linearizeFlat } from "./partial_eval.ts";

/**
 * Runs a linear jaxpr backwards: given values for its non-linear inputs
 * (`args`, with UndefPrimal marking the linear ones) and cotangents of its
 * outputs, returns cotangents of the linear inputs (zeros materialised).
 */
export function backwardPass(
  jaxpr: Jaxpr,
  consts: NDArray[],
  args: (NDArray | UndefPrimal)[],
  cts: Tangent[],
): Tangent[] {
  const primal = new Map<Var, NDArray>();
  const ct = new Map<Var, Tangent>();
  const readPrimal = (a: Atom): NDArray | UndefPrimal =>
    a instanceof Literal ? lax.full([], a.value, a.aval.dtype) : primal.get(a) ?? new UndefPrimal(a.aval);
  const writeCt = (a: Atom, v: Tangent | null) => {
    if (!(a instanceof Var) || v === null || v instanceof Zero) return;
    const prev = ct.get(a);
    ct.set(a, prev ? addTangents(prev, v) : v);
  };
  const popCt = (v: Var): Tangent => {
    const c = ct.get(v);
    ct.delete(v);
    return c ?? new Zero(v.aval.withWeak(false));
  };
  jaxpr.constvars.forEach((v, i) => primal.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => {
    const a = args[i];
    if (!(a instanceof UndefPrimal)) primal.set(v, a);
  });
  jaxpr.outs.forEach((a, i) => writeCt(a, cts[i]));
  // Forward-evaluate non-linear equations (those whose inputs are all known),
  // so their outputs are available as primals to the transpose rules.
  const linearEqns = [];
  for (const e of jaxpr.eqns) {
    const ins = e.inputs.map(readPrimal);
    if (ins.every((x) => !(x instanceof UndefPrimal))) {
      const outs = bind(e.primitive, ins as NDArray[], e.params as never);
      e.outBinders.forEach((v, i) => primal.set(v, outs[i]));
    } else linearEqns.push(e);
  }
  for (const e of linearEqns.reverse()) {
    const ins = e.inputs.map(readPrimal);
    const outCts = e.outBinders.map(popCt);
    const rule = rules[e.primitive].transpose;
    if (!rule) {
      throw new ValueError(
        `cannot transpose ${e.primitive}: it is not linear in its differentiated inputs. ` +
          (e.primitive === "while"
            ? "Reverse-mode differentiation does not work for lax.while_loop with a traced trip count; use lax.scan or lax.fori_loop with static bounds."
            : "This is a bug in a jvp rule if it came from grad."),
      );
    }
    if (outCts.every((c) => c instanceof Zero)) continue;
    const inCts = rule(outCts, ins, e.params as never);
    e.inputs.forEach((a, i) => {
      if (ins[i] instanceof UndefPrimal) writeCt(a, inCts[i]);
    });
  }
  return jaxpr.invars.map((v, i) => (args[i] instanceof UndefPrimal ? popCt(v) : new Zero(v.aval)));
}

/** Transposes a closed linear jaxpr with all invars linear; materialises zeros. */
export function transposeClosed(linear: ClosedJaxpr, cts: NDArray[]): NDArray[] {
  const j = linear.jaxpr;
  const res = backwardPass(j, linear.consts, j.invars.map((v) => new UndefPrimal(v.aval)), cts);
  return res.map(instantiate);
}

/**
 * Flat vjp: primal outputs of `f` and a function from output cotangents to
 * input cotangents.
 */
export function vjpFlat(
  f: (...xs: NDArray[]) => NDArray[],
  primals: NDArray[],
): [NDArray[], (cts: NDArray[]) => NDArray[]] {
  const { primalsOut, linear } = linearizeFlat(f, primals);
  const pullback = (cts: NDArray[]) => {
    if (cts.length !== primalsOut.length) {
      throw new ValueError(`vjp: expected ${primalsOut.length} cotangents, got ${cts.length}`);
    }
    return transposeClosed(linear, cts);
  };
  return [primalsOut, pullback];
}
