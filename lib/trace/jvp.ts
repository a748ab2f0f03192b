/**
 * Forward-mode differentiation: the JVP trace. A JVPTracer carries a primal
 * and a tangent (possibly a symbolic Zero); primitives apply their jvp rule.
 *
 * @module
 */

import { ConcreteArray, type NDArray } from "../array.ts";
import { rules } from "./core.ts";
import type { ShapedArray } from "./aval.ts";
import { bind, fullRaise, type MainTrace, type Tangent, Trace, Tracer, withMain, Zero } from "./core.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import { instantiate } from "../ops/util.ts";

/** A value under jvp: primal and tangent. */
export class JVPTracer extends Tracer {
  /**
   * @param trace the owning JVP trace
   * @param primal the value
   * @param tangent its tangent
   */
  constructor(readonly trace: JVPTrace, readonly primal: NDArray, readonly tangent: Tangent) {
    super();
  }
  /** @inheritdoc */
  get aval(): ShapedArray {
    return this.primal.aval;
  }
  /** A tracer with a zero tangent is just its primal. */
  override fullLower(): NDArray {
    if (this.tangent instanceof Zero) return this.primal instanceof Tracer ? this.primal.fullLower() : this.primal;
    return this;
  }
  /** Under jvp the primal may be concrete (as under grad in JAX). */
  override concreteValue(): ConcreteArray | null {
    const p = this.primal;
    return p instanceof ConcreteArray ? p : p instanceof Tracer ? p.concreteValue() : null;
  }
}

/** The JVP interpreter. */
export class JVPTrace extends Trace {
  /** @inheritdoc */
  pure(x: NDArray): NDArray {
    return new JVPTracer(this, x, new Zero(x.aval.withWeak(false)));
  }
  /** @inheritdoc */
  lift(x: Tracer): NDArray {
    return this.pure(x);
  }
  /** @inheritdoc */
  processPrimitive<P extends Primitive>(prim: P, args: NDArray[], params: Params[P]): NDArray[] {
    const ts = args as JVPTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    if (tangents.every((t) => t instanceof Zero)) return bind(prim, primals, params);
    const [outs, touts] = rules[prim].jvp(primals, tangents, params);
    return outs.map((o, i) => new JVPTracer(this, o, touts[i]));
  }
}

/**
 * Flat jvp: `f` maps arrays to arrays; returns primal outputs and tangent
 * outputs (zeros instantiated).
 */
export function jvpFlat(
  f: (...xs: NDArray[]) => NDArray[],
  primals: NDArray[],
  tangents: NDArray[],
): [NDArray[], NDArray[]] {
  return withMain((m: MainTrace) => new JVPTrace(m), null, (main) => {
    const trace = new JVPTrace(main);
    const ins = primals.map((p, i) => new JVPTracer(trace, p, tangents[i]));
    const outs = f(...ins).map((o) => fullRaise(trace, o) as JVPTracer);
    return [outs.map((o) => o.primal), outs.map((o) => instantiate(o.tangent))];
  });
}

/** jvp for internal use: `f` of arrays returning one array or several. */
export function jvp(
  f: (...xs: NDArray[]) => NDArray | NDArray[],
  primals: NDArray[],
  tangents: NDArray[],
): [NDArray[], NDArray[]] {
  return jvpFlat(
    (...xs) => {
      const r = f(...xs);
      return Array.isArray(r) ? r : [r];
    },
    primals,
    tangents,
  );
}
