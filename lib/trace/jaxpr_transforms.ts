/**
 * Transformations of whole jaxprs, used by the rules of higher-order
 * primitives (pjit, scan, while, cond): each re-traces the jaxpr under a
 * transformation and stages the result as a new jaxpr. Results are memoised
 * per jaxpr and arguments, so a loop body is transformed once.
 *
 * Invariant: the jaxprs held in primitive params close over concrete
 * constants only; values of enclosing traces are passed as explicit operands
 * (see `hoistConsts`).
 *
 * @module
 */

import type { NDArray } from "../array.ts";
import { addTangents, instantiate as inst, moveBatchAxis } from "../ops/util.ts";
import type { ShapedArray } from "./aval.ts";
import { ShapedArray as SA } from "./aval.ts";
import { BatchTrace, BatchTracer } from "./batching.ts";
import { type BatchDim, fullRaise, type Tangent, UndefPrimal, withMain, Zero } from "./core.ts";
import { ClosedJaxpr, evalJaxpr, Jaxpr } from "./jaxpr.ts";
import { JVPTrace, JVPTracer } from "./jvp.ts";
import { traceToJaxpr } from "./staging.ts";
import { backwardPass } from "./transpose.ts";

/** Moves a closed jaxpr's constants into leading inputs: returns the const-free jaxpr and the constants. */
export function hoistConsts(cj: ClosedJaxpr): [ClosedJaxpr, NDArray[]] {
  if (cj.consts.length === 0) return [cj, []];
  const j = cj.jaxpr;
  return [new ClosedJaxpr(new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outs), []), cj.consts];
}

const memo = new WeakMap<ClosedJaxpr, Map<string, unknown>>();
function memoised<T>(cj: ClosedJaxpr, key: string, make: () => T): T {
  let m = memo.get(cj);
  if (!m) memo.set(cj, m = new Map());
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

/** Raw jvp of a flat function: tangents out may be symbolic zeros. */
export function jvpRaw(
  f: (...xs: NDArray[]) => NDArray[],
  primals: NDArray[],
  tangents: Tangent[],
): [NDArray[], Tangent[]] {
  return withMain((m) => new JVPTrace(m), null, (main) => {
    const trace = new JVPTrace(main);
    const ins = primals.map((p, i) => new JVPTracer(trace, p, tangents[i]));
    const outs = f(...ins).map((o) => fullRaise(trace, o) as JVPTracer);
    return [outs.map((o) => o.primal), outs.map((o) => o.tangent)];
  });
}

/**
 * The jvp of a jaxpr: inputs (primals..., tangents of the `nonzeros` inputs...),
 * outputs (primals..., tangents of the nonzero-or-instantiated outputs...).
 */
export function jvpJaxpr(
  cj: ClosedJaxpr,
  nonzeros: boolean[],
  instantiate: boolean[],
): { jaxpr: ClosedJaxpr; outNonzeros: boolean[] } {
  return memoised(cj, `jvp${nonzeros}|${instantiate}`, () => {
    const avals = cj.inAvals;
    const tanAvals = avals.filter((_, i) => nonzeros[i]).map((a) => a.withWeak(false));
    let outNonzeros: boolean[] = [];
    const jaxpr = traceToJaxpr((...xs) => {
      const primals = xs.slice(0, avals.length);
      let k = avals.length;
      const tangents = avals.map((a, i) => (nonzeros[i] ? xs[k++] : new Zero(a.withWeak(false))));
      const [outs, touts] = jvpRaw((...ys) => evalJaxpr(cj.jaxpr, cj.consts, ys), primals, tangents);
      outNonzeros = touts.map((t, i) => !(t instanceof Zero) || instantiate[i]);
      return [...outs, ...touts.filter((_, i) => outNonzeros[i]).map(inst)];
    }, [...avals, ...tanAvals]);
    return { jaxpr, outNonzeros };
  });
}

/** Raw vmap of a flat function: returns values with their batch dims. */
export function vmapRaw(
  f: (...xs: NDArray[]) => NDArray[],
  size: number,
  ins: NDArray[],
  dims: BatchDim[],
): [NDArray[], BatchDim[]] {
  return withMain((m) => new BatchTrace(m), size, (main) => {
    const trace = new BatchTrace(main);
    const ts = ins.map((x, i) => new BatchTracer(trace, x, dims[i]));
    const outs = f(...ts).map((o) => fullRaise(trace, o) as BatchTracer);
    return [outs.map((o) => o.val), outs.map((o) => o.batchDim)];
  });
}

/**
 * The vmap of a jaxpr whose batched inputs carry the batch at axis 0. Batched
 * (or instantiated) outputs have the batch at axis 0; `outBatched` says which.
 */
export function vmapJaxpr(
  cj: ClosedJaxpr,
  size: number,
  inBatched: boolean[],
  instantiate: boolean[],
): { jaxpr: ClosedJaxpr; outBatched: boolean[] } {
  return memoised(cj, `vmap${size}|${inBatched}|${instantiate}`, () => {
    const avals = cj.inAvals.map((a, i) => (inBatched[i] ? new SA([size, ...a.shape], a.dtype, a.weakType) : a));
    let outBatched: boolean[] = [];
    const jaxpr = traceToJaxpr((...xs) => {
      const [outs, dims] = vmapRaw(
        (...ys) => evalJaxpr(cj.jaxpr, cj.consts, ys),
        size,
        xs,
        inBatched.map((b) => (b ? 0 : null)),
      );
      outBatched = dims.map((d, i) => d !== null || instantiate[i]);
      return outs.map((o, i) => (outBatched[i] ? moveBatchAxis(o, dims[i], 0, size) : o));
    }, avals);
    return { jaxpr, outBatched };
  });
}

/**
 * The transpose of a jaxpr linear in the inputs flagged `linear`: inputs
 * (non-linear inputs..., cotangents of the outputs...), outputs (cotangents of
 * the linear inputs..., zeros materialised).
 */
export function transposeJaxpr(cj: ClosedJaxpr, linear: boolean[]): ClosedJaxpr {
  return memoised(cj, `T${linear}`, () => {
    const avals = cj.inAvals;
    const nonlinAvals = avals.filter((_, i) => !linear[i]);
    const ctAvals = cj.outAvals.map((a) => a.withWeak(false));
    return traceToJaxpr((...xs) => {
      const nonlin = xs.slice(0, nonlinAvals.length);
      const cts = xs.slice(nonlinAvals.length);
      let k = 0;
      const args = avals.map((a, i) => (linear[i] ? new UndefPrimal(a) : nonlin[k++]));
      const res = backwardPass(cj.jaxpr, cj.consts, args, cts);
      return res.filter((_, i) => linear[i]).map(inst);
    }, [...nonlinAvals, ...ctAvals]);
  });
}

/** Reorders a jaxpr's inputs and outputs (no re-tracing). */
export function permuteJaxpr(cj: ClosedJaxpr, inOrder: number[], outOrder: number[]): ClosedJaxpr {
  const j = cj.jaxpr;
  return new ClosedJaxpr(
    new Jaxpr(j.constvars, inOrder.map((i) => j.invars[i]), j.eqns, outOrder.map((i) => j.outs[i])),
    cj.consts,
  );
}

/** Sums tangents that may be symbolic zeros. */
export { addTangents };

/** Avals of a list of values. */
export function avalsOf(xs: NDArray[]): ShapedArray[] {
  return xs.map((x) => x.aval);
}
