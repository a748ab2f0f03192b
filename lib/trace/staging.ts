/**
 * Staging to a jaxpr: the dynamic jaxpr trace behind `make_jaxpr` and `jit`.
 * While it is the dynamic trace, every primitive bound is recorded as an
 * equation instead of evaluated; concrete arrays met on the way become
 * constvars (scalars become inline literals).
 *
 * @module
 */

import { ConcreteArray, type NDArray } from "../array.ts";
import { InternalError } from "../errors.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import type { ShapedArray } from "./aval.ts";
import { fullRaise, type MainTrace, rules, Trace, Tracer, withDynamicMain } from "./core.ts";
import { type Atom, ClosedJaxpr, Jaxpr, type JaxprEqn, Literal, Var } from "./jaxpr.ts";

/** A value being staged: only its type is known. */
export class JaxprTracer extends Tracer {
  /**
   * @param trace the owning staging trace
   * @param aval the value's type
   */
  constructor(readonly trace: JaxprTrace, readonly aval: ShapedArray) {
    super();
  }
}

/** Collects equations while a function is staged. */
class Builder {
  eqns: { prim: Primitive; ins: JaxprTracer[]; params: unknown; outs: JaxprTracer[] }[] = [];
  consts = new Map<NDArray, JaxprTracer>();
  args: JaxprTracer[] = [];
}

/** The staging interpreter. */
export class JaxprTrace extends Trace {
  /** The builder shared by this staging run. */
  get builder(): Builder {
    return this.main.globalData as Builder;
  }
  /** Constants become constvars (deduplicated per array). */
  pure(x: NDArray): NDArray {
    let t = this.builder.consts.get(x);
    if (!t) {
      t = new JaxprTracer(this, x.aval);
      this.builder.consts.set(x, t);
    }
    return t;
  }
  /** Tracers of enclosing transformations are constants of this jaxpr. */
  lift(x: Tracer): NDArray {
    return this.pure(x);
  }
  /** Records an equation. */
  processPrimitive<P extends Primitive>(prim: P, args: NDArray[], params: Params[P]): NDArray[] {
    const ins = args as JaxprTracer[];
    const avals = rules[prim].abstractEval(ins.map((t) => t.aval), params);
    const outs = avals.map((a) => new JaxprTracer(this, a));
    this.builder.eqns.push({ prim, ins, params, outs });
    return outs;
  }
}

/**
 * Stages `f` on arguments of the given types and returns the closed jaxpr.
 * Scalar constants are inlined as literals; other constants become constvars.
 */
export function traceToJaxpr(f: (...xs: NDArray[]) => NDArray[], inAvals: ShapedArray[]): ClosedJaxpr {
  return withDynamicMain((m: MainTrace) => new JaxprTrace(m), new Builder(), (main) => {
    const trace = new JaxprTrace(main);
    const b = trace.builder;
    b.args = inAvals.map((a) => new JaxprTracer(trace, a));
    const outs = f(...b.args).map((o) => fullRaise(trace, o) as JaxprTracer);
    return buildJaxpr(b, outs);
  });
}

function buildJaxpr(b: Builder, outs: JaxprTracer[]): ClosedJaxpr {
  const env = new Map<JaxprTracer, Atom>();
  const constvars: Var[] = [];
  const constVals: NDArray[] = [];
  for (const [val, t] of b.consts) {
    const v = val instanceof ConcreteArray ? val.peekScalar() : undefined;
    if (v !== undefined) {
      // Scalars the host knows are inlined as literals; others stay constvars (no device wait).
      env.set(t, new Literal(v, val.aval));
    } else {
      const v = new Var(t.aval);
      constvars.push(v);
      constVals.push(val);
      env.set(t, v);
    }
  }
  const invars = b.args.map((t) => {
    const v = new Var(t.aval);
    env.set(t, v);
    return v;
  });
  const eqns: JaxprEqn[] = b.eqns.map((e) => {
    const outBinders = e.outs.map((t) => {
      const v = new Var(t.aval);
      env.set(t, v);
      return v;
    });
    const inputs = e.ins.map((t) => {
      const a = env.get(t);
      if (!a) throw new InternalError(`staging: ${e.prim} reads a value from outside this trace`);
      return a;
    });
    return { primitive: e.prim, inputs, params: e.params, outBinders } as JaxprEqn;
  });
  const outAtoms = outs.map((t) => {
    const a = env.get(t);
    if (!a) throw new InternalError("staging: output not produced by this trace");
    return a;
  });
  return new ClosedJaxpr(new Jaxpr(constvars, invars, eqns, outAtoms), constVals);
}
