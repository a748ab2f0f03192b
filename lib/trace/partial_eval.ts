/**
 * Partial evaluation: run a function with some inputs known and others
 * unknown; known work happens now, unknown work is recorded as a jaxpr. With
 * jvp on top this is `linearize`: primals are known, tangents unknown, and the
 * recorded jaxpr is the linear map from input to output tangents.
 *
 * `partialEvalJaxpr` does the same split syntactically on a jaxpr, for the
 * rules of higher-order primitives (scan, cond, pjit).
 *
 * @module
 */

import { ConcreteArray, type NDArray } from "../array.ts";
import { InternalError } from "../errors.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import type { ShapedArray } from "./aval.ts";
import { bind, fullRaise, type MainTrace, rules, Trace, Tracer, withMain } from "./core.ts";
import { type Atom, ClosedJaxpr, Jaxpr, type JaxprEqn, Literal, typecheckJaxpr, Var } from "./jaxpr.ts";
import { jvpFlat } from "./jvp.ts";
import { traceToJaxpr } from "./staging.ts";

type Recipe =
  | { kind: "lambda" }
  | { kind: "const"; val: NDArray }
  | { kind: "eqn"; eqn: EqnRecipe };

interface EqnRecipe {
  prim: Primitive;
  ins: PETracer[];
  params: unknown;
  outs: PETracer[];
}

/** A value under partial evaluation: known (with its value) or unknown (with a recipe). */
export class PETracer extends Tracer {
  recipe: Recipe | null = null;
  /**
   * @param trace the owning trace
   * @param aval the type
   * @param known the value, when known
   */
  constructor(readonly trace: PartialEvalTrace, readonly aval: ShapedArray, readonly known: NDArray | null) {
    super();
  }
  /** A known tracer is its value. */
  override fullLower(): NDArray {
    if (this.known) return this.known instanceof Tracer ? this.known.fullLower() : this.known;
    return this;
  }
  /** @inheritdoc */
  override concreteValue(): ConcreteArray | null {
    const k = this.known;
    return k instanceof ConcreteArray ? k : k instanceof Tracer ? k.concreteValue() : null;
  }
}

/** A primitive's own partial-evaluation rule (for higher-order primitives). */
export type PartialEvalRule = (trace: PartialEvalTrace, tracers: PETracer[], params: never) => NDArray[];
/** Rules registered by primitives that need them (scan, cond, pjit, ...). */
export const partialEvalRules: Partial<Record<Primitive, PartialEvalRule>> = {};

/** The partial-evaluation interpreter. */
export class PartialEvalTrace extends Trace {
  /** A new unknown input. */
  newArg(aval: ShapedArray): PETracer {
    const t = new PETracer(this, aval, null);
    t.recipe = { kind: "lambda" };
    return t;
  }
  /** @inheritdoc */
  pure(x: NDArray): NDArray {
    return new PETracer(this, x.aval, x);
  }
  /** @inheritdoc */
  lift(x: Tracer): NDArray {
    return this.pure(x);
  }
  /** Makes a known value unknown (a constant of the staged jaxpr). */
  instantiateConst(t: PETracer): PETracer {
    if (!t.known) return t;
    const u = new PETracer(this, t.aval, null);
    u.recipe = { kind: "const", val: t.known };
    return u;
  }
  /** Records an equation over unknown tracers with the given output types. */
  record(prim: Primitive, ins: PETracer[], params: unknown, outAvals: ShapedArray[]): PETracer[] {
    const outs = outAvals.map((a) => new PETracer(this, a, null));
    const eqn: EqnRecipe = { prim, ins, params, outs };
    for (const o of outs) o.recipe = { kind: "eqn", eqn };
    return outs;
  }
  /** @inheritdoc */
  processPrimitive<P extends Primitive>(prim: P, args: NDArray[], params: Params[P]): NDArray[] {
    const ts = args as PETracer[];
    if (ts.every((t) => t.known)) return bind(prim, ts.map((t) => t.known!), params);
    const rule = partialEvalRules[prim];
    if (rule) return rule(this, ts, params as never);
    const ins = ts.map((t) => this.instantiateConst(t));
    const avals = rules[prim].abstractEval(ins.map((t) => t.aval), params);
    return this.record(prim, ins, params, avals);
  }
}

/** Builds the jaxpr computing `outs` from the unknown inputs `ins`. */
export function tracersToJaxpr(ins: PETracer[], outs: PETracer[]): ClosedJaxpr {
  const env = new Map<PETracer, Atom>();
  const constvars: Var[] = [];
  const constVals: NDArray[] = [];
  const constVar = new Map<NDArray, Atom>();
  const invars = ins.map((t) => {
    const v = new Var(t.aval);
    env.set(t, v);
    return v;
  });
  const eqns: JaxprEqn[] = [];
  const done = new Set<EqnRecipe>();
  // Iterative post-order walk from the outputs.
  const stack: [PETracer, boolean][] = outs.map((t) => [t, false]);
  while (stack.length) {
    const [t, expanded] = stack.pop()!;
    if (env.has(t)) continue;
    const r = t.recipe;
    if (!r) throw new InternalError("partial eval: unknown tracer without a recipe");
    if (r.kind === "lambda") throw new InternalError("partial eval: input tracer not among the inputs");
    if (r.kind === "const") {
      let a = constVar.get(r.val);
      if (!a) {
        const v = r.val instanceof ConcreteArray ? r.val.peekScalar() : undefined;
        if (v !== undefined) a = new Literal(v, r.val.aval);
        else {
          const v = new Var(r.val.aval);
          constvars.push(v);
          constVals.push(r.val);
          a = v;
        }
        constVar.set(r.val, a);
      }
      env.set(t, a);
      continue;
    }
    const e = r.eqn;
    if (done.has(e)) continue;
    if (!expanded) {
      stack.push([t, true]);
      for (const i of e.ins) if (!env.has(i)) stack.push([i, false]);
      continue;
    }
    done.add(e);
    const outBinders = e.outs.map((o) => {
      const v = new Var(o.aval);
      env.set(o, v);
      return v;
    });
    eqns.push({ primitive: e.prim, inputs: e.ins.map((i) => env.get(i)!), params: e.params, outBinders } as JaxprEqn);
  }
  const jaxpr = new Jaxpr(constvars, invars, eqns, outs.map((t) => env.get(t)!));
  typecheckJaxpr(jaxpr);
  return new ClosedJaxpr(jaxpr, constVals);
}

/**
 * Partially evaluates `f`: inputs with a value in `known` are known, the others
 * (given by aval) unknown. Returns the known outputs (null where unknown) and
 * the jaxpr from unknown inputs to unknown outputs. With `instantiate`, every
 * output is made unknown.
 */
export function partialEvalFlat(
  f: (...xs: NDArray[]) => NDArray[],
  ins: (NDArray | ShapedArray)[],
  instantiate = false,
): { knownOuts: (NDArray | null)[]; jaxpr: ClosedJaxpr } {
  return withMain((m: MainTrace) => new PartialEvalTrace(m), null, (main) => {
    const trace = new PartialEvalTrace(main);
    const tracers = ins.map((x) => (isAval(x) ? trace.newArg(x) : (trace.pure(x) as PETracer)));
    let outs = f(...tracers).map((o) => fullRaise(trace, o) as PETracer);
    if (instantiate) outs = outs.map((o) => trace.instantiateConst(o));
    const unknownIns = tracers.filter((t) => !t.known);
    const unknownOuts = outs.filter((t) => !t.known);
    return { knownOuts: outs.map((o) => o.known), jaxpr: tracersToJaxpr(unknownIns, unknownOuts) };
  });
}

function isAval(x: NDArray | ShapedArray): x is ShapedArray {
  return !("dataSync" in x);
}

/**
 * Linearizes `f` at `primals`: the primal outputs, and the linear jaxpr from
 * input tangents to output tangents.
 */
export function linearizeFlat(
  f: (...xs: NDArray[]) => NDArray[],
  primals: NDArray[],
): { primalsOut: NDArray[]; linear: ClosedJaxpr } {
  const n = primals.length;
  const fJvp = (...xs: NDArray[]) => {
    const [po, to] = jvpFlat(f, xs.slice(0, n), xs.slice(n));
    return [...po, ...to];
  };
  const tangentAvals = primals.map((p) => p.aval.withWeak(false));
  let nOut = 0;
  const { knownOuts, jaxpr } = partialEvalFlat(
    (...xs) => {
      const outs = fJvp(...xs);
      nOut = outs.length / 2;
      // Primal outputs stay known; tangent outputs are always part of the jaxpr.
      return outs;
    },
    [...primals, ...tangentAvals],
  );
  const primalsOut = knownOuts.slice(0, nOut);
  if (primalsOut.some((p) => p === null)) throw new InternalError("linearize: a primal output depends on tangents");
  // Known tangent outputs (constants, e.g. zeros) are added as jaxpr outputs.
  const tangentKnown = knownOuts.slice(nOut);
  const linear = tangentKnown.every((t) => t === null) ? jaxpr : withConstOutputs(jaxpr, tangentKnown);
  return { primalsOut: primalsOut as NDArray[], linear };
}

/** Rebuilds a jaxpr whose outputs interleave its own with known constants. */
function withConstOutputs(cj: ClosedJaxpr, known: (NDArray | null)[]): ClosedJaxpr {
  const j = cj.jaxpr;
  const constvars = [...j.constvars];
  const consts = [...cj.consts];
  let k = 0;
  const outs = known.map((c) => {
    if (c === null) return j.outs[k++];
    const v = new Var(c.aval);
    constvars.push(v);
    consts.push(c);
    return v;
  });
  return new ClosedJaxpr(new Jaxpr(constvars, j.invars, j.eqns, outs), consts);
}

/**
 * Splits a jaxpr by which inputs are unknown. The known jaxpr maps known
 * inputs to known outputs plus residuals; the unknown jaxpr maps residuals
 * plus unknown inputs to unknown outputs. Outputs flagged in `instantiate` are
 * made unknown even when known (they become residuals passed through).
 */
export function partialEvalJaxpr(
  jaxpr: Jaxpr,
  inUnknowns: boolean[],
  instantiate: boolean[] | boolean = false,
): { known: Jaxpr; unknown: Jaxpr; outUnknowns: boolean[]; numRes: number } {
  const unknown = new Map<Var, boolean>();
  const residuals: Var[] = [];
  const resSet = new Set<Var>();
  const isUnk = (a: Atom) => a instanceof Var && (unknown.get(a) ?? false);
  const addRes = (a: Atom) => {
    if (a instanceof Var && !resSet.has(a)) {
      resSet.add(a);
      residuals.push(a);
    }
  };
  jaxpr.invars.forEach((v, i) => unknown.set(v, inUnknowns[i]));
  jaxpr.constvars.forEach((v) => unknown.set(v, false));
  const eqns1: JaxprEqn[] = [], eqns2: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    const unks = e.inputs.map(isUnk);
    if (partialEvalRules[e.primitive] && unks.some(Boolean) && !unks.every(Boolean)) {
      // A higher-order equation (a nested jit call, scan, while, cond) with some known inputs is
      // split in two by its trace-level rule: else its primal outputs would all become unknown
      // (grad of jit(jit(f)), or of jit(f) with a scan or cond inside, failed with
      // "linearize: a primal output depends on tangents").
      const [k, u] = splitByRule(e, unks);
      eqns1.push(k);
      k.outBinders.forEach((v) => unknown.set(v, false));
      u.inputs.forEach((a) => !isUnk(a) && addRes(a));
      eqns2.push(u);
      u.outBinders.forEach((v) => unknown.set(v, true));
      continue;
    }
    if (unks.some(Boolean)) {
      e.inputs.forEach((a, i) => !unks[i] && addRes(a));
      eqns2.push(e);
      e.outBinders.forEach((v) => unknown.set(v, true));
    } else {
      eqns1.push(e);
      e.outBinders.forEach((v) => unknown.set(v, false));
    }
  }
  const inst = jaxpr.outs.map((_, i) => (typeof instantiate === "boolean" ? instantiate : instantiate[i]));
  const outUnknowns = jaxpr.outs.map((a, i) => isUnk(a) || inst[i]);
  jaxpr.outs.forEach((a, i) => {
    if (inst[i] && !isUnk(a)) addRes(a);
  });
  // Constvars used by unknown equations stay constvars of the unknown side
  // through residuals; literals need nothing.
  const knownIns = jaxpr.invars.filter((_, i) => !inUnknowns[i]);
  const unknownIns = jaxpr.invars.filter((_, i) => inUnknowns[i]);
  const knownOuts = jaxpr.outs.filter((_, i) => !outUnknowns[i]);
  const unknownOuts = jaxpr.outs.filter((_, i) => outUnknowns[i]);
  // Known outputs that are literals/vars and residual vars: the known jaxpr returns them.
  const known = new Jaxpr(jaxpr.constvars, knownIns, eqns1, [...knownOuts, ...residuals]);
  const unknownJ = new Jaxpr([], [...residuals, ...unknownIns], eqns2, unknownOuts);
  return { known, unknown: unknownJ, outUnknowns, numRes: residuals.length };
}

/**
 * Splits an equation with some unknown inputs into a known call (the known
 * outputs plus residuals) and an unknown call (residuals and the unknown
 * inputs to the unknown outputs), both pjit equations, by staging the
 * primitive's partial-evaluation rule with the known inputs abstract.
 */
function splitByRule(e: JaxprEqn, unks: boolean[]): [JaxprEqn, JaxprEqn] {
  const inAvals = e.inputs.map((a) => a.aval);
  let outUnknowns: boolean[] = [];
  let unknownPart: ClosedJaxpr | undefined;
  const knownPart = traceToJaxpr((...knownIns) => {
    let k = 0;
    const ins = inAvals.map((a, i) => (unks[i] ? a : knownIns[k++]));
    const r = partialEvalFlat((...xs) => bind(e.primitive, xs, e.params as never), ins);
    outUnknowns = r.knownOuts.map((o) => o === null);
    unknownPart = r.jaxpr;
    // The unknown part's constants are the residuals: values of the known part.
    return [...r.knownOuts.filter((o): o is NDArray => o !== null), ...r.jaxpr.consts];
  }, inAvals.filter((_, i) => !unks[i]));
  const uj = unknownPart!.jaxpr;
  const residuals = uj.constvars.map((v) => new Var(v.aval));
  const name = e.primitive === "pjit" ? (e.params as Params["pjit"]).name : e.primitive;
  const known: JaxprEqn = {
    primitive: "pjit",
    inputs: e.inputs.filter((_, i) => !unks[i]),
    params: { jaxpr: knownPart, name },
    outBinders: [...e.outBinders.filter((_, j) => !outUnknowns[j]), ...residuals],
  } as JaxprEqn;
  const unknown: JaxprEqn = {
    primitive: "pjit",
    inputs: [...residuals, ...e.inputs.filter((_, i) => unks[i])],
    params: { jaxpr: new ClosedJaxpr(new Jaxpr([], [...uj.constvars, ...uj.invars], uj.eqns, uj.outs), []), name },
    outBinders: e.outBinders.filter((_, j) => outUnknowns[j]),
  } as JaxprEqn;
  return [known, unknown];
}
