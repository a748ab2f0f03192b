/**
 * The trace stack and `bind`, the one interception point every primitive goes
 * through (Autodidax's design). Each transformation is a Trace/Tracer pair;
 * the trace with the highest level among an operation's inputs handles it by
 * applying the primitive's rule for that transformation. The eval trace at the
 * bottom runs `impl` on concrete arrays.
 *
 * @module
 */

import { ConcreteArray, concretizationError, intermediates, NDArray } from "../array.ts";
import type { HostArray } from "../dtype.ts";
import { EscapedTracerError, InternalError } from "../errors.ts";
import type { Kernel } from "../kernel/ir.ts";
import type { Params, Primitive } from "../ops/primitives.ts";
import type { ShapedArray } from "./aval.ts";

/** A tangent that is known to be zero, so no work is done for it. */
export class Zero {
  /** @param aval the shape and dtype of the zero (float0 is not modelled) */
  constructor(readonly aval: ShapedArray) {}
}

/** A tangent: an array or a symbolic zero. */
export type Tangent = NDArray | Zero;

/** A linear input whose value is unknown, as seen by transpose rules. */
export class UndefPrimal {
  /** @param aval the input's type */
  constructor(readonly aval: ShapedArray) {}
}

/** Where an array's batch axis is under vmap, or null for unbatched. */
export type BatchDim = number | null;

/** The rules of one primitive: one typed record, all transformations. */
export interface Rule<P extends Primitive> {
  /** Output types from input types; throws named errors on bad input. */
  abstractEval(avals: ShapedArray[], params: Params[P]): ShapedArray[];
  /** Evaluates on concrete arrays (may bind other primitives). */
  impl(args: ConcreteArray[], params: Params[P]): NDArray[];
  /** The kernel computing the (single) output, or null when not one kernel. */
  lower: ((avals: ShapedArray[], params: Params[P]) => Kernel) | null;
  /** Forward mode: primal outputs and their tangents. */
  jvp(primals: NDArray[], tangents: Tangent[], params: Params[P]): [NDArray[], Tangent[]];
  /** For linear primitives: cotangents of the linear inputs; null if not linear. */
  transpose:
    | ((cts: Tangent[], args: (NDArray | UndefPrimal)[], params: Params[P]) => (Tangent | null)[])
    | null;
  /** Batching: outputs and their batch dims. */
  vmap(args: NDArray[], dims: BatchDim[], params: Params[P]): [NDArray[], BatchDim[]];
}

/** The exhaustive rule table: a missing primitive fails to compile. */
export type RuleTable = { [P in Primitive]: Rule<P> };

/** The rule table (filled by lib/ops at import). */
export const rules = {} as RuleTable;

/** Installs the rule table (lib/ops/rules.ts calls this once). */
export function registerRules(table: RuleTable): void {
  Object.assign(rules, table);
}

/** One entry of the trace stack. */
export class MainTrace {
  /** False once the transformation that pushed it has returned. */
  alive = true;
  #trace: Trace | undefined;
  /**
   * @param level position in the stack (0 = eval)
   * @param makeTrace builds the Trace object for this level
   * @param globalData per-transformation data (e.g. the batch axis size)
   */
  constructor(
    readonly level: number,
    readonly makeTrace: (main: MainTrace) => Trace,
    readonly globalData: unknown,
  ) {}

  /** This level's Trace (traces keep no state of their own, so one serves every bind). */
  trace(): Trace {
    return (this.#trace ??= this.makeTrace(this));
  }
}

/** A transformation's interpreter: how values enter it and how it runs primitives. */
export abstract class Trace {
  /** @param main this trace's stack entry */
  constructor(readonly main: MainTrace) {}
  /** Wraps a value from outside any transformation. */
  abstract pure(x: NDArray): NDArray;
  /** Wraps a tracer of a lower transformation. */
  abstract lift(x: Tracer): NDArray;
  /** Applies a primitive to values already raised into this trace. */
  abstract processPrimitive<P extends Primitive>(prim: P, args: NDArray[], params: Params[P]): NDArray[];
}

/** A stand-in for a value inside a transformation. */
export abstract class Tracer extends NDArray {
  /** The trace this tracer belongs to. */
  abstract readonly trace: Trace;

  /** The plain value, when this tracer adds nothing (e.g. a zero tangent). */
  fullLower(): NDArray {
    return this;
  }

  /** The concrete value behind this tracer, or null when it is abstract. */
  concreteValue(): ConcreteArray | null {
    return null;
  }

  /** @inheritdoc */
  override data(): Promise<HostArray> {
    return Promise.resolve(this.dataSync());
  }

  /** @inheritdoc */
  override dataSync(): HostArray {
    const c = this.concreteValue();
    if (c) return c.dataSync();
    throw concretizationError("reading a value", this.aval);
  }

  /** Tracers print their type, not values (which they may not have). */
  override repr(): string {
    const c = this.concreteValue();
    return `Traced<${this.aval}>${c ? ` with value ${c.repr()}` : ""}`;
  }
  /** @inheritdoc */
  override toString(): string {
    const c = this.concreteValue();
    if (c) return c.toString();
    throw concretizationError("reading a value", this.aval);
  }
}

// ---- the stack ----

class EvalTrace extends Trace {
  pure(x: NDArray): NDArray {
    return x;
  }
  lift(x: Tracer): NDArray {
    return x;
  }
  processPrimitive<P extends Primitive>(prim: P, args: NDArray[], params: Params[P]): NDArray[] {
    const rule = rules[prim];
    // Eager inputs are type-checked as staged ones are: kernel impls do it while
    // lowering, the rest (host-computed linalg, control flow) here.
    if (rule.lower === null) rule.abstractEval(args.map((a) => a.aval), params);
    return rule.impl(args as unknown as ConcreteArray[], params);
  }
}

const traceStack: MainTrace[] = [new MainTrace(0, (m) => new EvalTrace(m), null)];
let dynamicTrace: MainTrace | null = null;

/**
 * Runs `fn` with a new transformation on top of the stack; the main trace is
 * marked dead afterwards so escaped tracers are caught.
 */
export function withMain<T>(makeTrace: (m: MainTrace) => Trace, globalData: unknown, fn: (main: MainTrace) => T): T {
  const main = new MainTrace(traceStack.length, makeTrace, globalData);
  traceStack.push(main);
  try {
    return fn(main);
  } finally {
    traceStack.pop();
    main.alive = false;
  }
}

/**
 * Like withMain, and makes the new trace the dynamic one: every bind inside,
 * even on constants only, is handled by it (how jit/make_jaxpr stage
 * everything).
 */
export function withDynamicMain<T>(
  makeTrace: (m: MainTrace) => Trace,
  globalData: unknown,
  fn: (main: MainTrace) => T,
): T {
  return withMain(makeTrace, globalData, (main) => {
    const prev = dynamicTrace, made = intermediates.made;
    dynamicTrace = main;
    intermediates.made = null; // staged values may be kept in jaxprs (jit's cache): never released here
    try {
      return fn(main);
    } finally {
      dynamicTrace = prev;
      intermediates.made = made;
    }
  });
}

/** The arrays made by rules during the eager transformation call running now (see releasingIntermediates). */
let scope: Set<ConcreteArray> | null = null;

/**
 * Runs an eager transformation call (jvp, vmap, grad, jacfwd and the ones
 * built on them, called on concrete arrays outside any other
 * transformation) and disposes the arrays its rules made that `result`
 * (given the call's value) does not hold. Every primal and tangent a jvp or
 * vmap rule computes is such an array: left to the garbage collector, they
 * and their device buffers stay until the event loop turns, which a
 * synchronous loop of eager gradient steps never lets happen.
 *
 * Arrays the user can reach are kept: the call's outputs, and whatever a
 * bind returns to user code as a concrete array (a zero-tangent value
 * lowered out of its tracer), or a transformation called inside gives it.
 * Values staged for jit or jaxpr transformations are never collected.
 */
export function releasingIntermediates<T>(fn: () => T, result: (value: T) => NDArray[]): T {
  if (scope !== null || traceStack.length !== 1 || dynamicTrace !== null) {
    const value = fn();
    if (scope !== null && intermediates.made === null) {
      for (const a of result(value)) scope.delete(a as ConcreteArray);
    }
    return value;
  }
  const made = new Set<ConcreteArray>();
  scope = intermediates.made = made; // the transformation's own glue (bases, casts, slices) is collected too
  let value: T;
  try {
    value = fn();
  } finally {
    scope = intermediates.made = null;
  }
  for (const a of result(value)) made.delete(a as ConcreteArray);
  for (const a of made) a.dispose();
  return value;
}

/** Runs the user's function inside a transformation: the concrete arrays it makes are its own (never collected). */
export function userCode<T>(fn: () => T): T {
  const made = intermediates.made;
  intermediates.made = null;
  try {
    return fn();
  } finally {
    intermediates.made = made;
  }
}

/** Whether a jit/make_jaxpr trace is staging every bind (so binds on concrete arrays are recorded, not run). */
export function isStaging(): boolean {
  return dynamicTrace !== null;
}

/** The main trace the eval trace uses. */
export function evalMain(): MainTrace {
  return traceStack[0];
}

function escaped(t: Tracer): EscapedTracerError {
  return new EscapedTracerError(
    `a ${t.aval} tracer was used after the transformation that created it (jit, grad, vmap, scan, ...) returned. ` +
      `Tracers must not be stored outside the function being transformed (in globals, closures kept for later, ` +
      `or returned through side channels); return values instead.`,
  );
}

function findTopTrace(args: readonly NDArray[]): Trace {
  let top = traceStack[0];
  for (const x of args) {
    if (x instanceof Tracer) {
      const main = x.trace.main;
      if (!main.alive) throw escaped(x);
      if (main.level > top.level) top = main;
    }
  }
  if (dynamicTrace && dynamicTrace.level > top.level) top = dynamicTrace;
  return top.trace();
}

/** Brings a value into `trace`: wraps constants, lifts lower tracers. */
export function fullRaise(trace: Trace, x: NDArray): NDArray {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const main = x.trace.main;
  if (!main.alive) throw escaped(x);
  if (main === trace.main) return x;
  if (main.level < trace.main.level) return trace.lift(x);
  throw new InternalError(`can't lift level ${main.level} to ${trace.main.level}`);
}

/**
 * Applies a primitive: the one entry point of all operations.
 *
 * @example
 * ```ts
 * // Every lax function is one line over bind:
 * // export const sin = (x: NDArray) => bind("sin", [x], {})[0];
 * ```
 */
export function bind<P extends Primitive>(prim: P, args: readonly NDArray[], params: Params[P]): NDArray[] {
  const trace = findTopTrace(args);
  // At the eval level nothing is raised (the common case of every eager op at the bottom of a transformation).
  const tracers = trace instanceof EvalTrace ? args as NDArray[] : args.map((a) => fullRaise(trace, a));
  // Inside an eager transformation call, what a rule makes is collected (see releasingIntermediates).
  const outer = intermediates.made;
  if (scope !== null && !(trace instanceof EvalTrace)) intermediates.made = dynamicTrace === null ? scope : null;
  let outs: NDArray[];
  try {
    outs = trace.processPrimitive(prim, tracers, params);
  } finally {
    intermediates.made = outer;
  }
  let lowered = outs;
  for (let i = 0; i < outs.length; i++) {
    if (outs[i] instanceof Tracer) {
      lowered = outs.map((o) => (o instanceof Tracer ? o.fullLower() : o));
      break;
    }
  }
  // A concrete array a bind in user code gets back is the user's, even if a rule made it.
  if (scope !== null && outer === null) { for (const o of lowered) if (o instanceof ConcreteArray) scope.delete(o); }
  return lowered;
}

/** bind for single-output primitives. */
export function bind1<P extends Primitive>(prim: P, args: readonly NDArray[], params: Params[P]): NDArray {
  return bind(prim, args, params)[0];
}
